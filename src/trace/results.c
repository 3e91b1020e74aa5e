/*
 * results.c — test results: TAP 14 (with subtests, YAML diagnostics,
 * directives and bail-outs), JUnit XML, which is also what cmocka
 * writes, and Unity's text output. XML is read with expat, streaming; a DOCTYPE is refused, so no
 * entity can be declared or expanded (the "billion laughs" bomb included).
 */
#include "trace.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

void hw_results_init(hw_results *r)
{
	memset(r, 0, sizeof(*r));
}

void hw_results_free(hw_results *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->items[i].name);
		free(r->items[i].suite);
		free(r->items[i].file);
		free(r->items[i].message);
	}
	free(r->items);
	hw_results_init(r);
}

const char *hw_outcome_name(hw_outcome o)
{
	static const char *const names[] = {"pass", "fail", "skip", "todo"};

	return (unsigned)o < 4 ? names[o] : "unknown";
}

static int add_result(hw_results *r, const char *name, size_t n,
		      const char *suite, hw_outcome o, const char *file,
		      long line)
{
	hw_result *x;

	if (HW_ARRAY_GROW(r->items, r->n, r->cap))
		return HW_ENOMEM;
	x = &r->items[r->n];
	memset(x, 0, sizeof(*x));
	x->name = hw_strndup(name, n);
	x->suite = suite ? hw_strdup(suite) : NULL;
	x->file = hw_strdup(file);
	x->outcome = o;
	x->line = line;
	if (!x->name || !x->file || (suite && !x->suite)) {
		free(x->name);
		free(x->suite);
		free(x->file);
		return hw_error_oom();
	}
	r->n++;
	return HW_OK;
}

static int append_message(hw_result *x, const char *p, size_t n)
{
	size_t old = x->message ? strlen(x->message) : 0;
	char *m;

	if (old >= 4096)
		return HW_OK; /* messages are for reading, keep them short */
	if (n > 4096 - old)
		n = 4096 - old;
	m = realloc(x->message, old + n + 1);
	HW_CHECK_ALLOC(m);
	memcpy(m + old, p, n);
	m[old + n] = '\0';
	x->message = m;
	return HW_OK;
}

/* ---- TAP ---------------------------------------------------------------- */

static int ieq_prefix(const char *p, size_t n, const char *word)
{
	size_t w = strlen(word);

	if (n < w)
		return 0;
	for (size_t i = 0; i < w; i++)
		if (tolower((unsigned char)p[i]) != word[i])
			return 0;
	return 1;
}

#define TAP_MAX_NUMBER 999999999L
#define RESULT_OUT_MAX ((size_t)16 << 20) /* a testcase's system-out */

/*
 * Parses "ok 3 - name # SKIP why" (after indentation). Returns 1 with the
 * outcome and name when the line is a test point.
 */
static int tap_point(const char *p, size_t n, hw_outcome *o,
		     const char **name, size_t *nn, long *num)
{
	size_t i;
	int ok;
	const char *hash;

	if (n >= 2 && memcmp(p, "ok", 2) == 0 && (n == 2 || p[2] == ' ')) {
		ok = 1;
		i = 2;
	} else if (n >= 6 && memcmp(p, "not ok", 6) == 0 &&
		   (n == 6 || p[6] == ' ')) {
		ok = 0;
		i = 6;
	} else {
		return 0;
	}
	while (i < n && p[i] == ' ')
		i++;
	*num = -1;
	if (i < n && isdigit((unsigned char)p[i])) {
		long v = 0;

		/* a number over TAP_MAX_NUMBER is -2: an error, not clamped */
		while (i < n && isdigit((unsigned char)p[i])) {
			int d = p[i++] - '0';

			if (v >= 0 && v <= (TAP_MAX_NUMBER - d) / 10)
				v = v * 10 + d;
			else
				v = -2;
		}
		*num = v;
	}
	while (i < n && p[i] == ' ')
		i++;
	if (i + 1 < n && p[i] == '-' && p[i + 1] == ' ')
		i += 2;
	else if (i + 1 == n && p[i] == '-')
		i++;
	/* the directive starts at the first unescaped '#' */
	hash = NULL;
	for (size_t k = i; k < n; k++)
		if (p[k] == '#' && (k == i || p[k - 1] != '\\')) {
			hash = p + k;
			break;
		}
	*name = p + i;
	*nn = (hash ? (size_t)(hash - p) : n) - i;
	while (*nn && (*name)[*nn - 1] == ' ')
		(*nn)--;
	*o = ok ? HW_OUTCOME_PASS : HW_OUTCOME_FAIL;
	if (hash) {
		const char *d = hash + 1;
		size_t dn = (size_t)(p + n - d);

		while (dn && *d == ' ') {
			d++;
			dn--;
		}
		if (ieq_prefix(d, dn, "skip"))
			*o = HW_OUTCOME_SKIP;
		else if (ieq_prefix(d, dn, "todo"))
			*o = HW_OUTCOME_TODO;
	}
	return 1;
}

