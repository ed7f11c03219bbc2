/* GRUB 2 commands.  One table of builtins; commands that only affect the
 * screen, terminal or modules are accepted and ignored.  Nothing is ever
 * executed or loaded: kernel/initrd/module commands record paths into the
 * entry whose body is being evaluated. */
#include <errno.h>
#include <regex.h>
#include <string.h>

#include "boot/grub2/grub2.h"

static struct dl_boot_entry *cur_entry(struct g2 *g)
{
	return g->cur >= 0 ? &g->cfg->entries[g->cur] : NULL;
}

static char *join(char **v, int n)
{
	struct dl_sbuf sb = {0};
	for (int i = 0; i < n; i++) {
		if (i)
			dl_sbuf_addc(&sb, ' ');
		dl_sbuf_add(&sb, v[i], strlen(v[i]));
	}
	return dl_sbuf_take(&sb);
}

static void set_path(struct g2 *g, struct dl_boot_path *p, const char *spec)
{
	char *dev, *path;
	g2_resolve(g, spec, &dev, &path);
	dl_path_set(p, dev, path, NULL, g->self);
	free(dev);
	free(path);
}

/* ---- set / unset / export ---- */

static int b_set(struct g2 *g, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		int r;
		if (eq) {
			*eq = '\0';
			r = g2_set(g, argv[i], eq + 1);
			*eq = '=';
		} else {
			r = g2_set(g, argv[i], "");
		}
		if (r < 0)
			return r;
	}
	g->status = 0;
	return 0;
}

static int b_unset(struct g2 *g, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		g2_unset(g, argv[i]);
	g->status = 0;
	return 0;
}

/* ---- test / [ ---- */

struct texpr {
	struct g2 *g;
	char **v;
	int n, i, depth;
};

static int file_test(struct g2 *g, char op, const char *spec)
{
	if (!g->io || !g->io->test_file)
		return 0;
	char *dev, *path;
	g2_resolve(g, spec, &dev, &path);
	char *norm = dl_path_norm(NULL, path);
	int r = g->io->test_file(g->io->ctx, dev, norm, op);
	free(dev);
	free(path);
	free(norm);
	return r == 1;
}

static long tnum(const char *s)
{
	return strtol(s, NULL, 10);
}

static int ncmp(const char *a, const char *b)
{
	long x = tnum(a), y = tnum(b);
	return (x > y) - (x < y);
}

/* number after a common prefix ("-pgt": vmlinuz-10 > vmlinuz-9) */
static int pcmp(const char *a, const char *b)
{
	while (*a && *a == *b && !(*a >= '0' && *a <= '9'))
		a++, b++;
	return ncmp(a, b);
}

/* Binary operators: each compares its operands, true for some outcomes. */
enum { LT = 1, EQ = 2, GT = 4 };
static const struct binop {
	const char *op;
	int (*cmp)(const char *a, const char *b);
	int when;               /* the outcomes (LT, EQ, GT) that make it true */
} binops[] = {
	{"=", strcmp, EQ},      {"==", strcmp, EQ},      {"!=", strcmp, LT | GT},
	{"<", strcmp, LT},      {"<=", strcmp, LT | EQ}, {">", strcmp, GT},
	{">=", strcmp, GT | EQ}, {"-eq", ncmp, EQ},      {"-ne", ncmp, LT | GT},
	{"-lt", ncmp, LT},      {"-le", ncmp, LT | EQ},  {"-gt", ncmp, GT},
	{"-ge", ncmp, GT | EQ}, {"-pgt", pcmp, GT},      {"-plt", pcmp, LT},
	{"-nt", strcmp, 0},     {"-ot", strcmp, 0},      /* no timestamps: false */
};

static const struct binop *find_binop(const char *s)
{
	for (size_t i = 0; i < DL_ARRAY_SIZE(binops); i++)
		if (strcmp(s, binops[i].op) == 0)
			return &binops[i];
	return NULL;
}

static int binop_true(const struct binop *b, const char *x, const char *y)
{
	int c = b->cmp(x, y);
	return (b->when & (c < 0 ? LT : c > 0 ? GT : EQ)) != 0;
}

