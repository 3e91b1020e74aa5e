/*
 * test_link.c — per-FR status and defects, the gate and its baseline, and
 * the trace outputs, on small in-memory repositories.
 */
#include "harness.h"

#include "trace/trace.h"

typedef struct world {
	hw_fr_set frs;
	hw_diags d;
	hw_scan scan;
	hw_results results;
	hw_lcov lcov;
	hw_policy policy;
	hw_baseline baseline;
	hw_trace t;
} world;

static const char frs_doc[] =
	"## FR-A-001: Verified one\nRev: 2\nStatus: approved\nNeeds: impl, "
	"utest\n\nText.\n\n"
	"## FR-A-002: Failing one\nRev: 1\nStatus: approved\nNeeds: impl, "
	"utest\n\nText.\n\n"
	"## FR-A-003: Untested one\nRev: 1\nStatus: approved\nNeeds: impl, "
	"utest\n\nText.\n\n"
	"## FR-A-004: Partial one\nRev: 1\nStatus: approved\nNeeds: impl, "
	"utest, itest\n\nText.\n\n"
	"## FR-A-005: Nobody\nRev: 1\nStatus: draft\nNeeds: impl\n\nText.\n\n"
	"## FR-A-006: Deprecated\nRev: 1\nStatus: deprecated\nNeeds: impl\n\n"
	"Text.\n\n"
	"## FR-A-007: Low coverage\nRev: 1\nStatus: approved\nNeeds: impl\n\n"
	"Text.\n\n"
	"## FR-A-008: Waived\nRev: 1\nStatus: approved\nNeeds: impl\n\n"
	"Text.\n";

static const char src_c[] =
	"/* Implements: FR-A-001@2, FR-A-002, FR-A-003, FR-A-004 */\n" /* 1 */
	"int covered(int x)\n"                                         /* 2 */
	"{\n"                                                          /* 3 */
	"\treturn x + 1;\n"                                            /* 4 */
	"}\n"                                                          /* 5 */
	"/* Implements: FR-A-007, FR-A-006, FR-NOPE-001, FR-A-001@1 */\n"
	"int cold(int x)\n"                                            /* 7 */
	"{\n"                                                          /* 8 */
	"\tif (x)\n"                                                   /* 9 */
	"\t\treturn 2;\n"                                              /* 10 */
	"\treturn 3;\n"                                                /* 11 */
	"}\n"                                                          /* 12 */
	"/* Implements: FR-A-001@9 */\n"                               /* 13 */
	"int future(void) { return 0; }\n";                            /* 14 */

static const char test_c[] =
	"/* Verifies: FR-A-001 */\nstatic void test_ok(void **s) {}\n"
	"/* Verifies: FR-A-002 */\nstatic void test_bad(void **s) {}\n"
	"/* Verifies: FR-A-002 */\nstatic void test_flaky(void **s) {}\n"
	"/* Verifies: FR-A-003 */\nstatic void test_never_ran(void **s) {}\n"
	"/* Verifies: FR-A-004 */\nstatic void test_skipped(void **s) {}\n"
	"static void test_orphan(void **s) {}\n";

static void add_file(hw_scan *s, const char *path, int is_test,
		     const char *text)
{
	hw_src_file *f;

	s->files = realloc(s->files, (s->n + 1) * sizeof(*s->files));
	assert_non_null(s->files);
	f = &s->files[s->n++];
	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	f->is_test = is_test;
	f->lang = HW_LANG_C;
	assert_int_equal(hw_scan_text(f, text, strlen(text)), HW_OK);
}

static void build(world *w, const char *waivers_json, const char *today)
{
	const char *tap = "1..5\nok 1 - test_ok\nnot ok 2 - test_bad\n"
			  "ok 3 - test_flaky\nnot ok 4 - test_flaky\n"
			  "ok 5 - test_skipped # SKIP\n";
	const char *info = "SF:src/a.c\nDA:3,1\nDA:4,1\nDA:8,1\nDA:9,1\n"
			   "DA:10,0\nDA:11,0\nend_of_record\n";

	memset(w, 0, sizeof(*w));
	hw_fr_set_init(&w->frs);
	hw_diags_init(&w->d);
	assert_int_equal(hw_frs_parse(&w->frs, &w->d, "frs/a.md", frs_doc,
				      strlen(frs_doc)),
			 HW_OK);
	assert_int_equal(w->d.errors, 0);
	add_file(&w->scan, "src/a.c", 0, src_c);
	add_file(&w->scan, "tests/t.c", 1, test_c);
	hw_results_init(&w->results);
	assert_int_equal(hw_tap_parse(&w->results, &w->d, "r.tap", tap,
				      strlen(tap)),
			 HW_OK);
	hw_lcov_init(&w->lcov);
	assert_int_equal(hw_lcov_parse(&w->lcov, &w->d, "c.info", info,
				       strlen(info), "/repo"),
			 HW_OK);
	assert_int_equal(w->d.errors, 0);
	if (waivers_json) {
		hw_test_write("policy.json", waivers_json, strlen(waivers_json));
		assert_int_equal(hw_policy_load(&w->policy, "policy.json", 0),
				 HW_OK);
	} else {
		assert_int_equal(hw_policy_defaults(&w->policy), HW_OK);
	}
	assert_int_equal(hw_trace_build(&w->t, &w->frs, &w->scan, &w->results,
					&w->lcov, &w->policy, &w->baseline,
					NULL, today),
			 HW_OK);
}

static void teardown(world *w)
{
	hw_trace_free(&w->t);
	hw_baseline_free(&w->baseline);
	hw_policy_free(&w->policy);
	hw_lcov_free(&w->lcov);
	hw_results_free(&w->results);
	hw_scan_free(&w->scan);
	hw_fr_set_free(&w->frs);
	hw_diags_free(&w->d);
}

static hw_fr_state state_of(const world *w, const char *id)
{
	for (size_t i = 0; i < w->t.nfrs; i++)
		if (strcmp(w->t.frs[i].fr->id, id) == 0)
			return w->t.frs[i].state;
	fail_msg("no FR %s", id);
	return HW_ST_UNCOVERED;
}

static const hw_defect *defect(const world *w, hw_defect_kind k, size_t nth)
{
	for (size_t i = 0; i < w->t.ndefects; i++)
		if (w->t.defects[i].kind == k && nth-- == 0)
			return &w->t.defects[i];
	return NULL;
}

