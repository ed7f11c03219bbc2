/* The sandbox: the broker's frame checks (fed crafted byte streams, no
 * fork), and the real fork + confinement with fake parser bodies that
 * behave, fail, or attack (the test-only hook: only this binary contains
 * them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/futex.h>

#include "sandbox/proto.h"
#include "sandbox/sandbox.h"
#include "part/part.h"

/* ---- a recording parent sink ---- */

struct rec {
	char log[8192];           /* "begin 0|data 6|copy 0 512 100|end|..." */
	size_t loglen;
	uint8_t bytes[2][65536];  /* payload bytes received (data only) */
	size_t nbytes[2];
	int kind;
	char args[8192];
	char title[256];
	bool have_result;
	int fail_at_data;         /* make the nth data call fail (1-based) */
	int ndata;
	bool kill_child_on_data;
	pid_t self;
	uint64_t total;           /* payload bytes received, all kinds */
	uint64_t bad;             /* of those, bytes unlike pattern(offset) */
};

/* The bytes of the window tests: position-dependent, so a slot sent twice,
 * skipped or overwritten before it was written out shows. */
static uint8_t pattern(uint64_t i)
{
	return (uint8_t)(i * 131 + (i >> 9) + (i >> 17));
}

static void rec_printf(struct rec *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(r->log + r->loglen, sizeof(r->log) - r->loglen, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->loglen += (size_t)n;
	if (r->loglen >= sizeof(r->log))
		r->loglen = sizeof(r->log) - 1;
}

static int r_listing(void *ctx, const char *t, size_t n)
{
	rec_printf(ctx, "list %.*s|", (int)n, t);
	return 0;
}

static int r_begin(void *ctx, enum dl_payload_kind k)
{
	struct rec *r = ctx;
	r->kind = (int)k;
	rec_printf(r, "begin %d|", (int)k);
	return 0;
}

/* The sandboxed child of this process (it is the only one). */
static pid_t only_child(void)
{
	char path[64], buf[64] = "";
	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return (pid_t)atoi(buf);
}

static int r_data(void *ctx, const void *p, size_t n)
{
	struct rec *r = ctx;
	r->ndata++;
	rec_printf(r, "data %zu|", n);
	if (r->kill_child_on_data) {
		pid_t c = only_child();
		if (c > 0)
			kill(c, SIGKILL);
	}
	if (r->fail_at_data && r->ndata == r->fail_at_data)
		return -ENOSPC;
	for (size_t i = 0; i < n; i++)
		r->bad += ((const uint8_t *)p)[i] != pattern(r->total + i);
	r->total += n;
	size_t room = sizeof(r->bytes[0]) - r->nbytes[r->kind];
	n = DL_MIN(n, room);
	memcpy(r->bytes[r->kind] + r->nbytes[r->kind], p, n);
	r->nbytes[r->kind] += n;
	return 0;
}

static int r_copy(void *ctx, int disk, uint64_t off, uint64_t len)
{
	rec_printf(ctx, "copy %d %llu %llu|", disk, (unsigned long long)off, (unsigned long long)len);
	return 0;
}

static int r_end(void *ctx)
{
	rec_printf(ctx, "end|");
	return 0;
}

static int r_result(void *ctx, const struct dl_result *res)
{
	struct rec *r = ctx;
	r->have_result = true;
	snprintf(r->args, sizeof(r->args), "%s", res->args ? res->args : "(null)");
	snprintf(r->title, sizeof(r->title), "%s", res->title ? res->title : "(null)");
	rec_printf(r, "result %d %s %s %s|", res->entry_index, res->kernel ? res->kernel : "-",
		   res->ramdisk ? res->ramdisk : "-", res->have_ramdisk ? "rd" : "nord");
	return 0;
}

/* Calls: PING answers "pong:REQ:" + what asking back "q?" gave, with the
 * read end of a pipe holding "fd-bytes"; MENU fails with a message; other
 * ops are unknown. */
static int r_call(void *ctx, uint32_t op, const void *req, size_t len, const struct dl_asker *back,
		  struct dl_reply *rep, struct dl_error *err)
{
	struct rec *r = ctx;
	*rep = (struct dl_reply){ .fd = -1 };
	rec_printf(r, "call %u %.*s|", op, (int)len, (const char *)req);
	if (op == DL_CALL_MENU)
		return dl_fail(err, DL_ENOTFOUND, "no terminal here");
	if (op != DL_CALL_PING)
		return dl_fail(err, DL_EUNSUPPORTED, "request %u: not available", op);
	struct dl_sbuf a = { 0 };
	int rc = back ? back->ask(back->ctx, "q?", 2, &a, err) : 0;
	if (rc < 0)
		return rc;
	int p[2];
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "fd-bytes", 8), 8);
	close(p[1]);
	struct dl_sbuf out = { 0 };
	dl_sbuf_printf(&out, "pong:%.*s:%s", (int)len, (const char *)req, dl_sbuf_str(&a));
	dl_sbuf_free(&a);
	rep->len = out.len;
	rep->buf = (uint8_t *)dl_sbuf_take(&out);
	rep->fd = p[0];
	return 0;
}

static struct dl_sink rec_sink(struct rec *r)
{
	memset(r, 0, sizeof(*r));
	r->self = getpid();
	return (struct dl_sink){ .ctx = r, .listing = r_listing, .begin = r_begin, .data = r_data,
		.copy = r_copy, .end = r_end, .result = r_result, .call = r_call };
}

/* ---- frames fed to the broker directly ---- */

struct stream {
	uint8_t b[1 << 20];
	size_t n;
};

static void put(struct stream *s, uint32_t type, const void *p, size_t n)
{
	struct dl_msg_hdr h = { .type = type, .len = (uint32_t)n };
	memcpy(s->b + s->n, &h, sizeof(h));
	s->n += sizeof(h);
	if (n)
		memcpy(s->b + s->n, p, n);
	s->n += n;
}

static void put_hdr(struct stream *s, uint32_t type, uint32_t len)
{
	struct dl_msg_hdr h = { .type = type, .len = len };
	memcpy(s->b + s->n, &h, sizeof(h));
	s->n += sizeof(h);
}

static void put_begin(struct stream *s, uint32_t kind)
{
	struct dl_msg_begin m = { .kind = kind };
	put(s, DL_MSG_BEGIN, &m, sizeof(m));
}

static void put_copy(struct stream *s, uint32_t disk, uint64_t off, uint64_t len)
{
	struct dl_msg_copy m = { .disk = disk, .off = off, .len = len };
	put(s, DL_MSG_COPY, &m, sizeof(m));
}

/* A RESULT frame laid out as src/result.h describes, written here
 * independently of the codec: every field of the table in order; the
 * strings named in set[] hold the given bytes, the other strings are
 * absent, ints and bools 0. */
