/* The parsing side of --mount: a struct dl_fs backend whose every
 * operation is a DL_CALL_OPEN call to the privileged side, which holds the
 * kernel mount.  Paths are resolved by src/fs/walk.c as for every other
 * backend (one name at a time, symlinks expanded inside the volume); the
 * answering side resolves each path once more with RESOLVE_IN_ROOT, so
 * neither side can be led out of the guest. */
#include "mount/mount.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct rnode {
	char *path;               /* canonical path in the volume, "/" for the root */
	struct dl_stat st;
	char *link;               /* symlink target */
	size_t linklen;
};

struct remote {
	const struct dl_sink *sink;
	struct rnode *n;          /* node id i + 1 is n[i] */
	size_t nn, cap;
	uint64_t open_ino;        /* the node whose fd is open, 0 none */
	int fd;
	struct dl_error err;      /* the last call's failure */
};

static int call(struct dl_fs *fs, enum dl_kmount_what what, const char *path, struct dl_reply *rep)
{
	struct remote *m = fs->priv;
	struct dl_sbuf req = { 0 };
	int r = dl_kmount_req_encode(fs->vol, what, path, &req);
	if (r == 0) {
		dl_error_clear(&m->err);
		r = m->sink->call(m->sink->ctx, DL_CALL_OPEN, req.p, req.len, NULL, rep, &m->err);
		if (r < 0)
			snprintf(fs->detail, sizeof(fs->detail), "%.150s", m->err.msg);
	}
	dl_sbuf_free(&req);
	return r;
}

/* Stat path into a new node (or the one already known). */
static int node_for(struct dl_fs *fs, char *path, uint64_t *ino)
{
	struct remote *m = fs->priv;
	for (size_t i = 0; i < m->nn; i++)
		if (!strcmp(m->n[i].path, path)) {
			free(path);
			*ino = i + 1;
			return 0;
		}
	struct dl_reply rep;
	int r = call(fs, DL_KMOUNT_STAT, path, &rep);
	if (r == 0 && rep.len < sizeof(struct dl_kmount_rep))
		r = -EPROTO;
	if (r < 0) {
		dl_reply_free(&rep);
		free(path);
		return r;
	}
	struct dl_kmount_rep h;
	memcpy(&h, rep.buf, sizeof(h));
	struct rnode *n = dl_array_push(&m->n, &m->nn, &m->cap, sizeof(*m->n));
	*n = (struct rnode){ .path = path, .st = { .ino = m->nn, .size = h.size } };
	n->st.type = h.type <= DL_FT_OTHER ? (enum dl_ftype)h.type : DL_FT_OTHER;
	if (n->st.type == DL_FT_LNK) {
		n->linklen = rep.len - sizeof(h);
		n->link = dl_strndup((const char *)rep.buf + sizeof(h), n->linklen);
	}
	dl_reply_free(&rep);
	*ino = m->nn;
	return 0;
}

static struct rnode *node(struct dl_fs *fs, uint64_t ino)
{
	struct remote *m = fs->priv;
	return ino >= 1 && ino <= m->nn ? &m->n[ino - 1] : NULL;
}

static int r_lookup(struct dl_fs *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino)
{
	struct rnode *d = node(fs, dir);
	if (!d)
		return -ENOENT;
	if (d->st.type != DL_FT_DIR)
		return -ENOTDIR;
	if (memchr(name, 0, len))
		return -ENOENT;
	const char *sep = strcmp(d->path, "/") ? "/" : "";
	return node_for(fs, dl_asprintf("%s%s%.*s", d->path, sep, (int)len, name), ino);
}

static int r_stat(struct dl_fs *fs, uint64_t ino, struct dl_stat *st)
{
	struct rnode *n = node(fs, ino);
	if (!n)
		return -ENOENT;
	*st = n->st;
	return 0;
}

static ssize_t r_read(struct dl_fs *fs, uint64_t ino, void *buf, size_t len, uint64_t off)
{
	struct remote *m = fs->priv;
	struct rnode *n = node(fs, ino);
	if (!n || n->st.type != DL_FT_REG)
		return -EINVAL;
	if (m->open_ino != ino) {
		struct dl_reply rep;
		int r = call(fs, DL_KMOUNT_OPEN, n->path, &rep);
		int fd = rep.fd;
		rep.fd = -1;
		dl_reply_free(&rep);
		if (r < 0)
			return r;
		if (fd < 0)
			return -EPROTO;
		if (m->fd >= 0)
			close(m->fd);
		m->fd = fd;
		m->open_ino = ino;
	}
	if (off >= n->st.size)
		return 0;
	if (len > n->st.size - off)
		len = (size_t)(n->st.size - off);
	ssize_t r = dl_pread_full(m->fd, buf, len, off);
	return r < 0 ? -EIO : r;
}

