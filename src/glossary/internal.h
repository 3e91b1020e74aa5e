/*
 * internal.h — what the glossary module's files share.
 */
#ifndef HW_GLOSSARY_INTERNAL_H
#define HW_GLOSSARY_INTERNAL_H

#include "glossary.h"

/* Appends a copy of s[0..n) to the NULL-terminated vector *v. */
int hw_gentry_strv_add(char ***v, const char *s, size_t n);
int hw_gentry_add_def(hw_gentry *e, const char *text, const char *file,
		      long line);
/* Adds an alias unless the entry already has that name or alias. */
int hw_gentry_add_alias(hw_gentry *e, const char *s, size_t n);
int hw_gentry_add_source(hw_gentry *e, const char *file, long line);
void hw_gentry_free(hw_gentry *e);
/* The first of v[0..count), children included, named name[0..n). */
const hw_gentry *hw_gentry_find(const hw_gentry *v, size_t count,
				 const char *name, size_t n);
/* Names equal ignoring case, with '-', '_' and spaces alike. */
int hw_gname_eq(const char *a, size_t an, const char *b, size_t bn);

#endif
