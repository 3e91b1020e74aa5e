/*
 * fuzz_imp_check.h — what the import fuzz targets (fuzz_oft, fuzz_doorstop)
 * check of a set read without errors, before it is written out.
 */
#ifndef HW_FUZZ_IMP_CHECK_H
#define HW_FUZZ_IMP_CHECK_H

#include "interchange/interchange.h"

#include <stdlib.h>
#include <string.h>

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

#endif
