/*
 * page.c — HTML escaping, the page frame (head, navigation, search box,
 * footer), small widgets, and writing pages into the site folder.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Implements: FR-SITE-003 */
int hw_html_escape(hw_buf *b, const char *s, size_t n)
{
	size_t run = 0;
	int err = HW_OK;

	for (size_t i = 0; i < n && !err; i++) {
		const char *rep;

		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		case '\0':
			rep = "\xEF\xBF\xBD";
			break;
		default:
			continue;
		}
		if (i > run)
			err = hw_buf_append(b, s + run, i - run);
		if (!err)
			err = hw_buf_puts(b, rep);
		run = i + 1;
	}
	if (!err && n > run)
		err = hw_buf_append(b, s + run, n - run);
	return err;
}

int hw_html_puts(hw_buf *b, const char *s)
{
	return s ? hw_html_escape(b, s, strlen(s)) : HW_OK;
}

/*
 * A path as one file name: every byte outside [A-Za-z0-9.-] (and a leading
 * '.') written _XX, which is one-to-one. A name that would pass
 * HW_SITE_NAME_KEEP bytes keeps its first escaped bytes (never half an
 * escape) and ends in "_h" and 32 hex digits of the path's SHA-256: an
 * escape never writes "_h", so a cut name meets no uncut one, and it stays
 * under NAME_MAX with the ".html" the callers add, whatever the path.
 */
/* Implements: FR-SITE-003 */
int hw_site_path_name(hw_buf *b, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t start = b->len;
	int err = HW_OK;

	for (const unsigned char *p = (const unsigned char *)path; *p && !err;
	     p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' ||
		    (*p == '.' && p != (const unsigned char *)path)) {
			err = hw_buf_putc(b, (char)*p);
		} else {
			char esc[3] = {'_', hex[*p >> 4], hex[*p & 15]};

			err = hw_buf_append(b, esc, 3);
		}
	}
	if (!err && b->len - start > HW_SITE_NAME_KEEP) {
		uint8_t sum[HW_SHA256_LEN];
		char digits[2 * HW_SHA256_LEN + 1];
		size_t cut = start + HW_SITE_NAME_KEEP - 2 - 32;

		/* back to the start of an escape the cut would split */
		for (size_t k = cut; k > start && k + 3 > cut; k--)
			if (b->data[k - 1] == '_') {
				cut = k - 1;
				break;
			}
		hw_sha256(sum, path, strlen(path));
		hw_hex(digits, sum, 16);
		b->len = cut;
		err = hw_buf_printf(b, "_h%.32s", digits);
	}
	return err;
}

static const struct {
	const char *page;
	const char *label;
} nav[] = {
	{"index.html", "Dashboard"},   {"matrix.html", "FRs"},
	{"tree.html", "Tree"},
	{"sast.html", "SAST"},	       {"planner.html", "Planner"},
	{"probes.html", "Probes"},     {"ledger.html", "Ledger"},
	{"changes.html", "Changes"},   {"glossary.html", "Glossary"},
};

/* A tab for the planner or the probes only when the evidence has some. */
static int nav_shown(const site *s, const char *page)
{
	if (!strcmp(page, "tree.html"))
		return site_has_levels(s);
	if (!strcmp(page, "planner.html"))
		return site_num(s->plan, "total") > 0 || s->nsweeps ||
		       s->cheapest;
	if (!strcmp(page, "probes.html"))
		return site_num(s->probe, "total") > 0 ||
		       cJSON_GetArraySize(cJSON_GetObjectItem(
			       cJSON_GetObjectItem(s->probe, "probe"),
			       "hosts")) > 0;
	return 1;
}

