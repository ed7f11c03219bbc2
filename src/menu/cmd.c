/* The lines of the entry editor and of the command line: "linux PATH
 * ARGS", "initrd PATH...".  Paths are words; a backslash quotes the next
 * byte, so a path with a space survives the round trip through a line. */
#include "menu/internal.h"

#include <stdio.h>
#include <errno.h>
#include <string.h>

void dl_menu_cmd_free(struct dl_menu_cmd *c)
{
	free(c->kernel);
	free(c->args);
	for (size_t i = 0; i < c->ninitrds; i++)
		free(c->initrds[i]);
	free(c->initrds);
	*c = (struct dl_menu_cmd){ 0 };
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* The word at *pp, unquoted, malloc'd; *pp moves past it. */
static char *word(const char **pp)
{
	struct dl_sbuf b = { 0 };
	const char *p = *pp;
	for (; *p && *p != ' ' && *p != '\t'; p++) {
		if (*p == '\\' && p[1])
			p++;
		dl_sbuf_addc(&b, *p);
	}
	*pp = p;
	return dl_sbuf_take(&b);
}

static void add_quoted(struct dl_sbuf *b, const char *path)
{
	for (const char *p = path; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\\')
			dl_sbuf_addc(b, '\\');
		dl_sbuf_addc(b, *p);
	}
}

char *dl_menu_cmd_linux(const char *kernel, const char *args)
{
	struct dl_sbuf b = { 0 };
	dl_sbuf_adds(&b, "linux ");
	add_quoted(&b, kernel ? kernel : "");
	if (args && *args) {
		dl_sbuf_addc(&b, ' ');
		dl_sbuf_adds(&b, args);
	}
	return dl_sbuf_take(&b);
}

char *dl_menu_cmd_initrd(const char *const *initrds, size_t n)
{
	struct dl_sbuf b = { 0 };
	dl_sbuf_adds(&b, "initrd");
	for (size_t i = 0; i < n; i++) {
		dl_sbuf_addc(&b, ' ');
		add_quoted(&b, initrds[i]);
	}
	return dl_sbuf_take(&b);
}

int dl_menu_cmd_line(struct dl_menu_cmd *c, const char *line, char *msg, size_t msgsz)
{
	const char *p = skip_blanks(line);
	if (!*p || *p == '#')
		return 0;
	const char *kw = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	size_t kwlen = (size_t)(p - kw);
	p = skip_blanks(p);
	if ((kwlen == 5 && !memcmp(kw, "linux", 5)) || (kwlen == 6 && !memcmp(kw, "kernel", 6))) {
		if (!*p) {
			snprintf(msg, msgsz, "error: %.*s: filename expected", (int)kwlen, kw);
			return -EINVAL;
		}
		char *k = word(&p);
		free(c->kernel);
		free(c->args);
		c->kernel = k;
		c->args = dl_strdup(skip_blanks(p));
		return 0;
	}
	if (kwlen == 6 && !memcmp(kw, "initrd", 6)) {
		if (!*p) {
			snprintf(msg, msgsz, "error: initrd: filename expected");
			return -EINVAL;
		}
		struct dl_menu_cmd n = { 0 };
		size_t cap = 0;
		while (*p) {
			if (n.ninitrds == DL_MENU_MAX_INITRDS) {
				dl_menu_cmd_free(&n);
				snprintf(msg, msgsz, "error: initrd: more than %d files", DL_MENU_MAX_INITRDS);
				return -EINVAL;
			}
			char **slot = dl_array_push(&n.initrds, &n.ninitrds, &cap, sizeof(*slot));
			*slot = word(&p);
			p = skip_blanks(p);
		}
		for (size_t i = 0; i < c->ninitrds; i++)
			free(c->initrds[i]);
		free(c->initrds);
		c->initrds = n.initrds;
		c->ninitrds = n.ninitrds;
		return 0;
	}
	return 1;
}
