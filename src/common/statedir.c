// SPDX-License-Identifier: GPL-2.0-or-later
/* The state folder (/run/podnet): every per-domain file in it, the domain
 * lock, and the record's atomic store. state.c is the record's text. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read_file.h"
#include "state.h"
#include "statedir.h"

static const char *const suffixes[] = {
	[STATEDIR_RECORD] = ".state",	   [STATEDIR_RECORD_TMP] = ".state.tmp",
	[STATEDIR_LOCK] = ".lock",	   [STATEDIR_RESPONDER] = ".responder",
	[STATEDIR_LEASE] = ".lease",	   [STATEDIR_LOG] = ".log",
	[STATEDIR_INCOMING] = ".incoming",
};

/* Linux >= 5.14; musl's and older headers may lack the name. */
#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

/* "@" and the pod's key (statedir_pod_key()), once per process. */
static char pod_key[1 + STATEDIR_POD_KEY_LEN + 1];

/* The hook and the responder are single-threaded: one text buffer serves. */
static char state_text[STATE_MAX_TEXT];

/**
 * state_dir() - The state folder
 *
 * libvirt passes hooks no environment but LC_ALL, PATH and HOME, so in
 * production this is always /run/podnet; the tests point it elsewhere.
 *
 * Return: the folder path
 */
const char *state_dir(void)
{
	const char *d = getenv("PODNET_STATE_DIR");

	return d && d[0] == '/' ? d : STATEDIR_DEFAULT;
}

/**
 * statedir_pod_key() - The key of the pod (network namespace) we run in
 *
 * One /run/podnet may serve several pods (podnet installed once on a
 * machine), and a live migration between two of them prepares the same
 * domain UUID in both: every per-domain file is therefore named by the UUID
 * and this key. It is the namespace's cookie (SO_NETNS_COOKIE, Linux 5.14):
 * 64 bits the kernel never hands out twice in a boot, and the folder is a
 * tmpfs that a reboot empties, so files a dead pod left behind can never be
 * taken for a later pod's. Older kernels: the namespace's inode ("i" and
 * its number), which a namespace made after this one died may reuse; a
 * record found that way whose pod is not back fails that prepare, never
 * silently.
 *
 * Return: the key (hex digits, "i" + digits on old kernels), or NULL with
 * errno set when neither can be read
 */
const char *statedir_pod_key(void)
{
	unsigned long long cookie = 0;
	socklen_t len = sizeof(cookie);
	struct stat st;
	int fd, rc;

	if (pod_key[0])
		return pod_key + 1;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	rc = getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len);
	(void)close(fd);
	if (rc == 0 && len == sizeof(cookie))
		(void)snprintf(pod_key, sizeof(pod_key), "@%016llx", cookie);
	else if (stat("/proc/self/ns/net", &st) == 0)
		(void)snprintf(pod_key, sizeof(pod_key), "@i%llu",
			       (unsigned long long)st.st_ino);
	else
		return NULL;
	return pod_key + 1;
}

