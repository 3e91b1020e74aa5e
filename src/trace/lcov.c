/*
 * lcov.c — lcov tracefiles (1.16 and 2.x): line counts per source file,
 * merged across records and files by summing (saturating at 2^64-1).
 *
 * Only DA records matter for the per-FR line coverage; function and branch
 * records are accepted and skipped, as are keys this reader does not know.
 * Counts are untrusted: a non-numeric count, a line number of 0 or past
 * HW_LCOV_MAX_LINE, a record without end_of_record and a path outside the
 * repository are each a diagnostic with the tracefile's line.
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

void hw_lcov_init(hw_lcov *c)
{
	memset(c, 0, sizeof(*c));
}

void hw_lcov_free(hw_lcov *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->files[i].path);
		free(c->files[i].counts);
		free(c->files[i].has);
	}
	free(c->files);
	free(c->slots);
	hw_lcov_init(c);
}

static size_t path_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return (size_t)h;
}

/*
 * A set of the paths outside the repository already warned about in one
 * tracefile (by their 64-bit hashes): `lcov --capture` writes a record of
 * a system header for every unit that includes it, and one warning per
 * path says as much. 1 when h was already in it, 0 when added, -1 out of
 * memory.
 */
typedef struct warned_set {
	uint64_t *h;
	size_t n, cap; /* cap: 0 or a power of two */
} warned_set;

static int warned_add(warned_set *w, uint64_t h)
{
	h |= 1; /* 0 is an empty slot */
	if ((w->n + 1) * 2 > w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		uint64_t *t = calloc(cap, sizeof(*t));

		if (!t)
			return -1;
		for (size_t i = 0; i < w->cap; i++)
			if (w->h[i]) {
				size_t k = (size_t)w->h[i] & (cap - 1);

				while (t[k])
					k = (k + 1) & (cap - 1);
				t[k] = w->h[i];
			}
		free(w->h);
		w->h = t;
		w->cap = cap;
	}
	for (size_t k = (size_t)h & (w->cap - 1);; k = (k + 1) & (w->cap - 1)) {
		if (w->h[k] == h)
			return 1;
		if (!w->h[k]) {
			w->h[k] = h;
			w->n++;
			return 0;
		}
	}
}

static int rehash(hw_lcov *c)
{
	size_t nslots = c->nslots ? c->nslots * 2 : 64;
	size_t *slots = calloc(nslots, sizeof(*slots));

	HW_CHECK_ALLOC(slots);
	for (size_t i = 0; i < c->n; i++) {
		const char *p = c->files[i].path;
		size_t h = path_hash(p, strlen(p)) & (nslots - 1);

		while (slots[h])
			h = (h + 1) & (nslots - 1);
		slots[h] = i + 1;
	}
	free(c->slots);
	c->slots = slots;
	c->nslots = nslots;
	return HW_OK;
}

static hw_lcov_file *find_n(const hw_lcov *c, const char *p, size_t n)
{
	size_t h;

	if (!c->nslots)
		return NULL;
	h = path_hash(p, n) & (c->nslots - 1);
	while (c->slots[h]) {
		hw_lcov_file *f = &c->files[c->slots[h] - 1];

		if (strncmp(f->path, p, n) == 0 && f->path[n] == '\0')
			return f;
		h = (h + 1) & (c->nslots - 1);
	}
	return NULL;
}

const hw_lcov_file *hw_lcov_find(const hw_lcov *c, const char *path)
{
	return find_n(c, path, strlen(path));
}

static int file_for(hw_lcov *c, const char *p, size_t n, hw_lcov_file **out)
{
	hw_lcov_file *f = find_n(c, p, n);
	int err;

	if (f) {
		*out = f;
		return HW_OK;
	}
	if ((c->n + 1) * 2 > c->nslots && (err = rehash(c)))
		return err;
	if (HW_ARRAY_GROW(c->files, c->n, c->cap))
		return HW_ENOMEM;
	f = &c->files[c->n];
	memset(f, 0, sizeof(*f));
	f->path = hw_strndup(p, n);
	HW_CHECK_ALLOC(f->path);
	{
		size_t h = path_hash(p, n) & (c->nslots - 1);

		while (c->slots[h])
			h = (h + 1) & (c->nslots - 1);
		c->slots[h] = ++c->n;
	}
	*out = f;
	return HW_OK;
}

