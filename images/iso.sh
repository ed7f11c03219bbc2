#!/bin/bash
# An installer-like ISO9660 image: isolinux.cfg, kernel and initrd, Rock
# Ridge symlinks (relative, absolute, through ..), a deep directory.
# Second argument: rr (Rock Ridge + Joliet, default), joliet, plain.
. "$(dirname "$0")/lib.sh"
out=$1 kind=${2:-rr}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
s=$w/src
mkdir -p "$s/isolinux" "$s/install.amd" "$s/a/b/c/d/e/f/g/h/i/j"
fake_file "$s/install.amd/vmlinuz" installer-kernel 300
fake_file "$s/install.amd/initrd.gz" installer-initrd 500
cat > "$s/isolinux/isolinux.cfg" <<CFG
DEFAULT install
TIMEOUT 0
LABEL install
  KERNEL /install.amd/vmlinuz
  APPEND initrd=/install.amd/initrd.gz vga=788 --- quiet
CFG
echo deep > "$s/a/b/c/d/e/f/g/h/i/j/deep.txt"
echo Mixed > "$s/MixedCase.Txt"
if [ "$kind" = rr ]; then
	ln -s install.amd/vmlinuz "$s/vmlinuz"
	ln -s /install.amd/initrd.gz "$s/abs-initrd"
	ln -s ../../install.amd "$s/a/b/up"
fi
case $kind in
rr) rr=on j=on ;; joliet) rr=off j=on ;; plain) rr=off j=off ;;
esac
rm -f "$out"
xorriso -report_about SORRY -outdev "$out" -rockridge "$rr" -joliet "$j" -map "$s" / -commit >/dev/null 2>&1
keep_files "$out" "$s"
