/*
 * cmd_plan.c — `hwledger plan --model PATH [options]` (a table with a
 * stacked bar, --json, --export vllm|llama.cpp|mlx, --sweep) and
 * `hwledger plan check [DIR] [--json]`.
 */
#include "cli/cli.h"
#include "planner/planner.h"
#include "probes/probes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GPUS HW_PLANNER_GPUS
#define ENGINES HW_PLANNER_ENGINES

static int parse_count(const char *s, long *out, long max)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || v <= 0)
		return 0;
	if (*end == 'k' || *end == 'K')
		v *= 1024, end++;
	else if (*end == 'm' || *end == 'M')
		v *= 1048576, end++;
	if (*end || v > (double)max || floor(v) != v)
		return 0;
	*out = (long)v;
	return 1;
}


static void gib(char *out, size_t n, double b)
{
	snprintf(out, n, "%8.2f GiB", b / 1073741824.0);
}

static void print_plan(const hw_model *m, const hw_plan_inputs *in,
		       const hw_plan *p)
{
	char a[32], b[32], c[32], d[32], e[32], f[32], w[48];
	const int width = 50;

	printf("model      %s (%s; %s: %s)\n", m->name, m->family,
	       hw_attention_name(m->attention), m->attention_reason);
	printf("inputs     ctx %ld, batch %ld, weights %s, KV %s, TP %d, PP %d, "
	       "engine %s%s%s\n\n",
	       in->ctx, in->batch, hw_weights_name(m, in, w, sizeof(w)),
	       hw_kv_dtype(m, in), in->tp, in->pp,
	       in->engine.name, in->gpu_name[0] ? ", GPU " : "", in->gpu_name);
	gib(a, sizeof(a), p->weights_bytes);
	gib(b, sizeof(b), p->kv_bytes);
	gib(c, sizeof(c), p->activation_bytes);
	gib(d, sizeof(d), p->overhead_bytes);
	gib(e, sizeof(e), p->total_bytes);
	gib(f, sizeof(f), p->per_gpu_bytes);
	printf("parameters  %.3f B total, %.3f B active\n",
	       (double)p->params_total / 1e9, (double)p->params_active / 1e9);
	printf("weights    %s\nKV cache   %s  (%.0f bytes per token)\n"
	       "activations%s\noverhead   %s\ntotal      %s  (all GPUs)\n"
	       "per GPU    %s\n",
	       a, b, p->kv_bytes_per_token, c, d, e, f);
	if (in->gpu_memory > 0) {
		/* where the busiest GPU's memory goes */
		double parts[4] = {p->per_gpu_weights, p->per_gpu_kv,
				   p->per_gpu_activation,
				   p->per_gpu_bytes - p->per_gpu_weights -
					   p->per_gpu_kv - p->per_gpu_activation};
		const char marks[4] = {'W', 'K', 'A', 'O'};
		int used = 0;

		printf("\n[");
		for (int i = 0; i < 4; i++) {
			int n = (int)lround(parts[i] / in->gpu_memory * width);

			for (int k = 0; k < n && used < width; k++, used++)
				putchar(marks[i]);
		}
		for (; used < width; used++)
			putchar('.');
		printf("] %.1f%% of %.1f GiB: %s\n", 100 * p->utilization,
		       in->gpu_memory / 1073741824.0,
		       p->fits ? p->band : "does not fit");
		printf(" W weights  K KV cache  A activations  O overhead  . free\n");
		printf("\nmax context %ld tokens at batch %ld; max batch %ld at "
		       "context %ld\n",
		       p->max_context, in->batch, p->max_batch, in->ctx);
	}
	if (p->decode_tokens_per_s > 0)
		printf("decode      at most %.1f tokens/s (memory-bandwidth "
		       "bound)\n",
		       p->decode_tokens_per_s);
	printf("\nassumptions:\n");
	for (int i = 0; i < p->nassumptions; i++)
		printf("  - %s\n", p->assumptions[i]);
}

