/* libFuzzer harness for the menu's wire codec (src/menu/wire.c): the menu
 * a hostile parser child sends to the privileged side, and the choice
 * that comes back.  Input: one byte (bit 0: decode as a choice; the other
 * bits: the menu size the choice is checked against), then the encoding.
 * Invariants: a decoded menu passes dl_menu_check and encodes back to the
 * same bytes; a decoded choice has an index below the size, and an edited
 * one carries only paths starting with '/' or '(' and no control byte.
 * Run for N minutes:  make fuzz && build-fuzz/bin/fuzz_menuwire \
 *                       -max_total_time=$((N*60)) tests/fuzz/corpus/menuwire */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "menu/menu.h"

static void clean(const char *s)
{
	if (!s || (s[0] != '/' && s[0] != '('))
		abort();
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			abort();
}

static void menu_round_trip(const uint8_t *p, size_t n)
{
	struct dl_error err = { 0 };
	struct dl_menu m;
	if (dl_menu_unpack(p, n, &m, &err) < 0) {
		if (!err.code)
			abort();
		return;
	}
	if (dl_menu_check(&m, &err) < 0)
		abort();
	struct dl_sbuf b = { 0 };
	if (dl_menu_pack(&m, &b, &err) < 0 || b.len != n || memcmp(b.p, p, n))
		abort();
	dl_sbuf_free(&b);
	dl_menu_free(&m);
}

static void choice(const uint8_t *p, size_t n, size_t nitems)
{
	struct dl_error err = { 0 };
	struct dl_menu_choice c;
	if (dl_menu_choice_unpack(p, n, nitems, &c, &err) < 0) {
		if (!err.code)
			abort();
		return;
	}
	if (c.index >= (int)nitems || c.index < -1 || !c.args)
		abort();
	if (c.edited) {
		clean(c.kernel);
		for (size_t i = 0; i < c.ninitrds; i++)
			clean(c.initrds[i]);
		if (strchr(c.args, '\n'))
			abort();
	}
	struct dl_sbuf b = { 0 };
	if (dl_menu_choice_pack(&c, &b, &err) < 0 || b.len != n || memcmp(b.p, p, n))
		abort();
	dl_sbuf_free(&b);
	dl_menu_choice_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dl_log_set(fuzz_quiet, NULL, DL_LOG_DEBUG);
	if (size < 1)
		return 0;
	if (data[0] & 1)
		choice(data + 1, size - 1, data[0] >> 1);
	else
		menu_round_trip(data + 1, size - 1);
	return 0;
}
