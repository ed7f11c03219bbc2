/* libvirt domain XML.
 *
 * Reading uses libxml2 over the buffer with XML_PARSE_NONET, without entity
 * substitution or DTD loading; documents with a DOCTYPE are refused before
 * libxml2 sees them (domain XML never has one, and it is the only way to
 * declare entities).  Rewriting does not go through libxml2's serializer,
 * which would reformat the document: a small scanner (xscan) finds element
 * byte spans in the already-validated document, and the rewriter cuts and
 * inserts at those offsets. */
#include "domcfg/domcfg.h"
#include "dlib.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

/* ---- span scanner ---- */

struct xelem {
	char name[32];        /* truncated names never match what we look for */
	int depth;
	int parent;
	size_t start;         /* '<' of the start tag */
	size_t open_end;      /* after '>' of the start tag */
	size_t end;           /* after '>' of the end tag (== open_end if empty) */
};

struct xscan {
	struct xelem *e;
	size_t n, cap;
};

struct xscanner {
	struct xscan *x;
	const char *name, *buf;
	size_t len;
	int stack[DL_DOMCFG_MAX_DEPTH];
	int depth;
	struct dl_error *err;
};

static int xerr(const struct xscanner *s, size_t off, const char *what)
{
	return dl_fail(s->err, DL_ESYNTAX, "%s:%u: %s", s->name, dl_lineno(s->buf, s->len, off), what);
}

/* Markup that is no element at buf[i] ('<' there): a comment, a CDATA
 * section, a processing instruction.  Its end, 0 if it is none of them,
 * or a negative errno (a DOCTYPE, or unterminated markup). */
static long skip_markup(const struct xscanner *s, size_t i)
{
	static const struct {
		const char *open, *close, *what;
	} kinds[] = {
		{"<!--", "-->", "unterminated comment"},
		{"<![CDATA[", "]]>", "unterminated CDATA section"},
		{"<?", "?>", "unterminated processing instruction"},
	};
	const char *p = s->buf + i;
	size_t rem = s->len - i;
	for (size_t k = 0; k < DL_ARRAY_SIZE(kinds); k++) {
		size_t ol = strlen(kinds[k].open), cl = strlen(kinds[k].close);
		if (rem < ol || memcmp(p, kinds[k].open, ol))
			continue;
		const char *e = memmem(p + ol, rem - ol, kinds[k].close, cl);
		if (!e)
			return xerr(s, i, kinds[k].what);
		return (long)(e - s->buf) + (long)cl;
	}
	if (rem >= 2 && p[1] == '!')
		return dl_fail(s->err, DL_EUNSUPPORTED,
			       "%s:%u: DOCTYPE and entity declarations are not accepted", s->name,
			       dl_lineno(s->buf, s->len, i));
	return 0;
}

/* The tag at buf[i]: an end tag closes the open element, a start tag
 * opens one (an empty-element tag closes it too).  Its end, or a negative
 * errno. */
static long scan_tag(struct xscanner *s, size_t i)
{
	const char *buf = s->buf;
	struct xscan *x = s->x;
	/* find its end outside quoted attribute values */
	size_t j = i + 1;
	char q = 0;
	while (j < s->len && (q || buf[j] != '>')) {
		if (q && buf[j] == q)
			q = 0;
		else if (!q && (buf[j] == '"' || buf[j] == '\''))
			q = buf[j];
		j++;
	}
	if (j >= s->len)
		return xerr(s, i, "unterminated tag");
	size_t tag_end = j + 1;
	bool closing = buf[i + 1] == '/';
	if (closing) {
		if (!s->depth)
			return xerr(s, i, "unbalanced end tag");
		x->e[s->stack[--s->depth]].end = tag_end;
		return (long)tag_end;
	}
	if (x->n >= DL_DOMCFG_MAX_NODES)
		return dl_fail(s->err, DL_ELIMIT, "%s: more than %d elements", s->name,
			       DL_DOMCFG_MAX_NODES);
	if (s->depth >= DL_DOMCFG_MAX_DEPTH)
		return dl_fail(s->err, DL_ELIMIT, "%s:%u: elements nested deeper than %d", s->name,
			       dl_lineno(buf, s->len, i), DL_DOMCFG_MAX_DEPTH);
	size_t ns = i + 1, ne = ns;
	while (ne < j && !strchr(" \t\n\r/>", buf[ne]))
		ne++;
	struct xelem *e = dl_array_push(&x->e, &x->n, &x->cap, sizeof(*e));
	size_t nl = ne - ns;
	if (nl >= sizeof(e->name))
		nl = 0;  /* too long: no name we look for */
	memcpy(e->name, buf + ns, nl);
	e->name[nl] = '\0';
	e->depth = s->depth;
	e->parent = s->depth ? s->stack[s->depth - 1] : -1;
	e->start = i;
	e->open_end = e->end = tag_end;
	if (buf[j - 1] != '/')
		s->stack[s->depth++] = (int)x->n - 1;
	return (long)tag_end;
}

