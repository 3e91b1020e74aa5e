/*
 * fuzz_sast.c — libFuzzer target for the four SAST importers (cppcheck XML,
 * clang-tidy text, SARIF, gcc JSON; the first byte picks the detection
 * path) followed by the writers, which must cope with whatever came in.
 */
#include "sast/sast.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	hw_findings f = {0};
	hw_diags d;
	hw_buf out;

	hw_diags_init(&d);
	hw_buf_init(&out, 0);
	if (hw_sast_import_text(&f, &d, "fuzz.report", (const char *)data,
				size) == HW_OK) {
		hw_sast_json(&out, &f, NULL);
		hw_sast_sarif(&out, &f, NULL);
		hw_sast_text(&out, &f);
	}
	hw_buf_free(&out);
	hw_findings_free(&f);
	hw_diags_free(&d);
	return 0;
}
