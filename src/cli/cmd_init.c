/*
 * cmd_init.c — `hwledger init`: set up a repository for hwledger.
 *
 * Creates frs/ with one example FR (only when it holds no FR document yet),
 * traceability/config.json and traceability/policy.json. It never overwrites
 * an existing file: each file is reported as created or kept.
 */
#include "cli/cli.h"
#include "ledger/ledger.h"
#include "trace/config.h"
#include "trace/trace.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char example_fr[] =
	"# Example requirements\n"
	"\n"
	"One functional requirement (FR) per level-2 heading, `ID: title`, "
	"where\n"
	"the ID is `FR-AREA-NNN` or `NFR-AREA-NNN` (AREA in capitals, NNN "
	"three or\n"
	"more digits). Then one `Key: value` per line:\n"
	"\n"
	"- `Rev`: the revision, a positive integer; raise it when the "
	"meaning changes.\n"
	"- `Status`: `draft`, `approved` (the gate requires it verified) or\n"
	"  `deprecated`.\n"
	"- `Needs`: what verifies it, from `impl` (tagged code), `utest` "
	"(a tagged\n"
	"  unit test that passes) and `itest` (an integration test).\n"
	"\n"
	"Then its text. Tag the code `/* Implements: FR-EXAMPLE-001 */` and "
	"the\n"
	"test `/* Verifies: FR-EXAMPLE-001 */`; `hwledger frs lint` checks "
	"this\n"
	"file, `hwledger trace` shows the links.\n"
	"\n"
	"## FR-EXAMPLE-001: Greet the user by name\n"
	"Rev: 1\n"
	"Status: draft\n"
	"Needs: impl, utest\n"
	"\n"
	"The program prints a greeting that names the user it was started "
	"for.\n";

/* Writes text to path unless it exists; note follows "created PATH". */
static int write_new(hw_cli *cli, const char *path, const char *text,
		     const char *note)
{
	int err;

	if (hw_path_exists(path)) {
		if (!cli->quiet)
			printf("kept     %s (exists)\n", path);
		return HW_OK;
	}
	if ((err = hw_file_write_atomic(path, text, strlen(text))))
		return err;
	if (!cli->quiet)
		printf("created  %s%s\n", path, note);
	return HW_OK;
}

/* ---- the selection init writes: what the tree holds --------------------- */

/* Folders not looked into: build outputs, other projects' code, the
 * documentation and examples (a user who wants them adds a glob). Hidden
 * folders (.git, .hwledger, .venv) are not looked into either. */
static const char *const skipped_dirs[] = {
	"build", "builddir", "out", "dist", "node_modules", "third_party",
	"thirdparty", "3rdparty", "vendor", "external", "extern", "deps",
	"subprojects", "venv", "doc", "docs", "example", "examples", NULL};
/* A folder of tests, at any depth: what is below it is tests. */
static const char *const test_dirs[] = {"test",	    "tests",	 "testing",
					"t",	    "unittest", "unittests",
					NULL};
/* Test files named as such beside the code (leveldb's db/db_test.cc,
 * pytest's test_x.py): the part of the name before or after the dot. */
static const char *const test_prefixes[] = {"test_", NULL};
static const char *const test_suffixes[] = {"_test", "_tests", "_unittest",
					    NULL};

#define INIT_MAX_DEPTH 12
#define INIT_MAX_ENTRIES 100000

typedef struct layout {
	char **sources, **tests; /* distinct globs */
	size_t nsources, ntests, scap, tcap;
	size_t entries; /* looked at, at most INIT_MAX_ENTRIES */
} layout;

static int in_list(const char *const *list, const char *s, size_t n)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
			return 1;
	return 0;
}

/* A name a glob can hold as it is: no glob character, quote or blank. */
static int plain_name(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("._+-", *s)))
			return 0;
	return 1;
}

/* Adds the glob of name under dir to v unless v holds it. */
static int add_glob(char ***v, size_t *n, size_t *cap, const char *dir,
		    const char *name)
{
	hw_buf b;

	hw_buf_init(&b, 0);
	if (hw_buf_printf(&b, "%s%s%s", dir, *dir ? "/**/" : "", name))
		return hw_error_code();
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], b.data)) {
			hw_buf_free(&b);
			return HW_OK;
		}
	return hw_strv_push(v, n, cap, b.data);
}

/* The glob of the file path (name its last segment, ext after its last
 * dot) into the layout's sources or tests: a file whose extension chooses
 * a reader (specs/languages.md); shell scripts only as tests (elsewhere
 * they are build scripts). */
