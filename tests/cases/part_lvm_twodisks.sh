# A VG spread over two disk images: the root LV starts on disk 1 (xvda1)
# and continues on disk 2 (whole-disk PV xvdb).  With only one disk the LV
# is reported incomplete, naming the missing PV.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/part.sh"
need_loop
img=$(mkimg lvm-twodisks)
d2=$img.files/disk2.img
vols "$img" "$d2"
expect_eq "$VRC" 0 "dl_vols status"
vols_has "disk xvdb ($d2)  hd1  24.0 MiB  raw  no partition table"
vols_has "  xvdb  hd1  24.0 MiB  LVM2_member"
vols_has "  /dev/vg0/root  lvm/vg0-root  24.0 MiB  ext4"
vols_has "  /dev/vg0/home  lvm/vg0-home  2.0 MiB  -"
vol_cmp "$img" "$d2" -- /dev/vg0/root "$img.files/fs.img"
vols "$img" "$d2" --map /dev/vg0/root $((14 * 1048576 - 512)) 1024
expect_eq "$(cat "$T/vout")" "0 $((2048 * 512 + 1048576 + 14 * 1048576 - 512)) 512
1 1048576 512" "root LV crosses from disk 0 to disk 1"
vols "$img"
expect_eq "$VRC" 0 "one disk only"
vols_has "  /dev/vg0/root  lvm/vg0-root  24.0 MiB  -  (incomplete: physical volume pv1 ("
vols_has ") is missing)"
extract "$T/o" "$img" "$d2"
expect_kernel "$img.files" 6.1.0-2
exit 0
