/*
 * serve.c — `hwledger fleet serve`: HTTPS through libmicrohttpd and
 * GnuTLS, TLS 1.3 only, every request checked against the fleet's CA and
 * deny list (specs/fleet.md, "The server").
 *
 * libmicrohttpd's internal thread pool serves the connections (no thread
 * per connection); every connection has a timeout and the server a
 * connection limit. A refused client gets 403 and the reason, logged on
 * stderr; the others are served on. libmicrohttpd is opened with dlopen,
 * as GnuTLS is: only this command needs it.
 */
#include "fleet/internal.h"
#include "probes/probes.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define HW_STR_(x) #x
#define HW_STR(x) HW_STR_(x)
#ifdef HW_MHD_SONAME
#define MHD_SONAME HW_STR(HW_MHD_SONAME)
#else
#define MHD_SONAME "libmicrohttpd.so.12"
#endif

#define TLS13_ONLY "NORMAL:-VERS-ALL:+VERS-TLS1.3"
#define THREADS 4
#define CONNECTIONS_MAX 1024
#define IDLE_SECONDS 10
/* the descriptors the server needs besides its connections: the
 * listening socket, the database, the ledger, the log */
#define FDS_OTHER 64
#define INTERVAL_DEFAULT 30
#define INTERVAL_MAX 86400
#define BODY_MAX ((size_t)64 << 10)
/* the hosts without an agent: at most this many, probed this often and
 * each within this many seconds by default, SSH_POOL at once */
#define SSH_HOSTS_MAX 1024
#define SSH_INTERVAL 60
#define SSH_TIMEOUT 10
#define SSH_POOL 64

#define MHD_FUNCS(X) \
	X(MHD_start_daemon) \
	X(MHD_stop_daemon) \
	X(MHD_get_daemon_info) \
	X(MHD_get_connection_info) \
	X(MHD_get_connection_values_n) \
	X(MHD_create_response_from_buffer) \
	X(MHD_add_response_header) \
	X(MHD_queue_response) \
	X(MHD_destroy_response) \
	X(MHD_lookup_connection_value)

static struct {
/* hwledger-sast-ignore bugprone-macro-parentheses: f is a name */
#define X(f) __typeof__(f) *f;
	MHD_FUNCS(X)
#undef X
} mhd;

static int load_mhd(void)
{
	static hw_lib lib;
#define X(f) #f,
	static const char *const names[] = {MHD_FUNCS(X)};
#undef X
#define X(f) (void *)&mhd.f,
	void *const slots[] = {MHD_FUNCS(X)};
#undef X

	return hw_lib_load(&lib, "HWLEDGER_LIBMICROHTTPD", MHD_SONAME,
			   "libmicrohttpd", "fleet serve", names, slots,
			   sizeof(names) / sizeof(*names));
}

/* An open connection, as the watchdog sees it. */
typedef struct conn {
	struct conn *prev, *next;
	int fd;
	/* when its current request began: the connection's opening, or
	 * the end of its previous answer (CLOCK_MONOTONIC, ms) */
	long long since;
	int cut; /* shut down by the watchdog already */
	/* the client's certificate once its signature and content were
	 * judged: a TLS 1.3 connection's peer does not change, so its later
	 * requests check only what changes with time (validity, revocation) */
	int judged;
	hw_fleet_id who;
} conn;

typedef struct server {
	const char *state, *ca_dir;
	hw_fleet_trust trust; /* the CAs whose certificates it accepts */
	hw_registry reg;
	hw_seckey signer;
	/* a registration is looked up, signed into the ledger and recorded
	 * by one thread at a time, so it is appended once */
	pthread_mutex_t lock;
	/* the open connections and the watchdog that cuts the slow ones:
	 * conns, stop and every conn's fields are read and written under
	 * conns_lock only, and a conn leaves the list before its socket is
	 * closed, so the watchdog never shuts down a reused descriptor */
	pthread_mutex_t conns_lock;
	pthread_cond_t wake;
	conn *conns;
	unsigned idle;
	int stop;
	/* the hosts probed over SSH (into ssh_text, the hosts file) */
	const char **ssh;
	size_t nssh;
	unsigned ssh_interval, ssh_timeout;
	hw_buf ssh_text;
} server;

/* A whole number in 1..max (seconds, a port), else 0. */
static long seconds(const char *s, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	return end != s && !*end && v >= 1 && v <= max ? v : 0;
}

/* status and text, of the media type type */
static enum MHD_Result reply_as(struct MHD_Connection *c, unsigned status,
				const char *type, const char *text)
{
	struct MHD_Response *r = mhd.MHD_create_response_from_buffer(
		strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ok;

	if (!r)
		return MHD_NO;
	mhd.MHD_add_response_header(r, "Content-Type", type);
	ok = mhd.MHD_queue_response(c, status, r);
	mhd.MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status,
			     const char *json)
{
	return reply_as(c, status, "application/json", json);
}

/* {"error": message} with status */
static enum MHD_Result reply_error(struct MHD_Connection *c,
				   unsigned status, const char *message)
{
	hw_buf b;
	hw_jw w;
	enum MHD_Result ok;

	hw_buf_init(&b, 0);
	hw_jw_init(&w, &b, 0);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "error", message);
	hw_jw_end(&w);
	ok = hw_jw_finish(&w) ? MHD_NO : reply(c, status, b.data);
	hw_buf_free(&b);
	return ok;
}

/* One request as it arrives: who sent it and its body so far. */
typedef struct request {
	hw_fleet_id who; /* its client's certificate */
	hw_buf body;
	int too_big; /* a body over BODY_MAX, or one the endpoint takes not */
	int refused; /* answered 403 already: nothing more is done for it */
} request;

/* The client's certificate judged whole, as `fleet check` does: HW_OK
 * with who it is in who, else the reason as the last error. */
