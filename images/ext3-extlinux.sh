#!/bin/bash
# MBR disk with one ext3 partition holding /boot/extlinux/extlinux.conf.
. "$(dirname "$0")/lib.sh"
out=$1
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
stage_kernel "$w/src/boot" 3.2.0-4
mkdir -p "$w/src/boot/extlinux"
cat > "$w/src/boot/extlinux/extlinux.conf" <<CFG
DEFAULT linux
TIMEOUT 50
LABEL linux
  KERNEL /boot/vmlinuz-3.2.0-4
  APPEND initrd=/boot/initrd.img-3.2.0-4 root=/dev/xvda1 ro console=hvc0
CFG
fs_from_dir ext3 "$w/src" 16 "$w/fs.img"
disk_new "$out" 20 dos "start=2048, type=83"
disk_put "$out" 1 "$w/fs.img"
keep_files "$out" "$w/src/boot"
