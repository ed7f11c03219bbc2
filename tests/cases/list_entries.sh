# Issue 18, listings that agree with selection: -l shows pygrub's flat
# index and GRUB's path for every entry, each leaf with its kernel,
# initrds and args and the volume they are read from; --entry accepts the
# index, the path with '>', the title and the id, and the entry chosen is
# the one -l shows (checked for every entry); an unknown --entry lists
# what exists; -l works on the no-configuration fallback (what a run
# boots) and with --isconfig; JSON gives each file's volume, the config's
# volume and its timeout, and with --output-format=json a failure is JSON
# on stdout too.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg gpt-sepboot)
PY=${PYTHON:-python3}
json() { "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$T/out" "$1"; }

# ---- text: both numberings, the files with their volume, the args
dl_run -l "$img"
expect_rc 0
[ ! -s "$T/err" ] || fail "-l wrote on stderr: $(cat "$T/err")"
expect_out "# xvda1:/grub/grub.cfg (grub2, timeout 5s)
# index  path  title
* 0      0     Debian GNU/Linux
                   kernel: xvda1:/vmlinuz-6.1.0-2
                   initrd: xvda1:/initrd.img-6.1.0-2
                   args: root=/dev/xvda2 ro quiet
  -      1     Advanced options for Debian GNU/Linux >
  1      1>0     Debian GNU/Linux, with Linux 6.1.0-2
                     kernel: xvda1:/vmlinuz-6.1.0-2
                     initrd: xvda1:/initrd.img-6.1.0-2
                     args: root=/dev/xvda2 ro quiet
  2      1>1     Debian GNU/Linux, with Linux 6.1.0-1
                     kernel: xvda1:/vmlinuz-6.1.0-1
                     initrd: xvda1:/initrd.img-6.1.0-1
                     args: root=/dev/xvda2 ro single
"

# ---- every leaf of the JSON listing, chosen by each name -l gives it,
# boots that entry: same title, index, kernel and command line
dl_run -l --output-format=json "$img"
expect_rc 0
cp "$T/out" "$T/list.json"
expect_eq "$(json '(d["config"], d["volume"], d["config_path"], d["format"], d["timeout"], d["default"], d["default_index"])')" \
	"('xvda1:/grub/grub.cfg', 'xvda1', '/grub/grub.cfg', 'grub2', 5, '0', 0)" "JSON configuration"
"$PY" - "$T/list.json" > "$T/leaves" <<'PY' || fail "JSON listing"
import json, sys
d = json.load(open(sys.argv[1]))
def walk(es):
    for e in es:
        if e["kind"] == "submenu":
            yield from walk(e["entries"])
        else:
            yield e
for e in walk(d["entries"]):
    k = e["kernel"]
    # every file says where it is read from
    assert k["volume"] == "xvda1" and k["device"] == "hd0,gpt1" and k["error"] is None, k
    assert k["guest_path"] == "xvda1:" + k["path"], k
    assert all(i["volume"] == "xvda1" for i in e["initrds"]), e
    for spec in (str(e["index"]), e["path"], e["title"], e["id"]):
        print("\t".join([spec, str(e["index"]), e["title"], k["guest_path"],
                         e["initrds"][0]["guest_path"], e["args"]]))
PY
n=0
while IFS=$'\t' read -r spec index title kernel initrd args; do
	case $spec in [0-9]*[!0-9]*|[!0-9]*) ;; *) [ "$spec" = "$index" ] || continue ;; esac   # a bare number is the index
	dl_run -q -n --output-format=json --entry="$spec" "$img"
	expect_rc 0 "--entry=$spec"
	expect_eq "$(json '(str(d["index"]), d["title"], d["guest_kernel"], d["guest_ramdisk"], d["args"])')" \
		"$("$PY" -c 'import sys; print(tuple(sys.argv[1:]))' "$index" "$title" "$kernel" "$initrd" "$args")" "--entry=$spec"
	n=$((n + 1))
done < "$T/leaves"
[ "$n" -ge 11 ] || fail "only $n --entry forms tried"

# ---- an unknown entry: one line naming what exists
for spec in 3 7 'Debian GNU/Linux, with Linux 9' '1>2'; do
	dl_run -q -n --entry="$spec" "$img"
	expect_rc 3 "--entry=$spec"
	case $spec in [0-9]) what="no entry $spec" ;; *) what="no entry '$spec'" ;; esac
	expect_eq "$(cat "$T/err")" "domuloader: error: xvda1:/grub/grub.cfg: $what; entries: 0 'Debian GNU/Linux', 1 (1>0) 'Debian GNU/Linux, with Linux 6.1.0-2', 2 (1>1) 'Debian GNU/Linux, with Linux 6.1.0-1'" "--entry=$spec error"
	[ ! -s "$T/out" ] || fail "--entry=$spec: stdout: $(cat "$T/out")"
