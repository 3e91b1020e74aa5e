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
#include "interchange/interchange.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* What a set read without errors promises the writer: IDs (Parent and
 * Depends entries too) are ID tokens, titles one line (a title with a
 * newline wrote lines of its own). */
static int one_line(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static int is_id(const char *id)
{
	return id && *id && hw_req_id_len(id, strlen(id)) == strlen(id);
}

static void check_set(const hw_imp_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const hw_imp_req *r = &s->items[i];

		if (!is_id(r->id) || !*r->title || !one_line(r->title))
			abort();
		for (size_t k = 0; k < r->nparents; k++)
			if (!is_id(r->parents[k]))
				abort();
		for (size_t k = 0; k < r->ndepends; k++)
			if (!is_id(r->depends[k]))
				abort();
	}
	for (size_t i = 0; i < s->nouts; i++)
		if (!one_line(s->outs[i].title))
			abort();
}

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