/* Implements: FR-PLAN-005 */
static int print_export(const char *engine, const hw_model *m,
			const hw_plan_inputs *in, const hw_plan *p)
{
	const char *kv = hw_kv_dtype(m, in);

	if (!strcmp(engine, "vllm")) {
		printf("vllm serve %s --max-model-len %ld --max-num-seqs %ld "
		       "--tensor-parallel-size %d --pipeline-parallel-size %d "
		       "--gpu-memory-utilization %.2f --kv-cache-dtype %s",
		       m->name, in->ctx, in->batch, in->tp, in->pp,
		       p->fits > 0 && p->utilization < 0.95
			       ? (p->utilization > 0.5 ? p->utilization + 0.05 : 0.9)
			       : 0.95,
		       !strcmp(kv, "fp8") ? "fp8" : "auto");
		if (!strcmp(in->quant, "awq") || !strcmp(in->quant, "gptq") ||
		    !strcmp(in->quant, "fp8"))
			printf(" --quantization %s", in->quant);
		putchar('\n');
	} else if (!strcmp(engine, "llama.cpp")) {
		const char *ck = !strcmp(kv, "int8") || !strcmp(kv, "fp8") ? "q8_0"
				 : !strcmp(kv, "int4")			    ? "q4_0"
									    : "f16";

		printf("llama-server -m %s.gguf -c %ld -np %ld -ngl 999 "
		       "--split-mode %s -ctk %s -ctv %s\n",
		       m->name, in->ctx * in->batch, in->batch,
		       in->tp > 1 ? "row" : in->pp > 1 ? "layer" : "none", ck, ck);
	} else if (!strcmp(engine, "mlx")) {
		printf("mlx_lm.generate --model %s --max-kv-size %ld\n", m->name,
		       in->ctx);
	} else {
		return hw_cli_usage_error("plan", "--export must be vllm, "
						  "llama.cpp or mlx, not '%s'",
					  engine);
	}
	return hw_cli_finish(HW_EXIT_OK);
}

/* "ctx=1k..128k batch=1..64": doubling steps between the bounds. */
static int parse_range(const char *spec, const char *key, long *vals,
		       size_t *n, long max)
{
	const char *p = strstr(spec, key), *dots;
	char lo_s[32], hi_s[32];
	long lo, hi;

	*n = 0;
	if (!p)
		return 0;
	p += strlen(key);
	dots = strstr(p, "..");
	if (!dots || dots - p >= 31)
		return 0;
	snprintf(lo_s, sizeof(lo_s), "%.*s", (int)(dots - p), p);
	snprintf(hi_s, sizeof(hi_s), "%.*s", (int)strcspn(dots + 2, " ,"),
		 dots + 2);
	if (!parse_count(lo_s, &lo, max) || !parse_count(hi_s, &hi, max) ||
	    hi < lo)
		return 0;
	for (long v = lo; v <= hi && *n < 64; v *= 2)
		vals[(*n)++] = v;
	return 1;
}

/* The sweep SPEC of m as a hwledger.sweep/1 document into o. */
/* Implements: FR-PLAN-005 */
static int sweep_json(hw_buf *o, const char *spec, const hw_model *m,
		      const hw_plan_inputs *in)
{
	long ctxs[64], batches[64];
	size_t nc, nb;
	double grid[64 * 64];
	hw_jw w;
	int err;

	if (!parse_range(spec, "ctx=", ctxs, &nc, 1L << 26) ||
	    !parse_range(spec, "batch=", batches, &nb, 1L << 20))
		return hw_error_set(HW_EINVAL, NULL, 0, 0,
				    "--sweep must read like "
				    "'ctx=1k..128k batch=1..64', not '%s'",
				    spec);
	if ((err = hw_plan_sweep(grid, m, in, ctxs, nc, batches, nb)))
		return err;
	hw_jw_init(&w, o, 1);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", "hwledger.sweep/1");
	hw_jw_kstr(&w, "model", m->name);
	hw_jw_key(&w, "ctx");
	hw_jw_array(&w);
	for (size_t c = 0; c < nc; c++)
		hw_jw_int(&w, ctxs[c]);
	hw_jw_end(&w);
	hw_jw_key(&w, "batch");
	hw_jw_array(&w);
	for (size_t b = 0; b < nb; b++)
		hw_jw_int(&w, batches[b]);
	hw_jw_end(&w);
	hw_jw_kint(&w, "gpu_memory_bytes", (long long)in->gpu_memory);
	hw_jw_key(&w, "per_gpu_bytes");
	hw_jw_array(&w);
	for (size_t b = 0; b < nb; b++) {
		hw_jw_array(&w);
		for (size_t c = 0; c < nc; c++)
			hw_jw_int(&w, (long long)grid[b * nc + c]);
		hw_jw_end(&w);
	}
	hw_jw_end(&w);
	hw_jw_end(&w);
	return hw_jw_finish(&w);
}

