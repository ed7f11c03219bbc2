# src/kernel on the real Debian kernel (scripts/fetch-debs.sh), through
# tests/lib/dl_kinspect: a bzImage with its actual compression and version,
# PV and PVH capable; the same kernel re-packed with each of the seven
# formats Linux can use decompresses to the ELF that Linux's own
# extract-vmlinux method yields; a copy without the Xen notes is refused
# for PV with the reason, one with a legacy __xen_guest section accepted;
# truncated, corrupt and hostile streams end in one clear error.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/images/kernlib.sh"
ki=$DL_BUILD/tests/lib/dl_kinspect
[ -x "$ki" ] || fail "$ki not built"
for t in gzip bzip2 xz lzop lz4 zstd readelf objcopy; do
	command -v $t >/dev/null || skip "$t not installed (scripts/deps.sh test)"
done
dir=$("$DL_TOP/scripts/fetch-debs.sh" 2>"$T/fetch.err") ||
	skip "no Debian kernel: $(tail -1 "$T/fetch.err")"
. "$dir/env"

kv() { sed -n "s/^$1=//p" "$T/rep"; }
sha() { sha256sum < "$1" | cut -d' ' -f1; }
# inspect ARGS...: dl_kinspect succeeds silently, report in $T/rep
inspect() {
	"$ki" "$@" > "$T/rep" 2> "$T/err" || { cat "$T/err" >&2; fail "dl_kinspect $* failed"; }
	[ ! -s "$T/err" ] || fail "dl_kinspect $* wrote on stderr: $(cat "$T/err")"
}
# refused PATTERN ARGS...: dl_kinspect fails with exactly one line matching
refused() {
	local want=$1; shift
	RC=0; "$ki" "$@" > "$T/rep" 2> "$T/err" || RC=$?
	expect_eq "$RC" 1 "exit status of dl_kinspect $*"
	expect_eq "$(wc -l < "$T/err")" 1 "error lines of dl_kinspect $*"
	grep -q -- "$want" "$T/err" || fail "dl_kinspect $*: error [$(cat "$T/err")] lacks [$want]"
}

# The reference: Linux's extract-vmlinux method on the Debian bzImage.
ref=$T/ref.elf
comp=$(extract_vmlinux "$VMLINUZ" "$ref") || fail "the extract-vmlinux method finds no vmlinux in $VMLINUZ"
refsum=$(sha "$ref")
ver=$(bzimage_version "$VMLINUZ")
case $ver in "$KVER "*) ;; *) fail "the setup header's version [$ver] does not start with $KVER" ;; esac

# check_bzimage IMAGE FORMAT: reported, decompressed to the reference ELF,
# and judged the same with and without decompressing it all.
check_bzimage() {
	inspect --out="$T/got.elf" "$1"
	expect_eq "$(kv format)" bzImage "format of $1"
	expect_eq "$(kv compression)" "$2" "compression of $1"
	expect_eq "$(kv version)" "$ver" "version of $1"
	expect_eq "$(kv xen_pv)/$(kv xen_pvh)" 1/1 "PV/PVH of $1 ($(kv why_not_pv) / $(kv why_not_pvh))"
	expect_eq "$(kv complete)" 1 "complete decompression of $1"
	expect_eq "$(kv elf_size)" "$(stat -c %s "$ref")" "ELF size of $1"
	expect_eq "$(sha "$T/got.elf")" "$refsum" "sha256 of the ELF decompressed from $1"
	rm -f "$T/got.elf"
	inspect "$1"
	expect_eq "$(kv xen_pv)/$(kv xen_pvh)/$(kv notes_source)" 1/1/PT_NOTE "inspection of $1"
	expect_eq "$(kv complete)" 0 "inspection of $1 stops after the notes"
	local work; work=$(kv work)
	[ "$work" -lt "$(stat -c %s "$ref")" ] || fail "inspecting $1 took $work work units"
	echo "note: $2: inspection $work work units, full $(stat -c %s "$ref") bytes"
}

