#!/usr/bin/env python3
"""Differential test of Tandem's A64 execution against qemu-aarch64 (user mode).

Random streams of valid instructions (classes from gen_*.py in this
directory) are wrapped in a prologue that loads random values into X0-X30
(except X28), SP and NZCV, and an epilogue that stores X0-X30, NZCV and SP
into a dump area at X28 (followed by a 4 KiB memory buffer that load/store
classes may use through X28), then write(1, dump, len) and exit(0).
Each stream becomes a small static ELF (code at 0x40000000, data at
0x40100000), run by `qemu-aarch64 -cpu max` and by Tandem's difftest runner
(tests/difftest/difftest_run.c: the same ELF on a bare Tandem CPU; the
first SVC ends the run and the dump is read from memory). The dumps must
be identical.

Usage: difftest.py RUNNER [--insns N] [--seed S]
Environment: DIFFTEST_SEED fixes the seed (printed on every run),
DIFFTEST_INSNS the instruction count, QEMU_AARCH64 the reference binary.
On a mismatch the stream is bisected to the first instruction whose
execution differs; it is printed (disassembled with binutils objdump if
available), and the exit status is 1.
"""
import glob
import importlib.util
import os
import random
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CODE_VA = 0x40000000
DATA_VA = 0x40100000
DUMP_LEN = 0x200 + 0x1000     # registers/flags/SP, then the memory buffer
STREAM_LEN = 4000             # instructions per program
RESERVED = 28                 # base of the dump/memory area

sys.path.insert(0, HERE)


def load_classes():
    classes = []
    for path in sorted(glob.glob(os.path.join(HERE, 'gen_*.py'))):
        name = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        sys.modules[name] = mod
        for c in getattr(mod, 'CLASSES', []):
            classes.append(c)
    return classes


class Gen:
    """Context handed to the class functions."""

    def __init__(self, rng):
        self.rng = rng

    def rd(self):
        while True:
            r = self.rng.randrange(32)
            if r != RESERVED:
                return r

    def rd_sp(self):
        return self.rd()

    def rn(self):
        return self.rng.randrange(32)

    def imm(self, bits):
        return self.rng.getrandbits(bits)

    def skip(self):
        return self.rng.choice([0, 0, 1, 1, 2, 3, 5, 8])


def interesting(rng):
    c = rng.randrange(8)
    if c == 0:
        return rng.choice([0, 1, 2, 0xffffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff,
                           0x80000000, 0x7fffffff, 0xffffffff, 0x100000000])
    if c == 1:
        return rng.getrandbits(8)
    if c == 2:
        return (1 << 64) - 1 - rng.getrandbits(8)
    if c == 3:
        return rng.getrandbits(32)
    return rng.getrandbits(64)


def mov64(rd, value):
    words = [0xd2800000 | (value & 0xffff) << 5 | rd]                     # MOVZ
    for hw in range(1, 4):
        words.append(0xf2800000 | hw << 21 | ((value >> (16 * hw)) & 0xffff) << 5 | rd)   # MOVK
    return words


def make_stream(rng, classes, n):
    """A list of 'items' (lists of words/Branch objects), about n instructions."""
    g = Gen(rng)
    weights = [c[1] for c in classes]
    items = []
    count = 0
    while count < n:
        cls = rng.choices(classes, weights)[0]
        item = cls[2](rng, g)
        items.append((cls[0], item))
        count += len(item)
    return items


def layout(items, start_index):
    """Resolve branches: returns words and the stream index of each word."""
    from gen_int import Branch, AdrTo
    pos = []
    p = start_index
    for _name, item in items:
        pos.append(p)
        p += len(item)
    end = p
    words, owner = [], []
    for i, (_name, item) in enumerate(items):
        for j, w in enumerate(item):
            here = pos[i] + j
            if isinstance(w, (Branch, AdrTo)):
                t = i + 1 + w.skip
                target = pos[t] if t < len(items) else end
                w = w.encode(target - here)
            words.append(w)
            owner.append(i)
    return words, owner