static int add_count(hw_lcov_file *f, long line, uint64_t count)
{
	if (line >= f->nlines) {
		long n = f->nlines ? f->nlines : 64;
		uint64_t *counts;
		unsigned char *has;

		while (n <= line)
			n *= 2;
		counts = realloc(f->counts, (size_t)n * sizeof(*counts));
		HW_CHECK_ALLOC(counts);
		f->counts = counts;
		has = realloc(f->has, (size_t)n);
		HW_CHECK_ALLOC(has);
		f->has = has;
		memset(f->counts + f->nlines, 0,
		       (size_t)(n - f->nlines) * sizeof(*counts));
		memset(f->has + f->nlines, 0, (size_t)(n - f->nlines));
		f->nlines = n;
	}
	f->has[line] = 1;
	f->counts[line] = f->counts[line] > UINT64_MAX - count
				  ? UINT64_MAX
				  : f->counts[line] + count;
	return HW_OK;
}

/*
 * Writes p[0..n) into out (size HW_LCOV_PATH_MAX) with its "." and empty
 * segments dropped and each "NAME/.." removed, as gcov and lcov read
 * them: an out-of-tree build's "/repo/build/../src/a.c" is src/a.c. A
 * leading ".." of a relative path is kept (it climbs out); "/.." is "/".
 * Returns the new length, or -1 when the path does not fit (kept as is).
 */
#define HW_LCOV_PATH_MAX 4096
static long normalize_path(const char *p, size_t n, char *out)
{
	size_t o = 0, i = 0, keep = 0; /* keep: the ".." segments leading */
	int abs = n && p[0] == '/';

	if (n >= HW_LCOV_PATH_MAX)
		return -1;
	if (abs)
		out[o++] = '/';
	while (i < n) {
		size_t j = i;

		while (j < n && p[j] != '/')
			j++;
		if (j == i || (j - i == 1 && p[i] == '.')) {
			/* nothing to keep */
		} else if (j - i == 2 && p[i] == '.' && p[i + 1] == '.') {
			size_t base = abs ? 1 : 0, lead = base + keep * 3;

			if (o > lead) { /* drop the last segment */
				while (o > lead && out[o - 1] != '/')
					o--;
				if (o > base)
					o--; /* and its '/' */
			} else if (!abs) {
				if (o > base)
					out[o++] = '/';
				out[o++] = '.';
				out[o++] = '.';
				keep++;
			}
		} else {
			if (o > (size_t)abs)
				out[o++] = '/';
			memcpy(out + o, p + i, j - i);
			o += j - i;
		}
		i = j + 1;
	}
	out[o] = '\0';
	return (long)o;
}

/*
 * Whether the normalized path *p (*n bytes) is under root, made relative
 * to it when it is (a relative path is under it already). An absolute
 * path outside it may name the repository through a symbolic link (a
 * build in /ci/ws, a link to where the checkout is; root is the physical
 * working folder): the file's real path, when it exists, decides, written
 * into real (HW_LCOV_PATH_MAX bytes; NULL: *p is not a C string, and only
 * its text decides).
 */
static int under_root(const char **p, size_t *n, const char *root,
		      size_t rootn, char *real)
{
	char *rp;
	size_t rn;

	if (!*n || (*p)[0] != '/')
		return !(*n >= 2 && (*p)[0] == '.' && (*p)[1] == '.' &&
			 (*n == 2 || (*p)[2] == '/'));
	if (rootn && *n > rootn && (*p)[rootn] == '/' &&
	    memcmp(*p, root, rootn) == 0) {
		*p += rootn + 1;
		*n -= rootn + 1;
		return 1;
	}
	if (!rootn || !real)
		return 0;
	/* hwledger-sast-ignore FF1026: realpath allocates (NULL buffer) */
	if (!(rp = realpath(*p, NULL)))
		return 0;
	rn = strlen(rp);
	if (rn > rootn + 1 && rn < HW_LCOV_PATH_MAX && rp[rootn] == '/' &&
	    memcmp(rp, root, rootn) == 0) {
		memcpy(real, rp + rootn + 1, rn - rootn);
		*p = real;
		*n = rn - rootn - 1;
		free(rp);
		return 1;
	}
	free(rp);
	return 0;
}

