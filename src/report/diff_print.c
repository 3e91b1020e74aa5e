/*
 * diff_print.c — the text and Markdown forms of a hwledger.diff/1
 * document (diff.c builds it). The text lists everything; the Markdown is
 * short enough for a pull-request comment: the two reports, a table of
 * counts, and the regressions, new findings and new defects, each list cut
 * at MD_CAP entries with "and N more".
 */
#include "report/report.h"

#include <string.h>

#define MD_CAP 10

static void md_text(hw_buf *o, const char *s);
static void md_code(hw_buf *o, const char *s, size_t max);

static const cJSON *at(const cJSON *o, const char *path1, const char *path2)
{
	o = cJSON_GetObjectItem(o, path1);
	return path2 ? cJSON_GetObjectItem(o, path2) : o;
}

static const char *str(const cJSON *o, const char *key)
{
	const char *s = hw_json_str(o, key);

	return s ? s : "-";
}

/*
 * A whole number that the document copies from a side's evidence (a line,
 * a count) into buf, or "-" when it is none: the author of a report may
 * sign any JSON there, and a NaN or 1e300 has no int.
 */
static const char *whole(char *buf, size_t size, const cJSON *v)
{
	double x = cJSON_GetNumberValue(v);

	if (cJSON_IsNumber(v) && x >= -1e15 && x <= 1e15 && x == (long long)x)
		snprintf(buf, size, "%lld", (long long)x);
	else
		snprintf(buf, size, "-");
	return buf;
}

static int count(const cJSON *o, const char *a, const char *b)
{
	return cJSON_GetArraySize(at(o, a, b));
}

/* "75.0% (3/4)", or "no coverage" when no line is known. */
static void percent(char *out, size_t size, const cJSON *c)
{
	double hit = cJSON_GetNumberValue(cJSON_GetObjectItem(c, "hit"));
	double lines = cJSON_GetNumberValue(cJSON_GetObjectItem(c, "lines"));

	if (!c || !(lines > 0))
		snprintf(out, size, "no coverage");
	else
		snprintf(out, size, "%.1f%% (%.0f/%.0f)", 100.0 * hit / lines,
			 hit, lines);
}

/* A JSON value in one line (a level, a list of parents). */
static int value(hw_buf *out, const cJSON *v)
{
	char *s = v ? cJSON_PrintUnformatted(v) : NULL;
	int err = hw_buf_puts(out, s ? s : "null");

	cJSON_free(s);
	return err;
}

/* "ID: title", or the ID alone where the side keeps no title (a bundle). */
static void id_title(hw_buf *o, const cJSON *e, int md)
{
	const char *title = hw_json_str(e, "title");

	if (md)
		md_code(o, str(e, "id"), (size_t)-1);
	else
		hw_buf_puts(o, str(e, "id"));
	if (title && md) {
		hw_buf_puts(o, " ");
		md_text(o, title);
	} else if (title) {
		hw_buf_printf(o, ": %s", title);
	}
}

/* " (N waived)" when a side's share counts waived FRs, else "". */
static const char *waived_note(char *buf, size_t n, const cJSON *s)
{
	int w = (int)cJSON_GetNumberValue(
		cJSON_GetObjectItem(s, "approved_waived"));

	if (w > 0)
		snprintf(buf, n, " (%d waived)", w);
	else
		*buf = '\0';
	return buf;
}

static void side_line(hw_buf *o, const char *name, const cJSON *s)
{
	char note[32], ok[24], all[24];

	waived_note(note, sizeof(note), s);
	hw_buf_printf(o, "%s: %s, commit %.12s, signed by %s (%s); %s/%s "
			 "approved FRs verified%s%s\n",
		      name, str(s, "dir"), str(s, "commit"), str(s, "key"),
		      cJSON_IsTrue(cJSON_GetObjectItem(s, "trusted"))
			      ? "trusted"
			      : "not trusted",
		      whole(ok, sizeof(ok),
			    cJSON_GetObjectItem(s, "approved_verified")),
		      whole(all, sizeof(all), cJSON_GetObjectItem(s, "approved")),
		      *note ? " or waived" : "", note);
}

static void status_line(hw_buf *o, const cJSON *e, const char *lead)
{
	hw_buf_printf(o, "%s%s: %s -> %s%s\n", lead, str(e, "id"),
		      str(e, "from"), str(e, "to"),
		      cJSON_IsTrue(cJSON_GetObjectItem(e, "regression"))
			      ? " (regression)"
			      : "");
}

