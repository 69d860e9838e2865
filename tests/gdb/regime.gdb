# Memory through the EL1&0 regime (stage 1 + stage 2) from EL2, physical mode, and monitor walk.
break gdb_ready
continue
# expect: Breakpoint 1, gdb_ready
monitor help
# expect: walk VA \[REGIME\]
# expect: tlb
# expect: regime
monitor el
# expect: HCR_EL2\s+0000000080000001\s+VM=1
# expect: VTTBR_EL2\s+0005
monitor regime el1
# expect: el1 regime
x/2gx 0x10000
# expect: 0x10000:\s+0x1122334455667788\s+0x99aabbccddeeff00
set {unsigned long}0x10008 = 0xabcdef0123456789
monitor regime phys
# expect: phys regime
x/2gx @SYM:data_page@
# expect: :\s+0x1122334455667788\s+0xabcdef0123456789
monitor regime current
# expect: current regime
p/x data_page[0]
# expect: = 0x1122334455667788
monitor walk 0x10000 el1
# expect: walk 0x10000 in the EL1&0 regime
# expect: S2 L1 \(S1 table\) ia 0x40.*block 1G -> 0x40000000
# expect: S1 L1 ia 0x10000: .*table -> @SYM:s1_l2@
# expect: S1 L2 ia 0x10000: .*table -> @SYM:s1_l3@
# expect: S1 L3 ia 0x10000: .*page 4K -> 0x80000000 .*AF=1
# expect: S2 L1 \(final\)  ia 0x80000000: .*table -> @SYM:s2_l2@
# expect: S2 L2 \(final\)  ia 0x80000000: .*table -> @SYM:s2_l3@
# expect: S2 L3 \(final\)  ia 0x80000000: .*page 4K -> @SYM:data_page@ .*S2AP=11\(RW\)
# expect: => PA @SYM:data_page@ \(IPA 0x80000000\)
monitor walk 0x20000 el1
# expect: S1 L3 ia 0x20000: .*invalid
# expect: => Translation fault, level 3, stage 1
# expect: ESR_EL1 = 0x96000007
monitor walk 0x10000
# expect: walk 0x10000 in the EL2 regime
# expect: no descriptor read
# expect: => PA 0x10000
monitor tlb
# expect: CPU#0 TLB .*VMID 0x5
# expect: ^EL2\s+0x0000000040201000 0x0000000040201000 --X
# expect: \d+ entries
monitor bogus
# expect: unknown command 'bogus'
kill
# expect-not: Remote connection closed
