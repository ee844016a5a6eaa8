// SPDX-License-Identifier: GPL-2.0-or-later
/* A domain's responder process: start it, recognise it, stop it.
 *
 * Two facts name it. The record names the responder prepare started, by
 * pid, start time (a recycled pid has another) and command line
 * ("--responder UUID", which still matches after an upgrade replaced the
 * binary). And an open-file-description lock on the state folder's
 * UUID.responder, taken by the hook before it forks and held by the
 * responder for its whole life, names one the record misses: a hook killed
 * between its fork and its record leaves a responder the record does not
 * name. The processes holding that file open are it: a file in a root-only
 * folder, held open by a process running podnet-responder, is nothing but
 * this domain's responder; held open by one running the hook's own binary,
 * it is a child of the hook on its way to exec the responder.
 *
 * Either way, a process is stopped the same way: a pidfd first and the
 * identity checked after, so that a signal never reaches a process that
 * took over a recycled pid; SIGTERM, a bounded wait, SIGKILL. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "errmsg.h"
#include "fault.h"
#include "read_file.h"
#include "responder_exe.h"
#include "responder_proc.h"
#include "statedir.h"

/* How long the hook waits for "ready": start-up is bind + privilege drop. */
#define RESPONDER_READY_TIMEOUT_MS 10000
/* A responder gets this long to go on SIGTERM, and again on SIGKILL. */
#define RESPONDER_STOP_TIMEOUT_MS 3000
/* Lock holders found in one look (a responder and a grandchild at most). */
#define RESPONDER_MAX_HOLDERS 8

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

/* A process's start time (/proc/PID/stat #22): with the pid, it names a
 * process uniquely. -ESRCH if there is no such process. */
static int start_time(pid_t pid, unsigned long long *ret_start)
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

/* Whether @pid has exited but is not reaped yet (state Z or X). */
static bool exited(pid_t pid)
{
	char buf[1024];
	const char *f = stat_fields(pid, buf, sizeof(buf));

	return f && (f[0] == 'Z' || f[0] == 'X');
}

/* Which process is wanted: a test of identity, made again before each
 * signal. */
struct proc_id {
	bool (*is)(pid_t pid, const struct proc_id *id);
	/* The recorded responder: start time and UUID. */
	unsigned long long start;
	const char *uuid;
	/* A holder of the lock: its binary and the lock file. */
	struct stat responder_exe, hook_exe, lock;
};

/* The recorded responder: start time and command line
 * (argv[0]\0--responder\0UUID\0) both match. */
static bool is_recorded(pid_t pid, const struct proc_id *id)
{
	char path[64], cmd[256];
	unsigned long long now;
	size_t arg_len = strlen(READY_PIPE_RESPONDER_ARG), n;
	const char *arg;

	if (pid <= 0 || start_time(pid, &now) < 0 || now != id->start)
		return false;
	(void)snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	/* A longer command line than fits is no responder's. */
	if (read_file(path, 0, cmd, sizeof(cmd), &n) < 0 || n == 0)
		return false;
	arg = memchr(cmd, '\0', n);
	if (!arg || (size_t)(arg + 1 - cmd) + arg_len + 1 >= n)
		return false;
	arg++;
	return strcmp(arg, READY_PIPE_RESPONDER_ARG) == 0 &&
	       strcmp(arg + arg_len + 1, id->uuid) == 0;
}

static bool same_file(const char *path, const struct stat *want)
{
	struct stat st;

	return stat(path, &st) == 0 && st.st_dev == want->st_dev &&
	       st.st_ino == want->st_ino;
}

/* A holder of the lock: runs the responder or the hook, has the lock open. */
static bool is_holder(pid_t pid, const struct proc_id *id)
{
	char path[300];
	struct dirent *e;
	bool found = false;
	DIR *d;

	(void)snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	if (!same_file(path, &id->responder_exe) &&
	    !same_file(path, &id->hook_exe))
		return false;
	(void)snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (!d)
		return false;
	/* Single-threaded hook: readdir() is fine (readdir_r is deprecated). */
	// cppcheck-suppress readdirCalled
	while (!found && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		(void)snprintf(path, sizeof(path), "/proc/%d/fd/%s", (int)pid,
			       e->d_name);
		found = same_file(path, &id->lock);
	}
	(void)closedir(d);
	return found;
}

