/* GRUB's environment block (grub-core/lib/envblk.c), the file that
 * load_env reads and grub-editenv writes: "# GRUB Environment Block", then
 * name=value lines with backslash escapes, padded with '#'.  Hand-written:
 * envblk.c is part of GRUB, not a library. */
#include <string.h>

#include "boot/internal.h"

int dl_grubenv_parse(const char *name, const char *buf, size_t len,
		     void (*set)(void *ctx, const char *name, const char *value), void *ctx,
		     struct dl_error *err)
{
	static const char sig[] = "# GRUB Environment Block\n";
	if (len < sizeof(sig) - 1 || memcmp(buf, sig, sizeof(sig) - 1) != 0)
		return dl_fail(err, DL_ESYNTAX, "%s: not a GRUB environment block", name);
	size_t i = sizeof(sig) - 1;
	while (i < len) {
		size_t s = i;
		while (i < len && buf[i] != '\n') {
			if (buf[i] == '\\' && i + 1 < len)
				i++;
			i++;
		}
		size_t e = i;
		if (i < len)
			i++;
		if (e == s || buf[s] == '#')
			continue;
		const char *eq = memchr(buf + s, '=', e - s);
		if (!eq || eq == buf + s)
			continue;
		_cleanup_free_ char *n = dl_strndup(buf + s, (size_t)(eq - buf - s));
		struct dl_sbuf v = {0};
		for (const char *p = eq + 1; p < buf + e; p++) {
			char c = *p;
			if (c == '\\' && p + 1 < buf + e) {
				p++;
				c = *p == 'n' ? '\n' : *p;
			}
			dl_sbuf_addc(&v, c);
		}
		set(ctx, n, dl_sbuf_str(&v));
		dl_sbuf_free(&v);
	}
	return 0;
}
