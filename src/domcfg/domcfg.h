/* Domain boot configuration: xl/xm disk specs, xl.cfg (libxlu/virConf
 * syntax), libvirt domain XML, xend SEXPR.
 *
 * All parsers are pure functions over a buffer (no file access), capped in
 * size, nesting and counts, and produce one model, struct dl_domcfg.  The
 * writers either format the bootloader result for a toolstack (xl, libvirt
 * <os>, pygrub sxp) or rewrite a configuration in its own dialect with the
 * bootloader replaced by a direct kernel boot, keeping every other byte.
 *
 * Grammars: xl.cfg(5) and xl-disk-configuration(5) with Xen's libxlutil
 * lexers (tools/libs/util), libvirt's formatdomain and its xen driver
 * (src/libxl/xen_xl.c, src/util/virsexpr.c), xend's XendConfig.py and
 * sxp.py.  Errors fill struct dl_error with DL_ESYNTAX (malformed),
 * DL_ELIMIT (caps) or DL_EUNSUPPORTED, name the object ("NAME:LINE: what
 * is wrong"), and return the class's negative errno. */
#ifndef DL_DOMCFG_H
#define DL_DOMCFG_H

#include "common.h"

#define DL_DOMCFG_MAX_SIZE (1u << 20)  /* bytes of one configuration */
#define DL_DOMCFG_MAX_DISKS 256
#define DL_DOMCFG_MAX_ARGS 256         /* bootloader_args elements */
#define DL_DOMCFG_MAX_DEPTH 64         /* SEXPR/list nesting */
#define DL_DOMCFG_MAX_NODES 65536      /* SEXPR atoms + lists, xl values */
#define DL_DOMCFG_MAX_SPEC 4096        /* bytes of one disk spec */
#define DL_DOMCFG_MAX_BOOT 8           /* boot order entries kept */

enum dl_domcfg_dialect {
	DL_DIALECT_NONE = 0,
	DL_DIALECT_XL,        /* xl.cfg / xm config (also libvirt's virConf) */
	DL_DIALECT_LIBVIRT,   /* libvirt domain XML */
	DL_DIALECT_SEXPR,     /* xend SEXPR, (domain ...) or (vm ...) */
};

enum dl_domtype { DL_DOMTYPE_UNSET = 0, DL_DOMTYPE_PV, DL_DOMTYPE_PVH, DL_DOMTYPE_HVM };

enum dl_dformat {
	DL_DFMT_UNSET = 0,  /* not given: raw for xl, driver default elsewhere */
	DL_DFMT_RAW,
	DL_DFMT_QCOW,
	DL_DFMT_QCOW2,
	DL_DFMT_VHD,
	DL_DFMT_QED,
	DL_DFMT_EMPTY,      /* empty cdrom drive */
	DL_DFMT_OTHER,      /* libvirt <driver type=X> we do not know: format_name */
};

enum dl_access {
	DL_ACCESS_UNSET = 0,
	DL_ACCESS_RO,       /* r, ro, <readonly/> */
	DL_ACCESS_RW,       /* w, rw */
	DL_ACCESS_SHARED,   /* xend w! / !, <shareable/> */
};

struct dl_domdisk {
	char *target;        /* path or backend target as configured; NULL: empty drive */
	enum dl_dformat format;
	char *format_name;   /* DL_DFMT_OTHER: the name given */
	char *vdev;          /* guest device ("xvda", "hdc"), without ioemu: and :cdrom */
	enum dl_access access;
	bool cdrom;
	bool floppy;
	bool bootable;       /* xend (bootable 1) */
	bool block;          /* phy:, libvirt type='block' */
	int boot_order;      /* libvirt per-device <boot order='N'/>, 0 if none */
	char *driver;        /* xend uname prefix / libvirt <driver name>: file, phy, tap, tap2, qemu */
	char *backendtype;   /* xl backendtype= */
	char *script;        /* xl script= / script prefix (block-iscsi...) */
	char *bus;           /* libvirt <target bus> */
	char *address;       /* libvirt <address .../> serialized, not interpreted */
	char *source_type;   /* libvirt <disk type>: file, block, network, volume */
};