/* Implements: FR-TRACE-002 */
int hw_tap_parse(hw_results *r, hw_diags *diags, const char *file,
		 const char *text, size_t len)
{
	long line = 0, planned = -1, plan_line = 0, points = 0;
	long point_line = 0; /* the last test point's line */
	long diag_line = 0;  /* the last line of a failure's `#` diagnostics */
	int in_yaml = 0, err = HW_OK;
	hw_result *last = NULL;
	size_t i = 0, first = r->n;

	if (memchr(text, '\0', len)) {
		long l, col;

		hw_text_position(text, len,
				 (size_t)((const char *)memchr(text, '\0', len) -
					  text),
				 &l, &col);
		r->files++;
		return hw_diags_add(diags, HW_DIAG_ERROR, file, l, col,
				    "binary data (a NUL byte) in a TAP file");
	}
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && !err) {
		const char *p = text + i, *nl = memchr(p, '\n', len - i);
		size_t n = nl ? (size_t)(nl - p) : len - i, indent = 0;
		const char *name;
		size_t nn;
		hw_outcome o;
		long num;

		i += n + 1;
		line++;
		if (n && p[n - 1] == '\r')
			n--;
		while (indent < n && p[indent] == ' ')
			indent++;
		if (in_yaml) {
			if (n - indent == 3 && memcmp(p + indent, "...", 3) == 0)
				in_yaml = 0;
			else if (last && last->outcome == HW_OUTCOME_FAIL &&
				 !(err = append_message(last, p + indent,
							n - indent)))
				err = append_message(last, "\n", 1);
			continue;
		}
		/* `#` lines right after a failing test point are its
		 * diagnostics (libtap, libuv: "# Assertion failed in ..."), the
		 * failure message when no YAML block gives one; a "# Subtest"
		 * line opens the next test's subtests instead */
		if (last && last->outcome == HW_OUTCOME_FAIL &&
		    diag_line == line - 1 && indent < n && p[indent] == '#' &&
		    !(n - indent >= 9 && memcmp(p + indent, "# Subtest", 9) == 0)) {
			size_t s = indent + 1;

			if (s < n && p[s] == ' ')
				s++;
			if (!(err = append_message(last, p + s, n - s)))
				err = append_message(last, "\n", 1);
			diag_line = line;
			continue;
		}
		/* TAP 14: a YAML block immediately follows its test point; an
		 * indented "---" elsewhere is a test's own output */
		if (n - indent == 3 && memcmp(p + indent, "---", 3) == 0 &&
		    indent >= 2 && point_line && point_line == line - 1) {
			in_yaml = 1;
			continue;
		}
		if (line == 1 && n >= 12 && memcmp(p, "TAP version ", 12) == 0) {
			if (!(n == 14 && (p[12] == '1') &&
			      (p[13] == '3' || p[13] == '4')))
				err = hw_diags_add(diags, HW_DIAG_WARNING, file,
						   line, 0,
						   "unsupported TAP version "
						   "'%.*s'; reading it as 14",
						   (int)(n - 12), p + 12);
			continue;
		}
		if (indent == 0 && n >= 9 && memcmp(p, "Bail out!", 9) == 0) {
			err = hw_diags_add(diags, HW_DIAG_ERROR, file, line, 0,
					   "the test run bailed out:%.*s; "
					   "later tests have no result",
					   (int)(n - 9), p + 9);
			break;
		}
		if (indent == 0 && n >= 3 && isdigit((unsigned char)p[0])) {
			long a = 0, b = 0;
			size_t k = 0;

			while (k < n && isdigit((unsigned char)p[k]) && a < 1000000000)
				a = a * 10 + (p[k++] - '0');
			if (k + 1 < n && p[k] == '.' && p[k + 1] == '.') {
				size_t s = k += 2;

				while (k < n && isdigit((unsigned char)p[k]) &&
				       b < 1000000000)
					b = b * 10 + (p[k++] - '0');
				if (a != 1 || k == s ||
				    (k < n && p[k] != ' ' && p[k] != '#') ||
				    planned >= 0) {
					err = hw_diags_add(
						diags, HW_DIAG_ERROR, file, line,
						0,
						planned >= 0
							? "a second plan '%.*s' "
							  "(the first is on line "
							  "%ld)"
							: "malformed plan "
							  "'%.*s': expected "
							  "1..N",
						(int)n, p, plan_line);
					continue;
				}
				planned = b;
				plan_line = line;
				continue;
			}
		}
		if (!tap_point(p + indent, n - indent, &o, &name, &nn, &num))
			continue; /* not TAP: ignored, as TAP says */
		if (num == -2 &&
		    !(err = hw_diags_add(diags, HW_DIAG_ERROR, file, line, 0,
					 "test number over %ld",
					 TAP_MAX_NUMBER)))
			num = -1; /* the point is read; the file is an error */
		if (indent == 0) {
			points++;
			if (num >= 0 && num != points)
				err = hw_diags_add(diags, HW_DIAG_WARNING, file,
						   line, 0,
						   "test number %ld out of "
						   "sequence (expected %ld)",
						   num, points);
		}
		if (!err && nn == 0) {
			char fallback[32];

			snprintf(fallback, sizeof(fallback), "test %ld",
				 num >= 0 ? num : points);
			err = add_result(r, fallback, strlen(fallback),
					 indent ? "subtest" : NULL, o, file,
					 line);
		} else if (!err) {
			err = add_result(r, name, nn, indent ? "subtest" : NULL,
					 o, file, line);
		}
		last = err ? NULL : &r->items[r->n - 1];
		point_line = line;
		diag_line = line;
	}
	if (!err && planned < 0 && r->n == first && line == 0)
		/* whatever its name: an empty .xml is no JUnit either */
		return hw_diags_add(diags, HW_DIAG_ERROR, file, 0, 0,
				    "empty file: no TAP, JUnit XML, cmocka "
				    "XML or Unity's output in it");
	if (!err && planned < 0 && r->n == first)
		/* a test program's own output (libyaml's test-reader), not
		 * a run that stopped early */
		err = hw_diags_add(diags, HW_DIAG_ERROR, file, 1, 0,
				   "no plan (1..N) and no test line: not "
				   "TAP, JUnit XML, cmocka XML or Unity's "
				   "output, the test reports hwledger reads");
	else if (!err && planned < 0)
		err = hw_diags_add(diags, HW_DIAG_ERROR, file, line, 0,
				   "no plan (1..N): the run may have stopped "
				   "early");
	else if (!err && planned != points)
		err = hw_diags_add(diags, HW_DIAG_ERROR, file, plan_line, 0,
				   "plan says %ld tests but %ld ran", planned,
				   points);
	r->files++;
	return err;
}

