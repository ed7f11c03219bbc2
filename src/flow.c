/* The parsing side of an extraction: disks -> volumes -> filesystems ->
 * boot configuration -> chosen entry -> payload bytes through the sink.
 * Runs in the sandboxed child (or in-process with --no-sandbox). */
#include "flow.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "boot/boot.h"
#include "guest/fstab.h"
#include "fs/fs.h"
#include "kernel/kernel.h"

#define CHUNK (1u << 20)

/* Mounted filesystems of the guest, one slot per volume, mounted lazily. */
struct guest {
	struct dl_disk_set *set;
	struct dl_fs **fs;
	signed char *state;     /* 0 untried, 1 mounted, -1 unreadable */
	const struct dl_request *req;
	const struct dl_sink *sink;
	/* the guest's root volume and its /etc/fstab (loaded on first use) */
	struct dl_volume *rootvol;
	struct dl_fstab fstab;
	int fstab_state;        /* 0 not loaded, 1 loaded, -1 none */
};

static struct dl_fs *guest_fs(struct guest *g, struct dl_volume *v)
{
	size_t i = (size_t)(v - g->set->vols);
	if (g->state[i] == 0 && v->skip) {
		g->state[i] = -1; /* LUKS, RAID member, swap, PV, thin LV...: the note says */
		dl_info("%s: skipped: %s", v->name, v->note);
	}
	if (g->state[i] == 0) {
		struct dl_error e = { 0 };
		int r = dl_fs_mount(&g->fs[i], v, &e);
		g->state[i] = r == 0 ? 1 : -1;
		if (r != 0) {
			if (!v->note[0])
				snprintf(v->note, sizeof(v->note), "%.150s", e.code ? e.msg : "no supported filesystem");
			dl_info("skipped: %s", v->note);
		}
	}
	return g->state[i] == 1 ? g->fs[i] : NULL;
}

static void guest_free(struct guest *g)
{
	for (size_t i = 0; g->fs && i < g->set->nvols; i++)
		if (g->fs[i])
			dl_fs_unmount(g->fs[i]);
	free(g->fs);
	free(g->state);
	dl_fstab_free(&g->fstab);
}

/* ---- the guest's fstab -------------------------------------------------- */

/* Root volume: --root (domUloader) names it, otherwise the first volume
 * holding /etc/fstab.  Its fstab maps mount points to volumes. */
static struct dl_fstab *guest_fstab(struct guest *g)
{
	if (g->fstab_state)
		return g->fstab_state > 0 ? &g->fstab : NULL;
	g->fstab_state = -1;
	if (g->req->root && *g->req->root) {
		g->rootvol = dl_diskset_find_name(g->set, g->req->root);
		if (!g->rootvol)
			dl_warn("--root=%s: no such volume in the guest", g->req->root);
	}
	for (size_t i = 0; i < g->set->nvols && !g->rootvol; i++) {
		struct dl_fs *fs = guest_fs(g, &g->set->vols[i]);
		if (fs && dl_fs_stat(fs, "/etc/fstab", NULL, NULL) == 0)
			g->rootvol = &g->set->vols[i];
	}
	struct dl_fs *fs = g->rootvol ? guest_fs(g, g->rootvol) : NULL;
	if (!fs || dl_fs_stat(fs, "/etc/fstab", NULL, NULL) != 0)
		return NULL;
	_cleanup_free_ char *buf = NULL;
	size_t len;
	struct dl_error e = { 0 };
	if (dl_fs_read_file(fs, "/etc/fstab", DL_BOOT_MAX_FILE, &buf, &len, &e) < 0 ||
	    dl_fstab_parse("/etc/fstab", buf, len, &g->fstab, &e) < 0) {
		dl_warn("%s: /etc/fstab: %s", g->rootvol->name, e.msg);
		return NULL;
	}
	g->fstab_state = 1;
	return &g->fstab;
}

/* The volume an fstab entry names (its "/" entry is the root volume). */
static struct dl_volume *fstab_volume(struct guest *g, const struct dl_fstab_entry *e)
{
	struct dl_volume *v = dl_diskset_find(g->set, &e->vol);
	if (!v && !strcmp(e->mountpoint, "/"))
		v = g->rootvol;
	return v;
}

/* Where v is mounted in the running guest ("/boot"), NULL if unknown. */
static const char *fstab_mountpoint(struct guest *g, struct dl_volume *v)
{
	struct dl_fstab *t = guest_fstab(g);
	if (t)
		for (size_t i = 0; i < t->n; i++)
			if (t->entries[i].mountpoint[0] == '/' && fstab_volume(g, &t->entries[i]) == v)
				return t->entries[i].mountpoint;
	return v == g->rootvol ? "/" : NULL;
}