static int client_judge(hw_fleet_id *who, server *s,
			struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = mhd.MHD_get_connection_info(
		c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	const gnutls_datum_t *peers = NULL;
	gnutls_x509_crt_t crt = NULL;
	unsigned n = 0;
	int err;

	if (ci && ci->tls_session)
		peers = hw_gt.gnutls_certificate_get_peers(ci->tls_session,
							   &n);
	if (!peers || !n)
		return hw_error_set(HW_EFAIL, NULL, 0, 0,
				    "refused: no client certificate");
	if ((err = hw_gnutls_check(hw_gt.gnutls_x509_crt_init(&crt), NULL,
				   "certificate")))
		return err;
	if (hw_gt.gnutls_x509_crt_import(crt, &peers[0],
					 GNUTLS_X509_FMT_DER) < 0)
		err = hw_error_set(HW_EFAIL, NULL, 0, 0,
				   "refused: not an X.509 certificate");
	else
		err = hw_fleet_crt_judge(who, crt, &s->trust, s->state, NULL);
	hw_gt.gnutls_x509_crt_deinit(crt);
	return err;
}

/* The client of request r: its certificate judged whole on the
 * connection's first request, and on every later one still in force.
 * HW_OK with who it is in r->who, else the reason as the last error. */
/* Implements: FR-FLEET-003 */
static int client_of(request *r, server *s, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = mhd.MHD_get_connection_info(
		c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	conn *k = ci ? ci->socket_context : NULL;
	hw_fleet_id *who = &r->who;
	int judged = 0, err;

	if (k) {
		pthread_mutex_lock(&s->conns_lock);
		if ((judged = k->judged))
			*who = k->who;
		pthread_mutex_unlock(&s->conns_lock);
	}
	if (judged)
		return hw_fleet_crt_in_force(who->serial, who->from,
					     who->until, who->ca_until,
					     s->state, NULL);
	if (!(err = client_judge(who, s, c)) && k) {
		pthread_mutex_lock(&s->conns_lock);
		k->who = *who;
		k->judged = 1;
		pthread_mutex_unlock(&s->conns_lock);
	}
	return err;
}

/* POST /v1/heartbeat?interval=S */
static enum MHD_Result heartbeat(server *s, struct MHD_Connection *c,
				 const char *host, const char *serial)
{
	const char *v = mhd.MHD_lookup_connection_value(
		c, MHD_GET_ARGUMENT_KIND, "interval");
	long interval = INTERVAL_DEFAULT;
	time_t now;
	long long jobs = 0;
	int known = 0, err;
	char json[256];

	if (v && !(interval = seconds(v, INTERVAL_MAX)))
		return reply_error(c, MHD_HTTP_BAD_REQUEST,
				   "interval: expected 1 to 86400 seconds");
	pthread_mutex_lock(&s->lock);
	if (!(err = hw_fleet_now(&now)) &&
	    !(err = hw_registry_known(&known, &s->reg, serial)) && !known)
		err = hw_fleet_event(&s->signer, HW_EVENT_FLEET_REGISTER,
				     serial, "host", host);
	if (!err)
		err = hw_registry_heartbeat(&s->reg, serial, host,
					    (long long)now,
					    (long long)interval, !known);
	if (!err)
		err = hw_jobs_waiting(&jobs, &s->reg, host, (long long)now);
	pthread_mutex_unlock(&s->lock);
	if (err) {
		fprintf(stderr, "hwledger: fleet serve: %s\n",
			hw_error_last());
		return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				   hw_error_last());
	}
	snprintf(json, sizeof(json),
		 "{\"schema\":\"hwledger.fleet.heartbeat/1\",\"host\":\"%s\","
		 "\"registered\":%s,\"jobs\":%lld}",
		 host, known ? "false" : "true", jobs);
	return reply(c, MHD_HTTP_OK, json);
}

/* what hosts() answers */
enum view { HOSTS, STATUS, METRICS };

/* GET /v1/hosts, with readings GET /v1/status, and those readings in
 * Prometheus's format GET /v1/metrics (and /metrics) */
/* Implements: FR-FLEET-005, FR-FLEET-008, FR-FLEET-021 */
static enum MHD_Result hosts(server *s, struct MHD_Connection *c,
			     enum view view)
{
	hw_buf b, text;
	time_t now;
	enum MHD_Result ok;
	int err;

	hw_buf_init(&b, 0);
	hw_buf_init(&text, 0);
	pthread_mutex_lock(&s->lock);
	err = hw_fleet_now(&now);
	if (!err)
		err = hw_registry_hosts_json(&b, &s->reg, (long long)now,
					     view != HOSTS);
	pthread_mutex_unlock(&s->lock);
	if (!err && view == METRICS)
		err = hw_fleet_metrics(&text, b.data);
	if (err)
		ok = reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				 hw_error_last());
	else if (view == METRICS)
		ok = reply_as(c, MHD_HTTP_OK,
			      "text/plain; version=0.0.4; charset=utf-8",
			      text.data);
	else
		ok = reply(c, MHD_HTTP_OK, b.data);
	hw_buf_free(&b);
	hw_buf_free(&text);
	return ok;
}

static long long now_ms(void)
{
	return (long long)(hw_now_s() * 1000);
}

/* A request answered (or abandoned): the connection's next request has
 * its own time from now. */