/* Poll (bounded) until @pid is no longer @id: 0, or -ETIMEDOUT. */
static int wait_not(pid_t pid, const struct proc_id *id)
{
	const struct timespec tick = {.tv_nsec = 10L * 1000 * 1000};

	for (int ms = 0; ms < RESPONDER_STOP_TIMEOUT_MS; ms += 10) {
		if (!id->is(pid, id))
			return 0;
		(void)nanosleep(&tick, NULL);
	}
	return id->is(pid, id) ? -ETIMEDOUT : 0;
}

/*
 * No pidfd_open (kernel before 5.3, or a tool such as valgrind that does not
 * know the call): the identity is checked right before each signal, which
 * leaves only the pid's reuse within that instant uncovered.
 */
static int stop_without_pidfd(pid_t pid, const struct proc_id *id)
{
	if (!id->is(pid, id))
		return 0;
	if (kill(pid, SIGTERM) < 0)
		return errno == ESRCH ? 0 : -errno;
	if (wait_not(pid, id) == 0)
		return 0;
	if (id->is(pid, id))
		(void)kill(pid, SIGKILL);
	return wait_not(pid, id);
}

/* SIGTERM to @pid if it is @id; *ret_pidfd to wait on, or -1 when there is
 * nothing left to wait for. */
static int stop_signal(pid_t pid, const struct proc_id *id, int *ret_pidfd)
{
	int pidfd;

	*ret_pidfd = -1;
	if (pid <= 0)
		return 0;
	pidfd = pidfd_open(pid, 0);
	if (pidfd < 0 && errno == ENOSYS)
		return stop_without_pidfd(pid, id);
	if (pidfd < 0)
		return errno == ESRCH ? 0 : -errno;
	if (!id->is(pid, id)) {
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

static int wait_exit(int pidfd)
{
	struct pollfd p = {.fd = pidfd, .events = POLLIN};
	int rc;

	do
		rc = poll(&p, 1, RESPONDER_STOP_TIMEOUT_MS);
	while (rc < 0 && errno == EINTR);
	return rc > 0 ? 0 : -ETIMEDOUT;
}

/**
 * responder_proc_wait() - Wait for a signalled responder to be gone
 * @pidfd:	from responder_proc_signal(), closed here; -1 is a no-op
 *
 * SIGKILL if it is slow.
 *
 * Return: 0, or -ETIMEDOUT if even SIGKILL did not end it in time
 */
int responder_proc_wait(int pidfd)
{
	int rc = 0;

	if (pidfd < 0)
		return 0;
	if (wait_exit(pidfd) < 0) {
		(void)pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
		rc = wait_exit(pidfd);
	}
	(void)close(pidfd);
	return rc;
}

/**
 * responder_proc_is_running() - Whether @pid is this domain's responder
 * @pid:	recorded pid
 * @start:	recorded start time
 * @uuid:	domain UUID
 *
 * A pid file is never trusted alone: the start time and the command line
 * (READY_PIPE_RESPONDER_ARG UUID) must both match.
 *
 * Return: true if it is
 */
bool responder_proc_is_running(pid_t pid, unsigned long long start,
			       const char *uuid)
{
	const struct proc_id id = {
		.is = is_recorded, .start = start, .uuid = uuid};

	return is_recorded(pid, &id);
}

/**
 * responder_proc_health() - What runs under a recorded responder pid
 * @pid:	recorded pid (0: none)
 * @start:	recorded start time
 * @uuid:	domain UUID
 *
 * Return: the responder's health
 */
enum responder_health responder_proc_health(pid_t pid, unsigned long long start,
					    const char *uuid)
{
	if (pid <= 0)
		return RESPONDER_HEALTH_NONE;
	if (responder_proc_is_running(pid, start, uuid))
		return RESPONDER_HEALTH_RUNNING;
	/* An exited responder its parent has not reaped is no impostor
	 * (a zombie has no command line, so it is no responder either). */
	if (exited(pid))
		return RESPONDER_HEALTH_DEAD;
	if (kill(pid, 0) == 0 || errno == EPERM)
		return RESPONDER_HEALTH_IMPOSTOR;
	return RESPONDER_HEALTH_DEAD;
}

/**
 * responder_proc_signal() - Ask the recorded responder to stop, if it runs
 * @pid:	recorded pid
 * @start:	recorded start time
 * @uuid:	domain UUID
 * @ret_pidfd:	a pidfd to pass to responder_proc_wait(), or -1 when there
 *		is nothing left to wait for
 *
 * Signal now, wait later: release restores the pod in between.
 *
 * Return: 0 or a negative errno
 */
int responder_proc_signal(pid_t pid, unsigned long long start, const char *uuid,
			  int *ret_pidfd)
{
	const struct proc_id id = {
		.is = is_recorded, .start = start, .uuid = uuid};

	return stop_signal(pid, &id, ret_pidfd);
}

static int try_lock(int fd)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};

	return fcntl(fd, F_OFD_SETLK, &fl) < 0 ? -errno : 0;
}

