/*
 * fuzz_sastbase.c — libFuzzer target for the SAST baseline as `hwledger
 * sast --baseline FILE` applies it (hwledger.sast-baseline/1, specs/sast.md,
 * "Baseline"): the file a pull request can edit to hide findings. Any bytes
 * mark findings or are refused at a line of the file, and never crash,
 * read out of bounds or leak; a refused baseline marks no finding.
 */
#include "fuzz_files.h"
#include "sast/sast.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char dir[] = "/tmp/hwledger-fuzz-sastbase-XXXXXX";
	static int made;
	/* the fingerprints of the seeds, and one no seed holds */
	static const char *const fps[] = {"0c9d39de26aac6c5507894d5473b643c",
					  "96274bf59540991d9095cf05edb5c163",
					  "ffffffffffffffffffffffffffffffff"};
	hw_finding items[3];
	hw_findings f;
	int back = fuzz_enter(dir, made), err;

	made = 1;
	memset(items, 0, sizeof(items));
	memset(&f, 0, sizeof(f));
	for (int i = 0; i < 3; i++)
		memcpy(items[i].fingerprint, fps[i], 33);
	f.items = items;
	f.n = f.cap = 3;
	fuzz_put("baseline.json", data, size);
	err = hw_sast_baseline_apply(&f, "baseline.json");
	if (err == HW_EINVAL) {
		fuzz_names_line("baseline.json");
		for (int i = 0; i < 3; i++)
			if (items[i].in_baseline)
				abort();
	}
	hw_error_clear();
	fuzz_leave(back);
	return 0;
}
