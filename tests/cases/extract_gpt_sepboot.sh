# GPT, separate /boot with grub-mkconfig style relative paths, root on xvda2.
# The default entry's exact bytes and the exact result line in every format.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg gpt-sepboot)
src=$img.files

extract "$T/sxp" "$img"
expect_rc 0
expect_outputs "$T/sxp" ramdisk
expect_cmp "$KFILE" "$src/vmlinuz-6.1.0-2"
expect_cmp "$RFILE" "$src/initrd.img-6.1.0-2"
expect_out "linux (kernel '$KFILE')(ramdisk '$RFILE')(args 'root=/dev/xvda2 ro quiet')"

extract "$T/simple" --output-format=simple "$img"
expect_rc 0
expect_out "kernel $KFILE
ramdisk $RFILE
args root=/dev/xvda2 ro quiet

"
expect_cmp "$KFILE" "$src/vmlinuz-6.1.0-2"

# simple0 to a pre-created --output file, as libxl does.
: > "$T/result"
extract "$T/s0" --output="$T/result" --output-format=simple0 "$img"
expect_rc 0
printf 'kernel %s\0ramdisk %s\0args root=/dev/xvda2 ro quiet\0\0' "$KFILE" "$RFILE" > "$T/want"
expect_cmp "$T/result" "$T/want"
[ -s "$T/out" ] && fail "stdout not empty with --output"
expect_cmp "$RFILE" "$src/initrd.img-6.1.0-2"
exit 0
