# An MBR whose partition 2 starts inside the disk but ends far past its end.
. "$DL_TOP/tests/lib/functions.sh"
cp "$(mkimg ext3-extlinux)" "$T/d.img"
# Entry 2 at byte 462: type 0x83, start LBA 30000, 0x7fffffff sectors.
printf '\x00\x00\x00\x00\x83\x00\x00\x00\x30\x75\x00\x00\xff\xff\xff\x7f' |
	dd of="$T/d.img" bs=1 seek=462 conv=notrunc status=none
mkdir "$T/o"
dl_run -q --output-directory="$T/o" "$T/d.img"
expect_clean_failure "$T/o"
expect_err_grep "partition 2"
expect_err_grep "outside"
exit 0
