/* xl DISKSPEC parser: a re-implementation of Xen's libxlu_disk_l.l.
 * Hand-written: libxlutil (Debian's libxen-dev) has this lexer, but its
 * xlu_disk_parse() fills a libxl_device_disk, which ties the build to one
 * Xen release's libxenlight and its libraries (domuloader also serves xend
 * and libvirt hosts), and it rejects xend's shared access "w!".
 *
 * flex picks the longest match at each position, ties going to the earlier
 * rule, and trailing context ("/.*") counts toward the length.  So the
 * whitespace rule and the deprecated-prefix rules, whose trailing context is
 * the rest of the string, beat every other rule where they match; the
 * keyword rules beat the positional rule on equal length.  lex_token()
 * reproduces that order. */
#include "domcfg/domcfg.h"

#include <string.h>

struct dpc {
	struct dl_domdisk *d;
	bool had_depr_prefix;
	bool access_set;
	bool readwrite_set;
	bool readwrite;
	bool shared;
	bool target_set;   /* pdev_path non-NULL (may be "") */
	bool vdev_set;
	int xend;
	struct dl_error *err;
	const char *spec;
};

static int derr(struct dpc *c, const char *tok, size_t n, const char *what)
{
	return dl_fail(c->err, DL_ESYNTAX, "disk spec '%s': %s (at '%.*s')", c->spec, what,
		       (int)DL_MIN(n, (size_t)64), tok);
}

/* savestring(): respecifying is an error unless the old value was empty. */
static int save(struct dpc *c, char **slot, bool *set, const char *v, size_t n, const char *what)
{
	if (set ? *set : *slot != NULL) {
		if (*slot && (*slot)[0])
			return derr(c, v, n, what);
		free(*slot);
	}
	*slot = dl_strndup(v, n);
	if (set)
		*set = true;
	return 0;
}

static bool streqn(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && !memcmp(s, lit, n);
}

static int setformat(struct dpc *c, const char *s, size_t n)
{
	enum dl_dformat f;
	if (n == 0 || streqn(s, n, "raw"))
		f = DL_DFMT_RAW;
	else if (streqn(s, n, "qcow"))
		f = DL_DFMT_QCOW;
	else if (streqn(s, n, "qcow2"))
		f = DL_DFMT_QCOW2;
	else if (streqn(s, n, "vhd"))
		f = DL_DFMT_VHD;
	else if (streqn(s, n, "empty"))
		f = DL_DFMT_EMPTY;
	else if (streqn(s, n, "qed"))
		f = DL_DFMT_QED;
	else
		return derr(c, s, n, "unknown value for format");
	if (c->d->format != DL_DFMT_UNSET && c->d->format != f)
		return derr(c, s, n, "format respecified");
	c->d->format = f;
	return 0;
}

static int setaccess(struct dpc *c, const char *s, size_t n)
{
	if (n == 0 || streqn(s, n, "rw") || streqn(s, n, "w")) {
		c->readwrite = true;
		c->shared = false;
	} else if (streqn(s, n, "r") || streqn(s, n, "ro")) {
		c->readwrite = false;
		c->shared = false;
	} else if (c->xend && (streqn(s, n, "w!") || streqn(s, n, "!"))) {
		c->readwrite = true;
		c->shared = true;
	} else {
		return derr(c, s, n, "unknown value for access");
	}
	c->readwrite_set = true;
	return 0;
}

static int setbackendtype(struct dpc *c, const char *s, size_t n)
{
	if (!(streqn(s, n, "phy") || streqn(s, n, "tap") || streqn(s, n, "qdisk") ||
	      streqn(s, n, "standalone")))
		return derr(c, s, n, "unknown value for backendtype");
	free(c->d->backendtype);
	c->d->backendtype = dl_strndup(s, n);
	return 0;
}

/* "<vdev>:<devtype>": 1 if it was (vdev/cdrom set), 0 if no colon, or a
 * negative errno. */
