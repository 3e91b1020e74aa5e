/*
 * client.c — HTTPS requests to the fleet server through GnuTLS: TLS
 * 1.3 only, the server's certificate checked against the fleet's CA and
 * the host name, the agent's certificate and Ed25519 key presented
 * (specs/fleet.md, "The client").
 *
 * GnuTLS directly rather than libcurl: libcurl's GnuTLS backend takes the
 * client key only from a PEM file, and the agent's key is an hwledger
 * secret key file that is not to be written again in a second format.
 * Every step has the same timeout: the connect, the handshake, each read
 * and write. A client that asks often (the agent) keeps its connection
 * open between requests (hw_fleet_conn); the others close it after one.
 */
#include "fleet/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define TLS13_ONLY "NORMAL:-VERS-ALL:+VERS-TLS1.3"
#define ANSWER_MAX ((size_t)1 << 20)

/* https://HOST:PORT[/] into host and port */
static int parse_url(char host[256], char port[8], const char *url)
{
	const char *h = url + 8, *colon;
	size_t n;

	if (strncmp(url, "https://", 8) != 0 || !(colon = strrchr(h, ':')) ||
	    (n = (size_t)(colon - h)) == 0 || n >= 256 ||
	    strspn(colon + 1, "0123456789") == 0 ||
	    strspn(colon + 1, "0123456789") > 5 ||
	    (colon[1 + strspn(colon + 1, "0123456789")] != '\0' &&
	     strcmp(colon + 1 + strspn(colon + 1, "0123456789"), "/") != 0))
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "--server '%s': expected https://HOST:PORT",
				    url);
	memcpy(host, h, n);
	host[n] = '\0';
	n = strspn(colon + 1, "0123456789");
	memcpy(port, colon + 1, n);
	port[n] = '\0';
	return HW_OK;
}

/* A TCP connection to host:port within timeout seconds, with that
 * timeout on every later read and write; -1 with the error recorded. */
