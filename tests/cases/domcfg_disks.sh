# --disks with xl key=value specs and legacy prefixes; --config applies the
# configuration's bootloader_args before the command line.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/domcfg.sh"
img=$(mkimg gpt-sepboot)
out=$T/o
mkdir -p "$out"

# bad specs are usage errors naming the problem
dl_run -q --output-directory="$out" --disks="$img,raw,xvda,w!!"
expect_rc 1
expect_err_grep "disk spec '$img,raw,xvda,w!!': unknown value for access"
dl_run -q --output-directory="$out" --disks="bogus:$img,xvda,w"
expect_rc 1
expect_err_grep "unknown deprecated disk prefix"
# formats nobody reads are refused before any parsing
dl_run -q --output-directory="$out" --disks="format=vhd, vdev=xvda, target=$img"
expect_rc 8
expect_err_grep "$img (xvda): disk format vhd is not supported"
# script targets have no local path
dl_run -q --output-directory="$out" --disks="iscsi:iqn.2001-05.com.example:d1,xvda,w"
expect_rc 8
expect_err_grep "has no local path (script block-iscsi)"

# good specs open the image (key=value with spaces after commas, and the
# domUloader form) and boot it
for spec in "format=raw, vdev=xvda, access=ro, target=$img" "phy:$img,xvda,w file:$img,xvdb,r"; do
	extract "$out" --disks="$spec"
	expect_rc 0 "--disks=$spec"
	expect_cmp "$KFILE" "$img.files/vmlinuz-6.1.0-2"
	rm -f "$out"/*
done

# bootloader_args from the configuration are options; the command line wins
pv_configs "$T/c" "$img"
sed -i 's/bootloader_args = \[ "-q" \]/bootloader_args = [ "-q", "--offset=notanumber" ]/' "$T/c/p.cfg"
dl_run --output-directory="$out" --config="$T/c/p.cfg"
expect_rc 1
expect_err_grep "offset value must be an integer, not 'notanumber'"
# ... and the command line wins over them
sed -i 's/"--offset=notanumber"/"--output-format=json"/' "$T/c/p.cfg"
extract "$out" --config="$T/c/p.cfg" --output-format=simple
expect_rc 0
expect_out "kernel $KFILE
ramdisk $RFILE
args root=/dev/xvda2 ro quiet

"
# an unreadable or broken configuration names itself
printf 'name = "x\n' > "$T/bad.cfg"
dl_run -q --config="$T/bad.cfg"
expect_rc 4
expect_err_grep "$T/bad.cfg:1: unterminated string"
dl_run -q --config="$T/missing.cfg"
expect_rc 2
exit 0
