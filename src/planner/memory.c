/*
 * memory.c — the memory model: weights, KV cache, activations and engine
 * overhead, split per GPU under tensor (TP) and pipeline (PP) parallelism,
 * then the fit against a GPU, the largest context and batch that fit, and
 * an upper bound on decode speed from memory bandwidth. specs/planner.md
 * states every formula and assumption.
 */
#include "planner.h"

#include <math.h>
#include <string.h>

#define PREFILL_CHUNK 2048L
#define CTX_CAP 16777216L

typedef struct qbits {
	const char *name;
	double bits;
} qbits;

/* Bits per weight, scales included (GGUF block sizes; AWQ/GPTQ 4-bit
 * with a 16-bit scale and a 4-bit zero per group of 128). */
static const qbits qtable[] = {
	{"fp32", 32},	  {"float32", 32},  {"fp16", 16},	{"float16", 16},
	{"bf16", 16},	  {"bfloat16", 16}, {"fp8", 8},		{"int8", 8},
	{"int4", 4},	  {"awq", 4.15625}, {"gptq", 4.15625},	{"q4_0", 4.5},
	{"q4_1", 5},	  {"q5_0", 5.5},    {"q5_1", 6},	{"q8_0", 8.5},
	{"q2_k", 2.625},  {"q3_k", 3.4375}, {"q4_k", 4.5},	{"q5_k", 5.5},
	{"q6_k", 6.5625}, {"q4_k_m", 4.85}, {"q5_k_m", 5.69},	{"iq4_xs", 4.25},
	{"f32", 32},	  {"f16", 16}};

double hw_quant_bits(const char *name)
{
	for (size_t i = 0; i < sizeof(qtable) / sizeof(*qtable); i++)
		if (!strcasecmp(qtable[i].name, name))
			return qtable[i].bits;
	return 0;
}

/* Implements: FR-PLAN-001 */
const char *hw_weights_name(const hw_model *m, const hw_plan_inputs *in,
			    char *buf, size_t size)
{
	if (in->quant[0])
		snprintf(buf, size, "%s", in->quant);
	else if (m->quant_method[0] && m->quant_bits &&
		 !m->quant_weight_bits && /* ModelOpt's: its algo */
		 strcmp(m->quant_method, "fp8") != 0)
		snprintf(buf, size, "%s %d-bit", m->quant_method, m->quant_bits);
	else if (m->quant_method[0])
		snprintf(buf, size, "%s", m->quant_method);
	else
		snprintf(buf, size, "%s", m->dtype);
	return buf;
}

/* Implements: FR-PLAN-003 */
const char *hw_kv_dtype(const hw_model *m, const hw_plan_inputs *in)
{
	if (in->kv_dtype[0])
		return in->kv_dtype;
	return m->kv_dtype[0] ? m->kv_dtype : "fp16";
}

/* A --quant or --kv-dtype the table lacks: the names it has. */
static int unknown_dtype(const char *what, const char *name)
{
	char names[512];
	size_t w = 0;

	names[0] = '\0';
	for (size_t i = 0; i < sizeof(qtable) / sizeof(*qtable) &&
			   w < sizeof(names);
	     i++)
		w += (size_t)snprintf(names + w, sizeof(names) - w, "%s%s",
				      i ? ", " : "", qtable[i].name);
	return hw_error_set(HW_EUSAGE, NULL, 0, 0,
			    "unknown %s '%s': one of %s (any case)", what, name,
			    names);
}

static void assume(hw_plan *p, const char *fmt, ...)
	/* hwledger-sast-ignore FF1016: format checked by -Wformat=2 */
	__attribute__((format(printf, 2, 3)));

static void assume(hw_plan *p, const char *fmt, ...)
{
	va_list ap;

	if (p->nassumptions >= 12)
		return;
	va_start(ap, fmt);
	/* hwledger-sast-ignore *: the caller's format, checked by -Wformat=2; ap started above (clang's valist checker loses it in a call it inlines) */
	vsnprintf(p->assumptions[p->nassumptions++], 200, fmt, ap);
	va_end(ap);
}

static double layer_params(const hw_model *m, long l, int active)
{
	return (double)hw_layer_params(m, l, active);
}

/* Bytes of KV cache one layer holds per token (attention layers). */
static double layer_kv_per_token(const hw_model *m, long l, double kvb,
				 int tp)
{
	double heads;

	if (m->layer_kind[l] == 2)
		return 0;
	if (m->kv_lora_rank) /* the latent is the same on every TP rank */
		return (double)(m->kv_lora_rank + m->qk_rope_dim) * kvb;
	heads = m->kv_heads >= tp ? (double)m->kv_heads / tp : 1;
	return 2 * heads * (double)m->head_dim * kvb;
}

