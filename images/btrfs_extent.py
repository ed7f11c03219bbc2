#!/usr/bin/env python3
# btrfs_extent.py IMAGE NAME SHAPE: rewrite the file extents of the file
# called NAME in a single-device btrfs made by mkfs.btrfs --rootdir, into a
# hostile SHAPE no kernel writes (the reader must refuse it or read it
# safely).  Leaves are rebuilt in place; checksums are left stale (the
# reader does not verify them).  Shapes:
#   cache-ram  two zlib extents sharing disk bytes with different ram_bytes
#              (the second reads past the first one's decompressed length)
#   offset-wrap  a zlib extent whose offset is 2^64-16 (offset+pos wraps)
import struct, sys, zlib

img_path, name, shape = sys.argv[1], sys.argv[2].encode(), sys.argv[3]
img = bytearray(open(img_path, 'rb').read())
sb = 0x10000
assert img[sb + 0x40:sb + 0x48] == b'_BHRfS_M', "no btrfs superblock"
fsid = bytes(img[sb + 0x20:sb + 0x30])
nodesize = struct.unpack_from('<I', img, sb + 0x94)[0]
HDR, ITEM = 101, 25


def leaves():
    for off in range(0, len(img) - nodesize + 1, 4096):
        if img[off + 32:off + 48] == fsid and img[off + 100] == 0 and \
           struct.unpack_from('<Q', img, off + 88)[0] == 5:
            yield off


def items(off):
    n = struct.unpack_from('<I', img, off + 96)[0]
    out = []
    for i in range(n):
        p = off + HDR + i * ITEM
        oid, typ, koff, doff, dsz = struct.unpack_from('<QBQII', img, p)
        out.append([(oid, typ, koff), bytes(img[off + HDR + doff:off + HDR + doff + dsz])])
    return out


def write_leaf(off, its):
    its.sort(key=lambda x: x[0])
    room = nodesize - HDR - ITEM * len(its) - sum(len(d) for _, d in its)
    assert room >= 0, "leaf full"
    img[off + HDR:off + nodesize] = bytes(nodesize - HDR)
    end = nodesize - HDR
    for i, (k, d) in enumerate(its):
        end -= len(d)
        struct.pack_into('<QBQII', img, off + HDR + i * ITEM, k[0], k[1], k[2], end, len(d))
        img[off + HDR + end:off + HDR + end + len(d)] = d
    struct.pack_into('<I', img, off + 96, len(its))


ino = None
for off in leaves():
    for (oid, typ, koff), d in items(off):
        if typ == 12 and d[10:10 + struct.unpack_from('<H', d, 8)[0]] == name:
            ino = oid
assert ino, "no inode named %r" % name


def fext(ram, comp, disk, disk_len, offset, num):
    return struct.pack('<QQBBHBQQQQ', 7, ram, comp, 0, 0, 1, disk, disk_len, offset, num)


done = 0
for off in leaves():
    its = items(off)
    ext = [it for it in its if it[0][0] == ino and it[0][1] == 108]
    if not ext:
        continue
    d = ext[0][1]
    disk, disk_len = struct.unpack_from('<QQ', d, 21)
    # The file's plain bytes are on disk once: find them, replace them with
    # a zlib stream of the first 4 KiB.
    if done == 0:
        src = open(sys.argv[4], 'rb').read() if len(sys.argv) > 4 else None
        assert src, "need the file's bytes as 4th argument"
        at = img.find(src[:4096])
        assert at >= 0 and at % 4096 == 0, "file data not found"
        z = zlib.compress(src[:4096])
        assert len(z) <= disk_len
        img[at:at + len(z)] = z
    its = [it for it in its if not (it[0][0] == ino and it[0][1] == 108)]
    if shape == 'cache-ram':
        its.append([(ino, 108, 0), fext(4096, 1, disk, disk_len, 0, 4096)])
        its.append([(ino, 108, 4096), fext(65536, 1, disk, disk_len, 60000, 4096)])
    elif shape == 'offset-wrap':
        its.append([(ino, 108, 0), fext(4096, 1, disk, disk_len, (1 << 64) - 16, 4096)])
    else:
        sys.exit("unknown shape " + shape)
    write_leaf(off, its)
    done += 1
assert done, "no extent item for %r" % name
open(img_path, 'wb').write(img)
