# Every row of bench/speed.sh extracts the original bytes: ext4 on GPT,
# whole-disk XFS, btrfs, btrfs with zstd-compressed extents and ext4 in an
# LV (when this host can build them), qcow2 with plain clusters (copied from
# the qcow2 file by the privileged side) and with zlib- and zstd-compressed
# clusters (bytes through the sandbox), with and without the sandbox.
# --sync gives the same files; a failing run leaves nothing in the output
# directory, not even a temporary name.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg speed-rows 1536 6144)
F=$img.files
imgs=("$img" "$F/xfs.img" "$F/btrfs.img" "$F/plain.qcow2" "$F/zlib.qcow2" "$F/zstd.qcow2")
[ -f "$F/btrfs-zstd.img" ] && imgs+=("$F/btrfs-zstd.img")
[ -f "$F/lvm.img" ] && imgs+=("$F/lvm.img")
n=0
for i in "${imgs[@]}"; do
	fmt=; case $i in *.qcow2) fmt=--format=qcow2 ;; esac
	for sb in "" --no-sandbox; do
		n=$((n + 1))
		extract "$T/o$n" $sb $fmt --output-format=simple "$i"
		expect_rc 0 "$i $sb"
		expect_outputs "$T/o$n" ramdisk
		expect_cmp "$KFILE" "$F/vmlinuz-bench"
		expect_cmp "$RFILE" "$F/initrd.img-bench"
		[ -z "$sb" ] && [ -s "$T/err" ] && { cat "$T/err" >&2; fail "$i: unexpected stderr"; }
	done
done
# --sync: the same result, files in place.
for i in "$img" "$F/plain.qcow2"; do
	fmt=; case $i in *.qcow2) fmt=--format=qcow2 ;; esac
	rm -rf "$T/s"
	extract "$T/s" --sync $fmt --output-format=simple "$i"
	expect_rc 0 "--sync $i"
	expect_outputs "$T/s" ramdisk
	expect_cmp "$KFILE" "$F/vmlinuz-bench"
	expect_cmp "$RFILE" "$F/initrd.img-bench"
done
# A failure after the kernel was written (the ramdisk is over its cap):
# nothing left, neither the kernel nor a .part file, with or without --sync.
for i in "$img" "$F/plain.qcow2" "$F/zstd.qcow2"; do
	fmt=; case $i in *.qcow2) fmt=--format=qcow2 ;; esac
	for s in "" --sync; do
		rm -rf "$T/f"
		extract "$T/f" $s $fmt --max-ramdisk-size=1 "$i"
		expect_clean_failure "$T/f" "ramdisk over its cap $i $s"
		expect_err_grep "ramdisk"
	done
done
exit 0
