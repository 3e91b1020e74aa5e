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
	const char *unit;
	pid_t pid;
} job;

typedef struct unit {
	char *file, *command;
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

static int load_units(unit **out, size_t *n, const char *db)
{
	cJSON *root = NULL;
	const cJSON *e;
	int err = hw_json_load(&root, db, (size_t)64 << 20);

	*out = NULL;
	*n = 0;
	if (err)
		return err;
	if (!cJSON_IsArray(root)) {
		cJSON_Delete(root);
		return hw_error_set(HW_EINVAL, db, 1, 0,
				    "a compilation database is a JSON array");
	}
	*out = calloc((size_t)cJSON_GetArraySize(root) + 1, sizeof(**out));
	if (!*out) {
		cJSON_Delete(root);
		return hw_error_set(HW_ENOMEM, NULL, 0, 0, "out of memory");
	}
	cJSON_ArrayForEach(e, root) {
		const cJSON *f = cJSON_GetObjectItemCaseSensitive(e, "file");
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "command");

		if (!cJSON_IsString(f) || !cJSON_IsString(c)) {
			err = hw_error_set(HW_EINVAL, db, 1, 0,
					   "entry %zu has no \"file\" and "
					   "\"command\" strings",
					   *n + 1);
			break;
		}
		(*out)[*n].file = hw_strdup(f->valuestring);
		(*out)[(*n)++].command = hw_strdup(c->valuestring);
	}
	cJSON_Delete(root);
	return err;
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
		if (!strncmp(u->command + i, " -Werror", 8) &&
		    (u->command[i + 8] == ' ' || i + 8 == n)) {
			i += 7; /* the analyzer's warnings must stay warnings */
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

/* clang-tidy's and cppcheck's normal chatter on stderr. */
static int benign(const char *line, size_t n)
{
	static const char *const ok[] = {
		"warnings generated.", "warning generated.", "Suppressed ",
		"Use -header-filter", "Use -system-headers", NULL};

	for (int i = 0; ok[i]; i++) {
		size_t k = strlen(ok[i]);

		for (size_t j = 0; j + k <= n; j++)
			if (!memcmp(line + j, ok[i], k))
				return 1;
	}
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

/* Runs the jobs, `jobs` at a time; then imports their reports. */
static int run_all(hw_findings *f, hw_diags *d, const char *tool, job *v,
		   size_t n, int jobs, int *not_found)
{
	size_t next = 0, running = 0;
	int err = HW_OK;

	for (size_t i = 0; i < n; i++)
		unlink(v[i].report); /* a stale report must not pass for new */

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
				v[i].pid = 0;
				running--;
			}
	}
	if (*not_found)
		return hw_error_set(HW_EIO, NULL, 0, 0,
				    "%s is not installed (ci/deps.sh installs "
				    "it)",
				    tool);
	for (size_t i = 0; i < n && !err; i++)
		if (hw_path_exists(v[i].report))
			err = hw_sast_import(f, d, v[i].report);
		else
			hw_diags_add(d, HW_DIAG_WARNING, v[i].report, 0, 0,
				     "%s wrote no report", tool);
	return err;
}

/* Implements: FR-SAST-005 */
int hw_sast_run(hw_findings *f, hw_diags *d, const char *tool,
		const char *build, int jobs, int *not_installed)
{
	char *db = hw_path_join(build, "compile_commands.json");
	char *dir = hw_path_join(build, "sast/run");
	unit *u = NULL;
	size_t nu = 0, nj = 0;
	job *v = NULL;
	char jobarg[32];
	int err;

	*not_installed = 0;
	if (!db || !dir) {
		err = hw_error_set(HW_ENOMEM, NULL, 0, 0, "out of memory");
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
				   "no compilation database (run 'make' "
				   "first)");
		goto out;
	}
	if ((err = load_units(&u, &nu, db)) || (err = hw_mkdir_p(dir)))
		goto out;
	v = calloc(nu + 1, sizeof(*v));
	if (!v) {
		err = hw_error_set(HW_ENOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	snprintf(jobarg, sizeof(jobarg), "-j%d", jobs);
	if (!strcmp(tool, "cppcheck")) {
		char *proj = cat3("--project=", db, "");
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
	} else if (!strcmp(tool, "clang-tidy") || !strcmp(tool, "gcc")) {
		int gcc = tool[0] == 'g';

		for (size_t i = 0; i < nu; i++, nj++) {
			char *cmd = gcc ? gcc_command(&u[i]) : NULL;

			v[nj].argv = gcc ? argv_of("sh", "-c", cmd ? cmd : "false",
						   NULL)
					 : argv_of("clang-tidy", "-p", build,
						   "--quiet", u[i].file, NULL);
			free(cmd);
			v[nj].out = numbered(dir, tool, i, gcc ? "out" : "txt");
			v[nj].err = numbered(dir, tool, i, gcc ? "json" : "log");
			v[nj].report = hw_strdup(gcc ? v[nj].err ? v[nj].err : ""
						     : v[nj].out ? v[nj].out : "");
			v[nj].unit = u[i].file;
		}
	}
	for (size_t i = 0; i < nj; i++)
		if (!v[i].argv || !v[i].out || !v[i].err || !v[i].report) {
			err = hw_error_set(HW_ENOMEM, NULL, 0, 0,
					   "out of memory");
			goto out;
		}
	err = run_all(f, d, tool, v, nj, jobs < 1 ? 1 : jobs, not_installed);
out:
	for (size_t i = 0; v && i < nj; i++)
		job_free(&v[i]);
	free(v);
	for (size_t i = 0; i < nu; i++) {
		free(u[i].file);
		free(u[i].command);
	}
	free(u);
	free(db);
	free(dir);
	return err;
}
