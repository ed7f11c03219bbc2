#!/bin/bash
# Every row of the speed table (issue 17) in one run: domuloader extracting
# an 8 MiB kernel and a 64 MiB initrd, against `cat` of the same two files
# (dom0 files) into the same output directory.  Runs of the two alternate,
# so machine load hits both alike; each row prints the medians and their
# ratio, domuloader's peak RSS, and, on the rows pygrub can read, the
# ratio to pygrub.  Targets (issue 17): <= 1.1 (compressed rows <= 1.3),
# -l <= 3 ms, peak RSS <= 8 MiB, <= 0.2x pygrub.
#   bench/speed.sh [RUNS]           (root: loop mounts, LVM, drop_caches)
# ROWS='ext4 xfs ...' limits the rows; KMB/RMB set the file sizes (MiB).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/images/lib.sh"
. "$top/images/lvmlib.sh"
runs=${1:-9}
dl=${DL:-$top/build/domuloader}
kmb=${KMB:-8} rmb=${RMB:-64}
rows=${ROWS:-ext4 xfs btrfs lvm disk btrfs-zstd qcow2 qcow2-zlib qcow2-zstd cold conc16 conc64 list}
w=$(mktemp -d /var/tmp/dl-speed.XXXXXX)      # images and disk output: a disk filesystem
t=$(mktemp -d /dev/shm/dl-speed.XXXXXX)      # tmpfs output, as libxl's /var/run/xen
m=$w/mnt
cleanup() {
	mountpoint -q "$m" 2>/dev/null && umount "$m"
	lvm_cleanup 2>/dev/null || true
	rm -rf "$w" "$t"
}
trap cleanup EXIT
want() { case " $rows " in *" $1 "*) return 0 ;; esac; return 1; }

# The payload: compressible (base64 text compresses to about 3/4 with
# zstd), so the compressed rows really hold compressed extents.
mkdir -p "$w/f/grub" "$m"
head -c $((kmb * 3 << 18)) /dev/urandom | base64 -w 76 | head -c $((kmb << 20)) > "$w/f/vmlinuz-bench"
head -c $((rmb * 3 << 18)) /dev/urandom | base64 -w 76 | head -c $((rmb << 20)) > "$w/f/initrd.img-bench"
cat > "$w/f/grub/grub.cfg" <<CFG
set default=0
menuentry 'bench' {
	linux /vmlinuz-bench root=/dev/xvda2 ro
	initrd /initrd.img-bench
}
CFG
fsmb=$(( (kmb + rmb) * 5 / 4 + 40 ))

# Images, built only for the rows asked for.
gpt_of() { # FSIMG OUT: a GPT disk whose partition 1 holds FSIMG
	local mb=$(( $(stat -c %s "$1") / 1048576 + 2 ))
	disk_new "$2" "$mb" gpt "start=2048, type=L"
	disk_put "$2" 1 "$1"
}
if want ext4 || want disk || want cold || want conc16 || want conc64 || want lvm || want qcow2 ||
	want qcow2-zlib || want qcow2-zstd; then
	fs_from_dir ext4 "$w/f" "$fsmb" "$w/ext4.fs"
	gpt_of "$w/ext4.fs" "$w/ext4.img"
	want qcow2 && qemu-img convert -O qcow2 "$w/ext4.img" "$w/plain.qcow2"
	want qcow2-zlib && qemu-img convert -c -O qcow2 "$w/ext4.img" "$w/zlib.qcow2"
	want qcow2-zstd && qemu-img convert -c -O qcow2 -o compression_type=zstd "$w/ext4.img" "$w/zstd.qcow2"
fi
if want xfs; then
	{
		echo /dev/null; echo "0 0"; echo "d--755 0 0"
		echo "vmlinuz-bench ---644 0 0 $w/f/vmlinuz-bench"
		echo "initrd.img-bench ---644 0 0 $w/f/initrd.img-bench"
		echo "grub d--755 0 0"; echo " grub.cfg ---644 0 0 $w/f/grub/grub.cfg"; echo " \$"; echo "\$"
	} > "$w/proto"
	# mkfs.xfs wants 300 MB at least: a sparse whole-disk filesystem.
	fs_from_dir xfs /dev/null $((fsmb > 300 ? fsmb : 300)) "$w/xfs.img" -p "$w/proto"
fi
if want btrfs; then
	truncate -s "${fsmb}M" "$w/btrfs.fs"
	mkfs.btrfs -q -f -m single -d single --rootdir "$w/f" "$w/btrfs.fs" >/dev/null 2>&1
	gpt_of "$w/btrfs.fs" "$w/btrfs.img"
fi
if want btrfs-zstd; then
	truncate -s "$((fsmb + 120))M" "$w/zstd.fs"
	mkfs.btrfs -q -f "$w/zstd.fs" >/dev/null 2>&1
	if mount -o loop,compress-force=zstd "$w/zstd.fs" "$m" 2>/dev/null; then
		cp -r "$w/f/." "$m/"
		umount "$m"
		gpt_of "$w/zstd.fs" "$w/btrfs-zstd.img"
	fi
	rm -f "$w/zstd.fs"
