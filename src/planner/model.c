/*
 * model.c — a model's shape from a Hugging Face config.json: the keys of
 * the common families, the attention classifier and exact parameter counts
 * (see specs/planner.md for the formulas and the families they cover).
 */
#include "planner.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static const char *const att_names[] = {"MHA", "GQA", "MQA", "MLA",
					"sliding", "SSM", "hybrid"};

const char *hw_attention_name(hw_attention a)
{
	return (unsigned)a <= HW_ATT_HYBRID ? att_names[a] : "unknown";
}

/*
 * tie_word_embeddings when a config leaves it out: the default of the
 * model_type's transformers config class, read in
 * src/transformers/models/<type>/configuration_<type>.py (specs/planner.md
 * lists the table). Classes that set none (Falcon, GPT-2, Mamba) inherit
 * PretrainedConfig's default, tied, as does an unknown model_type.
 */
static const struct {
	const char *type;
	int tied;
} tie_defaults[] = {
	{"llama", 0},	    {"mistral", 0}, {"mixtral", 0},	{"qwen2", 0},
	{"qwen2_moe", 0},   {"phi3", 0},    {"gpt_neox", 0},	{"jamba", 0},
	{"deepseek_v2", 0}, {"deepseek_v3", 0}, {"gemma", 1},	{"gemma2", 1},
	{"falcon", 1},	    {"gpt2", 1},    {"mamba", 1},	{"mamba2", 0},
	{"qwen3", 0},	    {"qwen3_moe", 0},	{"gemma3_text", 1},
	{"gpt_oss", 0},	    {"llama4_text", 0}, {"granite", 0},	{"olmo2", 0},
	{"smollm3", 1},	    {"kimi_k2", 0}};

/* The model_types whose shapes count_params knows (those of the table
 * above); a config.json of any other is refused, never counted as if it
 * were Llama (specs/planner.md, Model ingest). */
static int known_type(const char *type)
{
	for (size_t i = 0; i < sizeof(tie_defaults) / sizeof(*tie_defaults); i++)
		if (!strcmp(tie_defaults[i].type, type))
			return 1;
	return 0;
}

static int unknown_type(const char *type, const char *file)
{
	char known[512] = "", shown[65];
	size_t n = 0, k = 0;

	/* the publisher's string, without control characters a terminal
	 * would act on */
	for (; type[k] && k + 1 < sizeof(shown); k++)
		shown[k] = (unsigned char)type[k] < 0x20 || type[k] == 0x7f
				   ? '?'
				   : type[k];
	shown[k] = '\0';
	for (size_t i = 0; i < sizeof(tie_defaults) / sizeof(*tie_defaults) &&
			   n < sizeof(known);
	     i++)
		n += (size_t)snprintf(known + n, sizeof(known) - n, "%s%s",
				      i ? ", " : "", tie_defaults[i].type);
	return hw_error_set(HW_EINVAL, file, 0, 0,
			    "\"model_type\" '%s' is not an architecture the "
			    "planner models, so its parameters and KV cache "
			    "cannot be counted exactly; it models %s, and "
			    "Falcon's RefinedWebModel and RefinedWeb",
			    shown, known);
}

static void tie_default(hw_model *m, const cJSON *c)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, "tie_word_embeddings");

	if (cJSON_IsBool(v)) {
		m->tie_embeddings = cJSON_IsTrue(v);
		return;
	}
	m->tie_embeddings = 1;
	m->tie_source = HW_TIE_UNKNOWN_TYPE;
	for (size_t i = 0; i < sizeof(tie_defaults) / sizeof(*tie_defaults); i++)
		if (!strcmp(tie_defaults[i].type, m->family)) {
			m->tie_embeddings = tie_defaults[i].tied;
			m->tie_source = HW_TIE_CLASS_DEFAULT;
		}
}

/* An integer key: 0 when absent or null; -1 (and an error) when wrong. */
static long get_int(const cJSON *c, const char *key, const char *file,
		    int *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, key);

	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
	    v->valuedouble > HW_PLAN_MAX_INT || floor(v->valuedouble) != v->valuedouble) {
		if (!*err)
			*err = hw_error_set(HW_EINVAL, file, 0, 0,
					    "\"%s\" must be a non-negative "
					    "integer",
					    key);
		return -1;
	}
	return (long)v->valuedouble;
}

static long first_int(const cJSON *c, const char *const *keys,
		      const char *file, int *err)
{
	for (; *keys; keys++) {
		long v = get_int(c, *keys, file, err);

		if (v)
			return v;
	}
	return 0;
}

static int get_bool(const cJSON *c, const char *key, int def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, key);

	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

static double dtype_bits(const char *d)
{
	if (!d)
		return 0;
	if (!strcmp(d, "float32"))
		return 32;
	if (!strcmp(d, "float16") || !strcmp(d, "bfloat16"))
		return 16;
	if (!strncmp(d, "float8", 6))
		return 8;
	return 0;
}

/* Keys whose absence has a meaning (MHA, hidden / heads, the dtype's
 * bits): a 0 given is not that meaning but a broken config. */
static int zero_given(const cJSON *c, const char *const *keys,
		      const char *file)
{
	for (; *keys; keys++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, *keys);

		if (cJSON_IsNumber(v) && v->valuedouble == 0)
			return hw_error_set(HW_EINVAL, file, 0, 0,
					    "\"%s\" is 0: give a positive "
					    "integer or leave the key out",
					    *keys);
	}
	return HW_OK;
}

static int require(long v, const char *key, const char *file)
{
	if (v <= 0)
		return hw_error_set(HW_EINVAL, file, 0, 0,
				    "missing or zero \"%s\"", key);
	return HW_OK;
}

/* Qwen2, Qwen2-MoE, Qwen3 and Qwen3-MoE: their configs' use_sliding_window
 * (absent: false) and max_window_layers. */
static int qwen_family(const hw_model *m)
{
	return !strcmp(m->family, "qwen2") || !strcmp(m->family, "qwen2_moe") ||
	       !strcmp(m->family, "qwen3") || !strcmp(m->family, "qwen3_moe");
}

/* DeepSeek-V3 and Kimi K2 (model_type kimi_k2: its config names
 * DeepseekV3ForCausalLM and its checkpoint's own configuration_deepseek.py
 * and modeling_deepseek.py, DeepSeek-V3's code): MLA, a dense first
 * layer, routed and shared experts, and a router with its correction bias
 * (e_score_correction_bias, topk_method noaux_tc). */
static int deepseek_v3_shape(const hw_model *m)
{
	return !strcmp(m->family, "deepseek_v3") || !strcmp(m->family, "kimi_k2");
}

