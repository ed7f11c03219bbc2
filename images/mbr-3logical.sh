#!/bin/bash
# MBR: a primary data partition and an extended partition holding three
# logical partitions (xvda5-7); /boot with grub.cfg and the kernel is on the
# last one, xvda7.  OUT.files/ has the boot files and boot.img (the
# filesystem written to xvda7).
. "$(dirname "$0")/lib.sh"
out=$1
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
mkdir -p "$w/data"; echo data > "$w/data/README"
stage_kernel "$w/boot" 6.1.0-2
grub2_cfg "$w/boot/grub/grub.cfg" ""
sed -i 's|root=/dev/xvda2|root=/dev/xvda6|' "$w/boot/grub/grub.cfg"
fs_from_dir ext4 "$w/data" 4 "$w/data.img" -L data
fs_from_dir ext4 "$w/boot" 8 "$w/boot.img" -L boot
disk_new "$out" 48 dos "start=2048, size=8192, type=83
start=10240, size=86016, type=5
start=12288, size=8192, type=83
start=22528, size=8192, type=82
start=32768, size=16384, type=83"
disk_put "$out" 1 "$w/data.img"
disk_put "$out" 5 "$w/data.img"
disk_put "$out" 7 "$w/boot.img"
keep_files "$out" "$w/boot"
cp "$w/boot.img" "$out.files/fs.img"