fi
if want lvm; then
	disk_new "$w/lvm.img" $((fsmb + 12)) dos "start=2048, type=8e"
	lvm_loop l "$w/lvm.img" $((2048 * 512)) $(( (fsmb + 11) << 20 ))
	lvm_conf
	lvm pvcreate -q "$l"
	lvm vgcreate -q -s 4M benchvg "$l"
	lv_new benchvg root "$((fsmb + 4))M"
	lv_write benchvg root "$w/ext4.fs"
	lvm_cleanup
fi
rm -f "$w"/*.fs

# t_us CMD...: wall time of one run in microseconds.
t_us() {
	local s=${EPOCHREALTIME/./} e
	"$@" >/dev/null 2>&1 || { echo "bench: '$*' failed:" >&2; "$@" >&2 || true; exit 1; }
	e=${EPOCHREALTIME/./}
	echo $((e - s))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { awk -v u="$1" 'BEGIN {printf "%.1f", u / 1000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

dl_into() { # OUTDIR IMG [options]
	local out=$1 img=$2; shift 2
	"$dl" -q --output-format=simple --output-directory="$out" "$@" "$img"
}
cat_into() { cat "$w/f/vmlinuz-bench" > "$1/k"; cat "$w/f/initrd.img-bench" > "$1/r"; }
drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }
check() { # OUTDIR IMG [options]: the extracted bytes are the originals
	local r
	r=$(dl_into "$@") || { echo "bench: domuloader failed on $2" >&2; exit 1; }
	cmp "$(sed -n 's/^kernel //p' <<<"$r")" "$w/f/vmlinuz-bench"
	cmp "$(sed -n 's/^ramdisk //p' <<<"$r")" "$w/f/initrd.img-bench"
	rm -f "$1"/*
}
rss_kib() { # OUTDIR IMG [options]: domuloader's peak RSS (largest process)
	local k
	k=$( { /usr/bin/time -f '%M' "$dl" -q --output-format=simple --output-directory="$1" \
		"${@:3}" "$2" >/dev/null; } 2>&1 | tail -1)
	rm -f "$1"/*
	echo "$k"
}

printf '%-34s %9s %9s %7s %8s %s\n' case "dl ms" "cat ms" "dl/cat" "RSS MiB" "dl/pygrub"
# row LABEL OUTDIR IMG PREFLIGHT [options]: PREFLIGHT runs before every
# timed run of both (drop for the cold row, : otherwise).
row() {
	local label=$1 out=$2 img=$3 pre=$4; shift 4
	[ -e "$img" ] || { printf '%-34s (image could not be built here)\n' "$label"; return; }
	mkdir -p "$out"
	check "$out" "$img" "$@"
	local a=() b=() i
	for ((i = 0; i < runs; i++)); do
		$pre; a+=("$(t_us dl_into "$out" "$img" "$@")"); rm -f "$out"/*
		$pre; b+=("$(t_us cat_into "$out")"); rm -f "$out"/*
	done
	local da db rss py=-
	da=$(printf '%s\n' "${a[@]}" | median)
	db=$(printf '%s\n' "${b[@]}" | median)
	rss=$(rss_kib "$out" "$img" "$@")
	if [ -n "$pygrub" ] && [ "$pre" = : ] && "$pygrub" -q --output-format=simple \
		--output-directory="$out" "$img" >/dev/null 2>&1; then
		local p=()
		rm -f "$out"/*
		for ((i = 0; i < (runs + 1) / 2; i++)); do
			p+=("$(t_us "$pygrub" -q --output-format=simple --output-directory="$out" "$img")")
			rm -f "$out"/*
		done
		py="$(ratio "$da" "$(printf '%s\n' "${p[@]}" | median)") (pygrub $(ms "$(printf '%s\n' "${p[@]}" | median)") ms)"
	fi
	printf '%-34s %9s %9s %7s %8s %s\n' "$label" "$(ms "$da")" "$(ms "$db")" "$(ratio "$da" "$db")" \
		"$(awk -v k="$rss" 'BEGIN {printf "%.1f", k / 1024}')" "$py"
}

# N at once, each into its own directory, against N cat pairs at once.
batch_dl() { local i; for ((i = 0; i < $1; i++)); do dl_into "$t/c$i" "$w/ext4.img" >/dev/null & done; wait; }
batch_cat() { local i; for ((i = 0; i < $1; i++)); do cat_into "$t/c$i" & done; wait; }
conc_row() {
	local n=$1 i a=() b=() k
	for ((i = 0; i < n; i++)); do mkdir -p "$t/c$i"; done
	# every result correct
	batch_dl "$n"
	for ((i = 0; i < n; i++)); do
		k=$(ls "$t/c$i"/boot_kernel.* 2>/dev/null | wc -l)
		[ "$k" = 1 ] && cmp "$t/c$i"/boot_kernel.* "$w/f/vmlinuz-bench" &&
			cmp "$t/c$i"/boot_ramdisk.* "$w/f/initrd.img-bench" ||
			{ echo "bench: concurrent run $i gave wrong files" >&2; exit 1; }
	done
	rm -f "$t"/c*/*
	for ((i = 0; i < (runs + 1) / 2; i++)); do
		a+=("$(t_us batch_dl "$n")"); rm -f "$t"/c*/*
		b+=("$(t_us batch_cat "$n")"); rm -f "$t"/c*/*
	done
	local da db
	da=$(printf '%s\n' "${a[@]}" | median)
	db=$(printf '%s\n' "${b[@]}" | median)
	printf '%-34s %9s %9s %7s %8s %s\n' "$n at once vs $n cat pairs, tmpfs" "$(ms "$da")" "$(ms "$db")" \
		"$(ratio "$da" "$db")" - -
	rm -rf "$t"/c*
}

