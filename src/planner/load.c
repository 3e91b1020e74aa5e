/*
 * load.c — from a path to a model: a config.json, a folder holding one
 * (safetensors headers beside it give exact sizes), a Hugging Face cache
 * folder (models--ORG--NAME/snapshots/REV/), or a .gguf file. Nothing is
 * downloaded and no weight is read.
 */
#include "planner.h"

#include <ctype.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void base_name(char *out, size_t size, const char *path)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b && b[1] ? b + 1 : path;
	n = strlen(b);
	while (n && b[n - 1] == '/')
		n--;
	if (n > 5 && !strcmp(b + n - 5, ".json"))
		n -= 5;
	if (n > 5 && !strcmp(b + n - 5, ".gguf"))
		n -= 5;
	snprintf(out, size, "%.*s", (int)n, b);
}

/* The GGUF metadata as the config keys hw_model_from_config reads. */
static int from_gguf(hw_model *m, const char *path)
{
	hw_model g;
	cJSON *c;
	int err;

	if ((err = hw_gguf_read(&g, path)))
		return err;
	c = cJSON_CreateObject();
	HW_CHECK_ALLOC(c);
	hw_json_add_str(c, "model_type", g.family);
	hw_json_add_num(c, "num_hidden_layers", (double)g.layers);
	hw_json_add_num(c, "hidden_size", (double)g.hidden);
	hw_json_add_num(c, "intermediate_size", (double)g.intermediate);
	hw_json_add_num(c, "num_attention_heads", (double)g.heads);
	if (g.kv_heads) /* absent: MHA */
		hw_json_add_num(c, "num_key_value_heads", (double)g.kv_heads);
	if (g.head_dim)
		hw_json_add_num(c, "head_dim", (double)g.head_dim);
	hw_json_add_num(c, "vocab_size", (double)g.vocab);
	hw_json_add_num(c, "max_position_embeddings", (double)g.max_ctx);
	if (g.experts) {
		hw_json_add_num(c, "num_local_experts", (double)g.experts);
		hw_json_add_num(c, "num_experts_per_tok",
				(double)g.experts_per_tok);
	}
	err = hw_model_from_gguf_keys(m, c, path);
	cJSON_Delete(c);
	if (!err) {
		m->exact_params = g.exact_params;
		m->exact_weight_bytes = g.exact_weight_bytes;
		m->params_total = g.exact_params;
		snprintf(m->dtype, sizeof(m->dtype), "gguf");
		if (g.name[0])
			snprintf(m->name, sizeof(m->name), "%s", g.name);
	}
	return err;
}

/*
 * Python's json module writes the non-finite floats it allows as bare
 * Infinity, -Infinity and NaN, and transformers' save_pretrained keeps
 * them (Mamba-2's "time_step_limit": [0.0, Infinity]). They are not JSON:
 * outside strings, each is rewritten in place to a token of the same
 * length that JSON has (1e999999, which reads as infinite; "N"), so a
 * published config.json parses and any error keeps its line and column.
 * A key the planner reads that holds one is still refused as not a
 * non-negative integer.
 */
static void python_floats(char *t, size_t n)
{
	int in_str = 0;

	for (size_t i = 0; i < n; i++) {
		if (in_str) {
			if (t[i] == '\\')
				i++;
			else if (t[i] == '"')
				in_str = 0;
		} else if (t[i] == '"') {
			in_str = 1;
		} else if (n - i >= 8 && !memcmp(t + i, "Infinity", 8)) {
			/* hwledger-sast-ignore bugprone-not-null-terminated-result: bytes replaced in place, not a string */
			memcpy(t + i, "1e999999", 8);
			i += 7;
		} else if (n - i >= 3 && !memcmp(t + i, "NaN", 3)) {
			/* hwledger-sast-ignore bugprone-not-null-terminated-result: bytes replaced in place, not a string */
			memcpy(t + i, "\"N\"", 3);
			i += 2;
		}
	}
}

