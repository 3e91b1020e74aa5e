/*
 * resolve.c — from raw analyzer findings to unified ones. Paths become
 * repository-relative; each flagged file is read once and lexed with the
 * traceability scanner (every function kept) to find the enclosing function
 * and the FRs its Implements tags name; the flagged line gives the
 * fingerprint and any inline suppression; findings of several tools on one
 * defect are grouped.
 *
 * Fingerprint: the first 16 bytes, hex, of
 * SHA-256(rule NUL file NUL function NUL line-without-whitespace), so a
 * finding keeps its identity when unrelated lines move it up or down.
 */
#include "sast.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SUPPRESS_WORD "hwledger-sast-ignore"
#define SOURCE_MAX_BYTES ((size_t)64 << 20)

/* Where each line of a file starts, to find flagged lines in O(1). */
typedef struct lines {
	const char *text;
	size_t len;
	size_t *start; /* start[k]: offset of line k + 1; start[nstart - 1]
			  is one past the last newline */
	size_t nstart;
} lines;

static int lines_index(lines *L, const char *text, size_t len)
{
	size_t n = 1;
	const char *p;

	L->text = text;
	L->len = len;
	for (p = text; (p = memchr(p, '\n', len - (size_t)(p - text))); p++)
		n++;
	L->start = malloc(n * sizeof(*L->start));
	HW_CHECK_ALLOC(L->start);
	L->nstart = 0;
	L->start[L->nstart++] = 0;
	for (p = text; (p = memchr(p, '\n', len - (size_t)(p - text))); p++)
		L->start[L->nstart++] = (size_t)(p - text) + 1;
	return HW_OK;
}

/* The line'th line (1-based) without its newline, or NULL; *n its length. */
static const char *line_at(const lines *L, long line, size_t *n)
{
	size_t b, e;

	if (line < 1 || (size_t)line > L->nstart)
		return NULL;
	b = L->start[line - 1];
	e = (size_t)line < L->nstart ? L->start[line] - 1 : L->len;
	if (b >= L->len && e <= b)
		return NULL; /* the empty "line" after a final newline */
	*n = e - b;
	return L->text + b;
}

static void fingerprint(hw_finding *x, const char *line, size_t n)
{
	size_t a = strlen(x->rule) + 1, b = strlen(x->file) + 1,
	       c = strlen(x->function) + 1, k;
	char small[1024], *p = a + b + c + n <= sizeof(small)
				       ? small
				       : malloc(a + b + c + n);
	uint8_t h[HW_SHA256_LEN];

	if (!p) {
		memset(x->fingerprint, '0', 32);
		x->fingerprint[32] = '\0';
		return;
	}
	memcpy(p, x->rule, a);
	memcpy(p + a, x->file, b);
	memcpy(p + a + b, x->function, c);
	k = a + b + c;
	for (size_t i = 0; line && i < n; i++)
		if (!isspace((unsigned char)line[i]))
			p[k++] = line[i];
	hw_sha256(h, p, k);
	if (p != small)
		free(p);
	hw_hex(x->fingerprint, h, 16);
}

static const char *find(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);

	for (size_t i = 0; i + w <= n; i++)
		if (s[i] == word[0] && !memcmp(s + i, word, w))
			return s + i;
	return NULL;
}

/*
 * "hwledger-sast-ignore RULE: reason" on the flagged line or the line just
 * above it. RULE is the rule ID or '*'; a suppression without a reason is a
 * warning and suppresses nothing.
 */
