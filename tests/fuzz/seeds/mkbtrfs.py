#!/usr/bin/env python3
# Hand-built tiny btrfs images for fuzz_btrfs (and fuzz_pipeline), written as
# compact DLSB seeds: mkfs.btrfs cannot make the shapes the readers get wrong
# (compressed extents sharing disk bytes, inline and regular extents in one
# file, trees several levels deep with one item per leaf), and its smallest
# image is ~100 MiB of mostly zeros.
# Usage: mkbtrfs.py OUTDIR [raw]   (raw: also write the images as NAME.img)
#        mkbtrfs.py --image OUT [flat|levels|subvol|jobs|refused]
# (jobs: levels, with /many/f-7 six whole zstd and zlib extents; refused:
# flat, with /boot/enc plain extents around one marked encrypted)
import os, struct, subprocess, sys, zlib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dlsb

NODE = 4096
INODE, INODE_REF, DIR_ITEM, DIR_INDEX, EXTENT_DATA, ROOT_ITEM, CHUNK_ITEM = 1, 12, 84, 96, 108, 132, 228

def crc32c(crc, data):
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82f63b78 if crc & 1 else crc >> 1
    return crc

def name_hash(name):
    return crc32c(0xfffffffe, name)

def key(oid, typ, off):
    return struct.pack('<QBQ', oid, typ, off)

def inode_item(mode, size, nlink=1):
    b = bytearray(160)
    struct.pack_into('<QQQQQIIII', b, 0, 1, 1, size, size, 0, nlink, 0, 0, mode)
    return bytes(b)

def dir_entry(child, name, ftype, loc_type=INODE):
    return key(child, loc_type, 0) + struct.pack('<QHHB', 1, 0, len(name), ftype) + name

def root_item(bytenr, level):
    b = bytearray(239)
    b[0:160] = inode_item(0o40755, 3)
    struct.pack_into('<QQQ', b, 160, 1, 256, bytenr)
    b[238] = level
    return bytes(b)

def fext_inline(data, ram=None, comp=0):
    return struct.pack('<QQBBHB', 1, len(data) if ram is None else ram, comp, 0, 0, 0) + data

def fext_reg(disk, disk_len, off, num, ram, comp=0, typ=1, enc=0):
    return struct.pack('<QQBBHB', 1, ram, comp, enc, 0, typ) + struct.pack('<QQQQ', disk, disk_len, off, num)

def chunk(length, phys):
    return struct.pack('<QQQQIIIHH', length, 2, 65536, 1 | 2 | 4, NODE, NODE, NODE, 1, 0) + \
        struct.pack('<QQ', 1, phys) + bytes(16)

class Image:
    def __init__(self, size):
        self.b = bytearray(size)
        self.data = 0x20000          # file data from here, tree blocks at 0x40000+
        self.next = 0x40000

    def alloc(self):
        at = self.next
        assert at + NODE <= len(self.b)
        self.next += NODE
        return at

    def put_data(self, data):
        at = self.data
        self.b[at:at + len(data)] = data
        self.data += (len(data) + 4095) // 4096 * 4096
        return at

    def leaf(self, owner, items):
        at = self.alloc()
        n = self.b
        struct.pack_into('<QQ', n, at + 48, at, 1)
        struct.pack_into('<QQI', n, at + 80, 1, owner, len(items))
        n[at + 100] = 0
        end = NODE - 101
        for i, (k, d) in enumerate(sorted(items, key=lambda kd: struct.unpack('<QBQ', kd[0]))):
            end -= len(d)
            assert end >= 25 * len(items)
            p = at + 101 + i * 25
            n[p:p + 17] = k
            struct.pack_into('<II', n, p + 17, end, len(d))
            n[at + 101 + end:at + 101 + end + len(d)] = d
        return at, 0, sorted(items, key=lambda kd: struct.unpack('<QBQ', kd[0]))[0][0]

    def node(self, owner, children):
        """children: (bytenr, level, first key) of the level below."""
        at = self.alloc()
        level = children[0][1] + 1
        struct.pack_into('<QQ', self.b, at + 48, at, 1)
        struct.pack_into('<QQI', self.b, at + 80, 1, owner, len(children))
        self.b[at + 100] = level
        for i, (c, _, k) in enumerate(children):
            p = at + 101 + i * 33
            self.b[p:p + 17] = k
            struct.pack_into('<QQ', self.b, p + 17, c, 1)
        return at, level, children[0][2]

    def tree(self, owner, items, per_leaf, fanout):
        """A tree of the items: per_leaf items a leaf, fanout children a node."""
        items = sorted(items, key=lambda kd: struct.unpack('<QBQ', kd[0]))
        level = [self.leaf(owner, items[i:i + per_leaf]) for i in range(0, len(items), per_leaf)]
        while len(level) > 1:
            level = [self.node(owner, level[i:i + fanout]) for i in range(0, len(level), fanout)]
        return level[0]

    def superblock(self, root, chunk_root):
        s = bytearray(4096)
        size = len(self.b)
        struct.pack_into('<QQ', s, 48, 0x10000, 0)
        s[64:72] = b'_BHRfS_M'
        struct.pack_into('<QQQ', s, 72, 1, root[0], chunk_root[0])
        struct.pack_into('<QQQQ', s, 112, size, size, 6, 1)
        struct.pack_into('<IIII', s, 144, NODE, NODE, NODE, NODE)
        arr = key(256, CHUNK_ITEM, 0) + chunk(size, 0)
        struct.pack_into('<I', s, 160, len(arr))
        s[198], s[199] = root[1], chunk_root[1]
        struct.pack_into('<Q', s, 201, 1)
        s[811:811 + len(arr)] = arr
        self.b[0x10000:0x11000] = s

