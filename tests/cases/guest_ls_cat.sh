# domuloader ls / cat / copy-out on recipe images: volumes, a directory, a
# path through the guest's fstab and by device name, an LVM volume, the
# errors (missing, a directory, an unknown volume), hostile names escaped,
# the subcommand only as the first argument; the OS summary in -l and JSON.
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg guest-os)
src=$img.files

# ls IMAGE: the volumes
dl_run ls "$img"
expect_rc 0
grep -q '^  xvda2 .*ext4' "$T/out" || fail "ls IMAGE lists no xvda2: $(cat "$T/out")"
[ -s "$T/err" ] && fail "stderr not empty: $(cat "$T/err")"

# ls of the root through the fstab, and of a directory on a device
dl_run ls "$img" /
expect_rc 0
grep -qx 'drwxr-xr-x *1024 etc' "$T/out" || fail "ls /: $(cat "$T/out")"
grep -qx 'lrwxrwxrwx *7 lib64 -> usr/lib' "$T/out" || fail "ls / symlink: $(cat "$T/out")"
grep -qx 'drwsr-x--- *1024 sbin' "$T/out" || fail "ls / setuid dir: $(cat "$T/out")"
dl_run ls "$img" /boot
expect_rc 0
grep -q ' vmlinuz-6.1.0-2$' "$T/out" || fail "ls /boot (separate /boot through fstab): $(cat "$T/out")"
size=$(grep ' vmlinuz-6.1.0-2$' "$T/out" | awk '{print $2}')
expect_eq "$size" "98304" "vmlinuz size"
dl_run ls "$img" xvda1:/grub
expect_rc 0
grep -q ' grub.cfg$' "$T/out" || fail "ls xvda1:/grub: $(cat "$T/out")"

# hostile names: escaped, one line each
dl_run ls "$img" xvda2:/etc
expect_rc 0
grep -qF 'evil\033]0;owned\007name' "$T/out" || fail "escape bytes not escaped: $(cat -A "$T/out")"
grep -qF 'two\nlines' "$T/out" || fail "newline in a name not escaped: $(cat -A "$T/out")"
LC_ALL=C grep -q "$(printf '\033')" "$T/out" && fail "a raw escape byte reached stdout"
[ "$(wc -l < "$T/out")" = 7 ] || fail "ls /etc: $(wc -l < "$T/out") lines, expected 7"

# a symlink: to a directory lists it, dangling shows the link
dl_run ls "$img" /lib64
expect_rc 0
grep -q ' os-release$' "$T/out" || fail "ls /lib64 (-> usr/lib): $(cat "$T/out")"
dl_run ls "$img" /etc/dangling
expect_rc 0
grep -qx 'lrwxrwxrwx *12 /etc/dangling -> /nonexistent' "$T/out" || fail "dangling link: $(cat "$T/out")"
dl_run cat "$img" /etc/dangling
expect_rc 3
dl_run ls "$img" '(hd0,gpt1)/grub'
expect_rc 0
grep -q ' grub.cfg$' "$T/out" || fail "ls (hd0,gpt1)/grub: $(cat "$T/out")"

# JSON
dl_run ls --output-format=json "$img" /etc/
expect_rc 0
python3 - "$T/out" <<'PY' || fail "ls JSON: $(cat "$T/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["volume"] == "xvda2" and d["path"] == "/etc", d
e = {x["name"]: x for x in d["entries"]}
assert e["fstab"]["type"] == "file" and e["fstab"]["mode"] == "0644", e["fstab"]
assert e["os-release"]["target"] == "../usr/lib/os-release", e["os-release"]
assert "two\nlines" in e, list(e)
PY

# cat: by fstab path, by device name, by UUID, through a symlink
dl_run cat "$img" /etc/fstab
expect_rc 0
expect_cmp "$T/out" "$src/etc/fstab"
dl_run cat "$img" xvda2:/etc/fstab
expect_rc 0
expect_cmp "$T/out" "$src/etc/fstab"
dl_run cat "$img" /etc/os-release
expect_rc 0
expect_cmp "$T/out" "$src/usr/lib/os-release"
dl_run cat "$img" /boot/vmlinuz-6.1.0-2
expect_rc 0
dl_run cat "$img" xvda1:/vmlinuz-6.1.0-2
expect_rc 0
[ "$(stat -c %s "$T/out")" = 98304 ] || fail "cat of the kernel: $(stat -c %s "$T/out") bytes"

