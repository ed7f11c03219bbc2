#!/usr/bin/env python3
"""Seeds for fuzz_uki and the UKI image recipe: small PE images shaped like
ukify's output (a DOS stub, PE32+ headers, sections .osrel .cmdline .uname
.initrd .linux; optionally .profile sections).  Usage:
  gen_uki_corpus.py OUTDIR            seeds into OUTDIR
  gen_uki_corpus.py --one OUT KERNEL INITRD CMDLINE   one UKI file"""
import struct, sys

def pe(sections, file_align=0x200):
    """sections: list of (name, bytes); returns the image bytes."""
    nsec = len(sections)
    optsz = 240                      # PE32+ optional header with 16 directories
    pe_off = 0x80
    hdr_end = pe_off + 4 + 20 + optsz + 40 * nsec
    first = (hdr_end + file_align - 1) // file_align * file_align
    out = bytearray(first)
    out[0:2] = b"MZ"
    struct.pack_into("<I", out, 0x3c, pe_off)
    out[pe_off:pe_off + 4] = b"PE\0\0"
    struct.pack_into("<HHIIIHH", out, pe_off + 4, 0x8664, nsec, 0, 0, 0, optsz, 0x22)
    struct.pack_into("<H", out, pe_off + 24, 0x20b)   # PE32+ magic
    table = pe_off + 24 + optsz
    va = 0x1000
    for i, (name, data) in enumerate(sections):
        off = len(out)
        raw = (len(data) + file_align - 1) // file_align * file_align
        struct.pack_into("<8sIIII", out, table + 40 * i, name.encode(), len(data), va, raw, off)
        out += data + b"\0" * (raw - len(data))
        va += (len(data) + 0xfff) // 0x1000 * 0x1000 + 0x1000
    return bytes(out)

def osrel():
    return b'NAME="Test Linux"\nID=testlinux\nVERSION_ID=1\nPRETTY_NAME="Test Linux 1"\n'

if len(sys.argv) == 6 and sys.argv[1] == "--one":
    k = open(sys.argv[3], "rb").read()
    i = open(sys.argv[4], "rb").read()
    img = pe([(".osrel", osrel()), (".cmdline", sys.argv[5].encode() + b"\0"),
              (".uname", b"6.1.0-2"), (".initrd", i), (".linux", k)])
    open(sys.argv[2], "wb").write(img)
    sys.exit(0)
d = sys.argv[1]
seeds = {
    "seed-ukify": pe([(".osrel", osrel()), (".cmdline", b"root=/dev/xvda1 ro\0"),
                      (".uname", b"6.1.0"), (".initrd", b"INITRD" * 50), (".linux", b"MZkernel" * 100)]),
    "seed-no-linux": pe([(".text", b"\x90" * 64), (".sdmagic", b"#### LoaderInfo: systemd-boot ####")]),
    "seed-profiles": pe([(".osrel", osrel()), (".linux", b"K" * 300), (".cmdline", b"base\0"),
                         (".profile", b"ID=default\n"), (".cmdline", b"profile0\0"),
                         (".profile", b"ID=debug\n"), (".cmdline", b"debug\0"), (".linux", b"D" * 10)]),
    "seed-dup-sections": pe([(".linux", b"A" * 10), (".linux", b"B" * 20), (".initrd", b"")]),
}
for name, data in seeds.items():
    open(f"{d}/{name}", "wb").write(data)
bad = bytearray(seeds["seed-ukify"])
struct.pack_into("<I", bad, 0x80 + 24 + 240 + 40 * 4 + 20, 0x7fffffff)   # .linux past the end
open(f"{d}/seed-past-end", "wb").write(bytes(bad))
