/* GRUB 2 script lexer, following grub-core/script/yylex.l: words made of
 * unquoted text, '...' (literal), "..." ($-expansion, \ escapes only
 * $ " \ and newline), backslash escapes, $name / ${name} variables;
 * '#' starts a comment at the start of a word; ';' and newline end a
 * command; '{' and '}' are tokens; backslash-newline continues a line. */
#include <ctype.h>
#include <string.h>

#include "boot/grub2/grub2.h"

static int lex_fail(struct g2_lexer *lx, int line, const char *what)
{
	return dl_fail(lx->err, DL_ESYNTAX, "%s:%d: %s", lx->name, line, what);
}

/* A word being read: its fragments so far, the text and variable name
 * being accumulated. */
struct word {
	struct g2_lexer *lx;
	struct g2_frag **tail;
	struct dl_sbuf text, var;
	int nfrags;
	bool quoted;        /* any quoting, escape or variable: not a keyword */
	int start;          /* line of the word, for messages */
};

/* Move sb into a new fragment of w. */
static void add_frag(struct word *w, enum g2_frag_type t, bool quoted, struct dl_sbuf *sb)
{
	struct g2_frag *f = g2_alloc(w->lx->a, sizeof(*f));
	f->type = t;
	f->quoted = quoted;
	f->s = g2_strndup(w->lx->a, dl_sbuf_str(sb), sb->len);
	*w->tail = f;
	w->tail = &f->next;
	w->nfrags++;
	sb->len = 0;
	if (sb->p)
		sb->p[0] = '\0';
}

