/* xl.cfg / xm configuration files: the libxlu grammar (libxlu_cfg_l.l,
 * libxlu_cfg_y.y) with libvirt virConf's additions ("""...""" strings,
 * nested lists, bare words):
 *
 *   file    := (setting | endstmt)*
 *   setting := ID ('=' | '+=') value endstmt
 *   endstmt := NEWLINE | ';' | EOF
 *   value   := atom | '[' (value (',' value)* ','?)? ']'   (newlines free inside [])
 *   atom    := STRING | NUMBER | WORD
 *
 * '#' starts a comment, backslash-newline continues a line.  "..." and '...'
 * strings use xl's C escapes (xlu__cfgl_dequote); other backslashes are
 * kept as written, as libvirt's virConf (no escapes) reads them;
 * """...""" has none.  The parser records each setting's byte span so that
 * the rewriter can keep all other bytes.
 *
 * Hand-written: libxlutil (Debian's libxen-dev) reads this grammar, but
 * xlu_cfg_readdata() keeps no byte offsets (the rewriter needs them), knows
 * none of virConf's additions, and ties the build to one Xen release's
 * libxenlight. */
#include "domcfg/domcfg.h"

#include <stddef.h>
#include <string.h>

enum tok { T_EOF, T_NL, T_SEMI, T_ID, T_STR, T_NUM, T_EQ, T_PLUSEQ, T_LBR, T_RBR, T_COMMA };

struct lexer {
	const char *buf;
	size_t len, pos;
	const char *name;
	struct dl_error *err;
	/* current token */
	enum tok t;
	size_t tstart, tend;
	char *sval;           /* dequoted string or raw text */
};

struct xval {
	bool list;
	char *s;              /* scalar */
	struct xval *items;   /* list (flattened scalars) */
	size_t n, cap;
	bool is_str;
};

struct stmt {
	char *key;
	bool append;
	size_t start, end;    /* setting bytes [start, end), end after its terminator */
	struct xval v;
};

struct xlfile {
	const char *buf;
	size_t len;
	struct stmt *st;
	size_t n, cap;
	size_t nodes;
};

static int lerr(struct lexer *l, size_t off, const char *what)
{
	return dl_fail(l->err, DL_ESYNTAX, "%s:%u: %s", l->name, dl_lineno(l->buf, l->len, off), what);
}

/* The escape after a backslash at buf[*i] (end excluded), appended to b;
 * *i moves to its last byte.  0, or a negative errno. */
static int unescape(struct lexer *l, size_t *i, size_t end, struct dl_sbuf *b)
{
	const char *p = l->buf;
	char c = p[*i];
	int v = dl_letter_escape(c);
	if (c == '\'' || c == '"' || c == '\\') {
		v = (unsigned char)c;
	} else if (c == 'x') {
		int h = *i + 1 < end ? dl_hexval((unsigned char)p[*i + 1]) : -1;
		int lo = h >= 0 && *i + 2 < end ? dl_hexval((unsigned char)p[*i + 2]) : -1;
		if (lo >= 0) {
			v = h * 16 + lo;
			*i += 2;
		}
	} else if (c >= '0' && c <= '7') {
		/* xl's "octal" escape is read in base 10 (quirk kept) */
		v = c - '0';
		for (int k = 0; k < 2 && *i + 1 < end && p[*i + 1] >= '0' && p[*i + 1] <= '9'; k++)
			v = v * 10 + (p[++*i] - '0');
		if (v > 255)
			return lerr(l, *i, "numeric escape out of range in string");
	}
	if (v >= 0) {
		dl_sbuf_addc(b, (char)v);
	} else {
		/* Not \xHH, or an escape xl rejects: virConf (libvirt, xm files
		 * written by it) has no escapes at all, so keep the backslash and
		 * the character, as virConf reads them. */
		dl_sbuf_addc(b, '\\');
		dl_sbuf_addc(b, c);
	}
	return 0;
}

/* The text of a '...' or "..." string, buf[start, end), with xl's escapes
 * (xlu__cfgl_dequote). */
static int dequote(struct lexer *l, size_t start, size_t end, char **out)
{
	struct dl_sbuf b = { 0 };
	int r = 0;
	for (size_t i = start; i < end && r == 0; i++) {
		if (l->buf[i] != '\\')
			dl_sbuf_addc(&b, l->buf[i]);
		else if (++i >= end)
			r = lerr(l, i, "string ends with a backslash");
		else
			r = unescape(l, &i, end, &b);
	}
	if (r == 0 && memchr(dl_sbuf_str(&b), '\0', b.len))
		r = lerr(l, start, "string contains a NUL byte");
	if (r < 0) {
		dl_sbuf_free(&b);
		return r;
	}
	*out = dl_sbuf_take(&b);
	return 0;
}