static void finding_line(hw_buf *o, const cJSON *e, const char *lead)
{
	char line[24];

	hw_buf_printf(o, "%s%s:%s: %s %s: %s\n", lead, str(e, "file"),
		      whole(line, sizeof(line), cJSON_GetObjectItem(e, "line")),
		      str(e, "tool"), str(e, "rule"), str(e, "message"));
}

static void defect_line(hw_buf *o, const cJSON *e, const char *lead)
{
	char line[24];

	hw_buf_printf(o, "%s%s: %s:%s: %s\n", lead, str(e, "id"),
		      str(e, "file"),
		      whole(line, sizeof(line), cJSON_GetObjectItem(e, "line")),
		      str(e, "message"));
}

/* "LABEL: N new, M fixed" and a line for each. */
static void new_and_fixed(hw_buf *o, const cJSON *d, const char *key,
			  const char *label,
			  void (*line)(hw_buf *, const cJSON *, const char *))
{
	const cJSON *e;

	hw_buf_printf(o, "%s: %d new, %d fixed\n", label, count(d, key, "new"),
		      count(d, key, "fixed"));
	cJSON_ArrayForEach(e, at(d, key, "new"))
		line(o, e, "  new: ");
	cJSON_ArrayForEach(e, at(d, key, "fixed"))
		line(o, e, "  fixed: ");
}

/* A ledger event (a bundle's or a revision's side) keeps only each
 * requirement's ID and status: its words, level and parents are not
 * compared, which "words": "none" says. */
#define NOT_KEPT ", not compared (a ledger event keeps no words, levels " \
		 "or parents)"

static void print_text(hw_buf *o, const cJSON *d)
{
	const cJSON *e, *cov = cJSON_GetObjectItem(d, "coverage");
	const char *words;
	char pa[64], pb[64];

	side_line(o, "A", cJSON_GetObjectItem(d, "a"));
	side_line(o, "B", cJSON_GetObjectItem(d, "b"));
	hw_buf_printf(o, "regressions (%d):\n",
		      (int)cJSON_GetNumberValue(
			      cJSON_GetObjectItem(d, "regressions")));
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(d, "status"))
		if (cJSON_IsTrue(cJSON_GetObjectItem(e, "regression")))
			status_line(o, e, "  ");
	for (int k = 0; k < 2; k++) {
		const char *key = k ? "removed" : "added";

		hw_buf_printf(o, "%s (%d):\n", key, count(d, key, NULL));
		cJSON_ArrayForEach(e, cJSON_GetObjectItem(d, key)) {
			hw_buf_puts(o, "  ");
			id_title(o, e, 0);
			hw_buf_printf(o, " (%s)\n", str(e, "status"));
		}
	}
	words = str(d, "words");
	hw_buf_printf(o, "reworded (%d)%s:\n", count(d, "reworded", NULL),
		      !strcmp(words, "text")	? ""
		      : !strcmp(words, "title") ? ", titles only (a report "
						  "without evidence/frs.json)"
						: NOT_KEPT);
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(d, "reworded")) {
		const char *diff = str(e, "diff"), *nl;

		hw_buf_printf(o, "  %s: %s\n", str(e, "id"), str(e, "title"));
		for (; *diff; diff = nl + 1) {
			nl = strchr(diff, '\n');
			if (!nl)
				nl = diff + strlen(diff) - 1;
			hw_buf_printf(o, "    %.*s\n", (int)(nl - diff), diff);
		}
	}
	for (int k = 0; k < 2; k++) {
		const char *key = k ? "reparented" : "relevelled";

		hw_buf_printf(o, "%s (%d)%s:\n",
			      k ? "re-parented" : "re-levelled",
			      count(d, key, NULL),
			      strcmp(words, "none") ? "" : NOT_KEPT);
		cJSON_ArrayForEach(e, cJSON_GetObjectItem(d, key)) {
			hw_buf_printf(o, "  %s: ", str(e, "id"));
			value(o, cJSON_GetObjectItem(e, "from"));
			hw_buf_puts(o, " -> ");
			value(o, cJSON_GetObjectItem(e, "to"));
			hw_buf_puts(o, "\n");
		}
	}
	hw_buf_printf(o, "status changes (%d, regressions first):\n",
		      count(d, "status", NULL));
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(d, "status"))
		status_line(o, e, "  ");
	percent(pa, sizeof(pa), cJSON_GetObjectItem(cov, "from"));
	percent(pb, sizeof(pb), cJSON_GetObjectItem(cov, "to"));
	if (!cJSON_IsTrue(cJSON_GetObjectItem(cov, "compared")))
		hw_buf_puts(o, "coverage: not compared (a ledger event "
			       "keeps none)\n");
	else
		hw_buf_printf(o, "coverage: %s -> %s; %d FR%s changed\n", pa,
			      pb, count(cov, "frs", NULL),
			      HW_S(count(cov, "frs", NULL)));
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(cov, "frs")) {
		percent(pa, sizeof(pa), cJSON_GetObjectItem(e, "from"));
		percent(pb, sizeof(pb), cJSON_GetObjectItem(e, "to"));
		hw_buf_printf(o, "  %s: %s -> %s\n", str(e, "id"), pa, pb);
	}
	if (!cJSON_IsTrue(at(d, "sast", "compared")))
		hw_buf_puts(o, "sast findings: not compared (a side without "
			       "the sast check's findings)\n");
	else
		new_and_fixed(o, d, "sast", "sast findings", finding_line);
	if (!cJSON_IsTrue(at(d, "defects", "compared")))
		hw_buf_puts(o, "defects: not compared (a ledger event keeps "
			       "none)\n");
	else
		new_and_fixed(o, d, "defects", "defects", defect_line);
}

