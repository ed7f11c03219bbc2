# Hostile btrfs file extents (images/btrfs-hostile.sh): two compressed
# extents sharing disk bytes with different ram_bytes must not reuse the
# first one's decompressed buffer; an extent offset near 2^64 must not wrap
# to bytes before the buffer.  Under ASan (make asan, and the same images
# in tests/fuzz/corpus/btrfs/hostile-* replayed by make check) either bug
# is a heap over-read; here the bytes read must be the guest's own.
. "$DL_TOP/tests/lib/functions.sh"
F=$DL_BUILD/tests/lib/dl_fscat
img=$(mkimg btrfs-hostile cache-ram)
RC=0; "$F" "$img" /boot/big > "$T/big" 2>"$T/err" || RC=$?
expect_rc 0 "cache-ram read"
head -c 4096 "$img.files/boot/big" > "$T/want"
head -c 4096 /dev/zero >> "$T/want"
expect_cmp "$T/big" "$T/want"
img=$(mkimg btrfs-hostile offset-wrap)
RC=0; "$F" "$img" /boot/big > "$T/big" 2>"$T/err" || RC=$?
expect_rc 1 "offset-wrap read must be refused"
grep -q "dl_fscat: error: .*big" "$T/err" || fail "offset-wrap error does not name the file: $(cat "$T/err")"
[ ! -s "$T/big" ] || fail "offset-wrap printed bytes"
exit 0
