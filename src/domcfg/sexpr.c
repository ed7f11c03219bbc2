/* xend SEXPR: (domain ...) as xend hands it out, (vm ...) as it is created.
 *
 * Lexical rules (libvirt virsexpr.c, xend sxp.py): atoms are bare (ending at
 * whitespace or a paren) or quoted with ' or "; inside quotes xend's escapes
 * apply (\\ \' \" \n \t \r \a \b \f \v \xHH \NNN); backslash-newline is a
 * continuation everywhere.  Parsing is iterative with an explicit stack;
 * depth and node counts are capped.  The writer quotes every atom with
 * dl_sexpr_quote(), which escapes ', \ and control bytes, so no guest string
 * can close an atom or a list (XSA-198).  Hand-written: xend's reader is
 * Python (sxp.py) and libvirt's (virsexpr.c) is internal to libvirt. */
#include "domcfg/domcfg.h"

#include <stdio.h>
#include <string.h>

struct snode {
	bool list;
	char *atom;
	size_t start, end;    /* bytes [start, end) */
	int first, last, next; /* children / sibling, -1 none */
};

struct stree {
	struct snode *n;
	size_t count, cap;
	int root;
};

static void stree_free(struct stree *t)
{
	for (size_t i = 0; i < t->count; i++)
		free(t->n[i].atom);
	free(t->n);
	memset(t, 0, sizeof(*t));
}

static int snew(struct stree *t, bool list, size_t start, int parent, const char *name,
		const char *buf, size_t len, struct dl_error *err)
{
	if (t->count >= DL_DOMCFG_MAX_NODES)
		return dl_fail(err, DL_ELIMIT, "%s:%u: more than %d atoms and lists", name,
			       dl_lineno(buf, len, start), DL_DOMCFG_MAX_NODES);
	struct snode *s = dl_array_push(&t->n, &t->count, &t->cap, sizeof(*s));
	s->list = list;
	s->start = start;
	s->first = s->last = s->next = -1;
	int id = (int)t->count - 1;
	if (parent >= 0) {
		struct snode *p = &t->n[parent];
		if (p->last >= 0)
			t->n[p->last].next = id;
		else
			p->first = id;
		p->last = id;
	}
	return id;
}

static bool sws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* What the reader needs for its messages. */
struct sreader {
	struct stree *t;
	const char *name, *buf;
	size_t len;
	struct dl_error *err;
};

static int serr(const struct sreader *r, size_t off, const char *what)
{
	return dl_fail(r->err, DL_ESYNTAX, "%s:%u: %s", r->name, dl_lineno(r->buf, r->len, off),
		       what);
}

/* The escape after a backslash at buf[*j] of a quoted atom into b; *j
 * moves past it.  0, or a negative errno. */
static int read_escape(const struct sreader *r, size_t *j, struct dl_sbuf *b)
{
	const char *buf = r->buf;
	char d = buf[(*j)++];
	if (dl_letter_escape(d) >= 0) {
		dl_sbuf_addc(b, (char)dl_letter_escape(d));
	} else if (d == '\n') {
		/* continuation */
	} else if (d == 'x') {
		int h = *j < r->len ? dl_hexval((unsigned char)buf[*j]) : -1;
		int l = h >= 0 && *j + 1 < r->len ? dl_hexval((unsigned char)buf[*j + 1]) : -1;
		if (h < 0 || l < 0)
			return serr(r, *j, "invalid \\x escape");
		dl_sbuf_addc(b, (char)(h * 16 + l));
		*j += 2;
	} else if (d >= '0' && d <= '7') {
		int v = d - '0';
		for (int k = 0; k < 2 && *j < r->len && buf[*j] >= '0' && buf[*j] <= '7'; k++)
			v = v * 8 + (buf[(*j)++] - '0');
		dl_sbuf_addc(b, (char)(v & 0xff));
	} else {
		dl_sbuf_addc(b, d);  /* \\ \' \" and unknown: the char */
	}
	return 0;
}

/* The atom quoted with q at buf[i] into b; its end (after the closing
 * quote), or a negative errno. */
