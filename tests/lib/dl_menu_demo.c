/* dl_menu_demo: run the boot menu (src/menu) on a terminal, for tests and
 * by hand, and write the choice to RESULT as key=value lines.
 *
 *   dl_menu_demo [OPTIONS] RESULT
 *     --config=FILE    the menu of a boot configuration file in dom0 (parsed
 *                      as --isconfig does); default: a built-in Debian-like
 *                      menu with a submenu, a chainloader and hostile titles
 *     --format=FMT     its format: grub2 (default), grub-legacy, extlinux, bls
 *     --style=S        menu (default), countdown or hidden
 *     --timeout=N      seconds (-1: none); default the configuration's, 5
 *                      for the built-in menu
 *     --locked         refuse editing
 *     --pidfile=FILE   write the process id there first
 *     --unattended     run on a new pty that nobody reads, filled up first
 *                      (what libxl's console is with nobody attached)
 *
 * RESULT: "index=N", "edited=0|1", "title=T" (entries), "kernel=K",
 * "initrd=I" (one a line), "args=A"; or "error=MSG" (exit 1). */
#include "boot/boot.h"
#include "menu/menu.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "../unit/fake_io.h"

static const char *const initrd13[] = { "/boot/initrd.img-6.1.0-13-amd64" };
static const char *const initrd12[] = { "/boot/initrd.img-6.1.0-12-amd64" };
static const struct dl_menu_item builtin[] = {
	{ "Debian GNU/Linux", -1, false, true, "/boot/vmlinuz-6.1.0-13-amd64", initrd13, 1,
	  "root=/dev/xvda2 ro quiet" },
	{ "Advanced options for Debian GNU/Linux", -1, true, false, NULL, NULL, 0, NULL },
	{ "Debian GNU/Linux, with Linux 6.1.0-13-amd64", 1, false, true,
	  "/boot/vmlinuz-6.1.0-13-amd64", initrd13, 1, "root=/dev/xvda2 ro quiet" },
	{ "Debian GNU/Linux, with Linux 6.1.0-13-amd64 (recovery mode)", 1, false, true,
	  "/boot/vmlinuz-6.1.0-13-amd64", initrd13, 1, "root=/dev/xvda2 ro single" },
	{ "Debian GNU/Linux, with Linux 6.1.0-12-amd64", 1, false, true,
	  "/boot/vmlinuz-6.1.0-12-amd64", initrd12, 1, "root=/dev/xvda2 ro quiet" },
	{ "Windows (chainloader)", -1, false, false, NULL, NULL, 0, NULL },
	{ "Evil \033[2J\033]0;owned\007 title \xff\xfe\x9b" "31m and a tail long enough to be cut "
	  "at any width: 0123456789 0123456789 0123456789 0123456789 0123456789 0123456789 "
	  "0123456789 0123456789 0123456789 END", -1, false, true, "/evil", NULL, 0, "evil" },
};

static int fake_ls(void *ctx, const char *path, char **text, struct dl_error *err)
{
	(void)ctx;
	if (!path)
		*text = dl_strdup("(hd0) (hd0,msdos1) (hd0,msdos2)\n");
	else if (!strcmp(path, "/"))
		*text = dl_strdup("boot/\netc/\nvmlinuz-X\ninitrd.img-X\n");
	else if (!strcmp(path, "/boot") || !strcmp(path, "/boot/"))
		*text = dl_strdup("vmlinuz-6.1.0-13-amd64\ninitrd.img-6.1.0-13-amd64\n"
				  "evil-\033[2J-name\n");
	else
		return dl_fail(err, DL_ENOTFOUND, "%s: no such directory", path);
	return 0;
}

static int load_config(const char *file, const char *format, enum dl_menu_style style,
		       struct dl_menu *m, struct dl_error *err)
{
	FILE *f = fopen(file, "r");
	if (!f)
		return dl_fail(err, DL_EIO, "%s: %s", file, strerror(errno));
	char *buf = dl_malloc(DL_BOOT_MAX_FILE + 1);
	size_t n = fread(buf, 1, DL_BOOT_MAX_FILE, f);
	fclose(f);
	buf[n] = '\0';
	struct fake guest = { .self = "hd0" };   /* nothing but the file: as --isconfig */
	struct dl_boot_io io = fake_io(&guest);
	struct dl_boot_config cfg = { .def = -1, .fallback = -1, .timeout = -1 };
	int r = dl_boot_parse(format, file, buf, n, &io, &cfg, err);
	free(buf);
	if (r == 0)
		r = dl_menu_from_config(&cfg, style, m, err);
	dl_boot_config_free(&cfg);
	return r;
}