static void completed(void *cls, struct MHD_Connection *c, void **req,
		      enum MHD_RequestTerminationCode why)
{
	const union MHD_ConnectionInfo *ci = mhd.MHD_get_connection_info(
		c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	server *s = cls;
	request *r = *req;

	(void)why;
	if (ci && ci->socket_context) {
		pthread_mutex_lock(&s->conns_lock);
		((conn *)ci->socket_context)->since = now_ms();
		pthread_mutex_unlock(&s->conns_lock);
	}
	if (r) {
		hw_buf_free(&r->body);
		free(r);
		*req = NULL;
	}
}

/* The answer that carries a new certificate: schema, host, serial and
 * the PEM. */
static enum MHD_Result cert_answer(struct MHD_Connection *c,
				   const char *schema, const char *host,
				   const char *serial, const hw_buf *pem)
{
	enum MHD_Result ok;
	hw_buf out;
	hw_jw w;

	hw_buf_init(&out, 0);
	hw_jw_init(&w, &out, 0);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", schema);
	hw_jw_kstr(&w, "host", host);
	hw_jw_kstr(&w, "serial", serial);
	hw_jw_kstr(&w, "certificate", pem->data);
	hw_jw_end(&w);
	ok = hw_jw_finish(&w) ? MHD_NO : reply(c, MHD_HTTP_OK, out.data);
	hw_buf_free(&out);
	return ok;
}

/* POST /v1/enroll {"token", "key"}: the one endpoint a client without a
 * certificate may call. The token is traded for a certificate of the
 * key, as `fleet issue` trades it. */
/* Implements: FR-FLEET-006 */
static enum MHD_Result enroll(server *s, struct MHD_Connection *c,
			      const hw_buf *body)
{
	cJSON *doc = cJSON_ParseWithLength(body->data ? body->data : "",
					   body->len);
	const char *token = cJSON_GetStringValue(cJSON_GetObjectItem(doc,
								     "token"));
	const char *line = cJSON_GetStringValue(cJSON_GetObjectItem(doc, "key"));
	char host[HW_KEY_NAME_MAX + 1], serial[HW_FLEET_SERIAL_HEX + 1];
	enum MHD_Result ok;
	int operator;
	hw_pubkey k;
	hw_buf pem;

	hw_buf_init(&pem, 0);
	if (!token || !line || hw_pubkey_parse(&k, line, NULL, 0)) {
		ok = reply_error(c, MHD_HTTP_BAD_REQUEST,
				 "expected {\"token\": TOKEN, \"key\": "
				 "PUBLIC-KEY-LINE}");
	} else if (hw_fleet_token_redeem(host, &operator, s->state, token)) {
		/* logged as every refusal is: tokens tried one after another
		 * leave a trace */
		fprintf(stderr, "hwledger: fleet serve: refused: enrolment: %s\n",
			hw_error_last());
		ok = reply_error(c, MHD_HTTP_FORBIDDEN, hw_error_last());
	} else if (hw_fleet_cert_issue(&pem, serial, s->ca_dir, s->state, host,
				       &k, HW_FLEET_CERT_DAYS, operator)) {
		fprintf(stderr, "hwledger: fleet serve: %s\n", hw_error_last());
		ok = reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				 hw_error_last());
	} else {
		ok = cert_answer(c, "hwledger.fleet.enroll/1", host, serial,
				 &pem);
	}
	cJSON_Delete(doc);
	hw_buf_free(&pem);
	return ok;
}

/* The id of a URL "/v1/jobs/ID" followed by tail: 0 for a URL of
 * another form, -1 when ID is not a job's id as the server writes it
 * (decimal digits without sign or leading zero, 1 to INT64_MAX): "01" is
 * not job 1, nor "-1" a URL of another endpoint. */
/* Implements: FR-FLEET-009 */
static long long job_url(const char *url, const char *tail)
{
	const char *end;
	uint64_t id;

	if (!hw_str_startswith(url, "/v1/jobs/") ||
	    !hw_str_endswith(url + 9, tail))
		return 0;
	end = hw_str_u64(url + 9, &id);
	return end && url[9] != '0' && id <= INT64_MAX && !strcmp(end, tail)
		       ? (long long)id
		       : -1;
}

/* The fleet's clock, with every job whose deadline has passed retried
 * or marked first: whatever reads or changes jobs sees them as they
 * stand at now. Called with s->lock held. */
static int jobs_now(server *s, long long *now)
{
	time_t t;
	int err;

	if ((err = hw_fleet_now(&t)))
		return err;
	*now = (long long)t;
	return hw_jobs_expire(&s->reg, &s->signer, *now);
}

/* A whole number of query argument name in 0..max, def when absent; -1
 * when it is not one. */
static long long query_number(struct MHD_Connection *c, const char *name,
			      long long max, long long def)
{
	const char *v = mhd.MHD_lookup_connection_value(
		c, MHD_GET_ARGUMENT_KIND, name);
	char *end;
	long long n;

	if (!v)
		return def;
	n = strtoll(v, &end, 10);
	return end != v && !*end && n >= 0 && n <= max ? n : -1;
}

/* The status of an error of the job endpoints: bad input 400, no such
 * job 404, a refusal 403 (or conflict), anything else 500. */
static unsigned job_status(int err, unsigned refused)
{
	switch (err) {
	case HW_EUSAGE:
	case HW_EINVAL:
		return MHD_HTTP_BAD_REQUEST;
	case HW_ENOTFOUND:
		return MHD_HTTP_NOT_FOUND;
	case HW_EFAIL:
		return refused;
	default:
		return MHD_HTTP_INTERNAL_SERVER_ERROR;
	}
}

/* An error of a job endpoint: logged, and answered with its status. */
static enum MHD_Result job_error(struct MHD_Connection *c, const request *r,
				 int err, unsigned refused)
{
	fprintf(stderr, "hwledger: fleet serve: %s: %s\n", r->who.host,
		hw_error_last());
	return reply_error(c, job_status(err, refused), hw_error_last());
}

/* A comma-separated list as a JSON array of its words, into out. */
static int words_json(hw_buf *out, const char *list)
{
	hw_jw w;

	hw_jw_init(&w, out, 0);
	hw_jw_array(&w);
	for (const char *p = list;; p++) {
		size_t n = strcspn(p, ",");

		hw_jw_strn(&w, p, n);
		p += n;
		if (!*p)
			break;
	}
	hw_jw_end(&w);
	return hw_jw_finish(&w);
}

/* POST /v1/jobs?host=H&kind=K[&args=A,B][&deadline=S][&retries=N] */
/* Implements: FR-FLEET-007, FR-FLEET-009, FR-FLEET-011 */
static enum MHD_Result job_queue(server *s, struct MHD_Connection *c,
				 const request *r)
{
	const char *list = mhd.MHD_lookup_connection_value(
		c, MHD_GET_ARGUMENT_KIND, "args");
	hw_buf args;
	hw_fleet_order o = {
		mhd.MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
						"host"),
		mhd.MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
						"kind"),
		NULL,
		query_number(c, "deadline", HW_FLEET_DEADLINE_MAX,
			     HW_FLEET_DEADLINE_DEFAULT),
		query_number(c, "retries", HW_FLEET_RETRIES_MAX, 0),
	};
	long long id = 0, now;
	char json[128];
	int err = HW_OK;

	if (!o.host || !o.kind)
		return reply_error(c, MHD_HTTP_BAD_REQUEST,
				   "expected ?host=HOST&kind=KIND");
	hw_buf_init(&args, 0);
	if (list && !(err = words_json(&args, list)))
		o.args = args.data;
	pthread_mutex_lock(&s->lock);
	if (!err && !(err = jobs_now(s, &now)))
		err = hw_jobs_queue(&id, &s->reg, &s->signer, r->who.serial, &o,
				    now);
	pthread_mutex_unlock(&s->lock);
	hw_buf_free(&args);
	if (err)
		return job_error(c, r, err, MHD_HTTP_FORBIDDEN);
	snprintf(json, sizeof(json),
		 "{\"schema\":\"hwledger.fleet.job/1\",\"id\":%lld}", id);
	return reply(c, MHD_HTTP_OK, json);
}

