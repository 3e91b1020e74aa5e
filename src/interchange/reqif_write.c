/*
 * reqif_write.c — requirements as ReqIF 1.2 (OMG formal/2016-07-01), valid
 * against the OMG schema (tests/fixtures/reqif/schema). specs/interchange.md
 * lists the types and attributes written.
 */
#include "interchange/interchange.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

/* Markup cmark wrote: passed through but for characters XML cannot hold. */
static void put_markup(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' &&
				      *s != '\r'
			      ? '?'
			      : *s,
		      out);
}

/*
 * The IDENTIFIER of one exported thing: "_" and a UUID (RFC 9562 version 8,
 * custom) of the first 16 bytes of SHA-256("hwledger.reqif/1", kind, key).
 * It depends on the requirement IDs only, so every export of the same
 * requirements names them the same; the leading '_' makes it an xsd:ID.
 */
static void ident(char out[38], const char *kind, const char *key1,
		  const char *key2)
{
	hw_buf b;
	uint8_t h[HW_SHA256_LEN];
	char hex[HW_SHA256_HEX_LEN + 1];

	hw_buf_init(&b, 0);
	if (hw_buf_printf(&b, "hwledger.reqif/1%c%s%c%s%c%s", 0, kind, 0,
			  key1, 0, key2 ? key2 : "")) {
		out[0] = '\0';
		hw_buf_free(&b);
		return;
	}
	hw_sha256(h, b.data, b.len);
	hw_buf_free(&b);
	h[6] = (uint8_t)((h[6] & 0x0f) | 0x80); /* version 8 */
	h[8] = (uint8_t)((h[8] & 0x3f) | 0x80); /* RFC 9562 variant */
	hw_hex(hex, h, 16);
	snprintf(out, 38, "_%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
		 hex + 12, hex + 16, hex + 20);
}

typedef struct w {
	FILE *out;
	char when[32];
	const hw_frs_model *model;
} w;

static void def_head(w *x, const char *el, const char *id, const char *name)
{
	fprintf(x->out, "            <%s IDENTIFIER=\"%s\" LAST-CHANGE=\"%s\" "
			"LONG-NAME=\"",
		el, id, x->when);
	hw_xml_put(x->out, name);
	fputs("\"", x->out);
}

/* The attribute definitions of the one SPEC-OBJECT-TYPE: built-in keys,
 * then the config's custom attributes. */
static const struct {
	const char *ident, *name, *kind, *datatype;
} builtin[] = {
	{"hw.attr.id", "ReqIF.ForeignID", "STRING", "hw.dt.string"},
	{"hw.attr.title", "ReqIF.Name", "STRING", "hw.dt.string"},
	{"hw.attr.text", "ReqIF.Text", "XHTML", "hw.dt.xhtml"},
	{"hw.attr.status", "Status", "ENUMERATION", "hw.dt.status"},
	{"hw.attr.rev", "Rev", "INTEGER", "hw.dt.rev"},
	{"hw.attr.level", "Level", "STRING", "hw.dt.string"},
	{"hw.attr.needs", "Needs", "STRING", "hw.dt.string"},
	{"hw.attr.depends", "Depends", "STRING", "hw.dt.string"},
	{"hw.attr.derived", "Derived", "STRING", "hw.dt.string"},
	{"hw.attr.rationale", "Rationale", "STRING", "hw.dt.string"},
};
enum { A_ID, A_TITLE, A_TEXT, A_STATUS, A_REV, A_LEVEL, A_NEEDS, A_DEPENDS,
       A_DERIVED, A_RATIONALE, A_COUNT };

static const char *const statuses[] = {"draft", "approved", "deprecated"};

static void write_enum_values(w *x, const char *prefix,
			      const char *const *labels, size_t n)
{
	fputs("          <SPECIFIED-VALUES>\n", x->out);
	for (size_t i = 0; i < n; i++) {
		fprintf(x->out, "            <ENUM-VALUE IDENTIFIER=\"%s.%zu\" "
				"LAST-CHANGE=\"%s\" LONG-NAME=\"",
			prefix, i, x->when);
		hw_xml_put(x->out, labels[i]);
		fprintf(x->out, "\">\n              <PROPERTIES><EMBEDDED-VALUE "
				"KEY=\"%zu\" OTHER-CONTENT=\"",
			i);
		hw_xml_put(x->out, labels[i]);
		fputs("\"/></PROPERTIES>\n            </ENUM-VALUE>\n", x->out);
	}
	fputs("          </SPECIFIED-VALUES>\n", x->out);
}

