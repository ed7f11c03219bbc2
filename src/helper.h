/* One helper thread for data-parallel work in the parser: decompressing
 * the compressed pieces of one large read (qcow2 clusters, btrfs extents)
 * on two CPUs.  Started by the sandboxed parser before its seccomp filter
 * (which then covers both threads); where it was never started,
 * dl_helper_run runs both halves in the caller. */
#ifndef DL_HELPER_H
#define DL_HELPER_H

#include <stdbool.h>

/* 0, or a negative errno value (then there is no helper). */
int dl_helper_start(void);
bool dl_helper_running(void);
/* Jobs the helper has run (for tests). */
unsigned long dl_helper_jobs(void);

/* a(actx) in the caller and b(bctx) on the helper, returning when both
 * are done.  The functions must not log, allocate from a shared state
 * without their own, or touch what the other one does. */
void dl_helper_run(void (*a)(void *), void *actx, void (*b)(void *), void *bctx);

#endif
