/* The guest view (src/guest) over two memory disks whose filesystems are
 * fakes: xvda is btrfs-like (the default subvolume "@" holds /etc/fstab,
 * the top level holds the subvolumes "@" and "@boot"), xvdb a plain
 * filesystem.  Checks the root volume, fstab with subvol= and subvolid=,
 * each step of dl_guest_locate, one walk per path, and the boot I/O. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "guest/guest.h"

struct node {
	uint64_t ino, parent;
	const char *name;
	enum dl_ftype type;
	const char *data;     /* file content or link target */
};

enum { ROOT = 1, ETC = 2, BOOTDIR = 3, FSTAB = 4, LOOP = 5, ROOTK = 6,
       TOP = 10, ATBOOT = 11, K6 = 12, I6 = 13, GRUB = 14, CFG = 15,
       BROOT = 20, KB = 21, IB = 22, SNAPS = 30, ONE = 31, SNAPSHOT = 32 };

static const char fstab[] =
	"UUID=ROOT-UUID / btrfs defaults 0 0\n"
	"UUID=ROOT-UUID /boot btrfs subvol=/@boot 0 0\n"
	"UUID=ROOT-UUID /data btrfs subvolid=256 0 0\n"
	"UUID=ROOT-UUID /opt btrfs subvol=@nope 0 0\n"
	"UUID=ROOT-UUID /srv btrfs subvolid=300 0 0\n"
	"tmpfs /tmp tmpfs defaults 0 0\n";

static const struct node xvda_nodes[] = {
	{ TOP, 0, "", DL_FT_DIR, NULL },
	{ ROOT, TOP, "@", DL_FT_DIR, NULL },
	{ ATBOOT, TOP, "@boot", DL_FT_DIR, NULL },
	{ ETC, ROOT, "etc", DL_FT_DIR, NULL },
	{ BOOTDIR, ROOT, "boot", DL_FT_DIR, NULL },     /* the empty mount point */
	{ FSTAB, ETC, "fstab", DL_FT_REG, fstab },
	{ LOOP, ROOT, "loop", DL_FT_LNK, "loop" },
	{ ROOTK, ROOT, "vmlinuz-root", DL_FT_REG, "root kernel" },
	{ K6, ATBOOT, "vmlinuz-6", DL_FT_REG, "kernel 6" },
	{ I6, ATBOOT, "initrd-6", DL_FT_REG, "initrd 6" },
	{ GRUB, ATBOOT, "grub", DL_FT_DIR, NULL },
	{ CFG, GRUB, "grub.cfg", DL_FT_REG, "set default=0\n" },
	{ SNAPS, TOP, "@snaps", DL_FT_DIR, NULL },
	{ ONE, SNAPS, "1", DL_FT_DIR, NULL },
	{ SNAPSHOT, ONE, "snapshot", DL_FT_DIR, NULL },
	{ 0 },
};

static const struct node xvdb_nodes[] = {
	{ BROOT, 0, "", DL_FT_DIR, NULL },
	{ KB, BROOT, "vmlinuz-b", DL_FT_REG, "kernel b" },
	{ IB, BROOT, "initrd-b", DL_FT_REG, "initrd b" },
	{ 0 },
};

static unsigned lookups;   /* names looked up so far, on both disks */

static const struct node *find(struct dl_fs *fs, uint64_t ino)
{
	for (const struct node *n = fs->priv; n->ino; n++)
		if (n->ino == ino)
			return n;
	return NULL;
}

static int fake_lookup(struct dl_fs *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino)
{
	lookups++;
	for (const struct node *n = fs->priv; n->ino; n++)
		if (n->parent == dir && strlen(n->name) == len && !memcmp(n->name, name, len)) {
			*ino = n->ino;
			return 0;
		}
	return -ENOENT;
}

static int fake_stat(struct dl_fs *fs, uint64_t ino, struct dl_stat *st)
{
	const struct node *n = find(fs, ino);
	if (!n)
		return -EUCLEAN;
	*st = (struct dl_stat){ .ino = ino, .type = n->type, .size = n->data ? strlen(n->data) : 0 };
	return 0;
}