/*
 * The domain's responder lock, taken before forking. It belongs to the open
 * file description: the responder inherits the fd (RESPONDER_LOCK_FD) and
 * with it the lock, which then lasts exactly as long as some process of the
 * domain's responder holds it. The fd is CLOEXEC: the caller hands it on
 * explicitly. -EBUSY if a responder holds it.
 */
static int lock_take(const char *uuid)
{
	char path[STATEDIR_PATH_MAX];
	int fd, rc = statedir_path(uuid, STATEDIR_RESPONDER, path);

	if (rc < 0)
		return rc;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	rc = try_lock(fd);
	if (rc < 0) {
		(void)close(fd);
		return rc == -EAGAIN || rc == -EACCES ? -EBUSY : rc;
	}
	return fd;
}

/* Signal every holder of the lock; their pidfds to wait on. */
static size_t signal_holders(const struct proc_id *id,
			     int pidfds[RESPONDER_MAX_HOLDERS])
{
	struct dirent *e;
	size_t n = 0;
	DIR *proc = opendir("/proc");
	pid_t self = getpid();

	if (!proc)
		return 0;
	// cppcheck-suppress readdirCalled
	while (n < RESPONDER_MAX_HOLDERS && (e = readdir(proc)) != NULL) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);

		if (*end || pid <= 0 || pid == self ||
		    !is_holder((pid_t)pid, id))
			continue;
		if (stop_signal((pid_t)pid, id, &pidfds[n]) == 0 &&
		    pidfds[n] >= 0)
			n++;
	}
	(void)closedir(proc);
	return n;
}

/*
 * Poll (bounded) until the lock is ours: 0, or -EBUSY. A holder that
 * is_holder() cannot see yet is either ending (the kernel drops its exe link
 * before it closes its files) or a vfork()ed responder between its fork and
 * its exec: either changes within milliseconds.
 */
static int lock_wait(int fd)
{
	const struct timespec tick = {.tv_nsec = 10L * 1000 * 1000};

	for (int ms = 0; ms < RESPONDER_STOP_TIMEOUT_MS; ms += 10) {
		if (try_lock(fd) == 0)
			return 0;
		(void)nanosleep(&tick, NULL);
	}
	return try_lock(fd) == 0 ? 0 : -EBUSY;
}

/* The lock file's and the holders' binaries' identities, for is_holder. */
static int holder_id(int lock_fd, struct proc_id *id)
{
	/* Under valgrind, open() of /proc/self/exe gives the program. */
	int self_exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), resp_exe;
	int rc = 0;

	id->is = is_holder;
	if (self_exe < 0 || fstat(self_exe, &id->hook_exe) < 0 ||
	    fstat(lock_fd, &id->lock) < 0)
		rc = -errno;
	if (self_exe >= 0)
		(void)close(self_exe);
	/* No responder binary (removed): a holder can still be the hook's. */
	resp_exe = responder_exe_open(NULL, 0);
	if (resp_exe < 0 || fstat(resp_exe, &id->responder_exe) < 0)
		id->responder_exe = id->hook_exe;
	if (resp_exe >= 0)
		(void)close(resp_exe);
	return rc;
}

/**
 * responder_proc_stop_holders() - End every responder of the domain
 * @uuid:	domain UUID
 * @err:	one-line reason on failure
 * @err_len:	size of @err
 *
 * Whatever the record says: when this returns 0, no process of the
 * domain's responder is left (the lock is free), so release may return and
 * prepare may start the one responder.
 *
 * Return: 0, or -EBUSY with @err set if a holder could not be ended
 */
