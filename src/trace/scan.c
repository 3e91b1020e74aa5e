/*
 * scan.c — the tag scanner: a small lexer for C (and a line reader for
 * shell tests) that finds trace tags in comments and attributes each to the
 * function whose definition follows it or encloses it.
 *
 * The C lexer does not parse C. It tracks just enough — comments, string
 * and character literals, preprocessor lines, brace and parenthesis depth —
 * to know where each top-level function body starts and ends, which makes it
 * robust against macros and code that would not compile. Anything it cannot
 * make sense of (an unterminated comment, unbalanced braces) becomes a
 * warning note on the file, never a crash.
 */
/* hwledger-sast-ignore *: glibc's feature macro, for memmem */
#define _GNU_SOURCE
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/*
 * The first byte of p[i..len) that is one of the n bytes of set, or len.
 * Most of a C file is function bodies and comments that the lexer skips
 * here, 16 bytes at a time with SSE2 (part of every x86-64), byte by byte
 * elsewhere and for the last few bytes. Inlined with a constant set, the
 * loops over set unroll into one compare per byte of set.
 */
static inline size_t find_any(const char *p, size_t i, size_t len,
			      const char *set, size_t n)
{
#ifdef __SSE2__
	for (; i + 16 <= len; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		__m128i m = _mm_setzero_si128();
		unsigned bits;

#pragma GCC unroll 16
		for (size_t k = 0; k < n; k++)
			m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8(set[k])));
		bits = (unsigned)_mm_movemask_epi8(m);
		if (bits)
			return i + (size_t)__builtin_ctz(bits);
	}
#endif
	for (; i < len; i++)
#pragma GCC unroll 16
		for (size_t k = 0; k < n; k++)
			if (p[i] == set[k])
				return i;
	return len;
}

/* find_any over the bytes of a string literal */
#define FIND(p, i, len, bytes) find_any(p, i, len, bytes, sizeof(bytes) - 1)

/* Growable arrays of the file record. */
static int push_tag(hw_src_file *f, size_t *cap, hw_tag **out)
{
	if (HW_ARRAY_GROW(f->tags, f->ntags, *cap))
		return HW_ENOMEM;
	*out = &f->tags[f->ntags++];
	memset(*out, 0, sizeof(**out));
	(*out)->func = -1;
	return HW_OK;
}

static int push_func(hw_src_file *f, size_t *cap, const char *name,
		     size_t n, long line)
{
	hw_func *fn;

	if (HW_ARRAY_GROW(f->funcs, f->nfuncs, *cap))
		return HW_ENOMEM;
	fn = &f->funcs[f->nfuncs];
	fn->name = hw_strndup(name, n);
	HW_CHECK_ALLOC(fn->name);
	fn->first = line;
	fn->last = line;
	fn->is_test = f->is_test && n > 5 && memcmp(name, "test_", 5) == 0;
	f->nfuncs++;
	return HW_OK;
}

int hw_src_note(hw_src_file *f, hw_diag_level level, long line,
		const char *fmt, ...)
{
	char msg[256];
	hw_note *n;
	va_list ap;

	va_start(ap, fmt);
	/* hwledger-sast-ignore *: the caller's format, checked by -Wformat=2; ap started above (clang's valist checker loses it in a call it inlines) */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = realloc(f->notes, (f->nnotes + 1) * sizeof(*n));
	HW_CHECK_ALLOC(n);
	f->notes = n;
	n = &f->notes[f->nnotes];
	n->level = level;
	n->line = line;
	n->message = hw_strdup(msg);
	HW_CHECK_ALLOC(n->message);
	f->nnotes++;
	return HW_OK;
}

/* ---- tags inside one comment ------------------------------------------ */

typedef struct comment_ctx {
	hw_src_file *f;
	size_t *tag_cap;
	long func;          /* the enclosing function, -1 at top level */
} comment_ctx;

static int is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Does tok look like an attempt at an FR ID (so prose is not a tag)? */
static int looks_like_id(const char *p, size_t n)
{
	size_t i = 0;

	if (n >= 3 && (memcmp(p, "FR-", 3) == 0 || memcmp(p, "fr-", 3) == 0))
		return 1;
	if (n >= 4 && (memcmp(p, "NFR-", 4) == 0 || memcmp(p, "nfr-", 4) == 0))
		return 1;
	while (i < n && p[i] >= 'A' && p[i] <= 'Z')
		i++;
	return i >= 2 && i < n && p[i] == '-';
}

static int record_tag(comment_ctx *c, hw_tag_kind kind, hw_tag_syntax syn,
		      const char *id, size_t idn, const char *rev,
		      size_t revn, int malformed, long line, long col)
{
	hw_tag *t = NULL;
	int err, r = 0;

	if (!malformed && idn && hw_fr_id_len(id, idn) != idn)
		malformed = 1;
	if (!malformed && rev && revn) {
		if (revn > 6)
			malformed = 1;
		for (size_t i = 0; i < revn && !malformed; i++) {
			if (rev[i] < '0' || rev[i] > '9')
				malformed = 1;
			else
				r = r * 10 + (rev[i] - '0');
		}
		if (!malformed && r < 1)
			malformed = 1;
	}
	if ((err = push_tag(c->f, c->tag_cap, &t)))
		return err;
	/* a malformed tag keeps the text it had, pin included */
	t->fr = hw_strndup(id, malformed && revn ? (size_t)(rev + revn - id)
						 : idn);
	HW_CHECK_ALLOC(t->fr);
	t->rev = malformed ? 0 : r;
	t->malformed = malformed;
	t->kind = kind;
	t->syntax = syn;
	t->line = line;
	t->col = col;
	t->func = c->func;
	return HW_OK;
}

static hw_tag_kind verify_kind(const hw_src_file *f)
{
	return f->lang == HW_LANG_SH ? HW_TAG_ITEST : HW_TAG_UTEST;
}

/* "Implements: A, B@2" — the list after the keyword at p[0..n). */
static int parse_list(comment_ctx *c, hw_tag_kind kind, hw_tag_syntax syn,
		      const char *p, const char *end, long line, long col0,
		      const char *col_base)
{
	for (;;) {
		const char *tok, *at;
		size_t n;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		tok = p;
		while (p < end && (is_ident(*p) || *p == '-' || *p == '@' ||
				   *p == '.'))
			p++;
		/* trailing sentence punctuation is not part of the ID */
		while (p > tok && p[-1] == '.')
			p--;
		n = (size_t)(p - tok);
		if (!n || !looks_like_id(tok, n))
			return HW_OK; /* prose, not a tag */
		at = memchr(tok, '@', n);
		{
			int err = record_tag(
				c, kind, syn, tok,
				at ? (size_t)(at - tok) : n, at ? at + 1 : NULL,
				at ? (size_t)(tok + n - at - 1) : 0,
				at && at + 1 == tok + n, line,
				col0 + (long)(tok - col_base));

			if (err)
				return err;
		}
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= end || *p != ',')
			return HW_OK;
		p++;
	}
}

/* An OpenFastTrace tag "[impl->fr~<ID>~<REV>]" starting at p ('['). */
static int parse_oft(comment_ctx *c, const char *p, const char *end,
		     long line, long col)
{
	hw_tag_kind kind;
	const char *q, *id, *id_end, *rev, *rev_end;

	if (end - p > 7 && memcmp(p, "[impl->", 7) == 0) {
		kind = HW_TAG_IMPL;
		q = p + 7;
	} else if (end - p > 8 && memcmp(p, "[utest->", 8) == 0) {
		kind = HW_TAG_UTEST;
		q = p + 8;
	} else if (end - p > 8 && memcmp(p, "[itest->", 8) == 0) {
		kind = HW_TAG_ITEST;
		q = p + 8;
	} else {
		return HW_OK;
	}
	/* artifact type, then ~ID~REV] */
	while (q < end && is_ident(*q))
		q++;
	if (q >= end || *q != '~')
		return record_tag(c, kind, HW_SYNTAX_OFT, p,
				  (size_t)(q - p), NULL, 0, 1, line, col);
	id = ++q;
	while (q < end && *q != '~' && *q != ']' && *q != ' ')
		q++;
	id_end = q;
	if (!looks_like_id(id, (size_t)(id_end - id)))
		return HW_OK; /* prose about the syntax, not a tag */
	if (q >= end || *q != '~')
		return record_tag(c, kind, HW_SYNTAX_OFT, id,
				  (size_t)(id_end - id), NULL, 0, 1, line, col);
	rev = ++q;
	while (q < end && *q != ']' && *q != ' ')
		q++;
	rev_end = q;
	if (q >= end || *q != ']' || rev_end == rev)
		return record_tag(c, kind, HW_SYNTAX_OFT, id,
				  (size_t)(id_end - id), NULL, 0, 1, line, col);
	return record_tag(c, kind, HW_SYNTAX_OFT, id, (size_t)(id_end - id),
			  rev, (size_t)(rev_end - rev), 0, line, col);
}

