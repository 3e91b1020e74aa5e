/*
 * kinds.c — what a job may be (specs/fleet.md, "Kinds"): its kind, its
 * arguments and the document that answers it. The server checks an
 * order before it queues it, and the agent the job before it runs it:
 * neither trusts the other to have done so.
 */
#include "fleet/internal.h"
#include "probes/probes.h"

#include <string.h>

/* each kind and the schema of the document that answers it */
static const struct {
	const char *kind, *schema;
} kinds[] = {
	{"probe", "hwledger.probe/1"},
	{"plan", "hwledger.plan/1"},
	{"command", HW_FLEET_COMMAND_SCHEMA},
};

/* the options of `hwledger plan` a plan job may set; the agent adds
 * --gpu probed --json itself */
static const char *const plan_options[] = {
	"--model", "--ctx", "--batch", "--quant",
	"--kv-dtype", "--tp", "--pp", "--engine",
};

#define ARGS_MAX 16
#define ARG_MAX 128

static const char *kind_schema(const char *kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (!strcmp(kind, kinds[i].kind))
			return kinds[i].schema;
	return NULL;
}

/* 1 when s is 1 to ARG_MAX of [A-Za-z0-9._/-]: nothing a shell, a URL's
 * query or a JSON string would read otherwise */
static int arg_valid(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= ARG_MAX &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789._/-") == n;
}

/* The arguments of a plan job: pairs of one of plan_options, each at
 * most once, and a value; --model a relative path that does not leave
 * the agent's folder. */
static int plan_args_check(const cJSON *args)
{
	int n = cJSON_GetArraySize(args), model = 0;

	for (int i = 0; i < n; i += 2) {
		const char *opt = cJSON_GetArrayItem(args, i)->valuestring;
		const cJSON *v = cJSON_GetArrayItem(args, i + 1);
		size_t k = 0;

		while (k < sizeof(plan_options) / sizeof(*plan_options) &&
		       strcmp(opt, plan_options[k]) != 0)
			k++;
		if (k == sizeof(plan_options) / sizeof(*plan_options))
			return hw_error_set(HW_EUSAGE, NULL, 0, 0,
					    "plan job: '%s' is not one of "
					    "--model --ctx --batch --quant "
					    "--kv-dtype --tp --pp --engine",
					    opt);
		if (!v || v->valuestring[0] == '-')
			return hw_error_set(HW_EUSAGE, NULL, 0, 0,
					    "plan job: %s needs a value", opt);
		for (int j = 0; j < i; j += 2)
			if (!strcmp(opt, cJSON_GetArrayItem(args, j)->valuestring))
				return hw_error_set(HW_EUSAGE, NULL, 0, 0,
						    "plan job: %s twice", opt);
		if (k == 0) {
			const char *path = v->valuestring;

			model = 1;
			if (path[0] == '/' || !strcmp(path, "..") ||
			    !strncmp(path, "../", 3) || strstr(path, "/../") ||
			    (strlen(path) >= 3 &&
			     !strcmp(path + strlen(path) - 3, "/..")))
				return hw_error_set(
					HW_EUSAGE, NULL, 0, 0,
					"plan job: --model '%s' must be a path "
					"inside the agent's folder",
					path);
		}
	}
	return model ? HW_OK
		     : hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "plan job: --model PATH is needed");
}

/* Implements: FR-FLEET-011 */
int hw_fleet_args_check(const char *kind, const cJSON *args)
{
	const cJSON *a;
	int n = cJSON_GetArraySize(args);

	if (!kind_schema(kind))
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "unknown job '%s' (known: probe, plan, "
				    "command)",
				    kind);
	if (args && (!cJSON_IsArray(args) || n > ARGS_MAX))
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "a job's arguments are at most %d words",
				    ARGS_MAX);
	cJSON_ArrayForEach(a, args)
	{
		if (!cJSON_IsString(a) || !arg_valid(a->valuestring))
			return hw_error_set(HW_EUSAGE, NULL, 0, 0,
					    "a job's argument is 1 to %d of "
					    "A-Z a-z 0-9 . _ / -",
					    ARG_MAX);
	}
	if (!strcmp(kind, "plan"))
		return plan_args_check(args);
	if (!strcmp(kind, "command") &&
	    (n != 1 || !hw_key_name_valid(cJSON_GetArrayItem(args, 0)->valuestring)))
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "command job: one name of 1-64 letters, "
				    "digits, '.', '_' or '-'");
	if (!strcmp(kind, "probe") && n)
		return hw_error_set(HW_EUSAGE, NULL, 0, 0,
				    "probe job: no arguments");
	return HW_OK;
}

/* Implements: FR-FLEET-007, FR-FLEET-009, FR-FLEET-011 */
int hw_fleet_order_check(const hw_fleet_order *o)
{
	cJSON *args = o->args ? cJSON_Parse(o->args) : NULL;
	int err;

	if (o->args && !args)
		err = hw_error_set(HW_EUSAGE, NULL, 0, 0,
				   "a job's arguments are a JSON array");
	else if (!hw_key_name_valid(o->host))
		err = hw_error_set(HW_EUSAGE, NULL, 0, 0,
				   "bad host name '%s'", o->host);
	else if (o->deadline < 1 || o->deadline > HW_FLEET_DEADLINE_MAX)
		err = hw_error_set(HW_EUSAGE, NULL, 0, 0,
				   "deadline: expected 1 to %d seconds",
				   HW_FLEET_DEADLINE_MAX);
	else if (o->retries < 0 || o->retries > HW_FLEET_RETRIES_MAX)
		err = hw_error_set(HW_EUSAGE, NULL, 0, 0,
				   "retries: expected 0 to %d",
				   HW_FLEET_RETRIES_MAX);
	else
		err = hw_fleet_args_check(o->kind, args);
	cJSON_Delete(args);
	return err;
}

