/* syslinux / extlinux / isolinux configuration (syslinux doc/syslinux.txt,
 * doc/menu.txt).  Keywords are case-insensitive.  Relative file names are
 * resolved from the configuration file's directory, which is syslinux's
 * working directory (pygrub opens them from the root: "KERNEL vmlinuz" in
 * /boot/extlinux.conf boots /vmlinuz).  INCLUDE nests up to
 * DL_BOOT_MAX_DEPTH; CONFIG restarts with another file; MENU BEGIN/END make
 * submenus.  Hand-written: syslinux reads its configuration in its own
 * boot-time code (com32/elflink/ldlinux/readconfig.c), not a library. */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "boot/internal.h"

#define SL_MAX_LINE 4096
#define SL_MAX_FILES 256   /* INCLUDEs read per parse */
#define SL_MAX_MENUS 32    /* MENU BEGIN nesting */

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

/* The file being read: INCLUDE reads another with its own state. */
struct sl_file {
	struct sl *s;
	const char *name;
	int line;
	struct label *cur;      /* the LABEL being read, NULL outside one */
	bool in_text;           /* between TEXT HELP and ENDTEXT */
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

/* Split "word rest" in place: returns rest, blanks skipped; word ends at a NUL. */
static char *split_word(char *s)
{
	char *rest = s + strcspn(s, " \t");
	if (*rest)
		*rest++ = '\0';
	while (isspace((unsigned char)*rest))
		rest++;
	return rest;
}

static struct label *new_label(struct sl_file *f, const char *name)
{
	struct sl *s = f->s;
	struct label *l = dl_array_push(&s->labels, &s->n, &s->cap, sizeof(*l));
	l->name = dl_strdup(name);
	l->parent = s->parent;
	l->depth = s->depth;
	l->line = f->line;
	return l;
}

static int parse_buf(struct sl *s, const char *name, const char *buf, size_t len);

static int do_include(struct sl_file *f, const char *file)
{
	struct sl *s = f->s;
	if (s->depth_inc >= DL_BOOT_MAX_DEPTH)
		return dl_fail(s->err, DL_ELIMIT, "%s:%d: INCLUDE nested deeper than %d (a loop?)",
			       f->name, f->line, DL_BOOT_MAX_DEPTH);
	if (++s->files > SL_MAX_FILES)
		return dl_fail(s->err, DL_ELIMIT, "%s:%d: more than %d files included", f->name,
			       f->line, SL_MAX_FILES);
	_cleanup_free_ char *path = dl_path_norm(s->cwd, file);
	_cleanup_free_ char *buf = NULL;
	size_t len;
	struct dl_error lerr = {0};
	int r = dl_io_read(s->io, NULL, path, &buf, &len, &lerr);
	if (r != 0) {
		dl_warn("%s:%d: INCLUDE %s: %s", f->name, f->line, path,
			r > 0 ? "no such file" : lerr.msg);
		return 0;
	}
	s->depth_inc++;
	r = parse_buf(s, path, buf, len);
	s->depth_inc--;
	return r;
}

/* ---- MENU subcommands (doc/menu.txt) ---- */

static int menu_label(struct sl_file *f, char *v)
{
	if (f->cur && !f->cur->is_menu)
		setv(&f->cur->title, v);
	return 0;
}

static int menu_default(struct sl_file *f, char *v)
{
	(void)v;
	if (f->cur)
		f->cur->menu_default = true;
	return 0;
}

static int menu_begin(struct sl_file *f, char *v)
{
	struct sl *s = f->s;
	if (s->depth >= SL_MAX_MENUS || s->n >= DL_BOOT_MAX_ENTRIES)
		return dl_fail(s->err, DL_ELIMIT, "%s:%d: too many menus", f->name, f->line);
	new_label(f, v)->is_menu = true;
	s->parent = (int)(s->n - 1);
	s->depth++;
	f->cur = NULL;
	return 0;
}

static int menu_title(struct sl_file *f, char *v)
{
	if (f->s->parent >= 0 && !f->cur)
		setv(&f->s->labels[f->s->parent].title, v);
	return 0;
}

static int menu_end(struct sl_file *f, char *v)
{
	struct sl *s = f->s;
	(void)v;
	if (s->parent >= 0) {
		s->parent = s->labels[s->parent].parent;
		s->depth--;
	}
	f->cur = NULL;
	return 0;
}

static int menu_include(struct sl_file *f, char *v)
{
	split_word(v);
	return do_include(f, v);
}

struct command {
	const char *name;
	int (*fn)(struct sl_file *f, char *val);
};

static const struct command menu_commands[] = {
	{"LABEL", menu_label}, {"DEFAULT", menu_default}, {"BEGIN", menu_begin},
	{"TITLE", menu_title}, {"END", menu_end},         {"INCLUDE", menu_include},
};

static int run(const struct command *t, size_t n, struct sl_file *f, const char *kw, char *val)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(kw, t[i].name) == 0)
			return t[i].fn(f, val);
	return 0;   /* PROMPT SERIAL SAY DISPLAY F1.. IPAPPEND SYSAPPEND FDT ... */
}

