/* Boot configuration: discovery, parsers, entry model and selection.
 *
 * Parsers are pure functions over a buffer.  Everything they need from the
 * guest (other files for source/configfile/INCLUDE/grubenv/BLS, file tests,
 * search) goes through struct dl_boot_io, which the caller implements on top
 * of src/fs and src/part; the parsers never open anything themselves. */
#ifndef DL_BOOT_H
#define DL_BOOT_H

#include <stdio.h>

#include "common.h"

#define DL_BOOT_MAX_FILE (1u << 20)   /* any config file, grubenv, BLS entry */
#define DL_BOOT_MAX_ENTRIES 4096
#define DL_BOOT_MAX_DEPTH 10          /* source/configfile/INCLUDE nesting */
#define DL_BOOT_MAX_INITRDS 64        /* initrds of one entry (and modules) */

enum dl_entry_kind {
	DL_ENTRY_LINUX = 0,     /* linux/linux16/linuxefi, KERNEL/LINUX, BLS linux */
	DL_ENTRY_MULTIBOOT,     /* multiboot/multiboot2 (e.g. Xen): modules[] */
	DL_ENTRY_OTHER,         /* chainloader, memtest..., not bootable by us */
};

struct dl_boot_path {
	char *dev;   /* GRUB device without parens ("hd0,gpt2", "hd0,msdos1"), or NULL:
	                the volume the entry's root/config refers to */
	char *path;  /* path inside that volume, normalised, starting with '/' */
};

struct dl_boot_entry {
	char *title;
	char *id;               /* --id, BLS id (file name without .conf), LABEL */
	enum dl_entry_kind kind;
	bool submenu;           /* a submenu node (no kernel); children follow it */
	int parent;             /* index in entries[] of the enclosing submenu, -1 at top */
	int depth;              /* submenu nesting level, 0 at top */
	struct dl_boot_path kernel;     /* .path NULL when the entry has no kernel */
	struct dl_boot_path *initrds;   /* in order; concatenated into one ramdisk */
	size_t ninitrds;
	struct dl_boot_path *modules;   /* multiboot modules (args in module_args) */
	char **module_args;
	size_t nmodules;
	char *args;             /* kernel command line, variables expanded, may be "" */
	char *root;             /* GRUB $root in effect for the entry, or NULL */
};

struct dl_boot_config {
	char *path;             /* config path inside its volume, e.g. "/boot/grub/grub.cfg" */
	const char *format;     /* the parser's name ("grub2", "grub-legacy", "extlinux",
	                           "bls"), or "fallback" */
	struct dl_boot_entry *entries;  /* tree in file order (submenus precede children) */
	size_t nentries, capentries;
	int def;                /* index in entries[] of the default (a leaf), -1 none */
	char *default_spec;     /* raw default value as configured, for listings */
	int fallback;           /* index of fallback entry or -1 (fallbacks[0]) */
	/* GRUB's fallback list in order (leaves, no repeats): what GRUB tries
	 * when the default entry fails to boot (grub_menu_execute_with_fallback
	 * in grub-core/normal/menu.c; GRUB legacy's "fallback NUM...") */
	int *fallbacks;
	size_t nfallbacks;
	int timeout;            /* seconds, -1 unset */
	/* How the menu waits (GRUB's timeout_style; legacy hiddenmenu,
	 * syslinux without a menu UI and PROMPT 0, sd-boot "timeout 0" are
	 * hidden); UNSET: the caller's default (a menu). */
	enum dl_timeout_style { DL_TIMEOUT_UNSET = 0, DL_TIMEOUT_MENU, DL_TIMEOUT_COUNTDOWN,
				DL_TIMEOUT_HIDDEN } timeout_style;
	bool grub_rhboot;       /* GRUB 2 as Fedora/RHEL build it (the configuration ran
	                           blscfg): how a default names an entry differs */
	bool locked;            /* a password protects editing (GRUB superusers, legacy
	                           password, syslinux MENU MASTER PASSWD) */
};