static bool idchar(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
		return true;
	return !first && ((c >= '0' && c <= '9') || c == '.' || c == '-');
}

/* Blanks, comments and backslash-newline continuations before a token. */
static void skip_blanks(struct lexer *l)
{
	const char *b = l->buf;
	for (;;) {
		while (l->pos < l->len && (b[l->pos] == ' ' || b[l->pos] == '\t' || b[l->pos] == '\r'))
			l->pos++;
		if (l->pos < l->len && b[l->pos] == '#') {
			while (l->pos < l->len && b[l->pos] != '\n')
				l->pos++;
		} else if (l->pos + 1 < l->len && b[l->pos] == '\\' && b[l->pos + 1] == '\n') {
			l->pos += 2;
		} else if (l->pos + 2 < l->len && b[l->pos] == '\\' && b[l->pos + 1] == '\r' &&
			   b[l->pos + 2] == '\n') {
			l->pos += 3;
		} else {
			return;
		}
	}
}

/* A string at p (rem bytes left): virConf's """...""" (no escapes), or
 * '...' / "..." on one line with xl's escapes.  Its length, or a
 * negative errno. */
static long lex_string(struct lexer *l, const char *p, size_t rem)
{
	char c = *p;
	if (c == '"' && rem >= 3 && p[1] == '"' && p[2] == '"') {
		const char *e = memmem(p + 3, rem - 3, "\"\"\"", 3);
		if (!e)
			return lerr(l, l->pos, "unterminated \"\"\" string");
		size_t n = (size_t)(e - p) - 3;
		if (memchr(p + 3, '\0', n))
			return lerr(l, l->pos, "string contains a NUL byte");
		l->sval = dl_strndup(p + 3, n);
		return (long)n + 6;
	}
	size_t i = 1;
	while (i < rem && p[i] != c && p[i] != '\n') {
		if (p[i] == '\\' && i + 1 < rem && p[i + 1] != '\n')
			i++;
		i++;
	}
	if (i >= rem || p[i] != c)
		return lerr(l, l->pos, "unterminated string");
	int r = dequote(l, l->pos + 1, l->pos + i, &l->sval);
	return r < 0 ? r : (long)i + 1;
}

/* A number (T_NUM, signed, with xl's [0-9a-fx] and more) or a name. */
static size_t lex_word(struct lexer *l, const char *p, size_t rem, enum tok t)
{
	size_t i = 1;
	while (i < rem && (idchar(p[i], false) || (t == T_NUM && p[i] == '+')))
		i++;
	l->t = t;
	l->sval = dl_strndup(p, i);
	return i;
}

/* The next token into l->t (l->sval its text), or a negative errno. */
static int lex_token(struct lexer *l)
{
	static const char single[] = "\n;=[],";
	static const enum tok single_tok[] = {T_NL, T_SEMI, T_EQ, T_LBR, T_RBR, T_COMMA};
	free(l->sval);
	l->sval = NULL;
	skip_blanks(l);
	l->tstart = l->tend = l->pos;
	if (l->pos >= l->len) {
		l->t = T_EOF;
		return 0;
	}
	const char *p = l->buf + l->pos, *one = strchr(single, *p);
	size_t rem = l->len - l->pos;
	long n = 1;
	if (*p && one) {
		l->t = single_tok[one - single];
	} else if (*p == '+' && rem > 1 && p[1] == '=') {
		l->t = T_PLUSEQ;
		n = 2;
	} else if (*p == '"' || *p == '\'') {
		l->t = T_STR;
		n = lex_string(l, p, rem);
	} else if ((*p >= '0' && *p <= '9') || *p == '-' || *p == '+') {
		n = (long)lex_word(l, p, rem, T_NUM);
	} else if (idchar(*p, true)) {
		n = (long)lex_word(l, p, rem, T_ID);
	} else {
		return lerr(l, l->pos, "unexpected character");
	}
	if (n < 0)
		return (int)n;
	l->pos += (size_t)n;
	l->tend = l->pos;
	return 0;
}

static void xval_free(struct xval *v)
{
	free(v->s);
	for (size_t i = 0; i < v->n; i++)
		xval_free(&v->items[i]);
	free(v->items);
	memset(v, 0, sizeof(*v));
}

static void xlfile_free(struct xlfile *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->st[i].key);
		xval_free(&f->st[i].v);
	}
	free(f->st);
	memset(f, 0, sizeof(*f));
}

