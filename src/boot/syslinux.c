/* syslinux / extlinux / isolinux configuration (syslinux doc/syslinux.txt,
 * doc/menu.txt).  Keywords are case-insensitive.  Relative file names are
 * resolved from the configuration file's directory, which is syslinux's
 * working directory (pygrub resolves them from the root: a documented
 * pygrub bug, pygrub.md §3.4).  INCLUDE nests up to DL_BOOT_MAX_DEPTH;
 * CONFIG restarts with another file; MENU BEGIN/END make submenus. */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "boot/internal.h"

#define SL_MAX_LINE 4096

struct label {
	char *name, *title, *kernel, *append, *initrd;
	bool menu_default, localboot, is_menu;
	int parent, depth, line;
};

struct sl {
	const struct dl_boot_io *io;
	struct dl_error *err;
	char *cwd;
	struct label *labels;
	size_t n, cap;
	char *def, *global_append, *ui;
	int timeout;
	int parent, depth;      /* current MENU BEGIN */
	int depth_inc;          /* INCLUDE nesting */
	char *config;           /* CONFIG target, restart */
	char *config_dir;
	int files;
};

static void labels_free(struct sl *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->labels[i].name);
		free(s->labels[i].title);
		free(s->labels[i].kernel);
		free(s->labels[i].append);
		free(s->labels[i].initrd);
	}
	free(s->labels);
	s->labels = NULL;
	s->n = s->cap = 0;
	free(s->def);
	free(s->global_append);
	free(s->ui);
	s->def = s->global_append = s->ui = NULL;
	s->parent = -1;
	s->depth = 0;
}

static void setv(char **d, const char *v)
{
	free(*d);
	*d = dl_strdup(v);
}

static int parse_buf(struct sl *s, const char *name, const char *buf, size_t len);

static int do_include(struct sl *s, const char *name, int line, const char *file)
{
	if (s->depth_inc >= DL_BOOT_MAX_DEPTH)
		return dl_fail(s->err, DL_ELIMIT, "%s:%d: INCLUDE nested deeper than %d (a loop?)", name,
			       line, DL_BOOT_MAX_DEPTH);
	if (++s->files > 256)
		return dl_fail(s->err, DL_ELIMIT, "%s:%d: more than 256 files included", name, line);
	char *path = dl_path_norm(s->cwd, file);
	char *buf;
	size_t len;
	struct dl_error lerr = {0};
	int r = dl_io_read(s->io, NULL, path, &buf, &len, &lerr);
	if (r != 0) {
		dl_warn("%s:%d: INCLUDE %s: %s", name, line, path,
			r > 0 ? "no such file" : lerr.msg);
		free(path);
		return 0;
	}
	s->depth_inc++;
	r = parse_buf(s, path, buf, len);
	s->depth_inc--;
	free(buf);
	free(path);
	return r;
}

static bool kw_is(const char *kw, const char *x)
{
	return strcasecmp(kw, x) == 0;
}

