#include "common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int dl_vfail(struct dl_error *err, int code, const char *fmt, va_list ap)
{
	if (err && !err->code) {
		err->code = code ? code : DL_EIO;
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	}
	return -1;
}

int dl_fail(struct dl_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dl_vfail(err, code, fmt, ap);
	va_end(ap);
	return -1;
}

int dl_refail(struct dl_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	if (err)
		err->code = 0;
	va_start(ap, fmt);
	dl_vfail(err, code, fmt, ap);
	va_end(ap);
	return -1;
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
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
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
			return -1;
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
			return -1;
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
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}