struct dl_domcfg {
	enum dl_domcfg_dialect dialect;
	char *name;
	uint8_t uuid[16];
	bool have_uuid;
	enum dl_domtype type;
	char *kernel;          /* direct kernel (or bootloader hint) */
	char *ramdisk;
	char *cmdline;         /* effective command line (libxl rule: cmdline, else root=R E) */
	char *root;            /* root= as configured, if any (already folded into cmdline) */
	char *loader;          /* HVM loader (libvirt <loader>, SEXPR hvm kernel/loader) */
	char *firmware;        /* xl firmware= */
	char *bootloader;      /* NULL: none configured; "" configured empty */
	char **bootloader_args;
	size_t nbootloader_args;
	struct dl_domdisk *disks;
	size_t ndisks;
	char boot[DL_DOMCFG_MAX_BOOT + 1];  /* 'a' fd, 'c' hd, 'd' cdrom, 'n' net; "" unset */
};

void dl_domcfg_free(struct dl_domcfg *cfg);
void dl_domdisk_clear(struct dl_domdisk *d);

/* "xl", "libvirt", "sexpr"; "none". */
const char *dl_domcfg_dialect_name(enum dl_domcfg_dialect d);

/* Parse a configuration of the given dialect, or with NONE of the one its
 * content shows: '<' first (after a byte order mark and blanks) is XML,
 * '(' is SEXPR, anything else xl.
 * name is used in messages ("NAME:LINE: ...").  On success *cfg is filled
 * (zero it before; free with dl_domcfg_free even after failure). */
int dl_domcfg_parse(struct dl_domcfg *cfg, enum dl_domcfg_dialect dialect,
		    const char *name, const char *buf, size_t len, struct dl_error *err);
int dl_xlcfg_parse(struct dl_domcfg *cfg, const char *name, const char *buf, size_t len,
		   struct dl_error *err);
int dl_libvirt_parse(struct dl_domcfg *cfg, const char *name, const char *buf, size_t len,
		     struct dl_error *err);
int dl_sexpr_parse(struct dl_domcfg *cfg, const char *name, const char *buf, size_t len,
		   struct dl_error *err);

/* One xl DISKSPEC (xl-disk-configuration(5), libxlu lexer rules: positional
 * and key=value, target= last, deprecated prefixes, vdev:cdrom, access
 * r/ro/rw/w).  With xend != 0 xend's shared access "w!" / "!", which xl
 * rejects, is accepted too (xm files, --disks).  A cdrom is read-only
 * whatever access says; an empty target is NULL (empty drive, format
 * EMPTY).  Fills *d (zeroed first; cleared again on failure). */
int dl_xldisk_parse(struct dl_domdisk *d, const char *spec, size_t len, int xend,
		    struct dl_error *err);
/* domUloader --disks: whitespace-separated disk specs ("phy:/dev/vg/g1,xvda,w
 * file:/img,xvdb,w"); a spec continues over whitespace that follows a ','.
 * A Python list literal "['a,b,w', 'c,d,w']" is accepted as well. */
int dl_xldisk_parse_list(struct dl_domdisk **disks, size_t *ndisks, const char *s,
			 struct dl_error *err);
/* The canonical xl DISKSPEC of d, target last (malloc'd).  xl has no shared
 * access (written as rw) and no way to write a target holding a newline. */
char *dl_xldisk_format(const struct dl_domdisk *d);

/* Host path to open for a disk: NULL when the disk has no local path
 * (empty drive, script/network target); relative targets get "/dev/"
 * prepended (xl-disk-configuration(5)).  malloc'd. */
char *dl_domdisk_path(const struct dl_domdisk *d);
/* The name of a disk format: "raw", "qcow2"...; "" for UNSET. */
const char *dl_dformat_name(enum dl_dformat f);

/* Which disks to open and in which order for booting: fills order[] (capacity
 * cfg->ndisks) with disk indices, the boot disk first, and returns the count.
 * Empty drives are left out.  Rules: for HVM, the boot string (boot="dc",
 * <boot dev>, (boot d)): 'c' disks, 'd' cdroms, 'a' floppies in that order,
 * libxl's "cda" when there is none; for PV/PVH (no firmware, the string is
 * ignored as the toolstacks do) xend's (bootable 1) disk first, then
 * configuration order (libxl boots disks[0]).  Libvirt per-device <boot
 * order> comes before all.  Disks not selected by the boot string follow. */
