/* LVM2 text metadata: a bounded parser and the VG model built from it,
 * hand-written for the reason lvm.c gives.
 *
 * Grammar (lib/config/config.c): sections "name { ... }", assignments
 * "key = value", values integers, floats, "strings" (with \" and \\
 * escapes) or flat arrays "[ v, v ]"; '#' starts a comment.  The parser is
 * iterative over tokens with an explicit depth cap; the text, node count and
 * nesting are capped. */
#include "part/part_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>

struct lex {
	const char *p, *end;
	unsigned line;
	size_t nodes;
	struct dl_error *err;
};

static int lfail(struct lex *l, const char *what)
{
	return dl_fail(l->err, DL_ESYNTAX, "LVM metadata line %u: %s", l->line, what);
}

/* The negative errno of the error a node constructor set before it
 * returned NULL. */
static int lerrno(const struct lex *l)
{
	return -dl_code_errno(l->err && l->err->code ? l->err->code : DL_ESYNTAX);
}

static void skip_ws(struct lex *l)
{
	while (l->p < l->end) {
		char c = *l->p;
		if (c == '\n') {
			l->line++;
			l->p++;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			l->p++;
		} else if (c == '#') {
			while (l->p < l->end && *l->p != '\n')
				l->p++;
		} else {
			break;
		}
	}
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '+' || c == '-';
}

static struct dl_lvm_node *new_node(struct lex *l, enum dl_lvm_type t)
{
	if (++l->nodes > DL_LVM_MAX_NODES) {
		dl_fail(l->err, DL_ELIMIT, "LVM metadata has more than %d nodes", DL_LVM_MAX_NODES);
		return NULL;
	}
	struct dl_lvm_node *n = dl_calloc(1, sizeof(*n));
	n->type = t;
	return n;
}

static void dl_lvm_node_free(struct dl_lvm_node *n)
{
	/* Iterative over siblings; children recurse at most DL_LVM_MAX_DEPTH deep. */
	while (n) {
		struct dl_lvm_node *next = n->next;
		dl_lvm_node_free(n->child);
		free(n->key);
		free(n->sval);
		free(n);
		n = next;
	}
}

/* A scalar value at l->p: string or number.  NULL on error. */
static struct dl_lvm_node *scalar(struct lex *l)
{
	if (l->p >= l->end)
		return lfail(l, "value expected"), NULL;
	if (*l->p == '"') {
		l->p++;
		const char *s = l->p;
		size_t n = 0;
		unsigned line = l->line;
		while (l->p < l->end && *l->p != '"') {
			if (*l->p == '\\' && l->p + 1 < l->end)
				l->p++;
			if (*l->p == '\n')
				l->line++;
			l->p++;
			n++;
		}
		if (l->p >= l->end) {
			l->line = line;
			return lfail(l, "unterminated string"), NULL;
		}
		struct dl_lvm_node *v = new_node(l, DL_LVM_STR);
		if (!v)
			return NULL;
		v->sval = dl_malloc(n + 1);
		size_t o = 0;
		for (const char *q = s; q < l->p; q++) {
			if (*q == '\\' && q + 1 < l->p)
				q++;
			v->sval[o++] = *q;
		}
		v->sval[o] = '\0';
		l->p++;
		return v;
	}
	const char *s = l->p;
	if (l->p < l->end && *l->p == '-')
		l->p++;
	if (l->p >= l->end || !isdigit((unsigned char)*l->p))
		return lfail(l, "value expected"), NULL;
	uint64_t v = 0;
	bool ovf = false;
	while (l->p < l->end && isdigit((unsigned char)*l->p)) {
		if (ckd_mul(&v, v, 10) || ckd_add(&v, v, (uint64_t)(*l->p - '0')))
			ovf = true;
		l->p++;
	}
	bool fl = false;
	if (l->p < l->end && *l->p == '.') {
		fl = true;
		l->p++;
		while (l->p < l->end && isdigit((unsigned char)*l->p))
			l->p++;
	}
	if (ovf || v > (uint64_t)INT64_MAX)
		return lfail(l, "number out of range"), NULL;
	struct dl_lvm_node *n = new_node(l, fl ? DL_LVM_STR : DL_LVM_INT);
	if (!n)
		return NULL;
	if (fl)
		n->sval = dl_strndup(s, (size_t)(l->p - s));
	else
		n->ival = *s == '-' ? -(int64_t)v : (int64_t)v;
	return n;
}

