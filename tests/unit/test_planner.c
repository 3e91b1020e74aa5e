/*
 * test_planner.c — the memory planner: the worked values of the formats
 * brief, the attention classifier, MoE and parallelism, the fit, and the
 * safetensors and GGUF readers on files built here (honest and lying).
 */
#include "harness.h"

#include <math.h>
#include <sys/stat.h>

#include "planner/planner.h"

static void model_of(hw_model *m, const char *json)
{
	cJSON *c = NULL;

	assert_int_equal(hw_json_parse(&c, "config.json", json, strlen(json)),
			 HW_OK);
	if (hw_model_from_config(m, c, "config.json"))
		fail_msg("config refused: %s", hw_error_last());
	cJSON_Delete(c);
}

static int model_err(const char *json, const char *msg)
{
	cJSON *c = NULL;
	hw_model m;
	int err;

	assert_int_equal(hw_json_parse(&c, "config.json", json, strlen(json)),
			 HW_OK);
	err = hw_model_from_config(&m, c, "config.json");
	cJSON_Delete(c);
	if (err && !strstr(hw_error_last(), msg))
		fail_msg("'%s' lacks '%s'", hw_error_last(), msg);
	return err;
}

static hw_plan_inputs inputs(long ctx, long batch)
{
	hw_plan_inputs in;

	memset(&in, 0, sizeof(in));
	in.ctx = ctx;
	in.batch = batch;
	in.tp = in.pp = 1;
	snprintf(in.engine.name, sizeof(in.engine.name), "test");
	in.engine.activation_factor = 1;
	in.engine.memory_utilization = 1;
	return in;
}

static hw_plan plan(const hw_model *m, hw_plan_inputs in)
{
	hw_plan p;

	if (hw_plan_compute(&p, m, &in))
		fail_msg("plan refused: %s", hw_error_last());
	return p;
}

#define DENSE(L, H, KV, extra)                                                 \
	"{\"model_type\": \"llama\", \"hidden_size\": 8192, "                  \
	"\"intermediate_size\": 28672, \"num_hidden_layers\": " #L ", "       \
	"\"num_attention_heads\": " #H ", \"num_key_value_heads\": " #KV ", "  \
	"\"vocab_size\": 32000" extra "}"

/* Verifies: FR-PLAN-003 */
static void test_kv_bytes_match_the_worked_values(void **state)
{
	hw_model m;
	hw_plan p;

	(void)state;
	/* MHA L80 H64 d128: 2,621,440 B/token */
	model_of(&m, DENSE(80, 64, 64, ""));
	p = plan(&m, inputs(1, 1));
	assert_true(p.kv_bytes_per_token == 2621440);
	/* GQA L80 Hkv8 d128: 327,680 B/token; 10,485,760,000 B at 32,000
	 * tokens (the brief says 32,768; 327,680 x 32,768 = 10,737,418,240) */
	model_of(&m, DENSE(80, 64, 8, ""));
	p = plan(&m, inputs(32000, 1));
	assert_true(p.kv_bytes_per_token == 327680);
	assert_true(p.kv_bytes == 10485760000.0);
	p = plan(&m, inputs(32768, 1));
	assert_true(p.kv_bytes == 10737418240.0);
	/* Llama-3.1-8B: L32 Hkv8 d128 */
	model_of(&m, "{\"hidden_size\": 4096, \"intermediate_size\": 14336, "
		     "\"num_hidden_layers\": 32, \"num_attention_heads\": 32, "
		     "\"num_key_value_heads\": 8, \"vocab_size\": 128256}");
	p = plan(&m, inputs(1, 1));
	assert_true(p.kv_bytes_per_token == 131072);
	/* Mistral-7B: W4096 holds 4,096 of 32,768 tokens per layer */
	model_of(&m, "{\"model_type\": \"mistral\", \"hidden_size\": 4096, "
		     "\"intermediate_size\": 14336, \"num_hidden_layers\": 32, "
		     "\"num_attention_heads\": 32, \"num_key_value_heads\": 8, "
		     "\"vocab_size\": 32000, \"sliding_window\": 4096}");
	p = plan(&m, inputs(32768, 1));
	assert_true(p.kv_bytes == 536870912.0);
	/* batch multiplies; an fp8 cache halves */
	p = plan(&m, inputs(2048, 3));
	assert_true(p.kv_bytes == 131072.0 * 2048 * 3);
	{
		hw_plan_inputs in = inputs(2048, 1);

		snprintf(in.kv_dtype, sizeof(in.kv_dtype), "fp8");
		p = plan(&m, in);
		assert_true(p.kv_bytes == 65536.0 * 2048);
	}
}

/* Verifies: FR-PLAN-002 */
static void test_attention_is_classified_with_a_reason(void **state)
{
	hw_model m;

	(void)state;
	model_of(&m, DENSE(4, 8, 8, ""));
	assert_int_equal(m.attention, HW_ATT_MHA);
	model_of(&m, DENSE(4, 8, 2, ""));
	assert_int_equal(m.attention, HW_ATT_GQA);
	assert_non_null(strstr(m.attention_reason, "2 key/value heads for 8"));
	model_of(&m, DENSE(4, 8, 1, ""));
	assert_int_equal(m.attention, HW_ATT_MQA);
	model_of(&m, DENSE(4, 8, 8, ", \"kv_lora_rank\": 512, "
				    "\"qk_rope_head_dim\": 64, "
				    "\"qk_nope_head_dim\": 128, \"v_head_dim\": 128"));
	assert_int_equal(m.attention, HW_ATT_MLA);
	model_of(&m, DENSE(4, 8, 2, ", \"sliding_window\": 1024"));
	assert_int_equal(m.attention, HW_ATT_SLIDING);
	model_of(&m, DENSE(4, 8, 2, ", \"layer_types\": [\"sliding_attention\", "
				    "\"full_attention\", \"sliding_attention\", "
				    "\"full_attention\"], \"sliding_window\": 64"));
	assert_int_equal(m.attention, HW_ATT_HYBRID);
	/* mamba-130m-hf's keys: intermediate_size is the mixer's width
	 * (expand x hidden), not an MLP; no tie_word_embeddings key, and
	 * MambaConfig keeps PretrainedConfig's default, tied */
	model_of(&m, "{\"model_type\": \"mamba\", \"hidden_size\": 768, "
		     "\"intermediate_size\": 1536, \"num_hidden_layers\": 24, "
		     "\"state_size\": 16, \"expand\": 2, \"conv_kernel\": 4, "
		     "\"time_step_rank\": 48, \"vocab_size\": 50280}");
	assert_int_equal(m.attention, HW_ATT_SSM);
	assert_int_equal(m.tie_embeddings, 1);
	assert_int_equal(m.params_total, 129135360);
	/* a hybrid of attention and Mamba layers from the family pattern */
	model_of(&m, DENSE(8, 8, 2, ", \"attn_layer_period\": 4, "
				    "\"attn_layer_offset\": 1, \"mamba_d_state\": 16, "
				    "\"mamba_d_conv\": 4, \"mamba_expand\": 2, "
				    "\"mamba_dt_rank\": 256"));
	assert_int_equal(m.attention, HW_ATT_HYBRID);
	{
		hw_plan p = plan(&m, inputs(100, 1));

		/* two attention layers of 8: 2 x 2 x 2 x 1024 x 2 */
		assert_true(p.kv_bytes_per_token == 2.0 * 2 * 2 * 1024 * 2);
	}
}

/* Verifies: FR-PLAN-003 */
static void test_moe_counts_total_and_active_parameters(void **state)
{
	hw_model m;
	long long h = 4096, I = 14336;

	(void)state;
	model_of(&m, "{\"model_type\": \"mixtral\", \"hidden_size\": 4096, "
		     "\"intermediate_size\": 14336, \"num_hidden_layers\": 32, "
		     "\"num_attention_heads\": 32, \"num_key_value_heads\": 8, "
		     "\"num_local_experts\": 8, \"num_experts_per_tok\": 2, "
		     "\"vocab_size\": 32000}");
	assert_int_equal(m.params_total, 46702792704LL);
	assert_int_equal(m.params_total - m.params_active, 32 * 6 * 3 * h * I);
	/* shared experts and dense first layers (DeepSeek-V2-Lite) */
	model_of(&m, "{\"model_type\": \"deepseek_v2\", \"hidden_size\": 2048, "
		     "\"intermediate_size\": 10944, \"moe_intermediate_size\": 1408, "
		     "\"num_hidden_layers\": 27, \"num_attention_heads\": 16, "
		     "\"n_routed_experts\": 64, \"n_shared_experts\": 2, "
		     "\"num_experts_per_tok\": 6, \"first_k_dense_replace\": 1, "
		     "\"kv_lora_rank\": 512, \"qk_rope_head_dim\": 64, "
		     "\"qk_nope_head_dim\": 128, \"v_head_dim\": 128, "
		     "\"vocab_size\": 102400}");
	assert_int_equal(m.params_total, 15706484224LL);
	assert_int_equal(m.attention, HW_ATT_MLA);
	{
		hw_plan p = plan(&m, inputs(1, 1));

		assert_true(p.kv_bytes_per_token == 27.0 * (512 + 64) * 2);
	}
}

/* Verifies: FR-PLAN-003 */
static void test_neox_biases_and_mamba2_mixer_follow_their_keys(void **state)
{
	hw_model m;
	long long with, h = 64, L = 2;

	(void)state;
	/* GPT-NeoX: q, k, v and the output projection carry biases unless
	 * attention_bias is false (GPTNeoXConfig's default is true) */
	model_of(&m, "{\"model_type\": \"gpt_neox\", \"hidden_size\": 64, "
		     "\"intermediate_size\": 256, \"num_hidden_layers\": 2, "
		     "\"num_attention_heads\": 4, \"vocab_size\": 100}");
	with = m.params_total;
	assert_int_equal(with, L * (4 * h * h + 4 * h + 2 * h * 256 + 256 + h +
				    4 * h) +
				       2 * 100 * h + 2 * h);
	model_of(&m, "{\"model_type\": \"gpt_neox\", \"hidden_size\": 64, "
		     "\"intermediate_size\": 256, \"num_hidden_layers\": 2, "
		     "\"num_attention_heads\": 4, \"vocab_size\": 100, "
		     "\"attention_bias\": false}");
	assert_int_equal(with - m.params_total, L * 4 * h);
	/* Mamba-2: in_proj to z, x, B, C, dt; conv over x, B, C; one group
	 * and no projection biases unless the config says otherwise */
	model_of(&m, "{\"model_type\": \"mamba2\", \"hidden_size\": 64, "
		     "\"num_hidden_layers\": 2, \"num_heads\": 8, "
		     "\"state_size\": 16, \"conv_kernel\": 4, \"expand\": 2, "
		     "\"vocab_size\": 100}");
	{
		long long di = 128, conv = di + 2 * 16, proj = di + conv + 8;

		assert_int_equal(m.attention, HW_ATT_SSM);
		assert_int_equal(m.params_total,
				 L * (h * proj + conv * 4 + conv + 3 * 8 + di +
				      di * h + h) +
					 2 * 100 * h + h);
		with = m.params_total;
		model_of(&m, "{\"model_type\": \"mamba2\", \"hidden_size\": 64, "
			     "\"num_hidden_layers\": 2, \"num_heads\": 8, "
			     "\"state_size\": 16, \"conv_kernel\": 4, "
			     "\"expand\": 2, \"vocab_size\": 100, "
			     "\"n_groups\": 2, \"use_bias\": true}");
		assert_int_equal(m.params_total - with,
				 L * (2 * 16 * (h + 4 + 1) + proj + 2 * 16 + h));
	}
	assert_int_equal(model_err("{\"model_type\": \"mamba2\", "
				   "\"hidden_size\": 64, \"num_hidden_layers\": 2, "
				   "\"state_size\": 16, \"conv_kernel\": 4, "
				   "\"expand\": 2, \"vocab_size\": 100}",
				   "\"num_heads\""),
			 HW_EINVAL);
}

