/* The menu across the privilege boundary: the menu the parser child sends
 * (DL_CALL_MENU's request), the choice the privileged side answers, and
 * the paths of the command line's "ls".  Pure functions over buffers; the
 * decoders check every length against the bytes left and a cap before
 * using it, and the decoded values own their strings.  Hand-written
 * rather than a serialisation library: it is a few dozen u32-prefixed
 * fields between two copies of the same binary, in the style of the
 * result record's codec (src/result.c), whose reader is specific to the
 * result's field table.
 *
 * Encoding, every number a u32 in host byte order, a string a length (or
 * ABSENT) then its bytes without NUL:
 *   menu    MAGIC_MENU n def timeout style locked title_line
 *           n * (title parent flags kernel ninitrds initrd* args)
 *   choice  MAGIC_CHOICE index edited kernel ninitrds initrd* args
 *           (not edited: kernel ABSENT, no initrds, args "") */
#include "menu/menu.h"

#include <string.h>

#define MAGIC_MENU 0x314d4c44u     /* "DLM1" */
#define MAGIC_CHOICE 0x31434c44u   /* "DLC1" */
#define ABSENT UINT32_MAX
#define F_SUBMENU 1u
#define F_BOOTABLE 2u

/* ---- packing ---- */

static void put_u32(struct dl_sbuf *b, uint32_t v)
{
	dl_sbuf_add(b, &v, sizeof(v));
}

static void put_i32(struct dl_sbuf *b, int v)
{
	int32_t i = v;
	uint32_t u;
	memcpy(&u, &i, sizeof(u));
	put_u32(b, u);
}

static int put_str(struct dl_sbuf *b, const char *s, size_t cap, const char *what,
		   struct dl_error *err)
{
	if (!s) {
		put_u32(b, ABSENT);
		return 0;
	}
	size_t n = strlen(s);
	if (n > cap)
		return dl_fail(err, DL_ELIMIT, "menu: %s longer than %zu bytes", what, cap);
	put_u32(b, (uint32_t)n);
	dl_sbuf_add(b, s, n);
	return 0;
}

static int put_files(struct dl_sbuf *b, const char *kernel, const char *const *initrds,
		     size_t n, const char *args, struct dl_error *err)
{
	int r = put_str(b, kernel, DL_MENU_MAX_PATH, "a kernel path", err);
	if (r < 0)
		return r;
	if (n > DL_MENU_MAX_INITRDS)
		return dl_fail(err, DL_ELIMIT, "menu: more than %d initrds", DL_MENU_MAX_INITRDS);
	put_u32(b, (uint32_t)n);
	for (size_t i = 0; i < n && r == 0; i++)
		r = put_str(b, initrds[i], DL_MENU_MAX_PATH, "an initrd path", err);
	return r < 0 ? r : put_str(b, args ? args : "", DL_MENU_MAX_ARGS, "a command line", err);
}

static int check_size(struct dl_sbuf *b, struct dl_error *err)
{
	if (b->len > DL_MENU_WIRE_MAX)
		return dl_fail(err, DL_ELIMIT, "menu: larger than %u bytes", DL_MENU_WIRE_MAX);
	return 0;
}

int dl_menu_pack(const struct dl_menu *m, struct dl_sbuf *out, struct dl_error *err)
{
	if (m->n > DL_MENU_MAX_ITEMS)
		return dl_fail(err, DL_ELIMIT, "menu: more than %d entries", DL_MENU_MAX_ITEMS);
	put_u32(out, MAGIC_MENU);
	put_u32(out, (uint32_t)m->n);
	put_i32(out, m->def);
	put_i32(out, m->timeout_s);
	put_u32(out, (uint32_t)m->style);
	put_u32(out, m->locked);
	int r = put_str(out, m->title_line, DL_MENU_MAX_TITLE, "the title line", err);
	for (size_t i = 0; i < m->n && r == 0; i++) {
		const struct dl_menu_item *it = &m->items[i];
		r = put_str(out, it->title ? it->title : "", DL_MENU_MAX_TITLE, "a title", err);
		if (r < 0)
			break;
		put_i32(out, it->parent);
		put_u32(out, (it->submenu ? F_SUBMENU : 0) | (it->bootable ? F_BOOTABLE : 0));
		r = put_files(out, it->kernel, it->initrds, it->ninitrds, it->args, err);
		if (r == 0)
			r = check_size(out, err);
	}
	return r < 0 ? r : check_size(out, err);
}