static void suppression(hw_finding *x, hw_diags *d, const lines *L)
{
	for (long l = x->line; l >= x->line - 1 && l >= 1; l--) {
		size_t n = 0;
		const char *s = line_at(L, l, &n), *p, *end;
		size_t rl;

		if (!s)
			continue;
		end = s + n;
		p = find(s, n, SUPPRESS_WORD);
		if (!p)
			continue;
		p += strlen(SUPPRESS_WORD);
		while (p < end && *p == ' ')
			p++;
		rl = strlen(x->rule);
		if (!((end - p > 1 && p[0] == '*' && p[1] == ':') ||
		      ((size_t)(end - p) > rl && !memcmp(p, x->rule, rl) &&
		       p[rl] == ':')))
			continue;
		p = (const char *)memchr(p, ':', (size_t)(end - p)) + 1;
		while (p < end && *p == ' ')
			p++;
		while (end > p && (isspace((unsigned char)end[-1]) ||
				   (end - p >= 2 && end[-1] == '/' &&
				    end[-2] == '*')))
			end -= end[-1] == '/' ? 2 : 1;
		if (end <= p) {
			hw_diags_add(d, HW_DIAG_WARNING, x->file, l, 0,
				     "%s %s without a reason suppresses "
				     "nothing",
				     SUPPRESS_WORD, x->rule);
			continue;
		}
		x->suppressed = 1;
		free(x->suppress_reason);
		x->suppress_reason = hw_strndup(p, (size_t)(end - p));
		return;
	}
}

/*
 * Removes the "." and "NAME/.." segments and repeated slashes of an
 * absolute path, in place; ".." above "/" stays at "/". Lexical: a symbolic
 * link followed by ".." is resolved by hw_sast_place's realpath instead.
 */
static void normalize(char *p)
{
	const char *s = p;
	size_t o = 0; /* the output, p[0..o), never ahead of s */

	while (*s) {
		const char *e;
		size_t n;

		while (*s == '/')
			s++;
		e = s + strcspn(s, "/");
		n = (size_t)(e - s);
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (o > 0 && p[--o] != '/')
				;
		} else if (n && !(n == 1 && s[0] == '.')) {
			p[o++] = '/';
			memmove(p + o, s, n);
			o += n;
		}
		s = e;
	}
	if (!o)
		p[o++] = '/';
	p[o] = '\0';
}

/* path relative to root when it lies strictly inside it, else NULL. */
static const char *under(const char *path, const char *root)
{
	size_t rl = strlen(root);

	if (rl == 1 && root[0] == '/')
		return path[1] ? path + 1 : NULL;
	if (strncmp(path, root, rl) != 0 || path[rl] != '/' || !path[rl + 1])
		return NULL;
	return path + rl + 1;
}

/* Implements: FR-SAST-002 */
char *hw_sast_place(const char *path, const char *root, int *inside)
{
	char *abs, *out;
	const char *rel, *base;
	char real[PATH_MAX], real_root[PATH_MAX];

	if (!strncmp(path, "file://", 7))
		path += 7;
	/* already published (a SARIF log of ours read back) */
	if (hw_str_startswith(path, HW_SAST_OUTSIDE) &&
	    !strchr(path + strlen(HW_SAST_OUTSIDE), '/')) {
		*inside = 0;
		return hw_strdup(path);
	}
	abs = path[0] == '/' ? hw_strdup(path) : hw_path_join(root, path);
	if (!abs)
		return NULL;
	normalize(abs);
	rel = under(abs, root);
	/* a path through a symbolic link, or a root reached through one */
	/* hwledger-sast-ignore FF1026: both buffers are PATH_MAX, as realpath needs */
	if (!rel && realpath(abs, real) && realpath(root, real_root))
		rel = under(real, real_root);
	*inside = rel != NULL;
	base = strrchr(abs, '/') + 1;
	out = rel ? hw_strdup(rel)
		  : hw_path_join("<outside>", *base ? base : "unnamed");
	free(abs);
	return out;
}

/* A character that may end a path inside a message. */
static int path_end(char c)
{
	return !c || isspace((unsigned char)c) || strchr(":'\"`,;()[]<>", c);
}

/*
 * Absolute paths in messages and notes (gcc's analyzer path names every
 * file it went through): a token that starts with '/' after a blank, a
 * quote, a bracket, ':' or '=' and has two segments at least.
 */
