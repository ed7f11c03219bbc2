/* The boot menu's input side: the key decoder (VT100, xterm, Linux console
 * sequences, split reads, a lone Esc), the line editor and the lines of
 * 'e' and 'c'. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "menu/internal.h"

/* Decode all of s (pause at the end) into keys[]; returns the count. */
static size_t decode_all(const char *s, size_t len, int *keys, size_t max)
{
	size_t n = 0, off = 0;
	while (off < len && n < max) {
		int k;
		size_t used = dl_key_decode((const unsigned char *)s + off, len - off, true, &k);
		assert_true(used >= 1);
		off += used;
		if (k != DL_KEY_NONE)
			keys[n++] = k;
	}
	return n;
}

#define DECODES(str, ...) do { \
		const int want[] = { __VA_ARGS__ }; \
		int got[32]; \
		size_t n = decode_all(str, sizeof(str) - 1, got, 32); \
		assert_int_equal(n, DL_ARRAY_SIZE(want)); \
		for (size_t i_ = 0; i_ < n; i_++) \
			assert_int_equal(got[i_], want[i_]); \
	} while (0)

static void test_keys_plain(void **st)
{
	(void)st;
	DECODES("aZ~ ", 'a', 'Z', '~', ' ');
	DECODES("\r\n", DL_KEY_ENTER, DL_KEY_ENTER);
	DECODES("\x7f\x08", DL_KEY_BACKSPACE, DL_KEY_BACKSPACE);
	DECODES("\x01\x05\x15\x0b\t", DL_KEY_CTRL('a'), DL_KEY_CTRL('e'), DL_KEY_CTRL('u'),
		DL_KEY_CTRL('k'), DL_KEY_TAB);
	/* bytes above 0x7f and NUL are not keys */
	DECODES("\xc3\xa9x\0y", 'x', 'y');
}

static void test_keys_sequences(void **st)
{
	(void)st;
	/* xterm normal and application cursor modes */
	DECODES("\033[A\033[B\033[C\033[D", DL_KEY_UP, DL_KEY_DOWN, DL_KEY_RIGHT, DL_KEY_LEFT);
	DECODES("\033OA\033OB\033OC\033OD", DL_KEY_UP, DL_KEY_DOWN, DL_KEY_RIGHT, DL_KEY_LEFT);
	/* Home/End in their many spellings */
	DECODES("\033[H\033[F\033OH\033OF\033[1~\033[4~\033[7~\033[8~", DL_KEY_HOME, DL_KEY_END,
		DL_KEY_HOME, DL_KEY_END, DL_KEY_HOME, DL_KEY_END, DL_KEY_HOME, DL_KEY_END);
	DECODES("\033[2~\033[3~\033[5~\033[6~", DL_KEY_INSERT, DL_KEY_DELETE, DL_KEY_PGUP,
		DL_KEY_PGDN);
	/* modifiers are ignored: ctrl-up is up */
	DECODES("\033[1;5A\033[3;2~", DL_KEY_UP, DL_KEY_DELETE);
	/* F keys: vt100 SS3, xterm CSI ~, Linux console ESC [ [ */
	DECODES("\033OP\033OS\033[14~\033[21~\033[24~", DL_KEY_F(1), DL_KEY_F(4), DL_KEY_F(4),
		DL_KEY_F(10), DL_KEY_F(12));
	DECODES("\033[[A\033[[D", DL_KEY_F(1), DL_KEY_F(4));
	/* keypad Enter in application mode */
	DECODES("\033OM", DL_KEY_ENTER);
	/* unknown sequences are swallowed whole */
	DECODES("\033[99~x\033[?1;2cy\033[Zz", 'x', 'y', 'z');
}

static void test_keys_esc(void **st)
{
	(void)st;
	int k;
	/* A lone ESC waits for the pause, then is Esc. */
	assert_int_equal(dl_key_decode((const unsigned char *)"\033", 1, false, &k), 0);
	assert_int_equal(dl_key_decode((const unsigned char *)"\033", 1, true, &k), 1);
	assert_int_equal(k, DL_KEY_ESC);
	/* An incomplete sequence waits too; after the pause it is dropped. */
	assert_int_equal(dl_key_decode((const unsigned char *)"\033[1", 3, false, &k), 0);
	assert_int_equal(dl_key_decode((const unsigned char *)"\033[1", 3, true, &k), 3);
	assert_int_equal(k, DL_KEY_NONE);
	/* ESC ESC and ESC x are an Esc, then the rest (no pause needed). */
	assert_int_equal(dl_key_decode((const unsigned char *)"\033\033[A", 4, false, &k), 1);
	assert_int_equal(k, DL_KEY_ESC);
	DECODES("\033\033[A\033q", DL_KEY_ESC, DL_KEY_UP, DL_KEY_ESC, 'q');
	/* A control byte inside a sequence breaks it; the byte is decoded. */
	DECODES("\033[1\r", DL_KEY_ENTER);
	/* A runaway sequence is dropped after a bound, not buffered forever. */
	char longseq[64] = "\033[";
	memset(longseq + 2, '1', 40);
	size_t used = dl_key_decode((const unsigned char *)longseq, 42, false, &k);
	assert_true(used > 0 && used <= 32);
	assert_int_equal(k, DL_KEY_NONE);
}

