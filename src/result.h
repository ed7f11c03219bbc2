/* What crosses the privilege boundary: the sink and the result record.
 *
 * The parsing side (dl_flow_run, in the sandboxed child or, with
 * --no-sandbox, in the process itself) never creates a file: it emits the
 * payload bytes and one result through a struct dl_sink.  The sink on the
 * other side (src/output/payload.c) writes the files and keeps the result;
 * src/sandbox carries the sink calls over a pipe as framed messages.
 *
 * The result record is described once, in DL_RESULT_FIELDS below.  The
 * struct, its wire encoding (dl_record_pack in the child, dl_record_unpack
 * with the broker's checks), the owned copy the payload side keeps
 * (dl_record_copy, dl_record_clear) and the JSON members (dl_record_json)
 * are all derived from that list.
 *
 * To add a field, add one line to DL_RESULT_FIELDS, at the place its JSON
 * member should appear, set it where the result is made (src/flow.c), and
 * read it where it is used (r->name).  Nothing else changes; the unit test
 * tests/unit/test_result.c sends every field of the list through the
 * broker, the payload side and the JSON output.
 *   a string  STR(name, "json key", cap, flags, "what it is")
 *             const char *name; NULL for none.  cap: the longest value in
 *             bytes (the child fails with DL_ELIMIT beyond it, the broker
 *             sees a protocol violation).
 *   an int    INT(name, "json key", min, max, "what it is")
 *             int name; the broker refuses values outside [min, max];
 *             negative values mean "none" and are null in JSON.
 *   a bool    BOOL(name, "json key", "what it is")
 *             bool name.
 *   a list    LIST(name, "json key", cap, max items, flags, "what it is")
 *             const char *const *name; size_t n<name>; every item a
 *             string (not NULL) of at most cap bytes, at most max items;
 *             a JSON array.  A list of records (modules: guest path, args)
 *             is one LIST per column; a check across fields (same number of
 *             items) goes in dl_record_unpack.
 * A json key of NULL keeps the field out of the JSON output.  flags:
 * DL_RF_CMDLINE applies the broker's command-line rules (XSA-198: no
 * newline, no control byte but tab; over the cap is DL_ELIMIT, not a
 * protocol violation) to a string or to every item of a list;
 * DL_RF_JSON_EMPTY writes "" for a NULL string instead of null.
 *
 * The codec is generic (struct dl_record_type: a table of fields made from
 * such a list), so that the unit test can exercise every kind, LIST
 * included, on a record of its own. */
#ifndef DL_RESULT_H
#define DL_RESULT_H

#include <stddef.h>

#include "common.h"

#define DL_RESULT_ARGS_MAX 4096u   /* command line, like libxl/XSA-198 advice */
#define DL_RESULT_STR_MAX 4096u    /* any other string (paths are <= 4096) */
#define DL_PAYLOAD_MODULES_MAX 16u /* multiboot modules of one entry (one RESULT frame) */

/* What was chosen, for the result and JSON output: X(name, json, ...). */
#define DL_RESULT_FIELDS(STR, INT, BOOL, LIST)                                          \
	/* final command line, NULL or "" for none */                                   \
	STR(args, "args", DL_RESULT_ARGS_MAX, DL_RF_CMDLINE | DL_RF_JSON_EMPTY,          \
	    "boot entry command line")                                                  \
	STR(title, "title", DL_RESULT_STR_MAX, 0, "entry title")                         \
	STR(entry_id, "id", DL_RESULT_STR_MAX, 0, "entry id")                            \
	/* pygrub's flattened index, -1 without a configuration */                      \
	INT(entry_index, "index", -1, INT32_MAX, "entry index")                          \
	/* the boot menu's choice had its files or command line edited */               \
	BOOL(edited, "edited", "edited in the menu")                                     \
	/* "volume:path" of the configuration used */                                   \
	STR(config, "config", DL_RESULT_STR_MAX, 0, "config path")                       \
	STR(format, "config_format", DL_RESULT_STR_MAX, 0, "config format")              \
	/* the volume holding the kernel */                                              \
	STR(volume, "volume", DL_RESULT_STR_MAX, 0, "volume name")                       \
	/* guest paths: the kernel, the initrds (space separated) */                    \
	STR(kernel, "guest_kernel", DL_RESULT_STR_MAX, 0, "kernel path")                 \
	STR(ramdisk, "guest_ramdisk", DL_RESULT_STR_MAX, 0, "ramdisk paths")             \
	BOOL(have_ramdisk, NULL, "ramdisk present")                                      \
	/* src/kernel: "bzImage", "ELF64", "xz"...; the bzImage version string */       \
	STR(kernel_format, "kernel_format", DL_RESULT_STR_MAX, 0, "kernel format")       \
	STR(kernel_version, "kernel_version", DL_RESULT_STR_MAX, 0, "kernel version")   \
	/* src/kernel: "gzip".."zstd", "none"; what Xen can boot it as */               \
	STR(kernel_compression, "kernel_compression", 64, 0, "kernel compression")      \
	/* src/inspect.c: "x86_64", "i386", "aarch64"...; NULL when not a kernel */     \
	STR(kernel_arch, "kernel_arch", 64, 0, "kernel architecture")                   \
	BOOL(xen_pv, "xen_pv", "kernel boots as PV")                                     \
	BOOL(xen_pvh, "xen_pvh", "kernel boots as PVH")                                  \
	/* the guest type checked: "pv", "pvh", or NULL when none was asked */          \
	STR(guest_type, "guest_type", 64, 0, "guest type")                              \
	/* the guest's os-release and its kernel's architecture (JSON: "os") */         \
	STR(os_id, NULL, 64, 0, "os id")                                                \
	STR(os_version_id, NULL, 64, 0, "os version id")                                \
	STR(os_pretty_name, NULL, 256, 0, "os pretty name")                             \
	STR(os_arch, NULL, 64, 0, "os architecture")                                    \
	/* multiboot modules in entry order: "volume:path", command line without  */    \
	/* the file name (JSON: "modules", written with the output files' names) */     \
	LIST(modules, NULL, DL_RESULT_STR_MAX, DL_PAYLOAD_MODULES_MAX, 0, "module paths") \
	LIST(module_args, NULL, DL_RESULT_ARGS_MAX, DL_PAYLOAD_MODULES_MAX, DL_RF_CMDLINE, \
	     "module command lines")

