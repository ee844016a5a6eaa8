// SPDX-License-Identifier: GPL-2.0-or-later
/* Exec-to-ready of the responder for `make bench`: the time from the
 * responder's execve() to its "ready PID" line on the ready pipe (fd 3). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * Usage: exec_ready ROUNDS RESPONDER UUID
 * Run inside the pod's namespace, with PODNET_STATE_DIR set to a folder
 * that holds a prepared domain's record (and no responder of it running).
 * Each round forks a child that sets the descriptors up as responder_proc.c
 * does (fds 0-2 on /dev/null, the ready pipe on fd 3), notes the clock in a
 * shared page right before execve(RESPONDER --responder UUID), and the
 * parent takes the clock when the line ends; then the responder is stopped
 * with SIGTERM and reaped. Prints one JSON object on stdout.
 */

#define EXEC_READY_MAX_ROUNDS 1000
#define EXEC_READY_TIMEOUT_MS 5000

static double now_ms(void)
{
	struct timespec t;

	(void)clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void child(int wfd, volatile double *t_exec, const char *responder,
		  const char *uuid)
{
	char *argv[] = {"podnet-responder", "--responder", (char *)uuid, NULL};
	char *envp[3] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL, NULL};
	char state_env[512];
	const char *v = getenv("PODNET_STATE_DIR");
	int null = open("/dev/null", O_RDWR);

	if (v && snprintf(state_env, sizeof(state_env), "PODNET_STATE_DIR=%s",
			  v) < (int)sizeof(state_env))
		envp[1] = state_env;
	(void)setsid();
	wfd = fcntl(wfd, F_DUPFD, 10);
	if (null < 0 || wfd < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
	    dup2(null, 2) < 0 || dup2(wfd, 3) < 0)
		_exit(127);
	(void)close_range(4, ~0u, 0);
	*t_exec = now_ms();
	execve(responder, argv, envp);
	(void)!write(3, "error exec\n", 11);
	_exit(127);
}

/* Reads the ready line (bounded); returns its length or -1. */
static int read_line(int fd, char *buf, size_t cap)
{
	size_t len = 0;

	while (len + 1 < cap) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (poll(&p, 1, EXEC_READY_TIMEOUT_MS) <= 0)
			return -1;
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (memchr(buf, '\n', len))
			break;
	}
	buf[len] = '\0';
	return (int)len;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	static double ms[EXEC_READY_MAX_ROUNDS];
	char line[256] = "", last_bad[256] = "";
	volatile double *t_exec;
	int rounds, n = 0, bad = 0;

	if (argc != 4 || (rounds = atoi(argv[1])) < 1 ||
	    rounds > EXEC_READY_MAX_ROUNDS) {
		fprintf(stderr, "usage: exec_ready ROUNDS RESPONDER UUID\n");
		return 2;
	}
	t_exec = mmap(NULL, sizeof(double), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (t_exec == MAP_FAILED)
		return 1;
	for (int r = 0; r < rounds; r++) {
		int fds[2], status;
		double t1;
		pid_t pid;

		if (pipe2(fds, O_CLOEXEC) < 0)
			return 1;
		*t_exec = 0;
		pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0)
			child(fds[1], t_exec, argv[2], argv[3]);
		(void)close(fds[1]);
		if (read_line(fds[0], line, sizeof(line)) > 0 &&
		    strncmp(line, "ready", 5) == 0 && *t_exec > 0) {
			t1 = now_ms();
			ms[n++] = t1 - *t_exec;
		} else {
			bad++;
			(void)snprintf(last_bad, sizeof(last_bad), "%s", line);
		}
		(void)close(fds[0]);
		(void)kill(pid, SIGTERM);
		(void)waitpid(pid, &status, 0);
	}
	qsort(ms, (size_t)n, sizeof(ms[0]), cmp_double);
	last_bad[strcspn(last_bad, "\n\"\\")] = '\0';
	printf("{\"n\": %d, \"bad\": %d, \"last_bad\": \"%s\", \"ms\": [", n,
	       bad, last_bad);
	for (int i = 0; i < n; i++)
		printf("%s%.4f", i ? ", " : "", ms[i]);
	printf("]}\n");
	return 0;
}
