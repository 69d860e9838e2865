"""Exclusive, ordered, atomic and literal load/store classes for the
difftest (see gen_int.py for the class format; gen_ldst.py has the plain
LDR/STR/LDP/STP forms).

Every access goes to the 4 KiB buffer at X28 + 0x200 .. X28 + 0x1200 that
the epilogue dumps: an item first points a base register at it (ADD Xb,
X28, #off), then does the access. Exclusive, ordered and atomic accesses
are aligned (FEAT_LSE2 is not implemented). CONSTRAINED UNPREDICTABLE
register overlaps (LDXP Rt == Rt2, STXR status overlapping data or base)
are never generated.
"""

from ldst_regs import RESERVED, base_reg, f


def data_reg(rng, avoid=(), allow_zr=True):
    while True:
        r = rng.randrange(32 if allow_zr else 31)
        if r != RESERVED and r not in avoid:
            return r


def add_imm(rd, rn, imm):
    return 0x91000000 | f(imm, 10) | f(rn, 5) | rd


def point(rng, rb, align):
    """ADD Xb, X28, #off with off in [0x400, 0x1000), aligned."""
    off = rng.randrange(0x400, 0x1000) & ~(align - 1)
    return add_imm(rb, RESERVED, off)


def ldr_literal(rng, g):
    """LDR/LDRSW (literal) of earlier words of the program (identical in both runs)."""
    opc = rng.choice([0, 1, 2])
    rt = data_reg(rng)
    imm19 = -rng.randrange(1, 40)
    return [0x18000000 | f(opc, 30) | f(imm19 & 0x7ffff, 5) | rt]


def exclusive(rng, g):
    """LDXR/LDAXR then STXR/STLXR to the same location (passes); sometimes CLREX in between (fails)."""
    size = rng.randrange(4)
    rb = base_reg(rng)
    rt = data_reg(rng, avoid=(rb,))
    rs = data_reg(rng, avoid=(rb, rt), allow_zr=False)
    rt2 = data_reg(rng, avoid=(rs,))
    ld = f(size, 30) | 0x085f7c00 | f(rng.getrandbits(1), 15) | f(rb, 5) | rt
    st = f(size, 30) | 0x08007c00 | f(rs, 16) | f(rng.getrandbits(1), 15) | f(rb, 5) | rt2
    mid = [0xd5033f5f] if rng.randrange(4) == 0 else []     # CLREX
    return [point(rng, rb, 16), ld] + mid + [st]


def exclusive_pair(rng, g):
    sz = rng.getrandbits(1)
    rb = base_reg(rng)
    rt = data_reg(rng, avoid=(rb,))
    rt2 = data_reg(rng, avoid=(rb, rt))
    rs = data_reg(rng, avoid=(rb, rt, rt2), allow_zr=False)
    ld = f(1, 31) | f(sz, 30) | 0x087f0000 | f(rng.getrandbits(1), 15) | f(rt2, 10) | f(rb, 5) | rt
    st = f(1, 31) | f(sz, 30) | 0x08200000 | f(rs, 16) | f(rng.getrandbits(1), 15) | f(rt, 10) | f(rb, 5) | rt2
    return [point(rng, rb, 16), ld, st]


def ordered(rng, g):
    """LDAR/STLR, LDAPR (FEAT_LRCPC), LDAPUR/STLUR family (FEAT_LRCPC2)."""
    size = rng.randrange(4)
    rb = base_reg(rng)
    rt = data_reg(rng)
    kind = rng.randrange(3)
    if kind == 0:
        load = rng.getrandbits(1)
        insn = f(size, 30) | 0x089ffc00 | f(load, 22) | f(rb, 5) | rt
    elif kind == 1:
        insn = f(size, 30) | 0x38bfc000 | f(rb, 5) | rt
    else:
        opc = rng.choice([0, 1, 2, 3] if size < 2 else ([0, 1, 2] if size == 2 else [0, 1]))
        imm9 = rng.randrange(-256 >> size, 256 >> size) << size
        insn = f(size, 30) | 0x19000000 | f(opc, 22) | f(imm9 & 0x1ff, 12) | f(rb, 5) | rt
    return [point(rng, rb, 16), insn]


def atomic(rng, g):
    """LD<op>/ST<op>/SWP with A/R variants, all sizes (FEAT_LSE)."""
    size = rng.randrange(4)
    rb = base_reg(rng)
    rs = data_reg(rng)
    rt = data_reg(rng)
    o3 = 1 if rng.randrange(9) == 0 else 0
    opc = 0 if o3 else rng.randrange(8)
    return [point(rng, rb, 16),
            f(size, 30) | 0x38200000 | f(rng.getrandbits(1), 23) | f(rng.getrandbits(1), 22) | f(rs, 16) |
            f(o3, 15) | f(opc, 12) | f(rb, 5) | rt]


def cas(rng, g):
    """CAS/CASA/CASL/CASAL (all sizes) and CASP; the compare value is sometimes the memory value."""
    rb = base_reg(rng)
    out = [point(rng, rb, 16)]
    if rng.randrange(3):
        size = rng.randrange(4)
        rs = data_reg(rng, avoid=(rb,), allow_zr=False)
        rt = data_reg(rng)
        if rng.getrandbits(1):
            out.append(f(size, 30) | 0x38400000 | f(0, 10) | f(rb, 5) | rs)    # LDRx Rs, [Xb]: a match
        out.append(f(size, 30) | 0x08a07c00 | f(rng.getrandbits(1), 22) | f(rs, 16) |
                   f(rng.getrandbits(1), 15) | f(rb, 5) | rt)
        return out
    sz = rng.getrandbits(1)
    while True:
        rs = rng.randrange(0, 31, 2)
        if rs not in (RESERVED,) and rb not in (rs, rs + 1):
            break
    rt = rng.randrange(0, 32, 2)
    if rng.getrandbits(1):
        # LDP Rs, Rs+1, [Xb]: make the comparison succeed (Rs+1 may be XZR: then it cannot).
        if rs + 1 != 31:
            out.append(f(sz << 1, 30) | 0x29400000 | f(rs + 1, 10) | f(rb, 5) | rs)
    out.append(f(sz, 30) | 0x08207c00 | f(rng.getrandbits(1), 22) | f(rs, 16) |
               f(rng.getrandbits(1), 15) | f(rb, 5) | rt)
    return out


CLASSES = [
    ('ldr_literal', 1, ldr_literal),
    ('exclusive', 2, exclusive),
    ('exclusive_pair', 1, exclusive_pair),
    ('ordered', 2, ordered),
    ('atomic', 3, atomic),
    ('cas', 2, cas),
]
