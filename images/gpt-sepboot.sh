#!/bin/bash
# GPT disk: partition 1 = separate /boot (ext4, grub.cfg paths relative to
# /boot, as grub-mkconfig writes them), partition 2 = root (ext4).
. "$(dirname "$0")/lib.sh"
out=$1 def=${2:-0}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
stage_kernel "$w/boot" 6.1.0-1
stage_kernel "$w/boot" 6.1.0-2
grub2_cfg "$w/boot/grub/grub.cfg" "" "$def"
root_tree "$w/root"
fs_from_dir ext4 "$w/boot" 16 "$w/boot.img"
fs_from_dir ext4 "$w/root" 16 "$w/root.img"
disk_new "$out" 40 gpt "start=2048, size=32768, type=L, name=boot
start=34816, size=32768, type=L, name=root"
disk_put "$out" 1 "$w/boot.img"
disk_put "$out" 2 "$w/root.img"
keep_files "$out" "$w/boot"