static int t_or(struct texpr *t);

static int t_primary(struct texpr *t)
{
	if (t->i >= t->n)
		return 0;
	if (++t->depth > 64)
		return 0;
	const char *a = t->v[t->i];
	const struct binop *op;
	int r = 0;
	if (strcmp(a, "!") == 0) {
		t->i++;
		r = !t_primary(t);
	} else if (strcmp(a, "(") == 0) {
		t->i++;
		r = t_or(t);
		if (t->i < t->n && strcmp(t->v[t->i], ")") == 0)
			t->i++;
	} else if (t->i + 2 < t->n && (op = find_binop(t->v[t->i + 1]))) {
		r = binop_true(op, a, t->v[t->i + 2]);
		t->i += 3;
	} else if (a[0] == '-' && a[1] && !a[2] && strchr("defsnz", a[1]) && t->i + 1 < t->n) {
		const char *b = t->v[t->i + 1];
		t->i += 2;
		switch (a[1]) {
		case 'n':
			r = *b != '\0';
			break;
		case 'z':
			r = *b == '\0';
			break;
		default:
			r = file_test(t->g, a[1], b);
		}
	} else {
		t->i++;
		r = *a != '\0';
	}
	t->depth--;
	return r;
}

static int t_and(struct texpr *t)
{
	int r = t_primary(t);
	while (t->i < t->n && strcmp(t->v[t->i], "-o") != 0 && strcmp(t->v[t->i], ")") != 0) {
		if (strcmp(t->v[t->i], "-a") == 0)
			t->i++;
		int s = t_primary(t);
		r = r && s;
	}
	return r;
}

static int t_or(struct texpr *t)
{
	int r = t_and(t);
	while (t->i < t->n && strcmp(t->v[t->i], "-o") == 0) {
		t->i++;
		int s = t_and(t);
		r = r || s;
	}
	return r;
}

static int b_test(struct g2 *g, int argc, char **argv)
{
	int n = argc - 1;
	if (strcmp(argv[0], "[") == 0) {
		if (n < 1 || strcmp(argv[argc - 1], "]") != 0) {
			dl_debug("%s:%d: [ without ]", g->file, g->line);
			g->status = 1;
			return 0;
		}
		n--;
	}
	struct texpr t = {.g = g, .v = argv + 1, .n = n};
	int r = n == 0 ? 0 : t_or(&t);
	g->status = !r;
	return 0;
}

/* ---- search ---- */

static int b_search(struct g2 *g, int argc, char **argv)
{
	const char *by = "file", *var = NULL, *value = NULL;
	if (strcmp(argv[0], "search.fs_uuid") == 0)
		by = "fs-uuid";
	else if (strcmp(argv[0], "search.fs_label") == 0)
		by = "label";
	bool dotted = strchr(argv[0], '.') != NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--fs-uuid") || !strcmp(a, "-u"))
			by = "fs-uuid";
		else if (!strcmp(a, "--label") || !strcmp(a, "-l"))
			by = "label";
		else if (!strcmp(a, "--file") || !strcmp(a, "-f"))
			by = "file";
		else if (!strcmp(a, "--set") || !strcmp(a, "-s"))
			var = "root";
		else if (!strncmp(a, "--set=", 6))
			var = a + 6;
		else if (!strncmp(a, "--hint", 6) || !strcmp(a, "-h")) {
			if (!strchr(a, '=') && i + 1 < argc)
				i++;
		} else if (a[0] == '-' && a[1])
			continue;
		else if (!value)
			value = a;
		else if (dotted && !var)
			var = a;
	}
	if (dotted && !var)
		var = "root";
	g->status = 1;
	if (!value || !g->io || !g->io->search)
		return 0;
	char out[256] = "";
	if (g->io->search(g->io->ctx, by, value, out, sizeof(out)) == 0) {
		out[sizeof(out) - 1] = '\0';
		g->status = 0;
		if (var)
			return g2_set(g, var, out);
	}
	return 0;
}

/* ---- load_env ---- */

