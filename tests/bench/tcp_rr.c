// SPDX-License-Identifier: GPL-2.0-or-later
/* TCP request/response for `make bench`'s data path (netperf's TCP_RR, which
 * Debian ships only in non-free): one connection, one request of SIZE bytes
 * answered by one response of SIZE bytes, the next request only after the
 * response; transactions/s and the latency of each transaction.
 *
 * Usage: tcp_rr server PORT          (echoes, one connection at a time)
 *        tcp_rr client ADDR PORT SECONDS [SIZE]
 * The client prints one JSON object: transactions, tps, mean_us, p50_us,
 * p99_us, max_us, and cpu_us: its own CPU time per transaction (user +
 * system: the kernel's work done in its syscalls and the softirqs they run).
 * SIZE defaults to 1 byte (netperf's default). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TCP_RR_MAX_SIZE 65536
/* Latencies kept for the percentiles; beyond this only the mean counts. */
#define TCP_RR_MAX_SAMPLES (4u << 20)

static unsigned char buf[TCP_RR_MAX_SIZE];

static double now_us(void)
{
	struct timespec t;

	(void)clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* Reads or writes exactly @len bytes; 0, or -1 on error or end of stream. */
static int xfer(int fd, size_t len, int is_write)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = is_write ? write(fd, buf + done, len - done)
				     : read(fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

static void nodelay(int fd)
{
	int one = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* Echoes whatever arrives, in the sizes it arrives, one client at a time. */
static int serve(const char *port)
{
	struct sockaddr_in6 sa = {.sin6_family = AF_INET6,
				  .sin6_port =
					  htons((unsigned short)atoi(port))};
	int one = 1;
	int ls = socket(AF_INET6, SOCK_STREAM, 0);

	if (ls < 0 ||
	    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(ls, 4) < 0) {
		fprintf(stderr, "tcp_rr: cannot listen on port %s: %s\n", port,
			strerror(errno));
		return 1;
	}
	for (;;) {
		int c = accept(ls, NULL, NULL);
		ssize_t n;

		if (c < 0)
			continue;
		nodelay(c);
		while ((n = read(c, buf, sizeof(buf))) > 0)
			if (xfer(c, (size_t)n, 1) < 0)
				break;
		close(c);
	}
}

static double tv_us(const struct timeval *tv)
{
	return (double)tv->tv_sec * 1e6 + (double)tv->tv_usec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int client(const char *addr, const char *port, double seconds,
		  size_t size)
{
	struct sockaddr_in sa = {.sin_family = AF_INET,
				 .sin_port = htons((unsigned short)atoi(port))};
	double *lat = calloc(TCP_RR_MAX_SAMPLES, sizeof(*lat));
	double t0, end, sum = 0, t;
	size_t n = 0, kept;
	struct rusage ru;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (!lat || fd < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "tcp_rr: cannot connect to %s:%s: %s\n", addr,
			port, strerror(errno));
		return 1;
	}
	nodelay(fd);
	t0 = now_us();
	end = t0 + seconds * 1e6;
	for (t = t0; t < end;) {
		double t1;

		if (xfer(fd, size, 1) < 0 || xfer(fd, size, 0) < 0) {
			fprintf(stderr, "tcp_rr: the connection broke\n");
			return 1;
		}
		t1 = now_us();
		if (n < TCP_RR_MAX_SAMPLES)
			lat[n] = t1 - t;
		sum += t1 - t;
		n++;
		t = t1;
	}
	close(fd);
	if (getrusage(RUSAGE_SELF, &ru) < 0)
		memset(&ru, 0, sizeof(ru));
	kept = n < TCP_RR_MAX_SAMPLES ? n : TCP_RR_MAX_SAMPLES;
	if (kept == 0)
		return 1;
	qsort(lat, kept, sizeof(*lat), cmp_double);
	printf("{\"transactions\": %zu, \"tps\": %.1f, \"mean_us\": %.2f, "
	       "\"p50_us\": %.2f, \"p99_us\": %.2f, \"max_us\": %.2f, "
	       "\"cpu_us\": %.3f}\n",
	       n, (double)n / ((t - t0) / 1e6), sum / (double)n, lat[kept / 2],
	       lat[kept * 99 / 100], lat[kept - 1],
	       (tv_us(&ru.ru_utime) + tv_us(&ru.ru_stime)) / (double)n);
	free(lat);
	return 0;
}

int main(int argc, char **argv)
{
	(void)signal(SIGPIPE, SIG_IGN);
	if (argc == 3 && strcmp(argv[1], "server") == 0)
		return serve(argv[2]);
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "client") == 0) {
		size_t size = argc == 6 ? strtoul(argv[5], NULL, 10) : 1;

		if (size == 0 || size > TCP_RR_MAX_SIZE) {
			fprintf(stderr, "tcp_rr: SIZE must be 1..%d\n",
				TCP_RR_MAX_SIZE);
			return 2;
		}
		return client(argv[2], argv[3], atof(argv[4]), size);
	}
	fprintf(stderr, "usage: tcp_rr server PORT | tcp_rr client ADDR PORT "
			"SECONDS [SIZE]\n");
	return 2;
}
