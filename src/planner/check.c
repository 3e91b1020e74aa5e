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

/* Where key of the check's "inputs" (or a key of the root, when key is
 * NULL: root) is written, for a message. */
static long where(const char *t, size_t n, const char *in, const char *key,
		  long *col)
{
	const char *const path[] = {in, key, NULL}, *const top[] = {in, NULL};
	long line;

	*col = 0;
	line = hw_json_line(t, n, path, col);
	if (!line && key) /* the inputs object itself */
		line = hw_json_line(t, n, top, col);
	return line ? line : 1;
}

/* The check's error at key's line: msg, or the message now last (of the
 * model the inputs are computed for) when msg is NULL. */
static int input_error(const char *file, const char *t, size_t n,
		       const char *in, const char *key, const char *msg)
{
	char last[512];
	long col, line = where(t, n, in, key, &col);

	if (!msg) {
		snprintf(last, sizeof(last), "%s", hw_error_last());
		msg = last;
	}
	return hw_error_set(HW_EINVAL, file, line, col, "%s%s%s", key ? key : "",
			    key ? ": " : "", msg);
}

/* The inputs the plan check names, each of a known key, of its type and,
 * for the counts, in the range the CLI's options take: a key misspelt or
 * of another type was a silent default. */
static int fill_inputs(hw_plan_inputs *in, const cJSON *o, const char *file,
		       const char *t, size_t tn)
{
	static const struct {
		const char *key;
		long max; /* 0: a string */
	} known[] = {{"ctx", 1L << 26}, {"batch", 1L << 20}, {"tp", 1024},
		     {"pp", 64},       {"quant", 0},        {"kv_dtype", 0},
		     {"engine", 0},    {"gpu", 0}};
	const cJSON *v;
	hw_gpu g;
	const char *engine = "vllm";
	char msg[160];
	int err;

	memset(in, 0, sizeof(*in));
	in->ctx = 4096;
	in->batch = 1;
	in->tp = in->pp = 1;
	if (!o)
		goto catalogs;
	if (!cJSON_IsObject(o))
		return input_error(file, t, tn, "inputs", NULL,
				   "\"inputs\" must be an object");
	for (v = o->child; v; v = v->next) {
		size_t k = 0;
		long max;

		while (k < sizeof(known) / sizeof(known[0]) &&
		       strcmp(v->string, known[k].key) != 0)
			k++;
		if (k == sizeof(known) / sizeof(known[0]))
			return input_error(file, t, tn, "inputs", v->string,
					   "unknown input (ctx, batch, tp, pp, "
					   "quant, kv_dtype, engine, gpu)");
		for (const cJSON *w = o->child; w != v; w = w->next)
			if (!strcmp(w->string, v->string))
				return input_error(file, t, tn, "inputs",
						   v->string,
						   "given twice");
		max = known[k].max;
		if (!max && (!cJSON_IsString(v) || !*v->valuestring ||
			     strlen(v->valuestring) >= 64))
			return input_error(file, t, tn, "inputs", v->string,
					   "expected a name of 1 to 63 "
					   "characters");
		if (max && (!cJSON_IsNumber(v) || !(v->valuedouble >= 1) ||
			    v->valuedouble > (double)max ||
			    v->valuedouble != (double)(long)v->valuedouble)) {
			snprintf(msg, sizeof(msg),
				 "expected a whole number from 1 to %ld", max);
			return input_error(file, t, tn, "inputs", v->string,
					   msg);
		}
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "ctx")))
		in->ctx = (long)v->valuedouble;
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "batch")))
		in->batch = (long)v->valuedouble;
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "tp")))
		in->tp = (int)v->valuedouble;
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "pp")))
		in->pp = (int)v->valuedouble;
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "quant")))
		snprintf(in->quant, sizeof(in->quant), "%s", v->valuestring);
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "kv_dtype")))
		snprintf(in->kv_dtype, sizeof(in->kv_dtype), "%s", v->valuestring);
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "engine")))
		engine = v->valuestring;