/* Bytes of constant state one SSM layer holds per sequence. */
static double layer_state(const hw_model *m, long l, double kvb, int tp)
{
	double di;

	if (m->layer_kind[l] != 2)
		return 0;
	di = (double)m->ssm_expand * (double)m->hidden / tp;
	/* Mamba-2's convolution also runs over its B and C groups */
	return ((di + 2.0 * (double)m->ssm_groups * (double)m->ssm_state / tp) *
			(double)m->ssm_conv +
		di * (double)m->ssm_state) * kvb;
}

typedef struct split {
	double weights, kv, act, overhead; /* the busiest GPU */
	double weights_active;
	double total;                      /* all GPUs */
} split;

static double weight_bits(const hw_model *m, const hw_plan_inputs *in)
{
	if (in->quant[0])
		return hw_quant_bits(in->quant);
	if (m->quant_weight_bits) /* ModelOpt's, scales included */
		return m->quant_weight_bits;
	if (m->quant_bits && m->quant_block) /* fp8: an fp32 scale a block */
		return m->quant_bits + 32.0 / (double)m->quant_block;
	if (m->quant_bits && m->quant_group)
		return m->quant_bits + (16.0 + m->quant_bits) / m->quant_group;
	if (m->quant_bits)
		return m->quant_bits + 16.0 / 4096; /* per-channel scales */
	return m->weight_bits;
}

/*
 * What one pipeline stage holds on each of its GPUs, independent of the
 * context and batch: computed once, so a point of a sweep costs O(PP).
 */
#define MAX_STAGES 64

typedef struct stage {
	double weights, weights_active;
	double kv_full;     /* bytes per token, full-attention layers */
	double kv_window;   /* bytes per token, sliding-window layers */
	double state;       /* bytes per sequence, SSM layers */
} stage;

typedef struct prepared {
	stage st[MAX_STAGES];
	int pp, tp;
	long window;
	double act_per_token, act_per_seq, overhead;
} prepared;

static void prepare(prepared *pr, const hw_model *m, const hw_plan_inputs *in)
{
	/* a quantized checkpoint (GPTQ, AWQ, fp8) keeps its embedding and
	 * head in 16 bits, as --quant does */
	double wb = weight_bits(m, in) / 8,
	       eb = in->quant[0] || m->quant_bits ? 2 : wb,
	       xb = in->quant[0] ? 0 : m->quant_expert_bits / 8;
	double kvb = hw_quant_bits(hw_kv_dtype(m, in)) / 8;
	/* what exclude_modules keeps in 16 bits, unless --quant */
	double kb = in->quant[0] || !m->quant_weight_bits ? 0 : 2 - wb;
	double embed = (double)m->vocab * (double)m->hidden, f;
	int tp = in->tp, pp = in->pp;

	memset(pr, 0, sizeof(*pr));
	pr->pp = pp;
	pr->tp = tp;
	pr->window = m->sliding_window;
	for (int s = 0; s < pp; s++) {
		stage *st = &pr->st[s];
		long first = m->layers * s / pp, last = m->layers * (s + 1) / pp;

		for (long l = first; l < last; l++) {
			double per = layer_kv_per_token(m, l, kvb, tp);

			st->weights += layer_params(m, l, 0) * wb;
			st->weights_active += layer_params(m, l, 1) * wb;
			if (kb && m->keep16[l]) {
				st->weights +=
					(double)hw_layer_kept16(m, l, 0) * kb;
				st->weights_active +=
					(double)hw_layer_kept16(m, l, 1) * kb;
			}
			if (kb && !(m->keep16[l] & HW_KEEP_LAYER)) {
				/* ModelOpt quantizes linear layers only: the
				 * layer's norms stay in 16 bits (a layer kept
				 * whole has them above) */
				double nb = (double)hw_layer_norm_params(m, l) *
					    kb;

				st->weights += nb;
				st->weights_active += nb;
			}
			if (xb) { /* mxfp4: the experts' matrices narrower */
				st->weights -= (double)hw_layer_expert_params(
						       m, l, 0) * (wb - xb);
				st->weights_active -=
					(double)hw_layer_expert_params(m, l, 1) *
					(wb - xb);
			}
			if (m->layer_kind[l] == 1 && m->sliding_window)
				st->kv_window += per;
			else
				st->kv_full += per;
			st->state += layer_state(m, l, kvb, tp);
		}
		/* the embedding (and GPT-2's positions) on the first stage,
		 * the final norm and the head on the last */
		if (s == 0) {
			double front = embed + (double)m->params_positions;

			st->weights += front * eb;
			st->weights_active += front * eb;
		}
		if (s == pp - 1) {
			double tail = (double)m->params_final +
				      (!m->tie_embeddings || pp > 1 ? embed : 0);

			st->weights += tail * eb;
			st->weights_active += tail * eb;
		}
		st->weights /= tp;
		st->weights_active /= tp;
	}
	f = in->engine.activation_factor > 0 ? in->engine.activation_factor : 1;
	pr->act_per_token = ((double)m->hidden * 4 +
			     (double)m->intermediate * 2 / tp) * 2 * f;
	pr->act_per_seq = (double)m->vocab * 4 / tp * f;
	pr->overhead = in->engine.fixed_overhead_bytes;
}

