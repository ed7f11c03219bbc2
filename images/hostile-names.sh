#!/bin/bash
# A whole-disk ext2 filesystem whose grub.cfg has titles, file names and
# command lines with terminal escape sequences, and a command line over
# 4 KiB: what a guest may send towards the admin's terminal.
. "$(dirname "$0")/lib.sh"
out=$1
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
stage_kernel "$w/boot" 2.6.32-5 16
esc=$(printf '\033') bel=$(printf '\007')
cp "$w/boot/vmlinuz-2.6.32-5" "$w/boot/vmlinuz-${esc}]0;owned${bel}"
long=$(head -c 3000 /dev/zero | tr '\0' x)
mkdir -p "$w/boot/grub"
cat > "$w/boot/grub/grub.cfg" <<CFG
set default=0
set timeout=5
menuentry 'Evil${esc}[31mtitle' {
	linux '/boot/vmlinuz-${esc}]0;owned${bel}' root=/dev/xvda ro
	initrd /boot/initrd.img-2.6.32-5
}
set a=$long
menuentry long {
	linux /boot/vmlinuz-2.6.32-5 root=/dev/xvda \$a \$a
}
menuentry escape-args {
	linux /boot/vmlinuz-2.6.32-5 root=/dev/xvda '${esc}[2J'
}
menuentry missing {
	linux '/boot/missing-${esc}[5m' root=/dev/xvda
}
CFG
fs_from_dir ext2 "$w" 16 "$out"
keep_files "$out" "$w/boot"