static int skip_nl(struct lexer *l)
{
	int r = 0;
	while (r == 0 && l->t == T_NL)
		r = lex_token(l);
	return r;
}

static int count_value(struct lexer *l, struct xlfile *f)
{
	if (++f->nodes > DL_DOMCFG_MAX_NODES)
		return dl_fail(l->err, DL_ELIMIT, "%s:%u: more than %d values", l->name,
			       dl_lineno(l->buf, l->len, l->tstart), DL_DOMCFG_MAX_NODES);
	return 0;
}

static bool is_atom(enum tok t)
{
	return t == T_STR || t == T_NUM || t == T_ID;
}

/* After '[': the atoms of a list, nested lists flattened into it (their
 * nesting capped), up to the matching ']'. */
static int parse_list(struct lexer *l, struct xlfile *f, struct xval *v)
{
	int depth = 1, r = lex_token(l);
	while (r == 0) {
		if ((r = skip_nl(l)) < 0)
			break;
		if (l->t == T_LBR) {
			if (++depth > DL_DOMCFG_MAX_DEPTH)
				return dl_fail(l->err, DL_ELIMIT, "%s:%u: lists nested deeper than %d",
					       l->name, dl_lineno(l->buf, l->len, l->tstart),
					       DL_DOMCFG_MAX_DEPTH);
			r = lex_token(l);
			continue;
		}
		if (l->t == T_RBR) {
			if ((r = lex_token(l)) < 0 || --depth == 0)
				break;
		} else if (!is_atom(l->t)) {
			return lerr(l, l->tstart, "expected a list element or ']'");
		} else {
			if ((r = count_value(l, f)) < 0)
				break;
			struct xval *it = dl_array_push(&v->items, &v->n, &v->cap, sizeof(*it));
			it->is_str = l->t == T_STR;
			it->s = TAKE_PTR(l->sval);
			if ((r = lex_token(l)) < 0)
				break;
		}
		if ((r = skip_nl(l)) < 0)
			break;
		if (l->t == T_COMMA)
			r = lex_token(l);
		else if (l->t != T_RBR)
			return lerr(l, l->tstart, "expected ',' or ']' in list");
	}
	return r;
}

/* value after '=' ; lists are flattened (nesting capped) */
static int parse_value(struct lexer *l, struct xlfile *f, struct xval *v)
{
	int r = count_value(l, f);
	if (r < 0)
		return r;
	if (is_atom(l->t)) {
		v->is_str = l->t == T_STR;
		v->s = TAKE_PTR(l->sval);
		return lex_token(l);
	}
	if (l->t != T_LBR)
		return lerr(l, l->tstart, "expected a value");
	v->list = true;
	return parse_list(l, f, v);
}

/* NAME ('=' | '+=') value, then the end of the statement. */
static int parse_setting(struct lexer *l, struct xlfile *f)
{
	size_t cap = f->cap;
	struct stmt *s = dl_array_push(&f->st, &f->n, &cap, sizeof(*s));
	f->cap = cap;
	s->start = l->tstart;
	s->key = TAKE_PTR(l->sval);
	int r = lex_token(l);
	if (r < 0)
		return r;
	if (l->t != T_EQ && l->t != T_PLUSEQ)
		return lerr(l, l->tstart, "expected '=' after setting name");
	s->append = l->t == T_PLUSEQ;
	if ((r = lex_token(l)) < 0 || (r = parse_value(l, f, &s->v)) < 0)
		return r;
	if (l->t != T_NL && l->t != T_SEMI && l->t != T_EOF)
		return lerr(l, l->tstart, "expected end of line after value");
	s->end = l->tend;
	return l->t == T_EOF ? 0 : lex_token(l);
}

static int parse_file(struct xlfile *f, const char *name, const char *buf, size_t len,
		      struct dl_error *err)
{
	struct lexer l = { .buf = buf, .len = len, .name = name, .err = err };
	f->buf = buf;
	f->len = len;
	const char *nul = memchr(buf, '\0', len);
	if (nul)
		return dl_fail(err, DL_ESYNTAX, "%s:%u: NUL byte in configuration", name,
			       dl_lineno(buf, len, (size_t)(nul - buf)));
	int r = lex_token(&l);
	while (r == 0 && l.t != T_EOF) {
		if (l.t == T_NL || l.t == T_SEMI)
			r = lex_token(&l);
		else if (l.t == T_ID)
			r = parse_setting(&l, f);
		else
			r = lerr(&l, l.tstart, "expected a setting name");
	}
	free(l.sval);
	return r;
}