/* ---- JUnit XML (and cmocka's) --------------------------------------------- */

typedef struct junit {
	hw_results *r;
	const char *file;
	char *suite;        /* innermost testsuite name */
	long in_case;       /* index+1 of the open testcase result */
	int in_message;     /* inside failure/error: collect text */
	int in_out;         /* inside the testcase's system-out */
	long out_line;      /* where that system-out began */
	hw_buf out;         /* its text */
} junit;

static int looks_like_unity(const char *text, size_t len);
static int unity_parse_at(hw_results *r, hw_diags *diags, const char *file,
			  const char *text, size_t len, long first_line);

/*
 * A testcase of ctest's JUnit is a test executable; when what it printed
 * (system-out) is Unity's output, its tests' results stand for it: the
 * executable's own result is dropped, theirs are read (with their lines in
 * the XML file). An executable that failed when none of its tests did (it
 * crashed or exited non-zero after them: a sanitizer's report, a
 * teardown) keeps its own failed result, which no test's pass hides.
 */
/* Implements: FR-TRACE-002, FR-TRACE-006 */
static int junit_unity_case(junit *j, hw_diags *diags)
{
	size_t at = (size_t)j->in_case - 1, before = j->r->n;
	int err, failed = 0;
	hw_result gone;

	if (!j->out.len || !looks_like_unity(j->out.data, j->out.len))
		return HW_OK;
	if ((err = unity_parse_at(j->r, diags, j->file, j->out.data,
				  j->out.len, j->out_line)))
		return err;
	for (size_t i = before; i < j->r->n; i++)
		failed |= j->r->items[i].outcome == HW_OUTCOME_FAIL;
	if (j->r->items[at].outcome == HW_OUTCOME_FAIL && !failed)
		return HW_OK;
	gone = j->r->items[at];
	memmove(&j->r->items[at], &j->r->items[at + 1],
		(j->r->n - at - 1) * sizeof(*j->r->items));
	j->r->n--;
	free(gone.name);
	free(gone.suite);
	free(gone.file);
	free(gone.message);
	return HW_OK;
}

