/*
 * import.c — analyzer reports to findings. cppcheck's XML v2 is read with
 * expat (a DOCTYPE is refused, as for test reports); clang-tidy's text line
 * by line, notes attached to the diagnostic above them; SARIF 2.1.0 and
 * gcc's JSON diagnostics through cJSON. Malformed or truncated reports are
 * errors with file:line; nothing is dropped without a word.
 */
#include "sast.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void steps_free(hw_sast_step *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].file);
		free(v[i].message);
	}
	free(v);
}

static void finding_free(hw_finding *x)
{
	steps_free(x->steps, x->nsteps);
	steps_free(x->related, x->nrelated);
	free(x->rule);
	free(x->tool_level);
	free(x->file);
	free(x->message);
	free(x->notes);
	free(x->function);
	hw_strv_free(x->frs);
	free(x->suppress_reason);
}

void hw_findings_free(hw_findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		finding_free(&f->items[i]);
	for (size_t i = 0; i < f->nruns; i++) {
		for (size_t k = 0; k < f->runs[i].nfailures; k++) {
			free(f->runs[i].failures[k].unit);
			free(f->runs[i].failures[k].message);
		}
		free(f->runs[i].failures);
	}
	free(f->runs);
	free(f->items);
	memset(f, 0, sizeof(*f));
}

const char *hw_severity_name(hw_severity s)
{
	return s == HW_SEV_ERROR     ? "error"
	       : s == HW_SEV_WARNING ? "warning"
				     : "note";
}

static hw_finding *add(hw_findings *f, const char *tool, const char *rule,
		       hw_severity sev, const char *level, const char *file,
		       long line, long col, const char *msg)
{
	hw_finding *x;

	if (HW_ARRAY_GROW(f->items, f->n, f->cap))
		return NULL;
	x = &f->items[f->n];
	memset(x, 0, sizeof(*x));
	snprintf(x->tool, sizeof(x->tool), "%s", tool);
	x->rule = hw_strdup(rule ? rule : "unknown");
	x->severity = sev;
	x->tool_level = hw_strdup(level ? level : "");
	x->file = hw_strdup(file ? file : "");
	x->line = line;
	x->col = col;
	x->message = hw_strdup(msg ? msg : "");
	x->notes = hw_strdup("");
	x->function = hw_strdup("");
	x->group = (long)f->n;
	if (!x->rule || !x->tool_level || !x->file || !x->message ||
	    !x->notes || !x->function)
		return NULL;
	f->n++;
	return x;
}

static int add_note(hw_finding *x, const char *text)
{
	size_t a = strlen(x->notes), b = strlen(text);
	char *n = realloc(x->notes, a + b + 2);

	HW_CHECK_ALLOC(n);
	memcpy(n + a, text, b);
	n[a + b] = '\n';
	n[a + b + 1] = '\0';
	x->notes = n;
	return HW_OK;
}

/* Appends a place to x's path (related 0) or to its related locations. */
static int add_step(hw_finding *x, int related, const char *file, long line,
		    long col, const char *msg)
{
	size_t *n = related ? &x->nrelated : &x->nsteps;
	hw_sast_step *w = realloc(related ? x->related : x->steps,
				  (*n + 1) * sizeof(*w));

	HW_CHECK_ALLOC(w);
	if (related)
		x->related = w;
	else
		x->steps = w;
	w += (*n)++;
	w->file = hw_strdup(file ? file : "");
	w->line = line;
	w->col = col;
	w->message = hw_strdup(msg ? msg : "");
	if (!w->file || !w->message)
		return hw_error_oom();
	return HW_OK;
}

/* A line, column or CWE number in a report: 0 unless it is one. */
static long report_num(const char *s)
{
	char *end;
	long v;

	if (!s)
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	return end == s || errno || v < 0 || v > 100000000 ? 0 : v;
}

static int cwe_of(const char *s)
{
	const char *c = s ? strstr(s, "CWE-") : NULL;

	return c ? (int)report_num(c + 4) : 0;
}

/* ---- cppcheck XML v2 ---------------------------------------------------- */

typedef struct cpx {
	hw_findings *f;
	long cur; /* index + 1 of the open <error> */
} cpx;

