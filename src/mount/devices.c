/* Loop devices and device-mapper maps for --mount.  Loop devices through
 * the kernel's ioctls (util-linux's libmount/libloopdev is not a library
 * Debian ships for this: losetup's code is internal), maps through
 * libdevmapper. */
#include "mount/internal.h"
#include "dlib.h"

#include <fcntl.h>
#include <libdevmapper.h>
#include <linux/loop.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* libdevmapper's messages are ours to print or not: debug notes. */
__attribute__((format(printf, 5, 6)))
static void dm_log_note(int level, const char *file, int line, int dm_errno, const char *f, ...)
{
	(void)level; (void)file; (void)line; (void)dm_errno;
	char msg[512];
	va_list ap;
	va_start(ap, f);
	vsnprintf(msg, sizeof(msg), f, ap);
	va_end(ap);
	dl_debug("libdevmapper: %s", msg);
}

/* Whether this kernel has device-mapper: its misc device is registered
 * (opening the control node would also load dm-mod where modules are
 * loaded on demand, which libdevmapper tries). */
bool dl_km_dm_available(void)
{
	static int known = -1;
	if (known >= 0)
		return known;
	struct dl_error err = { 0 };
	if (dl_lib_load(&dl_libdevmapper, &err) < 0) {   /* loaded on first use (src/dlib.h) */
		dl_debug("%s", err.msg);
		known = 0;
		return false;
	}
	dm_log_with_errno_init(dm_log_note);
	dm_udev_set_sync_support(0);
	char ver[64];
	known = dm_driver_version(ver, sizeof(ver)) ? 1 : 0;
	if (known)
		dl_debug("device-mapper %s", ver);
	return known;
}

/* Attach backing (an open image or device) read-only with autoclear, from
 * off for size bytes (0: to the end), tagged with tag (LO_NAME_SIZE).
 * LOOP_CTL_GET_FREE may hand the same device to a concurrent losetup: its
 * LOOP_CONFIGURE then fails with EBUSY and we ask again. */
int dl_km_loop_attach(int backing, uint64_t off, uint64_t size, const char *tag, struct dl_km_loop *lo,
		      struct dl_error *err)
{
	_cleanup_close_ int ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return dl_fail(err, DL_EUNSUPPORTED, "--mount: /dev/loop-control: %s (no loop device support?)",
			       strerror(errno));
	for (int attempt = 0; attempt < 32; attempt++) {
		int n = ioctl(ctl, LOOP_CTL_GET_FREE);
		if (n < 0)
			return dl_fail(err, DL_EIO, "--mount: no free loop device: %s", strerror(errno));
		char path[32];
		snprintf(path, sizeof(path), "/dev/loop%d", n);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return dl_fail(err, DL_EIO, "--mount: %s: %s", path, strerror(errno));
		struct loop_config c = { .fd = (uint32_t)backing };
		c.info.lo_offset = off;
		c.info.lo_sizelimit = size;
		c.info.lo_flags = LO_FLAGS_READ_ONLY | LO_FLAGS_AUTOCLEAR;
		snprintf((char *)c.info.lo_file_name, sizeof(c.info.lo_file_name), "%s", tag);
		if (ioctl(fd, LOOP_CONFIGURE, &c) == 0) {
			struct stat st;
			fstat(fd, &st);
			*lo = (struct dl_km_loop){ .fd = fd, .rdev = st.st_rdev };
			snprintf(lo->path, sizeof(lo->path), "%s", path);
			dl_info("--mount: attached %s (offset %llu, size %llu, read-only)", path,
				(unsigned long long)off, (unsigned long long)size);
			return 0;
		}
		int e = errno;
		close(fd);
		if (e != EBUSY)
			return dl_fail(err, DL_EIO, "--mount: %s: LOOP_CONFIGURE: %s", path, strerror(e));
	}
	return dl_fail(err, DL_EIO, "--mount: every free loop device was taken by another process");
}