/* The number of newlines in p[0..n). */
static size_t count_nl(const char *p, size_t n)
{
	size_t i = 0, c = 0;
#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();

	/* per byte lane, a count of up to 255 matches (a match is -1), then
	 * summed across the lanes */
	while (i + 16 <= n) {
		__m128i acc = zero, sum;
		size_t round = (size_t)255 * 16; /* a lane holds 255 */
		size_t stop = n - i > round ? i + round : n;

		for (; i + 16 <= stop; i += 16) {
			__m128i v = _mm_loadu_si128(
				(const __m128i *)(const void *)(p + i));

			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, nl));
		}
		sum = _mm_sad_epu8(acc, zero);
		c += (size_t)_mm_cvtsi128_si32(sum) +
		     (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sum, 8));
	}
#endif
	for (; i < n; i++)
		c += p[i] == '\n';
	return c;
}

/* The keywords' spellings a near miss is measured against: each tag
 * keyword and its other forms, lower case, blanks left out. */
static const char *const near_forms[] = {
	"implements", "implement", "implemented", "verifies", "verify",
	"verified",   "tracesto",  "traceto",     "tracedto", NULL};

/* Whether a[0..an) (letters, any case) is at most one edit (insert,
 * delete, replace, swap of neighbours) from the lower-case word b. */
