#!/bin/bash
# A guest disk (whole-disk ext4) holding real kernels for the inspection
# and multiboot tests: the Debian bzImage with two initrds, a Xen
# hypervisor with the kernel and an initrd as modules (GRUB 2 multiboot2 +
# module2, GRUB legacy kernel + module, or syslinux mboot.c32), a kernel
# without Xen notes,
# and any further kernels given (booted with --kernel).
# Usage: kernel-guest.sh OUT grub2|legacy|syslinux VMLINUZ XEN_GZ NONOTES_ELF [KERNEL...]
. "$(dirname "$0")/lib.sh"
[ $# -ge 5 ] || { echo "kernel-guest.sh: skipped: needs real kernels as arguments (tests/cases/kernel_*.sh)" >&2; exit 1; }
out=$1 layout=$2 vmlinuz=$3 xen=$4 nonotes=$5
shift 5
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
mkdir -p "$w/boot/grub" "$w/extra"
cp "$vmlinuz" "$w/boot/vmlinuz"
cp "$xen" "$w/boot/xen.gz"
cp "$nonotes" "$w/boot/vmlinux-nonotes"
fake_file "$w/boot/initrd-a.img" "initrd-a" 100
fake_file "$w/boot/initrd-b.img" "initrd-b" 60
for k in "$@"; do cp "$k" "$w/extra/"; done
case $layout in
grub2) cat > "$w/boot/grub/grub.cfg" <<'CFG'
set default=0
set timeout=5
menuentry 'Debian GNU/Linux' --id debian {
	linux /boot/vmlinuz root=/dev/xvda ro quiet
	initrd /boot/initrd-a.img /boot/initrd-b.img
}
menuentry 'Debian GNU/Linux, with Xen hypervisor' --id xen {
	multiboot2 /boot/xen.gz placeholder dom0_mem=1G,max:1G
	module2 /boot/vmlinuz placeholder root=/dev/xvda ro console=hvc0
	module2 --nounzip /boot/initrd-a.img
}
menuentry 'No Xen notes' --id nonotes {
	linux /boot/vmlinux-nonotes root=/dev/xvda ro
}
CFG
;;
legacy) cat > "$w/boot/grub/menu.lst" <<'CFG'
default 0
timeout 5
title Xen hypervisor
	root (hd0)
	kernel /boot/xen.gz dom0_mem=1024M
	module /boot/vmlinuz root=/dev/xvda ro console=hvc0
	module /boot/initrd-b.img
title Debian GNU/Linux
	root (hd0)
	kernel /boot/vmlinuz root=/dev/xvda ro
	initrd /boot/initrd-a.img
CFG
;;
syslinux) mkdir -p "$w/boot/extlinux"
	fake_file "$w/boot/extlinux/mboot.c32" "mboot.c32" 4
	cat > "$w/boot/extlinux/extlinux.conf" <<'CFG'
DEFAULT xen
TIMEOUT 50
LABEL xen
	MENU LABEL Debian GNU/Linux, with Xen hypervisor
	KERNEL mboot.c32
	APPEND /boot/xen.gz dom0_mem=512M loglvl=all --- /boot/vmlinuz root=/dev/xvda ro console=hvc0 --- ../initrd-b.img
LABEL debian
	LINUX /boot/vmlinuz
	APPEND root=/dev/xvda ro initrd=/boot/initrd-a.img
CFG
;;
*) echo "kernel-guest.sh: unknown layout $layout" >&2; exit 1 ;;
esac
mb=$(( $(du -sm "$w" | cut -f1) + 48 ))
fs_from_dir ext4 "$w" "$mb" "$out"
