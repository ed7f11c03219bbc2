/* GRUB 2 menu entries: kernel/initrd/multiboot commands, device prefixes,
 * default selection (index, N>M, title, id, saved/next entry, fallback),
 * --entry forms and the listings. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define FAKE_FIXTURES
#define FAKE_SELF "hd0,msdos1"
#include "fake_io.h"

static void ok(const char *text)
{
	if (parse_grub(&f, text, &cfg, &err) != 0)
		fail_msg("parse failed: %s", err.msg);
}

static int sel(const char *spec)
{
	memset(&err, 0, sizeof(err));
	return dl_boot_select(&cfg, spec, &err);
}

static void test_linux_variants(void **st)
{
	(void)st;
	ok("menuentry a { linux /vmlinuz-a root=/dev/xvda1 ro; initrd /initrd-a; }\n"
	   "menuentry b { linux16 /vmlinuz-b; initrd16 /initrd-b; }\n"
	   "menuentry c { linuxefi /vmlinuz-c quiet; initrdefi /initrd-c; }\n"
	   "menuentry d { linux //boot//./vmlinuz-d; }\n");
	const char *k[] = {"/vmlinuz-a", "/vmlinuz-b", "/vmlinuz-c", "/boot/vmlinuz-d"};
	for (int i = 0; i < 4; i++) {
		assert_int_equal(cfg.entries[i].kind, DL_ENTRY_LINUX);
		assert_string_equal(cfg.entries[i].kernel.path, k[i]);
		assert_true(dl_boot_entry_bootable(&cfg.entries[i]));
	}
	assert_string_equal(cfg.entries[0].args, "root=/dev/xvda1 ro");
	assert_string_equal(cfg.entries[1].args, "");
	assert_string_equal(cfg.entries[2].args, "quiet");
	assert_string_equal(cfg.entries[2].initrds[0].path, "/initrd-c");
	assert_int_equal(cfg.entries[3].ninitrds, 0);
}

static void test_two_initrds(void **st)
{
	(void)st;
	/* pygrub takes "/intel-ucode.img /initramfs.img" as one path (pygrub.md §3.2) */
	ok("menuentry a {\n linux /vmlinuz\n initrd /intel-ucode.img /initramfs.img\n}\n"
	   "menuentry b {\n initrd /old.img\n linux /vmlinuz\n initrd (hd0,msdos2)/amd-ucode.img ($root)/x.img\n}\n");
	assert_int_equal(cfg.entries[0].ninitrds, 2);
	assert_string_equal(cfg.entries[0].initrds[0].path, "/intel-ucode.img");
	assert_string_equal(cfg.entries[0].initrds[1].path, "/initramfs.img");
	/* the last initrd command replaces an earlier one */
	assert_int_equal(cfg.entries[1].ninitrds, 2);
	assert_string_equal(cfg.entries[1].initrds[0].dev, "hd0,msdos2");
	assert_string_equal(cfg.entries[1].initrds[0].path, "/amd-ucode.img");
	assert_null(cfg.entries[1].initrds[1].dev);
}

