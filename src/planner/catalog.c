/*
 * catalog.c — the GPU catalog (planner/gpus.json) and the engine profiles
 * (planner/engines.json). Names match case-insensitively.
 *
 * Both are compiled into the binary (ci/embed.sh), so an installed hwledger
 * plans from any folder; a project's own file at the same path overrides
 * the built-in one whole (specs/planner.md, "Catalogs").
 */
/* hwledger-sast-ignore *: glibc's feature macro, for strcasestr */
#define _GNU_SOURCE
#include "planner.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

extern const hw_embedded hw_planner_data[];
extern const size_t hw_planner_data_count;

/* A catalog read for lookups: its tree and its text, for the line of
 * an entry a message names. */
typedef struct catalog {
	cJSON *root;
	const char *path;
	const char *text;
	size_t len;
	hw_buf buf;
	int builtin; /* the copy compiled in: no file of the user's */
} catalog;

/* Implements: FR-CLI-011 */
static int cat_open(catalog *c, const char *path, size_t max)
{
	const char *base = strrchr(path, '/');
	struct stat st;
	int err;

	memset(c, 0, sizeof(*c));
	c->path = path;
	hw_buf_init(&c->buf, 0);
	base = base ? base + 1 : path;
	/* Only the default paths fall back, and only when nothing is there:
	 * a file the user named, or one that exists but cannot be read, is
	 * never silently replaced by the built-in copy. */
	if (!strcmp(path, HW_PLANNER_GPUS) ||
	    !strcmp(path, HW_PLANNER_ENGINES)) {
		if (lstat(path, &st) && errno == ENOENT) {
			for (size_t i = 0; i < hw_planner_data_count; i++)
				if (!strcmp(hw_planner_data[i].name, base)) {
					c->text = hw_planner_data[i].data;
					c->len = hw_planner_data[i].len;
					c->builtin = 1;
					return hw_json_parse(&c->root, path,
							     c->text, c->len);
				}
		}
	}
	if ((err = hw_file_read(&c->buf, path, max)))
		return err;
	c->text = c->buf.data ? c->buf.data : "";
	c->len = c->buf.len;
	return hw_json_parse(&c->root, path, c->text, c->len);
}

static void cat_close(catalog *c)
{
	cJSON_Delete(c->root);
	hw_buf_free(&c->buf);
	memset(c, 0, sizeof(*c));
}

/* The line of entry i of the catalog's list (i < 0: of the list), or 1. */
static long cat_line(const catalog *c, const char *list, int i)
{
	return hw_json_item_line(c->text, c->len, list, i);
}

int hw_catalog_load(cJSON **root, const char *path, size_t max)
{
	catalog c;
	int err = cat_open(&c, path, max);

	*root = err ? NULL : c.root;
	if (!err)
		c.root = NULL;
	cat_close(&c);
	return err;
}

/* The entry of root[list] named name (case-insensitive) and its index. */
static const cJSON *find_named(const cJSON *root, const char *list,
			       const char *name, int *index)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, list), *e;
	int i = 0;

	cJSON_ArrayForEach(e, arr) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "name");

		if (cJSON_IsString(n) && !strcasecmp(n->valuestring, name)) {
			if (index)
				*index = i;
			return e;
		}
		i++;
	}
	return NULL;
}

/*
 * A name the catalog's list lacks, as a usage error: in which catalog
 * (the built-in one names no file of the user's), and the names to pick
 * from: those that hold the name asked for ("H100": "H100 SXM, H100
 * PCIe, H100 NVL"), else all of them.
 */
/* Implements: FR-CLI-011 */
static int no_such_name(const catalog *c, const char *list, const char *what,
			const char *name)
{
	const cJSON *e, *n;
	hw_buf names;
	int err, pass;

	hw_buf_init(&names, 0);
	for (pass = 0; pass < 2 && !names.len; pass++)
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(
					      c->root, list)) {
			n = cJSON_GetObjectItemCaseSensitive(e, "name");
			if (!cJSON_IsString(n) ||
			    (!pass && !strcasestr(n->valuestring, name)))
				continue;
			if (hw_buf_printf(&names, "%s%s", names.len ? ", " : "",
					  n->valuestring)) {
				hw_buf_free(&names);
				return hw_error_code();
			}
		}
	err = hw_error_set(HW_EUSAGE, c->builtin ? NULL : c->path, 0, 0,
			   "no %s named '%s' in %s%s%s; %s: %s", what, name,
			   c->builtin ? "the built-in catalog (a project's own "
				      : "this catalog",
			   c->builtin ? c->path : "",
			   c->builtin ? " replaces it)" : "",
			   pass == 1 ? "did you mean" : "its names",
			   names.len ? names.data : "none");
	hw_buf_free(&names);
	return err;
}