/*
 * A config's refusal, at the line of what it names: hw_model_from_config
 * has the parsed values, not where they were written. The first quoted
 * key of the message is looked up in the text_config (where there is
 * one), at the top and in quantization_config (the config's, then the
 * text_config's); a key that is not there
 * (a missing one) points at the object that lacks it, the text_config or
 * line 1.
 */
static int at_its_line(int err, const char *path, const hw_buf *b,
		       const cJSON *root)
{
	char msg[1024], key[128];
	const char *last = hw_error_last(), *q, *e;
	size_t pl = strlen(path);
	long line = 0, col = 0;
	int nested = cJSON_IsObject(
		cJSON_GetObjectItemCaseSensitive(root, "text_config"));

	if (err != HW_EINVAL || strncmp(last, path, pl) != 0 ||
	    strncmp(last + pl, ": ", 2) != 0)
		return err; /* not the config's own message, or placed */
	snprintf(msg, sizeof(msg), "%s", last + pl + 2);
	q = strchr(msg, '"');
	e = q ? strchr(q + 1, '"') : NULL;
	if (e && (size_t)(e - q - 1) < sizeof(key)) {
		snprintf(key, sizeof(key), "%.*s", (int)(e - q - 1), q + 1);
		if (nested)
			line = hw_json_line(b->data, b->len,
					    (const char *const[]){"text_config",
								  key, NULL},
					    &col);
		if (!line)
			line = hw_json_line(b->data, b->len,
					    (const char *const[]){key, NULL},
					    &col);
		if (!line)
			line = hw_json_line(
				b->data, b->len,
				(const char *const[]){"quantization_config",
						      key, NULL},
				&col);
		if (!line && nested)
			line = hw_json_line(
				b->data, b->len,
				(const char *const[]){"text_config",
						      "quantization_config",
						      key, NULL},
				&col);
	}
	if (!line && nested)
		line = hw_json_line(b->data, b->len,
				    (const char *const[]){"text_config", NULL},
				    &col);
	if (!line) {
		line = 1;
		col = 0;
	}
	return hw_error_set(err, path, line, col, "%s", msg);
}

/*
 * ModelOpt's settings, read from either of the two places its exports
 * write them: hf_quant_config.json ({"producer": {"name": "modelopt"},
 * "quantization": {"quant_algo", "kv_cache_quant_algo", "group_size",
 * "exclude_modules"}}), which NVIDIA's -FP8 and -NVFP4 exports keep beside
 * a config.json that names no quantization, or, in newer exports, the
 * config.json's own "quantization_config" ({"quant_method": "modelopt",
 * "quant_algo", "kv_cache_scheme", "config_groups", "ignore"}: ModelOpt's
 * convert_hf_quant_config_format writes the same values under those
 * compressed-tensors names). Its quant_algo sets the bits of the
 * quantized weights (scales included), its KV key the KV dtype unless
 * --kv-dtype is given, and its excluded modules what stays in 16 bits.
 * An algorithm the planner cannot size is refused at plan time (exit 2)
 * naming the file, the line and the value, unless --quant (or --kv-dtype)
 * says what to assume or safetensors headers give the bytes: never
 * planned as bf16.
 */
static const struct {
	const char *algo;
	double bits;       /* of a value */
	double scale_bits; /* of the scale of each group */
	long group;        /* group_size absent: values per scale; 0 none */
} hf_algos[] = {
	/* e4m3 values, one fp32 scale per tensor */
	{"FP8", 8, 0, 0},
	/* e2m1 values, one e4m3 scale per 16 (and an fp32 one per tensor) */
	{"NVFP4", 4, 8, 16},
	/* int4 values, one fp16 scale per group of 128, no zero point
	 * unless has_zero_point */
	{"W4A16_AWQ", 4, 16, 128},
	{"W4A8_AWQ", 4, 16, 128},
};

