/* The result record's table and the record codec (src/result.h).  The
 * decoder reads what the parser child sent: every length is checked
 * against the bytes left and the field's cap before it is used, and the
 * record it builds owns its strings, so nothing the child sent is trusted
 * or kept by reference. */
#include "result.h"

#include <string.h>

const char *const dl_payload_kind_name[3] = { "kernel", "ramdisk", "module" };

#define F_STR(...) DL_RECORD_FIELD_STR(struct dl_result, __VA_ARGS__)
#define F_INT(...) DL_RECORD_FIELD_INT(struct dl_result, __VA_ARGS__)
#define F_BOOL(...) DL_RECORD_FIELD_BOOL(struct dl_result, __VA_ARGS__)
#define F_LIST(...) DL_RECORD_FIELD_LIST(struct dl_result, __VA_ARGS__)
static const struct dl_record_field result_fields[] = {
	DL_RESULT_FIELDS(F_STR, F_INT, F_BOOL, F_LIST)
};
const struct dl_record_type dl_result_type = {
	result_fields, DL_ARRAY_SIZE(result_fields), sizeof(struct dl_result)
};

/* Members by offset: the field table says where each one is. */
#define MEMBER(rec, f, type) ((type *)((char *)(rec) + (f)->off))
#define CMEMBER(rec, f, type) ((const type *)((const char *)(rec) + (f)->off))
#define COUNT(rec, f) ((size_t *)((char *)(rec) + (f)->count_off))
#define CCOUNT(rec, f) ((const size_t *)((const char *)(rec) + (f)->count_off))
/* The member types (result.h, DL_RECORD_MEMBER_*). */
typedef const char *str_t;
typedef const char *const *list_t;

/* ---- packing (the child) ---- */

static void put_u32(struct dl_sbuf *out, uint32_t v)
{
	dl_sbuf_add(out, &v, sizeof(v));
}

static int put_str(const struct dl_record_field *f, const char *s, struct dl_sbuf *out,
		   struct dl_error *err)
{
	if (!s) {
		put_u32(out, DL_RECORD_ABSENT);
		return 0;
	}
	size_t n = strlen(s);
	if (n > f->cap)
		return dl_fail(err, DL_ELIMIT, "%s: longer than %u bytes", f->what, f->cap);
	put_u32(out, (uint32_t)n);
	dl_sbuf_add(out, s, n);
	return 0;
}

