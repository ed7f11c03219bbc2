# LVM metadata: the newest copy with a valid checksum wins.  A PV with two
# metadata areas still gives its VG when the first copy is damaged (the
# LVM CRC variant is checked), and no VG when both are.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/part.sh"
need_loop
src=$(mkimg lvm-mda2)
vols "$src"
expect_eq "$VRC" 0 "dl_vols status"
expect_eq "$(cat "$T/verr")" "" "no warning on an intact PV"
vols_has "  /dev/vgm/b  lvm/vgm-b  4.0 MiB  ext4"
vol_cmp "$src" -- /dev/vgm/b "$src.files/fs.img"
# raw_locn[0] of the first mda (header at 4096): offset at +40 (LE u64).
# Byte 20 of the metadata text lies in the VG's random id (letters and
# digits): '#' always changes it ('X' did not, one time in 62).
off=$(od -A n -t u8 -j $((4096 + 40)) -N 8 "$src" | tr -d ' ')
cp "$src" "$T/d.img"
printf '#' | dd of="$T/d.img" bs=1 seek=$((4096 + off + 20)) conv=notrunc status=none
vols "$T/d.img"
expect_eq "$VRC" 0 "first copy damaged"
expect_eq "$(cat "$T/verr")" "domuloader: warning: xvda: LVM metadata copy at $((4096 + off)) has a bad checksum; ignored"
vols_has "  /dev/vgm/b  lvm/vgm-b  4.0 MiB  ext4"
vol_cmp "$T/d.img" -- /dev/vgm/b "$src.files/fs.img"
# Damage the second copy too: the PV header (sector 1, at +32) lists one
# data area, then the metadata areas; the second mda's offset is at 632.
u64() { od -A n -t u8 -j "$2" -N 8 "$1" | tr -d ' '; }
[ "$(u64 "$T/d.img" $((512 + 32 + 40 + 16 + 16)))" = 4096 ] || fail "unexpected PV header layout"
m2=$(u64 "$T/d.img" 632)
off2=$(u64 "$T/d.img" $((m2 + 40)))
printf '#' | dd of="$T/d.img" bs=1 seek=$((m2 + off2 + 20)) conv=notrunc status=none
vols "$T/d.img"
expect_eq "$VRC" 0 "both copies damaged"
vols_has "  xvda  hd0  32.0 MiB  LVM2_member"
vols_has "(LVM physical volume (no volume group found))"
expect_eq "$(grep -c '/dev/vgm' "$T/vout")" 0 "no LVs without valid metadata"
exit 0
