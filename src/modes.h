/* The modes that list instead of extracting (-l, --list-volumes) and
 * --isconfig: each answers with one sink->listing() call. */
#ifndef DL_MODES_H
#define DL_MODES_H

#include "flow.h"
#include "guest/guest.h"

/* --list-volumes: the scanned and probed volume tree. */
int dl_mode_list_volumes(const struct dl_request *req, struct dl_disk_set *set,
			 const struct dl_sink *sink);
/* -l: the entries of the first boot configuration found. */
int dl_mode_list_entries(const struct dl_request *req, struct dl_guest *g,
			 const struct dl_sink *sink, struct dl_error *err);
/* --isconfig: disk 0 is a configuration file in dom0 (debugging); the
 * entry chosen, printed as pygrub prints it. */
int dl_mode_isconfig(const struct dl_request *req, struct dl_disk_set *set,
		     const struct dl_sink *sink, struct dl_error *err);

#endif