static int vdev_and_devtype(struct dpc *c, const char *s, size_t n)
{
	const char *colon = NULL;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ':')
			colon = s + i;
	if (!colon)
		return 0;
	int r = save(c, &c->d->vdev, &c->vdev_set, s, (size_t)(colon - s), "vdev respecified");
	if (r < 0)
		return r;
	size_t tn = n - (size_t)(colon + 1 - s);
	if (streqn(colon + 1, tn, "cdrom"))
		c->d->cdrom = true;
	else if (streqn(colon + 1, tn, "disk"))
		c->d->cdrom = false;
	else
		return derr(c, colon + 1, tn, "unknown deprecated type");
	return 1;
}

static bool is_lower(int ch) { return ch >= 'a' && ch <= 'z'; }
static bool is_digit(int ch) { return ch >= '0' && ch <= '9'; }
static bool is_ws(int ch) { return ch == ' ' || ch == '\t' || ch == '\n'; }

/* Length of "lit" + [^,]* + ",?" at p, 0 if p does not start with lit. */
static size_t kw_len(const char *p, size_t rem, const char *lit, size_t *vstart, size_t *vlen)
{
	size_t l = strlen(lit);
	if (rem < l || memcmp(p, lit, l))
		return 0;
	size_t i = l;
	while (i < rem && p[i] != ',')
		i++;
	*vstart = l;
	*vlen = i - l;
	return i < rem ? i + 1 : i;
}

/* Flag "lit" + ",?" */
static size_t flag_len(const char *p, size_t rem, const char *lit)
{
	size_t l = strlen(lit);
	if (rem < l || memcmp(p, lit, l))
		return 0;
	return (l < rem && p[l] == ',') ? l + 1 : l;
}

enum kw {
	KW_FORMAT, KW_CDROM, KW_DEVTYPE_CDROM, KW_DEVTYPE_DISK, KW_DEVTYPE_BAD, KW_ACCESS,
	KW_BACKEND, KW_BACKENDTYPE, KW_VDEV, KW_SCRIPT, KW_DIRECTIO, KW_DISCARD, KW_NODISCARD,
	KW_COLO, KW_NOCOLO, KW_COLOHOST, KW_COLOPORT, KW_COLOEXPORT, KW_ACTIVE, KW_HIDDEN,
	KW_TRUSTED, KW_UNTRUSTED, KW_GRANT1, KW_GRANT0, KW_SPECXEN, KW_SPECVIRTIO, KW_SPECBAD,
	KW_COUNT
};

static const struct {
	const char *lit;
	bool value;   /* key=[^,]*,? vs flag,? */
} kws[KW_COUNT] = {
	[KW_FORMAT] = { "format=", true },
	[KW_CDROM] = { "cdrom", false },
	[KW_DEVTYPE_CDROM] = { "devtype=cdrom", false },
	[KW_DEVTYPE_DISK] = { "devtype=disk", false },
	[KW_DEVTYPE_BAD] = { "devtype=", true },
	[KW_ACCESS] = { "access=", true },
	[KW_BACKEND] = { "backend=", true },
	[KW_BACKENDTYPE] = { "backendtype=", true },
	[KW_VDEV] = { "vdev=", true },
	[KW_SCRIPT] = { "script=", true },
	[KW_DIRECTIO] = { "direct-io-safe", false },
	[KW_DISCARD] = { "discard", false },
	[KW_NODISCARD] = { "no-discard", false },
	[KW_COLO] = { "colo", false },
	[KW_NOCOLO] = { "no-colo", false },
	[KW_COLOHOST] = { "colo-host=", true },
	[KW_COLOPORT] = { "colo-port=", true },
	[KW_COLOEXPORT] = { "colo-export=", true },
	[KW_ACTIVE] = { "active-disk=", true },
	[KW_HIDDEN] = { "hidden-disk=", true },
	[KW_TRUSTED] = { "trusted", false },
	[KW_UNTRUSTED] = { "untrusted", false },
	[KW_GRANT1] = { "grant_usage=1", false },
	[KW_GRANT0] = { "grant_usage=0", false },
	[KW_SPECXEN] = { "specification=xen", false },
	[KW_SPECVIRTIO] = { "specification=virtio", false },
	[KW_SPECBAD] = { "specification=", true },
};

