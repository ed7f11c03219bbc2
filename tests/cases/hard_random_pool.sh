# A dom0 that has just booted may start guests before the kernel's random
# pool is ready: nothing may wait for it.  A preloaded getrandom() that
# blocks for an hour unless asked not to (and then has nothing, as an
# unready pool) must not hold up an extraction; the output names keep
# pygrub's form (8 characters after the dot).
. "$DL_TOP/tests/lib/functions.sh"
img=$(mkimg ext4-inroot)
F=$img.files
cat > "$T/shim.c" <<'C'
#define _GNU_SOURCE
#include <errno.h>
#include <sys/random.h>
#include <unistd.h>
ssize_t getrandom(void *buf, size_t len, unsigned flags)
{
	(void)buf, (void)len;
	if (!(flags & GRND_NONBLOCK))
		sleep(3600);
	errno = EAGAIN;
	return -1;
}
C
${CC:-cc} -shared -fPIC -o "$T/shim.so" "$T/shim.c" || fail "cannot build the getrandom shim"
for sb in "" --no-sandbox; do
	rm -rf "$T/o"; mkdir -p "$T/o"
	RC=0
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 LD_PRELOAD=$T/shim.so \
		timeout -k 5 60 "$DL" -q $sb --output-directory="$T/o" "$img" >"$T/out" 2>"$T/err" || RC=$?
	[ "$RC" != 124 ] && [ "$RC" != 137 ] || fail "domuloader waited for the random pool (${sb:-sandboxed})"
	expect_rc 0 "${sb:-sandboxed}"
	k=$(find "$T/o" -name 'boot_kernel.*') r=$(find "$T/o" -name 'boot_ramdisk.*')
	cmp -s "$k" "$F/boot/vmlinuz-6.1.0-2" || fail "kernel differs (${sb:-sandboxed})"
	cmp -s "$r" "$F/boot/initrd.img-6.1.0-2" || fail "initrd differs (${sb:-sandboxed})"
	printf '%s\n' "${k##*/}" "${r##*/}" | grep -qvE '^boot_(kernel|ramdisk)\.[A-Za-z0-9_]{8}$' &&
		fail "output names not in pygrub's form: ${k##*/} ${r##*/}"
done
exit 0