/* Text for Markdown: the characters that would start markup or a tag,
 * and the table's bar, are escaped with a backslash. */
static void md_text(hw_buf *o, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]<>|#", *s))
			hw_buf_append(o, "\\", 1);
		hw_buf_append(o, s, 1);
	}
}

/* s (max bytes at most) as a code span: a backtick would end it, and a
 * '|' a table's cell, even inside one. */
static void md_code(hw_buf *o, const char *s, size_t max)
{
	hw_buf_puts(o, "`");
	for (size_t i = 0; s[i] && i < max; i++) {
		if (s[i] == '`')
			hw_buf_puts(o, "'");
		else if (s[i] == '|')
			hw_buf_puts(o, "\\|");
		else
			hw_buf_append(o, s + i, 1);
	}
	hw_buf_puts(o, "`");
}

/* Entries of arr that keep() accepts, MD_CAP at most, then "and N more". */
static void md_list(hw_buf *o, const char *heading, const cJSON *arr,
		    int (*keep)(const cJSON *),
		    void (*line)(hw_buf *, const cJSON *))
{
	const cJSON *e;
	int n = 0;

	cJSON_ArrayForEach(e, arr) {
		if (keep && !keep(e))
			continue;
		if (!n)
			hw_buf_printf(o, "\n### %s\n\n", heading);
		if (n++ < MD_CAP) {
			hw_buf_puts(o, "- ");
			line(o, e);
			hw_buf_puts(o, "\n");
		}
	}
	if (n > MD_CAP)
		hw_buf_printf(o, "- and %d more\n", n - MD_CAP);
}

static int md_regression(const cJSON *e)
{
	return cJSON_IsTrue(cJSON_GetObjectItem(e, "regression"));
}

static void md_status(hw_buf *o, const cJSON *e)
{
	id_title(o, e, 1);
	hw_buf_puts(o, ": ");
	md_text(o, str(e, "from"));
	hw_buf_puts(o, " → ");
	md_text(o, str(e, "to"));
}

/* FILE:LINE as a code span (a backtick in the name would end it). */
static void md_where(hw_buf *o, const cJSON *e)
{
	char line[24];
	hw_buf f;

	hw_buf_init(&f, 0);
	hw_buf_printf(&f, "%s:%s", str(e, "file"),
		      whole(line, sizeof(line), cJSON_GetObjectItem(e, "line")));
	md_code(o, f.data ? f.data : "", (size_t)-1);
	hw_buf_free(&f);
}

static void md_finding(hw_buf *o, const cJSON *e)
{
	md_where(o, e);
	hw_buf_puts(o, " ");
	md_text(o, str(e, "tool"));
	hw_buf_puts(o, " ");
	md_text(o, str(e, "rule"));
	hw_buf_puts(o, ": ");
	md_text(o, str(e, "message"));
}

static void md_defect(hw_buf *o, const cJSON *e)
{
	md_text(o, str(e, "kind"));
	hw_buf_puts(o, " ");
	md_where(o, e);
	hw_buf_puts(o, ": ");
	md_text(o, str(e, "message"));
}

/* The table's row of a count, or "not compared" when a side lacks it. */
static void md_count(hw_buf *o, const char *label, int n, int compared)
{
	if (compared)
		hw_buf_printf(o, "| %s | %d |\n", label, n);
	else
		hw_buf_printf(o, "| %s | not compared |\n", label);
}

/* The table's row of a set compared by new and fixed entries. */
static void md_new_fixed(hw_buf *o, const cJSON *d, const char *key,
			 const char *label)
{
	if (cJSON_IsTrue(at(d, key, "compared")))
		hw_buf_printf(o, "| %s new / fixed | %d / %d |\n", label,
			      count(d, key, "new"), count(d, key, "fixed"));
	else
		hw_buf_printf(o, "| %s | not compared |\n", label);
}

