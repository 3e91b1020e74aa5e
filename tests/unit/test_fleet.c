/*
 * test_fleet.c — the fleet's certificates: the CA, enrolment tokens and
 * the check on every connection, at a clock the tests set
 * (HWLEDGER_NOW).
 */
#include "harness.h"

#include <dirent.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include "fleet/internal.h"

#define T0 2000000000 /* 2033-05-18, any time will do */

static hw_seckey agent;

static int setup(void **state)
{
	*state = hw_test_chdir_tmp();
	setenv("HWLEDGER_NOW", "2000000000", 1);
	assert_int_equal(hw_fleet_ca_init("ca", "Test CA", 365), HW_OK);
	assert_int_equal(hw_key_generate(&agent, "agent", "gpu-1"), HW_OK);
	return 0;
}

static int teardown(void **state)
{
	unsetenv("HWLEDGER_NOW");
	return hw_test_teardown_tmp(state);
}

static void set_now(long long t)
{
	char s[32];

	snprintf(s, sizeof(s), "%lld", t);
	setenv("HWLEDGER_NOW", s, 1);
}

/* what a token was made for: 1 for an operator */
static int role;

/* A certificate for gpu-1 (an operator's when operator is 1) through a
 * token, valid days from now. */
static void enrol_as(hw_buf *pem, char serial[HW_FLEET_SERIAL_HEX + 1],
		     unsigned days, int operator)
{
	char token[HW_FLEET_TOKEN_LEN + 1], host[HW_KEY_NAME_MAX + 1];

	assert_int_equal(hw_fleet_token_new(token, "state", "gpu-1", 600,
					    operator),
			 HW_OK);
	assert_int_equal(hw_fleet_token_redeem(host, &role, "state", token),
			 HW_OK);
	assert_string_equal(host, "gpu-1");
	assert_int_equal(role, operator);
	hw_buf_init(pem, 0);
	assert_int_equal(hw_fleet_cert_issue(pem, serial, "ca", "state",
					     host, &agent.pub, days, role),
			 HW_OK);
}

static void enrol(hw_buf *pem, char serial[HW_FLEET_SERIAL_HEX + 1],
		  unsigned days)
{
	enrol_as(pem, serial, days, 0);
}

/* Queues a job of kind for host with a 60 s deadline and retries,
 * signed into the ledger with the agent's key as the operator's. */
static int queue(long long *id, hw_registry *r, const char *host,
		 const char *kind, long long retries)
{
	hw_fleet_order o = {host, kind, NULL, 60, retries};

	return hw_jobs_queue(id, r, &agent, "op", &o, T0);
}

/* The SubjectPublicKeyInfo of a GnuTLS public key, DER. */
static size_t spki(uint8_t *out, size_t size, gnutls_pubkey_t k)
{
	assert_int_equal(hw_gt.gnutls_pubkey_export(k, GNUTLS_X509_FMT_DER,
						    out, &size),
			 0);
	return size;
}

/* Verifies: FR-FLEET-001, FR-FLEET-002 */
static void test_fleet_certificate_carries_the_agents_own_key(void **state)
{
	char serial[HW_FLEET_SERIAL_HEX + 1], host[HW_KEY_NAME_MAX + 1];
	uint8_t want[128], got[128];
	gnutls_pubkey_t mine, theirs;
	gnutls_x509_crt_t crt;
	size_t nwant, ngot;
	hw_buf pem;

	(void)state;
	enrol(&pem, serial, 30);
	assert_int_equal(hw_fleet_crt_load(&crt, &pem, "gpu-1.crt"), HW_OK);
	assert_int_equal(hw_fleet_pubkey(&mine, &agent.pub), HW_OK);
	assert_int_equal(hw_gt.gnutls_pubkey_init(&theirs), 0);
	assert_int_equal(hw_gt.gnutls_pubkey_import_x509(theirs, crt, 0), 0);
	nwant = spki(want, sizeof(want), mine);
	ngot = spki(got, sizeof(got), theirs);
	assert_int_equal(ngot, nwant);
	assert_memory_equal(got, want, nwant);
	assert_int_equal(hw_gt.gnutls_x509_crt_get_expiration_time(crt),
			 T0 + 30 * 86400);
	assert_int_equal(hw_fleet_cert_check(host, "ca", "state", &pem,
					     "gpu-1.crt"),
			 HW_OK);
	assert_string_equal(host, "gpu-1");
	assert_true(hw_path_exists("state/issued"));
	hw_gt.gnutls_pubkey_deinit(theirs);
	hw_gt.gnutls_pubkey_deinit(mine);
	hw_gt.gnutls_x509_crt_deinit(crt);
	hw_buf_free(&pem);
}

