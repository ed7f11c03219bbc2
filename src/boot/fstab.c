/* /etc/fstab (fstab(5)), domUloader entries, and the no-config fallback. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "boot/fstab.h"
#include "boot/internal.h"

#define FSTAB_MAX_LINE 4096

void dl_fstab_free(struct dl_fstab *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		struct dl_fstab_entry *e = &fs->entries[i];
		free(e->spec);
		free(e->value);
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

static bool prefix_ci(const char *s, const char *p)
{
	return strncasecmp(s, p, strlen(p)) == 0;
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
		struct dl_fstab_entry *ent = dl_array_push(&out->entries, &out->n, &out->cap,
							   sizeof(*ent));
		ent->line = line;
		ent->spec = unescape(f[0], fl[0]);
		char *mp = unescape(f[1], fl[1]);
		if (mp[0] == '/') {
			ent->mountpoint = dl_path_norm(NULL, mp);
			free(mp);
		} else {
			ent->mountpoint = mp;
		}
		ent->fstype = nf > 2 ? unescape(f[2], fl[2]) : dl_strdup("auto");
		ent->options = nf > 3 ? unescape(f[3], fl[3]) : dl_strdup("defaults");
		static const struct {
			const char *p;
			enum dl_fstab_spec k;
		} tags[] = {{"UUID=", DL_SPEC_UUID}, {"LABEL=", DL_SPEC_LABEL},
			    {"PARTUUID=", DL_SPEC_PARTUUID}, {"PARTLABEL=", DL_SPEC_PARTLABEL}};
		ent->kind = DL_SPEC_OTHER;
		for (size_t k = 0; k < DL_ARRAY_SIZE(tags); k++)
			if (prefix_ci(ent->spec, tags[k].p)) {
				const char *v = ent->spec + strlen(tags[k].p);
				size_t vl = strlen(v);
				if (vl >= 2 && (v[0] == '"' || v[0] == '\'') && v[vl - 1] == v[0])
					ent->value = dl_strndup(v + 1, vl - 2);
				else
					ent->value = dl_strdup(v);
				ent->kind = tags[k].k;
				break;
			}
		if (ent->kind == DL_SPEC_OTHER && !strncmp(ent->spec, "/dev/", 5)) {
			ent->kind = DL_SPEC_DEV;
			ent->value = dl_strdup(ent->spec);
		}
		/* btrfs subvol=/@/boot or subvol=@ */
		char *opts = dl_strdup(ent->options), *save = NULL;
		for (char *t = strtok_r(opts, ",", &save); t; t = strtok_r(NULL, ",", &save))
			if (!strncmp(t, "subvol=", 7)) {
				const char *v = t + 7;
				while (*v == '/')
					v++;
				free(ent->subvol);
				ent->subvol = dl_strdup(v);
			}
		free(opts);
	}
	return 0;
}

