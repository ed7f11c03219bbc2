/* The menu's pure core, shared by the files of src/menu and its unit tests:
 * a key decoder, a line editor, the state machine fed with bytes and clock
 * readings, and a renderer that turns the state into a frame of rows and
 * the bytes that take the terminal from one frame to the next.  Only tty.c
 * touches a file descriptor. */
#ifndef DL_MENU_INTERNAL_H
#define DL_MENU_INTERNAL_H

#include <stdint.h>

#include "menu/menu.h"

/* Keys: printable ASCII as itself, control keys as their byte, the rest
 * above 0xff.  Ctrl-M/Ctrl-J are ENTER, Ctrl-H is BACKSPACE. */
enum {
	DL_KEY_NONE = 0,
	DL_KEY_TAB = 0x09,
	DL_KEY_ENTER = 0x0d,
	DL_KEY_ESC = 0x1b,
	DL_KEY_BACKSPACE = 0x7f,
	DL_KEY_UP = 0x100, DL_KEY_DOWN, DL_KEY_LEFT, DL_KEY_RIGHT,
	DL_KEY_HOME, DL_KEY_END, DL_KEY_INSERT, DL_KEY_DELETE, DL_KEY_PGUP, DL_KEY_PGDN,
	DL_KEY_F1, /* ... DL_KEY_F1 + 11 is F12 */
};
#define DL_KEY_CTRL(c) ((c) & 0x1f)
#define DL_KEY_F(n) (DL_KEY_F1 + (n) - 1)

/* Decode one key at buf[0..len).  Returns the bytes it took (>= 1) with
 * *key set (DL_KEY_NONE for bytes and sequences that mean nothing here),
 * or 0 when buf holds the start of an escape sequence that more bytes may
 * complete.  With pause (no byte came for a while), nothing is left
 * waiting: a lone ESC is DL_KEY_ESC and a cut-off sequence is dropped. */
size_t dl_key_decode(const unsigned char *buf, size_t len, bool pause, int *key);

/* A one-line editor over bytes.  It inserts printable ASCII only; guest
 * text it starts with is kept as it is (and shown escaped). */
struct dl_edit {
	char *buf;          /* NUL-terminated */
	size_t len, cur;    /* bytes, cursor position in [0, len] */
	size_t max;         /* insertion stops at this length */
	size_t scroll;      /* first byte shown (renderer) */
};
void dl_edit_init(struct dl_edit *e, const char *text, size_t max);
void dl_edit_free(struct dl_edit *e);
/* Apply an editing key; false if key is not one (Enter, Esc, Up...). */
bool dl_edit_key(struct dl_edit *e, int key);

/* What the lines of 'e' and the commands of 'c' set. */
struct dl_menu_cmd {
	char *kernel, *args;
	char **initrds;
	size_t ninitrds;
};
enum dl_mmode {
	DL_MM_WAIT,         /* hidden or countdown style, before Esc */
	DL_MM_MENU,
	DL_MM_APPEND,       /* 'a' */
	DL_MM_EDIT,         /* 'e': the lines */
	DL_MM_EDITLINE,     /* 'e': one line in the editor */
	DL_MM_CMD,          /* 'c' */
};

#define DL_MENU_MAX_LINE 8448      /* an editor line: "linux PATH ARGS" */
#define DL_MENU_MAX_LINES 64       /* lines of an entry in 'e' */
#define DL_MENU_SCROLLBACK 256     /* lines kept by 'c' */
#define DL_MENU_ESC_PAUSE_MS 100   /* a lone Esc after this long */