static const char waived_policy[] =
	"{\n  \"schema\": \"hwledger.policy/1\",\n"
	"  \"coverage_threshold\": 80,\n"
	"  \"waivers\": [\n"
	"    {\"fr\": \"FR-A-008\", \"reason\": \"hardware only\", "
	"\"expires\": \"2030-01-01\"},\n"
	"    {\"fr\": \"FR-A-005\", \"reason\": \"old\", \"expires\": "
	"\"2020-01-01\"}\n  ]\n}\n";

/* Verifies: FR-TRACE-004 */
static void test_each_status_is_decided_by_the_brief_rules(void **state)
{
	world w;

	(void)state;
	build(&w, waived_policy, "2026-11-25");
	assert_int_equal(state_of(&w, "FR-A-001"), HW_ST_VERIFIED);
	assert_int_equal(state_of(&w, "FR-A-002"), HW_ST_FAILING);
	assert_int_equal(state_of(&w, "FR-A-003"), HW_ST_UNTESTED);
	assert_int_equal(state_of(&w, "FR-A-004"), HW_ST_PARTIAL);
	assert_int_equal(state_of(&w, "FR-A-005"), HW_ST_UNCOVERED);
	assert_int_equal(state_of(&w, "FR-A-007"), HW_ST_PARTIAL);
	assert_int_equal(state_of(&w, "FR-A-008"), HW_ST_WAIVED);
	/* FR-A-001: covered() lines 3-4 all ran */
	assert_int_equal(w.t.frs[0].cov_lines, 2);
	assert_int_equal(w.t.frs[0].cov_hit, 2);
	assert_int_equal(w.t.frs[0].tests, 1);
	assert_int_equal(w.t.frs[0].tests_passed, 1);
	teardown(&w);
}

/* Verifies: FR-TRACE-004 */
static void test_every_defect_kind_is_found_with_its_place(void **state)
{
	world w;
	const hw_defect *d;

	(void)state;
	build(&w, waived_policy, "2026-11-25");
	d = defect(&w, HW_DEF_UNKNOWN_FR, 0);
	assert_non_null(d);
	assert_string_equal(d->file, "src/a.c");
	assert_int_equal(d->line, 6);
	assert_non_null(strstr(d->message, "cold() implements FR-NOPE-001"));
	d = defect(&w, HW_DEF_OUTDATED_REV, 0);
	assert_non_null(d);
	assert_non_null(strstr(d->message, "FR-A-001@1, but the FR is at "
					   "revision 2"));
	d = defect(&w, HW_DEF_MALFORMED_TAG, 0);
	assert_non_null(d);
	assert_int_equal(d->line, 13);
	assert_non_null(strstr(d->message, "FR-A-001@9 but the FR is only at "
					   "revision 2"));
	d = defect(&w, HW_DEF_DEPRECATED_IMPL, 0);
	assert_non_null(d);
	assert_non_null(strstr(d->message, "FR-A-006 is deprecated but cold()"));
	d = defect(&w, HW_DEF_ORPHAN_TEST, 0);
	assert_non_null(d);
	assert_string_equal(d->file, "tests/t.c");
	assert_int_equal(d->line, 11);
	d = defect(&w, HW_DEF_FAILING_TEST, 0);
	assert_non_null(d);
	assert_non_null(strstr(d->message, "test_bad() verifies FR-A-002 and "
					   "failed"));
	d = defect(&w, HW_DEF_FAILING_TEST, 1);
	assert_non_null(d);
	assert_non_null(strstr(d->message, "test_flaky() verifies FR-A-002 and "
					   "failed in at least one of its runs"));
	d = defect(&w, HW_DEF_NO_RESULT, 0);
	assert_non_null(d);
	assert_non_null(strstr(d->message, "test_never_ran() verifies "
					   "FR-A-003 but no imported result"));
	d = defect(&w, HW_DEF_NO_RESULT, 1);
	assert_non_null(d);
	assert_non_null(strstr(d->message, "it was skipped"));
	d = defect(&w, HW_DEF_EXPIRED_WAIVER, 0);
	assert_non_null(d);
	assert_string_equal(d->file, "policy.json");
	assert_int_equal(d->line, 6);
	d = defect(&w, HW_DEF_LOW_COVERAGE, 0);
	assert_non_null(d);
	assert_string_equal(d->fr, "FR-A-007");
	assert_non_null(strstr(d->message, "2 of 4 implementing lines ran "
					   "(50.0%)"));
	/* ids are kind-prefixed and stable */
	assert_true(strncmp(d->id, "low-coverage-", 13) == 0);
	assert_int_equal(strlen(d->id), 13 + 16);
	teardown(&w);
}

/* Verifies: FR-TRACE-004 */
static void test_duplicate_fr_and_suspect_text_are_defects(void **state)
{
	hw_fr_set frs;
	hw_diags d;
	hw_scan scan = {0};
	hw_baseline b = {0};
	hw_trace t;
	const char *doc = "## FR-D-001: One\nRev: 1\nStatus: draft\n\nA.\n\n"
			  "## FR-D-001: Again\nRev: 1\nStatus: draft\n\nB.\n";
	char *ids[] = {"FR-D-001"};
	int revs[] = {1};
	char shas[1][HW_SHA256_HEX_LEN + 1];
	int states[] = {HW_ST_UNCOVERED};

	(void)state;
	hw_fr_set_init(&frs);
	hw_diags_init(&d);
	assert_int_equal(hw_frs_parse(&frs, &d, "frs/d.md", doc, strlen(doc)),
			 HW_OK);
	memset(shas[0], 'a', HW_SHA256_HEX_LEN);
	shas[0][HW_SHA256_HEX_LEN] = '\0';
	b.fr_ids = ids;
	b.fr_rev = revs;
	b.fr_sha = shas;
	b.fr_state = states;
	b.nfrs = 1;
	b.loaded = 1;
	assert_int_equal(hw_trace_build(&t, &frs, &scan, NULL, NULL, NULL, &b,
					NULL, "2026-01-01"),
			 HW_OK);
	assert_int_equal(t.nfrs, 1);
	assert_int_equal(t.ndefects, 2);
	/* sorted by place: the suspect FR's heading comes first */
	assert_int_equal(t.defects[0].kind, HW_DEF_SUSPECT_TEXT);
	assert_non_null(strstr(t.defects[0].message, "changed but its Rev is "
						     "still 1"));
	assert_int_equal(t.defects[1].kind, HW_DEF_DUPLICATE_FR);
	assert_int_equal(t.defects[1].line, 7);
	assert_non_null(strstr(t.defects[1].message, "first defined at "
						     "frs/d.md:1"));
	hw_trace_free(&t);
	hw_fr_set_free(&frs);
	hw_diags_free(&d);
}

