/*
 * run.c — the four analyzers run over BUILD/compile_commands.json, their
 * reports written under BUILD/sast/run/ and imported. cppcheck and
 * flawfinder run once over the project; clang-tidy and gcc's analyzer run
 * once per translation unit, `jobs` at a time. Children are started with
 * posix_spawnp (no shell but for gcc's own compile command, which is the
 * build's), stdout and stderr go to files; a tool that is not installed,
 * dies of a signal or complains on stderr is reported, never ignored.
 */
#include "sast.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

typedef struct job {
	char **argv;     /* owned, NULL-terminated */
	char *out, *err; /* stdout and stderr files */
	char *report;    /* the file to import afterwards */
	const char *unit; /* repository-relative; NULL: the whole scope */
	pid_t pid;
	int status;       /* as waitpid gave it */
} job;

typedef struct unit {
	char *file;    /* as the tools are given it: absolute */
	char *rel;     /* repository-relative, for scope and messages */
	char *command;
} unit;

static void job_free(job *j)
{
	hw_strv_free(j->argv);
	free(j->out);
	free(j->err);
	free(j->report);
}

static char **argv_of(const char *first, ...)
{
	va_list ap;
	size_t n = 0;
	char **v = calloc(64, sizeof(*v));
	const char *a;

	if (!v)
		return NULL;
	va_start(ap, first);
	for (a = first; a && n < 63; a = va_arg(ap, const char *))
		if (!(v[n++] = hw_strdup(a))) {
			va_end(ap);
			hw_strv_free(v);
			return NULL;
		}
	va_end(ap);
	return v;
}

/* a b c joined, or NULL; the caller frees. */
static char *cat3(const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
	char *s = malloc(la + lb + lc + 1);

	if (s) {
		memcpy(s, a, la);
		memcpy(s + la, b, lb);
		memcpy(s + la + lb, c, lc + 1);
	}
	return s;
}

/* DIR/NAME-I.EXT */
static char *numbered(const char *dir, const char *name, size_t i,
		      const char *ext)
{
	char mid[128];

	snprintf(mid, sizeof(mid), "/%s-%zu.%s", name, i, ext);
	return cat3(dir, mid, "");
}

/* Whether rel is in the scope: one of scope's globs, none of exclude's. */
static int in_scope(const char *rel, char *const *scope, char *const *exclude)
{
	int in = 0;

	for (size_t i = 0; scope && scope[i] && !in; i++)
		in = hw_glob_match(scope[i], rel);
	for (size_t i = 0; exclude && exclude[i] && in; i++)
		in = !hw_glob_match(exclude[i], rel);
	return in;
}

/*
 * The units of the compilation database db in the scope, one entry per
 * file (the first; a file compiled twice, or a source that tests include,
 * is analyzed once), each with its absolute path for the tools and its
 * repository-relative one; their entries also go to *kept, the database
 * the tools are given.
 */
/* Implements: FR-SAST-005 */
static int load_units(unit **out, size_t *n, cJSON **kept, const char *db,
		      char *const *scope, char *const *exclude)
{
	cJSON *root = NULL;
	const cJSON *e;
	char cwd[PATH_MAX];
	size_t entry = 0;
	int err = hw_json_load(&root, db, (size_t)64 << 20);

	*out = NULL;
	*n = 0;
	*kept = NULL;
	if (err)
		return err;
	if (!getcwd(cwd, sizeof(cwd))) {
		cJSON_Delete(root);
		return hw_error_set(HW_EIO, NULL, 0, 0,
				    "cannot read the working directory");
	}
	if (!cJSON_IsArray(root)) {
		cJSON_Delete(root);
		return hw_error_set(HW_EINVAL, db, 1, 0,
				    "a compilation database is a JSON array");
	}
	*out = calloc((size_t)cJSON_GetArraySize(root) + 1, sizeof(**out));
	*kept = cJSON_CreateArray();
	if (!*out || !*kept) {
		cJSON_Delete(root);
		return hw_error_oom();
	}
	cJSON_ArrayForEach(e, root) {
		const char *f = hw_json_str(e, "file"), *c = hw_json_str(e, "command");
		char *abs, *rel;
		int inside = 0, seen = 0;

		entry++;
		if (!f || !c) {
			err = hw_error_set(HW_EINVAL, db, 1, 0,
					   "entry %zu has no \"file\" and "
					   "\"command\" strings",
					   entry);
			break;
		}
		/* the tools run from the repository root (gcc's command
		 * too), so a relative "file" is taken against the root, as
		 * before: a database copied with build/ from another
		 * checkout still names this checkout's files */
		abs = f[0] == '/' ? hw_strdup(f) : hw_path_join(cwd, f);
		rel = abs ? hw_sast_place(abs, cwd, &inside) : NULL;
		if (!rel) {
			free(abs);
			err = hw_error_oom();
			break;
		}
		for (size_t i = 0; i < *n && !seen; i++)
			seen = !strcmp((*out)[i].rel, rel);
		if (!inside || seen || !in_scope(rel, scope, exclude)) {
			free(abs);
			free(rel);
			continue;
		}
		(*out)[*n].file = abs;
		(*out)[*n].rel = rel;
		(*out)[(*n)++].command = hw_strdup(c);
		cJSON_AddItemToArray(*kept, cJSON_Duplicate(e, 1));
	}
	cJSON_Delete(root);
	return err;
}

