/*
 * fuzz_glossary.c — libFuzzer target for the glossary importer, merge,
 * JSON and Markdown writers: any bytes must import (or be refused) without
 * a crash, a leak or a read out of bounds.
 */
#include "glossary/glossary.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	hw_glossary g;
	hw_diags d;
	hw_buf out;

	hw_glossary_init(&g);
	hw_diags_init(&d);
	hw_buf_init(&out, 0);
	if (hw_glossary_import(&g, &d, "fuzz.md", (const char *)data, size,
			       HW_GSTYLE_AUTO, NULL) == HW_OK &&
	    hw_glossary_merge(&g) == HW_OK) {
		hw_glossary_json(&out, &g, NULL);
		hw_buf_clear(&out);
		hw_glossary_md(&out, &g);
	}
	hw_buf_free(&out);
	hw_glossary_free(&g);
	hw_diags_free(&d);
	return 0;
}
