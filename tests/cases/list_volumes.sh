# domuloader --list-volumes: the volume tree as text and JSON; swap and an
# encrypted volume are listed with a note and skipped when booting.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg mixed-skip)
id=$(sfdisk --disk-id "$img" | sed 's/^0x//')
dd if="$img" of="$T/swap" bs=512 skip=2048 count=8192 status=none
swapuuid=$(blkid -p -o value -s UUID "$T/swap")
dl_run --list-volumes "$img"
expect_rc 0
sed -i 's/  UUID="[^"]*"  LABEL="boot"/  UUID=X  LABEL="boot"/' "$T/out"
expect_out "disk xvda ($img)  hd0  24.0 MiB  raw  dos
  xvda1  hd0,msdos1  4.0 MiB  swap  UUID=\"$swapuuid\"  LABEL=\"guestswap\"  PARTUUID=\"$id-01\"  (swap; skipped)
  xvda2  hd0,msdos2  4.0 MiB  crypto_LUKS  UUID=\"12345678-1234-1234-1234-123456789abc\"  PARTUUID=\"$id-02\"  (encrypted (LUKS); skipped)
  xvda3  hd0,msdos3  8.0 MiB  ext4  UUID=X  LABEL=\"boot\"  PARTUUID=\"$id-03\"
"
dl_run --list-volumes --output-format=json "$img"
expect_rc 0
grep -qF '{"kind":"partition","name":"xvda2","grub":"hd0,msdos2","disk":0,"partno":2,"scheme":"dos","size":4194304,"offset":5242880,"fstype":"crypto_LUKS","uuid":"12345678-1234-1234-1234-123456789abc","label":null,"partuuid":"'"$id"'-02","partlabel":null,"parttype":"0x83","note":"encrypted (LUKS); skipped","skip":true}' "$T/out" ||
	fail "JSON lacks xvda2: $(cat "$T/out")"
grep -qF '"disks":[{"index":0,"name":"xvda","path":"'"$img"'","format":"raw","size":25165824,"sector":512,"table":"dos","note":null}]' "$T/out" ||
	fail "JSON lacks the disk: $(cat "$T/out")"
# Unknown disk format; qcow2 stated on a raw image.
dl_run --list-volumes --format=vmdk "$img"
expect_rc 1
expect_err_grep "unknown disk format 'vmdk' (raw, qcow2)"
dl_run --list-volumes --format=qcow2 "$img"
expect_rc 9
expect_eq "$(cat "$T/err")" "domuloader: error: $img: not a qcow2 image (format qcow2 was given)"
# Booting skips xvda1 and xvda2 (said with -v) and uses xvda3.
. "$DL_TOP/tests/lib/part.sh"
extract "$T/o" -v "$img"
expect_kernel "$img.files" 6.1.0-2
expect_err_grep "xvda2: encrypted (LUKS); skipped"
exit 0
