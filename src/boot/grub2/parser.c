/* GRUB 2 script parser: recursive descent over the lexer, building the AST
 * of grub2.h.  Grammar (grub-core/script/parser.y, simplified):
 *   list      := { EOL | statement }
 *   statement := if list then list {elif list then list} [else list] fi
 *              | function NAME { list }
 *              | menuentry WORDS { list } | submenu WORDS { list }
 *              | for NAME in WORDS ; do list done
 *              | while|until list ; do list done
 *              | { list }
 *              | [!] WORDS
 * Nesting is capped (G2_MAX_NEST); every error names file:line. */
#include <string.h>

#include "boot/grub2/grub2.h"

struct parser {
	struct g2_lexer lx;
	int nest;
	struct dl_error *recover;   /* top-level syntax errors go here, not fatal */
};

static const char *word_text(const struct g2_word *w)
{
	return w && w->plain ? w->frags->s : NULL;
}

static bool is_kw(const struct g2_word *w, const char *kw)
{
	const char *t = word_text(w);
	return t && strcmp(t, kw) == 0;
}

static int perr(struct parser *p, const char *fmt, const char *arg)
{
	char msg[256];
	snprintf(msg, sizeof(msg), fmt, arg);
	return dl_fail(p->lx.err, DL_ESYNTAX, "%s:%d: %s", p->lx.name, p->lx.tok_line, msg);
}

/* stop: NULL-terminated keywords that end the list (not consumed);
 * brace: a '}' ends the list. */
static int parse_list(struct parser *p, const char *const *stop, bool brace,
		      struct g2_node **out);

static int expect_kw(struct parser *p, const char *kw)
{
	int t = g2_lex_peek(&p->lx);
	if (t < 0)
		return t;
	if (t != G2T_WORD || !is_kw(p->lx.word, kw))
		return perr(p, "syntax error: expected '%s'", kw);
	g2_lex_consume(&p->lx);
	return 0;
}

static int skip_eols(struct parser *p)
{
	int t;
	while ((t = g2_lex_peek(&p->lx)) == G2T_EOL)
		g2_lex_consume(&p->lx);
	return t;
}

static int parse_braced(struct parser *p, struct g2_node **body)
{
	int t = skip_eols(p);
	if (t < 0)
		return t;
	if (t != G2T_LBRACE)
		return perr(p, "syntax error: expected '{'%s", "");
	g2_lex_consume(&p->lx);
	int r = parse_list(p, NULL, true, body);
	if (r < 0)
		return r;
	t = g2_lex_peek(&p->lx);
	if (t < 0)
		return t;
	if (t != G2T_RBRACE)
		return perr(p, "syntax error: missing '}'%s", "");
	g2_lex_consume(&p->lx);
	return 0;
}

/* The words up to the end of the command, appended at *tail.  The token
 * after them (EOL, '{', '}', EOF), or a negative errno. */
static int parse_words(struct parser *p, struct g2_word **tail)
{
	int t;
	while ((t = g2_lex_peek(&p->lx)) == G2T_WORD) {
		*tail = p->lx.word;
		tail = &p->lx.word->next;
		g2_lex_consume(&p->lx);
	}
	return t;
}

static const char *const to_then[] = {"then", NULL};
static const char *const to_do[] = {"do", NULL};
static const char *const to_done[] = {"done", NULL};
static const char *const to_fi[] = {"elif", "else", "fi", NULL};
static const char *const to_fi_only[] = {"fi", NULL};

/* Each parses what follows its keyword (consumed) into n. */

/* if list; then list; [elif list; then list;]... [else list;] fi */
static int parse_if(struct parser *p, struct g2_node *n, const char *kw)
{
	struct g2_lexer *lx = &p->lx;
	struct g2_clause **tail = &n->clauses;
	int r;
	(void)kw;
	n->type = G2_IF;
	for (;;) {
		struct g2_clause *c = g2_alloc(lx->a, sizeof(*c));
		if ((r = parse_list(p, to_then, false, &c->cond)) < 0 || (r = expect_kw(p, "then")) < 0 ||
		    (r = parse_list(p, to_fi, false, &c->body)) < 0)
			return r;
		*tail = c;
		tail = &c->next;
		if ((r = g2_lex_peek(lx)) < 0)
			return r;
		if (!is_kw(lx->word, "elif"))
			break;
		g2_lex_consume(lx);
	}
	if (is_kw(lx->word, "else")) {
		g2_lex_consume(lx);
		struct g2_clause *c = g2_alloc(lx->a, sizeof(*c));
		if ((r = parse_list(p, to_fi_only, false, &c->body)) < 0)
			return r;
		*tail = c;
	}
	return expect_kw(p, "fi");
}