static int dial(const char *host, const char *port, int timeout,
		const char *url)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
	struct timeval tv = {.tv_sec = timeout};
	struct pollfd p;
	int fd = -1, rc, soerr = 0, one = 1;
	socklen_t len = sizeof(soerr);

	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0) {
		hw_error_set(HW_EIO, url, 0, 0, "%s", gai_strerror(rc));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    0);
	if (fd < 0) {
		soerr = errno;
	} else if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		/* non-blocking: the connection completes, or not, in time */
		if (errno != EINPROGRESS) {
			soerr = errno;
		} else {
			p = (struct pollfd){.fd = fd, .events = POLLOUT};
			rc = poll(&p, 1, timeout * 1000);
			if (rc == 0)
				soerr = ETIMEDOUT;
			else if (rc < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR,
						      &soerr, &len))
				soerr = errno;
		}
	}
	freeaddrinfo(ai);
	/* TCP_NODELAY: a request goes out whole at once. Otherwise the
	 * kernel holds it back until the server acknowledges the
	 * handshake's last message, which the server delays (for up to
	 * 40 ms) while it has nothing to send: a pause in every request. */
	if (!soerr && (fcntl(fd, F_SETFL, 0) != 0 ||
		       setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
				  sizeof(one)) != 0 ||
		       setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
				  sizeof(tv)) != 0 ||
		       setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv,
				  sizeof(tv)) != 0))
		soerr = errno;
	if (soerr) {
		hw_error_set(HW_EIO, url, 0, 0, "cannot connect: %s",
			     strerror(soerr));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* The credentials: the fleet's CA to trust, and the client's certificate
 * and key when it has them. */
/* HW_EINVAL naming both files when the certificate is not of the key:
 * the server would only close the connection, which says nothing of
 * why. */
/* Implements: FR-FLEET-006 */
static int key_matches(gnutls_x509_crt_t crt, const hw_seckey *k,
		       const hw_fleet_peer *peer)
{
	uint8_t pk[32];

	if (hw_fleet_crt_key(pk, crt) ||
	    memcmp(pk, k->pub.pk, sizeof(pk)) != 0)
		return hw_error_set(HW_EINVAL, NULL, 0, 0,
				    "%s and %s do not match: the certificate "
				    "is not of that key",
				    peer->cert, peer->key);
	return HW_OK;
}

static int credentials(gnutls_certificate_credentials_t *cred,
		       const hw_fleet_peer *peer)
{
	gnutls_x509_crt_t crt = NULL;
	gnutls_x509_privkey_t key = NULL;
	hw_fleet_trust t;
	hw_buf pem;
	hw_seckey k;
	int err;

	memset(&k, 0, sizeof(k));
	memset(&t, 0, sizeof(t));
	hw_buf_init(&pem, 0);
	if ((err = hw_gnutls_load()) ||
	    (err = hw_fleet_trust_load(&t, peer->ca_dir)) ||
	    (err = hw_gnutls_check(
		     hw_gt.gnutls_certificate_allocate_credentials(cred), NULL,
		     "TLS credentials")))
		goto out;
	{
		/* the server's certificate is judged by every CA the folder
		 * trusts: during a rotation the server's may be the new CA's */
		gnutls_datum_t d = {(unsigned char *)t.pem.data,
				    (unsigned)t.pem.len};

		if ((err = hw_gnutls_check(
			     hw_gt.gnutls_certificate_set_x509_trust_mem(
				     *cred, &d, GNUTLS_X509_FMT_PEM),
			     peer->ca_dir, "the fleet's CA")))
			goto out;
	}
	if (!peer->cert)
		goto out;
	if (!(err = hw_fleet_cert_read(&pem, peer->cert)) &&
	    !(err = hw_fleet_crt_load(&crt, &pem, peer->cert)) &&
	    !(err = hw_seckey_load(&k, peer->key)) &&
	    !(err = key_matches(crt, &k, peer)) &&
	    !(err = hw_fleet_x509_key(&key, &k)))
		err = hw_gnutls_check(hw_gt.gnutls_certificate_set_x509_key(
					      *cred, &crt, 1, key),
				      peer->cert, "the client certificate");
out:
	sodium_memzero(&k, sizeof(k));
	if (key)
		hw_gt.gnutls_x509_privkey_deinit(key);
	if (crt)
		hw_gt.gnutls_x509_crt_deinit(crt);
	hw_buf_free(&pem);
	hw_fleet_trust_free(&t);
	return err;
}

/* Implements: FR-FLEET-006 */
int hw_fleet_peer_check(const hw_fleet_peer *peer)
{
	gnutls_certificate_credentials_t cred = NULL;
	int err = credentials(&cred, peer);

	if (cred)
		hw_gt.gnutls_certificate_free_credentials(cred);
	return err;
}

/* A connection kept open between requests (the agent's): a heartbeat is
 * then one request on it, not a TCP connection and a TLS handshake. */
struct hw_fleet_conn {
	gnutls_certificate_credentials_t cred;
	gnutls_session_t s;
	int fd;
	double used; /* hw_now_s() when its last answer came */
};

/* A kept connection idle longer than this is closed rather than used:
 * the server closes a connection idle for 10 s ("The server"). One the
 * server closed sooner is found closed and opened again. */
#define KEEP_SECONDS 5

hw_fleet_conn *hw_fleet_conn_new(void)
{
	hw_fleet_conn *c = calloc(1, sizeof(*c));

	if (c)
		c->fd = -1;
	return c;
}

static void conn_close(hw_fleet_conn *c)
{
	if (c->s) {
		if (c->fd >= 0)
			hw_gt.gnutls_bye(c->s, GNUTLS_SHUT_WR);
		hw_gt.gnutls_deinit(c->s);
	}
	if (c->fd >= 0)
		close(c->fd);
	if (c->cred)
		hw_gt.gnutls_certificate_free_credentials(c->cred);
	c->s = NULL;
	c->cred = NULL;
	c->fd = -1;
}

void hw_fleet_conn_free(hw_fleet_conn *c)
{
	if (c) {
		conn_close(c);
		free(c);
	}
}

/* GnuTLS's writes, with MSG_NOSIGNAL: a server that closed the
 * connection is then an error to report (EPIPE), not a SIGPIPE that
 * kills the agent without a word. */
static ssize_t push(gnutls_transport_ptr_t fd, const void *data, size_t n)
{
	return send((int)(intptr_t)fd, data, n, MSG_NOSIGNAL);
}

/* A TLS 1.3 connection to host:port as peer, into c. */
static int conn_open(hw_fleet_conn *c, const hw_fleet_peer *peer,
		     const char *host, const char *port)
{
	int err, rc;

	if ((err = credentials(&c->cred, peer)) ||
	    (err = hw_gnutls_check(hw_gt.gnutls_init(&c->s, GNUTLS_CLIENT),
				   NULL, "TLS session")) ||
	    (err = hw_gnutls_check(
		     hw_gt.gnutls_priority_set_direct(c->s, TLS13_ONLY, NULL),
		     NULL, "TLS priorities")) ||
	    (err = hw_gnutls_check(hw_gt.gnutls_credentials_set(
					   c->s, GNUTLS_CRD_CERTIFICATE,
					   c->cred),
				   NULL, "TLS credentials")))
		return err;
	/* the server's certificate must name the host the URL names */
	hw_gt.gnutls_session_set_verify_cert(c->s, host, 0);
	if (strspn(host, "0123456789.") != strlen(host))
		hw_gt.gnutls_server_name_set(c->s, GNUTLS_NAME_DNS, host,
					     strlen(host));
	if ((c->fd = dial(host, port, peer->timeout, peer->url)) < 0)
		return hw_error_code();
	hw_gt.gnutls_transport_set_int2(c->s, c->fd, c->fd);
	hw_gt.gnutls_transport_set_push_function(c->s, push);
	hw_gt.gnutls_handshake_set_timeout(c->s,
					   (unsigned)peer->timeout * 1000);
	do
		rc = hw_gt.gnutls_handshake(c->s);
	while (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED);
	if (rc == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR)
		return hw_error_set(HW_EIO, peer->url, 0, 0,
				    "TLS handshake failed: the server's "
				    "certificate is not of a CA that %s "
				    "trusts, or not for this address",
				    peer->ca_dir);
	if (rc < 0)
		return hw_error_set(HW_EIO, peer->url, 0, 0,
				    "TLS handshake failed: %s",
				    hw_gt.gnutls_strerror(rc));
	return HW_OK;
}

/* Where the answer in raw ends: the header's end plus its Content-Length
 * (none for 204), or 0 while that is not known yet (the headers are not
 * all there, or they give no length: the answer ends when the server
 * closes). */
static size_t answer_end(const hw_buf *raw)
{
	const char *head = raw->data ? strstr(raw->data, "\r\n\r\n") : NULL;
	size_t start;

	if (!head)
		return 0;
	start = (size_t)(head - raw->data) + 4;
	if (raw->len > 12 && !strncmp(raw->data + 8, " 204 ", 5))
		return start;
	for (const char *l = strstr(raw->data, "\r\n"); l && l < head;
	     l = strstr(l + 2, "\r\n"))
		if (!strncasecmp(l + 2, "content-length:", 15)) {
			char *end;
			unsigned long long n = strtoull(l + 17, &end, 10);

			return end != l + 17 && n <= ANSWER_MAX
				       ? start + (size_t)n
				       : 0;
		}
	return 0;
}

/* The request over TLS, its answer into raw: up to its Content-Length,
 * or until the server closes. *got: whether any byte of an answer came
 * (a kept connection that the server closed gives none). */
static int exchange(hw_buf *raw, int *got, gnutls_session_t s,
		    const char *request, const char *url, int timeout)
{
	size_t n = strlen(request), off = 0, end = 0;
	double start = hw_now_s();
	ssize_t rc;

	*got = 0;
	while (off < n) {
		rc = hw_gt.gnutls_record_send(s, request + off, n - off);
		if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED)
			continue;
		if (rc < 0)
			return hw_error_set(HW_EIO, url, 0, 0, "send: %s",
					    hw_gt.gnutls_strerror((int)rc));
		off += (size_t)rc;
	}
	while (!end || raw->len < end) {
		int err = hw_buf_reserve(raw, 4096);

		if (err)
			return err;
		/* one deadline for the whole answer: a server that sends a
		 * byte now and then is cut as one that sends nothing */
		if (hw_now_s() - start > timeout)
			return hw_error_set(HW_EIO, url, 0, 0,
					    "no whole answer in %d s",
					    timeout);
		rc = hw_gt.gnutls_record_recv(s, raw->data + raw->len, 4096);
		if (rc == 0 || rc == GNUTLS_E_PREMATURE_TERMINATION) {
			if (!raw->len)
				return hw_error_set(HW_EIO, url, 0, 0,
						    "the server closed the "
						    "connection");
			break;
		}
		/* AGAIN: the read timed out, or TLS 1.3 handled a message
		 * of its own (a session ticket) and has no data yet; the
		 * deadline above tells which */
		if (rc == GNUTLS_E_INTERRUPTED || rc == GNUTLS_E_AGAIN)
			continue;
		if (rc < 0)
			return hw_error_set(HW_EIO, url, 0, 0, "%s",
					    hw_gt.gnutls_strerror((int)rc));
		*got = 1;
		raw->len += (size_t)rc;
		raw->data[raw->len] = '\0';
		if (raw->len > ANSWER_MAX)
			return hw_error_set(HW_ETOOBIG, url, 0, 0,
					    "answer larger than %zu bytes",
					    ANSWER_MAX);
		end = answer_end(raw);
	}
	return HW_OK;
}

