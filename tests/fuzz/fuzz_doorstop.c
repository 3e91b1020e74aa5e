/*
 * fuzz_doorstop.c — libFuzzer target for the Doorstop importer (libyaml;
 * documents, items, links, levels, review stamps): any bytes must import
 * or be refused at a line, without a crash or a leak; a tree read without
 * errors is written out as `hwledger import` would.
 *
 * The reader takes a folder, so the input is laid out as one: split at NUL
 * bytes, the first part is the document's reqs/.doorstop.yml and each
 * further one an item reqs/REQ001.yml, REQ002.yml, ... (at most 8). A
 * child document reqs/ext (prefix EXT, one item linking REQ001) is always
 * there, so links between documents are resolved too.
 */
#include "fuzz_files.h"
#include "fuzz_imp_check.h"

#include <string.h>
#include <sys/stat.h>

#define MAX_ITEMS 8

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static const char ext_conf[] = "settings:\n  digits: 3\n  parent: REQ\n"
			       "  prefix: EXT\n  sep: ''\n";
static const char ext_item[] = "active: true\nlevel: 1.0\nlinks:\n"
			       "- REQ001: abc\nnormative: true\n"
			       "text: |\n  An extension.\n";

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char dir[] = "/tmp/hwledger-fuzz-doorstop-XXXXXX";
	static int made;
	static size_t last; /* items written by the last input */
	const char *p = (const char *)data, *end = p + size;
	size_t items = 0;
	hw_imp_set s;
	hw_diags d;
	char name[32];
	int back = fuzz_enter(dir, made);

	if (!made) {
		if (mkdir("reqs", 0755) != 0 || mkdir("reqs/ext", 0755) != 0)
			abort();
		fuzz_put("reqs/ext/.doorstop.yml", ext_conf, strlen(ext_conf));
		fuzz_put("reqs/ext/EXT001.yml", ext_item, strlen(ext_item));
		made = 1;
	}
	for (int part = 0; part <= MAX_ITEMS; part++) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		const char *e = nul ? nul : end;

		if (part == 0)
			snprintf(name, sizeof(name), "reqs/.doorstop.yml");
		else
			snprintf(name, sizeof(name), "reqs/REQ%03d.yml", part);
		fuzz_put(name, p, (size_t)(e - p));
		items = (size_t)part;
		if (!nul)
			break;
		p = nul + 1;
	}
	for (size_t i = items + 1; i <= last; i++) {
		snprintf(name, sizeof(name), "reqs/REQ%03zu.yml", i);
		unlink(name);
	}
	last = items;
	hw_imp_set_init(&s, "doorstop");
	hw_diags_init(&d);
	if (hw_doorstop_read(&s, &d, "reqs", (size_t)1 << 20) == HW_OK &&
	    !d.errors) {
		check_set(&s);
		hw_imp_write(&s, "out", "reqs", 1, NULL);
	}
	hw_error_clear();
	hw_imp_set_free(&s);
	hw_diags_free(&d);
	fuzz_leave(back);
	return 0;
}
