/*
 * fuzz_reqif.c — libFuzzer target for the ReqIF reader (expat, DOCTYPE
 * refused, XHTML to Markdown), with and without a map, and the Markdown
 * file it would write.
 */
#include "interchange/interchange.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	hw_imp_map maps[2] = {{0}, {0}};
	char id[] = "IDENTIFIER";

	maps[1].id = id;
	for (int i = 0; i < 2; i++) {
		hw_imp_set s;
		hw_diags d;

		hw_imp_set_init(&s, "reqif");
		hw_diags_init(&d);
		hw_reqif_read(&s, &d, "fuzz.reqif", (const char *)data, size,
			      &maps[i], NULL, "fuzz");
		hw_imp_set_free(&s);
		hw_diags_free(&d);
	}
	return 0;
}
