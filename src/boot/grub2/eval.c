/* GRUB 2 interpreter: expands words, runs statements, builds the menu.
 *
 * Semantics follow GRUB's normal mode: the whole script runs first
 * (menuentry/submenu register entries; a submenu's body runs to build its
 * children); then every menuentry body is evaluated against the final
 * environment with $1.. set to the title and extra arguments, each in its
 * own overlay scope, which is what GRUB does when that entry boots.
 * Finally "default"/"fallback"/"timeout" are read from the environment.
 * Caps: G2_MAX_STEPS commands, G2_MAX_CALLS function depth,
 * DL_BOOT_MAX_DEPTH source/configfile depth, G2_MAX_FILES file reads. */
#include <errno.h>
#include <string.h>

#include "boot/grub2/grub2.h"

/* ---- expansion ---- */

static int push_field(struct g2 *g, struct dl_strv *a, struct dl_sbuf *f)
{
	if (a->n >= G2_MAX_ARGS)
		return dl_fail(g->err, DL_ELIMIT, "%s:%d: more than %d arguments", g->file, g->line,
			       G2_MAX_ARGS);
	/* bounds the work of loops over long values (200000 steps x 64 KiB) */
	g->expanded += f->len;
	if (g->expanded > G2_MAX_EXPANDED)
		return dl_fail(g->err, DL_ELIMIT, "%s:%d: expansions produced more than %u MiB",
			       g->file, g->line, G2_MAX_EXPANDED >> 20);
	dl_strv_push(a, dl_sbuf_take(f));
	return 0;
}

static char *positional_all(struct g2 *g)
{
	struct dl_sbuf sb = {.max = G2_MAX_WORD};
	for (int i = 1; i < g->pargc; i++) {
		if (i > 1)
			dl_sbuf_addc(&sb, ' ');
		dl_sbuf_add(&sb, g->pargv[i], strlen(g->pargv[i]));
	}
	return dl_sbuf_take(&sb);
}

static int word_too_long(struct g2 *g)
{
	return dl_fail(g->err, DL_ELIMIT, "%s:%d: expanded word longer than %u bytes", g->file,
		       g->line, G2_MAX_WORD);
}

/* Append val to the field f; with split (an unquoted expansion), blanks
 * end fields instead.  *have: f holds a field, possibly empty. */
static int add_value(struct g2 *g, struct dl_strv *out, struct dl_sbuf *f, bool *have,
		     const char *val, bool split)
{
	if (!split)
		return dl_sbuf_add(f, val, strlen(val)) < 0 ? word_too_long(g) : 0;
	for (const char *p = val; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n') {
			int r;
			if (*have && (r = push_field(g, out, f)) < 0)
				return r;
			*have = false;
			continue;
		}
		if (dl_sbuf_addc(f, *p) < 0)
			return word_too_long(g);
		*have = true;
	}
	return 0;
}

/* "$@": one field per positional parameter */
static int add_positionals(struct g2 *g, struct dl_strv *out, struct dl_sbuf *f, bool *have)
{
	for (int i = 1; i < g->pargc; i++) {
		int r;
		if (i > 1 && (r = push_field(g, out, f)) < 0)
			return r;
		if (dl_sbuf_add(f, g->pargv[i], strlen(g->pargv[i])) < 0)
			return word_too_long(g);
		*have = true;
	}
	return 0;
}

static int expand_word(struct g2 *g, const struct g2_word *w, struct dl_strv *out)
{
	struct dl_sbuf f = {.max = G2_MAX_WORD};
	bool have = false;
	int r = 0;
	for (const struct g2_frag *fr = w->frags; fr && r == 0; fr = fr->next) {
		if (fr->type == G2_TEXT) {
			have |= fr->quoted || *fr->s;
			r = add_value(g, out, &f, &have, fr->s, false);
			continue;
		}
		if (fr->quoted && strcmp(fr->s, "@") == 0) {
			r = add_positionals(g, out, &f, &have);
			continue;
		}
		_cleanup_free_ char *all = NULL;
		const char *val;
		if (strcmp(fr->s, "@") == 0 || strcmp(fr->s, "*") == 0)
			val = all = positional_all(g);
		else
			val = g2_get(g, fr->s);
		if (fr->quoted)
			have = true;
		r = add_value(g, out, &f, &have, val ? val : "", !fr->quoted);
	}
	if (r == 0 && have)
		r = push_field(g, out, &f);
	dl_sbuf_free(&f);
	return r;
}

