/*
 * fuzz_scan.c — libFuzzer target for the tag scanner in every language it
 * reads (C, shell, C++, Python, and a .h as its text says): any bytes must scan to tags, functions and
 * notes without a crash or a read out of bounds, every tag must point at a
 * function that exists, and every function must end at or after its
 * first line.
 */
#include <stdlib.h>
#include <string.h>

#include "trace/trace.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	/* the language of each as the scan gives it (a .h: by its text) */
	static const char *const paths[] = {"fuzz.c", "fuzz.sh", "fuzz.cpp",
					    "fuzz.py", "fuzz.h"};

	for (size_t l = 0; l < sizeof(paths) / sizeof(*paths); l++) {
		hw_src_file f;

		memset(&f, 0, sizeof(f));
		f.path = strdup(paths[l]);
		f.lang = hw_lang_of_text(paths[l], (const char *)data, size);
		f.is_test = 1;
		if (hw_scan_text_all(&f, (const char *)data, size) == HW_OK) {
			for (size_t i = 0; i < f.ntags; i++)
				if (f.tags[i].func >= (long)f.nfuncs)
					abort();
			for (size_t i = 0; i < f.nfuncs; i++)
				if (f.funcs[i].last < f.funcs[i].first)
					abort();
		}
		hw_src_file_free(&f);
	}
	return 0;
}
