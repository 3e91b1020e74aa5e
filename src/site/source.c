/*
 * source.c — one page per traced file: the code with line anchors, each
 * executable line marked hit or missed from the lcov tracefile, and the
 * functions and tests the tags name, added to the search index once each.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static int source_page(site *s, const site_source *src, hw_buf *b, hw_buf *text)
{
	const hw_lcov_file *cov =
		s->have_lcov ? hw_lcov_find(&s->lcov, src->path) : NULL;
	long line = 1, hit = 0, exec = 0;
	const char *p, *end;
	int err, rerr;

	hw_buf_clear(b);
	hw_buf_clear(text);
	rerr = hw_file_read(text, src->path, s->config.max_file_bytes);
	err = page_begin(s, b, src->path, "../", NULL);
	if (!err && rerr) {
		hw_error_clear();
		err = hw_buf_puts(b,
				  "<p class=\"notrun\">The file could not "
				  "be read when the site was rendered.</p>\n");
		err = err ? err : page_end(b, "../");
		return err ? err : site_write(s, src->page, b);
	}
	if (!err && !cov)
		err = hw_buf_puts(b, "<p class=\"muted\">No coverage data for "
				     "this file.</p>\n");
	err = err ? err
		  : hw_buf_puts(b, "<pre class=\"src\" tabindex=\"0\"><code>");
	p = text->data ? text->data : "";
	end = p + text->len;
	while (!err && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *cls = "";

		if (cov && line < cov->nlines && cov->has[line]) {
			exec++;
			hit += cov->counts[line] > 0;
			cls = cov->counts[line] > 0 ? " class=\"h\""
						    : " class=\"m\"";
		}
		/* each line a block ending in its newline: the text copies
		 * as it was, and no newline sits between two blocks (in a
		 * <pre> that would be a blank line under each) */
		err = hw_buf_printf(b, "<span id=\"L%ld\"%s>", line, cls);
		err = err ? err : hw_html_escape(b, p, n);
		err = err ? err : hw_buf_puts(b, "\n</span>");
		p += n + 1;
		line++;
	}
	err = err ? err : hw_buf_puts(b, "</code></pre>\n");
	if (!err && cov)
		err = hw_buf_printf(b,
				    "<p>%ld of %ld executable lines hit.</p>\n",
				    hit, exec);
	err = err ? err : page_end(b, "../");
	return err ? err : site_write(s, src->page, b);
}

typedef struct fn_ref {
	const char *file, *function, *kind;
	long line;
} fn_ref;

static int cmp_fn(const void *a, const void *b)
{
	const fn_ref *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	if (!c)
		c = (x->line > y->line) - (x->line < y->line);
	return c ? c : strcmp(x->function, y->function);
}

/* Every tagged function and test, once, into the search index. */
/* Implements: FR-SITE-002 */
static int index_functions(site *s)
{
	const cJSON *fr, *l;
	fn_ref *v = NULL;
	size_t n = 0, cap = 0;
	hw_buf url;
	int err = HW_OK;

	cJSON_ArrayForEach(fr, cJSON_GetObjectItem(s->trace, "frs")) {
		cJSON_ArrayForEach(l, cJSON_GetObjectItem(fr, "links")) {
			const cJSON *fl = cJSON_GetObjectItem(l, "first_line");
			fn_ref r = {hw_json_str(l, "file"),
				    hw_json_str(l, "function"),
				    hw_json_str(l, "kind"),
				    cJSON_IsNumber(fl) ? (long)fl->valuedouble
						       : 0};

			if (!r.file || !r.function || !r.kind)
				continue;
			if (HW_ARRAY_GROW(v, n, cap)) {
				free(v);
				return HW_ENOMEM;
			}
			v[n++] = r;
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_fn);
	hw_buf_init(&url, 0);
	for (size_t i = 0; i < n && !err; i++) {
		const site_source *src = site_find_source(s, v[i].file);

		if (!src || (i && !cmp_fn(&v[i - 1], &v[i])))
			continue;
		hw_buf_clear(&url);
		err = hw_buf_printf(&url, "%s#L%ld", src->page, v[i].line);
		if (!err)
			search_add(s,
				   strcmp(v[i].kind, "impl") ? "test"
							     : "function",
				   v[i].function, url.data, v[i].file);
	}
	hw_buf_free(&url);
	free(v);
	return err;
}

/* Implements: FR-SITE-001 */
int render_sources(site *s)
{
	hw_buf b, text;
	int err = HW_OK;

	hw_buf_init(&b, 0);
	hw_buf_init(&text, s->config.max_file_bytes + 1);
	for (size_t i = 0; i < s->nsources && !err; i++)
		err = source_page(s, &s->sources[i], &b, &text);
	hw_buf_free(&b);
	hw_buf_free(&text);
	s->stats->sources = s->nsources;
	return err ? err : index_functions(s);
}
