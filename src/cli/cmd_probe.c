/*
 * cmd_probe.c — `hwledger probe [--json] [--ssh USER@HOST]...
 * [--hosts FILE] [--timeout S] [--pool N]` and `hwledger probe check [DIR]
 * [--json]`. Without --ssh or --hosts the local machine is probed.
 */
#include "cli/cli.h"
#include "fleet/fleet.h"
#include "probes/probes.h"

#include <stdlib.h>
#include <string.h>

#define MAX_HOSTS 1024

typedef struct probe_opts {
	const char *hosts[MAX_HOSTS];
	size_t n;
	double timeout;
	int pool;
	int json;
	hw_buf hostfile;
	/* probe check --fleet: the fleet's server and how to reach it */
	const char *fleet, *cert, *key, *ca;
} probe_opts;

static int too_many(void)
{
	return hw_cli_usage_error("probe", "probe: more than %d hosts; split "
					   "the list",
				  MAX_HOSTS);
}

static int parse_opts(probe_opts *o, int argc, char **argv, int check,
		      const char **dir)
{
	double x;

	memset(o, 0, sizeof(*o));
	o->timeout = 10;
	o->pool = 64;
	hw_buf_init(&o->hostfile, 1 << 20);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--json")) {
			o->json = 1;
		} else if (!strcmp(a, "--ssh") && v) {
			if (o->n == MAX_HOSTS)
				return too_many();
			o->hosts[o->n++] = v;
			i++;
		} else if (!strcmp(a, "--hosts") && v) {
			int err = hw_probe_hosts_file(&o->hostfile, o->hosts,
						      &o->n, MAX_HOSTS, v);

			if (err)
				return hw_cli_error(err);
			i++;
		} else if (!strcmp(a, "--timeout") && v &&
			   hw_cli_positive(v, 86400, &o->timeout)) {
			i++;
		} else if (!strcmp(a, "--pool") && v && hw_cli_positive(v, 1024, &x) &&
			   x == (int)x) {
			o->pool = (int)x;
			i++;
		} else if (check && v &&
			   (!strcmp(a, "--fleet") || !strcmp(a, "--cert") ||
			    !strcmp(a, "--key") || !strcmp(a, "--ca"))) {
			*(!strcmp(a, "--fleet") ? &o->fleet
			  : !strcmp(a, "--cert") ? &o->cert
			  : !strcmp(a, "--key")	 ? &o->key
						 : &o->ca) = v;
			i++;
		} else if (check && a[0] != '-' && dir) {
			*dir = a;
		} else if (!strcmp(a, "--ssh") || !strcmp(a, "--hosts") ||
			   !strcmp(a, "--timeout") || !strcmp(a, "--pool") ||
			   (check && (!strcmp(a, "--fleet") ||
				      !strcmp(a, "--cert") ||
				      !strcmp(a, "--key") ||
				      !strcmp(a, "--ca")))) {
			/* a known option: its value is missing or wrong */
			if (!v)
				return hw_cli_usage_error(
					"probe", "%s needs a value", a);
			return hw_cli_usage_error(
				"probe", "%s needs %s, not '%s'", a,
				!strcmp(a, "--timeout")
					? "seconds, more than 0 and at most "
					  "86400"
					: "a whole number from 1 to 1024",
				v);
		} else {
			return hw_cli_usage_error("probe",
						  "probe: unknown argument '%s'",
						  a);
		}
	}
	if ((o->fleet && o->n) || (!o->fleet && (o->cert || o->key || o->ca)))
		return hw_cli_usage_error("probe",
					  "probe: --cert, --key and --ca go "
					  "with --fleet, which goes without "
					  "--ssh and --hosts%s",
					  "");
	return 0;
}

/* Every host the fleet knows, with the readings of its latest probe,
 * from GET /v1/status: a host never probed, or down, is unreachable,
 * and a host with several agents is judged once. */
/* Implements: FR-FLEET-024 */
static int gather_fleet(probe_opts *o, hw_probe **out, size_t *n)
{
	hw_fleet_peer peer = {o->fleet, o->ca ? o->ca : HW_FLEET_CA, o->cert,
			      o->key, 10, NULL};
	const char *last = "";
	const cJSON *hosts, *h;
	cJSON *doc = NULL;
	hw_buf body;
	int err;

	*n = 0;
	hw_buf_init(&body, 0);
	if (!o->cert != !o->key) {
		err = hw_error_set(HW_EUSAGE, NULL, 0, 0,
				   "--cert and --key go together");
		goto out;
	}
	if ((err = hw_fleet_call(&body, &peer, "GET", "/v1/status", NULL)))
		goto out;
	doc = cJSON_Parse(body.data);
	hosts = cJSON_GetObjectItem(doc, "hosts");
	if (!cJSON_GetArraySize(hosts)) {
		err = hw_error_set(HW_EIO, o->fleet, 0, 0,
				   "the fleet knows no host");
		goto out;
	}
	if (!(*out = calloc((size_t)cJSON_GetArraySize(hosts), sizeof(**out)))) {
		err = hw_error_oom();
		goto out;
	}
	cJSON_ArrayForEach(h, hosts)
	{
		const char *host = cJSON_GetStringValue(
			cJSON_GetObjectItem(h, "host"));
		const char *state = cJSON_GetStringValue(
			cJSON_GetObjectItem(h, "state"));
		const cJSON *probed = cJSON_GetArrayItem(
			cJSON_GetObjectItem(cJSON_GetObjectItem(h, "probe"),
					    "hosts"),
			0);
		hw_probe *p = &(*out)[*n];

		/* sorted by host: its agents after the first add nothing */
		if (!host || !strcmp(host, last))
			continue;
		last = host;
		(*n)++;
		if (probed && (err = hw_probe_read_json(p, probed)))
			break;
		/* the fleet's name for it, not the probe's "local" */
		snprintf(p->host, sizeof(p->host), "%s", host);
		if (!probed) {
			p->reachable = 0;
			hw_reading_set(&p->error, HW_READ_ERROR,
				       "not probed yet");
		} else if (!state || strcmp(state, "up") != 0) {
			p->reachable = 0;
			hw_reading_set(&p->error, HW_READ_ERROR,
				       "down; its latest readings are of %lld",
				       (long long)cJSON_GetNumberValue(
					       cJSON_GetObjectItem(h, "probed")));
		}
	}
out:
	cJSON_Delete(doc);
	hw_buf_free(&body);
	return err;
}

