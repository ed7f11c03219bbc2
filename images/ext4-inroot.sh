#!/bin/bash
# One ext4 root partition (GPT) with /boot inside it; /vmlinuz and
# /initrd.img are symlinks into boot/ as Debian makes them.  Optional
# argument "evil" makes /boot/vmlinuz-6.1.0-2 an absolute symlink to
# /etc/passwd (must resolve inside the guest); "loop" a symlink loop;
# "dir" makes the kernel path a directory; "missing" removes the kernel;
# "empty" leaves it empty; "fallback" removes it and adds a GRUB fallback
# list ("1 2": the submenu, whose first entry is that kernel too, then a
# third top-level entry booting 6.1.0-1).
. "$(dirname "$0")/lib.sh"
out=$1 variant=${2:-plain}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
root_tree "$w/root"
stage_kernel "$w/root/boot" 6.1.0-1
stage_kernel "$w/root/boot" 6.1.0-2
grub2_cfg "$w/root/boot/grub/grub.cfg" "/boot"
ln -s boot/vmlinuz-6.1.0-2 "$w/root/vmlinuz"
ln -s boot/initrd.img-6.1.0-2 "$w/root/initrd.img"
keep_files "$out" "$w/root"
case $variant in
evil) rm "$w/root/boot/vmlinuz-6.1.0-2"; ln -s /etc/passwd "$w/root/boot/vmlinuz-6.1.0-2" ;;
loop) rm "$w/root/boot/vmlinuz-6.1.0-2"; ln -s loop-b "$w/root/boot/vmlinuz-6.1.0-2"
      ln -s vmlinuz-6.1.0-2 "$w/root/boot/loop-b" ;;
dir) rm "$w/root/boot/vmlinuz-6.1.0-2"; mkdir "$w/root/boot/vmlinuz-6.1.0-2" ;;
missing) rm "$w/root/boot/vmlinuz-6.1.0-2" ;;
empty) : > "$w/root/boot/vmlinuz-6.1.0-2" ;;
fallback) rm "$w/root/boot/vmlinuz-6.1.0-2" "$w/root.files/boot/vmlinuz-6.1.0-2" 2>/dev/null || true
	cat >> "$w/root/boot/grub/grub.cfg" <<'CFG'
set fallback="1 2"
menuentry 'Debian GNU/Linux, 6.1.0-1 (fallback)' {
	linux	/boot/vmlinuz-6.1.0-1 root=/dev/xvda2 ro fallback
	initrd	/boot/initrd.img-6.1.0-1
}
CFG
	;;
esac
fs_from_dir ext4 "$w/root" 24 "$w/root.img"
disk_new "$out" 30 gpt "start=2048, type=L, name=root"
disk_put "$out" 1 "$w/root.img"
