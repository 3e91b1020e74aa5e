/*
 * vendor.c — parsing what the vendor tools print: nvidia-smi's CSV
 * (--format=csv,noheader,nounits), rocm-smi --json, system_profiler -json,
 * and the amdgpu sysfs files. Garbage, missing columns, units where numbers
 * belong and "[N/A]" become error or unsupported readings, never 0.
 */
#include "probes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The nvidia-smi query hwledger runs, column by column. */

/*
 * Claims the next GPU slot (the caller checked there is one), zeroed, with
 * its vendor and source; every reading starts as unsupported with reason,
 * when one is given, until the parser fills it.
 */
static hw_gpu_probe *add_gpu(hw_probe *p, const char *vendor,
			     const char *source, const char *reason)
{
	hw_gpu_probe *g = &p->gpus[p->ngpus++];

	memset(g, 0, sizeof(*g));
	snprintf(g->vendor, sizeof(g->vendor), "%s", vendor);
	snprintf(g->source, sizeof(g->source), "%s", source);
	for (int k = 0; reason && k < GR_COUNT; k++)
		hw_reading_set(&g->r[k], HW_READ_UNSUPPORTED, "%s", reason);
	return g;
}
static const int smi_cols[] = {GR_NAME, GR_UUID, GR_PCI, GR_MEM_TOTAL,
			       GR_MEM_USED, GR_MEM_FREE, GR_UTIL, GR_TEMP,
			       GR_POWER, GR_POWER_LIMIT, GR_CLOCK_SM,
			       GR_CLOCK_MEM};
static const char *const smi_units[] = {"", "", "", "bytes", "bytes", "bytes",
					"%", "C", "W", "W", "MHz", "MHz"};
#define SMI_NCOLS 12

static void smi_value(hw_reading *r, int col, const char *v, size_t n)
{
	char buf[64], *end;
	double x;

	while (n && *v == ' ') {
		v++;
		n--;
	}
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\r'))
		n--;
	if (n == 0) {
		hw_reading_set(r, HW_READ_ERROR, "empty field");
		return;
	}
	if ((n >= 5 && !memcmp(v, "[N/A]", 5)) ||
	    (n >= 15 && !memcmp(v, "[Not Supported]", 15)) ||
	    (n == 3 && !memcmp(v, "N/A", 3))) {
		hw_reading_set(r, HW_READ_UNSUPPORTED,
			       "nvidia-smi reports %.*s", (int)n, v);
		return;
	}
	if (col < 3) {
		hw_reading_text(r, v, n);
		return;
	}
	snprintf(buf, sizeof(buf), "%.*s", (int)(n < 63 ? n : 63), v);
	x = strtod(buf, &end);
	/* memory columns are MiB with nounits */
	if (col >= 3 && col <= 5)
		x *= 1048576;
	if (end == buf || *end || !isfinite(x) || x < 0) {
		hw_reading_set(r, HW_READ_ERROR, "not a number: '%.40s'", buf);
		return;
	}
	hw_reading_ok(r, x, smi_units[col]);
}

/* Implements: FR-PROBE-004 */
int hw_parse_nvidia_smi_csv(hw_probe *p, const char *text, size_t len)
{
	size_t i = 0;

	hw_reading_text(&p->nvidia, "nvidia-smi", 10);
	while (i < len && p->ngpus < HW_PROBE_MAX_GPUS) {
		const char *line = text + i, *nl = memchr(line, '\n', len - i);
		size_t n = nl ? (size_t)(nl - line) : len - i, col = 0, s = 0;
		hw_gpu_probe *g;

		i += n + 1;
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
			n--;
		if (!n)
			continue;
		g = add_gpu(p, "nvidia", "nvidia-smi", NULL);
		for (size_t k = 0; k <= n && col < SMI_NCOLS; k++)
			if (k == n || line[k] == ',') {
				smi_value(&g->r[smi_cols[col]], (int)col,
					  line + s, k - s);
				col++;
				s = k + 1;
			}
		for (; col < SMI_NCOLS; col++)
			hw_reading_set(&g->r[smi_cols[col]], HW_READ_ERROR,
				       "the line has %zu of %d columns (truncated?)",
				       col, SMI_NCOLS);
		hw_reading_set(&g->r[GR_COMPUTE_CAP], HW_READ_UNSUPPORTED,
			       "not queried over nvidia-smi");
		hw_reading_set(&g->r[GR_MIG], HW_READ_UNSUPPORTED,
			       "not queried over nvidia-smi");
	}
	return HW_OK;
}

