/* The parser's default identity read from the files (src/sandbox/users.c)
 * and where NSS answers instead: each case builds a small root with
 * etc/nsswitch.conf, etc/passwd, etc/group and userdb directories. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sandbox/sandbox.h"

static char root[64];

static void put(const char *rel, const char *text)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void dir(const char *rel)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/dl-users.XXXXXX");
	assert_non_null(mkdtemp(root));
	dir("etc");
	put("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/:/usr/sbin/nologin\n");
	put("etc/group", "root:x:0:\nnogroup:x:65534:\n");
	put("etc/nsswitch.conf", "# a comment\npasswd:         files systemd\ngroup:          files systemd\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* The uid and gid picked with root's files; asserts success. */
static void pick(uid_t *uid, gid_t *gid)
{
	struct dl_sandbox_opts o;
	struct dl_error err = { 0 };
	dl_sandbox_opts_init(&o);
	assert_int_equal(dl_sandbox_pick_user_at(&o, (uid_t)-1, root, &err), 0);
	*uid = o.uid;
	*gid = o.gid;
}

/* What NSS (this host's) picks: the answer whenever the files may not
 * decide. */
static void nss_pick(uid_t *uid, gid_t *gid)
{
	struct passwd *pw = getpwnam("domuloader");
	if (pw) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid ? pw->pw_gid : pw->pw_uid;
		return;
	}
	for (uid_t id = DL_SANDBOX_UID_FIRST; id <= DL_SANDBOX_UID_LAST; id++)
		if (!getpwuid(id) && !getgrgid((gid_t)id)) {
			*uid = id;
			*gid = id;
			return;
		}
	fail_msg("this host has every id of the range");
}

static void test_range_from_files(void **state)
{
	(void)state;
	uid_t u;
	gid_t g;
	pick(&u, &g);
	assert_int_equal(u, DL_SANDBOX_UID_FIRST);
	assert_int_equal(g, DL_SANDBOX_UID_FIRST);
	/* a passwd entry takes an id, so does a group entry alone */
	put("etc/passwd", "root:x:0:0::/:/bin/sh\nsvc:x:65520:100::/:/bin/false\n");
	put("etc/group", "root:x:0:\nsvcgrp:x:65521:\n");
	pick(&u, &g);
	assert_int_equal(u, DL_SANDBOX_UID_FIRST + 2);
	assert_int_equal(g, DL_SANDBOX_UID_FIRST + 2);
	/* "files" alone; comments, blanks and malformed lines as glibc's
	 * files module reads them; a group with members */
	put("etc/nsswitch.conf", "passwd: files\ngroup: files\n");
	put("etc/passwd", "garbage\n# x:x:65522:1::/:\n\nbad:x:65522z:1::/:\n"
			  "svc:x:65520:100::/:/bin/false\n  lead:x:65522:1::/:/bin/sh\nshort:x:65524");
	put("etc/group", "g:x:65521:a,b\n#c:x:65523:\n");
	pick(&u, &g);
	assert_int_equal(u, DL_SANDBOX_UID_FIRST + 3);
	put("etc/group", "g:x:65521:a,b\ng2:x:65523\n");
	pick(&u, &g);
	assert_int_equal(u, DL_SANDBOX_UID_FIRST + 5);
}

static void test_user_from_files(void **state)
{
	(void)state;
	uid_t u;
	gid_t g;
	/* The account is read from root's files, not from this host's */
	put("etc/passwd", "root:x:0:0::/:/bin/sh\ndomuloader:x:4321:4322::/:/bin/false\n"
			  "domuloader:x:999:999::/:/bin/false\n");
	pick(&u, &g);
	assert_int_equal(u, 4321);
	assert_int_equal(g, 4322);
	put("etc/passwd", "domuloader:x:4321:0::/:/bin/false\n");   /* gid 0: gid = uid */
	pick(&u, &g);
	assert_int_equal(g, 4321);
	put("etc/passwd", "domuloader:x:0:0::/:/bin/false\n");
	struct dl_sandbox_opts o;
	struct dl_error err = { 0 };
	dl_sandbox_opts_init(&o);
	assert_int_equal(dl_sandbox_pick_user_at(&o, (uid_t)-1, root, &err), -EINVAL);
	assert_int_equal(err.code, DL_EUSAGE);
	assert_string_equal(err.msg, "user domuloader: has uid 0, refusing to parse guest data as root");
}

/* Where the files may not decide, NSS does: the account in root's passwd
 * is then not seen (this host's NSS reads /etc). */
static void expect_nss(const char *why)
{
	uid_t u, nu;
	gid_t g, ng;
	pick(&u, &g);
	nss_pick(&nu, &ng);
	if (u != nu || g != ng)
		fail_msg("%s: picked %u:%u, NSS says %u:%u", why, (unsigned)u, (unsigned)g,
			 (unsigned)nu, (unsigned)ng);
	assert_int_not_equal(u, 4321);
}

static void test_nss_decides(void **state)
{
	(void)state;
	put("etc/passwd", "domuloader:x:4321:4321::/:/bin/false\n");
	static const char *const confs[] = {
		"passwd: files ldap\ngroup: files\n",
		"passwd: files\ngroup: files sss\n",
		"passwd: compat\ngroup: compat\n",
		"passwd: files [NOTFOUND=return] systemd\ngroup: files\n",
		"group: files\n",                          /* passwd: glibc's default */
		"passwd:\ngroup: files\n",
		"passwd: files\ngroup: files\npasswd: ldap\n",      /* every line counts */
		"passwd: files\ngroup: files\nPASSWD: ldap\n",    /* names as glibc matches them */
	};
	for (size_t i = 0; i < sizeof(confs) / sizeof(confs[0]); i++) {
		put("etc/nsswitch.conf", confs[i]);
		expect_nss(confs[i]);
	}
	/* no nsswitch.conf at all */
	char p[256];
	snprintf(p, sizeof(p), "%s/etc/nsswitch.conf", root);
	unlink(p);
	expect_nss("no nsswitch.conf");
	/* systemd's module with a userdb drop-in or a dynamic user */
	put("etc/nsswitch.conf", "passwd: files systemd\ngroup: files systemd\n");
	dir("etc/userdb");
	put("etc/userdb/domuloader.user", "{}\n");
	expect_nss("a userdb drop-in");
	/* ... which does not matter without the systemd module */
	put("etc/nsswitch.conf", "passwd: files\ngroup: files\n");
	uid_t u;
	gid_t g;
	pick(&u, &g);
	assert_int_equal(u, 4321);
	put("etc/nsswitch.conf", "passwd: files systemd\ngroup: files systemd\n");
	snprintf(p, sizeof(p), "%s/etc/userdb/domuloader.user", root);
	unlink(p);
	pick(&u, &g);   /* an empty drop-in directory: the files decide */
	assert_int_equal(u, 4321);
	dir("run");
	dir("run/systemd");
	dir("run/systemd/dynamic-uid");
	put("run/systemd/dynamic-uid/direct:61184", "");
	expect_nss("a dynamic user");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_range_from_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_from_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nss_decides, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
