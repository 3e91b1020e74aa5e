/*
 * fuzz_export.c — libFuzzer target for the export's tables
 * (hw_export_table_build, src/export/table.c) over a hwledger.trace/1
 * document: `hwledger export --checks DIR` reads DIR/trace.json, which may
 * be hostile. A document that passes the check `export` makes (the schema
 * string and an "frs" array) must build every table kind without a crash,
 * a leak or undefined behaviour, each cell a string.
 */
#include "export/export.h"
#include "trace/trace.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	cJSON *trace = NULL;
	const char *schema;

	if (hw_json_parse(&trace, "trace.json", (const char *)data, size) !=
	    HW_OK) {
		hw_error_clear();
		return 0;
	}
	schema = hw_json_str(trace, "schema");
	if (schema && strcmp(schema, HW_TRACE_SCHEMA) == 0 &&
	    cJSON_IsArray(cJSON_GetObjectItem(trace, "frs"))) {
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
	}
	cJSON_Delete(trace);
	return 0;
}
