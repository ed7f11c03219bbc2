/* syslinux / extlinux / isolinux configuration (syslinux doc/syslinux.txt,
 * doc/menu.txt).  Keywords are case-insensitive.  Relative file names are
 * resolved from the configuration file's directory, which is syslinux's
 * working directory (pygrub opens them from the root: "KERNEL vmlinuz" in
 * /boot/extlinux.conf boots /vmlinuz).  INCLUDE nests up to
 * DL_BOOT_MAX_DEPTH; CONFIG restarts with another file; MENU BEGIN/END make
 * submenus.  The default is followed as ldlinux and the menu modules do
 * (UI, DEFAULT, labels, CONFIG, whichsys.c32, ifcpu64.c32, menu.c32).
 * Hand-written: syslinux reads its configuration in its own
 * boot-time code (com32/elflink/ldlinux/readconfig.c), not a library. */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "boot/internal.h"

#define SL_MAX_LINE 4096
#define SL_MAX_FILES 256   /* INCLUDEs read per parse */
#define SL_MAX_MENUS 32    /* MENU BEGIN nesting */

/* The keyword that named a label's image (readconfig.c kernel_types). */
enum ktype { KT_KERNEL, KT_LINUX, KT_OTHER, KT_COM32, KT_CONFIG };

struct label {
	char *name, *title, *kernel, *append, *initrd;
	enum ktype type;
	bool menu_default, localboot, is_menu;
	bool hide;              /* MENU HIDE: on menu.c32's hidden menu */
	bool no_boot;           /* MENU GOTO/EXIT/QUIT: a menu action, not an image */
	int parent, depth, line;
};

