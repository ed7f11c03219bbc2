/* A small VT100 renderer instead of ncurses: libxl gives the bootloader
 * TERM=vt100 on a pty whose output is dropped past 4 KiB while nobody is
 * attached, so what matters is choosing exactly which bytes are written and
 * when (never block, hold back redraws the pty does not take, rewrite only
 * the rows that changed), which curses' blocking refresh() does not allow,
 * and a handful of VT100 sequences keeps a library and a terminfo lookup
 * out of a root process and the screen a pure function the tests check.
 *
 * Sequences used: CUP, EL, ED, SGR 0 and 7 (VT100), DECTCEM ?25 (VT220,
 * ignored by a VT100).  No row uses the last column, so no terminal's
 * auto-margin behaviour matters. */
#include "menu/internal.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#define REV "\033[7m"
#define SGR0 "\033[m"

static const char default_title[] = "domuloader boot menu";

/* Display width of a code point in a UTF-8 terminal, -1 if it is not
 * printable.  The process locale is the caller's business, so wcwidth
 * runs under a private C.UTF-8 locale. */
static int cp_width(uint32_t cp)
{
	static locale_t loc;
	static bool tried;
	if (!tried) {
		tried = true;
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	if (!loc || cp < 0xa0)
		return -1;   /* C1 controls, or no way to know */
	locale_t old = uselocale(loc);
	int w = wcwidth((wchar_t)cp);
	uselocale(old);
	return w;
}

int dl_menu_put(struct dl_sbuf *b, const char *s, int cols, bool utf8)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	int used = 0;
	while (*p && used < cols) {
		uint32_t cp;
		size_t n = *p < 0x80 ? 1 : dl_utf8_char(p, &cp);
		if (*p < 0x80) {
			dl_sbuf_addc(b, *p < 0x20 || *p == 0x7f ? '?' : (char)*p);
			used++;
			p++;
			continue;
		}
		int w = n && utf8 ? cp_width(cp) : -1;
		if (w == 1 || w == 2) {
			if (used + w > cols)
				break;
			dl_sbuf_add(b, p, n);
			used += w;
		} else {
			dl_sbuf_addc(b, '?');
			used++;
		}
		p += n ? n : 1;
	}
	return used;
}

/* --- rows --- */

struct screen {
	struct dl_frame *f;
	int w;                  /* usable columns: all but the last */
	bool utf8;
};

static void put_row(struct screen *sc, int r, struct dl_sbuf *b)
{
	if (r < 0 || r >= sc->f->rows) {
		dl_sbuf_free(b);
		return;
	}
	free(sc->f->row[r]);
	sc->f->row[r] = dl_sbuf_take(b);
}

/* prefix (ours, ASCII) then guest text; highlighted rows are reversed
 * to the full width, so that they show without colours. */
static void text_row(struct screen *sc, int r, const char *prefix, const char *text,
		     const char *suffix, bool hl)
{
	struct dl_sbuf b = { 0 };
	int w = sc->w;
	if (hl)
		dl_sbuf_adds(&b, REV);
	int used = dl_menu_put(&b, prefix, w, false);
	int slen = suffix ? (int)strlen(suffix) : 0;
	used += dl_menu_put(&b, text, DL_MAX(w - used - slen, 0), sc->utf8);
	if (suffix)
		used += dl_menu_put(&b, suffix, w - used, false);
	if (hl) {
		for (; used < w; used++)
			dl_sbuf_addc(&b, ' ');
		dl_sbuf_adds(&b, SGR0);
	}
	put_row(sc, r, &b);
}

/* The line editor on row r after prompt: a '<' or '>' marks text that is
 * scrolled out; the cursor goes with it. */
