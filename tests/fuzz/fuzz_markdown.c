/*
 * fuzz_markdown.c — libFuzzer target for the site's Markdown renderer on
 * hostile FR text, with glossary term linking on. Besides not crashing,
 * the output must never carry executable markup from the input: no
 * <script>, <iframe> or event-handler tag, no javascript: link.
 */
#include "site/internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static site s;
static hw_site_stats stats;

static void setup(void)
{
	static const char gloss[] =
		"# Glossary\n\n- **KV cache (KVC):** Keys and values <b>x</b>.\n"
		"- **GPU:** A graphics processor.\n- **Script:** <script>.\n";
	hw_diags d;

	hw_diags_init(&d);
	hw_glossary_init(&s.glossary);
	s.have_glossary = !hw_glossary_import(&s.glossary, &d, "g.md", gloss,
					       sizeof(gloss) - 1,
					       HW_GSTYLE_AUTO, NULL);
	s.stats = &stats;
	if (site_terms_build(&s))
		abort();
	hw_diags_free(&d);
}

/* The tags cmark and the term links write; nothing else may appear. */
static int tag_allowed(const char *name, size_t n)
{
	static const char *const ok[] = {
		"p", "a", "em", "strong", "code", "pre", "h1", "h2", "h3",
		"h4", "h5", "h6", "ul", "ol", "li", "blockquote", "hr", "br",
		"img", "span"};

	for (size_t i = 0; i < sizeof(ok) / sizeof(*ok); i++)
		if (strlen(ok[i]) == n && !strncasecmp(ok[i], name, n))
			return 1;
	return 0;
}

/* 1 when the attributes in p[0..end) include an event handler or a
 * javascript: target; quoted values are skipped as values. */
static int bad_attributes(const char *p, const char *end)
{
	while (p < end) {
		const char *name;
		size_t n = 0;

		while (p < end && (isspace((unsigned char)*p) || *p == '/'))
			p++;
		name = p;
		while (p + n < end && (isalnum((unsigned char)p[n]) ||
				       p[n] == '-'))
			n++;
		if (!n)
			return p < end; /* something that is not an attribute */
		if (n > 2 && !strncasecmp(name, "on", 2))
			return 1;
		p += n;
		if (p < end && *p == '=') {
			const char *close;

			if (p + 1 >= end || p[1] != '"')
				return 1; /* the renderer always quotes */
			close = memchr(p + 2, '"', (size_t)(end - p - 2));
			if (!close)
				return 1;
			if (((n == 4 && !strncasecmp(name, "href", 4)) ||
			     (n == 3 && !strncasecmp(name, "src", 3))) &&
			    !strncasecmp(p + 2, "javascript:", 11))
				return 1;
			p = close + 1;
		}
	}
	return 0;
}

/*
 * 1 when html holds markup that could run: a tag outside the list, an
 * event-handler attribute, or a javascript: target. Text is escaped, so
 * every '<' in the output opens a tag the renderer wrote.
 */
static int executable(const char *html)
{
	for (const char *p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
		const char *name = p + 1 + (p[1] == '/');
		const char *end;
		size_t n = 0;

		while (isalnum((unsigned char)name[n]))
			n++;
		if (!tag_allowed(name, n))
			return 1;
		/* the end of the tag: the first '>' outside a quoted value */
		end = name + n;
		for (int q = 0; *end && (q || *end != '>'); end++)
			if (*end == '"')
				q = !q;
		if (!*end || bad_attributes(name + n, end))
			return 1;
		p = end;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static int ready;
	hw_buf out;

	if (!ready) {
		setup();
		ready = 1;
	}
	for (size_t i = 0; i < s.nterms; i++)
		s.terms[i].nusers = 0;
	site_terms_reset_page(&s);
	hw_buf_init(&out, 0);
	if (site_markdown(&out, &s, (const char *)data, size, 0, "../") ==
		    HW_OK &&
	    out.data && executable(out.data)) {
		fprintf(stderr, "executable markup in:\n%s\n", out.data);
		abort(); /* input reached the page as markup */
	}
	hw_buf_free(&out);
	return 0;
}
