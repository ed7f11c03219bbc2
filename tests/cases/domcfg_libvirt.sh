# libvirt's own xm/xl/SEXPR/XML conversion test data (tests/domcfg/libvirt,
# see its README) boots what the toolstack would: the boot disk (or cdrom),
# "a dom0 kernel, nothing to extract" for a direct kernel boot, "the network"
# for pypxeboot; then a few of them with their paths pointed at recipe
# images, run through domuloader --config.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/domcfg.sh"
DATA=$DL_TOP/tests/domcfg/libvirt

# libvirt's test loader (virTestLoadFile) joins lines ending in a backslash
unfold() { sed -e ':a' -e '/\\$/{N;s/\\\n//;ba' -e '}' "$1"; }

# FILE: boot_kind and boot_disks as xl, xend and libvirt read it
while read -r f kind disks; do
	unfold "$DATA/$f" > "$T/$f"
	"$TOOL" parse "$T/$f" > "$T/model" || fail "$f does not parse"
	expect_eq "$(grep '^boot_kind' "$T/model")" "boot_kind $kind" "$f boot kind"
	expect_eq "$(grep '^boot_disks' "$T/model")" "boot_disks $disks" "$f boot disks"
done <<'TABLE'
xm-fullvirt-old-cdrom.cfg disk hdc
xm-fullvirt-old-cdrom.xml disk hdc
xm-pv-bootloader.cfg network xvda
xm-pv-bootloader.xml network xvda
xl-fullvirt-direct-kernel-boot.cfg kernel hdc
xl-new-disk.cfg disk hdc
xl-paravirt-cmdline.cfg kernel xvda
xl-paravirt-cmdline.xml kernel xvda
sexpr-pv.sexpr kernel xvda
sexpr-pv-bootloader.sexpr network xvda
sexpr-pv-bootloader-cmdline.sexpr disk xvda
sexpr-disk-drv-blktap-qcow.sexpr kernel xvda
sexpr-boot-grub.sexpr disk xvda
sexpr-fv-kernel.sexpr kernel xvda
sexpr-no-source-cdrom.sexpr disk hda
TABLE
[ "$(ls "$DATA" | grep -vc README)" = 15 ] || fail "a data file is not in the table"

img=$(mkimg gpt-sepboot)
iso=$(mkimg iso-installer)
# point libvirt's paths at the images
place() { # FILE OUT
	unfold "$DATA/$1" | sed -e "s|/dev/HostVG/XenGuest2|$img|g" -e "s|/root/boot.iso|$iso|g" \
		-e "s|/root/some.img|$img|g" > "$2"
}

# xm: cdrom = "/root/boot.iso" with boot = "d" boots the ISO, alone
for f in xm-fullvirt-old-cdrom.cfg xm-fullvirt-old-cdrom.xml; do
	place "$f" "$T/$f"
	rm -rf "$T/o.$f"
	extract "$T/o.$f" -v --config="$T/$f"
	expect_rc 0 "$f"
	expect_err_grep "booting from cdrom hdc ($iso)"
	expect_cmp "$KFILE" "$iso.files/install/vmlinuz"
	expect_cmp "$RFILE" "$iso.files/install/initrd.gz"
done
# ... and with boot = "c" the hard disk
sed 's/^boot = "d"/boot = "c"/' "$T/xm-fullvirt-old-cdrom.cfg" > "$T/c.cfg"
extract "$T/o.c" --config="$T/c.cfg"
expect_rc 0 "boot c"
expect_cmp "$KFILE" "$img.files/vmlinuz-6.1.0-2"

# a dom0 kernel booted directly: nothing to extract (exit 10), the
# configuration left as it is, in place or as --rewrite-config's OUT
for f in sexpr-pv.sexpr xl-paravirt-cmdline.cfg xl-paravirt-cmdline.xml sexpr-fv-kernel.sexpr; do
	place "$f" "$T/d.$f"
	cp "$T/d.$f" "$T/keep"
	rm -rf "$T/o.$f"
	extract "$T/o.$f" --config="$T/d.$f" --rewrite-config="$T/new.$f"
	expect_clean_failure "$T/o.$f" "$f"
	expect_rc 10 "$f"
	expect_err_grep "d.$f: the domain boots the dom0 kernel /.* directly: nothing to extract"
	expect_cmp "$T/new.$f" "$T/keep"
	extract "$T/o.$f" --config="$T/d.$f" --rewrite-config="$T/d.$f"
	expect_rc 10 "$f in place"
	expect_cmp "$T/d.$f" "$T/keep"
	extract "$T/o.$f" --config="$T/d.$f" -l
	expect_rc 10 "$f -l"