/* An absolute path of the running guest -> volume and path inside it. */
static struct dl_volume *fstab_resolve(struct guest *g, const char *path, const char **rest)
{
	struct dl_fstab *t = guest_fstab(g);
	const struct dl_fstab_entry *e = t ? dl_fstab_lookup(t, path, rest) : NULL;
	return e ? fstab_volume(g, e) : NULL;
}

/* ---- dl_boot_io over the guest ---------------------------------------- */

struct io_ctx {
	struct guest *g;
	struct dl_volume *self;
};

static struct dl_volume *io_volume(struct io_ctx *c, const char *dev)
{
	if (!dev || !*dev)
		return c->self;
	return dl_diskset_find_name(c->g->set, dev);
}

static int io_read_file(void *ctx, const char *dev, const char *path, char **buf, size_t *len,
			struct dl_error *err)
{
	struct io_ctx *c = ctx;
	struct dl_volume *v = io_volume(c, dev);
	struct dl_fs *fs = v ? guest_fs(c->g, v) : NULL;
	if (!fs || dl_fs_stat(fs, path, NULL, NULL) != 0)
		return DL_ABSENT;
	return dl_fs_read_file(fs, path, DL_BOOT_MAX_FILE, buf, len, err);
}

static int io_test_file(void *ctx, const char *dev, const char *path, char test)
{
	struct io_ctx *c = ctx;
	struct dl_volume *v = io_volume(c, dev);
	struct dl_fs *fs = v ? guest_fs(c->g, v) : NULL;
	struct dl_stat st;
	if (!fs || dl_fs_stat(fs, path, &st, NULL) != 0)
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
	struct io_ctx *c = ctx;
	struct dl_volume *v = io_volume(c, dev);
	struct dl_fs *fs = v ? guest_fs(c->g, v) : NULL;
	struct dl_stat st;
	struct dl_strv ns = { 0 };
	if (!fs || dl_fs_stat(fs, path, &st, NULL) != 0 || st.type != DL_FT_DIR)
		return DL_ABSENT;
	int r = dl_fs_readdir(fs, path, collect_name, &ns, err);
	if (r < 0) {
		dl_strv_free(&ns);
		if (r == -E2BIG)
			return dl_fail(err, DL_ELIMIT, "%s:%s: more than %d directory entries", v->name, path,
				       DL_BOOT_MAX_ENTRIES);
		return -1;
	}
	*names = ns.v;
	*n = ns.n;
	return 0;
}

