// SPDX-License-Identifier: GPL-2.0-or-later
/* The system calls the responder's packet loop may make: the one list that
 * tools/gen_seccomp_bpf.c turns into the seccomp program at build time and
 * tests/unit/test_sandbox_filter.c checks it against. Anything else kills
 * the process. X(name) is one call, by its name in <sys/syscall.h>. */
#ifndef PODNET_SANDBOX_CALLS_H
#define PODNET_SANDBOX_CALLS_H

/* The packet loop's calls; each is named next to where it is made. */
#define SANDBOX_CALLS(X)                                                       \
	X(read)                                                                \
	X(write)                                                               \
	X(close)                                                               \
	X(poll)                                                                \
	X(ppoll)                                                               \
	X(recvfrom)                                                            \
	X(sendto)                                                              \
	/* The DHCP socket's frames in and replies out, a batch per call       \
	 * (pkt_batch.c): same sockets, same data as recvfrom/sendto. */       \
	X(recvmmsg)                                                            \
	X(sendmmsg)                                                            \
	X(getsockopt)                                                          \
	X(getsockname)                                                         \
	X(clock_gettime)                                                       \
	X(exit)                                                                \
	X(exit_group)                                                          \
	X(rt_sigreturn)                                                        \
	X(restart_syscall)                                                     \
	X(getpid)                                                              \
	/* The lease note: one slot rewritten in place (lease_note.c). */      \
	X(lseek)

/* ASan's own bookkeeping and its report at exit (SAN=1 test builds only). */
#define SANDBOX_SANITIZER_CALLS(X)                                             \
	X(mmap)                                                                \
	X(munmap)                                                              \
	X(madvise)                                                             \
	X(mprotect)                                                            \
	X(sigaltstack)                                                         \
	X(rt_sigaction)                                                        \
	X(rt_sigprocmask)                                                      \
	X(futex)                                                               \
	X(sched_yield)                                                         \
	X(openat)                                                              \
	X(readlink)                                                            \
	X(prctl)                                                               \
	X(gettid)                                                              \
	X(tgkill)                                                              \
	X(getppid)                                                             \
	X(fstat)                                                               \
	X(newfstatat)                                                          \
	X(brk)                                                                 \
	X(clone)                                                               \
	X(wait4)                                                               \
	X(ptrace)                                                              \
	X(pipe2)                                                               \
	X(getrlimit)                                                           \
	X(prlimit64)                                                           \
	X(uname)                                                               \
	X(getrusage)

#endif
