/* pool.h: a fixed set of worker threads over numbered jobs.
 *
 * pool_run calls fn(job, worker, arg) once for every job 0..n_jobs-1, from
 * `workers` threads (the calling thread is one of them), handing out jobs in
 * increasing order as threads become free, and returns when all are done.
 * `worker` (0..workers-1) lets fn use per-thread state without locking.
 * Jobs must not depend on each other; results that need an order are kept
 * per job by the caller and combined after pool_run returns, so the outcome
 * never depends on the number of workers. */
#ifndef MG_POOL_H
#define MG_POOL_H

#include <stddef.h>

typedef void pool_fn(size_t job, unsigned worker, void *arg);

void pool_run(size_t n_jobs, unsigned workers, pool_fn *fn, void *arg);

/* The number of CPUs online (at least 1): the default for --jobs. */
unsigned pool_cpus(void);

#endif