static void write_datatypes(w *x)
{
	const hw_frs_model *m = x->model;

	fprintf(x->out,
		"      <DATATYPES>\n"
		"        <DATATYPE-DEFINITION-STRING IDENTIFIER=\"hw.dt.string\" "
		"LAST-CHANGE=\"%s\" LONG-NAME=\"hwledger text\" "
		"MAX-LENGTH=\"1048576\"/>\n"
		"        <DATATYPE-DEFINITION-XHTML IDENTIFIER=\"hw.dt.xhtml\" "
		"LAST-CHANGE=\"%s\" LONG-NAME=\"hwledger XHTML\"/>\n"
		"        <DATATYPE-DEFINITION-INTEGER IDENTIFIER=\"hw.dt.rev\" "
		"LAST-CHANGE=\"%s\" LONG-NAME=\"hwledger revision\" "
		"MAX=\"2147483647\" MIN=\"1\"/>\n"
		"        <DATATYPE-DEFINITION-ENUMERATION "
		"IDENTIFIER=\"hw.dt.status\" LAST-CHANGE=\"%s\" "
		"LONG-NAME=\"hwledger status\">\n",
		x->when, x->when, x->when, x->when);
	write_enum_values(x, "hw.status", statuses, 3);
	fputs("        </DATATYPE-DEFINITION-ENUMERATION>\n", x->out);
	for (size_t a = 0; m && a < m->nattrs; a++) {
		size_t n = 0;
		char prefix[128];

		if (m->attrs[a].type != HW_ATTR_ENUM)
			continue;
		while (m->attrs[a].values[n])
			n++;
		snprintf(prefix, sizeof(prefix), "hw.enum.%s",
			 m->attrs[a].name);
		fprintf(x->out, "        <DATATYPE-DEFINITION-ENUMERATION "
				"IDENTIFIER=\"hw.dt.enum.%s\" LAST-CHANGE=\"%s\" "
				"LONG-NAME=\"",
			m->attrs[a].name, x->when);
		hw_xml_put(x->out, m->attrs[a].name);
		fputs("\">\n", x->out);
		write_enum_values(x, prefix,
				  (const char *const *)m->attrs[a].values, n);
		fputs("        </DATATYPE-DEFINITION-ENUMERATION>\n", x->out);
	}
	fputs("      </DATATYPES>\n", x->out);
}

static void write_attr_def(w *x, const char *ident_, const char *name,
			   const char *kind, const char *datatype)
{
	char el[64];

	snprintf(el, sizeof(el), "ATTRIBUTE-DEFINITION-%s", kind);
	def_head(x, el, ident_, name);
	if (strcmp(kind, "ENUMERATION") == 0)
		fputs(" MULTI-VALUED=\"false\"", x->out);
	fprintf(x->out, ">\n              <TYPE><DATATYPE-DEFINITION-%s-REF>%s"
			"</DATATYPE-DEFINITION-%s-REF></TYPE>\n            </%s>\n",
		kind, datatype, kind, el);
}

static void write_types(w *x)
{
	const hw_frs_model *m = x->model;

	fprintf(x->out, "      <SPEC-TYPES>\n        <SPEC-OBJECT-TYPE "
			"IDENTIFIER=\"hw.type.requirement\" LAST-CHANGE=\"%s\" "
			"LONG-NAME=\"hwledger requirement\">\n"
			"          <SPEC-ATTRIBUTES>\n",
		x->when);
	for (size_t i = 0; i < A_COUNT; i++)
		write_attr_def(x, builtin[i].ident, builtin[i].name,
			       builtin[i].kind, builtin[i].datatype);
	for (size_t a = 0; m && a < m->nattrs; a++) {
		char id[128], dt[128];
		int e = m->attrs[a].type == HW_ATTR_ENUM;

		snprintf(id, sizeof(id), "hw.attr.custom.%s", m->attrs[a].name);
		snprintf(dt, sizeof(dt), "hw.dt.enum.%s", m->attrs[a].name);
		write_attr_def(x, id, m->attrs[a].name,
			       e ? "ENUMERATION" : "STRING",
			       e ? dt : "hw.dt.string");
	}
	fprintf(x->out,
		"          </SPEC-ATTRIBUTES>\n        </SPEC-OBJECT-TYPE>\n"
		"        <SPEC-RELATION-TYPE IDENTIFIER=\"hw.type.parent\" "
		"LAST-CHANGE=\"%s\" LONG-NAME=\"Parent\"/>\n"
		"        <SPECIFICATION-TYPE IDENTIFIER=\"hw.type.level\" "
		"LAST-CHANGE=\"%s\" LONG-NAME=\"hwledger level\"/>\n"
		"      </SPEC-TYPES>\n",
		x->when, x->when);
}

