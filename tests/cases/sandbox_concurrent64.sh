# 64 sandboxed runs at once (as many guests started together): half
# extract, half list, on 8 images, all extractions into ONE directory.
# Every extraction's result names its own files with the right bytes and
# its own command line, every listing names its own image's kernel, and
# nothing is left behind: a run that fails or mixes up outputs fails here.
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
for n in $(seq 0 63); do
	i=$((n % 8))
	if [ $((n % 2)) = 0 ]; then
		"$DL" -q --output-format=simple0 --output-directory="$out" \
			--kernel="/boot/vmlinuz-6.$i-cc" --ramdisk="/boot/initrd.img-6.$i-cc" \
			--args="run=$n" "${imgs[$i]}" >"$T/res.$n" 2>"$T/err.$n" &
	else
		"$DL" -q -n --output-format=simple --kernel="/boot/vmlinuz-6.$i-cc" \
			--args="run=$n" "${imgs[$i]}" >"$T/res.$n" 2>"$T/err.$n" &
	fi
	pids+=($!)
done
failed=0
for n in $(seq 0 63); do
	wait "${pids[$n]}" || { cat "$T/err.$n" >&2; echo "run $n failed" >&2; failed=$((failed + 1)); }
done
[ "$failed" = 0 ] || fail "$failed of 64 concurrent runs failed"
expect_eq "$(dl_procs)" 0 "leftover processes"
seen=()
for n in $(seq 0 63); do
	i=$((n % 8))
	[ -s "$T/err.$n" ] && { cat "$T/err.$n" >&2; fail "run $n: unexpected stderr"; }
	if [ $((n % 2)) = 0 ]; then
		mapfile -d '' rec < "$T/res.$n"
		expect_eq "${rec[2]}" "args run=$n" "run $n args"
		k=${rec[0]#kernel }
		r=${rec[1]#ramdisk }
		expect_cmp "$k" "${imgs[$i]}.files/vmlinuz-6.$i-cc"
		expect_cmp "$r" "${imgs[$i]}.files/initrd.img-6.$i-cc"
		seen+=("$k" "$r")
	else
		grep -qx "args run=$n" "$T/res.$n" || { cat "$T/res.$n" >&2; fail "run $n: result lacks its args"; }
		grep -q "vmlinuz-6.$i-cc" "$T/res.$n" || { cat "$T/res.$n" >&2; fail "run $n: result names another kernel"; }
	fi
done
expect_eq "$(printf '%s\n' "${seen[@]}" | sort -u | wc -l)" 64 "distinct output files"
expect_eq "$(find "$out" -mindepth 1 | sort)" "$(printf '%s\n' "${seen[@]}" | sort)" "directory contents"
exit 0
