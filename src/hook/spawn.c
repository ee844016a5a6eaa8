// SPDX-License-Identifier: GPL-2.0-or-later
/* Starting, recognising and stopping a domain's responder process. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "errmsg.h"
#include "fault.h"
#include "read_file.h"
#include "responder_exe.h"
#include "responder_lock.h"
#include "spawn.h"
#include "state.h"

/* How long the hook waits for "ready": start-up is bind + privilege drop. */
#define SPAWN_READY_TIMEOUT_MS 10000
/* How long a responder gets to exit on SIGTERM before SIGKILL. */
#define SPAWN_STOP_TIMEOUT_MS 3000

/* The fields of /proc/PID/stat after the command name, in @buf. */
static const char *stat_fields(pid_t pid, char *buf, size_t cap)
{
	char path[64];
	const char *p;
	size_t len;

	(void)snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_file(path, 0, buf, cap, &len) < 0)
		return NULL;
	/* comm may contain spaces and ')': fields restart after the last ')'.
	 */
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p + 2 : NULL;
}

/**
 * spawn_process_start_time() - A process's start time (/proc/PID/stat #22)
 * @pid:	the process
 * @ret_start:	its start time in clock ticks since boot
 *
 * With the pid, this names a process uniquely: a recycled pid has another.
 *
 * Return: 0 or negative errno (-ESRCH if there is no such process)
 */
int spawn_process_start_time(pid_t pid, unsigned long long *ret_start)
{
	char buf[1024];
	const char *f = stat_fields(pid, buf, sizeof(buf));

	if (!f)
		return -ESRCH;
	if (sscanf(f,
		   "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u "
		   "%*d %*d %*d %*d %*d %*d %llu",
		   ret_start) != 1)
		return -EINVAL;
	return 0;
}

/**
 * spawn_process_exited() - Whether @pid has exited but is not reaped yet
 * @pid:	the process
 *
 * Return: true for a zombie (state Z or X)
 */
bool spawn_process_exited(pid_t pid)
{
	char buf[1024];
	const char *f = stat_fields(pid, buf, sizeof(buf));

	return f && (f[0] == 'Z' || f[0] == 'X');
}

/**
 * spawn_is_responder() - Whether @pid is this domain's responder
 * @pid:	recorded pid
 * @start:	recorded start time
 * @uuid:	domain UUID
 *
 * A pid file is never trusted alone: the start time and the command line
 * (READY_PIPE_RESPONDER_ARG UUID) must both match.
 *
 * Return: true if it is
 */
bool spawn_is_responder(pid_t pid, unsigned long long start, const char *uuid)
{
	char path[64], cmd[256];
	unsigned long long now;
	size_t arg_len = strlen(READY_PIPE_RESPONDER_ARG);
	const char *arg;
	size_t n;

	if (pid <= 0 || spawn_process_start_time(pid, &now) < 0 || now != start)
		return false;
	(void)snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	/* A longer command line than fits is no responder's. */
	if (read_file(path, 0, cmd, sizeof(cmd), &n) < 0 || n == 0)
		return false;
	/* argv[0]\0--responder\0UUID\0 */
	arg = memchr(cmd, '\0', n);
	if (!arg || (size_t)(arg + 1 - cmd) + arg_len + 1 >= n)
		return false;
	arg++;
	return strcmp(arg, READY_PIPE_RESPONDER_ARG) == 0 &&
	       strcmp(arg + arg_len + 1, uuid) == 0;
}

static int wait_exit(int pidfd, int timeout_ms)
{
	struct pollfd p = {.fd = pidfd, .events = POLLIN};
	int rc;

	do
		rc = poll(&p, 1, timeout_ms);
	while (rc < 0 && errno == EINTR);
	return rc > 0 ? 0 : -ETIMEDOUT;
}

/* Poll (bounded) until @pid is no longer that responder. */
static int wait_not_responder(pid_t pid, unsigned long long start,
			      const char *uuid, int timeout_ms)
{
	const struct timespec tick = {.tv_nsec = 10L * 1000 * 1000};

	for (int ms = 0; ms < timeout_ms; ms += 10) {
		if (!spawn_is_responder(pid, start, uuid))
			return 0;
		(void)nanosleep(&tick, NULL);
	}
	return spawn_is_responder(pid, start, uuid) ? -ETIMEDOUT : 0;
}

/*
 * No pidfd_open (kernel before 5.3, or a tool such as valgrind that does not
 * know the call): the identity is checked right before each signal, which
 * leaves only the pid's reuse within that instant uncovered.
 */
static int stop_without_pidfd(pid_t pid, unsigned long long start,
			      const char *uuid)
{
	if (!spawn_is_responder(pid, start, uuid))
		return 0;
	if (kill(pid, SIGTERM) < 0)
		return errno == ESRCH ? 0 : -errno;
	if (wait_not_responder(pid, start, uuid, SPAWN_STOP_TIMEOUT_MS) == 0)
		return 0;
	if (spawn_is_responder(pid, start, uuid))
		(void)kill(pid, SIGKILL);
	return wait_not_responder(pid, start, uuid, SPAWN_STOP_TIMEOUT_MS);
}

