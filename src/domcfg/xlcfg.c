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
 * """...""" has none.  The
 * parser records each setting's byte span so that the rewriter can keep all
 * other bytes. */
#include "domcfg/domcfg.h"

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

static int dequote(struct lexer *l, size_t start, size_t end, char q, char **out)
{
	struct dl_sbuf b = { 0 };
	for (size_t i = start; i < end; i++) {
		char c = l->buf[i];
		if (c != '\\') {
			dl_sbuf_addc(&b, c);
			continue;
		}
		if (++i >= end) {
			dl_sbuf_free(&b);
			return lerr(l, i, "string ends with a backslash");
		}
		c = l->buf[i];
		if (dl_letter_escape(c) >= 0) {
			dl_sbuf_addc(&b, (char)dl_letter_escape(c));
			continue;
		}
		switch (c) {
		case '\'': case '"': case '\\': dl_sbuf_addc(&b, c); break;
		case 'x': {
			int v = 0, k;
			for (k = 0; k < 2 && i + 1 + (size_t)k < end; k++) {
				char h = l->buf[i + 1 + (size_t)k];
				int d = dl_hexval((unsigned char)h);
				if (d < 0)
					break;
				v = v * 16 + d;
			}
			if (k < 2) {  /* not \xHH: kept as written (see default) */
				dl_sbuf_addc(&b, '\\');
				dl_sbuf_addc(&b, 'x');
				break;
			}
			i += 2;
			dl_sbuf_addc(&b, (char)v);
			break;
		}
		default:
			if (c >= '0' && c <= '7') {
				/* xl's "octal" escape is read in base 10 (quirk kept) */
				int v = c - '0';
				for (int k = 0; k < 2 && i + 1 < end && l->buf[i + 1] >= '0' && l->buf[i + 1] <= '9'; k++)
					v = v * 10 + (l->buf[++i] - '0');
				if (v > 255) {
					dl_sbuf_free(&b);
					return lerr(l, i, "numeric escape out of range in string");
				}
				dl_sbuf_addc(&b, (char)v);
				break;
			}
			/* xl rejects other escapes; virConf (libvirt, xm files written by
			 * it) has no escapes at all.  Keep the backslash and the
			 * character, as virConf reads them. */
			dl_sbuf_addc(&b, '\\');
			dl_sbuf_addc(&b, c);
			break;
		}
	}
	(void)q;
	size_t olen = b.len;
	*out = dl_sbuf_take(&b);
	if (memchr(*out, '\0', olen)) {
		free(*out);
		*out = NULL;
		return lerr(l, start, "string contains a NUL byte");
	}
	return 0;
}

static bool idchar(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
		return true;
	return !first && ((c >= '0' && c <= '9') || c == '.' || c == '-');
}

static int next(struct lexer *l)
{
	free(l->sval);
	l->sval = NULL;
	for (;;) {
		while (l->pos < l->len && (l->buf[l->pos] == ' ' || l->buf[l->pos] == '\t' ||
					   l->buf[l->pos] == '\r'))
			l->pos++;
		if (l->pos < l->len && l->buf[l->pos] == '#') {
			while (l->pos < l->len && l->buf[l->pos] != '\n')
				l->pos++;
			continue;
		}
		if (l->pos + 1 < l->len && l->buf[l->pos] == '\\' && l->buf[l->pos + 1] == '\n') {
			l->pos += 2;
			continue;
		}
		if (l->pos + 2 < l->len && l->buf[l->pos] == '\\' && l->buf[l->pos + 1] == '\r' &&
		    l->buf[l->pos + 2] == '\n') {
			l->pos += 3;
			continue;
		}
		break;
	}
	l->tstart = l->pos;
	if (l->pos >= l->len) {
		l->t = T_EOF;
		l->tend = l->pos;
		return 0;
	}
	const char *p = l->buf + l->pos;
	size_t rem = l->len - l->pos;
	char c = *p;
	size_t n = 1;
	switch (c) {
	case '\n': l->t = T_NL; break;
	case ';': l->t = T_SEMI; break;
	case '=': l->t = T_EQ; break;
	case '[': l->t = T_LBR; break;
	case ']': l->t = T_RBR; break;
	case ',': l->t = T_COMMA; break;
	case '+':
		if (rem > 1 && p[1] == '=') {
			l->t = T_PLUSEQ;
			n = 2;
			break;
		}
		/* fall through: signed number */
		/* FALLTHROUGH */
	default:
		if (c == '"' && rem >= 3 && p[1] == '"' && p[2] == '"') {
			const char *e = memmem(p + 3, rem - 3, "\"\"\"", 3);
			if (!e)
				return lerr(l, l->pos, "unterminated \"\"\" string");
			n = (size_t)(e - p) + 3;
			l->sval = dl_strndup(p + 3, (size_t)(e - p) - 3);
			if (memchr(l->sval, '\0', n - 6))
				return lerr(l, l->pos, "string contains a NUL byte");
			l->t = T_STR;
			break;
		}
		if (c == '"' || c == '\'') {
			size_t i = 1;
			while (i < rem && p[i] != c && p[i] != '\n') {
				if (p[i] == '\\' && i + 1 < rem && p[i + 1] != '\n')
					i++;
				i++;
			}
			if (i >= rem || p[i] != c)
				return lerr(l, l->pos, "unterminated string");
			n = i + 1;
			if (dequote(l, l->pos + 1, l->pos + i, c, &l->sval))
				return -1;
			l->t = T_STR;
			break;
		}
		if ((c >= '0' && c <= '9') || c == '-' || c == '+') {
			size_t i = 1;
			while (i < rem && (idchar(p[i], false) || p[i] == '+'))
				i++;
			n = i;
			l->t = T_NUM;
			l->sval = dl_strndup(p, n);
			break;
		}
		if (idchar(c, true)) {
			size_t i = 1;
			while (i < rem && idchar(p[i], false))
				i++;
			n = i;
			l->t = T_ID;
			l->sval = dl_strndup(p, n);
			break;
		}
		return lerr(l, l->pos, "unexpected character");
	}
	l->pos += n;
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
	while (l->t == T_NL)
		if (next(l))
			return -1;
	return 0;
}

