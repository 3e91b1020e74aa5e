/*
 * review.c — traceability/reviews.json (hwledger.reviews/1): the state of
 * each requirement as last reviewed, and the signed ledger events that
 * recorded the reviews (specs/traceability.md, "Change impact and
 * reviews"). `hwledger review` writes it; trace reads it to tell which
 * links are suspect, and believes an entry only when its signed event,
 * carried in the file, verifies under a trusted key and lists it.
 */
#include "trace.h"

#include "ledger/ledger.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REVIEWS_MAX_BYTES ((size_t)64 << 20)
#define REVIEW_SCHEMA "hwledger.review/1"

/* A signed review event of the file, and what checking it found. */
struct hw_review_event {
	hw_event ev;
	char hash[HW_SHA256_HEX_LEN + 1]; /* ev.hash in hex: the sort key */
	char date[11];           /* the UTC date of ev.time_ns */
	int checked;             /* 0 not yet, 1 good, -1 bad (why says) */
	int unlisted;            /* bad: its key is not in trusted_keys */
	char why[200];
	char signer[HW_KEY_NAME_MAX + 16]; /* the trusted key's name+id */
	cJSON *payload;          /* hwledger.review/1 */
	const cJSON **reqs;      /* its requirements, sorted by id */
	size_t nreqs;
};

static void event_free(struct hw_review_event *v)
{
	hw_event_free(&v->ev);
	cJSON_Delete(v->payload);
	free(v->reqs);
}

static void review_free(hw_review *e)
{
	free(e->id);
	free(e->reason);
	free(e->date);
	free(e->key_id);
	free(e->why);
}

