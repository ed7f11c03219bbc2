#!/usr/bin/env python3
# sparsify.py IMAGE OUT: write IMAGE in the "DLSP" sparse seed format of
# tests/fuzz/fs_common.h (only its non-zero 4 KiB blocks, in runs).
import struct, sys
d = open(sys.argv[1], 'rb').read()
n = (len(d) + 4095) // 4096
assert n <= 8192, "image too big for a sparse seed"
out = [b'DLSP', struct.pack('<I', n)]
i = 0
while i < n:
    if not any(d[i*4096:(i+1)*4096]):
        i += 1
        continue
    j = i
    while j < n and any(d[j*4096:(j+1)*4096]):
        j += 1
    out += [struct.pack('<II', i, j - i), d[i*4096:j*4096].ljust((j - i) * 4096, b'\0')]
    i = j
open(sys.argv[2], 'wb').write(b''.join(out))