#define NALGOS (sizeof(hf_algos) / sizeof(*hf_algos))

/* Implements: FR-PLAN-003 */
void hw_modelopt_algos(char *out, size_t size)
{
	size_t w = 0;

	out[0] = '\0';
	for (size_t i = 0; i < NALGOS && w < size; i++)
		w += (size_t)snprintf(out + w, size - w, "%s%s",
				      !i ? "" : i + 1 < NALGOS ? ", " : " and ",
				      hf_algos[i].algo);
}

/* The keys of one of the two places (see above). */
typedef struct modelopt_keys {
	const char *obj;  /* the object that holds them */
	const char *kv;   /* kv_cache_quant_algo | kv_cache_scheme */
	const char *keep; /* exclude_modules | ignore */
	const char *from; /* for the plan's assumptions */
} modelopt_keys;

static const modelopt_keys hf_file_keys = {
	"quantization", "kv_cache_quant_algo", "exclude_modules",
	"hf_quant_config.json"};
static const modelopt_keys config_keys = {
	"quantization_config", "kv_cache_scheme", "ignore",
	"quantization_config"},
	config_kv_algo_keys = {"quantization_config", "kv_cache_quant_algo",
			       "ignore", "quantization_config"};

static int hf_quant_refuse(const char *file, const hw_buf *b,
			   const char *const *path, const char *fmt, ...)
	/* hwledger-sast-ignore FF1016: format checked by -Wformat=2 */
	__attribute__((format(printf, 4, 5)));
static int hf_quant_refuse(const char *file, const hw_buf *b,
			   const char *const *path, const char *fmt, ...)
{
	long col = 0, line = hw_json_line(b->data, b->len, path, &col);
	va_list ap;
	int err;

	va_start(ap, fmt);
	/* hwledger-sast-ignore *: the caller's format, checked by -Wformat=2 */
	err = hw_error_setv(HW_EINVAL, file, line ? line : 1,
			    line ? col : 0, fmt, ap);
	va_end(ap);
	return err;
}

/* A publisher's string, for messages: without the control characters a
 * terminal would act on. */
static void shown(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/* The excluded modules: those of each layer kept in 16 bits. In a
 * multimodal config's plan (its language model only), an entry that names
 * no module of the language model ("vision_tower*", "mm_projector*") is
 * of a part the plan does not count, and is passed over. */
static void hf_quant_keep(hw_model *m, const cJSON *list)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, list) {
		const char *s = cJSON_IsString(e) ? e->valuestring : "",
			   *p = strstr(s, "layers."), *q;
		char *end;
		long n = -1;
		unsigned bits = 0;

		if (!p && (strstr(s, "lm_head") || strstr(s, "embed_tokens")))
			continue; /* the head and embedding stay in 16 bits */
		if (m->text_only && !strstr(s, "language_model")) {
			m->keep_outside++; /* another tower's */
			continue;
		}
		if (p && p[7] >= '0' && p[7] <= '9') {
			n = strtol(p + 7, &end, 10);
			q = end;
			if (*q == '.')
				bits = hw_keep_bits(m, q + 1);
			else if (!*q || !strcmp(q, "*"))
				bits = HW_KEEP_LAYER;
		}
		if (bits && n >= m->layers)
			continue; /* a layer not built (DeepSeek's MTP layer) */
		if (bits && n >= 0) {
			m->keep16[n] |= (unsigned short)bits;
			continue;
		}
		if (!m->keep_unsized++) {
			snprintf(m->keep_unsized_first,
				 sizeof(m->keep_unsized_first), "%s", s);
			shown(m->keep_unsized_first);
		}
	}
}

/* The values per scale a config.json's config_groups give its weights
 * (ModelOpt writes NVFP4's group_size there); 0 when none does. */
