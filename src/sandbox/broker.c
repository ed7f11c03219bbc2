/* The privileged side of the privsep pipe (OpenSSH monitor.c style): a
 * dispatch table maps each frame type to the states that allow it, its
 * exact length range and a handler; the broker trusts nothing the child
 * says.  It counts payload bytes it actually receives against the caps,
 * checks copy ranges against the disk sizes it measured itself, decodes
 * the result with dl_record_unpack (lengths, caps, no NUL, the command
 * line's rules: XSA-198), and forwards to the parent's sink, which names
 * and writes every output file.  run.c feeds it the child's frames. */
#include "sandbox/sandbox.h"
#include "sandbox/proto.h"
#include "part/part.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#define S(x) (1u << (x))
#define LIVE (S(DL_BS_START) | S(DL_BS_FILE) | S(DL_BS_FILES) | S(DL_BS_RESULT))

static int protocol(struct dl_broker *b, const char *what)
{
	return dl_fail(b->err, DL_ESANDBOX, "parser child: protocol violation: %s", what);
}

static int over_cap(struct dl_broker *b, uint64_t add)
{
	uint64_t total;
	uint64_t cap = b->cap[b->kind == DL_PAYLOAD_MODULE ? DL_PAYLOAD_RAMDISK : b->kind];
	if (ckd_add(&total, b->bytes, add) || total > cap) {
		if (cap % (1024 * 1024) == 0)
			return dl_fail(b->err, DL_ELIMIT, "%s is larger than the %llu MiB limit",
				       dl_payload_kind_name[b->kind], (unsigned long long)(cap >> 20));
		return dl_fail(b->err, DL_ELIMIT, "%s is larger than the %llu byte limit",
			       dl_payload_kind_name[b->kind], (unsigned long long)cap);
	}
	b->bytes = total;
	return 0;
}

static int sink_failed(struct dl_broker *b, const char *what)
{
	return dl_fail(b->err, DL_EOUTPUT, "%s: cannot write the output", what);
}

static int on_log(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	struct dl_msg_log m;
	char text[DL_MSG_LOG_TEXT_MAX + 1];
	memcpy(&m, p, sizeof(m));
	if (m.level < DL_LOG_WARN || m.level > DL_LOG_DEBUG)
		return protocol(b, "bad log level");
	if (b->logs++ >= DL_LOG_FRAMES_MAX) {
		if (b->logs == DL_LOG_FRAMES_MAX + 1)
			dl_warn("parser child: further messages suppressed");
		return 0;
	}
	size_t n = len - sizeof(m);
	memcpy(text, p + sizeof(m), n);
	text[dl_sanitize_text(text, n)] = '\0';
	dl_log((int)m.level, "%s", text);
	return 0;
}

static int on_listing(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	if (b->listing + len > DL_LISTING_TOTAL_MAX)
		return dl_fail(b->err, DL_ELIMIT, "listing: longer than %u MiB",
			       DL_LISTING_TOTAL_MAX >> 20);
	b->listing += len;
	if (b->sink->listing && b->sink->listing(b->sink->ctx, (const char *)p, len) < 0)
		return sink_failed(b, "listing");
	return 0;
}

static int on_begin(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	struct dl_msg_begin m;
	(void)len;
	memcpy(&m, p, sizeof(m));
	if (m.kind != DL_PAYLOAD_KERNEL && m.kind != DL_PAYLOAD_RAMDISK && m.kind != DL_PAYLOAD_MODULE)
		return protocol(b, "unknown payload kind");
	if (m.kind == DL_PAYLOAD_MODULE ? b->modules++ >= DL_PAYLOAD_MODULES_MAX : b->begun[m.kind])
		return protocol(b, "second payload of the same kind");
	if (m.kind != DL_PAYLOAD_MODULE)
		b->begun[m.kind] = true;
	b->kind = (int)m.kind;
	b->bytes = 0;
	b->copies = 0;
	b->state = DL_BS_FILE;
	if (b->sink->begin(b->sink->ctx, (enum dl_payload_kind)m.kind) < 0)
		return sink_failed(b, dl_payload_kind_name[b->kind]);
	return 0;
}

static int on_data(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	int r = over_cap(b, len);
	if (r < 0)
		return r;
	if (b->sink->data(b->sink->ctx, p, len) < 0)
		return sink_failed(b, dl_payload_kind_name[b->kind]);
	return 0;
}

/* The bytes of the window's next slot (proto.h, "window.c"). */
static int on_wdata(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	struct dl_msg_wdata m;
	(void)len;
	memcpy(&m, p, sizeof(m));
	if (!b->win)
		return protocol(b, "window data without a window");
	if (m.len == 0 || m.len > DL_WINDOW_SLOT)
		return protocol(b, "window data of a bad length");
	int r = on_data(b, dl_window_next(b->win, m.len), m.len);
	if (r == 0)
		dl_window_release(b->win);
	return r;
}

