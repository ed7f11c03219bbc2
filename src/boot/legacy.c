/* GRUB legacy menu.lst / grub.conf (GRUB 0.97 stage2/cmdline.c commands).
 * Devices "(hd0,0)" are 0-based in legacy; they are stored as GRUB 2's
 * 1-based "hd0,1" (see boot.h).  Hand-written: GRUB 0.97 has no parser
 * library, and its commands run as they are read (stage2/cmdline.c). */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "boot/internal.h"

#define LEGACY_MAX_LINE 4096

struct legacy {
	const char *name;             /* the file, for messages */
	const char *self;             /* io->self_dev */
	struct dl_boot_config *cfg;
	struct dl_boot_entry *e;      /* the entry being read; NULL before the first title */
	char *def, *fallback;         /* global default / fallback as written */
	char *root;                   /* root in effect: global, then the entry's own */
	int line;
	struct dl_error *err;
};

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
	_cleanup_free_ char *dev = NULL;
	const char *path = spec;
	if (spec[0] == '(') {
		const char *e = strchr(spec, ')');
		if (e) {
			dev = conv_dev(spec, (size_t)(e - spec + 1));
			path = e + 1;
		}
	}
	dl_path_set(p, dev ? dev : root, path, NULL, self);
}

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = dl_strdup(v);
}

/* ---- commands: val is the rest of the line, blanks trimmed ---- */

static int cmd_title(struct legacy *l, const char *val)
{
	l->e = dl_cfg_add_entry(l->cfg, l->name, l->line, l->err);
	if (!l->e)
		return -E2BIG;
	l->e->title = dl_strdup(val);
	l->e->kind = DL_ENTRY_OTHER;
	free(l->root);
	l->root = NULL;
	return 0;
}

static int cmd_default(struct legacy *l, const char *val)
{
	set_str(&l->def, val);
	return 0;
}

static int cmd_fallback(struct legacy *l, const char *val)
{
	set_str(&l->fallback, val);
	return 0;
}

static int cmd_timeout(struct legacy *l, const char *val)
{
	long t = strtol(val, NULL, 10);
	l->cfg->timeout = t < 0 || t > 1000000 ? -1 : (int)t;
	return 0;
}

static int cmd_hiddenmenu(struct legacy *l, const char *val)
{
	(void)val;
	l->cfg->timeout_style = DL_TIMEOUT_HIDDEN;
	return 0;
}

/* password before the first title: editing needs it (an entry's own
 * password only guards booting that entry, which is not ours to ask) */
static int cmd_password(struct legacy *l, const char *val)
{
	(void)val;
	if (!l->e)
		l->cfg->locked = true;
	return 0;
}

/* root before the first title applies to the entries that follow it */
static int cmd_root(struct legacy *l, const char *val)
{
	free(l->root);
	l->root = conv_dev(val, strcspn(val, " \t"));
	if (l->e)
		set_str(&l->e->root, l->root);
	return 0;
}

static int cmd_kernel(struct legacy *l, const char *val)
{
	struct dl_boot_entry *e = l->e;
	const char *v = val;
	while (!strncmp(v, "--", 2))   /* --type=netbsd, --no-mem-option */
		v = skip_ws(v + strcspn(v, " \t"));
	size_t pn = strcspn(v, " \t");
	if (!pn)
		return 0;
	_cleanup_free_ char *path = dl_strndup(v, pn);
	set_legacy_path(&e->kernel, path, l->root, l->self);
	set_str(&e->args, skip_ws(v + pn));
	e->kind = e->nmodules ? DL_ENTRY_MULTIBOOT : DL_ENTRY_LINUX;
	if (l->root && !e->root)
		e->root = dl_strdup(l->root);
	return 0;
}

/* one initrd: a later initrd line replaces the earlier one */
static int cmd_initrd(struct legacy *l, const char *val)
{
	struct dl_boot_entry *e = l->e;
	size_t pn = strcspn(val, " \t");
	if (!pn)
		return 0;
	_cleanup_free_ char *path = dl_strndup(val, pn);
	for (size_t k = 0; k < e->ninitrds; k++)
		dl_path_free(&e->initrds[k]);
	e->ninitrds = 0;
	e->initrds = dl_reallocarray(e->initrds, 1, sizeof(*e->initrds));
	memset(e->initrds, 0, sizeof(*e->initrds));
	set_legacy_path(&e->initrds[0], path, l->root, l->self);
	e->ninitrds = 1;
	return 0;
}

/* module after kernel: a multiboot (Xen) entry */
static int cmd_module(struct legacy *l, const char *val)
{
	struct dl_boot_entry *e = l->e;
	size_t pn = strcspn(val, " \t");
	if (!pn)
		return 0;
	if (e->nmodules >= DL_BOOT_MAX_INITRDS)
		return dl_fail(l->err, DL_ELIMIT, "%s:%d: more than %d modules in one entry", l->name, l->line,
			       DL_BOOT_MAX_INITRDS);
	_cleanup_free_ char *path = dl_strndup(val, pn);
	struct dl_boot_path tmp = {0};
	set_legacy_path(&tmp, path, l->root, l->self);
	dl_entry_add_module(e, tmp.dev, tmp.path, skip_ws(val + pn), NULL, NULL);
	dl_path_free(&tmp);
	if (e->kernel.path)
		e->kind = DL_ENTRY_MULTIBOOT;
	return 0;
}

static int cmd_chainloader(struct legacy *l, const char *val)
{
	(void)val;
	l->e->kind = DL_ENTRY_OTHER;
	return 0;
}