static int run_sweep(const char *spec, const hw_model *m,
		     const hw_plan_inputs *in)
{
	hw_buf o;
	int err;

	hw_buf_init(&o, 0);
	err = sweep_json(&o, spec, m, in);
	if (!err)
		fwrite(o.data, 1, o.len, stdout);
	hw_buf_free(&o);
	if (err == HW_EINVAL)
		return hw_cli_usage_error("plan", "%s", hw_error_last());
	return hw_cli_finish(err ? hw_cli_error(err) : HW_EXIT_OK);
}

/* Implements: FR-PLAN-006 */
static int plan_check(hw_cli *cli, int argc, char **argv)
{
	const char *dir = "planner/checks";
	char **files = NULL;
	size_t n = 0, failed = 0;
	int json = 0, code, err;
	hw_buf o;
	hw_jw w;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (argv[i][0] != '-')
			dir = argv[i];
		else
			return hw_cli_usage_error("plan", "plan check: unknown "
							  "option '%s'",
						  argv[i]);
	}
	if ((code = hw_cli_checks_dir("plan", dir, "runs",
				      "specs/planner.md, \"Plan checks\"")))
		return code;
	if ((err = hw_dir_list(&files, &n, dir, ".json")))
		return hw_cli_error(err);
	hw_buf_init(&o, 0);
	hw_jw_init(&w, &o, 1);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", "hwledger.plancheck-results/1");
	hw_jw_key(&w, "checks");
	hw_jw_array(&w);
	for (size_t i = 0; i < n; i++) {
		cJSON *r = NULL;
		const cJSON *fails;
		char *s;

		if ((err = hw_plan_check_file(&r, files[i]))) {
			hw_cli_error(err);
			break;
		}
		fails = cJSON_GetObjectItemCaseSensitive(r, "failures");
		failed += cJSON_GetArraySize(fails) > 0;
		if (!json && !cli->quiet) {
			const cJSON *f;

			printf("%-4s %s\n", cJSON_GetArraySize(fails) ? "FAIL" : "ok",
			       cJSON_GetObjectItemCaseSensitive(r, "name")->valuestring);
			cJSON_ArrayForEach(f, fails)
				printf("       %s\n", f->valuestring);
		}
		/* the result, as the ledger will sign it */
		s = cJSON_PrintUnformatted(r);
		hw_jw_null(&w);
		o.len -= 4;
		hw_buf_puts(&o, s ? s : "null");
		cJSON_free(s);
		cJSON_Delete(r);
	}
	hw_jw_end(&w);
	hw_jw_kint(&w, "total", (long long)n);
	hw_jw_kint(&w, "failed", (long long)failed);
	hw_jw_end(&w);
	hw_strv_free(files);
	if (!err)
		err = hw_jw_finish(&w);
	if (!err && json)
		fwrite(o.data, 1, o.len, stdout);
	else if (!err && !cli->quiet)
		printf("\nplan check: %zu checks, %zu failed\n", n, failed);
	hw_buf_free(&o);
	if (err)
		return hw_cli_finish(hw_exit_code(err));
	return hw_cli_finish(failed ? HW_EXIT_FAIL : HW_EXIT_OK);
}

/*
 * The top cheapest priced layouts of m that fit in max_util of a GPU's
 * memory: a hwledger.cheapest/1 document into json, or the table on stdout
 * when json is NULL. *nfit receives how many prices have a layout that fits.
 */
