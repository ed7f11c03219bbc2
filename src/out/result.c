/* Result formats: pygrub's sxp/simple/simple0 (reference/pygrub.md §1.3,
 * XSA-198-safe), and JSON. */
#include "out/out.h"

#include "domcfg/domcfg.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	enum dl_format f;
} formats[] = {
	{ "sxp", DL_OUT_SXP }, { "simple", DL_OUT_SIMPLE }, { "simple0", DL_OUT_SIMPLE0 },
	{ "json", DL_OUT_JSON }, { "xl", DL_OUT_XL }, { "libvirt", DL_OUT_LIBVIRT },
};

int dl_format_parse(const char *s, enum dl_format *f)
{
	for (size_t i = 0; i < DL_ARRAY_SIZE(formats); i++)
		if (!strcmp(s, formats[i].name)) {
			*f = formats[i].f;
			return 0;
		}
	return -1;
}

/* A growable string buffer. */
struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = dl_realloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_take(struct sbuf *b, char *s)
{
	sb_str(b, s);
	free(s);
}

/* Python 3 str.__repr__: single quotes unless the string contains ' and no ",
 * backslash escapes for \\, the quote, \t \n \r, \xNN for other control
 * characters and DEL; other bytes (printable ASCII, UTF-8) as they are. */
char *dl_py_repr(const char *s)
{
	struct sbuf b = { 0 };
	char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';
	sb_add(&b, &q, 1);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		char tmp[8];
		if (*c == '\\' || *c == (unsigned char)q) {
			tmp[0] = '\\';
			tmp[1] = (char)*c;
			sb_add(&b, tmp, 2);
		} else if (*c == '\t') {
			sb_str(&b, "\\t");
		} else if (*c == '\n') {
			sb_str(&b, "\\n");
		} else if (*c == '\r') {
			sb_str(&b, "\\r");
		} else if (*c < 0x20 || *c == 0x7f) {
			snprintf(tmp, sizeof(tmp), "\\x%02x", *c);
			sb_str(&b, tmp);
		} else {
			sb_add(&b, (const char *)c, 1);
		}
	}
	sb_add(&b, &q, 1);
	return b.p;
}

char *dl_json_str(const char *s)
{
	struct sbuf b = { 0 };
	sb_str(&b, "\"");
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		char tmp[8];
		switch (*c) {
		case '"': sb_str(&b, "\\\""); break;
		case '\\': sb_str(&b, "\\\\"); break;
		case '\n': sb_str(&b, "\\n"); break;
		case '\t': sb_str(&b, "\\t"); break;
		case '\r': sb_str(&b, "\\r"); break;
		default:
			if (*c < 0x20 || *c == 0x7f) {
				snprintf(tmp, sizeof(tmp), "\\u%04x", *c);
				sb_str(&b, tmp);
			} else {
				sb_add(&b, (const char *)c, 1);
			}
		}
	}
	sb_str(&b, "\"");
	return b.p;
}

static void json_field(struct sbuf *b, bool *first, const char *key, const char *val)
{
	if (!*first)
		sb_str(b, ",\n  ");
	*first = false;
	sb_take(b, dl_json_str(key));
	sb_str(b, ": ");
	if (val)
		sb_take(b, dl_json_str(val));
	else
		sb_str(b, "null");
}

static char *format_json(const char *kernel, const char *ramdisk, const struct dl_result *r)
{
	struct sbuf b = { 0 };
	bool first = true;
	char idx[32];
	sb_str(&b, "{\n  ");
	json_field(&b, &first, "kernel", kernel);
	json_field(&b, &first, "ramdisk", ramdisk);
	json_field(&b, &first, "args", r->args ? r->args : "");
	json_field(&b, &first, "title", r->title);
	json_field(&b, &first, "id", r->entry_id);
	snprintf(idx, sizeof(idx), "%d", r->entry_index);
	sb_str(&b, ",\n  \"index\": ");
	sb_str(&b, r->entry_index >= 0 ? idx : "null");
	json_field(&b, &first, "config", r->config);
	json_field(&b, &first, "config_format", r->format);
	json_field(&b, &first, "volume", r->volume);
	json_field(&b, &first, "guest_kernel", r->kernel);
	json_field(&b, &first, "guest_ramdisk", r->ramdisk);
	sb_str(&b, "\n}\n");
	return b.p;
}

char *dl_result_format(enum dl_format f, const char *kernel, const char *ramdisk,
		       const struct dl_result *r, size_t *len, struct dl_error *err)
{
	struct sbuf b = { 0 };
	const char *args = r->args && *r->args ? r->args : NULL;

	switch (f) {
	case DL_OUT_SXP:
		sb_str(&b, "linux (kernel ");
		sb_take(&b, dl_py_repr(kernel));
		sb_str(&b, ")");
		if (ramdisk) {
			sb_str(&b, "(ramdisk ");
			sb_take(&b, dl_py_repr(ramdisk));
			sb_str(&b, ")");
		}
		if (args) {
			sb_str(&b, "(args ");
			sb_take(&b, dl_py_repr(args));
			sb_str(&b, ")");
		}
		break;
	case DL_OUT_SIMPLE:
	case DL_OUT_SIMPLE0: {
		char sep = f == DL_OUT_SIMPLE ? '\n' : '\0';
		const char *vals[3] = { kernel, ramdisk, args };
		for (int i = 0; i < 3; i++)
			if (vals[i] && (strchr(vals[i], '\n') || (sep == '\n' && strchr(vals[i], '\r'))))
				return dl_fail(err, DL_ESYNTAX,
					       "simple format cannot represent a value containing a newline: %s",
					       i == 2 ? "args" : "path"),
				       NULL;
		static const char *const keys[3] = { "kernel ", "ramdisk ", "args " };
		for (int i = 0; i < 3; i++) {
			if (!vals[i])
				continue;
			sb_str(&b, keys[i]);
			sb_str(&b, vals[i]);
			sb_add(&b, &sep, 1);
		}
		sb_add(&b, &sep, 1);
		break;
	}
	case DL_OUT_JSON:
		b.p = format_json(kernel, ramdisk, r);
		b.len = strlen(b.p);
		break;
	case DL_OUT_XL:
	case DL_OUT_LIBVIRT:
		b.p = f == DL_OUT_XL ? dl_format_xl(kernel, ramdisk, args, NULL, err)
				     : dl_format_libvirt_os(kernel, ramdisk, args, NULL, err);
		if (!b.p)
			return NULL;
		b.len = strlen(b.p);
		break;
	}
	*len = b.len;
	return b.p;
}