/**
 * spawn_signal_responder() - Ask the responder to stop, if that is what runs
 * @pid:	recorded pid
 * @start:	recorded start time
 * @uuid:	domain UUID
 * @ret_pidfd:	a pidfd to pass to spawn_wait_responder(), or -1 when there
 *		is nothing left to wait for
 *
 * The pidfd is taken first and the identity checked after, so the signal
 * cannot reach a process that took over a recycled pid in between.
 *
 * Return: 0 or a negative errno
 */
int spawn_signal_responder(pid_t pid, unsigned long long start,
			   const char *uuid, int *ret_pidfd)
{
	int pidfd;

	*ret_pidfd = -1;
	if (pid <= 0)
		return 0;
	pidfd = pidfd_open(pid, 0);
	if (pidfd < 0 && errno == ENOSYS)
		return stop_without_pidfd(pid, start, uuid);
	if (pidfd < 0)
		return errno == ESRCH ? 0 : -errno;
	if (!spawn_is_responder(pid, start, uuid)) {
		(void)close(pidfd);
		return 0;
	}
	if (pidfd_send_signal(pidfd, SIGTERM, NULL, 0) < 0 && errno != ESRCH) {
		int rc = -errno;

		(void)close(pidfd);
		return rc;
	}
	*ret_pidfd = pidfd;
	return 0;
}

/**
 * spawn_wait_responder() - Wait for a signalled responder to be gone
 * @pidfd:	from spawn_signal_responder(), closed here; -1 is a no-op
 *
 * Return: 0, or -ETIMEDOUT if even SIGKILL did not end it in time
 */
int spawn_wait_responder(int pidfd)
{
	int rc = 0;

	if (pidfd < 0)
		return 0;
	if (wait_exit(pidfd, SPAWN_STOP_TIMEOUT_MS) < 0) {
		(void)pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
		rc = wait_exit(pidfd, SPAWN_STOP_TIMEOUT_MS);
	}
	(void)close(pidfd);
	return rc;
}

/* The responder binary's fd in the child until the exec closes it. */
#define SPAWN_EXE_FD (RESPONDER_LOCK_FD + 1)

/* What the child needs, all built before vfork(): it allocates nothing. */
struct spawn_exec {
	char *argv[4];
	char *envp[4];
	char state_env[512], asan_env[512];
	char proc_exe[64];
	int null_fd, exe_fd, ready_fd, lock_fd;
};

static void spawn_exec_init(struct spawn_exec *x, int exe_fd, int ready_fd,
			    int lock_fd, const char *uuid)
{
	const char *v;
	size_t e = 0;

	x->argv[0] = RESPONDER_EXE_NAME;
	x->argv[1] = READY_PIPE_RESPONDER_ARG;
	x->argv[2] = (char *)uuid;
	x->argv[3] = NULL;
	x->envp[e++] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	v = getenv("PODNET_STATE_DIR");
	if (v && snprintf(x->state_env, sizeof(x->state_env),
			  "PODNET_STATE_DIR=%s", v) < (int)sizeof(x->state_env))
		x->envp[e++] = x->state_env;
	v = getenv("ASAN_OPTIONS");
	if (v && snprintf(x->asan_env, sizeof(x->asan_env), "ASAN_OPTIONS=%s",
			  v) < (int)sizeof(x->asan_env))
		x->envp[e++] = x->asan_env;
	x->envp[e] = NULL;
	(void)snprintf(x->proc_exe, sizeof(x->proc_exe), "/proc/self/fd/%d",
		       SPAWN_EXE_FD);
	x->null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	x->exe_fd = exe_fd;
	x->ready_fd = ready_fd;
	x->lock_fd = lock_fd;
}

/*
 * The child of vfork(): a new session, fds 0-2 on /dev/null (libvirt reads
 * the hook's stdout and stderr to EOF, so an inherited one would hang
 * `virsh start`), the ready pipe on fd 3, the lock on fd 4, nothing else;
 * then exec of the checked binary by its fd (responder_exe.c). It shares the
 * hook's memory until the exec, so it writes nothing there but errno and its
 * own stack frames below the hook's.
 */
static void exec_responder(const struct spawn_exec *x)
{
	/* Out of the way first, so that none lands on another's place. */
	int exe_fd = fcntl(x->exe_fd, F_DUPFD_CLOEXEC, 10);
	int ready_fd = fcntl(x->ready_fd, F_DUPFD_CLOEXEC, 10);
	int lock_fd = fcntl(x->lock_fd, F_DUPFD_CLOEXEC, 10);

	if (setsid() < 0 || x->null_fd < 0 || exe_fd < 0 || ready_fd < 0 ||
	    lock_fd < 0 || dup2(x->null_fd, 0) < 0 || dup2(x->null_fd, 1) < 0 ||
	    dup2(x->null_fd, 2) < 0 || dup2(ready_fd, READY_PIPE_FD) < 0 ||
	    dup2(lock_fd, RESPONDER_LOCK_FD) < 0 ||
	    dup3(exe_fd, SPAWN_EXE_FD, O_CLOEXEC) < 0)
		_exit(127);
	/* Everything above the exe's fd; that one the exec closes. */
	(void)close_range(SPAWN_EXE_FD + 1, ~0u, 0);
	(void)syscall(SYS_execveat, SPAWN_EXE_FD, "", x->argv, x->envp,
		      AT_EMPTY_PATH);
	if (errno == ENOSYS) /* Before Linux 3.19: the same file, by /proc. */
		(void)execve(x->proc_exe, x->argv, x->envp);
	ready_pipe_report(READY_PIPE_FD, "cannot execute the responder");
	_exit(127);
}

