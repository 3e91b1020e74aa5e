/*
 * proc.c — running a program (a vendor tool, ssh, a check of the report):
 * posix_spawn with pipes for stdout and stderr (in a process group of its
 * own), a deadline after which the whole group is killed, and a cap on
 * what is kept of each stream (the rest is read and dropped, so the child
 * never blocks).
 */
/* hwledger-sast-ignore *: glibc's feature macro, for pipe2 */
#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

double hw_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void hw_cmd_result_free(hw_cmd_result *r)
{
	hw_buf_free(&r->out);
	hw_buf_free(&r->err);
}

/* Appends what fits under the cap; the rest is dropped and noted. */
static void keep(hw_buf *b, const char *p, size_t n, size_t max, int *trunc)
{
	if (b->len + n > max) {
		hw_buf_append(b, p, max - b->len);
		*trunc = 1;
	} else {
		hw_buf_append(b, p, n);
	}
}

/*
 * Starts argv (looked up in PATH) in a process group of its own, stdin
 * /dev/null, stdout and stderr the given pipe ends: 0 or an error number
 * (ENOENT: no such program).
 */
static int spawn(pid_t *pid, char *const argv[], int out, int err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int rc;

	if ((rc = posix_spawn_file_actions_init(&fa)))
		return rc;
	if ((rc = posix_spawnattr_init(&at))) {
		posix_spawn_file_actions_destroy(&fa);
		return rc;
	}
	if (!(rc = posix_spawn_file_actions_adddup2(&fa, out, 1)) &&
	    !(rc = posix_spawn_file_actions_adddup2(&fa, err, 2)) &&
	    !(rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
						    O_RDWR, 0)) &&
	    !(rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP)) &&
	    !(rc = posix_spawnattr_setpgroup(&at, 0)))
	/* hwledger-sast-ignore FF1043: argv built by hwledger, no shell */
		rc = posix_spawnp(pid, argv[0], &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

/* Implements: FR-PROBE-004 */
int hw_run(hw_cmd_result *r, char *const argv[], double timeout_s,
	   size_t max_out)
{
	int fds[2], efds[2], status = 0, open_fds = 2, rc;
	pid_t pid;
	double deadline = hw_now_s() + timeout_s;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	hw_buf_init(&r->out, max_out + 1);
	hw_buf_init(&r->err, max_out + 1);
	/* close-on-exec: a child forked by another thread at the same time
	 * must not inherit these pipes and hold them open */
	if (pipe2(fds, O_CLOEXEC) != 0)
		return hw_error_set(HW_EIO, NULL, 0, 0, "pipe: %s",
				    strerror(errno));
	if (pipe2(efds, O_CLOEXEC) != 0) {
		close(fds[0]);
		close(fds[1]);
		return hw_error_set(HW_EIO, NULL, 0, 0, "pipe: %s",
				    strerror(errno));
	}
	/* posix_spawn, not fork: glibc's shares the address space until the
	 * exec (no copy of this process's page tables, no copy-on-write
	 * faults in a child that only execs), which is most of a remote
	 * probe's local cost when many hosts are probed at once */
	if ((rc = spawn(&pid, argv, fds[1], efds[1])) != 0) {
		close(fds[0]);
		close(fds[1]);
		close(efds[0]);
		close(efds[1]);
		if (rc != ENOENT && rc != EACCES && rc != ENOTDIR)
			return hw_error_set(HW_EIO, NULL, 0, 0,
					    "cannot start %s: %s", argv[0],
					    strerror(rc));
		/* as a child that could not exec: status 127, no output */
		r->status = 127;
		r->not_found = 1;
		hw_buf_append(&r->out, "", 0);
		hw_buf_append(&r->err, "", 0);
		return HW_OK;
	}
	close(fds[1]);
	close(efds[1]);
	while (open_fds) {
		struct pollfd pf[2] = {{fds[0], POLLIN, 0}, {efds[0], POLLIN, 0}};
		double left = deadline - hw_now_s();
		char chunk[65536];

		if (left <= 0) {
			r->timed_out = 1;
			break;
		}
		rc = poll(pf, 2, (int)(left * 1000) + 1);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			continue;
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP |
								POLLERR)))
				continue;
			n = read(pf[i].fd, chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				/* this stream ended: stop polling it */
				if (i == 0)
					fds[0] = -fds[0] - 1;
				else
					efds[0] = -efds[0] - 1;
				open_fds--;
				continue;
			}
			keep(i ? &r->err : &r->out, chunk, (size_t)n, max_out,
			     &r->truncated);
		}
	}
	close(fds[0] < 0 ? -fds[0] - 1 : fds[0]);
	close(efds[0] < 0 ? -efds[0] - 1 : efds[0]);
	if (r->timed_out)
		kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!r->timed_out && WIFEXITED(status)) {
		r->status = WEXITSTATUS(status);
		r->not_found = r->status == 127 && r->out.len == 0;
	}
	if (!r->timed_out && WIFSIGNALED(status))
		r->signal = WTERMSIG(status);
	if (!r->out.data)
		hw_buf_append(&r->out, "", 0);
	if (!r->err.data)
		hw_buf_append(&r->err, "", 0);
	return HW_OK;
}