static void value_string(w *x, const char *def, const char *v)
{
	fputs("              <ATTRIBUTE-VALUE-STRING THE-VALUE=\"", x->out);
	hw_xml_put(x->out, v);
	fprintf(x->out, "\"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>%s"
			"</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION>"
			"</ATTRIBUTE-VALUE-STRING>\n",
		def);
}

static void value_enum(w *x, const char *def, const char *prefix, size_t k)
{
	fprintf(x->out, "              <ATTRIBUTE-VALUE-ENUMERATION><DEFINITION>"
			"<ATTRIBUTE-DEFINITION-ENUMERATION-REF>%s"
			"</ATTRIBUTE-DEFINITION-ENUMERATION-REF></DEFINITION>"
			"<VALUES><ENUM-VALUE-REF>%s.%zu</ENUM-VALUE-REF></VALUES>"
			"</ATTRIBUTE-VALUE-ENUMERATION>\n",
		def, prefix, k);
}

/*
 * Raw HTML in a requirement's Markdown becomes text: passed through it could
 * make the XHTML invalid, and cmark's safe mode would drop it. Each inline
 * HTML node becomes a text node, each HTML block a paragraph of its text.
 */
static int html_as_text(cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	int err = 0;

	HW_CHECK_ALLOC(it);
	while (!err && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it), *t, *p = NULL;
		cmark_node_type type = cmark_node_get_type(n);

		if (ev != CMARK_EVENT_ENTER || (type != CMARK_NODE_HTML_INLINE &&
						type != CMARK_NODE_HTML_BLOCK))
			continue;
		t = cmark_node_new(CMARK_NODE_TEXT);
		if (type == CMARK_NODE_HTML_BLOCK)
			p = cmark_node_new(CMARK_NODE_PARAGRAPH);
		if (!t || (type == CMARK_NODE_HTML_BLOCK && !p) ||
		    !cmark_node_set_literal(t, cmark_node_get_literal(n)) ||
		    (p && !cmark_node_append_child(p, t)) ||
		    !cmark_node_replace(n, p ? p : t)) {
			cmark_node_free(t);
			cmark_node_free(p);
			err = hw_error_oom();
			break;
		}
		/* the iterator stands on the new node now; the old one is
		 * out of the tree */
		cmark_iter_reset(it, p ? p : t, CMARK_EVENT_EXIT);
		cmark_node_free(n);
	}
	cmark_iter_free(it);
	return err;
}

static int value_text(w *x, const char *md)
{
	cmark_node *doc = cmark_parse_document(md, strlen(md),
					       CMARK_OPT_DEFAULT);
	char *html = NULL;
	int err;

	HW_CHECK_ALLOC(doc);
	err = html_as_text(doc);
	if (!err)
		html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
	cmark_node_free(doc);
	if (err)
		return err;
	HW_CHECK_ALLOC(html);
	fprintf(x->out, "              <ATTRIBUTE-VALUE-XHTML><DEFINITION>"
			"<ATTRIBUTE-DEFINITION-XHTML-REF>hw.attr.text"
			"</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION>"
			"<THE-VALUE><div xmlns=\"http://www.w3.org/1999/xhtml\">\n");
	put_markup(x->out, html);
	fputs("</div></THE-VALUE></ATTRIBUTE-VALUE-XHTML>\n", x->out);
	free(html);
	return 0;
}

static const char *level_name(const hw_frs_model *m, int level)
{
	return m && m->nlevels && level >= 0 && (size_t)level < m->nlevels
		       ? m->levels[level].name
		       : "requirements";
}

static char *joined(char **v, size_t n)
{
	hw_buf b;

	hw_buf_init(&b, 0);
	for (size_t i = 0; i < n; i++)
		if (hw_buf_printf(&b, "%s%s", i ? ", " : "", v[i])) {
			hw_buf_free(&b);
			return NULL;
		}
	return b.data ? hw_buf_detach(&b) : hw_strdup("");
}

