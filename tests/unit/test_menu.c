/* The boot menu's state machine (tree navigation, countdown, styles, 'a',
 * 'e', 'c', caps), its renderer (escaping of guest text, frames, the bytes
 * between frames), the converter from a parsed configuration, and
 * dl_menu_run on pipes: a full output that never drains, input closed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <locale.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

#define FAKE_FIXTURES
#define FAKE_SELF "hd0,gpt2"
#include "fake_io.h"
#include "menu/internal.h"

static const char *const ird[] = { "/initrd-1" };
/* 0 A, 1 [Sub], 2   B, 3   [Sub2], 4     C, 5   D, 6 E (not bootable), 7 F */
static const struct dl_menu_item items[] = {
	{ "A", -1, false, true, "/vmlinuz-1", ird, 1, "root=/dev/xvda1 ro" },
	{ "Sub", -1, true, false, NULL, NULL, 0, NULL },
	{ "B", 1, false, true, "/vmlinuz-2", NULL, 0, "b" },
	{ "Sub2", 1, true, false, NULL, NULL, 0, NULL },
	{ "C", 3, false, true, "/vmlinuz-3", NULL, 0, NULL },
	{ "D", 1, false, true, "/vmlinuz-4", NULL, 0, "d" },
	{ "E", -1, false, false, NULL, NULL, 0, NULL },
	{ "F", -1, false, true, "/vmlinuz-6", NULL, 0, "f" },
};

static struct dl_menu menu(int def, int timeout, enum dl_menu_style style)
{
	return (struct dl_menu){ .items = items, .n = DL_ARRAY_SIZE(items), .def = def,
				 .timeout_s = timeout, .style = style };
}

static struct dl_mstate S;

static void start(const struct dl_menu *m, const struct dl_menu_ops *ops)
{
	struct dl_error e = { 0 };
	if (dl_mstate_init(&S, m, ops, true, 1000, &e) < 0)
		fail_msg("%s", e.msg);
}

/* Feed bytes, then the pause (a lone Esc is an Esc). */
static bool feed(const char *s)
{
	return dl_mstate_feed(&S, s, strlen(s), 2000) || dl_mstate_pause(&S, 2200);
}

static void done_with(int index, bool edited, const char *kernel, const char *args)
{
	assert_true(S.done);
	assert_int_equal(S.choice.index, index);
	assert_int_equal(S.choice.edited, edited);
	assert_string_equal(S.choice.kernel, kernel);
	assert_string_equal(S.choice.args, args);
}

static int teardown_state(void **st)
{
	(void)st;
	dl_mstate_free(&S);
	return 0;
}

static void test_check(void **st)
{
	(void)st;
	struct dl_error e = { 0 };
	struct dl_menu m = menu(0, 5, DL_MENU_SHOW);
	assert_int_equal(dl_menu_check(&m, &e), 0);
	m.def = 1;   /* a submenu */
	assert_int_equal(dl_menu_check(&m, &e), -EINVAL);
	dl_error_clear(&e);
	m.def = 6;   /* not bootable */
	assert_int_equal(dl_menu_check(&m, &e), -EINVAL);
	struct dl_menu_item bad[] = { { "x", -1, false, true, "/k", NULL, 0, NULL },
				      { "y", 0, false, true, "/k", NULL, 0, NULL } };
	struct dl_menu m2 = { .items = bad, .n = 2, .def = 0, .timeout_s = 1 };
	dl_error_clear(&e);
	assert_int_equal(dl_menu_check(&m2, &e), -EINVAL);   /* parent is not a submenu */
	assert_non_null(strstr(e.msg, "entry 1"));
	bad[1].parent = 1;                               /* itself */
	assert_int_equal(dl_menu_check(&m2, &e), -EINVAL);
	bad[1].parent = -1;
	bad[1].kernel = NULL;                            /* bootable without a kernel */
	assert_int_equal(dl_menu_check(&m2, &e), -EINVAL);
}

static void test_tree(void **st)
{
	(void)st;
	struct dl_menu m = menu(4, -1, DL_MENU_SHOW);
	start(&m, NULL);
	/* a default in a nested submenu opens it */
	assert_int_equal(S.level, 3);
	assert_int_equal(S.sel, 4);
	feed("\033");                     /* Esc: up to Sub, Sub2 highlighted */
	assert_int_equal(S.level, 1);
	assert_int_equal(S.sel, 3);
	feed("k");                        /* siblings only: B */
	assert_int_equal(S.sel, 2);
	feed("j\033[B");                  /* Sub2, then D: C is not a sibling */
	assert_int_equal(S.sel, 5);
	feed("\033[B");                   /* the last stays */
	assert_int_equal(S.sel, 5);
	feed("\033[D");                   /* Left: up to the top, Sub highlighted */
	assert_int_equal(S.level, -1);
	assert_int_equal(S.sel, 1);
	feed("\033[D\033");               /* nothing above the top */
	assert_int_equal(S.level, -1);
	feed("\033[F");                   /* End: F */
	assert_int_equal(S.sel, 7);
	feed("\033[H\033[B\033[C");       /* Home, Down, Right: into Sub at B */
	assert_int_equal(S.level, 1);
	assert_int_equal(S.sel, 2);
	feed("\033OB\r");                 /* Enter on a submenu opens it */
	assert_int_equal(S.level, 3);
	assert_int_equal(S.sel, 4);
	assert_false(S.done);
	feed("\r");
	done_with(4, false, "/vmlinuz-3", "");
}

