# The parser runs sandboxed by default, as the --runas user; that user need
# not be able to read the image (the child only has the fd).  --runas=0 is
# refused; --no-sandbox works and says so.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/sandbox.sh"
[ "$(id -u)" = 0 ] || skip "needs root to change uid"
src=$(mkimg kernel-only 5.10-runas)
need_extraction "$src" /boot/vmlinuz-5.10-runas
img=$T/private.img
cp "$src" "$img"
chmod 0600 "$img"
chown 0:0 "$img"
# uid 54321 cannot open it by path.
if command -v setpriv >/dev/null; then
	setpriv --reuid=54321 --regid=54321 --clear-groups head -c1 "$img" >/dev/null 2>&1 &&
		fail "uid 54321 can read $img; the test proves nothing"
fi

mkdir "$T/a"
dl_run -q --runas=54321 --output-format=simple --output-directory="$T/a" \
	--kernel=/boot/vmlinuz-5.10-runas --ramdisk=/boot/initrd.img-5.10-runas --args="root=/dev/xvda1" "$img"
expect_rc 0
k=$(sed -n 's/^kernel //p' "$T/out")
r=$(sed -n 's/^ramdisk //p' "$T/out")
expect_cmp "$k" "$src.files/vmlinuz-5.10-runas"
expect_cmp "$r" "$src.files/initrd.img-5.10-runas"
expect_eq "$(stat -c %u:%a "$k")" "0:600" "kernel file owner and mode"
[ -s "$T/err" ] && { cat "$T/err" >&2; fail "unexpected stderr"; }
expect_eq "$(find "$T/a" -type f | wc -l)" 2 "files in the output directory"

# --runas=0 and garbage are refused before anything happens.
mkdir "$T/b"
dl_run -q --runas=0 --output-directory="$T/b" --kernel=/boot/vmlinuz-5.10-runas "$img"
expect_rc 1
expect_err_grep "refusing to parse guest data as root"
dl_run -q --runas=nobody --output-directory="$T/b" --kernel=/boot/vmlinuz-5.10-runas "$img"
expect_rc 1
expect_err_grep "runas value must be an integer user id"
dl_run -q --runas=54321 --no-sandbox --output-directory="$T/b" --kernel=/boot/vmlinuz-5.10-runas "$img"
expect_rc 1
expect_err_grep "contradict"
expect_empty_dir "$T/b"

# --no-sandbox: same bytes, and a warning that says so.
mkdir "$T/c"
dl_run -q --no-sandbox --output-format=simple --output-directory="$T/c" \
	--kernel=/boot/vmlinuz-5.10-runas "$img"
expect_rc 0
expect_err_grep "no-sandbox: parsing guest data as root"
expect_cmp "$(sed -n 's/^kernel //p' "$T/out")" "$src.files/vmlinuz-5.10-runas"

# --timeout accepts seconds only.
dl_run -q --timeout=soon --kernel=/boot/vmlinuz-5.10-runas "$img"
expect_rc 1
expect_err_grep "timeout"
exit 0