/* ---- interpretation ---- */

static int get_str(const struct xlfile *f, const char *key, char **out, const char *name,
		   struct dl_error *err)
{
	struct dl_sbuf b = { 0 };
	bool found = false;
	for (size_t i = 0; i < f->n; i++) {
		if (strcmp(f->st[i].key, key))
			continue;
		const struct xval *v = &f->st[i].v;
		if (v->list) {
			dl_sbuf_free(&b);
			return dl_fail(err, DL_ESYNTAX, "%s:%u: %s: expected a string, not a list", name,
				       dl_lineno(f->buf, f->len, f->st[i].start), key);
		}
		if (!f->st[i].append)
			b.len = 0;
		dl_sbuf_adds(&b, v->s);
		found = true;
	}
	if (!found) {
		dl_sbuf_free(&b);
		return 0;
	}
	free(*out);
	*out = dl_sbuf_take(&b);
	return 1;
}

/* String list: list value, or NULL if the setting is a scalar (*scalar set). */
static int get_list(const struct xlfile *f, const char *key, char ***out, size_t *n,
		    const char **scalar)
{
	bool found = false;
	size_t cap = 0;
	*scalar = NULL;
	for (size_t i = 0; i < f->n; i++) {
		if (strcmp(f->st[i].key, key))
			continue;
		const struct xval *v = &f->st[i].v;
		if (!f->st[i].append) {
			for (size_t k = 0; k < *n; k++)
				free((*out)[k]);
			*n = 0;
			*scalar = NULL;
		}
		found = true;
		if (!v->list) {
			*scalar = v->s;
			continue;
		}
		for (size_t k = 0; k < v->n; k++) {
			cap = *n > cap ? *n : cap;
			char **slot = dl_array_push(out, n, &cap, sizeof(char *));
			*slot = dl_strdup(v->items[k].s);
		}
	}
	return found;
}

/* Line of the last setting of key, for messages. */
static int stmt_line(const struct xlfile *f, const char *key)
{
	for (size_t i = f->n; i-- > 0;)
		if (!strcmp(f->st[i].key, key))
			return (int)dl_lineno(f->buf, f->len, f->st[i].start);
	return 0;
}

static bool prefix_of(const char *v, const char *word)
{
	/* xl_parse's strncmp(buf, word, strlen(buf)) */
	return !strncmp(v, word, strlen(v));
}

/* Reading the model out of the settings, as xl_parse (tools/xl) does. */
struct xlread {
	const struct xlfile *f;
	struct dl_domcfg *cfg;
	const char *name;
	struct dl_error *err;
};

/* A string setting copied into the model field at off. */
static int read_string(struct xlread *x, const char *key, size_t off)
{
	int r = get_str(x->f, key, (char **)((char *)x->cfg + off), x->name, x->err);
	return r < 0 ? r : 0;
}

static int read_uuid(struct xlread *x, const char *key, size_t off)
{
	_cleanup_free_ char *s = NULL;
	(void)off;
	int r = get_str(x->f, key, &s, x->name, x->err);
	if (r <= 0)
		return r;
	if (dl_uuid_parse(s, x->cfg->uuid) < 0)
		return dl_fail(x->err, DL_ESYNTAX, "%s:%d: invalid uuid '%s'", x->name,
			       stmt_line(x->f, key), s);
	x->cfg->have_uuid = true;
	return 0;
}

/* type = "pv" | "pvh" | "hvm" (any prefix, as xl reads it) */
static int read_type(struct xlread *x, const char *key, size_t off)
{
	_cleanup_free_ char *s = NULL;
	(void)off;
	int r = get_str(x->f, key, &s, x->name, x->err);
	if (r <= 0)
		return r;
	if (prefix_of(s, "hvm"))
		x->cfg->type = DL_DOMTYPE_HVM;
	else if (prefix_of(s, "pv"))
		x->cfg->type = DL_DOMTYPE_PV;
	else if (prefix_of(s, "pvh"))
		x->cfg->type = DL_DOMTYPE_PVH;
	else
		return dl_fail(x->err, DL_ESYNTAX, "%s:%d: invalid domain type '%s'", x->name,
			       stmt_line(x->f, key), s);
	return 0;
}

