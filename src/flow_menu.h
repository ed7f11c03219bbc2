/* The boot menu's choice point on the parsing side (src/flow_menu.c). */
#ifndef DL_FLOW_MENU_H
#define DL_FLOW_MENU_H

#include "boot/boot.h"
#include "guest/guest.h"
#include "result.h"

/* Send the menu of cfg (found on volume home) to the privileged side
 * (DL_CALL_MENU), answer its "ls" questions from the guest, and check the
 * choice that comes back as any request from there.  Returns the index in
 * cfg->entries to boot: the chosen entry, or an entry appended to cfg for
 * a choice whose files or command line the user edited (its title the
 * chosen entry's, none for the command line's "boot").  *flat is pygrub's
 * flattened index of the chosen entry, -1 for the command line.  A menu
 * too large for one call boots the default, with a warning.  A negative
 * errno with err set on failure (the user's choice is not replaced by
 * another). */
int dl_flow_menu(struct dl_guest *g, struct dl_volume *home, const struct dl_sink *sink,
		 struct dl_boot_config *cfg, int *flat, struct dl_error *err);

#endif