/* Verifies: FR-TRACE-006 */
static void test_gate_fails_with_reasons_and_passes_when_clean(void **state)
{
	world w;
	hw_diags reasons;
	hw_policy lax;

	(void)state;
	build(&w, waived_policy, "2026-11-25");
	hw_diags_init(&reasons);
	assert_int_equal(hw_gate(&w.t, &w.policy, NULL, &reasons, "2026-11-25"),
			 HW_EFAIL);
	/* share, 4 unverified approved FRs, then the failing defects */
	/* the one waived FR counts for the share, and is called waived */
	assert_non_null(strstr(reasons.items[0].message,
			       "2 of 6 approved FRs are verified or waived "
			       "(1 waived) (33.3%)"));
	assert_non_null(strstr(reasons.items[1].message, "FR-A-002 is failing"));
	{
		int unknown = 0, expired = 0, failing = 0;

		for (size_t i = 0; i < reasons.n; i++) {
			unknown += !!strstr(reasons.items[i].message,
					    "unknown-fr:");
			expired += !!strstr(reasons.items[i].message,
					    "expired-waiver:");
			failing += !!strstr(reasons.items[i].message,
					    "failing-test:");
		}
		assert_int_equal(unknown, 1);
		assert_int_equal(expired, 1);
		assert_int_equal(failing, 2);
	}
	hw_diags_free(&reasons);

	/* a policy that asks for nothing still fails on an expired waiver */
	assert_int_equal(hw_policy_defaults(&lax), HW_OK);
	lax.min_verified_share = 0;
	hw_strv_free(lax.fail_on);
	lax.fail_on = NULL;
	hw_diags_init(&reasons);
	assert_int_equal(hw_gate(&w.t, &lax, NULL, &reasons, "2026-11-25"),
			 HW_EFAIL);
	assert_int_equal(reasons.errors, 1);
	assert_non_null(strstr(reasons.items[0].message, "expired-waiver"));
	hw_diags_free(&reasons);
	hw_policy_free(&lax);
	teardown(&w);
}

/* Verifies: FR-TRACE-006 */
static void test_gate_baseline_ratchet_fails_only_on_new_things(void **state)
{
	world w;
	hw_diags reasons;
	hw_baseline b;

	(void)state;
	build(&w, waived_policy, "2026-11-25");
	assert_int_equal(hw_baseline_write("baseline.json", &w.t), HW_OK);
	assert_int_equal(hw_baseline_load(&b, "baseline.json", 0), HW_OK);
	assert_int_equal(b.ndefects, w.t.ndefects);
	assert_int_equal(b.nfrs, 8);
	hw_diags_init(&reasons);
	/* only the expired waiver, which never passes, remains */
	assert_int_equal(hw_gate(&w.t, &w.policy, &b, &reasons, "2026-11-25"),
			 HW_EFAIL);
	assert_int_equal(reasons.errors, 1);
	assert_non_null(strstr(reasons.items[0].message, "expired-waiver"));
	hw_diags_free(&reasons);

	/* a regression: FR-A-001 was verified in the baseline */
	w.t.frs[0].state = HW_ST_UNTESTED;
	hw_diags_init(&reasons);
	assert_int_equal(hw_gate(&w.t, &w.policy, &b, &reasons, "2026-11-25"),
			 HW_EFAIL);
	assert_non_null(strstr(reasons.items[0].message,
			       "FR-A-001 regressed from verified to untested"));
	hw_diags_free(&reasons);
	hw_baseline_free(&b);
	assert_int_equal(hw_baseline_load(&b, "missing.json", 1), HW_OK);
	assert_false(b.loaded);
	hw_test_write("bad.json", "{\"schema\": 1}", 13);
	assert_int_equal(hw_baseline_load(&b, "bad.json", 0), HW_EINVAL);
	teardown(&w);
}

/* Verifies: FR-TRACE-006 */
static void test_policy_is_validated_with_lines(void **state)
{
	hw_policy p;
	const char *bad_kind = "{\n  \"fail_on\": [\"typo\"]\n}\n";
	const char *bad_date = "{\n  \"waivers\": [\n    {\"fr\": \"FR-A-001\", "
			       "\"reason\": \"r\", \"expires\": \"2026-02-30\"}\n"
			       "  ]\n}\n";
	const char *no_reason = "{\"waivers\": [{\"fr\": \"FR-A-001\", "
				"\"expires\": \"2026-02-03\"}]}";
	const char *unknown = "{\n\n  \"min_verified\": 1\n}";
	const char *share = "{\"min_verified_share\": 1.5}";

	(void)state;
	hw_test_write("p.json", bad_kind, strlen(bad_kind));
	assert_int_equal(hw_policy_load(&p, "p.json", 0), HW_EINVAL);
	assert_string_equal(hw_error_last(), "p.json:2: \"fail_on\": unknown "
					     "defect kind 'typo'");
	hw_test_write("p.json", bad_date, strlen(bad_date));
	assert_int_equal(hw_policy_load(&p, "p.json", 0), HW_EINVAL);
	assert_string_equal(hw_error_last(), "p.json:3: the waiver for FR-A-001 "
					     "needs \"expires\": \"YYYY-MM-DD\"");
	hw_test_write("p.json", no_reason, strlen(no_reason));
	assert_int_equal(hw_policy_load(&p, "p.json", 0), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "needs a \"reason\""));
	hw_test_write("p.json", unknown, strlen(unknown));
	assert_int_equal(hw_policy_load(&p, "p.json", 0), HW_EINVAL);
	assert_string_equal(hw_error_last(), "p.json:3: unknown key "
					     "\"min_verified\"");
	hw_test_write("p.json", share, strlen(share));
	assert_int_equal(hw_policy_load(&p, "p.json", 0), HW_EINVAL);
	assert_int_equal(hw_policy_load(&p, "none.json", 1), HW_OK);
	assert_true(p.min_verified_share == 1.0);
	assert_true(p.coverage_threshold == 80.0);
	hw_policy_free(&p);
}