int hw_sast_scrub(char **text, const char *root)
{
	const char *s = *text;
	hw_buf b;
	int changed = 0;

	hw_buf_init(&b, 0);
	for (size_t i = 0; s[i];) {
		size_t n = 0;

		if (s[i] == '/' && (!i || strchr(" \t\n'\"`([<:=", s[i - 1])) &&
		    (isalnum((unsigned char)s[i + 1]) || strchr("._-", s[i + 1])))
			while (!path_end(s[i + n]))
				n++;
		if (n && memchr(s + i + 1, '/', n - 1)) {
			char *tok = hw_strndup(s + i, n), *pub = NULL;
			int in;

			if (tok)
				pub = hw_sast_place(tok, root, &in);
			free(tok);
			if (!pub) {
				hw_buf_free(&b);
				return hw_error_oom();
			}
			hw_buf_append(&b, pub, strlen(pub));
			free(pub);
			i += n;
			changed = 1;
			continue;
		}
		hw_buf_append(&b, s + i, 1);
		i++;
	}
	if (changed) {
		char *t = hw_strndup(b.data ? b.data : "", b.len);

		if (!t) {
			hw_buf_free(&b);
			return hw_error_oom();
		}
		free(*text);
		*text = t;
	}
	hw_buf_free(&b);
	return HW_OK;
}

/* Implements: FR-SAST-002 */
int hw_finding_cmp_place(const void *a, const void *b)
{
	const hw_finding *x = *(const hw_finding *const *)a,
			 *y = *(const hw_finding *const *)b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x < y ? -1 : x > y;
}

static void attach_function(hw_finding *x, const hw_src_file *sf)
{
	long best = -1;
	char **frs = NULL;
	size_t n = 0;

	for (size_t i = 0; i < sf->nfuncs; i++)
		if (sf->funcs[i].first <= x->line && x->line <= sf->funcs[i].last &&
		    (best < 0 || sf->funcs[i].first > sf->funcs[best].first))
			best = (long)i;
	if (best < 0)
		return;
	free(x->function);
	x->function = hw_strdup(sf->funcs[best].name);
	for (size_t t = 0; t < sf->ntags; t++)
		if (sf->tags[t].func == best && sf->tags[t].kind == HW_TAG_IMPL &&
		    !sf->tags[t].malformed) {
			char **v = realloc(frs, (n + 2) * sizeof(*v));

			if (!v)
				break;
			frs = v;
			frs[n++] = hw_strdup(sf->tags[t].fr);
			frs[n] = NULL;
		}
	hw_strv_free(x->frs);
	x->frs = frs;
}

/* Resolves the n findings of one file, v[0..n). */
static void resolve_file(hw_diags *d, hw_finding **v, size_t n, int inside,
			 const char *root)
{
	char *full = NULL;
	hw_finding *first = v[0];
	const char *ext = strrchr(first->file, '.');
	hw_src_file sf;
	hw_buf b;
	lines L = {0};
	int have = 0;

	memset(&sf, 0, sizeof(sf));
	hw_buf_init(&b, SOURCE_MAX_BYTES);
	if (!*first->file) {
		/* no location: fingerprinted on rule and message alone */
	} else if (!inside) {
		hw_diags_add(d, HW_DIAG_WARNING, first->file, 0, 0,
			     "%zu finding%s in a file outside the repository "
			     "(kept, not mapped to FRs; its path is not "
			     "published)",
			     n, n == 1 ? "" : "s");
	} else if (!(full = hw_path_join(root, first->file)) ||
		   hw_file_read(&b, full, SOURCE_MAX_BYTES)) {
		hw_diags_add(d, HW_DIAG_WARNING, first->file, 0, 0,
			     "%zu finding%s in a file that cannot be read "
			     "(deleted since the analysis?)",
			     n, n == 1 ? "" : "s");
	} else if (lines_index(&L, b.data ? b.data : "", b.len) == HW_OK) {
		have = 1;
		sf.path = hw_strdup(first->file);
		sf.lang = hw_lang_of_text(first->file, b.data ? b.data : "",
					  b.len);
		if (!ext || sf.lang != HW_LANG_C || ext[1] == 'c' ||
		    ext[1] == 'h')
			hw_scan_text_all(&sf, b.data ? b.data : "", b.len);
	}
	for (size_t i = 0; i < n; i++) {
		hw_finding *x = v[i];
		size_t ln = 0;
		const char *line = NULL;

		if (have) {
			attach_function(x, &sf);
			line = line_at(&L, x->line, &ln);
			if (!line && x->line > 0)
				hw_diags_add(d, HW_DIAG_WARNING, x->file, x->line,
					     0,
					     "%s %s points past the end of the "
					     "file",
					     x->tool, x->rule);
			suppression(x, d, &L);
		}
		if (!*x->file)
			line = x->message, ln = strlen(x->message);
		fingerprint(x, line, ln);
	}
	hw_src_file_free(&sf);
	hw_buf_free(&b);
	free(L.start);
	free(full);
}