static void point(split *s, const prepared *pr, long ctx, long batch)
{
	double chunk = (double)(ctx < PREFILL_CHUNK ? ctx : PREFILL_CHUNK);
	double held_window = (double)(pr->window && pr->window < ctx ? pr->window
								      : ctx);

	memset(s, 0, sizeof(*s));
	s->act = (double)batch * (chunk * pr->act_per_token + pr->act_per_seq);
	s->overhead = pr->overhead;
	for (int i = 0; i < pr->pp; i++) {
		const stage *st = &pr->st[i];
		double kv = (double)batch * ((double)ctx * st->kv_full +
					     held_window * st->kv_window +
					     st->state);

		s->total += (st->weights + kv + s->act + s->overhead) * pr->tp;
		if (st->weights + kv > s->weights + s->kv) {
			s->weights = st->weights;
			s->weights_active = st->weights_active;
			s->kv = kv;
		}
	}
}

static void evaluate(split *s, const hw_model *m, const hw_plan_inputs *in,
		     long ctx, long batch)
{
	prepared pr;

	prepare(&pr, m, in);
	point(s, &pr, ctx, batch);
}

double hw_plan_point(const hw_model *m, const hw_plan_inputs *in, long ctx,
		     long batch)
{
	split s;

	evaluate(&s, m, in, ctx, batch);
	return s.weights + s.kv + s.act + s.overhead;
}

/* Implements: FR-PLAN-005 */
int hw_plan_sweep(double *grid, const hw_model *m, const hw_plan_inputs *in,
		  const long *ctxs, size_t nctx, const long *batches,
		  size_t nbatch)
{
	prepared pr;
	split s;

	if (in->pp > MAX_STAGES)
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "--pp is at most %d", MAX_STAGES);
	prepare(&pr, m, in);
	for (size_t b = 0; b < nbatch; b++)
		for (size_t c = 0; c < nctx; c++) {
			point(&s, &pr, ctxs[c], batches[b]);
			grid[b * nctx + c] = s.weights + s.kv + s.act + s.overhead;
		}
	return HW_OK;
}

static int check_parallelism(const hw_model *m, const hw_plan_inputs *in)
{
	if (in->tp < 1 || in->pp < 1 || in->ctx < 1 || in->batch < 1)
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "--ctx, --batch, --tp and --pp must be "
				    "positive");
	if (in->pp > MAX_STAGES)
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "--pp is at most %d", MAX_STAGES);
	if (in->pp > m->layers)
		return hw_error_set(HW_EINVAL, m->source, 0, 0,
				    "--pp %d is more than the %ld layers",
				    in->pp, m->layers);
	if (m->heads && m->heads % in->tp)
		return hw_error_set(HW_EINVAL, m->source, 0, 0,
				    "--tp %d does not divide the %ld attention "
				    "heads",
				    in->tp, m->heads);
	if (m->kv_heads && !m->kv_lora_rank &&
	    (m->kv_heads >= in->tp ? m->kv_heads % in->tp
				   : in->tp % m->kv_heads))
		return hw_error_set(HW_EINVAL, m->source, 0, 0,
				    "--tp %d and the %ld key/value heads do "
				    "not divide each other",
				    in->tp, m->kv_heads);
	if (in->quant[0] && !hw_quant_bits(in->quant))
		return unknown_dtype("quantization", in->quant);
	if (in->kv_dtype[0] && !hw_quant_bits(in->kv_dtype))
		return unknown_dtype("KV cache dtype", in->kv_dtype);
	if (m->quant_unsized == 2 && !in->quant[0] && !m->exact_weight_bytes) {
		char algos[128];

		hw_modelopt_algos(algos, sizeof(algos));
		return hw_error_set(HW_EINVAL, m->quant_file, m->quant_line,
				    m->quant_col,
				    "\"quant_algo\" '%s' is not a scheme the "
				    "planner can size the weights by (it "
				    "sizes %s); give --quant, or plan the "
				    "checkpoint's folder so that its "
				    "safetensors headers give the bytes",
				    m->quant_algo, algos);
	}
	if (m->kv_unsized && !in->kv_dtype[0])
		return hw_error_set(HW_EINVAL, m->quant_file, m->kv_line,
				    m->kv_col,
				    "\"%s\" '%s' is not a KV "
				    "cache dtype the planner knows (FP8, "
				    "INT8); give --kv-dtype",
				    m->kv_key, m->kv_algo);
	if (m->quant_unsized && !in->quant[0] && !m->exact_weight_bytes)
		return hw_error_set(HW_EINVAL, m->source, m->quant_line,
				    m->quant_col,
				    "quantization_config (quant_method %s%s%s) "
				    "gives no \"bits\" the planner can size "
				    "the weights by; give --quant, or plan the "
				    "checkpoint's folder so that its "
				    "safetensors headers give the bytes",
				    m->quant_method[0] ? "'" : "",
				    m->quant_method[0] ? m->quant_method
						       : "absent",
				    m->quant_method[0] ? "'" : "");
	return HW_OK;
}

