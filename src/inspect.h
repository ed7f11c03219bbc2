/* What a guest's kernel is (src/kernel) for the parsing side: inspected
 * through the guest's filesystem, summarised for -l, and judged against
 * the guest type asked (--guest-type, --config's type/builder). */
#ifndef DL_INSPECT_H
#define DL_INSPECT_H

#include "guest/guest.h"
#include "kernel/kernel.h"

/* dl_kernel_inspect() on the located file l, named name in messages;
 * out_max caps the decompressed bytes given to out (0: the default);
 * header_only leaves a compressed kernel's Xen notes unread (see
 * struct dl_kernel_limits). */
int dl_inspect_file(const struct dl_located *l, const char *name, uint64_t out_max,
		    bool header_only, dl_kernel_out_fn out, void *octx,
		    struct dl_kernel_report *rep, struct dl_error *err);

/* "bzImage, zstd, 6.1.0-18-amd64 (...), PV yes, PVH no (why)"; without
 * the PV and PVH parts when the notes were not read */
void dl_inspect_summary(struct dl_sbuf *b, const struct dl_kernel_report *rep);

/* The architecture the kernel is built for, as uname -m names it
 * ("x86_64", "i386", "aarch64"...), from its ELF header (for a bzImage
 * the vmlinux inside); "x86" for a bzImage whose ELF was not reached,
 * "unknown" for another ELF machine, NULL for a file that is no kernel. */
const char *dl_inspect_arch(const struct dl_kernel_report *rep);

/* The report as JSON members: kernel_format, kernel_compression,
 * kernel_version, kernel_arch, xen_pv, xen_pvh, why_not_pv, why_not_pvh. */
void dl_inspect_json(struct dl_json *j, const struct dl_kernel_report *rep);

#endif
