/*
 * fleet/internal.h — what the fleet's files share: GnuTLS's functions,
 * loaded with dlopen (gnutls.c), and the keys and certificates in GnuTLS's
 * types.
 */
#ifndef HW_FLEET_INTERNAL_H
#define HW_FLEET_INTERNAL_H

#include "fleet/fleet.h"

#include <sys/types.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

/* id-kp-clientAuth, the purpose of an agent's certificate */
#define OID_CLIENT_AUTH "1.3.6.1.5.5.7.3.2"
/* id-kp-serverAuth, the purpose of the server's */
#define OID_SERVER_AUTH "1.3.6.1.5.5.7.3.1"
/* the organizational unit of an operator's client certificate: its
 * subject is CN=NAME, OU=ROLE_OPERATOR */
#define ROLE_OPERATOR_OU "hwledger fleet operator"

#define GNUTLS_FUNCS(X) \
	X(gnutls_strerror) \
	X(gnutls_pubkey_init) \
	X(gnutls_pubkey_deinit) \
	X(gnutls_pubkey_import_ecc_raw) \
	X(gnutls_pubkey_import_x509) \
	X(gnutls_pubkey_export) \
	X(gnutls_x509_crt_init) \
	X(gnutls_x509_crt_deinit) \
	X(gnutls_x509_crt_import) \
	X(gnutls_x509_crt_export) \
	X(gnutls_x509_crt_set_version) \
	X(gnutls_x509_crt_set_serial) \
	X(gnutls_x509_crt_get_serial) \
	X(gnutls_x509_crt_set_dn_by_oid) \
	X(gnutls_x509_crt_get_dn_by_oid) \
	X(gnutls_x509_crt_set_activation_time) \
	X(gnutls_x509_crt_get_activation_time) \
	X(gnutls_x509_crt_set_expiration_time) \
	X(gnutls_x509_crt_get_expiration_time) \
	X(gnutls_x509_crt_set_basic_constraints) \
	X(gnutls_x509_crt_get_basic_constraints) \
	X(gnutls_x509_crt_set_key_usage) \
	X(gnutls_x509_crt_set_key_purpose_oid) \
	X(gnutls_x509_crt_get_key_purpose_oid) \
	X(gnutls_x509_crt_set_subject_key_id) \
	X(gnutls_x509_crt_get_subject_key_id) \
	X(gnutls_x509_crt_set_authority_key_id) \
	X(gnutls_x509_crt_set_pubkey) \
	X(gnutls_x509_crt_sign2) \
	X(gnutls_x509_crt_verify) \
	X(gnutls_x509_crt_set_subject_alt_name) \
	X(gnutls_x509_privkey_init) \
	X(gnutls_x509_privkey_deinit) \
	X(gnutls_x509_privkey_import_ecc_raw) \
	X(gnutls_x509_privkey_export) \
	X(gnutls_init) \
	X(gnutls_deinit) \
	X(gnutls_priority_set_direct) \
	X(gnutls_certificate_allocate_credentials) \
	X(gnutls_certificate_free_credentials) \
	X(gnutls_certificate_set_x509_trust_mem) \
	X(gnutls_certificate_set_x509_key) \
	X(gnutls_credentials_set) \
	X(gnutls_server_name_set) \
	X(gnutls_session_set_verify_cert) \
	X(gnutls_transport_set_int2) \
	X(gnutls_transport_set_push_function) \
	X(gnutls_handshake) \
	X(gnutls_handshake_set_timeout) \
	X(gnutls_record_send) \
	X(gnutls_record_recv) \
	X(gnutls_bye) \
	X(gnutls_certificate_get_peers) \
	X(gnutls_x509_crt_check_hostname)

/* hwledger-sast-ignore bugprone-macro-parentheses: f is a name */
#define X(f) __typeof__(f) *f;
struct hw_gnutls {
	GNUTLS_FUNCS(X)
};
#undef X
extern struct hw_gnutls hw_gt;

/* Loads GnuTLS once ($HWLEDGER_LIBGNUTLS names another library); HW_EIO
 * when it cannot. Not for two threads at once. */
int hw_gnutls_load(void);
/* HW_EIO "what: GnuTLS's message" when rc is a GnuTLS error, else HW_OK */
int hw_gnutls_check(int rc, const char *path, const char *what);

/* The first GnuTLS error of rc[0..n) as hw_gnutls_check reports it. */
int hw_gnutls_check_all(const int *rc, size_t n, const char *path,
			const char *what);
