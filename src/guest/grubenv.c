/* GRUB's save_env, replayed for the entry booted: which environment block
 * GRUB would rewrite, its bytes after the rewrite, and where they lie on
 * the disks (grub-core/commands/loadenv.c: the file's own blocks,
 * rewritten in place, only when they hold the bytes verbatim). */
#include "guest/guest.h"

#include <errno.h>
#include <string.h>

#define MAX_BLOCK 65536u     /* GRUB's are 1024 bytes; a larger one is left alone */
#define MAX_RANGES 64

void dl_grubenv_write_free(struct dl_grubenv_write *w)
{
	free(w->where);
	free(w->what);
	free(w->old);
	free(w->new);
	free(w->ranges);
	memset(w, 0, sizeof(*w));
}

static bool same_file(const struct dl_guest_saved *a, const struct dl_guest_saved *b)
{
	return !strcmp(a->path, b->path) &&
	       (a->dev ? b->dev && !strcmp(a->dev, b->dev) : !b->dev);
}

/* The file GRUB writes: that of the first save_env naming next_entry or
 * saved_entry which runs when entry boots; NULL when none. */
static const struct dl_guest_saved *in_play(const struct dl_guest *g, int entry)
{
	for (size_t i = 0; i < g->nsaved; i++) {
		const struct dl_guest_saved *s = &g->saved[i];
		if ((s->entry == -1 || s->entry == entry) &&
		    (!strcmp(s->name, "next_entry") || !strcmp(s->name, "saved_entry")))
			return s;
	}
	return NULL;
}

static int range_cb(void *ctx, struct dl_disk *disk, uint64_t off, uint64_t len)
{
	struct dl_grubenv_write *w = ctx;
	if (disk->format != DL_FMT_RAW || w->nranges >= MAX_RANGES)
		return -ENOTSUP;
	w->ranges = dl_reallocarray(w->ranges, w->nranges + 1, sizeof(*w->ranges));
	w->ranges[w->nranges++] = (struct dl_grubenv_range){ (uint32_t)disk->index, off, len };
	return 0;
}

static int bytes_cb(void *ctx, const void *buf, size_t len)
{
	(void)ctx, (void)buf, (void)len;
	return -ENOTSUP;   /* inline, compressed, a hole, qcow2: not in place */
}

/* The block's bytes and where they are: 0, or a negative errno with err. */
static int read_block(struct dl_guest *g, struct dl_volume *home, const struct dl_guest_saved *s,
		      struct dl_grubenv_write *w, struct dl_error *err)
{
	struct dl_volume *v = s->dev ? dl_guest_device(g, home, s->dev) : home;
	struct dl_fs *fs;
	struct dl_stat st;
	w->where = dl_asprintf("%s:%s", v->name, s->path);
	if (dl_guest_stat(g, v, s->path, &fs, &st) != 0)
		return dl_fail(err, DL_ENOTFOUND, "%s: no such file", w->where);
	char *buf;
	size_t len;
	int r = dl_fs_need_file(fs, s->path, 0, &st, err);
	if (r == 0 && st.size > MAX_BLOCK)
		r = dl_fail(err, DL_ELIMIT, "%s: larger than %u bytes", w->where, MAX_BLOCK);
	if (r == 0)
		r = dl_fs_read_all(fs, &st, s->path, MAX_BLOCK, &buf, &len, err);
	if (r < 0)
		return r;
	w->old = (uint8_t *)buf;
	w->size = len;
	struct dl_fs_stream out = { w, bytes_cb, range_cb, NULL };
	struct dl_error e = { 0 };
	r = dl_fs_stream(fs, &st, s->path, &out, &e);
	if (r == -ENOTSUP || (r == 0 && !w->nranges && len))
		return dl_fail(err, DL_EUNSUPPORTED,
			       "%s: not stored verbatim in plain extents of a raw disk", w->where);
	if (r < 0)
		return dl_fail(err, e.code ? e.code : DL_EIO, "%s", e.code ? e.msg : w->where);
	return 0;
}

