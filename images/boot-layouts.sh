#!/bin/bash
# Boot-configuration layouts for the boot engine's integration cases.
#   fstab-mount  GPT: p1 = a volume mounted at /srv/kernels (by UUID in the
#                guest's fstab), p2 = root whose extlinux.conf names
#                /srv/kernels/vmlinuz-6.1.0-3: only fstab can place it.
#   noconfig     one ext4 root, no boot configuration: kernels 6.1.0-1,
#                6.1.0-9 (no initrd), 6.1.0-10 with initrds, fstab by UUID.
#   bls          GPT: p1 = /boot with grub2/grub.cfg (blscfg), grubenv
#                (kernelopts, saved_entry) and loader/entries, p2 = root.
. "$(dirname "$0")/lib.sh"
out=$1 variant=${2:-fstab-mount}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
ROOT_UUID=3f0b9e2a-5c1d-4e8f-9a7b-6c5d4e3f2a10
KERN_UUID=0ccf7e56-1a2b-4c3d-8e9f-a0b1c2d3e4f5

grubenv() { # FILE LINES...: a 1024-byte GRUB environment block
	local f=$1; shift
	{ printf '# GRUB Environment Block\n'; printf '%s\n' "$@"; } > "$f"
	local n; n=$(stat -c %s "$f")
	head -c $((1024 - n)) /dev/zero | tr '\0' '#' >> "$f"
}

case $variant in
fstab-mount)
	mkdir -p "$w/kern" "$w/root/etc" "$w/root/boot/extlinux" "$w/root/srv/kernels"
	stage_kernel "$w/kern" 6.1.0-3
	printf '%s\n' "UUID=$ROOT_UUID / ext4 defaults 0 1" "UUID=$KERN_UUID /srv/kernels ext4 ro 0 2" > "$w/root/etc/fstab"
	cat > "$w/root/boot/extlinux/extlinux.conf" <<CFG
DEFAULT linux
LABEL linux
  KERNEL /srv/kernels/vmlinuz-6.1.0-3
  APPEND initrd=/srv/kernels/initrd.img-6.1.0-3 root=UUID=$ROOT_UUID ro
CFG
	fs_from_dir ext4 "$w/kern" 8 "$w/kern.img" -U "$KERN_UUID"
	fs_from_dir ext4 "$w/root" 8 "$w/root.img" -U "$ROOT_UUID"
	disk_new "$out" 20 gpt "start=2048, size=16384, type=L, name=kernels
start=18432, size=16384, type=L, name=root"
	disk_put "$out" 1 "$w/kern.img"
	disk_put "$out" 2 "$w/root.img"
	keep_files "$out" "$w/kern"
	;;
noconfig)
	mkdir -p "$w/root/etc" "$w/root/boot"
	stage_kernel "$w/root/boot" 6.1.0-1
	stage_kernel "$w/root/boot" 6.1.0-10
	fake_file "$w/root/boot/vmlinuz-6.1.0-9" "kernel-6.1.0-9" 96
	printf '%s\n' "UUID=$ROOT_UUID / ext4 errors=remount-ro 0 1" > "$w/root/etc/fstab"
	fs_from_dir ext4 "$w/root" 16 "$w/root.img" -U "$ROOT_UUID"
	disk_new "$out" 20 dos "start=2048, type=83"
	disk_put "$out" 1 "$w/root.img"
	keep_files "$out" "$w/root"
	;;
bls)
	mid=6a1e0c3f9b2d4e5f8a7b6c5d4e3f2a1b
	mkdir -p "$w/boot/grub2" "$w/boot/loader/entries"
	stage_kernel "$w/boot" 5.14.0-70.el9.x86_64
	stage_kernel "$w/boot" 5.14.0-162.el9.x86_64
	fake_file "$w/boot/intel-ucode.img" "ucode" 8
	for v in 5.14.0-70.el9.x86_64 5.14.0-162.el9.x86_64; do
		mv "$w/boot/initrd.img-$v" "$w/boot/initramfs-$v.img"
		cat > "$w/boot/loader/entries/$mid-$v.conf" <<CFG
title Linux ($v) 9.1
version $v
linux /vmlinuz-$v
initrd /intel-ucode.img
initrd /initramfs-$v.img \$tuned_initrd
options \$kernelopts \$tuned_params
grub_users \$grub_users
grub_arg --unrestricted
grub_class kernel
CFG
	done
	cat > "$w/boot/grub2/grub.cfg" <<'CFG'
set pager=1
if [ -f ${config_directory}/grubenv ]; then
  load_env -f ${config_directory}/grubenv
elif [ -s $prefix/grubenv ]; then
  load_env
fi
if [ "${next_entry}" ] ; then
   set default="${next_entry}"
   set next_entry=
   save_env next_entry
   set boot_once=true
else
   set default="${saved_entry}"
fi
set timeout=5
set tuned_params=""
set tuned_initrd=""
if [ -z "${kernelopts}" ]; then
  set kernelopts="root=/dev/mapper/fallback ro "
fi
insmod blscfg
blscfg
CFG
	grubenv "$w/boot/grub2/grubenv" "saved_entry=$mid-5.14.0-70.el9.x86_64" \
		"kernelopts=root=UUID=$ROOT_UUID ro console=hvc0 "
	mkdir -p "$w/root/etc"
	printf '%s\n' "UUID=$ROOT_UUID / xfs defaults 0 0" "UUID=$KERN_UUID /boot ext4 defaults 1 2" > "$w/root/etc/fstab"
	fs_from_dir ext4 "$w/boot" 16 "$w/boot.img" -U "$KERN_UUID"
	fs_from_dir ext4 "$w/root" 8 "$w/root.img" -U "$ROOT_UUID"
	disk_new "$out" 30 gpt "start=2048, size=32768, type=L, name=boot
start=34816, size=16384, type=L, name=root"
	disk_put "$out" 1 "$w/boot.img"
	disk_put "$out" 2 "$w/root.img"
	keep_files "$out" "$w/boot"
	;;
*) echo "boot-layouts: unknown variant $variant" >&2; exit 1 ;;
esac