/* Device names (dl_boot_path.dev, entry root, io dev arguments) are GRUB 2
 * device names without parentheses as the guest's configuration wrote them
 * ("hd0,msdos1", "hd0,gpt2", "hd1", "lvm/vg-root", or whatever io->search
 * returned).  GRUB legacy's 0-based "(hd0,0)" is converted to GRUB 2's
 * 1-based "hd0,1".  NULL or io->self_dev means the volume being parsed. */

/* How parsers reach the guest.  dev is a GRUB device name without parens
 * or NULL for "the volume being parsed".  read_file and list_dir return 0,
 * DL_ABSENT (no such file or directory, or no such device; err untouched),
 * or a negative errno with err set (the file exists but cannot be read). */
struct dl_boot_io {
	void *ctx;
	int (*read_file)(void *ctx, const char *dev, const char *path, char **buf,
			 size_t *len, struct dl_error *err);
	/* test: 'e' exists, 'f' regular file, 'd' directory, 's' non-empty; 1 true, 0 false */
	int (*test_file)(void *ctx, const char *dev, const char *path, char test);
	/* Names in a directory (malloc'd array of malloc'd strings). */
	int (*list_dir)(void *ctx, const char *dev, const char *path, char ***names,
			size_t *n, struct dl_error *err);
	/* search --fs-uuid/--label/--file: write the GRUB device of the first
	 * match into out; 0 found, DL_ABSENT none. by is "fs-uuid", "label", "file". */
	int (*search)(void *ctx, const char *by, const char *value, char *out, size_t outsz);
	/* GRUB device of the volume being parsed ("hd0,gpt1"). */
	const char *self_dev;
	/* Optional: other directories of the volume that may hold a whole
	 * system (btrfs subvolumes: "/@"), searched in order after its root
	 * (malloc'd array of malloc'd strings). */
	int (*homes)(void *ctx, char ***dirs, size_t *n);
	/* Optional: GRUB's save_env of name=value (value NULL: delete) into the
	 * environment block dev:path, run by the script itself (entry -1) or
	 * by the body of entry (an index of cfg->entries), which GRUB runs
	 * only when it boots that entry. */
	void (*save_env)(void *ctx, int entry, const char *dev, const char *path, const char *name,
			 const char *value);
};

/* A configuration format, in the manner of petitboot's struct parser
 * (discover/parser.h): its name, how --isconfig recognises its files, and
 * how to parse them.  Each parser file defines one; the probe table in
 * boot.c names them in the order a volume is searched. */
struct dl_boot_parser {
	const char *name;            /* cfg->format, listings: "grub2", "grub-legacy", ... */
	const char *const *aliases;  /* other names dl_boot_parse() accepts; NULL-terminated */
	/* fnmatch(3) patterns that mark a file of this format for --isconfig:
	 * on the base name, or with a '/' on the whole path ('*' crosses '/').
	 * NULL-terminated; NULL for the format taken when nothing matches. */
	const char *const *globs;
	/* One file's bytes (need not be NUL-terminated; no byte order mark, at
	 * most DL_BOOT_MAX_FILE) named name ("name:line: ..." in messages).
	 * 0 with *cfg filled, or a negative errno with err set and *cfg freed. */
	int (*parse)(const char *name, const char *buf, size_t len, const struct dl_boot_io *io,
		     struct dl_boot_config *cfg, struct dl_error *err);
	/* A directory of such files on the volume being parsed (BLS), or NULL. */
	int (*parse_dir)(const struct dl_boot_io *io, const char *dir, struct dl_boot_config *cfg,
			 struct dl_error *err);
};

extern const struct dl_boot_parser dl_grub2_parser, dl_legacy_parser, dl_syslinux_parser,
	dl_bls_parser;

/* The parser for a configuration file named path (--isconfig): menu.lst
 * and grub.conf are GRUB legacy, *linux.cfg and *linux.conf syslinux, files
 * under loader/entries/ BLS entries, anything else GRUB 2. */
const struct dl_boot_parser *dl_boot_parser_for_path(const char *path);
/* The parser of that name or alias, NULL if none. */
const struct dl_boot_parser *dl_boot_parser_named(const char *name);