/* POST /v1/jobs/ID/cancel */
/* Implements: FR-FLEET-009 */
static enum MHD_Result job_cancel(server *s, struct MHD_Connection *c,
				  const request *r, long long id)
{
	long long now;
	char json[128];
	int err;

	pthread_mutex_lock(&s->lock);
	if (!(err = jobs_now(s, &now)))
		err = hw_jobs_cancel(&s->reg, &s->signer, r->who.serial, id, now);
	pthread_mutex_unlock(&s->lock);
	if (err)
		return job_error(c, r, err, MHD_HTTP_CONFLICT);
	snprintf(json, sizeof(json),
		 "{\"schema\":\"hwledger.fleet.job/1\",\"id\":%lld,"
		 "\"state\":\"cancelled\"}",
		 id);
	return reply(c, MHD_HTTP_OK, json);
}

/* GET /v1/jobs: every job */
/* Implements: FR-FLEET-009 */
static enum MHD_Result jobs_list(server *s, struct MHD_Connection *c,
				 const request *r)
{
	long long now;
	hw_buf b;
	enum MHD_Result ok;
	int err;

	hw_buf_init(&b, 0);
	pthread_mutex_lock(&s->lock);
	if (!(err = jobs_now(s, &now)))
		err = hw_jobs_json(&b, &s->reg, now);
	pthread_mutex_unlock(&s->lock);
	ok = err ? job_error(c, r, err, MHD_HTTP_FORBIDDEN)
		 : reply(c, MHD_HTTP_OK, b.data);
	hw_buf_free(&b);
	return ok;
}

/* GET /v1/jobs/next: the oldest job queued for the client's host, now
 * given to it; 204 when there is none */
/* Implements: FR-FLEET-007, FR-FLEET-009 */
static enum MHD_Result job_next(server *s, struct MHD_Connection *c,
				const request *r)
{
	hw_fleet_job job;
	long long now;
	enum MHD_Result ok;
	hw_buf b;
	hw_jw w;
	int err;

	pthread_mutex_lock(&s->lock);
	if (!(err = jobs_now(s, &now)))
		err = hw_jobs_next(&job, &s->reg, r->who.host, r->who.serial, now);
	pthread_mutex_unlock(&s->lock);
	if (err)
		return job_error(c, r, err, MHD_HTTP_FORBIDDEN);
	if (!job.id)
		return reply(c, MHD_HTTP_NO_CONTENT, "");
	hw_buf_init(&b, 0);
	hw_jw_init(&w, &b, 0);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", "hwledger.fleet.job/1");
	hw_jw_kint(&w, "id", job.id);
	hw_jw_kstr(&w, "kind", job.kind);
	hw_jw_key(&w, "args");
	if (job.args)
		hw_jw_raw(&w, job.args, strlen(job.args));
	else
		hw_jw_null(&w);
	hw_jw_kstr(&w, "nonce", job.nonce);
	hw_jw_kint(&w, "deadline", job.deadline);
	hw_jw_end(&w);
	ok = hw_jw_finish(&w) ? MHD_NO : reply(c, MHD_HTTP_OK, b.data);
	free(job.args);
	hw_buf_free(&b);
	return ok;
}

/* The ledger event of a job's result: who answered which job, with what,
 * in what state and the signature that proves it; without r and job, the
 * server's own probe of host over SSH, which no agent signed (the event's
 * signature is the server's, like every event's). */
static int result_event(server *s, const request *r, const hw_fleet_job *job,
			const char *state, const char *host,
			const char *result,
			const char *signature)
{
	hw_buf b;
	hw_jw w;
	int err;

	hw_buf_init(&b, 0);
	hw_jw_init(&w, &b, 0);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", "hwledger.fleet.result/1");
	if (r) {
		hw_jw_kstr(&w, "serial", r->who.serial);
		hw_jw_kstr(&w, "host", r->who.host);
		hw_jw_kint(&w, "job", job->id);
		hw_jw_kstr(&w, "kind", job->kind);
		hw_jw_kstr(&w, "state", state);
		hw_jw_kstr(&w, "nonce", job->nonce);
	} else {
		hw_jw_kstr(&w, "host", host);
		hw_jw_kstr(&w, "via", "ssh");
		hw_jw_kstr(&w, "kind", "probe");
	}
	/* the result as the agent signed it, byte for byte */
	hw_jw_key(&w, "result");
	hw_jw_raw(&w, result, strlen(result));
	if (signature)
		hw_jw_kstr(&w, "signature", signature);
	hw_jw_end(&w);
	if (!(err = hw_jw_finish(&w)))
		err = hw_fleet_event_append(&s->signer, HW_EVENT_FLEET_RESULT,
					    &b);
	hw_buf_free(&b);
	return err;
}

