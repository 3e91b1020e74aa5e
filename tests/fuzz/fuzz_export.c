/*
 * fuzz_export.c — libFuzzer target for the export's tables
 * (hw_export_table_build, src/export/table.c) and the writers that read
 * them or the trace over a hwledger.trace/1 document: `hwledger export
 * --checks DIR` reads DIR/trace.json, which may be hostile. A document
 * that passes the check `export` makes (the schema string and an "frs"
 * array) must build every table kind without a crash, a leak or undefined
 * behaviour, each cell a string, and must go through the CSV writer (the
 * matrix and the reverse matrix), the printable HTML (without the
 * requirement texts, and with a fixed set of them and a glossary) and the
 * aspec writer (the trace's verdicts on that fixed set). XLSX and PDF run
 * outside libraries built for the fuzzer (libxlsxwriter, a browser);
 * ReqIF reads no trace.
 */
#include "export/export.h"
#include "trace/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* IDs of the seeds' traces, a link, markup and glossary terms. */
static const char fixed_frs[] =
	"## FR-APP-001: Read the *config*\nRev: 2\nStatus: approved\n"
	"Needs: impl, utest\n\nThe GPU reads a `KV cache` <b>&amp;</b> "
	"[a link](javascript:x) of FR-APP-002.\n\n"
	"## FR-APP-002: Write\nRev: 1\nStatus: draft\nParent: FR-APP-001\n\n"
	"Writes the KV-caches.\n\n"
	"## FR-RING-001: Ring\nRev: 1\nStatus: approved\n\n| a | b |\n|---|"
	"---|\n| GPUs | x |\n";
static const char fixed_glossary[] =
	"**KV cache**: Keys and values.\n\n**GPU**: A processor.\n";

static hw_fr_set frs;
static hw_frs_model model;
static hw_glossary glossary;

static void load_fixed(void)
{
	static int loaded;
	hw_diags d;

	if (loaded)
		return;
	loaded = 1;
	hw_fr_set_init(&frs);
	hw_glossary_init(&glossary);
	hw_diags_init(&d);
	if (hw_frs_parse(&frs, &d, "frs/app.md", fixed_frs,
			 sizeof(fixed_frs) - 1) != HW_OK ||
	    hw_glossary_import(&glossary, &d, "specs/glossary.md",
			       fixed_glossary, sizeof(fixed_glossary) - 1,
			       HW_GSTYLE_AUTO, NULL) != HW_OK ||
	    d.errors || frs.n != 3 || glossary.n != 2)
		abort();
	hw_diags_free(&d);
}

/* Runs one writer; a refusal is an answer, a crash or a leak is not. */
static void run_writer(hw_export_fn fn, const hw_export_doc *d)
{
	hw_buf out;

	hw_buf_init(&out, 0);
	fn(&out, d);
	hw_error_clear();
	hw_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	cJSON *trace = NULL;
	const char *schema;

	load_fixed();
	if (hw_json_parse(&trace, "trace.json", (const char *)data, size) !=
	    HW_OK) {
		hw_error_clear();
		return 0;
	}
	schema = hw_json_str(trace, "schema");
	if (schema && strcmp(schema, HW_TRACE_SCHEMA) == 0 &&
	    cJSON_IsArray(cJSON_GetObjectItem(trace, "frs"))) {
		hw_export_doc d;

		for (int k = 0; k < HW_XT_COUNT; k++) {
			hw_export_table t;

			if (hw_export_table_build(&t, (hw_export_table_kind)k,
						  trace) == HW_OK)
				for (size_t i = 0; i < t.nrows * t.ncols; i++)
					if (!t.cells[i])
						abort();
			hw_error_clear();
			hw_export_table_free(&t);
		}
		memset(&d, 0, sizeof(d));
		d.trace = trace;
		snprintf(d.project, sizeof(d.project), "%s", "p <&\"'>");
		snprintf(d.date, sizeof(d.date), "%s", "2026-01-01");
		run_writer(hw_export_csv, &d);
		d.reverse = 1;
		run_writer(hw_export_csv, &d);
		run_writer(hw_export_html, &d); /* the trace alone */
		d.frs = &frs;
		d.model = &model;
		d.glossary = &glossary;
		run_writer(hw_export_html, &d);
		run_writer(hw_export_aspec, &d);
	}
	cJSON_Delete(trace);
	return 0;
}
