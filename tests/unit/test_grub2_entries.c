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
#include "test_grub2_entries.configs.h"

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

/* config cfg_linux_variants:
menuentry a { linux /vmlinuz-a root=/dev/xvda1 ro; initrd /initrd-a; }
menuentry b { linux16 /vmlinuz-b; initrd16 /initrd-b; }
menuentry c { linuxefi /vmlinuz-c quiet; initrdefi /initrd-c; }
menuentry d { linux //boot//./vmlinuz-d; }
*/

static void test_linux_variants(void **st)
{
	(void)st;
	ok(cfg_linux_variants);
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

/* config cfg_two_initrds:
menuentry a {
 linux /vmlinuz
 initrd /intel-ucode.img /initramfs.img
}
menuentry b {
 initrd /old.img
 linux /vmlinuz
 initrd (hd0,msdos2)/amd-ucode.img ($root)/x.img
}
*/

static void test_two_initrds(void **st)
{
	(void)st;
	/* pygrub takes "/intel-ucode.img /initramfs.img" as one path
	 * (Grub2Image in Xen's tools/pygrub/src/GrubConf.py) */
	ok(cfg_two_initrds);
	assert_int_equal(cfg.entries[0].ninitrds, 2);
	assert_string_equal(cfg.entries[0].initrds[0].path, "/intel-ucode.img");
	assert_string_equal(cfg.entries[0].initrds[1].path, "/initramfs.img");
	/* the last initrd command replaces an earlier one */
	assert_int_equal(cfg.entries[1].ninitrds, 2);
	assert_string_equal(cfg.entries[1].initrds[0].dev, "hd0,msdos2");
	assert_string_equal(cfg.entries[1].initrds[0].path, "/amd-ucode.img");
	assert_null(cfg.entries[1].initrds[1].dev);
}

/* config cfg_multiboot:
menuentry xen {
 multiboot2 /boot/xen.gz dom0_mem=1G placeholder
 module2 /boot/vmlinuz-6.1 placeholder root=/dev/xvda1 ro
 module2 --nounzip /boot/initrd.img-6.1
}
menuentry chain { chainloader +1; }
*/

static void test_multiboot(void **st)
{
	(void)st;
	ok(cfg_multiboot);
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
	assert_true(dl_boot_entry_multiboot(e));
	/* no Linux entry: the multiboot default is booted, with its modules */
	assert_int_equal(sel(NULL), 0);
	assert_int_equal(sel("xen"), 0);
	assert_int_equal(sel("chain"), -EOPNOTSUPP);
	assert_int_equal(err.code, DL_EUNSUPPORTED);
	assert_string_equal(err.msg, "/boot/grub/grub.cfg: entry 'chain' has no Linux kernel");
}

/* config cfg_device_prefixes:
set dev=hd1,gpt2
menuentry a { linux (hd0,msdos1)/vmlinuz; initrd (hd0,gpt2)/initrd; }
menuentry b { set root='hd0,gpt3'; linux ($root)/vmlinuz; initrd /initrd; }
menuentry c { linux ($dev)/boot/vmlinuz; initrd ()/i; }
menuentry d { set root=(hd0,gpt4); linux /vmlinuz; }
*/

static void test_device_prefixes(void **st)
{
	(void)st;
	/* pygrub drops the device and fails on ($root) (GrubDiskPart in
	 * Xen's tools/pygrub/src/GrubConf.py) */
	ok(cfg_device_prefixes);
	assert_null(cfg.entries[0].kernel.dev);   /* our own volume */
	assert_string_equal(cfg.entries[0].initrds[0].dev, "hd0,gpt2");
	assert_string_equal(cfg.entries[1].kernel.dev, "hd0,gpt3");
	assert_string_equal(cfg.entries[1].initrds[0].dev, "hd0,gpt3");
	assert_string_equal(cfg.entries[2].kernel.dev, "hd1,gpt2");
	assert_string_equal(cfg.entries[2].kernel.path, "/boot/vmlinuz");
	assert_null(cfg.entries[2].initrds[0].dev);
	assert_string_equal(cfg.entries[3].kernel.dev, "hd0,gpt4");
}

/* config menu:
menuentry 'Top' --id top { linux /k0; }
submenu 'Advanced' --id adv {
  menuentry 'A0' --id a0 { linux /k1; }
  menuentry 'A1' --id a1 { linux /k2; }
  submenu 'Deep' { menuentry 'D0' { linux /k3; } }
}
menuentry 'Last' { linux /k4; }
*/

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
		{"nope", "Top"},
		/* get_entry_number (grub-core/normal/menu.c) reads the value with
		 * grub_strtoul, whose trailing characters are not an error: a
		 * number prefix is an index, "0x" hex, "0N" octal */
		{"2fast", "Last"},    {"0x2", "Last"},    {"02", "Last"},
		{"08", "Top"},        /* not octal: 8, no such entry */
		{"0x", "Top"},        /* no digit: a title, not found */
		{"-1", "Top"},        /* no digit: a title, not found */
		{"4294967298", "Last"}, /* (int) grub_strtoul: truncated to 2 */
		{"1>1junk", "A1"},
		/* inside a submenu, an index or a name that is not there is the
		 * submenu's entry 0 (show_menu: "fall back to the default") */
		{"1>7", "A0"},        {"1>nope", "A0"},   {"adv>2>5", "D0"},
		/* a leaf ends the path: grub_menu_execute_entry boots it */
		{"0>1", "Top"},       {"Last>0", "Last"},
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

/* config cfg_escaped:
menuentry 'a>b' --id 'x>y' { linux /k0; }
submenu 'S>1' { menuentry 'two' { linux /k2; } menuentry 'in>>' { linux /k1; } }
menuentry 'a' { linux /k3; }
menuentry '1fast' { linux /k4; }
menuentry 'f' --id '0x3' { linux /k5; }
*/

/* menuentry_eq (grub-core/normal/menu.c): ">>" in a default is a '>' of
 * the title or id, a single '>' separates submenu levels.  GNU GRUB's
 * get_entry_number reads a number first (grub_strtoul: whatever follows
 * the digits is ignored), titles and ids only when there is none; the
 * GRUB of Fedora/RHEL (rhboot get_entry_number_helper, "Fix menu entry
 * selection based on ID and title", rhbz#1640979), told by blscfg in the
 * configuration, matches ids, then titles, then a number nothing
 * follows, which BLS ids and titles starting with digits rely on. */
static void test_default_escaped_gt(void **st)
{
	(void)st;
	struct {
		const char *set, *upstream, *rhboot;
	} cases[] = {
		{"a>>b", "a>b", "a>b"},   {"x>>y", "a>b", "a>b"},  {"a>b", "a", "a"},
		{"S>>1>two", "two", "two"}, {"S>>1>in>>>>", "in>>", "in>>"}, {"S>>1>in>>", "two", "two"},
		{"S>1", "a>b", "a>b"},     /* "S" names nothing: entry 0 */
		{"1fast", "two", "1fast"}, /* upstream: 1, the submenu, its entry 0 */
		{"1faster", "two", "a>b"}, /* rhboot: digits then more name nothing */
		{"0x3", "1fast", "f"},     {"0x2", "a", "a"},
		{"1>1", "in>>", "a>b"},    /* rhboot reads no number path */
	};
	for (int rh = 0; rh < 2; rh++)
		for (size_t i = 0; i < DL_ARRAY_SIZE(cases); i++) {
			char text[1024];
			snprintf(text, sizeof(text), "%s%sset default=\"%s\"\n", cfg_escaped,
				 rh ? "blscfg\n" : "", cases[i].set);
			setup(NULL);
			ok(text);
			assert_int_equal(cfg.grub_rhboot, rh);
			int s = sel(NULL);
			assert_true(s >= 0);
			const char *want = rh ? cases[i].rhboot : cases[i].upstream;
			if (strcmp(cfg.entries[s].title, want))
				fail_msg("%s default=%s: got %s, want %s", rh ? "rhboot" : "upstream",
					 cases[i].set, cfg.entries[s].title, want);
			teardown(NULL);
		}
}

/* config cfg_saved_and_next_entry:
load_env
if [ "${next_entry}" ] ; then
 set default="${next_entry}"
else
 set default="${saved_entry}"
fi
*/

static void test_saved_and_next_entry(void **st)
{
	(void)st;
	fake_add(&f, NULL, "/boot/grub/grubenv",
		 "# GRUB Environment Block\nsaved_entry=Advanced>A1\nnext_entry=\n####");
	char text[2048];
	snprintf(text, sizeof(text), "%s%s", cfg_saved_and_next_entry, menu);
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
	/* saved_entry as an id path and an index path, as grub-set-default
	 * writes them */
	const char *saved[][2] = {{"adv>a1", "A1"}, {"1>2>0", "D0"}, {"1>9", "A0"}};
	for (size_t i = 0; i < DL_ARRAY_SIZE(saved); i++) {
		teardown(NULL);
		setup(NULL);
		char env[256];
		snprintf(env, sizeof(env), "# GRUB Environment Block\nsaved_entry=%s\n####", saved[i][0]);
		fake_add(&f, NULL, "/boot/grub/grubenv", env);
		ok(text);
		assert_string_equal(cfg.entries[sel(NULL)].title, saved[i][1]);
	}
}

/* config cfg_fallback:
set default=0
set fallback="2 1"
menuentry memtest { knetbsd /memtest; }
menuentry one { linux /k1; }
menuentry two { linux /k2; }
*/

static void test_fallback(void **st)
{
	(void)st;
	ok(cfg_fallback);
	assert_int_equal(cfg.def, 0);
	assert_int_equal(cfg.fallback, 2);
	assert_int_equal(cfg.nfallbacks, 2);
	assert_int_equal(cfg.fallbacks[1], 1);
	assert_string_equal(cfg.entries[sel(NULL)].title, "two");
	/* after the default (0) and "two" failed to boot: "one" */
	int tried[] = {0, 2};
	assert_int_equal(dl_boot_next_fallback(&cfg, tried, 2), 1);
	assert_int_equal(dl_boot_next_fallback(&cfg, (int[]){0, 2, 1}, 3), -1);
}

/* config cfg_fallback_list:
menuentry 'Zero' --id z { linux /k0; }
submenu 'Sub' --id sub { menuentry 'S0' { linux /k1; } menuentry 'S1' { linux /k2; } }
menuentry 'Two words' --id tw { linux /k3; }
menuentry 'Chain' { chainloader +1; }
*/

/* GRUB's fallback is a list consumed item by item
 * (get_and_remove_first_entry_number, grub_menu_execute_with_fallback in
 * grub-core/normal/menu.c): numbers of the top level (grub_strtoul: "2x"
 * is 2, then "x" ends the list); in rhboot's GRUB also an id up to the next
 * blank or a title equal to the whole rest (get_entry_number_helper); a
 * submenu boots its first entry; the first item naming nothing ends it. */
static void test_fallback_list(void **st)
{
	(void)st;
	struct {
		const char *set;
		const char *want[4];
	} cases[] = {
		{"2 1 0", {"Two words", "S0", "Zero"}},
		{"  2\t0  ", {"Two words", "Zero"}},
		{"0x2 01", {"Two words", "S0"}},
		{"tw z", {"Two words", "Zero"}},
		{"2 Two words", {"Two words"}},     /* a title matches the whole rest */
		{"1 Two words", {"S0", "Two words"}},
		{"2x 0", {"Two words"}},
		{"nope 0", {NULL}},
		{"9 0", {NULL}},                   /* no entry 9: the list ends */
		{"2 2 tw 0", {"Two words", "Zero"}}, /* repeats are tried once */
		{"3 0", {"Chain", "Zero"}},
		{"", {NULL}},
	};
	for (size_t i = 0; i < DL_ARRAY_SIZE(cases); i++) {
		char text[1024];
		snprintf(text, sizeof(text), "%sset fallback=\"%s\"\n", cfg_fallback_list, cases[i].set);
		setup(NULL);
		ok(text);
		size_t n = 0;
		while (n < 4 && cases[i].want[n])
			n++;
		if (cfg.nfallbacks != n)
			fail_msg("fallback=%s: %zu entries, want %zu", cases[i].set, cfg.nfallbacks, n);
		for (size_t k = 0; k < n; k++)
			if (strcmp(cfg.entries[cfg.fallbacks[k]].title, cases[i].want[k]))
				fail_msg("fallback=%s: item %zu is %s, want %s", cases[i].set, k,
					 cfg.entries[cfg.fallbacks[k]].title, cases[i].want[k]);
		teardown(NULL);
	}
	/* the default cannot be booted (chainloader): the first fallback we
	 * can boot; the chainloader fallback is passed over */
	char text[1024];
	snprintf(text, sizeof(text), "%sset default=3\nset fallback=\"3 2 0\"\n", cfg_fallback_list);
	setup(NULL);
	ok(text);
	int tried[] = {5, sel(NULL)};
	assert_string_equal(cfg.entries[tried[1]].title, "Two words");
	assert_string_equal(cfg.entries[dl_boot_next_fallback(&cfg, tried, 2)].title, "Zero");
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
	/* the error names what exists, by index (and GRUB path where it differs) */
	assert_string_equal(err.msg, "/boot/grub/grub.cfg: no entry 5; entries: 0 'Top', 1 (1>0) 'A0', "
				     "2 (1>1) 'A1', 3 (1>2>0) 'D0', 4 (2) 'Last'");
	assert_string_equal(cfg.entries[sel("1>1")].title, "A1");
	assert_string_equal(cfg.entries[sel("1>2>0")].title, "D0");
	assert_string_equal(cfg.entries[sel("A1")].title, "A1");
	assert_string_equal(cfg.entries[sel("a0")].title, "A0");
	assert_string_equal(cfg.entries[sel("Advanced")].title, "A0");
	assert_string_equal(cfg.entries[sel("adv>a1")].title, "A1");
	assert_int_equal(sel("Missing"), -ENOENT);
	assert_int_equal(err.code, DL_ENOTFOUND);
	assert_string_equal(err.msg, "/boot/grub/grub.cfg: no entry 'Missing'; entries: 0 'Top', "
				     "1 (1>0) 'A0', 2 (1>1) 'A1', 3 (1>2>0) 'D0', 4 (2) 'Last'");
	assert_int_equal(sel("1>7"), -ENOENT);
	assert_non_null(strstr(err.msg, "no entry '1>7'; entries: 0 'Top', "));
	char p[64];
	assert_string_equal(dl_boot_entry_path(&cfg, sel("D0"), p, sizeof(p)), "1>2>0");
	assert_int_equal(dl_boot_flat_index(&cfg, 1), -1);
}

/* Every leaf is chosen by the index -l shows, by the GRUB path it shows
 * (a bare number is always the index: the top-level "2" after a submenu
 * is index 4, as pygrub counts), and by its title: the listing and
 * --entry agree. */
static void test_listing_numbers_select(void **st)
{
	(void)st;
	ok(menu);
	for (size_t i = 0; i < cfg.nentries; i++) {
		if (cfg.entries[i].submenu)
			continue;
		char p[64], n[16];
		snprintf(n, sizeof(n), "%d", dl_boot_flat_index(&cfg, (int)i));
		dl_boot_entry_path(&cfg, (int)i, p, sizeof(p));
		assert_int_equal(sel(n), (int)i);
		if (strchr(p, '>') || !strcmp(p, n))
			assert_int_equal(sel(p), (int)i);
		assert_int_equal(sel(cfg.entries[i].title), (int)i);
	}
	assert_string_equal(cfg.entries[sel("4")].title, "Last");   /* GRUB's "2" */
	assert_string_equal(cfg.entries[sel("2")].title, "A1");
}

/* A long menu: the error stays one bounded line, titles cut on a UTF-8
 * boundary, with how many entries it leaves out. */
static void test_unknown_entry_long_menu(void **st)
{
	(void)st;
	struct dl_sbuf b = { 0 };
	for (int i = 0; i < 200; i++)
		dl_sbuf_printf(&b, "menuentry 'Entry %d \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
			       "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
			       "\xc3\xa9\xc3\xa9' { linux /k%d; }\n", i, i);
	ok(dl_sbuf_str(&b));
	dl_sbuf_free(&b);
	assert_int_equal(sel("999"), -ENOENT);
	assert_null(strchr(err.msg, '\n'));
	assert_true(strlen(err.msg) < 800);
	assert_non_null(strstr(err.msg, "no entry 999; entries: 0 'Entry 0 \xc3\xa9"));
	assert_non_null(strstr(err.msg, "\xc3\xa9...', 1 'Entry 1 "));
	assert_non_null(strstr(err.msg, " more)"));
	assert_null(strstr(err.msg, "\xc3..."));   /* never half a character */
}

/* config cfg_list_text_and_json:
# index  path   title
  0      0      Top
                    kernel: /k0
                    args:
  -      1      Advanced >
  1      1>0      A0
                      kernel: /k1
                      args:
* 2      1>1      A1
                      kernel: /k2
                      args:
  -      1>2      Deep >
  3      1>2>0      D0
                        kernel: /k3
                        args:
  4      2      Last
                    kernel: /k4
                    args:
*/

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
	assert_string_equal(buf, cfg_list_text_and_json);
	free(buf);
	out = open_memstream(&buf, &len);
	dl_boot_list(&cfg, out, true);
	fclose(out);
	assert_string_equal(
		buf,
		"{\"config\":\"/boot/grub/grub.cfg\",\"volume\":null,\"config_path\":\"/boot/grub/grub.cfg\","
		"\"format\":\"grub2\",\"default\":\"1>1\",\"default_index\":2,"
		"\"default_spec\":\"1>1\",\"timeout\":7,\"timeout_style\":null,\"entries\":["
		"{\"path\":\"0\",\"index\":0,\"title\":\"Top\",\"id\":\"top\",\"kind\":\"linux\",\"default\":false,"
		"\"kernel\":{\"device\":null,\"path\":\"/k0\",\"volume\":null,\"guest_path\":null,\"error\":null},\"initrds\":[],\"modules\":[],\"args\":\"\"},"
		"{\"path\":\"1\",\"index\":-1,\"title\":\"Advanced\",\"id\":\"adv\",\"kind\":\"submenu\",\"default\":false,\"entries\":["
		"{\"path\":\"1>0\",\"index\":1,\"title\":\"A0\",\"id\":\"a0\",\"kind\":\"linux\",\"default\":false,"
		"\"kernel\":{\"device\":null,\"path\":\"/k1\",\"volume\":null,\"guest_path\":null,\"error\":null},\"initrds\":[],\"modules\":[],\"args\":\"\"},"
		"{\"path\":\"1>1\",\"index\":2,\"title\":\"A1\",\"id\":\"a1\",\"kind\":\"linux\",\"default\":true,"
		"\"kernel\":{\"device\":null,\"path\":\"/k2\",\"volume\":null,\"guest_path\":null,\"error\":null},\"initrds\":[],\"modules\":[],\"args\":\"\"},"
		"{\"path\":\"1>2\",\"index\":-1,\"title\":\"Deep\",\"id\":null,\"kind\":\"submenu\",\"default\":false,\"entries\":["
		"{\"path\":\"1>2>0\",\"index\":3,\"title\":\"D0\",\"id\":null,\"kind\":\"linux\",\"default\":false,"
		"\"kernel\":{\"device\":null,\"path\":\"/k3\",\"volume\":null,\"guest_path\":null,\"error\":null},\"initrds\":[],\"modules\":[],\"args\":\"\"}]}]},"
		"{\"path\":\"2\",\"index\":4,\"title\":\"Last\",\"id\":null,\"kind\":\"linux\",\"default\":false,"
		"\"kernel\":{\"device\":null,\"path\":\"/k4\",\"volume\":null,\"guest_path\":null,\"error\":null},\"initrds\":[],\"modules\":[],\"args\":\"\"}]}\n");
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
		cmocka_unit_test_setup_teardown(test_default_escaped_gt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_saved_and_next_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fallback_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_text_and_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_listing_numbers_select, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_entry_long_menu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_escaping, setup, teardown),
	};
	return cmocka_run_group_tests_name("grub2 entries", tests, NULL, NULL);
}