def program(rng_values, items):
    r = random.Random(rng_values)
    pro = mov64(RESERVED, DATA_VA)
    sp = interesting(r)
    pro += mov64(0, sp) + [0x9100001f]                                     # MOV SP, X0
    for reg in range(31):
        if reg != RESERVED:
            pro += mov64(reg, interesting(r))
    nzcv = r.getrandbits(4)
    pro += [0xf100001f, 0xfa401be0 | nzcv]                                 # CMP XZR,#0; CCMP XZR,#0,#nzcv,NE
    words, owner = layout(items, len(pro))
    epi = []
    for reg in range(31):
        epi.append(0xf9000000 | reg << 10 | RESERVED << 5 | reg)           # STR Xreg, [X28, #8*reg]
    for k, inv in enumerate([5, 1, 3, 7]):                                 # CSET X0..3, MI/EQ/CS/VS
        epi.append(0x9a9f07e0 | inv << 12 | k)
    for k in range(4):
        epi.append(0xf9000000 | (31 + k) << 10 | RESERVED << 5 | k)
    epi += [0x910003e0, 0xf9000000 | 35 << 10 | RESERVED << 5]             # MOV X0, SP; STR
    epi += [0xd2800808, 0xd2800020, 0xaa1c03e1] + mov64(2, DUMP_LEN) + [0xd4000001]   # write
    epi += [0xd2800ba8, 0xd2800000, 0xd4000001]                            # exit(0)
    code = pro + words + epi
    data = bytearray(r.getrandbits(8) for _ in range(DUMP_LEN))
    data[:0x200] = bytes(0x200)
    return code, data, len(pro), owner


def write_elf(path, code, data):
    code_b = b''.join(struct.pack('<I', w & 0xffffffff) for w in code)
    ehsize, phsize = 64, 56
    off_code = 0x1000
    off_data = off_code + ((len(code_b) + 0xfff) & ~0xfff)
    eh = struct.pack('<16sHHIQQQIHHHHHH', b'\x7fELF\x02\x01\x01' + bytes(9), 2, 183, 1, CODE_VA,
                     ehsize, 0, 0, ehsize, phsize, 2, 64, 0, 0)   # qemu checks e_shentsize
    ph1 = struct.pack('<IIQQQQQQ', 1, 5, off_code, CODE_VA, CODE_VA, len(code_b), len(code_b), 0x1000)
    ph2 = struct.pack('<IIQQQQQQ', 1, 6, off_data, DATA_VA, DATA_VA, len(data), len(data), 0x1000)
    with open(path, 'wb') as fh:
        fh.write(eh + ph1 + ph2)
        fh.write(bytes(off_code - fh.tell()))
        fh.write(code_b)
        fh.write(bytes(off_data - fh.tell()))
        fh.write(bytes(data))
    os.chmod(path, 0o755)    # qemu-user refuses files without execute permission


def run_qemu(elfs):
    qemu = os.environ.get('QEMU_AARCH64', 'qemu-aarch64')
    out = []
    for e in elfs:
        p = subprocess.run([qemu, '-cpu', 'max', e], capture_output=True, timeout=60)
        if p.returncode != 0:
            out.append('qemu-exit-%d' % p.returncode)
        else:
            out.append(p.stdout.hex())
    return out


def run_tandem(runner, elfs):
    p = subprocess.run([runner] + elfs, capture_output=True, text=True, timeout=600)
    lines = p.stdout.splitlines()
    if p.returncode != 0 and 'not linked into this binary yet' in p.stderr:
        # A module the runner needs (e.g. the MMU) is not in the tree yet.
        print('difftest: SKIP: ' + p.stderr.strip().splitlines()[-1])
        raise SystemExit(77)
    if p.returncode != 0 or len(lines) != len(elfs):
        sys.stderr.write(p.stderr)
        raise SystemExit('difftest: the Tandem runner failed (status %d)' % p.returncode)
    return lines


def describe_dump(h):
    if not all(c in '0123456789abcdef' for c in h) or len(h) < 0x200 * 2:
        return [h]
    b = bytes.fromhex(h)
    names = ['X%d' % i for i in range(31)] + ['N', 'Z', 'C', 'V', 'SP']
    return {names[i]: struct.unpack_from('<Q', b, 8 * i)[0] for i in range(36)}, b[0x200:]


