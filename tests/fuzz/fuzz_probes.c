/*
 * fuzz_probes.c — libFuzzer target for the vendor-output parsers, the ones
 * that read what a remote host's tools print: the first byte chooses
 * nvidia-smi CSV, rocm-smi JSON, system_profiler JSON, macmon JSON lines,
 * /proc/meminfo or /proc/cpuinfo; the rest is the tool's output. Every
 * reading that comes out must be ok with a finite value or carry a reason.
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
	if (r->status != HW_READ_OK && !r->reason[0])
		abort(); /* an unknown reading always says why */
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static hw_probe p;
	const char *text = (const char *)data + 1;
	size_t n = size ? size - 1 : 0;

	if (!size)
		return 0;
	memset(&p, 0, sizeof(p));
	switch (data[0] % 6) {
	case 0: hw_parse_nvidia_smi_csv(&p, text, n); break;
	case 1: hw_parse_rocm_smi_json(&p, text, n); break;
	case 2: hw_parse_system_profiler(&p, text, n); break;
	case 3: hw_parse_macmon(&p, text, n); break;
	case 4: hw_parse_meminfo(&p, text, n); break;
	default: hw_parse_cpuinfo(&p, text, n); break;
	}
	if (p.ngpus > HW_PROBE_MAX_GPUS)
		abort();
	for (size_t g = 0; g < p.ngpus; g++)
		for (int k = 0; k < GR_COUNT; k++)
			if (p.gpus[g].r[k].status != HW_READ_OK ||
			    p.gpus[g].r[k].unit[0] || p.gpus[g].r[k].is_text)
				check(&p.gpus[g].r[k]);
	return 0;
}
