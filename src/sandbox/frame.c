/* Whole-frame I/O for the privsep pipe (OpenSSH monitor / imsg style): the
 * child writes complete frames; the broker reassembles them from a
 * non-blocking pipe and has every header checked (type, state, length)
 * before it reads a payload byte.  The receive buffer is allocated once at
 * DL_FRAME_MAX, so no length the child sends ever sizes an allocation. */
#include "sandbox/proto.h"
#include "common.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>

int dl_frame_write(int fd, uint32_t type, const void *a, size_t alen,
		   const void *b, size_t blen)
{
	size_t total;
	if (ckd_add(&total, alen, blen) || total > DL_FRAME_MAX)
		return -EMSGSIZE;
	struct dl_msg_hdr h = { .type = type, .len = (uint32_t)total };
	struct iovec iov[3] = {
		{ .iov_base = &h, .iov_len = sizeof(h) },
		{ .iov_base = (void *)a, .iov_len = alen },
		{ .iov_base = (void *)b, .iov_len = blen },
	};
	struct iovec *v = iov;
	int cnt = 3;
	while (cnt > 0) {
		ssize_t w = writev(fd, v, cnt);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		size_t left = (size_t)w;
		while (cnt > 0 && left >= v->iov_len) {
			left -= v->iov_len;
			v++;
			cnt--;
		}
		if (cnt > 0) {
			v->iov_base = (uint8_t *)v->iov_base + left;
			v->iov_len -= left;
		}
	}
	return 0;
}

void dl_framer_init(struct dl_framer *f, dl_frame_check_fn check, void *ctx)
{
	memset(f, 0, sizeof(*f));
	f->buf = dl_malloc(DL_FRAME_MAX);
	f->check = check;
	f->ctx = ctx;
}

void dl_framer_free(struct dl_framer *f)
{
	free(f->buf);
	f->buf = NULL;
}

void dl_framer_next(struct dl_framer *f)
{
	f->hdr_have = 0;
	f->have = 0;
}

static bool frame_complete(const struct dl_framer *f)
{
	return f->hdr_have == sizeof(f->hdr) && f->have == f->h.len;
}

/* The header just became complete: decode and check it. */
static int header_done(struct dl_framer *f, struct dl_error *err)
{
	memcpy(&f->h, f->hdr, sizeof(f->h));
	if (f->h.len > DL_FRAME_MAX)
		return dl_fail(err, DL_ESANDBOX, "parser child: frame of %u bytes exceeds %u",
			       f->h.len, DL_FRAME_MAX);
	return f->check ? f->check(f->ctx, &f->h, err) : 0;
}

ssize_t dl_framer_feed(struct dl_framer *f, const uint8_t *p, size_t n, bool *ready,
		       struct dl_error *err)
{
	size_t used = 0;
	*ready = false;
	if (f->hdr_have < sizeof(f->hdr)) {
		size_t k = DL_MIN(n, sizeof(f->hdr) - f->hdr_have);
		memcpy(f->hdr + f->hdr_have, p, k);
		f->hdr_have += k;
		used += k;
		if (f->hdr_have < sizeof(f->hdr))
			return (ssize_t)used;
		int r = header_done(f, err);
		if (r < 0)
			return r;
	}
	size_t k = DL_MIN(n - used, f->h.len - f->have);
	memcpy(f->buf + f->have, p + used, k);
	f->have += k;
	used += k;
	*ready = frame_complete(f);
	return (ssize_t)used;
}

int dl_framer_read(struct dl_framer *f, int fd, struct dl_error *err)
{
	for (;;) {
		uint8_t *dst;
		size_t want;
		if (f->hdr_have < sizeof(f->hdr)) {
			dst = f->hdr + f->hdr_have;
			want = sizeof(f->hdr) - f->hdr_have;
		} else {
			if (frame_complete(f))
				return DL_FRAME_READY;
			dst = f->buf + f->have;
			want = f->h.len - f->have;
		}
		ssize_t r = read(fd, dst, want);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return DL_FRAME_MORE;
			return dl_fail(err, DL_ESANDBOX, "parser pipe: %s", strerror(errno));
		}
		if (r == 0)
			return f->hdr_have == 0 ? DL_FRAME_EOF : DL_FRAME_TRUNCATED;
		if (f->hdr_have < sizeof(f->hdr)) {
			f->hdr_have += (size_t)r;
			int rc = f->hdr_have == sizeof(f->hdr) ? header_done(f, err) : 0;
			if (rc < 0)
				return rc;
		} else {
			f->have += (size_t)r;
		}
	}
}