static void test_not_bootable(void **st)
{
	(void)st;
	struct dl_menu m = menu(7, -1, DL_MENU_SHOW);
	start(&m, NULL);
	feed("k\r");                      /* E cannot boot: a message, no choice */
	assert_false(S.done);
	assert_non_null(strstr(S.msg, "cannot be booted"));
	feed("a");                        /* nor be appended to */
	assert_int_equal(S.mode, DL_MM_MENU);
	feed("k");                        /* a key clears the message */
	assert_string_equal(S.msg, "");
	assert_int_equal(S.sel, 1);
	feed("k\033[C\r");                /* Right on a leaf does nothing; Enter boots */
	done_with(0, false, "/vmlinuz-1", "root=/dev/xvda1 ro");
	assert_int_equal(S.choice.ninitrds, 1);
	assert_string_equal(S.choice.initrds[0], "/initrd-1");
}

static void test_countdown(void **st)
{
	(void)st;
	struct dl_menu m = menu(7, 3, DL_MENU_SHOW);
	start(&m, NULL);                  /* at t=1000: the deadline is 4000 */
	assert_true(S.counting);
	assert_false(dl_mstate_tick(&S, 1000));
	assert_int_equal(S.secs, 3);
	assert_int_equal(dl_mstate_wait(&S, 1000), 1000);
	assert_false(dl_mstate_tick(&S, 2001));
	assert_int_equal(S.secs, 2);
	assert_int_equal(dl_mstate_wait(&S, 2001), 999);
	assert_false(dl_mstate_tick(&S, 3999));
	assert_int_equal(S.secs, 1);
	assert_int_equal(dl_mstate_wait(&S, 3999), 1);
	assert_true(dl_mstate_tick(&S, 4000));
	done_with(7, false, "/vmlinuz-6", "f");
	dl_mstate_free(&S);

	/* any byte stops it, even the start of a sequence, and the next
	 * frame is whole (someone just attached) */
	start(&m, NULL);
	S.full = false;
	assert_false(dl_mstate_feed(&S, "\033", 1, 1500));
	assert_false(S.counting);
	assert_true(S.full);
	assert_int_equal(dl_mstate_wait(&S, 1500), -1);
	assert_false(dl_mstate_tick(&S, 99999));
	dl_mstate_free(&S);

	/* timeout 0 boots at the first tick; -1 never */
	m.timeout_s = 0;
	start(&m, NULL);
	assert_true(dl_mstate_tick(&S, 1000));
	dl_mstate_free(&S);
	m.timeout_s = -1;
	start(&m, NULL);
	assert_false(S.counting);
	assert_false(dl_mstate_tick(&S, 1u << 30));
}

static void test_styles(void **st)
{
	(void)st;
	struct dl_menu m = menu(0, 10, DL_MENU_HIDDEN);
	start(&m, NULL);
	assert_int_equal(S.mode, DL_MM_WAIT);
	feed("xj\r ");                    /* GRUB: only Esc and F4 interrupt */
	assert_int_equal(S.mode, DL_MM_WAIT);
	assert_true(S.counting);
	feed("\033");
	assert_int_equal(S.mode, DL_MM_MENU);
	assert_false(S.counting);         /* the menu shows without a countdown */
	dl_mstate_free(&S);

	m.style = DL_MENU_COUNTDOWN;
	start(&m, NULL);
	feed("\033[B");                   /* an arrow shows the menu and moves */
	assert_int_equal(S.mode, DL_MM_MENU);
	assert_int_equal(S.sel, 1);
	dl_mstate_free(&S);

	start(&m, NULL);
	feed("\033OS");                   /* F4 */
	assert_int_equal(S.mode, DL_MM_MENU);
	dl_mstate_free(&S);

	start(&m, NULL);                  /* the countdown expires unseen */
	assert_true(dl_mstate_tick(&S, 11000));
	done_with(0, false, "/vmlinuz-1", "root=/dev/xvda1 ro");
	dl_mstate_free(&S);

	m.timeout_s = -1;                 /* no timeout: the menu, as GRUB */
	start(&m, NULL);
	assert_int_equal(S.mode, DL_MM_MENU);
}