void dl_km_loop_detach(struct dl_km_loop *lo)
{
	if (lo->fd < 0)
		return;
	/* Autoclear detaches it when the last user (a mount, a map) goes;
	 * LOOP_CLR_FD says so now when none is left. */
	ioctl(lo->fd, LOOP_CLR_FD, 0);
	close(lo->fd);
	dl_info("--mount: detached %s", lo->path);
	lo->fd = -1;
}

#define DM_FLAGS (DM_UDEV_DISABLE_DM_RULES_FLAG | DM_UDEV_DISABLE_SUBSYSTEM_RULES_FLAG | \
		  DM_UDEV_DISABLE_DISK_RULES_FLAG | DM_UDEV_DISABLE_OTHER_RULES_FLAG)

/* Run dmt with udev told to leave the device alone (no rules, no
 * scanning of a guest's bytes by dom0's udev); without udev
 * synchronisation libdevmapper makes the /dev/mapper node itself. */
static int dm_run(struct dm_task *dmt)
{
	uint32_t cookie = 0;
	if (!dm_task_set_cookie(dmt, &cookie, DM_FLAGS))
		return 0;
	int ok = dm_task_run(dmt);
	if (cookie)
		dm_udev_wait(cookie);
	return ok;
}

int dl_km_dm_create(const char *name, const struct dl_dm_target *t, size_t n, char *node, size_t nsize,
		    struct dl_error *err)
{
	struct dm_task *dmt = dm_task_create(DM_DEVICE_CREATE);
	if (!dmt)
		return dl_fail(err, DL_EIO, "--mount: device-mapper: cannot create a task");
	int ok = dm_task_set_name(dmt, name) && dm_task_set_ro(dmt);
	for (size_t i = 0; ok && i < n; i++)
		ok = dm_task_add_target(dmt, t[i].start, t[i].len, t[i].type, t[i].params);
	struct dm_info info = { 0 };
	ok = ok && dm_run(dmt) && dm_task_get_info(dmt, &info) && info.exists;
	dm_task_destroy(dmt);
	if (!ok)
		return dl_fail(err, DL_EIO, "--mount: device-mapper: cannot create %s", name);
	snprintf(node, nsize, "%s/%s", dm_dir(), name);
	struct stat st;
	if (stat(node, &st) < 0 &&
	    mknod(node, S_IFBLK | 0600, makedev((unsigned)info.major, (unsigned)info.minor)) < 0) {
		dl_fail(err, DL_EIO, "--mount: %s: %s", node, strerror(errno));
		dl_km_dm_remove(name);
		return -EIO;
	}
	dl_info("--mount: mapped %s (%zu target%s, read-only)", node, n, n == 1 ? "" : "s");
	return 0;
}

int dl_km_dm_remove(const char *name)
{
	struct dm_task *dmt = dm_task_create(DM_DEVICE_REMOVE);
	if (!dmt)
		return -EIO;
	int ok = dm_task_set_name(dmt, name) && dm_task_retry_remove(dmt) && dm_run(dmt);
	dm_task_destroy(dmt);
	if (ok)
		dl_info("--mount: removed map %s", name);
	return ok ? 0 : -EBUSY;
}

/* Call fn for each device-mapper map's name. */
int dl_km_dm_each(void (*fn)(void *ctx, const char *name), void *ctx)
{
	struct dm_task *dmt = dm_task_create(DM_DEVICE_LIST);
	if (!dmt || !dm_task_run(dmt)) {
		if (dmt)
			dm_task_destroy(dmt);
		return -EIO;
	}
	struct dm_names *nm = dm_task_get_names(dmt);
	for (unsigned next = 0; nm && nm->dev;) {
		nm = (struct dm_names *)((char *)nm + next);
		fn(ctx, nm->name);
		next = nm->next;
		if (!next)
			break;
	}
	dm_task_destroy(dmt);
	return 0;
}