/* Verifies: FR-PLAN-002, FR-PLAN-003 */
static void test_gemma3_counts_its_norms_windows_and_class_defaults(void **state)
{
	hw_model m;
	hw_plan p;

	(void)state;
	/* google/gemma-3-1b-it's keys: q_norm and k_norm, four norms a
	 * layer, tied; the Hub's total 999,885,952 */
	model_of(&m, "{\"model_type\": \"gemma3_text\", \"hidden_size\": 1152, "
		     "\"intermediate_size\": 6912, \"num_hidden_layers\": 26, "
		     "\"num_attention_heads\": 4, \"num_key_value_heads\": 1, "
		     "\"head_dim\": 256, \"vocab_size\": 262144, "
		     "\"sliding_window\": 512, \"sliding_window_pattern\": 6, "
		     "\"max_position_embeddings\": 32768}");
	assert_int_equal(m.params_total, 999885952LL);
	assert_int_equal(m.attention, HW_ATT_HYBRID);
	assert_string_equal(m.class_defaults, "");
	/* one global layer in six (5, 11, 17, 23), the rest windowed */
	for (long l = 0; l < 26; l++)
		assert_int_equal(m.layer_kind[l], (l + 1) % 6 ? HW_LAYER_SLIDING
							       : HW_LAYER_FULL);
	p = plan(&m, inputs(32768, 1));
	assert_true(p.kv_bytes_per_token == 26.0 * 2 * 256 * 2);
	assert_true(p.kv_bytes == (4.0 * 32768 + 22.0 * 512) * 2 * 256 * 2);
	/* gemma-3-4b-it's text_config names only what differs from
	 * Gemma3TextConfig: the rest are its defaults, and the plan says
	 * so. 3,880,263,168 is the Hub's 4,300,079,472 less the SigLIP
	 * tower (416,866,032) and projector (1,152 x 2,560 + 1,152) that
	 * gemma-3-12b-it and -27b-it carry too */
	model_of(&m, "{\"model_type\": \"gemma3\", \"text_config\": "
		     "{\"hidden_size\": 2560, \"intermediate_size\": 10240, "
		     "\"model_type\": \"gemma3_text\", \"num_hidden_layers\": 34, "
		     "\"sliding_window\": 1024}}");
	assert_int_equal(m.params_total, 3880263168LL);
	assert_true(m.text_only);
	assert_string_equal(m.class_defaults,
			    "vocab_size 262208, num_attention_heads 8, "
			    "num_key_value_heads 4, head_dim 256, "
			    "max_position_embeddings 131072");
	assert_int_equal(model_err("{\"model_type\": \"gemma3_text\", "
				   "\"sliding_window_pattern\": 0}",
				   "\"sliding_window_pattern\" is 0"),
			 HW_EINVAL);
}

/* openai/gpt-oss-20b's (24 layers) and -120b's (36, 128 experts) keys */
static void gpt_oss(hw_model *m, int layers, int experts, const char *quant)
{
	char json[4096];
	size_t n = 0;

	n += (size_t)snprintf(json + n, sizeof(json) - n,
			      "{\"model_type\": \"gpt_oss\", "
			      "\"attention_bias\": true, \"head_dim\": 64, "
			      "\"hidden_size\": 2880, \"intermediate_size\": 2880, "
			      "\"num_attention_heads\": 64, "
			      "\"num_key_value_heads\": 8, "
			      "\"num_experts_per_tok\": 4, "
			      "\"num_hidden_layers\": %d, "
			      "\"num_local_experts\": %d, "
			      "\"sliding_window\": 128, "
			      "\"tie_word_embeddings\": false, "
			      "\"vocab_size\": 201088, %s\"layer_types\": [",
			      layers, experts, quant);
	for (int l = 0; l < layers; l++)
		n += (size_t)snprintf(json + n, sizeof(json) - n, "%s\"%s\"",
				      l ? ", " : "",
				      l % 2 ? "full_attention"
					    : "sliding_attention");
	snprintf(json + n, sizeof(json) - n, "]}");
	model_of(m, json);
}

/* Verifies: FR-PLAN-002, FR-PLAN-003 */
static void test_gpt_oss_counts_biases_sinks_and_mxfp4_experts(void **state)
{
	hw_model m;
	hw_plan p, q;
	double experts, rest;

	(void)state;
	/* q, k, v and o biased, a sink per head, biased experts and
	 * router: llama.cpp's and the Hub's counts, 20,914,757,184 and
	 * 116,829,156,672; active less the input embedding is the card's
	 * 3.61B and 5.13B */
	gpt_oss(&m, 24, 32, "");
	assert_int_equal(m.params_total, 20914757184LL);
	assert_int_equal(m.params_active - 201088LL * 2880, 3608307264LL);
	assert_int_equal(m.attention, HW_ATT_HYBRID);
	p = plan(&m, inputs(131072, 1));
	assert_true(p.kv_bytes_per_token == 24.0 * 2 * 8 * 64 * 2);
	assert_true(p.kv_bytes == (12.0 * 131072 + 12.0 * 128) * 2 * 8 * 64 * 2);
	gpt_oss(&m, 36, 128, "");
	assert_int_equal(m.params_total, 116829156672LL);
	/* mxfp4: the experts' matrices at 4.25 bits, all else in bf16 */
	gpt_oss(&m, 24, 32, "");
	q = plan(&m, inputs(1, 1));
	gpt_oss(&m, 24, 32, "\"quantization_config\": {\"quant_method\": "
			    "\"mxfp4\"}, ");
	p = plan(&m, inputs(1, 1));
	experts = 24.0 * 32 * 3 * 2880 * 2880;
	rest = q.weights_bytes - experts * 2;
	assert_true(rest > 0);
	assert_true(fabs(p.weights_bytes - (rest + experts * 4.25 / 8)) < 1);
}

#define LLAMA4(step, experts, extra)                                           \
	"{\"model_type\": \"llama4\", \"text_config\": {"                     \
	"\"attention_bias\": false, \"attention_chunk_size\": 8192, "         \
	"\"head_dim\": 128, \"hidden_size\": 5120, "                          \
	"\"interleave_moe_layer_step\": " #step ", "                          \
	"\"intermediate_size\": 8192, \"intermediate_size_mlp\": 16384, "     \
	"\"model_type\": \"llama4_text\", \"num_attention_heads\": 40, "      \
	"\"num_experts_per_tok\": 1, \"num_hidden_layers\": 48, "             \
	"\"num_key_value_heads\": 8, \"num_local_experts\": " #experts ", "   \
	"\"use_qk_norm\": true, \"vocab_size\": 202048" extra "}}"

/* Verifies: FR-PLAN-002, FR-PLAN-003 */
static void test_llama4_counts_interleaved_moe_and_chunked_layers(void **state)
{
	hw_model m;
	hw_plan p;

	(void)state;
	/* Llama-4-Scout's and -Maverick's text models: experts and a
	 * shared expert of intermediate_size, dense layers of
	 * intermediate_size_mlp, untied. Each is the Hub's total
	 * (108,641,793,536 and 401,583,781,376) less the same vision tower
	 * and projector, 871,932,416 */
	model_of(&m, LLAMA4(1, 16, ""));
	assert_int_equal(m.params_total, 107769861120LL);
	assert_int_equal(m.params_total - m.params_active,
			 48LL * 15 * 3 * 5120 * 8192);
	model_of(&m, LLAMA4(2, 128, ""));
	assert_int_equal(m.params_total, 400711848960LL);
	for (long l = 0; l < 48; l++)
		assert_int_equal(m.layer_moe[l], l % 2 == 1);
	/* the RoPE layers (three in four) attend within 8,192-token chunks;
	 * every fourth (NoPE) over everything */
	assert_int_equal(m.attention, HW_ATT_HYBRID);
	for (long l = 0; l < 48; l++)
		assert_int_equal(m.layer_kind[l], (l + 1) % 4 ? HW_LAYER_SLIDING
							      : HW_LAYER_FULL);
	p = plan(&m, inputs(131072, 1));
	assert_true(p.kv_bytes_per_token == 48.0 * 2 * 8 * 128 * 2);
	assert_true(p.kv_bytes == (12.0 * 131072 + 36.0 * 8192) * 4096);
	/* moe_layers given wins over the step */
	model_of(&m, LLAMA4(1, 16, ", \"moe_layers\": [0, 47]"));
	assert_int_equal(m.layer_moe[0] + m.layer_moe[1] + m.layer_moe[47], 2);
	assert_int_equal(model_err(LLAMA4(1, 16, ", \"moe_layers\": [48]"),
				   "\"moe_layers\""),
			 HW_EINVAL);
}

/* Verifies: FR-PLAN-003 */
static void test_olmo2_granite_and_smollm3_count_as_published(void **state)
{
	hw_model m;

	(void)state;
	/* the Hub's totals: allenai/OLMo-2-1124-7B (q_norm over 32 x 128,
	 * k_norm over 32 x 128, norms after attention and MLP) */
	model_of(&m, "{\"model_type\": \"olmo2\", \"hidden_size\": 4096, "
		     "\"intermediate_size\": 11008, \"num_hidden_layers\": 32, "
		     "\"num_attention_heads\": 32, \"num_key_value_heads\": 32, "
		     "\"vocab_size\": 100352, \"tie_word_embeddings\": false}");
	assert_int_equal(m.params_total, 7298617344LL);
	/* ibm-granite/granite-3.3-8b-instruct and -2b-instruct (Llama's
	 * shape; the multipliers hold no weights) */
	model_of(&m, "{\"model_type\": \"granite\", \"hidden_size\": 4096, "
		     "\"intermediate_size\": 12800, \"num_hidden_layers\": 40, "
		     "\"num_attention_heads\": 32, \"num_key_value_heads\": 8, "
		     "\"vocab_size\": 49159, \"tie_word_embeddings\": true, "
		     "\"attention_multiplier\": 0.0078125, "
		     "\"embedding_multiplier\": 12.0}");
	assert_int_equal(m.params_total, 8170864640LL);
	model_of(&m, "{\"model_type\": \"granite\", \"hidden_size\": 2048, "
		     "\"intermediate_size\": 8192, \"num_hidden_layers\": 40, "
		     "\"num_attention_heads\": 32, \"num_key_value_heads\": 8, "
		     "\"vocab_size\": 49159, \"tie_word_embeddings\": true}");
	assert_int_equal(m.params_total, 2533539840LL);
	/* HuggingFaceTB/SmolLM3-3B: tied by its class's default */
	model_of(&m, "{\"model_type\": \"smollm3\", \"hidden_size\": 2048, "
		     "\"intermediate_size\": 11008, \"num_hidden_layers\": 36, "
		     "\"num_attention_heads\": 16, \"num_key_value_heads\": 4, "
		     "\"vocab_size\": 128256, \"sliding_window\": 4096}");
	assert_int_equal(m.params_total, 3075098624LL);
	assert_int_equal(m.attention, HW_ATT_GQA); /* window unused */
	assert_int_equal(model_err("{\"model_type\": \"smollm3\", "
				   "\"hidden_size\": 2048, "
				   "\"intermediate_size\": 11008, "
				   "\"num_hidden_layers\": 36, "
				   "\"num_attention_heads\": 16, "
				   "\"vocab_size\": 128256, "
				   "\"sliding_window\": 4096, "
				   "\"use_sliding_window\": true}",
				   "not modelled without \"layer_types\""),
			 HW_EINVAL);
}