/* Verifies: FR-FLEET-002 */
static void test_fleet_token_is_used_once_by_two_at_a_time(void **state)
{
	char token[HW_FLEET_TOKEN_LEN + 1], host[HW_KEY_NAME_MAX + 1];
	int ok = 0;

	(void)state;
	for (int round = 0; round < 20; round++) {
		pid_t pid[2];

		assert_int_equal(hw_fleet_token_new(token, "state", "gpu-1",
						    600, 0),
				 HW_OK);
		for (int i = 0; i < 2; i++) {
			pid[i] = fork();
			assert_true(pid[i] >= 0);
			if (pid[i] == 0)
				_exit(hw_fleet_token_redeem(host, &role,
							    "state",
							    token) == HW_OK);
		}
		ok = 0;
		for (int i = 0; i < 2; i++) {
			int st;

			assert_int_equal(waitpid(pid[i], &st, 0), pid[i]);
			assert_true(WIFEXITED(st));
			ok += WEXITSTATUS(st);
		}
		assert_int_equal(ok, 1);
	}
	/* and an expired one is refused once its time has come */
	assert_int_equal(hw_fleet_token_new(token, "state", "gpu-1", 10, 0),
			 HW_OK);
	set_now(T0 + 10);
	assert_int_equal(hw_fleet_token_redeem(host, &role, "state", token),
			 HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "expired"));
}

/* The one record under state/tokens/ (the token's hash names it)
 * replaced by text. */
static void token_record_is(const char *text)
{
	DIR *d = opendir("state/tokens");
	struct dirent *e;
	char path[512] = "";
	FILE *f;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && !strchr(e->d_name, '.'))
			snprintf(path, sizeof(path), "state/tokens/%s",
				 e->d_name);
	closedir(d);
	assert_true(path[0]);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A record cut short, or of another shape, is refused, never read past
 * its end (the record is the server's own file, but a disk can cut it).
 * Found by tests/fuzz/fuzz_fleet.c. */
/* Verifies: FR-FLEET-002 */
static void test_fleet_token_record_cut_short_is_refused(void **state)
{
	static const char *const bad[] = {
		"hwledger", "hwledger fleet token v1\nhost: gpu-1",
		"hwledger fleet token v1\nhost: gpu-1\nexpires: x\n",
		"hwledger fleet token v1\nhost: ../x\nexpires: 9999999999\n",
		""};
	char token[HW_FLEET_TOKEN_LEN + 1], host[HW_KEY_NAME_MAX + 1];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_equal(hw_fleet_token_new(token, "state", "gpu-1",
						    600, 0),
				 HW_OK);
		token_record_is(bad[i]);
		assert_int_equal(hw_fleet_token_redeem(host, &role, "state",
						       token),
				 HW_EINVAL);
		assert_non_null(strstr(hw_error_last(),
				       "not an enrolment token record"));
	}
}

/* Verifies: FR-FLEET-003 */
static void test_fleet_check_uses_the_fleet_clock_and_deny_list(void **state)
{
	char serial[HW_FLEET_SERIAL_HEX + 1], host[HW_KEY_NAME_MAX + 1];
	hw_buf pem;

	(void)state;
	enrol(&pem, serial, 1);
	set_now(T0 + 86399);
	assert_int_equal(hw_fleet_cert_check(host, "ca", "state", &pem, "c"),
			 HW_OK);
	set_now(T0 + 86400);
	assert_int_equal(hw_fleet_cert_check(host, "ca", "state", &pem, "c"),
			 HW_EFAIL);
	assert_non_null(strstr(hw_error_last(), "expired at"));
	set_now(T0 - 1);
	assert_int_equal(hw_fleet_cert_check(host, "ca", "state", &pem, "c"),
			 HW_EFAIL);
	assert_non_null(strstr(hw_error_last(), "not valid before"));
	set_now(T0);
	assert_int_equal(hw_fleet_revoke("state", serial, "lost"), HW_OK);
	assert_int_equal(hw_fleet_cert_check(host, "ca", "state", &pem, "c"),
			 HW_EFAIL);
	assert_non_null(strstr(hw_error_last(), "revoked"));
	assert_int_equal(hw_fleet_revoke("state", "0123", "lost"), HW_EUSAGE);
	setenv("HWLEDGER_NOW", "12x", 1);
	assert_int_equal(hw_fleet_cert_check(host, "ca", "state", &pem, "c"),
			 HW_EUSAGE);
	hw_buf_free(&pem);
}

