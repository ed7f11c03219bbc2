/* Unified kernel images on the parsing side (see flow_uki.h): the kernel,
 * initrd and command line systemd-stub would hand Linux, taken from the
 * image's sections (src/boot/uki.c reads the section table). */
#include "flow_uki.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#define UKI_MAX_CMDLINE 65536

static void part_of(const struct dl_located *l, const struct dl_uki_section *s,
		    struct dl_located *out)
{
	*out = (struct dl_located){ .fs = l->fs, .st = l->st, .path = dl_strdup(l->path),
				    .part = true, .part_off = s->off, .part_len = s->size };
}

static char *read_cmdline(const struct dl_located *l, const struct dl_uki_section *s,
			  struct dl_error *err)
{
	size_t n = s->size < UKI_MAX_CMDLINE ? s->size : UKI_MAX_CMDLINE;
	char *buf = dl_calloc(1, n + 1);
	ssize_t got = dl_fs_read(l->fs, &l->st, l->path, buf, n, s->off, err);
	if (got < 0) {
		free(buf);
		return NULL;
	}
	buf[got] = '\0';
	size_t len = strlen(buf);   /* ukify ends it with a NUL */
	while (len && isspace((unsigned char)buf[len - 1]))
		buf[--len] = '\0';
	char *start = buf + strspn(buf, " \t\r\n");
	char *r = *start ? dl_strdup(start) : NULL;
	free(buf);
	return r;
}

int dl_flow_uki(const struct dl_located *l, struct dl_located *kernel, struct dl_located *initrd,
		char **cmdline, struct dl_error *err)
{
	*cmdline = NULL;
	*initrd = (struct dl_located){ 0 };
	size_t want = l->st.size < DL_UKI_HEADER ? (size_t)l->st.size : DL_UKI_HEADER;
	if (want < 0x40)
		return 0;
	_cleanup_free_ uint8_t *hdr = dl_malloc(want);
	struct dl_error le = { 0 };
	ssize_t n = dl_fs_read(l->fs, &l->st, l->path, hdr, want, 0, &le);
	if (n < 0x40 || hdr[0] != 'M' || hdr[1] != 'Z')
		return 0;   /* not a PE image (or unreadable: the kernel's own read says so) */
	struct dl_uki u;
	int r = dl_uki_parse(hdr, (size_t)n, l->st.size, &u, &le);
	if (r == DL_NOT_MINE)
		return 0;
	if (r < 0)
		return dl_fail(err, le.code, "%s:%s: %s", l->fs->vol->name, l->path, le.msg);
	if (u.s[DL_UKI_CMDLINE].present && u.s[DL_UKI_CMDLINE].size) {
		*cmdline = read_cmdline(l, &u.s[DL_UKI_CMDLINE], &le);
		if (!*cmdline && le.code)
			return dl_fail(err, le.code, "%s:%s: .cmdline: %s", l->fs->vol->name, l->path,
				       le.msg);
	}
	part_of(l, &u.s[DL_UKI_LINUX], kernel);
	if (u.s[DL_UKI_INITRD].present && u.s[DL_UKI_INITRD].size)
		part_of(l, &u.s[DL_UKI_INITRD], initrd);
	return 1;
}

/* A part of a file passed on: the stream's bytes before it are dropped,
 * the first byte after it ends the stream (PART_DONE). */
struct part_out {
	const struct dl_fs_stream *down;
	uint64_t pos, lo, hi;
};

#define PART_DONE (-ECANCELED)

/* The bytes of [pos, pos + len) inside the part: *skip of them first, then
 * the *n returned. */
static uint64_t part_clip(struct part_out *o, uint64_t len, uint64_t *skip)
{
	uint64_t a = o->pos, b = o->pos + len;
	uint64_t s = a > o->lo ? a : o->lo, e = b < o->hi ? b : o->hi;
	o->pos = b;
	*skip = s - a;
	return e > s ? e - s : 0;
}

static int part_data(void *ctx, const void *buf, size_t len)
{
	struct part_out *o = ctx;
	uint64_t skip, n = part_clip(o, len, &skip);
	int r = n ? o->down->data(o->down->ctx, (const char *)buf + skip, (size_t)n) : 0;
	return r < 0 ? r : o->pos >= o->hi ? PART_DONE : 0;
}

static int part_copy(void *ctx, struct dl_disk *disk, uint64_t off, uint64_t len)
{
	struct part_out *o = ctx;
	uint64_t skip, n = part_clip(o, len, &skip);
	int r = n ? o->down->copy(o->down->ctx, disk, off + skip, n) : 0;
	return r < 0 ? r : o->pos >= o->hi ? PART_DONE : 0;
}

int dl_located_stream(const struct dl_located *l, const struct dl_fs_stream *out,
		      struct dl_error *err)
{
	if (!l->part)
		return dl_fs_stream(l->fs, &l->st, l->path, out, err);
	if (!l->part_len)
		return 0;
	struct part_out po = { .down = out, .lo = l->part_off, .hi = l->part_off + l->part_len };
	struct dl_fs_stream s = { &po, part_data, part_copy, NULL };
	int r = dl_fs_stream(l->fs, &l->st, l->path, &s, err);
	return r == PART_DONE ? 0 : r;
}
