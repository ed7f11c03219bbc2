/* The guest's /etc/fstab (fstab(5)): which volume is mounted where. */
#ifndef DL_GUEST_FSTAB_H
#define DL_GUEST_FSTAB_H

#include "common.h"
#include "part/part.h"

#define DL_FSTAB_MAX_ENTRIES 4096

struct dl_fstab_entry {
	char *spec;          /* first field as written, \040-style escapes decoded */
	struct dl_volspec vol; /* the volume spec names (value inside spec); kind
	                        DL_VOLSPEC_NONE for tmpfs, proc, host:/export... */
	char *mountpoint;    /* normalised, "/" for root; "none"/"swap" kept as is */
	char *fstype;
	char *options;       /* "defaults" when absent */
	char *subvol;        /* btrfs subvol= (leading '/' stripped), or NULL */
	uint64_t subvolid;   /* btrfs subvolid=, 0 when absent */
	int line;
};

struct dl_fstab {
	struct dl_fstab_entry *entries;
	size_t n, cap;
};

/* Parse fstab bytes.  Malformed lines (fewer than 2 fields) are skipped
 * with a warning "name:line: ...".  Fails (negative errno) only on caps
 * (size, entries). */
int dl_fstab_parse(const char *name, const char *buf, size_t len, struct dl_fstab *out,
		   struct dl_error *err);
void dl_fstab_free(struct dl_fstab *fs);

/* The entry whose mount point is the longest prefix of path (an absolute
 * guest path as seen from the running system), with *rest the path inside
 * that filesystem ("/boot/vmlinuz" with /boot mounted -> "/vmlinuz").
 * Only entries naming a volume, and not swap, are considered.  NULL when
 * nothing (not even /) matches. */
const struct dl_fstab_entry *dl_fstab_lookup(const struct dl_fstab *fs, const char *path,
					     const char **rest);
/* Entry mounted exactly at mountpoint, or NULL. */
const struct dl_fstab_entry *dl_fstab_find(const struct dl_fstab *fs, const char *mountpoint);

#endif