/* cppcheck writes a newline inside an attribute as the four bytes \012. */
static void unescape_octal(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] == '0' && s[2] == '1' && s[3] == '2') {
			*w++ = '\n';
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

static void cp_start(hw_xml *xml, const char *el, const char **a)
{
	cpx *c = xml->ud;

	if (!strcmp(el, "error")) {
		const char *sev = hw_xml_attr(a, "severity"),
			   *id = hw_xml_attr(a, "id");
		hw_severity s = !sev			  ? HW_SEV_WARNING
				: !strcmp(sev, "error")	  ? HW_SEV_ERROR
				: !strcmp(sev, "warning") ? HW_SEV_WARNING
							  : HW_SEV_NOTE;
		const char *msg = hw_xml_attr(a, "msg"),
			   *verbose = hw_xml_attr(a, "verbose"),
			   *cwe = hw_xml_attr(a, "cwe");
		hw_finding *x =
			add(c->f, "cppcheck", id, s, sev,
			    hw_xml_attr(a, "file0"), 0, 0, msg ? msg : verbose);

		if (!x || (verbose && msg && strcmp(verbose, msg) &&
			   add_note(x, verbose))) {
			hw_xml_stop(xml, hw_error_oom());
			return;
		}
		unescape_octal(x->message);
		unescape_octal(x->notes);
		x->cwe = (int)report_num(cwe);
		c->cur = (long)c->f->n;
	} else if (!strcmp(el, "location") && c->cur) {
		hw_finding *x = &c->f->items[c->cur - 1];
		const char *file = hw_xml_attr(a, "file"),
			   *line = hw_xml_attr(a, "line"),
			   *col = hw_xml_attr(a, "column"),
			   *info = hw_xml_attr(a, "info");

		if (!file)
			return;
		if (!x->line) {
			free(x->file);
			x->file = hw_strdup(file);
			x->line = report_num(line);
			x->col = report_num(col);
		}
		if (!x->file || add_step(x, 0, file,
					 report_num(line), report_num(col),
					 info))
			hw_xml_stop(xml, hw_error_oom());
	}
}

/*
 * cppcheck writes an error's path last step first (the defect, then how it
 * was reached); one location alone is no path.
 */
static void cp_end(hw_xml *xml, const char *el)
{
	cpx *c = xml->ud;
	hw_finding *x = c->cur ? &c->f->items[c->cur - 1] : NULL;

	if (strcmp(el, "error") != 0 || !x)
		return;
	if (x->nsteps == 1) {
		steps_free(x->steps, x->nsteps);
		x->steps = NULL;
		x->nsteps = 0;
	}
	for (size_t i = 0; i < x->nsteps / 2; i++) {
		hw_sast_step t = x->steps[i];

		x->steps[i] = x->steps[x->nsteps - 1 - i];
		x->steps[x->nsteps - 1 - i] = t;
	}
	c->cur = 0;
}

static int import_cppcheck(hw_findings *f, hw_diags *d, const char *file,
			   const char *text, size_t len)
{
	cpx c = {f, 0};
	hw_xml xml = {.diags = d, .file = file, .what = "analyzer reports",
		      .ud = &c, .start = cp_start, .end = cp_end};
	size_t before = f->n;
	int err = hw_xml_parse(&xml, text, len);

	if (err == HW_EINVAL) { /* a broken report is not evidence */
		while (f->n > before)
			finding_free(&f->items[--f->n]);
		return HW_OK;
	}
	return err;
}

/* ---- clang-tidy text ---------------------------------------------------- */

/*
 * Splits "FILE:LINE:COL" (buf, NUL-terminated at the ": level: " marker);
 * 0 when the place is not of that shape.
 */
static int tidy_place(char *buf, long *line, long *col)
{
	char *c2 = strrchr(buf, ':'), *c1, *end;

	if (!c2)
		return 0;
	*c2 = '\0';
	c1 = strrchr(buf, ':');
	if (!c1 || c1 == buf)
		return 0;
	*col = strtol(c2 + 1, &end, 10);
	if (end == c2 + 1 || *end)
		return 0;
	*line = strtol(c1 + 1, &end, 10);
	if (end == c1 + 1 || *end != '\0' || *line < 1)
		return 0;
	*c1 = '\0';
	return 1;
}

/*
 * clang-tidy prints "FILE:LINE:COL: warning|error|note: MESSAGE [check]",
 * then the source line and a caret; notes belong to the diagnostic above
 * them: the path of a clang-analyzer check, related locations otherwise. Lines that look like a diagnostic but cannot be read, and the
 * tool's own failures ("Error while processing"), are warnings.
 */
static int import_clang_tidy(hw_findings *f, hw_diags *d, const char *file,
			     const char *text, size_t len)
{
	hw_finding *last = NULL;
	long lineno = 0;

	for (size_t i = 0; i < len;) {
		const char *p = text + i, *nl = memchr(p, '\n', len - i);
		size_t n = nl ? (size_t)(nl - p) : len - i;
		char buf[4096], *kind, *msg, *check;
		static const char *marks[] = {[HW_SEV_ERROR] = ": error: ",
					      [HW_SEV_WARNING] = ": warning: ",
					      [HW_SEV_NOTE] = ": note: "};
		hw_severity sev = HW_SEV_WARNING;
		long l = 0, c = 0;

		i += n + 1;
		lineno++;
		memcpy(buf, p, n < sizeof(buf) ? n : sizeof(buf) - 1);
		buf[n < sizeof(buf) ? n : sizeof(buf) - 1] = '\0';
		if (!strncmp(buf, "Error while processing", 22)) {
			hw_diags_add(d, HW_DIAG_WARNING, file, lineno, 0,
				     "clang-tidy failed on a file: %s", buf);
			continue;
		}
		kind = NULL; /* the first marker: a message may quote another */
		for (int k = 0; k < 3; k++) {
			char *m = strstr(buf, marks[k]);

			if (m && (!kind || m < kind)) {
				kind = m;
				sev = (hw_severity)k;
			}
		}
		if (!kind)
			continue; /* source lines, carets, counts */
		if (n >= sizeof(buf)) {
			hw_diags_add(
				d, HW_DIAG_WARNING, file, lineno, 0,
				"a diagnostic line over %zu bytes, skipped",
				sizeof(buf) - 1);
			continue;
		}
		msg = kind + strlen(marks[sev]);
		*kind = '\0';
		if (!tidy_place(buf, &l, &c)) {
			hw_diags_add(d, HW_DIAG_WARNING, file, lineno, 0,
				     "a diagnostic without FILE:LINE:COL, "
				     "skipped");
			continue;
		}
		if (sev == HW_SEV_NOTE) {
			int path = last && hw_str_startswith(last->rule,
							     "clang-analyzer-");

			/* a path begins where the analyzer first assumed
			 * something; a first note that only says the
			 * warning again (a check of one place) is no path */
			if (path && !last->nsteps && l == last->line &&
			    c == last->col && !strcmp(msg, last->message))
				continue;
			if (last && add_step(last, !path, buf, l, c, msg))
				return HW_ENOMEM;
			continue;
		}
		check = strrchr(msg, '[');
		if (check && msg[strlen(msg) - 1] == ']') {
			char *end = check; /* "message [check-name]" */

			while (end > msg && end[-1] == ' ')
				end--;
			*end = '\0';
			check++;
			check[strlen(check) - 1] = '\0';
		} else {
			check = "clang-diagnostic";
		}
		last = add(f, "clang-tidy", check, sev,
			   sev == HW_SEV_ERROR ? "error" : "warning", buf, l, c,
			   msg);
		HW_CHECK_ALLOC(last);
	}
	return HW_OK;
}

/* ---- SARIF 2.1.0 ----------------------------------------------------------
 */

static hw_severity level_of(const char *l)
{
	if (!l || !strcmp(l, "warning"))
		return HW_SEV_WARNING;
	return !strcmp(l, "error") ? HW_SEV_ERROR : HW_SEV_NOTE;
}

static long jnum(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(v) ? (long)v->valuedouble : 0;
}

/*
 * The file of a SARIF physicalLocation into buf, file:// stripped, a file
 * under our OUTSIDE base as "<outside>/NAME" again; NULL if none.
 */
static const char *sarif_uri(const cJSON *phys, char *buf, size_t size)
{
	const cJSON *art =
		cJSON_GetObjectItemCaseSensitive(phys, "artifactLocation");
	const char *uri = hw_json_str(art, "uri"),
		   *base = hw_json_str(art, "uriBaseId");

	if (!uri)
		return NULL;
	if (!strncmp(uri, "file://", 7))
		uri += 7;
	snprintf(buf, size, "%s%s",
		 base && !strcmp(base, "OUTSIDE") ? HW_SAST_OUTSIDE : "", uri);
	return buf;
}

/* A SARIF location appended to x's path (related 0) or related places. */
static int sarif_step(hw_finding *x, int related, const cJSON *loc)
{
	const cJSON *phys =
		cJSON_GetObjectItemCaseSensitive(loc, "physicalLocation");
	const cJSON *region = cJSON_GetObjectItemCaseSensitive(phys, "region");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(loc, "message");
	char buf[4096];
	/* hwledger-sast-ignore analyzer-malloc-leak: the list is x's, in f->items, freed by hw_findings_free */
	int err = add_step(x, related, sarif_uri(phys, buf, sizeof(buf)),
			   jnum(region, "startLine"),
			   jnum(region, "startColumn"),
			   hw_json_str(msg, "text"));

	return err;
}

/*
 * A result's codeFlows become its steps (the first thread flow of the first
 * code flow: one path per finding, with a warning when there are more) and
 * its relatedLocations its related places.
 */
static int sarif_places(hw_finding *x, hw_diags *d, const char *file,
			const cJSON *res)
{
	const cJSON *flows = cJSON_GetObjectItemCaseSensitive(res, "codeFlows");
	const cJSON *threads = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(flows, 0), "threadFlows");
	const cJSON *e;
	int err = HW_OK;

	if (cJSON_GetArraySize(flows) > 1 || cJSON_GetArraySize(threads) > 1)
		hw_diags_add(d, HW_DIAG_WARNING, file, 0, 0,
			     "a %s result (%s) has %d code flows of %d thread "
			     "flows; the first path is kept",
			     x->tool, x->rule, cJSON_GetArraySize(flows),
			     cJSON_GetArraySize(threads));
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(
				      cJSON_GetArrayItem(threads, 0),
				      "locations")) {
		if (!err)
			err = sarif_step(
				x, 0,
				cJSON_GetObjectItemCaseSensitive(e, "location"));
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(
				      res, "relatedLocations")) {
		if (!err)
			err = sarif_step(x, 1, e);
	}
	return err;
}

