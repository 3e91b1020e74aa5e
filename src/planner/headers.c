/*
 * headers.c — exact sizes from weight files without reading the weights:
 * safetensors headers (8-byte little-endian length, then JSON) and GGUF v2/v3
 * headers (metadata and tensor infos), read through mmap. Every length and
 * count is untrusted: a header length beyond the file, a count or string
 * length that runs past the end, an unknown type or a shape that overflows
 * is an error naming the file and the offset.
 */
#include "planner.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int st_dtype(const char *d)
{
	static const struct {
		const char *name;
		int bytes;
	} t[] = {{"F64", 8}, {"F32", 4},      {"F16", 2},	 {"BF16", 2},
		 {"I64", 8}, {"I32", 4},      {"I16", 2},	 {"I8", 1},
		 {"U8", 1},  {"BOOL", 1},     {"F8_E4M3", 1}, {"F8_E5M2", 1},
		 {"U16", 2}, {"U32", 4},      {"U64", 8}};

	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++)
		if (!strcmp(t[i].name, d))
			return t[i].bytes;
	return 0;
}

/* Implements: FR-PLAN-001 */
int hw_safetensors_header(hw_st_sizes *s, const char *path)
{
	unsigned char lenb[8];
	unsigned long long n = 0;
	struct stat st;
	hw_buf b;
	cJSON *root = NULL;
	const cJSON *t;
	int fd = hw_file_open_read(path, &st), err = HW_OK;

	memset(s, 0, sizeof(*s));
	if (fd < 0)
		return fd;
	hw_buf_init(&b, (size_t)100 << 20);
	if (read(fd, lenb, 8) != 8) {
		err = hw_error_set(HW_EINVAL, path, 0, 0,
				   "truncated: no 8-byte header length");
		goto cleanup;
	}
	for (int i = 7; i >= 0; i--)
		n = n << 8 | lenb[i];
	if (n > (unsigned long long)st.st_size - 8 || n > ((size_t)100 << 20)) {
		err = hw_error_set(HW_EINVAL, path, 0, 0,
				   "header length %llu is beyond the file (%lld "
				   "bytes)",
				   n, (long long)st.st_size);
		goto cleanup;
	}
	if ((err = hw_buf_reserve(&b, (size_t)n)))
		goto cleanup;
	if (read(fd, b.data, (size_t)n) != (ssize_t)n) {
		err = hw_error_set(HW_EIO, path, 0, 0, "cannot read header");
		goto cleanup;
	}
	b.len = (size_t)n;
	b.data[n] = '\0';
	if ((err = hw_json_parse(&root, path, b.data, b.len)))
		goto cleanup;
	if (!cJSON_IsObject(root)) {
		err = hw_error_set(HW_EINVAL, path, 1, 0,
				   "the safetensors header is not a JSON object");
		goto cleanup;
	}
	cJSON_ArrayForEach(t, root) {
		const cJSON *dt = cJSON_GetObjectItemCaseSensitive(t, "dtype");
		const cJSON *shape = cJSON_GetObjectItemCaseSensitive(t, "shape");
		const cJSON *off = cJSON_GetObjectItemCaseSensitive(t, "data_offsets");
		const cJSON *d;
		unsigned long long elems = 1;
		int size;

		if (!strcmp(t->string, "__metadata__"))
			continue;
		size = cJSON_IsString(dt) ? st_dtype(dt->valuestring) : 0;
		if (!size || !cJSON_IsArray(shape) || cJSON_GetArraySize(off) != 2) {
			err = hw_error_set(HW_EINVAL, path, 0, 0,
					   "tensor '%s': bad or unknown dtype, "
					   "shape or data_offsets",
					   t->string);
			goto cleanup;
		}
		cJSON_ArrayForEach(d, shape) {
			if (!cJSON_IsNumber(d) || d->valuedouble < 0 ||
			    d->valuedouble > 1e12 ||
			    (d->valuedouble > 0 &&
			     elems > (1ULL << 50) / (unsigned long long)d->valuedouble)) {
				err = hw_error_set(HW_EINVAL, path, 0, 0,
						   "tensor '%s': bad shape",
						   t->string);
				goto cleanup;
			}
			elems *= (unsigned long long)d->valuedouble;
		}
		{
			double a = cJSON_GetArrayItem(off, 0)->valuedouble,
			       e = cJSON_GetArrayItem(off, 1)->valuedouble;

			if (e < a || e - a != (double)(elems * (unsigned)size) ||
			    e > (double)st.st_size - 8 - (double)n) {
				err = hw_error_set(HW_EINVAL, path, 0, 0,
						   "tensor '%s': data_offsets do "
						   "not match its shape or the "
						   "file",
						   t->string);
				goto cleanup;
			}
		}
		s->params += (long long)elems;
		s->bytes += (long long)(elems * (unsigned)size);
		if (!strcmp(t->string, "lm_head.weight")) {
			s->head_params = (long long)elems;
			s->head_bytes = (long long)(elems * (unsigned)size);
		}
	}
cleanup:
	cJSON_Delete(root);
	hw_buf_free(&b);
	close(fd);
	return err;
}

