#!/bin/bash
# Every row of the speed table (issue 17) in one run: domuloader extracting
# an 8 MiB kernel and a 64 MiB initrd, against `cat` of the same two files
# (dom0 files) into the same output directory.  Runs of the two alternate,
# so machine load hits both alike; each row prints the medians and their
# ratio, domuloader's peak RSS, and, on the rows pygrub can read, the
# ratio to pygrub.  Targets (issue 17): <= 1.1 (compressed rows <= 1.3),
# -l <= 3 ms, peak RSS <= 8 MiB, <= 0.2x pygrub.
#   bench/speed.sh [RUNS]           (root: loop mounts, LVM, drop_caches)
# ROWS='ext4 xfs ...' limits the rows; KMB/RMB set the file sizes (MiB);
# DL_OLD=binary adds a column timing another build in the same runs
# (before/after a change).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/images/lib.sh"
runs=${1:-9}
dl=${DL:-$top/build/domuloader}
kmb=${KMB:-8} rmb=${RMB:-64}
rows=${ROWS:-ext4 xfs btrfs lvm disk btrfs-zstd qcow2 qcow2-zlib qcow2-zstd cold conc16 conc64 list realk}
w=$(mktemp -d /var/tmp/dl-speed.XXXXXX)      # images and disk output: a disk filesystem
t=$(mktemp -d /dev/shm/dl-speed.XXXXXX)      # tmpfs output, as libxl's /var/run/xen
trap 'rm -rf "$w" "$t"' EXIT
want() { case " $rows " in *" $1 "*) return 0 ;; esac; return 1; }

