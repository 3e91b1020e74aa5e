/*
 * probes.h — hardware probes.
 *
 * Owns: readings that are never a silent zero ({value, unit, status
 * ok|unsupported|error, reason}), the NVIDIA backend (NVML through dlopen),
 * AMD (rocm-smi --json, else amdgpu sysfs), Apple (system_profiler -json),
 * the Linux host (/proc and /sys), agentless remote probing over SSH with a
 * bounded pool and per-host timeouts, the parsers of the vendor tools'
 * outputs, and probe checks. See specs/probes.md. Depends on util.
 */
#ifndef HW_PROBES_H
#define HW_PROBES_H

#include "util/util.h"

#define HW_PROBE_SCHEMA "hwledger.probe/1"
#define HW_PROBE_MAX_GPUS 64

typedef enum {
	HW_READ_OK,
	HW_READ_UNSUPPORTED,
	HW_READ_ERROR
} hw_read_status;

typedef struct hw_reading {
	hw_read_status status;
	double value;       /* numeric readings */
	char text[128];     /* text readings (names, versions) */
	int is_text;
	char unit[12];
	char reason[160];   /* why it is not ok */
} hw_reading;

/* Per-GPU readings, in this order in JSON and tables. */
enum {
	GR_NAME, GR_UUID, GR_PCI, GR_MEM_TOTAL, GR_MEM_USED, GR_MEM_FREE,
	GR_UTIL, GR_TEMP, GR_POWER, GR_POWER_LIMIT, GR_CLOCK_SM, GR_CLOCK_MEM,
	GR_COMPUTE_CAP, GR_MIG, GR_COUNT
};

enum {
	HR_CPU_MODEL, HR_CORES, HR_THREADS, HR_MEM_TOTAL, HR_MEM_AVAILABLE,
	HR_NUMA_NODES, HR_HUGEPAGES_TOTAL, HR_HUGEPAGES_FREE, HR_OS, HR_KERNEL,
	HR_COUNT
};

typedef struct hw_gpu_probe {
	char vendor[16];    /* nvidia, amd, apple */
	char source[24];    /* nvml, nvidia-smi, rocm-smi, sysfs, system_profiler */
	hw_reading r[GR_COUNT];
} hw_gpu_probe;

typedef struct hw_probe {
	char host[128];     /* "local" or USER@HOST */
	int reachable;      /* 0: the host itself failed; see error */
	hw_reading error;   /* why the host failed, when it did */
	hw_reading host_r[HR_COUNT];
	hw_reading nvidia;  /* the backend: ok, or why it is not there */
	hw_reading driver, cuda;
	hw_reading amd, apple;
	hw_gpu_probe gpus[HW_PROBE_MAX_GPUS];
	size_t ngpus;
} hw_probe;

extern const char *const hw_gpu_reading_names[GR_COUNT];
extern const char *const hw_host_reading_names[HR_COUNT];

void hw_reading_ok(hw_reading *r, double v, const char *unit);
void hw_reading_text(hw_reading *r, const char *s, size_t n);
void hw_reading_set(hw_reading *r, hw_read_status st, const char *fmt, ...)
	/* hwledger-sast-ignore FF1016: format checked by -Wformat=2 */
	__attribute__((format(printf, 3, 4)));

/* Probes this machine: host, NVIDIA, AMD, Apple. Never fails on missing
 * hardware: that becomes an unsupported reading with its reason. */
int hw_probe_local(hw_probe *p);
/* Probes remote hosts over ssh, at most `pool` at once, each within
 * timeout_s; a failing host is reported in its result, not returned. */
int hw_probe_remote(hw_probe *results, const char *const *hosts, size_t n,
		    int pool, double timeout_s);

/* Adds the hosts of the hosts file at path (one a line, blank lines and
 * `#` comments skipped) to hosts[*n..max), pointing into text, which
 * receives the file (at most 1 MiB). More than max is HW_EINVAL. */
int hw_probe_hosts_file(hw_buf *text, const char **hosts, size_t *n,
			size_t max, const char *path);

/* Parsers of the vendor tools' outputs (also used on remote output). */
int hw_parse_nvidia_smi_csv(hw_probe *p, const char *text, size_t len);
int hw_parse_rocm_smi_json(hw_probe *p, const char *text, size_t len);
int hw_parse_system_profiler(hw_probe *p, const char *text, size_t len);
/* `macmon pipe -s 1`: live readings of the (first) Apple GPU. */
int hw_parse_macmon(hw_probe *p, const char *text, size_t len);
/* macmon is there but failed: its readings are errors saying why. */
void hw_macmon_failed(hw_probe *p, const char *why);
int hw_parse_meminfo(hw_probe *p, const char *text, size_t len);
int hw_parse_cpuinfo(hw_probe *p, const char *text, size_t len);

/* The NVIDIA backend through NVML ($HWLEDGER_NVML_LIB overrides). */
void hw_probe_nvml(hw_probe *p);
/* amdgpu sysfs under root (default /sys, $HWLEDGER_SYSFS_ROOT). */
void hw_probe_amd_sysfs(hw_probe *p, const char *root);

int hw_probe_json(hw_buf *out, const hw_probe *p, size_t n);
/* One host object of a hwledger.probe/1 document back into p (a probe
 * another machine made: a fleet's agent, a host over SSH). */
int hw_probe_read_json(hw_probe *p, const cJSON *host);
int hw_probe_text(hw_buf *out, const hw_probe *p, size_t n);

/* Probe checks: one JSON file of probes/checks/ against the results. */
int hw_probe_check_file(cJSON **result, const char *path, const hw_probe *p,
			size_t n);

#endif
