/*
 * oft.c — OpenFastTrace Markdown specification items (OFT's user guide,
 * "Writing a Specification") as imported requirements. Line based, as
 * OFT's own Markdown importer is: an item starts at its ID line and ends at
 * the next item, heading or forwarding line. specs/interchange.md.
 */
/* hwledger-sast-ignore *: glibc's feature macro, for memmem */
#define _GNU_SOURCE
#include "interchange/interchange.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef enum { S_NONE, S_DESC, S_RATIONALE, S_COMMENT, S_COVERS, S_DEPENDS,
	       S_NEEDS, S_TAGS } section;

typedef struct item {
	hw_imp_req *req;
	hw_buf desc, rationale, comment;
} item;

typedef struct oft {
	hw_imp_set *s;
	hw_diags *diags;
	const char *file;
	size_t out;
	long line;
	item it;                /* .req NULL: between items */
	section sec;
	char *heading;          /* the heading right above, NULL after text */
	hw_buf dropped_needs;
	size_t tags, forwards;
} oft;

/* The length of a valid OFT ID `type~name~revision` at p (with *rev), or
 * 0: type ASCII letters; name a letter, then letters, digits, '_', '-',
 * '.' (no two dots running); revision digits. */
static size_t id_len(const char *p, size_t n, long *rev)
{
	size_t i = 0, t;

	while (i < n && isalpha((unsigned char)p[i]))
		i++;
	if (!i || i >= n || p[i++] != '~')
		return 0;
	t = i;
	if (i >= n || !isalpha((unsigned char)p[i]))
		return 0;
	while (i < n && (isalnum((unsigned char)p[i]) || p[i] == '_' ||
			 p[i] == '-' || (p[i] == '.' && p[i - 1] != '.')))
		i++;
	if (i >= n || p[i] != '~' || p[i - 1] == '.' || i == t)
		return 0;
	if (++i >= n || !isdigit((unsigned char)p[i]))
		return 0;
	*rev = 0;
	while (i < n && isdigit((unsigned char)p[i])) {
		if (*rev < 100000000)
			*rev = *rev * 10 + (p[i] - '0');
		i++;
	}
	return i;
}

/* `type~name~revision` → TYPE-NAME, upper-cased, other characters '-'.
 * One over HW_FR_ID_MAX keeps its first 55 characters and gets '-' and 8
 * upper-case hex digits of the SHA-256 of the OFT ID, so references to it
 * still name it. */
static char *to_req_id(const char *p, size_t n)
{
	hw_buf b;
	size_t tildes = 0;
	int changed;
	char *id;

	hw_buf_init(&b, 0);
	for (size_t i = 0; i < n && tildes < 2; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '~')
			tildes++;
		if (tildes < 2 &&
		    hw_buf_putc(&b, isalnum(c) || c == '_' ? (char)toupper(c)
							   : '-')) {
			hw_buf_free(&b);
			return NULL;
		}
	}
	if (b.len > HW_FR_ID_MAX) {
		uint8_t h[HW_SHA256_LEN];
		char hex[HW_SHA256_HEX_LEN + 1];

		hw_sha256(h, p, n);
		hw_hex(hex, h, 4);
		for (char *c = hex; *c; c++)
			*c = (char)toupper((unsigned char)*c);
		b.len = 55;
		while (b.len && b.data[b.len - 1] == '-')
			b.len--;
		b.data[b.len] = '\0';
		if (hw_buf_printf(&b, "-%s", hex)) {
			hw_buf_free(&b);
			return NULL;
		}
	}
	id = b.data ? hw_imp_id(b.data, &changed) : NULL;
	hw_buf_free(&b);
	return id;
}

static int error_at(oft *o, long col, const char *what, const char *p,
		    size_t n)
{
	return hw_diags_add(o->diags, HW_DIAG_ERROR, o->file, o->line, col,
			    "%s '%.*s': expected type~name~revision", what,
			    (int)n, p);
}

static int append_line(hw_buf *b, const char *p, size_t n)
{
	if (!b->len && !n)
		return 0; /* no leading blank lines */
	if (b->len && hw_buf_putc(b, '\n'))
		return HW_ENOMEM;
	return hw_buf_append(b, p, n);
}

static void trim_end(hw_buf *b)
{
	while (b->len && isspace((unsigned char)b->data[b->len - 1]))
		b->len--;
	if (b->data)
		b->data[b->len] = '\0';
}

/* Ends the current item: its text is the description, then the rationale
 * and the comment as paragraphs of their own. */
