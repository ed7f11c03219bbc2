# A GPT written for 4096-byte logical sectors, read from a plain image file
# (512-byte reads): found at byte 4096, LBAs in 4 KiB units.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/part.sh"
need_loop
img=$(mkimg gpt-4k)
vols "$img"
expect_eq "$VRC" 0 "dl_vols status"
vols_has "raw  gpt  4096-byte sectors"
vols_has "  xvda1  hd0,gpt1  2.0 MiB  -"
vols_has "  xvda2  hd0,gpt2  8.0 MiB  ext4"
vols "$img" --map xvda2 0 4096
expect_eq "$(cat "$T/vout")" "0 4194304 4096" "xvda2 starts at LBA 1024 x 4096"
vol_cmp "$img" -- xvda2 "$img.files/fs.img"
extract "$T/o" "$img"
expect_kernel "$img.files" 6.1.0-2
exit 0
