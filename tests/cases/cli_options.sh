# Option handling: --offset, -n, usage errors, output directory rules,
# interactive mode without a terminal.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg gpt-sepboot)
src=$img.files

# --offset: the /boot filesystem at byte 1 MiB, no partition table probing.
extract "$T/a" --output-format=simple --offset=1048576 "$img"
expect_rc 0
expect_cmp "$KFILE" "$src/vmlinuz-6.1.0-2"
dl_run -q --output-directory="$T/a" --offset=12x "$img"
expect_rc 1
expect_err_grep "offset value must be an integer"

# -n: nothing copied; the result names the files in the guest.
mkdir "$T/n"
dl_run -q -n --output-directory="$T/n" "$img"
expect_rc 0
expect_empty_dir "$T/n"
expect_out "linux (kernel 'xvda1:/vmlinuz-6.1.0-2')(ramdisk 'xvda1:/initrd.img-6.1.0-2')(args 'root=/dev/xvda2 ro quiet')"

# JSON results and listings are valid JSON with the expected values.
dl_run -q -n --output-format=json --entry=2 "$img"
expect_rc 0
python3 - "$T/out" <<'PY' || fail "-n --output-format=json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["kernel"] == "xvda1:/vmlinuz-6.1.0-1", d
assert d["ramdisk"] == "xvda1:/initrd.img-6.1.0-1", d
assert d["args"] == "root=/dev/xvda2 ro single", d
assert d["index"] == 2 and d["title"] == "Debian GNU/Linux, with Linux 6.1.0-1", d
PY
dl_run -l --output-format=json "$img"
expect_rc 0
python3 - "$T/out" <<'PY' || fail "-l --output-format=json"
import json, sys
d = json.load(open(sys.argv[1]))
sub = d["entries"][1]
assert sub["kind"] == "submenu" and [e["path"] for e in sub["entries"]] == ["1>0", "1>1"], d
assert d["entries"][0]["default"] is True, d
PY

# Usage errors: status 1 and one error line.
dl_run -q --output-format=yaml "$img"
expect_rc 1
expect_err_grep "unknown output format 'yaml'"
dl_run -q
expect_rc 1
expect_err_grep "no disk image given"
dl_run -q --output-directory="$T/missing-dir" "$img"
expect_rc 1
expect_err_grep "missing-dir is not an existing directory"
dl_run -q --runas=0 "$img"
expect_rc 1
expect_err_grep "runas"

# Without -q and without a terminal it must not wait for input.
mkdir "$T/i"
RC=0
timeout 20 "$DL" --output-directory="$T/i" --output-format=simple "$img" </dev/null >"$T/out" 2>"$T/err" || RC=$?
expect_rc 0 "interactive without a tty"
exit 0
