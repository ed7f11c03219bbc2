#!/bin/bash
# RHEL-style guest: /boot inside the root LV of VG "guestvg" on xvda2 (an
# MBR partition), with a swap LV and a small xvda1.  Arguments: none.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvmlib.sh"
out=$1
w=$(mktemp -d); trap 'lvm_cleanup; rm -rf "$w"' EXIT
root_tree "$w/root"
stage_kernel "$w/root/boot" 6.1.0-1
stage_kernel "$w/root/boot" 6.1.0-2
grub2_cfg "$w/root/boot/grub2/grub.cfg" "/boot"
sed -i 's|root=/dev/xvda2|root=/dev/mapper/guestvg-root|' "$w/root/boot/grub2/grub.cfg"
fs_from_dir ext4 "$w/root" 24 "$w/root.img" -L guestroot
disk_new "$out" 64 dos "start=2048, size=4096, type=83
start=6144, type=8e"
lvm_loop l "$out" $((6144 * 512)) $(( (131072 - 6144) * 512 ))
lvm_conf
lvm pvcreate -q "$l"
lvm vgcreate -q -s 4M guestvg "$l"
lv_new guestvg swap 8M
lv_new guestvg root 28M
lv_write guestvg root "$w/root.img"
keep_files "$out" "$w/root/boot"
cp "$w/root.img" "$out.files/fs.img"