size_t dl_domcfg_boot_order(const struct dl_domcfg *cfg, size_t *order);

/* How the toolstack starts the domain, which decides whether its disks
 * hold anything to extract (libxl_bootloader.c, xend's image.py, libvirt's
 * xen driver):
 *  DISK: a bootloader (pygrub, domuloader...) or PV-GRUB (a PV kernel
 *        named *grub*, or xl firmware=) reads the boot disk, or the HVM
 *        firmware boots it (no kernel= other than hvmloader);
 *  KERNEL: a dom0 kernel loaded directly (PV/PVH kernel= without a
 *        bootloader, HVM kernel= beside the loader): nothing on a disk;
 *  NETWORK: pypxeboot, or an HVM boot order starting with 'n'. */
enum dl_domboot { DL_DOMBOOT_DISK = 0, DL_DOMBOOT_KERNEL, DL_DOMBOOT_NETWORK };
enum dl_domboot dl_domcfg_boot_kind(const struct dl_domcfg *cfg);
/* The file name part of a path ("pygrub" of "/usr/bin/pygrub"). */
const char *dl_domcfg_basename(const char *path);
/* Whether a bootloader is one whose options domuloader accepts (pygrub,
 * domuloader, SUSE's domUloader): another one's bootloader_args are not
 * domuloader's to read. */
bool dl_domcfg_bootloader_ours(const char *bootloader);

/* The disks a bootloader gets, in order (what --config opens): the boot
 * device's class from dl_domcfg_boot_order().  Booting a cdrom or floppy
 * gives that one drive alone (an installer does not need the hard disks,
 * and a missing reader must not fall through to them); booting the hard
 * disk gives every hard disk, the boot disk first (LVM may span them,
 * domUloader's --entry=xvdb2:... names another one).  Returns the count. */
size_t dl_domcfg_boot_disks(const struct dl_domcfg *cfg, size_t *order);

/* UUID: 32 hex digits, '-' or ' ' allowed between byte pairs, surrounding
 * whitespace (virUUIDParse). 0, or -EINVAL when s is not one. */
int dl_uuid_parse(const char *s, uint8_t out[16]);
void dl_uuid_format(const uint8_t u[16], char out[37]);

/* Rewrite a configuration in its own dialect for direct kernel boot:
 * bootloader, bootloader_args/bootargs, and the old kernel, ramdisk,
 * cmdline/root/extra/args removed, the new kernel/ramdisk/cmdline inserted
 * where the bootloader was (or at the natural place).  Every other byte is
 * kept.  ramdisk and cmdline may be NULL.  Returns a malloc'd buffer (*outlen
 * set) or NULL with err. */
char *dl_domcfg_rewrite(enum dl_domcfg_dialect dialect, const char *name, const char *buf,
			size_t len, const char *kernel, const char *ramdisk, const char *cmdline,
			size_t *outlen, struct dl_error *err);

/* A rewritten configuration (dl_domcfg_rewrite's output) with its guest
 * type set to type (PV or PVH): xl's type = "..." before the kernel, its
 * builder and old pvh = 1 removed; libvirt's <os><type> (machine xenpv or
 * xenpvh, arch kept).  xend's SEXPR has no PVH: DL_EUNSUPPORTED. */
char *dl_domcfg_set_type(enum dl_domcfg_dialect dialect, const char *name, const char *buf,
			 size_t len, enum dl_domtype type, size_t *outlen, struct dl_error *err);

/* A complete configuration of the given dialect from the model (for
 * conversion and round trips), malloc'd.  Not every field exists in every
 * dialect: xl has no HVM loader (floppies: two, as xm's fda/fdb), SEXPR has no firmware. */
char *dl_domcfg_write(const struct dl_domcfg *cfg, enum dl_domcfg_dialect dialect);

/* Result formatters (malloc'd, NULL with err when a value cannot be
 * represented).  ramdisk/cmdline may be NULL (line omitted). */
/* xl.cfg lines: kernel = "..."\nramdisk = "..."\ncmdline = "..."\n; with
 * type non-NULL a type = "..." line first. */
char *dl_format_xl(const char *kernel, const char *ramdisk, const char *cmdline,
		   const char *type, struct dl_error *err);
