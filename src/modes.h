/* The modes that list instead of extracting: -l and --isconfig (and
 * --list-volumes, which is dl_diskset_listing()).  Each fills *text (a
 * malloc'd string of *len bytes) with what the listing prints. */
#ifndef DL_MODES_H
#define DL_MODES_H

#include "guest/guest.h"

/* -l: the entries of the first boot configuration found, as text or JSON;
 * without one, what the fallback boots. */
int dl_mode_list_entries(struct dl_guest *g, bool json, char **text, size_t *len,
			 struct dl_error *err);
/* --isconfig: disk 0 is a configuration file in dom0 (debugging); the
 * entry chosen by entry (NULL: the default), printed as pygrub prints it,
 * or with list (-l) every entry as -l lists them (text or JSON). */
int dl_mode_isconfig(struct dl_disk_set *set, const char *entry, bool list, bool json,
		     char **text, size_t *len, struct dl_error *err);
/* The no-configuration fallback (dl_boot_fallback): on the root volume,
 * else on the first volume in order that has a kernel.  0 with *vp and
 * *cfg set, DL_ABSENT when no volume has a kernel. */
int dl_mode_fallback(struct dl_guest *g, struct dl_volume **vp, struct dl_boot_config *cfg);

#endif
