# qcow2 disks (v3 plain, zlib- and zstd-compressed clusters, v2) read when
# the format is stated; the same bytes as the raw disk.  Without the format
# the image is raw bytes (no partition table).  A backing file is refused
# unless allowed.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/part.sh"
img=$(mkimg qcow2)
F=$img.files
for q in "$img" "$F/zlib.qcow2" "$F/zstd.qcow2" "$F/v2.qcow2"; do
	vols --format=qcow2 "$q"
	expect_eq "$VRC" 0 "dl_vols status ($q)"
	vols_has "disk xvda ($q)  hd0  48.0 MiB  qcow2  dos"
	vols_has "  xvda7  hd0,msdos7  8.0 MiB  ext4"
	vol_cmp --format=qcow2 "$q" -- xvda7 "$F/fs.img"
	"$DLV" --format=qcow2 "$q" --cat xvda1 0 4194304 | cmp -s - <(dd if="$F/raw.img" bs=512 skip=2048 count=8192 status=none) ||
		fail "xvda1 of $q differs from the raw disk"
	# The map: plain data clusters as ranges of the qcow2 file, the rest as
	# volume bytes; put together they are the filesystem.
	fsz=$(stat -c %s "$F/fs.img")
	vols --format=qcow2 "$q" --map xvda7 0 "$fsz"
	expect_eq "$VRC" 0 "map over $q"
	while read -r d off len; do
		if [ "$d" = bytes ]; then src=$F/fs.img; else src=$q; fi
		dd if="$src" bs=64K skip="$off" count="$len" iflag=skip_bytes,count_bytes status=none
	done < "$T/vout" > "$T/mapped"
	cmp -s "$T/mapped" "$F/fs.img" || fail "the map of xvda7 in $q does not give its bytes"
	case $q in
	*zlib*|*zstd*) grep -q '^bytes ' "$T/vout" || fail "$q: compressed clusters mapped as file ranges" ;;
	*) grep -q '^0 ' "$T/vout" || fail "$q: no plain cluster mapped as a file range" ;;
	esac
done
# Never guessed: as raw bytes, a qcow2 file has no partition table.
vols "$img"
vols_has "raw  no partition table"
expect_eq "$(grep -c 'xvda7' "$T/vout")" 0 "qcow2 read as raw"
# Backing file: refused, then followed when allowed.
vols --format=qcow2 "$F/backing.qcow2"
expect_eq "$VRC" 1 "backing refused"
expect_eq "$(cat "$T/verr")" "dl_vols: error: $F/backing.qcow2: qcow2 image has a backing file (raw.img); refused: the image names a host file (allow it with --allow-backing-file)"
vol_cmp --format=qcow2 --allow-backing "$F/backing.qcow2" -- xvda7 "$F/fs.img"
# The sandbox must keep the backing file's fd too (dl_disk_fd_slots).
vols --format=qcow2 --allow-backing "$F/backing.qcow2" "$img" --fds
expect_eq "$(cat "$T/vout")" "2 open open
1 open" "fd slots"
for q in "$img" "$F/zstd.qcow2"; do
	rm -rf "$T/o"
	extract "$T/o" --format=qcow2 "$q"
	expect_kernel "$F" 6.1.0-2
done
rm -rf "$T/o"
extract "$T/o" --format=qcow2 "$F/backing.qcow2"
expect_clean_failure "$T/o" "backing file refused"
expect_err_grep "qcow2 image has a backing file (raw.img); refused"
# Without --format the image is raw bytes: nothing boots, and the error
# hints at the format without acting on the guess.
rm -rf "$T/o"
extract "$T/o" "$img"
expect_clean_failure "$T/o" "qcow2 read as raw"
expect_rc 3
expect_err_grep "$img starts like a qcow2 image: if it is one, say --format=qcow2"
exit 0