static int parse_buf(struct sl *s, const char *name, const char *buf, size_t len)
{
	struct label *cur = NULL;
	bool in_text = false;
	size_t i = 0;
	int line = 0;
	while (i < len && !s->config) {
		size_t st;
		line++;
		size_t n = dl_next_line(buf, len, &i, &st);
		if (n > SL_MAX_LINE)
			return dl_fail(s->err, DL_ELIMIT, "%s:%d: line longer than %d bytes", name, line,
				       SL_MAX_LINE);
		char *l = dl_strndup(buf + st, n);
		char *p = l;
		while (isspace((unsigned char)*p))
			p++;
		size_t pl = strlen(p);
		while (pl && isspace((unsigned char)p[pl - 1]))
			p[--pl] = '\0';
		char *kw = p, *val = p + strcspn(p, " \t");
		if (*val)
			*val++ = '\0';
		while (isspace((unsigned char)*val))
			val++;
		/* values may be quoted (pygrub strips surrounding quotes) */
		size_t vl = strlen(val);
		if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
			val[vl - 1] = '\0';
			val++;
		}
		int r = 0;
		if (in_text) {
			if (kw_is(kw, "ENDTEXT"))
				in_text = false;
		} else if (!*kw || *kw == '#') {
			/* comment */
		} else if (kw_is(kw, "LABEL")) {
			if (s->n >= DL_BOOT_MAX_ENTRIES) {
				free(l);
				return dl_fail(s->err, DL_ELIMIT, "%s:%d: more than %u labels", name, line,
					       DL_BOOT_MAX_ENTRIES);
			}
			cur = dl_array_push(&s->labels, &s->n, &s->cap, sizeof(*cur));
			cur->name = dl_strdup(val);
			cur->parent = s->parent;
			cur->depth = s->depth;
			cur->line = line;
		} else if (kw_is(kw, "MENU")) {
			char *sub = val, *sv = val + strcspn(val, " \t");
			if (*sv)
				*sv++ = '\0';
			while (isspace((unsigned char)*sv))
				sv++;
			if (kw_is(sub, "LABEL") && cur && !cur->is_menu)
				setv(&cur->title, sv);
			else if (kw_is(sub, "DEFAULT") && cur)
				cur->menu_default = true;
			else if (kw_is(sub, "BEGIN")) {
				if (s->depth >= 32 || s->n >= DL_BOOT_MAX_ENTRIES) {
					free(l);
					return dl_fail(s->err, DL_ELIMIT, "%s:%d: too many menus", name, line);
				}
				struct label *m = dl_array_push(&s->labels, &s->n, &s->cap, sizeof(*m));
				m->is_menu = true;
				m->name = dl_strdup(sv);
				m->parent = s->parent;
				m->depth = s->depth;
				m->line = line;
				s->parent = (int)(s->n - 1);
				s->depth++;
				cur = NULL;
			} else if (kw_is(sub, "TITLE") && s->parent >= 0 && !cur) {
				setv(&s->labels[s->parent].title, sv);
			} else if (kw_is(sub, "END")) {
				if (s->parent >= 0) {
					s->parent = s->labels[s->parent].parent;
					s->depth--;
				}
				cur = NULL;
			} else if (kw_is(sub, "INCLUDE")) {
				char *f = sv, *e = sv + strcspn(sv, " \t");
				*e = '\0';
				r = do_include(s, name, line, f);
			}
		} else if (kw_is(kw, "TEXT")) {
			in_text = true;
		} else if (kw_is(kw, "INCLUDE")) {
			char *e = val + strcspn(val, " \t");
			*e = '\0';
			r = do_include(s, name, line, val);
		} else if (kw_is(kw, "CONFIG") && !cur) {
			char *f = val, *d = val + strcspn(val, " \t");
			if (*d)
				*d++ = '\0';
			while (isspace((unsigned char)*d))
				d++;
			s->config = dl_path_norm(s->cwd, f);
			s->config_dir = *d ? dl_path_norm(s->cwd, d) : NULL;
		} else if (kw_is(kw, "DEFAULT")) {
			setv(&s->def, val);
		} else if (kw_is(kw, "UI")) {
			setv(&s->ui, val);
		} else if (kw_is(kw, "TIMEOUT")) {
			long t = strtol(val, NULL, 10);
			/* tenths of a second; clamp before rounding (fuzzer: LONG_MAX + 9) */
			s->timeout = t <= 0 ? 0 : t >= 10000000 ? 1000000 : (int)((t + 9) / 10);
		} else if (kw_is(kw, "KERNEL") || kw_is(kw, "LINUX") || kw_is(kw, "BOOT") ||
			   kw_is(kw, "BSS") || kw_is(kw, "PXE") || kw_is(kw, "FDIMAGE") ||
			   kw_is(kw, "COMBOOT") || kw_is(kw, "COM32") || (kw_is(kw, "CONFIG") && cur)) {
			if (cur) {
				setv(&cur->kernel, val);
				if (!kw_is(kw, "KERNEL") && !kw_is(kw, "LINUX"))
					cur->localboot = true;
			}
		} else if (kw_is(kw, "APPEND")) {
			setv(cur ? &cur->append : &s->global_append, val);
		} else if (kw_is(kw, "INITRD")) {
			if (cur)
				setv(&cur->initrd, val);
		} else if (kw_is(kw, "LOCALBOOT")) {
			if (cur)
				cur->localboot = true;
		}
		/* PROMPT SERIAL SAY DISPLAY F1.. IPAPPEND SYSAPPEND FDT ... ignored */
		free(l);
		if (r < 0)
			return -1;
	}
	return 0;
}

static bool ends_with_ci(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcasecmp(s + a - b, suf) == 0;
}

static void add_initrds(struct dl_boot_entry *e, const char *list, const char *cwd, const char *self)
{
	char *copy = dl_strdup(list), *save = NULL;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (*t && e->ninitrds < 64)
			dl_entry_add_initrd(e, NULL, t, cwd, self);
	free(copy);
}

