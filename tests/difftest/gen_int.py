"""Integer data-processing and branch instruction classes for the difftest.

Each class is (name, weight, function(rng, g) -> list of items). An item is a
32-bit instruction word, or a Branch (an instruction whose offset field is
filled in once the stream layout is known). `g` is the generator context
(difftest.Gen): g.rd() picks a writable destination (never the reserved
x28), g.rn() any source, g.rd_sp() a destination where 31 means SP.

To add a class: append to CLASSES here, or create gen_<name>.py next to this
file with its own CLASSES list (difftest.py loads every gen_*.py).
"""


class Branch:
    """A forward branch inside the stream: `word` with the offset field
    [shift+bits-1:shift] (in instructions) to be filled in; `skip` is how
    many items ahead the target is (0 = the next item)."""

    def __init__(self, word, shift, bits, skip):
        self.word, self.shift, self.bits, self.skip = word, shift, bits, skip

    def encode(self, offset_insns):
        mask = (1 << self.bits) - 1
        return self.word | ((offset_insns & mask) << self.shift)


class AdrTo:
    """ADR Xd, <forward target>: the PC-relative address of a later item
    (for BR/BLR/RET targets)."""

    def __init__(self, rd, skip):
        self.rd, self.skip = rd, skip

    def encode(self, offset_insns):
        imm = (offset_insns * 4) & 0x1fffff
        return (0 << 31) | ((imm & 3) << 29) | (0b10000 << 24) | ((imm >> 2) << 5) | self.rd


def decode_bit_masks(n, imms, immr, datasize):
    """Arm ARM DecodeBitMasks for immediates; None if reserved."""
    combined = (n << 6) | (~imms & 0x3f)
    if combined == 0:
        return None
    length = combined.bit_length() - 1
    if length < 1:
        return None
    levels = (1 << length) - 1
    if (imms & levels) == levels:
        return None
    esize = 1 << length
    if esize > datasize:
        return None
    s, r = imms & levels, immr & levels
    welem = (1 << (s + 1)) - 1
    emask = (1 << esize) - 1
    wrot = ((welem >> r) | (welem << (esize - r))) & emask if r else welem
    w = 0
    for i in range(0, datasize, esize):
        w |= wrot << i
    return w


def f(value, shift):
    return value << shift


def add_sub_imm(rng, g):
    sf, op, s = rng.getrandbits(1), rng.getrandbits(1), rng.getrandbits(1)
    rd = g.rd() if s else g.rd_sp()
    rn = rng.randrange(32)
    return [f(sf, 31) | f(op, 30) | f(s, 29) | f(0b100010, 23) | f(rng.getrandbits(1), 22) |
            f(g.imm(12), 10) | f(rn, 5) | rd]


def logical_imm(rng, g):
    while True:
        sf = rng.getrandbits(1)
        n = rng.getrandbits(1) if sf else 0
        immr, imms = rng.getrandbits(6), rng.getrandbits(6)
        if decode_bit_masks(n, imms, immr, 64 if sf else 32) is not None:
            break
    opc = rng.getrandbits(2)
    rd = g.rd() if opc == 3 else g.rd_sp()
    return [f(sf, 31) | f(opc, 29) | f(0b100100, 23) | f(n, 22) | f(immr, 16) | f(imms, 10) |
            f(g.rn(), 5) | rd]


def move_wide(rng, g):
    sf = rng.getrandbits(1)
    opc = rng.choice([0, 2, 3])
    hw = rng.getrandbits(2) if sf else rng.getrandbits(1)
    return [f(sf, 31) | f(opc, 29) | f(0b100101, 23) | f(hw, 21) | f(g.imm(16), 5) | g.rd()]


def bitfield(rng, g):
    sf = rng.getrandbits(1)
    opc = rng.choice([0, 1, 2])
    bits = 6 if sf else 5
    return [f(sf, 31) | f(opc, 29) | f(0b100110, 23) | f(sf, 22) | f(rng.getrandbits(bits), 16) |
            f(rng.getrandbits(bits), 10) | f(g.rn(), 5) | g.rd()]


def extract(rng, g):
    sf = rng.getrandbits(1)
    imms = rng.getrandbits(6 if sf else 5)
    return [f(sf, 31) | f(0b00100111, 23) | f(sf, 22) | f(g.rn(), 16) | f(imms, 10) |
            f(g.rn(), 5) | g.rd()]


def adr(rng, g):
    imm = rng.getrandbits(21)
    op = rng.getrandbits(1)
    return [f(op, 31) | f(imm & 3, 29) | f(0b10000, 24) | f(imm >> 2, 5) | g.rd()]


def logical_sreg(rng, g):
    sf = rng.getrandbits(1)
    return [f(sf, 31) | f(rng.getrandbits(2), 29) | f(0b01010, 24) | f(rng.getrandbits(2), 22) |
            f(rng.getrandbits(1), 21) | f(g.rn(), 16) | f(rng.getrandbits(6 if sf else 5), 10) |
            f(g.rn(), 5) | g.rd()]


def add_sub_sreg(rng, g):
    sf = rng.getrandbits(1)
    return [f(sf, 31) | f(rng.getrandbits(2), 29) | f(0b01011, 24) | f(rng.randrange(3), 22) |
            f(g.rn(), 16) | f(rng.getrandbits(6 if sf else 5), 10) | f(g.rn(), 5) | g.rd()]