/* while|until list; do list; done */
static int parse_loop(struct parser *p, struct g2_node *n, const char *kw)
{
	int r;
	n->type = kw[0] == 'w' ? G2_WHILE : G2_UNTIL;
	if ((r = parse_list(p, to_do, false, &n->cond)) < 0 || (r = expect_kw(p, "do")) < 0 ||
	    (r = parse_list(p, to_done, false, &n->body)) < 0)
		return r;
	return expect_kw(p, "done");
}

/* A plain word naming what kw defines (a loop variable, a function). */
static int parse_name(struct parser *p, struct g2_node *n, const char *what)
{
	int t = g2_lex_peek(&p->lx);
	if (t < 0)
		return t;
	if (t != G2T_WORD || !p->lx.word->plain)
		return perr(p, "syntax error: %s", what);
	n->words = p->lx.word;
	g2_lex_consume(&p->lx);
	return 0;
}

/* for NAME in WORDS; do list; done */
static int parse_for(struct parser *p, struct g2_node *n, const char *kw)
{
	int r;
	(void)kw;
	n->type = G2_FOR;
	if ((r = parse_name(p, n, "'for' needs a variable name")) < 0 ||
	    (r = expect_kw(p, "in")) < 0 || (r = parse_words(p, &n->words->next)) < 0 ||
	    (r = skip_eols(p)) < 0 || (r = expect_kw(p, "do")) < 0 ||
	    (r = parse_list(p, to_done, false, &n->body)) < 0)
		return r;
	return expect_kw(p, "done");
}

/* function NAME { list } */
static int parse_function(struct parser *p, struct g2_node *n, const char *kw)
{
	int r;
	(void)kw;
	n->type = G2_FUNC;
	if ((r = parse_name(p, n, "'function' needs a name")) < 0)
		return r;
	return parse_braced(p, &n->body);
}

/* menuentry|submenu WORDS { list } */
static int parse_menu(struct parser *p, struct g2_node *n, const char *kw)
{
	n->type = kw[0] == 'm' ? G2_MENU : G2_SUBMENU;
	int r = parse_words(p, &n->words);
	if (r < 0)
		return r;
	if (!n->words)
		return perr(p, "syntax error: %s without a title", kw);
	return parse_braced(p, &n->body);
}

/* [!] WORDS: a command; reserved words that start nothing are errors */
static int parse_command(struct parser *p, struct g2_node *n, const char *kw)
{
	static const char *const reserved[] = {"then", "elif", "else", "fi", "do", "done", "in",
					       "case", "esac", "select", NULL};
	for (int i = 0; kw && reserved[i]; i++)
		if (strcmp(kw, reserved[i]) == 0)
			return perr(p, "syntax error: unexpected '%s'", kw);
	n->type = G2_CMD;
	int t = parse_words(p, &n->words);
	if (t < 0)
		return t;
	if (t == G2T_LBRACE)
		return perr(p, "syntax error: unexpected '{'%s", "");
	return 0;
}

static const struct compound {
	const char *kw;
	int (*parse)(struct parser *p, struct g2_node *n, const char *kw);
} compounds[] = {
	{"if", parse_if},           {"while", parse_loop},     {"until", parse_loop},
	{"for", parse_for},         {"function", parse_function}, {"menuentry", parse_menu},
	{"submenu", parse_menu},
};

