# An LV striped over two PVs on two GPT partitions (64 KiB stripes) reads
# like any volume; copy ranges alternate between the partitions.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/part.sh"
need_loop
img=$(mkimg lvm-striped)
vols "$img"
expect_eq "$VRC" 0 "dl_vols status"
vols_has "  /dev/stripevg/pad  lvm/stripevg-pad  3.0 MiB  -"
vols_has "  /dev/stripevg/data  lvm/stripevg-data  16.0 MiB  ext4"
vol_cmp "$img" -- /dev/stripevg/data "$img.files/fs.img"
# 64 KiB chunks: first on PV1 after pad (3 extents of 1 MiB), then PV2.
vols "$img" --map /dev/stripevg/data 65536 131072
p1=$((2048 * 512 + 1048576)) p2=$((43008 * 512 + 1048576))
expect_eq "$(cat "$T/vout")" "0 $((p2)) 65536
0 $((p1 + 3 * 1048576 + 65536)) 65536" "stripe map"
extract "$T/o" "$img"
expect_kernel "$img.files" 6.1.0-2
exit 0