/* What is wrong with reading name of object o, or NULL when it is
 * absent or as hw_probe_json writes one: an object whose status is ok
 * (with a number or a string as its value), unsupported or error, its
 * unit and reason strings or null. */
static const char *reading_wrong(const cJSON *o, const char *name)
{
	const cJSON *r = cJSON_GetObjectItem(o, name);
	const cJSON *v = cJSON_GetObjectItem(r, "value");
	const cJSON *unit = cJSON_GetObjectItem(r, "unit");
	const cJSON *reason = cJSON_GetObjectItem(r, "reason");
	const char *st = cJSON_GetStringValue(cJSON_GetObjectItem(r, "status"));

	if (!r)
		return NULL;
	if (!st || (unit && !cJSON_IsString(unit) && !cJSON_IsNull(unit)) ||
	    (reason && !cJSON_IsString(reason) && !cJSON_IsNull(reason)))
		return "is not a reading";
	if (!strcmp(st, "ok"))
		return cJSON_IsNumber(v) || cJSON_IsString(v)
			       ? NULL
			       : "is ok but has no number or text as its value";
	return !strcmp(st, "unsupported") || !strcmp(st, "error")
		       ? NULL
		       : "has a status other than ok, unsupported or error";
}

/* A probe job's own result is the agent's probe of itself: a
 * HW_PROBE_SCHEMA document of one host, each GPU an object whose index
 * is its place in the list, every reading of the shape the fleet's
 * outputs read (a GPU without a number printed "gpu -nan"). HW_EINVAL
 * with what is wrong, else HW_OK. */
/* Implements: FR-FLEET-008 */
static int probe_check(const cJSON *doc)
{
	const cJSON *hosts = cJSON_GetObjectItem(doc, "hosts");
	const cJSON *host = cJSON_GetArrayItem(hosts, 0);
	const cJSON *gpus = cJSON_GetObjectItem(host, "gpus"), *g;
	const char *wrong = NULL, *name = "";
	int i = 0;

	if (!cJSON_IsArray(hosts) || cJSON_GetArraySize(hosts) != 1 ||
	    !cJSON_IsObject(host))
		wrong = "is not a list of one host";
	else if (!cJSON_IsString(cJSON_GetObjectItem(host, "host")) ||
		 !cJSON_IsBool(cJSON_GetObjectItem(host, "reachable")) ||
		 !cJSON_IsObject(cJSON_GetObjectItem(host, "system")) ||
		 !cJSON_IsObject(cJSON_GetObjectItem(host, "backends")))
		wrong = "has no host name, reachable, system or backends";
	else if (!cJSON_IsArray(gpus) ||
		 cJSON_GetArraySize(gpus) > HW_PROBE_MAX_GPUS)
		wrong = "has no list of at most 64 GPUs";
	for (int k = 0; !wrong && k < HR_COUNT; k++)
		if ((wrong = reading_wrong(cJSON_GetObjectItem(host, "system"),
					   hw_host_reading_names[k])))
			name = hw_host_reading_names[k];
	cJSON_ArrayForEach(g, gpus)
	{
		const cJSON *index = cJSON_GetObjectItem(g, "index");

		if (wrong)
			break;
		if (!cJSON_IsObject(g) || !cJSON_IsNumber(index) ||
		    index->valuedouble != (double)i)
			wrong = "has a GPU whose index is not its place in "
				"the list";
		for (int k = 0; !wrong && k < GR_COUNT; k++)
			if ((wrong = reading_wrong(g, hw_gpu_reading_names[k])))
				name = hw_gpu_reading_names[k];
		if (wrong)
			break;
		i++;
	}
	if (!wrong)
		return HW_OK;
	if (*name)
		return hw_error_set(HW_EINVAL, NULL, 0, 0,
				    "the result of a probe job is not a probe "
				    "of one host: its reading %s %s",
				    name, wrong);
	return hw_error_set(HW_EINVAL, NULL, 0, 0,
			    "the result of a probe job is not a probe of one "
			    "host: it %s",
			    wrong);
}

/* Implements: FR-FLEET-007, FR-FLEET-009, FR-FLEET-011 */
int hw_fleet_result_state(const char **state, const char *kind,
			  const cJSON *doc)
{
	const char *is = cJSON_GetStringValue(
		cJSON_GetObjectItem(doc, "schema"));
	const char *said = cJSON_GetStringValue(
		cJSON_GetObjectItem(doc, "state"));
	const char *want = kind_schema(kind);

	*state = NULL;
	if (is && !strcmp(is, HW_FLEET_FAILURE_SCHEMA) && said &&
	    (!strcmp(said, "killed") || !strcmp(said, "failed") ||
	     !strcmp(said, "refused")))
		*state = said;
	else if (is && want && !strcmp(is, want))
		*state = "done";
	if (*state && !strcmp(*state, "done") && !strcmp(kind, "probe"))
		return probe_check(doc);
	if (*state)
		return HW_OK;
	return hw_error_set(HW_EINVAL, NULL, 0, 0,
			    "the result of a %s job is a %s document, or a "
			    "%s one with state killed, failed or refused",
			    kind, want ? want : "known", HW_FLEET_FAILURE_SCHEMA);
}
