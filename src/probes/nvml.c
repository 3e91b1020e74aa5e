/*
 * nvml.c — NVIDIA GPUs through NVML, loaded at run time with dlopen
 * (libnvidia-ml.so.1, or $HWLEDGER_NVML_LIB), so hwledger runs where no
 * driver is installed. Each reading comes from its own call: a call that
 * answers NVML_ERROR_NOT_SUPPORTED makes that reading alone unsupported, a
 * symbol an old driver lacks makes its readings unsupported with the
 * symbol's name, and nothing unknown is reported as 0.
 */
#include "probes.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

typedef int nvret;
typedef void *nvdev;

enum { NV_SUCCESS = 0, NV_NOT_SUPPORTED = 3, NV_INSUFFICIENT_SIZE = 7,
       NV_FUNCTION_NOT_FOUND = 13 };

typedef struct {
	unsigned long long total, free, used;
} nv_memory;

typedef struct {
	unsigned int gpu, memory;
} nv_util;

typedef struct {
	char bus_id_legacy[16];
	unsigned int domain, bus, device, pci_device_id, pci_subsystem_id;
	char bus_id[32];
} nv_pci;

typedef struct nv {
	void *lib;
	nvret (*init)(void);
	nvret (*shutdown)(void);
	const char *(*error_string)(nvret);
	nvret (*driver_version)(char *, unsigned int);
	nvret (*cuda_version)(int *);
	nvret (*count)(unsigned int *);
	nvret (*handle)(unsigned int, nvdev *);
	nvret (*name)(nvdev, char *, unsigned int);
	nvret (*uuid)(nvdev, char *, unsigned int);
	nvret (*pci)(nvdev, nv_pci *);
	nvret (*memory)(nvdev, nv_memory *);
	nvret (*util)(nvdev, nv_util *);
	nvret (*temperature)(nvdev, int, unsigned int *);
	nvret (*power)(nvdev, unsigned int *);
	nvret (*power_limit)(nvdev, unsigned int *);
	nvret (*clock)(nvdev, int, unsigned int *);
	nvret (*compute_cap)(nvdev, int *, int *);
	nvret (*mig)(nvdev, unsigned int *, unsigned int *);
} nv;

static void *sym(nv *n, const char *a, const char *b)
{
	void *f = dlsym(n->lib, a);

	return f || !b ? f : dlsym(n->lib, b);
}

static const char *why(nv *n, nvret rc)
{
	const char *s = n->error_string ? n->error_string(rc) : NULL;

	return s ? s : "NVML error";
}

/* One reading from one NVML call: ok, unsupported or error. */
static int outcome(nv *n, hw_reading *r, nvret rc, const char *call)
{
	if (rc == NV_SUCCESS)
		return 1;
	if (rc == NV_NOT_SUPPORTED)
		hw_reading_set(r, HW_READ_UNSUPPORTED,
			       "%s: not supported on this GPU", call);
	else
		hw_reading_set(r, HW_READ_ERROR, "%s: %s (%d)", call,
			       why(n, rc), rc);
	return 0;
}

static void missing(hw_reading *r, const char *symbol)
{
	hw_reading_set(r, HW_READ_UNSUPPORTED,
		       "this driver's NVML has no %s", symbol);
}

