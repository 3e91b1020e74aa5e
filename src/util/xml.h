/*
 * util/xml.h — reading untrusted XML reports through expat.
 */
#ifndef HW_UTIL_XML_H
#define HW_UTIL_XML_H

#include <stddef.h>

#include "error.h"

/*
 * A streaming read of an untrusted XML report: a DOCTYPE (and so any entity)
 * is refused, parameter entities are never parsed, nesting is capped at 64;
 * each problem is one diagnostic in diags at FILE:LINE:COL and stops the
 * parse. The callbacks see elements and text; they call hw_xml_fail (a
 * diagnostic) or hw_xml_stop (another error, such as HW_ENOMEM).
 */
typedef struct hw_xml hw_xml;
struct hw_xml {
	void *xp;               /* the expat parser, during hw_xml_parse */
	hw_diags *diags;
	const char *file;
	const char *what;       /* "test reports", "analyzer reports" */
	void *ud;               /* the caller's state */
	void (*start)(hw_xml *x, const char *el, const char **atts);
	void (*end)(hw_xml *x, const char *el);
	void (*text)(hw_xml *x, const char *s, size_t len);
	int depth;
	int err;                /* HW_EINVAL after a diagnostic */
};

/* 0, HW_EINVAL (a diagnostic was added), or the error a callback set. */
int hw_xml_parse(hw_xml *x, const char *text, size_t len);
void hw_xml_fail(hw_xml *x, const char *fmt, ...)
	/* hwledger-sast-ignore FF1016: format checked by -Wformat=2 */
	__attribute__((format(printf, 2, 3)));
void hw_xml_stop(hw_xml *x, int err);
const char *hw_xml_attr(const char **atts, const char *key);
long hw_xml_line(const hw_xml *x);

#endif
