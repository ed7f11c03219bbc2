/* Streaming, bounded decompression of one compressed kernel stream
 * (internal to src/kernel).  The input is a window of the source file read
 * through its callback; decompressed bytes go to a sink in order.  Every
 * decoder counts the compressed bytes it consumes and the bytes it
 * produces against the caps (output, ratio, work). */
#ifndef DL_KDEC_H
#define DL_KDEC_H

#include "kernel/kernel.h"

enum kcomp { KC_NONE, KC_GZIP, KC_BZIP2, KC_LZMA, KC_XZ, KC_LZO, KC_LZ4, KC_ZSTD, KC_COUNT };

const char *kcomp_name(enum kcomp c);
/* The format whose magic starts p[0..n), or KC_NONE. */
enum kcomp kcomp_detect(const uint8_t *p, size_t n);

/* Return <0 to fail (err set), 0 to go on, >0 to stop decompressing. */
typedef int (*kdec_sink)(void *ctx, const uint8_t *p, size_t n, struct dl_error *err);

#define KDEC_IBUF (64u << 10)

struct kdec {
	/* set by the caller */
	const struct dl_kernel_src *src;
	uint64_t base, len;          /* the stream: bytes [base, base+len) of src */
	const char *what;            /* message prefix: "NAME" or "NAME: bzImage payload" */
	enum kcomp comp;
	const struct dl_kernel_limits *lim;   /* all fields set */
	uint64_t *work;              /* shared across passes */
	kdec_sink sink;
	void *sctx;
	struct dl_error *err;
	/* state */
	uint8_t *ibuf;
	size_t ir, iw;               /* unread input is ibuf[ir, iw) */
	uint64_t ipos;               /* next stream offset to read into ibuf */
	uint64_t in;                 /* compressed bytes consumed */
	uint64_t out;                /* bytes produced */
};

/* Decompress d->comp from the start of the stream.  Returns 0 at the end of
 * the stream (trailing bytes after its last member are ignored: a bzImage
 * payload ends with the 4-byte decompressed size), 1 when the sink stopped
 * it, -1 on error (d->err). */
int kdec_run(struct kdec *d);

/* Used by the decoders (kdec.c, kblocks.c). */
/* Make at least want (<= KDEC_IBUF) unread bytes available if the stream
 * has them; returns the count available (less only at its end), -1 on a
 * read error. */
ssize_t kdec_peek(struct kdec *d, size_t want);
void kdec_take(struct kdec *d, size_t n);
/* Copy n bytes of input to dst; returns the count copied (less at the end
 * of the stream) or -1. */
ssize_t kdec_read(struct kdec *d, uint8_t *dst, size_t n);
/* Hand n produced bytes to the sink after checking the caps: 0 go on,
 * 1 stop, -1 error. */
int kdec_emit(struct kdec *d, const uint8_t *p, size_t n);
/* Fail with "WHAT: FORMAT: message at compressed byte N". */
int kdec_fail(struct kdec *d, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int kdec_truncated(struct kdec *d);

int kdec_lzo(struct kdec *d);
int kdec_lz4(struct kdec *d);

#endif