static int one_edit(const char *a, size_t an, const char *b)
{
	size_t bn = strlen(b), i = 0, j;

	if (an + 1 < bn || an > bn + 1)
		return 0;
#define LOW(ch) ((char)((ch) >= 'A' && (ch) <= 'Z' ? (ch) + 32 : (ch)))
	while (i < an && i < bn && LOW(a[i]) == b[i])
		i++;
	if (i == an && i == bn)
		return 1;
	/* the first difference: swap, replace, insert or delete */
	if (an == bn && i + 1 < an && LOW(a[i]) == b[i + 1] &&
	    LOW(a[i + 1]) == b[i]) {
		for (j = i + 2; j < an && LOW(a[j]) == b[j];)
			j++;
		if (j == an)
			return 1;
	}
	{
		size_t ai = i + (an >= bn), bi = i + (bn >= an);

		while (ai < an && bi < bn && LOW(a[ai]) == b[bi]) {
			ai++;
			bi++;
		}
		return ai == an && bi == bn;
	}
#undef LOW
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The first of near_forms that a[0..an) is, or is one edit from; -1 when
 * none. */
static int near_form(const char *a, size_t an)
{
	for (int k = 0; near_forms[k]; k++)
		if (one_edit(a, an, near_forms[k]))
			return k;
	return -1;
}

/* The word of letters (16 at most) that ends at e in the comment from p,
 * blanks before e skipped: its start in *ws, its end returned; *ws is the
 * end when there is no such word, or it is part of a longer name. */
static const char *word_before(const char *p, const char *e,
			       const char **ws)
{
	const char *w;

	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	for (w = e; w > p && is_alpha(w[-1]) && e - w < 16;)
		w--;
	*ws = w > p && is_ident(w[-1]) ? e : w;
	return e;
}

/*
 * The ':' at q in a comment that starts at p: when an FR ID follows it
 * and the word (or two) before it is a near miss of a tag keyword
 * (specs/tags.md: one edit from a keyword or its other forms, any case,
 * or the keyword with blanks before its ':'), a warning, not a tag lost
 * without a word. The ID is looked at first: most ':' are not before one.
 */
static int near_miss(comment_ctx *c, const char *p, const char *q,
		     const char *end, long line)
{
	const char *id = q + 1, *w1, *w1e, *w0, *w0e, *from;
	char word[40];
	size_t n = 0;
	int k1, k0;

	while (id < end && (*id == ' ' || *id == '\t'))
		id++;
	if (end - id >= 4 && (id[0] == 'N' || id[0] == 'n'))
		id++;
	if (end - id < 4 || (id[0] != 'F' && id[0] != 'f') ||
	    (id[1] != 'R' && id[1] != 'r') || id[2] != '-' || !is_alpha(id[3]))
		return HW_OK;
	w1e = word_before(p, q, &w1);
	if (w1 == w1e)
		return HW_OK; /* no word, or part of a longer name */
	/* the tags themselves */
	if (w1e == q && ((w1e - w1 == 10 && memcmp(w1, "Implements", 10) == 0) ||
			 (w1e - w1 == 8 && memcmp(w1, "Verifies", 8) == 0)))
		return HW_OK;
	w0e = word_before(p, w1, &w0);
	if (w0 < w0e && w0e < w1) {
		/* two words: "Traces to" */
		memcpy(word, w0, (size_t)(w0e - w0));
		n = (size_t)(w0e - w0);
		if (w1e == q && w0e + 1 == w1 && *w0e == ' ' &&
		    w1e - w0 == 9 && memcmp(w0, "Traces to", 9) == 0)
			return HW_OK;
	}
	memcpy(word + n, w1, (size_t)(w1e - w1));
	/* the word alone, or the two read as one, by the first form either
	 * is near (the word alone when both are near the same) */
	k1 = near_form(w1, (size_t)(w1e - w1));
	k0 = n ? near_form(word, n + (size_t)(w1e - w1)) : -1;
	if (k1 >= 0 && (k0 < 0 || k1 <= k0))
		from = w1;
	else if (k0 >= 0)
		from = w0;
	else
		return HW_OK;
	return hw_src_note(c->f, HW_DIAG_WARNING, line,
			   "'%.*s' is not a tag keyword (Implements:, "
			   "Verifies:, Traces to:): not read as a tag",
			   (int)(q + 1 - from), from);
}

/*
 * A tag keyword with no ':' before an FR ID (`Implements FR-A-001`,
 * `Verifed FR-A-001`) in the comment p[0..end) that starts at line: a
 * warning, or the tag is lost without a word. The word must begin with
 * a capital, as a tag's does: "this implements FR-A-001" is prose.
 */
static int missing_colon(comment_ctx *c, const char *p, const char *end,
			 long line)
{
	for (const char *h = p; (h = memchr(h, 'F', (size_t)(end - h)));
	     h++) {
		const char *id = h, *we, *ws, *w0;
		char word[40];
		size_t n;

		if (end - h < 4 || h[1] != 'R' || h[2] != '-' || !is_alpha(h[3]))
			continue;
		if (id > p && id[-1] == 'N')
			id--;
		we = word_before(p, id, &ws);
		if (we == id || ws == we)
			continue; /* no blank before the ID, or no word (a
				   * tag's ':') */
		/* "Traces to": the word before "to" too */
		w0 = ws;
		if (we - ws == 2 && !memcmp(ws, "to", 2) && ws - p >= 2 &&
		    ws[-1] == ' ')
			for (w0 = ws - 1; w0 > p && is_alpha(w0[-1]) &&
					  ws - w0 < 12;)
				w0--;
		if (*w0 < 'A' || *w0 > 'Z')
			continue;
		n = 0;
		for (const char *k = w0; k < we && n < sizeof(word); k++)
			if (*k != ' ')
				word[n++] = *k;
		if (near_form(word, n) >= 0) {
			const char *ide = h + 3;

			while (ide < end && (is_ident(*ide) || *ide == '-'))
				ide++;
			return hw_src_note(
				c->f, HW_DIAG_WARNING,
				line + (long)count_nl(p, (size_t)(h - p)),
				"'%.*s' is not a tag: a tag keyword ends with "
				"':' (Implements:, Verifies:, Traces to:)",
				(int)(ide - w0), w0);
		}
	}
	return HW_OK;
}

/*
 * Finds every tag in the comment text p[0..n) that starts at line/col.
 * Keywords must start a word.
 */
static int scan_comment(comment_ctx *c, const char *p, size_t n, long line,
			long col)
{
	const char *end = p + n, *line_start = p;
	long l = line, col0 = col;

	/* every tag has a ':' or starts with '[': most comments hold neither,
	 * and of those only a keyword that lost its ':' needs a look */
	if (FIND(p, 0, n, ":[") == n)
		return memchr(p, 'F', n) ? missing_colon(c, p, end, line)
					 : HW_OK;
	{
		int err = missing_colon(c, p, end, line);

		if (err)
			return err;
	}
	for (const char *q = p; q < end; q++) {
		int err = HW_OK;
		size_t left = (size_t)(end - q);

		if (*q == '\n') {
			l++;
			line_start = q + 1;
			col0 = 1;
			continue;
		}
		if (*q == ':') {
			if ((err = near_miss(c, p, q, end, l)))
				return err;
			continue;
		}
		if (q > p && is_ident(q[-1]))
			continue;
		switch (*q) {
		case 'I':
			if (left > 11 && memcmp(q, "Implements:", 11) == 0) {
				err = parse_list(c, HW_TAG_IMPL,
						 HW_SYNTAX_HWLEDGER, q + 11,
						 end, l, col0, line_start);
				q += 10; /* its ':' is no near miss */
			}
			break;
		case 'V':
			if (left > 9 && memcmp(q, "Verifies:", 9) == 0) {
				err = parse_list(c, verify_kind(c->f),
						 HW_SYNTAX_HWLEDGER, q + 9, end,
						 l, col0, line_start);
				q += 8;
			}
			break;
		case 'T':
			if (left > 10 && memcmp(q, "Traces to:", 10) == 0) {
				err = parse_list(c,
						 c->f->is_test ? verify_kind(c->f)
							       : HW_TAG_IMPL,
						 HW_SYNTAX_TRACES, q + 10, end,
						 l, col0, line_start);
				q += 9;
			}
			break;
		case '[':
			err = parse_oft(c, q, end, l,
					col0 + (long)(q - line_start));
			break;
		default:
			break;
		}
		if (err)
			return err;
	}
	return HW_OK;
}

/* ---- the C lexer ------------------------------------------------------- */

/*
 * What the lexer must look at; find_any skips everything else. At the top
 * level: line ends (preprocessor lines), comments, literals, braces, and
 * the parentheses and semicolons that tell a definition from a
 * declaration. In a function body only comments, literals and braces;
 * newlines are not looked at (lines are counted when one is needed), and
 * a '#' may start a preprocessor line. In a preprocessor line in a body,
 * its end as well.
 */
#define TOP_BYTES "\n/\"'{}();"
#define BODY_BYTES "#/\"'{}"
#define BODY_PREPROC_BYTES "\n/\"'{}"

static int is_keyword_not_name(const char *p, size_t n)
{
#define WORD(w) {w, sizeof(w) - 1}
	static const struct {
		const char *w;
		size_t n;
	} words[] = {
		WORD("__attribute__"), WORD("__declspec"), WORD("sizeof"),
		WORD("defined"), WORD("_Alignas"), WORD("alignas"),
		WORD("__typeof__"), WORD("typeof"), WORD("if"), WORD("while"),
		WORD("for"), WORD("switch"), WORD("return"),
		WORD("_Static_assert")};
#undef WORD

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (words[i].n == n && memcmp(words[i].w, p, n) == 0)
			return 1;
	return 0;
}

typedef struct lexer {
	hw_src_file *f;
	const char *p;
	size_t len;
	size_t i;
	long line;          /* the line of p[line_pos] */
	size_t line_pos;
	size_t ls_pos;      /* the line that holds p[ls_pos] starts at ls */
	size_t ls;
	size_t tag_cap, func_cap;
	int depth;          /* brace depth */
	int linkage;        /* open `extern "C" {` blocks around the top level,
			     * and in C++ namespaces and doctest TEST_SUITEs */
	int scopes;         /* of those, the namespaces and TEST_SUITEs */
	int extern_lit;     /* the last top-level literal followed `extern` */
	int paren;          /* parenthesis depth at the top level */
	int preproc;        /* inside a preprocessor line */
	hw_cond cond;       /* which branch of a conditional is not read (its
			     * braces do not count; its comments are still
			     * read for tags) */
	int head_in_branch; /* a top-level ')' since the last #if or #else */
	char last_sig;      /* last significant character at the top level */
	const char *cand;   /* identifier before the last top-level '(' */
	size_t cand_n;
	long cand_line;
	size_t open_at;     /* where the top-level '(' now open is */
	size_t close_at;    /* where the last top-level group closed */
	int decl_group;     /* it may be a declarator's: no name before it */
	int star_group;     /* it began with '*': `void (*signal(int))(int)` */
	int star_head;      /* and held a function's head, whose array type
			     * may follow it: `int (*h(void))[3] {` */
	const char *lone;   /* the last top-level group held one name alone:
			     * `void (luaL_register) (lua_State *L)` */
	size_t lone_n;
	long lone_line;
	const char *kr;     /* a K&R head: `int f(a, b)` with names alone, its
			     * parameters' declarations to come before `{` */
	size_t kr_n, kr_pending;
	long kr_line;
	int kr_decls;       /* the ';' since it, at most one a parameter */
	int kr_params;
	long func;          /* open function, -1 */
	long closed;        /* the function that closed last, -1 */
	size_t pending;     /* tags from here on wait for the next function */
} lexer;

/*
 * Lines are counted only where one is needed (a comment, a function's
 * first and last line, a note), from the last place counted: most
 * newlines are inside function bodies and never stop the lexer.
 */
static long line_at(lexer *x, size_t pos)
{
	if (pos >= x->line_pos)
		x->line += (long)count_nl(x->p + x->line_pos,
					  pos - x->line_pos);
	else
		x->line -= (long)count_nl(x->p + pos, x->line_pos - pos);
	x->line_pos = pos;
	return x->line;
}

/* The column (from 1) of pos; asked for at increasing positions, so each
 * byte is looked at once however long its line. */
static long column_at(lexer *x, size_t pos)
{
	size_t j = pos;

	if (pos < x->ls_pos) { /* not expected: start again from pos */
		x->ls_pos = 0;
		x->ls = 0;
	}
	while (j > x->ls_pos && x->p[j - 1] != '\n')
		j--;
	if (j > x->ls_pos || (j > 0 && x->p[j - 1] == '\n'))
		x->ls = j;
	x->ls_pos = pos;
	return (long)(pos - x->ls) + 1;
}

/* Inside a body, parentheses or a function's head (a ')' at the top
 * level in this branch, and nothing after it): a conditional's later
 * branches would repeat what this one began (`int f(int a)` or
 * `if (a) {` written once per branch). A macro's name alone on a line
 * (`G_BEGIN_DECLS`) is not a head. */
static int lex_busy(const lexer *x, int at_else)
{
	return x->depth > 0 || x->paren > 0 ||
	       (at_else && x->last_sig == ')' && x->head_in_branch);
}

/* The preprocessor line whose '#' is at h (conditionals: hw_cond). */
static void lex_directive(lexer *x, size_t h)
{
	int was_skipping = x->cond.skip;

	x->preproc = 1;
	if (hw_cond_directive(&x->cond, x->p, x->len, h, lex_busy(x, 0),
			      lex_busy(x, 1)))
		x->head_in_branch = 0;
	/* a tag in a branch not read names no function: not the next one */
	if (was_skipping && !x->cond.skip && x->depth == 0)
		x->pending = x->f->ntags;
}

/* After a newline: is the next line a preprocessor line? */
static void line_begins(lexer *x)
{
	size_t j = x->i;

	while (j < x->len && (x->p[j] == ' ' || x->p[j] == '\t'))
		j++;
	if (j < x->len && x->p[j] == '#')
		lex_directive(x, j);
}

/* Is the '#' at i the first thing on its line? */
static int hash_starts_line(const lexer *x, size_t i)
{
	while (i > 0 && (x->p[i - 1] == ' ' || x->p[i - 1] == '\t'))
		i--;
	return i == 0 || x->p[i - 1] == '\n';
}

static int scan_one_comment(lexer *x)
{
	comment_ctx c = {x->f, &x->tag_cap, x->func};
	size_t start = x->i; /* at the '/' */
	long line = line_at(x, start), col = column_at(x, start);

	if (x->p[start + 1] == '/') {
		const char *nl = memchr(x->p + start, '\n', x->len - start);
		size_t end = nl ? (size_t)(nl - x->p) : x->len;

		x->i = end; /* the newline is handled by the main loop */
		return scan_comment(&c, x->p + start, end - start, line, col);
	}
	/* block comment: find the closing star-slash */
	for (const char *s = x->p + start + 2, *end = x->p + x->len;
	     (s = memchr(s, '*', (size_t)(end - s))) && s + 1 < end; s++) {
		if (s[1] == '/') {
			x->i = (size_t)(s - x->p) + 2;
			return scan_comment(&c, x->p + start, x->i - start,
					    line, col);
		}
	}
	x->i = x->len;
	{
		int err = scan_comment(&c, x->p + start, x->len - start, line,
				       col);
		if (err)
			return err;
	}
	return hw_src_note(x->f, HW_DIAG_WARNING, line,
			   "unterminated comment starting here (column %ld)", col);
}

/*
 * A comment: its tags, of which those on the line where a function ended
 * (after its closing brace: `int f(void) { return 1; } // Implements: X`)
 * belong to that function, as the C++ and Python readers have it by
 * lines.
 */
static int lex_comment(lexer *x)
{
	size_t from = x->f->ntags;
	int err = scan_one_comment(x);

	for (size_t k = from; x->func < 0 && x->closed >= 0 &&
			      k < x->f->ntags; k++)
		if (x->f->tags[k].line == x->f->funcs[x->closed].last)
			x->f->tags[k].func = x->closed;
	return err;
}

/*
 * A C++ raw string R"delim( ... )delim" (prefixes u8R, uR, UR, LR too)
 * at the quote x->i: skips it whole, newlines and quotes included, and
 * returns 1; 0 when the quote does not start one.
 */
static int lex_raw_string(lexer *x)
{
	size_t q = x->i, d = q + 1, e;

	if (x->f->lang != HW_LANG_CPP || q == 0 || x->p[q - 1] != 'R' ||
	    (q >= 2 && is_ident(x->p[q - 2]) &&
	     !(x->p[q - 2] == '8' || x->p[q - 2] == 'u' ||
	       x->p[q - 2] == 'U' || x->p[q - 2] == 'L')))
		return 0;
	/* the delimiter: up to 16 characters, then '(' */
	for (e = d; e < x->len && e - d <= 16 && x->p[e] != '('; e++)
		if (x->p[e] == ' ' || x->p[e] == ')' || x->p[e] == '\\' ||
		    x->p[e] == '\n')
			return 0;
	if (e >= x->len || x->p[e] != '(')
		return 0;
	for (size_t j = e + 1; j + (e - d) + 1 < x->len; j++) {
		if (x->p[j] == ')' &&
		    memcmp(x->p + j + 1, x->p + d, e - d) == 0 &&
		    x->p[j + 1 + (e - d)] == '"') {
			x->i = j + (e - d) + 2;
			return 1;
		}
	}
	x->i = x->len; /* unterminated: the rest of the file is the string */
	return 1;
}

/* Skips a string or character literal; a newline ends a broken one. */
static void lex_literal(lexer *x)
{
	char q = x->p[x->i];

	if (q == '"' && lex_raw_string(x))
		return;
	x->i++;
	while (x->i < x->len) {
		char c = x->p[x->i];

		if (c == '\\' && x->i + 1 < x->len) {
			x->i += 2; /* an escape, or a line continued */
			continue;
		}
		if (c == q) {
			x->i++;
			return;
		}
		if (c == '\n')
			return; /* unterminated: the newline ends it */
		x->i++;
	}
}

/* The identifier that ends at e, not before floor, is the candidate for
 * the function's name when it is a name (not a number or `sizeof`). */
static void name_before(lexer *x, size_t e, size_t floor)
{
	size_t j = e;

	while (j > floor && is_ident(x->p[j - 1]))
		j--;
	if (e > j && !(x->p[j] >= '0' && x->p[j] <= '9') &&
	    !is_keyword_not_name(x->p + j, e - j)) {
		x->cand = x->p + j;
		x->cand_n = e - j;
		x->cand_line = line_at(x, j);
	}
}

/* Whether the '{' at x->i opens a namespace: `namespace {`,
 * `namespace a {`, `namespace a::b {`, `inline namespace v1 {`. */
static int namespace_head(const lexer *x)
{
	size_t j = x->i;

	while (j > 0 && (x->p[j - 1] == ' ' || x->p[j - 1] == '\t' ||
			 x->p[j - 1] == '\n' || x->p[j - 1] == '\r'))
		j--;
	while (j > 0 && (is_ident(x->p[j - 1]) || x->p[j - 1] == ':'))
		j--;
	/* `namespace {`: the name skipped was the keyword */
	if (j != x->i && j + 9 <= x->i &&
	    memcmp(x->p + j, "namespace", 9) == 0 && !is_ident(x->p[j + 9]))
		return 1;
	while (j > 0 && (x->p[j - 1] == ' ' || x->p[j - 1] == '\t' ||
			 x->p[j - 1] == '\n' || x->p[j - 1] == '\r'))
		j--;
	return j >= 9 && memcmp(x->p + j - 9, "namespace", 9) == 0 &&
	       (j == 9 || !is_ident(x->p[j - 10]));
}

/* Whether name[0..n) is doctest's TEST_SUITE (or DOCTEST_TEST_SUITE),
 * whose braces hold test cases as a namespace's would. */
static int is_test_suite(const char *name, size_t n)
{
	return (n == 10 && memcmp(name, "TEST_SUITE", 10) == 0) ||
	       (n == 18 && memcmp(name, "DOCTEST_TEST_SUITE", 18) == 0);
}

static void top_paren_open(lexer *x)
{
	size_t j = x->i;
	size_t e;

	while (j > 0 && (x->p[j - 1] == ' ' || x->p[j - 1] == '\t' ||
			 x->p[j - 1] == '\n' || x->p[j - 1] == '\r'))
		j--;
	x->open_at = x->i;
	for (e = x->i + 1; e < x->len && (x->p[e] == ' ' || x->p[e] == '\t');)
		e++;
	/* a declarator's group follows a blank or a '*' or '&' (`void
	 * (name)`, `T *(name)`); a name right before it is a macro's call
	 * (`UNDEF(name)(...)` is UNDEF, as ctags has it) */
	x->decl_group = x->i > 0 && !is_ident(x->p[x->i - 1]);
	x->star_group = x->decl_group && e < x->len && x->p[e] == '*';
	x->star_head = 0;
	if (j > 0 && x->p[j - 1] == ')' && x->lone) {
		/* `int (name)(...)`: the name in parentheses, not the type */
		x->cand = x->lone;
		x->cand_n = x->lone_n;
		x->cand_line = x->lone_line;
		x->lone = NULL;
		return;
	}
	x->lone = NULL;
	/* the name may sit on an earlier line than the '(' */
	name_before(x, j, 0);
}

/* A '(' inside a top-level group that began with '*': the name before it
 * is the function's (`void (*signal(int sig, ...))(int)`, `int
 * (*h(void))[3]`), not the type before the group. */
static void star_paren_open(lexer *x)
{
	size_t j = x->i;

	x->star_group = 0;
	x->star_head = 1;
	while (j > x->open_at && (x->p[j - 1] == ' ' || x->p[j - 1] == '\t'))
		j--;
	name_before(x, j, x->open_at);
}

/* The top-level group from open_at closes at i: is it a K&R head's
 * parameters, names alone between commas (`char *f(s, n)`)? Any other
 * group leaves a head already seen pending: a parameter may be declared
 * through parentheses (`int (*fn)();`), and a head that is not K&R is
 * followed by its `{`, never by a `;` and then a `{`. */
static void kr_head(lexer *x)
{
	size_t j = x->open_at + 1;
	int names = 0;

	if (!x->cand || x->cand > x->p + x->open_at)
		return;
	for (;;) {
		size_t e;

		while (j < x->i && (x->p[j] == ' ' || x->p[j] == '\t' ||
				    x->p[j] == '\n' || x->p[j] == '\r'))
			j++;
		for (e = j; e < x->i && is_ident(x->p[e]);)
			e++;
		if (e == j || (x->p[j] >= '0' && x->p[j] <= '9') ||
		    (e - j == 4 && memcmp(x->p + j, "void", 4) == 0))
			return;
		names++;
		for (j = e; j < x->i && (x->p[j] == ' ' || x->p[j] == '\t' ||
					 x->p[j] == '\n' || x->p[j] == '\r');)
			j++;
		if (j == x->i)
			break;
		if (x->p[j++] != ',')
			return;
	}
	x->kr = x->cand;
	x->kr_n = x->cand_n;
	x->kr_line = x->cand_line;
	x->kr_pending = x->pending;
	x->kr_decls = 0;
	x->kr_params = names;
}

/* The one name alone, blanks around it, that the top-level group closed
 * at close_at holds: its length, its start in *s; 0 when the group holds
 * anything else or the name starts with a digit. */
static size_t group_one_name(const lexer *x, size_t close_at, size_t *s)
{
	size_t j = x->open_at + 1, e;

	while (j < close_at && (x->p[j] == ' ' || x->p[j] == '\t'))
		j++;
	for (e = j; e < close_at && is_ident(x->p[e]);)
		e++;
	if (e == j || (x->p[j] >= '0' && x->p[j] <= '9'))
		return 0;
	for (size_t k = e; k < close_at; k++)
		if (x->p[k] != ' ' && x->p[k] != '\t')
			return 0;
	*s = j;
	return e - j;
}

/* The top-level group from open_at closes at i: does it hold one name
 * alone, blanks around it? */
static void top_paren_close(lexer *x)
{
	size_t j = 0, n;

	x->close_at = x->i;
	kr_head(x);
	x->lone = NULL;
	if (!x->decl_group || !(n = group_one_name(x, x->i, &j)) ||
	    is_keyword_not_name(x->p + j, n))
		return;
	x->lone = x->p + j;
	x->lone_n = n;
	x->lone_line = line_at(x, j);
}

/*
 * A test written through a macro that defines its function: `TEST_IMPL(
 * loop_close) {` (libuv), `START_TEST(test_x)` (Check). A head that is a
 * name in capitals first on its line, then a group of one name alone (not
 * a type: `FOO(void)`), names the function after that one name, which is
 * what a test runner reports; any other head keeps its name.
 */
static void macro_head_name(const lexer *x, const char **name, size_t *n)
{
	static const char *const types[] = {"void", "int", "char", "short",
					    "long", "float", "double",
					    "signed", "unsigned", "_Bool",
					    "bool", NULL};
	const char *c = x->cand, *q = c;
	size_t j, len, letters = 0;

	for (size_t i = 0; i < x->cand_n; i++) {
		if (c[i] >= 'a' && c[i] <= 'z')
			return;
		letters += c[i] >= 'A' && c[i] <= 'Z';
	}
	while (q > x->p && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	if (!letters || (q > x->p && q[-1] != '\n'))
		return;
	for (j = (size_t)(c - x->p) + x->cand_n;
	     j < x->open_at && (x->p[j] == ' ' || x->p[j] == '\t');)
		j++;
	if (j != x->open_at || x->close_at <= x->open_at ||
	    !(len = group_one_name(x, x->close_at, &j)))
		return;
	for (size_t k = 0; types[k]; k++)
		if (strlen(types[k]) == len && !memcmp(types[k], x->p + j, len))
			return;
	*name = x->p + j;
	*n = len;
}

/* Whether the literal at text[i] follows the word `extern` (`extern "C"`,
 * `extern "C++"`), blanks and line ends between. */
static int after_extern(const char *text, size_t i)
{
	static const char word[] = "extern";
	size_t n = sizeof(word) - 1;

	while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t' ||
			 text[i - 1] == '\n' || text[i - 1] == '\r'))
		i--;
	return i >= n && memcmp(text + i - n, word, n) == 0 &&
	       (i == n || !is_ident(text[i - n - 1]));
}

