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

/* a and b (b read back from what was written for a) agree on the boot
 * keys; the callers compare the disks, whose order the writers may change. */
static void same_boot_keys(const struct dl_domcfg *a, const struct dl_domcfg *b)
{
	assert_string_equal(a->name, b->name);
	assert_memory_equal(a->uuid, b->uuid, 16);
	assert_int_equal(a->type, b->type);
	assert_string_equal(a->boot, b->boot);
	assert_true((a->kernel == NULL) == (b->kernel == NULL));
	if (a->kernel)
		assert_string_equal(a->kernel, b->kernel);
	if (a->cmdline)
		assert_string_equal(a->cmdline, b->cmdline);
	if (a->loader)
		assert_string_equal(a->loader, b->loader);
	assert_int_equal(a->nbootloader_args, b->nbootloader_args);
	for (size_t i = 0; i < a->nbootloader_args; i++)
		assert_string_equal(a->bootloader_args[i], b->bootloader_args[i]);
	assert_int_equal(a->ndisks, b->ndisks);
}