/* The elements of buf with their byte spans. */
static int xscan(struct xscan *x, const char *name, const char *buf, size_t len,
		 struct dl_error *err)
{
	struct xscanner s = { .x = x, .name = name, .buf = buf, .len = len, .err = err };
	for (size_t i = 0; i < len;) {
		if (buf[i] != '<') {
			i++;
			continue;
		}
		long end = skip_markup(&s, i);
		if (end == 0)
			end = scan_tag(&s, i);
		if (end < 0)
			return (int)end;
		i = (size_t)end;
	}
	if (s.depth)
		return xerr(&s, len, "unclosed element");
	return 0;
}

/* ---- reading ---- */

static bool is(const xmlNode *n, const char *name)
{
	/* no namespace: <x:os xmlns:x=...> is not libvirt's <os> (and the span
	 * scanner, which sees "x:os", agrees) */
	return n->type == XML_ELEMENT_NODE && !n->ns && !strcmp((const char *)n->name, name);
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (is(c, name))
			return c;
	return NULL;
}

static char *text(const xmlNode *n)
{
	if (!n)
		return NULL;
	xmlChar *t = xmlNodeGetContent(n);
	char *r = dl_strdup(t ? (const char *)t : "");
	xmlFree(t);
	return r;
}

static char *trimmed(const xmlNode *n)
{
	char *t = text(n);
	if (!t)
		return NULL;
	size_t s = 0, e = strlen(t);
	while (s < e && strchr(" \t\r\n", t[s]))
		s++;
	while (e > s && strchr(" \t\r\n", t[e - 1]))
		e--;
	memmove(t, t + s, e - s);
	t[e - s] = '\0';
	return t;
}

static char *prop(const xmlNode *n, const char *name)
{
	if (!n)
		return NULL;
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	if (!v)
		return NULL;
	char *r = dl_strdup((const char *)v);
	xmlFree(v);
	return r;
}

static enum dl_dformat lv_format(const char *t, char **other)
{
	static const struct { const char *s; enum dl_dformat f; } m[] = {
		{ "raw", DL_DFMT_RAW }, { "aio", DL_DFMT_RAW }, { "qcow", DL_DFMT_QCOW },
		{ "qcow2", DL_DFMT_QCOW2 }, { "vhd", DL_DFMT_VHD }, { "vpc", DL_DFMT_VHD },
		{ "qed", DL_DFMT_QED },
	};
	if (!t)
		return DL_DFMT_UNSET;
	for (size_t i = 0; i < DL_ARRAY_SIZE(m); i++)
		if (!strcmp(t, m[i].s))
			return m[i].f;
	*other = dl_strdup(t);
	return DL_DFMT_OTHER;
}

/* <address .../> as written, kept for the writer, not interpreted */
static char *lv_address(const xmlNode *addr)
{
	char *r = NULL;
	if (!addr)
		return NULL;
	xmlBufferPtr xb = xmlBufferCreate();
	if (xb && xmlNodeDump(xb, addr->doc, (xmlNode *)addr, 0, 0) >= 0)
		r = dl_strdup((const char *)xmlBufferContent(xb));
	xmlBufferFree(xb);
	return r;
}

