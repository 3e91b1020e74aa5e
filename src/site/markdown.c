/*
 * markdown.c — FR text and glossary definitions to HTML with cmark.
 *
 * Input is never trusted: raw HTML in the Markdown is shown as text (a
 * block as code), link and image targets other than http(s), mailto,
 * fragments and relative paths are dropped, an image from another host
 * becomes a link to it (opening the report requests nothing from a
 * network), and only the HTML this file writes itself (glossary term
 * links) reaches the page unescaped. On an FR
 * page the first use of each glossary term becomes a link to its entry
 * with the definition shown on hover and focus.
 */
#include "internal.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#define TIP_MAX 280

/* Implements: FR-SITE-003 */
static int url_safe(const char *u)
{
	size_t n = strcspn(u, ":/?#");

	if (u[n] != ':')
		return 1; /* relative: no scheme */
	return hw_str_startswith(u, "http://") ||
	       hw_str_startswith(u, "https://") ||
	       hw_str_startswith(u, "mailto:");
}

/*
 * 1 when a browser would fetch u from somewhere other than the report's
 * folder: a scheme, or a protocol-relative "//host" (browsers drop tabs and
 * newlines anywhere and spaces and controls in front, and read "\\" as
 * "/").
 */
/* Implements: FR-SITE-003 */
static int url_remote(const char *u)
{
	char lead[2] = {0, 0};
	size_t n = 0;

	if (u[strcspn(u, ":/?#")] == ':')
		return 1; /* a scheme */
	for (; *u && n < 2; u++) {
		if (*u == '\t' || *u == '\n' || *u == '\r' ||
		    (!n && (unsigned char)*u <= 0x20))
			continue;
		lead[n++] = *u == '\\' ? '/' : *u;
	}
	return n == 2 && lead[0] == '/' && lead[1] == '/';
}

static int in_link(cmark_node *n)
{
	for (n = cmark_node_parent(n); n; n = cmark_node_parent(n))
		if (cmark_node_get_type(n) == CMARK_NODE_LINK)
			return 1;
	return 0;
}

/* A remote image becomes a link to it with the image's text, or only its
 * text inside a link (a link holds no link). */
static int image_to_link(cmark_node *img)
{
	cmark_node *link = NULL, *c;

	if (!in_link(img)) {
		link = cmark_node_new(CMARK_NODE_LINK);
		if (!link ||
		    !cmark_node_set_url(link, cmark_node_get_url(img)) ||
		    !cmark_node_set_title(link, cmark_node_get_title(img)) ||
		    !cmark_node_insert_before(img, link)) {
			cmark_node_free(link);
			return HW_ENOMEM;
		}
	}
	while ((c = cmark_node_first_child(img)) != NULL)
		if (!(link ? cmark_node_append_child(link, c)
			   : cmark_node_insert_before(img, c)))
			return HW_ENOMEM;
	cmark_node_free(img);
	return HW_OK;
}

/* The longest name keyed by slot h that p[0..n) starts a use of. */
static const site_name *lex_find(const site_lexicon *x, size_t h,
				 const char *p, size_t n, size_t *use)
{
	if (h == SIZE_MAX || !x->words[h])
		return NULL;
	for (size_t i = 0; i < x->nnames[h]; i++) {
		const site_name *nm = &x->names[h][i];

		if ((*use = hw_glossary_use(p, n, nm->text, nm->len)))
			return nm;
	}
	return NULL;
}

/* The name whose use p[0..n) starts with, its length in *use. A name is
 * keyed by its first word; a one-word name's plural ("tokens", "caches",
 * "libraries") is found under the word it is the plural of. */
/* Implements: FR-SITE-001 */
static const site_name *lex_match(site *s, const char *p, size_t n,
				  size_t *use)
{
	const site_lexicon *x = &s->lex;
	const site_name *nm;
	char word[64], stem[64];
	size_t h = site_lex_slot(x, p, n, word), w;

	if (h == SIZE_MAX)
		return NULL;
	if ((nm = lex_find(x, h, p, n, use)) != NULL)
		return nm;
	w = strlen(word);
	if (w < 3 || word[w - 1] != 's')
		return NULL;
	memcpy(stem, word, w + 1);
	if ((nm = lex_find(x, site_lex_slot(x, word, w - 1, stem), p, n,
			   use)) != NULL || word[w - 2] != 'e')
		return nm;
	if (w > 3 && word[w - 3] == 'i') {
		memcpy(stem, word, w + 1);
		stem[w - 3] = 'y';
		if ((nm = lex_find(x, site_lex_slot(x, stem, w - 2, stem), p,
				   n, use)) != NULL)
			return nm;
	}
	return lex_find(x, site_lex_slot(x, word, w - 2, stem), p, n, use);
}

