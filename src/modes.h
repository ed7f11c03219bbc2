/* The modes that list instead of extracting: -l and --isconfig (and
 * --list-volumes, which is dl_diskset_listing()).  Each fills *text (a
 * malloc'd string of *len bytes) with what the listing prints. */
#ifndef DL_MODES_H
#define DL_MODES_H

#include "guest/guest.h"

/* -l: the entries of the first boot configuration found, as text or JSON. */
int dl_mode_list_entries(struct dl_guest *g, bool json, char **text, size_t *len,
			 struct dl_error *err);
/* --isconfig: disk 0 is a configuration file in dom0 (debugging); the
 * entry chosen by entry (NULL: the default), printed as pygrub prints it. */
int dl_mode_isconfig(struct dl_disk_set *set, const char *entry, char **text, size_t *len,
		     struct dl_error *err);

#endif