/* A number from a rocm-smi field: it prints numbers as strings. */
/* Free memory from total and used, when both are known and consistent
 * (rocm-smi and amdgpu sysfs report no free figure of their own). */
static void derive_free(hw_gpu_probe *g)
{
	const hw_reading *t = &g->r[GR_MEM_TOTAL], *u = &g->r[GR_MEM_USED];

	if (t->status == HW_READ_OK && u->status == HW_READ_OK &&
	    t->value >= u->value)
		hw_reading_ok(&g->r[GR_MEM_FREE], t->value - u->value, "bytes");
}

static void rocm_num(hw_reading *r, const cJSON *card, const char *part,
		     const char *unit, double scale)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, card) {
		char *end;
		double x;

		if (!f->string || !strstr(f->string, part))
			continue;
		if (cJSON_IsNumber(f) && f->valuedouble < 0) {
			hw_reading_set(r, HW_READ_ERROR, "'%s' is negative",
				       f->string);
			return;
		}
		if (cJSON_IsNumber(f)) {
			hw_reading_ok(r, f->valuedouble * scale, unit);
			return;
		}
		if (!cJSON_IsString(f)) {
			hw_reading_set(r, HW_READ_ERROR, "'%s' is not a number",
				       f->string);
			return;
		}
		if (!strcmp(f->valuestring, "N/A")) {
			hw_reading_set(r, HW_READ_UNSUPPORTED,
				       "rocm-smi reports N/A for '%s'", f->string);
			return;
		}
		x = strtod(f->valuestring, &end);
		if (end == f->valuestring || *end || !isfinite(x) || x < 0) {
			hw_reading_set(r, HW_READ_ERROR,
				       "'%s' is '%.40s', not a number",
				       f->string, f->valuestring);
			return;
		}
		hw_reading_ok(r, x * scale, unit);
		return;
	}
	hw_reading_set(r, HW_READ_UNSUPPORTED, "rocm-smi gave no '%s'", part);
}

/* Implements: FR-PROBE-002 */
int hw_parse_rocm_smi_json(hw_probe *p, const char *text, size_t len)
{
	cJSON *root = NULL;
	const cJSON *card;

	if (hw_json_parse(&root, "rocm-smi", text, len) || !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		hw_reading_set(&p->amd, HW_READ_ERROR,
			       "rocm-smi printed something that is not JSON");
		return HW_OK;
	}
	hw_reading_text(&p->amd, "rocm-smi", 8);
	cJSON_ArrayForEach(card, root) {
		hw_gpu_probe *g;
		const cJSON *name;

		if (!card->string || strncmp(card->string, "card", 4) ||
		    !cJSON_IsObject(card) || p->ngpus >= HW_PROBE_MAX_GPUS)
			continue;
		g = add_gpu(p, "amd", "rocm-smi", "not reported by rocm-smi");
		name = cJSON_GetObjectItemCaseSensitive(card, "Card series");
		if (!cJSON_IsString(name))
			name = cJSON_GetObjectItemCaseSensitive(card, "Card SKU");
		if (cJSON_IsString(name))
			hw_reading_text(&g->r[GR_NAME], name->valuestring,
					strlen(name->valuestring));
		rocm_num(&g->r[GR_MEM_TOTAL], card, "VRAM Total Memory", "bytes", 1);
		rocm_num(&g->r[GR_MEM_USED], card, "VRAM Total Used Memory", "bytes",
			 1);
		derive_free(g);
		rocm_num(&g->r[GR_UTIL], card, "GPU use (%)", "%", 1);
		rocm_num(&g->r[GR_TEMP], card, "Temperature (Sensor edge)", "C", 1);
		rocm_num(&g->r[GR_POWER], card, "Power (W)", "W", 1);
	}
	cJSON_Delete(root);
	return HW_OK;
}