/* libvirt <os> element (type: "linux", "hvm", "xenpvh" or NULL to omit). */
char *dl_format_libvirt_os(const char *kernel, const char *ramdisk, const char *cmdline,
			   const char *type, struct dl_error *err);
/* pygrub's sxp: linux (kernel 'K')(ramdisk 'R')(args 'A'), Python repr
 * quoting, no trailing newline; ramdisk/args omitted when NULL or "". */
char *dl_format_sxp(const char *kernel, const char *ramdisk, const char *cmdline,
		    struct dl_error *err);

/* Quoting helpers (malloc'd). */
/* An xl.cfg string literal that xl and virConf both read back as s when
 * possible ("..." or '...' without escapes), else xl's escaped form. */
char *dl_xl_quote(const char *s);
/* A single-quoted SEXPR atom; ' and \ and controls escaped (XSA-198). */
char *dl_sexpr_quote(const char *s);
/* Python 3 repr() of a str, with str.isprintable() for non-ASCII (C1
 * controls, U+00A0, U+2028... escaped; undecodable bytes as \udcXX). */
char *dl_python_repr(const char *s);
/* XML character data/attribute text; NULL if s has characters XML 1.0
 * cannot carry or is not UTF-8. */
char *dl_xml_escape(const char *s);

/* Split a string like libxl does for bootloader_args given as a string
 * (whitespace), or like xend's shlex.split (quotes, backslashes) with
 * shell != 0.  Appends to *argv.  A negative errno on unbalanced quotes
 * or caps. */
int dl_split_args(const char *s, int shell, char ***argv, size_t *n, struct dl_error *err);

/* ---- Internal to src/domcfg (shared between its files) ---- */

/* text.c */
/* s between two q characters, with backslash escapes for q, backslash,
 * \n \t \r and \xNN for other control characters (the escapes xend's and
 * libxlu's string readers both understand). */
char *dl_cquote(const char *s, char q);
/* Value of a hex digit, -1 if c is not one. */
int dl_hexval(int c);
/* The byte of a C letter escape (\a \b \f \n \r \t \v), -1 for other c. */
int dl_letter_escape(int c);
/* 1-based line number of offset off in buf. */
unsigned dl_lineno(const char *buf, size_t len, size_t off);

/* splice.c: a span [from, to) of a document to delete when rewriting it. */
struct dl_cut {
	size_t from, to;
	bool space;   /* leave one blank in its place (the bytes around would join) */
};
/* buf with the cuts removed (overlaps allowed, any order; sorted here) and
 * ins inserted at byte ins_at of buf (moved past a cut that covers it). */
char *dl_splice(const char *buf, size_t len, struct dl_cut *cuts, size_t ncut, size_t ins_at,
		const struct dl_sbuf *ins, size_t *outlen);

/* model.c */
/* Set the bootloader argument list (taking argv); replaces existing ones. */
void dl_domcfg_set_args(struct dl_domcfg *cfg, char **argv, size_t n);

/* disks.c: c itself if it is a boot device letter (a c d n), else 0. */
int dl_boot_char(int c);

/* The dialects (domcfg.c dispatches to them). */
char *dl_sexpr_write(const struct dl_domcfg *cfg);
char *dl_xlcfg_write(const struct dl_domcfg *cfg);
char *dl_libvirt_write(const struct dl_domcfg *cfg);
char *dl_xlcfg_rewrite(const char *name, const char *buf, size_t len, const char *kernel,
		       const char *ramdisk, const char *cmdline, size_t *outlen, struct dl_error *err);
char *dl_sexpr_rewrite(const char *name, const char *buf, size_t len, const char *kernel,
		       const char *ramdisk, const char *cmdline, size_t *outlen, struct dl_error *err);
char *dl_xlcfg_set_type(const char *name, const char *buf, size_t len, enum dl_domtype type,
			size_t *outlen, struct dl_error *err);
char *dl_libvirt_set_type(const char *name, const char *buf, size_t len, enum dl_domtype type,
			  size_t *outlen, struct dl_error *err);
char *dl_libvirt_rewrite(const char *name, const char *buf, size_t len, const char *kernel,
			 const char *ramdisk, const char *cmdline, size_t *outlen,
			 struct dl_error *err);

#endif