/* Implements: FR-SITE-001, FR-SITE-003 */
int page_begin(const site *s, hw_buf *b, const char *title, const char *root,
	       const char *current)
{
	/* the report loads nothing from outside its folder, whatever the
	 * evidence says: no inline script or style either */
	int err =
		hw_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
			       "<meta charset=\"utf-8\">\n"
			       "<meta http-equiv=\"Content-Security-Policy\" "
			       "content=\"" HW_SITE_CSP "\">\n"
			       "<meta name=\"viewport\" content=\"width=device-"
			       "width, initial-scale=1\">\n<title>");

	err = err ? err : hw_html_puts(b, title);
	err = err ? err
		  : hw_buf_printf(b,
				  " — hwledger report</title>\n"
				  "<link rel=\"stylesheet\" href=\"%s"
				  "style.css\">\n</head>\n<body data-root"
				  "=\"%s\">\n<a class=\"skip\" href=\"#main"
				  "\">Skip to content</a>\n<header>\n<a "
				  "class=\"brand\" href=\"%sindex.html\">"
				  "hwledger</a>\n<nav aria-label=\"Main\">"
				  "<ul>",
				  root, root, root);
	for (size_t i = 0; !err && i < sizeof(nav) / sizeof(*nav); i++)
		err = !nav_shown(s, nav[i].page) ? HW_OK : hw_buf_printf(b, "<li><a href=\"%s%s\"%s>%s</a></li>",
				    root, nav[i].page,
				    current && !strcmp(current, nav[i].page)
					    ? " aria-current=\"page\""
					    : "",
				    nav[i].label);
	err = err ? err
		  : hw_buf_puts(b,
				"</ul></nav>\n<div class=\"search\" role="
				"\"search\"><label for=\"q\">Search</label>"
				"<input id=\"q\" type=\"search\" autocomplete="
				"\"off\" placeholder=\"FRs, functions, tests, "
				"findings, terms\" aria-controls=\"results\">"
				"<ul id=\"results\" aria-live=\"polite\">"
				"</ul></div>\n</header>\n<main id=\"main\">\n"
				"<h1>");
	err = err ? err : hw_html_puts(b, title);
	return err ? err : hw_buf_puts(b, "</h1>\n");
}

int page_end(hw_buf *b, const char *root)
{
	return hw_buf_printf(b,
			     "</main>\n<footer><p>Rendered by hwledger "
			     "from the evidence of the checks; a part that "
			     "did not run is shown as <em>not run</em>.</p>"
			     "</footer>\n<script src=\"%ssearch-index.js\">"
			     "</script>\n<script src=\"%sapp.js\"></script>\n"
			     "</body>\n</html>\n",
			     root, root);
}

/* Remembers rel and the SHA-256 of its bytes for the signed manifest. */
static int manifest_add(site *s, const char *rel, const hw_buf *b)
{
	uint8_t h[HW_SHA256_LEN];

	if (HW_ARRAY_GROW(s->mpaths, s->nm, s->capm) ||
	    HW_ARRAY_GROW(s->mhashes, s->nm, s->capmh))
		return HW_ENOMEM;
	/* hwledger-sast-ignore analyzer-malloc-leak: site_free frees the paths */
	if (!(s->mpaths[s->nm] = hw_strdup(rel)))
		return HW_ENOMEM;
	hw_sha256(h, b->data ? b->data : "", b->len);
	hw_hex(s->mhashes[s->nm++], h, HW_SHA256_LEN);
	return HW_OK;
}

int site_write(site *s, const char *rel, const hw_buf *b)
{
	int err = site_write_unlisted(s, rel, b);

	if (!err && s->o->key)
		err = manifest_add(s, rel, b);
	return err;
}

/* On the second part's copy: the file is kept for the first to write. */
static int keep_file(site *s, const char *rel, const hw_buf *b)
{
	site_file *f;
	char *copy, *data;

	if (HW_ARRAY_GROW(s->files, s->nfiles, s->capfiles))
		return HW_ENOMEM;
	copy = hw_strdup(rel);
	data = malloc(b->len ? b->len : 1);
	if (!copy || !data) {
		free(copy);
		free(data);
		return hw_error_oom();
	}
	if (b->len)
		memcpy(data, b->data, b->len);
	f = &s->files[s->nfiles];
	f->rel = copy;
	f->data = data;
	f->len = b->len;
	s->nfiles++;
	return HW_OK;
}

int site_write_unlisted(site *s, const char *rel, const hw_buf *b)
{
	if (s->deferring)
		return keep_file(s, rel, b);
	return site_write_now(s, rel, b->data, b->len);
}

/* Writes len bytes of data as REL inside the site folder and counts it. */
int site_write_now(site *s, const char *rel, const char *data, size_t len)
{
	char *path = hw_path_join(s->tmp, rel);
	off_t had = 0;
	int fd, err = HW_OK;

	if (!path)
		return HW_ENOMEM;
	/* plain write(2): ten thousand pages need no stdio buffers */
	fd = s->spare ? site_spare_open(s, path, rel, &had)
		      : open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			     0644);
	if (fd < 0) {
		err = hw_error_set(HW_EIO, path, 0, 0, "cannot write: %s",
				   strerror(errno));
	} else {
		err = hw_write_all(fd, data, len);
		/* a reused file of the spare keeps no byte of its last text */
		if (!err && had > (off_t)len && ftruncate(fd, (off_t)len) != 0)
			err = HW_EIO;
		if (close(fd) != 0)
			err = HW_EIO;
		if (err)
			hw_error_set(HW_EIO, path, 0, 0, "write failed: %s",
				     strerror(errno));
	}
	free(path);
	if (!err) {
		s->stats->files++;
		s->stats->bytes += len;
		s->stats->pages += hw_str_endswith(rel, ".html");
	}
	return err;
}

