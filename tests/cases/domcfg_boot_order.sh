# --config with an xl.cfg, a libvirt XML and a SEXPR describing the same HVM
# guest (GPT disk with /boot as hda, installer ISO as cdrom hdc): by default
# the disk boots; with boot="d" / <boot dev='cdrom'/> / (boot d) the cdrom
# alone is opened and the installer kernel comes off the ISO.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/domcfg.sh"
img=$(mkimg gpt-sepboot)
iso=$(mkimg iso-installer)
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
			expect_rc 0 "$f"
			expect_outputs "$T/out.d" ramdisk
			expect_cmp "$KFILE" "$img.files/vmlinuz-6.1.0-2"
			expect_out "linux (kernel '$KFILE')(ramdisk '$RFILE')(args 'root=/dev/xvda2 ro quiet')"
		else
			expect_eq "$(grep '^boot_disks' "$T/model")" "boot_disks hdc" "$f boot disks"
			expect_err_grep "booting from cdrom hdc ($iso)"
			# the installer kernel and initrd come off the ISO (isolinux.cfg)
			expect_rc 0 "$f"
			expect_outputs "$T/out.d" ramdisk
			expect_cmp "$KFILE" "$iso.files/install/vmlinuz"
			expect_cmp "$RFILE" "$iso.files/install/initrd.gz"
			grep -q "$img" "$T/err" && fail "$f: the hard disk was opened too"
		fi
	done
done
exit 0