/* Verifies: FR-FLEET-004 */
static void test_fleet_server_certificate_names_where_it_listens(void **state)
{
	const char *names[] = {"localhost", "127.0.0.1", "10.1.2.3"};
	gnutls_x509_crt_t crt;
	hw_seckey k, again;
	hw_buf pem, key;

	(void)state;
	hw_buf_init(&pem, 0);
	hw_buf_init(&key, 0);
	assert_int_equal(hw_fleet_server_cert(&pem, &k, "ca", "state", names,
					      3),
			 HW_OK);
	assert_int_equal(hw_fleet_crt_load(&crt, &pem, "server.crt"), HW_OK);
	for (size_t i = 0; i < 3; i++)
		assert_true(hw_gt.gnutls_x509_crt_check_hostname(crt, names[i]));
	assert_false(hw_gt.gnutls_x509_crt_check_hostname(crt, "10.1.2.4"));
	assert_false(hw_gt.gnutls_x509_crt_check_hostname(crt, "example.org"));
	hw_gt.gnutls_x509_crt_deinit(crt);
	/* the key is made once and kept, 0600 */
	assert_int_equal(hw_seckey_load(&again, "state/server.key"), HW_OK);
	assert_memory_equal(again.pub.pk, k.pub.pk, 32);
	assert_int_equal(hw_fleet_key_pem(&key, &k), HW_OK);
	assert_non_null(strstr(key.data, "-----BEGIN PRIVATE KEY-----"));
	hw_buf_free(&key);
	hw_buf_free(&pem);
}

/* Verifies: FR-FLEET-004 */
static void test_fleet_request_names_what_went_wrong(void **state)
{
	hw_fleet_peer peer = {"http://127.0.0.1:1", "ca", NULL, NULL, 5, NULL};
	hw_buf body;
	int status = 0;

	(void)state;
	hw_buf_init(&body, 0);
	assert_int_equal(hw_fleet_request(&body, &status, &peer, "GET", "/", NULL),
			 HW_EUSAGE);
	assert_non_null(strstr(hw_error_last(), "expected https://HOST:PORT"));
	/* port 1 on the loopback: nobody listens */
	peer.url = "https://127.0.0.1:1";
	assert_int_equal(hw_fleet_request(&body, &status, &peer, "GET", "/", NULL),
			 HW_EIO);
	assert_non_null(strstr(hw_error_last(), "cannot connect"));
	peer.ca_dir = "no-ca";
	assert_int_equal(hw_fleet_request(&body, &status, &peer, "GET", "/", NULL),
			 HW_ENOTFOUND);
	hw_buf_free(&body);
}

/* The state of host i of a hosts document. */
static void expect_host(const hw_buf *json, int i, const char *host,
			const char *state)
{
	cJSON *doc = cJSON_Parse(json->data);
	cJSON *h = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "hosts"), i);

	assert_non_null(h);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(h, "host")),
			    host);
	assert_string_equal(
		cJSON_GetStringValue(cJSON_GetObjectItem(h, "state")), state);
	cJSON_Delete(doc);
}

