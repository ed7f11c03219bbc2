# Every library the Makefile requires is linked by the program or one of
# the test binaries (the Makefile links with --as-needed, so a library
# nothing calls leaves no DT_NEEDED entry behind).
. "$DL_TOP/tests/lib/functions.sh"
command -v readelf >/dev/null || skip "no readelf"
libs=$(make -s -C "$DL_TOP" BUILD="$DL_BUILD" print-libs) || fail "make print-libs failed"
needed=$(for b in "$DL" "$DL_BUILD"/tests/unit/test_* "$DL_BUILD"/tests/lib/* "$DL_BUILD"/gen/*; do
	[ -x "$b" ] && [ -f "$b" ] && readelf -d "$b" 2>/dev/null
done | sed -n 's/.*(NEEDED).*\[\(lib[^].]*\)\.so.*/\1/p' | sort -u)
n=0
for l in $libs; do
	case $l in -l*) ;; *) continue ;; esac
	name=lib${l#-l}
	printf '%s\n' "$needed" | grep -qx -- "$name" ||
		fail "$name is required by the Makefile but linked by no binary (readelf -d)"
	n=$((n + 1))
done
[ "$n" -ge 5 ] || fail "only $n libraries found in make print-libs: $libs"
exit 0
