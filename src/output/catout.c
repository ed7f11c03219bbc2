/* The privileged side of domuloader cat / copy-out: the one payload the
 * parser sends (a guest file) goes to stdout or to an open file instead of
 * a boot_kernel file; everything else goes to the payload sink.  Copy
 * ranges are checked against the disks as the payload sink checks them;
 * on a terminal, control bytes but newline and tab are shown as '?'. */
#include "output/output.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

static int out_write(struct dl_catout *c, const void *buf, size_t len)
{
	uint64_t n;
	if (ckd_add(&n, c->size, len) || n > c->pay->cap[0])
		return dl_fail(c->pay->err, DL_ELIMIT, "%s is larger than the %llu MiB limit "
			       "(--max-kernel-size)", c->what, (unsigned long long)(c->pay->cap[0] >> 20));
	c->size = n;
	int r = 0;
	if (c->tty) {
		char tmp[4096];
		const unsigned char *p = buf;
		for (size_t off = 0; off < len; off += sizeof(tmp)) {
			size_t k = DL_MIN(len - off, sizeof(tmp));
			for (size_t i = 0; i < k; i++) {
				unsigned char ch = p[off + i];
				tmp[i] = (char)((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f ? '?' : ch);
			}
			if ((r = dl_write_full(c->fd, tmp, k)) < 0)
				break;
		}
	} else {
		r = dl_write_full(c->fd, buf, len);
	}
	if (r < 0)
		return dl_fail(c->pay->err, DL_EOUTPUT, "%s: cannot write: %s", c->name, strerror(-r));
	return 0;
}

static int co_begin(void *ctx, enum dl_payload_kind kind)
{
	struct dl_catout *c = ctx;
	if (kind != DL_PAYLOAD_KERNEL || c->begun)
		return dl_fail(c->pay->err, DL_ESANDBOX, "protocol error: unexpected %s file", "payload");
	c->begun = true;
	return 0;
}

static int co_data(void *ctx, const void *buf, size_t len)
{
	struct dl_catout *c = ctx;
	if (!c->begun || c->done)
		return dl_fail(c->pay->err, DL_ESANDBOX, "protocol error: data outside a file");
	return out_write(c, buf, len);
}

static int co_copy(void *ctx, int disk, uint64_t off, uint64_t len)
{
	struct dl_catout *c = ctx;
	struct dl_disk_set *set = c->pay->set;
	uint64_t end;
	if (!c->begun || c->done || disk < 0 || (size_t)disk >= set->ndisks)
		return dl_fail(c->pay->err, DL_ESANDBOX, "protocol error: copy outside a file");
	struct dl_disk *d = set->disks[disk];
	if (ckd_add(&end, off, len) || end > d->size || d->fd < 0 || d->format != DL_FMT_RAW)
		return dl_fail(c->pay->err, DL_ESANDBOX, "protocol error: copy range outside %s", d->path);
	static char buf[1 << 20];
	while (len) {
		size_t n = (size_t)DL_MIN(len, (uint64_t)sizeof(buf));
		ssize_t r = dl_pread_full(d->fd, buf, n, off);
		if (r <= 0)
			return dl_fail(c->pay->err, DL_EIO, "%s: %s", d->path,
				       r < 0 ? strerror((int)-r) : "unexpected end of disk");
		int w = out_write(c, buf, (size_t)r);
		if (w < 0)
			return w;
		off += (uint64_t)r;
		len -= (uint64_t)r;
	}
	return 0;
}

static int co_end(void *ctx)
{
	struct dl_catout *c = ctx;
	if (!c->begun || c->done)
		return dl_fail(c->pay->err, DL_ESANDBOX, "protocol error: end outside a file");
	c->done = true;
	return 0;
}

static int co_listing(void *ctx, const char *text, size_t len)
{
	struct dl_catout *c = ctx;
	return c->inner.listing(c->inner.ctx, text, len);
}

static int co_result(void *ctx, const struct dl_result *r)
{
	struct dl_catout *c = ctx;
	return c->inner.result(c->inner.ctx, r);
}

static int co_call(void *ctx, uint32_t op, const void *req, size_t len, const struct dl_asker *back,
		   struct dl_reply *rep, struct dl_error *err)
{
	struct dl_catout *c = ctx;
	return c->inner.call(c->inner.ctx, op, req, len, back, rep, err);
}

void dl_catout_sink(struct dl_catout *c, struct dl_payload *pay, int fd, const char *name,
		    struct dl_sink *sink)
{
	*c = (struct dl_catout){ .pay = pay, .fd = fd, .name = name, .what = "the file",
				 .tty = isatty(fd) == 1 };
	dl_payload_sink(pay, &c->inner);
	/* the file's calls go to c, the rest to the payload sink */
	*sink = (struct dl_sink){ .ctx = c, .listing = co_listing, .begin = co_begin,
				  .data = co_data, .copy = co_copy, .end = co_end,
				  .result = co_result, .call = co_call };
}
