/*
 * cost.c — the cheapest GPU configurations that fit a plan: for every dated
 * price of the catalog, the TP x PP layout with the lowest hourly cost whose
 * busiest GPU holds the plan, with its cost per million decoded tokens at the
 * memory-bandwidth bound (specs/planner.md, "Cost").
 */
#include "planner.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const int layouts[] = {1, 2, 4, 8};
#define NLAYOUTS (sizeof(layouts) / sizeof(layouts[0]))

/* Is a better than b: cheaper per hour, then per token, then fewer GPUs. */
static int better(const hw_choice *a, const hw_choice *b)
{
	if (a->usd_per_hour != b->usd_per_hour)
		return a->usd_per_hour < b->usd_per_hour;
	if (a->usd_per_mtok != b->usd_per_mtok)
		return a->usd_per_mtok < b->usd_per_mtok;
	return a->tp * a->pp < b->tp * b->pp;
}

static int by_cost(const void *pa, const void *pb)
{
	const hw_choice *a = pa, *b = pb;
	int c;

	if (better(a, b))
		return -1;
	if (better(b, a))
		return 1;
	/* same cost and layout: name order keeps the output deterministic */
	if ((c = strcmp(a->offer->gpu.name, b->offer->gpu.name)))
		return c;
	return strcmp(a->offer->provider, b->offer->provider);
}

/*
 * The cheapest layout of one offer into *best; 0 when none fits. Layouts
 * the model cannot take (TP not dividing the heads, PP beyond the layers)
 * are skipped, not errors.
 */
static int cheapest_layout(hw_choice *best, const hw_model *m,
			   const hw_plan_inputs *in, const hw_offer *o,
			   double max_util)
{
	hw_choice c;
	double tps;
	int found = 0;

	for (size_t t = 0; t < NLAYOUTS; t++) {
		for (size_t s = 0; s < NLAYOUTS; s++) {
			hw_plan_inputs at = *in;
			int count = layouts[t] * layouts[s];

			at.tp = layouts[t];
			at.pp = layouts[s];
			at.gpu_memory = o->gpu.memory_bytes;
			at.gpu_bandwidth = o->gpu.bandwidth;
			snprintf(at.gpu_name, sizeof(at.gpu_name), "%s",
				 o->gpu.name);
			if (hw_plan_compute(&c.plan, m, &at)) {
				hw_error_clear();
				continue;
			}
			if (!c.plan.fits || c.plan.utilization > max_util)
				continue;
			c.offer = o;
			c.tp = at.tp;
			c.pp = at.pp;
			tps = c.plan.decode_tokens_per_s;
			c.usd_per_hour =
				ceil((double)count / o->gpus) * o->usd_per_hour;
			c.usd_per_mtok =
				tps > 0 ? c.usd_per_hour * 1e6 / (3600 * tps)
					: INFINITY;
			if (!found || better(&c, best))
				*best = c;
			found = 1;
		}
	}
	return found;
}

/* Implements: FR-PLAN-007 */
int hw_plan_cheapest(hw_choice **out, size_t *n, const hw_model *m,
		     const hw_plan_inputs *in, const hw_offer *offers,
		     size_t noffers, double max_util)
{
	hw_choice *all;
	size_t k = 0;
	hw_plan probe;
	int err;

	*out = NULL;
	*n = 0;
	if (!(max_util > 0 && max_util <= 1))
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "--max-util must be above 0 and at most 1");
	/* the inputs other than the layout must make a plan on their own */
	{
		hw_plan_inputs one = *in;

		one.tp = one.pp = 1;
		one.gpu_memory = one.gpu_bandwidth = 0;
		if ((err = hw_plan_compute(&probe, m, &one)))
			return err;
	}
	if (!noffers)
		return HW_OK;
	if (!(all = calloc(noffers, sizeof(*all))))
		return hw_error_oom();
	for (size_t i = 0; i < noffers; i++)
		k += cheapest_layout(&all[k], m, in, &offers[i], max_util);
	if (!k) {
		free(all);
		return HW_OK;
	}
	qsort(all, k, sizeof(*all), by_cost);
	*out = all;
	*n = k;
	return HW_OK;
}
