/*
 * jsonw.c — a streaming JSON writer. Output is valid JSON as long as the
 * strings given are UTF-8 (every input is validated before it gets here);
 * control characters, quotes and backslashes are escaped.
 */
#include "util.h"

#include <stdint.h>
#include <string.h>

void hw_jw_init(hw_jw *w, hw_buf *out, int pretty)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->pretty = pretty;
}

void hw_jw_spill_to(hw_jw *w, FILE *f)
{
	w->spill = f;
}

#define SPILL_AT ((size_t)1 << 20)

/* Writes out the buffer to the spill file once it holds SPILL_AT bytes. */
static void spill(hw_jw *w)
{
	hw_buf *b = w->out;

	if (!w->spill || b->len < SPILL_AT || w->err)
		return;
	if (fwrite(b->data, 1, b->len, w->spill) != b->len)
		w->err = hw_error_set(HW_EIO, NULL, 0, 0,
				      "cannot write the output");
	b->len = 0;
	b->data[0] = '\0';
}

static void put(hw_jw *w, const char *p, size_t n)
{
	hw_buf *b = w->out;

	spill(w);
	if (w->err)
		return;
	/* the common case, room already there: no call, no checks twice */
	if (n && b->data && n < b->cap - b->len && n <= b->max - b->len) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return;
	}
	w->err = hw_buf_append(b, p, n);
}

/*
 * The fast path: room for up to n more bytes in one check, then the bytes
 * are written straight into the buffer and committed with commit(). NULL
 * when the buffer would have to pass its cap for the worst case; the caller
 * then takes the piece-by-piece path, which reports the cap exactly.
 */
static char *room(hw_jw *w, size_t n)
{
	hw_buf *b = w->out;

	spill(w);
	if (w->err || n > b->max - b->len)
		return NULL;
	if (n >= b->cap - b->len && hw_buf_reserve(b, n))
		return NULL;
	return b->data + b->len;
}

static void commit(hw_jw *w, char *end)
{
	hw_buf *b = w->out;

	b->len = (size_t)(end - b->data);
	b->data[b->len] = '\0';
}

/* The separator, newline and indentation before a value; at most
 * 2 + 2 * depth bytes. */
static char *sep(hw_jw *w, char *p)
{
	if (w->after_key) {
		w->after_key = 0;
		return p;
	}
	if (w->depth == 0)
		return p;
	if (w->count[w->depth - 1])
		*p++ = ',';
	w->count[w->depth - 1] = 1;
	if (w->pretty) {
		*p++ = '\n';
		memset(p, ' ', (size_t)w->depth * 2);
		p += (size_t)w->depth * 2;
	}
	return p;
}

/* s escaped for a JSON string; at most 6 * n bytes. */
static char *escape(char *p, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\') {
			*p++ = (char)c;
			continue;
		}
		*p++ = '\\';
		switch (c) {
		case '"': *p++ = '"'; break;
		case '\\': *p++ = '\\'; break;
		case '\n': *p++ = 'n'; break;
		case '\r': *p++ = 'r'; break;
		case '\t': *p++ = 't'; break;
		case '\b': *p++ = 'b'; break;
		case '\f': *p++ = 'f'; break;
		default:
			*p++ = 'u';
			*p++ = '0';
			*p++ = '0';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	return p;
}

/* s as a quoted, escaped JSON string; at most 6 * n + 2 bytes. */
static char *quote(char *p, const char *s, size_t n)
{
	*p++ = '"';
	p = escape(p, s, n);
	*p++ = '"';
	return p;
}

/* Separator, then s quoted, then tail: in one step when there is room. */
static int fast_string(hw_jw *w, const char *s, size_t n, const char *tail,
		       size_t tn)
{
	char *p;

	if (n > (SIZE_MAX - 64) / 8 || w->depth > HW_JW_MAX_DEPTH ||
	    !(p = room(w, 2 + (size_t)w->depth * 2 + 6 * n + 2 + tn)))
		return 0;
	p = quote(sep(w, p), s, n);
	memcpy(p, tail, tn);
	commit(w, p + tn);
	return 1;
}

static void newline(hw_jw *w)
{
	static const char spaces[] = "                                ";

	if (!w->pretty)
		return;
	put(w, "\n", 1);
	for (int d = w->depth; d > 0; d -= 16)
		put(w, spaces, (size_t)(d > 16 ? 16 : d) * 2);
}

/* Separator and indentation before a value or a key. */
static void before_value(hw_jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0) {
		if (w->count[w->depth - 1])
			put(w, ",", 1);
		w->count[w->depth - 1] = 1;
		newline(w);
	}
}

