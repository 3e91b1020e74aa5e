/*
 * host.c — the Linux host from /proc and /sys: CPU model, cores and
 * threads, memory, NUMA nodes, hugepages, OS and kernel. The roots can be
 * moved ($HWLEDGER_PROC_ROOT, $HWLEDGER_SYSFS_ROOT) so tests can give a
 * fake tree. A file that is missing makes its readings unsupported.
 */
#include "probes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

/* The value after "Key:" on the line that starts with key. */
static int field(const char *text, size_t len, const char *key,
		 const char **v, size_t *vn)
{
	size_t kn = strlen(key);

	for (size_t i = 0; i < len;) {
		const char *line = text + i, *nl = memchr(line, '\n', len - i);
		size_t n = nl ? (size_t)(nl - line) : len - i;

		if (n > kn && !memcmp(line, key, kn) &&
		    (line[kn] == ':' || line[kn] == ' ' || line[kn] == '\t')) {
			const char *c = memchr(line, ':', n);

			if (c) {
				*v = c + 1;
				*vn = n - (size_t)(c + 1 - line);
				while (*vn && (**v == ' ' || **v == '\t')) {
					(*v)++;
					(*vn)--;
				}
				return 1;
			}
		}
		i += n + 1;
	}
	return 0;
}

/*
 * The number at the start of v[0..vn), read without looking past vn (the
 * text is a slice of a larger output, not a string); 0 when it is not a
 * finite number of at least zero.
 */
static int slice_number(const char *v, size_t vn, double *out)
{
	char buf[64], *end;
	size_t n = vn < sizeof(buf) - 1 ? vn : sizeof(buf) - 1;

	memcpy(buf, v, n);
	buf[n] = '\0';
	*out = strtod(buf, &end);
	return end != buf && isfinite(*out) && *out >= 0;
}

static void kib_reading(hw_reading *r, const char *text, size_t len,
			const char *key, const char *unit, double scale)
{
	const char *v;
	size_t vn;
	double x;

	if (!field(text, len, key, &v, &vn)) {
		hw_reading_set(r, HW_READ_UNSUPPORTED, "no %s line", key);
		return;
	}
	if (!slice_number(v, vn, &x) || !isfinite(x * scale)) {
		hw_reading_set(r, HW_READ_ERROR, "%s is not a number", key);
		return;
	}
	hw_reading_ok(r, x * scale, unit);
}

/* Implements: FR-PROBE-003 */
int hw_parse_meminfo(hw_probe *p, const char *text, size_t len)
{
	kib_reading(&p->host_r[HR_MEM_TOTAL], text, len, "MemTotal", "bytes",
		    1024);
	kib_reading(&p->host_r[HR_MEM_AVAILABLE], text, len, "MemAvailable",
		    "bytes", 1024);
	kib_reading(&p->host_r[HR_HUGEPAGES_TOTAL], text, len,
		    "HugePages_Total", "pages", 1);
	kib_reading(&p->host_r[HR_HUGEPAGES_FREE], text, len, "HugePages_Free",
		    "pages", 1);
	return HW_OK;
}

/* The id after the first ':' of a "key : value" line; -1 when there is
 * none or it is not a whole number below a billion. */
static long id_after_colon(const char *line, size_t n)
{
	const char *c = memchr(line, ':', n);
	double x;

	if (!c)
		return -1;
	c++;
	while (c < line + n && (*c == ' ' || *c == '\t'))
		c++;
	if (!slice_number(c, (size_t)(line + n - c), &x) || x >= 1e9 ||
	    x != (double)(long)x)
		return -1;
	return (long)x;
}