def diff_text(a, b):
    da, db = describe_dump(a), describe_dump(b)
    if isinstance(da, list) or isinstance(db, list):
        return 'qemu: %s\ntandem: %s' % (a[:200], b[:200])
    lines = []
    for k in da[0]:
        if da[0][k] != db[0][k]:
            lines.append('  %-3s qemu=%016x tandem=%016x' % (k, da[0][k], db[0][k]))
    for i in range(len(da[1])):
        if da[1][i] != db[1][i]:
            lines.append('  mem[+0x%x] qemu=%02x tandem=%02x' % (i, da[1][i], db[1][i]))
            if len(lines) > 40:
                break
    return '\n'.join(lines)


def disas(word):
    """Disassembly text from binutils (objdump), if installed."""
    try:
        with tempfile.NamedTemporaryFile(suffix='.bin') as fh:
            fh.write(struct.pack('<I', word))
            fh.flush()
            p = subprocess.run(['aarch64-linux-gnu-objdump', '-D', '-b', 'binary', '-maarch64', fh.name],
                               capture_output=True, text=True)
        for line in p.stdout.splitlines():
            if line.strip().startswith('0:'):
                return line.split('\t', 2)[-1].strip()
    except OSError:
        pass
    return '.inst 0x%08x' % word


def main():
    args = sys.argv[1:]
    if not args:
        raise SystemExit(__doc__)
    runner = args[0]
    total = int(os.environ.get('DIFFTEST_INSNS', '100000'))
    seed = os.environ.get('DIFFTEST_SEED')
    i = 1
    while i < len(args):
        if args[i] == '--insns':
            total = int(args[i + 1]); i += 2
        elif args[i] == '--seed':
            seed = args[i + 1]; i += 2
        else:
            raise SystemExit('unknown argument ' + args[i])
    seed = int(seed) if seed is not None else random.SystemRandom().getrandbits(32)
    print('difftest: seed %d (reproduce with DIFFTEST_SEED=%d), %d instructions' % (seed, seed, total))
    sys.stdout.flush()
    classes = load_classes()
    rng = random.Random(seed)
    progs = []
    n = 0
    while n < total:
        items = make_stream(rng, classes, min(STREAM_LEN, total - n))
        progs.append((rng.getrandbits(64), items))
        n += sum(len(it) for _c, it in items)
    with tempfile.TemporaryDirectory(prefix='difftest') as tmp:
        elfs = []
        for k, (vseed, items) in enumerate(progs):
            code, data, _, _ = program(vseed, items)
            path = os.path.join(tmp, 'p%d.elf' % k)
            write_elf(path, code, data)
            elfs.append(path)
        ref = run_qemu(elfs)
        got = run_tandem(runner, elfs)
        bad = [k for k in range(len(elfs)) if ref[k] != got[k]]
        if not bad:
            print('difftest: %d programs, %d instructions: all match' % (len(elfs), n))
            return 0
        k = bad[0]
        vseed, items = progs[k]
        print('difftest: MISMATCH in program %d of %d (seed %d)' % (k, len(elfs), seed))
        # Bisect on the number of stream items until the first divergence.
        lo, hi = 0, len(items)          # prefix lo matches, prefix hi differs

        def differs(m):
            code, data, _, _ = program(vseed, items[:m])
            path = os.path.join(tmp, 'bisect.elf')
            write_elf(path, code, data)
            return run_qemu([path])[0] != run_tandem(runner, [path])[0], path

        while hi - lo > 1:
            mid = (lo + hi) // 2
            if differs(mid)[0]:
                hi = mid
            else:
                lo = mid
        d, path = differs(hi)
        code, _, npro, owner = program(vseed, items[:hi])
        cls, item = items[hi - 1]
        print('difftest: first differing instruction group: item %d (class %s):' % (hi - 1, cls))
        first = npro + owner.index(hi - 1)
        for j in range(len(item)):
            w = code[first + j]
            print('  0x%08x: %08x  %s' % (CODE_VA + 4 * (first + j), w, disas(w)))
        a = run_qemu([path])[0]
        b = run_tandem(runner, [path])[0]
        print('difftest: state after it (qemu vs tandem):')
        print(diff_text(a, b))
        return 1


if __name__ == '__main__':
    sys.exit(main())
