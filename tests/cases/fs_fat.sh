# The FAT reader on FAT12, FAT16 and FAT32: long names, 8.3 names, names
# matched without case, a kernel fragmented around a deleted file (the
# extent map has several runs and rebuilds the same bytes).
. "$DL_TOP/tests/lib/functions.sh"
F=$DL_BUILD/tests/lib/dl_fscat
for bits in 12 16 32; do
	img=$(mkimg fat "$bits")
	src=$img.files
	"$F" "$img" /vmlinuz-6.1.0-2 > "$T/k" || fail "FAT$bits: read"
	expect_cmp "$T/k" "$src/vmlinuz-6.1.0-2"
	"$F" --excat "$img" /vmlinuz-6.1.0-2 > "$T/k2" || fail "FAT$bits: extents"
	expect_cmp "$T/k2" "$src/vmlinuz-6.1.0-2"
	runs=$("$F" --extents "$img" /vmlinuz-6.1.0-2 | wc -l)
	[ "$runs" -ge 2 ] || fail "FAT$bits: kernel not fragmented ($runs runs): test image is wrong"
	"$F" "$img" /INITRD.IMG-6.1.0-2 > "$T/r"
	expect_cmp "$T/r" "$src/initrd.img-6.1.0-2"
	expect_eq "$("$F" "$img" /efi/DEBIAN/Grub.Cfg)" "configfile (hd0,gpt2)/boot/grub/grub.cfg" "FAT$bits nested"
	expect_eq "$("$F" --ls "$img" /loader/entries)" "f debian-6.1.0-2.conf" "FAT$bits listing"
	expect_eq "$("$F" "$img" /readme.txt)" short "FAT$bits 8.3"
	"$F" "$img" /filler >/dev/null 2>&1 && fail "FAT$bits: deleted file found"
done
exit 0