/* ---- commands (doc/syslinux.txt) ---- */

static int cmd_label(struct sl_file *f, char *v)
{
	if (f->s->n >= DL_BOOT_MAX_ENTRIES)
		return dl_fail(f->s->err, DL_ELIMIT, "%s:%d: more than %u labels", f->name, f->line,
			       DL_BOOT_MAX_ENTRIES);
	f->cur = new_label(f, v);
	return 0;
}

static int cmd_menu(struct sl_file *f, char *v)
{
	char *sv = split_word(v);
	return run(menu_commands, DL_ARRAY_SIZE(menu_commands), f, v, sv);
}

static int cmd_text(struct sl_file *f, char *v)
{
	(void)v;
	f->in_text = true;
	return 0;
}

static int cmd_include(struct sl_file *f, char *v)
{
	v[strcspn(v, " \t")] = '\0';
	return do_include(f, v);
}

/* KERNEL and LINUX: a Linux kernel (or a .c32 module, told by its name) */
static int cmd_kernel(struct sl_file *f, char *v)
{
	if (f->cur)
		setv(&f->cur->kernel, v);
	return 0;
}

/* BOOT, BSS, PXE, FDIMAGE, COMBOOT, COM32: an image that is not Linux */
static int cmd_other_image(struct sl_file *f, char *v)
{
	if (f->cur) {
		setv(&f->cur->kernel, v);
		f->cur->localboot = true;
	}
	return 0;
}

/* CONFIG file [dir]: restart with another file; inside a LABEL it is an
 * image kind like COM32 */
static int cmd_config(struct sl_file *f, char *v)
{
	struct sl *s = f->s;
	if (f->cur)
		return cmd_other_image(f, v);
	char *d = split_word(v);
	s->config = dl_path_norm(s->cwd, v);
	s->config_dir = *d ? dl_path_norm(s->cwd, d) : NULL;
	return 0;
}

static int cmd_default(struct sl_file *f, char *v)
{
	setv(&f->s->def, v);
	return 0;
}

static int cmd_ui(struct sl_file *f, char *v)
{
	setv(&f->s->ui, v);
	return 0;
}

static int cmd_timeout(struct sl_file *f, char *v)
{
	long t = strtol(v, NULL, 10);
	/* tenths of a second; clamp before rounding (fuzzer: LONG_MAX + 9) */
	f->s->timeout = t <= 0 ? 0 : t >= 10000000 ? 1000000 : (int)((t + 9) / 10);
	return 0;
}

static int cmd_append(struct sl_file *f, char *v)
{
	setv(f->cur ? &f->cur->append : &f->s->global_append, v);
	return 0;
}

static int cmd_initrd(struct sl_file *f, char *v)
{
	if (f->cur)
		setv(&f->cur->initrd, v);
	return 0;
}

static int cmd_localboot(struct sl_file *f, char *v)
{
	(void)v;
	if (f->cur)
		f->cur->localboot = true;
	return 0;
}

