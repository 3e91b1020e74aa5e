/*
 * remote.c — agentless probes over SSH. One ssh per host runs a short
 * shell script that prints each vendor tool's output under a "### name"
 * line; hosts run concurrently in a bounded pool, each within its own
 * timeout, and a host that fails (unreachable, refused, hung, garbled) is
 * reported in its own result while the others go on.
 */
#include "probes.h"

#include <stdlib.h>
#include <string.h>

static const char remote_script[] =
	"echo '### uname'; uname -r; "
	"echo '### os'; grep '^PRETTY_NAME=' /etc/os-release 2>/dev/null; "
	"echo '### meminfo'; cat /proc/meminfo 2>/dev/null; "
	"echo '### cpuinfo'; cat /proc/cpuinfo 2>/dev/null; "
	"echo '### nvidia-smi'; nvidia-smi --query-gpu=name,uuid,pci.bus_id,"
	"memory.total,memory.used,memory.free,utilization.gpu,temperature.gpu,"
	"power.draw,power.limit,clocks.sm,clocks.mem "
	"--format=csv,noheader,nounits 2>/dev/null || echo '!unavailable'; "
	"echo '### rocm-smi'; rocm-smi --showproductname --showmeminfo vram "
	"--showuse --showtemp --showpower --json 2>/dev/null || "
	"echo '!unavailable'; "
	"echo '### system_profiler'; system_profiler SPDisplaysDataType "
	"SPHardwareDataType -json 2>/dev/null || echo '!unavailable'; "
	"echo '### macmon'; macmon pipe -s 1 -i 500 2>/dev/null || "
	"echo '!unavailable'; "
	"echo '### end'";

/* The text of section name in out, without its marker line. */
static int section(const hw_buf *out, const char *name, const char **p,
		   size_t *n)
{
	char marker[64];
	const char *s, *e;

	snprintf(marker, sizeof(marker), "### %s\n", name);
	s = strstr(out->data, marker);
	if (!s)
		return 0;
	s += strlen(marker);
	e = strstr(s, "\n### ");
	*p = s;
	*n = e ? (size_t)(e - s) + 1 : strlen(s);
	return 1;
}

static int unavailable(const char *p, size_t n)
{
	return n >= 12 && !memcmp(p, "!unavailable", 12);
}

/* Implements: FR-PROBE-004 */
static void parse_remote(hw_probe *h, const hw_buf *out)
{
	const char *p;
	size_t n;

	for (int k = 0; k < HR_COUNT; k++)
		hw_reading_set(&h->host_r[k], HW_READ_UNSUPPORTED,
			       "not reported by the host");
	if (section(out, "uname", &p, &n) && n > 1)
		hw_reading_text(&h->host_r[HR_KERNEL], p, strcspn(p, "\n"));
	if (section(out, "os", &p, &n) && n > 13) {
		const char *v = p + 12;
		size_t vn = strcspn(v, "\n");

		if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
			v++;
			vn -= 2;
		}
		hw_reading_text(&h->host_r[HR_OS], v, vn);
	}
	if (section(out, "meminfo", &p, &n) && n > 1)
		hw_parse_meminfo(h, p, n);
	if (section(out, "cpuinfo", &p, &n) && n > 1)
		hw_parse_cpuinfo(h, p, n);
	if (section(out, "nvidia-smi", &p, &n) && !unavailable(p, n))
		hw_parse_nvidia_smi_csv(h, p, n);
	else
		hw_reading_set(&h->nvidia, HW_READ_UNSUPPORTED,
			       "no nvidia-smi on the host");
	h->driver = h->cuda = h->nvidia;
	if (h->nvidia.status == HW_READ_OK) {
		hw_reading_set(&h->driver, HW_READ_UNSUPPORTED,
			       "not queried over nvidia-smi");
		h->cuda = h->driver;
	}
	if (section(out, "rocm-smi", &p, &n) && !unavailable(p, n))
		hw_parse_rocm_smi_json(h, p, n);
	else
		hw_reading_set(&h->amd, HW_READ_UNSUPPORTED,
			       "no rocm-smi on the host");
	if (section(out, "system_profiler", &p, &n) && !unavailable(p, n))
		hw_parse_system_profiler(h, p, n);
	else
		hw_reading_set(&h->apple, HW_READ_UNSUPPORTED,
			       "not a Mac (no system_profiler)");
	if (h->apple.status == HW_READ_OK &&
	    section(out, "macmon", &p, &n) && !unavailable(p, n))
		hw_parse_macmon(h, p, n);
}