/* builder = "hvm" | "generic" | "linux", which must agree with type */
static int read_builder(struct xlread *x, const char *key, size_t off)
{
	_cleanup_free_ char *s = NULL;
	(void)off;
	int r = get_str(x->f, key, &s, x->name, x->err);
	if (r <= 0)
		return r;
	enum dl_domtype bt = prefix_of(s, "hvm") ? DL_DOMTYPE_HVM :
			     prefix_of(s, "generic") ? DL_DOMTYPE_PV :
			     !strcmp(s, "linux") ? DL_DOMTYPE_PV : DL_DOMTYPE_UNSET;
	if (bt == DL_DOMTYPE_UNSET)
		return dl_fail(x->err, DL_ESYNTAX, "%s:%d: invalid builder '%s'", x->name,
			       stmt_line(x->f, key), s);
	if (x->cfg->type != DL_DOMTYPE_UNSET && x->cfg->type != bt)
		return dl_fail(x->err, DL_ESYNTAX, "%s:%d: contradicting builder and type", x->name,
			       stmt_line(x->f, key));
	x->cfg->type = bt;
	return 0;
}

/* command line: cmdline wins, else "root=R E", "root=R" or E (extra) */
static int read_cmdline(struct xlread *x, const char *key, size_t off)
{
	struct dl_domcfg *cfg = x->cfg;
	_cleanup_free_ char *cmdline = NULL, *extra = NULL;
	int r;
	(void)off;
	if ((r = get_str(x->f, key, &cmdline, x->name, x->err)) < 0 ||
	    (r = get_str(x->f, "root", &cfg->root, x->name, x->err)) < 0 ||
	    (r = get_str(x->f, "extra", &extra, x->name, x->err)) < 0)
		return r;
	if (cmdline) {
		if (cfg->root || extra)
			dl_warn("%s: cmdline given, ignoring root and extra", x->name);
		cfg->cmdline = TAKE_PTR(cmdline);
	} else if (cfg->root && extra) {
		cfg->cmdline = dl_asprintf("root=%s %s", cfg->root, extra);
	} else if (cfg->root) {
		cfg->cmdline = dl_asprintf("root=%s", cfg->root);
	} else {
		cfg->cmdline = TAKE_PTR(extra);
	}
	return 0;
}

/* bootloader_args: a list, or (deprecated) a string split at blanks;
 * xm/libvirt's bootargs: a shell-like string (xend's shlex.split), read
 * when it is a string */
static int read_args(struct xlread *x, const char *key, size_t off)
{
	char **list = NULL;
	size_t n = 0;
	const char *scalar;
	int r = 0;
	(void)off;
	if (get_list(x->f, key, &list, &n, &scalar)) {
		if (scalar)
			r = dl_split_args(scalar, 0, &list, &n, x->err);
	} else {
		_cleanup_free_ char *s = NULL;
		struct dl_error ignored = {0};
		if (get_str(x->f, "bootargs", &s, x->name, &ignored) > 0)
			r = dl_split_args(s, 1, &list, &n, x->err);
	}
	if (r == 0 && n > DL_DOMCFG_MAX_ARGS)
		r = dl_fail(x->err, DL_ELIMIT, "%s: more than %d bootloader arguments", x->name,
			    DL_DOMCFG_MAX_ARGS);
	if (r < 0) {
		dl_strings_free(list, n);
		return r;
	}
	dl_domcfg_set_args(x->cfg, list, n);
	return 0;
}

/* boot order: a, d, n as such; c and anything else is the disk */
static int read_boot(struct xlread *x, const char *key, size_t off)
{
	_cleanup_free_ char *s = NULL;
	(void)off;
	int r = get_str(x->f, key, &s, x->name, x->err);
	if (r <= 0)
		return r;
	size_t k = 0;
	for (const char *p = s; *p && k < DL_DOMCFG_MAX_BOOT; p++)
		x->cfg->boot[k++] = (*p == 'a' || *p == 'd' || *p == 'n') ? *p : 'c';
	x->cfg->boot[k] = '\0';
	return 0;
}

/* disk = [ DISKSPEC, ... ] (or one DISKSPEC) */
static int read_disks(struct xlread *x, const char *key, size_t off)
{
	struct dl_domcfg *cfg = x->cfg;
	char **list = NULL;
	size_t n = 0;
	const char *scalar;
	int r = 0;
	(void)off;
	if (!get_list(x->f, key, &list, &n, &scalar))
		return 0;
	if (scalar) {
		size_t cap = n;
		*(char **)dl_array_push(&list, &n, &cap, sizeof(char *)) = dl_strdup(scalar);
	}
	if (n > DL_DOMCFG_MAX_DISKS)
		r = dl_fail(x->err, DL_ELIMIT, "%s: more than %d disks", x->name, DL_DOMCFG_MAX_DISKS);
	else
		cfg->disks = dl_calloc(n, sizeof(*cfg->disks));
	for (size_t i = 0; r == 0 && i < n; i++) {
		struct dl_error e = { 0 };
		if (dl_xldisk_parse(&cfg->disks[i], list[i], strlen(list[i]), 1, &e) < 0)
			r = dl_fail(x->err, e.code, "%s:%d: %s", x->name, stmt_line(x->f, key), e.msg);
		else
			cfg->ndisks++;
	}
	dl_strings_free(list, n);
	return r;
}