/* Verifies: FR-TRACE-006, FR-TRACE-012 */
static void test_baseline_is_refused_at_the_line_of_a_bad_entry(void **state)
{
	static const char sha[] =
		"5698111e2fd21732f30cb306bc9ef1337ec9210fbd340f1276826cbae770675d";
	hw_baseline b;
	char text[512];

	(void)state;
	snprintf(text, sizeof(text),
		 "{\"schema\": \"hwledger.baseline/1\",\n"
		 " \"defects\": [\"a\",\n  7],\n \"frs\": []}\n");
	hw_test_write("b.json", text, strlen(text));
	assert_int_equal(hw_baseline_load(&b, "b.json", 0), HW_EINVAL);
	assert_string_equal(hw_error_last(),
			    "b.json:3: \"defects\" must hold defect ids");
	snprintf(text, sizeof(text),
		 "{\"schema\": \"hwledger.baseline/1\", \"defects\": [],\n"
		 " \"frs\": [\n"
		 "  {\"id\": \"FR-A-001\", \"rev\": 1, \"sha256\": \"%s\", "
		 "\"status\": \"verified\"},\n"
		 "  {\"id\": \"FR-A-002\", \"rev\": 1, \"status\": \"verified\"}"
		 "]}\n",
		 sha);
	hw_test_write("b.json", text, strlen(text));
	assert_int_equal(hw_baseline_load(&b, "b.json", 0), HW_EINVAL);
	assert_string_equal(hw_error_last(),
			    "b.json:4: each entry of \"frs\" needs id, rev, "
			    "sha256 and status");
	/* Rev 1.5 is no revision, not Rev 1; a digest in capitals would
	 * never equal the FR's own and flag its text as changed */
	snprintf(text, sizeof(text),
		 "{\"schema\": \"hwledger.baseline/1\", \"defects\": [],\n"
		 " \"frs\": [{\"id\": \"FR-A-001\", \"rev\": 1.5, "
		 "\"sha256\": \"%s\", \"status\": \"verified\"}]}\n",
		 sha);
	hw_test_write("b.json", text, strlen(text));
	assert_int_equal(hw_baseline_load(&b, "b.json", 0), HW_EINVAL);
	assert_string_equal(hw_error_last(),
			    "b.json:2: FR-A-001: \"rev\" must be a whole number "
			    "and \"sha256\" 64 lowercase hex digits");
	snprintf(text, sizeof(text),
		 "{\"schema\": \"hwledger.baseline/1\", \"defects\": [],\n"
		 " \"frs\": [{\"id\": \"FR-A-001\", \"rev\": 2, "
		 "\"sha256\": \"%.63sF\", \"status\": \"verified\"}]}\n",
		 sha);
	hw_test_write("b.json", text, strlen(text));
	assert_int_equal(hw_baseline_load(&b, "b.json", 0), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "b.json:2: FR-A-001: "));
	snprintf(text, sizeof(text),
		 "{\"schema\": \"hwledger.baseline/1\", \"defects\": [],\n"
		 " \"frs\": [{\"id\": \"FR-A-001\", \"rev\": 2, "
		 "\"sha256\": \"%s\", \"status\": \"verified\"}]}\n",
		 sha);
	hw_test_write("b.json", text, strlen(text));
	assert_int_equal(hw_baseline_load(&b, "b.json", 0), HW_OK);
	assert_int_equal(b.nfrs, 1);
	assert_int_equal(b.fr_rev[0], 2);
	hw_baseline_free(&b);
}

/* Verifies: FR-TRACE-005 */
static void test_outputs_are_valid_and_complete(void **state)
{
	world w;
	hw_buf o;
	cJSON *j = NULL, *runs, *results, *r0;

	(void)state;
	build(&w, NULL, "2026-11-25");
	hw_buf_init(&o, 0);
	assert_int_equal(hw_trace_write_json(&o, &w.t), HW_OK);
	assert_int_equal(hw_json_parse(&j, "t.json", o.data, o.len), HW_OK);
	assert_string_equal(cJSON_GetObjectItem(j, "schema")->valuestring,
			    "hwledger.trace/1");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "frs")), 8);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "defects")),
			 (int)w.t.ndefects);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "summary"),
					     "verified")->valueint,
			 2); /* FR-A-001 and the deprecated FR-A-006 */
	cJSON_Delete(j);

	hw_buf_clear(&o);
	assert_int_equal(hw_trace_write_sarif(&o, &w.t), HW_OK);
	assert_int_equal(hw_json_parse(&j, "t.sarif", o.data, o.len), HW_OK);
	assert_string_equal(cJSON_GetObjectItem(j, "version")->valuestring,
			    "2.1.0");
	runs = cJSON_GetObjectItem(j, "runs");
	results = cJSON_GetObjectItem(cJSON_GetArrayItem(runs, 0), "results");
	assert_int_equal(cJSON_GetArraySize(results), (int)w.t.ndefects);
	r0 = cJSON_GetArrayItem(results, 0);
	assert_non_null(cJSON_GetObjectItem(r0, "ruleId"));
	assert_non_null(cJSON_GetObjectItem(
		cJSON_GetObjectItem(r0, "partialFingerprints"),
		"hwledgerDefect/v1"));
	cJSON_Delete(j);

	hw_buf_clear(&o);
	assert_int_equal(hw_trace_write_md(&o, &w.t), HW_OK);
	assert_non_null(strstr(o.data, "| FR-A-001 | 2 | verified | 1 | 1/1 | "
				       "100.0% | 2 | Verified one |"));
	assert_non_null(strstr(o.data, "<details><summary>Defects"));

	hw_buf_clear(&o);
	assert_int_equal(hw_trace_write_text(&o, &w.t, 0), HW_OK);
	assert_non_null(strstr(o.data, "FR-A-002    1  approved    failing"));
	assert_non_null(strstr(o.data, "approved FRs verified: 1/6"));
	hw_buf_free(&o);
	teardown(&w);
}

/* Verifies: FR-TRACE-004 */
static void test_defect_ids_survive_line_moves(void **state)
{
	world a;
	hw_fr_set frs;
	hw_diags d;
	hw_scan moved = {0};
	char shifted[sizeof(src_c) + 8];
	hw_trace t;

	(void)state;
	build(&a, NULL, "2026-11-25");
	snprintf(shifted, sizeof(shifted), "\n\n\n%s", src_c);
	hw_fr_set_init(&frs);
	hw_diags_init(&d);
	assert_int_equal(hw_frs_parse(&frs, &d, "frs/a.md", frs_doc,
				      strlen(frs_doc)),
			 HW_OK);
	add_file(&moved, "src/a.c", 0, shifted);
	add_file(&moved, "tests/t.c", 1, test_c);
	assert_int_equal(hw_trace_build(&t, &frs, &moved, &a.results, &a.lcov,
					&a.policy, NULL, NULL, "2026-11-25"),
			 HW_OK);
	for (size_t i = 0; i < a.t.ndefects; i++) {
		int found = 0;

		if (a.t.defects[i].kind == HW_DEF_LOW_COVERAGE)
			continue; /* coverage lines moved too */
		for (size_t k = 0; k < t.ndefects && !found; k++)
			found = !strcmp(a.t.defects[i].id, t.defects[k].id);
		if (!found)
			fail_msg("defect %s lost its id", a.t.defects[i].id);
	}
	hw_trace_free(&t);
	hw_scan_free(&moved);
	hw_fr_set_free(&frs);
	hw_diags_free(&d);
	teardown(&a);
}

