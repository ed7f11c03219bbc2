/* The boot menu, parsing side: the menu goes out as a call, the choice
 * comes back and is checked and turned into an entry of the
 * configuration; the menu's "ls" is answered from the guest here, so that
 * the privileged side never reads a guest filesystem. */
#include "flow_menu.h"

#include <errno.h>
#include <string.h>

#include "menu/menu.h"

struct ls_ctx {
	struct dl_guest *g;
	struct dl_volume *home;
};

/* Bare "ls": the volumes, as GRUB names them. */
static void ls_volumes(struct dl_guest *g, struct dl_sbuf *out)
{
	for (size_t i = 0; i < g->set->nvols; i++) {
		struct dl_volume *v = &g->set->vols[i];
		struct dl_fs *fs = dl_guest_fs(g, v);
		dl_sbuf_printf(out, "(%s) %s%s\n", v->grub, v->name, fs ? "" : " (no filesystem)");
	}
}

/* "ls PATH": PATH "/dir" on the configuration's volume or "(dev)/dir";
 * directories get a '/', as in GRUB. */
static int ls_path(struct ls_ctx *c, const char *s, struct dl_sbuf *out, struct dl_error *err)
{
	_cleanup_free_ char *dev = NULL;
	const char *path = s;
	if (s[0] == '(') {
		const char *e = strchr(s, ')');
		if (!e)
			return dl_fail(err, DL_EUSAGE, "%s: no ')' after the device", s);
		dev = dl_strndup(s + 1, (size_t)(e - s - 1));
		path = *(e + 1) ? e + 1 : "/";
	}
	if (path[0] != '/')
		return dl_fail(err, DL_EUSAGE, "%s: not an absolute path", s);
	struct dl_guest_io gio;
	dl_guest_io_init(&gio, c->g, c->home);
	char **names = NULL;
	size_t n = 0;
	int r = gio.io.list_dir(gio.io.ctx, dev, path, &names, &n, err);
	if (r == DL_ABSENT) {
		if (gio.io.test_file(gio.io.ctx, dev, path, 'e') != 1)
			return dl_fail(err, DL_ENOTFOUND, "%s: no such file or directory", s);
		dl_sbuf_printf(out, "%s\n", path);
		return 0;
	}
	for (size_t i = 0; r == 0 && i < n; i++) {
		_cleanup_free_ char *full = dl_asprintf("%s%s%s", path,
							path[strlen(path) - 1] == '/' ? "" : "/", names[i]);
		bool dir = gio.io.test_file(gio.io.ctx, dev, full, 'd') == 1;
		dl_sbuf_printf(out, "%s%s\n", names[i], dir ? "/" : "");
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r;
}

/* The privileged side's question: a path (empty: the volumes). */
static int ls_ask(void *ctx, const void *q, size_t len, struct dl_sbuf *answer, struct dl_error *err)
{
	struct ls_ctx *c = ctx;
	const unsigned char *p = q;
	if (len > DL_MENU_MAX_PATH)
		return dl_fail(err, DL_ELIMIT, "ls: a path longer than %d bytes", DL_MENU_MAX_PATH);
	for (size_t i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] == 0x7f)
			return dl_fail(err, DL_EUSAGE, "ls: a control byte in the path");
	if (!len) {
		ls_volumes(c->g, answer);
		return 0;
	}
	_cleanup_free_ char *path = dl_strndup(q, len);
	return ls_path(c, path, answer, err);
}

/* "(dev)/path" or "/path" into a boot path. */
static int split_path(const char *s, struct dl_boot_path *bp, struct dl_error *err)
{
	const char *path = s;
	bp->dev = NULL;
	if (s[0] == '(') {
		const char *e = strchr(s, ')');
		if (!e || e == s + 1)
			return dl_fail(err, DL_EUSAGE, "menu: %s: not (device)/path", s);
		bp->dev = dl_strndup(s + 1, (size_t)(e - s - 1));
		path = e + 1;
	}
	if (path[0] != '/') {
		free(bp->dev);
		bp->dev = NULL;
		return dl_fail(err, DL_EUSAGE, "menu: %s: not an absolute path", s);
	}
	bp->path = dl_strdup(path);
	return 0;
}

