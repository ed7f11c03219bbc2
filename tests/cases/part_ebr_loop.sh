# An extended partition whose last EBR links back into the chain: the loop
# is detected, the partitions before it are kept, with a warning.  A
# backward link to a sector that is no EBR ends the chain the same way.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/part.sh"
src=$(mkimg mbr-3logical)
cp "$src" "$T/d.img"
# EBRs are at sectors 10240, 20480, 30720 (links relative to 10240).  Make
# the third link to the second (relative 10240): type 5 at 446+16+4.
ebr3=$((30720 * 512))
printf '\x05' | dd of="$T/d.img" bs=1 seek=$((ebr3 + 446 + 16 + 4)) conv=notrunc status=none
printf '\x00\x28\x00\x00\x00\x08\x00\x00' | dd of="$T/d.img" bs=1 seek=$((ebr3 + 446 + 16 + 8)) conv=notrunc status=none
vols "$T/d.img"
expect_eq "$VRC" 0 "dl_vols status"
expect_eq "$(cat "$T/verr")" "domuloader: warning: xvda: extended partition chain loops at sector 30720 (link to sector 20480); later logical partitions ignored"
expect_eq "$(grep -c '^  xvda' "$T/vout")" 4 "volumes"
vol_cmp "$T/d.img" -- xvda7 "$src.files/fs.img"
# The second EBR links backwards to sector 10241: xvda7 is lost.
cp "$src" "$T/e.img"
printf '\x01\x00\x00\x00' | dd of="$T/e.img" bs=1 seek=$((20480 * 512 + 446 + 16 + 8)) conv=notrunc status=none
vols "$T/e.img"
expect_eq "$(cat "$T/verr")" "domuloader: warning: xvda: extended partition chain links backwards at sector 20480 (link to sector 10241); later logical partitions ignored"
expect_eq "$(grep -c '^  xvda' "$T/vout")" 3 "volumes"
extract "$T/o" "$T/d.img"
expect_kernel "$src.files" 6.1.0-2
expect_err_grep "extended partition chain loops"
exit 0