/* POST /v1/jobs/ID/result {"nonce", "result", "signature"} */
/* Implements: FR-FLEET-007, FR-FLEET-009 */
static enum MHD_Result job_result(server *s, struct MHD_Connection *c,
				  const request *r, long long id)
{
	cJSON *doc = cJSON_ParseWithLength(r->body.data ? r->body.data : "",
					   r->body.len);
	const char *nonce = cJSON_GetStringValue(cJSON_GetObjectItem(doc,
								     "nonce"));
	const char *result = cJSON_GetStringValue(
		cJSON_GetObjectItem(doc, "result"));
	const char *sig64 = cJSON_GetStringValue(
		cJSON_GetObjectItem(doc, "signature"));
	cJSON *answer = result ? cJSON_Parse(result) : NULL;
	const char *state = NULL;
	uint8_t sig[64];
	size_t n = 0;
	hw_fleet_job job;
	enum MHD_Result ok;
	long long now;
	int err;

	/* the result is a JSON document: it is kept and shown as JSON */
	if (!nonce || !sig64 || !result || !cJSON_IsObject(answer) ||
	    sodium_base642bin(sig, sizeof(sig), sig64, strlen(sig64), NULL, &n,
			      NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    n != sizeof(sig)) {
		ok = reply_error(c, MHD_HTTP_BAD_REQUEST,
				 "expected {\"nonce\", \"result\": a JSON "
				 "document, \"signature\": base64 of 64 "
				 "bytes}");
		goto out;
	}
	pthread_mutex_lock(&s->lock);
	if (!(err = jobs_now(s, &now)) &&
	    !(err = hw_jobs_check_result(&job, &s->reg, r->who.serial, r->who.pk, id,
					 nonce, result, strlen(result), sig)) &&
	    !(err = hw_fleet_result_state(&state, job.kind, answer)) &&
	    !(err = result_event(s, r, &job, state, NULL, result, sig64)))
		err = hw_jobs_done(&s->reg, id, state, result, strlen(result),
				   now);
	pthread_mutex_unlock(&s->lock);
	if (err) {
		ok = job_error(c, r, err, MHD_HTTP_FORBIDDEN);
		goto out;
	}
	ok = reply(c, MHD_HTTP_OK,
		   "{\"schema\":\"hwledger.fleet.result/1\","
		   "\"recorded\":true}");
out:
	cJSON_Delete(answer);
	cJSON_Delete(doc);
	return ok;
}

/* POST /v1/rotate {"key", "proof"}: a new certificate of the same host
 * and role for a new key, over the old certificate's connection; the old
 * serial is then revoked (a signed fleet-revoke event, then the deny
 * list), so one host never holds two certificates in force. proof is the
 * new key's signature over hw_fleet_rotate_message: whoever asks holds
 * it. */
/* Implements: FR-FLEET-012 */
static enum MHD_Result rotate(server *s, struct MHD_Connection *c,
			      const request *r)
{
	cJSON *doc = cJSON_ParseWithLength(r->body.data ? r->body.data : "",
					   r->body.len);
	const char *line = cJSON_GetStringValue(cJSON_GetObjectItem(doc, "key"));
	const char *proof = cJSON_GetStringValue(
		cJSON_GetObjectItem(doc, "proof"));
	char serial[HW_FLEET_SERIAL_HEX + 1], reason[64];
	uint8_t sig[64];
	size_t n = 0;
	enum MHD_Result ok;
	hw_pubkey k;
	hw_buf pem, msg;
	int err;

	hw_buf_init(&pem, 0);
	hw_buf_init(&msg, 0);
	if (!line || !proof || hw_pubkey_parse(&k, line, NULL, 0) ||
	    sodium_base642bin(sig, sizeof(sig), proof, strlen(proof), NULL,
			      &n, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    n != sizeof(sig)) {
		ok = reply_error(c, MHD_HTTP_BAD_REQUEST,
				 "expected {\"key\": PUBLIC-KEY-LINE, "
				 "\"proof\": base64 of 64 bytes}");
		goto out;
	}
	hw_fleet_rotate_message(&msg, r->who.serial, line);
	if (!memcmp(k.pk, r->who.pk, sizeof(r->who.pk)))
		err = hw_error_set(HW_EINVAL, NULL, 0, 0,
				   "the new key is the old one");
	else if (!msg.data ||
		 crypto_sign_verify_detached(sig, (const uint8_t *)msg.data,
					     msg.len, k.pk) != 0)
		err = hw_error_set(HW_EFAIL, NULL, 0, 0,
				   "refused: the proof does not verify with "
				   "the new key");
	else
		err = HW_OK;
	pthread_mutex_lock(&s->lock);
	if (!err &&
	    !(err = hw_fleet_cert_issue(&pem, serial, s->ca_dir, s->state,
					r->who.host, &k, HW_FLEET_CERT_DAYS,
					r->who.operator))) {
		snprintf(reason, sizeof(reason), "rotated to serial %s",
			 serial);
		if (!(err = hw_fleet_event(&s->signer, HW_EVENT_FLEET_REVOKE,
					   r->who.serial, "reason", reason)))
			err = hw_fleet_revoke(s->state, r->who.serial, reason);
	}
	pthread_mutex_unlock(&s->lock);
	ok = err ? job_error(c, r, err, MHD_HTTP_FORBIDDEN)
		 : cert_answer(c, "hwledger.fleet.rotate/1", r->who.host, serial,
			       &pem);
out:
	cJSON_Delete(doc);
	hw_buf_free(&pem);
	hw_buf_free(&msg);
	return ok;
}

/* The role a certificate needs for url: queuing and cancelling jobs is an
 * operator's, heartbeats, taking jobs and answering them an agent's, so
 * neither can act as the other; reading is anyone's. 0 with the reason
 * as the last error when r's certificate may not. */
/* Implements: FR-FLEET-010 */
static int role_allowed(const request *r, const char *method,
			const char *url)
{
	int operators = (!strcmp(method, "POST") && !strcmp(url, "/v1/jobs")) ||
			job_url(url, "/cancel");
	int agents = !strcmp(url, "/v1/heartbeat") ||
		     !strcmp(url, "/v1/jobs/next") || job_url(url, "/result");

	if (operators && !r->who.operator)
		hw_error_set(HW_EFAIL, NULL, 0, 0,
			     "refused: queuing or cancelling a job needs an "
			     "operator's certificate, not an agent's");
	else if (agents && r->who.operator)
		hw_error_set(HW_EFAIL, NULL, 0, 0,
			     "refused: an operator's certificate is not an "
			     "agent's");
	else
		return 1;
	return 0;
}

/* A query argument whose key or value holds a NUL byte (%00): the value
 * every lookup gets would end there, silently shorter than sent. */
static enum MHD_Result nul_arg(void *cls, enum MHD_ValueKind kind,
			       const char *key, size_t key_size,
			       const char *value, size_t value_size)
{
	(void)kind;
	if (strlen(key) != key_size || (value && strlen(value) != value_size)) {
		*(int *)cls = 1;
		return MHD_NO;
	}
	return MHD_YES;
}

/* The request's bad input that no endpoint is to see: a NUL byte in a
 * query argument, or in the body (raw, or a JSON string's \u0000, which
 * cJSON decodes into a NUL that ends the C string an endpoint reads: a
 * token followed by \u0000 and anything was the token). The reason,
 * else NULL. */
/* Implements: FR-FLEET-004 */
static const char *nul_input(struct MHD_Connection *c, const hw_buf *body)
{
	int nul = 0;

	mhd.MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, nul_arg,
					&nul);
	if (nul)
		return "a query argument holds a NUL byte (%00)";
	if (body->len && (memchr(body->data, '\0', body->len) ||
			  hw_json_nul_escape(body->data, body->len) !=
				  body->len))
		return "the body holds a NUL byte (or \\u0000 in a string)";
	return NULL;
}

/* Every request: the client's certificate first (but for enrolling),
 * before any body is read; then the body, up to BODY_MAX; then the
 * route. */
static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
			      const char *url, const char *method,
			      const char *version, const char *data,
			      size_t *data_size, void **req)
{
	int enrolling = !strcmp(method, "POST") && !strcmp(url, "/v1/enroll");
	int rotating = !strcmp(method, "POST") && !strcmp(url, "/v1/rotate");
	long long job = !strcmp(method, "POST") ? job_url(url, "/result") : 0;
	long long cancel = !strcmp(method, "POST") ? job_url(url, "/cancel")
						   : 0;
	server *s = cls;
	request *r = *req;
	const char *nul;
	int err = HW_OK;

	(void)version;
	if (!r) {
		/* the first call: the headers are all there, no body yet */
		if (!(r = calloc(1, sizeof(*r))))
			return MHD_NO;
		hw_buf_init(&r->body, BODY_MAX);
		*req = r;
		if (!enrolling && !(err = client_of(r, s, c)) &&
		    !role_allowed(r, method, url))
			err = HW_EFAIL;
		if (!enrolling && err) {
			/* a refusal is the client's; anything else (a deny
			 * list that cannot be read) the server's, which
			 * refusing every client would hide */
			r->refused = 1;
			fprintf(stderr, "hwledger: fleet serve: %s\n",
				hw_error_last());
			return reply_error(c,
					   err == HW_EFAIL
						   ? MHD_HTTP_FORBIDDEN
						   : MHD_HTTP_INTERNAL_SERVER_ERROR,
					   hw_error_last());
		}
		if (job < 0 || cancel < 0) {
			r->refused = 1;
			return reply_error(c, MHD_HTTP_NOT_FOUND,
					   "no such job: a job's id is a whole "
					   "number from 1, without sign or "
					   "leading zero");
		}
		return MHD_YES;
	}
	if (r->refused) {
		*data_size = 0;
		return MHD_YES;
	}
	if (*data_size) {
		if ((!enrolling && !rotating && !job) ||
		    hw_buf_append(&r->body, data, *data_size))
			r->too_big = 1;
		*data_size = 0;
		return MHD_YES;
	}
	if (r->too_big)
		return reply_error(c, MHD_HTTP_CONTENT_TOO_LARGE,
				   "a body over 64 KiB, or one this endpoint "
				   "does not take");
	if ((nul = nul_input(c, &r->body)))
		return reply_error(c, MHD_HTTP_BAD_REQUEST, nul);
	if (enrolling)
		return enroll(s, c, &r->body);
	if (rotating)
		return rotate(s, c, r);
	/* every endpoint from here reads or writes the registry: one whose
	 * file was deleted or replaced under the server is neither */
	if (hw_registry_same(&s->reg)) {
		fprintf(stderr, "hwledger: fleet serve: %s\n", hw_error_last());
		return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				   hw_error_last());
	}
	if (job)
		return job_result(s, c, r, job);
	if (cancel)
		return job_cancel(s, c, r, cancel);
	if (!strcmp(method, "POST") && !strcmp(url, "/v1/jobs"))
		return job_queue(s, c, r);
	if (!strcmp(method, "GET") && !strcmp(url, "/v1/jobs"))
		return jobs_list(s, c, r);
	if (!strcmp(method, "GET") && !strcmp(url, "/v1/jobs/next"))
		return job_next(s, c, r);
	if (!strcmp(method, "POST") && !strcmp(url, "/v1/heartbeat"))
		return heartbeat(s, c, r->who.host, r->who.serial);
	if (!strcmp(method, "GET") && !strcmp(url, "/v1/hosts"))
		return hosts(s, c, HOSTS);
	if (!strcmp(method, "GET") && !strcmp(url, "/v1/status"))
		return hosts(s, c, STATUS);
	if (!strcmp(method, "GET") &&
	    (!strcmp(url, "/v1/metrics") || !strcmp(url, "/metrics")))
		return hosts(s, c, METRICS);
	return reply_error(c, MHD_HTTP_NOT_FOUND, "no such endpoint");
}

