/* The privileged half of GRUB's save_env: the parser (sandboxed, no dom0
 * path) says which disk bytes hold the guest's grubenv and what they hold
 * now and after; this side checks and writes them in place. */
#include "output/output.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest/guest.h"

/* The range may be written: a raw disk of this run, not read-only, the
 * range inside it, its bytes still the old ones (compared as GRUB's
 * check_blocklists compares them before writing). */
static int check_range(struct dl_disk_set *set, const struct dl_grubenv_range *r,
		       const uint8_t *old, struct dl_error *err)
{
	if (r->disk >= set->ndisks)
		return dl_fail(err, DL_ESANDBOX, "grubenv request: no disk %u", r->disk);
	struct dl_disk *d = set->disks[r->disk];
	if (d->format != DL_FMT_RAW || d->fd < 0)
		return dl_fail(err, DL_EUNSUPPORTED, "%s: not a raw disk image or device", d->path);
	if (d->readonly)
		return dl_fail(err, DL_EUSAGE, "%s: given read-only", d->path);
	if (r->off > d->size || r->len > d->size - r->off)
		return dl_fail(err, DL_ESANDBOX, "grubenv request: range past the end of %s", d->path);
	_cleanup_free_ uint8_t *now = dl_malloc(r->len ? r->len : 1);
	if (pread(d->fd, now, r->len, (off_t)r->off) != (ssize_t)r->len)
		return dl_fail(err, DL_EIO, "%s: cannot read the grubenv block", d->path);
	if (memcmp(now, old, r->len))
		return dl_fail(err, DL_EIO, "%s: the grubenv block changed since it was read", d->path);
	return 0;
}

/* The disk opened for writing: the same file as the one read (never a
 * path swapped since), O_WRONLY without O_CREAT. */
static int open_write(struct dl_disk *d, struct dl_error *err)
{
	struct stat a, b;
	int fd = open(d->path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return dl_fail(err, DL_EOUTPUT, "%s: cannot open for writing: %s", d->path, strerror(errno));
	if (fstat(fd, &a) < 0 || fstat(d->fd, &b) < 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino ||
	    a.st_rdev != b.st_rdev) {
		close(fd);
		return dl_fail(err, DL_EOUTPUT, "%s: not the file that was read", d->path);
	}
	return fd;
}

int dl_grubenv_answer(void *hctx, const void *req, size_t len, const struct dl_asker *back,
		      struct dl_reply *rep, struct dl_error *err)
{
	struct dl_disk_set *set = hctx;
	struct dl_grubenv_write w;
	(void)back, (void)rep;
	int r = dl_grubenv_request_parse(req, len, &w, err);
	if (r < 0)
		return r;
	size_t pos = 0;
	for (size_t i = 0; i < w.nranges && r == 0; pos += w.ranges[i++].len)
		r = check_range(set, &w.ranges[i], w.old + pos, err);
	pos = 0;
	for (size_t i = 0; i < w.nranges && r == 0; pos += w.ranges[i++].len) {
		struct dl_disk *d = set->disks[w.ranges[i].disk];
		int fd = open_write(d, err);
		if (fd < 0) {
			r = fd;
			break;
		}
		if (pwrite(fd, w.new + pos, w.ranges[i].len, (off_t)w.ranges[i].off) != (ssize_t)w.ranges[i].len ||
		    fdatasync(fd) < 0)
			r = dl_fail(err, DL_EOUTPUT, "%s: cannot write the grubenv block: %s", d->path,
				    strerror(errno));
		close(fd);
	}
	free(w.ranges);
	return r;
}