static long read_quoted(const struct sreader *r, size_t i, struct dl_sbuf *b)
{
	char q = r->buf[i];
	size_t j = i + 1;
	for (;;) {
		if (j >= r->len)
			return serr(r, i, "unterminated quoted atom");
		char d = r->buf[j];
		if (d == q)
			return (long)j + 1;
		if (d != '\\') {
			dl_sbuf_addc(b, d);
			j++;
		} else if (++j < r->len) {
			int e = read_escape(r, &j, b);
			if (e < 0)
				return e;
		}
	}
}

/* A bare atom at buf[i] into b: up to a blank, a paren or a NUL, with
 * backslash-newline continuations.  Its end. */
static size_t read_bare(const struct sreader *r, size_t i, struct dl_sbuf *b)
{
	const char *buf = r->buf;
	size_t j = i;
	while (j < r->len && !sws(buf[j]) && buf[j] != '(' && buf[j] != ')' && buf[j] != '\0') {
		if (buf[j] == '\\' && j + 1 < r->len && buf[j + 1] == '\n') {
			j += 2;
			continue;
		}
		dl_sbuf_addc(b, buf[j++]);
	}
	return j;
}

/* An atom starting at buf[i], a child of list parent.  Its end, or a
 * negative errno. */
static long read_atom(const struct sreader *r, size_t i, int parent)
{
	struct stree *t = r->t;
	int id = snew(t, false, i, parent, r->name, r->buf, r->len, r->err);
	if (id < 0)
		return id;
	struct dl_sbuf b = { 0 };
	long end = r->buf[i] == '\'' || r->buf[i] == '"' ? read_quoted(r, i, &b)
							   : (long)read_bare(r, i, &b);
	if (end < 0) {
		dl_sbuf_free(&b);
		return end;
	}
	t->n[id].end = (size_t)end;
	size_t alen = b.len;
	t->n[id].atom = dl_sbuf_take(&b);
	if (memchr(t->n[id].atom, '\0', alen))
		return serr(r, t->n[id].start, "atom contains a NUL byte");
	return end;
}

/* The S-expression reader: one list of lists and atoms into t, iterative
 * with an explicit stack (nesting capped). */
static int sexpr_read(struct stree *t, const char *name, const char *buf, size_t len,
		      struct dl_error *err)
{
	const struct sreader r = { .t = t, .name = name, .buf = buf, .len = len, .err = err };
	int stack[DL_DOMCFG_MAX_DEPTH + 1];
	int depth = 0;
	t->root = -1;
	for (size_t i = 0; i < len;) {
		char c = buf[i];
		if (sws(c)) {
			i++;
		} else if (c == '\\' && i + 1 < len && (buf[i + 1] == '\n' || buf[i + 1] == '\r')) {
			i += 2;
		} else if (c == '\0') {
			return serr(&r, i, "NUL byte");
		} else if (c == ')' && !depth) {
			return serr(&r, i, "unbalanced ')'");
		} else if (depth == 0 && t->root >= 0) {
			return serr(&r, i, "text after the end of the expression");
		} else if (c == '(') {
			if (depth >= DL_DOMCFG_MAX_DEPTH)
				return dl_fail(err, DL_ELIMIT, "%s:%u: lists nested deeper than %d", name,
					       dl_lineno(buf, len, i), DL_DOMCFG_MAX_DEPTH);
			int id = snew(t, true, i, depth ? stack[depth - 1] : -1, name, buf, len, err);
			if (id < 0)
				return id;
			if (!depth)
				t->root = id;
			stack[depth++] = id;
			i++;
		} else if (c == ')') {
			t->n[stack[--depth]].end = ++i;
		} else if (!depth) {
			return serr(&r, i, "expected '('");
		} else {
			long end = read_atom(&r, i, stack[depth - 1]);
			if (end < 0)
				return (int)end;
			i = (size_t)end;
		}
	}
	if (depth)
		return dl_fail(err, DL_ESYNTAX, "%s:%u: unbalanced '(': %d list(s) not closed", name,
			       dl_lineno(buf, len, len), depth);
	if (t->root < 0)
		return serr(&r, 0, "empty SEXPR");
	return 0;
}