/* The edited choice as a new entry at the end of cfg. */
static int add_edited(struct dl_boot_config *cfg, const struct dl_menu_choice *c,
		      struct dl_error *err)
{
	struct dl_boot_entry e = { .kind = DL_ENTRY_LINUX, .parent = -1 };
	int r = split_path(c->kernel, &e.kernel, err);
	if (r < 0)
		return r;
	if (c->ninitrds)
		e.initrds = dl_calloc(c->ninitrds, sizeof(*e.initrds));
	for (size_t i = 0; r == 0 && i < c->ninitrds; i++)
		if ((r = split_path(c->initrds[i], &e.initrds[i], err)) == 0)
			e.ninitrds = i + 1;
	e.args = dl_strdup(c->args);
	if (c->index >= 0 && cfg->entries[c->index].title)
		e.title = dl_strdup(cfg->entries[c->index].title);
	if (c->index >= 0 && cfg->entries[c->index].id)
		e.id = dl_strdup(cfg->entries[c->index].id);
	struct dl_boot_entry *slot = dl_array_push(&cfg->entries, &cfg->nentries, &cfg->capentries,
						   sizeof(*slot));
	*slot = e;   /* freed with cfg, even when r < 0 */
	return r < 0 ? r : (int)cfg->nentries - 1;
}

/* The call and its answer. */
static int ask_parent(const struct dl_sink *sink, const struct dl_menu *m, struct dl_sbuf req,
		      const struct dl_asker *back, struct dl_menu_choice *c, struct dl_error *err)
{
	struct dl_reply rep = { .fd = -1 };
	int r = sink->call ? sink->call(sink->ctx, DL_CALL_MENU, req.p, req.len, back, &rep, err)
		       : dl_fail(err, DL_EUNSUPPORTED, "menu: no terminal on the other side");
	dl_sbuf_free(&req);
	if (r == 0)
		r = dl_menu_choice_unpack(rep.buf, rep.len, m->n, c, err);
	if (r == 0 && c->index >= 0 && !c->edited && !m->items[c->index].bootable)
		r = dl_fail(err, DL_ESANDBOX, "menu answer: entry %d cannot be booted", c->index);
	dl_reply_free(&rep);
	return r;
}

int dl_flow_menu(struct dl_guest *g, struct dl_volume *home, const struct dl_sink *sink,
		 struct dl_boot_config *cfg, int *flat, struct dl_error *err)
{
	struct dl_menu m;
	int r = dl_menu_from_config(cfg, DL_MENU_SHOW, &m, err);
	if (r < 0)
		return r;
	struct ls_ctx lc = { g, home };
	struct dl_asker back = { &lc, ls_ask };
	struct dl_menu_choice c = { .index = -1 };
	struct dl_sbuf req = { 0 };
	struct dl_error perr = { 0 };
	if (dl_menu_pack(&m, &req, &perr) < 0) {
		dl_warn("%s: %s; booting the default entry", cfg->path, perr.msg);
		int def = m.def;
		dl_menu_free(&m);
		dl_sbuf_free(&req);
		*flat = dl_boot_flat_index(cfg, def);
		return def;
	}
	r = ask_parent(sink, &m, req, &back, &c, err);
	dl_menu_free(&m);
	if (r < 0) {
		dl_menu_choice_free(&c);
		return r;
	}
	*flat = c.index >= 0 ? dl_boot_flat_index(cfg, c.index) : -1;
	r = c.edited ? add_edited(cfg, &c, err) : c.index;
	dl_menu_choice_free(&c);
	return r;
}
