/*
 * fuzz_impmap.c — libFuzzer target for the import's attribute map, the
 * JSON file `hwledger import --map FILE` reads (specs/interchange.md).
 * Any bytes load or are refused with a diagnostic at a line of the file,
 * and never crash, read out of bounds or leak; a map that loads names the
 * ID attribute.
 */
#include "fuzz_files.h"
#include "interchange/interchange.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char dir[] = "/tmp/hwledger-fuzz-impmap-XXXXXX";
	static int made;
	hw_imp_map m;
	hw_diags d;
	int back = fuzz_enter(dir, made), err;

	made = 1;
	fuzz_put("map.json", data, size);
	hw_diags_init(&d);
	err = hw_imp_map_load(&m, "map.json", &d);
	if (err == HW_OK && !d.errors && !m.id)
		abort();
	for (size_t i = 0; i < d.n; i++) {
		const hw_diag *x = &d.items[i];
		/* a reader's own error comes as its whole message */
		int ok = x->file ? !strcmp(x->file, "map.json") && x->line >= 1
				 : !strncmp(x->message, "map.json:", 9) &&
					   x->message[9] >= '1' &&
					   x->message[9] <= '9';

		if (!ok) {
			fprintf(stderr, "refused without a line: %s\n",
				x->message);
			abort();
		}
	}
	hw_imp_map_free(&m);
	hw_diags_free(&d);
	hw_error_clear();
	fuzz_leave(back);
	return 0;
}