/* head atom of a list node, or "" */
static const char *shead(const struct stree *t, int id)
{
	if (id < 0 || !t->n[id].list || t->n[id].first < 0)
		return "";
	const struct snode *f = &t->n[t->n[id].first];
	return f->list ? "" : f->atom;
}

static int schild(const struct stree *t, int id, const char *key)
{
	if (id < 0)
		return -1;
	for (int c = t->n[id].first; c >= 0; c = t->n[c].next)
		if (t->n[c].list && !strcmp(shead(t, c), key))
			return c;
	return -1;
}

/* (key value): value atom; (key) -> ""; missing -> NULL */
static const char *sval(const struct stree *t, int id, const char *key)
{
	int c = schild(t, id, key);
	if (c < 0)
		return NULL;
	int v = t->n[t->n[c].first].next;
	if (v < 0)
		return "";
	return t->n[v].list ? NULL : t->n[v].atom;
}

static char *sdup(const char *s)
{
	return s ? dl_strdup(s) : NULL;
}

/* xend: prepend "root=R " and "ip=X " to args unless already present */
static char *xend_cmdline(const char *args, const char *root, const char *ip)
{
	struct dl_sbuf b = { 0 };
	if (ip && ip[0] && !(args && strstr(args, "ip=")))
		dl_sbuf_printf(&b, "ip=%s ", ip);
	if (root && root[0] && !(args && strstr(args, "root=")))
		dl_sbuf_printf(&b, "root=%s ", root);
	if (args)
		dl_sbuf_adds(&b, args);
	if (!b.len) {
		dl_sbuf_free(&b);
		return args ? dl_strdup("") : NULL;
	}
	while (b.len && b.p[b.len - 1] == ' ' && !(args && args[0]))
		b.p[--b.len] = '\0';
	return dl_sbuf_take(&b);
}

/* xend dev ("ioemu:hda", "hdc:cdrom"): vdev and cdrom flag. */
static void xend_dev_parse(struct dl_domdisk *d, const char *dev)
{
	if (!strncmp(dev, "ioemu:", 6))
		dev += 6;
	const char *colon = strrchr(dev, ':');
	free(d->vdev);
	if (colon) {
		d->cdrom = !strcmp(colon + 1, "cdrom");
		d->vdev = dl_strndup(dev, (size_t)(colon - dev));
	} else {
		d->vdev = dl_strdup(dev);
	}
}

static enum dl_dformat fmt_from(const char *s, size_t n)
{
	static const struct { const char *s; enum dl_dformat f; } m[] = {
		{ "aio", DL_DFMT_RAW }, { "sync", DL_DFMT_RAW }, { "raw", DL_DFMT_RAW },
		{ "qcow", DL_DFMT_QCOW }, { "qcow2", DL_DFMT_QCOW2 }, { "vhd", DL_DFMT_VHD },
		{ "qed", DL_DFMT_QED },
	};
	for (size_t i = 0; i < DL_ARRAY_SIZE(m); i++)
		if (strlen(m[i].s) == n && !memcmp(m[i].s, s, n))
			return m[i].f;
	return DL_DFMT_UNSET;
}

