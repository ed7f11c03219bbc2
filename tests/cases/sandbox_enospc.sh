# The output directory is a small tmpfs and the ramdisk does not fit:
# a clean error, nothing left behind (not even the kernel that did fit).
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/sandbox.sh"
[ "$(id -u)" = 0 ] || skip "needs root to mount a tmpfs"
img=$(mkimg kernel-only 6.1-nospc 200 3000 32)
need_extraction "$img" /boot/vmlinuz-6.1-nospc
mkdir "$T/small"
mount -t tmpfs -o size=1m,mode=0700 dl-test-nospc "$T/small" 2>/dev/null || skip "cannot mount a tmpfs"
trap 'umount "$T/small"' EXIT
dl_run -q --output-directory="$T/small" --kernel=/boot/vmlinuz-6.1-nospc \
	--ramdisk=/boot/initrd.img-6.1-nospc "$img"
expect_rc 6 "output error"
expect_err_grep "No space left on device"
[ "$(wc -l < "$T/err")" = 1 ] || { cat "$T/err" >&2; fail "more than one line on stderr"; }
expect_empty_dir "$T/small"
[ -s "$T/out" ] && fail "a result was printed"
expect_eq "$(dl_procs)" 0 "leftover processes"
exit 0
