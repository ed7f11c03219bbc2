#!/bin/bash
# A whole-disk ext4 guest whose GRUB legacy menu.lst boots a multiboot
# kernel (gzip-compressed, as xen.gz is) with two modules, like a Xen
# entry: kernel + module + module.
# Usage: multiboot-legacy.sh OUT MBKERNEL TOKEN
. "$(dirname "$0")/lib.sh"
[ $# -ge 3 ] || { echo "multiboot-legacy.sh: skipped: needs the kernel built by tests/vm/boot_multiboot_qemu.sh" >&2; exit 1; }
out=$1 k=$2 tok=$3
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
mkdir -p "$w/boot/grub"
gzip -9 -n < "$k" > "$w/boot/mbtest.gz"
fake_file "$w/boot/mod-a" "mod-a" 8
fake_file "$w/boot/mod-b" "mod-b" 12
cat > "$w/boot/grub/menu.lst" <<CFG
default 0
timeout 3
title multiboot test
	root (hd0)
	kernel /boot/mbtest.gz dltest=$tok console=com1
	module /boot/mod-a first module, with a comma
	module /boot/mod-b
CFG
fs_from_dir ext4 "$w" 16 "$out"
keep_files "$out" "$w/boot"
