# Write watchpoint (Z2): stops on each store to watched_var with old and new values; then awatch/rwatch.
break gdb_ready
continue
# expect: Breakpoint 1, gdb_ready
watch watched_var
# expect: Hardware watchpoint 2: watched_var
continue
# expect: Hardware watchpoint 2: watched_var
# expect: Old value = 0
# expect: New value = 256
continue
# expect: Old value = 256
# expect: New value = 512
delete 2
monitor break
# expect: 0 watchpoint\(s\)
# gdb inserts breakpoints only when resuming unless always-inserted is on
set breakpoint always-inserted on
rwatch secondary_release
# expect: Hardware read watchpoint 3: secondary_release
awatch seen_vbar_el1
# expect: Hardware access \(read/write\) watchpoint 4: seen_vbar_el1
monitor break
# expect: 2 watchpoint\(s\)
# expect: read watch .* len 1
# expect: access watch .* len 8
continue
# the second vCPU polls secondary_release: the read watchpoint fires there
# expect: Thread 2 hit Hardware read watchpoint 3: secondary_release
# expect: Value = false
delete 3
continue
# expect: Thread 1 hit Hardware access \(read/write\) watchpoint 4: seen_vbar_el1
# expect: New value = 
delete
break gdb_done
continue
# expect: Breakpoint 5, gdb_done
p watched_var
# expect: = 768
kill
# expect-not: Remote connection closed