/* Copies the file at src into the site as FOLDER/NAME (NAME: src's last
 * path component), byte for byte. */
int site_copy_file(site *s, const char *src, const char *folder)
{
	const char *base = strrchr(src, '/');
	hw_buf data, rel;
	int err;

	hw_buf_init(&data, 0);
	hw_buf_init(&rel, 0);
	err = hw_file_read(&data, src, (size_t)256 << 20);
	err = err ? err
		  : hw_buf_printf(&rel, "%s/%s", folder,
				  base ? base + 1 : src);
	err = err ? err : site_write(s, rel.data, &data);
	hw_buf_free(&data);
	hw_buf_free(&rel);
	return err;
}

int html_badge(hw_buf *b, const char *word)
{
	hw_buf cls;
	int err;

	hw_buf_init(&cls, 64);
	for (const char *p = word; *p; p++)
		hw_buf_putc(&cls, (*p >= 'a' && *p <= 'z') ? *p : '-');
	err = hw_buf_printf(b, "<span class=\"badge st-%s\">",
			    cls.data ? cls.data : "");
	err = err ? err : hw_html_puts(b, word);
	err = err ? err : hw_buf_puts(b, "</span>");
	hw_buf_free(&cls);
	return err;
}

int html_source_link(hw_buf *b, const site *s, const char *root,
		     const char *file, long line, const char *text)
{
	const site_source *src = site_find_source(s, file);
	int err;

	if (!src)
		return hw_html_puts(b, text);
	err = hw_buf_printf(b, "<a href=\"%s", root);
	err = err ? err : hw_html_puts(b, src->page);
	/* no line (0): the link goes to the file, not to an anchor #L0 */
	if (line > 0)
		err = err ? err : hw_buf_printf(b, "#L%ld", line);
	err = err ? err : hw_buf_puts(b, "\">");
	err = err ? err : hw_html_puts(b, text);
	return err ? err : hw_buf_puts(b, "</a>");
}

int html_waiver(hw_buf *b, const cJSON *w)
{
	const char *by = hw_json_str(w, "by");
	int err = hw_html_puts(b, hw_json_str(w, "reason"));

	err = err ? err : hw_buf_puts(b, " <small>(");
	if (!err && by) {
		err = hw_buf_puts(b, "granted by ");
		err = err ? err : hw_html_puts(b, by);
		err = err ? err : hw_buf_puts(b, "; ");
	}
	err = err ? err : hw_buf_puts(b, "expires ");
	err = err ? err : hw_html_puts(b, hw_json_str(w, "expires"));
	return err ? err : hw_buf_puts(b, ")</small>");
}

int html_coverage_bar(hw_buf *b, long hit, long lines, int known)
{
	double pct;

	if (!known || lines <= 0)
		return hw_buf_puts(b, "<span class=\"muted\">n/a</span>");
	/* one decimal, as trace and the exports print it; the bar only
	 * draws the figure written after it, so screen readers skip it (its
	 * fallback text is for a browser without <meter>: HTML validators
	 * trim an empty one) */
	pct = (double)hit * 100.0 / (double)lines;
	return hw_buf_printf(b,
			     "<span class=\"cov\"><meter min=\"0\" max=\"%ld"
			     "\" value=\"%ld\" aria-hidden=\"true\">%.1f%%"
			     "</meter> %.1f%% <small>(%ld/%ld)</small></span>",
			     lines, hit, pct, pct, hit, lines);
}

/* Implements: FR-SITE-002 */
void search_add(site *s, const char *type, const char *title, const char *url,
		const char *text)
{
	hw_jw_object(&s->sw);
	hw_jw_kstr(&s->sw, "t", type);
	hw_jw_kstr(&s->sw, "k", title);
	hw_jw_kstr(&s->sw, "u", url);
	if (text && *text)
		hw_jw_kstr(&s->sw, "d", text);
	hw_jw_end(&s->sw);
}
