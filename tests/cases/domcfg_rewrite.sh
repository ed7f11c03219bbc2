# --rewrite-config: the configuration in its own dialect with the bootloader
# replaced by the extracted kernel, ramdisk and cmdline; every other line or
# element kept byte for byte, and the output accepted by the same parser.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/domcfg.sh"
img=$(mkimg gpt-sepboot)
pv_configs "$T/c" "$img"
K=/var/run/xen/pygrub/boot_kernel.abc
R=/var/run/xen/pygrub/boot_ramdisk.def
A="root=/dev/xvda2 ro quiet 'x'"

# changed lines: removed ones must be boot keys, added ones the new keys
only_boot_keys() { # IN OUT
	diff "$1" "$2" > "$T/diff"
	grep '^<' "$T/diff" | grep -vE 'bootloader|bootloader_args' && fail "$1: other lines removed"
	grep '^>' "$T/diff" | grep -vE '^> *(kernel|ramdisk|cmdline) = |^> *<(kernel|initrd|cmdline)>|^> *\(image \(linux \(kernel' \
		&& fail "$1: unexpected lines added"
	grep -q '^>' "$T/diff" || fail "$1: nothing added"
	return 0
}

for f in p.cfg p.xml p.sxp; do
	"$TOOL" rewrite "$T/c/$f" "$K" "$R" "$A" > "$T/out.$f" || fail "$f: rewrite failed"
	only_boot_keys "$T/c/$f" "$T/out.$f"
	"$TOOL" parse "$T/out.$f" > "$T/model" || fail "rewritten $f does not parse"
	grep -qx "kernel $K" "$T/model" || { cat "$T/model"; fail "$f: kernel"; }
	grep -qx "ramdisk $R" "$T/model" || fail "$f: ramdisk"
	grep -qFx "cmdline $A" "$T/model" || fail "$f: cmdline"
	grep -qx "bootloader " "$T/model" || fail "$f: bootloader still set"
	grep -q "^bootloader_arg" "$T/model" && fail "$f: bootloader_args still set"
	grep -qEx "disk xvda $img (raw|default) rw" "$T/model" || fail "$f: disk changed"
done
# exact bytes for the xl dialect
cat > "$T/want" <<CFG
name = "p1"  # PV guest
memory = 512
kernel = "$K"
ramdisk = "$R"
cmdline = "$A"
disk = [ 'phy:$img,xvda,w' ]
on_crash = "restart"
CFG
expect_cmp "$T/out.p.cfg" "$T/want"

# through the command line
for f in p.cfg p.xml p.sxp; do
	rm -rf "$T/o"
	extract "$T/o" --config="$T/c/$f" --rewrite-config="$T/new.$f" --output-format=xl
	expect_rc 0 "$f"
	expect_out "kernel = \"$KFILE\"
ramdisk = \"$RFILE\"
cmdline = \"root=/dev/xvda2 ro quiet\"
"
	"$TOOL" parse "$T/new.$f" > "$T/model" || fail "$f: --rewrite-config output does not parse"
	grep -qx "kernel $KFILE" "$T/model" || fail "$f: kernel in rewritten config"
	only_boot_keys "$T/c/$f" "$T/new.$f"
	# the same domain on a disk whose kernel is missing: nothing written
	bad=$(mkimg ext4-inroot missing)
	sed "s|$img|$bad|g" "$T/c/$f" > "$T/bad.$f"
	rm -rf "$T/o"
	extract "$T/o" --config="$T/bad.$f" --rewrite-config="$T/badnew.$f"
	expect_clean_failure "$T/o" "$f"
	expect_err_grep "vmlinuz-6.1.0-2"
	[ -e "$T/badnew.$f" ] && fail "$f: rewritten config written despite the failure"
done
# --rewrite-config needs --config and an extraction
dl_run -n --rewrite-config="$T/x" --config="$T/c/p.cfg"
expect_rc 1
expect_err_grep "rewrite-config needs --config and an extraction"
exit 0
