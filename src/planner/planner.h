/*
 * planner.h — the LLM memory planner.
 *
 * Owns: model ingest (Hugging Face config.json with its text_config, a
 * folder or cache snapshot with safetensors headers, GGUF headers), the
 * attention classifier, parameter counts (dense, MoE with shared experts and
 * dense-first layers, MLA, SSM, hybrids), the memory model (weights by dtype
 * and quantization, KV cache, activations, engine overhead) split under
 * tensor and pipeline parallelism, the fit against a GPU, sweeps, engine
 * exports and plan checks. Formulas: specs/planner.md. Depends on util.
 */
#ifndef HW_PLANNER_H
#define HW_PLANNER_H

#include "util/util.h"

#define HW_PLAN_SCHEMA "hwledger.plan/1"
#define HW_PLAN_MAX_LAYERS 1024
/* The largest integer a model key may hold (< 2^40: see model.c). */
#define HW_PLAN_MAX_INT 1000000000000.0

typedef enum {
	HW_ATT_MHA,
	HW_ATT_GQA,
	HW_ATT_MQA,
	HW_ATT_MLA,
	HW_ATT_SLIDING,
	HW_ATT_SSM,
	HW_ATT_HYBRID
} hw_attention;

/* Where tie_embeddings came from (specs/planner.md, Model ingest). */
typedef enum {
	HW_TIE_GIVEN = 0,        /* the config's tie_word_embeddings */
	HW_TIE_CLASS_DEFAULT,    /* absent: the model_type's class default */
	HW_TIE_UNKNOWN_TYPE      /* absent, unknown model_type: tied */
} hw_tie_source;

/* Attention biases: none; on q, k and v (Qwen2, Qwen2-MoE); on q, k, v
 * and the output projection (GPT-2's Conv1D, GPT-NeoX unless its
 * attention_bias is false). */
typedef enum { HW_BIAS_NONE = 0, HW_BIAS_QKV, HW_BIAS_QKVO } hw_att_bias;

/* What one layer holds. */
enum { HW_LAYER_FULL = 0, HW_LAYER_SLIDING = 1, HW_LAYER_SSM = 2 };

