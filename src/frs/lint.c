/*
 * lint.c — rules that need the whole FR set: duplicate IDs and references to
 * FRs that do not exist. Per-FR rules are checked while parsing (parse.c).
 */
#include "frs.h"

#include <stdlib.h>
#include <string.h>

typedef struct id_ref {
	const char *id;
	size_t index; /* into set->items, so the first definition wins */
} id_ref;

static int id_ref_cmp(const void *a, const void *b)
{
	const id_ref *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static id_ref *sorted_ids(const hw_fr_set *set)
{
	id_ref *ids = malloc((set->n ? set->n : 1) * sizeof(*ids));

	if (!ids)
		return NULL;
	for (size_t i = 0; i < set->n; i++) {
		ids[i].id = set->items[i].id;
		ids[i].index = i;
	}
	qsort(ids, set->n, sizeof(*ids), id_ref_cmp);
	return ids;
}

static int id_known(const id_ref *ids, size_t n, const char *id, size_t len)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(ids[mid].id, id, len);

		if (c == 0 && ids[mid].id[len] != '\0')
			c = 1;
		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int is_word(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/*
 * The length of the reference to a requirement at b[0..len) — an FR-/NFR-
 * ID, or with levels an ID token that some level's pattern matches — or 0.
 */
static size_t ref_len(const hw_frs_model *m, const char *b, size_t len)
{
	char id[HW_FR_ID_MAX + 1];
	size_t n;

	if (!m || !m->nlevels)
		return hw_fr_id_len(b, len);
	n = hw_req_id_len(b, len);
	if (!n || n > HW_FR_ID_MAX)
		return 0;
	memcpy(id, b, n);
	id[n] = '\0';
	return hw_frs_model_level(m, id, NULL) != -1 ? n : 0;
}

/* Implements: FR-FRS-005, FR-FRS-008 */
static int check_references(const hw_fr *fr, const hw_frs_model *m,
			    const id_ref *ids, size_t n, hw_diags *diags)
{
	const char *b = fr->body;
	size_t len = strlen(b);
	long line = fr->body_line;

	for (size_t i = 0; i < len; i++) {
		size_t idn;
		int err;

		if (b[i] == '\n') {
			line++;
			continue;
		}
		if (b[i] < 'A' || b[i] > 'Z' || (i > 0 && is_word(b[i - 1])))
			continue;
		idn = ref_len(m, b + i, len - i);
		if (!idn || (i + idn < len && is_word(b[i + idn])))
			continue;
		if (!id_known(ids, n, b + i, idn) &&
		    (err = hw_diags_add(diags, HW_DIAG_ERROR, fr->file, line, 0,
					"%s refers to %.*s, which is not a "
					"known FR",
					fr->id, (int)idn, b + i)))
			return err;
		i += idn - 1;
	}
	return HW_OK;
}

/* Implements: FR-FRS-005 */
int hw_frs_lint(const hw_fr_set *set, hw_diags *diags)
{
	id_ref *ids = sorted_ids(set);
	int err = HW_OK;

	HW_CHECK_ALLOC(ids);
	for (size_t i = 1; i < set->n; i++) {
		const hw_fr *first, *dup;

		if (strcmp(ids[i].id, ids[i - 1].id) != 0)
			continue;
		/* report every later definition against the first one */
		size_t f = i - 1;

		while (f > 0 && strcmp(ids[f - 1].id, ids[i].id) == 0)
			f--;
		first = &set->items[ids[f].index];
		dup = &set->items[ids[i].index];
		if ((err = hw_diags_add(diags, HW_DIAG_ERROR, dup->file,
					dup->line, 0,
					"duplicate FR id %s (first defined at "
					"%s:%ld)",
					dup->id, first->file, first->line)))
			goto cleanup;
	}
	for (size_t i = 0; i < set->n; i++)
		if ((err = check_references(&set->items[i], set->model, ids,
					    set->n, diags)))
			goto cleanup;
cleanup:
	free(ids);
	return err;
}

const hw_fr *hw_frs_find(const hw_fr_set *set, const char *id)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->items[i].id, id) == 0)
			return &set->items[i];
	return NULL;
}
