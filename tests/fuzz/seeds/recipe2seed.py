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

def small(img, limit):
    spans = dlsb.runs(img)
    seed = dlsb.encode(img, spans)
    keep = 8192
    while len(seed) > limit and keep >= 64:
        seed = dlsb.encode(img, [(s, min(e, s + keep)) for s, e in spans])
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