/* Implements: FR-TRACE-002, FR-TRACE-017 */
static void junit_start(hw_xml *x, const char *el, const char **atts)
{
	junit *j = x->ud;

	if (strcmp(el, "testsuite") == 0) {
		const char *name = hw_xml_attr(atts, "name");

		free(j->suite);
		j->suite = name ? hw_strdup(name) : NULL;
	} else if (strcmp(el, "testcase") == 0) {
		const char *name = hw_xml_attr(atts, "name");
		const char *cls = hw_xml_attr(atts, "classname");
		const char *status = hw_xml_attr(atts, "status");
		int e;

		if (j->in_case) {
			hw_xml_fail(x, "testcase inside a testcase");
			return;
		}
		if (!name || !*name) {
			hw_xml_fail(x, "testcase without a name");
			return;
		}
		/* hwledger-sast-ignore analyzer-malloc-leak: r owns the array */
		/* a disabled test: gtest writes status="notrun", ctest
		 * "disabled" (and "notrun" for one it did not run) */
		e = add_result(j->r, name, strlen(name), cls ? cls : j->suite,
			       status && (strcmp(status, "notrun") == 0 ||
					  strcmp(status, "disabled") == 0)
				       ? HW_OUTCOME_SKIP
				       : HW_OUTCOME_PASS,
			       j->file, hw_xml_line(x));
		if (e) {
			hw_xml_stop(x, e);
			return;
		}
		j->in_case = (long)j->r->n;
	} else if (j->in_case && (strcmp(el, "failure") == 0 ||
				  strcmp(el, "error") == 0)) {
		hw_result *r = &j->r->items[j->in_case - 1];
		const char *m = hw_xml_attr(atts, "message");
		int e;

		r->outcome = HW_OUTCOME_FAIL;
		j->in_message = 1;
		/* hwledger-sast-ignore analyzer-malloc-leak: r owns the text */
		if (m && (e = append_message(r, m, strlen(m))))
			hw_xml_stop(x, e);
	} else if (j->in_case && strcmp(el, "system-out") == 0) {
		j->in_out = 1;
		j->out_line = hw_xml_line(x);
	} else if (j->in_case && strcmp(el, "skipped") == 0) {
		hw_result *r = &j->r->items[j->in_case - 1];

		if (r->outcome == HW_OUTCOME_PASS)
			r->outcome = HW_OUTCOME_SKIP;
	}
}