done
# --from-disk: the disk's own kernel, and the Fedora installer's method=
# (the dom0 kernel's command line) is replaced only then
f=sexpr-pv.sexpr
rm -rf "$T/o.fd"
extract "$T/o.fd" --config="$T/d.$f" --from-disk --rewrite-config="$T/fd.sxp"
expect_rc 0 "--from-disk"
expect_cmp "$KFILE" "$img.files/vmlinuz-6.1.0-2"
"$TOOL" parse "$T/fd.sxp" > "$T/model" || fail "rewritten $f does not parse"
grep -qx "kernel $KFILE" "$T/model" || { cat "$T/model"; fail "--from-disk: kernel"; }
grep -q "method=http" "$T/fd.sxp" && fail "--from-disk: the old command line stayed"

# pypxeboot (bootargs/bootloader_args mac=...): the network, not a disk;
# --from-disk boots the disk and leaves pypxeboot's arguments to it
for f in xm-pv-bootloader.cfg xm-pv-bootloader.xml sexpr-pv-bootloader.sexpr; do
	place "$f" "$T/n.$f"
	rm -rf "$T/o.$f"
	extract "$T/o.$f" --config="$T/n.$f"
	expect_clean_failure "$T/o.$f" "$f"
	expect_rc 10 "$f"
	expect_err_grep "boots from the network (/usr/bin/pypxeboot): nothing to extract"
	extract "$T/o.$f" --config="$T/n.$f" --from-disk
	expect_rc 0 "$f --from-disk"
	expect_cmp "$KFILE" "$img.files/vmlinuz-6.1.0-2"
done
# the same arguments meant for another bootloader given to pygrub are named
sed 's|/usr/bin/pypxeboot|/usr/bin/pygrub|' "$T/n.xm-pv-bootloader.cfg" > "$T/pg.cfg"
extract "$T/o.pg" --config="$T/pg.cfg"
expect_clean_failure "$T/o.pg" "mac= for pygrub"
expect_rc 1 "mac= for pygrub"
expect_err_grep "pg.cfg: bootloader_args: 'mac=AA:00:86:e2:35:72' is not an option of domuloader but an argument for another bootloader"
grep -q "not found" "$T/err" && fail "mac= read as a file"
# an option of another pygrub version
sed 's|^bootargs = .*|bootloader_args = [ "-q", "--entry", "0", "--no-such-option" ]|' "$T/pg.cfg" > "$T/pg2.cfg"
extract "$T/o.pg2" --config="$T/pg2.cfg"
expect_rc 1 "another pygrub's option"
expect_err_grep "pg2.cfg: bootloader_args: '--no-such-option' is not an option of domuloader (one of another pygrub version?)"
sed -i 's|, "--no-such-option"||' "$T/pg2.cfg"
extract "$T/o.pg2" --config="$T/pg2.cfg"
expect_rc 0 "--entry 0 as two arguments"

# qcow version 1 (tap:qcow:): named, with the way out
f=sexpr-disk-drv-blktap-qcow.sexpr
place "$f" "$T/q.sxp"
extract "$T/o.q" --config="$T/q.sxp"
expect_rc 10 "$f"
extract "$T/o.q" --config="$T/q.sxp" --from-disk
expect_clean_failure "$T/o.q" "$f --from-disk"
expect_rc 8 "$f --from-disk"
expect_err_grep "$img (xvda): qcow version 1 images are not supported"

# PV-GRUB boots the disk's menu.lst: that is what the disk gives
place sexpr-boot-grub.sexpr "$T/g.sxp"
sed -i "s|phy:/dev/MainVG/GuestVG|file:$img|" "$T/g.sxp"
extract "$T/o.g" --config="$T/g.sxp"
expect_rc 0 "PV-GRUB"
expect_cmp "$KFILE" "$img.files/vmlinuz-6.1.0-2"
exit 0