def add_sub_ext(rng, g):
    sf, op, s = rng.getrandbits(1), rng.getrandbits(1), rng.getrandbits(1)
    rd = g.rd() if s else g.rd_sp()
    return [f(sf, 31) | f(op, 30) | f(s, 29) | f(0b01011001, 21) | f(g.rn(), 16) |
            f(rng.getrandbits(3), 13) | f(rng.randrange(5), 10) | f(rng.randrange(32), 5) | rd]


def add_sub_carry(rng, g):
    return [f(rng.getrandbits(3), 29) | f(0b11010000, 21) | f(g.rn(), 16) | f(g.rn(), 5) | g.rd()]


def cond_compare(rng, g):
    sf, op, imm = rng.getrandbits(1), rng.getrandbits(1), rng.getrandbits(1)
    return [f(sf, 31) | f(op, 30) | f(1, 29) | f(0b11010010, 21) | f(g.rn(), 16) |
            f(rng.getrandbits(4), 12) | f(imm, 11) | f(g.rn(), 5) | rng.getrandbits(4)]


def cond_select(rng, g):
    return [f(rng.getrandbits(2), 30) | f(0b11010100, 21) | f(g.rn(), 16) | f(rng.getrandbits(4), 12) |
            f(rng.getrandbits(1), 10) | f(g.rn(), 5) | g.rd()]


def dp_2src(rng, g):
    sf = rng.getrandbits(1)
    opcode = rng.choice([0b000010, 0b000011, 0b001000, 0b001001, 0b001010, 0b001011, 'crc'])
    if opcode == 'crc':
        sz = 3 if sf else rng.randrange(3)
        opcode = 0b010000 | (rng.getrandbits(1) << 2) | sz
    return [f(sf, 31) | f(0b011010110, 21) | f(g.rn(), 16) | f(opcode, 10) | f(g.rn(), 5) | g.rd()]


def dp_1src(rng, g):
    sf = rng.getrandbits(1)
    opcode = rng.choice([0, 1, 2, 3, 4, 5] if sf else [0, 1, 2, 4, 5])
    return [f(sf, 31) | f(0b1011010110, 21) | f(opcode, 10) | f(g.rn(), 5) | g.rd()]


def dp_3src(rng, g):
    kind = rng.choice(['madd', 'long', 'mulh'])
    o0 = rng.getrandbits(1)
    if kind == 'madd':
        sf, op31 = rng.getrandbits(1), 0
    elif kind == 'long':
        sf, op31 = 1, rng.choice([1, 5])
    else:
        sf, op31, o0 = 1, rng.choice([2, 6]), 0
    ra = 31 if kind == 'mulh' else g.rn()
    return [f(sf, 31) | f(0b11011, 24) | f(op31, 21) | f(g.rn(), 16) | f(o0, 15) | f(ra, 10) |
            f(g.rn(), 5) | g.rd()]


def flagm(rng, g):
    if rng.getrandbits(1):
        return [0xba000400 | f(rng.getrandbits(6), 15) | f(g.rn(), 5) | rng.getrandbits(4)]   # RMIF
    return [0x3a00080d | f(rng.getrandbits(1), 14) | f(g.rn(), 5)]                        # SETF8/16


# --- branches that stay inside the stream (forward only, so streams end) ---

def b_uncond(rng, g):
    link = rng.getrandbits(1)
    return [Branch(f(link, 31) | f(0b00101, 26), 0, 26, g.skip())]


def b_cond(rng, g):
    return [Branch(0x54000000 | rng.getrandbits(4), 5, 19, g.skip())]


def cb(rng, g):
    return [Branch(f(rng.getrandbits(1), 31) | f(0b011010, 25) | f(rng.getrandbits(1), 24) | g.rn(),
                   5, 19, g.skip())]


def tb(rng, g):
    b = rng.getrandbits(6)
    return [Branch(f(b >> 5, 31) | f(0b011011, 25) | f(rng.getrandbits(1), 24) | f(b & 31, 19) | g.rn(),
                   5, 14, g.skip())]


def b_reg(rng, g):
    """ADR Xn, target; BR/BLR/RET Xn (the target is at least one item after the branch)."""
    rn = g.rd()
    if rn == 31:
        rn = 0
    opc = rng.choice([0, 1, 2])
    return [AdrTo(rn, g.skip() + 1), 0xd61f0000 | f(opc, 21) | f(rn, 5)]


CLASSES = [
    ('add_sub_imm', 6, add_sub_imm),
    ('logical_imm', 5, logical_imm),
    ('move_wide', 4, move_wide),
    ('bitfield', 6, bitfield),
    ('extract', 2, extract),
    ('adr', 1, adr),
    ('logical_sreg', 6, logical_sreg),
    ('add_sub_sreg', 6, add_sub_sreg),
    ('add_sub_ext', 4, add_sub_ext),
    ('add_sub_carry', 3, add_sub_carry),
    ('cond_compare', 4, cond_compare),
    ('cond_select', 4, cond_select),
    ('dp_2src', 4, dp_2src),
    ('dp_1src', 3, dp_1src),
    ('dp_3src', 4, dp_3src),
    ('flagm', 1, flagm),
    ('b_uncond', 1, b_uncond),
    ('b_cond', 2, b_cond),
    ('cb', 1, cb),
    ('tb', 1, tb),
    ('b_reg', 1, b_reg),
]

# FEAT_FlagM / FlagM2 flag-format instructions (system space, cpu-sys's handlers).
CLASSES.append(('flag_format', 1, lambda rng, g: [rng.choice([0xd500401f, 0xd500403f, 0xd500405f])]))