static void junit_end(hw_xml *x, const char *el)
{
	junit *j = x->ud;

	if (strcmp(el, "testcase") == 0) {
		int e = j->in_case ? junit_unity_case(j, x->diags) : HW_OK;

		hw_buf_clear(&j->out);
		j->in_case = 0;
		if (e)
			hw_xml_stop(x, e);
	} else if (strcmp(el, "system-out") == 0) {
		j->in_out = 0;
	} else if (strcmp(el, "failure") == 0 || strcmp(el, "error") == 0)
		j->in_message = 0;
}

static void junit_text(hw_xml *x, const char *s, size_t len)
{
	junit *j = x->ud;
	int e;

	if (j->in_out && j->in_case) {
		/* a cap, not an error: only Unity's lines are read from it */
		if (j->out.len + len <= RESULT_OUT_MAX &&
		    (e = hw_buf_append(&j->out, s, len)))
			hw_xml_stop(x, e);
		return;
	}
	if (!j->in_message || !j->in_case)
		return;
	/* hwledger-sast-ignore analyzer-malloc-leak: the result owns it */
	if ((e = append_message(&j->r->items[j->in_case - 1], s, len)))
		hw_xml_stop(x, e);
}

int hw_junit_parse(hw_results *r, hw_diags *diags, const char *file,
		   const char *text, size_t len)
{
	junit j = {r, file, NULL, 0, 0, 0, 0, {0}};
	hw_xml x = {.diags = diags, .file = file, .what = "test reports",
		    .ud = &j, .start = junit_start, .end = junit_end,
		    .text = junit_text};
	size_t first = r->n;
	int err;

	hw_buf_init(&j.out, RESULT_OUT_MAX);
	err = hw_xml_parse(&x, text, len);
	hw_buf_free(&j.out);
	free(j.suite);
	r->files++;
	if (err == HW_EINVAL) {
		/* a report that is not whole is not evidence: drop what it
		 * gave, the diagnostic says why */
		while (r->n > first) {
			hw_result *gone = &r->items[--r->n];

			free(gone->name);
			free(gone->suite);
			free(gone->file);
			free(gone->message);
		}
		return HW_OK;
	}
	return err;
}

/* ---- Unity (ThrowTheSwitch) ------------------------------------------------ */

/*
 * One line of Unity's output with its colour codes (UNITY_OUTPUT_COLOR:
 * ESC [ digits m) left out, into out (at most size - 1 bytes).
 */
static size_t unity_plain(char *out, size_t size, const char *p, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < size; i++) {
		if (p[i] == '\033' && i + 1 < n && p[i + 1] == '[') {
			size_t j = i + 2;

			while (j < n && (isdigit((unsigned char)p[j]) ||
					 p[j] == ';'))
				j++;
			if (j < n && p[j] == 'm') {
				i = j;
				continue;
			}
		}
		out[k++] = p[i];
	}
	out[k] = '\0';
	return k;
}

typedef struct unity_line {
	const char *file, *name, *message; /* in the line */
	size_t file_n, name_n;
	hw_outcome outcome;
} unity_line;

/*
 * "FILE:LINE:NAME:PASS", "FILE:LINE:NAME:FAIL: message",
 * "FILE:LINE:NAME:IGNORE[: message]" (what UnityTestResultsBegin and
 * UnityConcludeTest print; PASS may be followed by " (N ms)"). Returns 1
 * for such a line. FILE is what the compiler's __FILE__ said, and may hold
 * ':' itself (C:\...), so the line number is the last ":digits:" before
 * the name.
 */