/* Verifies: FR-FLEET-005 */
static void test_fleet_registry_keeps_agents_and_judges_liveness(void **state)
{
	hw_registry r;
	hw_buf json;
	sqlite3_stmt *st;
	int known = 1;

	(void)state;
	hw_buf_init(&json, 0);
	assert_int_equal(hw_registry_open(&r, "state"), HW_OK);
	assert_int_equal(hw_registry_known(&known, &r, "aa"), HW_OK);
	assert_false(known);
	assert_int_equal(hw_registry_heartbeat(&r, "aa", "gpu-2", 1000, 10, 1),
			 HW_OK);
	assert_int_equal(hw_registry_heartbeat(&r, "bb", "gpu-1", 1000, 60, 1),
			 HW_OK);
	assert_int_equal(hw_registry_heartbeat(&r, "aa", "gpu-2", 1005, 10, 0),
			 HW_OK);
	/* a heartbeat not synced leaves every later commit synced */
	assert_int_equal(sqlite3_prepare_v2(r.db, "PRAGMA synchronous", -1,
					    &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2 /* FULL */);
	sqlite3_finalize(st);
	hw_registry_close(&r);
	/* reopened: both are there, sorted by host */
	assert_int_equal(hw_registry_open(&r, "state"), HW_OK);
	assert_int_equal(hw_registry_known(&known, &r, "aa"), HW_OK);
	assert_true(known);
	assert_int_equal(hw_registry_hosts_json(&json, &r, 1035, 0), HW_OK);
	expect_host(&json, 0, "gpu-1", "up");
	expect_host(&json, 1, "gpu-2", "up");
	hw_buf_clear(&json);
	assert_int_equal(hw_registry_hosts_json(&json, &r, 1036, 0), HW_OK);
	expect_host(&json, 1, "gpu-2", "down");
	assert_non_null(strstr(json.data, "\"last_seen\":1005"));
	hw_registry_close(&r);
	hw_buf_free(&json);
}

/* Verifies: FR-FLEET-007 */
static void test_fleet_job_result_is_refused_forged_replayed_or_misplaced(
	void **state)
{
	const char *result = "{\"schema\":\"hwledger.probe/1\"}";
	size_t len = strlen(result);
	hw_fleet_job job, none;
	hw_seckey other;
	hw_registry r;
	uint8_t sig[64], bad[64];
	long long id = 0;
	hw_buf msg;

	(void)state;
	hw_buf_init(&msg, 0);
	assert_int_equal(hw_key_generate(&other, "agent", "gpu-2"), HW_OK);
	assert_int_equal(hw_registry_open(&r, "state"), HW_OK);
	assert_int_equal(queue(&id, &r, "gpu-1", "probe", 0), HW_OK);
	assert_int_equal(queue(&id, &r, "gpu-1", "reboot", 0), HW_EUSAGE);
	/* another host's agent gets nothing; gpu-1's gets the job, once */
	assert_int_equal(hw_jobs_next(&none, &r, "gpu-2", "s2", T0), HW_OK);
	assert_int_equal(none.id, 0);
	assert_int_equal(hw_jobs_next(&job, &r, "gpu-1", "s1", T0), HW_OK);
	assert_true(job.id > 0);
	assert_string_equal(job.kind, "probe");
	assert_int_equal(strlen(job.nonce), 32);
	assert_int_equal(hw_jobs_next(&none, &r, "gpu-1", "s1", T0), HW_OK);
	assert_int_equal(none.id, 0);
	hw_fleet_result_message(&msg, job.id, job.nonce, result, len);
	crypto_sign_detached(sig, NULL, (const uint8_t *)msg.data, msg.len,
			     agent.sk);
	crypto_sign_detached(bad, NULL, (const uint8_t *)msg.data, msg.len,
			     other.sk);
	/* forged: signed by another key */
	assert_int_equal(hw_jobs_check_result(&none, &r, "s1", agent.pub.pk,
					      job.id, job.nonce, result, len,
					      bad),
			 HW_EFAIL);
	assert_non_null(strstr(hw_error_last(), "does not verify"));
	/* the result changed after it was signed */
	assert_int_equal(hw_jobs_check_result(&none, &r, "s1", agent.pub.pk,
					      job.id, job.nonce, "{}", 2, sig),
			 HW_EFAIL);
	/* another agent, another nonce, a job that does not exist */
	assert_int_equal(hw_jobs_check_result(&none, &r, "s2", other.pub.pk,
					      job.id, job.nonce, result, len,
					      sig),
			 HW_EFAIL);
	assert_non_null(strstr(hw_error_last(), "was not given to this agent"));
	assert_int_equal(hw_jobs_check_result(&none, &r, "s1", agent.pub.pk,
					      job.id, "00", result, len, sig),
			 HW_EFAIL);
	assert_non_null(strstr(hw_error_last(), "not the nonce"));
	assert_int_equal(hw_jobs_check_result(&none, &r, "s1", agent.pub.pk,
					      job.id + 1, job.nonce, result,
					      len, sig),
			 HW_EFAIL);
	assert_non_null(strstr(hw_error_last(), "no job"));
	/* the real one, then the same again: a replay */
	assert_int_equal(hw_jobs_check_result(&none, &r, "s1", agent.pub.pk,
					      job.id, job.nonce, result, len,
					      sig),
			 HW_OK);
	assert_int_equal(hw_jobs_done(&r, job.id, "done", result, len, T0 + 5), HW_OK);
	assert_int_equal(hw_jobs_check_result(&none, &r, "s1", agent.pub.pk,
					      job.id, job.nonce, result, len,
					      sig),
			 HW_EFAIL);
	assert_non_null(strstr(hw_error_last(), "has its result already"));
	hw_registry_close(&r);
	hw_buf_free(&msg);
}

/* Verifies: FR-FLEET-008 */
static void test_fleet_status_shows_the_latest_probe_or_none(void **state)
{
	hw_fleet_job job;
	hw_registry r;
	long long id;
	hw_buf json;
	cJSON *doc, *hosts;

	(void)state;
	hw_buf_init(&json, 0);
	assert_int_equal(hw_registry_open(&r, "state"), HW_OK);
	assert_int_equal(hw_registry_heartbeat(&r, "s1", "gpu-1", T0, 10, 1),
			 HW_OK);
	assert_int_equal(hw_registry_heartbeat(&r, "s2", "gpu-2", T0, 10, 1),
			 HW_OK);
	for (int i = 0; i < 2; i++) {
		char result[64];

		snprintf(result, sizeof(result),
			 "{\"schema\":\"hwledger.probe/1\",\"n\":%d}", i);
		assert_int_equal(queue(&id, &r, "gpu-1", "probe", 0), HW_OK);
		assert_int_equal(hw_jobs_next(&job, &r, "gpu-1", "s1", T0), HW_OK);
		free(job.args);
		assert_int_equal(hw_jobs_done(&r, job.id, "done", result,
					      strlen(result), T0 + i),
				 HW_OK);
	}
	assert_int_equal(hw_registry_hosts_json(&json, &r, T0 + 1, 1), HW_OK);
	doc = cJSON_Parse(json.data);
	assert_non_null(doc);
	hosts = cJSON_GetObjectItem(doc, "hosts");
	assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(
				 cJSON_GetObjectItem(cJSON_GetArrayItem(hosts, 0),
						     "probe"),
				 "n")),
			 1);
	assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(
				 cJSON_GetArrayItem(hosts, 0), "probed")),
			 T0 + 1);
	/* a host never probed has no readings: null, never zeros */
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(
		cJSON_GetArrayItem(hosts, 1), "probe")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(
		cJSON_GetArrayItem(hosts, 1), "probed")));
	cJSON_Delete(doc);
	hw_registry_close(&r);
	hw_buf_free(&json);
}