static int path_in(const char *uuid, enum statedir_file file, bool legacy,
		   char buf[STATEDIR_PATH_MAX])
{
	const char *key = legacy ? "" : statedir_pod_key();

	if (!state_uuid_valid(uuid))
		return -EINVAL;
	if (!key)
		return errno ? -errno : -EIO;
	if (snprintf(buf, STATEDIR_PATH_MAX, "%s/%s%s%s%s", state_dir(), uuid,
		     legacy ? "" : "@", key,
		     suffixes[file]) >= STATEDIR_PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/**
 * statedir_path() - The path of one of a domain's files in this pod
 * @uuid:	domain UUID (checked: it becomes part of a file name)
 * @file:	which file
 * @buf:	the path: $dir/UUID@POD_KEY.suffix
 *
 * Return: 0, -EINVAL for a malformed UUID, or -ENAMETOOLONG
 */
int statedir_path(const char *uuid, enum statedir_file file,
		  char buf[STATEDIR_PATH_MAX])
{
	return path_in(uuid, file, false, buf);
}

/**
 * statedir_legacy_path() - The same file as releases before the pod key
 * named it
 * @uuid:	domain UUID
 * @file:	which file
 * @buf:	the path: $dir/UUID.suffix
 *
 * Such files belong to whichever pod prepared the domain; the hook adopts
 * them into its own names once it knows they are its pod's (legacy.c).
 *
 * Return: 0, -EINVAL for a malformed UUID, or -ENAMETOOLONG
 */
int statedir_legacy_path(const char *uuid, enum statedir_file file,
			 char buf[STATEDIR_PATH_MAX])
{
	return path_in(uuid, file, true, buf);
}

/**
 * statedir_legacy_adopt() - Rename a domain's legacy files to this pod's
 * @uuid:	domain UUID
 *
 * The caller holds the domain's lock and has checked that the legacy
 * record is this pod's. A running responder keeps its locks and open
 * files: rename moves names, not the files.
 *
 * Return: 0, or the first negative errno of a rename
 */
int statedir_legacy_adopt(const char *uuid)
{
	static const enum statedir_file moved[] = {
		STATEDIR_RESPONDER, STATEDIR_LEASE, STATEDIR_LOG,
		STATEDIR_RECORD, /* last: the record names the others' owner */
	};
	char from[STATEDIR_PATH_MAX], to[STATEDIR_PATH_MAX];
	int rc = 0;

	for (size_t i = 0; i < ARRAY_SIZE(moved); i++) {
		if (statedir_legacy_path(uuid, moved[i], from) < 0 ||
		    statedir_path(uuid, moved[i], to) < 0)
			return -EINVAL;
		if (rename(from, to) < 0 && errno != ENOENT && rc == 0)
			rc = -errno;
	}
	if (rc == 0 && statedir_legacy_path(uuid, STATEDIR_LOCK, from) == 0)
		(void)unlink(from);
	return rc;
}

/**
 * statedir_read() - The whole of one of a domain's files, NUL-terminated
 * @uuid:	domain UUID
 * @file:	which file
 * @buf:	where it goes
 * @cap:	size of @buf: at most @cap - 1 bytes fit, and the NUL
 * @ret_len:	its length, on success
 *
 * Return: 0, -ENOENT if there is no such file, -EFBIG if it holds more than
 * fits, or another negative errno
 */
int statedir_read(const char *uuid, enum statedir_file file, char *buf,
		  size_t cap, size_t *ret_len)
{
	char path[STATEDIR_PATH_MAX];
	int rc = statedir_path(uuid, file, path);

	return rc < 0 ? rc : read_file(path, O_NOFOLLOW, buf, cap, ret_len);
}

/**
 * statedir_legacy_read() - statedir_read() of a legacy file
 * @uuid:	domain UUID
 * @file:	which file
 * @buf:	where it goes
 * @cap:	size of @buf
 * @ret_len:	its length, on success
 *
 * Return: as statedir_read()
 */
int statedir_legacy_read(const char *uuid, enum statedir_file file, char *buf,
			 size_t cap, size_t *ret_len)
{
	char path[STATEDIR_PATH_MAX];
	int rc = statedir_legacy_path(uuid, file, path);

	return rc < 0 ? rc : read_file(path, O_NOFOLLOW, buf, cap, ret_len);
}

static bool statedir_exists(const char *uuid, enum statedir_file file)
{
	char path[STATEDIR_PATH_MAX];

	return statedir_path(uuid, file, path) == 0 && access(path, F_OK) == 0;
}

static int uuid_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/*
 * A record's name: "UUID.state" (legacy) or "UUID@KEY.state" of this pod.
 * Copies the UUID to @ret on a match.
 */
static bool record_name(const char *name, bool legacy,
			char ret[PODNET_UUID_STR_LEN + 1])
{
	const char *suffix = suffixes[STATEDIR_RECORD];
	const char *key = legacy ? "" : statedir_pod_key();
	size_t len = strlen(name), klen;

	if (!key || len < PODNET_UUID_STR_LEN)
		return false;
	klen = legacy ? 0 : 1 + strlen(key);
	if (len != PODNET_UUID_STR_LEN + klen + strlen(suffix) ||
	    (!legacy &&
	     (name[PODNET_UUID_STR_LEN] != '@' ||
	      memcmp(name + PODNET_UUID_STR_LEN + 1, key, klen - 1) != 0)) ||
	    strcmp(name + PODNET_UUID_STR_LEN + klen, suffix) != 0)
		return false;
	memcpy(ret, name, PODNET_UUID_STR_LEN);
	ret[PODNET_UUID_STR_LEN] = '\0';
	return state_uuid_valid(ret);
}

static int list_in(bool legacy, char (*ret_uuids)[PODNET_UUID_STR_LEN + 1],
		   size_t max, size_t *ret_n)
{
	DIR *dir = opendir(state_dir());
	const struct dirent *e;
	size_t n = 0;

	if (!dir) {
		*ret_n = 0;
		return errno == ENOENT ? 0 : -errno;
	}
	/* Single-threaded tool: readdir() is fine (readdir_r is deprecated). */
	// cppcheck-suppress readdirCalled
	while ((e = readdir(dir)) && n < max)
		if (record_name(e->d_name, legacy, ret_uuids[n]))
			n++;
	(void)closedir(dir);
	qsort(ret_uuids, n, sizeof(ret_uuids[0]), uuid_cmp);
	*ret_n = n;
	return 0;
}

/**
 * statedir_list() - UUIDs of every record of this pod, sorted
 * @ret_uuids:	filled with up to @max UUIDs
 * @max:	capacity of @ret_uuids
 * @ret_n:	number found (at most @max)
 *
 * A missing state folder means podnet manages nothing: success, none.
 * Files that are not "UUID@KEY.state" of this pod (other pods' records,
 * locks, logs, temp files, legacy names) are skipped.
 *
 * Return: 0, or a negative errno
 */
int statedir_list(char (*ret_uuids)[PODNET_UUID_STR_LEN + 1], size_t max,
		  size_t *ret_n)
{
	return list_in(false, ret_uuids, max, ret_n);
}

/**
 * statedir_legacy_list() - UUIDs of every legacy record ("UUID.state"),
 * whichever pod's, sorted
 * @ret_uuids:	filled with up to @max UUIDs
 * @max:	capacity of @ret_uuids
 * @ret_n:	number found (at most @max)
 *
 * Return: 0, or a negative errno
 */
int statedir_legacy_list(char (*ret_uuids)[PODNET_UUID_STR_LEN + 1], size_t max,
			 size_t *ret_n)
{
	return list_in(true, ret_uuids, max, ret_n);
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/**
 * state_write() - Store a record atomically (temp file, fsync, rename)
 * @rec:	the record
 *
 * Return: 0 or negative errno
 */
int state_write(const struct state_record *rec)
{
	char path[STATEDIR_PATH_MAX], tmp[STATEDIR_PATH_MAX];
	char *text = state_text;
	int len, fd, rc;

	rc = statedir_path(rec->uuid, STATEDIR_RECORD, path);
	if (rc == 0)
		rc = statedir_path(rec->uuid, STATEDIR_RECORD_TMP, tmp);
	if (rc < 0)
		return rc;
	len = state_format(rec, text, STATE_MAX_TEXT);
	if (len < 0)
		return len;
	if (mkdir(state_dir(), 0700) < 0 && errno != EEXIST)
		return -errno;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	rc = write_all(fd, text, (size_t)len);
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc < 0)
		(void)unlink(tmp);
	return rc;
}

/**
 * state_read() - Load the record of a domain
 * @uuid:	domain UUID
 * @ret:	filled on success
 *
 * Return: 0, -ENOENT when there is no record, -EINVAL for a damaged one,
 * or another negative errno (a read error is never taken for the end)
 */
int state_read(const char *uuid, struct state_record *ret)
{
	size_t len;
	int rc = statedir_read(uuid, STATEDIR_RECORD, state_text,
			       STATE_MAX_TEXT, &len);

	if (rc == -EFBIG)
		return -EINVAL; /* no record state_write() stores is that big */
	return rc < 0 ? rc : state_parse(state_text, len, ret);
}

/**
 * state_has_files() - Whether podnet left anything for this domain
 * @uuid:	domain UUID
 *
 * A record, or only a lock file (a hook killed before it wrote the
 * record), or only a responder lock (a responder of a killed hook), or only
 * an incoming migration's marker (a migration cancelled before prepare). None:
 * the domain is none of podnet's business, and release must not even create the
 * state folder.
 *
 * Return: true if either exists
 */
bool state_has_files(const char *uuid)
{
	return statedir_exists(uuid, STATEDIR_RECORD) ||
	       statedir_exists(uuid, STATEDIR_LOCK) ||
	       statedir_exists(uuid, STATEDIR_RESPONDER) ||
	       statedir_exists(uuid, STATEDIR_INCOMING);
}

/**
 * state_has_legacy_record() - Whether a legacy record of the domain exists
 * @uuid:	domain UUID
 *
 * Return: true if UUID.state exists (whichever pod's it is)
 */
bool state_has_legacy_record(const char *uuid)
{
	char path[STATEDIR_PATH_MAX];

	return statedir_legacy_path(uuid, STATEDIR_RECORD, path) == 0 &&
	       access(path, F_OK) == 0;
}

/**
 * state_has_record() - Whether the domain's record exists
 * @uuid:	domain UUID
 *
 * Return: true if UUID.state exists
 */
bool state_has_record(const char *uuid)
{
	return statedir_exists(uuid, STATEDIR_RECORD);
}

/**
 * state_remove() - Delete the record of a domain
 * @uuid:	domain UUID
 *
 * Return: 0 (also if there was none) or negative errno
 */
int state_remove(const char *uuid)
{
	char path[STATEDIR_PATH_MAX];
	int rc = statedir_path(uuid, STATEDIR_RECORD, path);

	if (rc < 0)
		return rc;
	return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
}

/**
 * state_lock() - Take the domain's lock (libvirt may run hooks concurrently)
 * @uuid:	domain UUID
 *
 * state_unlock_remove() deletes the lock file while holding it, so a
 * waiter may wake up holding a lock on a file that is no longer there:
 * it then tries again on the current file.
 *
 * Return: an fd holding the lock (close it to unlock), or negative errno
 */
int state_lock(const char *uuid)
{
	char path[STATEDIR_PATH_MAX];
	int rc = statedir_path(uuid, STATEDIR_LOCK, path);

	if (rc < 0)
		return rc;
	if (mkdir(state_dir(), 0700) < 0 && errno != EEXIST)
		return -errno;
	for (;;) {
		struct stat held, now;
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

		if (fd < 0)
			return -errno;
		while ((rc = flock(fd, LOCK_EX)) < 0 && errno == EINTR)
			;
		if (rc < 0 || fstat(fd, &held) < 0) {
			rc = -errno;
			(void)close(fd);
			return rc;
		}
		if (stat(path, &now) == 0 && now.st_ino == held.st_ino &&
		    now.st_dev == held.st_dev)
			return fd;
		(void)close(fd);
	}
}

/**
 * state_unlock_remove() - Delete the domain's other files, then unlock
 * @uuid:	domain UUID
 * @lock_fd:	the fd state_lock() returned; closed here
 *
 * The responder's log, lease note and lock go, and last the domain lock:
 * after release nothing of the domain is left in the state folder.
 */
void state_unlock_remove(const char *uuid, int lock_fd)
{
	static const enum statedir_file last[] = {
		STATEDIR_LOG,	   STATEDIR_RESPONDER, STATEDIR_LEASE,
		STATEDIR_INCOMING, STATEDIR_LOCK,
	};
	char path[STATEDIR_PATH_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(last); i++)
		if (statedir_path(uuid, last[i], path) == 0)
			(void)unlink(path);
	if (lock_fd >= 0)
		(void)close(lock_fd);
}