/* Look for a boot configuration on one volume and parse it.  The order is
 * pygrub's (Grub.read_config in Xen's tools/pygrub/src/pygrub: grub.cfg in
 * /boot/grub, /grub, /boot/grub2, /grub2, then isolinux.cfg and
 * extlinux.conf, then menu.lst and grub.conf), then the other syslinux
 * homes, then BLS entries (/loader/entries, /boot/loader/entries) without
 * a grub.cfg.  A file whose menu comes out empty (a stub, blscfg with no
 * entries) does not stop the search; it is returned only when nothing
 * better exists.  Returns 0 with *cfg filled, DL_NOT_MINE (1) if no
 * configuration exists, a negative errno on error ("path:line: ..." for
 * syntax errors and caps). */
int dl_boot_find(const struct dl_boot_io *io, struct dl_boot_config *cfg, struct dl_error *err);

/* Parse one configuration buffer with parser, named name (for messages:
 * "name:line: ...").  A UTF-8 byte order mark is skipped. */
int dl_boot_parse_as(const struct dl_boot_parser *parser, const char *name, const char *buf,
		     size_t len, const struct dl_boot_io *io, struct dl_boot_config *cfg,
		     struct dl_error *err);
/* The same with the parser named format (dl_boot_parser_named()); for
 * callers that still name formats with strings. */
int dl_boot_parse(const char *format, const char *name, const char *buf, size_t len,
		  const struct dl_boot_io *io, struct dl_boot_config *cfg, struct dl_error *err);

/* Choose an entry.  spec NULL: the configured default (GRUB's meaning: an
 * index of the top level, "N>M" paths, titles, ids; a submenu means its
 * first entry; an unknown default means entry 0), else the fallback entry,
 * else the first bootable entry (with a warning).  Otherwise, for --entry:
 * all digits is pygrub's flattened index over all leaves in file order
 * (compatibility; GRUB would read "1" as the top-level item), then an
 * exact leaf title, an --id/BLS id/LABEL, a submenu title, or a GRUB path
 * "1>2" / "title>title".  Returns the index in cfg->entries of a bootable
 * leaf, or a negative errno with err set (DL_ENOTFOUND, -ENOENT: no such
 * entry; DL_EUNSUPPORTED, -EOPNOTSUPP: a multiboot/chainloader/... entry). */
int dl_boot_select(const struct dl_boot_config *cfg, const char *spec, struct dl_error *err);

/* The next entry GRUB falls back to after entries tried[0..ntried) failed
 * to boot (the default first): the first of cfg->fallbacks not tried yet
 * that we can boot, or -1. */
int dl_boot_next_fallback(const struct dl_boot_config *cfg, const int *tried, size_t ntried);

/* Entries listing for -l: text or JSON.  Text: a column header, then a
 * line per entry (the default marked '*', pygrub's flat index, the GRUB
 * path, the title indented by depth) and under each leaf its kernel (or
 * hypervisor), initrds, modules and args.  JSON: the configuration and
 * the entry tree (see man/domuloader.1). */
void dl_boot_list(const struct dl_boot_config *cfg, FILE *out, bool json);
/* Where a file an entry names is read from (dl_guest_locate): the volume
 * (guest and GRUB names) and the path there; path NULL when not found,
 * why saying why (or "" when not looked for). */
struct dl_boot_where {
	const char *volume, *grub;
	char *path;                 /* malloc'd */
	char why[256];
};
/* What a caller adds to a listing.  Any member may be NULL. */
struct dl_boot_list_hook {
	void *ctx;
	/* the volume the configuration was read from, or NULL (--isconfig) */
	const char *volume;
	/* where file bp of entries[idx] (what: "kernel", "hypervisor",
	 * "initrd", "module") is read from: *w filled */
	void (*where)(void *ctx, const struct dl_boot_config *cfg, int idx,
		      const struct dl_boot_path *bp, const char *what, struct dl_boot_where *w);
	/* appended to the text line of leaf entries[idx]'s kernel (found) */
	void (*text)(void *ctx, const struct dl_boot_config *cfg, int idx, struct dl_sbuf *b);
	/* members added to leaf entries[idx]'s JSON object */
	void (*json)(void *ctx, const struct dl_boot_config *cfg, int idx, struct dl_json *j);
	/* optional: members of the top-level JSON object, before "entries" */
	void (*head_json)(void *ctx, const struct dl_boot_config *cfg, int def, struct dl_json *j);
};
void dl_boot_list_with(const struct dl_boot_config *cfg, FILE *out, bool json,
		       const struct dl_boot_list_hook *hook);