static int expand_words(struct g2 *g, const struct g2_word *w, struct dl_strv *out)
{
	for (; w; w = w->next) {
		int r = expand_word(g, w, out);
		if (r < 0) {
			dl_strv_free(out);
			return r;
		}
	}
	/* NULL-terminate for convenience */
	char **slot = dl_array_push(&out->v, &out->n, &out->cap, sizeof(char *));
	*slot = NULL;
	out->n--;
	return 0;
}

/* ---- paths ---- */

void g2_resolve(struct g2 *g, const char *spec, char **dev, char **path)
{
	dl_path_split_dev(spec, dev, path);
	if (*dev && !**dev) {
		free(*dev);
		*dev = NULL;
	}
	const char *root = g2_get(g, "root");
	if (!*dev && root && *root) {
		size_t n = strlen(root);
		if (root[0] == '(' && root[n - 1] == ')' && n >= 2)
			*dev = dl_strndup(root + 1, n - 2);
		else
			*dev = dl_strdup(root);
	}
	if (*dev && g->self && strcmp(*dev, g->self) == 0) {
		free(*dev);
		*dev = NULL;
	}
}

/* ---- statements ---- */

static int exec_node(struct g2 *g, struct g2_node *n);

static int step(struct g2 *g, struct g2_node *n)
{
	g->file = n->file;
	g->line = n->line;
	if (++g->steps > G2_MAX_STEPS)
		return dl_fail(g->err, DL_ELIMIT, "%s:%d: more than %d commands executed (endless loop?)",
			       n->file, n->line, G2_MAX_STEPS);
	return 0;
}

int g2_exec_list(struct g2 *g, struct g2_node *n)
{
	for (; n && !g->unwind; n = n->next) {
		int r = exec_node(g, n);
		if (r < 0)
			return r;
	}
	return 0;
}

