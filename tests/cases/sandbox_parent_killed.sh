# SIGKILL of the privileged parent in the middle of an extraction: the
# child dies with it (PDEATHSIG), and no file that could pass for a
# complete kernel or ramdisk exists (only *.part temp names, which libxl
# removes with the directory).  The parent is stopped mid-copy with
# SIGSTOP first, so the kill lands while files are open.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/sandbox.sh"
img=$(mkimg kernel-only 6.1-pk 4000 60000 96)
need_extraction "$img" /boot/vmlinuz-6.1-pk
midway=0
for round in 1 2 3 4 5; do
	out=$T/o.$round
	mkdir "$out"
	"$DL" -q --output-directory="$out" --kernel=/boot/vmlinuz-6.1-pk \
		--ramdisk=/boot/initrd.img-6.1-pk "$img" >"$T/out" 2>"$T/err" &
	pid=$!
	# Wait until a payload file exists, then stop and kill the parent.
	for _ in $(seq 400); do
		ls "$out" | grep -q . && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.005
	done
	kill -STOP $pid 2>/dev/null
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	for _ in $(seq 100); do
		[ "$(dl_procs)" = 0 ] && break
		sleep 0.05
	done
	expect_eq "$(dl_procs)" 0 "leftover processes (round $round)"
	if [ -s "$T/out" ]; then
		# The run finished before the kill: then it must be complete.
		k=$(sed -n "s/^linux (kernel '\([^']*\)'.*/\1/p" "$T/out")
		expect_cmp "$k" "$img.files/vmlinuz-6.1-pk"
		continue
	fi
	bad=$(find "$out" -type f ! -name '*.part')
	[ -z "$bad" ] || fail "round $round: complete-looking file left: $bad"
	find "$out" -name '*.part' | grep -q . && midway=$((midway + 1))
done
# At least one kill must have landed while files were being written.
[ $midway -gt 0 ] || fail "no kill landed mid-copy; the test proved nothing"
exit 0
