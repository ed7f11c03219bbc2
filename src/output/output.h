/* Output side: payload files and the result, written only by the
 * privileged process (never by the parser child). */
#ifndef DL_OUTPUT_H
#define DL_OUTPUT_H

#include <stdio.h>

#include "common.h"
#include "flow.h"

enum dl_format {
	DL_OUT_SXP = 0, DL_OUT_SIMPLE, DL_OUT_SIMPLE0, DL_OUT_JSON, DL_OUT_XL, DL_OUT_LIBVIRT,
	DL_OUT_QEMU,
};

int dl_format_parse(const char *s, enum dl_format *f);

/* Result text in format f.  kernel/ramdisk are the dom0 paths written (or
 * the guest paths with -n); r gives args and metadata.  Returns a malloc'd
 * string (*len set; simple0 contains NULs) or NULL with err set when a value
 * cannot be represented (a separator inside a value, XSA-198). */
char *dl_result_format(enum dl_format f, const char *kernel, const char *ramdisk,
		       const struct dl_result *r, size_t *len, struct dl_error *err);
/* The same for a result that may have multiboot modules: modules are the
 * dom0 files written for r->modules (NULL with -n).  Only json and qemu
 * carry modules; the other formats refuse such a result. */
char *dl_result_format_files(enum dl_format f, const char *kernel, const char *ramdisk,
			     const char *const *modules, const struct dl_result *r, size_t *len,
			     struct dl_error *err);


/* The parent-side sink: creates payload files in dir as temp names, copies
 * bytes (copy_file_range from the disks' fds for verbatim ranges), enforces
 * caps, and on dl_payload_commit() renames them to their final pygrub-style
 * names (boot_kernel.XXXXXXXX, boot_ramdisk.XXXXXXXX, 0600), fsync'ing the
 * files and the directory first only with sync (--sync). */
/* An answer to one kind of call (enum dl_call_op), on the privileged side:
 * 0 with *rep filled, or a negative errno with err set. */
typedef int (*dl_call_fn)(void *hctx, const void *req, size_t len, const struct dl_asker *back,
			  struct dl_reply *rep, struct dl_error *err);

#define DL_PAYLOAD_SLOTS (2 + (int)DL_PAYLOAD_MODULES_MAX)
struct dl_payload {
	const char *dir;
	struct dl_disk_set *set;      /* fds for copy ranges */
	uint64_t cap[2];              /* kernel, ramdisk */
	bool dry;                     /* -n: accept no files */
	bool sync;                    /* --sync: files and directory on stable storage before commit returns */
	int copy_mode;                /* 0 copy_file_range, 1 sendfile, 2 read+write (what works here) */
	struct dl_payload_file {
		char *tmp, *final;
		enum dl_payload_kind kind;
		int fd;
		uint64_t size;       /* bytes accounted against the cap */
		uint64_t copied;     /* of those, copied from a disk image (not sent by the parser) */
		uint64_t written, unkicked;   /* bytes written; not yet sent to writeback */
		bool done;
	} f[DL_PAYLOAD_SLOTS];        /* kernel, ramdisk, then the modules in order */
	unsigned nmodules;            /* module files begun (f[2..]) */
	int cur;                      /* file being written, -1 none */
	/* the producer's result, an owned copy (dl_record_copy) */
	struct dl_result res;
	bool have_result;
	/* listing text goes here */
	FILE *listing;
	struct dl_error *err;         /* first sink failure */
	struct {
		dl_call_fn fn;
		void *ctx;
	} calls[DL_CALL_MAX_];        /* the calls this run answers; unset: -EOPNOTSUPP */
};

/* DL_CALL_MENU (src/output/menu.c): the boot menu on this process's
 * terminal, stdin for keys and stdout for the screen (or stderr when
 * stdout is not a terminal, or stdin itself when it is open for writing:
 * the result and the errors may both go to files).  dl_output_menu_fds says which, or -1 when
 * there is no terminal to show it on. */
int dl_output_menu_fds(int *in_fd, int *out_fd);
int dl_output_menu_call(void *hctx, const void *req, size_t len, const struct dl_asker *back,
			struct dl_reply *rep, struct dl_error *err);

void dl_payload_init(struct dl_payload *p, const char *dir, struct dl_disk_set *set,
		     uint64_t kcap, uint64_t rcap, struct dl_error *err);
void dl_payload_sink(struct dl_payload *p, struct dl_sink *sink);
/* Answer calls of kind op with fn (the terminal menu, kernel-mount opens,
 * grubenv writes: each registered by main for the runs that need it). */
void dl_payload_answer(struct dl_payload *p, enum dl_call_op op, dl_call_fn fn, void *hctx);
int dl_payload_commit(struct dl_payload *p, struct dl_error *err);
/* Remove every file created (temp or final) and close everything. */
void dl_payload_abort(struct dl_payload *p);
void dl_payload_free(struct dl_payload *p);

/* DL_CALL_GRUBENV on the privileged side (hctx: the struct dl_disk_set):
 * GRUB's environment block rewritten in place on the ranges the parser
 * reports, as GRUB's save_env does, only on raw disks not given
 * read-only, only when the bytes there are still the block's old ones;
 * each disk is opened for writing for this alone. */
int dl_grubenv_answer(void *hctx, const void *req, size_t len, const struct dl_asker *back,
		      struct dl_reply *rep, struct dl_error *err);

/* domuloader cat / copy-out (catout.c): a sink whose one file (the
 * parser's DL_PAYLOAD_KERNEL payload) is written to fd, named name in
 * messages, within pay's kernel cap; on a terminal, control bytes but
 * newline and tab become '?'.  Listings, the result and calls go to pay.
 * c must stay in place while sink is used. */
struct dl_catout {
	struct dl_payload *pay;
	struct dl_sink inner;         /* pay's sink */
	int fd;
	const char *name, *what;
	bool tty, begun, done;
	uint64_t size;
};
void dl_catout_sink(struct dl_catout *c, struct dl_payload *pay, int fd, const char *name,
		    struct dl_sink *sink);

#endif
