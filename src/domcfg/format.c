/* pygrub's sxp result format: linux (kernel %r)(ramdisk %r)(args %r), with
 * Python 3 repr() quoting of each value, as format_sxp() in Xen's
 * tools/pygrub/src/pygrub writes it since XSA-198 (2016).  Hand-written:
 * it is Python's repr(), which no C library provides. */
#include "domcfg/domcfg.h"

#include <string.h>

/* Code points Python's str.isprintable() rejects beyond ASCII controls:
 * C1 controls, and the common separators/format characters (Zs except
 * space, Zl, Zp, Cf), surrogates and private use.  An approximation of the
 * Unicode database limited to the ranges that occur in practice. */
static bool py_unprintable(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0xad || c == 0x034f ||
	       c == 0x061c || c == 0x1680 || c == 0x180e ||
	       (c >= 0x2000 && c <= 0x200f) || (c >= 0x2028 && c <= 0x202f) ||
	       (c >= 0x205f && c <= 0x206f) || c == 0x3000 || (c >= 0xd800 && c <= 0xf8ff) ||
	       c == 0xfeff || (c >= 0xfff0 && c <= 0xfffb) || c == 0xfffe || c == 0xffff ||
	       (c >= 0xe0000 && c <= 0xe007f) || c >= 0xf0000;
}

char *dl_python_repr(const char *s)
{
	bool sq = strchr(s, '\'') != NULL, dq = strchr(s, '"') != NULL;
	char q = (sq && !dq) ? '"' : '\'';
	struct dl_sbuf b = { 0 };
	dl_sbuf_addc(&b, q);
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t c;
		size_t n = dl_utf8_char(p, &c);
		if (!n) {
			/* undecodable byte: what surrogateescape decoding shows */
			dl_sbuf_printf(&b, "\\udc%02x", *p);
			p++;
			continue;
		}
		if (c == '\\')
			dl_sbuf_adds(&b, "\\\\");
		else if (c == (uint32_t)q)
			dl_sbuf_printf(&b, "\\%c", q);
		else if (c == '\n')
			dl_sbuf_adds(&b, "\\n");
		else if (c == '\r')
			dl_sbuf_adds(&b, "\\r");
		else if (c == '\t')
			dl_sbuf_adds(&b, "\\t");
		else if (py_unprintable(c))
			dl_sbuf_printf(&b, c <= 0xff ? "\\x%02x" : c <= 0xffff ? "\\u%04x" : "\\U%08x", c);
		else
			dl_sbuf_add(&b, p, n);
		p += n;
	}
	dl_sbuf_addc(&b, q);
	return dl_sbuf_take(&b);
}

char *dl_format_sxp(const char *kernel, const char *ramdisk, const char *cmdline,
		    struct dl_error *err)
{
	if (!kernel) {
		dl_fail(err, DL_EOUTPUT, "sxp output: no kernel");
		return NULL;
	}
	struct dl_sbuf b = { 0 };
	char *r = dl_python_repr(kernel);
	dl_sbuf_printf(&b, "linux (kernel %s)", r);
	free(r);
	if (ramdisk && ramdisk[0]) {
		r = dl_python_repr(ramdisk);
		dl_sbuf_printf(&b, "(ramdisk %s)", r);
		free(r);
	}
	if (cmdline && cmdline[0]) {
		r = dl_python_repr(cmdline);
		dl_sbuf_printf(&b, "(args %s)", r);
		free(r);
	}
	return dl_sbuf_take(&b);
}
