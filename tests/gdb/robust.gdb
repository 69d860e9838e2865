# Hostile but legal requests: every register, odd addresses in every regime, walks
# in every regime; Tandem must answer each (an error reply is fine) and keep running.
break gdb_ready
continue
# expect: Breakpoint 1, gdb_ready
info all-registers
# expect: VTTBR_EL2\s+0x
python
cmds = ["monitor regime el0", "x/2gx 0xffffffffffff0000",
        "monitor regime el1", "x/2gx 0x0000fffffffff000", "x/2gx 0xffff800000000000",
        "monitor regime el2", "x/2gx 0x10000",
        "monitor regime el20", "x/2gx 0xffff000000000000",
        "monitor regime el3", "x/2gx 0x40000000",
        "monitor regime phys", "x/2gx 0xfffffffffffff000", "x/2gx 0x09000000", "x/2gx 0x0fff0000000000",
        "set {long}0xfffffffffffff000 = 1",
        "monitor regime current",
        "monitor walk 0xffffffffffffffff el1", "monitor walk 0xffff000000000000 el20",
        "monitor walk 0x40000000 el3", "monitor walk 0x40000000 el2", "monitor walk 0x8000000000000000 el0",
        "p $ICC_PMR_EL1", "p $ICH_LR15_EL2", "set $MIDR_EL1 = 0", "set $CurrentEL = 4",
        "set $cpsr = 0x3cd", "set $cpsr = 0x3c9"]
for c in cmds:
    try:
        gdb.execute(c)
        print("answered:", c)
    except gdb.error as e:
        print("error reply:", c, "->", e)
print("all requests answered")
end
# expect: error reply: x/2gx 0xffffffffffff0000 -> Cannot access memory
# expect: error reply: x/2gx 0x09000000 -> Cannot access memory
# expect: error reply: set \$MIDR_EL1 = 0
# expect: error reply: set \$CurrentEL = 4
# expect: all requests answered
monitor walk 0x10000 phys
# expect: the phys regime has no translation
monitor walk nonsense
# expect: usage: walk VA
monitor regime
# expect: current regime
monitor trace in_asm,exec
monitor trace off
# expect: trace mask 0x0
p/x $cpsr
# expect: = 0x[0-9a-f]*3c9
p $x0
# expect: = 4277009102
delete
set var secondary_release = 1
continue
# expect: exited normally
# expect-not: Remote connection closed
# expect-not: Remote communication error