static void test_append(void **st)
{
	(void)st;
	struct dl_menu m = menu(0, 5, DL_MENU_SHOW);
	start(&m, NULL);
	feed("a");
	assert_int_equal(S.mode, DL_MM_APPEND);
	assert_string_equal(S.ed.buf, "root=/dev/xvda1 ro");
	feed(" x\033");                   /* Esc: back, nothing kept */
	assert_int_equal(S.mode, DL_MM_MENU);
	feed("a\033[4~ single\r");
	done_with(0, true, "/vmlinuz-1", "root=/dev/xvda1 ro single");
	assert_int_equal(S.choice.ninitrds, 1);
	dl_mstate_free(&S);

	/* unchanged is not edited */
	start(&m, NULL);
	feed("a\r");
	done_with(0, false, "/vmlinuz-1", "root=/dev/xvda1 ro");
}

static void test_append_caps(void **st)
{
	(void)st;
	/* Guest args with a control character: passed as they are unless
	 * edited; an edit must remove it. */
	struct dl_menu_item it[] = { { "T", -1, false, true, "/k", NULL, 0, "a\tb" } };
	struct dl_menu m = { .items = it, .n = 1, .def = 0, .timeout_s = 5 };
	start(&m, NULL);
	feed("ax\r");
	assert_false(S.done);
	assert_non_null(strstr(S.msg, "control characters"));
	feed("\033[H\033[C\033[3~\r");    /* delete the tab */
	done_with(0, true, "/k", "abx");
	dl_mstate_free(&S);

	/* the editor stops at DL_MENU_MAX_ARGS */
	start(&m, NULL);
	feed("a\025");
	char *big = malloc(DL_MENU_MAX_ARGS + 100);
	memset(big, 'y', DL_MENU_MAX_ARGS + 99);
	big[DL_MENU_MAX_ARGS + 99] = '\0';
	dl_mstate_feed(&S, big, strlen(big), 3000);
	free(big);
	assert_int_equal(S.ed.len, DL_MENU_MAX_ARGS);
	feed("\r");
	assert_true(S.done);
	assert_int_equal(strlen(S.choice.args), DL_MENU_MAX_ARGS);
}

static void test_edit_entry(void **st)
{
	(void)st;
	struct dl_menu m = menu(0, 5, DL_MENU_SHOW);
	start(&m, NULL);
	feed("e");
	assert_int_equal(S.mode, DL_MM_EDIT);
	assert_int_equal(S.nlines, 2);
	assert_string_equal(S.lines[0], "linux /vmlinuz-1 root=/dev/xvda1 ro");
	assert_string_equal(S.lines[1], "initrd /initrd-1");
	/* edit the path: Home, 6 x Right, Ctrl-K, type */
	feed("e\001\033[C\033[C\033[C\033[C\033[C\033[C\013/vmlinuz-old quiet\r");
	assert_int_equal(S.mode, DL_MM_EDIT);
	assert_string_equal(S.lines[0], "linux /vmlinuz-old quiet");
	/* open a line after the last, then cancel it */
	feed("jo");
	assert_int_equal(S.mode, DL_MM_EDITLINE);
	assert_int_equal(S.nlines, 3);
	feed("initrd /x\033");
	assert_int_equal(S.nlines, 2);
	/* open one before the first, keep it */
	feed("kkO# comment\r");
	assert_int_equal(S.nlines, 3);
	assert_string_equal(S.lines[0], "# comment");
	/* delete the initrd line, boot */
	feed("jjd");
	assert_int_equal(S.nlines, 2);
	assert_int_equal(S.lsel, 1);
	feed("b");
	done_with(0, true, "/vmlinuz-old", "quiet");
	assert_int_equal(S.choice.ninitrds, 0);
	dl_mstate_free(&S);

	/* booting the lines unchanged is not an edit; Ctrl-X boots too */
	start(&m, NULL);
	feed("e\030");
	done_with(0, false, "/vmlinuz-1", "root=/dev/xvda1 ro");
	dl_mstate_free(&S);

	/* errors keep the editor */
	start(&m, NULL);
	feed("ed");
	feed("b");
	assert_false(S.done);
	assert_non_null(strstr(S.msg, "no linux line"));
	feed("O");
	feed("search --file /x\r");
	feed("b");
	assert_false(S.done);
	assert_non_null(strstr(S.msg, "line 1"));
	feed("\033");                     /* Esc: back to the menu, edits dropped */
	assert_int_equal(S.mode, DL_MM_MENU);
	assert_int_equal(S.nlines, 0);
	dl_mstate_free(&S);

	/* a chainloader entry can be edited into something bootable */
	struct dl_menu m2 = menu(7, 5, DL_MENU_SHOW);
	start(&m2, NULL);
	feed("ke");
	assert_int_equal(S.nlines, 0);
	feed("olinux /vmlinuz-7\rb");
	done_with(6, true, "/vmlinuz-7", "");
}

