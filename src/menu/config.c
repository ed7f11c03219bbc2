/* The menu of a parsed boot configuration: the one place that knows both
 * src/boot's model and the menu's. */
#include "menu/menu.h"

#include <stdio.h>

#include "boot/boot.h"

static char *path_str(const struct dl_boot_path *p)
{
	if (p->dev)
		return dl_asprintf("(%s)%s", p->dev, p->path ? p->path : "");
	return dl_strdup(p->path ? p->path : "");
}

int dl_menu_from_config(const struct dl_boot_config *cfg, enum dl_menu_style style,
			struct dl_menu *out, struct dl_error *err)
{
	*out = (struct dl_menu){ .def = -1 };
	if (!cfg->nentries)
		return dl_fail(err, DL_ENOTFOUND, "%s: no menu entries", cfg->path ? cfg->path : "configuration");
	if (cfg->nentries > DL_MENU_MAX_ITEMS)
		return dl_fail(err, DL_ELIMIT, "%s: more than %d menu entries",
			       cfg->path ? cfg->path : "configuration", DL_MENU_MAX_ITEMS);
	int def = dl_boot_select(cfg, NULL, err);
	if (def < 0)
		return def;
	struct dl_menu_item *items = dl_calloc(cfg->nentries, sizeof(*items));
	for (size_t i = 0; i < cfg->nentries; i++) {
		const struct dl_boot_entry *e = &cfg->entries[i];
		struct dl_menu_item *it = &items[i];
		it->title = dl_strdup(e->title ? e->title : "");
		it->parent = e->parent;
		it->submenu = e->submenu;
		it->bootable = !e->submenu && dl_boot_entry_bootable(e);
		if (!e->submenu && e->kind == DL_ENTRY_LINUX && e->kernel.path)
			it->kernel = path_str(&e->kernel);
		if (e->ninitrds) {
			char **v = dl_calloc(e->ninitrds, sizeof(*v));
			for (size_t k = 0; k < e->ninitrds; k++)
				v[k] = path_str(&e->initrds[k]);
			it->initrds = (const char *const *)v;
			it->ninitrds = e->ninitrds;
		}
		it->args = dl_strdup(e->args ? e->args : "");
	}
	out->items = items;
	out->n = cfg->nentries;
	out->def = def;
	/* 0 boots at once, as GRUB, GRUB legacy and systemd-boot do (keys
	 * typed before count: Esc still shows the menu); no timeout at all
	 * waits about a second, as pygrub, never forever (nobody may ever
	 * attach to a Xen console).  pygrub's second for 0 too cost every
	 * xl create of such a guest a second. */
	out->timeout_s = cfg->timeout >= 0 ? cfg->timeout : 1;
	static const enum dl_menu_style styles[] = {
		[DL_TIMEOUT_MENU] = DL_MENU_SHOW, [DL_TIMEOUT_COUNTDOWN] = DL_MENU_COUNTDOWN,
		[DL_TIMEOUT_HIDDEN] = DL_MENU_HIDDEN,
	};
	out->style = cfg->timeout_style != DL_TIMEOUT_UNSET ? styles[cfg->timeout_style] : style;
	out->locked = cfg->locked;
	out->title_line = cfg->path ? dl_asprintf("domuloader: %s", cfg->path) : NULL;
	int r = dl_menu_check(out, err);
	if (r < 0) {
		dl_menu_free(out);
		return r;
	}
	return 0;
}

void dl_menu_free(struct dl_menu *m)
{
	struct dl_menu_item *items = (struct dl_menu_item *)m->items;
	for (size_t i = 0; items && i < m->n; i++) {
		free((char *)items[i].title);
		free((char *)items[i].kernel);
		for (size_t k = 0; k < items[i].ninitrds; k++)
			free((char *)items[i].initrds[k]);
		free((char **)items[i].initrds);
		free((char *)items[i].args);
	}
	free(items);
	free((char *)m->title_line);
	*m = (struct dl_menu){ .def = -1 };
}