static void edit_row(struct screen *sc, int r, const char *prompt, struct dl_edit *e)
{
	struct dl_sbuf b = { 0 };
	int plen = (int)strlen(prompt);
	if (sc->w - plen < 8)
		plen = 0;
	int mark = sc->w - plen >= 4;   /* the marker columns, when there is room */
	size_t w = (size_t)(sc->w - plen - 2 * mark);
	if (e->cur < e->scroll || e->cur >= e->scroll + w)
		e->scroll = e->cur > w / 2 ? e->cur - w / 2 : 0;   /* recentre */
	if (e->scroll && e->len + 1 - e->scroll < w)
		e->scroll = e->len + 1 > w ? e->len + 1 - w : 0;   /* no room wasted */
	dl_sbuf_add(&b, prompt, (size_t)plen);
	if (mark)
		dl_sbuf_addc(&b, e->scroll ? '<' : ' ');
	size_t end = DL_MIN(e->len, e->scroll + w);
	for (size_t i = e->scroll; i < end; i++) {
		unsigned char c = (unsigned char)e->buf[i];
		dl_sbuf_addc(&b, c >= 0x20 && c < 0x7f ? (char)c : '?');
	}
	if (mark && end < e->len)
		dl_sbuf_addc(&b, '>');
	put_row(sc, r, &b);
	sc->f->cur_row = r;
	sc->f->cur_col = plen + mark + (int)(e->cur - e->scroll);
}

/* Rows of a screen: title, subtitle, body, a blank and help lines, a
 * status line; the small parts go first when the terminal is small. */
struct layout {
	int title, sub, body, nbody, help, status;
};

static struct layout layout(int rows, int nhelp)
{
	struct layout l = { .title = -1, .sub = -1, .help = -1, .status = -1 };
	int first = 0, end = rows;
	if (rows >= 2)
		l.status = --end;
	if (rows >= 4)
		l.title = first++;
	if (rows >= 7)
		l.sub = first++;
	if (nhelp && end - first - (nhelp + 1) >= 4) {
		end -= nhelp + 1;
		l.help = end + 1;
	}
	l.body = first;
	l.nbody = end - first;
	return l;
}

static void help_rows(struct screen *sc, const struct layout *l, const char *const *help, int n)
{
	for (int i = 0; l->help >= 0 && i < n; i++)
		text_row(sc, l->help + i, "      ", help[i], NULL, false);
}

/* Keep position pos visible in a list of n rows starting at *top. */
static void scroll_to(int *top, int pos, int count, int n)
{
	if (pos < *top)
		*top = pos;
	if (pos >= *top + n)
		*top = pos - n + 1;
	if (*top > count - n)
		*top = DL_MAX(count - n, 0);
}

static const char *title_of(const struct dl_mstate *s, int i)
{
	const char *t = s->m->items[i].title;
	return t ? t : "";
}

/* --- screens --- */

static const char *const menu_help[] = {
	"Use the Up and Down keys to select which entry is highlighted.",
	"Press Enter to boot the selected entry, 'e' to edit it, 'a' to modify",
	"the kernel command line, or 'c' for a command line.",
	"Press Esc or Left to go back to the previous menu.",
};

static void draw_menu(struct dl_mstate *s, struct screen *sc)
{
	const struct dl_menu *m = s->m;
	int nhelp = s->level >= 0 ? 4 : 3;
	struct layout l = layout(sc->f->rows, nhelp);
	text_row(sc, l.title, "  ", m->title_line ? m->title_line : default_title, NULL, false);
	if (s->level >= 0) {
		/* The path of submenus, innermost last, cut from the left. */
		struct dl_sbuf b = { 0 };
		int chain[32], n = 0;
		for (int i = s->level; i >= 0 && n < 32; i = m->items[i].parent)
			chain[n++] = i;
		dl_sbuf_adds(&b, "  ");
		for (int k = n - 1; k >= 0; k--) {
			dl_sbuf_adds(&b, title_of(s, chain[k]));
			if (k)
				dl_sbuf_adds(&b, " > ");
		}
		text_row(sc, l.sub, "", b.p, NULL, false);
		dl_sbuf_free(&b);
	}
	int count = 0, pos = 0;
	for (size_t i = 0; i < m->n; i++)
		if (m->items[i].parent == s->level) {
			if ((int)i == s->sel)
				pos = count;
			count++;
		}
	s->page = l.nbody;
	scroll_to(&s->top, pos, count, l.nbody);
	int k = 0;
	for (size_t i = 0; i < m->n; i++) {
		if (m->items[i].parent != s->level)
			continue;
		int r = k++ - s->top;
		if (r < 0 || r >= l.nbody)
			continue;
		bool hl = (int)i == s->sel;
		text_row(sc, l.body + r, hl ? "  * " : "    ", title_of(s, (int)i),
			 m->items[i].submenu ? " >" : NULL, hl);
	}
	help_rows(sc, &l, menu_help, nhelp);
	char line[64];
	const char *status = s->msg;
	if (s->counting) {
		snprintf(line, sizeof(line), "Will boot selected entry in %d seconds", s->secs);
		status = line;
	}
	text_row(sc, l.status, "  ", status, NULL, false);
}

