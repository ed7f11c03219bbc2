#include "common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* One errno value per error class, so that a returned value says what went
 * wrong even where no struct dl_error is at hand. */
static const int code_errno[] = {
	[DL_EUSAGE] = EINVAL,      [DL_EIO] = EIO,           [DL_ENOTFOUND] = ENOENT,
	[DL_ESYNTAX] = EBADMSG,    [DL_ELIMIT] = E2BIG,      [DL_EOUTPUT] = ENOSPC,
	[DL_ESANDBOX] = ECHILD,    [DL_EUNSUPPORTED] = EOPNOTSUPP, [DL_EBADIMAGE] = EUCLEAN,
	[DL_EDIRECT] = ECANCELED,
};

int dl_code_errno(int code)
{
	return code > 0 && (size_t)code < DL_ARRAY_SIZE(code_errno) ? code_errno[code] : EIO;
}

int dl_errno_code(int neg_errno)
{
	switch (-neg_errno) {
	case ENOENT: case ENOTDIR: case EISDIR: return DL_ENOTFOUND;
	case ELOOP: case ENAMETOOLONG: case E2BIG: case EFBIG: return DL_ELIMIT;
	case EOPNOTSUPP: return DL_EUNSUPPORTED;
	case EUCLEAN: case EINVAL: case EOVERFLOW: case ERANGE: return DL_EBADIMAGE;
	case EBADMSG: return DL_ESYNTAX;
	case ECANCELED: return DL_EDIRECT;
	case ECHILD: return DL_ESANDBOX;
	case ENOSPC: case EDQUOT: case EROFS: return DL_EOUTPUT;
	default: return DL_EIO;
	}
}

int dl_vfail(struct dl_error *err, int code, const char *fmt, va_list ap)
{
	code = code ? code : DL_EIO;
	if (err && !err->code) {
		err->code = code;
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	}
	return -dl_code_errno(code);
}

int dl_fail(struct dl_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = dl_vfail(err, code, fmt, ap);
	va_end(ap);
	return r;
}

int dl_refail(struct dl_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	if (err)
		err->code = 0;
	va_start(ap, fmt);
	int r = dl_vfail(err, code, fmt, ap);
	va_end(ap);
	return r;
}

void dl_error_clear(struct dl_error *err)
{
	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
}

static void log_stderr(void *ctx, int level, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "domuloader: %s%s\n", level == DL_LOG_WARN ? "warning: " : "", msg);
}

static dl_log_fn log_fn = log_stderr;
static void *log_ctx;
static int log_verbosity = DL_LOG_WARN;

void dl_log_set(dl_log_fn fn, void *ctx, int verbosity)
{
	log_fn = fn ? fn : log_stderr;
	log_ctx = ctx;
	log_verbosity = verbosity;
}

int dl_log_level(void)
{
	return log_verbosity;
}

void dl_log(int level, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	if (level > log_verbosity)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* guest names end up in messages: never a control byte on stderr */
	if (n > 0)
		dl_sanitize_text(buf, DL_MIN((size_t)n, sizeof(buf) - 1));
	log_fn(log_ctx, level, buf);
}

static void *oom(void)
{
	static const char m[] = "domuloader: error: out of memory\n";
	ssize_t r = write(2, m, sizeof(m) - 1);
	(void)r;
	_exit(DL_ELIMIT);
}

void *dl_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	return p ? p : oom();
}

void *dl_calloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);
	return p ? p : oom();
}

void *dl_realloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	return p ? p : oom();
}

void *dl_reallocarray(void *p, size_t n, size_t m)
{
	size_t t;
	if (ckd_mul(&t, n, m))
		return oom();
	return dl_realloc(p, t);
}

char *dl_strdup(const char *s)
{
	return dl_strndup(s, strlen(s));
}

char *dl_strndup(const char *s, size_t n)
{
	char *p = dl_malloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *dl_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	va_start(ap, fmt);
	int r = vasprintf(&p, fmt, ap);
	va_end(ap);
	return r < 0 ? oom() : p;
}

void *dl_array_push(void *arrp, size_t *n, size_t *cap, size_t sz)
{
	void **arr = arrp;
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		*arr = dl_reallocarray(*arr, nc, sz);
		*cap = nc;
	}
	char *e = (char *)*arr + *n * sz;
	memset(e, 0, sz);
	(*n)++;
	return e;
}

ssize_t dl_pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;
	while (done < len) {
		ssize_t r = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			break;
		done += (size_t)r;
	}
	return (ssize_t)done;
}

int dl_write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t r = write(fd, p, len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

int dl_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno)
		return -errno;
	if (*end)
		return -EINVAL;
	*out = v;
	return 0;
}

