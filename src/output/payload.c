/* The parent-side sink: payload files and the captured result.
 *
 * Files are created as "<dir>/boot_kernel.XXXXXXXX.part" (0600), filled,
 * and renamed without clobbering to "boot_kernel.XXXXXXXX" only when the
 * whole extraction succeeded, so no file that could be mistaken for a
 * complete kernel ever exists before that (what cp and install do).  They
 * are not fsync'ed unless asked (--sync): libxl maps and unlinks them
 * within a second of the result, and a dom0 crash loses the domain being
 * built anyway, so waiting for the disk buys nothing by default. */
#include "output/output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <time.h>

void dl_payload_init(struct dl_payload *p, const char *dir, struct dl_disk_set *set,
		     uint64_t kcap, uint64_t rcap, struct dl_error *err)
{
	memset(p, 0, sizeof(*p));
	p->dir = dir;
	p->set = set;
	p->cap[0] = kcap;
	p->cap[1] = rcap;
	p->cur = -1;
	for (int i = 0; i < DL_PAYLOAD_SLOTS; i++)
		p->f[i].fd = -1;
	p->err = err;
}

static int sink_listing(void *ctx, const char *text, size_t len)
{
	struct dl_payload *p = ctx;
	FILE *out = p->listing ? p->listing : stdout;
	/* Guest names reach the admin's terminal: no control byte but the
	 * listing's own newlines and tabs, whichever side made the text. */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			c = '?';
		if (putc(c, out) == EOF)
			return dl_fail(p->err, DL_EOUTPUT, "stdout: %s", strerror(errno));
	}
	return 0;
}

static int sink_begin(void *ctx, enum dl_payload_kind kind)
{
	struct dl_payload *p = ctx;
	int slot = kind == DL_PAYLOAD_MODULE ? DL_PAYLOAD_MODULE + (int)p->nmodules : (int)kind;
	if ((kind != DL_PAYLOAD_KERNEL && kind != DL_PAYLOAD_RAMDISK && kind != DL_PAYLOAD_MODULE) ||
	    p->cur >= 0 || slot >= DL_PAYLOAD_SLOTS || p->f[slot].tmp)
		return dl_fail(p->err, DL_ESANDBOX, "protocol error: unexpected %s file", "payload");
	if (p->dry)
		return dl_fail(p->err, DL_ESANDBOX, "protocol error: file in dry-run mode");
	struct dl_payload_file *f = &p->f[slot];
	/* pygrub's names have 8 random characters; mkostemps fills 6. */
	static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
	/* Never wait for the kernel's random pool: in a dom0 that has just
	 * booted (guests started at boot) it may not be ready yet, and a
	 * blocking getrandom held `xl create` 0.7 s in the Xen test bed.  The
	 * name needs uniqueness, not secrecy (mkostemps creates with O_EXCL). */
	unsigned char rnd[2];
	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd)) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		unsigned v = (unsigned)ts.tv_nsec ^ (unsigned)getpid() * 2654435761u;
		rnd[0] = (unsigned char)v, rnd[1] = (unsigned char)(v >> 8);
	}
	f->tmp = dl_asprintf("%s/boot_%s.%c%cXXXXXX.part", p->dir, dl_payload_kind_name[kind],
			     set[rnd[0] % 63], set[rnd[1] % 63]);
	f->fd = mkostemps(f->tmp, 5, O_CLOEXEC);
	if (f->fd < 0) {
		int e = errno;
		free(f->tmp);
		f->tmp = NULL;
		return dl_fail(p->err, DL_EOUTPUT, "%s: cannot create %s file: %s", p->dir,
			       dl_payload_kind_name[kind], strerror(e));
	}
	f->final = dl_strndup(f->tmp, strlen(f->tmp) - 5);
	f->kind = kind;
	p->cur = slot;
	p->nmodules += kind == DL_PAYLOAD_MODULE;
	return 0;
}

static int account(struct dl_payload *p, uint64_t len)
{
	struct dl_payload_file *f = &p->f[p->cur];
	uint64_t n;
	uint64_t cap = p->cap[f->kind == DL_PAYLOAD_KERNEL ? 0 : 1];
	if (ckd_add(&n, f->size, len) || n > cap)
		return dl_fail(p->err, DL_ELIMIT, "%s is larger than the %llu MiB limit",
			       dl_payload_kind_name[f->kind], (unsigned long long)(cap >> 20));
	f->size = n;
	return 0;
}

static int write_err(struct dl_payload *p, int e)
{
	return dl_fail(p->err, DL_EOUTPUT, "%s: cannot write %s: %s", p->f[p->cur].tmp,
		       dl_payload_kind_name[p->f[p->cur].kind], strerror(e));
}

