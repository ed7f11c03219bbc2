/* The domain configuration model: lifetime, dialect detection, boot disk
 * order, UUIDs, argument splitting, small buffers. */
#include "domcfg/domcfg.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

char *dl_cquote(const char *s, char q)
{
	struct dl_sbuf b = { 0 };
	dl_sbuf_addc(&b, q);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == (unsigned char)q || *p == '\\')
			dl_sbuf_printf(&b, "\\%c", *p);
		else if (*p == '\n')
			dl_sbuf_adds(&b, "\\n");
		else if (*p == '\t')
			dl_sbuf_adds(&b, "\\t");
		else if (*p == '\r')
			dl_sbuf_adds(&b, "\\r");
		else if (*p < 0x20 || *p == 0x7f)
			dl_sbuf_printf(&b, "\\x%02x", *p);
		else
			dl_sbuf_addc(&b, (char)*p);
	}
	dl_sbuf_addc(&b, q);
	return dl_sbuf_take(&b);
}

static int cmp_cut(const void *a, const void *b)
{
	const struct dl_cut *x = a, *y = b;
	return x->from < y->from ? -1 : x->from > y->from;
}

char *dl_splice(const char *buf, size_t len, struct dl_cut *cuts, size_t ncut, size_t ins_at,
		const struct dl_sbuf *ins, size_t *outlen)
{
	struct dl_sbuf b = { 0 };
	size_t pos = 0;
	bool done = false;
	if (ncut)
		qsort(cuts, ncut, sizeof(*cuts), cmp_cut);
	for (size_t i = 0; i < ncut; i++) {
		size_t from = cuts[i].from < pos ? pos : cuts[i].from;
		if (!done && ins_at <= from) {
			dl_sbuf_add(&b, buf + pos, ins_at - pos);
			dl_sbuf_add(&b, ins->p, ins->len);
			pos = ins_at;
			done = true;
		}
		dl_sbuf_add(&b, buf + pos, from - pos);
		pos = cuts[i].to > pos ? cuts[i].to : pos;
	}
	if (!done) {
		if (ins_at < pos)
			ins_at = pos;
		dl_sbuf_add(&b, buf + pos, ins_at - pos);
		dl_sbuf_add(&b, ins->p, ins->len);
		pos = ins_at;
	}
	dl_sbuf_add(&b, buf + pos, len - pos);
	*outlen = b.len;
	return dl_sbuf_take(&b);
}

unsigned dl_lineno(const char *buf, size_t len, size_t off)
{
	unsigned n = 1;
	for (size_t i = 0; i < off && i < len; i++)
		if (buf[i] == '\n')
			n++;
	return n;
}

void dl_domdisk_clear(struct dl_domdisk *d)
{
	free(d->target);
	free(d->format_name);
	free(d->vdev);
	free(d->driver);
	free(d->backendtype);
	free(d->script);
	free(d->bus);
	free(d->address);
	free(d->source_type);
	memset(d, 0, sizeof(*d));
}

void dl_domcfg_set_args(struct dl_domcfg *cfg, char **argv, size_t n)
{
	dl_strings_free(cfg->bootloader_args, cfg->nbootloader_args);
	cfg->bootloader_args = argv;
	cfg->nbootloader_args = n;
}

void dl_domcfg_free(struct dl_domcfg *cfg)
{
	if (!cfg)
		return;
	free(cfg->name);
	free(cfg->kernel);
	free(cfg->ramdisk);
	free(cfg->cmdline);
	free(cfg->root);
	free(cfg->loader);
	free(cfg->firmware);
	free(cfg->bootloader);
	dl_domcfg_set_args(cfg, NULL, 0);
	for (size_t i = 0; i < cfg->ndisks; i++)
		dl_domdisk_clear(&cfg->disks[i]);
	free(cfg->disks);
	memset(cfg, 0, sizeof(*cfg));
}

enum dl_domcfg_dialect dl_domcfg_detect(const char *buf, size_t len)
{
	size_t i = 0;
	if (len >= 3 && (unsigned char)buf[0] == 0xef && (unsigned char)buf[1] == 0xbb &&
	    (unsigned char)buf[2] == 0xbf)
		i = 3;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
		i++;
	if (i < len && buf[i] == '<')
		return DL_DIALECT_LIBVIRT;
	if (i < len && buf[i] == '(')
		return DL_DIALECT_SEXPR;
	return DL_DIALECT_XL;
}

const char *dl_domcfg_dialect_name(enum dl_domcfg_dialect d)
{
	switch (d) {
	case DL_DIALECT_XL: return "xl";
	case DL_DIALECT_LIBVIRT: return "libvirt";
	case DL_DIALECT_SEXPR: return "sexpr";
	default: return "none";
	}
}

