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
		fuzz_names_line("baseline.json");
	}
	hw_error_clear();
	fuzz_leave(back);
	return 0;
}