/* Marks the layers a list of layer indices (a JSON list, or NULL) names
 * as having experts (to 1) or not (to 0); a value that is no layer index
 * is bad input naming key. */
static int mark_layers(hw_model *m, const cJSON *list, const char *key,
		       const char *file, int to)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, list) {
		if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
		    v->valuedouble >= (double)m->layers ||
		    floor(v->valuedouble) != v->valuedouble)
			return hw_error_set(HW_EINVAL, file, 0, 0,
					    "\"%s\" holds a value that is not a "
					    "layer index (0 to %ld)",
					    key, m->layers - 1);
		m->layer_moe[(long)v->valuedouble] = to;
	}
	return HW_OK;
}

/* Which layers attend over a window, over everything, or keep SSM state. */
static int layer_kinds(hw_model *m, const cJSON *c, const char *file)
{
	const cJSON *types = cJSON_GetObjectItemCaseSensitive(c, "layer_types");
	int err = HW_OK;
	long period = get_int(c, "attn_layer_period", file, &err),
	     offset = get_int(c, "attn_layer_offset", file, &err),
	     eperiod = get_int(c, "expert_layer_period", file, &err),
	     eoffset = get_int(c, "expert_layer_offset", file, &err);

	if (err)
		return err;
	for (long l = 0; l < m->layers; l++) {
		m->layer_kind[l] = HW_LAYER_FULL;
		m->layer_moe[l] = m->experts > 0 && l >= m->first_dense;
	}
	if (cJSON_IsArray(types)) {
		long i = 0;
		const cJSON *t;

		if (cJSON_GetArraySize(types) != m->layers)
			return hw_error_set(HW_EINVAL, file, 0, 0,
					    "\"layer_types\" has %d entries but "
					    "\"num_hidden_layers\" is %ld",
					    cJSON_GetArraySize(types), m->layers);
		cJSON_ArrayForEach(t, types) {
			const char *s = cJSON_IsString(t) ? t->valuestring : "";

			if (strstr(s, "sliding") || strstr(s, "chunked"))
				m->layer_kind[i] = HW_LAYER_SLIDING;
			else if (strstr(s, "mamba") || strstr(s, "ssm") ||
				 strstr(s, "linear") || strstr(s, "conv"))
				m->layer_kind[i] = HW_LAYER_SSM;
			else if (strstr(s, "attention") || !strcmp(s, "full"))
				m->layer_kind[i] = HW_LAYER_FULL;
			else
				return hw_error_set(HW_EINVAL, file, 0, 0,
						    "\"layer_types\"[%ld] is "
						    "'%s', not a layer kind",
						    i, s);
			i++;
		}
		snprintf(m->attention_reason, sizeof(m->attention_reason),
			 "layer_types lists the kind of each layer");
	} else if (period) { /* Jamba: one attention layer per period */
		if (offset >= period)
			return hw_error_set(HW_EINVAL, file, 0, 0,
					    "\"attn_layer_offset\" must be "
					    "below \"attn_layer_period\"");
		for (long l = 0; l < m->layers; l++)
			m->layer_kind[l] = l % period == offset ? HW_LAYER_FULL
								: HW_LAYER_SSM;
		snprintf(m->attention_reason, sizeof(m->attention_reason),
			 "attn_layer_period %ld, offset %ld: one attention "
			 "layer in %ld, the others Mamba",
			 period, offset, period);
	} else if (!strcmp(m->family, "llama4_text")) {
		/* Llama4TextConfig: no_rope_layers (absent: 0 on every
		 * fourth layer) marks the layers with RoPE, which attend
		 * within chunks of attention_chunk_size and so keep at most
		 * that many tokens; the NoPE layers attend over everything */
		const cJSON *nr = cJSON_GetObjectItemCaseSensitive(
			c, "no_rope_layers");

		if (cJSON_IsArray(nr) && cJSON_GetArraySize(nr) != m->layers)
			return hw_error_set(HW_EINVAL, file, 0, 0,
					    "\"no_rope_layers\" has %d entries "
					    "but \"num_hidden_layers\" is %ld",
					    cJSON_GetArraySize(nr), m->layers);
		for (long l = 0; l < m->layers && m->sliding_window; l++) {
			const cJSON *v = cJSON_IsArray(nr)
						 ? cJSON_GetArrayItem(nr, (int)l)
						 : NULL;
			int rope = v ? cJSON_IsNumber(v) && v->valuedouble != 0
				     : (l + 1) % 4 != 0;

			m->layer_kind[l] = rope ? HW_LAYER_SLIDING
						: HW_LAYER_FULL;
		}
		if (m->sliding_window)
			snprintf(m->attention_reason,
				 sizeof(m->attention_reason),
				 "llama4: the RoPE layers attend within chunks "
				 "of %ld tokens and keep at most that many, the "
				 "NoPE layers over everything",
				 m->sliding_window);
	} else if (!strcmp(m->family, "gemma3_text") && m->sliding_window) {
		/* Gemma3TextConfig: a global layer every sliding_window_pattern
		 * layers (absent: 6), the others windowed */
		long pattern = get_int(c, "sliding_window_pattern", file, &err);

		if (err)
			return err;
		if (!cJSON_GetObjectItemCaseSensitive(c, "sliding_window_pattern"))
			pattern = 6;
		if (!pattern)
			return hw_error_set(HW_EINVAL, file, 0, 0,
					    "\"sliding_window_pattern\" is 0: "
					    "give a positive integer or leave "
					    "the key out");
		for (long l = 0; l < m->layers; l++)
			m->layer_kind[l] = (l + 1) % pattern != 0
						   ? HW_LAYER_SLIDING
						   : HW_LAYER_FULL;
		snprintf(m->attention_reason, sizeof(m->attention_reason),
			 "gemma3 keeps one global layer in %ld, the others a "
			 "sliding window of %ld",
			 pattern, m->sliding_window);
	} else if (!strcmp(m->family, "gemma2") && m->sliding_window) {
		/* Gemma 2 alternates local (even) and global (odd) layers */
		for (long l = 0; l < m->layers; l++)
			m->layer_kind[l] = l % 2 == 0 ? HW_LAYER_SLIDING
						      : HW_LAYER_FULL;
		snprintf(m->attention_reason, sizeof(m->attention_reason),
			 "gemma2 alternates sliding-window (%ld) and global "
			 "layers",
			 m->sliding_window);
	} else if (m->sliding_window && qwen_family(m)) {
		/* Qwen2Config and its kin: layer_types absent, a layer is
		 * windowed from max_window_layers on (absent: 28) */
		long from = get_int(c, "max_window_layers", file, &err);

		if (err)
			return err;
		if (!cJSON_GetObjectItemCaseSensitive(c, "max_window_layers"))
			from = 28;
		for (long l = 0; l < m->layers; l++)
			m->layer_kind[l] = l >= from ? HW_LAYER_SLIDING
						     : HW_LAYER_FULL;
		snprintf(m->attention_reason, sizeof(m->attention_reason),
			 "use_sliding_window: layers from max_window_layers "
			 "(%ld) on keep at most %ld tokens",
			 from, m->sliding_window);
	} else if (m->sliding_window) {
		for (long l = 0; l < m->layers; l++)
			m->layer_kind[l] = HW_LAYER_SLIDING;
	}
	if (m->experts && (!strcmp(m->family, "qwen2_moe") ||
			   !strcmp(m->family, "qwen3_moe"))) {
		const cJSON *only =
			cJSON_GetObjectItemCaseSensitive(c, "mlp_only_layers");
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(
			c, "decoder_sparse_step");
		long step = get_int(c, "decoder_sparse_step", file, &err);

		/* Qwen2MoeDecoderLayer, Qwen3MoeDecoderLayer: experts where
		 * the layer is not in mlp_only_layers and (l + 1) is a
		 * multiple of decoder_sparse_step (absent: 1); a dense MLP of
		 * intermediate_size elsewhere */
		if (err)
			return err;
		if (v && !cJSON_IsNull(v) && !step)
			return hw_error_set(HW_EINVAL, file, 0, 0,
					    "\"decoder_sparse_step\" is 0: "
					    "give a positive integer or leave "
					    "the key out");
		if (!step)
			step = 1;
		for (long l = 0; l < m->layers; l++)
			m->layer_moe[l] = (l + 1) % step == 0;
		if (only && !cJSON_IsNull(only) && !cJSON_IsArray(only))
			return hw_error_set(HW_EINVAL, file, 0, 0,
					    "\"mlp_only_layers\" must be a "
					    "list of layer indices");
		if (!cJSON_IsArray(only))
			only = NULL;
		if ((err = mark_layers(m, only, "mlp_only_layers", file, 0)))
			return err;
	}
	if (m->experts && !strcmp(m->family, "llama4_text")) {
		/* moe_layers, or (absent) every interleave_moe_layer_step-th
		 * layer from step - 1 (absent: 1, every layer); the others a
		 * dense MLP of intermediate_size_mlp */
		const cJSON *ml = cJSON_GetObjectItemCaseSensitive(c, "moe_layers");
		long step = get_int(c, "interleave_moe_layer_step", file, &err);

		if (err)
			return err;
		if (!step)
			step = 1;
		for (long l = 0; l < m->layers; l++)
			m->layer_moe[l] = cJSON_IsArray(ml) ? 0
							    : l % step == step - 1;
		if (!cJSON_IsArray(ml))
			ml = NULL;
		if ((err = mark_layers(m, ml, "moe_layers", file, 1)))
			return err;
	}
	if (eperiod) {
		if (eoffset >= eperiod)
			return hw_error_set(HW_EINVAL, file, 0, 0,
					    "\"expert_layer_offset\" must be "
					    "below \"expert_layer_period\"");
		for (long l = 0; l < m->layers; l++)
			m->layer_moe[l] = l % eperiod == eoffset;
	}
	return HW_OK;
}