int dl_menu_choice_pack(const struct dl_menu_choice *c, struct dl_sbuf *out, struct dl_error *err)
{
	put_u32(out, MAGIC_CHOICE);
	put_i32(out, c->index);
	put_u32(out, c->edited);
	if (!c->edited) {   /* the entry as it is: its index says everything */
		put_u32(out, ABSENT);
		put_u32(out, 0);
		put_u32(out, 0);
		return 0;
	}
	return put_files(out, c->kernel, (const char *const *)c->initrds, c->ninitrds, c->args, err);
}

/* ---- unpacking ---- */

struct rd {
	const uint8_t *p;
	size_t left;
	const char *what;       /* "menu", "menu answer" */
	struct dl_error *err;
};

static int bad(struct rd *rd, const char *why)
{
	return dl_fail(rd->err, DL_ESANDBOX, "%s: malformed: %s", rd->what, why);
}

static int get_u32(struct rd *rd, uint32_t *v)
{
	if (rd->left < sizeof(*v))
		return bad(rd, "truncated");
	memcpy(v, rd->p, sizeof(*v));
	rd->p += sizeof(*v);
	rd->left -= sizeof(*v);
	return 0;
}

static int get_i32(struct rd *rd, int lo, int hi, int *v)
{
	uint32_t u = 0;
	int r = get_u32(rd, &u);
	if (r < 0)
		return r;
	int32_t i;
	memcpy(&i, &u, sizeof(i));
	if (i < lo || i > hi)
		return bad(rd, "a number out of range");
	*v = i;
	return 0;
}

/* Rules for what the user typed (line editor output), checked again here
 * since the bytes crossed the boundary: no control byte but a tab. */
enum { ANY = 0, TEXT = 1, PATH = 2 };

/* A string of at most cap bytes; NULL when absent (if absent_ok). */
static int get_str(struct rd *rd, size_t cap, bool absent_ok, int rules, char **out)
{
	uint32_t n = 0;
	*out = NULL;
	int r = get_u32(rd, &n);
	if (r < 0)
		return r;
	if (n == ABSENT)
		return absent_ok ? 0 : bad(rd, "a string is missing");
	if (n > cap)
		return bad(rd, "a string over its cap");
	if (n > rd->left)
		return bad(rd, "truncated");
	if (memchr(rd->p, '\0', n))
		return bad(rd, "a NUL byte inside a string");
	for (uint32_t i = 0; rules && i < n; i++)
		if ((rd->p[i] < 0x20 && rd->p[i] != '\t') || rd->p[i] == 0x7f)
			return bad(rd, "a control byte in an edited string");
	if ((rules & PATH) && (n == 0 || (rd->p[0] != '/' && rd->p[0] != '(')))
		return bad(rd, "a path that is neither /path nor (dev)/path");
	*out = dl_strndup((const char *)rd->p, n);
	rd->p += n;
	rd->left -= n;
	return 0;
}

/* kernel, initrds, args into the item or choice members given. */
static int get_files(struct rd *rd, int rules, char **kernel, char ***initrds, size_t *n,
		     char **args)
{
	int r = get_str(rd, DL_MENU_MAX_PATH, !rules, rules ? PATH | TEXT : ANY, kernel);
	uint32_t k = 0;
	if (r < 0 || (r = get_u32(rd, &k)) < 0)
		return r;
	if (k > DL_MENU_MAX_INITRDS)
		return bad(rd, "too many initrds");
	if (k) {
		*initrds = dl_calloc(k, sizeof(**initrds));
		for (uint32_t i = 0; i < k; i++) {
			if ((r = get_str(rd, DL_MENU_MAX_PATH, false, rules ? PATH | TEXT : ANY,
					 &(*initrds)[i])) < 0)
				return r;
			*n = i + 1;
		}
	}
	return get_str(rd, DL_MENU_MAX_ARGS, false, rules ? TEXT : ANY, args);
}

