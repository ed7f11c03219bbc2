/* Disk access: raw files, block devices, memory buffers and qcow2 images. */
#include "part/part_int.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <zlib.h>

uint32_t dl_crc32(const void *buf, size_t len)
{
	uLong c = crc32(0L, Z_NULL, 0);
	const uint8_t *p = buf;
	while (len) {
		uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;
		c = crc32(c, p, n);
		p += n;
		len -= n;
	}
	return (uint32_t)c;
}

uint32_t dl_lvm_crc(uint32_t crc, const void *buf, size_t len)
{
	/* LVM's calc_crc() is the reflected CRC-32 without pre/post inversion;
	 * zlib's crc32() inverts on entry and exit, so undo both. */
	uLong c = crc ^ 0xffffffffu;
	const uint8_t *p = buf;
	while (len) {
		uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;
		c = crc32(c, p, n);
		p += n;
		len -= n;
	}
	return (uint32_t)c ^ 0xffffffffu;
}

const char *dl_disk_name(const struct dl_disk *d)
{
	return d->path ? d->path : (d->vdev ? d->vdev : "disk");
}

static const struct dl_disk_opts default_opts = { .format = DL_FMT_RAW };

static int disk_from_fd(struct dl_disk **dp, int fd, const char *name, const struct dl_disk_opts *o,
			bool by_path, struct dl_error *err)
{
	struct stat st;
	uint64_t size = 0;
	unsigned sector = 512;

	if (!o)
		o = &default_opts;
	if (fstat(fd, &st) < 0)
		return dl_fail(err, DL_EIO, "%s: %s", name, strerror(errno));
	if (S_ISBLK(st.st_mode)) {
		int ss = 0;
		if (ioctl(fd, BLKGETSIZE64, &size) < 0)
			return dl_fail(err, DL_EIO, "%s: cannot get device size: %s", name, strerror(errno));
		if (ioctl(fd, BLKSSZGET, &ss) == 0 && (ss == 512 || ss == 1024 || ss == 2048 || ss == 4096))
			sector = (unsigned)ss;
	} else if (S_ISREG(st.st_mode)) {
		size = (uint64_t)st.st_size;
	} else {
		return dl_fail(err, DL_EIO, "%s: not a regular file or block device", name);
	}
	if (o->format != DL_FMT_RAW && o->format != DL_FMT_QCOW2)
		return dl_fail(err, DL_EUNSUPPORTED, "%s: unknown disk format", name);
	struct dl_disk *d = dl_calloc(1, sizeof(*d));
	d->path = dl_strdup(name);
	d->vdev = o->vdev ? dl_strdup(o->vdev) : NULL;
	d->fd = fd;
	d->size = size;
	d->file_size = size;
	d->sector = sector;
	d->format = DL_FMT_RAW;
	int r = o->format == DL_FMT_QCOW2 ? dl_qcow2_open(d, o, by_path, 0, err) : 0;
	if (r < 0) {
		d->fd = -1; /* the caller keeps its fd on failure */
		dl_disk_free(d);
		return r;
	}
	*dp = d;
	return 0;
}

int dl_disk_from_fd_opts(struct dl_disk **dp, int fd, const char *name,
			 const struct dl_disk_opts *o, struct dl_error *err)
{
	return disk_from_fd(dp, fd, name, o, false, err);
}

int dl_disk_open_path(const char *path, bool blk, struct dl_error *err)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return dl_fail(err, DL_EIO, "%s: %s", path, strerror(errno));
	struct stat st;
	int r = fstat(fd, &st) < 0 ? dl_fail(err, DL_EIO, "%s: %s", path, strerror(errno)) : 0;
	if (r == 0 && !S_ISREG(st.st_mode) && !(blk && S_ISBLK(st.st_mode)))
		r = dl_fail(err, DL_EIO, "%s: not a regular file%s", path, blk ? " or block device" : "");
	if (r == 0 && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)
		r = dl_fail(err, DL_EIO, "%s: %s", path, strerror(errno));
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int dl_disk_open_opts(struct dl_disk **dp, const char *path, const struct dl_disk_opts *o,
		      struct dl_error *err)
{
	int fd = dl_disk_open_path(path, true, err);
	if (fd < 0)
		return fd;
	int r = disk_from_fd(dp, fd, path, o, true, err);
	if (r < 0)
		close(fd);
	return r;
}

int dl_disk_open(struct dl_disk **dp, const char *path, enum dl_disk_format fmt,
		 struct dl_error *err)
{
	struct dl_disk_opts o = { .format = fmt };
	return dl_disk_open_opts(dp, path, &o, err);
}

struct dl_disk *dl_disk_from_mem(const void *buf, size_t len, const char *name)
{
	struct dl_disk *d = dl_calloc(1, sizeof(*d));
	d->path = dl_strdup(name);
	d->fd = -1;
	d->mem = buf;
	d->size = len;
	d->file_size = len;
	d->sector = 512;
	return d;
}

int dl_disk_qcow2_from_mem(struct dl_disk **dp, const void *buf, size_t len, const char *name,
			   struct dl_error *err)
{
	struct dl_disk *d = dl_disk_from_mem(buf, len, name);
	struct dl_disk_opts o = { .format = DL_FMT_QCOW2 };
	int r = dl_qcow2_open(d, &o, false, 0, err);
	if (r < 0) {
		dl_disk_free(d);
		return r;
	}
	*dp = d;
	return 0;
}

size_t dl_disk_fd_slots(struct dl_disk *d, int **slots, size_t max)
{
	size_t n = 0;
	for (; d; d = dl_qcow2_backing(d)) {
		if (d->fd < 0)
			continue;
		if (n < max)
			slots[n] = &d->fd;
		n++;
	}
	return n;
}

void dl_disk_free(struct dl_disk *d)
{
	if (!d)
		return;
	dl_qcow2_free(d);
	if (d->fd >= 0)
		close(d->fd);
	free(d->path);
	free(d->vdev);
	free(d->note);
	free(d);
}

/* Bytes of the underlying file or buffer.  For raw disks this is the disk. */
ssize_t dl_disk_file_pread(struct dl_disk *d, void *buf, size_t len, uint64_t off)
{
	uint64_t fsize = d->file_size;
	if (off >= fsize)
		return 0;
	if (len > fsize - off)
		len = (size_t)(fsize - off);
	if (d->mem) {
		memcpy(buf, d->mem + off, len);
		return (ssize_t)len;
	}
	if (off > (uint64_t)INT64_MAX - len) {
		errno = EINVAL;
		return -1;
	}
	return dl_pread_full(d->fd, buf, len, off);
}

ssize_t dl_disk_pread(struct dl_disk *d, void *buf, size_t len, uint64_t off)
{
	if (off >= d->size)
		return 0;
	if (len > d->size - off)
		len = (size_t)(d->size - off);
	if (d->format == DL_FMT_QCOW2)
		return dl_qcow2_pread(d, buf, len, off);
	return dl_disk_file_pread(d, buf, len, off);
}

int dl_disk_read_exact(struct dl_disk *d, void *buf, size_t len, uint64_t off, const char *what,
		       struct dl_error *err)
{
	ssize_t r = dl_disk_pread(d, buf, len, off);
	if (r < 0)
		return dl_fail(err, DL_EIO, "%s: cannot read %s: %s", dl_disk_name(d), what, strerror(errno));
	if ((size_t)r != len)
		return dl_fail(err, DL_EBADIMAGE, "%s: %s lies past the end of the disk", dl_disk_name(d), what);
	return 0;
}
