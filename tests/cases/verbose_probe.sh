# -v reports each volume probed: its filesystem, or why it is skipped
# (swap, LUKS, no filesystem domuloader reads), whether it holds a boot
# configuration, and with no configuration anywhere, what the fallback
# looked for; the man page says so.
. "$DL_TOP/tests/lib/functions.sh"

# volumes skipped before the one that boots: swap, LUKS, then /boot
img=$(mkimg mixed-skip)
dl_run -v -q -n "$img"
expect_rc 0
expect_eq "$(grep -v ':/vmlinuz' "$T/err")" "domuloader: xvda1: swap; skipped
domuloader: xvda2: encrypted (LUKS); skipped
domuloader: xvda3: ext4 filesystem labelled 'boot'
domuloader: xvda3: grub2 configuration /grub/grub.cfg" "-v on mixed-skip"
# without -v, nothing on stderr
dl_run -q -n "$img"
expect_rc 0
[ ! -s "$T/err" ] || fail "stderr without -v: $(cat "$T/err")"

# no configuration: each volume said, then the fallback's warning
img=$(mkimg boot-layouts noconfig)
dl_run -v -q -n "$img"
expect_rc 0
grep -q '^domuloader: xvda1: ext4 filesystem$' "$T/err" || fail "no fs line: $(cat "$T/err")"
expect_err_grep "^domuloader: xvda1: no boot configuration (GRUB 2, BLS, syslinux or GRUB legacy)$"
expect_err_grep "^domuloader: warning: xvda1: no boot configuration found; using the newest kernel"

# nothing at all: an empty ext4 filesystem, and a disk without one
mkdir -p "$T/empty"
mkfs.ext4 -q -F -d "$T/empty" "$T/e.img" 8M 2>/dev/null || fail "mkfs.ext4"
dl_run -v -q -n "$T/e.img"
expect_rc 3
expect_eq "$(cat "$T/err")" "domuloader: xvda: ext4 filesystem
domuloader: xvda: no boot configuration (GRUB 2, BLS, syslinux or GRUB legacy)
domuloader: xvda: no kernel either (vmlinuz-VERSION or vmlinuz in /boot or /)
domuloader: error: $T/e.img: no partition holds a boot configuration or kernel" "-v on an empty filesystem"
dd if=/dev/zero of="$T/z.img" bs=1M count=4 status=none
dl_run -v -q -n "$T/z.img"
expect_rc 3
expect_err_grep "^domuloader: xvda: no supported filesystem found; skipped$"

# --kernel: each volume that lacks it
img=$(mkimg gpt-sepboot)
dl_run -v -q -n --kernel=/nothere "$img"
expect_rc 3
expect_err_grep "^domuloader: xvda1: no kernel /nothere$"
expect_err_grep "^domuloader: xvda2: no kernel /nothere$"
# the man page promises it
grep -q 'Report each volume that is probed and why it is skipped' "$DL_TOP/man/domuloader.1" ||
	fail "man page: -v text changed; update this test"
exit 0
