/* Shared helpers: errors, cleanup attributes, checked arithmetic.
 * Every module reports failures through struct dl_error; only main prints. */
#ifndef DL_COMMON_H
#define DL_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* Error classes; each maps to a distinct exit status (see man/domuloader.1). */
enum dl_code {
	DL_OK = 0,
	DL_EUSAGE = 1,      /* bad command line or option value */
	DL_EIO = 2,         /* cannot open or read an input (image, config file in dom0) */
	DL_ENOTFOUND = 3,   /* no bootable config/kernel, missing file in the guest */
	DL_ESYNTAX = 4,     /* guest boot configuration cannot be parsed */
	DL_ELIMIT = 5,      /* a size/depth/count cap was exceeded */
	DL_EOUTPUT = 6,     /* cannot write the result or the payload files */
	DL_ESANDBOX = 7,    /* parser child failed, was killed, or timed out */
	DL_EUNSUPPORTED = 8,/* filesystem, volume or feature not supported */
	DL_EBADIMAGE = 9,   /* corrupt or inconsistent on-disk structure */
	DL_EDIRECT = 10,    /* the domain boots a dom0 kernel or the network: nothing to extract */
};

struct dl_error {
	int code;         /* enum dl_code, 0 while unset */
	char msg[1024];   /* "<object>: <message>", no trailing newline */
};

/* Fill err (first failure wins: an error already set is kept) and return
 * the negative errno value of code (dl_code_errno).  err may be NULL. */
