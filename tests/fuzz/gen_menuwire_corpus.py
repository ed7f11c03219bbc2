#!/usr/bin/env python3
"""Seeds for fuzz_menuwire: menus and choices in src/menu/wire.c's encoding
(host byte order: little-endian on the machines this runs on)."""
import os
import struct
import sys

ABSENT = 0xFFFFFFFF


def u32(v):
    return struct.pack('<I', v & 0xFFFFFFFF)


def s(v):
    if v is None:
        return u32(ABSENT)
    b = v.encode() if isinstance(v, str) else v
    return u32(len(b)) + b


def files(kernel, initrds, args):
    return s(kernel) + u32(len(initrds)) + b''.join(s(i) for i in initrds) + s(args)


def menu(items, default=0, timeout=5, style=0, locked=0, title='domuloader: /boot/grub/grub.cfg'):
    out = u32(0x314d4c44) + u32(len(items)) + u32(default) + u32(timeout) + u32(style)
    out += u32(locked) + s(title)
    for t, parent, flags, kernel, initrds, args in items:
        out += s(t) + u32(parent) + u32(flags) + files(kernel, initrds, args)
    return b'\x00' + out


def choice(nitems, index, edited, kernel=None, initrds=(), args=''):
    return bytes([(nitems << 1) | 1]) + u32(0x31434c44) + u32(index) + u32(edited) + \
        files(kernel, list(initrds), args)


DEBIAN = [
    ('Debian GNU/Linux', -1, 2, '/vmlinuz-6.1.0-2', ['/initrd.img-6.1.0-2'], 'root=/dev/xvda2 ro quiet'),
    ('Advanced options for Debian GNU/Linux', -1, 1, None, [], ''),
    ('Debian GNU/Linux, with Linux 6.1.0-2', 1, 2, '/vmlinuz-6.1.0-2', ['/initrd.img-6.1.0-2'], 'ro'),
    ('Debian GNU/Linux, with Linux 6.1.0-1', 1, 2, '(hd0,gpt1)/vmlinuz-6.1.0-1', [], 'ro single'),
    ('UEFI Firmware Settings', -1, 0, None, [], ''),
]

SEEDS = {
    'debian': menu(DEBIAN, default=0),
    'default_in_submenu': menu(DEBIAN, default=3, timeout=-1, style=1, locked=1, title=None),
    'hidden': menu(DEBIAN[:1], timeout=0, style=2),
    'hostile_titles': menu([('\x1b[2J\x07\xff\xfe title', -1, 2, '/k\x01', ['/i'] * 3, 'a\nb')]),
    'bad_parent': menu([('a', -1, 2, '/k', [], ''), ('b', 5, 2, '/k', [], '')]),
    'truncated': menu(DEBIAN)[:40],
    'choice_entry': choice(5, 3, 0),
    'choice_edited': choice(5, 0, 1, '/vmlinuz-6.1.0-2', ['/initrd.img-6.1.0-2'],
                            'root=/dev/xvda2 ro quiet single'),
    'choice_cmdline': choice(5, -1, 1, '(hd0,gpt1)/vmlinuz-X', [], 'root=/dev/xvda2'),
    'choice_control': choice(5, 0, 1, '/vmlinuz', [], 'a\x1bb'),
    'choice_relative': choice(5, 0, 1, 'vmlinuz', ['initrd'], ''),
    'choice_out_of_range': choice(2, 7, 0),
}

d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), 'corpus', 'menuwire')
os.makedirs(d, exist_ok=True)
for name, data in SEEDS.items():
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)
