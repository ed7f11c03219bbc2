# Configurations where UEFI installs keep them (images/efi-layouts.sh): the
# ESP's vendor stub followed to the real grub.cfg on the root partition
# (EFI/debian before the removable-media EFI/BOOT), /boot/efi/EFI/... seen
# from the root filesystem, systemd-boot's loader.conf default glob.
. "$DL_TOP/tests/lib/functions.sh"
json_field() { sed -n "s/^  \"$1\": \(.*\),\$/\1/p" "$T/out"; }
for v in stub rootefi sdboot; do
	img=$(mkimg efi-layouts "$v")
	extract "$T/$v" --output-format=simple "$img"
	expect_rc 0 "$v"
	expect_outputs "$T/$v" ramdisk
	case $v in
	stub) expect_cmp "$KFILE" "$img.files/vmlinuz-6.1.0-2"; args="root=/dev/xvda2 ro quiet"
	      cfg='"xvda1:/EFI/debian/grub.cfg"' ;;
	rootefi) expect_cmp "$KFILE" "$img.files/vmlinuz-6.1.0-2"; args="root=/dev/xvda1 ro crashkernel=auto"
	      cfg='"xvda1:/boot/efi/EFI/centos/grub.cfg"' ;;
	sdboot) expect_cmp "$KFILE" "$img.files/vmlinuz-6.1.0-2"
	      args="root=UUID=5e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b rw v=6.1.0-2" ;;
	esac
	expect_cmp "$RFILE" "$img.files/initrd.img-6.1.0-2"
	expect_eq "$(sed -n 's/^args //p' "$T/out")" "$args" "$v: args"
	if [ "$v" != sdboot ]; then
		dl_run -q -n --output-format=json "$img"
		expect_rc 0 "$v json"
		expect_eq "$(json_field config)" "$cfg" "$v: the configuration read"
	fi
done
exit 0
