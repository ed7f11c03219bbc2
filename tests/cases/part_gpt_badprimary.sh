# A corrupted primary GPT (header CRC, then the entry array, then the whole
# header sector) with an intact backup: the backup is used, with a warning.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/part.sh"
src=$(mkimg gpt-128)
last=$(( $(stat -c %s "$src") / 512 - 1 ))
for how in header entries wiped; do
	cp "$src" "$T/d.img"
	case $how in
	header) printf 'X' | dd of="$T/d.img" bs=1 seek=$((512 + 40)) conv=notrunc status=none
		why="has a bad checksum" ;;
	entries) printf 'X' | dd of="$T/d.img" bs=1 seek=$((1024 + 100)) conv=notrunc status=none
		why="entry array has a bad checksum" ;;
	wiped) dd if=/dev/zero of="$T/d.img" bs=512 seek=1 count=1 conv=notrunc status=none
		why="has no signature" ;;
	esac
	vols "$T/d.img"
	expect_eq "$VRC" 0 "dl_vols status ($how)"
	expect_eq "$(cat "$T/verr")" "domuloader: warning: xvda: primary GPT header $why; using the backup at LBA $last" "$how"
	expect_eq "$(grep -c '^  xvda' "$T/vout")" 128 "volumes ($how)"
	vol_cmp "$T/d.img" -- xvda128 "$src.files/fs.img"
done
# Backup corrupt too: a clear error naming the disk.
printf 'X' | dd of="$T/d.img" bs=512 seek="$last" conv=notrunc status=none
vols "$T/d.img"
expect_eq "$VRC" 1 "both copies bad"
expect_eq "$(cat "$T/verr")" "dl_vols: error: $T/d.img: protective MBR but no valid GPT header"
cp "$src" "$T/d.img"
printf 'X' | dd of="$T/d.img" bs=1 seek=$((512 + 40)) conv=notrunc status=none
extract "$T/o" "$T/d.img"
expect_kernel "$src.files" 6.1.0-2
expect_err_grep "primary GPT header has a bad checksum; using the backup"
exit 0
