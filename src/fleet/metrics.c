/*
 * metrics.c — every host's latest readings in Prometheus's text
 * exposition format 0.0.4 (specs/fleet.md, "Metrics"), made from the
 * document of GET /v1/status so that both say the same.
 *
 * A reading that could not be read (its value not a number) is left out,
 * never written as 0. Each metric's samples come together under its HELP
 * and TYPE lines, as the format wants; every metric is a gauge.
 */
#include "fleet/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* a number of the probe document and the metric it becomes */
typedef struct reading {
	const char *field;  /* the probe document's reading */
	const char *metric; /* hwledger_fleet_ + this */
	double scale;       /* to the metric's base unit */
	const char *help;
} reading;

static const reading gpu_readings[] = {
	{"memory_total", "gpu_memory_total_bytes", 1, "GPU memory in all"},
	{"memory_used", "gpu_memory_used_bytes", 1, "GPU memory in use"},
	{"memory_free", "gpu_memory_free_bytes", 1, "GPU memory free"},
	{"utilization", "gpu_utilization_ratio", 0.01,
	 "time the GPU was busy, 0 to 1"},
	{"temperature", "gpu_temperature_celsius", 1, "GPU temperature"},
	{"power_draw", "gpu_power_draw_watts", 1, "power the GPU draws"},
	{"power_limit", "gpu_power_limit_watts", 1, "the GPU's power limit"},
	{"clock_sm", "gpu_clock_sm_hertz", 1e6, "streaming multiprocessor clock"},
	{"clock_memory", "gpu_clock_memory_hertz", 1e6, "memory clock"},
};

static const reading host_readings[] = {
	{"memory_total", "host_memory_total_bytes", 1, "the host's memory"},
	{"memory_available", "host_memory_available_bytes", 1,
	 "the host's memory available"},
};

#define COUNT(a) (sizeof(a) / sizeof(*(a)))

/* the text being written; err is the first failure, after which nothing
 * more is written */
typedef struct text {
	hw_buf *out;
	int err;
} text;

static void put(text *t, const char *fmt, ...)
	/* hwledger-sast-ignore FF1016: format checked by -Wformat=2 */
	__attribute__((format(printf, 2, 3)));

static void put(text *t, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	if (t->err)
		return;
	va_start(ap, fmt);
	/* hwledger-sast-ignore FF1019: format checked by -Wformat=2 */
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	t->err = n < 0 || (size_t)n >= sizeof(line)
			 ? hw_error_set(HW_EINVAL, NULL, 0, 0,
					"metrics: a line over %zu bytes",
					sizeof(line))
			 : hw_buf_append(t->out, line, (size_t)n);
}

/* a label's value, escaped as the format says: \\, \" and \n */
static void label(text *t, const char *name, const char *value, int first)
{
	put(t, "%s%s=\"", first ? "" : ",", name);
	for (const char *p = value; *p; p++)
		put(t, "%s", *p == '\\'  ? "\\\\"
			     : *p == '"' ? "\\\""
			     : *p == '\n' ? "\\n"
					  : (char[]){*p, '\0'});
	put(t, "\"");
}

static const char *str(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	return s ? s : "";
}

static void head(text *t, const char *metric, const char *help)
{
	put(t, "# HELP hwledger_fleet_%s %s\n", metric, help);
	put(t, "# TYPE hwledger_fleet_%s gauge\n", metric);
}

/* The probe's first host of an agent's row, or NULL when it was never
 * probed, or when an earlier row was of the same host (the readings are
 * the host's, written once). */
static const cJSON *probed_host(const cJSON *hosts, int i)
{
	const cJSON *h = cJSON_GetArrayItem(hosts, i);

	if (i > 0 && !strcmp(str(h, "host"),
			     str(cJSON_GetArrayItem(hosts, i - 1), "host")))
		return NULL;
	return cJSON_GetArrayItem(
		cJSON_GetObjectItem(cJSON_GetObjectItem(h, "probe"), "hosts"),
		0);
}

/* The sample of reading r of object o (a GPU, or the host's system
 * readings when gpu is 0) of host h, if it was read; *headed says
 * whether the metric's head is written. */
