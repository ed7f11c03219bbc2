#!/bin/bash
# A whole-disk ext2 filesystem (no partition table), GRUB legacy menu.lst.
. "$(dirname "$0")/lib.sh"
out=$1
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
stage_kernel "$w/boot" 2.6.32-5
mkdir -p "$w/boot/grub"
cat > "$w/boot/grub/menu.lst" <<CFG
default 0
timeout 5
title Debian GNU/Linux, kernel 2.6.32-5-xen-amd64
root (hd0)
kernel /boot/vmlinuz-2.6.32-5 root=/dev/xvda ro console=hvc0
initrd /boot/initrd.img-2.6.32-5
CFG
fs_from_dir ext2 "$w" 16 "$out"
keep_files "$out" "$w/boot"
