/*
 * model.c — the requirement model: levels with their ID patterns, and the
 * custom attributes a requirement may carry (specs/fr-format.md, "Levels").
 * The model is read from traceability/config.json (trace/config.c); the
 * parser and the linker only look IDs up in it.
 */
#include "frs.h"

#include <stdlib.h>
#include <string.h>

void hw_frs_model_free(hw_frs_model *m)
{
	for (size_t i = 0; i < m->nlevels; i++) {
		free(m->levels[i].name);
		free(m->levels[i].ids);
		free(m->levels[i].dir);
		regfree(&m->levels[i].re);
	}
	for (size_t i = 0; i < m->nattrs; i++) {
		free(m->attrs[i].name);
		hw_strv_free(m->attrs[i].values);
	}
	free(m->levels);
	free(m->attrs);
	memset(m, 0, sizeof(*m));
}

/* Implements: FR-FRS-008 */
int hw_frs_model_level(const hw_frs_model *m, const char *id, int *second)
{
	int found = -1;

	if (!m || !m->nlevels)
		return hw_fr_id_valid(id) ? 0 : -1;
	for (size_t i = 0; i < m->nlevels; i++) {
		regmatch_t at;

		/* the whole ID: an ERE match is the longest of the leftmost,
		 * so one that spans the ID is found when there is one */
		if (regexec(&m->levels[i].re, id, 1, &at, 0) != 0 ||
		    at.rm_so != 0 || (size_t)at.rm_eo != strlen(id))
			continue;
		if (found >= 0) {
			if (second)
				*second = (int)i;
			return -2;
		}
		found = (int)i;
	}
	return found;
}

/* Implements: FR-FRS-008 */
size_t hw_req_id_len(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] >= 'A' && s[i] <= 'Z')
		i++;
	if (i < 2 || i >= n || s[i] != '-')
		return 0;
	i++;
	while (i < n && ((s[i] >= 'A' && s[i] <= 'Z') ||
			 (s[i] >= 'a' && s[i] <= 'z') ||
			 (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
			 s[i] == '-'))
		i++;
	/* "SYS-" or "SYS-1-" is no ID: it ends in a letter or digit */
	while (i > 0 && (s[i - 1] == '-' || s[i - 1] == '_'))
		i--;
	return s[i - 1] == '-' || i <= 3 ? 0 : i;
}
