/* libFuzzer harness for the boot menu's core: guest titles, paths and args
 * (hostile) and keystrokes (anything a terminal may send) through the
 * decoder, the state machine and the renderer at many sizes.
 * Input, cut at NUL bytes: a settings part (style, timeout, rows, cols,
 * chunk size), six titles, the args, an "ls" listing, then the keys.
 * Invariant checked: the rows of a frame hold no byte below 0x20 or 0x7f
 * but the ESC of our own SGR sequences.
 * Run for N minutes:  make fuzz && build-fuzz/bin/fuzz_menu -max_total_time=$((N*60)) \
 *                       tests/fuzz/corpus/menu */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "menu/internal.h"

static char *listing;

static int ls(void *ctx, const char *path, char **text, struct dl_error *err)
{
	(void)ctx;
	if (path && !strcmp(path, "/fail"))
		return dl_fail(err, DL_ENOTFOUND, "%s: no such directory", path);
	*text = strdup(listing);
	return 0;
}

static void check(const struct dl_frame *f)
{
	for (int r = 0; f->row && r < f->rows; r++)
		for (const char *p = f->row[r]; *p; p++)
			if (*p == '\033') {
				if (strncmp(p, "\033[7m", 4) && strncmp(p, "\033[m", 3))
					abort();
			} else if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				abort();
			}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_part parts[10];
	int n = fuzz_split(data, size, parts, 10);
	char *s[10] = { 0 };
	for (int i = 0; i < 10; i++)
		s[i] = i < n ? strndup(parts[i].p, parts[i].n) : strdup("");
	const unsigned char *set = (const unsigned char *)s[0];
	size_t nset = strlen(s[0]);
	unsigned char cfg[5] = { 0, 3, 24, 80, 1 };
	memcpy(cfg, set, nset < 5 ? nset : 5);
	listing = s[8];

	const char *const initrds[] = { s[6], s[1] };
	const struct dl_menu_item items[] = {
		{ s[1], -1, false, true, "/vmlinuz", initrds, 2, s[7] },
		{ s[2], -1, true, false, NULL, NULL, 0, NULL },
		{ s[3], 1, false, true, s[6], NULL, 0, s[7] },
		{ s[4], 1, true, false, NULL, NULL, 0, NULL },
		{ s[5], 3, false, false, NULL, NULL, 0, s[7] },
		{ s[6], -1, false, true, s[3], initrds, 1, NULL },
	};
	struct dl_menu m = { .items = items, .n = 6, .def = cfg[0] % 2 ? 2 : 0,
			     .timeout_s = cfg[1] % 5 - 1, .style = cfg[0] / 2 % 3,
			     .locked = cfg[0] & 0x40, .title_line = s[5] };
	struct dl_menu_ops ops = { .ls = ls };
	struct dl_mstate st;
	struct dl_error err = { 0 };
	if (dl_mstate_init(&st, &m, &ops, cfg[0] & 0x80, 0, &err) < 0)
		abort();
	struct dl_frame shown = { .kind = DL_FRAME_NONE, .cur_row = -1 };
	struct dl_sbuf out = { 0 };
	const char *keys = n > 9 ? parts[9].p : "";
	size_t nkeys = n > 9 ? parts[9].n : 0, chunk = cfg[4] % 16 + 1;
	uint64_t now = 0;
	int rows = cfg[2], cols = cfg[3];
	for (size_t off = 0; off <= nkeys && !st.done; off += chunk) {
		size_t len = nkeys - off < chunk ? nkeys - off : chunk;
		if (dl_mstate_feed(&st, keys + off, len, now))
			break;
		now += 50 * (off % 7);
		if (dl_mstate_pause(&st, now) || dl_mstate_tick(&st, now))
			break;
		dl_mstate_wait(&st, now);
		if (off % 3 == 0) {   /* resizes, down to 1x1 */
			rows = (rows * 7 + 3) % 60;
			cols = (cols * 5 + 11) % 200;
		}
		struct dl_frame f;
		dl_menu_draw(&st, rows, cols, &f);
		check(&f);
		out.len = 0;
		dl_frame_diff(st.full ? NULL : &shown, &f, &out);
		st.full = false;
		dl_frame_free(&shown);
		shown = f;
	}
	dl_frame_exit(&shown, &out);
	dl_frame_free(&shown);
	dl_sbuf_free(&out);
	if (st.done && (!st.choice.kernel || !st.choice.args))
		abort();
	dl_mstate_free(&st);
	for (int i = 0; i < 10; i++)
		free(s[i]);
	return 0;
}
