#!/bin/bash
# MBR disk: a primary data partition, then an extended partition with two
# logical ones; the kernel and menu.lst-free grub.cfg live on the last
# logical partition (xvda6), which pygrub cannot see.
. "$(dirname "$0")/lib.sh"
out=$1
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
mkdir -p "$w/data"; echo data > "$w/data/README"
stage_kernel "$w/boot" 6.1.0-1
stage_kernel "$w/boot" 6.1.0-2
grub2_cfg "$w/boot/grub/grub.cfg" ""
fs_from_dir ext4 "$w/data" 8 "$w/data.img"
fs_from_dir ext4 "$w/boot" 8 "$w/boot.img"
disk_new "$out" 40 dos "start=2048, size=16384, type=83
start=18432, size=61440, type=5
start=20480, size=16384, type=83
start=38912, size=16384, type=83"
disk_put "$out" 1 "$w/data.img"
disk_put "$out" 5 "$w/data.img"
disk_put "$out" 6 "$w/boot.img"
keep_files "$out" "$w/boot"