static int fake_ls(void *ctx, const char *path, char **text, struct dl_error *err)
{
	int *calls = ctx;
	(*calls)++;
	if (!path) {
		*text = dl_strdup("(hd0) (hd0,gpt1)\n");
		return 0;
	}
	if (!strcmp(path, "/boot")) {
		*text = dl_strdup("vmlinuz-1\nbad\033]0;x\007name\n");
		return 0;
	}
	return dl_fail(err, DL_ENOTFOUND, "%s: no such directory", path);
}

static bool sb_has(const char *s)
{
	for (size_t i = 0; i < S.nsb; i++)
		if (!strcmp(S.sb[i], s))
			return true;
	return false;
}

static void test_cmdline(void **st)
{
	(void)st;
	int calls = 0;
	struct dl_menu_ops ops = { .ctx = &calls, .ls = fake_ls };
	struct dl_menu m = menu(0, 5, DL_MENU_SHOW);
	start(&m, &ops);
	feed("c");
	assert_int_equal(S.mode, DL_MM_CMD);
	feed("boot\r");
	assert_false(S.done);
	assert_true(sb_has("error: you need to load the kernel first."));
	feed("ls\rls /boot\rls /nope\r");
	assert_int_equal(calls, 3);
	assert_true(sb_has("(hd0) (hd0,gpt1)"));
	assert_true(sb_has("vmlinuz-1"));
	assert_true(sb_has("error: /nope: no such directory"));
	feed("frobnicate\r");
	assert_true(sb_has("error: can't find command `frobnicate'."));
	feed("help\r");
	assert_true(S.nsb > 8);
	feed("\033");                     /* back to the menu and in again */
	assert_int_equal(S.mode, DL_MM_MENU);
	feed("clinux /vmlinuz-X root=/dev/xvda2\rinitrd /i1 /i2\rboot\r");
	done_with(-1, true, "/vmlinuz-X", "root=/dev/xvda2");
	assert_int_equal(S.choice.ninitrds, 2);
	assert_string_equal(S.choice.initrds[1], "/i2");
	dl_mstate_free(&S);

	/* no ops: ls says so; the scrollback is bounded */
	start(&m, NULL);
	feed("c");
	for (int i = 0; i < DL_MENU_SCROLLBACK; i++)
		feed("ls\r");
	assert_int_equal(S.nsb, DL_MENU_SCROLLBACK);
	assert_true(sb_has("error: ls: no filesystem to list here."));
}

static void test_locked(void **st)
{
	(void)st;
	struct dl_menu m = menu(0, 5, DL_MENU_SHOW);
	m.locked = true;
	start(&m, NULL);
	feed("e");
	feed("a");
	feed("c");
	assert_int_equal(S.mode, DL_MM_MENU);
	assert_non_null(strstr(S.msg, "disabled"));
	feed("\r");
	done_with(0, false, "/vmlinuz-1", "root=/dev/xvda1 ro");
}

/* --- rendering --- */

static char *put(const char *s, int cols, bool utf8)
{
	struct dl_sbuf b = { 0 };
	int used = dl_menu_put(&b, s, cols, utf8);
	assert_true(used <= cols);
	return dl_sbuf_take(&b);
}

#define PUT(s, cols, utf8, want) do { \
		char *p_ = put(s, cols, utf8); \
		assert_string_equal(p_, want); \
		free(p_); \
	} while (0)

static void test_put(void **st)
{
	(void)st;
	PUT("plain", 80, false, "plain");
	PUT("plain", 3, false, "pla");
	/* control bytes, DEL, invalid UTF-8, C1 controls: one '?' each */
	PUT("a\033[2Jb\x07\x7f", 80, true, "a?[2Jb??");
	PUT("x\xff\xfe\xc3", 80, true, "x???");
	PUT("\xc2\x9b" "31m", 80, true, "?31m");            /* U+009B, CSI in 8 bits */
	PUT("\xed\xa0\x80", 80, true, "???");               /* a surrogate */
	PUT("\xc0\xaf", 80, true, "??");                    /* overlong '/' */
	/* UTF-8 as itself on a UTF-8 terminal, '?' a character otherwise */
	PUT("caf\xc3\xa9", 80, true, "caf\xc3\xa9");
	PUT("caf\xc3\xa9", 80, false, "caf?");
	/* wide characters count two columns and are not split */
	PUT("\xe6\x97\xa5\xe6\x9c\xac", 3, true, "\xe6\x97\xa5");
	PUT("\xe6\x97\xa5\xe6\x9c\xac", 4, true, "\xe6\x97\xa5\xe6\x9c\xac");
	/* zero-width (a combining accent, a bidi override) is '?' */
	PUT("e\xcc\x81", 80, true, "e?");
	PUT("\xe2\x80\xae" "abc", 80, true, "?abc");
	PUT(NULL, 80, true, "");
	PUT("abc", 0, true, "");
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* Display columns of a row, escape sequences left out (main() sets a
 * UTF-8 locale for wcwidth). */
static int row_cols(const char *r)
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)r; *p;) {
		if (*p == '\033') {
			for (p += 2; *p && !(*p >= 0x40 && *p <= 0x7e); p++)
				;
			p += *p != 0;
			continue;
		}
		uint32_t cp;
		size_t len = dl_utf8_char(p, &cp);
		assert_true(len > 0);
		n += *p < 0x80 ? 1 : wcwidth((wchar_t)cp);
		p += len;
	}
	return n;
}