/* value after '=' ; lists are flattened (nesting capped) */
static int parse_value(struct lexer *l, struct xlfile *f, struct xval *v)
{
	if (++f->nodes > DL_DOMCFG_MAX_NODES)
		return dl_fail(l->err, DL_ELIMIT, "%s:%u: more than %d values", l->name,
			       dl_lineno(l->buf, l->len, l->tstart), DL_DOMCFG_MAX_NODES);
	if (l->t == T_STR || l->t == T_NUM || l->t == T_ID) {
		v->is_str = l->t == T_STR;
		v->s = TAKE_PTR(l->sval);
		return next(l);
	}
	if (l->t != T_LBR)
		return lerr(l, l->tstart, "expected a value");
	v->list = true;
	int depth = 1;
	if (next(l))
		return -1;
	for (;;) {
		if (skip_nl(l))
			return -1;
		if (l->t == T_RBR) {
			if (next(l))
				return -1;
			if (--depth == 0)
				return 0;
			goto after_item;
		}
		if (l->t == T_LBR) {
			if (++depth > DL_DOMCFG_MAX_DEPTH)
				return dl_fail(l->err, DL_ELIMIT, "%s:%u: lists nested deeper than %d",
					       l->name, dl_lineno(l->buf, l->len, l->tstart),
					       DL_DOMCFG_MAX_DEPTH);
			if (next(l))
				return -1;
			continue;
		}
		if (l->t != T_STR && l->t != T_NUM && l->t != T_ID)
			return lerr(l, l->tstart, "expected a list element or ']'");
		if (++f->nodes > DL_DOMCFG_MAX_NODES)
			return dl_fail(l->err, DL_ELIMIT, "%s:%u: more than %d values", l->name,
				       dl_lineno(l->buf, l->len, l->tstart), DL_DOMCFG_MAX_NODES);
		struct xval *it = dl_array_push(&v->items, &v->n, &v->cap, sizeof(*it));
		it->is_str = l->t == T_STR;
		it->s = TAKE_PTR(l->sval);
		if (next(l))
			return -1;
after_item:
		if (skip_nl(l))
			return -1;
		if (l->t == T_COMMA) {
			if (next(l))
				return -1;
		} else if (l->t != T_RBR) {
			return lerr(l, l->tstart, "expected ',' or ']' in list");
		}
	}
}