/* xm's drives outside disk = [...]: cdrom = "/root/boot.iso" is an IDE
 * cdrom hdc, fda/fdb floppies (HVM only, as xend's image.py and libvirt's
 * xen_xm.c read them), after the disks. */
static int read_legacy_drives(struct xlread *x, const char *key, size_t off)
{
	static const char *const keys[] = { "cdrom", "fda", "fdb" };
	static const char *const vdevs[] = { "hdc", "fda", "fdb" };
	struct dl_domcfg *cfg = x->cfg;
	(void)key;
	(void)off;
	if (cfg->type != DL_DOMTYPE_HVM)
		return 0;
	for (size_t i = 0; i < DL_ARRAY_SIZE(keys); i++) {
		_cleanup_free_ char *s = NULL;
		int r = get_str(x->f, keys[i], &s, x->name, x->err);
		if (r < 0)
			return r;
		if (!s || !s[0])
			continue;
		if (cfg->ndisks >= DL_DOMCFG_MAX_DISKS)
			return dl_fail(x->err, DL_ELIMIT, "%s: more than %d disks", x->name,
				       DL_DOMCFG_MAX_DISKS);
		cfg->disks = dl_reallocarray(cfg->disks, cfg->ndisks + 1, sizeof(*cfg->disks));
		struct dl_domdisk *d = &cfg->disks[cfg->ndisks++];
		*d = (struct dl_domdisk){ .target = TAKE_PTR(s), .format = DL_DFMT_RAW,
					  .vdev = dl_strdup(vdevs[i]), .access = i ? DL_ACCESS_RW : DL_ACCESS_RO,
					  .cdrom = i == 0, .floppy = i > 0 };
	}
	return 0;
}

/* The settings that matter for booting, in the order xl_parse reads them. */
static const struct reader {
	const char *key;
	int (*read)(struct xlread *x, const char *key, size_t off);
	size_t off;     /* read_string: the field */
} readers[] = {
	{"name", read_string, offsetof(struct dl_domcfg, name)},
	{"uuid", read_uuid, 0},
	{"type", read_type, 0},
	{"builder", read_builder, 0},
	{"kernel", read_string, offsetof(struct dl_domcfg, kernel)},
	{"ramdisk", read_string, offsetof(struct dl_domcfg, ramdisk)},
	{"firmware", read_string, offsetof(struct dl_domcfg, firmware)},
	{"cmdline", read_cmdline, 0},
	{"bootloader", read_string, offsetof(struct dl_domcfg, bootloader)},
	{"bootloader_args", read_args, 0},
	{"boot", read_boot, 0},
	{"disk", read_disks, 0},
	{"cdrom", read_legacy_drives, 0},
};

int dl_xlcfg_parse(struct dl_domcfg *cfg, const char *name, const char *buf, size_t len,
		   struct dl_error *err)
{
	struct xlfile f = { 0 };
	struct xlread x = { .f = &f, .cfg = cfg, .name = name, .err = err };
	cfg->dialect = DL_DIALECT_XL;
	cfg->type = DL_DOMTYPE_UNSET;
	if (len > DL_DOMCFG_MAX_SIZE)
		return dl_fail(err, DL_ELIMIT, "%s: configuration larger than %u bytes", name,
			       DL_DOMCFG_MAX_SIZE);
	int r = parse_file(&f, name, buf, len, err);
	for (size_t i = 0; r == 0 && i < DL_ARRAY_SIZE(readers); i++)
		r = readers[i].read(&x, readers[i].key, readers[i].off);
	xlfile_free(&f);
	if (r == 0 && cfg->type == DL_DOMTYPE_HVM && cfg->kernel) {
		const char *b = strrchr(cfg->kernel, '/');
		if (!strcmp(b ? b + 1 : cfg->kernel, "hvmloader")) {
			/* xl ignores it ("use firmware_override"); xm: the loader */
			free(cfg->loader);
			cfg->loader = TAKE_PTR(cfg->kernel);
		}
	}
	return r;
}

/* ---- rewrite ---- */

