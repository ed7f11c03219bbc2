# Every fenced example of README.md runs, verbatim, on the disk `make demo`
# builds (images/gpt-sepboot.sh), and prints what the README shows under it
# (the random part of the file names aside):
#   ```sh   commands, run in order by bash in a private mount namespace with
#           its own /tmp (so /tmp/k is the example's own), domuloader being
#           the binary under test and guest.img the demo disk; qemu-system-*
#           is a stub that checks its arguments name exactly one extracted
#           kernel and initrd (the demo's kernels are not bootable);
#   ```xl   an xl.cfg: its target= is the only thing replaced (by the demo
#           disk), it is booted with --config, and its bootloader= path is
#           where `make install PREFIX=/usr` (the README's line) puts it;
#   ```text not runnable (diagrams).
# A fence with another info string fails the test, so none escapes it.
. "$DL_TOP/tests/lib/functions.sh"
command -v unshare >/dev/null || skip "no unshare"
[ "$(id -u)" = 0 ] || skip "needs root for a private /tmp"
img=$(mkimg gpt-sepboot)
W=$T/work
mkdir -p "$W" "$T/tmp"
cp --sparse=always "$img" "$W/guest.img"
cp "$img.files/vmlinuz-6.1.0-2" "$W/expected-kernel"
cp "$img.files/initrd.img-6.1.0-2" "$W/expected-initrd"

python3 - "$DL_TOP/README.md" "$W" <<'PY' || fail "README.md: cannot extract its examples"
import re, sys
text = open(sys.argv[1]).read().split("\n")
w = sys.argv[2]
blocks, cur, info = [], None, None
for line in text:
    m = re.match(r"^```(\S*)\s*$", line)
    if m and cur is None:
        cur, info = [], m.group(1)
    elif m:
        blocks.append((info, cur)); cur = None
    elif cur is not None:
        cur.append(line)
bad = [i for i, _ in blocks if i not in ("sh", "xl", "text")]
if bad or cur is not None:
    sys.exit("fences without sh/xl/text: %r" % bad)
nsh = nxl = 0
for info, lines in blocks:
    if info == "xl":
        open("%s/xl.%d.cfg" % (w, nxl), "w").write("\n".join(lines) + "\n"); nxl += 1
        continue
    if info != "sh":
        continue
    # steps: a command (with \ continuations) and the "# " lines right after it
    script, k, i = [], 0, 0
    while i < len(lines):
        l = lines[i]
        if not l.strip() or l.startswith("#"):
            i += 1; continue
        cmd = [l]
        while cmd[-1].endswith("\\"):
            i += 1; cmd.append(lines[i])
        i += 1
        want = []
        while i < len(lines) and lines[i].startswith("# "):
            want.append(lines[i][2:]); i += 1
        script.append("{ %s\n} > out.%d" % ("\n".join(cmd), k))
        open("%s/want.%d" % (w, k), "w").write("".join(x + "\n" for x in want))
        open("%s/cmd.%d" % (w, k), "w").write("\n".join(cmd) + "\n")
        k += 1
    open("%s/sh.%d" % (w, nsh), "w").write("\n".join(script) + "\n"); nsh += 1
if not nsh or not nxl:
    sys.exit("no sh or xl example found")
PY

# the sh examples, each block in one shell with its own /tmp: a private
# mount namespace, or where there is none (a chroot: "/" is no mount
# point) the block with /tmp/ written as that directory, and its outputs
# with the directory written back as /tmp/
private=unshare
unshare -m sh -c 'mount --make-rprivate /' 2>/dev/null || private=
for s in "$W"/sh.*; do
	if [ -z "$private" ]; then
		sed -i "s|/tmp/|$T/tmp/|g" "$s"
	fi
	( cd "$W" && DL="$DL" TMPROOT="$T/tmp" PRIVATE="$private" ${private:+unshare --mount} bash -c '
		set -e
		[ -z "$PRIVATE" ] || mount --bind "$TMPROOT" /tmp
		domuloader() { "$DL" "$@"; }
		qemu-system-x86_64() {
			[ $# = 6 ] && [ "$1" = -kernel ] && [ "$3" = -initrd ] && [ "$5" = -append ] ||
				{ echo "qemu stub: unexpected arguments: $*" >&2; return 1; }
			cmp -s "$2" expected-kernel || { echo "qemu stub: $2 is not the kernel" >&2; return 1; }
			cmp -s "$4" expected-initrd || { echo "qemu stub: $4 is not the initrd" >&2; return 1; }
		}
		. ./'"$(basename "$s")" ) >"$T/out" 2>"$T/err" ||
		{ cat "$T/err" >&2; fail "README example $(basename "$s") failed"; }
	[ ! -s "$T/err" ] || fail "README example $(basename "$s"): stderr: $(cat "$T/err")"
done
[ -n "$private" ] || sed -i "s|$T/tmp/|/tmp/|g" "$W"/out.*
# what the README shows under a command, in shape
for want in "$W"/want.*; do
	k=${want##*.}
	[ -s "$want" ] || continue
	python3 - "$want" "$W/out.$k" <<'PY' || fail "README example $(cat "$W/cmd.$k"): output differs in shape"
import re, sys
want = open(sys.argv[1]).read().splitlines()
got = open(sys.argv[2]).read().rstrip("\n").splitlines()   # a trailing blank line is not shown
pat = [re.sub(r"(boot_(?:kernel|ramdisk)\\\.)[A-Za-z0-9_]{8}", r"\1[A-Za-z0-9_]{8}", re.escape(l)) for l in want]
ok = len(pat) == len(got) and all(re.fullmatch(p, g) for p, g in zip(pat, got))
if not ok:
    sys.exit("want %r\n got %r" % (want, got))
PY
done

# the xl.cfg example: booted as the toolstack would, its disk the demo's
blpaths=
for c in "$W"/xl.*.cfg; do
	grep -q 'target=/srv/guest.img' "$c" || fail "$c: no target=/srv/guest.img to replace"
	sed -i "s|target=/srv/guest.img|target=$W/guest.img|" "$c"
	dl_run --config="$c" -q -n
	expect_rc 0 "xl.cfg example"
	grep -q "^linux (kernel 'xvda1:/vmlinuz-6\.1\.0-[0-9]')" "$T/out" || fail "xl.cfg example: $(cat "$T/out")"
	bl=$(sed -n 's/^bootloader *= *"\(.*\)"$/\1/p' "$c")
	[ -n "$bl" ] || fail "$c: no bootloader ="
	blpaths="$blpaths $bl"
done
# ... and its bootloader path, like the man page's, is where the README's
# install line puts the binary
line=$(grep -o '^    make install PREFIX=[^ ]*' "$DL_TOP/README.md") || fail "README: no make install line"
( cd "$DL_TOP" && DESTDIR="$T/root" BUILD="$DL_BUILD" $line ) >"$T/out" 2>&1 ||
	{ cat "$T/out" >&2; fail "README: $line failed"; }
man_bl=$(sed -n 's/^ *bootloader = "\(.*\)"$/\1/p' "$DL_TOP/man/domuloader.1")
for p in $blpaths $man_bl; do
	[ -x "$T/root$p" ] || fail "documented bootloader $p is not where '$line' installs (tree: $(cd "$T/root" && find . -name domuloader))"
	cmp -s "$T/root$p" "$DL" || fail "$p is not the binary under test"
done
exit 0
