/*
 * test_ledger_io.c — the ledger under concurrency and faults: two writers
 * at once, a writer killed half-way through a batch, and a disk that
 * fills up. The chain must stay one, contiguous and valid.
 */
#include "harness.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "ledger/ledger.h"

static hw_seckey key;
static hw_keyring ring;

static int setup(void **state)
{
	*state = hw_test_chdir_tmp();
	memset(&ring, 0, sizeof(ring));
	assert_int_equal(hw_key_generate(&key, "keys", "alice"), HW_OK);
	assert_int_equal(hw_keyring_add(&ring, &key.pub), HW_OK);
	return 0;
}

static int teardown(void **state)
{
	hw_keyring_free(&ring);
	return hw_test_teardown_tmp(state);
}

/* Appends count events in batches; returns 0 or the failing code. */
static int writer(const char *who, int count, int batch)
{
	hw_ledger l;
	hw_append items[100];
	char payload[64];
	int err;

	if ((err = hw_ledger_open(&l, HW_LEDGER_DB, 1)))
		return err;
	snprintf(payload, sizeof(payload), "{\"writer\": \"%s\"}", who);
	for (int i = 0; i < batch; i++) {
		items[i].kind = who;
		items[i].payload_type = "application/json";
		items[i].payload = payload;
		items[i].payload_len = strlen(payload);
	}
	for (int done = 0; done < count && !err; done += batch)
		err = hw_ledger_append(&l, items, (size_t)batch, "", &key, NULL);
	hw_ledger_close(&l);
	return err;
}

static void verify_ok(uint64_t *events)
{
	hw_ledger l;
	hw_event_list list;
	hw_verify_report r;
	hw_verify_opts o = {&ring, 0, NULL, 0};

	assert_int_equal(hw_ledger_open(&l, HW_LEDGER_DB, 0), HW_OK);
	assert_int_equal(hw_ledger_load(&l, &list), HW_OK);
	if (hw_ledger_verify(&r, &list, NULL, 0, &o) != HW_OK)
		fail_msg("ledger broken: %s", r.message);
	*events = list.n;
	hw_event_list_free(&list);
	hw_ledger_close(&l);
}

/* Verifies: FR-LEDGER-002 */
static void test_two_writers_leave_one_contiguous_chain(void **state)
{
	pid_t a, b;
	int sa, sb;
	uint64_t n;

	(void)state;
	assert_int_equal(writer("first", 10, 10), HW_OK); /* creates the db */
	a = fork();
	if (a == 0)
		_exit(writer("a", 10000, 20) ? 1 : 0);
	b = fork();
	if (b == 0)
		_exit(writer("b", 10000, 20) ? 1 : 0);
	assert_int_equal(waitpid(a, &sa, 0), a);
	assert_int_equal(waitpid(b, &sb, 0), b);
	assert_true(WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
	assert_true(WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
	verify_ok(&n);
	assert_int_equal(n, 20010);
}

/* Verifies: FR-LEDGER-002 */
static void test_a_writer_killed_mid_batch_leaves_none_or_all(void **state)
{
	int pipefd[2];
	pid_t p;
	uint64_t n;
	char c;

	(void)state;
	assert_int_equal(writer("before", 6, 6), HW_OK);
	assert_int_equal(pipe(pipefd), 0);
	p = fork();
	if (p == 0) {
		hw_ledger l;
		hw_append *items = calloc(50000, sizeof(*items));

		close(pipefd[0]);
		if (!items || hw_ledger_open(&l, HW_LEDGER_DB, 0))
			_exit(1);
		for (int i = 0; i < 50000; i++) {
			items[i].kind = "doomed";
			items[i].payload_type = "text/plain";
			items[i].payload = "x";
			items[i].payload_len = 1;
		}
		if (write(pipefd[1], "go", 2) != 2)
			_exit(1);
		hw_ledger_append(&l, items, 50000, "", &key, NULL);
		_exit(0);
	}
	close(pipefd[1]);
	assert_int_equal(read(pipefd[0], &c, 1), 1);
	usleep(100 * 1000); /* well inside the batch of 50,000 signatures */
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
	close(pipefd[0]);
	verify_ok(&n);
	assert_true(n == 6 || n == 50006);
	/* and the ledger takes appends again */
	assert_int_equal(writer("after", 2, 2), HW_OK);
	verify_ok(&n);
	assert_true(n == 8 || n == 50008);
}

/* Verifies: FR-LEDGER-002 */
static void test_a_full_disk_is_a_clear_error_and_loses_nothing(void **state)
{
	int pipefd[2], st;
	pid_t p;
	uint64_t n;
	char msg[512] = {0};

	(void)state;
	assert_int_equal(writer("before", 4, 4), HW_OK);
	assert_int_equal(pipe(pipefd), 0);
	p = fork();
	if (p == 0) {
		struct rlimit lim = {256 * 1024, 256 * 1024};
		hw_ledger l;
		hw_append big;
		static char payload[1 << 20];
		int err;

		close(pipefd[0]);
		signal(SIGXFSZ, SIG_IGN);
		memset(payload, 'x', sizeof(payload));
		big.kind = "big";
		big.payload_type = "text/plain";
		big.payload = payload;
		big.payload_len = sizeof(payload);
		setrlimit(RLIMIT_FSIZE, &lim);
		err = hw_ledger_open(&l, HW_LEDGER_DB, 0);
		if (!err)
			err = hw_ledger_append(&l, &big, 1, "", &key, NULL);
		if (write(pipefd[1], hw_error_last(), strlen(hw_error_last())) <
		    0)
			_exit(3);
		_exit(err ? 2 : 0);
	}
	close(pipefd[1]);
	assert_true(read(pipefd[0], msg, sizeof(msg) - 1) > 0);
	close(pipefd[0]);
	assert_int_equal(waitpid(p, &st, 0), p);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 2);
	assert_non_null(strstr(msg, ".hwledger/ledger.db"));
	verify_ok(&n);
	assert_int_equal(n, 4);
	/* a payload over the ledger's limit is refused before any write */
	{
		hw_ledger l;
		hw_append huge = {"k", "t", "", HW_LEDGER_MAX_PAYLOAD + 1};

		assert_int_equal(hw_ledger_open(&l, HW_LEDGER_DB, 0), HW_OK);
		assert_int_equal(hw_ledger_append(&l, &huge, 1, "", &key, NULL),
				 HW_ETOOBIG);
		hw_ledger_close(&l);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_two_writers_leave_one_contiguous_chain, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_a_writer_killed_mid_batch_leaves_none_or_all,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_a_full_disk_is_a_clear_error_and_loses_nothing,
			setup, teardown),
	};

	assert_int_equal(hw_crypto_init(), HW_OK);
	return cmocka_run_group_tests_name("ledger_io", tests, NULL, NULL);
}
