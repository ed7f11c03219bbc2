/* The only path walker, in the manner of GRUB's grub_fshelp_find_file()
 * (grub-core/fs/fshelp.c).  Backends look up one name at a time; this file
 * owns "." and "..", symlinks, and the caps: DL_FS_MAX_HOPS links per
 * resolution, DL_FS_MAX_PATH bytes of path after expanding links,
 * DL_FS_MAX_LINK bytes per link target, DL_FS_MAX_NAME bytes per name.
 *
 * Symlinks resolve inside the filesystem that holds them: an absolute
 * target restarts at that filesystem's root (a subvolume view's root for a
 * view), and ".." never climbs above it.  The walker keeps its own stack of directories, so ".." does not
 * depend on the backend's (guest-controlled) ".." entries. */
#include "fs/fs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define LINK_TOO_LONG "symbolic link target too long"

static const char *detail(struct dl_fs *fs, char *buf, size_t sz)
{
	if (!fs->detail[0])
		return "";
	snprintf(buf, sz, " (%s)", fs->detail);
	return buf;
}

/* Fill err for a negative errno r about path; returns r. */
static int path_fail(struct dl_fs *fs, const char *path, int r, struct dl_error *err)
{
	char d[sizeof(fs->detail) + 4], shortp[256];
	const char *vol = fs->vol ? fs->vol->name : "?";

	/* Guest-made paths can be 4 KiB: keep the message readable. */
	if (strlen(path) >= sizeof(shortp)) {
		snprintf(shortp, sizeof(shortp), "%.*s...", (int)sizeof(shortp) - 4, path);
		path = shortp;
	}

	switch (-r) {
	case ENOENT:
		dl_fail(err, DL_ENOTFOUND, "%s: no such file in %s", path, vol);
		break;
	case ENOTDIR:
		dl_fail(err, DL_ENOTFOUND, "%s: not a directory", path);
		break;
	case EISDIR:
		dl_fail(err, DL_ENOTFOUND, "%s: is a directory", path);
		break;
	case EINVAL:
		dl_fail(err, DL_ENOTFOUND, "%s: not a regular file", path);
		break;
	case ELOOP:
		dl_fail(err, DL_ELIMIT, "%s: too many levels of symbolic links", path);
		break;
	case ENAMETOOLONG:
		dl_fail(err, DL_ELIMIT, "%s: %s", path,
			!strcmp(fs->detail, LINK_TOO_LONG) ? LINK_TOO_LONG : "file name too long");
		break;
	case EUCLEAN:
		dl_fail(err, DL_EBADIMAGE, "%s: corrupt filesystem structure in %s%s", path, vol,
			detail(fs, d, sizeof(d)));
		break;
	case ENOTSUP:
		dl_fail(err, DL_EUNSUPPORTED, "%s: unsupported filesystem feature in %s%s", path, vol,
			detail(fs, d, sizeof(d)));
		break;
	case ENOMEM:
		dl_fail(err, DL_ELIMIT, "%s: out of memory reading %s", path, vol);
		break;
	case E2BIG:
		dl_fail(err, DL_ELIMIT, "%s: %s in %s " DL_FS_BUDGET_SIZE, path, DL_FS_BUDGET_SPENT, vol,
			DL_FS_BUDGET_SIZE_ARGS);
		break;
	default:
		dl_fail(err, DL_EIO, "%s: cannot read %s: %s%s", path, vol, strerror(-r),
			detail(fs, d, sizeof(d)));
		break;
	}
	return r;
}

/* A backend answer is either 0 or a negative errno; anything else is a bug
 * we do not want to act on. */
static int sane(int r)
{
	return r > 0 ? -EIO : r;
}

struct dirstack {
	uint64_t *v;
	size_t n, cap;
};

static void push(struct dirstack *s, uint64_t ino)
{
	*(uint64_t *)dl_array_push(&s->v, &s->n, &s->cap, sizeof(uint64_t)) = ino;
}

/* A resolution in progress: the path still to walk (links expanded in
 * place) and the directories entered. */
struct walker {
	struct dl_fs *fs;
	char buf[DL_FS_MAX_PATH];
	struct dirstack ds;
	unsigned hops;
};

/* The name ending at byte e of w->buf is the symlink ino: put its target
 * in its place (the rest of the path, which keeps its leading slash, so a
 * trailing slash survives) and restart at this filesystem's root if the
 * target is absolute. */
