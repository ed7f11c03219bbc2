# A thin pool and a thin LV: listed with a clear "unsupported" note and
# skipped, while the linear LV next to them boots.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/part.sh"
need_loop
img=$(mkimg lvm-thin)
vols "$img"
expect_eq "$VRC" 0 "dl_vols status"
vols_has "  /dev/thinvg/boot  lvm/thinvg-boot  12.0 MiB  ext4"
vols_has "  /dev/thinvg/pool  lvm/thinvg-pool  16.0 MiB  -  (unsupported: LVM thin pool (segment type thin-pool))"
vols_has "  /dev/thinvg/thin  lvm/thinvg-thin  32.0 MiB  -  (unsupported: LVM thin volume (segment type thin))"
expect_eq "$(grep -c 'pool_t' "$T/vout")" 0 "hidden LVs are not listed"
vols "$img" --cat /dev/thinvg/thin 0 512
expect_eq "$(wc -c < "$T/vout")" 0 "a thin LV has no readable bytes"
vol_cmp "$img" -- /dev/thinvg/boot "$img.files/fs.img"
extract "$T/o" "$img"
expect_kernel "$img.files" 6.1.0-2
exit 0