/* o[key] when it is a number from lo (excluded when open) to hi, else -1:
 * a catalog's figures are bounded, so that no sum or product of them
 * overflows to infinity or prints as a nonsense share. */
static double num_in(const cJSON *o, const char *key, double lo, int open,
		     double hi)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v) || !(v->valuedouble <= hi) ||
	    !(open ? v->valuedouble > lo : v->valuedouble >= lo))
		return -1;
	return v->valuedouble;
}

/* The largest GPU memory (GiB) and bandwidth (GB/s) a catalog may give,
 * and the least: far beyond any device, and far below. */
#define GPU_GIB_MIN (1.0 / 1024)
#define GPU_GIB_MAX 65536.0
#define GPU_GB_S_MIN 0.001
#define GPU_GB_S_MAX 1e6

/* Fills g from entry i of "gpus"; bounded memory and bandwidth or
 * HW_EINVAL at the entry's line. */
static int gpu_from(hw_gpu *g, const cJSON *e, const catalog *c, int i)
{
	const cJSON *vendor = cJSON_GetObjectItemCaseSensitive(e, "vendor");
	double gib = num_in(e, "memory_gib", GPU_GIB_MIN, 0, GPU_GIB_MAX);
	double gbs = num_in(e, "bandwidth_gb_s", GPU_GB_S_MIN, 0, GPU_GB_S_MAX);

	memset(g, 0, sizeof(*g));
	snprintf(g->name, sizeof(g->name), "%s",
		 cJSON_GetObjectItemCaseSensitive(e, "name")->valuestring);
	if (cJSON_IsString(vendor))
		snprintf(g->vendor, sizeof(g->vendor), "%s",
			 vendor->valuestring);
	if (gib < 0 || gbs < 0)
		return hw_error_set(HW_EINVAL, c->path, cat_line(c, "gpus", i),
				    0,
				    "GPU '%s' needs \"memory_gib\" from "
				    "1/1024 to 65536 and \"bandwidth_gb_s\" "
				    "from 0.001 to 1000000",
				    g->name);
	g->memory_bytes = gib * 1073741824.0;
	g->bandwidth = gbs * 1e9;
	return HW_OK;
}

/* Implements: FR-PLAN-004 */
int hw_gpu_find(hw_gpu *g, const char *path, const char *name)
{
	catalog c;
	const cJSON *e;
	int err, i = 0;

	memset(g, 0, sizeof(*g));
	if ((err = cat_open(&c, path, (size_t)4 << 20))) {
		cat_close(&c);
		return err;
	}
	e = find_named(c.root, "gpus", name, &i);
	if (!e) {
		err = no_such_name(&c, "gpus", "GPU", name);
		cat_close(&c);
		return err;
	}
	err = gpu_from(g, e, &c, i);
	cat_close(&c);
	return err;
}

/* A price's date: YYYY-MM-DD or YYYY-MM, from 2000 on. */
static int is_date(const char *s, int ymd[3])
{
	return hw_date_parse(s, 1, ymd) && ymd[0] >= 2000;
}