int responder_proc_stop_holders(const char *uuid, char *err, size_t err_len)
{
	struct proc_id id = {0};
	char path[STATEDIR_PATH_MAX];
	int fd, rc = statedir_path(uuid, STATEDIR_RESPONDER, path);

	if (rc < 0)
		return rc;
	fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	rc = holder_id(fd, &id);
	for (int round = 0, waited = 0; rc == 0 && round < 3; round++) {
		int pidfds[RESPONDER_MAX_HOLDERS];
		size_t n;

		if (try_lock(fd) == 0)
			break;
		n = signal_holders(&id, pidfds);
		for (size_t i = 0; i < n; i++)
			(void)responder_proc_wait(pidfds[i]);
		if (n > 0)
			continue;
		/* No holder seen and the lock still held: it is ending or
		 * between vfork and exec. Once, wait for it and look again;
		 * a second time, the holder is not a responder of ours. */
		if (waited++ || lock_wait(fd) == 0)
			break;
	}
	if (rc == 0 && try_lock(fd) < 0)
		rc = -EBUSY;
	(void)close(fd);
	if (rc < 0)
		errmsg_set(err, err_len,
			   "a process podnet cannot end holds '%s': %s", path,
			   strerror(-rc));
	return rc;
}

/* The responder binary's fd in the child until the exec closes it. */
#define RESPONDER_EXE_FD (RESPONDER_LOCK_FD + 1)

/* What the child needs, all built before vfork(): it allocates nothing. */
struct exec_args {
	char *argv[4];
	char *envp[4];
	char state_env[512], asan_env[512];
	char proc_exe[64];
	int null_fd, exe_fd, ready_fd, lock_fd;
};

static void exec_args_init(struct exec_args *x, int exe_fd, int ready_fd,
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
		       RESPONDER_EXE_FD);
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
static void exec_responder(const struct exec_args *x)
{
	/* Out of the way first, so that none lands on another's place. */
	int exe_fd = fcntl(x->exe_fd, F_DUPFD_CLOEXEC, 10);
	int ready_fd = fcntl(x->ready_fd, F_DUPFD_CLOEXEC, 10);
	int lock_fd = fcntl(x->lock_fd, F_DUPFD_CLOEXEC, 10);

	if (setsid() < 0 || x->null_fd < 0 || exe_fd < 0 || ready_fd < 0 ||
	    lock_fd < 0 || dup2(x->null_fd, 0) < 0 || dup2(x->null_fd, 1) < 0 ||
	    dup2(x->null_fd, 2) < 0 || dup2(ready_fd, READY_PIPE_FD) < 0 ||
	    dup2(lock_fd, RESPONDER_LOCK_FD) < 0 ||
	    dup3(exe_fd, RESPONDER_EXE_FD, O_CLOEXEC) < 0)
		_exit(127);
	/* Everything above the exe's fd; that one the exec closes. */
	(void)close_range(RESPONDER_EXE_FD + 1, ~0u, 0);
	(void)syscall(SYS_execveat, RESPONDER_EXE_FD, "", x->argv, x->envp,
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
		if (spent >= RESPONDER_READY_TIMEOUT_MS)
			return -ETIMEDOUT;
		if (poll(&p, 1, (int)(RESPONDER_READY_TIMEOUT_MS - spent)) <= 0)
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
 * responder_proc_start() - Start the domain's responder and wait until it
 * serves
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
int responder_proc_start(const char *uuid, pid_t *ret_pid,
			 unsigned long long *ret_start, char *err,
			 size_t err_len)
{
	char msg[512] = "";
	struct exec_args x;
	int pipefd[2], rc, lock, exe, pid_seen = 0;
	pid_t child;

	exe = responder_exe_open(err, err_len);
	if (exe < 0)
		return exe;
	lock = lock_take(uuid);
	if (lock == -EBUSY &&
	    responder_proc_stop_holders(uuid, err, err_len) == 0)
		lock = lock_take(uuid);
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
	exec_args_init(&x, exe, pipefd[1], lock, uuid);
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
	    pid_seen == child && start_time(pid_seen, ret_start) == 0) {
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
