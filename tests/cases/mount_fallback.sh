# --mount on this host: without device-mapper a single-extent volume is
# reached with a loop device with offset and size limit; ext4 (GPT with a
# separate /boot), XFS and btrfs give the same listing, entry, bytes and
# arguments as the default mode, and nothing is left attached, mounted
# or created.  A striped LV needs device-mapper: without it, the error
# says so.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/mount.sh"
need_kmount
for r in gpt-sepboot xfs btrfs; do
	img=$(mkimg $r)
	same_as_default "$img" "$r"
done
img=$(mkimg gpt-sepboot)
same_as_default "$img" "gpt-sepboot --entry=1" --entry=1
same_as_default "$img" "gpt-sepboot --root" --root=/dev/xvda2
same_as_default "$img" "gpt-sepboot --entry=dev:kernel" --entry=xvda1:/vmlinuz-6.1.0-2,/initrd.img-6.1.0-2
# -v says what was attached and mounted, and torn down.
dl_run -q -v --mount -n "$img"
expect_rc 0 "-v"
expect_err_grep "attached /dev/loop[0-9]* (offset 1048576"
expect_err_grep "mounted /dev/loop[0-9]* (ext4) on /.*/domuloader-[0-9]*-.*read-only"
expect_err_grep "unmounted"
pid=$(sed -n 's#.*mounted .* on /[a-z]*/domuloader-\([0-9]*\)-.*#\1#p' "$T/err" | head -1)
expect_clean "$img" "$pid"
# --list-volumes --mount: what the kernel makes of each volume.
dl_run --list-volumes --mount "$img"
expect_rc 0 "--list-volumes --mount"
grep -q "^  xvda1  hd0,gpt1 .* (kernel: mounted read-only, [0-9]* entries in /)" "$T/out" || { cat "$T/out" >&2; fail "--list-volumes --mount: xvda1"; }
grep -q "^  xvda2  hd0,gpt2 .* (kernel: mounted read-only, [0-9]* entries in /)" "$T/out" || fail "--list-volumes --mount: xvda2"
# A striped LV: device-mapper or a clear error naming it.
img=$(mkimg lvm-striped)
dl_run -q -n --mount "$img"
if have_dm; then
	expect_rc 0 "striped LV with device-mapper"
else
	expect_rc 3 "striped LV without device-mapper"
	expect_err_grep "/dev/stripevg/data: --mount: a volume of 1 extent (striped) needs device-mapper, which this kernel does not have"
	dl_run --list-volumes --mount "$img"
	grep -q "/dev/stripevg/data .*(kernel: .*needs device-mapper" "$T/out" || fail "--list-volumes --mount: striped LV"
fi
expect_clean "$img"
exit 0
