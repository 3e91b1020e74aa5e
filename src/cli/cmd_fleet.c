/*
 * cmd_fleet.c — `hwledger fleet ca init|trust|enroll|issue|revoke|check`: the
 * fleet's certificates (specs/fleet.md). Inputs are all checked before a
 * token is used up or a file is written; nothing that exists is replaced.
 */
#include "cli/cli.h"
#include "fleet/fleet.h"
#include "probes/probes.h"

#include <sodium.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#define fleet_usage(...) hw_cli_usage_error("fleet", __VA_ARGS__)
/* `agent` is a command of its own: its mistakes print its usage */
#define agent_usage(...) hw_cli_usage_error("agent", __VA_ARGS__)

/* ten years for the CA, a day for a token */
#define CA_DAYS 3650
#define TOKEN_TTL 86400
#define DAYS_MAX 36500

typedef struct fleet_opts {
	const char *arg;    /* the one positional argument, if any */
	const char *ca, *state, *name, *token, *key, *out, *reason;
	const char *listen, *server, *cert, *allow, *new_key, *ssh_hosts;
	char **rest; /* the words after "--", for fleet run */
	int nrest, rest_ok;
	cJSON *commands; /* the agent's allow-list (--allow) */
	hw_fleet_conn *conn; /* the agent's connection, kept between rounds */
	double days, ttl, interval, deadline, idle, ssh_interval, ssh_timeout;
	long retries;
	int json, once, operator;
	const char *cmd; /* "fleet", or "agent" for the agent's command */
} fleet_opts;

/* --retries N: a whole number in 0..HW_FLEET_RETRIES_MAX; 1 when it is */
static int retries_arg(const char *v, long *out)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (end == v || *end || n < 0 || n > HW_FLEET_RETRIES_MAX)
		return 0;
	*out = n;
	return 1;
}

/* Reads argv[from..) into o; allowed lists the options this subcommand
 * takes ("--ca --state"), positional the name of the one argument it
 * takes ("HOST"; NULL: none; o->arg is set on success). A usage error is
 * printed and is exit 2. */
static int parse(fleet_opts *o, int argc, char **argv, int from,
		 const char *allowed, const char *positional)
{
	static const struct {
		const char *name;
		size_t off;
	} strs[] = {
		{"--dir", offsetof(fleet_opts, ca)},
		{"--ca", offsetof(fleet_opts, ca)},
		{"--state", offsetof(fleet_opts, state)},
		{"--name", offsetof(fleet_opts, name)},
		{"--token", offsetof(fleet_opts, token)},
		{"--key", offsetof(fleet_opts, key)},
		{"-o", offsetof(fleet_opts, out)},
		{"--reason", offsetof(fleet_opts, reason)},
		{"--listen", offsetof(fleet_opts, listen)},
		{"--server", offsetof(fleet_opts, server)},
		{"--cert", offsetof(fleet_opts, cert)},
		{"--host", offsetof(fleet_opts, name)},
		{"--allow", offsetof(fleet_opts, allow)},
		{"--new-key", offsetof(fleet_opts, new_key)},
		{"--ssh-hosts", offsetof(fleet_opts, ssh_hosts)},
	};

	for (int i = from; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		const char *hit = a[0] == '-' ? strstr(allowed, a) : NULL;
		size_t n = strlen(a);
		int known = 0;

		/* a whole word of allowed */
		if (hit && (hit[n] != ' ' && hit[n] != '\0'))
			hit = NULL;
		if (hit && hit != allowed && hit[-1] != ' ')
			hit = NULL;
		if (!strcmp(a, "--") && o->rest_ok) {
			o->rest = argv + i + 1;
			o->nrest = argc - i - 1;
			break;
		}
		if (hit && !strcmp(a, "--operator")) {
			o->operator = 1;
		} else if (hit && (!strcmp(a, "--json") || !strcmp(a, "--once"))) {
			*(!strcmp(a, "--json") ? &o->json : &o->once) = 1;
		} else if (hit && v) {
			for (size_t k = 0; k < sizeof(strs) / sizeof(*strs); k++)
				if (!strcmp(a, strs[k].name)) {
					*(const char **)((char *)o +
							 strs[k].off) = v;
					known = 1;
				}
			if (!strcmp(a, "--days"))
				known = hw_cli_positive(v, DAYS_MAX, &o->days);
			if (!strcmp(a, "--ttl"))
				known = hw_cli_positive(v, 1e9, &o->ttl);
			if (!strcmp(a, "--interval"))
				known = hw_cli_positive(v, 86400,
							&o->interval);
			if (!strcmp(a, "--deadline"))
				known = hw_cli_positive(
					v, HW_FLEET_DEADLINE_MAX, &o->deadline);
			if (!strcmp(a, "--retries"))
				known = retries_arg(v, &o->retries);
			if (!strcmp(a, "--idle-timeout"))
				known = hw_cli_positive(v, 3600, &o->idle) &&
					o->idle == (unsigned)o->idle;
			if (!strcmp(a, "--ssh-interval"))
				known = hw_cli_positive(v, 86400,
							&o->ssh_interval) &&
					o->ssh_interval ==
						(unsigned)o->ssh_interval;
			if (!strcmp(a, "--ssh-timeout"))
				known = hw_cli_positive(v, 3600,
							&o->ssh_timeout) &&
					o->ssh_timeout ==
						(unsigned)o->ssh_timeout;
			if (!known) {
				hw_cli_usage_error(o->cmd,
						   "%s: bad value '%s' for %s",
						   o->cmd, v, a);
				return HW_EXIT_BADINPUT;
			}
			i++;
		} else if (a[0] != '-' && positional && !o->arg) {
			o->arg = a;
		} else {
			hw_cli_usage_error(o->cmd, "%s: bad argument '%s'",
					   o->cmd, a);
			return HW_EXIT_BADINPUT;
		}
	}
	if (positional && !o->arg) {
		/* the words of the subcommand: "fleet enroll needs HOST" */
		char words[64] = "";

		for (int k = 0; k < from && k < argc; k++)
			snprintf(words + strlen(words),
				 sizeof(words) - strlen(words), "%s%s",
				 k ? " " : "", argv[k]);
		hw_cli_usage_error(o->cmd, "%s needs %s", words, positional);
		return HW_EXIT_BADINPUT;
	}
	return HW_EXIT_OK;
}