struct field_bytes {
	const char *field;
	const char *bytes;
	size_t len;
};

static void put_result_fields(struct stream *s, const struct field_bytes *set, size_t nset)
{
	static uint8_t buf[DL_MSG_RESULT_MAX + 4096];
	size_t n = 0;
	for (size_t i = 0; i < dl_result_type.nfields; i++) {
		const struct dl_record_field *f = &dl_result_type.fields[i];
		const struct field_bytes *v = NULL;
		for (size_t k = 0; k < nset; k++)
			if (!strcmp(set[k].field, f->name))
				v = &set[k];
		uint32_t u = f->kind == DL_RK_STR ? (v ? (uint32_t)v->len : DL_RECORD_ABSENT) : 0;
		memcpy(buf + n, &u, sizeof(u));
		n += sizeof(u);
		if (v) {
			memcpy(buf + n, v->bytes, v->len);
			n += v->len;
		}
	}
	put(s, DL_MSG_RESULT, buf, n);
}

/* args (NULL = absent), kernel path; everything else absent. */
static void put_result_n(struct stream *s, const char *args, size_t alen, const char *kernel)
{
	struct field_bytes set[2];
	size_t n = 0;
	if (args)
		set[n++] = (struct field_bytes){ "args", args, alen };
	if (kernel)
		set[n++] = (struct field_bytes){ "kernel", kernel, strlen(kernel) };
	put_result_fields(s, set, n);
}

static void put_result(struct stream *s, const char *args, const char *kernel)
{
	put_result_n(s, args, args ? strlen(args) : 0, kernel);
}

struct fed {
	int rc;
	struct dl_error err;
	struct dl_broker b;
};

/* One disk of 1 MiB (memory-backed is enough for range checks); with
 * fake_qcow2 a qcow2 image of 1 MiB holding a 4 MiB virtual disk. */
static uint8_t fake_disk[1 << 20];
static bool fake_qcow2;

static struct dl_window *feed_win;   /* the broker's window, if any */

static void feed(struct stream *s, struct rec *r, struct dl_sink *sink, struct fed *out,
		 uint64_t kcap, size_t step)
{
	struct dl_disk_set set = { 0 };
	dl_diskset_add(&set, dl_disk_from_mem(fake_disk, sizeof(fake_disk), "disk0"));
	if (fake_qcow2) {
		set.disks[0]->format = DL_FMT_QCOW2;
		set.disks[0]->size = 4u << 20;
	}
	struct dl_framer f;
	memset(out, 0, sizeof(*out));
	dl_broker_init(&out->b, sink, &set, kcap, 1 << 20, &out->err);
	out->b.win = feed_win;
	dl_framer_init(&f, dl_broker_check, &out->b);
	size_t i = 0;
	while (i < s->n) {
		bool ready;
		ssize_t k = dl_framer_feed(&f, s->b + i, DL_MIN(step, s->n - i), &ready, &out->err);
		if (k < 0) {
			out->rc = (int)k;
			break;
		}
		i += (size_t)k;
		if (ready) {
			out->rc = dl_broker_dispatch(&out->b, &f.h, f.buf);
			if (out->rc < 0)
				break;
			dl_framer_next(&f);
		}
	}
	(void)r;
	dl_framer_free(&f);
	dl_diskset_free(&set);
}

static struct stream S;

static void test_frames_valid_sequence(void **state)
{
	(void)state;
	for (size_t step = 1; step <= 4096; step *= 8) {
		struct rec r;
		struct dl_sink sink = rec_sink(&r);
		struct fed fd;
		S.n = 0;
		struct dl_msg_log lg = { .level = DL_LOG_DEBUG };
		uint8_t lb[sizeof(lg) + 5];
		memcpy(lb, &lg, sizeof(lg));
		memcpy(lb + sizeof(lg), "hello", 5);
		put(&S, DL_MSG_LOG, lb, sizeof(lb));
		put_begin(&S, DL_PAYLOAD_KERNEL);
		put(&S, DL_MSG_DATA, "KERNEL", 6);
		put_copy(&S, 0, 512, 100);
		put(&S, DL_MSG_END, NULL, 0);
		put_begin(&S, DL_PAYLOAD_RAMDISK);
		put(&S, DL_MSG_DATA, "INITRD", 6);
		put(&S, DL_MSG_END, NULL, 0);
		put_result(&S, "root=/dev/xvda1 ro\tquiet", "/boot/vmlinuz");
		put(&S, DL_MSG_DONE, NULL, 0);
		feed(&S, &r, &sink, &fd, 1 << 20, step);
		assert_int_equal(fd.rc, 0);
		assert_true(fd.b.done);
		assert_string_equal(r.log, "begin 0|data 6|copy 0 512 100|end|begin 1|data 6|end|"
				    "result 0 /boot/vmlinuz - nord|");
		assert_memory_equal(r.bytes[0], "KERNEL", 6);
		assert_memory_equal(r.bytes[1], "INITRD", 6);
		assert_string_equal(r.args, "root=/dev/xvda1 ro\tquiet");
		assert_string_equal(r.title, "(null)");
	}
}

/* Run S through the broker and expect failure with code and message. */
static void expect_reject(int code, const char *msg, uint64_t kcap)
{
	struct rec r;
	struct dl_sink sink = rec_sink(&r);
	struct fed fd;
	feed(&S, &r, &sink, &fd, kcap, 7);
	assert_int_equal(fd.rc, -dl_code_errno(code));
	assert_int_equal(fd.err.code, code);
	assert_string_equal(fd.err.msg, msg);
}

static void test_frames_bad_lengths(void **state)
{
	(void)state;
	S.n = 0;
	put_begin(&S, 0);
	put(&S, DL_MSG_DATA, NULL, 0);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: DATA frame of 0 bytes (allowed 1 to 262144)", 100);

	S.n = 0;
	put_begin(&S, 0);
	put(&S, DL_MSG_COPY, "0123456789012345678901", 22);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: COPY frame of 22 bytes (allowed 24 to 24)", 100);

	S.n = 0;
	put_hdr(&S, DL_MSG_LISTING, 0xffffffffu);
	expect_reject(DL_ESANDBOX, "parser child: frame of 4294967295 bytes exceeds 262144", 100);

	S.n = 0;
	put_hdr(&S, DL_MSG_LISTING, 70000);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: LISTING frame of 70000 bytes (allowed 1 to 65536)", 100);

	S.n = 0;
	put(&S, DL_MSG_END + 100, "x", 1);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: unknown frame type 106", 100);

	S.n = 0;
	put(&S, 0, NULL, 0);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: unknown frame type 0", 100);

	/* A LOG over 1 KiB. */
	S.n = 0;
	put_hdr(&S, DL_MSG_LOG, 4 + 1025);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: LOG frame of 1029 bytes (allowed 5 to 1028)", 100);

	/* RESULT whose string lengths do not add up to the frame. */
	S.n = 0;
	put_result(&S, "ro", NULL);
	S.n -= 1;
	((struct dl_msg_hdr *)S.b)->len -= 1;
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: result length mismatch", 100);
}

