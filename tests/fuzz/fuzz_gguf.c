/*
 * fuzz_gguf.c — libFuzzer target for the GGUF header reader. The reader
 * maps a file, so each input is written to a scratch file first.
 */
#include <stdio.h>
#include <unistd.h>

#include "planner/planner.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char path[64];
	FILE *f;
	hw_model m;

	snprintf(path, sizeof(path), "/tmp/hwledger-fuzz-%d.gguf", (int)getpid());
	f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	hw_gguf_read(&m, path);
	hw_model_load(&m, path);
	unlink(path);
	return 0;
}
