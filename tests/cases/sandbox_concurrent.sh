# 32 sandboxed runs at once on 8 different images, all writing into ONE
# output directory (pygrub's shared default): every result names its own
# files with the right bytes, nothing else is left, no process survives.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/sandbox.sh"
imgs=()
for i in 0 1 2 3 4 5 6 7; do
	imgs+=("$(mkimg kernel-only "6.$i-cc" $((40 + i)) $((90 + i)))")
done
need_extraction "${imgs[0]}" /boot/vmlinuz-6.0-cc
out=$T/shared
mkdir "$out"
pids=()
for n in $(seq 0 31); do
	i=$((n % 8))
	"$DL" -q --output-format=simple0 --output-directory="$out" \
		--kernel="/boot/vmlinuz-6.$i-cc" --ramdisk="/boot/initrd.img-6.$i-cc" \
		--args="run=$n" "${imgs[$i]}" >"$T/res.$n" 2>"$T/err.$n" &
	pids+=($!)
done
for n in $(seq 0 31); do
	wait "${pids[$n]}" || { cat "$T/err.$n" >&2; fail "run $n failed"; }
done
expect_eq "$(dl_procs)" 0 "leftover processes"
seen=()
for n in $(seq 0 31); do
	i=$((n % 8))
	# simple0: "kernel P\0ramdisk P\0args A\0\0"
	mapfile -d '' rec < "$T/res.$n"
	expect_eq "${rec[2]}" "args run=$n" "run $n args"
	k=${rec[0]#kernel }
	r=${rec[1]#ramdisk }
	expect_cmp "$k" "${imgs[$i]}.files/vmlinuz-6.$i-cc"
	expect_cmp "$r" "${imgs[$i]}.files/initrd.img-6.$i-cc"
	[ -s "$T/err.$n" ] && { cat "$T/err.$n" >&2; fail "run $n: unexpected stderr"; }
	seen+=("$k" "$r")
done
# 64 distinct files, and exactly those in the directory (no temp names).
expect_eq "$(printf '%s\n' "${seen[@]}" | sort -u | wc -l)" 64 "distinct output files"
expect_eq "$(find "$out" -mindepth 1 | sort)" "$(printf '%s\n' "${seen[@]}" | sort)" "directory contents"
exit 0