/* "192 GB" -> bytes */
static double size_text(const char *s)
{
	char *end;
	double x = strtod(s, &end);

	while (*end == ' ')
		end++;
	if (end == s || !isfinite(x) || x <= 0)
		return -1;
	if (!strncmp(end, "TB", 2))
		return x * 1099511627776.0;
	if (!strncmp(end, "GB", 2))
		return x * 1073741824.0;
	if (!strncmp(end, "MB", 2))
		return x * 1048576.0;
	return -1;
}

/* Implements: FR-PROBE-002 */
int hw_parse_system_profiler(hw_probe *p, const char *text, size_t len)
{
	cJSON *root = NULL;
	const cJSON *disp, *hw, *d;
	double memory = -1;

	if (hw_json_parse(&root, "system_profiler", text, len) ||
	    !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		hw_reading_set(&p->apple, HW_READ_ERROR,
			       "system_profiler printed something that is not "
			       "JSON");
		return HW_OK;
	}
	hw_reading_text(&p->apple, "system_profiler", 15);
	hw = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
					root, "SPHardwareDataType"),
				0);
	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(hw, "physical_memory")))
		memory = size_text(cJSON_GetObjectItemCaseSensitive(hw, "physical_memory")
					   ->valuestring);
	disp = cJSON_GetObjectItemCaseSensitive(root, "SPDisplaysDataType");
	cJSON_ArrayForEach(d, disp) {
		hw_gpu_probe *g;
		const cJSON *model = cJSON_GetObjectItemCaseSensitive(d, "sppci_model");

		if (p->ngpus >= HW_PROBE_MAX_GPUS)
			break;
		g = add_gpu(p, "apple", "system_profiler",
			    "system_profiler does not report it (macmon "
			    "would; it is not installed)");
		if (cJSON_IsString(model))
			hw_reading_text(&g->r[GR_NAME], model->valuestring,
					strlen(model->valuestring));
		if (memory > 0) {
			hw_reading_ok(&g->r[GR_MEM_TOTAL], memory, "bytes");
			snprintf(g->r[GR_MEM_TOTAL].reason,
				 sizeof(g->r[GR_MEM_TOTAL].reason),
				 "unified memory, shared with the CPU");
		} else {
			hw_reading_set(&g->r[GR_MEM_TOTAL], HW_READ_ERROR,
				       "physical_memory missing or unreadable");
		}
	}
	cJSON_Delete(root);
	return HW_OK;
}

/* v, the number macmon names what, times scale into r; 0 <= v <= hi. */
static void macmon_num(hw_reading *r, const cJSON *v, const char *what,
		       double scale, const char *unit, double hi)
{
	if (!cJSON_IsNumber(v))
		hw_reading_set(r, HW_READ_ERROR, "macmon: %s missing or not a "
				  "number", what);
	else if (v->valuedouble < 0 || v->valuedouble > hi)
		hw_reading_set(r, HW_READ_ERROR, "macmon: %s is %g, out of "
				  "range", what, v->valuedouble);
	else
		hw_reading_ok(r, v->valuedouble * scale, unit);
}

/* The Apple GPU the readings go to: the first one, or a new one. */
static hw_gpu_probe *apple_gpu(hw_probe *p)
{
	for (size_t i = 0; i < p->ngpus; i++)
		if (!strcmp(p->gpus[i].vendor, "apple"))
			return &p->gpus[i];
	if (p->ngpus >= HW_PROBE_MAX_GPUS)
		return NULL;
	return add_gpu(p, "apple", "macmon", "macmon does not report it");
}