static struct dl_lvm_node *array(struct lex *l)
{
	struct dl_lvm_node *a = new_node(l, DL_LVM_ARRAY), **tail;
	if (!a)
		return NULL;
	tail = &a->child;
	l->p++; /* '[' */
	skip_ws(l);
	if (l->p < l->end && *l->p == ']') {
		l->p++;
		return a;
	}
	for (;;) {
		skip_ws(l);
		struct dl_lvm_node *v = scalar(l);
		if (!v)
			goto bad;
		*tail = v;
		tail = &v->next;
		skip_ws(l);
		if (l->p < l->end && *l->p == ',') {
			l->p++;
			continue;
		}
		if (l->p < l->end && *l->p == ']') {
			l->p++;
			return a;
		}
		lfail(l, "',' or ']' expected in array");
		goto bad;
	}
bad:
	dl_lvm_node_free(a);
	return NULL;
}

/* Items until '}' (depth > 0) or the end of text (depth 0). */
static int section_body(struct lex *l, struct dl_lvm_node *sec, int depth)
{
	struct dl_lvm_node **tail = &sec->child;
	if (depth > DL_LVM_MAX_DEPTH)
		return dl_fail(l->err, DL_ELIMIT, "LVM metadata nested deeper than %d", DL_LVM_MAX_DEPTH);
	for (;;) {
		skip_ws(l);
		if (l->p >= l->end || *l->p == '\0') {
			if (depth)
				return lfail(l, "unterminated section");
			return 0;
		}
		if (*l->p == '}') {
			if (!depth)
				return lfail(l, "unbalanced '}'");
			l->p++;
			return 0;
		}
		const char *k = l->p;
		while (l->p < l->end && ident_char(*l->p))
			l->p++;
		if (l->p == k)
			return lfail(l, "name expected");
		size_t klen = (size_t)(l->p - k);
		skip_ws(l);
		if (l->p >= l->end)
			return lfail(l, "'=' or '{' expected");
		struct dl_lvm_node *n;
		if (*l->p == '{') {
			l->p++;
			if (!(n = new_node(l, DL_LVM_SECTION)))
				return lerrno(l);
			n->key = dl_strndup(k, klen);
			*tail = n;
			tail = &n->next;
			int r = section_body(l, n, depth + 1);
			if (r < 0)
				return r;
			continue;
		}
		if (*l->p != '=')
			return lfail(l, "'=' or '{' expected");
		l->p++;
		skip_ws(l);
		if (l->p < l->end && *l->p == '[')
			n = array(l);
		else
			n = scalar(l);
		if (!n)
			return lerrno(l);
		n->key = dl_strndup(k, klen);
		*tail = n;
		tail = &n->next;
	}
}

int dl_lvm_parse(const char *text, size_t len, struct dl_lvm_node **root, struct dl_error *err)
{
	if (len > DL_LVM_MAX_TEXT)
		return dl_fail(err, DL_ELIMIT, "LVM metadata larger than %u bytes", DL_LVM_MAX_TEXT);
	struct lex l = { .p = text, .end = text + len, .line = 1, .err = err };
	struct dl_lvm_node *r = dl_calloc(1, sizeof(*r));
	r->type = DL_LVM_SECTION;
	int rc = section_body(&l, r, 0);
	if (rc < 0) {
		dl_lvm_node_free(r);
		return rc;
	}
	*root = r;
	return 0;
}

static const struct dl_lvm_node *dl_lvm_get(const struct dl_lvm_node *sec, const char *key)
{
	if (!sec || sec->type != DL_LVM_SECTION)
		return NULL;
	for (const struct dl_lvm_node *n = sec->child; n; n = n->next)
		if (n->key && !strcmp(n->key, key))
			return n;
	return NULL;
}

static const char *get_str(const struct dl_lvm_node *sec, const char *key)
{
	const struct dl_lvm_node *n = dl_lvm_get(sec, key);
	return n && n->type == DL_LVM_STR ? n->sval : NULL;
}

static bool get_u64(const struct dl_lvm_node *sec, const char *key, uint64_t *v)
{
	const struct dl_lvm_node *n = dl_lvm_get(sec, key);
	if (!n || n->type != DL_LVM_INT || n->ival < 0)
		return false;
	*v = (uint64_t)n->ival;
	return true;
}

static bool has_flag(const struct dl_lvm_node *sec, const char *key, const char *flag)
{
	const struct dl_lvm_node *a = dl_lvm_get(sec, key);
	if (!a || a->type != DL_LVM_ARRAY)
		return false;
	for (const struct dl_lvm_node *v = a->child; v; v = v->next)
		if (v->type == DL_LVM_STR && !strcmp(v->sval, flag))
			return true;
	return false;
}

