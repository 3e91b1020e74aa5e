/*
 * fuzz_tap.c — libFuzzer target for the TAP 14 reader.
 */
#include "trace/trace.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	hw_results r;
	hw_diags d;

	hw_results_init(&r);
	hw_diags_init(&d);
	hw_tap_parse(&r, &d, "fuzz.tap", (const char *)data, size);
	hw_results_free(&r);
	hw_diags_free(&d);
	return 0;
}
