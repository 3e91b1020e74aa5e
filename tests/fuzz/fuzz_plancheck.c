/*
 * fuzz_plancheck.c — libFuzzer target for the planner's check files,
 * planner/checks/NAME.json (hwledger.plancheck/1, specs/planner.md), which
 * pin the planner's answers for a model. Any bytes give a result or are
 * refused at a line, and never crash, read out of bounds, leak or compute
 * with undefined behaviour. The check runs in a folder of its own that
 * holds one model, planner/models/llama-3.1-8b.json, copied from the
 * repository the fuzzer runs in.
 */
#include "fuzz_files.h"
#include "planner/planner.h"

#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define MODEL "planner/models/llama-3.1-8b.json"

/* A refusal names a file (the check, or the model or catalog it names) and
 * a line of it: "PATH:LINE". */
static void check_refusal(void)
{
	const char *m = hw_error_last();
	const char *c = strchr(m, ':');

	if (!c || c[1] < '1' || c[1] > '9') {
		fprintf(stderr, "refused without a line: %s\n", m);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char dir[] = "/tmp/hwledger-fuzz-plancheck-XXXXXX";
	static int made;
	cJSON *r = NULL;
	int back, err;

	if (!made) {
		hw_buf model;

		hw_buf_init(&model, 0);
		if (hw_file_read(&model, MODEL, (size_t)1 << 20) != HW_OK)
			abort();
		back = fuzz_enter(dir, 0);
		if (mkdir("planner", 0755) != 0 ||
		    mkdir("planner/models", 0755) != 0)
			abort();
		fuzz_put(MODEL, model.data, model.len);
		hw_buf_free(&model);
		made = 1;
	} else {
		back = fuzz_enter(dir, 1);
	}
	fuzz_put("check.json", data, size);
	err = hw_plan_check_file(&r, "check.json");
	if (err == HW_OK) {
		if (!cJSON_IsObject(r))
			abort();
		cJSON_Delete(r);
	} else if (err == HW_EINVAL || err == HW_EUSAGE) {
		check_refusal();
	}
	hw_error_clear();
	fuzz_leave(back);
	return 0;
}
