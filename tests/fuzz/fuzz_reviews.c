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
#include "fuzz_files.h"
#include "trace/trace.h"

#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static const char trusted[] =
	"alice+39fb27a9+Adgbj05cPUDYJy6G+MYX7jLy4KuGKyB36jLk4jWmxqmM\n";

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char dir[] = "/tmp/hwledger-fuzz-reviews-XXXXXX";
	static int made;
	hw_reviews r;
	/* trace reads traceability/trusted_keys from the working folder, as
	 * it does in a repository */
	int back = fuzz_enter(dir, made);

	if (!made) {
		if (mkdir("traceability", 0755) != 0)
			abort();
		fuzz_put("traceability/trusted_keys", trusted, strlen(trusted));
		made = 1;
	}
	fuzz_put("reviews.json", data, size);
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
	fuzz_leave(back);
	return 0;
}
