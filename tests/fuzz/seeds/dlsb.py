# The compact sparse seed format of tests/fuzz/fuzz_common.h
# (fuzz_unsparse): "DLSB", u32 image size, records {u32 off, u16 len, bytes}.
# Used by the seed generators in this directory.
import struct

def encode(img, gap=32):
    """img (bytes) as a DLSB seed: its non-zero byte runs, runs closer
    than gap zero bytes merged, each at most 65535 bytes."""
    out = [b'DLSB', struct.pack('<I', len(img))]
    n, i = len(img), 0
    while i < n:
        if not img[i]:
            i += 1
            continue
        j, z = i, 0
        while j < n and j - i < 65535:
            if img[j]:
                z = 0
            else:
                z += 1
            j += 1
            if z > gap:
                break
        end = j - z
        out += [struct.pack('<IH', i, end - i), bytes(img[i:end])]
        i = j
    return b''.join(out)