/* Deprecated prefixes, in rule order.  script: the block-<name> script. */
static const struct {
	const char *lit;
	int kind;  /* 0 ignored, 1 format, 2 script */
} prefixes[] = {
	{ "raw:", 1 }, { "qcow2:", 1 }, { "qcow:", 1 }, { "vhd:", 1 },
	{ "iscsi:", 2 }, { "nbd:", 2 }, { "enbd:", 2 }, { "drbd:", 2 },
	{ "tapdisk:", 0 }, { "tap2:", 0 }, { "tap:", 0 }, { "aio:", 0 }, { "ioemu:", 0 },
	{ "file:", 0 }, { "phy:", 0 },
};

static int positional(struct dpc *c, const char *s, size_t n)
{
	struct dl_domdisk *d = c->d;
	if (!c->target_set)
		return save(c, &d->target, &c->target_set, s, n, "target respecified");
	if (!c->had_depr_prefix && d->format == DL_DFMT_UNSET) {
		if (d->target && !d->target[0]) {
			int r = vdev_and_devtype(c, s, n);
			if (r < 0)
				return r;
			if (r > 0) {
				d->format = DL_DFMT_EMPTY;
				return 0;
			}
		}
		return setformat(c, s, n);
	}
	if (!c->vdev_set) {
		int r = vdev_and_devtype(c, s, n);
		if (r < 0)
			return r;
		if (r == 0)
			return save(c, &d->vdev, &c->vdev_set, s, n, "vdev respecified");
		return 0;
	}
	if (!c->access_set) {
		c->access_set = true;
		return setaccess(c, s, n);
	}
	return derr(c, s, n, "too many positional parameters");
}

static int keyword(struct dpc *c, enum kw k, const char *v, size_t vn)
{
	struct dl_domdisk *d = c->d;
	switch (k) {
	case KW_FORMAT: return setformat(c, v, vn);
	case KW_CDROM: case KW_DEVTYPE_CDROM: d->cdrom = true; return 0;
	case KW_DEVTYPE_DISK: d->cdrom = false; return 0;
	case KW_DEVTYPE_BAD: return derr(c, v, vn, "unknown value for type");
	case KW_ACCESS: return setaccess(c, v, vn);
	case KW_BACKEND: return 0;
	case KW_BACKENDTYPE: return setbackendtype(c, v, vn);
	case KW_VDEV: return save(c, &d->vdev, &c->vdev_set, v, vn, "vdev respecified");
	case KW_SCRIPT: return save(c, &d->script, NULL, v, vn, "script respecified");
	case KW_SPECBAD: return derr(c, v, vn, "unknown value for specification");
	default: return 0;  /* accepted, not boot-relevant */
	}
}

/* The longest keyword rule matching at p, ties to the earlier rule: its
 * length (0 for none), with its value at p[*vs, *vs + *vn). */
static size_t match_keyword(const char *p, size_t rem, enum kw *kw, size_t *vs, size_t *vn)
{
	size_t best = 0;
	for (int k = 0; k < KW_COUNT; k++) {
		size_t s = 0, n = 0;
		size_t l = kws[k].value ? kw_len(p, rem, kws[k].lit, &s, &n) : flag_len(p, rem, kws[k].lit);
		if (l > best) {
			best = l;
			*kw = (enum kw)k;
			*vs = s;
			*vn = n;
		}
	}
	return best;
}

/* [a-z][-a-z0-9]*=[^,],? (an unknown parameter): its length, or 0 */
static size_t unknown_param_len(const char *p, size_t rem)
{
	if (!is_lower(*p))
		return 0;
	size_t j = 1;
	while (j < rem && (is_lower(p[j]) || is_digit(p[j]) || p[j] == '-'))
		j++;
	if (j + 1 < rem && p[j] == '=' && p[j + 1] != ',')
		return (j + 2 < rem && p[j + 2] == ',') ? j + 3 : j + 2;
	return 0;
}

/* A deprecated prefix ("phy:", "tap:aio:"...) at p: its length, 0 if
 * none, or a negative errno. */
