/* Version order of the UAPI Group's version format specification
 * (uapi-group specs/version_format_specification.md), which BLS sorting
 * and the no-configuration fallback use.  Hand-written: systemd's
 * strverscmp_improved() is not exported by libsystemd. */
#include <ctype.h>
#include <string.h>

#include "boot/internal.h"

static bool vchar(char c)
{
	return isdigit((unsigned char)c) || isalpha((unsigned char)c) || c == '~' || c == '-' ||
	       c == '^' || c == '.';
}

#define CMP(a, b) (((a) > (b)) - ((a) < (b)))

/* The numeric or alphabetic run at *a and *b: <0, 0, >0; both advance. */
static int cmp_run(const char **pa, const char **pb)
{
	const char *a = *pa, *b = *pb, *aa, *bb;
	int r = 0;
	if (isdigit((unsigned char)*a) || isdigit((unsigned char)*b)) {
		for (aa = a; isdigit((unsigned char)*aa); aa++)
			;
		for (bb = b; isdigit((unsigned char)*bb); bb++)
			;
		if ((r = CMP(a != aa, b != bb)))
			return r;
		while (*a == '0')
			a++;
		while (*b == '0')
			b++;
		if (!(r = CMP(aa - a, bb - b)))
			r = CMP(strncmp(a, b, (size_t)(aa - a)), 0);
	} else {
		for (aa = a; isalpha((unsigned char)*aa); aa++)
			;
		for (bb = b; isalpha((unsigned char)*bb); bb++)
			;
		if (!(r = CMP(strncmp(a, b, (size_t)DL_MIN(aa - a, bb - b)), 0)))
			r = CMP(aa - a, bb - b);
	}
	*pa = aa;
	*pb = bb;
	return r;
}

int dl_vercmp(const char *a, const char *b)
{
	if (!a || !*a || !b || !*b)
		return CMP(a && *a, b && *b);
	for (;;) {
		int r;
		while (*a && !vchar(*a))
			a++;
		while (*b && !vchar(*b))
			b++;
		if (*a == '~' || *b == '~') {
			if ((r = CMP(*a != '~', *b != '~')))
				return r;
			a++, b++;
		}
		if (!*a || !*b)
			return CMP((unsigned char)*a, (unsigned char)*b);
		static const char seps[] = "-^.";
		for (const char *s = seps; *s; s++)
			if (*a == *s || *b == *s) {
				if ((r = CMP(*a != *s, *b != *s)))
					return r;
				a++, b++;
			}
		if ((r = cmp_run(&a, &b)))
			return r;
	}
}

/* rpm's rpmvercmp() as GRUB's blscfg module carries it (Fedora/RHEL grub2
 * patches, grub-core/commands/blscfg.c vercmp()): alphanumeric runs
 * compared, separators only split them, '~' sorts before anything and
 * '+' after a finished version.  1 when a is newer, 0, -1. */
int dl_rpmvercmp(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return 0;
	while (*a || *b) {
		while (*a && !isalnum((unsigned char)*a) && *a != '~' && *a != '+')
			a++;
		while (*b && !isalnum((unsigned char)*b) && *b != '~' && *b != '+')
			b++;
		if (*a == '~' || *b == '~') {
			if (*a != '~')
				return 1;
			if (*b != '~')
				return -1;
			a++, b++;
			continue;
		}
		if (*a == '+' || *b == '+') {
			if (!*a)
				return -1;
			if (!*b)
				return 1;
			if (*a != '+')
				return 1;
			if (*b != '+')
				return -1;
			a++, b++;
			continue;
		}
		if (!*a || !*b)
			break;
		bool num = isdigit((unsigned char)*a);
		const char *ea = a, *eb = b;
		while (*ea && (num ? isdigit((unsigned char)*ea) : isalpha((unsigned char)*ea)))
			ea++;
		while (*eb && (num ? isdigit((unsigned char)*eb) : isalpha((unsigned char)*eb)))
			eb++;
		if (eb == b)   /* numeric is newer than alphabetic */
			return num ? 1 : -1;
		if (num) {
			while (*a == '0' && a < ea)
				a++;
			while (*b == '0' && b < eb)
				b++;
			if (ea - a != eb - b)
				return ea - a > eb - b ? 1 : -1;
		}
		size_t la = (size_t)(ea - a), lb = (size_t)(eb - b);
		int r = memcmp(a, b, DL_MIN(la, lb));
		if (!r)
			r = CMP(la, lb);
		if (r)
			return r < 0 ? -1 : 1;
		a = ea;
		b = eb;
	}
	if (!*a && !*b)
		return 0;
	return *a ? 1 : -1;
}