static int expand_link(struct walker *w, uint64_t ino, size_t e)
{
	struct dl_fs *fs = w->fs;
	char tmp[DL_FS_MAX_PATH], lnk[DL_FS_MAX_LINK + 1];
	if (++w->hops > DL_FS_MAX_HOPS)
		return -ELOOP;
	ssize_t n = fs->ops->readlink(fs, ino, lnk, sizeof(lnk));
	if (n == -ENAMETOOLONG || n > DL_FS_MAX_LINK) {
		snprintf(fs->detail, sizeof(fs->detail), "%s", LINK_TOO_LONG);
		return -ENAMETOOLONG;
	}
	if (n < 0)
		return sane((int)n);
	n = (ssize_t)strnlen(lnk, (size_t)n);   /* a NUL ends a target */
	if (n == 0)
		return -ENOENT;                 /* empty target, as in Linux */
	size_t rest = strlen(w->buf + e);
	if ((size_t)n + rest >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, lnk, (size_t)n);
	memcpy(tmp + n, w->buf + e, rest + 1);
	memcpy(w->buf, tmp, (size_t)n + rest + 1);
	if (lnk[0] == '/')
		w->ds.n = 1;                    /* absolute: this filesystem's root */
	return 0;
}

/* Walk w->buf from the directory on top of w->ds, name by name. */
static int walk_names(struct walker *w, bool follow, struct dl_stat *out)
{
	struct dl_fs *fs = w->fs;
	char *buf = w->buf;
	struct dl_stat st;
	size_t pos = 0;
	int r;
	for (;;) {
		while (buf[pos] == '/')
			pos++;
		if (!buf[pos])
			break;                  /* ends on a directory: the stack top */
		size_t e = pos;
		while (buf[e] && buf[e] != '/')
			e++;
		size_t len = e - pos, q = e;
		while (buf[q] == '/')
			q++;
		bool last = !buf[q], slash = last && q > e;
		const char *name = buf + pos;

		if (len > DL_FS_MAX_NAME)
			return -ENAMETOOLONG;
		if (len == 1 && name[0] == '.') {
			pos = q;
			continue;
		}
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			if (w->ds.n > 1)
				w->ds.n--;
			pos = q;
			continue;
		}
		uint64_t ino;
		r = sane(dl_fs_lookup(fs, w->ds.v[w->ds.n - 1], name, len, &ino));
		if (r < 0 || (r = sane(fs->ops->stat(fs, ino, &st))) < 0)
			return r;
		if (st.type == DL_FT_LNK && (!last || follow || slash)) {
			if ((r = expand_link(w, ino, e)) < 0)
				return r;
			pos = 0;
			continue;
		}
		if (st.type == DL_FT_DIR) {
			push(&w->ds, ino);
			pos = q;
			continue;
		}
		if (!last || slash)
			return -ENOTDIR;
		*out = st;                      /* a file, or a link not followed */
		return 0;
	}
	r = sane(fs->ops->stat(fs, w->ds.v[w->ds.n - 1], out));
	if (r == 0 && out->type != DL_FT_DIR) {
		snprintf(fs->detail, sizeof(fs->detail), "directory changed type");
		r = -EUCLEAN;
	}
	return r;
}

static int walk(struct dl_fs *fs, const char *path, bool follow, struct dl_stat *out)
{
	struct walker w = { .fs = fs };
	struct dl_stat st;
	size_t plen = strlen(path);
	if (plen == 0)
		return -ENOENT;
	if (plen >= sizeof(w.buf))
		return -ENAMETOOLONG;
	memcpy(w.buf, path, plen + 1);
	int r = sane(fs->ops->stat(fs, fs->root, &st));
	if (r < 0)
		return r;
	if (st.type != DL_FT_DIR) {
		snprintf(fs->detail, sizeof(fs->detail), "root is not a directory");
		return -EUCLEAN;
	}
	push(&w.ds, fs->root);
	r = walk_names(&w, follow, out);
	free(w.ds.v);
	return r;
}

int dl_fs_resolve(struct dl_fs *fs, const char *path, bool follow, struct dl_stat *st,
		  struct dl_error *err)
{
	struct dl_stat tmp;
	fs->detail[0] = '\0';
	int r = walk(fs, path, follow, st ? st : &tmp);
	return r < 0 ? path_fail(fs, path, r, err) : 0;
}

