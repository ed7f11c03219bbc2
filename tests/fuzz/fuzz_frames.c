/* The broker's frame decoder and state machine on arbitrary bytes from a
 * hostile child.  A recording sink checks what reaches the parent: payload
 * calls only inside begin/end, each payload within its cap (modules: the
 * ramdisk's, at most DL_PAYLOAD_MODULES_MAX of them), copy ranges
 * inside the disk, a result at most once with a clean command line. */
#include <stdio.h>
#include <string.h>

#include "part/part.h"
#include "flow.h"
#include "sandbox/proto.h"

#define KCAP 4096u
#define RCAP 65536u

static uint8_t disk_bytes[1 << 16];

struct check {
	int in_file;       /* -1, or the kind being written */
	bool begun[2];
	unsigned modules;  /* module files begun */
	uint64_t bytes;    /* of the file being written */
	int results;
};

static void die(const char *what)
{
	fprintf(stderr, "fuzz_frames: invariant broken: %s\n", what);
	abort();
}

static int c_listing(void *ctx, const char *t, size_t n)
{
	struct check *c = ctx;
	if (c->in_file >= 0 || n == 0 || !t)
		die("listing");
	return 0;
}

static int c_begin(void *ctx, enum dl_payload_kind k)
{
	struct check *c = ctx;
	if (c->in_file >= 0 || (k != DL_PAYLOAD_KERNEL && k != DL_PAYLOAD_RAMDISK &&
				k != DL_PAYLOAD_MODULE))
		die("begin");
	if (k == DL_PAYLOAD_MODULE ? ++c->modules > DL_PAYLOAD_MODULES_MAX : c->begun[k])
		die("begin: one kernel, one ramdisk, at most DL_PAYLOAD_MODULES_MAX modules");
	if (k != DL_PAYLOAD_MODULE)
		c->begun[k] = true;
	c->in_file = (int)k;
	c->bytes = 0;
	return 0;
}

/* WDATA's window: one for the whole run (its contents are payload; only
 * its position carries over from input to input). */
static struct dl_window *win;

static int c_data(void *ctx, const void *p, size_t n)
{
	struct check *c = ctx;
	if (c->in_file < 0 || n == 0 || !p)
		die("data outside a file");
	/* Window bytes lie inside one slot (ASan does not watch the mapping). */
	const uint8_t *slots = win->map + 4096, *q = p;
	if (q >= win->map && q < slots + (size_t)DL_WINDOW_SLOTS * DL_WINDOW_SLOT &&
	    (q < slots || (size_t)(q - slots) % DL_WINDOW_SLOT + n > DL_WINDOW_SLOT))
		die("window bytes outside a slot");
	c->bytes += n;
	if (c->bytes > (c->in_file ? RCAP : KCAP))
		die("cap");
	return 0;
}

static int c_copy(void *ctx, int disk, uint64_t off, uint64_t len)
{
	struct check *c = ctx;
	if (c->in_file < 0 || disk != 0 || len == 0 || off > sizeof(disk_bytes) ||
	    len > sizeof(disk_bytes) - off)
		die("copy range");
	c->bytes += len;
	if (c->bytes > (c->in_file ? RCAP : KCAP))
		die("cap");
	return 0;
}

static int c_end(void *ctx)
{
	struct check *c = ctx;
	if (c->in_file < 0)
		die("end");
	c->in_file = -1;
	return 0;
}

static int c_result(void *ctx, const struct dl_result *r)
{
	struct check *c = ctx;
	if (c->in_file >= 0 || c->results++)
		die("result");
	if (r->args && (strlen(r->args) > DL_RESULT_ARGS_MAX || strpbrk(r->args, "\n\r")))
		die("args");
	if (r->nmodules != r->nmodule_args || r->nmodules > DL_PAYLOAD_MODULES_MAX)
		die("modules");
	for (size_t i = 0; i < r->nmodule_args; i++)
		if (strpbrk(r->module_args[i], "\n\r"))
			die("module args");
	return 0;
}

static void quiet(void *ctx, int level, const char *msg)
{
	(void)ctx, (void)level;
	for (const char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20)
			die("control byte in a log line");
}

/* Calls reach the sink with a known op and a bounded request; the reply
 * goes nowhere but must be bounded too. */
static int c_call(void *ctx, uint32_t op, const void *req, size_t len, const struct dl_asker *back,
		  struct dl_reply *rep, struct dl_error *err)
{
	(void)ctx, (void)back;
	if (op == 0 || op >= DL_CALL_MAX_ || len > DL_CALL_MAX || (len && !req))
		die("call");
	*rep = (struct dl_reply){ .fd = -1 };
	if (len & 1)
		return dl_fail(err, DL_ENOTFOUND, "odd request");
	rep->buf = dl_malloc(len + 1);
	memcpy(rep->buf, req, len);
	rep->len = len;
	return 0;
}

static int c_reply(void *ctx, int32_t status, const void *p, size_t len, int fd)
{
	(void)ctx, (void)p;
	if (len > DL_CALL_MAX || fd >= 0 || (status < 0 && !len))
		die("reply");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct check c = { .in_file = -1 };
	struct dl_sink sink = { .ctx = &c, .listing = c_listing, .begin = c_begin, .data = c_data,
				.copy = c_copy, .end = c_end, .result = c_result, .call = c_call };
	struct dl_disk_set set = { 0 };
	struct dl_error err = { 0 };
	struct dl_broker b;
	struct dl_framer f;
	dl_log_set(quiet, NULL, DL_LOG_DEBUG);
	dl_diskset_add(&set, dl_disk_from_mem(disk_bytes, sizeof(disk_bytes), "disk"));
	dl_broker_init(&b, &sink, &set, KCAP, RCAP, &err);
	b.reply = c_reply;
	if (!win && !(win = dl_window_new()))
		die("window");
	b.win = win;
	dl_framer_init(&f, dl_broker_check, &b);
	/* The first byte picks the chunking, as pipe reads would split. */
	size_t step = size ? (size_t)data[0] % 64 + 1 : 1;
	size_t i = size ? 1 : 0;
	while (i < size) {
		bool ready;
		ssize_t k = dl_framer_feed(&f, data + i, DL_MIN(step, size - i), &ready, &err);
		if (k < 0)
			break;
		i += (size_t)k;
		if (ready) {
			if (dl_broker_dispatch(&b, &f.h, f.buf) < 0)
				break;
			dl_framer_next(&f);
		}
	}
	if (err.code && !err.msg[0])
		die("error without a message");
	/* DONE closes the stream: anything after it is a violation. */
	if (b.done && b.state != DL_BS_CLOSED)
		die("done but still open");
	dl_framer_free(&f);
	dl_diskset_free(&set);
	dl_log_set(NULL, NULL, DL_LOG_WARN);
	return 0;
}
