/* domuloader ls/cat: guest path splitting, ls lines and name escaping;
 * the OS summary: os-release and the older release files, the kernel's
 * architecture. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guest/osrelease.h"
#include "guestcmd.h"

static bool is_vol(void *ctx, const char *name)
{
	(void)ctx;
	return !strcmp(name, "xvda2") || !strcmp(name, "/dev/vg/root") || !strcmp(name, "hd0,gpt1");
}

static void split_is(const char *spec, const char *vol, const char *path)
{
	char *v;
	char *p = dl_guestcmd_split(spec, is_vol, NULL, &v);
	if (vol)
		assert_string_equal(v, vol);
	else
		assert_null(v);
	assert_string_equal(p, path);
	free(v);
	free(p);
}

static void test_split(void **st)
{
	(void)st;
	split_is("xvda2:/etc/fstab", "xvda2", "/etc/fstab");
	split_is("/dev/vg/root:/boot", "/dev/vg/root", "/boot");
	split_is("hd0,gpt1:/grub//./x/../grub.cfg", "hd0,gpt1", "/grub/grub.cfg");
	split_is("xvda2:", "xvda2", "/");
	split_is("xvda2", "xvda2", "/");
	split_is("/etc/fstab", NULL, "/etc/fstab");
	split_is("/srv/a:/b", NULL, "/srv/a:/b");       /* "/srv/a" is no volume */
	split_is("/../../etc/", NULL, "/etc");
	split_is("xvdz9:/x", "xvdz9", "/x");            /* named, unknown: the caller says so */
	split_is("a:b", "a:b", "/");
	split_is("(hd0,gpt1)/grub/grub.cfg", "hd0,gpt1", "/grub/grub.cfg");
	split_is("(hd0,gpt1)", "hd0,gpt1", "/");
	split_is("/dev/vg/root", "/dev/vg/root", "/");
	split_is("/dev/vg/other", NULL, "/dev/vg/other");
}

static void line_is(const char *name, struct dl_stat st, const char *target, const char *want)
{
	struct dl_sbuf b = { 0 };
	dl_guestcmd_line(&b, name, &st, target);
	assert_string_equal(dl_sbuf_str(&b), want);
	dl_sbuf_free(&b);
}

static void test_line(void **st)
{
	(void)st;
	line_is("etc", (struct dl_stat){ .type = DL_FT_DIR, .size = 1024, .mode = 040755 }, NULL,
		"drwxr-xr-x         1024 etc\n");
	line_is("os-release", (struct dl_stat){ .type = DL_FT_LNK, .size = 21, .mode = 0120777 },
		"../usr/lib/os-release", "lrwxrwxrwx           21 os-release -> ../usr/lib/os-release\n");
	line_is("su", (struct dl_stat){ .type = DL_FT_REG, .size = 5, .mode = 0104755 }, NULL,
		"-rwsr-xr-x            5 su\n");
	line_is("tmp", (struct dl_stat){ .type = DL_FT_DIR, .size = 0, .mode = 041776 }, NULL,
		"drwxrwxrwT            0 tmp\n");
	line_is("null", (struct dl_stat){ .type = DL_FT_OTHER, .mode = 020666 }, NULL,
		"crw-rw-rw-            0 null\n");
	/* FAT keeps no mode */
	line_is("EFI", (struct dl_stat){ .type = DL_FT_DIR }, NULL, "d?????????            0 EFI\n");
	line_is("a\nb\033[2J\\", (struct dl_stat){ .type = DL_FT_REG, .mode = 0100644 }, "x\ty",
		"-rw-r--r--            0 a\\nb\\033[2J\\\\ -> x\\ty\n");
}

