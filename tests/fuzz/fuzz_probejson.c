/*
 * fuzz_probejson.c — libFuzzer target for probe results as `hwledger probe
 * --fleet` reads them from the fleet server (hwledger.probe/1,
 * specs/probes.md): each host of the document's "hosts" list. No file and
 * no line: the document comes from the network. Any bytes are read or
 * refused, never crash, read out of bounds or leak; every reading that
 * comes out is ok with a finite value or says why it is not.
 */
#include "probes/probes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check(const hw_reading *r)
{
	if (r->status == HW_READ_OK && !r->is_text && !isfinite(r->value))
		abort();
	if (r->status != HW_READ_OK && !r->reason[0]) {
		fprintf(stderr, "a reading not ok without a reason\n");
		abort();
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static hw_probe p;
	cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
	const cJSON *h;

	cJSON_ArrayForEach(h, cJSON_GetObjectItem(doc, "hosts"))
	{
		if (hw_probe_read_json(&p, h) != HW_OK)
			continue;
		if (p.ngpus > HW_PROBE_MAX_GPUS)
			abort();
		if (!p.reachable)
			check(&p.error);
		for (int k = 0; k < HR_COUNT; k++)
			check(&p.host_r[k]);
		check(&p.nvidia);
		check(&p.driver);
		check(&p.cuda);
		check(&p.amd);
		check(&p.apple);
		for (size_t g = 0; g < p.ngpus; g++)
			for (int k = 0; k < GR_COUNT; k++)
				check(&p.gpus[g].r[k]);
	}
	cJSON_Delete(doc);
	hw_error_clear();
	return 0;
}
