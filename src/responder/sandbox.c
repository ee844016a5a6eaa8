// SPDX-License-Identifier: GPL-2.0-or-later
/* The responder's privilege drop: nobody, no capabilities, no_new_privs,
 * seccomp. */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox.h"
#include "util.h"

/*
 * DOC: Theory of operation, in stage order
 *
 * 1. The hook forks and execs the responder as root in the pod's network
 *    namespace; it reads its record and opens one AF_PACKET socket per
 *    bridge (that needs CAP_NET_RAW), its log file and its lease note.
 * 2. sandbox_enter(): supplementary groups dropped, gid and uid set to
 *    nobody (65534), which clears every capability; PR_SET_NO_NEW_PRIVS;
 *    then a seccomp allow-list of exactly the calls the packet loop makes.
 *    Anything else kills the process.
 * 3. The packet loop: poll, recvfrom/recvmmsg, sendto/sendmmsg on sockets
 *    already open, write to the log, lseek and write to rewrite its lease
 *    note; no file is opened and no memory allocated there.
 */

#define SANDBOX_NOBODY 65534

/* The packet loop's calls; each is named next to where it is made. */
static const int sandbox_allowed[] = {
	SCMP_SYS(read),
	SCMP_SYS(write),
	SCMP_SYS(close),
	SCMP_SYS(poll),
	SCMP_SYS(ppoll),
	SCMP_SYS(recvfrom),
	SCMP_SYS(sendto),
	/*
	 * The DHCP socket's frames in and replies out, a batch per call
	 * (pkt_batch.c): a pipelining guest costs two calls per batch, not
	 * two per packet. Same sockets, same data as recvfrom/sendto.
	 */
	SCMP_SYS(recvmmsg),
	SCMP_SYS(sendmmsg),
	SCMP_SYS(getsockopt),
	SCMP_SYS(getsockname),
	SCMP_SYS(clock_gettime),
	SCMP_SYS(exit),
	SCMP_SYS(exit_group),
	SCMP_SYS(rt_sigreturn),
	SCMP_SYS(restart_syscall),
	SCMP_SYS(getpid),
	/* The lease note: one slot rewritten in place (lease_note.c). */
	SCMP_SYS(lseek),
#if defined(__SANITIZE_ADDRESS__)
	/* ASan's own bookkeeping and its report at exit (test builds). */
	SCMP_SYS(mmap),
	SCMP_SYS(munmap),
	SCMP_SYS(madvise),
	SCMP_SYS(mprotect),
	SCMP_SYS(sigaltstack),
	SCMP_SYS(rt_sigaction),
	SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(futex),
	SCMP_SYS(sched_yield),
	SCMP_SYS(openat),
	SCMP_SYS(readlink),
	SCMP_SYS(prctl),
	SCMP_SYS(gettid),
	SCMP_SYS(tgkill),
	SCMP_SYS(getppid),
	SCMP_SYS(fstat),
	SCMP_SYS(newfstatat),
	SCMP_SYS(brk),
	SCMP_SYS(clone),
	SCMP_SYS(wait4),
	SCMP_SYS(ptrace),
	SCMP_SYS(pipe2),
	SCMP_SYS(getrlimit),
	SCMP_SYS(prlimit64),
	SCMP_SYS(uname),
	SCMP_SYS(getrusage),
#endif
};

static int load_seccomp(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int rc = 0;

	if (!ctx)
		return -ENOMEM;
	for (size_t i = 0; i < ARRAY_SIZE(sandbox_allowed) && rc == 0; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, sandbox_allowed[i],
				      0);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	return rc;
}

/**
 * sandbox_enter() - Drop every privilege the packet loop does not need
 *
 * Return: 0, or a negative errno (the responder must then not start)
 */
int sandbox_enter(void)
{
	if (setgroups(0, NULL) < 0 ||
	    setresgid(SANDBOX_NOBODY, SANDBOX_NOBODY, SANDBOX_NOBODY) < 0 ||
	    setresuid(SANDBOX_NOBODY, SANDBOX_NOBODY, SANDBOX_NOBODY) < 0)
		return -errno;
	/* setresuid from root to non-root cleared the permitted set too. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	return load_seccomp();
}
