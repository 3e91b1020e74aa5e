/*
 * output.c — a plan as JSON (schema hwledger.plan/1) for scripts, plan
 * checks and the ledger.
 */
#include "planner.h"

static void knum(hw_jw *w, const char *key, double v)
{
	char s[64];
	hw_buf *b = w->out;

	hw_jw_key(w, key);
	/* integers stay integers; the rest keep four decimals */
	if (v == (double)(long long)v && v < 9e15 && v > -9e15)
		snprintf(s, sizeof(s), "%lld", (long long)v);
	else
		snprintf(s, sizeof(s), "%.4f", v);
	hw_jw_null(w);          /* lays out the separator and indentation */
	b->len -= 4;            /* then replaces "null" with the number */
	hw_buf_puts(b, s);
}

/* Opens "inputs" with the keys every planner document shares. */
static void inputs_open(hw_jw *w, const hw_model *m, const hw_plan_inputs *in)
{
	char wname[48];

	hw_jw_key(w, "inputs");
	hw_jw_object(w);
	hw_jw_kint(w, "ctx", in->ctx);
	hw_jw_kint(w, "batch", in->batch);
	hw_jw_kstr(w, "quant", hw_weights_name(m, in, wname, sizeof(wname)));
	hw_jw_kstr(w, "kv_dtype", hw_kv_dtype(m, in));
}

/* Implements: FR-PLAN-005 */
int hw_plan_json(hw_buf *out, const hw_model *m, const hw_plan_inputs *in,
		 const hw_plan *p)
{
	hw_jw w;

	hw_jw_init(&w, out, 1);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", HW_PLAN_SCHEMA);
	hw_jw_kstr(&w, "model", m->name);
	hw_jw_kstr(&w, "attention", hw_attention_name(m->attention));
	hw_jw_kstr(&w, "attention_reason", m->attention_reason);
	inputs_open(&w, m, in);
	hw_jw_kint(&w, "tp", in->tp);
	hw_jw_kint(&w, "pp", in->pp);
	hw_jw_kstr(&w, "engine", in->engine.name);
	hw_jw_kstr(&w, "gpu", in->gpu_name[0] ? in->gpu_name : NULL);
	knum(&w, "gpu_memory_bytes", in->gpu_memory);
	hw_jw_end(&w);
	hw_jw_kint(&w, "params_total", p->params_total);
	hw_jw_kint(&w, "params_active", p->params_active);
	knum(&w, "weights_bytes", p->weights_bytes);
	knum(&w, "kv_bytes_per_token", p->kv_bytes_per_token);
	knum(&w, "kv_bytes", p->kv_bytes);
	knum(&w, "activation_bytes", p->activation_bytes);
	knum(&w, "overhead_bytes", p->overhead_bytes);
	knum(&w, "total_bytes", p->total_bytes);
	knum(&w, "per_gpu_bytes", p->per_gpu_bytes);
	hw_jw_key(&w, "fits");
	if (p->fits < 0)
		hw_jw_null(&w);
	else
		hw_jw_bool(&w, p->fits);
	knum(&w, "utilization", p->utilization);
	hw_jw_kstr(&w, "band", p->band);
	hw_jw_kint(&w, "max_context", p->max_context);
	hw_jw_kint(&w, "max_batch", p->max_batch);
	knum(&w, "decode_tokens_per_s_max", p->decode_tokens_per_s);
	hw_jw_key(&w, "assumptions");
	hw_jw_array(&w);
	for (int i = 0; i < p->nassumptions; i++)
		hw_jw_str(&w, p->assumptions[i]);
	hw_jw_end(&w);
	hw_jw_end(&w);
	return hw_jw_finish(&w);
}

/* Implements: FR-PLAN-007 */
int hw_cheapest_json(hw_buf *out, const hw_model *m, const hw_plan_inputs *in,
		     double max_util, size_t noffers, const hw_choice *c,
		     size_t n, const char *today)
{
	hw_jw w;

	hw_jw_init(&w, out, 1);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", "hwledger.cheapest/1");
	hw_jw_kstr(&w, "model", m->name);
	inputs_open(&w, m, in);
	hw_jw_kstr(&w, "engine", in->engine.name);
	knum(&w, "max_util", max_util);
	hw_jw_kstr(&w, "today", today);
	hw_jw_end(&w);
	hw_jw_kint(&w, "prices", (long long)noffers);
	hw_jw_key(&w, "configurations");
	hw_jw_array(&w);
	for (size_t i = 0; i < n; i++) {
		const hw_offer *o = c[i].offer;

		hw_jw_object(&w);
		hw_jw_kstr(&w, "gpu", o->gpu.name);
		hw_jw_kint(&w, "gpus", (long long)c[i].tp * c[i].pp);
		hw_jw_kint(&w, "tp", c[i].tp);
		hw_jw_kint(&w, "pp", c[i].pp);
		hw_jw_kstr(&w, "provider", o->provider);
		hw_jw_kstr(&w, "offering", o->offering);
		knum(&w, "usd_per_hour", c[i].usd_per_hour);
		knum(&w, "usd_per_million_tokens", c[i].usd_per_mtok);
		knum(&w, "decode_tokens_per_s_max",
		     c[i].plan.decode_tokens_per_s);
		knum(&w, "per_gpu_bytes", c[i].plan.per_gpu_bytes);
		knum(&w, "utilization", c[i].plan.utilization);
		hw_jw_kstr(&w, "band", c[i].plan.band);
		hw_jw_kint(&w, "price_unit_gpus", o->gpus);
		knum(&w, "price_usd_per_unit_hour", o->usd_per_hour);
		hw_jw_kstr(&w, "price_as_of", o->as_of);
		hw_jw_kint(&w, "price_age_days",
			   hw_price_age_days(o->as_of, today));
		hw_jw_kbool(&w, "price_stale",
			    hw_price_age_days(o->as_of, today) >
				    HW_PRICE_STALE_DAYS);
		hw_jw_kstr(&w, "price_source", o->source);
		hw_jw_end(&w);
	}
	hw_jw_end(&w);
	hw_jw_key(&w, "assumptions");
	hw_jw_array(&w);
	hw_jw_str(&w, "each price is the one dated in price_as_of on the page "
		      "in price_source; prices move daily");
	hw_jw_str(&w, "a configuration pays for whole rented units: "
		      "ceil(gpus / price_unit_gpus) x the unit's hourly price");
	hw_jw_str(&w, "cost per million tokens: hourly cost / (3600 x the "
		      "memory-bandwidth bound on decode tokens/s at this batch)");
	hw_jw_str(&w, "layouts tried: TP and PP each 1, 2, 4 or 8");
	hw_jw_str(&w, "a price older than 180 days on the inputs' today is "
		      "marked price_stale");
	hw_jw_end(&w);
	hw_jw_end(&w);
	return hw_jw_finish(&w);
}