static void classify(hw_model *m)
{
	long full = 0, sliding = 0, ssm = 0;

	for (long l = 0; l < m->layers; l++) {
		full += m->layer_kind[l] == HW_LAYER_FULL;
		sliding += m->layer_kind[l] == HW_LAYER_SLIDING;
		ssm += m->layer_kind[l] == HW_LAYER_SSM;
	}
	if (ssm == m->layers) {
		m->attention = HW_ATT_SSM;
		snprintf(m->attention_reason, sizeof(m->attention_reason),
			 "every layer is a state space (%s) layer with a "
			 "constant state",
			 m->family);
	} else if (ssm || (full && sliding)) {
		m->attention = HW_ATT_HYBRID;
		if (!m->attention_reason[0])
			snprintf(m->attention_reason,
				 sizeof(m->attention_reason),
				 "%ld full, %ld sliding and %ld SSM layers",
				 full, sliding, ssm);
	} else if (m->kv_lora_rank) {
		m->attention = HW_ATT_MLA;
		snprintf(m->attention_reason, sizeof(m->attention_reason),
			 "kv_lora_rank %ld: keys and values are cached as one "
			 "compressed latent (%ld) plus a RoPE key (%ld)",
			 m->kv_lora_rank, m->kv_lora_rank, m->qk_rope_dim);
	} else if (sliding) {
		m->attention = HW_ATT_SLIDING;
		snprintf(m->attention_reason, sizeof(m->attention_reason),
			 "sliding_window %ld: each layer keeps at most %ld "
			 "tokens (%ld KV heads of %ld)",
			 m->sliding_window, m->sliding_window, m->kv_heads,
			 m->heads);
	} else if (m->kv_heads == 1 && m->heads > 1) {
		m->attention = HW_ATT_MQA;
		snprintf(m->attention_reason, sizeof(m->attention_reason),
			 "one key/value head shared by %ld query heads",
			 m->heads);
	} else if (m->kv_heads < m->heads) {
		m->attention = HW_ATT_GQA;
		snprintf(m->attention_reason, sizeof(m->attention_reason),
			 "%ld key/value heads for %ld query heads (groups of "
			 "%ld)",
			 m->kv_heads, m->heads, m->heads / m->kv_heads);
	} else {
		m->attention = HW_ATT_MHA;
		snprintf(m->attention_reason, sizeof(m->attention_reason),
			 "num_key_value_heads equals num_attention_heads "
			 "(%ld)",
			 m->heads);
	}
}

/*
 * Falcon's shape as FalconConfig and modeling_falcon (transformers) build
 * it. new_decoder_architecture: num_kv_heads KV heads (absent: every head)
 * and, in parallel, two LayerNorms unless num_ln_in_parallel_attn is given
 * and is not 2. Otherwise multi_query (absent: true) is one KV head and its
 * absence every head, whatever num_kv_heads says (query_key_value is then 3
 * x hidden wide), with one LayerNorm in parallel. parallel_attn false: two
 * LayerNorms in sequence. "bias" (absent: false) biases every linear layer.
 * The MLP is ffn_hidden_size wide (absent: 4 x hidden); intermediate_size is
 * not a Falcon key and is not read. A remote-code config (model_type
 * RefinedWebModel or RefinedWeb, `rw`) is read as transformers'
 * convert_custom_code_checkpoint.py turns it into a falcon one: n_head_kv,
 * read as num_kv_heads, makes it the new architecture, its absence not.
 */