static void test_multiboot(void **st)
{
	(void)st;
	ok("menuentry xen {\n multiboot2 /boot/xen.gz dom0_mem=1G placeholder\n"
	   " module2 /boot/vmlinuz-6.1 placeholder root=/dev/xvda1 ro\n"
	   " module2 --nounzip /boot/initrd.img-6.1\n}\n"
	   "menuentry chain { chainloader +1; }\n");
	const struct dl_boot_entry *e = &cfg.entries[0];
	assert_int_equal(e->kind, DL_ENTRY_MULTIBOOT);
	assert_string_equal(e->kernel.path, "/boot/xen.gz");
	assert_string_equal(e->args, "dom0_mem=1G placeholder");
	assert_int_equal(e->nmodules, 2);
	assert_string_equal(e->modules[0].path, "/boot/vmlinuz-6.1");
	assert_string_equal(e->module_args[0], "placeholder root=/dev/xvda1 ro");
	assert_string_equal(e->modules[1].path, "/boot/initrd.img-6.1");
	assert_string_equal(e->module_args[1], "");
	assert_false(dl_boot_entry_bootable(e));
	assert_int_equal(cfg.entries[1].kind, DL_ENTRY_OTHER);
	/* not bootable: the default falls back to nothing */
	assert_int_equal(sel(NULL), -ENOENT);
	assert_string_equal(err.msg, "/boot/grub/grub.cfg: no bootable Linux entry");
	assert_int_equal(sel("xen"), -EOPNOTSUPP);
	assert_int_equal(err.code, DL_EUNSUPPORTED);
	assert_string_equal(err.msg, "/boot/grub/grub.cfg: entry 'xen' is a multiboot (Xen) entry, not a Linux kernel");
}

static void test_device_prefixes(void **st)
{
	(void)st;
	/* pygrub drops the device and fails on ($root) (pygrub.md §3.2) */
	ok("set dev=hd1,gpt2\n"
	   "menuentry a { linux (hd0,msdos1)/vmlinuz; initrd (hd0,gpt2)/initrd; }\n"
	   "menuentry b { set root='hd0,gpt3'; linux ($root)/vmlinuz; initrd /initrd; }\n"
	   "menuentry c { linux ($dev)/boot/vmlinuz; initrd ()/i; }\n"
	   "menuentry d { set root=(hd0,gpt4); linux /vmlinuz; }\n");
	assert_null(cfg.entries[0].kernel.dev);   /* our own volume */
	assert_string_equal(cfg.entries[0].initrds[0].dev, "hd0,gpt2");
	assert_string_equal(cfg.entries[1].kernel.dev, "hd0,gpt3");
	assert_string_equal(cfg.entries[1].initrds[0].dev, "hd0,gpt3");
	assert_string_equal(cfg.entries[2].kernel.dev, "hd1,gpt2");
	assert_string_equal(cfg.entries[2].kernel.path, "/boot/vmlinuz");
	assert_null(cfg.entries[2].initrds[0].dev);
	assert_string_equal(cfg.entries[3].kernel.dev, "hd0,gpt4");
}

static const char menu[] =
	"menuentry 'Top' --id top { linux /k0; }\n"
	"submenu 'Advanced' --id adv {\n"
	"  menuentry 'A0' --id a0 { linux /k1; }\n"
	"  menuentry 'A1' --id a1 { linux /k2; }\n"
	"  submenu 'Deep' { menuentry 'D0' { linux /k3; } }\n"
	"}\n"
	"menuentry 'Last' { linux /k4; }\n";

static void test_default_forms(void **st)
{
	(void)st;
	struct {
		const char *set, *want;
	} cases[] = {
		{"", "Top"},          {"0", "Top"},       {"2", "Last"},
		{"1", "A0"},          /* a submenu: its first entry */
		{"1>1", "A1"},        {"1>2>0", "D0"},    {"Advanced>A1", "A1"},
		{"adv>a1", "A1"},     {"Last", "Last"},   {"top", "Top"},
		{"9", "Top"},         /* GRUB: an invalid default is entry 0 */
		{"nope", "Top"},      {"1>7", "Top"},
	};
	for (size_t i = 0; i < DL_ARRAY_SIZE(cases); i++) {
		char *text = malloc(strlen(menu) + 64);
		sprintf(text, "%sset default=\"%s\"\n", menu, cases[i].set);
		setup(NULL);
		ok(text);
		free(text);
		int s = sel(NULL);
		assert_true(s >= 0);
		if (strcmp(cfg.entries[s].title, cases[i].want))
			fail_msg("default=%s: got %s, want %s", cases[i].set, cfg.entries[s].title,
				 cases[i].want);
		teardown(NULL);
	}
}