/* Field flags (see above). */
#define DL_RF_CMDLINE 1u
#define DL_RF_JSON_EMPTY 2u

/* The struct members a field list declares. */
#define DL_RECORD_MEMBER_STR(name, ...) const char *name;
#define DL_RECORD_MEMBER_INT(name, ...) int name;
#define DL_RECORD_MEMBER_BOOL(name, ...) bool name;
#define DL_RECORD_MEMBER_LIST(name, ...) const char *const *name; size_t n##name;

/* Strings owned by the producer, valid during the result() call. */
struct dl_result {
	DL_RESULT_FIELDS(DL_RECORD_MEMBER_STR, DL_RECORD_MEMBER_INT, DL_RECORD_MEMBER_BOOL,
			 DL_RECORD_MEMBER_LIST)
};

/* A module (multiboot entries) may be begun up to DL_PAYLOAD_MODULES_MAX
 * times, after the kernel; its cap is the ramdisk's. */
enum dl_payload_kind { DL_PAYLOAD_KERNEL = 0, DL_PAYLOAD_RAMDISK = 1, DL_PAYLOAD_MODULE = 2 };
/* "kernel", "ramdisk", "module": for messages and the output files' names. */
extern const char *const dl_payload_kind_name[3];

/* Every call returns 0, or a negative errno value with the sink's error
 * set (the owner of the sink knows where). */
/* Calls: questions only the privileged side can answer (a menu on its
 * terminal, a file of a kernel mount, a write to a disk).  The answering
 * side may ask the parsing side in turn while it works (the menu's `ls`)
 * through the asker the caller gives. */
enum dl_call_op {
	DL_CALL_PING = 1,    /* tests: the request comes back, with what asking gave */
	DL_CALL_MENU,        /* issue 13: show the menu, answer the choice */
	DL_CALL_OPEN,        /* issue 12: open a guest path in a kernel mount */
	DL_CALL_GRUBENV,     /* issue 15: rewrite a grubenv block in place */
	DL_CALL_MAX_,
};

/* A call's answer: bytes (malloc'd, may be NULL when len is 0) and at most
 * one opened descriptor (-1 none), both the caller's to free and close. */
struct dl_reply {
	uint8_t *buf;
	size_t len;
	int fd;
};
void dl_reply_free(struct dl_reply *r);

struct dl_asker {
	void *ctx;
	/* Answer question q (len bytes) into answer; 0 or a negative errno
	 * with err set (the message travels back to the asking side). */
	int (*ask)(void *ctx, const void *q, size_t len, struct dl_sbuf *answer,
		   struct dl_error *err);
};

struct dl_sink {
	void *ctx;
	/* Free text for stdout (-l, --list-volumes). */
	int (*listing)(void *ctx, const char *text, size_t len);
	/* Start an output file.  For the ramdisk, several initrds are sent as
	 * consecutive data/copy runs between one begin and one end. */
	int (*begin)(void *ctx, enum dl_payload_kind kind);
	int (*data)(void *ctx, const void *buf, size_t len);
	/* Optional: where to make the next data bytes, so that data() of that
	 * buffer copies nothing; *len: in, the bytes meant; out, the room
	 * (at most that).  NULL: use your own. */
	void *(*buffer)(void *ctx, size_t *len);
	/* len bytes stored verbatim at byte off of disk number disk. */
	int (*copy)(void *ctx, int disk, uint64_t off, uint64_t len);
	int (*end)(void *ctx);
	int (*result)(void *ctx, const struct dl_result *r);
	/* Call op with req (len bytes, at most DL_CALL_MAX); back may be NULL.
	 * 0 with *rep filled, or a negative errno with err set: the answering
	 * side's own message (an unknown op: -EOPNOTSUPP).  Optional: NULL
	 * for sinks that answer nothing. */
	int (*call)(void *ctx, uint32_t op, const void *req, size_t len, const struct dl_asker *back,
		    struct dl_reply *rep, struct dl_error *err);
};
/* The largest request, answer, question or reply of a call. */
#define DL_CALL_MAX (256u * 1024 - 8)

