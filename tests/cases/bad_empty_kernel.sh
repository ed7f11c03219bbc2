# The kernel the configuration names is an empty file: an error (Xen would
# fail later with a less helpful message), for -n too, nothing left behind.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg ext4-inroot empty)
mkdir "$T/o"
dl_run -q --output-directory="$T/o" "$img"
expect_clean_failure "$T/o"
expect_rc 9
expect_err_grep "xvda1:/boot/vmlinuz-6.1.0-2: the kernel is an empty file"
dl_run -q -n "$img"
expect_rc 9
exit 0