static int lex_c(hw_src_file *f, const char *text, size_t len)
{
	lexer x;
	int err;

	memset(&x, 0, sizeof(x));
	x.f = f;
	x.p = text;
	x.len = len;
	x.line = 1;
	x.func = -1;
	x.closed = -1;
	x.i = 0;
	line_begins(&x); /* a preprocessor line on line 1 */
	while (x.i < len) {
		size_t from = x.i;
		char c;

		if (x.depth && !x.preproc) {
			x.i = FIND(text, x.i, len, BODY_BYTES);
		} else if (x.depth) {
			x.i = FIND(text, x.i, len, BODY_PREPROC_BYTES);
		} else {
			x.i = FIND(text, x.i, len, TOP_BYTES);
			/* the last character skipped that is not a blank */
			for (size_t j = x.i; j > from && !x.preproc && !x.cond.skip;
			     j--)
				if (text[j - 1] != ' ' && text[j - 1] != '\t' &&
				    text[j - 1] != '\r') {
					x.last_sig = text[j - 1];
					break;
				}
		}
		if (x.i >= len)
			break;
		c = text[x.i];
		switch (c) {
		case '#':
			if (!x.preproc && hash_starts_line(&x, x.i))
				lex_directive(&x, x.i);
			x.i++;
			continue;
		case '\n':
			if (x.preproc && !(x.i > 0 && text[x.i - 1] == '\\'))
				x.preproc = 0;
			x.i++;
			line_begins(&x);
			continue;
		case '/':
			if (x.i + 1 < len &&
			    (text[x.i + 1] == '/' || text[x.i + 1] == '*')) {
				if ((err = lex_comment(&x)))
					return err;
				continue;
			}
			break;
		case '"':
		case '\'':
			if (!x.depth && !x.preproc && !x.cond.skip)
				x.extern_lit = after_extern(text, x.i);
			lex_literal(&x);
			if (!x.depth && !x.preproc && !x.cond.skip)
				x.last_sig = '"';
			continue;
		default:
			break;
		}
		if (x.preproc || x.cond.skip) { /* braces in macros do not count,
					     * nor those of a branch not read */
			x.i++;
			continue;
		}
		switch (c) {
		case '{':
			if (x.depth == 0 && x.last_sig == '"' && x.extern_lit) {
				/* a linkage block: what it holds is still the
				 * top level (C headers wrap their functions in
				 * one for C++) */
				x.linkage++;
				x.pending = f->ntags;
				x.cand = NULL;
				x.paren = 0;
				x.last_sig = '{';
				break;
			}
			if (x.depth == 0 && x.paren == 0 &&
			    f->lang == HW_LANG_CPP &&
			    (namespace_head(&x) ||
			     (x.cand && x.last_sig == ')' &&
			      is_test_suite(x.cand, x.cand_n)))) {
				/* the test cases (Catch2's, doctest's) of a
				 * namespace or of doctest's TEST_SUITE("s")
				 * { ... } are at the top level, as in a
				 * linkage block */
				x.linkage++;
				x.scopes++;
				x.pending = f->ntags;
				x.cand = NULL;
				x.last_sig = '{';
				break;
			}
			if (x.depth == 0 && x.paren == 0 && x.last_sig == ';' &&
			    x.kr) {
				/* `char *f(s, n) char *s; int n; {`: K&R */
				x.cand = x.kr;
				x.cand_n = x.kr_n;
				x.cand_line = x.kr_line;
				x.pending = x.kr_pending;
				x.last_sig = ')';
			}
			x.kr = NULL;
			if (x.depth == 0) {
				if (x.paren == 0 && x.cand &&
				    (x.last_sig == ')' ||
				     (x.last_sig == ']' && x.star_head))) {
					const char *name = x.cand;
					size_t name_n = x.cand_n;

					macro_head_name(&x, &name, &name_n);
					if ((err = push_func(f, &x.func_cap,
							     name, name_n,
							     x.cand_line)))
						return err;
					x.func = (long)f->nfuncs - 1;
					for (size_t k = x.pending; k < f->ntags;
					     k++)
						if (f->tags[k].func < 0)
							f->tags[k].func = x.func;
				}
				x.pending = f->ntags;
				x.cand = NULL;
				x.paren = 0;
			}
			x.depth++;
			break;
		case '}':
			if (x.depth == 0 && x.linkage > 0) {
				x.linkage--; /* the linkage block ends */
				if (x.scopes > 0)
					x.scopes--;
				x.pending = f->ntags;
				x.last_sig = '}';
				break;
			}
			if (x.depth == 0) {
				if ((err = hw_src_note(f, HW_DIAG_WARNING,
						       line_at(&x, x.i),
						       "unbalanced '}'")))
					return err;
				break;
			}
			if (--x.depth == 0) {
				if (x.func >= 0)
					f->funcs[x.func].last =
						line_at(&x, x.i);
				x.closed = x.func;
				x.func = -1;
				x.last_sig = '}';
				x.pending = f->ntags;
			}
			break;
		case '(':
			if (x.paren == 1 && x.star_group)
				star_paren_open(&x);
			if (x.paren++ == 0)
				top_paren_open(&x);
			x.last_sig = '(';
			break;
		case ')':
			if (x.paren > 0 && --x.paren == 0)
				top_paren_close(&x);
			x.last_sig = ')';
			x.head_in_branch = 1;
			break;
		case ';':
			/* a declaration ended: tags above it belong to no
			 * function */
			x.pending = f->ntags;
			x.cand = NULL;
			x.lone = NULL;
			x.paren = 0;
			x.last_sig = ';';
			/* a K&R head's parameters are declared one a ';' at
			 * most; after a body or more ';' it was a prototype */
			if (x.kr && ++x.kr_decls > x.kr_params)
				x.kr = NULL;
			break;
		default:
			break;
		}
		x.i++;
	}
	if (x.depth > 0 || x.scopes > 0) {
		long last = line_at(&x, len);

		if (x.func >= 0)
			f->funcs[x.func].last = last;
		return hw_src_note(f, HW_DIAG_WARNING, last,
				   "unbalanced braces: %d '{' not closed at end "
				   "of file; function boundaries may be wrong",
				   x.depth + x.scopes);
	}
	return HW_OK;
}

