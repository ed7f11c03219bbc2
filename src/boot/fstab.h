/* The guest's /etc/fstab and domUloader-style entries. */
#ifndef DL_BOOT_FSTAB_H
#define DL_BOOT_FSTAB_H

#include "common.h"

#define DL_FSTAB_MAX_ENTRIES 4096

enum dl_fstab_spec {
	DL_SPEC_DEV = 0,     /* /dev/xvda1, /dev/mapper/vg-root, /dev/disk/by-... */
	DL_SPEC_UUID,        /* UUID=... */
	DL_SPEC_LABEL,       /* LABEL=... */
	DL_SPEC_PARTUUID,
	DL_SPEC_PARTLABEL,
	DL_SPEC_OTHER,       /* tmpfs, proc, server:/export, ... */
};

struct dl_fstab_entry {
	enum dl_fstab_spec kind;
	char *spec;          /* as written, \040-style escapes decoded */
	char *value;         /* UUID/LABEL/... value, or the /dev path (kind DEV) */
	char *mountpoint;    /* normalised, "/" for root; "none"/"swap" kept as is */
	char *fstype;
	char *options;       /* "defaults" when absent */
	char *subvol;        /* btrfs subvol= (leading '/' stripped), or NULL */
	int line;
};

struct dl_fstab {
	struct dl_fstab_entry *entries;
	size_t n, cap;
};

/* Parse fstab bytes.  Malformed lines (fewer than 2 fields) are skipped
 * with a warning "name:line: ...".  -1 only on caps (size, entries). */
int dl_fstab_parse(const char *name, const char *buf, size_t len, struct dl_fstab *out,
		   struct dl_error *err);
void dl_fstab_free(struct dl_fstab *fs);

/* The entry whose mount point is the longest prefix of path (an absolute
 * guest path as seen from the running system), with *rest the path inside
 * that filesystem ("/boot/vmlinuz" with /boot mounted -> "/vmlinuz").
 * Only entries of kinds DEV..PARTLABEL and non-swap are considered.
 * NULL when nothing (not even /) matches. */
const struct dl_fstab_entry *dl_fstab_lookup(const struct dl_fstab *fs, const char *path,
					     const char **rest);
/* Entry mounted exactly at mountpoint, or NULL. */
const struct dl_fstab_entry *dl_fstab_find(const struct dl_fstab *fs, const char *mountpoint);

/* domUloader --entry=[dev:]kernel[,initrd] (peers.md §1.4), with the
 * device optional (then resolved through fstab / --root by the caller). */
struct dl_domu_entry {
	char *dev;       /* "xvda2" (a leading /dev/ removed), or NULL */
	char *kernel;    /* absolute */
	char *initrd;    /* absolute, or NULL */
};
/* Does s look like a domUloader entry rather than a title/index?  A path
 * ("/boot/vmlinuz...") or "dev:path" with a device-like dev. */
bool dl_domu_entry_like(const char *s);
int dl_domu_entry_parse(const char *s, struct dl_domu_entry *out, struct dl_error *err);
void dl_domu_entry_free(struct dl_domu_entry *e);

#endif