static int io_search(void *ctx, const char *by, const char *value, char *out, size_t outsz)
{
	struct io_ctx *c = ctx;
	struct dl_disk_set *set = c->g->set;
	struct dl_volume *v = NULL;
	if (!strcmp(by, "file")) {
		for (size_t i = 0; i < set->nvols && !v; i++) {
			struct dl_fs *fs = guest_fs(c->g, &set->vols[i]);
			if (fs && dl_fs_stat(fs, value, NULL, NULL) == 0)
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

static void io_init(struct dl_boot_io *io, struct io_ctx *c, struct guest *g, struct dl_volume *v)
{
	c->g = g;
	c->self = v;
	*io = (struct dl_boot_io){
		.ctx = c,
		.read_file = io_read_file,
		.test_file = io_test_file,
		.list_dir = io_list_dir,
		.search = io_search,
		.self_dev = v->grub,
	};
}

/* ---- emitting files --------------------------------------------------- */

struct emit {
	const struct dl_sink *sink;
	struct dl_volume *vol;
	uint64_t pos;
	int rc;
};

static int emit_zeros(const struct dl_sink *sink, uint64_t len)
{
	static const char zeros[65536];
	while (len) {
		size_t n = (size_t)DL_MIN(len, sizeof(zeros));
		if (sink->data(sink->ctx, zeros, n) < 0)
			return -1;
		len -= n;
	}
	return 0;
}

static int emit_range(void *ctx, struct dl_disk *disk, uint64_t off, uint64_t len)
{
	struct emit *e = ctx;
	return e->sink->copy(e->sink->ctx, disk->index, off, len) < 0 ? -EPIPE : 0;
}

static int emit_extent(void *ctx, uint64_t file_off, uint64_t vol_off, uint64_t len)
{
	struct emit *e = ctx;
	if (file_off != e->pos)
		return -EUCLEAN;
	int r = vol_off == DL_HOLE ? (emit_zeros(e->sink, len) < 0 ? -EPIPE : 0)
				   : dl_volume_map(e->vol, vol_off, len, emit_range, e);
	if (r == 0)
		e->pos += len;   /* pos stays 0 until something was sent */
	return r;
}

/* Stream one guest file to the sink: verbatim extents as copy ranges when
 * the filesystem and disk allow it, otherwise bytes. */
static int emit_file(struct guest *g, struct dl_fs *fs, const struct dl_stat *st, const char *what,
		     enum dl_payload_kind kind, uint64_t cap, uint64_t *total, struct dl_error *err)
{
	const struct dl_sink *sink = g->sink;
	uint64_t sum;
	if (ckd_add(&sum, *total, st->size) || sum > cap)
		return dl_fail(err, DL_ELIMIT, "%s: %s %s%s is larger than the %llu MiB limit (%s)",
			       fs->vol->name, kind == DL_PAYLOAD_KERNEL ? "kernel" : "ramdisk", what,
			       *total ? " (with the initrds before it)" : "", (unsigned long long)(cap >> 20),
			       kind == DL_PAYLOAD_KERNEL ? "--max-kernel-size" : "--max-ramdisk-size");
	*total = sum;
	/* Verbatim files go as disk ranges; the map is checked by dl_fs_extents
	 * and every range again by dl_volume_map and the sink.  Disks whose
	 * bytes are not verbatim (qcow2) say so before anything is sent (a file
	 * starting with a hole would otherwise have sent zeros already). */
	if (dl_volume_map(fs->vol, 0, 0, emit_range, NULL) != -ENOTSUP) {
		struct emit e = { .sink = sink, .vol = fs->vol };
		int r = dl_fs_extents(fs, st, what, emit_extent, &e, err);
		if (r == 0)
			return 0;
		if (r != -ENOTSUP || e.pos)
			return r == -EPIPE ? -1 : dl_fail(err, DL_EBADIMAGE, "%s: %s: bad extent map", fs->vol->name, what);
	}
	/* Not stored verbatim (inline, compressed, qcow2): stream bytes. */
	_cleanup_free_ char *buf = dl_malloc(CHUNK);
	for (uint64_t off = 0; off < st->size;) {
		size_t n = (size_t)DL_MIN((uint64_t)CHUNK, st->size - off);
		ssize_t got = dl_fs_read(fs, st, what, buf, n, off, err);
		if (got < 0)
			return -1;
		if (got == 0)
			return dl_fail(err, DL_EBADIMAGE, "%s: %s: file shorter than its size", fs->vol->name,
				       what);
		if (sink->data(sink->ctx, buf, (size_t)got) < 0)
			return -1;
		off += (uint64_t)got;
	}
	return 0;
}

/* ---- choosing ---------------------------------------------------------- */

/* A file to extract: where it lives. */
struct located {
	struct dl_fs *fs;
	struct dl_stat st;
	char *path;
};

/* Find path for a boot entry: on volume dev if given, else on the config's
 * volume; if it is not there, the other volumes are tried with "/boot"
 * added or removed (a config on / naming /boot/x with /boot separate, or
 * the reverse). */
static int locate(struct guest *g, struct dl_volume *home, const struct dl_boot_path *bp,
		  const char *what, struct located *out, struct dl_error *err)
{
	struct dl_volume *v = home;
	if (bp->dev) {
		v = dl_diskset_find_name(g->set, bp->dev);
		if (!v)
			return dl_fail(err, DL_ENOTFOUND, "(%s)%s: no such device in the guest's disks",
				       bp->dev, bp->path);
	}
	struct dl_fs *fs = guest_fs(g, v);
	if (fs && dl_fs_stat(fs, bp->path, NULL, NULL) == 0) {
		out->fs = fs;
		out->path = dl_strdup(bp->path);
		return dl_fs_resolve_file(fs, bp->path, &out->st, err);
	}
	if (!bp->dev && guest_fstab(g)) {
		/* Through the guest's fstab: the path as the running system sees
		 * it (the config's volume mounted at its mount point), then the
		 * path taken as absolute (a config on a separate /boot written
		 * when /boot was part of /). */
		const char *mp = fstab_mountpoint(g, v);
		_cleanup_free_ char *full = mp && strcmp(mp, "/") ? dl_asprintf("%s%s", mp, bp->path) : NULL;
		const char *cands[2] = { full ? full : bp->path, full ? bp->path : NULL };
		for (int k = 0; k < 2 && cands[k]; k++) {
			const char *rest;
			struct dl_volume *o = fstab_resolve(g, cands[k], &rest);
			struct dl_fs *ofs = o ? guest_fs(g, o) : NULL;
			if (ofs && !(o == v && !strcmp(rest, bp->path)) && dl_fs_stat(ofs, rest, NULL, NULL) == 0) {
				dl_debug("%s: %s found through fstab as %s:%s", v->name, bp->path, o->name, rest);
				out->fs = ofs;
				out->path = dl_strdup(rest);
				return dl_fs_resolve_file(ofs, rest, &out->st, err);
			}
		}
	}
	if (!bp->dev) {
		const char *alt = !strncmp(bp->path, "/boot/", 6) ? bp->path + 5 : NULL;
		_cleanup_free_ char *withboot = alt ? NULL : dl_asprintf("/boot%s", bp->path);
		for (size_t i = 0; i < g->set->nvols; i++) {
			struct dl_volume *o = &g->set->vols[i];
			struct dl_fs *ofs = o == v ? NULL : guest_fs(g, o);
			const char *p = alt ? alt : withboot;
			if (ofs && dl_fs_stat(ofs, p, NULL, NULL) == 0) {
				out->fs = ofs;
				out->path = dl_strdup(p);
				return dl_fs_resolve_file(ofs, p, &out->st, err);
			}
		}
	}
	if (fs)
		return dl_fs_resolve_file(fs, bp->path, &out->st, err); /* names the problem */
	return dl_fail(err, DL_ENOTFOUND, "%s: %s %s: volume has no readable filesystem", v->name, what,
		       bp->path);
}

static char *join_args(const char *a, const char *b)
{
	if (!b || !*b)
		return dl_strdup(a ? a : "");
	if (!a || !*a)
		return dl_strdup(b);
	return dl_asprintf("%s %s", a, b);
}

struct plan {
	struct located kernel;
	struct located *initrds;
	size_t ninitrds;
	char *args;
	char *title, *id, *config, *format;
	int index;
};

static void plan_free(struct plan *p)
{
	free(p->kernel.path);
	for (size_t i = 0; i < p->ninitrds; i++)
		free(p->initrds[i].path);
	free(p->initrds);
	free(p->args);
	free(p->title);
	free(p->id);
	free(p->config);
	free(p->format);
}

/* pygrub's flattened index of entry i: its position among menuentries. */
static int flat_index(const struct dl_boot_config *cfg, int i)
{
	int n = 0;
	for (int j = 0; j < i; j++)
		n += !cfg->entries[j].submenu;
	return n;
}

static int plan_from_entry(struct guest *g, struct dl_volume *v, const struct dl_boot_config *cfg,
			   int idx, struct plan *p, struct dl_error *err)
{
	const struct dl_boot_entry *e = &cfg->entries[idx];
	const char *title = e->title ? e->title : "(untitled)";
	if (e->kind != DL_ENTRY_LINUX || !e->kernel.path)
		return dl_fail(err, DL_EUNSUPPORTED, "%s:%s: entry '%s' has no Linux kernel to boot",
			       v->name, cfg->path, title);
	struct dl_error le = { 0 };
	if (locate(g, v, &e->kernel, "kernel", &p->kernel, &le) < 0)
		return dl_fail(err, le.code, "%s:%s: entry '%s': kernel %s", v->name, cfg->path, title,
			       le.msg);
	p->initrds = dl_calloc(e->ninitrds, sizeof(*p->initrds));
	for (size_t i = 0; i < e->ninitrds; i++, p->ninitrds++)
		if (locate(g, v, &e->initrds[i], "initrd", &p->initrds[i], &le) < 0)
			return dl_fail(err, le.code, "%s:%s: entry '%s': initrd %s", v->name, cfg->path,
				       title, le.msg);
	p->args = join_args(e->args, g->req->args);
	p->title = e->title ? dl_strdup(e->title) : NULL;
	p->id = e->id ? dl_strdup(e->id) : NULL;
	p->config = dl_asprintf("%s:%s", v->name, cfg->path);
	p->format = dl_strdup(cfg->format);
	p->index = flat_index(cfg, idx);
	return 0;
}

/* --kernel given: no configuration; the first volume holding the kernel. */
static int plan_from_hints(struct guest *g, struct plan *p, struct dl_error *err)
{
	const struct dl_request *req = g->req;
	struct dl_boot_path kp = { .path = (char *)req->kernel };
	struct dl_error first = { 0 };
	for (size_t i = 0; i < g->set->nvols; i++) {
		struct dl_volume *v = &g->set->vols[i];
		struct dl_fs *fs = guest_fs(g, v);
		if (!fs || dl_fs_stat(fs, req->kernel, NULL, NULL) != 0)
			continue;
		if (dl_fs_resolve_file(fs, req->kernel, &p->kernel.st, &first) < 0)
			continue;
		p->kernel.fs = fs;
		p->kernel.path = dl_strdup(req->kernel);
		if (req->ramdisk && *req->ramdisk) {
			struct dl_boot_path rp = { .path = (char *)req->ramdisk };
			p->initrds = dl_calloc(1, sizeof(*p->initrds));
			if (locate(g, v, &rp, "ramdisk", &p->initrds[0], err) < 0)
				return -1;
			p->ninitrds = 1;
		}
		p->args = dl_strdup(req->args ? req->args : "");
		p->index = -1;
		return 0;
	}
	(void)kp;
	if (first.code)
		return dl_fail(err, first.code, "%s", first.msg);
	return dl_fail(err, DL_ENOTFOUND, "%s: kernel %s not found on any volume",
		       g->set->disks[0]->path, req->kernel);
}

/* domUloader's --entry=[dev:]kernel[,initrd]: no configuration needed.
 * Without a device the paths are the running guest's, resolved from the
 * root volume (--root, or the volume holding /etc/fstab) through fstab. */
static int plan_from_domu(struct guest *g, struct plan *p, struct dl_error *err)
{
	struct dl_domu_entry de;
	if (dl_domu_entry_parse(g->req->entry, &de, err) < 0)
		return -1;
	struct dl_volume *v = NULL;
	int rc = -1;
	if (de.dev) {
		v = dl_diskset_find_name(g->set, de.dev);
		if (!v) {
			dl_fail(err, DL_ENOTFOUND, "--entry=%s: partition %s does not exist", g->req->entry,
				de.dev);
			goto out;
		}
	} else {
		guest_fstab(g);
		v = g->rootvol;
		for (size_t i = 0; i < g->set->nvols && !v; i++) {
			struct dl_fs *fs = guest_fs(g, &g->set->vols[i]);
			if (fs && dl_fs_stat(fs, de.kernel, NULL, NULL) == 0)
				v = &g->set->vols[i];
		}
		if (!v) {
			dl_fail(err, DL_ENOTFOUND, "--entry=%s: kernel %s not found on any volume",
				g->req->entry, de.kernel);
			goto out;
		}
	}
	struct dl_boot_path kp = { .dev = de.dev, .path = de.kernel };
	struct dl_error le = { 0 };
	if (locate(g, v, &kp, "kernel", &p->kernel, &le) < 0) {
		dl_fail(err, le.code, "--entry=%s: kernel %s", g->req->entry, le.msg);
		goto out;
	}
	if (de.initrd) {
		struct dl_boot_path rp = { .dev = de.dev, .path = de.initrd };
		p->initrds = dl_calloc(1, sizeof(*p->initrds));
		if (locate(g, v, &rp, "initrd", &p->initrds[0], &le) < 0) {
			dl_fail(err, le.code, "--entry=%s: initrd %s", g->req->entry, le.msg);
			goto out;
		}
		p->ninitrds = 1;
	}
	p->args = dl_strdup(g->req->args ? g->req->args : "");
	p->format = dl_strdup("domu");
	p->index = -1;
	rc = 0;
out:
	dl_domu_entry_free(&de);
	return rc;
}

/* No configuration anywhere: the newest vmlinuz-V with the initrd of the
 * same version, said in a warning.  The root volume is tried first. */
static int plan_from_fallback(struct guest *g, struct plan *p, struct dl_error *err)
{
	guest_fstab(g);
	for (size_t k = 0; k <= g->set->nvols; k++) {
		struct dl_volume *v = k == 0 ? g->rootvol : &g->set->vols[k - 1];
		if (!v || (k > 0 && v == g->rootvol) || !guest_fs(g, v))
			continue;
		struct io_ctx c;
		struct dl_boot_io io;
		struct dl_boot_config cfg = { .def = -1, .fallback = -1, .timeout = -1 };
		struct dl_error e = { 0 };
		io_init(&io, &c, g, v);
		if (dl_boot_fallback(&io, &cfg, &e) != 0) {
			dl_boot_config_free(&cfg);
			continue;
		}
		const struct dl_boot_entry *be = &cfg.entries[0];
		dl_warn("%s: no boot configuration found; using the newest kernel %s%s%s", v->name,
			be->kernel.path, be->ninitrds ? " with " : " without an initrd",
			be->ninitrds ? be->initrds[0].path : "");
		int r = plan_from_entry(g, v, &cfg, 0, p, err);
		if (r == 0 && (!g->req->args || !*g->req->args) && g->fstab_state > 0) {
			/* no command line known: root= from the guest's fstab */
			const struct dl_fstab_entry *re = dl_fstab_find(&g->fstab, "/");
			if (re) {
				free(p->args);
				p->args = dl_asprintf("root=%s ro", re->spec);
			}
		}
		dl_boot_config_free(&cfg);
		return r;
	}
	return 1;
}

static int plan_from_configs(struct guest *g, struct plan *p, struct dl_error *err)
{
	struct dl_error first = { 0 };
	bool any_fs = false;
	for (size_t i = 0; i < g->set->nvols; i++) {
		struct dl_volume *v = &g->set->vols[i];
		struct dl_fs *fs = guest_fs(g, v);
		if (!fs)
			continue;
		any_fs = true;
		struct io_ctx c;
		struct dl_boot_io io;
		struct dl_boot_config cfg = { .def = -1, .fallback = -1, .timeout = -1 };
		struct dl_error e = { 0 };
		io_init(&io, &c, g, v);
		int r = dl_boot_find(&io, &cfg, &e);
		if (r == 0) {
			int idx = dl_boot_select(&cfg, g->req->entry, &e);
			if (idx >= 0 && plan_from_entry(g, v, &cfg, idx, p, &e) == 0) {
				dl_boot_config_free(&cfg);
				return 0;
			}
			plan_free(p);
			memset(p, 0, sizeof(*p));
		}
		dl_boot_config_free(&cfg);
		if (e.code && !first.code)
			first = e;
		if (e.code)
			dl_info("%s: %s", v->name, e.msg);
	}
	if (first.code)
		return dl_fail(err, first.code, "%s", first.msg);
	if (!any_fs)
		return dl_fail(err, DL_ENOTFOUND, "%s: no volume holds a filesystem domuloader can read",
			       g->set->disks[0]->path);
	return 1; /* nothing found: caller may fall back */
}

static int send_payload(struct guest *g, const struct plan *p, struct dl_error *err)
{
	const struct dl_sink *s = g->sink;
	uint64_t total = 0;
	if (s->begin(s->ctx, DL_PAYLOAD_KERNEL) < 0 ||
	    emit_file(g, p->kernel.fs, &p->kernel.st, p->kernel.path, DL_PAYLOAD_KERNEL,
			  g->req->max_kernel, &total, err) < 0 ||
	    s->end(s->ctx) < 0)
		return -1;
	if (!p->ninitrds)
		return 0;
	total = 0;
	if (s->begin(s->ctx, DL_PAYLOAD_RAMDISK) < 0)
		return -1;
	for (size_t i = 0; i < p->ninitrds; i++)
		if (emit_file(g, p->initrds[i].fs, &p->initrds[i].st, p->initrds[i].path,
			      DL_PAYLOAD_RAMDISK, g->req->max_ramdisk, &total, err) < 0)
			return -1;
	return s->end(s->ctx);
}

static int send_result(struct guest *g, const struct plan *p)
{
	char *ramdisk = NULL;
	for (size_t i = 0; i < p->ninitrds; i++) {
		const struct located *l = &p->initrds[i];
		char *n = dl_asprintf("%s%s%s:%s", ramdisk ? ramdisk : "", ramdisk ? " " : "",
				      l->fs->vol->name, l->path);
		free(ramdisk);
		ramdisk = n;
	}
	_cleanup_free_ char *kernel = dl_asprintf("%s:%s", p->kernel.fs->vol->name, p->kernel.path);
	/* What the kernel is, for the JSON result and -v (never a reason to fail). */
	struct dl_kernel_info ki;
	struct dl_error e = { 0 };
	_cleanup_free_ uint8_t *head = dl_malloc(DL_KERNEL_PROBE_BYTES);
	ssize_t n = dl_fs_read(p->kernel.fs, &p->kernel.st, p->kernel.path, head, DL_KERNEL_PROBE_BYTES, 0, &e);
	if (!dl_kernel_probe(head, n > 0 ? (size_t)n : 0, &ki))
		dl_info("%s: does not look like a kernel (no bzImage, ELF or compressed-image header)", kernel);
	else
		dl_info("%s: %s%s%s%s", kernel, ki.format, ki.version[0] ? " " : "", ki.version,
			ki.pvh_entry ? " (PVH entry point)" : "");
	struct dl_result r = {
		.args = p->args,
		.title = p->title,
		.entry_id = p->id,
		.entry_index = p->index,
		.config = p->config,
		.format = p->format,
		.volume = p->kernel.fs->vol->name,
		.kernel = kernel,
		.ramdisk = ramdisk,
		.have_ramdisk = p->ninitrds > 0,
		.kernel_format = ki.format,
		.kernel_version = ki.version[0] ? ki.version : NULL,
	};
	int rc = g->sink->result(g->sink->ctx, &r);
	free(ramdisk);
	return rc;
}

static int list_entries(struct guest *g, struct dl_error *err)
{
	for (size_t i = 0; i < g->set->nvols; i++) {
		struct dl_volume *v = &g->set->vols[i];
		struct dl_fs *fs = guest_fs(g, v);
		if (!fs)
			continue;
		struct io_ctx c;
		struct dl_boot_io io;
		struct dl_boot_config cfg = { .def = -1, .fallback = -1, .timeout = -1 };
		io_init(&io, &c, g, v);
		int r = dl_boot_find(&io, &cfg, err);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		if (!f) {
			dl_boot_config_free(&cfg);
			return dl_fail(err, DL_ELIMIT, "out of memory");
		}
		if (!g->req->json)
			fprintf(f, "# %s:%s (%s)\n", v->name, cfg.path, cfg.format);
		dl_boot_list(&cfg, f, g->req->json);
		fclose(f);
		dl_boot_config_free(&cfg);
		r = g->sink->listing(g->sink->ctx, text, len);
		free(text);
		return r;
	}
	return dl_fail(err, DL_ENOTFOUND, "%s: no partition holds a boot configuration",
		       g->set->disks[0]->path);
}

/* --isconfig: disk 0 is a configuration file in dom0 (debugging).  Prints
 * the chosen entry as pygrub does. */
static int null_read(void *ctx, const char *dev, const char *path, char **buf, size_t *len,
		     struct dl_error *err)
{
	(void)ctx, (void)dev, (void)path, (void)buf, (void)len, (void)err;
	return DL_ABSENT;
}

static int null_test(void *ctx, const char *dev, const char *path, char test)
{
	(void)ctx, (void)dev, (void)path, (void)test;
	return 0;
}

static int null_list(void *ctx, const char *dev, const char *path, char ***names, size_t *n,
		     struct dl_error *err)
{
	(void)ctx, (void)dev, (void)path, (void)names, (void)n, (void)err;
	return DL_ABSENT;
}

static int null_search(void *ctx, const char *by, const char *value, char *out, size_t outsz)
{
	(void)ctx, (void)by, (void)value, (void)out, (void)outsz;
	return DL_ABSENT;
}

static const char *guess_format(const char *name)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	if (!strcmp(base, "menu.lst") || !strcmp(base, "grub.conf"))
		return "grub-legacy";
	if (strstr(base, "linux.c") || strstr(base, "linux.conf"))   /* ext/sys/isolinux.c{fg,onf} */
		return "extlinux";
	if (strstr(name, "loader/entries/"))
		return "bls";
	return "grub2";
}

static void list_path(FILE *f, const char *key, const struct dl_boot_path *bp)
{
	fprintf(f, "%s%s%s%s", key, bp->dev ? "(" : "", bp->dev ? bp->dev : "", bp->dev ? ")" : "");
	fputs(bp->path, f);
}

static int isconfig(const struct dl_request *req, struct dl_disk_set *set,
		    const struct dl_sink *sink, struct dl_error *err)
{
	struct dl_disk *d = set->disks[0];
	if (d->size > DL_BOOT_MAX_FILE)
		return dl_fail(err, DL_ELIMIT, "%s: larger than %u bytes", d->path, DL_BOOT_MAX_FILE);
	_cleanup_free_ char *buf = dl_malloc((size_t)d->size + 1);
	ssize_t n = dl_disk_pread(d, buf, (size_t)d->size, 0);
	if (n < 0)
		return dl_fail(err, DL_EIO, "%s: %s", d->path, strerror(errno));
	buf[n] = '\0';
	struct dl_boot_io io = { .read_file = null_read, .test_file = null_test,
				 .list_dir = null_list, .search = null_search, .self_dev = "hd0" };
	struct dl_boot_config cfg = { .def = -1, .fallback = -1, .timeout = -1 };
	if (dl_boot_parse(guess_format(d->path), d->path, buf, (size_t)n, &io, &cfg, err) < 0) {
		dl_boot_config_free(&cfg);
		return -1;
	}
	int idx = dl_boot_select(&cfg, req->entry, err);
	if (idx < 0) {
		dl_boot_config_free(&cfg);
		return -1;
	}
	const struct dl_boot_entry *e = &cfg.entries[idx];
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f) {
		dl_boot_config_free(&cfg);
		return dl_fail(err, DL_ELIMIT, "out of memory");
	}
	if (e->kernel.path)
		list_path(f, "  kernel: ", &e->kernel);
	else
		fputs("  kernel: None", f);
	fputc('\n', f);
	for (size_t i = 0; i < e->ninitrds; i++) {
		list_path(f, "  initrd: ", &e->initrds[i]);
		fputc('\n', f);
	}
	fprintf(f, "  args: %s\n", e->args ? e->args : "");
	fclose(f);
	dl_boot_config_free(&cfg);
	int r = sink->listing(sink->ctx, text, len);
	free(text);
	return r;
}

/* Nothing bootable was found: say what was skipped and why, on the one
 * error line.  A cdrom boot device names its filesystem (or the lack of a
 * reader for it) instead, since nothing else was opened. */
static void explain_notfound(const struct dl_disk_set *set, struct dl_error *err)
{
	char msg[sizeof(err->msg)];
	size_t n = 0;
	if (err->code != DL_ENOTFOUND || !set->ndisks)
		return;
	const struct dl_disk *d = set->disks[0];
	if (d->cdrom) {
		const struct dl_volume *v = NULL;
		bool readable = false;
		for (size_t i = 0; i < set->nvols; i++) {
			if (set->vols[i].disk != d)
				continue;
			readable |= !set->vols[i].note[0];
			if (!v && (set->vols[i].fstype[0] || set->vols[i].note[0]))
				v = &set->vols[i];
		}
		if (readable) {
			snprintf(msg, sizeof(msg), "%.900s (boot device: cdrom %.32s)", err->msg,
				 d->vdev ? d->vdev : "?");
			dl_refail(err, DL_ENOTFOUND, "%s", msg);
		} else {
			snprintf(msg, sizeof(msg), "%.600s: boot device is cdrom %.32s, %.40s%s%.200s%s", d->path,
				 d->vdev ? d->vdev : "?",
				 v && v->fstype[0] ? v->fstype : "no filesystem domuloader can read",
				 v && v->note[0] ? " (" : "", v ? v->note : "", v && v->note[0] ? ")" : "");
			dl_refail(err, DL_EUNSUPPORTED, "%s", msg);
		}
		return;
	}
	n = (size_t)snprintf(msg, sizeof(msg), "%s", err->msg);
	const char *sep = " (skipped: ";
	for (size_t i = 0; i < set->nvols && n < sizeof(msg) - 1; i++) {
		const struct dl_volume *v = &set->vols[i];
		if (!v->note[0])
			continue;
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, "%s%s", sep, v->note);
		sep = "; ";
	}
	if (sep[0] == ';' && n < sizeof(msg) - 1)
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, ")");
	/* The format is never guessed (CVE-2008-2004), but a hint is safe. */
	for (size_t i = 0; i < set->ndisks && n < sizeof(msg) - 1; i++) {
		uint8_t magic[4];
		struct dl_disk *dk = set->disks[i];
		if (dk->format == DL_FMT_RAW && dl_disk_pread(dk, magic, 4, 0) == 4 &&
		    !memcmp(magic, "QFI\xfb", 4))
			n += (size_t)snprintf(msg + n, sizeof(msg) - n,
					      "; %s starts like a qcow2 image: if it is one, say --format=qcow2",
					      dk->path);
	}
	dl_refail(err, DL_ENOTFOUND, "%s", msg);
}

