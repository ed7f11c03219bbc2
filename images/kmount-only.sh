#!/bin/bash
# A whole-disk filesystem that only the kernel reads here (--mount): a
# GRUB 2 guest with /boot on the root, as squashfs (mksquashfs) or f2fs
# (mkfs.f2fs + sload.f2fs, no mount).  Argument: squashfs or f2fs.
. "$(dirname "$0")/lib.sh"
out=$1 type=${2:-squashfs}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
root_tree "$w/root"
echo "/dev/xvda / $type defaults 0 0" > "$w/root/etc/fstab"
stage_kernel "$w/root/boot" 6.1.0-2 700
grub2_cfg "$w/root/boot/grub/grub.cfg" "/boot"
rm -f "$out"
case $type in
squashfs)
	mksquashfs "$w/root" "$out" -noappend -quiet -all-root >/dev/null ;;
f2fs)
	truncate -s 64M "$out"
	mkfs.f2fs -q -f "$out" >/dev/null
	sload.f2fs -f "$w/root" -t / "$out" >/dev/null ;;
*) echo "kmount-only: unknown type $type" >&2; exit 1 ;;
esac
keep_files "$out" "$w/root/boot"
