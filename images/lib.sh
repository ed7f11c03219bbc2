# Helpers for image recipes (sourced).  No mounts, no root needed.
# Recipes are images/<name>.sh OUT [ARGS...]; they build a disk image at OUT.
set -eu

# fs_from_dir TYPE DIR SIZE_MB OUT [mkfs options...]: a filesystem image of
# TYPE (ext2/ext3/ext4) holding DIR's contents.
fs_from_dir() {
	local type=$1 dir=$2 size=$3 out=$4
	shift 4
	rm -f "$out"
	truncate -s "${size}M" "$out"
	case $type in
	ext2|ext3|ext4)
		mke2fs -q -F -t "$type" -d "$dir" "$@" "$out" >/dev/null ;;
	xfs)
		mkfs.xfs -q -f "$@" "$out" >/dev/null ;;
	*) echo "fs_from_dir: unsupported type $type" >&2; return 1 ;;
	esac
}

# disk_new OUT SIZE_MB LABEL SFDISK_LINES: a partitioned disk image.
# LABEL is dos or gpt; SFDISK_LINES is an sfdisk script body (one partition
# per line, e.g. "start=2048, size=20480, type=83").
disk_new() {
	local out=$1 size=$2 label=$3 lines=$4
	rm -f "$out"
	truncate -s "${size}M" "$out"
	printf 'label: %s\n%s\n' "$label" "$lines" | sfdisk -q --no-reread --no-tell-kernel "$out" >/dev/null
}

# part_offset DISK N: byte offset of partition N;  part_size DISK N: bytes.
part_offset() {
	sfdisk -q -d "$1" | awk -v n="$2" '
		/^\// { split($1, a, /[^0-9]+/); p = a[length(a)]
			if (match($0, /start= *[0-9]+/)) { s = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", s) }
			if (p == n) { print s * 512; exit } }'
}
part_size() {
	sfdisk -q -d "$1" | awk -v n="$2" '
		/^\// { split($1, a, /[^0-9]+/); p = a[length(a)]
			if (match($0, /size= *[0-9]+/)) { s = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", s) }
			if (p == n) { print s * 512; exit } }'
}

# disk_put DISK N FSIMG: write a filesystem image into partition N.
disk_put() {
	local off size fsz
	off=$(part_offset "$1" "$2")
	size=$(part_size "$1" "$2")
	fsz=$(stat -c %s "$3")
	[ -n "$off" ] || { echo "disk_put: no partition $2 in $1" >&2; return 1; }
	[ "$fsz" -le "$size" ] || { echo "disk_put: $3 ($fsz) larger than partition $2 ($size)" >&2; return 1; }
	dd if="$3" of="$1" bs=1M seek="$off" oflag=seek_bytes conv=notrunc,sparse status=none
}

# fake_file OUT TAG [SIZE_KB]: deterministic bytes that identify themselves
# (TAG on every line), for byte-exact comparisons.
fake_file() {
	local out=$1 tag=$2 kb=${3:-64}
	seq 1 $((kb * 64)) | sed "s|^|$tag |" | head -c $((kb * 1024)) > "$out"
}