/* WDATA: the bytes of the window's slots in ring order, each released
 * once written; lengths checked; refused where there is no window. */
static void put_wdata(struct stream *s, uint32_t len)
{
	struct dl_msg_wdata m = { .len = len };
	put(s, DL_MSG_WDATA, &m, sizeof(m));
}

/* The child's side in this process: n slots filled with the pattern from
 * *at on, each len bytes. */
static void fill_slots(struct dl_window *child, unsigned n, uint32_t len, uint64_t *at)
{
	for (unsigned k = 0; k < n; k++) {
		uint8_t *slot = dl_window_slot(child, len);
		for (uint32_t i = 0; i < len; i++)
			slot[i] = pattern(*at + i);
		*at += len;
		dl_window_filled(child);
	}
}

static void test_frames_window(void **state)
{
	(void)state;
	struct rec r;
	struct dl_sink sink = rec_sink(&r);
	struct fed fd;
	uint64_t at = 0;

	/* No window: WDATA is refused. */
	S.n = 0;
	put_begin(&S, 0);
	put_wdata(&S, 10);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: window data without a window", 100);

	feed_win = dl_window_new();
	assert_non_null(feed_win);
	struct dl_window child = *feed_win;   /* what the fork copies */
	/* Every slot filled, announced, written out in order... */
	fill_slots(&child, DL_WINDOW_SLOTS, DL_WINDOW_SLOT / 4, &at);
	S.n = 0;
	put_begin(&S, 0);
	for (unsigned k = 0; k < DL_WINDOW_SLOTS; k++)
		put_wdata(&S, DL_WINDOW_SLOT / 4);
	feed(&S, &r, &sink, &fd, 64u << 20, 100);
	assert_int_equal(fd.rc, 0);
	assert_int_equal(r.total, DL_WINDOW_SLOTS * DL_WINDOW_SLOT / 4);
	assert_int_equal(r.bad, 0);
	/* ...and released: the ring goes round (a whole slot this time). */
	fill_slots(&child, 2, DL_WINDOW_SLOT, &at);
	S.n = 0;
	put_begin(&S, 0);
	put_wdata(&S, DL_WINDOW_SLOT);
	put_wdata(&S, DL_WINDOW_SLOT);
	feed(&S, &r, &sink, &fd, 64u << 20, 100);
	assert_int_equal(fd.rc, 0);
	assert_int_equal(r.total, at);
	assert_int_equal(r.bad, 0);

	/* Lengths: none, or more than a slot. */
	S.n = 0;
	put_begin(&S, 0);
	put_wdata(&S, 0);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: window data of a bad length", 100);
	S.n = 0;
	put_begin(&S, 0);
	put_wdata(&S, DL_WINDOW_SLOT + 1);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: window data of a bad length", 100);
	/* The frame itself is 4 bytes. */
	S.n = 0;
	put_begin(&S, 0);
	put(&S, DL_MSG_WDATA, "12345678", 8);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: WDATA frame of 8 bytes (allowed 4 to 4)", 100);
	/* Outside a file. */
	S.n = 0;
	put_wdata(&S, 1);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: unexpected WDATA frame", 100);
	/* Counted against the cap like DATA. */
	fill_slots(&child, 1, 4096, &at);
	S.n = 0;
	put_begin(&S, 0);
	put_wdata(&S, 4096);
	feed(&S, &r, &sink, &fd, 4000, 100);
	assert_int_equal(fd.err.code, DL_ELIMIT);
	dl_window_free(feed_win);
	feed_win = NULL;
}

static void test_frames_wrong_order(void **state)
{
	(void)state;
	S.n = 0;
	put(&S, DL_MSG_DATA, "x", 1);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: unexpected DATA frame", 100);

	S.n = 0;
	put(&S, DL_MSG_END, NULL, 0);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: unexpected END frame", 100);

	S.n = 0;
	put_begin(&S, 0);
	put(&S, DL_MSG_LISTING, "x", 1);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: unexpected LISTING frame", 100);

	S.n = 0;
	put_begin(&S, 0);
	put(&S, DL_MSG_END, NULL, 0);
	put_begin(&S, 0);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: second payload of the same kind", 100);

	S.n = 0;
	put_begin(&S, 0);
	put_begin(&S, 1);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: unexpected BEGIN frame", 100);

	S.n = 0;
	put_begin(&S, 3);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: unknown payload kind", 100);

	/* modules: any number up to DL_PAYLOAD_MODULES_MAX, then refused */
	S.n = 0;
	for (unsigned i = 0; i <= DL_PAYLOAD_MODULES_MAX; i++) {
		put_begin(&S, DL_PAYLOAD_MODULE);
		put(&S, DL_MSG_END, NULL, 0);
	}
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: second payload of the same kind", 100);

	S.n = 0;
	put_result(&S, "a", NULL);
	put_result(&S, "b", NULL);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: unexpected RESULT frame", 100);

	S.n = 0;
	put(&S, DL_MSG_DONE, NULL, 0);
	put(&S, DL_MSG_LISTING, "late", 4);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: unexpected LISTING frame", 100);

	S.n = 0;
	put_begin(&S, 0);
	put(&S, DL_MSG_DONE, NULL, 0);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: unexpected DONE frame", 100);
}

static void test_frames_args(void **state)
{
	(void)state;
	char big[DL_RESULT_ARGS_MAX + 1];
	memset(big, 'a', sizeof(big));
	S.n = 0;
	put_result_n(&S, big, sizeof(big), NULL);
	expect_reject(DL_ELIMIT, "boot entry command line: longer than 4096 bytes", 100);

	/* Exactly 4096 is fine. */
	S.n = 0;
	put_result_n(&S, big, DL_RESULT_ARGS_MAX, NULL);
	put(&S, DL_MSG_DONE, NULL, 0);
	{
		struct rec r;
		struct dl_sink sink = rec_sink(&r);
		struct fed fd;
		feed(&S, &r, &sink, &fd, 100, 4096);
		assert_int_equal(fd.rc, 0);
		assert_int_equal(strlen(r.args), DL_RESULT_ARGS_MAX);
	}

	S.n = 0;
	put_result_n(&S, "ro\0init=/bin/sh", 15, NULL);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: NUL byte inside a result string", 100);

	S.n = 0;
	put_result(&S, "ro\nkernel /etc/shadow", NULL);
	expect_reject(DL_ESYNTAX, "boot entry command line contains a newline", 100);

	S.n = 0;
	put_result(&S, "ro\x1b[2J", NULL);
	expect_reject(DL_ESYNTAX, "boot entry command line contains control byte 0x1b", 100);

	/* A NUL in another string is a violation too. */
	S.n = 0;
	static const struct field_bytes nul_in_title[] = { { "args", "ro", 2 }, { "title", "a\0b", 3 } };
	put_result_fields(&S, nul_in_title, 2);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: NUL byte inside a result string", 100);
}