static int finish(oft *o)
{
	item *it = &o->it;
	hw_buf text;
	int err = 0;

	if (!it->req)
		return 0;
	trim_end(&it->desc);
	trim_end(&it->rationale);
	trim_end(&it->comment);
	hw_buf_init(&text, 0);
	if (it->desc.len)
		err = hw_buf_append(&text, it->desc.data, it->desc.len);
	if (!err && it->rationale.len)
		err = hw_buf_printf(&text, "%s**Rationale:** %s",
				    text.len ? "\n\n" : "", it->rationale.data);
	if (!err && it->comment.len)
		err = hw_buf_printf(&text, "%s**Comment:** %s",
				    text.len ? "\n\n" : "", it->comment.data);
	if (!err && text.len) {
		free(it->req->text);
		it->req->text = hw_buf_detach(&text);
	}
	hw_buf_free(&text);
	hw_buf_free(&it->desc);
	hw_buf_free(&it->rationale);
	hw_buf_free(&it->comment);
	memset(it, 0, sizeof(*it));
	o->sec = S_NONE;
	return err;
}

static int start_item(oft *o, const char *p, size_t n, long rev)
{
	hw_imp_req *r;
	char *id = to_req_id(p, n), *title;
	int err;

	if ((err = finish(o)))
		return err;
	if (!id)
		return error_at(o, 1, "item ID", p, n);
	title = o->heading ? o->heading : id;
	err = hw_imp_add(o->s, &r, o->out, id, title, "(imported without text)",
			 o->file, o->line);
	free(id);
	if (err)
		return err;
	r->rev = rev >= 1 ? (int)rev : 1;
	free(r->status);
	HW_CHECK_ALLOC(r->status = hw_strdup("approved"));
	o->it.req = r;
	hw_buf_init(&o->it.desc, 0);
	hw_buf_init(&o->it.rationale, 0);
	hw_buf_init(&o->it.comment, 0);
	o->sec = S_DESC;
	return 0;
}

/* One artifact type of Needs: hwledger's kinds kept, others counted. */
static int need(oft *o, const char *p, size_t n)
{
	static const char *const known[] = {"impl", "utest", "itest"};
	hw_imp_req *r = o->it.req;

	while (n && isspace((unsigned char)*p))
		p++, n--;
	while (n && isspace((unsigned char)p[n - 1]))
		n--;
	if (!n)
		return 0;
	for (size_t k = 0; k < 3; k++)
		if (strlen(known[k]) == n && memcmp(p, known[k], n) == 0) {
			char *v = r->needs;
			hw_buf b;

			hw_buf_init(&b, 0);
			if (hw_buf_printf(&b, "%s%s%s", v ? v : "",
					  v ? ", " : "", known[k]))
				return HW_ENOMEM;
			free(v);
			r->needs = hw_buf_detach(&b);
			return 0;
		}
	return hw_imp_note(&o->dropped_needs, p, n);
}

/* A list entry of Covers/Depends: the first item ID in it (a bare ID, in
 * backticks or a Markdown link). */
static int link(oft *o, const char *p, size_t n, long col)
{
	for (size_t i = 0; i < n; i++) {
		long rev;
		size_t len;

		if (i && (isalnum((unsigned char)p[i - 1])))
			continue;
		len = id_len(p + i, n - i, &rev);
		if (len) {
			char *id = to_req_id(p + i, len);
			hw_imp_req *r = o->it.req;
			int err;

			if (!id)
				return error_at(o, col + (long)i, "item ID",
						p + i, len);
			err = o->sec == S_COVERS
				      ? hw_imp_push(&r->parents, &r->nparents, id)
				      : hw_imp_push(&r->depends, &r->ndepends,
						    id);
			free(id);
			return err;
		}
	}
	/* OFT itself skips such a line; it is said, not an error */
	return hw_diags_add(o->diags, HW_DIAG_WARNING, o->file, o->line, col,
			    "no item ID in '%.*s': not imported", (int)n, p);
}

/* Whether line p[0..n) is "Keyword:" (and the rest after it in *rest). */
static int keyword(const char *p, size_t n, const char *kw, const char **rest,
		   size_t *rn)
{
	size_t k = strlen(kw);

	if (n < k + 1 || memcmp(p, kw, k) != 0 || p[k] != ':')
		return 0;
	*rest = p + k + 1;
	*rn = n - k - 1;
	while (*rn && isspace((unsigned char)**rest))
		(*rest)++, (*rn)--;
	return 1;
}