/* The result of job as an agent of key k signs it. */
static int answer(hw_registry *r, const hw_fleet_job *job, const char *serial,
		  const hw_seckey *k)
{
	const char *result = "{\"schema\":\"hwledger.probe/1\"}";
	hw_fleet_job seen;
	uint8_t sig[64];
	hw_buf msg;
	int err;

	hw_buf_init(&msg, 0);
	hw_fleet_result_message(&msg, job->id, job->nonce, result,
				strlen(result));
	crypto_sign_detached(sig, NULL, (const uint8_t *)msg.data, msg.len,
			     k->sk);
	hw_buf_free(&msg);
	err = hw_jobs_check_result(&seen, r, serial, k->pub.pk, job->id,
				   job->nonce, result, strlen(result), sig);
	return err;
}

/* Verifies: FR-FLEET-007 */
static void test_fleet_heartbeat_counts_the_jobs_waiting(void **state)
{
	hw_fleet_job job;
	hw_registry r;
	long long id, n = -1;

	(void)state;
	assert_int_equal(hw_registry_open(&r, "state"), HW_OK);
	assert_int_equal(hw_jobs_waiting(&n, &r, "gpu-1", T0), HW_OK);
	assert_int_equal(n, 0);
	assert_int_equal(queue(&id, &r, "gpu-1", "probe", 0), HW_OK);
	assert_int_equal(queue(&id, &r, "gpu-1", "probe", 0), HW_OK);
	assert_int_equal(queue(&id, &r, "gpu-2", "probe", 0), HW_OK);
	assert_int_equal(hw_jobs_waiting(&n, &r, "gpu-1", T0), HW_OK);
	assert_int_equal(n, 2);
	/* a job given is not waiting, until its deadline and grace pass */
	assert_int_equal(hw_jobs_next(&job, &r, "gpu-1", "s1", T0), HW_OK);
	assert_int_not_equal(job.id, 0);
	assert_int_equal(hw_jobs_waiting(&n, &r, "gpu-1", T0 + 89), HW_OK);
	assert_int_equal(n, 1);
	assert_int_equal(hw_jobs_waiting(&n, &r, "gpu-1", T0 + 90), HW_OK);
	assert_int_equal(n, 2);
	assert_int_equal(hw_jobs_waiting(&n, &r, "gpu-3", T0 + 90), HW_OK);
	assert_int_equal(n, 0);
	free(job.args);
	hw_registry_close(&r);
}

