/*
 * fuzz_catalog.c — libFuzzer target for the planner's catalogs, a
 * project's own planner/gpus.json (GPUs and prices) and
 * planner/engines.json (engine profiles) that override the built-in ones
 * (specs/planner.md, "Catalogs"). The first byte picks which; the rest is
 * the file. Each lookup `hwledger plan` makes either finds its entry,
 * with finite positive figures, or is refused naming the file; never a
 * crash, a read out of bounds or a leak.
 */
#include "fuzz_files.h"
#include "planner/planner.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* A refused catalog is named, and a bad one at a line ("PATH:LINE");
 * a GPU or engine it lacks is the command line's fault (no line). */
static void check_refusal(int err, const char *path)
{
	const char *m = hw_error_last();
	size_t n = strlen(path);

	if (err != HW_EINVAL && err != HW_EUSAGE)
		abort();
	if (strncmp(m, path, n) != 0 || m[n] != ':' ||
	    (err == HW_EINVAL && (m[n + 1] < '1' || m[n + 1] > '9'))) {
		fprintf(stderr, "refused without the file and line: %s\n", m);
		abort();
	}
	hw_error_clear();
}

static void check_gpu(const hw_gpu *g)
{
	if (!isfinite(g->memory_bytes) || !(g->memory_bytes > 0) ||
	    !isfinite(g->bandwidth) || !(g->bandwidth > 0))
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char dir[] = "/tmp/hwledger-fuzz-catalog-XXXXXX";
	static int made;
	int back, err;

	if (!size)
		return 0;
	/* the project's own catalogs are read from the working folder */
	back = fuzz_enter(dir, made);
	if (!made) {
		if (mkdir("planner", 0755) != 0)
			abort();
		made = 1;
	}
	if (data[0] & 1) {
		hw_engine e;

		fuzz_put(HW_PLANNER_ENGINES, data + 1, size - 1);
		err = hw_engine_find(&e, HW_PLANNER_ENGINES, "vllm");
		if (err)
			check_refusal(err, HW_PLANNER_ENGINES);
		else if (!isfinite(e.fixed_overhead_bytes) ||
			 !isfinite(e.activation_factor) ||
			 !(e.memory_utilization > 0 && e.memory_utilization <= 1))
			abort();
	} else {
		hw_gpu g;
		hw_offer *offers = NULL;
		size_t n = 0;

		fuzz_put(HW_PLANNER_GPUS, data + 1, size - 1);
		err = hw_gpu_find(&g, HW_PLANNER_GPUS, "H100 SXM");
		if (err)
			check_refusal(err, HW_PLANNER_GPUS);
		else
			check_gpu(&g);
		err = hw_offers_load(&offers, &n, HW_PLANNER_GPUS);
		if (err) {
			check_refusal(err, HW_PLANNER_GPUS);
		} else {
			for (size_t i = 0; i < n; i++) {
				check_gpu(&offers[i].gpu);
				if (!isfinite(offers[i].usd_per_hour) ||
				    offers[i].gpus < 1)
					abort();
			}
			free(offers);
		}
	}
	fuzz_leave(back);
	return 0;
}