# The images (images/speed-rows.sh) and the payload, in $w/f.
bash "$top/images/speed-rows.sh" "$w/ext4.img" $((kmb << 10)) $((rmb << 10)) >/dev/null
mkdir -p "$w/f"
mv "$w/ext4.img.files/vmlinuz-bench" "$w/ext4.img.files/initrd.img-bench" "$w/f/"
for i in "$w"/ext4.img.files/*; do mv "$i" "$w/"; done

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
kf=$w/f/vmlinuz-bench rf=$w/f/initrd.img-bench   # what cat copies, what the output must equal
cat_into() { cat "$kf" > "$1/k"; cat "$rf" > "$1/r"; }
drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }
check() { # OUTDIR IMG [options]: the extracted bytes are the originals
	local r
	r=$(dl_into "$@") || { echo "bench: domuloader failed on $2" >&2; exit 1; }
	if [ "${r:0:1}" = "{" ]; then   # --output-format=json
		cmp "$(jq -r .kernel <<<"$r")" "$kf"
		cmp "$(jq -r .ramdisk <<<"$r")" "$rf"
	else
		cmp "$(sed -n 's/^kernel //p' <<<"$r")" "$kf"
		cmp "$(sed -n 's/^ramdisk //p' <<<"$r")" "$rf"
	fi
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
	local a=() b=() o=() i old=
	# Each run's place rotates: after drop_caches the first program of a
	# round also reloads what all share (libc, the loader, the shell's
	# pages), which the next ones find cached.
	local k
	for ((i = 0; i < runs; i++)); do
		for ((k = 0; k < 3; k++)); do
			case $(( (i + k) % 3 )) in
			0) $pre; a+=("$(t_us dl_into "$out" "$img" "$@")"); rm -f "$out"/* ;;
			1) $pre; b+=("$(t_us cat_into "$out")"); rm -f "$out"/* ;;
			2) [ -n "${DL_OLD:-}" ] || continue
			   $pre; o+=("$(dl=$DL_OLD t_us dl_into "$out" "$img" "$@")"); rm -f "$out"/* ;;
			esac
		done
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
	[ -n "${DL_OLD:-}" ] && old=" (DL_OLD/cat $(ratio "$(printf '%s\n' "${o[@]}" | median)" "$db"))"
	# ALT=function ALT_NAME=text: another way to get the same files (the
	# kernel's own driver, qemu-img), timed by the function itself.
	if [ -n "${ALT:-}" ]; then
		local q=() v
		for ((i = 0; i < runs; i++)); do
			v=$("$ALT" "$out") || { echo "bench: $ALT_NAME failed" >&2; exit 1; }
			q+=("$v"); rm -f "$out"/*
		done
		v=$(printf '%s\n' "${q[@]}" | median)
		old="$old dl/${ALT_NAME%% *} $(ratio "$da" "$v") ($ALT_NAME $(ms "$v") ms)"
		[ "$py" = - ] && py=
	fi
	printf '%-34s %9s %9s %7s %8s %s\n' "$label" "$(ms "$da")" "$(ms "$db")" "$(ratio "$da" "$db")" \
		"$(awk -v k="$rss" 'BEGIN {printf "%.1f", k / 1024}')" "$py$old"
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

want ext4 && row "ext4, tmpfs" "$t/o" "$w/ext4.img" :
want xfs && row "XFS, tmpfs" "$t/o" "$w/xfs.img" :
want btrfs && row "btrfs, tmpfs" "$t/o" "$w/btrfs.img" :
want lvm && row "LVM (ext4 in an LV), tmpfs" "$t/o" "$w/lvm.img" :
want disk && row "ext4, output on a disk fs ($(stat -f -c %T "$w"))" "$w/o" "$w/ext4.img" :
# The compressed rows also against what a user would do without us: the
# kernel's btrfs driver (loop mount, read-only, mounted afresh before each
# run so its decompressed pages are gone, the image itself still cached),
# and for qcow2 `qemu-img convert -O raw` of the image alone (the files
# would still have to be got out of the raw disk after it).
alt_kernel() { # OUTDIR: microseconds of cat of the two files from a fresh mount
	local l s e
	l=$(losetup -f --show -r -o $((2048 * 512)) "$w/btrfs-zstd.img") || return 1
	mkdir -p "$w/m"
	mount -o ro "$l" "$w/m" || { losetup -d "$l"; return 1; }
	s=${EPOCHREALTIME/./}
	cat "$w/m/vmlinuz-bench" > "$1/k" && cat "$w/m/initrd.img-bench" > "$1/r"
	e=${EPOCHREALTIME/./}
	umount "$w/m"; losetup -d "$l"
	echo $((e - s))
}
alt_qemu() { t_us qemu-img convert -O raw "$qimg" "$1/x.raw"; }
if want btrfs-zstd; then
	if [ "$(id -u)" = 0 ] && [ -e "$w/btrfs-zstd.img" ] && alt_kernel "$t" >/dev/null 2>&1; then
		rm -f "$t"/k "$t"/r
		ALT=alt_kernel ALT_NAME="kernel btrfs mount+cat" row "btrfs zstd-compressed, tmpfs" "$t/o" "$w/btrfs-zstd.img" :
	else
		row "btrfs zstd-compressed, tmpfs" "$t/o" "$w/btrfs-zstd.img" :
	fi
fi
want qcow2 && row "qcow2 (plain clusters), tmpfs" "$t/o" "$w/plain.qcow2" : --format=qcow2
qimg=$w/zlib.qcow2
want qcow2-zlib && ALT=alt_qemu ALT_NAME="qemu-img convert" row "qcow2 zlib-compressed, tmpfs" "$t/o" "$w/zlib.qcow2" : --format=qcow2
qimg=$w/zstd.qcow2
want qcow2-zstd && ALT=alt_qemu ALT_NAME="qemu-img convert" row "qcow2 zstd-compressed, tmpfs" "$t/o" "$w/zstd.qcow2" : --format=qcow2
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
	mkdir -p "$w/s/boot/grub"
	head -c 96K /dev/urandom > "$w/s/boot/vmlinuz-bench"
	head -c 200K /dev/urandom > "$w/s/boot/initrd.img-bench"
	printf "menuentry 'bench' {\n\tlinux /boot/vmlinuz-bench ro\n\tinitrd /boot/initrd.img-bench\n}\n" \
		> "$w/s/boot/grub/grub.cfg"
	fs_from_dir ext4 "$w/s" 16 "$w/small.img"
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
# A real distribution kernel (Debian's xz bzImage, from the Xen bed's
# package cache, or REAL_KERNEL=path) with the same initrd: the payload
# above is text, which no kernel inspection looks into.  libxl's run (no
# guest type, simple0) reads only the kernel's ELF header; JSON reports
# PV/PVH and so decompresses the kernel up to its Xen notes.
if want realk; then
	vmlinuz=${REAL_KERNEL:-}
	if [ -z "$vmlinuz" ] && debs=$("$top/scripts/fetch-debs.sh" 2>/dev/null) && [ -f "$debs/env" ]; then
		vmlinuz=$(. "$debs/env"; echo "${VMLINUZ:-}")
	fi
	if [ -n "$vmlinuz" ] && [ -f "$vmlinuz" ]; then
		mkdir -p "$w/rk/boot/grub"
		cp "$vmlinuz" "$w/rk/boot/vmlinuz"
		cp "$w/f/initrd.img-bench" "$w/rk/boot/initrd.img"
		printf "menuentry 'real' {\n\tlinux /boot/vmlinuz ro\n\tinitrd /boot/initrd.img\n}\n" \
			> "$w/rk/boot/grub/grub.cfg"
		fs_from_dir ext4 "$w/rk" $(( ($(stat -c %s "$vmlinuz") >> 20) + rmb + 24 )) "$w/realk.img"
		kf=$vmlinuz
		row "real xz kernel, libxl's run" "$t/o" "$w/realk.img" :
		row "real xz kernel, JSON (PV/PVH)" "$t/o" "$w/realk.img" : --output-format=json
		# The same kernel with a compressed initrd (as distributions ship
		# them: an uncompressed early part, then gzip) on btrfs with
		# compress-force=zstd: btrfs compresses what it can (the bzImage's
		# first 128 KiB, the initrd's early part), so both files mix
		# compressed extents with raw ones.
		if [ "$(id -u)" = 0 ] && mkdir -p "$w/mnt"; then
			head -c 262144 "$w/f/initrd.img-bench" > "$w/rk/boot/initrd.img"
			gzip -1 -c "$w/f/initrd.img-bench" >> "$w/rk/boot/initrd.img"
			truncate -s $(( ($(stat -c %s "$vmlinuz") >> 20) + rmb + 140 ))M "$w/realkz.img"
			mkfs.btrfs -q -f "$w/realkz.img" >/dev/null 2>&1
			if mount -o loop,compress-force=zstd "$w/realkz.img" "$w/mnt" 2>/dev/null; then
				cp -r "$w/rk/." "$w/mnt/"
				umount "$w/mnt"
				rf=$w/rk/boot/initrd.img
				row "real kernel+gz initrd, btrfs zstd" "$t/o" "$w/realkz.img" :
				rf=$w/f/initrd.img-bench
			fi
		fi
		kf=$w/f/vmlinuz-bench
	else
		echo "real kernel: not measured (no REAL_KERNEL, scripts/fetch-debs.sh gave none)"
	fi
fi
echo "host: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); ${kmb} MiB kernel + ${rmb} MiB initrd, medians of $runs"