/* Two files define test_common, each verifying its own FR; which one a
 * result is for, the outcome of a trace with only that result file. */
static void trace_common(hw_trace *t, hw_fr_set *frs, hw_scan *scan,
			 const char *results_file, const char *text)
{
	static const char doc[] =
		"## FR-X-001: X\nRev: 1\nStatus: approved\nNeeds: utest\n\nT.\n\n"
		"## FR-Y-001: Y\nRev: 1\nStatus: approved\nNeeds: utest\n\nT.\n";
	hw_results res;
	hw_diags d;
	hw_policy p;

	hw_fr_set_init(frs);
	hw_diags_init(&d);
	memset(scan, 0, sizeof(*scan));
	assert_int_equal(hw_frs_parse(frs, &d, "frs/a.md", doc, strlen(doc)),
			 HW_OK);
	add_file(scan, "tests/test_x.c", 1,
		 "/* Verifies: FR-X-001 */\nvoid test_common(void **s) {}\n");
	add_file(scan, "tests/test_y.c", 1,
		 "/* Verifies: FR-Y-001 */\nvoid test_common(void **s) {}\n");
	hw_results_init(&res);
	if (text[0] == '<')
		assert_int_equal(hw_junit_parse(&res, &d, results_file, text,
						strlen(text)),
				 HW_OK);
	else
		assert_int_equal(hw_tap_parse(&res, &d, results_file, text,
					      strlen(text)),
				 HW_OK);
	assert_int_equal(d.errors, 0);
	assert_int_equal(hw_policy_defaults(&p), HW_OK);
	assert_int_equal(hw_trace_build(t, frs, scan, &res, NULL, &p, NULL,
					NULL, "2026-11-25"),
			 HW_OK);
	hw_policy_free(&p);
	hw_results_free(&res);
	hw_diags_free(&d);
}

static hw_fr_state common_state(const char *results_file, const char *text,
				const char *id, int *ambiguous)
{
	hw_trace t;
	hw_fr_set frs;
	hw_scan scan;
	hw_fr_state st = HW_ST_UNCOVERED;

	trace_common(&t, &frs, &scan, results_file, text);
	*ambiguous = 0;
	for (size_t i = 0; i < t.nfrs; i++)
		if (!strcmp(t.frs[i].fr->id, id))
			st = t.frs[i].state;
	for (size_t i = 0; i < t.ndefects; i++)
		if (t.defects[i].kind == HW_DEF_NO_RESULT &&
		    strstr(t.defects[i].message, "cannot be told"))
			(*ambiguous)++;
	hw_trace_free(&t);
	hw_scan_free(&scan);
	hw_fr_set_free(&frs);
	return st;
}

/* Verifies: FR-TRACE-002 */
static void test_results_match_the_test_file_not_only_the_name(void **state)
{
	const char *only_y = "<testsuite name=\"all\"><testcase "
			     "name=\"test_common\" classname=\"test_y\"/>"
			     "</testsuite>";
	const char *by_path = "<testsuites><testsuite name=\"tests/test_x.c\">"
			      "<testcase name=\"test_common\"/></testsuite>"
			      "</testsuites>";
	const char *tap = "1..1\nok 1 - test_common\n";
	int amb;

	(void)state;
	/* issue #23: a result only for test_y.c verified test_x.c's FR too */
	assert_int_equal(common_state("r.xml", only_y, "FR-Y-001", &amb),
			 HW_ST_VERIFIED);
	assert_int_equal(common_state("r.xml", only_y, "FR-X-001", &amb),
			 HW_ST_UNTESTED);
	assert_int_equal(amb, 0);
	/* a suite named by path, then a TAP file named after the test file */
	assert_int_equal(common_state("r.xml", by_path, "FR-X-001", &amb),
			 HW_ST_VERIFIED);
	assert_int_equal(common_state("r.xml", by_path, "FR-Y-001", &amb),
			 HW_ST_UNTESTED);
	assert_int_equal(common_state("out/test_y.tap", tap, "FR-Y-001", &amb),
			 HW_ST_VERIFIED);
	assert_int_equal(common_state("out/test_y.tap", tap, "FR-X-001", &amb),
			 HW_ST_UNTESTED);
	/* nothing says which file: a defect on both, never a pass */
	assert_int_equal(common_state("all.tap", tap, "FR-X-001", &amb),
			 HW_ST_UNTESTED);
	assert_int_equal(common_state("all.tap", tap, "FR-Y-001", &amb),
			 HW_ST_UNTESTED);
	assert_int_equal(amb, 2);
}

/* The failing-test defects no requirement names, "file:line message"
 * each, one per line, into out. */
static void unowned_failures(const hw_trace *t, char *out, size_t size)
{
	size_t w = 0;

	out[0] = '\0';
	for (size_t i = 0; i < t->ndefects && w < size; i++)
		if (t->defects[i].kind == HW_DEF_FAILING_TEST && !t->defects[i].fr)
			w += (size_t)snprintf(out + w, size - w, "%s:%ld %s\n",
					      t->defects[i].file,
					      t->defects[i].line,
					      t->defects[i].message);
}

/* A failed result fails the gate though no requirement shows it: one no
 * test function is for, one two functions of its name could be for, one
 * of a function without a Verifies tag (named like a test or not). A
 * passing one of each is no failing-test. */
