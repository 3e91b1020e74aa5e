/*
 * fleet/fleet.h — the fleet's certificates (specs/fleet.md): the offline
 * CA, one-time enrolment tokens traded for a client certificate bound to
 * an agent's Ed25519 key, and the deny list the server checks on every
 * connection.
 *
 * Owns: the CA folder (ca.key, ca.pub, ca.crt) and, in the server's state
 * folder, tokens/, issued/ and denied. Every private key is an hwledger
 * secret key file (src/ledger/keys.c): written 0600, refused when group-
 * or world-readable. X.509 goes through GnuTLS, opened with dlopen on
 * first use (linked, it would be loaded by every command).
 */
#ifndef HW_FLEET_H
#define HW_FLEET_H

#include "ledger/ledger.h"
#include "util/util.h"

#include <time.h>

#define HW_FLEET_STATE ".hwledger/fleet"
#define HW_FLEET_CA ".hwledger/fleet/ca"
/* the enrolment token: this prefix, then 43 characters of base64url */
#define HW_FLEET_TOKEN_PREFIX "hwf1-"
#define HW_FLEET_TOKEN_LEN 48
/* the days an agent's or the server's certificate is valid by default */
#define HW_FLEET_CERT_DAYS 90
/* a certificate's serial: 16 random bytes, as 32 lowercase hex digits */
#define HW_FLEET_SERIAL_HEX 32

/* 9999-12-31T23:59:59Z: the last second an X.509 time can name */
#define HW_FLEET_TIME_MAX 253402300799LL

/* The clock of every fleet time rule: $HWLEDGER_NOW (seconds since the
 * epoch) when set, so tests can be at any time; else time(). A value that
 * is not digits, or is past HW_FLEET_TIME_MAX, is HW_EUSAGE. */
int hw_fleet_now(time_t *now);

/* Writes DIR/ca.key (0600), ca.pub and the self-signed ca.crt, valid
 * days from now, with common name cn. Replaces nothing. */
int hw_fleet_ca_init(const char *dir, const char *cn, unsigned days);

/* Writes STATE/tokens/SHA256(token) for host (an operator's name when
 * operator is 1), valid ttl seconds, and the token into token
 * (HW_FLEET_TOKEN_LEN + 1 bytes). */
int hw_fleet_token_new(char *token, const char *state, const char *host,
		       unsigned ttl, int operator);
/* Uses up token: host receives the name it was made for, *operator 1
 * when it was made for an operator. An unknown, used or expired token is
 * HW_EINVAL; a token is used once even when two redeem it at the same
 * time. */
int hw_fleet_token_redeem(char host[HW_KEY_NAME_MAX + 1], int *operator,
			  const char *state, const char *token);

/* Makes the CA certificate at cert trusted by the folder ca_dir as well
 * as its own (a copy as ca_dir/trusted/KEYID.crt, KEYID the hex of its
 * subject key identifier; *copy its path, freed by the caller): a CA,
 * self-signed, in force at the fleet's clock, not ca_dir's own. HW_EINVAL
 * naming cert when it is not one; a CA already trusted is HW_OK. */
int hw_fleet_ca_trust(char **copy, const char *ca_dir, const char *cert);

/* HW_OK when the CA of ca_dir can sign now: its key and certificate read
 * (the key readable by its owner only) and the fleet's clock before its
 * end. Checked before anything is used up for a certificate. */
int hw_fleet_ca_ready(const char *ca_dir);

/* The PEM certificate for the agent key pub named host (an operator's
 * when operator is 1), signed by the CA in ca_dir, valid days from now; a
 * copy is kept as STATE/issued/SERIAL.pem and *serial receives the
 * serial. */
int hw_fleet_cert_issue(hw_buf *pem, char serial[HW_FLEET_SERIAL_HEX + 1],
			const char *ca_dir, const char *state,
			const char *host, const hw_pubkey *pub,
			unsigned days, int operator);

/* *denied: 1 when serial is on STATE/denied. */
int hw_fleet_denied(int *denied, const char *state, const char *serial);
/* Appends the certificate's serial to STATE/denied (once). */
int hw_fleet_revoke(const char *state, const char *serial,
		    const char *reason);
/* Reads the certificate file at path into pem (at most 64 KiB, no NUL);
 * pem is freed on failure. */
int hw_fleet_cert_read(hw_buf *pem, const char *path);
/* The serial of a PEM certificate (HW_EINVAL when it is not one). */
int hw_fleet_cert_serial(char serial[HW_FLEET_SERIAL_HEX + 1],
			 const hw_buf *pem, const char *path);

/* The check the server makes on every connection: the PEM certificate is
 * issued by the CA of ca_dir, for client authentication, in its validity
 * period at the fleet's clock and not on STATE/denied. HW_OK with the
 * host it names, else HW_EFAIL with the reason as the last error (bad
 * input and missing files keep their own codes). */
int hw_fleet_cert_check(char host[HW_KEY_NAME_MAX + 1], const char *ca_dir,
			const char *state, const hw_buf *pem,
			const char *path);

/* the ledger events of an agent's first heartbeat, of a revocation and
 * of a job's result */
