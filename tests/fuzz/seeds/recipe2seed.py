#!/usr/bin/env python3
# recipe2seed.py FLAGS OUT IMAGE [IMAGE2]: a fuzz_pipeline seed from disk
# images built by a recipe in images/: the flags byte (see fuzz_pipeline.c),
# then each image in the compact DLSB form (two disks: u32 length of the
# first).  To keep the seed small, long runs of non-zero bytes (file
# contents: kernels, initrds) are cut to their first bytes until the seed
# fits in LIMIT bytes; metadata is made of short runs and stays whole.
import os, struct, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dlsb

LIMIT = 48 * 1024

def cut(img, keep):
    """img with every non-zero run longer than keep bytes cut to keep bytes."""
    b = bytearray(img)
    n, i = len(b), 0
    while i < n:
        if not b[i]:
            i += 1
            continue
        j = i
        while j < n and (b[j] or any(b[j:j + 33])):
            j += 1
        if j - i > keep:
            b[i + keep:j] = bytes(j - i - keep)
        i = j
    return bytes(b)

def small(img, limit):
    seed = dlsb.encode(img)
    keep = 8192
    while len(seed) > limit and keep >= 64:
        seed = dlsb.encode(cut(img, keep))
        keep //= 2
    return seed

flags, out, imgs = int(sys.argv[1], 0), sys.argv[2], sys.argv[3:]
parts = [small(open(p, 'rb').read(), LIMIT // len(imgs)) for p in imgs]
if len(parts) == 2:
    flags |= 16
    data = struct.pack('<I', len(parts[0])) + parts[0] + parts[1]
else:
    data = parts[0]
open(out, 'wb').write(bytes([flags]) + data)
print('%s: %d bytes' % (os.path.basename(out), len(data) + 1))
