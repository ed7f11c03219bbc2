/* GRUB 2 variables: a global scope plus overlays (one per menu entry or
 * submenu being evaluated, so that an entry's "set root=..." does not leak
 * into its siblings).  Positional parameters live in struct g2. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "boot/grub2/grub2.h"

static struct g2_var *find(struct g2_scope *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->vars[i].name && strcmp(s->vars[i].name, name) == 0)
			return &s->vars[i];
	return NULL;
}

const char *g2_get(struct g2 *g, const char *name)
{
	static char num[32];
	if (strcmp(name, "?") == 0) {
		snprintf(num, sizeof(num), "%d", g->status);
		return num;
	}
	if (strcmp(name, "#") == 0) {
		snprintf(num, sizeof(num), "%d", g->pargc > 0 ? g->pargc - 1 : 0);
		return num;
	}
	if (isdigit((unsigned char)name[0])) {
		long i = strtol(name, NULL, 10);
		return i > 0 && i < g->pargc ? g->pargv[i] : NULL;
	}
	for (struct g2_scope *s = g->scope; s; s = s->up) {
		struct g2_var *v = find(s, name);
		if (v)
			return v->value;   /* NULL value: unset in this overlay */
	}
	return NULL;
}

static size_t count_vars(struct g2 *g)
{
	size_t n = 0;
	for (struct g2_scope *s = g->scope; s; s = s->up)
		n += s->n;
	return n;
}

int g2_set(struct g2 *g, const char *name, const char *value)
{
	if (strlen(value) > G2_MAX_WORD)
		return dl_fail(g->err, DL_ELIMIT, "%s:%d: value of %s longer than %u bytes", g->file,
			       g->line, name, G2_MAX_WORD);
	struct g2_var *v = find(g->scope, name);
	if (!v) {
		if (count_vars(g) >= G2_MAX_VARS)
			return dl_fail(g->err, DL_ELIMIT, "%s:%d: more than %d variables", g->file,
				       g->line, G2_MAX_VARS);
		v = dl_array_push(&g->scope->vars, &g->scope->n, &g->scope->cap, sizeof(*v));
		v->name = dl_strdup(name);
	}
	free(v->value);
	v->value = dl_strdup(value);
	return 0;
}

void g2_unset(struct g2 *g, const char *name)
{
	struct g2_var *v = find(g->scope, name);
	if (g->scope == &g->global) {
		if (v) {
			free(v->name);
			free(v->value);
			*v = g->global.vars[--g->global.n];
		}
		return;
	}
	/* in an overlay: record a tombstone */
	if (!v) {
		if (count_vars(g) >= G2_MAX_VARS)
			return;
		v = dl_array_push(&g->scope->vars, &g->scope->n, &g->scope->cap, sizeof(*v));
		v->name = dl_strdup(name);
	}
	free(v->value);
	v->value = NULL;
}

void g2_scope_free(struct g2_scope *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->vars[i].name);
		free(s->vars[i].value);
	}
	free(s->vars);
	s->vars = NULL;
	s->n = s->cap = 0;
}
