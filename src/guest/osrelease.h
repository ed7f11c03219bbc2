/* What the guest is: its distribution from os-release(5) (or the older
 * release files), and the architecture of its kernel.
 *
 * The parsers are pure functions over a buffer (fuzzed: fuzz_osrelease);
 * dl_guest_os() reads the files through the guest view. */
#ifndef DL_GUEST_OSRELEASE_H
#define DL_GUEST_OSRELEASE_H

#include "common.h"

#define DL_OSRELEASE_MAX_FILE (64u << 10)   /* bytes of a release file read */

struct dl_osinfo {
	char id[64];              /* "debian", "fedora", "opensuse-leap"; "" unknown */
	char version_id[64];      /* "12", "39", "15.5" */
	char pretty_name[256];    /* "Debian GNU/Linux 12 (bookworm)" */
	char name[128];           /* "Debian GNU/Linux" */
	char arch[16];            /* the kernel's: "x86_64", "i386", "aarch64"...; "" unknown */
	char source[32];          /* the file it came from: "/etc/os-release" */
};

/* os-release(5): KEY=VALUE lines, values bare, '...' or "..." (with \\, \",
 * \$, \` escapes), '#' comments, blank lines; the last assignment of a key
 * wins.  Fields longer than their buffer are cut at a character boundary.
 * Fills ID, VERSION_ID, PRETTY_NAME and NAME (PRETTY_NAME defaults to NAME
 * VERSION, NAME to "Linux" when ID or VERSION_ID is set).  0 when any of
 * them was set, DL_ABSENT when the buffer says nothing. */
int dl_osrelease_parse(const char *buf, size_t len, struct dl_osinfo *os);

/* The release files before os-release: "debian_version" ("12.5",
 * "bookworm/sid"), "redhat-release" ("CentOS release 6.10 (Final)", also
 * Fedora's and RHEL's), "SuSE-release" ("SUSE Linux Enterprise Server 11
 * (x86_64)" then "VERSION = 11", "PATCHLEVEL = 4").  kind is the file's
 * base name.  0 when something was learnt, else DL_ABSENT. */
int dl_osrelease_legacy(const char *kind, const char *buf, size_t len, struct dl_osinfo *os);

/* The architecture of a kernel: its ELF e_machine (and class), else
 * "x86" for a bzImage whose payload was not read; NULL when unknown. */
const char *dl_os_arch(bool elf, unsigned machine, unsigned elf_class, const char *format);

/* The "os" member of a JSON object: {"id", "version_id", "pretty_name",
 * "arch"}, null when all four are NULL. */
void dl_os_json(struct dl_json *j, const char *id, const char *version_id, const char *pretty,
		const char *arch);
/* "# os: PRETTY_NAME (ID VERSION_ID), ARCH\n", guest text escaped. */
void dl_os_text(struct dl_sbuf *b, const struct dl_osinfo *os);

struct dl_guest;
/* The guest's release files through its fstab (src/guest), in order
 * /etc/os-release, /usr/lib/os-release, /etc/debian_version,
 * /etc/redhat-release, /etc/SuSE-release: 0 with os filled (arch left
 * as it is), DL_ABSENT when none is readable (-v says why). */
int dl_guest_os(struct dl_guest *g, struct dl_osinfo *os);

#endif
