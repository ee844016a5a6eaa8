// SPDX-License-Identifier: GPL-2.0-or-later
/* Which podnet-responder binary the hook runs, opened once and checked.
 *
 * The hook runs as root and the responder starts as root, so the binary
 * must be one that only root can have put there: its folder and the file
 * itself owned by root and writable by nobody else. It is opened once and
 * the checks are made on that open file, which is also what gets executed
 * (execveat(fd, "", AT_EMPTY_PATH)): renaming another file into its place
 * after the check changes nothing.
 *
 * Where: beside the hook's own executable when such a file is there (the
 * build tree: build/podnet and build/podnet-responder; a test lab that
 * copies both), else the installed PODNET_RESPONDER_PATH. An installed
 * hook (/usr/sbin/podnet) has no podnet-responder beside it. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errmsg.h"
#include "responder_exe.h"

/* Root's, and no one else may change it. */
static bool root_only(const struct stat *st)
{
	return st->st_uid == 0 && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

/*
 * @name in folder @dir, if both are root's only and it is an executable
 * regular file: its fd (O_RDONLY, CLOEXEC), else a negative errno.
 */
static int open_checked(const char *dir, const char *name)
{
	struct stat st;
	int dfd, fd, rc = -EPERM;

	dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	if (fstat(dfd, &st) < 0 || !root_only(&st)) {
		(void)close(dfd);
		return -EPERM;
	}
	fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		rc = -errno;
	(void)close(dfd);
	if (fd < 0)
		return rc;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !root_only(&st) ||
	    !(st.st_mode & S_IXUSR)) {
		(void)close(fd);
		return -EPERM;
	}
	return fd;
}

/* The folder of the hook's own executable, in @buf. */
static int self_dir(char *buf, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
	char *slash;

	if (n <= 0 || (size_t)n >= cap - 1)
		return -ENOENT;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash || strstr(buf, " (deleted)"))
		return -ENOENT;
	*(slash == buf ? slash + 1 : slash) = '\0';
	return 0;
}

/**
 * libexec_open() - Open one of podnet's helper programs, checked
 * @what:	what it is, for the message ("the responder")
 * @exe_name:	its file name, looked for beside podnet's own executable
 * @installed:	its installed absolute path
 * @err:	one-line reason on failure
 * @err_len:	size of @err
 *
 * Return: an O_RDONLY|O_CLOEXEC fd of a root-owned executable that only
 * root can write, in a folder only root can write; or negative errno with
 * @err set
 */
int libexec_open(const char *what, const char *exe_name, const char *installed,
		 char *err, size_t err_len)
{
	char dir[PATH_MAX], *name;
	int fd, beside = -ENOENT;

	if (self_dir(dir, sizeof(dir)) == 0) {
		beside = open_checked(dir, exe_name);
		if (beside >= 0)
			return beside;
	}
	/* The installed path is absolute: its folder and its name. */
	(void)snprintf(dir, sizeof(dir), "%s", installed);
	name = strrchr(dir, '/');
	if (!name || name == dir) {
		fd = -EINVAL;
	} else {
		*name++ = '\0';
		fd = open_checked(dir, name);
	}
	if (fd < 0)
		errmsg_set(err, err_len, "cannot use %s '%s': %s%s%s", what,
			   installed, strerror(-fd),
			   fd == -EPERM ? " (it and its folder must be "
					  "root's and writable only by root)"
					: "",
			   beside == -ENOENT ? ""
					     : "; the one beside the hook is "
					       "not root's only");
	return fd;
}

/**
 * responder_exe_open() - Open the responder binary the hook is to run
 * @err:	one-line reason on failure
 * @err_len:	size of @err
 *
 * Return: as libexec_open()
 */
int responder_exe_open(char *err, size_t err_len)
{
	return libexec_open("the responder", RESPONDER_EXE_NAME,
			    PODNET_RESPONDER_PATH, err, err_len);
}
