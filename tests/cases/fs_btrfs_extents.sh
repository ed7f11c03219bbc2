# Files whose extents mix the shapes btrfs writes with compress=zstd (a
# regular extent, a hole, a preallocated extent, then compressed ones and an
# inline tail; compressed extents sharing disk bytes; inline then regular),
# on every tree shape of the hand-built image: exact bytes, each file as
# kernel and as ramdisk (verbatim ranges and decompressed bytes in one file).
. "$DL_TOP/tests/lib/functions.sh"
for v in flat levels subvol; do
	img=$(mkimg btrfs-extents "$v")
	for k in /boot/big /vmlinuz /tiny; do
		extract "$T/$v$k" --kernel="$k" --ramdisk=/boot/big "$img"
		expect_rc 0 "$v $k"
		expect_cmp "$KFILE" "$img.files/$(basename "$k")"
		expect_cmp "$RFILE" "$img.files/big"
	done
done
exit 0