/* APPEND: initrd=a,b tokens move to the initrd list; "-" means none */
static char *split_append(const char *append, char **initrd)
{
	struct dl_sbuf sb = {0};
	*initrd = NULL;
	if (!append || !strcmp(append, "-"))
		return dl_strdup("");
	char *copy = dl_strdup(append), *save = NULL;
	for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (!strncmp(t, "initrd=", 7)) {
			free(*initrd);
			*initrd = dl_strdup(t + 7);
			continue;
		}
		if (sb.len)
			dl_sbuf_addc(&sb, ' ');
		dl_sbuf_add(&sb, t, strlen(t));
	}
	free(copy);
	return dl_sbuf_take(&sb);
}

static char *trim_dup(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return dl_strndup(s, n);
}

/* mboot.c32: "xen.gz args --- vmlinuz args --- initrd" (pygrub's reading:
 * 3+ parts take kernel and initrd(s) from parts 2 and 3.., 2 parts from
 * parts 1 and 2) */
static void mboot_entry(struct dl_boot_entry *e, const char *append, const char *cwd,
			const char *self)
{
	char *parts[16];
	int np = 0;
	const char *p = append ? append : "";
	for (;;) {
		const char *sep = strstr(p, "---");
		if (!sep || np == 15) {
			parts[np++] = trim_dup(p, strlen(p));
			break;
		}
		parts[np++] = trim_dup(p, (size_t)(sep - p));
		p = sep + 3;
	}
	int k = np >= 3 ? 1 : np == 2 ? 0 : -1;
	if (k >= 0 && *parts[k]) {
		size_t kn = strcspn(parts[k], " \t");
		char *kp = dl_strndup(parts[k], kn);
		dl_path_set(&e->kernel, NULL, kp, cwd, self);
		free(kp);
		const char *a = parts[k] + kn;
		while (isspace((unsigned char)*a))
			a++;
		e->args = dl_strdup(a);
		for (int j = k + 1; j < np; j++) {
			size_t in = strcspn(parts[j], " \t");
			char *ip = dl_strndup(parts[j], in);
			if (*ip)
				dl_entry_add_initrd(e, NULL, ip, cwd, self);
			free(ip);
		}
		e->kind = DL_ENTRY_LINUX;
	}
	for (int j = 0; j < np; j++)
		free(parts[j]);
}

static int build(struct sl *s, const char *name, struct dl_boot_config *cfg, const char *self)
{
	int mdef = -1, ldef = -1;
	for (size_t i = 0; i < s->n; i++) {
		struct label *L = &s->labels[i];
		struct dl_boot_entry *e = dl_cfg_add_entry(cfg, name, L->line, s->err);
		if (!e)
			return -1;
		e->id = dl_strdup(L->name);
		e->title = dl_strdup(L->title ? L->title : L->name);
		e->parent = L->parent;
		e->depth = L->depth;
		if (L->is_menu) {
			e->submenu = true;
			continue;
		}
		if (L->menu_default && mdef < 0)
			mdef = (int)i;
		if (ldef < 0 && s->def && !strcmp(s->def, L->name))
			ldef = (int)i;
		if (!L->kernel || L->localboot)
			continue;
		size_t kn = strcspn(L->kernel, " \t");
		char *kpath = dl_strndup(L->kernel, kn);
		const char *kargs = L->kernel + kn;
		while (isspace((unsigned char)*kargs))
			kargs++;
		const char *append = L->append ? L->append : s->global_append;
		const char *base = strrchr(kpath, '/');
		base = base ? base + 1 : kpath;
		if (!strcasecmp(base, "mboot.c32")) {
			mboot_entry(e, append, s->cwd, self);
		} else if (ends_with_ci(kpath, ".c32") || ends_with_ci(kpath, ".com") ||
			   ends_with_ci(kpath, ".cbt") || ends_with_ci(kpath, ".bss") ||
			   ends_with_ci(kpath, ".bs") || ends_with_ci(kpath, ".0") ||
			   ends_with_ci(kpath, ".bin") || ends_with_ci(kpath, ".img")) {
			e->kind = DL_ENTRY_OTHER;
		} else if (*kpath) {
			char *initrd;
			char *args = split_append(append, &initrd);
			dl_path_set(&e->kernel, NULL, kpath, s->cwd, self);
			if (*kargs && *args)
				e->args = dl_asprintf("%s %s", kargs, args);
			else
				e->args = dl_strdup(*kargs ? kargs : args);
			free(args);
			/* initrd= in APPEND wins over INITRD, as in syslinux */
			if (initrd)
				add_initrds(e, initrd, s->cwd, self);
			else if (L->initrd)
				add_initrds(e, L->initrd, s->cwd, self);
			free(initrd);
			e->kind = DL_ENTRY_LINUX;
		}
		free(kpath);
	}
	/* DEFAULT naming no label is a command line ("DEFAULT vmlinuz ro") */
	if (ldef < 0 && s->def && *s->def && !ends_with_ci(s->def, ".c32")) {
		size_t kn = strcspn(s->def, " \t");
		bool label_like = false;
		for (size_t i = 0; i < s->n; i++)
			label_like |= s->labels[i].name && !strcasecmp(s->labels[i].name, s->def);
		if (!label_like) {
			struct dl_boot_entry *e = dl_cfg_add_entry(cfg, name, 0, s->err);
			if (!e)
				return -1;
			char *kpath = dl_strndup(s->def, kn);
			e->title = dl_strdup(s->def);
			e->id = dl_strdup(kpath);
			dl_path_set(&e->kernel, NULL, kpath, s->cwd, self);
			char *initrd, *args = split_append(s->global_append, &initrd);
			const char *da = s->def + kn;
			while (isspace((unsigned char)*da))
				da++;
			e->args = *da && *args ? dl_asprintf("%s %s", da, args) : dl_strdup(*da ? da : args);
			if (initrd)
				add_initrds(e, initrd, s->cwd, self);
			free(initrd);
			free(args);
			free(kpath);
			e->kind = DL_ENTRY_LINUX;
			ldef = (int)cfg->nentries - 1;
		}
	}
	/* a menu (UI/DEFAULT *.c32) uses MENU DEFAULT; else DEFAULT's label */
	cfg->def = mdef >= 0 ? mdef : ldef >= 0 ? ldef : dl_cfg_first_leaf(cfg, cfg->nentries ? 0 : -1);
	if (s->def)
		cfg->default_spec = dl_strdup(s->def);
	cfg->timeout = s->timeout;
	return 0;
}

