#!/bin/bash
# An LV striped over two PVs (two GPT partitions), 64 KiB stripes, holding
# /boot and the kernel; a small linear LV first so the stripes do not start
# at extent 0.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvmlib.sh"
out=$1
w=$(mktemp -d); trap 'lvm_cleanup; rm -rf "$w"' EXIT
root_tree "$w/root"
stage_kernel "$w/root/boot" 6.1.0-2 300
grub2_cfg "$w/root/boot/grub/grub.cfg" "/boot"
fs_from_dir ext4 "$w/root" 16 "$w/root.img"
disk_new "$out" 64 gpt "start=2048, size=40960, type=E6D6D379-F507-44C2-A23C-238F2A3DF928
start=43008, size=40960, type=E6D6D379-F507-44C2-A23C-238F2A3DF928"
lvm_loop a "$out" $((2048 * 512)) $((40960 * 512))
lvm_loop b "$out" $((43008 * 512)) $((40960 * 512))
lvm_conf
lvm pvcreate -q "$a" "$b"
lvm vgcreate -q -s 1M stripevg "$a" "$b"
lv_new stripevg pad 3M "$a"
lv_new stripevg data 16M -i 2 -I 64k
lv_write stripevg data "$w/root.img"
keep_files "$out" "$w/root/boot"
cp "$w/root.img" "$out.files/fs.img"
