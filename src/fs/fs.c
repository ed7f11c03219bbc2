/* Backend table and mount dispatch, as u-boot's fstypes[] table and GRUB's
 * grub_fs_probe() with its three outcomes (mine, not mine, broken), and
 * subvolume views. */
#include "fs/fs.h"

#include <errno.h>
#include <string.h>

const struct dl_fs_ops *const dl_fs_backends[] = {
	&dl_fs_ext,
	&dl_fs_iso9660,
	&dl_fs_fat,
	&dl_fs_xfs,
	&dl_fs_btrfs,
	NULL,
};

static const struct dl_fs_ops *backend_for_type(const char *type)
{
	for (size_t i = 0; dl_fs_backends[i]; i++)
		for (const char *const *t = dl_fs_backends[i]->types; t && *t; t++)
			if (!strcmp(*t, type))
				return dl_fs_backends[i];
	return NULL;
}

/* Returns 0 with *fsp set, DL_NOT_MINE, or a negative errno. */
static int try_mount(const struct dl_fs_ops *ops, struct dl_fs **fsp, struct dl_volume *vol,
		     struct dl_error *err)
{
	struct dl_fs *fs = dl_calloc(1, sizeof(*fs));
	fs->ops = ops;
	fs->vol = vol;
	int r = ops->mount(fs, err);
	if (r == 0) {
		*fsp = fs;
		return 0;
	}
	free(fs);
	if (r > 0)
		return DL_NOT_MINE;
	/* A backend must fill err on failure; make sure something is said. */
	dl_fail(err, DL_EBADIMAGE, "%s: cannot read %s filesystem: %s", vol->name, ops->name,
		strerror(-r));
	return r;
}

int dl_fs_mount(struct dl_fs **fsp, struct dl_volume *vol, struct dl_error *err)
{
	*fsp = NULL;
	if (vol->fstype[0]) {
		const struct dl_fs_ops *ops = backend_for_type(vol->fstype);
		if (!ops) {
			dl_fail(err, DL_EUNSUPPORTED, "%s: %s filesystems are not supported", vol->name,
				vol->fstype);
			return DL_NOT_MINE;
		}
		int r = try_mount(ops, fsp, vol, err);
		if (r == DL_NOT_MINE)
			dl_fail(err, DL_EUNSUPPORTED, "%s: not a valid %s filesystem", vol->name,
				vol->fstype);
		return r;
	}
	for (size_t i = 0; dl_fs_backends[i]; i++) {
		int r = try_mount(dl_fs_backends[i], fsp, vol, err);
		if (r != DL_NOT_MINE)
			return r;
	}
	dl_fail(err, DL_EUNSUPPORTED, "%s: no supported filesystem found", vol->name);
	return DL_NOT_MINE;
}

void dl_fs_unmount(struct dl_fs *fs)
{
	if (!fs)
		return;
	if (!fs->base && fs->ops && fs->ops->unmount)
		fs->ops->unmount(fs);
	if (!fs->base)
		dl_fs_budget_free(fs);
	free(fs);
}

int dl_fs_subvol(struct dl_fs *fs, const char *path, uint64_t id, struct dl_fs **viewp,
		 struct dl_error *err)
{
	const char *vol = fs->vol->name;
	*viewp = NULL;
	if (!fs->ops->subvolume)
		return dl_fail(err, DL_EUNSUPPORTED, "%s: %s filesystems have no subvolumes", vol,
			       fs->ops->name);
	uint64_t root;
	int r = fs->ops->subvolume(fs, path ? 0 : id, &root);
	if (r == -ENOENT)
		return dl_fail(err, DL_ENOTFOUND, "%s: no subvolume %llu", vol, (unsigned long long)id);
	if (r < 0)
		return dl_fail(err, DL_EBADIMAGE, "%s: cannot open subvolume %llu: %s", vol,
			       (unsigned long long)(path ? 0 : id), strerror(-r));
	_cleanup_free_ struct dl_fs *v = dl_malloc(sizeof(*v));
	*v = *fs;
	v->base = fs->base ? fs->base : fs;
	v->root = root;
	if (path && *path) {
		struct dl_stat st;
		r = dl_fs_resolve(v, path, true, &st, err);
		if (r < 0)
			return r;
		if (st.type != DL_FT_DIR)
			return dl_fail(err, DL_ENOTFOUND, "%s: subvolume %s is not a directory", vol, path);
		v->root = st.ino;
	}
	*viewp = TAKE_PTR(v);
	return 0;
}
