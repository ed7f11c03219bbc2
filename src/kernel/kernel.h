/* Kernel image inspection: what a file that is about to be booted is.
 * A pure function over the first bytes of the file (up to
 * DL_KERNEL_PROBE_BYTES), for reports (JSON, -v); nothing is refused on
 * its account, since Xen also boots ELF kernels of other systems. */
#ifndef DL_KERNEL_H
#define DL_KERNEL_H

#include "common.h"

#define DL_KERNEL_PROBE_BYTES (64u << 10)

struct dl_kernel_info {
	const char *format;      /* "bzImage", "ELF64", "ELF32", "gzip", "xz", "zstd",
	                            "bzip2", "lzma", "lz4", "unknown" */
	char version[128];       /* bzImage kernel_version string (printable ASCII), or "" */
	unsigned protocol;       /* bzImage boot protocol (0x20f = 2.15), 0 if none */
	bool xen_notes;          /* ELF: has notes owned by "Xen" */
	bool pvh_entry;          /* ELF: XEN_ELFNOTE_PHYS32_ENTRY (PVH entry point) */
};

/* Fill ki from buf (the start of the file).  Returns true when the format
 * was recognised. */
bool dl_kernel_probe(const uint8_t *buf, size_t len, struct dl_kernel_info *ki);

#endif
