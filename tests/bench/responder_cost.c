// SPDX-License-Identifier: GPL-2.0-or-later
/* What one podnet-responder costs: exec-to-ready time and memory.
 *
 *   responder_cost RESPONDER UUID ROUNDS PODS
 *
 * Run in the pod's network namespace with PODNET_STATE_DIR set, once the
 * domain's record and bridge exist and its own responder is stopped
 * (tests/bench/responder_cost.sh does all that). ROUNDS times: fork, exec
 * RESPONDER as responder_proc_start() does (fds 0-2 /dev/null, the ready
 * pipe on fd 3), time until the "ready" line, stop it. Then PODS responders at
 * once, all idle, and the mean of their /proc/PID/smaps_rollup: what one more
 * pod costs with that many running. Prints one "key value" line per
 * figure; measures, asserts nothing. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PODS 1000

static char state_env[600];

static double now_ms(void)
{
	struct timespec t;

	(void)clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Starts @exe; its pid, and in @ret_ms the time from fork to "ready". */
static pid_t start(const char *exe, const char *uuid, double *ret_ms)
{
	char *argv[] = {"podnet-responder", "--responder", (char *)uuid, NULL};
	char *envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", state_env, NULL};
	char line[128];
	size_t len = 0;
	int p[2];
	double t0;
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	t0 = now_ms();
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
		    dup2(null, 2) < 0 || dup2(p[1], 3) < 0)
			_exit(127);
		(void)close_range(4, ~0u, 0);
		execve(exe, argv, envp);
		_exit(127);
	}
	(void)close(p[1]);
	while (len + 1 < sizeof(line)) {
		ssize_t n = read(p[0], line + len, sizeof(line) - 1 - len);

		if (n <= 0)
			break;
		len += (size_t)n;
		if (memchr(line, '\n', len))
			break;
	}
	*ret_ms = now_ms() - t0;
	(void)close(p[0]);
	line[len] = '\0';
	if (pid > 0 && strncmp(line, "ready ", 6) != 0) {
		fprintf(stderr, "responder_cost: not ready: '%s'\n", line);
		(void)kill(pid, SIGKILL);
		(void)waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

static void stop(pid_t pid)
{
	(void)kill(pid, SIGTERM);
	(void)waitpid(pid, NULL, 0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Adds the smaps_rollup fields of @pid (kB) to @sum. */
static void add_rollup(pid_t pid, long sum[5])
{
	static const char *const keys[5] = {"Rss:", "Pss:", "Private_Clean:",
					    "Private_Dirty:", "Pss_Anon:"};
	char path[64], line[256];
	FILE *f;

	(void)snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		for (int k = 0; k < 5; k++)
			if (strncmp(line, keys[k], strlen(keys[k])) == 0)
				sum[k] += strtol(line + strlen(keys[k]), NULL,
						 10);
	(void)fclose(f);
}

/* Each mapping of @pid with private memory: where a responder's own kB go. */
static void print_private(pid_t pid)
{
	char path[64], line[512], name[512] = "";
	unsigned long lo, hi;
	long priv = 0, v;
	FILE *f;

	(void)snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
			(void)snprintf(name, sizeof(name), "%s", line);
			priv = 0;
		} else if (sscanf(line, "Private_Clean: %ld", &v) == 1 ||
			   sscanf(line, "Private_Dirty: %ld", &v) == 1) {
			priv += v;
		} else if (strncmp(line, "VmFlags:", 8) == 0 && priv) {
			printf("private_kb %ld %s", priv, name);
		}
	}
	(void)fclose(f);
}

int main(int argc, char **argv)
{
	static pid_t pids[MAX_PODS];
	static double ms[MAX_PODS];
	const char *dir = getenv("PODNET_STATE_DIR");
	long sum[5] = {0};
	int rounds, pods, n = 0;

	if (argc != 5 || !dir) {
		fprintf(stderr, "usage: PODNET_STATE_DIR=DIR responder_cost "
				"RESPONDER UUID ROUNDS PODS\n");
		return 2;
	}
	(void)snprintf(state_env, sizeof(state_env), "PODNET_STATE_DIR=%s",
		       dir);
	rounds = atoi(argv[3]);
	pods = atoi(argv[4]);
	if (rounds < 1 || rounds > MAX_PODS || pods < 1 || pods > MAX_PODS)
		return 2;
	for (int i = 0; i < rounds; i++) {
		pid_t pid = start(argv[1], argv[2], &ms[n]);

		if (pid < 0)
			return 1;
		n++;
		stop(pid);
	}
	qsort(ms, (size_t)n, sizeof(ms[0]), cmp_double);
	printf("exec_to_ready_ms_median %.3f\n", ms[n / 2]);
	printf("exec_to_ready_ms_min %.3f\n", ms[0]);
	printf("exec_to_ready_ms_p90 %.3f\n", ms[n * 9 / 10]);
	for (n = 0; n < pods; n++) {
		double t;

		pids[n] = start(argv[1], argv[2], &t);
		if (pids[n] < 0)
			break;
	}
	/* Idle: let each settle into its poll(). */
	(void)usleep(200 * 1000);
	for (int i = 0; i < n; i++)
		add_rollup(pids[i], sum);
	if (n > 0 && getenv("RESPONDER_COST_SMAPS"))
		print_private(pids[0]);
	printf("pods %d\n", n);
	printf("rss_kb_mean %.1f\n", (double)sum[0] / n);
	printf("pss_kb_mean %.1f\n", (double)sum[1] / n);
	printf("private_kb_mean %.1f\n", (double)(sum[2] + sum[3]) / n);
	printf("pss_anon_kb_mean %.1f\n", (double)sum[4] / n);
	for (int i = 0; i < n; i++)
		stop(pids[i]);
	return n == pods ? 0 : 1;
}
