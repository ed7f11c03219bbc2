#!/bin/bash
# An openSUSE-like btrfs: subvolume @ holding /boot, a snapshot of it as the
# default subvolume, zstd- and zlib-compressed kernels and initrds.
# mkfs.btrfs 6.2 cannot make subvolumes or compress, so this recipe
# loop-mounts the image (root and a kernel with btrfs needed).
. "$(dirname "$0")/lib.sh"
out=$1
w=$(mktemp -d); m=$w/mnt
cleanup() { mountpoint -q "$m" && umount "$m"; rm -rf "$w"; }
trap cleanup EXIT
stage_kernel "$w/k" 6.1.0-2 900
fake_file "$w/k/vmlinuz-zlib" zlib-kernel 700
rm -f "$out"
truncate -s 300M "$out"
mkfs.btrfs -q -f "$out" >/dev/null 2>&1
mkdir "$m"
mount -o loop,compress-force=zstd "$out" "$m"
btrfs -q subvolume create "$m/@"
mkdir -p "$m/@/boot/grub2" "$m/@/.snapshots/1"
cp "$w/k/vmlinuz-6.1.0-2" "$w/k/initrd.img-6.1.0-2" "$m/@/boot/"
grub2_cfg "$m/@/boot/grub2/grub.cfg" "/boot"
btrfs -q subvolume snapshot "$m/@" "$m/@/.snapshots/1/snapshot"
id=$(btrfs subvolume show "$m/@/.snapshots/1/snapshot" | awk '/Subvolume ID/ {print $3}')
btrfs subvolume set-default "$id" "$m"
umount "$m"
mount -o loop,compress-force=zlib,subvolid=5 "$out" "$m"
cp "$w/k/vmlinuz-zlib" "$m/@/.snapshots/1/snapshot/boot/"
umount "$m"
keep_files "$out" "$w/k"
