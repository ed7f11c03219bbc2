#!/usr/bin/env python3
# Regenerates tests/fuzz/corpus/frames/seed-*: byte streams a parser child
# could send (src/sandbox/proto.h), the first byte choosing how the harness
# splits them.  The RESULT payload follows the field order of
# DL_RESULT_FIELDS in src/result.h: after adding a field there, add it to
# result() below and rerun this script.
import os
import struct

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "frames")
LOG, LISTING, BEGIN, DATA, COPY, END, RESULT, DONE, ERROR, CALL, ANSWER, WDATA = range(1, 13)
ABSENT = 0xFFFFFFFF


def frame(t, p=b""):
    return struct.pack("<II", t, len(p)) + p


def s(x):
    return struct.pack("<I", ABSENT) if x is None else struct.pack("<I", len(x)) + x


def lst(items):
    return struct.pack("<I", len(items)) + b"".join(s(x) for x in items)


def result(args=b"root=/dev/xvda1 ro quiet", title=b"Debian", eid=b"gnulinux-simple", idx=0,
           edited=0, config=b"xvda1:/boot/grub/grub.cfg", fmt=b"grub2", vol=b"xvda1",
           kernel=b"xvda1:/vmlinuz", ramdisk=b"xvda1:/initrd.img", have=1, kfmt=b"bzImage",
           kver=b"6.1.0-13-amd64", kcomp=b"zstd", pv=1, pvh=1, gtype=b"pvh", mods=(), margs=()):
    return (s(args) + s(title) + s(eid) + struct.pack("<iI", idx, edited) + s(config) + s(fmt) + s(vol) +
            s(kernel) + s(ramdisk) + struct.pack("<I", have) + s(kfmt) + s(kver) + s(kcomp) +
            struct.pack("<II", pv, pvh) + s(gtype) + lst(mods) + lst(margs))


def seed(name, chunk, frames):
    with open(os.path.join(out, "seed-" + name), "wb") as f:
        f.write(bytes([chunk]) + b"".join(frames))


seed("valid-extract", 7, [
    frame(LOG, struct.pack("<I", 3) + b"hello"), frame(BEGIN, struct.pack("<I", 0)),
    frame(DATA, b"KERNEL"), frame(COPY, struct.pack("<IIQQ", 0, 0, 512, 100)), frame(END),
    frame(BEGIN, struct.pack("<I", 1)), frame(DATA, b"INITRD"), frame(END),
    frame(RESULT, result()), frame(DONE)])
seed("window-extract", 7, [
    frame(BEGIN, struct.pack("<I", 0)), frame(WDATA, struct.pack("<I", 4096)),
    frame(WDATA, struct.pack("<I", 1 << 20)), frame(COPY, struct.pack("<IIQQ", 0, 0, 512, 100)),
    frame(WDATA, struct.pack("<I", 1)), frame(WDATA, struct.pack("<I", 7)), frame(END),
    frame(BEGIN, struct.pack("<I", 1)), frame(WDATA, struct.pack("<I", (1 << 20) + 1)), frame(END),
    frame(RESULT, result()), frame(DONE)])
seed("result-minimal", 63, [
    frame(RESULT, result(None, None, None, -1, 0, None, None, None, None, None, 0, None, None,
                         None, 0, 0, None)),
    frame(DONE)])
MODS = [b"xvda1:/vmlinuz", b"xvda1:/initrd.img"]
seed("multiboot", 7, [
    frame(BEGIN, struct.pack("<I", 0)), frame(DATA, b"XEN"), frame(END),
    frame(BEGIN, struct.pack("<I", 2)), frame(DATA, b"LINUX"), frame(END),
    frame(BEGIN, struct.pack("<I", 2)), frame(COPY, struct.pack("<IIQQ", 0, 0, 512, 100)), frame(END),
    frame(RESULT, result(mods=MODS, margs=[b"placeholder root=/dev/xvda1", b""])), frame(DONE)])
seed("modules-uneven", 7, [frame(RESULT, result(mods=MODS, margs=[b"x"])), frame(DONE)])
seed("modules-too-many", 5, [frame(BEGIN, struct.pack("<I", 2)), frame(END)] * 17 + [frame(DONE)])
seed("module-args-newline", 5, [frame(RESULT, result(mods=MODS[:1], margs=[b"a\nb"])), frame(DONE)])
seed("args-newline", 5, [frame(RESULT, result(args=b"ro\nkernel /etc/shadow")), frame(DONE)])
seed("args-control", 5, [frame(RESULT, result(args=b"ro\x1b[2J")), frame(DONE)])
seed("result-nul", 5, [frame(RESULT, result(title=b"a\0b")), frame(DONE)])
seed("result-short", 5, [frame(RESULT, result()[:-3]), frame(DONE)])
seed("result-index", 5, [frame(RESULT, result(idx=-7)), frame(DONE)])
seed("result-bool", 5, [frame(RESULT, result(have=2)), frame(DONE)])
