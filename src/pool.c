/* pool.c: the worker threads of pool.h, over one atomic job counter. */
#define _GNU_SOURCE
#include "pool.h"

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "util.h"

struct S_pool {
	atomic_size_t next;
	size_t n_jobs;
	pool_fn *fn;
	void *arg;
};

struct S_worker {
	struct S_pool *p;
	unsigned id;
};

static void *S_loop(void *v)
{
	struct S_worker *w = v;
	for (;;) {
		size_t job = atomic_fetch_add(&w->p->next, 1);
		if (job >= w->p->n_jobs)
			break;
		w->p->fn(job, w->id, w->p->arg);
	}
	return NULL;
}

void pool_run(size_t n_jobs, unsigned workers, pool_fn *fn, void *arg)
{
	assert(fn != NULL);
	struct S_pool p = {.n_jobs = n_jobs, .fn = fn, .arg = arg};
	atomic_init(&p.next, 0);
	if (workers < 1)
		workers = 1;
	if (workers > n_jobs)
		workers = n_jobs ? (unsigned)n_jobs : 1;
	struct S_worker *w = xcalloc(workers, sizeof *w);
	pthread_t *t = xcalloc(workers, sizeof *t);
	unsigned started = 1;
	for (unsigned i = 0; i < workers; i++)
		w[i] = (struct S_worker){&p, i};
	/* Worker 0 is this thread; when a thread cannot be started, the ones
	 * running (at least this one) do its share. */
	for (unsigned i = 1; i < workers; i++, started++)
		if (pthread_create(&t[i], NULL, S_loop, &w[i]) != 0)
			break;
	S_loop(&w[0]);
	for (unsigned i = 1; i < started; i++)
		pthread_join(t[i], NULL);
	/* Every job was taken once: each worker stops on the first number past
	 * the last job. */
	assert(atomic_load(&p.next) == n_jobs + started);
	free(t);
	free(w);
}

unsigned pool_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 256 ? 256 : (unsigned)n;
}