static int syslinux_parse(const char *name, const char *buf, size_t len,
			  const struct dl_boot_io *io, struct dl_boot_config *cfg,
			  struct dl_error *err)
{
	struct sl s = {.io = io, .err = err, .parent = -1, .timeout = -1};
	const char *self = io ? io->self_dev : NULL;
	dl_cfg_init(cfg, dl_syslinux_parser.name, name);
	s.cwd = dl_dirname(name);
	int r = parse_buf(&s, name, buf, len);
	char *cur_name = NULL;
	int hops = 0;
	while (r == 0 && s.config) {
		/* CONFIG: start over with another file */
		if (++hops > DL_BOOT_MAX_DEPTH) {
			r = dl_fail(err, DL_ELIMIT, "%s: CONFIG chained more than %d times (a loop?)", name,
				    DL_BOOT_MAX_DEPTH);
			break;
		}
		labels_free(&s);
		free(cur_name);
		cur_name = s.config;
		s.config = NULL;
		free(s.cwd);
		s.cwd = s.config_dir ? s.config_dir : dl_dirname(cur_name);
		s.config_dir = NULL;
		char *b;
		size_t l;
		struct dl_error lerr = {0};
		r = dl_io_read(io, NULL, cur_name, &b, &l, &lerr);
		if (r != 0) {
			r = dl_fail(err, DL_ENOTFOUND, "%s: CONFIG %s: %s", name, cur_name,
				    r > 0 ? "no such file" : lerr.msg);
			break;
		}
		free(cfg->path);
		cfg->path = dl_strdup(cur_name);
		r = parse_buf(&s, cur_name, b, l);
		free(b);
	}
	if (r == 0)
		r = build(&s, cfg->path, cfg, self);
	labels_free(&s);
	free(s.cwd);
	free(s.config);
	free(s.config_dir);
	free(cur_name);
	if (r < 0)
		dl_boot_config_free(cfg);
	return r;
}

static const char *const syslinux_aliases[] = {"syslinux", "isolinux", NULL};
/* extlinux.conf, syslinux.cfg, isolinux.cfg, pxelinux.cfg... */
static const char *const syslinux_globs[] = {"*linux.c*", NULL};

const struct dl_boot_parser dl_syslinux_parser = {
	.name = "extlinux",
	.aliases = syslinux_aliases,
	.globs = syslinux_globs,
	.parse = syslinux_parse,
};
