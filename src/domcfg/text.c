/* Strings in and out of the dialects: C-style quoting and escapes, line
 * numbers for messages, and bootloader argument splitting. */
#include "domcfg/domcfg.h"

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

unsigned dl_lineno(const char *buf, size_t len, size_t off)
{
	unsigned n = 1;
	for (size_t i = 0; i < off && i < len; i++)
		if (buf[i] == '\n')
			n++;
	return n;
}

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
