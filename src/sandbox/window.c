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

/* Each side's page tables for the whole ring in one call, when it first
 * uses the window (a run that only copies image ranges never does): a
 * page fault per page costs several microseconds more, under a hypervisor
 * most.  Best effort (Linux 5.14). */
static void populate(struct dl_window *w, int advice)
{
	if (w->populated)
		return;
	w->populated = true;
	(void)madvise(w->map + HEAD, (size_t)DL_WINDOW_SLOTS * DL_WINDOW_SLOT, advice);
}

uint8_t *dl_window_slot(struct dl_window *w)
{
	populate(w, MADV_POPULATE_WRITE);
	/* A slot is free once the broker has released all but the newest
	 * SLOTS - 1 filled ones (unsigned differences: the counters wrap). */
	for (;;) {
		uint32_t r = atomic_load_explicit(released(w), memory_order_acquire);
		if (w->seq - r < DL_WINDOW_SLOTS)
			return slot(w);
		/* Not FUTEX_PRIVATE: the word is shared between two processes. */
		syscall(SYS_futex, released(w), FUTEX_WAIT, r, NULL, NULL, 0);
	}
}

void dl_window_filled(struct dl_window *w)
{
	w->seq++;
}

const uint8_t *dl_window_next(struct dl_window *w)
{
	populate(w, MADV_POPULATE_READ);
	return slot(w);
}

void dl_window_release(struct dl_window *w)
{
	w->seq++;
	atomic_store_explicit(released(w), w->seq, memory_order_release);
	syscall(SYS_futex, released(w), FUTEX_WAKE, 1, NULL, NULL, 0);
}