/* Implements: FR-PROBE-002 */
void hw_macmon_failed(hw_probe *p, const char *why)
{
	static const int live[] = {GR_MEM_USED, GR_MEM_FREE, GR_UTIL,
				   GR_TEMP,     GR_POWER,    GR_CLOCK_SM};
	hw_gpu_probe *g = apple_gpu(p);

	for (size_t k = 0; g && k < sizeof(live) / sizeof(live[0]); k++)
		hw_reading_set(&g->r[live[k]], HW_READ_ERROR, "%s", why);
}

/*
 * `macmon pipe -s 1` (Apple Silicon, no sudo): one JSON object a line; the
 * last complete one is read. Unified memory is the GPU's memory: ram_total,
 * ram_usage and their difference; gpu_usage is [MHz, busy ratio].
 */
/* Implements: FR-PROBE-002 */
int hw_parse_macmon(hw_probe *p, const char *text, size_t len)
{
	const cJSON *mem, *gpu_usage;
	cJSON *root = NULL;
	hw_gpu_probe *g;
	size_t start = 0;
	double total, used;

	/* the last non-empty line */
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	for (size_t i = len; i > 0; i--)
		if (text[i - 1] == '\n') {
			start = i;
			break;
		}
	if (hw_json_parse(&root, "macmon", text + start, len - start) ||
	    !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		hw_macmon_failed(p, "macmon printed something that is not a "
				    "JSON object");
		return HW_OK;
	}
	if (!(g = apple_gpu(p))) {
		cJSON_Delete(root);
		return HW_OK;
	}
	if (!strcmp(g->source, "system_profiler"))
		snprintf(g->source, sizeof(g->source), "system_profiler+macmon");
	mem = cJSON_GetObjectItemCaseSensitive(root, "memory");
	gpu_usage = cJSON_GetObjectItemCaseSensitive(root, "gpu_usage");
	if (g->r[GR_MEM_TOTAL].status != HW_READ_OK)
		macmon_num(&g->r[GR_MEM_TOTAL],
			   cJSON_GetObjectItemCaseSensitive(mem, "ram_total"),
			   "memory.ram_total", 1, "bytes", 1e15);
	macmon_num(&g->r[GR_MEM_USED],
		   cJSON_GetObjectItemCaseSensitive(mem, "ram_usage"),
		   "memory.ram_usage", 1, "bytes", 1e15);
	total = g->r[GR_MEM_TOTAL].value;
	used = g->r[GR_MEM_USED].value;
	if (g->r[GR_MEM_USED].status == HW_READ_OK &&
	    g->r[GR_MEM_TOTAL].status == HW_READ_OK && used > total)
		hw_reading_set(&g->r[GR_MEM_USED], HW_READ_ERROR,
			       "macmon: ram_usage %.0f is above the %.0f bytes "
			       "of memory",
			       used, total);
	if (g->r[GR_MEM_USED].status == HW_READ_OK &&
	    g->r[GR_MEM_TOTAL].status == HW_READ_OK) {
		hw_reading_ok(&g->r[GR_MEM_FREE], total - used, "bytes");
		for (int k = GR_MEM_TOTAL; k <= GR_MEM_FREE; k++)
			snprintf(g->r[k].reason, sizeof(g->r[k].reason),
				 "unified memory, shared with the CPU");
	} else {
		hw_reading_set(&g->r[GR_MEM_FREE], HW_READ_ERROR,
			       "macmon: total or used memory unreadable");
	}
	if (cJSON_IsArray(gpu_usage) && cJSON_GetArraySize(gpu_usage) == 2) {
		macmon_num(&g->r[GR_UTIL], cJSON_GetArrayItem(gpu_usage, 1),
			   "gpu_usage[1]", 100, "%", 1);
		macmon_num(&g->r[GR_CLOCK_SM], cJSON_GetArrayItem(gpu_usage, 0),
			   "gpu_usage[0]", 1, "MHz", 1e5);
	} else {
		hw_reading_set(&g->r[GR_UTIL], HW_READ_ERROR,
			       "macmon: no gpu_usage [MHz, ratio]");
		g->r[GR_CLOCK_SM] = g->r[GR_UTIL];
	}
	macmon_num(&g->r[GR_TEMP],
		   cJSON_GetObjectItemCaseSensitive(
			   cJSON_GetObjectItemCaseSensitive(root, "temp"),
			   "gpu_temp_avg"),
		   "temp.gpu_temp_avg", 1, "C", 200);
	macmon_num(&g->r[GR_POWER],
		   cJSON_GetObjectItemCaseSensitive(root, "gpu_power"),
		   "gpu_power", 1, "W", 1e4);
	cJSON_Delete(root);
	return HW_OK;
}

