# A cap reached in a boot configuration is an error that names it, never a
# silent truncation or a fallback (images/hostile-caps.sh): 65 syslinux
# initrd= files (64 boot), a BLS directory over 4096 entries (not "no
# configuration", which would boot the newest kernel instead), a grub.cfg
# over 1 MiB (refused, not skipped for the menu.lst after it).
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg hostile-caps initrds)
dl_run -q -n "$img"
expect_rc 5 "65 initrds"
expect_err_grep "entry 'many': more than 64 initrds"
dl_run -q -n --output-format=json --entry=max "$img"
expect_rc 0 "64 initrds"
[ "$(grep -o 'xvda:/boot/i[0-9]*' "$T/out" | sort -u | wc -l)" = 64 ] || fail "64 initrds not all named"
img=$(mkimg hostile-caps bls)
dl_run -q -n "$img"
expect_rc 5 "BLS directory over the cap"
expect_err_grep "/boot/loader/entries: more than 4096 directory entries"
img=$(mkimg hostile-caps bls-max)
dl_run -q -n "$img"
expect_rc 0 "BLS directory at the cap (within the lookup budget)"
grep -qF "xvda:/boot/vmlinuz-6.1.0-2" "$T/out" || fail "BLS at the cap: kernel"
img=$(mkimg hostile-caps bigcfg)
dl_run -q -n "$img"
expect_rc 5 "grub.cfg over 1 MiB"
expect_err_grep "grub.cfg: file too large (1048623 bytes, limit 1048576)"
exit 0