/* Verifies: FR-FLEET-009 */
static void test_fleet_job_deadline_retries_then_times_out(void **state)
{
	hw_fleet_job first, second, none;
	hw_registry r;
	long long id;
	hw_buf json;
	cJSON *doc;

	(void)state;
	hw_buf_init(&json, 0);
	assert_int_equal(hw_registry_open(&r, "state"), HW_OK);
	assert_int_equal(queue(&id, &r, "gpu-1", "probe", 1), HW_OK);
	assert_int_equal(hw_jobs_next(&first, &r, "gpu-1", "s1", T0), HW_OK);
	assert_int_equal(first.deadline, 60);
	/* running until its deadline and the grace after it; then given
	 * again with a new nonce */
	assert_int_equal(hw_jobs_expire(&r, &agent, T0 + 89), HW_OK);
	assert_int_equal(hw_jobs_next(&none, &r, "gpu-1", "s1", T0 + 89),
			 HW_OK);
	assert_int_equal(none.id, 0);
	assert_int_equal(hw_jobs_expire(&r, &agent, T0 + 90), HW_OK);
	/* the first attempt's late answer is refused */
	assert_int_equal(answer(&r, &first, "s1", &agent), HW_EFAIL);
	assert_non_null(strstr(hw_error_last(), "was not given to this agent"));
	assert_int_equal(hw_jobs_next(&second, &r, "gpu-1", "s1", T0 + 100),
			 HW_OK);
	assert_int_equal(second.id, first.id);
	assert_string_not_equal(second.nonce, first.nonce);
	assert_int_equal(answer(&r, &first, "s1", &agent), HW_EFAIL);
	assert_non_null(strstr(hw_error_last(), "not the nonce"));
	/* no retry left: timed out for good, and its answer refused */
	assert_int_equal(hw_jobs_expire(&r, &agent, T0 + 190), HW_OK);
	assert_int_equal(answer(&r, &second, "s1", &agent), HW_EFAIL);
	assert_non_null(strstr(hw_error_last(), "job 1 timed out"));
	assert_int_equal(hw_jobs_json(&json, &r, T0 + 190), HW_OK);
	doc = cJSON_Parse(json.data);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
				    cJSON_GetArrayItem(cJSON_GetObjectItem(doc,
									   "jobs"),
						       0),
				    "state")),
			    "timed-out");
	assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(
				 cJSON_GetArrayItem(cJSON_GetObjectItem(doc,
									"jobs"),
						    0),
				 "attempts")),
			 2);
	cJSON_Delete(doc);
	free(first.args);
	free(second.args);
	hw_registry_close(&r);
	hw_buf_free(&json);
}

/* Verifies: FR-FLEET-009 */
static void test_fleet_job_cancelled_refuses_its_result(void **state)
{
	hw_fleet_job job;
	hw_registry r;
	long long id, queued;

	(void)state;
	assert_int_equal(hw_registry_open(&r, "state"), HW_OK);
	assert_int_equal(queue(&id, &r, "gpu-1", "probe", 0), HW_OK);
	assert_int_equal(queue(&queued, &r, "gpu-1", "probe", 0), HW_OK);
	assert_int_equal(hw_jobs_next(&job, &r, "gpu-1", "s1", T0), HW_OK);
	assert_int_equal(job.id, id);
	assert_int_equal(hw_jobs_cancel(&r, &agent, "op", id, T0 + 1), HW_OK);
	assert_int_equal(hw_jobs_cancel(&r, &agent, "op", queued, T0 + 1),
			 HW_OK);
	assert_int_equal(answer(&r, &job, "s1", &agent), HW_EFAIL);
	assert_non_null(strstr(hw_error_last(), "was cancelled"));
	/* a cancelled job is no longer given, nor cancelled again */
	free(job.args);
	assert_int_equal(hw_jobs_next(&job, &r, "gpu-1", "s1", T0 + 2), HW_OK);
	assert_int_equal(job.id, 0);
	assert_int_equal(hw_jobs_cancel(&r, &agent, "op", id, T0 + 2),
			 HW_EFAIL);
	assert_non_null(strstr(hw_error_last(), "is cancelled already"));
	assert_int_equal(hw_jobs_cancel(&r, &agent, "op", 99, T0 + 2),
			 HW_ENOTFOUND);
	hw_registry_close(&r);
}

