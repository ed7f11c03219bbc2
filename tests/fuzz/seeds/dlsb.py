# The compact sparse seed format of tests/fuzz/fuzz_common.h
# (fuzz_unsparse): "DLSB", u32 image size, records {u32 off, u16 len, bytes}.
# Used by the seed generators in this directory.
import re, struct

GAP = 32

def runs(img, gap=GAP):
    """(start, end) of the non-zero byte runs of img, runs closer than gap
    zero bytes merged."""
    pat = re.compile(rb'[^\x00]+(?:\x00{1,%d}[^\x00]+)*' % gap)
    return [m.span() for m in pat.finditer(img)]

def encode(img, spans=None):
    """img (bytes) as a DLSB seed: its non-zero runs (or the given spans),
    each record at most 65535 bytes."""
    out = [b'DLSB', struct.pack('<I', len(img))]
    for s, e in (runs(img) if spans is None else spans):
        for i in range(s, e, 65535):
            j = min(e, i + 65535)
            out += [struct.pack('<IH', i, j - i), bytes(img[i:j])]
    return b''.join(out)
