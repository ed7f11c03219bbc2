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

static int xscan(struct xscan *x, const char *name, const char *buf, size_t len,
		 struct dl_error *err)
{
	int stack[DL_DOMCFG_MAX_DEPTH];
	int depth = 0;
	size_t i = 0;
#define XERR(off, fmt, ...) dl_fail(err, DL_ESYNTAX, "%s:%u: " fmt, name, dl_lineno(buf, len, off), ##__VA_ARGS__)
	while (i < len) {
		if (buf[i] != '<') {
			i++;
			continue;
		}
		size_t rem = len - i;
		const char *p = buf + i;
		if (rem >= 4 && !memcmp(p, "<!--", 4)) {
			const char *e = memmem(p + 4, rem - 4, "-->", 3);
			if (!e)
				return XERR(i, "unterminated comment");
			i = (size_t)(e - buf) + 3;
			continue;
		}
		if (rem >= 9 && !memcmp(p, "<![CDATA[", 9)) {
			const char *e = memmem(p + 9, rem - 9, "]]>", 3);
			if (!e)
				return XERR(i, "unterminated CDATA section");
			i = (size_t)(e - buf) + 3;
			continue;
		}
		if (rem >= 2 && p[1] == '?') {
			const char *e = memmem(p + 2, rem - 2, "?>", 2);
			if (!e)
				return XERR(i, "unterminated processing instruction");
			i = (size_t)(e - buf) + 2;
			continue;
		}
		if (rem >= 2 && p[1] == '!')
			return dl_fail(err, DL_EUNSUPPORTED, "%s:%u: DOCTYPE and entity declarations are not accepted",
				       name, dl_lineno(buf, len, i));
		/* a tag: find its end outside quoted attribute values */
		size_t j = i + 1;
		char q = 0;
		while (j < len && (q || buf[j] != '>')) {
			if (q && buf[j] == q)
				q = 0;
			else if (!q && (buf[j] == '"' || buf[j] == '\''))
				q = buf[j];
			j++;
		}
		if (j >= len)
			return XERR(i, "unterminated tag");
		size_t tag_end = j + 1;
		bool closing = p[1] == '/';
		size_t ns = i + (closing ? 2 : 1), ne = ns;
		while (ne < j && buf[ne] != ' ' && buf[ne] != '\t' && buf[ne] != '\n' &&
		       buf[ne] != '\r' && buf[ne] != '/' && buf[ne] != '>')
			ne++;
		if (closing) {
			if (!depth)
				return XERR(i, "unbalanced end tag");
			x->e[stack[--depth]].end = tag_end;
		} else {
			if (x->n >= DL_DOMCFG_MAX_NODES)
				return dl_fail(err, DL_ELIMIT, "%s: more than %d elements", name, DL_DOMCFG_MAX_NODES);
			if (depth >= DL_DOMCFG_MAX_DEPTH)
				return dl_fail(err, DL_ELIMIT, "%s:%u: elements nested deeper than %d", name,
					       dl_lineno(buf, len, i), DL_DOMCFG_MAX_DEPTH);
			struct xelem *e = dl_array_push(&x->e, &x->n, &x->cap, sizeof(*e));
			size_t nl = ne - ns;
			if (nl >= sizeof(e->name))
				nl = 0;  /* too long: no name we look for */
			memcpy(e->name, buf + ns, nl);
			e->name[nl] = '\0';
			e->depth = depth;
			e->parent = depth ? stack[depth - 1] : -1;
			e->start = i;
			e->open_end = e->end = tag_end;
			if (buf[j - 1] != '/')
				stack[depth++] = (int)x->n - 1;
		}
		i = tag_end;
	}
	if (depth)
		return XERR(len, "unclosed element");
#undef XERR
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
	const xmlNode *addr = child(n, "address");
	if (addr) {
		xmlBufferPtr xb = xmlBufferCreate();
		if (xb && xmlNodeDump(xb, addr->doc, (xmlNode *)addr, 0, 0) >= 0)
			d->address = dl_strdup((const char *)xmlBufferContent(xb));
		xmlBufferFree(xb);
	}
	char *order = prop(child(n, "boot"), "order");
	if (order) {
		uint64_t v;
		if (dl_parse_u64(order, &v) < 0 || v == 0 || v > 1000000) {
			free(order);
			return dl_fail(err, DL_ESYNTAX, "%s:%ld: invalid <boot order>", name,
				       (long)xmlGetLineNo(n));
		}
		d->boot_order = (int)v;
		free(order);
	}
	return 0;
}