static int get_item(struct rd *rd, size_t i, struct dl_menu_item *it)
{
	char *title = NULL, *kernel = NULL, *args = NULL, **initrds = NULL;
	uint32_t flags = 0;
	int r = get_str(rd, DL_MENU_MAX_TITLE, false, ANY, &title);
	it->title = title;
	if (r < 0 || (r = get_i32(rd, -1, (int)i - 1, &it->parent)) < 0 ||
	    (r = get_u32(rd, &flags)) < 0)
		return r;
	if (flags & ~(F_SUBMENU | F_BOOTABLE))
		return bad(rd, "unknown item flags");
	it->submenu = flags & F_SUBMENU;
	it->bootable = flags & F_BOOTABLE;
	r = get_files(rd, ANY, &kernel, &initrds, &it->ninitrds, &args);
	it->kernel = kernel;
	it->initrds = (const char *const *)initrds;
	it->args = args;
	return r;
}

static int get_menu(struct rd *rd, struct dl_menu *m)
{
	uint32_t magic = 0, n = 0, style = 0, locked = 0;
	int r;
	if ((r = get_u32(rd, &magic)) < 0 || (r = get_u32(rd, &n)) < 0)
		return r;
	if (magic != MAGIC_MENU)
		return bad(rd, "not a menu");
	if (n == 0 || n > DL_MENU_MAX_ITEMS)
		return bad(rd, "no entries, or too many");
	if ((r = get_i32(rd, 0, (int)n - 1, &m->def)) < 0 ||
	    (r = get_i32(rd, -1, DL_MENU_MAX_TIMEOUT, &m->timeout_s)) < 0 ||
	    (r = get_u32(rd, &style)) < 0 || (r = get_u32(rd, &locked)) < 0)
		return r;
	if (style > DL_MENU_HIDDEN || locked > 1)
		return bad(rd, "a style or lock out of range");
	m->style = (enum dl_menu_style)style;
	m->locked = locked;
	char *tl = NULL;
	r = get_str(rd, DL_MENU_MAX_TITLE, true, ANY, &tl);
	m->title_line = tl;
	if (r < 0)
		return r;
	struct dl_menu_item *items = dl_calloc(n, sizeof(*items));
	m->items = items;
	for (uint32_t i = 0; i < n; i++) {
		m->n = i + 1;
		if ((r = get_item(rd, i, &items[i])) < 0)
			return r;
	}
	return rd->left ? bad(rd, "bytes after the end") : 0;
}

int dl_menu_unpack(const uint8_t *p, size_t len, struct dl_menu *out, struct dl_error *err)
{
	struct rd rd = { p, len, "menu", err };
	*out = (struct dl_menu){ .def = -1 };
	int r = len > DL_MENU_WIRE_MAX ? bad(&rd, "too large") : get_menu(&rd, out);
	if (r == 0 && dl_menu_check(out, err) < 0)
		r = dl_err_errno(err);
	if (r < 0)
		dl_menu_free(out);
	return r;
}

int dl_menu_choice_unpack(const uint8_t *p, size_t len, size_t nitems, struct dl_menu_choice *out,
			  struct dl_error *err)
{
	struct rd rd = { p, len, "menu answer", err };
	uint32_t magic = 0, edited = 0;
	*out = (struct dl_menu_choice){ .index = -1 };
	int r = get_u32(&rd, &magic);
	if (r == 0 && magic != MAGIC_CHOICE)
		r = bad(&rd, "not a choice");
	if (r == 0)
		r = get_i32(&rd, -1, (int)DL_MIN(nitems, (size_t)DL_MENU_MAX_ITEMS) - 1, &out->index);
	if (r == 0 && (r = get_u32(&rd, &edited)) == 0 && (edited > 1 || (out->index < 0 && !edited)))
		r = bad(&rd, "an edited flag out of range");
	out->edited = edited;
	if (r == 0)
		r = get_files(&rd, edited ? TEXT : ANY, &out->kernel, &out->initrds, &out->ninitrds,
			      &out->args);
	if (r == 0 && !edited && (out->kernel || out->ninitrds || out->args[0]))
		r = bad(&rd, "files with an entry chosen as it is");
	if (r == 0 && rd.left)
		r = bad(&rd, "bytes after the end");
	if (r < 0)
		dl_menu_choice_free(out);
	return r;
}