/* The largest context (or batch) in [1, cap] that still fits, 0 if none. */
static long largest_fit(const hw_model *m, const hw_plan_inputs *in,
			int vary_ctx, long cap)
{
	prepared pr;
	long lo = 0, hi = cap;

	prepare(&pr, m, in);
	while (lo < hi) {
		long mid = lo + (hi - lo + 1) / 2;
		split s;
		double need;

		point(&s, &pr, vary_ctx ? mid : in->ctx, vary_ctx ? in->batch : mid);
		need = s.weights + s.kv + s.act + s.overhead;

		if (need <= in->gpu_memory)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* Implements: FR-PLAN-003, FR-PLAN-004 */
int hw_plan_compute(hw_plan *p, const hw_model *m, const hw_plan_inputs *in)
{
	split s;
	double kvb, wbits;
	int err;

	memset(p, 0, sizeof(*p));
	if ((err = check_parallelism(m, in)))
		return err;
	kvb = hw_quant_bits(hw_kv_dtype(m, in)) / 8;
	wbits = weight_bits(m, in);
	p->params_total = m->params_total;
	p->params_active = m->params_active;
	for (long l = 0; l < m->layers; l++)
		p->kv_bytes_per_token += layer_kv_per_token(m, l, kvb, 1);
	evaluate(&s, m, in, in->ctx, in->batch);
	{
		hw_plan_inputs one = *in;
		split whole;

		one.tp = one.pp = 1;
		evaluate(&whole, m, &one, in->ctx, in->batch);
		p->weights_bytes = whole.weights;
		p->kv_bytes = whole.kv;
	}
	if (!in->quant[0] && m->exact_weight_bytes) {
		p->weights_bytes = (double)m->exact_weight_bytes;
		assume(p, "weights: %lld bytes exactly, from the checkpoint's "
			  "headers",
		       m->exact_weight_bytes);
	} else if (!in->quant[0] && m->quant_expert_bits) {
		assume(p, "weights: the experts' matrices in %.4g bits (%s: "
			  "4-bit values and an 8-bit scale per 32), the rest "
			  "in %.4g bits (%s)",
		       m->quant_expert_bits, m->quant_method, wbits, m->dtype);
	} else if (!in->quant[0] && m->quant_weight_bits) {
		assume(p, "weights: %.4g bits per parameter (%s, from "
			  "%s's quant_algo, scales included)",
		       wbits, m->quant_algo, m->quant_from);
	} else {
		assume(p, "weights: %.4g bits per parameter (%s)", wbits,
		       in->quant[0] ? in->quant
		       : m->quant_method[0] ? m->quant_method
					    : m->dtype);
	}
	if ((in->quant[0] && wbits < 16) ||
	    (!in->quant[0] && m->quant_bits && !m->exact_weight_bytes))
		assume(p, "embeddings and output head stay in 16 bits");
	p->activation_bytes = s.act * in->tp * in->pp;
	p->overhead_bytes = s.overhead * in->tp * in->pp;
	p->total_bytes = s.total;
	p->per_gpu_weights = s.weights;
	p->per_gpu_kv = s.kv;
	p->per_gpu_activation = s.act;
	p->per_gpu_bytes = s.weights + s.kv + s.act + s.overhead;
	if (!in->kv_dtype[0] && m->kv_dtype[0])
		assume(p, "KV cache in %s (%.0f bytes per value), "
			  "%s's %s %s",
		       m->kv_dtype, kvb, m->quant_from, m->kv_key, m->kv_algo);
	else
		assume(p, "KV cache in %s (%.0f bytes per value)",
		       hw_kv_dtype(m, in), kvb);
	if (!in->quant[0] && m->quant_weight_bits && !m->exact_weight_bytes) {
		long long kept = 0, norms = 0;

		for (long l = 0; l < m->layers; l++) {
			kept += hw_layer_kept16(m, l, 0);
			if (!(m->keep16[l] & HW_KEEP_LAYER))
				norms += hw_layer_norm_params(m, l);
		}
		if (kept)
			assume(p, "%s's %s keep %lld values of the layers in "
				  "16 bits",
			       m->quant_from, m->keep_key, kept);
		if (norms)
			assume(p, "layer norms (%lld values) stay in 16 bits, "
				  "as ModelOpt leaves them",
			       norms);
		if (m->keep_unsized)
			assume(p, "%d of %s not sized (first: %.60s): planned "
				  "at %.4g bits",
			       m->keep_unsized, m->keep_key,
			       m->keep_unsized_first, wbits);
		if (m->keep_outside)
			assume(p, "%d of %s name modules outside the language "
				  "model, which the plan does not count",
			       m->keep_outside, m->keep_key);
	}
	assume(p, "activations: prefill in chunks of %ld tokens, "
		  "batch x chunk x (4 x hidden + 2 x intermediate / TP) x 2 "
		  "bytes, plus fp32 logits",
	       PREFILL_CHUNK);
	assume(p, "engine %s: %.2f GiB fixed overhead per GPU",
	       in->engine.name, in->engine.fixed_overhead_bytes / 1073741824.0);
	if (m->tie_source == HW_TIE_CLASS_DEFAULT)
		assume(p, "tie_word_embeddings absent: %s, the default of "
			  "transformers' %s config class",
		       m->tie_embeddings ? "tied" : "untied", m->family);
	else if (m->tie_source == HW_TIE_UNKNOWN_TYPE)
		assume(p, "tie_word_embeddings absent and model_type %s "
			  "unknown: tied, PretrainedConfig's default",
		       m->family);
	if (m->class_defaults[0])
		assume(p, "absent from the config, the defaults of transformers' "
			  "%s config class: %s",
		       m->family, m->class_defaults);
	if (m->text_only && !m->exact_params)
		assume(p, "a multimodal config: only the language model of its "
			  "text_config is counted; its other towers (vision, "
			  "audio) and their projectors are not in this plan");
	if (m->head_stored_again)
		assume(p, "the checkpoint stores the tied head again as "
			  "lm_head.weight (%lld values): loaded as the "
			  "embedding, counted once",
		       m->head_stored_again);
	if (m->experts)
		assume(p, "MoE: every expert is resident; %ld of %ld run per "
			  "token",
		       m->experts_per_tok, m->experts);
	if (m->kv_heads && m->kv_heads < in->tp)
		assume(p, "TP %d > %ld KV heads: each rank keeps one KV head "
			  "(replicated)",
		       in->tp, m->kv_heads);
	if (m->kv_lora_rank && in->tp > 1)
		assume(p, "MLA: the compressed KV latent is replicated on "
			  "every TP rank");
	p->fits = -1;
	p->band = NULL;
	if (in->gpu_memory > 0) {
		p->utilization = p->per_gpu_bytes / in->gpu_memory;
		p->fits = p->utilization <= 1.0;
		p->band = p->utilization <= 0.60   ? "green"
			  : p->utilization <= 0.85 ? "yellow"
			  : p->utilization <= 1.0  ? "red"
						   : "no-fit";
		p->max_context = largest_fit(m, in, 1,
					     m->max_ctx > 0 ? m->max_ctx : CTX_CAP);
		if (m->max_ctx > 0 && p->max_context == m->max_ctx)
			assume(p, "max_context is the model's own limit "
				  "(max_position_embeddings %ld)",
			       m->max_ctx);
		p->max_batch = largest_fit(m, in, 0, 1 << 20);
		if (p->kv_bytes_per_token == 0)
			assume(p, "the context does not grow memory (SSM); "
				  "max_context is capped at %ld",
			       CTX_CAP);
	}
	if (in->gpu_bandwidth > 0) {
		/* each decode step reads the active weights and the whole
		 * cache once; pipeline stages run one after another */
		double step = in->pp * (s.weights_active + s.kv) / in->gpu_bandwidth;

		p->decode_tokens_per_s = step > 0 ? (double)in->batch / step : 0;
		assume(p, "decode bound: every step reads the active weights "
			  "and the KV cache once at full bandwidth");
	}
	return HW_OK;
}