/* Implements: FR-PROBE-003 */
int hw_parse_cpuinfo(hw_probe *p, const char *text, size_t len)
{
	const char *v;
	size_t vn;
	long threads = 0, cores = 0;
	/* cores = distinct (physical id, core id) pairs; threads = processors */
	struct {
		long phys, core;
	} pairs[4096];
	size_t npairs = 0;
	long phys = 0;

	if (field(text, len, "model name", &v, &vn) ||
	    field(text, len, "Model", &v, &vn))
		hw_reading_text(&p->host_r[HR_CPU_MODEL], v, vn);
	else
		hw_reading_set(&p->host_r[HR_CPU_MODEL], HW_READ_UNSUPPORTED,
			       "no model name in cpuinfo");
	for (size_t i = 0; i < len;) {
		const char *line = text + i, *nl = memchr(line, '\n', len - i);
		size_t n = nl ? (size_t)(nl - line) : len - i;

		if (n >= 9 && !memcmp(line, "processor", 9))
			threads++;
		else if (n >= 11 && !memcmp(line, "physical id", 11))
			phys = id_after_colon(line, n);
		else if (n >= 7 && !memcmp(line, "core id", 7) && npairs < 4096) {
			long id = id_after_colon(line, n);
			int seen = 0;

			for (size_t k = 0; k < npairs && !seen; k++)
				seen = pairs[k].phys == phys && pairs[k].core == id;
			if (!seen && id >= 0) {
				pairs[npairs].phys = phys;
				pairs[npairs++].core = id;
			}
		}
		i += n + 1;
	}
	cores = (long)npairs;
	if (threads)
		hw_reading_ok(&p->host_r[HR_THREADS], (double)threads, "threads");
	else
		hw_reading_set(&p->host_r[HR_THREADS], HW_READ_ERROR,
			       "no processor lines in cpuinfo");
	if (cores)
		hw_reading_ok(&p->host_r[HR_CORES], (double)cores, "cores");
	else
		hw_reading_set(&p->host_r[HR_CORES], HW_READ_UNSUPPORTED,
			       "cpuinfo has no core ids (a VM or another "
			       "architecture)");
	return HW_OK;
}

static const char *root_of(const char *env, const char *def)
{
	const char *r = getenv(env);

	return r && *r ? r : def;
}

static int read_small(hw_buf *b, const char *root, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return hw_file_read(b, path, 4 << 20);
}

static void host_probe(hw_probe *p)
{
	const char *proc = root_of("HWLEDGER_PROC_ROOT", "/proc");
	const char *sys = root_of("HWLEDGER_SYSFS_ROOT", "/sys");
	hw_buf b;
	char **nodes = NULL;
	size_t n = 0;
	struct utsname u;
	char path[4096];

	hw_buf_init(&b, 0);
	/* /proc files report size 0; hw_file_read reads them to EOF */
	if (read_small(&b, proc, "cpuinfo") == HW_OK)
		hw_parse_cpuinfo(p, b.data, b.len);
	else
		for (int k = HR_CPU_MODEL; k <= HR_THREADS; k++)
			hw_reading_set(&p->host_r[k], HW_READ_UNSUPPORTED,
				       "%s", hw_error_last());
	if (read_small(&b, proc, "meminfo") == HW_OK)
		hw_parse_meminfo(p, b.data, b.len);
	else
		for (int k = HR_MEM_TOTAL; k <= HR_HUGEPAGES_FREE; k++)
			if (k != HR_NUMA_NODES)
				hw_reading_set(&p->host_r[k], HW_READ_UNSUPPORTED,
					       "%s", hw_error_last());
	snprintf(path, sizeof(path), "%s/devices/system/node", sys);
	if (hw_dir_list(&nodes, &n, path, "") == HW_OK) {
		size_t count = 0;

		for (size_t i = 0; i < n; i++) {
			const char *base = strrchr(nodes[i], '/') + 1;

			count += !strncmp(base, "node", 4) &&
				 base[4] >= '0' && base[4] <= '9';
		}
		if (count)
			hw_reading_ok(&p->host_r[HR_NUMA_NODES], (double)count,
				      "nodes");
		else
			hw_reading_set(&p->host_r[HR_NUMA_NODES],
				       HW_READ_UNSUPPORTED, "no NUMA nodes listed");
		hw_strv_free(nodes);
	} else {
		hw_reading_set(&p->host_r[HR_NUMA_NODES], HW_READ_UNSUPPORTED,
			       "%s", hw_error_last());
	}
	if (hw_file_read(&b, "/etc/os-release", 1 << 16) == HW_OK &&
	    strstr(b.data, "PRETTY_NAME=")) {
		const char *v = strstr(b.data, "PRETTY_NAME=") + 12;
		size_t vn = strcspn(v, "\n");

		if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
			v++;
			vn -= 2;
		}
		hw_reading_text(&p->host_r[HR_OS], v, vn);
	} else {
		hw_reading_set(&p->host_r[HR_OS], HW_READ_UNSUPPORTED,
			       "no PRETTY_NAME in /etc/os-release");
	}
	if (uname(&u) == 0)
		hw_reading_text(&p->host_r[HR_KERNEL], u.release,
				strlen(u.release));
	else
		hw_reading_set(&p->host_r[HR_KERNEL], HW_READ_ERROR,
			       "uname failed");
	hw_buf_free(&b);
}