int dl_sbuf_add(struct dl_sbuf *b, const void *s, size_t n)
{
	size_t need;
	if (ckd_add(&need, b->len, n) || ckd_add(&need, need, (size_t)1))
		abort();
	if (b->max && need - 1 > b->max)
		return -E2BIG;
	if (need > b->cap) {
		size_t nc = b->cap ? b->cap : 64;
		while (nc < need)
			if (ckd_mul(&nc, nc, (size_t)2))
				abort();
		b->p = dl_realloc(b->p, nc);
		b->cap = nc;
	}
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int dl_sbuf_adds(struct dl_sbuf *b, const char *s)
{
	return dl_sbuf_add(b, s, strlen(s));
}

int dl_sbuf_addc(struct dl_sbuf *b, char c)
{
	return dl_sbuf_add(b, &c, 1);
}

int dl_sbuf_printf(struct dl_sbuf *b, const char *fmt, ...)
{
	va_list ap;
	char *p;
	va_start(ap, fmt);
	int r = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (r < 0)
		abort();
	r = dl_sbuf_add(b, p, (size_t)r);
	free(p);
	return r;
}

char *dl_sbuf_take(struct dl_sbuf *b)
{
	char *p = b->p ? b->p : dl_strdup("");
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void dl_sbuf_free(struct dl_sbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

void dl_strv_push(struct dl_strv *sv, char *s)
{
	char **slot = dl_array_push(&sv->v, &sv->n, &sv->cap, sizeof(char *));
	*slot = s;
}

void dl_strings_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void dl_strv_free(struct dl_strv *sv)
{
	dl_strings_free(sv->v, sv->n);
	*sv = (struct dl_strv){ 0 };
}

size_t dl_utf8_char(const unsigned char *p, uint32_t *cp)
{
	unsigned char c = p[0];
	size_t n;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		n = 2; v = c & 0x1f; min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3; v = c & 0x0f; min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4; v = c & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

size_t dl_sanitize_text(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			s[i] = '?';
	}
	return n;
}

int dl_sbuf_text(struct dl_sbuf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	size_t at = b->len;
	int r = dl_sbuf_add(b, s, n);
	if (r == 0)
		dl_sanitize_text(b->p + at, n);
	return r;
}

void dl_sbuf_json(struct dl_sbuf *b, const char *s)
{
	if (!s) {
		dl_sbuf_adds(b, "null");
		return;
	}
	dl_sbuf_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		uint32_t cp;
		size_t n = dl_utf8_char(p, &cp);
		if (!n) {
			dl_sbuf_adds(b, "\\ufffd");
			p++;
			continue;
		}
		if (cp == '"' || cp == '\\')
			dl_sbuf_printf(b, "\\%c", (char)cp);
		else if (cp == '\n')
			dl_sbuf_adds(b, "\\n");
		else if (cp == '\t')
			dl_sbuf_adds(b, "\\t");
		else if (cp == '\r')
			dl_sbuf_adds(b, "\\r");
		else if (cp < 0x20 || cp == 0x7f)
			dl_sbuf_printf(b, "\\u%04x", (unsigned)cp);
		else
			dl_sbuf_add(b, p, n);
		p += n;
	}
	dl_sbuf_addc(b, '"');
}

char *dl_json_quote(const char *s)
{
	struct dl_sbuf b = { 0 };
	dl_sbuf_json(&b, s);
	return dl_sbuf_take(&b);
}

void dl_json_init(struct dl_json *j, struct dl_sbuf *b, bool pretty)
{
	*j = (struct dl_json){ .b = b, .pretty = pretty };
}

/* Separator, indent and "key": before a value at the current level. */
static void json_prefix(struct dl_json *j, const char *key)
{
	uint64_t bit = 1ull << j->depth;
	if (j->nonempty & bit)
		dl_sbuf_addc(j->b, ',');
	j->nonempty |= bit;
	if (j->pretty && j->depth) {
		dl_sbuf_addc(j->b, '\n');
		for (unsigned i = 0; i < j->depth; i++)
			dl_sbuf_adds(j->b, "  ");
	}
	if (key) {
		dl_sbuf_json(j->b, key);
		dl_sbuf_adds(j->b, j->pretty ? ": " : ":");
	}
}

static void json_open(struct dl_json *j, const char *key, char c)
{
	json_prefix(j, key);
	dl_sbuf_addc(j->b, c);
	if (j->depth >= 62)
		abort();   /* our own output never nests that deep */
	j->depth++;
	j->nonempty &= ~(1ull << j->depth);
	if (c == '[')
		j->arrays |= 1ull << j->depth;
	else
		j->arrays &= ~(1ull << j->depth);
}

void dl_json_obj(struct dl_json *j, const char *key) { json_open(j, key, '{'); }
void dl_json_arr(struct dl_json *j, const char *key) { json_open(j, key, '['); }

void dl_json_end(struct dl_json *j)
{
	bool any = j->nonempty & (1ull << j->depth);
	bool array = j->arrays & (1ull << j->depth);
	j->depth--;
	if (j->pretty && any) {
		dl_sbuf_addc(j->b, '\n');
		for (unsigned i = 0; i < j->depth; i++)
			dl_sbuf_adds(j->b, "  ");
	}
	dl_sbuf_addc(j->b, array ? ']' : '}');
}

void dl_json_str(struct dl_json *j, const char *key, const char *val)
{
	json_prefix(j, key);
	dl_sbuf_json(j->b, val);
}

void dl_json_int(struct dl_json *j, const char *key, long long val)
{
	json_prefix(j, key);
	dl_sbuf_printf(j->b, "%lld", val);
}

void dl_json_uint(struct dl_json *j, const char *key, unsigned long long val)
{
	json_prefix(j, key);
	dl_sbuf_printf(j->b, "%llu", val);
}

void dl_json_bool(struct dl_json *j, const char *key, bool val)
{
	json_prefix(j, key);
	dl_sbuf_adds(j->b, val ? "true" : "false");
}
