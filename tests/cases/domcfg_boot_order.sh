# --config with an xl.cfg, a libvirt XML and a SEXPR describing the same HVM
# guest (GPT disk with /boot as hda, installer ISO as cdrom hdc): by default
# the disk boots; with boot="d" / <boot dev='cdrom'/> / (boot d) the cdrom
# alone is opened, and a missing ISO9660 reader is reported as such.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/domcfg.sh"
img=$(mkimg gpt-sepboot)
iso=$(mkimg iso-installer)
no_fs=
for boot in "" d; do
	guest_configs "$T/c$boot" "$img" "$iso" "$boot"
	for f in g.cfg g.xml g.sxp; do
		cfg=$T/c$boot/$f
		"$TOOL" parse "$cfg" > "$T/model" || fail "$cfg does not parse"
		grep -qx "disk hda $img raw rw" "$T/model" || { cat "$T/model"; fail "$f: hda"; }
		grep -qx "disk hdc $iso raw ro cdrom" "$T/model" || { cat "$T/model"; fail "$f: hdc"; }
		rm -rf "$T/out.d"
		extract "$T/out.d" -v --config="$cfg"
		if [ -z "$boot" ]; then
			expect_eq "$(grep '^boot_disks' "$T/model")" "boot_disks hda" "$f boot disks"
			expect_err_grep "booting from disk hda ($img)"
			if [ "$RC" = 0 ]; then
				expect_outputs "$T/out.d" ramdisk
				expect_cmp "$KFILE" "$img.files/vmlinuz-6.1.0-2"
				expect_out "linux (kernel '$KFILE')(ramdisk '$RFILE')(args 'root=/dev/xvda2 ro quiet')"
			else
				# no ext4 reader in this build: the error names the disk image
				expect_err_grep "$img: $NO_FS_MSG"
				expect_clean_failure "$T/out.d" "$f"
				no_fs=1
			fi
		else
			expect_eq "$(grep '^boot_disks' "$T/model")" "boot_disks hdc" "$f boot disks"
			expect_err_grep "booting from cdrom hdc ($iso)"
			if [ "$RC" = 0 ]; then
				# an ISO9660 reader exists: the installer kernel comes out
				expect_cmp "$KFILE" "$iso.files/install/vmlinuz"
			elif [ "$RC" = 8 ]; then
				# no ISO9660 reader: said so, naming the cdrom
				expect_err_grep "^domuloader: error: $iso: boot device is cdrom hdc, iso9660"
				expect_clean_failure "$T/out.d" "$f"
			else
				# the ISO is readable but no boot parser found the installer
				expect_rc 3 "not found"
				expect_err_grep "^domuloader: error: $iso: .*(boot device: cdrom hdc)"
				expect_clean_failure "$T/out.d" "$f"
				no_fs=1
				# the hard disk was not used instead
				grep -q "$img" "$T/err" && fail "fell back to the hard disk"
			fi
		fi
	done
done
[ -n "$no_fs" ] && skip "disk selection checked; $MISSING"
exit 0
