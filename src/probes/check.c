/*
 * check.c — probe checks: expectations about probed hosts, kept in
 * probes/checks/ as JSON (schema hwledger.probecheck/1):
 *
 *   {"name": "...", "expect": {"gpus_min": 1, "gpu0_free_min_bytes": 2e10,
 *    "readings": "ok-or-unsupported", "host_memory_min_bytes": 1e9,
 *    "host_threads_min": 2}}
 *
 * Every expectation is applied to every probed host.
 */
#include "probes.h"

#include <string.h>

static int all_readings_fine(const hw_probe *p, char *why, size_t size)
{
	const hw_reading *rs[3 + HR_COUNT];
	size_t n = 0;

	if (!p->reachable) {
		snprintf(why, size, "%s: %s", p->host, p->error.reason);
		return 0;
	}
	for (int k = 0; k < HR_COUNT; k++)
		rs[n++] = &p->host_r[k];
	rs[n++] = &p->nvidia;
	rs[n++] = &p->amd;
	rs[n++] = &p->apple;
	for (size_t i = 0; i < n; i++)
		if (rs[i]->status == HW_READ_ERROR) {
			snprintf(why, size, "%s: a reading is an error: %s",
				 p->host, rs[i]->reason);
			return 0;
		}
	for (size_t g = 0; g < p->ngpus; g++)
		for (int k = 0; k < GR_COUNT; k++)
			if (p->gpus[g].r[k].status == HW_READ_ERROR) {
				snprintf(why, size, "%s: GPU %zu %s: %s", p->host,
					 g, hw_gpu_reading_names[k],
					 p->gpus[g].r[k].reason);
				return 0;
			}
	return 1;
}

static int at_least(const hw_reading *r, double min, const char *what,
		    const char *host, char *why, size_t size)
{
	if (r->status != HW_READ_OK) {
		snprintf(why, size, "%s: %s is not known (%s)", host, what,
			 r->reason);
		return 0;
	}
	if (r->value < min) {
		snprintf(why, size, "%s: %s is %.6g, below %.6g", host, what,
			 r->value, min);
		return 0;
	}
	return 1;
}

/* Implements: FR-PROBE-005 */
int hw_probe_check_file(cJSON **result, const char *path, const hw_probe *p,
			size_t n)
{
	cJSON *spec = NULL, *res, *fails;
	const cJSON *expect, *name, *e;
	int err;

	*result = NULL;
	if ((err = hw_json_load(&spec, path, 1 << 20)))
		return err;
	expect = cJSON_GetObjectItemCaseSensitive(spec, "expect");
	name = cJSON_GetObjectItemCaseSensitive(spec, "name");
	if (!cJSON_IsObject(expect) || !cJSON_IsString(name)) {
		cJSON_Delete(spec);
		return hw_error_set(HW_EINVAL, path, 1, 1,
				    "a probe check needs \"name\" and "
				    "\"expect\"");
	}
	cJSON_ArrayForEach(e, expect) {
		if (strcmp(e->string, "readings") && !cJSON_IsNumber(e)) {
			err = hw_error_set(HW_EINVAL, path, 0, 0,
					   "\"%s\" must be a number", e->string);
			cJSON_Delete(spec);
			return err;
		}
		if (strcmp(e->string, "gpus_min") &&
		    strcmp(e->string, "gpu0_free_min_bytes") &&
		    strcmp(e->string, "host_memory_min_bytes") &&
		    strcmp(e->string, "host_threads_min") &&
		    strcmp(e->string, "readings")) {
			err = hw_error_set(HW_EINVAL, path, 0, 0,
					   "unknown expectation \"%s\"",
					   e->string);
			cJSON_Delete(spec);
			return err;
		}
	}
	res = cJSON_CreateObject();
	fails = cJSON_AddArrayToObject(res, "failures");
	hw_json_add_str(res, "name", name->valuestring);
	hw_json_add_str(res, "file", path);
	for (size_t i = 0; i < n; i++) {
		cJSON_ArrayForEach(e, expect) {
			char why[512] = "";
			int ok = 1;

			if (!strcmp(e->string, "readings")) {
				ok = all_readings_fine(&p[i], why, sizeof(why));
			} else if (!p[i].reachable) {
				ok = 0;
				snprintf(why, sizeof(why), "%s: unreachable: %s",
					 p[i].host, p[i].error.reason);
			} else if (!strcmp(e->string, "gpus_min")) {
				ok = (double)p[i].ngpus >= e->valuedouble;
				if (!ok)
					snprintf(why, sizeof(why),
						 "%s: %zu GPUs, expected at "
						 "least %.0f",
						 p[i].host, p[i].ngpus,
						 e->valuedouble);
			} else if (!strcmp(e->string, "gpu0_free_min_bytes")) {
				if (!p[i].ngpus) {
					ok = 0;
					snprintf(why, sizeof(why),
						 "%s: no GPU 0", p[i].host);
				} else {
					ok = at_least(&p[i].gpus[0].r[GR_MEM_FREE],
						      e->valuedouble,
						      "GPU 0 free memory",
						      p[i].host, why, sizeof(why));
				}
			} else if (!strcmp(e->string, "host_memory_min_bytes")) {
				ok = at_least(&p[i].host_r[HR_MEM_TOTAL],
					      e->valuedouble, "host memory",
					      p[i].host, why, sizeof(why));
			} else {
				ok = at_least(&p[i].host_r[HR_THREADS],
					      e->valuedouble, "CPU threads",
					      p[i].host, why, sizeof(why));
			}
			if (!ok)
				cJSON_AddItemToArray(fails, cJSON_CreateString(why));
		}
	}
	cJSON_AddBoolToObject(res, "ok", cJSON_GetArraySize(fails) == 0);
	cJSON_Delete(spec);
	*result = res;
	return HW_OK;
}