/* Parses an unsigned decimal; 1 ok, 0 not a number, -1 overflow. */
static int parse_u64(const char *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned d;

		if (p[i] < '0' || p[i] > '9')
			return 0;
		d = (unsigned)(p[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 1;
}

/* Implements: FR-TRACE-003, FR-TRACE-017 */
int hw_lcov_parse(hw_lcov *c, hw_diags *diags, const char *file,
		  const char *text, size_t len, const char *root)
{
	hw_lcov_file *cur = NULL;
	int in_record = 0, skipping = 0, err = HW_OK;
	long line = 0, record_line = 0;
	size_t i = 0, rootn = root ? strlen(root) : 0;
	const char *nul = memchr(text, '\0', len);
	char norm[HW_LCOV_PATH_MAX], real[HW_LCOV_PATH_MAX] = "";
	long nn;
	warned_set warned = {NULL, 0, 0};
	size_t records_before = c->records;

	if (nul) {
		long l, col;

		hw_text_position(text, len, (size_t)(nul - text), &l, &col);
		return hw_diags_add(diags, HW_DIAG_ERROR, file, l, col,
				    "binary data (a NUL byte) in a tracefile");
	}
	while (i < len && !err) {
		const char *p = text + i, *nl = memchr(p, '\n', len - i);
		size_t n = nl ? (size_t)(nl - p) : len - i;

		i += n + 1;
		line++;
		if (n && p[n - 1] == '\r')
			n--;
		if (n == 0)
			continue;
		if (n >= 3 && memcmp(p, "SF:", 3) == 0) {
			const char *sp = p + 3;
			size_t sn = n - 3;

			if (in_record)
				err = hw_diags_add(diags, HW_DIAG_ERROR, file,
						   record_line, 0,
						   "record has no end_of_record "
						   "before the next SF (its "
						   "counts are kept)");
			in_record = 1;
			record_line = line;
			c->records++;
			skipping = 0;
			cur = NULL;
			nn = normalize_path(sp, sn, norm);
			if (nn >= 0) {
				sp = norm;
				sn = (size_t)nn;
			}
			if (!under_root(&sp, &sn, root, rootn,
					nn >= 0 ? real : NULL)) {
				/* as written, not as read */
				const char *w = p + 3;
				size_t wn = n - 3;
				int seen = warned_add(&warned,
						      path_hash(w, wn));

				if (seen < 0 && !err)
					err = hw_error_oom();
				if (!err && !seen)
					err = hw_diags_add(
						diags, HW_DIAG_WARNING, file,
						line, 0,
						"'%.*s' is outside the "
						"repository; its counts are "
						"not used",
						(int)(wn > 200 ? 200 : wn), w);
				skipping = 1;
				continue;
			}
			if (!sn) {
				if (!err)
					err = hw_diags_add(diags, HW_DIAG_ERROR,
							   file, line, 0,
							   "empty SF path");
				skipping = 1;
				continue;
			}
			if (!err)
				err = file_for(c, sp, sn, &cur);
			continue;
		}
		if (n == 13 && memcmp(p, "end_of_record", 13) == 0) {
			if (!in_record && !err)
				err = hw_diags_add(diags, HW_DIAG_ERROR, file,
						   line, 0,
						   "end_of_record without SF");
			in_record = 0;
			cur = NULL;
			continue;
		}
		if (n >= 3 && memcmp(p, "DA:", 3) == 0) {
			const char *a = p + 3, *comma = memchr(a, ',', n - 3);
			const char *cnt, *cend;
			uint64_t ln = 0, count = 0;
			int r1, r2;

			if (!in_record) {
				err = hw_diags_add(diags, HW_DIAG_ERROR, file,
						   line, 0, "DA outside a record "
							    "(no SF before it)");
				continue;
			}
			if (skipping)
				continue;
			if (!comma) {
				err = hw_diags_add(diags, HW_DIAG_ERROR, file,
						   line, 0,
						   "malformed DA: expected "
						   "DA:<line>,<count>");
				continue;
			}
			cnt = comma + 1;
			cend = memchr(cnt, ',', (size_t)(p + n - cnt));
			if (!cend)
				cend = p + n;
			r1 = parse_u64(a, (size_t)(comma - a), &ln);
			if (cend > cnt && *cnt == '-' &&
			    parse_u64(cnt + 1, (size_t)(cend - cnt - 1),
				      &count) != 0) {
				/* gcov's counters can race in threaded code
				 * and wrap below zero: the line's real count
				 * is unknown, so it is not counted as run */
				err = hw_diags_add(diags, HW_DIAG_WARNING, file,
						   line, 0,
						   "negative count '%.*s' in DA "
						   "(a gcov counter race); "
						   "treated as not run",
						   (int)(cend - cnt > 40 ? 40
									 : cend - cnt),
						   cnt);
				r2 = 1;
				count = 0;
			} else {
				r2 = parse_u64(cnt, (size_t)(cend - cnt),
					       &count);
			}
			/* coverage.py 6 writes "DA:0,1" for an empty file:
			 * no such line, nothing to count */
			if (r1 == 1 && ln == 0 && r2 == 1 && count == 1 &&
			    cur && cur->nlines == 0)
				continue;
			if (r1 != 1 || ln == 0 || ln > HW_LCOV_MAX_LINE) {
				err = hw_diags_add(diags, HW_DIAG_ERROR, file,
						   line, 0,
						   "bad line number '%.*s' in "
						   "DA (1 to %ld)",
						   (int)(comma - a > 40 ? 40
									: comma - a),
						   a, HW_LCOV_MAX_LINE);
				continue;
			}
			if (r2 == 0) {
				err = hw_diags_add(diags, HW_DIAG_ERROR, file,
						   line, 0,
						   "non-numeric count '%.*s' in "
						   "DA",
						   (int)(cend - cnt > 40 ? 40
									 : cend - cnt),
						   cnt);
				continue;
			}
			if (r2 < 0)
				count = UINT64_MAX; /* saturate, as merging */
			err = add_count(cur, (long)ln, count);
			continue;
		}
		/* TN, FN, FNDA, FNF, FNH, FNL, FNA, BRDA, BRF, BRH, LF, LH,
		 * VER and unknown keys carry nothing the trace uses */
	}
	if (!err && in_record)
		err = hw_diags_add(diags, HW_DIAG_ERROR, file, record_line, 0,
				   "record has no end_of_record (truncated "
				   "file? its counts are kept)");
	/* lcov --capture --no-external without --base-directory keeps no
	 * file of an out-of-tree build, and writes a file with no record */
	if (!err && c->records == records_before)
		err = hw_diags_add(diags, HW_DIAG_WARNING, file, 0, 0,
				   "no coverage record (SF:) in this "
				   "tracefile: it counts no line (lcov "
				   "--no-external keeps only the files under "
				   "its --directory and --base-directory)");
	free(warned.h);
	return err;
}

int hw_lcov_load(hw_lcov *c, hw_diags *diags, const char *path,
		 size_t max_bytes, const char *root)
{
	hw_buf b;
	int err;

	hw_buf_init(&b, max_bytes);
	err = hw_file_read(&b, path, max_bytes);
	if (!err)
		err = hw_lcov_parse(c, diags, path, b.data, b.len, root);
	else if (err != HW_ENOMEM)
		err = hw_diags_add_last_error(diags);
	hw_buf_free(&b);
	return err;
}
