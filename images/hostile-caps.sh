#!/bin/bash
# A whole-disk ext2 filesystem whose boot configuration reaches a cap:
#   initrds   extlinux.conf, default label with APPEND initrd= naming 65
#             files (label "max": 64)
#   bls       /boot/loader/entries with 4097 entry files (bls-max: 4096,
#             the cap, each read by name: 4096 scans of a 100 KiB directory)
#   bigcfg    a 1 MiB + 1 byte grub.cfg, and a good menu.lst after it
. "$(dirname "$0")/lib.sh"
out=$1 kind=${2:-initrds}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
stage_kernel "$w/boot" 6.1.0-2 16
case $kind in
initrds)
	mkdir -p "$w/boot/extlinux"
	list=
	for i in $(seq 1 65); do echo "initrd $i" > "$w/boot/i$i"; list=$list${list:+,}/boot/i$i; done
	cat > "$w/boot/extlinux/extlinux.conf" <<CFG
DEFAULT many
LABEL many
  KERNEL /boot/vmlinuz-6.1.0-2
  APPEND root=/dev/xvda1 initrd=$list
LABEL max
  KERNEL /boot/vmlinuz-6.1.0-2
  APPEND root=/dev/xvda1 initrd=${list%,/boot/i65}
CFG
	;;
bls|bls-max)
	mkdir -p "$w/boot/loader/entries"
	for i in $(seq 1 $([ "$kind" = bls ] && echo 4097 || echo 4096)); do
		printf 'title e%s\nversion 6.1.0-2\nlinux /boot/vmlinuz-6.1.0-2\n' "$i" > "$w/boot/loader/entries/e$i.conf"
	done
	;;
bigcfg)
	mkdir -p "$w/boot/grub"
	{ echo 'menuentry big { linux /boot/vmlinuz-6.1.0-2 }'; head -c $((1 << 20)) /dev/zero | tr '\0' '#'; echo; } \
		> "$w/boot/grub/grub.cfg"
	printf 'default 0\ntitle small\nkernel /boot/vmlinuz-6.1.0-2 root=/dev/xvda\n' > "$w/boot/grub/menu.lst"
	;;
*) echo "hostile-caps: unknown kind $kind" >&2; exit 1 ;;
esac
fs_from_dir ext2 "$w" 40 "$out" -N 6000
keep_files "$out" "$w/boot"