/* libmicrohttpd's own messages (a failed TLS handshake: plain HTTP, TLS
 * 1.2, a client that hung up), each on a line of the server's log */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	(void)cls;
	/* hwledger-sast-ignore FF1019: libmicrohttpd's own format */
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strcspn(line, "\n");
	fprintf(stderr, "hwledger: fleet serve: %.*s\n", (int)n, line);
}

/* ADDR:PORT (IPv4) into sa */
static int parse_listen(struct sockaddr_in *sa, const char *listen)
{
	const char *colon = strrchr(listen, ':');
	char addr[64];
	long port;

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (!colon || (size_t)(colon - listen) >= sizeof(addr))
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "--listen '%s': expected ADDR:PORT",
				    listen);
	memcpy(addr, listen, (size_t)(colon - listen));
	addr[colon - listen] = '\0';
	port = strcmp(colon + 1, "0") != 0 ? seconds(colon + 1, 65535) : 0;
	if (inet_pton(AF_INET, addr, &sa->sin_addr) != 1 ||
	    (port == 0 && strcmp(colon + 1, "0") != 0))
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "--listen '%s': expected an IPv4 address "
				    "and a port (0 for any free one)",
				    listen);
	sa->sin_port = htons((uint16_t)port);
	return HW_OK;
}

