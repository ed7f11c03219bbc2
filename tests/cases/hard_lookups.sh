# Lookups cost a guest at most its budget (src/fs/budget.c), on a directory
# of 40000 files hard-linked into itself (images/hostile-lookups.sh): a
# 1000-component path repeating one name scans the directory once (the
# answer is remembered), GRUB "[ -f ]" loops over it give the same answers
# every time, 300 distinct names through it (300 scans of the directory)
# stay within the budget, so do 40 symlinks each through a 500-component
# path, and GRUB testing 1800 distinct names exceeds it:
# an error naming the budget, not minutes of CPU.
. "$DL_TOP/tests/lib/functions.sh"
F=$DL_BUILD/tests/lib/dl_fscat
img=$(mkimg hostile-lookups)
p=/big$(printf '/s%.0s' $(seq 1 1000))
"$F" "$img" "$p/vmlinuz" > "$T/k" || fail "1000-component path"
expect_cmp "$T/k" "$img.files/vmlinuz-6.1.0-2"
[ "$("$F" --ls "$img" /big | grep -c ' l[0-9]*$')" = 300 ] || fail "recipe made too few links"
"$F" "$img" /big/c39 > "$T/k" || fail "40 symlinks through 500-component paths"
expect_cmp "$T/k" "$img.files/vmlinuz-6.1.0-2"
q=/big$(for i in $(seq 1 300); do printf '/l%d' "$i"; done)
"$F" "$img" "$q/vmlinuz" > "$T/k" || fail "300 distinct names through a 40000-entry directory"
expect_cmp "$T/k" "$img.files/vmlinuz-6.1.0-2"
dl_run -q -n --output-format=json "$img"
expect_rc 0 "boot through the deep path"
grep -qF "\"kernel\": \"xvda:$p/vmlinuz\"" "$T/out" || fail "kernel path"
grep -qF 'found=20"' "$T/out" || fail "[ -f ] in a loop gave a different answer"
# GRUB "[ -f ]" over 1800 distinct names, each a scan of the directory: the
# budget runs out, and the run fails naming it, in both modes, rather than
# boot what later answers (false once spent) chose.
img=$(mkimg hostile-lookups many)
for sb in "" --no-sandbox; do
	dl_run -q -n $sb "$img"
	expect_rc 5 "[ -f ] over distinct names ${sb:-(sandbox)}"
	expect_err_grep "xvda: lookup budget of this run spent (512 MiB read by lookups or 32768 lookups)"
	dl_run -q -l $sb "$img"
	expect_rc 5 "-l over distinct names ${sb:-(sandbox)}"
done
exit 0