/* A child that never reported ready: ended and reaped, so no zombie stays. */
static void reap_failed(pid_t child)
{
	(void)kill(child, SIGKILL);
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
}

static int read_ready(int fd, char *buf, size_t cap)
{
	struct timespec t0, t;
	size_t len = 0;

	(void)clock_gettime(CLOCK_MONOTONIC, &t0);
	while (len + 1 < cap) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		long spent;
		ssize_t n;

		(void)clock_gettime(CLOCK_MONOTONIC, &t);
		spent = (t.tv_sec - t0.tv_sec) * 1000 +
			(t.tv_nsec - t0.tv_nsec) / 1000000;
		if (spent >= SPAWN_READY_TIMEOUT_MS)
			return -ETIMEDOUT;
		if (poll(&p, 1, (int)(SPAWN_READY_TIMEOUT_MS - spent)) <= 0)
			continue;
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
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/**
 * spawn_responder() - Start the domain's responder and wait until it serves
 * @uuid:	domain UUID (its record must be on disk)
 * @ret_pid:	the responder's pid
 * @ret_start:	its start time, recorded to recognise it later
 * @err:	one-line reason on failure
 * @err_len:	size of @err
 *
 * The responder binary is opened and checked first (responder_exe.c) and
 * executed by that fd. vfork(), not fork(): the hook's page tables are not
 * copied, which was most of the cost of starting a responder. The responder
 * is the hook's child, in a session of its own, and is re-parented to init
 * when the hook exits; it reports on a pipe once its sockets are bound and
 * its privileges dropped, so the guest's first DISCOVER is never lost and a
 * responder that cannot start fails the prepare (and is ended and reaped
 * here). The domain's responder lock is taken before the vfork and handed to
 * the responder, so that two never serve one domain and release finds one
 * the record misses.
 *
 * Return: 0, or negative errno with @err set
 */
int spawn_responder(const char *uuid, pid_t *ret_pid,
		    unsigned long long *ret_start, char *err, size_t err_len)
{
	char msg[512] = "";
	struct spawn_exec x;
	int pipefd[2], rc, lock, exe, pid_seen = 0;
	pid_t child;

	exe = responder_exe_open(err, err_len);
	if (exe < 0)
		return exe;
	lock = responder_lock_take(uuid);
	if (lock == -EBUSY &&
	    responder_lock_stop_holders(uuid, err, err_len) == 0)
		lock = responder_lock_take(uuid);
	if (lock < 0) {
		if (lock != -EBUSY || !err[0])
			errmsg_set(err, err_len,
				   "cannot take the responder lock in '%s': %s",
				   state_dir(), strerror(-lock));
		(void)close(exe);
		return lock;
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		rc = -errno;
		(void)close(lock);
		(void)close(exe);
		return rc;
	}
	spawn_exec_init(&x, exe, pipefd[1], lock, uuid);
	/*
	 * Linux keeps vfork() (POSIX dropped it): see above for why. The child
	 * allocates nothing and takes no lock, as glibc's own posix_spawn()
	 * child; posix_spawn() itself cannot exec by fd (execveat).
	 */
	// cppcheck-suppress vforkCalled
	child = vfork(); // NOLINT(clang-analyzer-security.insecureAPI.vfork)
	if (child == 0)
		exec_responder(&x); // NOLINT(clang-analyzer-unix.Vfork)
	rc = child < 0 ? -errno : 0;
	if (x.null_fd >= 0)
		(void)close(x.null_fd);
	(void)close(exe);
	/* The responder holds the lock now; the hook lets go of its fd. */
	(void)close(lock);
	(void)close(pipefd[1]);
	if (rc == 0)
		rc = fault_point("responder forked", err, err_len);
	if (rc < 0) {
		(void)close(pipefd[0]);
		if (child > 0)
			reap_failed(child);
		return rc;
	}
	rc = read_ready(pipefd[0], msg, sizeof(msg));
	(void)close(pipefd[0]);
	if (rc == 0 && sscanf(msg, "ready %d", &pid_seen) == 1 &&
	    pid_seen == child &&
	    spawn_process_start_time(pid_seen, ret_start) == 0) {
		*ret_pid = pid_seen;
		return 0;
	}
	reap_failed(child);
	if (rc == -ETIMEDOUT)
		errmsg_set(err, err_len,
			   "responder did not report ready in time");
	else if (strncmp(msg, "error ", 6) == 0)
		errmsg_set(err, err_len, "responder: %s", msg + 6);
	else
		errmsg_set(err, err_len, "responder exited during start-up");
	return -ECHILD;
}