static void test_saved_and_next_entry(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/boot/grub/grubenv",
		 "# GRUB Environment Block\nsaved_entry=Advanced>A1\nnext_entry=\n####");
	const char hdr[] = "load_env\nif [ \"${next_entry}\" ] ; then\n set default=\"${next_entry}\"\n"
			   "else\n set default=\"${saved_entry}\"\nfi\n";
	char text[2048];
	snprintf(text, sizeof(text), "%s%s", hdr, menu);
	ok(text);
	assert_string_equal(cfg.entries[sel(NULL)].title, "A1");
	assert_string_equal(cfg.default_spec, "Advanced>A1");
	teardown(NULL);
	setup(NULL);
	fake_add(&f, NULL, "/boot/grub/grubenv",
		 "# GRUB Environment Block\nsaved_entry=a0\nnext_entry=Last\n####");
	ok(text);
	assert_string_equal(cfg.entries[sel(NULL)].title, "Last");
	teardown(NULL);
	/* "saved" reads saved_entry too */
	setup(NULL);
	fake_add(&f, NULL, "/boot/grub/grubenv", "# GRUB Environment Block\nsaved_entry=2\n####");
	snprintf(text, sizeof(text), "load_env\nset default=saved\n%s", menu);
	ok(text);
	assert_string_equal(cfg.entries[sel(NULL)].title, "Last");
}

static void test_fallback(void **st)
{
	(void)st;
	ok("set default=0\nset fallback=\"2 1\"\n"
	   "menuentry memtest { knetbsd /memtest; }\n"
	   "menuentry one { linux /k1; }\n"
	   "menuentry two { linux /k2; }\n");
	assert_int_equal(cfg.def, 0);
	assert_int_equal(cfg.fallback, 2);
	assert_string_equal(cfg.entries[sel(NULL)].title, "two");
}

static void test_entry_forms(void **st)
{
	(void)st;
	ok(menu);
	/* pygrub's flattened index over the leaves: 0 Top, 1 A0, 2 A1, 3 D0, 4 Last.
	 * GRUB would read "1" as the submenu; --entry keeps pygrub's meaning for
	 * compatibility, while "set default=1" in the config follows GRUB. */
	const char *want[] = {"Top", "A0", "A1", "D0", "Last"};
	for (int i = 0; i < 5; i++) {
		char s[16];
		snprintf(s, sizeof(s), "%d", i);
		int r = sel(s);
		assert_true(r >= 0);
		assert_string_equal(cfg.entries[r].title, want[i]);
		assert_int_equal(dl_boot_flat_index(&cfg, r), i);
	}
	assert_int_equal(sel("5"), -ENOENT);
	assert_string_equal(err.msg, "/boot/grub/grub.cfg: no entry 5 (the menu has 5)");
	assert_string_equal(cfg.entries[sel("1>1")].title, "A1");
	assert_string_equal(cfg.entries[sel("1>2>0")].title, "D0");
	assert_string_equal(cfg.entries[sel("A1")].title, "A1");
	assert_string_equal(cfg.entries[sel("a0")].title, "A0");
	assert_string_equal(cfg.entries[sel("Advanced")].title, "A0");
	assert_string_equal(cfg.entries[sel("adv>a1")].title, "A1");
	assert_int_equal(sel("Missing"), -ENOENT);
	assert_int_equal(err.code, DL_ENOTFOUND);
	assert_string_equal(err.msg, "/boot/grub/grub.cfg: no entry 'Missing'");
	char p[64];
	assert_string_equal(dl_boot_entry_path(&cfg, sel("D0"), p, sizeof(p)), "1>2>0");
	assert_int_equal(dl_boot_flat_index(&cfg, 1), -1);
}