static int unity_point(const char *s, unity_line *u)
{
	static const struct {
		const char *word;
		hw_outcome o;
	} words[] = {{"PASS", HW_OUTCOME_PASS},
		     {"FAIL", HW_OUTCOME_FAIL},
		     {"IGNORE", HW_OUTCOME_SKIP}};

	for (const char *c = strchr(s, ':'); c; c = strchr(c + 1, ':')) {
		const char *d = c + 1, *name, *st;

		while (isdigit((unsigned char)*d))
			d++;
		if (d == c + 1 || *d != ':' || c == s)
			continue;
		name = d + 1;
		st = strchr(name, ':');
		if (!st || st == name)
			return 0;
		for (size_t w = 0; w < 3; w++) {
			size_t wn = strlen(words[w].word);

			if (strncmp(st + 1, words[w].word, wn) != 0 ||
			    (st[1 + wn] && st[1 + wn] != ':' &&
			     st[1 + wn] != ' '))
				continue;
			u->file = s;
			u->file_n = (size_t)(c - s);
			u->name = name;
			u->name_n = (size_t)(st - name);
			u->outcome = words[w].o;
			u->message = st[1 + wn] == ':' ? st + 2 + wn : NULL;
			while (u->message && *u->message == ' ')
				u->message++;
			return 1;
		}
		return 0;
	}
	return 0;
}

/* ctest --verbose writes each line of test N as "N: line": the line. */
static const char *unity_unprefixed(const char *s)
{
	const char *d = s;

	while (isdigit((unsigned char)*d))
		d++;
	return d > s && d[0] == ':' && d[1] == ' ' ? d + 2 : s;
}

/* "N Tests N Failures N Ignored" (UnityEnd); 1 with the counts. */
static int unity_summary(const char *s, long *tests, long *failures,
			 long *ignored)
{
	static const char *const words[] = {" Tests ", " Failures ",
					    " Ignored"};
	long *counts[] = {tests, failures, ignored};

	for (int i = 0; i < 3; i++) {
		uint64_t v;

		if (!(s = hw_str_u64(s, &v)) || v > LONG_MAX ||
		    !hw_str_startswith(s, words[i]))
			return 0;
		*counts[i] = (long)v;
		s += strlen(words[i]);
	}
	return s[strspn(s, " \t\r\n")] == '\0';
}

/* Whether the first line of text that is not blank or a '#' comment is
 * TAP's: its version, a plan or a test point (a plan at the end). */
static int begins_as_tap(const char *text, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len) {
		const char *p = text + i, *nl = memchr(p, '\n', len - i), *name;
		size_t n = nl ? (size_t)(nl - p) : len - i, nn;
		hw_outcome o;
		long num;

		i += n + 1;
		while (n && isspace((unsigned char)p[n - 1]))
			n--;
		if (n == 0 || p[0] == '#')
			continue;
		return (n >= 12 && memcmp(p, "TAP version ", 12) == 0) ||
		       (n >= 3 && memcmp(p, "1..", 3) == 0) ||
		       tap_point(p, n, &o, &name, &nn, &num);
	}
	return 0;
}

/* Whether text reads as Unity's output: a result or a summary line, in a
 * file that does not begin as TAP does. */
static int looks_like_unity(const char *text, size_t len)
{
	char line[1024] = "";
	size_t i = 0;

	if (begins_as_tap(text, len))
		return 0;

	while (i < len) {
		const char *p = text + i, *nl = memchr(p, '\n', len - i);
		size_t n = nl ? (size_t)(nl - p) : len - i;
		unity_line u;
		long a = 0, b = 0, c = 0;

		i += n + 1;
		unity_plain(line, sizeof(line), p, n);
		if (unity_point(unity_unprefixed(line), &u) ||
		    unity_summary(unity_unprefixed(line), &a, &b, &c))
			return 1;
	}
	return 0;
}