/* xend uname ("phy:/dev/x", "tap:aio:/img", "file:/img"): driver, format, target. */
static int uname_parse(struct dl_domdisk *d, const char *uname, struct dl_error *err,
		       const char *where)
{
	const char *colon = strchr(uname, ':');
	if (!colon)
		return dl_fail(err, DL_ESYNTAX, "%s: uname '%s' has no driver prefix", where, uname);
	free(d->driver);
	d->driver = dl_strndup(uname, (size_t)(colon - uname));
	const char *rest = colon + 1;
	if (!strcmp(d->driver, "tap") || !strcmp(d->driver, "tap2")) {
		const char *c2 = strchr(rest, ':');
		size_t tl = c2 ? (size_t)(c2 - rest) : 0;
		if (c2 && ((tl == 7 && !memcmp(rest, "tapdisk", 7)) || (tl == 5 && !memcmp(rest, "ioemu", 5)))) {
			rest = c2 + 1;
			c2 = strchr(rest, ':');
			tl = c2 ? (size_t)(c2 - rest) : 0;
		}
		if (!c2)
			return dl_fail(err, DL_ESYNTAX, "%s: uname '%s' has no tap disk type", where, uname);
		enum dl_dformat f = fmt_from(rest, tl);
		if (f == DL_DFMT_UNSET) {
			/* vmdk, ram, ...: kept; opening such a disk fails later */
			f = DL_DFMT_OTHER;
			free(d->format_name);
			d->format_name = dl_strndup(rest, tl);
		}
		d->format = f;
		rest = c2 + 1;
	} else if (!strcmp(d->driver, "phy")) {
		d->block = true;
	} else if (strcmp(d->driver, "file")) {
		/* iscsi:, drbd:, nbd: ... xend block scripts: not a local path */
		free(d->script);
		d->script = dl_asprintf("block-%s", d->driver);
	}
	free(d->target);
	d->target = dl_strdup(rest);
	return 0;
}

/* Reading the model out of the tree (xend's XendConfig.py). */
struct smodel {
	const struct stree *t;
	struct dl_domcfg *cfg;
	const char *name, *buf;
	size_t len;
	size_t cap;              /* of cfg->disks */
	struct dl_error *err;
};

static int add_disk(struct smodel *m, struct dl_domdisk **out)
{
	struct dl_domcfg *cfg = m->cfg;
	if (cfg->ndisks >= DL_DOMCFG_MAX_DISKS)
		return dl_fail(m->err, DL_ELIMIT, "%s: more than %d disks", m->name, DL_DOMCFG_MAX_DISKS);
	*out = dl_array_push(&cfg->disks, &cfg->ndisks, &m->cap, sizeof(**out));
	return 0;
}

/* (image (hvm (loader L) (kernel K) ... (boot B))): a direct kernel only
 * next to a loader; a kernel alone is the loader (old xend) */
static void image_hvm(struct smodel *m, int hvm)
{
	const struct stree *t = m->t;
	struct dl_domcfg *cfg = m->cfg;
	cfg->type = DL_DOMTYPE_HVM;
	const char *loader = sval(t, hvm, "loader");
	const char *kernel = sval(t, hvm, "kernel");
	if (loader) {
		cfg->loader = dl_strdup(loader);
		if (kernel && kernel[0] && strcmp(kernel, loader)) {
			cfg->kernel = dl_strdup(kernel);
			cfg->ramdisk = sdup(sval(t, hvm, "ramdisk"));
			cfg->cmdline = xend_cmdline(sval(t, hvm, "args"), sval(t, hvm, "root"), NULL);
		}
	} else if (kernel && kernel[0]) {
		cfg->loader = dl_strdup(kernel);
	}
	const char *boot = sval(t, hvm, "boot");
	if (boot) {
		size_t k = 0;
		for (const char *p = boot; *p && k < 4; p++)
			if (dl_boot_char(*p))
				cfg->boot[k++] = *p;
		cfg->boot[k] = '\0';
	}
}

/* (image (linux (kernel K) (ramdisk R) (root R) (args A) (ip I))) */
static void image_linux(struct smodel *m, int lx)
{
	const struct stree *t = m->t;
	struct dl_domcfg *cfg = m->cfg;
	cfg->type = DL_DOMTYPE_PV;
	const char *k = sval(t, lx, "kernel");
	if (k && k[0])
		cfg->kernel = dl_strdup(k);
	const char *r = sval(t, lx, "ramdisk");
	if (r && r[0])
		cfg->ramdisk = dl_strdup(r);
	cfg->root = sdup(sval(t, lx, "root"));
	cfg->cmdline = xend_cmdline(sval(t, lx, "args"), cfg->root, sval(t, lx, "ip"));
}