typedef struct hw_model {
	char name[128];
	char family[48];        /* model_type */
	char source[512];       /* where it was read from */
	long layers, hidden, intermediate, heads, kv_heads, head_dim, vocab;
	long max_ctx;
	long sliding_window;    /* 0: none */
	int tie_embeddings;
	int tie_source;         /* hw_tie_source: given, or which default */
	int att_bias;           /* hw_att_bias: which attention biases */
	int layer_norms;        /* Falcon: LayerNorms per layer, 1 or 2 */
	int qk_norm;            /* 1: an RMSNorm of head_dim on q and on k
				   (Qwen3, Gemma 3); 2: over all heads
				   (OLMo 2) */
	int mlp_bias;           /* Llama's mlp_bias: gate, up and down biased */
	int text_only;          /* read from a multimodal config's text_config */
	char class_defaults[256]; /* keys absent, taken from the config class */
	int attn_sinks;         /* gpt-oss: one learned sink per head */
	int expert_bias;        /* gpt-oss: biased experts and router */
	double quant_expert_bits; /* mxfp4: bits of the experts' matrices */
	unsigned char layer_kind[HW_PLAN_MAX_LAYERS];
	unsigned char layer_moe[HW_PLAN_MAX_LAYERS];
	/* MoE */
	long experts, experts_per_tok, shared_experts, moe_intermediate,
		shared_intermediate, first_dense;
	/* MLA */
	long kv_lora_rank, q_lora_rank, qk_rope_dim, qk_nope_dim, v_head_dim;
	/* SSM */
	long ssm_state, ssm_conv, ssm_expand, ssm_dt_rank;
	/* Mamba-2: heads and B/C groups of the mixer; biases of its in and
	 * out projections (use_bias) and of its convolution (use_conv_bias) */
	long ssm_heads, ssm_groups;
	int ssm_proj_bias, ssm_conv_bias;
	/* weights as stored */
	double weight_bits;     /* bits per parameter of the checkpoint */
	char dtype[16];
	char quant_method[24];
	int quant_bits, quant_group;
	long quant_block;       /* fp8: values per fp32 scale (weight_block_size) */
	int quant_unsized;      /* a quant_method without bits we can size */
	long quant_line, quant_col; /* where its quant_method is written */
	/* ModelOpt's settings, when read from an hf_quant_config.json beside
	 * the config.json or from the config's own quantization_config: the
	 * file's path, the bits of a quantized weight with its scales, the KV
	 * dtype its kv_cache_quant_algo names ("" none), and the modules its
	 * exclude_modules keeps in 16 bits (HW_KEEP_* bits per layer) */
	char quant_file[512];
	/* where in it: "hf_quant_config.json" or, read from the config.json
	 * itself, "quantization_config"; and the names its KV and excluded
	 * modules keys have there (kv_cache_quant_algo | kv_cache_scheme,
	 * exclude_modules | ignore), for messages */
	char quant_from[24], kv_key[24], keep_key[24];
	double quant_weight_bits;
	char kv_dtype[16];
	char quant_algo[32], kv_algo[64]; /* as written, for messages */
	int kv_unsized;         /* a kv_cache_quant_algo the planner lacks */
	long kv_line, kv_col;
	unsigned short keep16[HW_PLAN_MAX_LAYERS];
	int keep_unsized;       /* exclude_modules entries not understood */
	int keep_outside;       /* entries of towers a text-only plan leaves out */
	char keep_unsized_first[96];
	/* exact sizes from safetensors or GGUF headers, when present */
	long long exact_params, exact_weight_bytes;
	/* a tied head the safetensors store again as lm_head.weight: its
	 * values, left out of the exact sizes (loading ties it away) */
	long long head_stored_again;
	/* results of classification and counting */
	hw_attention attention;
	char attention_reason[256];
	long long params_total, params_active;
	long long params_embed;     /* embedding + head (not quantized) */
	long long params_final;     /* the final norm (with its bias) */
	long long params_positions; /* GPT-2's learned position table */
} hw_model;

/*
 * Reads a model from path: a config.json, a folder holding one (with
 * safetensors headers beside it), a Hugging Face cache folder
 * (models--ORG--NAME), or a .gguf file. Missing, contradictory or
 * impossible keys are HW_EINVAL naming the key and the file.
 */
int hw_model_load(hw_model *m, const char *path);
/* From a parsed config (the text_config of multimodal configs is used).
 * A model_type the planner does not model is refused (HW_EINVAL). */
int hw_model_from_config(hw_model *m, const cJSON *config, const char *file);
/* A config's quantization_config: its own, or, where it has none (absent
 * or null), its text_config's, as vLLM reads a multimodal config's
 * (nested set to 1 then); NULL when neither is an object. */
const cJSON *hw_quant_config(const cJSON *config, int *nested);
/* The same from a GGUF's metadata as config keys: its architecture may be
 * one the planner does not model (its headers give the exact count). */
int hw_model_from_gguf_keys(hw_model *m, const cJSON *keys, const char *file);
/* The values and bytes of a safetensors file's tensors; head: those of
 * its "lm_head.weight" (included in the totals), 0 without one. */
typedef struct hw_st_sizes {
	long long params, bytes, head_params, head_bytes;
} hw_st_sizes;
int hw_safetensors_header(hw_st_sizes *s, const char *path);
int hw_gguf_read(hw_model *m, const char *path);