#define QWEN2_SMALL(extra)                                                     \
	"{\"model_type\": \"qwen2\", \"hidden_size\": 64, "                   \
	"\"intermediate_size\": 256, \"num_hidden_layers\": 4, "              \
	"\"num_attention_heads\": 4, \"num_key_value_heads\": 2, "            \
	"\"vocab_size\": 100, \"sliding_window\": 64" extra "}"

/* Verifies: FR-PLAN-002, FR-PLAN-003 */
static void test_qwen_windows_only_layers_from_max_window_layers(void **state)
{
	hw_model m;
	hw_plan p;
	double per = 2.0 * 2 * 16 * 2; /* K and V, 2 heads of 16, fp16 */

	(void)state;
	/* Qwen2Config: use_sliding_window absent is false, the window unused */
	model_of(&m, QWEN2_SMALL(""));
	assert_int_equal(m.attention, HW_ATT_GQA);
	p = plan(&m, inputs(1024, 1));
	assert_true(p.kv_bytes == 4 * 1024 * per);
	/* given, layers from max_window_layers on are windowed, the first
	 * ones attend over everything */
	model_of(&m, QWEN2_SMALL(", \"use_sliding_window\": true, "
				 "\"max_window_layers\": 2"));
	assert_int_equal(m.attention, HW_ATT_HYBRID);
	assert_non_null(strstr(m.attention_reason, "max_window_layers (2)"));
	p = plan(&m, inputs(1024, 1));
	assert_true(p.kv_bytes == (2 * 1024 + 2 * 64) * per);
	/* max_window_layers absent: the class's 28, so no layer of four */
	model_of(&m, QWEN2_SMALL(", \"use_sliding_window\": true"));
	p = plan(&m, inputs(1024, 1));
	assert_true(p.kv_bytes == 4 * 1024 * per);
}

#define LLAMA_SMALL(type, extra)                                               \
	"{\"model_type\": \"" type "\", \"hidden_size\": 64, "                \
	"\"intermediate_size\": 256, \"num_hidden_layers\": 2, "              \
	"\"num_attention_heads\": 4, \"num_key_value_heads\": 2, "            \
	"\"head_dim\": 16, \"vocab_size\": 100" extra "}"

/* Verifies: FR-PLAN-003 */
static void test_attention_and_mlp_bias_keys_are_counted(void **state)
{
	hw_model m;
	long long plain, L = 2, h = 64, I = 256, qkvo = 4 * 16 + 2 * 2 * 16 + 64;
	static const char *const types[] = {"llama", "gemma", "gemma2"};

	(void)state;
	/* LlamaConfig's, GemmaConfig's and Gemma2Config's attention_bias:
	 * q, k, v and o carry a bias (absent or false: none) */
	for (size_t i = 0; i < 3; i++) {
		char a[512], b[512];

		snprintf(a, sizeof(a), LLAMA_SMALL("%s", ""), types[i]);
		snprintf(b, sizeof(b),
			 LLAMA_SMALL("%s", ", \"attention_bias\": true"),
			 types[i]);
		model_of(&m, a);
		plain = m.params_total;
		model_of(&m, b);
		assert_int_equal(m.params_total - plain, L * qkvo);
	}
	/* LlamaMLP's mlp_bias: gate_proj, up_proj and down_proj */
	model_of(&m, LLAMA_SMALL("llama", ""));
	plain = m.params_total;
	model_of(&m, LLAMA_SMALL("llama", ", \"mlp_bias\": true"));
	assert_int_equal(m.params_total - plain, L * (2 * I + h));
	/* Mistral's attention has no bias key: one given changes nothing */
	model_of(&m, LLAMA_SMALL("mistral", ""));
	plain = m.params_total;
	model_of(&m, LLAMA_SMALL("mistral", ", \"attention_bias\": true, "
					    "\"mlp_bias\": true"));
	assert_int_equal(m.params_total, plain);
	/* DeepSeek-V3's MLA: q_a_proj, kv_a_proj_with_mqa and o_proj */
	model_of(&m, "{\"model_type\": \"deepseek_v3\", \"hidden_size\": 64, "
		     "\"intermediate_size\": 256, \"num_hidden_layers\": 2, "
		     "\"num_attention_heads\": 4, \"q_lora_rank\": 24, "
		     "\"kv_lora_rank\": 32, \"qk_rope_head_dim\": 8, "
		     "\"qk_nope_head_dim\": 16, \"v_head_dim\": 16, "
		     "\"vocab_size\": 100}");
	plain = m.params_total;
	model_of(&m, "{\"model_type\": \"deepseek_v3\", \"hidden_size\": 64, "
		     "\"intermediate_size\": 256, \"num_hidden_layers\": 2, "
		     "\"num_attention_heads\": 4, \"q_lora_rank\": 24, "
		     "\"kv_lora_rank\": 32, \"qk_rope_head_dim\": 8, "
		     "\"qk_nope_head_dim\": 16, \"v_head_dim\": 16, "
		     "\"vocab_size\": 100, \"attention_bias\": true}");
	assert_int_equal(m.params_total - plain, L * (24 + 32 + 8 + h));
}

#define QWEN3_8B(extra)                                                        \
	"{\"model_type\": \"qwen3\", \"hidden_size\": 4096, "                 \
	"\"intermediate_size\": 12288, \"num_hidden_layers\": 36, "           \
	"\"num_attention_heads\": 32, \"num_key_value_heads\": 8, "           \
	"\"head_dim\": 128, \"vocab_size\": 151936, "                         \
	"\"tie_word_embeddings\": false" extra "}"
#define QWEN3_30B_A3B(extra)                                                   \
	"{\"model_type\": \"qwen3_moe\", \"hidden_size\": 2048, "             \
	"\"intermediate_size\": 6144, \"moe_intermediate_size\": 768, "       \
	"\"num_hidden_layers\": 48, \"num_attention_heads\": 32, "            \
	"\"num_key_value_heads\": 4, \"head_dim\": 128, "                     \
	"\"num_experts\": 128, \"num_experts_per_tok\": 8, "                  \
	"\"vocab_size\": 151936, \"tie_word_embeddings\": false" extra "}"

/* Verifies: FR-PLAN-003 */
static void test_qwen3_counts_q_k_norms_and_its_sparse_layers(void **state)
{
	hw_model m;
	long long h = 2048, full;

	(void)state;
	/* Qwen3Attention's q_norm and k_norm (head_dim each): the Hub's
	 * safetensors totals of Qwen/Qwen3-8B and Qwen/Qwen3-30B-A3B */
	model_of(&m, QWEN3_8B(""));
	assert_int_equal(m.params_total, 8190735360LL);
	model_of(&m, QWEN3_8B(", \"attention_bias\": true"));
	assert_int_equal(m.params_total - 8190735360LL,
			 36LL * ((32 + 2 * 8) * 128 + 4096));
	model_of(&m, QWEN3_30B_A3B(""));
	assert_int_equal(m.params_total, 30532122624LL);
	assert_int_equal(m.params_active, 3353032704LL);
	full = m.params_total;
	/* experts only where (l + 1) % decoder_sparse_step == 0 and l is
	 * not in mlp_only_layers; a dense MLP of intermediate_size there */
	model_of(&m, QWEN3_30B_A3B(", \"decoder_sparse_step\": 2, "
				   "\"mlp_only_layers\": [1, 2]"));
	assert_int_equal(full - m.params_total,
			 25LL * (128 * 3 * h * 768 + h * 128 - 3 * h * 6144));
	assert_int_equal(model_err(QWEN3_30B_A3B(", \"mlp_only_layers\": [48]"),
				   "\"mlp_only_layers\""),
			 HW_EINVAL);
	assert_int_equal(model_err(QWEN3_30B_A3B(", \"decoder_sparse_step\": 0"),
				   "\"decoder_sparse_step\" is 0"),
			 HW_EINVAL);
}

#define FALCON(extra)                                                          \
	"{\"model_type\": \"falcon\", \"vocab_size\": 65024" extra "}"

/* Verifies: FR-PLAN-003 */
static void test_falcon_shape_follows_its_config_keys(void **state)
{
	hw_model m;
	long long with;

	(void)state;
	/* falcon-7b: FalconConfig's defaults are multi_query and
	 * parallel_attn true, bias false. Its checkpoint stores the head it
	 * ties beside the embedding: the Hub's 7,217,189,760 counts it twice */
	model_of(&m, FALCON(", \"hidden_size\": 4544, \"num_hidden_layers\": 32, "
			    "\"num_attention_heads\": 71"));
	assert_int_equal(m.attention, HW_ATT_MQA);
	assert_int_equal(m.params_total, 7217189760LL - 65024LL * 4544);
	/* falcon-40b: the new decoder architecture, 8 KV heads and two
	 * LayerNorms before the parallel attention and MLP (the Hub's
	 * 41,835,970,560 holds the head twice too) */
	model_of(&m, FALCON(", \"hidden_size\": 8192, \"num_hidden_layers\": 60, "
			    "\"num_attention_heads\": 128, \"num_kv_heads\": 8, "
			    "\"new_decoder_architecture\": true"));
	assert_int_equal(m.attention, HW_ATT_GQA);
	assert_int_equal(m.kv_heads, 8);
	assert_int_equal(m.params_total, 41835970560LL - 65024LL * 8192);
	with = m.params_total;
	/* Falcon2-style: one LayerNorm in parallel when the config says so */
	model_of(&m, FALCON(", \"hidden_size\": 8192, \"num_hidden_layers\": 60, "
			    "\"num_attention_heads\": 128, \"num_kv_heads\": 8, "
			    "\"new_decoder_architecture\": true, "
			    "\"num_ln_in_parallel_attn\": 1"));
	assert_int_equal(with - m.params_total, 60LL * 2 * 8192);
	/* falcon-rw-1b: ALiBi, every head its own KV, two sequential
	 * LayerNorms and biases on every linear layer; KerasHub's preset
	 * falcon_refinedweb_1b_en gives 1,311,625,216 */
	model_of(&m, "{\"model_type\": \"falcon\", \"vocab_size\": 50304, "
		     "\"hidden_size\": 2048, \"num_hidden_layers\": 24, "
		     "\"num_attention_heads\": 32, \"alibi\": true, "
		     "\"bias\": true, \"multi_query\": false, "
		     "\"parallel_attn\": false, \"num_kv_heads\": 1}");
	assert_int_equal(m.attention, HW_ATT_MHA);
	assert_int_equal(m.params_total, 1311625216LL);
	/* the MLP is ffn_hidden_size wide; intermediate_size is not Falcon's */
	model_of(&m, FALCON(", \"hidden_size\": 64, \"num_hidden_layers\": 2, "
			    "\"num_attention_heads\": 4, \"ffn_hidden_size\": 128, "
			    "\"intermediate_size\": 1000"));
	assert_int_equal(m.params_total,
			 2LL * (64 * (64 + 2 * 16) + 64 * 64 + 2 * 64 * 128 +
				2 * 64) +
				 65024LL * 64 + 2 * 64);
}

