/*
 * fuzz_config.c — libFuzzer target for the project's own settings:
 * traceability/config.json (specs/cli.md, "Configuration") and
 * traceability/policy.json (specs/traceability.md). The first byte picks
 * which; the rest is the file. Either loads or is refused at a line,
 * never a crash, a read out of bounds or a leak.
 */
#include "trace/config.h"
#include "trace/trace.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void put(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, n, f) != n)
		abort();
	fclose(f);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char dir[] = "/tmp/hwledger-fuzz-config-XXXXXX";
	static int ready;
	int back;

	if (!size)
		return 0;
	/* the config is read from the working folder, as in a repository;
	 * the fuzzer's own folder (its corpus paths are relative) is the
	 * working folder again before this returns */
	back = open(".", O_RDONLY | O_DIRECTORY);
	if (back < 0 || (!ready && !mkdtemp(dir)) || chdir(dir) != 0)
		abort();
	if (!ready) {
		if (mkdir("traceability", 0755) != 0)
			abort();
		ready = 1;
	}
	if (data[0] & 1) {
		hw_policy p;

		put("traceability/policy.json", data + 1, size - 1);
		memset(&p, 0, sizeof(p));
		if (hw_policy_load(&p, "traceability/policy.json", 0) == HW_OK)
			hw_policy_free(&p);
	} else {
		hw_config c;

		put(HW_CONFIG_PATH, data + 1, size - 1);
		memset(&c, 0, sizeof(c));
		if (hw_config_load(&c) == HW_OK)
			hw_config_free(&c);
	}
	if (fchdir(back) != 0)
		abort();
	close(back);
	return 0;
}
