/* One helper thread for data-parallel work in the parser: decompressing
 * the compressed pieces of one large read (qcow2 clusters, btrfs extents)
 * on two CPUs.  Started by the sandboxed parser before its seccomp filter
 * (which then covers both threads); where it was never started,
 * dl_helper_split runs all the jobs in the caller. */
#ifndef DL_HELPER_H
#define DL_HELPER_H

#include <stdbool.h>
#include <stddef.h>

/* 0, or a negative errno value (then there is no helper). */
int dl_helper_start(void);
bool dl_helper_running(void);
/* Jobs the helper has run (for tests). */
unsigned long dl_helper_jobs(void);

/* n jobs split between this thread and the helper: [0, k) here (half 0)
 * and [k, n) on the helper (half 1), with k = n / 2 when the helper runs
 * and n > 1, else k = n (all here, the helper not woken).  First, in this
 * thread, prepare(ctx, half, from, to) (when not NULL) for each half that
 * has jobs: its per-half state (decoders), made here so that the helper
 * starts no malloc arena of its own; its first negative value is returned
 * and no job runs.  Then part(ctx, half, from, to) runs both halves at
 * once, returning 0 when both are done.  part must not log, allocate from
 * a shared state without its own, or touch what the other half does. */
int dl_helper_split(size_t n, int (*prepare)(void *ctx, unsigned half, size_t from, size_t to),
		    void (*part)(void *ctx, unsigned half, size_t from, size_t to), void *ctx);

#endif
