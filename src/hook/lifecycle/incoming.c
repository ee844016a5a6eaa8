// SPDX-License-Identifier: GPL-2.0-or-later
/* An incoming live migration, from libvirt's `migrate` event to the
 * `prepare` that follows it in the same pod: a marker file
 * (UUID@POD.incoming) that the next prepare of the domain in this pod takes
 * and removes, whether it is fresh or stale. A stale marker (a migration
 * aborted between the two events) cannot make a later ordinary start wait:
 * it has expired; and a fresh one at worst makes a freshly booting VM's
 * first frame count as its arrival. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "incoming.h"
#include "statedir.h"

/**
 * incoming_mark() - Note that the domain's next prepare in this pod is an
 * incoming live migration's
 * @uuid:	domain UUID
 *
 * Return: 0 or a negative errno
 */
int incoming_mark(const char *uuid)
{
	static const char text[] = "podnet-incoming 1\n";
	char path[STATEDIR_PATH_MAX];
	int fd, rc = statedir_path(uuid, STATEDIR_INCOMING, path);

	if (rc < 0)
		return rc;
	if (mkdir(state_dir(), 0700) < 0 && errno != EEXIST)
		return -errno;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0)
		return -errno;
	rc = write(fd, text, sizeof(text) - 1) == (ssize_t)sizeof(text) - 1
		     ? 0
		     : -EIO;
	/* The write set the time the marker expires from. */
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc < 0)
		(void)unlink(path);
	return rc;
}

/**
 * incoming_take() - Take the domain's marker: is this prepare an incoming
 * migration's?
 * @uuid:	domain UUID
 *
 * The marker goes in any case: one `migrate` marks one `prepare`.
 *
 * Return: true if a marker younger than INCOMING_MAX_AGE_SECONDS was there
 */
bool incoming_take(const char *uuid)
{
	char path[STATEDIR_PATH_MAX];
	struct timespec now;
	struct stat st;
	bool fresh;

	if (statedir_path(uuid, STATEDIR_INCOMING, path) < 0 ||
	    lstat(path, &st) < 0)
		return false;
	(void)clock_gettime(CLOCK_REALTIME, &now);
	fresh = S_ISREG(st.st_mode) && st.st_mtim.tv_sec <= now.tv_sec &&
		now.tv_sec - st.st_mtim.tv_sec <= INCOMING_MAX_AGE_SECONDS;
	(void)unlink(path);
	return fresh;
}
