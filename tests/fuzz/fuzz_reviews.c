/*
 * fuzz_reviews.c — libFuzzer target for traceability/reviews.json (the
 * reviews and the signed events they carry, specs/traceability.md, "Change
 * impact and reviews"). Any bytes must load, or be refused at a line, and
 * never crash; a file that loads must write back to a file that loads.
 *
 * The seed (corpus/reviews/one-review.json) was made by `hwledger review`
 * with a key made for it; its public key line is trusted here so the
 * signature checks run on the mutated events instead of stopping at an
 * unknown key. Only the public key is kept: nothing can sign with it.
 */
#include "trace/trace.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static const char trusted[] =
	"alice+39fb27a9+Adgbj05cPUDYJy6G+MYX7jLy4KuGKyB36jLk4jWmxqmM\n";

static void put(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, n, f) != n)
		abort();
	fclose(f);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char dir[] = "/tmp/hwledger-fuzz-reviews-XXXXXX";
	static int ready;
	hw_reviews r;
	int back = open(".", O_RDONLY | O_DIRECTORY);

	/* trace reads traceability/trusted_keys from the working folder, as
	 * it does in a repository: each input is loaded in a folder of its
	 * own, and the fuzzer's folder (its corpus paths are relative) is
	 * the working folder again before it returns */
	if (back < 0 || (!ready && !mkdtemp(dir)) || chdir(dir) != 0)
		abort();
	if (!ready) {
		if (mkdir("traceability", 0755) != 0)
			abort();
		put("traceability/trusted_keys", trusted, strlen(trusted));
		ready = 1;
	}
	put("reviews.json", data, size);
	memset(&r, 0, sizeof(r));
	if (hw_reviews_load(&r, "reviews.json", 0) == HW_OK) {
		hw_reviews again;

		if (hw_reviews_write(&r, "written.json") != HW_OK)
			abort();
		memset(&again, 0, sizeof(again));
		if (hw_reviews_load(&again, "written.json", 0) != HW_OK ||
		    again.n != r.n)
			abort();
		hw_reviews_free(&again);
	}
	hw_reviews_free(&r);
	if (fchdir(back) != 0)
		abort();
	close(back);
	return 0;
}