def zstd(data):
    return subprocess.run(['zstd', '-q', '-c', '--no-check', '--stream-size=%d' % len(data)], input=data, stdout=subprocess.PIPE,
                          check=True).stdout

class Files:
    """Inodes and directory entries of one subvolume."""
    def __init__(self):
        self.items, self.next, self.index = [], 257, {}
        self.items.append((key(256, INODE, 0), inode_item(0o40755, 0, 1)))

    def add(self, parent, name, mode, size=0, oid=None, loc_type=INODE):
        oid = oid or self.next
        if oid == self.next:
            self.next += 1
        ft = {0o040000: 2, 0o100000: 1, 0o120000: 7}[mode & 0o170000]
        e = dir_entry(oid, name, ft, loc_type)
        self.items.append((key(parent, DIR_ITEM, name_hash(name)), e))
        i = self.index.get(parent, 2)
        self.index[parent] = i + 1
        self.items.append((key(parent, DIR_INDEX, i), e))
        if loc_type == INODE:
            self.items.append((key(oid, INODE, 0), inode_item(mode, size)))
            self.items.append((key(oid, INODE_REF, parent), struct.pack('<QH', i, len(name)) + name))
        return oid

    def extent(self, oid, off, d):
        self.items.append((key(oid, EXTENT_DATA, off), d))

GRUB = b'set default=0\nmenuentry "Tiny" {\n linux /vmlinuz root=/dev/xvda\n initrd /tiny\n}\n'

U = 1024                 # extent unit: small, so seeds stay a few KiB

def populate(img, f, variant):
    boot = f.add(256, b'boot', 0o40755)
    grub2 = f.add(boot, b'grub2', 0o40755)
    cfgz = zlib.compress(GRUB)
    f.extent(f.add(grub2, b'grub.cfg', 0o100644, len(GRUB)), 0, fext_inline(cfgz, len(GRUB), 1))
    # vmlinuz: two zlib extents sharing the same disk bytes (same ram_bytes),
    # then a plain extent into the middle of them (reflink-style).
    kern = (bytes(range(1, 256)) * 9)[:2 * U]                    # 2 KiB: extents of U
    kz = img.put_data(zlib.compress(kern))
    klen = len(zlib.compress(kern))
    v = f.add(256, b'vmlinuz', 0o100644, 3 * U + 2*U)
    f.extent(v, 0, fext_reg(kz, klen, 0, 2*U, 2*U, 1))
    f.extent(v, 2*U, fext_reg(kz, klen, U, U, 2*U, 1))
    raw = img.put_data(kern)
    f.extent(v, 3*U, fext_reg(raw, 2*U, U, U, 2*U))
    f.extent(v, 4*U, fext_reg(raw, 2*U, 0, U, 2*U))
    # tiny: inline bytes, then a regular extent (a mix btrfs itself avoids).
    t = f.add(256, b'tiny', 0o100644, U + 100)
    f.extent(t, 0, fext_inline(b'tiny\n' * 8))
    f.extent(t, U, fext_reg(raw, U, 0, U, U))
    # boot/big: regular, hole, prealloc, zstd, inline-compressed tail.
    big = b''.join(b'%d\n' % i for i in range(600))
    bz = zstd(big[:U])
    b = f.add(boot, b'big', 0o100644, 5 * U + 40)
    d = img.put_data(big[:2*U])
    f.extent(b, 0, fext_reg(d, 2*U, 0, U, 2*U))
    f.extent(b, 2*U, fext_reg(d, 2*U, U, U, 2*U, typ=2))
    f.extent(b, 3*U, fext_reg(img.put_data(bz), len(bz), 0, U, U, 3))
    f.extent(b, 4*U, fext_reg(kz, klen, 0, U, 2*U, 1))   # shares vmlinuz's disk bytes
    f.extent(b, 5*U, fext_inline(zlib.compress(b'x' * 40), 40, 1))
    f.extent(f.add(256, b'abs', 0o120777, 9), 0, fext_inline(b'/boot/big'))
    many = f.add(256, b'many', 0o40755)
    f7 = b''.join(b'%d,' % (i * 7) for i in range(2000))[:6 * U]
    for i in range(1, 9):
        name = b'f-%d' % i
        if variant == 'jobs' and i == 7:
            # jobs: f-7 is six whole compressed extents, zstd and zlib in
            # turn (decompressed half by the helper thread in one read)
            m = f.add(many, name, 0o100644, 6 * U)
            for k in range(6):
                part = f7[k * U:(k + 1) * U]
                z = zstd(part) if k % 2 == 0 else zlib.compress(part)
                f.extent(m, k * U, fext_reg(img.put_data(z), len(z), 0, U, U, 3 if k % 2 == 0 else 1))
            continue
        f.extent(f.add(many, name, 0o100644, len(name)), 0, fext_inline(name))
    if variant == 'refused':
        # refused: /boot/enc is 2 KiB of plain extents, 1 KiB marked
        # encrypted (no reader decodes it), then 1 KiB plain again
        e = f.add(boot, b'enc', 0o100644, 4 * U)
        d = img.put_data(big[:4*U])
        f.extent(e, 0, fext_reg(d, 4*U, 0, 2*U, 4*U))
        f.extent(e, 2*U, fext_reg(d, 4*U, 2*U, U, 4*U, enc=1))
        f.extent(e, 3*U, fext_reg(d, 4*U, 3*U, U, 4*U))
    return {'vmlinuz': kern + kern[U:] + kern[U:] + kern[:U],
            'tiny': b'tiny\n' * 8 + bytes(U - 40) + kern[:100],
            'big': big[:U] + bytes(2 * U) + big[:U] + kern[:U] + b'x' * 40,
            'f-7': f7 if variant == 'jobs' else b'f-7'}