/* Implements: FR-FLEET-001 */
static int ca_init(hw_cli *cli, fleet_opts *o)
{
	int err;

	if (!o->name)
		o->name = "hwledger fleet CA";
	if ((err = hw_fleet_ca_init(o->ca, o->name,
				    (unsigned)(o->days ? o->days : CA_DAYS))))
		return hw_cli_error(err);
	if (!cli->quiet)
		printf("%s/ca.crt\n", o->ca);
	return HW_EXIT_OK;
}

/* Implements: FR-FLEET-013 */
static int ca_trust(hw_cli *cli, fleet_opts *o)
{
	char *copy;
	int err = hw_fleet_ca_trust(&copy, o->ca, o->arg);

	if (err)
		return hw_cli_error(err);
	if (!cli->quiet)
		printf("%s\n", copy);
	free(copy);
	return HW_EXIT_OK;
}

/* Implements: FR-FLEET-002 */
static int enroll(fleet_opts *o)
{
	char token[HW_FLEET_TOKEN_LEN + 1];
	int err = hw_fleet_token_new(token, o->state, o->arg,
				     (unsigned)(o->ttl ? o->ttl : TOKEN_TTL),
				     o->operator);

	if (err)
		return hw_cli_error(err);
	printf("%s\n", token);
	return HW_EXIT_OK;
}

/* The agent's public key: the one key line of path. */
static int agent_key(hw_pubkey *k, const char *path)
{
	hw_keyring ring = {0};
	int err = hw_keyring_load(&ring, path);

	if (!err && ring.n != 1)
		err = hw_error_set(HW_EINVAL, path, 0, 0,
				   "expected one public key line, found %zu",
				   ring.n);
	if (!err)
		*k = ring.keys[0];
	hw_keyring_free(&ring);
	return err;
}

/* A certificate's output file, made empty (never over one that exists)
 * before anything that cannot be undone: a token used up, a certificate
 * revoked. out_finish fills it, or removes it when nothing came. */
static int out_reserve(int *fd, const char *path)
{
	*fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (*fd >= 0)
		return HW_OK;
	return errno == EEXIST
		       ? hw_error_set(HW_EINVAL, path, 0, 0,
				      "exists; not overwritten")
		       : hw_error_set(HW_EIO, path, 0, 0, "cannot write: %s",
				      strerror(errno));
}

static int out_finish(int fd, const char *path, const char *pem, int err)
{
	if (!err && hw_write_all(fd, pem, strlen(pem)))
		err = hw_error_set(HW_EIO, path, 0, 0, "write failed: %s",
				   strerror(errno));
	if (close(fd) != 0 && !err)
		err = hw_error_set(HW_EIO, path, 0, 0, "write failed: %s",
				   strerror(errno));
	if (err)
		unlink(path); /* made empty here: nothing of the user's */
	return err;
}
/* Implements: FR-FLEET-002 */
static int issue(hw_cli *cli, fleet_opts *o)
{
	char host[HW_KEY_NAME_MAX + 1], serial[HW_FLEET_SERIAL_HEX + 1];
	hw_pubkey k;
	hw_buf pem;
	int operator, fd, err;

	if (!o->token || !o->key || !o->out)
		return fleet_usage("fleet issue needs --token, --key and -o%s",
				   "");
	/* everything that can be wrong before the token is used up: the
	 * key, the CA, the output file */
	if ((err = agent_key(&k, o->key)) || (err = hw_fleet_ca_ready(o->ca)) ||
	    (err = out_reserve(&fd, o->out)))
		return hw_cli_error(err);
	hw_buf_init(&pem, 0);
	if (!(err = hw_fleet_token_redeem(host, &operator, o->state,
					  o->token)))
		err = hw_fleet_cert_issue(
			&pem, serial, o->ca, o->state, host, &k,
			(unsigned)(o->days ? o->days : HW_FLEET_CERT_DAYS),
			operator);
	err = out_finish(fd, o->out, pem.data ? pem.data : "", err);
	hw_buf_free(&pem);
	if (err)
		return hw_cli_error(err);
	if (!cli->quiet)
		printf("%s: %s%s, serial %s\n", o->out, host,
		       operator ? " (operator)" : "", serial);
	return HW_EXIT_OK;
}

/* A certificate file, or the serial of one the server issued. */
static int serial_arg(char serial[HW_FLEET_SERIAL_HEX + 1],
		      const fleet_opts *o)
{
	hw_buf pem;
	int err;

	if (strlen(o->arg) == HW_FLEET_SERIAL_HEX &&
	    strspn(o->arg, "0123456789abcdef") == HW_FLEET_SERIAL_HEX) {
		memcpy(serial, o->arg, HW_FLEET_SERIAL_HEX + 1);
		return HW_OK;
	}
	if ((err = hw_fleet_cert_read(&pem, o->arg)))
		return err;
	err = hw_fleet_cert_serial(serial, &pem, o->arg);
	hw_buf_free(&pem);
	return err;
}

/* Implements: FR-FLEET-003 */
static int revoke_cert(hw_cli *cli, fleet_opts *o)
{
	const char *reason = o->reason ? o->reason : "revoked";
	char serial[HW_FLEET_SERIAL_HEX + 1];
	hw_seckey k;
	int denied = 0, err;

	/* signed into the ledger first, then denied: a revocation in force
	 * is never missing from the ledger, and a revocation whose deny
	 * list could not be written is simply run again */
	if (strpbrk(reason, "\r\n"))
		return hw_cli_error(hw_error_set(HW_EUSAGE, NULL, 0, 0,
						 "the reason must be one line"));
	if (!(err = serial_arg(serial, o)) &&
	    !(err = hw_fleet_denied(&denied, o->state, serial)) && !denied &&
	    !(err = hw_seckey_need(&k, (char[4096]){0}, 4096)) &&
	    !(err = hw_fleet_event(&k, HW_EVENT_FLEET_REVOKE, serial, "reason",
				   reason)))
		err = hw_fleet_revoke(o->state, serial, reason);
	if (err)
		return hw_cli_error(err);
	if (!cli->quiet)
		printf("revoked: serial %s\n", serial);
	return HW_EXIT_OK;
}

