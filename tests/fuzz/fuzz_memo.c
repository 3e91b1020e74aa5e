/*
 * fuzz_memo.c — libFuzzer target for the trace memo reader
 * (hw_memo_lookup, src/trace/memo.c): .hwledger/trace.memo may be damaged
 * or written by someone hostile. Any bytes must miss or replay without a
 * crash, undefined behaviour or a read outside the file; a replay's output
 * and messages lie inside it.
 *
 * Each input is looked up three times: as it is under a fixed key (it
 * almost always misses at the checksum); with its last 8 bytes replaced by
 * the checksum of the rest, under the fixed key; and so checksummed under
 * the key it holds itself (the bytes at 56, the length at 32: the key is
 * NUL-terminated strings, so a key that ends in NUL can be made again by
 * hw_memo_add_str), which reaches the replay.
 */
#include "fuzz_files.h"
#include "trace/trace.h"

#include <string.h>

#define MAGIC_LEN 16             /* memo.c's MEMO_MAGIC_LEN */
#define HEAD (MAGIC_LEN + 5 * 8) /* memo.c's MEMO_HEAD */

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static uint64_t u64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static volatile uint64_t sink;

/* Looks path (n bytes) up under m; a replay's bytes must lie in it. */
static void look(hw_memo *m, const char *path, size_t n)
{
	hw_memo_replay r;

	if (m && hw_memo_lookup(m, path, &r) == 1) {
		if (r.code < 0 || r.code > 255 || r.err_len > n ||
		    r.out_len > n - r.err_len)
			abort();
		/* read every byte of both: ASan sees a read outside */
		sink ^= hw_hash64(r.err, r.err_len) ^
			hw_hash64(r.out, r.out_len);
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char dir[] = "/tmp/hwledger-fuzz-memo-XXXXXX";
	static int made;
	int back = fuzz_enter(dir, made);
	hw_memo *fixed = hw_memo_new(1700000000LL * 1000000000LL);
	unsigned char *sum = malloc(size ? size : 1);

	made = 1;
	if (!sum)
		abort();
	if (fixed) {
		hw_memo_add_str(fixed, "trace");
		hw_memo_add_str(fixed, NULL);
	}
	fuzz_put("as-is.memo", data, size);
	look(fixed, "as-is.memo", size);
	memcpy(sum, data, size);
	if (size >= 8) {
		uint64_t h = hw_hash64(sum, size - 8);

		for (int i = 0; i < 8; i++)
			sum[size - 8 + i] = (unsigned char)(h >> (8 * i));
	}
	fuzz_put("summed.memo", sum, size);
	look(fixed, "summed.memo", size);
	if (size >= HEAD + 8) {
		uint64_t klen = u64(data + MAGIC_LEN + 16);

		if (klen && klen <= size - HEAD - 8 && !data[HEAD + klen - 1]) {
			hw_memo *own = hw_memo_new(1700000000LL * 1000000000LL);
			const char *k = (const char *)data + HEAD;

			for (const char *e = k + klen; own && k < e;
			     k += strlen(k) + 1)
				hw_memo_add_str(own, k);
			look(own, "summed.memo", size);
			hw_memo_free(own);
		}
	}
	hw_memo_free(fixed);
	free(sum);
	fuzz_leave(back);
	return 0;
}