catalogs:
	/* a name the catalog lacks is the check's fault, at its line; a
	 * catalog that is bad keeps its own file and line */
	if ((err = hw_engine_find(&in->engine, HW_PLANNER_ENGINES, engine))) {
		if (err != HW_EUSAGE)
			return err;
		/* the catalog's message, at the check's line */
		snprintf(msg, sizeof(msg), "%s",
			 hw_error_last_about(HW_PLANNER_ENGINES));
		return input_error(file, t, tn, "inputs", "engine", msg);
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "gpu"))) {
		if ((err = hw_gpu_find(&g, HW_PLANNER_GPUS, v->valuestring))) {
			if (err != HW_EUSAGE)
				return err;
			snprintf(msg, sizeof(msg), "%s",
				 hw_error_last_about(HW_PLANNER_GPUS));
			return input_error(file, t, tn, "inputs", "gpu", msg);
		}
		in->gpu_memory = g.memory_bytes;
		in->gpu_bandwidth = g.bandwidth;
		snprintf(in->gpu_name, sizeof(in->gpu_name), "%s", g.name);
	}
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
	hw_buf b, t;
	int err;

	*result = NULL;
	hw_buf_init(&b, 0);
	hw_buf_init(&t, 0);
	if ((err = hw_file_read(&t, path, (size_t)1 << 20)) ||
	    (err = hw_json_parse(&spec, path, t.data ? t.data : "", t.len)))
		goto cleanup;
	model = cJSON_GetObjectItemCaseSensitive(spec, "model");
	expect = cJSON_GetObjectItemCaseSensitive(spec, "expect");
	name = cJSON_GetObjectItemCaseSensitive(spec, "name");
	if (!cJSON_IsString(model) || !cJSON_IsObject(expect) ||
	    !cJSON_IsString(name)) {
		/* at the first of them written wrong, else at line 1 */
		const char *bad = cJSON_IsString(name) ? NULL : "name";

		if (!bad)
			bad = cJSON_IsString(model) ? "expect" : "model";
		err = input_error(path, t.data, t.len, bad, NULL,
				  "a plan check needs \"name\", \"model\" "
				  "and \"expect\"");
		goto cleanup;
	}
	/* a model that is not there is the check's error, at its line; one
	 * that is there but wrong is the model file's */
	if (!hw_path_exists(model->valuestring)) {
		char msg[160];

		snprintf(msg, sizeof(msg), "no such model file '%.100s'",
			 model->valuestring);
		err = input_error(path, t.data, t.len, "model", NULL, msg);
		goto cleanup;
	}
	/* a range compares with "min" and "max" numbers: a bound misspelt
	 * or written as a string compared nothing, and passed */
	cJSON_ArrayForEach(e, expect) {
		int bounds = 0, odd = 0;

		if (!cJSON_IsObject(e))
			continue;
		for (const cJSON *x = e->child; x; x = x->next)
			if ((!strcmp(x->string, "min") ||
			     !strcmp(x->string, "max")) &&
			    cJSON_IsNumber(x))
				bounds++;
			else
				odd = 1;
		if (odd || !bounds || bounds > 2) {
			err = input_error(path, t.data, t.len, "expect",
					  e->string,
					  "a range is {\"min\": N, \"max\": N} "
					  "(one or both)");
			goto cleanup;
		}
	}
	if ((err = hw_model_load(&m, model->valuestring)) ||
	    (err = fill_inputs(&in, cJSON_GetObjectItemCaseSensitive(spec, "inputs"),
			       path, t.data, t.len)))
		goto cleanup;
	if (hw_plan_compute(&p, &m, &in) != HW_OK) {
		/* the planner's refusal, at the inputs' line */
		err = input_error(path, t.data, t.len, "inputs", NULL, NULL);
		goto cleanup;
	}
	if ((err = hw_plan_json(&b, &m, &in, &p)) ||
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
	hw_buf_free(&t);
	return err;
}
