/* The privileged side of --mount: volumes mounted on demand, paths
 * resolved inside them, answers to the parsing side's DL_CALL_OPEN. */
#include "mount/internal.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct dl_kmount *dl_kmount_new(struct dl_disk_set *set, struct dl_error *err)
{
	/* Mounts made from here on are this process's alone: nobody in dom0
	 * sees them, and they go away with the process whatever kills it. */
	if (unshare(CLONE_NEWNS) < 0) {
		dl_fail(err, DL_EUNSUPPORTED, "--mount: cannot make a private mount namespace: %s (run as root)",
			strerror(errno));
		return NULL;
	}
	/* EINVAL: "/" is no mount point (a chroot), so its mounts stay peers of
	 * dom0's and every mount made here would show there: refuse. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		dl_fail(err, DL_EUNSUPPORTED, "--mount: cannot make the mounts private: %s%s", strerror(errno),
			errno == EINVAL ? " (\"/\" is not a mount point: a chroot?)" : "");
		return NULL;
	}
	struct dl_kmount *km = dl_calloc(1, sizeof(*km));
	km->set = set;
	km->pid = (long)getpid();
	km->disk_loop = dl_calloc(set->ndisks + 1, sizeof(*km->disk_loop));
	km->disk_dev = dl_calloc(set->ndisks + 1, sizeof(*km->disk_dev));
	for (size_t i = 0; i < set->ndisks; i++)
		km->disk_loop[i].fd = -1;
	dl_km_signals(km);
	return km;
}

void dl_kmount_free(struct dl_kmount *km)
{
	if (!km)
		return;
	dl_km_block(true);
	for (size_t i = km->nv; i-- > 0;) {
		dl_km_vol_teardown(km->v[i]);
		dl_sbuf_free(&km->v[i]->key);
		free(km->v[i]);
	}
	km->nv = 0;
	for (size_t i = 0; i < km->set->ndisks; i++)
		dl_km_loop_detach(&km->disk_loop[i]);
	if (km->rundir[0] && rmdir(km->rundir) == 0)
		dl_debug("--mount: removed %s", km->rundir);
	km->rundir[0] = '\0';
	dl_km_signals_off();
	dl_km_block(false);
	free(km->v);
	free(km->disk_loop);
	free(km->disk_dev);
	free(km);
}

void dl_km_vol_teardown(struct dl_km_vol *vol)
{
	if (vol->rootfd >= 0)
		close(vol->rootfd);
	vol->rootfd = -1;
	if (vol->mounted && umount2(vol->dir, MNT_DETACH) == 0)
		dl_info("--mount: unmounted %s", vol->dir);
	vol->mounted = false;
	if (vol->map[0] && dl_km_dm_remove(vol->map) < 0)
		dl_warn("--mount: cannot remove map %s (domuloader --cleanup-stale will)", vol->map);
	vol->map[0] = '\0';
	dl_km_loop_detach(&vol->loop);
	if (vol->dir[0])
		rmdir(vol->dir);
	vol->dir[0] = '\0';
}

/* The "MAJ:MIN" of disk i for tables: the block device itself, else the
 * whole image on a loop device. */
static int disk_dev(struct dl_kmount *km, struct dl_disk *d, struct dl_error *err)
{
	size_t i = (size_t)d->index;
	if (km->disk_dev[i][0])
		return 0;
	if (d->format != DL_FMT_RAW)
		return dl_fail(err, DL_EUNSUPPORTED, "%s: --mount reads raw images and block devices only", d->path);
	struct stat st;
	if (fstat(d->fd, &st) < 0)
		return dl_fail(err, DL_EIO, "%s: %s", d->path, strerror(errno));
	dev_t rdev = st.st_rdev;
	if (!S_ISBLK(st.st_mode)) {
		char tag[64];
		snprintf(tag, sizeof(tag), DL_KM_PREFIX "%ld-disk%zu", km->pid, i);
		int r = dl_km_loop_attach(d->fd, 0, 0, tag, &km->disk_loop[i], err);
		if (r < 0)
			return r;
		rdev = km->disk_loop[i].rdev;
	}
	snprintf(km->disk_dev[i], sizeof(km->disk_dev[i]), "%u:%u", major(rdev), minor(rdev));
	return 0;
}

/* A device that holds v: a device-mapper map, or without device-mapper a
 * loop device over v's one extent (or the block device that is v). */
static int volume_device(struct dl_kmount *km, const struct dl_volume *v, const char *name,
			 struct dl_km_vol *vol, struct dl_error *err)
{
	const struct dl_extent *e = &v->ext[0];
	if (!dl_km_dm_available()) {
		if (v->nextents != 1 || e->nstripes)
			return dl_fail(err, DL_EUNSUPPORTED,
				       "%s: --mount: a volume of %zu extent%s%s needs device-mapper, which this kernel "
				       "does not have (load dm-mod)", v->name, v->nextents, v->nextents == 1 ? "" : "s",
				       e->nstripes ? " (striped)" : "");
		if (e->disk->format != DL_FMT_RAW)
			return dl_fail(err, DL_EUNSUPPORTED, "%s: --mount reads raw images and block devices only",
				       e->disk->path);
		int r = dl_km_loop_attach(e->disk->fd, e->disk_off, e->len, name, &vol->loop, err);
		if (r == 0)
			snprintf(vol->node, sizeof(vol->node), "%s", vol->loop.path);
		return r;
	}
	for (size_t i = 0; i < v->nextents; i++) {
		const struct dl_extent *x = &v->ext[i];
		for (unsigned k = 0; k < (x->nstripes ? x->nstripes : 1); k++) {
			int r = disk_dev(km, x->nstripes ? x->stripe[k].disk : x->disk, err);
			if (r < 0)
				return r;
		}
	}
	size_t nd = km->set->ndisks;
	_cleanup_free_ const char **devs = dl_calloc(nd + 1, sizeof(*devs));
	for (size_t i = 0; i < nd; i++)
		devs[i] = km->disk_dev[i][0] ? km->disk_dev[i] : NULL;
	struct dl_dm_target *t;
	size_t n;
	int r = dl_dm_table(v, devs, nd, &t, &n, err);
	if (r < 0)
		return r;
	/* Recorded before: a signal during the creation must remove it. */
	snprintf(vol->map, sizeof(vol->map), "%s", name);
	r = dl_km_dm_create(name, t, n, vol->node, sizeof(vol->node), err);
	if (r < 0)
		vol->map[0] = '\0';
	dl_dm_table_free(t, n);
	return r;
}

/* mount(2) v's device read-only on a fresh directory of the run. */
static int mount_volume(struct dl_kmount *km, const struct dl_volume *v, struct dl_km_vol *vol,
			struct dl_error *err)
{
	const struct dl_kmount_fstype *ft = dl_kmount_fstype(v->fstype);
	if (!ft)
		return dl_fail(err, DL_EUNSUPPORTED, "%s: --mount does not mount %s filesystems", v->name,
			       v->fstype[0] ? v->fstype : "unknown");
	if (!km->rundir[0]) {
		snprintf(km->rundir, sizeof(km->rundir), "%s/" DL_KM_PREFIX "%ld-XXXXXX", dl_km_base(), km->pid);
		if (!mkdtemp(km->rundir)) {
			int e = errno;
			km->rundir[0] = '\0';
			return dl_fail(err, DL_EIO, "--mount: cannot make a directory in %s: %s", dl_km_base(),
				       strerror(e));
		}
	}
	snprintf(vol->dir, sizeof(vol->dir), "%s/%zu", km->rundir, km->nv);
	if (mkdir(vol->dir, 0700) < 0) {
		int e = errno;
		vol->dir[0] = '\0';
		return dl_fail(err, DL_EIO, "--mount: %s: %s", km->rundir, strerror(e));
	}
	unsigned long fl = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	/* Marked before: a signal right after mount(2) must unmount it. */
	vol->mounted = true;
	int r = mount(vol->node, vol->dir, ft->kernel, fl, ft->data);
	if (r < 0 && errno == EINVAL && !strcmp(ft->kernel, "btrfs"))
		r = mount(vol->node, vol->dir, ft->kernel, fl, "rescue=nologreplay");
	if (r < 0) {
		int e = errno;
		vol->mounted = false;
		errno = e;
	}
	if (r < 0 && errno == ENODEV)
		return dl_fail(err, DL_EUNSUPPORTED, "%s: the kernel cannot mount %s: no such filesystem type "
			       "in this kernel (load its module)", v->name, ft->kernel);
	if (r < 0)
		return dl_fail(err, DL_EBADIMAGE, "%s: the kernel cannot mount it as %s (%s%s%s): %s", v->name,
			       ft->kernel, "ro,nosuid,nodev,noexec", ft->data[0] ? "," : "", ft->data,
			       strerror(errno));
	dl_info("--mount: mounted %s (%s) on %s read-only", vol->node, ft->kernel, vol->dir);
	vol->rootfd = open(vol->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (vol->rootfd < 0)
		return dl_fail(err, DL_EIO, "--mount: %s: %s", vol->dir, strerror(errno));
	return 0;
}

/* The run's volume described by req (mounted now when it is new). */
static struct dl_km_vol *volume_get(struct dl_kmount *km, const struct dl_kmount_req *req)
{
	struct dl_sbuf key = { 0 };
	dl_kmount_req_encode(&req->vol, DL_KMOUNT_STAT, "/", &key);
	for (size_t i = 0; i < km->nv; i++)
		if (km->v[i]->key.len == key.len && !memcmp(km->v[i]->key.p, key.p, key.len)) {
			dl_sbuf_free(&key);
			return km->v[i];
		}
	struct dl_km_vol *vol = dl_calloc(1, sizeof(*vol));
	vol->key = key;
	vol->rootfd = -1;
	vol->loop.fd = -1;
	char name[128];
	dl_kmount_map_name(name, sizeof(name), km->pid, &req->vol);
	for (size_t i = 0; i < km->nv; i++)
		if (!strcmp(km->v[i]->name, name))   /* two volumes of one name */
			snprintf(name + strlen(name), sizeof(name) - strlen(name), "-%zu", km->nv);
	snprintf(vol->name, sizeof(vol->name), "%s", name);
	dl_km_block(true);
	*(struct dl_km_vol **)dl_array_push(&km->v, &km->nv, &km->cap, sizeof(*km->v)) = vol;
	dl_km_block(false);
	int r = volume_device(km, &req->vol, name, vol, &vol->err);
	if (r == 0)
		r = mount_volume(km, &req->vol, vol, &vol->err);
	if (r < 0) {
		dl_info("%s", vol->err.msg);
		dl_km_block(true);
		dl_km_vol_teardown(vol);
		dl_km_block(false);
	}
	return vol;
}

/* openat2 path from the mount's root: ".." and absolute symlinks stay in
 * the guest, no /proc magic link, no other mount; a final symlink is
 * not followed (the parsing side's walker follows it, inside the guest). */
static int resolve(const struct dl_km_vol *vol, const char *path, int flags)
{
	if (!(flags & O_PATH))
		flags |= O_NOCTTY;      /* openat2 refuses it with O_PATH */
	struct open_how how = { .flags = (uint64_t)(flags | O_NOFOLLOW | O_CLOEXEC),
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV };
	const char *rel = path + strspn(path, "/");
	long fd = syscall(SYS_openat2, vol->rootfd, *rel ? rel : ".", &how, sizeof(how));
	return fd < 0 ? -errno : (int)fd;
}

static enum dl_ftype ftype_of(mode_t m)
{
	return S_ISREG(m) ? DL_FT_REG : S_ISDIR(m) ? DL_FT_DIR : S_ISLNK(m) ? DL_FT_LNK : DL_FT_OTHER;
}

static int list_dir(int fd, struct dl_sbuf *out)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	int r = 0;
	for (struct dirent *de; r == 0 && (de = readdir(d));) {
		size_t n = strlen(de->d_name);
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || n > 255)
			continue;
		uint8_t t = de->d_type == DT_REG ? DL_FT_REG : de->d_type == DT_DIR ? DL_FT_DIR
			  : de->d_type == DT_LNK ? DL_FT_LNK : de->d_type == DT_UNKNOWN ? DL_FT_UNKNOWN
			  : DL_FT_OTHER;
		uint8_t h[2] = { t, (uint8_t)n };
		r = dl_sbuf_add(out, h, 2);
		if (r == 0)
			r = dl_sbuf_add(out, de->d_name, n);
	}
	closedir(d);
	return r;
}