static ssize_t r_readlink(struct dl_fs *fs, uint64_t ino, char *buf, size_t bufsz)
{
	struct rnode *n = node(fs, ino);
	if (!n || n->st.type != DL_FT_LNK)
		return -EINVAL;
	if (n->linklen > bufsz)
		return -ENAMETOOLONG;
	memcpy(buf, n->link, n->linklen);
	return (ssize_t)n->linklen;
}

static int r_readdir(struct dl_fs *fs, uint64_t dir, dl_dirent_cb cb, void *ctx)
{
	struct rnode *d = node(fs, dir);
	if (!d || d->st.type != DL_FT_DIR)
		return -ENOTDIR;
	struct dl_reply rep;
	int r = call(fs, DL_KMOUNT_LIST, d->path, &rep);
	if (r == 0 && rep.len < sizeof(struct dl_kmount_rep))
		r = -EPROTO;
	for (size_t i = sizeof(struct dl_kmount_rep); r == 0 && i < rep.len;) {
		if (rep.len - i < 2 || rep.len - i - 2 < rep.buf[i + 1] || !rep.buf[i + 1]) {
			r = -EPROTO;
			break;
		}
		enum dl_ftype t = rep.buf[i] <= DL_FT_OTHER ? (enum dl_ftype)rep.buf[i] : DL_FT_OTHER;
		size_t len = rep.buf[i + 1];
		r = cb(ctx, (const char *)rep.buf + i + 2, len, 0, t);
		i += 2 + len;
	}
	dl_reply_free(&rep);
	return r;
}

static void r_unmount(struct dl_fs *fs)
{
	struct remote *m = fs->priv;
	for (size_t i = 0; i < m->nn; i++) {
		free(m->n[i].path);
		free(m->n[i].link);
	}
	free(m->n);
	if (m->fd >= 0)
		close(m->fd);
	free(m);
}

static const struct dl_fs_ops kmount_ops = {
	.name = "kernel mount",
	.lookup = r_lookup,
	.stat = r_stat,
	.read = r_read,
	.readlink = r_readlink,
	.readdir = r_readdir,
	.unmount = r_unmount,
};

int dl_kmount_fs(struct dl_fs **fsp, struct dl_volume *v, const struct dl_sink *sink,
		 struct dl_error *err)
{
	*fsp = NULL;
	if (!sink->call)
		return dl_fail(err, DL_EUNSUPPORTED, "%s: --mount: no privileged side to mount it", v->name);
	struct remote *m = dl_calloc(1, sizeof(*m));
	*m = (struct remote){ .sink = sink, .fd = -1 };
	struct dl_fs *fs = dl_calloc(1, sizeof(*fs));
	*fs = (struct dl_fs){ .ops = &kmount_ops, .vol = v, .priv = m };
	uint64_t root;
	int r = node_for(fs, dl_strdup("/"), &root);
	if (r == 0 && m->n[0].st.type != DL_FT_DIR)
		r = dl_fail(&m->err, DL_EBADIMAGE, "%s: the mounted root is not a directory", v->name);
	if (r < 0) {
		dl_fail(err, m->err.code ? m->err.code : DL_EIO, "%s",
			m->err.code ? m->err.msg : strerror(-r));
		dl_fs_unmount(fs);
		return r;
	}
	fs->root = root;
	*fsp = fs;
	return 0;
}

static int count_entry(void *ctx, const char *name, size_t len, uint64_t ino, enum dl_ftype type)
{
	(void)name; (void)len; (void)ino; (void)type;
	++*(size_t *)ctx;
	return 0;
}

void dl_kmount_annotate(struct dl_disk_set *set, const struct dl_sink *sink)
{
	for (size_t i = 0; i < set->nvols; i++) {
		struct dl_volume *v = &set->vols[i];
		if (v->skip || !v->fstype[0])
			continue;
		struct dl_fs *fs;
		struct dl_error e = { 0 };
		size_t n = 0;
		if (dl_kmount_fs(&fs, v, sink, &e) < 0) {
			snprintf(v->note, sizeof(v->note), "kernel: %.180s", e.msg);
			continue;
		}
		int r = dl_fs_readdir(fs, "/", count_entry, &n, &e);
		if (r < 0)
			snprintf(v->note, sizeof(v->note), "kernel: mounted, but /: %.150s", e.msg);
		else
			snprintf(v->note, sizeof(v->note), "kernel: mounted read-only, %zu entries in /", n);
		dl_fs_unmount(fs);
	}
}
