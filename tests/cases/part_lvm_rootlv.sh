# RHEL-style guest: /boot inside the root LV of a VG on xvda2, found without
# device-mapper; the LV is named /dev/guestvg/root and /dev/mapper/guestvg-root.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/part.sh"
need_loop
img=$(mkimg lvm-bootinroot)
vols "$img"
expect_eq "$VRC" 0 "dl_vols status"
vols_has "  xvda2  hd0,msdos2  61.0 MiB  LVM2_member"
vols_has "(LVM physical volume of volume group guestvg)"
vols_has "volume group guestvg"
vols_has "  /dev/guestvg/swap  lvm/guestvg-swap  8.0 MiB  -"
vols_has "  /dev/guestvg/root  lvm/guestvg-root  28.0 MiB  ext4"
vols_has 'LABEL="guestroot"'
vol_cmp "$img" -- /dev/mapper/guestvg-root "$img.files/fs.img"
# The LV's offset on the disk, as LVM records it: partition (6144 sectors)
# + pe_start (1 MiB) + 2 extents of 4 MiB (swap first).
vols "$img" --map /dev/guestvg/root 0 512
expect_eq "$(cat "$T/vout")" "0 $((6144 * 512 + 1048576 + 2 * 4194304)) 512" "root LV offset"
vols "$img" --find LABEL=guestroot
expect_eq "$(cat "$T/vout")" "/dev/guestvg/root"
vols "$img" --json
grep -qF '"kind":"lv","name":"/dev/guestvg/root","grub":"lvm/guestvg-root","vg":"guestvg","lv":"root","size":29360128,"fstype":"ext4"' "$T/vout" ||
	fail "JSON listing lacks the root LV: $(cat "$T/vout")"
extract "$T/o" --output-format=simple "$img"
expect_kernel "$img.files" 6.1.0-2
expect_out "kernel $KFILE
ramdisk $RFILE
args root=/dev/mapper/guestvg-root ro quiet

"
exit 0