# check_damaged IMAGE FORMAT: its payload cut in half, and (formats with
# checksums) with a byte flipped, fails naming the format.
check_damaged() {
	local img=$1 f=$2 poff plen b
	read -r poff plen < <(bzimage_payload "$img")
	tail -c +$((poff + 1)) "$img" | head -c $((plen / 2)) > "$T/cut.$f"
	refused "^dl_kinspect: error: $T/cut.$f: $f: truncated" "$T/cut.$f"
	rm -f "$T/cut.$f"
	case $f in lzma|lz4) return ;; esac
	tail -c +$((poff + 1)) "$img" | head -c "$plen" > "$T/bad.$f"
	b=$(od -An -tu1 -j $((plen / 3)) -N1 "$T/bad.$f" | tr -d ' ')
	printf "$(printf '\\%03o' $((b ^ 0xff)))" |
		dd of="$T/bad.$f" bs=1 seek=$((plen / 3)) conv=notrunc status=none
	refused "^dl_kinspect: error: $T/bad.$f: \(the \)\?$f[: ]" --out="$T/bad.elf" "$T/bad.$f"
	echo "note: corrupt $f: $(sed "s|^.*$T/bad.$f: ||" "$T/err")"
	rm -f "$T/bad.$f" "$T/bad.elf"
}

check_bzimage "$VMLINUZ" "$comp"
check_damaged "$VMLINUZ" "$comp"
for f in gzip bzip2 lzma xz lzo lz4 zstd; do
	[ "$f" = "$comp" ] && continue
	img=$(mkimg kernel-bzimage "$VMLINUZ" "$ref" "$f")
	# the reference method agrees that the re-packed image holds the same ELF
	expect_eq "$(extract_vmlinux "$img" "$T/x.elf")" "$f" "extract-vmlinux format of the $f image"
	expect_eq "$(sha "$T/x.elf")" "$refsum" "sha256 of the extract-vmlinux ELF of the $f image"
	rm -f "$T/x.elf"
	check_bzimage "$img" "$f"
	check_damaged "$img" "$f"
done

# The ELF itself; then without its Xen notes, raw and xz-compressed.
inspect "$ref"
expect_eq "$(kv format)/$(kv compression)/$(kv xen_pv)/$(kv xen_pvh)" ELF64/none/1/1 "the ELF itself"
objcopy --remove-section .notes "$ref" "$T/nonotes.elf"
for k in "$T/nonotes.elf" "$T/nonotes.elf.xz"; do
	[ -f "$k" ] || xz -T1 -0 -k "$T/nonotes.elf"
	inspect "$k"
	expect_eq "$(kv format)/$(kv xen_pv)/$(kv xen_pvh)" ELF64/0/0 "$k"
	expect_eq "$(kv why_not_pv)" "no Xen ELF notes (XEN_ELFNOTE_ENTRY) and no __xen_guest section" "$k"
	expect_eq "$(kv why_not_pvh)" "no Xen ELF notes (XEN_ELFNOTE_PHYS32_ENTRY)" "$k"
done
# ... and with a legacy __xen_guest section instead (found through the
# section headers at the end of the file), gzip-compressed
printf 'GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0xffffffff80000000,ELF_PADDR_OFFSET=0x0,VIRT_ENTRY=%s,LOADER=generic\0' \
	"$(readelf -lW "$ref" | awk '$1 == "LOAD" { print $3; exit }')" > "$T/guest"
objcopy --add-section __xen_guest="$T/guest" "$T/nonotes.elf" "$T/legacy.elf"
gzip -1 < "$T/legacy.elf" > "$T/legacy.elf.gz"
inspect "$T/legacy.elf.gz"
expect_eq "$(kv xen_pv)/$(kv xen_pvh)/$(kv notes_source)" 1/0/__xen_guest "legacy section"
rm -f "$T"/nonotes.elf* "$T"/legacy.elf*

# Truncated and hostile inputs.
head -c 4000000 "$VMLINUZ" > "$T/short"
refused "bzImage payload (8[0-9]* bytes at offset [0-9]*) does not fit in the file (4000000 bytes)" "$T/short"
refused "decompresses to more than 16777216 bytes (the output cap)" --out-max=16777216 --out="$T/o" "$VMLINUZ"
refused "work budget of 8388608 bytes exhausted" --work-max=8388608 "$VMLINUZ"
img=$(mkimg kernel-bzimage "$VMLINUZ" "$ref" zstd)
refused "zstd: its window needs more than the 64 MiB memory cap" --mem-max=67108864 "$img"
# a bomb: an ELF header and 1 GiB of zeros in a few kB, stopped by the
# ratio cap after 16 MiB (+64 times what was read)
{ head -c 65536 "$ref"; head -c 1073741824 /dev/zero; } | zstd -1 -q -c > "$T/bomb.zst"
refused "zstd: expands more than 64 times" --out="$T/o" "$T/bomb.zst"
[ "$(stat -c %s "$T/o")" -le $((17 << 20)) ] || fail "the bomb wrote $(stat -c %s "$T/o") bytes"
rm -f "$T/o" "$T/bomb.zst" "$T/short"
exit 0