/* Writes STATE/port once the server listens, for whoever started it. */
static int write_port(const char *state, unsigned port)
{
	char *path = hw_path_join(state, "port");
	char text[16];
	int err;

	HW_CHECK_ALLOC(path);
	snprintf(text, sizeof(text), "%u\n", port);
	err = hw_file_write_atomic(path, text, strlen(text));
	free(path);
	return err;
}

/* A connection opened or closed: it joins or leaves the watchdog's
 * list (a connection that could not be listed is closed at once). */
static void on_connection(void *cls, struct MHD_Connection *c, void **ctx,
			  enum MHD_ConnectionNotificationCode what)
{
	const union MHD_ConnectionInfo *ci = mhd.MHD_get_connection_info(
		c, MHD_CONNECTION_INFO_CONNECTION_FD);
	server *s = cls;
	conn *k = *ctx;

	pthread_mutex_lock(&s->conns_lock);
	if (what == MHD_CONNECTION_NOTIFY_STARTED) {
		if (ci && (k = calloc(1, sizeof(*k)))) {
			k->fd = ci->connect_fd;
			k->since = now_ms();
			k->next = s->conns;
			if (s->conns)
				s->conns->prev = k;
			s->conns = k;
		} else if (ci) {
			shutdown(ci->connect_fd, SHUT_RDWR);
		}
		*ctx = k;
	} else if (k) {
		if (k->prev)
			k->prev->next = k->next;
		else
			s->conns = k->next;
		if (k->next)
			k->next->prev = k->prev;
		free(k);
		*ctx = NULL;
	}
	pthread_mutex_unlock(&s->conns_lock);
}

/* The watchdog: once a second it shuts down every connection whose
 * request has taken longer than the idle timeout, a client that sends
 * a byte now and then as well as one that sends nothing (libmicrohttpd's
 * own timeout counts from a connection's last byte only). libmicrohttpd
 * then sees the connection end and closes it. */
/* Implements: FR-FLEET-020 */
static void *watchdog(void *arg)
{
	server *s = arg;
	struct timespec until;

	pthread_mutex_lock(&s->conns_lock);
	while (!s->stop) {
		long long now = now_ms();

		for (conn *k = s->conns; k; k = k->next)
			if (!k->cut && now - k->since > 1000LL * s->idle) {
				shutdown(k->fd, SHUT_RDWR);
				k->cut = 1;
				fprintf(stderr,
					"hwledger: fleet serve: a request took "
					"more than %u s; connection closed\n",
					s->idle);
			}
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&s->wake, &s->conns_lock, &until);
	}
	pthread_mutex_unlock(&s->conns_lock);
	return NULL;
}

/* Waits seconds, or until the server stops: 0 when it stops. */
static int pause_or_stop(server *s, unsigned seconds)
{
	struct timespec until;
	int go;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += seconds;
	pthread_mutex_lock(&s->conns_lock);
	while (!s->stop &&
	       pthread_cond_timedwait(&s->wake, &s->conns_lock, &until) == 0)
		;
	go = !s->stop;
	pthread_mutex_unlock(&s->conns_lock);
	return go;
}

/* The SSH prober: every ssh_interval seconds it probes the hosts without
 * an agent as `hwledger probe --ssh` does, appends each result to the
 * ledger and then records it, reached or not; a failure is logged and
 * the host is tried again next round. */
/* Implements: FR-FLEET-023 */
static void *ssh_prober(void *arg)
{
	server *s = arg;
	hw_probe *p = calloc(s->nssh, sizeof(*p));

	if (!p) {
		fprintf(stderr, "hwledger: fleet serve: ssh: out of memory\n");
		return NULL;
	}
	do {
		hw_probe_remote(p, s->ssh, s->nssh, SSH_POOL, s->ssh_timeout);
		for (size_t i = 0; i < s->nssh; i++) {
			hw_buf doc;
			time_t now;
			int err;

			hw_buf_init(&doc, 0);
			pthread_mutex_lock(&s->lock);
			if (!(err = hw_registry_same(&s->reg)) &&
			    !(err = hw_probe_json(&doc, &p[i], 1)) &&
			    !(err = hw_fleet_now(&now)) &&
			    !(err = result_event(s, NULL, NULL, NULL,
						 s->ssh[i], doc.data, NULL)))
				err = hw_registry_ssh_result(
					&s->reg, s->ssh[i], (long long)now,
					(long long)s->ssh_interval,
					p[i].reachable, doc.data);
			pthread_mutex_unlock(&s->lock);
			if (err)
				fprintf(stderr,
					"hwledger: fleet serve: ssh %s: %s\n",
					s->ssh[i], hw_error_last());
			hw_buf_free(&doc);
		}
	} while (pause_or_stop(s, s->ssh_interval));
	free(p);
	return NULL;
}

/* Room for every connection the server takes: the soft limit on open
 * descriptors is raised as far as the hard one allows (many systems
 * start a service with 1,024, which the connections alone would use). */
static void raise_fd_limit(void)
{
	struct rlimit l;
	rlim_t want = CONNECTIONS_MAX + FDS_OTHER;

	if (getrlimit(RLIMIT_NOFILE, &l) == 0 && l.rlim_cur < want) {
		l.rlim_cur = l.rlim_max < want ? l.rlim_max : want;
		setrlimit(RLIMIT_NOFILE, &l);
	}
}

/* Takes STATE/serve.lock for as long as the server runs (the descriptor
 * into *fd): two servers on one state folder would share its port file,
 * its registry and its jobs, each thinking them its own. The lock goes
 * with the process, however it ends. */
