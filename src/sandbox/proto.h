/* The privsep protocol between the parser child and the privileged broker.
 *
 * One header owns it (dhcpleased.h / monitor.h style): every message the
 * child may send is one enum value, a fixed-size struct where it has one,
 * and a [min, max] payload length the broker checks before it reads the
 * payload.  A frame is {u32 type; u32 len} in host byte order (both ends
 * are the same binary) followed by exactly len payload bytes.
 *
 * Order the broker accepts from the child:
 *
 *   LOG and CALL may appear anywhere before the last frame (CALL not
 *   after RESULT);
 *   LISTING* (BEGIN (DATA|WDATA|COPY)* END)* RESULT? (DONE | ERROR)
 *
 * with at most one BEGIN per payload kind (modules: DL_PAYLOAD_MODULES_MAX)
 * and one RESULT.  The parent
 * speaks only to answer a CALL: while it works on one it may send ASK
 * frames, each answered by exactly one ANSWER (the only time ANSWER is
 * accepted; LOG may come in between), and it ends the call with one REPLY,
 * which may carry one descriptor (SCM_RIGHTS).  The frame channel is a
 * stream socket, so both directions share it. */
#ifndef DL_SANDBOX_PROTO_H
#define DL_SANDBOX_PROTO_H

#include <stdint.h>

#include "result.h"

enum dl_msg {
	DL_MSG_LOG = 1,      /* u32 level + text: a dl_log() line of the child */
	DL_MSG_LISTING = 2,  /* text for stdout (-l, --list-volumes) */
	DL_MSG_BEGIN = 3,    /* struct dl_msg_begin: start a payload file */
	DL_MSG_DATA = 4,     /* payload bytes */
	DL_MSG_COPY = 5,     /* struct dl_msg_copy: bytes stored verbatim on a disk */
	DL_MSG_END = 6,      /* empty: the payload file is complete */
	DL_MSG_RESULT = 7,   /* the result record (src/result.h) */
	DL_MSG_DONE = 8,     /* empty: dl_flow_run() returned 0 */
	DL_MSG_ERROR = 9,    /* struct dl_msg_error + message: dl_flow_run() failed */
	DL_MSG_CALL = 10,    /* u32 op + request: a question for the parent */
	DL_MSG_ANSWER = 11,  /* i32 status + answer (status < 0: a message): to an ASK */
	DL_MSG_WDATA = 12,   /* struct dl_msg_wdata: payload bytes in the next window slot */
	DL_MSG_MAX_ = 13,
	/* parent to child, inside a call */
	DL_MSG_ASK = 13,     /* a question of the parent, while it answers a CALL */
	DL_MSG_REPLY = 14,   /* i32 status + reply (status < 0: a message); maybe an fd */
};

struct dl_msg_hdr {
	uint32_t type;
	uint32_t len;        /* payload bytes after the header */
};

/* The largest payload of any frame; the broker's receive buffer. */
#define DL_FRAME_MAX (256u * 1024)
/* Per-type caps.  LOG is capped at 1 KiB of text (control bytes stripped on
 * the broker side); listings and data are split by the child. */
#define DL_MSG_LOG_TEXT_MAX 1024u
#define DL_MSG_LISTING_MAX (64u * 1024)
#define DL_MSG_DATA_MAX DL_FRAME_MAX
#define DL_MSG_ERROR_TEXT_MAX 1023u
/* Total listing text the broker forwards (a hostile child could otherwise
 * fill stdout forever until the timeout). */
#define DL_LISTING_TOTAL_MAX (16u * 1024 * 1024)
/* LOG frames forwarded per run; later ones are dropped. */
#define DL_LOG_FRAMES_MAX 256u
/* COPY frames per payload file (extents; a 512 MiB file in 4 KiB blocks
 * scattered one by one has 131072). */
#define DL_COPY_FRAMES_MAX (1u << 20)

struct dl_msg_log {
	uint32_t level;      /* DL_LOG_WARN..DL_LOG_DEBUG */
	/* followed by 1..DL_MSG_LOG_TEXT_MAX bytes of text, no NUL */
};

struct dl_msg_begin {
	uint32_t kind;       /* enum dl_payload_kind */
};