/* Answer req about vol: its stat (and link target, entries), or fd. */
static int answer_path(const struct dl_kmount_req *req, const struct dl_km_vol *vol, struct dl_reply *rep,
		       struct dl_error *err)
{
	static const int flags[] = { [DL_KMOUNT_STAT] = O_PATH, [DL_KMOUNT_OPEN] = O_RDONLY | O_NONBLOCK,
				     [DL_KMOUNT_LIST] = O_RDONLY | O_DIRECTORY };
	int fd = resolve(vol, req->path, flags[req->what]);
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) < 0) {
		close(fd);
		fd = -errno;
	}
	if (fd < 0)
		return dl_fail(err, dl_errno_code(fd), "%s: %s in %s", req->path, strerror(-fd), req->vol.name);
	struct dl_kmount_rep h = { .type = ftype_of(st.st_mode), .size = (uint64_t)st.st_size,
				   .ino = st.st_ino };
	struct dl_sbuf out = { .max = DL_CALL_MAX };
	dl_sbuf_add(&out, &h, sizeof(h));
	int r = 0;
	if (req->what == DL_KMOUNT_OPEN && !S_ISREG(st.st_mode))
		r = -EINVAL;
	else if (req->what == DL_KMOUNT_OPEN)
		rep->fd = fd, fd = -1;
	else if (req->what == DL_KMOUNT_LIST)
		r = list_dir(fd, &out), fd = -1;
	else if (S_ISLNK(st.st_mode)) {
		char lnk[DL_FS_MAX_LINK + 1];
		ssize_t n = readlinkat(fd, "", lnk, sizeof(lnk));
		r = n < 0 ? -errno : n > DL_FS_MAX_LINK ? -ENAMETOOLONG : dl_sbuf_add(&out, lnk, (size_t)n);
	}
	if (fd >= 0)
		close(fd);
	if (r < 0) {
		dl_sbuf_free(&out);
		return dl_fail(err, dl_errno_code(r), "%s: %s in %s", req->path, strerror(-r), req->vol.name);
	}
	rep->len = out.len;
	rep->buf = (uint8_t *)dl_sbuf_take(&out);
	return 0;
}

int dl_kmount_answer(void *hctx, const void *req, size_t len, const struct dl_asker *back,
		     struct dl_reply *rep, struct dl_error *err)
{
	(void)back;
	struct dl_kmount *km = hctx;
	struct dl_kmount_req r;
	*rep = (struct dl_reply){ .fd = -1 };
	int rc = dl_kmount_req_decode(req, len, km->set, &r, err);
	if (rc == 0) {
		struct dl_km_vol *vol = volume_get(km, &r);
		if (vol->err.code)
			rc = dl_fail(err, vol->err.code, "%s", vol->err.msg);
		else
			rc = answer_path(&r, vol, rep, err);
	}
	dl_kmount_req_free(&r);
	return rc;
}
