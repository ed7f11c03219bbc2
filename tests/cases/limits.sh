# Size limits: --max-kernel-size/--max-ramdisk-size, pygrub's
# PYGRUB_MAX_FILE_SIZE_MB (each file) and PYGRUB_MAX_RAM_USAGE_MB (parser
# memory).  Over a limit: exit 5, one error line, nothing left behind.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg big-kernel)

extract "$T/ok" "$img"
expect_rc 0
expect_cmp "$KFILE" "$img.files/vmlinuz"
cat "$img.files/ucode.img" "$img.files/initrd.img" > "$T/ramdisk"
expect_cmp "$RFILE" "$T/ramdisk"

mkdir "$T/o"
dl_run -q --output-directory="$T/o" --max-kernel-size=1 "$img"
expect_rc 5
expect_clean_failure "$T/o"
expect_err_grep "kernel /boot/vmlinuz is larger than the 1 MiB limit (--max-kernel-size)"

# The ramdisk limit counts all initrds together (3 MiB here).
dl_run -q --output-directory="$T/o" --max-ramdisk-size=2 "$img"
expect_rc 5
expect_clean_failure "$T/o"
expect_err_grep "ramdisk /boot/initrd.img (with the initrds before it) is larger than the 2 MiB limit"

RC=0
PYGRUB_MAX_FILE_SIZE_MB=2 "$DL" -q --output-directory="$T/o" "$img" >"$T/out" 2>"$T/err" || RC=$?
expect_rc 5
expect_clean_failure "$T/o"
expect_err_grep "ramdisk.*larger than the 2 MiB limit"
# ... and the explicit option wins over it
RC=0
PYGRUB_MAX_FILE_SIZE_MB=2 "$DL" -q --output-directory="$T/o" --max-ramdisk-size=3 "$img" >"$T/out" 2>"$T/err" || RC=$?
expect_rc 0
rm -f "$T/o"/*

# The parser's memory: enough to work in 64 MiB, not in 4 MiB.  The disk
# is a qcow2 image with compressed clusters, so that the kernel's bytes are
# decompressed into buffers (an extent map needs almost no memory).
qimg=$(mkimg qcow2).files/zlib.qcow2
RC=0
PYGRUB_MAX_RAM_USAGE_MB=64 "$DL" -q --format=qcow2 --output-directory="$T/o" "$qimg" >"$T/out" 2>"$T/err" || RC=$?
expect_rc 0 "parser in 64 MiB"
rm -f "$T/o"/*
# (Sanitizer builds reserve terabytes of shadow memory and set no address
# space limit, so this one check does not apply to them.)
if [ -z "${DL_ASAN:-}" ]; then
	RC=0
	PYGRUB_MAX_RAM_USAGE_MB=4 "$DL" -q --format=qcow2 --output-directory="$T/o" "$qimg" >"$T/out" 2>"$T/err" || RC=$?
	expect_clean_failure "$T/o"
	[ "$RC" = 5 ] || [ "$RC" = 7 ] || fail "exit $RC with 4 MiB of parser memory"
fi

dl_run -q --max-kernel-size=0 "$img"
expect_rc 1
RC=0
PYGRUB_MAX_FILE_SIZE_MB=lots "$DL" -q "$img" >"$T/out" 2>"$T/err" || RC=$?
expect_rc 1
expect_err_grep "PYGRUB_MAX_FILE_SIZE_MB"
exit 0
