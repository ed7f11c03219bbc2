/* Test-only driver (never installed): domuloader's extraction with the real
 * pipeline, the real sandbox and the real payload sink, but the child's
 * sink is wrapped so that once the kernel file is complete (the END of the
 * first payload, which the broker receives at once) it misbehaves the way
 * injected code would.  The integration tests check that each attempt
 * is refused or kills the child, that the error says why, and that nothing
 * is left in the output directory.
 *
 * Usage: sandbox_hook MODE OUTDIR IMAGE KERNEL [RAMDISK]
 * MODE: ok hang spin open socket execve ptrace write-disk, or id: the
 * default identity (no --runas) reported as a warning "identity uid U gid G"
 * Prints the kernel file written on success; exit status as domuloader. */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "flow.h"
#include "output/output.h"
#include "part/part.h"
#include "sandbox/sandbox.h"

static const char *mode;

struct hook {
	const struct dl_sink *inner;
	struct dl_disk_set *set;
	struct dl_error *err;
	bool fired;
};

/* Runs in the confined child, after setup. */
static int misbehave(struct hook *h)
{
	static int never;
	h->fired = true;
	if (!strcmp(mode, "ok"))
		return 0;
	if (!strcmp(mode, "id")) {
		dl_warn("identity uid %u gid %u groups %d", (unsigned)getuid(), (unsigned)getgid(),
			getgroups(0, NULL));
		return 0;
	}
	if (!strcmp(mode, "hang"))
		for (;;)
			syscall(SYS_futex, &never, FUTEX_WAIT, 0, NULL, NULL, 0);
	if (!strcmp(mode, "spin"))
		for (volatile unsigned long i = 0;; i++)
			;
	if (!strcmp(mode, "open")) {
		int fd = open("/etc/passwd", O_RDONLY);
		if (fd >= 0)
			return dl_fail(h->err, DL_EIO, "ESCAPED: open /etc/passwd gave fd %d", fd);
		return dl_fail(h->err, DL_EIO, "/etc/passwd: %s", strerror(errno));
	}
	if (!strcmp(mode, "socket")) {
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);
		return dl_fail(h->err, DL_EIO, "ESCAPED: socket gave %d", fd);
	}
	if (!strcmp(mode, "execve")) {
		char *argv[] = { "/bin/sh", "-c", "touch /tmp/dl-escaped", NULL };
		execve(argv[0], argv, argv + 3);
		return dl_fail(h->err, DL_EIO, "ESCAPED: execve returned: %s", strerror(errno));
	}
	if (!strcmp(mode, "ptrace")) {
		long r = ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		return dl_fail(h->err, DL_EIO, "ESCAPED: ptrace returned %ld", r);
	}
	if (!strcmp(mode, "write-disk")) {
		ssize_t w = write(h->set->disks[0]->fd, "pwned", 5);
		return dl_fail(h->err, DL_EIO, "ESCAPED: write to the disk returned %zd", w);
	}
	return dl_fail(h->err, DL_EUSAGE, "unknown mode %s", mode);
}

static int w_listing(void *ctx, const char *t, size_t n)
{
	struct hook *h = ctx;
	return h->inner->listing(h->inner->ctx, t, n);
}

static int w_begin(void *ctx, enum dl_payload_kind k)
{
	struct hook *h = ctx;
	return h->inner->begin(h->inner->ctx, k);
}

static int w_data(void *ctx, const void *p, size_t n)
{
	struct hook *h = ctx;
	return h->inner->data(h->inner->ctx, p, n);
}

static int w_copy(void *ctx, int disk, uint64_t off, uint64_t len)
{
	struct hook *h = ctx;
	return h->inner->copy(h->inner->ctx, disk, off, len);
}

static int w_end(void *ctx)
{
	struct hook *h = ctx;
	int r = h->inner->end(h->inner->ctx);
	if (r < 0)
		return r;
	return h->fired ? 0 : misbehave(h);
}

static int w_result(void *ctx, const struct dl_result *r)
{
	struct hook *h = ctx;
	return h->inner->result(h->inner->ctx, r);
}

static int hook_body(const struct dl_request *req, struct dl_disk_set *set,
		     const struct dl_sink *sink, struct dl_error *err)
{
	struct hook h = { .inner = sink, .set = set, .err = err };
	struct dl_sink w = { .ctx = &h, .listing = w_listing, .begin = w_begin, .data = w_data,
			     .copy = w_copy, .end = w_end, .result = w_result };
	return dl_flow_run(req, set, &w, err);
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fputs("usage: sandbox_hook MODE OUTDIR IMAGE KERNEL [RAMDISK]\n", stderr);
		return DL_EUSAGE;
	}
	mode = argv[1];
	struct dl_error err = { 0 };
	struct dl_disk_set set = { 0 };
	struct dl_disk *d;
	struct dl_request req = { .mode = DL_MODE_EXTRACT, .offset = UINT64_MAX, .kernel = argv[4],
				  .ramdisk = argc > 5 ? argv[5] : NULL,
				  .max_kernel = 128ull << 20, .max_ramdisk = 512ull << 20 };
	struct dl_payload pay;
	struct dl_sink sink;
	struct dl_sandbox_opts sb;
	dl_sandbox_opts_init(&sb);
	sb.body = hook_body;
	sb.timeout_s = 20;
	if (!strcmp(mode, "spin"))
		sb.cpu_s = 1;
	if (dl_disk_open(&d, argv[3], DL_FMT_RAW, &err) < 0)
		goto fail;
	dl_diskset_add(&set, d);
	dl_payload_init(&pay, argv[2], &set, req.max_kernel, req.max_ramdisk, &err);
	dl_payload_sink(&pay, &sink);
	if (dl_sandbox_pick_user(&sb, strcmp(mode, "id") ? 54321 : (uid_t)-1, &err) < 0 ||
	    dl_sandbox_run(&sb, &req, &set, &sink, &err) < 0 || dl_payload_commit(&pay, &err) < 0) {
		dl_payload_abort(&pay);
		dl_payload_free(&pay);
		goto fail;
	}
	printf("%s\n", pay.f[0].final);
	dl_payload_free(&pay);
	dl_diskset_free(&set);
	return 0;
fail:
	dl_diskset_free(&set);
	fprintf(stderr, "domuloader: error: %s\n", err.msg);
	return err.code ? err.code : 1;
}
