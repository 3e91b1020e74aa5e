/*
 * timeit.c — the stopwatch of `make bench`.
 *
 *   timeit RUNS PREPARE TOOL REFERENCE
 *   timeit --line CMD      (prints the line the shell is given for CMD)
 *
 * Runs TOOL and REFERENCE RUNS times each through `/bin/sh -c`, alternating
 * them so that load on a shared machine hits both alike, with PREPARE (when
 * not empty) run untimed before each run of TOOL. Each run is timed from
 * posix_spawn to waitpid with CLOCK_MONOTONIC; the shell's own start is
 * timed the same way (`sh -c :`, alternated with the others) and its median
 * taken off both medians, as hyperfine does, so that a command of a few
 * milliseconds is not measured as mostly the harness. For that to be all the
 * shell adds, a command that is one program (after any `cd DIR &&` and
 * NAME=value words) is run with `exec`: dash would otherwise vfork, exec
 * and wait for it, one more process start (~1.5 ms on this project's VM)
 * that `sh -c :` does not pay, so every command was measured that much
 * slow (hyperfine has the same bias; its -N runs without a shell). Others
 * (pipes, lists, subshells) run as written. Prints three numbers:
 * the medians of TOOL and REFERENCE less the shell's start, and the shell's
 * start, in microseconds.
 *
 * The commands' output goes to a regular file (emptied before each run),
 * not to /dev/null: ripgrep, the usual reference, notices /dev/null and
 * stops reading a file at its first match, so against /dev/null it was
 * timed doing less than it does for a user.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/*
 * Where "exec " goes in cmd so that the shell runs its last program in its
 * own process, or -1 to run cmd as it is: after the last && and any
 * NAME=value words, when no ; & | ( ) ` or newline stands outside quotes
 * and a program follows (not `:`).
 */
static long exec_at(const char *cmd)
{
	long seg = 0, i;
	char q = 0;

	for (i = 0; cmd[i]; i++) {
		char c = cmd[i];

		if (q) {
			if (c == q)
				q = 0;
			else if (c == '\\' && q == '"' && cmd[i + 1])
				i++;
		} else if (c == '\'' || c == '"') {
			q = c;
		} else if (c == '\\' && cmd[i + 1]) {
			i++;
		} else if (c == '&' && cmd[i + 1] == '&') {
			seg = ++i + 1;
		} else if (strchr(";&|()`\n", c)) {
			return -1;
		}
	}
	if (q)
		return -1;
	for (i = seg;;) { /* blanks and NAME=value words */
		long w;

		while (cmd[i] == ' ' || cmd[i] == '\t')
			i++;
		w = i;
		if (!isalpha((unsigned char)cmd[w]) && cmd[w] != '_')
			break;
		while (isalnum((unsigned char)cmd[w]) || cmd[w] == '_')
			w++;
		if (cmd[w] != '=')
			break;
		for (w++, q = 0; cmd[w] && (q || !isblank((unsigned char)cmd[w]));
		     w++) {
			if (q && cmd[w] == q)
				q = 0;
			else if (!q && (cmd[w] == '\'' || cmd[w] == '"'))
				q = cmd[w];
			else if (!q && cmd[w] == '\\' && cmd[w + 1])
				w++;
		}
		i = w;
	}
	if (!cmd[i] || (cmd[i] == ':' &&
			     (!cmd[i + 1] || isblank((unsigned char)cmd[i + 1]))))
		return -1;
	return i;
}

/* The line the shell is given for cmd (malloc'd). */
static char *shell_line(const char *cmd)
{
	long at = exec_at(cmd);
	size_t n = strlen(cmd);
	char *line = malloc(n + 6);

	if (!line)
		return NULL;
	if (at < 0) {
		memcpy(line, cmd, n + 1);
	} else {
		memcpy(line, cmd, (size_t)at);
		memcpy(line + at, "exec ", 5);
		memcpy(line + at + 5, cmd + at, n - (size_t)at + 1);
	}
	return line;
}

/* The regular files the commands write their output and errors to. */
static char out_path[] = "/tmp/timeit-out-XXXXXX";
static char err_path[] = "/tmp/timeit-err-XXXXXX";

static void remove_outputs(void)
{
	unlink(out_path);
	unlink(err_path);
}

/* Runs `sh -c cmd` with its output to the regular files above; returns its
 * wall time in microseconds, or -1 when it could not be started. */
static long long run(const char *cmd)
{
	posix_spawn_file_actions_t fa;
	char *line = shell_line(cmd);
	char *argv[] = {"sh", "-c", line, NULL};
	long long t0, t1;
	pid_t pid;
	int st, rc;

	if (!line)
		return -1;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_TRUNC,
					 0);
	posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_TRUNC,
					 0);
	t0 = now_us();
	rc = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
	if (rc == 0)
		while (waitpid(pid, &st, 0) < 0)
			;
	t1 = now_us();
	posix_spawn_file_actions_destroy(&fa);
	free(line);
	return rc == 0 ? t1 - t0 : -1;
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static long long median(long long *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	long long *t, *r, *f, mt, mr, mf;
	int runs;

	if (argc == 3 && strcmp(argv[1], "--line") == 0) {
		char *line = shell_line(argv[2]);

		if (!line)
			return 1;
		printf("%s\n", line); /* what the shell runs: for bench/run.sh */
		free(line);
		return 0;
	}
	if (argc != 5 || (runs = atoi(argv[1])) < 1 || runs > 1000) {
		fprintf(stderr, "usage: timeit RUNS PREPARE TOOL REFERENCE\n"
				"       timeit --line CMD\n");
		return 2;
	}
	{
		int fo = mkstemp(out_path), fe = fo < 0 ? -1 : mkstemp(err_path);

		if (fo < 0 || fe < 0) {
			perror("timeit: mkstemp");
			return 1;
		}
		close(fo);
		close(fe);
		atexit(remove_outputs);
	}
	t = calloc((size_t)runs, sizeof(*t));
	r = calloc((size_t)runs, sizeof(*r));
	f = calloc((size_t)runs, sizeof(*f));
	if (!t || !r || !f)
		return 1;
	/* warm up: the page cache, and the first run of each */
	if (*argv[2])
		run(argv[2]);
	run(argv[3]);
	run(argv[4]);
	for (int i = 0; i < runs; i++) {
		if (*argv[2])
			run(argv[2]);
		t[i] = run(argv[3]);
		r[i] = run(argv[4]);
		f[i] = run(":");
		if (t[i] < 0 || r[i] < 0 || f[i] < 0) {
			perror("timeit: /bin/sh");
			return 1;
		}
	}
	mt = median(t, runs);
	mr = median(r, runs);
	mf = median(f, runs);
	printf("%lld %lld %lld\n", mt > mf ? mt - mf : 0, mr > mf ? mr - mf : 0,
	       mf);
	free(t);
	free(r);
	free(f);
	return 0;
}
