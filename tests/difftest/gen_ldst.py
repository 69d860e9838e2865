"""Load/store instruction classes for the difftest (integer registers).

Every access goes to the 4 KiB memory buffer at X28 + 0x200 (dumped and
compared after the run): an item first points a scratch base register at a
random spot well inside the buffer (ADD Xb, X28, #off), so immediate,
register-offset and pre/post-indexed forms stay inside it. Encodings the
Arm ARM makes UNPREDICTABLE (writeback with Rt == Rn, LDP with Rt == Rt2)
are never generated.
"""

BUF = 0x200


def f(value, shift):
    return value << shift


def base_reg(rng, g, avoid=()):
    while True:
        r = g.rd()
        if r not in (31,) + tuple(avoid):
            return r


def add_base(rb, off):
    """ADD Xb, X28, #off (off < 4096)."""
    return 0x91000000 | (off << 10) | (28 << 5) | rb


def ldst_uimm(rng, g):
    size = rng.randrange(4)
    opc = rng.choice([0, 1, 2, 3] if size < 2 else ([0, 1, 2] if size == 2 else [0, 1]))
    rt = g.rd() if opc else g.rn()
    rb = base_reg(rng, g)
    imm12 = rng.randrange(0x400 >> size)
    off = BUF + rng.randrange(0, 0xc00 - (imm12 << size))
    return [add_base(rb, off),
            f(size, 30) | f(0b111001, 24) | f(opc, 22) | f(imm12, 10) | f(rb, 5) | rt]


def ldst_imm9(rng, g):
    size = rng.randrange(4)
    opc = rng.choice([0, 1, 2, 3] if size < 2 else ([0, 1, 2] if size == 2 else [0, 1]))
    idx = rng.choice([0, 1, 3])                  # unscaled, post-index, pre-index
    rt = g.rd() if opc else g.rn()
    rb = base_reg(rng, g, avoid=(rt,) if idx else ())
    imm9 = rng.randrange(512)
    off = BUF + 0x200 + rng.randrange(0x800)
    return [add_base(rb, off),
            f(size, 30) | f(0b111000, 24) | f(opc, 22) | f(imm9, 12) | f(idx, 10) | f(rb, 5) | rt]


def ldst_reg(rng, g):
    size = rng.randrange(4)
    opc = rng.choice([0, 1, 2, 3] if size < 2 else ([0, 1, 2] if size == 2 else [0, 1]))
    rt = g.rd() if opc else g.rn()
    rb = base_reg(rng, g)
    rm = base_reg(rng, g, avoid=(rb,))
    option = rng.choice([2, 3, 6, 7])
    s = rng.getrandbits(1)
    idx = rng.randrange(0, 64) if option == 2 else rng.randrange(-64, 64)
    mov = (0xd2800000 | (idx << 5) | rm) if idx >= 0 else (0x92800000 | ((-idx - 1) << 5) | rm)
    off = BUF + 0x600
    return [add_base(rb, off), mov,
            f(size, 30) | f(0b111000, 24) | f(opc, 22) | f(1, 21) | f(rm, 16) | f(option, 13) |
            f(s, 12) | f(0b10, 10) | f(rb, 5) | rt]


def ldst_pair(rng, g):
    opc = rng.choice([0, 2, 1])                  # 32-bit, 64-bit, LDPSW
    load = 1 if opc == 1 else rng.getrandbits(1)
    idx = rng.choice([1, 2, 3])                  # post, signed offset, pre
    rt = g.rd() if load else g.rn()
    rt2 = g.rd() if load else g.rn()
    while load and rt2 == rt:
        rt2 = g.rd()
    rb = base_reg(rng, g, avoid=(rt, rt2) if idx != 2 else ())
    imm7 = rng.randrange(128)
    off = BUF + 0x400 + rng.randrange(0x400)
    return [add_base(rb, off),
            f(opc, 30) | f(0b101, 27) | f(idx, 23) | f(load, 22) | f(imm7, 15) | f(rt2, 10) |
            f(rb, 5) | rt]


CLASSES = [
    ('ldst_uimm', 4, ldst_uimm),
    ('ldst_imm9', 4, ldst_imm9),
    ('ldst_reg', 3, ldst_reg),
    ('ldst_pair', 3, ldst_pair),
]


# --- atomics, exclusives, acquire/release (naturally aligned addresses) ---

def aligned_base(rng, g, size, avoid=()):
    rb = base_reg(rng, g, avoid)
    off = BUF + 0x800 + (rng.randrange(0x400) & ~((1 << size) - 1) & ~7)
    return rb, add_base(rb, off)


def lse_atomic(rng, g):
    """LDADD/LDCLR/LDEOR/LDSET/LDSMAX/LDSMIN/LDUMAX/LDUMIN/SWP{A}{L}{B,H,,X}."""
    size = rng.randrange(4)
    rs, rt = g.rn(), g.rd()
    rb, add = aligned_base(rng, g, size)
    o3, opc = (1, 0) if rng.randrange(9) == 8 else (0, rng.randrange(8))
    return [add, f(size, 30) | f(0b111000, 24) | f(rng.getrandbits(2), 22) | f(1, 21) | f(rs, 16) |
            f(o3, 15) | f(opc, 12) | f(rb, 5) | rt]


def cas(rng, g):
    """CAS{A}{L}{B,H,,X}: Rs is compared and receives the old value."""
    size = rng.randrange(4)
    rs = g.rd()
    while rs == 31:
        rs = g.rd()
    rt = g.rn()
    rb, add = aligned_base(rng, g, size, avoid=(rs,))
    return [add, f(size, 30) | f(0b0010001, 23) | f(rng.getrandbits(1), 22) | f(1, 21) | f(rs, 16) |
            f(rng.getrandbits(1), 15) | f(0b11111, 10) | f(rb, 5) | rt]


def exclusive_pair(rng, g):
    """LD{A}XR then ST{L}XR to the same address: the store succeeds (status 0)."""
    size = rng.randrange(4)
    rt, rt2 = g.rd(), g.rn()
    while rt == 31:
        rt = g.rd()
    rb, add = aligned_base(rng, g, size, avoid=(rt, rt2))
    rs = base_reg(rng, g, avoid=(rt, rt2, rb))
    ld = f(size, 30) | f(0b001000010, 21) | f(31, 16) | f(rng.getrandbits(1), 15) | f(31, 10) | f(rb, 5) | rt
    st = f(size, 30) | f(0b001000000, 21) | f(rs, 16) | f(rng.getrandbits(1), 15) | f(31, 10) | f(rb, 5) | rt2
    return [add, ld, st]


def acq_rel(rng, g):
    """LDAR / STLR."""
    size = rng.randrange(4)
    load = rng.getrandbits(1)
    rt = g.rd() if load else g.rn()
    rb, add = aligned_base(rng, g, size)
    return [add, f(size, 30) | f(0b0010001, 23) | f(load, 22) | f(31, 16) | f(1, 15) | f(31, 10) |
            f(rb, 5) | rt]


CLASSES += [
    ('lse_atomic', 2, lse_atomic),
    ('cas', 1, cas),
    ('exclusive_pair', 1, exclusive_pair),
    ('acq_rel', 1, acq_rel),
]
