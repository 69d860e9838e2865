"""SIMD&FP register load/store classes for the difftest (see gen_int.py for
the class format). The V registers are not in the dump, so every item loads
a V register from the buffer at X28 + 0x200 .. + 0x1200 and stores it (or a
pair) back to another place in the buffer, where the comparison sees it:
LDR/STR B/H/S/D/Q with unsigned-offset, unscaled, pre/post-index and
register-offset addressing, LDP/STP/LDNP/STNP S/D/Q, LDR (literal) S/D/Q.
"""

from ldst_regs import RESERVED, base_reg, f


def point(rng, rb):
    off = rng.randrange(0x400, 0x1000) & ~15
    return 0x91000000 | f(off, 10) | f(RESERVED, 5) | rb


# (size, opc-high) of LDR/STR (SIMD&FP): B, H, S, D, Q; scale = log2 bytes.
FP_KINDS = [(0, 0, 0), (1, 0, 1), (2, 0, 2), (3, 0, 3), (0, 1, 4)]


def fp_uimm(rng, scale_kind, load, rb, vt):
    size, hi, scale = scale_kind
    imm12 = rng.randrange(0x100 >> scale)
    return f(size, 30) | 0x3d000000 | f(hi << 1 | load, 22) | f(imm12, 10) | f(rb, 5) | vt


def fp_single(rng, g):
    kind = rng.choice(FP_KINDS)
    size, hi, scale = kind
    rb = base_reg(rng)
    vt = rng.randrange(32)
    form = rng.randrange(3)
    if form == 0:
        ld = fp_uimm(rng, kind, 1, rb, vt)
    elif form == 1:
        idx = rng.choice([0, 1, 3])
        imm9 = rng.randrange(-256 >> scale, 256 >> scale) << scale
        ld = f(size, 30) | 0x3c000000 | f(hi << 1 | 1, 22) | f(imm9 & 0x1ff, 12) | f(idx, 10) | f(rb, 5) | vt
    else:
        rm = base_reg(rng, avoid=(rb,))
        elems = rng.randrange(0, 0x100 >> scale)
        s = rng.getrandbits(1)
        value = (elems << scale) >> (scale if s else 0)
        mov = 0xd2800000 | f(value & 0xffff, 5) | rm
        return [point(rng, rb), mov,
                f(size, 30) | 0x3c200800 | f(hi << 1 | 1, 22) | f(rm, 16) | f(3, 13) | f(s, 12) | f(rb, 5) | vt,
                fp_uimm(rng, kind, 0, rb, vt)]
    return [point(rng, rb), ld, fp_uimm(rng, kind, 0, rb, vt)]


def fp_pair(rng, g):
    opc = rng.randrange(3)                 # S, D, Q
    scale = 2 + opc
    rb = base_reg(rng)
    vt = rng.randrange(32)
    vt2 = rng.randrange(32)
    while vt2 == vt:
        vt2 = rng.randrange(32)
    idx = rng.randrange(4)
    imm7 = rng.randrange(-16, 16)
    ld = f(opc, 30) | 0x2c000000 | f(idx, 23) | f(1, 22) | f(imm7 & 0x7f, 15) | f(vt2, 10) | f(rb, 5) | vt
    imm7s = rng.randrange(-8, 8)
    st = f(opc, 30) | 0x2c000000 | f(2, 23) | f(0, 22) | f(imm7s & 0x7f, 15) | f(vt, 10) | f(rb, 5) | vt2
    return [point(rng, rb), ld, st]


def fp_literal(rng, g):
    opc = rng.randrange(3)                 # S, D, Q
    vt = rng.randrange(32)
    rb = base_reg(rng)
    imm19 = -rng.randrange(1, 40)
    scale = 2 + opc
    kind = {2: (2, 0, 2), 3: (3, 0, 3), 4: (0, 1, 4)}[scale]
    return [point(rng, rb), 0x1c000000 | f(opc, 30) | f(imm19 & 0x7ffff, 5) | vt,
            fp_uimm(rng, kind, 0, rb, vt)]


CLASSES = [
    ('fp_single', 3, fp_single),
    ('fp_pair', 2, fp_pair),
    ('fp_literal', 1, fp_literal),
]
