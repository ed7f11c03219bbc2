/* The arena of a parse: the AST, function names and positional
 * parameters live until the parse is over and go in one free. */
#include <string.h>

#include "boot/grub2/grub2.h"

struct g2_chunk {
	struct g2_chunk *next;
	size_t used, size;
	max_align_t data[];
};

void *g2_alloc(struct g2_arena *a, size_t n)
{
	size_t al = sizeof(max_align_t);
	if (ckd_add(&n, n, al - 1))
		abort();
	n &= ~(al - 1);
	struct g2_chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t sz = n > 16384 ? n : 16384;
		c = dl_malloc(sizeof(*c) + sz);
		c->size = sz;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *g2_strndup(struct g2_arena *a, const char *s, size_t n)
{
	char *p = g2_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void g2_arena_free(struct g2_arena *a)
{
	while (a->head) {
		struct g2_chunk *n = a->head->next;
		free(a->head);
		a->head = n;
	}
}
