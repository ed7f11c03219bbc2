# Differential test of the partition-table reader: for every disk image the
# recipes in images/ build and every partition-table input of the fuzz
# corpus, src/part's partition list (number, start, size, type, logical,
# bootable, GPT uuid and name) must equal libfdisk's and libblkid's reading
# of the same bytes (tests/lib/dl_ptdiff.c prints the three lists).
#
# Where a reader legitimately differs, the difference is named below with
# its reason, and its exact shape is checked, so that any other disagreement
# fails.  A disagreement on a valid table is a bug in one of the readers:
# look at the bytes and find out which before adding anything here.
. "$DL_TOP/tests/lib/functions.sh"
PTDIFF=$DL_BUILD/tests/lib/dl_ptdiff
[ -x "$PTDIFF" ] || fail "$PTDIFF not built"

# Known differences: "INPUT READER" glob -> the check that replaces equality.
declare -A known=(
	# An EBR chain whose last link points back to an earlier EBR.  src/part
	# and libblkid stop at the first EBR seen twice (libblkid's
	# parse_dos_extended skips repeated starts); libfdisk 2.38 follows the
	# loop until its 60-partition cap and lists the same logical partitions
	# over and over.  libfdisk is the one that is wrong here: Linux's own
	# msdos parser also stops (it caps the chain and skips links that go
	# backwards).  Checked: fdisk's list is ours followed only by repeats.
	["corpus/ebr-loop fdisk"]=repeats_only
	# A FAT filesystem on the whole disk (an EFI system partition image):
	# its boot sector ends in 55 AA like an MBR.  libfdisk 2.38 calls that
	# an empty dos label; src/part and libblkid see the FAT boot record and
	# report no partition table.  Both mean "one volume, the whole disk".
	# Checked: fdisk has table=dos and no partition, ours has no table.
	["fat:* fdisk"]=empty_label
)

checked=0
# compare NAME FILE [--sector=N]
compare() {
	local name=$1 file=$2; shift 2
	local out ours other who rule
	out=$("$PTDIFF" "$@" "$file" 2>"$T/ptdiff.err") || fail "$name: dl_ptdiff failed: $(cat "$T/ptdiff.err")"
	ours=$(printf '%s\n' "$out" | sed -n 's/^ours //p')
	case $ours in *table=error*) fail "$name: src/part rejects it: $(cat "$T/ptdiff.err")" ;; esac
	for who in fdisk blkid; do
		other=$(printf '%s\n' "$out" | sed -n "s/^$who //p")
		rule=same
		for k in "${!known[@]}"; do
			# shellcheck disable=SC2053
			[[ "$name $who" == $k ]] && rule=${known[$k]}
		done
		case $rule in
		same)
			[ "$ours" = "$other" ] || {
				diff <(printf '%s\n' "$ours") <(printf '%s\n' "$other") >&2
				fail "$name: src/part and lib$who disagree (< ours, > $who)"
			} ;;
		repeats_only)
			# other = ours, then only entries whose start+size ours has already
			local head extra
			head=$(printf '%s\n' "$other" | head -n "$(printf '%s\n' "$ours" | wc -l)")
			[ "$head" = "$ours" ] || fail "$name: lib$who does not start with src/part's list"
			extra=$(printf '%s\n' "$other" | tail -n +"$(($(printf '%s\n' "$ours" | wc -l) + 1))" |
				awk '{print $2, $3}' | sort -u)
			[ -n "$extra" ] || fail "$name: lib$who agrees now; remove the known difference"
			while read -r s z; do
				printf '%s\n' "$ours" | grep -q " $s $z " ||
					fail "$name: lib$who has a partition at $s $z that src/part lacks"
			done <<<"$extra" ;;
		empty_label)
			[ "$ours" = "table=none sector=512" ] && [ "$other" = "table=dos sector=512" ] ||
				fail "$name: expected no table for src/part and an empty dos label for lib$who" ;;
		*) fail "unknown rule $rule" ;;
		esac
	done
	checked=$((checked + 1))
}

# 1. Every recipe's disks (its variants where it has them).
recipes=()
for r in "$IMAGES"/*.sh; do
	r=$(basename "$r" .sh)
	case $r in
	lib | lvmlib | kernlib | demo) continue ;;   # helpers; the demo is gpt-sepboot
	kernel-bzimage) continue ;;   # a kernel file, not a disk
	boot-layouts) recipes+=("$r fstab-mount" "$r noconfig" "$r bls") ;;
	xfs) recipes+=("$r v5" "$r v4") ;;
	lvm-many) recipes+=("$r 8") ;;
	kernel-only) recipes+=("$r 6.1.0-diff") ;;
	fat) recipes+=("$r 32" "$r 16" "$r 12") ;;
	ext4-inroot) recipes+=("$r plain") ;;
	*) recipes+=("$r") ;;
	esac
done
for spec in "${recipes[@]}"; do
	# shellcheck disable=SC2086
	set -- $spec
	img=$(mkimg "$@" 2>"$T/recipe.err") || {
		# recipes that need root (loop mounts) say so; nothing else may fail
		grep -q 'needs root\|skipped' "$T/recipe.err" && continue
		cat "$T/recipe.err" >&2; fail "recipe $spec failed"
	}
	for disk in "$img" "$img".files/*.img "$img".files/*.qcow2; do
		[ -f "$disk" ] || continue
		if [ "$(od -An -tx1 -N4 "$disk" | tr -d ' ')" = 514649fb ]; then
			# libfdisk and libblkid read raw bytes: compare the guest's view
			command -v qemu-img >/dev/null || fail "qemu-img missing (scripts/deps.sh test)"
			qemu-img convert -O raw "$disk" "$T/qcow2.raw" || fail "$disk: qemu-img convert failed"
			compare "${spec// /:}:$(basename "$disk")" "$T/qcow2.raw"
			rm -f "$T/qcow2.raw"
		else
			compare "${spec// /:}:$(basename "$disk")" "$disk"
		fi
	done
done

# 2. The partition-table fuzz corpus: byte 0 picks the sector size (bit 0:
#    4096), the rest is the disk (tests/fuzz/fuzz_parttable.c).
for f in "$DL_TOP"/tests/fuzz/corpus/parttable/*; do
	ss=512
	[ $(( $(od -An -tu1 -N1 "$f") & 1 )) = 1 ] && ss=4096
	tail -c +2 "$f" > "$T/corpus.img"
	compare "corpus/$(basename "$f")" "$T/corpus.img" --sector=$ss
done

[ "$checked" -ge 20 ] || fail "only $checked inputs compared"
echo "note: part_differential: $checked disks and corpus inputs, src/part = libfdisk = libblkid"
exit 0