/*
 * One defect, several tools: findings on the same file and line from
 * different tools with the same CWE (or, where one of them names no CWE,
 * the same column) form a group, led by its most severe finding; so do
 * repeats of one finding by one tool (gcc reports some twice).
 */
static void group(hw_findings *f, hw_finding **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		hw_finding *x = v[i];

		for (size_t j = i; j-- > 0;) {
			const hw_finding *y = v[j];
			long yi = (long)(y - f->items);

			if (y->line != x->line || strcmp(y->file, x->file))
				break;
			if (y->group != yi)
				continue;
			if (!strcmp(y->tool, x->tool)
				    ? !strcmp(x->rule, y->rule) && x->col == y->col
				    : (x->cwe && x->cwe == y->cwe) ||
					      ((!x->cwe || !y->cwe) &&
					       x->col == y->col)) {
				x->group = yi;
				if (x->severity < y->severity) /* lead by the worst */
					for (size_t k = j; k <= i; k++)
						if (v[k]->group == yi)
							v[k]->group = (long)(x - f->items);
				break;
			}
		}
	}
}

/* A path step's or related place's file and message, published as the
 * finding's own (never an absolute path of this machine). */
static int place_steps(hw_sast_step *v, size_t n, const char *root)
{
	int err = HW_OK;

	for (size_t i = 0; i < n && !err; i++) {
		int in;
		char *pub = *v[i].file ? hw_sast_place(v[i].file, root, &in)
				       : NULL;

		if (*v[i].file && !pub)
			return hw_error_oom();
		if (pub) {
			free(v[i].file);
			v[i].file = pub;
		}
		err = hw_sast_scrub(&v[i].message, root);
	}
	return err;
}

/* Implements: FR-SAST-002, FR-SAST-003 */
int hw_sast_resolve(hw_findings *f, hw_diags *d, const char *root)
{
	char rootbuf[PATH_MAX];
	hw_finding **v;
	int *inside, err = HW_OK;

	if (!f->n)
		return HW_OK;
	if (!root) {
		if (!getcwd(rootbuf, sizeof(rootbuf)))
			return hw_error_set(HW_EIO, NULL, 0, 0,
					    "cannot read the working directory");
		root = rootbuf;
	}
	v = malloc(f->n * sizeof(*v));
	inside = malloc(f->n * sizeof(*inside));
	if (!v || !inside) {
		free(v);
		free(inside);
		return hw_error_oom();
	}
	for (size_t i = 0; i < f->n && !err; i++) {
		hw_finding *x = &f->items[i];
		char *pub = NULL;

		v[i] = x;
		inside[i] = 1;
		if (*x->file && !(pub = hw_sast_place(x->file, root, &inside[i])))
			err = hw_error_oom();
		if (pub) {
			free(x->file);
			x->file = pub;
		}
		if (!err)
			err = hw_sast_scrub(&x->message, root);
		if (!err)
			err = hw_sast_scrub(&x->notes, root);
		if (!err)
			err = place_steps(x->steps, x->nsteps, root);
		if (!err)
			err = place_steps(x->related, x->nrelated, root);
	}
	if (err) {
		free(v);
		free(inside);
		return err;
	}
	qsort(v, f->n, sizeof(*v), hw_finding_cmp_place);
	for (size_t i = 0, j; i < f->n; i = j) {
		for (j = i + 1; j < f->n && !strcmp(v[j]->file, v[i]->file); j++)
			;
		resolve_file(d, v + i, j - i, inside[v[i] - f->items], root);
	}
	group(f, v, f->n);
	free(v);
	free(inside);
	return HW_OK;
}

/* ---- baseline ------------------------------------------------------------ */