static void test_frames_copy_range(void **state)
{
	(void)state;
	S.n = 0;
	put_begin(&S, 0);
	put_copy(&S, 0, sizeof(fake_disk) - 10, 11);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: copy range beyond the end of the disk", 1 << 30);

	S.n = 0;
	put_begin(&S, 0);
	put_copy(&S, 0, UINT64_MAX - 5, 10);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: copy range beyond the end of the disk", 1 << 30);

	S.n = 0;
	put_begin(&S, 0);
	put_copy(&S, 1, 0, 10);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: copy range on an unknown disk", 1 << 30);

	S.n = 0;
	put_begin(&S, 0);
	put_copy(&S, 0, 0, 0);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: malformed copy range", 1 << 30);

	/* The last byte of the disk is fine. */
	S.n = 0;
	put_begin(&S, 0);
	put_copy(&S, 0, sizeof(fake_disk) - 1, 1);
	put(&S, DL_MSG_END, NULL, 0);
	put(&S, DL_MSG_DONE, NULL, 0);
	struct rec r;
	struct dl_sink sink = rec_sink(&r);
	struct fed fd;
	feed(&S, &r, &sink, &fd, 1 << 30, 100);
	assert_int_equal(fd.rc, 0);
	assert_string_equal(r.log, "begin 0|copy 0 1048575 1|end|");

	/* On a qcow2 disk a range is one of the image file (its plain data
	 * clusters): inside the file, whatever the virtual size. */
	fake_qcow2 = true;
	S.n = 0;
	put_begin(&S, 0);
	put_copy(&S, 0, sizeof(fake_disk), 10);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: copy range beyond the end of the disk", 1 << 30);
	S.n = 0;
	put_begin(&S, 0);
	put_copy(&S, 0, 4096, 65536);
	put(&S, DL_MSG_END, NULL, 0);
	put(&S, DL_MSG_DONE, NULL, 0);
	sink = rec_sink(&r);
	feed(&S, &r, &sink, &fd, 1 << 30, 100);
	fake_qcow2 = false;
	assert_int_equal(fd.rc, 0);
	assert_string_equal(r.log, "begin 0|copy 0 4096 65536|end|");
}

static void test_frames_caps(void **state)
{
	(void)state;
	/* Data and copies both count, against the bytes actually announced. */
	S.n = 0;
	put_begin(&S, 0);
	put(&S, DL_MSG_DATA, "12345", 5);
	put_copy(&S, 0, 0, 5);
	put(&S, DL_MSG_DATA, "x", 1);
	expect_reject(DL_ELIMIT, "kernel is larger than the 10 byte limit", 10);

	S.n = 0;
	put_begin(&S, 0);
	put_copy(&S, 0, 0, (1 << 20) + 1);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: copy range beyond the end of the disk", 1 << 20);

	S.n = 0;
	put_begin(&S, 0);
	put_copy(&S, 0, 0, 1 << 20);
	put(&S, DL_MSG_DATA, "x", 1);
	expect_reject(DL_ELIMIT, "kernel is larger than the 1 MiB limit", 1 << 20);

	/* The ramdisk has its own cap (1 MiB in feed()). */
	S.n = 0;
	put_begin(&S, 1);
	put_copy(&S, 0, 0, 1 << 20);
	put_copy(&S, 0, 0, 1);
	expect_reject(DL_ELIMIT, "ramdisk is larger than the 1 MiB limit", 10);
}

static char logged[4096];
static void capture_log(void *ctx, int level, const char *msg)
{
	(void)ctx;
	size_t n = strlen(logged);
	snprintf(logged + n, sizeof(logged) - n, "%d:%s;", level, msg);
}

static void test_frames_log_sanitized(void **state)
{
	(void)state;
	S.n = 0;
	struct dl_msg_log lg = { .level = DL_LOG_WARN };
	uint8_t lb[sizeof(lg) + 12];
	memcpy(lb, &lg, sizeof(lg));
	memcpy(lb + sizeof(lg), "a\x1b[1mb\r\nc\x7f", 10);
	put(&S, DL_MSG_LOG, lb, sizeof(lg) + 10);
	put(&S, DL_MSG_DONE, NULL, 0);
	logged[0] = '\0';
	dl_log_set(capture_log, NULL, DL_LOG_DEBUG);
	struct rec r;
	struct dl_sink sink = rec_sink(&r);
	struct fed fd;
	feed(&S, &r, &sink, &fd, 10, 3);
	dl_log_set(NULL, NULL, DL_LOG_WARN);
	assert_int_equal(fd.rc, 0);
	assert_string_equal(logged, "1:a?[1mb??c?;");

	S.n = 0;
	lg.level = 9;
	memcpy(lb, &lg, sizeof(lg));
	put(&S, DL_MSG_LOG, lb, sizeof(lg) + 1);
	expect_reject(DL_ESANDBOX, "parser child: protocol violation: bad log level", 10);
}

static int nlogged;
static void count_log(void *ctx, int level, const char *msg)
{
	(void)ctx, (void)level;
	nlogged++;
	snprintf(logged, sizeof(logged), "%s", msg);
}

/* A child flooding LOG frames gets 256 lines through, then one note. */
static void test_frames_log_flood(void **state)
{
	(void)state;
	struct dl_msg_log lg = { .level = DL_LOG_WARN };
	uint8_t lb[sizeof(lg) + 1];
	memcpy(lb, &lg, sizeof(lg));
	lb[sizeof(lg)] = 'x';
	S.n = 0;
	for (int i = 0; i < 1000; i++)
		put(&S, DL_MSG_LOG, lb, sizeof(lb));
	put(&S, DL_MSG_DONE, NULL, 0);
	nlogged = 0;
	dl_log_set(count_log, NULL, DL_LOG_DEBUG);
	struct rec r;
	struct dl_sink sink = rec_sink(&r);
	struct fed fd;
	feed(&S, &r, &sink, &fd, 10, 4096);
	dl_log_set(NULL, NULL, DL_LOG_WARN);
	assert_int_equal(fd.rc, 0);
	assert_int_equal(nlogged, 257);
	assert_string_equal(logged, "parser child: further messages suppressed");
}

