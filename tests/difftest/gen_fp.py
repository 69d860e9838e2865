"""FP/AdvSIMD/crypto instruction classes for the difftest (fpsimd).

V registers are filled from the random X registers (FMOV Dn, Xm / INS
Vn.D[1], Xm), FPCR gets random RMode/FZ/FZ16/DN/AHP values, and after each
operation its destination V register is stored to the memory buffer at X28
(STR Qd) and FPSR is read into an X register, so values, flags and
cumulative FPSR are all in the compared dump. Only allocated encodings of
advertised features are generated (a SIGILL would end the QEMU run);
tests/fpdiff covers the unallocated ones and the single-instruction edge
cases.
"""

BUF = 0x200


def f(value, shift):
    return value << shift


def vreg(rng):
    return rng.randrange(32)


def store_q(rng, rt):
    """STR Qt, [X28, #BUF + 16*slot]."""
    imm12 = (BUF >> 4) + rng.randrange(0xf0)
    return 0x3d800000 | (imm12 << 10) | (28 << 5) | rt


def fp_fill(rng, g):
    """Fill a V register from X registers."""
    n = vreg(rng)
    words = [0x9e670000 | (g.rn() << 5) | n]             # FMOV Dn, Xm
    if rng.getrandbits(1):
        words.append(0x4e181c00 | (g.rn() << 5) | n)     # INS Vn.D[1], Xm
    return words


def fp_setcr(rng, g):
    """MOVZ Xd, #imm, LSL #16; MSR FPCR, Xd with AHP/DN/FZ/RMode/FZ16 random."""
    rd = g.rd()
    while rd == 31:
        rd = g.rd()
    imm = 0
    for bit in (10, 9, 8, 7, 6, 3):
        if rng.randrange(3) == 0:
            imm |= 1 << bit
    return [0xd2a00000 | (imm << 5) | rd, 0xd51b4400 | rd]


def with_store(rng, g, insn, rd):
    words = [insn, store_q(rng, rd)]
    if rng.randrange(4) == 0:
        rx = g.rd()
        if rx != 31:
            words.append(0xd53b4420 | rx)                  # MRS Xt, FPSR
    return words


def fp_scalar(rng, g):
    """Scalar FP: 2-source, 3-source, 1-source, conversions between sizes."""
    d, n, m, a = vreg(rng), vreg(rng), vreg(rng), vreg(rng)
    ftype = rng.choice([0, 1, 3])
    kind = rng.randrange(4)
    if kind == 0:
        insn = 0x1e200800 | f(ftype, 22) | f(m, 16) | f(rng.randrange(9), 12) | f(n, 5) | d
    elif kind == 1:
        insn = 0x1f000000 | f(ftype, 22) | f(rng.getrandbits(1), 21) | f(m, 16) | \
            f(rng.getrandbits(1), 15) | f(a, 10) | f(n, 5) | d
    elif kind == 2:
        op = rng.choice([0, 1, 2, 3, 8, 9, 10, 11, 12, 14, 15] + ([16, 17, 18, 19] if ftype != 3 else []))
        insn = 0x1e204000 | f(ftype, 22) | f(op, 15) | f(n, 5) | d
    else:
        to = rng.choice([t for t in (0, 1, 3) if t != ftype])
        insn = 0x1e204000 | f(ftype, 22) | f(4 | to, 15) | f(n, 5) | d
    return with_store(rng, g, insn, d)


# Vector three-same (U, opcode, sizes allowed with Q=1).
THREE_SAME = [
    (0, 0x00, (0, 1, 2)), (1, 0x00, (0, 1, 2)), (0, 0x01, (0, 1, 2, 3)), (1, 0x01, (0, 1, 2, 3)),
    (0, 0x02, (0, 1, 2)), (0, 0x05, (0, 1, 2, 3)), (0, 0x06, (0, 1, 2, 3)), (1, 0x07, (0, 1, 2, 3)),
    (0, 0x08, (0, 1, 2, 3)), (1, 0x0a, (0, 1, 2, 3)), (0, 0x0b, (0, 1, 2, 3)), (0, 0x0c, (0, 1, 2)),
    (1, 0x0d, (0, 1, 2)), (0, 0x0e, (0, 1, 2)), (1, 0x0f, (0, 1, 2)), (0, 0x10, (0, 1, 2, 3)),
    (1, 0x10, (0, 1, 2, 3)), (1, 0x11, (0, 1, 2, 3)), (0, 0x12, (0, 1, 2)), (0, 0x13, (0, 1, 2)),
    (1, 0x13, (0,)), (1, 0x14, (0, 1, 2)), (0, 0x16, (1, 2)), (1, 0x16, (1, 2)), (0, 0x17, (0, 1, 2, 3)),
    (0, 0x03, (0, 1, 2, 3)), (1, 0x03, (0, 1, 2, 3)),
    # FP: size = a:sz
    (0, 0x18, (0, 1, 2, 3)), (0, 0x19, (0, 1, 2, 3)), (0, 0x1a, (0, 1, 2, 3)), (0, 0x1b, (0, 1)),
    (0, 0x1c, (0, 1)), (0, 0x1e, (0, 1, 2, 3)), (0, 0x1f, (0, 1, 2, 3)), (1, 0x18, (0, 1, 2, 3)),
    (1, 0x1a, (0, 1, 2, 3)), (1, 0x1b, (0, 1)), (1, 0x1c, (0, 1, 2, 3)), (1, 0x1d, (0, 1, 2, 3)),
    (1, 0x1e, (0, 1, 2, 3)), (1, 0x1f, (0, 1)),
]


