# GPT with 128 partitions; /boot on the last one (xvda128).
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/part.sh"
img=$(mkimg gpt-128)
vols "$img"
expect_eq "$VRC" 0 "dl_vols status"
expect_eq "$(grep -c '^  xvda' "$T/vout")" 128 "volumes"
vols_has "  xvda1  hd0,gpt1  4.0 KiB  -"
vols_has 'PARTLABEL="p127"'
vols_has "  xvda128  hd0,gpt128  8.0 MiB  ext4"
vol_cmp "$img" -- PARTLABEL=boot "$img.files/fs.img"
vol_cmp "$img" -- /dev/xvda128 "$img.files/fs.img"
extract "$T/o" "$img"
expect_kernel "$img.files" 6.1.0-2
exit 0
