/* /etc/fstab (fstab(5)): a pure parser over the file's bytes and the
 * lookups of a mount point.  Each line is "spec mountpoint [type
 * [options [dump [pass]]]]" with \NNN octal escapes; the spec is parsed
 * with the one volume-name parser (src/part/spec.c). */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "boot/internal.h"
#include "guest/fstab.h"

#define FSTAB_MAX_LINE 4096

void dl_fstab_free(struct dl_fstab *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		struct dl_fstab_entry *e = &fs->entries[i];
		free(e->spec);
		free(e->mountpoint);
		free(e->fstype);
		free(e->options);
		free(e->subvol);
	}
	free(fs->entries);
	memset(fs, 0, sizeof(*fs));
}

/* decode \NNN octal escapes (\040 for a space) */
static char *unescape(const char *s, size_t n)
{
	char *o = dl_malloc(n + 1), *q = o;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			*q++ = (char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 3;
		} else {
			*q++ = s[i];
		}
	}
	*q = '\0';
	return o;
}

/* The whitespace-separated fields of line [s, e), at most 6; 0 for a blank
 * or comment line. */
static int split_fields(const char *buf, size_t s, size_t e, const char *f[6], size_t fl[6])
{
	int nf = 0;
	size_t p = s;
	while (p < e && nf < 6) {
		while (p < e && isspace((unsigned char)buf[p]))
			p++;
		if (p >= e || (nf == 0 && buf[p] == '#'))
			break;
		f[nf] = buf + p;
		while (p < e && !isspace((unsigned char)buf[p]))
			p++;
		fl[nf] = (size_t)(buf + p - f[nf]);
		nf++;
	}
	return nf;
}

/* fstab(5) names a device by a tag or by a /dev path; anything else
 * (tmpfs, proc, host:/export, //server/share) is no volume of the guest. */
static void parse_spec(struct dl_fstab_entry *ent)
{
	dl_volspec_parse(ent->spec, &ent->vol);
	if (!dl_volspec_tag(ent->vol.kind) && strncmp(ent->spec, "/dev/", 5))
		ent->vol.kind = DL_VOLSPEC_NONE;
}

/* btrfs subvol=/@/boot or subvol=@, subvolid=256; the last of each wins.
 * subvolid=0 is the top level (5), as Linux's btrfs reads it. */
static void parse_options(struct dl_fstab_entry *ent)
{
	_cleanup_free_ char *opts = dl_strdup(ent->options);
	char *save = NULL;
	for (char *t = strtok_r(opts, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (!strncmp(t, "subvol=", 7)) {
			const char *v = t + 7;
			while (*v == '/')
				v++;
			free(ent->subvol);
			ent->subvol = dl_strdup(v);
		} else if (!strncmp(t, "subvolid=", 9)) {
			uint64_t id;
			if (t[9] >= '0' && t[9] <= '9' && dl_parse_u64(t + 9, &id) == 0)
				ent->subvolid = id ? id : 5;
		}
	}
}

static void add_entry(struct dl_fstab *out, int line, const char *f[6], const size_t fl[6], int nf)
{
	struct dl_fstab_entry *ent = dl_array_push(&out->entries, &out->n, &out->cap, sizeof(*ent));
	ent->line = line;
	ent->spec = unescape(f[0], fl[0]);
	parse_spec(ent);
	char *mp = unescape(f[1], fl[1]);
	if (mp[0] == '/') {
		ent->mountpoint = dl_path_norm(NULL, mp);
		free(mp);
	} else {
		ent->mountpoint = mp;
	}
	ent->fstype = nf > 2 ? unescape(f[2], fl[2]) : dl_strdup("auto");
	ent->options = nf > 3 ? unescape(f[3], fl[3]) : dl_strdup("defaults");
	parse_options(ent);
}

int dl_fstab_parse(const char *name, const char *buf, size_t len, struct dl_fstab *out,
		   struct dl_error *err)
{
	memset(out, 0, sizeof(*out));
	if (len > DL_BOOT_MAX_FILE)
		return dl_fail(err, DL_ELIMIT, "%s: larger than %u bytes", name, DL_BOOT_MAX_FILE);
	size_t i = 0;
	int line = 0;
	while (i < len) {
		size_t s;
		line++;
		size_t e = dl_next_line(buf, len, &i, &s);
		e += s;
		if (e - s > FSTAB_MAX_LINE) {
			dl_warn("%s:%d: line longer than %d bytes ignored", name, line, FSTAB_MAX_LINE);
			continue;
		}
		const char *f[6];
		size_t fl[6];
		int nf = split_fields(buf, s, e, f, fl);
		if (nf == 0)
			continue;
		if (nf < 2) {
			dl_warn("%s:%d: fewer than 2 fields, line ignored", name, line);
			continue;
		}
		if (out->n >= DL_FSTAB_MAX_ENTRIES) {
			dl_fstab_free(out);
			return dl_fail(err, DL_ELIMIT, "%s:%d: more than %d entries", name, line,
				       DL_FSTAB_MAX_ENTRIES);
		}
		add_entry(out, line, f, fl, nf);
	}
	return 0;
}

static bool mountable(const struct dl_fstab_entry *e)
{
	return e->vol.kind != DL_VOLSPEC_NONE && e->mountpoint[0] == '/' &&
	       strcmp(e->fstype, "swap") && strcmp(e->fstype, "none");
}

const struct dl_fstab_entry *dl_fstab_find(const struct dl_fstab *fs, const char *mountpoint)
{
	const struct dl_fstab_entry *r = NULL;
	for (size_t i = 0; i < fs->n; i++)
		if (mountable(&fs->entries[i]) && !strcmp(fs->entries[i].mountpoint, mountpoint))
			r = &fs->entries[i];   /* the last mount over a point wins */
	return r;
}

const struct dl_fstab_entry *dl_fstab_lookup(const struct dl_fstab *fs, const char *path,
					     const char **rest)
{
	const struct dl_fstab_entry *best = NULL;
	size_t bl = 0;
	for (size_t i = 0; i < fs->n; i++) {
		const struct dl_fstab_entry *e = &fs->entries[i];
		if (!mountable(e))
			continue;
		size_t ml = strlen(e->mountpoint);
		bool match;
		if (ml == 1)
			match = path[0] == '/';
		else
			match = !strncmp(path, e->mountpoint, ml) && (path[ml] == '/' || !path[ml]);
		if (match && (!best || ml >= bl)) {
			best = e;
			bl = ml;
		}
	}
	if (best && rest) {
		const char *r = bl == 1 ? path : path + bl;
		*rest = *r ? r : "/";
	}
	return best;
}
