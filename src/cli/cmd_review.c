/*
 * cmd_review.c — `hwledger review ID... [--all] -m REASON [--key FILE]`:
 * records that the current state (Rev and text hash) of requirements was
 * reviewed, as one signed ledger event, and in traceability/reviews.json,
 * so that the links to them are no longer suspect (specs/traceability.md,
 * "Change impact and reviews").
 *
 * Every input is checked before anything is appended or written: bad input
 * leaves the ledger and reviews.json as they were.
 */
#include "cli/cli.h"
#include "ledger/ledger.h"
#include "trace/trace.h"

#include <stdlib.h>
#include <string.h>

#define review_usage(...) hw_cli_usage_error("review", __VA_ARGS__)

typedef struct review_run {
	hw_config cfg;
	hw_fr_set frs;
	hw_diags diags;
	hw_baseline baseline;
	hw_reviews reviews;
	const hw_fr **pick;     /* the requirements to review, sorted by ID */
	size_t npick;
} review_run;

static void run_free(review_run *r)
{
	free(r->pick);
	hw_reviews_free(&r->reviews);
	hw_baseline_free(&r->baseline);
	hw_fr_set_free(&r->frs);
	hw_diags_free(&r->diags);
	hw_config_free(&r->cfg);
}

/* By ID, then by place in the set: the first definition first. */
static int fr_ptr_cmp(const void *a, const void *b)
{
	const hw_fr *x = *(const hw_fr *const *)a, *y = *(const hw_fr *const *)b;
	int c = strcmp(x->id, y->id);

	return c ? c : (x > y) - (x < y);
}

/* Adds fr to the picks (repeats go when they are sorted). */
static void pick(review_run *r, const hw_fr *fr)
{
	r->pick[r->npick++] = fr;
}

/* The payload of the review event (hwledger.review/1). */
static int review_payload(hw_buf *out, const review_run *r,
			  const char *reason)
{
	hw_jw w;

	hw_jw_init(&w, out, 0);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", "hwledger.review/1");
	hw_jw_kstr(&w, "reason", reason);
	hw_jw_key(&w, "requirements");
	hw_jw_array(&w);
	for (size_t i = 0; i < r->npick; i++) {
		hw_jw_object(&w);
		/* hwledger-sast-ignore clang-analyzer-core.NullDereference: pick() set pick[0..npick) */
		hw_jw_kstr(&w, "id", r->pick[i]->id);
		hw_jw_kint(&w, "rev", r->pick[i]->rev);
		hw_jw_kstr(&w, "sha256", r->pick[i]->sha256);
		hw_jw_end(&w);
	}
	hw_jw_end(&w);
	hw_jw_end(&w);
	return hw_jw_finish(&w);
}

/* Appends the event signed with k; *ev points at it as stored, in list
 * (the ledger read back), which the caller frees. */
static int append_review(const hw_buf *payload, const hw_seckey *k,
			 hw_event_list *list, const hw_event **ev)
{
	hw_append item = {"review", "application/json", payload->data,
			  payload->len};
	hw_ledger l;
	char commit[64];
	uint64_t seq;
	int dirty, err;

	*ev = NULL;
	if ((err = hw_ledger_open(&l, HW_LEDGER_DB, 1)))
		return err;
	hw_git_head(commit, sizeof(commit), &dirty);
	err = hw_ledger_append(&l, &item, 1, commit, k, &seq);
	if (!err)
		err = hw_ledger_load(&l, list);
	for (size_t i = 0; !err && i < list->n; i++)
		if (list->items[i].seq == seq)
			*ev = &list->items[i];
	if (!err && !*ev)
		err = hw_error_set(HW_EIO, HW_LEDGER_DB, 0, 0,
				   "event %llu was appended but cannot be "
				   "read back",
				   (unsigned long long)seq);
	hw_ledger_close(&l);
	return err;
}

/* Reads the requirements, the baseline and the reviews; picks the IDs (and
 * with all, every changed requirement). Returns an exit code. */
static int gather(review_run *r, char **ids, size_t nids, int all)
{
	int err;

	hw_diags_init(&r->diags);
	hw_fr_set_init(&r->frs);
	if ((err = hw_config_load(&r->cfg)) ||
	    (err = hw_frs_load(&r->frs, &r->diags, &r->cfg.model,
			       r->cfg.frs_dir, r->cfg.max_file_bytes)) ||
	    (err = hw_baseline_load(&r->baseline, HW_BASELINE_PATH, 1)) ||
	    (err = hw_reviews_load(&r->reviews, HW_REVIEWS_PATH, 1)))
		return hw_cli_error(err);
	if (r->diags.errors) {
		hw_diags_sort(&r->diags);
		hw_diags_print(&r->diags, stderr, 0);
		return HW_EXIT_BADINPUT;
	}
	/* hwledger-sast-ignore bugprone-sizeof-expression: an array of pointers */
	r->pick = calloc(nids + r->frs.n + 1, sizeof(*r->pick));
	if (!r->pick)
		return hw_cli_error(hw_error_oom());
	for (size_t i = 0; i < nids; i++) {
		/* the first definition, as trace takes it */
		const hw_fr *fr = hw_frs_find(&r->frs, ids[i]);

		if (!fr)
			return review_usage("review: %s is not a requirement "
					    "(nothing was reviewed)",
					    ids[i]);
		pick(r, fr);
	}
	for (size_t i = 0; all && i < r->frs.n; i++) {
		const hw_fr *fr = &r->frs.items[i];
		const char *sha;
		int rev;

		const hw_review *e = hw_reviews_find(&r->reviews, fr->id);

		/* an entry that does not verify is signed again */
		if ((e && !e->verified) ||
		    (hw_reviewed_state(&r->reviews, &r->baseline, fr->id, &rev,
				       &sha) &&
		     (rev != fr->rev || strcmp(sha, fr->sha256) != 0)))
			pick(r, fr);
	}
	/* hwledger-sast-ignore bugprone-sizeof-expression: an array of pointers */
	qsort(r->pick, r->npick, sizeof(*r->pick), fr_ptr_cmp);
	{ /* an ID defined twice is reviewed as trace reads it: the first */
		size_t kept = 0;

		for (size_t i = 0; i < r->npick; i++)
			if (!kept ||
			    strcmp(r->pick[kept - 1]->id, r->pick[i]->id) != 0)
				r->pick[kept++] = r->pick[i];
		r->npick = kept;
	}
	return HW_EXIT_OK;
}

