#!/bin/bash
# A guest installed on a partitioned disk, given to Xen as one partition or
# logical volume (phy:/dev/vg/lv,xvda1,w): the image is the filesystem
# alone, but its configuration still names the partitions it was installed
# on.
#   legacy  menu.lst: "root (hd0,0)", an entry with "kernel (hd0,1)/..."
#   grub2   grub.cfg: "set root='hd0,msdos1'", an entry with
#           "(hd0,msdos2)/boot/..." and one with "(xen/xvda,msdos1)/..."
. "$(dirname "$0")/lib.sh"
out=$1 variant=${2:-legacy}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
root_tree "$w/root"
stage_kernel "$w/root/boot" 6.1.0-1
stage_kernel "$w/root/boot" 6.1.0-2
mkdir -p "$w/root/boot/grub"
case $variant in
legacy)
	cat > "$w/root/boot/grub/menu.lst" <<'CFG'
default 0
timeout 5
title Debian GNU/Linux, kernel 6.1.0-2
root (hd0,0)
kernel /boot/vmlinuz-6.1.0-2 root=/dev/xvda1 ro console=hvc0
initrd /boot/initrd.img-6.1.0-2
title Debian GNU/Linux, kernel 6.1.0-1 (named on the second partition)
kernel (hd0,1)/boot/vmlinuz-6.1.0-1 root=/dev/xvda1 ro single
initrd (hd0,1)/boot/initrd.img-6.1.0-1
CFG
	;;
grub2)
	cat > "$w/root/boot/grub/grub.cfg" <<'CFG'
set default=0
menuentry 'Debian GNU/Linux' {
	insmod part_msdos
	insmod ext2
	set root='hd0,msdos1'
	linux /boot/vmlinuz-6.1.0-2 root=/dev/xvda1 ro quiet
	initrd /boot/initrd.img-6.1.0-2
}
menuentry 'Debian GNU/Linux 6.1.0-1' {
	linux (hd0,msdos2)/boot/vmlinuz-6.1.0-1 root=/dev/xvda1 ro single
	initrd (xen/xvda,msdos1)/boot/initrd.img-6.1.0-1
}
CFG
	;;
*) echo "presented-part: unknown variant $variant" >&2; exit 1 ;;
esac
fs_from_dir ext3 "$w/root" 16 "$out"
keep_files "$out" "$w/root/boot"