static ssize_t fake_read(struct dl_fs *fs, uint64_t ino, void *buf, size_t len, uint64_t off)
{
	const struct node *n = find(fs, ino);
	size_t size = strlen(n->data);
	if (off >= size)
		return 0;
	len = DL_MIN(len, size - (size_t)off);
	memcpy(buf, n->data + off, len);
	return (ssize_t)len;
}

static ssize_t fake_readlink(struct dl_fs *fs, uint64_t ino, char *buf, size_t bufsz)
{
	const struct node *n = find(fs, ino);
	size_t l = strlen(n->data);
	if (l > bufsz)
		return -ENAMETOOLONG;
	memcpy(buf, n->data, l);
	return (ssize_t)l;
}

static int fake_readdir(struct dl_fs *fs, uint64_t dir, dl_dirent_cb cb, void *ctx)
{
	for (const struct node *n = fs->priv; n->ino; n++)
		if (n->parent == dir) {
			int r = cb(ctx, n->name, strlen(n->name), n->ino, n->type);
			if (r)
				return r;
		}
	return 0;
}

/* Subvolumes of xvda: 0 (and 5) the top level, 256 "@boot", 300
 * "@snaps/1/snapshot". */
static int fake_subvolume(struct dl_fs *fs, uint64_t id, uint64_t *ino)
{
	(void)fs;
	if (id != 0 && id != 5 && id != 256 && id != 300)
		return -ENOENT;
	*ino = id == 256 ? ATBOOT : id == 300 ? SNAPSHOT : TOP;
	return 0;
}

static bool fake_is_subvolume(struct dl_fs *fs, uint64_t ino)
{
	(void)fs;
	return ino == ROOT || ino == ATBOOT || ino == TOP || ino == SNAPSHOT;
}

static const struct dl_fs_ops btrfs_like = {
	.name = "btrfs-like", .lookup = fake_lookup, .stat = fake_stat, .read = fake_read,
	.readlink = fake_readlink, .readdir = fake_readdir, .subvolume = fake_subvolume,
	.is_subvolume = fake_is_subvolume,
};
static const struct dl_fs_ops plain = {
	.name = "plain", .lookup = fake_lookup, .stat = fake_stat, .read = fake_read,
	.readlink = fake_readlink, .readdir = fake_readdir,
};

struct world {
	uint8_t *img;
	struct dl_disk_set set;
	struct dl_guest g;
};

static struct dl_fs *fake_fs(const struct dl_fs_ops *ops, struct dl_volume *v, const struct node *n,
			     uint64_t root)
{
	struct dl_fs *fs = dl_calloc(1, sizeof(*fs));
	*fs = (struct dl_fs){ .ops = ops, .vol = v, .root = root, .priv = (void *)n };
	return fs;
}

static int setup(void **state)
{
	struct world *w = dl_calloc(1, sizeof(*w));
	struct dl_error err = { 0 };
	w->img = dl_calloc(1, 1 << 20);
	dl_diskset_add(&w->set, dl_disk_from_mem(w->img, 1 << 20, "a.img"));
	dl_diskset_add(&w->set, dl_disk_from_mem(w->img, 1 << 20, "b.img"));
	w->set.no_probe = true;
	assert_int_equal(dl_diskset_scan(&w->set, UINT64_MAX, &err), 0);
	assert_int_equal(w->set.nvols, 2);
	snprintf(w->set.vols[0].uuid, sizeof(w->set.vols[0].uuid), "root-uuid");
	snprintf(w->set.vols[1].uuid, sizeof(w->set.vols[1].uuid), "B-UUID");
	snprintf(w->set.vols[1].label, sizeof(w->set.vols[1].label), "bee");
	dl_guest_init(&w->g, &w->set, NULL);
	/* Mounted already: the default subvolume of xvda is "@". */
	w->g.fs[0] = fake_fs(&btrfs_like, &w->set.vols[0], xvda_nodes, ROOT);
	w->g.fs[1] = fake_fs(&plain, &w->set.vols[1], xvdb_nodes, BROOT);
	w->g.state[0] = w->g.state[1] = 1;
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;
	dl_guest_free(&w->g);
	dl_diskset_free(&w->set);
	free(w->img);
	free(w);
	return 0;
}