/* Start writing back what was just written, so that the fsync at the end
 * finds most of the file already on its way to the disk instead of doing
 * all the writeback after the copy (the copy and the disk writes overlap). */
#define WRITEBACK_STEP (2u << 20)
static void kick_writeback(const struct dl_payload *p, struct dl_payload_file *f, uint64_t just_written)
{
	if (!p->sync)
		return;
	f->written += just_written;
	f->unkicked += just_written;
	if (f->unkicked < WRITEBACK_STEP)
		return;
	sync_file_range(f->fd, (off64_t)(f->written - f->unkicked), (off64_t)f->unkicked,
			SYNC_FILE_RANGE_WRITE);
	f->unkicked = 0;
}

static int sink_data(void *ctx, const void *buf, size_t len)
{
	struct dl_payload *p = ctx;
	if (p->cur < 0)
		return dl_fail(p->err, DL_ESANDBOX, "protocol error: data outside a file");
	int r = account(p, len);
	if (r < 0)
		return r;
	r = dl_write_full(p->f[p->cur].fd, buf, len);
	if (r < 0)
		return write_err(p, -r);
	kick_writeback(p, &p->f[p->cur], len);
	return 0;
}

/* One step of a copy: copy_file_range (same filesystem: reflink or an
 * in-kernel copy), else sendfile (any filesystem: the page cache straight
 * into the output, one copy where read + write make two), else read and
 * write.  p->copy_mode remembers what failed for the rest of the run. */
static ssize_t copy_step(struct dl_payload *p, int in, loff_t *in_off, int out, size_t chunk)
{
	static char buf[1 << 20];
	ssize_t r;
	if (p->copy_mode == 0) {
		r = copy_file_range(in, in_off, out, NULL, chunk, 0);
		if (r >= 0 || (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP))
			return r;
		p->copy_mode = 1;
	}
	if (p->copy_mode == 1) {
		off_t o = *in_off;
		r = sendfile(out, in, &o, chunk);
		if (r >= 0) {
			*in_off = o;
			return r;
		}
		if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
			return r;
		p->copy_mode = 2;
	}
	size_t n = DL_MIN(chunk, sizeof(buf));
	r = dl_pread_full(in, buf, n, (uint64_t)*in_off);
	if (r > 0) {
		int rc = dl_write_full(out, buf, (size_t)r);
		if (rc < 0) {
			errno = -rc;
			return -1;
		}
		*in_off += r;
	}
	return r;
}

static int sink_copy(void *ctx, int disk, uint64_t off, uint64_t len)
{
	struct dl_payload *p = ctx;
	uint64_t end;
	if (p->cur < 0)
		return dl_fail(p->err, DL_ESANDBOX, "protocol error: copy outside a file");
	if (disk < 0 || (size_t)disk >= p->set->ndisks)
		return dl_fail(p->err, DL_ESANDBOX, "protocol error: copy from unknown disk %d", disk);
	struct dl_disk *d = p->set->disks[disk];
	/* A range of the image file: a raw disk's bytes, or a qcow2 image's
	 * plain data clusters (any byte of the file is only what the child
	 * could read and send anyway). */
	if (ckd_add(&end, off, len) || end > d->file_size || d->fd < 0 ||
	    (d->format != DL_FMT_RAW && d->format != DL_FMT_QCOW2))
		return dl_fail(p->err, DL_ESANDBOX, "protocol error: copy range outside %s", d->path);
	int rc = account(p, len);
	if (rc < 0)
		return rc;
	p->f[p->cur].copied += len;
	int out = p->f[p->cur].fd;
	loff_t in_off = (loff_t)off;
	/* With --sync, steps small enough to start writeback as the copy goes. */
	uint64_t step = p->sync ? WRITEBACK_STEP : (1u << 30);
	while (len) {
		ssize_t r = copy_step(p, d->fd, &in_off, out, (size_t)DL_MIN(len, step));
		if (r < 0)
			return write_err(p, errno);
		if (r == 0)
			return dl_fail(p->err, DL_EIO, "%s: unexpected end of disk", d->path);
		len -= (uint64_t)r;
		kick_writeback(p, &p->f[p->cur], (uint64_t)in_off - off);
		off = (uint64_t)in_off;
	}
	return 0;
}