/* ---- GGUF ---------------------------------------------------------------- */

typedef struct gguf {
	const unsigned char *p;
	size_t n, i;
	const char *path;
	int err;
} gguf;

static int gg_fail(gguf *g, const char *what)
{
	if (!g->err)
		g->err = hw_error_set(HW_EINVAL, g->path, 0, 0,
				      "%s at byte %zu (file is %zu bytes)", what,
				      g->i, g->n);
	return g->err;
}

static uint64_t gg_u(gguf *g, int bytes)
{
	uint64_t v = 0;

	if (g->err || g->n - g->i < (size_t)bytes) {
		gg_fail(g, "truncated");
		return 0;
	}
	for (int k = bytes - 1; k >= 0; k--)
		v = v << 8 | g->p[g->i + (size_t)k];
	g->i += (size_t)bytes;
	return v;
}

/* A length-prefixed string; *s points into the map. */
static size_t gg_str(gguf *g, const char **s)
{
	uint64_t len = gg_u(g, 8);

	if (g->err)
		return 0;
	if (len > g->n - g->i || len > (1u << 24)) {
		gg_fail(g, "a string length runs past the end");
		return 0;
	}
	*s = (const char *)g->p + g->i;
	g->i += len;
	return (size_t)len;
}

static const int gg_sizes[] = {1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8};

/* Skips (or reads, for scalars) one value of type t. */
static double gg_value(gguf *g, uint32_t t, int depth)
{
	if (t > 12)
		return gg_fail(g, "unknown metadata value type"), 0;
	if (t == 8) {
		const char *s;

		gg_str(g, &s);
		return 0;
	}
	if (t == 9) {
		uint32_t et = (uint32_t)gg_u(g, 4);
		uint64_t count = gg_u(g, 8);

		if (g->err || depth > 2 || et > 12)
			return gg_fail(g, "bad array"), 0;
		if (et != 8 && et != 9) {
			if (count > (g->n - g->i) / (size_t)gg_sizes[et])
				return gg_fail(g, "an array count runs past the "
						  "end"),
				       0;
			g->i += (size_t)count * (size_t)gg_sizes[et];
		} else {
			for (uint64_t k = 0; k < count && !g->err; k++)
				gg_value(g, et, depth + 1);
		}
		return (double)count;
	}
	switch (t) {
	case 0: return (double)gg_u(g, 1);
	case 1: return (double)(int8_t)gg_u(g, 1);
	case 2: return (double)gg_u(g, 2);
	case 3: return (double)(int16_t)gg_u(g, 2);
	case 4: return (double)gg_u(g, 4);
	case 5: return (double)(int32_t)gg_u(g, 4);
	case 6: {
		uint32_t u = (uint32_t)gg_u(g, 4);
		float f;

		memcpy(&f, &u, 4);
		return (double)f;
	}
	case 7: return (double)gg_u(g, 1);
	case 10: return (double)gg_u(g, 8);
	case 11: return (double)(int64_t)gg_u(g, 8);
	default: {
		uint64_t u = gg_u(g, 8);
		double d;

		memcpy(&d, &u, 8);
		return d;
	}
	}
}