static int import_sarif(hw_findings *f, hw_diags *d, const char *file,
			const cJSON *root)
{
	const cJSON *runs = cJSON_GetObjectItemCaseSensitive(root, "runs"),
		    *run;
	int err = HW_OK;

	if (!cJSON_IsArray(runs))
		return hw_diags_add(d, HW_DIAG_ERROR, file, 1, 0,
				    "SARIF without a \"runs\" array");
	cJSON_ArrayForEach(run, runs) {
		const cJSON *driver = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(run, "tool"),
			"driver");
		const char *tool = hw_json_str(driver, "name");
		const cJSON *rules =
			cJSON_GetObjectItemCaseSensitive(driver, "rules");
		const cJSON *res;

		cJSON_ArrayForEach(
			res, cJSON_GetObjectItemCaseSensitive(run, "results")) {
			const cJSON *loc = cJSON_GetObjectItemCaseSensitive(
				cJSON_GetArrayItem(
					cJSON_GetObjectItemCaseSensitive(
						res, "locations"),
					0),
				"physicalLocation");
			const cJSON *region =
				cJSON_GetObjectItemCaseSensitive(loc, "region");
			char buf[4096];
			const char *uri = sarif_uri(loc, buf, sizeof(buf));
			const char *rule = hw_json_str(res, "ruleId");
			const cJSON *msg = cJSON_GetObjectItemCaseSensitive(
				res, "message");
			hw_finding *x;

			x = add(f, tool ? tool : "sarif", rule,
				level_of(hw_json_str(res, "level")),
				hw_json_str(res, "level")
					? hw_json_str(res, "level")
					: "warning",
				uri, jnum(region, "startLine"),
				jnum(region, "startColumn"),
				hw_json_str(msg, "text"));
			if (!x || sarif_places(x, d, file, res))
				return hw_error_oom();
			x->cwe = cwe_of(x->message);
			if (!x->cwe &&
			    rule) { /* flawfinder puts CWEs in rule names */
				const cJSON *r;

				cJSON_ArrayForEach(r, rules)
					if (hw_json_str(r, "id") &&
					    !strcmp(hw_json_str(r, "id"),
						    rule)) {
						char *s =
							cJSON_PrintUnformatted(
								r);

						x->cwe = cwe_of(s);
						cJSON_free(s);
						break;
					}
			}
			if (!uri)
				err = hw_diags_add(d, HW_DIAG_WARNING, file, 0,
						   0,
						   "a %s result (%s) has no "
						   "location",
						   x->tool, x->rule);
		}
	}
	return err;
}