struct sl {
	const struct dl_boot_io *io;
	struct dl_error *err;
	char *cwd;
	struct label *labels;
	size_t n, cap;
	char *def, *global_append, *ui, *ontimeout, *path;
	int timeout;
	bool prompt;
	bool iso;               /* booted by ISOLINUX (whichsys.c32 -iso-) */
	bool menu_hidden, master_passwd;   /* MENU HIDDEN, MENU MASTER PASSWD */
	int parent, depth;      /* current MENU BEGIN */
	int start;              /* MENU START: the menu menu.c32 opens (-1: the top) */
	char *menu_files;       /* menu.c32 FILE...: the files the menu module reads */
	bool menu_mode;         /* the labels are what menu.c32 read from menu_files */
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
	int cur;                /* index of the LABEL being read, -1 outside one (an
				   index: an INCLUDE may grow the array under it) */
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
	free(s->ontimeout);
	free(s->path);
	s->def = s->global_append = s->ui = s->ontimeout = s->path = NULL;
	s->prompt = s->menu_hidden = s->master_passwd = false;
	s->timeout = -1;
	s->parent = -1;
	s->start = -1;
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

/* The LABEL being read, or NULL. */
static struct label *cur_label(const struct sl_file *f)
{
	return f->cur >= 0 ? &f->s->labels[f->cur] : NULL;
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
	/* ldlinux has no limit (readconfig.c do_include: the include fails
	 * once files run out, and the configuration goes on) */
	if (s->depth_inc >= DL_BOOT_MAX_DEPTH) {
		dl_warn("%s:%d: INCLUDE nested deeper than %d (a loop?), not read", f->name, f->line,
			DL_BOOT_MAX_DEPTH);
		return 0;
	}
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
	if (cur_label(f) && !cur_label(f)->is_menu)
		setv(&cur_label(f)->title, v);
	return 0;
}

/* MENU DEFAULT in a label makes it its menu's default; outside one, inside
 * MENU BEGIN, it makes the submenu its parent's default (menu.c32). */
static int menu_default(struct sl_file *f, char *v)
{
	(void)v;
	if (cur_label(f))
		cur_label(f)->menu_default = true;
	else if (f->s->parent >= 0)
		f->s->labels[f->s->parent].menu_default = true;
	return 0;
}

static int menu_hidden(struct sl_file *f, char *v)
{
	(void)v;
	f->s->menu_hidden = true;
	return 0;
}

/* MENU HIDE: record() puts the label on the hidden menu, where neither
 * MENU DEFAULT nor a UI's DEFAULT makes it the menu's default. */
static int menu_hide(struct sl_file *f, char *v)
{
	(void)v;
	if (cur_label(f))
		cur_label(f)->hide = true;
	return 0;
}

/* MENU GOTO tag, MENU EXIT [tag] (inside a submenu), MENU QUIT: the label
 * moves through the menus or leaves it; its KERNEL is replaced
 * (readconfig.c parse_config_file: ld.action, ld.kernel = the tag). */
static int menu_action(struct sl_file *f, bool in_submenu_only)
{
	if (cur_label(f) && (!in_submenu_only || f->s->parent >= 0))
		cur_label(f)->no_boot = true;
	return 0;
}

static int menu_goto(struct sl_file *f, char *v)
{
	(void)v;
	return menu_action(f, false);
}

static int menu_exit(struct sl_file *f, char *v)
{
	(void)v;
	return menu_action(f, true);
}

/* MENU START: menu.c32 opens this menu (start_menu) */
static int menu_start(struct sl_file *f, char *v)
{
	(void)v;
	f->s->start = f->s->parent;
	return 0;
}

static int menu_master(struct sl_file *f, char *v)
{
	if (!strncasecmp(v, "PASSWD", 6))
		f->s->master_passwd = true;
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
	f->cur = -1;
	return 0;
}

static int menu_title(struct sl_file *f, char *v)
{
	if (f->s->parent >= 0 && !cur_label(f))
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
	f->cur = -1;
	return 0;
}

/* MENU INCLUDE file [tagname]: with a tag, the file's labels form a
 * submenu of that title (readconfig.c do_include_menu). */
static int menu_include(struct sl_file *f, char *v)
{
	char *tag = split_word(v);
	if (!*tag)
		return do_include(f, v);
	int r = menu_begin(f, tag);
	if (r == 0)
		r = do_include(f, v);
	return r < 0 ? r : menu_end(f, tag);
}

struct command {
	const char *name;
	int (*fn)(struct sl_file *f, char *val);
};

static const struct command menu_commands[] = {
	{"LABEL", menu_label}, {"DEFAULT", menu_default}, {"BEGIN", menu_begin},
	{"TITLE", menu_title}, {"END", menu_end},         {"INCLUDE", menu_include},
	{"HIDDEN", menu_hidden}, {"MASTER", menu_master}, {"HIDE", menu_hide},
	{"GOTO", menu_goto},     {"EXIT", menu_exit},     {"QUIT", menu_goto},
	{"START", menu_start},
};

static int run(const struct command *t, size_t n, struct sl_file *f, const char *kw, char *val)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(kw, t[i].name) == 0)
			return t[i].fn(f, val);
	return 0;   /* SERIAL SAY DISPLAY F1.. IPAPPEND SYSAPPEND FDT ... */
}

/* ---- commands (doc/syslinux.txt) ---- */

