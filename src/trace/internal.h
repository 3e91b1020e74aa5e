/*
 * internal.h — what the trace module's files share and nobody else sees:
 * the index cache (index.c) and the record encoding it stores.
 */
#ifndef HW_TRACE_INTERNAL_H
#define HW_TRACE_INTERNAL_H

#include "trace.h"

#include <sqlite3.h>

/* Bumped whenever the scanner's output for the same input changes. */
#define HW_INDEX_VERSION "hwledger-index/19"

typedef struct hw_index_row {
	char *path;
	long long size;
	long long mtime_ns;
	long long ctime_ns;
	char hash[17];
	unsigned char *blob;
	size_t blob_len;
} hw_index_row;

typedef struct hw_index {
	sqlite3 *db;
	hw_index_row *rows; /* sorted by path (byte order) */
	size_t n;
	int fresh; /* this open created it: filled without a journal */
} hw_index;

/* Opens (creating) the cache; a corrupt or foreign file is recreated. */
int hw_index_open(hw_index *ix, const char *path, hw_diags *diags);
const hw_index_row *hw_index_find(const hw_index *ix, const char *path);
/* Stores the records marked in dirty and drops rows of vanished files. */
int hw_index_store(hw_index *ix, const hw_src_file *files, size_t n,
		   const unsigned char *dirty);
void hw_index_close(hw_index *ix);

/*
 * The conditionals of a C or C++ file as both readers follow them
 * (specs/languages.md): the first branch of an `#if 0` is not read; the
 * other branches are all read while they stand between declarations, but
 * once one begins or ends inside a declaration or a body (a function's
 * head or an `if (a) {` written once per branch), the rest are not.
 */
typedef struct hw_cond {
	int skip;                  /* in a branch not read: 1 an `#if 0`'s,
				    * 2 to its #endif */
	size_t skip_depth;         /* #if nesting inside that branch */
	size_t nif;                /* open conditionals */
	unsigned long long single; /* bit i: conditional i began busy (deeper
				    * ones count as so) */
} hw_cond;

/* Steps c over the preprocessor line whose '#' is text[hash]; busy_if and
 * busy_else: whether the reader is inside a declaration or a body, as an
 * #if and as an #else would see it. Returns 1 for a conditional's line
 * (#if, #ifdef, #ifndef, #elif, #elifdef, #elifndef, #else, #endif). */
int hw_cond_directive(hw_cond *c, const char *text, size_t len, size_t hash,
		      int busy_if, int busy_else);

int hw_record_encode(hw_buf *out, const hw_src_file *f);
/* Fills f's tags, functions, notes and classes; HW_EINVAL when the blob is bad,
 * lines no scan gives (negative, a function ending before it starts)
 * included. */
int hw_record_decode(hw_src_file *f, const unsigned char *p, size_t n);

#endif