/* Verifies: FR-PLAN-003 */
static void test_falcon_refinedweb_configs_count_as_their_conversion(void **state)
{
	hw_model m;

	(void)state;
	/* falcon-7b's published RW-era file: model_type RefinedWebModel,
	 * n_head and n_layer; no n_head_kv, so not the new architecture */
	model_of(&m, "{\"model_type\": \"RefinedWebModel\", "
		     "\"vocab_size\": 65024, \"hidden_size\": 4544, "
		     "\"n_layer\": 32, \"n_head\": 71, \"multi_query\": true, "
		     "\"parallel_attn\": true, \"bias\": false}");
	assert_int_equal(m.attention, HW_ATT_MQA);
	assert_int_equal(m.params_total, 7217189760LL - 65024LL * 4544);
	/* falcon-40b's: model_type RefinedWeb; n_head_kv is the KV heads and
	 * makes it the new decoder architecture (two LayerNorms) */
	model_of(&m, "{\"model_type\": \"RefinedWeb\", \"vocab_size\": 65024, "
		     "\"hidden_size\": 8192, \"n_layer\": 60, \"n_head\": 128, "
		     "\"n_head_kv\": 8, \"parallel_attn\": true, "
		     "\"bias\": false}");
	assert_int_equal(m.attention, HW_ATT_GQA);
	assert_int_equal(m.kv_heads, 8);
	assert_int_equal(m.params_total, 41835970560LL - 65024LL * 8192);
}

/* Verifies: FR-PLAN-003 */
static void test_parallelism_splits_weights_and_kv_heads(void **state)
{
	hw_model m;
	hw_plan one, tp4, tp16, pp4;
	hw_plan_inputs in = inputs(4096, 1);

	(void)state;
	model_of(&m, DENSE(80, 64, 8, ""));
	one = plan(&m, in);
	in.tp = 4;
	tp4 = plan(&m, in);
	assert_true(fabs(tp4.per_gpu_weights - one.per_gpu_weights / 4) < 1);
	assert_true(fabs(tp4.per_gpu_kv - one.per_gpu_kv / 4) < 1);
	/* TP 16 > 8 KV heads: each rank keeps one head, not half of one */
	in.tp = 16;
	tp16 = plan(&m, in);
	assert_true(fabs(tp16.per_gpu_kv - one.per_gpu_kv / 8) < 1);
	assert_non_null(strstr(tp16.assumptions[tp16.nassumptions - 1],
			       "replicated"));
	in.tp = 1;
	in.pp = 4;
	pp4 = plan(&m, in);
	/* 20 layers a stage; the embedding or the head on the end stages */
	assert_true(pp4.per_gpu_weights < one.per_gpu_weights / 3.5);
	assert_true(pp4.per_gpu_kv == one.per_gpu_kv / 4);
	assert_true(fabs(pp4.weights_bytes - one.weights_bytes) < 1);
	/* TP that does not divide the heads, PP beyond the layers */
	in.pp = 1;
	in.tp = 3;
	assert_int_equal(hw_plan_compute(&pp4, &m, &in), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "--tp 3 does not divide the 64 "
						"attention heads"));
	in.tp = 1;
	in.pp = 81;
	assert_int_equal(hw_plan_compute(&pp4, &m, &in), HW_EUSAGE);
	model_of(&m, DENSE(8, 64, 8, ""));
	in.pp = 9;
	assert_int_equal(hw_plan_compute(&pp4, &m, &in), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "--pp 9 is more than the 8 "
						"layers"));
	in.pp = 1;
	snprintf(in.quant, sizeof(in.quant), "q9_z");
	assert_int_equal(hw_plan_compute(&pp4, &m, &in), HW_EUSAGE);
}

/* Verifies: FR-PLAN-004 */
static void test_fit_bands_limits_and_decode_bound(void **state)
{
	hw_model m;
	hw_plan p;
	hw_plan_inputs in = inputs(8192, 1);
	double need;

	(void)state;
	model_of(&m, "{\"hidden_size\": 4096, \"intermediate_size\": 14336, "
		     "\"num_hidden_layers\": 32, \"num_attention_heads\": 32, "
		     "\"num_key_value_heads\": 8, \"vocab_size\": 128256, "
		     "\"max_position_embeddings\": 131072}");
	need = plan(&m, in).per_gpu_bytes;
	in.gpu_memory = need / 0.5;
	in.gpu_bandwidth = 1e12;
	p = plan(&m, in);
	assert_string_equal(p.band, "green");
	assert_true(p.fits == 1);
	/* the largest context fits, one more does not (or it is the limit) */
	assert_true(hw_plan_point(&m, &in, p.max_context, 1) <= in.gpu_memory);
	assert_true(p.max_context == 131072 ||
		    hw_plan_point(&m, &in, p.max_context + 1, 1) > in.gpu_memory);
	assert_true(hw_plan_point(&m, &in, 8192, p.max_batch) <= in.gpu_memory);
	assert_true(hw_plan_point(&m, &in, 8192, p.max_batch + 1) > in.gpu_memory);
	/* decode reads weights + cache once per step */
	assert_true(fabs(p.decode_tokens_per_s -
			 1e12 / (p.per_gpu_weights + p.per_gpu_kv)) < 1e-6);
	in.gpu_memory = need / 0.8;
	assert_string_equal(plan(&m, in).band, "yellow");
	in.gpu_memory = need / 0.95;
	assert_string_equal(plan(&m, in).band, "red");
	in.gpu_memory = need * 0.9;
	p = plan(&m, in);
	assert_string_equal(p.band, "no-fit");
	assert_true(p.fits == 0);
	assert_true(p.max_context < 8192);
}

/* Verifies: FR-PLAN-003 */
static void test_quantization_bits_and_embeddings(void **state)
{
	hw_model m;
	hw_plan_inputs in = inputs(1, 1);
	hw_plan fp16, q4;

	(void)state;
	assert_true(hw_quant_bits("q4_0") == 4.5);
	assert_true(hw_quant_bits("Q8_0") == 8.5);
	assert_true(hw_quant_bits("q6_k") == 6.5625);
	assert_true(hw_quant_bits("awq") > 4 && hw_quant_bits("awq") < 4.2);
	assert_true(hw_quant_bits("nope") == 0);
	model_of(&m, DENSE(8, 64, 8, ""));
	fp16 = plan(&m, in);
	snprintf(in.quant, sizeof(in.quant), "int4");
	q4 = plan(&m, in);
	{
		/* the embedding, head and final norm stay 16-bit */
		double embed = 2.0 * 32000 * 8192 * 2 + 8192 * 2;
		double layers = fp16.weights_bytes - embed;

		assert_true(fabs(fp16.weights_bytes - m.params_total * 2.0) < 1);
		assert_true(fabs(q4.weights_bytes - (embed + layers / 4)) < 16);
	}
	/* a GPTQ checkpoint's own bits and groups (a 16-bit scale and a
	 * zero of its bits per group); like --quant, its embedding and head
	 * stay in 16 bits */
	model_of(&m, DENSE(8, 64, 8, ", \"quantization_config\": "
				    "{\"quant_method\": \"gptq\", \"bits\": 4, "
				    "\"group_size\": 128}"));
	in.quant[0] = '\0';
	q4 = plan(&m, in);
	{
		double embed = 2.0 * 32000 * 8192 * 2 + 8192 * 2; /* + norm */

		assert_true(fabs(q4.weights_bytes -
				 (embed + (fp16.weights_bytes - embed) *
						  (4 + 20.0 / 128) / 16)) < 16);
	}
	/* the checkpoint's dtype, "torch_dtype" or (transformers 4.56 on)
	 * "dtype" */
	model_of(&m, DENSE(8, 64, 8, ", \"dtype\": \"float32\""));
	q4 = plan(&m, in);
	assert_true(q4.weights_bytes == 2 * fp16.weights_bytes);
	model_of(&m, DENSE(8, 64, 8, ", \"torch_dtype\": \"float32\""));
	q4 = plan(&m, in);
	assert_true(q4.weights_bytes == 2 * fp16.weights_bytes);
	/* transformers' fp8 (DeepSeek-V3, Qwen3-FP8): 8 bits and one fp32
	 * scale per weight_block_size block; the embedding and head in 16 */
	model_of(&m, DENSE(8, 64, 8, ", \"quantization_config\": "
				    "{\"quant_method\": \"fp8\", \"fmt\": \"e4m3\", "
				    "\"weight_block_size\": [128, 128]}"));
	q4 = plan(&m, in);
	{
		double embed = 2.0 * 32000 * 8192 * 2 + 8192 * 2;

		assert_true(fabs(q4.weights_bytes -
				 (embed + (fp16.weights_bytes - embed) *
						  (8 + 32.0 / 16384) / 16)) < 16);
	}
	/* a scheme without bits (modelopt NVFP4, bitsandbytes, ...): the
	 * plan is refused unless --quant gives the bits */
	model_of(&m, DENSE(8, 64, 8, ", \"quantization_config\": "
				    "{\"quant_method\": \"bitsandbytes\", "
				    "\"load_in_4bit\": true}"));
	{
		hw_plan r;

		assert_int_equal(hw_plan_compute(&r, &m, &in), HW_EINVAL);
		assert_non_null(strstr(hw_error_last(),
				       "quant_method 'bitsandbytes') gives no "
				       "\"bits\""));
		snprintf(in.quant, sizeof(in.quant), "int4");
		r = plan(&m, in);
		assert_true(r.weights_bytes > 0);
	}
}

/* Verifies: FR-PLAN-001 */
static void test_bad_configs_name_the_key(void **state)
{
	(void)state;
	assert_int_equal(model_err("{\"hidden_size\": 64, \"num_hidden_layers\": "
				   "2, \"vocab_size\": 10}",
				   "config.json: missing or zero "
				   "\"num_attention_heads\""),
			 HW_EINVAL);
	assert_int_equal(model_err(DENSE(2, 8, 3, ""), "not a multiple of"),
			 HW_EINVAL);
	assert_int_equal(model_err("{\"hidden_size\": -4}",
				   "\"hidden_size\" must be a non-negative"),
			 HW_EINVAL);
	assert_int_equal(model_err("{\"hidden_size\": 100, \"num_hidden_layers\": "
				   "2, \"num_attention_heads\": 3, "
				   "\"intermediate_size\": 4, \"vocab_size\": 9}",
				   "does not divide"),
			 HW_EINVAL);
	assert_int_equal(model_err(DENSE(2, 8, 8, ", \"layer_types\": [\"x\", "
						  "\"y\"]"),
				   "\"layer_types\"[0] is 'x'"),
			 HW_EINVAL);
	assert_int_equal(model_err(DENSE(2, 8, 8, ", \"layer_types\": [\"x\"]"),
				   "has 1 entries"),
			 HW_EINVAL);
	assert_int_equal(model_err(DENSE(2, 8, 8, ", \"num_local_experts\": 4, "
						  "\"num_experts_per_tok\": 9"),
				   "num_experts_per_tok"),
			 HW_EINVAL);
	/* a multimodal config: the language model is its text_config */
	{
		hw_model m;

		model_of(&m, "{\"model_type\": \"llava\", \"text_config\": "
			     DENSE(2, 8, 4, "") "}");
		assert_int_equal(m.layers, 2);
		assert_int_equal(m.attention, HW_ATT_GQA);
	}
}