static int falcon_shape(hw_model *m, const cJSON *c, const char *file, int rw)
{
	const cJSON *kv = cJSON_GetObjectItemCaseSensitive(c, "n_head_kv");
	int err = HW_OK,
	    new_arch = rw ? kv != NULL
			  : get_bool(c, "new_decoder_architecture", 0);
	long lns = get_int(c, "num_ln_in_parallel_attn", file, &err);

	if (!new_arch)
		m->kv_heads = get_bool(c, "multi_query", 1) ? 1 : m->heads;
	m->intermediate = get_int(c, "ffn_hidden_size", file, &err);
	if (!m->intermediate)
		m->intermediate = 4 * m->hidden;
	m->att_bias = get_bool(c, "bias", 0) ? HW_BIAS_QKVO : HW_BIAS_NONE;
	if (!get_bool(c, "parallel_attn", 1))
		m->layer_norms = 2;
	else if (lns)
		m->layer_norms = lns == 2 ? 2 : 1;
	else
		m->layer_norms = new_arch ? 2 : 1;
	return err;
}

/* GPT-2 and GPT-NeoX (Pythia): LayerNorms with biases, and an MLP of two
 * biased projections without a gate. */
static int layernorm_family(const hw_model *m)
{
	return !strcmp(m->family, "gpt2") || !strcmp(m->family, "gpt_neox");
}

/*
 * Parameter counts are exact integers, computed in 128 bits: every config
 * value is at most HW_PLAN_MAX_INT (< 2^40) and each term below is at most
 * a small constant times a product of three of them, so a layer is under
 * 32 * 2^120 = 2^125 and no sum can wrap. count_params refuses a model whose
 * total does not fit the 64 bits the plan reports.
 */
__extension__ typedef __int128 wide;

/* The norms around layer l's mixer and MLP (with their biases where they
 * are LayerNorms): two of h in most families. */
static wide layer_norms(const hw_model *m, long l)
{
	wide h = m->hidden;

	if (m->layer_kind[l] == HW_LAYER_SSM &&
	    (!strcmp(m->family, "mamba2") || m->attention == HW_ATT_SSM))
		return h; /* Mamba, Mamba-2: one norm, no MLP */
	if (!strcmp(m->family, "gemma2") || !strcmp(m->family, "gemma3_text"))
		return 4 * h; /* input, post-attention, pre- and post-MLP */
	if (!strcmp(m->family, "falcon"))
		return 2 * h * m->layer_norms; /* a gain and a bias each */
	if (layernorm_family(m))
		return 4 * h; /* two LayerNorms, a bias beside each gain */
	return 2 * h;
}

static wide layer_params(const hw_model *m, long l, int active)
{
	wide h = m->hidden, H = m->heads, kv = m->kv_heads, hd = m->head_dim,
	     att = 0, ssm = 0, mlp, norms = layer_norms(m, l);

	if (m->layer_kind[l] == HW_LAYER_SSM && !strcmp(m->family, "mamba2")) {
		wide di = m->ssm_expand * h, S = m->ssm_state, K = m->ssm_conv,
		     NH = m->ssm_heads,
		     conv = di + 2 * (wide)m->ssm_groups * S,
		     proj = di + conv + NH;

		/* in_proj to z, x, B, C and dt; a depthwise conv1d over x, B
		 * and C; dt_bias, A_log and D per head; the gated norm; and
		 * out_proj */
		ssm = h * proj + conv * K + 3 * NH + di + di * h;
		if (m->ssm_proj_bias)
			ssm += proj + h;
		if (m->ssm_conv_bias)
			ssm += conv;
	} else if (m->layer_kind[l] == HW_LAYER_SSM) {
		wide di = m->ssm_expand * h, S = m->ssm_state, K = m->ssm_conv,
		     R = m->ssm_dt_rank;

		/* in_proj, conv1d (+bias), x_proj, dt_proj (+bias), A_log, D,
		 * out_proj */
		ssm = h * 2 * di + di * K + di + di * (R + 2 * S) + R * di + di +
		      di * S + di + di * h;
		if (!strcmp(m->family, "jamba"))
			ssm += R + 2 * S; /* dt, B and C norms */
	} else if (m->kv_lora_rank) {
		wide q = m->q_lora_rank, r = m->kv_lora_rank,
		     nope = m->qk_nope_dim, rope = m->qk_rope_dim,
		     vd = m->v_head_dim;

		att = q ? h * q + q + q * H * (nope + rope)
			: h * H * (nope + rope);
		att += h * (r + rope) + r + r * H * (nope + vd) + H * vd * h;
		if (m->att_bias == HW_BIAS_QKVO) /* q_a_proj, kv_a_proj_with_mqa
						    and o_proj */
			att += q + r + rope + h;
	} else {
		att = h * H * hd + 2 * h * kv * hd + H * hd * h;
		if (m->qk_norm == 1) /* q_norm and k_norm, one gain a dim */
			att += 2 * hd;
		else if (m->qk_norm == 2) /* OLMo 2: over all heads at once */
			att += (H + kv) * hd;
		if (m->attn_sinks) /* gpt-oss: a learned sink logit a head */
			att += H;
		if (m->att_bias != HW_BIAS_NONE)
			att += H * hd + 2 * kv * hd;
		if (m->att_bias == HW_BIAS_QKVO)
			att += h;
	}
	if (m->attention == HW_ATT_SSM) {
		/* pure Mamba: the mixer is the whole layer; its config's
		 * intermediate_size is the mixer's width (expand x hidden),
		 * not an MLP */
		mlp = 0;
	} else if (!strcmp(m->family, "falcon")) {
		/* dense_h_to_4h and dense_4h_to_h, biased like the attention
		 * ("bias"); each LayerNorm has a gain and a bias */
		mlp = 2 * h * m->intermediate;
		if (m->att_bias == HW_BIAS_QKVO)
			mlp += m->intermediate + h;
	} else if (layernorm_family(m)) {
		/* up and down projections with biases, no gate; LayerNorms
		 * with a bias beside each gain */
		mlp = 2 * h * m->intermediate + m->intermediate + h;
	} else if (m->layer_moe[l]) {
		wide E = m->experts,
		     run = active ? m->experts_per_tok : m->experts,
		     mi = m->moe_intermediate ? m->moe_intermediate
					      : m->intermediate,
		     shared = (wide)m->shared_experts * 3 * h * mi;

		if (m->shared_intermediate)
			shared = 3 * h * m->shared_intermediate + h;
		mlp = run * 3 * h * mi + shared + h * E;
		if (m->expert_bias) /* gpt-oss: gate_up and down biases, and
				       the router's */
			mlp += run * (2 * mi + h) + E;
		if (deepseek_v3_shape(m))
			mlp += E; /* the router's correction bias */
	} else {
		mlp = 3 * h * m->intermediate;
		if (m->mlp_bias) /* gate_proj, up_proj, down_proj */
			mlp += 2 * (wide)m->intermediate + h;
	}
	return att + ssm + norms + mlp;
}