static int on_copy(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	struct dl_msg_copy m;
	uint64_t end;
	(void)len;
	memcpy(&m, p, sizeof(m));
	if (m.pad != 0 || m.len == 0)
		return protocol(b, "malformed copy range");
	if (m.disk >= b->set->ndisks)
		return protocol(b, "copy range on an unknown disk");
	const struct dl_disk *d = b->set->disks[m.disk];
	if (d->format != DL_FMT_RAW && d->format != DL_FMT_QCOW2)
		return protocol(b, "copy range on a disk of unknown format");
	/* a range of the image file (qcow2: its plain data clusters) */
	if (ckd_add(&end, m.off, m.len) || end > d->file_size)
		return protocol(b, "copy range beyond the end of the disk");
	if (++b->copies > DL_COPY_FRAMES_MAX)
		return dl_fail(b->err, DL_ELIMIT, "%s: more than %u extents", dl_payload_kind_name[b->kind],
			       DL_COPY_FRAMES_MAX);
	int r = over_cap(b, m.len);
	if (r < 0)
		return r;
	if (b->sink->copy(b->sink->ctx, (int)m.disk, m.off, m.len) < 0)
		return sink_failed(b, dl_payload_kind_name[b->kind]);
	return 0;
}

static int on_end(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	(void)p;
	(void)len;
	b->state = DL_BS_FILES;
	if (b->sink->end(b->sink->ctx) < 0)
		return sink_failed(b, dl_payload_kind_name[b->kind]);
	return 0;
}

static int on_result(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	struct dl_result r;
	int rc = dl_record_unpack(&dl_result_type, p, len, &r, b->err);
	if (rc == 0 && r.nmodules != r.nmodule_args) {
		dl_record_clear(&dl_result_type, &r);
		return protocol(b, "module paths and command lines differ in number");
	}
	if (rc < 0)
		return rc;
	b->state = DL_BS_RESULT;
	if (b->sink->result && b->sink->result(b->sink->ctx, &r) < 0)
		rc = sink_failed(b, "result");
	dl_record_clear(&dl_result_type, &r);
	return rc;
}

static int on_done(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	(void)p;
	(void)len;
	b->state = DL_BS_CLOSED;
	b->done = true;
	return 0;
}

static int on_error(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	struct dl_msg_error m;
	char text[DL_MSG_ERROR_TEXT_MAX + 1];
	memcpy(&m, p, sizeof(m));
	size_t n = len - sizeof(m);
	memcpy(text, p + sizeof(m), n);
	text[dl_sanitize_text(text, n)] = '\0';
	int code = m.code;
	if (code <= DL_OK || code > DL_EBADIMAGE)
		code = DL_ESANDBOX;
	b->state = DL_BS_CLOSED;
	b->child_failed = true;
	dl_fail(b->err, code, "%s", text);
	return 0;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A question of the child: the parent's sink answers it (it may ask back
 * through b->back), and the answer or its error goes back as REPLY.  The
 * call's own failure is the child's to judge; only a failed reply ends
 * the run. */
static int on_call(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	struct dl_msg_call m;
	memcpy(&m, p, sizeof(m));
	if (!b->reply)
		return protocol(b, "a call where none can be answered");
	struct dl_reply rep = { .fd = -1 };
	struct dl_error cerr = { 0 };
	uint64_t t0 = mono_ms();
	int r = m.op == 0 || m.op >= DL_CALL_MAX_ || !b->sink->call
			? dl_fail(&cerr, DL_EUNSUPPORTED, "request %u: not available", m.op)
			: b->sink->call(b->sink->ctx, m.op, p + sizeof(m), len - sizeof(m), b->back, &rep,
					&cerr);
	b->call_ms += mono_ms() - t0;
	if (b->err->code)   /* asking back broke the protocol */
		r = -dl_code_errno(b->err->code);
	else if (r == 0 && rep.len > DL_CALL_MAX)
		r = dl_fail(&cerr, DL_ELIMIT, "request %u: answer larger than %u bytes", m.op, DL_CALL_MAX);
	int sent;
	if (b->err->code)
		sent = r;
	else if (r < 0 && !cerr.code)
		sent = b->reply(b->reply_ctx, r, "failed", 6, -1);
	else if (r < 0)
		sent = b->reply(b->reply_ctx, r, cerr.msg, strnlen(cerr.msg, sizeof(cerr.msg)), -1);
	else
		sent = b->reply(b->reply_ctx, 0, rep.buf, rep.len, rep.fd);
	dl_reply_free(&rep);
	if (sent < 0 && !b->err->code)
		return dl_fail(b->err, DL_ESANDBOX, "sandbox: cannot reply to the parser child: %s",
			       strerror(-sent));
	return sent < 0 ? sent : 0;
}