/* Whether "-->" is in p[0..n): the line only, which need not end in NUL
 * (the text is text[0..len), and a later line's arrow is not this one's). */
static int has_arrow(const char *p, size_t n)
{
	return memmem(p, n, "-->", 3) != NULL;
}

/*
 * The title of a heading whose text (after its opening #s) is p[0..n):
 * white space around it and a closing sequence of #s dropped, as
 * CommonMark does ("## Title ##" is "Title", "# #" empty). 0 when blank;
 * the start in *start.
 */
static size_t heading_text(const char *p, size_t n, const char **start)
{
	size_t k;

	while (n && isspace((unsigned char)*p))
		p++, n--;
	while (n && isspace((unsigned char)p[n - 1]))
		n--;
	for (k = n; k && p[k - 1] == '#'; k--)
		;
	if (!k)
		n = 0; /* nothing but the closing sequence */
	else if (k < n && (p[k - 1] == ' ' || p[k - 1] == '\t'))
		for (n = k; n && isspace((unsigned char)p[n - 1]); n--)
			;
	*start = p;
	return n;
}

static int on_line(oft *o, const char *p, size_t n)
{
	const char *t = p, *rest;
	size_t tn = n, rn, indent = 0;
	long rev = 0;
	int err = 0;

	while (tn && (*t == ' ' || *t == '\t'))
		t++, tn--, indent++;
	while (tn && isspace((unsigned char)t[tn - 1]))
		tn--;
	/* an ID line: the ID alone, in backticks or not */
	if (indent < 4 && tn >= 2 && (memchr(t, '~', tn))) {
		const char *q = t;
		size_t qn = tn;

		int quoted = qn >= 2 && q[0] == '`' && q[qn - 1] == '`';

		if (quoted)
			q++, qn -= 2;
		/* a code span of its own is meant as an ID, spaces and all */
		if ((quoted || !memchr(q, ' ', qn)) && !memchr(q, '`', qn) &&
		    !memchr(q, '[', qn) && !memchr(q, ':', qn)) {
			if (!qn || id_len(q, qn, &rev) != qn)
				return error_at(o, (long)(q - p) + 1, "item ID",
						q, qn);
			err = start_item(o, q, qn, rev);
			free(o->heading);
			o->heading = NULL;
			return err;
		}
	}
	if (indent < 4 && tn && *t == '#') {
		size_t h = 0;
		const char *ht;
		size_t hn;

		if ((err = finish(o)))
			return err;
		while (h < tn && t[h] == '#')
			h++;
		hn = heading_text(t + h, tn - h, &ht);
		free(o->heading);
		o->heading = hw_strndup(ht, hn); /* "": no title, the ID */
		HW_CHECK_ALLOC(o->heading);
		return 0;
	}
	if (tn) {
		free(o->heading); /* a title is the heading right above */
		o->heading = NULL;
	}
	if (!o->it.req)
		return 0;
	if (indent < 4 && has_arrow(t, tn) && memchr(t, ':', tn) &&
	    memchr(t, '~', tn)) {
		o->forwards++;
		return finish(o);
	}
	if (keyword(t, tn, "Status", &rest, &rn) && indent == 0) {
		char word[32];
		const char *st;

		snprintf(word, sizeof(word), "%.*s", (int)(rn < 31 ? rn : 31),
			 rest);
		st = strcmp(word, "proposed") == 0 ? "draft" : hw_imp_status(word);
		if (!st)
			return hw_diags_add(o->diags, HW_DIAG_ERROR, o->file,
					    o->line, (long)(rest - p) + 1,
					    "unknown Status '%s': draft, "
					    "proposed, approved or rejected",
					    word);
		free(o->it.req->status);
		HW_CHECK_ALLOC(o->it.req->status = hw_strdup(st));
		return 0;
	}
	if (indent == 0) {
		static const struct { const char *kw; section s; } kws[] = {
			{"Description", S_DESC}, {"Rationale", S_RATIONALE},
			{"Comment", S_COMMENT},  {"Covers", S_COVERS},
			{"Depends", S_DEPENDS},  {"Needs", S_NEEDS},
			{"Tags", S_TAGS},
		};

		for (size_t k = 0; k < sizeof(kws) / sizeof(kws[0]); k++)
			if (keyword(t, tn, kws[k].kw, &rest, &rn)) {
				o->sec = kws[k].s;
				if (o->sec == S_TAGS)
					o->tags++;
				if (o->sec == S_NEEDS && rn) {
					/* the one-line form */
					const char *c = rest, *e = rest + rn;

					while (c < e && !err) {
						const char *comma =
							memchr(c, ',', (size_t)(e - c));
						const char *end = comma ? comma : e;

						err = need(o, c, (size_t)(end - c));
						c = end + 1;
					}
					o->sec = S_NONE;
					return err;
				}
				if (rn && (o->sec == S_DESC ||
					   o->sec == S_RATIONALE ||
					   o->sec == S_COMMENT))
					return append_line(
						o->sec == S_DESC ? &o->it.desc
						: o->sec == S_RATIONALE
							? &o->it.rationale
							: &o->it.comment,
						rest, rn);
				return 0;
			}
	}
	if (o->sec == S_COVERS || o->sec == S_DEPENDS || o->sec == S_NEEDS ||
	    o->sec == S_TAGS) {
		if (!tn)
			return 0;
		if ((*t == '-' || *t == '*' || *t == '+') && tn > 1 &&
		    isspace((unsigned char)t[1])) {
			if (o->sec == S_NEEDS)
				return need(o, t + 2, tn - 2);
			if (o->sec == S_TAGS)
				return 0;
			return link(o, t + 2, tn - 2, (long)(t - p) + 3);
		}
		o->sec = S_DESC; /* text after a list: the description again */
	}
	if (o->sec == S_NONE)
		o->sec = S_DESC;
	return append_line(o->sec == S_DESC	  ? &o->it.desc
			   : o->sec == S_RATIONALE ? &o->it.rationale
						  : &o->it.comment,
			   p, n && p[n - 1] == '\r' ? n - 1 : n);
}

