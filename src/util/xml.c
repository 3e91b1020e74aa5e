/*
 * xml.c — expat, hardened once for every report hwledger reads (JUnit,
 * cmocka, cppcheck): a DOCTYPE is refused, so no entity can be declared and
 * nothing can expand (no billion laughs, no external entities); parameter
 * entities are never parsed; nesting is capped; every problem is a
 * diagnostic at the parser's line and column, and stops the parse.
 */
#include "util.h"

#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define XML_MAX_DEPTH 64

/* Implements: FR-CLI-005 */
void hw_xml_fail(hw_xml *x, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (x->err)
		return;
	va_start(ap, fmt);
	/* hwledger-sast-ignore FF1019: the caller's format, checked by -Wformat=2 */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	x->err = hw_diags_add(x->diags, HW_DIAG_ERROR, x->file,
			      (long)XML_GetCurrentLineNumber(x->xp),
			      (long)XML_GetCurrentColumnNumber(x->xp) + 1, "%s",
			      msg);
	if (!x->err)
		x->err = HW_EINVAL;
	XML_StopParser(x->xp, XML_FALSE);
}

void hw_xml_stop(hw_xml *x, int err)
{
	if (x->err)
		return;
	x->err = err;
	XML_StopParser(x->xp, XML_FALSE);
}

const char *hw_xml_attr(const char **atts, const char *key)
{
	for (int i = 0; atts[i]; i += 2)
		if (!strcmp(atts[i], key))
			return atts[i + 1];
	return NULL;
}

long hw_xml_line(const hw_xml *x)
{
	return (long)XML_GetCurrentLineNumber(x->xp);
}

static void XMLCALL on_start(void *ud, const XML_Char *el,
			     const XML_Char **atts)
{
	hw_xml *x = ud;

	if (x->err)
		return;
	if (++x->depth > XML_MAX_DEPTH) {
		hw_xml_fail(x, "XML nested deeper than %d elements",
			    XML_MAX_DEPTH);
		return;
	}
	if (x->start)
		x->start(x, el, atts);
}

static void XMLCALL on_end(void *ud, const XML_Char *el)
{
	hw_xml *x = ud;

	x->depth--;
	if (!x->err && x->end)
		x->end(x, el);
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	hw_xml *x = ud;

	if (!x->err && x->text && len > 0)
		x->text(x, s, (size_t)len);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name,
			       const XML_Char *sysid, const XML_Char *pubid,
			       int has_internal)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal;
	hw_xml_fail(ud, "DOCTYPE refused: %s may not declare entities",
		    ((hw_xml *)ud)->what);
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param,
			      const XML_Char *value, int value_length,
			      const XML_Char *base, const XML_Char *sysid,
			      const XML_Char *pubid, const XML_Char *notation)
{
	(void)is_param;
	(void)value;
	(void)value_length;
	(void)base;
	(void)sysid;
	(void)pubid;
	(void)notation;
	hw_xml_fail(ud, "entity declaration refused: %s", name);
}

/* Implements: FR-CLI-005, FR-CLI-007 */
int hw_xml_parse(hw_xml *x, const char *text, size_t len)
{
	int ok;

	x->err = 0;
	x->depth = 0;
	if (len > 0x7fffffff) {
		int e = hw_diags_add(x->diags, HW_DIAG_ERROR, x->file, 0, 0,
				     "XML over 2 GiB");

		return e ? e : HW_EINVAL;
	}
	x->xp = XML_ParserCreate("UTF-8");
	HW_CHECK_ALLOC(x->xp);
	XML_SetUserData(x->xp, x);
	XML_SetElementHandler(x->xp, on_start, on_end);
	XML_SetCharacterDataHandler(x->xp, on_text);
	XML_SetStartDoctypeDeclHandler(x->xp, on_doctype);
	XML_SetEntityDeclHandler(x->xp, on_entity);
	XML_SetParamEntityParsing(x->xp, XML_PARAM_ENTITY_PARSING_NEVER);
	ok = XML_Parse(x->xp, text, (int)len, XML_TRUE) == XML_STATUS_OK;
	if (!ok && !x->err)
		hw_xml_fail(x, "malformed XML: %s",
			    XML_ErrorString(XML_GetErrorCode(x->xp)));
	XML_ParserFree(x->xp);
	x->xp = NULL;
	return x->err;
}
