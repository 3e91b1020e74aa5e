/*
 * fuzz_lcov.c — libFuzzer target for the lcov tracefile reader.
 */
#include "trace/trace.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	hw_lcov c;
	hw_diags d;

	hw_lcov_init(&c);
	hw_diags_init(&d);
	hw_lcov_parse(&c, &d, "fuzz.info", (const char *)data, size, "/repo");
	hw_lcov_free(&c);
	hw_diags_free(&d);
	return 0;
}