/* Implements: FR-FLEET-003 */
static int check(hw_cli *cli, fleet_opts *o)
{
	char host[HW_KEY_NAME_MAX + 1];
	hw_buf pem;
	int err;

	if ((err = hw_fleet_cert_read(&pem, o->arg)))
		return hw_cli_error(err);
	err = hw_fleet_cert_check(host, o->ca, o->state, &pem, o->arg);
	hw_buf_free(&pem);
	if (err)
		return hw_cli_error(err);
	if (!cli->quiet)
		printf("accepted: %s\n", host);
	return HW_EXIT_OK;
}

/* Implements: FR-FLEET-004 */
static int serve(hw_cli *cli, fleet_opts *o)
{
	hw_fleet_serve_opts so = {o->listen ? o->listen : "127.0.0.1:8443",
				  o->ca,
				  o->state,
				  (unsigned)o->idle,
				  o->ssh_hosts,
				  (unsigned)o->ssh_interval,
				  (unsigned)o->ssh_timeout,
				  cli->quiet};
	int err = hw_fleet_serve(&so);

	return err ? hw_cli_error(err) : HW_EXIT_OK;
}

/* The server's answer to one request: HW_OK with a 2xx answer's body,
 * else HW_EIO with the server's reason. */
static int ask(hw_buf *body, const fleet_opts *o, const char *method,
	       const char *path, const char *json)
{
	hw_fleet_peer peer = {o->server, o->ca, o->cert, o->key, 10, o->conn};

	if (!o->server)
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "--server https://HOST:PORT is needed");
	if (!o->cert != !o->key)
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "--cert and --key go together");
	return hw_fleet_call(body, &peer, method, path, json);
}

/* GET path: with --json the server's document is printed as it came
 * (*doc stays NULL), else it is parsed into *doc. An exit code. */
static int fetch(cJSON **doc, const fleet_opts *o, const char *path)
{
	hw_buf body;
	int err;

	*doc = NULL;
	hw_buf_init(&body, 0);
	if (!(err = ask(&body, o, "GET", path, NULL))) {
		if (o->json)
			printf("%s\n", body.data);
		else
			*doc = cJSON_Parse(body.data);
	}
	hw_buf_free(&body);
	return err ? hw_cli_error(err) : HW_EXIT_OK;
}

/* Text of a fleet document as the terminal is to show it: a control
 * character (C0, DEL, or C1 as UTF-8 writes it), which an agent's
 * probe or a hostile server could otherwise send to the operator's
 * terminal as an escape sequence or a line of its own, is written as
 * \xHH; NULL (a member missing) is "-". */
/* Implements: FR-FLEET-008 */
static void put(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "-");

	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			printf("\\x%02x", *p);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			printf("\\x%02x\\x%02x", p[0], p[1]);
			p++;
		} else
			putchar(*p);
	}
}

/* put of the string member key of o */
static void put_member(const cJSON *o, const char *key)
{
	put(cJSON_GetStringValue(cJSON_GetObjectItem(o, key)));
}

/* put of s, then spaces to fill width columns, then one */
static void put_padded(const char *s, int width)
{
	int n = (int)strlen(s ? s : "-");

	put(s);
	printf("%*s ", n < width ? width - n : 0, "");
}

/* label and the time t (seconds since 1970) in UTC as ISO 8601, or
 * none when t is no number (no such time yet). A time out of the years
 * 1970 to 9999 (only a hostile server sends one) is "?". */
/* Implements: FR-FLEET-005, FR-FLEET-008, FR-FLEET-009 */
static void print_time(const char *label, const cJSON *t, const char *none)
{
	char iso[21];
	double v = cJSON_GetNumberValue(t);

	if (!cJSON_IsNumber(t)) {
		printf("%s", none);
		return;
	}
	/* 1e13 s is past year 9999: hw_time_of writes "?" */
	hw_time_of(v >= 0 && v < 1e13 ? (time_t)v : (time_t)1e13, iso);
	printf("%s %s", label, iso);
}

/* "last seen T", or "never seen" for a host over SSH never reached */
static void print_seen(const cJSON *h)
{
	print_time("last seen", cJSON_GetObjectItem(h, "last_seen"),
		   "never seen");
}

/* A line saying so when the fleet knows no host: its listing would
 * otherwise be nothing at all, which reads as a failure. */
static void no_hosts(const cJSON *doc)
{
	if (!cJSON_GetArraySize(cJSON_GetObjectItem(doc, "hosts")))
		printf("the fleet has no hosts\n");
}

/* ", serial SERIAL" of an agent, " via ssh" of a host without one */
static void print_via(const cJSON *h)
{
	const char *serial = cJSON_GetStringValue(
		cJSON_GetObjectItem(h, "serial"));

	if (serial) {
		printf(", serial ");
		put(serial);
	} else
		printf(" via ssh");
}

/* Implements: FR-FLEET-005, FR-FLEET-023 */
static int hosts(fleet_opts *o)
{
	cJSON *doc, *h;
	int code = fetch(&doc, o, "/v1/hosts");

	if (code || !doc)
		return code;
	no_hosts(doc);
	cJSON_ArrayForEach(h, cJSON_GetObjectItem(doc, "hosts"))
	{
		put_padded(hw_json_str(h, "host"), 24);
		put_padded(hw_json_str(h, "state"), 5);
		print_seen(h);
		print_via(h);
		putchar('\n');
	}
	cJSON_Delete(doc);
	return HW_EXIT_OK;
}

