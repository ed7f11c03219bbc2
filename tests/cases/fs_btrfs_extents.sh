# Files whose extents mix the shapes btrfs writes with compress=zstd (a
# regular extent, a hole, a preallocated extent, then compressed ones and an
# inline tail; compressed extents sharing disk bytes; inline then regular),
# on every tree shape of the hand-built image: exact bytes, each file as
# kernel and as ramdisk, verbatim extents copied from the image and only
# the rest decoded by the parser (-vv says how many bytes were copied).
# The jobs shape adds /many/f-7, six whole zstd and zlib extents read in one
# call (decompressed half by the helper thread when the parser runs it).
# tests/lib/dl_fscat rebuilds each file from its extent map too, the
# encoded runs (compressed, inline) read through the filesystem.
. "$DL_TOP/tests/lib/functions.sh"
F=$DL_BUILD/tests/lib/dl_fscat
for v in flat levels subvol jobs; do
	img=$(mkimg btrfs-extents "$v")
	expect_eq "$("$F" --extents "$img" /vmlinuz | tr '\n' ' ')" "0 encoded 3072 3072 136192 1024 4096 135168 1024 " "$v map of /vmlinuz"
	for f in boot/big vmlinuz tiny; do
		"$F" --excat "$img" "/$f" > "$T/x" || fail "$v /$f rebuilt from its map"
		expect_cmp "$T/x" "$img.files/$(basename "$f")"
	done
	ks="/boot/big:5160:1024 /vmlinuz:5120:2048 /tiny:1124:100"
	[ "$v" != jobs ] || ks="$ks /many/f-7:6144:0"
	for k in $ks; do
		IFS=: read -r k size copied <<<"$k"
		extract "$T/$v$k" -vv --kernel="$k" --ramdisk=/boot/big "$img"
		expect_rc 0 "$v $k"
		expect_cmp "$KFILE" "$img.files/$(basename "$k")"
		expect_cmp "$RFILE" "$img.files/big"
		expect_err_grep "kernel: $size bytes, $copied of them copied from the disk image"
		expect_err_grep "ramdisk: 5160 bytes, 1024 of them copied from the disk image"
	done
done
# /boot/enc: 2 KiB of plain extents, then one marked encrypted: extracting
# it (as the kernel, or as the ramdisk after a good kernel) or copying it
# out fails with the error a read of it gives, naming the file, and leaves
# no output file, although its first 2 KiB had been copied into one.
img=$(mkimg btrfs-extents refused)
msg="/boot/enc: unsupported filesystem feature in xvda"
RC=0; "$F" "$img" /boot/enc > /dev/null 2> "$T/err" || RC=$?
expect_rc 1 "dl_fscat of /boot/enc"
expect_err_grep "dl_fscat: error: /boot/enc: unsupported filesystem feature in vol\$"
extract "$T/enc" --kernel=/boot/enc "$img"
expect_rc 8 "/boot/enc as the kernel"
expect_clean_failure "$T/enc"
expect_eq "$(cat "$T/err")" "domuloader: error: $msg"
extract "$T/enc" --kernel=/boot/big --ramdisk=/boot/enc "$img"
expect_rc 8 "/boot/enc as the ramdisk"
expect_clean_failure "$T/enc"
expect_eq "$(cat "$T/err")" "domuloader: error: $msg"
mkdir "$T/co"
dl_run copy-out "$img" /boot/enc "$T/co"
expect_rc 8 "copy-out of /boot/enc"
expect_eq "$(cat "$T/err")" "domuloader: error: $msg"
expect_empty_dir "$T/co"
exit 0