static int write_object(w *x, const hw_fr *fr)
{
	const hw_frs_model *m = x->model;
	char id[38], needs[32], rev[16];
	int err;

	ident(id, "object", fr->id, NULL);
	fprintf(x->out, "        <SPEC-OBJECT IDENTIFIER=\"%s\" "
			"LAST-CHANGE=\"%s\" LONG-NAME=\"",
		id, x->when);
	hw_xml_put(x->out, fr->id);
	fputs("\">\n          <VALUES>\n", x->out);
	value_string(x, "hw.attr.id", fr->id);
	value_string(x, "hw.attr.title", fr->title);
	if ((err = value_text(x, fr->body ? fr->body : "")))
		return err;
	value_enum(x, "hw.attr.status", "hw.status", (size_t)fr->status);
	snprintf(rev, sizeof(rev), "%d", fr->rev);
	fprintf(x->out, "              <ATTRIBUTE-VALUE-INTEGER THE-VALUE=\"%s\">"
			"<DEFINITION><ATTRIBUTE-DEFINITION-INTEGER-REF>hw.attr.rev"
			"</ATTRIBUTE-DEFINITION-INTEGER-REF></DEFINITION>"
			"</ATTRIBUTE-VALUE-INTEGER>\n",
		rev);
	value_string(x, "hw.attr.level", level_name(m, fr->level));
	hw_fr_needs_text(needs, sizeof(needs), fr->needs);
	if (fr->needs)
		value_string(x, "hw.attr.needs", needs);
	if (fr->ndepends) {
		char *d = joined(fr->depends, fr->ndepends);

		HW_CHECK_ALLOC(d);
		value_string(x, "hw.attr.depends", d);
		free(d);
	}
	if (fr->derived)
		value_string(x, "hw.attr.derived", "yes");
	if (fr->rationale)
		value_string(x, "hw.attr.rationale", fr->rationale);
	for (size_t i = 0; i < fr->nattrs; i++) {
		char def[128], prefix[128];
		const hw_attr_decl *d = NULL;

		for (size_t a = 0; m && a < m->nattrs; a++)
			if (strcmp(m->attrs[a].name, fr->attrs[i].name) == 0)
				d = &m->attrs[a];
		if (!d)
			continue;
		snprintf(def, sizeof(def), "hw.attr.custom.%s", d->name);
		if (d->type == HW_ATTR_ENUM) {
			size_t k = 0;

			while (d->values[k] &&
			       strcmp(d->values[k], fr->attrs[i].value) != 0)
				k++;
			snprintf(prefix, sizeof(prefix), "hw.enum.%s", d->name);
			if (d->values[k])
				value_enum(x, def, prefix, k);
		} else {
			value_string(x, def, fr->attrs[i].value);
		}
	}
	fputs("          </VALUES>\n          <TYPE><SPEC-OBJECT-TYPE-REF>"
	      "hw.type.requirement</SPEC-OBJECT-TYPE-REF></TYPE>\n"
	      "        </SPEC-OBJECT>\n",
	      x->out);
	return 0;
}

static int write_relations(w *x, const hw_fr_set *set, hw_diags *diags)
{
	fputs("      <SPEC-RELATIONS>\n", x->out);
	for (size_t i = 0; i < set->n; i++) {
		const hw_fr *fr = &set->items[i];

		for (size_t p = 0; p < fr->nparents; p++) {
			char id[38], src[38], dst[38];

			if (!hw_frs_find(set, fr->parents[p])) {
				if (hw_diags_add(diags, HW_DIAG_WARNING,
						 fr->file, fr->parents_line, 0,
						 "Parent %s of %s is no "
						 "requirement: no SPEC-RELATION "
						 "written",
						 fr->parents[p], fr->id))
					return HW_ENOMEM;
				continue;
			}
			ident(id, "parent", fr->id, fr->parents[p]);
			ident(src, "object", fr->id, NULL);
			ident(dst, "object", fr->parents[p], NULL);
			fprintf(x->out,
				"        <SPEC-RELATION IDENTIFIER=\"%s\" "
				"LAST-CHANGE=\"%s\">\n"
				"          <SOURCE><SPEC-OBJECT-REF>%s"
				"</SPEC-OBJECT-REF></SOURCE>\n"
				"          <TARGET><SPEC-OBJECT-REF>%s"
				"</SPEC-OBJECT-REF></TARGET>\n"
				"          <TYPE><SPEC-RELATION-TYPE-REF>"
				"hw.type.parent</SPEC-RELATION-TYPE-REF></TYPE>\n"
				"        </SPEC-RELATION>\n",
				id, x->when, src, dst);
		}
	}
	fputs("      </SPEC-RELATIONS>\n", x->out);
	return 0;
}

