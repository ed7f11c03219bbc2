# The kernel path is a directory.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg ext4-inroot dir)
mkdir "$T/o"
dl_run -q --output-directory="$T/o" "$img"
expect_clean_failure "$T/o"
expect_err_grep "vmlinuz-6.1.0-2"
expect_err_grep "directory"
exit 0