int dl_fs_stat(struct dl_fs *fs, const char *path, struct dl_stat *st, struct dl_error *err)
{
	struct dl_stat tmp;
	fs->detail[0] = '\0';
	int r = walk(fs, path, true, st ? st : &tmp);
	if (r == -ENOENT)
		return DL_ABSENT;
	return r < 0 ? path_fail(fs, path, r, err) : 0;
}

int dl_fs_need_file(struct dl_fs *fs, const char *path, int r, const struct dl_stat *st,
		    struct dl_error *err)
{
	if (r < 0)
		return r;
	if (r == DL_ABSENT)
		return path_fail(fs, path, -ENOENT, err);
	if (st->type == DL_FT_DIR)
		return path_fail(fs, path, -EISDIR, err);
	if (st->type != DL_FT_REG)
		return path_fail(fs, path, -EINVAL, err);
	return 0;
}

int dl_fs_resolve_file(struct dl_fs *fs, const char *path, struct dl_stat *st,
		       struct dl_error *err)
{
	struct dl_stat tmp;
	if (!st)
		st = &tmp;
	return dl_fs_need_file(fs, path, dl_fs_stat(fs, path, st, err), st, err);
}

ssize_t dl_fs_read(struct dl_fs *fs, const struct dl_stat *st, const char *path, void *buf,
		   size_t len, uint64_t off, struct dl_error *err)
{
	size_t done = 0;
	fs->detail[0] = '\0';
	if (st->type != DL_FT_REG)
		return path_fail(fs, path, st->type == DL_FT_DIR ? -EISDIR : -EINVAL, err);
	if (off >= st->size)
		return 0;
	if (len > st->size - off)
		len = (size_t)(st->size - off);
	while (done < len) {
		ssize_t r = fs->ops->read(fs, st->ino, (char *)buf + done, len - done, off + done);
		if (r < 0)
			return path_fail(fs, path, sane((int)r), err);
		if (r == 0)
			break;
		if ((size_t)r > len - done) {
			snprintf(fs->detail, sizeof(fs->detail), "read returned too much");
			return path_fail(fs, path, -EIO, err);
		}
		done += (size_t)r;
	}
	return (ssize_t)done;
}

int dl_fs_read_all(struct dl_fs *fs, const struct dl_stat *st, const char *path, size_t cap,
		   char **bufp, size_t *lenp, struct dl_error *err)
{
	*bufp = NULL;
	*lenp = 0;
	if (st->size > cap) {
		dl_fail(err, DL_ELIMIT, "%s: file too large (%llu bytes, limit %zu)", path,
			(unsigned long long)st->size, cap);
		return -EFBIG;
	}
	_cleanup_free_ char *buf = dl_malloc((size_t)st->size + 1);
	ssize_t n = dl_fs_read(fs, st, path, buf, (size_t)st->size, 0, err);
	if (n >= 0 && (uint64_t)n != st->size) {
		snprintf(fs->detail, sizeof(fs->detail), "file shorter than its size");
		n = path_fail(fs, path, -EUCLEAN, err);
	}
	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	*bufp = TAKE_PTR(buf);
	*lenp = (size_t)n;
	return 0;
}

int dl_fs_read_file(struct dl_fs *fs, const char *path, size_t cap, char **bufp,
		    size_t *lenp, struct dl_error *err)
{
	struct dl_stat st;
	*bufp = NULL;
	*lenp = 0;
	int r = dl_fs_resolve_file(fs, path, &st, err);
	if (r < 0)
		return r;
	return dl_fs_read_all(fs, &st, path, cap, bufp, lenp, err);
}

struct xctx {
	struct dl_fs *fs;
	uint64_t size, next;       /* file size, next expected file offset */
	uint64_t p_off, p_vol, p_len;  /* pending merged run */
	dl_fextent_cb cb;
	void *ctx;
	int user_r;                /* the caller's callback failed */
};

static int flush(struct xctx *x)
{
	if (!x->p_len)
		return 0;
	int r = x->cb(x->ctx, x->p_off, x->p_vol, x->p_len);
	x->p_len = 0;
	if (r < 0)
		x->user_r = r;
	return r < 0 ? r : 0;
}