static struct g2_func *find_func(struct g2 *g, const char *name)
{
	for (struct g2_func *f = g->funcs; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static void push_scope(struct g2 *g, struct g2_scope *s)
{
	memset(s, 0, sizeof(*s));
	s->up = g->scope;
	g->scope = s;
}

static void pop_scope(struct g2 *g, struct g2_scope *s)
{
	g->scope = s->up;
	g2_scope_free(s);
}

static bool is_assignment(const char *a)
{
	const char *eq = strchr(a, '=');
	if (!eq || eq == a)
		return false;
	for (const char *p = a; p < eq; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
		      (p > a && *p >= '0' && *p <= '9')))
			return false;
	return true;
}

static int call_function(struct g2 *g, struct g2_func *f, int argc, char **argv)
{
	if (g->calls >= G2_MAX_CALLS)
		return dl_fail(g->err, DL_ELIMIT, "%s:%d: function calls nested deeper than %d (%s)",
			       g->file, g->line, G2_MAX_CALLS, f->name);
	char **sv = g->pargv;
	int sc = g->pargc;
	g->pargv = argv;
	g->pargc = argc;
	g->calls++;
	int loops = g->loops;
	g->loops = 0;
	g->status = 0;
	int r = g2_exec_list(g, f->body);
	g->loops = loops;
	g->calls--;
	g->pargv = sv;
	g->pargc = sc;
	if (g->unwind == G2_RETURN || g->unwind == G2_BREAK || g->unwind == G2_CONTINUE)
		g->unwind = G2_NONE;
	return r;
}

static int exec_cmd(struct g2 *g, struct g2_node *n)
{
	struct dl_strv a = {0};
	int r = expand_words(g, n->words, &a);
	if (r < 0)
		return r;
	g->file = n->file;
	g->line = n->line;
	if (a.n == 0) {
		g->status = 0;
	} else if (is_assignment(a.v[0])) {
		char *eq = strchr(a.v[0], '=');
		*eq = '\0';
		r = g2_set(g, a.v[0], eq + 1);
		g->status = 0;
	} else {
		bool found = false;
		struct g2_func *f = find_func(g, a.v[0]);
		if (f) {
			r = call_function(g, f, (int)a.n, a.v);
		} else {
			r = g2_run_builtin(g, (int)a.n, a.v, &found);
			if (!found) {
				dl_debug("%s:%d: unknown command %s ignored", n->file, n->line, a.v[0]);
				g->status = 1;
			}
		}
	}
	dl_strv_free(&a);
	return r;
}

static char **arena_argv(struct g2 *g, char **v, int n)
{
	char **r = g2_alloc(&g->arena, sizeof(char *) * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		r[i] = g2_strndup(&g->arena, v[i], strlen(v[i]));
	return r;
}

/* A menuentry's or submenu's words: the title, its --id, and the
 * positional parameters its body sees ($0 a placeholder, $1 the title,
 * $2.. the other arguments; pointers into the words). */
struct menu_args {
	const char *title, *id;
	struct dl_strv pos;
};

static void menu_args(const struct dl_strv *a, struct menu_args *m)
{
	static const char *const withval[] = {"--class", "--users", "--hotkey", "--id"};
	bool opts = true;
	dl_strv_push(&m->pos, (char *)"menuentry");
	for (size_t i = 0; i < a->n; i++) {
		const char *s = a->v[i];
		if (opts && strcmp(s, "--") == 0) {
			opts = false;
			continue;
		}
		if (opts && strncmp(s, "--", 2) == 0) {
			for (size_t k = 0; k < DL_ARRAY_SIZE(withval); k++) {
				size_t kl = strlen(withval[k]);
				const char *v;
				if (strncmp(s, withval[k], kl) != 0)
					continue;
				if (s[kl] == '=')
					v = strchr(s, '=') + 1;
				else if (s[kl] == '\0' && i + 1 < a->n)
					v = a->v[++i];
				else
					continue;
				if (k == 3)
					m->id = v;
			}
			continue;
		}
		dl_strv_push(&m->pos, a->v[i]);
		if (!m->title)
			m->title = s;
	}
}

/* A submenu's body runs now, in its own scope, to build its children. */
static int run_submenu(struct g2 *g, struct g2_node *n, int idx, char **pargv, int pargc)
{
	struct g2_scope s;
	int sp = g->parent, sd = g->depth, sc = g->pargc, sl = g->loops;
	char **sv = g->pargv;
	push_scope(g, &s);
	g->parent = idx;
	g->depth++;
	g->pargv = pargv;
	g->pargc = pargc;
	g->loops = 0;
	int r = g2_exec_list(g, n->body);
	pop_scope(g, &s);
	g->parent = sp;
	g->depth = sd;
	g->pargv = sv;
	g->pargc = sc;
	g->loops = sl;
	if (g->unwind != G2_EXIT)
		g->unwind = G2_NONE;
	return r;
}

/* Add the entry; a menuentry's body waits for the end of the script. */
static int add_menu(struct g2 *g, struct g2_node *n, const struct menu_args *m)
{
	struct dl_boot_entry *e = dl_cfg_add_entry(g->cfg, n->file, n->line, g->err);
	if (!e)
		return -E2BIG;
	int idx = (int)(e - g->cfg->entries), r = 0;
	e->title = dl_strdup(m->title);
	e->id = m->id ? dl_strdup(m->id) : NULL;
	e->parent = g->parent;
	e->depth = g->depth;
	char **pargv = arena_argv(g, m->pos.v, (int)m->pos.n);
	if (n->type == G2_MENU) {
		struct g2_pending *p = dl_array_push(&g->pending, &g->npending, &g->cappending,
						     sizeof(*p));
		p->entry = idx;
		p->body = n->body;
		p->argv = pargv;
		p->argc = (int)m->pos.n;
		p->file = n->file;
		p->line = n->line;
	} else {
		e->submenu = true;
		r = run_submenu(g, n, idx, pargv, (int)m->pos.n);
	}
	g->status = 0;
	return r;
}

static int exec_menu(struct g2 *g, struct g2_node *n)
{
	if (g->cur >= 0) {
		/* a menuentry inside an entry body only matters once booted */
		g->status = 0;
		return 0;
	}
	struct dl_strv a = {0};
	int r = expand_words(g, n->words, &a);
	if (r < 0)
		return r;
	g->file = n->file;
	g->line = n->line;
	struct menu_args m = {0};
	menu_args(&a, &m);
	if (m.title) {
		r = add_menu(g, n, &m);
	} else {
		dl_warn("%s:%d: %s without a title ignored", n->file, n->line,
			n->type == G2_MENU ? "menuentry" : "submenu");
		g->status = 1;
	}
	free(m.pos.v);
	dl_strv_free(&a);
	return r;
}

static int exec_if(struct g2 *g, struct g2_node *n)
{
	for (struct g2_clause *c = n->clauses; c; c = c->next) {
		if (c->cond) {
			int r = g2_exec_list(g, c->cond);
			if (r < 0)
				return r;
			if (g->unwind)
				return 0;
			if (g->status != 0)
				continue;
		}
		g->status = 0;
		return g2_exec_list(g, c->body);
	}
	g->status = 0;
	return 0;
}

static int exec_loop(struct g2 *g, struct g2_node *n)
{
	g->loops++;
	int r = 0;
	if (n->type == G2_FOR) {
		struct dl_strv a = {0};
		const char *var = n->words->frags->s;
		if ((r = expand_words(g, n->words->next, &a)) < 0) {
			g->loops--;
			return r;
		}
		for (size_t i = 0; i < a.n && r == 0; i++) {
			if ((r = g2_set(g, var, a.v[i])) < 0 || (r = g2_exec_list(g, n->body)) < 0)
				break;
			if (g->unwind == G2_CONTINUE)
				g->unwind = G2_NONE;
			if (g->unwind)
				break;
		}
		dl_strv_free(&a);
	} else {
		for (;;) {
			if ((r = g2_exec_list(g, n->cond)) < 0 || g->unwind)
				break;
			if ((g->status == 0) != (n->type == G2_WHILE))
				break;
			if ((r = g2_exec_list(g, n->body)) < 0)
				break;
			if (g->unwind == G2_CONTINUE)
				g->unwind = G2_NONE;
			if (g->unwind)
				break;
			if ((r = step(g, n)) < 0)
				break;
		}
		g->status = 0;
	}
	if (g->unwind == G2_BREAK)
		g->unwind = G2_NONE;
	g->loops--;
	return r;
}

/* function NAME { body }: a later definition replaces an earlier one */
static void define_function(struct g2 *g, struct g2_node *n)
{
	const char *name = n->words->frags->s;
	struct g2_func *f = find_func(g, name);
	if (!f) {
		f = g2_alloc(&g->arena, sizeof(*f));
		f->name = g2_strndup(&g->arena, name, strlen(name));
		f->next = g->funcs;
		g->funcs = f;
	}
	f->body = n->body;
	g->status = 0;
}

static int exec_node(struct g2 *g, struct g2_node *n)
{
	int r = step(g, n);
	if (r < 0)
		return r;
	/* bounds the C stack: blocks inside function calls inside sourced files */
	if (g->nest >= G2_MAX_EXEC_NEST)
		return dl_fail(g->err, DL_ELIMIT, "%s:%d: statements nested deeper than %d", n->file,
			       n->line, G2_MAX_EXEC_NEST);
	g->nest++;
	switch (n->type) {
	case G2_CMD:
		r = exec_cmd(g, n);
		break;
	case G2_IF:
		r = exec_if(g, n);
		break;
	case G2_FUNC:
		define_function(g, n);
		break;
	case G2_MENU:
	case G2_SUBMENU:
		r = exec_menu(g, n);
		break;
	case G2_FOR:
	case G2_WHILE:
	case G2_UNTIL:
		r = exec_loop(g, n);
		break;
	case G2_BLOCK:
		r = g2_exec_list(g, n->body);
		break;
	}
	if (n->negate)
		g->status = !g->status;
	g->nest--;
	return r;
}

/* ---- files ---- */

/* The error for source/configfile nested too deep, with the chain of
 * files that led there. */
/* GRUB has no limit of its own (a source loop runs until memory is
 * gone); at ours the file is not read, with a warning naming the chain,
 * and the script goes on as after any failing command (status 1), so the
 * entries read so far stay. */
static int nested_too_deep(struct g2 *g, const char *name, bool configfile)
{
	bool loop = false;
	for (int i = 0; i < g->src_depth; i++)
		loop |= strcmp(g->src_stack[i], name) == 0;
	struct dl_sbuf chain = {.max = 600};
	for (int i = 0; i < g->src_depth; i++) {
		if (dl_sbuf_add(&chain, g->src_stack[i], strlen(g->src_stack[i])) < 0 ||
		    dl_sbuf_add(&chain, " -> ", 4) < 0)
			break;
	}
	dl_warn("%s:%d: %s nested deeper than %d%s, not read: %s%s", g->file, g->line,
		configfile ? "configfile" : "source", DL_BOOT_MAX_DEPTH, loop ? " (a loop)" : "",
		dl_sbuf_str(&chain), name);
	dl_sbuf_free(&chain);
	return DL_NOT_MINE;
}

/* Run a file's statements in the current context, as source does; as
 * configfile does, they replace the menu and end the script. */
static int run_script(struct g2 *g, struct g2_node *ast, char *name, bool configfile)
{
	const char *sfile = g->file;
	int sline = g->line, r;
	g->src_stack[g->src_depth++] = name;
	if (configfile) {
		for (size_t i = 0; i < g->cfg->nentries; i++)
			dl_entry_free(&g->cfg->entries[i]);
		g->cfg->nentries = 0;
		g->npending = 0;
		g->parent = -1;
		g->depth = 0;
		r = g2_exec_list(g, ast);
		g->replaced = true;
		g->unwind = G2_EXIT;
	} else {
		r = g2_exec_list(g, ast);
		if (g->unwind == G2_RETURN)
			g->unwind = G2_NONE;
	}
	g->src_depth--;
	g->file = sfile;
	g->line = sline;
	return r;
}

int g2_run_file(struct g2 *g, const char *spec, bool configfile)
{
	_cleanup_free_ char *dev = NULL, *raw = NULL;
	g2_resolve(g, spec, &dev, &raw);
	_cleanup_free_ char *path = dl_path_norm(NULL, raw);
	_cleanup_free_ char *name = dev ? dl_asprintf("(%s)%s", dev, path) : dl_strdup(path);
	if (g->src_depth >= DL_BOOT_MAX_DEPTH)
		return nested_too_deep(g, name, configfile);
	if (++g->files > G2_MAX_FILES)
		return dl_fail(g->err, DL_ELIMIT, "%s:%d: more than %d files sourced", g->file,
			       g->line, G2_MAX_FILES);
	_cleanup_free_ char *buf = NULL;
	size_t len;
	struct dl_error lerr = {0};
	int r = dl_io_read(g->io, dev, path, &buf, &len, &lerr);
	if (r != 0) {
		if (r < 0)
			dl_warn("%s:%d: %s", g->file, g->line, lerr.msg);
		return DL_ABSENT;
	}
	struct g2_node *ast;
	r = g2_parse(&g->arena, name, buf, len, &ast, g->err, &g->syntax);
	if (r < 0)
		return r;
	return run_script(g, ast, name, configfile);
}

/* ---- top level ---- */

static void set_initial(struct g2 *g, const char *name)
{
	char *dir = dl_dirname(name);
	char *prefix = g->self ? dl_asprintf("(%s)%s", g->self, dir) : dl_strdup(dir);
	g2_set(g, "prefix", prefix);
	g2_set(g, "config_directory", prefix);
	char *cf = g->self ? dl_asprintf("(%s)%s", g->self, name) : dl_strdup(name);
	g2_set(g, "config_file", cf);
	if (g->self)
		g2_set(g, "root", g->self);
	g2_set(g, "grub_platform", "xen");
	g2_set(g, "grub_cpu", "x86_64");
	static const char *const features[] = {
		"feature_menuentry_id", "feature_platform_search_hint", "feature_all_video_module",
		"feature_default_font_path", "feature_timeout_style", "feature_200_final",
		"feature_nativedisk_cmd", "feature_chainloader_bpb", "feature_ntldr",
	};
	for (size_t i = 0; i < DL_ARRAY_SIZE(features); i++)
		g2_set(g, features[i], "y");
	free(dir);
	free(prefix);
	free(cf);
}

/* $chosen as GRUB sets it before running an entry (grub-core/normal/
 * menu.c, grub_menu_execute_entry): the ids (the title when none) from the
 * outermost submenu down, joined by '>', a '>' inside one doubled. */
static void add_chosen(const struct dl_boot_config *cfg, int idx, struct dl_sbuf *b)
{
	const struct dl_boot_entry *e = &cfg->entries[idx];
	if (e->parent >= 0 && e->parent < idx) {
		add_chosen(cfg, e->parent, b);
		dl_sbuf_addc(b, '>');
	}
	for (const char *p = e->id ? e->id : e->title ? e->title : ""; *p; p++) {
		if (*p == '>')
			dl_sbuf_addc(b, '>');
		dl_sbuf_addc(b, *p);
	}
}

static int eval_pending(struct g2 *g)
{
	for (size_t i = 0; i < g->npending; i++) {
		struct g2_pending *p = &g->pending[i];
		struct g2_scope s;
		push_scope(g, &s);
		g->cur = p->entry;
		g->pargv = p->argv;
		g->pargc = p->argc;
		g->unwind = G2_NONE;
		g->loops = 0;
		g->file = p->file;
		g->line = p->line;
		struct dl_sbuf chosen = { 0 };
		add_chosen(g->cfg, p->entry, &chosen);
		int r = g2_set(g, "chosen", dl_sbuf_str(&chosen));
		dl_sbuf_free(&chosen);
		if (r == 0)
			r = g2_exec_list(g, p->body);
		struct dl_boot_entry *e = &g->cfg->entries[p->entry];
		const char *root = g2_get(g, "root");
		if (root && *root)
			e->root = dl_strdup(root);
		if (!e->kernel.path)
			e->kind = DL_ENTRY_OTHER;
		if (!e->args && e->kernel.path)
			e->args = dl_strdup("");
		pop_scope(g, &s);
		g->cur = -1;
		if (r < 0)
			return r;
	}
	g->pargv = NULL;
	g->pargc = 0;
	return 0;
}

/* timeout_style (GRUB 2.00+: menu, countdown, hidden), else GRUB 1.98's
 * hidden_timeout (the menu hidden for that long); superusers locks editing. */
static void set_timeout_style(struct g2 *g)
{
	struct dl_boot_config *cfg = g->cfg;
	const char *s = g2_get(g, "timeout_style"), *h = g2_get(g, "hidden_timeout");
	if (s && !strcmp(s, "menu"))
		cfg->timeout_style = DL_TIMEOUT_MENU;
	else if (s && !strcmp(s, "countdown"))
		cfg->timeout_style = DL_TIMEOUT_COUNTDOWN;
	else if (s && !strcmp(s, "hidden"))
		cfg->timeout_style = DL_TIMEOUT_HIDDEN;
	else if (h && *h) {
		long v = strtol(h, NULL, 10);
		cfg->timeout_style = DL_TIMEOUT_HIDDEN;
		cfg->timeout = v < 0 || v > 1000000 ? -1 : (int)v;
	}
	const char *su = g2_get(g, "superusers");
	cfg->locked = su && *su;
}

/* A top-level entry titled exactly s, or -1. */
static int top_titled(const struct dl_boot_config *cfg, const char *s)
{
	for (size_t i = 0; i < cfg->nentries; i++)
		if (cfg->entries[i].parent == -1 && cfg->entries[i].title &&
		    !strcmp(cfg->entries[i].title, s))
			return (int)i;
	return -1;
}

static bool top_id(const struct dl_boot_config *cfg, const char *s)
{
	for (size_t i = 0; i < cfg->nentries; i++)
		if (cfg->entries[i].parent == -1 && cfg->entries[i].id && !strcmp(cfg->entries[i].id, s))
			return true;
	return false;
}

/* All of s is one number as grub_strtoul reads it (decimal, 0x hex, 0 octal). */
static bool whole_number(const char *s)
{
	const char *digits = s[0] == '0' && s[1] == 'x' ? (s += 2, "0123456789abcdefABCDEF")
			     : s[0] == '0' ? "01234567" : "0123456789";
	return *s && !s[strspn(s, digits)];
}

/* GRUB's fallback list, as grub_menu_execute_with_fallback consumes it
 * with get_and_remove_first_entry_number (grub-core/normal/menu.c): a
 * space-separated list, each item a top-level entry number (GRUB 2.06+
 * reads the list; grub_strtoul, so "2x" is 2 and the list ends at "x"),
 * or, in the GRUB of Fedora/RHEL/SUSE (rhboot "Allow fallback to include
 * entries by title, not just number": get_entry_number_helper), an id
 * up to the next blank, or a title matching the whole rest of the list.
 * The first item that names no entry ends the list. */
static void set_fallbacks(struct dl_boot_config *cfg, const char *f)
{
	while (cfg->nfallbacks < DL_BOOT_MAX_FALLBACKS) {
		f += strspn(f, " \t\r\n");
		if (!*f)
			return;
		int idx = top_titled(cfg, f);
		if (idx >= 0) {
			dl_cfg_add_fallback(cfg, idx);
			return;
		}
		size_t n = strcspn(f, " \t\r\n");
		char *one = dl_strndup(f, n);
		idx = dl_cfg_resolve_path(cfg, one);
		bool junk = idx >= 0 && !top_id(cfg, one) && !whole_number(one);
		free(one);
		if (idx < 0)
			return;
		dl_cfg_add_fallback(cfg, idx);
		if (junk)   /* "2x": grub_strtoul stops at "x", which ends the list */
			return;
		f += n;
	}
}

static void set_defaults(struct g2 *g)
{
	struct dl_boot_config *cfg = g->cfg;
	const char *d = g2_get(g, "default");
	if (d && strcmp(d, "saved") == 0)
		d = g2_get(g, "saved_entry");
	cfg->default_spec = d ? dl_strdup(d) : NULL;
	if (cfg->nentries) {
		int idx = d && *d ? dl_cfg_resolve_path(cfg, d) : 0;
		if (idx < 0) {
			dl_warn("%s: default entry '%s' not found, using the first entry", cfg->path, d);
			idx = 0;
		}
		cfg->def = dl_cfg_first_leaf(cfg, idx);
	}
	const char *f = g2_get(g, "fallback");
	if (f && cfg->nentries)
		set_fallbacks(cfg, f);
	const char *t = g2_get(g, "timeout");
	if (t && *t) {
		long v = strtol(t, NULL, 10);
		cfg->timeout = v < 0 || v > 1000000 ? -1 : (int)v;
	}
	set_timeout_style(g);
}

static int grub2_parse(const char *name, const char *buf, size_t len,
		       const struct dl_boot_io *io, struct dl_boot_config *cfg, struct dl_error *err)
{
	struct g2 g = {0};
	g.io = io;
	g.cfg = cfg;
	g.err = err;
	g.scope = &g.global;
	g.parent = -1;
	g.cur = -1;
	g.self = io ? io->self_dev : NULL;
	g.file = name;
	dl_cfg_init(cfg, dl_grub2_parser.name, name);
	set_initial(&g, name);
	struct g2_node *ast;
	int r = g2_parse(&g.arena, name, buf, len, &ast, err, &g.syntax);
	if (r == 0) {
		g.src_stack[g.src_depth++] = (char *)name;
		r = g2_exec_list(&g, ast);
		g.unwind = G2_NONE;
	}
	if (r == 0)
		r = eval_pending(&g);
	/* GRUB goes on after a syntax error; with nothing left to boot, the
	 * error is what to report */
	if (r == 0 && g.syntax.code && !cfg->nentries)
		r = dl_fail(err, g.syntax.code, "%s", g.syntax.msg);
	else if (r == 0 && g.syntax.code)
		dl_warn("%s (statement skipped, as GRUB does)", g.syntax.msg);
	if (r == 0)
		set_defaults(&g);
	g2_scope_free(&g.global);
	free(g.pending);
	g2_arena_free(&g.arena);
	if (r < 0)
		dl_boot_config_free(cfg);
	return r;
}

/* GRUB 2 is the format of any file no other parser claims. */
const struct dl_boot_parser dl_grub2_parser = {
	.name = "grub2",
	.parse = grub2_parse,
};