/* The state machine's byte-by-byte decoding: a sequence split over reads. */
static void test_keys_split(void **st)
{
	(void)st;
	const unsigned char seq[] = "\033[3~";
	int k;
	for (size_t i = 1; i < 4; i++)
		assert_int_equal(dl_key_decode(seq, i, false, &k), 0);
	assert_int_equal(dl_key_decode(seq, 4, false, &k), 4);
	assert_int_equal(k, DL_KEY_DELETE);
}

static void edit_keys(struct dl_edit *e, const int *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_true(dl_edit_key(e, keys[i]));
}

static void test_edit(void **st)
{
	(void)st;
	struct dl_edit e;
	dl_edit_init(&e, "root=/dev/xvda2 ro", 64);
	assert_int_equal(e.cur, e.len);
	const int k1[] = { ' ', 's', 'i', 'n', 'g', 'l', 'e' };
	edit_keys(&e, k1, DL_ARRAY_SIZE(k1));
	assert_string_equal(e.buf, "root=/dev/xvda2 ro single");
	/* insert in the middle, Home, Delete, Backspace at the start */
	const int k2[] = { DL_KEY_HOME, DL_KEY_BACKSPACE, DL_KEY_DELETE, DL_KEY_DELETE, DL_KEY_DELETE,
			   DL_KEY_DELETE, 'R', 'O', 'O', 'T' };
	edit_keys(&e, k2, DL_ARRAY_SIZE(k2));
	assert_string_equal(e.buf, "ROOT=/dev/xvda2 ro single");
	/* Ctrl-K kills to the end, Ctrl-U to the start */
	const int k3[] = { DL_KEY_CTRL('a'), DL_KEY_RIGHT, DL_KEY_RIGHT, DL_KEY_RIGHT, DL_KEY_RIGHT,
			   DL_KEY_RIGHT, DL_KEY_CTRL('k') };
	edit_keys(&e, k3, DL_ARRAY_SIZE(k3));
	assert_string_equal(e.buf, "ROOT=");
	const int k4[] = { DL_KEY_LEFT, DL_KEY_CTRL('u') };
	edit_keys(&e, k4, DL_ARRAY_SIZE(k4));
	assert_string_equal(e.buf, "=");
	assert_int_equal(e.cur, 0);
	/* End, Ctrl-E, Right at the end and Left at the start stay put */
	const int k5[] = { DL_KEY_LEFT, DL_KEY_END, DL_KEY_RIGHT, DL_KEY_CTRL('e') };
	edit_keys(&e, k5, DL_ARRAY_SIZE(k5));
	assert_int_equal(e.cur, 1);
	/* Not editing keys */
	assert_false(dl_edit_key(&e, DL_KEY_ENTER));
	assert_false(dl_edit_key(&e, DL_KEY_ESC));
	assert_false(dl_edit_key(&e, DL_KEY_UP));
	assert_false(dl_edit_key(&e, DL_KEY_CTRL('x')));
	dl_edit_free(&e);
}

static void test_edit_caps(void **st)
{
	(void)st;
	struct dl_edit e;
	dl_edit_init(&e, "", 4);
	const int k[] = { 'a', 'b', 'c', 'd', 'e', 'f', DL_KEY_HOME, 'x' };
	edit_keys(&e, k, DL_ARRAY_SIZE(k));
	assert_string_equal(e.buf, "abcd");   /* the cap holds, wherever the cursor is */
	dl_edit_free(&e);
	/* A longer (guest) text is kept whole; it can shrink, then grow to the cap. */
	dl_edit_init(&e, "0123456789", 4);
	assert_true(dl_edit_key(&e, 'z'));
	assert_string_equal(e.buf, "0123456789");
	for (int i = 0; i < 7; i++)
		dl_edit_key(&e, DL_KEY_BACKSPACE);
	assert_true(dl_edit_key(&e, 'z'));
	assert_true(dl_edit_key(&e, 'y'));
	assert_string_equal(e.buf, "012z");
	dl_edit_free(&e);
	/* Control bytes and non-ASCII are never inserted. */
	dl_edit_init(&e, "", 16);
	assert_false(dl_edit_key(&e, 0x1f));
	assert_false(dl_edit_key(&e, 0xe9));
	assert_int_equal(e.len, 0);
	dl_edit_free(&e);
}

