#!/bin/bash
# ISO9660 installer CD (El Torito-less, Rock Ridge): /isolinux/isolinux.cfg
# booting /install/vmlinuz with /install/initrd.gz, as Debian's netinst lays
# them out.  For the domain-config cdrom cases.
. "$(dirname "$0")/lib.sh"
out=$1
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
mkdir -p "$w/iso/install" "$w/iso/isolinux"
fake_file "$w/iso/install/vmlinuz" "installer-kernel" 64
fake_file "$w/iso/install/initrd.gz" "installer-initrd" 128
cat > "$w/iso/isolinux/isolinux.cfg" <<'CFG'
default install
label install
	kernel /install/vmlinuz
	append vga=788 initrd=/install/initrd.gz --- quiet
CFG
xorriso -as mkisofs -quiet -R -J -V INSTALLER -o "$out" "$w/iso" 2>/dev/null
keep_files "$out" "$w/iso"