/* Options of a unit's command that gcc's analysis run drops: -Werror (the
 * analyzer's warnings must stay warnings) and coverage instrumentation
 * (with -o /dev/null, gcc would write NAME.gcno into the repository root,
 * where the tools run, for every unit of a project built with --coverage,
 * as cJSON's CMake build is in the tests). */
static const char *const gcc_dropped[] = {
	" -Werror", " --coverage", " -fprofile-arcs", " -ftest-coverage",
};

/* The length of the dropped option at s (one of gcc_dropped, ending at a
 * blank or at end), else 0. */
static size_t dropped_option(const char *s, const char *end)
{
	for (size_t k = 0; k < sizeof(gcc_dropped) / sizeof(*gcc_dropped);
	     k++) {
		size_t len = strlen(gcc_dropped[k]);

		if ((size_t)(end - s) >= len &&
		    !strncmp(s, gcc_dropped[k], len) &&
		    (s + len == end || s[len] == ' '))
			return len;
	}
	return 0;
}

/* gcc's own compile command for the unit, analyzing, JSON on stderr. */
static char *gcc_command(const unit *u)
{
	const char *cut = strstr(u->command, " -c ");
	size_t n = cut ? (size_t)(cut - u->command) : strlen(u->command);
	hw_buf b;
	char *s;

	hw_buf_init(&b, 0);
	for (size_t i = 0; i < n; i++) {
		size_t len = dropped_option(u->command + i, u->command + n);

		if (len) {
			i += len - 1;
			continue;
		}
		hw_buf_append(&b, u->command + i, 1);
	}
	hw_buf_printf(&b,
		      " -fanalyzer -fdiagnostics-format=json -c '%s' -o "
		      "/dev/null",
		      u->file);
	s = b.data ? hw_strdup(b.data) : NULL;
	hw_buf_free(&b);
	return s;
}

static int spawn(job *j, int *not_found)
{
	posix_spawn_file_actions_t fa;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, j->out,
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, j->err,
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	/* hwledger-sast-ignore *: argv built here, no shell */
	rc = posix_spawnp(&j->pid, j->argv[0], &fa, NULL, j->argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc == ENOENT) {
		*not_found = 1;
		return HW_ENOTFOUND;
	}
	if (rc)
		return hw_error_set(HW_EIO, NULL, 0, 0, "cannot start %s: %s",
				    j->argv[0], strerror(rc));
	return HW_OK;
}

/* Whether word occurs in s[0..n). */
static int has(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word);

	for (size_t j = 0; j + k <= n; j++)
		if (!memcmp(s + j, word, k))
			return 1;
	return 0;
}

/* clang-tidy's and cppcheck's normal chatter on stderr. */
static int benign(const char *line, size_t n)
{
	static const char *const ok[] = {
		"warnings generated.", "warning generated.", "Suppressed ",
		"Use -header-filter", "Use -system-headers", NULL};

	for (int i = 0; ok[i]; i++)
		if (has(line, n, ok[i]))
			return 1;
	return n == 0;
}