/* Implements: FR-PROBE-001, FR-PROBE-002, FR-PROBE-003 */
int hw_probe_local(hw_probe *p)
{
	const char *sys = root_of("HWLEDGER_SYSFS_ROOT", "/sys");
	hw_cmd_result r;
	char *rocm[] = {"rocm-smi", "--showproductname", "--showmeminfo",
			"vram", "--showuse", "--showtemp", "--showpower",
			"--json", NULL};
	char *apple[] = {"system_profiler", "SPDisplaysDataType",
			 "SPHardwareDataType", "-json", NULL};
	char *macmon[] = {"macmon", "pipe", "-s", "1", "-i", "500", NULL};

	const char *t = getenv("HWLEDGER_TOOL_TIMEOUT");
	double timeout = t && atof(t) > 0 ? atof(t) : 10;

	memset(p, 0, sizeof(*p));
	snprintf(p->host, sizeof(p->host), "local");
	p->reachable = 1;
	host_probe(p);
	hw_probe_nvml(p);
	/* AMD: rocm-smi when it is installed, else the amdgpu sysfs files */
	if (hw_run(&r, rocm, timeout, 4 << 20) == HW_OK && !r.not_found &&
	    r.status == 0 && !r.timed_out) {
		hw_parse_rocm_smi_json(p, r.out.data, r.out.len);
	} else if (!r.not_found) {
		hw_reading_set(&p->amd, HW_READ_ERROR,
			       r.timed_out ? "rocm-smi timed out (killed after "
					     "%.0f s)"
					   : "rocm-smi failed",
			       timeout);
	} else {
		hw_probe_amd_sysfs(p, sys);
	}
	hw_cmd_result_free(&r);
	if (hw_run(&r, apple, timeout * 2, 4 << 20) == HW_OK && !r.not_found &&
	    r.status == 0 && !r.timed_out)
		hw_parse_system_profiler(p, r.out.data, r.out.len);
	else
		hw_reading_set(&p->apple, HW_READ_UNSUPPORTED,
			       r.not_found ? "not a Mac (no system_profiler)"
					   : "system_profiler failed");
	hw_cmd_result_free(&r);
	/* live Apple readings (used memory, load, power) when macmon is
	 * installed; one sample of half a second */
	if (p->apple.status == HW_READ_OK) {
		if (hw_run(&r, macmon, timeout, 1 << 20) == HW_OK &&
		    !r.not_found && r.status == 0 && !r.timed_out)
			hw_parse_macmon(p, r.out.data, r.out.len);
		else if (!r.not_found)
			hw_macmon_failed(p, r.timed_out ? "macmon timed out"
							: "macmon failed");
		hw_cmd_result_free(&r);
	}
	return HW_OK;
}