/* (device (vbd|tap|tap2 (dev D) (uname U) (mode M) (bootable B))) */
static int device_disk(struct smodel *m, int dev, const char *cls)
{
	const struct stree *t = m->t;
	char where[64];
	snprintf(where, sizeof(where), "%s:%u", m->name, dl_lineno(m->buf, m->len, t->n[dev].start));
	const char *vd = sval(t, dev, "dev");
	const char *un = sval(t, dev, "uname");
	const char *mode = sval(t, dev, "mode");
	const char *bootable = sval(t, dev, "bootable");
	if (!vd || !vd[0])
		return dl_fail(m->err, DL_ESYNTAX, "%s: %s device has no dev", where, cls);
	struct dl_domdisk *d = NULL;
	int r = add_disk(m, &d);
	if (r < 0)
		return r;
	xend_dev_parse(d, vd);
	if (!d->vdev[0])
		return dl_fail(m->err, DL_ESYNTAX, "%s: %s device has an empty dev '%s'", where, cls, vd);
	if (un && un[0]) {
		if ((r = uname_parse(d, un, m->err, where)) < 0)
			return r;
		if (!strcmp(cls, "tap2") && !strcmp(d->driver, "tap")) {
			free(d->driver);
			d->driver = dl_strdup("tap2");
		}
	} else if (!d->cdrom) {
		return dl_fail(m->err, DL_ESYNTAX, "%s: %s device %s has no uname", where, cls, d->vdev);
	} else {
		d->format = DL_DFMT_EMPTY;
	}
	if (d->format == DL_DFMT_UNSET)
		d->format = DL_DFMT_RAW;
	d->source_type = dl_strdup(d->block ? "block" : "file");
	if (!mode || !mode[0] || strchr(mode, 'r') || d->cdrom)
		d->access = DL_ACCESS_RO;
	else if (strchr(mode, '!'))
		d->access = DL_ACCESS_SHARED;
	else
		d->access = DL_ACCESS_RW;
	d->bootable = bootable && strcmp(bootable, "0") && bootable[0];
	return 0;
}

static int devices(struct smodel *m)
{
	static const char *const classes[] = { "vbd", "tap", "tap2" };
	const struct stree *t = m->t;
	for (int c = t->n[t->root].first; c >= 0; c = t->n[c].next) {
		if (!t->n[c].list || strcmp(shead(t, c), "device"))
			continue;
		for (size_t k = 0; k < DL_ARRAY_SIZE(classes); k++) {
			int dev = schild(t, c, classes[k]);
			if (dev < 0)
				continue;
			int r = device_disk(m, dev, classes[k]);
			if (r < 0)
				return r;
			break;
		}
	}
	return 0;
}

/* xend 3.0.2 cdrom and (all versions) floppies in the image, unless a
 * device already describes that drive (newer xend lists both) */
static int image_drives(struct smodel *m, int hvm)
{
	static const char *const hv[] = { "cdrom", "fda", "fdb" };
	struct dl_domcfg *cfg = m->cfg;
	for (size_t i = 0; hvm >= 0 && i < DL_ARRAY_SIZE(hv); i++) {
		const char *p = sval(m->t, hvm, hv[i]);
		const char *vd = i == 0 ? "hdc" : hv[i];
		bool dup = false;
		for (size_t k = 0; k < cfg->ndisks; k++)
			dup |= cfg->disks[k].vdev && !strcmp(cfg->disks[k].vdev, vd);
		if (!p || !p[0] || dup)
			continue;
		struct dl_domdisk *d = NULL;
		int r = add_disk(m, &d);
		if (r < 0)
			return r;
		d->target = dl_strdup(p);
		d->driver = dl_strdup("file");
		d->source_type = dl_strdup("file");
		d->format = DL_DFMT_RAW;
		d->access = i == 0 ? DL_ACCESS_RO : DL_ACCESS_RW;
		d->cdrom = i == 0;
		d->floppy = i > 0;
		d->vdev = dl_strdup(vd);
	}
	return 0;
}

