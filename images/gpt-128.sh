#!/bin/bash
# GPT with 128 partitions (a full default entry array); /boot on the last.
. "$(dirname "$0")/lib.sh"
out=$1
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
stage_kernel "$w/boot" 6.1.0-2
grub2_cfg "$w/boot/grub/grub.cfg" ""
fs_from_dir ext4 "$w/boot" 8 "$w/boot.img" -L boot128
lines=""
for i in $(seq 1 127); do lines="${lines}start=$((2048 + (i - 1) * 8)), size=8, name=p$i
"; done
lines="${lines}start=4096, size=16384, name=boot"
disk_new "$out" 16 gpt "$lines"
disk_put "$out" 128 "$w/boot.img"
keep_files "$out" "$w/boot"
cp "$w/boot.img" "$out.files/fs.img"