/* Implements: FR-FLEET-007, FR-FLEET-009 */
static int run_job(fleet_opts *o)
{
	hw_fleet_order order = {
		o->name, o->arg, NULL,
		o->deadline ? (long long)o->deadline : HW_FLEET_DEADLINE_DEFAULT,
		o->retries};
	hw_buf path, body, args;
	hw_jw w;
	cJSON *answer;
	int err;

	if (!o->name)
		return fleet_usage("fleet run takes KIND and --host HOST%s", "");
	hw_buf_init(&path, 0);
	hw_buf_init(&body, 0);
	hw_buf_init(&args, 0);
	hw_jw_init(&w, &args, 0);
	hw_jw_array(&w);
	for (int i = 0; i < o->nrest; i++)
		hw_jw_str(&w, o->rest[i]);
	hw_jw_end(&w);
	if (!(err = hw_jw_finish(&w)) && o->nrest)
		order.args = args.data;
	/* checked before it is sent: the arguments are then words the
	 * query carries as they are, separated by commas */
	if (!err && !(err = hw_fleet_order_check(&order)))
		err = hw_buf_printf(&path,
				    "/v1/jobs?host=%s&kind=%s&deadline=%lld"
				    "&retries=%lld%s",
				    order.host, order.kind, order.deadline,
				    order.retries, o->nrest ? "&args=" : "");
	for (int i = 0; !err && i < o->nrest; i++)
		err = hw_buf_printf(&path, "%s%s", i ? "," : "", o->rest[i]);
	if (!err)
		err = ask(&body, o, "POST", path.data, NULL);
	hw_buf_free(&path);
	hw_buf_free(&args);
	if (err) {
		hw_buf_free(&body);
		return hw_cli_error(err);
	}
	answer = cJSON_Parse(body.data);
	printf("job %lld: %s %s\n",
	       (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(answer, "id")),
	       order.kind, o->name);
	cJSON_Delete(answer);
	hw_buf_free(&body);
	return HW_EXIT_OK;
}

/* One time of a job: ", LABEL T", or ", LABEL -" when it has none. */
static void print_job_time(const char *label, const cJSON *job)
{
	char none[16];

	snprintf(none, sizeof(none), "%s -", label);
	printf(", ");
	print_time(label, cJSON_GetObjectItem(job, label), none);
}

/* Implements: FR-FLEET-009 */
static int jobs(fleet_opts *o)
{
	cJSON *doc, *j;
	int code = fetch(&doc, o, "/v1/jobs");

	if (code || !doc)
		return code;
	cJSON_ArrayForEach(j, cJSON_GetObjectItem(doc, "jobs"))
	{
		printf("%lld ", (long long)cJSON_GetNumberValue(
					cJSON_GetObjectItem(j, "id")));
		put_member(j, "host");
		putchar(' ');
		put_member(j, "kind");
		putchar(' ');
		put_member(j, "state");
		printf(", attempts %lld of %lld",
		       (long long)cJSON_GetNumberValue(
			       cJSON_GetObjectItem(j, "attempts")),
		       (long long)cJSON_GetNumberValue(
			       cJSON_GetObjectItem(j, "retries")) + 1);
		print_job_time("queued", j);
		print_job_time("given", j);
		print_job_time("done", j);
		putchar('\n');
	}
	cJSON_Delete(doc);
	return HW_EXIT_OK;
}

/* Implements: FR-FLEET-009 */
static int cancel(fleet_opts *o)
{
	char path[64], *end;
	long long id = strtoll(o->arg, &end, 10);
	hw_buf body;
	int err;

	if (end == o->arg || *end || id < 1)
		return fleet_usage("fleet cancel: '%s' is not a job number",
				   o->arg);
	snprintf(path, sizeof(path), "/v1/jobs/%lld/cancel", id);
	hw_buf_init(&body, 0);
	err = ask(&body, o, "POST", path, NULL);
	hw_buf_free(&body);
	if (err)
		return hw_cli_error(err);
	printf("job %lld: cancelled\n", id);
	return HW_EXIT_OK;
}

/* One reading of a probe document as text: its value, or "unknown" and
 * why (never a 0 for a value that could not be read). */
static void print_reading(const char *label, const cJSON *r)
{
	const cJSON *v = cJSON_GetObjectItem(r, "value");
	const char *reason = hw_json_str(r, "reason");

	if (*label)
		printf(" %s", label);
	if (cJSON_IsNumber(v)) {
		printf(" %.0f", cJSON_GetNumberValue(v));
	} else if (cJSON_IsString(v)) {
		putchar(' ');
		put(v->valuestring);
	} else {
		printf(" unknown (");
		put(reason ? reason : "not read");
		putchar(')');
	}
}

/* Implements: FR-FLEET-008, FR-FLEET-023 */
static int status(fleet_opts *o)
{
	cJSON *doc, *h, *gpu;
	int code = fetch(&doc, o, "/v1/status");

	if (code || !doc)
		return code;
	no_hosts(doc);
	cJSON_ArrayForEach(h, cJSON_GetObjectItem(doc, "hosts"))
	{
		const cJSON *probe = cJSON_GetObjectItem(h, "probe");
		const cJSON *host = cJSON_GetArrayItem(
			cJSON_GetObjectItem(probe, "hosts"), 0);

		put_member(h, "host");
		putchar(' ');
		put_member(h, "state");
		printf("%s, ", cJSON_IsNull(cJSON_GetObjectItem(h, "serial"))
				       ? " via ssh"
				       : "");
		print_seen(h);
		if (!host) {
			printf(", not probed yet\n");
			continue;
		}
		print_time(", probed", cJSON_GetObjectItem(h, "probed"),
			   ", probed -");
		printf(":\n");
		cJSON_ArrayForEach(gpu, cJSON_GetObjectItem(host, "gpus"))
		{
			printf("  gpu %.0f:", cJSON_GetNumberValue(
						      cJSON_GetObjectItem(gpu, "index")));
			print_reading("", cJSON_GetObjectItem(gpu, "name"));
			print_reading("memory free",
				      cJSON_GetObjectItem(gpu, "memory_free"));
			print_reading("of",
				      cJSON_GetObjectItem(gpu, "memory_total"));
			putchar('\n');
		}
		if (!cJSON_GetArraySize(cJSON_GetObjectItem(host, "gpus")))
			printf("  no GPU\n");
	}
	cJSON_Delete(doc);
	return HW_EXIT_OK;
}

