/*
 * fuzz_baseline.c — libFuzzer target for the defect baseline,
 * traceability/baseline.json (hwledger.baseline/1, specs/traceability.md,
 * "Baseline"), the file `hwledger trace --update-baseline` writes and a
 * pull request can edit. Any bytes load or are refused at a line of the
 * file, and never crash, read out of bounds or leak; a baseline that loads
 * holds every entry of its lists, the defect ids sorted.
 */
#include "fuzz_files.h"
#include "trace/trace.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* The message of a refused file names it and a line: "PATH:LINE". */
static void check_refusal(const char *path)
{
	const char *m = hw_error_last();
	size_t n = strlen(path);

	if (strncmp(m, path, n) != 0 || m[n] != ':' || m[n + 1] < '1' ||
	    m[n + 1] > '9') {
		fprintf(stderr, "refused without a line: %s\n", m);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char dir[] = "/tmp/hwledger-fuzz-baseline-XXXXXX";
	static int made;
	hw_baseline b;
	int back = fuzz_enter(dir, made), err;

	made = 1;
	fuzz_put("baseline.json", data, size);
	err = hw_baseline_load(&b, "baseline.json", 0);
	if (err == HW_OK) {
		for (size_t i = 1; i < b.ndefects; i++)
			if (strcmp(b.defects[i - 1], b.defects[i]) > 0)
				abort();
		for (size_t i = 0; i < b.nfrs; i++)
			if (!b.fr_ids[i] ||
			    strlen(b.fr_sha[i]) != HW_SHA256_HEX_LEN)
				abort();
		hw_baseline_free(&b);
	} else if (err == HW_EINVAL) {
		check_refusal("baseline.json");
	}
	hw_error_clear();
	fuzz_leave(back);
	return 0;
}
