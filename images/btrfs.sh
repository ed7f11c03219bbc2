#!/bin/bash
# A btrfs filesystem made by mkfs.btrfs --rootdir (no mount): /boot with a
# kernel and initrd, grub.cfg, symlinks, a tiny (inline) file, a big
# directory.
. "$(dirname "$0")/lib.sh"
out=$1
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
s=$w/src
stage_kernel "$s/boot" 6.1.0-2 900
grub2_cfg "$s/boot/grub2/grub.cfg" "/boot"
ln -s boot/vmlinuz-6.1.0-2 "$s/vmlinuz"
ln -s /boot/initrd.img-6.1.0-2 "$s/abs"
echo tiny > "$s/tiny"
mkdir "$s/many"
for i in $(seq 1 400); do echo "$i" > "$s/many/file-$i"; done
rm -f "$out"
truncate -s 200M "$out"
mkfs.btrfs -q -f --rootdir "$s" "$out" >/dev/null 2>&1
keep_files "$out" "$s"