static int lv_disk(struct dl_domcfg *cfg, size_t *cap, const xmlNode *n, const char *name,
		   struct dl_error *err)
{
	if (cfg->ndisks >= DL_DOMCFG_MAX_DISKS)
		return dl_fail(err, DL_ELIMIT, "%s: more than %d disks", name, DL_DOMCFG_MAX_DISKS);
	struct dl_domdisk *d = dl_array_push(&cfg->disks, &cfg->ndisks, cap, sizeof(*d));
	d->source_type = prop(n, "type");
	if (!d->source_type)
		d->source_type = dl_strdup("file");
	d->block = !strcmp(d->source_type, "block");
	char *device = prop(n, "device");
	d->cdrom = device && !strcmp(device, "cdrom");
	d->floppy = device && !strcmp(device, "floppy");
	free(device);
	const xmlNode *drv = child(n, "driver");
	d->driver = prop(drv, "name");
	char *ft = prop(drv, "type");
	d->format = lv_format(ft, &d->format_name);
	free(ft);
	const xmlNode *src = child(n, "source");
	d->target = prop(src, "file");
	if (!d->target)
		d->target = prop(src, "dev");
	if (d->target && !d->target[0]) {
		free(d->target);
		d->target = NULL;
	}
	const xmlNode *tg = child(n, "target");
	char *dev = prop(tg, "dev");
	if (!dev)
		return dl_fail(err, DL_ESYNTAX, "%s:%ld: <disk> without <target dev=>", name,
			       (long)xmlGetLineNo(n));
	d->vdev = dl_strdup(strncmp(dev, "ioemu:", 6) ? dev : dev + 6);
	free(dev);
	if (!d->vdev[0])
		return dl_fail(err, DL_ESYNTAX, "%s:%ld: <disk> with an empty <target dev=>", name,
			       (long)xmlGetLineNo(n));
	d->bus = prop(tg, "bus");
	if (child(n, "readonly") || d->cdrom)
		d->access = DL_ACCESS_RO;
	else if (child(n, "shareable"))
		d->access = DL_ACCESS_SHARED;
	else
		d->access = DL_ACCESS_RW;
	if (d->cdrom && !d->target)
		d->format = DL_DFMT_EMPTY;
	d->address = lv_address(child(n, "address"));
	_cleanup_free_ char *order = prop(child(n, "boot"), "order");
	if (order) {
		uint64_t v;
		if (dl_parse_u64(order, &v) < 0 || v == 0 || v > 1000000)
			return dl_fail(err, DL_ESYNTAX, "%s:%ld: invalid <boot order>", name,
				       (long)xmlGetLineNo(n));
		d->boot_order = (int)v;
	}
	return 0;
}