def simd_3same(rng, g):
    u, op, sizes = rng.choice(THREE_SAME)
    d, n, m = vreg(rng), vreg(rng), vreg(rng)
    insn = 0x4e200400 | f(u, 29) | f(rng.choice(sizes), 22) | f(m, 16) | f(op, 11) | f(n, 5) | d
    return with_store(rng, g, insn, d)


# Two-register misc (U, opcode, sizes with Q=1).
TWO_MISC = [
    (0, 0x00, (0, 1, 2)), (0, 0x01, (0,)), (1, 0x00, (0, 1)), (0, 0x02, (0, 1, 2)), (1, 0x02, (0, 1, 2)),
    (0, 0x04, (0, 1, 2)), (1, 0x04, (0, 1, 2)), (0, 0x05, (0,)), (1, 0x05, (0, 1)), (0, 0x07, (0, 1, 2, 3)),
    (1, 0x07, (0, 1, 2, 3)), (0, 0x08, (0, 1, 2, 3)), (0, 0x09, (0, 1, 2, 3)), (0, 0x0b, (0, 1, 2, 3)),
    (1, 0x0b, (0, 1, 2, 3)), (0, 0x12, (0, 1, 2)), (0, 0x14, (0, 1, 2)), (1, 0x12, (0, 1, 2)),
    (0, 0x16, (0, 1)), (0, 0x17, (0, 1)), (0, 0x18, (0, 1, 2, 3)), (0, 0x19, (0, 1, 2, 3)),
    (1, 0x19, (0, 1, 3)), (0, 0x1a, (0, 1, 2, 3)), (1, 0x1b, (0, 1, 2, 3)), (0, 0x1d, (0, 1, 2, 3)),
    (1, 0x1d, (0, 1, 2, 3)), (0, 0x0f, (2, 3)), (1, 0x0f, (2, 3)), (1, 0x1f, (2, 3)), (0, 0x0c, (2, 3)),
]


def simd_2misc(rng, g):
    u, op, sizes = rng.choice(TWO_MISC)
    d, n = vreg(rng), vreg(rng)
    insn = 0x4e200800 | f(u, 29) | f(rng.choice(sizes), 22) | f(op, 12) | f(n, 5) | d
    return with_store(rng, g, insn, d)


def simd_misc_forms(rng, g):
    """Permutes, EXT, TBL, DUP/INS, shifts by immediate, across lanes, crypto."""
    d, n, m = vreg(rng), vreg(rng), vreg(rng)
    kind = rng.randrange(8)
    if kind == 0:
        insn = 0x4e000800 | f(rng.randrange(4), 22) | f(m, 16) | f(rng.choice([1, 2, 3, 5, 6, 7]), 12) | f(n, 5) | d
    elif kind == 1:
        insn = 0x6e000000 | f(m, 16) | f(rng.randrange(16), 11) | f(n, 5) | d
    elif kind == 2:
        insn = 0x4e000000 | f(m, 16) | f(rng.randrange(4), 13) | f(rng.getrandbits(1), 12) | f(n, 5) | d
    elif kind == 3:
        size = rng.randrange(4)
        imm5 = (rng.randrange(16 >> size) << (size + 1)) | (1 << size)
        insn = 0x4e000400 | f(imm5, 16) | f(n, 5) | d                      # DUP Vd.T, Vn.Ts[i]
    elif kind == 4:
        esize = rng.randrange(4)
        immh = 1 << esize
        immhb = (immh << 3) | rng.randrange(8)
        op = rng.choice([0x00, 0x02, 0x04, 0x06, 0x0a, 0x0e])
        insn = 0x4f000400 | f(rng.getrandbits(1), 29) | f(immhb, 16) | f(op, 11) | f(n, 5) | d
    elif kind == 5:
        u, op = rng.choice([(0, 0x03), (1, 0x03), (0, 0x0a), (1, 0x0a), (0, 0x1a), (1, 0x1a), (0, 0x1b)])
        insn = 0x4e300800 | f(u, 29) | f(rng.randrange(3), 22) | f(op, 12) | f(n, 5) | d
    elif kind == 6:
        insn = 0x4e284800 | f(rng.randrange(4), 12) | f(n, 5) | d         # AESE/AESD/AESMC/AESIMC
    else:
        insn = 0x5e000000 | f(m, 16) | f(rng.randrange(7), 12) | f(n, 5) | d   # SHA1*/SHA256*
    return with_store(rng, g, insn, d)


CLASSES = [
    ('fp_fill', 2, fp_fill),
    ('fp_setcr', 1, fp_setcr),
    ('fp_scalar', 3, fp_scalar),
    ('simd_3same', 3, simd_3same),
    ('simd_2misc', 2, simd_2misc),
    ('simd_misc_forms', 2, simd_misc_forms),
]
