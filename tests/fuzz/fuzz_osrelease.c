/* libFuzzer harness for the guest's release files: os-release(5) and the
 * older debian_version, redhat-release and SuSE-release, and the ls
 * escaping of guest names (src/guestcmd.c).
 * Run for N minutes:  make fuzz && build-fuzz/bin/fuzz_osrelease -max_total_time=$((N*60)) \
 *                       tests/fuzz/corpus/osrelease */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "guest/osrelease.h"
#include "guestcmd.h"
#include "fuzz_common.h"

static void check(const struct dl_osinfo *os)
{
	/* every field NUL-terminated inside its buffer */
	if (strnlen(os->id, sizeof(os->id)) == sizeof(os->id) ||
	    strnlen(os->version_id, sizeof(os->version_id)) == sizeof(os->version_id) ||
	    strnlen(os->pretty_name, sizeof(os->pretty_name)) == sizeof(os->pretty_name) ||
	    strnlen(os->name, sizeof(os->name)) == sizeof(os->name))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kinds[] = { "debian_version", "redhat-release", "SuSE-release" };
	dl_log_set(fuzz_quiet, NULL, DL_LOG_DEBUG);
	struct dl_osinfo os = { 0 };
	dl_osrelease_parse((const char *)data, size, &os);
	check(&os);
	struct dl_sbuf b = { 0 };
	dl_os_text(&b, &os);
	if (memchr(dl_sbuf_str(&b), '\n', b.len) != dl_sbuf_str(&b) + b.len - 1)
		abort();   /* guest text forged a line */
	dl_sbuf_free(&b);
	for (size_t k = 0; k < 3; k++) {
		struct dl_osinfo o = { 0 };
		dl_osrelease_legacy(kinds[k], (const char *)data, size, &o);
		check(&o);
	}
	dl_guestcmd_escape(&b, (const char *)data, size);
	for (size_t i = 0; i < b.len; i++)
		if ((unsigned char)b.p[i] < 0x20 || (unsigned char)b.p[i] == 0x7f)
			abort();
	dl_sbuf_free(&b);
	return 0;
}
