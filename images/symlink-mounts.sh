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
gpt_boot_root "$out" "$w/boot" "$w/root" 8 20
keep_files "$out" "$w/boot"