static void test_frames_child_error(void **state)
{
	(void)state;
	S.n = 0;
	uint8_t eb[sizeof(struct dl_msg_error) + 32];
	struct dl_msg_error m = { .code = DL_ENOTFOUND };
	memcpy(eb, &m, sizeof(m));
	memcpy(eb + sizeof(m), "/boot/grub/grub.cfg: not found", 30);
	put(&S, DL_MSG_ERROR, eb, sizeof(m) + 30);
	struct rec r;
	struct dl_sink sink = rec_sink(&r);
	struct fed fd;
	feed(&S, &r, &sink, &fd, 10, 5);
	assert_int_equal(fd.rc, 0);
	assert_true(fd.b.child_failed);
	assert_int_equal(fd.err.code, DL_ENOTFOUND);
	assert_string_equal(fd.err.msg, "/boot/grub/grub.cfg: not found");

	/* A bogus code becomes DL_ESANDBOX. */
	S.n = 0;
	m.code = 1234;
	memcpy(eb, &m, sizeof(m));
	put(&S, DL_MSG_ERROR, eb, sizeof(m) + 3);
	feed(&S, &r, &sink, &fd, 10, 5);
	assert_int_equal(fd.err.code, DL_ESANDBOX);
	assert_string_equal(fd.err.msg, "/bo");
}

/* dl_framer_read() on a real pipe: a truncated frame at EOF. */
static void test_frames_truncated(void **state)
{
	(void)state;
	int p[2];
	assert_int_equal(pipe2(p, O_NONBLOCK), 0);
	struct dl_msg_hdr h = { .type = DL_MSG_LISTING, .len = 10 };
	assert_int_equal(write(p[1], &h, sizeof(h)), sizeof(h));
	assert_int_equal(write(p[1], "abc", 3), 3);
	struct rec r;
	struct dl_sink sink = rec_sink(&r);
	struct dl_error err = { 0 };
	struct dl_broker b;
	struct dl_disk_set set = { 0 };
	dl_broker_init(&b, &sink, &set, 10, 10, &err);
	struct dl_framer f;
	dl_framer_init(&f, dl_broker_check, &b);
	assert_int_equal(dl_framer_read(&f, p[0], &err), DL_FRAME_MORE);
	close(p[1]);
	assert_int_equal(dl_framer_read(&f, p[0], &err), DL_FRAME_TRUNCATED);
	assert_int_equal(err.code, 0);
	dl_framer_free(&f);
	close(p[0]);
}

/* ---- the real thing: fork, confine, run a body ---- */

static char img_path[] = "/tmp/dl-sandbox-test.XXXXXX";
static uint8_t img_head[4096];

static int setup_image(void **state)
{
	(void)state;
	int fd = mkstemp(img_path);
	if (fd < 0)
		return -1;
	for (size_t i = 0; i < sizeof(img_head); i++)
		img_head[i] = (uint8_t)(i * 7 + 3);
	if (write(fd, img_head, sizeof(img_head)) != (ssize_t)sizeof(img_head))
		return -1;
	if (ftruncate(fd, 1 << 20) < 0)
		return -1;
	fchmod(fd, 0600);    /* root only: the child reads through the fd */
	close(fd);
	return 0;
}

static int teardown_image(void **state)
{
	(void)state;
	unlink(img_path);
	return 0;
}

struct run {
	int rc;
	struct dl_error err;
	struct rec r;
};

static uint64_t run_cap = 1 << 20;   /* run_body's kernel cap */

static void run_body(struct run *out, dl_sandbox_body_fn body, unsigned timeout_s, unsigned cpu_s,
		     bool kill_on_data)
{
	struct dl_sandbox_opts o;
	struct dl_disk_set set = { 0 };
	struct dl_disk *d;
	struct dl_request req = { .mode = DL_MODE_EXTRACT, .max_kernel = run_cap,
				  .max_ramdisk = 1 << 20, .offset = UINT64_MAX };
	memset(out, 0, sizeof(*out));
	dl_sandbox_opts_init(&o);
	o.uid = 65534;
	o.gid = 65534;
	o.timeout_s = timeout_s;
	o.cpu_s = cpu_s;
	o.body = body;
	assert_int_equal(dl_disk_open(&d, img_path, DL_FMT_RAW, &out->err), 0);
	dl_diskset_add(&set, d);
	struct dl_sink sink = rec_sink(&out->r);
	out->r.kill_child_on_data = kill_on_data;
	out->rc = dl_sandbox_run(&o, &req, &set, &sink, &out->err);
	dl_diskset_free(&set);
	/* Reaped: no child left. */
	assert_int_equal(only_child(), 0);
}

/* Behaves: reads the image through its fd (not readable by uid 65534 by
 * path), streams the head as the kernel, a copy range, and a result. */
