/*
 * fake_nvml.c — a stand-in for libnvidia-ml.so.1 with NVML's symbols and
 * signatures, for machines with no NVIDIA GPU. It answers from the JSON
 * scenario named by $FAKE_NVML_SCENARIO:
 *
 *   {"init": 0, "driver": "550.54.14", "cuda": 12040,
 *    "gpus": [{"name": "...", "uuid": "...", "bus_id": "...",
 *              "memory_total": 85899345920, "memory_used": 1073741824,
 *              "utilization": 5, "temperature": 31, "power_mw": 71000,
 *              "power_limit_mw": 700000, "clock_sm": 1980,
 *              "clock_mem": 2619, "cc": [9, 0], "mig": 0}]}
 *
 * A value "not_supported" makes that call return NVML_ERROR_NOT_SUPPORTED;
 * a non-zero "init" makes nvmlInit fail with that code; "init": "crash"
 * crashes the process (SIGSEGV) and "init": "hang" never returns, as a
 * broken or stuck driver does. Built twice: the
 * second time with OLD_DRIVER, without the symbols an old driver lacks.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

typedef void *nvmlDevice_t;

typedef struct {
	unsigned long long total, free, used;
} nvmlMemory_t;

typedef struct {
	unsigned int gpu, memory;
} nvmlUtilization_t;

typedef struct {
	char busIdLegacy[16];
	unsigned int domain, bus, device, pciDeviceId, pciSubSystemId;
	char busId[32];
} nvmlPciInfo_t;

static cJSON *scenario;

static const cJSON *gpu(nvmlDevice_t d)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItem(scenario, "gpus"),
				  (int)(long)d - 1);
}

/* 0 ok, 3 not supported, 2 bad device */
static int field(nvmlDevice_t d, const char *key, const cJSON **out)
{
	const cJSON *g = gpu(d), *v;

	if (!g)
		return 2;
	v = cJSON_GetObjectItem(g, key);
	if (!v || (cJSON_IsString(v) && !strcmp(v->valuestring, "not_supported")))
		return 3;
	*out = v;
	return 0;
}

int nvmlInit_v2(void);
int nvmlInit_v2(void)
{
	const char *path = getenv("FAKE_NVML_SCENARIO");
	FILE *f = path ? fopen(path, "rb") : NULL;
	static char buf[1 << 16];
	const cJSON *init;
	size_t n;
	int rc;

	if (!f)
		return 9; /* NVML_ERROR_DRIVER_NOT_LOADED */
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	cJSON_Delete(scenario);
	scenario = cJSON_Parse(buf);
	if (!scenario)
		return 999;
	init = cJSON_GetObjectItem(scenario, "init");
	if (cJSON_IsString(init) && !strcmp(init->valuestring, "crash"))
		raise(SIGSEGV);
	while (cJSON_IsString(init) && !strcmp(init->valuestring, "hang"))
		pause();
	rc = init ? init->valueint : 0;
	if (rc != 0) {
		/* A failed nvmlInit leaves nothing to shut down, like the real one. */
		cJSON_Delete(scenario);
		scenario = NULL;
	}
	return rc;
}

int nvmlShutdown(void);
int nvmlShutdown(void)
{
	cJSON_Delete(scenario);
	scenario = NULL;
	return 0;
}

const char *nvmlErrorString(int rc);
const char *nvmlErrorString(int rc)
{
	switch (rc) {
	case 3: return "Not Supported";
	case 9: return "Driver Not Loaded";
	case 2: return "Invalid Argument";
	default: return "Unknown Error";
	}
}

int nvmlSystemGetDriverVersion(char *out, unsigned int len);
int nvmlSystemGetDriverVersion(char *out, unsigned int len)
{
	const cJSON *v = cJSON_GetObjectItem(scenario, "driver");

	if (!cJSON_IsString(v))
		return 3;
	snprintf(out, len, "%s", v->valuestring);
	return 0;
}

int nvmlSystemGetCudaDriverVersion_v2(int *v);
int nvmlSystemGetCudaDriverVersion_v2(int *v)
{
	const cJSON *c = cJSON_GetObjectItem(scenario, "cuda");

	if (!cJSON_IsNumber(c))
		return 3;
	*v = c->valueint;
	return 0;
}

int nvmlDeviceGetCount_v2(unsigned int *n);
int nvmlDeviceGetCount_v2(unsigned int *n)
{
	*n = (unsigned)cJSON_GetArraySize(cJSON_GetObjectItem(scenario, "gpus"));
	return 0;
}