/* No guest byte reaches the terminal as a control character: the only
 * ESCs are our SGR sequences. */
static void assert_clean_frame(const struct dl_frame *f)
{
	for (int r = 0; r < f->rows; r++) {
		const char *p = f->row[r];
		assert_true(row_cols(p) <= DL_MAX(f->cols - 1, 1));
		for (; *p; p++) {
			if (*p == '\033') {
				assert_true(!strncmp(p, "\033[7m", 4) || !strncmp(p, "\033[m", 3));
				continue;
			}
			assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
		}
	}
}

static const struct dl_menu_item evil[] = {
	{ "ok", -1, false, true, "/k", NULL, 0, NULL },
	{ "\033[2J\033]0;x\007\x9b" "31m\r\nboom", -1, false, true, "/k\033", NULL, 0, "\033[H" },
	{ "\xe6\x97\xa5\xe6\x9c\xac long long long long long long long long long long long long "
	  "long long long long long long long long long long long long long", -1, true, false,
	  NULL, NULL, 0, NULL },
	{ "child", 2, false, true, "/k", NULL, 0, NULL },
};

static void test_frames(void **st)
{
	(void)st;
	struct dl_menu m = { .items = evil, .n = DL_ARRAY_SIZE(evil), .def = 1, .timeout_s = 9,
			     .title_line = "T\033itle" };
	start(&m, NULL);
	const int sizes[][2] = { { 24, 80 }, { 1, 1 }, { 2, 10 }, { 3, 5 }, { 6, 30 }, { 40, 120 },
				 { 0, 0 }, { 9999, 9999 } };
	static const char *const modes[] = { "", "e", "\033a", "\033c" };
	for (size_t k = 0; k < DL_ARRAY_SIZE(modes); k++) {
		feed(modes[k]);   /* the menu, 'e', 'a', 'c' */
		for (size_t i = 0; i < DL_ARRAY_SIZE(sizes); i++) {
			struct dl_frame fr;
			dl_menu_draw(&S, sizes[i][0], sizes[i][1], &fr);
			assert_int_equal(fr.kind, DL_FRAME_SCREEN);
			assert_true(fr.rows >= 1 && fr.rows <= DL_MENU_MAX_ROWS);
			assert_clean_frame(&fr);
			if (fr.cur_row >= 0)
				assert_true(fr.cur_row < fr.rows && fr.cur_col < fr.cols);
			dl_frame_free(&fr);
		}
	}
	assert_int_equal(S.mode, DL_MM_CMD);
	dl_mstate_free(&S);

	/* 80x24: title, the default highlighted, the countdown at the bottom */
	start(&m, NULL);
	struct dl_frame fr;
	dl_menu_draw(&S, 24, 80, &fr);
	assert_string_equal(fr.row[0], "  T?itle");
	assert_string_equal(fr.row[2], "    ok");
	assert_non_null(strstr(fr.row[3], "\033[7m  * ?[2J?]0;x??31m??boom   "));
	assert_non_null(strstr(fr.row[4], " >"));         /* a submenu */
	assert_int_equal(row_cols(fr.row[3]), 79);         /* reversed to the width */
	assert_int_equal(row_cols(fr.row[4]), 79);         /* cut to the width */
	assert_string_equal(fr.row[23], "  Will boot selected entry in 9 seconds");
	assert_int_equal(fr.cur_row, -1);
	dl_frame_free(&fr);
}

