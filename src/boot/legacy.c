/* GRUB legacy menu.lst / grub.conf (GRUB 0.97 stage2/cmdline.c commands).
 * Devices "(hd0,0)" are 0-based in legacy; they are stored as GRUB 2's
 * 1-based "hd0,1" (see boot.h). */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "boot/internal.h"

#define LEGACY_MAX_LINE 4096

/* "(hd0,0)" / "hd0,0" -> "hd0,1"; other devices unchanged */
static char *conv_dev(const char *d, size_t n)
{
	if (n && d[0] == '(') {
		d++;
		n -= n >= 2 && d[n - 2] == ')' ? 2 : 1;
	}
	char *s = dl_strndup(d, n);
	char *comma = strchr(s, ',');
	if (comma && (s[0] == 'h' || s[0] == 's' || s[0] == 'f') && s[1] == 'd' &&
	    isdigit((unsigned char)comma[1])) {
		char *end;
		long p = strtol(comma + 1, &end, 10);
		if (p >= 0 && p < 4096) {
			char *r = dl_asprintf("%.*s,%ld%s", (int)(comma - s), s, p + 1, end);
			free(s);
			return r;
		}
	}
	return s;
}

/* split "(dev)path" with legacy conversion; dev defaults to root */
static void set_legacy_path(struct dl_boot_path *p, const char *spec, const char *root,
			    const char *self)
{
	char *dev = NULL;
	const char *path = spec;
	if (spec[0] == '(') {
		const char *e = strchr(spec, ')');
		if (e) {
			dev = conv_dev(spec, (size_t)(e - spec + 1));
			path = e + 1;
		}
	}
	dl_path_set(p, dev ? dev : root, path, NULL, self);
	free(dev);
}

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int legacy_parse(const char *name, const char *buf, size_t len, const struct dl_boot_io *io,
			struct dl_boot_config *cfg, struct dl_error *err)
{
	const char *self = io ? io->self_dev : NULL;
	char *def = NULL, *fallback = NULL, *root = NULL;
	struct dl_boot_entry *e = NULL;
	int line = 0, rc = 0;
	dl_cfg_init(cfg, dl_legacy_parser.name, name);
	size_t i = 0;
	while (i < len) {
		size_t s;
		line++;
		size_t n = dl_next_line(buf, len, &i, &s);
		if (n > LEGACY_MAX_LINE) {
			rc = dl_fail(err, DL_ELIMIT, "%s:%d: line longer than %d bytes", name, line,
				     LEGACY_MAX_LINE);
			break;
		}
		char *l = dl_strndup(buf + s, n);
		char *p = (char *)skip_ws(l);
		size_t pl = strlen(p);
		while (pl && isspace((unsigned char)p[pl - 1]))
			p[--pl] = '\0';
		if (!*p || *p == '#') {
			free(l);
			continue;
		}
		/* keyword: split at '=' if it comes before the first blank */
		size_t kl = strcspn(p, " \t=");
		char *val = p + kl;
		if (*val == '=' || *val == ' ' || *val == '\t') {
			*val++ = '\0';
			val = (char *)skip_ws(val);
			if (*val == '=')
				val = (char *)skip_ws(val + 1);
		}
		const char *kw = p;
		if (!strcmp(kw, "title")) {
			if (!(e = dl_cfg_add_entry(cfg, name, line, err))) {
				free(l);
				rc = -1;
				break;
			}
			e->title = dl_strdup(val);
			e->kind = DL_ENTRY_OTHER;
			free(root);
			root = NULL;
		} else if (!e) {
			if (!strcmp(kw, "default")) {
				free(def);
				def = dl_strdup(val);
			} else if (!strcmp(kw, "fallback")) {
				free(fallback);
				fallback = dl_strdup(val);
			} else if (!strcmp(kw, "timeout")) {
				long t = strtol(val, NULL, 10);
				cfg->timeout = t < 0 || t > 1000000 ? -1 : (int)t;
			} else if (!strcmp(kw, "root") || !strcmp(kw, "rootnoverify")) {
				/* a global root applies to the entries that follow */
				free(root);
				root = conv_dev(val, strcspn(val, " \t"));
			}
			/* hiddenmenu, splashimage, password, color, serial, terminal, ... */
		} else if (!strcmp(kw, "root") || !strcmp(kw, "rootnoverify")) {
			free(root);
			root = conv_dev(val, strcspn(val, " \t"));
			free(e->root);
			e->root = dl_strdup(root);
		} else if (!strcmp(kw, "kernel")) {
			char *v = val;
			while (!strncmp(v, "--", 2)) {
				v += strcspn(v, " \t");
				v = (char *)skip_ws(v);
			}
			size_t pn = strcspn(v, " \t");
			char *path = dl_strndup(v, pn);
			if (*path) {
				set_legacy_path(&e->kernel, path, root, self);
				free(e->args);
				e->args = dl_strdup(skip_ws(v + pn));
				e->kind = e->nmodules ? DL_ENTRY_MULTIBOOT : DL_ENTRY_LINUX;
				if (root && !e->root)
					e->root = dl_strdup(root);
			}
			free(path);
		} else if (!strcmp(kw, "initrd")) {
			size_t pn = strcspn(val, " \t");
			char *path = dl_strndup(val, pn);
			if (*path) {
				for (size_t k = 0; k < e->ninitrds; k++)
					dl_path_free(&e->initrds[k]);
				e->ninitrds = 0;
				e->initrds = dl_reallocarray(e->initrds, 1, sizeof(*e->initrds));
				memset(e->initrds, 0, sizeof(*e->initrds));
				set_legacy_path(&e->initrds[0], path, root, self);
				e->ninitrds = 1;
			}
			free(path);
		} else if (!strcmp(kw, "module") || !strcmp(kw, "modulenounzip")) {
			size_t pn = strcspn(val, " \t");
			char *path = dl_strndup(val, pn);
			if (*path && e->nmodules < 64) {
				struct dl_boot_path tmp = {0};
				set_legacy_path(&tmp, path, root, self);
				dl_entry_add_module(e, tmp.dev, tmp.path, skip_ws(val + pn), NULL, NULL);
				dl_path_free(&tmp);
				if (e->kernel.path)
					e->kind = DL_ENTRY_MULTIBOOT;
			}
			free(path);
		} else if (!strcmp(kw, "chainloader")) {
			e->kind = DL_ENTRY_OTHER;
		}
		/* savedefault, makeactive, map, lock, boot, ... ignored */
		free(l);
	}
	if (rc == 0 && cfg->nentries) {
		long d = 0;
		if (def && !strcmp(def, "saved")) {
			/* GRUB legacy keeps the saved entry in <dir>/default */
			char *dir = dl_dirname(name), *path = dl_asprintf("%s/default", dir);
			char *b;
			size_t bl;
			struct dl_error lerr = {0};
			if (dl_io_read(io, NULL, path, &b, &bl, &lerr) == 0) {
				char *t = dl_strndup(b, DL_MIN(bl, 32));
				d = isdigit((unsigned char)t[0]) ? strtol(t, NULL, 10) : 0;
				free(t);
				free(b);
			}
			free(dir);
			free(path);
			cfg->default_spec = dl_strdup("saved");
		} else if (def) {
			d = isdigit((unsigned char)def[0]) ? strtol(def, NULL, 10) : 0;
			cfg->default_spec = dl_strdup(def);
		}
		if (d < 0 || (size_t)d >= cfg->nentries) {
			dl_warn("%s: default %ld out of range, using the first entry", name, d);
			d = 0;
		}
		cfg->def = (int)d;
		if (fallback && isdigit((unsigned char)fallback[0])) {
			long f = strtol(fallback, NULL, 10);
			if (f >= 0 && (size_t)f < cfg->nentries)
				cfg->fallback = (int)f;
		}
	}
	free(def);
	free(fallback);
	free(root);
	if (rc < 0)
		dl_boot_config_free(cfg);
	return rc;
}

static const char *const legacy_aliases[] = {"legacy", NULL};
static const char *const legacy_globs[] = {"menu.lst", "grub.conf", NULL};

const struct dl_boot_parser dl_legacy_parser = {
	.name = "grub-legacy",
	.aliases = legacy_aliases,
	.globs = legacy_globs,
	.parse = legacy_parse,
};