static int body_ok(const struct dl_request *req, struct dl_disk_set *set,
		   const struct dl_sink *s, struct dl_error *err)
{
	(void)req;
	uint8_t buf[4096];
	if (dl_disk_pread(set->disks[0], buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
		return dl_fail(err, DL_EIO, "%s: cannot read", set->disks[0]->path);
	dl_warn("from the child %d", 42);
	int rc;
	if ((rc = s->begin(s->ctx, DL_PAYLOAD_KERNEL)) < 0 ||
	    (rc = s->data(s->ctx, buf, sizeof(buf))) < 0 ||
	    (rc = s->copy(s->ctx, 0, 4096, 8192)) < 0 || (rc = s->end(s->ctx)) < 0)
		return rc;
	struct dl_result r = { .args = "root=/dev/xvda1 ro", .title = "Debian", .entry_index = 2,
			       .kernel = "/boot/vmlinuz", .volume = "xvda1" };
	return s->result(s->ctx, &r);
}

static void test_run_ok(void **state)
{
	(void)state;
	struct run x;
	logged[0] = '\0';
	dl_log_set(capture_log, NULL, DL_LOG_WARN);
	run_body(&x, body_ok, 10, 0, false);
	dl_log_set(NULL, NULL, DL_LOG_WARN);
	assert_int_equal(x.rc, 0);
	assert_int_equal(x.err.code, 0);
	assert_string_equal(x.r.log, "begin 0|data 4096|copy 0 4096 8192|end|result 2 /boot/vmlinuz - nord|");
	assert_int_equal(x.r.nbytes[0], 4096);
	assert_memory_equal(x.r.bytes[0], img_head, 4096);
	assert_string_equal(x.r.args, "root=/dev/xvda1 ro");
	assert_string_equal(x.r.title, "Debian");
	assert_string_equal(logged, "1:from the child 42;");
}

/* Payload bytes through the window: made in the slot the sink offers
 * (s->buffer), or copied in by s->data, in pieces of every size (smaller
 * than a slot, a whole one, several), many more than the ring holds, so
 * the child waits for the broker's releases. */
static int body_window(const struct dl_request *req, struct dl_disk_set *set,
		       const struct dl_sink *s, struct dl_error *err)
{
	(void)req, (void)set, (void)err;
	static uint8_t big[5 * DL_WINDOW_SLOT / 2];
	uint64_t at = 0;
	int rc = s->begin(s->ctx, DL_PAYLOAD_KERNEL);
	for (unsigned k = 0; rc == 0 && k < 24; k++) {
		size_t len = k % 3 == 0 ? sizeof(big) : k % 3 == 1 ? DL_WINDOW_SLOT : 1000 + k;
		size_t room = len;
		uint8_t *p = k % 2 && s->buffer ? s->buffer(s->ctx, &room) : NULL;
		if (!p || room < len)
			p = big;
		for (size_t i = 0; i < len; i++)
			p[i] = pattern(at + i);
		at += len;
		rc = s->data(s->ctx, p, len);
	}
	if (rc == 0)
		rc = s->end(s->ctx);
	struct dl_result r = { .kernel = "/k", .entry_index = -1 };
	return rc < 0 ? rc : s->result(s->ctx, &r);
}

static void test_run_window(void **state)
{
	(void)state;
	struct run x;
	run_cap = 64u << 20;
	run_body(&x, body_window, 20, 0, false);
	run_cap = 1 << 20;
	assert_int_equal(x.rc, 0);
	/* 8 of each size */
	assert_int_equal(x.r.total, 8 * (5 * DL_WINDOW_SLOT / 2) + 8 * DL_WINDOW_SLOT +
				    (1002 + 1005 + 1008 + 1011 + 1014 + 1017 + 1020 + 1023));
	assert_int_equal(x.r.bad, 0);
	/* a whole slot in one piece: no DATA frame carries that much */
	assert_non_null(strstr(x.r.log, "|data 1048576|"));
}

/* The child's side of calls: answers the parent's question, reads the
 * reply and the descriptor it brings, and reports all of it as the args. */
static int child_answer(void *ctx, const void *q, size_t len, struct dl_sbuf *answer,
			struct dl_error *err)
{
	(void)ctx, (void)err;
	return dl_sbuf_printf(answer, "a(%.*s)", (int)len, (const char *)q);
}

static int body_call(const struct dl_request *req, struct dl_disk_set *set,
		     const struct dl_sink *s, struct dl_error *err)
{
	(void)req, (void)set;
	struct dl_asker back = { .ask = child_answer };
	struct dl_reply rep;
	int rc = s->call(s->ctx, DL_CALL_PING, "hello", 5, &back, &rep, err);
	if (rc < 0)
		return rc;
	char got[64] = "";
	ssize_t n = rep.fd >= 0 ? read(rep.fd, got, sizeof(got) - 1) : -1;
	char args[512];
	snprintf(args, sizeof(args), "%.*s fd=%s", (int)rep.len, (const char *)rep.buf,
		 n > 0 ? got : "none");
	dl_reply_free(&rep);
	struct dl_error e1 = { 0 }, e2 = { 0 };
	int r1 = s->call(s->ctx, DL_CALL_MENU, "m", 1, NULL, &rep, &e1);
	int r2 = s->call(s->ctx, 77, "x", 1, NULL, &rep, &e2);
	size_t l = strlen(args);
	snprintf(args + l, sizeof(args) - l, " menu=%d:%.64s other=%d:%d", r1, e1.msg, r2, e2.code);
	struct dl_result r = { .args = args, .kernel = "/k", .entry_index = -1 };
	return s->result(s->ctx, &r);
}

static void test_run_calls(void **state)
{
	(void)state;
	struct run x;
	run_body(&x, body_call, 10, 0, false);
	assert_int_equal(x.rc, 0);
	assert_string_equal(x.r.args, "pong:hello:a(q?) fd=fd-bytes menu=-2:no terminal here other=-95:8");
	/* op 77 never reached the sink: the broker refused it itself */
	assert_string_equal(x.r.log, "call 1 hello|call 2 m|result -1 /k - nord|");
}

/* A child that answers when nobody asked breaks the protocol. */
static int body_stray_answer(const struct dl_request *req, struct dl_disk_set *set,
			     const struct dl_sink *s, struct dl_error *err)
{
	(void)req, (void)set, (void)s, (void)err;
	struct { struct dl_msg_hdr h; int32_t st; } f = { { DL_MSG_ANSWER, 4 }, 0 };
	ssize_t w = write(3, &f, sizeof(f));
	(void)w;
	return 0;
}

static void test_run_stray_answer(void **state)
{
	(void)state;
	struct run x;
	run_body(&x, body_stray_answer, 10, 0, false);
	assert_true(x.rc < 0);
	assert_string_equal(x.err.msg, "parser child: protocol violation: unexpected ANSWER frame");
}

static int body_error(const struct dl_request *req, struct dl_disk_set *set,
		      const struct dl_sink *s, struct dl_error *err)
{
	(void)req, (void)set, (void)s;
	return dl_fail(err, DL_ENOTFOUND, "xvda1:/boot/grub/grub.cfg: no boot configuration");
}

static void test_run_child_error(void **state)
{
	(void)state;
	struct run x;
	run_body(&x, body_error, 10, 0, false);
	assert_int_equal(x.rc, -dl_code_errno(DL_ENOTFOUND));
	assert_int_equal(x.err.code, DL_ENOTFOUND);
	assert_string_equal(x.err.msg, "xvda1:/boot/grub/grub.cfg: no boot configuration");
}

/* What the confined child sees of itself, reported as its error text. */
static int body_inspect(const struct dl_request *req, struct dl_disk_set *set,
			const struct dl_sink *s, struct dl_error *err)
{
	(void)req, (void)s;
	uid_t r, e, sv;
	gid_t gr, ge, gs;
	getresuid(&r, &e, &sv);
	getresgid(&gr, &ge, &gs);
	int ngroups = getgroups(0, NULL);
	struct rlimit fs, np, as;
	getrlimit(RLIMIT_FSIZE, &fs);
	getrlimit(RLIMIT_NPROC, &np);
	getrlimit(RLIMIT_AS, &as);
	int open_fds = 0;
	for (int fd = 0; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			open_fds++;
	struct stat st;
	int st_rc = stat("/etc/passwd", &st);
	int st_errno = errno;
	int o_rc = open("/etc/passwd", O_RDONLY);
	int o_errno = errno;
	int io = ioctl(set->disks[0]->fd, 0x1272 /* BLKGETSIZE64 */, &st);
	int io_errno = errno;
	return dl_fail(err, DL_EIO,
		       "uid %u/%u/%u gid %u/%u/%u groups %d fsize %llu nproc %llu as %s fds %d "
		       "disk fd %d env %s stat %d %s open %d %s ioctl %d %s",
		       r, e, sv, gr, ge, gs, ngroups, (unsigned long long)fs.rlim_max,
		       (unsigned long long)np.rlim_max, as.rlim_max == RLIM_INFINITY ? "inf" : "limited",
		       open_fds, set->disks[0]->fd, getenv("PATH") ? "set" : "clear",
		       st_rc, strerror(st_errno), o_rc, strerror(o_errno), io, strerror(io_errno));
}

static void test_run_confined(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	struct run x;
	setenv("PATH", "/usr/bin:/bin", 1);
	run_body(&x, body_inspect, 10, 0, false);
	assert_int_equal(x.rc, -dl_code_errno(DL_EIO));
	assert_int_equal(x.err.code, DL_EIO);
	char want[512];
#if defined(__SANITIZE_ADDRESS__)
	const char *as = "inf";
#else
	const char *as = "limited";
#endif
	snprintf(want, sizeof(want),
		 "uid 65534/65534/65534 gid 65534/65534/65534 groups 0 fsize 0 nproc 0 as %s fds 5 "
		 "disk fd 4 env clear stat -1 Permission denied open -1 Permission denied "
		 "ioctl -1 Inappropriate ioctl for device", as);
	assert_string_equal(x.err.msg, want);
}

/* The attacks: each must fail or get the child killed, and the broker
 * must say so. */
static int body_socket(const struct dl_request *q, struct dl_disk_set *d, const struct dl_sink *s,
		       struct dl_error *err)
{
	(void)q, (void)d, (void)s;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	return dl_fail(err, DL_EIO, "ESCAPED: socket returned %d", fd);
}

static int body_execve(const struct dl_request *q, struct dl_disk_set *d, const struct dl_sink *s,
		       struct dl_error *err)
{
	(void)q, (void)d, (void)s;
	char *argv[] = { "/bin/sh", "-c", "id", NULL };
	execve("/bin/sh", argv, argv + 3);
	return dl_fail(err, DL_EIO, "ESCAPED: execve returned: %s", strerror(errno));
}

static int body_ptrace(const struct dl_request *q, struct dl_disk_set *d, const struct dl_sink *s,
		       struct dl_error *err)
{
	(void)q, (void)d, (void)s;
	long r = ptrace(PTRACE_ATTACH, 1, NULL, NULL);
	return dl_fail(err, DL_EIO, "ESCAPED: ptrace returned %ld", r);
}

static int body_write_disk(const struct dl_request *q, struct dl_disk_set *d, const struct dl_sink *s,
			   struct dl_error *err)
{
	(void)q, (void)s;
	ssize_t w = write(d->disks[0]->fd, "pwned", 5);
	return dl_fail(err, DL_EIO, "ESCAPED: write returned %zd", w);
}

static int body_open(const struct dl_request *q, struct dl_disk_set *d, const struct dl_sink *s,
		     struct dl_error *err)
{
	(void)q, (void)d, (void)s;
	int fd = open("/etc/passwd", O_RDONLY);
	if (fd >= 0)
		return dl_fail(err, DL_EIO, "ESCAPED: open returned %d", fd);
	int fd2 = openat(AT_FDCWD, "/etc/shadow", O_RDONLY);
	if (fd2 >= 0)
		return dl_fail(err, DL_EIO, "ESCAPED: openat returned %d", fd2);
	return dl_fail(err, DL_EIO, "open: %s", strerror(errno));
}

static int body_mmap_exec(const struct dl_request *q, struct dl_disk_set *d, const struct dl_sink *s,
			  struct dl_error *err)
{
	(void)q, (void)d, (void)s;
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return dl_fail(err, DL_EIO, "ESCAPED: mmap returned %p", p);
}

static int body_setown(const struct dl_request *q, struct dl_disk_set *d, const struct dl_sink *s,
		       struct dl_error *err)
{
	(void)q, (void)d, (void)s;
	int r = fcntl(3, F_SETOWN, 1);
	return dl_fail(err, DL_EIO, "ESCAPED: F_SETOWN returned %d", r);
}

static void test_attacks(void **state)
{
	(void)state;
	static const struct {
		dl_sandbox_body_fn body;
		const char *msg;
	} t[] = {
		{ body_socket, "parser child killed by signal 31 (SIGSYS): seccomp violation (syscall 41, socket)" },
		{ body_execve, "parser child killed by signal 31 (SIGSYS): seccomp violation (syscall 59, execve)" },
		{ body_ptrace, "parser child killed by signal 31 (SIGSYS): seccomp violation (syscall 101, ptrace)" },
		{ body_write_disk, "parser child killed by signal 31 (SIGSYS): seccomp violation (syscall 1, write)" },
		{ body_mmap_exec, "parser child killed by signal 31 (SIGSYS): seccomp violation (syscall 9, mmap)" },
		{ body_setown, "parser child killed by signal 31 (SIGSYS): seccomp violation (syscall 72, fcntl)" },
	};
	for (size_t i = 0; i < DL_ARRAY_SIZE(t); i++) {
		struct run x;
		run_body(&x, t[i].body, 10, 0, false);
		assert_int_equal(x.rc, -ECHILD);
		assert_int_equal(x.err.code, DL_ESANDBOX);
		assert_string_equal(x.err.msg, t[i].msg);
	}
	struct run x;
	run_body(&x, body_open, 10, 0, false);
	assert_int_equal(x.rc, -dl_code_errno(DL_EIO));
	assert_int_equal(x.err.code, DL_EIO);
	assert_string_equal(x.err.msg, "open: Permission denied");
}

static int body_spin(const struct dl_request *q, struct dl_disk_set *d, const struct dl_sink *s,
		     struct dl_error *err)
{
	(void)q, (void)d, (void)s, (void)err;
	for (volatile unsigned long i = 0;; i++)
		;
	return 0;
}

static void test_cpu_limit(void **state)
{
	(void)state;
	struct run x;
	run_body(&x, body_spin, 20, 1, false);
	assert_int_equal(x.rc, -dl_code_errno(DL_ESANDBOX));
	assert_int_equal(x.err.code, DL_ESANDBOX);
	assert_string_equal(x.err.msg, "parser child killed by signal 24 (SIGXCPU): exceeded CPU limit of 1 s");
}

static int body_hang(const struct dl_request *q, struct dl_disk_set *d, const struct dl_sink *s,
		     struct dl_error *err)
{
	(void)q, (void)d, (void)err;
	static int never;
	int rc;
	if ((rc = s->begin(s->ctx, DL_PAYLOAD_KERNEL)) < 0 || (rc = s->data(s->ctx, "abc", 3)) < 0)
		return rc;
	for (;;)
		syscall(SYS_futex, &never, FUTEX_WAIT, 0, NULL, NULL, 0);
	return 0;
}

static void test_timeout(void **state)
{
	(void)state;
	struct run x;
	run_body(&x, body_hang, 1, 5, false);
	assert_int_equal(x.rc, -ECHILD);
	assert_int_equal(x.err.code, DL_ESANDBOX);
	assert_string_equal(x.err.msg, "parser child timed out after 1 s");
	assert_string_equal(x.r.log, "begin 0|data 3|");
}

static void test_killed(void **state)
{
	(void)state;
	struct run x;
	run_body(&x, body_hang, 20, 0, true);
	assert_int_equal(x.rc, -dl_code_errno(DL_ESANDBOX));
	assert_int_equal(x.err.code, DL_ESANDBOX);
	assert_string_equal(x.err.msg, "parser child killed by signal 9 (SIGKILL)");
}

static int body_oom(const struct dl_request *q, struct dl_disk_set *d, const struct dl_sink *s,
		    struct dl_error *err)
{
	(void)q, (void)d, (void)s;
	for (int i = 0; i < 64; i++) {
		char *p = dl_malloc(256u << 20);
		memset(p, 1, 256u << 20);
	}
	return dl_fail(err, DL_EIO, "ESCAPED: 16 GiB allocated");
}

static void test_memory_limit(void **state)
{
	(void)state;
#if defined(__SANITIZE_ADDRESS__)
	skip();
#endif
	struct run x;
	run_body(&x, body_oom, 20, 0, false);
	assert_int_equal(x.rc, -dl_code_errno(DL_ESANDBOX));
	assert_int_equal(x.err.code, DL_ESANDBOX);
	assert_string_equal(x.err.msg, "parser child exited with status 5: out of memory");
}

/* The parent's sink fails (ENOSPC in real life): the child is killed and
 * the sink's failure is the error. */
static void test_sink_failure(void **state)
{
	(void)state;
	struct dl_sandbox_opts o;
	struct dl_disk_set set = { 0 };
	struct dl_disk *d;
	struct dl_request req = { .max_kernel = 1 << 20, .max_ramdisk = 1 << 20 };
	struct dl_error err = { 0 };
	dl_sandbox_opts_init(&o);
	o.uid = o.gid = 65534;
	o.body = body_hang;
	assert_int_equal(dl_disk_open(&d, img_path, DL_FMT_RAW, &err), 0);
	dl_diskset_add(&set, d);
	struct rec r;
	struct dl_sink sink = rec_sink(&r);
	r.fail_at_data = 1;
	assert_int_equal(dl_sandbox_run(&o, &req, &set, &sink, &err), -ENOSPC);
	assert_int_equal(err.code, DL_EOUTPUT);
	assert_string_equal(err.msg, "kernel: cannot write the output");
	assert_int_equal(only_child(), 0);
	dl_diskset_free(&set);
}

/* qcow2 backing files have fds of their own: fd_slots names them, the child
 * keeps (and renumbers) exactly those, and closes the rest. */
static int backing_fd = -1;
static size_t slots_with_backing(struct dl_disk *d, int **slots, size_t max)
{
	if (max < 2)
		return 2;
	slots[0] = &d->fd;
	slots[1] = &backing_fd;
	return 2;
}

static int body_backing(const struct dl_request *req, struct dl_disk_set *set,
			const struct dl_sink *s, struct dl_error *err)
{
	(void)req, (void)s;
	uint8_t b[4] = { 0 };
	int open_fds = 0;
	for (int fd = 0; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			open_fds++;
	ssize_t n = pread(backing_fd, b, 4, 0);
	return dl_fail(err, DL_EIO, "fds %d disk %d backing %d read %zd %.4s", open_fds,
		       set->disks[0]->fd, backing_fd, n, (char *)b);
}

static void test_fd_slots(void **state)
{
	(void)state;
	char path[] = "/tmp/dl-sandbox-backing.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "BACK", 4), 4);
	close(fd);
	backing_fd = open(path, O_RDONLY | O_CLOEXEC);
	int stray = open(path, O_RDONLY | O_CLOEXEC);   /* not a slot: must not reach the child */
	unlink(path);
	struct dl_sandbox_opts o;
	struct dl_disk_set set = { 0 };
	struct dl_disk *d;
	struct dl_request req = { .max_kernel = 1 << 20, .max_ramdisk = 1 << 20 };
	struct dl_error err = { 0 };
	dl_sandbox_opts_init(&o);
	o.uid = o.gid = 65534;
	o.body = body_backing;
	o.fd_slots = slots_with_backing;
	assert_int_equal(dl_disk_open(&d, img_path, DL_FMT_RAW, &err), 0);
	dl_diskset_add(&set, d);
	struct rec r;
	struct dl_sink sink = rec_sink(&r);
	assert_int_equal(dl_sandbox_run(&o, &req, &set, &sink, &err), -EIO);
	assert_string_equal(err.msg, "fds 6 disk 4 backing 5 read 4 BACK");
	dl_diskset_free(&set);
	close(backing_fd);
	close(stray);
}

static void test_refuse_root(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	struct dl_sandbox_opts o;
	struct dl_error err = { 0 };
	dl_sandbox_opts_init(&o);
	assert_int_equal(dl_sandbox_pick_user(&o, 0, &err), -EINVAL);
	assert_int_equal(err.code, DL_EUSAGE);
	assert_string_equal(err.msg, "--runas=0: refusing to parse guest data as root");
	dl_error_clear(&err);
	o.uid = 0;
	o.gid = 0;
	o.body = body_ok;
	struct dl_disk_set set = { 0 };
	struct dl_request req = { 0 };
	struct rec r;
	struct dl_sink sink = rec_sink(&r);
	assert_int_equal(dl_sandbox_run(&o, &req, &set, &sink, &err), -EINVAL);
	assert_int_equal(err.code, DL_EUSAGE);
	assert_string_equal(err.msg, "sandbox: refusing to run the parser as root");

	/* A uid without a passwd entry: gid = uid. */
	dl_error_clear(&err);
	assert_int_equal(dl_sandbox_pick_user(&o, 4000123, &err), 0);
	assert_int_equal(o.uid, 4000123);
	assert_int_equal(o.gid, 4000123);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frames_valid_sequence),
		cmocka_unit_test(test_frames_bad_lengths),
		cmocka_unit_test(test_frames_window),
		cmocka_unit_test(test_frames_wrong_order),
		cmocka_unit_test(test_frames_args),
		cmocka_unit_test(test_frames_copy_range),
		cmocka_unit_test(test_frames_caps),
		cmocka_unit_test(test_frames_log_sanitized),
		cmocka_unit_test(test_frames_log_flood),
		cmocka_unit_test(test_frames_child_error),
		cmocka_unit_test(test_frames_truncated),
		cmocka_unit_test(test_run_ok),
		cmocka_unit_test(test_run_window),
		cmocka_unit_test(test_run_calls),
		cmocka_unit_test(test_run_stray_answer),
		cmocka_unit_test(test_run_child_error),
		cmocka_unit_test(test_run_confined),
		cmocka_unit_test(test_attacks),
		cmocka_unit_test(test_cpu_limit),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_killed),
		cmocka_unit_test(test_memory_limit),
		cmocka_unit_test(test_sink_failure),
		cmocka_unit_test(test_fd_slots),
		cmocka_unit_test(test_refuse_root),
	};
	return cmocka_run_group_tests_name("sandbox", tests, setup_image, teardown_image);
}