static int sink_end(void *ctx)
{
	struct dl_payload *p = ctx;
	if (p->cur < 0)
		return dl_fail(p->err, DL_ESANDBOX, "protocol error: end outside a file");
	struct dl_payload_file *f = &p->f[p->cur];
	f->done = true;
	p->cur = -1;
	/* How the file came (a slow run's first question): image ranges are
	 * copied in the kernel, the rest was read and decoded by the parser. */
	dl_debug("%s: %llu bytes, %llu of them copied from the disk image", dl_payload_kind_name[f->kind],
		 (unsigned long long)f->size, (unsigned long long)f->copied);
	return 0;
}

static int sink_result(void *ctx, const struct dl_result *r)
{
	struct dl_payload *p = ctx;
	if (p->have_result || p->cur >= 0)
		return dl_fail(p->err, DL_ESANDBOX, "protocol error: unexpected result");
	int e = dl_record_check(&dl_result_type, r, p->err);
	if (e < 0)
		return e;
	p->have_result = true;
	dl_record_copy(&dl_result_type, &p->res, r);
	return 0;
}

static int sink_call(void *ctx, uint32_t op, const void *req, size_t len, const struct dl_asker *back,
		     struct dl_reply *rep, struct dl_error *err)
{
	struct dl_payload *p = ctx;
	*rep = (struct dl_reply){ .fd = -1 };
	if (op == 0 || op >= DL_CALL_MAX_ || !p->calls[op].fn)
		return dl_fail(err, DL_EUNSUPPORTED, "request %u: not available in this run", op);
	return p->calls[op].fn(p->calls[op].ctx, req, len, back, rep, err);
}

void dl_payload_answer(struct dl_payload *p, enum dl_call_op op, dl_call_fn fn, void *hctx)
{
	p->calls[op].fn = fn;
	p->calls[op].ctx = hctx;
}

void dl_payload_sink(struct dl_payload *p, struct dl_sink *sink)
{
	*sink = (struct dl_sink){
		.ctx = p,
		.listing = sink_listing,
		.begin = sink_begin,
		.data = sink_data,
		.copy = sink_copy,
		.end = sink_end,
		.result = sink_result,
		.call = sink_call,
	};
}

int dl_payload_commit(struct dl_payload *p, struct dl_error *err)
{
	for (int i = 0; i < DL_PAYLOAD_SLOTS; i++) {
		struct dl_payload_file *f = &p->f[i];
		if (!f->tmp)
			continue;
		if (!f->done)
			return dl_fail(err, DL_ESANDBOX, "%s file was not completed",
				       dl_payload_kind_name[f->kind]);
		if (p->sync && fsync(f->fd) < 0)
			return dl_fail(err, DL_EOUTPUT, "%s: %s", f->tmp, strerror(errno));
	}
	for (int i = 0; i < DL_PAYLOAD_SLOTS; i++) {
		struct dl_payload_file *f = &p->f[i];
		if (!f->tmp)
			continue;
		if (renameat2(AT_FDCWD, f->tmp, AT_FDCWD, f->final, RENAME_NOREPLACE) < 0) {
			if (errno != EINVAL && errno != ENOSYS)
				return dl_fail(err, DL_EOUTPUT, "%s: %s", f->final, strerror(errno));
			if (link(f->tmp, f->final) < 0)
				return dl_fail(err, DL_EOUTPUT, "%s: %s", f->final, strerror(errno));
			unlink(f->tmp);
		}
		free(f->tmp);
		f->tmp = NULL;
	}
	if (!p->sync)
		return 0;
	/* The renames on stable storage too, before the result names them. */
	int dfd = open(p->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return dl_fail(err, DL_EOUTPUT, "%s: %s", p->dir, strerror(errno));
	int r = fsync(dfd) < 0 && errno != EINVAL ? -errno : 0;
	close(dfd);
	if (r < 0)
		return dl_fail(err, DL_EOUTPUT, "%s: %s", p->dir, strerror(-r));
	return 0;
}

void dl_payload_abort(struct dl_payload *p)
{
	for (int i = 0; i < DL_PAYLOAD_SLOTS; i++) {
		struct dl_payload_file *f = &p->f[i];
		if (f->tmp)
			unlink(f->tmp);
		if (f->final && !f->tmp)
			unlink(f->final);
		if (f->fd >= 0)
			close(f->fd);
		f->fd = -1;
		free(f->tmp);
		free(f->final);
		f->tmp = f->final = NULL;
	}
}

void dl_payload_free(struct dl_payload *p)
{
	for (int i = 0; i < DL_PAYLOAD_SLOTS; i++) {
		if (p->f[i].fd >= 0)
			close(p->f[i].fd);
		free(p->f[i].tmp);
		free(p->f[i].final);
	}
	dl_record_clear(&dl_result_type, &p->res);
	memset(p, 0, sizeof(*p));
}
