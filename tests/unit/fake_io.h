/* In-memory guest for boot-configuration tests: a table of files on
 * devices (dev NULL = the volume being parsed) behind struct dl_boot_io. */
#ifndef DL_TEST_FAKE_IO_H
#define DL_TEST_FAKE_IO_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/boot.h"

struct fake_file {
	const char *dev;      /* NULL: self */
	const char *path;
	const char *data;     /* NULL: directory marker */
	size_t len;
};

struct fake_search {
	const char *by, *value, *dev;
};

struct fake {
	struct fake_file files[64];
	int nfiles;
	struct fake_search searches[8];
	int nsearches;
	const char *self;
	const char *unreadable;   /* a path whose reads fail with an I/O error */
	int reads;
};

static inline bool fake_dev_eq(const struct fake *f, const char *a, const char *b)
{
	if (a && f->self && !strcmp(a, f->self))
		a = NULL;
	if (b && f->self && !strcmp(b, f->self))
		b = NULL;
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static inline void fake_add(struct fake *f, const char *dev, const char *path, const char *data)
{
	f->files[f->nfiles++] = (struct fake_file){dev, path, data, data ? strlen(data) : 0};
}

static inline int fake_read(void *ctx, const char *dev, const char *path, char **buf, size_t *len,
			    struct dl_error *err)
{
	struct fake *f = ctx;
	f->reads++;
	if (f->unreadable && !strcmp(path, f->unreadable))
		return dl_fail(err, DL_EIO, "%s: input/output error", path);
	for (int i = 0; i < f->nfiles; i++)
		if (f->files[i].data && fake_dev_eq(f, dev, f->files[i].dev) &&
		    !strcmp(path, f->files[i].path)) {
			*len = f->files[i].len;
			*buf = malloc(*len + 1);
			memcpy(*buf, f->files[i].data, *len);
			(*buf)[*len] = '\0';
			return 0;
		}
	return DL_ABSENT;
}

static inline bool fake_isdir(struct fake *f, const char *dev, const char *path)
{
	size_t n = strlen(path);
	if (!strcmp(path, "/"))
		return true;
	for (int i = 0; i < f->nfiles; i++)
		if (fake_dev_eq(f, dev, f->files[i].dev) && !strncmp(f->files[i].path, path, n) &&
		    (f->files[i].path[n] == '/' || (!f->files[i].data && !f->files[i].path[n])))
			return true;
	return false;
}

static inline int fake_test(void *ctx, const char *dev, const char *path, char t)
{
	struct fake *f = ctx;
	for (int i = 0; i < f->nfiles; i++)
		if (f->files[i].data && fake_dev_eq(f, dev, f->files[i].dev) &&
		    !strcmp(path, f->files[i].path))
			return t == 'e' || t == 'f' || (t == 's' && f->files[i].len > 0);
	if (fake_isdir(f, dev, path))
		return t == 'e' || t == 'd';
	return 0;
}

static inline int fake_list(void *ctx, const char *dev, const char *path, char ***names, size_t *n,
			    struct dl_error *err)
{
	struct fake *f = ctx;
	(void)err;
	if (!fake_isdir(f, dev, path))
		return DL_ABSENT;
	size_t pl = strcmp(path, "/") ? strlen(path) : 0;
	*names = NULL;
	*n = 0;
	for (int i = 0; i < f->nfiles; i++) {
		const char *p = f->files[i].path;
		if (!fake_dev_eq(f, dev, f->files[i].dev) || strncmp(p, path, pl) || p[pl] != '/')
			continue;
		const char *nm = p + pl + 1;
		size_t l = strcspn(nm, "/");
		bool dup = false;
		for (size_t k = 0; k < *n; k++)
			dup |= strlen((*names)[k]) == l && !strncmp((*names)[k], nm, l);
		if (dup || !l)
			continue;
		*names = realloc(*names, (*n + 1) * sizeof(char *));
		(*names)[(*n)++] = strndup(nm, l);
	}
	return 0;
}

static inline int fake_search(void *ctx, const char *by, const char *value, char *out, size_t sz)
{
	struct fake *f = ctx;
	for (int i = 0; i < f->nsearches; i++)
		if (!strcmp(f->searches[i].by, by) && !strcmp(f->searches[i].value, value)) {
			snprintf(out, sz, "%s", f->searches[i].dev);
			return 0;
		}
	if (!strcmp(by, "file"))
		for (int i = 0; i < f->nfiles; i++)
			if (f->files[i].data && !strcmp(f->files[i].path, value)) {
				snprintf(out, sz, "%s", f->files[i].dev ? f->files[i].dev : f->self);
				return 0;
			}
	return DL_ABSENT;
}

static inline struct dl_boot_io fake_io(struct fake *f)
{
	return (struct dl_boot_io){.ctx = f, .read_file = fake_read, .test_file = fake_test,
				   .list_dir = fake_list, .search = fake_search, .self_dev = f->self};
}

/* parse a grub.cfg text with the fake guest */
static inline int parse_grub(struct fake *f, const char *text, struct dl_boot_config *cfg,
			     struct dl_error *err)
{
	struct dl_boot_io io = fake_io(f);
	return dl_boot_parse_as(&dl_grub2_parser, "/boot/grub/grub.cfg", text, strlen(text), &io, cfg, err);
}

/* read a file of tests/boot/data (run from the source tree or $DL_TOP) */
static inline char *data_file(const char *name, size_t *len)
{
	const char *top = getenv("DL_TOP");
	char p[4096];
	snprintf(p, sizeof(p), "%s/tests/boot/data/%s", top ? top : ".", name);
	FILE *fp = fopen(p, "rb");
	if (!fp)
		return NULL;
	char *buf = malloc(1 << 20);
	size_t n = fread(buf, 1, (1 << 20) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* The fixture most parser tests share: a configuration, an error and a
 * fake guest, reset before each test (self device FAKE_SELF when defined)
 * and freed after it.  Define FAKE_FIXTURES before including this file. */
#ifdef FAKE_FIXTURES
static struct dl_boot_config cfg;
static struct dl_error err;
static struct fake f;

static int setup(void **st)
{
	(void)st;
	memset(&cfg, 0, sizeof(cfg));
	memset(&err, 0, sizeof(err));
	memset(&f, 0, sizeof(f));
#ifdef FAKE_SELF
	f.self = FAKE_SELF;
#endif
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	dl_boot_config_free(&cfg);
	return 0;
}
#endif

#endif
