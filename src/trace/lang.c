/*
 * lang.c — C++ and Python functions (issue #27, specs/languages.md).
 *
 * Tags in C++ and Python files are read by scan.c (C++ with the C lexer's
 * comments and literals, Python with its own reader, which also finds
 * Python's functions). Which function a C++ tag belongs to needs the
 * functions' names and extents, and those come from Universal Ctags
 * (`ctags --output-format=json`), run once over many files. The
 * measurements behind both choices are in specs/languages.md.
 */
#include "trace.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "util/proc.h"

/* Files per ctags run: keeps the command line far below ARG_MAX, and
 * gives the CPUs several runs to share. */
#define FILES_PER_RUN 128
#define CTAGS_TIMEOUT_S 600.0
#define CTAGS_MAX_OUT ((size_t)1 << 30)

/* Implements: FR-TRACE-016 */
hw_lang hw_lang_of(const char *path)
{
	static const char *const cpp[] = {".cpp", ".cc",  ".cxx", ".c++",
					  ".hpp", ".hh",  ".hxx", ".h++",
					  ".ipp", ".tpp", NULL};
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	if (!dot || (slash && dot < slash))
		return HW_LANG_C;
	if (strcmp(dot, ".sh") == 0)
		return HW_LANG_SH;
	if (strcmp(dot, ".py") == 0)
		return HW_LANG_PY;
	for (size_t i = 0; cpp[i]; i++)
		if (strcmp(dot, cpp[i]) == 0)
			return HW_LANG_CPP;
	return HW_LANG_C;
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

/* Appends s[0..n) to b, dropping the space ctags puts after "operator"
 * before a symbol ("operator ==" is written "operator=="). */
static int put_name(hw_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' && i >= 8 && memcmp(s + i - 8, "operator", 8) == 0 &&
		    i + 1 < n && !(s[i + 1] == '_' ||
				   (s[i + 1] >= 'a' && s[i + 1] <= 'z') ||
				   (s[i + 1] >= 'A' && s[i + 1] <= 'Z')))
			continue;
		if (hw_buf_append(b, s + i, 1))
			return HW_ENOMEM;
	}
	return HW_OK;
}

/* C++: scope::name with anonymous scopes ("__anon...") left out; a gtest
 * macro TEST(Suite, Name) is the test "Suite.Name". */
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
	while (scope && *scope) {
		const char *e = strstr(scope, "::");
		size_t n = e ? (size_t)(e - scope) : strlen(scope);

		if (!(n >= 6 && memcmp(scope, "__anon", 6) == 0) &&
		    (put_name(b, scope, n) || hw_buf_append(b, "::", 2)))
			return HW_ENOMEM;
		scope = e ? e + 2 : scope + n;
	}
	return put_name(b, name, strlen(name));
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

/* ---- one file's functions from ctags' JSON lines ------------------------ */

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

/*
 * One ctags entry: a C++ function definition (kind "function"). A function
 * nested in a function (a lambda) is not one of its own: its lines, and so
 * its tags, are the enclosing function's.
 */
static int take_entry(hw_src_file *f, size_t *cap, const cJSON *e, hw_buf *b)
{
	const char *kind = hw_json_str(e, "kind"), *name = hw_json_str(e, "name");
	const char *scope = hw_json_str(e, "scope"),
		   *sk = hw_json_str(e, "scopeKind");
	const cJSON *line = cJSON_GetObjectItemCaseSensitive(e, "line"),
		    *end = cJSON_GetObjectItemCaseSensitive(e, "end");

	if (!kind || !name || !cJSON_IsNumber(line))
		return HW_OK;
	if (strcmp(kind, "function") != 0) /* a C++ "member" is data */
		return HW_OK;
	if (sk && strcmp(sk, "function") == 0)
		return HW_OK;
	if (strncmp(name, "__anon", 6) == 0)
		return HW_OK;
	b->len = 0;
	if (cpp_name(b, scope, name, hw_json_str(e, "signature")) ||
	    hw_buf_append(b, "", 1))
		return HW_ENOMEM;
	return add_func(f, cap, b->data, (long)line->valuedouble,
			cJSON_IsNumber(end) ? (long)end->valuedouble
					    : (long)line->valuedouble);
}

