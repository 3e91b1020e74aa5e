/*
 * fuzz_frs.c — libFuzzer target for the FR document parser and linter.
 * Any input must parse to records and diagnostics without crashing, leaking
 * or reading out of bounds (the parser of FR-FRS-001 and FR-FRS-006).
 */
#include <stddef.h>
#include <stdint.h>

#include "frs/frs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hw_fr_set set;
	hw_diags diags;

	hw_fr_set_init(&set);
	hw_diags_init(&diags);
	if (hw_frs_parse(&set, &diags, "fuzz.md", (const char *)data, size) ==
	    HW_OK)
		hw_frs_lint(&set, &diags);
	hw_fr_set_free(&set);
	hw_diags_free(&diags);
	return 0;
}