static void test_diff(void **st)
{
	(void)st;
	struct dl_menu m = menu(0, 9, DL_MENU_SHOW);
	start(&m, NULL);
	struct dl_frame a, b, c;
	struct dl_sbuf o = { 0 };
	dl_menu_draw(&S, 24, 80, &a);
	dl_frame_diff(NULL, &a, &o);
	assert_non_null(strstr(o.p, "\033[2J"));           /* a full frame clears */
	assert_non_null(strstr(o.p, "\033[?25l"));         /* hides the cursor */
	size_t full = o.len;
	dl_sbuf_free(&o);

	/* a tick rewrites the countdown row only */
	dl_mstate_tick(&S, 2500);
	dl_menu_draw(&S, 24, 80, &b);
	dl_frame_diff(&a, &b, &o);
	assert_string_equal(o.p, "\033[24H  Will boot selected entry in 8 seconds\033[K");
	dl_sbuf_free(&o);

	/* a move rewrites two rows and the status line (the countdown stops) */
	feed("j");
	dl_menu_draw(&S, 24, 80, &c);
	dl_frame_diff(&b, &c, &o);
	assert_null(strstr(o.p, "\033[2J"));
	assert_int_equal(count(o.p, "\033[K"), 3);
	assert_true(o.len < full / 2);
	dl_sbuf_free(&o);
	dl_frame_free(&b);

	/* nothing changed: nothing written */
	dl_menu_draw(&S, 24, 80, &b);
	dl_frame_diff(&c, &b, &o);
	assert_int_equal(o.len, 0);
	dl_frame_free(&c);

	/* a resize is a full frame */
	dl_menu_draw(&S, 30, 100, &c);
	dl_frame_diff(&b, &c, &o);
	assert_non_null(strstr(o.p, "\033[2J"));
	dl_sbuf_free(&o);

	/* the editor shows the cursor; leaving it hides it again */
	dl_frame_free(&b);
	feed("\033[Aa");
	dl_menu_draw(&S, 30, 100, &b);
	dl_frame_diff(&c, &b, &o);
	assert_true(b.cur_row >= 0);
	assert_non_null(strstr(o.p, "\033[?25h"));
	dl_sbuf_free(&o);
	dl_frame_free(&c);
	feed("\033");
	dl_menu_draw(&S, 30, 100, &c);
	dl_frame_diff(&b, &c, &o);
	assert_non_null(strstr(o.p, "\033[?25l"));
	dl_sbuf_free(&o);

	/* the way out: attributes, cursor, a line below the menu */
	dl_frame_exit(&c, &o);
	assert_string_equal(o.p, "\033[30H\033[m\033[?25h\r\n");
	dl_sbuf_free(&o);
	dl_frame_free(&a);
	dl_frame_free(&b);
	dl_frame_free(&c);
}

static void test_diff_styles(void **st)
{
	(void)st;
	struct dl_menu m = menu(0, 9, DL_MENU_HIDDEN);
	start(&m, NULL);
	struct dl_frame fr, g;
	struct dl_sbuf o = { 0 };
	dl_menu_draw(&S, 24, 80, &fr);
	assert_int_equal(fr.kind, DL_FRAME_NONE);
	dl_frame_diff(NULL, &fr, &o);
	dl_frame_exit(&fr, &o);
	assert_int_equal(o.len, 0);                        /* hidden writes nothing */
	dl_frame_free(&fr);
	dl_mstate_free(&S);

	m.style = DL_MENU_COUNTDOWN;
	start(&m, NULL);
	dl_menu_draw(&S, 24, 80, &fr);
	dl_frame_diff(NULL, &fr, &o);
	assert_string_equal(o.p, "\rWill boot default entry in 9 seconds; press Esc for the menu\033[K");
	dl_sbuf_free(&o);
	dl_menu_draw(&S, 24, 80, &g);
	dl_frame_diff(&fr, &g, &o);
	assert_int_equal(o.len, 0);
	dl_frame_free(&fr);
	feed("\033");                                      /* the menu: a full frame */
	dl_menu_draw(&S, 24, 80, &fr);
	dl_frame_diff(&g, &fr, &o);
	assert_non_null(strstr(o.p, "\033[2J"));
	dl_sbuf_free(&o);
	dl_frame_free(&fr);
	dl_frame_free(&g);
}

static void test_edit_scroll(void **st)
{
	(void)st;
	char args[301];
	for (int i = 0; i < 300; i++)
		args[i] = (char)('a' + i % 26);
	args[300] = '\0';
	struct dl_menu_item it[] = { { "T", -1, false, true, "/k", NULL, 0, args } };
	struct dl_menu m = { .items = it, .n = 1, .def = 0, .timeout_s = 5 };
	start(&m, NULL);
	feed("a");
	struct dl_frame fr;
	dl_menu_draw(&S, 24, 80, &fr);
	/* the end is shown, '<' says there is more on the left */
	const char *r = fr.row[fr.cur_row];
	assert_non_null(strstr(r, "grub append> <"));
	assert_true(row_cols(r) <= 79);
	assert_true(fr.cur_col <= 78);
	assert_int_equal(count(r, ">"), 1);               /* the prompt's: nothing on the right */
	dl_frame_free(&fr);
	feed("\033[H");
	dl_menu_draw(&S, 24, 80, &fr);
	r = fr.row[fr.cur_row];
	assert_non_null(strstr(r, "grub append>  abcdef"));
	assert_int_equal(r[strlen(r) - 1], '>');
	assert_int_equal(fr.cur_col, 14);
	dl_frame_free(&fr);
	/* moving right past the edge scrolls, the cursor stays on screen */
	for (int i = 0; i < 200; i++) {
		feed("\033[C");
		dl_menu_draw(&S, 24, 80, &fr);
		assert_true(fr.cur_col >= 14 && fr.cur_col < 79);
		assert_int_equal(S.ed.buf[S.ed.cur], args[i + 1]);
		dl_frame_free(&fr);
	}
}

/* --- the converter --- */