struct envload {
	struct g2 *g;
	char **only;
	int nonly;
	int rc;
};

static void env_set(void *ctx, const char *name, const char *value)
{
	struct envload *l = ctx;
	if (l->nonly) {
		bool ok = false;
		for (int i = 0; i < l->nonly; i++)
			ok |= strcmp(l->only[i], name) == 0;
		if (!ok)
			return;
	}
	if (l->rc == 0)
		l->rc = g2_set(l->g, name, value);
}

static int b_load_env(struct g2 *g, int argc, char **argv)
{
	const char *file = NULL;
	struct envload l = {.g = g};
	char **only = dl_calloc((size_t)argc, sizeof(char *));
	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "-f") || !strcmp(argv[i], "--file")) && i + 1 < argc)
			file = argv[++i];
		else if (!strncmp(argv[i], "--file=", 7))
			file = argv[i] + 7;
		else if (argv[i][0] == '-')
			continue;
		else
			only[l.nonly++] = argv[i];
	}
	l.only = only;
	char *def = NULL;
	if (!file) {
		const char *prefix = g2_get(g, "prefix");
		file = def = dl_asprintf("%s/grubenv", prefix ? prefix : "");
	}
	char *dev, *path;
	g2_resolve(g, file, &dev, &path);
	char *buf;
	size_t len;
	struct dl_error lerr = {0};
	g->status = 1;
	int r = dl_io_read(g->io, dev, path, &buf, &len, &lerr);
	if (r == 0) {
		if (dl_grubenv_parse(path, buf, len, env_set, &l, &lerr) == 0)
			g->status = 0;
		else
			dl_warn("%s:%d: %s", g->file, g->line, lerr.msg);
		free(buf);
	} else if (r < 0) {
		dl_warn("%s:%d: %s", g->file, g->line, lerr.msg);
	}
	free(dev);
	free(path);
	free(def);
	free(only);
	return l.rc;
}

/* ---- source / configfile / eval ---- */

static int b_source(struct g2 *g, int argc, char **argv)
{
	bool cf = strcmp(argv[0], "configfile") == 0 || strcmp(argv[0], "normal") == 0;
	g->status = 1;
	if (argc < 2)
		return 0;
	/* inside an entry (openSUSE snapshots) or a submenu a configfile only
	 * matters once selected; nothing to do for the menu */
	if (cf && (g->cur >= 0 || g->parent >= 0)) {
		g->status = 0;
		return 0;
	}
	int r = g2_run_file(g, argv[1], cf);
	if (r == DL_ABSENT) {
		dl_debug("%s:%d: %s: not read", g->file, g->line, argv[1]);
		g->status = 1;
		return 0;
	}
	return r;
}

static int b_eval(struct g2 *g, int argc, char **argv)
{
	char *s = join(argv + 1, argc - 1);
	struct g2_node *ast;
	if (g->src_depth >= DL_BOOT_MAX_DEPTH) {   /* as nested_too_deep: warn, go on */
		free(s);
		dl_warn("%s:%d: eval nested deeper than %d, not run", g->file, g->line,
			DL_BOOT_MAX_DEPTH);
		g->status = 1;
		return 0;
	}
	int r = g2_parse(&g->arena, g->file, s, strlen(s), &ast, g->err, &g->syntax);
	free(s);
	if (r < 0)
		return r;
	g->src_stack[g->src_depth++] = (char *)"eval";
	const char *sf = g->file;
	int sl = g->line;
	r = g2_exec_list(g, ast);
	g->src_depth--;
	g->file = sf;
	g->line = sl;
	return r;
}

/* ---- blscfg ---- */

static const char *g2_lookup(void *ctx, const char *name)
{
	return g2_get(ctx, name);
}

