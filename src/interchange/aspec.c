/*
 * aspec.c — requirements and their verification as OpenFastTrace's `aspec`
 * XML (the format `oft trace --output-format aspec` writes; schema
 * tests/fixtures/oft/aspec.xsd), so an OFT toolchain can read hwledger's
 * results.
 */
#include "interchange/interchange.h"
#include "util/json.h"

#include <string.h>

static void element(FILE *out, const char *indent, const char *name,
		    const char *text)
{
	fprintf(out, "%s<%s>", indent, name);
	hw_xml_put(out, text);
	fprintf(out, "</%s>\n", name);
}

/* The doctype of a level: its name; the flat level is OFT's "req". */
static const char *doctype(const hw_frs_model *m, int level)
{
	return m && m->nlevels && level >= 0 && (size_t)level < m->nlevels
		       ? m->levels[level].name
		       : "req";
}

/* The trace's state of id ("verified", "failing", ...), NULL when the
 * trace does not list it. */
static const char *trace_state(const cJSON *trace, const char *id)
{
	const cJSON *frs = cJSON_GetObjectItemCaseSensitive(trace, "frs"), *f;

	cJSON_ArrayForEach(f, frs) {
		const cJSON *i = cJSON_GetObjectItemCaseSensitive(f, "id");
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(f, "status");

		if (cJSON_IsString(i) && strcmp(i->valuestring, id) == 0)
			return cJSON_IsString(s) ? s->valuestring : NULL;
	}
	return NULL;
}

static void write_item(FILE *out, const hw_fr_set *set,
		       const hw_frs_model *m, const cJSON *trace,
		       const hw_fr *fr)
{
	static const char *const status[] = {"draft", "approved", "rejected"};
	static const struct { unsigned bit; const char *name; } needs[] = {
		{HW_NEED_IMPL, "impl"},
		{HW_NEED_UTEST, "utest"},
		{HW_NEED_ITEST, "itest"},
	};
	const char *state = trace ? trace_state(trace, fr->id) : NULL;
	const char *cov = state && strcmp(state, "verified") == 0
				  ? "COVERED"
				  : "UNCOVERED";
	char num[24];

	fputs("    <specobject>\n", out);
	element(out, "      ", "id", fr->id);
	snprintf(num, sizeof(num), "%d", fr->rev);
	element(out, "      ", "version", num);
	element(out, "      ", "shortdesc", fr->title);
	element(out, "      ", "status", status[fr->status]);
	element(out, "      ", "sourcefile", fr->file);
	snprintf(num, sizeof(num), "%ld", fr->line);
	element(out, "      ", "sourceline", num);
	element(out, "      ", "description", fr->body ? fr->body : "");
	if (fr->rationale)
		element(out, "      ", "rationale", fr->rationale);
	if (state)
		element(out, "      ", "comment", state);
	fputs("      <coverage>\n", out);
	if (fr->needs) {
		fputs("        <needscoverage>\n", out);
		for (size_t i = 0; i < 3; i++)
			if (fr->needs & needs[i].bit)
				element(out, "          ", "needsobj",
					needs[i].name);
		fputs("        </needscoverage>\n", out);
	}
	element(out, "        ", "shallowCoverageStatus", cov);
	element(out, "        ", "deepCoverageStatus", cov);
	fputs("        <coveringSpecObjects></coveringSpecObjects>\n"
	      "      </coverage>\n",
	      out);
	/* Parent links are what the item covers, Depends its dependencies;
	 * a link to no requirement has no version or doctype and is left
	 * out (the trace reports it) */
	for (int pass = 0; pass < 2; pass++) {
		char **ids = pass ? fr->depends : fr->parents;
		size_t n = pass ? fr->ndepends : fr->nparents, shown = 0;

		for (size_t i = 0; i < n; i++) {
			const hw_fr *p = hw_frs_find(set, ids[i]);

			if (!p)
				continue;
			if (!shown++)
				fputs(pass ? "      <dependencies>\n"
					   : "      <covering>\n",
				      out);
			fprintf(out, "        <%s>\n",
				pass ? "dependsOnSpecObject" : "coveredType");
			element(out, "          ", "id", p->id);
			snprintf(num, sizeof(num), "%d", p->rev);
			element(out, "          ", "version", num);
			element(out, "          ", "doctype", doctype(m, p->level));
			fprintf(out, "        </%s>\n",
				pass ? "dependsOnSpecObject" : "coveredType");
		}
		if (shown)
			fputs(pass ? "      </dependencies>\n"
				   : "      </covering>\n",
			      out);
	}
	fputs("    </specobject>\n", out);
}

/* Implements: FR-XCH-004 */
int hw_oft_aspec_write(const hw_fr_set *set, const hw_frs_model *model,
		       const struct cJSON *trace, FILE *out)
{
	size_t nlevels = model && model->nlevels ? model->nlevels : 1;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<specdocument xmlns=\"https://github.com/itsallcode/doc/"
	      "aspec.xsd\">\n",
	      out);
	for (size_t l = 0; l < nlevels; l++) {
		int any = 0;

		for (size_t i = 0; i < set->n; i++) {
			const hw_fr *fr = &set->items[i];

			if (nlevels > 1 && fr->level != (int)l)
				continue;
			if (!any++) {
				fputs("  <specobjects doctype=\"", out);
				hw_xml_put(out, doctype(model, (int)l));
				fputs("\">\n", out);
			}
			write_item(out, set, model, trace, fr);
		}
		if (any)
			fputs("  </specobjects>\n", out);
	}
	fputs("</specdocument>\n", out);
	return ferror(out) ? hw_error_set(HW_EIO, NULL, 0, 0,
					  "cannot write output")
			   : 0;
}