# pygrub: $PYGRUB, an installed one, or Debian's unpacked by scripts/fetch-debs.sh.
pygrub=${PYGRUB:-}
[ -z "$pygrub" ] && [ -x /usr/lib/xen-4.17/bin/pygrub ] && pygrub=/usr/lib/xen-4.17/bin/pygrub
if [ -z "$pygrub" ] && [ -x /usr/bin/python3.11 ] && debs=$("$top/scripts/fetch-debs.sh" 2>/dev/null) &&
	[ -x "$debs/root/usr/lib/xen-4.17/bin/pygrub" ]; then
	ROOT=$debs/root
	pygrub_fetched() {
		PYTHONPATH=$ROOT/usr/lib/xen-4.17/lib/python \
		LD_LIBRARY_PATH=$ROOT/usr/lib/x86_64-linux-gnu:$ROOT/usr/lib/xen-4.17/lib/x86_64-linux-gnu \
		XEN_FSIMAGE_FSDIR=$ROOT/usr/lib/xen-4.17/lib/x86_64-linux-gnu/xenfsimage \
			/usr/bin/python3.11 "$ROOT/usr/lib/xen-4.17/bin/pygrub" "$@"
	}
	pygrub=pygrub_fetched
fi
export -f t_us 2>/dev/null || true

want ext4 && row "ext4, tmpfs" "$t/o" "$w/ext4.img" :
want xfs && row "XFS, tmpfs" "$t/o" "$w/xfs.img" :
want btrfs && row "btrfs, tmpfs" "$t/o" "$w/btrfs.img" :
want lvm && row "LVM (ext4 in an LV), tmpfs" "$t/o" "$w/lvm.img" :
want disk && row "ext4, output on a disk fs ($(stat -f -c %T "$w"))" "$w/o" "$w/ext4.img" :
want btrfs-zstd && row "btrfs zstd-compressed, tmpfs" "$t/o" "$w/btrfs-zstd.img" :
want qcow2 && row "qcow2 (plain clusters), tmpfs" "$t/o" "$w/plain.qcow2" : --format=qcow2
want qcow2-zlib && row "qcow2 zlib-compressed, tmpfs" "$t/o" "$w/zlib.qcow2" : --format=qcow2
want qcow2-zstd && row "qcow2 zstd-compressed, tmpfs" "$t/o" "$w/zstd.qcow2" : --format=qcow2
if want cold; then
	if [ -w /proc/sys/vm/drop_caches ]; then
		row "ext4, cold page cache, tmpfs" "$t/o" "$w/ext4.img" drop
	else
		echo "cold page cache: not measured (/proc/sys/vm/drop_caches is not writable)"
	fi
fi
want conc16 && conc_row 16
want conc64 && conc_row 64
if want list; then
	bash "$top/images/kernel-only.sh" "$w/small.img" bench >/dev/null 2>&1
	"$dl" -l "$w/small.img" >/dev/null
	a=() b=()
	for ((i = 0; i < runs * 3; i++)); do
		a+=("$(t_us "$dl" -l "$w/small.img")")
		b+=("$(t_us "$dl" -l --no-sandbox "$w/small.img")")
	done
	rss=$( { /usr/bin/time -f '%M' "$dl" -l "$w/small.img" >/dev/null; } 2>&1 | tail -1)
	printf '%-34s %9s %9s %7s %8s %s\n' "-l on a small image (ms)" "$(ms "$(printf '%s\n' "${a[@]}" | median)")" \
		- - "$(awk -v k="$rss" 'BEGIN {printf "%.1f", k / 1024}')" \
		"(--no-sandbox $(ms "$(printf '%s\n' "${b[@]}" | median)") ms)"
fi
echo "host: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); ${kmb} MiB kernel + ${rmb} MiB initrd, medians of $runs"
