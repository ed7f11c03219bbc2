/* Guest paths as the parsers see them: normalising, splitting off a GRUB
 * "(device)", and reading a file through struct dl_boot_io. */
#include <string.h>

#include "boot/internal.h"

char *dl_dirname(const char *path)
{
	const char *s = strrchr(path, '/');
	if (!s || s == path)
		return dl_strdup("/");
	return dl_strndup(path, (size_t)(s - path));
}

char *dl_path_norm(const char *dir, const char *path)
{
	struct dl_sbuf in = {0}, out = {0};
	if (path[0] != '/' && dir)
		dl_sbuf_add(&in, dir, strlen(dir));
	dl_sbuf_addc(&in, '/');
	dl_sbuf_add(&in, path, strlen(path));
	const char *p = dl_sbuf_str(&in);
	while (*p) {
		while (*p == '/')
			p++;
		const char *c = p;
		while (*p && *p != '/')
			p++;
		size_t n = (size_t)(p - c);
		if (n == 0 || (n == 1 && c[0] == '.'))
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			while (out.len && out.p[out.len - 1] != '/')
				out.len--;
			if (out.len)
				out.len--;
			if (out.p)
				out.p[out.len] = '\0';
			continue;
		}
		dl_sbuf_addc(&out, '/');
		dl_sbuf_add(&out, c, n);
	}
	if (!out.len)
		dl_sbuf_addc(&out, '/');
	dl_sbuf_free(&in);
	return dl_sbuf_take(&out);
}

void dl_path_split_dev(const char *s, char **dev, char **path)
{
	*dev = NULL;
	if (s[0] == '(') {
		const char *e = strchr(s, ')');
		if (e) {
			*dev = dl_strndup(s + 1, (size_t)(e - s - 1));
			*path = dl_strdup(e + 1);
			return;
		}
	}
	*path = dl_strdup(s);
}

int dl_io_read(const struct dl_boot_io *io, const char *dev, const char *path, char **buf,
	       size_t *len, struct dl_error *err)
{
	*buf = NULL;
	*len = 0;
	if (!io || !io->read_file)
		return DL_ABSENT;
	int r = io->read_file(io->ctx, dev, path, buf, len, err);
	if (r != 0) {
		free(*buf);
		*buf = NULL;
		if (r > 0)
			return DL_ABSENT;
		return err && !err->code ? dl_fail(err, DL_EIO, "%s: cannot read", path) : r;
	}
	if (*len > DL_BOOT_MAX_FILE) {
		free(*buf);
		*buf = NULL;
		return dl_fail(err, DL_ELIMIT, "%s: larger than %u bytes", path, DL_BOOT_MAX_FILE);
	}
	return 0;
}