/* The Ed25519 key k as GnuTLS's public key. */
int hw_fleet_pubkey(gnutls_pubkey_t *out, const hw_pubkey *k);
/* The raw Ed25519 key of crt: the last 32 bytes of its 44-byte
 * SubjectPublicKeyInfo (the fleet's CA issues no other kind); HW_EFAIL
 * "refused: not an Ed25519 key" for another. */
int hw_fleet_crt_key(uint8_t pk[32], gnutls_x509_crt_t crt);
/* A PEM certificate; HW_EINVAL naming path when it is not one. */
int hw_fleet_crt_load(gnutls_x509_crt_t *crt, const hw_buf *pem,
		      const char *path);

/* 1 when crt is an operator's: its subject's OU is ROLE_OPERATOR_OU */
int hw_fleet_crt_operator(gnutls_x509_crt_t crt);

/* the most CAs one CA folder trusts: its own and those of trusted/ */
#define HW_FLEET_TRUST_MAX 8

/* The CAs a CA folder trusts (specs/fleet.md, "The CA's rotation"):
 * DIR/ca.crt first, the one that issues, then every DIR/trusted/NAME.crt
 * in the order of their names; pem holds them all, one after the other,
 * for GnuTLS's list of trusted certificates. */
typedef struct hw_fleet_trust {
	gnutls_x509_crt_t ca[HW_FLEET_TRUST_MAX];
	size_t n;
	hw_buf pem;
} hw_fleet_trust;

int hw_fleet_trust_load(hw_fleet_trust *t, const char *ca_dir);
void hw_fleet_trust_free(hw_fleet_trust *t);

/* Who a judged client certificate names, and what its judgment depends
 * on as time passes. */
typedef struct hw_fleet_id {
	char host[HW_KEY_NAME_MAX + 1];
	char serial[HW_FLEET_SERIAL_HEX + 1];
	uint8_t pk[32];     /* the certificate's key */
	int operator;       /* an operator's certificate, not an agent's */
	time_t from, until; /* the certificate's validity */
	time_t ca_until;    /* the end of the CA that issued it */
} hw_fleet_id;

/* hw_fleet_cert_check on a certificate in memory, judged by the CA of t
 * that signed it; what it names in *id. */
int hw_fleet_crt_judge(hw_fleet_id *id, gnutls_x509_crt_t crt,
		       const hw_fleet_trust *t, const char *state,
		       const char *label);
/* The part of hw_fleet_crt_judge that changes with time: the fleet's clock
 * within the certificate's validity (from, until) and before its CA's end
 * (ca_until), and its serial not on STATE/denied. */
int hw_fleet_crt_in_force(const char *serial, time_t from, time_t until,
			  time_t ca_until, const char *state,
			  const char *label);
/* The server's key (STATE/server.key, made on first use) into k, and a
 * certificate for it from the CA of ca_dir naming names (IPv4 addresses
 * or DNS names), PEM into pem. */
int hw_fleet_server_cert(hw_buf *pem, hw_seckey *k, const char *ca_dir,
			 const char *state, const char *const *names,
			 size_t nnames);
/* The Ed25519 key k as GnuTLS's X.509 private key. */
int hw_fleet_x509_key(gnutls_x509_privkey_t *key, const hw_seckey *k);
/* The Ed25519 key k as a PKCS#8 PEM, in memory only (for TLS). */
int hw_fleet_key_pem(hw_buf *pem, const hw_seckey *k);

/* ---- the server's registry (registry.c) ---- */

/* an agent silent for more than this many of its intervals is down */
#define HW_FLEET_DOWN_AFTER 3

/* the most statements the registry keeps prepared (the server runs a
 * fixed few dozen) */
#define HW_REGISTRY_STMTS 32

/* Every use of a registry, its kept statements too, is by one thread at
 * a time (the server holds its lock). */
typedef struct hw_registry {
	struct sqlite3 *db;
	char *path;
	/* statements prepared on first use, kept until close */
	struct {
		const char *sql;
		struct sqlite3_stmt *st;
	} kept[HW_REGISTRY_STMTS];
	dev_t dev; /* the file opened, which path must still name */
	ino_t ino;
} hw_registry;

int hw_registry_open(hw_registry *r, const char *state);
void hw_registry_close(hw_registry *r);
/* *st: the statement of sql, prepared on its first use and kept; the
 * caller hands it back with hw_registry_done. */
int hw_registry_stmt(struct sqlite3_stmt **st, hw_registry *r,
		     const char *sql);
