/* One helper thread (see helper.h).  A mutex and two condition variables:
 * the caller posts one job, the helper runs it and says so. */
#include "helper.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>

static struct {
	pthread_mutex_t mu;
	pthread_cond_t posted, finished;
	void (*fn)(void *);
	void *arg;
	bool busy, running, started;
	unsigned long jobs;
} h = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
	NULL, NULL, false, false, false, 0 };

static void *helper_main(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&h.mu);
	h.started = true;
	pthread_cond_signal(&h.finished);
	for (;;) {
		while (!h.busy)
			pthread_cond_wait(&h.posted, &h.mu);
		pthread_mutex_unlock(&h.mu);
		h.fn(h.arg);
		pthread_mutex_lock(&h.mu);
		h.jobs++;
		h.busy = false;
		pthread_cond_signal(&h.finished);
	}
	return NULL;
}

int dl_helper_start(void)
{
	if (h.running)
		return 0;
	pthread_attr_t a;
	pthread_t t;
	if (pthread_attr_init(&a))
		return -ENOMEM;
	/* the jobs are leaf computations: a small stack */
	pthread_attr_setstacksize(&a, 256u << 10);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	int r = pthread_create(&t, &a, helper_main, NULL);
	pthread_attr_destroy(&a);
	if (r)
		return -r;
	/* Until the thread runs its own code: its start-up syscalls (rseq,
	 * set_robust_list...) come before the parser's seccomp filter, which
	 * allows none of them. */
	pthread_mutex_lock(&h.mu);
	while (!h.started)
		pthread_cond_wait(&h.finished, &h.mu);
	pthread_mutex_unlock(&h.mu);
	h.running = true;
	return 0;
}

bool dl_helper_running(void)
{
	return h.running;
}

unsigned long dl_helper_jobs(void)
{
	pthread_mutex_lock(&h.mu);
	unsigned long n = h.jobs;
	pthread_mutex_unlock(&h.mu);
	return n;
}

/* a(actx) in the caller and b(bctx) on the helper, returning when both
 * are done. */
static void run_both(void (*a)(void *), void *actx, void (*b)(void *), void *bctx)
{
	pthread_mutex_lock(&h.mu);
	h.fn = b;
	h.arg = bctx;
	h.busy = true;
	pthread_cond_signal(&h.posted);
	pthread_mutex_unlock(&h.mu);
	a(actx);
	pthread_mutex_lock(&h.mu);
	while (h.busy)
		pthread_cond_wait(&h.finished, &h.mu);
	pthread_mutex_unlock(&h.mu);
}

struct half {
	void (*part)(void *ctx, unsigned half, size_t from, size_t to);
	void *ctx;
	unsigned half;
	size_t from, to;
};

static void run_half(void *arg)
{
	const struct half *x = arg;
	x->part(x->ctx, x->half, x->from, x->to);
}

int dl_helper_split(size_t n, int (*prepare)(void *ctx, unsigned half, size_t from, size_t to),
		    void (*part)(void *ctx, unsigned half, size_t from, size_t to), void *ctx)
{
	size_t k = n > 1 && h.running ? n / 2 : n;
	struct half a = { part, ctx, 0, 0, k }, b = { part, ctx, 1, k, n };
	int r;
	if (!n)
		return 0;
	if (prepare && ((r = prepare(ctx, 0, 0, k)) < 0 || (k < n && (r = prepare(ctx, 1, k, n)) < 0)))
		return r;
	if (k < n)
		run_both(run_half, &a, run_half, &b);
	else
		run_half(&a);
	return 0;
}
