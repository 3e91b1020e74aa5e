/*
 * catalog.c — the GPU catalog (planner/gpus.json) and the engine profiles
 * (planner/engines.json). Names match case-insensitively.
 *
 * Both are compiled into the binary (ci/embed.sh), so an installed hwledger
 * plans from any folder; a project's own file at the same path overrides
 * the built-in one whole (specs/planner.md, "Catalogs").
 */
#include "planner.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

extern const hw_embedded hw_planner_data[];
extern const size_t hw_planner_data_count;

/* Implements: FR-CLI-011 */
int hw_catalog_load(cJSON **root, const char *catalog, size_t max)
{
	const char *base = strrchr(catalog, '/');
	struct stat st;

	base = base ? base + 1 : catalog;
	/* Only the default paths fall back, and only when nothing is there:
	 * a file the user named, or one that exists but cannot be read, is
	 * never silently replaced by the built-in copy. */
	if (!strcmp(catalog, HW_PLANNER_GPUS) ||
	    !strcmp(catalog, HW_PLANNER_ENGINES)) {
		if (lstat(catalog, &st) && errno == ENOENT) {
			for (size_t i = 0; i < hw_planner_data_count; i++)
				if (!strcmp(hw_planner_data[i].name, base))
					return hw_json_parse(
						root, catalog,
						hw_planner_data[i].data,
						hw_planner_data[i].len);
		}
	}
	return hw_json_load(root, catalog, max);
}

static const cJSON *find_named(const cJSON *root, const char *list,
			       const char *name)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, list), *e;

	cJSON_ArrayForEach(e, arr) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "name");

		if (cJSON_IsString(n) && !strcasecmp(n->valuestring, name))
			return e;
	}
	return NULL;
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* Fills g from a "gpus" entry; positive memory and bandwidth or HW_EINVAL. */
static int gpu_from(hw_gpu *g, const cJSON *e, const char *catalog)
{
	const cJSON *vendor = cJSON_GetObjectItemCaseSensitive(e, "vendor");

	memset(g, 0, sizeof(*g));
	snprintf(g->name, sizeof(g->name), "%s",
		 cJSON_GetObjectItemCaseSensitive(e, "name")->valuestring);
	if (cJSON_IsString(vendor))
		snprintf(g->vendor, sizeof(g->vendor), "%s",
			 vendor->valuestring);
	g->memory_bytes = num(e, "memory_gib") * 1073741824.0;
	g->bandwidth = num(e, "bandwidth_gb_s") * 1e9;
	if (g->memory_bytes <= 0 || g->bandwidth <= 0)
		return hw_error_set(HW_EINVAL, catalog, 0, 0,
				    "GPU '%s' needs positive \"memory_gib\" and "
				    "\"bandwidth_gb_s\"",
				    g->name);
	return HW_OK;
}

/* Implements: FR-PLAN-004 */
int hw_gpu_find(hw_gpu *g, const char *catalog, const char *name)
{
	cJSON *root = NULL;
	const cJSON *e;
	int err;

	memset(g, 0, sizeof(*g));
	if ((err = hw_catalog_load(&root, catalog, (size_t)4 << 20)))
		return err;
	e = find_named(root, "gpus", name);
	if (!e) {
		cJSON_Delete(root);
		return hw_error_set(HW_EUSAGE, catalog, 0, 0,
				    "no GPU named '%s' (see the \"gpus\" list)",
				    name);
	}
	err = gpu_from(g, e, catalog);
	cJSON_Delete(root);
	return err;
}

/* A price's date: YYYY-MM-DD or YYYY-MM, from 2000 on. */
static int is_date(const char *s, int ymd[3])
{
	return hw_date_parse(s, 1, ymd) && ymd[0] >= 2000;
}