/* What a finished job left on stderr and how it ended, as warnings. */
static void judge(job *j, hw_diags *d, const char *tool, int status)
{
	hw_buf e;
	size_t other = 0;
	const char *first = NULL;
	int flen = 0;

	if (WIFSIGNALED(status))
		hw_diags_add(d, HW_DIAG_WARNING, j->unit ? j->unit : tool, 0, 0,
			     "%s died of signal %d; its report may be "
			     "incomplete",
			     tool, WTERMSIG(status));
	if (!strcmp(tool, "gcc"))
		return; /* gcc's report is its stderr */
	hw_buf_init(&e, (size_t)1 << 20);
	if (!hw_file_read(&e, j->err, (size_t)1 << 20)) {
		for (size_t i = 0; i < e.len;) {
			const char *p = e.data + i;
			const char *nl = memchr(p, '\n', e.len - i);
			size_t n = nl ? (size_t)(nl - p) : e.len - i;

			i += n + 1;
			if (benign(p, n))
				continue;
			if (!other++) {
				first = p;
				flen = (int)(n > 200 ? 200 : n);
			}
		}
		if (other)
			hw_diags_add(d, HW_DIAG_WARNING, j->err, 1, 0,
				     "%s wrote %zu line%s to stderr: %.*s",
				     tool, other, other == 1 ? "" : "s", flen,
				     first);
	}
	hw_buf_free(&e);
}

/* The first "KIND: message" of an error in a gcc JSON line, or NULL. */
static char *gcc_error(const char *line, size_t n)
{
	cJSON *root = NULL;
	const cJSON *e;
	char *s = NULL;

	if (hw_json_parse(&root, "gcc", line, n)) {
		hw_error_clear();
		return NULL;
	}
	cJSON_ArrayForEach(e, root) {
		const char *kind = hw_json_str(e, "kind"),
			   *msg = hw_json_str(e, "message");
		hw_buf b;

		if (!kind || !msg || !strstr(kind, "error"))
			continue;
		hw_buf_init(&b, 0);
		hw_buf_printf(&b, "%s: %s", kind, msg);
		s = b.data ? hw_strdup(b.data) : NULL;
		hw_buf_free(&b);
		break;
	}
	cJSON_Delete(root);
	return s;
}

/* The first line of path that says "error:" (or a gcc JSON error). */
static char *first_error(const char *path)
{
	hw_buf b;
	char *s = NULL;

	hw_buf_init(&b, (size_t)16 << 20);
	if (hw_file_read(&b, path, (size_t)16 << 20)) {
		hw_error_clear();
		hw_buf_free(&b);
		return NULL;
	}
	for (size_t i = 0; i < b.len && !s;) {
		const char *p = b.data + i, *nl = memchr(p, '\n', b.len - i);
		size_t n = nl ? (size_t)(nl - p) : b.len - i;

		i += n + 1;
		if (n && p[0] == '[')
			s = gcc_error(p, n);
		else if (has(p, n, "error:"))
			s = hw_strndup(p, n > 300 ? 300 : n);
	}
	hw_buf_free(&b);
	return s;
}

/*
 * Why job j failed, or NULL when it did not: killed by a signal, no
 * report, clang-tidy's "Error while processing" (a unit it could not
 * compile; its exit status is 1 for findings-as-errors too), any other
 * tool's nonzero exit (gcc: the unit did not compile).
 */
static char *failure_of(const job *j, const char *tool, const char *root)
{
	hw_buf b;
	char *why = NULL, *detail;
	int failed = 0;

	hw_buf_init(&b, 0);
	if (WIFSIGNALED(j->status))
		failed = hw_buf_printf(&b, "killed by signal %d",
				       WTERMSIG(j->status)) == HW_OK;
	else if (!hw_path_exists(j->report))
		failed = hw_buf_printf(&b, "wrote no report") == HW_OK;
	else if (!strcmp(tool, "clang-tidy")) {
		hw_buf e;

		hw_buf_init(&e, (size_t)1 << 20);
		if (hw_file_read(&e, j->err, (size_t)1 << 20))
			hw_error_clear();
		else if (has(e.data ? e.data : "", e.len, "Error while processing"))
			failed = hw_buf_printf(&b, "could not compile the "
						   "unit") == HW_OK;
		hw_buf_free(&e);
	} else if (WEXITSTATUS(j->status))
		failed = hw_buf_printf(&b, "exit status %d",
				       WEXITSTATUS(j->status)) == HW_OK;
	if (failed) {
		detail = first_error(j->out);
		if (!detail)
			detail = first_error(j->err);
		if (detail)
			hw_buf_printf(&b, ": %s", detail);
		free(detail);
		why = b.data ? hw_strdup(b.data) : NULL;
		if (why && hw_sast_scrub(&why, root)) {
			free(why);
			why = NULL;
		}
	}
	hw_buf_free(&b);
	return why;
}

