# btrfs guests as installers leave them (images/btrfs-installers.sh):
# Ubuntu's @/@home with the top level as default subvolume (the
# configuration is /@/boot/grub/grub.cfg and its paths start at the top
# level, as GRUB reads a btrfs), Fedora's root subvolume beside an ext4
# /boot, and a system in a nested subvolume that only fstab's subvol=
# names, and openSUSE's snapshot as the default subvolume; a system in @
# without fstab, whose entry's rootflags=subvol=@ says where / is.  A flat btrfs
# is extract_xfs_btrfs.  Exact bytes and command line each time.
. "$DL_TOP/tests/lib/functions.sh"
[ "$(id -u)" = 0 ] && grep -qw btrfs /proc/filesystems || skip "no root or no btrfs in this kernel"
for v in ubuntu fedora opensuse nested rootflags; do
	img=$(mkimg btrfs-installers "$v")
	U=$(cat "$img.files/uuid")
	extract "$T/$v" --output-format=simple "$img"
	expect_rc 0 "$v"
	expect_outputs "$T/$v" ramdisk
	expect_cmp "$KFILE" "$img.files/vmlinuz-6.1.0-2"
	expect_cmp "$RFILE" "$img.files/initrd.img-6.1.0-2"
	case $v in
	ubuntu) args="root=UUID=$U ro rootflags=subvol=@ quiet splash" ;;
	fedora) args="root=UUID=$U ro rootflags=subvol=root" ;;
	opensuse) args="root=UUID=$U splash=silent quiet" ;;
	nested) args="root=UUID=$U rootflags=subvol=/ROOT/debian ro" ;;
	rootflags) args="root=UUID=$U rw rootflags=compress=zstd,subvol=@" ;;
	esac
	expect_out "kernel $KFILE
ramdisk $RFILE
args $args

"
done
# Where it was found, said with -v: the configuration inside @, the
# kernel by GRUB's top-level path.
img=$(mkimg btrfs-installers ubuntu)
dl_run -v -n --output-format=simple "$img"
expect_rc 0 "ubuntu -n"
grep -q '^kernel xvda1:/@/boot/vmlinuz-6.1.0-2$' "$T/out" || { cat "$T/out" >&2; fail "kernel path"; }
dl_run -q -n --output-format=json "$img"
grep -q '^  "config": "xvda1:/@/boot/grub/grub.cfg",$' "$T/out" || { cat "$T/out" >&2; fail "config path"; }
# the entry's rootflags=subvol=@, said with -v
img=$(mkimg btrfs-installers rootflags)
dl_run -v -n --output-format=simple "$img"
expect_rc 0 "rootflags -n"
grep -q '^kernel xvda1:/@/boot/vmlinuz-6.1.0-2$' "$T/out" || { cat "$T/out" >&2; fail "kernel path"; }
expect_err_grep "/boot/vmlinuz-6.1.0-2 found as /@/boot/vmlinuz-6.1.0-2, in the subvolume the command line's rootflags=subvol= names"
exit 0
