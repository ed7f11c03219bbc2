#!/bin/bash
# A VG over two disk images: OUT (MBR, PV on xvda1) and OUT.files/disk2.img
# (PV on the whole disk).  The root LV starts on the first disk and continues
# on the second.  A second LV (home) lies on the second disk only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvmlib.sh"
out=$1
w=$(mktemp -d); trap 'lvm_cleanup; rm -rf "$w"' EXIT
root_tree "$w/root"
stage_kernel "$w/root/boot" 6.1.0-2 2048
grub2_cfg "$w/root/boot/grub/grub.cfg" "/boot"
fs_from_dir ext4 "$w/root" 24 "$w/root.img"
disk_new "$out" 16 dos "start=2048, type=8e"
truncate -s 24M "$w/disk2.img"
lvm_loop a "$out" $((2048 * 512)) $((16 * 1048576 - 2048 * 512))
lvm_loop b "$w/disk2.img" 0 $((24 * 1048576))
lvm_conf
lvm pvcreate -q "$a" "$b"
lvm vgcreate -q -s 1M vg0 "$a" "$b"
lv_new vg0 root 14M "$a"
lvm lvextend -q --driverloaded n -L 24M vg0/root "$b"
lv_new vg0 home 2M "$b"
lv_write vg0 root "$w/root.img"
lvm_cleanup
keep_files "$out" "$w/root/boot"
cp "$w/root.img" "$out.files/fs.img"
mv "$w/disk2.img" "$out.files/disk2.img"
