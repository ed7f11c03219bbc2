# No boot configuration at all: the newest kernel by version (6.1.0-10,
# not 6.1.0-9 which a string sort would pick) with the initrd of the same
# version, root= from the guest's fstab, and a warning saying so.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg boot-layouts noconfig)
src=$img.files

extract "$T/a" --output-format=simple "$img"
expect_rc 0
expect_outputs "$T/a" ramdisk
expect_cmp "$KFILE" "$src/boot/vmlinuz-6.1.0-10"
expect_cmp "$RFILE" "$src/boot/initrd.img-6.1.0-10"
expect_out "kernel $KFILE
ramdisk $RFILE
args root=UUID=3f0b9e2a-5c1d-4e8f-9a7b-6c5d4e3f2a10 ro

"
expect_eq "$(cat "$T/err")" "domuloader: warning: xvda1: no boot configuration found; using the newest kernel /boot/vmlinuz-6.1.0-10 with /boot/initrd.img-6.1.0-10" "stderr"

# --args replaces the guessed command line
extract "$T/b" --output-format=simple --args="root=/dev/xvda1 console=hvc0" "$img"
expect_rc 0
grep -qx "args root=/dev/xvda1 console=hvc0" "$T/out" || fail "args: $(cat "$T/out")"

# an explicit --entry that matches nothing is an error, not a fallback
mkdir -p "$T/c"
dl_run -q --output-directory="$T/c" --entry=Debian "$img"
expect_clean_failure "$T/c" "entry without a config"
exit 0
