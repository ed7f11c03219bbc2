#!/bin/bash
# A guest whose boot configuration sets how its menu waits, for the menu's
# real-binary tests.  Usage: menu-styles.sh OUT [STYLE], STYLE (default
# grub-countdown) one of
#   grub-hidden     grub.cfg timeout_style=hidden, timeout=2 (Ubuntu's default)
#   grub-countdown  grub.cfg timeout_style=countdown, timeout=2
#   grub-zero       grub.cfg timeout=0, default=1 (boots at once)
#   grub-locked     grub.cfg with superusers and a password_pbkdf2 user
#                   (grub-mkconfig's 01_users), timeout=2
#   syslinux-prompt0  extlinux.conf PROMPT 0, TIMEOUT 20 (tenths: 2 s), no UI
# Each has two entries (0 "first", 1 "second"), told apart by their args.
# MBR, p1 ext4 holding / with /boot inside.
. "$(dirname "$0")/lib.sh"
out=$1 style=${2:-grub-countdown}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
r=$w/root
root_tree "$r"
stage_kernel "$r/boot" 6.1.0-1
stage_kernel "$r/boot" 6.1.0-2
grub() { # HEADER LINES...
	mkdir -p "$r/boot/grub"
	{
		printf '%s\n' "$@"
		cat <<'CFG'
menuentry 'Debian GNU/Linux first' --class debian {
	insmod ext2
	linux	/boot/vmlinuz-6.1.0-2 root=/dev/xvda1 ro first
	initrd	/boot/initrd.img-6.1.0-2
}
menuentry 'Debian GNU/Linux second' --class debian --unrestricted {
	linux	/boot/vmlinuz-6.1.0-1 root=/dev/xvda1 ro second
	initrd	/boot/initrd.img-6.1.0-1
}
CFG
	} > "$r/boot/grub/grub.cfg"
}
case $style in
grub-hidden) grub 'set default=0' 'set timeout_style=hidden' 'set timeout=2' ;;
grub-countdown) grub 'set default=0' 'set timeout_style=countdown' 'set timeout=2' ;;
grub-zero) grub 'set default=1' 'set timeout=0' ;;
grub-locked)
	grub 'set default=0' 'set timeout=2' 'set superusers="root"' \
		'password_pbkdf2 root grub.pbkdf2.sha512.10000.0011223344556677.8899AABBCCDDEEFF' ;;
syslinux-prompt0)
	mkdir -p "$r/boot/extlinux"
	cat > "$r/boot/extlinux/extlinux.conf" <<'CFG'
PROMPT 0
TIMEOUT 20
DEFAULT first
LABEL first
  KERNEL /boot/vmlinuz-6.1.0-2
  APPEND initrd=/boot/initrd.img-6.1.0-2 root=/dev/xvda1 ro first
LABEL second
  KERNEL /boot/vmlinuz-6.1.0-1
  APPEND initrd=/boot/initrd.img-6.1.0-1 root=/dev/xvda1 ro second
CFG
	;;
*) echo "menu-styles.sh: unknown style $style" >&2; exit 2 ;;
esac
printf '%s\n' "/dev/xvda1 / ext4 defaults 0 1" > "$r/etc/fstab"
fs_from_dir ext4 "$r" 24 "$w/root.img"
disk_new "$out" 30 dos "start=2048, size=51200, type=83"
disk_put "$out" 1 "$w/root.img"
keep_files "$out" "$r/boot"