/* Implements: FR-PLAN-003 */
long long hw_layer_norm_params(const hw_model *m, long l)
{
	wide n = layer_norms(m, l), hd = m->head_dim;

	if (m->layer_kind[l] == HW_LAYER_SSM) {
		wide di = m->ssm_expand * (wide)m->hidden;

		if (!strcmp(m->family, "mamba2"))
			n += di; /* the mixer's gated norm */
		else if (!strcmp(m->family, "jamba"))
			n += m->ssm_dt_rank + 2 * (wide)m->ssm_state;
	} else if (m->kv_lora_rank) {
		/* MLA's q_a_layernorm and kv_a_layernorm */
		n += (wide)m->q_lora_rank + m->kv_lora_rank;
	} else if (m->qk_norm == 1) {
		n += 2 * hd; /* q_norm and k_norm, one gain a dim */
	} else if (m->qk_norm == 2) {
		n += ((wide)m->heads + m->kv_heads) * hd; /* OLMo 2 */
	}
	/* at most the layer's count, which count_params checked */
	return (long long)n;
}

/* Implements: FR-PLAN-003 */
long long hw_layer_expert_params(const hw_model *m, long l, int active)
{
	wide h = m->hidden,
	     mi = m->moe_intermediate ? m->moe_intermediate : m->intermediate,
	     run = active ? m->experts_per_tok : m->experts;

	if (!m->layer_moe[l] || m->layer_kind[l] == HW_LAYER_SSM ||
	    m->attention == HW_ATT_SSM || !strcmp(m->family, "falcon") ||
	    layernorm_family(m))
		return 0;
	/* at most the layer's count, which count_params checked */
	return (long long)(run * 3 * h * mi);
}

/* Implements: FR-PLAN-003 */
long long hw_layer_params(const hw_model *m, long l, int active)
{
	/* fits: no more than the total count_params checked */
	return (long long)layer_params(m, l, active);
}

/* Implements: FR-PLAN-003 */
unsigned hw_keep_bits(const hw_model *m, const char *name)
{
	static const struct {
		const char *name;
		unsigned bits;
	} mods[] = {
		{"", HW_KEEP_LAYER},
		{"self_attn", HW_KEEP_Q | HW_KEEP_QA | HW_KEEP_QB | HW_KEEP_K |
				      HW_KEEP_V | HW_KEEP_KVA | HW_KEEP_KVB |
				      HW_KEEP_O},
		{"self_attn.q_proj", HW_KEEP_Q},
		{"self_attn.k_proj", HW_KEEP_K},
		{"self_attn.v_proj", HW_KEEP_V},
		{"self_attn.o_proj", HW_KEEP_O},
		{"self_attn.q_a_proj", HW_KEEP_QA},
		{"self_attn.q_b_proj", HW_KEEP_QB},
		{"self_attn.kv_a_proj_with_mqa", HW_KEEP_KVA},
		{"self_attn.kv_b_proj", HW_KEEP_KVB},
		{"mlp.gate", HW_KEEP_ROUTER},
		{"mlp.shared_experts", HW_KEEP_SHARED}};
	size_t n = strlen(name);

	if (n && name[n - 1] == '*')
		n--; /* a glob over the module: the module */
	if (m->layer_kind[0] == HW_LAYER_SSM && n)
		return 0; /* no such modules in a Mamba layer */
	for (size_t i = 0; i < sizeof(mods) / sizeof(*mods); i++)
		if (strlen(mods[i].name) == n && !strncmp(mods[i].name, name, n))
			return mods[i].bits;
	return 0;
}

/* Implements: FR-PLAN-003 */
long long hw_layer_kept16(const hw_model *m, long l, int active)
{
	unsigned k = m->keep16[l];
	wide h = m->hidden, H = m->heads, kv = m->kv_heads, d = m->head_dim,
	     n = 0, bias = m->att_bias != HW_BIAS_NONE,
	     obias = m->att_bias == HW_BIAS_QKVO;

	if (!k || m->layer_kind[l] == HW_LAYER_SSM)
		return k & HW_KEEP_LAYER ? (long long)layer_params(m, l, active)
					 : 0;
	if (k & HW_KEEP_LAYER)
		return (long long)layer_params(m, l, active);
	if (m->kv_lora_rank) {
		wide q = m->q_lora_rank, r = m->kv_lora_rank,
		     nope = m->qk_nope_dim, rope = m->qk_rope_dim,
		     vd = m->v_head_dim;

		if (q && (k & HW_KEEP_QA))
			n += h * q + obias * q;
		if (q && (k & HW_KEEP_QB))
			n += q * H * (nope + rope);
		if (!q && (k & HW_KEEP_Q))
			n += h * H * (nope + rope);
		if (k & HW_KEEP_KVA)
			n += h * (r + rope) + obias * (r + rope);
		if (k & HW_KEEP_KVB)
			n += r * H * (nope + vd);
		if (k & HW_KEEP_O)
			n += H * vd * h + obias * h;
	} else {
		if (k & HW_KEEP_Q)
			n += h * H * d + bias * H * d;
		if (k & HW_KEEP_K)
			n += h * kv * d + bias * kv * d;
		if (k & HW_KEEP_V)
			n += h * kv * d + bias * kv * d;
		if (k & HW_KEEP_O)
			n += H * d * h + obias * h;
	}
	if (m->layer_moe[l] && (k & HW_KEEP_ROUTER)) {
		n += h * m->experts;
		if (m->expert_bias || deepseek_v3_shape(m))
			n += m->experts; /* its bias, or correction bias */
	}
	if (m->layer_moe[l] && (k & HW_KEEP_SHARED)) {
		wide mi = m->moe_intermediate ? m->moe_intermediate
					      : m->intermediate;

		n += m->shared_intermediate
			     ? 3 * h * m->shared_intermediate + h
			     : (wide)m->shared_experts * 3 * h * mi;
	}
	/* at most the layer's count, which count_params checked */
	return (long long)n;
}