/* ---- gcc JSON diagnostics ---------------------------------------------- */

static int import_gcc(hw_findings *f, hw_diags *d, const char *file,
		      const cJSON *root)
{
	const cJSON *diag;
	int index = 0;

	cJSON_ArrayForEach(diag, root) {
		const cJSON *caret = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
						   diag, "locations"),
					   0),
			"caret");
		const char *kind = hw_json_str(diag, "kind");
		const char *opt = hw_json_str(diag, "option");
		const cJSON *child, *ev, *meta;
		hw_finding *x;

		index++;
		if (!cJSON_IsObject(diag) || !kind) {
			hw_diags_add(d, HW_DIAG_ERROR, file, 1, 0,
				     "gcc diagnostic %d is not an object with "
				     "a \"kind\"",
				     index);
			continue;
		}
		if (!strcmp(kind, "note"))
			continue;
		if (!caret)
			hw_diags_add(d, HW_DIAG_WARNING, file, 1, 0,
				     "gcc diagnostic %d (%s) has no location",
				     index,
				     hw_json_str(diag, "message")
					     ? hw_json_str(diag, "message")
					     : "");
		x = add(f, "gcc",
			opt ? opt + (opt[0] == '-' && opt[1] == 'W' ? 2 : 0)
			    : kind,
			!strcmp(kind, "error") ? HW_SEV_ERROR : HW_SEV_WARNING,
			kind, hw_json_str(caret, "file"), jnum(caret, "line"),
			jnum(caret, "column"), hw_json_str(diag, "message"));
		HW_CHECK_ALLOC(x);
		meta = cJSON_GetObjectItemCaseSensitive(diag, "metadata");
		x->cwe = (int)jnum(meta, "cwe");
		/* children: related places; the analyzer's path: steps */
		cJSON_ArrayForEach(child, cJSON_GetObjectItemCaseSensitive(
						  diag, "children")) {
			const cJSON *cc = cJSON_GetObjectItemCaseSensitive(
				cJSON_GetArrayItem(
					cJSON_GetObjectItemCaseSensitive(
						child, "locations"),
					0),
				"caret");

			/* hwledger-sast-ignore analyzer-malloc-leak: the list is x's, in f->items, freed by hw_findings_free */
			if (add_step(x, 1,
				     hw_json_str(cc, "file"), jnum(cc, "line"),
				     jnum(cc, "column"),
				     hw_json_str(child, "message")))
				return HW_ENOMEM;
		}
		cJSON_ArrayForEach(
			ev, cJSON_GetObjectItemCaseSensitive(diag, "path")) {
			const cJSON *loc = cJSON_GetObjectItemCaseSensitive(
				ev, "location");

			/* hwledger-sast-ignore analyzer-malloc-leak: the list is x's, in f->items, freed by hw_findings_free */
			if (add_step(x, 0,
				     hw_json_str(loc, "file"), jnum(loc, "line"),
				     jnum(loc, "column"),
				     hw_json_str(ev, "description")))
				return HW_ENOMEM;
		}
	}
	return HW_OK;
}

