/*
 * plan_bench.c — helpers for the planner benchmarks (make bench).
 *
 *   plan_bench sweep MODEL      evaluate a 1,000 x 1,000 context-by-batch
 *                               grid; prints plan points per second
 *   plan_bench gguf PATH        write a synthetic 2 GB GGUF (sparse) with
 *                               10,000 tensors and a 32,000-token
 *                               vocabulary; prints the header's size in bytes
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "planner/planner.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void put(FILE *f, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		fputc((int)(v >> (8 * i)) & 0xff, f);
}

static void str(FILE *f, const char *s)
{
	put(f, strlen(s), 8);
	fputs(s, f);
}

static void kv_u32(FILE *f, const char *k, uint32_t v)
{
	str(f, k);
	put(f, 4, 4);
	put(f, v, 4);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "sweep")) {
		hw_model m;
		hw_plan_inputs in;
		static long ctx[1000], batch[1000];
		static double grid[1000 * 1000];
		double t0, dt;

		if (hw_model_load(&m, argv[2]))
			return fprintf(stderr, "%s\n", hw_error_last()), 2;
		memset(&in, 0, sizeof(in));
		in.tp = in.pp = 1;
		in.engine.activation_factor = 1;
		for (int i = 0; i < 1000; i++) {
			ctx[i] = 128 * (i + 1);
			batch[i] = i + 1;
		}
		t0 = now();
		hw_plan_sweep(grid, &m, &in, ctx, 1000, batch, 1000);
		dt = now() - t0;
		printf("%.0f\n", 1e6 / dt);
		return grid[999999] > grid[0] ? 0 : 3;
	}
	if (argc == 3 && !strcmp(argv[1], "gguf")) {
		FILE *f = fopen(argv[2], "wb");
		long header;
		char name[64];

		if (!f)
			return 2;
		fputs("GGUF", f);
		put(f, 3, 4);
		put(f, 10000, 8);
		put(f, 9, 8);
		str(f, "general.architecture");
		put(f, 8, 4);
		str(f, "llama");
		kv_u32(f, "llama.block_count", 32);
		kv_u32(f, "llama.embedding_length", 4096);
		kv_u32(f, "llama.feed_forward_length", 14336);
		kv_u32(f, "llama.attention.head_count", 32);
		kv_u32(f, "llama.attention.head_count_kv", 8);
		kv_u32(f, "llama.context_length", 8192);
		kv_u32(f, "llama.vocab_size", 32000);
		str(f, "tokenizer.ggml.tokens");
		put(f, 9, 4);
		put(f, 8, 4);
		put(f, 32000, 8);
		for (int i = 0; i < 32000; i++) {
			snprintf(name, sizeof(name), "tok%d", i);
			str(f, name);
		}
		for (int t = 0; t < 10000; t++) {
			snprintf(name, sizeof(name), "blk.%d.ffn_%d.weight", t / 300,
				 t % 300);
			str(f, name);
			put(f, 2, 4);
			put(f, 4096, 8);
			put(f, 12, 8);
			put(f, 12, 4); /* Q4_K */
			put(f, (uint64_t)t * 27648, 8);
		}
		header = ftell(f);
		fclose(f);
		if (truncate(argv[2], 2000000000L) != 0)
			return 3;
		printf("%ld\n", header);
		return 0;
	}
	return 2;
}