/* Adds why where (a unit; "": the whole scope) failed to r; takes why. */
static int add_failure(hw_sast_run_stats *r, const char *where, char *why)
{
	hw_sast_failure *v =
		realloc(r->failures, (r->nfailures + 1) * sizeof(*v));

	if (v)
		r->failures = v;
	if (!v || !(v[r->nfailures].unit = hw_strdup(where))) {
		free(why);
		return hw_error_oom();
	}
	v[r->nfailures++].message = why;
	return HW_OK;
}

/*
 * Runs the jobs, `jobs` at a time; then imports the reports of those that
 * did not fail (a failed unit's report is partial) and counts the failures
 * in r.
 */
static int run_all(hw_findings *f, hw_diags *d, const char *tool, job *v,
		   size_t n, int jobs, int *not_found, hw_sast_run_stats *r,
		   const char *root)
{
	size_t next = 0, running = 0;
	int err = HW_OK;

	for (size_t i = 0; i < n; i++) {
		char *failed = cat3(v[i].report, ".failed", "");

		unlink(v[i].report); /* a stale report must not pass for new */
		if (failed)
			unlink(failed);
		free(failed);
	}

	while ((next < n && !err) || running) {
		int status;
		pid_t pid;

		while (!err && next < n && running < (size_t)jobs) {
			err = spawn(&v[next++], not_found);
			if (!err)
				running++;
		}
		if (!running)
			break;
		pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (size_t i = 0; i < next; i++)
			if (v[i].pid == pid) {
				judge(&v[i], d, tool, status);
				v[i].status = status;
				v[i].pid = 0;
				running--;
			}
	}
	if (*not_found)
		return hw_error_set(HW_EIO, NULL, 0, 0,
				    "%s is not installed (ci/deps.sh installs "
				    "it)",
				    tool);
	for (size_t i = 0; i < n && !err; i++) {
		char *why = failure_of(&v[i], tool, root);

		if (why) {
			/* a failed unit's report is partial, kept apart from
			 * those that are imported again (REPORT.failed) */
			char *kept = cat3(v[i].report, ".failed", "");

			if (kept && hw_path_exists(v[i].report))
				rename(v[i].report, kept);
			free(kept);
			/* the one run over the whole scope fails every unit */
			r->failed += v[i].unit ? 1 : r->units;
			err = add_failure(r, v[i].unit ? v[i].unit : "", why);
			continue;
		}
		err = hw_sast_import(f, d, v[i].report);
	}
	return err;
}

/* Writes run as DIR/run-TOOL.json, read back by --import. */
static int write_run(const char *dir, const hw_sast_run_stats *run)
{
	char *path = cat3(dir, "/run-", run->tool);
	char *full = path ? cat3(path, ".json", "") : NULL;
	hw_buf b;
	int err;

	hw_buf_init(&b, 0);
	err = !full ? hw_error_oom()
		    : hw_sast_run_json(&b, run);
	if (!err)
		err = hw_file_write_atomic(full, b.data, b.len);
	hw_buf_free(&b);
	free(path);
	free(full);
	return err;
}

