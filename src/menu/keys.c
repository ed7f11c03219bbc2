/* Key decoding: the bytes a VT100, xterm, the Linux console or tmux send
 * for a key.  A table of sequences is all terminfo would add here, and the
 * terminal we are given says only "vt100". */
#include "menu/internal.h"

#include <string.h>

#define SEQ_MAX 24   /* longer "sequences" are noise, dropped */

/* ESC [ ... ~ and ESC [ ... letter with the first parameter p. */
static int csi_key(int final, int p)
{
	switch (final) {
	case 'A': return DL_KEY_UP;
	case 'B': return DL_KEY_DOWN;
	case 'C': return DL_KEY_RIGHT;
	case 'D': return DL_KEY_LEFT;
	case 'H': return DL_KEY_HOME;
	case 'F': return DL_KEY_END;
	case 'P': case 'Q': case 'R': case 'S':   /* ESC [ 1 ; 2 P: modified F1-F4 */
		return DL_KEY_F(1 + final - 'P');
	case '~':
		switch (p) {
		case 1: case 7: return DL_KEY_HOME;
		case 2: return DL_KEY_INSERT;
		case 3: return DL_KEY_DELETE;
		case 4: case 8: return DL_KEY_END;
		case 5: return DL_KEY_PGUP;
		case 6: return DL_KEY_PGDN;
		case 11: case 12: case 13: case 14: case 15: return DL_KEY_F(p - 10);
		case 17: case 18: case 19: case 20: case 21: return DL_KEY_F(p - 11);
		case 23: case 24: return DL_KEY_F(p - 12);
		}
	}
	return DL_KEY_NONE;
}

/* ESC O x (SS3): the keypad in application mode and F1-F4. */
static int ss3_key(int final)
{
	switch (final) {
	case 'M': return DL_KEY_ENTER;
	case 'P': case 'Q': case 'R': case 'S': return DL_KEY_F(1 + final - 'P');
	default: return csi_key(final, 0);
	}
}

static size_t escape(const unsigned char *b, size_t len, bool pause, int *key)
{
	*key = DL_KEY_NONE;
	if (len == 1) {
		if (!pause)
			return 0;
		*key = DL_KEY_ESC;
		return 1;
	}
	if (b[1] != '[' && b[1] != 'O') {   /* ESC ESC, Alt-x: an Esc, then the rest */
		*key = DL_KEY_ESC;
		return 1;
	}
	if (b[1] == '[' && len >= 3 && b[2] == '[') {   /* Linux console F1-F5: ESC [ [ A */
		if (len == 3)
			return pause ? 3 : 0;
		if (b[3] >= 'A' && b[3] <= 'E')
			*key = DL_KEY_F(1 + b[3] - 'A');
		return 4;
	}
	/* ESC [ or ESC O, parameter bytes 0x30-0x3f, intermediates 0x20-0x2f,
	 * a final byte 0x40-0x7e (ECMA-48). */
	int p = 0;
	bool first = true;
	for (size_t i = 2; i < len; i++) {
		unsigned char c = b[i];
		if (c >= 0x40 && c <= 0x7e) {
			*key = b[1] == 'O' ? ss3_key(c) : csi_key(c, p);
			return i + 1;
		}
		if (c < 0x20 || c > 0x3f)
			return i;       /* broken off: drop what came, decode c afresh */
		if (i + 1 >= SEQ_MAX)
			return i + 1;   /* noise */
		if (c == ';')
			first = false;
		else if (first && c >= '0' && c <= '9' && p < 1000)
			p = p * 10 + (c - '0');
	}
	return pause ? len : 0;
}

size_t dl_key_decode(const unsigned char *buf, size_t len, bool pause, int *key)
{
	*key = DL_KEY_NONE;
	if (!len)
		return 0;
	unsigned char c = buf[0];
	if (c == 0x1b)
		return escape(buf, len, pause, key);
	if (c == '\r' || c == '\n')
		*key = DL_KEY_ENTER;
	else if (c == 0x7f || c == 0x08)
		*key = DL_KEY_BACKSPACE;
	else if (c < 0x80)
		*key = c;           /* printable, or a control key (NUL is NONE) */
	return 1;                   /* bytes >= 0x80: nothing we take */
}

void dl_edit_init(struct dl_edit *e, const char *text, size_t max)
{
	size_t n = text ? strlen(text) : 0;
	e->buf = dl_malloc(DL_MAX(n, max) + 1);
	if (n)
		memcpy(e->buf, text, n);
	e->buf[n] = '\0';
	e->len = e->cur = n;
	e->max = max;
	e->scroll = 0;
}

void dl_edit_free(struct dl_edit *e)
{
	free(e->buf);
	*e = (struct dl_edit){ 0 };
}

static void cut(struct dl_edit *e, size_t from, size_t to)
{
	memmove(e->buf + from, e->buf + to, e->len - to + 1);
	e->len -= to - from;
	e->cur = from;
}

bool dl_edit_key(struct dl_edit *e, int key)
{
	switch (key) {
	case DL_KEY_LEFT: case DL_KEY_CTRL('b'):
		if (e->cur)
			e->cur--;
		return true;
	case DL_KEY_RIGHT: case DL_KEY_CTRL('f'):
		if (e->cur < e->len)
			e->cur++;
		return true;
	case DL_KEY_HOME: case DL_KEY_CTRL('a'):
		e->cur = 0;
		return true;
	case DL_KEY_END: case DL_KEY_CTRL('e'):
		e->cur = e->len;
		return true;
	case DL_KEY_BACKSPACE:
		if (e->cur)
			cut(e, e->cur - 1, e->cur);
		return true;
	case DL_KEY_DELETE: case DL_KEY_CTRL('d'):
		if (e->cur < e->len)
			cut(e, e->cur, e->cur + 1);
		return true;
	case DL_KEY_CTRL('u'):
		cut(e, 0, e->cur);
		return true;
	case DL_KEY_CTRL('k'):
		cut(e, e->cur, e->len);
		return true;
	}
	if (key < 0x20 || key > 0x7e)
		return false;
	if (e->len < e->max) {   /* the buffer holds max bytes, or the longer text it began with */
		memmove(e->buf + e->cur + 1, e->buf + e->cur, e->len - e->cur + 1);
		e->buf[e->cur++] = (char)key;
		e->len++;
	}
	return true;
}
