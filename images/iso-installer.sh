#!/bin/bash
# ISO9660 installer CD (El Torito-less, Rock Ridge): /isolinux/isolinux.cfg
# booting /install/vmlinuz with /install/initrd.gz, as Debian's netinst lays
# them out.  For the domain-config cdrom cases.  Variant "menu": the
# default is vesamenu.c32 reading another file (menus/main.cfg), whose
# MENU DEFAULT is a live system, with a MENU HIDE label and MENU GOTO/EXIT.
. "$(dirname "$0")/lib.sh"
out=$1 variant=${2:-plain}
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
if [ "$variant" = menu ]; then
	mkdir -p "$w/iso/live" "$w/iso/isolinux/menus"
	fake_file "$w/iso/live/vmlinuz" "live-kernel" 64
	fake_file "$w/iso/live/initrd.img" "live-initrd" 96
	cat > "$w/iso/isolinux/isolinux.cfg" <<'CFG'
PATH /isolinux
DEFAULT vesamenu.c32 menus/main.cfg
TIMEOUT 50
LABEL rescue
  KERNEL /install/vmlinuz
  APPEND initrd=/install/initrd.gz rescue/enable=true
CFG
	cat > "$w/iso/isolinux/menus/main.cfg" <<'CFG'
MENU TITLE Installer boot menu
LABEL hidden
  MENU HIDE
  MENU DEFAULT
  KERNEL /install/vmlinuz
  APPEND initrd=/install/initrd.gz hidden
LABEL live
  MENU LABEL ^Live system
  MENU DEFAULT
  KERNEL /live/vmlinuz
  APPEND initrd=/live/initrd.img boot=live quiet
LABEL adv
  MENU LABEL ^Advanced options
  MENU GOTO advanced
MENU BEGIN advanced
  MENU TITLE Advanced options
  LABEL expert
    KERNEL /install/vmlinuz
    APPEND initrd=/install/initrd.gz priority=low
  LABEL back
    MENU LABEL Back..
    MENU EXIT
MENU END
CFG
fi
xorriso -as mkisofs -quiet -R -J -V INSTALLER -o "$out" "$w/iso" 2>/dev/null
keep_files "$out" "$w/iso"