static int sexpr_model(struct smodel *m)
{
	const struct stree *t = m->t;
	struct dl_domcfg *cfg = m->cfg;
	int root = t->root;
	const char *h = shead(t, root);
	if (strcmp(h, "domain") && strcmp(h, "vm"))
		return dl_fail(m->err, DL_ESYNTAX,
			       "%s: expected (domain ...) or (vm ...), found (%s ...)", m->name, h);
	cfg->dialect = DL_DIALECT_SEXPR;
	cfg->name = sdup(sval(t, root, "name"));
	const char *u = sval(t, root, "uuid");
	if (u) {
		if (dl_uuid_parse(u, cfg->uuid) < 0)
			return dl_fail(m->err, DL_ESYNTAX, "%s:%u: invalid uuid '%s'", m->name,
				       dl_lineno(m->buf, m->len, t->n[schild(t, root, "uuid")].start), u);
		cfg->have_uuid = true;
	}
	cfg->bootloader = sdup(sval(t, root, "bootloader"));
	const char *ba = sval(t, root, "bootloader_args");
	if (ba) {
		char **argv = NULL;
		size_t n = 0;
		int r = dl_split_args(ba, 1, &argv, &n, m->err);
		if (r < 0) {
			dl_strings_free(argv, n);
			return r;
		}
		dl_domcfg_set_args(cfg, argv, n);
	}
	int image = schild(t, root, "image");
	int hvm = schild(t, image, "hvm");
	int lx = schild(t, image, "linux");
	if (hvm >= 0)
		image_hvm(m, hvm);
	else if (lx >= 0)
		image_linux(m, lx);
	int r = devices(m);
	return r < 0 ? r : image_drives(m, hvm);
}

int dl_sexpr_parse(struct dl_domcfg *cfg, const char *name, const char *buf, size_t len,
		   struct dl_error *err)
{
	struct stree t = { 0 };
	cfg->dialect = DL_DIALECT_SEXPR;
	if (len > DL_DOMCFG_MAX_SIZE)
		return dl_fail(err, DL_ELIMIT, "%s: configuration larger than %u bytes", name,
			       DL_DOMCFG_MAX_SIZE);
	int r = sexpr_read(&t, name, buf, len, err);
	if (!r) {
		struct smodel m = { .t = &t, .cfg = cfg, .name = name, .buf = buf, .len = len,
				    .err = err };
		r = sexpr_model(&m);
	}
	stree_free(&t);
	return r;
}

/* ---- writers ---- */

char *dl_sexpr_quote(const char *s)
{
	return dl_cquote(s, '\'');
}

static void kv(struct dl_sbuf *b, const char *key, const char *val)
{
	char *q = dl_sexpr_quote(val);
	dl_sbuf_printf(b, "(%s %s)", key, q);
	free(q);
}

static void boot_triple(struct dl_sbuf *b, const char *kernel, const char *ramdisk,
			const char *cmdline)
{
	kv(b, "kernel", kernel);
	if (ramdisk && ramdisk[0])
		kv(b, "ramdisk", ramdisk);
	if (cmdline && cmdline[0])
		kv(b, "args", cmdline);
}

/* A rewrite in progress: the tree, the cuts, the insertion. */
struct srewrite {
	const struct stree *t;
	const char *buf;
	size_t len;
	struct dl_cut *cuts;
	size_t ncut, capcut;
};

/* Delete node id and the blanks right before it; returns where it starts.
 * Where the bytes on either side would then touch and read as one token
 * (an atom before, a quote or atom after), one blank stays. */
static size_t cut(struct srewrite *w, int id)
{
	struct dl_cut *c = dl_array_push(&w->cuts, &w->ncut, &w->capcut, sizeof(*c));
	size_t f = w->t->n[id].start, e = w->t->n[id].end;
	while (f > 0 && sws(w->buf[f - 1]))
		f--;
	c->from = f;
	c->to = e;
	c->space = f > 0 && !strchr("()", w->buf[f - 1]) && e < w->len && !sws(w->buf[e]) &&
		   !strchr("()", w->buf[e]);
	return f;
}

/* Delete every (key ...) child of list id. */
static void cut_children(struct srewrite *w, int id, const char *key)
{
	const struct stree *t = w->t;
	for (int c = t->n[id].first; c >= 0; c = t->n[c].next)
		if (t->n[c].list && !strcmp(shead(t, c), key))
			cut(w, c);
}