/* Implements: FR-PLAN-007 */
static int cheapest(hw_buf *json, size_t *nfit, const hw_model *m,
		    const hw_plan_inputs *in, double max_util, long top,
		    const char *today)
{
	hw_offer *offers = NULL;
	hw_choice *c = NULL;
	size_t noffers = 0, n = 0, shown, stale = 0;
	char w[48];
	int err;

	if ((err = hw_offers_load(&offers, &noffers, GPUS)) ||
	    (err = hw_plan_cheapest(&c, &n, m, in, offers, noffers, max_util))) {
		free(offers);
		return err;
	}
	*nfit = n;
	shown = n < (size_t)top ? n : (size_t)top;
	if (json) {
		err = hw_cheapest_json(json, m, in, max_util, noffers, c, shown,
				       today);
	} else {
		printf("cheapest configurations for %s: ctx %ld, batch %ld, "
		       "weights %s, KV %s, engine %s\n",
		       m->name, in->ctx, in->batch,
		       hw_weights_name(m, in, w, sizeof(w)),
		       hw_kv_dtype(m, in), in->engine.name);
		printf("%zu of %zu prices have a layout that fits in %.0f%% of "
		       "GPU memory; the %zu cheapest:\n\n",
		       n, noffers, 100 * max_util, shown);
		if (shown)
			printf("%8s %9s %4s %6s  %-15s %-13s %-5s %s\n", "$/hour",
			       "$/M tok", "GPUs", "TPxPP", "GPU", "provider", "use",
			       "price as of");
		for (size_t i = 0; i < shown; i++) {
			int old = hw_price_age_days(c[i].offer->as_of, today) >
				  HW_PRICE_STALE_DAYS;

			stale += old;
			printf("%8.2f %9.2f %4d %3dx%-2d  %-15s %-13s %3.0f%%  "
			       "%s%s\n",
			       c[i].usd_per_hour, c[i].usd_per_mtok,
			       c[i].tp * c[i].pp, c[i].tp, c[i].pp,
			       c[i].offer->gpu.name, c[i].offer->provider,
			       100 * c[i].plan.utilization, c[i].offer->as_of,
			       old ? " (stale)" : "");
		}
		printf("\n$/M tok: per million decoded tokens at the "
		       "memory-bandwidth bound.\nPrices are dated quotes from "
		       "the pages named in %s (\"prices\"); they move daily.\n",
		       GPUS);
		if (stale)
			printf("%zu of these prices are more than %d days old "
			       "on %s: check them before you rely on them.\n",
			       stale, HW_PRICE_STALE_DAYS, today);
	}
	free(offers);
	free(c);
	return err;
}

/* Implements: FR-PLAN-007 */
static int run_cheapest(const hw_model *m, const hw_plan_inputs *in,
			double max_util, long top, int json, const char *today)
{
	hw_buf o;
	size_t n = 0;
	char now[11];
	int ymd[3], err;

	if (!today) {
		hw_today(now);
		today = now;
	} else if (!hw_date_parse(today, 0, ymd)) {
		return hw_cli_usage_error("plan", "--today must be a real "
						  "date, YYYY-MM-DD, not '%s'",
					  today);
	}
	hw_buf_init(&o, 0);
	err = cheapest(json ? &o : NULL, &n, m, in, max_util, top, today);
	if (!err && json)
		fwrite(o.data, 1, o.len, stdout);
	hw_buf_free(&o);
	if (err)
		return hw_cli_finish(hw_cli_error(err));
	if (!n)
		return hw_cli_fail(HW_EXIT_FAIL, "no priced GPU configuration "
						 "fits this plan");
	return hw_cli_finish(HW_EXIT_OK);
}

/* The inputs of `plan` before any option: ctx 4096, batch 1, one GPU. */
static void inputs_init(hw_plan_inputs *in)
{
	memset(in, 0, sizeof(*in));
	in->ctx = 4096;
	in->batch = 1;
	in->tp = in->pp = 1;
}

/* The GPU named in the catalog: its memory, bandwidth and name. */
static int catalog_gpu(hw_plan_inputs *in, const char *name)
{
	hw_gpu g;
	int err = hw_gpu_find(&g, GPUS, name);

	if (err)
		return err;
	in->gpu_memory = g.memory_bytes;
	in->gpu_bandwidth = g.bandwidth;
	snprintf(in->gpu_name, sizeof(in->gpu_name), "%s", g.name);
	return HW_OK;
}