static void lv_silence(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* <type>linux|xen|hvm|xenpvh</type> (or machine='xenpvh') */
static enum dl_domtype lv_type(const xmlNode *ty)
{
	_cleanup_free_ char *t = trimmed(ty);
	_cleanup_free_ char *machine = prop(ty, "machine");
	if (t && (!strcmp(t, "linux") || !strcmp(t, "xen")))
		return DL_DOMTYPE_PV;
	if (t && !strcmp(t, "hvm"))
		return DL_DOMTYPE_HVM;
	if ((t && !strcmp(t, "xenpvh")) || (machine && !strcmp(machine, "xenpvh")))
		return DL_DOMTYPE_PVH;
	return DL_DOMTYPE_UNSET;
}

/* <boot dev='fd|hd|cdrom|network'/>... as boot letters */
static int lv_boot(struct dl_domcfg *cfg, const xmlNode *os, const char *name,
		   struct dl_error *err)
{
	static const struct {
		const char *dev;
		char c;
	} devs[] = {{"fd", 'a'}, {"hd", 'c'}, {"cdrom", 'd'}, {"network", 'n'}};
	size_t k = 0;
	for (const xmlNode *c = os->children; c; c = c->next) {
		if (!is(c, "boot"))
			continue;
		_cleanup_free_ char *dev = prop(c, "dev");
		char ch = 0;
		for (size_t i = 0; dev && !ch && i < DL_ARRAY_SIZE(devs); i++)
			if (!strcmp(dev, devs[i].dev))
				ch = devs[i].c;
		if (!ch)
			return dl_fail(err, DL_ESYNTAX, "%s:%ld: unknown boot device '%.32s'", name,
				       (long)xmlGetLineNo(c), dev ? dev : "");
		if (k < 4)
			cfg->boot[k++] = ch;
	}
	cfg->boot[k] = '\0';
	return 0;
}

/* <os>: type, direct kernel (root= folded into the command line as
 * libvirt's xen driver does), loader, boot devices */
static int lv_os(struct dl_domcfg *cfg, const xmlNode *os, const char *name,
		 struct dl_error *err)
{
	cfg->type = lv_type(child(os, "type"));
	cfg->kernel = text(child(os, "kernel"));
	cfg->ramdisk = text(child(os, "initrd"));
	char *cmdline = text(child(os, "cmdline"));
	cfg->root = text(child(os, "root"));
	if (cfg->root && cfg->root[0] && !(cmdline && strstr(cmdline, "root="))) {
		char *c = dl_asprintf("root=%s%s%s", cfg->root, cmdline && cmdline[0] ? " " : "",
				      cmdline ? cmdline : "");
		free(cmdline);
		cmdline = c;
	}
	cfg->cmdline = cmdline;
	cfg->loader = trimmed(child(os, "loader"));
	return lv_boot(cfg, os, name, err);
}

static int lv_model(struct dl_domcfg *cfg, const xmlNode *dom, const char *name,
		    struct dl_error *err)
{
	int r;
	if (!dom || !is(dom, "domain"))
		return dl_fail(err, DL_ESYNTAX, "%s: root element is not <domain>", name);
	cfg->dialect = DL_DIALECT_LIBVIRT;
	cfg->name = trimmed(child(dom, "name"));
	_cleanup_free_ char *u = trimmed(child(dom, "uuid"));
	if (u) {
		if (dl_uuid_parse(u, cfg->uuid) < 0)
			return dl_fail(err, DL_ESYNTAX, "%s: invalid <uuid> '%.40s'", name, u);
		cfg->have_uuid = true;
	}
	const xmlNode *os = child(dom, "os");
	if (os && (r = lv_os(cfg, os, name, err)) < 0)
		return r;
	const xmlNode *bl = child(dom, "bootloader");
	if (bl)
		cfg->bootloader = trimmed(bl);
	_cleanup_free_ char *ba = text(child(dom, "bootloader_args"));
	if (ba) {
		char **argv = NULL;
		size_t n = 0;
		if ((r = dl_split_args(ba, 0, &argv, &n, err)) < 0) {
			dl_strings_free(argv, n);
			return r;
		}
		dl_domcfg_set_args(cfg, argv, n);
	}
	size_t cap = 0;
	const xmlNode *devices = child(dom, "devices");
	for (const xmlNode *c = devices ? devices->children : NULL; c; c = c->next)
		if (is(c, "disk") && (r = lv_disk(cfg, &cap, c, name, err)) < 0)
			return r;
	return 0;
}

/* The document, checked by xscan first (no DOCTYPE, caps), into *doc. */
static int lv_read(const char *name, const char *buf, size_t len, xmlDoc **doc,
		   struct dl_error *err)
{
	struct xscan x = { 0 };
	*doc = NULL;
	if (len > DL_DOMCFG_MAX_SIZE)
		return dl_fail(err, DL_ELIMIT, "%s: configuration larger than %u bytes", name,
			       DL_DOMCFG_MAX_SIZE);
	if (memchr(buf, '\0', len))
		return dl_fail(err, DL_ESYNTAX, "%s: NUL byte in XML", name);
	int r = xscan(&x, name, buf, len, err);
	free(x.e);
	if (r < 0)
		return r;
	if ((r = dl_lib_load(&dl_libxml2, err)) < 0)   /* loaded on first use (src/dlib.h) */
		return r;
	xmlSetGenericErrorFunc(NULL, lv_silence);
	xmlResetLastError();
	*doc = xmlReadMemory(buf, (int)len, name, NULL,
			     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!*doc) {
		const xmlError *e = xmlGetLastError();
		char msg[200] = "malformed XML";
		if (e && e->message) {
			snprintf(msg, sizeof(msg), "%s", e->message);
			size_t l = strlen(msg);
			while (l && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
				msg[--l] = '\0';
		}
		return dl_fail(err, DL_ESYNTAX, "%s:%d: %s", name, e ? e->line : 0, msg);
	}
	if ((*doc)->intSubset || (*doc)->extSubset) {
		xmlFreeDoc(*doc);
		*doc = NULL;
		return dl_fail(err, DL_EUNSUPPORTED, "%s: DOCTYPE is not accepted", name);
	}
	return 0;
}

int dl_libvirt_parse(struct dl_domcfg *cfg, const char *name, const char *buf, size_t len,
		     struct dl_error *err)
{
	xmlDoc *doc;
	cfg->dialect = DL_DIALECT_LIBVIRT;
	int r = lv_read(name, buf, len, &doc, err);
	if (r < 0)
		return r;
	r = lv_model(cfg, xmlDocGetRootElement(doc), name, err);
	xmlFreeDoc(doc);
	return r;
}

/* ---- writing ---- */


char *dl_xml_escape(const char *s)
{
	struct dl_sbuf b = { 0 };
	const unsigned char *p = (const unsigned char *)s;
	dl_sbuf_add(&b, "", 0);
	while (*p) {
		uint32_t cp;
		size_t n = dl_utf8_char(p, &cp);
		if (!n || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xfffe ||
		    cp == 0xffff) {
			dl_sbuf_free(&b);
			return NULL;
		}
		switch (cp) {
		case '&': dl_sbuf_adds(&b, "&amp;"); break;
		case '<': dl_sbuf_adds(&b, "&lt;"); break;
		case '>': dl_sbuf_adds(&b, "&gt;"); break;
		case '"': dl_sbuf_adds(&b, "&quot;"); break;
		case '\'': dl_sbuf_adds(&b, "&apos;"); break;
		case '\t': dl_sbuf_adds(&b, "&#9;"); break;
		case '\n': dl_sbuf_adds(&b, "&#10;"); break;
		case '\r': dl_sbuf_adds(&b, "&#13;"); break;
		default: dl_sbuf_add(&b, p, n);
		}
		p += n;
	}
	return dl_sbuf_take(&b);
}

static int el(struct dl_sbuf *b, const char *indent, const char *tag, const char *val,
	      struct dl_error *err)
{
	char *e = dl_xml_escape(val);
	if (!e)
		return dl_fail(err, DL_EOUTPUT, "<%s>: value cannot be represented in XML (not UTF-8 or control characters)",
			       tag);
	dl_sbuf_printf(b, "%s<%s>%s</%s>", indent, tag, e, tag);
	free(e);
	return 0;
}

static int os_children(struct dl_sbuf *b, const char *indent, const char *kernel,
		       const char *ramdisk, const char *cmdline, struct dl_error *err)
{
	int r = el(b, indent, "kernel", kernel, err);
	if (r == 0 && ramdisk && ramdisk[0])
		r = el(b, indent, "initrd", ramdisk, err);
	if (r == 0 && cmdline && cmdline[0])
		r = el(b, indent, "cmdline", cmdline, err);
	return r;
}

char *dl_format_libvirt_os(const char *kernel, const char *ramdisk, const char *cmdline,
			   const char *type, struct dl_error *err)
{
	struct dl_sbuf b = { 0 };
	if (!kernel) {
		dl_fail(err, DL_EOUTPUT, "libvirt output: no kernel");
		return NULL;
	}
	dl_sbuf_adds(&b, "<os>");
	if (type && el(&b, "\n  ", "type", type, err))
		goto fail;
	if (os_children(&b, "\n  ", kernel, ramdisk, cmdline, err))
		goto fail;
	dl_sbuf_adds(&b, "\n</os>\n");
	return dl_sbuf_take(&b);
fail:
	dl_sbuf_free(&b);
	return NULL;
}


static bool xws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A rewrite in progress: the document's elements, what to cut and what
 * to insert where. */
struct lv_rewrite {
	const char *name, *buf;
	size_t len;
	const char *kernel, *ramdisk, *cmdline;
	struct xscan x;
	int dom, os, type;         /* <domain>, its <os>, the <os>'s <type>; -1 none */
	struct dl_cut *cuts;
	size_t ncut, capcut;
	struct dl_sbuf ins;
	size_t ins_at;
	struct dl_error *err;
};

static void add_cut(struct lv_rewrite *w, size_t from, size_t to)
{
	struct dl_cut *c = dl_array_push(&w->cuts, &w->ncut, &w->capcut, sizeof(*c));
	c->from = from;
	c->to = to;
}

/* We insert UTF-8: a document declared in another encoding can only take
 * ASCII values. */
static int check_encoding(struct lv_rewrite *w)
{
	xmlDoc *doc;
	int r = lv_read(w->name, w->buf, w->len, &doc, w->err);
	if (r < 0)
		return r;
	bool utf8 = !doc->encoding || !strcasecmp((const char *)doc->encoding, "UTF-8") ||
		    !strcasecmp((const char *)doc->encoding, "US-ASCII");
	xmlFreeDoc(doc);
	const char *vals[] = { w->kernel, w->ramdisk, w->cmdline };
	for (size_t i = 0; !utf8 && i < DL_ARRAY_SIZE(vals); i++)
		for (const unsigned char *p = (const unsigned char *)vals[i]; p && *p; p++)
			if (*p >= 0x80)
				return dl_fail(w->err, DL_EOUTPUT,
					       "%s: the document is not UTF-8; cannot insert non-ASCII text",
					       w->name);
	return 0;
}

static bool named(const struct xelem *e, const char *const *names)
{
	for (; *names; names++)
		if (!strcmp(e->name, *names))
			return true;
	return false;
}

/* <domain>, its first <os> and that one's first <type>; a cut for each
 * boot element (with the blanks before it). */
static int find_elements(struct lv_rewrite *w)
{
	static const char *const dom_boot[] = {"bootloader", "bootloader_args", NULL};
	static const char *const os_boot[] = {"kernel", "initrd", "cmdline", "root", NULL};
	struct xscan *x = &w->x;
	w->dom = w->os = w->type = -1;
	for (size_t i = 0; i < x->n && w->dom < 0; i++)
		if (x->e[i].depth == 0 && !strcmp(x->e[i].name, "domain"))
			w->dom = (int)i;
	if (w->dom < 0)
		return dl_fail(w->err, DL_ESYNTAX, "%s: no <domain> element", w->name);
	for (size_t i = 0; i < x->n; i++) {
		const struct xelem *e = &x->e[i];
		bool del = false;
		if (e->parent == w->dom) {
			if (w->os < 0 && !strcmp(e->name, "os"))
				w->os = (int)i;
			del = named(e, dom_boot);
		}
		if (w->os >= 0 && e->parent == w->os) {
			if (w->type < 0 && !strcmp(e->name, "type"))
				w->type = (int)i;
			del |= named(e, os_boot);
		}
		if (!del)
			continue;
		size_t f = e->start;
		while (f > 0 && xws(w->buf[f - 1]))
			f--;
		add_cut(w, f, e->end);
	}
	return 0;
}

/* Start of the blanks before s on its line. */
static size_t indent_start(const char *buf, size_t s)
{
	while (s > 0 && (buf[s - 1] == ' ' || buf[s - 1] == '\t'))
		s--;
	return s;
}

/* No <os>: add one right after the <domain> start tag. */
static int insert_new_os(struct lv_rewrite *w)
{
	w->ins_at = w->x.e[w->dom].open_end;
	dl_sbuf_adds(&w->ins, "\n  <os>");
	int r = os_children(&w->ins, "\n    ", w->kernel, w->ramdisk, w->cmdline, w->err);
	dl_sbuf_adds(&w->ins, "\n  </os>");
	return r;
}

/* <os .../>: reopen it, keeping its attributes, indented as it is. */
static int reopen_os(struct lv_rewrite *w)
{
	const struct xelem *e = &w->x.e[w->os];
	const char *buf = w->buf;
	size_t s = e->start, b = indent_start(buf, s);
	bool own_line = b == 0 || buf[b - 1] == '\n';
	size_t tag_end = e->open_end - 2;
	while (tag_end > s && xws(buf[tag_end - 1]))
		tag_end--;
	add_cut(w, s, e->end);
	w->ins_at = s;
	dl_sbuf_add(&w->ins, buf + s, tag_end - s);
	dl_sbuf_addc(&w->ins, '>');
	_cleanup_free_ char *ind = own_line ? dl_asprintf("\n%.*s  ", (int)(s - b), buf + b)
					    : dl_strdup("\n  ");
	int r = os_children(&w->ins, ind, w->kernel, w->ramdisk, w->cmdline, w->err);
	if (own_line)
		dl_sbuf_printf(&w->ins, "\n%.*s</os>", (int)(s - b), buf + b);
	else
		dl_sbuf_adds(&w->ins, "\n</os>");
	return r;
}

/* Inside <os>: after its <type>, at <type>'s indentation, else first,
 * one level deeper than <os>; on the same line when they share one. */
static int insert_in_os(struct lv_rewrite *w)
{
	int anchor = w->type >= 0 ? w->type : w->os;
	size_t s = w->x.e[anchor].start, b = indent_start(w->buf, s);
	_cleanup_free_ char *ind = NULL;
	if (b > 0 && w->buf[b - 1] == '\n')
		ind = dl_asprintf("\n%.*s%s", (int)(s - b), w->buf + b, anchor == w->os ? "  " : "");
	w->ins_at = w->type >= 0 ? w->x.e[w->type].end : w->x.e[w->os].open_end;
	return os_children(&w->ins, ind ? ind : "", w->kernel, w->ramdisk, w->cmdline, w->err);
}

char *dl_libvirt_rewrite(const char *name, const char *buf, size_t len, const char *kernel,
			 const char *ramdisk, const char *cmdline, size_t *outlen,
			 struct dl_error *err)
{
	struct dl_domcfg cfg = { 0 };
	struct lv_rewrite w = { .name = name, .buf = buf, .len = len, .kernel = kernel,
				.ramdisk = ramdisk, .cmdline = cmdline, .err = err };
	char *ret = NULL;
	/* the input must be valid for us first */
	int r = dl_libvirt_parse(&cfg, name, buf, len, err);
	dl_domcfg_free(&cfg);
	if (r == 0)
		r = xscan(&w.x, name, buf, len, err);
	if (r == 0)
		r = check_encoding(&w);
	if (r == 0)
		r = find_elements(&w);
	if (r == 0) {
		const struct xelem *os = w.os >= 0 ? &w.x.e[w.os] : NULL;
		if (!os)
			r = insert_new_os(&w);
		else if (os->end == os->open_end && buf[os->open_end - 2] == '/')
			r = reopen_os(&w);
		else
			r = insert_in_os(&w);
	}
	if (r == 0)
		ret = dl_splice(buf, len, w.cuts, w.ncut, w.ins_at, &w.ins, outlen);
	free(w.cuts);
	free(w.x.e);
	dl_sbuf_free(&w.ins);
	return ret;
}

static void xattr(struct dl_sbuf *b, const char *name, const char *v)
{
	char *e = dl_xml_escape(v);
	dl_sbuf_printf(b, " %s='%s'", name, e ? e : "");
	free(e);
}

static void xel(struct dl_sbuf *b, const char *indent, const char *tag, const char *v)
{
	char *e = dl_xml_escape(v);
	dl_sbuf_printf(b, "%s<%s>%s</%s>\n", indent, tag, e ? e : "", tag);
	free(e);
}

/* <disk type= device=> with <driver>, <source>, <target> and flags */
static void write_disk(struct dl_sbuf *b, const struct dl_domdisk *d)
{
	dl_sbuf_adds(b, "    <disk");
	xattr(b, "type", d->source_type ? d->source_type : d->block ? "block" : "file");
	xattr(b, "device", d->cdrom ? "cdrom" : d->floppy ? "floppy" : "disk");
	dl_sbuf_adds(b, ">\n");
	const char *ft = d->format == DL_DFMT_OTHER ? d->format_name :
			 d->format == DL_DFMT_UNSET || d->format == DL_DFMT_EMPTY ? NULL :
			 dl_dformat_name(d->format);
	if (d->driver || ft) {
		dl_sbuf_adds(b, "      <driver");
		if (d->driver)
			xattr(b, "name", d->driver);
		if (ft)
			xattr(b, "type", ft);
		dl_sbuf_adds(b, "/>\n");
	}
	if (d->target) {
		dl_sbuf_adds(b, "      <source");
		xattr(b, d->block ? "dev" : "file", d->target);
		dl_sbuf_adds(b, "/>\n");
	}
	dl_sbuf_adds(b, "      <target");
	xattr(b, "dev", d->vdev ? d->vdev : "");
	if (d->bus)
		xattr(b, "bus", d->bus);
	dl_sbuf_adds(b, "/>\n");
	if (d->access == DL_ACCESS_RO || d->cdrom)
		dl_sbuf_adds(b, "      <readonly/>\n");
	if (d->access == DL_ACCESS_SHARED)
		dl_sbuf_adds(b, "      <shareable/>\n");
	if (d->boot_order > 0)
		dl_sbuf_printf(b, "      <boot order='%d'/>\n", d->boot_order);
	if (d->address)
		dl_sbuf_printf(b, "      %s\n", d->address);
	dl_sbuf_adds(b, "    </disk>\n");
}

char *dl_libvirt_write(const struct dl_domcfg *cfg)
{
	struct dl_sbuf b = { 0 };
	dl_sbuf_adds(&b, "<domain type='xen'>\n");
	if (cfg->name)
		xel(&b, "  ", "name", cfg->name);
	if (cfg->have_uuid) {
		char u[37];
		dl_uuid_format(cfg->uuid, u);
		xel(&b, "  ", "uuid", u);
	}
	if (cfg->bootloader)
		xel(&b, "  ", "bootloader", cfg->bootloader);
	if (cfg->nbootloader_args) {
		struct dl_sbuf a = { 0 };
		for (size_t i = 0; i < cfg->nbootloader_args; i++) {
			if (i)
				dl_sbuf_addc(&a, ' ');
			dl_sbuf_adds(&a, cfg->bootloader_args[i]);
		}
		xel(&b, "  ", "bootloader_args", a.p);
		dl_sbuf_free(&a);
	}
	dl_sbuf_adds(&b, "  <os>\n");
	xel(&b, "    ", "type", cfg->type == DL_DOMTYPE_HVM ? "hvm" :
				     cfg->type == DL_DOMTYPE_PVH ? "xenpvh" : "linux");
	if (cfg->loader)
		xel(&b, "    ", "loader", cfg->loader);
	if (cfg->kernel)
		xel(&b, "    ", "kernel", cfg->kernel);
	if (cfg->ramdisk)
		xel(&b, "    ", "initrd", cfg->ramdisk);
	if (cfg->cmdline)
		xel(&b, "    ", "cmdline", cfg->cmdline);
	static const char *const devs[] = { ['a'] = "fd", ['c'] = "hd", ['d'] = "cdrom", ['n'] = "network" };
	for (const char *p = cfg->boot; *p; p++)
		if ((unsigned char)*p < DL_ARRAY_SIZE(devs) && devs[(unsigned char)*p])
			dl_sbuf_printf(&b, "    <boot dev='%s'/>\n", devs[(unsigned char)*p]);
	dl_sbuf_adds(&b, "  </os>\n  <devices>\n");
	for (size_t i = 0; i < cfg->ndisks; i++)
		write_disk(&b, &cfg->disks[i]);
	dl_sbuf_adds(&b, "  </devices>\n</domain>\n");
	return dl_sbuf_take(&b);
}

/* ---- the guest type of a rewritten configuration ---- */

/* <os><type arch=A machine=M>T</type>, libvirt's libxl driver names:
 * PV "linux" on machine "xenpv", PVH "xenpvh" on "xenpvh" (a PVH type
 * on machine "xenpv" crashes libvirtd: libvirt issue 390). */
static char *lv_type_element(const char *buf, size_t len, const char *name, enum dl_domtype type,
			     struct dl_error *err)
{
	xmlDoc *doc;
	if (lv_read(name, buf, len, &doc, err) < 0)
		return NULL;
	const xmlNode *os = child(xmlDocGetRootElement(doc), "os");
	_cleanup_free_ char *arch = prop(child(os, "type"), "arch");
	xmlFreeDoc(doc);
	_cleanup_free_ char *a = arch ? dl_xml_escape(arch) : NULL;
	const char *t = type == DL_DOMTYPE_PVH ? "xenpvh" : type == DL_DOMTYPE_HVM ? "hvm" : "linux";
	const char *m = type == DL_DOMTYPE_PVH ? "xenpvh" : type == DL_DOMTYPE_HVM ? "xenfv" : "xenpv";
	return dl_asprintf("<type%s%s%s machine='%s'>%s</type>", a ? " arch='" : "", a ? a : "",
			   a ? "'" : "", m, t);
}

char *dl_libvirt_set_type(const char *name, const char *buf, size_t len, enum dl_domtype type,
			  size_t *outlen, struct dl_error *err)
{
	struct lv_rewrite w = { .name = name, .buf = buf, .len = len, .err = err };
	char *ret = NULL;
	_cleanup_free_ char *el = lv_type_element(buf, len, name, type, err);
	int r = el ? xscan(&w.x, name, buf, len, err) : -1;
	if (r == 0)
		r = find_elements(&w);
	if (r == 0 && w.os < 0)
		r = dl_fail(err, DL_ESYNTAX, "%s: no <os> element", name);
	if (r == 0) {
		/* the boot elements stay: only <type> changes */
		w.ncut = 0;
		if (w.type >= 0) {
			add_cut(&w, w.x.e[w.type].start, w.x.e[w.type].end);
			w.ins_at = w.x.e[w.type].start;
			dl_sbuf_adds(&w.ins, el);
		} else {
			size_t s = w.x.e[w.os].start, b = indent_start(buf, s);
			w.ins_at = w.x.e[w.os].open_end;
			dl_sbuf_printf(&w.ins, "\n%.*s  %s", (int)(s - b), buf + b, el);
		}
		ret = dl_splice(buf, len, w.cuts, w.ncut, w.ins_at, &w.ins, outlen);
	}
	free(w.cuts);
	free(w.x.e);
	dl_sbuf_free(&w.ins);
	return ret;
}