static int b_blscfg(struct g2 *g, int argc, char **argv)
{
	(void)argc, (void)argv;
	g->status = 0;
	if (g->cur >= 0)
		return 0;
	/* Fedora's blscfg reads the entries from $boot when set (a separate
	 * /boot next to a btrfs or LVM root), else from $root */
	char *dev, *path;
	const char *boot = g2_get(g, "boot");
	char *spec = boot && *boot ? dl_asprintf("(%s)/", boot) : dl_strdup("/");
	if (boot && boot[0] == '(') {
		free(spec);
		spec = dl_asprintf("%s/", boot);
	}
	g2_resolve(g, spec, &dev, &path);
	free(spec);
	free(path);
	g->cfg->grub_rhboot = true;   /* only Fedora/RHEL's GRUB has blscfg */
	const char *blsdir = g2_get(g, "blsdir");
	const char *dirs[3] = {blsdir && *blsdir ? blsdir : "/loader/entries",
			       blsdir && *blsdir ? NULL : "/boot/loader/entries", NULL};
	int r = 0;
	for (int i = 0; dirs[i]; i++) {
		struct dl_bls_entry *v = NULL;
		size_t n = 0;
		if (++g->files > G2_MAX_FILES) {
			r = dl_fail(g->err, DL_ELIMIT, "%s:%d: more than %d files read", g->file,
				    g->line, G2_MAX_FILES);
			break;
		}
		r = dl_bls_load_dir(g->io, dev, dirs[i], DL_BLS_GRUB, &v, &n, g->err);
		if (r == 0 && n)
			r = dl_bls_add_entries(g->cfg, v, n, g->parent, g->depth, dev, g->self,
					       g2_lookup, g, g->file, g->err);
		dl_bls_entries_free(v, n);
		if (r < 0 || n)
			break;
	}
	free(dev);
	return r;
}

/* ---- regexp ---- */

#define G2_MAX_REGEX 1024   /* bytes of one pattern */

/* regexp [--set [N:]VAR]... PATTERN STRING (commands/regexp.c): POSIX
 * extended syntax as GRUB's gnulib regcomp; status 0 on a match, each
 * --set VAR gets submatch N (default 1), unset when it did not take
 * part.  Back-references are refused (their matching can take
 * exponential time on a hostile pattern): status 1. */
static int b_regexp(struct g2 *g, int argc, char **argv)
{
	const char *sets[8];
	int nsets = 0, i = 1;
	g->status = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *v = NULL;
		if ((!strcmp(argv[i], "-s") || !strcmp(argv[i], "--set")) && i + 1 < argc)
			v = argv[++i];
		else if (!strncmp(argv[i], "--set=", 6))
			v = argv[i] + 6;
		if (v && nsets < (int)DL_ARRAY_SIZE(sets))
			sets[nsets++] = v;
	}
	if (argc - i != 2 || strlen(argv[i]) > G2_MAX_REGEX)
		return 0;
	for (const char *p = argv[i]; *p; p++)
		if (p[0] == '\\' && p[1] >= '1' && p[1] <= '9')
			return 0;
	regex_t re;
	regmatch_t m[10];
	if (regcomp(&re, argv[i], REG_EXTENDED) != 0)
		return 0;
	int r = 0, hit = regexec(&re, argv[i + 1], DL_ARRAY_SIZE(m), m, 0) == 0;
	for (int k = 0; hit && k < nsets && r == 0; k++) {
		const char *var = sets[k], *colon = strchr(var, ':');
		long n = 1;
		if (colon && colon > var) {
			n = strtol(var, NULL, 10);
			var = colon + 1;
		}
		if (n < 0 || n >= (long)DL_ARRAY_SIZE(m) || m[n].rm_so < 0)
			g2_unset(g, var);
		else {
			char *v = dl_strndup(argv[i + 1] + m[n].rm_so, (size_t)(m[n].rm_eo - m[n].rm_so));
			r = g2_set(g, var, v);
			free(v);
		}
	}
	regfree(&re);
	g->status = !hit;
	return r;
}

/* ---- kernel / initrd / modules ---- */

static int b_linux(struct g2 *g, int argc, char **argv)
{
	struct dl_boot_entry *e = cur_entry(g);
	g->status = 0;
	if (!e)
		return 0;
	int i = 1;
	while (i < argc && strncmp(argv[i], "--", 2) == 0)
		i++;
	if (i >= argc) {
		g->status = 1;
		return 0;
	}
	bool mb = strncmp(argv[0], "multiboot", 9) == 0 || strcmp(argv[0], "xen_hypervisor") == 0;
	set_path(g, &e->kernel, argv[i]);
	free(e->args);
	e->args = join(argv + i + 1, argc - i - 1);
	e->kind = mb ? DL_ENTRY_MULTIBOOT : DL_ENTRY_LINUX;
	return 0;
}

