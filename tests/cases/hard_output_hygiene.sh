# Guest names with terminal escapes (images/hostile-names.sh) never reach
# stdout or stderr raw, with and without the sandbox: paths printed as they
# are (-n with sxp, simple, simple0, xl, libvirt) are refused, JSON escapes,
# listings and error messages show '?'; the command-line rules (4 KiB, no
# control byte) hold with --no-sandbox too (they are the sink's).
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg hostile-names)
esc=$(printf '\033')
no_raw() { # FILE...: no ESC or BEL byte
	! grep -q "[$esc$(printf '\007')]" "$@" || { cat -v "$@" >&2; fail "raw control byte in $*"; }
}
for sb in "" --no-sandbox; do
	for fmt in sxp simple simple0 xl libvirt; do
		dl_run $sb -q -n --output-format=$fmt "$img"
		expect_rc 4 "-n $fmt $sb"
		expect_err_grep "kernel path contains control byte 0x1b"
		no_raw "$T/out" "$T/err"
	done
	dl_run $sb -q -n --output-format=json "$img"
	expect_rc 0 "-n json $sb"
	grep -qF '"title": "Evil\u001b[31mtitle"' "$T/out" || fail "json title not escaped"
	no_raw "$T/out" "$T/err"
	dl_run $sb -q -l "$img"
	expect_rc 0 "-l $sb"
	grep -qF 'Evil?[31mtitle' "$T/out" || fail "listing: title not shown with '?'"
	no_raw "$T/out" "$T/err"
	dl_run $sb -q -n --entry=1 "$img"
	expect_rc 5 "long command line $sb"
	expect_err_grep "command line: longer than 4096 bytes"
	dl_run $sb -q -n --entry=2 "$img"
	expect_rc 4 "escape in the command line $sb"
	expect_err_grep "command line contains control byte 0x1b"
	no_raw "$T/out" "$T/err"
	dl_run $sb -q -n --entry=3 "$img"
	expect_rc 3 "missing kernel $sb"
	expect_err_grep "kernel /boot/missing-?\[5m: no such file"
	no_raw "$T/out" "$T/err"
	# extraction names its own files: the guest's odd name is no obstacle
	rm -rf "$T/o"; extract "$T/o" $sb --output-format=simple "$img"
	expect_rc 0 "extract $sb"
	expect_cmp "$KFILE" "$img.files/vmlinuz-2.6.32-5"
	no_raw "$T/out" "$T/err"
done
exit 0