static const char *const append_help[] = {
	"Press Enter to boot with this command line, or Esc to go back.",
	"Left/Right, Home/End, Backspace/Delete, Ctrl-U/Ctrl-K edit the line.",
};

static void draw_append(struct dl_mstate *s, struct screen *sc)
{
	struct layout l = layout(sc->f->rows, 2);
	text_row(sc, l.title, "  ", s->m->title_line ? s->m->title_line : default_title, NULL, false);
	text_row(sc, l.sub, "  The kernel command line of: ", title_of(s, s->sel), NULL, false);
	edit_row(sc, l.body + (l.nbody > 2 ? 1 : 0), "grub append> ", &s->ed);
	help_rows(sc, &l, append_help, 2);
	text_row(sc, l.status, "  ", s->msg, NULL, false);
}

static const char *const edit_help[] = {
	"Use the Up and Down keys to select a line. Press 'b' to boot, 'e' to",
	"edit the selected line, 'o' or 'O' to open a new line after or before",
	"it, 'd' to delete it, or Esc to go back to the menu.",
};
static const char *const editline_help[] = {
	"Press Enter to accept the line, or Esc to cancel. Left/Right, Home/End,",
	"Backspace/Delete, Ctrl-U and Ctrl-K edit it.",
};

static void draw_edit(struct dl_mstate *s, struct screen *sc)
{
	bool line = s->mode == DL_MM_EDITLINE;
	struct layout l = layout(sc->f->rows, line ? 2 : 3);
	text_row(sc, l.title, "  ", s->m->title_line ? s->m->title_line : default_title, NULL, false);
	text_row(sc, l.sub, "  Editing: ", title_of(s, s->sel), NULL, false);
	scroll_to(&s->ltop, s->lsel, (int)s->nlines, l.nbody);
	for (int r = 0; r < l.nbody && (size_t)(s->ltop + r) < s->nlines; r++) {
		int i = s->ltop + r;
		if (line && i == s->lsel)
			edit_row(sc, l.body + r, "   ", &s->ed);
		else
			text_row(sc, l.body + r, i == s->lsel ? "  * " : "    ", s->lines[i], NULL,
				 i == s->lsel);
	}
	if (!s->nlines)
		text_row(sc, l.body, "    (no lines: 'o' opens one)", NULL, NULL, false);
	if (line)
		help_rows(sc, &l, editline_help, 2);
	else
		help_rows(sc, &l, edit_help, 3);
	text_row(sc, l.status, "  ", s->msg, NULL, false);
}

static void draw_cmd(struct dl_mstate *s, struct screen *sc)
{
	struct layout l = layout(sc->f->rows, 0);
	text_row(sc, l.title, "  ", s->m->title_line ? s->m->title_line : default_title, NULL, false);
	text_row(sc, l.sub, "  Commands: linux, initrd, boot, ls, help.  Esc goes back to the menu.",
		 NULL, NULL, false);
	int n = l.nbody;
	size_t first = s->nsb > (size_t)n ? s->nsb - (size_t)n : 0;
	for (size_t i = first; i < s->nsb; i++)
		text_row(sc, l.body + (int)(i - first), "", s->sb[i], NULL, false);
	edit_row(sc, l.status >= 0 ? l.status : l.body, "grub> ", &s->ed);
}

