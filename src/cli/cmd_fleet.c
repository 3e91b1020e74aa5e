/*
 * cmd_fleet.c — `hwledger fleet ca init|enroll|issue|revoke|check`: the
 * fleet's certificates (specs/fleet.md). Inputs are all checked before a
 * token is used up or a file is written; nothing that exists is replaced.
 */
#include "cli/cli.h"
#include "fleet/fleet.h"
#include "probes/probes.h"

#include <sodium.h>

#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#define fleet_usage(...) hw_cli_usage_error("fleet", __VA_ARGS__)

/* ten years for the CA, a day for a token */
#define CA_DAYS 3650
#define TOKEN_TTL 86400
#define DAYS_MAX 36500

typedef struct fleet_opts {
	const char *arg;    /* the one positional argument, if any */
	const char *ca, *state, *name, *token, *key, *out, *reason;
	const char *listen, *server, *cert, *ssh_hosts;
	double days, ttl, interval, idle, ssh_interval, ssh_timeout;
	int json, once;
} fleet_opts;

/* Reads argv[from..) into o; allowed lists the options this subcommand
 * takes ("--ca --state"), positional whether it takes one argument (then
 * o->arg is set on success). A usage error is printed and is exit 2. */
static int parse(fleet_opts *o, int argc, char **argv, int from,
		 const char *allowed, int positional)
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
		if (hit && (!strcmp(a, "--json") || !strcmp(a, "--once"))) {
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
				fleet_usage("fleet: bad value '%s' for %s", v,
					    a);
				return HW_EXIT_BADINPUT;
			}
			i++;
		} else if (a[0] != '-' && positional && !o->arg) {
			o->arg = a;
		} else {
			fleet_usage("fleet: bad argument '%s'", a);
			return HW_EXIT_BADINPUT;
		}
	}
	if (positional && !o->arg) {
		fleet_usage("fleet: %s", "missing argument");
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

/* Implements: FR-FLEET-002 */
static int enroll(fleet_opts *o)
{
	char token[HW_FLEET_TOKEN_LEN + 1];
	int err = hw_fleet_token_new(token, o->state, o->arg,
				     (unsigned)(o->ttl ? o->ttl : TOKEN_TTL));

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

/* Implements: FR-FLEET-002 */
static int issue(hw_cli *cli, fleet_opts *o)
{
	char host[HW_KEY_NAME_MAX + 1], serial[HW_FLEET_SERIAL_HEX + 1];
	hw_pubkey k;
	hw_buf pem;
	int err;

	if (!o->token || !o->key || !o->out)
		return fleet_usage("fleet issue needs --token, --key and -o%s",
				   "");
	/* everything that can be wrong before the token is used up */
	if (hw_path_exists(o->out))
		return hw_cli_error(hw_error_set(HW_EINVAL, o->out, 0, 0,
						 "exists; not overwritten"));
	if ((err = agent_key(&k, o->key)) ||
	    (err = hw_fleet_token_redeem(host, o->state, o->token)))
		return hw_cli_error(err);
	hw_buf_init(&pem, 0);
	if (!(err = hw_fleet_cert_issue(&pem, serial, o->ca, o->state, host,
					&k, (unsigned)(o->days ? o->days
							       : HW_FLEET_CERT_DAYS))))
		err = hw_file_create(o->out, pem.data, pem.len, 0644);
	hw_buf_free(&pem);
	if (err)
		return hw_cli_error(err);
	if (!cli->quiet)
		printf("%s: %s, serial %s\n", o->out, host, serial);
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
	hw_fleet_peer peer = {o->server, o->ca, o->cert, o->key, 10};

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

/* "last seen T", or "never seen" for a host over SSH never reached */
static void print_seen(const cJSON *h)
{
	const cJSON *seen = cJSON_GetObjectItem(h, "last_seen");

	if (cJSON_IsNumber(seen))
		printf("last seen %lld", (long long)cJSON_GetNumberValue(seen));
	else
		printf("never seen");
}

/* ", serial SERIAL" of an agent, " via ssh" of a host without one */
static void print_via(const cJSON *h)
{
	const char *serial = cJSON_GetStringValue(
		cJSON_GetObjectItem(h, "serial"));

	if (serial)
		printf(", serial %s", serial);
	else
		printf(" via ssh");
}

/* Implements: FR-FLEET-005, FR-FLEET-023 */
static int hosts(fleet_opts *o)
{
	cJSON *doc, *h;
	int code = fetch(&doc, o, "/v1/hosts");

	if (code || !doc)
		return code;
	cJSON_ArrayForEach(h, cJSON_GetObjectItem(doc, "hosts"))
	{
		printf("%-24s %-5s ",
		       cJSON_GetStringValue(cJSON_GetObjectItem(h, "host")),
		       cJSON_GetStringValue(cJSON_GetObjectItem(h, "state")));
		print_seen(h);
		print_via(h);
		putchar('\n');
	}
	cJSON_Delete(doc);
	return HW_EXIT_OK;
}

/* Implements: FR-FLEET-007 */
static int run_job(fleet_opts *o)
{
	char path[256];
	hw_buf body;
	cJSON *answer;
	int err;

	if (strcmp(o->arg, "probe") != 0 || !o->name)
		return fleet_usage("fleet run takes probe and --host HOST%s",
				   "");
	if (!hw_key_name_valid(o->name))
		return hw_cli_error(hw_error_set(HW_EUSAGE, NULL, 0, 0,
						 "bad host name '%s'",
						 o->name));
	snprintf(path, sizeof(path), "/v1/jobs?host=%s&kind=probe", o->name);
	hw_buf_init(&body, 0);
	if ((err = ask(&body, o, "POST", path, NULL))) {
		hw_buf_free(&body);
		return hw_cli_error(err);
	}
	answer = cJSON_Parse(body.data);
	printf("job %lld: probe %s\n",
	       (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(answer, "id")),
	       o->name);
	cJSON_Delete(answer);
	hw_buf_free(&body);
	return HW_EXIT_OK;
}

/* One reading of a probe document as text: its value, or "unknown" and
 * why (never a 0 for a value that could not be read). */
static void print_reading(const char *label, const cJSON *r)
{
	const cJSON *v = cJSON_GetObjectItem(r, "value");

	if (*label)
		printf(" %s", label);
	if (cJSON_IsNumber(v))
		printf(" %.0f", cJSON_GetNumberValue(v));
	else if (cJSON_IsString(v))
		printf(" %s", cJSON_GetStringValue(v));
	else
		printf(" unknown (%s)",
		       cJSON_IsString(cJSON_GetObjectItem(r, "reason"))
			       ? cJSON_GetStringValue(
					 cJSON_GetObjectItem(r, "reason"))
			       : "not read");
}

/* Implements: FR-FLEET-008, FR-FLEET-023 */
static int status(fleet_opts *o)
{
	cJSON *doc, *h, *gpu;
	int code = fetch(&doc, o, "/v1/status");

	if (code || !doc)
		return code;
	cJSON_ArrayForEach(h, cJSON_GetObjectItem(doc, "hosts"))
	{
		const cJSON *probe = cJSON_GetObjectItem(h, "probe");
		const cJSON *host = cJSON_GetArrayItem(
			cJSON_GetObjectItem(probe, "hosts"), 0);

		printf("%s %s%s, ",
		       cJSON_GetStringValue(cJSON_GetObjectItem(h, "host")),
		       cJSON_GetStringValue(cJSON_GetObjectItem(h, "state")),
		       cJSON_IsNull(cJSON_GetObjectItem(h, "serial"))
			       ? " via ssh"
			       : "");
		print_seen(h);
		if (!host) {
			printf(", not probed yet\n");
			continue;
		}
		printf(", probed %lld:\n",
		       (long long)cJSON_GetNumberValue(
			       cJSON_GetObjectItem(h, "probed")));
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

/* Runs the job the server gave: the local probe, its JSON signed with
 * the agent's key over the job and its nonce, posted back. */
/* Implements: FR-FLEET-007 */
static int do_job(const fleet_opts *o, const char *job_json)
{
	cJSON *job = cJSON_Parse(job_json);
	long long id = (long long)cJSON_GetNumberValue(
		cJSON_GetObjectItem(job, "id"));
	const char *nonce = cJSON_GetStringValue(
		cJSON_GetObjectItem(job, "nonce"));
	hw_probe *p = calloc(1, sizeof(*p));
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
	if (!p)
		err = hw_error_oom();
	else if (!nonce || id <= 0 ||
		 strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(job, "kind"))
				? cJSON_GetStringValue(
					  cJSON_GetObjectItem(job, "kind"))
				: "",
			"probe") != 0)
		err = hw_error_set(HW_EIO, o->server, 0, 0,
				   "a job this agent does not run: %s",
				   job_json);
	else if (!(err = hw_seckey_load(&k, o->key)) &&
		 !(err = hw_probe_local(p)) &&
		 !(err = hw_probe_json(&result, p, 1))) {
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
	free(p);
	cJSON_Delete(job);
	hw_buf_free(&result);
	hw_buf_free(&msg);
	hw_buf_free(&post);
	hw_buf_free(&answer);
	return err;
}

/* A heartbeat, then the job the server has for this host, if any. */
static int agent_round(const fleet_opts *o, const char *heartbeat)
{
	hw_buf body;
	int err;

	hw_buf_init(&body, 0);
	if (!(err = ask(&body, o, "POST", heartbeat, NULL))) {
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
	int err;

	if (!o->cert)
		return hw_cli_error(hw_error_set(
			HW_EUSAGE, NULL, 0, 0, "agent needs --cert and --key"));
	snprintf(path, sizeof(path), "/v1/heartbeat?interval=%u", interval);
	sigaction(SIGINT, &stop, NULL);
	sigaction(SIGTERM, &stop, NULL);
	while (!stopping) {
		err = agent_round(o, path);
		if (o->once)
			return err ? hw_cli_error(err) : HW_EXIT_OK;
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
	return HW_EXIT_OK;
}

/* Implements: FR-FLEET-006 */
static int agent_enroll(hw_cli *cli, fleet_opts *o)
{
	char line[HW_KEY_NAME_MAX + 128];
	cJSON *answer = NULL;
	const char *pem;
	hw_seckey k;
	hw_buf json, body;
	hw_jw w;
	int err;

	if (!o->token || !o->key || !o->out)
		return fleet_usage("agent enroll needs --token, --key and -o%s",
				   "");
	if (hw_path_exists(o->out))
		return hw_cli_error(hw_error_set(HW_EINVAL, o->out, 0, 0,
						 "exists; not overwritten"));
	if ((err = hw_seckey_load(&k, o->key)))
		return hw_cli_error(err);
	hw_pubkey_format(line, sizeof(line), &k.pub);
	memset(&k, 0, sizeof(k));
	hw_buf_init(&json, 0);
	hw_buf_init(&body, 0);
	hw_jw_init(&w, &json, 0);
	hw_jw_object(&w);
	hw_jw_kstr(&w, "schema", "hwledger.fleet.enroll/1");
	hw_jw_kstr(&w, "token", o->token);
	hw_jw_kstr(&w, "key", line);
	hw_jw_end(&w);
	/* no client certificate: this is how the agent gets one */
	o->cert = NULL;
	o->key = NULL;
	if (!(err = hw_jw_finish(&w)) &&
	    !(err = ask(&body, o, "POST", "/v1/enroll", json.data))) {
		answer = cJSON_Parse(body.data);
		pem = cJSON_GetStringValue(
			cJSON_GetObjectItem(answer, "certificate"));
		err = pem ? hw_file_create(o->out, pem, strlen(pem), 0644)
			  : hw_error_set(HW_EIO, o->server, 0, 0,
					 "the answer holds no certificate");
	}
	if (!err && !cli->quiet)
		printf("%s: %s, serial %s\n", o->out,
		       cJSON_GetStringValue(cJSON_GetObjectItem(answer, "host")),
		       cJSON_GetStringValue(
			       cJSON_GetObjectItem(answer, "serial")));
	cJSON_Delete(answer);
	hw_buf_free(&json);
	hw_buf_free(&body);
	return err ? hw_cli_error(err) : HW_EXIT_OK;
}

int hw_cmd_agent(hw_cli *cli, int argc, char **argv)
{
	fleet_opts o = {.ca = HW_FLEET_CA, .state = HW_FLEET_STATE};
	int code;

	if (argc > 1 && !strcmp(argv[1], "enroll")) {
		if (!(code = parse(&o, argc, argv, 2,
				   "--server --token --key -o --ca", 0)))
			code = agent_enroll(cli, &o);
	} else if (!(code = parse(&o, argc, argv, 1,
				  "--server --cert --key --ca --interval --once",
				  0))) {
		code = agent(cli, &o);
	}
	return hw_cli_finish(code);
}

int hw_cmd_fleet(hw_cli *cli, int argc, char **argv)
{
	fleet_opts o = {.ca = HW_FLEET_CA, .state = HW_FLEET_STATE};
	const char *sub = argc > 1 ? argv[1] : "";
	int code;

	if (!strcmp(sub, "ca") && argc > 2 && !strcmp(argv[2], "init")) {
		if (!(code = parse(&o, argc, argv, 3, "--dir --name --days", 0)))
			code = ca_init(cli, &o);
	} else if (!strcmp(sub, "enroll")) {
		if (!(code = parse(&o, argc, argv, 2, "--state --ttl", 1)))
			code = enroll(&o);
	} else if (!strcmp(sub, "issue")) {
		if (!(code = parse(&o, argc, argv, 2,
				   "--token --key -o --ca --state --days", 0)))
			code = issue(cli, &o);
	} else if (!strcmp(sub, "revoke")) {
		if (!(code = parse(&o, argc, argv, 2, "--state --reason", 1)))
			code = revoke_cert(cli, &o);
	} else if (!strcmp(sub, "check")) {
		if (!(code = parse(&o, argc, argv, 2, "--ca --state", 1)))
			code = check(cli, &o);
	} else if (!strcmp(sub, "serve")) {
		if (!(code = parse(&o, argc, argv, 2,
				   "--listen --ca --state --idle-timeout "
				   "--ssh-hosts --ssh-interval --ssh-timeout",
				   0)))
			code = serve(cli, &o);
	} else if (!strcmp(sub, "run")) {
		if (!(code = parse(&o, argc, argv, 2,
				   "--host --server --cert --key --ca", 1)))
			code = run_job(&o);
	} else if (!strcmp(sub, "status")) {
		if (!(code = parse(&o, argc, argv, 2,
				   "--server --cert --key --ca --json", 0)))
			code = status(&o);
	} else if (!strcmp(sub, "hosts")) {
		if (!(code = parse(&o, argc, argv, 2,
				   "--server --cert --key --ca --json", 0)))
			code = hosts(&o);
	} else {
		code = fleet_usage("fleet: unknown subcommand '%s'", sub);
	}
	return hw_cli_finish(code);
}