/* the most a job's output may hold: with its JSON escapes and the
 * signature it fits the server's 64 KiB body */
#define JOB_OUTPUT_MAX ((size_t)24 << 10)

/* A failure document: the job was killed, failed or refused, and why. */
static int failure(hw_buf *result, const char *state, const char *reason)
{
	hw_jw w;

	hw_buf_clear(result);
	hw_jw_init(&w, result, 0);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", HW_FLEET_FAILURE_SCHEMA);
	hw_jw_kstr(&w, "state", state);
	hw_jw_kstr(&w, "reason", reason);
	hw_jw_end(&w);
	return hw_jw_finish(&w);
}

/* the most words a command of the allow-list may have */
#define COMMAND_WORDS 64

/* The place of member k of the object text holds, for a message. */
static long member_line(const char *text, size_t len, int k, long *col)
{
	long *lines = calloc((size_t)k + 1, sizeof(*lines));
	long *cols = calloc((size_t)k + 1, sizeof(*cols)), line = 0;

	*col = 0;
	if (lines && cols &&
	    hw_json_lines(text, len, (const char *const[]){NULL}, lines, cols,
			  (size_t)k + 1) == (size_t)k + 1) {
		line = lines[k];
		*col = cols[k];
	}
	free(lines);
	free(cols);
	return line;
}

/* Reads the agent's allow-list: {"NAME": ["PROGRAM", "ARG"...]}, each
 * name 1-64 of [A-Za-z0-9._-] and given once (a second would be ignored
 * by the lookup, which takes the first), each argv 1 to COMMAND_WORDS
 * strings. */
/* Implements: FR-FLEET-011 */
static int load_commands(cJSON **out, const char *path)
{
	const cJSON *c, *word, *all = NULL;
	hw_buf text;
	int err, k = 0;

	*out = NULL;
	hw_buf_init(&text, (size_t)1 << 20);
	if (!(err = hw_file_read(&text, path, (size_t)1 << 20)))
		err = hw_json_parse(out, path, text.data, text.len);
	if (!err && !cJSON_IsObject(*out))
		err = hw_error_set(HW_EINVAL, path, 0, 0,
				   "expected {\"NAME\": [PROGRAM, ARG...]}");
	if (!err)
		all = *out;
	cJSON_ArrayForEach(c, all)
	{
		int n = cJSON_GetArraySize(c), ok = cJSON_IsArray(c) && n >= 1 &&
						   n <= COMMAND_WORDS &&
						   hw_key_name_valid(c->string);
		const cJSON *first = all->child;
		long line, col;

		cJSON_ArrayForEach(word, c) ok = ok && cJSON_IsString(word) &&
						 *word->valuestring;
		if (!ok) {
			err = hw_error_set(HW_EINVAL, path, 0, 0,
					   "command '%s': expected a name of "
					   "1-64 letters, digits, '.', '_' or "
					   "'-' and 1 to %d words",
					   c->string, COMMAND_WORDS);
			break;
		}
		while (first != c && strcmp(first->string, c->string) != 0)
			first = first->next;
		if (first != c) {
			line = member_line(text.data, text.len, k, &col);
			err = hw_error_set(HW_EINVAL, path, line, col,
					   "duplicate name '%s'", c->string);
			break;
		}
		k++;
	}
	if (err) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	hw_buf_free(&text);
	return err;
}

/* The argv of a job: this program's probe or plan (with the job's
 * arguments, against this host's GPU), or a command of the allow-list;
 * NULL with the reason in reason when the agent does not run it. argv
 * has room for COMMAND_WORDS + 1 words. */
static char **job_argv(char **argv, char *reason, size_t size, char *self,
		       const fleet_opts *o, const char *kind,
		       const cJSON *args)
{
	const cJSON *a, *entry, *words = cJSON_IsArray(args) ? args : NULL;
	int n = 0;

	if (hw_fleet_args_check(kind, cJSON_IsNull(args) ? NULL : args)) {
		snprintf(reason, size, "%s", hw_error_last());
		return NULL;
	}
	if (!strcmp(kind, "command")) {
		entry = cJSON_GetObjectItemCaseSensitive(
			o->commands, cJSON_GetArrayItem(args, 0)->valuestring);
		if (!entry) {
			snprintf(reason, size,
				 "command '%s' is not in this agent's "
				 "allow-list",
				 cJSON_GetArrayItem(args, 0)->valuestring);
			return NULL;
		}
		cJSON_ArrayForEach(a, entry) argv[n++] = a->valuestring;
		argv[n] = NULL;
		return argv;
	}
	/* probe and plan are this program's own commands; args_check
	 * allows at most 16 words */
	argv[n++] = self;
	argv[n++] = (char *)kind;
	cJSON_ArrayForEach(a, words) argv[n++] = a->valuestring;
	if (!strcmp(kind, "plan")) {
		argv[n++] = "--gpu";
		argv[n++] = "probed";
	}
	argv[n++] = "--json";
	argv[n] = NULL;
	return argv;
}

/* The document of a command that ran: its name and its output. */
static int command_doc(hw_buf *result, const char *name, const hw_buf *out)
{
	hw_jw w;

	hw_jw_init(&w, result, 0);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", HW_FLEET_COMMAND_SCHEMA);
	hw_jw_kstr(&w, "command", name);
	hw_jw_key(&w, "output");
	hw_jw_strn(&w, out->data, out->len);
	hw_jw_end(&w);
	return hw_jw_finish(&w);
}

/* Runs the job in a child process, for at most deadline seconds: its
 * document into result, or a failure document when the agent does not
 * run it (refused), or the child was killed (a signal, the deadline) or
 * failed. Only a child that could not be started at all is an error. */