/* Implements: FR-XCH-005 */
int hw_oft_read(hw_imp_set *s, hw_diags *diags, const char *file,
		const char *text, size_t len, const char *stem)
{
	oft o;
	const char *p = text, *end = text + len;
	char *title = NULL;
	int off = 0, err;
	size_t errors = diags->errors, items = s->n;

	memset(&o, 0, sizeof(o));
	o.s = s;
	o.diags = diags;
	o.file = file;
	hw_buf_init(&o.dropped_needs, 0);
	/* the file's title: its first level-1 heading that is not blank
	 * (none: the file's name) */
	for (const char *q = text; q < end && !title;) {
		const char *nl = memchr(q, '\n', (size_t)(end - q)), *ht;
		size_t n = nl ? (size_t)(nl - q) : (size_t)(end - q), hn;

		if (n > 2 && q[0] == '#' && (q[1] == ' ' || q[1] == '\t') &&
		    (hn = heading_text(q + 1, n - 1, &ht)) != 0 &&
		    !(title = hw_strndup(ht, hn))) {
			hw_buf_free(&o.dropped_needs);
			return hw_error_oom();
		}
		q = nl ? nl + 1 : end;
	}
	err = hw_imp_out(s, stem, title, &o.out);
	free(title);
	while (!err && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		o.line++;
		/* <!-- oft:off --> ... <!-- oft:on --> is not read */
		if (n >= 16 && strncmp(p, "<!-- oft:off -->", 16) == 0)
			off = 1;
		else if (n >= 15 && strncmp(p, "<!-- oft:on -->", 15) == 0)
			off = 0;
		else if (!off)
			err = on_line(&o, p, n);
		p = nl ? nl + 1 : end;
	}
	if (!err)
		err = finish(&o);
	if (!err && diags->errors == errors && o.dropped_needs.len)
		err = hw_diags_add(diags, HW_DIAG_WARNING, file, 0, 0,
				   "Needs of artifact types hwledger does not "
				   "trace not imported: %s",
				   o.dropped_needs.data);
	if (!err && diags->errors == errors && o.tags)
		err = hw_diags_add(diags, HW_DIAG_WARNING, file, 0, 0,
				   "%zu Tags sections not imported", o.tags);
	if (!err && diags->errors == errors && o.forwards)
		err = hw_diags_add(diags, HW_DIAG_WARNING, file, 0, 0,
				   "%zu forwarding lines (A-->B:id) not "
				   "imported",
				   o.forwards);
	/* not OFT's Markdown at all (its aspec XML, notes): say so, rather
	 * than a silent "0 requirements" */
	if (!err && diags->errors == errors && s->n == items)
		err = hw_diags_add(diags, HW_DIAG_WARNING, file, 0, 0,
				   "no OpenFastTrace specification item in it "
				   "(a line `type~name~revision`): nothing "
				   "imported from it");
	finish(&o);
	free(o.heading);
	hw_buf_free(&o.dropped_needs);
	return err;
}