/* What exclude_modules can keep in 16 bits in a layer (hw_model.keep16). */
enum {
	HW_KEEP_LAYER = 1 << 0,  /* the whole layer */
	HW_KEEP_Q = 1 << 1,      /* q_proj, or MLA's q_a_proj and q_b_proj */
	HW_KEEP_QA = 1 << 2,
	HW_KEEP_QB = 1 << 3,
	HW_KEEP_K = 1 << 4,
	HW_KEEP_V = 1 << 5,
	HW_KEEP_KVA = 1 << 6,    /* kv_a_proj_with_mqa */
	HW_KEEP_KVB = 1 << 7,    /* kv_b_proj */
	HW_KEEP_O = 1 << 8,
	HW_KEEP_ROUTER = 1 << 9, /* mlp.gate */
	HW_KEEP_SHARED = 1 << 10 /* mlp.shared_experts */
};
/* The HW_KEEP_* bits a module name of exclude_modules stands for, read
 * after "model.layers.N." (name is that rest, "" for the whole layer; a
 * trailing '*' takes every module under it); 0 when not understood. */
unsigned hw_keep_bits(const hw_model *m, const char *name);
/* Values of layer l that exclude_modules keeps in 16 bits (active: of
 * those that run per token). */
long long hw_layer_kept16(const hw_model *m, long l, int active);

const char *hw_attention_name(hw_attention a);
/* Parameters of layer l (active: only the experts that run per token). */
long long hw_layer_params(const hw_model *m, long l, int active);
/* Of those, the values of the layer's norms: those around its mixer and
 * MLP, and those inside them (MLA's q_a_layernorm and kv_a_layernorm,
 * q_norm and k_norm, Mamba-2's gated norm, Jamba's dt, B and C norms),
 * which ModelOpt does not quantize. */
long long hw_layer_norm_params(const hw_model *m, long l);
/* Of those, the values of the routed experts' weight matrices (mxfp4
 * quantizes these alone). */
long long hw_layer_expert_params(const hw_model *m, long l, int active);

/* ---- plans ------------------------------------------------------------- */

typedef struct hw_engine {
	char name[32];
	double fixed_overhead_bytes;   /* runtime, CUDA context, graphs */
	double activation_factor;      /* multiplies the activation estimate */
	double memory_utilization;     /* fraction of GPU memory it may use */
} hw_engine;

typedef struct hw_gpu {
	char name[64];
	char vendor[16];
	double memory_bytes;
	double bandwidth;              /* bytes/s */
} hw_gpu;

typedef struct hw_plan_inputs {
	long ctx;
	long batch;
	char quant[16];     /* "" = as stored; fp32 fp16 bf16 fp8 int8 int4 awq gptq q4_0 ... */
	char kv_dtype[16];  /* fp16 default */
	int tp, pp;
	hw_engine engine;
	double gpu_memory;  /* bytes; 0 = no fit */
	double gpu_bandwidth;
	char gpu_name[64];
} hw_plan_inputs;

typedef struct hw_plan {
	long long params_total, params_active;
	double weights_bytes;
	double kv_bytes_per_token;
	double kv_bytes;
	double activation_bytes;
	double overhead_bytes;
	double total_bytes;
	double per_gpu_bytes;
	double per_gpu_weights, per_gpu_kv, per_gpu_activation;
	int fits;           /* -1 when no GPU was given */
	double utilization;
	const char *band;   /* green yellow red no-fit, or NULL */
	long max_context;
	long max_batch;
	double decode_tokens_per_s;
	char assumptions[12][200];
	int nassumptions;
} hw_plan;

/* Bits per weight of a quantization or dtype name; 0 when unknown. */
/* What the plan's weights are stored as, for the reader: --quant when
 * given, else the checkpoint's quantization ("gptq 4-bit", "fp8",
 * "mxfp4"), else its dtype. */
const char *hw_weights_name(const hw_model *m, const hw_plan_inputs *in,
			    char *buf, size_t size);
/* The ModelOpt quant_algo values the planner sizes, as a list for a
 * message ("FP8, NVFP4, ... and W4A8_AWQ"), into out. */