/* LVM names: [A-Za-z0-9+_.-], not starting with '-', at most 127 bytes. */
static bool valid_name(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 127 || s[0] == '-' || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("+_.-", s[i]))
			return false;
	return true;
}

static bool copy_uuid(char out[33], const char *id)
{
	size_t o = 0;
	if (!id)
		return false;
	for (; *id; id++) {
		if (*id == '-')
			continue;
		if (!isalnum((unsigned char)*id) || o >= 32)
			return false;
		out[o++] = *id;
	}
	out[o] = '\0';
	return o == 32;
}

void dl_lvm_vg_free(struct dl_lvm_vg *vg)
{
	if (!vg)
		return;
	for (size_t i = 0; i < vg->npv; i++)
		free(vg->pv[i].name);
	for (size_t i = 0; i < vg->nlv; i++) {
		for (size_t j = 0; j < vg->lv[i].nseg; j++)
			free(vg->lv[i].seg[j].area);
		free(vg->lv[i].seg);
		free(vg->lv[i].name);
	}
	free(vg->pv);
	free(vg->lv);
	free(vg->name);
	free(vg);
}

static int find_pv(const struct dl_lvm_vg *vg, const char *name)
{
	for (size_t i = 0; i < vg->npv; i++)
		if (!strcmp(vg->pv[i].name, name))
			return (int)i;
	return -1;
}

/* What an LV that cannot be read is, by the type of one of its segments. */
static const char *unsupported_kind(const char *type)
{
	return !strcmp(type, "thin-pool") ? "thin pool" :
	       !strncmp(type, "thin", 4) ? "thin volume" :
	       !strncmp(type, "raid", 4) ? "RAID volume" :
	       !strcmp(type, "mirror") ? "mirrored volume" :
	       !strncmp(type, "cache", 5) || !strcmp(type, "writecache") ? "cached volume" :
	       !strcmp(type, "snapshot") ? "snapshot" : "volume";
}

/* The stripes array of a linear or striped segment g (named key) of lv:
 * [ "pv0", PE, "pv1", PE... ], each area inside its PV. */
static int parse_stripes(const struct dl_lvm_vg *vg, const struct dl_lvm_lv *lv,
			 const struct dl_lvm_node *st, struct dl_lvm_seg *g, const char *key,
			 struct dl_error *err)
{
	const char *vgn = vg->name;
	const struct dl_lvm_node *v = st->child;
	uint64_t per = g->count / g->stripes;
	for (uint64_t k = 0; k < g->stripes; k++) {
		const struct dl_lvm_node *pe = v ? v->next : NULL;
		int pv;
		uint64_t end;
		if (!v || !pe || v->type != DL_LVM_STR || pe->type != DL_LVM_INT || pe->ival < 0 ||
		    (pv = find_pv(vg, v->sval)) < 0)
			return dl_fail(err, DL_EBADIMAGE, "/dev/%s/%s: LVM metadata: bad stripe %llu in %s", vgn,
				       lv->name, (unsigned long long)k, key);
		g->area[k].pv = (uint32_t)pv;
		g->area[k].pe = (uint64_t)pe->ival;
		if (ckd_add(&end, g->area[k].pe, per) || end > vg->pv[pv].pe_count)
			return dl_fail(err, DL_EBADIMAGE,
				       "/dev/%s/%s: LVM metadata: %s lies outside physical volume %s", vgn,
				       lv->name, key, vg->pv[pv].name);
		v = pe->next;
	}
	if (v)
		return dl_fail(err, DL_EBADIMAGE, "/dev/%s/%s: LVM metadata: extra stripes in %s", vgn,
			       lv->name, key);
	return 0;
}

/* Segment key of lv: appended to lv->seg when linear or striped; any
 * other type gives lv a note (the LV is listed, not read). */
