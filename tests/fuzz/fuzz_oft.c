/*
 * fuzz_oft.c — libFuzzer target for the OpenFastTrace Markdown importer
 * (item ID lines, Status, Description/Rationale/Comment, Covers, Depends,
 * Needs, Tags, forwarding lines, oft:off sections): any bytes must import
 * or be refused at a line, without a crash, a leak or a read past the
 * text; a set read without errors is checked and written out as
 * `hwledger import` would.
 *
 * The input is handed over as it is, not NUL-terminated: the reader is
 * given text[0..len) and must not read past it.
 */
#include "fuzz_files.h"
#include "fuzz_imp_check.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char dir[] = "/tmp/hwledger-fuzz-oft-XXXXXX";
	static int made;
	hw_imp_set s;
	hw_diags d;
	int back = fuzz_enter(dir, made);

	made = 1;
	hw_imp_set_init(&s, "oft");
	hw_diags_init(&d);
	if (hw_oft_read(&s, &d, "fuzz.md", (const char *)data, size,
			"fuzz") == HW_OK &&
	    !d.errors && hw_imp_check(&s, &d) == HW_OK && !d.errors) {
		check_set(&s);
		hw_imp_write(&s, "out", "fuzz.md", 1, NULL);
	}
	hw_error_clear();
	hw_imp_set_free(&s);
	hw_diags_free(&d);
	fuzz_leave(back);
	return 0;
}