/* Verifies: FR-TRACE-006, FR-TRACE-017 */
static void test_every_failed_result_fails_the_gate(void **state)
{
	static const char doc[] =
		"## FR-X-001: X\nRev: 1\nStatus: approved\nNeeds: utest\n\nT.\n";
	static const char *const taps[] = {
		"1..4\nok 1 - test_kept\nok 2 - test_common\n"
		"not ok 3 - test_gone\nok 4 - test_gone\n",
		"1..2\nok 1 - test_kept\nnot ok 2 - test_common\n",
		"1..3\nok 1 - test_kept\nnot ok 2 - test_orphan\n"
		"not ok 3 - check_more\n",
		"1..4\nok 1 - test_kept\nok 2 - test_gone\nok 3 - test_orphan\n"
		"ok 4 - check_more\n"};
	static const char *const want[] = {
		"r.tap:4 result test_gone failed and matches no test function, "
		"so no requirement shows the failure; closest: test_common, "
		"test_kept, test_orphan\n",
		"r.tap:3 result test_common failed, and which test function of "
		"its name it is cannot be told (tests/test_x.c, "
		"tests/test_y.c), so no requirement shows the failure\n",
		"tests/test_z.c:1 check_more() failed and verifies no "
		"requirement, so no requirement shows the failure: add a "
		"'Verifies:' tag\n"
		"tests/test_z.c:2 test_orphan() failed and verifies no "
		"requirement, so no requirement shows the failure: add a "
		"'Verifies:' tag\n",
		""};

	(void)state;
	for (size_t c = 0; c < sizeof(taps) / sizeof(*taps); c++) {
		hw_fr_set frs;
		hw_diags d, reasons;
		hw_scan scan;
		hw_results res;
		hw_policy p;
		hw_trace t;
		char got[1024];

		hw_fr_set_init(&frs);
		hw_diags_init(&d);
		memset(&scan, 0, sizeof(scan));
		assert_int_equal(hw_frs_parse(&frs, &d, "frs/a.md", doc,
					      strlen(doc)),
				 HW_OK);
		add_file(&scan, "tests/test_w.c", 1,
			 "/* Verifies: FR-X-001 */\nvoid test_kept(void) {}\n");
		add_file(&scan, "tests/test_x.c", 1,
			 "void test_common(void) {}\n");
		add_file(&scan, "tests/test_y.c", 1,
			 "void test_common(void) {}\n");
		add_file(&scan, "tests/test_z.c", 1,
			 "void check_more(void) {}\nvoid test_orphan(void) "
			 "{}\n");
		hw_results_init(&res);
		assert_int_equal(hw_tap_parse(&res, &d, "r.tap", taps[c],
					      strlen(taps[c])),
				 HW_OK);
		assert_int_equal(d.errors, 0);
		assert_int_equal(hw_policy_defaults(&p), HW_OK);
		assert_int_equal(hw_trace_build(&t, &frs, &scan, &res, NULL, &p,
						NULL, NULL, "2026-11-25"),
				 HW_OK);
		unowned_failures(&t, got, sizeof(got));
		assert_string_equal(got, want[c]);
		/* FR-X-001 is verified by test_kept where it ran: only the
		 * failure fails the gate */
		hw_diags_init(&reasons);
		assert_int_equal(hw_gate(&t, &p, NULL, &reasons, "2026-11-25"),
				 *want[c] ? HW_EFAIL : HW_OK);
		hw_diags_free(&reasons);
		hw_trace_free(&t);
		hw_policy_free(&p);
		hw_results_free(&res);
		hw_scan_free(&scan);
		hw_fr_set_free(&frs);
		hw_diags_free(&d);
	}
}

/* A trace of two levels, SYS- over FR-, from one document of each. */
static void trace_levels(hw_trace *t, hw_fr_set *frs, hw_frs_model *m,
			 hw_scan *scan, const char *sys, const char *fr)
{
	hw_diags d;
	hw_policy p;

	memset(m, 0, sizeof(*m));
	m->levels = calloc(2, sizeof(*m->levels));
	assert_non_null(m->levels);
	m->nlevels = 2;
	m->levels[0].name = strdup("system");
	m->levels[1].name = strdup("software");
	m->levels[1].needs = HW_NEED_IMPL;
	assert_int_equal(regcomp(&m->levels[0].re, "SYS-[0-9]{3}",
				 REG_EXTENDED), 0);
	assert_int_equal(regcomp(&m->levels[1].re, "FR-[A-Z]+-[0-9]{3}",
				 REG_EXTENDED), 0);
	hw_fr_set_init(frs);
	hw_diags_init(&d);
	frs->model = m;
	assert_int_equal(hw_frs_parse(frs, &d, "reqs/s.md", sys, strlen(sys)),
			 HW_OK);
	frs->level = 1;
	assert_int_equal(hw_frs_parse(frs, &d, "frs/a.md", fr, strlen(fr)),
			 HW_OK);
	assert_int_equal(d.errors, 0);
	memset(scan, 0, sizeof(*scan));
	add_file(scan, "src/a.c", 0,
		 "/* Implements: FR-A-001, FR-A-002, SYS-003 */\nint f(void) "
		 "{ return 0; }\n");
	assert_int_equal(hw_policy_defaults(&p), HW_OK);
	p.coverage_threshold = 0;
	assert_int_equal(hw_trace_build(t, frs, scan, NULL, NULL, &p, NULL,
					NULL, "2026-11-25"),
			 HW_OK);
	hw_policy_free(&p);
	hw_diags_free(&d);
}

static const hw_fr_trace *trace_of(const hw_trace *t, const char *id)
{
	for (size_t i = 0; i < t->nfrs; i++)
		if (!strcmp(t->frs[i].fr->id, id))
			return &t->frs[i];
	fail_msg("no %s", id);
	return NULL;
}

static size_t defects_of(const hw_trace *t, hw_defect_kind k, const char *fr)
{
	size_t n = 0;

	for (size_t i = 0; i < t->ndefects; i++)
		n += t->defects[i].kind == k && !strcmp(t->defects[i].fr, fr);
	return n;
}

/* Verifies: FR-TRACE-010 */
static void test_levels_roll_up_children_into_parents(void **state)
{
	static const char sys[] =
		"## SYS-001: Verified\nStatus: approved\n\nT.\n\n"
		"## SYS-002: Partial\nStatus: approved\n\nT.\n\n"
		"## SYS-003: Own needs\nStatus: approved\nNeeds: utest\n\nT.\n\n"
		"## SYS-004: Only a draft child\nStatus: approved\n\nT.\n";
	static const char fr[] =
		"## FR-A-001: A\nStatus: approved\nParent: SYS-001, SYS-003\n\nT.\n\n"
		"## FR-A-002: B\nStatus: approved\nParent: SYS-002\n\nT.\n\n"
		"## FR-A-003: C\nStatus: approved\nParent: SYS-002\n\nT.\n\n"
		"## FR-A-004: D\nStatus: draft\nParent: SYS-004\n\nT.\n";
	hw_trace t;
	hw_fr_set frs;
	hw_frs_model m;
	hw_scan scan;
	char why[128];

	(void)state;
	trace_levels(&t, &frs, &m, &scan, sys, fr);
	assert_int_equal(trace_of(&t, "SYS-001")->state, HW_ST_VERIFIED);
	assert_int_equal(trace_of(&t, "SYS-001")->nchildren, 1);
	assert_int_equal(trace_of(&t, "SYS-002")->state, HW_ST_PARTIAL);
	hw_trace_reason(why, sizeof(why), trace_of(&t, "SYS-002"));
	assert_string_equal(why, "child FR-A-003 is not verified");
	/* its child is verified and the tag naming it links, but its own
	 * utest is missing */
	assert_int_equal(trace_of(&t, "SYS-003")->impl, 1);
	assert_int_equal(trace_of(&t, "SYS-003")->state, HW_ST_PARTIAL);
	/* a draft child covers nothing */
	assert_int_equal(trace_of(&t, "SYS-004")->state, HW_ST_UNCOVERED);
	assert_int_equal(defects_of(&t, HW_DEF_UNCOVERED_PARENT, "SYS-004"), 1);
	assert_int_equal(defects_of(&t, HW_DEF_UNCOVERED_PARENT, "SYS-002"), 0);
	/* software requirements are judged on their own links only */
	assert_int_equal(trace_of(&t, "FR-A-003")->state, HW_ST_UNCOVERED);
	assert_int_equal(trace_of(&t, "FR-A-003")->rolled, 0);
	hw_trace_free(&t);
	hw_scan_free(&scan);
	hw_fr_set_free(&frs);
	hw_frs_model_free(&m);
}

