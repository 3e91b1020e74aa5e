/*
 * fuzz_unity.c — libFuzzer target for the Unity output reader (the lines
 * FILE:LINE:NAME:PASS|FAIL|IGNORE, colour codes, ctest -V prefixes and the
 * "N Tests N Failures N Ignored" summary).
 */
#include "trace/trace.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	hw_results r;
	hw_diags d;

	hw_results_init(&r);
	hw_diags_init(&d);
	hw_unity_parse(&r, &d, "fuzz.txt", (const char *)data, size);
	hw_results_free(&r);
	hw_diags_free(&d);
	return 0;
}
