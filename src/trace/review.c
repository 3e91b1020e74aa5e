/*
 * review.c — traceability/reviews.json (hwledger.reviews/1): the state of
 * each requirement as last reviewed (specs/traceability.md, "Change impact
 * and reviews"). `hwledger review` writes it; trace reads it to tell which
 * links are suspect.
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

#define REVIEWS_MAX_BYTES ((size_t)64 << 20)

static void review_free(hw_review *e)
{
	free(e->id);
	free(e->reason);
	free(e->date);
	free(e->key_id);
}

void hw_reviews_free(hw_reviews *r)
{
	for (size_t i = 0; i < r->n; i++)
		review_free(&r->items[i]);
	free(r->items);
	memset(r, 0, sizeof(*r));
}

/* The index of id in the sorted entries, or where it would go (*found 0). */
static size_t review_find(const hw_reviews *r, const char *id, int *found)
{
	size_t lo = 0, hi = r->n;

	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(r->items[mid].id, id);

		if (!c) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* *c = *e with its own copies of e's strings. */
static int review_copy(hw_review *c, const hw_review *e)
{
	*c = *e;
	c->id = hw_strdup(e->id);
	c->reason = hw_strdup(e->reason ? e->reason : "");
	c->date = hw_strdup(e->date ? e->date : "");
	c->key_id = hw_strdup(e->key_id ? e->key_id : "");
	if (c->id && c->reason && c->date && c->key_id)
		return HW_OK;
	review_free(c);
	return hw_error_oom();
}

static int review_cmp(const void *a, const void *b)
{
	const hw_review *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (!c)
		c = (x->line > y->line) - (x->line < y->line);
	return c ? c : (x->col > y->col) - (x->col < y->col);
}

/* Implements: FR-TRACE-012 */
int hw_reviews_put(hw_reviews *r, const hw_review *e)
{
	hw_review c;
	int found;
	size_t at = review_find(r, e->id, &found);

	if (review_copy(&c, e))
		return hw_error_code();
	if (!found && HW_ARRAY_GROW(r->items, r->n, r->cap)) {
		review_free(&c);
		return hw_error_oom();
	}
	if (found) {
		review_free(&r->items[at]);
	} else {
		memmove(&r->items[at + 1], &r->items[at],
			(r->n - at) * sizeof(*r->items));
		r->n++;
	}
	r->items[at] = c;
	return HW_OK;
}

/* A JSON number that is a whole number from lo to hi. */
static int whole(const cJSON *j, double lo, double hi)
{
	return cJSON_IsNumber(j) && j->valuedouble >= lo &&
	       j->valuedouble <= hi && (double)(long long)j->valuedouble ==
					       j->valuedouble;
}

static int hex64(const char *s)
{
	return s && strlen(s) == HW_SHA256_HEX_LEN &&
	       strspn(s, "0123456789abcdef") == HW_SHA256_HEX_LEN;
}

/* Implements: FR-TRACE-012 */
int hw_reviews_load(hw_reviews *r, const char *path, int may_miss)
{
	cJSON *root = NULL;
	const cJSON *list, *x;
	const char *schema;
	hw_buf text;
	size_t n;
	long *lines = NULL, *cols = NULL;
	int err;

	memset(r, 0, sizeof(*r));
	r->path = path;
	if (may_miss && !hw_path_exists(path))
		return HW_OK;
	hw_buf_init(&text, 0);
	if ((err = hw_file_read(&text, path, REVIEWS_MAX_BYTES)) ||
	    (err = hw_json_parse(&root, path, text.data ? text.data : "",
				 text.len))) {
		hw_buf_free(&text);
		return err;
	}
	schema = hw_json_str(root, "schema");
	list = cJSON_GetObjectItemCaseSensitive(root, "reviews");
	if (!schema || strcmp(schema, HW_REVIEWS_SCHEMA) != 0 ||
	    !cJSON_IsArray(list))
		err = hw_error_set(HW_EINVAL, path, 1, 1,
				   "not a reviews file: expected schema \"%s\" "
				   "with a \"reviews\" array",
				   HW_REVIEWS_SCHEMA);
	n = err ? 0 : (size_t)cJSON_GetArraySize(list);
	/* every entry's place, in one pass over the text (a document cJSON
	 * accepted) */
	r->items = calloc(n ? n : 1, sizeof(*r->items));
	lines = calloc(n ? n : 1, sizeof(*lines));
	cols = calloc(n ? n : 1, sizeof(*cols));
	if (!err && (!r->items || !lines || !cols))
		err = hw_error_oom();
	if (!err)
		hw_json_lines(text.data, text.len,
			      (const char *const[]){"reviews", NULL}, lines,
			      cols, n);
	r->cap = n;
	for (x = err ? NULL : list->child; x; x = x->next) {
		const cJSON *rev = cJSON_GetObjectItemCaseSensitive(x, "rev");
		const cJSON *seq = cJSON_GetObjectItemCaseSensitive(x, "seq");
		const char *id = hw_json_str(x, "id");
		const char *sha = hw_json_str(x, "sha256");
		const char *hash = hw_json_str(x, "event_hash");
		hw_review e;

		if (!id || !*id || !whole(rev, 1, 999999) || !hex64(sha) ||
		    !whole(seq, 0, 9007199254740991.0) ||
		    !hex64(hash) || !hw_json_str(x, "reason") ||
		    !hw_json_str(x, "date") || !hw_json_str(x, "key_id")) {
			err = hw_error_set(HW_EINVAL, path, lines[r->n],
					   cols[r->n],
					   "each review needs id, rev (a whole "
					   "number from 1), sha256 (64 hex "
					   "digits), reason, date, key_id, seq "
					   "(a whole number from 0) and "
					   "event_hash");
			break;
		}
		memset(&e, 0, sizeof(e));
		e.id = (char *)id;
		e.rev = rev->valueint;
		memcpy(e.sha256, sha, sizeof(e.sha256));
		e.reason = (char *)hw_json_str(x, "reason");
		e.date = (char *)hw_json_str(x, "date");
		e.key_id = (char *)hw_json_str(x, "key_id");
		e.seq = (long long)seq->valuedouble;
		memcpy(e.event_hash, hash, sizeof(e.event_hash));
		e.line = lines[r->n];
		e.col = cols[r->n];
		if ((err = review_copy(&r->items[r->n], &e)))
			break;
		r->n++;
	}
	/* sorted by ID once, not kept sorted entry by entry (a file in
	 * another order would cost a move per entry); a repeated ID is
	 * reported at its later entry */
	if (!err && r->n)
		qsort(r->items, r->n, sizeof(*r->items), review_cmp);
	for (size_t i = 1; !err && i < r->n; i++)
		if (!strcmp(r->items[i - 1].id, r->items[i].id)) {
			const hw_review *e = &r->items[i];

			err = hw_error_set(HW_EINVAL, path, e->line, e->col,
					   "a second review of %s: the file "
					   "holds one entry per requirement",
					   e->id);
		}
	free(lines);
	free(cols);
	cJSON_Delete(root);
	hw_buf_free(&text);
	if (err)
		hw_reviews_free(r);
	r->path = path;
	return err;
}

/* Implements: FR-TRACE-012 */
int hw_reviews_write(const hw_reviews *r, const char *path)
{
	hw_buf b;
	hw_jw w;
	int err;

	hw_buf_init(&b, 0);
	hw_jw_init(&w, &b, 1);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", HW_REVIEWS_SCHEMA);
	hw_jw_key(&w, "reviews");
	hw_jw_array(&w);
	for (size_t i = 0; i < r->n; i++) {
		const hw_review *e = &r->items[i];

		hw_jw_object(&w);
		hw_jw_kstr(&w, "id", e->id);
		hw_jw_kint(&w, "rev", e->rev);
		hw_jw_kstr(&w, "sha256", e->sha256);
		hw_jw_kstr(&w, "reason", e->reason);
		hw_jw_kstr(&w, "date", e->date);
		hw_jw_kstr(&w, "key_id", e->key_id);
		hw_jw_kint(&w, "seq", e->seq);
		hw_jw_kstr(&w, "event_hash", e->event_hash);
		hw_jw_end(&w);
	}
	hw_jw_end(&w);
	hw_jw_end(&w);
	err = hw_jw_finish(&w);
	if (!err && (err = hw_mkdir_parent(path)) == HW_OK)
		err = hw_file_write_atomic(path, b.data, b.len);
	hw_buf_free(&b);
	return err;
}

/* Implements: FR-TRACE-012 */
int hw_reviewed_state(const hw_reviews *r, const hw_baseline *b,
		      const char *id, int *rev, const char **sha)
{
	int found = 0;
	size_t at = r && r->n ? review_find(r, id, &found) : 0;

	if (found) {
		*rev = r->items[at].rev;
		*sha = r->items[at].sha256;
		return 1;
	}
	for (size_t i = 0; b && b->loaded && i < b->nfrs; i++)
		if (!strcmp(b->fr_ids[i], id)) {
			*rev = b->fr_rev[i];
			*sha = b->fr_sha[i];
			return 1;
		}
	return 0;
}
