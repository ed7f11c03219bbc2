/* The interactive boot menu on a terminal (pygrub's menu, GRUB's keys).
 *
 * The menu sees only the parsed entries, never guest bytes beyond them, and
 * returns what the user chose: an entry, an entry with an edited kernel,
 * initrds or command line, or a kernel named on its command line.  What
 * the user edited is capped (DL_MENU_MAX_*) and free of control
 * characters; an entry's own strings come back as they are, for the caller
 * to check as it checks any entry.  Paths are guest paths as written
 * ("/vmlinuz", "(hd0,msdos1)/vmlinuz"), to be resolved in the guest like
 * any other request.
 *
 * Keys (as pygrub's, plus GRUB's where pygrub has none):
 *   menu     Up/Down or k/j move, PgUp/PgDn/Home/End, Enter boots (or opens
 *            a submenu), Right opens a submenu, Esc/Left closes it, 'e' edits
 *            the entry, 'a' edits its command line, 'c' opens the command
 *            line, Ctrl-L redraws.  Any key stops the countdown.
 *   'a'      the kernel command line in the line editor: Enter boots, Esc
 *            goes back.
 *   'e'      the entry as lines "linux PATH ARGS" and "initrd PATH...":
 *            Up/Down select, 'e'/Enter edit a line, 'o'/'O' open a line
 *            after/before, 'd' deletes, 'b' (or Ctrl-X, F10) boots, Esc
 *            goes back.
 *   'c'      "linux PATH [ARGS]", "initrd PATH...", "boot", "ls [PATH]",
 *            "help"; Esc goes back.
 *   editor   Left/Right, Home/End, Ctrl-A/Ctrl-E, Backspace/Delete, Ctrl-U
 *            (to the start), Ctrl-K (to the end); long lines scroll.
 * A backslash in a path word quotes the next character ("\ " for a space).
 *
 * Styles (GRUB's timeout_style): DL_MENU_SHOW draws the menu with the line
 * "Will boot selected entry in N seconds"; DL_MENU_COUNTDOWN writes one
 * line that counts down; DL_MENU_HIDDEN writes nothing.  In the last two,
 * Esc or F4 (or any key sequence starting with Esc, such as an arrow)
 * shows the menu without a countdown; other keys are ignored, as in GRUB.
 */
#ifndef DL_MENU_H
#define DL_MENU_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"

#define DL_MENU_MAX_ITEMS 4096
#define DL_MENU_MAX_ARGS 4096      /* bytes of a returned command line */
#define DL_MENU_MAX_PATH 4096      /* bytes of a returned path */
#define DL_MENU_MAX_INITRDS 64
#define DL_MENU_MAX_TITLE 4096     /* bytes of a title on the wire */
#define DL_MENU_MAX_TIMEOUT 1000000
#define DL_MENU_WIRE_MAX (256u * 1024 - 8)   /* a call's request (DL_CALL_MAX) */

struct dl_menu_item {
	const char *title;          /* guest bytes: rendered escaped */
	int parent;                 /* index of the enclosing submenu, -1 at the top */
	bool submenu;               /* a submenu node: its children follow it */
	bool bootable;              /* a leaf that can be booted as it is */
	const char *kernel;         /* guest path, NULL when the entry has none */
	const char *const *initrds;
	size_t ninitrds;
	const char *args;           /* NULL is "" */
};

enum dl_menu_style { DL_MENU_SHOW, DL_MENU_COUNTDOWN, DL_MENU_HIDDEN };

struct dl_menu {
	const struct dl_menu_item *items;  /* a tree in order: parents before children */
	size_t n;
	int def;                    /* the default: a bootable leaf */
	int timeout_s;              /* seconds until the default boots; 0 at once
	                               (after a look at pending keys), -1 never
	                               (DL_MENU_SHOW only: the others fall back
	                               to it, as GRUB does) */
	enum dl_menu_style style;
	bool locked;                /* the guest protects editing (a password):
	                               'e', 'a' and 'c' are refused */
	const char *title_line;     /* first row, NULL for a default */
};

/* How the command line's "ls" reaches the guest's filesystems.  path is
 * NULL for a bare "ls" (list the volumes).  On success *text is a malloc'd
 * listing, one name a line (guest bytes: rendered escaped).  0 or -1 with
 * err set. */
