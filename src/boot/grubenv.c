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
	if (len < DL_GRUBENV_SIGLEN || memcmp(buf, DL_GRUBENV_SIG, DL_GRUBENV_SIGLEN) != 0)
		return dl_fail(err, DL_ESYNTAX, "%s: not a GRUB environment block", name);
	size_t i = DL_GRUBENV_SIGLEN;
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

/* Where the value of the line at p ends (its '\n'), skipping escapes;
 * end when the line is not terminated. */
static size_t line_end(const char *buf, size_t p, size_t end)
{
	while (p < end && buf[p] != '\n')
		p += buf[p] == '\\' ? 2 : 1;
	return p < end ? p : end;
}

static size_t escaped_len(const char *value)
{
	size_t n = 0;
	for (const char *p = value; *p; p++)
		n += *p == '\\' || *p == '\n' ? 2 : 1;
	return n;
}

/* The line of name (start of its value in *val), or false. */
static bool find_var(const char *buf, size_t len, const char *name, size_t *line, size_t *val)
{
	size_t nl = strlen(name), p = DL_GRUBENV_SIGLEN;
	while (p + nl + 1 < len) {
		if (!memcmp(buf + p, name, nl) && buf[p + nl] == '=') {
			*line = p;
			*val = p + nl + 1;
			return true;
		}
		p = line_end(buf, p, len) + 1;
	}
	return false;
}

/* Written after grub_envblk_set and grub_envblk_delete: the padding is the
 * run of '#' at the end, a value is replaced where it stands (the rest
 * moves), a new variable goes where the padding starts. */
bool dl_grubenv_set(char *buf, size_t len, const char *name, const char *value)
{
	size_t nl = strlen(name), line, p, q;
	if (len <= DL_GRUBENV_SIGLEN || memcmp(buf, DL_GRUBENV_SIG, DL_GRUBENV_SIGLEN) || !nl ||
	    strchr(name, '=') || strchr(name, '\n'))
		return false;
	if (!value) {
		if (!find_var(buf, len, name, &line, &p))
			return true;
		q = line_end(buf, p, len);
		if (q >= len)
			return false;
		size_t n = q + 1 - line;
		memmove(buf + line, buf + q + 1, len - (q + 1));
		memset(buf + len - n, '#', n);
		return true;
	}
	size_t space = len;
	while (space > 0 && buf[space - 1] == '#')
		space--;
	if (space == 0 || buf[space - 1] != '\n')
		return false;
	size_t vl = escaped_len(value), free_bytes = len - space;
	if (find_var(buf, len, name, &line, &p) && line + nl + 1 < space) {
		q = line_end(buf, p, len);
		if (q >= len)
			return false;
		size_t old = q - p;
		if (vl > old && vl - old > free_bytes)
			return false;
		if (vl < old) {
			memmove(buf + p + vl, buf + q, len - q);
			memset(buf + space - (old - vl), '#', old - vl);
		} else {
			memmove(buf + p + vl, buf + q, len - (p + vl));
		}
	} else {
		if (free_bytes < nl + 1 + vl + 1)
			return false;
		memcpy(buf + space, name, nl);
		p = space + nl;
		buf[p++] = '=';
	}
	for (const char *v = value; *v; v++) {
		if (*v == '\\' || *v == '\n')
			buf[p++] = '\\';
		buf[p++] = *v;
	}
	buf[p] = '\n';
	return true;
}
