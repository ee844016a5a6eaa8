// SPDX-License-Identifier: GPL-2.0-or-later
/* read_file.c: a whole file or a failure, never a part taken for the whole. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "read_all.h"
#include "read_file.h"
#include "test.h"

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	CHECK(fd >= 0);
	CHECK_EQ_INT(write(fd, text, strlen(text)), (long long)strlen(text));
	CHECK_EQ_INT(close(fd), 0);
}

static void fits_exactly_or_is_refused(void)
{
	char dir[] = "/tmp/podnet-test-read-XXXXXX", path[64], buf[6];
	size_t len = 99;

	CHECK(mkdtemp(dir) != NULL);
	(void)snprintf(path, sizeof(path), "%s/f", dir);
	write_file(path, "12345");
	CHECK_EQ_INT(read_file(path, 0, buf, sizeof(buf), &len), 0);
	CHECK_EQ_INT(len, 5);
	CHECK_EQ_STR(buf, "12345");
	write_file(path, "123456");
	CHECK_EQ_INT(read_file(path, 0, buf, sizeof(buf), &len), -EFBIG);
	write_file(path, "");
	CHECK_EQ_INT(read_file(path, 0, buf, sizeof(buf), &len), 0);
	CHECK_EQ_INT(len, 0);
	CHECK_EQ_STR(buf, "");
	CHECK_EQ_INT(unlink(path), 0);
	CHECK_EQ_INT(read_file(path, 0, buf, sizeof(buf), &len), -ENOENT);
	CHECK_EQ_INT(rmdir(dir), 0);
}

/* A read error (here: a folder) is reported, not taken for end of file. */
static void read_error_is_no_end(void)
{
	char buf[16];
	size_t len;

	CHECK_EQ_INT(read_file("/", 0, buf, sizeof(buf), &len), -EISDIR);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A signal during the read (no SA_RESTART) does not cut the file short. */
static void interrupted_read_is_retried(void)
{
	struct sigaction sa = {.sa_handler = on_alarm}, old;
	struct itimerval t = {.it_value.tv_usec = 20000,
			      .it_interval.tv_usec = 20000};
	const struct itimerval off = {0};
	char buf[16];
	size_t len = 0;
	int p[2], rc;
	pid_t child;

	CHECK_EQ_INT(pipe(p), 0);
	child = fork();
	if (child == 0) {
		(void)close(p[0]);
		usleep(150000); /* several alarms reach the reader meanwhile */
		_exit(write(p[1], "late", 4) == 4 ? 0 : 1);
	}
	(void)close(p[1]);
	CHECK_EQ_INT(sigaction(SIGALRM, &sa, &old), 0);
	CHECK_EQ_INT(setitimer(ITIMER_REAL, &t, NULL), 0);
	rc = read_fd(p[0], buf, sizeof(buf), &len);
	(void)setitimer(ITIMER_REAL, &off, NULL);
	(void)sigaction(SIGALRM, &old, NULL);
	CHECK_EQ_INT(rc, 0);
	CHECK_EQ_INT(len, 4);
	CHECK_EQ_STR(buf, "late");
	(void)close(p[0]);
	CHECK_EQ_INT(waitpid(child, &rc, 0), child);
	CHECK(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
}

/* The domain XML: up to READ_ALL_MAX - 1 bytes, and not one more. */
static void read_all_bound(void)
{
	char path[] = "/tmp/podnet-test-read-all-XXXXXX";
	int fd = mkstemp(path);
	size_t len = 0;
	char *xml;

	CHECK(fd >= 0);
	CHECK_EQ_INT(ftruncate(fd, (off_t)READ_ALL_MAX - 1), 0);
	xml = read_all(fd, &len);
	CHECK(xml != NULL);
	CHECK_EQ_INT(len, READ_ALL_MAX - 1);
	free(xml);
	CHECK_EQ_INT(ftruncate(fd, (off_t)READ_ALL_MAX), 0);
	CHECK_EQ_INT(lseek(fd, 0, SEEK_SET), 0);
	errno = 0;
	CHECK(read_all(fd, &len) == NULL);
	CHECK_EQ_INT(errno, EFBIG);
	CHECK_EQ_INT(close(fd), 0);
	CHECK_EQ_INT(unlink(path), 0);
}

int main(void)
{
	RUN(fits_exactly_or_is_refused);
	RUN(read_error_is_no_end);
	RUN(interrupted_read_is_retried);
	RUN(read_all_bound);
	return TEST_SUMMARY();
}
