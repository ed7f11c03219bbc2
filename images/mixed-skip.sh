#!/bin/bash
# Volumes a bootloader must skip, before the one that boots: xvda1 swap,
# xvda2 a LUKS1 header (encrypted volume), xvda3 /boot (ext4).
. "$(dirname "$0")/lib.sh"
out=$1
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
stage_kernel "$w/boot" 6.1.0-2
grub2_cfg "$w/boot/grub/grub.cfg" ""
fs_from_dir ext4 "$w/boot" 8 "$w/boot.img" -L boot
truncate -s 4M "$w/swap.img"
mkswap -q -L guestswap "$w/swap.img" >/dev/null
truncate -s 4M "$w/luks.img"
printf 'LUKS\xba\xbe\x00\x01aes' | dd of="$w/luks.img" conv=notrunc status=none
printf '12345678-1234-1234-1234-123456789abc' | dd of="$w/luks.img" bs=1 seek=168 conv=notrunc status=none
disk_new "$out" 24 dos "start=2048, size=8192, type=82
start=10240, size=8192, type=83
start=18432, size=16384, type=83"
disk_put "$out" 1 "$w/swap.img"
disk_put "$out" 2 "$w/luks.img"
disk_put "$out" 3 "$w/boot.img"
keep_files "$out" "$w/boot"
