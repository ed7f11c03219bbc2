#!/bin/bash
# GPT disk: partition 1 = separate /boot (ext4, grub.cfg paths relative to
# /boot, as grub-mkconfig writes them), partition 2 = root (ext4) with
# Debian's /vmlinuz and /initrd.img symlinks.
. "$(dirname "$0")/lib.sh"
out=$1 def=${2:-0}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
stage_kernel "$w/boot" 6.1.0-1
stage_kernel "$w/boot" 6.1.0-2
grub2_cfg "$w/boot/grub/grub.cfg" "" "$def"
root_tree "$w/root"
# Debian's kernel packages link the newest and previous kernels in / (they
# point into /boot, a separate filesystem here), as --kernel=/vmlinuz uses them
ln -s boot/vmlinuz-6.1.0-2 "$w/root/vmlinuz"
ln -s boot/initrd.img-6.1.0-2 "$w/root/initrd.img"
ln -s boot/vmlinuz-6.1.0-1 "$w/root/vmlinuz.old"
ln -s boot/initrd.img-6.1.0-1 "$w/root/initrd.img.old"
gpt_boot_root "$out" "$w/boot" "$w/root"
keep_files "$out" "$w/boot"
