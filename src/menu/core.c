/* The menu's state machine: keys and clock readings in, a choice out.
 * Nothing here reads a terminal or the time; tty.c feeds it. */
#include "menu/internal.h"

#include <stdio.h>
#include <string.h>

#define ITEM(s, i) (&(s)->m->items[(i)])

int dl_menu_check(const struct dl_menu *m, struct dl_error *err)
{
	if (!m || !m->items || !m->n)
		return dl_fail(err, DL_EUSAGE, "menu: no entries");
	if (m->n > DL_MENU_MAX_ITEMS)
		return dl_fail(err, DL_ELIMIT, "menu: more than %d entries", DL_MENU_MAX_ITEMS);
	for (size_t i = 0; i < m->n; i++) {
		const struct dl_menu_item *it = &m->items[i];
		if (it->parent < -1 || it->parent >= (int)i || (it->parent >= 0 && !m->items[it->parent].submenu))
			return dl_fail(err, DL_EUSAGE, "menu: entry %zu: parent %d is not a submenu before it",
				       i, it->parent);
		if (it->bootable && (it->submenu || !it->kernel))
			return dl_fail(err, DL_EUSAGE, "menu: entry %zu: bootable without a kernel", i);
		if (it->ninitrds && !it->initrds)
			return dl_fail(err, DL_EUSAGE, "menu: entry %zu: initrds missing", i);
	}
	if (m->def < 0 || (size_t)m->def >= m->n || !m->items[m->def].bootable)
		return dl_fail(err, DL_EUSAGE, "menu: the default (%d) is not a bootable entry", m->def);
	if (m->timeout_s < -1 || (unsigned)m->style > DL_MENU_HIDDEN)
		return dl_fail(err, DL_EUSAGE, "menu: bad timeout or style");
	return 0;
}

void dl_menu_choice_free(struct dl_menu_choice *c)
{
	free(c->kernel);
	free(c->args);
	for (size_t i = 0; i < c->ninitrds; i++)
		free(c->initrds[i]);
	free(c->initrds);
	*c = (struct dl_menu_choice){ .index = -1 };
}

/* --- the tree: one level at a time, siblings in file order --- */

static int sibling(const struct dl_mstate *s, int i, int dir)
{
	int parent = ITEM(s, i)->parent;
	for (int j = i + dir; j >= 0 && (size_t)j < s->m->n; j += dir)
		if (ITEM(s, j)->parent == parent)
			return j;
	return -1;
}

static int first_child(const struct dl_mstate *s, int level)
{
	for (size_t j = (size_t)(level + 1); j < s->m->n; j++)
		if (ITEM(s, j)->parent == level)
			return (int)j;
	return -1;
}

static void move(struct dl_mstate *s, int dir, int steps)
{
	for (int k = 0; k < steps; k++) {
		int j = sibling(s, s->sel, dir);
		if (j < 0)
			break;
		s->sel = j;
	}
}

static void open_submenu(struct dl_mstate *s)
{
	int c = first_child(s, s->sel);
	if (c < 0) {
		snprintf(s->msg, sizeof(s->msg), "The submenu is empty.");
		return;
	}
	s->level = s->sel;
	s->sel = c;
	s->top = 0;
}

static void close_submenu(struct dl_mstate *s)
{
	if (s->level < 0)
		return;
	s->sel = s->level;
	s->level = ITEM(s, s->level)->parent;
	s->top = 0;
}

/* --- the choice --- */

