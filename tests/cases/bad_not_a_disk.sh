# A text file is not a disk image: clear error, nothing left behind.
. "$DL_TOP/tests/lib/functions.sh"
seq 1 100000 > "$T/notadisk"
mkdir "$T/o"
dl_run -q --output-directory="$T/o" "$T/notadisk"
expect_clean_failure "$T/o"
expect_err_grep "$T/notadisk"
# A missing image and a directory as image.
dl_run -q --output-directory="$T/o" "$T/nonexistent.img"
expect_clean_failure "$T/o"
expect_err_grep "nonexistent.img: No such file"
dl_run -q --output-directory="$T/o" "$T/o"
expect_clean_failure "$T/o"
expect_err_grep "not a regular file or block device"
exit 0
