/*
 * config.c — the repository configuration, traceability/config.json.
 *
 * Every command works on a repository that has FRs but no config: the
 * defaults below are exactly what `hwledger init` writes. A config that
 * exists is validated strictly (unknown keys and wrong types are errors with
 * file:line:col) so that a typo never silently selects nothing.
 */
#include "config.h"
#include "util/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The selection every command uses without a config, and what `hwledger
 * init` writes in a tree without a source file. */
static const char *const default_sources[] = {"src/**/*.c", "src/**/*.h",
					      NULL};
static const char *const default_tests[] = {"tests/**/*.c", NULL};

static const char default_policy[] =
	"{\n"
	"  \"schema\": \"hwledger.policy/1\",\n"
	"  \"min_verified_share\": 1.0,\n"
	"  \"coverage_threshold\": 80,\n"
	"  \"fail_on\": [\"unknown-fr\", \"duplicate-fr\", \"malformed-tag\",\n"
	"              \"failing-test\", \"expired-waiver\", \"sast-error\"],\n"
	"  \"waivers\": []\n"
	"}\n";

static int put_globs(hw_buf *b, const char *key, const char *const *v)
{
	int err = hw_buf_printf(b, "  \"%s\": [", key);

	for (size_t i = 0; v && v[i] && !err; i++)
		err = hw_buf_printf(b, "%s\"%s\"", i ? ", " : "", v[i]);
	return err ? err : hw_buf_printf(b, "],\n");
}

/* Implements: FR-CLI-004 */
int hw_config_text(hw_buf *out, const char *const *sources,
		   const char *const *tests)
{
	int err;

	if (!(sources && *sources) && !(tests && *tests)) {
		sources = default_sources;
		tests = default_tests;
	}
	err = hw_buf_printf(out, "{\n  \"schema\": \"" HW_CONFIG_SCHEMA
				 "\",\n  \"frs\": \"frs\",\n");
	if (!err)
		err = put_globs(out, "sources", sources);
	if (!err)
		err = put_globs(out, "tests", tests);
	return err ? err
		   : hw_buf_printf(out,
				   "  \"exclude\": [],\n"
				   "  \"max_file_bytes\": %zu\n}\n",
				   HW_DEFAULT_MAX_FILE_BYTES);
}

const char *hw_policy_default_text(void)
{
	return default_policy;
}

/* The line of the value at path a[/b] of the config, for messages. */
static long line_at(const char *text, size_t len, const char *a,
		    const char *b)
{
	return hw_json_line(text, len, (const char *const[]){a, b, NULL},
			    NULL);
}

static char **strv_from_json(const cJSON *arr)
{
	int n = cJSON_GetArraySize(arr);
	char **v = calloc((size_t)n + 1, sizeof(*v));
	int i = 0;
	const cJSON *item;

	if (!v)
		return NULL;
	cJSON_ArrayForEach(item, arr) {
		v[i] = hw_strdup(item->valuestring);
		if (!v[i]) {
			hw_strv_free(v);
			return NULL;
		}
		i++;
	}
	return v;
}

static char **strv_of(const char *a, const char *b)
{
	char **v = calloc(3, sizeof(*v));

	if (!v)
		return NULL;
	if (a && !(v[0] = hw_strdup(a)))
		goto fail;
	if (b && !(v[1] = hw_strdup(b)))
		goto fail;
	return v;
fail:
	hw_strv_free(v);
	return NULL;
}

/* The default "vendored" globs: copies of others' code (a test framework,
 * libraries) whose functions are not this project's tests or code. */
static char **strv_vendored(void)
{
	static const char *const globs[] = {"**/unity/**", "**/third_party/**",
					    "**/vendor/**"};
	char **v = calloc(4, sizeof(*v));

	for (size_t i = 0; v && i < 3; i++)
		if (!(v[i] = hw_strdup(globs[i]))) {
			hw_strv_free(v);
			v = NULL;
		}
	return v;
}

int hw_config_defaults(hw_config *c)
{
	memset(c, 0, sizeof(*c));
	c->frs_dir = hw_strdup("frs");
	c->sources = strv_of(default_sources[0], default_sources[1]);
	c->tests = strv_of(default_tests[0], NULL);
	c->exclude = strv_of(NULL, NULL);
	c->vendored = strv_vendored();
	c->test_functions = strv_of("test_*", NULL);
	c->max_file_bytes = HW_DEFAULT_MAX_FILE_BYTES;
	if (!c->frs_dir || !c->sources || !c->tests || !c->exclude ||
	    !c->vendored || !c->test_functions) {
		hw_config_free(c);
		return hw_error_oom();
	}
	return HW_OK;
}

static int is_string_array(const cJSON *j)
{
	const cJSON *item;

	if (!cJSON_IsArray(j))
		return 0;
	cJSON_ArrayForEach(item, j) {
		if (!cJSON_IsString(item) || !item->valuestring[0])
			return 0;
	}
	return 1;
}

#define LEVEL_ERR(...)                                                         \
	hw_error_set(HW_EINVAL, HW_CONFIG_PATH, level_line(text, len, i),      \
		     0, __VA_ARGS__)

/* The line of the i-th level (0-based), where its object starts. */
static long level_line(const char *text, size_t len, size_t i)
{
	char at[24];

	snprintf(at, sizeof(at), "%zu", i);
	return line_at(text, len, "levels", at);
}

/*
 * "levels": [{"name", "ids", "frs", "needs"?}, ...], top down. Each ID
 * pattern is compiled anchored to the whole ID; a level with one below it
 * needs nothing of its own by default (its children verify it), the lowest
 * impl and utest. Lines are those where each level's object starts.
 */
/* Implements: FR-FRS-008 */
static int apply_levels(hw_frs_model *m, const cJSON *arr, long line,
			const char *text, size_t len)
{
	size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
	const cJSON *lv;

	if (!cJSON_IsArray(arr) || !n)
		return hw_error_set(HW_EINVAL, HW_CONFIG_PATH, line, 0,
				    "\"levels\" must be a non-empty array of "
				    "{\"name\", \"ids\", \"frs\"} objects, "
				    "top down");
	m->levels = calloc(n, sizeof(*m->levels));
	HW_CHECK_ALLOC(m->levels);
	cJSON_ArrayForEach(lv, arr) {
		const char *name = hw_json_str(lv, "name");
		const char *ids = hw_json_str(lv, "ids");
		const char *dir = hw_json_str(lv, "frs");
		const cJSON *needs = cJSON_GetObjectItemCaseSensitive(lv, "needs");
		const cJSON *k;
		hw_level *l = &m->levels[i];
		int rc;

		/* an object first: only its members have names (k->string) */
		if (!cJSON_IsObject(lv))
			return LEVEL_ERR("level %zu must have a non-empty "
					 "\"name\", \"ids\" and \"frs\"",
					 i + 1);
		cJSON_ArrayForEach(k, lv) {
			if (strcmp(k->string, "name") != 0 &&
			    strcmp(k->string, "ids") != 0 &&
			    strcmp(k->string, "frs") != 0 &&
			    strcmp(k->string, "needs") != 0)
				return LEVEL_ERR("level %zu: unknown key \"%s\"",
						 i + 1, k->string);
		}
		if (!name || !*name || !ids || !*ids || !dir || !*dir)
			return LEVEL_ERR("level %zu must have a non-empty "
					 "\"name\", \"ids\" and \"frs\"",
					 i + 1);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(m->levels[j].name, name))
				return LEVEL_ERR("two levels are named \"%s\"",
						 name);
		/* compiled as written, not wrapped in ^(...)$: a pattern
		 * such as "A)|(B" would close that group and match anything
		 * that ends in B; hw_frs_model_level asks the match to span
		 * the whole ID instead */
		rc = regcomp(&l->re, ids, REG_EXTENDED);
		if (rc) {
			char why[128];

			/* a failed regcomp leaves nothing to regfree */
			regerror(rc, &l->re, why, sizeof(why));
			return LEVEL_ERR("level \"%s\": \"ids\" is not a "
					 "valid POSIX extended regular "
					 "expression: %s",
					 name, why);
		}
		/* counted from here: hw_frs_model_free frees what is set */
		m->nlevels = i + 1;
		if (!(l->name = hw_strdup(name)) || !(l->ids = hw_strdup(ids)) ||
		    !(l->dir = hw_strdup(dir)))
			return hw_error_oom();
		l->needs = i + 1 < n ? 0 : HW_NEED_IMPL | HW_NEED_UTEST;
		if (needs) {
			const cJSON *x;

			l->needs = 0;
			if (!cJSON_IsArray(needs))
				return LEVEL_ERR("level \"%s\": \"needs\" "
						 "must be an array", name);
			cJSON_ArrayForEach(x, needs) {
				const char *v = cJSON_GetStringValue(x);
				unsigned bit = !v ? 0
					: !strcmp(v, "impl") ? HW_NEED_IMPL
					: !strcmp(v, "utest") ? HW_NEED_UTEST
					: !strcmp(v, "itest") ? HW_NEED_ITEST
							      : 0;

				if (!bit)
					return LEVEL_ERR(
						"level \"%s\": \"needs\" "
						"lists impl, utest and itest",
						name);
				l->needs |= bit;
			}
		}
		i++;
	}
	return HW_OK;
}

static const char *const attr_types[] = {"string", "enum", "list", "date"};

/* Keys the FR parser knows itself: no attribute may take their name. */
static int builtin_key(const char *k)
{
	static const char *const keys[] = {"Rev", "Status", "Needs", "Parent",
					   "Depends", "Derived", "Rationale"};

	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		if (!strcmp(keys[i], k))
			return 1;
	return 0;
}

/* The line of attribute a: found only for an error, since each look
 * reads the text from its start. */
#define ATTR_LINE line_at(text, len, "attributes", a->string)

/* "attributes": {"Name": {"type": T, "values": [...]}, ...} */
/* Implements: FR-FRS-009 */
static int apply_attributes(hw_frs_model *m, const cJSON *obj,
			    const char *text, size_t len)
{
	size_t n = (size_t)cJSON_GetArraySize(obj);
	const cJSON *a;

	if (!cJSON_IsObject(obj))
		return hw_error_set(HW_EINVAL, HW_CONFIG_PATH,
				    line_at(text, len, "attributes", NULL), 0,
				    "\"attributes\" must be an object of "
				    "{\"type\": ...} by key name");
	m->attrs = calloc(n ? n : 1, sizeof(*m->attrs));
	HW_CHECK_ALLOC(m->attrs);
	cJSON_ArrayForEach(a, obj) {
		hw_attr_decl *d = &m->attrs[m->nattrs];
		const char *type = hw_json_str(a, "type");
		const cJSON *values = cJSON_GetObjectItemCaseSensitive(a, "values");
		int t = -1, keys = cJSON_GetArraySize(a);
		const char *k = a->string;
		size_t kl = strlen(k);

		for (int j = 0; type && j < 4; j++)
			if (!strcmp(type, attr_types[j]))
				t = j;
		/* a key the FR parser can read: a letter, then letters,
		 * digits, '-' and '_' */
		for (size_t j = 0; j < kl; j++)
			if (!((k[j] >= 'A' && k[j] <= 'Z') ||
			      (k[j] >= 'a' && k[j] <= 'z') ||
			      (j && ((k[j] >= '0' && k[j] <= '9') ||
				     k[j] == '-' || k[j] == '_'))))
				kl = 0;
		if (!kl || builtin_key(k))
			return hw_error_set(HW_EINVAL, HW_CONFIG_PATH, ATTR_LINE, 0,
					    "attribute \"%s\": the name must be "
					    "a key (a letter, then letters, "
					    "digits, '-', '_') other than the "
					    "built-in ones", k);
		if (!cJSON_IsObject(a) || t < 0 ||
		    (t == HW_ATTR_ENUM) != (values != NULL) ||
		    keys != 1 + (values != NULL) ||
		    (values && (!is_string_array(values) ||
				!cJSON_GetArraySize(values))))
			return hw_error_set(HW_EINVAL, HW_CONFIG_PATH, ATTR_LINE, 0,
					    "attribute \"%s\" must be {\"type\": "
					    "\"string\"|\"list\"|\"date\"} or "
					    "{\"type\": \"enum\", \"values\": "
					    "[non-empty strings]}", k);
		if (!(d->name = hw_strdup(k)))
			return hw_error_oom();
		d->type = (hw_attr_type)t;
		m->nattrs++;
		if (values && !(d->values = strv_from_json(values)))
			return hw_error_oom();
	}
	return HW_OK;
}

/* Implements: FR-CLI-008 */
static int apply_config(hw_config *c, const cJSON *root, const char *text,
			size_t len)
{
	const cJSON *item;

	if (!cJSON_IsObject(root))
		return hw_error_set(HW_EINVAL, HW_CONFIG_PATH, 1, 1,
				    "the configuration must be a JSON object");
	cJSON_ArrayForEach(item, root) {
		const char *k = item->string;
		long line = line_at(text, len, k, NULL);
		char ***list = NULL;

		if (strcmp(k, "schema") == 0) {
			if (!cJSON_IsString(item) ||
			    strcmp(item->valuestring, HW_CONFIG_SCHEMA) != 0)
				return hw_error_set(
					HW_EINVAL, HW_CONFIG_PATH, line, 0,
					"\"schema\" must be \"%s\"",
					HW_CONFIG_SCHEMA);
		} else if (strcmp(k, "frs") == 0) {
			if (!cJSON_IsString(item) || !item->valuestring[0])
				return hw_error_set(
					HW_EINVAL, HW_CONFIG_PATH, line, 0,
					"\"frs\" must be a non-empty string");
			free(c->frs_dir);
			c->frs_dir = hw_strdup(item->valuestring);
			HW_CHECK_ALLOC(c->frs_dir);
		} else if (strcmp(k, "sources") == 0) {
			list = &c->sources;
		} else if (strcmp(k, "tests") == 0) {
			list = &c->tests;
		} else if (strcmp(k, "exclude") == 0) {
			list = &c->exclude;
		} else if (strcmp(k, "vendored") == 0) {
			list = &c->vendored;
		} else if (strcmp(k, "test_functions") == 0) {
			list = &c->test_functions;
		} else if (strcmp(k, "orphan_tests") == 0) {
			const char *v = cJSON_GetStringValue(item);

			if (!v || (strcmp(v, "named") != 0 &&
				   strcmp(v, "run") != 0))
				return hw_error_set(
					HW_EINVAL, HW_CONFIG_PATH, line, 0,
					"\"orphan_tests\" must be \"named\" "
					"or \"run\"");
			c->orphans_run = !strcmp(v, "run");
		} else if (strcmp(k, "sast") == 0) {
			const cJSON *scope =
				cJSON_GetObjectItemCaseSensitive(item, "scope");

			/* the files hwledger sast analyzes (specs/sast.md) */
			if (!cJSON_IsObject(item) || !is_string_array(scope) ||
			    cJSON_GetArraySize(item) != 1)
				return hw_error_set(
					HW_EINVAL, HW_CONFIG_PATH, line, 0,
					"\"sast\" must be {\"scope\": [globs]}");
			hw_strv_free(c->sast_scope);
			c->sast_scope = strv_from_json(scope);
			HW_CHECK_ALLOC(c->sast_scope);
		} else if (strcmp(k, "levels") == 0) {
			int err = apply_levels(&c->model, item, line, text, len);

			if (err)
				return err;
			if (cJSON_GetObjectItemCaseSensitive(root, "frs"))
				return hw_error_set(
					HW_EINVAL, HW_CONFIG_PATH,
					line_at(text, len, "frs", NULL), 0,
					"\"frs\" and \"levels\" both given: "
					"each level names its folder");
			/* the folder of the lowest level, for what reads one */
			free(c->frs_dir);
			c->frs_dir = hw_strdup(
				c->model.levels[c->model.nlevels - 1].dir);
			HW_CHECK_ALLOC(c->frs_dir);
		} else if (strcmp(k, "attributes") == 0) {
			int err = apply_attributes(&c->model, item, text, len);

			if (err)
				return err;
		} else if (strcmp(k, "max_file_bytes") == 0) {
			double v = cJSON_GetNumberValue(item);

			if (!cJSON_IsNumber(item) || v < 1 || v > 1e12 ||
			    floor(v) != v)
				return hw_error_set(
					HW_EINVAL, HW_CONFIG_PATH, line, 0,
					"\"max_file_bytes\" must be a whole "
					"number of bytes between 1 and 1e12");
			c->max_file_bytes = (size_t)v;
		} else {
			return hw_error_set(HW_EINVAL, HW_CONFIG_PATH, line, 0,
					    "unknown key \"%s\"", k);
		}
		if (list) {
			if (!is_string_array(item))
				return hw_error_set(
					HW_EINVAL, HW_CONFIG_PATH, line, 0,
					"\"%s\" must be an array of non-empty "
					"glob strings", k);
			hw_strv_free(*list);
			*list = strv_from_json(item);
			if (!*list)
				return hw_error_oom();
		}
	}
	return HW_OK;
}

/* Implements: FR-CLI-008 */
int hw_config_load(hw_config *c)
{
	hw_buf b;
	cJSON *root = NULL;
	int err;

	if ((err = hw_config_defaults(c)))
		return err;
	if (!hw_path_exists(HW_CONFIG_PATH))
		return HW_OK;
	hw_buf_init(&b, 0);
	err = hw_file_read(&b, HW_CONFIG_PATH, 1 << 20);
	if (!err)
		err = hw_json_parse(&root, HW_CONFIG_PATH, b.data, b.len);
	if (!err)
		err = apply_config(c, root, b.data, b.len);
	if (!err)
		c->from_file = 1;
	cJSON_Delete(root);
	hw_buf_free(&b);
	if (err)
		hw_config_free(c);
	return err;
}

void hw_config_free(hw_config *c)
{
	free(c->frs_dir);
	hw_strv_free(c->sources);
	hw_strv_free(c->tests);
	hw_strv_free(c->exclude);
	hw_strv_free(c->vendored);
	hw_strv_free(c->test_functions);
	hw_strv_free(c->sast_scope);
	hw_frs_model_free(&c->model);
	memset(c, 0, sizeof(*c));
}
