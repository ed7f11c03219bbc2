/* Unified kernel images on the parsing side: a located file that is one
 * split into its sections, and streaming a part of a file. */
#ifndef DL_FLOW_UKI_H
#define DL_FLOW_UKI_H

#include "guest/guest.h"

/* If l (a whole file) is a unified kernel image (dl_uki_parse): 1 with
 * *kernel its .linux section, *initrd its .initrd (initrd->path NULL when
 * it has none or it is empty) and *cmdline its .cmdline (malloc'd, blanks
 * and NULs trimmed; NULL when none), each part a copy of l with its own
 * path.  0 when l is no such image; a negative errno with err set when its
 * sections are broken. */
int dl_flow_uki(const struct dl_located *l, struct dl_located *kernel, struct dl_located *initrd,
		char **cmdline, struct dl_error *err);

/* dl_fs_stream() of what l means: the file, or only its part. */
int dl_located_stream(const struct dl_located *l, const struct dl_fs_stream *out,
		      struct dl_error *err);

#endif