static int count_params(hw_model *m, const char *file)
{
	wide h = m->hidden, embed, total, active;

	embed = m->vocab * h * (m->tie_embeddings ? 1 : 2);
	m->params_final = (long long)h; /* final norm */
	if (!strcmp(m->family, "falcon") || layernorm_family(m))
		m->params_final += (long long)h; /* the final norm has a bias */
	if (!strcmp(m->family, "gpt2")) /* learned positions, n_positions */
		m->params_positions = (long long)((wide)m->max_ctx * h);
	total = active = embed + m->params_final + m->params_positions;
	/* total stays under 2^63 + 2^125 before each check: no wrap */
	for (long l = 0; l < m->layers && total <= INT64_MAX; l++) {
		total += layer_params(m, l, 0);
		active += layer_params(m, l, 1);
	}
	if (total > INT64_MAX)
		return hw_error_set(HW_EINVAL, file, 0, 0,
				    "the parameter count is over 2^63: "
				    "\"hidden_size\", \"vocab_size\", the "
				    "head counts and sizes are too large");
	m->params_embed = (long long)embed;
	m->params_total = (long long)total;
	m->params_active = (long long)active; /* at most total */
	return HW_OK;
}

/* Implements: FR-PLAN-001, FR-PLAN-003 */
const cJSON *hw_quant_config(const cJSON *config, int *nested)
{
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(config,
							  "quantization_config"),
		    *t = cJSON_GetObjectItemCaseSensitive(config, "text_config");

	if (nested)
		*nested = 0;
	if (cJSON_IsObject(q))
		return q;
	if ((q && !cJSON_IsNull(q)) || !cJSON_IsObject(t))
		return NULL;
	/* vLLM's ModelConfig._verify_quantization: the text config's, for
	 * a multimodal config that has none of its own */
	q = cJSON_GetObjectItemCaseSensitive(t, "quantization_config");
	if (!cJSON_IsObject(q))
		return NULL;
	if (nested)
		*nested = 1;
	return q;
}

/* any_type: a GGUF's architecture, whose count its headers give, may be
 * one count_params does not know; a config.json's model_type may not. */