/* Locate path for a configuration on volume home (0 or 1); dev may be NULL. */
static int locate(struct world *w, int home, const char *dev, const char *path,
		  struct dl_located *out, struct dl_error *err)
{
	struct dl_boot_path bp = { .dev = (char *)dev, .path = (char *)path };
	memset(out, 0, sizeof(*out));
	return dl_guest_locate(&w->g, &w->set.vols[home], &bp, "kernel", out, err);
}

static void test_root_and_fstab(void **state)
{
	struct world *w = *state;
	const struct dl_fstab *t = dl_guest_fstab(&w->g);
	assert_non_null(t);
	assert_ptr_equal(w->g.rootvol, &w->set.vols[0]);
	assert_int_equal(t->n, 6);
	assert_string_equal(t->entries[1].subvol, "@boot");
	assert_int_equal(t->entries[2].subvolid, 256);
	assert_ptr_equal(dl_guest_fstab(&w->g), t);   /* loaded once */
}

/* On its own volume: one walk, no second one to read the stat again. */
static void test_found_at_home_walks_once(void **state)
{
	struct world *w = *state;
	struct dl_located l;
	struct dl_error err = { 0 };
	lookups = 0;
	assert_int_equal(locate(w, 1, NULL, "/vmlinuz-b", &l, &err), 0);
	assert_int_equal(lookups, 1);
	assert_ptr_equal(l.fs, w->g.fs[1]);
	assert_int_equal(l.st.ino, KB);
	assert_string_equal(l.path, "/vmlinuz-b");
	free(l.path);
}

/* /boot is subvolume @boot: /boot/x on "/" is /@boot/x from the top. */
static void test_fstab_subvol(void **state)
{
	struct world *w = *state;
	struct dl_located l;
	struct dl_error err = { 0 };
	assert_int_equal(locate(w, 0, NULL, "/boot/vmlinuz-6", &l, &err), 0);
	assert_int_equal(l.st.ino, K6);
	assert_string_equal(l.path, "/vmlinuz-6");
	assert_ptr_equal(l.fs->base, w->g.fs[0]);
	struct dl_fs *view = l.fs;
	free(l.path);
	/* The view is opened once and kept. */
	assert_int_equal(locate(w, 0, NULL, "/boot/grub/grub.cfg", &l, &err), 0);
	assert_ptr_equal(l.fs, view);
	assert_int_equal(l.st.ino, CFG);
	free(l.path);
	/* subvolid=256 is the same subvolume, mounted at /data. */
	assert_int_equal(locate(w, 0, NULL, "/data/initrd-6", &l, &err), 0);
	assert_int_equal(l.st.ino, I6);
	assert_ptr_equal(l.fs->base, w->g.fs[0]);
	assert_ptr_not_equal(l.fs, view);
	free(l.path);
	/* A subvolume that does not exist maps nothing. */
	assert_int_equal(locate(w, 0, NULL, "/opt/vmlinuz-6", &l, &err), -ENOENT);
	assert_string_equal(err.msg, "/opt/vmlinuz-6: no such file in xvda");
	assert_int_equal(err.code, DL_ENOTFOUND);
}

/* A configuration on xvda naming /boot/x, with the file at the root of
 * another volume: "/boot" removed there. */
static void test_boot_removed_elsewhere(void **state)
{
	struct world *w = *state;
	struct dl_located l;
	struct dl_error err = { 0 };
	assert_int_equal(locate(w, 0, NULL, "/boot/initrd-b", &l, &err), 0);
	assert_ptr_equal(l.fs, w->g.fs[1]);
	assert_string_equal(l.path, "/initrd-b");
	free(l.path);
	/* A device named: only there. */
	assert_int_equal(locate(w, 0, "hd1", "/vmlinuz-b", &l, &err), 0);
	assert_ptr_equal(l.fs, w->g.fs[1]);
	free(l.path);
	assert_int_equal(locate(w, 1, "hd0", "/vmlinuz-b", &l, &err), -ENOENT);
	assert_string_equal(err.msg, "/vmlinuz-b: no such file in xvda");
	dl_error_clear(&err);
	/* A device no presented disk has: the configuration's own volume,
	 * never another disk's. */
	assert_int_equal(locate(w, 0, "hd7", "/vmlinuz-b", &l, &err), -ENOENT);
	assert_string_equal(err.msg, "/vmlinuz-b: no such file in xvda");
	dl_error_clear(&err);
	assert_int_equal(locate(w, 1, "hd7", "/vmlinuz-b", &l, &err), 0);
	assert_ptr_equal(l.fs, w->g.fs[1]);
	free(l.path);
}