struct dl_mstate {
	const struct dl_menu *m;
	const struct dl_menu_ops *ops;
	enum dl_mmode mode;
	bool utf8;              /* the terminal takes UTF-8 */
	/* countdown */
	bool counting;
	uint64_t deadline;      /* ms on the caller's monotonic clock */
	int secs;               /* seconds shown */
	/* bytes that may start an escape sequence */
	unsigned char pend[32];
	size_t npend;
	/* menu */
	int level;              /* the submenu shown, -1 the top */
	int sel;                /* the highlighted item */
	int top;                /* first row shown, as a position in the level */
	int page;               /* rows of entries shown (PgUp/PgDn) */
	/* the line editor of 'a', 'e' and 'c' */
	struct dl_edit ed;
	/* 'e' */
	char **lines;
	size_t nlines;
	int lsel, ltop;
	bool lnew;              /* the line being edited was just opened */
	/* 'c' */
	char **sb;              /* scrollback */
	size_t nsb;
	struct dl_menu_cmd cmd; /* what "linux" and "initrd" set */
	char msg[200];          /* the status line: a refusal or an error */
	bool full;              /* the next frame is drawn whole */
	bool done;
	struct dl_menu_choice choice;
};

/* 0, or -1 with err set if the menu is malformed (dl_menu_check). */
int dl_mstate_init(struct dl_mstate *s, const struct dl_menu *m, const struct dl_menu_ops *ops,
		   bool utf8, uint64_t now, struct dl_error *err);
void dl_mstate_free(struct dl_mstate *s);
/* Input bytes, read at now.  True once a choice is made (s->choice). */
bool dl_mstate_feed(struct dl_mstate *s, const void *buf, size_t len, uint64_t now);
/* No byte came for DL_MENU_ESC_PAUSE_MS: decode what is pending. */
bool dl_mstate_pause(struct dl_mstate *s, uint64_t now);
bool dl_mstate_key(struct dl_mstate *s, int key, uint64_t now);
/* The clock moved: true when the countdown expired (the default chosen). */
bool dl_mstate_tick(struct dl_mstate *s, uint64_t now);
/* Milliseconds until the countdown changes, -1 if it does not run. */
int64_t dl_mstate_wait(const struct dl_mstate *s, uint64_t now);

/* A frame: what the terminal should show. */
enum dl_frame_kind {
	DL_FRAME_NONE,      /* nothing (hidden style) */
	DL_FRAME_LINE,      /* one line at the cursor (countdown style) */
	DL_FRAME_SCREEN,    /* the whole screen */
};
struct dl_frame {
	enum dl_frame_kind kind;
	int rows, cols;
	char **row;         /* rows strings: the bytes of each row, text and SGR */
	int cur_row, cur_col;   /* the cursor, cur_row -1 hidden */
};
#define DL_MENU_MAX_ROWS 500
#define DL_MENU_MAX_COLS 1000

/* Render the state for a rows x cols terminal (clamped to the caps). */
void dl_menu_draw(struct dl_mstate *s, int rows, int cols, struct dl_frame *f);
void dl_frame_free(struct dl_frame *f);
/* Append to out the bytes that turn old (NULL: unknown) into new. */
void dl_frame_diff(const struct dl_frame *old, const struct dl_frame *new, struct dl_sbuf *out);
/* The bytes that leave the terminal usable after f: attributes reset,
 * cursor shown, on a fresh line below the menu. */
void dl_frame_exit(const struct dl_frame *f, struct dl_sbuf *out);

/* Append guest text s, at most cols display columns: control bytes and
 * invalid UTF-8 as '?', non-ASCII as itself when utf8 (width from
 * wcwidth, zero-width and non-printable characters as '?'), else '?'.
 * Returns the columns used. */
int dl_menu_put(struct dl_sbuf *b, const char *s, int cols, bool utf8);

void dl_menu_cmd_free(struct dl_menu_cmd *c);
/* Apply one line: "linux|kernel PATH [ARGS]" sets the kernel and the args,
 * "initrd PATH..." the initrds; blank lines and '#' comments do nothing.
 * 0 applied, 1 another command (the caller's), -1 with msg set. */
int dl_menu_cmd_line(struct dl_menu_cmd *c, const char *line, char *msg, size_t msgsz);
/* The line "linux PATH ARGS" / "initrd PATH..." for the fields given
 * (paths quoted with backslashes), malloc'd. */
char *dl_menu_cmd_linux(const char *kernel, const char *args);
char *dl_menu_cmd_initrd(const char *const *initrds, size_t n);

#endif
