/* -l, --list-volumes and --isconfig (see modes.h). */
#include "modes.h"

#include "guest/osrelease.h"
#include "inspect.h"
#include "flow_uki.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* -l: each entry's kernel inspected (src/kernel), once per file. */
#define LIST_CACHE 8
/* Files located for the listing's volumes: a hostile menu of 4096 entries
 * of 64 initrds each would otherwise cost a path walk per file. */
#define LIST_LOCATE 1024
struct list_ctx {
	struct dl_guest *g;
	struct dl_volume *v;
	struct list_seen {
		struct dl_fs *fs;
		char *path;
		int rc;                       /* 0, or negative: not found / not inspected */
		char msg[256];
		struct dl_kernel_report rep;
	} seen[LIST_CACHE + 1];
	size_t nseen;
	unsigned nlocated;                    /* files located for the listing (LIST_LOCATE) */
	struct dl_osinfo os;
	bool notes;                           /* read the kernels' Xen notes: JSON or -v (a
						 Debian xz kernel's cost 0.45 s and 24 MiB each) */
};

/* The report on the kernel e names: a cached one, or a new one; past
 * LIST_CACHE files none (a hostile menu naming thousands of kernels would
 * otherwise cost a decompression each). */
static const struct list_seen *list_inspect(struct list_ctx *c, const struct dl_boot_entry *e)
{
	struct dl_located l = { 0 };
	struct dl_error le = { 0 };
	int r = dl_guest_locate(c->g, c->v, &e->kernel, "kernel", &l, &le);
	for (size_t i = 0; r == 0 && i < c->nseen; i++)
		if (c->seen[i].fs == l.fs && !strcmp(c->seen[i].path, l.path)) {
			free(l.path);
			return &c->seen[i];
		}
	struct list_seen *s = &c->seen[c->nseen < LIST_CACHE ? c->nseen++ : LIST_CACHE];
	free(s->path);
	*s = (struct list_seen){ .fs = l.fs, .path = r == 0 ? l.path : NULL, .rc = r };
	if (r == 0 && s == &c->seen[LIST_CACHE]) {
		snprintf(s->msg, sizeof(s->msg), "not inspected: the menu names more than %d kernels",
			 LIST_CACHE);
		s->rc = -1;
		return s;
	}
	if (r == 0) {
		_cleanup_free_ char *name = dl_asprintf("%s:%s", l.fs->vol->name, l.path);
		/* a unified kernel image: the kernel in its .linux section */
		struct dl_located k = { 0 }, rd = { 0 };
		_cleanup_free_ char *cmdline = NULL;
		int u = dl_flow_uki(&l, &k, &rd, &cmdline, &le);
		s->rc = u < 0 ? u : dl_inspect_file(u ? &k : &l, name, 0, !c->notes, NULL, NULL, &s->rep,
							    &le);
		free(k.path);
		free(rd.path);
	}
	if (s->rc < 0)
		snprintf(s->msg, sizeof(s->msg), "%.250s", le.msg);
	return s;
}

static void list_hook_where(void *ctx, const struct dl_boot_config *cfg, int idx,
			    const struct dl_boot_path *bp, const char *what, struct dl_boot_where *w)
{
	(void)cfg, (void)idx;
	struct list_ctx *c = ctx;
	struct dl_located l = { 0 };
	struct dl_error le = { 0 };
	if (c->nlocated >= LIST_LOCATE) {
		snprintf(w->why, sizeof(w->why), "not looked for: the menu names more than %d files",
			 LIST_LOCATE);
		return;
	}
	c->nlocated++;
	if (dl_guest_locate(c->g, c->v, bp, what, &l, &le) < 0) {
		snprintf(w->why, sizeof(w->why), "%.250s", le.msg);
		return;
	}
	w->volume = l.fs->vol->name;
	w->grub = l.fs->vol->grub;
	w->path = l.path;
}

/* " (bzImage, gzip, 6.1.0-2, PV yes, PVH yes)" after the kernel's line
 * (PV and PVH with -v: c->notes); nothing for a file that is no kernel at
 * all (JSON says "unknown"). */
static void list_hook_text(void *ctx, const struct dl_boot_config *cfg, int idx, struct dl_sbuf *b)
{
	const struct list_seen *s = list_inspect(ctx, &cfg->entries[idx]);
	if (s->rc == 0 && !strcmp(s->rep.format, "unknown"))
		return;
	dl_sbuf_adds(b, " (");
	if (s->rc < 0)
		dl_sbuf_text(b, s->msg);
	else
		dl_inspect_summary(b, &s->rep);
	dl_sbuf_addc(b, ')');
}

static void list_hook_json(void *ctx, const struct dl_boot_config *cfg, int idx, struct dl_json *j)
{
	const struct dl_boot_entry *e = &cfg->entries[idx];
	if (!e->kernel.path)
		return;
	const struct list_seen *s = list_inspect(ctx, e);
	if (s->rc == 0)
		dl_inspect_json(j, &s->rep);
	dl_json_str(j, "kernel_error", s->rc < 0 ? s->msg : NULL);
}

/* The "# ..." line over a listing: where the configuration is, its
 * format and timeout. */
static void list_head(FILE *f, const char *vol, const struct dl_boot_config *cfg)
{
	fprintf(f, "# %s%s%s (%s", vol ? vol : "", vol ? ":" : "", cfg->path ? cfg->path : "",
		cfg->format);
	if (cfg->timeout >= 0)
		fprintf(f, ", timeout %ds", cfg->timeout);
	fputs(")\n", f);
}

/* What the guest is: its release files, and the architecture of the
 * kernel of the entry that would boot (else of the first entry). */
