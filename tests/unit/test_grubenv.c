/* GRUB's environment block edited as save_env edits it (dl_grubenv_set,
 * after grub_envblk_set/delete in grub-core/lib/envblk.c), and the grub2
 * interpreter's save_env calls: the script's with entry -1, an entry
 * body's with its index, $chosen as grub_menu_execute_entry builds it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_io.h"

/* A block of len bytes: the signature, lines, '#' padding. */
static char *block(const char *lines, size_t len)
{
	char *b = malloc(len + 1);
	int n = snprintf(b, len + 1, "%s%s", DL_GRUBENV_SIG, lines);
	memset(b + n, '#', len - (size_t)n);
	b[len] = '\0';
	return b;
}

static void expect_block(const char *b, const char *lines, size_t len)
{
	char *want = block(lines, len);
	assert_memory_equal(b, want, len);
	free(want);
}

static void test_set_append_replace_delete(void **st)
{
	(void)st;
	char *b = block("saved_entry=1\n", 128);
	assert_true(dl_grubenv_set(b, 128, "next_entry", "a>b"));
	expect_block(b, "saved_entry=1\nnext_entry=a>b\n", 128);
	/* longer: what follows moves on; shorter: back, padding grows */
	assert_true(dl_grubenv_set(b, 128, "saved_entry", "gnulinux-simple"));
	expect_block(b, "saved_entry=gnulinux-simple\nnext_entry=a>b\n", 128);
	assert_true(dl_grubenv_set(b, 128, "saved_entry", "2"));
	expect_block(b, "saved_entry=2\nnext_entry=a>b\n", 128);
	/* set next_entry= keeps the line with an empty value */
	assert_true(dl_grubenv_set(b, 128, "next_entry", ""));
	expect_block(b, "saved_entry=2\nnext_entry=\n", 128);
	/* unset deletes the line */
	assert_true(dl_grubenv_set(b, 128, "saved_entry", NULL));
	expect_block(b, "next_entry=\n", 128);
	assert_true(dl_grubenv_set(b, 128, "nothing", NULL));
	expect_block(b, "next_entry=\n", 128);
	/* a name that is the start of another does not match it */
	assert_true(dl_grubenv_set(b, 128, "next", "x"));
	expect_block(b, "next_entry=\nnext=x\n", 128);
	free(b);
}

static void test_escapes_and_limits(void **st)
{
	(void)st;
	char *b = block("", 64);
	assert_true(dl_grubenv_set(b, 64, "v", "a\\b\nc"));
	expect_block(b, "v=a\\\\b\\\nc\n", 64);
	/* 64 bytes hold 25 of signature, the line above, and no more than fits */
	assert_false(dl_grubenv_set(b, 64, "w", "0123456789012345678901234567890"));
	assert_true(dl_grubenv_set(b, 64, "w", "0123456789012345678"));
	free(b);
	/* no newline before the padding, no signature: broken, left alone */
	char broken[40];
	memset(broken, '#', sizeof(broken));
	memcpy(broken, DL_GRUBENV_SIG "x=1", DL_GRUBENV_SIGLEN + 3);
	assert_false(dl_grubenv_set(broken, sizeof(broken), "y", "2"));
	char nosig[40];
	memset(nosig, '#', sizeof(nosig));
	assert_false(dl_grubenv_set(nosig, sizeof(nosig), "y", "2"));
	b = block("", 64);
	assert_false(dl_grubenv_set(b, 64, "a=b", "2"));
	assert_false(dl_grubenv_set(b, 64, "", "2"));
	free(b);
}

struct saved {
	int entry[8];
	char text[8][128];
	int n;
};

static void record(void *ctx, int entry, const char *dev, const char *path, const char *name,
		   const char *value)
{
	struct saved *s = ctx;
	if (s->n >= 8)
		return;
	s->entry[s->n] = entry;
	snprintf(s->text[s->n++], 128, "(%s)%s %s=%s", dev ? dev : "", path, name, value ? value : "<unset>");
}

static struct saved saved;

static void save_env_hook(void *ctx, int entry, const char *dev, const char *path, const char *name,
			  const char *value)
{
	(void)ctx;
	record(&saved, entry, dev, path, name, value);
}

static void test_save_env_calls(void **st)
{
	(void)st;
	static const char text[] =
		"set next_entry=a\n"
		"if [ \"${next_entry}\" ] ; then\n"
		"   set default=\"${next_entry}\"\n"
		"   set next_entry=\n"
		"   save_env next_entry\n"
		"fi\n"
		"unset gone\n"
		"save_env -f (hd1)/env gone\n"
		"function savedefault {\n"
		"  saved_entry=\"${chosen}\"\n"
		"  save_env saved_entry\n"
		"}\n"
		"menuentry 'A' --id a { savedefault; linux /a }\n"
		"submenu 'Sub>menu' { menuentry 'B' --id 'b>1' { savedefault; linux /b } }\n";
	struct fake f = { .self = "hd0,msdos1" };
	struct dl_boot_io io = fake_io(&f);
	io.save_env = save_env_hook;
	struct dl_boot_config cfg;
	struct dl_error err = { 0 };
	memset(&saved, 0, sizeof(saved));
	assert_int_equal(dl_boot_parse_as(&dl_grub2_parser, "/boot/grub/grub.cfg", text, strlen(text),
					  &io, &cfg, &err), 0);
	assert_int_equal(saved.n, 4);
	assert_int_equal(saved.entry[0], -1);
	assert_string_equal(saved.text[0], "()/boot/grub/grubenv next_entry=");
	assert_int_equal(saved.entry[1], -1);
	assert_string_equal(saved.text[1], "(hd1)/env gone=<unset>");
	/* dev "" is the volume parsed.  Entry bodies: $chosen is the id path, '>' doubled inside an id,
	 * the title when there is no id */
	assert_int_equal(saved.entry[2], 0);
	assert_string_equal(saved.text[2], "()/boot/grub/grubenv saved_entry=a");
	assert_int_equal(saved.entry[3], 2);
	assert_string_equal(saved.text[3], "()/boot/grub/grubenv saved_entry=Sub>>menu>b>>1");
	dl_boot_config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_append_replace_delete),
		cmocka_unit_test(test_escapes_and_limits),
		cmocka_unit_test(test_save_env_calls),
	};
	return cmocka_run_group_tests_name("grubenv", tests, NULL, NULL);
}