struct dl_msg_copy {
	uint32_t disk;       /* index in the disk set */
	uint32_t pad;        /* 0 */
	uint64_t off;        /* byte offset on the disk */
	uint64_t len;        /* > 0 */
};

struct dl_msg_wdata {
	uint32_t len;        /* 1..DL_WINDOW_SLOT bytes at the start of the slot */
};

/* RESULT carries the result record in the encoding src/result.h
 * describes (dl_record_pack / dl_record_unpack). */
#define DL_MSG_RESULT_MIN DL_RESULT_WIRE_MIN
#define DL_MSG_RESULT_MAX DL_RESULT_WIRE_MAX
_Static_assert(DL_MSG_RESULT_MAX <= DL_FRAME_MAX, "a result fits in one frame");

/* CALL, ANSWER, ASK and REPLY: a 4-byte head, then at most DL_CALL_MAX bytes. */
struct dl_msg_call {
	uint32_t op;                  /* enum dl_call_op (CALL), or an int32 status */
};
_Static_assert(sizeof(struct dl_msg_call) + DL_CALL_MAX <= DL_FRAME_MAX, "a call fits a frame");

struct dl_msg_error {
	int32_t code;                 /* enum dl_code, not DL_OK */
	/* followed by 1..DL_MSG_ERROR_TEXT_MAX bytes of message, no NUL */
};

/* ---- frame.c: whole-frame I/O ---- */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct dl_error;

/* Child side: write one frame (header, then a then b) completely; 0, or a
 * negative errno value.  Either part may be empty. */
int dl_frame_write(int fd, uint32_t type, const void *a, size_t alen,
		   const void *b, size_t blen);

/* Receiver: reassembles frames from a byte stream.  check() sees each header
 * as soon as it is complete, before any payload byte is read or stored, and
 * rejects it by returning a negative errno value with err set. */
typedef int (*dl_frame_check_fn)(void *ctx, const struct dl_msg_hdr *h, struct dl_error *err);

struct dl_framer {
	uint8_t hdr[sizeof(struct dl_msg_hdr)];
	size_t hdr_have;
	struct dl_msg_hdr h;      /* valid once hdr_have == sizeof(hdr) */
	uint8_t *buf;             /* DL_FRAME_MAX bytes */
	size_t have;
	dl_frame_check_fn check;
	void *ctx;
};

void dl_framer_init(struct dl_framer *f, dl_frame_check_fn check, void *ctx);
void dl_framer_free(struct dl_framer *f);
/* Consume bytes from p (n of them) up to the end of one frame.  Returns the
 * number consumed; *ready is set when f->h / f->buf hold a complete frame
 * (call dl_framer_next() after handling it).  A negative errno value with
 * err set when a header is rejected. */
ssize_t dl_framer_feed(struct dl_framer *f, const uint8_t *p, size_t n, bool *ready,
		       struct dl_error *err);
/* What dl_framer_read() found. */
enum dl_frame_status {
	DL_FRAME_MORE = 0,       /* no complete frame and the pipe is empty (EAGAIN) */
	DL_FRAME_READY = 1,      /* f->h and f->buf hold a complete frame */
	DL_FRAME_EOF = 2,        /* end of the stream on a frame boundary */
	DL_FRAME_TRUNCATED = 3,  /* end of the stream inside a frame; err untouched (the
				  * child's death is the better explanation) */
};
/* Read what is available from a non-blocking fd, up to one frame.  Returns
 * an enum dl_frame_status, or a negative errno value with err set (read
 * error, rejected header). */
int dl_framer_read(struct dl_framer *f, int fd, struct dl_error *err);
void dl_framer_next(struct dl_framer *f);

/* ---- window.c: the shared data window ----
 *
 * Payload bytes the child produces (decompressed data) reach the parent
 * through memory both map, not through the socket, which copied every byte
 * twice more (into the socket, out of it).  The parent maps it
 * (MAP_SHARED | MAP_ANONYMOUS: no file the child could truncate under the
 * parent's reads) before the fork.  The child fills the slots in ring
 * order and announces each with a WDATA frame; the broker writes the slot's
 * bytes to the output and releases it (a counter in the window, and a futex
 * wake): the child waits for a released slot, the parent never waits on the
 * child.  The parent reads nothing from the window but payload bytes, and
 * only lengths from frames: what the child writes there, or changes while
 * the parent writes it out, is payload, which it controls anyway. */

