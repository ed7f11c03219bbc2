# Helpers for kernel images (sourced by images/kernel-*.sh and tests/cases/kernel_*.sh).

# le32 FILE OFFSET: the little-endian 32-bit number there.
le32() { od -An -tu4 -j "$(($2))" -N4 "$1" | tr -d ' '; }

# put_le32 FILE OFFSET VALUE: overwrite 4 bytes in place.
put_le32() {
	local v=$3
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((v & 255)) $((v >> 8 & 255)) \
		$((v >> 16 & 255)) $((v >> 24 & 255)))" |
		dd of="$1" bs=1 seek="$(($2))" conv=notrunc status=none
}

# bzimage_version BZIMAGE: the string the setup header's kernel_version
# field points to (relative to 0x200).
bzimage_version() {
	local p; p=$(od -An -tu2 -j $((0x20e)) -N2 "$1" | tr -d ' ')
	dd if="$1" bs=1 skip=$((0x200 + p)) count=128 status=none | tr '\0' '\n' | head -1
}

# bzimage_payload BZIMAGE: "OFFSET LENGTH" of the compressed vmlinux
# (boot protocol 2.08+: payload_offset/payload_length after the setup sectors).
bzimage_payload() {
	local s; s=$(od -An -tu1 -j $((0x1f1)) -N1 "$1" | tr -d ' ')
	[ "$s" = 0 ] && s=4
	echo "$(( (s + 1) * 512 + $(le32 "$1" 0x248) )) $(le32 "$1" 0x24c)"
}

# extract_vmlinux IMAGE OUT: Linux's scripts/extract-vmlinux method, as a
# reference independent of domuloader: at each place where a compression
# magic occurs, decompress from there with the format's own tool and keep
# the first output readelf accepts.  Prints the format.
extract_vmlinux() {
	local img=$1 out=$2 name magic tool pos
	while read -r name magic tool; do
		for pos in $(LC_ALL=C grep -obUaP "$magic" "$img" | cut -d: -f1); do
			tail -c +$((pos + 1)) "$img" | $tool > "$out" 2>/dev/null
			if readelf -h "$out" >/dev/null 2>&1; then
				echo "$name"
				return 0
			fi
		done
	done <<'MAGICS'
gzip \x1f\x8b\x08 gzip -dc
xz \xfd7zXZ\x00 xz -dc
bzip2 BZh bzip2 -dc
lzma \x5d\x00\x00\x00 xz --format=lzma -dc
lzo \x89\x4c\x5a lzop -dc
lz4 \x02\x21\x4c\x18 lz4 -dc
zstd \x28\xb5\x2f\xfd zstd -dc
MAGICS
	rm -f "$out"
	return 1
}

# compress_like_linux FORMAT < VMLINUX > PAYLOAD: the payload as Linux's
# scripts/Makefile.lib builds it (same container options: lzma and zstd
# windows, xz's CRC32 check and x86 BCJ filter, lz4's legacy frame, the
# 4-byte size appended after every format but gzip), at lower effort
# levels where Linux's take a minute on a 64 MiB vmlinux.
compress_like_linux() {
	local t; t=$(mktemp)
	cat > "$t"
	case $1 in
	gzip) gzip -n -1 < "$t" ;;
	bzip2) bzip2 -9 < "$t" ;;
	lzma) xz --format=lzma --lzma1=preset=0,dict=64MiB < "$t" ;;
	xz) xz --check=crc32 --x86 --lzma2=preset=0,dict=32MiB < "$t" ;;
	lzo) lzop -9 -c < "$t" ;;
	lz4) lz4 -l -9 -c -q < "$t" ;;
	zstd) zstd -3 --long=27 -c -q < "$t" ;;
	*) echo "compress_like_linux: unknown format $1" >&2; rm -f "$t"; return 1 ;;
	esac
	if [ "$1" != gzip ]; then
		local n; n=$(stat -c %s "$t")
		printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((n & 255)) $((n >> 8 & 255)) \
			$((n >> 16 & 255)) $((n >> 24 & 255)))"
	fi
	rm -f "$t"
}