/* ---- `plan report`: the illustrations planner/report.json asks for ---- */

#define PLANNER_REPORT "planner/report.json"
#define PLANNER_REPORT_SCHEMA "hwledger.planner-report/1"
#define MAX_SWEEPS 8

static int report_cfg_error(const char *what, const char *key)
{
	return hw_error_set(HW_EINVAL, PLANNER_REPORT, 1, 0, "%s%s%s%s", what,
			    key ? " \"" : "", key ? key : "", key ? "\"" : "");
}

/* Every member of o is one of keys. */
static int only_keys(const cJSON *o, const char *const *keys, size_t n,
		     const char *where)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, o) {
		size_t i = 0;

		while (i < n && strcmp(m->string, keys[i]) != 0)
			i++;
		if (i == n) {
			char msg[96];

			snprintf(msg, sizeof(msg), "%s: unknown key", where);
			return report_cfg_error(msg, m->string);
		}
	}
	return HW_OK;
}

/* A non-empty string member, or NULL. */
static const char *text_of(const cJSON *o, const char *key)
{
	const char *v = hw_json_str(o, key);

	return v && *v ? v : NULL;
}

/* The sweep's name: "name", or the model file's name without ".json";
 * letters, digits, '.', '_' and '-' only (it names a file). */
static int sweep_name(const cJSON *sw, char *out, size_t size)
{
	const char *name = text_of(sw, "name");
	const char *model = text_of(sw, "model");
	size_t n;

	if (name) {
		n = strlen(name);
	} else if (model) {
		const char *slash = strrchr(model, '/');

		name = slash ? slash + 1 : model;
		n = strlen(name);
		if (n > 5 && !strcmp(name + n - 5, ".json"))
			n -= 5;
	} else {
		return 0;
	}
	if (n == 0 || n >= size || strspn(name, "abcdefghijklmnopqrstuvwxyz"
					       "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					       "0123456789._-") < n)
		return 0;
	memcpy(out, name, n);
	out[n] = '\0';
	return 1;
}

/*
 * Reads and checks planner/report.json: its schema, at most MAX_SWEEPS
 * sweeps each with "model" and "grid" (and "gpu", "name"), and a cheapest
 * plan with "model" (and "ctx"). Unknown keys and wrong types are errors.
 */
/* Implements: FR-REPORT-001 */
static int planner_report_load(cJSON **out)
{
	static const char *const top[] = {"schema", "sweeps", "cheapest"};
	static const char *const sweep_keys[] = {"model", "grid", "gpu",
						 "name"};
	static const char *const cheap_keys[] = {"model", "ctx"};
	const cJSON *sweeps, *cheapest, *sw;
	char names[MAX_SWEEPS][128], where[32];
	const char *schema;
	int err, i = 0;

	if ((err = hw_json_load(out, PLANNER_REPORT, (size_t)1 << 20)))
		return err;
	schema = hw_json_str(*out, "schema");
	sweeps = cJSON_GetObjectItemCaseSensitive(*out, "sweeps");
	cheapest = cJSON_GetObjectItemCaseSensitive(*out, "cheapest");
	if (!cJSON_IsObject(*out) || !schema ||
	    strcmp(schema, PLANNER_REPORT_SCHEMA) != 0)
		err = report_cfg_error("not a " PLANNER_REPORT_SCHEMA
				       " document",
				       NULL);
	else
		err = only_keys(*out, top, 3, "the document");
	if (!err && sweeps &&
	    (!cJSON_IsArray(sweeps) || cJSON_GetArraySize(sweeps) > MAX_SWEEPS))
		err = report_cfg_error("\"sweeps\" must be a list of at most "
				       "8 sweeps",
				       NULL);
	cJSON_ArrayForEach(sw, sweeps) {
		if (err)
			break;
		snprintf(where, sizeof(where), "sweeps[%d]", i);
		if (!cJSON_IsObject(sw) || !text_of(sw, "model") ||
		    !text_of(sw, "grid") ||
		    (cJSON_GetObjectItemCaseSensitive(sw, "gpu") &&
		     !text_of(sw, "gpu")))
			err = hw_error_set(HW_EINVAL, PLANNER_REPORT, 1, 0,
					   "%s needs \"model\" and \"grid\" "
					   "(and may have \"gpu\"), as strings",
					   where);
		if (!err)
			err = only_keys(sw, sweep_keys, 4, where);
		if (!err && !sweep_name(sw, names[i], sizeof(names[i])))
			err = hw_error_set(HW_EINVAL, PLANNER_REPORT, 1, 0,
					   "%s: its name must be letters, "
					   "digits, '.', '_' or '-'",
					   where);
		for (int j = 0; !err && j < i; j++)
			if (!strcmp(names[j], names[i]))
				err = hw_error_set(HW_EINVAL, PLANNER_REPORT, 1,
						   0,
						   "%s: a second sweep named "
						   "'%s' (give it a \"name\")",
						   where, names[i]);
		i++;
	}
	if (!err && cheapest &&
	    (!cJSON_IsObject(cheapest) || !text_of(cheapest, "model") ||
	     (cJSON_GetObjectItemCaseSensitive(cheapest, "ctx") &&
	      !text_of(cheapest, "ctx"))))
		err = hw_error_set(HW_EINVAL, PLANNER_REPORT, 1, 0,
				   "\"cheapest\" needs \"model\" (and may "
				   "have \"ctx\"), as strings");
	if (!err && cheapest)
		err = only_keys(cheapest, cheap_keys, 2, "cheapest");
	if (err) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return err;
}


/*
 * One illustration, as `plan --model MODEL [--gpu GPU] --sweep GRID --json`
 * (grid set) or `plan --model MODEL [--ctx CTX] --cheapest --json` would
 * print it, into o. A cheapest plan that nothing fits is still a result.
 */
/* Implements: FR-REPORT-001 */
static int illustration(hw_buf *o, const char *model, const char *gpu,
			const char *ctx, const char *grid)
{
	hw_plan_inputs in;
	hw_model m;
	hw_plan p;
	char today[11];
	size_t nfit;
	long n;
	int err;

	inputs_init(&in);
	if (ctx && !parse_count(ctx, &n, 1L << 26))
		return hw_error_set(HW_EINVAL, NULL, 0, 0,
				    "\"ctx\" must be a token count like "
				    "8k, not '%s'",
				    ctx);
	if (ctx)
		in.ctx = n;
	if ((err = hw_model_load(&m, model)) ||
	    (err = hw_engine_find(&in.engine, ENGINES, "vllm")))
		return err;
	if (!grid) {
		hw_today(today);
		return cheapest(o, &nfit, &m, &in, 1.0, 10, today);
	}
	if ((gpu && (err = catalog_gpu(&in, gpu))) ||
	    (err = hw_plan_compute(&p, &m, &in)))
		return err;
	return sweep_json(o, grid, &m, &in);
}

/* Writes one illustration into dir/file; a failure names both. */
static int write_illustration(const char *dir, const char *file,
			      const char *model, const char *gpu,
			      const char *ctx, const char *grid)
{
	char *path = hw_path_join(dir, file);
	hw_buf o;
	int err;

	HW_CHECK_ALLOC(path);
	hw_buf_init(&o, 0);
	if (!(err = illustration(&o, model, gpu, ctx, grid)))
		err = hw_file_write_atomic(path, o.data, o.len);
	if (err) {
		char why[512];

		snprintf(why, sizeof(why), "%s", hw_error_last());
		err = hw_error_set(err, PLANNER_REPORT, 0, 0, "%s: %s", file,
				   why);
	}
	hw_buf_free(&o);
	free(path);
	return err;
}

/*
 * `plan report [-o DIR]`: the sweeps (sweep-NAME.json) and the cheapest
 * priced layouts (cheapest.json) that planner/report.json names, into DIR
 * (the evidence folder, build/checks by default), for the site's planner
 * page. The whole file is checked before anything is written.
 */
/* Implements: FR-REPORT-001 */
static int plan_report(hw_cli *cli, int argc, char **argv)
{
	const char *dir = "build/checks";
	const cJSON *sw, *cheap;
	cJSON *cfg = NULL;
	size_t written = 0;
	int err;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc && *argv[i + 1])
			dir = argv[++i];
		else
			return hw_cli_usage_error("plan", "plan report: unknown "
							  "argument '%s'",
						  argv[i]);
	}
	if ((err = planner_report_load(&cfg)) || (err = hw_mkdir_p(dir)))
		goto done;
	cJSON_ArrayForEach(sw, cJSON_GetObjectItem(cfg, "sweeps")) {
		char name[128], file[160];

		sweep_name(sw, name, sizeof(name));
		snprintf(file, sizeof(file), "sweep-%s.json", name);
		if ((err = write_illustration(dir, file, text_of(sw, "model"),
					      text_of(sw, "gpu"), NULL,
					      text_of(sw, "grid"))))
			goto done;
		written++;
	}
	cheap = cJSON_GetObjectItem(cfg, "cheapest");
	if (cheap && (err = write_illustration(dir, "cheapest.json",
					       text_of(cheap, "model"), NULL,
					       text_of(cheap, "ctx"), NULL)))
		goto done;
	written += cheap != NULL;
	if (!cli->quiet)
		printf("plan report: %zu illustrations of %s in %s\n", written,
		       PLANNER_REPORT, dir);
done:
	cJSON_Delete(cfg);
	return hw_cli_finish(err ? hw_cli_error(err) : HW_EXIT_OK);
}