static bool mountable(const struct dl_fstab_entry *e)
{
	return e->kind != DL_SPEC_OTHER && e->mountpoint[0] == '/' && strcmp(e->fstype, "swap") &&
	       strcmp(e->fstype, "none");
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

/* ---- domUloader entries ---- */

static bool devlike(const char *s, size_t n)
{
	if (n > 5 && !strncmp(s, "/dev/", 5))
		s += 5, n -= 5;
	if (!n || !isalpha((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '/' && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

bool dl_domu_entry_like(const char *s)
{
	if (!s || strchr(s, ' ') || strchr(s, '\t'))
		return false;
	if (s[0] == '/')
		return true;
	const char *c = strchr(s, ':');
	return c && c[1] && devlike(s, (size_t)(c - s));
}

static char *abs_path(const char *s, size_t n)
{
	if (n && s[0] == '/')
		return dl_strndup(s, n);
	char *r = dl_malloc(n + 2);
	r[0] = '/';
	memcpy(r + 1, s, n);
	r[n + 1] = '\0';
	return r;
}

int dl_domu_entry_parse(const char *s, struct dl_domu_entry *out, struct dl_error *err)
{
	memset(out, 0, sizeof(*out));
	const char *c = strchr(s, ':');
	const char *files = s;
	if (c && !devlike(s, (size_t)(c - s))) {
		if (s[0] != '/')
			return dl_fail(err, DL_EUSAGE, "%s: malformed entry, expected [dev:]kernel[,initrd]", s);
		c = NULL;   /* a path containing ':' */
	}
	if (c) {
		const char *d = s;
		if (!strncmp(d, "/dev/", 5))
			d += 5;
		out->dev = dl_strndup(d, (size_t)(c - d));
		files = c + 1;
	}
	const char *comma = strchr(files, ',');
	size_t kn = comma ? (size_t)(comma - files) : strlen(files);
	if (kn == 0 || (comma && strchr(comma + 1, ','))) {
		dl_domu_entry_free(out);
		return dl_fail(err, DL_EUSAGE, "%s: malformed entry, expected [dev:]kernel[,initrd]", s);
	}
	out->kernel = abs_path(files, kn);
	if (comma && comma[1])
		out->initrd = abs_path(comma + 1, strlen(comma + 1));
	return 0;
}

void dl_domu_entry_free(struct dl_domu_entry *e)
{
	free(e->dev);
	free(e->kernel);
	free(e->initrd);
	memset(e, 0, sizeof(*e));
}

/* ---- no configuration: newest kernel with its own initrd ---- */

static bool has_name(char **names, size_t n, const char *want)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], want))
			return true;
	return false;
}

static int fallback_in(const struct dl_boot_io *io, const char *dir, struct dl_boot_config *cfg,
		       struct dl_error *err)
{
	char **names = NULL;
	size_t n = 0;
	struct dl_error lerr = {0};
	if (!io->list_dir || io->list_dir(io->ctx, NULL, dir, &names, &n, &lerr) != 0)
		return DL_NOT_MINE;
	const char *best = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *v = names[i];
		if (strncmp(v, "vmlinuz-", 8) || !v[8])
			continue;
		char *p = dl_asprintf("%s/%s", strcmp(dir, "/") ? dir : "", v);
		int t = io->test_file ? io->test_file(io->ctx, NULL, p, 'f') : 1;
		free(p);
		if (t != 1)
			continue;
		if (!best || dl_vercmp(v + 8, best + 8) > 0)
			best = v;
	}
	const char *kname = best, *iname = NULL;
	char *ibuf = NULL;
	if (best) {
		static const char *const pats[] = {"initrd.img-%s", "initramfs-%s.img", "initrd-%s",
						   "initrd-%s.img"};
		for (size_t k = 0; k < DL_ARRAY_SIZE(pats) && !iname; k++) {
			free(ibuf);
			ibuf = dl_asprintf(pats[k], best + 8);
			if (has_name(names, n, ibuf))
				iname = ibuf;
		}
	} else if (has_name(names, n, "vmlinuz")) {
		kname = "vmlinuz";
		iname = has_name(names, n, "initrd.img") ? "initrd.img"
			: has_name(names, n, "initrd") ? "initrd" : NULL;
	}
	int r = DL_NOT_MINE;
	if (kname) {
		char *kp = dl_asprintf("%s/%s", strcmp(dir, "/") ? dir : "", kname);
		dl_cfg_init(cfg, "fallback", dir);
		struct dl_boot_entry *e = dl_cfg_add_entry(cfg, dir, 0, err);
		e->title = dl_strdup(kname);
		e->id = dl_strdup(kname);
		e->kind = DL_ENTRY_LINUX;
		dl_path_set(&e->kernel, NULL, kp, NULL, NULL);
		e->args = dl_strdup("");
		if (iname) {
			char *ip = dl_asprintf("%s/%s", strcmp(dir, "/") ? dir : "", iname);
			dl_entry_add_initrd(e, NULL, ip, NULL, NULL);
			free(ip);
		}
		cfg->def = 0;
		free(kp);
		r = 0;
	}
	free(ibuf);
	dl_strings_free(names, n);
	return r;
}

int dl_boot_fallback(const struct dl_boot_io *io, struct dl_boot_config *cfg, struct dl_error *err)
{
	int r = fallback_in(io, "/boot", cfg, err);
	if (r == DL_NOT_MINE)
		r = fallback_in(io, "/", cfg, err);
	return r;
}