static void probe_device(nv *n, hw_gpu_probe *g, nvdev d)
{
	char buf[128];
	unsigned int v = 0, pending;
	nv_memory mem;
	nv_util u;
	nv_pci pci;
	int major, minor;

	snprintf(g->vendor, sizeof(g->vendor), "nvidia");
	snprintf(g->source, sizeof(g->source), "nvml");
	if (!n->name)
		missing(&g->r[GR_NAME], "nvmlDeviceGetName");
	else if (outcome(n, &g->r[GR_NAME], n->name(d, buf, sizeof(buf)),
			 "nvmlDeviceGetName"))
		hw_reading_text(&g->r[GR_NAME], buf, strnlen(buf, sizeof(buf)));
	if (!n->uuid)
		missing(&g->r[GR_UUID], "nvmlDeviceGetUUID");
	else if (outcome(n, &g->r[GR_UUID], n->uuid(d, buf, sizeof(buf)),
			 "nvmlDeviceGetUUID"))
		hw_reading_text(&g->r[GR_UUID], buf, strnlen(buf, sizeof(buf)));
	if (!n->pci)
		missing(&g->r[GR_PCI], "nvmlDeviceGetPciInfo_v3");
	else if (outcome(n, &g->r[GR_PCI], n->pci(d, &pci),
			 "nvmlDeviceGetPciInfo"))
		hw_reading_text(&g->r[GR_PCI], pci.bus_id,
				strnlen(pci.bus_id, sizeof(pci.bus_id)));
	if (!n->memory) {
		missing(&g->r[GR_MEM_TOTAL], "nvmlDeviceGetMemoryInfo");
		g->r[GR_MEM_USED] = g->r[GR_MEM_FREE] = g->r[GR_MEM_TOTAL];
	} else if (outcome(n, &g->r[GR_MEM_TOTAL], n->memory(d, &mem),
			   "nvmlDeviceGetMemoryInfo")) {
		hw_reading_ok(&g->r[GR_MEM_TOTAL], (double)mem.total, "bytes");
		hw_reading_ok(&g->r[GR_MEM_USED], (double)mem.used, "bytes");
		hw_reading_ok(&g->r[GR_MEM_FREE], (double)mem.free, "bytes");
	} else {
		g->r[GR_MEM_USED] = g->r[GR_MEM_FREE] = g->r[GR_MEM_TOTAL];
	}
	if (!n->util)
		missing(&g->r[GR_UTIL], "nvmlDeviceGetUtilizationRates");
	else if (outcome(n, &g->r[GR_UTIL], n->util(d, &u),
			 "nvmlDeviceGetUtilizationRates"))
		hw_reading_ok(&g->r[GR_UTIL], u.gpu, "%");
	if (!n->temperature)
		missing(&g->r[GR_TEMP], "nvmlDeviceGetTemperature");
	else if (outcome(n, &g->r[GR_TEMP], n->temperature(d, 0, &v),
			 "nvmlDeviceGetTemperature"))
		hw_reading_ok(&g->r[GR_TEMP], v, "C");
	if (!n->power)
		missing(&g->r[GR_POWER], "nvmlDeviceGetPowerUsage");
	else if (outcome(n, &g->r[GR_POWER], n->power(d, &v),
			 "nvmlDeviceGetPowerUsage"))
		hw_reading_ok(&g->r[GR_POWER], v / 1000.0, "W");
	if (!n->power_limit)
		missing(&g->r[GR_POWER_LIMIT], "nvmlDeviceGetEnforcedPowerLimit");
	else if (outcome(n, &g->r[GR_POWER_LIMIT], n->power_limit(d, &v),
			 "nvmlDeviceGetEnforcedPowerLimit"))
		hw_reading_ok(&g->r[GR_POWER_LIMIT], v / 1000.0, "W");
	if (!n->clock) {
		missing(&g->r[GR_CLOCK_SM], "nvmlDeviceGetClockInfo");
		g->r[GR_CLOCK_MEM] = g->r[GR_CLOCK_SM];
	} else {
		if (outcome(n, &g->r[GR_CLOCK_SM], n->clock(d, 1, &v),
			    "nvmlDeviceGetClockInfo(SM)"))
			hw_reading_ok(&g->r[GR_CLOCK_SM], v, "MHz");
		if (outcome(n, &g->r[GR_CLOCK_MEM], n->clock(d, 2, &v),
			    "nvmlDeviceGetClockInfo(MEM)"))
			hw_reading_ok(&g->r[GR_CLOCK_MEM], v, "MHz");
	}
	if (!n->compute_cap)
		missing(&g->r[GR_COMPUTE_CAP], "nvmlDeviceGetCudaComputeCapability");
	else if (outcome(n, &g->r[GR_COMPUTE_CAP],
			 n->compute_cap(d, &major, &minor),
			 "nvmlDeviceGetCudaComputeCapability")) {
		snprintf(buf, sizeof(buf), "%d.%d", major, minor);
		hw_reading_text(&g->r[GR_COMPUTE_CAP], buf, strlen(buf));
	}
	if (!n->mig)
		missing(&g->r[GR_MIG], "nvmlDeviceGetMigMode");
	else if (outcome(n, &g->r[GR_MIG], n->mig(d, &v, &pending),
			 "nvmlDeviceGetMigMode"))
		hw_reading_text(&g->r[GR_MIG], v ? "enabled" : "disabled",
				v ? 7 : 8);
}

