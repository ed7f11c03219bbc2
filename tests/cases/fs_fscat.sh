# src/fs through tests/lib/dl_fscat on a recipe image: the ext4 on the last
# logical MBR partition (a volume at an offset), read by path, by extent
# map, listed; and the messages for missing files and directories.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/images/lib.sh"
fscat=$DL_BUILD/tests/lib/dl_fscat
[ -x "$fscat" ] || fail "$fscat not built"
img=$(mkimg mbr-logical)
off=$(part_offset "$img" 6)
[ -n "$off" ] || fail "no partition 6"
for f in vmlinuz-6.1.0-1 initrd.img-6.1.0-1 vmlinuz-6.1.0-2 initrd.img-6.1.0-2 grub/grub.cfg; do
	"$fscat" "$img@$off" "/$f" > "$T/got" || fail "dl_fscat /$f failed"
	expect_cmp "$T/got" "$img.files/$f"
	"$fscat" --excat "$img@$off" "/$f" > "$T/got" || fail "dl_fscat --excat /$f failed"
	expect_cmp "$T/got" "$img.files/$f"
done
"$fscat" --ls "$img@$off" / | sort > "$T/ls"
expect_eq "$(tr '\n' ' ' < "$T/ls")" "d grub d lost+found f initrd.img-6.1.0-1 f initrd.img-6.1.0-2 f vmlinuz-6.1.0-1 f vmlinuz-6.1.0-2 " "listing of /"
RC=0; "$fscat" "$img@$off" /boot/vmlinuz > "$T/out" 2> "$T/err" || RC=$?
expect_eq "$RC" 1 "exit status"
expect_eq "$(cat "$T/err")" "dl_fscat: error: /boot/vmlinuz: no such file in vol"
RC=0; "$fscat" "$img@$off" /grub/ > "$T/out" 2> "$T/err" || RC=$?
expect_eq "$(cat "$T/err")" "dl_fscat: error: /grub/: is a directory"
# partition 1 is another filesystem: its README, not the boot files
"$fscat" "$img@$(part_offset "$img" 1)" /README > "$T/got" || fail "partition 1"
expect_eq "$(cat "$T/got")" "data"
exit 0
