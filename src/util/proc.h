/*
 * util/proc.h — running programs with deadlines and output caps, and
 * running jobs on several threads.
 */
#ifndef HW_UTIL_PROC_H
#define HW_UTIL_PROC_H

#include <stddef.h>

#include "buf.h"

/* A command run with a timeout and a cap on each output stream. */
typedef struct hw_cmd_result {
	int status;         /* exit status, -1 when killed or not run */
	int signal;         /* the signal that ended it, 0 when none */
	int timed_out;      /* killed (with its process group) at the deadline */
	int truncated;      /* an output went over max_out; the rest dropped */
	int not_found;      /* exec failed: the tool is not installed */
	hw_buf out;         /* stdout */
	hw_buf err;         /* stderr */
} hw_cmd_result;

/*
 * Runs job(arg, i) once for every i in [0, n), on up to `threads` threads,
 * the calling thread one of them (threads <= 1: all on the caller, in
 * order). Jobs must be independent of each other. A job returns HW_OK, or
 * an HW_E* code with its message set by hw_error_set as usual. Once a job
 * fails, no further job is started. Returns HW_OK when every job did;
 * otherwise the code and message of the failed job with the lowest i, the
 * one a single thread would have stopped at (src/util/thread.c says why).
 */
int hw_tasks_run(size_t n, size_t threads, int (*job)(void *arg, size_t i),
		 void *arg);

/*
 * How many threads `units` of work deserve: one per `per_thread` units (0:
 * one per unit), at least one, at most the CPUs this process may use
 * (taskset and a cgroup's cpuset count). HWLEDGER_THREADS=N overrides the
 * CPU count and the share: N threads (at most one per unit), so that tests
 * compare one thread with several on any machine.
 */
size_t hw_tasks_threads(size_t units, size_t per_thread);

/*
 * For a command that builds large structures (many FRs, pages, findings):
 * backs the heap with 2 MiB pages where the kernel allows, as glibc's
 * malloc.hugetlb tunable would (src/util/heap.c says how). Call it first
 * thing; output never changes. Nothing is done under a sanitizer.
 */
void hw_heap_huge(void);

/* Runs argv (PATH searched, stdin /dev/null); 0 unless it cannot start. */
int hw_run(hw_cmd_result *r, char *const argv[], double timeout_s,
	   size_t max_out);
void hw_cmd_result_free(hw_cmd_result *r);
/* Seconds on the monotonic clock (for deadlines and durations). */
double hw_now_s(void);

#endif