static double groups_size(const cJSON *groups)
{
	const cJSON *g;

	cJSON_ArrayForEach(g, groups) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(g, "weights"),
			"group_size");

		if (cJSON_IsNumber(n))
			return n->valuedouble;
	}
	return 0;
}

/*
 * The KV key's value as kv_cache_quant_algo names it: a string is that
 * name; ModelOpt's kv_cache_scheme object {"num_bits": 8, "type":
 * "float"} (compressed-tensors' form) is FP8, and with "type": "int"
 * INT8; another object is written out for the refusal. 0: no KV setting.
 */
static int kv_name(char *out, size_t size, const cJSON *kv)
{
	const cJSON *nb, *ty;

	if (!kv)
		return 0;
	if (cJSON_IsString(kv)) {
		snprintf(out, size, "%s", kv->valuestring);
		return 1;
	}
	if (!cJSON_IsObject(kv))
		return 0;
	nb = cJSON_GetObjectItemCaseSensitive(kv, "num_bits");
	ty = cJSON_GetObjectItemCaseSensitive(kv, "type");
	if (cJSON_IsNumber(nb) && nb->valuedouble == 8 && cJSON_IsString(ty) &&
	    (!strcmp(ty->valuestring, "float") || !strcmp(ty->valuestring, "int")))
		snprintf(out, size, "%s",
			 ty->valuestring[0] == 'f' ? "FP8" : "INT8");
	else if (cJSON_IsNumber(nb))
		snprintf(out, size, "num_bits %.6g, type %.24s", nb->valuedouble,
			 cJSON_IsString(ty) ? ty->valuestring : "absent");
	else
		snprintf(out, size, "num_bits absent, type %.24s",
			 cJSON_IsString(ty) ? ty->valuestring : "absent");
	return 1;
}

/* The path of key in the object of the settings, for hw_json_line: under
 * outer ("text_config", where a multimodal config writes them in its
 * text_config) when it is not NULL. */
static const char *const *key_at(const char **at, const char *outer,
				 const char *obj, const char *key)
{
	size_t n = 0;

	if (outer)
		at[n++] = outer;
	at[n++] = obj;
	at[n++] = key;
	at[n] = NULL;
	return at;
}