static void sample(text *t, const cJSON *h, const cJSON *o,
		   const reading *r, int gpu, int *headed)
{
	const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(o, r->field),
					     "value");

	if (!cJSON_IsNumber(v))
		return;
	if (!(*headed)++)
		head(t, r->metric, r->help);
	put(t, "hwledger_fleet_%s{", r->metric);
	label(t, "host", str(h, "host"), 1);
	if (gpu) {
		put(t, ",gpu=\"%d\"",
		    (int)cJSON_GetNumberValue(cJSON_GetObjectItem(o, "index")));
		label(t, "name", str(cJSON_GetObjectItem(o, "name"), "value"),
		      0);
	}
	put(t, "} %.17g\n", cJSON_GetNumberValue(v) * r->scale);
}

/* One reading's samples, on every host that has it. */
static void samples(text *t, const cJSON *hosts, const reading *r, int gpu)
{
	int headed = 0;

	for (int i = 0; i < cJSON_GetArraySize(hosts); i++) {
		const cJSON *h = cJSON_GetArrayItem(hosts, i), *g;
		const cJSON *ph = probed_host(hosts, i);

		if (!gpu)
			sample(t, h, cJSON_GetObjectItem(ph, "system"), r, 0,
			       &headed);
		else
			cJSON_ArrayForEach(g, cJSON_GetObjectItem(ph, "gpus"))
				sample(t, h, g, r, 1, &headed);
	}
}

/* up and last-seen age of every agent, by host and serial */
static void agents(text *t, const cJSON *hosts, double now)
{
	const cJSON *h;

	head(t, "host_up", "1 when the agent is up, 0 when it went silent");
	cJSON_ArrayForEach(h, hosts)
	{
		put(t, "hwledger_fleet_host_up{");
		label(t, "host", str(h, "host"), 1);
		label(t, "serial", str(h, "serial"), 0);
		put(t, "} %d\n", !strcmp(str(h, "state"), "up"));
	}
	head(t, "host_last_seen_age_seconds",
	     "seconds since the agent was last heard from");
	cJSON_ArrayForEach(h, hosts)
	{
		put(t, "hwledger_fleet_host_last_seen_age_seconds{");
		label(t, "host", str(h, "host"), 1);
		label(t, "serial", str(h, "serial"), 0);
		put(t, "} %.17g\n",
		    now - cJSON_GetNumberValue(
				  cJSON_GetObjectItem(h, "last_seen")));
	}
}

/* Implements: FR-FLEET-021 */
int hw_fleet_metrics(hw_buf *out, const char *status_json)
{
	cJSON *doc = cJSON_Parse(status_json);
	const cJSON *hosts = cJSON_GetObjectItem(doc, "hosts");
	double now = cJSON_GetNumberValue(cJSON_GetObjectItem(doc, "now"));
	text t = {out, HW_OK};
	int headed = 0;

	if (!cJSON_IsArray(hosts)) {
		cJSON_Delete(doc);
		return hw_error_set(HW_EINVAL, NULL, 0, 0,
				    "metrics: not a status document");
	}
	agents(&t, hosts, now);
	for (int i = 0; i < cJSON_GetArraySize(hosts); i++) {
		const cJSON *h = cJSON_GetArrayItem(hosts, i);

		if (!probed_host(hosts, i))
			continue;
		if (!headed++)
			head(&t, "host_probe_age_seconds",
			     "seconds since the host's latest probe");
		put(&t, "hwledger_fleet_host_probe_age_seconds{");
		label(&t, "host", str(h, "host"), 1);
		put(&t, "} %.17g\n",
		    now - cJSON_GetNumberValue(cJSON_GetObjectItem(h, "probed")));
	}
	for (size_t k = 0; k < COUNT(host_readings); k++)
		samples(&t, hosts, &host_readings[k], 0);
	for (size_t k = 0; k < COUNT(gpu_readings); k++)
		samples(&t, hosts, &gpu_readings[k], 1);
	cJSON_Delete(doc);
	return t.err;
}
