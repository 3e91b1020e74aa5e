/*
 * check.c — plan checks: the JSON files of planner/checks/ pin the planner's answers
 * for a model (exact values or ranges of any output key), so they become
 * evidence the ledger can sign.
 *
 *   {"schema": "hwledger.plancheck/1", "name": "...",
 *    "model": "planner/models/llama-3.1-8b.json",
 *    "inputs": {"ctx": 8192, "batch": 1, "quant": "bf16", "kv_dtype": "fp16",
 *               "tp": 1, "pp": 1, "engine": "vllm", "gpu": "H100 SXM"},
 *    "expect": {"kv_bytes_per_token": 131072,
 *               "params_total": {"min": 8.0e9, "max": 8.1e9},
 *               "fits": true, "attention": "GQA"}}
 */
#include "planner.h"

#include <math.h>
#include <string.h>

static int fill_inputs(hw_plan_inputs *in, const cJSON *o, const char *file)
{
	const cJSON *v;
	hw_gpu g;
	const char *engine = "vllm";
	int err;

	memset(in, 0, sizeof(*in));
	in->ctx = 4096;
	in->batch = 1;
	in->tp = in->pp = 1;
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "ctx")) && cJSON_IsNumber(v))
		in->ctx = (long)v->valuedouble;
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "batch")) && cJSON_IsNumber(v))
		in->batch = (long)v->valuedouble;
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "tp")) && cJSON_IsNumber(v))
		in->tp = (int)v->valuedouble;
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "pp")) && cJSON_IsNumber(v))
		in->pp = (int)v->valuedouble;
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "quant")) && cJSON_IsString(v))
		snprintf(in->quant, sizeof(in->quant), "%s", v->valuestring);
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "kv_dtype")) &&
	    cJSON_IsString(v))
		snprintf(in->kv_dtype, sizeof(in->kv_dtype), "%s", v->valuestring);
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "engine")) && cJSON_IsString(v))
		engine = v->valuestring;
	if ((err = hw_engine_find(&in->engine, HW_PLANNER_ENGINES, engine)))
		return err;
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "gpu")) && cJSON_IsString(v)) {
		if ((err = hw_gpu_find(&g, HW_PLANNER_GPUS, v->valuestring)))
			return err;
		in->gpu_memory = g.memory_bytes;
		in->gpu_bandwidth = g.bandwidth;
		snprintf(in->gpu_name, sizeof(in->gpu_name), "%s", g.name);
	}
	(void)file;
	return HW_OK;
}

/* Compares one expectation with the plan's JSON value. */
static int expect_ok(const cJSON *want, const cJSON *got, char *why,
		     size_t size)
{
	if (!got) {
		snprintf(why, size, "no such output key");
		return 0;
	}
	if (cJSON_IsObject(want)) {
		const cJSON *lo = cJSON_GetObjectItemCaseSensitive(want, "min");
		const cJSON *hi = cJSON_GetObjectItemCaseSensitive(want, "max");

		if (!cJSON_IsNumber(got)) {
			snprintf(why, size, "not a number");
			return 0;
		}
		if ((lo && got->valuedouble < lo->valuedouble) ||
		    (hi && got->valuedouble > hi->valuedouble)) {
			snprintf(why, size, "%.6g is outside [%.6g, %.6g]",
				 got->valuedouble,
				 lo ? lo->valuedouble : -INFINITY,
				 hi ? hi->valuedouble : INFINITY);
			return 0;
		}
		return 1;
	}
	if (cJSON_IsNumber(want)) {
		if (!cJSON_IsNumber(got) || got->valuedouble != want->valuedouble) {
			snprintf(why, size, "got %.17g, expected %.17g",
				 cJSON_IsNumber(got) ? got->valuedouble : NAN,
				 want->valuedouble);
			return 0;
		}
		return 1;
	}
	if (!cJSON_Compare(want, got, 1)) {
		char *g = cJSON_PrintUnformatted(got), *w = cJSON_PrintUnformatted(want);

		snprintf(why, size, "got %s, expected %s", g ? g : "?", w ? w : "?");
		cJSON_free(g);
		cJSON_free(w);
		return 0;
	}
	return 1;
}

/* Implements: FR-PLAN-006 */
int hw_plan_check_file(cJSON **result, const char *path)
{
	cJSON *spec = NULL, *planj = NULL, *res = NULL, *fails;
	const cJSON *model, *expect, *e, *name;
	hw_model m;
	hw_plan_inputs in;
	hw_plan p;
	hw_buf b;
	int err;

	*result = NULL;
	hw_buf_init(&b, 0);
	if ((err = hw_json_load(&spec, path, (size_t)1 << 20)))
		return err;
	model = cJSON_GetObjectItemCaseSensitive(spec, "model");
	expect = cJSON_GetObjectItemCaseSensitive(spec, "expect");
	name = cJSON_GetObjectItemCaseSensitive(spec, "name");
	if (!cJSON_IsString(model) || !cJSON_IsObject(expect) ||
	    !cJSON_IsString(name)) {
		err = hw_error_set(HW_EINVAL, path, 1, 1,
				   "a plan check needs \"name\", \"model\" and "
				   "\"expect\"");
		goto cleanup;
	}
	if ((err = hw_model_load(&m, model->valuestring)) ||
	    (err = fill_inputs(&in, cJSON_GetObjectItemCaseSensitive(spec, "inputs"),
			       path)) ||
	    (err = hw_plan_compute(&p, &m, &in)) ||
	    (err = hw_plan_json(&b, &m, &in, &p)) ||
	    (err = hw_json_parse(&planj, path, b.data, b.len)))
		goto cleanup;
	res = cJSON_CreateObject();
	fails = cJSON_AddArrayToObject(res, "failures");
	hw_json_add_str(res, "name", name->valuestring);
	hw_json_add_str(res, "file", path);
	cJSON_ArrayForEach(e, expect) {
		char why[256];

		if (!expect_ok(e, cJSON_GetObjectItemCaseSensitive(planj, e->string),
			       why, sizeof(why))) {
			char line[400];

			snprintf(line, sizeof(line), "%s: %s", e->string, why);
			cJSON_AddItemToArray(fails, cJSON_CreateString(line));
		}
	}
	cJSON_AddBoolToObject(res, "ok", cJSON_GetArraySize(fails) == 0);
	cJSON_AddItemToObject(res, "plan", planj);
	planj = NULL;
	*result = res;
cleanup:
	cJSON_Delete(spec);
	cJSON_Delete(planj);
	hw_buf_free(&b);
	return err;
}
