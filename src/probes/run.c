/*
 * run.c — running a vendor tool or ssh: fork/exec with a pipe, a deadline
 * after which the whole process group is killed, and a cap on what is kept
 * of its output (the rest is read and dropped, so the child never blocks).
 */
#define _GNU_SOURCE /* pipe2 */
#include "probes.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void hw_cmd_result_free(hw_cmd_result *r)
{
	hw_buf_free(&r->out);
}

/* Implements: FR-PROBE-004 */
int hw_run(hw_cmd_result *r, char *const argv[], double timeout_s,
	   size_t max_out)
{
	int fds[2], status = 0;
	pid_t pid;
	double deadline = now_s() + timeout_s;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	hw_buf_init(&r->out, max_out + 1);
	/* close-on-exec: a child forked by another thread at the same time
	 * must not inherit this pipe and hold it open */
	if (pipe2(fds, O_CLOEXEC) != 0)
		return hw_error_set(HW_EIO, NULL, 0, 0, "pipe: %s",
				    strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return hw_error_set(HW_EIO, NULL, 0, 0, "fork: %s",
				    strerror(errno));
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);

		setpgid(0, 0);
		dup2(fds[1], 1);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 2);
		}
		close(fds[0]);
		close(fds[1]);
	/* hwledger-sast-ignore FF1043: argv built by hwledger, no shell */
		execvp(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	close(fds[1]);
	for (;;) {
		struct pollfd pf = {fds[0], POLLIN, 0};
		double left = deadline - now_s();
		char chunk[65536];
		ssize_t n;
		int rc;

		if (left <= 0) {
			r->timed_out = 1;
			break;
		}
		rc = poll(&pf, 1, (int)(left * 1000) + 1);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			continue;
		n = read(fds[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (r->out.len + (size_t)n > max_out) {
			size_t room = max_out - r->out.len;

			hw_buf_append(&r->out, chunk, room);
			r->truncated = 1;
		} else {
			hw_buf_append(&r->out, chunk, (size_t)n);
		}
	}
	close(fds[0]);
	if (r->timed_out)
		kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!r->timed_out && WIFEXITED(status)) {
		r->status = WEXITSTATUS(status);
		r->not_found = r->status == 127 && r->out.len == 0;
	}
	if (!r->out.data)
		hw_buf_append(&r->out, "", 0);
	return HW_OK;
}