static int sysfs_num(hw_reading *r, const char *path, const char *unit,
		     double scale)
{
	hw_buf b;
	char *end;
	double x;

	hw_buf_init(&b, 256);
	if (hw_file_read(&b, path, 256)) {
		hw_reading_set(r, HW_READ_UNSUPPORTED, "%s", hw_error_last());
		hw_buf_free(&b);
		return 0;
	}
	x = strtod(b.data, &end);
	while (*end == '\n' || *end == ' ')
		end++;
	if (end == b.data || *end || !isfinite(x) || x < 0)
		hw_reading_set(r, HW_READ_ERROR, "%s: not a number", path);
	else
		hw_reading_ok(r, x * scale, unit);
	hw_buf_free(&b);
	return 1;
}

/* Implements: FR-PROBE-002 */
void hw_probe_amd_sysfs(hw_probe *p, const char *root)
{
	char dir[4096], path[4300];
	char **cards = NULL;
	size_t n = 0, found = 0;
	hw_buf b;

	snprintf(dir, sizeof(dir), "%s/class/drm", root);
	if (hw_dir_list(&cards, &n, dir, "") != HW_OK) {
		hw_reading_set(&p->amd, HW_READ_UNSUPPORTED,
			       "no AMD GPU (no rocm-smi, no %s)", dir);
		return;
	}
	hw_buf_init(&b, 64);
	for (size_t i = 0; i < n && p->ngpus < HW_PROBE_MAX_GPUS; i++) {
		const char *base = strrchr(cards[i], '/') + 1;
		hw_gpu_probe *g;
		char **hw = NULL;
		size_t nh = 0;

		if (strncmp(base, "card", 4) || strchr(base, '-'))
			continue;
		snprintf(path, sizeof(path), "%s/device/vendor", cards[i]);
		if (hw_file_read(&b, path, 64) || strncmp(b.data, "0x1002", 6))
			continue; /* not AMD */
		g = add_gpu(p, "amd", "sysfs", "not in amdgpu sysfs");
		found++;
		hw_reading_text(&g->r[GR_NAME], base, strlen(base));
		snprintf(path, sizeof(path), "%s/device/mem_info_vram_total", cards[i]);
		sysfs_num(&g->r[GR_MEM_TOTAL], path, "bytes", 1);
		snprintf(path, sizeof(path), "%s/device/mem_info_vram_used", cards[i]);
		sysfs_num(&g->r[GR_MEM_USED], path, "bytes", 1);
		derive_free(g);
		snprintf(path, sizeof(path), "%s/device/gpu_busy_percent", cards[i]);
		sysfs_num(&g->r[GR_UTIL], path, "%", 1);
		snprintf(path, sizeof(path), "%s/device/hwmon", cards[i]);
		if (hw_dir_list(&hw, &nh, path, "") == HW_OK && nh) {
			snprintf(path, sizeof(path), "%s/temp1_input", hw[0]);
			sysfs_num(&g->r[GR_TEMP], path, "C", 0.001);
			snprintf(path, sizeof(path), "%s/power1_average", hw[0]);
			sysfs_num(&g->r[GR_POWER], path, "W", 1e-6);
		}
		hw_strv_free(hw);
	}
	hw_buf_free(&b);
	hw_strv_free(cards);
	if (found)
		hw_reading_text(&p->amd, "sysfs", 5);
	else
		hw_reading_set(&p->amd, HW_READ_UNSUPPORTED,
			       "no AMD GPU (no rocm-smi; no amdgpu card in %s)",
			       dir);
}