/* Implements: FR-PLAN-007 */
long hw_price_age_days(const char *as_of, const char *today)
{
	int a[3], t[3];

	if (!is_date(as_of, a) || !is_date(today, t))
		return -1;
	return hw_date_days(t) - hw_date_days(a);
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

/* One "prices" entry into o, or HW_EINVAL naming the entry and the key. */
static int offer_from(hw_offer *o, const cJSON *root, const cJSON *e,
		      int index, const char *catalog)
{
	const char *gpu = str(e, "gpu"), *provider = str(e, "provider"),
		   *as_of = str(e, "as_of"), *source = str(e, "source"),
		   *offering = str(e, "offering");
	const cJSON *units = cJSON_GetObjectItemCaseSensitive(e, "gpus"), *g;
	double usd = num(e, "usd_per_hour");
	int ymd[3];

	memset(o, 0, sizeof(*o));
	if (!gpu || !provider || !source)
		return hw_error_set(HW_EINVAL, catalog, 0, 0,
				    "prices[%d] needs \"gpu\", \"provider\" "
				    "and \"source\"",
				    index);
	if (!(g = find_named(root, "gpus", gpu)))
		return hw_error_set(HW_EINVAL, catalog, 0, 0,
				    "prices[%d]: no GPU named '%s' in the "
				    "\"gpus\" list",
				    index, gpu);
	if (!(usd > 0) || usd > 1e6)
		return hw_error_set(HW_EINVAL, catalog, 0, 0,
				    "prices[%d]: \"usd_per_hour\" must be a "
				    "positive number",
				    index);
	if (!as_of || !is_date(as_of, ymd))
		return hw_error_set(HW_EINVAL, catalog, 0, 0,
				    "prices[%d]: \"as_of\" must be a date "
				    "(YYYY-MM-DD or YYYY-MM)",
				    index);
	if (units && (!cJSON_IsNumber(units) || units->valuedouble < 1 ||
		      units->valuedouble > 1024 ||
		      units->valuedouble != (int)units->valuedouble))
		return hw_error_set(HW_EINVAL, catalog, 0, 0,
				    "prices[%d]: \"gpus\" must be a whole "
				    "number from 1 to 1024",
				    index);
	o->gpus = units ? (int)units->valuedouble : 1;
	o->usd_per_hour = usd;
	snprintf(o->provider, sizeof(o->provider), "%s", provider);
	snprintf(o->offering, sizeof(o->offering), "%s",
		 offering ? offering : "");
	snprintf(o->as_of, sizeof(o->as_of), "%s", as_of);
	snprintf(o->source, sizeof(o->source), "%s", source);
	return gpu_from(&o->gpu, g, catalog);
}

/* Implements: FR-PLAN-007 */
int hw_offers_load(hw_offer **offers, size_t *n, const char *catalog)
{
	cJSON *root = NULL;
	const cJSON *list, *e;
	hw_offer *all = NULL;
	int err, count, i = 0;

	*offers = NULL;
	*n = 0;
	if ((err = hw_catalog_load(&root, catalog, (size_t)4 << 20)))
		return err;
	list = cJSON_GetObjectItemCaseSensitive(root, "prices");
	if (!cJSON_IsArray(list) || !(count = cJSON_GetArraySize(list))) {
		cJSON_Delete(root);
		return hw_error_set(HW_EINVAL, catalog, 0, 0,
				    "no \"prices\" list: nothing to compare");
	}
	if (!(all = calloc((size_t)count, sizeof(*all)))) {
		cJSON_Delete(root);
		return hw_error_set(HW_ENOMEM, catalog, 0, 0, "out of memory");
	}
	cJSON_ArrayForEach(e, list) {
		if ((err = offer_from(&all[i], root, e, i, catalog)))
			break;
		i++;
	}
	cJSON_Delete(root);
	if (err) {
		free(all);
		return err;
	}
	*offers = all;
	*n = (size_t)count;
	return HW_OK;
}

int hw_engine_find(hw_engine *en, const char *catalog, const char *name)
{
	cJSON *root = NULL;
	const cJSON *e;
	int err;

	memset(en, 0, sizeof(*en));
	if ((err = hw_catalog_load(&root, catalog, (size_t)1 << 20)))
		return err;
	e = find_named(root, "engines", name);
	if (!e) {
		cJSON_Delete(root);
		return hw_error_set(HW_EUSAGE, catalog, 0, 0,
				    "no engine named '%s' (vllm, llama.cpp, "
				    "mlx)",
				    name);
	}
	snprintf(en->name, sizeof(en->name), "%s", name);
	en->fixed_overhead_bytes = num(e, "fixed_overhead_gib") * 1073741824.0;
	en->activation_factor = num(e, "activation_factor");
	en->memory_utilization = num(e, "memory_utilization");
	if (en->fixed_overhead_bytes < 0 || en->activation_factor <= 0 ||
	    en->memory_utilization <= 0 || en->memory_utilization > 1)
		err = hw_error_set(HW_EINVAL, catalog, 0, 0,
				   "engine '%s' needs fixed_overhead_gib >= 0, "
				   "activation_factor > 0 and "
				   "0 < memory_utilization <= 1",
				   name);
	cJSON_Delete(root);
	return err;
}