int nvmlDeviceGetHandleByIndex_v2(unsigned int i, nvmlDevice_t *d);
int nvmlDeviceGetHandleByIndex_v2(unsigned int i, nvmlDevice_t *d)
{
	*d = (nvmlDevice_t)(long)(i + 1);
	return gpu(*d) ? 0 : 2;
}

#define TEXT_CALL(fn, key)                                                     \
	int fn(nvmlDevice_t d, char *out, unsigned int len);                   \
	int fn(nvmlDevice_t d, char *out, unsigned int len)                    \
	{                                                                      \
		const cJSON *v;                                                \
		int rc = field(d, key, &v);                                    \
		if (!rc)                                                       \
			snprintf(out, len, "%s", v->valuestring);              \
		return rc;                                                     \
	}

TEXT_CALL(nvmlDeviceGetName, "name")
TEXT_CALL(nvmlDeviceGetUUID, "uuid")

int nvmlDeviceGetPciInfo_v3(nvmlDevice_t d, nvmlPciInfo_t *p);
int nvmlDeviceGetPciInfo_v3(nvmlDevice_t d, nvmlPciInfo_t *p)
{
	const cJSON *v;
	int rc = field(d, "bus_id", &v);

	memset(p, 0, sizeof(*p));
	if (!rc)
		snprintf(p->busId, sizeof(p->busId), "%s", v->valuestring);
	return rc;
}

int nvmlDeviceGetMemoryInfo(nvmlDevice_t d, nvmlMemory_t *m);
int nvmlDeviceGetMemoryInfo(nvmlDevice_t d, nvmlMemory_t *m)
{
	const cJSON *t, *u;
	int rc = field(d, "memory_total", &t);

	if (!rc)
		rc = field(d, "memory_used", &u);
	if (!rc) {
		m->total = (unsigned long long)t->valuedouble;
		m->used = (unsigned long long)u->valuedouble;
		m->free = m->total - m->used;
	}
	return rc;
}

int nvmlDeviceGetUtilizationRates(nvmlDevice_t d, nvmlUtilization_t *u);
int nvmlDeviceGetUtilizationRates(nvmlDevice_t d, nvmlUtilization_t *u)
{
	const cJSON *v;
	int rc = field(d, "utilization", &v);

	if (!rc)
		u->gpu = u->memory = (unsigned)v->valueint;
	return rc;
}

#define UINT_CALL(fn, key)                                                     \
	int fn(nvmlDevice_t d, unsigned int *out);                             \
	int fn(nvmlDevice_t d, unsigned int *out)                              \
	{                                                                      \
		const cJSON *v;                                                \
		int rc = field(d, key, &v);                                    \
		if (!rc)                                                       \
			*out = (unsigned)v->valuedouble;                       \
		return rc;                                                     \
	}

UINT_CALL(nvmlDeviceGetPowerUsage, "power_mw")
UINT_CALL(nvmlDeviceGetEnforcedPowerLimit, "power_limit_mw")

int nvmlDeviceGetTemperature(nvmlDevice_t d, int sensor, unsigned int *t);
int nvmlDeviceGetTemperature(nvmlDevice_t d, int sensor, unsigned int *t)
{
	const cJSON *v;
	int rc = sensor == 0 ? field(d, "temperature", &v) : 2;

	if (!rc)
		*t = (unsigned)v->valueint;
	return rc;
}

int nvmlDeviceGetClockInfo(nvmlDevice_t d, int type, unsigned int *c);
int nvmlDeviceGetClockInfo(nvmlDevice_t d, int type, unsigned int *c)
{
	const cJSON *v;
	int rc = field(d, type == 1 ? "clock_sm" : "clock_mem", &v);

	if (!rc)
		*c = (unsigned)v->valueint;
	return rc;
}

#ifndef OLD_DRIVER
int nvmlDeviceGetCudaComputeCapability(nvmlDevice_t d, int *major, int *minor);
int nvmlDeviceGetCudaComputeCapability(nvmlDevice_t d, int *major, int *minor)
{
	const cJSON *v;
	int rc = field(d, "cc", &v);

	if (!rc) {
		*major = cJSON_GetArrayItem(v, 0)->valueint;
		*minor = cJSON_GetArrayItem(v, 1)->valueint;
	}
	return rc;
}

int nvmlDeviceGetMigMode(nvmlDevice_t d, unsigned int *cur, unsigned int *pend);
int nvmlDeviceGetMigMode(nvmlDevice_t d, unsigned int *cur, unsigned int *pend)
{
	const cJSON *v;
	int rc = field(d, "mig", &v);

	if (!rc)
		*cur = *pend = (unsigned)v->valueint;
	return rc;
}
#endif