static int parse_statement(struct parser *p, struct g2_node **out)
{
	struct g2_lexer *lx = &p->lx;
	struct g2_node *n = g2_alloc(lx->a, sizeof(*n));
	int t = g2_lex_peek(lx);
	if (t < 0)
		return t;
	n->line = lx->tok_line;
	n->file = lx->name;
	if (++p->nest > G2_MAX_NEST)
		return dl_fail(lx->err, DL_ELIMIT, "%s:%d: blocks nested deeper than %d", lx->name,
			       n->line, G2_MAX_NEST);
	*out = n;
	int r;
	const char *kw = t == G2T_WORD ? word_text(lx->word) : NULL;
	if (t == G2T_LBRACE) {
		n->type = G2_BLOCK;
		r = parse_braced(p, &n->body);
	} else if (kw && strcmp(kw, "!") == 0) {
		g2_lex_consume(lx);
		if ((r = parse_statement(p, out)) == 0)
			(*out)->negate = !(*out)->negate;
	} else {
		const struct compound *c = NULL;
		for (size_t i = 0; kw && !c && i < DL_ARRAY_SIZE(compounds); i++)
			if (strcmp(kw, compounds[i].kw) == 0)
				c = &compounds[i];
		if (c)
			g2_lex_consume(lx);
		r = c ? c->parse(p, n, kw) : parse_command(p, n, kw);
	}
	if (r < 0)
		return r;
	p->nest--;
	return 0;
}

/* GRUB reads a file one top-level statement at a time (normal/main.c
 * read_config_file, grub_normal_parse_line): a syntax error is printed,
 * the statement dropped, and reading goes on after the line where the
 * error showed.  The first error is kept in p->recover. */
static void recover(struct parser *p)
{
	struct g2_lexer *lx = &p->lx;
	dl_debug("%s", lx->err->msg);
	if (!p->recover->code)
		*p->recover = *lx->err;
	memset(lx->err, 0, sizeof(*lx->err));
	bool at_line_start = lx->have && lx->tok == G2T_EOL && lx->pos && lx->buf[lx->pos - 1] == '\n';
	while (!at_line_start && lx->pos < lx->len && lx->buf[lx->pos] != '\n')
		lx->pos++;
	if (!at_line_start && lx->pos < lx->len) {
		lx->pos++;
		lx->line++;
	}
	lx->have = false;
	lx->words_on_line = 0;
	p->nest = 0;
}

static int parse_list(struct parser *p, const char *const *stop, bool brace,
		      struct g2_node **out)
{
	struct g2_node **tail = out;
	*out = NULL;
	for (;;) {
		int t = skip_eols(p);
		if (t < 0)
			return t;
		if (t == G2T_EOF) {
			if (stop || brace)
				return perr(p, "syntax error: unexpected end of file, missing '%s'",
					    stop ? stop[0] : "}");
			return 0;
		}
		if (t == G2T_RBRACE && brace)
			return 0;
		bool top = !stop && !brace && p->recover;
		int r = t == G2T_RBRACE ? perr(p, "syntax error: unexpected '}'%s", "") : 0;
		if (r < 0 && top) {
			recover(p);
			continue;
		}
		if (r < 0)
			return r;
		if (t == G2T_WORD && stop)
			for (int i = 0; stop[i]; i++)
				if (is_kw(p->lx.word, stop[i]))
					return 0;
		struct g2_node *n;
		r = parse_statement(p, &n);
		if (r < 0 && top && p->lx.err->code == DL_ESYNTAX) {
			recover(p);
			continue;
		}
		if (r < 0)
			return r;
		*tail = n;
		while (n->next)
			n = n->next;
		tail = &n->next;
	}
}

int g2_parse(struct g2_arena *a, const char *name, const char *buf, size_t len,
	     struct g2_node **out, struct dl_error *err, struct dl_error *recover)
{
	struct parser p = {.recover = recover};
	p.lx.a = a;
	p.lx.name = g2_strndup(a, name, strlen(name));
	p.lx.buf = buf;
	p.lx.len = len;
	p.lx.line = 1;
	p.lx.err = err;
	if (len > DL_BOOT_MAX_FILE)
		return dl_fail(err, DL_ELIMIT, "%s: larger than %u bytes", name, DL_BOOT_MAX_FILE);
	if (memchr(buf, '\0', len))
		return dl_fail(err, DL_ESYNTAX, "%s: contains a NUL byte", name);
	return parse_list(&p, NULL, false, out);
}