/* The top-level (bootloader ...) and (bootloader_args ...) go; the new
 * image takes the first one's place (else the end of the root list).
 * *reuse: the blanks that led to that one, to put before the image. */
static size_t cut_bootloader(struct srewrite *w, bool *reuse)
{
	const struct stree *t = w->t;
	int root = t->root;
	size_t at = t->n[root].end - 1;
	*reuse = false;
	for (int c = t->n[root].first; c >= 0; c = t->n[c].next) {
		const char *h = shead(t, c);
		if (!t->n[c].list || (strcmp(h, "bootloader") && strcmp(h, "bootloader_args")))
			continue;
		size_t from = cut(w, c);
		if (!*reuse)
			at = from;
		*reuse = true;
	}
	return at;
}

char *dl_sexpr_rewrite(const char *name, const char *buf, size_t len, const char *kernel,
		       const char *ramdisk, const char *cmdline, size_t *outlen,
		       struct dl_error *err)
{
	struct dl_domcfg cfg = { 0 };
	struct stree t = { 0 };
	struct srewrite w = { .t = &t, .buf = buf, .len = len };
	struct dl_sbuf ins = { 0 };
	char *ret = NULL;
	/* the input must be valid for us first */
	int r = dl_sexpr_parse(&cfg, name, buf, len, err);
	dl_domcfg_free(&cfg);
	if (r < 0 || sexpr_read(&t, name, buf, len, err) < 0) {
		stree_free(&t);
		return NULL;
	}
	bool reuse;
	size_t ins_at = cut_bootloader(&w, &reuse);
	int image = schild(&t, t.root, "image");
	int hvm = schild(&t, image, "hvm");
	int os = hvm >= 0 ? hvm : schild(&t, image, "linux");
	if (os >= 0) {
		/* the image's kernel, ramdisk, args and root are replaced */
		const char *loader = sval(&t, os, "loader");
		const char *oldk = sval(&t, os, "kernel");
		static const char *const keys[] = { "kernel", "ramdisk", "args", "root" };
		for (size_t k = 0; k < DL_ARRAY_SIZE(keys); k++)
			cut_children(&w, os, keys[k]);
		ins_at = t.n[t.n[os].first].end;
		dl_sbuf_addc(&ins, ' ');
		if (hvm >= 0 && !loader && oldk && oldk[0])
			kv(&ins, "loader", oldk);  /* the old kernel was hvmloader */
		boot_triple(&ins, kernel, ramdisk, cmdline);
	} else if (image >= 0) {
		/* an (image) of another kind: add the linux image inside it */
		ins_at = t.n[image].end - 1;
		dl_sbuf_adds(&ins, " (linux ");
		boot_triple(&ins, kernel, ramdisk, cmdline);
		dl_sbuf_adds(&ins, ")");
	} else {
		size_t b = ins_at;
		while (reuse && b < len && sws(buf[b]))
			b++;
		if (reuse)
			dl_sbuf_add(&ins, buf + ins_at, b - ins_at);
		else
			dl_sbuf_addc(&ins, ' ');
		dl_sbuf_adds(&ins, "(image (linux ");
		boot_triple(&ins, kernel, ramdisk, cmdline);
		dl_sbuf_adds(&ins, "))");
	}
	ret = dl_splice(buf, len, w.cuts, w.ncut, ins_at, &ins, outlen);
	dl_sbuf_free(&ins);
	free(w.cuts);
	stree_free(&t);
	return ret;
}

/* xend splits bootloader_args with shlex: each argument single-quoted */
static void write_args(struct dl_sbuf *b, const struct dl_domcfg *cfg)
{
	struct dl_sbuf a = { 0 };
	for (size_t i = 0; i < cfg->nbootloader_args; i++) {
		if (i)
			dl_sbuf_addc(&a, ' ');
		dl_sbuf_addc(&a, '\'');
		for (const char *p = cfg->bootloader_args[i]; *p; p++) {
			if (*p == '\'')
				dl_sbuf_adds(&a, "'\\''");
			else
				dl_sbuf_addc(&a, *p);
		}
		dl_sbuf_addc(&a, '\'');
	}
	kv(b, "bootloader_args", a.p);
	dl_sbuf_free(&a);
}

