/*
 * fuzz_diff.c — libFuzzer target for `hwledger diff A B`'s reading of two
 * report folders (specs/diff.md): each side's evidence/report.json,
 * trace.json, sast.json and frs.json, then the hwledger.diff/1 document
 * built from both and printed as text and Markdown. The input is the
 * eight files, cut at NUL bytes (which no JSON text holds): A's report,
 * trace, sast, frs, then B's; an empty part leaves that file out. Any
 * bytes are refused naming the file and the line, or compared and
 * printed; never a crash, undefined behaviour, a read out of bounds or a
 * leak.
 *
 * The signatures are verify-report's (fuzz_manifest); here the sides are
 * read as the caller passes them after it verified them: a report's
 * author may sign any JSON.
 */
#include "fuzz_files.h"
#include "report/report.h"

#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static const char *const files[] = {
	"evidence/report.json", "evidence/trace.json", "evidence/sast.json",
	"evidence/frs.json"};

/* The side's next four parts into side/evidence/ (an empty one removed). */
static void put_side(const char *side, const unsigned char **p,
		     const unsigned char *end)
{
	char path[64];

	for (size_t i = 0; i < 4; i++) {
		const unsigned char *nul =
			memchr(*p, '\0', (size_t)(end - *p));
		const unsigned char *stop = nul ? nul : end;

		snprintf(path, sizeof(path), "%s/%s", side, files[i]);
		if (stop > *p)
			fuzz_put(path, *p, (size_t)(stop - *p));
		else
			unlink(path);
		*p = nul ? nul + 1 : end;
	}
}

/* A refused side names its file ("a/evidence/trace.json"), and a bad
 * one the line; only a missing one has none. */
static void check_refusal(int err, const char *side)
{
	const char *m = hw_error_last(), *colon = strstr(m, ".json:");

	if ((err != HW_EINVAL && err != HW_ENOTFOUND) ||
	    strncmp(m, side, strlen(side)) != 0 || !colon ||
	    (err == HW_EINVAL && (colon[6] < '1' || colon[6] > '9'))) {
		fprintf(stderr, "refused without the file and line: %s\n", m);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char dir[] = "/tmp/hwledger-fuzz-diff-XXXXXX";
	static int made;
	const unsigned char *p = data, *end = data + size;
	hw_diff_side a, b;
	int back = fuzz_enter(dir, made), err;

	if (!made) {
		if (mkdir("a", 0755) || mkdir("a/evidence", 0755) ||
		    mkdir("b", 0755) || mkdir("b/evidence", 0755))
			abort();
		made = 1;
	}
	put_side("a", &p, end);
	put_side("b", &p, end);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	strcpy(a.key_name, "alice");
	strcpy(b.key_name, "bob");
	b.trusted = 1;
	if ((err = hw_diff_load(&a, "a")))
		check_refusal(err, "a/");
	else if ((err = hw_diff_load(&b, "b")))
		check_refusal(err, "b/");
	else {
		cJSON *doc = NULL;
		size_t regressions = 0;

		if (hw_diff_build(&doc, &a, &b, &regressions) == HW_OK) {
			hw_buf out;

			hw_buf_init(&out, 0);
			if (hw_diff_print(&out, doc, "text") != HW_OK ||
			    hw_diff_print(&out, doc, "md") != HW_OK)
				abort();
			hw_buf_free(&out);
			cJSON_Delete(doc);
		}
	}
	hw_error_clear();
	hw_diff_side_free(&a);
	hw_diff_side_free(&b);
	fuzz_leave(back);
	return 0;
}
