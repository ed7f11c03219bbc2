# The configuration names a kernel that is not there.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg ext4-inroot missing)
mkdir "$T/o"
dl_run -q --output-directory="$T/o" "$img"
expect_clean_failure "$T/o"
expect_err_grep "/boot/grub/grub.cfg"
expect_err_grep "/boot/vmlinuz-6.1.0-2"
[ "$(wc -l < "$T/err")" = 1 ] || { cat "$T/err" >&2; fail "more than one line on stderr"; }
exit 0
