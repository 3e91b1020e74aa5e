/*
 * ssh_reply.c — the `ssh` of the remote-probe benchmark: a host that
 * answers after FAKE_SSH_DELAY seconds with FAKE_SSH_REPLY, the output the
 * probe script printed once (tests/fakes/bin/ssh with FAKE_SSH_RECORD).
 *
 * A real host does its probe's work itself; what runs here is one ssh
 * client per host. The shell fake runs the remote script here as well, a
 * dozen processes per host, so 50 hosts timed this machine's process
 * starts (~10 ms of CPU each on the two-core VM), not the probe's fan-out.
 * Options (`-o X`, `-x`) and the remote command are read and ignored.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	const char *reply = getenv("FAKE_SSH_REPLY");
	const char *delay = getenv("FAKE_SSH_DELAY");
	double s = delay ? strtod(delay, NULL) : 0.2;
	struct timespec ts;
	char buf[65536];
	size_t n;
	FILE *f;
	int i = 1;

	while (i < argc && argv[i][0] == '-')
		i += strcmp(argv[i], "-o") == 0 ? 2 : 1;
	if (i >= argc || !reply || !(f = fopen(reply, "rb"))) {
		fputs("ssh_reply: a host and FAKE_SSH_REPLY are needed\n",
		      stderr);
		return 255;
	}
	if (s > 0) {
		ts.tv_sec = (time_t)s;
		ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			return 255;
	fclose(f);
	return fflush(stdout) == 0 ? 0 : 255;
}