/* Verifies: FR-TRACE-011 */
static void test_levels_link_defects_and_cycles(void **state)
{
	static const char sys[] =
		"## SYS-001: Old\nStatus: deprecated\n\nT.\n\n"
		"## SYS-002: Self\nStatus: draft\nParent: SYS-002\n\nT.\n";
	static const char fr[] =
		"## FR-A-001: A\nStatus: approved\nParent: SYS-001, SYS-404\n\nT.\n\n"
		"## FR-A-002: B\nStatus: draft\nParent: FR-A-003\n\nT.\n\n"
		"## FR-A-003: C\nStatus: draft\nParent: FR-A-002\n\nT.\n\n"
		"## FR-A-004: D\nStatus: draft\nDerived: yes\n\nT.\n\n"
		"## FR-A-005: E\nStatus: draft\nDepends: FR-A-005\n\nT.\n";
	hw_trace t;
	hw_fr_set frs;
	hw_frs_model m;
	hw_scan scan;

	(void)state;
	trace_levels(&t, &frs, &m, &scan, sys, fr);
	assert_int_equal(defects_of(&t, HW_DEF_DEPRECATED_PARENT, "FR-A-001"), 1);
	assert_int_equal(defects_of(&t, HW_DEF_UNKNOWN_PARENT, "FR-A-001"), 1);
	assert_int_equal(defects_of(&t, HW_DEF_PARENT_NOT_HIGHER, "SYS-002"), 1);
	assert_int_equal(defects_of(&t, HW_DEF_PARENT_NOT_HIGHER, "FR-A-002"), 1);
	assert_int_equal(defects_of(&t, HW_DEF_PARENT_NOT_HIGHER, "FR-A-003"), 1);
	assert_int_equal(defects_of(&t, HW_DEF_DERIVED_NO_RATIONALE, "FR-A-004"), 1);
	/* FR-A-002 <-> FR-A-003 through Parent; FR-A-005 on itself through
	 * Depends; a self Parent is parent-not-higher, not a cycle */
	assert_int_equal(defects_of(&t, HW_DEF_LINK_CYCLE, "FR-A-002"), 1);
	assert_int_equal(defects_of(&t, HW_DEF_LINK_CYCLE, "FR-A-005"), 1);
	assert_int_equal(defects_of(&t, HW_DEF_LINK_CYCLE, "SYS-002"), 0);
	hw_trace_free(&t);
	hw_scan_free(&scan);
	hw_fr_set_free(&frs);
	hw_frs_model_free(&m);
}

/*
 * A result joins the Catch2 test case whose name is its whole name, else
 * the longest one its name begins with before a '/', " - " or '<' (a
 * section, a template instance): "a/b/c" is a section of "a/b", not of
 * "a". A test function that is no Catch2 test case takes no section:
 * "test_c/x" is no run of test_c().
 */
/* Verifies: FR-TRACE-017 */
static void test_catch2_sections_join_the_longest_test_case(void **state)
{
	static const char doc[] =
		"## FR-X-001: X\nRev: 1\nStatus: approved\nNeeds: utest\n\nT.\n\n"
		"## FR-Y-001: Y\nRev: 1\nStatus: approved\nNeeds: utest\n\nT.\n\n"
		"## FR-Z-001: Z\nRev: 1\nStatus: approved\nNeeds: utest\n\nT.\n";
	static const char cpp[] =
		"#include \"catch.hpp\"\n"
		"// Verifies: FR-X-001\n"
		"TEST_CASE(\"a\") { SECTION(\"b\") {} SECTION(\"x\") {} }\n"
		"// Verifies: FR-Y-001\n"
		"TEST_CASE(\"a/b\") { SECTION(\"c\") {} }\n";
	static const char c[] =
		"/* Verifies: FR-Z-001 */\nvoid test_c(void **s) {}\n";
	static const char xml[] =
		"<testsuite name=\"t\">"
		"<testcase classname=\"t.global\" name=\"a/b\"/>"
		"<testcase classname=\"t.global\" name=\"a/b/c\">"
		"<failure message=\"no\"/></testcase>"
		"<testcase classname=\"t.global\" name=\"a/x\"/>"
		"<testcase classname=\"t.global\" name=\"test_c/x\"/>"
		"</testsuite>";
	const char *const paths[] = {"tests/t.cpp", "tests/test_c.c"};
	const char *const texts[] = {cpp, c};
	hw_fr_set frs;
	hw_diags d;
	hw_scan scan;
	hw_results res;
	hw_policy p;
	hw_trace t;
	const hw_defect *rwt = NULL;

	(void)state;
	hw_fr_set_init(&frs);
	hw_diags_init(&d);
	memset(&scan, 0, sizeof(scan));
	assert_int_equal(hw_frs_parse(&frs, &d, "frs/x.md", doc, strlen(doc)),
			 HW_OK);
	for (size_t i = 0; i < 2; i++) {
		hw_src_file *f;

		add_file(&scan, paths[i], 1, "");
		f = &scan.files[scan.n - 1];
		f->lang = i == 0 ? HW_LANG_CPP : HW_LANG_C;
		assert_int_equal(hw_scan_text(f, texts[i], strlen(texts[i])),
				 HW_OK);
	}
	hw_results_init(&res);
	assert_int_equal(hw_junit_parse(&res, &d, "r.xml", xml, strlen(xml)),
			 HW_OK);
	assert_int_equal(d.errors, 0);
	assert_int_equal(hw_policy_defaults(&p), HW_OK);
	assert_int_equal(hw_trace_build(&t, &frs, &scan, &res, NULL, &p, NULL,
					NULL, "2026-12-07"),
			 HW_OK);
	for (size_t i = 0; i < t.nfrs; i++) {
		const hw_fr_trace *ft = &t.frs[i];
		hw_fr_state want = !strcmp(ft->fr->id, "FR-X-001")
					   ? HW_ST_VERIFIED
				   : !strcmp(ft->fr->id, "FR-Y-001")
					   ? HW_ST_FAILING
					   : HW_ST_UNTESTED;

		assert_int_equal(ft->state, want);
	}
	for (size_t i = 0; i < t.ndefects; i++)
		if (t.defects[i].kind == HW_DEF_RESULT_WITHOUT_TEST) {
			assert_null(rwt);
			rwt = &t.defects[i];
		}
	assert_non_null(rwt);
	assert_non_null(strstr(rwt->message, "test_c/x"));
	hw_trace_free(&t);
	hw_policy_free(&p);
	hw_results_free(&res);
	hw_scan_free(&scan);
	hw_fr_set_free(&frs);
	hw_diags_free(&d);
}

