/*
 * lang.c — C++ and Python functions (issue #27, specs/languages.md).
 *
 * Tags in C++ and Python files are read by scan.c (C++ with the C lexer's
 * comments and literals, Python with its own reader, which also finds
 * Python's functions). Which function a C++ tag belongs to needs the
 * functions' names and extents: a reader of C++ declarations below finds
 * them as Universal Ctags does, in the pass that reads the file. The
 * measurements behind that choice are in specs/languages.md.
 */
/* hwledger-sast-ignore *: glibc's feature macro, for memmem */
#define _GNU_SOURCE
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* The extension of path's last part, its '.' included; "" when none. */
static const char *extension(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	return !dot || (slash && dot < slash) ? "" : dot;
}

/* The extensions a reader is chosen by; any other is read as C. */
static const struct {
	const char *ext;
	hw_lang lang;
} lang_exts[] = {
	{".c", HW_LANG_C},	{".h", HW_LANG_C},	{".sh", HW_LANG_SH},
	{".py", HW_LANG_PY},	{".cpp", HW_LANG_CPP}, {".cc", HW_LANG_CPP},
	{".cxx", HW_LANG_CPP}, {".c++", HW_LANG_CPP}, {".hpp", HW_LANG_CPP},
	{".hh", HW_LANG_CPP},	{".hxx", HW_LANG_CPP}, {".h++", HW_LANG_CPP},
	{".ipp", HW_LANG_CPP}, {".tpp", HW_LANG_CPP},
};

/* The entry of path's extension in lang_exts, or -1. */
static int lang_entry(const char *path)
{
	const char *dot = extension(path);

	for (size_t i = 0; i < sizeof(lang_exts) / sizeof(*lang_exts); i++)
		if (strcmp(dot, lang_exts[i].ext) == 0)
			return (int)i;
	return -1;
}

/* Implements: FR-TRACE-016 */
hw_lang hw_lang_of(const char *path)
{
	int e = lang_entry(path);

	return e < 0 ? HW_LANG_C : lang_exts[e].lang;
}

int hw_lang_known(const char *path)
{
	return lang_entry(path) >= 0;
}

/* The name a test function is known by to test_functions: what follows
 * the last "::" or '.' of a qualified name. */
const char *hw_func_base(const char *name)
{
	const char *b = name;

	for (const char *p = name; *p; p++)
		if (*p == '.' || (*p == ':' && p[1] == ':'))
			b = p + (*p == ':' ? 2 : 1);
	return b;
}

/* A C++ test macro's function ("Suite.Name", a Catch2 or doctest name
 * with spaces): never a C++ identifier path. */
int hw_func_from_test_macro(hw_lang lang, const char *name)
{
	return lang == HW_LANG_CPP && strpbrk(name, ". \"") != NULL;
}

/* ---- building a function's qualified name ------------------------------ */

static int is_test_macro(const char *name)
{
	static const char *const m[] = {"TEST",	      "TEST_F",
					"TEST_P",     "TYPED_TEST",
					"TYPED_TEST_P", NULL};

	for (size_t i = 0; m[i]; i++)
		if (strcmp(name, m[i]) == 0)
			return 1;
	return 0;
}

/* C++: scope::name; a gtest macro TEST(Suite, Name) is the test
 * "Suite.Name" (sig: its parameter list). */
static int cpp_name(hw_buf *b, const char *scope, const char *name,
		    const char *sig)
{
	if (is_test_macro(name) && sig && sig[0] == '(') {
		const char *comma = strchr(sig, ','), *close = strrchr(sig, ')');

		if (comma && close && close > comma) {
			const char *s = sig + 1, *e = comma;

			while (*s == ' ')
				s++;
			if (hw_buf_append(b, s, (size_t)(e - s)) ||
			    hw_buf_append(b, ".", 1))
				return HW_ENOMEM;
			s = comma + 1;
			while (*s == ' ')
				s++;
			e = close;
			while (e > s && e[-1] == ' ')
				e--;
			return hw_buf_append(b, s, (size_t)(e - s));
		}
	}
	if (*scope && (hw_buf_append(b, scope, strlen(scope)) ||
		       hw_buf_append(b, "::", 2)))
		return HW_ENOMEM;
	return hw_buf_append(b, name, strlen(name));
}

/* Implements: FR-TRACE-016 */
int hw_lang_py_module(hw_buf *b, const char *path)
{
	size_t n = strlen(path);

	if (hw_str_endswith(path, ".py"))
		n -= 3;
	if (n >= 9 && memcmp(path + n - 9, "/__init__", 9) == 0)
		n -= 9;
	while (n > 2 && path[0] == '.' && path[1] == '/') {
		path += 2;
		n -= 2;
	}
	for (size_t i = 0; i < n; i++)
		if (hw_buf_append(b, path[i] == '/' ? "." : path + i, 1))
			return HW_ENOMEM;
	return HW_OK;
}

/* ---- C++ functions: hwledger's own reader ------------------------------ */

static int add_func(hw_src_file *f, size_t *cap, const char *name, long first,
		    long last)
{
	hw_func *fn;

	if (HW_ARRAY_GROW(f->funcs, f->nfuncs, *cap))
		return HW_ENOMEM;
	fn = &f->funcs[f->nfuncs];
	memset(fn, 0, sizeof(*fn));
	fn->name = hw_strdup(name);
	HW_CHECK_ALLOC(fn->name);
	fn->first = first;
	fn->last = last < first ? first : last;
	fn->is_test = f->is_test &&
		      (hw_func_from_test_macro(f->lang, name) ||
		       strncmp(hw_func_base(name), "test_", 5) == 0);
	f->nfuncs++;
	return HW_OK;
}