static void test_osrelease(void **st)
{
	(void)st;
	struct dl_osinfo os = { 0 };
	const char *t = "# os-release\n"
			"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
			"NAME=\"Debian GNU/Linux\"\r\n"
			"VERSION_ID=\"12\"\n"
			"ID=debian\n";
	assert_int_equal(dl_osrelease_parse(t, strlen(t), &os), 0);
	assert_string_equal(os.id, "debian");
	assert_string_equal(os.version_id, "12");
	assert_string_equal(os.pretty_name, "Debian GNU/Linux 12 (bookworm)");
	assert_string_equal(os.name, "Debian GNU/Linux");

	/* quoting as systemd reads it; the last assignment wins */
	memset(&os, 0, sizeof(os));
	t = "ID=old\n  ID='fe'dora\nNAME=\"A \\\"B\\\" \\$C \\n\"  \nVERSION=\"39 (x)\"\nVERSION_ID=39   \n";
	assert_int_equal(dl_osrelease_parse(t, strlen(t), &os), 0);
	assert_string_equal(os.id, "fedora");
	assert_string_equal(os.name, "A \"B\" $C \\n");
	assert_string_equal(os.version_id, "39");
	assert_string_equal(os.pretty_name, "A \"B\" $C \\n 39 (x)");   /* NAME VERSION */

	/* os-release(5)'s defaults; nothing useful: absent */
	memset(&os, 0, sizeof(os));
	t = "ID=alpine\nVERSION_ID=3.19.1\n";
	assert_int_equal(dl_osrelease_parse(t, strlen(t), &os), 0);
	assert_string_equal(os.name, "Linux");
	memset(&os, 0, sizeof(os));
	t = "HOME_URL=x\nlowercase=y\n=z\n";
	assert_int_equal(dl_osrelease_parse(t, strlen(t), &os), DL_ABSENT);

	/* a long value is cut inside its field, at a character boundary */
	char big[1200];
	memset(&os, 0, sizeof(os));
	int n = snprintf(big, sizeof(big), "ID=");
	for (int i = 0; i < 100; i++)
		n += snprintf(big + n, sizeof(big) - (size_t)n, "\xc3\xa9");
	assert_int_equal(dl_osrelease_parse(big, (size_t)n, &os), 0);
	assert_int_equal(strlen(os.id), 62);
}

static void test_legacy(void **st)
{
	(void)st;
	struct dl_osinfo os = { 0 };
	const char *t = "CentOS release 6.10 (Final)\n";
	assert_int_equal(dl_osrelease_legacy("redhat-release", t, strlen(t), &os), 0);
	assert_string_equal(os.id, "centos");
	assert_string_equal(os.version_id, "6.10");
	assert_string_equal(os.pretty_name, "CentOS release 6.10 (Final)");
	memset(&os, 0, sizeof(os));
	t = "SUSE Linux Enterprise Server 11 (x86_64)\nVERSION = 11\nPATCHLEVEL = 4\n";
	assert_int_equal(dl_osrelease_legacy("SuSE-release", t, strlen(t), &os), 0);
	assert_string_equal(os.id, "sles");
	assert_string_equal(os.version_id, "11.4");
	memset(&os, 0, sizeof(os));
	t = "11.9\n";
	assert_int_equal(dl_osrelease_legacy("debian_version", t, strlen(t), &os), 0);
	assert_string_equal(os.id, "debian");
	assert_string_equal(os.version_id, "11.9");
	memset(&os, 0, sizeof(os));
	t = "bookworm/sid\n";
	assert_int_equal(dl_osrelease_legacy("debian_version", t, strlen(t), &os), 0);
	assert_string_equal(os.version_id, "");
	assert_string_equal(os.pretty_name, "Debian GNU/Linux bookworm/sid");
	assert_int_equal(dl_osrelease_legacy("debian_version", "", 0, &os), DL_ABSENT);
}

static void test_arch(void **st)
{
	(void)st;
	assert_string_equal(dl_os_arch(true, 62, 64, "ELF64"), "x86_64");
	assert_string_equal(dl_os_arch(true, 3, 32, "ELF32"), "i386");
	assert_string_equal(dl_os_arch(true, 183, 64, "ELF64"), "aarch64");
	assert_string_equal(dl_os_arch(false, 0, 0, "bzImage"), "x86");
	assert_null(dl_os_arch(false, 0, 0, "unknown"));
	assert_null(dl_os_arch(true, 9999, 64, "ELF64"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_osrelease),
		cmocka_unit_test(test_legacy),
		cmocka_unit_test(test_arch),
	};
	return cmocka_run_group_tests_name("ls/cat paths and lines, os-release", tests, NULL, NULL);
}