static void open_container(hw_jw *w, char open, char close)
{
	before_value(w);
	if (w->depth >= HW_JW_MAX_DEPTH) {
		if (!w->err)
			w->err = hw_error_set(HW_EINVAL, NULL, 0, 0,
					      "JSON nested too deeply");
		return;
	}
	put(w, &open, 1);
	w->count[w->depth] = 0;
	w->close[w->depth++] = close;
}

void hw_jw_object(hw_jw *w)
{
	open_container(w, '{', '}');
}

void hw_jw_array(hw_jw *w)
{
	open_container(w, '[', ']');
}

void hw_jw_end(hw_jw *w)
{
	int had;

	if (w->depth == 0) {
		if (!w->err)
			w->err = hw_error_set(HW_EINVAL, NULL, 0, 0,
					      "JSON writer: unbalanced end");
		return;
	}
	had = w->count[--w->depth];
	if (had)
		newline(w);
	put(w, &w->close[w->depth], 1);
}

/* The piece-by-piece path: s escaped a chunk at a time. */
static void put_string(hw_jw *w, const char *s, size_t n)
{
	char chunk[6 * 256];

	put(w, "\"", 1);
	for (size_t i = 0; i < n; i += 256) {
		size_t k = n - i < 256 ? n - i : 256;

		put(w, chunk, (size_t)(escape(chunk, s + i, k) - chunk));
	}
	put(w, "\"", 1);
}

void hw_jw_key(hw_jw *w, const char *key)
{
	size_t n = strlen(key);

	if (fast_string(w, key, n, w->pretty ? ": " : ":", w->pretty ? 2 : 1)) {
		w->after_key = 1;
		return;
	}
	put_string(w, key, n);
	put(w, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
	w->after_key = 1;
}

void hw_jw_strn(hw_jw *w, const char *s, size_t n)
{
	if (fast_string(w, s, n, "", 0))
		return;
	before_value(w);
	put_string(w, s, n);
}

void hw_jw_str(hw_jw *w, const char *s)
{
	if (!s) {
		hw_jw_null(w);
		return;
	}
	hw_jw_strn(w, s, strlen(s));
}

void hw_jw_int(hw_jw *w, long long v)
{
	char num[24], *q = num + sizeof(num), *p;
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v
				     : (unsigned long long)v;

	/* digits from the right: snprintf was a tenth of a large listing */
	do
		*--q = (char)('0' + u % 10);
	while ((u /= 10));
	if (v < 0)
		*--q = '-';
	if ((p = room(w, 2 + (size_t)w->depth * 2 + sizeof(num)))) {
		p = sep(w, p);
		memcpy(p, q, (size_t)(num + sizeof(num) - q));
		commit(w, p + (num + sizeof(num) - q));
		return;
	}
	before_value(w);
	put(w, q, (size_t)(num + sizeof(num) - q));
}

void hw_jw_raw(hw_jw *w, const char *json, size_t n)
{
	before_value(w);
	put(w, json, n);
}

void hw_jw_bool(hw_jw *w, int v)
{
	before_value(w);
	put(w, v ? "true" : "false", v ? 4 : 5);
}

void hw_jw_null(hw_jw *w)
{
	before_value(w);
	put(w, "null", 4);
}

void hw_jw_kstr(hw_jw *w, const char *key, const char *s)
{
	hw_jw_key(w, key);
	hw_jw_str(w, s);
}

void hw_jw_kint(hw_jw *w, const char *key, long long v)
{
	hw_jw_key(w, key);
	hw_jw_int(w, v);
}

void hw_jw_kbool(hw_jw *w, const char *key, int v)
{
	hw_jw_key(w, key);
	hw_jw_bool(w, v);
}

int hw_jw_finish(hw_jw *w)
{
	if (!w->err && w->depth != 0)
		w->err = hw_error_set(HW_EINVAL, NULL, 0, 0,
				      "JSON writer: %d unclosed containers",
				      w->depth);
	if (w->pretty)
		put(w, "\n", 1);
	return w->err;
}

void hw_jw_fork(const hw_jw *w, hw_jw *part, hw_buf *out)
{
	*part = *w;
	part->out = out;
	part->spill = NULL;
	part->err = HW_OK;
	if (part->depth > 0)
		part->count[part->depth - 1] = 0; /* join adds the comma */
}

void hw_jw_join(hw_jw *w, const hw_jw *part)
{
	if (!w->err && part->err)
		w->err = part->err;
	if (w->err || !part->out->len)
		return;
	if (w->depth > 0 && w->count[w->depth - 1])
		put(w, ",", 1);
	put(w, part->out->data, part->out->len);
	if (w->depth > 0)
		w->count[w->depth - 1] = 1;
}