done

# ---- with --output-format=json a failure is JSON on stdout, the line on stderr
dl_run -q -n --output-format=json --entry=7 "$img"
expect_rc 3
expect_eq "$(json '(sorted(d), d["status"], d["error"].startswith("xvda1:/grub/grub.cfg: no entry 7; entries: 0 "))')" \
	"(['error', 'status'], 3, True)" "failure JSON"
[ "$(wc -l < "$T/err")" = 1 ] || fail "stderr: $(cat "$T/err")"
expect_eq "domuloader: error: $(json 'd["error"]')" "$(cat "$T/err")" "the same message"
: > "$T/notadisk"
dl_run -l --output-format=json "$T/notadisk"
rc=$RC
[ "$rc" != 0 ] || fail "an empty file listed"
expect_eq "$(json 'd["status"]')" "$rc" "failure JSON status of -l"
dl_run -q --output-format=sxp --entry=7 -n "$img"
[ ! -s "$T/out" ] || fail "a failure printed on stdout without JSON: $(cat "$T/out")"
# an option error before or after --output-format=json: still JSON (the
# first error; options after it only looked at for the format)
dl_run --no-such-option --output-format=json "$img"
expect_rc 1
expect_eq "$(json 'd["error"]')" "unknown option --no-such-option (domuloader --help lists every option)" "failure JSON of an early option error"
dl_run --output-format=json --max-kernel-size=x --also-unknown "$img"
expect_rc 1
expect_eq "$(json 'd["error"]')" "--max-kernel-size: expected a size in MiB between 1 and 4096, not 'x'" "the first error"
dl_run --no-such-option --output-format=sxp "$img"
[ ! -s "$T/out" ] || fail "an option error printed on stdout without JSON: $(cat "$T/out")"

# ---- no configuration: -l lists what a run boots
nc=$(mkimg boot-layouts noconfig)
dl_run -l "$nc"
expect_rc 0
[ ! -s "$T/err" ] || fail "-l (fallback) wrote on stderr: $(cat "$T/err")"
expect_out "# xvda1: no boot configuration found; a run boots the newest kernel
# index  path  title
* 0      0     vmlinuz-6.1.0-10
                   kernel: xvda1:/boot/vmlinuz-6.1.0-10
                   initrd: xvda1:/boot/initrd.img-6.1.0-10
                   args: root=UUID=3f0b9e2a-5c1d-4e8f-9a7b-6c5d4e3f2a10 ro
"
dl_run -l --output-format=json "$nc"
expect_rc 0
want=$(json '(d["format"], d["entries"][0]["kernel"]["guest_path"], d["entries"][0]["initrds"][0]["guest_path"], d["entries"][0]["args"])')
dl_run -q -n --output-format=json "$nc"
expect_rc 0
expect_eq "$(json '("fallback", d["guest_kernel"], d["guest_ramdisk"], d["args"])')" "$want" "fallback listed = fallback booted"

# ---- --isconfig -l: every entry of a dom0 file, paths as written
cat > "$T/grub.cfg" <<'CFG'
set timeout=3
set default="1>1"
menuentry 'A' { linux (hd0,1)/vmlinuz-a root=/dev/xvda1; initrd /initrd-a /ucode; }
submenu 'S' { menuentry 'B' { linux /vmlinuz-b; } menuentry 'C' --id c { linux /vmlinuz-c q; } }
CFG
dl_run --isconfig -l "$T/grub.cfg"
expect_rc 0
expect_out "# $T/grub.cfg (grub2, timeout 3s)
# index  path  title
  0      0     A
                   kernel: (hd0,1)/vmlinuz-a
                   initrd: /initrd-a
                   initrd: /ucode
                   args: root=/dev/xvda1
  -      1     S >
  1      1>0     B
                     kernel: /vmlinuz-b
                     args:
* 2      1>1     C
                     kernel: /vmlinuz-c
                     args: q
"
dl_run -l --isconfig --output-format=json "$T/grub.cfg"
expect_rc 0
expect_eq "$(json '(d["timeout"], d["default"], d["default_index"], d["entries"][0]["kernel"]["device"], d["entries"][1]["entries"][1]["id"])')" \
	"(3, '1>1', 2, 'hd0,1', 'c')" "--isconfig -l JSON"
# --isconfig alone still prints the chosen entry as pygrub does
dl_run --isconfig -q --entry=1 "$T/grub.cfg"
expect_rc 0
expect_out "  kernel: /vmlinuz-b
  args: 
"
exit 0