/* Where a command counts: before the first title (the menu's settings),
 * inside an entry, or both.  Everything else (splashimage,
 * color, serial, savedefault, makeactive, map, lock, boot...)
 * does not change what boots. */
enum { GLOBAL = 1, ENTRY = 2 };

static const struct command {
	const char *name;
	int where;
	int (*fn)(struct legacy *l, const char *val);
} commands[] = {
	{"title", GLOBAL | ENTRY, cmd_title},
	{"default", GLOBAL, cmd_default},
	{"fallback", GLOBAL, cmd_fallback},
	{"timeout", GLOBAL, cmd_timeout},
	{"hiddenmenu", GLOBAL, cmd_hiddenmenu},
	{"password", GLOBAL, cmd_password},
	{"root", GLOBAL | ENTRY, cmd_root},
	{"rootnoverify", GLOBAL | ENTRY, cmd_root},
	{"kernel", ENTRY, cmd_kernel},
	{"initrd", ENTRY, cmd_initrd},
	{"module", ENTRY, cmd_module},
	{"modulenounzip", ENTRY, cmd_module},
	{"chainloader", ENTRY, cmd_chainloader},
};

/* One line: "keyword value" or "keyword=value" ('=' before the first blank). */
static int parse_line(struct legacy *l, char *p)
{
	size_t pl = strlen(p);
	while (pl && isspace((unsigned char)p[pl - 1]))
		p[--pl] = '\0';
	if (!*p || *p == '#')
		return 0;
	size_t kl = strcspn(p, " \t=");
	const char *val = p + kl;
	if (*val == '=' || *val == ' ' || *val == '\t') {
		p[kl] = '\0';
		val = skip_ws(val + 1);
		if (*val == '=')
			val = skip_ws(val + 1);
	}
	int here = l->e ? ENTRY : GLOBAL;
	for (size_t i = 0; i < DL_ARRAY_SIZE(commands); i++)
		if ((commands[i].where & here) && !strcmp(p, commands[i].name))
			return commands[i].fn(l, val);
	return 0;
}

/* The index a default/fallback names: a number, or GRUB legacy's "saved",
 * kept in <dir>/default (savedefault writes it). */
static long saved_default(struct legacy *l, const struct dl_boot_io *io)
{
	_cleanup_free_ char *dir = dl_dirname(l->name);
	_cleanup_free_ char *path = dl_asprintf("%s/default", dir);
	_cleanup_free_ char *b = NULL;
	size_t bl;
	struct dl_error lerr = {0};
	if (dl_io_read(io, NULL, path, &b, &bl, &lerr) != 0)
		return 0;
	_cleanup_free_ char *t = dl_strndup(b, DL_MIN(bl, 32));
	return isdigit((unsigned char)t[0]) ? strtol(t, NULL, 10) : 0;
}

static void set_defaults(struct legacy *l, const struct dl_boot_io *io)
{
	struct dl_boot_config *cfg = l->cfg;
	long d = 0;
	if (!cfg->nentries)
		return;
	if (l->def && !strcmp(l->def, "saved")) {
		d = saved_default(l, io);
		cfg->default_spec = dl_strdup("saved");
	} else if (l->def) {
		d = isdigit((unsigned char)l->def[0]) ? strtol(l->def, NULL, 10) : 0;
		cfg->default_spec = dl_strdup(l->def);
	}
	if (d < 0 || (size_t)d >= cfg->nentries) {
		dl_warn("%s: default %ld out of range, using the first entry", l->name, d);
		d = 0;
	}
	cfg->def = (int)d;
	/* "fallback NUM...": fallback_func in GRUB 0.97 stage2/builtins.c
	 * reads numbers up to the first that is not one, repeats dropped, at
	 * most MAX_FALLBACK_ENTRIES (8) */
	for (const char *f = l->fallback; f && cfg->nfallbacks < 8;) {
		f += strspn(f, " \t");
		if (!isdigit((unsigned char)*f))
			break;
		char *end;
		long n = strtol(f, &end, 10);
		if (n >= 0 && (size_t)n < cfg->nentries)
			dl_cfg_add_fallback(cfg, (int)n);
		f = end;
	}
}

static int legacy_parse(const char *name, const char *buf, size_t len,
			const struct dl_boot_io *io, struct dl_boot_config *cfg,
			struct dl_error *err)
{
	struct legacy l = {.name = name, .self = io ? io->self_dev : NULL, .cfg = cfg, .err = err};
	int r = 0;
	dl_cfg_init(cfg, dl_legacy_parser.name, name);
	for (size_t i = 0; i < len && r == 0;) {
		size_t s, n = dl_next_line(buf, len, &i, &s);
		l.line++;
		if (n > LEGACY_MAX_LINE) {
			r = dl_fail(err, DL_ELIMIT, "%s:%d: line longer than %d bytes", name, l.line,
				    LEGACY_MAX_LINE);
			break;
		}
		_cleanup_free_ char *line = dl_strndup(buf + s, n);
		r = parse_line(&l, (char *)skip_ws(line));
	}
	if (r == 0)
		set_defaults(&l, io);
	free(l.def);
	free(l.fallback);
	free(l.root);
	if (r < 0)
		dl_boot_config_free(cfg);
	return r;
}

static const char *const legacy_aliases[] = {"legacy", NULL};
static const char *const legacy_globs[] = {"menu.lst", "grub.conf", NULL};

const struct dl_boot_parser dl_legacy_parser = {
	.name = "grub-legacy",
	.aliases = legacy_aliases,
	.globs = legacy_globs,
	.parse = legacy_parse,
};