/* ---- shell tests ------------------------------------------------------- */

/* "name() {" or "function name {" at the start of a line. */
static size_t sh_func_name(const char *p, size_t n, const char **name)
{
	size_t i = 0, s;

	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (n - i > 9 && memcmp(p + i, "function ", 9) == 0)
		i += 9;
	while (i < n && p[i] == ' ')
		i++;
	s = i;
	while (i < n && (is_ident(p[i]) || p[i] == '-'))
		i++;
	if (i == s)
		return 0;
	*name = p + s;
	{
		size_t e = i;

		while (i < n && p[i] == ' ')
			i++;
		if (i + 1 < n && p[i] == '(' && p[i + 1] == ')')
			return e - s;
		if (i < n && p[i] == '{' && s >= 9 &&
		    memcmp(p + s - 9, "function ", 9) == 0)
			return e - s;
	}
	return 0;
}

/* A here-document's delimiter word (and whether `<<-` strips leading tabs
 * from its lines). */
typedef struct heredoc {
	char word[64];
	size_t n;        /* 0: not in a here-document */
	int tabs;
	long line;       /* where it began */
} heredoc;

/*
 * Looks for `<<WORD`, `<<'WORD'`, `<<"WORD"` or `<<-WORD` outside quotes on
 * a line of shell (not `<<<`, a here-string, and not `$((a << 2))`, whose
 * word is no name): its body, the lines up to WORD alone, is text that the
 * command reads, never a comment of the test's.
 */