/* One SPECIFICATION per level, its requirements in the order loaded (file
 * by file); the Parent links are the SPEC-RELATIONs. */
static void write_specifications(w *x, const hw_fr_set *set)
{
	size_t nlevels = x->model && x->model->nlevels ? x->model->nlevels : 1;

	fputs("      <SPECIFICATIONS>\n", x->out);
	for (size_t l = 0; l < nlevels; l++) {
		const char *name = level_name(x->model, (int)l);
		char id[38];
		int any = 0;

		ident(id, "specification", name, NULL);
		fprintf(x->out, "        <SPECIFICATION IDENTIFIER=\"%s\" "
				"LAST-CHANGE=\"%s\" LONG-NAME=\"",
			id, x->when);
		hw_xml_put(x->out, name);
		fputs("\">\n          <TYPE><SPECIFICATION-TYPE-REF>"
		      "hw.type.level</SPECIFICATION-TYPE-REF></TYPE>\n",
		      x->out);
		for (size_t i = 0; i < set->n; i++) {
			const hw_fr *fr = &set->items[i];
			char h[38], o[38];

			if (nlevels > 1 && fr->level != (int)l)
				continue;
			if (!any++)
				fputs("          <CHILDREN>\n", x->out);
			ident(h, "hierarchy", name, fr->id);
			ident(o, "object", fr->id, NULL);
			fprintf(x->out,
				"            <SPEC-HIERARCHY IDENTIFIER=\"%s\" "
				"LAST-CHANGE=\"%s\"><OBJECT><SPEC-OBJECT-REF>%s"
				"</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY>\n",
				h, x->when, o);
		}
		if (any)
			fputs("          </CHILDREN>\n", x->out);
		fputs("        </SPECIFICATION>\n", x->out);
	}
	fputs("      </SPECIFICATIONS>\n", x->out);
}

/* Implements: FR-XCH-001 */
int hw_reqif_write(const hw_fr_set *set, const hw_frs_model *model,
		   time_t when, FILE *out, hw_diags *diags)
{
	w x = {out, "", model};
	int err = 0;

	if (hw_time_of(when, x.when) != 0)
		return hw_error_set(HW_EINVAL, NULL, 0, 0, "bad time stamp");
	fprintf(out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<REQ-IF xmlns=\"http://www.omg.org/spec/ReqIF/20110401/"
		"reqif.xsd\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
		"  <THE-HEADER>\n"
		"    <REQ-IF-HEADER IDENTIFIER=\"hw.header\">\n"
		"      <CREATION-TIME>%s</CREATION-TIME>\n"
		"      <REQ-IF-TOOL-ID>hwledger</REQ-IF-TOOL-ID>\n"
		"      <REQ-IF-VERSION>1.0</REQ-IF-VERSION>\n"
		"      <SOURCE-TOOL-ID>hwledger</SOURCE-TOOL-ID>\n"
		"      <TITLE>Requirements</TITLE>\n"
		"    </REQ-IF-HEADER>\n"
		"  </THE-HEADER>\n"
		"  <CORE-CONTENT>\n    <REQ-IF-CONTENT>\n",
		x.when);
	write_datatypes(&x);
	write_types(&x);
	fputs("      <SPEC-OBJECTS>\n", out);
	for (size_t i = 0; i < set->n && !err; i++)
		err = write_object(&x, &set->items[i]);
	fputs("      </SPEC-OBJECTS>\n", out);
	if (!err)
		err = write_relations(&x, set, diags);
	if (!err)
		write_specifications(&x, set);
	fputs("    </REQ-IF-CONTENT>\n  </CORE-CONTENT>\n</REQ-IF>\n", out);
	if (!err && ferror(out))
		err = hw_error_set(HW_EIO, NULL, 0, 0, "cannot write output");
	return err;
}
