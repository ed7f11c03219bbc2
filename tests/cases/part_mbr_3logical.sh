# MBR with three logical partitions; the kernel is on the last (xvda7).
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/part.sh"
img=$(mkimg mbr-3logical)
vols "$img"
expect_eq "$VRC" 0 "dl_vols status"
expect_eq "$(grep -c '^  xvda' "$T/vout")" 4 "volumes"
vols_has "  xvda1  hd0,msdos1  4.0 MiB  ext4"
vols_has "  xvda5  hd0,msdos5  4.0 MiB  ext4"
vols_has "  xvda6  hd0,msdos6  4.0 MiB  -"
vols_has "  xvda7  hd0,msdos7  8.0 MiB  ext4"
vols_has 'LABEL="boot"'
vol_cmp "$img" -- xvda7 "$img.files/fs.img"
vol_cmp "$img" -- "(hd0,msdos7)" "$img.files/fs.img"
vol_cmp "$img" -- LABEL=boot "$img.files/fs.img"
extract "$T/o" --output-format=simple "$img"
expect_kernel "$img.files" 6.1.0-2
expect_out "kernel $KFILE
ramdisk $RFILE
args root=/dev/xvda6 ro quiet

"
exit 0
