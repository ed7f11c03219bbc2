#!/bin/bash
# An XFS filesystem (no partition table) populated with mkfs.xfs -p from a
# protofile (no mount): /boot with kernels, grub.cfg, symlinks (short
# inline and long remote ones), a directory big enough to use block/leaf
# format, and a large fragmented-looking file.  Argument: v5 (default,
# CRC, what mkfs writes today) or v4.
. "$(dirname "$0")/lib.sh"
out=$1 ver=${2:-v5}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
stage_kernel "$w/f" 6.1.0-2 600
grub2_cfg "$w/f/grub.cfg" "/boot"
fake_file "$w/f/big" bigfile 3000
printf 'x%.0s' $(seq 1 250) > "$w/f/longtarget"
# 419 bytes: too long to live in the inode, so stored in a remote block.
long=/boot/$(printf './%.0s' $(seq 1 200))grub/grub.cfg
{
	echo /dev/null
	echo "0 0"
	echo "d--755 0 0"
	echo "boot d--755 0 0"
	echo " vmlinuz-6.1.0-2 ---644 0 0 $w/f/vmlinuz-6.1.0-2"
	echo " initrd.img-6.1.0-2 ---644 0 0 $w/f/initrd.img-6.1.0-2"
	echo " big ---644 0 0 $w/f/big"
	echo " grub d--755 0 0"
	echo "  grub.cfg ---644 0 0 $w/f/grub.cfg"
	echo " \$"
	echo " many d--755 0 0"
	for i in $(seq 1 300); do echo "  file-with-a-longish-name-$i ---644 0 0 $w/f/longtarget"; done
	echo " \$"
	echo " $(cat "$w/f/longtarget") ---644 0 0 $w/f/grub.cfg"
	echo "\$"
	echo "vmlinuz l--777 0 0 boot/vmlinuz-6.1.0-2"
	echo "abs l--777 0 0 /boot/initrd.img-6.1.0-2"
	# mkfs.xfs 6.1 writes remote symlink blocks without their v5 header
	# (the kernel cannot read them either), so only v4 gets a long link.
	[ "$ver" = v4 ] && echo "longlink l--777 0 0 $long"
	echo "\$"
} > "$w/proto"
rm -f "$out"
truncate -s 320M "$out"
case $ver in
v5) mkfs.xfs -q -f -p "$w/proto" "$out" ;;
v4) mkfs.xfs -q -f -m crc=0,finobt=0 -n ftype=0 -p "$w/proto" "$out" ;;
esac
mkdir -p "$w/keep/boot/grub" "$w/keep/boot/many"
cp "$w/f/vmlinuz-6.1.0-2" "$w/f/initrd.img-6.1.0-2" "$w/f/big" "$w/keep/boot/"
cp "$w/f/grub.cfg" "$w/keep/boot/grub/"
keep_files "$out" "$w/keep"