void hw_modelopt_algos(char *out, size_t size);
/* The KV cache dtype of a plan: --kv-dtype, else the checkpoint's own
 * (hf_quant_config.json's kv_cache_quant_algo), else fp16. */
const char *hw_kv_dtype(const hw_model *m, const hw_plan_inputs *in);
double hw_quant_bits(const char *name);
int hw_plan_compute(hw_plan *p, const hw_model *m, const hw_plan_inputs *in);
/* Total per-GPU bytes for one (ctx, batch) point, without a full plan. */
double hw_plan_point(const hw_model *m, const hw_plan_inputs *in, long ctx,
		     long batch);
/* Per-GPU bytes for every (batch, ctx) pair: grid[b * nctx + c]. */
int hw_plan_sweep(double *grid, const hw_model *m, const hw_plan_inputs *in,
		  const long *ctxs, size_t nctx, const long *batches,
		  size_t nbatch);
int hw_plan_json(hw_buf *out, const hw_model *m, const hw_plan_inputs *in,
		 const hw_plan *p);

/*
 * Runs one plan check file; *result is {name, file, ok, failures[], plan}.
 * Files that are not plan checks, unknown models or GPUs are errors.
 */
int hw_plan_check_file(cJSON **result, const char *path);

/*
 * Catalogs: planner/gpus.json and planner/engines.json. At these two paths
 * a project's own file is read when it exists, else the copy built into the
 * binary; any other path is read as it is.
 */
#define HW_PLANNER_GPUS "planner/gpus.json"
#define HW_PLANNER_ENGINES "planner/engines.json"
int hw_catalog_load(cJSON **root, const char *catalog, size_t max);
int hw_gpu_find(hw_gpu *g, const char *catalog, const char *name);
int hw_engine_find(hw_engine *e, const char *catalog, const char *name);

/* ---- prices and the cheapest configurations (specs/planner.md) -------- */

/* One dated hourly price of the catalog's "prices" list. */
typedef struct hw_offer {
	hw_gpu gpu;
	char provider[48];
	char offering[64];
	char as_of[16];         /* YYYY-MM-DD, or YYYY-MM */
	char source[256];       /* the page the price was read from */
	int gpus;               /* GPUs in one rented unit (an instance) */
	double usd_per_hour;    /* per unit */
} hw_offer;

/* The cheapest configuration of one offer that fits a plan. */
typedef struct hw_choice {
	const hw_offer *offer;
	int tp, pp;             /* tp * pp GPUs */
	double usd_per_hour;    /* ceil(tp * pp / gpus) units */
	double usd_per_mtok;    /* per million decoded tokens, bandwidth bound */
	hw_plan plan;
} hw_choice;

/*
 * Reads every price of the catalog, each tied to a catalog GPU. A price
 * without a positive amount, a date, a source or a known GPU is HW_EINVAL.
 */
int hw_offers_load(hw_offer **offers, size_t *n, const char *catalog);
/*
 * For every offer, the cheapest TP x PP configuration (TP and PP in 1, 2,
 * 4, 8) whose per-GPU memory is at most max_util of the GPU's; sorted by
 * hourly cost, then cost per million tokens. Offers with no fitting
 * configuration are left out. *out is NULL when none fits.
 */
int hw_plan_cheapest(hw_choice **out, size_t *n, const hw_model *m,
		     const hw_plan_inputs *in, const hw_offer *offers,
		     size_t noffers, double max_util);
/* Days from a price's as_of (a month counts from its 1st) to today; -1
 * when either is not a date. */
long hw_price_age_days(const char *as_of, const char *today);
/* Prices older than this many days are marked stale. */
#define HW_PRICE_STALE_DAYS 180
/* The n choices as JSON (schema hwledger.cheapest/1); ages against today. */
int hw_cheapest_json(hw_buf *out, const hw_model *m, const hw_plan_inputs *in,
		     double max_util, size_t noffers, const hw_choice *c,
		     size_t n, const char *today);

#endif