int dl_domcfg_parse(struct dl_domcfg *cfg, enum dl_domcfg_dialect dialect, const char *name,
		    const char *buf, size_t len, struct dl_error *err)
{
	if (len > DL_DOMCFG_MAX_SIZE)
		return dl_fail(err, DL_ELIMIT, "%s: configuration larger than %u bytes", name,
			       DL_DOMCFG_MAX_SIZE);
	if (dialect == DL_DIALECT_NONE)
		dialect = dl_domcfg_detect(buf, len);
	switch (dialect) {
	case DL_DIALECT_LIBVIRT: return dl_libvirt_parse(cfg, name, buf, len, err);
	case DL_DIALECT_SEXPR: return dl_sexpr_parse(cfg, name, buf, len, err);
	default: return dl_xlcfg_parse(cfg, name, buf, len, err);
	}
}

const char *dl_dformat_name(enum dl_dformat f)
{
	static const char *const n[] = {
		[DL_DFMT_UNSET] = "", [DL_DFMT_RAW] = "raw", [DL_DFMT_QCOW] = "qcow",
		[DL_DFMT_QCOW2] = "qcow2", [DL_DFMT_VHD] = "vhd", [DL_DFMT_QED] = "qed",
		[DL_DFMT_EMPTY] = "empty", [DL_DFMT_OTHER] = "other",
	};
	return (unsigned)f < DL_ARRAY_SIZE(n) ? n[f] : "";
}

/* ---- UUIDs ---- */

int dl_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int dl_letter_escape(int c)
{
	static const char from[] = "abfnrtv", to[] = "\a\b\f\n\r\t\v";
	const char *p = c ? strchr(from, c) : NULL;
	return p ? to[p - from] : -1;
}

int dl_uuid_parse(const char *s, uint8_t out[16])
{
	size_t i = 0;
	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')
		i++;
	for (int b = 0; b < 16; b++) {
		if (b > 0)
			while (s[i] == '-' || s[i] == ' ')
				i++;
		int h = dl_hexval((unsigned char)s[i]);
		int l = h < 0 ? -1 : dl_hexval((unsigned char)s[i + 1]);
		if (h < 0 || l < 0)
			return -1;
		out[b] = (uint8_t)(h << 4 | l);
		i += 2;
	}
	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')
		i++;
	return s[i] ? -1 : 0;
}

void dl_uuid_format(const uint8_t u[16], char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
		 u[12], u[13], u[14], u[15]);
}

/* ---- Boot order ---- */

int dl_boot_char(int c)
{
	switch (c) {
	case 'a': case 'c': case 'd': case 'n': return c;
	default: return 0;
	}
}

static bool disk_class(const struct dl_domdisk *d, int c)
{
	switch (c) {
	case 'a': return d->floppy;
	case 'd': return d->cdrom && !d->floppy;
	case 'c': return !d->cdrom && !d->floppy;
	default: return false;
	}
}

static bool openable(const struct dl_domdisk *d)
{
	return d->target && d->target[0] && d->format != DL_DFMT_EMPTY;
}

size_t dl_domcfg_boot_order(const struct dl_domcfg *cfg, size_t *order)
{
	size_t n = 0;
	size_t nd = cfg->ndisks;
	bool *used = dl_calloc(nd ? nd : 1, sizeof(bool));
#define TAKE(i) do { if (!used[i] && openable(&cfg->disks[i])) { used[i] = true; order[n++] = (i); } } while (0)
	/* libvirt per-device <boot order='N'/>, ascending */
	for (;;) {
		int best = -1;
		for (size_t i = 0; i < nd; i++) {
			const struct dl_domdisk *d = &cfg->disks[i];
			if (d->boot_order > 0 && !used[i] && openable(d) &&
			    (best < 0 || d->boot_order < cfg->disks[best].boot_order))
				best = (int)i;
		}
		if (best < 0)
			break;
		TAKE((size_t)best);
	}
	/* the boot order is an HVM firmware setting: libxl, xend and libvirt
	 * ignore it for PV/PVH, whose bootloader gets disks[0] */
	const char *boot = "";
	if (cfg->type == DL_DOMTYPE_HVM)
		boot = cfg->boot[0] ? cfg->boot : "cda";
	for (const char *p = boot; *p; p++) {
		/* bootable disks of the class first, then the rest in order */
		for (size_t i = 0; i < nd; i++)
			if (cfg->disks[i].bootable && disk_class(&cfg->disks[i], *p))
				TAKE(i);
		for (size_t i = 0; i < nd; i++)
			if (disk_class(&cfg->disks[i], *p))
				TAKE(i);
	}
	for (size_t i = 0; i < nd; i++)
		if (cfg->disks[i].bootable)
			TAKE(i);
	for (size_t i = 0; i < nd; i++)
		TAKE(i);
#undef TAKE
	free(used);
	return n;
}