static int tip_text(hw_buf *b, const char *def)
{
	size_t n = strlen(def);

	if (n > TIP_MAX) {
		n = TIP_MAX;
		while (n && ((unsigned char)def[n] & 0xC0) == 0x80)
			n--;
	}
	return hw_html_escape(b, def, n) ||
	       (n < strlen(def) && hw_buf_puts(b, "…"));
}

/* The HTML of one linked term use. */
static char *term_html(site *s, const site_term *t, const char *p, size_t n,
		       const char *root)
{
	hw_buf b;
	long id = ++s->lex.tips;
	int err;

	hw_buf_init(&b, 0);
	err = hw_buf_printf(&b,
			    "<a class=\"term\" href=\"%sglossary.html#%s\" "
			    "aria-describedby=\"tip%ld\">",
			    root, t->anchor, id);
	err = err ? err : hw_html_escape(&b, p, n);
	err = err ? err
		  : hw_buf_printf(&b,
				  "</a><span class=\"tip\" id=\"tip"
				  "%ld\" role=\"tooltip\">",
				  id);
	err = err ? err : tip_text(&b, t->def);
	err = err ? err : hw_buf_puts(&b, "</span>");
	if (err) {
		hw_buf_free(&b);
		return NULL;
	}
	return hw_buf_detach(&b);
}

static int use_term(site *s, size_t term, size_t fr)
{
	s->lex.used[term] = 1;
	s->lex.used_list[s->lex.nused++] = term;
	if (s->deferring) { /* a worker: the terms are the main thread's */
		/* room for the pair */
		if (HW_ARRAY_GROW(s->uses, s->nuses + 1, s->capuses))
			return HW_ENOMEM;
		s->uses[s->nuses++] = term;
		s->uses[s->nuses++] = fr;
		return HW_OK;
	}
	return site_term_used_by(s, term, fr);
}

/* Implements: FR-SITE-001 */
int site_term_used_by(site *s, size_t term, size_t fr)
{
	site_term *t = &s->terms[term];

	if (HW_ARRAY_GROW(t->users, t->nusers, t->capusers))
		return HW_ENOMEM;
	t->users[t->nusers++] = fr;
	/* hwledger-sast-ignore analyzer-malloc-leak: the term owns the array */
	return HW_OK;
}

static int add_before(cmark_node *at, cmark_node_type type, const char *text,
		      size_t n)
{
	cmark_node *nn = cmark_node_new(type);
	char *lit = hw_strndup(text, n);
	int ok = nn && lit && cmark_node_set_literal(nn, lit) &&
		 cmark_node_insert_before(at, nn);

	free(lit);
	if (!ok) {
		cmark_node_free(nn);
		return HW_ENOMEM;
	}
	return HW_OK;
}

/* Splits a text node around the first uses of terms on this page. */
static int link_terms(site *s, cmark_node *node, size_t fr, const char *root)
{
	const char *lit = cmark_node_get_literal(node);
	size_t n = lit ? strlen(lit) : 0, from = 0;
	int changed = 0, err = HW_OK;

	for (size_t i = 0; i < n && !err;) {
		const site_name *nm;
		size_t use = 0;
		char *html;

		if ((i && hw_glossary_word_char((unsigned char)lit[i - 1])) ||
		    !hw_glossary_word_char((unsigned char)lit[i])) {
			i++;
			continue;
		}
		nm = lex_match(s, lit + i, n - i, &use);
		if (!nm || s->lex.used[nm->term]) {
			while (i < n &&
			       hw_glossary_word_char((unsigned char)lit[i]))
				i++;
			continue;
		}
		/* hwledger-sast-ignore analyzer-malloc-leak: site_terms_free */
		if ((err = use_term(s, nm->term, fr)))
			break;
		/* the word as written: "surrogate pairs" */
		html = term_html(s, &s->terms[nm->term], lit + i, use, root);
		if (!html)
			return HW_ENOMEM;
		if (i > from)
			err = add_before(node, CMARK_NODE_TEXT, lit + from,
					 i - from);
		if (!err)
			err = add_before(node, CMARK_NODE_HTML_INLINE, html,
					 strlen(html));
		free(html);
		i += use;
		from = i;
		changed = 1;
	}
	if (err || !changed)
		return err;
	if (n > from &&
	    (err = add_before(node, CMARK_NODE_TEXT, lit + from, n - from)))
		return err;
	cmark_node_free(node);
	return HW_OK;
}