static void heredoc_start(heredoc *h, const char *p, size_t n, long line)
{
	char quote = 0;

	for (size_t i = 0; i + 2 < n; i++) {
		if (quote) {
			if (p[i] == quote)
				quote = 0;
			else if (p[i] == '\\' && quote == '"')
				i++;
			continue;
		}
		if (p[i] == '\'' || p[i] == '"') {
			quote = p[i];
			continue;
		}
		if (p[i] == '\\') {
			i++;
			continue;
		}
		if (p[i] != '<' || p[i + 1] != '<' || p[i + 2] == '<' ||
		    (i > 0 && p[i - 1] == '<'))
			continue;
		size_t j = i + 2, s;
		char q = 0;

		h->tabs = j < n && p[j] == '-';
		j += (size_t)h->tabs;
		while (j < n && (p[j] == ' ' || p[j] == '\t'))
			j++;
		if (j < n && (p[j] == '\'' || p[j] == '"'))
			q = p[j++];
		s = j;
		while (j < n && is_ident(p[j]))
			j++;
		if (j == s || (p[s] >= '0' && p[s] <= '9') ||
		    j - s >= sizeof(h->word) || (q && (j >= n || p[j] != q)))
			continue;
		memcpy(h->word, p + s, j - s);
		h->n = j - s;
		h->line = line;
		return;
	}
}

/* Whether the line p[0..n) ends the here-document h. */
static int heredoc_end(const heredoc *h, const char *p, size_t n)
{
	while (h->tabs && n > 0 && *p == '\t') {
		p++;
		n--;
	}
	if (n > 0 && p[n - 1] == '\r')
		n--;
	return n == h->n && memcmp(p, h->word, n) == 0;
}

static int lex_sh(hw_src_file *f, const char *text, size_t len)
{
	size_t tag_cap = 0, func_cap = 0, pending = 0, i = 0;
	long line = 0, func = -1;
	heredoc h = {{0}, 0, 0, 0};
	int err;

	while (i < len) {
		const char *p = text + i, *nl = memchr(p, '\n', len - i);
		size_t n = nl ? (size_t)(nl - p) : len - i, k = 0;
		const char *name;
		size_t nn;

		line++;
		i += n + 1;
		if (h.n) { /* a here-document's body: the command's text */
			if (heredoc_end(&h, p, n))
				h.n = 0;
			continue;
		}
		while (k < n && (p[k] == ' ' || p[k] == '\t'))
			k++;
		if (k < n && p[k] == '#') {
			comment_ctx c = {f, &tag_cap, func};

			if ((err = scan_comment(&c, p + k, n - k, line,
						(long)k + 1)))
				return err;
			continue;
		}
		heredoc_start(&h, p, n, line);
		if (func >= 0) {
			if (n > 0 && p[0] == '}') {
				f->funcs[func].last = line;
				func = -1;
				pending = f->ntags;
			}
			continue;
		}
		if (k == n)
			continue; /* blank lines keep pending tags */
		nn = sh_func_name(p, n, &name);
		if (nn) {
			if ((err = push_func(f, &func_cap, name, nn, line)))
				return err;
			func = (long)f->nfuncs - 1;
			for (size_t t = pending; t < f->ntags; t++)
				f->tags[t].func = func;
			/* a one-line function "f() { ...; }" */
			if (n > 0 && p[n - 1] == '}' && memchr(p, '{', n)) {
				func = -1;
			}
		}
		pending = f->ntags;
	}
	if (h.n && (err = hw_src_note(f, HW_DIAG_WARNING, h.line,
				      "here-document '%.*s' is not closed "
				      "before the end of the file",
				      (int)h.n, h.word)))
		return err;
	if (func >= 0) {
		f->funcs[func].last = line;
		return hw_src_note(f, HW_DIAG_WARNING, line,
				   "function '%s' has no closing '}' at the start "
				   "of a line",
				   f->funcs[func].name);
	}
	return HW_OK;
}

/* ---- Python ------------------------------------------------------------ */

/*
 * The end of the Python string literal whose quote is at i (past its
 * closing quote; a newline ends a broken one-quote string, the file end an
 * unterminated triple-quoted one, *open set). Escapes are skipped in all
 * strings: a raw string cannot end in an odd backslash either.
 */
static size_t py_string_end(const char *p, size_t len, size_t i, int *open)
{
	char q = p[i];
	int triple = i + 2 < len && p[i + 1] == q && p[i + 2] == q;

	*open = 0;
	for (i += triple ? 3 : 1; i < len; i++) {
		if (p[i] == '\\') {
			i++;
			continue;
		}
		if (p[i] == '\n' && !triple)
			return i;
		if (p[i] == q &&
		    (!triple || (i + 2 < len && p[i + 1] == q && p[i + 2] == q)))
			return i + (triple ? 3 : 1);
	}
	*open = triple;
	return len;
}

/* The end of the Python word at i: ASCII identifier bytes and any byte of
 * a UTF-8 sequence (Python names may be non-ASCII). */
static size_t py_word_end(const char *p, size_t len, size_t i)
{
	while (i < len && (is_ident(p[i]) || (unsigned char)p[i] >= 0x80))
		i++;
	return i;
}

static int py_word_is(const char *p, size_t s, size_t e, const char *w)
{
	return e - s == strlen(w) && memcmp(p + s, w, e - s) == 0;
}

