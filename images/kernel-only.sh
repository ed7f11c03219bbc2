#!/bin/bash
# A whole-disk ext4 filesystem with only /boot/vmlinuz-VERSION and
# /boot/initrd.img-VERSION (no boot configuration: use --kernel/--ramdisk).
# Usage: kernel-only.sh OUT VERSION [KERNEL_KB [INITRD_KB [SIZE_MB]]]
. "$(dirname "$0")/lib.sh"
out=$1 ver=$2 kkb=${3:-96} ikb=${4:-200} mb=${5:-16}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
mkdir -p "$w/boot"
fake_file "$w/boot/vmlinuz-$ver" "kernel-$ver" "$kkb"
fake_file "$w/boot/initrd.img-$ver" "initrd-$ver" "$ikb"
fs_from_dir ext4 "$w" "$mb" "$out"
keep_files "$out" "$w/boot"