static void test_list_text_and_json(void **st)
{
	(void)st;
	char text[2048];
	snprintf(text, sizeof(text), "%sset default=\"1>1\"\nset timeout=7\n", menu);
	ok(text);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	dl_boot_list(&cfg, out, false);
	fclose(out);
	assert_string_equal(buf, "  0     Top\n"
				 "  1     Advanced >\n"
				 "    1>0   A0\n"
				 "*   1>1   A1\n"
				 "    1>2   Deep >\n"
				 "      1>2>0 D0\n"
				 "  2     Last\n");
	free(buf);
	out = open_memstream(&buf, &len);
	dl_boot_list(&cfg, out, true);
	fclose(out);
	assert_string_equal(
		buf,
		"{\"config\":\"/boot/grub/grub.cfg\",\"format\":\"grub2\",\"default\":\"1>1\","
		"\"default_spec\":\"1>1\",\"timeout\":7,\"entries\":["
		"{\"path\":\"0\",\"index\":0,\"title\":\"Top\",\"id\":\"top\",\"kind\":\"linux\",\"default\":false,"
		"\"kernel\":{\"device\":null,\"path\":\"/k0\"},\"initrds\":[],\"modules\":[],\"args\":\"\"},"
		"{\"path\":\"1\",\"index\":-1,\"title\":\"Advanced\",\"id\":\"adv\",\"kind\":\"submenu\",\"default\":false,\"entries\":["
		"{\"path\":\"1>0\",\"index\":1,\"title\":\"A0\",\"id\":\"a0\",\"kind\":\"linux\",\"default\":false,"
		"\"kernel\":{\"device\":null,\"path\":\"/k1\"},\"initrds\":[],\"modules\":[],\"args\":\"\"},"
		"{\"path\":\"1>1\",\"index\":2,\"title\":\"A1\",\"id\":\"a1\",\"kind\":\"linux\",\"default\":true,"
		"\"kernel\":{\"device\":null,\"path\":\"/k2\"},\"initrds\":[],\"modules\":[],\"args\":\"\"},"
		"{\"path\":\"1>2\",\"index\":-1,\"title\":\"Deep\",\"id\":null,\"kind\":\"submenu\",\"default\":false,\"entries\":["
		"{\"path\":\"1>2>0\",\"index\":3,\"title\":\"D0\",\"id\":null,\"kind\":\"linux\",\"default\":false,"
		"\"kernel\":{\"device\":null,\"path\":\"/k3\"},\"initrds\":[],\"modules\":[],\"args\":\"\"}]}]},"
		"{\"path\":\"2\",\"index\":4,\"title\":\"Last\",\"id\":null,\"kind\":\"linux\",\"default\":false,"
		"\"kernel\":{\"device\":null,\"path\":\"/k4\"},\"initrds\":[],\"modules\":[],\"args\":\"\"}]}\n");
	free(buf);
}

static void test_json_escaping(void **st)
{
	(void)st;
	ok("menuentry \"q\\\"b\\\\\t\" { linux /k \"a\\\"b\"; }\n");
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	dl_boot_list(&cfg, out, true);
	fclose(out);
	assert_non_null(strstr(buf, "\"title\":\"q\\\"b\\\\\\t\""));
	assert_non_null(strstr(buf, "\"args\":\"a\\\"b\""));
	free(buf);
	dl_boot_config_free(&cfg);
	/* a byte order mark is skipped; bytes that are not UTF-8 become U+FFFD */
	ok("\xef\xbb\xbfmenuentry \"caf\xc3\xa9 \xff\xc3(\" { linux /k; }\n");
	out = open_memstream(&buf, &len);
	dl_boot_list(&cfg, out, true);
	fclose(out);
	assert_non_null(strstr(buf, "\"title\":\"caf\xc3\xa9 \\ufffd\\ufffd(\""));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_linux_variants, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_initrds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multiboot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_prefixes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_saved_and_next_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_text_and_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_escaping, setup, teardown),
	};
	return cmocka_run_group_tests_name("grub2 entries", tests, NULL, NULL);
}
