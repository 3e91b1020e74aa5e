/*
 * heap.c — 2 MiB pages for the heap of a command that builds large
 * structures, from inside the process.
 *
 * glibc asks for transparent huge pages only when told at start-up (the
 * glibc.malloc.hugetlb tunable, an environment variable). With the
 * kernel's THP in "madvise" mode (Debian's default) each 4 KiB page of a
 * growing heap is otherwise a page fault of its own, and a command that
 * parses thousands of files spends more time faulting than parsing. Here
 * the heap is grown once by a reserve of address space (pages are only
 * backed as they are touched), that range is marked MADV_HUGEPAGE, and
 * malloc keeps it (no trimming, blocks below 32 MiB from the heap rather
 * than from mmap). Memory beyond the reserve grows as usual.
 */
/* hwledger-sast-ignore *: glibc's malloc tuning (mallopt, mallinfo2) */
#define _GNU_SOURCE
#include "util.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define HEAP_RESERVE ((size_t)256 << 20)
#define HUGE_PAGE ((uintptr_t)2 << 20)

void hw_heap_huge(void)
{
#if defined(MADV_HUGEPAGE) && !defined(__SANITIZE_ADDRESS__) &&            \
	!defined(__SANITIZE_THREAD__)
	struct mallinfo2 mi;
	uintptr_t start, end;
	void *volatile grow; /* volatile: the compiler may not drop it */

	if (!mallopt(M_MMAP_THRESHOLD, 32 << 20) ||
	    !mallopt(M_TOP_PAD, (int)HEAP_RESERVE) ||
	    !mallopt(M_TRIM_THRESHOLD, (int)HEAP_RESERVE))
		return;
	/* a block larger than the heap's free room makes it grow now, by
	 * the block and the reserve */
	mi = mallinfo2();
	grow = malloc(mi.fordblks + 4096);
	free(grow);
	mi = mallinfo2();
	end = (uintptr_t)sbrk(0);
	start = end - mi.arena;
	start = (start + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	end &= ~(HUGE_PAGE - 1);
	/* best effort: a kernel without THP says no, and nothing changes */
	if (end > start)
		(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#endif
}