/* The options of `plan` that take a value, and what a count must be: an
 * option that is not here is unknown, never "needs a value". */
static const struct {
	const char *name, *want;
} plan_opts[] = {
	{"--model", NULL},
	{"--gpu", NULL},
	{"--engine", NULL},
	{"--export", NULL},
	{"--sweep", NULL},
	{"--quant", NULL},
	{"--kv-dtype", NULL},
	{"--today", NULL},
	{"--gpu-mem", "a byte count (a k or M suffix multiplies by 1024 "
		      "or 1024^2)"},
	{"--ctx", "a token count from 1 to 64M (32k: a k or M suffix "
		  "multiplies by 1024 or 1024^2)"},
	{"--batch", "a whole number from 1 to 1M"},
	{"--tp", "a whole number from 1 to 1024"},
	{"--pp", "a whole number from 1 to 64"},
	{"--top", "a whole number from 1 to 1000"},
	{"--max-util", "a share of the GPU's memory, more than 0 and at "
		       "most 1"},
};

/* Implements: FR-CLI-001 */
static int plan_opt(const char *a)
{
	for (size_t k = 0; k < sizeof(plan_opts) / sizeof(plan_opts[0]); k++)
		if (!strcmp(a, plan_opts[k].name))
			return (int)k;
	return -1;
}

