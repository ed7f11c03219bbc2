/* Close names for a mistyped one (the "did you mean" of an option typo).
 * Hand-written: no library packaged for Debian offers an edit distance
 * over a few dozen short strings, and the dynamic programme is 20 lines. */
#include "suggest.h"

#include <string.h>

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

size_t dl_edit_distance(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen > DL_SUGGEST_MAX || blen > DL_SUGGEST_MAX)
		return (size_t)-1;
	/* d[i][j]: the distance between a's first i and b's first j characters */
	size_t d[DL_SUGGEST_MAX + 1][DL_SUGGEST_MAX + 1];
	for (size_t i = 0; i <= alen; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= blen; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= alen; i++)
		for (size_t j = 1; j <= blen; j++) {
			size_t cost = lower(a[i - 1]) != lower(b[j - 1]);
			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
			    lower(a[i - 2]) == lower(b[j - 1]) && d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	return d[alen][blen];
}

const char *dl_closest(const char *word, size_t len, const char *const *names, size_t n)
{
	size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
	const char *best = NULL;
	size_t bestd = limit + 1;
	for (size_t i = 0; i < n; i++) {
		size_t d = dl_edit_distance(word, len, names[i], strlen(names[i]));
		if (d < bestd && d < strlen(names[i])) {
			best = names[i];
			bestd = d;
		}
	}
	return best;
}
