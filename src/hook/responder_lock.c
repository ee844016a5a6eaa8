// SPDX-License-Identifier: GPL-2.0-or-later
/* One responder per domain, and a way to find it that no record is needed
 * for: an open-file-description lock on /run/podnet/UUID.responder, taken by
 * the hook before it forks and held by the responder for its whole life.
 *
 * A hook killed between its fork and its record leaves a responder the
 * record does not name. The lock still tells that one runs, and the
 * processes holding the lock file open are it: a file in a root-only
 * folder, held open by a process running podnet-responder, is nothing but
 * this domain's responder; held open by one running the hook's own binary,
 * it is a child of the hook on its way to exec the responder. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "errmsg.h"
#include "responder_exe.h"
#include "responder_lock.h"
#include "statedir.h"

/* A responder gets this long to go on SIGTERM, and again on SIGKILL. */
#define LOCK_STOP_TIMEOUT_MS 3000
/* Holders found in one look (a responder and a grandchild at most). */
#define LOCK_MAX_HOLDERS 8

static int try_lock(int fd)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};

	return fcntl(fd, F_OFD_SETLK, &fl) < 0 ? -errno : 0;
}

/**
 * responder_lock_take() - Take the domain's responder lock, before forking
 * @uuid:	domain UUID
 *
 * The lock belongs to the open file description: the responder inherits
 * the fd (RESPONDER_LOCK_FD) and with it the lock, which then lasts exactly
 * as long as some process of the domain's responder holds it.
 *
 * Return: the locked fd (CLOEXEC: the caller hands it on explicitly),
 * -EBUSY if a responder holds it, or another negative errno
 */
int responder_lock_take(const char *uuid)
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

static bool same_file(const char *path, const struct stat *want)
{
	struct stat st;

	return stat(path, &st) == 0 && st.st_dev == want->st_dev &&
	       st.st_ino == want->st_ino;
}

/* The binaries a holder may run: the responder, or the hook (a child of the
 * hook between its fork and its exec of the responder). */
struct holder_exes {
	struct stat responder, hook;
};

/* Whether process @pid runs one of @exe and has @lock open. */
static bool holds(const char *pid, const struct holder_exes *exe,
		  const struct stat *lock)
{
	char path[300];
	struct dirent *e;
	bool found = false;
	DIR *d;

	(void)snprintf(path, sizeof(path), "/proc/%s/exe", pid);
	if (!same_file(path, &exe->responder) && !same_file(path, &exe->hook))
		return false;
	(void)snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	d = opendir(path);
	if (!d)
		return false;
	/* Single-threaded hook: readdir() is fine (readdir_r is deprecated). */
	// cppcheck-suppress readdirCalled
	while (!found && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		(void)snprintf(path, sizeof(path), "/proc/%s/fd/%s", pid,
			       e->d_name);
		found = same_file(path, lock);
	}
	(void)closedir(d);
	return found;
}

static void wait_not_holding(const char *pid, const struct holder_exes *exe,
			     const struct stat *lock)
{
	const struct timespec tick = {.tv_nsec = 10L * 1000 * 1000};

	for (int ms = 0; ms < LOCK_STOP_TIMEOUT_MS && holds(pid, exe, lock);
	     ms += 10)
		(void)nanosleep(&tick, NULL);
	if (holds(pid, exe, lock))
		(void)kill((pid_t)strtol(pid, NULL, 10), SIGKILL);
}

/* Signal every holder of @lock that runs @exe; their pidfds to wait on. */
static size_t signal_holders(const struct holder_exes *exe,
			     const struct stat *lock,
			     int pidfds[LOCK_MAX_HOLDERS])
{
	struct dirent *e;
	size_t n = 0;
	DIR *proc = opendir("/proc");
	pid_t self = getpid();

	if (!proc)
		return 0;
	// cppcheck-suppress readdirCalled
	while (n < LOCK_MAX_HOLDERS && (e = readdir(proc)) != NULL) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);
		int pidfd;

		if (*end || pid <= 0 || pid == self ||
		    !holds(e->d_name, exe, lock))
			continue;
		/* The pidfd first, the identity again after: a pid recycled
		 * in between is not signalled. */
		pidfd = pidfd_open((pid_t)pid, 0);
		if (pidfd < 0 && errno == ENOSYS) {
			/* No pidfds (valgrind): check, signal, poll. */
			if (holds(e->d_name, exe, lock))
				(void)kill((pid_t)pid, SIGTERM);
			wait_not_holding(e->d_name, exe, lock);
			continue;
		}
		if (pidfd < 0)
			continue;
		if (holds(e->d_name, exe, lock) &&
		    pidfd_send_signal(pidfd, SIGTERM, NULL, 0) == 0)
			pidfds[n++] = pidfd;
		else
			(void)close(pidfd);
	}
	(void)closedir(proc);
	return n;
}

static void wait_gone(int pidfd)
{
	struct pollfd p = {.fd = pidfd, .events = POLLIN};

	if (poll(&p, 1, LOCK_STOP_TIMEOUT_MS) <= 0) {
		(void)pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
		(void)poll(&p, 1, LOCK_STOP_TIMEOUT_MS);
	}
	(void)close(pidfd);
}

/**
 * responder_lock_stop_holders() - End every responder of the domain
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
int responder_lock_stop_holders(const char *uuid, char *err, size_t err_len)
{
	struct holder_exes exe = {0};
	struct stat lock = {0};
	char path[STATEDIR_PATH_MAX];
	int fd, self_exe, resp_exe,
		rc = statedir_path(uuid, STATEDIR_RESPONDER, path);

	if (rc < 0)
		return rc;
	fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	/* Under valgrind, open() of /proc/self/exe gives the program. */
	self_exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (self_exe < 0 || fstat(self_exe, &exe.hook) < 0 ||
	    fstat(fd, &lock) < 0)
		rc = -errno;
	if (self_exe >= 0)
		(void)close(self_exe);
	/* No responder binary (removed): a holder can still be the hook's. */
	resp_exe = responder_exe_open(NULL, 0);
	if (resp_exe < 0 || fstat(resp_exe, &exe.responder) < 0)
		exe.responder = exe.hook;
	if (resp_exe >= 0)
		(void)close(resp_exe);
	for (int round = 0; rc == 0 && round < 3; round++) {
		int pidfds[LOCK_MAX_HOLDERS];
		size_t n;

		if (try_lock(fd) == 0)
			break;
		n = signal_holders(&exe, &lock, pidfds);
		for (size_t i = 0; i < n; i++)
			wait_gone(pidfds[i]);
		if (n == 0 && try_lock(fd) < 0)
			rc = -EBUSY;
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
