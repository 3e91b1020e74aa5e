/*
 * jsonw.c — a streaming JSON writer. Output is valid JSON as long as the
 * strings given are UTF-8 (every input is validated before it gets here);
 * control characters, quotes and backslashes are escaped.
 */
#include "util.h"

#include <string.h>

void hw_jw_init(hw_jw *w, hw_buf *out, int pretty)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->pretty = pretty;
}

static void put(hw_jw *w, const char *p, size_t n)
{
	if (!w->err)
		w->err = hw_buf_append(w->out, p, n);
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

static void put_string(hw_jw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;

	put(w, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6] = {'\\', 0, 0, 0, 0, 0};
		size_t elen = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(w, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
		}
		put(w, esc, elen);
	}
	put(w, s + run, n - run);
	put(w, "\"", 1);
}

void hw_jw_key(hw_jw *w, const char *key)
{
	before_value(w);
	put_string(w, key, strlen(key));
	put(w, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
	w->after_key = 1;
}

void hw_jw_strn(hw_jw *w, const char *s, size_t n)
{
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
	char num[32];
	int n = snprintf(num, sizeof(num), "%lld", v);

	before_value(w);
	put(w, num, (size_t)n);
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
