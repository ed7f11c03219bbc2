#!/bin/bash
# Symlinks across the mounts of the running guest (no boot configuration):
# GPT, partition 1 = /boot (ext4), partition 2 = root (ext4) whose
# /vmlinuz, /initrd.img point into /boot, /kern an absolute link into
# /boot, /loop and /boot/loop point at each other across the mount, and
# /dangling into /boot where nothing is.
. "$(dirname "$0")/lib.sh"
out=$1
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
stage_kernel "$w/boot" 6.1.0-7
root_tree "$w/root"
ln -s boot/vmlinuz-6.1.0-7 "$w/root/vmlinuz"
ln -s ./boot/../boot/initrd.img-6.1.0-7 "$w/root/initrd.img"
ln -s /boot/vmlinuz-6.1.0-7 "$w/root/kern"
ln -s boot/loop "$w/root/loop"
ln -s ../loop "$w/boot/loop"
ln -s boot/nothing "$w/root/dangling"
fs_from_dir ext4 "$w/boot" 8 "$w/boot.img"
fs_from_dir ext4 "$w/root" 8 "$w/root.img"
disk_new "$out" 20 gpt "start=2048, size=16384, type=L, name=boot
start=18432, size=16384, type=L, name=root"
disk_put "$out" 1 "$w/boot.img"
disk_put "$out" 2 "$w/root.img"
keep_files "$out" "$w/boot"
