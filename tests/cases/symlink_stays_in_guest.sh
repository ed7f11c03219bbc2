# /boot/vmlinuz-6.1.0-2 -> /etc/passwd (absolute): resolves to the guest's
# /etc/passwd, never dom0's.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg ext4-inroot evil)
extract "$T/o" "$img"
expect_rc 0
expect_cmp "$KFILE" "$img.files/etc/passwd"
grep -q '^guest-passwd:' "$KFILE" || fail "kernel is not the guest's /etc/passwd"
cmp -s "$KFILE" /etc/passwd && fail "dom0's /etc/passwd was read"
exit 0