/* Verifies: FR-FLEET-010 */
static void test_fleet_operator_role_is_in_the_certificate(void **state)
{
	char serial[HW_FLEET_SERIAL_HEX + 1];
	gnutls_x509_crt_t crt;
	hw_fleet_trust t;
	hw_fleet_id id;
	hw_buf pem;

	(void)state;
	assert_int_equal(hw_fleet_trust_load(&t, "ca"), HW_OK);
	assert_int_equal(t.n, 1);
	for (int operator = 0; operator < 2; operator++) {
		enrol_as(&pem, serial, 30, operator);
		assert_int_equal(hw_fleet_crt_load(&crt, &pem, "x.crt"), HW_OK);
		/* either is a client certificate of the fleet; only one is
		 * an operator's */
		assert_int_equal(hw_fleet_crt_judge(&id, crt, &t, "state",
						    "x.crt"),
				 HW_OK);
		assert_int_equal(id.ca_until,
				 hw_gt.gnutls_x509_crt_get_expiration_time(
					 t.ca[0]));
		assert_string_equal(id.serial, serial);
		assert_int_equal(id.operator, operator);
		assert_int_equal(hw_fleet_crt_operator(crt), operator);
		hw_gt.gnutls_x509_crt_deinit(crt);
		hw_buf_free(&pem);
	}
	hw_fleet_trust_free(&t);
}

/* HW_OK or the error of checking a job of kind with args (JSON). */
static int args_check(const char *kind, const char *args)
{
	cJSON *a = args ? cJSON_Parse(args) : NULL;
	int err = hw_fleet_args_check(kind, a);

	cJSON_Delete(a);
	return err;
}

/* Verifies: FR-FLEET-011 */
static void test_fleet_job_arguments_are_checked_by_kind(void **state)
{
	const char *result = "{\"schema\":\"hwledger.plan/1\"}";
	const char *st;
	cJSON *doc;

	(void)state;
	assert_int_equal(args_check("probe", NULL), HW_OK);
	assert_int_equal(args_check("probe", "[\"--ssh\"]"), HW_EUSAGE);
	assert_int_equal(args_check("plan", "[\"--model\",\"m/x.json\","
					    "\"--ctx\",\"32k\"]"),
			 HW_OK);
	/* no model, an option plan jobs may not set, a value missing, an
	 * option twice, a model outside the agent's folder */
	assert_int_equal(args_check("plan", "[\"--ctx\",\"1k\"]"), HW_EUSAGE);
	assert_int_equal(args_check("plan", "[\"--model\",\"x\",\"--gpu\","
					    "\"H100\"]"),
			 HW_EUSAGE);
	assert_int_equal(args_check("plan", "[\"--model\"]"), HW_EUSAGE);
	assert_int_equal(args_check("plan", "[\"--model\",\"x\",\"--model\","
					    "\"y\"]"),
			 HW_EUSAGE);
	for (size_t i = 0; i < 4; i++) {
		static const char *const bad[] = {
			"[\"--model\",\"/etc/passwd\"]",
			"[\"--model\",\"../x\"]",
			"[\"--model\",\"a/../../x\"]",
			"[\"--model\",\"a/..\"]",
		};

		assert_int_equal(args_check("plan", bad[i]), HW_EUSAGE);
	}
	assert_int_equal(args_check("command", "[\"hello\"]"), HW_OK);
	assert_int_equal(args_check("command", "[\"a\",\"b\"]"), HW_EUSAGE);
	assert_int_equal(args_check("command", "[\"a b\"]"), HW_EUSAGE);
	assert_int_equal(args_check("command", "[\"$(x)\"]"), HW_EUSAGE);
	assert_int_equal(args_check("reboot", NULL), HW_EUSAGE);
	/* a plan job is answered by a plan, or a failure, nothing else */
	doc = cJSON_Parse(result);
	assert_int_equal(hw_fleet_result_state(&st, "plan", doc), HW_OK);
	assert_string_equal(st, "done");
	assert_int_equal(hw_fleet_result_state(&st, "probe", doc), HW_EINVAL);
	cJSON_Delete(doc);
	doc = cJSON_Parse("{\"schema\":\"hwledger.fleet.failure/1\","
			  "\"state\":\"done\"}");
	assert_int_equal(hw_fleet_result_state(&st, "plan", doc), HW_EINVAL);
	cJSON_Delete(doc);
}