static void put_le(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Verifies: FR-PLAN-001 */
static void test_safetensors_headers_give_exact_sizes(void **state)
{
	const char *hdr = "{\"__metadata__\": {\"format\": \"pt\"}, "
			  "\"a\": {\"dtype\": \"BF16\", \"shape\": [4, 8], "
			  "\"data_offsets\": [0, 64]}, "
			  "\"b\": {\"dtype\": \"F32\", \"shape\": [3], "
			  "\"data_offsets\": [64, 76]}}";
	unsigned char buf[512] = {0};
	size_t n = strlen(hdr);
	hw_st_sizes z;
	FILE *f;

	(void)state;
	put_le(buf, n, 8);
	memcpy(buf + 8, hdr, n);
	hw_test_write("m.safetensors", (char *)buf, 8 + n + 76);
	assert_int_equal(hw_safetensors_header(&z, "m.safetensors"), HW_OK);
	assert_int_equal(z.params, 35);
	assert_int_equal(z.bytes, 76);
	assert_int_equal(z.head_params, 0);
	/* a header length beyond the file */
	put_le(buf, 1u << 30, 8);
	hw_test_write("lie.safetensors", (char *)buf, 8 + n + 76);
	assert_int_equal(hw_safetensors_header(&z, "lie.safetensors"), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "beyond the file"));
	/* data that the file does not hold */
	put_le(buf, n, 8);
	hw_test_write("short.safetensors", (char *)buf, 8 + n + 10);
	assert_int_equal(hw_safetensors_header(&z, "short.safetensors"),
			 HW_EINVAL);
	/* a header that is JSON but not an object (found by fuzz_safetensors) */
	memset(buf, 0, sizeof(buf));
	put_le(buf, 6, 8);
	memcpy(buf + 8, "[1, 2]", 6);
	hw_test_write("array.safetensors", (char *)buf, 8 + 6);
	assert_int_equal(hw_safetensors_header(&z, "array.safetensors"),
			 HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "not a JSON object"));
	memset(buf, 0, sizeof(buf));
	put_le(buf, n, 8);
	memcpy(buf + 8, hdr, n);
	hw_test_write("tiny.safetensors", "abc", 3);
	assert_int_equal(hw_safetensors_header(&z, "tiny.safetensors"),
			 HW_EINVAL);
	/* a Hugging Face cache folder with a config and the weights */
	assert_int_equal(hw_mkdir_p("models--acme--tiny/snapshots/0123"), HW_OK);
	f = fopen("models--acme--tiny/snapshots/0123/config.json", "w");
	assert_non_null(f);
	fputs(DENSE(2, 8, 4, ""), f);
	fclose(f);
	hw_test_write("models--acme--tiny/snapshots/0123/model.safetensors",
		      (char *)buf, 8 + n + 76);
	{
		hw_model m;

		assert_int_equal(hw_model_load(&m, "models--acme--tiny"), HW_OK);
		assert_string_equal(m.name, "acme/tiny");
		assert_int_equal(m.exact_params, 35);
		assert_int_equal(m.exact_weight_bytes, 76);
		assert_int_equal(m.params_total, 35);
	}
}

static int has_assumption(const hw_plan *p, const char *text)
{
	for (int i = 0; i < p->nassumptions; i++)
		if (strstr(p->assumptions[i], text))
			return 1;
	return 0;
}

/* Verifies: FR-PLAN-001 */
static void test_a_tied_head_stored_again_counts_once(void **state)
{
	/* falcon-7b's shards hold lm_head.weight beside the embedding it is
	 * tied to: loaded, it is the embedding's tensor, resident once */
	const char *hdr = "{\"lm_head.weight\": {\"dtype\": \"BF16\", "
			  "\"shape\": [4, 8], \"data_offsets\": [0, 64]}, "
			  "\"b\": {\"dtype\": \"F32\", \"shape\": [3], "
			  "\"data_offsets\": [64, 76]}}";
	unsigned char buf[512] = {0};

	(void)state;
	put_le(buf, strlen(hdr), 8);
	memcpy(buf + 8, hdr, strlen(hdr));
	for (int tied = 0; tied < 2; tied++) {
		const char *dir = tied ? "tied" : "untied",
			   *config = tied ? DENSE(2, 8, 4,
						  ", \"tie_word_embeddings\": true")
					  : DENSE(2, 8, 4, "");
		char path[64];
		hw_model m;
		hw_plan p;

		assert_int_equal(hw_mkdir_p(dir), HW_OK);
		snprintf(path, sizeof(path), "%s/config.json", dir);
		hw_test_write(path, config, strlen(config));
		snprintf(path, sizeof(path), "%s/model.safetensors", dir);
		hw_test_write(path, (char *)buf, 8 + strlen(hdr) + 76);
		assert_int_equal(hw_model_load(&m, dir), HW_OK);
		p = plan(&m, inputs(1024, 1));
		if (tied) {
			assert_int_equal(m.params_total, 3);
			assert_int_equal(m.exact_weight_bytes, 12);
			assert_int_equal(m.head_stored_again, 32);
			assert_true(p.weights_bytes == 12);
			assert_true(has_assumption(&p, "tied head again"));
		} else { /* an untied head is a weight of its own */
			assert_int_equal(m.params_total, 35);
			assert_int_equal(m.exact_weight_bytes, 76);
			assert_int_equal(m.head_stored_again, 0);
		}
	}
}

/* A GGUF v3 file: metadata for a llama model and two tensors. */
/* A GGUF v3 header of a 2-layer llama; the metadata key named skip (if
 * any) is left out, as converters without a tokenizer array do. */
static size_t gguf_build_without(unsigned char *b, uint64_t tensors,
				 uint64_t strlen_lie, const char *skip)
{
	size_t i = 0;
	static const struct {
		const char *key;
		uint32_t val;
	} kv[] = {{"llama.block_count", 2},
		  {"llama.embedding_length", 64},
		  {"llama.feed_forward_length", 128},
		  {"llama.attention.head_count", 4},
		  {"llama.attention.head_count_kv", 2},
		  {"llama.context_length", 2048},
		  {"llama.vocab_size", 100}};
#define STR(s)                                                                 \
	do {                                                                   \
		put_le(b + i, strlen(s), 8);                                   \
		i += 8;                                                        \
		memcpy(b + i, s, strlen(s));                                   \
		i += strlen(s);                                                \
	} while (0)

	memcpy(b, "GGUF", 4);
	put_le(b + 4, 3, 4);
	put_le(b + 8, tensors, 8);
	put_le(b + 16, skip ? 7 : 8, 8);
	i = 24;
	STR("general.architecture");
	put_le(b + i, 8, 4);
	i += 4;
	STR("llama");
	for (size_t k = 0; k < 7; k++) {
		if (skip && !strcmp(kv[k].key, skip))
			continue;
		STR(kv[k].key);
		put_le(b + i, 4, 4); /* u32 */
		i += 4;
		put_le(b + i, kv[k].val, 4);
		i += 4;
	}
	/* tensor 1: 64 x 100 in Q4_0 (32 in 18 bytes) */
	STR("token_embd.weight");
	put_le(b + i, 2, 4);
	put_le(b + i + 4, 64, 8);
	put_le(b + i + 12, 100, 8);
	put_le(b + i + 20, 2, 4);
	put_le(b + i + 24, 0, 8);
	i += 32;
	/* tensor 2: 64 in F16 */
	if (strlen_lie)
		put_le(b + i, strlen_lie, 8), i += 8;
	else
		STR("output_norm.weight");
	put_le(b + i, 1, 4);
	put_le(b + i + 4, 64, 8);
	put_le(b + i + 12, 1, 4);
	put_le(b + i + 16, 3600, 8);
	i += 24;
	return i;
#undef STR
}

static size_t gguf_build(unsigned char *b, uint64_t tensors, uint64_t strlen_lie)
{
	return gguf_build_without(b, tensors, strlen_lie, NULL);
}

/* Verifies: FR-PLAN-001 */
static void test_gguf_header_gives_shape_and_exact_bytes(void **state)
{
	static unsigned char b[16384];
	size_t n;
	hw_model m;

	(void)state;
	n = gguf_build(b, 2, 0);
	hw_test_write("m.gguf", (char *)b, n + 4096);
	if (hw_gguf_read(&m, "m.gguf"))
		fail_msg("%s", hw_error_last());
	assert_int_equal(m.layers, 2);
	assert_int_equal(m.hidden, 64);
	assert_int_equal(m.kv_heads, 2);
	assert_int_equal(m.vocab, 100);
	assert_int_equal(m.exact_params, 6400 + 64);
	assert_int_equal(m.exact_weight_bytes, 6400 / 32 * 18 + 128);
	assert_int_equal(hw_model_load(&m, "m.gguf"), HW_OK);
	assert_int_equal(m.attention, HW_ATT_GQA);
	assert_int_equal(m.params_total, 6464);
	/* a tensor count no file could hold */
	n = gguf_build(b, 1ULL << 40, 0);
	hw_test_write("count.gguf", (char *)b, n);
	assert_int_equal(hw_gguf_read(&m, "count.gguf"), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "count larger than the file"));
	/* a string length that runs past the end */
	n = gguf_build(b, 2, 1ULL << 33);
	hw_test_write("str.gguf", (char *)b, n);
	assert_int_equal(hw_gguf_read(&m, "str.gguf"), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "string length runs past"));
	/* truncated in the middle of the metadata; not GGUF at all */
	n = gguf_build(b, 2, 0);
	hw_test_write("cut.gguf", (char *)b, 100);
	assert_int_equal(hw_gguf_read(&m, "cut.gguf"), HW_EINVAL);
	hw_test_write("not.gguf", "GGML and more bytes here, 24+", 29);
	assert_int_equal(hw_gguf_read(&m, "not.gguf"), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "no GGUF magic"));
}

/* Verifies: FR-PLAN-001 */
static void test_gguf_vocabulary_from_the_embedding_shape(void **state)
{
	static unsigned char b[16384];
	size_t n;
	hw_model m;

	(void)state;
	/* no tokenizer.ggml.tokens and no llama.vocab_size: the vocabulary
	 * is token_embd.weight's second dimension (64 x 100) */
	n = gguf_build_without(b, 2, 0, "llama.vocab_size");
	hw_test_write("novocab.gguf", (char *)b, n + 4096);
	if (hw_model_load(&m, "novocab.gguf"))
		fail_msg("%s", hw_error_last());
	assert_int_equal(m.vocab, 100);
	assert_int_equal(m.layers, 2);
	assert_int_equal(m.params_total, 6464);
	/* a key really missing is named, alone */
	n = gguf_build_without(b, 2, 0, "llama.block_count");
	hw_test_write("noblocks.gguf", (char *)b, n + 4096);
	assert_int_equal(hw_gguf_read(&m, "noblocks.gguf"), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "lacks llama.block_count"));
	assert_null(strstr(hw_error_last(), "embedding_length"));
	assert_null(strstr(hw_error_last(), "vocab"));
	n = gguf_build_without(b, 2, 0, "llama.embedding_length");
	hw_test_write("nohidden.gguf", (char *)b, n + 4096);
	assert_int_equal(hw_gguf_read(&m, "nohidden.gguf"), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "lacks llama.embedding_length"));
	assert_null(strstr(hw_error_last(), "block_count"));
	/* and without the embedding tensor either, the vocabulary is what
	 * is missing */
	n = gguf_build_without(b, 2, 0, "llama.vocab_size");
	for (size_t k = 0; k + 10 <= n; k++)
		if (!memcmp(b + k, "token_embd", 10))
			b[k + 9] = 'x'; /* token_embx.weight */
	hw_test_write("noembd.gguf", (char *)b, n + 4096);
	assert_int_equal(hw_gguf_read(&m, "noembd.gguf"), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "no vocabulary"));
	assert_null(strstr(hw_error_last(), "block_count"));
}

