/*
 * buf.c — growable byte buffers with a hard cap, growable arrays, and
 * small string helpers.
 *
 * Modelled on curl's dynbuf: every buffer that grows from untrusted input has
 * a maximum, and reaching it is a clear HW_ETOOBIG error rather than an
 * unbounded allocation.
 */
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int hw_array_grow(void *items, size_t *cap, size_t n, size_t size,
		  size_t first)
{
	void *old, *grown;
	size_t room;

	if (n < *cap)
		return HW_OK;
	room = *cap ? *cap * 2 : first ? first : 1;
	if (room < n + 1 || room > SIZE_MAX / size) /* n was no array's */
		return hw_error_oom();
	/* items is a T **: read and written as bytes, whatever T is */
	memcpy(&old, items, sizeof(old));
	if (!(grown = realloc(old, room * size)))
		return hw_error_oom();
	memcpy(items, &grown, sizeof(grown));
	*cap = room;
	return HW_OK;
}

void hw_buf_init(hw_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : HW_BUF_DEFAULT_MAX;
}

/* Grows the allocation to hold len + extra bytes and a NUL. */
static int buf_grow(hw_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1, cap;
	char *data;

	if (need <= b->cap)
		return HW_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	data = realloc(b->data, cap);
	HW_CHECK_ALLOC(data);
	b->data = data;
	b->cap = cap;
	/* the invariant: data, once there, is a string (a buffer given room
	 * and then nothing stays "") */
	data[b->len] = '\0';
	return HW_OK;
}

/* Implements: FR-CLI-007 */
static int buf_reserve(hw_buf *b, size_t extra)
{
	if (extra > b->max || b->len > b->max - extra)
		return hw_error_set(HW_ETOOBIG, NULL, 0, 0,
				    "buffer limit of %zu bytes reached",
				    b->max);
	return buf_grow(b, extra);
}

/* Implements: FR-CLI-007 */
int hw_buf_reserve(hw_buf *b, size_t extra)
{
	if (extra > b->max + 1 || b->len > b->max + 1 - extra)
		return hw_error_set(HW_ETOOBIG, NULL, 0, 0,
				    "buffer limit of %zu bytes reached",
				    b->max);
	return buf_grow(b, extra);
}

int hw_buf_append(hw_buf *b, const void *p, size_t n)
{
	int err = buf_reserve(b, n);

	if (err)
		return err;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return HW_OK;
}

int hw_buf_puts(hw_buf *b, const char *s)
{
	return hw_buf_append(b, s, strlen(s));
}

int hw_buf_putc(hw_buf *b, char c)
{
	return hw_buf_append(b, &c, 1);
}

int hw_buf_printf(hw_buf *b, const char *fmt, ...)
{
	va_list ap;
	size_t room = 0;
	int n, err;

	/* format straight into the free space; measure only when it is short
	 * (most calls fit, and the second pass costs as much as the first) */
	if (b->data && b->cap > b->len + 1)
		room = b->cap - b->len;
	va_start(ap, fmt);
	/* hwledger-sast-ignore FF1019: the caller's format, checked by -Wformat=2 */
	n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return hw_error_set(HW_EINVAL, NULL, 0, 0, "bad format");
	if ((size_t)n < room && b->len + (size_t)n <= b->max) {
		b->len += (size_t)n;
		return HW_OK;
	}
	if (room)
		b->data[b->len] = '\0'; /* undo the partial write */
	err = buf_reserve(b, (size_t)n);
	if (err)
		return err;
	va_start(ap, fmt);
	/* hwledger-sast-ignore FF1019: the caller's format, checked by -Wformat=2 */
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return HW_OK;
}

void hw_buf_clear(hw_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *hw_buf_detach(hw_buf *b)
{
	char *data = b->data;

	if (!data)
		data = calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	return data;
}

void hw_buf_free(hw_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *hw_strdup(const char *s)
{
	return hw_strndup(s, strlen(s));
}

char *hw_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int hw_str_startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *hw_str_u64(const char *s, uint64_t *v)
{
	const char *p = s;

	*v = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (*v > (UINT64_MAX - d) / 10)
			return NULL;
		*v = *v * 10 + d;
	}
	return p > s ? p : NULL;
}

int hw_str_endswith(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Implements: FR-FRS-006 */
const char *hw_strcasestr(const char *h, const char *n)
{
	size_t nl = strlen(n);

	if (!nl)
		return h;
	for (; *h; h++) {
		size_t i = 0;

		while (i < nl && h[i] &&
		       tolower((unsigned char)h[i]) ==
			       tolower((unsigned char)n[i]))
			i++;
		if (i == nl)
			return h;
	}
	return NULL;
}

int hw_utf8_valid(const char *p, size_t n, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		size_t len;
		unsigned min, cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
			min = 0x80;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			min = 0x800;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			min = 0x10000;
			cp = c & 0x07;
		} else {
			goto invalid;
		}
		if (n - i < len)
			goto invalid;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				goto invalid;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			goto invalid;
		i += len;
	}
	return 1;
invalid:
	if (bad)
		*bad = i;
	return 0;
}

/* Implements: FR-CLI-005 */
void hw_text_position(const char *p, size_t n, size_t off, long *line,
		      long *col)
{
	long l = 1, c = 1;

	if (off > n)
		off = n;
	for (size_t i = 0; i < off; i++) {
		if (p[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)p[i] & 0xC0) != 0x80) {
			c++; /* count characters, not continuation bytes */
		}
	}
	*line = l;
	*col = c;
}