def build(variant):
    img = Image(0x200000)
    f = Files()
    files = populate(img, f, variant)
    fs_items = f.items
    root_items = [(key(5, ROOT_ITEM, 0), None)]
    if variant == 'subvol':
        # the default subvolume 256, its tree holding the files, the top
        # level holding only a link to it
        sub = img.tree(256, fs_items, 12, 8)
        top = Files()
        top.add(256, b'sv', 0o40755, oid=256, loc_type=ROOT_ITEM)
        top_tree = img.tree(5, top.items, 64, 8)
        root_items = [(key(5, ROOT_ITEM, 0), root_item(top_tree[0], top_tree[1])),
                      (key(256, ROOT_ITEM, 0), root_item(sub[0], sub[1])),
                      (key(6, DIR_ITEM, name_hash(b'default')),
                       dir_entry(256, b'default', 2, ROOT_ITEM))]
        rt = img.tree(1, root_items, 64, 8)
    else:
        per_leaf, fanout = (12, 8) if variant == 'flat' else (4, 2)
        fs = img.tree(5, fs_items, per_leaf, fanout)
        root_items = [(key(5, ROOT_ITEM, 0), root_item(fs[0], fs[1]))]
        rt = img.tree(1, root_items + [(key(7, ROOT_ITEM, 0), root_item(fs[0], fs[1]))],
                      1 if variant == 'levels' else 64, 2)
    size = img.next + NODE
    ct = img.tree(3, [(key(256, CHUNK_ITEM, 0), chunk(size, 0))], 64, 8)
    assert img.data <= 0x40000, 'file data overflows into the trees'
    del img.b[size:]
    img.superblock(rt, ct)
    return bytes(img.b), files

if __name__ == '__main__' and sys.argv[1] == '--image':
    # mkbtrfs.py --image OUT [VARIANT]: the raw image, and the bytes its
    # files must read as in OUT.files/ (images/btrfs-extents.sh)
    img, files = build(sys.argv[3] if len(sys.argv) > 3 else 'flat')
    open(sys.argv[2], 'wb').write(img)
    os.makedirs(sys.argv[2] + '.files', exist_ok=True)
    for name, data in files.items():
        open(os.path.join(sys.argv[2] + '.files', name), 'wb').write(data)
elif __name__ == '__main__':
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for v in ('flat', 'levels', 'subvol', 'jobs'):
        img = build(v)[0]
        if len(sys.argv) > 2:
            open(os.path.join(out, 'hb-%s.img' % v), 'wb').write(img)
        open(os.path.join(out, 'seed-hb-%s' % v), 'wb').write(dlsb.encode(img))