static int b_initrd(struct g2 *g, int argc, char **argv)
{
	struct dl_boot_entry *e = cur_entry(g);
	g->status = 0;
	if (!e)
		return 0;
	/* a later initrd command replaces the earlier one */
	for (size_t k = 0; k < e->ninitrds; k++)
		dl_path_free(&e->initrds[k]);
	e->ninitrds = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) == 0)
			continue;
		if (strncmp(a, "newc:", 5) == 0) {
			/* newc:NAME:FILE */
			const char *c = strchr(a + 5, ':');
			if (!c)
				continue;
			a = c + 1;
		}
		e->initrds = dl_reallocarray(e->initrds, e->ninitrds + 1, sizeof(*e->initrds));
		memset(&e->initrds[e->ninitrds], 0, sizeof(e->initrds[0]));
		set_path(g, &e->initrds[e->ninitrds++], a);
	}
	return 0;
}

static int b_module(struct g2 *g, int argc, char **argv)
{
	struct dl_boot_entry *e = cur_entry(g);
	g->status = 0;
	if (!e)
		return 0;
	int i = 1;
	while (i < argc && strncmp(argv[i], "--", 2) == 0)
		i++;
	if (i >= argc)
		return 0;
	char *dev, *path;
	g2_resolve(g, argv[i], &dev, &path);
	char *args = join(argv + i + 1, argc - i - 1);
	dl_entry_add_module(e, dev, path, args, NULL, g->self);
	free(args);
	free(dev);
	free(path);
	return 0;
}

static int b_chain(struct g2 *g, int argc, char **argv)
{
	(void)argc, (void)argv;
	struct dl_boot_entry *e = cur_entry(g);
	if (e && e->kind != DL_ENTRY_LINUX && e->kind != DL_ENTRY_MULTIBOOT)
		e->kind = DL_ENTRY_OTHER;
	g->status = 0;
	return 0;
}

/* ---- control ---- */

static int b_control(struct g2 *g, int argc, char **argv)
{
	const char *c = argv[0];
	if (!strcmp(c, "return")) {
		g->status = argc > 1 ? (int)strtol(argv[1], NULL, 10) : g->status;
		if (g->calls)
			g->unwind = G2_RETURN;
	} else if (!strcmp(c, "break")) {
		if (g->loops)
			g->unwind = G2_BREAK;
	} else if (!strcmp(c, "continue")) {
		if (g->loops)
			g->unwind = G2_CONTINUE;
	} else if (!strcmp(c, "exit")) {
		g->unwind = G2_EXIT;
	} else if (!strcmp(c, "shift")) {
		long k = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
		if (k > 0 && g->pargc > 1) {
			if (k > g->pargc - 1)
				k = g->pargc - 1;
			/* the argv array belongs to the caller: move the
			 * window ($0 becomes the last shifted-out value) */
			g->pargv += k;
			g->pargc -= (int)k;
		}
		g->status = 0;
	}
	return 0;
}

/* ---- save_env ---- */

/* save_env [-f FILE] NAME...: handed to io->save_env with the values as
 * they are now (NULL: unset, which deletes), for the entry whose body runs
 * (-1: the script itself); the guest side decides what reaches the disk. */
static int b_save_env(struct g2 *g, int argc, char **argv)
{
	const char *file = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if ((!strcmp(argv[i], "-f") || !strcmp(argv[i], "--file")) && i + 1 < argc)
			file = argv[++i];
		else if (!strncmp(argv[i], "--file=", 7))
			file = argv[i] + 7;
	}
	g->status = 0;
	if (i >= argc || !g->io || !g->io->save_env)
		return 0;
	const char *prefix = g2_get(g, "prefix");
	_cleanup_free_ char *def = file ? NULL : dl_asprintf("%s/grubenv", prefix ? prefix : "");
	char *dev, *path;
	g2_resolve(g, file ? file : def, &dev, &path);
	for (; i < argc; i++)
		g->io->save_env(g->io->ctx, g->cur, dev, path, argv[i], g2_get(g, argv[i]));
	free(dev);
	free(path);
	return 0;
}

