/* What one run may spend on name lookups in one filesystem: a cache of the
 * answers (directory, name) -> node, so that a path repeating a name (a
 * directory hard-linked into itself, GRUB "[ -f ]" tests in a loop) scans
 * each directory once, and a budget of the bytes lookups read (or scanned
 * again from a backend's cache) and of lookups, so that no guest costs more than a few seconds of dom0 CPU
 * (backends such as libext2fs look names up by scanning the directory).
 * Hand-written: a small open-addressing table keyed on our own tuple. */
#include "fs/fs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct slot {
	uint64_t dir, ino;
	char *name;               /* NULL: empty */
	size_t len;
	int r;                    /* 0 or -ENOENT */
};

struct dl_fs_budget {
	struct slot *t;
	size_t cap, used;         /* cap: a power of two */
	uint64_t scanned, lookups;
	bool spent;
};

static uint64_t hash(uint64_t dir, const char *name, size_t len)
{
	uint64_t h = 1469598103934665603ull ^ dir;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 1099511628211ull;
	return h ^ (h >> 29);
}

static struct slot *find(struct dl_fs_budget *b, uint64_t dir, const char *name, size_t len)
{
	if (!b->cap)
		return NULL;
	for (size_t i = hash(dir, name, len) & (b->cap - 1);; i = (i + 1) & (b->cap - 1)) {
		struct slot *s = &b->t[i];
		if (!s->name || (s->dir == dir && s->len == len && !memcmp(s->name, name, len)))
			return s;
	}
}

static void grow(struct dl_fs_budget *b)
{
	struct dl_fs_budget n = { .cap = b->cap ? b->cap * 2 : 256 };
	n.t = dl_calloc(n.cap, sizeof(*n.t));
	for (size_t i = 0; i < b->cap; i++)
		if (b->t[i].name)
			*find(&n, b->t[i].dir, b->t[i].name, b->t[i].len) = b->t[i];
	free(b->t);
	b->t = n.t;
	b->cap = n.cap;
}

static void remember(struct dl_fs_budget *b, uint64_t dir, const char *name, size_t len, int r, uint64_t ino)
{
	if (b->used >= DL_FS_NAME_CACHE)
		return;
	if ((b->used + 1) * 2 > b->cap)
		grow(b);
	struct slot *s = find(b, dir, name, len);
	*s = (struct slot){ dir, ino, dl_strndup(name, len), len, r };
	b->used++;
}

static int spent(struct dl_fs *fs)
{
	snprintf(fs->detail, sizeof(fs->detail), "%s", DL_FS_BUDGET_SPENT);
	return -E2BIG;
}

int dl_fs_lookup(struct dl_fs *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino)
{
	struct dl_fs *own = fs->base ? fs->base : fs;
	struct dl_fs_budget *b = own->budget ? own->budget : (own->budget = dl_calloc(1, sizeof(*b)));
	struct slot *s = find(b, dir, name, len);
	if (s && s->name) {
		*ino = s->ino;
		return s->r;
	}
	if (b->spent || ++b->lookups > DL_FS_LOOKUP_BUDGET || b->scanned > DL_FS_SCAN_BUDGET) {
		b->spent = true;
		return spent(fs);
	}
	/* A lookup costs the bytes its backend read or scanned again from its
	 * cache (a hashed btrfs lookup: a few tree nodes; a linear ext2 scan:
	 * the directory up to the name), at least DL_FS_LOOKUP_MIN. */
	uint64_t before = dl_volume_work();
	int r = fs->ops->lookup(fs, dir, name, len, ino);
	uint64_t work = dl_volume_work() - before;
	b->scanned += work > DL_FS_LOOKUP_MIN ? work : DL_FS_LOOKUP_MIN;
	if (r == 0 || r == -ENOENT)
		remember(b, dir, name, len, r, r == 0 ? *ino : 0);
	return r > 0 ? -EIO : r;
}

bool dl_fs_budget_spent(const struct dl_fs *fs)
{
	const struct dl_fs *own = fs->base ? fs->base : fs;
	return own->budget && own->budget->spent;
}

void dl_fs_budget_free(struct dl_fs *fs)
{
	struct dl_fs_budget *b = fs->budget;
	if (!b)
		return;
	for (size_t i = 0; i < b->cap; i++)
		free(b->t[i].name);
	free(b->t);
	free(b);
	fs->budget = NULL;
}