/* Implements: FR-FLEET-009, FR-FLEET-011 */
static int run_child(hw_buf *result, const fleet_opts *o, const char *kind,
		     const cJSON *args, long long deadline)
{
	char self[4096], reason[256];
	/* hwledger-sast-ignore FF1035: the kernel's link to this program */
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *words[COMMAND_WORDS + 1], **argv;
	hw_cmd_result r;
	int err;

	if (n <= 0)
		return hw_error_set(HW_EIO, "/proc/self/exe", 0, 0,
				    "cannot read: %s", strerror(errno));
	self[n] = '\0';
	if (!(argv = job_argv(words, reason, sizeof(reason), self, o, kind,
			      args)))
		return failure(result, "refused", reason);
	if ((err = hw_run(&r, argv, (double)deadline, JOB_OUTPUT_MAX)))
		return err;
	if (r.timed_out)
		snprintf(reason, sizeof(reason),
			 "killed at its deadline of %lld s", deadline);
	else if (r.signal)
		snprintf(reason, sizeof(reason), "killed by signal %d (%s)",
			 r.signal, strsignal(r.signal));
	else if (r.truncated)
		snprintf(reason, sizeof(reason),
			 "its output went over %zu bytes", JOB_OUTPUT_MAX);
	else if (r.not_found)
		snprintf(reason, sizeof(reason), "cannot run %.200s", argv[0]);
	else if (r.status != 0)
		snprintf(reason, sizeof(reason), "exited with status %d",
			 r.status);
	if (r.timed_out || r.signal || r.truncated || r.status != 0)
		err = failure(result,
			      r.timed_out || r.signal ? "killed" : "failed",
			      reason);
	else if (!strcmp(kind, "command"))
		err = command_doc(result,
				  cJSON_GetArrayItem(args, 0)->valuestring,
				  &r.out);
	else
		err = hw_buf_append(result, r.out.data, r.out.len);
	hw_buf_free(&r.out);
	hw_buf_free(&r.err);
	return err;
}


/* Whether the server's job has the shape specs/fleet.md gives it: the id
 * and deadline whole numbers (the id goes into a URL, both into what is
 * signed), the nonce the server's 32 lowercase hex digits. The agent
 * signs nothing else. */
static int job_valid(const cJSON *job)
{
	const cJSON *id = cJSON_GetObjectItem(job, "id");
	const cJSON *deadline = cJSON_GetObjectItem(job, "deadline");
	const char *nonce = cJSON_GetStringValue(
		cJSON_GetObjectItem(job, "nonce"));

	return cJSON_IsNumber(id) && id->valuedouble >= 1 &&
	       id->valuedouble <= 9007199254740992.0 &&
	       id->valuedouble == (double)(long long)id->valuedouble &&
	       cJSON_IsNumber(deadline) &&
	       deadline->valuedouble == (double)deadline->valueint &&
	       nonce && strlen(nonce) == 32 &&
	       strspn(nonce, "0123456789abcdef") == 32;
}

/* Runs the job the server gave in a child and posts what came of it,
 * signed with the agent's key over the job and its nonce. */
/* Implements: FR-FLEET-007, FR-FLEET-009 */
static int do_job(const fleet_opts *o, const char *job_json)
{
	cJSON *job = cJSON_Parse(job_json);
	long long id = (long long)cJSON_GetNumberValue(
		cJSON_GetObjectItem(job, "id"));
	long long deadline = (long long)cJSON_GetNumberValue(
		cJSON_GetObjectItem(job, "deadline"));
	const char *nonce = cJSON_GetStringValue(
		cJSON_GetObjectItem(job, "nonce"));
	const char *kind = cJSON_GetStringValue(
		cJSON_GetObjectItem(job, "kind"));
	uint8_t sig[64];
	char sig64[sodium_base64_ENCODED_LEN(64,
					     sodium_base64_VARIANT_ORIGINAL)];
	char path[64];
	hw_buf result, msg, post, answer;
	hw_seckey k;
	hw_jw w;
	int err;

	hw_buf_init(&result, 0);
	hw_buf_init(&msg, 0);
	hw_buf_init(&post, 0);
	hw_buf_init(&answer, 0);
	memset(&k, 0, sizeof(k));
	if (!job_valid(job) || !nonce || !kind || id <= 0 || deadline < 1 ||
	    deadline > HW_FLEET_DEADLINE_MAX)
		err = hw_error_set(HW_EIO, o->server, 0, 0,
				   "not a job: %.200s", job_json);
	else if (!(err = hw_seckey_load(&k, o->key)) &&
		 !(err = run_child(&result, o, kind,
				   cJSON_GetObjectItem(job, "args"), deadline))) {
		hw_fleet_result_message(&msg, id, nonce, result.data,
					result.len);
		crypto_sign_detached(sig, NULL, (const uint8_t *)msg.data,
				     msg.len, k.sk);
		sodium_bin2base64(sig64, sizeof(sig64), sig, sizeof(sig),
				  sodium_base64_VARIANT_ORIGINAL);
		hw_jw_init(&w, &post, 0);
		hw_jw_object(&w);
		hw_jw_kstr(&w, "schema", "hwledger.fleet.result/1");
		hw_jw_kstr(&w, "nonce", nonce);
		hw_jw_kstr(&w, "result", result.data);
		hw_jw_kstr(&w, "signature", sig64);
		hw_jw_end(&w);
		snprintf(path, sizeof(path), "/v1/jobs/%lld/result", id);
		if (!(err = hw_jw_finish(&w)))
			err = ask(&answer, o, "POST", path, post.data);
	}
	sodium_memzero(&k, sizeof(k));
	cJSON_Delete(job);
	hw_buf_free(&result);
	hw_buf_free(&msg);
	hw_buf_free(&post);
	hw_buf_free(&answer);
	return err;
}

/* 0 when a heartbeat's answer says no job waits for this host; a job
 * may wait when it says otherwise or nothing. */
static int jobs_waiting(const char *answer)
{
	cJSON *doc = cJSON_Parse(answer);
	const cJSON *jobs = cJSON_GetObjectItem(doc, "jobs");
	int waiting = !cJSON_IsNumber(jobs) || cJSON_GetNumberValue(jobs) != 0;

	cJSON_Delete(doc);
	return waiting;
}