int dl_fail(struct dl_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int dl_vfail(struct dl_error *err, int code, const char *fmt, va_list ap);
/* Overwrite a previous error unconditionally. */
int dl_refail(struct dl_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void dl_error_clear(struct dl_error *err);
/* The errno value that stands for an error class (EINVAL for DL_EUSAGE,
 * ENOENT for DL_ENOTFOUND, EUCLEAN for DL_EBADIMAGE...), and back: the
 * class of a negative errno returned by a library or a backend. */
int dl_code_errno(int code);
/* The negative errno of the failure err holds (-EIO when none is set): for
 * returning a callee's failure that was reported through err. */
static inline int dl_err_errno(const struct dl_error *err)
{
	return -dl_code_errno(err && err->code ? err->code : DL_EIO);
}
int dl_errno_code(int neg_errno);

/* Three outcomes, as libblkid's probers and GRUB's fs probes have them:
 * 0 for success; 1 for an answer that is no error (DL_NOT_MINE: a prober's
 * "not this format"; DL_ABSENT: a lookup's "no such file", with err left
 * untouched); a negative errno value for a failure, with struct dl_error
 * filled (dl_fail() returns the errno value of the error class).  Callers
 * test < 0 for failure, never == -1. */
#define DL_NOT_MINE 1
#define DL_ABSENT 1

/* Printed by main for non-fatal notes (warnings), collected so that the
 * sandbox can forward them.  Library code calls dl_warn(); the sink is set by
 * the program (default: stderr "domuloader: warning: ..."). */
typedef void (*dl_log_fn)(void *ctx, int level, const char *msg);
enum { DL_LOG_WARN = 1, DL_LOG_INFO = 2, DL_LOG_DEBUG = 3 };
void dl_log_set(dl_log_fn fn, void *ctx, int verbosity);
int dl_log_level(void);   /* the verbosity set last */
void dl_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define dl_warn(...) dl_log(DL_LOG_WARN, __VA_ARGS__)
#define dl_info(...) dl_log(DL_LOG_INFO, __VA_ARGS__)
#define dl_debug(...) dl_log(DL_LOG_DEBUG, __VA_ARGS__)

/* Cleanup attributes (systemd style). */
#define _cleanup_(f) __attribute__((cleanup(f)))
static inline void dl_freep(void *p) { free(*(void **)p); }
static inline void dl_closep(int *fd) { if (*fd >= 0) close(*fd); }
#define _cleanup_free_ _cleanup_(dl_freep)
#define _cleanup_close_ _cleanup_(dl_closep)
#define TAKE_PTR(p) __extension__({ __typeof__(p) _tp = (p); (p) = NULL; _tp; })
#define TAKE_FD(fd) __extension__({ int _tf = (fd); (fd) = -1; _tf; })

/* Checked arithmetic: true on overflow (C23 stdckdint semantics). */
#define ckd_add(r, a, b) __builtin_add_overflow((a), (b), (r))
#define ckd_sub(r, a, b) __builtin_sub_overflow((a), (b), (r))
#define ckd_mul(r, a, b) __builtin_mul_overflow((a), (b), (r))

#define DL_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define DL_MIN(a, b) ((a) < (b) ? (a) : (b))
#define DL_MAX(a, b) ((a) > (b) ? (a) : (b))

/* Allocation helpers that abort on OOM (the child runs under RLIMIT_AS; an
 * allocation failure there is a fatal, reported condition). */
void *dl_malloc(size_t n);
void *dl_calloc(size_t n, size_t m);
void *dl_realloc(void *p, size_t n);
void *dl_reallocarray(void *p, size_t n, size_t m);
char *dl_strdup(const char *s);
char *dl_strndup(const char *s, size_t n);
char *dl_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable array append: grows *arr (element size sz) so that index *n fits;
 * returns pointer to the new zeroed element and increments *n. */
void *dl_array_push(void *arrp, size_t *n, size_t *cap, size_t sz);

/* The string builder: a growable NUL-terminated buffer, with an optional
 * cap on its length (max, 0 = none) for text built from guest data.  The
 * add functions return 0, or -E2BIG when the result would exceed max (the
 * buffer is then unchanged). */
struct dl_sbuf {
	char *p;
	size_t len, cap, max;
};
int dl_sbuf_add(struct dl_sbuf *b, const void *s, size_t n);
int dl_sbuf_adds(struct dl_sbuf *b, const char *s);
int dl_sbuf_addc(struct dl_sbuf *b, char c);
int dl_sbuf_printf(struct dl_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline const char *dl_sbuf_str(const struct dl_sbuf *b) { return b->p ? b->p : ""; }
char *dl_sbuf_take(struct dl_sbuf *b);   /* malloc'd, "" when empty; b emptied */
void dl_sbuf_free(struct dl_sbuf *b);

/* A growable vector of malloc'd strings. */
struct dl_strv {
	char **v;
	size_t n, cap;
};
void dl_strv_push(struct dl_strv *sv, char *s);   /* takes s */
void dl_strv_free(struct dl_strv *sv);
/* Free n malloc'd strings and the array holding them. */
void dl_strings_free(char **v, size_t n);

/* Length of the valid UTF-8 sequence at p (no overlongs, surrogates or code
 * points above U+10FFFF) with its code point in *cp; 0 if invalid. */
size_t dl_utf8_char(const unsigned char *p, uint32_t *cp);

/* Guest text for a terminal or a line-based reader: every control byte
 * (below 0x20, and 0x7f) becomes '?', so that a value can forge neither a
 * line nor an escape sequence; other bytes are kept as they are.
 * dl_sanitize_text works in place and returns n; dl_sbuf_text appends s
 * (nothing for NULL) and returns what dl_sbuf_add returns. */
size_t dl_sanitize_text(char *s, size_t n);
int dl_sbuf_text(struct dl_sbuf *b, const char *s);

/* s as a JSON string literal ("null" for NULL); control characters escaped,
 * bytes that are not UTF-8 (guest data) replaced by U+FFFD. */
void dl_sbuf_json(struct dl_sbuf *b, const char *s);
char *dl_json_quote(const char *s);

/* The JSON writer: values appended to a string builder, commas and (with
 * pretty) newlines and two-space indents placed by the writer.  key is the
 * member name inside an object and NULL inside an array or at the top. */
struct dl_json {
	struct dl_sbuf *b;
	bool pretty;
	unsigned depth;        /* open objects and arrays, at most 63 */
	uint64_t nonempty;     /* bit d: level d has a value already */
	uint64_t arrays;       /* bit d: level d is an array */
};
void dl_json_init(struct dl_json *j, struct dl_sbuf *b, bool pretty);
void dl_json_obj(struct dl_json *j, const char *key);   /* opens {, dl_json_end closes */
void dl_json_arr(struct dl_json *j, const char *key);   /* opens [ */
void dl_json_end(struct dl_json *j);
void dl_json_str(struct dl_json *j, const char *key, const char *val);   /* null for NULL */
void dl_json_int(struct dl_json *j, const char *key, long long val);
void dl_json_uint(struct dl_json *j, const char *key, unsigned long long val);
void dl_json_bool(struct dl_json *j, const char *key, bool val);

/* Fixed-width integers from on-disk bytes (callers check the bounds). */
static inline uint16_t dl_le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t dl_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t dl_le64(const uint8_t *p) { return dl_le32(p) | (uint64_t)dl_le32(p + 4) << 32; }
static inline uint32_t dl_be32(const uint8_t *p)
{
	return (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
}
static inline uint64_t dl_be64(const uint8_t *p) { return (uint64_t)dl_be32(p) << 32 | dl_be32(p + 4); }
static inline uint16_t dl_be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* Read/write helpers that retry on EINTR and short transfers.  Failures
 * return a negative errno value (errno is left set too). */
ssize_t dl_pread_full(int fd, void *buf, size_t len, uint64_t off);   /* bytes read, < len at EOF */
int dl_write_full(int fd, const void *buf, size_t len);

/* Parse an unsigned decimal/hex number; -EINVAL or -ERANGE on error or overflow. */
int dl_parse_u64(const char *s, uint64_t *out);

#endif
