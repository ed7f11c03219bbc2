#!/bin/bash
# A whole-disk ext4 with a 2 MiB kernel and two initrds of 1.5 MiB each
# (3 MiB of ramdisk), for the size limits.
. "$(dirname "$0")/lib.sh"
out=$1
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
mkdir -p "$w/boot/grub"
fake_file "$w/boot/vmlinuz" big-kernel 2048
fake_file "$w/boot/ucode.img" ucode 1536
fake_file "$w/boot/initrd.img" initrd 1536
cat > "$w/boot/grub/grub.cfg" <<CFG
menuentry big {
	linux /boot/vmlinuz root=/dev/xvda ro
	initrd /boot/ucode.img /boot/initrd.img
}
CFG
fs_from_dir ext4 "$w" 16 "$out"
keep_files "$out" "$w/boot"