static int parse_segment(const struct dl_lvm_vg *vg, const struct dl_lvm_node *sec,
			 struct dl_lvm_lv *lv, const char *key, struct dl_error *err)
{
	const char *vgn = vg->name;
	const struct dl_lvm_node *s = dl_lvm_get(sec, key);
	struct dl_lvm_seg *g = &lv->seg[lv->nseg];
	if (!s || s->type != DL_LVM_SECTION)
		return dl_fail(err, DL_EBADIMAGE, "/dev/%s/%s: LVM metadata: %s missing", vgn, lv->name, key);
	const char *type = get_str(s, "type");
	if (!get_u64(s, "start_extent", &g->start) || !get_u64(s, "extent_count", &g->count) || !type ||
	    g->count == 0)
		return dl_fail(err, DL_EBADIMAGE, "/dev/%s/%s: LVM metadata: bad %s", vgn, lv->name, key);
	if (strcmp(type, "striped") && strcmp(type, "linear")) {
		if (ckd_add(&lv->extents, lv->extents, g->count))
			lv->extents = 0;
		if (!lv->note[0])
			snprintf(lv->note, sizeof(lv->note), "unsupported: LVM %s (segment type %.40s)",
				 unsupported_kind(type), type);
		return 0;
	}
	const struct dl_lvm_node *st = dl_lvm_get(s, "stripes");
	uint64_t ns = 1;
	if (dl_lvm_get(s, "stripe_count") && !get_u64(s, "stripe_count", &ns))
		ns = 0;
	if (!st || st->type != DL_LVM_ARRAY || ns == 0 || ns > DL_LVM_MAX_STRIPES || g->count % ns)
		return dl_fail(err, DL_EBADIMAGE, "/dev/%s/%s: LVM metadata: bad stripes in %s", vgn, lv->name, key);
	g->stripes = (uint32_t)ns;
	if (ns > 1 && (!get_u64(s, "stripe_size", &g->stripe_size) || g->stripe_size == 0 ||
		       (g->stripe_size & (g->stripe_size - 1)) || vg->extent_size % g->stripe_size))
		return dl_fail(err, DL_EBADIMAGE, "/dev/%s/%s: LVM metadata: bad stripe_size in %s", vgn,
			       lv->name, key);
	g->area = dl_calloc((size_t)ns, sizeof(*g->area));
	lv->nseg++; /* owns area from here on */
	return parse_stripes(vg, lv, st, g, key, err);
}

/* One LV section: segments, or a note saying why it cannot be read. */
static int parse_lv(struct dl_lvm_vg *vg, const struct dl_lvm_node *sec, struct dl_lvm_lv *lv,
		    struct dl_error *err)
{
	uint64_t nseg;
	const char *vgn = vg->name;

	lv->visible = has_flag(sec, "status", "VISIBLE");
	if (!get_u64(sec, "segment_count", &nseg) || nseg == 0)
		return dl_fail(err, DL_EBADIMAGE, "/dev/%s/%s: LVM metadata: bad segment_count", vgn, lv->name);
	if (nseg > DL_LVM_MAX_SEGS)
		return dl_fail(err, DL_ELIMIT, "/dev/%s/%s: more than %d segments", vgn, lv->name, DL_LVM_MAX_SEGS);
	lv->seg = dl_calloc((size_t)nseg, sizeof(*lv->seg));
	for (uint64_t i = 0; i < nseg; i++) {
		char key[32];
		snprintf(key, sizeof(key), "segment%llu", (unsigned long long)(i + 1));
		int r = parse_segment(vg, sec, lv, key, err);
		if (r < 0)
			return r;
	}
	if (lv->note[0])
		return 0;
	/* Segments must tile [0, extents) in order. */
	for (size_t i = 1; i < lv->nseg; i++)
		for (size_t j = i; j > 0 && lv->seg[j - 1].start > lv->seg[j].start; j--) {
			struct dl_lvm_seg t = lv->seg[j];
			lv->seg[j] = lv->seg[j - 1];
			lv->seg[j - 1] = t;
		}
	uint64_t next = 0;
	for (size_t i = 0; i < lv->nseg; i++) {
		if (lv->seg[i].start != next || ckd_add(&next, next, lv->seg[i].count))
			return dl_fail(err, DL_EBADIMAGE, "/dev/%s/%s: LVM metadata: segments do not tile the volume",
				       vgn, lv->name);
	}
	lv->extents = next;
	return 0;
}

static void node_freep(struct dl_lvm_node **n)
{
	dl_lvm_node_free(*n);
}

static void vg_freep(struct dl_lvm_vg **vg)
{
	dl_lvm_vg_free(*vg);
}

/* The one section of the metadata: the volume group. */
static int vg_section(const struct dl_lvm_node *root, const struct dl_lvm_node **vsp,
		      struct dl_error *err)
{
	const struct dl_lvm_node *vs = NULL;
	for (const struct dl_lvm_node *n = root->child; n; n = n->next)
		if (n->type == DL_LVM_SECTION) {
			if (vs)
				return dl_fail(err, DL_EBADIMAGE, "LVM metadata holds more than one volume group");
			vs = n;
		}
	if (!vs || !valid_name(vs->key))
		return dl_fail(err, DL_EBADIMAGE, "LVM metadata: no valid volume group");
	*vsp = vs;
	return 0;
}

