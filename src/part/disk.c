/* Disk access: raw files, block devices and memory buffers. */
#include "part/part.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

int dl_disk_from_fd(struct dl_disk **dp, int fd, const char *name,
		    enum dl_disk_format fmt, struct dl_error *err)
{
	struct stat st;
	uint64_t size = 0;
	unsigned sector = 512;

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
	if (fmt != DL_FMT_RAW)
		return dl_fail(err, DL_EUNSUPPORTED, "%s: disk format not supported yet", name);
	struct dl_disk *d = dl_calloc(1, sizeof(*d));
	d->path = dl_strdup(name);
	d->fd = fd;
	d->size = size;
	d->sector = sector;
	d->format = fmt;
	*dp = d;
	return 0;
}

int dl_disk_open(struct dl_disk **dp, const char *path, enum dl_disk_format fmt,
		 struct dl_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return dl_fail(err, DL_EIO, "%s: %s", path, strerror(errno));
	if (dl_disk_from_fd(dp, fd, path, fmt, err) < 0) {
		close(fd);
		return -1;
	}
	return 0;
}

struct dl_disk *dl_disk_from_mem(const void *buf, size_t len, const char *name)
{
	struct dl_disk *d = dl_calloc(1, sizeof(*d));
	d->path = dl_strdup(name);
	d->fd = -1;
	d->mem = buf;
	d->size = len;
	d->sector = 512;
	return d;
}

void dl_disk_free(struct dl_disk *d)
{
	if (!d)
		return;
	if (d->fd >= 0)
		close(d->fd);
	free(d->path);
	free(d->vdev);
	free(d);
}

ssize_t dl_disk_pread(struct dl_disk *d, void *buf, size_t len, uint64_t off)
{
	if (off >= d->size)
		return 0;
	if (len > d->size - off)
		len = (size_t)(d->size - off);
	if (d->mem) {
		memcpy(buf, d->mem + off, len);
		return (ssize_t)len;
	}
	return dl_pread_full(d->fd, buf, len, off);
}