static void list_os(struct list_ctx *c, const struct dl_boot_config *cfg)
{
	dl_guest_os(c->g, &c->os);
	struct dl_error e = { 0 };
	int def = dl_boot_select(cfg, NULL, &e);
	for (size_t i = 0; i < cfg->nentries && def < 0; i++)
		if (cfg->entries[i].kernel.path && !cfg->entries[i].submenu)
			def = (int)i;
	if (def < 0 || !cfg->entries[def].kernel.path)
		return;
	const struct list_seen *s = list_inspect(c, &cfg->entries[def]);
	const char *arch = s->rc == 0 ? dl_os_arch(s->rep.elf, s->rep.elf_machine, s->rep.elf_class,
						   s->rep.format) : NULL;
	snprintf(c->os.arch, sizeof(c->os.arch), "%s", arch ? arch : "");
}

static void list_hook_head(void *ctx, const struct dl_boot_config *cfg, int def, struct dl_json *j)
{
	const struct dl_osinfo *os = &((struct list_ctx *)ctx)->os;
	(void)cfg, (void)def;
	dl_os_json(j, os->id[0] ? os->id : NULL, os->version_id[0] ? os->version_id : NULL,
		   os->pretty_name[0] ? os->pretty_name : NULL, os->arch[0] ? os->arch : NULL);
}

/* The configuration as -l prints it: a "# volume:path (format)" line, then
 * the entry tree (or JSON), each entry with where its files are and what
 * its kernel is.  A fallback (no configuration) says so first. */
static int list_config(struct dl_guest *g, struct dl_volume *v, const struct dl_boot_config *cfg,
		       bool json, char **text, size_t *len, struct dl_error *err)
{
	FILE *f = open_memstream(text, len);
	if (!f)
		return dl_fail(err, DL_ELIMIT, "out of memory");
	if (!json && !strcmp(cfg->format, "fallback"))
		fprintf(f, "# %s: no boot configuration found; a run boots the newest kernel\n", v->name);
	else if (!json)
		list_head(f, v->name, cfg);
	struct list_ctx *c = dl_calloc(1, sizeof(*c));
	c->g = g;
	c->v = v;
	c->notes = json || dl_log_level() >= DL_LOG_INFO;
	list_os(c, cfg);
	if (!json && (c->os.pretty_name[0] || c->os.arch[0])) {
		struct dl_sbuf b = { 0 };
		dl_os_text(&b, &c->os);
		fputs(dl_sbuf_str(&b), f);
		dl_sbuf_free(&b);
	}
	struct dl_boot_list_hook hook = { .ctx = c, .volume = v->name, .where = list_hook_where,
					  .text = list_hook_text, .json = list_hook_json,
					  .head_json = list_hook_head };
	dl_boot_list_with(cfg, f, json, &hook);
	for (size_t i = 0; i <= LIST_CACHE; i++)
		free(c->seen[i].path);
	free(c);
	fclose(f);
	return 0;
}

int dl_mode_fallback(struct dl_guest *g, struct dl_volume **vp, struct dl_boot_config *cfg)
{
	for (size_t k = 0; k <= g->set->nvols; k++) {
		struct dl_volume *v = k == 0 ? g->rootvol : &g->set->vols[k - 1];
		if (!v || (k > 0 && v == g->rootvol) || !dl_guest_fs(g, v))
			continue;
		struct dl_guest_io gio;
		struct dl_error e = { 0 };
		dl_guest_io_init(&gio, g, v);
		if (dl_boot_fallback(&gio.io, cfg, &e) != 0) {
			dl_info("%s: no kernel either (vmlinuz-VERSION or vmlinuz in /boot or /)", v->name);
			dl_boot_config_free(cfg);
			continue;
		}
		*vp = v;
		return 0;
	}
	return DL_ABSENT;
}

/* No configuration: what a run boots (dl_mode_fallback), with the
 * command line it gets. */
static int list_fallback(struct dl_guest *g, bool json, char **text, size_t *len,
			 struct dl_error *err)
{
	const struct dl_fstab *t = dl_guest_fstab(g);
	struct dl_volume *v;
	_cleanup_(dl_boot_config_free) struct dl_boot_config cfg = { .def = -1, .fallback = -1,
								     .timeout = -1 };
	if (dl_mode_fallback(g, &v, &cfg) != 0)
		return dl_fail(err, DL_ENOTFOUND, "%s: no partition holds a boot configuration or kernel",
			       g->set->disks[0]->path);
	const struct dl_fstab_entry *re = t ? dl_fstab_find(t, "/") : NULL;
	struct dl_boot_entry *e = &cfg.entries[0];
	if (re && (!e->args || !*e->args)) {   /* as a run without --args boots it */
		free(e->args);
		e->args = dl_asprintf("root=%s ro", re->spec);
	}
	return list_config(g, v, &cfg, json, text, len, err);
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
			return r < 0 ? r : list_config(g, v, &cfg, json, text, len, err);
	}
	return list_fallback(g, json, text, len, err);
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

int dl_mode_isconfig(struct dl_disk_set *set, const char *entry, bool list, bool json,
		     char **text, size_t *len, struct dl_error *err)
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
	if (list) {
		/* every entry, files as the configuration names them */
		FILE *f = open_memstream(text, len);
		if (!f)
			return dl_fail(err, DL_ELIMIT, "out of memory");
		if (!json)
			list_head(f, NULL, &cfg);
		dl_boot_list_with(&cfg, f, json, NULL);
		fclose(f);
		return 0;
	}
	int idx = dl_boot_select(&cfg, entry, err);
	if (idx < 0)
		return idx;
	return list_entry(&cfg.entries[idx], text, len, err);
}