/* Resets st and its bindings for its next use. */
void hw_registry_done(struct sqlite3_stmt *st);
/* HW_EIO when the registry's path no longer names the file it opened
 * (deleted, or replaced by another): what it wrote then would go into a
 * file nobody reads again. */
int hw_registry_same(const hw_registry *r);
/* *known: 1 when serial has been heard from before */
int hw_registry_known(int *known, hw_registry *r, const char *serial);
/* Records a heartbeat of serial at now; durable: its commit is synced to
 * disk (a registration), else it is liveness only and a power cut may
 * lose it (a killed server does not). */
int hw_registry_heartbeat(hw_registry *r, const char *serial,
			  const char *host, long long now, long long interval,
			  int durable);
/* Records a try to probe host over SSH at now (it is tried every
 * interval seconds): reached, result is its latest probe document. */
int hw_registry_ssh_result(hw_registry *r, const char *host, long long now,
			   long long interval, int reached,
			   const char *result);
/* The hwledger.fleet.hosts/1 document, each agent up or down at now;
 * with readings, each host's latest probe result and when it came. */
int hw_registry_hosts_json(hw_buf *out, hw_registry *r, long long now,
			   int readings);

/* Every host's latest readings of the hwledger.fleet.status/1 document
 * status_json in Prometheus's text format 0.0.4, appended to out. */
int hw_fleet_metrics(hw_buf *out, const char *status_json);

/* ---- jobs (jobs.c), in the same database ---- */

/* Makes the jobs table, or adds what a first slice's table lacks. */
int hw_jobs_open(hw_registry *r);

/* A job an agent was given: args is malloc'd (NULL: none). */
typedef struct hw_fleet_job {
	long long id; /* 0: none */
	char kind[16];
	char nonce[33];
	long long deadline;
	char *args;
} hw_fleet_job;

/* Queues the job o for its host, signing a fleet-job event ("queued",
 * by the serial of the certificate that asked) with k in the same
 * transaction; *id its number. A bad order is HW_EUSAGE. */
int hw_jobs_queue(long long *id, hw_registry *r, const hw_seckey *k,
		  const char *by, const hw_fleet_order *o, long long now);
/* Every running job whose deadline and HW_FLEET_GRACE have passed at now
 * is queued again
 * while it has retries left, else timed-out; each signed into the
 * ledger as a fleet-job event ("retried", "timed-out"). */
int hw_jobs_expire(hw_registry *r, const hw_seckey *k, long long now);
/* A queued or running job becomes cancelled (event "cancelled", by);
 * HW_ENOTFOUND when there is no such job, HW_EFAIL when it is over. */
int hw_jobs_cancel(hw_registry *r, const hw_seckey *k, const char *by,
		   long long id, long long now);
/* *n: the jobs hw_jobs_next would find for host at now once
 * hw_jobs_expire has run: those queued, and those running past their
 * deadline and HW_FLEET_GRACE (queued again, or timed out, by then). */
int hw_jobs_waiting(long long *n, hw_registry *r, const char *host,
		    long long now);
/* Hands host's oldest queued job to the agent of serial at now (job->id
 * 0: none); the caller frees job->args. */
int hw_jobs_next(hw_fleet_job *job, hw_registry *r, const char *host,
		 const char *serial, long long now);
/* HW_OK when result may be recorded for job id: the job exists, is
 * running, was given to serial, nonce is its nonce and sig verifies under
 * pk; else HW_EFAIL with the reason. job receives the job. */
int hw_jobs_check_result(hw_fleet_job *job, hw_registry *r,
			 const char *serial, const uint8_t pk[32],
			 long long id, const char *nonce, const char *result,
			 size_t len, const uint8_t sig[64]);
/* The state a result document gives a job of kind: "done" for the
 * kind's own document, else the state of a HW_FLEET_FAILURE_SCHEMA one
 * (killed, failed, refused); HW_EINVAL for anything else. *state points
 * into doc or is a constant. */
int hw_fleet_result_state(const char **state, const char *kind,
			  const cJSON *doc);
/* Records the answer of job id: state done, killed, failed or refused. */
int hw_jobs_done(hw_registry *r, long long id, const char *state,
		 const char *result, size_t len, long long now);
/* The hwledger.fleet.jobs/1 document: every job, oldest first. */
int hw_jobs_json(hw_buf *out, hw_registry *r, long long now);
/* The latest probe result of host (NULL when none) and when it came. */
int hw_jobs_latest(char **result, long long *when, hw_registry *r,
		   const char *host);

#endif