void dl_boot_config_free(struct dl_boot_config *cfg);

/* A leaf that we can boot: kind LINUX with a kernel path. */
bool dl_boot_entry_bootable(const struct dl_boot_entry *e);
/* A multiboot leaf with a kernel (the hypervisor image): bootable when
 * chosen by --entry, or as the default of a menu without a Linux entry. */
bool dl_boot_entry_multiboot(const struct dl_boot_entry *e);
/* GRUB menu path of entries[idx] ("2", "1>0") into buf; returns buf. */
char *dl_boot_entry_path(const struct dl_boot_config *cfg, int idx, char *buf, size_t size);
/* pygrub's flattened index of a leaf (position among all non-submenu
 * entries in file order), -1 for a submenu or a bad index. */
int dl_boot_flat_index(const struct dl_boot_config *cfg, int idx);

/* "No configuration" fallback: the newest vmlinuz-V in /boot (or in / when
 * /boot is a separate volume) with the initrd of the same version
 * (initrd.img-V, initramfs-V.img, initrd-V, initrd-V.img; never another
 * version), else /vmlinuz + /initrd.img.  Builds a one-entry config of
 * format "fallback".  0, DL_NOT_MINE (no kernel), -1 error.  The caller
 * says so in a warning. */
int dl_boot_fallback(const struct dl_boot_io *io, struct dl_boot_config *cfg,
		     struct dl_error *err);

/* UAPI version comparison (uapi-group specs/version_format_specification.md):
 * <0, 0, >0 like strcmp. */
int dl_vercmp(const char *a, const char *b);

/* domUloader's --entry=[dev:]kernel[,initrd] (src/boot/domu.c). */
struct dl_domu_entry {
	char *dev;       /* "xvda2" (a leading /dev/ removed), or NULL */
	char *kernel;    /* absolute */
	char *initrd;    /* absolute, or NULL */
};
/* Does s look like a domUloader entry rather than a title/index?  A path
 * ("/boot/vmlinuz...") or "dev:path" with a device-like dev. */
bool dl_domu_entry_like(const char *s);
int dl_domu_entry_parse(const char *s, struct dl_domu_entry *out, struct dl_error *err);
void dl_domu_entry_free(struct dl_domu_entry *e);

/* Unified kernel images (uki.c): where a PE image's .linux, .initrd,
 * .cmdline, .osrel and .uname sections are in its file. */
enum { DL_UKI_LINUX, DL_UKI_INITRD, DL_UKI_CMDLINE, DL_UKI_OSREL, DL_UKI_UNAME, DL_UKI_NSECTIONS };
#define DL_UKI_HEADER 65536   /* bytes read for the section table */
struct dl_uki_section {
	bool present;
	uint32_t off, size;   /* in the file */
};
struct dl_uki {
	struct dl_uki_section s[DL_UKI_NSECTIONS];
};
/* buf: the first len bytes of a file of file_size bytes.  0 when it is a
 * PE image with a .linux section (*out filled; the default profile's
 * sections of a multi-profile UKI), DL_NOT_MINE when it is no PE image or
 * has no .linux, a negative errno with err set when its section table is
 * broken or a section lies past the end of the file. */
int dl_uki_parse(const uint8_t *buf, size_t len, uint64_t file_size, struct dl_uki *out,
		 struct dl_error *err);
const char *dl_uki_section_name(int k);

/* GRUB's environment block (grubenv.c): its signature line, and
 * save_env's edit of a block of len bytes in place (grub_envblk_set, or
 * grub_envblk_delete when value is NULL, of grub-core/lib/envblk.c), the
 * size kept.  false when the block is broken or too small for the value
 * (GRUB's "environment block too small"); buf may then be changed. */
#define DL_GRUBENV_SIG "# GRUB Environment Block\n"
#define DL_GRUBENV_SIGLEN (sizeof(DL_GRUBENV_SIG) - 1)
bool dl_grubenv_set(char *buf, size_t len, const char *name, const char *value);

#endif
