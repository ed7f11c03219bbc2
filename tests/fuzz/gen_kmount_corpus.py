#!/usr/bin/env python3
"""Seeds for fuzz_kmount: --mount requests as the parsing side encodes them
(src/mount/table.c: header, name, fs type, extents, stripes, path)."""
import os, struct, sys

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus", "kmount")
os.makedirs(out, exist_ok=True)
MIB = 1 << 20

def req(what, name, fstype, exts, path):
    stripes = [s for e in exts for s in e.get("stripes", [])]
    size = sum(e["len"] for e in exts)
    b = struct.pack("<6IQ", what, len(name), len(fstype), len(exts), len(stripes), len(path), size)
    b += name + fstype
    for e in exts:
        b += struct.pack("<4Q2I", e["off"], e["len"], e.get("disk_off", 0), e.get("chunk", 0),
                         e.get("disk", 0), len(e.get("stripes", [])))
    for disk, off in stripes:
        b += struct.pack("<Q2I", off, disk, 0)
    return b + path

seeds = {
    "partition": req(0, b"xvda2", b"ext4", [dict(off=0, len=16 * MIB, disk_off=MIB)], b"/"),
    "lv-two-disks": req(1, b"/dev/vg/root", b"xfs",
                        [dict(off=0, len=4 * MIB, disk_off=2 * MIB),
                         dict(off=4 * MIB, len=4 * MIB, disk=1, disk_off=MIB)], b"/boot/vmlinuz"),
    "striped": req(2, b"/dev/stripevg/data", b"ext4",
                   [dict(off=0, len=16 * MIB, chunk=65536, stripes=[(0, 4 * MIB), (1, 21 * MIB)]),
                    dict(off=16 * MIB, len=MIB, disk_off=40 * MIB)], b"/boot/grub"),
    "past-end": req(0, b"xvda1", b"ext4", [dict(off=0, len=MIB, disk_off=(1 << 30))], b"/"),
    "gap": req(0, b"xvda1", b"btrfs", [dict(off=0, len=MIB), dict(off=2 * MIB, len=MIB)], b"/"),
}
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