static int by_first(const void *a, const void *b)
{
	const hw_func *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* ---- attributing the tags ---------------------------------------------- */

/*
 * Whether line p[0..e) keeps a tag above it from the function below it:
 * in C++ a ';', '{' or '}' (outside a `//` comment: a declaration, a body),
 * in Python anything but a blank line, a '#' comment or a decorator.
 */
static int is_barrier(hw_lang lang, const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	if (lang == HW_LANG_PY)
		return p < e && *p != '#' && *p != '@';
	for (; p < e; p++) {
		if (*p == '/' && p + 1 < e && p[1] == '/')
			return 0;
		if (*p == ';' || *p == '{' || *p == '}')
			return 1;
	}
	return 0;
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
	size_t nf = f->nfuncs, k = 0, sp = 0, nls = 1;
	size_t *ls = NULL, *stack = NULL;
	long *bar = NULL, prev = 0;

	if (!nf) { /* no function (none found, or no ctags) */
		for (size_t t = 0; t < f->ntags; t++)
			f->tags[t].func = -1;
		return HW_OK;
	}
	qsort(f->funcs, nf, sizeof(*f->funcs), by_first);
	for (size_t i = 0; i < len; i++)
		nls += text[i] == '\n';
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
	for (size_t i = 0, l = 1; i < len; i++)
		if (text[i] == '\n' && l < nls)
			ls[l++] = i + 1;
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
		if (bar[k] < 0) {
			/* the last barrier line above the function, down to
			 * the tag's line (0: none) */
			bar[k] = 0;
			for (long b = f->funcs[k].first - 1; b > l; b--) {
				const char *p, *e;

				if ((size_t)b > nls)
					continue;
				p = text + ls[b - 1];
				e = memchr(p, '\n', (size_t)(text + len - p));
				if (is_barrier(f->lang, p, e ? e : text + len)) {
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
	return HW_OK;
}

/* ---- running ctags ------------------------------------------------------ */

static int note_all(hw_src_file *const *files, size_t n, const char *msg)
{
	int err = HW_OK;

	for (size_t i = 0; i < n && !err; i++)
		err = hw_src_note(files[i], HW_DIAG_WARNING, 0, "%s", msg);
	return err;
}

/* The file of a ctags "path": disk paths are given in order, so the
 * search starts at the last match. */
static long file_of(const char *path, const char *const *disk, size_t n,
		    size_t *hint)
{
	if (path[0] == '.' && path[1] == '/' && path[2] == '-')
		path += 2; /* given so, below */
	for (size_t k = 0; k < n; k++) {
		size_t i = (*hint + k) % n;

		if (strcmp(disk[i], path) == 0) {
			*hint = i;
			return (long)i;
		}
	}
	return -1;
}

static int run_chunk(hw_src_file *const *files, const char *const *disk,
		     size_t n)
{
	char **argv = calloc(n + 12, sizeof(*argv));
	char **dashed = calloc(n ? n : 1, sizeof(*dashed)); /* "./-x" */
	size_t *caps = calloc(n ? n : 1, sizeof(*caps));
	hw_cmd_result r;
	hw_buf name;
	size_t a = 0, hint = 0;
	int err = HW_OK;

	if (!argv || !caps || !dashed) {
		free(argv);
		free(caps);
		free(dashed);
		return hw_error_oom();
	}
	memset(&r, 0, sizeof(r));
	hw_buf_init(&name, 0);
	/* the scanner may have kept functions of its own (test cases) */
	for (size_t i = 0; i < n; i++)
		caps[i] = files[i]->nfuncs;
	argv[a++] = "ctags";
	argv[a++] = "--options=NONE";
	argv[a++] = "--output-format=json";
	/* only what take_entry reads: functions and the kinds that scope
	 * them; a C++ "member" is a data member, never a function. No pseudo
	 * tags and no anonymous entries (lambdas), but file-scope ones
	 * (static functions, inline methods). */
	argv[a++] = "--fields=NFneKSsp";
	argv[a++] = "--kinds-C++=fcsnu";
	argv[a++] = "--extras=F";
	argv[a++] = "--sort=no";
	argv[a++] = "-f";
	argv[a++] = "-";
	for (size_t i = 0; i < n && !err; i++) {
		/* a name starting with '-' would be read as an option */
		if (disk[i][0] == '-') {
			dashed[i] = malloc(strlen(disk[i]) + 3);
			if (!dashed[i])
				err = hw_error_oom();
			else
				snprintf(dashed[i], strlen(disk[i]) + 3, "./%s",
					 disk[i]);
			argv[a++] = dashed[i];
		} else {
			argv[a++] = (char *)disk[i];
		}
	}
	argv[a] = NULL;
	if (err)
		goto out;
	if ((err = hw_run(&r, argv, CTAGS_TIMEOUT_S, CTAGS_MAX_OUT)))
		goto out;
	if (r.not_found) {
		err = note_all(files, n,
			       "Universal Ctags (ctags) is not installed: the "
			       "file's functions are unknown, its tags belong "
			       "to no function");
		goto out;
	}
	if (r.status != 0 || r.timed_out || r.truncated) {
		err = note_all(files, n,
			       "ctags failed on this file or one read with it: "
			       "its functions may be missing");
		if (err)
			goto out;
	}
	for (char *p = r.out.data, *end = r.out.data + r.out.len;
	     p && p < end && !err;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ln = nl ? (size_t)(nl - p) : (size_t)(end - p);
		cJSON *e = cJSON_ParseWithLength(p, ln);
		const char *type = e ? hw_json_str(e, "_type") : NULL,
			   *path = e ? hw_json_str(e, "path") : NULL;

		if (type && path && strcmp(type, "tag") == 0) {
			long i = file_of(path, disk, n, &hint);

			if (i >= 0)
				err = take_entry(files[i], &caps[i], e, &name);
		}
		cJSON_Delete(e);
		p = nl ? nl + 1 : NULL;
	}
out:
	hw_buf_free(&name);
	hw_cmd_result_free(&r);
	for (size_t i = 0; i < n; i++)
		free(dashed[i]);
	free(argv);
	free(dashed);
	free(caps);
	return err;
}

typedef struct lang_job {
	hw_src_file *const *files;
	const char *const *disk;
	size_t n;
	size_t max_bytes;
} lang_job;

/* Job k: the files [k * FILES_PER_RUN, ...) through ctags, then their
 * tags attributed; the text between a tag and a function is read again
 * (the scan did not keep it), and a file gone since is attributed by
 * extents alone. */
static int lang_chunk(void *arg, size_t k)
{
	const lang_job *j = arg;
	size_t at = k * FILES_PER_RUN,
	       n = j->n - at < FILES_PER_RUN ? j->n - at : FILES_PER_RUN;
	hw_buf b;
	int err = run_chunk(j->files + at, j->disk + at, n);

	hw_buf_init(&b, 0);
	for (size_t i = at; i < at + n && !err; i++) {
		if (!j->files[i]->ntags)
			continue;
		if (hw_file_read(&b, j->disk[i], j->max_bytes) != HW_OK) {
			hw_error_clear();
			b.len = 0;
		}
		err = hw_lang_attribute(j->files[i], b.data ? b.data : "",
					b.len);
	}
	hw_buf_free(&b);
	return err;
}

/* Implements: FR-TRACE-016 */
int hw_lang_functions(hw_src_file *const *files, const char *const *disk,
		      size_t n, size_t max_bytes)
{
	/* hwledger-sast-ignore bugprone-sizeof-expression: an array of pointers */
	hw_src_file **cpp = calloc(n ? n : 1, sizeof(*cpp));
	const char **cdisk = calloc(n ? n : 1, sizeof(*cdisk));
	lang_job j = {cpp, cdisk, 0, max_bytes};
	size_t runs;
	int err;

	if (!cpp || !cdisk) {
		free(cpp);
		free(cdisk);
		return hw_error_oom();
	}
	/* a Python file's functions came with its scan */
	for (size_t i = 0; i < n; i++)
		if (files[i]->lang == HW_LANG_CPP) {
			cpp[j.n] = files[i];
			cdisk[j.n++] = disk[i];
		}
	runs = (j.n + FILES_PER_RUN - 1) / FILES_PER_RUN;
	/* ctags is single-threaded: one run per CPU at a time */
	err = hw_tasks_run(runs, hw_tasks_threads(runs, 1), lang_chunk, &j);
	free(cpp);
	free(cdisk);
	return err;
}