static bool clean(const char *p, size_t max, bool empty_ok)
{
	size_t n = strlen(p);
	if (n > max || (!n && !empty_ok))
		return false;
	for (; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static bool same(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

/* Boot index (-1: the command line) with these fields; an entry's own
 * fields pass as they are (the caller checks them like any entry's), what
 * was edited must be within the caps and free of control characters. */
static bool choose(struct dl_mstate *s, int index, const char *kernel, const char *const *initrds,
		   size_t ninitrds, const char *args)
{
	bool edited = index < 0;
	if (!edited) {
		const struct dl_menu_item *it = ITEM(s, index);
		edited = !same(it->kernel, kernel) || !same(it->args, args) || it->ninitrds != ninitrds;
		for (size_t i = 0; !edited && i < ninitrds; i++)
			edited = !same(it->initrds[i], initrds[i]);
	}
	if (edited) {
		const char *bad = NULL;
		if (!kernel || !clean(kernel, DL_MENU_MAX_PATH, false))
			bad = "the kernel path";
		else if (!clean(args ? args : "", DL_MENU_MAX_ARGS, true))
			bad = "the command line";
		else if (ninitrds > DL_MENU_MAX_INITRDS)
			bad = "the initrd list";
		for (size_t i = 0; !bad && i < ninitrds; i++)
			if (!clean(initrds[i], DL_MENU_MAX_PATH, false))
				bad = "an initrd path";
		if (bad) {
			snprintf(s->msg, sizeof(s->msg),
				 "error: %s is empty, too long or has control characters.", bad);
			return false;
		}
	}
	struct dl_menu_choice *c = &s->choice;
	c->index = index;
	c->edited = edited;
	c->kernel = dl_strdup(kernel);
	c->args = dl_strdup(args ? args : "");
	c->initrds = dl_calloc(ninitrds ? ninitrds : 1, sizeof(*c->initrds));
	for (size_t i = 0; i < ninitrds; i++)
		c->initrds[i] = dl_strdup(initrds[i]);
	c->ninitrds = ninitrds;
	s->done = true;
	s->counting = false;
	return true;
}

static bool choose_entry(struct dl_mstate *s, int index)
{
	const struct dl_menu_item *it = ITEM(s, index);
	return choose(s, index, it->kernel, it->initrds, it->ninitrds, it->args);
}

static bool choose_cmd(struct dl_mstate *s, int index, const struct dl_menu_cmd *c)
{
	return choose(s, index, c->kernel, (const char *const *)c->initrds, c->ninitrds, c->args);
}

/* --- 'a', 'e', 'c' --- */

static const char locked_msg[] = "Editing is disabled by the guest's boot configuration.";

static void free_lines(struct dl_mstate *s)
{
	for (size_t i = 0; i < s->nlines; i++)
		free(s->lines[i]);
	free(s->lines);
	s->lines = NULL;
	s->nlines = 0;
}

static void open_edit(struct dl_mstate *s)
{
	const struct dl_menu_item *it = ITEM(s, s->sel);
	free_lines(s);
	s->lines = dl_calloc(DL_MENU_MAX_LINES, sizeof(*s->lines));
	if (it->kernel)
		s->lines[s->nlines++] = dl_menu_cmd_linux(it->kernel, it->args);
	if (it->ninitrds)
		s->lines[s->nlines++] = dl_menu_cmd_initrd(it->initrds, it->ninitrds);
	s->lsel = s->ltop = 0;
	s->mode = DL_MM_EDIT;
}

static void insert_line(struct dl_mstate *s, size_t at)
{
	if (s->nlines == DL_MENU_MAX_LINES) {
		snprintf(s->msg, sizeof(s->msg), "No more than %d lines.", DL_MENU_MAX_LINES);
		return;
	}
	memmove(&s->lines[at + 1], &s->lines[at], (s->nlines - at) * sizeof(*s->lines));
	s->lines[at] = dl_strdup("");
	s->nlines++;
	s->lsel = (int)at;
	s->lnew = true;
	dl_edit_init(&s->ed, "", DL_MENU_MAX_LINE);
	s->mode = DL_MM_EDITLINE;
}

static void delete_line(struct dl_mstate *s, size_t at)
{
	free(s->lines[at]);
	memmove(&s->lines[at], &s->lines[at + 1], (s->nlines - at - 1) * sizeof(*s->lines));
	s->nlines--;
	if (s->lsel > 0 && (size_t)s->lsel >= s->nlines)
		s->lsel--;
}

static bool boot_lines(struct dl_mstate *s)
{
	struct dl_menu_cmd c = { 0 };
	for (size_t i = 0; i < s->nlines; i++) {
		char msg[sizeof(s->msg) - 16];
		int r = dl_menu_cmd_line(&c, s->lines[i], msg, sizeof(msg));
		if (r) {
			if (r > 0)
				snprintf(msg, sizeof(msg), "error: only linux and initrd lines are understood.");
			snprintf(s->msg, sizeof(s->msg), "line %zu: %.150s", i + 1, msg);
			s->lsel = (int)i;
			dl_menu_cmd_free(&c);
			return false;
		}
	}
	bool ok = false;
	if (!c.kernel)
		snprintf(s->msg, sizeof(s->msg), "error: no linux line: nothing to boot.");
	else
		ok = choose_cmd(s, s->sel, &c);
	dl_menu_cmd_free(&c);
	return ok;
}

static void sb_add(struct dl_mstate *s, const char *prefix, const char *text, size_t len)
{
	if (s->nsb == DL_MENU_SCROLLBACK) {
		free(s->sb[0]);
		memmove(&s->sb[0], &s->sb[1], (s->nsb - 1) * sizeof(*s->sb));
		s->nsb--;
	}
	if (!s->sb)
		s->sb = dl_calloc(DL_MENU_SCROLLBACK, sizeof(*s->sb));
	len = DL_MIN(len, (size_t)DL_MENU_MAX_LINE);
	s->sb[s->nsb++] = dl_asprintf("%s%.*s", prefix, (int)len, text);
}

static void sb_say(struct dl_mstate *s, const char *text)
{
	sb_add(s, "", text, strlen(text));
}

static void sb_lines(struct dl_mstate *s, const char *text)
{
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		sb_add(s, "", p, n);
		p += n + (nl != NULL);
	}
}

static const char cmd_help[] =
	"linux PATH [ARGS]  the kernel to boot and its command line\n"
	"initrd PATH...     the initial ramdisk(s), in order\n"
	"boot               boot them\n"
	"ls [PATH]          list a directory of the guest (no PATH: the volumes)\n"
	"Esc                back to the menu\n";

static bool run_cmd(struct dl_mstate *s, const char *line)
{
	char msg[sizeof(s->msg)];
	const char *p = line + strspn(line, " \t");
	size_t kw = strcspn(p, " \t");
	const char *arg = p + kw + strspn(p + kw, " \t");
	sb_add(s, "grub> ", line, strlen(line));
	if (kw == 4 && !memcmp(p, "boot", 4)) {
		if (!s->cmd.kernel) {
			sb_say(s, "error: you need to load the kernel first.");
			return false;
		}
		if (choose_cmd(s, -1, &s->cmd))
			return true;
		sb_say(s, s->msg);
		s->msg[0] = '\0';
		return false;
	}
	if (kw == 2 && !memcmp(p, "ls", 2)) {
		if (!s->ops || !s->ops->ls) {
			sb_say(s, "error: ls: no filesystem to list here.");
			return false;
		}
		size_t an = strcspn(arg, " \t");
		_cleanup_free_ char *path = an ? dl_strndup(arg, an) : NULL;
		_cleanup_free_ char *text = NULL;
		struct dl_error err = { 0 };
		if (s->ops->ls(s->ops->ctx, path, &text, &err) < 0)
			sb_add(s, "error: ", err.msg, strlen(err.msg));
		else if (text)
			sb_lines(s, text);
		s->full = true;   /* the call may have taken a while: a clean frame */
		return false;
	}
	if (kw == 4 && !memcmp(p, "help", 4)) {
		sb_lines(s, cmd_help);
		return false;
	}
	int r = dl_menu_cmd_line(&s->cmd, line, msg, sizeof(msg));
	if (r > 0)
		snprintf(msg, sizeof(msg), "error: can't find command `%.*s'.", (int)DL_MIN(kw, 64), p);
	if (r)
		sb_say(s, msg);
	return false;
}

/* --- keys, mode by mode --- */

static bool key_menu(struct dl_mstate *s, int key)
{
	const struct dl_menu_item *it = ITEM(s, s->sel);
	int page = DL_MAX(s->page, 1);
	s->msg[0] = '\0';
	switch (key) {
	case DL_KEY_UP: case 'k': case DL_KEY_CTRL('p'):
		move(s, -1, 1);
		break;
	case DL_KEY_DOWN: case 'j': case DL_KEY_CTRL('n'):
		move(s, 1, 1);
		break;
	case DL_KEY_PGUP:
		move(s, -1, page);
		break;
	case DL_KEY_PGDN:
		move(s, 1, page);
		break;
	case DL_KEY_HOME:
		move(s, -1, (int)s->m->n);
		break;
	case DL_KEY_END:
		move(s, 1, (int)s->m->n);
		break;
	case DL_KEY_ENTER:
		if (it->submenu)
			open_submenu(s);
		else if (it->bootable)
			return choose_entry(s, s->sel);
		else
			snprintf(s->msg, sizeof(s->msg), "This entry cannot be booted here%s.",
				 s->m->locked ? "" : "; 'e' edits it");
		break;
	case DL_KEY_RIGHT:
		if (it->submenu)
			open_submenu(s);
		break;
	case DL_KEY_LEFT: case DL_KEY_ESC:
		close_submenu(s);
		break;
	case 'e': case 'a': case 'c':
		if (s->m->locked)
			snprintf(s->msg, sizeof(s->msg), "%s", locked_msg);
		else if (key == 'c') {
			dl_edit_init(&s->ed, "", DL_MENU_MAX_LINE);
			s->mode = DL_MM_CMD;
		} else if (it->submenu)
			snprintf(s->msg, sizeof(s->msg), "A submenu cannot be edited.");
		else if (key == 'e')
			open_edit(s);
		else if (!it->kernel)
			snprintf(s->msg, sizeof(s->msg), "This entry has no kernel; 'e' edits it.");
		else {
			dl_edit_init(&s->ed, it->args, DL_MENU_MAX_ARGS);
			s->mode = DL_MM_APPEND;
		}
		break;
	}
	return false;
}

static bool key_append(struct dl_mstate *s, int key)
{
	if (key == DL_KEY_ESC) {
		dl_edit_free(&s->ed);
		s->msg[0] = '\0';
		s->mode = DL_MM_MENU;
	} else if (key == DL_KEY_ENTER) {
		const struct dl_menu_item *it = ITEM(s, s->sel);
		return choose(s, s->sel, it->kernel, it->initrds, it->ninitrds, s->ed.buf);
	} else if (dl_edit_key(&s->ed, key)) {
		s->msg[0] = '\0';
	}
	return false;
}

static bool key_edit(struct dl_mstate *s, int key)
{
	s->msg[0] = '\0';
	switch (key) {
	case DL_KEY_UP: case 'k':
		if (s->lsel > 0)
			s->lsel--;
		break;
	case DL_KEY_DOWN: case 'j':
		if ((size_t)s->lsel + 1 < s->nlines)
			s->lsel++;
		break;
	case 'e': case DL_KEY_ENTER:
		if (s->nlines) {
			dl_edit_init(&s->ed, s->lines[s->lsel], DL_MENU_MAX_LINE);
			s->lnew = false;
			s->mode = DL_MM_EDITLINE;
		}
		break;
	case 'o':
		insert_line(s, s->nlines ? (size_t)s->lsel + 1 : 0);
		break;
	case 'O':
		insert_line(s, (size_t)s->lsel);
		break;
	case 'd':
		if (s->nlines)
			delete_line(s, (size_t)s->lsel);
		break;
	case 'b': case DL_KEY_CTRL('x'): case DL_KEY_F(10):
		return boot_lines(s);
	case DL_KEY_ESC: case 'q':
		free_lines(s);
		s->mode = DL_MM_MENU;
		break;
	}
	return false;
}

static bool key_editline(struct dl_mstate *s, int key)
{
	if (key == DL_KEY_ENTER) {
		free(s->lines[s->lsel]);
		s->lines[s->lsel] = TAKE_PTR(s->ed.buf);
		dl_edit_free(&s->ed);
		s->mode = DL_MM_EDIT;
	} else if (key == DL_KEY_ESC) {
		if (s->lnew)
			delete_line(s, (size_t)s->lsel);
		dl_edit_free(&s->ed);
		s->mode = DL_MM_EDIT;
	} else {
		dl_edit_key(&s->ed, key);
	}
	return false;
}

static bool key_cmd(struct dl_mstate *s, int key)
{
	if (key == DL_KEY_ESC) {
		dl_edit_free(&s->ed);
		s->mode = DL_MM_MENU;
	} else if (key == DL_KEY_ENTER) {
		_cleanup_free_ char *line = TAKE_PTR(s->ed.buf);
		dl_edit_free(&s->ed);
		dl_edit_init(&s->ed, "", DL_MENU_MAX_LINE);
		return run_cmd(s, line);
	} else {
		dl_edit_key(&s->ed, key);
	}
	return false;
}

static void interrupt(struct dl_mstate *s)
{
	s->mode = DL_MM_MENU;
	s->counting = false;
	s->full = true;
}

bool dl_mstate_key(struct dl_mstate *s, int key, uint64_t now)
{
	(void)now;
	if (s->done || key == DL_KEY_NONE)
		return s->done;
	if (key == DL_KEY_CTRL('l')) {
		s->full = true;
		return false;
	}
	switch (s->mode) {
	case DL_MM_WAIT:
		if (key == DL_KEY_ESC || key == DL_KEY_F(4))
			interrupt(s);
		return false;
	case DL_MM_MENU: return key_menu(s, key);
	case DL_MM_APPEND: return key_append(s, key);
	case DL_MM_EDIT: return key_edit(s, key);
	case DL_MM_EDITLINE: return key_editline(s, key);
	case DL_MM_CMD: return key_cmd(s, key);
	}
	return false;
}

static void decode(struct dl_mstate *s, bool pause, uint64_t now)
{
	while (s->npend && !s->done) {
		/* GRUB's hidden and countdown styles stop on Esc and F4; any
		 * sequence starting with ESC (an arrow, F4) shows the menu at
		 * once, where it is decoded again. */
		if (s->mode == DL_MM_WAIT && s->pend[0] == 0x1b)
			interrupt(s);
		int key;
		size_t n = dl_key_decode(s->pend, s->npend, pause, &key);
		if (!n)
			break;
		s->npend -= n;
		memmove(s->pend, s->pend + n, s->npend);
		dl_mstate_key(s, key, now);
	}
}

bool dl_mstate_feed(struct dl_mstate *s, const void *buf, size_t len, uint64_t now)
{
	const unsigned char *p = buf;
	if (len && s->counting && s->mode != DL_MM_WAIT) {
		/* Any key stops the countdown, and someone is there to see a
		 * whole frame (what came before may have been dropped). */
		s->counting = false;
		s->full = true;
	}
	for (size_t i = 0; i < len && !s->done; i++) {
		s->pend[s->npend++] = p[i];   /* decode() leaves fewer than sizeof(pend) */
		decode(s, false, now);
	}
	return s->done;
}

bool dl_mstate_pause(struct dl_mstate *s, uint64_t now)
{
	decode(s, true, now);
	return s->done;
}

bool dl_mstate_tick(struct dl_mstate *s, uint64_t now)
{
	if (s->done || !s->counting)
		return s->done;
	if (now >= s->deadline)
		return choose_entry(s, s->m->def);
	s->secs = (int)((s->deadline - now + 999) / 1000);
	return false;
}

int64_t dl_mstate_wait(const struct dl_mstate *s, uint64_t now)
{
	if (s->done || !s->counting)
		return -1;
	if (now >= s->deadline)
		return 0;
	uint64_t rem = s->deadline - now;   /* the second shown changes after: */
	return (int64_t)(rem + 1000 - (rem + 999) / 1000 * 1000);
}

int dl_mstate_init(struct dl_mstate *s, const struct dl_menu *m, const struct dl_menu_ops *ops,
		   bool utf8, uint64_t now, struct dl_error *err)
{
	*s = (struct dl_mstate){ .m = m, .ops = ops, .utf8 = utf8, .choice.index = -1 };
	int r = dl_menu_check(m, err);
	if (r < 0)
		return r;
	/* Without a timeout, GRUB shows the menu whatever the style. */
	bool wait = m->style != DL_MENU_SHOW && m->timeout_s >= 0;
	s->mode = wait ? DL_MM_WAIT : DL_MM_MENU;
	s->counting = m->timeout_s >= 0;
	s->secs = m->timeout_s;
	s->deadline = now + (uint64_t)(m->timeout_s > 0 ? m->timeout_s : 0) * 1000;
	s->sel = m->def;
	s->level = m->items[m->def].parent;   /* a default in a submenu opens it */
	s->page = 10;
	s->full = true;
	return 0;
}

void dl_mstate_free(struct dl_mstate *s)
{
	dl_edit_free(&s->ed);
	free_lines(s);
	for (size_t i = 0; i < s->nsb; i++)
		free(s->sb[i]);
	free(s->sb);
	dl_menu_cmd_free(&s->cmd);
	dl_menu_choice_free(&s->choice);
}
