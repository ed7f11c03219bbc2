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

static int expand_word(struct g2 *g, const struct g2_word *w, struct dl_strv *out)
{
	struct dl_sbuf f = {.max = G2_MAX_WORD};
	bool have = false;
	int rc = 0;
	for (const struct g2_frag *fr = w->frags; fr; fr = fr->next) {
		const char *val;
		char *tmp = NULL;
		if (fr->type == G2_TEXT) {
			val = fr->s;
			have |= fr->quoted || *val;
		} else {
			if (strcmp(fr->s, "@") == 0 && fr->quoted) {
				/* "$@": one word per positional parameter */
				for (int i = 1; i < g->pargc; i++) {
					if (i > 1 && (rc = push_field(g, out, &f)) < 0)
						goto out;
					if (dl_sbuf_add(&f, g->pargv[i], strlen(g->pargv[i])) < 0)
						goto toolong;
					have = true;
				}
				continue;
			}
			if (strcmp(fr->s, "@") == 0 || strcmp(fr->s, "*") == 0)
				val = tmp = positional_all(g);
			else
				val = g2_get(g, fr->s);
			if (!val)
				val = "";
			if (fr->quoted)
				have = true;
		}
		if (fr->type == G2_TEXT || fr->quoted) {
			if (dl_sbuf_add(&f, val, strlen(val)) < 0) {
				free(tmp);
				goto toolong;
			}
		} else {
			/* unquoted expansion: split into fields on blanks */
			for (const char *p = val; *p; p++) {
				if (*p == ' ' || *p == '\t' || *p == '\n') {
					if (have && (rc = push_field(g, out, &f)) < 0)
						goto done_tmp;
					have = false;
					continue;
				}
				if (dl_sbuf_addc(&f, *p) < 0) {
					free(tmp);
					goto toolong;
				}
				have = true;
			}
		}
done_tmp:
		free(tmp);
		if (rc < 0)
			goto out;
	}
	if (have)
		rc = push_field(g, out, &f);
out:
	dl_sbuf_free(&f);
	return rc;
toolong:
	dl_sbuf_free(&f);
	return dl_fail(g->err, DL_ELIMIT, "%s:%d: expanded word longer than %u bytes", g->file,
		       g->line, G2_MAX_WORD);
}

