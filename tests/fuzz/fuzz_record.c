/*
 * fuzz_record.c — libFuzzer target for the index cache's record blob
 * (hw_record_decode, src/trace/index.c): a damaged .hwledger/index.db
 * hands it any bytes. They must be refused or decoded without a crash, a
 * leak or a huge allocation; a record that decodes must encode to a blob
 * that decodes to the same record (encoding it again gives the same
 * bytes), every tag's function must be one of the record's, and every
 * line one a scan gives (not negative, a function's last not before its
 * first: the coverage count indexes arrays with them), every class's
 * bases names one space apart.
 */
#include "trace/internal.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	hw_src_file f, g;
	hw_buf a, b;

	memset(&f, 0, sizeof(f));
	if (hw_record_decode(&f, data, size) == HW_OK) {
		for (size_t i = 0; i < f.ntags; i++)
			if (!f.tags[i].fr || f.tags[i].func < -1 ||
			    f.tags[i].func >= (long)f.nfuncs ||
			    f.tags[i].line < 0 || f.tags[i].col < 0)
				abort();
		for (size_t i = 0; i < f.nfuncs; i++)
			if (!f.funcs[i].name || f.funcs[i].first < 0 ||
			    f.funcs[i].last < f.funcs[i].first)
				abort();
		for (size_t i = 0; i < f.nnotes; i++)
			if (!f.notes[i].message || f.notes[i].line < 0)
				abort();
		/* a class's bases: names one space apart (link.c splits
		 * them), never empty */
		for (size_t i = 0; i < f.nclasses; i++) {
			const char *bs = f.classes[i].bases;

			if (!f.classes[i].name || !*f.classes[i].name ||
			    !bs || !*bs || *bs == ' ' ||
			    bs[strlen(bs) - 1] == ' ' || strstr(bs, "  ") ||
			    strpbrk(bs, ".,()\t\n") || f.classes[i].line < 0)
				abort();
		}
		hw_buf_init(&a, 0);
		hw_buf_init(&b, 0);
		memset(&g, 0, sizeof(g));
		if (hw_record_encode(&a, &f) != HW_OK ||
		    hw_record_decode(&g, (const unsigned char *)a.data,
				     a.len) != HW_OK ||
		    g.nfuncs != f.nfuncs || g.ntags != f.ntags ||
		    g.nnotes != f.nnotes || g.nclasses != f.nclasses ||
		    hw_record_encode(&b, &g) != HW_OK ||
		    a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
			abort();
		hw_src_file_free(&g);
		hw_buf_free(&a);
		hw_buf_free(&b);
	}
	hw_src_file_free(&f);
	return 0;
}