/* Implements: FR-PROBE-004 */
int hw_probe_hosts_file(hw_buf *text, const char **hosts, size_t *n,
			size_t max, const char *path)
{
	char *line;
	int err = hw_file_read(text, path, 1 << 20);

	if (err)
		return err;
	for (line = text->data; line && *line;) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		line += strspn(line, " \t");
		if (*line && *line != '#' && *n == max)
			return hw_error_set(HW_EINVAL, path, 0, 0,
					    "more than %zu hosts; split the "
					    "list",
					    max);
		if (*line && *line != '#')
			hosts[(*n)++] = line;
		line = nl ? nl + 1 : NULL;
	}
	return HW_OK;
}

typedef struct pool {
	hw_probe *results;
	const char *const *hosts;
	size_t n;
	double timeout;
} pool;

/* Implements: FR-PROBE-004 */
static void probe_one(pool *pl, size_t i)
{
	hw_probe *h = &pl->results[i];
	hw_cmd_result r;
	char timeout_opt[64];
	char *argv[] = {"ssh", "-o", "BatchMode=yes", "-o", timeout_opt,
			(char *)pl->hosts[i], (char *)remote_script, NULL};

	memset(h, 0, sizeof(*h));
	snprintf(h->host, sizeof(h->host), "%s", pl->hosts[i]);
	snprintf(timeout_opt, sizeof(timeout_opt), "ConnectTimeout=%d",
		 (int)(pl->timeout > 1 ? pl->timeout : 1));
	if (pl->hosts[i][0] == '-') { /* never an option to ssh */
		hw_reading_set(&h->error, HW_READ_ERROR,
			       "a host may not start with '-'");
		return;
	}
	if (hw_run(&r, argv, pl->timeout, 1 << 20) != HW_OK) {
		hw_reading_set(&h->error, HW_READ_ERROR, "%s", hw_error_last());
		return;
	}
	if (r.not_found)
		hw_reading_set(&h->error, HW_READ_ERROR, "no ssh client");
	else if (r.timed_out)
		hw_reading_set(&h->error, HW_READ_ERROR,
			       "timed out after %.1f s (killed)", pl->timeout);
	else if (r.status == 255)
		hw_reading_set(&h->error, HW_READ_ERROR,
			       "ssh could not reach the host (exit 255)");
	else if (r.truncated)
		hw_reading_set(&h->error, HW_READ_ERROR,
			       "more than 1 MiB of output; not trusted");
	else if (!strstr(r.out.data, "### end"))
		hw_reading_set(&h->error, HW_READ_ERROR,
			       "the output stopped early (exit %d)", r.status);
	else {
		h->reachable = 1;
		parse_remote(h, &r.out);
	}
	hw_cmd_result_free(&r);
}

static int probe_job(void *arg, size_t i)
{
	probe_one(arg, i);
	return HW_OK; /* a failure is the host's reading */
}

/* Implements: FR-PROBE-004 */
int hw_probe_remote(hw_probe *results, const char *const *hosts, size_t n,
		    int size, double timeout_s)
{
	pool pl = {results, hosts, n, timeout_s};

	/* the threads wait on ssh, not on a CPU: as many as asked */
	return hw_tasks_run(n, size < 1 ? 1 : (size_t)size, probe_job, &pl);
}