static int b_true(struct g2 *g, int argc, char **argv)
{
	(void)argc, (void)argv;
	g->status = 0;
	return 0;
}

static int b_false(struct g2 *g, int argc, char **argv)
{
	(void)argc, (void)argv;
	g->status = 1;
	return 0;
}

static const struct builtin {
	const char *name;
	int (*fn)(struct g2 *g, int argc, char **argv);
} builtins[] = {
	{"set", b_set},
	{"unset", b_unset},
	{"export", b_true},
	{"[", b_test},
	{"test", b_test},
	{"true", b_true},
	{"false", b_false},
	{"search", b_search},
	{"search.fs_uuid", b_search},
	{"search.fs_label", b_search},
	{"search.file", b_search},
	{"load_env", b_load_env},
	{"save_env", b_save_env},
	{"source", b_source},
	{".", b_source},
	{"configfile", b_source},
	{"normal", b_source},
	{"eval", b_eval},
	{"regexp", b_regexp},
	{"blscfg", b_blscfg},
	{"bls_import", b_blscfg},
	{"linux", b_linux},
	{"linux16", b_linux},
	{"linuxefi", b_linux},
	{"multiboot", b_linux},
	{"multiboot2", b_linux},
	{"xen_hypervisor", b_linux},
	{"initrd", b_initrd},
	{"initrd16", b_initrd},
	{"initrdefi", b_initrd},
	{"module", b_module},
	{"module2", b_module},
	{"xen_module", b_module},
	{"chainloader", b_chain},
	{"return", b_control},
	{"break", b_control},
	{"continue", b_control},
	{"exit", b_control},
	{"shift", b_control},
	/* accepted and ignored: screen, terminal, modules, devices */
	{"echo", b_true}, {"insmod", b_true}, {"rmmod", b_true}, {"terminal_output", b_true},
	{"terminal_input", b_true}, {"terminal", b_true}, {"serial", b_true},
	{"load_video", b_true}, {"gfxmode", b_true}, {"loadfont", b_true},
	{"set_background_image", b_true}, {"background_image", b_true},
	{"background_color", b_true}, {"play", b_true}, {"sleep", b_true}, {"clear", b_true},
	{"gettext", b_true}, {"savedefault", b_true}, {"recordfail", b_true},
	{"cpuid", b_true}, {"boot", b_true}, {"devicetree", b_true}, {"dtb", b_true},
	{"nativedisk", b_true}, {"cryptomount", b_true}, {"btrfs-mount-subvol", b_true},
	{"btrfs-list-snapshots", b_true}, {"password", b_true}, {"password_pbkdf2", b_true},
	{"videoinfo", b_true}, {"lsfonts", b_true}, {"font", b_true}, {"tr", b_true},
	{"smbios", b_true}, {"hiddenentry", b_true}, {"setparams", b_true},
	{"keystatus", b_false}, {"probe", b_false}, {"halt", b_chain},
	{"reboot", b_chain}, {"fwsetup", b_chain}, {"appleloader", b_chain},
	{"kfreebsd", b_chain}, {"knetbsd", b_chain}, {"kopenbsd", b_chain},
	{"ntldr", b_chain}, {"drivemap", b_true}, {"parttool", b_true}, {"lvm", b_true},
	{"efi_gop", b_true}, {"efi_uga", b_true}, {"ls", b_true}, {"cat", b_true},
};

int g2_run_builtin(struct g2 *g, int argc, char **argv, bool *found)
{
	for (size_t i = 0; i < DL_ARRAY_SIZE(builtins); i++)
		if (strcmp(builtins[i].name, argv[0]) == 0) {
			*found = true;
			return builtins[i].fn(g, argc, argv);
		}
	*found = false;
	return 0;
}
