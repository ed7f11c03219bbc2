/* -l, --list-volumes and --isconfig (see modes.h). */
#include "modes.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The configuration as -l prints it: a "# volume:path (format)" line, then
 * the entry tree (or JSON). */
static int list_config(const struct dl_volume *v, const struct dl_boot_config *cfg, bool json,
		       char **text, size_t *len, struct dl_error *err)
{
	FILE *f = open_memstream(text, len);
	if (!f)
		return dl_fail(err, DL_ELIMIT, "out of memory");
	if (!json)
		fprintf(f, "# %s:%s (%s)\n", v->name, cfg->path, cfg->format);
	dl_boot_list(cfg, f, json);
	fclose(f);
	return 0;
}

int dl_mode_list_entries(struct dl_guest *g, bool json, char **text, size_t *len,
			 struct dl_error *err)
{
	for (size_t i = 0; i < g->set->nvols; i++) {
		struct dl_volume *v = &g->set->vols[i];
		if (!dl_guest_fs(g, v))
			continue;
		struct dl_guest_io gio;
		_cleanup_(dl_boot_config_free) struct dl_boot_config cfg = { .def = -1, .fallback = -1,
									     .timeout = -1 };
		dl_guest_io_init(&gio, g, v);
		int r = dl_boot_find(&gio.io, &cfg, err);
		if (r != DL_NOT_MINE)
			return r < 0 ? r : list_config(v, &cfg, json, text, len, err);
	}
	return dl_fail(err, DL_ENOTFOUND, "%s: no partition holds a boot configuration",
		       g->set->disks[0]->path);
}

static void list_path(FILE *f, const char *key, const struct dl_boot_path *bp)
{
	fprintf(f, "%s%s%s%s", key, bp->dev ? "(" : "", bp->dev ? bp->dev : "", bp->dev ? ")" : "");
	fputs(bp->path, f);
}

/* The chosen entry as pygrub's --isconfig prints it. */
static int list_entry(const struct dl_boot_entry *e, char **text, size_t *len,
		      struct dl_error *err)
{
	FILE *f = open_memstream(text, len);
	if (!f)
		return dl_fail(err, DL_ELIMIT, "out of memory");
	if (e->kernel.path)
		list_path(f, "  kernel: ", &e->kernel);
	else
		fputs("  kernel: None", f);
	fputc('\n', f);
	for (size_t i = 0; i < e->ninitrds; i++) {
		list_path(f, "  initrd: ", &e->initrds[i]);
		fputc('\n', f);
	}
	fprintf(f, "  args: %s\n", e->args ? e->args : "");
	fclose(f);
	return 0;
}

int dl_mode_isconfig(struct dl_disk_set *set, const char *entry, char **text, size_t *len,
		     struct dl_error *err)
{
	struct dl_disk *d = set->disks[0];
	if (d->size > DL_BOOT_MAX_FILE)
		return dl_fail(err, DL_ELIMIT, "%s: larger than %u bytes", d->path, DL_BOOT_MAX_FILE);
	_cleanup_free_ char *buf = dl_malloc((size_t)d->size + 1);
	ssize_t n = dl_disk_pread(d, buf, (size_t)d->size, 0);
	if (n < 0)
		return dl_fail(err, DL_EIO, "%s: %s", d->path, strerror(errno));
	buf[n] = '\0';
	_cleanup_(dl_boot_config_free) struct dl_boot_config cfg = { .def = -1, .fallback = -1,
								     .timeout = -1 };
	int r = dl_boot_parse_as(dl_boot_parser_for_path(d->path), d->path, buf, (size_t)n,
				 &dl_guest_io_none, &cfg, err);
	if (r < 0)
		return r;
	int idx = dl_boot_select(&cfg, entry, err);
	if (idx < 0)
		return idx;
	return list_entry(&cfg.entries[idx], text, len, err);
}