/* Implements: FR-PLAN-001, FR-PLAN-003 */
static int modelopt_read(hw_model *m, const char *file, const hw_buf *b,
			 const cJSON *q, const modelopt_keys *k,
			 const char *outer)
{
	const char *at[4];
	const cJSON *a, *kv, *g;
	const char *algo;
	const char *kva = m->kv_algo;
	int kv_bad, has_kv;

	a = cJSON_GetObjectItemCaseSensitive(q, "quant_algo");
	if (k == &config_keys &&
	    !cJSON_GetObjectItemCaseSensitive(q, k->kv) &&
	    cJSON_GetObjectItemCaseSensitive(q, hf_file_keys.kv))
		k = &config_kv_algo_keys; /* vLLM reads this name there too */
	kv = cJSON_GetObjectItemCaseSensitive(q, k->kv);
	/* the config's kv_cache_scheme may also be an object */
	kv_bad = kv && !cJSON_IsNull(kv) && !cJSON_IsString(kv) &&
		 !(k == &config_keys && cJSON_IsObject(kv));
	if ((a && !cJSON_IsNull(a) && !cJSON_IsString(a)) || kv_bad) {
		key_at(at, outer, k->obj, kv_bad ? k->kv : "quant_algo");
		if (k == &config_keys)
			return hf_quant_refuse(
				file, b, at,
				"\"quant_algo\" is a string or null, and "
				"\"%s\" a string, an object or null",
				k->kv);
		return hf_quant_refuse(file, b, at,
				       "\"quant_algo\" and \"%s\" are a "
				       "string or null",
				       k->kv);
	}
	algo = hw_json_str(q, "quant_algo");
	m->kv_algo[0] = '\0';
	has_kv = kv_name(m->kv_algo, sizeof(m->kv_algo), kv);
	snprintf(m->quant_file, sizeof(m->quant_file), "%s", file);
	snprintf(m->quant_from, sizeof(m->quant_from), "%s", k->from);
	snprintf(m->kv_key, sizeof(m->kv_key), "%s", k->kv);
	snprintf(m->keep_key, sizeof(m->keep_key), "%s", k->keep);
	/* it, not another quantization_config, says how the weights are
	 * stored; read once, whichever place it came from */
	m->quant_unsized = 0;
	m->quant_method[0] = m->quant_algo[0] = '\0';
	m->quant_bits = m->quant_group = 0;
	m->quant_block = 0;
	m->quant_expert_bits = 0;
	m->quant_weight_bits = 0;
	m->kv_dtype[0] = '\0';
	m->kv_unsized = 0;
	memset(m->keep16, 0, sizeof(m->keep16));
	m->keep_unsized = m->keep_outside = 0;
	m->keep_unsized_first[0] = '\0';
	/* names in any case: vLLM upper-cases quant_algo and
	 * kv_cache_quant_algo before it looks them up (ModelOpt may write
	 * them in lower case) */
	if (algo && strcasecmp(algo, "NO_QUANT") != 0) {
		size_t i, c;

		snprintf(m->quant_algo, sizeof(m->quant_algo), "%s", algo);
		shown(m->quant_algo);
		for (i = 0; i < NALGOS; i++)
			if (!strcasecmp(hf_algos[i].algo, algo))
				break;
		if (i == NALGOS) {
			m->quant_unsized = 2; /* refused when planned */
			m->quant_line = hw_json_line(
				b->data, b->len,
				key_at(at, outer, k->obj, "quant_algo"),
				&m->quant_col);
		} else {
			double group = (double)hf_algos[i].group, gs;

			g = cJSON_GetObjectItemCaseSensitive(q, "group_size");
			gs = cJSON_IsNumber(g)
				     ? g->valuedouble
				     : groups_size(cJSON_GetObjectItemCaseSensitive(
					       q, "config_groups"));
			if (gs >= 1 && gs <= 1e6)
				group = floor(gs);
			m->quant_bits = (int)hf_algos[i].bits;
			m->quant_weight_bits =
				hf_algos[i].bits +
				(group > 0 ? hf_algos[i].scale_bits / group : 0);
			if (group > 0 &&
			    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
				    q, "has_zero_point")))
				m->quant_weight_bits += hf_algos[i].bits / group;
			for (c = 0; m->quant_algo[c] &&
				    c + 1 < sizeof(m->quant_method);
			     c++)
				m->quant_method[c] =
					(char)tolower((unsigned char)m->quant_algo[c]);
			m->quant_method[c] = '\0';
			hf_quant_keep(m, cJSON_GetObjectItemCaseSensitive(
						 q, k->keep));
		}
	}
	if (has_kv) {
		if (!strcasecmp(kva, "FP8") || !strcasecmp(kva, "INT8")) {
			snprintf(m->kv_dtype, sizeof(m->kv_dtype), "%s",
				 toupper((unsigned char)kva[0]) == 'F' ? "fp8"
								       : "int8");
		} else {
			shown(m->kv_algo);
			m->kv_unsized = 1;
			m->kv_line = hw_json_line(
				b->data, b->len,
				key_at(at, outer, k->obj, k->kv),
				&m->kv_col);
		}
	}
	return HW_OK;
}

/* A config.json's quantization_config that ModelOpt wrote: quant_method
 * "modelopt", or, as its converter first wrote it, no quant_method and a
 * producer named modelopt. */
static int modelopt_config(const cJSON *q)
{
	const char *meth = hw_json_str(q, "quant_method"), *prod;

	if (meth)
		return !strcmp(meth, "modelopt");
	prod = hw_json_str(cJSON_GetObjectItemCaseSensitive(q, "producer"),
			   "name");
	return prod && !strcmp(prod, "modelopt");
}