/* Verifies: FR-PLAN-005 */
static void test_sweep_matches_single_points(void **state)
{
	hw_model m;
	hw_plan_inputs in = inputs(1, 1);
	long ctx[3] = {1024, 4096, 65536}, batch[2] = {1, 8};
	double grid[6];

	(void)state;
	model_of(&m, DENSE(8, 64, 8, ", \"sliding_window\": 4096"));
	assert_int_equal(hw_plan_sweep(grid, &m, &in, ctx, 3, batch, 2), HW_OK);
	for (int b = 0; b < 2; b++)
		for (int c = 0; c < 3; c++)
			assert_true(grid[b * 3 + c] ==
				    hw_plan_point(&m, &in, ctx[c], batch[b]));
	/* past the window the cache stops growing, activations do not */
	assert_true(grid[2] - grid[1] < grid[1] - grid[0] + 1e9);
}

/* Verifies: FR-PLAN-006 */
static void test_plan_check_files_pass_fail_and_refuse(void **state)
{
	const char *engines = "{\"engines\": [{\"name\": \"vllm\", "
			      "\"fixed_overhead_gib\": 1, \"activation_factor\": 1, "
			      "\"memory_utilization\": 0.9}]}";
	const char *good = "{\"name\": \"good\", \"model\": \"m.json\", "
			   "\"inputs\": {\"ctx\": 100, \"tp\": 2}, \"expect\": "
			   "{\"kv_bytes_per_token\": 1048576, \"attention\": \"MHA\", "
			   "\"params_total\": {\"min\": 1e10, \"max\": 4e10}}}";
	const char *bad = "{\"name\": \"bad\", \"model\": \"m.json\", "
			  "\"expect\": {\"kv_bytes_per_token\": 1, \"band\": "
			  "\"green\", \"nope\": 1, \"params_total\": {\"max\": 10}}}";
	const char *model = DENSE(32, 64, 64, "");
	cJSON *r = NULL;
	const cJSON *fails;

	(void)state;
	assert_int_equal(hw_mkdir_p("planner"), HW_OK);
	hw_test_write("planner/engines.json", engines, strlen(engines));
	hw_test_write("m.json", model, strlen(model));
	hw_test_write("good.json", good, strlen(good));
	hw_test_write("bad.json", bad, strlen(bad));
	assert_int_equal(hw_plan_check_file(&r, "good.json"), HW_OK);
	if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")))
		fail_msg("%s", cJSON_PrintUnformatted(cJSON_GetObjectItem(r, "failures")));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r, "failures")), 0);
	cJSON_Delete(r);
	assert_int_equal(hw_plan_check_file(&r, "bad.json"), HW_OK);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")));
	fails = cJSON_GetObjectItem(r, "failures");
	assert_int_equal(cJSON_GetArraySize(fails), 4);
	assert_string_equal(cJSON_GetArrayItem(fails, 0)->valuestring,
			    "kv_bytes_per_token: got 1048576, expected 1");
	assert_string_equal(cJSON_GetArrayItem(fails, 1)->valuestring,
			    "band: got null, expected \"green\"");
	assert_string_equal(cJSON_GetArrayItem(fails, 2)->valuestring,
			    "nope: no such output key");
	assert_non_null(strstr(cJSON_GetArrayItem(fails, 3)->valuestring,
			       "is outside"));
	cJSON_Delete(r);
	hw_test_write("odd.json", "{\"model\": 3}", 12);
	assert_int_equal(hw_plan_check_file(&r, "odd.json"), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "needs \"name\", \"model\""));
	assert_null(r);
}

/* The plan check text refused with want. */
static void check_refused(const char *text, const char *want)
{
	cJSON *r = NULL;

	hw_test_write("c.json", text, strlen(text));
	assert_int_equal(hw_plan_check_file(&r, "c.json"), HW_EINVAL);
	assert_string_equal(hw_error_last(), want);
	assert_null(r);
}

/* An input misspelt or of another type was a silent default (the check
 * passed for ctx 4096), a ctx of 1e300 was cast to long (undefined), and
 * an unknown GPU or engine, a missing model or a count out of range was
 * refused without the check's line, or as the CLI's --ctx. */
/* Verifies: FR-PLAN-006 */
static void test_plan_check_inputs_are_refused_at_their_line(void **state)
{
	const char *engines = "{\"engines\": [{\"name\": \"vllm\", "
			      "\"fixed_overhead_gib\": 1, \"activation_factor\": 1, "
			      "\"memory_utilization\": 0.9}]}";
	const char *model = DENSE(32, 64, 64, "");

	(void)state;
	assert_int_equal(hw_mkdir_p("planner"), HW_OK);
	hw_test_write("planner/engines.json", engines, strlen(engines));
	hw_test_write("m.json", model, strlen(model));
#define CHECK(inputs) \
	"{\"name\": \"n\", \"model\": \"m.json\",\n \"inputs\": " inputs \
	",\n \"expect\": {}}\n"
	check_refused(CHECK("{\"ctxx\": 8192}"),
		      "c.json:2:21: ctxx: unknown input (ctx, batch, tp, pp, "
		      "quant, kv_dtype, engine, gpu)");
	check_refused(CHECK("{\"ctx\": \"8192\"}"),
		      "c.json:2:20: ctx: expected a whole number from 1 to "
		      "67108864");
	check_refused(CHECK("{\"ctx\": 1e300}"),
		      "c.json:2:20: ctx: expected a whole number from 1 to "
		      "67108864");
	check_refused(CHECK("{\"tp\": 0}"),
		      "c.json:2:19: tp: expected a whole number from 1 to 1024");
	check_refused(CHECK("{\"tp\": 2, \"tp\": 4}"),
		      "c.json:2:19: tp: given twice");
	check_refused(CHECK("{\"engine\": \"vlm\"}"),
		      "c.json:2:23: engine: no engine named 'vlm' in this "
		      "catalog; its names: vllm");
	check_refused(CHECK("{\"quant\": \"q9\"}"),
		      "c.json:2:12: unknown quantization 'q9': one of fp32, "
		      "float32, fp16, float16, bf16, bfloat16, fp8, int8, "
		      "int4, awq, gptq, q4_0, q4_1, q5_0, q5_1, q8_0, q2_k, "
		      "q3_k, q4_k, q5_k, q6_k, q4_k_m, q5_k_m, iq4_xs, f32, "
		      "f16 (any case)");
	check_refused(CHECK("7"), "c.json:2:12: \"inputs\" must be an object");
	check_refused("{\"name\": \"n\",\n \"model\": \"no.json\",\n"
		      " \"expect\": {}}\n",
		      "c.json:2:11: no such model file 'no.json'");
	check_refused("{\"name\": \"n\", \"model\": \"m.json\",\n"
		      " \"expect\": 5}\n",
		      "c.json:2:12: a plan check needs \"name\", \"model\" and "
		      "\"expect\"");
	/* a catalog that is itself bad is named, not the check's engine */
	hw_test_write("planner/engines.json", "{\"engines\": [", 13);
	check_refused(CHECK("{\"ctx\": 8192}"),
		      "planner/engines.json:1:13: invalid JSON");
#undef CHECK
}

/* A range misspelt ({"mni": 8e9}) or with a bound as a string compared
 * nothing (or with 0), and the check passed for any value. */
/* Verifies: FR-PLAN-006 */
static void test_plan_check_ranges_are_refused_unless_min_max(void **state)
{
	const char *engines = "{\"engines\": [{\"name\": \"vllm\", "
			      "\"fixed_overhead_gib\": 1, \"activation_factor\": 1, "
			      "\"memory_utilization\": 0.9}]}";
	const char *model = DENSE(32, 64, 64, "");

	(void)state;
	assert_int_equal(hw_mkdir_p("planner"), HW_OK);
	hw_test_write("planner/engines.json", engines, strlen(engines));
	hw_test_write("m.json", model, strlen(model));
#define CHECK(expect) \
	"{\"name\": \"n\", \"model\": \"m.json\",\n \"expect\": {\n" \
	"  \"params_total\": " expect "}}\n"
	check_refused(CHECK("{\"mni\": 8e9}"),
		      "c.json:3:19: params_total: a range is {\"min\": N, "
		      "\"max\": N} (one or both)");
	check_refused(CHECK("{\"min\": \"8e9\"}"),
		      "c.json:3:19: params_total: a range is {\"min\": N, "
		      "\"max\": N} (one or both)");
	check_refused(CHECK("{}"),
		      "c.json:3:19: params_total: a range is {\"min\": N, "
		      "\"max\": N} (one or both)");
#undef CHECK
}

#define CATALOG(prices)                                                        \
	"{\"gpus\": [{\"name\": \"Big\", \"memory_gib\": 80, "                 \
	"\"bandwidth_gb_s\": 2000}, {\"name\": \"Small\", \"memory_gib\": 24, " \
	"\"bandwidth_gb_s\": 1000}], \"prices\": [" prices "]}"

static int catalog_err(const char *json, const char *msg)
{
	hw_offer *o = NULL;
	size_t n = 9;
	int err;

	hw_test_write("gpus.json", json, strlen(json));
	err = hw_offers_load(&o, &n, "gpus.json");
	assert_null(o);
	assert_int_equal(n, 0);
	if (!strstr(hw_error_last(), msg))
		fail_msg("'%s' lacks '%s'", hw_error_last(), msg);
	return err;
}

/* Verifies: FR-PLAN-007 */
static void test_cheapest_layouts_per_price(void **state)
{
	const char *cat = CATALOG(
		"{\"gpu\": \"Big\", \"provider\": \"A\", \"usd_per_hour\": 4, "
		"\"as_of\": \"2026-05-07\", \"source\": \"https://a.example\"},"
		"{\"gpu\": \"small\", \"provider\": \"B\", \"usd_per_hour\": 1, "
		"\"as_of\": \"2026-06\", \"source\": \"https://b.example\"},"
		"{\"gpu\": \"Big\", \"provider\": \"Cloud\", \"gpus\": 8, "
		"\"usd_per_hour\": 20, \"as_of\": \"2026-03\", "
		"\"source\": \"https://c.example\"}");
	hw_offer *o = NULL;
	hw_choice *c = NULL;
	size_t n = 0, k = 0;
	hw_model m;
	hw_plan_inputs in = inputs(4096, 1);

	(void)state;
	/* Llama 2 13B: 26 GB of bf16 weights, more than one Small GPU */
	model_of(&m, "{\"hidden_size\": 5120, \"intermediate_size\": 13824, "
		     "\"num_hidden_layers\": 40, \"num_attention_heads\": 40, "
		     "\"num_key_value_heads\": 40, \"vocab_size\": 32000, "
		     "\"torch_dtype\": \"bfloat16\"}");
	hw_test_write("gpus.json", cat, strlen(cat));
	assert_int_equal(hw_offers_load(&o, &n, "gpus.json"), HW_OK);
	assert_int_equal(n, 3);
	assert_string_equal(o[1].gpu.name, "Small");
	assert_int_equal(o[1].gpus, 1);
	assert_int_equal(o[2].gpus, 8);
	assert_string_equal(o[1].as_of, "2026-06");
	assert_string_equal(o[2].source, "https://c.example");
	assert_int_equal(hw_plan_cheapest(&c, &k, &m, &in, o, n, 1.0), HW_OK);
	assert_int_equal(k, 3);
	/* Small needs two GPUs; TP 2 beats PP 2 on tokens per dollar */
	assert_ptr_equal(c[0].offer, &o[1]);
	assert_int_equal(c[0].tp, 2);
	assert_int_equal(c[0].pp, 1);
	assert_true(c[0].usd_per_hour == 2.0);
	assert_ptr_equal(c[1].offer, &o[0]);
	assert_int_equal(c[1].tp * c[1].pp, 1);
	assert_true(c[1].usd_per_hour == 4.0);
	/* a whole 8-GPU instance is paid for, so all 8 work (TP 8) */
	assert_ptr_equal(c[2].offer, &o[2]);
	assert_int_equal(c[2].tp, 8);
	assert_int_equal(c[2].pp, 1);
	assert_true(c[2].usd_per_hour == 20.0);
	for (size_t i = 0; i < k; i++) {
		assert_true(c[i].plan.fits == 1);
		assert_true(fabs(c[i].usd_per_mtok -
				 c[i].usd_per_hour * 1e6 /
					 (3600 * c[i].plan.decode_tokens_per_s)) <
			    1e-9);
	}
	/* one Small GPU is not enough: the plan says so */
	in.gpu_memory = o[1].gpu.memory_bytes;
	assert_true(plan(&m, in).fits == 0);
	in.gpu_memory = 0;
	free(c);
	/* a ceiling on use leaves nothing that fits */
	assert_int_equal(hw_plan_cheapest(&c, &k, &m, &in, o, n, 0.001), HW_OK);
	assert_int_equal(k, 0);
	assert_null(c);
	assert_int_equal(hw_plan_cheapest(&c, &k, &m, &in, o, n, 0), HW_EUSAGE);
	in.batch = 0;
	assert_int_equal(hw_plan_cheapest(&c, &k, &m, &in, o, n, 1), HW_EUSAGE);
	free(o);
}

