/* Shared helpers of the libvirt and SEXPR unit tests: parse a document
 * through dialect detection and expect it to be read as DOMCFG_DIALECT
 * (ok) or refused with an error code and message (bad).  Define
 * DOMCFG_NAME (the file name in messages) and DOMCFG_DIALECT first. */
#include "domcfg/domcfg.h"

static int parse(struct dl_domcfg *c, const char *s, struct dl_error *err)
{
	memset(c, 0, sizeof(*c));
	dl_error_clear(err);
	return dl_domcfg_parse(c, DL_DIALECT_NONE, DOMCFG_NAME, s, strlen(s), err);
}

static void ok(struct dl_domcfg *c, const char *s)
{
	struct dl_error err = { 0 };
	if (parse(c, s, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(c->dialect, DOMCFG_DIALECT);
}

static void bad(const char *s, int code, const char *msg)
{
	struct dl_domcfg c;
	struct dl_error err = { 0 };
	int r = parse(&c, s, &err);
	dl_domcfg_free(&c);
	if (r == 0)
		fail_msg("accepted: %s", s);
	assert_int_equal(err.code, code);
	if (!strstr(err.msg, msg))
		fail_msg("message '%s' lacks '%s'", err.msg, msg);
}