/* Implements: FR-FLEET-004 */
int hw_fleet_request(hw_buf *body, int *status, const hw_fleet_peer *peer,
		     const char *method, const char *path, const char *json)
{
	hw_fleet_conn once = {.fd = -1}, *c = peer->conn ? peer->conn : &once;
	char host[256], port[8];
	const char *head;
	hw_buf req, raw;
	int err, got = 0, reused;

	hw_buf_init(&req, 0);
	hw_buf_init(&raw, ANSWER_MAX + 4096);
	if ((err = parse_url(host, port, peer->url)) ||
	    (err = hw_buf_printf(&req,
				 "%s %s HTTP/1.1\r\nHost: %s:%s\r\n"
				 "Connection: %s\r\n"
				 "Content-Type: application/json\r\n"
				 "Content-Length: %zu\r\n\r\n%s",
				 method, path, host, port,
				 peer->conn ? "keep-alive" : "close",
				 json ? strlen(json) : 0, json ? json : "")))
		goto out;
	if (c->fd >= 0 && hw_now_s() - c->used > KEEP_SECONDS)
		conn_close(c);
	reused = c->fd >= 0;
	for (;;) {
		if (c->fd < 0 && (err = conn_open(c, peer, host, port)))
			goto out;
		err = exchange(&raw, &got, c->s, req.data, peer->url,
			       peer->timeout);
		/* a kept connection the server closed before it answered:
		 * the request did not reach it; once more on a new one */
		if (!err || !reused || got)
			break;
		conn_close(c);
		hw_buf_clear(&raw);
		reused = 0;
	}
	if (err)
		goto out;
	c->used = hw_now_s();
	head = raw.data ? strstr(raw.data, "\r\n\r\n") : NULL;
	/* "HTTP/1.x NNN ": the status is the three digits after the space */
	if (!head || strncmp(raw.data, "HTTP/1.", 7) != 0 ||
	    raw.data[8] != ' ' || strspn(raw.data + 9, "0123456789") != 3) {
		err = hw_error_set(HW_EIO, peer->url, 0, 0,
				   "not an HTTP answer");
		goto out;
	}
	*status = (int)strtol(raw.data + 9, NULL, 10);
	err = hw_buf_puts(body, head + 4);
out:
	/* a connection is kept only after a whole answer that said how
	 * long it was (the next answer starts right after it) */
	if (c == &once || err || answer_end(&raw) != raw.len)
		conn_close(c);
	hw_buf_free(&req);
	hw_buf_free(&raw);
	return err;
}

/* Implements: FR-FLEET-004 */
int hw_fleet_call(hw_buf *body, const hw_fleet_peer *peer, const char *method,
		  const char *path, const char *json)
{
	cJSON *answer;
	int status = 0, err;

	if ((err = hw_fleet_request(body, &status, peer, method, path, json)))
		return err;
	if (status >= 200 && status < 300)
		return HW_OK;
	answer = cJSON_Parse(body->data);
	err = hw_error_set(
		HW_EIO, peer->url, 0, 0, "%d: %s", status,
		cJSON_IsString(cJSON_GetObjectItem(answer, "error"))
			? cJSON_GetObjectItem(answer, "error")->valuestring
			: "the server refused the request");
	cJSON_Delete(answer);
	return err;
}
