# A guest installed on a partitioned disk, given as one partition
# (images/presented-part.sh, --disks phy:IMG,xvda1,w): menu.lst's (hd0,0)
# and (hd0,1), GRUB 2's hd0,msdos1 / (hd0,msdos2) and PV-GRUB's
# (xen/xvda,msdos1) name partitions this disk does not have, so they mean
# the volume holding the configuration, as GRUB in that guest sees it (-v
# says so).  A device that exists elsewhere is never replaced: a second
# disk's volume is not taken for a missing one.
. "$DL_TOP/tests/lib/functions.sh"
for v in legacy grub2; do
	img=$(mkimg presented-part "$v")
	for e in 0 1; do
		extract "$T/$v$e" -v --entry=$e --output-format=simple --disks="phy:$img,xvda1,w"
		expect_rc 0 "$v entry $e"
		expect_outputs "$T/$v$e" ramdisk
		k=6.1.0-$((2 - e))
		expect_cmp "$KFILE" "$img.files/vmlinuz-$k"
		expect_cmp "$RFILE" "$img.files/initrd.img-$k"
		expect_err_grep "no such device in the guest's disks; reading xvda1, which holds the configuration"
	done
done
# Two disks, both holding the files: the configuration on xvda names
# (hd0,msdos2) and (xen/xvda,msdos1), which do not exist; xvda is read,
# never the other disk's volume.
img=$(mkimg presented-part grub2)
other=$(mkimg presented-part legacy)
dl_run -q -n --entry=1 --output-format=simple --disks="phy:$img,xvda,w phy:$other,xvdb,w"
expect_rc 0 "two disks"
expect_eq "$(sed -n 's/^kernel //p' "$T/out")" "xvda:/boot/vmlinuz-6.1.0-1" "two disks"
exit 0
