/*
 * thread.c — running independent jobs on several threads (hw_tasks_run)
 * and deciding how many threads a piece of work deserves
 * (hw_tasks_threads).
 *
 * The calling thread is one of the workers, so one thread means no thread
 * is started at all. Jobs are taken in order from a shared counter; once a
 * job fails no new job is taken, and every job taken before it has a lower
 * index. So the failure reported is the one of the lowest index, which is
 * the one a single thread running the jobs in order would have stopped at:
 * the result never depends on the number of threads.
 *
 * A job's message lives in its thread's last-error buffer; it is copied
 * out before that thread ends and set again on the calling thread.
 */
/* hwledger-sast-ignore *: glibc's feature macro, for sched_getaffinity */
#define _GNU_SOURCE
#include "util.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The CPUs this process may run on (taskset, a cgroup's cpuset). */
static size_t usable_cpus(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return (size_t)CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN); /* more CPUs than a cpu_set_t */
	return n > 0 ? (size_t)n : 1;
}

size_t hw_tasks_threads(size_t units, size_t per_thread)
{
	/* hwledger-sast-ignore FF1053: read as a number, bounded below */
	const char *env = getenv("HWLEDGER_THREADS");
	size_t n;

	if (env && *env) {
		uint64_t forced;
		const char *end = hw_str_u64(env, &forced);

		/* a forced count holds whatever the CPUs: tests compare
		 * one thread with several on any machine */
		if (end && !*end && forced >= 1)
			return units < forced ? (units ? units : 1)
					      : (size_t)forced;
	}
	n = per_thread ? units / per_thread : units;
	if (n > usable_cpus())
		n = usable_cpus();
	return n ? n : 1;
}

typedef struct tasks {
	int (*job)(void *arg, size_t i);
	void *arg;
	size_t n;
	pthread_mutex_t lock;
	size_t next;   /* the next job to take */
	size_t failed; /* the lowest failing job, n while none failed */
	int code;
	char *message;
} tasks;

/* Takes jobs until none is left or one failed. */
static void *work(void *p)
{
	tasks *t = p;

	for (;;) {
		size_t i;
		int rc;

		pthread_mutex_lock(&t->lock);
		i = t->failed == t->n ? t->next++ : t->n;
		pthread_mutex_unlock(&t->lock);
		if (i >= t->n)
			return NULL;
		if ((rc = t->job(t->arg, i)) == HW_OK)
			continue;
		/* copied while this thread's buffer still holds it */
		char *message = hw_strdup(hw_error_last());

		pthread_mutex_lock(&t->lock);
		if (i < t->failed) {
			t->failed = i;
			t->code = rc;
			free(t->message);
			t->message = message;
			message = NULL;
		}
		pthread_mutex_unlock(&t->lock);
		free(message);
	}
}

int hw_tasks_run(size_t n, size_t threads, int (*job)(void *arg, size_t i),
		 void *arg)
{
	tasks t = {.job = job, .arg = arg, .n = n, .failed = n};
	pthread_t *tids = NULL;
	size_t started = 0;
	int err = HW_OK;

	if (threads > n)
		threads = n;
	if (threads > 1 && !(tids = calloc(threads - 1, sizeof(*tids))))
		threads = 1; /* no room for threads: the caller does it all */
	pthread_mutex_init(&t.lock, NULL);
	/* a thread that cannot start leaves its share to the others */
	while (started + 1 < threads &&
	       pthread_create(&tids[started], NULL, work, &t) == 0)
		started++;
	work(&t);
	for (size_t k = 0; k < started; k++)
		pthread_join(tids[k], NULL);
	pthread_mutex_destroy(&t.lock);
	free(tids);
	if (t.failed < n)
		err = hw_error_set(t.code, NULL, 0, 0, "%s",
				   t.message ? t.message : "out of memory");
	free(t.message);
	return err;
}