static size_t count_sections(const struct dl_lvm_node *list)
{
	size_t n = 0;
	for (const struct dl_lvm_node *c = list ? list->child : NULL; c; c = c->next)
		n += c->type == DL_LVM_SECTION;
	return n;
}

static int parse_pvs(struct dl_lvm_vg *vg, const struct dl_lvm_node *pvs, struct dl_error *err)
{
	for (const struct dl_lvm_node *n = pvs ? pvs->child : NULL; n; n = n->next) {
		if (n->type != DL_LVM_SECTION)
			continue;
		struct dl_lvm_pv *pv = &vg->pv[vg->npv++];
		pv->name = dl_strdup(n->key);
		if (!copy_uuid(pv->uuid, get_str(n, "id")) || !get_u64(n, "pe_start", &pv->pe_start) ||
		    !get_u64(n, "pe_count", &pv->pe_count) || find_pv(vg, n->key) != (int)vg->npv - 1)
			return dl_fail(err, DL_EBADIMAGE, "volume group %s: bad physical volume %s in LVM metadata",
				       vg->name, n->key);
		pv->missing = has_flag(n, "flags", "MISSING") || has_flag(n, "status", "MISSING");
	}
	return 0;
}

static int parse_lvs(struct dl_lvm_vg *vg, const struct dl_lvm_node *lvs, struct dl_error *err)
{
	for (const struct dl_lvm_node *n = lvs ? lvs->child : NULL; n; n = n->next) {
		if (n->type != DL_LVM_SECTION)
			continue;
		struct dl_lvm_lv *lv = &vg->lv[vg->nlv++];
		lv->name = dl_strdup(n->key);
		if (!valid_name(lv->name))
			return dl_fail(err, DL_EBADIMAGE, "volume group %s: bad logical volume name in LVM metadata",
				       vg->name);
		int r = parse_lv(vg, n, lv, err);
		if (r < 0)
			return r;
	}
	/* A snapshot's COW store looks like a plain LV; reading it would give
	 * the snapshot's exception store, not a filesystem. */
	for (const struct dl_lvm_node *n = lvs ? lvs->child : NULL; n; n = n->next) {
		const struct dl_lvm_node *s = dl_lvm_get(n, "segment1");
		const char *type = get_str(s, "type"), *cow = get_str(s, "cow_store");
		if (!type || strcmp(type, "snapshot") || !cow)
			continue;
		for (size_t i = 0; i < vg->nlv; i++)
			if (!strcmp(vg->lv[i].name, cow))
				snprintf(vg->lv[i].note, sizeof(vg->lv[i].note),
					 "unsupported: LVM snapshot (of %.100s)", get_str(s, "origin") ?
					 get_str(s, "origin") : "?");
	}
	return 0;
}

int dl_lvm_vg_parse(const char *text, size_t len, struct dl_lvm_vg **vgp, struct dl_error *err)
{
	_cleanup_(node_freep) struct dl_lvm_node *root = NULL;
	const struct dl_lvm_node *vs = NULL;
	int r = dl_lvm_parse(text, len, &root, err);
	if (r < 0 || (r = vg_section(root, &vs, err)) < 0)
		return r;
	_cleanup_(vg_freep) struct dl_lvm_vg *vg = dl_calloc(1, sizeof(*vg));
	vg->name = dl_strdup(vs->key);
	if (!copy_uuid(vg->uuid, get_str(vs, "id")) || !get_u64(vs, "seqno", &vg->seqno) ||
	    !get_u64(vs, "extent_size", &vg->extent_size) || vg->extent_size == 0 ||
	    vg->extent_size > (1ull << 32))
		return dl_fail(err, DL_EBADIMAGE, "volume group %s: bad LVM metadata header", vg->name);
	const struct dl_lvm_node *pvs = dl_lvm_get(vs, "physical_volumes");
	const struct dl_lvm_node *lvs = dl_lvm_get(vs, "logical_volumes");
	size_t npv = count_sections(pvs), nlv = count_sections(lvs);
	if (npv > DL_LVM_MAX_PVS || nlv > DL_LVM_MAX_LVS)
		return dl_fail(err, DL_ELIMIT, "volume group %s: too many physical or logical volumes", vg->name);
	vg->pv = dl_calloc(npv, sizeof(*vg->pv));
	vg->lv = dl_calloc(nlv, sizeof(*vg->lv));
	if ((r = parse_pvs(vg, pvs, err)) < 0 || (r = parse_lvs(vg, lvs, err)) < 0)
		return r;
	*vgp = TAKE_PTR(vg);
	return 0;
}