/* Verifies: FR-PLAN-007 */
static void test_price_age_in_days(void **state)
{
	(void)state;
	assert_int_equal(hw_price_age_days("2026-05-07", "2026-11-25"), 202);
	assert_int_equal(hw_price_age_days("2026-06", "2026-06-30"), 29);
	assert_int_equal(hw_price_age_days("2028-02-28", "2028-03-01"), 2);
	assert_int_equal(hw_price_age_days("2027-02-28", "2027-03-01"), 1);
	assert_int_equal(hw_price_age_days("1999-12-31", "2000-01-01"), -1);
	assert_int_equal(hw_price_age_days("2026-11-25", "2026-05-07"), -202);
	assert_int_equal(hw_price_age_days("2026-13-01", "2026-11-25"), -1);
	assert_int_equal(hw_price_age_days("2026-01-01", "tomorrow"), -1);
}

/* Verifies: FR-PLAN-007 */
static void test_bad_prices_are_refused(void **state)
{
	const char *src = ", \"source\": \"s\"}";
	char buf[512];

	(void)state;
	assert_int_equal(catalog_err("{\"gpus\": []}", "no \"prices\" list"),
			 HW_EINVAL);
	assert_int_equal(catalog_err(CATALOG("{\"gpu\": \"Big\"}"),
				     "prices[0] needs \"gpu\""),
			 HW_EINVAL);
#define BAD(entry, msg)                                                        \
	snprintf(buf, sizeof(buf), CATALOG("%s%s"), entry, src);               \
	assert_int_equal(catalog_err(buf, msg), HW_EINVAL)
	BAD("{\"gpu\": \"TPU\", \"provider\": \"p\", \"usd_per_hour\": 1, "
	    "\"as_of\": \"2026-01-01\"",
	    "prices[0]: no GPU named 'TPU'");
	BAD("{\"gpu\": \"Big\", \"provider\": \"p\", \"usd_per_hour\": -1, "
	    "\"as_of\": \"2026-01-01\"",
	    "\"usd_per_hour\" must be a positive number");
	BAD("{\"gpu\": \"Big\", \"provider\": \"p\", \"usd_per_hour\": \"1\", "
	    "\"as_of\": \"2026-01-01\"",
	    "\"usd_per_hour\" must be a positive number");
	BAD("{\"gpu\": \"Big\", \"provider\": \"p\", \"usd_per_hour\": 1, "
	    "\"as_of\": \"2026-13-01\"",
	    "\"as_of\" must be a date");
	BAD("{\"gpu\": \"Big\", \"provider\": \"p\", \"usd_per_hour\": 1, "
	    "\"as_of\": \"May 2026\"",
	    "\"as_of\" must be a date");
	BAD("{\"gpu\": \"Big\", \"provider\": \"p\", \"usd_per_hour\": 1, "
	    "\"as_of\": \"2026-02-30\"",
	    "\"as_of\" must be a date");
	BAD("{\"gpu\": \"Big\", \"provider\": \"p\", \"usd_per_hour\": 1",
	    "\"as_of\" must be a date");
	BAD("{\"gpu\": \"Big\", \"provider\": \"p\", \"usd_per_hour\": 1, "
	    "\"as_of\": \"2026-01\", \"gpus\": 1.5",
	    "\"gpus\" must be a whole number");
	BAD("{\"gpu\": \"Big\", \"provider\": \"p\", \"usd_per_hour\": 1, "
	    "\"as_of\": \"2026-01\", \"gpus\": 0",
	    "\"gpus\" must be a whole number");
#undef BAD
	/* the second entry is named when the first is fine */
	snprintf(buf, sizeof(buf),
		 CATALOG("{\"gpu\": \"Big\", \"provider\": \"p\", "
			 "\"usd_per_hour\": 1, \"as_of\": \"2026-01\"%s, "
			 "{\"gpu\": \"Big\", \"usd_per_hour\": 1}"),
		 src);
	assert_int_equal(catalog_err(buf, "prices[1] needs"), HW_EINVAL);
	hw_test_write("gpus.json", "{\"prices\": [", 12);
	{
		hw_offer *o = NULL;
		size_t n;

		assert_int_equal(hw_offers_load(&o, &n, "gpus.json"), HW_EINVAL);
		assert_non_null(strstr(hw_error_last(), "gpus.json:1"));
	}
}

/* Verifies: FR-PLAN-004, FR-PLAN-007 */
static void test_catalog_entries_are_bounded_and_refused_at_their_line(
	void **state)
{
	const char *gpus =
		"{\"gpus\": [\n"
		"  {\"name\": \"Big\", \"memory_gib\": 80, "
		"\"bandwidth_gb_s\": 2000},\n"
		"  {\"name\": \"Huge\", \"memory_gib\": 1e308, "
		"\"bandwidth_gb_s\": 2000}],\n"
		" \"prices\": [\n"
		"  {\"gpu\": \"Big\", \"provider\": \"p\", \"source\": \"s\", "
		"\"usd_per_hour\": 1, \"as_of\": \"2026-01\"},\n"
		"  {\"gpu\": \"Big\", \"provider\": \"p\", \"source\": \"s\", "
		"\"usd_per_hour\": 1}]}\n";
	const char *engines =
		"{\"engines\": [\n"
		"  {\"name\": \"vllm\", \"fixed_overhead_gib\": 1, "
		"\"activation_factor\": 1e308, \"memory_utilization\": 0.9}]}\n";
	hw_gpu g;
	hw_engine e;
	hw_offer *o = NULL;
	size_t n;

	(void)state;
	hw_test_write("gpus.json", gpus, strlen(gpus));
	assert_int_equal(hw_gpu_find(&g, "gpus.json", "big"), HW_OK);
	assert_true(g.memory_bytes == 80.0 * 1073741824.0);
	/* 1e308 GiB overflows to an infinite byte count: "0.0% of inf GiB" */
	assert_int_equal(hw_gpu_find(&g, "gpus.json", "Huge"), HW_EINVAL);
	assert_string_equal(hw_error_last(),
			    "gpus.json:3: GPU 'Huge' needs \"memory_gib\" from "
			    "1/1024 to 65536 and \"bandwidth_gb_s\" from "
			    "0.001 to 1000000");
	assert_int_equal(hw_offers_load(&o, &n, "gpus.json"), HW_EINVAL);
	assert_string_equal(hw_error_last(),
			    "gpus.json:6: prices[1]: \"as_of\" must be a date "
			    "(YYYY-MM-DD or YYYY-MM)");
	assert_null(o);
	hw_test_write("engines.json", engines, strlen(engines));
	assert_int_equal(hw_engine_find(&e, "engines.json", "vllm"), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "engines.json:2: engine 'vllm' "
						"needs "));
}

/* Kimi K2 (model_type kimi_k2) is DeepSeek-V3's architecture: MLA, dense
 * first layers, routed and shared experts, and the router's correction
 * bias, which DeepSeek-V2 lacks. */
/* Verifies: FR-PLAN-001, FR-PLAN-003 */
static void test_kimi_k2_counts_as_deepseek_v3(void **state)
{
#define DSV3(type)                                                             \
	"{\"model_type\": \"" type "\", \"hidden_size\": 64, "                \
	"\"intermediate_size\": 128, \"moe_intermediate_size\": 32, "         \
	"\"num_hidden_layers\": 3, \"first_k_dense_replace\": 1, "            \
	"\"num_attention_heads\": 4, \"num_key_value_heads\": 4, "            \
	"\"n_routed_experts\": 8, \"num_experts_per_tok\": 2, "               \
	"\"n_shared_experts\": 1, \"kv_lora_rank\": 16, \"q_lora_rank\": 24, " \
	"\"qk_rope_head_dim\": 8, \"qk_nope_head_dim\": 16, "                 \
	"\"v_head_dim\": 16, \"vocab_size\": 100}"
	hw_model k, v3, v2;

	(void)state;
	model_of(&k, DSV3("kimi_k2"));
	model_of(&v3, DSV3("deepseek_v3"));
	model_of(&v2, DSV3("deepseek_v2"));
	assert_int_equal(k.params_total, v3.params_total);
	assert_int_equal(k.params_active, v3.params_active);
	assert_int_equal(k.attention, HW_ATT_MLA);
	/* two MoE layers, each with a correction bias of one per expert */
	assert_int_equal(k.params_total - v2.params_total, 2 * 8);
	/* its class (DeepSeek-V3's DeepseekV3Config) does not tie the head */
	assert_int_equal(k.tie_embeddings, 0);
	assert_int_equal(k.tie_source, HW_TIE_CLASS_DEFAULT);
#undef DSV3
}

static void put(const char *path, const char *text)
{
	hw_test_write(path, text, strlen(text));
}

/* ModelOpt's hf_quant_config.json beside a config.json: quant_algo sizes
 * the weights with their scales, kv_cache_quant_algo the KV cache unless
 * --kv-dtype is given, exclude_modules stays in 16 bits. */
