/*
 * reading.c — readings and how probes are written out (JSON schema
 * hwledger.probe/1, and a table). A reading that is not ok carries no
 * value at all: an unknown is never written as 0.
 */
#include "probes.h"

#include <math.h>

#include <string.h>

const char *const hw_gpu_reading_names[GR_COUNT] = {
	"name", "uuid", "pci_bus_id", "memory_total", "memory_used",
	"memory_free", "utilization", "temperature", "power_draw",
	"power_limit", "clock_sm", "clock_memory", "compute_capability",
	"mig_mode"};

const char *const hw_host_reading_names[HR_COUNT] = {
	"cpu_model", "cores", "threads", "memory_total", "memory_available",
	"numa_nodes", "hugepages_total", "hugepages_free", "os", "kernel"};

static const char *const status_names[] = {"ok", "unsupported", "error"};

void hw_reading_ok(hw_reading *r, double v, const char *unit)
{
	if (!isfinite(v)) {
		/* the last guard: no parser may hand on an infinity or a NaN */
		hw_reading_set(r, HW_READ_ERROR, "not a finite number");
		return;
	}
	memset(r, 0, sizeof(*r));
	r->status = HW_READ_OK;
	r->value = v;
	snprintf(r->unit, sizeof(r->unit), "%s", unit);
}

void hw_reading_text(hw_reading *r, const char *s, size_t n)
{
	memset(r, 0, sizeof(*r));
	r->status = HW_READ_OK;
	r->is_text = 1;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	while (n && *s == ' ') {
		s++;
		n--;
	}
	snprintf(r->text, sizeof(r->text), "%.*s", (int)n, s);
	/* text from tools is shown and stored as JSON: keep it printable */
	for (char *c = r->text; *c; c++)
		if ((unsigned char)*c < 0x20)
			*c = ' ';
	if (!hw_utf8_valid(r->text, strlen(r->text), NULL))
		hw_reading_set(r, HW_READ_ERROR, "not UTF-8 text");
}