static bool boot_key(const char *k)
{
	static const char *const keys[] = {
		"bootloader", "bootloader_args", "bootargs", "bootentry", "kernel", "ramdisk",
		"cmdline", "root", "extra",
	};
	for (size_t i = 0; i < DL_ARRAY_SIZE(keys); i++)
		if (!strcmp(k, keys[i]))
			return true;
	return false;
}

char *dl_xl_quote(const char *s)
{
	bool dq = false, sq = false, esc = false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"')
			dq = true;
		else if (*p == '\'')
			sq = true;
		else if (*p == '\\' || *p < 0x20 || *p == 0x7f)
			esc = true;
	}
	if (!esc && !dq)
		return dl_asprintf("\"%s\"", s);
	if (!esc && !sq)
		return dl_asprintf("'%s'", s);
	return dl_cquote(s, '"');
}

char *dl_format_xl(const char *kernel, const char *ramdisk, const char *cmdline,
		   const char *type, struct dl_error *err)
{
	struct dl_sbuf b = { 0 };
	const char *keys[] = { "type", "kernel", "ramdisk", "cmdline" };
	const char *vals[] = { type, kernel, ramdisk, cmdline };
	if (!kernel) {
		dl_fail(err, DL_EOUTPUT, "xl output: no kernel");
		return NULL;
	}
	for (int i = 0; i < 4; i++) {
		if (!vals[i] || (i >= 2 && !vals[i][0]))
			continue;
		char *q = dl_xl_quote(vals[i]);
		dl_sbuf_printf(&b, "%s = %s\n", keys[i], q);
		free(q);
	}
	return dl_sbuf_take(&b);
}

/* The bytes a setting takes, widened to whole lines when it is alone on
 * them (its blanks before, and after a ';' the blanks and the newline). */
static void setting_span(const char *buf, size_t len, const struct stmt *s, size_t *from,
			 size_t *to)
{
	size_t st = s->start, en = s->end, ls = st;
	while (ls > 0 && (buf[ls - 1] == ' ' || buf[ls - 1] == '\t'))
		ls--;
	if (ls == 0 || buf[ls - 1] == '\n')
		st = ls;
	if (en > 0 && buf[en - 1] == ';') {
		while (en < len && (buf[en] == ' ' || buf[en] == '\t'))
			en++;
		if (en < len && buf[en] == '\n' && st == ls)
			en++;
	}
	*from = st;
	*to = en;
}

char *dl_xlcfg_rewrite(const char *name, const char *buf, size_t len, const char *kernel,
		       const char *ramdisk, const char *cmdline, size_t *outlen,
		       struct dl_error *err)
{
	struct xlfile f = { 0 };
	struct dl_domcfg cfg = { 0 };
	/* the input must be valid for us first */
	if (dl_xlcfg_parse(&cfg, name, buf, len, err) < 0 || parse_file(&f, name, buf, len, err) < 0) {
		dl_domcfg_free(&cfg);
		xlfile_free(&f);
		return NULL;
	}
	bool pv_firmware = cfg.type != DL_DOMTYPE_HVM && cfg.firmware &&
			   (prefix_of(cfg.firmware, "pvgrub32") || prefix_of(cfg.firmware, "pvgrub64"));
	dl_domcfg_free(&cfg);
	char *lines = dl_format_xl(kernel, ramdisk, cmdline, NULL, err);
	if (!lines) {
		xlfile_free(&f);
		return NULL;
	}
	struct dl_sbuf b = { 0 };
	size_t pos = 0;
	bool inserted = false;
	for (size_t i = 0; i < f.n; i++) {
		struct stmt *s = &f.st[i];
		if (!boot_key(s->key) && !(pv_firmware && !strcmp(s->key, "firmware")))
			continue;
		size_t st, en;
		setting_span(buf, len, s, &st, &en);
		if (st < pos)
			st = pos;
		dl_sbuf_add(&b, buf + pos, st - pos);
		if (!inserted) {
			dl_sbuf_adds(&b, lines);
			inserted = true;
		}
		pos = en;
	}
	dl_sbuf_add(&b, buf + pos, len - pos);
	if (!inserted) {
		if (b.len && b.p[b.len - 1] != '\n')
			dl_sbuf_addc(&b, '\n');
		/* a final backslash-newline would continue the last line into ours */
		if ((b.len >= 2 && b.p[b.len - 2] == '\\') ||
		    (b.len >= 3 && b.p[b.len - 2] == '\r' && b.p[b.len - 3] == '\\'))
			dl_sbuf_addc(&b, '\n');
		dl_sbuf_adds(&b, lines);
	}
	free(lines);
	xlfile_free(&f);
	*outlen = b.len;
	return dl_sbuf_take(&b);
}

