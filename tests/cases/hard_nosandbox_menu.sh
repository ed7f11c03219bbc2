# --no-sandbox parses in this process under the child's limits (the wall
# clock of --timeout and the CPU limit), but as for the child a menu
# waiting for a key is not parse time: with --timeout=1, a person who
# stops the countdown and takes longer than that still boots.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/menu.sh"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"
img=$(mkimg gpt-sepboot)
src=$img.files

dl_menu_start slow --no-sandbox --timeout=1 "$img"
wait_raw
wait_screen "Will boot selected entry in"
keys Down
wait_screen "* Advanced options for Debian GNU/Linux >"
sleep 3                               # longer than --timeout, at the menu
keys Up
wait_screen "* Debian GNU/Linux"
keys Enter
wait_done 0
grep -q 'took longer than --timeout\|CPU limit' "$D/err" && fail "the menu's wait counted as parse time"
expect_jres index 0
expect_jres guest_kernel xvda1:/vmlinuz-6.1.0-2
expect_cmp "$(jres kernel)" "$src/vmlinuz-6.1.0-2"
exit 0
