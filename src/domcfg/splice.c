/* Rewriting a configuration in place: cut spans out of the document and
 * insert new text, keeping every other byte. */
#include "domcfg/domcfg.h"

#include <string.h>

static int cmp_cut(const void *a, const void *b)
{
	const struct dl_cut *x = a, *y = b;
	return x->from < y->from ? -1 : x->from > y->from;
}

char *dl_splice(const char *buf, size_t len, struct dl_cut *cuts, size_t ncut, size_t ins_at,
		const struct dl_sbuf *ins, size_t *outlen)
{
	struct dl_sbuf b = { 0 };
	size_t pos = 0;
	bool done = false;
	if (ncut)
		qsort(cuts, ncut, sizeof(*cuts), cmp_cut);
	for (size_t i = 0; i < ncut; i++) {
		size_t from = cuts[i].from < pos ? pos : cuts[i].from;
		if (!done && ins_at <= from) {
			dl_sbuf_add(&b, buf + pos, ins_at - pos);
			dl_sbuf_add(&b, ins->p, ins->len);
			pos = ins_at;
			done = true;
		}
		dl_sbuf_add(&b, buf + pos, from - pos);
		pos = cuts[i].to > pos ? cuts[i].to : pos;
		if (cuts[i].space)
			dl_sbuf_addc(&b, ' ');
	}
	if (!done) {
		if (ins_at < pos)
			ins_at = pos;
		dl_sbuf_add(&b, buf + pos, ins_at - pos);
		dl_sbuf_add(&b, ins->p, ins->len);
		pos = ins_at;
	}
	dl_sbuf_add(&b, buf + pos, len - pos);
	*outlen = b.len;
	return dl_sbuf_take(&b);
}