static int deprecated_prefix(struct dpc *c, const char *p, size_t rem)
{
	for (size_t k = 0; k < DL_ARRAY_SIZE(prefixes); k++) {
		size_t l = strlen(prefixes[k].lit);
		if (rem < l || memcmp(p, prefixes[k].lit, l))
			continue;
		c->had_depr_prefix = true;
		int r = 0;
		if (prefixes[k].kind == 1) {
			r = setformat(c, p, l - 1);
		} else if (prefixes[k].kind == 2) {
			_cleanup_free_ char *sc = dl_asprintf("block-%.*s", (int)(l - 1), p);
			r = save(c, &c->d->script, NULL, sc, strlen(sc), "script respecified");
		} else if (!c->d->driver) {
			c->d->driver = dl_strndup(p, l - 1);
			if (!strcmp(c->d->driver, "phy"))
				c->d->block = true;
		}
		return r < 0 ? r : (int)l;
	}
	/* [a-z][a-z0-9]*:/([^a-z0-9].*)? that is no prefix we know */
	if (is_lower(*p)) {
		size_t j = 1;
		while (j < rem && (is_lower(p[j]) || is_digit(p[j])))
			j++;
		if (j < rem && p[j] == ':' &&
		    (j + 1 == rem || !(is_lower(p[j + 1]) || is_digit(p[j + 1]))))
			return derr(c, p, j + 1, "unknown deprecated disk prefix");
	}
	return 0;
}

/* One token at p that is not blank: its length, or a negative errno. */
static long lex_token(struct dpc *c, const char *p, size_t rem)
{
	enum kw kw = KW_FORMAT;
	size_t vs = 0, vn = 0;
	size_t best = match_keyword(p, rem, &kw, &vs, &vn);
	/* target=.* : the rest of the line ('.' stops at a newline), one
	 * trailing ',' stripped */
	if (rem >= 7 && !memcmp(p, "target=", 7)) {
		size_t ml = 7;
		while (ml < rem && p[ml] != '\n')
			ml++;
		size_t n = ml - 7;
		if (n && p[7 + n - 1] == ',')
			n--;
		int r = save(c, &c->d->target, &c->target_set, p + 7, n, "target respecified");
		return r < 0 ? r : (long)ml;
	}
	size_t ulen = unknown_param_len(p, rem);
	/* the prefixes' trailing context is the whole rest: they win where
	 * they match, except over target=, which comes first */
	int pl = deprecated_prefix(c, p, rem);
	if (pl != 0)
		return pl;
	/* positional: [^=,]*,|[^=,]+,? */
	size_t j = 0;
	while (j < rem && p[j] != '=' && p[j] != ',')
		j++;
	size_t plen = j < rem && p[j] == ',' ? j + 1 : j;
	if (ulen > best && ulen > plen)
		return derr(c, p, ulen, "unknown parameter");
	if (best && best >= plen) {
		int r = keyword(c, kw, p + vs, vn);
		return r < 0 ? r : (long)best;
	}
	if (plen == 0)
		return derr(c, p, rem, "bad disk syntax");
	int r = positional(c, p, j);
	return r < 0 ? r : (long)plen;
}

/* flex's rules of libxlu_disk_l.l, in its order of preference (see the top). */
static int lex(struct dpc *c, const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		if (is_ws(s[i])) {           /* [ \t\n]+/(...)? : whole rest */
			i++;
			continue;
		}
		long n = lex_token(c, s + i, len - i);
		if (n < 0)
			return (int)n;
		i += (size_t)n;
	}
	return 0;
}

int dl_xldisk_parse(struct dl_domdisk *d, const char *spec, size_t len, int xend,
		    struct dl_error *err)
{
	memset(d, 0, sizeof(*d));
	if (len > DL_DOMCFG_MAX_SPEC)
		return dl_fail(err, DL_ELIMIT, "disk spec longer than %u bytes", DL_DOMCFG_MAX_SPEC);
	if (memchr(spec, '\0', len))
		return dl_fail(err, DL_ESYNTAX, "disk spec contains a NUL byte");
	char *copy = dl_strndup(spec, len);
	struct dpc c = { .d = d, .xend = xend, .err = err, .spec = copy, .readwrite = true };
	int r = lex(&c, copy, len);
	if (r == 0) {
		if (d->format == DL_DFMT_UNSET)
			d->format = DL_DFMT_RAW;
		if (d->cdrom && (!d->target || !d->target[0]))
			d->format = DL_DFMT_EMPTY;
		if (!d->vdev)
			r = dl_fail(err, DL_ESYNTAX, "disk spec '%s': no vdev specified", copy);
		else if (!d->cdrom && (!d->target || !d->target[0]))
			r = dl_fail(err, DL_ESYNTAX, "disk spec '%s': no target specified", copy);
	}
	if (r == 0) {
		if (d->cdrom)
			d->access = DL_ACCESS_RO;
		else
			d->access = !c.readwrite ? DL_ACCESS_RO : c.shared ? DL_ACCESS_SHARED : DL_ACCESS_RW;
		if (d->target && !d->target[0]) {
			free(d->target);
			d->target = NULL;
		}
	}
	free(copy);
	if (r)
		dl_domdisk_clear(d);
	return r;
}