/*
 * Joins each run of text nodes and the soft line breaks between them into
 * one text node, the breaks as newlines, so that a term whose words a
 * wrapped line parts is still found. The HTML is the same: cmark renders a
 * soft break as a newline.
 */
static int join_text(cmark_node *parent)
{
	for (cmark_node *c = cmark_node_first_child(parent), *next; c;
	     c = cmark_node_next(c)) {
		hw_buf run;
		int joined = 0;

		if (cmark_node_get_type(c) != CMARK_NODE_TEXT) {
			int err = join_text(c);

			if (err)
				return err;
			continue;
		}
		hw_buf_init(&run, 0);
		if (hw_buf_puts(&run, cmark_node_get_literal(c)
					      ? cmark_node_get_literal(c)
					      : ""))
			return hw_error_code();
		while ((next = cmark_node_next(c)) != NULL) {
			cmark_node *after = cmark_node_next(next);
			int brk = cmark_node_get_type(next) ==
					  CMARK_NODE_SOFTBREAK &&
				  after &&
				  cmark_node_get_type(after) == CMARK_NODE_TEXT;
			cmark_node *text = brk ? after : next;
			const char *lit = cmark_node_get_literal(text);

			if (!brk && cmark_node_get_type(next) != CMARK_NODE_TEXT)
				break;
			if ((brk && hw_buf_putc(&run, '\n')) ||
			    hw_buf_puts(&run, lit ? lit : "")) {
				hw_buf_free(&run);
				return hw_error_code();
			}
			if (brk)
				cmark_node_free(next);
			cmark_node_free(text);
			joined = 1;
		}
		if (joined &&
		    !cmark_node_set_literal(c, run.data ? run.data : "")) {
			hw_buf_free(&run);
			return HW_ENOMEM;
		}
		hw_buf_free(&run);
	}
	return HW_OK;
}

/* Raw HTML from the input becomes text (inline) or a code block. */
static int defuse_html(cmark_node *node)
{
	cmark_node_type t = cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK
				    ? CMARK_NODE_CODE_BLOCK
				    : CMARK_NODE_TEXT;
	const char *lit = cmark_node_get_literal(node);
	int err = add_before(node, t, lit ? lit : "", lit ? strlen(lit) : 0);

	if (!err)
		cmark_node_free(node);
	return err;
}

/* Implements: FR-SITE-001, FR-SITE-003 */
int site_markdown(hw_buf *b, site *s, const char *md, size_t len, size_t fr,
		  const char *root)
{
	cmark_node *doc =
		cmark_parse_document(md, len, CMARK_OPT_VALIDATE_UTF8);
	cmark_iter *it;
	cmark_event_type ev;
	cmark_node **todo = NULL;
	size_t ntodo = 0, cap = 0;
	char *html;
	int err = HW_OK;

	if (!doc)
		return HW_ENOMEM;
	if (fr != (size_t)-1 && (err = join_text(doc))) {
		cmark_node_free(doc);
		return err;
	}
	it = cmark_iter_new(doc);
	while (it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);

		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) {
			const char *u = cmark_node_get_url(n);

			if (u && !url_safe(u))
				cmark_node_set_url(n, "");
			u = cmark_node_get_url(n);
			if (t == CMARK_NODE_LINK || !u || !url_remote(u))
				continue;
		} else if (t != CMARK_NODE_HTML_BLOCK &&
			   t != CMARK_NODE_HTML_INLINE &&
			   (t != CMARK_NODE_TEXT || fr == (size_t)-1 ||
			    in_link(n))) {
			continue;
		}
		/* hwledger-sast-ignore bugprone-sizeof-expression: an array of pointers */
		if ((err = HW_ARRAY_GROW(todo, ntodo, cap)))
			break;
		todo[ntodo++] = n;
	}
	cmark_iter_free(it);
	/* in document order: an image's text is moved into its link before
	 * the text is seen, and text in a link links no term */
	for (size_t i = 0; i < ntodo && !err; i++) {
		cmark_node_type t = cmark_node_get_type(todo[i]);

		if (t == CMARK_NODE_IMAGE)
			err = image_to_link(todo[i]);
		else if (t == CMARK_NODE_TEXT)
			err = in_link(todo[i]) ? HW_OK
					       : link_terms(s, todo[i], fr, root);
		else
			err = defuse_html(todo[i]);
	}
	free(todo);
	html = err ? NULL : cmark_render_html(doc, CMARK_OPT_UNSAFE);
	cmark_node_free(doc);
	if (!html)
		return err ? err : HW_ENOMEM;
	err = hw_buf_puts(b, html);
	free(html);
	return err;
}