static void print_md(hw_buf *o, const cJSON *d)
{
	const cJSON *a = cJSON_GetObjectItem(d, "a");
	const cJSON *b = cJSON_GetObjectItem(d, "b");
	const cJSON *cov = cJSON_GetObjectItem(d, "coverage");
	int reg = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(d, "regressions"));
	int words = strcmp(str(d, "words"), "none") != 0;
	char pa[64], pb[64], wa[32], wb[32], n[4][24];

	waived_note(wa, sizeof(wa), a);
	waived_note(wb, sizeof(wb), b);
	percent(pa, sizeof(pa), cJSON_GetObjectItem(cov, "from"));
	percent(pb, sizeof(pb), cJSON_GetObjectItem(cov, "to"));
	if (!cJSON_IsTrue(cJSON_GetObjectItem(cov, "compared"))) {
		snprintf(pa, sizeof(pa), "-");
		snprintf(pb, sizeof(pb), "-");
	}
	hw_buf_printf(o, "## hwledger diff: %d regression%s\n\n", reg,
		      reg == 1 ? "" : "s");
	hw_buf_puts(o, "| | A | B |\n|---|---|---|\n| commit | ");
	md_code(o, str(a, "commit"), 12);
	hw_buf_puts(o, " | ");
	md_code(o, str(b, "commit"), 12);
	hw_buf_printf(o, " |\n"
			 "| approved FRs verified%s | %s/%s%s | %s/%s%s |\n"
			 "| coverage | %s | %s |\n\n",
		      *wa || *wb ? " or waived" : "",
		      whole(n[0], sizeof(n[0]), at(a, "approved_verified", NULL)),
		      whole(n[1], sizeof(n[1]), at(a, "approved", NULL)), wa,
		      whole(n[2], sizeof(n[2]), at(b, "approved_verified", NULL)),
		      whole(n[3], sizeof(n[3]), at(b, "approved", NULL)), wb,
		      pa, pb);
	hw_buf_printf(o, "| change | count |\n|---|---|\n"
			 "| regressions | %d |\n| added | %d |\n"
			 "| removed | %d |\n",
		      reg, count(d, "added", NULL), count(d, "removed", NULL));
	md_count(o, "reworded", count(d, "reworded", NULL), words);
	md_count(o, "re-levelled", count(d, "relevelled", NULL), words);
	md_count(o, "re-parented", count(d, "reparented", NULL), words);
	hw_buf_printf(o, "| status changes | %d |\n", count(d, "status", NULL));
	md_count(o, "coverage changes", count(cov, "frs", NULL),
		 cJSON_IsTrue(cJSON_GetObjectItem(cov, "compared")));
	md_new_fixed(o, d, "sast", "SAST findings");
	md_new_fixed(o, d, "defects", "defects");
	md_list(o, "Regressions", cJSON_GetObjectItem(d, "status"),
		md_regression, md_status);
	md_list(o, "New SAST findings", at(d, "sast", "new"), NULL,
		md_finding);
	md_list(o, "New defects", at(d, "defects", "new"), NULL, md_defect);
}

/*
 * Every string of j with its control characters made spaces, but the
 * newlines of a reworded FR's "diff": what the sides' evidence holds is
 * the signer's, and a newline or an escape sequence in a title or a
 * message would print lines of its own ("regressions (0):", a Markdown
 * heading) or move the terminal's cursor.
 */
static void plain(cJSON *j, int keep_newlines)
{
	cJSON *c;

	if (cJSON_IsString(j) && j->valuestring)
		for (char *p = j->valuestring; *p; p++)
			if (((unsigned char)*p < 0x20 || *p == 0x7f) &&
			    !(keep_newlines && *p == '\n'))
				*p = ' ';
	for (c = j->child; c; c = c->next)
		plain(c, c->string && !strcmp(c->string, "diff"));
}

/* Implements: FR-REPORT-003 */
int hw_diff_print(hw_buf *out, const cJSON *diff, const char *format)
{
	cJSON *d = cJSON_Duplicate(diff, 1);

	if (!d)
		return hw_error_oom();
	plain(d, 0);
	/* an append fails only when the buffer cannot grow, and records
	 * the error: one look at the end sees a failure of any of them */
	hw_error_clear();
	if (!strcmp(format, "md"))
		print_md(out, d);
	else
		print_text(out, d);
	cJSON_Delete(d);
	return hw_error_code();
}