/* menu.lst's (hd0,0) and GRUB 2's (hd0,msdos1) on a disk Xen presents as
 * one partition (the volume is the whole disk "hd0"); PV-GRUB's xen/ names
 * are the disks by their letters when no disk has a vdev. */
static void test_device_names(void **state)
{
	struct world *w = *state;
	struct dl_located l;
	struct dl_error err = { 0 };
	const char *home_names[] = { "hd0,1", "hd0,msdos1", "hd0,gpt2", "lvm/vg-root", "md/0",
				     "xen/xvda,msdos1", "xen/xvdz" };
	for (size_t i = 0; i < DL_ARRAY_SIZE(home_names); i++) {
		assert_int_equal(locate(w, 1, home_names[i], "/vmlinuz-b", &l, &err), 0);
		assert_ptr_equal(l.fs, w->g.fs[1]);
		free(l.path);
	}
	assert_int_equal(locate(w, 0, "xen/xvdb", "/vmlinuz-b", &l, &err), 0);
	assert_ptr_equal(l.fs, w->g.fs[1]);
	free(l.path);
	assert_int_equal(locate(w, 1, "xen/xvda", "/vmlinuz-root", &l, &err), 0);
	assert_ptr_equal(l.fs, w->g.fs[0]);
	free(l.path);
	/* xvdb has no partition 1: xvda's configuration reads xvda. */
	assert_int_equal(locate(w, 0, "xen/xvdb,msdos1", "/vmlinuz-b", &l, &err), -ENOENT);
	assert_string_equal(err.msg, "/vmlinuz-b: no such file in xvda");
	/* With vdevs, xen/ names go by them. */
	free(w->set.disks[0]->vdev);
	free(w->set.disks[1]->vdev);
	w->set.disks[0]->vdev = dl_strdup("xvdc");
	w->set.disks[1]->vdev = dl_strdup("xvdd");
	assert_int_equal(locate(w, 0, "xen/xvdd", "/vmlinuz-b", &l, &err), 0);
	assert_ptr_equal(l.fs, w->g.fs[1]);
	free(l.path);
	dl_error_clear(&err);
	assert_int_equal(locate(w, 0, "xen/xvdb", "/vmlinuz-b", &l, &err), -ENOENT);
}

/* GRUB reads a btrfs from its top level: "/@boot/x" names a file of the
 * subvolume @boot whatever the default subvolume is. */
static void test_top_level_paths(void **state)
{
	struct world *w = *state;
	struct dl_located l;
	struct dl_error err = { 0 };
	assert_int_equal(locate(w, 0, NULL, "/@boot/vmlinuz-6", &l, &err), 0);
	assert_int_equal(l.st.ino, K6);
	assert_ptr_equal(l.fs->base, w->g.fs[0]);
	assert_int_equal(l.fs->root, TOP);
	free(l.path);
	assert_null(dl_guest_top(&w->g, &w->set.vols[1]));
	/* The subvolumes beside the default one, then fstab's. */
	struct dl_strv homes = { 0 };
	dl_guest_homes(&w->g, &w->set.vols[0], &homes);
	assert_int_equal(homes.n, 1);
	assert_string_equal(homes.v[0], "/@boot");
	dl_strv_free(&homes);
	assert_non_null(dl_guest_fstab(&w->g));
	dl_guest_homes(&w->g, &w->set.vols[0], &homes);
	/* subvolid= is a home too, found by its path from the top level
	 * (256 is @boot, listed already) */
	assert_int_equal(homes.n, 3);
	assert_string_equal(homes.v[1], "/@nope");
	assert_string_equal(homes.v[2], "/@snaps/1/snapshot");
	dl_strv_free(&homes);
	/* rootflags=subvol= of a known command line, once */
	w->g.cmdline = "ro xrootflags=subvol=no rootflags=compress=zstd,subvol=/@snap/,x rootflags=subvol=@boot";
	dl_guest_homes(&w->g, &w->set.vols[0], &homes);
	assert_int_equal(homes.n, 4);
	assert_string_equal(homes.v[3], "/@snap");
	dl_strv_free(&homes);
	/* rootflags=subvolid=: a known one once, an unknown one, the top level
	 * (0 and 5) none */
	w->g.cmdline = "rootflags=subvolid=300 rootflags=subvolid=256,subvolid=999 rootflags=subvolid=0";
	w->g.fstab_state = 0;   /* the command line alone */
	dl_guest_homes(&w->g, &w->set.vols[0], &homes);
	assert_int_equal(homes.n, 2);
	assert_string_equal(homes.v[0], "/@boot");
	assert_string_equal(homes.v[1], "/@snaps/1/snapshot");
	dl_strv_free(&homes);
	w->g.fstab_state = 1;
	dl_guest_homes(&w->g, &w->set.vols[1], &homes);
	assert_int_equal(homes.n, 0);
}