/* Implements: FR-FLEET-004 */
static int lock_state(int *fd, const char *state)
{
	char *path = hw_path_join(state, "serve.lock");
	int err = HW_OK;

	HW_CHECK_ALLOC(path);
	if ((err = hw_mkdir_p(state)))
		goto out;
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0)
		err = hw_error_set(HW_EIO, path, 0, 0, "%s", strerror(errno));
	else if (flock(*fd, LOCK_EX | LOCK_NB) != 0)
		err = errno == EWOULDBLOCK
			      ? hw_error_set(HW_EUSAGE, NULL, 0, 0,
					     "fleet serve: another server holds "
					     "%s (%s is locked)",
					     state, path)
			      : hw_error_set(HW_EIO, path, 0, 0, "%s",
					     strerror(errno));
out:
	free(path);
	return err;
}

/* Implements: FR-FLEET-004 */
int hw_fleet_serve(const hw_fleet_serve_opts *o)
{
	const char *listen = o->listen, *ca_dir = o->ca_dir, *state = o->state;
	server s = {.state = state,
		    .ca_dir = ca_dir,
		    .idle = o->idle ? o->idle : IDLE_SECONDS,
		    .ssh_interval = o->ssh_interval ? o->ssh_interval
						    : SSH_INTERVAL,
		    .ssh_timeout = o->ssh_timeout ? o->ssh_timeout
						  : SSH_TIMEOUT};
	pthread_t dog, prober;
	int dog_started = 0, prober_started = 0;
	struct sockaddr_in sa;
	struct MHD_Daemon *d = NULL;
	const union MHD_DaemonInfo *info;
	hw_buf cert, key;
	char addr[64];
	char signer_path[4096];
	const char *names[] = {"localhost", "127.0.0.1", addr};
	unsigned port;
	hw_seckey k;
	sigset_t stop;
	int sig, err, lock = -1;

	hw_buf_init(&cert, 0);
	hw_buf_init(&key, 0);
	memset(&k, 0, sizeof(k));
	pthread_mutex_init(&s.lock, NULL);
	pthread_mutex_init(&s.conns_lock, NULL);
	pthread_cond_init(&s.wake, NULL);
	hw_buf_init(&s.ssh_text, 0);
	if ((err = parse_listen(&sa, listen)))
		goto out;
	if (o->ssh_hosts &&
	    (!(s.ssh = calloc(SSH_HOSTS_MAX, sizeof(*s.ssh))) ||
	     (err = hw_probe_hosts_file(&s.ssh_text, s.ssh, &s.nssh,
					SSH_HOSTS_MAX, o->ssh_hosts)))) {
		err = err ? err : hw_error_oom();
		goto out;
	}
	inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof(addr));
	/* the signing key first: without one no registration could be
	 * recorded */
	if ((err = hw_seckey_need(&s.signer, signer_path,
				  sizeof(signer_path))) ||
	    (err = load_mhd()) || (err = lock_state(&lock, state)) ||
	    (err = hw_fleet_trust_load(&s.trust, ca_dir)) ||
	    (err = hw_registry_open(&s.reg, state)) ||
	    (err = hw_fleet_server_cert(&cert, &k, ca_dir, state, names,
					sa.sin_addr.s_addr ? 3 : 2)) ||
	    (err = hw_fleet_key_pem(&key, &k)))
		goto out;
	/* SIGINT and SIGTERM stop the server through sigwait below; they
	 * are blocked before the pool's threads start, which inherit it */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	raise_fd_limit();
	if ((err = pthread_create(&dog, NULL, watchdog, &s))) {
		err = hw_error_set(HW_EIO, NULL, 0, 0,
				   "fleet serve: cannot start a thread: %s",
				   strerror(err));
		goto out;
	}
	dog_started = 1;
	d = mhd.MHD_start_daemon(
		/* ITC: stopping wakes every thread of the pool, also one
		 * at its connection limit, which no longer watches the
		 * listening socket whose shutdown would wake it */
		MHD_USE_TLS | MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC |
			MHD_USE_ERROR_LOG,
		0, NULL, NULL, handle, &s,
		/* first, so that every message goes through it */
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, &sa,
		MHD_OPTION_HTTPS_MEM_KEY, key.data, MHD_OPTION_HTTPS_MEM_CERT,
		cert.data, MHD_OPTION_HTTPS_MEM_TRUST, s.trust.pem.data,
		MHD_OPTION_HTTPS_PRIORITIES, TLS13_ONLY,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)THREADS,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTIONS_MAX,
		MHD_OPTION_CONNECTION_TIMEOUT, s.idle,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, &s,
		MHD_OPTION_NOTIFY_COMPLETED, completed, &s, MHD_OPTION_END);
	if (!d) {
		err = hw_error_set(HW_EIO, NULL, 0, 0,
				   "fleet serve: cannot listen on %s", listen);
		goto out;
	}
	info = mhd.MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = info ? info->port : 0;
	if ((err = write_port(state, port)))
		goto out;
	if (!o->quiet)
		fprintf(stderr, "fleet serve: listening on https://%s:%u\n",
			addr, port);
	if (s.nssh) {
		if ((err = pthread_create(&prober, NULL, ssh_prober, &s))) {
			err = hw_error_set(HW_EIO, NULL, 0, 0,
					   "fleet serve: cannot start a "
					   "thread: %s",
					   strerror(err));
			goto out;
		}
		prober_started = 1;
	}
	sigwait(&stop, &sig);
out:
	if (d)
		mhd.MHD_stop_daemon(d);
	/* the watchdog and the SSH prober wait on wake; the prober ends
	 * its round first */
	pthread_mutex_lock(&s.conns_lock);
	s.stop = 1;
	pthread_cond_broadcast(&s.wake);
	pthread_mutex_unlock(&s.conns_lock);
	if (dog_started)
		pthread_join(dog, NULL);
	if (prober_started)
		pthread_join(prober, NULL);
	free(s.ssh);
	hw_buf_free(&s.ssh_text);
	pthread_cond_destroy(&s.wake);
	pthread_mutex_destroy(&s.conns_lock);
	hw_fleet_trust_free(&s.trust);
	hw_registry_close(&s.reg);
	if (lock >= 0)
		close(lock);
	pthread_mutex_destroy(&s.lock);
	if (key.data)
		sodium_memzero(key.data, key.cap);
	sodium_memzero(&k, sizeof(k));
	sodium_memzero(&s.signer, sizeof(s.signer));
	hw_buf_free(&key);
	hw_buf_free(&cert);
	return err;
}
