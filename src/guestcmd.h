/* domuloader ls / cat / copy-out on the parsing side: a guest path (a
 * volume and a path, or a path of the running guest through its fstab)
 * listed as text or JSON through the sink's listing, or a guest file's
 * bytes sent as one payload (the privileged side writes them to stdout or
 * a file).  Read-only, through src/guest and src/fs, never a mount of
 * dom0's kernel unless --mount asked for one. */
#ifndef DL_GUESTCMD_H
#define DL_GUESTCMD_H

#include "flow.h"
#include "fs/fs.h"

#define DL_LS_MAX_ENTRIES 65536u     /* names of one directory listed */

/* The parsing side's body for a subcommand (as dl_flow_run is for a
 * boot): the disks scanned, then req->mode (DL_MODE_LS, DL_MODE_CAT) on
 * req->guest_path; DL_MODE_LIST_VOLUMES (ls without a path) is
 * dl_flow_run's. */
int dl_guestcmd_run(const struct dl_request *req, struct dl_disk_set *set,
		    const struct dl_sink *sink, struct dl_error *err);

/* A guest path as the user wrote it, split: "xvda2:/etc" -> volume name
 * "xvda2" (malloc'd in *vol) and path "/etc"; "/dev/vg/root:/boot" ->
 * "/dev/vg/root", "/boot"; "(hd0,gpt1)/grub" -> "hd0,gpt1", "/grub";
 * "xvda2:", "xvda2" and "/dev/vg/root" (a volume) -> the volume's root;
 * "/etc/fstab" -> no volume (NULL), the running guest's path.  is_vol
 * says whether a prefix names a volume (it decides for a path such as
 * "/srv/a:/b", which is a plain path unless "/srv/a" is a volume).  The
 * path is normalised: "//", "." and ".." removed (".." stops at "/").
 * Returns the path (malloc'd). */
char *dl_guestcmd_split(const char *spec, bool (*is_vol)(void *ctx, const char *name), void *ctx,
			char **vol);

/* An ls line for one entry into b: type and mode as ls -l shows them
 * ("drwxr-xr-x", "?" for bits the filesystem does not keep), size, the
 * name and "-> target" for a symlink, control bytes and backslashes
 * escaped as ls -b does (\n, \t, \ooo, \\). */
void dl_guestcmd_line(struct dl_sbuf *b, const char *name, const struct dl_stat *st,
		      const char *target);
/* name with ls -b's escapes appended to b. */
void dl_guestcmd_escape(struct dl_sbuf *b, const char *name, size_t len);

#endif
