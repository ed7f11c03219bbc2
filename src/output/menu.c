/* The boot menu on the privileged side: DL_CALL_MENU's answer.  The menu
 * arrives encoded (src/menu/wire.c) from the parsing side, which alone
 * reads the guest; it is shown on the terminal this process owns, and the
 * choice goes back encoded, for the parsing side to check and resolve in
 * the guest.  The command line's "ls" is asked back the same way. */
#include "output/output.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "menu/menu.h"

/* The menu's "ls", asked of the parsing side. */
static int ask_ls(void *ctx, const char *path, char **text, struct dl_error *err)
{
	const struct dl_asker *back = ctx;
	if (!back)
		return dl_fail(err, DL_EUNSUPPORTED, "ls: not available");
	struct dl_sbuf a = { 0 };
	int r = back->ask(back->ctx, path ? path : "", path ? strlen(path) : 0, &a, err);
	if (r < 0) {
		dl_sbuf_free(&a);
		return -1;
	}
	*text = dl_sbuf_take(&a);
	return 0;
}

int dl_output_menu_fds(int *in_fd, int *out_fd)
{
	*in_fd = STDIN_FILENO;
	if (!isatty(STDIN_FILENO))
		return -1;
	int fl = fcntl(STDIN_FILENO, F_GETFL);
	*out_fd = isatty(STDOUT_FILENO) ? STDOUT_FILENO
		: isatty(STDERR_FILENO) ? STDERR_FILENO
		: fl >= 0 && (fl & O_ACCMODE) == O_RDWR ? STDIN_FILENO : -1;
	return *out_fd < 0 ? -1 : 0;
}

int dl_output_menu_call(void *hctx, const void *req, size_t len, const struct dl_asker *back,
			struct dl_reply *rep, struct dl_error *err)
{
	(void)hctx;
	int in_fd, out_fd;
	if (dl_output_menu_fds(&in_fd, &out_fd) < 0)
		return dl_fail(err, DL_EIO, "menu: standard input and output are not a terminal");
	struct dl_menu m;
	int r = dl_menu_unpack(req, len, &m, err);
	if (r < 0)
		return r;
	struct dl_menu_ops ops = { (void *)back, ask_ls };
	struct dl_menu_choice c = { .index = -1 };
	r = dl_menu_run(&m, in_fd, out_fd, &ops, &c, err);
	if (r == 0) {
		struct dl_sbuf out = { 0 };
		r = dl_menu_choice_pack(&c, &out, err);
		rep->len = out.len;
		rep->buf = (uint8_t *)dl_sbuf_take(&out);
	} else {
		r = dl_err_errno(err);
	}
	dl_menu_choice_free(&c);
	dl_menu_free(&m);
	return r;
}