#define HW_EVENT_FLEET_REGISTER "fleet-register"
#define HW_EVENT_FLEET_REVOKE "fleet-revoke"
#define HW_EVENT_FLEET_RESULT "fleet-result"
/* a job queued, cancelled, retried or timed out (specs/fleet.md) */
#define HW_EVENT_FLEET_JOB "fleet-job"

/* Appends the event kind with payload (JSON) signed with k. */
int hw_fleet_event_append(const hw_seckey *k, const char *kind,
			  const hw_buf *payload);

/* Appends the event kind (a "fleet-" kind) signed with k: its payload
 * {"schema": "hwledger.fleet.KIND/1", "serial": serial, field: value}. */
int hw_fleet_event(const hw_seckey *k, const char *kind, const char *serial,
		   const char *field, const char *value);

/* A connection to the server kept open from one request to the next. */
typedef struct hw_fleet_conn hw_fleet_conn;

/* A closed one (NULL when out of memory), and its end. */
hw_fleet_conn *hw_fleet_conn_new(void);
void hw_fleet_conn_free(hw_fleet_conn *c);

/* Where a client reaches the server, and with what. */
typedef struct hw_fleet_peer {
	const char *url;    /* https://HOST:PORT */
	const char *ca_dir; /* the fleet's CA (its ca.crt) */
	const char *cert;   /* the client's certificate, or NULL for none */
	const char *key;    /* its hwledger secret key file */
	int timeout;        /* seconds for each step */
	hw_fleet_conn *conn; /* kept between requests; NULL: one a request */
} hw_fleet_peer;

/* What the client connects with, read and checked before it connects:
 * the CA, and the certificate and key, which must be of one key pair
 * (HW_EINVAL "CERT and KEY do not match" when not). */
int hw_fleet_peer_check(const hw_fleet_peer *peer);

/* One request, with the JSON body json (NULL for none): *status the HTTP
 * status, body what followed the headers. A connection, TLS or HTTP
 * failure is HW_EIO naming the URL. */
int hw_fleet_request(hw_buf *body, int *status, const hw_fleet_peer *peer,
		     const char *method, const char *path, const char *json);

/* The bytes the new key signs to rotate the certificate of serial to
 * it: "hwledger.fleet.rotate/1\nSERIAL\nKEYLINE". */
void hw_fleet_rotate_message(hw_buf *msg, const char *serial,
			     const char *keyline);

/* hw_fleet_request, and any answer but 2xx is HW_EIO "URL: STATUS: the
 * server's reason". */
int hw_fleet_call(hw_buf *body, const hw_fleet_peer *peer, const char *method,
		  const char *path, const char *json);

/* The bytes an agent signs for the result of job id:
 * "hwledger.fleet.result/1\nID\nNONCE\nSHA256-HEX(result)". */
void hw_fleet_result_message(hw_buf *msg, long long id, const char *nonce,
			     const char *result, size_t len);

/* A job to queue: its host and kind, its arguments (a JSON array of
 * strings, or NULL), the seconds an attempt may run once an agent has
 * it and how many times it is given again after an attempt ran out. */
typedef struct hw_fleet_order {
	const char *host, *kind, *args;
	long long deadline, retries;
} hw_fleet_order;

/* what an agent signs for a job that did not give its document: the job
 * was killed (a signal, its deadline), failed (it exited non-zero) or
 * refused (the agent does not run it) */
#define HW_FLEET_FAILURE_SCHEMA "hwledger.fleet.failure/1"
/* what an agent signs for a named command of its allow-list that ran */
#define HW_FLEET_COMMAND_SCHEMA "hwledger.fleet.command/1"

#define HW_FLEET_DEADLINE_DEFAULT 300
/* the seconds past its deadline the server waits for an attempt's
 * answer: the agent kills the job at the deadline and then reports it,
 * through a connection that may take 10 s a step */
#define HW_FLEET_GRACE 30
#define HW_FLEET_DEADLINE_MAX 86400
#define HW_FLEET_RETRIES_MAX 100

/* HW_OK when o may be queued, else HW_EUSAGE with the reason: the
 * server checks it, and the client before it asks. */
int hw_fleet_order_check(const hw_fleet_order *o);
/* HW_OK when args (a JSON array of strings, or NULL for none) are
 * arguments a job of kind may have, else HW_EUSAGE with the reason: the
 * server checks them, and the agent again before it runs the job. */
int hw_fleet_args_check(const char *kind, const cJSON *args);

/* What `fleet serve` is given. */
typedef struct hw_fleet_serve_opts {
	const char *listen; /* IPv4 ADDR:PORT, port 0 for a free one */
	const char *ca_dir, *state;
	/* seconds a connection has for each request, from its opening or
	 * its previous answer to the end of its answer (0: the default) */
	unsigned idle;
	/* a hosts file of hosts without an agent, probed over SSH every
	 * ssh_interval seconds (0: the default), or NULL */
	const char *ssh_hosts;
	unsigned ssh_interval;
	unsigned ssh_timeout; /* seconds for each host (0: the default) */
	int quiet;
} hw_fleet_serve_opts;

/* Serves the fleet (the port written to STATE/port) until SIGINT or
 * SIGTERM. */
int hw_fleet_serve(const hw_fleet_serve_opts *o);

#endif
