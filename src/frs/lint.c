/*
 * lint.c — rules that need the whole FR set: duplicate IDs and references to
 * FRs that do not exist; and the set's index by ID that hw_frs_find and
 * those rules search. Per-FR rules are checked while parsing (parse.c).
 */
/* hwledger-sast-ignore *: glibc's feature macro, for qsort_r */
#define _GNU_SOURCE
#include "frs.h"

#include <stdlib.h>
#include <string.h>

/* the set whose positions qsort_r and the searches compare */
static int by_id(const void *a, const void *b, void *arg)
{
	const hw_fr_set *set = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(set->items[x].id, set->items[y].id);

	if (c)
		return c;
	return x < y ? -1 : x > y; /* so the first definition comes first */
}

/* The set's positions sorted by ID: its index when current, else a new
 * array that *own holds for the caller to free. */
static const size_t *sorted_ids(const hw_fr_set *set, size_t **own)
{
	*own = NULL;
	if (set->byid && set->nbyid == set->n)
		return set->byid;
	*own = malloc((set->n ? set->n : 1) * sizeof(**own));
	if (!*own)
		return NULL;
	for (size_t i = 0; i < set->n; i++)
		(*own)[i] = i;
	qsort_r(*own, set->n, sizeof(**own), by_id, (void *)set);
	return *own;
}

int hw_frs_index(hw_fr_set *set)
{
	size_t *own;

	free(set->byid);
	set->byid = NULL;
	set->nbyid = 0;
	if (!sorted_ids(set, &own))
		return hw_error_oom();
	set->byid = own;
	set->nbyid = set->n;
	return HW_OK;
}

/* The first position in ids[0..n) whose FR's ID is id[0..len) (the ID
 * ends there), or n when there is none. */
static size_t id_find(const hw_fr_set *set, const size_t *ids, size_t n,
		      const char *id, size_t len)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *m = set->items[ids[mid]].id;
		int c = strncmp(m, id, len);

		if (c == 0 && m[len] != '\0')
			c = 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n) {
		const char *m = set->items[ids[lo]].id;

		if (strncmp(m, id, len) == 0 && m[len] == '\0')
			return lo;
	}
	return n;
}

const hw_fr *hw_frs_find(const hw_fr_set *set, const char *id)
{
	size_t i;

	if (!set->byid || set->nbyid != set->n) {
		for (i = 0; i < set->n; i++)
			if (strcmp(set->items[i].id, id) == 0)
				return &set->items[i];
		return NULL;
	}
	i = id_find(set, set->byid, set->n, id, strlen(id));
	return i < set->n ? &set->items[set->byid[i]] : NULL;
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
static int check_references(const hw_fr_set *set, const hw_fr *fr,
			    const size_t *ids, hw_diags *diags)
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
		idn = ref_len(set->model, b + i, len - i);
		if (!idn || (i + idn < len && is_word(b[i + idn])))
			continue;
		if (id_find(set, ids, set->n, b + i, idn) == set->n &&
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
	size_t *own;
	const size_t *ids = sorted_ids(set, &own);
	int err = HW_OK;

	HW_CHECK_ALLOC(ids);
	for (size_t i = 1; i < set->n; i++) {
		const hw_fr *first, *dup;

		if (strcmp(set->items[ids[i]].id, set->items[ids[i - 1]].id) != 0)
			continue;
		/* report every later definition against the first one */
		size_t f = i - 1;

		first = &set->items[ids[f]];
		while (f > 0 && strcmp(set->items[ids[f - 1]].id, first->id) == 0)
			first = &set->items[ids[--f]];
		dup = &set->items[ids[i]];
		if ((err = hw_diags_add(diags, HW_DIAG_ERROR, dup->file,
					dup->line, 0,
					"duplicate FR id %s (first defined at "
					"%s:%ld)",
					dup->id, first->file, first->line)))
			goto cleanup;
	}
	for (size_t i = 0; i < set->n; i++)
		if ((err = check_references(set, &set->items[i], ids, diags)))
			goto cleanup;
cleanup:
	free(own);
	return err;
}