static size_t py_blanks(const char *p, size_t len, size_t i)
{
	while (i < len && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return i;
}

/* An open `def` or `class` block of a Python file. */
typedef struct py_scope {
	long indent;   /* the column of its keyword, tabs to multiples of 8 */
	size_t qlen;   /* the qualified name's length before its own name */
	long func;     /* its function, -1 for a class or a def in a def */
	int in_def;    /* it or a block around it is a def */
} py_scope;

typedef struct py_funcs {
	hw_src_file *f;
	size_t cap;
	hw_buf q;          /* module.Class.name of the innermost block */
	py_scope *blocks;  /* the open blocks, innermost last */
	size_t nblocks, blocks_cap;
} py_funcs;

static int py_add_func(py_funcs *x, long line)
{
	hw_func *fn;
	int err = push_func(x->f, &x->cap, x->q.data, x->q.len, line);

	if (err)
		return err;
	fn = &x->f->funcs[x->f->nfuncs - 1];
	fn->is_test = x->f->is_test &&
		      strncmp(hw_func_base(fn->name), "test_", 5) == 0;
	return HW_OK;
}

/* A statement whose first word is p[i..e): `NAME = lambda` is a function
 * NAME of one line in the innermost block. */
static int py_lambda(py_funcs *x, const char *p, size_t len, size_t i,
		     size_t e, long line)
{
	size_t at = x->q.len, k = py_blanks(p, len, e), l;
	int err;

	if (k >= len || p[k] != '=' || (k + 1 < len && p[k + 1] == '='))
		return HW_OK;
	k = py_blanks(p, len, k + 1);
	l = py_word_end(p, len, k);
	if (!py_word_is(p, k, l, "lambda"))
		return HW_OK;
	if (hw_buf_append(&x->q, ".", 1) || hw_buf_append(&x->q, p + i, e - i))
		return HW_ENOMEM;
	err = py_add_func(x, line);
	x->q.len = at;
	return err;
}

/*
 * The bases of the class whose name ends at ne, named module.Class in
 * x->q: of `class B(A, mod.C, metaclass=M):` the plain names (A; not
 * object), recorded when there is one, in a test file (a result of an
 * inherited test method is joined through them, specs/languages.md).
 */
/* Implements: FR-TRACE-016 */
static int py_class_bases(py_funcs *x, const char *p, size_t len, size_t ne,
			  long line)
{
	size_t k = py_blanks(p, len, ne), ws = 0, we = 0;
	int depth = 1, words = 0, other = 0, open;
	hw_buf b;
	hw_pyclass *c;

	if (!x->f->is_test || k >= len || p[k] != '(')
		return HW_OK;
	hw_buf_init(&b, 0);
	for (k++; k < len && depth; k++) {
		char ch = p[k];
		int ends = 0; /* an item ends at a top-level ',' or the ')' */

		if (ch == '#') {
			while (k + 1 < len && p[k + 1] != '\n')
				k++;
		} else if (ch == '"' || ch == '\'') {
			other = 1;
			k = py_string_end(p, len, k, &open) - 1;
		} else if (is_ident(ch) || (unsigned char)ch >= 0x80) {
			ws = k;
			we = k = py_word_end(p, len, k);
			k--;
			words++;
		} else if (ch == '(' || ch == '[' || ch == '{') {
			depth++;
			other = 1;
		} else if (ch == ')' || ch == ']' || ch == '}') {
			ends = --depth == 0;
		} else if (ch == ',') {
			ends = depth == 1;
		} else if (!strchr(" \t\r\n\f\\", ch)) {
			other = 1;
		}
		if (!ends)
			continue;
		if (words == 1 && !other && !(p[ws] >= '0' && p[ws] <= '9') &&
		    !py_word_is(p, ws, we, "object") &&
		    ((b.len && hw_buf_append(&b, " ", 1)) ||
		     hw_buf_append(&b, p + ws, we - ws))) {
			hw_buf_free(&b);
			return HW_ENOMEM;
		}
		words = other = 0;
	}
	if (!b.len) {
		hw_buf_free(&b);
		return HW_OK;
	}
	c = realloc(x->f->classes, (x->f->nclasses + 1) * sizeof(*c));
	if (!c) {
		hw_buf_free(&b);
		return HW_ENOMEM;
	}
	x->f->classes = c;
	c = &c[x->f->nclasses];
	c->name = hw_strndup(x->q.data, x->q.len);
	c->bases = hw_strndup(b.data, b.len);
	c->line = line;
	hw_buf_free(&b);
	if (!c->name || !c->bases) {
		free(c->name);
		free(c->bases);
		return HW_ENOMEM;
	}
	x->f->nclasses++;
	return HW_OK;
}

/* Closes the blocks a statement at column indent ends: their functions
 * end on the line of the last token before it (last). */
static void py_close(py_funcs *x, long indent, long last)
{
	while (x->nblocks && x->blocks[x->nblocks - 1].indent >= indent) {
		py_scope *s = &x->blocks[--x->nblocks];

		if (s->func >= 0)
			x->f->funcs[s->func].last = last;
		x->q.len = s->qlen;
	}
}

/*
 * The statement at i, at column indent of a logical line, on line `line`:
 * `def NAME`, `async def NAME` and `class NAME` open a block; a def is a
 * function unless it is inside a def (a nested def, a class in a
 * function: their lines are the enclosing function's). `NAME = lambda`
 * outside a def is a function of one line, as ctags has it.
 */
static int py_statement(py_funcs *x, const char *p, size_t len, size_t i,
			long indent, long line)
{
	size_t e = py_word_end(p, len, i), ns, ne;
	int in_def = x->nblocks && x->blocks[x->nblocks - 1].in_def, is_def;
	py_scope *s;

	if (py_word_is(p, i, e, "async")) {
		i = py_blanks(p, len, e);
		e = py_word_end(p, len, i);
		if (!py_word_is(p, i, e, "def"))
			return HW_OK;
	}
	is_def = py_word_is(p, i, e, "def");
	if (e == i)
		return HW_OK;
	if (!is_def && !py_word_is(p, i, e, "class"))
		return in_def ? HW_OK : py_lambda(x, p, len, i, e, line);
	ns = py_blanks(p, len, e);
	ne = py_word_end(p, len, ns);
	if (ne == ns)
		return HW_OK;
	if (HW_ARRAY_GROW(x->blocks, x->nblocks, x->blocks_cap))
		return HW_ENOMEM;
	s = &x->blocks[x->nblocks++];
	s->indent = indent;
	s->qlen = x->q.len;
	s->func = -1;
	s->in_def = in_def || is_def;
	if (hw_buf_append(&x->q, ".", 1) ||
	    hw_buf_append(&x->q, p + ns, ne - ns))
		return HW_ENOMEM;
	if (is_def && !in_def) {
		s->func = (long)x->f->nfuncs;
		return py_add_func(x, line);
	}
	return is_def || in_def ? HW_OK : py_class_bases(x, p, len, ne, line);
}

/* The column of byte i of a line starting at ls, as Python counts it. */
static long py_column(const char *p, size_t ls, size_t i)
{
	long col = 0;

	for (size_t k = ls; k < i; k++)
		col = p[k] == '\t' ? (col / 8 + 1) * 8 : p[k] == '\f' ? 0 : col + 1;
	return col;
}

/*
 * Tags in Python: in '#' comments, and in a string that is a statement by
 * itself (a docstring, of a module, class or function) — never in other
 * strings, f-strings included. Functions: each `def` not inside another,
 * named module.Class.name, from its `def` line to the line where the last
 * token of its block ends (specs/languages.md).
 */
static int lex_py(hw_src_file *f, const char *p, size_t len)
{
	size_t tag_cap = 0, i = 0, ls = 0, stmt_at = 0;
	long line = 1, last = 0; /* last: where the last token ended */
	int depth = 0, stmt = 1, err = HW_OK; /* the next significant byte
						 starts a statement */
	int logical = 1;                      /* ... and a logical line */
	comment_ctx c = {f, &tag_cap, -1};
	py_funcs x;

	memset(&x, 0, sizeof(x));
	x.f = f;
	hw_buf_init(&x.q, 0);
	if ((err = hw_lang_py_module(&x.q, f->path)))
		goto out;
	while (i < len && !err) {
		char ch = p[i];

		if (ch == '\n') {
			line++;
			ls = ++i;
			if (!depth && !(i >= 2 && p[i - 2] == '\\'))
				stmt = logical = 1;
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f') {
			i++;
			continue;
		}
		if (ch == '#') {
			const char *nl = memchr(p + i, '\n', len - i);
			size_t e = nl ? (size_t)(nl - p) : len;

			err = scan_comment(&c, p + i, e - i, line,
					   (long)(i - ls) + 1);
			i = e;
			continue;
		}
		if (stmt) {
			stmt_at = i;
			stmt = 0;
			if (logical) {
				long col = py_column(p, ls, i);

				logical = 0;
				py_close(&x, col, last);
				if ((err = py_statement(&x, p, len, i, col,
							line)))
					break;
			}
		}
		if (ch == '"' || ch == '\'') {
			size_t s = i, k = i;
			int open, doc;

			/* a docstring starts its statement, with no prefix
			 * but r or u (an f-string is never one) */
			while (k > ls && is_ident(p[k - 1]))
				k--;
			doc = k == stmt_at;
			for (size_t j = k; j < s; j++)
				if (!strchr("rRuU", p[j]))
					doc = 0;
			i = py_string_end(p, len, s, &open);
			if (doc && (err = scan_comment(&c, p + s, i - s, line,
						       (long)(s - ls) + 1)))
				break;
			if (open && (err = hw_src_note(f, HW_DIAG_WARNING, line,
						       "unterminated string "
						       "starting here (column "
						       "%ld)",
						       (long)(s - ls) + 1)))
				break;
			if (memchr(p + s, '\n', i - s)) {
				line += (long)count_nl(p + s, i - s);
				ls = i;
				while (ls > s && p[ls - 1] != '\n')
					ls--;
			}
			last = line;
			continue;
		}
		if (ch == '(' || ch == '[' || ch == '{')
			depth++;
		else if ((ch == ')' || ch == ']' || ch == '}') && depth)
			depth--;
		else if (ch == ';' && !depth)
			stmt = 1;
		last = line;
		i++;
	}
	py_close(&x, -1, last);
	if (!err)
		err = hw_lang_attribute(f, p, len);
out:
	hw_buf_free(&x.q);
	free(x.blocks);
	return err;
}

/* Gives back the arrays' unused room, which the next file's scan reuses:
 * the records of a whole tree stay in memory until the trace is built. */
static void fit_arrays(hw_src_file *f)
{
	void *p;

	if (f->nfuncs && (p = realloc(f->funcs, f->nfuncs * sizeof(*f->funcs))))
		f->funcs = p;
	if (f->ntags && (p = realloc(f->tags, f->ntags * sizeof(*f->tags))))
		f->tags = p;
}

/*
 * Keeps only the functions a trace needs — tagged ones and every function
 * of a test file (which of them are tests is the config's test_functions,
 * and a result may name any) — so the index stays small; tag->func
 * indexes are remapped.
 */
void hw_scan_compact(hw_src_file *f)
{
	long *map;
	size_t kept = 0;

	if (!f->nfuncs) {
		fit_arrays(f);
		return;
	}
	map = malloc(f->nfuncs * sizeof(*map));
	if (!map)
		return; /* keeping everything is correct, only larger */
	for (size_t i = 0; i < f->nfuncs; i++)
		map[i] = -1;
	for (size_t t = 0; t < f->ntags; t++)
		if (f->tags[t].func >= 0)
			map[f->tags[t].func] = 0;
	for (size_t i = 0; i < f->nfuncs; i++) {
		if (map[i] < 0 && !f->is_test) {
			free(f->funcs[i].name);
			continue;
		}
		map[i] = (long)kept;
		f->funcs[kept++] = f->funcs[i];
	}
	for (size_t t = 0; t < f->ntags; t++)
		if (f->tags[t].func >= 0)
			f->tags[t].func = map[f->tags[t].func];
	f->nfuncs = kept;
	free(map);
	fit_arrays(f);
}

/*
 * The name of the test case whose macro m (mn bytes) is on the line at ls
 * (the text ends at end): the first string in the macro's parentheses, on that line
 * or after it, unescaped and quoted ("\"name\""), with prefix before its
 * value, into *out; NULL there when there is none. HW_ENOMEM when out of
 * memory.
 */
static int test_case_name(const char *ls, const char *end, const char *m,
			  size_t mn, const char *prefix, char **out)
{
	const char *nl = memchr(ls, '\n', (size_t)(end - ls));
	const char *p = memmem(ls, (size_t)((nl ? nl : end) - ls), m, mn);
	hw_buf b;

	*out = NULL;
	/* past the macro's name on its line, to its '(' */
	p = p ? p + mn : ls;
	while (p < end && *p != '(' && *p != '{' && *p != ';')
		p++;
	if (p >= end || *p != '(')
		return HW_OK;
	for (p++; p < end && *p != '"'; p++) {
		if (*p == ')' || *p == '{' || *p == ';')
			return HW_OK;
		if (*p == '/' && p + 1 < end && p[1] == '/')
			p = memchr(p, '\n', (size_t)(end - p));
		else if (*p == '/' && p + 1 < end && p[1] == '*') {
			const char *c = p + 2;

			while (c + 1 < end && !(c[0] == '*' && c[1] == '/'))
				c++;
			p = c + 1;
		}
		if (!p || p >= end)
			return HW_OK;
	}
	if (p >= end)
		return HW_OK;
	hw_buf_init(&b, 0);
	if (hw_buf_printf(&b, "\"%s", prefix))
		goto oom;
	for (p++; p < end && *p != '"' && *p != '\n'; p++) {
		char c = *p;

		if (c == '\\' && p + 1 < end && p[1] != '\n') {
			c = *++p;
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
		}
		if (hw_buf_append(&b, &c, 1))
			goto oom;
	}
	if (p >= end || *p != '"') { /* unterminated: no name */
		hw_buf_free(&b);
		return HW_OK;
	}
	if (hw_buf_append(&b, "\"", 2))
		goto oom;
	*out = b.data;
	return HW_OK;
oom:
	hw_buf_free(&b);
	return HW_ENOMEM;
}

/*
 * Catch2's and doctest's test cases, TEST_CASE("name", ...) { ... } and
 * kin (their templated, fixture and CATCH_/DOCTEST_-prefixed spellings),
 * are no functions to ctags; the C lexer found those at the top level
 * (named by the macro). Each is renamed to the name its runner gives its
 * results, quoted ("\"name\""; link.c drops the quotes): its string's
 * value, a SCENARIO's (and kin's) with Catch2's prefix "Scenario: " or doctest's
 * "  Scenario: " (a file that names doctest.h, doctest:: or DOCTEST_);
 * every other function the C lexer found is dropped: lang.c names C++'s.
 */
static int keep_test_cases(hw_src_file *f, const char *text, size_t len)
{
#define MACRO(s) {s, sizeof(s) - 1}
	static const struct {
		const char *name;
		size_t len;
	} macros[] = {
		/* Catch2 2.x */
		MACRO("TEST_CASE"), MACRO("TEST_CASE_METHOD"),
		MACRO("SCENARIO"), MACRO("SCENARIO_METHOD"),
		MACRO("TEMPLATE_TEST_CASE"), MACRO("TEMPLATE_TEST_CASE_SIG"),
		MACRO("TEMPLATE_TEST_CASE_METHOD"),
		MACRO("TEMPLATE_TEST_CASE_METHOD_SIG"),
		MACRO("TEMPLATE_PRODUCT_TEST_CASE"),
		MACRO("TEMPLATE_PRODUCT_TEST_CASE_SIG"),
		MACRO("TEMPLATE_PRODUCT_TEST_CASE_METHOD"),
		MACRO("TEMPLATE_PRODUCT_TEST_CASE_METHOD_SIG"),
		MACRO("TEMPLATE_LIST_TEST_CASE"),
		MACRO("TEMPLATE_LIST_TEST_CASE_METHOD"),
		/* doctest 2.4 */
		MACRO("TEST_CASE_FIXTURE"), MACRO("TEST_CASE_TEMPLATE"),
		MACRO("TEST_CASE_TEMPLATE_DEFINE"),
		MACRO("SCENARIO_TEMPLATE"), MACRO("SCENARIO_TEMPLATE_DEFINE"),
		{NULL, 0}};
#undef MACRO
	int doctest = memmem(text, len, "doctest.h", 9) != NULL ||
		      memmem(text, len, "doctest::", 9) != NULL ||
		      memmem(text, len, "DOCTEST_", 8) != NULL;
	size_t kept = 0, pos = 0;
	long at = 1;
	int err = HW_OK;

	/* out of memory, the rest are dropped but f stays whole */
	for (size_t i = 0; i < f->nfuncs; i++) {
		hw_func fn = f->funcs[i];
		const char *base = fn.name;
		char *name = NULL;
		size_t m = 0;

		/* CATCH_CONFIG_PREFIX_ALL's and
		 * DOCTEST_CONFIG_NO_SHORT_MACRO_NAMES' spellings */
		if (strncmp(base, "CATCH_", 6) == 0)
			base += 6;
		else if (strncmp(base, "DOCTEST_", 8) == 0)
			base += 8;
		while (macros[m].name && strcmp(base, macros[m].name) != 0)
			m++;
		for (; macros[m].name && at < fn.first && pos < len; pos++)
			at += text[pos] == '\n';
		if (macros[m].name && pos < len && !err) {
			const char *prefix = "";

			if (strncmp(base, "SCENARIO", 8) == 0)
				prefix = doctest ? "  Scenario: " : "Scenario: ";
			err = test_case_name(text + pos, text + len,
					     macros[m].name, macros[m].len,
					     prefix, &name);
		}
		free(f->funcs[i].name);
		if (!name)
			continue;
		fn.name = name;
		fn.is_test = f->is_test;
		f->funcs[kept++] = fn;
	}
	f->nfuncs = kept;
	for (size_t t = 0; t < f->ntags; t++)
		f->tags[t].func = -1; /* attributed with C++'s functions */
	return err;
}

/* Implements: FR-TRACE-001, FR-TRACE-016 */
int hw_scan_text_all(hw_src_file *f, const char *text, size_t len)
{
	int err;

	if (memchr(text, '\0', len))
		return hw_src_note(f, HW_DIAG_WARNING, 0,
				   "binary file (NUL byte), not scanned");
	switch (f->lang) {
	case HW_LANG_SH:
		return lex_sh(f, text, len);
	case HW_LANG_PY:
		return lex_py(f, text, len);
	case HW_LANG_CPP:
		/* the C lexer reads C++'s comments and literals; its
		 * functions are not C++'s (namespaces, classes): lang.c's
		 * reader finds those, then the tags are attributed */
		if ((err = lex_c(f, text, len)) ||
		    (err = keep_test_cases(f, text, len)) ||
		    (err = hw_lang_cpp_functions(f, text, len)))
			return err;
		return hw_lang_attribute(f, text, len);
	default:
		return lex_c(f, text, len);
	}
}

/* Implements: FR-TRACE-001 */
int hw_scan_text(hw_src_file *f, const char *text, size_t len)
{
	int err = hw_scan_text_all(f, text, len);

	if (!err)
		hw_scan_compact(f);
	return err;
}

void hw_src_file_free(hw_src_file *f)
{
	for (size_t i = 0; i < f->ntags; i++)
		free(f->tags[i].fr);
	for (size_t i = 0; i < f->nfuncs; i++)
		free(f->funcs[i].name);
	for (size_t i = 0; i < f->nnotes; i++)
		free(f->notes[i].message);
	for (size_t i = 0; i < f->nclasses; i++) {
		free(f->classes[i].name);
		free(f->classes[i].bases);
	}
	free(f->classes);
	free(f->tags);
	free(f->funcs);
	free(f->notes);
	free(f->path);
	memset(f, 0, sizeof(*f));
}