static int expand_words(struct g2 *g, const struct g2_word *w, struct dl_strv *out)
{
	for (; w; w = w->next)
		if (expand_word(g, w, out) < 0) {
			dl_strv_free(out);
			return -1;
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
	for (; n && !g->unwind; n = n->next)
		if (exec_node(g, n) < 0)
			return -1;
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
	if (expand_words(g, n->words, &a) < 0)
		return -1;
	int r = 0;
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

static int exec_menu(struct g2 *g, struct g2_node *n)
{
	if (g->cur >= 0) {
		/* a menuentry inside an entry body only matters once booted */
		g->status = 0;
		return 0;
	}
	struct dl_strv a = {0};
	if (expand_words(g, n->words, &a) < 0)
		return -1;
	g->file = n->file;
	g->line = n->line;
	const char *title = NULL, *id = NULL;
	struct dl_strv pos = {0};
	bool opts = true;
	/* $0 placeholder: the title is $1, extra arguments $2.. */
	*(char **)dl_array_push(&pos.v, &pos.n, &pos.cap, sizeof(char *)) = (char *)"menuentry";
	for (size_t i = 0; i < a.n; i++) {
		const char *s = a.v[i];
		if (opts && strcmp(s, "--") == 0) {
			opts = false;
			continue;
		}
		if (opts && strncmp(s, "--", 2) == 0) {
			static const char *const withval[] = {"--class", "--users", "--hotkey", "--id", NULL};
			const char *eq = strchr(s, '=');
			for (int k = 0; withval[k]; k++) {
				size_t kl = strlen(withval[k]);
				if (strncmp(s, withval[k], kl) != 0)
					continue;
				const char *v = NULL;
				if (s[kl] == '=')
					v = eq + 1;
				else if (s[kl] == '\0' && i + 1 < a.n)
					v = a.v[++i];
				else
					continue;
				if (k == 3)
					id = v;
			}
			continue;
		}
		char **slot = dl_array_push(&pos.v, &pos.n, &pos.cap, sizeof(char *));
		*slot = a.v[i];
		if (!title)
			title = s;
	}
	if (!title) {
		dl_warn("%s:%d: %s without a title ignored", n->file, n->line,
			n->type == G2_MENU ? "menuentry" : "submenu");
		free(pos.v);
		dl_strv_free(&a);
		g->status = 1;
		return 0;
	}
	struct dl_boot_entry *e = dl_cfg_add_entry(g->cfg, n->file, n->line, g->err);
	int r = 0;
	if (!e) {
		r = -1;
		goto out;
	}
	int idx = (int)(e - g->cfg->entries);
	e->title = dl_strdup(title);
	e->id = id ? dl_strdup(id) : NULL;
	e->parent = g->parent;
	e->depth = g->depth;
	char **pargv = arena_argv(g, pos.v, (int)pos.n);
	if (n->type == G2_MENU) {
		struct g2_pending *p = dl_array_push(&g->pending, &g->npending, &g->cappending,
						     sizeof(*p));
		p->entry = idx;
		p->body = n->body;
		p->argv = pargv;
		p->argc = (int)pos.n;
		p->file = n->file;
		p->line = n->line;
	} else {
		e->submenu = true;
		struct g2_scope s;
		int sp = g->parent, sd = g->depth, sc = g->pargc, sl = g->loops;
		char **sv = g->pargv;
		push_scope(g, &s);
		g->parent = idx;
		g->depth++;
		g->pargv = pargv;
		g->pargc = (int)pos.n;
		g->loops = 0;
		r = g2_exec_list(g, n->body);
		pop_scope(g, &s);
		g->parent = sp;
		g->depth = sd;
		g->pargv = sv;
		g->pargc = sc;
		g->loops = sl;
		if (g->unwind != G2_EXIT)
			g->unwind = G2_NONE;
	}
	g->status = 0;
out:
	free(pos.v);
	dl_strv_free(&a);
	return r;
}

static int exec_if(struct g2 *g, struct g2_node *n)
{
	for (struct g2_clause *c = n->clauses; c; c = c->next) {
		if (c->cond) {
			if (g2_exec_list(g, c->cond) < 0)
				return -1;
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
		if (expand_words(g, n->words->next, &a) < 0) {
			g->loops--;
			return -1;
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

static int exec_node(struct g2 *g, struct g2_node *n)
{
	if (step(g, n) < 0)
		return -1;
	/* bounds the C stack: blocks inside function calls inside sourced files */
	if (g->nest >= G2_MAX_EXEC_NEST)
		return dl_fail(g->err, DL_ELIMIT, "%s:%d: statements nested deeper than %d", n->file,
			       n->line, G2_MAX_EXEC_NEST);
	g->nest++;
	int r = 0;
	switch (n->type) {
	case G2_CMD:
		r = exec_cmd(g, n);
		break;
	case G2_IF:
		r = exec_if(g, n);
		break;
	case G2_FUNC: {
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
		break;
	}
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

int g2_run_file(struct g2 *g, const char *spec, bool configfile)
{
	char *dev, *path;
	g2_resolve(g, spec, &dev, &path);
	char *pathn = dl_path_norm(NULL, path);
	free(path);
	path = pathn;
	char *name = dev ? dl_asprintf("(%s)%s", dev, path) : dl_strdup(path);
	int r = 0;
	if (g->src_depth >= DL_BOOT_MAX_DEPTH) {
		bool loop = false;
		for (int i = 0; i < g->src_depth; i++)
			loop |= strcmp(g->src_stack[i], name) == 0;
		struct dl_sbuf chain = {.max = 600};
		for (int i = 0; i < g->src_depth; i++) {
			if (dl_sbuf_add(&chain, g->src_stack[i], strlen(g->src_stack[i])) < 0 ||
			    dl_sbuf_add(&chain, " -> ", 4) < 0)
				break;
		}
		dl_fail(g->err, DL_ELIMIT, "%s:%d: %s nested deeper than %d%s: %s%s", g->file, g->line,
			configfile ? "configfile" : "source", DL_BOOT_MAX_DEPTH,
			loop ? " (a loop)" : "", dl_sbuf_str(&chain), name);
		dl_sbuf_free(&chain);
		r = -1;
		goto out;
	}
	if (++g->files > G2_MAX_FILES) {
		r = dl_fail(g->err, DL_ELIMIT, "%s:%d: more than %d files sourced", g->file, g->line,
			    G2_MAX_FILES);
		goto out;
	}
	char *buf;
	size_t len;
	struct dl_error lerr = {0};
	r = dl_io_read(g->io, dev, path, &buf, &len, &lerr);
	if (r != 0) {
		if (r < 0)
			dl_warn("%s:%d: %s", g->file, g->line, lerr.msg);
		r = DL_ABSENT;
		goto out;
	}
	struct g2_node *ast;
	r = g2_parse(&g->arena, name, buf, len, &ast, g->err);
	free(buf);
	if (r < 0)
		goto out;
	const char *sfile = g->file;
	int sline = g->line;
	g->src_stack[g->src_depth++] = name;
	if (configfile) {
		/* a new menu replaces the current one */
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
out:
	free(dev);
	free(path);
	free(name);
	return r;
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
		int r = g2_exec_list(g, p->body);
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
			return -1;
	}
	g->pargv = NULL;
	g->pargc = 0;
	return 0;
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
	if (f && *f && cfg->nentries) {
		char *one = dl_strndup(f, strcspn(f, " \t"));
		cfg->fallback = dl_cfg_first_leaf(cfg, dl_cfg_resolve_path(cfg, one));
		free(one);
	}
	const char *t = g2_get(g, "timeout");
	if (t && *t) {
		long v = strtol(t, NULL, 10);
		cfg->timeout = v < 0 || v > 1000000 ? -1 : (int)v;
	}
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
	int r = g2_parse(&g.arena, name, buf, len, &ast, err);
	if (r == 0) {
		g.src_stack[g.src_depth++] = (char *)name;
		r = g2_exec_list(&g, ast);
		g.unwind = G2_NONE;
	}
	if (r == 0)
		r = eval_pending(&g);
	if (r == 0)
		set_defaults(&g);
	g2_scope_free(&g.global);
	free(g.pending);
	g2_arena_free(&g.arena);
	if (r < 0) {
		dl_boot_config_free(cfg);
		return -1;
	}
	return 0;
}

/* GRUB 2 is the format of any file no other parser claims. */
const struct dl_boot_parser dl_grub2_parser = {
	.name = "grub2",
	.parse = grub2_parse,
};
