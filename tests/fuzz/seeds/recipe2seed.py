#!/usr/bin/env python3
# recipe2seed.py FLAGS OUT IMAGE [IMAGE2]: a fuzz_pipeline seed from disk
# images built by a recipe in images/: the flags byte (see fuzz_pipeline.c),
# then each image in the compact DLSB form (two disks: u32 length of the
# first).  To keep the seed small, file contents are dropped: every
# 512-byte block of the image equal to a block of a large file (64 KiB or
# more: kernels, initrds) the recipe staged
# (IMAGE.files/ but the disk images there, the first block of each file
# kept) is zeroed, so the metadata stays whole.  What is still over LIMIT
# (compressed data) has its long non-zero runs cut to their first bytes.
import os, struct, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dlsb

LIMIT = 64 * 1024

def drop_files(img, files_dir):
    """img with the 512-byte blocks that hold staged file contents zeroed."""
    blocks = set()
    for root, _, names in os.walk(files_dir):
        for name in names:
            p = os.path.join(root, name)
            if os.path.islink(p) or not os.path.isfile(p) or name.endswith('.qcow2') or \
                    name in ('fs.img', 'raw.img') or name.startswith('disk'):
                continue              # the recipe's own disk and filesystem images
            d = open(p, 'rb').read()
            if len(d) < 65536:
                continue              # configuration files: keep every byte
            for i in range(512, len(d) - 511, 512):
                blocks.add(d[i:i + 512])
    blocks.discard(bytes(512))
    if not blocks:
        return img
    b = bytearray(img)
    for s, e in dlsb.runs(img):
        for i in range(s - s % 512, e, 512):
            if bytes(b[i:i + 512]) in blocks:
                b[i:i + 512] = bytes(512)
    return bytes(b)

def small(img, limit):
    spans = dlsb.runs(img)
    seed = dlsb.encode(img, spans)
    keep = 8192
    while len(seed) > limit and keep >= 1024:
        seed = dlsb.encode(img, [(s, min(e, s + keep)) for s, e in spans])
        keep //= 2
    return seed

flags, out, imgs = int(sys.argv[1], 0), sys.argv[2], sys.argv[3:]
files = imgs[0] + '.files'
parts = [small(drop_files(open(p, 'rb').read(), files), LIMIT // len(imgs)) for p in imgs]
if len(parts) == 2:
    flags |= 16
    data = struct.pack('<I', len(parts[0])) + parts[0] + parts[1]
else:
    data = parts[0]
if len(data) > LIMIT:
    # metadata alone over the limit (mkfs.btrfs images): cut further, it
    # would not mount; such layouts get hand-built seeds instead
    print('%s: skipped, %d bytes of metadata' % (os.path.basename(out), len(data)))
    sys.exit(0)
open(out, 'wb').write(bytes([flags]) + data)
print('%s: %d bytes' % (os.path.basename(out), len(data) + 1))