#define DL_WINDOW_SLOTS 2u
#define DL_WINDOW_SLOT (1024u * 1024)

/* Each side's view: the fork copies it, so each keeps its own position;
 * the mapping (the release counter, then the slots) is what is shared. */
struct dl_window {
	uint8_t *map;
	uint32_t seq;             /* slots filled (child) or released (broker) so far */
	uint32_t populated[DL_WINDOW_SLOTS];  /* bytes of each slot this side has mapped */
};
/* A new window (before the fork, so both processes map it), or NULL with
 * errno set. */
struct dl_window *dl_window_new(void);
void dl_window_free(struct dl_window *w);
/* Child: the next slot to fill (DL_WINDOW_SLOT bytes, len of which it
 * means to use), once the broker has released it; the same slot until
 * dl_window_filled(). */
uint8_t *dl_window_slot(struct dl_window *w, size_t len);
void dl_window_filled(struct dl_window *w);
/* Broker: the bytes of the next slot the child announced (len of them);
 * release it when they are written out. */
const uint8_t *dl_window_next(struct dl_window *w, size_t len);
void dl_window_release(struct dl_window *w);

/* ---- broker.c: the receiving state machine ---- */

struct dl_sink;
struct dl_disk_set;

enum dl_broker_state {
	DL_BS_START,   /* LOG, LISTING, BEGIN, RESULT, DONE, ERROR */
	DL_BS_FILE,    /* inside BEGIN..END: LOG, DATA, COPY, END, ERROR */
	DL_BS_FILES,   /* after an END: LOG, BEGIN, RESULT, DONE, ERROR */
	DL_BS_RESULT,  /* after RESULT: LOG, DONE, ERROR */
	DL_BS_CLOSED,  /* after DONE or ERROR: nothing */
};

struct dl_broker {
	const struct dl_sink *sink;
	struct dl_disk_set *set;  /* disk sizes for COPY checks */
	struct dl_window *win;    /* WDATA's bytes; NULL: WDATA is refused */
	uint64_t cap[2];          /* kernel, ramdisk (bytes) */
	struct dl_error *err;
	enum dl_broker_state state;
	int kind;                 /* payload being received */
	bool begun[2];
	unsigned modules;         /* module payloads begun */
	uint64_t bytes;           /* bytes of the current payload */
	uint64_t listing;         /* listing bytes forwarded */
	unsigned logs;            /* LOG frames received */
	unsigned copies;          /* COPY frames of the current payload */
	bool done;                /* DONE received */
	bool child_failed;        /* ERROR received (err holds its message) */
	/* Calls: how to ask the child while one is answered, and how to reply
	 * (both set by run.c); time spent in calls, which the timeout does not
	 * count (a person at the menu). */
	const struct dl_asker *back;
	int (*reply)(void *ctx, int32_t status, const void *p, size_t len, int fd);
	void *reply_ctx;
	bool asking;              /* an ASK is out: one ANSWER may come */
	uint64_t call_ms;
};

void dl_broker_init(struct dl_broker *b, const struct dl_sink *sink, struct dl_disk_set *set,
		    uint64_t kcap, uint64_t rcap, struct dl_error *err);
/* The framer check: type known, allowed in this state, length in range. */
int dl_broker_check(void *b, const struct dl_msg_hdr *h, struct dl_error *err);
/* Act on a complete, checked frame: validate the payload and forward it to
 * the sink.  A negative errno value with b->err set on any violation or
 * sink failure. */
int dl_broker_dispatch(struct dl_broker *b, const struct dl_msg_hdr *h, const uint8_t *p);

/* ---- child.c ---- */

struct dl_sandbox_opts;
struct dl_request;
/* In the forked child: confine, run o->body with a frame-writing sink on
 * frame_fd, report DONE/ERROR, _exit.  Never returns. */
__attribute__((noreturn))
void dl_sandbox_child(const struct dl_sandbox_opts *o, const struct dl_request *req,
		      struct dl_disk_set *set, struct dl_window *win, int frame_fd, int log_fd);
#endif