void dl_menu_draw(struct dl_mstate *s, int rows, int cols, struct dl_frame *f)
{
	rows = DL_MAX(1, DL_MIN(rows, DL_MENU_MAX_ROWS));
	cols = DL_MAX(1, DL_MIN(cols, DL_MENU_MAX_COLS));
	*f = (struct dl_frame){ .rows = rows, .cols = cols, .cur_row = -1 };
	if (s->mode == DL_MM_WAIT) {
		if (s->m->style != DL_MENU_COUNTDOWN)
			return;
		f->kind = DL_FRAME_LINE;
		f->rows = 1;
		f->row = dl_calloc(1, sizeof(*f->row));
		char line[96];
		snprintf(line, sizeof(line), "Will boot default entry in %d seconds; press Esc for the menu",
			 s->secs);
		struct dl_sbuf b = { 0 };
		dl_menu_put(&b, line, cols > 1 ? cols - 1 : 1, false);
		f->row[0] = dl_sbuf_take(&b);
		return;
	}
	f->kind = DL_FRAME_SCREEN;
	f->row = dl_calloc((size_t)rows, sizeof(*f->row));
	for (int r = 0; r < rows; r++)
		f->row[r] = dl_strdup("");
	struct screen sc = { .f = f, .w = cols > 1 ? cols - 1 : 1, .utf8 = s->utf8 };
	switch (s->mode) {
	case DL_MM_APPEND: draw_append(s, &sc); break;
	case DL_MM_EDIT: case DL_MM_EDITLINE: draw_edit(s, &sc); break;
	case DL_MM_CMD: draw_cmd(s, &sc); break;
	default: draw_menu(s, &sc); break;
	}
}

void dl_frame_free(struct dl_frame *f)
{
	for (int r = 0; f->row && r < f->rows; r++)
		free(f->row[r]);
	free(f->row);
	*f = (struct dl_frame){ .cur_row = -1 };
}

/* --- bytes --- */

static void cup(struct dl_sbuf *o, int r, int c)
{
	if (c)
		dl_sbuf_printf(o, "\033[%d;%dH", r + 1, c + 1);
	else if (r)
		dl_sbuf_printf(o, "\033[%dH", r + 1);
	else
		dl_sbuf_adds(o, "\033[H");
}

void dl_frame_diff(const struct dl_frame *old, const struct dl_frame *new, struct dl_sbuf *o)
{
	if (new->kind == DL_FRAME_NONE)
		return;
	if (new->kind == DL_FRAME_LINE) {
		if (!old || old->kind != DL_FRAME_LINE || strcmp(old->row[0], new->row[0])) {
			dl_sbuf_addc(o, '\r');
			dl_sbuf_adds(o, new->row[0]);
			dl_sbuf_adds(o, "\033[K");
		}
		return;
	}
	bool full = !old || old->kind != DL_FRAME_SCREEN || old->rows != new->rows ||
		    old->cols != new->cols;
	bool wrote = full;
	if (full) {
		dl_sbuf_adds(o, SGR0 "\033[?25l\033[H\033[2J");
		for (int r = 0; r < new->rows; r++)
			if (*new->row[r]) {
				cup(o, r, 0);
				dl_sbuf_adds(o, new->row[r]);
			}
	} else {
		for (int r = 0; r < new->rows; r++)
			if (strcmp(old->row[r], new->row[r])) {
				cup(o, r, 0);
				dl_sbuf_adds(o, new->row[r]);
				dl_sbuf_adds(o, "\033[K");
				wrote = true;
			}
	}
	bool was_shown = !full && old->cur_row >= 0;
	if (new->cur_row >= 0) {
		if (wrote || !was_shown || old->cur_row != new->cur_row || old->cur_col != new->cur_col)
			cup(o, new->cur_row, new->cur_col);
		if (!was_shown)
			dl_sbuf_adds(o, "\033[?25h");
	} else if (was_shown) {
		dl_sbuf_adds(o, "\033[?25l");
	}
}

void dl_frame_exit(const struct dl_frame *f, struct dl_sbuf *o)
{
	if (!f || f->kind == DL_FRAME_NONE)
		return;
	if (f->kind == DL_FRAME_SCREEN)
		cup(o, f->rows - 1, 0);
	dl_sbuf_adds(o, SGR0 "\033[?25h\r\n");
}