/* Block size and bytes per block of the ggml tensor types. */
static int ggml_type(uint32_t t, unsigned *block, unsigned *bytes)
{
	static const unsigned tbl[][2] = {
		{1, 4},	    {1, 2},	{32, 18},  {32, 20},  {0, 0},	  {0, 0},
		{32, 22},   {32, 24},	{32, 34},  {32, 36},  {256, 84},  {256, 110},
		{256, 144}, {256, 176}, {256, 210}, {256, 292}, {256, 66}, {256, 74},
		{256, 98},  {256, 50},	{32, 18},  {256, 110}, {256, 82}, {256, 136},
		{1, 1},	    {1, 2},	{1, 4},	   {1, 8},    {1, 8},	  {256, 56},
		{1, 2}};

	if (t >= sizeof(tbl) / sizeof(*tbl) || !tbl[t][0])
		return 0;
	*block = tbl[t][0];
	*bytes = tbl[t][1];
	return 1;
}

static long key_int(const char *key, size_t kn, const char *arch,
		    const char *suffix, double v, long cur)
{
	size_t an = strlen(arch), sn = strlen(suffix);

	if (kn == an + 1 + sn && !memcmp(key, arch, an) && key[an] == '.' &&
	    !memcmp(key + an + 1, suffix, sn) && v >= 0 && v < 1e12)
		return (long)v;
	return cur;
}