static void write_result(const char *path, const struct dl_menu *m, int r,
			 const struct dl_menu_choice *c, const struct dl_error *err)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "dl_menu_demo: error: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	if (r < 0) {
		fprintf(f, "error=%s\n", err->msg);
	} else {
		fprintf(f, "index=%d\nedited=%d\n", c->index, c->edited);
		if (c->index >= 0)
			fprintf(f, "title=%s\n", m->items[c->index].title);
		fprintf(f, "kernel=%s\n", c->kernel);
		for (size_t i = 0; i < c->ninitrds; i++)
			fprintf(f, "initrd=%s\n", c->initrds[i]);
		fprintf(f, "args=%s\n", c->args);
	}
	if (fclose(f) != 0)
		exit(1);
}

/* A pty whose master is never read, its buffer full: the menu must still
 * count down and boot. */
static int unattended(int *master)
{
	*master = posix_openpt(O_RDWR | O_NOCTTY);
	if (*master < 0 || grantpt(*master) < 0 || unlockpt(*master) < 0)
		return -1;
	int slave = open(ptsname(*master), O_RDWR | O_NOCTTY);
	if (slave < 0)
		return -1;
	int fl = fcntl(slave, F_GETFL);
	fcntl(slave, F_SETFL, fl | O_NONBLOCK);
	char fill[4096];
	memset(fill, 'x', sizeof(fill));
	size_t total = 0;
	ssize_t n;
	while (total < (64u << 20) && (n = write(slave, fill, sizeof(fill))) > 0)
		total += (size_t)n;
	while (total < (64u << 20) && write(slave, fill, 1) == 1)
		total++;
	fcntl(slave, F_SETFL, fl);
	fprintf(stderr, "dl_menu_demo: pty filled with %zu bytes, nobody reads it\n", total);
	return slave;
}

int main(int argc, char **argv)
{
	const char *config = NULL, *format = "grub2", *pidfile = NULL, *result = NULL;
	enum dl_menu_style style = DL_MENU_SHOW;
	int timeout = -2;
	bool locked = false, unatt = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strncmp(a, "--config=", 9))
			config = a + 9;
		else if (!strncmp(a, "--format=", 9))
			format = a + 9;
		else if (!strcmp(a, "--style=menu"))
			style = DL_MENU_SHOW;
		else if (!strcmp(a, "--style=countdown"))
			style = DL_MENU_COUNTDOWN;
		else if (!strcmp(a, "--style=hidden"))
			style = DL_MENU_HIDDEN;
		else if (!strncmp(a, "--timeout=", 10))
			timeout = atoi(a + 10);
		else if (!strcmp(a, "--locked"))
			locked = true;
		else if (!strncmp(a, "--pidfile=", 10))
			pidfile = a + 10;
		else if (!strcmp(a, "--unattended"))
			unatt = true;
		else if (a[0] != '-' && !result)
			result = a;
		else {
			fprintf(stderr, "usage: dl_menu_demo [--config=FILE [--format=FMT]] "
					"[--style=menu|countdown|hidden] [--timeout=N] [--locked] "
					"[--pidfile=FILE] [--unattended] RESULT\n");
			return 2;
		}
	}
	if (!result)
		return 2;
	if (pidfile) {
		FILE *f = fopen(pidfile, "w");
		if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) != 0)
			return 1;
	}

	struct dl_error err = { 0 };
	struct dl_menu m = { .items = builtin, .n = DL_ARRAY_SIZE(builtin), .def = 0,
			     .timeout_s = 5, .style = style };
	bool owned = false;
	if (config) {
		if (load_config(config, format, style, &m, &err) < 0) {
			write_result(result, &m, -1, NULL, &err);
			return 1;
		}
		owned = true;
	}
	if (timeout >= -1)
		m.timeout_s = timeout;
	m.locked = locked;

	int in = 0, out = 1, master = -1;
	if (unatt && (in = out = unattended(&master)) < 0) {
		fprintf(stderr, "dl_menu_demo: error: pty: %s\n", strerror(errno));
		return 1;
	}
	struct dl_menu_ops ops = { .ls = fake_ls };
	struct dl_menu_choice c;
	int r = dl_menu_run(&m, in, out, &ops, &c, &err);
	write_result(result, &m, r, &c, &err);
	if (r == 0)
		dl_menu_choice_free(&c);
	if (owned)
		dl_menu_free(&m);
	return r < 0;
}