/* Verifies: FR-FLEET-008 */
static void test_fleet_probe_result_is_a_probe_of_one_host(void **state)
{
	static const char *const bad[] = {
		"{\"index\":1}",
		"{\"index\":\"0\"}",
		"{\"index\":0,\"name\":{\"status\":\"ok\"}}",
		"{\"index\":0,\"name\":{\"status\":\"fine\"}}",
		"{\"index\":0,\"name\":{\"status\":\"error\","
		"\"reason\":7}}",
	};
	const char *st;
	char text[512];
	cJSON *doc;

	(void)state;
	for (size_t i = 0; i <= sizeof(bad) / sizeof(*bad); i++) {
		snprintf(text, sizeof(text),
			 "{\"schema\":\"hwledger.probe/1\",\"hosts\":[{"
			 "\"host\":\"h\",\"reachable\":true,\"system\":{},"
			 "\"backends\":{},\"gpus\":[%s]}]}",
			 i < sizeof(bad) / sizeof(*bad)
				 ? bad[i]
				 : "{\"index\":0,\"name\":{\"value\":\"A10\","
				   "\"unit\":null,\"status\":\"ok\","
				   "\"reason\":null}}");
		doc = cJSON_Parse(text);
		assert_int_equal(hw_fleet_result_state(&st, "probe", doc),
				 i < sizeof(bad) / sizeof(*bad) ? HW_EINVAL
								: HW_OK);
		cJSON_Delete(doc);
	}
	doc = cJSON_Parse("{\"schema\":\"hwledger.probe/1\",\"hosts\":[]}");
	assert_int_equal(hw_fleet_result_state(&st, "probe", doc), HW_EINVAL);
	cJSON_Delete(doc);
}

/* Verifies: FR-FLEET-009 */
static void test_fleet_first_slice_jobs_table_is_upgraded(void **state)
{
	sqlite3 *db;
	hw_registry r;
	hw_fleet_job job;

	(void)state;
	assert_int_equal(hw_mkdir_p("state"), HW_OK);
	assert_int_equal(sqlite3_open("state/fleet.db", &db), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(db,
			     "CREATE TABLE jobs (id INTEGER PRIMARY KEY"
			     " AUTOINCREMENT, host TEXT NOT NULL, kind TEXT"
			     " NOT NULL, nonce TEXT NOT NULL, state TEXT NOT"
			     " NULL DEFAULT 'queued', serial TEXT, queued"
			     " INTEGER NOT NULL, done INTEGER, result TEXT);"
			     "INSERT INTO jobs (host, kind, nonce, queued)"
			     " VALUES ('gpu-1', 'probe', 'n', 1)",
			     NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(hw_registry_open(&r, "state"), HW_OK);
	assert_int_equal(hw_jobs_next(&job, &r, "gpu-1", "s1", T0), HW_OK);
	assert_int_equal(job.id, 1);
	assert_int_equal(job.deadline, HW_FLEET_DEADLINE_DEFAULT);
	hw_registry_close(&r);
	/* and opened again, it is left as it is */
	assert_int_equal(hw_registry_open(&r, "state"), HW_OK);
	hw_registry_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_fleet_certificate_carries_the_agents_own_key,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_fleet_token_is_used_once_by_two_at_a_time, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_fleet_token_record_cut_short_is_refused, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_fleet_check_uses_the_fleet_clock_and_deny_list,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_fleet_server_certificate_names_where_it_listens,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_fleet_request_names_what_went_wrong, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_fleet_registry_keeps_agents_and_judges_liveness,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_fleet_job_result_is_refused_forged_replayed_or_misplaced,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_fleet_status_shows_the_latest_probe_or_none, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_fleet_heartbeat_counts_the_jobs_waiting, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_fleet_job_deadline_retries_then_times_out, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_fleet_job_cancelled_refuses_its_result, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_fleet_first_slice_jobs_table_is_upgraded, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_fleet_operator_role_is_in_the_certificate, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_fleet_job_arguments_are_checked_by_kind, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_fleet_probe_result_is_a_probe_of_one_host, setup,
			teardown),
	};

	assert_int_equal(hw_crypto_init(), HW_OK);
	return cmocka_run_group_tests_name("fleet", tests, NULL, NULL);
}