/* Adds one -m to the reason: several are paragraphs, as git's commit -m
 * joins them; a blank one adds nothing. */
static int add_reason(hw_buf *reason, const char *m)
{
	if (!m[strspn(m, " \t\n")])
		return HW_OK;
	if (reason->len && hw_buf_puts(reason, "\n\n"))
		return hw_error_code();
	return hw_buf_puts(reason, m);
}

/* Implements: FR-TRACE-012 */
int hw_cmd_review(hw_cli *cli, int argc, char **argv)
{
	char **ids = calloc((size_t)argc + 1, sizeof(*ids));
	const char *keyfile = NULL;
	char key_id[HW_KEY_NAME_MAX + 16];
	size_t nids = 0;
	int all = 0, code, err = HW_OK;
	review_run r;
	hw_seckey k;
	hw_buf payload, reason;
	hw_event_list list = {0};
	const hw_event *ev = NULL;
	unsigned long long seq;

	memset(&r, 0, sizeof(r));
	if (!ids)
		return hw_cli_error(hw_error_oom());
	hw_buf_init(&reason, 0);
	for (int i = 1; i < argc && !err; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--all")) {
			all = 1;
		} else if (!strcmp(a, "-m") && i + 1 < argc) {
			err = add_reason(&reason, argv[++i]);
		} else if (!strcmp(a, "--key") && i + 1 < argc) {
			keyfile = argv[++i];
		} else if (a[0] == '-') {
			free(ids);
			hw_buf_free(&reason);
			return review_usage("review: bad argument '%s'", a);
		} else {
			ids[nids++] = argv[i];
		}
	}
	if (err) {
		free(ids);
		hw_buf_free(&reason);
		return hw_cli_error(err);
	}
	if ((!nids && !all) || !reason.len) {
		free(ids);
		hw_buf_free(&reason);
		return review_usage("review needs requirement IDs or --all, "
				    "and -m with a non-empty reason%s",
				    "");
	}
	code = gather(&r, ids, nids, all);
	free(ids);
	if (code || !r.npick) {
		if (!code && !cli->quiet)
			printf("review: no requirement changed since its "
			       "review; nothing recorded\n");
		run_free(&r);
		hw_buf_free(&reason);
		return hw_cli_finish(code);
	}
	/* the key before the ledger: without one nothing is appended */
	err = keyfile ? hw_seckey_load(&k, keyfile)
		      : hw_seckey_need(&k, (char[4096]){0}, 4096);
	hw_buf_init(&payload, HW_LEDGER_MAX_PAYLOAD);
	if (!err && !(err = review_payload(&payload, &r, reason.data)))
		err = append_review(&payload, &k, &list, &ev);
	hw_buf_free(&payload);
	if (err) {
		hw_event_list_free(&list);
		hw_buf_free(&reason);
		run_free(&r);
		return hw_cli_error(err);
	}
	/* hwledger-sast-ignore clang-analyzer-core.NullDereference: append_review set ev, as it succeeded */
	seq = ev->seq;
	snprintf(key_id, sizeof(key_id), "%s+%02x%02x%02x%02x", k.pub.name,
		 k.pub.id[0], k.pub.id[1], k.pub.id[2], k.pub.id[3]);
	for (size_t i = 0; i < r.npick && !err; i++) {
		hw_review e;

		memset(&e, 0, sizeof(e));
		e.id = (char *)r.pick[i]->id;
		e.rev = r.pick[i]->rev;
		memcpy(e.sha256, r.pick[i]->sha256, sizeof(e.sha256));
		e.reason = reason.data;
		e.key_id = key_id;
		err = hw_reviews_put(&r.reviews, &e, ev);
	}
	if (!err)
		err = hw_reviews_write(&r.reviews, HW_REVIEWS_PATH);
	if (err) {
		fprintf(stderr, "hwledger: ledger event %llu records the "
				"review, but %s was not updated\n",
			seq, HW_REVIEWS_PATH);
		hw_event_list_free(&list);
		hw_buf_free(&reason);
		run_free(&r);
		return hw_cli_error(err);
	}
	for (size_t i = 0; i < r.npick && !cli->quiet; i++)
		printf("review: %s Rev %d reviewed\n", r.pick[i]->id,
		       r.pick[i]->rev);
	if (!cli->quiet)
		printf("review: %zu requirement%s recorded in ledger event "
		       "%llu, signed by %s; %s updated\n",
		       r.npick, r.npick == 1 ? "" : "s", seq, key_id,
		       HW_REVIEWS_PATH);
	/* trace believes a review only under a trusted key */
	if (!hw_key_listed(HW_LEDGER_TRUSTED, &k.pub))
		fprintf(stderr, "hwledger: warning: %s is not in %s: trace "
				"will not accept this review until it is\n",
			key_id, HW_LEDGER_TRUSTED);
	hw_event_list_free(&list);
	hw_buf_free(&reason);
	run_free(&r);
	return hw_cli_finish(HW_EXIT_OK);
}