static int from_text(hw_model *m, const cJSON *config, const cJSON *c,
		     const char *file, int any_type)
{
	static const char *const k_layers[] = {"num_hidden_layers", "n_layer",
					       "num_layers", NULL};
	static const char *const k_hidden[] = {"hidden_size", "d_model",
					       "n_embd", NULL};
	static const char *const k_heads[] = {"num_attention_heads", "n_head",
					      NULL};
	static const char *const k_kv[] = {"num_key_value_heads",
					   "num_kv_heads", "n_head_kv", NULL};
	static const char *const k_head_dim[] = {"head_dim", NULL};
	static const char *const k_bits[] = {"bits", NULL};
	static const char *const k_experts[] = {"num_local_experts",
						"num_experts", "n_routed_experts",
						NULL};
	const cJSON *q;
	const char *s;
	int err = HW_OK, rw;

	snprintf(m->source, sizeof(m->source), "%s", file);
	s = hw_json_str(c, "model_type");
	/* Falcon's remote-code model types (falcon_shape) */
	rw = s && (!strcmp(s, "RefinedWebModel") || !strcmp(s, "RefinedWeb"));
	if (s && !rw && !any_type && !known_type(s))
		return unknown_type(s, file);
	snprintf(m->family, sizeof(m->family), "%s",
		 rw ? "falcon" : s ? s : "llama");
	m->layers = first_int(c, k_layers, file, &err);
	m->hidden = first_int(c, k_hidden, file, &err);
	m->heads = first_int(c, k_heads, file, &err);
	m->kv_heads = first_int(c, k_kv, file, &err);
	m->head_dim = get_int(c, "head_dim", file, &err);
	m->intermediate = get_int(c, "intermediate_size", file, &err);
	if (!m->intermediate)
		m->intermediate = get_int(c, "n_inner", file, &err); /* GPT-2 */
	m->vocab = get_int(c, "vocab_size", file, &err);
	m->max_ctx = get_int(c, "max_position_embeddings", file, &err);
	if (!m->max_ctx)
		m->max_ctx = get_int(c, "n_positions", file, &err); /* GPT-2 */
	m->sliding_window = get_int(c, "sliding_window", file, &err);
	/* Qwen2 names a window it does not use: its class's
	 * use_sliding_window is false unless given */
	if (!get_bool(c, "use_sliding_window",
		      !qwen_family(m) && strcmp(m->family, "smollm3") != 0))
		m->sliding_window = 0;
	if (!strcmp(m->family, "smollm3") && m->sliding_window &&
	    !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(c, "layer_types")))
		return hw_error_set(HW_EINVAL, file, 0, 0,
				    "\"use_sliding_window\": which of "
				    "SmolLM3's layers are windowed is not "
				    "modelled without \"layer_types\"");
	tie_default(m, c);
	if (!strcmp(m->family, "qwen2") || !strcmp(m->family, "qwen2_moe"))
		m->att_bias = HW_BIAS_QKV;
	else if (!strcmp(m->family, "qwen3") || !strcmp(m->family, "qwen3_moe") ||
		 !strcmp(m->family, "gemma3_text")) {
		/* Qwen3Attention, Gemma3Attention: q_norm and k_norm over
		 * head_dim; biases on q, k, v and o when attention_bias
		 * (absent: false) */
		m->qk_norm = 1;
		if (get_bool(c, "attention_bias", 0))
			m->att_bias = HW_BIAS_QKVO;
	} else if (!strcmp(m->family, "gpt_oss")) {
		/* GptOssAttention: biased q, k, v and o (attention_bias,
		 * absent: true) and a sink per head; GptOssExperts: biased
		 * gate_up and down; a biased router; every layer MoE */
		if (get_bool(c, "attention_bias", 1))
			m->att_bias = HW_BIAS_QKVO;
		m->attn_sinks = 1;
		m->expert_bias = 1;
	} else if (!strcmp(m->family, "olmo2")) {
		/* Olmo2Attention: q_norm over H x d and k_norm over Hkv x d
		 * (its two layer norms come after attention and the MLP, so
		 * still two); attention_bias (absent: false) */
		m->qk_norm = 2;
		if (get_bool(c, "attention_bias", 0))
			m->att_bias = HW_BIAS_QKVO;
	} else if (!strcmp(m->family, "llama") || !strcmp(m->family, "gemma") ||
		   !strcmp(m->family, "gemma2") ||
		   !strcmp(m->family, "granite") ||
		   !strcmp(m->family, "smollm3") ||
		   !strcmp(m->family, "deepseek_v2") ||
		   deepseek_v3_shape(m)) {
		/* their attention_bias (absent: false): q, k, v and o biased
		 * (Llama, Gemma, Gemma 2); MLA's q_a_proj, kv_a_proj_with_mqa
		 * and o_proj (DeepSeek-V2, -V3) */
		if (get_bool(c, "attention_bias", 0))
			m->att_bias = HW_BIAS_QKVO;
		/* LlamaMLP's mlp_bias (absent: false), as Granite's and
		 * SmolLM3's */
		m->mlp_bias = (!strcmp(m->family, "llama") ||
			       !strcmp(m->family, "granite") ||
			       !strcmp(m->family, "smollm3")) &&
			      get_bool(c, "mlp_bias", 0);
	}
	else if (!strcmp(m->family, "gpt2") ||
		 (!strcmp(m->family, "gpt_neox") &&
		  get_bool(c, "attention_bias", 1)))
		m->att_bias = HW_BIAS_QKVO; /* GPTNeoXConfig: true */
	m->experts = first_int(c, k_experts, file, &err);
	m->experts_per_tok = get_int(c, "num_experts_per_tok", file, &err);
	m->shared_experts = get_int(c, "n_shared_experts", file, &err);
	m->moe_intermediate = get_int(c, "moe_intermediate_size", file, &err);
	m->shared_intermediate = get_int(c, "shared_expert_intermediate_size",
					 file, &err);
	m->first_dense = get_int(c, "first_k_dense_replace", file, &err);
	if (!strcmp(m->family, "llama4_text")) {
		/* Llama4TextMoe: experts of intermediate_size, one shared
		 * expert of the same width, a router without bias; the dense
		 * layers' MLP is intermediate_size_mlp (absent: 16,384) wide;
		 * q/k norms (use_qk_norm) are L2 norms without weights */
		long mlp = get_int(c, "intermediate_size_mlp", file, &err);

		m->moe_intermediate = m->intermediate;
		m->intermediate = mlp ? mlp : 16384;
		m->shared_experts = m->experts ? 1 : 0;
		m->sliding_window = get_int(c, "attention_chunk_size", file,
					    &err);
		if (get_bool(c, "attention_bias", 0))
			m->att_bias = HW_BIAS_QKVO;
	}
	m->kv_lora_rank = get_int(c, "kv_lora_rank", file, &err);
	m->q_lora_rank = get_int(c, "q_lora_rank", file, &err);
	m->qk_rope_dim = get_int(c, "qk_rope_head_dim", file, &err);
	m->qk_nope_dim = get_int(c, "qk_nope_head_dim", file, &err);
	m->v_head_dim = get_int(c, "v_head_dim", file, &err);
	m->ssm_state = get_int(c, "state_size", file, &err);
	if (!m->ssm_state)
		m->ssm_state = get_int(c, "mamba_d_state", file, &err);
	m->ssm_conv = get_int(c, "conv_kernel", file, &err);
	if (!m->ssm_conv)
		m->ssm_conv = get_int(c, "mamba_d_conv", file, &err);
	m->ssm_expand = get_int(c, "expand", file, &err);
	if (!m->ssm_expand)
		m->ssm_expand = get_int(c, "mamba_expand", file, &err);
	m->ssm_dt_rank = get_int(c, "time_step_rank", file, &err);
	if (!m->ssm_dt_rank)
		m->ssm_dt_rank = get_int(c, "mamba_dt_rank", file, &err);
	if (err || (err = zero_given(c, k_kv, file)) ||
	    (err = zero_given(c, k_head_dim, file)))
		return err;
	if (!strcmp(m->family, "falcon") && (err = falcon_shape(m, c, file, rw)))
		return err;
	if ((err = require(m->layers, "num_hidden_layers", file)) ||
	    (err = require(m->hidden, "hidden_size", file)) ||
	    (err = require(m->vocab, "vocab_size", file)))
		return err;
	if (m->layers > HW_PLAN_MAX_LAYERS)
		return hw_error_set(HW_EINVAL, file, 0, 0,
				    "\"num_hidden_layers\" %ld is over %d",
				    m->layers, HW_PLAN_MAX_LAYERS);
	if (!strcmp(m->family, "mamba2")) {
		/* Mamba2Config's defaults: one group, no projection
		 * biases, a convolution bias */
		m->ssm_heads = get_int(c, "num_heads", file, &err);
		m->ssm_groups = get_int(c, "n_groups", file, &err);
		if (!cJSON_GetObjectItemCaseSensitive(c, "n_groups"))
			m->ssm_groups = 1;
		m->ssm_proj_bias = get_bool(c, "use_bias", 0);
		m->ssm_conv_bias = get_bool(c, "use_conv_bias", 1);
		if (err || (err = require(m->ssm_heads, "num_heads", file)))
			return err;
	}
	if (!strcmp(m->family, "mamba") || !strcmp(m->family, "mamba2")) {
		m->heads = m->kv_heads = 0;
		if (!m->ssm_dt_rank)
			m->ssm_dt_rank = (m->hidden + 15) / 16;
		if ((err = require(m->ssm_state, "state_size", file)) ||
		    (err = require(m->ssm_conv, "conv_kernel", file)) ||
		    (err = require(m->ssm_expand, "expand", file)))
			return err;
		for (long l = 0; l < m->layers; l++)
			m->layer_kind[l] = HW_LAYER_SSM;
	} else {
		if ((err = require(m->heads, "num_attention_heads", file)))
			return err;
		if (!m->kv_heads)
			m->kv_heads = m->heads; /* absent: MHA */
		if (m->kv_heads > m->heads || m->heads % m->kv_heads)
			return hw_error_set(HW_EINVAL, file, 0, 0,
					    "\"num_attention_heads\" (%ld) is "
					    "not a multiple of "
					    "\"num_key_value_heads\" (%ld)",
					    m->heads, m->kv_heads);
		if (!m->head_dim) {
			if (m->hidden % m->heads)
				return hw_error_set(
					HW_EINVAL, file, 0, 0,
					"\"hidden_size\" (%ld) does not divide "
					"by \"num_attention_heads\" (%ld) and "
					"no \"head_dim\" is given",
					m->hidden, m->heads);
			m->head_dim = m->hidden / m->heads;
		}
		if (!m->intermediate && !strcmp(m->family, "gpt2"))
			m->intermediate = 4 * m->hidden; /* n_inner null: 4h */
		if (!m->intermediate)
			return hw_error_set(HW_EINVAL, file, 0, 0,
					    "missing or zero "
					    "\"intermediate_size\"");
		if (m->experts && (!m->experts_per_tok ||
				   m->experts_per_tok > m->experts))
			return hw_error_set(HW_EINVAL, file, 0, 0,
					    "\"num_experts_per_tok\" must be 1 "
					    "to the number of experts (%ld)",
					    m->experts);
		if (m->kv_lora_rank && !m->qk_rope_dim)
			return hw_error_set(HW_EINVAL, file, 0, 0,
					    "MLA needs \"qk_rope_head_dim\"");
		if ((err = layer_kinds(m, c, file)))
			return err;
		for (long l = 0; l < m->layers; l++)
			if (m->layer_kind[l] == HW_LAYER_SSM &&
			    (!m->ssm_state || !m->ssm_conv || !m->ssm_expand ||
			     !m->ssm_dt_rank))
				return hw_error_set(HW_EINVAL, file, 0, 0,
						    "SSM layers need "
						    "\"mamba_d_state\", "
						    "\"mamba_d_conv\", "
						    "\"mamba_expand\" and "
						    "\"mamba_dt_rank\"");
	}
	s = hw_json_str(c, "torch_dtype");
	if (!s) /* transformers 4.56 on writes "dtype" */
		s = hw_json_str(c, "dtype");
	m->weight_bits = dtype_bits(s);
	snprintf(m->dtype, sizeof(m->dtype), "%s", s ? s : "bfloat16");
	if (!m->weight_bits)
		m->weight_bits = 16;
	q = hw_quant_config(config, NULL);
	if (q) {
		s = hw_json_str(q, "quant_method");
		snprintf(m->quant_method, sizeof(m->quant_method), "%s",
			 s ? s : "");
		m->quant_bits = (int)get_int(q, "bits", file, &err);
		{
			/* group_size -1 means one scale per output channel */
			const cJSON *gs = cJSON_GetObjectItemCaseSensitive(
				q, "group_size");

			m->quant_group = cJSON_IsNumber(gs) && gs->valuedouble > 0 &&
						 gs->valuedouble < 1e6
					 ? (int)gs->valuedouble
					 : 0;
		}
		if (err || (err = zero_given(q, k_bits, file)))
			return err;
		if (!m->quant_bits && s && !strcmp(s, "fp8")) {
			/* transformers' FineGrainedFP8 (DeepSeek-V3, Qwen3-FP8):
			 * e4m3 values, one fp32 scale per weight_block_size
			 * block (absent: one per tensor) */
			const cJSON *b = cJSON_GetObjectItemCaseSensitive(
				q, "weight_block_size");

			m->quant_bits = 8;
			if (cJSON_GetArraySize(b) == 2 &&
			    cJSON_IsNumber(cJSON_GetArrayItem(b, 0)) &&
			    cJSON_IsNumber(cJSON_GetArrayItem(b, 1))) {
				double r = cJSON_GetArrayItem(b, 0)->valuedouble,
				       k = cJSON_GetArrayItem(b, 1)->valuedouble;

				if (r >= 1 && k >= 1 && r <= 1e6 && k <= 1e6)
					m->quant_block = (long)r * (long)k;
			}
		} else if (!m->quant_bits && s && !strcmp(s, "mxfp4") &&
			   m->expert_bias) {
			/* gpt-oss: the experts' matrices in MXFP4, 4-bit
			 * values and an 8-bit scale per 32; attention, router,
			 * embedding and head (modules_to_not_convert), norms,
			 * sinks and biases in 16 bits */
			m->quant_expert_bits = 4 + 8.0 / 32;
		} else if (!m->quant_bits) {
			/* modelopt (NVFP4, FP8), compressed-tensors, mxfp4
			 * outside gpt-oss, bitsandbytes, ...: schemes whose
			 * bits (and which
			 * layers they leave alone) the planner does not read;
			 * the plan is refused unless --quant or the checkpoint's
			 * headers give the size */
			m->quant_unsized = 1;
		}
	}
	classify(m);
	return count_params(m, file);
}

