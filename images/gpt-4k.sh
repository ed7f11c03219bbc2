#!/bin/bash
# GPT written for 4096-byte logical sectors (a 4Kn disk's image): the header
# is at byte 4096, LBAs count 4 KiB units.  /boot on partition 2.
# sfdisk 2.38 has no --sector-size: it partitions a loop device with 4 KiB
# logical blocks (losetup -b 4096) over the image.
. "$(dirname "$0")/lib.sh"
out=$1
w=$(mktemp -d); loop=
trap '[ -n "$loop" ] && losetup -d "$loop"; rm -rf "$w"' EXIT
stage_kernel "$w/boot" 6.1.0-2
grub2_cfg "$w/boot/grub/grub.cfg" ""
fs_from_dir ext4 "$w/boot" 8 "$w/boot.img" -L boot4k -b 4096
rm -f "$out"; truncate -s 32M "$out"
loop=$(losetup --show -f -b 4096 "$out")
printf 'label: gpt\nstart=256, size=512, name=bios\nstart=1024, size=2048, name=boot\n' |
	sfdisk -q --no-reread --no-tell-kernel "$loop" >/dev/null
[ "$(blockdev --getss "$loop")" = 4096 ]
losetup -d "$loop"; loop=
dd if="$w/boot.img" of="$out" bs=4096 seek=1024 conv=notrunc,sparse status=none
keep_files "$out" "$w/boot"
cp "$w/boot.img" "$out.files/fs.img"
