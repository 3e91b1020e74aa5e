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

typedef struct start {
	void *(*fn)(void *);
	void *arg;
	cpu_set_t allowed; /* the process's CPUs, given back once it runs */
	int home;          /* the CPU it was bound to */
	int slot;          /* its place in slots, or -1: from the heap */
} start;

/*
 * What a thread starts with is handed over in one of these while one is
 * free, else from the heap: a thread that frees memory gets an allocator
 * arena of its own (an mmap, two munmaps, an mprotect and a fault), and
 * a helper that allocates nothing need not pay for one.
 */
#define SLOTS 16
static start slots[SLOTS];
static int slot_taken[SLOTS];

static start *take_start(void)
{
	start *s;

	for (int i = 0; i < SLOTS; i++)
		if (!__atomic_exchange_n(&slot_taken[i], 1, __ATOMIC_ACQUIRE)) {
			slots[i].slot = i;
			return &slots[i];
		}
	if ((s = malloc(sizeof(*s))))
		s->slot = -1;
	return s;
}

static void give_back(start *s)
{
	if (s->slot < 0)
		free(s);
	else
		__atomic_store_n(&slot_taken[s->slot], 0, __ATOMIC_RELEASE);
}

static __thread int thread_home = -1;
static __thread int thread_first = -1;

static void *trampoline(void *p)
{
	start s = *(start *)p;

	give_back(p);
	thread_home = s.home;
	thread_first = sched_getcpu();
	/* failing leaves it bound: slower under load, never wrong */
	(void)pthread_setaffinity_np(pthread_self(), sizeof(s.allowed),
				     &s.allowed);
	return s.fn(s.arg);
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

/* Implements: FR-CLI-010 */
int hw_thread_start(pthread_t *tid, void *(*fn)(void *), void *arg,
		    unsigned k)
{
	pthread_attr_t attr;
	cpu_set_t home;
	start *s = take_start();
	int rc;

	if (!s)
		return ENOMEM;
	s->fn = fn;
	s->arg = arg;
	s->home = -1;
	if (pthread_attr_init(&attr) != 0) {
		give_back(s);
		return ENOMEM;
	}
	/* more CPUs than a cpu_set_t holds fails here: started unbound */
	if (sched_getaffinity(0, sizeof(s->allowed), &s->allowed) == 0 &&
	    (s->home = home_for(&s->allowed, k)) >= 0) {
		CPU_ZERO(&home);
		CPU_SET(s->home, &home);
		if (pthread_attr_setaffinity_np(&attr, sizeof(home), &home))
			s->home = -1;
	}
	rc = pthread_create(tid, &attr, trampoline, s);
	if (rc != 0 && s->home >= 0) { /* the binding refused: unbound */
		pthread_attr_destroy(&attr);
		pthread_attr_init(&attr);
		s->home = -1;
		rc = pthread_create(tid, &attr, trampoline, s);
	}
	pthread_attr_destroy(&attr);
	if (rc != 0)
		give_back(s);
	return rc;
}

int hw_thread_home(int *first)
{
	if (first)
		*first = thread_first;
	return thread_home;
}