static void lv_silence(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static int lv_model(struct dl_domcfg *cfg, const xmlNode *dom, const char *name,
		    struct dl_error *err)
{
	if (!dom || !is(dom, "domain"))
		return dl_fail(err, DL_ESYNTAX, "%s: root element is not <domain>", name);
	cfg->dialect = DL_DIALECT_LIBVIRT;
	cfg->name = trimmed(child(dom, "name"));
	char *u = trimmed(child(dom, "uuid"));
	if (u) {
		int r = dl_uuid_parse(u, cfg->uuid);
		if (r < 0) {
			dl_fail(err, DL_ESYNTAX, "%s: invalid <uuid> '%.40s'", name, u);
			free(u);
			return -1;
		}
		cfg->have_uuid = true;
		free(u);
	}
	const xmlNode *os = child(dom, "os");
	if (os) {
		const xmlNode *ty = child(os, "type");
		char *t = trimmed(ty);
		char *machine = prop(ty, "machine");
		if (t && (!strcmp(t, "linux") || !strcmp(t, "xen")))
			cfg->type = DL_DOMTYPE_PV;
		else if (t && !strcmp(t, "hvm"))
			cfg->type = DL_DOMTYPE_HVM;
		else if ((t && !strcmp(t, "xenpvh")) || (machine && !strcmp(machine, "xenpvh")))
			cfg->type = DL_DOMTYPE_PVH;
		if (t && !strcmp(t, "xenpvh"))
			cfg->type = DL_DOMTYPE_PVH;
		free(t);
		free(machine);
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
		size_t k = 0;
		for (const xmlNode *c = os->children; c; c = c->next) {
			if (!is(c, "boot"))
				continue;
			char *dev = prop(c, "dev");
			int ch = !dev ? 0 : !strcmp(dev, "fd") ? 'a' : !strcmp(dev, "hd") ? 'c' :
				 !strcmp(dev, "cdrom") ? 'd' : !strcmp(dev, "network") ? 'n' : 0;
			if (!ch) {
				dl_fail(err, DL_ESYNTAX, "%s:%ld: unknown boot device '%.32s'", name,
					(long)xmlGetLineNo(c), dev ? dev : "");
				free(dev);
				return -1;
			}
			free(dev);
			if (k < 4)
				cfg->boot[k++] = (char)ch;
		}
		cfg->boot[k] = '\0';
	}
	const xmlNode *bl = child(dom, "bootloader");
	if (bl)
		cfg->bootloader = trimmed(bl);
	char *ba = text(child(dom, "bootloader_args"));
	if (ba) {
		char **argv = NULL;
		size_t n = 0;
		int r = dl_split_args(ba, 0, &argv, &n, err);
		free(ba);
		if (r < 0) {
			dl_strings_free(argv, n);
			return -1;
		}
		dl_domcfg_set_args(cfg, argv, n);
	}
	size_t cap = 0;
	for (const xmlNode *c = child(dom, "devices") ? child(dom, "devices")->children : NULL; c; c = c->next)
		if (is(c, "disk") && lv_disk(cfg, &cap, c, name, err) < 0)
			return -1;
	return 0;
}

static xmlDoc *lv_read(const char *name, const char *buf, size_t len, struct dl_error *err)
{
	struct xscan x = { 0 };
	if (len > DL_DOMCFG_MAX_SIZE) {
		dl_fail(err, DL_ELIMIT, "%s: configuration larger than %u bytes", name, DL_DOMCFG_MAX_SIZE);
		return NULL;
	}
	if (memchr(buf, '\0', len)) {
		dl_fail(err, DL_ESYNTAX, "%s: NUL byte in XML", name);
		return NULL;
	}
	int r = xscan(&x, name, buf, len, err);
	free(x.e);
	if (r < 0)
		return NULL;
	xmlSetGenericErrorFunc(NULL, lv_silence);
	xmlResetLastError();
	xmlDoc *doc = xmlReadMemory(buf, (int)len, name, NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		char msg[200] = "malformed XML";
		if (e && e->message) {
			snprintf(msg, sizeof(msg), "%s", e->message);
			size_t l = strlen(msg);
			while (l && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
				msg[--l] = '\0';
		}
		dl_fail(err, DL_ESYNTAX, "%s:%d: %s", name, e ? e->line : 0, msg);
		return NULL;
	}
	if (doc->intSubset || doc->extSubset) {
		xmlFreeDoc(doc);
		dl_fail(err, DL_EUNSUPPORTED, "%s: DOCTYPE is not accepted", name);
		return NULL;
	}
	return doc;
}

int dl_libvirt_parse(struct dl_domcfg *cfg, const char *name, const char *buf, size_t len,
		     struct dl_error *err)
{
	cfg->dialect = DL_DIALECT_LIBVIRT;
	xmlDoc *doc = lv_read(name, buf, len, err);
	if (!doc)
		return -1;
	int r = lv_model(cfg, xmlDocGetRootElement(doc), name, err);
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
	if (el(b, indent, "kernel", kernel, err))
		return -1;
	if (ramdisk && ramdisk[0] && el(b, indent, "initrd", ramdisk, err))
		return -1;
	if (cmdline && cmdline[0] && el(b, indent, "cmdline", cmdline, err))
		return -1;
	return 0;
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

char *dl_libvirt_rewrite(const char *name, const char *buf, size_t len, const char *kernel,
			 const char *ramdisk, const char *cmdline, size_t *outlen,
			 struct dl_error *err)
{
	struct dl_domcfg cfg = { 0 };
	struct xscan x = { 0 };
	struct dl_sbuf ins = { 0 };
	struct dl_cut *cuts = NULL;
	size_t ncut = 0, capcut = 0;
	char *ret = NULL;
	char *ind = NULL;
	if (dl_libvirt_parse(&cfg, name, buf, len, err) < 0 || xscan(&x, name, buf, len, err) < 0)
		goto out;
	/* we insert UTF-8: a document declared in another encoding can only
	 * take ASCII values */
	xmlDoc *doc = lv_read(name, buf, len, err);
	if (!doc)
		goto out;
	bool utf8 = !doc->encoding || !strcasecmp((const char *)doc->encoding, "UTF-8") ||
		    !strcasecmp((const char *)doc->encoding, "US-ASCII");
	xmlFreeDoc(doc);
	const char *vals[] = { kernel, ramdisk, cmdline };
	for (size_t i = 0; !utf8 && i < DL_ARRAY_SIZE(vals); i++)
		for (const unsigned char *p = (const unsigned char *)vals[i]; p && *p; p++)
			if (*p >= 0x80) {
				dl_fail(err, DL_EOUTPUT, "%s: the document is not UTF-8; cannot insert non-ASCII text",
					name);
				goto out;
			}
	int dom = -1, os = -1, type = -1;
	for (size_t i = 0; i < x.n; i++)
		if (x.e[i].depth == 0 && !strcmp(x.e[i].name, "domain")) {
			dom = (int)i;
			break;
		}
	if (dom < 0) {
		dl_fail(err, DL_ESYNTAX, "%s: no <domain> element", name);
		goto out;
	}
	for (size_t i = 0; i < x.n; i++) {
		struct xelem *e = &x.e[i];
		bool del = false;
		if (e->parent == dom && !strcmp(e->name, "os") && os < 0)
			os = (int)i;
		if (e->parent == dom && (!strcmp(e->name, "bootloader") || !strcmp(e->name, "bootloader_args")))
			del = true;
		if (os >= 0 && e->parent == os) {
			if (!strcmp(e->name, "type") && type < 0)
				type = (int)i;
			if (!strcmp(e->name, "kernel") || !strcmp(e->name, "initrd") ||
			    !strcmp(e->name, "cmdline") || !strcmp(e->name, "root"))
				del = true;
		}
		if (!del)
			continue;
		struct dl_cut *c = dl_array_push(&cuts, &ncut, &capcut, sizeof(*c));
		size_t f = e->start;
		while (f > 0 && xws(buf[f - 1]))
			f--;
		c->from = f;
		c->to = e->end;
	}
	size_t ins_at;
	/* indentation: whitespace between the previous line break and the element */
	const char *indent = "\n  ";
	if (os < 0) {
		/* no <os>: add one right after the <domain> start tag */
		ins_at = x.e[dom].open_end;
		dl_sbuf_adds(&ins, "\n  <os>");
		if (os_children(&ins, "\n    ", kernel, ramdisk, cmdline, err))
			goto out;
		dl_sbuf_adds(&ins, "\n  </os>");
	} else if (x.e[os].end == x.e[os].open_end && buf[x.e[os].open_end - 2] == '/') {
		/* <os .../>: reopen it, keeping its attributes */
		const struct xelem *e = &x.e[os];
		size_t s = e->start, w = s;
		while (w > 0 && (buf[w - 1] == ' ' || buf[w - 1] == '\t'))
			w--;
		bool own_line = w == 0 || buf[w - 1] == '\n';
		size_t tag_end = e->open_end - 2;
		while (tag_end > s && xws(buf[tag_end - 1]))
			tag_end--;
		struct dl_cut *c = dl_array_push(&cuts, &ncut, &capcut, sizeof(*c));
		c->from = s;
		c->to = e->end;
		ins_at = s;
		dl_sbuf_add(&ins, buf + s, tag_end - s);
		dl_sbuf_addc(&ins, '>');
		ind = own_line ? dl_asprintf("\n%.*s  ", (int)(s - w), buf + w) : dl_strdup("\n  ");
		if (os_children(&ins, ind, kernel, ramdisk, cmdline, err))
			goto out;
		if (own_line)
			dl_sbuf_printf(&ins, "\n%.*s</os>", (int)(s - w), buf + w);
		else
			dl_sbuf_adds(&ins, "\n</os>");
	} else {
		int anchor = type >= 0 ? type : os;
		size_t s = x.e[anchor].start, w = s;
		while (w > 0 && (buf[w - 1] == ' ' || buf[w - 1] == '\t'))
			w--;
		if (anchor == type && w > 0 && buf[w - 1] == '\n') {
			ind = dl_asprintf("\n%.*s", (int)(s - w), buf + w);
			indent = ind;
		} else if (anchor == os && w > 0 && buf[w - 1] == '\n') {
			ind = dl_asprintf("\n%.*s  ", (int)(s - w), buf + w);
			indent = ind;
		} else {
			indent = "";
		}
		ins_at = type >= 0 ? x.e[type].end : x.e[os].open_end;
		if (os_children(&ins, indent, kernel, ramdisk, cmdline, err))
			goto out;
	}
	ret = dl_splice(buf, len, cuts, ncut, ins_at, &ins, outlen);
out:
	free(ind);
	free(cuts);
	free(x.e);
	dl_sbuf_free(&ins);
	dl_domcfg_free(&cfg);
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
	for (size_t i = 0; i < cfg->ndisks; i++) {
		const struct dl_domdisk *d = &cfg->disks[i];
		dl_sbuf_adds(&b, "    <disk");
		xattr(&b, "type", d->source_type ? d->source_type : d->block ? "block" : "file");
		xattr(&b, "device", d->cdrom ? "cdrom" : d->floppy ? "floppy" : "disk");
		dl_sbuf_adds(&b, ">\n");
		const char *ft = d->format == DL_DFMT_OTHER ? d->format_name :
				 d->format == DL_DFMT_UNSET || d->format == DL_DFMT_EMPTY ? NULL :
				 dl_dformat_name(d->format);
		if (d->driver || ft) {
			dl_sbuf_adds(&b, "      <driver");
			if (d->driver)
				xattr(&b, "name", d->driver);
			if (ft)
				xattr(&b, "type", ft);
			dl_sbuf_adds(&b, "/>\n");
		}
		if (d->target) {
			dl_sbuf_adds(&b, "      <source");
			xattr(&b, d->block ? "dev" : "file", d->target);
			dl_sbuf_adds(&b, "/>\n");
		}
		dl_sbuf_adds(&b, "      <target");
		xattr(&b, "dev", d->vdev ? d->vdev : "");
		if (d->bus)
			xattr(&b, "bus", d->bus);
		dl_sbuf_adds(&b, "/>\n");
		if (d->access == DL_ACCESS_RO && !d->cdrom)
			dl_sbuf_adds(&b, "      <readonly/>\n");
		if (d->cdrom)
			dl_sbuf_adds(&b, "      <readonly/>\n");
		if (d->access == DL_ACCESS_SHARED)
			dl_sbuf_adds(&b, "      <shareable/>\n");
		if (d->boot_order > 0)
			dl_sbuf_printf(&b, "      <boot order='%d'/>\n", d->boot_order);
		if (d->address)
			dl_sbuf_printf(&b, "      %s\n", d->address);
		dl_sbuf_adds(&b, "    </disk>\n");
	}
	dl_sbuf_adds(&b, "  </devices>\n</domain>\n");
	return dl_sbuf_take(&b);
}