static bool varchar(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* At lx->pos == '$': read a variable reference into name; false if the
 * '$' is literal. */
static bool lex_var(struct g2_lexer *lx, struct dl_sbuf *name)
{
	const char *b = lx->buf;
	size_t p = lx->pos + 1, n = lx->len;
	if (p < n && b[p] == '{') {
		size_t s = p + 1, e = s;
		while (e < n && b[e] != '}' && b[e] != '\n' && e - s < 256)
			e++;
		if (e >= n || b[e] != '}' || e == s)
			return false;
		dl_sbuf_add(name, b + s, e - s);
		lx->pos = e + 1;
		return true;
	}
	if (p < n && (b[p] == '?' || b[p] == '#' || b[p] == '@' || b[p] == '*')) {
		dl_sbuf_addc(name, b[p]);
		lx->pos = p + 1;
		return true;
	}
	if (p < n && isdigit((unsigned char)b[p])) {
		size_t e = p;
		while (e < n && isdigit((unsigned char)b[e]) && e - p < 8)
			e++;
		dl_sbuf_add(name, b + p, e - p);
		lx->pos = e;
		return true;
	}
	size_t e = p;
	while (e < n && varchar(b[e]) && e - p < 256)
		e++;
	if (e == p)
		return false;
	dl_sbuf_add(name, b + p, e - p);
	lx->pos = e;
	return true;
}

/* At '$' with a variable reference: the text so far, then the variable. */
static bool lex_var_frag(struct word *w, bool quoted)
{
	if (!lex_var(w->lx, &w->var))
		return false;
	if (w->text.len)
		add_frag(w, G2_TEXT, quoted, &w->text);
	add_frag(w, G2_VAR, quoted, &w->var);
	return true;
}

static bool word_end(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '{' || c == '}';
}

/* '...': everything literal up to the next quote */
static int lex_single_quoted(struct word *w)
{
	struct g2_lexer *lx = w->lx;
	size_t s = ++lx->pos;
	while (lx->pos < lx->len && lx->buf[lx->pos] != '\'')
		if (lx->buf[lx->pos++] == '\n')
			lx->line++;
	if (lx->pos >= lx->len)
		return lex_fail(lx, w->start, "unterminated single quote");
	dl_sbuf_add(&w->text, lx->buf + s, lx->pos - s);
	lx->pos++;
	/* an empty '' still makes a (quoted) word */
	if (w->text.len == 0)
		add_frag(w, G2_TEXT, true, &w->text);
	return 0;
}

/* "...": $variables expand; backslash escapes only $ " \ and newline */
static int lex_double_quoted(struct word *w)
{
	struct g2_lexer *lx = w->lx;
	const char *b = lx->buf;
	bool any = false;
	for (lx->pos++;;) {
		if (lx->pos >= lx->len)
			return lex_fail(lx, w->start, "unterminated double quote");
		char c = b[lx->pos];
		if (c == '"') {
			lx->pos++;
			break;
		}
		if (c == '\\' && lx->pos + 1 < lx->len) {
			char d = b[lx->pos + 1];
			if (d == '\n') {
				lx->line++;
				lx->pos += 2;
				continue;
			}
			if (d == '$' || d == '"' || d == '\\') {
				dl_sbuf_addc(&w->text, d);
				lx->pos += 2;
				continue;
			}
		}
		if (c == '$' && lex_var_frag(w, true)) {
			any = true;
			continue;
		}
		if (c == '\n')
			lx->line++;
		dl_sbuf_addc(&w->text, c);
		lx->pos++;
	}
	if (w->text.len || !any)
		add_frag(w, G2_TEXT, true, &w->text);
	return 0;
}

/* \c outside quotes: c itself; backslash-newline continues the word */
static void lex_backslash(struct word *w)
{
	struct g2_lexer *lx = w->lx;
	if (lx->pos + 1 >= lx->len) {
		dl_sbuf_addc(&w->text, '\\');
		lx->pos++;
		return;
	}
	char d = lx->buf[lx->pos + 1];
	lx->pos += 2;
	if (d == '\n') {
		lx->line++;
		return;
	}
	w->quoted = true;
	dl_sbuf_addc(&w->text, d);
}

static int lex_word(struct g2_lexer *lx)
{
	struct g2_word *gw = g2_alloc(lx->a, sizeof(*gw));
	struct word w = {.lx = lx, .tail = &gw->frags, .start = lx->line};
	int r = 0;
	while (r == 0 && lx->pos < lx->len && !word_end(lx->buf[lx->pos])) {
		char c = lx->buf[lx->pos];
		if (c == '\'') {
			w.quoted = true;
			r = lex_single_quoted(&w);
		} else if (c == '"') {
			w.quoted = true;
			r = lex_double_quoted(&w);
		} else if (c == '\\') {
			lex_backslash(&w);
		} else if (c == '$' && lex_var_frag(&w, false)) {
			w.quoted = true;   /* not a keyword */
		} else {
			dl_sbuf_addc(&w.text, c);
			lx->pos++;
		}
	}
	if (r == 0) {
		if (w.text.len)
			add_frag(&w, G2_TEXT, false, &w.text);
		gw->plain = !w.quoted && w.nfrags == 1;
		lx->word = gw;
		lx->tok = G2T_WORD;
	}
	dl_sbuf_free(&w.text);
	dl_sbuf_free(&w.var);
	return r;
}

int g2_lex_peek(struct g2_lexer *lx)
{
	if (lx->have)
		return (int)lx->tok;
	const char *b = lx->buf;
	size_t n = lx->len;
	for (;;) {
		while (lx->pos < n && (b[lx->pos] == ' ' || b[lx->pos] == '\t' || b[lx->pos] == '\r'))
			lx->pos++;
		if (lx->pos + 1 < n && b[lx->pos] == '\\' && b[lx->pos + 1] == '\n') {
			lx->pos += 2;
			lx->line++;
			continue;
		}
		if (lx->pos < n && b[lx->pos] == '#') {
			while (lx->pos < n && b[lx->pos] != '\n')
				lx->pos++;
			continue;
		}
		break;
	}
	lx->tok_line = lx->line;
	lx->word = NULL;
	if (lx->pos >= n) {
		lx->tok = G2T_EOF;
	} else if (b[lx->pos] == '\n' || b[lx->pos] == ';') {
		if (b[lx->pos] == '\n')
			lx->line++;
		lx->pos++;
		lx->words_on_line = 0;
		lx->tok = G2T_EOL;
	} else if (b[lx->pos] == '{') {
		lx->pos++;
		lx->tok = G2T_LBRACE;
	} else if (b[lx->pos] == '}') {
		lx->pos++;
		lx->tok = G2T_RBRACE;
	} else {
		if (++lx->words_on_line > G2_MAX_ARGS)
			return dl_fail(lx->err, DL_ELIMIT, "%s:%d: more than %d words in one command",
				       lx->name, lx->line, G2_MAX_ARGS);
		int r = lex_word(lx);
		if (r < 0)
			return r;
	}
	lx->have = true;
	return (int)lx->tok;
}

void g2_lex_consume(struct g2_lexer *lx)
{
	lx->have = false;
}