/* Implements: FR-SAST-005 */
int hw_sast_run(hw_findings *f, hw_diags *d, const char *tool,
		const char *build, char *const *scope, char *const *exclude,
		int jobs, int *not_installed)
{
	char *db = hw_path_join(build, "compile_commands.json");
	char *dir = hw_path_join(build, "sast/run");
	char *own = dir ? hw_path_join(dir, "compile_commands.json") : NULL;
	unit *u = NULL;
	size_t nu = 0, nj = 0;
	job *v = NULL;
	cJSON *kept = NULL;
	char *text = NULL;
	hw_sast_run_stats *run;
	char jobarg[32], cwd[PATH_MAX];
	int err;

	*not_installed = 0;
	if (!db || !dir || !own) {
		err = hw_error_oom();
		goto out;
	}
	if (strcmp(tool, "cppcheck") && strcmp(tool, "flawfinder") &&
	    strcmp(tool, "clang-tidy") && strcmp(tool, "gcc")) {
		err = hw_error_set(HW_EINVAL, NULL, 0, 0,
				   "unknown analyzer '%s' (cppcheck, "
				   "clang-tidy, flawfinder, gcc or all)",
				   tool);
		goto out;
	}
	if (!hw_path_exists(db)) {
		err = hw_error_set(HW_EIO, db, 0, 0,
				   "no compilation database (have the build "
				   "write it: CMake's "
				   "CMAKE_EXPORT_COMPILE_COMMANDS, 'bear -- "
				   "make'; a project without C or C++ lists "
				   "sast in the policy's optional_checks)");
		goto out;
	}
	if (!getcwd(cwd, sizeof(cwd))) {
		err = hw_error_set(HW_EIO, NULL, 0, 0,
				   "cannot read the working directory");
		goto out;
	}
	if ((err = load_units(&u, &nu, &kept, db, scope, exclude)) ||
	    (err = hw_mkdir_p(dir)))
		goto out;
	if (!nu) {
		err = hw_error_set(HW_EINVAL, db, 1, 0,
				   "no unit of the compilation database is in "
				   "the SAST scope (the config's \"sources\", "
				   "or \"sast\": {\"scope\": [...]}, minus "
				   "\"exclude\")");
		goto out;
	}
	/* the tools read the units in scope, one entry a file */
	text = cJSON_Print(kept);
	err = text ? hw_file_write_atomic(own, text, strlen(text))
		   : hw_error_oom();
	if (err)
		goto out;
	v = calloc(nu + 1, sizeof(*v));
	if (!v) {
		err = hw_error_oom();
		goto out;
	}
	snprintf(jobarg, sizeof(jobarg), "-j%d", jobs);
	if (!strcmp(tool, "cppcheck")) {
		char *proj = cat3("--project=", own, "");
		char *xml = cat3(dir, "/cppcheck.xml", "");
		char *of = xml ? cat3("--output-file=", xml, "") : NULL;

		v[0].argv = argv_of("cppcheck", "--xml", "--xml-version=2",
				    "--enable=warning,portability",
				    "--inline-suppr", "-q", jobarg,
				    proj ? proj : "", of ? of : "", NULL);
		v[0].out = cat3(dir, "/cppcheck.out", "");
		v[0].err = cat3(dir, "/cppcheck.log", "");
		v[0].report = xml;
		nj = 1;
		free(proj);
		free(of);
	} else if (!strcmp(tool, "flawfinder")) {
		v[0].argv = calloc(nu + 4, sizeof(char *));
		if (v[0].argv) {
			v[0].argv[0] = hw_strdup("flawfinder");
			v[0].argv[1] = hw_strdup("--sarif");
			v[0].argv[2] = hw_strdup("--minlevel=1");
			for (size_t i = 0; i < nu; i++)
				v[0].argv[3 + i] = hw_strdup(u[i].file);
		}
		v[0].out = cat3(dir, "/flawfinder.sarif", "");
		v[0].err = cat3(dir, "/flawfinder.log", "");
		v[0].report = cat3(dir, "/flawfinder.sarif", "");
		nj = 1;
	} else {
		int gcc = tool[0] == 'g';

		for (size_t i = 0; i < nu; i++, nj++) {
			char *cmd = gcc ? gcc_command(&u[i]) : NULL;

			/* clang-tidy: the database's gcc-only warning
			 * options and -Werror must not stop clang */
			v[nj].argv = gcc ? argv_of("sh", "-c", cmd ? cmd : "false",
						   NULL)
					 : argv_of("clang-tidy", "-p", dir,
						   "--quiet",
						   "--extra-arg=-Wno-unknown-"
						   "warning-option",
						   "--extra-arg=-Wno-error",
						   u[i].file, NULL);
			free(cmd);
			v[nj].out = numbered(dir, tool, i, gcc ? "out" : "txt");
			v[nj].err = numbered(dir, tool, i, gcc ? "json" : "log");
			v[nj].report = hw_strdup(gcc ? v[nj].err ? v[nj].err : ""
						     : v[nj].out ? v[nj].out : "");
			v[nj].unit = u[i].rel;
		}
	}
	for (size_t i = 0; i < nj; i++)
		if (!v[i].argv || !v[i].out || !v[i].err || !v[i].report) {
			err = hw_error_oom();
			goto out;
		}
	if (!(run = hw_sast_add_run(f, tool, nu))) {
		err = hw_error_oom();
		goto out;
	}
	err = run_all(f, d, tool, v, nj, jobs < 1 ? 1 : jobs, not_installed,
		      run, cwd);
	if (*not_installed)
		f->nruns--; /* not run: no units analyzed nor failed */
	else if (!err)
		err = write_run(dir, &f->runs[f->nruns - 1]);
out:
	for (size_t i = 0; v && i < nj; i++)
		job_free(&v[i]);
	free(v);
	for (size_t i = 0; i < nu; i++) {
		free(u[i].file);
		free(u[i].rel);
		free(u[i].command);
	}
	free(u);
	cJSON_Delete(kept);
	cJSON_free(text);
	free(db);
	free(dir);
	free(own);
	return err;
}