/* A heartbeat, then the job the server has for this host, if its answer
 * says one waits. */
/* Implements: FR-FLEET-007 */
static int agent_round(const fleet_opts *o, const char *heartbeat)
{
	hw_buf body;
	int err;

	hw_buf_init(&body, 0);
	if (!(err = ask(&body, o, "POST", heartbeat, NULL)) &&
	    jobs_waiting(body.data)) {
		hw_buf_clear(&body);
		err = ask(&body, o, "GET", "/v1/jobs/next", NULL);
		/* 204: no job */
		if (!err && body.len)
			err = do_job(o, body.data);
	}
	hw_buf_free(&body);
	return err;
}

/* set by SIGINT or SIGTERM: the agent stops before its next heartbeat */
static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

/* Implements: FR-FLEET-006 */
static int agent(hw_cli *cli, fleet_opts *o)
{
	/* no SA_RESTART: the signal cuts a sleep short */
	struct sigaction stop = {.sa_handler = on_stop};
	unsigned interval = (unsigned)(o->interval ? o->interval : 30);
	unsigned wait = 1;
	char path[64];
	int err = HW_OK;

	if (!o->cert || !o->key)
		return hw_cli_error(hw_error_set(
			HW_EUSAGE, NULL, 0, 0, "agent needs --cert and --key"));
	/* bad input is found before the first round, which would only
	 * retry it forever */
	if ((o->allow && (err = load_commands(&o->commands, o->allow))) ||
	    (err = hw_fleet_peer_check(&(hw_fleet_peer){
		     o->server, o->ca, o->cert, o->key, 10, NULL})))
		return hw_cli_error(err);
	if (!(o->conn = hw_fleet_conn_new()))
		return hw_cli_error(hw_error_oom());
	snprintf(path, sizeof(path), "/v1/heartbeat?interval=%u", interval);
	sigaction(SIGINT, &stop, NULL);
	sigaction(SIGTERM, &stop, NULL);
	while (!stopping) {
		err = agent_round(o, path);
		if (o->once)
			break;
		if (!err) {
			wait = 1;
			sleep(interval);
			continue;
		}
		/* the server is gone or refused: try again later, waiting
		 * twice as long each time up to a minute */
		if (!cli->quiet)
			fprintf(stderr, "hwledger: agent: %s; again in %u s\n",
				hw_error_last(), wait);
		sleep(wait);
		wait = wait * 2 > 60 ? 60 : wait * 2;
	}
	hw_fleet_conn_free(o->conn);
	o->conn = NULL;
	if (o->once && err)
		return hw_cli_error(err);
	return HW_EXIT_OK;
}

/* Posts json to path and writes the certificate of the server's answer
 * to o->out, made before anything is sent (out_reserve). */
static int trade(hw_cli *cli, const fleet_opts *o, const char *path,
		 const hw_buf *json)
{
	cJSON *answer = NULL;
	const char *pem = NULL;
	hw_buf body;
	int fd, err;

	if ((err = out_reserve(&fd, o->out)))
		return err;
	hw_buf_init(&body, 0);
	if (!(err = ask(&body, o, "POST", path, json->data))) {
		answer = cJSON_Parse(body.data);
		pem = cJSON_GetStringValue(
			cJSON_GetObjectItem(answer, "certificate"));
		if (!pem)
			err = hw_error_set(HW_EIO, o->server, 0, 0,
					   "the answer holds no certificate");
	}
	err = out_finish(fd, o->out, pem ? pem : "", err);
	if (!err && !cli->quiet)
		printf("%s: %s, serial %s\n", o->out,
		       cJSON_GetStringValue(cJSON_GetObjectItem(answer, "host")),
		       cJSON_GetStringValue(
			       cJSON_GetObjectItem(answer, "serial")));
	cJSON_Delete(answer);
	hw_buf_free(&body);
	return err;
}

/* The public key line of the secret key file path into line, and the
 * key into k when k is not NULL (the caller wipes it). */
static int key_line(char *line, size_t size, hw_seckey *k, const char *path)
{
	hw_seckey mine;
	int err = hw_seckey_load(&mine, path);

	if (!err)
		hw_pubkey_format(line, size, &mine.pub);
	if (!err && k)
		*k = mine;
	sodium_memzero(&mine, sizeof(mine));
	return err;
}

/* Implements: FR-FLEET-006 */
static int agent_enroll(hw_cli *cli, fleet_opts *o)
{
	char line[HW_KEY_NAME_MAX + 128];
	hw_buf json;
	hw_jw w;
	int err;

	if (!o->token || !o->key || !o->out)
		return agent_usage("agent enroll needs --token, --key and -o%s",
				   "");
	if ((err = key_line(line, sizeof(line), NULL, o->key)))
		return hw_cli_error(err);
	hw_buf_init(&json, 0);
	hw_jw_init(&w, &json, 0);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", "hwledger.fleet.enroll/1");
	hw_jw_kstr(&w, "token", o->token);
	hw_jw_kstr(&w, "key", line);
	hw_jw_end(&w);
	/* no client certificate: this is how the agent gets one */
	o->cert = NULL;
	o->key = NULL;
	if (!(err = hw_jw_finish(&w)))
		err = trade(cli, o, "/v1/enroll", &json);
	hw_buf_free(&json);
	return err ? hw_cli_error(err) : HW_EXIT_OK;
}

/* `agent rotate`: a certificate for the new key, asked for over the old
 * certificate's connection with the new key's proof; the server revokes
 * the old one. */