/*
 * Unity's output, one or more runs one after another (each ends with the
 * summary and OK or FAIL), at line first_line of file. Lines that are
 * neither are the tests' own output and are skipped; INFO lines
 * (TEST_MESSAGE) too; ctest's "N: " before each line is dropped. A run
 * without its summary stopped early: an error, like a summary whose counts
 * differ from the lines read. A result's suite is its FILE.
 */
static int unity_parse_at(hw_results *r, hw_diags *diags, const char *file,
			  const char *text, size_t len, long first_line)
{
	char line[4096] = "";
	long lineno = first_line - 1, tests = 0, fails = 0, ignores = 0;
	long last = 0;
	size_t i = 0;
	int err = HW_OK, runs = 0;

	while (i < len && !err) {
		const char *p = text + i, *nl = memchr(p, '\n', len - i), *s;
		size_t n = nl ? (size_t)(nl - p) : len - i;
		unity_line u;
		long t = 0, f = 0, g = 0;

		i += n + 1;
		lineno++;
		if (n && p[n - 1] == '\r')
			n--;
		if (n >= sizeof(line))
			continue; /* no result line is that long */
		unity_plain(line, sizeof(line), p, n);
		s = unity_unprefixed(line);
		if (unity_point(s, &u)) {
			char *suite = hw_strndup(u.file, u.file_n);

			HW_CHECK_ALLOC(suite);
			err = add_result(r, u.name, u.name_n, suite, u.outcome,
					 file, lineno);
			free(suite);
			if (!err && u.outcome == HW_OUTCOME_FAIL && u.message)
				err = append_message(&r->items[r->n - 1],
						     u.message,
						     strlen(u.message));
			tests++;
			fails += u.outcome == HW_OUTCOME_FAIL;
			ignores += u.outcome == HW_OUTCOME_SKIP;
			last = lineno;
		} else if (unity_summary(s, &t, &f, &g)) {
			if (t != tests || f != fails || g != ignores)
				err = hw_diags_add(
					diags, HW_DIAG_ERROR, file, lineno, 0,
					"the summary says %ld tests, %ld "
					"failures, %ld ignored, but the run "
					"printed %ld, %ld and %ld",
					t, f, g, tests, fails, ignores);
			tests = fails = ignores = 0;
			last = 0;
			runs++;
		}
	}
	if (!err && last)
		err = hw_diags_add(diags, HW_DIAG_ERROR, file, last, 0,
				   "no summary line ('N Tests N Failures N "
				   "Ignored') after this result: the run may "
				   "have stopped early");
	else if (!err && !runs)
		err = hw_diags_add(diags, HW_DIAG_ERROR, file, first_line, 0,
				   "no Unity results");
	return err;
}

/* Implements: FR-TRACE-002 */
int hw_unity_parse(hw_results *r, hw_diags *diags, const char *file,
		   const char *text, size_t len)
{
	r->files++;
	if (memchr(text, '\0', len))
		return hw_diags_add(diags, HW_DIAG_ERROR, file, 0, 0,
				    "binary data (a NUL byte) in Unity output");
	return unity_parse_at(r, diags, file, text, len, 1);
}

int hw_results_load(hw_results *r, hw_diags *diags, const char *path,
		    size_t max_bytes)
{
	hw_buf b;
	size_t i = 0;
	int err;

	hw_buf_init(&b, max_bytes);
	err = hw_file_read(&b, path, max_bytes);
	if (err) {
		hw_buf_free(&b);
		if (err == HW_ENOMEM)
			return err;
		return hw_diags_add_last_error(diags);
	}
	if (b.len >= 3 && memcmp(b.data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < b.len && isspace((unsigned char)b.data[i]))
		i++;
	if (i < b.len && b.data[i] == '<')
		err = hw_junit_parse(r, diags, path, b.data, b.len);
	else if (looks_like_unity(b.data, b.len))
		err = hw_unity_parse(r, diags, path, b.data, b.len);
	else
		err = hw_tap_parse(r, diags, path, b.data, b.len);
	hw_buf_free(&b);
	return err;
}