/* Implements: FR-PLAN-007 */
long hw_price_age_days(const char *as_of, const char *today)
{
	int a[3], t[3];

	if (!is_date(as_of, a) || !is_date(today, t))
		return -1;
	return hw_date_days(t) - hw_date_days(a);
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

/* Entry index of "prices" into o, or HW_EINVAL naming the entry, at its
 * line, and the key. */
static int offer_from(hw_offer *o, const catalog *c, const cJSON *e,
		      int index)
{
	const char *gpu = str(e, "gpu"), *provider = str(e, "provider"),
		   *as_of = str(e, "as_of"), *source = str(e, "source"),
		   *offering = str(e, "offering");
	const cJSON *units = cJSON_GetObjectItemCaseSensitive(e, "gpus"), *g;
	double usd = num_in(e, "usd_per_hour", 0, 1, 1e6);
	long line = cat_line(c, "prices", index);
	int ymd[3], gi = 0;

	memset(o, 0, sizeof(*o));
	if (!gpu || !provider || !source)
		return hw_error_set(HW_EINVAL, c->path, line, 0,
				    "prices[%d] needs \"gpu\", \"provider\" "
				    "and \"source\"",
				    index);
	if (!(g = find_named(c->root, "gpus", gpu, &gi)))
		return hw_error_set(HW_EINVAL, c->path, line, 0,
				    "prices[%d]: no GPU named '%s' in the "
				    "\"gpus\" list",
				    index, gpu);
	if (usd < 0)
		return hw_error_set(HW_EINVAL, c->path, line, 0,
				    "prices[%d]: \"usd_per_hour\" must be a "
				    "positive number",
				    index);
	if (!as_of || !is_date(as_of, ymd))
		return hw_error_set(HW_EINVAL, c->path, line, 0,
				    "prices[%d]: \"as_of\" must be a date "
				    "(YYYY-MM-DD or YYYY-MM)",
				    index);
	if (units && (!cJSON_IsNumber(units) || units->valuedouble < 1 ||
		      units->valuedouble > 1024 ||
		      units->valuedouble != (int)units->valuedouble))
		return hw_error_set(HW_EINVAL, c->path, line, 0,
				    "prices[%d]: \"gpus\" must be a whole "
				    "number from 1 to 1024",
				    index);
	o->gpus = units ? (int)units->valuedouble : 1;
	o->usd_per_hour = usd;
	snprintf(o->provider, sizeof(o->provider), "%s", provider);
	snprintf(o->offering, sizeof(o->offering), "%s",
		 offering ? offering : "");
	snprintf(o->as_of, sizeof(o->as_of), "%s", as_of);
	snprintf(o->source, sizeof(o->source), "%s", source);
	return gpu_from(&o->gpu, g, c, gi);
}

/* Implements: FR-PLAN-007 */
int hw_offers_load(hw_offer **offers, size_t *n, const char *path)
{
	catalog c;
	const cJSON *list, *e;
	hw_offer *all = NULL;
	int err, count, i = 0;

	*offers = NULL;
	*n = 0;
	if ((err = cat_open(&c, path, (size_t)4 << 20))) {
		cat_close(&c);
		return err;
	}
	list = cJSON_GetObjectItemCaseSensitive(c.root, "prices");
	if (!cJSON_IsArray(list) || !(count = cJSON_GetArraySize(list))) {
		err = hw_error_set(HW_EINVAL, path, cat_line(&c, "prices", -1),
				   0, "no \"prices\" list: nothing to compare");
		cat_close(&c);
		return err;
	}
	if (!(all = calloc((size_t)count, sizeof(*all)))) {
		cat_close(&c);
		return hw_error_set(HW_ENOMEM, path, 0, 0, "out of memory");
	}
	cJSON_ArrayForEach(e, list) {
		if ((err = offer_from(&all[i], &c, e, i)))
			break;
		i++;
	}
	cat_close(&c);
	if (err) {
		free(all);
		return err;
	}
	*offers = all;
	*n = (size_t)count;
	return HW_OK;
}

int hw_engine_find(hw_engine *en, const char *path, const char *name)
{
	catalog c;
	const cJSON *e;
	int err, i = 0;

	memset(en, 0, sizeof(*en));
	if ((err = cat_open(&c, path, (size_t)1 << 20))) {
		cat_close(&c);
		return err;
	}
	e = find_named(c.root, "engines", name, &i);
	if (!e) {
		err = no_such_name(&c, "engines", "engine", name);
		cat_close(&c);
		return err;
	}
	snprintf(en->name, sizeof(en->name), "%s", name);
	en->fixed_overhead_bytes =
		num_in(e, "fixed_overhead_gib", 0, 0, GPU_GIB_MAX) *
		1073741824.0;
	en->activation_factor = num_in(e, "activation_factor", 0, 1, 1000);
	en->memory_utilization = num_in(e, "memory_utilization", 0, 1, 1);
	if (en->fixed_overhead_bytes < 0 || en->activation_factor < 0 ||
	    en->memory_utilization < 0)
		err = hw_error_set(HW_EINVAL, path, cat_line(&c, "engines", i),
				   0,
				   "engine '%s' needs fixed_overhead_gib from "
				   "0 to 65536, activation_factor above 0 up "
				   "to 1000 and 0 < memory_utilization <= 1",
				   name);
	cat_close(&c);
	return err;
}
