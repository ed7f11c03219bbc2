# 64 sandboxed extractions at once into one output directory, from an ext4
# disk, a qcow2 with plain clusters (copied by the privileged side) and one
# with zstd-compressed clusters (bytes through the sandbox): every run
# succeeds, every result names its own two files with the original bytes,
# nothing else is left in the directory.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg speed-rows 1536 6144)
F=$img.files
src=("$img" "$F/plain.qcow2" "$F/zstd.qcow2")
out=$T/shared
mkdir "$out"
pids=()
for n in $(seq 0 63); do
	i=${src[$((n % 3))]}
	fmt=; case $i in *.qcow2) fmt=--format=qcow2 ;; esac
	"$DL" -q $fmt --output-format=simple0 --output-directory="$out" "$i" >"$T/res.$n" 2>"$T/err.$n" &
	pids+=($!)
done
for n in $(seq 0 63); do
	wait "${pids[$n]}" || { cat "$T/err.$n" >&2; fail "run $n failed"; }
done
seen=()
for n in $(seq 0 63); do
	mapfile -d '' rec < "$T/res.$n"
	k=${rec[0]#kernel }
	r=${rec[1]#ramdisk }
	expect_cmp "$k" "$F/vmlinuz-bench"
	expect_cmp "$r" "$F/initrd.img-bench"
	[ -s "$T/err.$n" ] && { cat "$T/err.$n" >&2; fail "run $n: unexpected stderr"; }
	seen+=("$k" "$r")
done
expect_eq "$(printf '%s\n' "${seen[@]}" | sort -u | wc -l)" 128 "distinct output files"
expect_eq "$(find "$out" -mindepth 1 | sort)" "$(printf '%s\n' "${seen[@]}" | sort)" "directory contents"
exit 0