int dl_flow_run(const struct dl_request *req, struct dl_disk_set *set, const struct dl_sink *sink,
		struct dl_error *err)
{
	struct guest g = { .set = set, .req = req, .sink = sink };
	struct plan p = { .index = -1 };
	int rc = -1;

	if (req->mode == DL_MODE_ISCONFIG)
		return isconfig(req, set, sink, err);
	if (dl_diskset_scan(set, req->offset, err) < 0)
		return -1;
	for (size_t i = 0; i < set->nvols; i++) {
		struct dl_error e = { 0 };
		if (dl_volume_probe(&set->vols[i], &e) < 0)
			snprintf(set->vols[i].note, sizeof(set->vols[i].note), "%.150s", e.msg);
	}
	if (req->mode == DL_MODE_LIST_VOLUMES) {
		char *text = dl_diskset_listing(set, req->json);
		int r = sink->listing(sink->ctx, text, strlen(text));
		free(text);
		return r;
	}
	g.fs = dl_calloc(set->nvols, sizeof(*g.fs));
	g.state = dl_calloc(set->nvols, 1);

	if (req->mode == DL_MODE_LIST) {
		rc = list_entries(&g, err);
		goto out;
	}
	if (req->kernel && *req->kernel) {
		if (plan_from_hints(&g, &p, err) < 0)
			goto out;
	} else if (req->entry && dl_domu_entry_like(req->entry)) {
		if (plan_from_domu(&g, &p, err) < 0)
			goto out;
	} else {
		int r = plan_from_configs(&g, &p, err);
		if (r < 0)
			goto out;
		if (r > 0 && !req->entry)
			r = plan_from_fallback(&g, &p, err);
		if (r < 0)
			goto out;
		if (r > 0) {
			dl_fail(err, DL_ENOTFOUND, "%s: no partition holds a boot configuration or kernel",
				set->disks[0]->path);
			goto out;
		}
	}
	if (!p.kernel.st.size) {
		dl_fail(err, DL_EBADIMAGE, "%s:%s: the kernel is an empty file", p.kernel.fs->vol->name,
			p.kernel.path);
		goto out;
	}
	if (req->mode == DL_MODE_EXTRACT && send_payload(&g, &p, err) < 0)
		goto out;
	rc = send_result(&g, &p);
out:
	if (rc < 0)
		explain_notfound(set, err);
	plan_free(&p);
	guest_free(&g);
	return rc;
}
