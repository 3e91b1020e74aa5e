/*
 * fuzz_scan.c — libFuzzer target for the tag scanner in every language it
 * reads (C, shell, C++, Python): any bytes must scan to tags, functions and
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
	static const struct {
		hw_lang lang;
		const char *path;
	} langs[] = {{HW_LANG_C, "fuzz.c"},
		     {HW_LANG_SH, "fuzz.sh"},
		     {HW_LANG_CPP, "fuzz.cpp"},
		     {HW_LANG_PY, "fuzz.py"}};

	for (size_t l = 0; l < sizeof(langs) / sizeof(*langs); l++) {
		hw_src_file f;

		memset(&f, 0, sizeof(f));
		f.path = strdup(langs[l].path);
		f.lang = langs[l].lang;
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
