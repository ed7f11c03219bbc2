/* The extraction pipeline, split at the privilege boundary.
 *
 * dl_flow_run() runs where guest bytes are parsed (the sandboxed child, or
 * the process itself with --no-sandbox): disks -> volumes -> filesystems ->
 * boot entries -> chosen entry, and it emits the chosen files through a
 * struct dl_sink.  The sink on the other side (src/output/payload.c) is the
 * only code that creates files or writes the result; the sandbox
 * (src/sandbox) carries sink calls over a pipe as framed messages. */
#ifndef DL_FLOW_H
#define DL_FLOW_H

#include "common.h"
#include "part/part.h"
#include "result.h"

enum dl_mode {
	DL_MODE_EXTRACT = 0,   /* copy kernel/ramdisk, print result */
	DL_MODE_NOT_REALLY,    /* -n: check existence only */
	DL_MODE_LIST,          /* -l: list entries */
	DL_MODE_LIST_VOLUMES,  /* --list-volumes */
	DL_MODE_ISCONFIG,      /* --isconfig: disk operand is a config file in dom0 */
	DL_MODE_LS,            /* domuloader ls: a guest directory or file (src/guestcmd.c) */
	DL_MODE_CAT,           /* domuloader cat, copy-out: a guest file's bytes */
};

/* The guest type a kernel is checked against (src/kernel decides). */
enum dl_guest_type {
	DL_GUEST_ANY = 0,      /* nothing asked: report, check nothing */
	DL_GUEST_PV,           /* --guest-type=pv, type = "pv" */
	DL_GUEST_PVH,          /* --guest-type=pvh, type = "pvh" */
	DL_GUEST_BEST,         /* --guest-type=best: PVH when the kernel can, else PV */
};

/* Everything the parsing side needs.  No paths of dom0 output files: the
 * child never learns where its bytes end up. */
struct dl_request {
	enum dl_mode mode;
	uint64_t offset;          /* --offset, UINT64_MAX when unset */
	const char *entry;        /* --entry: index, title, id, "1>2", or domUloader [dev:]kernel[,initrd] */
	const char *kernel;       /* --kernel hint: skip config parsing */
	const char *ramdisk;      /* --ramdisk hint (with --kernel) */
	const char *args;         /* --args: whole cmdline with --kernel, else appended */
	const char *root;         /* --root=/dev/xvda1 (domUloader): the guest root volume */
	bool json;                /* listings as JSON */
	bool list;                /* -l (with --isconfig: every entry listed) */
	bool mount;               /* --mount: volumes read through the kernel's mounts (src/mount) */
	bool menu;                /* the boot menu on the privileged side's terminal */
	uint64_t max_kernel;      /* caps (bytes); the parent enforces them too */
	uint64_t max_ramdisk;
	enum dl_guest_type guest_type;
	bool guest_type_cfg;      /* guest_type is --config's: a file that is no kernel at
				     all (format "unknown") is not judged */
	bool force;               /* --force: boot a kernel the guest type check refuses */
	bool decompress;          /* --decompress: write the ELF vmlinux inside the kernel */
	const char *no_modules;   /* the output format, when it cannot carry multiboot modules */
	bool no_grubenv_update;   /* --no-grubenv-update: leave GRUB's environment block as it is */
	bool rewrite;             /* --rewrite-config: a multiboot entry is refused before the
				     kernel checks (a domain configuration boots one kernel) */
	const char *guest_path;   /* ls, cat: VOLUME:PATH, /PATH (through the guest's fstab), VOLUME */
};

/* The disks' partitions and volumes found, each volume's content probed
 * (a volume that cannot be is noted, not an error). */
int dl_flow_scan(const struct dl_request *req, struct dl_disk_set *set, struct dl_error *err);
/* The located regular file (or the part of it l means) into the payload
 * begun on sink: the ranges stored verbatim as copies, other bytes as data
 * (dl_located_stream). */
struct dl_located;
int dl_flow_emit(const struct dl_sink *sink, const struct dl_located *l, struct dl_error *err);

/* Run the pipeline on the disks in set (already added, not yet scanned). */
int dl_flow_run(const struct dl_request *req, struct dl_disk_set *set,
		const struct dl_sink *sink, struct dl_error *err);

#endif