static void test_from_config(void **st)
{
	(void)st;
	char *t = data_file("debian-12.grub2", NULL);
	assert_non_null(t);
	assert_int_equal(parse_grub(&f, t, &cfg, &err), 0);
	free(t);
	struct dl_menu m;
	assert_int_equal(dl_menu_from_config(&cfg, DL_MENU_COUNTDOWN, &m, &err), 0);
	assert_int_equal(m.n, 6);
	assert_int_equal(m.def, 4);                        /* set default="1>2" */
	assert_int_equal(m.timeout_s, 5);
	assert_int_equal(m.style, DL_MENU_SHOW);             /* set timeout_style=menu */
	assert_false(m.locked);
	assert_true(m.items[1].submenu);
	assert_false(m.items[1].bootable);
	assert_int_equal(m.items[4].parent, 1);
	assert_string_equal(m.items[4].kernel, "/boot/vmlinuz-6.1.0-9-amd64");
	assert_string_equal(m.items[4].initrds[0], "/boot/initrd.img-6.1.0-9-amd64");
	assert_string_equal(m.title_line, "domuloader: /boot/grub/grub.cfg");
	dl_menu_free(&m);
	dl_boot_config_free(&cfg);
	memset(&cfg, 0, sizeof(cfg));

	/* no timeout: about a second, as pygrub; devices as (dev)/path */
	assert_int_equal(parse_grub(&f, "menuentry 'x' {\n linux (hd0,msdos1)/vmlinuz ro\n"
				    " initrd /i\n}\nmenuentry 'y' {\n chainloader +1\n}\n", &cfg, &err), 0);
	assert_int_equal(dl_menu_from_config(&cfg, DL_MENU_COUNTDOWN, &m, &err), 0);
	assert_int_equal(m.timeout_s, 1);
	assert_int_equal(m.style, DL_MENU_COUNTDOWN);        /* the caller's: the file says nothing */
	assert_string_equal(m.items[0].kernel, "(hd0,msdos1)/vmlinuz");
	assert_false(m.items[1].bootable);
	dl_menu_free(&m);
	dl_boot_config_free(&cfg);
	memset(&cfg, 0, sizeof(cfg));
	/* timeout=0: at once, as GRUB (not pygrub's second) */
	assert_int_equal(parse_grub(&f, "set timeout=0\nmenuentry 'x' {\n linux /vmlinuz\n}\n", &cfg, &err), 0);
	assert_int_equal(dl_menu_from_config(&cfg, DL_MENU_COUNTDOWN, &m, &err), 0);
	assert_int_equal(m.timeout_s, 0);
	dl_menu_free(&m);
	dl_boot_config_free(&cfg);
	memset(&cfg, 0, sizeof(cfg));

	/* timeout_style=hidden; a superuser locks editing */
	assert_int_equal(parse_grub(&f, "set timeout_style=hidden\nset timeout=3\n"
				    "set superusers=root\nmenuentry 'x' {\n linux /vmlinuz\n}\n",
				    &cfg, &err), 0);
	assert_int_equal(dl_menu_from_config(&cfg, DL_MENU_SHOW, &m, &err), 0);
	assert_int_equal(m.style, DL_MENU_HIDDEN);
	assert_int_equal(m.timeout_s, 3);
	assert_true(m.locked);
	dl_menu_free(&m);
}

/* --- dl_menu_run on pipes --- */

static void test_run_full_output(void **st)
{
	(void)st;
	/* The output never drains and nobody types: the default boots after
	 * the timeout all the same, and the descriptors' flags come back. */
	int in[2], out[2];
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	fcntl(out[1], F_SETFL, O_NONBLOCK);
	char junk[4096];
	memset(junk, 'x', sizeof(junk));
	while (write(out[1], junk, sizeof(junk)) > 0)
		;
	fcntl(out[1], F_SETFL, 0);
	alarm(60);                                         /* a hang fails, not stalls */
	struct dl_menu m = menu(5, 1, DL_MENU_SHOW);
	struct dl_menu_choice c;
	struct dl_error e = { 0 };
	assert_int_equal(dl_menu_run(&m, in[0], out[1], NULL, &c, &e), 0);
	alarm(0);
	assert_int_equal(c.index, 5);
	assert_false(c.edited);
	assert_int_equal(fcntl(out[1], F_GETFL) & O_NONBLOCK, 0);
	assert_int_equal(fcntl(in[0], F_GETFL) & O_NONBLOCK, 0);
	dl_menu_choice_free(&c);
	for (int i = 0; i < 2; i++) {
		close(in[i]);
		close(out[i]);
	}
}

/* Someone at the terminal: after each write of the menu, presses the next
 * key of keys, and passes on all the menu writes. */
static pid_t typist(int out[2], int in[2], int back[2], const char *keys)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid)
		return pid;
	alarm(60);
	close(out[1]);
	close(in[0]);
	close(back[0]);
	char buf[4096];
	ssize_t n;
	while ((n = read(out[0], buf, sizeof(buf))) > 0) {
		if (*keys && write(in[1], keys++, 1) != 1)
			_exit(1);
		if (write(back[1], buf, (size_t)n) != n)
			_exit(1);
	}
	_exit(0);
}

