/* The shared data window between the parser child and the broker
 * (proto.h, "window.c"): a ring of DL_WINDOW_SLOTS slots after a page that
 * holds the broker's release counter, which the child waits on with a
 * futex.  Each side keeps its own position (the struct is copied by the
 * fork); only the counter and the slots are shared. */
#include "sandbox/proto.h"
#include "common.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define HEAD 4096u         /* the release counter's page; the slots follow */
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif

static _Atomic uint32_t *released(const struct dl_window *w)
{
	return (_Atomic uint32_t *)(void *)w->map;
}

static uint8_t *slot(const struct dl_window *w)
{
	return w->map + HEAD + (size_t)(w->seq % DL_WINDOW_SLOTS) * DL_WINDOW_SLOT;
}

struct dl_window *dl_window_new(void)
{
	size_t size = HEAD + (size_t)DL_WINDOW_SLOTS * DL_WINDOW_SLOT;
	void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	struct dl_window *w = dl_calloc(1, sizeof(*w));
	w->map = m;
	atomic_init(released(w), 0);
	return w;
}

void dl_window_free(struct dl_window *w)
{
	if (!w)
		return;
	munmap(w->map, HEAD + (size_t)DL_WINDOW_SLOTS * DL_WINDOW_SLOT);
	free(w);
}

/* Each side's page tables for the first len bytes of the current slot in
 * one call, where it has not made them yet: a page fault per page costs
 * several microseconds more, under a hypervisor most, and a run with few
 * bytes to send maps only those.  Best effort (Linux 5.14). */
static void populate(struct dl_window *w, int advice, size_t len)
{
	uint32_t *have = &w->populated[w->seq % DL_WINDOW_SLOTS];
	len = DL_MIN(len, (size_t)DL_WINDOW_SLOT);
	if (len <= *have)
		return;
	size_t from = *have & ~(size_t)4095;
	(void)madvise(slot(w) + from, len - from, advice);
	*have = (uint32_t)len;
}

uint8_t *dl_window_slot(struct dl_window *w, size_t len)
{
	/* A slot is free once the broker has released all but the newest
	 * SLOTS - 1 filled ones (unsigned differences: the counters wrap). */
	for (;;) {
		uint32_t r = atomic_load_explicit(released(w), memory_order_acquire);
		if (w->seq - r < DL_WINDOW_SLOTS) {
			populate(w, MADV_POPULATE_WRITE, len);
			return slot(w);
		}
		/* Not FUTEX_PRIVATE: the word is shared between two processes. */
		syscall(SYS_futex, released(w), FUTEX_WAIT, r, NULL, NULL, 0);
	}
}

void dl_window_filled(struct dl_window *w)
{
	w->seq++;
}

const uint8_t *dl_window_next(struct dl_window *w, size_t len)
{
	populate(w, MADV_POPULATE_READ, len);
	return slot(w);
}

void dl_window_release(struct dl_window *w)
{
	w->seq++;
	atomic_store_explicit(released(w), w->seq, memory_order_release);
	syscall(SYS_futex, released(w), FUTEX_WAKE, 1, NULL, NULL, 0);
}
