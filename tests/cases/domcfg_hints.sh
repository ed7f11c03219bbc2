# --config: a PV configuration's kernel/ramdisk/root+extra are hints for the
# bootloader (libxl's --kernel/--ramdisk/--args); an HVM one's are not.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/domcfg.sh"
img=$(mkimg gpt-sepboot)
cat > "$T/p.cfg" <<CFG
name = "p1"
bootloader = "pygrub"
kernel = "/vmlinuz-6.1.0-1"
ramdisk = "/initrd.img-6.1.0-1"
root = "/dev/xvda2"
extra = "console=hvc0"
disk = [ 'phy:$img,xvda,w' ]
CFG
"$TOOL" parse "$T/p.cfg" > "$T/model"
grep -qx "cmdline root=/dev/xvda2 console=hvc0" "$T/model" || fail "root+extra rule"
extract "$T/o" --config="$T/p.cfg" --output-format=simple
expect_rc 0
expect_cmp "$KFILE" "$img.files/vmlinuz-6.1.0-1"
expect_cmp "$RFILE" "$img.files/initrd.img-6.1.0-1"
expect_out "kernel $KFILE
ramdisk $RFILE
args root=/dev/xvda2 console=hvc0

"
# HVM: no bootloader runs in the toolstack, the kernel line is a dom0 path
# booted directly (qemu -kernel): nothing to extract, unless --from-disk,
# which boots the disk's default entry (no hints either)
sed -i '1i type = "hvm"' "$T/p.cfg"
rm -rf "$T/o2"
extract "$T/o2" --config="$T/p.cfg" --output-format=simple
expect_clean_failure "$T/o2" "HVM direct kernel"
expect_rc 10 "HVM direct kernel"
expect_err_grep "p.cfg: the domain boots the dom0 kernel /vmlinuz-6.1.0-1 directly: nothing to extract"
extract "$T/o2" --config="$T/p.cfg" --output-format=simple --from-disk
expect_rc 0 "HVM --from-disk"
expect_cmp "$KFILE" "$img.files/vmlinuz-6.1.0-2"
# PV with an empty bootloader: the kernel is the dom0's, never a hint
# looked up in the guest, with or without --from-disk
cat > "$T/d.cfg" <<CFG
bootloader = ""
kernel = "/vmlinuz-6.1.0-1"
extra = "method=http://example.org/os"
disk = [ 'phy:$img,xvda,w' ]
CFG
rm -rf "$T/o3"
extract "$T/o3" --config="$T/d.cfg"
expect_clean_failure "$T/o3" "PV direct kernel"
expect_rc 10 "PV direct kernel"
extract "$T/o3" --config="$T/d.cfg" --from-disk --output-format=simple
expect_rc 0 "PV --from-disk"
expect_cmp "$KFILE" "$img.files/vmlinuz-6.1.0-2"
grep -q "method=" "$T/out" && fail "the dom0 kernel's command line was used as a hint"
exit 0
