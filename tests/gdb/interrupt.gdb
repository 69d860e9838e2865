# Ctrl-C (0x03) stops a running machine; continue afterwards runs to the end.
# sigint-after: 2.5
break gdb_ready
continue
# expect: Breakpoint 1, gdb_ready
set var spin_forever = 1
delete
continue
# expect: received signal SIGINT
p spin_forever
# expect: = true
info threads
# expect: \* 1\s+Thread 1
set var spin_forever = 0
continue
# expect: exited normally
