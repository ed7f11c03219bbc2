# A config on root naming /srv/kernels/vmlinuz-6.1.0-3 while /srv/kernels
# is another partition mounted by UUID in the guest's /etc/fstab: the path
# is resolved through fstab to that volume (no /boot heuristic covers it).
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg boot-layouts fstab-mount)
src=$img.files

extract "$T/a" --output-format=simple "$img"
expect_rc 0
expect_outputs "$T/a" ramdisk
expect_cmp "$KFILE" "$src/vmlinuz-6.1.0-3"
expect_cmp "$RFILE" "$src/initrd.img-6.1.0-3"
expect_out "kernel $KFILE
ramdisk $RFILE
args root=UUID=3f0b9e2a-5c1d-4e8f-9a7b-6c5d4e3f2a10 ro

"
# -n reports where the files were found
dl_run -q -n --output-format=simple "$img"
expect_rc 0
expect_out "kernel xvda1:/vmlinuz-6.1.0-3
ramdisk xvda1:/initrd.img-6.1.0-3
args root=UUID=3f0b9e2a-5c1d-4e8f-9a7b-6c5d4e3f2a10 ro

"
exit 0
