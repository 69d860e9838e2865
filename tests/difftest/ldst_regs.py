"""Register choice shared by the difftest load/store classes that address
the dumped buffer through X28 (gen_ldst_fp.py, gen_ldst_sync.py). Not a
gen_*.py file, so difftest.py does not load it as a class module.
"""

RESERVED = 28   # X28: the buffer base the epilogue dumps; never written


def f(value, shift):
    return value << shift


def base_reg(rng, avoid=()):
    """A base register: writable, not X28, not 31 (SP), not in avoid."""
    while True:
        r = rng.randrange(31)
        if r != RESERVED and r not in avoid:
            return r