static void xl_kv(struct dl_sbuf *b, const char *key, const char *val)
{
	char *q = dl_xl_quote(val);
	dl_sbuf_printf(b, "%s = %s\n", key, q);
	free(q);
}

char *dl_xlcfg_write(const struct dl_domcfg *cfg)
{
	struct dl_sbuf b = { 0 };
	if (cfg->name)
		xl_kv(&b, "name", cfg->name);
	if (cfg->have_uuid) {
		char u[37];
		dl_uuid_format(cfg->uuid, u);
		xl_kv(&b, "uuid", u);
	}
	static const char *const types[] = { NULL, "pv", "pvh", "hvm" };
	if (types[cfg->type])
		xl_kv(&b, "type", types[cfg->type]);
	if (cfg->kernel)
		xl_kv(&b, "kernel", cfg->kernel);
	if (cfg->ramdisk)
		xl_kv(&b, "ramdisk", cfg->ramdisk);
	if (cfg->cmdline)
		xl_kv(&b, "cmdline", cfg->cmdline);
	if (cfg->firmware)
		xl_kv(&b, "firmware", cfg->firmware);
	if (cfg->bootloader)
		xl_kv(&b, "bootloader", cfg->bootloader);
	if (cfg->nbootloader_args) {
		dl_sbuf_adds(&b, "bootloader_args = [");
		for (size_t i = 0; i < cfg->nbootloader_args; i++) {
			char *q = dl_xl_quote(cfg->bootloader_args[i]);
			dl_sbuf_printf(&b, "%s%s", i ? ", " : " ", q);
			free(q);
		}
		dl_sbuf_adds(&b, " ]\n");
	}
	if (cfg->boot[0])
		xl_kv(&b, "boot", cfg->boot);
	bool any = false;
	for (size_t i = 0; i < cfg->ndisks; i++) {
		if (cfg->disks[i].floppy)
			continue;
		char *spec = dl_xldisk_format(&cfg->disks[i]);
		char *q = dl_xl_quote(spec);
		dl_sbuf_printf(&b, "%s\n    %s", any ? "," : "disk = [", q);
		any = true;
		free(q);
		free(spec);
	}
	if (any)
		dl_sbuf_adds(&b, ",\n]\n");
	/* floppies: xm's fda/fdb (HVM), which xl ignores */
	static const char *const fd[] = { "fda", "fdb" };
	for (size_t i = 0, k = 0; cfg->type == DL_DOMTYPE_HVM && i < cfg->ndisks && k < 2; i++)
		if (cfg->disks[i].floppy && cfg->disks[i].target && cfg->disks[i].target[0])
			xl_kv(&b, fd[k++], cfg->disks[i].target);
	return dl_sbuf_take(&b);
}

/* ---- the guest type of a rewritten configuration ---- */

char *dl_xlcfg_set_type(const char *name, const char *buf, size_t len, enum dl_domtype type,
			size_t *outlen, struct dl_error *err)
{
	static const char *const types[] = { NULL, "pv", "pvh", "hvm" };
	struct xlfile f = { 0 };
	if (parse_file(&f, name, buf, len, err) < 0) {
		xlfile_free(&f);
		return NULL;
	}
	/* type, the builder it supersedes and Xen 4.4's pvh = 1 all go; the
	 * new type goes before the kernel (else at the end) */
	struct dl_cut *cuts = dl_calloc(f.n + 1, sizeof(*cuts));
	size_t ncut = 0, ins_at = len, st, en;
	for (size_t i = 0; i < f.n; i++) {
		const char *k = f.st[i].key;
		setting_span(buf, len, &f.st[i], &st, &en);
		if (!strcmp(k, "type") || !strcmp(k, "builder") || !strcmp(k, "pvh"))
			cuts[ncut++] = (struct dl_cut){ .from = st, .to = en };
		else if (!strcmp(k, "kernel") && ins_at == len)
			ins_at = st;
	}
	struct dl_sbuf ins = { 0 };
	if (ins_at == len && len && buf[len - 1] != '\n')
		dl_sbuf_addc(&ins, '\n');
	char *q = dl_xl_quote(types[type]);
	dl_sbuf_printf(&ins, "type = %s\n", q);
	free(q);
	char *out = dl_splice(buf, len, cuts, ncut, ins_at, &ins, outlen);
	dl_sbuf_free(&ins);
	free(cuts);
	xlfile_free(&f);
	return out;
}