/* Implements: FR-PLAN-001 */
int hw_gguf_read(hw_model *m, const char *path)
{
	gguf g = {0};
	struct stat st;
	void *map;
	int fd;
	uint64_t ntensors, nkv;
	char arch[48] = "";
	long long params = 0, bytes = 0;
	long embd_rows = 0; /* token_embd.weight's second dimension */
	const char *missing;

	memset(m, 0, sizeof(*m));
	if ((fd = hw_file_open_read(path, &st)) < 0)
		return fd;
	if (st.st_size < 24) {
		close(fd);
		return hw_error_set(HW_EINVAL, path, 0, 0,
				    "truncated: not a GGUF file");
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return hw_error_set(HW_EIO, path, 0, 0, "cannot map");
	g.p = map;
	g.n = (size_t)st.st_size;
	g.path = path;
	if (memcmp(g.p, "GGUF", 4) != 0) {
		munmap(map, g.n);
		return hw_error_set(HW_EINVAL, path, 0, 0,
				    "no GGUF magic at byte 0");
	}
	g.i = 4;
	{
		uint32_t version = (uint32_t)gg_u(&g, 4);

		if (version < 2 || version > 3)
			gg_fail(&g, "unsupported GGUF version");
	}
	ntensors = gg_u(&g, 8);
	nkv = gg_u(&g, 8);
	if (!g.err && (ntensors > g.n / 24 || nkv > g.n / 12))
		gg_fail(&g, "a tensor or metadata count larger than the file "
			    "could hold");
	for (uint64_t k = 0; k < nkv && !g.err; k++) {
		const char *key;
		size_t kn = gg_str(&g, &key);
		uint32_t t = (uint32_t)gg_u(&g, 4);
		size_t at = g.i;
		double v;

		if (g.err)
			break;
		if (t == 8 && kn == 20 && !memcmp(key, "general.architecture", 20)) {
			const char *s;
			size_t sn = gg_str(&g, &s);

			snprintf(arch, sizeof(arch), "%.*s", (int)sn, s);
			continue;
		}
		if (t == 8 && kn == 12 && !memcmp(key, "general.name", 12)) {
			const char *s;
			size_t sn = gg_str(&g, &s);

			snprintf(m->name, sizeof(m->name), "%.*s", (int)sn, s);
			continue;
		}
		v = gg_value(&g, t, 0);
		(void)at;
		if (t == 9 && kn == 21 && !memcmp(key, "tokenizer.ggml.tokens", 21))
			m->vocab = (long)v;
		if (!arch[0] || t == 9)
			continue;
		m->layers = key_int(key, kn, arch, "block_count", v, m->layers);
		m->hidden = key_int(key, kn, arch, "embedding_length", v, m->hidden);
		m->intermediate = key_int(key, kn, arch, "feed_forward_length", v,
					  m->intermediate);
		m->heads = key_int(key, kn, arch, "attention.head_count", v, m->heads);
		m->kv_heads = key_int(key, kn, arch, "attention.head_count_kv", v,
				      m->kv_heads);
		m->head_dim = key_int(key, kn, arch, "attention.key_length", v,
				      m->head_dim);
		m->max_ctx = key_int(key, kn, arch, "context_length", v, m->max_ctx);
		m->experts = key_int(key, kn, arch, "expert_count", v, m->experts);
		m->experts_per_tok = key_int(key, kn, arch, "expert_used_count", v,
					     m->experts_per_tok);
		m->vocab = key_int(key, kn, arch, "vocab_size", v, m->vocab);
	}
	for (uint64_t k = 0; k < ntensors && !g.err; k++) {
		const char *name;
		uint32_t nd, type;
		unsigned block = 1, bpb = 0;
		unsigned long long elems = 1;
		size_t nn = gg_str(&g, &name);

		nd = (uint32_t)gg_u(&g, 4);
		if (!g.err && (nd == 0 || nd > 8)) {
			gg_fail(&g, "a tensor with a bad number of dimensions");
			break;
		}
		for (uint32_t d = 0; d < nd && !g.err; d++) {
			uint64_t dim = gg_u(&g, 8);

			if (dim > (1ULL << 40) || (dim && elems > (1ULL << 50) / dim))
				gg_fail(&g, "a tensor shape that overflows");
			elems *= dim;
			/* ggml lists dimensions innermost first: the
			 * embedding is [embedding_length, vocabulary] */
			if (d == 1 && nd == 2 && nn == 17 &&
			    !memcmp(name, "token_embd.weight", 17))
				embd_rows = (long)dim;
		}
		type = (uint32_t)gg_u(&g, 4);
		gg_u(&g, 8); /* offset */
		if (!g.err && !ggml_type(type, &block, &bpb))
			gg_fail(&g, "an unknown ggml tensor type");
		if (g.err)
			break;
		/* a tensor is under 2^58 bytes, but their count is the file's */
		if (__builtin_add_overflow(params, (long long)elems, &params) ||
		    __builtin_add_overflow(
			    bytes, (long long)((elems + block - 1) / block * bpb),
			    &bytes)) {
			gg_fail(&g, "tensor sizes whose sum is over 2^63");
			break;
		}
	}
	munmap(map, g.n);
	if (g.err)
		return g.err;
	snprintf(m->family, sizeof(m->family), "%s", arch[0] ? arch : "llama");
	snprintf(m->source, sizeof(m->source), "%s", path);
	if (!m->vocab)
		m->vocab = embd_rows; /* no tokenizer array, no vocab_size */
	missing = !m->layers   ? "block_count"
		  : !m->hidden ? "embedding_length"
			       : NULL;
	if (missing)
		return hw_error_set(HW_EINVAL, path, 0, 0,
				    "GGUF metadata lacks %s.%s", arch, missing);
	if (!m->vocab)
		return hw_error_set(HW_EINVAL, path, 0, 0,
				    "GGUF has no vocabulary: no "
				    "tokenizer.ggml.tokens, no %s.vocab_size "
				    "and no two-dimensional token_embd.weight",
				    arch);
	m->exact_params = params;
	m->exact_weight_bytes = bytes;
	return HW_OK;
}