static int by_first(const void *a, const void *b)
{
	const hw_func *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

static int is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Whether p[0..n) starts with word, then a byte that cannot continue it. */
static int starts_word(const char *p, size_t n, const char *word)
{
	size_t w = strlen(word);

	return n >= w && memcmp(p, word, w) == 0 &&
	       (n == w || !is_ident(p[w]));
}

/* One line of a header (blanks before it skipped), as linguist's C++
 * patterns for a `.h` read it. */
static int cpp_line(const char *p, size_t n)
{
	static const char *const std_headers[] = {
		"cstdint", "string", "vector", "map", "list", "array",
		"bitset", "queue", "stack", "forward_list", "unordered_map",
		"unordered_set", "istream", "ostream", "iostream", NULL};
	size_t i = 0;

	if (n && p[0] == '#') { /* #include <vector> */
		for (i = 1; i < n && (p[i] == ' ' || p[i] == '\t');)
			i++;
		if (!starts_word(p + i, n - i, "include"))
			return 0;
		for (i += 7; i < n && (p[i] == ' ' || p[i] == '\t');)
			i++;
		if (i >= n || p[i++] != '<')
			return 0;
		for (size_t k = 0; std_headers[k]; k++) {
			size_t w = strlen(std_headers[k]);

			if (n - i > w && memcmp(p + i, std_headers[k], w) == 0 &&
			    p[i + w] == '>')
				return 1;
		}
		return 0;
	}
	if (starts_word(p, n, "template")) { /* template <class T> */
		for (i = 8; i < n && (p[i] == ' ' || p[i] == '\t');)
			i++;
		return i < n && p[i] == '<';
	}
	if (starts_word(p, n, "using")) /* using namespace std; */
		for (i = 5; i < n && (p[i] == ' ' || p[i] == '\t');)
			i++;
	if ((i == 0 && starts_word(p, n, "class")) ||
	    starts_word(p + i, n - i, "namespace")) { /* class X, namespace x */
		i += p[i] == 'c' ? 5 : 9;
		if (i >= n || (p[i] != ' ' && p[i] != '\t'))
			return 0;
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		return i < n && is_ident(p[i]);
	}
	while (n && (p[n - 1] == '\r'))
		n--;
	return (n == 7 && memcmp(p, "public:", 7) == 0) ||
	       (n == 8 && memcmp(p, "private:", 8) == 0) ||
	       (n == 10 && memcmp(p, "protected:", 10) == 0);
}

/* Implements: FR-TRACE-016 */
hw_lang hw_lang_of_text(const char *path, const char *text, size_t len)
{
	const char *end = text + len;

	if (strcmp(extension(path), ".h") != 0)
		return hw_lang_of(path);
	for (const char *p = text; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;

		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (cpp_line(p, (size_t)(e - p)))
			return HW_LANG_CPP;
		p = e + 1;
	}
	/* std::anything, anywhere */
	for (const char *p = text; p < end;) {
		const char *hit = memmem(p, (size_t)(end - p), "std::", 5);

		if (!hit)
			break;
		if (hit + 5 < end && is_ident(hit[5]) &&
		    (hit == text || !is_ident(hit[-1])))
			return HW_LANG_CPP;
		p = hit + 5;
	}
	return HW_LANG_C;
}

/*
 * A token of a C++ file outside comments and preprocessor lines: a name
 * (identifier, keyword or number), a literal (string or character), "::",
 * or one punctuation byte.
 */
enum { TK_END = 0, TK_NAME, TK_LIT, TK_SCOPE, TK_PUNCT };

typedef struct cpp_tok {
	int kind;
	size_t s, e;  /* its bytes */
	long line;
} cpp_tok;

typedef struct cpp_reader {
	const char *p;
	size_t len, i;
	long line;
	long last;    /* the line of the last token */
	int busy;     /* set by the parser: inside a declaration or body */
	hw_cond cond; /* which branch of a conditional is not read */
} cpp_reader;

static int cpp_ident(char c)
{
	return is_ident(c) || c == '$' || (unsigned char)c >= 0x80;
}

/* Skips the block comment at r->i, to the end of the text when it is not
 * closed. */
static void cpp_block_comment(cpp_reader *r)
{
	size_t j = r->i + 2;

	while (j + 1 < r->len && !(r->p[j] == '*' && r->p[j + 1] == '/'))
		r->line += r->p[j++] == '\n';
	r->i = j + 2 > r->len ? r->len : j + 2;
}

/* Skips the preprocessor line at i (continued lines, comments in it). */
static void cpp_skip_directive(cpp_reader *r)
{
	while (r->i < r->len && r->p[r->i] != '\n') {
		if (r->p[r->i] == '\\' && r->i + 1 < r->len &&
		    r->p[r->i + 1] == '\n') {
			r->line++;
			r->i += 2;
			continue;
		}
		if (r->p[r->i] == '/' && r->i + 1 < r->len &&
		    r->p[r->i + 1] == '*') {
			cpp_block_comment(r);
			continue;
		}
		if (r->p[r->i] == '/' && r->i + 1 < r->len &&
		    r->p[r->i + 1] == '/') {
			while (r->i < r->len && r->p[r->i] != '\n')
				r->i++;
			break;
		}
		r->i++;
	}
}

static int word_is(const char *w, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(w, word, n) == 0;
}

/* Implements: FR-TRACE-001, FR-TRACE-016 */
int hw_cond_directive(hw_cond *c, const char *text, size_t len, size_t hash,
		      int busy_if, int busy_else)
{
	size_t ws = hash + 1, we;
	int plain_if, is_if, is_else, is_end;

	while (ws < len && (text[ws] == ' ' || text[ws] == '\t'))
		ws++;
	for (we = ws; we < len && is_ident(text[we]);)
		we++;
	plain_if = word_is(text + ws, we - ws, "if");
	is_if = plain_if || word_is(text + ws, we - ws, "ifdef") ||
		word_is(text + ws, we - ws, "ifndef");
	is_else = word_is(text + ws, we - ws, "else") ||
		  word_is(text + ws, we - ws, "elif") ||
		  word_is(text + ws, we - ws, "elifdef") ||
		  word_is(text + ws, we - ws, "elifndef");
	is_end = word_is(text + ws, we - ws, "endif");
	if (c->skip) {
		if (is_if)
			c->skip_depth++;
		else if (is_end && c->skip_depth)
			c->skip_depth--;
		else if (is_end || (is_else && !c->skip_depth && c->skip == 1))
			c->skip = 0;
		if (is_end && !c->skip && c->nif)
			c->nif--;
	} else if (is_if) {
		if (c->nif < 64 && busy_if)
			c->single |= 1ULL << c->nif;
		else if (c->nif < 64)
			c->single &= ~(1ULL << c->nif);
		c->nif++;
		while (we < len && (text[we] == ' ' || text[we] == '\t'))
			we++;
		if (plain_if && we < len &&
		    text[we] == '0' && (we + 1 >= len || !is_ident(text[we + 1]))) {
			c->skip = 1;
			c->skip_depth = 0;
		}
	} else if (is_else && c->nif) {
		if (busy_else || c->nif > 64 ||
		    (c->single >> (c->nif - 1) & 1)) {
			c->skip = 2;
			c->skip_depth = 0;
		}
	} else if (is_end && c->nif) {
		c->nif--;
	}
	return is_if || is_else || is_end;
}

/* A preprocessor line at r->i (its '#'): its conditional, then past it. */
static void cpp_preproc(cpp_reader *r)
{
	hw_cond_directive(&r->cond, r->p, r->len, r->i, r->busy, r->busy);
	cpp_skip_directive(r);
}

/* Whether p[0..n) prefixes a literal: u8"", L'', R"()", u8R"()". */
static int lit_prefix(const char *p, size_t n)
{
	static const char *const pre[] = {"L",	"u",  "U",  "u8", "R",
					  "LR", "uR", "UR", "u8R", NULL};

	for (size_t k = 0; pre[k]; k++)
		if (strlen(pre[k]) == n && memcmp(pre[k], p, n) == 0)
			return 1;
	return 0;
}

/* Past the string or character literal whose quote is at i (a raw string
 * R"d(...)d" whole when raw). A newline ends a broken one. */
static size_t cpp_literal(cpp_reader *r, size_t i, int raw)
{
	char q = r->p[i];

	if (q == '"' && raw) {
		size_t d = i + 1, e = d;

		while (e < r->len && e - d <= 16 && r->p[e] != '(' &&
		       r->p[e] != ' ' && r->p[e] != ')' && r->p[e] != '\\' &&
		       r->p[e] != '\n' && r->p[e] != '"')
			e++;
		if (e < r->len && r->p[e] == '(') {
			for (size_t j = e + 1; j < r->len; j++) {
				if (r->p[j] == '\n')
					r->line++;
				else if (r->p[j] == ')' &&
					 j + 1 + (e - d) < r->len &&
					 memcmp(r->p + j + 1, r->p + d, e - d) == 0 &&
					 r->p[j + 1 + (e - d)] == '"')
					return j + (e - d) + 2;
			}
			return r->len;
		}
	}
	for (i++; i < r->len; i++) {
		if (r->p[i] == '\\' && i + 1 < r->len) {
			r->line += r->p[++i] == '\n';
			continue;
		}
		if (r->p[i] == q)
			return i + 1;
		if (r->p[i] == '\n')
			return i;
	}
	return r->len;
}

/* The next token, TK_END at the end of the text. */
static cpp_tok cpp_next(cpp_reader *r)
{
	cpp_tok t = {TK_END, r->len, r->len, r->line};
	int bol = r->i == 0 || r->p[r->i - 1] == '\n';

	while (r->i < r->len) {
		char c = r->p[r->i];

		if (c == '\n') {
			r->line++;
			r->i++;
			bol = 1;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
		    c == '\v') {
			r->i++;
			continue;
		}
		if (c == '\\' && r->i + 1 < r->len && r->p[r->i + 1] == '\n') {
			r->i++;
			continue;
		}
		if (c == '#' && bol) {
			cpp_preproc(r);
			continue;
		}
		if (r->cond.skip) { /* a branch not read: to its end */
			while (r->i < r->len && r->p[r->i] != '\n')
				r->i++;
			continue;
		}
		bol = 0;
		if (c == '/' && r->i + 1 < r->len && r->p[r->i + 1] == '/') {
			while (r->i < r->len && r->p[r->i] != '\n')
				r->i++;
			continue;
		}
		if (c == '/' && r->i + 1 < r->len && r->p[r->i + 1] == '*') {
			cpp_block_comment(r);
			continue;
		}
		t.s = r->i;
		t.line = r->line;
		if (c == '"' || c == '\'') {
			t.kind = TK_LIT;
			r->i = cpp_literal(r, r->i, 0);
		} else if (cpp_ident(c)) {
			size_t j = r->i;

			while (j < r->len && cpp_ident(r->p[j]))
				j++;
			/* a number's digit separators: 1'000 */
			while (c >= '0' && c <= '9' && j + 1 < r->len &&
			       r->p[j] == '\'' && is_ident(r->p[j + 1]))
				for (j++; j < r->len && cpp_ident(r->p[j]);)
					j++;
			if (j < r->len && (r->p[j] == '"' || r->p[j] == '\'') &&
			    lit_prefix(r->p + r->i, j - r->i)) {
				t.kind = TK_LIT;
				r->i = cpp_literal(r, j, r->p[j - 1] == 'R');
			} else {
				t.kind = TK_NAME;
				r->i = j;
			}
		} else if (c == ':' && r->i + 1 < r->len && r->p[r->i + 1] == ':') {
			t.kind = TK_SCOPE;
			r->i += 2;
		} else {
			t.kind = TK_PUNCT;
			r->i++;
		}
		t.e = r->i;
		r->last = t.line;
		return t;
	}
	return t;
}

/* A block a declaration can open: namespaces, classes and `extern "C"`
 * hold declarations; function bodies and the rest are skipped whole. */
enum { SC_NS, SC_CLASS, SC_EXTERN };

typedef struct cpp_scope {
	int kind;
	size_t qlen; /* the scope name's length outside this block */
} cpp_scope;

typedef struct cpp_parse {
	hw_src_file *f;
	cpp_reader r;
	cpp_tok *st;       /* the declaration read so far */
	size_t n, st_cap;
	cpp_scope *blocks; /* the blocks around it */
	size_t nblocks, blocks_cap;
	hw_buf scope;      /* "ns::Cls" of the innermost block */
	hw_buf name, own, full; /* a function's scope, name, both */
	size_t func_cap;
} cpp_parse;

static int tok_is(const cpp_parse *x, const cpp_tok *t, const char *w)
{
	return t->kind == TK_NAME && word_is(x->r.p + t->s, t->e - t->s, w);
}

static int tok_punct(const cpp_parse *x, const cpp_tok *t, char c)
{
	return t->kind == TK_PUNCT && x->r.p[t->s] == c;
}

/* The names before a ':' at class level: an access label with Qt's words
 * (`private slots:`, `public Q_SLOTS:`) or after a macro that ends in no
 * ';' (`Q_OBJECT public:`)? Two or three names, one of them an access
 * specifier or Qt's `signals`/`Q_SIGNALS`; a bit-field (`int x : 3`) has
 * none. */
static int access_label(const cpp_parse *x)
{
	static const char *const words[] = {"public", "private", "protected",
					    "signals", "Q_SIGNALS", NULL};
	int found = 0;

	if (x->n < 2 || x->n > 3)
		return 0;
	for (size_t i = 0; i < x->n; i++) {
		if (x->st[i].kind != TK_NAME)
			return 0;
		for (size_t k = 0; words[k]; k++)
			found |= tok_is(x, &x->st[i], words[k]);
	}
	return found;
}

/* Names followed by '(' that are no function's name. */
static int not_a_name(const cpp_parse *x, const cpp_tok *t);

/* May the '(' at k open a declarator's group (`void (name) (...)`,
 * `T *(name)(...)`, `void (*name(int))(int)`)? After a blank and a type's
 * name, or after '*' or '&'; a name right before it is a macro's call
 * (`UNDEF(name)(...)` is UNDEF, as ctags has it). */
static int declarator_group(const cpp_parse *x, size_t k)
{
	const cpp_tok *t = k ? &x->st[k - 1] : NULL;

	if (!t)
		return 0;
	if (tok_punct(x, t, '*') || tok_punct(x, t, '&'))
		return 1;
	return t->kind == TK_NAME && !not_a_name(x, t) && x->st[k].s > t->e;
}

/* Names followed by '(' that are no function's name. */
static int not_a_name(const cpp_parse *x, const cpp_tok *t)
{
	static const char *const w[] = {
		"__attribute__", "__declspec", "alignas",  "_Alignas",
		"decltype",	 "sizeof",     "alignof",  "noexcept",
		"throw",	 "requires",   "static_assert", "typeof",
		"__typeof__",	 "if",	       "while",	   "for",
		"switch",	 "return",     "catch",	   NULL};

	for (size_t k = 0; w[k]; k++)
		if (tok_is(x, t, w[k]))
			return 1;
	return 0;
}

/* The index of the token that opens the bracket group closing at k
 * (')', ']', '}' or '>'), scanning back; 0 when unbalanced. */
static size_t group_start(const cpp_parse *x, size_t k)
{
	char close = x->r.p[x->st[k].s];
	char opener = close == ')' ? '(' : close == ']' ? '[' : close == '}' ? '{' : '<';
	int d = 0;

	for (size_t j = k + 1; j-- > 0;) {
		if (tok_punct(x, &x->st[j], close))
			d++;
		else if (tok_punct(x, &x->st[j], opener) && --d == 0)
			return j;
	}
	return 0;
}

/* The index past the group opening at k ('(' '[' '{' or '<'). */
static size_t group_end(const cpp_parse *x, size_t k)
{
	char opener = x->r.p[x->st[k].s];
	char close = opener == '(' ? ')' : opener == '[' ? ']' : opener == '{' ? '}' : '>';
	int d = 0;

	for (size_t j = k; j < x->n; j++) {
		if (tok_punct(x, &x->st[j], opener))
			d++;
		else if (tok_punct(x, &x->st[j], close) && --d == 0)
			return j + 1;
		else if (opener == '<' && (tok_punct(x, &x->st[j], '(') ||
					  tok_punct(x, &x->st[j], '[')))
			j = group_end(x, j) - 1;
	}
	return x->n;
}

/* The first token of the name at j with its qualifiers: `~name`,
 * `A::B<T>::name`. */
static size_t qualifiers(const cpp_parse *x, size_t j)
{
	if (j > 0 && tok_punct(x, &x->st[j - 1], '~'))
		j--;
	while (j >= 2 && x->st[j - 1].kind == TK_SCOPE) {
		size_t q = j - 2;

		if (tok_punct(x, &x->st[q], '>'))
			q = group_start(x, q) - 1;
		if (q >= x->n || x->st[q].kind != TK_NAME)
			break;
		j = q;
	}
	return j;
}

/* The first token of the declaration past `template <...>`, attributes
 * and the like. */
static size_t decl_start(const cpp_parse *x)
{
	size_t k = 0;

	while (k < x->n) {
		const cpp_tok *t = &x->st[k];

		const cpp_tok *u = k + 1 < x->n ? &x->st[k + 1] : t;

		if ((tok_is(x, t, "template") && tok_punct(x, u, '<')) ||
		    ((tok_is(x, t, "__attribute__") ||
		      tok_is(x, t, "__declspec") || tok_is(x, t, "alignas")) &&
		     tok_punct(x, u, '(')))
			k = group_end(x, k + 1);
		else if (tok_punct(x, t, '[') && u != t && tok_punct(x, u, '['))
			k = group_end(x, k);
		else if (tok_is(x, t, "inline") || tok_is(x, t, "export") ||
			 tok_is(x, t, "typedef") || tok_is(x, t, "static") ||
			 tok_is(x, t, "constexpr") ||
			 /* a macro: BEGIN_VERSION template <...> */
			 (t->kind == TK_NAME && u != t &&
			  tok_is(x, u, "template")))
			k++;
		else
			break;
	}
	return k;
}

/*
 * The next '(' at or after token `from` outside brackets that follows a
 * name which is not a keyword like sizeof or an attribute, or that
 * follows `operator SYMBOLS`, before a constructor's member initializers
 * (a ':' after a '('); 0 when none. *name is the first token of the name
 * with its qualifiers (`A::B::name`, `~Cls`), *last the name's own.
 */
static size_t next_params(const cpp_parse *x, size_t from, size_t *name,
			  size_t *last)
{
	for (size_t k = from; k < x->n; k++) {
		const cpp_tok *t = &x->st[k];

		if (tok_punct(x, t, ':'))
			return 0;
		if (tok_is(x, t, "operator")) {
			size_t j = k + 1;

			/* operator() is named by its first "()" */
			if (j + 1 < x->n && tok_punct(x, &x->st[j], '(') &&
			    tok_punct(x, &x->st[j + 1], ')'))
				j += 2;
			while (j < x->n && !tok_punct(x, &x->st[j], '('))
				j = j > k + 1 && tok_punct(x, &x->st[j], '<') &&
						    x->st[j - 1].kind == TK_NAME
					    ? group_end(x, j)
					    : j + 1;
			if (j >= x->n)
				return 0;
			*last = k;
			*name = qualifiers(x, k);
			return j;
		}
		if (tok_punct(x, t, '[') ||
		    (tok_punct(x, t, '<') && k > 0 &&
		     x->st[k - 1].kind == TK_NAME)) {
			k = group_end(x, k) - 1; /* not a comparison */
			continue;
		}
		if (!tok_punct(x, t, '('))
			continue;
		{
			size_t j = k;

			if (j > 0 && tok_punct(x, &x->st[j - 1], '>'))
				j = group_start(x, j - 1);
			if (j == k && declarator_group(x, k)) {
				/* `void (name) (...)`, `void (*name(...))(int)`:
				 * the name in the group, not the type */
				size_t in = k + 1 + tok_punct(x, &x->st[k + 1], '*');

				if (in + 2 < x->n && x->st[in].kind == TK_NAME &&
				    !not_a_name(x, &x->st[in]) &&
				    (in > k + 1
					     ? tok_punct(x, &x->st[in + 1], '(')
					     : tok_punct(x, &x->st[in + 1], ')') &&
						       tok_punct(x, &x->st[in + 2],
								 '('))) {
					*last = in;
					*name = in;
					return in + 1 + (in == k + 1);
				}
			}
			if (j > 0 && x->st[j - 1].kind == TK_NAME &&
			    !not_a_name(x, &x->st[j - 1])) {
				*last = j - 1;
				*name = qualifiers(x, j - 1);
				return k;
			}
			k = group_end(x, k) - 1;
		}
	}
	return 0;
}

/*
 * Whether the group opening at token p holds a literal other than as a
 * parameter's default value (Catch2's TEST_CASE("name"), gmock's
 * MATCHER(N, "text"), cxxopts' IGNORE_WARNING("-Weffc++")): a macro's
 * call, no parameter list.
 */
static int macro_literal(const cpp_parse *x, size_t p)
{
	size_t pe = group_end(x, p);
	int dflt = 0;

	for (size_t j = p + 1; j + 1 < pe; j++) {
		const cpp_tok *t = &x->st[j];

		if (tok_punct(x, t, '(') || tok_punct(x, t, '[') ||
		    tok_punct(x, t, '{'))
			j = group_end(x, j) - 1;
		else if (tok_punct(x, t, ','))
			dflt = 0;
		else if (tok_punct(x, t, '='))
			dflt = 1;
		else if (t->kind == TK_LIT && !dflt)
			return 1;
	}
	return 0;
}

/*
 * Where the parameter list of the function the declaration defines opens
 * (0: it defines none): the first candidate of next_params, as ctags
 * takes it (a macro's call after the list, `f() LOCKS_EXCLUDED(m)`, is
 * not it; nor is one before a `static`, `inline`... that opens the
 * declaration: `GTEST_ATTRIBUTE_PRINTF_(2, 3) static void f(...)`; nor
 * one holding a literal, after macros without parentheses or none, when
 * a list follows it: `DIAG_PUSH IGNORE_WARNING("-Weffc++") C(int a)`).
 */
static size_t params_at(const cpp_parse *x, size_t *name, size_t *last)
{
	static const char *const spec[] = {"static",   "inline",   "extern",
					   "virtual",  "explicit", "constexpr",
					   "friend",   "template", NULL};
	size_t at = decl_start(x);
	size_t p = next_params(x, at, name, last);

	while (p && *name == *last && *name >= at) {
		size_t n2, l2, after = group_end(x, p), k, j = at;
		size_t q = next_params(x, after, &n2, &l2);

		while (j < *name && x->st[j].kind == TK_NAME)
			j++;
		for (k = 0; spec[k] && !(after < x->n &&
					 tok_is(x, &x->st[after], spec[k]));)
			k++;
		if (!q || j < *name ||
		    (!(spec[k] && *name == at) && !macro_literal(x, p)))
			break;
		p = q;
		*name = n2;
		*last = l2;
		at = after;
	}
	return p;
}

/* Appends the tokens [s, e) to b: names and literals spaced, symbols
 * joined ("operator ==" is "operator=="); template arguments left out
 * when mode is PUT_NAME, a name spaced from its '(' when PUT_SIG (as in
 * ctags' signatures: a test "PREFIX (Name)"). */
enum { PUT_ALL, PUT_NAME, PUT_SIG };

static int put_tokens(cpp_parse *x, hw_buf *b, size_t s, size_t e,
		      int mode)
{
	int skip_args = mode == PUT_NAME;

	for (size_t k = s; k < e; k++) {
		const cpp_tok *t = &x->st[k];

		if (skip_args && tok_punct(x, t, '<')) {
			k = group_end(x, k) - 1;
			continue;
		}
		if (t->kind == TK_SCOPE) {
			if (hw_buf_append(b, "::", 2))
				return HW_ENOMEM;
			continue;
		}
		if ((t->kind == TK_NAME || t->kind == TK_LIT ||
		     (mode == PUT_SIG && tok_punct(x, t, '('))) &&
		    k > s &&
		    (x->st[k - 1].kind == TK_NAME ||
		     x->st[k - 1].kind == TK_LIT) &&
		    hw_buf_append(b, " ", 1))
			return HW_ENOMEM;
		if (hw_buf_append(b, x->r.p + t->s, t->e - t->s))
			return HW_ENOMEM;
	}
	return HW_OK;
}

static int open_block(cpp_parse *x, int kind)
{
	cpp_scope *s;

	if (HW_ARRAY_GROW(x->blocks, x->nblocks, x->blocks_cap))
		return HW_ENOMEM;
	s = &x->blocks[x->nblocks++];
	s->kind = kind;
	s->qlen = x->scope.len;
	return HW_OK;
}

/* Adds name (qualified by the tokens' own qualifiers) to the scope of a
 * block being opened. */
static int scope_add(cpp_parse *x, size_t s, size_t e)
{
	if (s >= e)
		return HW_OK; /* anonymous */
	if (x->scope.len && hw_buf_append(&x->scope, "::", 2))
		return HW_ENOMEM;
	return put_tokens(x, &x->scope, s, e, PUT_NAME);
}

/* Skips a block whose '{' was just read, to its '}'; returns that line
 * (the last token's when it is not closed). */
static long skip_block(cpp_parse *x)
{
	int d = 1;

	x->r.busy = 1;
	for (;;) {
		cpp_tok t = cpp_next(&x->r);

		if (t.kind == TK_END)
			return x->r.last;
		if (t.kind != TK_PUNCT)
			continue;
		if (x->r.p[t.s] == '{')
			d++;
		else if (x->r.p[t.s] == '}' && --d == 0)
			return t.line;
	}
}

/*
 * A function defined by the declaration, its body just opened: its name
 * is the tokens [name, params) (qualifiers, then `[~]NAME[<args>]` or
 * `operator SYMBOLS`; the name token at last), inside the blocks' scope.
 * Its lines run from its name's to the body's '}'.
 */
static int cpp_function(cpp_parse *x, size_t name, size_t last,
			size_t params)
{
	size_t own = last > name && tok_punct(x, &x->st[last - 1], '~')
			     ? last - 1
			     : last;
	long first = x->st[last].line, end;
	size_t scope_len = x->scope.len;
	char *sig = NULL;
	int err;

	/* a friend defined in a class is of the scope around the class */
	for (size_t k = 0; k < name; k++)
		if (tok_is(x, &x->st[k], "friend") && x->nblocks &&
		    x->blocks[x->nblocks - 1].kind == SC_CLASS)
			scope_len = x->blocks[x->nblocks - 1].qlen;

	x->name.len = 0;
	if ((scope_len &&
	     hw_buf_append(&x->name, x->scope.data, scope_len)) ||
	    (own > name && x->name.len && hw_buf_append(&x->name, "::", 2)))
		return HW_ENOMEM;
	/* the qualifiers without their "::" before the name */
	if (put_tokens(x, &x->name, name, own > name ? own - 1 : name,
		       PUT_NAME) ||
	    hw_buf_append(&x->name, "", 1))
		return HW_ENOMEM;
	/* an operator's name keeps its template arguments (a conversion
	 * `operator Action<int()>`), as ctags has it */
	x->own.len = 0;
	if (put_tokens(x, &x->own, own,
		       /* `void (name) (...)`: the name without its ')' */
		       params > last + 1 &&
				       tok_punct(x, &x->st[last + 1], ')')
			       ? last + 1
			       : params,
		       tok_is(x, &x->st[own], "operator") ? PUT_ALL : PUT_NAME) ||
	    hw_buf_append(&x->own, "", 1))
		return HW_ENOMEM;
	if (is_test_macro(x->own.data)) {
		x->full.len = 0;
		if (put_tokens(x, &x->full, params, group_end(x, params),
			       PUT_SIG) ||
		    hw_buf_append(&x->full, "", 1))
			return HW_ENOMEM;
		sig = hw_strdup(x->full.data);
		HW_CHECK_ALLOC(sig);
	}
	end = skip_block(x);
	x->full.len = 0;
	err = cpp_name(&x->full, x->name.data, x->own.data, sig);
	free(sig);
	if (err || hw_buf_append(&x->full, "", 1))
		return HW_ENOMEM;
	return add_func(x->f, &x->func_cap, x->full.data, first, end);
}

/* Whether the declaration has an '=' of its own (an initializer: what
 * its '{' opens is a value, a lambda), outside brackets. */
static int has_init(const cpp_parse *x)
{
	for (size_t k = decl_start(x); k < x->n; k++) {
		const cpp_tok *t = &x->st[k];

		if (tok_is(x, t, "operator"))
			return 0;
		if (tok_punct(x, t, '(') || tok_punct(x, t, '['))
			k = group_end(x, k) - 1;
		else if (tok_punct(x, t, '=') &&
			 !(k + 1 < x->n && tok_punct(x, &x->st[k + 1], '=')) &&
			 !(k > 0 && x->st[k - 1].kind == TK_PUNCT &&
			   strchr("=<>!+-*/%&|^", x->r.p[x->st[k - 1].s])))
			return 1;
	}
	return 0;
}

/* A class's name: after its keyword at k, to the ':' of its bases, past
 * macros and attributes (the last name, with its qualifiers). */
static int class_block(cpp_parse *x, size_t k)
{
	size_t s = 0, e = 0;

	for (k++; k < x->n; k++) {
		const cpp_tok *t = &x->st[k];

		if (tok_punct(x, t, ':'))
			break;
		if (tok_punct(x, t, '(') || tok_punct(x, t, '[') ||
		    tok_punct(x, t, '<')) {
			k = group_end(x, k) - 1;
			continue;
		}
		if (t->kind == TK_NAME && !tok_is(x, t, "final")) {
			if (!(k > 0 && x->st[k - 1].kind == TK_SCOPE))
				s = k;
			e = k + 1;
		}
	}
	if (open_block(x, SC_CLASS))
		return HW_ENOMEM;
	return scope_add(x, s, e);
}

/*
 * The '{' ending the declaration read: a namespace, class or linkage
 * block is opened (its declarations are read next), a function's body is
 * read as a function, anything else is skipped. Returns 1 when the '{'
 * is a member initializer `m{...}` of a constructor (the declaration goes
 * on), else 0 (or an error below 0).
 */
static int cpp_open(cpp_parse *x)
{
	size_t k = decl_start(x), name = 0, last = 0, params, m = k;
	int err = HW_OK;

	/* macros before it, without parentheses or called:
	 * DIAG_POP namespace a {, PUSH_(4251) namespace a { */
	while (m < x->n && !tok_is(x, &x->st[m], "namespace")) {
		if (x->st[m].kind == TK_NAME)
			m++;
		else if (m > k && tok_punct(x, &x->st[m], '(') &&
			 x->st[m - 1].kind == TK_NAME)
			m = group_end(x, m);
		else
			break;
	}
	if (m < x->n && tok_is(x, &x->st[m], "namespace"))
		k = m;
	if (k < x->n && tok_is(x, &x->st[k], "namespace")) {
		size_t s = k + 1;

		if (s < x->n && tok_is(x, &x->st[s], "inline"))
			s++;
		if ((err = open_block(x, SC_NS)))
			return err;
		/* namespace a::inline b; a macro after the name is not of
		 * it: namespace std _GLIBCXX_VISIBILITY(default) */
		for (size_t j = s; j < x->n; j++)
			if (tok_is(x, &x->st[j], "inline") ||
			    !(x->st[j].kind == TK_NAME ||
			      x->st[j].kind == TK_SCOPE) ||
			    (j > s && x->st[j].kind == TK_NAME &&
			     x->st[j - 1].kind == TK_NAME))
				return scope_add(x, s, j) ? HW_ENOMEM : 0;
		return scope_add(x, s, x->n) ? HW_ENOMEM : 0;
	}
	if (x->n == 2 && tok_is(x, &x->st[0], "extern") &&
	    x->st[1].kind == TK_LIT)
		return open_block(x, SC_EXTERN);
	if (has_init(x) || (k < x->n && tok_is(x, &x->st[k], "enum"))) {
		skip_block(x);
		return 0;
	}
	params = params_at(x, &name, &last);
	/* a class after a macro's call: GTEST_MACRO_() class X { */
	for (size_t j = params ? group_end(x, params) : x->n; j < x->n; j++)
		if (tok_is(x, &x->st[j], "class") ||
		    tok_is(x, &x->st[j], "struct") ||
		    tok_is(x, &x->st[j], "union"))
			return class_block(x, j);
	if (!params) {
		for (size_t j = k; j < x->n; j++)
			if (tok_is(x, &x->st[j], "class") ||
			    tok_is(x, &x->st[j], "struct") ||
			    tok_is(x, &x->st[j], "union"))
				return class_block(x, j);
		skip_block(x);
		return 0;
	}
	{
		size_t pe = group_end(x, params);

		/* a constructor's member initializer m{...} after its ':' */
		if (x->n > pe && (x->st[x->n - 1].kind == TK_NAME ||
				  tok_punct(x, &x->st[x->n - 1], '>')))
			for (size_t j = pe; j < x->n; j++)
				if (tok_punct(x, &x->st[j], ':'))
					return 1;
		/* a literal in a parameter, not as its default value
		 * (Catch2's TEST_CASE("name"), gmock's MATCHER(N, "text")):
		 * a macro, no function */
		if (macro_literal(x, params)) {
			skip_block(x);
			return 0;
		}
	}
	return cpp_function(x, name, last, params);
}

/* Keeps a declaration's first MAX_DECL_TOKENS tokens, as ctags does: a
 * data table of a million values is no function's head. */
#define MAX_DECL_TOKENS 16384

static int st_push(cpp_parse *x, const cpp_tok *t)
{
	if (x->n >= MAX_DECL_TOKENS)
		return HW_OK;
	if (HW_ARRAY_GROW(x->st, x->n, x->st_cap))
		return HW_ENOMEM;
	x->st[x->n++] = *t;
	return HW_OK;
}

/*
 * Appends the functions of C++ text to f, as Universal Ctags finds them
 * (specs/languages.md): each function defined at namespace or class
 * level, named ns::Cls::name from the blocks around it and its own
 * qualifiers; a gtest TEST(Suite, Name) is "Suite.Name". What a function
 * body holds (lambdas, local classes) is the function's.
 */
/* Implements: FR-TRACE-016 */
int hw_lang_cpp_functions(hw_src_file *f, const char *text, size_t len)
{
	cpp_parse x;
	int depth = 0, err = HW_OK; /* brackets open in the declaration */
	int fresh = 0; /* a block opened, no declaration of it read yet */

	memset(&x, 0, sizeof(x));
	x.f = f;
	x.func_cap = f->nfuncs;
	x.r.p = text;
	x.r.len = len;
	x.r.line = 1;
	hw_buf_init(&x.scope, 0);
	hw_buf_init(&x.name, 0);
	hw_buf_init(&x.own, 0);
	hw_buf_init(&x.full, 0);
	while (!err) {
		cpp_tok t;
		char c;

		x.r.busy = x.n > 0 || depth > 0 || fresh;
		t = cpp_next(&x.r);
		c = t.kind == TK_PUNCT ? text[t.s] : 0;
		if (t.kind == TK_END)
			break;
		if (depth == 0 && c == '{') {
			size_t before = x.nblocks;
			int r = cpp_open(&x);

			if (r < 0) {
				err = r;
			} else if (r == 1) {
				depth++;
				err = st_push(&x, &t);
			} else {
				x.n = 0;
				fresh = x.nblocks > before;
			}
		} else if (depth == 0 && (c == ';' || c == '}')) {
			if (c == '}' && x.nblocks)
				x.scope.len = x.blocks[--x.nblocks].qlen;
			x.n = 0;
			fresh = 0;
		} else if (depth == 0 && c == ':' &&
			   (x.n == 1 ? x.st[0].kind == TK_NAME
				     : access_label(&x))) {
			x.n = 0; /* public:, Q_OBJECT public:, private slots: */
			fresh = 0;
		} else {
			if (c == '(' || c == '[' || c == '{')
				depth++;
			else if ((c == ')' || c == ']' || c == '}') && depth)
				depth--;
			err = st_push(&x, &t);
		}
	}
	hw_buf_free(&x.scope);
	hw_buf_free(&x.name);
	hw_buf_free(&x.own);
	hw_buf_free(&x.full);
	free(x.st);
	free(x.blocks);
	return err;
}

/* ---- attributing the tags ---------------------------------------------- */

/*
 * Whether C++ line p[0..e) keeps a tag above it from the function below
 * it: a ';', '{' or '}' (outside a `//` comment: a declaration, a body).
 */
static int is_barrier(const char *p, const char *e)
{
	for (; p < e; p++) {
		if (*p == '/' && p + 1 < e && p[1] == '/')
			return 0;
		if (*p == ';' || *p == '{' || *p == '}')
			return 1;
	}
	return 0;
}

/*
 * Python's lines that keep no tag from the def below them: q[l] is 1 when
 * line l (1 to nls) is blank, only a comment, or a line of a decorator's
 * statement, which runs from its '@' to the end of its brackets, strings
 * and backslash continuations (`@pytest.mark.parametrize(` and the lines
 * of its arguments). NULL when out of memory.
 */
static unsigned char *py_quiet_lines(const char *t, size_t len, size_t nls)
{
	unsigned char *q = calloc(nls + 2, 1);
	size_t ln = 1;
	int depth = 0, cont = 0;
	int kind = 0; /* 0: no token yet, 1: a decorator, 2: other code */

	if (!q)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		char c = t[i];

		if (c == '\n') {
			if (kind != 2 && ln <= nls)
				q[ln] = 1;
			ln++;
			if (!depth && !cont)
				kind = 0;
			cont = 0;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f')
			continue;
		if (c == '#') { /* to the end of the line */
			while (i + 1 < len && t[i + 1] != '\n')
				i++;
			continue;
		}
		if (c == '\\') { /* a continuation when a newline follows */
			cont = 1;
			continue;
		}
		cont = 0;
		if (!kind)
			kind = c == '@' ? 1 : 2;
		if (c == '(' || c == '[' || c == '{') {
			depth++;
		} else if (c == ')' || c == ']' || c == '}') {
			if (depth)
				depth--;
		} else if (c == '\'' || c == '"') {
			int triple = i + 2 < len && t[i + 1] == c && t[i + 2] == c;

			for (i += triple ? 3 : 1; i < len; i++) {
				if (t[i] == '\\' && i + 1 < len) {
					if (t[++i] != '\n')
						continue;
				} else if (t[i] == c &&
					   (!triple || (i + 2 < len &&
							t[i + 1] == c &&
							t[i + 2] == c))) {
					i += triple ? 2 : 0;
					break;
				} else if (t[i] != '\n') {
					continue;
				} else if (!triple) { /* unclosed: ends here */
					i--;
					break;
				}
				if (kind != 2 && ln <= nls) /* a line of it */
					q[ln] = 1;
				ln++;
			}
		}
	}
	return q;
}

/*
 * Gives each tag of f the innermost function whose lines hold it, else the
 * function just below it when no line between them is a barrier. Tags come
 * in line order and functions nest or stand apart, so one pass with a
 * stack of open functions does it; the lines between a tag and the next
 * function are looked at once (for the next tag of the same comment the
 * answer found is reused).
 */
/* Implements: FR-TRACE-016 */
int hw_lang_attribute(hw_src_file *f, const char *text, size_t len)
{
	size_t nf = f->nfuncs, k = 0, sp = 0, nls = 1, nl_at = 1;
	size_t *ls = NULL, *stack = NULL;
	long *bar = NULL, prev = 0;
	unsigned char *quiet = NULL; /* Python's, made when first needed */

	if (!nf) { /* no function found */
		for (size_t t = 0; t < f->ntags; t++)
			f->tags[t].func = -1;
		return HW_OK;
	}
	qsort(f->funcs, nf, sizeof(*f->funcs), by_first);
	/* memchr: this runs over every tagged file, and a byte loop was a
	 * tenth of a cold trace */
	for (const char *p = text, *e = text + len;
	     (p = memchr(p, '\n', (size_t)(e - p))); p++)
		nls++;
	ls = calloc(nls + 1, sizeof(*ls));
	stack = malloc(nf * sizeof(*stack));
	bar = malloc(nf * sizeof(*bar));
	if (!ls || !stack || !bar) {
		free(ls);
		free(stack);
		free(bar);
		return hw_error_oom();
	}
	/* ls[l - 1] is where line l starts, ls[nls] the end */
	ls[0] = 0;
	for (const char *p = text, *e = text + len; nl_at < nls &&
	     (p = memchr(p, '\n', (size_t)(e - p))); p++)
		ls[nl_at++] = (size_t)(p + 1 - text);
	ls[nls] = len;
	for (size_t i = 0; i < nf; i++)
		bar[i] = -1; /* not looked at */
	for (size_t t = 0; t < f->ntags; t++) {
		long l = f->tags[t].line;

		if (l < prev) /* not in line order: start again */
			k = sp = 0;
		prev = l;
		for (; k < nf && f->funcs[k].first <= l; k++) {
			while (sp && f->funcs[stack[sp - 1]].last <
					     f->funcs[k].first)
				sp--;
			stack[sp++] = k;
		}
		while (sp && f->funcs[stack[sp - 1]].last < l)
			sp--;
		if (sp) {
			f->tags[t].func = (long)stack[sp - 1];
			continue;
		}
		f->tags[t].func = -1;
		if (k >= nf)
			continue;
		if (bar[k] < 0 && f->lang == HW_LANG_PY && !quiet &&
		    !(quiet = py_quiet_lines(text, len, nls))) {
			free(ls);
			free(stack);
			free(bar);
			return hw_error_oom();
		}
		if (bar[k] < 0) {
			/* the last barrier line above the function, down to
			 * the tag's line (0: none) */
			bar[k] = 0;
			for (long b = f->funcs[k].first - 1; b > l; b--) {
				const char *p, *e;

				if ((size_t)b > nls)
					continue;
				if (quiet) {
					if (quiet[b])
						continue;
					bar[k] = b;
					break;
				}
				p = text + ls[b - 1];
				e = memchr(p, '\n', (size_t)(text + len - p));
				if (is_barrier(p, e ? e : text + len)) {
					bar[k] = b;
					break;
				}
			}
		}
		if (bar[k] <= l)
			f->tags[t].func = (long)k;
	}
	free(ls);
	free(stack);
	free(bar);
	free(quiet);
	return HW_OK;
}
