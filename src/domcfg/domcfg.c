/* The dialects: which one a document is written in, and the dispatch to
 * each one's reader, rewriter and writer. */
#include "domcfg/domcfg.h"

static const struct dialect {
	enum dl_domcfg_dialect id;
	const char *name;
	int (*parse)(struct dl_domcfg *cfg, const char *name, const char *buf, size_t len,
		     struct dl_error *err);
	char *(*rewrite)(const char *name, const char *buf, size_t len, const char *kernel,
			 const char *ramdisk, const char *cmdline, size_t *outlen,
			 struct dl_error *err);
	char *(*write)(const struct dl_domcfg *cfg);
} dialects[] = {
	/* the first one is what a document of no other dialect is read as */
	{DL_DIALECT_XL, "xl", dl_xlcfg_parse, dl_xlcfg_rewrite, dl_xlcfg_write},
	{DL_DIALECT_LIBVIRT, "libvirt", dl_libvirt_parse, dl_libvirt_rewrite, dl_libvirt_write},
	{DL_DIALECT_SEXPR, "sexpr", dl_sexpr_parse, dl_sexpr_rewrite, dl_sexpr_write},
};

/* Dialect by content: '<' first (after BOM/space) is XML, '(' is SEXPR,
 * anything else xl. */
static enum dl_domcfg_dialect detect(const char *buf, size_t len)
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

static const struct dialect *find(enum dl_domcfg_dialect d)
{
	for (size_t i = 0; i < DL_ARRAY_SIZE(dialects); i++)
		if (dialects[i].id == d)
			return &dialects[i];
	return NULL;
}

/* The dialect d (NONE: the document's), xl for a value that names none. */
static const struct dialect *pick(enum dl_domcfg_dialect d, const char *buf, size_t len)
{
	const struct dialect *x = find(d == DL_DIALECT_NONE && buf ? detect(buf, len) : d);
	return x ? x : &dialects[0];
}

const char *dl_domcfg_dialect_name(enum dl_domcfg_dialect d)
{
	const struct dialect *x = find(d);
	return x ? x->name : "none";
}

int dl_domcfg_parse(struct dl_domcfg *cfg, enum dl_domcfg_dialect d, const char *name,
		    const char *buf, size_t len, struct dl_error *err)
{
	if (len > DL_DOMCFG_MAX_SIZE)
		return dl_fail(err, DL_ELIMIT, "%s: configuration larger than %u bytes", name,
			       DL_DOMCFG_MAX_SIZE);
	return pick(d, buf, len)->parse(cfg, name, buf, len, err);
}

char *dl_domcfg_rewrite(enum dl_domcfg_dialect d, const char *name, const char *buf, size_t len,
			const char *kernel, const char *ramdisk, const char *cmdline,
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
	return pick(d, buf, len)->rewrite(name, buf, len, kernel, ramdisk, cmdline, outlen, err);
}

char *dl_domcfg_write(const struct dl_domcfg *cfg, enum dl_domcfg_dialect d)
{
	return pick(d, NULL, 0)->write(cfg);
}

char *dl_domcfg_set_type(enum dl_domcfg_dialect d, const char *name, const char *buf, size_t len,
			 enum dl_domtype type, size_t *outlen, struct dl_error *err)
{
	const struct dialect *x = pick(d, buf, len);
	if (type != DL_DOMTYPE_PV && type != DL_DOMTYPE_PVH) {
		dl_fail(err, DL_EUNSUPPORTED, "%s: only a PV or PVH guest type can be set", name);
		return NULL;
	}
	if (x->id == DL_DIALECT_XL)
		return dl_xlcfg_set_type(name, buf, len, type, outlen, err);
	if (x->id == DL_DIALECT_LIBVIRT)
		return dl_libvirt_set_type(name, buf, len, type, outlen, err);
	dl_fail(err, DL_EUNSUPPORTED, "%s: a xend configuration has no %s guest type (xend boots "
		"PV and HVM guests only)", name, type == DL_DOMTYPE_PVH ? "PVH" : "PV");
	return NULL;
}
