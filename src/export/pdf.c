/*
 * pdf.c — the printable specification as PDF: the HTML document of html.c
 * printed by headless Chromium (--print-to-pdf), Chromium's own header and
 * footer off (the document's print CSS numbers the pages), no network.
 * Chromium is a dependency (ci/deps.sh); without it this is exit 3.
 */
#include "export/export.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHROMIUM_TIMEOUT_S 120
#define PDF_MAX_BYTES ((size_t)1 << 30)

/* a followed by b, in a new string; NULL when out of memory */
static char *concat(const char *a, const char *b)
{
	hw_buf x;

	hw_buf_init(&x, 0);
	if (hw_buf_puts(&x, a) || hw_buf_puts(&x, b)) {
		hw_buf_free(&x);
		return NULL;
	}
	return hw_buf_detach(&x);
}

/* Prints the HTML file html to pdf, with a fresh profile in dir. */
static int print(const char *dir, const char *html, const char *pdf)
{
	/* hwledger-sast-ignore FF1053: the user's choice of browser */
	const char *chromium = getenv("HWLEDGER_CHROMIUM");
	char *url = NULL, *out = NULL, *profile = NULL;
	hw_cmd_result r;
	int err;

	memset(&r, 0, sizeof(r));
	if (!chromium || !*chromium)
		chromium = "chromium";
	url = concat("file://", html);
	out = concat("--print-to-pdf=", pdf);
	profile = concat("--user-data-dir=", dir);
	if (!url || !out || !profile) {
		err = hw_error_oom();
		goto done;
	}
	{
		/* a fresh profile in the temporary folder, nothing fetched,
		 * no GPU, no sandbox (it needs privileges a container or a CI
		 * runner may lack; the page is ours and has no script) */
		char *const argv[] = {
			(char *)chromium, "--headless", "--no-sandbox",
			"--disable-gpu", "--no-first-run", "--disable-quic",
			"--disable-extensions", "--disable-background-networking",
			"--disable-sync", "--no-pdf-header-footer",
			"--run-all-compositor-stages-before-draw", profile, out,
			url, NULL};

		if ((err = hw_run(&r, argv, CHROMIUM_TIMEOUT_S, 1 << 20)))
			goto done;
	}
	if (r.not_found)
		err = hw_error_set(HW_EIO, NULL, 0, 0,
				   "cannot run %s, which the PDF export needs "
				   "(ci/deps.sh installs it)",
				   chromium);
	else if (r.status != 0 || !hw_path_exists(pdf))
		err = hw_error_set(HW_EIO, NULL, 0, 0,
				   "%s did not print the PDF (%s)", chromium,
				   r.timed_out ? "timed out" : "it failed");
done:
	hw_cmd_result_free(&r);
	free(url);
	free(out);
	free(profile);
	return err;
}

/* Removes the temporary folder and what Chromium left in it. */
static void remove_tree(const char *dir)
{
	char *const argv[] = {"rm", "-rf", "--", (char *)dir, NULL};
	hw_cmd_result r;

	memset(&r, 0, sizeof(r));
	if (hw_run(&r, argv, 60, 1 << 16))
		hw_error_clear();
	hw_cmd_result_free(&r);
}

/* Implements: FR-EXPORT-002 */
int hw_export_pdf(hw_buf *out, const hw_export_doc *d)
{
	/* hwledger-sast-ignore FF1053: the temporary folder, used by mkdtemp */
	const char *tmp = getenv("TMPDIR");
	char *dir = NULL, *html = NULL, *pdf = NULL;
	hw_buf page;
	int err;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	hw_buf_init(&page, 0);
	if (!(dir = concat(tmp, "/hwledger-pdf-XXXXXX")))
		return hw_error_oom();
	if (!mkdtemp(dir)) {
		err = hw_error_set(HW_EIO, tmp, 0, 0,
				   "cannot create a temporary folder");
		free(dir);
		return err;
	}
	html = concat(dir, "/spec.html");
	pdf = concat(dir, "/spec.pdf");
	if (!html || !pdf)
		err = hw_error_oom();
	else if (!(err = hw_export_html(&page, d)) &&
		 !(err = hw_file_write_atomic(html, page.data, page.len)) &&
		 !(err = print(dir, html, pdf)))
		err = hw_file_read(out, pdf, PDF_MAX_BYTES);
	remove_tree(dir);
	hw_buf_free(&page);
	free(dir);
	free(html);
	free(pdf);
	return err;
}