/* Debian's layout: the default subvolume is the top level, the system is
 * in "@": its fstab is found there, and GRUB's "/@/..." paths read. */
static void test_system_in_subvolume(void **state)
{
	struct world *w = *state;
	w->g.fs[0]->root = TOP;
	const struct dl_fstab *t = dl_guest_fstab(&w->g);
	assert_non_null(t);
	assert_ptr_equal(w->g.rootvol, &w->set.vols[0]);
	assert_int_equal(t->n, 6);
	assert_null(dl_guest_top(&w->g, &w->set.vols[0]));
	struct dl_guest_io gio;
	dl_guest_io_init(&gio, &w->g, &w->set.vols[0]);
	char **dirs;
	size_t n;
	assert_int_equal(gio.io.homes(gio.io.ctx, &dirs, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(dirs[0], "/@");
	assert_string_equal(dirs[1], "/@boot");
	assert_string_equal(dirs[2], "/@nope");
	assert_string_equal(dirs[3], "/@snaps/1/snapshot");
	dl_strings_free(dirs, n);
	assert_int_equal(gio.io.test_file(gio.io.ctx, NULL, "/@/vmlinuz-root", 'f'), 1);
}

/* Nowhere: the answer of the path's own volume, missing or unreadable. */
static void test_not_found_says_why(void **state)
{
	struct world *w = *state;
	struct dl_located l;
	struct dl_error err = { 0 };
	assert_int_equal(locate(w, 0, NULL, "/loop", &l, &err), -ELOOP);
	assert_string_equal(err.msg, "/loop: too many levels of symbolic links");
	assert_int_equal(err.code, DL_ELIMIT);
	dl_error_clear(&err);
	assert_int_equal(locate(w, 0, NULL, "/etc", &l, &err), -EISDIR);
	assert_string_equal(err.msg, "/etc: is a directory");
	assert_null(l.path);
}

/* domUloader's device-less entry: from the root volume, through fstab. */
static void test_locate_running(void **state)
{
	struct world *w = *state;
	struct dl_located l = { 0 };
	struct dl_volume *v;
	struct dl_error err = { 0 };
	assert_int_equal(dl_guest_locate_running(&w->g, "/boot/initrd-6", &v, &l, &err), 0);
	assert_ptr_equal(v, &w->set.vols[0]);
	assert_int_equal(l.st.ino, I6);
	free(l.path);
	/* --root names xvdb, which has no /etc/fstab: paths are its own. */
	dl_guest_free(&w->g);
	dl_guest_init(&w->g, &w->set, "/dev/xvdb");
	w->g.fs[1] = fake_fs(&plain, &w->set.vols[1], xvdb_nodes, BROOT);
	w->g.state[0] = -1;
	w->g.state[1] = 1;
	assert_null(dl_guest_fstab(&w->g));
	assert_ptr_equal(w->g.rootvol, &w->set.vols[1]);
	assert_int_equal(dl_guest_locate_running(&w->g, "/vmlinuz-b", &v, &l, &err), 0);
	assert_ptr_equal(l.fs, w->g.fs[1]);
	free(l.path);
}

static void test_boot_io(void **state)
{
	struct world *w = *state;
	struct dl_guest_io gio;
	struct dl_error err = { 0 };
	char *buf;
	size_t len;
	char dev[32];
	dl_guest_io_init(&gio, &w->g, &w->set.vols[0]);
	const struct dl_boot_io *io = &gio.io;
	assert_string_equal(io->self_dev, "hd0");
	assert_int_equal(io->read_file(io->ctx, NULL, "/etc/fstab", &buf, &len, &err), 0);
	assert_int_equal(len, strlen(fstab));
	free(buf);
	assert_int_equal(io->read_file(io->ctx, "hd1", "/vmlinuz-b", &buf, &len, &err), 0);
	assert_string_equal(buf, "kernel b");
	free(buf);
	/* Missing and unreadable both read as absent, err untouched. */
	assert_int_equal(io->read_file(io->ctx, NULL, "/nope", &buf, &len, &err), DL_ABSENT);
	assert_int_equal(io->read_file(io->ctx, NULL, "/loop", &buf, &len, &err), DL_ABSENT);
	assert_int_equal(io->read_file(io->ctx, "hd1", "/etc/fstab", &buf, &len, &err), DL_ABSENT);
	assert_int_equal(err.code, 0);
	/* A device the guest's disks lack: the volume being parsed. */
	assert_int_equal(io->read_file(io->ctx, "hd9", "/etc/fstab", &buf, &len, &err), 0);
	free(buf);
	assert_int_equal(io->read_file(io->ctx, NULL, "/etc", &buf, &len, &err), -EISDIR);
	dl_error_clear(&err);
	assert_int_equal(io->test_file(io->ctx, NULL, "/etc", 'd'), 1);
	assert_int_equal(io->test_file(io->ctx, NULL, "/etc", 'f'), 0);
	assert_int_equal(io->test_file(io->ctx, NULL, "/etc/fstab", 's'), 1);
	assert_int_equal(io->test_file(io->ctx, NULL, "/loop", 'e'), 0);
	char **names;
	size_t n;
	assert_int_equal(io->list_dir(io->ctx, NULL, "/", &names, &n, &err), 0);
	assert_int_equal(n, 4);
	assert_string_equal(names[0], "etc");
	dl_strings_free(names, n);
	assert_int_equal(io->list_dir(io->ctx, NULL, "/etc/fstab", &names, &n, &err), DL_ABSENT);
	assert_int_equal(io->search(io->ctx, "fs-uuid", "b-uuid", dev, sizeof(dev)), 0);
	assert_string_equal(dev, "hd1");
	assert_int_equal(io->search(io->ctx, "label", "bee", dev, sizeof(dev)), 0);
	assert_int_equal(io->search(io->ctx, "label", "BEE", dev, sizeof(dev)), DL_ABSENT);
	assert_int_equal(io->search(io->ctx, "file", "/initrd-b", dev, sizeof(dev)), 0);
	assert_string_equal(dev, "hd1");
	assert_int_equal(io->search(io->ctx, "file", "/etc/fstab", dev, sizeof(dev)), 0);
	assert_string_equal(dev, "hd0");
	assert_int_equal(io->search(io->ctx, "bogus", "x", dev, sizeof(dev)), DL_ABSENT);
	/* Without a guest everything is absent. */
	io = &dl_guest_io_none;
	assert_int_equal(io->read_file(io->ctx, NULL, "/etc/fstab", &buf, &len, &err), DL_ABSENT);
	assert_int_equal(io->search(io->ctx, "file", "/etc/fstab", dev, sizeof(dev)), DL_ABSENT);
	assert_string_equal(io->self_dev, "hd0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_root_and_fstab, setup, teardown),
		cmocka_unit_test_setup_teardown(test_found_at_home_walks_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fstab_subvol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boot_removed_elsewhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_top_level_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_system_in_subvolume, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_found_says_why, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locate_running, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boot_io, setup, teardown),
	};
	return cmocka_run_group_tests_name("guest view", tests, NULL, NULL);
}