char *dl_xldisk_format(const struct dl_domdisk *d)
{
	struct dl_sbuf b = { 0 };
	enum dl_dformat f = d->format;
	if (f == DL_DFMT_UNSET || f == DL_DFMT_OTHER)
		f = DL_DFMT_RAW;
	if (f != DL_DFMT_EMPTY)
		dl_sbuf_printf(&b, "format=%s, ", dl_dformat_name(f));
	dl_sbuf_printf(&b, "vdev=%s, access=%s", d->vdev ? d->vdev : "",
		       d->cdrom || d->access == DL_ACCESS_RO ? "ro" : "rw");
	if (d->backendtype)
		dl_sbuf_printf(&b, ", backendtype=%s", d->backendtype);
	if (d->script)
		dl_sbuf_printf(&b, ", script=%s", d->script);
	if (d->cdrom)
		dl_sbuf_adds(&b, ", devtype=cdrom");
	/* the lexer strips one trailing ',' from target=: double a final one */
	const char *t = d->target ? d->target : "";
	size_t tl = strlen(t);
	dl_sbuf_printf(&b, ", target=%s%s", t, tl && t[tl - 1] == ',' ? "," : "");
	return dl_sbuf_take(&b);
}

/* ---- --disks lists ---- */

static int push_disk(struct dl_domdisk **disks, size_t *n, size_t *cap, const char *s, size_t len,
		     struct dl_error *err)
{
	if (*n >= DL_DOMCFG_MAX_DISKS)
		return dl_fail(err, DL_ELIMIT, "--disks: more than %d disks", DL_DOMCFG_MAX_DISKS);
	struct dl_domdisk d;
	int r = dl_xldisk_parse(&d, s, len, 1, err);
	if (r < 0)
		return r;
	struct dl_domdisk *slot = dl_array_push(disks, n, cap, sizeof(d));
	*slot = d;
	return 0;
}

int dl_xldisk_parse_list(struct dl_domdisk **disks, size_t *ndisks, const char *s,
			 struct dl_error *err)
{
	size_t cap = *ndisks;
	const char *p = s;
	while (is_ws(*p) || *p == '\r')
		p++;
	if (*p == '[') {
		/* Python list of quoted strings */
		p++;
		for (;;) {
			while (is_ws(*p) || *p == '\r' || *p == ',')
				p++;
			if (*p == ']') {
				p++;
				break;
			}
			if (*p != '\'' && *p != '"')
				return dl_fail(err, DL_EUSAGE, "--disks: expected a quoted disk spec at '%.20s'", p);
			const char *e = strchr(p + 1, *p);
			if (!e)
				return dl_fail(err, DL_EUSAGE, "--disks: unterminated string");
			int r = push_disk(disks, ndisks, &cap, p + 1, (size_t)(e - p - 1), err);
			if (r < 0)
				return r;
			p = e + 1;
		}
		while (is_ws(*p) || *p == '\r')
			p++;
		if (*p)
			return dl_fail(err, DL_EUSAGE, "--disks: text after the list: '%.20s'", p);
		return 0;
	}
	while (*p) {
		const char *st = p;
		/* a spec ends at whitespace not preceded by ',' */
		while (*p) {
			if ((is_ws(*p) || *p == '\r') && p > st && p[-1] != ',')
				break;
			p++;
		}
		size_t l = (size_t)(p - st);
		while (l && (is_ws(st[l - 1]) || st[l - 1] == '\r'))
			l--;
		int r = l ? push_disk(disks, ndisks, &cap, st, l, err) : 0;
		if (r < 0)
			return r;
		while (is_ws(*p) || *p == '\r')
			p++;
	}
	return 0;
}