static int classify(layout *l, const char *path, const char *name,
		    const char *ext)
{
	const char *stem_end = ext - 1, *top_end = strchr(path, '/');
	char top[4096], pattern[256];
	int shell = hw_lang_of(name) == HW_LANG_SH;

	if (!hw_lang_known(name))
		return HW_OK;
	/* under a folder of tests: everything of this kind below it */
	for (const char *p = path, *e; (e = strchr(p, '/')) != NULL;
	     p = e + 1)
		if (in_list(test_dirs, p, (size_t)(e - p))) {
			snprintf(top, sizeof(top), "%.*s", (int)(e - path),
				 path);
			snprintf(pattern, sizeof(pattern), "*.%s", ext);
			return add_glob(&l->tests, &l->ntests, &l->tcap, top,
					pattern);
		}
	if (shell)
		return HW_OK;
	snprintf(top, sizeof(top), "%.*s",
		 top_end ? (int)(top_end - path) : 0, path);
	for (size_t i = 0; test_prefixes[i]; i++)
		if (!strncmp(name, test_prefixes[i], strlen(test_prefixes[i]))) {
			snprintf(pattern, sizeof(pattern), "%s*.%s",
				 test_prefixes[i], ext);
			return add_glob(&l->tests, &l->ntests, &l->tcap, top,
					pattern);
		}
	for (size_t i = 0; test_suffixes[i]; i++) {
		size_t n = strlen(test_suffixes[i]);

		if ((size_t)(stem_end - name) > n &&
		    !memcmp(stem_end - n, test_suffixes[i], n)) {
			snprintf(pattern, sizeof(pattern), "*%s.%s",
				 test_suffixes[i], ext);
			return add_glob(&l->tests, &l->ntests, &l->tcap, top,
					pattern);
		}
	}
	snprintf(pattern, sizeof(pattern), "*.%s", ext);
	return add_glob(&l->sources, &l->nsources, &l->scap, top, pattern);
}

/* Walks dir ("" for the root), symbolic links not followed. */
static int survey(layout *l, const char *dir, int depth)
{
	DIR *d = opendir(*dir ? dir : ".");
	struct dirent *e;
	int err = HW_OK;

	if (!d)
		return HW_OK; /* a folder it may not read: not its layout */
	while (!err && (e = readdir(d)) != NULL &&
	       l->entries++ < INIT_MAX_ENTRIES) {
		const char *ext = strrchr(e->d_name, '.');
		char *path;
		struct stat st;

		if (e->d_name[0] == '.' || !plain_name(e->d_name))
			continue;
		if (!(path = *dir ? hw_path_join(dir, e->d_name)
				  : hw_strdup(e->d_name))) {
			err = hw_error_oom();
			break;
		}
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (depth < INIT_MAX_DEPTH &&
			    !in_list(skipped_dirs, e->d_name,
				     strlen(e->d_name)) &&
			    !(depth == 0 && !strcmp(e->d_name, "frs")))
				err = survey(l, path, depth + 1);
		} else if (S_ISREG(st.st_mode) && ext && ext[1]) {
			err = classify(l, path, e->d_name, ext + 1);
		}
		free(path);
	}
	closedir(d);
	return err;
}

/*
 * The config for the tree under the working directory: a glob per folder
 * (first level) and kind of source file found, tests apart; the defaults
 * when no source file is found. *summary says what was chosen.
 */
/* Implements: FR-CLI-004 */
static int config_for_tree(hw_buf *out, hw_buf *summary)
{
	layout l = {0};
	int err = survey(&l, "", 0);

	if (l.nsources)
		qsort(l.sources, l.nsources, sizeof(char *), hw_strp_cmp);
	if (l.ntests)
		qsort(l.tests, l.ntests, sizeof(char *), hw_strp_cmp);
	if (!err)
		err = hw_config_text(out, (const char *const *)l.sources,
				     (const char *const *)l.tests);
	if (!err && (l.nsources || l.ntests))
		err = hw_buf_printf(summary,
				    " (%zu source glob%s, %zu test glob%s, "
				    "from the files found%s)",
				    l.nsources, l.nsources == 1 ? "" : "s",
				    l.ntests, l.ntests == 1 ? "" : "s",
				    l.entries > INIT_MAX_ENTRIES
					    ? " in the first 100000 entries"
					    : "");
	hw_strv_free(l.sources);
	hw_strv_free(l.tests);
	return err;
}

/* Implements: FR-CLI-004 */
int hw_cmd_init(hw_cli *cli, int argc, char **argv)
{
	char **existing = NULL;
	size_t count = 0;
	hw_buf config, summary;
	int err;

	if (argc > 1) {
		return hw_cli_usage_error("init", "init takes no arguments, "
						  "got '%s'", argv[1]);
	}
	if ((err = hw_mkdir_p("frs")) || (err = hw_mkdir_p("traceability")))
		return hw_cli_error(err);
	if ((err = hw_dir_list(&existing, &count, "frs", ".md")))
		return hw_cli_error(err);
	hw_strv_free(existing);
	if (count == 0)
		err = write_new(cli, "frs/example.md", example_fr, "");
	else if (!cli->quiet)
		printf("kept     frs/ (%zu FR document%s)\n", count,
		       count == 1 ? "" : "s");
	hw_buf_init(&config, 0);
	hw_buf_init(&summary, 0);
	/* the tree is walked only for a config that is to be written */
	if (!err && !hw_path_exists(HW_CONFIG_PATH))
		err = config_for_tree(&config, &summary);
	if (!err)
		err = write_new(cli, HW_CONFIG_PATH,
				config.data ? config.data : "",
				summary.data ? summary.data : "");
	hw_buf_free(&config);
	hw_buf_free(&summary);
	if (!err)
		err = write_new(cli, HW_POLICY_PATH, hw_policy_default_text(),
				"");
	/* before any key exists: `git add -A` must never stage one */
	if (!err && !hw_path_exists(".hwledger/.gitignore") &&
	    !(err = hw_ledger_dir_protect()) && !cli->quiet)
		printf("created  .hwledger/.gitignore (keeps keys out of git)\n");
	if (err)
		return hw_cli_error(err);
	return hw_cli_finish(HW_EXIT_OK);
}