/* Implements: FR-PROBE-001, FR-PROBE-002 */
void hw_probe_nvml(hw_probe *p)
{
	const char *path = getenv("HWLEDGER_NVML_LIB");
	nv n;
	nvret rc;
	unsigned int count = 0;
	char buf[96];
	int cuda;

	memset(&n, 0, sizeof(n));
	n.lib = hw_dlopen(path && *path ? path : "libnvidia-ml.so.1", NULL);
	if (!n.lib) {
		hw_error_clear(); /* a missing driver is a reading, not an error */
		hw_reading_set(&p->nvidia, HW_READ_UNSUPPORTED,
			       "no NVIDIA driver (%s cannot be loaded)",
			       path && *path ? path : "libnvidia-ml.so.1");
		p->driver = p->cuda = p->nvidia;
		return;
	}
	n.init = (nvret(*)(void))sym(&n, "nvmlInit_v2", "nvmlInit");
	n.shutdown = (nvret(*)(void))sym(&n, "nvmlShutdown", NULL);
	n.error_string = (const char *(*)(nvret))sym(&n, "nvmlErrorString", NULL);
	n.driver_version = (nvret(*)(char *, unsigned))sym(
		&n, "nvmlSystemGetDriverVersion", NULL);
	n.cuda_version = (nvret(*)(int *))sym(&n, "nvmlSystemGetCudaDriverVersion_v2",
					      "nvmlSystemGetCudaDriverVersion");
	n.count = (nvret(*)(unsigned *))sym(&n, "nvmlDeviceGetCount_v2",
					    "nvmlDeviceGetCount");
	n.handle = (nvret(*)(unsigned, nvdev *))sym(
		&n, "nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex");
	n.name = (nvret(*)(nvdev, char *, unsigned))sym(&n, "nvmlDeviceGetName",
							 NULL);
	n.uuid = (nvret(*)(nvdev, char *, unsigned))sym(&n, "nvmlDeviceGetUUID",
							 NULL);
	n.pci = (nvret(*)(nvdev, nv_pci *))sym(&n, "nvmlDeviceGetPciInfo_v3",
					       "nvmlDeviceGetPciInfo_v2");
	n.memory = (nvret(*)(nvdev, nv_memory *))sym(&n, "nvmlDeviceGetMemoryInfo",
						     NULL);
	n.util = (nvret(*)(nvdev, nv_util *))sym(
		&n, "nvmlDeviceGetUtilizationRates", NULL);
	n.temperature = (nvret(*)(nvdev, int, unsigned *))sym(
		&n, "nvmlDeviceGetTemperature", NULL);
	n.power = (nvret(*)(nvdev, unsigned *))sym(&n, "nvmlDeviceGetPowerUsage",
						   NULL);
	n.power_limit = (nvret(*)(nvdev, unsigned *))sym(
		&n, "nvmlDeviceGetEnforcedPowerLimit", NULL);
	n.clock = (nvret(*)(nvdev, int, unsigned *))sym(&n, "nvmlDeviceGetClockInfo",
							NULL);
	n.compute_cap = (nvret(*)(nvdev, int *, int *))sym(
		&n, "nvmlDeviceGetCudaComputeCapability", NULL);
	n.mig = (nvret(*)(nvdev, unsigned *, unsigned *))sym(
		&n, "nvmlDeviceGetMigMode", NULL);
	if (!n.init || !n.count || !n.handle) {
		hw_reading_set(&p->nvidia, HW_READ_ERROR,
			       "the NVML library lacks nvmlInit, "
			       "nvmlDeviceGetCount or "
			       "nvmlDeviceGetHandleByIndex");
		p->driver = p->cuda = p->nvidia;
		dlclose(n.lib);
		return;
	}
	rc = n.init();
	if (rc != NV_SUCCESS) {
		hw_reading_set(&p->nvidia, HW_READ_ERROR, "nvmlInit: %s (%d)",
			       why(&n, rc), rc);
		p->driver = p->cuda = p->nvidia;
		dlclose(n.lib);
		return;
	}
	hw_reading_text(&p->nvidia, "nvml", 4);
	if (!n.driver_version)
		missing(&p->driver, "nvmlSystemGetDriverVersion");
	else if (outcome(&n, &p->driver, n.driver_version(buf, sizeof(buf)),
			 "nvmlSystemGetDriverVersion"))
		hw_reading_text(&p->driver, buf, strnlen(buf, sizeof(buf)));
	if (!n.cuda_version)
		missing(&p->cuda, "nvmlSystemGetCudaDriverVersion");
	else if (outcome(&n, &p->cuda, n.cuda_version(&cuda),
			 "nvmlSystemGetCudaDriverVersion")) {
		snprintf(buf, sizeof(buf), "%d.%d", cuda / 1000, cuda % 1000 / 10);
		hw_reading_text(&p->cuda, buf, strlen(buf));
	}
	rc = n.count(&count);
	if (rc != NV_SUCCESS) {
		hw_reading_set(&p->nvidia, HW_READ_ERROR,
			       "nvmlDeviceGetCount: %s (%d)", why(&n, rc), rc);
		count = 0;
	}
	for (unsigned i = 0; i < count && p->ngpus < HW_PROBE_MAX_GPUS; i++) {
		nvdev d = NULL;
		hw_gpu_probe *g = &p->gpus[p->ngpus];

		memset(g, 0, sizeof(*g));
		rc = n.handle(i, &d);
		p->ngpus++;
		if (rc != NV_SUCCESS) {
			snprintf(g->vendor, sizeof(g->vendor), "nvidia");
			snprintf(g->source, sizeof(g->source), "nvml");
			for (int k = 0; k < GR_COUNT; k++)
				hw_reading_set(&g->r[k], HW_READ_ERROR,
					       "nvmlDeviceGetHandleByIndex(%u): "
					       "%s",
					       i, why(&n, rc));
			continue;
		}
		probe_device(&n, g, d);
	}
	if (n.shutdown)
		n.shutdown();
	dlclose(n.lib);
}
