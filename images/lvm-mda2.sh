#!/bin/bash
# A whole-disk PV with two metadata areas (start and end of the PV) and two
# LVs; the filesystem is on the second LV.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvmlib.sh"
out=$1
w=$(mktemp -d); trap 'lvm_cleanup; rm -rf "$w"' EXIT
mkdir -p "$w/root"; echo hello > "$w/root/hello"
fs_from_dir ext4 "$w/root" 4 "$w/fs.img" -L second
rm -f "$out"; truncate -s 32M "$out"
lvm_loop l "$out" 0 $((32 * 1048576))
lvm_conf
lvm pvcreate -q --pvmetadatacopies 2 "$l"
lvm vgcreate -q -s 1M vgm "$l"
lv_new vgm a 4M
lv_new vgm b 4M
lv_write vgm b "$w/fs.img"
mkdir -p "$out.files"
cp "$w/fs.img" "$out.files/fs.img"
