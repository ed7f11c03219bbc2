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
		return -1;
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
		return -1;
	if (t != G2T_LBRACE)
		return perr(p, "syntax error: expected '{'%s", "");
	g2_lex_consume(&p->lx);
	if (parse_list(p, NULL, true, body) < 0)
		return -1;
	t = g2_lex_peek(&p->lx);
	if (t < 0)
		return -1;
	if (t != G2T_RBRACE)
		return perr(p, "syntax error: missing '}'%s", "");
	g2_lex_consume(&p->lx);
	return 0;
}

static int parse_statement(struct parser *p, struct g2_node **out)
{
	struct g2_lexer *lx = &p->lx;
	struct g2_node *n = g2_alloc(lx->a, sizeof(*n));
	static const char *const to_then[] = {"then", NULL};
	static const char *const to_do[] = {"do", NULL};
	static const char *const to_done[] = {"done", NULL};
	static const char *const to_fi[] = {"elif", "else", "fi", NULL};
	static const char *const to_fi_only[] = {"fi", NULL};
	int t = g2_lex_peek(lx);
	if (t < 0)
		return -1;
	n->line = lx->tok_line;
	n->file = lx->name;
	if (++p->nest > G2_MAX_NEST)
		return dl_fail(lx->err, DL_ELIMIT, "%s:%d: blocks nested deeper than %d", lx->name,
			       n->line, G2_MAX_NEST);
	*out = n;
	if (t == G2T_LBRACE) {
		n->type = G2_BLOCK;
		if (parse_braced(p, &n->body) < 0)
			return -1;
		goto done;
	}
	struct g2_word *w = lx->word;
	const char *kw = word_text(w);
	if (kw && strcmp(kw, "!") == 0) {
		g2_lex_consume(lx);
		if (parse_statement(p, out) < 0)
			return -1;
		(*out)->negate = !(*out)->negate;
		goto done;
	}
	if (kw && strcmp(kw, "if") == 0) {
		g2_lex_consume(lx);
		n->type = G2_IF;
		struct g2_clause **tail = &n->clauses;
		for (;;) {
			struct g2_clause *c = g2_alloc(lx->a, sizeof(*c));
			if (parse_list(p, to_then, false, &c->cond) < 0 || expect_kw(p, "then") < 0 ||
			    parse_list(p, to_fi, false, &c->body) < 0)
				return -1;
			*tail = c;
			tail = &c->next;
			if (g2_lex_peek(lx) < 0)
				return -1;
			if (is_kw(lx->word, "elif")) {
				g2_lex_consume(lx);
				continue;
			}
			if (is_kw(lx->word, "else")) {
				g2_lex_consume(lx);
				c = g2_alloc(lx->a, sizeof(*c));
				if (parse_list(p, to_fi_only, false, &c->body) < 0)
					return -1;
				*tail = c;
			}
			if (expect_kw(p, "fi") < 0)
				return -1;
			break;
		}
		goto done;
	}
	if (kw && (strcmp(kw, "while") == 0 || strcmp(kw, "until") == 0)) {
		g2_lex_consume(lx);
		n->type = kw[0] == 'w' ? G2_WHILE : G2_UNTIL;
		if (parse_list(p, to_do, false, &n->cond) < 0 || expect_kw(p, "do") < 0 ||
		    parse_list(p, to_done, false, &n->body) < 0 || expect_kw(p, "done") < 0)
			return -1;
		goto done;
	}
	if (kw && strcmp(kw, "for") == 0) {
		g2_lex_consume(lx);
		n->type = G2_FOR;
		t = g2_lex_peek(lx);
		if (t < 0)
			return -1;
		if (t != G2T_WORD || !lx->word->plain)
			return perr(p, "syntax error: 'for' needs a variable name%s", "");
		n->words = lx->word;
		g2_lex_consume(lx);
		if (expect_kw(p, "in") < 0)
			return -1;
		struct g2_word **wt = &n->words->next;
		while ((t = g2_lex_peek(lx)) == G2T_WORD) {
			*wt = lx->word;
			wt = &lx->word->next;
			g2_lex_consume(lx);
		}
		if (t < 0)
			return -1;
		if (skip_eols(p) < 0 || expect_kw(p, "do") < 0 ||
		    parse_list(p, to_done, false, &n->body) < 0 || expect_kw(p, "done") < 0)
			return -1;
		goto done;
	}
	if (kw && strcmp(kw, "function") == 0) {
		g2_lex_consume(lx);
		n->type = G2_FUNC;
		t = g2_lex_peek(lx);
		if (t < 0)
			return -1;
		if (t != G2T_WORD || !lx->word->plain)
			return perr(p, "syntax error: 'function' needs a name%s", "");
		n->words = lx->word;
		g2_lex_consume(lx);
		if (parse_braced(p, &n->body) < 0)
			return -1;
		goto done;
	}
	if (kw && (strcmp(kw, "menuentry") == 0 || strcmp(kw, "submenu") == 0)) {
		g2_lex_consume(lx);
		n->type = kw[0] == 'm' ? G2_MENU : G2_SUBMENU;
		struct g2_word **wt = &n->words;
		while ((t = g2_lex_peek(lx)) == G2T_WORD) {
			*wt = lx->word;
			wt = &lx->word->next;
			g2_lex_consume(lx);
		}
		if (t < 0)
			return -1;
		if (!n->words)
			return perr(p, "syntax error: %s without a title",
				    n->type == G2_MENU ? "menuentry" : "submenu");
		if (parse_braced(p, &n->body) < 0)
			return -1;
		goto done;
	}
	static const char *const reserved[] = {"then", "elif", "else", "fi", "do", "done", "in",
					       "case", "esac", "select", NULL};
	for (int i = 0; kw && reserved[i]; i++)
		if (strcmp(kw, reserved[i]) == 0)
			return perr(p, "syntax error: unexpected '%s'", kw);
	/* simple command */
	n->type = G2_CMD;
	struct g2_word **wt = &n->words;
	while ((t = g2_lex_peek(lx)) == G2T_WORD) {
		*wt = lx->word;
		wt = &lx->word->next;
		g2_lex_consume(lx);
	}
	if (t < 0)
		return -1;
	if (t == G2T_LBRACE)
		return perr(p, "syntax error: unexpected '{'%s", "");
done:
	p->nest--;
	return 0;
}

static int parse_list(struct parser *p, const char *const *stop, bool brace,
		      struct g2_node **out)
{
	struct g2_node **tail = out;
	*out = NULL;
	for (;;) {
		int t = skip_eols(p);
		if (t < 0)
			return -1;
		if (t == G2T_EOF) {
			if (stop || brace)
				return perr(p, "syntax error: unexpected end of file, missing '%s'",
					    stop ? stop[0] : "}");
			return 0;
		}
		if (t == G2T_RBRACE) {
			if (brace)
				return 0;
			return perr(p, "syntax error: unexpected '}'%s", "");
		}
		if (t == G2T_WORD && stop)
			for (int i = 0; stop[i]; i++)
				if (is_kw(p->lx.word, stop[i]))
					return 0;
		struct g2_node *n;
		if (parse_statement(p, &n) < 0)
			return -1;
		*tail = n;
		while (n->next)
			n = n->next;
		tail = &n->next;
	}
}

int g2_parse(struct g2_arena *a, const char *name, const char *buf, size_t len,
	     struct g2_node **out, struct dl_error *err)
{
	struct parser p = {0};
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
