// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit test of the responder's seccomp program (made at build time by
 * tools/gen_seccomp_bpf.c): the same bytes that libseccomp makes at run time
 * from sandbox_calls.h, as the responder did when it linked libseccomp; and
 * loaded in a child, it lets the listed calls through and kills the process
 * on any other. */
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox_calls.h"
#include "sandbox_filter.h"
#include "test.h"

#define ADD(name) SCMP_SYS(name),

static const int calls[] = {SANDBOX_CALLS(ADD)};
#if defined(__SANITIZE_ADDRESS__)
static const int san_calls[] = {SANDBOX_SANITIZER_CALLS(ADD)};
#endif

/* The program libseccomp makes now, in @buf; its length in bytes. */
static long libseccomp_program(unsigned char *buf, size_t cap)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	long len = -1;
	int rc = 0;
	FILE *f;

	if (!ctx)
		return -1;
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]) && !rc; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, calls[i], 0);
#if defined(__SANITIZE_ADDRESS__)
	for (size_t i = 0; i < sizeof(san_calls) / sizeof(san_calls[0]) && !rc;
	     i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, san_calls[i], 0);
#endif
	f = tmpfile();
	if (rc == 0 && f && seccomp_export_bpf(ctx, fileno(f)) == 0 &&
	    fseek(f, 0, SEEK_SET) == 0)
		len = (long)fread(buf, 1, cap, f);
	if (f)
		(void)fclose(f);
	seccomp_release(ctx);
	return len;
}

static void same_as_libseccomp_at_run_time(void)
{
	static unsigned char want[65536];
	long len = libseccomp_program(want, sizeof(want));

	CHECK(len > 0);
	CHECK_EQ_INT(sandbox_filter_len * sizeof(struct sock_filter), len);
	if (len > 0 &&
	    (size_t)len == sandbox_filter_len * sizeof(sandbox_filter[0]))
		CHECK(memcmp(sandbox_filter, want, (size_t)len) == 0);
}

/* In a child: load the program, report on @fd that a listed call ran, then
 * make @nr; returns how the child ended. */
static int child_status(long nr)
{
	struct sock_fprog prog = {
		.len = sandbox_filter_len,
		.filter = (struct sock_filter *)sandbox_filter,
	};
	int p[2], status = 0;
	char c = 0;
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		(void)close(p[0]);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
			_exit(100);
		/* Listed: getpid, write. */
		c = getpid() > 0 ? 'y' : 'n';
		(void)!write(p[1], &c, 1);
		(void)syscall(nr, 0, 0, 0);
		_exit(0);
	}
	(void)close(p[1]);
	if (read(p[0], &c, 1) != 1)
		c = 0;
	(void)close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	CHECK_EQ_INT(c, 'y');
	return status;
}

static void kills_an_unlisted_call(void)
{
	static const long unlisted[] = {SYS_getuid, SYS_socket, SYS_execve,
					SYS_kill,
					4000 /* no call has this number */};
	int status;

	CHECK(sandbox_filter_len > 0);
	for (size_t i = 0; i < sizeof(unlisted) / sizeof(unlisted[0]); i++) {
		status = child_status(unlisted[i]);
		CHECK(WIFSIGNALED(status));
		CHECK_EQ_INT(WIFSIGNALED(status) ? WTERMSIG(status) : -1,
			     SIGSYS);
	}
}

static void lets_a_listed_call_through(void)
{
	int status = child_status(SYS_getpid);

	CHECK(WIFEXITED(status));
	CHECK_EQ_INT(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
}

int main(void)
{
	RUN(same_as_libseccomp_at_run_time);
	RUN(kills_an_unlisted_call);
	RUN(lets_a_listed_call_through);
	return TEST_SUMMARY();
}
