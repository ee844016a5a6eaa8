// SPDX-License-Identifier: GPL-2.0-or-later
/* The pod namespace's br_netfilter sysctls, net.bridge.bridge-nf-call-
 * iptables, -ip6tables and -arptables. Where br_netfilter is in the kernel
 * (built in, or a module the node loaded) every new network namespace
 * starts with all three at 1, and the pod's bridge then hands each of the
 * VM's frames to the pod's iptables, ip6tables and arptables hooks (with
 * conntrack, when the pod's rules use it). podnet's bridge needs none of
 * that: prepare turns them off while the VM runs, release puts back what
 * it found (README, Performance: what they cost). The hook runs in the
 * pod's namespace: these are the pod's. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "brnf.h"
#include "eventlog.h"
#include "fault.h"
#include "read_file.h"

static void path_of(char *buf, size_t len, enum state_brnf_key key)
{
	(void)snprintf(buf, len, "/proc/sys/net/bridge/bridge-nf-call-%s",
		       state_brnf_name(key));
}

/**
 * brnf_read() - Read the three sysctls
 * @ret:	each 0 or 1, or STATE_BRNF_ABSENT where it cannot be read (no
 *		br_netfilter in the kernel)
 */
void brnf_read(int ret[STATE_BRNF_N])
{
	for (size_t k = 0; k < STATE_BRNF_N; k++) {
		char path[64], buf[16];
		size_t len;

		path_of(path, sizeof(path), (enum state_brnf_key)k);
		ret[k] = STATE_BRNF_ABSENT;
		if (read_file(path, 0, buf, sizeof(buf), &len) == 0 &&
		    len > 0 && (buf[0] == '0' || buf[0] == '1'))
			ret[k] = buf[0] - '0';
	}
}

static int write_one(enum state_brnf_key key, int value)
{
	char path[64], buf[4];
	int fd, rc = 0;

	path_of(path, sizeof(path), key);
	(void)snprintf(buf, sizeof(buf), "%d\n", value);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, 2) != 2)
		rc = errno ? -errno : -EIO;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	return rc;
}

/**
 * brnf_off() - Turn off, for the VM's time, the ones that are on
 * @orig:	the values as recorded before (brnf_read())
 * @err:	one-line reason on failure (a fault point only)
 * @err_len:	size of @err
 *
 * Where /proc/sys is read-only (an unprivileged container) they stay on,
 * with a warning: the VM's frames then cost what they cost.
 *
 * Return: 0, or a negative errno from a fault point
 */
int brnf_off(const int orig[STATE_BRNF_N], char *err, size_t err_len)
{
	int rc = fault_point("turn bridge-nf-call off", err, err_len);

	if (rc < 0)
		return rc;
	for (size_t k = 0; k < STATE_BRNF_N; k++) {
		if (orig[k] <= 0)
			continue; /* off already, or no br_netfilter */
		rc = write_one((enum state_brnf_key)k, 0);
		if (rc < 0)
			eventlog(
				LOG_WARNING,
				"cannot set net.bridge.bridge-nf-call-%s to 0 (%s): the VM's frames cross the pod's %s hooks",
				state_brnf_name((enum state_brnf_key)k),
				strerror(-rc),
				state_brnf_name((enum state_brnf_key)k));
	}
	return 0;
}

/**
 * brnf_restore() - Put back the ones prepare turned off
 * @orig:	the values as recorded
 * @e:		the restore's first error; a write that fails is noted
 *
 * Only a value that was on is written, and only when it differs now: a
 * second domain of the same pod records 0 (the first one's doing) and
 * leaves the sysctl to the first.
 */
void brnf_restore(const int orig[STATE_BRNF_N], struct first_err *e)
{
	int now[STATE_BRNF_N];

	brnf_read(now);
	for (size_t k = 0; k < STATE_BRNF_N; k++) {
		int rc;

		if (orig[k] <= 0 || now[k] == orig[k])
			continue;
		rc = write_one((enum state_brnf_key)k, orig[k]);
		first_err_note(
			e, rc,
			"cannot set net.bridge.bridge-nf-call-%s back to %d: %s",
			state_brnf_name((enum state_brnf_key)k), orig[k],
			strerror(-rc));
	}
}