static int parse_file(struct xlfile *f, const char *name, const char *buf, size_t len,
		      struct dl_error *err)
{
	struct lexer l = { .buf = buf, .len = len, .name = name, .err = err };
	int r = -1;
	f->buf = buf;
	f->len = len;
	if (memchr(buf, '\0', len)) {
		dl_fail(err, DL_ESYNTAX, "%s:%u: NUL byte in configuration", name,
			dl_lineno(buf, len, (size_t)((const char *)memchr(buf, '\0', len) - buf)));
		goto out;
	}
	if (next(&l))
		goto out;
	for (;;) {
		if (l.t == T_EOF)
			break;
		if (l.t == T_NL || l.t == T_SEMI) {
			if (next(&l))
				goto out;
			continue;
		}
		if (l.t != T_ID) {
			lerr(&l, l.tstart, "expected a setting name");
			goto out;
		}
		size_t cap = f->cap;
		struct stmt *s = dl_array_push(&f->st, &f->n, &cap, sizeof(*s));
		f->cap = cap;
		s->start = l.tstart;
		s->key = TAKE_PTR(l.sval);
		if (next(&l))
			goto out;
		if (l.t != T_EQ && l.t != T_PLUSEQ) {
			lerr(&l, l.tstart, "expected '=' after setting name");
			goto out;
		}
		s->append = l.t == T_PLUSEQ;
		if (next(&l))
			goto out;
		if (parse_value(&l, f, &s->v))
			goto out;
		if (l.t != T_NL && l.t != T_SEMI && l.t != T_EOF) {
			lerr(&l, l.tstart, "expected end of line after value");
			goto out;
		}
		s->end = l.tend;
		if (l.t != T_EOF && next(&l))
			goto out;
	}
	r = 0;
out:
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

static int stmt_line(const struct xlfile *f, const char *buf, size_t len, const char *key)
{
	for (size_t i = f->n; i-- > 0;)
		if (!strcmp(f->st[i].key, key))
			return (int)dl_lineno(buf, len, f->st[i].start);
	return 0;
}

static bool prefix_of(const char *v, const char *word)
{
	/* xl_parse's strncmp(buf, word, strlen(buf)) */
	return !strncmp(v, word, strlen(v));
}

int dl_xlcfg_parse(struct dl_domcfg *cfg, const char *name, const char *buf, size_t len,
		   struct dl_error *err)
{
	struct xlfile f = { 0 };
	int r = -1;
	char *s = NULL;
	char **list = NULL;
	size_t nlist = 0;
	cfg->dialect = DL_DIALECT_XL;
	if (len > DL_DOMCFG_MAX_SIZE) {
		dl_fail(err, DL_ELIMIT, "%s: configuration larger than %u bytes", name, DL_DOMCFG_MAX_SIZE);
		goto out;
	}
	if (parse_file(&f, name, buf, len, err))
		goto out;
#define STR(key, field) \
	do { if (get_str(&f, key, &cfg->field, name, err) < 0) goto out; } while (0)
	STR("name", name);
	if (get_str(&f, "uuid", &s, name, err) < 0)
		goto out;
	if (s) {
		if (dl_uuid_parse(s, cfg->uuid) < 0) {
			dl_fail(err, DL_ESYNTAX, "%s:%d: invalid uuid '%s'", name,
				stmt_line(&f, buf, len, "uuid"), s);
			goto out;
		}
		cfg->have_uuid = true;
		free(s);
		s = NULL;
	}
	/* type / builder */
	enum dl_domtype t = DL_DOMTYPE_UNSET;
	if (get_str(&f, "type", &s, name, err) < 0)
		goto out;
	if (s) {
		if (prefix_of(s, "hvm"))
			t = DL_DOMTYPE_HVM;
		else if (prefix_of(s, "pv"))
			t = DL_DOMTYPE_PV;
		else if (prefix_of(s, "pvh"))
			t = DL_DOMTYPE_PVH;
		else {
			dl_fail(err, DL_ESYNTAX, "%s:%d: invalid domain type '%s'", name,
				stmt_line(&f, buf, len, "type"), s);
			goto out;
		}
		free(s);
		s = NULL;
	}
	if (get_str(&f, "builder", &s, name, err) < 0)
		goto out;
	if (s) {
		enum dl_domtype bt = prefix_of(s, "hvm") ? DL_DOMTYPE_HVM :
				     prefix_of(s, "generic") ? DL_DOMTYPE_PV :
				     !strcmp(s, "linux") ? DL_DOMTYPE_PV : DL_DOMTYPE_UNSET;
		if (bt == DL_DOMTYPE_UNSET) {
			dl_fail(err, DL_ESYNTAX, "%s:%d: invalid builder '%s'", name,
				stmt_line(&f, buf, len, "builder"), s);
			goto out;
		}
		if (t != DL_DOMTYPE_UNSET && t != bt) {
			dl_fail(err, DL_ESYNTAX, "%s:%d: contradicting builder and type", name,
				stmt_line(&f, buf, len, "builder"));
			goto out;
		}
		if (t == DL_DOMTYPE_UNSET)
			t = bt;
		free(s);
		s = NULL;
	}
	cfg->type = t;
	STR("kernel", kernel);
	STR("ramdisk", ramdisk);
	STR("firmware", firmware);
	if (cfg->type == DL_DOMTYPE_HVM && cfg->kernel) {
		const char *b = strrchr(cfg->kernel, '/');
		if (!strcmp(b ? b + 1 : cfg->kernel, "hvmloader")) {
			/* xl ignores it ("use firmware_override"); xm: the loader */
			free(cfg->loader);
			cfg->loader = TAKE_PTR(cfg->kernel);
		}
	}
	/* command line: cmdline wins, else "root=R E", "root=R" or E */
	char *cmdline = NULL, *extra = NULL;
	if (get_str(&f, "cmdline", &cmdline, name, err) < 0 ||
	    get_str(&f, "root", &cfg->root, name, err) < 0 ||
	    get_str(&f, "extra", &extra, name, err) < 0) {
		free(cmdline);
		free(extra);
		goto out;
	}
	if (cmdline) {
		if (cfg->root || extra)
			dl_warn("%s: cmdline given, ignoring root and extra", name);
		cfg->cmdline = cmdline;
		free(extra);
	} else if (cfg->root && extra) {
		cfg->cmdline = dl_asprintf("root=%s %s", cfg->root, extra);
		free(extra);
	} else if (cfg->root) {
		cfg->cmdline = dl_asprintf("root=%s", cfg->root);
	} else {
		cfg->cmdline = extra;
	}
	STR("bootloader", bootloader);
	/* bootloader_args: list, or (deprecated) string split at whitespace;
	 * xm/libvirt's bootargs: a shell-like string (xend's shlex.split) */
	const char *scalar;
	if (get_list(&f, "bootloader_args", &list, &nlist, &scalar)) {
		if (scalar && dl_split_args(scalar, 0, &list, &nlist, err))
			goto out;
	} else if (get_str(&f, "bootargs", &s, name, err) > 0) {
		if (dl_split_args(s, 1, &list, &nlist, err))
			goto out;
	}
	if (nlist > DL_DOMCFG_MAX_ARGS) {
		dl_fail(err, DL_ELIMIT, "%s: more than %d bootloader arguments", name, DL_DOMCFG_MAX_ARGS);
		goto out;
	}
	dl_domcfg_set_args(cfg, TAKE_PTR(list), nlist);
	nlist = 0;
	free(s);
	s = NULL;
	/* boot order */
	if (get_str(&f, "boot", &s, name, err) < 0)
		goto out;
	if (s) {
		size_t k = 0;
		/* xl/xm: a, d, n as such; c and anything else is the disk */
		for (const char *p = s; *p && k < DL_DOMCFG_MAX_BOOT; p++)
			cfg->boot[k++] = (*p == 'a' || *p == 'd' || *p == 'n') ? *p : 'c';
		cfg->boot[k] = '\0';
		free(s);
		s = NULL;
	}
	/* disks */
	if (get_list(&f, "disk", &list, &nlist, &scalar)) {
		if (scalar) {
			size_t cap = 0;
			char **slot = dl_array_push(&list, &nlist, &cap, sizeof(char *));
			*slot = dl_strdup(scalar);
		}
		if (nlist > DL_DOMCFG_MAX_DISKS) {
			dl_fail(err, DL_ELIMIT, "%s: more than %d disks", name, DL_DOMCFG_MAX_DISKS);
			goto out;
		}
		cfg->disks = dl_calloc(nlist, sizeof(*cfg->disks));
		for (size_t i = 0; i < nlist; i++) {
			struct dl_error e = { 0 };
			if (dl_xldisk_parse(&cfg->disks[i], list[i], strlen(list[i]), 1, &e) < 0) {
				dl_fail(err, e.code, "%s:%d: %s", name, stmt_line(&f, buf, len, "disk"), e.msg);
				goto out;
			}
			cfg->ndisks++;
		}
	}
	r = 0;
out:
	dl_strings_free(list, nlist);
	free(s);
	xlfile_free(&f);
	return r;
#undef STR
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
		/* widen to whole lines when the setting is alone on them */
		size_t st = s->start, en = s->end;
		size_t ls = st;
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
	return dl_sbuf_take(&b);
}
