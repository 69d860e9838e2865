# Two vCPUs as threads: list, switch, read each one's registers, step one.
break gdb_ready
continue
# expect: Breakpoint 1, gdb_ready
info threads
# expect: 1\s+Thread 1 \(CPU#0 EL2\)
# expect: 2\s+Thread 2 \(CPU#1 EL2\)
thread 2
# expect: Switching to thread 2
bt 1
# expect: #0\s.*secondary
# per-thread step: only thread 2 moves (vCont;s:2)
set scheduler-locking on
set $t2pc = $pc
stepi
p $_thread
# expect: = 2
p $pc != $t2pc
# expect: = 1
set scheduler-locking off
p $MPIDR_EL1 & 0xff
# expect: = 1
thread 1
# expect: Switching to thread 1
p $MPIDR_EL1 & 0xff
# expect: = 0
p $pc == @SYM:gdb_ready@
# expect: = 1
set var secondary_release = 1
delete
break gdb_done
continue
# expect: Breakpoint 2, gdb_done
kill
# expect-not: Remote connection closed
