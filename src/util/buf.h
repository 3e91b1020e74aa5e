/*
 * util/buf.h — growable byte buffers with hard caps, growable arrays and
 * strings.
 */
#ifndef HW_UTIL_BUF_H
#define HW_UTIL_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct hw_buf {
	char *data;  /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
	size_t max;  /* hard limit on len; appends beyond it fail HW_ETOOBIG */
} hw_buf;

#define HW_BUF_DEFAULT_MAX ((size_t)1 << 30)

void hw_buf_init(hw_buf *b, size_t max);
int hw_buf_append(hw_buf *b, const void *p, size_t n);
/* Makes room for extra more bytes (plus the NUL) without changing len;
 * extra may reach the cap by one byte, so a reader can detect overflow. */
int hw_buf_reserve(hw_buf *b, size_t extra);
int hw_buf_puts(hw_buf *b, const char *s);
int hw_buf_putc(hw_buf *b, char c);
int hw_buf_printf(hw_buf *b, const char *fmt, ...)
	/* hwledger-sast-ignore FF1016: format checked by -Wformat=2 */
	__attribute__((format(printf, 2, 3)));
void hw_buf_clear(hw_buf *b);

/* A data file compiled into the binary by ci/embed.sh (the site's theme,
 * the planner's default catalogs): its base name, bytes and length. */
typedef struct hw_embedded {
	const char *name;
	const char *data;
	size_t len;
} hw_embedded;
char *hw_buf_detach(hw_buf *b); /* caller frees; buffer is reset */
void hw_buf_free(hw_buf *b);

/*
 * Makes room for at least one more item in an array of n items of size
 * bytes at *items (a T **, passed as void *) with room for *cap: when
 * n == *cap, the room doubles (to first, from none). Returns HW_OK, or
 * HW_ENOMEM with the message set and the array as it was.
 */
int hw_array_grow(void *items, size_t *cap, size_t n, size_t size,
		  size_t first);

/* The usual call: HW_ARRAY_GROW(list, n, cap) before list[n++] = x. */
#define HW_ARRAY_GROW(arr, n, cap) \
	hw_array_grow(&(arr), &(cap), (n), sizeof(*(arr)), 16)

/* The "s" of a count's noun: "1 error", "2 errors", "0 errors". */
#define HW_S(n) ((n) == 1 ? "" : "s")

char *hw_strdup(const char *s);
char *hw_strndup(const char *s, size_t n);
int hw_str_startswith(const char *s, const char *prefix);
int hw_str_endswith(const char *s, const char *suffix);
/* Reads the decimal digits at s (one at least; no sign, no space) into *v;
 * returns the end of the digits, or NULL when there are none or the number
 * does not fit in 64 bits. */
const char *hw_str_u64(const char *s, uint64_t *v);
/* The first occurrence of needle in haystack, ignoring ASCII case. */
const char *hw_strcasestr(const char *haystack, const char *needle);

/*
 * Checks that p[0..n) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF). Returns 1 when valid; otherwise 0 and *bad is the
 * offset of the first bad byte.
 */
int hw_utf8_valid(const char *p, size_t n, size_t *bad);

/* Line and column (1-based) of byte offset off in p[0..n). */
void hw_text_position(const char *p, size_t n, size_t off, long *line,
		      long *col);

#endif
