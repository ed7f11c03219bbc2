/* struct dl_boot_config: building a menu entry by entry, and freeing it. */
#include <string.h>

#include "boot/internal.h"

void dl_cfg_init(struct dl_boot_config *cfg, const char *format, const char *path)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->format = format;
	cfg->path = path ? dl_strdup(path) : NULL;
	cfg->def = -1;
	cfg->fallback = -1;
	cfg->timeout = -1;
}

struct dl_boot_entry *dl_cfg_add_entry(struct dl_boot_config *cfg, const char *name, int line,
				       struct dl_error *err)
{
	if (cfg->nentries >= DL_BOOT_MAX_ENTRIES) {
		dl_fail(err, DL_ELIMIT, "%s:%d: more than %u menu entries", name, line,
			DL_BOOT_MAX_ENTRIES);
		return NULL;
	}
	struct dl_boot_entry *e = dl_array_push(&cfg->entries, &cfg->nentries, &cfg->capentries,
						sizeof(*e));
	e->parent = -1;
	e->kind = DL_ENTRY_OTHER;
	return e;
}

void dl_cfg_add_fallback(struct dl_boot_config *cfg, int idx)
{
	idx = dl_cfg_first_leaf(cfg, idx);
	if (idx < 0 || (size_t)idx >= cfg->nentries || cfg->nfallbacks >= DL_BOOT_MAX_FALLBACKS)
		return;
	for (size_t i = 0; i < cfg->nfallbacks; i++)
		if (cfg->fallbacks[i] == idx)
			return;
	cfg->fallbacks = dl_reallocarray(cfg->fallbacks, cfg->nfallbacks + 1, sizeof(int));
	cfg->fallbacks[cfg->nfallbacks++] = idx;
	cfg->fallback = cfg->fallbacks[0];
}

void dl_path_free(struct dl_boot_path *p)
{
	free(p->dev);
	free(p->path);
	p->dev = p->path = NULL;
}

void dl_entry_free(struct dl_boot_entry *e)
{
	free(e->title);
	free(e->id);
	dl_path_free(&e->kernel);
	for (size_t i = 0; i < e->ninitrds; i++)
		dl_path_free(&e->initrds[i]);
	free(e->initrds);
	for (size_t i = 0; i < e->nmodules; i++) {
		dl_path_free(&e->modules[i]);
		free(e->module_args[i]);
	}
	free(e->modules);
	free(e->module_args);
	free(e->args);
	free(e->root);
	memset(e, 0, sizeof(*e));
}

void dl_boot_config_free(struct dl_boot_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->nentries; i++)
		dl_entry_free(&cfg->entries[i]);
	free(cfg->entries);
	free(cfg->path);
	free(cfg->default_spec);
	free(cfg->fallbacks);
	memset(cfg, 0, sizeof(*cfg));
	cfg->def = cfg->fallback = -1;
	cfg->timeout = -1;
}

void dl_path_set(struct dl_boot_path *p, const char *dev, const char *path, const char *dir,
		 const char *self)
{
	dl_path_free(p);
	p->dev = dev && *dev && !(self && strcmp(dev, self) == 0) ? dl_strdup(dev) : NULL;
	p->path = dl_path_norm(dir, path);
}

void dl_entry_add_initrd(struct dl_boot_entry *e, const char *dev, const char *path,
			 const char *dir, const char *self)
{
	e->initrds = dl_reallocarray(e->initrds, e->ninitrds + 1, sizeof(*e->initrds));
	memset(&e->initrds[e->ninitrds], 0, sizeof(e->initrds[0]));
	dl_path_set(&e->initrds[e->ninitrds++], dev, path, dir, self);
}

void dl_entry_add_module(struct dl_boot_entry *e, const char *dev, const char *path,
			 const char *args, const char *dir, const char *self)
{
	e->modules = dl_reallocarray(e->modules, e->nmodules + 1, sizeof(*e->modules));
	e->module_args = dl_reallocarray(e->module_args, e->nmodules + 1, sizeof(char *));
	memset(&e->modules[e->nmodules], 0, sizeof(e->modules[0]));
	dl_path_set(&e->modules[e->nmodules], dev, path, dir, self);
	e->module_args[e->nmodules++] = dl_strdup(args ? args : "");
}
