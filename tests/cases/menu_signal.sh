# SIGTERM (libxl's when the domain dies), SIGHUP and SIGINT during the menu:
# the terminal modes and the cursor are restored, then the signal kills the
# process as it would have.
. "$DL_TOP/tests/lib/functions.sh"
. "$DL_TOP/tests/lib/menu.sh"

for sig in TERM HUP INT; do
	menu_start "sig$sig" --timeout=60
	wait_raw
	wait_screen "Will boot selected entry in"
	keys Down   # the cursor stays hidden in the menu
	wait_screen "* Advanced options"
	kill -"$sig" "$(cat "$D/pid")"
	wait_done $((128 + $(kill -l "$sig")))
	[ ! -f "$D/res" ] || fail "SIG$sig: a result was written"
done
exit 0
