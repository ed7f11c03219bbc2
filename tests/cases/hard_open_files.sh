# Files the user's command line or an image names are opened without ever
# blocking and refused unless they are regular files (or, for disks, block
# devices): a FIFO as the disk or as a qcow2 backing file fails at once.
# --allow-backing-file follows only a relative name without ".." that stays
# in the image's directory after symlinks, or (=DIR) anything under DIR.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg qcow2)
F=$img.files
d=$T/d; mkdir -p "$d/img" "$d/other"
cp "$F/raw.img" "$d/other/raw.img"
cp "$F/raw.img" "$d/img/raw.img"
mkfifo "$d/fifo" "$d/img/fifo"
ln -s ../other/raw.img "$d/img/link.img"
# overlay NAME BACKING: a qcow2 in $d/img whose backing file is BACKING (raw)
overlay() {
	qemu-img create -q -f qcow2 -u -b "$2" -F raw "$d/img/$1" 48M
}
# run_t ARGS...: domuloader under a generous outer timeout; a hang shows as 124.
run_t() {
	rm -rf "$T/o"; mkdir -p "$T/o"
	RC=0
	timeout -k 5 60 "$DL" -q --output-directory="$T/o" --timeout=30 "$@" >"$T/out" 2>"$T/err" || RC=$?
	[ "$RC" != 124 ] && [ "$RC" != 137 ] || fail "domuloader hung on $*"
}
run_t "$d/fifo"
expect_clean_failure "$T/o" "FIFO as the disk"
expect_err_grep "fifo: not a regular file or block device"
run_t --no-sandbox "$d/fifo"
expect_clean_failure "$T/o" "FIFO as the disk, --no-sandbox"
overlay fifo.qcow2 fifo
run_t --format=qcow2 --allow-backing-file "$d/img/fifo.qcow2"
expect_clean_failure "$T/o" "FIFO as the backing file"
expect_err_grep "fifo: not a regular file$"
# relative, in the image's directory: followed
overlay ok.qcow2 raw.img
run_t --format=qcow2 --allow-backing-file "$d/img/ok.qcow2"
expect_rc 0 "relative backing file"
KFILE=$(find "$T/o" -name 'boot_kernel.*'); RFILE=$(find "$T/o" -name 'boot_ramdisk.*')
expect_kernel "$F" 6.1.0-2
# "..", a symlink out, an absolute name: refused (a dom0 file as raw backing)
overlay dots.qcow2 ../other/raw.img
run_t --format=qcow2 --allow-backing-file "$d/img/dots.qcow2"
expect_clean_failure "$T/o" "backing with .."
expect_err_grep 'refused: ".." in the name'
overlay link.qcow2 link.img
run_t --format=qcow2 --allow-backing-file "$d/img/link.qcow2"
expect_clean_failure "$T/o" "backing symlinked out"
expect_err_grep "refused: it resolves to .*other/raw.img, outside"
overlay abs.qcow2 "$d/other/raw.img"
run_t --format=qcow2 --allow-backing-file "$d/img/abs.qcow2"
expect_clean_failure "$T/o" "absolute backing"
expect_err_grep "refused: an absolute name"
overlay secret.qcow2 /etc/passwd
run_t --format=qcow2 --allow-backing-file="$d/other" "$d/img/secret.qcow2"
expect_clean_failure "$T/o" "backing outside DIR"
expect_err_grep "refused: it resolves to /etc/passwd, outside"
# ... unless under the directory the user names
run_t --format=qcow2 --allow-backing-file="$d/other" "$d/img/abs.qcow2"
expect_rc 0 "absolute backing under --allow-backing-file=DIR"
KFILE=$(find "$T/o" -name 'boot_kernel.*'); RFILE=$(find "$T/o" -name 'boot_ramdisk.*')
expect_kernel "$F" 6.1.0-2
run_t --format=qcow2 --allow-backing-file="$d/other" "$d/img/link.qcow2"
expect_rc 0 "symlink into --allow-backing-file=DIR"
exit 0