int dl_record_pack(const struct dl_record_type *t, const void *rec, struct dl_sbuf *out,
		   struct dl_error *err)
{
	for (size_t i = 0; i < t->nfields; i++) {
		const struct dl_record_field *f = &t->fields[i];
		int r = 0;
		switch (f->kind) {
		case DL_RK_STR:
			r = put_str(f, *CMEMBER(rec, f, str_t), out, err);
			break;
		case DL_RK_INT: {
			int32_t v = *CMEMBER(rec, f, int);
			uint32_t u;
			memcpy(&u, &v, sizeof(u));
			put_u32(out, u);
			break;
		}
		case DL_RK_BOOL:
			put_u32(out, *CMEMBER(rec, f, bool) ? 1 : 0);
			break;
		case DL_RK_LIST: {
			const char *const *items = *CMEMBER(rec, f, list_t);
			size_t n = *CCOUNT(rec, f);
			if (n > f->max_items)
				return dl_fail(err, DL_ELIMIT, "%s: more than %u items", f->what,
					       f->max_items);
			put_u32(out, (uint32_t)n);
			for (size_t k = 0; k < n && r == 0; k++)
				r = items[k] ? put_str(f, items[k], out, err)
					     : dl_fail(err, DL_ESANDBOX, "%s: item %zu is NULL", f->what, k);
			break;
		}
		}
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- unpacking (the broker) ---- */

struct reader {
	const uint8_t *p;
	size_t left;
	struct dl_error *err;
};

static int violation(struct reader *rd, const char *what)
{
	return dl_fail(rd->err, DL_ESANDBOX, "parser child: protocol violation: %s", what);
}

static int get_u32(struct reader *rd, uint32_t *v)
{
	if (rd->left < sizeof(*v))
		return violation(rd, "result length mismatch");
	memcpy(v, rd->p, sizeof(*v));
	rd->p += sizeof(*v);
	rd->left -= sizeof(*v);
	return 0;
}

/* The command line goes into the result file and the guest: no NUL (the
 * simple0 separator, refused for every string), no newline (simple's), no
 * other control byte. */
static int check_cmdline(const struct dl_record_field *f, const uint8_t *s, uint32_t n,
			 struct dl_error *err)
{
	for (uint32_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			return dl_fail(err, DL_ESYNTAX, "%s contains a newline", f->what);
		if ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)
			return dl_fail(err, DL_ESYNTAX, "%s contains control byte 0x%02x", f->what, s[i]);
	}
	return 0;
}

/* One string: *out is NULL when absent (allowed only if may_be_absent). */
static int get_str(struct reader *rd, const struct dl_record_field *f, bool may_be_absent,
		   str_t *out)
{
	uint32_t n = 0;
	int r = get_u32(rd, &n);
	if (r < 0)
		return r;
	*out = NULL;
	if (n == DL_RECORD_ABSENT)
		return may_be_absent ? 0 : violation(rd, "malformed result");
	if (n > f->cap) {
		if (f->flags & DL_RF_CMDLINE)
			return dl_fail(rd->err, DL_ELIMIT, "%s: longer than %u bytes", f->what, f->cap);
		return violation(rd, "result string too long");
	}
	if (n > rd->left)
		return violation(rd, "result length mismatch");
	if (memchr(rd->p, '\0', n))
		return violation(rd, "NUL byte inside a result string");
	if ((f->flags & DL_RF_CMDLINE) && (r = check_cmdline(f, rd->p, n, rd->err)) < 0)
		return r;
	*out = dl_strndup((const char *)rd->p, n);
	rd->p += n;
	rd->left -= n;
	return 0;
}

static int get_list(struct reader *rd, const struct dl_record_field *f, void *rec)
{
	uint32_t n = 0;
	int r = get_u32(rd, &n);
	if (r < 0)
		return r;
	if (n > f->max_items)
		return violation(rd, "result list too long");
	str_t *items = dl_calloc(n, sizeof(*items));
	*MEMBER(rec, f, list_t) = items;   /* owned by rec from here: cleared on failure */
	for (uint32_t k = 0; k < n; k++) {
		if ((r = get_str(rd, f, false, &items[k])) < 0)
			return r;
		*COUNT(rec, f) = k + 1;
	}
	return 0;
}

static int get_field(struct reader *rd, const struct dl_record_field *f, void *rec)
{
	uint32_t v = 0;
	int r;
	switch (f->kind) {
	case DL_RK_STR:
		return get_str(rd, f, true, MEMBER(rec, f, str_t));
	case DL_RK_INT: {
		if ((r = get_u32(rd, &v)) < 0)
			return r;
		int32_t i;
		memcpy(&i, &v, sizeof(i));
		if (i < f->min || i > f->max)
			return violation(rd, "malformed result");
		*MEMBER(rec, f, int) = i;
		return 0;
	}
	case DL_RK_BOOL:
		if ((r = get_u32(rd, &v)) < 0)
			return r;
		if (v > 1)
			return violation(rd, "malformed result");
		*MEMBER(rec, f, bool) = v;
		return 0;
	case DL_RK_LIST:
		return get_list(rd, f, rec);
	}
	return violation(rd, "malformed result");
}

int dl_record_unpack(const struct dl_record_type *t, const uint8_t *p, size_t len, void *rec,
		     struct dl_error *err)
{
	struct reader rd = { .p = p, .left = len, .err = err };
	memset(rec, 0, t->size);
	for (size_t i = 0; i < t->nfields; i++) {
		int r = get_field(&rd, &t->fields[i], rec);
		if (r < 0) {
			dl_record_clear(t, rec);
			return r;
		}
	}
	if (rd.left) {
		dl_record_clear(t, rec);
		return violation(&rd, "result length mismatch");
	}
	return 0;
}

/* The same caps and command-line rules, on a record in memory: the sink
 * applies them whether the record crossed the sandbox or not. */
int dl_record_check(const struct dl_record_type *t, const void *rec, struct dl_error *err)
{
	struct dl_sbuf b = { 0 };
	int r = dl_record_pack(t, rec, &b, err);
	if (r == 0) {
		void *tmp = dl_calloc(1, t->size);
		r = dl_record_unpack(t, (const uint8_t *)b.p, b.len, tmp, err);
		dl_record_clear(t, tmp);
		free(tmp);
	}
	dl_sbuf_free(&b);
	return r;
}

/* ---- owned copies ---- */

static char *dup_or_null(const char *s)
{
	return s ? dl_strdup(s) : NULL;
}

void dl_record_copy(const struct dl_record_type *t, void *dst, const void *src)
{
	memcpy(dst, src, t->size);   /* ints and bools; strings and lists copied below */
	for (size_t i = 0; i < t->nfields; i++) {
		const struct dl_record_field *f = &t->fields[i];
		if (f->kind == DL_RK_STR) {
			*MEMBER(dst, f, str_t) = dup_or_null(*CMEMBER(src, f, str_t));
		} else if (f->kind == DL_RK_LIST) {
			size_t n = *CCOUNT(src, f);
			list_t from = *CMEMBER(src, f, list_t);
			str_t *items = n ? dl_calloc(n, sizeof(*items)) : NULL;
			for (size_t k = 0; k < n; k++)
				items[k] = dup_or_null(from[k]);
			*MEMBER(dst, f, list_t) = items;
		}
	}
}

/* The strings of a record made here are ours to free (hence the casts). */
void dl_record_clear(const struct dl_record_type *t, void *rec)
{
	for (size_t i = 0; i < t->nfields; i++) {
		const struct dl_record_field *f = &t->fields[i];
		if (f->kind == DL_RK_STR) {
			free((void *)*MEMBER(rec, f, str_t));
		} else if (f->kind == DL_RK_LIST) {
			list_t items = *MEMBER(rec, f, list_t);
			for (size_t k = 0; k < *COUNT(rec, f); k++)
				free((void *)items[k]);
			free((void *)items);
		}
	}
	memset(rec, 0, t->size);
}

/* ---- JSON ---- */

void dl_record_json(const struct dl_record_type *t, struct dl_json *j, const void *rec)
{
	for (size_t i = 0; i < t->nfields; i++) {
		const struct dl_record_field *f = &t->fields[i];
		if (!f->json)
			continue;
		switch (f->kind) {
		case DL_RK_STR: {
			const char *s = *CMEMBER(rec, f, str_t);
			dl_json_str(j, f->json, !s && (f->flags & DL_RF_JSON_EMPTY) ? "" : s);
			break;
		}
		case DL_RK_INT: {
			int v = *CMEMBER(rec, f, int);
			if (v < 0)
				dl_json_str(j, f->json, NULL);
			else
				dl_json_int(j, f->json, v);
			break;
		}
		case DL_RK_BOOL:
			dl_json_bool(j, f->json, *CMEMBER(rec, f, bool));
			break;
		case DL_RK_LIST: {
			const char *const *items = *CMEMBER(rec, f, list_t);
			dl_json_arr(j, f->json);
			for (size_t k = 0; k < *CCOUNT(rec, f); k++)
				dl_json_str(j, NULL, items[k]);
			dl_json_end(j);
			break;
		}
		}
	}
}

void dl_reply_free(struct dl_reply *r)
{
	free(r->buf);
	if (r->fd >= 0)
		close(r->fd);
	*r = (struct dl_reply){ .fd = -1 };
}