/* Implements: FR-SAST-005 */
hw_sast_run_stats *hw_sast_add_run(hw_findings *f, const char *tool,
				   size_t units)
{
	hw_sast_run_stats *v =
		realloc(f->runs, (f->nruns + 1) * sizeof(*v));

	if (!v)
		return NULL;
	f->runs = v;
	v += f->nruns++;
	memset(v, 0, sizeof(*v));
	snprintf(v->tool, sizeof(v->tool), "%s", tool);
	v->units = units;
	return v;
}

/*
 * An analyzer's run as `hwledger sast --tool` wrote it (run-TOOL.json):
 * its units and the ones it failed on, so that findings imported again
 * from the kept reports keep the count of what was not analyzed.
 */
static int import_run(hw_findings *f, hw_diags *d, const char *file,
		      const cJSON *root)
{
	const char *tool = hw_json_str(root, "tool");
	const cJSON *units = cJSON_GetObjectItemCaseSensitive(root, "units"),
		    *failed = cJSON_GetObjectItemCaseSensitive(root, "failed"),
		    *list = cJSON_GetObjectItemCaseSensitive(root, "failures"),
		    *e;
	hw_sast_run_stats *v;

	if (!tool || !cJSON_IsNumber(units) || !cJSON_IsNumber(failed) ||
	    units->valuedouble < 0 || failed->valuedouble < 0 ||
	    failed->valuedouble > units->valuedouble || !cJSON_IsArray(list))
		return hw_diags_add(d, HW_DIAG_ERROR, file, 1, 0,
				    "a %s file needs \"tool\", \"units\", "
				    "\"failed\" (at most units) and "
				    "\"failures\"",
				    HW_SAST_RUN_SCHEMA);
	v = hw_sast_add_run(f, tool, (size_t)units->valuedouble);
	if (v)
		v->failures = calloc((size_t)cJSON_GetArraySize(list) + 1,
				     sizeof(*v->failures));
	/* hwledger-sast-ignore analyzer-malloc-leak: v is in f->runs, freed by hw_findings_free */
	if (!v || !v->failures)
		return hw_error_oom();
	v->failed = (size_t)failed->valuedouble;
	cJSON_ArrayForEach(e, list) {
		hw_sast_failure *x = &v->failures[v->nfailures++];

		x->unit = hw_strdup(hw_json_str(e, "unit") ? hw_json_str(e, "unit")
							   : "");
		x->message = hw_strdup(hw_json_str(e, "message")
					       ? hw_json_str(e, "message")
					       : "");
		if (!x->unit || !x->message)
			return hw_error_oom();
	}
	return HW_OK;
}

