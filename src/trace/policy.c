/*
 * policy.c — traceability/policy.json, the baseline file, and the gate
 * that applies them to a trace.
 */
#include "trace.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const default_fail_on[] = {
	"unknown-fr", "duplicate-fr", "malformed-tag", "failing-test",
	"expired-waiver", "sast-error", NULL};

/* The line of the value at path a[/b[/c]] of the policy, or 0. */
static long line_at(const char *text, size_t len, const char *a,
		    const char *b, const char *c)
{
	return hw_json_line(text, len, (const char *const[]){a, b, c, NULL},
			    NULL);
}

static int number_in(const cJSON *j, double lo, double hi, double *out)
{
	if (!cJSON_IsNumber(j) || isnan(j->valuedouble) ||
	    j->valuedouble < lo || j->valuedouble > hi)
		return 0;
	*out = j->valuedouble;
	return 1;
}

/* "untraced_functions": {"report": bool, "allow": [globs]} */
/* Implements: FR-TRACE-011 */
static int load_untraced(hw_policy *p, const cJSON *o, long line)
{
	const cJSON *report = cJSON_GetObjectItemCaseSensitive(o, "report");
	const cJSON *allow = cJSON_GetObjectItemCaseSensitive(o, "allow"), *x;
	int n = 0;

	cJSON_ArrayForEach(x, o) {
		n++;
	}
	if (!cJSON_IsObject(o) || !cJSON_IsBool(report) ||
	    n != 1 + (allow != NULL) || (allow && !cJSON_IsArray(allow)))
		goto bad;
	cJSON_ArrayForEach(x, allow) {
		if (!cJSON_IsString(x) || !x->valuestring[0])
			goto bad;
	}
	p->untraced_report = cJSON_IsTrue(report);
	p->untraced_allow = calloc((size_t)cJSON_GetArraySize(allow) + 1,
				   sizeof(char *));
	HW_CHECK_ALLOC(p->untraced_allow);
	n = 0;
	cJSON_ArrayForEach(x, allow) {
		if (!(p->untraced_allow[n++] = hw_strdup(x->valuestring)))
			return hw_error_oom();
	}
	return HW_OK;
bad:
	return hw_error_set(HW_EINVAL, p->path, line, 0,
			    "\"untraced_functions\" must be {\"report\": true "
			    "or false, \"allow\": [non-empty globs]}");
}

/* "min_verified_share": {"system": 1.0, ...}, a share by level name. */
/* Implements: FR-TRACE-010 */
static int load_level_shares(hw_policy *p, const cJSON *obj, const char *text,
			     size_t len, long line)
{
	size_t n = (size_t)cJSON_GetArraySize(obj);
	const cJSON *x;

	if (!n)
		return hw_error_set(HW_EINVAL, p->path, line, 0,
				    "\"min_verified_share\" must be a number "
				    "from 0 to 1 or an object of them by "
				    "level name");
	p->level_shares = calloc(n, sizeof(*p->level_shares));
	HW_CHECK_ALLOC(p->level_shares);
	cJSON_ArrayForEach(x, obj) {
		hw_level_share *ls = &p->level_shares[p->nlevel_shares];
		long at = line_at(text, len, "min_verified_share", x->string,
				  NULL);

		if (!number_in(x, 0, 1, &ls->share))
			return hw_error_set(HW_EINVAL, p->path, at ? at : line,
					    0,
					    "\"min_verified_share\": level "
					    "\"%s\" must have a number from 0 "
					    "to 1",
					    x->string);
		ls->line = at ? at : line;
		if (!(ls->level = hw_strdup(x->string)))
			return hw_error_oom();
		p->nlevel_shares++;
	}
	return HW_OK;
}

/* Implements: FR-TRACE-010 */
int hw_policy_check_levels(const hw_policy *p, const hw_frs_model *m)
{
	for (size_t i = 0; i < p->nlevel_shares; i++) {
		const char *name = p->level_shares[i].level;
		int found = 0;

		for (size_t k = 0; m && k < m->nlevels; k++)
			found |= !strcmp(m->levels[k].name, name);
		if (!found)
			return hw_error_set(HW_EINVAL, p->path,
					    p->level_shares[i].line, 0,
					    "\"min_verified_share\" names "
					    "level \"%s\", which %s",
					    name,
					    m && m->nlevels
						    ? "traceability/config.json "
						      "does not declare"
						    : "needs \"levels\" in "
						      "traceability/config.json");
	}
	return HW_OK;
}