struct dl_menu_ops {
	void *ctx;
	int (*ls)(void *ctx, const char *path, char **text, struct dl_error *err);
};

struct dl_menu_choice {
	int index;                  /* the entry, -1 for a command-line boot */
	bool edited;                /* kernel, initrds or args differ from the entry's */
	char *kernel;               /* always set */
	char **initrds;
	size_t ninitrds;
	char *args;                 /* always set, may be "" */
};

/* Show the menu on a terminal (in_fd and out_fd, usually the same tty) and
 * return the user's choice, or the default when the timeout expires.
 *
 * It never blocks on the terminal: the countdown runs on the monotonic
 * clock, input and output are non-blocking, and output that the terminal
 * does not take is held back (redraws are skipped, the count goes on).
 * It writes little: whole redraws only on the first draw, a resize, Ctrl-L,
 * the first key, or when the last full frame would otherwise leave the last
 * 4 KiB of output (what libxl keeps for a console nobody reads).  The
 * terminal modes, file status flags, cursor and attributes are restored on
 * every exit; SIGTERM, SIGINT, SIGHUP and SIGQUIT restore the terminal and
 * are raised again once it is restored (with the caller's disposition);
 * when that returns, so does this, with an error.  Handles SIGWINCH and
 * SIGCONT itself while it runs; not reentrant.
 *
 * The terminal is assumed to be a VT100 or later (what libxl's TERM=vt100
 * says); non-ASCII titles are shown as UTF-8 when LC_ALL/LC_CTYPE/LANG
 * says UTF-8, else as '?'.  0 with *out filled (free with
 * dl_menu_choice_free), or -1 with err set: DL_EUSAGE for a malformed
 * menu, DL_EIO for a lost terminal or a signal. */
int dl_menu_run(const struct dl_menu *m, int in_fd, int out_fd, const struct dl_menu_ops *ops,
		struct dl_menu_choice *out, struct dl_error *err);

void dl_menu_choice_free(struct dl_menu_choice *c);

/* Check a menu: items in tree order, parents are submenus, submenus are not
 * bootable, the default is a bootable leaf.  0 or -1 with err set. */
int dl_menu_check(const struct dl_menu *m, struct dl_error *err);

/* The menu of a parsed boot configuration (src/boot/boot.h), defined in
 * menu/config.c.  Its default is dl_boot_select(cfg, NULL); its timeout is
 * the configuration's (seconds), but at least 1 s as pygrub does (no
 * timeout, or 0, boots after about 1 s): nobody at a Xen console can press
 * a key before the bootloader starts, and nothing must wait forever.
 * style is the configuration's (cfg->timeout_style), or the caller's when
 * the configuration does not say; locked is cfg->locked.  Paths are "(dev)/path" or "/path".
 * 0 or -1 with err set; free with dl_menu_free. */
struct dl_boot_config;
int dl_menu_from_config(const struct dl_boot_config *cfg, enum dl_menu_style style,
			struct dl_menu *out, struct dl_error *err);
void dl_menu_free(struct dl_menu *m);

/* The menu and the choice across the privilege boundary (menu/wire.c).
 * dl_menu_pack appends m's encoding (DL_ELIMIT when a string is over its
 * cap or the whole over DL_MENU_WIRE_MAX).  dl_menu_unpack decodes exactly
 * len bytes from the parser child and runs dl_menu_check: 0 with *out
 * filled (free with dl_menu_free), or -1 with err set (DL_ESANDBOX for a
 * malformed encoding).  A choice not edited carries only its index (its
 * kernel and args come back NULL and ""); an edited one is checked as the
 * user's input: paths "/..." or "(dev)...", no control byte but a tab,
 * within the caps; index below nitems. */
int dl_menu_pack(const struct dl_menu *m, struct dl_sbuf *out, struct dl_error *err);
int dl_menu_unpack(const uint8_t *p, size_t len, struct dl_menu *out, struct dl_error *err);
int dl_menu_choice_pack(const struct dl_menu_choice *c, struct dl_sbuf *out, struct dl_error *err);
int dl_menu_choice_unpack(const uint8_t *p, size_t len, size_t nitems, struct dl_menu_choice *out,
			  struct dl_error *err);

#endif