/* Run the menu m with keys typed ahead and keys typed as it draws;
 * returns what it wrote (malloc'd), *c the choice. */
static char *run_typed(const struct dl_menu *m, const char *ahead, const char *keys,
		       struct dl_menu_choice *c)
{
	int in[2], out[2], back[2];
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	assert_int_equal(pipe(back), 0);
	fcntl(back[1], F_SETPIPE_SZ, 1 << 20);
	assert_int_equal(write(in[1], ahead, strlen(ahead)), (ssize_t)strlen(ahead));
	pid_t pid = typist(out, in, back, keys);
	close(back[1]);
	close(out[0]);
	close(in[1]);
	alarm(60);
	struct dl_error e = { 0 };
	if (dl_menu_run(m, in[0], out[1], NULL, c, &e) < 0)
		fail_msg("%s", e.msg);
	close(out[1]);
	close(in[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);
	alarm(0);
	struct dl_sbuf b = { 0 };
	char buf[4096];
	ssize_t n;
	while ((n = read(back[0], buf, sizeof(buf))) > 0)
		dl_sbuf_add(&b, buf, (size_t)n);
	close(back[0]);
	return dl_sbuf_take(&b);
}

static void test_run_keys(void **st)
{
	(void)st;
	/* typed ahead: Down, Enter into Sub; Enter on B once the menu shows */
	struct dl_menu m = menu(0, 30, DL_MENU_SHOW);
	struct dl_menu_choice c;
	char *w = run_typed(&m, "\033[B\r", "\r", &c);
	assert_int_equal(c.index, 2);
	dl_menu_choice_free(&c);
	/* what it wrote: one full frame, the way out at the end */
	assert_int_equal(count(w, "\033[2J"), 1);
	const char *tail = "\033[m\033[?25h\r\n";
	assert_string_equal(w + strlen(w) - strlen(tail), tail);
	free(w);

	/* input closed with no countdown: an error, not a wait forever */
	int in[2], out[2];
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	close(in[1]);
	m.timeout_s = -1;
	struct dl_error e = { 0 };
	alarm(60);
	assert_int_equal(dl_menu_run(&m, in[0], out[1], NULL, &c, &e), -EIO);
	alarm(0);
	assert_int_equal(e.code, DL_EIO);
	close(in[0]);
	close(out[0]);
	close(out[1]);

	/* a malformed menu */
	dl_error_clear(&e);
	m.def = 1;
	assert_int_equal(dl_menu_run(&m, 0, 1, NULL, &c, &e), -EINVAL);
	assert_int_equal(e.code, DL_EUSAGE);
}

/* A console nobody reads keeps its last 4 KiB: a full frame is drawn again
 * before the updates after the last one would push it out of them. */
static void test_run_console_window(void **st)
{
	(void)st;
	char keys[202];
	for (int i = 0; i < 200; i++)
		keys[i] = i % 2 ? 'k' : 'j';
	keys[200] = '\r';
	keys[201] = '\0';
	struct dl_menu m = menu(0, 30, DL_MENU_SHOW);
	struct dl_menu_choice c;
	char *w = run_typed(&m, "", keys, &c);
	dl_menu_choice_free(&c);
	size_t len = strlen(w);
	assert_true(count(w, "\033[2J") >= 4);
	/* every window of 4096 bytes that ends a frame holds a whole frame */
	const char *last = NULL;
	for (const char *p = w; (p = strstr(p, "\033[2J")); p++) {
		if (last)
			assert_true(p - last <= 4096);
		last = p;
	}
	assert_true(w + len - last <= 4096);
	free(w);
}

int main(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test_teardown(test_tree, teardown_state),
		cmocka_unit_test_teardown(test_not_bootable, teardown_state),
		cmocka_unit_test_teardown(test_countdown, teardown_state),
		cmocka_unit_test_teardown(test_styles, teardown_state),
		cmocka_unit_test_teardown(test_append, teardown_state),
		cmocka_unit_test_teardown(test_append_caps, teardown_state),
		cmocka_unit_test_teardown(test_edit_entry, teardown_state),
		cmocka_unit_test_teardown(test_cmdline, teardown_state),
		cmocka_unit_test_teardown(test_locked, teardown_state),
		cmocka_unit_test(test_put),
		cmocka_unit_test_teardown(test_frames, teardown_state),
		cmocka_unit_test_teardown(test_diff, teardown_state),
		cmocka_unit_test_teardown(test_diff_styles, teardown_state),
		cmocka_unit_test_teardown(test_edit_scroll, teardown_state),
		cmocka_unit_test_setup_teardown(test_from_config, setup, teardown),
		cmocka_unit_test(test_run_full_output),
		cmocka_unit_test(test_run_keys),
		cmocka_unit_test(test_run_console_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
