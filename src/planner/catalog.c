/*
 * catalog.c — the GPU catalog (planner/gpus.json) and the engine profiles
 * (planner/engines.json). Names match case-insensitively.
 */
#include "planner.h"

#include <string.h>

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

/* Implements: FR-PLAN-004 */
int hw_gpu_find(hw_gpu *g, const char *catalog, const char *name)
{
	cJSON *root = NULL;
	const cJSON *e;
	int err;

	memset(g, 0, sizeof(*g));
	if ((err = hw_json_load(&root, catalog, (size_t)4 << 20)))
		return err;
	e = find_named(root, "gpus", name);
	if (!e) {
		cJSON_Delete(root);
		return hw_error_set(HW_EUSAGE, catalog, 0, 0,
				    "no GPU named '%s' (see the \"gpus\" list)",
				    name);
	}
	snprintf(g->name, sizeof(g->name), "%s",
		 cJSON_GetObjectItemCaseSensitive(e, "name")->valuestring);
	g->memory_bytes = num(e, "memory_gib") * 1073741824.0;
	g->bandwidth = num(e, "bandwidth_gb_s") * 1e9;
	if (g->memory_bytes <= 0 || g->bandwidth <= 0)
		err = hw_error_set(HW_EINVAL, catalog, 0, 0,
				   "GPU '%s' needs positive \"memory_gib\" and "
				   "\"bandwidth_gb_s\"",
				   name);
	cJSON_Delete(root);
	return err;
}

int hw_engine_find(hw_engine *en, const char *catalog, const char *name)
{
	cJSON *root = NULL;
	const cJSON *e;
	int err;

	memset(en, 0, sizeof(*en));
	if ((err = hw_json_load(&root, catalog, (size_t)1 << 20)))
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
