# --rewrite-config names the kernel and ramdisk by absolute paths (a
# relative --output-directory=kk is resolved), and refuses an output
# directory on a tmpfs, which a reboot empties while the configuration
# would still name its files, unless --allow-volatile-output.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/domcfg.sh"
img=$(mkimg gpt-sepboot)
pv_configs "$T/c" "$img"
[ "$(stat -f -c %T "$T")" != tmpfs ] || skip "$T is on a tmpfs"

# relative output directory
mkdir -p "$T/w/kk"
(cd "$T/w" && "$DL" -q --output-directory=kk --config="$T/c/p.cfg" \
	--rewrite-config="$T/new.cfg" > "$T/out" 2> "$T/err") || fail "relative kk: $(cat "$T/err")"
[ -s "$T/err" ] && fail "stderr not empty: $(cat "$T/err")"
"$TOOL" parse "$T/new.cfg" > "$T/model" || fail "rewritten config does not parse"
k=$(sed -n 's/^kernel //p' "$T/model")
case $k in "$T/w/kk/boot_kernel."????????) ;; *) fail "kernel path [$k] is not absolute in $T/w/kk" ;; esac
expect_cmp "$k" "$img.files/vmlinuz-6.1.0-2"
r=$(sed -n 's/^ramdisk //p' "$T/model")
case $r in /*) ;; *) fail "ramdisk path [$r] is not absolute" ;; esac
# the result on stdout names the same absolute files
grep -qF "(kernel '$k')" "$T/out" || fail "stdout: $(cat "$T/out")"

# the configuration cannot be written (its directory is missing): a clean
# failure, and with JSON the failure is the only document on stdout (the
# result, naming files that are then removed, is not printed first)
mkdir -p "$T/nx"
extract "$T/nx" --output-format=json --config="$T/c/p.cfg" --rewrite-config="$T/missing/new.cfg"
expect_clean_failure "$T/nx" "unwritable configuration"
expect_rc 6 "unwritable configuration"
[ "$(jq -s length "$T/out")" = 1 ] || fail "stdout holds more than one JSON document: $(cat "$T/out")"
[ "$(jq -r .status "$T/out")" = 6 ] || fail "failure JSON: $(cat "$T/out")"

# a tmpfs output directory (/dev/shm here): refused, saying why, nothing left
[ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] || skip "no tmpfs at /dev/shm"
shm=$(mktemp -d /dev/shm/dl-domcfg2.XXXXXX)
trap 'rm -rf "$shm"' EXIT
extract "$shm" --config="$T/c/p.cfg" --rewrite-config="$T/vol.cfg"
expect_clean_failure "$shm" "tmpfs"
expect_rc 1 "tmpfs"
expect_err_grep "$shm: on a tmpfs, gone at the next reboot"
expect_err_grep "allow-volatile-output"
[ -e "$T/vol.cfg" ] && fail "configuration written for a tmpfs output directory"
# accepted when asked for
extract "$shm" --config="$T/c/p.cfg" --rewrite-config="$T/vol.cfg" --allow-volatile-output
expect_rc 0 "--allow-volatile-output"
"$TOOL" parse "$T/vol.cfg" | grep -qx "kernel $KFILE" || fail "volatile: kernel"
case $KFILE in "$shm"/boot_kernel.*) ;; *) fail "volatile: [$KFILE]" ;; esac
# without --rewrite-config a tmpfs is pygrub's usual place: no complaint
rm -f "$shm"/*
extract "$shm" --config="$T/c/p.cfg"
expect_rc 0 "tmpfs without --rewrite-config"
exit 0