/* Implements: FR-FLEET-012 */
static int agent_rotate(hw_cli *cli, fleet_opts *o)
{
	char line[HW_KEY_NAME_MAX + 128], serial[HW_FLEET_SERIAL_HEX + 1];
	char proof[sodium_base64_ENCODED_LEN(64,
					     sodium_base64_VARIANT_ORIGINAL)];
	uint8_t sig[64];
	hw_seckey k;
	hw_buf pem, msg, json;
	hw_jw w;
	int err;

	if (!o->cert || !o->key || !o->new_key || !o->out)
		return agent_usage("agent rotate needs --cert, --key, "
				   "--new-key and -o%s",
				   "");
	hw_buf_init(&msg, 0);
	hw_buf_init(&json, 0);
	memset(&k, 0, sizeof(k));
	if (!(err = hw_fleet_cert_read(&pem, o->cert))) {
		err = hw_fleet_cert_serial(serial, &pem, o->cert);
		hw_buf_free(&pem);
	}
	if (!err && !(err = key_line(line, sizeof(line), &k, o->new_key))) {
		hw_fleet_rotate_message(&msg, serial, line);
		crypto_sign_detached(sig, NULL, (const uint8_t *)msg.data,
				     msg.len, k.sk);
		sodium_bin2base64(proof, sizeof(proof), sig, sizeof(sig),
				  sodium_base64_VARIANT_ORIGINAL);
		hw_jw_init(&w, &json, 0);
		hw_jw_object(&w);
		hw_jw_kstr(&w, "schema", "hwledger.fleet.rotate/1");
		hw_jw_kstr(&w, "key", line);
		hw_jw_kstr(&w, "proof", proof);
		hw_jw_end(&w);
		if (!(err = hw_jw_finish(&w)))
			err = trade(cli, o, "/v1/rotate", &json);
	}
	sodium_memzero(&k, sizeof(k));
	hw_buf_free(&msg);
	hw_buf_free(&json);
	return err ? hw_cli_error(err) : HW_EXIT_OK;
}

int hw_cmd_agent(hw_cli *cli, int argc, char **argv)
{
	fleet_opts o = {.ca = HW_FLEET_CA, .state = HW_FLEET_STATE,
			.cmd = "agent"};
	int code;

	if (argc > 1 && !strcmp(argv[1], "enroll")) {
		if (!(code = parse(&o, argc, argv, 2,
				   "--server --token --key -o --ca", NULL)))
			code = agent_enroll(cli, &o);
	} else if (argc > 1 && !strcmp(argv[1], "rotate")) {
		if (!(code = parse(&o, argc, argv, 2,
				   "--server --cert --key --new-key -o --ca",
				   0)))
			code = agent_rotate(cli, &o);
	} else if (!(code = parse(&o, argc, argv, 1,
				  "--server --cert --key --ca --interval --once "
				  "--allow",
				  0))) {
		code = agent(cli, &o);
		cJSON_Delete(o.commands);
	}
	return hw_cli_finish(code);
}

int hw_cmd_fleet(hw_cli *cli, int argc, char **argv)
{
	fleet_opts o = {.ca = HW_FLEET_CA, .state = HW_FLEET_STATE,
			.cmd = "fleet"};
	const char *sub = argc > 1 ? argv[1] : "";
	int code;

	if (!strcmp(sub, "ca") && argc > 2 && !strcmp(argv[2], "init")) {
		if (!(code = parse(&o, argc, argv, 3, "--dir --name --days",
				   NULL)))
			code = ca_init(cli, &o);
	} else if (!strcmp(sub, "ca") && argc > 2 &&
		   !strcmp(argv[2], "trust")) {
		if (!(code = parse(&o, argc, argv, 3, "--dir", "CA.crt")))
			code = ca_trust(cli, &o);
	} else if (!strcmp(sub, "enroll")) {
		if (!(code = parse(&o, argc, argv, 2,
				   "--state --ttl --operator",
				   "HOST (or --operator NAME)")))
			code = enroll(&o);
	} else if (!strcmp(sub, "issue")) {
		if (!(code = parse(&o, argc, argv, 2,
				   "--token --key -o --ca --state --days",
				   NULL)))
			code = issue(cli, &o);
	} else if (!strcmp(sub, "revoke")) {
		if (!(code = parse(&o, argc, argv, 2, "--state --reason",
				   "CERT or SERIAL")))
			code = revoke_cert(cli, &o);
	} else if (!strcmp(sub, "check")) {
		if (!(code = parse(&o, argc, argv, 2, "--ca --state", "CERT")))
			code = check(cli, &o);
	} else if (!strcmp(sub, "serve")) {
		if (!(code = parse(&o, argc, argv, 2,
				   "--listen --ca --state --idle-timeout "
				   "--ssh-hosts --ssh-interval --ssh-timeout",
				   NULL)))
			code = serve(cli, &o);
	} else if (!strcmp(sub, "run")) {
		o.rest_ok = 1;
		if (!(code = parse(&o, argc, argv, 2,
				   "--host --server --cert --key --ca "
				   "--deadline --retries",
				   "probe, plan or command")))
			code = run_job(&o);
	} else if (!strcmp(sub, "jobs")) {
		if (!(code = parse(&o, argc, argv, 2,
				   "--server --cert --key --ca --json", NULL)))
			code = jobs(&o);
	} else if (!strcmp(sub, "cancel")) {
		if (!(code = parse(&o, argc, argv, 2,
				   "--server --cert --key --ca", "ID")))
			code = cancel(&o);
	} else if (!strcmp(sub, "status")) {
		if (!(code = parse(&o, argc, argv, 2,
				   "--server --cert --key --ca --json", NULL)))
			code = status(&o);
	} else if (!strcmp(sub, "hosts")) {
		if (!(code = parse(&o, argc, argv, 2,
				   "--server --cert --key --ca --json", NULL)))
			code = hosts(&o);
	} else if (!*sub) {
		code = fleet_usage("fleet needs a subcommand%s", "");
	} else if (!strcmp(sub, "ca") && argc > 2) {
		code = fleet_usage("fleet ca: unknown subcommand '%s' (init or "
				   "trust)",
				   argv[2]);
	} else if (!strcmp(sub, "ca")) {
		code = fleet_usage("fleet ca needs init or trust%s", "");
	} else {
		code = fleet_usage("fleet: unknown subcommand '%s'", sub);
	}
	return hw_cli_finish(code);
}