/* Implements: FR-SAST-001 */
int hw_sast_import_text(hw_findings *f, hw_diags *d, const char *file,
			const char *text, size_t len)
{
	size_t i = 0;

	while (i < len && isspace((unsigned char)text[i]))
		i++;
	if (i < len && text[i] == '<')
		return import_cppcheck(f, d, file, text, len);
	if (i < len && (text[i] == '{' || text[i] == '[')) {
		cJSON *root = NULL;
		hw_json_arena *arena = NULL;
		int err;

		/* reports run to tens of megabytes: one arena, not a malloc
		 * per node */
		if (hw_json_parse_arena(&root, &arena, file, text, len))
			return hw_diags_add_last_error(d);
		err = cJSON_IsArray(root) ? import_gcc(f, d, file, root)
		      : hw_json_str(root, "schema") &&
				!strcmp(hw_json_str(root, "schema"),
					HW_SAST_RUN_SCHEMA)
			      ? import_run(f, d, file, root)
		      : cJSON_GetObjectItemCaseSensitive(root, "runs")
			      ? import_sarif(f, d, file, root)
			      : hw_diags_add(
					d, HW_DIAG_ERROR, file, 1, 0,
					"JSON that is neither SARIF nor gcc "
					"diagnostics");
		hw_json_arena_free(arena);
		return err;
	}
	return import_clang_tidy(f, d, file, text, len);
}

int hw_sast_import(hw_findings *f, hw_diags *d, const char *path)
{
	hw_buf b;
	int err;

	hw_buf_init(&b, (size_t)256 << 20);
	err = hw_file_read(&b, path, (size_t)256 << 20);
	if (err && err != HW_ENOMEM)
		err = hw_diags_add_last_error(d);
	else if (!err)
		err = hw_sast_import_text(f, d, path, b.data, b.len);
	hw_buf_free(&b);
	return err;
}
