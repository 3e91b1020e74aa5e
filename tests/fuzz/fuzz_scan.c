/*
 * fuzz_scan.c — libFuzzer target for the tag scanner (C and shell): any
 * bytes must scan to tags, functions and notes without a crash or a read
 * out of bounds, and every tag must point at a function that exists.
 */
#include <stdlib.h>
#include <string.h>

#include "trace/trace.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	for (int lang = 0; lang < 2; lang++) {
		hw_src_file f;

		memset(&f, 0, sizeof(f));
		f.path = strdup("fuzz.c");
		f.lang = lang ? HW_LANG_SH : HW_LANG_C;
		f.is_test = 1;
		if (hw_scan_text(&f, (const char *)data, size) == HW_OK)
			for (size_t i = 0; i < f.ntags; i++)
				if (f.tags[i].func >= (long)f.nfuncs)
					abort();
		hw_src_file_free(&f);
	}
	return 0;
}
