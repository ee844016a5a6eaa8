// SPDX-License-Identifier: GPL-2.0-or-later
/* Records of releases before the pod key (UUID.state): adopted into this
 * pod's names (UUID@KEY.state) when they are this pod's.
 *
 * Such a record names no pod. It is this pod's when its responder runs in
 * this network namespace (verified by pid, start time and command line,
 * then by /proc/PID/ns/net), or, with its responder gone, when a bridge it
 * made exists here (a bridge of that name exists in no other pod: prepare
 * refuses one it did not make). Anything else stays where it is: a live
 * migration's destination must never take its source's record. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "legacy.h"
#include "responder_proc.h"
#include "state.h"
#include "statedir.h"

/* Enough for the legacy records any one pod can hold. */
#define LEGACY_MAX 256

static bool same_netns(pid_t pid)
{
	char path[64];
	struct stat theirs, ours;

	(void)snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	return stat(path, &theirs) == 0 &&
	       stat("/proc/self/ns/net", &ours) == 0 &&
	       theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino;
}

static bool is_this_pods(const struct state_record *rec)
{
	if (rec->responder_pid > 0 &&
	    responder_proc_is_running(rec->responder_pid, rec->responder_start,
				      rec->uuid))
		/* Checked again after the pid: the pid was verified alive. */
		return same_netns(rec->responder_pid) &&
		       responder_proc_is_running(rec->responder_pid,
						 rec->responder_start,
						 rec->uuid);
	for (size_t i = 0; i < rec->n_ifaces; i++)
		if (rec->ifaces[i].bridge_owned &&
		    if_nametoindex(rec->ifaces[i].bridge) > 0)
			return true;
	return false;
}

static int read_legacy(const char *uuid, struct state_record *rec)
{
	static char text[STATE_MAX_TEXT];
	size_t len;
	int rc = statedir_legacy_read(uuid, STATEDIR_RECORD, text, sizeof(text),
				      &len);

	if (rc == -EFBIG)
		return -EINVAL;
	return rc < 0 ? rc : state_parse(text, len, rec);
}

/**
 * legacy_adopt() - Adopt the domain's legacy record if it is this pod's
 * @uuid:	domain UUID
 *
 * Under the domain's lock: a concurrent hook of this pod sees the record
 * either under its old name or under its new one, never half moved.
 *
 * Return: 1 if adopted, 0 if there was none or it is another pod's, or a
 * negative errno
 */
int legacy_adopt(const char *uuid)
{
	char lock_path[STATEDIR_PATH_MAX];
	struct state_record *rec;
	bool had_lock;
	int lock, rc;

	if (!state_uuid_valid(uuid) || !state_has_legacy_record(uuid) ||
	    state_has_record(uuid) ||
	    statedir_path(uuid, STATEDIR_LOCK, lock_path) < 0)
		return 0;
	rec = calloc(1, sizeof(*rec));
	if (!rec)
		return -ENOMEM;
	had_lock = access(lock_path, F_OK) == 0;
	lock = state_lock(uuid);
	if (lock < 0) {
		free(rec);
		return lock;
	}
	rc = read_legacy(uuid, rec);
	if (rc == 0 && !state_has_record(uuid) && is_this_pods(rec))
		rc = statedir_legacy_adopt(uuid) < 0 ? -EIO : 1;
	else if (rc >= 0 || rc == -ENOENT)
		rc = 0;
	/* A lock file this call made for nothing must not make the domain
	 * look like ours. */
	if (rc <= 0 && !had_lock)
		(void)unlink(lock_path);
	(void)close(lock);
	free(rec);
	return rc;
}

/**
 * legacy_adopt_all() - Adopt every legacy record that is this pod's
 *
 * For `podnet status` and `podnet restore`, which list this pod's records.
 */
void legacy_adopt_all(void)
{
	static char uuids[LEGACY_MAX][PODNET_UUID_STR_LEN + 1];
	size_t n = 0;

	if (statedir_legacy_list(uuids, LEGACY_MAX, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++)
		(void)legacy_adopt(uuids[i]);
}