/* Implements: FR-SAST-004 */
int hw_sast_baseline_apply(hw_findings *f, const char *path)
{
	cJSON *root = NULL;
	const cJSON *list, *e;
	const char **fps;
	size_t n = 0;
	hw_buf t;
	int err;

	hw_buf_init(&t, 0);
	if ((err = hw_file_read(&t, path, (size_t)64 << 20)) ||
	    (err = hw_json_parse(&root, path, t.data ? t.data : "", t.len))) {
		hw_buf_free(&t);
		return err;
	}
	list = cJSON_GetObjectItemCaseSensitive(root, "findings");
	if (!cJSON_IsArray(list)) {
		long line = list ? hw_json_item_line(t.data, t.len, "findings",
						     -1)
				 : 1;

		cJSON_Delete(root);
		hw_buf_free(&t);
		return hw_error_set(HW_EINVAL, path, line, 0,
				    "a SAST baseline needs a \"findings\" "
				    "array");
	}
	fps = malloc(((size_t)cJSON_GetArraySize(list) + 1) * sizeof(*fps));
	if (!fps) {
		cJSON_Delete(root);
		hw_buf_free(&t);
		return hw_error_oom();
	}
	cJSON_ArrayForEach(e, list) {
		const cJSON *fp = cJSON_GetObjectItemCaseSensitive(e, "fingerprint");

		if (!cJSON_IsString(fp) || strlen(fp->valuestring) != 32) {
			/* at the entry's line, not the file's first */
			err = hw_error_set(HW_EINVAL, path,
					   hw_json_item_line(t.data, t.len,
							     "findings",
							     (long)n),
					   0,
					   "baseline entry %zu has no 32-digit "
					   "\"fingerprint\"",
					   n + 1);
			break;
		}
		fps[n++] = fp->valuestring;
	}
	if (!err) {
		qsort(fps, n, sizeof(*fps), hw_strp_cmp);
		for (size_t i = 0; i < f->n; i++) {
			const char *k = f->items[i].fingerprint;

			f->items[i].in_baseline =
				bsearch(&k, fps, n, sizeof(*fps), hw_strp_cmp) != NULL;
		}
	}
	free(fps);
	cJSON_Delete(root);
	hw_buf_free(&t);
	return err;
}

static int by_fingerprint(const void *a, const void *b)
{
	return strcmp((*(const hw_finding *const *)a)->fingerprint,
		      (*(const hw_finding *const *)b)->fingerprint);
}

/* Implements: FR-SAST-004 */
int hw_sast_baseline_write(const hw_findings *f, const char *path,
			   size_t *written)
{
	const hw_finding **v = malloc((f->n + 1) * sizeof(*v));
	size_t n = 0, kept = 0;
	hw_buf out;
	hw_jw w;
	int err;

	HW_CHECK_ALLOC(v);
	for (size_t i = 0; i < f->n; i++)
		if (!f->items[i].suppressed)
			v[n++] = &f->items[i];
	qsort(v, n, sizeof(*v), by_fingerprint);
	hw_buf_init(&out, (size_t)256 << 20);
	hw_jw_init(&w, &out, 1);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", "hwledger.sast-baseline/1");
	hw_jw_key(&w, "findings");
	hw_jw_array(&w);
	for (size_t i = 0; i < n; i++) {
		if (i && !strcmp(v[i]->fingerprint, v[i - 1]->fingerprint))
			continue;
		kept++;
		hw_jw_object(&w);
		hw_jw_kstr(&w, "fingerprint", v[i]->fingerprint);
		hw_jw_kstr(&w, "tool", v[i]->tool);
		hw_jw_kstr(&w, "rule", v[i]->rule);
		hw_jw_kstr(&w, "file", v[i]->file);
		hw_jw_kstr(&w, "function", v[i]->function);
		hw_jw_end(&w);
	}
	hw_jw_end(&w);
	hw_jw_end(&w);
	err = hw_jw_finish(&w);
	if (!err)
		err = hw_buf_append(&out, "\n", 1);
	if (!err)
		err = hw_file_write_atomic(path, out.data, out.len);
	if (!err && written)
		*written = kept;
	hw_buf_free(&out);
	free(v);
	return err;
}