/* Verifies: FR-PLAN-001, FR-PLAN-003 */
static void test_hf_quant_config_sizes_weights_kv_and_kept_modules(
	void **state)
{
	hw_plan_inputs in = inputs(1, 1);
	hw_plan bf, q;
	hw_model m;
	double embed = 2.0 * 32000 * 8192 * 2 + 8192 * 2, layers;
	/* the 4 layers' two norms, which ModelOpt leaves in 16 bits */
	double norms = 4.0 * 2 * 8192 * 2;

	(void)state;
	assert_int_equal(mkdir("d", 0755), 0);
	put("d/config.json", DENSE(4, 64, 8, ""));
	assert_int_equal(hw_model_load(&m, "d"), HW_OK);
	bf = plan(&m, in);
	layers = bf.weights_bytes - embed;
	/* NVFP4: 4 bits and an e4m3 scale per group_size (16) */
	put("d/hf_quant_config.json",
	    "{\"producer\": {\"name\": \"modelopt\"}, \"quantization\": "
	    "{\"quant_algo\": \"NVFP4\", \"kv_cache_quant_algo\": \"FP8\", "
	    "\"group_size\": 16, \"exclude_modules\": [\"lm_head\", "
	    "\"model.layers.1.self_attn.q_proj\", "
	    "\"model.layers.1.self_attn.q_proj\", \"model.layers.9*\", "
	    "\"vision_tower*\"]}}");
	assert_int_equal(hw_model_load(&m, "d"), HW_OK);
	assert_true(m.quant_weight_bits == 4.5);
	assert_string_equal(hw_kv_dtype(&m, &in), "fp8");
	/* layer 1's q_proj once, however often it is named; layer 9 is not
	 * built; the vision tower is not understood */
	assert_int_equal(m.keep16[1], HW_KEEP_Q);
	assert_int_equal(hw_layer_kept16(&m, 1, 0), 8192LL * 8192);
	assert_int_equal(m.keep_unsized, 1);
	assert_string_equal(m.keep_unsized_first, "vision_tower*");
	q = plan(&m, in);
	assert_true(fabs(q.weights_bytes -
			 (embed + (layers - 8192.0 * 8192 * 2 - norms) * 4.5 / 16 +
			  8192.0 * 8192 * 2 + norms)) < 16);
	assert_true(q.kv_bytes_per_token == bf.kv_bytes_per_token / 2);
	snprintf(in.kv_dtype, sizeof(in.kv_dtype), "fp16");
	assert_string_equal(hw_kv_dtype(&m, &in), "fp16");
	in.kv_dtype[0] = '\0';
	/* int4 AWQ: an fp16 scale per group (absent: 128), and a 4-bit
	 * zero with has_zero_point */
	put("d/hf_quant_config.json",
	    "{\"quantization\": {\"quant_algo\": \"W4A16_AWQ\", "
	    "\"has_zero_point\": true}}");
	assert_int_equal(hw_model_load(&m, "d"), HW_OK);
	assert_true(m.quant_weight_bits == 4 + 20.0 / 128);
	assert_string_equal(hw_kv_dtype(&m, &in), "fp16");
	/* the module names of exclude_modules */
	assert_int_equal(hw_keep_bits(&m, ""), HW_KEEP_LAYER);
	assert_int_equal(hw_keep_bits(&m, "mlp.gate"), HW_KEEP_ROUTER);
	assert_int_equal(hw_keep_bits(&m, "self_attn.kv_b_proj*"),
			 HW_KEEP_KVB);
	assert_int_equal(hw_keep_bits(&m, "mlp.gate_proj"), 0);
	/* an algorithm it cannot size: refused when planned, not bf16 */
	put("d/hf_quant_config.json",
	    "{\"quantization\": {\"quant_algo\": \"W4A8_MXFP4_FP8\"}}");
	assert_int_equal(hw_model_load(&m, "d"), HW_OK);
	assert_int_equal(hw_plan_compute(&q, &m, &in), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(),
			       "d/hf_quant_config.json:1:33: \"quant_algo\" "
			       "'W4A8_MXFP4_FP8' is not a scheme"));
}

/* Newer ModelOpt exports write the same settings into the config.json's
 * quantization_config (quant_method "modelopt"): quant_algo, its group
 * size in config_groups, kv_cache_scheme as an object or a name, and
 * ignore; they are read by the same table as hf_quant_config.json's, and
 * the config's own wins over a file beside it. */
/* Verifies: FR-PLAN-001, FR-PLAN-003 */
static void test_modelopt_quantization_config_in_config_json(void **state)
{
	hw_plan_inputs in = inputs(1, 1);
	hw_plan bf, q;
	hw_model m;
	double embed = 2.0 * 32000 * 8192 * 2 + 8192 * 2, layers;
	/* the 4 layers' two norms, which ModelOpt leaves in 16 bits */
	double norms = 4.0 * 2 * 8192 * 2;

	(void)state;
	assert_int_equal(mkdir("d", 0755), 0);
	put("d/config.json", DENSE(4, 64, 8, ""));
	assert_int_equal(hw_model_load(&m, "d"), HW_OK);
	bf = plan(&m, in);
	layers = bf.weights_bytes - embed;
	put("d/config.json",
	    DENSE(4, 64, 8, ", \"quantization_config\": {\"config_groups\": "
			    "{\"group_0\": {\"weights\": {\"num_bits\": 4, "
			    "\"type\": \"float\", \"group_size\": 32}}}, "
			    "\"ignore\": [\"lm_head\", "
			    "\"model.layers.1.self_attn.q_proj\", "
			    "\"model.embed_tokens\", \"vision_tower*\"], "
			    "\"quant_algo\": \"NVFP4\", \"kv_cache_scheme\": "
			    "{\"dynamic\": false, \"num_bits\": 8, \"type\": "
			    "\"int\"}, \"quant_method\": \"modelopt\"}"));
	/* a file beside it that says otherwise is not read */
	put("d/hf_quant_config.json",
	    "{\"quantization\": {\"quant_algo\": \"FP8\"}}");
	assert_int_equal(hw_model_load(&m, "d"), HW_OK);
	assert_true(m.quant_weight_bits == 4 + 8.0 / 32);
	assert_string_equal(hw_kv_dtype(&m, &in), "int8");
	assert_int_equal(m.keep16[1], HW_KEEP_Q);
	/* the embedding stays in 16 bits anyway; not a multimodal config,
	 * so the tower is an entry not understood */
	assert_int_equal(m.keep_unsized, 1);
	assert_string_equal(m.keep_unsized_first, "vision_tower*");
	q = plan(&m, in);
	assert_true(fabs(q.weights_bytes -
			 (embed + (layers - 8192.0 * 8192 * 2 - norms) * 4.25 / 16 +
			  8192.0 * 8192 * 2 + norms)) < 16);
	/* as ModelOpt's converter first wrote it: no quant_method, a
	 * producer, and the KV scheme as a name */
	put("d/config.json",
	    DENSE(4, 64, 8, ", \"quantization_config\": {\"ignore\": "
			    "[\"lm_head\"], \"quant_algo\": \"FP8\", "
			    "\"kv_cache_scheme\": \"FP8\", \"producer\": "
			    "{\"name\": \"modelopt\"}}"));
	assert_int_equal(hw_model_load(&m, "d"), HW_OK);
	assert_true(m.quant_weight_bits == 8);
	assert_string_equal(hw_kv_dtype(&m, &in), "fp8");
	/* kv_cache_quant_algo, which vLLM also reads there */
	put("d/config.json",
	    DENSE(4, 64, 8, ", \"quantization_config\": {\"quant_algo\": "
			    "\"W4A16_AWQ\", \"kv_cache_quant_algo\": \"FP8\", "
			    "\"quant_method\": \"modelopt\"}"));
	assert_int_equal(hw_model_load(&m, "d"), HW_OK);
	assert_true(m.quant_weight_bits == 4 + 16.0 / 128);
	assert_string_equal(hw_kv_dtype(&m, &in), "fp8");
	/* what it cannot size: refused at the line of the value */
	put("d/config.json",
	    DENSE(4, 64, 8, ",\n\"quantization_config\": {\n\"quant_algo\": "
			    "\"MIXED_PRECISION\",\n\"kv_cache_scheme\": "
			    "{\"num_bits\": 4, \"type\": \"float\"},\n"
			    "\"quant_method\": \"modelopt\"}"));
	assert_int_equal(hw_model_load(&m, "d"), HW_OK);
	assert_int_equal(hw_plan_compute(&q, &m, &in), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(),
			       "d/config.json:3:15: \"quant_algo\" "
			       "'MIXED_PRECISION' is not a scheme"));
	snprintf(in.quant, sizeof(in.quant), "int4");
	assert_int_equal(hw_plan_compute(&q, &m, &in), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(),
			       "d/config.json:4:20: \"kv_cache_scheme\" "
			       "'num_bits 4, type float' is not a KV cache "
			       "dtype"));
	/* a KV scheme of another type is refused when read */
	put("d/config.json",
	    DENSE(4, 64, 8, ", \"quantization_config\": {\"quant_algo\": "
			    "\"FP8\", \"kv_cache_scheme\": 8, \"quant_method\": "
			    "\"modelopt\"}"));
	assert_int_equal(hw_model_load(&m, "d"), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(),
			       "\"kv_cache_scheme\" a string, an object or "
			       "null"));
	/* and a scheme that is not ModelOpt's is still refused as before */
	put("d/config.json",
	    DENSE(4, 64, 8, ", \"quantization_config\": {\"quant_algo\": "
			    "\"NVFP4\", \"quant_method\": \"compressed-tensors\"}"));
	in.quant[0] = '\0';
	assert_int_equal(unlink("d/hf_quant_config.json"), 0);
	assert_int_equal(hw_model_load(&m, "d"), HW_OK);
	assert_int_equal(hw_plan_compute(&q, &m, &in), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "gives no \"bits\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kv_bytes_match_the_worked_values),
		cmocka_unit_test(test_attention_is_classified_with_a_reason),
		cmocka_unit_test(test_moe_counts_total_and_active_parameters),
		cmocka_unit_test(test_neox_biases_and_mamba2_mixer_follow_their_keys),
		cmocka_unit_test(test_qwen3_counts_q_k_norms_and_its_sparse_layers),
		cmocka_unit_test(test_attention_and_mlp_bias_keys_are_counted),
		cmocka_unit_test(test_qwen_windows_only_layers_from_max_window_layers),
		cmocka_unit_test(test_gemma3_counts_its_norms_windows_and_class_defaults),
		cmocka_unit_test(test_gpt_oss_counts_biases_sinks_and_mxfp4_experts),
		cmocka_unit_test(test_llama4_counts_interleaved_moe_and_chunked_layers),
		cmocka_unit_test(test_olmo2_granite_and_smollm3_count_as_published),
		cmocka_unit_test(test_falcon_shape_follows_its_config_keys),
		cmocka_unit_test(test_falcon_refinedweb_configs_count_as_their_conversion),
		cmocka_unit_test(test_parallelism_splits_weights_and_kv_heads),
		cmocka_unit_test(test_fit_bands_limits_and_decode_bound),
		cmocka_unit_test(test_quantization_bits_and_embeddings),
		cmocka_unit_test(test_bad_configs_name_the_key),
		hw_tmp_test(test_safetensors_headers_give_exact_sizes),
		hw_tmp_test(test_gguf_header_gives_shape_and_exact_bytes),
		cmocka_unit_test(test_a_tied_head_stored_again_counts_once),
		cmocka_unit_test(test_gguf_vocabulary_from_the_embedding_shape),
		cmocka_unit_test(test_sweep_matches_single_points),
		hw_tmp_test(test_plan_check_files_pass_fail_and_refuse),
		hw_tmp_test(test_plan_check_inputs_are_refused_at_their_line),
		hw_tmp_test(test_plan_check_ranges_are_refused_unless_min_max),
		hw_tmp_test(test_cheapest_layouts_per_price),
		hw_tmp_test(test_bad_prices_are_refused),
		hw_tmp_test(test_catalog_entries_are_bounded_and_refused_at_their_line),
		cmocka_unit_test(test_price_age_in_days),
		cmocka_unit_test(test_kimi_k2_counts_as_deepseek_v3),
		hw_tmp_test(test_hf_quant_config_sizes_weights_kv_and_kept_modules),
		hw_tmp_test(test_modelopt_quantization_config_in_config_json),
	};

	return cmocka_run_group_tests_name("planner", tests, NULL, NULL);
}
