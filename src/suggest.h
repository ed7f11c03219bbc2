/* Close names for a mistyped one: "--outptu" -> "--output". */
#ifndef DL_SUGGEST_H
#define DL_SUGGEST_H

#include <stddef.h>

/* The optimal string alignment distance (Levenshtein plus swapping two
 * adjacent characters), ASCII case ignored; names longer than
 * DL_SUGGEST_MAX count as far from everything. */
#define DL_SUGGEST_MAX 64
size_t dl_edit_distance(const char *a, size_t alen, const char *b, size_t blen);

/* The name of names[0..n) closest to word[0..len), NULL when none is close
 * enough to be what was meant (at most 1 edit for words of up to 4
 * characters, 2 up to 8, 3 beyond); ties go to the first. */
const char *dl_closest(const char *word, size_t len, const char *const *names, size_t n);

#endif
