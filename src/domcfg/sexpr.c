/* xend SEXPR: (domain ...) as xend hands it out, (vm ...) as it is created.
 *
 * Lexical rules (libvirt virsexpr.c, xend sxp.py): atoms are bare (ending at
 * whitespace or a paren) or quoted with ' or "; inside quotes xend's escapes
 * apply (\\ \' \" \n \t \r \a \b \f \v \xHH \NNN); backslash-newline is a
 * continuation everywhere.  Parsing is iterative with an explicit stack;
 * depth and node counts are capped.  The writer quotes every atom with
 * dl_sexpr_quote(), which escapes ', \ and control bytes, so no guest string
 * can close an atom or a list (XSA-198). */
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

static int sparse(struct stree *t, const char *name, const char *buf, size_t len,
		  struct dl_error *err)
{
	int stack[DL_DOMCFG_MAX_DEPTH + 1];
	int depth = 0;
	size_t i = 0;
	t->root = -1;
#define SERR(off, fmt, ...) dl_fail(err, DL_ESYNTAX, "%s:%u: " fmt, name, dl_lineno(buf, len, off), ##__VA_ARGS__)
	while (i < len) {
		char c = buf[i];
		if (sws(c)) {
			i++;
			continue;
		}
		if (c == '\\' && i + 1 < len && (buf[i + 1] == '\n' || buf[i + 1] == '\r')) {
			i += 2;
			continue;
		}
		if (c == '\0')
			return SERR(i, "NUL byte");
		if (c == ')' && !depth)
			return SERR(i, "unbalanced ')'");
		if (depth == 0 && t->root >= 0)
			return SERR(i, "text after the end of the expression");
		if (c == '(') {
			if (depth >= DL_DOMCFG_MAX_DEPTH)
				return dl_fail(err, DL_ELIMIT, "%s:%u: lists nested deeper than %d", name,
					       dl_lineno(buf, len, i), DL_DOMCFG_MAX_DEPTH);
			int id = snew(t, true, i, depth ? stack[depth - 1] : -1, name, buf, len, err);
			if (id < 0)
				return -1;
			if (!depth)
				t->root = id;
			stack[depth++] = id;
			i++;
			continue;
		}
		if (c == ')') {
			if (!depth)
				return SERR(i, "unbalanced ')'");
			t->n[stack[--depth]].end = i + 1;
			i++;
			continue;
		}
		if (!depth)
			return SERR(i, "expected '('");
		int id = snew(t, false, i, stack[depth - 1], name, buf, len, err);
		if (id < 0)
			return -1;
		struct dl_sbuf b = { 0 };
		if (c == '\'' || c == '"') {
			size_t j = i + 1;
			for (;;) {
				if (j >= len) {
					dl_sbuf_free(&b);
					return SERR(i, "unterminated quoted atom");
				}
				char d = buf[j];
				if (d == c) {
					j++;
					break;
				}
				if (d != '\\') {
					dl_sbuf_addc(&b, d);
					j++;
					continue;
				}
				if (++j >= len)
					continue;
				d = buf[j++];
				if (dl_letter_escape(d) >= 0) {
					dl_sbuf_addc(&b, (char)dl_letter_escape(d));
					continue;
				}
				switch (d) {
				case '\n': break;  /* continuation */
				case 'x': {
					int h = j < len ? dl_hexval((unsigned char)buf[j]) : -1;
					int l = h >= 0 && j + 1 < len ? dl_hexval((unsigned char)buf[j + 1]) : -1;
					if (h < 0 || l < 0) {
						dl_sbuf_free(&b);
						return SERR(j, "invalid \\x escape");
					}
					dl_sbuf_addc(&b, (char)(h * 16 + l));
					j += 2;
					break;
				}
				default:
					if (d >= '0' && d <= '7') {
						int v = d - '0';
						for (int k = 0; k < 2 && j < len && buf[j] >= '0' && buf[j] <= '7'; k++)
							v = v * 8 + (buf[j++] - '0');
						dl_sbuf_addc(&b, (char)(v & 0xff));
					} else {
						dl_sbuf_addc(&b, d);  /* \\ \' \" and unknown: the char */
					}
				}
			}
			t->n[id].end = j;
			i = j;
		} else {
			size_t j = i;
			while (j < len && !sws(buf[j]) && buf[j] != '(' && buf[j] != ')' && buf[j] != '\0') {
				if (buf[j] == '\\' && j + 1 < len && buf[j + 1] == '\n') {
					j += 2;
					continue;
				}
				dl_sbuf_addc(&b, buf[j++]);
			}
			t->n[id].end = j;
			i = j;
		}
		size_t alen = b.len;
		t->n[id].atom = dl_sbuf_take(&b);
		if (memchr(t->n[id].atom, '\0', alen))
			return SERR(t->n[id].start, "atom contains a NUL byte");
	}
	if (depth)
		return SERR(len, "unbalanced '(': %d list(s) not closed", depth);
	if (t->root < 0)
		return SERR(0, "empty SEXPR");
#undef SERR
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

static int add_disk(struct dl_domcfg *cfg, size_t *cap, struct dl_domdisk **out,
		    const char *name, struct dl_error *err)
{
	if (cfg->ndisks >= DL_DOMCFG_MAX_DISKS)
		return dl_fail(err, DL_ELIMIT, "%s: more than %d disks", name, DL_DOMCFG_MAX_DISKS);
	*out = dl_array_push(&cfg->disks, &cfg->ndisks, cap, sizeof(**out));
	return 0;
}

static int sexpr_model(struct dl_domcfg *cfg, const struct stree *t, const char *name,
		       const char *buf, size_t len, struct dl_error *err)
{
	int root = t->root;
	const char *h = shead(t, root);
	if (strcmp(h, "domain") && strcmp(h, "vm"))
		return dl_fail(err, DL_ESYNTAX, "%s: expected (domain ...) or (vm ...), found (%s ...)",
			       name, h);
	cfg->dialect = DL_DIALECT_SEXPR;
	cfg->name = sdup(sval(t, root, "name"));
	const char *u = sval(t, root, "uuid");
	if (u) {
		if (dl_uuid_parse(u, cfg->uuid) < 0)
			return dl_fail(err, DL_ESYNTAX, "%s:%u: invalid uuid '%s'", name,
				       dl_lineno(buf, len, t->n[schild(t, root, "uuid")].start), u);
		cfg->have_uuid = true;
	}
	const char *bl = sval(t, root, "bootloader");
	if (bl)
		cfg->bootloader = dl_strdup(bl);
	const char *ba = sval(t, root, "bootloader_args");
	if (ba) {
		char **argv = NULL;
		size_t n = 0;
		if (dl_split_args(ba, 1, &argv, &n, err) < 0) {
			dl_strings_free(argv, n);
			return -1;
		}
		dl_domcfg_set_args(cfg, argv, n);
	}
	size_t cap = 0;
	int image = schild(t, root, "image");
	int hvm = schild(t, image, "hvm");
	int linux_ = schild(t, image, "linux");
	if (hvm >= 0) {
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
	} else if (linux_ >= 0) {
		cfg->type = DL_DOMTYPE_PV;
		const char *k = sval(t, linux_, "kernel");
		if (k && k[0])
			cfg->kernel = dl_strdup(k);
		const char *r = sval(t, linux_, "ramdisk");
		if (r && r[0])
			cfg->ramdisk = dl_strdup(r);
		cfg->root = sdup(sval(t, linux_, "root"));
		cfg->cmdline = xend_cmdline(sval(t, linux_, "args"), cfg->root, sval(t, linux_, "ip"));
	}
	/* devices */
	for (int c = t->n[root].first; c >= 0; c = t->n[c].next) {
		if (!t->n[c].list || strcmp(shead(t, c), "device"))
			continue;
		int dev = -1;
		const char *cls = NULL;
		static const char *const classes[] = { "vbd", "tap", "tap2" };
		for (size_t k = 0; k < DL_ARRAY_SIZE(classes) && dev < 0; k++)
			if ((dev = schild(t, c, classes[k])) >= 0)
				cls = classes[k];
		if (dev < 0)
			continue;
		char where[64];
		snprintf(where, sizeof(where), "%s:%u", name, dl_lineno(buf, len, t->n[dev].start));
		const char *vd = sval(t, dev, "dev");
		const char *un = sval(t, dev, "uname");
		const char *mode = sval(t, dev, "mode");
		const char *bootable = sval(t, dev, "bootable");
		if (!vd || !vd[0])
			return dl_fail(err, DL_ESYNTAX, "%s: %s device has no dev", where, cls);
		struct dl_domdisk *d = NULL;
		if (add_disk(cfg, &cap, &d, name, err))
			return -1;
		xend_dev_parse(d, vd);
		if (!d->vdev[0])
			return dl_fail(err, DL_ESYNTAX, "%s: %s device has an empty dev '%s'", where, cls, vd);
		if (un && un[0]) {
			if (uname_parse(d, un, err, where) < 0)
				return -1;
			if (!strcmp(cls, "tap2") && !strcmp(d->driver, "tap")) {
				free(d->driver);
				d->driver = dl_strdup("tap2");
			}
		} else if (!d->cdrom) {
			return dl_fail(err, DL_ESYNTAX, "%s: %s device %s has no uname", where, cls, d->vdev);
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
	}
	/* xend 3.0.2 cdrom and (all versions) floppies in the image, unless a
	 * device already describes that drive (newer xend lists both) */
	static const char *const hv[] = { "cdrom", "fda", "fdb" };
	for (size_t i = 0; hvm >= 0 && i < DL_ARRAY_SIZE(hv); i++) {
		const char *p = sval(t, hvm, hv[i]);
		const char *vd = i == 0 ? "hdc" : hv[i];
		bool dup = false;
		for (size_t k = 0; k < cfg->ndisks; k++)
			dup |= cfg->disks[k].vdev && !strcmp(cfg->disks[k].vdev, vd);
		if (!p || !p[0] || dup)
			continue;
		struct dl_domdisk *d = NULL;
		if (add_disk(cfg, &cap, &d, name, err))
			return -1;
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

int dl_sexpr_parse(struct dl_domcfg *cfg, const char *name, const char *buf, size_t len,
		   struct dl_error *err)
{
	struct stree t = { 0 };
	cfg->dialect = DL_DIALECT_SEXPR;
	if (len > DL_DOMCFG_MAX_SIZE)
		return dl_fail(err, DL_ELIMIT, "%s: configuration larger than %u bytes", name,
			       DL_DOMCFG_MAX_SIZE);
	int r = sparse(&t, name, buf, len, err);
	if (!r)
		r = sexpr_model(cfg, &t, name, buf, len, err);
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

/* Span of a node to delete: the node and the whitespace right before it. */

char *dl_sexpr_rewrite(const char *name, const char *buf, size_t len, const char *kernel,
		       const char *ramdisk, const char *cmdline, size_t *outlen,
		       struct dl_error *err)
{
	struct dl_domcfg cfg = { 0 };
	struct stree t = { 0 };
	struct dl_cut *cuts = NULL;
	size_t ncut = 0, capcut = 0;
	char *ret = NULL;
	if (dl_sexpr_parse(&cfg, name, buf, len, err) < 0 || sparse(&t, name, buf, len, err) < 0)
		goto out;
	int root = t.root;
#define CUT(id) do { struct dl_cut *c_ = dl_array_push(&cuts, &ncut, &capcut, sizeof(*c_)); \
		size_t f_ = t.n[id].start; while (f_ > 0 && sws(buf[f_ - 1])) f_--; \
		c_->from = f_; c_->to = t.n[id].end; } while (0)
	/* top-level boot keys (all occurrences, capped) */
	size_t ins_root = t.n[root].end - 1;
	bool have_ins_root = false;
	for (int c = t.n[root].first; c >= 0; c = t.n[c].next) {
		const char *h = shead(&t, c);
		if (t.n[c].list && (!strcmp(h, "bootloader") || !strcmp(h, "bootloader_args"))) {
			CUT(c);
			if (!have_ins_root) {
				ins_root = cuts[ncut - 1].from;
				have_ins_root = true;
			}
		}
	}
	int image = schild(&t, root, "image");
	int hvm = schild(&t, image, "hvm");
	int os = hvm >= 0 ? hvm : schild(&t, image, "linux");
	struct dl_sbuf ins = { 0 };
	size_t ins_at;
	if (os >= 0) {
		const char *loader = sval(&t, os, "loader");
		const char *oldk = sval(&t, os, "kernel");
		static const char *const keys[] = { "kernel", "ramdisk", "args", "root" };
		for (size_t k = 0; k < DL_ARRAY_SIZE(keys); k++)
			for (int c = t.n[os].first; c >= 0; c = t.n[c].next)
				if (t.n[c].list && !strcmp(shead(&t, c), keys[k]))
					CUT(c);
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
		ins_at = ins_root;
		if (have_ins_root) {
			/* reuse the whitespace that led to the removed bootloader */
			size_t w = ins_root;
			while (w < len && sws(buf[w]))
				w++;
			dl_sbuf_add(&ins, buf + ins_root, w - ins_root);
		} else {
			dl_sbuf_addc(&ins, ' ');
		}
		dl_sbuf_adds(&ins, "(image (linux ");
		boot_triple(&ins, kernel, ramdisk, cmdline);
		dl_sbuf_adds(&ins, "))");
	}
#undef CUT
	ret = dl_splice(buf, len, cuts, ncut, ins_at, &ins, outlen);
	dl_sbuf_free(&ins);
out:
	free(cuts);
	dl_domcfg_free(&cfg);
	stree_free(&t);
	return ret;
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
	if (cfg->nbootloader_args) {
		/* xend splits with shlex: quote each argument for it */
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
		kv(&b, "bootloader_args", a.p);
		dl_sbuf_free(&a);
	}
	if (cfg->type == DL_DOMTYPE_HVM) {
		dl_sbuf_adds(&b, "(image (hvm ");
		if (cfg->kernel) {
			boot_triple(&b, cfg->kernel, cfg->ramdisk, cfg->cmdline);
			if (cfg->loader)
				kv(&b, "loader", cfg->loader);
		} else if (cfg->loader) {
			kv(&b, "kernel", cfg->loader);
		}
		if (cfg->boot[0])
			kv(&b, "boot", cfg->boot);
		for (size_t i = 0; i < cfg->ndisks; i++)
			if (cfg->disks[i].floppy && cfg->disks[i].target && cfg->disks[i].vdev)
				kv(&b, cfg->disks[i].vdev, cfg->disks[i].target);
		dl_sbuf_adds(&b, "))");
	} else if (cfg->kernel || cfg->cmdline) {
		dl_sbuf_adds(&b, "(image (linux ");
		if (cfg->kernel)
			kv(&b, "kernel", cfg->kernel);
		if (cfg->ramdisk)
			kv(&b, "ramdisk", cfg->ramdisk);
		if (cfg->cmdline)
			kv(&b, "args", cfg->cmdline);
		dl_sbuf_adds(&b, "))");
	}
	for (size_t i = 0; i < cfg->ndisks; i++) {
		const struct dl_domdisk *d = &cfg->disks[i];
		if (d->floppy)
			continue;
		const char *drv = d->driver ? d->driver : d->block ? "phy" : "file";
		bool tap = !strcmp(drv, "tap") || !strcmp(drv, "tap2");
		dl_sbuf_printf(&b, "(device (%s ", tap ? drv : "vbd");
		char *dev = dl_asprintf("%s%s", d->vdev ? d->vdev : "", d->cdrom ? ":cdrom" : "");
		kv(&b, "dev", dev);
		free(dev);
		if (d->target) {
			char *un;
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
			kv(&b, "uname", un);
			free(un);
		}
		kv(&b, "mode", d->access == DL_ACCESS_RO || d->cdrom ? "r" :
			       d->access == DL_ACCESS_SHARED ? "w!" : "w");
		if (d->bootable)
			dl_sbuf_adds(&b, "(bootable 1)");
		dl_sbuf_adds(&b, "))");
	}
	dl_sbuf_adds(&b, ")\n");
	return dl_sbuf_take(&b);
}