char *dl_domdisk_path(const struct dl_domdisk *d)
{
	if (!openable(d))
		return NULL;
	if (d->script && d->script[0])
		return NULL;  /* iscsi:, nbd:, drbd: ... targets are not paths */
	if (d->source_type && strcmp(d->source_type, "file") && strcmp(d->source_type, "block"))
		return NULL;  /* libvirt network/volume sources */
	if (d->target[0] == '/')
		return dl_strdup(d->target);
	return dl_asprintf("/dev/%s", d->target);
}

/* ---- Argument splitting ---- */

int dl_split_args(const char *s, int shell, char ***argv, size_t *n, struct dl_error *err)
{
	size_t cap = *n;
	struct dl_sbuf w = { 0 };
	const char *p = s;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
			p++;
		if (!*p)
			break;
		bool have = false;
		while (*p && !(*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' ||
			       *p == '\v')) {
			have = true;
			if (shell && *p == '\'') {
				const char *e = strchr(p + 1, '\'');
				if (!e) {
					dl_sbuf_free(&w);
					return dl_fail(err, DL_ESYNTAX, "bootloader arguments: no closing quotation");
				}
				dl_sbuf_add(&w, p + 1, (size_t)(e - p - 1));
				p = e + 1;
			} else if (shell && *p == '"') {
				p++;
				while (*p && *p != '"') {
					if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '$' || p[1] == '`'))
						p++;
					dl_sbuf_addc(&w, *p++);
				}
				if (!*p) {
					dl_sbuf_free(&w);
					return dl_fail(err, DL_ESYNTAX, "bootloader arguments: no closing quotation");
				}
				p++;
			} else if (shell && *p == '\\') {
				if (!p[1]) {
					dl_sbuf_free(&w);
					return dl_fail(err, DL_ESYNTAX, "bootloader arguments: no escaped character");
				}
				dl_sbuf_addc(&w, p[1]);
				p += 2;
			} else {
				dl_sbuf_addc(&w, *p++);
			}
		}
		if (have) {
			if (*n >= DL_DOMCFG_MAX_ARGS) {
				dl_sbuf_free(&w);
				return dl_fail(err, DL_ELIMIT, "bootloader arguments: more than %d",
					       DL_DOMCFG_MAX_ARGS);
			}
			char **slot = dl_array_push(argv, n, &cap, sizeof(char *));
			*slot = dl_sbuf_take(&w);
		}
	}
	dl_sbuf_free(&w);
	return 0;
}

char *dl_domcfg_rewrite(enum dl_domcfg_dialect dialect, const char *name, const char *buf,
			size_t len, const char *kernel, const char *ramdisk, const char *cmdline,
			size_t *outlen, struct dl_error *err)
{
	if (len > DL_DOMCFG_MAX_SIZE) {
		dl_fail(err, DL_ELIMIT, "%s: configuration larger than %u bytes", name,
			DL_DOMCFG_MAX_SIZE);
		return NULL;
	}
	if (!kernel || !kernel[0]) {
		dl_fail(err, DL_EOUTPUT, "%s: rewrite needs a kernel", name);
		return NULL;
	}
	if (dialect == DL_DIALECT_NONE)
		dialect = dl_domcfg_detect(buf, len);
	switch (dialect) {
	case DL_DIALECT_LIBVIRT:
		return dl_libvirt_rewrite(name, buf, len, kernel, ramdisk, cmdline, outlen, err);
	case DL_DIALECT_SEXPR:
		return dl_sexpr_rewrite(name, buf, len, kernel, ramdisk, cmdline, outlen, err);
	default:
		return dl_xlcfg_rewrite(name, buf, len, kernel, ramdisk, cmdline, outlen, err);
	}
}

char *dl_domcfg_write(const struct dl_domcfg *cfg, enum dl_domcfg_dialect dialect)
{
	switch (dialect) {
	case DL_DIALECT_LIBVIRT: return dl_libvirt_write(cfg);
	case DL_DIALECT_SEXPR: return dl_sexpr_write(cfg);
	default: return dl_xlcfg_write(cfg);
	}
}

size_t dl_domcfg_boot_disks(const struct dl_domcfg *cfg, size_t *order)
{
	size_t n = dl_domcfg_boot_order(cfg, order);
	if (!n)
		return 0;
	const struct dl_domdisk *first = &cfg->disks[order[0]];
	if (first->cdrom || first->floppy)
		return 1;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!cfg->disks[order[i]].cdrom && !cfg->disks[order[i]].floppy)
			order[k++] = order[i];
	return k;
}
