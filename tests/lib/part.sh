# Helpers for the disk-layer cases (sourced after functions.sh).
DLV=$DL_BUILD/tests/lib/dl_vols
[ -x "$DLV" ] || fail "$DLV not built (make tests)"

# vols ARGS...: run dl_vols; stdout in $T/vout, stderr in $T/verr, status in $VRC.
vols() {
	VRC=0
	"$DLV" "$@" >"$T/vout" 2>"$T/verr" || VRC=$?
}
# vols_line PATTERN: the listing line matching PATTERN must exist (grep -F).
vols_has() {
	grep -qF -- "$1" "$T/vout" || { cat "$T/vout" >&2; fail "listing lacks [$1]"; }
}
# vol_cmp IMG... -- VOL FILE: the first bytes of VOL equal FILE.
vol_cmp() {
	local args=() vol file
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	vol=$2 file=$3
	"$DLV" "${args[@]}" --cat "$vol" 0 "$(stat -c %s "$file")" > "$T/vcat" || fail "dl_vols --cat $vol failed"
	cmp -s "$T/vcat" "$file" || fail "bytes of $vol differ from $file"
}
# expect_kernel IMG_FILES VERSION: extracted kernel/initrd equal the recipe's.
expect_kernel() {
	expect_rc 0
	expect_outputs "$T/o" ramdisk
	expect_cmp "$KFILE" "$1/vmlinuz-$2"
	expect_cmp "$RFILE" "$1/initrd.img-$2"
}
# need_loop: LVM and 4K-sector recipes attach loop devices (root only).
need_loop() {
	[ "$(id -u)" = 0 ] || skip "recipe needs loop devices (root)"
	losetup -f >/dev/null 2>&1 || skip "no free loop device"
}