static int gather(probe_opts *o, hw_probe **out, size_t *n)
{
	if (o->fleet)
		return gather_fleet(o, out, n);
	*n = o->n ? o->n : 1;
	*out = calloc(*n, sizeof(**out));
	if (!*out)
		return hw_error_oom();
	if (!o->n)
		return hw_probe_local(*out);
	return hw_probe_remote(*out, o->hosts, o->n, o->pool, o->timeout);
}

/* Implements: FR-PROBE-005 */
static int probe_check(hw_cli *cli, int argc, char **argv)
{
	const char *dir = "probes/checks";
	probe_opts o;
	hw_probe *p = NULL;
	size_t n = 0, nfiles = 0, failed = 0;
	char **files = NULL;
	cJSON *all = NULL, *arr;
	int code, err;

	if ((code = parse_opts(&o, argc, argv, 1, &dir))) {
		hw_buf_free(&o.hostfile); /* a hosts file read before the error */
		return code;
	}
	if ((code = hw_cli_checks_dir("probe", dir, "applies",
				      "specs/probes.md, \"Probe checks\""))) {
		hw_buf_free(&o.hostfile);
		return code;
	}
	if ((err = hw_dir_list(&files, &nfiles, dir, ".json")) ||
	    (err = gather(&o, &p, &n))) {
		hw_strv_free(files);
		free(p);
		hw_buf_free(&o.hostfile);
		return hw_cli_error(err);
	}
	all = cJSON_CreateObject();
	hw_json_add_str(all, "schema", "hwledger.probecheck-results/1");
	arr = cJSON_AddArrayToObject(all, "checks");
	for (size_t i = 0; i < nfiles; i++) {
		cJSON *r = NULL;
		const cJSON *fails, *f;

		if ((err = hw_probe_check_file(&r, files[i], p, n)))
			break;
		fails = cJSON_GetObjectItemCaseSensitive(r, "failures");
		failed += cJSON_GetArraySize(fails) > 0;
		if (!o.json && !cli->quiet) {
			printf("%-4s %s\n", cJSON_GetArraySize(fails) ? "FAIL" : "ok",
			       cJSON_GetObjectItemCaseSensitive(r, "name")->valuestring);
			cJSON_ArrayForEach(f, fails)
				printf("       %s\n", f->valuestring);
		}
		cJSON_AddItemToArray(arr, r);
	}
	hw_json_add_num(all, "total", (double)nfiles);
	hw_json_add_num(all, "failed", (double)failed);
	if (!err) {
		/* the readings the checks were judged on travel with them */
		hw_buf b;
		cJSON *pj = NULL;

		hw_buf_init(&b, 0);
		if (!hw_probe_json(&b, p, n) &&
		    !hw_json_parse(&pj, "probe", b.data, b.len))
			cJSON_AddItemToObject(all, "probe", pj);
		hw_buf_free(&b);
	}
	if (err)
		code = hw_cli_error(err);
	else if (o.json)
		code = hw_json_fprint(stdout, all) ? HW_EXIT_ENV
		       : failed		   ? HW_EXIT_FAIL
						   : HW_EXIT_OK;
	else {
		if (!cli->quiet)
			printf("\nprobe check: %zu checks, %zu failed\n", nfiles,
			       failed);
		code = failed ? HW_EXIT_FAIL : HW_EXIT_OK;
	}
	cJSON_Delete(all);
	hw_strv_free(files);
	free(p);
	hw_buf_free(&o.hostfile);
	return hw_cli_finish(code);
}

/* Implements: FR-PROBE-001, FR-PROBE-004 */
int hw_cmd_probe(hw_cli *cli, int argc, char **argv)
{
	probe_opts o;
	hw_probe *p = NULL;
	size_t n = 0;
	hw_buf out;
	int code, err;

	if (argc >= 2 && !strcmp(argv[1], "check"))
		return probe_check(cli, argc - 1, argv + 1);
	if ((code = parse_opts(&o, argc, argv, 0, NULL))) {
		hw_buf_free(&o.hostfile);
		return code;
	}
	hw_buf_init(&out, 0);
	err = gather(&o, &p, &n);
	if (!err)
		err = o.json ? hw_probe_json(&out, p, n) : hw_probe_text(&out, p, n);
	if (!err && fwrite(out.data, 1, out.len, stdout) != out.len)
		err = hw_error_set(HW_EIO, NULL, 0, 0, "cannot write output");
	hw_buf_free(&out);
	free(p);
	hw_buf_free(&o.hostfile);
	return hw_cli_finish(err ? hw_cli_error(err) : HW_EXIT_OK);
}