static void write_image(struct dl_sbuf *b, const struct dl_domcfg *cfg)
{
	if (cfg->type == DL_DOMTYPE_HVM) {
		dl_sbuf_adds(b, "(image (hvm ");
		if (cfg->kernel) {
			boot_triple(b, cfg->kernel, cfg->ramdisk, cfg->cmdline);
			if (cfg->loader)
				kv(b, "loader", cfg->loader);
		} else if (cfg->loader) {
			kv(b, "kernel", cfg->loader);
		}
		if (cfg->boot[0])
			kv(b, "boot", cfg->boot);
		for (size_t i = 0; i < cfg->ndisks; i++)
			if (cfg->disks[i].floppy && cfg->disks[i].target && cfg->disks[i].vdev)
				kv(b, cfg->disks[i].vdev, cfg->disks[i].target);
		dl_sbuf_adds(b, "))");
	} else if (cfg->kernel || cfg->cmdline) {
		dl_sbuf_adds(b, "(image (linux ");
		if (cfg->kernel)
			kv(b, "kernel", cfg->kernel);
		if (cfg->ramdisk)
			kv(b, "ramdisk", cfg->ramdisk);
		if (cfg->cmdline)
			kv(b, "args", cfg->cmdline);
		dl_sbuf_adds(b, "))");
	}
}

/* (device (vbd|tap|tap2 (dev D[:cdrom]) (uname U) (mode M) [(bootable 1)])) */
static void write_device(struct dl_sbuf *b, const struct dl_domdisk *d)
{
	const char *drv = d->driver ? d->driver : d->block ? "phy" : "file";
	bool tap = !strcmp(drv, "tap") || !strcmp(drv, "tap2");
	dl_sbuf_printf(b, "(device (%s ", tap ? drv : "vbd");
	_cleanup_free_ char *dev = dl_asprintf("%s%s", d->vdev ? d->vdev : "", d->cdrom ? ":cdrom" : "");
	kv(b, "dev", dev);
	if (d->target) {
		_cleanup_free_ char *un = NULL;
		if (tap) {
			enum dl_dformat f = d->format;
			un = dl_asprintf("%s:%s:%s", drv,
					 f == DL_DFMT_UNSET || f == DL_DFMT_RAW ? "aio" :
					 f == DL_DFMT_OTHER ? d->format_name : dl_dformat_name(f),
					 d->target);
		} else if (d->script && !strncmp(d->script, "block-", 6)) {
			un = dl_asprintf("%s:%s", d->script + 6, d->target);
		} else {
			un = dl_asprintf("%s:%s", drv, d->target);
		}
		kv(b, "uname", un);
	}
	kv(b, "mode", d->access == DL_ACCESS_RO || d->cdrom ? "r" :
		      d->access == DL_ACCESS_SHARED ? "w!" : "w");
	if (d->bootable)
		dl_sbuf_adds(b, "(bootable 1)");
	dl_sbuf_adds(b, "))");
}

/* A complete (vm ...) from the model (libvirt xenFormatSxpr layout). */
char *dl_sexpr_write(const struct dl_domcfg *cfg)
{
	struct dl_sbuf b = { 0 };
	dl_sbuf_adds(&b, "(vm ");
	if (cfg->name)
		kv(&b, "name", cfg->name);
	if (cfg->have_uuid) {
		char u[37];
		dl_uuid_format(cfg->uuid, u);
		kv(&b, "uuid", u);
	}
	if (cfg->bootloader)
		kv(&b, "bootloader", cfg->bootloader);
	if (cfg->nbootloader_args)
		write_args(&b, cfg);
	write_image(&b, cfg);
	for (size_t i = 0; i < cfg->ndisks; i++)
		if (!cfg->disks[i].floppy)
			write_device(&b, &cfg->disks[i]);
	dl_sbuf_adds(&b, ")\n");
	return dl_sbuf_take(&b);
}
