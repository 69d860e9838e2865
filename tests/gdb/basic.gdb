# Connect, break at an address, step, read and write X/SP/PC/V and system registers.
break *@SYM:gdb_ready@
continue
# expect: Breakpoint 1, .*gdb_ready
p/x $x0
# expect: = 0xfeedface
p $pc == @SYM:gdb_ready@
# expect: = 1
p $CurrentEL
# expect: = 8
p $SP_EL2 == $sp
# expect: = 1
p/x $VTTBR_EL2
# expect: = 0x5[0-9a-f]{12}
p $VTTBR_EL2 == (@SYM:s2_l1@ | (5UL << 48))
# expect: = 1
p/x $v0.d.u[0]
# expect: = 0x123456789abcdef
p/x $v1.d.u[1]
# expect: = 0x123456789abcdef
p/x $v0.d.u[1]
# expect: = 0xfedcba9876543210
# gdb_ready is a leaf `ret`: one step lands on the return address
set $ret = $x30
stepi
p $pc == $ret
# expect: = 1
set $x1 = 0x1234abcd5678
p/x $x1
# expect: = 0x1234abcd5678
set $old_sp = $sp
set $sp = $sp - 0x40
p $sp == $old_sp - 0x40
# expect: = 1
set $sp = $old_sp
set $old_pc = $pc
set $pc = @SYM:gdb_done@
# (gdb keeps the old frame selected, now frame 1: look at frame 0)
select-frame 0
p $pc == @SYM:gdb_done@
# expect: = 1
set $pc = $old_pc
select-frame 0
p $pc == $old_pc
# expect: = 1
set $VBAR_EL1 = 0x40001800
p/x $VBAR_EL1
# expect: = 0x40001800
set $v2.d.u[0] = 0x5555aaaa5555aaaa
p/x $v2.d.u[0]
# expect: = 0x5555aaaa5555aaaa
p/x $cpsr
# expect: = 0x[0-9a-f]*3c9$
info registers SCR_EL3 HCR_EL2
# expect: SCR_EL3\s+0x
# expect: HCR_EL2\s+0x8000000[01]
delete
break gdb_done
continue
# expect: Breakpoint 2, .*gdb_done
p/x seen_vbar_el1
# expect: = 0x40001800
p/x seen_v2
# expect: = 0x5555aaaa5555aaaa
info registers CNTFRQ_EL0
# expect: CNTFRQ_EL0\s+0x
# run to the end: the guest's exit status reaches gdb (W packet)
delete
continue
# expect: exited normally
# expect-not: Remote connection closed
# expect-not: Could not fetch register