int dl_guest_grubenv(struct dl_guest *g, struct dl_volume *home, int entry,
		     struct dl_grubenv_write *w, struct dl_error *err)
{
	memset(w, 0, sizeof(*w));
	const struct dl_guest_saved *file = in_play(g, entry);
	if (!file)
		return DL_ABSENT;
	int r = read_block(g, home, file, w, err);
	if (r < 0) {
		dl_grubenv_write_free(w);
		return r;
	}
	w->new = dl_malloc(w->size ? w->size : 1);
	memcpy(w->new, w->old, w->size);
	struct dl_sbuf what = { 0 };
	for (size_t i = 0; i < g->nsaved; i++) {
		const struct dl_guest_saved *s = &g->saved[i];
		if ((s->entry != -1 && s->entry != entry) || !same_file(s, file))
			continue;
		if (!dl_grubenv_set((char *)w->new, w->size, s->name, s->value)) {
			/* GRUB: "environment block too small": that save_env writes nothing */
			dl_warn("%s: %s: environment block too small or broken", w->where, s->name);
			continue;
		}
		dl_sbuf_printf(&what, "%s%s%s%s", what.len ? " " : "", s->name, s->value ? "=" : "",
			       s->value ? s->value : " (deleted)");
	}
	w->what = dl_sbuf_take(&what);
	if (!memcmp(w->old, w->new, w->size)) {
		dl_grubenv_write_free(w);
		return DL_ABSENT;
	}
	return 0;
}

/* ---- the request: "GRUBENV1", u32 size, u32 nranges, then per range
 * u32 disk, u64 off, u64 len, then the old and the new bytes (little
 * endian). */

static void put(struct dl_sbuf *b, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		dl_sbuf_addc(b, (char)(v >> (8 * i)));
}

static uint64_t get(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

uint8_t *dl_grubenv_request(const struct dl_grubenv_write *w, size_t *len)
{
	struct dl_sbuf b = { 0 };
	dl_sbuf_add(&b, "GRUBENV1", 8);
	put(&b, w->size, 4);
	put(&b, w->nranges, 4);
	for (size_t i = 0; i < w->nranges; i++) {
		put(&b, w->ranges[i].disk, 4);
		put(&b, w->ranges[i].off, 8);
		put(&b, w->ranges[i].len, 8);
	}
	dl_sbuf_add(&b, (const char *)w->old, w->size);
	dl_sbuf_add(&b, (const char *)w->new, w->size);
	*len = b.len;
	return (uint8_t *)dl_sbuf_take(&b);
}

int dl_grubenv_request_parse(const uint8_t *req, size_t len, struct dl_grubenv_write *w,
			     struct dl_error *err)
{
	memset(w, 0, sizeof(*w));
	if (len < 16 || memcmp(req, "GRUBENV1", 8))
		return dl_fail(err, DL_ESANDBOX, "grubenv request: bad header");
	uint64_t size = get(req + 8, 4), n = get(req + 12, 4), sum = 0;
	if (size == 0 || size > MAX_BLOCK || n == 0 || n > MAX_RANGES ||
	    len != 16 + n * 20 + 2 * size)
		return dl_fail(err, DL_ESANDBOX, "grubenv request: bad size");
	w->ranges = dl_calloc(n, sizeof(*w->ranges));
	for (size_t i = 0; i < n; i++) {
		const uint8_t *p = req + 16 + i * 20;
		w->ranges[i] = (struct dl_grubenv_range){ (uint32_t)get(p, 4), get(p + 4, 8), get(p + 12, 8) };
		if (w->ranges[i].len > size || ckd_add(&sum, sum, w->ranges[i].len) ||
		    w->ranges[i].off > UINT64_MAX - w->ranges[i].len) {
			free(w->ranges);
			w->ranges = NULL;
			return dl_fail(err, DL_ESANDBOX, "grubenv request: bad range");
		}
	}
	if (sum != size) {
		free(w->ranges);
		w->ranges = NULL;
		return dl_fail(err, DL_ESANDBOX, "grubenv request: ranges do not cover the block");
	}
	w->nranges = n;
	w->size = size;
	w->old = (uint8_t *)req + 16 + n * 20;
	w->new = w->old + size;
	return 0;
}
