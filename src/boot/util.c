/* Shared helpers for the boot configuration parsers: bounded strings,
 * entry construction, guest path handling, grubenv, version order. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "boot/internal.h"

void dl_cfg_init(struct dl_boot_config *cfg, const char *format, const char *path)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->format = format;
	cfg->path = path ? dl_strdup(path) : NULL;
	cfg->def = -1;
	cfg->fallback = -1;
	cfg->timeout = -1;
}

struct dl_boot_entry *dl_cfg_add_entry(struct dl_boot_config *cfg, const char *name, int line,
				       struct dl_error *err)
{
	if (cfg->nentries >= DL_BOOT_MAX_ENTRIES) {
		dl_fail(err, DL_ELIMIT, "%s:%d: more than %u menu entries", name, line,
			DL_BOOT_MAX_ENTRIES);
		return NULL;
	}
	struct dl_boot_entry *e = dl_array_push(&cfg->entries, &cfg->nentries, &cfg->capentries,
						sizeof(*e));
	e->parent = -1;
	e->kind = DL_ENTRY_OTHER;
	return e;
}

void dl_path_free(struct dl_boot_path *p)
{
	free(p->dev);
	free(p->path);
	p->dev = p->path = NULL;
}

void dl_entry_free(struct dl_boot_entry *e)
{
	free(e->title);
	free(e->id);
	dl_path_free(&e->kernel);
	for (size_t i = 0; i < e->ninitrds; i++)
		dl_path_free(&e->initrds[i]);
	free(e->initrds);
	for (size_t i = 0; i < e->nmodules; i++) {
		dl_path_free(&e->modules[i]);
		free(e->module_args[i]);
	}
	free(e->modules);
	free(e->module_args);
	free(e->args);
	free(e->root);
	memset(e, 0, sizeof(*e));
}

void dl_boot_config_free(struct dl_boot_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->nentries; i++)
		dl_entry_free(&cfg->entries[i]);
	free(cfg->entries);
	free(cfg->path);
	free(cfg->default_spec);
	memset(cfg, 0, sizeof(*cfg));
	cfg->def = cfg->fallback = -1;
	cfg->timeout = -1;
}

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

void dl_path_set(struct dl_boot_path *p, const char *dev, const char *path, const char *dir,
		 const char *self)
{
	dl_path_free(p);
	p->dev = dev && *dev && !(self && strcmp(dev, self) == 0) ? dl_strdup(dev) : NULL;
	p->path = dl_path_norm(dir, path);
}

void dl_entry_add_initrd(struct dl_boot_entry *e, const char *dev, const char *path,
			 const char *dir, const char *self)
{
	e->initrds = dl_reallocarray(e->initrds, e->ninitrds + 1, sizeof(*e->initrds));
	memset(&e->initrds[e->ninitrds], 0, sizeof(e->initrds[0]));
	dl_path_set(&e->initrds[e->ninitrds++], dev, path, dir, self);
}

void dl_entry_add_module(struct dl_boot_entry *e, const char *dev, const char *path,
			 const char *args, const char *dir, const char *self)
{
	e->modules = dl_reallocarray(e->modules, e->nmodules + 1, sizeof(*e->modules));
	e->module_args = dl_reallocarray(e->module_args, e->nmodules + 1, sizeof(char *));
	memset(&e->modules[e->nmodules], 0, sizeof(e->modules[0]));
	dl_path_set(&e->modules[e->nmodules], dev, path, dir, self);
	e->module_args[e->nmodules++] = dl_strdup(args ? args : "");
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
		char *n = dl_strndup(buf + s, (size_t)(eq - buf - s));
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
		free(n);
	}
	return 0;
}

static bool vchar(char c)
{
	return isdigit((unsigned char)c) || isalpha((unsigned char)c) || c == '~' || c == '-' ||
	       c == '^' || c == '.';
}

#define CMP(a, b) (((a) > (b)) - ((a) < (b)))

int dl_vercmp(const char *a, const char *b)
{
	if (!a || !*a || !b || !*b)
		return CMP(a && *a, b && *b);
	for (;;) {
		const char *aa, *bb;
		int r;
		while (*a && !vchar(*a))
			a++;
		while (*b && !vchar(*b))
			b++;
		if (*a == '~' || *b == '~') {
			if ((r = CMP(*a != '~', *b != '~')))
				return r;
			a++, b++;
		}
		if (!*a || !*b)
			return CMP((unsigned char)*a, (unsigned char)*b);
		static const char seps[] = "-^.";
		for (const char *s = seps; *s; s++)
			if (*a == *s || *b == *s) {
				if ((r = CMP(*a != *s, *b != *s)))
					return r;
				a++, b++;
			}
		if (isdigit((unsigned char)*a) || isdigit((unsigned char)*b)) {
			for (aa = a; isdigit((unsigned char)*aa); aa++)
				;
			for (bb = b; isdigit((unsigned char)*bb); bb++)
				;
			if ((r = CMP(a != aa, b != bb)))
				return r;
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			if ((r = CMP(aa - a, bb - b)))
				return r;
			if ((r = CMP(strncmp(a, b, (size_t)(aa - a)), 0)))
				return r;
		} else {
			for (aa = a; isalpha((unsigned char)*aa); aa++)
				;
			for (bb = b; isalpha((unsigned char)*bb); bb++)
				;
			if ((r = CMP(strncmp(a, b, (size_t)DL_MIN(aa - a, bb - b)), 0)))
				return r;
			if ((r = CMP(aa - a, bb - b)))
				return r;
		}
		a = aa;
		b = bb;
	}
}

int dl_boot_dev_parse(const char *dev, int *disk, int *part)
{
	const char *p;
	if (!dev)
		return -1;
	if (strncmp(dev, "hd", 2) == 0 && isdigit((unsigned char)dev[2]))
		p = dev + 2;
	else if (strncmp(dev, "xen/xvd", 7) == 0 && dev[7] >= 'a' && dev[7] <= 'z')
		p = NULL;
	else
		return -1;
	long d;
	char *end;
	if (p) {
		d = strtol(p, &end, 10);
		if (d > 255)
			return -1;
	} else {
		d = dev[7] - 'a';
		end = (char *)dev + 8;
	}
	*disk = (int)d;
	*part = 0;
	if (!*end)
		return 0;
	if (*end != ',')
		return -1;
	end++;
	if (strncmp(end, "msdos", 5) == 0)
		end += 5;
	else if (strncmp(end, "gpt", 3) == 0)
		end += 3;
	if (!isdigit((unsigned char)*end))
		return -1;
	long pn = strtol(end, &end, 10);
	if (pn < 1 || pn > 4096 || (*end && *end != ','))
		return -1;
	*part = (int)pn;
	return 0;
}
