#!/bin/bash
# A FAT filesystem image (no partition table) like an EFI system partition:
# EFI/debian/grub.cfg, BLS entries under loader/entries, long and 8.3
# names, and a kernel fragmented around a deleted file.
# Argument: 12, 16 or 32 (FAT type).
. "$(dirname "$0")/lib.sh"
out=$1 bits=${2:-32}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
s=$w/src
mkdir -p "$s/EFI/debian" "$s/loader/entries"
echo "configfile (hd0,gpt2)/boot/grub/grub.cfg" > "$s/EFI/debian/grub.cfg"
printf 'title Debian\nlinux /vmlinuz-6.1.0-2\ninitrd /initrd.img-6.1.0-2\noptions root=/dev/xvda2 ro\n' \
	> "$s/loader/entries/debian-6.1.0-2.conf"
fake_file "$s/initrd.img-6.1.0-2" esp-initrd 120
fake_file "$w/filler" filler 40
fake_file "$s/vmlinuz-6.1.0-2" esp-kernel 90
echo short > "$s/README.TXT"
case $bits in
12) size=4 spc=4 ;; 16) size=24 spc=1 ;; 32) size=40 spc=1 ;;
esac
rm -f "$out"
mkfs.vfat -C -F "$bits" -s "$spc" -n ESP "$out" $((size * 1024)) >/dev/null
export MTOOLS_SKIP_CHECK=1
mmd -i "$out" ::EFI ::EFI/debian ::loader ::loader/entries
mcopy -i "$out" "$s/EFI/debian/grub.cfg" ::EFI/debian/
mcopy -i "$out" "$s/loader/entries/debian-6.1.0-2.conf" ::loader/entries/
mcopy -i "$out" "$w/filler" ::filler
mcopy -i "$out" "$s/initrd.img-6.1.0-2" ::
mdel -i "$out" ::filler
if [ "$bits" = 32 ]; then
	# Forget FSInfo's next-free hint so the allocator reuses the hole.
	fsinfo=$(od -An -tu2 -j48 -N2 "$out" | tr -d ' ')
	printf '\xff\xff\xff\xff' | dd of="$out" bs=1 seek=$((fsinfo * 512 + 492)) conv=notrunc status=none
fi
mcopy -i "$out" "$s/vmlinuz-6.1.0-2" ::
mcopy -i "$out" "$s/README.TXT" ::
keep_files "$out" "$s"
