"""Compare followed by B.cond (the engine fuses SUBS/CMP + B.cond into one
step: cpu/exec_predecode.c exec_predecode_fuse) and the inline register
shifts and NOP, for the difftest. Register-register compares sometimes use
the same register twice so EQ/LS/GE/LE and friends see equal operands."""



def f(value, shift):
    return value << shift


def cmp_branch(rng, g):
    from gen_int import Branch   # at run time: the module difftest.py loaded (isinstance)
    sf = rng.getrandbits(1)
    rd = 31 if rng.getrandbits(1) else g.rd()          # CMP, or SUBS with a result
    rn = g.rn()
    if rng.getrandbits(1):
        imm = rng.choice([0, 1, rng.getrandbits(12)])
        cmp = f(sf, 31) | f(0b11, 29) | f(0b100010, 23) | f(rng.getrandbits(1), 22) | f(imm, 10) | f(rn, 5) | rd
    else:
        rm = rn if rng.randrange(4) == 0 else g.rn()
        cmp = (f(sf, 31) | f(0b11, 29) | f(0b01011, 24) | f(rm, 16) |
               f(rng.choice([0, rng.getrandbits(6 if sf else 5)]), 10) | f(rn, 5) | rd)
    return [cmp, Branch(0x54000000 | rng.randrange(16), 5, 19, g.skip())]


def shift_reg(rng, g):
    sf = rng.getrandbits(1)
    op2 = rng.randrange(4)      # LSLV, LSRV, ASRV, RORV
    return [f(sf, 31) | 0x1ac02000 | f(g.rn(), 16) | f(op2, 10) | f(g.rn(), 5) | g.rd()]


def nop(rng, g):
    return [0xd503201f]


CLASSES = [
    ('cmp_branch', 6, cmp_branch),
    ('shift_reg', 2, shift_reg),
    ('nop', 1, nop),
]
