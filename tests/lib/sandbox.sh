# Helpers for the sandbox cases (sourced after functions.sh).
HOOK=$DL_BUILD/tests/lib/sandbox_hook

# need_extraction IMG KERNEL: skip unless the pipeline can extract KERNEL
# from IMG at all (these cases test the confinement, not the parsers).
need_extraction() {
	local d; d=$(mktemp -d "$T/probe.XXXXXX")
	"$DL" -q --no-sandbox --output-directory="$d" --kernel="$2" "$1" >/dev/null 2>&1 ||
		skip "extraction of $2 does not work even without the sandbox"
	rm -rf "$d"
}

# Processes running $DL or $HOOK (forked children run the same binary).
dl_procs() {
	local p exe n=0
	for p in /proc/[0-9]*; do
		exe=$(readlink "$p/exe" 2>/dev/null) || continue
		case $exe in "$DL"|"$HOOK") n=$((n + 1)) ;; esac
	done
	echo $n
}
