/*
 * use.c — what counts as a use of a glossary term in text: its name or
 * alias as a whole word, ASCII case ignored, a hyphen or a line break
 * between two words the same as a space, or the plural of the name's last word (an
 * acronym's version number: "HTML5")
 * (specs/glossary-import.md, "Uses"). The lint's "used nowhere",
 * the backlinks and the site's term links all ask here, so they agree.
 */
#include "internal.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Two letters or more and no lower-case one: "GPU", "KV", "IT". */
static int acronym(const char *name, size_t len)
{
	size_t caps = 0;

	for (size_t i = 0; i < len; i++) {
		if (islower((unsigned char)name[i]))
			return 0;
		caps += isupper((unsigned char)name[i]) ? 1 : 0;
	}
	return caps >= 2;
}

/* "Library" -> "libraries": a consonant and a final y, not an acronym. */
static int y_plural(const char *name, size_t len)
{
	unsigned char c;

	if (len < 2 || tolower((unsigned char)name[len - 1]) != 'y')
		return 0;
	c = (unsigned char)tolower((unsigned char)name[len - 2]);
	return isalpha(c) && !strchr("aeiou", c) && !acronym(name, len);
}

/* Between two words: a space or a hyphen, in the text also a line break
 * (Markdown wraps its lines where it likes). */
static int separator(unsigned char c, int text)
{
	return c == ' ' || c == '-' || (text && c == '\n');
}

/*
 * 1 when p[0..len) spells name[0..len), ASCII case ignored when fold is
 * set: a space or a hyphen between two words of the name matches a space,
 * a hyphen or a line break in the text ("KV-cache" spells "KV cache"),
 * one for one.
 */
static int spells(const char *p, const char *name, size_t len, int fold)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char a = (unsigned char)p[i],
			      b = (unsigned char)name[i];

		if (a == b || (fold && tolower(a) == tolower(b)))
			continue;
		if (!separator(a, 1) || !separator(b, 0) || i == 0 ||
		    i + 1 >= len ||
		    !hw_glossary_word_char((unsigned char)name[i - 1]) ||
		    !hw_glossary_word_char((unsigned char)name[i + 1]))
			return 0;
	}
	return 1;
}

static int ends(const char *p, size_t n, size_t at)
{
	return at == n || !hw_glossary_word_char((unsigned char)p[at]);
}

size_t hw_glossary_use_stem(const char *name, size_t len)
{
	return y_plural(name, len) ? len - 1 : len;
}

/* Implements: FR-GLOSS-003 */
size_t hw_glossary_use(const char *p, size_t n, const char *name, size_t len)
{
	size_t u;

	if (!len)
		return 0;
	if (len <= n && spells(p, name, len, 1)) {
		if (ends(p, n, len))
			return len;
		if (!isalpha((unsigned char)name[len - 1]))
			return 0; /* "X.509", "C++": no plural */
		if (acronym(name, len)) { /* "GPUs", never "its" for "IT" */
			size_t v = len;

			if (!spells(p, name, len, 0))
				return 0;
			if (p[len] == 's')
				return ends(p, n, len + 1) ? len + 1 : 0;
			/* "HTML5": a version in place of the plural */
			while (v < n && isdigit((unsigned char)p[v]))
				v++;
			return v > len && ends(p, n, v) ? v : 0;
		}
		u = len + (tolower((unsigned char)p[len]) == 'e');
		if (u < n && tolower((unsigned char)p[u]) == 's' &&
		    ends(p, n, u + 1))
			return u + 1;
	}
	if (y_plural(name, len) && len + 2 <= n &&
	    spells(p, name, len - 1, 1) &&
	    strncasecmp(p + len - 1, "ies", 3) == 0 && ends(p, n, len + 2))
		return len + 2;
	return 0;
}

/* Implements: FR-GLOSS-003 */
int hw_glossary_used_in(const char *text, size_t n, const char *name)
{
	size_t len = strlen(name), stem = hw_glossary_use_stem(name, len);
	const char *end = text + n;

	if (!len)
		return 0;
	for (const char *p = text; p + stem <= end; p++) {
		if (tolower((unsigned char)*p) !=
			    tolower((unsigned char)*name) ||
		    !spells(p, name, stem, 1) ||
		    (p > text && hw_glossary_word_char((unsigned char)p[-1])))
			continue;
		if (hw_glossary_use(p, (size_t)(end - p), name, len))
			return 1;
	}
	return 0;
}
