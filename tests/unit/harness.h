/*
 * harness.h — what every cmocka unit test includes: cmocka itself and a few
 * helpers for scratch directories and files. Each test runs in a fresh
 * temporary directory (see hw_test_chdir_tmp) so tests never touch the
 * repository.
 */
#ifndef HW_TEST_HARNESS_H
#define HW_TEST_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/util.h"

/* Creates a fresh temporary directory, changes into it, returns its path. */
static inline char *hw_test_chdir_tmp(void)
{
	char tmpl[] = "/tmp/hwledger-test-XXXXXX";
	char *dir = mkdtemp(tmpl);

	assert_non_null(dir);
	assert_int_equal(chdir(dir), 0);
	return strdup(dir);
}

/* Leaves and removes a directory made by hw_test_chdir_tmp. */
static inline void hw_test_rm_tmp(char *dir)
{
	char cmd[512];

	assert_int_equal(chdir("/"), 0);
	assert_true(strncmp(dir, "/tmp/hwledger-test-", 19) == 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(dir);
}

static inline void hw_test_write(const char *path, const char *text,
				 size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static inline int hw_test_setup_tmp(void **state)
{
	*state = hw_test_chdir_tmp();
	return 0;
}

static inline int hw_test_teardown_tmp(void **state)
{
	hw_test_rm_tmp(*state);
	return 0;
}

#define hw_tmp_test(f) \
	cmocka_unit_test_setup_teardown(f, hw_test_setup_tmp, \
					hw_test_teardown_tmp)

#endif