static int check_run(void *ctx, uint64_t file_off, uint64_t vol_off, uint64_t len)
{
	struct xctx *x = ctx;
	uint64_t end;
	if (len == 0)
		return 0;
	if (file_off != x->next || ckd_add(&end, file_off, len) || end > x->size) {
		snprintf(x->fs->detail, sizeof(x->fs->detail), "extent map out of order");
		return -EUCLEAN;
	}
	if (vol_off < DL_ENCODED && (ckd_add(&end, vol_off, len) || end > x->fs->vol->size)) {
		snprintf(x->fs->detail, sizeof(x->fs->detail), "extent past the end of the volume");
		return -EUCLEAN;
	}
	x->next = file_off + len;
	if (x->p_len) {
		bool both_marks = x->p_vol == vol_off && (vol_off == DL_HOLE || vol_off == DL_ENCODED);
		bool adjacent = x->p_vol < DL_ENCODED && vol_off < DL_ENCODED &&
				x->p_vol + x->p_len == vol_off;
		if (both_marks || adjacent) {
			x->p_len += len;
			return 0;
		}
		int r = flush(x);
		if (r < 0)
			return r;
	}
	x->p_off = file_off;
	x->p_vol = vol_off;
	x->p_len = len;
	return 0;
}

int dl_fs_map(struct dl_fs *fs, const struct dl_stat *st, const char *path,
	      dl_fextent_cb cb, void *ctx, struct dl_error *err)
{
	struct xctx x = { .fs = fs, .size = st->size, .cb = cb, .ctx = ctx };
	fs->detail[0] = '\0';
	if (st->type != DL_FT_REG)
		return path_fail(fs, path, st->type == DL_FT_DIR ? -EISDIR : -EINVAL, err);
	if (!fs->ops->extents)
		return -ENOTSUP;
	int r = fs->ops->extents(fs, st->ino, check_run, &x);
	if (r == 0)
		r = flush(&x);
	if (x.user_r)
		return x.user_r;
	if (r == -ENOTSUP && !x.next)
		return r;                  /* no map at all: nothing was passed on */
	if (r == 0 && x.next != x.size) {
		snprintf(fs->detail, sizeof(fs->detail), "extent map does not cover the file");
		r = -EUCLEAN;
	}
	return r < 0 ? path_fail(fs, path, sane(r), err) : 0;
}

struct dctx {
	dl_dirent_cb cb;
	void *ctx;
	int user_r;
};

/* Only names a path could name reach the caller: a hostile image's entry
 * with an empty name, one longer than DL_FS_MAX_NAME (btrfs stores 16-bit
 * lengths), a '/' or NUL inside, or "." or ".." is skipped, whatever the
 * backend (each rejects some of these itself, none all of them). */
static int dirent_pass(void *ctx, const char *name, size_t len, uint64_t ino, enum dl_ftype type)
{
	struct dctx *d = ctx;
	if (len == 0 || len > DL_FS_MAX_NAME || memchr(name, '/', len) || memchr(name, '\0', len) ||
	    (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.'))))
		return 0;
	int r = d->cb(d->ctx, name, len, ino, type);
	if (r < 0)
		d->user_r = r;
	return r;
}

int dl_fs_list(struct dl_fs *fs, const struct dl_stat *st, const char *path, dl_dirent_cb cb,
	       void *ctx, struct dl_error *err)
{
	struct dctx d = { .cb = cb, .ctx = ctx };
	if (st->type != DL_FT_DIR)
		return path_fail(fs, path, -ENOTDIR, err);
	fs->detail[0] = '\0';
	int r = fs->ops->readdir(fs, st->ino, dirent_pass, &d);
	if (d.user_r)
		return d.user_r;
	return r < 0 ? path_fail(fs, path, r, err) : r;
}

ssize_t dl_fs_readlink(struct dl_fs *fs, const struct dl_stat *st, const char *path, char *buf,
		       size_t bufsz, struct dl_error *err)
{
	fs->detail[0] = '\0';
	if (st->type != DL_FT_LNK || bufsz < 2)
		return path_fail(fs, path, -EINVAL, err);
	ssize_t n = fs->ops->readlink(fs, st->ino, buf, bufsz - 1);
	if (n < 0)
		return path_fail(fs, path, sane((int)n), err);
	n = (ssize_t)strnlen(buf, DL_MIN((size_t)n, bufsz - 1));   /* a NUL ends a target */
	buf[n] = '\0';
	return n;
}

int dl_fs_readdir(struct dl_fs *fs, const char *path, dl_dirent_cb cb, void *ctx,
		  struct dl_error *err)
{
	struct dl_stat st;
	int r = dl_fs_resolve(fs, path, true, &st, err);
	if (r < 0)
		return r;
	return dl_fs_list(fs, &st, path, cb, ctx, err);
}