static const struct command commands[] = {
	{"LABEL", cmd_label},        {"MENU", cmd_menu},       {"TEXT", cmd_text},
	{"INCLUDE", cmd_include},    {"CONFIG", cmd_config},   {"DEFAULT", cmd_default},
	{"UI", cmd_ui},              {"TIMEOUT", cmd_timeout}, {"KERNEL", cmd_kernel},
	{"LINUX", cmd_kernel},       {"BOOT", cmd_other_image}, {"BSS", cmd_other_image},
	{"PXE", cmd_other_image},    {"FDIMAGE", cmd_other_image},
	{"COMBOOT", cmd_other_image}, {"COM32", cmd_other_image},
	{"APPEND", cmd_append},      {"INITRD", cmd_initrd},   {"LOCALBOOT", cmd_localboot},
};

/* One line, blanks trimmed: "KEYWORD value", the value's quotes removed. */
static int parse_line(struct sl_file *f, char *p)
{
	size_t pl = strlen(p);
	while (pl && isspace((unsigned char)p[pl - 1]))
		p[--pl] = '\0';
	char *val = split_word(p);
	/* values may be quoted (pygrub strips surrounding quotes) */
	size_t vl = strlen(val);
	if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
		val[vl - 1] = '\0';
		val++;
	}
	if (f->in_text) {
		if (strcasecmp(p, "ENDTEXT") == 0)
			f->in_text = false;
		return 0;
	}
	if (!*p || *p == '#')
		return 0;
	return run(commands, DL_ARRAY_SIZE(commands), f, p, val);
}

