/*
 * fuzz_safetensors.c — libFuzzer target for the safetensors header reader.
 */
#include <stdio.h>
#include <unistd.h>

#include "planner/planner.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char path[64];
	FILE *f;
	hw_st_sizes sizes;

	snprintf(path, sizeof(path), "/tmp/hwledger-fuzz-%d.safetensors",
		 (int)getpid());
	f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	hw_safetensors_header(&sizes, path);
	unlink(path);
	return 0;
}