void hw_reviews_free(hw_reviews *r)
{
	for (size_t i = 0; i < r->n; i++)
		review_free(&r->items[i]);
	for (size_t i = 0; i < r->nevents; i++)
		event_free(&r->events[i]);
	free(r->items);
	free(r->events);
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

static int event_cmp(const void *a, const void *b)
{
	const struct hw_review_event *x = a, *y = b;

	return strcmp(x->hash, y->hash);
}

/* The event with this hex hash, or NULL. */
static struct hw_review_event *event_find(const hw_reviews *r,
					  const char *hash)
{
	struct hw_review_event key;

	memset(&key, 0, sizeof(key)); /* event_cmp reads only the hash */
	snprintf(key.hash, sizeof(key.hash), "%s", hash);
	return r->nevents ? bsearch(&key, r->events, r->nevents,
				    sizeof(*r->events), event_cmp)
			  : NULL;
}

/* *c = *e with its own copies of e's strings. */
static int review_copy(hw_review *c, const hw_review *e)
{
	*c = *e;
	c->id = hw_strdup(e->id);
	c->reason = hw_strdup(e->reason ? e->reason : "");
	c->date = hw_strdup(e->date ? e->date : "");
	c->key_id = hw_strdup(e->key_id ? e->key_id : "");
	c->why = NULL;
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

/* v takes ev (a copy of its fields when copy is set). */
static int event_init(struct hw_review_event *v, const hw_event *ev, int copy)
{
	memset(v, 0, sizeof(*v));
	v->ev = *ev;
	if (copy) {
		v->ev.kind = hw_strdup(ev->kind ? ev->kind : "");
		v->ev.commit = hw_strdup(ev->commit ? ev->commit : "");
		v->ev.payload_type =
			hw_strdup(ev->payload_type ? ev->payload_type : "");
		v->ev.payload = malloc(ev->payload_len ? ev->payload_len : 1);
		if (!v->ev.kind || !v->ev.commit || !v->ev.payload_type ||
		    !v->ev.payload) {
			hw_event_free(&v->ev);
			return hw_error_oom();
		}
		if (ev->payload_len)
			memcpy(v->ev.payload, ev->payload, ev->payload_len);
	}
	hw_hex(v->hash, ev->hash, 32);
	hw_date_of((time_t)(ev->time_ns / 1000000000), v->date);
	return HW_OK;
}

/* Implements: FR-TRACE-012 */
int hw_reviews_put(hw_reviews *r, const hw_review *e, const hw_event *ev)
{
	hw_review c;
	int found;
	size_t at = review_find(r, e->id, &found);
	char hash[HW_SHA256_HEX_LEN + 1], date[11];
	int err;

	hw_hex(hash, ev->hash, 32);
	hw_date_of((time_t)(ev->time_ns / 1000000000), date);
	if (!event_find(r, hash)) { /* one review event names many IDs */
		if (HW_ARRAY_GROW(r->events, r->nevents, r->events_cap))
			return hw_error_oom();
		if ((err = event_init(&r->events[r->nevents], ev, 1)))
			return err;
		r->nevents++;
		qsort(r->events, r->nevents, sizeof(*r->events), event_cmp);
	}
	if (review_copy(&c, e))
		return hw_error_code();
	c.seq = (long long)ev->seq;
	memcpy(c.event_hash, hash, sizeof(c.event_hash));
	free(c.date);
	if (!(c.date = hw_strdup(date))) {
		review_free(&c);
		return hw_error_oom();
	}
	c.verified = 1;
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

static int req_cmp(const void *a, const void *b)
{
	return strcmp(hw_json_str(*(const cJSON *const *)a, "id"),
		      hw_json_str(*(const cJSON *const *)b, "id"));
}

/* v's payload as hwledger.review/1, its requirements sorted by id; 0 when
 * it is not one. */
static int read_payload(struct hw_review_event *v)
{
	const cJSON *list, *x;
	size_t n = 0;

	v->payload = cJSON_ParseWithLength((const char *)v->ev.payload,
					   v->ev.payload_len);
	list = cJSON_GetObjectItemCaseSensitive(v->payload, "requirements");
	if (!v->payload || !hw_json_str(v->payload, "schema") ||
	    strcmp(hw_json_str(v->payload, "schema"), REVIEW_SCHEMA) != 0 ||
	    !hw_json_str(v->payload, "reason") || !cJSON_IsArray(list))
		return 0;
	n = (size_t)cJSON_GetArraySize(list) + 1;
	/* hwledger-sast-ignore bugprone-sizeof-expression: an array of pointers */
	v->reqs = calloc(n, sizeof(*v->reqs));
	/* hwledger-sast-ignore analyzer-malloc-leak: v->reqs is v's, freed with v, also after a failure below */
	if (!v->reqs)
		return 0;
	n = 0;
	cJSON_ArrayForEach(x, list) {
		if (!hw_json_str(x, "id") || !hw_json_str(x, "sha256") ||
		    !whole(cJSON_GetObjectItemCaseSensitive(x, "rev"), 1,
			   999999))
			return 0;
		v->reqs[n++] = x;
	}
	v->nreqs = n;
	/* hwledger-sast-ignore bugprone-sizeof-expression: an array of pointers */
	qsort(v->reqs, n, sizeof(*v->reqs), req_cmp);
	return 1;
}

/* Checks v once: a review event whose bytes match its hash, signed by a
 * key of ring, with a hwledger.review/1 payload. */
static void event_check(struct hw_review_event *v, const hw_keyring *ring)
{
	const hw_event *ev = &v->ev;
	const hw_pubkey *key = NULL;
	int listed = 0;
	uint8_t leaf[32];
	hw_buf enc;

	if (v->checked)
		return;
	v->checked = -1;
	hw_buf_init(&enc, 0);
	if (hw_event_encode(&enc, ev)) {
		hw_error_clear();
		snprintf(v->why, sizeof(v->why), "event %llu cannot be encoded",
			 (unsigned long long)ev->seq);
		hw_buf_free(&enc);
		return;
	}
	hw_leaf_hash(leaf, enc.data, enc.len);
	hw_buf_free(&enc);
	for (size_t i = 0; ring && i < ring->n && !key; i++)
		if (!memcmp(ring->keys[i].id, ev->key_id, 4)) {
			listed = 1;
			if (!hw_event_verify_sig(ev, &ring->keys[i]))
				key = &ring->keys[i];
		}
	if (strcmp(ev->kind, "review") != 0 ||
	    strcmp(ev->payload_type, "application/json") != 0)
		snprintf(v->why, sizeof(v->why),
			 "event %llu is of kind '%.40s', not a review",
			 (unsigned long long)ev->seq, ev->kind);
	else if (memcmp(leaf, ev->hash, 32) != 0)
		snprintf(v->why, sizeof(v->why),
			 "event %llu does not hash to its event_hash",
			 (unsigned long long)ev->seq);
	else if (!listed) {
		v->unlisted = 1;
		/* hwledger-sast-ignore FF1019: a literal joined to a macro's literal */
		snprintf(v->why, sizeof(v->why),
			 "event %llu is signed by key %02x%02x%02x%02x, which "
			 "is not in " HW_LEDGER_TRUSTED,
			 (unsigned long long)ev->seq, ev->key_id[0],
			 ev->key_id[1], ev->key_id[2], ev->key_id[3]);
	} else if (!key)
		snprintf(v->why, sizeof(v->why),
			 "the signature of event %llu does not verify under "
			 "the trusted key %02x%02x%02x%02x",
			 (unsigned long long)ev->seq, ev->key_id[0],
			 ev->key_id[1], ev->key_id[2], ev->key_id[3]);
	else if (!read_payload(v))
		snprintf(v->why, sizeof(v->why),
			 "the payload of event %llu is not a " REVIEW_SCHEMA
			 " document",
			 (unsigned long long)ev->seq);
	else
		v->checked = 1;
	if (key)
		snprintf(v->signer, sizeof(v->signer), "%s+%02x%02x%02x%02x",
			 key->name, key->id[0], key->id[1], key->id[2],
			 key->id[3]);
}

/* The payload's entry of id, or NULL. */
static const cJSON *payload_entry(const struct hw_review_event *v,
				  const char *id)
{
	size_t lo = 0, hi = v->nreqs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(hw_json_str(v->reqs[mid], "id"), id);

		if (!c)
			return v->reqs[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* What about e's event, or about e against its event, fails (into why);
 * NULL when the event proves e. */
static const char *entry_check(hw_reviews *r, hw_review *e,
			       const hw_keyring *ring, char *why, size_t size)
{
	struct hw_review_event *v = event_find(r, e->event_hash);
	const cJSON *req;

	if (!v) {
		snprintf(why, size,
			 "the file holds no signed event with its event_hash");
		return why;
	}
	event_check(v, ring);
	if (v->checked < 0) {
		e->key_unlisted = v->unlisted;
		return v->why;
	}
	req = payload_entry(v, e->id);
	if ((unsigned long long)e->seq != v->ev.seq)
		snprintf(why, size, "its seq %lld is not event %llu's",
			 e->seq, (unsigned long long)v->ev.seq);
	else if (strcmp(e->key_id, v->signer) != 0)
		snprintf(why, size, "its key_id is not %s, the event's signer",
			 v->signer);
	else if (strcmp(e->date, v->date) != 0)
		snprintf(why, size, "its date is not %s, the event's", v->date);
	else if (strcmp(e->reason, hw_json_str(v->payload, "reason")) != 0)
		snprintf(why, size, "its reason is not the signed one");
	else if (!req ||
		 cJSON_GetObjectItemCaseSensitive(req, "rev")->valueint !=
			 e->rev ||
		 strcmp(hw_json_str(req, "sha256"), e->sha256) != 0)
		snprintf(why, size,
			 "signed event %llu does not list %s Rev %d with this "
			 "text hash",
			 (unsigned long long)v->ev.seq, e->id, e->rev);
	else
		return NULL;
	return why;
}

/* Sets each entry's verified, or its why. */
static int reviews_verify(hw_reviews *r, int old_form)
{
	hw_keyring ring = {0};
	int err = HW_OK;

	if (!old_form && r->n &&
	    (err = hw_ledger_trusted(&ring, NULL, 0, 0)))
		return err;
	for (size_t i = 0; i < r->n && !err; i++) {
		hw_review *e = &r->items[i];
		char buf[200];
		const char *why = buf;

		if (old_form)
			snprintf(buf, sizeof(buf),
				 "an entry of the older form, without its "
				 "signed event");
		else
			why = entry_check(r, e, &ring, buf, sizeof(buf));
		e->verified = !why;
		if (why && !(e->why = hw_strdup(why)))
			err = hw_error_oom();
	}
	hw_keyring_free(&ring);
	return err;
}

/* Reads the file's "events" (sorted by hash); a malformed one is an error
 * where it starts. */
static int load_events(hw_reviews *r, const cJSON *list, const char *text,
		       size_t len)
{
	size_t n = (size_t)cJSON_GetArraySize(list);
	long *lines = calloc(n ? n : 1, sizeof(*lines));
	long *cols = calloc(n ? n : 1, sizeof(*cols));
	const cJSON *x;
	int err = HW_OK;

	r->events = calloc(n ? n : 1, sizeof(*r->events));
	r->events_cap = n;
	if (!lines || !cols || !r->events)
		err = hw_error_oom();
	if (!err)
		hw_json_lines(text, len, (const char *const[]){"events", NULL},
			      lines, cols, n);
	for (x = err ? NULL : list->child; x; x = x->next) {
		hw_event ev;

		memset(&ev, 0, sizeof(ev));
		if (!hw_event_read_json(&ev, x)) {
			hw_event_free(&ev);
			err = hw_error_set(HW_EINVAL, r->path, lines[r->nevents],
					   cols[r->nevents],
					   "each event needs the fields of a "
					   "ledger bundle's event (seq, prev, "
					   "time_ns, kind, commit, "
					   "payload_type, payload, hash, "
					   "key_id, sig)");
			break;
		}
		event_init(&r->events[r->nevents++], &ev, 0);
	}
	if (!err && r->nevents)
		qsort(r->events, r->nevents, sizeof(*r->events), event_cmp);
	free(lines);
	free(cols);
	return err;
}

/* Implements: FR-TRACE-012 */
int hw_reviews_load(hw_reviews *r, const char *path, int may_miss)
{
	cJSON *root = NULL;
	const cJSON *list, *events, *x;
	const char *schema;
	hw_buf text;
	size_t n, nul;
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
	/* a NUL would cut an ID or hash short: "SYS-001\u0000x" read as
	 * "SYS-001" */
	if ((nul = hw_json_nul_escape(text.data, text.len)) < text.len) {
		long line, col;

		hw_text_position(text.data, text.len, nul, &line, &col);
		err = hw_error_set(HW_EINVAL, path, line, col,
				   "\\u0000 in a string: a NUL is no part of "
				   "an ID, hash or reason");
	}
	schema = hw_json_str(root, "schema");
	list = cJSON_GetObjectItemCaseSensitive(root, "reviews");
	events = cJSON_GetObjectItemCaseSensitive(root, "events");
	if (!err && (!schema || strcmp(schema, HW_REVIEWS_SCHEMA) != 0 ||
		     !cJSON_IsArray(list) || (events && !cJSON_IsArray(events))))
		err = hw_error_set(HW_EINVAL, path, 1, 1,
				   "not a reviews file: expected schema \"%s\" "
				   "with a \"reviews\" array (and an "
				   "\"events\" array)",
				   HW_REVIEWS_SCHEMA);
	if (!err && events)
		err = load_events(r, events, text.data, text.len);
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
		const char *date = hw_json_str(x, "date");
		int ymd[3];
		hw_review e;

		if (!id || !*id || !whole(rev, 1, 999999) || !hex64(sha) ||
		    !whole(seq, 0, 9007199254740991.0) ||
		    !hex64(hash) || !hw_json_str(x, "reason") ||
		    !date || !hw_date_parse(date, 0, ymd) ||
		    strlen(date) != 10 || !hw_json_str(x, "key_id")) {
			err = hw_error_set(HW_EINVAL, path, lines[r->n],
					   cols[r->n],
					   "each review needs id, rev (a whole "
					   "number from 1), sha256 (64 hex "
					   "digits), reason, date (a real date "
					   "YYYY-MM-DD), key_id, seq (a whole "
					   "number from 0) and event_hash");
			break;
		}
		memset(&e, 0, sizeof(e));
		e.id = (char *)id;
		e.rev = rev->valueint;
		memcpy(e.sha256, sha, sizeof(e.sha256));
		e.reason = (char *)hw_json_str(x, "reason");
		e.date = (char *)date;
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
	if (!err)
		err = reviews_verify(r, !events);
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
	unsigned char *used = calloc(r->nevents ? r->nevents : 1, 1);
	hw_buf b;
	hw_jw w;
	int err = HW_OK;

	HW_CHECK_ALLOC(used);
	hw_buf_init(&b, 0);
	hw_jw_init(&w, &b, 1);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", HW_REVIEWS_SCHEMA);
	hw_jw_key(&w, "reviews");
	hw_jw_array(&w);
	for (size_t i = 0; i < r->n; i++) {
		const hw_review *e = &r->items[i];
		const struct hw_review_event *v = event_find(r, e->event_hash);

		if (v)
			used[v - r->events] = 1;
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
	/* the events some entry names; one no entry names any more goes */
	hw_jw_key(&w, "events");
	hw_jw_array(&w);
	for (size_t i = 0; i < r->nevents && !err; i++)
		if (used[i])
			err = hw_event_write_json(&w, &r->events[i].ev);
	hw_jw_end(&w);
	hw_jw_end(&w);
	if (!err)
		err = hw_jw_finish(&w);
	if (!err && (err = hw_mkdir_parent(path)) == HW_OK)
		err = hw_file_write_atomic(path, b.data, b.len);
	hw_buf_free(&b);
	free(used);
	return err;
}

const hw_review *hw_reviews_find(const hw_reviews *r, const char *id)
{
	int found = 0;
	size_t at = r && r->n ? review_find(r, id, &found) : 0;

	return found ? &r->items[at] : NULL;
}

/* Implements: FR-TRACE-012 */
int hw_reviewed_state(const hw_reviews *r, const hw_baseline *b,
		      const char *id, int *rev, const char **sha)
{
	const hw_review *e = hw_reviews_find(r, id);

	if (e && e->verified) {
		*rev = e->rev;
		*sha = e->sha256;
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