static void test_cmd_lines(void **st)
{
	(void)st;
	struct dl_menu_cmd c = { 0 };
	char msg[128];
	assert_int_equal(dl_menu_cmd_line(&c, "  linux /vmlinuz-X root=/dev/xvda2  ro", msg, sizeof(msg)), 0);
	assert_string_equal(c.kernel, "/vmlinuz-X");
	assert_string_equal(c.args, "root=/dev/xvda2  ro");
	assert_int_equal(dl_menu_cmd_line(&c, "kernel (hd0,msdos1)/boot/vmlinuz", msg, sizeof(msg)), 0);
	assert_string_equal(c.kernel, "(hd0,msdos1)/boot/vmlinuz");
	assert_string_equal(c.args, "");
	assert_int_equal(dl_menu_cmd_line(&c, "initrd /a.img\t/b\\ c.img", msg, sizeof(msg)), 0);
	assert_int_equal(c.ninitrds, 2);
	assert_string_equal(c.initrds[0], "/a.img");
	assert_string_equal(c.initrds[1], "/b c.img");
	/* a second initrd line replaces the list, as in GRUB */
	assert_int_equal(dl_menu_cmd_line(&c, "initrd /c", msg, sizeof(msg)), 0);
	assert_int_equal(c.ninitrds, 1);
	assert_int_equal(dl_menu_cmd_line(&c, "   ", msg, sizeof(msg)), 0);
	assert_int_equal(dl_menu_cmd_line(&c, "# a comment", msg, sizeof(msg)), 0);
	assert_int_equal(dl_menu_cmd_line(&c, "boot", msg, sizeof(msg)), 1);
	assert_int_equal(dl_menu_cmd_line(&c, "linuxx /a", msg, sizeof(msg)), 1);
	assert_int_equal(dl_menu_cmd_line(&c, "linux", msg, sizeof(msg)), -EINVAL);
	assert_non_null(strstr(msg, "filename expected"));
	assert_int_equal(dl_menu_cmd_line(&c, "initrd  ", msg, sizeof(msg)), -EINVAL);
	assert_string_equal(c.kernel, "(hd0,msdos1)/boot/vmlinuz");   /* errors change nothing */
	/* more initrds than the cap */
	char many[2048] = "initrd";
	for (int i = 0; i <= DL_MENU_MAX_INITRDS; i++)
		strcat(many, " /i");
	assert_int_equal(dl_menu_cmd_line(&c, many, msg, sizeof(msg)), -EINVAL);
	assert_int_equal(c.ninitrds, 1);
	dl_menu_cmd_free(&c);
}

/* The lines 'e' shows parse back to what they were made of. */
static void test_cmd_roundtrip(void **st)
{
	(void)st;
	const char *const initrds[] = { "/boot/initrd one.img", "(hd0,gpt2)/ucode\\x.img" };
	char *l1 = dl_menu_cmd_linux("/boot/vm linuz\\", "ro quiet");
	char *l2 = dl_menu_cmd_initrd(initrds, 2);
	assert_string_equal(l1, "linux /boot/vm\\ linuz\\\\ ro quiet");
	struct dl_menu_cmd c = { 0 };
	char msg[128];
	assert_int_equal(dl_menu_cmd_line(&c, l1, msg, sizeof(msg)), 0);
	assert_int_equal(dl_menu_cmd_line(&c, l2, msg, sizeof(msg)), 0);
	assert_string_equal(c.kernel, "/boot/vm linuz\\");
	assert_string_equal(c.args, "ro quiet");
	assert_string_equal(c.initrds[0], initrds[0]);
	assert_string_equal(c.initrds[1], initrds[1]);
	dl_menu_cmd_free(&c);
	free(l1);
	free(l2);
	char *l3 = dl_menu_cmd_linux("/v", "");
	assert_string_equal(l3, "linux /v");
	free(l3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_plain),
		cmocka_unit_test(test_keys_sequences),
		cmocka_unit_test(test_keys_esc),
		cmocka_unit_test(test_keys_split),
		cmocka_unit_test(test_edit),
		cmocka_unit_test(test_edit_caps),
		cmocka_unit_test(test_cmd_lines),
		cmocka_unit_test(test_cmd_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