static int on_answer(struct dl_broker *b, const uint8_t *p, uint32_t len)
{
	(void)p, (void)len;   /* run.c takes ANSWER frames itself */
	return protocol(b, "unexpected ANSWER frame");
}

static const struct dl_msg_rule {
	const char *name;
	uint32_t min, max;
	unsigned states;
	int (*fn)(struct dl_broker *b, const uint8_t *p, uint32_t len);
} rules[DL_MSG_MAX_] = {
	[DL_MSG_LOG] = { "LOG", sizeof(struct dl_msg_log) + 1,
		sizeof(struct dl_msg_log) + DL_MSG_LOG_TEXT_MAX, LIVE, on_log },
	[DL_MSG_LISTING] = { "LISTING", 1, DL_MSG_LISTING_MAX, S(DL_BS_START), on_listing },
	[DL_MSG_BEGIN] = { "BEGIN", sizeof(struct dl_msg_begin), sizeof(struct dl_msg_begin),
		S(DL_BS_START) | S(DL_BS_FILES), on_begin },
	[DL_MSG_DATA] = { "DATA", 1, DL_MSG_DATA_MAX, S(DL_BS_FILE), on_data },
	[DL_MSG_WDATA] = { "WDATA", sizeof(struct dl_msg_wdata), sizeof(struct dl_msg_wdata),
		S(DL_BS_FILE), on_wdata },
	[DL_MSG_COPY] = { "COPY", sizeof(struct dl_msg_copy), sizeof(struct dl_msg_copy),
		S(DL_BS_FILE), on_copy },
	[DL_MSG_END] = { "END", 0, 0, S(DL_BS_FILE), on_end },
	[DL_MSG_RESULT] = { "RESULT", DL_MSG_RESULT_MIN, DL_MSG_RESULT_MAX,
		S(DL_BS_START) | S(DL_BS_FILES), on_result },
	[DL_MSG_DONE] = { "DONE", 0, 0, S(DL_BS_START) | S(DL_BS_FILES) | S(DL_BS_RESULT), on_done },
	[DL_MSG_ERROR] = { "ERROR", sizeof(struct dl_msg_error) + 1,
		sizeof(struct dl_msg_error) + DL_MSG_ERROR_TEXT_MAX, LIVE, on_error },
	[DL_MSG_CALL] = { "CALL", sizeof(struct dl_msg_call), sizeof(struct dl_msg_call) + DL_CALL_MAX,
		S(DL_BS_START) | S(DL_BS_FILE) | S(DL_BS_FILES), on_call },
	[DL_MSG_ANSWER] = { "ANSWER", sizeof(struct dl_msg_call),
		sizeof(struct dl_msg_call) + DL_CALL_MAX, LIVE, on_answer },
};

void dl_broker_init(struct dl_broker *b, const struct dl_sink *sink, struct dl_disk_set *set,
		    uint64_t kcap, uint64_t rcap, struct dl_error *err)
{
	memset(b, 0, sizeof(*b));
	b->sink = sink;
	b->set = set;
	b->cap[DL_PAYLOAD_KERNEL] = kcap;
	b->cap[DL_PAYLOAD_RAMDISK] = rcap;
	b->err = err;
	b->state = DL_BS_START;
	b->kind = -1;
}

int dl_broker_check(void *ctx, const struct dl_msg_hdr *h, struct dl_error *err)
{
	struct dl_broker *b = ctx;
	if (h->type == 0 || h->type >= DL_MSG_MAX_ || !rules[h->type].fn)
		return dl_fail(err, DL_ESANDBOX, "parser child: protocol violation: unknown frame type %u",
			       h->type);
	const struct dl_msg_rule *r = &rules[h->type];
	if (b->asking && h->type != DL_MSG_ANSWER && h->type != DL_MSG_LOG)
		return dl_fail(err, DL_ESANDBOX, "parser child: protocol violation: %s frame while asked",
			       r->name);
	if (!(r->states & S(b->state)) || (h->type == DL_MSG_ANSWER && !b->asking))
		return dl_fail(err, DL_ESANDBOX, "parser child: protocol violation: unexpected %s frame",
			       r->name);
	if (h->len < r->min || h->len > r->max)
		return dl_fail(err, DL_ESANDBOX,
			       "parser child: protocol violation: %s frame of %u bytes (allowed %u to %u)",
			       r->name, h->len, r->min, r->max);
	return 0;
}

int dl_broker_dispatch(struct dl_broker *b, const struct dl_msg_hdr *h, const uint8_t *p)
{
	/* The framer checked already; check again so that the dispatcher is
	 * safe on its own. */
	int r = dl_broker_check(b, h, b->err);
	return r < 0 ? r : rules[h->type].fn(b, p, h->len);
}