# copy-out
mkdir "$T/co"
dl_run copy-out "$img" /etc/fstab "$T/co"
expect_rc 0
expect_cmp "$T/co/fstab" "$src/etc/fstab"
[ "$(find "$T/co" -mindepth 1 | wc -l)" = 1 ] || fail "copy-out left other files"

# errors: one line naming the path, distinct statuses
dl_run cat "$img" /etc/nope
expect_rc 3
expect_err_grep '/etc/nope: no such file'
[ "$(wc -l < "$T/err")" = 1 ] || fail "more than one error line"
[ -s "$T/out" ] && fail "stdout not empty on failure"
dl_run cat "$img" /etc
expect_rc 1
expect_err_grep '/etc: is a directory'
dl_run ls "$img" /nope
expect_rc 3
dl_run cat "$img" xvdq7:/etc/fstab
expect_rc 3
expect_err_grep 'no volume xvdq7'
dl_run cat "$img"
expect_rc 1
dl_run copy-out "$img" /etc/nope "$T/co"
expect_rc 3
[ "$(find "$T/co" -mindepth 1 | wc -l)" = 1 ] || fail "a failed copy-out left a file"

# an image named ls: only the first argument is a subcommand
mkdir "$T/cwd"
cp "$img" "$T/cwd/ls"
(cd "$T/cwd" && "$DL" -n ./ls) > "$T/out" 2> "$T/err" || fail "./ls: $(cat "$T/err")"
(cd "$T/cwd" && "$DL" -n -- ls) > "$T/out" 2> "$T/err" || fail "-- ls: $(cat "$T/err")"
grep -q vmlinuz-6.1.0-2 "$T/out" || fail "-- ls did not boot the image named ls"

# a subcommand after an option is an image name: the error says where it goes
dl_run -v cat "$img" /etc/fstab
expect_rc 1
expect_err_grep 'the subcommand cat goes first'
dl_run ls --mount "$img" /
expect_rc 1
# options after the subcommand; --no-sandbox reads the same
dl_run cat --no-sandbox -v "$img" /etc/fstab
expect_rc 0
expect_cmp "$T/out" "$src/etc/fstab"
expect_err_grep '/etc/fstab: xvda2:/etc/fstab, 66 bytes'

# LVM: a logical volume by its device name
lvm=$(mkimg lvm-bootinroot)
dl_run ls "$lvm" /dev/guestvg/root:/boot
expect_rc 0
grep -q ' vmlinuz-6.1.0-2$' "$T/out" || fail "ls of an LV path: $(cat "$T/out")"
dl_run cat "$lvm" /dev/mapper/guestvg-root:/etc/fstab
expect_rc 0
grep -q '/dev/xvda2 /' "$T/out" || fail "cat of an LV file: $(cat "$T/out")"

# the OS summary: -l text and JSON, the run's JSON
dl_run -l "$img"
expect_rc 0
grep -qx '# os: Debian GNU/Linux 12 (bookworm) (debian 12), x86_64' "$T/out" || fail "-l os line: $(cat "$T/out")"
dl_run -l --output-format=json "$img"
expect_rc 0
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["os"]=={"id":"debian","version_id":"12","pretty_name":"Debian GNU/Linux 12 (bookworm)","arch":"x86_64"}, d["os"]' "$T/out" \
	|| fail "-l JSON os: $(cat "$T/out")"
dl_run -n --output-format=json "$img"
expect_rc 0
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["os"]["id"]=="debian" and d["os"]["arch"]=="x86_64", d' "$T/out" \
	|| fail "run JSON os: $(cat "$T/out")"
for k in "redhat centos 6.10 i386" "suse sles 11.4 aarch64" "debian debian 11.9 x86_64"; do
	set -- $k
	o=$(mkimg guest-os "$1" "$4")
	dl_run -n --output-format=json "$o"
	expect_rc 0
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["os"]; assert (d["id"],d["version_id"],d["arch"])==tuple(sys.argv[2:]), d' \
		"$T/out" "$2" "$3" "$4" || fail "$1: $(cat "$T/out")"
done
o=$(mkimg guest-os none)
dl_run -n --output-format=json "$o"
expect_rc 0
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["os"]; assert d["id"] is None and d["arch"]=="x86_64", d' "$T/out" \
	|| fail "no release file: $(cat "$T/out")"
exit 0