/* ---- the record codec ---- */

enum dl_record_kind { DL_RK_STR, DL_RK_INT, DL_RK_BOOL, DL_RK_LIST };

struct dl_record_field {
	const char *name;         /* the member */
	enum dl_record_kind kind;
	size_t off;               /* offsetof the member */
	size_t count_off;         /* LIST: offsetof n<name> */
	uint32_t cap;             /* STR, LIST items: bytes */
	uint32_t max_items;       /* LIST */
	int32_t min, max;         /* INT */
	unsigned flags;           /* DL_RF_* */
	const char *json;         /* member name in JSON, or NULL */
	const char *what;         /* for messages */
};

struct dl_record_type {
	const struct dl_record_field *fields;
	size_t nfields;
	size_t size;              /* sizeof the record */
};

/* The table entries a field list makes for struct T. */
#define DL_RECORD_FIELD_STR(T, name_, json_, cap_, flags_, what_) \
	{ .name = #name_, .kind = DL_RK_STR, .off = offsetof(T, name_), .cap = (cap_), \
	  .flags = (flags_), .json = (json_), .what = (what_) },
#define DL_RECORD_FIELD_INT(T, name_, json_, min_, max_, what_) \
	{ .name = #name_, .kind = DL_RK_INT, .off = offsetof(T, name_), .min = (min_), \
	  .max = (max_), .json = (json_), .what = (what_) },
#define DL_RECORD_FIELD_BOOL(T, name_, json_, what_) \
	{ .name = #name_, .kind = DL_RK_BOOL, .off = offsetof(T, name_), .json = (json_), \
	  .what = (what_) },
#define DL_RECORD_FIELD_LIST(T, name_, json_, cap_, items_, flags_, what_) \
	{ .name = #name_, .kind = DL_RK_LIST, .off = offsetof(T, name_), \
	  .count_off = offsetof(T, n##name_), .cap = (cap_), .max_items = (items_), \
	  .flags = (flags_), .json = (json_), .what = (what_) },

/* Wire encoding, in field order, every number a u32 in host byte order
 * (both ends are the same binary): STR a length or DL_RECORD_ABSENT, then
 * the bytes without NUL; INT its int32 value; BOOL 0 or 1; LIST a count,
 * then each item as a STR.  The largest and smallest encodings of a list: */
#define DL_RECORD_ABSENT UINT32_MAX
#define DL_RECORD_WIRE_STR(name, json, cap, ...) + 4 + (size_t)(cap)
#define DL_RECORD_WIRE_INT(...) + 4
#define DL_RECORD_WIRE_BOOL(...) + 4
#define DL_RECORD_WIRE_LIST(name, json, cap, items, ...) + 4 + (size_t)(items) * (4 + (size_t)(cap))
#define DL_RECORD_WIRE_MIN_ONE(...) + 4
#define DL_RESULT_WIRE_MAX (0 DL_RESULT_FIELDS(DL_RECORD_WIRE_STR, DL_RECORD_WIRE_INT, \
					       DL_RECORD_WIRE_BOOL, DL_RECORD_WIRE_LIST))
#define DL_RESULT_WIRE_MIN (0 DL_RESULT_FIELDS(DL_RECORD_WIRE_MIN_ONE, DL_RECORD_WIRE_MIN_ONE, \
					       DL_RECORD_WIRE_MIN_ONE, DL_RECORD_WIRE_MIN_ONE))

extern const struct dl_record_type dl_result_type;

/* Append the encoding of rec to out.  A string or list over its cap fails
 * with DL_ELIMIT ("<what>: longer than N bytes"). */
int dl_record_pack(const struct dl_record_type *t, const void *rec, struct dl_sbuf *out,
		   struct dl_error *err);
/* Decode exactly len bytes from the parser child into rec (zeroed first),
 * which then owns its strings (dl_record_clear).  Every length is checked
 * against the bytes left and the field's cap before it is used; a NUL
 * inside a string, a value out of range or bytes left over are protocol
 * violations (DL_ESANDBOX); DL_RF_CMDLINE fields get the command-line
 * rules.  On failure rec is left empty. */
int dl_record_unpack(const struct dl_record_type *t, const uint8_t *p, size_t len, void *rec,
		     struct dl_error *err);
/* The caps and rules of pack and unpack on rec in memory (the sink's check,
 * so that --no-sandbox gets them too): 0, or the error they give. */
int dl_record_check(const struct dl_record_type *t, const void *rec, struct dl_error *err);
/* dst (zeroed first) becomes a copy of src that owns its strings. */
void dl_record_copy(const struct dl_record_type *t, void *dst, const void *src);
/* Free what dl_record_unpack or dl_record_copy allocated; rec is zeroed. */
void dl_record_clear(const struct dl_record_type *t, void *rec);
/* One JSON member per field that has a json key, in field order. */
void dl_record_json(const struct dl_record_type *t, struct dl_json *j, const void *rec);

#endif