int hw_policy_defaults(hw_policy *p)
{
	size_t n = 0;

	memset(p, 0, sizeof(*p));
	p->min_verified_share = 1.0;
	p->coverage_threshold = 80.0;
	while (default_fail_on[n])
		n++;
	p->fail_on = calloc(n + 1, sizeof(*p->fail_on));
	HW_CHECK_ALLOC(p->fail_on);
	for (size_t i = 0; i < n; i++)
		if (!(p->fail_on[i] = hw_strdup(default_fail_on[i]))) {
			hw_policy_free(p);
			return hw_error_oom();
		}
	return HW_OK;
}

void hw_policy_free(hw_policy *p)
{
	hw_strv_free(p->fail_on);
	for (size_t i = 0; i < p->nwaivers; i++) {
		free(p->waivers[i].fr);
		free(p->waivers[i].reason);
		free(p->waivers[i].expires);
		free(p->waivers[i].by);
	}
	free(p->waivers);
	for (size_t i = 0; i < p->nlevel_shares; i++)
		free(p->level_shares[i].level);
	free(p->level_shares);
	hw_strv_free(p->untraced_allow);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

static int load_waivers(hw_policy *p, const cJSON *arr, const char *text,
			size_t len, long line)
{
	const cJSON *w;
	int n = cJSON_GetArraySize(arr);

	if (!cJSON_IsArray(arr))
		return hw_error_set(HW_EINVAL, p->path, line, 0,
				    "\"waivers\" must be an array");
	p->waivers = calloc((size_t)n + 1, sizeof(*p->waivers));
	HW_CHECK_ALLOC(p->waivers);
	cJSON_ArrayForEach(w, arr) {
		hw_waiver *wv = &p->waivers[p->nwaivers];
		const cJSON *fr = cJSON_GetObjectItemCaseSensitive(w, "fr");
		const cJSON *why = cJSON_GetObjectItemCaseSensitive(w, "reason");
		const cJSON *exp = cJSON_GetObjectItemCaseSensitive(w, "expires");
		const cJSON *by = cJSON_GetObjectItemCaseSensitive(w, "by");
		int ymd[3];
		char at[24];
		long wl;

		/* the line of its "fr", else of where it starts */
		snprintf(at, sizeof(at), "%zu", p->nwaivers);
		if (!(wl = line_at(text, len, "waivers", at, "fr")))
			wl = line_at(text, len, "waivers", at, NULL);
		if (!cJSON_IsString(fr))
			return hw_error_set(HW_EINVAL, p->path, wl, 0,
					    "waiver %zu has no \"fr\"",
					    p->nwaivers + 1);
		if (!hw_fr_id_valid(fr->valuestring))
			return hw_error_set(HW_EINVAL, p->path, wl, 0,
					    "waiver names '%s', which is not "
					    "an FR ID",
					    fr->valuestring);
		if (!cJSON_IsString(why) || !why->valuestring[0])
			return hw_error_set(HW_EINVAL, p->path, wl, 0,
					    "the waiver for %s needs a "
					    "\"reason\"",
					    fr->valuestring);
		if (!cJSON_IsString(exp) ||
		    !hw_date_parse(exp->valuestring, 0, ymd))
			return hw_error_set(HW_EINVAL, p->path, wl, 0,
					    "the waiver for %s needs "
					    "\"expires\": \"YYYY-MM-DD\"",
					    fr->valuestring);
		if (by && !cJSON_IsString(by))
			return hw_error_set(HW_EINVAL, p->path, wl, 0,
					    "the waiver for %s: \"by\" must "
					    "be a string",
					    fr->valuestring);
		wv->fr = hw_strdup(fr->valuestring);
		wv->reason = hw_strdup(why->valuestring);
		wv->expires = hw_strdup(exp->valuestring);
		wv->by = by ? hw_strdup(by->valuestring) : NULL;
		wv->line = wl;
		p->nwaivers++;
		if (!wv->fr || !wv->reason || !wv->expires || (by && !wv->by))
			return hw_error_oom();
	}
	return HW_OK;
}

/* Implements: FR-TRACE-006 */
int hw_policy_load(hw_policy *p, const char *path, int may_miss)
{
	hw_buf b;
	cJSON *root = NULL;
	const cJSON *item;
	int err;

	if ((err = hw_policy_defaults(p)))
		return err;
	if (!(p->path = hw_strdup(path)))
		return hw_error_oom();
	if (may_miss && !hw_path_exists(path))
		return HW_OK;
	hw_buf_init(&b, 0);
	err = hw_file_read(&b, path, 4 << 20);
	if (!err)
		err = hw_json_parse(&root, path, b.data, b.len);
	if (!err && !cJSON_IsObject(root))
		err = hw_error_set(HW_EINVAL, path, 1, 1,
				   "the policy must be a JSON object");
	if (err) {
		cJSON_Delete(root);
		root = NULL;
	}
	cJSON_ArrayForEach(item, root) {
		const char *k = item->string;
		long line = line_at(b.data, b.len, k, NULL, NULL);

		if (strcmp(k, "schema") == 0) {
			if (!cJSON_IsString(item) ||
			    strcmp(item->valuestring, "hwledger.policy/1") != 0)
				err = hw_error_set(HW_EINVAL, path, line, 0,
						   "\"schema\" must be "
						   "\"hwledger.policy/1\"");
		} else if (strcmp(k, "min_verified_share") == 0 &&
			   cJSON_IsObject(item)) {
			err = load_level_shares(p, item, b.data, b.len, line);
		} else if (strcmp(k, "min_verified_share") == 0) {
			if (!number_in(item, 0, 1, &p->min_verified_share))
				err = hw_error_set(HW_EINVAL, path, line, 0,
						   "\"min_verified_share\" "
						   "must be a number from 0 "
						   "to 1");
		} else if (strcmp(k, "coverage_threshold") == 0) {
			if (!number_in(item, 0, 100, &p->coverage_threshold))
				err = hw_error_set(HW_EINVAL, path, line, 0,
						   "\"coverage_threshold\" "
						   "must be a percentage from "
						   "0 to 100");
		} else if (strcmp(k, "fail_on") == 0) {
			const cJSON *s;
			int n = cJSON_GetArraySize(item), i = 0;

			if (!cJSON_IsArray(item)) {
				err = hw_error_set(HW_EINVAL, path, line, 0,
						   "\"fail_on\" must be an "
						   "array of defect kinds");
				break;
			}
			hw_strv_free(p->fail_on);
			p->fail_on = calloc((size_t)n + 1, sizeof(char *));
			if (!p->fail_on) {
				err = hw_error_oom();
				break;
			}
			cJSON_ArrayForEach(s, item) {
				if (!cJSON_IsString(s) ||
				    hw_defect_kind_from_name(s->valuestring) < 0) {
					err = hw_error_set(
						HW_EINVAL, path, line, 0,
						"\"fail_on\": unknown defect "
						"kind %s%s%s",
						cJSON_IsString(s) ? "'" : "",
						cJSON_IsString(s) ? s->valuestring
								  : "(not a string)",
						cJSON_IsString(s) ? "'" : "");
					break;
				}
				if (!(p->fail_on[i++] = hw_strdup(s->valuestring))) {
					err = hw_error_oom();
					break;
				}
			}
		} else if (strcmp(k, "waivers") == 0) {
			err = load_waivers(p, item, b.data, b.len, line);
		} else if (strcmp(k, "untraced_functions") == 0) {
			err = load_untraced(p, item, line);
		} else if (strcmp(k, "optional_checks") == 0) {
			if (!cJSON_IsArray(item))
				err = hw_error_set(HW_EINVAL, path, line, 0,
						   "\"optional_checks\" must "
						   "be an array");
		} else {
			err = hw_error_set(HW_EINVAL, path, line, 0,
					   "unknown key \"%s\"", k);
		}
		if (err)
			break;
	}
	cJSON_Delete(root);
	hw_buf_free(&b);
	if (err)
		hw_policy_free(p);
	return err;
}

/* ---- baseline ---------------------------------------------------------- */

void hw_baseline_free(hw_baseline *b)
{
	for (size_t i = 0; i < b->ndefects; i++)
		free(b->defects[i]);
	for (size_t i = 0; i < b->nfrs; i++)
		free(b->fr_ids[i]);
	free(b->defects);
	free(b->fr_ids);
	free(b->fr_rev);
	free(b->fr_sha);
	free(b->fr_state);
	memset(b, 0, sizeof(*b));
}

static int state_from_name(const char *s)
{
	for (int i = 0; i <= HW_ST_WAIVED; i++)
		if (strcmp(hw_fr_state_name((hw_fr_state)i), s) == 0)
			return i;
	return -1;
}

/* The line of element i of the baseline's list (or of the list, or 1). */
static long baseline_line(const hw_buf *t, const char *list, long i)
{
	return hw_json_item_line(t->data, t->len, list, i);
}

static int is_sha256_hex(const char *s)
{
	size_t n = 0;

	while ((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f'))
		n++;
	return n == HW_SHA256_HEX_LEN && !s[n];
}

/* Implements: FR-TRACE-006, FR-TRACE-012 */
int hw_baseline_load(hw_baseline *b, const char *path, int may_miss)
{
	hw_buf t;
	cJSON *root = NULL;
	const cJSON *defs, *frs, *item;
	long i = 0;
	int err;

	memset(b, 0, sizeof(*b));
	if (may_miss && !hw_path_exists(path))
		return HW_OK;
	hw_buf_init(&t, 0);
	if ((err = hw_file_read(&t, path, 64 << 20)) ||
	    (err = hw_json_parse(&root, path, t.data, t.len)))
		goto cleanup;
	defs = cJSON_GetObjectItemCaseSensitive(root, "defects");
	frs = cJSON_GetObjectItemCaseSensitive(root, "frs");
	item = cJSON_GetObjectItemCaseSensitive(root, "schema");
	if (!cJSON_IsString(item) ||
	    strcmp(item->valuestring, HW_BASELINE_SCHEMA) != 0 ||
	    !cJSON_IsArray(defs) || !cJSON_IsArray(frs)) {
		err = hw_error_set(HW_EINVAL, path, 1, 1,
				   "not a baseline: expected schema \"%s\" "
				   "with \"defects\" and \"frs\" arrays",
				   HW_BASELINE_SCHEMA);
		goto cleanup;
	}
	b->defects = calloc((size_t)cJSON_GetArraySize(defs) + 1,
			    sizeof(char *));
	b->fr_ids = calloc((size_t)cJSON_GetArraySize(frs) + 1, sizeof(char *));
	b->fr_rev = calloc((size_t)cJSON_GetArraySize(frs) + 1, sizeof(int));
	b->fr_sha = calloc((size_t)cJSON_GetArraySize(frs) + 1,
			   sizeof(*b->fr_sha));
	b->fr_state = calloc((size_t)cJSON_GetArraySize(frs) + 1, sizeof(int));
	if (!b->defects || !b->fr_ids || !b->fr_rev || !b->fr_sha ||
	    !b->fr_state) {
		err = hw_error_oom();
		goto cleanup;
	}
	cJSON_ArrayForEach(item, defs) {
		if (!cJSON_IsString(item)) {
			err = hw_error_set(HW_EINVAL, path,
					   baseline_line(&t, "defects", i), 0,
					   "\"defects\" must hold defect ids");
			goto cleanup;
		}
		if (!(b->defects[b->ndefects++] = hw_strdup(item->valuestring))) {
			err = hw_error_oom();
			goto cleanup;
		}
		i++;
	}
	qsort(b->defects, b->ndefects, sizeof(char *), hw_strp_cmp);
	i = 0;
	cJSON_ArrayForEach(item, frs) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "id");
		const cJSON *rev = cJSON_GetObjectItemCaseSensitive(item, "rev");
		const cJSON *sha = cJSON_GetObjectItemCaseSensitive(item, "sha256");
		const cJSON *st = cJSON_GetObjectItemCaseSensitive(item, "status");

		if (!cJSON_IsString(id) || !cJSON_IsNumber(rev) ||
		    !cJSON_IsString(sha) || !cJSON_IsString(st)) {
			err = hw_error_set(HW_EINVAL, path,
					   baseline_line(&t, "frs", i), 0,
					   "each entry of \"frs\" needs id, "
					   "rev, sha256 and status");
			goto cleanup;
		}
		/* an FR's Rev is a whole number; a fraction or one past
		 * an int would be read as another revision */
		if (!(rev->valuedouble >= 0 && rev->valuedouble <= INT_MAX) ||
		    rev->valuedouble != (double)(int)rev->valuedouble ||
		    !is_sha256_hex(sha->valuestring)) {
			err = hw_error_set(HW_EINVAL, path,
					   baseline_line(&t, "frs", i), 0,
					   "%s: \"rev\" must be a whole "
					   "number and \"sha256\" 64 "
					   "lowercase hex digits",
					   id->valuestring);
			goto cleanup;
		}
		if (!(b->fr_ids[b->nfrs] = hw_strdup(id->valuestring))) {
			err = hw_error_oom();
			goto cleanup;
		}
		b->fr_rev[b->nfrs] = (int)rev->valuedouble;
		memcpy(b->fr_sha[b->nfrs], sha->valuestring,
		       HW_SHA256_HEX_LEN + 1);
		b->fr_state[b->nfrs] = state_from_name(st->valuestring);
		b->nfrs++;
		i++;
	}
	b->loaded = 1;
cleanup:
	cJSON_Delete(root);
	hw_buf_free(&t);
	if (err)
		hw_baseline_free(b);
	return err;
}

static int in_baseline(const hw_baseline *b, const char *id)
{
	return bsearch(&id, b->defects, b->ndefects, sizeof(char *),
		       hw_strp_cmp) != NULL;
}

static int fails_on(const hw_policy *p, hw_defect_kind k)
{
	if (k == HW_DEF_EXPIRED_WAIVER)
		return 1; /* an expired waiver always fails */
	for (char **s = p->fail_on; s && *s; s++)
		if (strcmp(*s, hw_defect_kind_name(k)) == 0)
			return 1;
	return 0;
}

/* The share of approved FRs of level lv (-1: every level) that p needs. */
static double level_need(const hw_policy *p, const hw_trace *t, int lv)
{
	const char *name = lv >= 0 ? hw_trace_level_name(t, lv) : NULL;

	for (size_t i = 0; name && i < p->nlevel_shares; i++)
		if (!strcmp(p->level_shares[i].level, name))
			return p->level_shares[i].share;
	return p->min_verified_share;
}

/* Why an untested FR is untested, as its first test without a pass says
 * (the test's own defect says the same, link.c): a skipped or TODO test
 * has a result, only not a pass. */
static const char *untested_why(const hw_fr_trace *ft)
{
	for (size_t i = 0; i < ft->nlinks; i++) {
		const hw_link *l = &ft->links[i];

		if (l->kind == HW_TAG_IMPL || l->outcome == HW_OUTCOME_PASS ||
		    l->outcome == HW_OUTCOME_FAIL)
			continue;
		if (l->func && l->ambiguous)
			return "a linked test's results cannot be told from "
			       "another test's";
		if (l->func && l->outcome == HW_OUTCOME_SKIP)
			return "a linked test was skipped";
		if (l->func && l->outcome == HW_OUTCOME_TODO)
			return "a linked test is marked TODO";
		return "a linked test has no result";
	}
	return "a linked test has no result";
}

/*
 * The verified share of the approved FRs of level lv (-1: all), against
 * what the policy needs and what the baseline reached; adds the reasons.
 */
/* Implements: FR-TRACE-006, FR-TRACE-010 */
static int gate_share(const hw_trace *t, const hw_policy *p,
		      const hw_baseline *b, hw_diags *reasons, int lv)
{
	size_t approved = 0, ok = 0, waived = 0;
	double share, need = level_need(p, t, lv);
	char where[96] = "";
	int err;

	if (lv >= 0)
		snprintf(where, sizeof(where), " of level '%.60s'",
			 hw_trace_level_name(t, lv));
	for (size_t i = 0; i < t->nfrs; i++) {
		const hw_fr_trace *ft = &t->frs[i];

		if (ft->fr->status != HW_FR_APPROVED ||
		    (lv >= 0 && ft->fr->level != lv))
			continue;
		approved++;
		if (ft->state == HW_ST_VERIFIED || ft->state == HW_ST_WAIVED)
			ok++;
		waived += ft->state == HW_ST_WAIVED;
	}
	/* nothing approved is nothing verified: "0/0" is no evidence, and a
	 * gate that passes it passes a repository whose frs/ went missing */
	if (!approved && (err = hw_diags_add(reasons, HW_DIAG_ERROR, NULL, 0, 0,
					     "no approved FR%s, so none "
					     "verified (FRs read: %zu): the "
					     "gate needs at least one",
					     where, t->nfrs)))
		return err;
	share = approved ? (double)ok / (double)approved : 1.0;
	if (b && b->loaded) {
		/* the ratchet: never fall below what the baseline reached */
		size_t bapproved = 0, bok = 0;

		for (size_t i = 0; i < t->nfrs; i++) {
			const hw_fr_trace *ft = &t->frs[i];

			if (lv >= 0 && ft->fr->level != lv)
				continue;
			for (size_t k = 0; k < b->nfrs; k++) {
				if (strcmp(b->fr_ids[k], ft->fr->id) != 0)
					continue;
				if ((b->fr_state[k] == HW_ST_VERIFIED ||
				     b->fr_state[k] == HW_ST_WAIVED) &&
				    ft->state != HW_ST_VERIFIED &&
				    ft->state != HW_ST_WAIVED &&
				    (err = hw_diags_add(
					     reasons, HW_DIAG_ERROR,
					     ft->fr->file, ft->fr->line, 0,
					     "%s regressed from %s to %s",
					     ft->fr->id,
					     hw_fr_state_name(b->fr_state[k]),
					     hw_fr_state_name(ft->state))))
					return err;
				if (ft->fr->status == HW_FR_APPROVED) {
					bapproved++;
					bok += b->fr_state[k] == HW_ST_VERIFIED ||
					       b->fr_state[k] == HW_ST_WAIVED;
				}
				break;
			}
		}
		if (bapproved && (double)bok / (double)bapproved < need)
			need = (double)bok / (double)bapproved;
	}
	if (share + 1e-9 < need) {
		/* a waiver is not a verification: the share counts it, the
		 * words say it (issue #22) */
		char shown[64];

		if (waived)
			snprintf(shown, sizeof(shown),
				 "verified or waived (%zu waived)", waived);
		else
			snprintf(shown, sizeof(shown), "verified");
		if ((err = hw_diags_add(reasons, HW_DIAG_ERROR, NULL, 0, 0,
					"%zu of %zu approved FRs%s are %s "
					"(%.1f%%); the policy needs %.1f%%",
					ok, approved, where, shown,
					100.0 * share, 100.0 * need)))
			return err;
		for (size_t i = 0; i < t->nfrs; i++) {
			const hw_fr_trace *ft = &t->frs[i];
			char why[160] = "";

			if (ft->fr->status != HW_FR_APPROVED ||
			    (lv >= 0 && ft->fr->level != lv) ||
			    ft->state == HW_ST_VERIFIED ||
			    ft->state == HW_ST_WAIVED)
				continue;
			if (ft->rolled) {
				char r[128];

				hw_trace_reason(r, sizeof(r), ft);
				snprintf(why, sizeof(why), " (%s)", r);
			} else if (ft->missing) {
				char kinds[32];

				hw_fr_needs_text(kinds, sizeof(kinds),
						 ft->missing);
				snprintf(why, sizeof(why), " (no %s link)",
					 kinds);
			} else if (ft->state == HW_ST_UNTESTED) {
				snprintf(why, sizeof(why), " (%s)",
					 untested_why(ft));
			} else if (ft->state == HW_ST_PARTIAL) {
				/* every link is there: the status table's last
				 * rule, its coverage (low-coverage says more);
				 * with no Implements tag on a function there
				 * are no lines, whatever the coverage data */
				int on_func = 0;

				for (size_t k = 0; k < ft->nlinks; k++)
					on_func |= ft->links[k].kind ==
							   HW_TAG_IMPL &&
						   ft->links[k].func != NULL;
				if (on_func || !t->have_coverage)
					snprintf(why, sizeof(why),
						 " (coverage under the %.0f%% "
						 "threshold)",
						 t->threshold);
				else
					snprintf(why, sizeof(why),
						 " (no Implements tag of it is "
						 "on a function, so it has no "
						 "lines to cover)");
			}
			if ((err = hw_diags_add(reasons, HW_DIAG_ERROR,
						ft->fr->file, ft->fr->line, 0,
						"%s is %s%s", ft->fr->id,
						hw_fr_state_name(ft->state), why)))
				return err;
		}
	}
	return HW_OK;
}

/* Implements: FR-TRACE-006 */
int hw_gate(const hw_trace *t, const hw_policy *p, const hw_baseline *b,
	    hw_diags *reasons, const char *today)
{
	int err;

	(void)today;
	/* with levels, each level is judged on its own share */
	if (t->model && t->model->nlevels) {
		for (size_t lv = 0; lv < t->model->nlevels; lv++)
			if ((err = gate_share(t, p, b, reasons, (int)lv)))
				return err;
	} else if ((err = gate_share(t, p, b, reasons, -1))) {
		return err;
	}
	for (size_t i = 0; i < t->ndefects; i++) {
		const hw_defect *d = &t->defects[i];
		int fresh = b && b->loaded && !in_baseline(b, d->id);
		int fail = b && b->loaded ? fresh : fails_on(p, d->kind);

		if (d->kind == HW_DEF_EXPIRED_WAIVER)
			fail = 1;
		if (fail && (err = hw_diags_add(reasons, HW_DIAG_ERROR, d->file,
						d->line, 0, "%s%s: %s",
						fresh ? "new " : "",
						hw_defect_kind_name(d->kind),
						d->message)))
			return err;
	}
	return reasons->errors ? HW_EFAIL : HW_OK;
}