static int cmd_label(struct sl_file *f, char *v)
{
	if (f->s->n >= DL_BOOT_MAX_ENTRIES)
		return dl_fail(f->s->err, DL_ELIMIT, "%s:%d: more than %u labels", f->name, f->line,
			       DL_BOOT_MAX_ENTRIES);
	new_label(f, v);
	f->cur = (int)f->s->n - 1;
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

static int set_image(struct sl_file *f, char *v, enum ktype t)
{
	if (cur_label(f)) {
		setv(&cur_label(f)->kernel, v);
		cur_label(f)->type = t;
		cur_label(f)->localboot = t == KT_OTHER;
	}
	return 0;
}

/* KERNEL: a Linux kernel or a module, told by its name */
static int cmd_kernel(struct sl_file *f, char *v)
{
	return set_image(f, v, KT_KERNEL);
}

/* LINUX: a Linux kernel whatever its name */
static int cmd_linux(struct sl_file *f, char *v)
{
	return set_image(f, v, KT_LINUX);
}

/* BOOT, BSS, PXE, FDIMAGE, COMBOOT: an image that is not Linux */
static int cmd_other_image(struct sl_file *f, char *v)
{
	return set_image(f, v, KT_OTHER);
}

/* COM32: a module (whichsys.c32, menu.c32, ...) */
static int cmd_com32(struct sl_file *f, char *v)
{
	return set_image(f, v, KT_COM32);
}

/* CONFIG file [dir]: inside a LABEL the label's image is another
 * configuration, its APPEND the new working directory (execute.c
 * IMAGE_TYPE_CONFIG); at top level (syslinux 4) a restart with it. */
static int cmd_config(struct sl_file *f, char *v)
{
	struct sl *s = f->s;
	if (cur_label(f))
		return set_image(f, v, KT_CONFIG);
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

static int cmd_ontimeout(struct sl_file *f, char *v)
{
	setv(&f->s->ontimeout, v);
	return 0;
}

static int cmd_prompt(struct sl_file *f, char *v)
{
	f->s->prompt = strtol(v, NULL, 10) != 0;
	return 0;
}

/* PATH dir[:dir...]: where modules are looked for besides the working
 * directory (readconfig.c parse_path) */
static int cmd_path(struct sl_file *f, char *v)
{
	setv(&f->s->path, v);
	return 0;
}

static int cmd_timeout(struct sl_file *f, char *v)
{
	long t = strtol(v, NULL, 10);
	/* tenths of a second; clamp before rounding (fuzzer: LONG_MAX + 9);
	 * 0 "disables the timeout completely" (syslinux's doc): none */
	f->s->timeout = t <= 0 ? -1 : t >= 10000000 ? 1000000 : (int)((t + 9) / 10);
	return 0;
}

static int cmd_append(struct sl_file *f, char *v)
{
	setv(cur_label(f) ? &cur_label(f)->append : &f->s->global_append, v);
	return 0;
}

static int cmd_initrd(struct sl_file *f, char *v)
{
	if (cur_label(f))
		setv(&cur_label(f)->initrd, v);
	return 0;
}

static int cmd_localboot(struct sl_file *f, char *v)
{
	(void)v;
	if (cur_label(f))
		cur_label(f)->localboot = true;
	return 0;
}

static const struct command commands[] = {
	{"LABEL", cmd_label},        {"MENU", cmd_menu},       {"TEXT", cmd_text},
	{"INCLUDE", cmd_include},    {"CONFIG", cmd_config},   {"DEFAULT", cmd_default},
	{"UI", cmd_ui},              {"TIMEOUT", cmd_timeout}, {"KERNEL", cmd_kernel},
	{"LINUX", cmd_linux},        {"BOOT", cmd_other_image}, {"BSS", cmd_other_image},
	{"PXE", cmd_other_image},    {"FDIMAGE", cmd_other_image},
	{"COMBOOT", cmd_other_image}, {"COM32", cmd_com32},
	{"APPEND", cmd_append},      {"INITRD", cmd_initrd},   {"LOCALBOOT", cmd_localboot},
	{"ONTIMEOUT", cmd_ontimeout}, {"PROMPT", cmd_prompt},  {"PATH", cmd_path},
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
	struct sl_file f = {.s = s, .name = name, .cur = -1};
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

/* One mboot.c32 image, "file args...", from words[0..n): the file and
 * its command line (the words after it, joined with blanks). */
static void mboot_image(struct dl_boot_entry *e, char **words, size_t n, const char *cwd,
			const char *self)
{
	struct dl_sbuf a = {0};
	for (size_t i = 1; i < n; i++) {
		if (a.len)
			dl_sbuf_addc(&a, ' ');
		dl_sbuf_adds(&a, words[i]);
	}
	_cleanup_free_ char *args = dl_sbuf_take(&a);
	if (!e->kernel.path) {
		dl_path_set(&e->kernel, NULL, words[0], cwd, self);
		e->args = TAKE_PTR(args);
	} else {
		dl_entry_add_module(e, NULL, words[0], args, cwd, self);
	}
}

/* mboot.c32 [-solaris] [-aout] xen.gz args --- vmlinuz args --- initrd
 * (com32/mboot/mboot.c): the module's command line split into words, a
 * word that is exactly "---" ends an image; the first image is the
 * multiboot kernel (the hypervisor), the others its modules in order.
 * What it boots is a multiboot entry like GRUB's multiboot + module. */
static void mboot_entry(struct dl_boot_entry *e, const char *kargs, const char *append,
			const char *cwd, const char *self)
{
	bool has_append = append && *append && strcmp(append, "-");
	_cleanup_free_ char *cmd = dl_asprintf("%s %s", kargs, has_append ? append : "");
	char **words = NULL, *save = NULL;
	size_t n = 0, cap = 0, first = 0;
	for (char *t = strtok_r(cmd, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
		*(char **)dl_array_push(&words, &n, &cap, sizeof(char *)) = t;
	while (first < n && (!strcmp(words[first], "-solaris") || !strcmp(words[first], "-aout")))
		first++;
	e->kind = DL_ENTRY_MULTIBOOT;
	for (size_t i = first, start = first; i <= n; i++) {
		if (i < n && strcmp(words[i], "---"))
			continue;
		if (i > start)   /* an empty image ("--- ---") is none */
			mboot_image(e, words + start, i - start, cwd, self);
		start = i + 1;
	}
	free(words);
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
	if (L->no_boot) {
		e->kind = DL_ENTRY_OTHER;
		return;
	}
	size_t kn = strcspn(L->kernel, " \t");
	_cleanup_free_ char *kpath = dl_strndup(L->kernel, kn);
	const char *append = L->append ? L->append : s->global_append;
	const char *base = strrchr(kpath, '/');
	base = base ? base + 1 : kpath;
	static const char *const not_linux[] = {".c32", ".com", ".cbt", ".bss", ".bs", ".0",
						".bin", ".img"};
	if (!strcasecmp(base, "mboot.c32") && L->type != KT_LINUX && L->type != KT_CONFIG) {
		mboot_entry(e, L->kernel + kn, append, s->cwd, self);
		return;
	}
	bool other = L->type == KT_COM32 || L->type == KT_CONFIG;
	for (size_t i = 0; i < DL_ARRAY_SIZE(not_linux) && L->type == KT_KERNEL; i++)
		other = other || ends_with_ci(kpath, not_linux[i]);
	if (other) {
		e->kind = DL_ENTRY_OTHER;
		return;
	}
	if (*kpath)
		linux_entry(e, L->kernel, append, L->initrd, s->cwd, self);
}

/* ---- what boots: DEFAULT/UI through the modules that only redirect ---- */

#define SL_MAX_HOPS 16   /* labels, modules and CONFIGs followed for one boot */

/* What the default resolves to: a label, or a command line naming a kernel
 * (DEFAULT vmlinuz ro); neither when it boots no Linux we can tell. */
struct pick {
	int label;
	char *cmdline;
};

/* ldlinux find_label(): the label named by the command's first word. */
static int find_label(const struct sl *s, const char *cmd)
{
	size_t n = strcspn(cmd, " \t");
	for (size_t i = 0; i < s->n; i++)
		if (!s->labels[i].is_menu && strlen(s->labels[i].name) == n &&
		    !strncmp(s->labels[i].name, cmd, n))
			return (int)i;
	return -1;
}

/* file exists in the working directory or a PATH directory */
static bool module_file(const struct sl *s, const char *file)
{
	if (!s->io || !s->io->test_file)
		return false;
	_cleanup_free_ char *p = dl_path_norm(s->cwd, file);
	if (s->io->test_file(s->io->ctx, NULL, p, 'f') == 1)
		return true;
	_cleanup_free_ char *dirs = dl_strdup(s->path ? s->path : "");
	char *save = NULL;
	for (char *d = strtok_r(dirs, ": \t", &save); d; d = strtok_r(NULL, ": \t", &save)) {
		_cleanup_free_ char *dd = dl_path_norm(s->cwd, d);
		_cleanup_free_ char *q = dl_path_norm(dd, file);
		if (s->io->test_file(s->io->ctx, NULL, q, 'f') == 1)
			return true;
	}
	return false;
}

/* The module a command's first word names ("menu" for "menu.c32" or, as
 * ldlinux adds a missing extension, for "menu" when only menu.c32
 * exists), lower case; NULL for anything else. */
static char *module_of(const struct sl *s, const char *cmd, bool com32)
{
	_cleanup_free_ char *w = dl_strndup(cmd, strcspn(cmd, " \t"));
	const char *base = strrchr(w, '/');
	base = base ? base + 1 : w;
	size_t n = strlen(base);
	if (ends_with_ci(base, ".c32"))
		n -= 4;
	else if (!com32 && strchr(base, '.'))
		return NULL;
	else if (!com32) {
		_cleanup_free_ char *c32 = dl_asprintf("%s.c32", w);
		if (module_file(s, w) || !module_file(s, c32))
			return NULL;
	}
	char *m = dl_strndup(base, n);
	for (char *q = m; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	return m;
}

static void resolve_cmd(struct sl *s, const char *cmd, int hops, struct pick *p);
static void resolve_label(struct sl *s, int i, const char *extra, int hops, struct pick *p);

/* whichsys.c32 [-iso- cmd] [-pxe- cmd] [-sys- cmd] (com32/modules/
 * whichsys.c): the words after the marker of the variant booting, up to
 * the next marker, joined with blanks. */
static char *whichsys_branch(const char *args, bool iso)
{
	const char *want = iso ? "-iso-" : "-sys-";
	struct dl_sbuf sb = {0};
	bool in = false, found = false;
	_cleanup_free_ char *copy = dl_strdup(args);
	char *save = NULL;
	for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (!strcmp(t, "-iso-") || !strcmp(t, "-sys-") || !strcmp(t, "-pxe-")) {
			in = !strcmp(t, want);
			found = found || in;
			continue;
		}
		if (in) {
			if (sb.len)
				dl_sbuf_addc(&sb, ' ');
			dl_sbuf_add(&sb, t, strlen(t));
		}
	}
	if (!found) {
		dl_sbuf_free(&sb);
		return NULL;
	}
	return dl_sbuf_take(&sb);
}

/* ifcpu64.c32 cmd64 [-- cmd32pae] -- cmd32 (com32/modules/ifcpu64.c): a
 * Xen guest is 64-bit, so the words before the first "--", which
 * ifcpu64's boot_args() joins without blanks. */
static char *ifcpu64_branch(const char *args)
{
	struct dl_sbuf sb = {0};
	_cleanup_free_ char *copy = dl_strdup(args);
	char *save = NULL;
	for (char *t = strtok_r(copy, " \t", &save); t && strcmp(t, "--");
	     t = strtok_r(NULL, " \t", &save))
		dl_sbuf_add(&sb, t, strlen(t));
	return dl_sbuf_take(&sb);
}

/* The default of the menu whose MENU BEGIN is label parent (-1: the top):
 * its last MENU DEFAULT, else its first entry (menu.c32 record()); a
 * MENU HIDE label is on another menu. */
static int menu_default_of(const struct sl *s, int parent)
{
	int first = -1, def = -1;
	for (size_t i = 0; i < s->n; i++)
		if (s->labels[i].parent == parent && !s->labels[i].hide) {
			if (first < 0)
				first = (int)i;
			if (s->labels[i].menu_default)
				def = (int)i;
		}
	return def >= 0 ? def : first;
}

/* menu.c32/vesamenu.c32 (com32/menu/readconfig.c parse_configs): with a
 * UI line, DEFAULT naming a label that is not hidden selects it; else the
 * start menu's (MENU START, else the top's) MENU DEFAULT (descending into
 * a default submenu); ONTIMEOUT when it times out. */
static void menu_pick(struct sl *s, int hops, struct pick *p)
{
	if (s->ontimeout && s->timeout > 0) {
		resolve_cmd(s, s->ontimeout, hops, p);
		return;
	}
	int i = s->ui && s->def ? find_label(s, s->def) : -1;
	if (i >= 0 && s->labels[i].hide)
		i = -1;
	if (i < 0) {
		i = menu_default_of(s, s->start);
		for (int d = 0; i >= 0 && s->labels[i].is_menu && d < SL_MAX_MENUS; d++)
			i = menu_default_of(s, i);
	}
	if (i >= 0 && !s->labels[i].is_menu)
		resolve_label(s, i, "", hops, p);
}

/* menu.c32 FILE...: main() passes its arguments to parse_configs, which
 * reads those files (parse_one_config, "~" the current configuration)
 * instead of the current one: its menu is theirs. */
static void request_menu(struct sl *s, const char *args)
{
	free(s->menu_files);
	s->menu_files = dl_strdup(args);
}

/* A module that only chooses what boots is followed (true); any other
 * (chain.c32, hdt.c32, ...) boots itself (false). */
static bool resolve_module(struct sl *s, const char *mod, const char *args, int hops,
			   struct pick *p)
{
	_cleanup_free_ char *next = NULL;
	if (!strcmp(mod, "whichsys"))
		next = whichsys_branch(args, s->iso);
	else if (!strcmp(mod, "ifcpu64"))
		next = ifcpu64_branch(args);
	else if ((!strcmp(mod, "menu") || !strcmp(mod, "vesamenu")) && *args)
		request_menu(s, args);
	else if (!strcmp(mod, "menu") || !strcmp(mod, "vesamenu") || !strcmp(mod, "gfxboot"))
		menu_pick(s, hops, p);
	else
		return false;
	if (next)
		resolve_cmd(s, next, hops, p);
	return true;
}

/* CONFIG file [dir]: the file relative to the working directory, which
 * dir (if given) replaces (execute.c IMAGE_TYPE_CONFIG). */
static void request_config(struct sl *s, const char *args)
{
	_cleanup_free_ char *copy = dl_strdup(args);
	char *dir = split_word(copy);
	dir[strcspn(dir, " \t")] = '\0';
	if (!*copy)
		return;
	free(s->config);
	free(s->config_dir);
	s->config = dl_path_norm(s->cwd, copy);
	s->config_dir = *dir ? dl_path_norm(s->cwd, dir) : NULL;
}

/* A label chosen: its module or CONFIG followed, else the label itself. */
static void resolve_label(struct sl *s, int i, const char *extra, int hops, struct pick *p)
{
	/* a menu module's default can name this label again (label -> menu.c32
	 * -> MENU DEFAULT -> label), a loop that passes no resolve_cmd */
	if (hops > SL_MAX_HOPS) {
		dl_warn("syslinux: more than %d labels, modules and CONFIGs followed (a loop?)",
			SL_MAX_HOPS);
		return;
	}
	const struct label *L = &s->labels[i];
	const char *append = L->append ? L->append : s->global_append;
	bool has_append = append && *append && strcmp(append, "-");
	_cleanup_free_ char *args = dl_asprintf("%s%s%s%s%s", L->kernel ? L->kernel : "",
						has_append ? " " : "", has_append ? append : "",
						*extra ? " " : "", extra);
	if (L->type == KT_CONFIG) {
		request_config(s, args);
		return;
	}
	_cleanup_free_ char *mod = NULL;
	if (L->kernel && (L->type == KT_COM32 || L->type == KT_KERNEL))
		mod = module_of(s, L->kernel, L->type == KT_COM32);
	const char *a = args + strcspn(args, " \t");
	if (!mod || !resolve_module(s, mod, a + strspn(a, " \t"), hops + 1, p))
		p->label = i;
}

/* A command line as ldlinux's load_kernel() takes it: a label, a CONFIG,
 * a module, or a kernel with its arguments. */
static void resolve_cmd(struct sl *s, const char *cmd, int hops, struct pick *p)
{
	cmd += strspn(cmd, " \t");
	if (hops > SL_MAX_HOPS) {
		dl_warn("syslinux: more than %d labels, modules and CONFIGs followed (a loop?)",
			SL_MAX_HOPS);
		return;
	}
	if (!*cmd)
		return;
	const char *rest = cmd + strcspn(cmd, " \t");
	rest += strspn(rest, " \t");
	int i = find_label(s, cmd);
	_cleanup_free_ char *mod = i < 0 ? module_of(s, cmd, false) : NULL;
	if (i >= 0)
		resolve_label(s, i, rest, hops + 1, p);
	else if (!strncasecmp(cmd, "config", 6) && (!cmd[6] || isspace((unsigned char)cmd[6])))
		request_config(s, rest);
	else if (mod && !resolve_module(s, mod, rest, hops + 1, p))
		dl_debug("syslinux: %s: a module that boots no Linux", cmd);
	else if (!mod)
		p->cmdline = dl_strdup(cmd);
}

/* What ldlinux boots without a keypress: UI's module, else DEFAULT;
 * ONTIMEOUT instead when a prompt is shown and times out. */
static void resolve_default(struct sl *s, struct pick *p)
{
	p->label = -1;
	p->cmdline = NULL;
	if (s->ui)
		resolve_cmd(s, s->ui, 0, p);
	else if (s->prompt && s->timeout > 0 && s->ontimeout)
		resolve_cmd(s, s->ontimeout, 0, p);
	else if (s->def)
		resolve_cmd(s, s->def, 0, p);
}

/* A DEFAULT command line naming no label ("DEFAULT vmlinuz ro"): an
 * entry of its own, whose index goes to *def.  0, or -E2BIG at the cap. */
static int cmdline_entry(struct sl *s, const char *cmd, const char *name,
			 struct dl_boot_config *cfg, const char *self, int *def)
{
	static const char *const not_linux[] = {".com", ".cbt", ".bss", ".bs", ".0", ".bin", ".img"};
	_cleanup_free_ char *w = dl_strndup(cmd, strcspn(cmd, " \t"));
	for (size_t i = 0; i < DL_ARRAY_SIZE(not_linux); i++)
		if (ends_with_ci(w, not_linux[i]))
			return 0;
	struct dl_boot_entry *e = dl_cfg_add_entry(cfg, name, 0, s->err);
	if (!e)
		return -E2BIG;
	e->title = dl_strdup(cmd);
	e->id = dl_strdup(w);
	linux_entry(e, cmd, s->global_append, NULL, s->cwd, self);
	*def = (int)cfg->nentries - 1;
	return 0;
}

/* A menu module (UI, or DEFAULT naming a .c32) shows its menu, unless
 * MENU HIDDEN; without one, syslinux waits at its boot: prompt only with
 * PROMPT 1 (PROMPT 0, the default, boots at once unless Shift is held:
 * our hidden style, where Esc shows the menu). */
static void set_timeout_style(const struct sl *s, struct dl_boot_config *cfg)
{
	const char *ui = s->ui ? s->ui : s->def;
	size_t n = ui ? strcspn(ui, " \t") : 0;
	bool menu = n > 4 && !strncasecmp(ui + n - 4, ".c32", 4);
	if (menu)
		cfg->timeout_style = s->menu_hidden ? DL_TIMEOUT_HIDDEN : DL_TIMEOUT_MENU;
	else
		cfg->timeout_style = s->prompt ? DL_TIMEOUT_MENU : DL_TIMEOUT_HIDDEN;
	cfg->locked = s->master_passwd;
}

static int build(struct sl *s, const struct pick *pk, const char *name,
		 struct dl_boot_config *cfg, const char *self)
{
	int mdef = -1, def = pk->label;
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
		if (L->menu_default && !L->hide && mdef < 0)
			mdef = (int)i;
		if (L->kernel && !L->localboot)
			label_entry(s, L, e, self);
	}
	if (def < 0 && pk->cmdline) {
		int r = cmdline_entry(s, pk->cmdline, name, cfg, self, &def);
		if (r < 0)
			return r;
	}
	/* nothing to follow (no DEFAULT, a module we cannot): a MENU DEFAULT,
	 * else the first entry, as pygrub */
	cfg->def = def >= 0 ? def : mdef >= 0 ? mdef : dl_cfg_first_leaf(cfg, cfg->nentries ? 0 : -1);
	if (s->def)
		cfg->default_spec = dl_strdup(s->def);
	cfg->timeout = s->timeout;
	set_timeout_style(s, cfg);
	return 0;
}

/* CONFIG: start over with the file it named, in the directory it named
 * (else the same working directory).  0, or a negative errno. */
static int restart(struct sl *s, const char *name, struct dl_boot_config *cfg, char **cur_name)
{
	labels_free(s);
	free(*cur_name);
	*cur_name = TAKE_PTR(s->config);
	if (s->config_dir) {
		free(s->cwd);
		s->cwd = TAKE_PTR(s->config_dir);
	}
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

/* menu.c32 FILE...: the menu module's labels are those of the files
 * (relative to the working directory; "~" the current configuration; a
 * file that cannot be opened is skipped, as parse_one_config does).  0,
 * or a negative errno when none can be read. */
static int restart_menu(struct sl *s, const char *name, struct dl_boot_config *cfg,
			char **cur_name)
{
	_cleanup_free_ char *files = TAKE_PTR(s->menu_files);
	_cleanup_free_ char *cur = dl_strdup(*cur_name ? *cur_name : name);
	char *save = NULL;
	bool any = false;
	labels_free(s);
	for (char *t = strtok_r(files, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		_cleanup_free_ char *path = !strcmp(t, "~") ? dl_strdup(cur) : dl_path_norm(s->cwd, t);
		_cleanup_free_ char *b = NULL;
		size_t l;
		struct dl_error lerr = {0};
		int r = dl_io_read(s->io, NULL, path, &b, &l, &lerr);
		if (r != 0) {
			dl_info("%s: menu.c32 %s: %s", name, path, r > 0 ? "no such file" : lerr.msg);
			continue;
		}
		if (!any) {
			free(*cur_name);
			*cur_name = dl_strdup(path);
			free(cfg->path);
			cfg->path = dl_strdup(path);
		}
		any = true;
		if (++s->files > SL_MAX_FILES)
			return dl_fail(s->err, DL_ELIMIT, "%s: more than %d files read", name, SL_MAX_FILES);
		if ((r = parse_buf(s, path, b, l)) < 0)
			return r;
	}
	if (!any)
		return dl_fail(s->err, DL_ENOTFOUND, "%s: menu.c32: none of its files can be read", name);
	s->menu_mode = true;
	return 0;
}

/* ISOLINUX or (EXT/SYS)LINUX: isolinux.cfg, or isolinux.bin next to the
 * configuration or where ISOLINUX looks, and no ldlinux.sys beside it. */
static bool booted_as_iso(const struct dl_boot_io *io, const char *name, const char *dir)
{
	const char *base = strrchr(name, '/');
	if (!io || !io->test_file)
		return false;
	_cleanup_free_ char *sys = dl_path_norm(dir, "ldlinux.sys");
	if (io->test_file(io->ctx, NULL, sys, 'e') == 1)
		return false;
	if (!strcasecmp(base ? base + 1 : name, "isolinux.cfg"))
		return true;
	_cleanup_free_ char *bin = dl_path_norm(dir, "isolinux.bin");
	static const char *const bins[] = {"/isolinux/isolinux.bin", "/boot/isolinux/isolinux.bin",
					   "/syslinux/isolinux.bin", "/boot/syslinux/isolinux.bin"};
	bool iso = io->test_file(io->ctx, NULL, bin, 'e') == 1;
	for (size_t i = 0; i < DL_ARRAY_SIZE(bins) && !iso; i++)
		iso = io->test_file(io->ctx, NULL, bins[i], 'e') == 1;
	return iso;
}

static int syslinux_parse(const char *name, const char *buf, size_t len,
			  const struct dl_boot_io *io, struct dl_boot_config *cfg,
			  struct dl_error *err)
{
	struct sl s = {.io = io, .err = err, .parent = -1, .start = -1, .timeout = -1};
	const char *self = io ? io->self_dev : NULL;
	_cleanup_free_ char *cur_name = NULL;
	struct pick pk = {.label = -1};
	dl_cfg_init(cfg, dl_syslinux_parser.name, name);
	s.cwd = dl_dirname(name);
	s.iso = booted_as_iso(io, name, s.cwd);
	int r = parse_buf(&s, name, buf, len);
	/* CONFIG (a directive, or what the default leads to) replaces the
	 * configuration; then the default is followed again */
	for (int hops = 0; r == 0;) {
		if (!s.config && !s.menu_files) {
			free(pk.cmdline);
			pk = (struct pick){.label = -1};
			/* after menu.c32 FILE...: what that menu boots */
			if (s.menu_mode)
				menu_pick(&s, 0, &pk);
			else
				resolve_default(&s, &pk);
			s.menu_mode = false;
			if (!s.config && !s.menu_files)
				break;
		}
		if (++hops > DL_BOOT_MAX_DEPTH)
			r = dl_fail(err, DL_ELIMIT, "%s: CONFIG chained more than %d times (a loop?)",
				    name, DL_BOOT_MAX_DEPTH);
		else if (s.config)
			r = restart(&s, name, cfg, &cur_name);
		else
			r = restart_menu(&s, name, cfg, &cur_name);
	}
	if (r == 0)
		r = build(&s, &pk, cfg->path, cfg, self);
	free(pk.cmdline);
	labels_free(&s);
	free(s.cwd);
	free(s.config);
	free(s.config_dir);
	free(s.menu_files);
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