static int parse_buf(struct sl *s, const char *name, const char *buf, size_t len)
{
	struct sl_file f = {.s = s, .name = name};
	for (size_t i = 0; i < len && !s->config;) {
		size_t st, n = dl_next_line(buf, len, &i, &st);
		f.line++;
		if (n > SL_MAX_LINE)
			return dl_fail(s->err, DL_ELIMIT, "%s:%d: line longer than %d bytes", name,
				       f.line, SL_MAX_LINE);
		_cleanup_free_ char *l = dl_strndup(buf + st, n);
		char *p = l;
		while (isspace((unsigned char)*p))
			p++;
		int r = parse_line(&f, p);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- from labels to menu entries ---- */

static bool ends_with_ci(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcasecmp(s + a - b, suf) == 0;
}

static void add_initrds(struct dl_boot_entry *e, const char *list, const char *cwd, const char *self)
{
	char *copy = dl_strdup(list), *save = NULL;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (*t)   /* over DL_BOOT_MAX_INITRDS: an error where the entry is used */
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

/* A Linux kernel "path [args]" with APPEND's arguments after its own, and
 * its initrds: initrd= in APPEND wins over INITRD, as in syslinux. */
static void linux_entry(struct dl_boot_entry *e, const char *kernel, const char *append,
			const char *initrd, const char *cwd, const char *self)
{
	size_t kn = strcspn(kernel, " \t");
	_cleanup_free_ char *kpath = dl_strndup(kernel, kn);
	const char *kargs = kernel + kn;
	while (isspace((unsigned char)*kargs))
		kargs++;
	_cleanup_free_ char *append_initrd = NULL;
	_cleanup_free_ char *args = split_append(append, &append_initrd);
	dl_path_set(&e->kernel, NULL, kpath, cwd, self);
	if (*kargs && *args)
		e->args = dl_asprintf("%s %s", kargs, args);
	else
		e->args = dl_strdup(*kargs ? kargs : args);
	if (append_initrd)
		add_initrds(e, append_initrd, cwd, self);
	else if (initrd)
		add_initrds(e, initrd, cwd, self);
	e->kind = DL_ENTRY_LINUX;
}

/* What a label's KERNEL boots: mboot.c32 (Xen), another .c32 module or a
 * boot sector (not Linux), or a Linux kernel. */
static void label_entry(const struct sl *s, const struct label *L, struct dl_boot_entry *e,
			const char *self)
{
	size_t kn = strcspn(L->kernel, " \t");
	_cleanup_free_ char *kpath = dl_strndup(L->kernel, kn);
	const char *append = L->append ? L->append : s->global_append;
	const char *base = strrchr(kpath, '/');
	base = base ? base + 1 : kpath;
	static const char *const not_linux[] = {".c32", ".com", ".cbt", ".bss", ".bs", ".0",
						".bin", ".img"};
	if (!strcasecmp(base, "mboot.c32")) {
		mboot_entry(e, append, s->cwd, self);
		return;
	}
	for (size_t i = 0; i < DL_ARRAY_SIZE(not_linux); i++)
		if (ends_with_ci(kpath, not_linux[i])) {
			e->kind = DL_ENTRY_OTHER;
			return;
		}
	if (*kpath)
		linux_entry(e, L->kernel, append, L->initrd, s->cwd, self);
}

/* DEFAULT naming no label is a command line ("DEFAULT vmlinuz ro"): an
 * entry of its own, whose index goes to *def.  0, or -E2BIG at the cap. */
static int default_cmdline_entry(struct sl *s, const char *name, struct dl_boot_config *cfg,
				 const char *self, int *def)
{
	if (!s->def || !*s->def || ends_with_ci(s->def, ".c32"))
		return 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->labels[i].name && !strcasecmp(s->labels[i].name, s->def))
			return 0;
	struct dl_boot_entry *e = dl_cfg_add_entry(cfg, name, 0, s->err);
	if (!e)
		return -E2BIG;
	e->title = dl_strdup(s->def);
	e->id = dl_strndup(s->def, strcspn(s->def, " \t"));
	linux_entry(e, s->def, s->global_append, NULL, s->cwd, self);
	*def = (int)cfg->nentries - 1;
	return 0;
}

static int build(struct sl *s, const char *name, struct dl_boot_config *cfg, const char *self)
{
	int mdef = -1, ldef = -1;
	for (size_t i = 0; i < s->n; i++) {
		const struct label *L = &s->labels[i];
		struct dl_boot_entry *e = dl_cfg_add_entry(cfg, name, L->line, s->err);
		if (!e)
			return -E2BIG;
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
		if (L->kernel && !L->localboot)
			label_entry(s, L, e, self);
	}
	if (ldef < 0) {
		int r = default_cmdline_entry(s, name, cfg, self, &ldef);
		if (r < 0)
			return r;
	}
	/* a menu (UI/DEFAULT *.c32) uses MENU DEFAULT; else DEFAULT's label */
	cfg->def = mdef >= 0 ? mdef : ldef >= 0 ? ldef : dl_cfg_first_leaf(cfg, cfg->nentries ? 0 : -1);
	if (s->def)
		cfg->default_spec = dl_strdup(s->def);
	cfg->timeout = s->timeout;
	return 0;
}

/* CONFIG: start over with the file it named.  0, or a negative errno. */
static int restart(struct sl *s, const char *name, struct dl_boot_config *cfg, char **cur_name)
{
	labels_free(s);
	free(*cur_name);
	*cur_name = TAKE_PTR(s->config);
	free(s->cwd);
	s->cwd = s->config_dir ? TAKE_PTR(s->config_dir) : dl_dirname(*cur_name);
	_cleanup_free_ char *b = NULL;
	size_t l;
	struct dl_error lerr = {0};
	int r = dl_io_read(s->io, NULL, *cur_name, &b, &l, &lerr);
	if (r != 0)
		return dl_fail(s->err, DL_ENOTFOUND, "%s: CONFIG %s: %s", name, *cur_name,
			       r > 0 ? "no such file" : lerr.msg);
	free(cfg->path);
	cfg->path = dl_strdup(*cur_name);
	return parse_buf(s, *cur_name, b, l);
}

static int syslinux_parse(const char *name, const char *buf, size_t len,
			  const struct dl_boot_io *io, struct dl_boot_config *cfg,
			  struct dl_error *err)
{
	struct sl s = {.io = io, .err = err, .parent = -1, .timeout = -1};
	const char *self = io ? io->self_dev : NULL;
	_cleanup_free_ char *cur_name = NULL;
	dl_cfg_init(cfg, dl_syslinux_parser.name, name);
	s.cwd = dl_dirname(name);
	int r = parse_buf(&s, name, buf, len);
	for (int hops = 1; r == 0 && s.config; hops++) {
		if (hops > DL_BOOT_MAX_DEPTH)
			r = dl_fail(err, DL_ELIMIT, "%s: CONFIG chained more than %d times (a loop?)",
				    name, DL_BOOT_MAX_DEPTH);
		else
			r = restart(&s, name, cfg, &cur_name);
	}
	if (r == 0)
		r = build(&s, cfg->path, cfg, self);
	labels_free(&s);
	free(s.cwd);
	free(s.config);
	free(s.config_dir);
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
