/* Helpers shared by the boot configuration parsers (not a public API). */
#ifndef DL_BOOT_INTERNAL_H
#define DL_BOOT_INTERNAL_H

#include "boot/boot.h"

/* The line at *pos of buf: its start in *start, its length (without the
 * newline) returned; *pos moves past the newline. */
static inline size_t dl_next_line(const char *buf, size_t len, size_t *pos, size_t *start)
{
	size_t s = *pos, i = s;
	while (i < len && buf[i] != '\n')
		i++;
	*start = s;
	*pos = i < len ? i + 1 : i;
	return i - s;
}

/* ---- config.c: building a struct dl_boot_config ---- */

void dl_cfg_init(struct dl_boot_config *cfg, const char *format, const char *path);
/* Append a new zeroed entry (parent -1); NULL with err set (DL_ELIMIT,
 * "name:line: ...": the caller returns -E2BIG) when the
 * DL_BOOT_MAX_ENTRIES cap is reached. */
struct dl_boot_entry *dl_cfg_add_entry(struct dl_boot_config *cfg, const char *name, int line,
				       struct dl_error *err);
void dl_entry_free(struct dl_boot_entry *e);
/* Append entry idx (a submenu: its first leaf) to cfg's fallback list,
 * unless it is out of range, already there, or the list is full. */
#define DL_BOOT_MAX_FALLBACKS 64
void dl_cfg_add_fallback(struct dl_boot_config *cfg, int idx);
void dl_path_free(struct dl_boot_path *p);
/* Fill p from dev/path strings; dev equal to self is stored as NULL. */
void dl_path_set(struct dl_boot_path *p, const char *dev, const char *path, const char *dir,
		 const char *self);
void dl_entry_add_initrd(struct dl_boot_entry *e, const char *dev, const char *path,
			 const char *dir, const char *self);
void dl_entry_add_module(struct dl_boot_entry *e, const char *dev, const char *path,
			 const char *args, const char *dir, const char *self);

/* ---- path.c: guest paths ---- */

/* Normalise path (collapse "//" and ".", resolve ".." lexically, leading
 * '/'); relative paths are taken relative to dir (NULL = "/"). */
char *dl_path_norm(const char *dir, const char *path);
/* Split "(dev)path" into dev (NULL if absent) and path; malloc'd. */
void dl_path_split_dev(const char *s, char **dev, char **path);
/* Directory part of a path ("/boot/grub/grub.cfg" -> "/boot/grub"). */
char *dl_dirname(const char *path);
/* Read a file through io, capped at DL_BOOT_MAX_FILE.  0, DL_ABSENT, or a
 * negative errno with err set; *buf is NULL unless 0 is returned. */
int dl_io_read(const struct dl_boot_io *io, const char *dev, const char *path, char **buf,
	       size_t *len, struct dl_error *err);

/* ---- entries.c: the menu tree ---- */

/* Number of leaves (entries that are not submenus). */
size_t dl_cfg_leaves(const struct dl_boot_config *cfg);
/* Resolve a GRUB default/--entry path "a>b>c" (each component an index,
 * an id or a title) among the children of the top level.  Returns the
 * entry index (possibly a submenu) or -1. */
int dl_cfg_resolve_path(const struct dl_boot_config *cfg, const char *spec);
/* First bootable-or-not leaf at or below idx (descending into submenus). */
int dl_cfg_first_leaf(const struct dl_boot_config *cfg, int idx);

/* ---- bls.c: Boot Loader Specification entries ---- */

/* Whose rules a directory of entries is read by. */
enum dl_bls_order {
	DL_BLS_UAPI,   /* systemd-boot, the UAPI spec: sort-key, machine-id, version, id */
	DL_BLS_GRUB,   /* GRUB's blscfg: file name as name-version-release, newest first */
};

/* One parsed entry file. */
struct dl_bls_entry {
	char *id;          /* file name without .conf and boot counter (GRUB: counter kept) */
	char *fname;
	char *title, *version, *machine_id, *sort_key, *linux, *architecture;
	char **initrds;
	size_t ninitrds;
	char *options;     /* all options lines joined with ' ' (GRUB: the first) */
	bool has_options;  /* an options line was seen */
	bool grub;         /* read as GRUB's blscfg reads it */
	bool bad;          /* boot counter +0 */
	bool uki;          /* a type #2 entry: a unified kernel image in EFI/Linux */
	int tries_left, tries_done;
};
/* Parse one entry file's bytes into e (fields malloc'd).  0, or a
 * negative errno with err set and e freed. */
int dl_bls_parse_entry(const char *fname, const char *buf, size_t len, struct dl_bls_entry *e,
		       struct dl_error *err);
/* The same as read by order's loader (GRUB: first line of a key wins, a
 * line without a value ends the file, id keeps the boot counter). */
int dl_bls_parse_entry_as(enum dl_bls_order order, const char *fname, const char *buf,
			  size_t len, struct dl_bls_entry *e, struct dl_error *err);
void dl_bls_entry_free(struct dl_bls_entry *e);
/* Free n entries and the array holding them. */
void dl_bls_entries_free(struct dl_bls_entry *v, size_t n);
/* Load every *.conf of dir on dev in order's order (GRUB also drops an
 * entry whose name compares equal to one read before, as blscfg's
 * bls_add_entry does); *out malloc'd.  0 (possibly n == 0) or a negative
 * errno. */
int dl_bls_load_dir(const struct dl_boot_io *io, const char *dev, const char *dir,
		    enum dl_bls_order order, struct dl_bls_entry **out, size_t *n,
		    struct dl_error *err);
/* GRUB blscfg's bls_cmp: 1 when a's file name is the newer package
 * name-version-release, 0, -1. */
int dl_bls_grub_cmp(const char *a, const char *b);
/* rpm's rpmvercmp as blscfg carries it: 1 when a is newer, 0, -1. */
int dl_rpmvercmp(const char *a, const char *b);
/* $var/${var} in BLS values, looked up through lookup (NULL = empty). */
typedef const char *(*dl_var_lookup)(void *ctx, const char *name);
/* Append BLS entries to cfg under parent/depth with $vars expanded.  0,
 * or -E2BIG at the cap on entries. */
int dl_bls_add_entries(struct dl_boot_config *cfg, const struct dl_bls_entry *v, size_t n,
		       int parent, int depth, const char *dev, const char *self,
		       dl_var_lookup lookup, void *ctx, const char *name,
		       struct dl_error *err);

/* ---- grubenv.c ---- */

/* grubenv ("# GRUB Environment Block"): calls set(ctx, name, value) per
 * variable.  A negative errno with err set when the signature is wrong. */
int dl_grubenv_parse(const char *name, const char *buf, size_t len,
		     void (*set)(void *ctx, const char *name, const char *value), void *ctx,
		     struct dl_error *err);

#endif