/* Implements: FR-PLAN-003, FR-PLAN-004, FR-PLAN-005 */
int hw_cmd_plan(hw_cli *cli, int argc, char **argv)
{
	const char *model = NULL, *gpu = NULL, *engine = "vllm", *export = NULL,
		   *sweep = NULL;
	hw_plan_inputs in;
	hw_model m;
	hw_plan p;
	const char *today = NULL;
	int json = 0, cheapest = 0, layout = 0, err;
	long gpu_mem = 0, top = 10;
	double max_util = 1.0;

	if (argc >= 2 && !strcmp(argv[1], "check"))
		return plan_check(cli, argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "report"))
		return plan_report(cli, argc - 1, argv + 1);
	inputs_init(&in);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		long n;

		if (!strcmp(a, "--json") || !strcmp(a, "--cheapest")) {
			*(a[2] == 'j' ? &json : &cheapest) = 1;
			continue;
		}
		if (plan_opt(a) < 0)
			return hw_cli_usage_error("plan",
						  "plan: unknown argument '%s'",
						  a);
		if (!v)
			return hw_cli_usage_error("plan", "%s needs a value", a);
		i++;
		if (!strcmp(a, "--model"))
			model = v;
		else if (!strcmp(a, "--gpu"))
			gpu = v;
		else if (!strcmp(a, "--engine"))
			engine = v;
		else if (!strcmp(a, "--export"))
			export = v;
		else if (!strcmp(a, "--sweep"))
			sweep = v;
		else if (!strcmp(a, "--quant"))
			snprintf(in.quant, sizeof(in.quant), "%s", v);
		else if (!strcmp(a, "--kv-dtype"))
			snprintf(in.kv_dtype, sizeof(in.kv_dtype), "%s", v);
		else if (!strcmp(a, "--gpu-mem") && parse_count(v, &n, 1L << 50))
			gpu_mem = n;
		else if (!strcmp(a, "--ctx") && parse_count(v, &n, 1L << 26))
			in.ctx = n;
		else if (!strcmp(a, "--batch") && parse_count(v, &n, 1L << 20))
			in.batch = n;
		else if (!strcmp(a, "--tp") && parse_count(v, &n, 1024))
			in.tp = (int)n, layout = 1;
		else if (!strcmp(a, "--pp") && parse_count(v, &n, 64))
			in.pp = (int)n, layout = 1;
		else if (!strcmp(a, "--top") && parse_count(v, &n, 1000))
			top = n;
		else if (!strcmp(a, "--today"))
			today = v;
		else if (!strcmp(a, "--max-util") && hw_cli_positive(v, 1, &max_util))
			;
		else
			return hw_cli_usage_error("plan", "%s needs %s, not '%s'",
						  a, plan_opts[plan_opt(a)].want,
						  v);
	}
	if (!model)
		return hw_cli_usage_error("plan", "plan needs --model PATH");
	if (cheapest && (gpu || gpu_mem || layout || export || sweep))
		return hw_cli_usage_error("plan", "--cheapest chooses the GPU and "
						  "the TP x PP layout itself: "
						  "drop --gpu, --gpu-mem, --tp, "
						  "--pp, --export and --sweep");
	if ((err = hw_model_load(&m, model)) ||
	    (err = hw_engine_find(&in.engine, ENGINES, engine)))
		return hw_cli_error(err);
	if (cheapest)
		return run_cheapest(&m, &in, max_util, top, json, today);
	if (gpu && !strcmp(gpu, "probed")) {
		/* plan against the free memory of this machine's first GPU */
		hw_probe *pr = calloc(1, sizeof(*pr));
		const hw_reading *free_mem = NULL;

		if (!pr)
			return hw_cli_fail(HW_EXIT_ENV, "out of memory");
		hw_probe_local(pr);
		if (pr->ngpus && pr->gpus[0].r[GR_MEM_FREE].status == HW_READ_OK)
			free_mem = &pr->gpus[0].r[GR_MEM_FREE];
		if (!free_mem) {
			fprintf(stderr, "hwledger: --gpu probed: no GPU with a "
					"known free memory (%s)\n",
				pr->ngpus ? pr->gpus[0].r[GR_MEM_FREE].reason
					  : pr->nvidia.reason);
			free(pr);
			return HW_EXIT_ENV;
		}
		in.gpu_memory = free_mem->value;
		snprintf(in.gpu_name, sizeof(in.gpu_name), "probed GPU 0 (%.40s)",
			 pr->gpus[0].r[GR_NAME].status == HW_READ_OK
				 ? pr->gpus[0].r[GR_NAME].text
				 : "unnamed");
		free(pr);
	} else if (gpu) {
		if ((err = catalog_gpu(&in, gpu)))
			return hw_cli_error(err);
	} else if (gpu_mem) {
		in.gpu_memory = (double)gpu_mem;
	}
	if ((err = hw_plan_compute(&p, &m, &in)))
		return hw_cli_error(err);
	if (sweep)
		return run_sweep(sweep, &m, &in);
	if (export)
		return print_export(export, &m, &in, &p);
	if (json) {
		hw_buf o;

		hw_buf_init(&o, 0);
		err = hw_plan_json(&o, &m, &in, &p);
		if (!err)
			fwrite(o.data, 1, o.len, stdout);
		hw_buf_free(&o);
		return hw_cli_finish(err ? hw_cli_error(err) : HW_EXIT_OK);
	}
	print_plan(&m, &in, &p);
	return hw_cli_finish(HW_EXIT_OK);
}