void hw_reading_set(hw_reading *r, hw_read_status st, const char *fmt, ...)
{
	va_list ap;

	memset(r, 0, sizeof(*r));
	r->status = st;
	va_start(ap, fmt);
	/* hwledger-sast-ignore FF1019: the caller's format, checked by -Wformat=2 */
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

static void write_reading(hw_jw *w, const char *key, const hw_reading *r)
{
	char num[64];

	hw_jw_key(w, key);
	hw_jw_object(w);
	if (r->status == HW_READ_OK && r->is_text) {
		hw_jw_kstr(w, "value", r->text);
	} else if (r->status == HW_READ_OK) {
		hw_jw_key(w, "value");
		if (r->value == (double)(long long)r->value)
			snprintf(num, sizeof(num), "%lld", (long long)r->value);
		else
			snprintf(num, sizeof(num), "%.3f", r->value);
		hw_jw_null(w);
		w->out->len -= 4;
		hw_buf_puts(w->out, num);
	} else {
		hw_jw_key(w, "value");
		hw_jw_null(w);
	}
	hw_jw_kstr(w, "unit", r->unit[0] ? r->unit : NULL);
	hw_jw_kstr(w, "status", status_names[r->status]);
	hw_jw_kstr(w, "reason", r->reason[0] ? r->reason : NULL);
	hw_jw_end(w);
}

/* Implements: FR-PROBE-001 */
int hw_probe_json(hw_buf *out, const hw_probe *p, size_t n)
{
	hw_jw w;

	hw_jw_init(&w, out, 1);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", HW_PROBE_SCHEMA);
	hw_jw_key(&w, "hosts");
	hw_jw_array(&w);
	for (size_t i = 0; i < n; i++) {
		hw_jw_object(&w);
		hw_jw_kstr(&w, "host", p[i].host);
		hw_jw_kbool(&w, "reachable", p[i].reachable);
		if (!p[i].reachable)
			write_reading(&w, "error", &p[i].error);
		hw_jw_key(&w, "system");
		hw_jw_object(&w);
		for (int k = 0; k < HR_COUNT; k++)
			write_reading(&w, hw_host_reading_names[k], &p[i].host_r[k]);
		hw_jw_end(&w);
		hw_jw_key(&w, "backends");
		hw_jw_object(&w);
		write_reading(&w, "nvidia", &p[i].nvidia);
		write_reading(&w, "nvidia_driver", &p[i].driver);
		write_reading(&w, "cuda_driver", &p[i].cuda);
		write_reading(&w, "amd", &p[i].amd);
		write_reading(&w, "apple", &p[i].apple);
		hw_jw_end(&w);
		hw_jw_key(&w, "gpus");
		hw_jw_array(&w);
		for (size_t g = 0; g < p[i].ngpus; g++) {
			hw_jw_object(&w);
			hw_jw_kint(&w, "index", (long long)g);
			hw_jw_kstr(&w, "vendor", p[i].gpus[g].vendor);
			hw_jw_kstr(&w, "source", p[i].gpus[g].source);
			for (int k = 0; k < GR_COUNT; k++)
				write_reading(&w, hw_gpu_reading_names[k],
					      &p[i].gpus[g].r[k]);
			hw_jw_end(&w);
		}
		hw_jw_end(&w);
		hw_jw_end(&w);
	}
	hw_jw_end(&w);
	hw_jw_end(&w);
	return hw_jw_finish(&w);
}

/* The reading key of object o as hw_probe_json wrote it; a reading
 * missing or of another shape is an error reading, never a 0. */
static void read_reading(hw_reading *r, const cJSON *o, const char *key)
{
	const cJSON *j = cJSON_GetObjectItem(o, key);
	const cJSON *v = cJSON_GetObjectItem(j, "value");
	const char *status = cJSON_GetStringValue(
		cJSON_GetObjectItem(j, "status"));
	const char *unit = cJSON_GetStringValue(cJSON_GetObjectItem(j, "unit"));
	const char *reason = cJSON_GetStringValue(
		cJSON_GetObjectItem(j, "reason"));

	if (status && !strcmp(status, "ok") && cJSON_IsNumber(v))
		hw_reading_ok(r, cJSON_GetNumberValue(v), unit ? unit : "");
	else if (status && !strcmp(status, "ok") && cJSON_IsString(v))
		hw_reading_text(r, v->valuestring, strlen(v->valuestring));
	else if (status && !strcmp(status, "unsupported"))
		hw_reading_set(r, HW_READ_UNSUPPORTED, "%s",
			       reason && *reason ? reason : "no reason given");
	else if (j)
		hw_reading_set(r, HW_READ_ERROR, "%s",
			       reason && *reason ? reason : "no reason given");
	else
		hw_reading_set(r, HW_READ_ERROR, "not in the probe document");
}

/* Implements: FR-PROBE-001 */
int hw_probe_read_json(hw_probe *p, const cJSON *host)
{
	const cJSON *sys = cJSON_GetObjectItem(host, "system");
	const cJSON *be = cJSON_GetObjectItem(host, "backends"), *g;
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(host,
								    "host"));

	memset(p, 0, sizeof(*p));
	if (!name || !cJSON_IsObject(sys) || !cJSON_IsObject(be))
		return hw_error_set(HW_EINVAL, NULL, 0, 0,
				    "not a host of a %s document",
				    HW_PROBE_SCHEMA);
	snprintf(p->host, sizeof(p->host), "%s", name);
	p->reachable = cJSON_IsTrue(cJSON_GetObjectItem(host, "reachable"));
	if (!p->reachable)
		read_reading(&p->error, host, "error");
	for (int k = 0; k < HR_COUNT; k++)
		read_reading(&p->host_r[k], sys, hw_host_reading_names[k]);
	read_reading(&p->nvidia, be, "nvidia");
	read_reading(&p->driver, be, "nvidia_driver");
	read_reading(&p->cuda, be, "cuda_driver");
	read_reading(&p->amd, be, "amd");
	read_reading(&p->apple, be, "apple");
	/* the fleet server takes at most 64; more are refused, never cut */
	if (cJSON_GetArraySize(cJSON_GetObjectItem(host, "gpus")) >
	    HW_PROBE_MAX_GPUS)
		return hw_error_set(HW_EINVAL, NULL, 0, 0,
				    "host %s of a %s document lists %d GPUs: "
				    "at most %d",
				    p->host, HW_PROBE_SCHEMA,
				    cJSON_GetArraySize(
					    cJSON_GetObjectItem(host, "gpus")),
				    HW_PROBE_MAX_GPUS);
	cJSON_ArrayForEach(g, cJSON_GetObjectItem(host, "gpus"))
	{
		hw_gpu_probe *gpu = &p->gpus[p->ngpus];

		p->ngpus++;
		snprintf(gpu->vendor, sizeof(gpu->vendor), "%s",
			 cJSON_GetStringValue(cJSON_GetObjectItem(g, "vendor"))
				 ? cJSON_GetStringValue(
					   cJSON_GetObjectItem(g, "vendor"))
				 : "");
		snprintf(gpu->source, sizeof(gpu->source), "%s",
			 cJSON_GetStringValue(cJSON_GetObjectItem(g, "source"))
				 ? cJSON_GetStringValue(
					   cJSON_GetObjectItem(g, "source"))
				 : "");
		for (int k = 0; k < GR_COUNT; k++)
			read_reading(&gpu->r[k], g, hw_gpu_reading_names[k]);
	}
	return HW_OK;
}

static int put_reading(hw_buf *o, const char *name, const hw_reading *r)
{
	if (r->status != HW_READ_OK)
		return hw_buf_printf(o, "  %-20s %s: %s\n", name,
				     status_names[r->status], r->reason);
	if (r->is_text)
		return hw_buf_printf(o, "  %-20s %s\n", name, r->text);
	if (!strcmp(r->unit, "bytes"))
		return hw_buf_printf(o, "  %-20s %.2f GiB\n", name,
				     r->value / 1073741824.0);
	return hw_buf_printf(o, "  %-20s %g %s\n", name, r->value, r->unit);
}

int hw_probe_text(hw_buf *o, const hw_probe *p, size_t n)
{
	int err = HW_OK;

	for (size_t i = 0; i < n && !err; i++) {
		err = hw_buf_printf(o, "%s%s\n", i ? "\n" : "", p[i].host);
		if (!err && !p[i].reachable) {
			err = put_reading(o, "host", &p[i].error);
			continue;
		}
		for (int k = 0; k < HR_COUNT && !err; k++)
			err = put_reading(o, hw_host_reading_names[k],
					  &p[i].host_r[k]);
		if (!err)
			err = put_reading(o, "nvidia", &p[i].nvidia);
		if (!err)
			err = put_reading(o, "amd", &p[i].amd);
		if (!err)
			err = put_reading(o, "apple", &p[i].apple);
		for (size_t g = 0; g < p[i].ngpus && !err; g++) {
			err = hw_buf_printf(o, " GPU %zu (%s, %s)\n", g,
					    p[i].gpus[g].vendor,
					    p[i].gpus[g].source);
			for (int k = 0; k < GR_COUNT && !err; k++)
				err = put_reading(o, hw_gpu_reading_names[k],
						  &p[i].gpus[g].r[k]);
		}
	}
	return err;
}
