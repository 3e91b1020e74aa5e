/*
 * thread.c — the helper threads of a command: whether to start one
 * (hw_two_threads) and where it starts (hw_thread_start).
 *
 * Linux puts a new thread on its parent's CPU and moves it to an idle one
 * only when the load balancer gets there. On a virtual machine whose idle
 * vCPU is halted that takes a millisecond or more, a sixth of a warm
 * `trace`, and half of the time the two threads of a short command share
 * one CPU to the end (measured in specs/cli.md, "Helper threads"). A
 * thread started here is created bound to another CPU the process may use,
 * so the kernel wakes that CPU at once; once it runs, the thread frees
 * itself to run on any of the process's CPUs again, so that a CPU that
 * becomes busy later does not hold it.
 */
/* hwledger-sast-ignore *: glibc's feature macro, for the affinity calls */
#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The CPUs this process may run on (taskset, a cgroup's cpuset): one call,
 * where the online count would read a file under /sys. */
static int usable_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set);
	return (int)sysconf(_SC_NPROCESSORS_ONLN); /* over CPU_SETSIZE */
}

/* Implements: FR-SITE-003 */
int hw_two_threads(size_t units, size_t min)
{
	/* hwledger-sast-ignore FF1053: only compared with "1" and "2" */
	const char *env = getenv("HWLEDGER_THREADS");

	if (env && strcmp(env, "1") == 0)
		return 0;
	if (env && strcmp(env, "2") == 0)
		return units >= 2;
	return units >= min && usable_cpus() > 1;
}

/* Implements: FR-CLI-010 */
int hw_thread_pick_cpu(const int *allowed, size_t n, int here, unsigned k)
{
	size_t at = 0;

	if (n < 2)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (allowed[i] == here) {
			at = i + 1;
			break;
		}
	/* here not among them (the caller's CPU was just taken from it):
	 * the first allowed CPU is the first helper's */
	return allowed[(at + k) % n];
}

static __thread int thread_home = -1;
static __thread int thread_first = -1;

static void *trampoline(void *p)
{
	const hw_thread *t = p; /* the starter's, in place until the join */
	cpu_set_t all;

	thread_home = t->home;
	thread_first = sched_getcpu();
	memcpy(&all, t->cpus, sizeof(all));
	/* failing leaves it bound: slower under load, never wrong */
	(void)pthread_setaffinity_np(pthread_self(), sizeof(all), &all);
	return t->fn(t->arg);
}

/* The CPU the k-th helper of a caller on CPU here is bound to, or -1. */
static int home_for(const cpu_set_t *allowed, unsigned k)
{
	int cpus[CPU_SETSIZE];
	size_t n = 0;

	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, allowed))
			cpus[n++] = c;
	return hw_thread_pick_cpu(cpus, n, sched_getcpu(), k);
}

_Static_assert(sizeof(cpu_set_t) <= sizeof(((hw_thread *)0)->cpus),
	       "hw_thread holds a cpu_set_t");

/* Implements: FR-CLI-010 */
int hw_thread_start(hw_thread *t, void *(*fn)(void *), void *arg, unsigned k)
{
	pthread_attr_t attr;
	cpu_set_t all, home;
	int rc;

	t->fn = fn;
	t->arg = arg;
	t->home = -1;
	t->started = 0;
	if (pthread_attr_init(&attr) != 0)
		return ENOMEM;
	/* more CPUs than a cpu_set_t holds fails here: started unbound */
	if (sched_getaffinity(0, sizeof(all), &all) == 0 &&
	    (t->home = home_for(&all, k)) >= 0) {
		memcpy(t->cpus, &all, sizeof(all));
		CPU_ZERO(&home);
		CPU_SET(t->home, &home);
		if (pthread_attr_setaffinity_np(&attr, sizeof(home), &home))
			t->home = -1;
	}
	rc = pthread_create(&t->tid, &attr, t->home >= 0 ? trampoline : fn,
			    t->home >= 0 ? (void *)t : arg);
	if (rc != 0 && t->home >= 0) { /* the binding refused: unbound */
		t->home = -1;
		rc = pthread_create(&t->tid, NULL, fn, arg);
	}
	pthread_attr_destroy(&attr);
	t->started = rc == 0;
	return rc;
}

int hw_thread_join(hw_thread *t)
{
	if (!t->started)
		return 0;
	t->started = 0;
	return pthread_join(t->tid, NULL);
}

int hw_thread_home(int *first)
{
	if (first)
		*first = thread_first;
	return thread_home;
}