/* A config.json, as json.dumps may have written it, read into a model;
 * a refusal names the line of the key it is about. */
static int config_model(hw_model *m, const char *path)
{
	cJSON *c = NULL;
	const cJSON *q;
	hw_buf b;
	int err, nested = 0;

	hw_buf_init(&b, (size_t)4 << 20);
	err = hw_file_read(&b, path, (size_t)4 << 20);
	if (!err) {
		python_floats(b.data, b.len);
		err = hw_json_parse(&c, path, b.data, b.len);
	}
	if (!err)
		err = at_its_line(hw_model_from_config(m, c, path), path, &b, c);
	/* the config's own quantization_config, or its text_config's (see
	 * hw_quant_config) */
	q = err ? NULL : hw_quant_config(c, &nested);
	if (!err && m->quant_unsized && modelopt_config(q))
		err = modelopt_read(m, path, &b, q, &config_keys,
				    nested ? "text_config" : NULL);
	else if (!err && m->quant_unsized) /* for the plan's refusal */
		m->quant_line = hw_json_line(
			b.data, b.len,
			nested ? (const char *const[]){"text_config",
						       "quantization_config",
						       NULL}
			       : (const char *const[]){"quantization_config",
						       NULL},
			&m->quant_col);
	cJSON_Delete(c);
	hw_buf_free(&b);
	return err;
}

/* Implements: FR-PLAN-001, FR-PLAN-003 */
static int hf_quant(hw_model *m, const char *dir)
{
	char *path;
	const cJSON *q;
	cJSON *root = NULL;
	hw_buf b;
	int err;

	if (!strcmp(m->quant_from, config_keys.from))
		return HW_OK; /* the config.json's own, read as vLLM does */
	path = hw_path_join(dir, "hf_quant_config.json");
	HW_CHECK_ALLOC(path);
	if (!hw_path_exists(path)) {
		free(path);
		return HW_OK;
	}
	hw_buf_init(&b, (size_t)4 << 20);
	err = hw_file_read(&b, path, (size_t)4 << 20);
	if (!err)
		err = hw_json_parse(&root, path, b.data, b.len);
	if (err)
		goto out;
	q = cJSON_GetObjectItemCaseSensitive(root, "quantization");
	if (!cJSON_IsObject(q))
		err = hf_quant_refuse(path, &b,
				      (const char *const[]){"quantization",
							    NULL},
				      "no \"quantization\" object: not a "
				      "ModelOpt hf_quant_config.json");
	else
		err = modelopt_read(m, path, &b, q, &hf_file_keys, NULL);
out:
	cJSON_Delete(root);
	hw_buf_free(&b);
	free(path);
	return err;
}