/*
 * Gemma3TextConfig's defaults (transformers' configuration_gemma3.py), for
 * the keys a Gemma 3 text_config leaves out: the multimodal releases
 * (gemma-3-4b-it and up) write only what differs from them.
 */
static const struct {
	const char *key;
	double value;
} gemma3_defaults[] = {{"vocab_size", 262208},
		       {"hidden_size", 2304},
		       {"intermediate_size", 9216},
		       {"num_hidden_layers", 26},
		       {"num_attention_heads", 8},
		       {"num_key_value_heads", 4},
		       {"head_dim", 256},
		       {"max_position_embeddings", 131072},
		       {"sliding_window", 4096}};

/* A model from the text_config of a multimodal config, or the config. */
static int from_config(hw_model *m, const cJSON *config, const char *file,
		       int any_type)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(config, "text_config");
	const char *type;
	cJSON *filled = NULL;
	int err;

	if (!cJSON_IsObject(c))
		c = config;
	if (!cJSON_IsObject(c))
		return hw_error_set(HW_EINVAL, file, 0, 0,
				    "a model config must be a JSON object");
	memset(m, 0, sizeof(*m));
	m->text_only = c != config;
	type = hw_json_str(c, "model_type");
	if (type && !strcmp(type, "gemma3_text")) {
		size_t n = 0;

		if (!(filled = cJSON_Duplicate(c, 1)))
			return hw_error_oom();
		for (size_t i = 0;
		     i < sizeof(gemma3_defaults) / sizeof(*gemma3_defaults); i++)
			if (!cJSON_GetObjectItemCaseSensitive(
				    filled, gemma3_defaults[i].key)) {
				if (!cJSON_AddNumberToObject(
					    filled, gemma3_defaults[i].key,
					    gemma3_defaults[i].value)) {
					cJSON_Delete(filled);
					return hw_error_oom();
				}
				n += (size_t)snprintf(
					m->class_defaults + n,
					n < sizeof(m->class_defaults)
						? sizeof(m->class_defaults) - n
						: 0,
					"%s%s %.0f", n ? ", " : "",
					gemma3_defaults[i].key,
					gemma3_defaults[i].value);
				if (n >= sizeof(m->class_defaults))
					n = sizeof(m->class_defaults) - 1;
			}
		c = filled;
	}
	err = from_text(m, config, c, file, any_type);
	cJSON_Delete(filled);
	return err;
}

/* Implements: FR-PLAN-001, FR-PLAN-002 */
int hw_model_from_config(hw_model *m, const cJSON *config, const char *file)
{
	return from_config(m, config, file, 0);
}

/* Implements: FR-PLAN-001 */
int hw_model_from_gguf_keys(hw_model *m, const cJSON *keys, const char *file)
{
	return from_config(m, keys, file, 1);
}
