/* struct dl_boot_io over the guest view, and the guest-less one. */
#include "guest/guest.h"

#include <stdio.h>
#include <string.h>

/* The filesystem a parser's device argument names (NULL: the volume being
 * parsed) and the answer about path there: 0 (st filled) or DL_ABSENT,
 * also for a volume that is unknown or unreadable and for a path that
 * cannot be walked. */
static int io_stat(struct dl_guest_io *c, const char *dev, const char *path, struct dl_fs **fs,
		   struct dl_stat *st)
{
	struct dl_volume *v = dev && *dev ? dl_guest_device(c->g, c->self, dev) : c->self;
	return dl_guest_stat(c->g, v, path, fs, st);
}

static int io_read_file(void *ctx, const char *dev, const char *path, char **buf, size_t *len,
			struct dl_error *err)
{
	struct dl_fs *fs;
	struct dl_stat st;
	if (io_stat(ctx, dev, path, &fs, &st) != 0)
		return DL_ABSENT;
	int r = dl_fs_need_file(fs, path, 0, &st, err);
	return r < 0 ? r : dl_fs_read_all(fs, &st, path, DL_BOOT_MAX_FILE, buf, len, err);
}

static int io_test_file(void *ctx, const char *dev, const char *path, char test)
{
	struct dl_fs *fs;
	struct dl_stat st;
	if (io_stat(ctx, dev, path, &fs, &st) != 0)
		return 0;
	switch (test) {
	case 'f': return st.type == DL_FT_REG;
	case 'd': return st.type == DL_FT_DIR;
	case 's': return st.size > 0;
	default: return 1;
	}
}

static int collect_name(void *ctx, const char *name, size_t len, uint64_t ino, enum dl_ftype t)
{
	struct dl_strv *ns = ctx;
	(void)ino;
	(void)t;
	if ((len == 1 && name[0] == '.') || (len == 2 && !memcmp(name, "..", 2)))
		return 0;
	if (ns->n >= DL_BOOT_MAX_ENTRIES)
		return -E2BIG;
	dl_strv_push(ns, dl_strndup(name, len));
	return 0;
}

static int io_list_dir(void *ctx, const char *dev, const char *path, char ***names, size_t *n,
		       struct dl_error *err)
{
	struct dl_fs *fs;
	struct dl_stat st;
	if (io_stat(ctx, dev, path, &fs, &st) != 0 || st.type != DL_FT_DIR)
		return DL_ABSENT;
	struct dl_strv ns = { 0 };
	int r = dl_fs_list(fs, &st, path, collect_name, &ns, err);
	if (r < 0) {
		dl_strv_free(&ns);
		if (r == -E2BIG)
			return dl_fail(err, DL_ELIMIT, "%s:%s: more than %d directory entries", fs->vol->name,
				       path, DL_BOOT_MAX_ENTRIES);
		return r;
	}
	*names = ns.v;
	*n = ns.n;
	return 0;
}

/* GRUB's search --fs-uuid, --label (by volume spec) and --file. */
static int io_search(void *ctx, const char *by, const char *value, char *out, size_t outsz)
{
	struct dl_guest_io *c = ctx;
	struct dl_disk_set *set = c->g->set;
	struct dl_volume *v = NULL;
	if (!strcmp(by, "file")) {
		for (size_t i = 0; i < set->nvols && !v; i++) {
			struct dl_fs *fs;
			if (dl_guest_stat(c->g, &set->vols[i], value, &fs, NULL) == 0)
				v = &set->vols[i];
		}
	} else if (!strcmp(by, "fs-uuid") || !strcmp(by, "label")) {
		struct dl_volspec sp = { by[0] == 'l' ? DL_VOLSPEC_LABEL : DL_VOLSPEC_UUID, value,
					 strlen(value) };
		v = dl_diskset_find(set, &sp);
	}
	if (!v)
		return DL_ABSENT;
	snprintf(out, outsz, "%s", v->grub);
	return 0;
}

static int io_homes(void *ctx, char ***dirs, size_t *n)
{
	struct dl_guest_io *c = ctx;
	struct dl_strv out = { 0 };
	dl_guest_fstab(c->g);   /* its subvol= names homes too */
	dl_guest_homes(c->g, c->self, &out);
	*dirs = out.v;
	*n = out.n;
	return 0;
}

static void io_save_env(void *ctx, int entry, const char *dev, const char *path, const char *name,
			const char *value)
{
	struct dl_guest_io *c = ctx;
	dl_guest_save_env(c->g, entry, dev, path, name, value);
}

void dl_guest_io_init(struct dl_guest_io *gio, struct dl_guest *g, struct dl_volume *v)
{
	*gio = (struct dl_guest_io){
		.io = {
			.ctx = gio,
			.read_file = io_read_file,
			.test_file = io_test_file,
			.list_dir = io_list_dir,
			.search = io_search,
			.homes = io_homes,
			.save_env = io_save_env,
			.self_dev = v->grub,
		},
		.g = g,
		.self = v,
	};
	/* a new parse: the save_env calls recorded are its own */
	dl_guest_saved_reset(g);
}

static int none_read(void *ctx, const char *dev, const char *path, char **buf, size_t *len,
		     struct dl_error *err)
{
	(void)ctx, (void)dev, (void)path, (void)buf, (void)len, (void)err;
	return DL_ABSENT;
}

static int none_test(void *ctx, const char *dev, const char *path, char test)
{
	(void)ctx, (void)dev, (void)path, (void)test;
	return 0;
}

static int none_list(void *ctx, const char *dev, const char *path, char ***names, size_t *n,
		     struct dl_error *err)
{
	(void)ctx, (void)dev, (void)path, (void)names, (void)n, (void)err;
	return DL_ABSENT;
}

static int none_search(void *ctx, const char *by, const char *value, char *out, size_t outsz)
{
	(void)ctx, (void)by, (void)value, (void)out, (void)outsz;
	return DL_ABSENT;
}

const struct dl_boot_io dl_guest_io_none = {
	.read_file = none_read,
	.test_file = none_test,
	.list_dir = none_list,
	.search = none_search,
	.self_dev = "hd0",
};