static int safetensors_sizes(hw_model *m, const char *dir)
{
	char *index = hw_path_join(dir, "model.safetensors.index.json");
	char **files = NULL;
	size_t n = 0;
	cJSON *root = NULL;
	int err = HW_OK;

	HW_CHECK_ALLOC(index);
	if (hw_path_exists(index)) {
		const cJSON *map, *f;

		if ((err = hw_json_load(&root, index, (size_t)64 << 20)))
			goto cleanup;
		map = cJSON_GetObjectItemCaseSensitive(root, "weight_map");
		if (!cJSON_IsObject(map)) {
			err = hw_error_set(HW_EINVAL, index, 0, 0,
					   "no \"weight_map\"");
			goto cleanup;
		}
		/* each shard once */
		files = calloc((size_t)cJSON_GetArraySize(map) + 1, sizeof(char *));
		if (!files) {
			err = hw_error_oom();
			goto cleanup;
		}
		cJSON_ArrayForEach(f, map) {
			int seen = 0;

			if (!cJSON_IsString(f) || strchr(f->valuestring, '/')) {
				err = hw_error_set(HW_EINVAL, index, 0, 0,
						   "bad shard name for '%s'",
						   f->string);
				goto cleanup;
			}
			for (size_t k = 0; k < n && !seen; k++)
				seen = !strcmp(files[k] + strlen(dir) + 1,
					       f->valuestring);
			if (!seen && !(files[n++] = hw_path_join(dir, f->valuestring))) {
				err = hw_error_oom();
				goto cleanup;
			}
		}
	} else if ((err = hw_dir_list(&files, &n, dir, ".safetensors"))) {
		goto cleanup;
	}
	for (size_t k = 0; k < n; k++) {
		hw_st_sizes z;

		if ((err = hw_safetensors_header(&z, files[k])))
			goto cleanup;
		/* a tied head stored again (falcon-7b) is not resident: the
		 * loaders tie it to the embedding (specs/planner.md) */
		if (m->tie_embeddings && z.head_params) {
			m->head_stored_again += z.head_params;
			z.params -= z.head_params;
			z.bytes -= z.head_bytes;
		}
		if (__builtin_add_overflow(m->exact_params, z.params,
					   &m->exact_params) ||
		    __builtin_add_overflow(m->exact_weight_bytes, z.bytes,
					   &m->exact_weight_bytes)) {
			err = hw_error_set(HW_EINVAL, files[k], 0, 0,
					   "the shards' sizes add up to over "
					   "2^63");
			goto cleanup;
		}
	}
	if (m->exact_params)
		m->params_total = m->exact_params;
cleanup:
	cJSON_Delete(root);
	hw_strv_free(files);
	free(index);
	return err;
}

/* Implements: FR-PLAN-001 */
int hw_model_load(hw_model *m, const char *path)
{
	char name[128];
	int err;

	base_name(name, sizeof(name), path);
	if (hw_str_endswith(path, ".gguf")) {
		err = from_gguf(m, path);
	} else if (hw_path_is_dir(path)) {
		char *snap = hw_path_join(path, "snapshots"), *cfg = NULL;
		const char *dir = path;
		char **revs = NULL;
		size_t nrevs = 0;

		HW_CHECK_ALLOC(snap);
		if (!strncmp(name, "models--", 8) && hw_path_is_dir(snap)) {
			/* models--ORG--NAME: the first snapshot */
			char *dash = strstr(name + 8, "--");

			if ((err = hw_dir_list(&revs, &nrevs, snap, "")) || !nrevs) {
				if (!err)
					err = hw_error_set(HW_ENOTFOUND, snap, 0,
							   0, "no snapshot");
				free(snap);
				hw_strv_free(revs);
				return err;
			}
			dir = revs[0];
			if (dash) {
				char org[128];

				snprintf(org, sizeof(org), "%.*s/%s",
					 (int)(dash - name - 8), name + 8,
					 dash + 2);
				memcpy(name, org, sizeof(name));
			}
		}
		cfg = hw_path_join(dir, "config.json");
		if (!cfg)
			err = hw_error_oom();
		else if (!hw_path_exists(cfg))
			err = hw_error_set(HW_ENOTFOUND, dir, 0, 0,
					   "no config.json here");
		else if (!(err = config_model(m, cfg)) &&
			 !(err = hf_quant(m, dir)))
			err = safetensors_sizes(m, dir);
		free(cfg);
		free(snap);
		hw_strv_free(revs);
	} else if (!(err = config_model(m, path)) &&
		   !strcmp(name, "config")) {
		/* a config.json's own folder: its hf_quant_config.json (a
		 * config of another name shares its folder with others) */
		const char *slash = strrchr(path, '/');
		char *dir = slash ? strndup(path, (size_t)(slash - path))
				  : strdup(".");

		HW_CHECK_ALLOC(dir);
		err = hf_quant(m, dir[0] ? dir : "/");
		free(dir);
	}
	if (!err && !m->name[0])
		snprintf(m->name, sizeof(m->name), "%s", name);
	return err;
}
