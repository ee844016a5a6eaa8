// SPDX-License-Identifier: GPL-2.0-or-later
/* The responder's privilege drop: nobody, no capabilities, no_new_privs,
 * seccomp. */
#include <errno.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"
#include "sandbox_filter.h"

/*
 * DOC: Theory of operation, in stage order
 *
 * 1. The hook forks and execs the responder as root in the pod's network
 *    namespace; it reads its record and opens one AF_PACKET socket per
 *    bridge (that needs CAP_NET_RAW), its log file and its lease note.
 * 2. sandbox_enter(): supplementary groups dropped, gid and uid set to
 *    nobody (65534), which clears every capability; PR_SET_NO_NEW_PRIVS;
 *    then a seccomp allow-list of exactly the calls the packet loop makes
 *    (sandbox_calls.h). Anything else kills the process. The BPF program
 *    is made from that list by libseccomp at build time
 *    (tools/gen_seccomp_bpf.c): the responder loads it with seccomp(2)
 *    and needs no libseccomp of its own.
 * 3. The packet loop: poll, recvfrom/recvmmsg, sendto/sendmmsg on sockets
 *    already open,
 *    write to the log, lseek and write to rewrite its lease note; no file
 *    is opened and no memory allocated there.
 */

#define SANDBOX_NOBODY 65534

static int load_seccomp(void)
{
	struct sock_fprog prog = {
		.len = sandbox_filter_len,
		.filter = (struct sock_filter *)sandbox_filter,
	};

	if (sandbox_filter_len == 0) {
		/* NOSECCOMP=1 (callgrind builds only): say so in the log. */
		log_line("no seccomp filter: built with NOSECCOMP=1");
		return 0;
	}
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
		return 0;
	/* Before Linux 3.17, the same through prctl (as libseccomp does). */
	if (errno == ENOSYS &&
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0)
		return 0;
	return -errno;
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
