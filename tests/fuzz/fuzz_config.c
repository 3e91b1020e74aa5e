/*
 * fuzz_config.c — libFuzzer target for the project's own settings:
 * traceability/config.json (specs/cli.md, "Configuration") and
 * traceability/policy.json (specs/traceability.md). The first byte picks
 * which; the rest is the file. Either loads or is refused at a line,
 * never a crash, a read out of bounds or a leak.
 */
#include "fuzz_files.h"
#include "trace/config.h"
#include "trace/trace.h"

#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char dir[] = "/tmp/hwledger-fuzz-config-XXXXXX";
	static int made;
	int back;

	if (!size)
		return 0;
	/* the config is read from the working folder, as in a repository */
	back = fuzz_enter(dir, made);
	if (!made) {
		if (mkdir("traceability", 0755) != 0)
			abort();
		made = 1;
	}
	if (data[0] & 1) {
		hw_policy p;

		fuzz_put("traceability/policy.json", data + 1, size - 1);
		memset(&p, 0, sizeof(p));
		if (hw_policy_load(&p, "traceability/policy.json", 0) == HW_OK)
			hw_policy_free(&p);
	} else {
		hw_config c;

		fuzz_put(HW_CONFIG_PATH, data + 1, size - 1);
		memset(&c, 0, sizeof(c));
		if (hw_config_load(&c) == HW_OK)
			hw_config_free(&c);
	}
	fuzz_leave(back);
	return 0;
}