/*
 * pytest runs a test class's inherited test methods under the subclass
 * ("tests.test_x.Sub" "test_sign"): such a run is a run of the base
 * class's test function when the subclass names its bases by plain names
 * of its own module (several, and a chain), so a failure under the
 * subclass fails the base test's requirement. A base imported from
 * another module is not followed: that run is a result-without-test.
 */
/* Verifies: FR-TRACE-017 */
static void test_inherited_python_test_methods_join_the_base_s(void **state)
{
	static const char doc[] =
		"## FR-X-001: X\nRev: 1\nStatus: approved\nNeeds: utest\n\nT.\n\n"
		"## FR-Y-001: Y\nRev: 1\nStatus: approved\nNeeds: utest\n\nT.\n";
	static const char py[] =
		"from other import Far\n"
		"class Base:\n"
		"    # Verifies: FR-X-001\n"
		"    def test_sign(self): pass\n"
		"class Mixin:\n"
		"    # Verifies: FR-Y-001\n"
		"    def test_check(self): pass\n"
		"class Mid(Base):\n"
		"    pass\n"
		"class Sub(Mid, Mixin):\n"
		"    pass\n"
		"class Near(Far):\n"
		"    pass\n";
	static const char xml[] =
		"<testsuite name=\"pytest\">"
		"<testcase classname=\"tests.test_x.Base\" name=\"test_sign\"/>"
		"<testcase classname=\"tests.test_x.Mid\" name=\"test_sign\"/>"
		"<testcase classname=\"tests.test_x.Sub\" name=\"test_sign[a]\">"
		"<failure message=\"no\"/></testcase>"
		"<testcase classname=\"test_x.Sub\" name=\"test_check\"/>"
		"<testcase classname=\"tests.test_x.Near\" name=\"test_far\"/>"
		"</testsuite>";
	hw_fr_set frs;
	hw_diags d;
	hw_scan scan;
	hw_results res;
	hw_policy p;
	hw_trace t;
	const hw_defect *rwt = NULL;

	(void)state;
	hw_fr_set_init(&frs);
	hw_diags_init(&d);
	memset(&scan, 0, sizeof(scan));
	assert_int_equal(hw_frs_parse(&frs, &d, "frs/x.md", doc, strlen(doc)),
			 HW_OK);
	add_file(&scan, "tests/test_x.py", 1, "");
	scan.files[0].lang = HW_LANG_PY;
	assert_int_equal(hw_scan_text(&scan.files[0], py, strlen(py)), HW_OK);
	hw_results_init(&res);
	assert_int_equal(hw_junit_parse(&res, &d, "r.xml", xml, strlen(xml)),
			 HW_OK);
	assert_int_equal(d.errors, 0);
	assert_int_equal(hw_policy_defaults(&p), HW_OK);
	assert_int_equal(hw_trace_build(&t, &frs, &scan, &res, NULL, &p, NULL,
					NULL, "2026-12-07"),
			 HW_OK);
	assert_int_equal(t.nfrs, 2);
	/* Base.test_sign failed under Sub; Mixin.test_check ran only there */
	assert_int_equal(t.frs[0].state, HW_ST_FAILING);
	assert_int_equal(t.frs[1].state, HW_ST_VERIFIED);
	for (size_t i = 0; i < t.ndefects; i++) {
		if (t.defects[i].kind == HW_DEF_FAILING_TEST)
			assert_non_null(t.defects[i].fr);
		if (t.defects[i].kind == HW_DEF_RESULT_WITHOUT_TEST) {
			assert_null(rwt);
			rwt = &t.defects[i];
		}
	}
	assert_non_null(rwt);
	assert_non_null(strstr(rwt->message, "tests.test_x.Near test_far"));
	hw_trace_free(&t);
	hw_policy_free(&p);
	hw_results_free(&res);
	hw_scan_free(&scan);
	hw_fr_set_free(&frs);
	hw_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		hw_tmp_test(test_each_status_is_decided_by_the_brief_rules),
		hw_tmp_test(test_every_defect_kind_is_found_with_its_place),
		cmocka_unit_test(test_duplicate_fr_and_suspect_text_are_defects),
		hw_tmp_test(test_gate_fails_with_reasons_and_passes_when_clean),
		hw_tmp_test(test_gate_baseline_ratchet_fails_only_on_new_things),
		hw_tmp_test(test_policy_is_validated_with_lines),
		hw_tmp_test(test_baseline_is_refused_at_the_line_of_a_bad_entry),
		hw_tmp_test(test_outputs_are_valid_and_complete),
		hw_tmp_test(test_defect_ids_survive_line_moves),
		cmocka_unit_test(test_results_match_the_test_file_not_only_the_name),
		cmocka_unit_test(test_every_failed_result_fails_the_gate),
		cmocka_unit_test(test_levels_roll_up_children_into_parents),
		cmocka_unit_test(test_levels_link_defects_and_cycles),
		cmocka_unit_test(test_catch2_sections_join_the_longest_test_case),
		cmocka_unit_test(
			test_inherited_python_test_methods_join_the_base_s),
	};

	assert_int_equal(hw_crypto_init(), HW_OK);
	return cmocka_run_group_tests_name("link", tests, NULL, NULL);
}
