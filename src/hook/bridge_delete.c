// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RTM_DELLINK of a bridge returns only after the kernel's rcu_barrier() and
 * its wait for the last references (netdev_run_todo): 35-40 ms on the test
 * machine, against about 1 ms for everything else a restore does. The
 * bridge leaves the namespace (dumps, its name) before that wait, with the
 * RTNL lock released, so the rest of the restore need not wait for it: the
 * deletion runs in a thread with its own netlink socket, and the restore
 * joins it before it reads the pod back and returns.
 */
#include <errno.h>

#include "bridge_delete.h"
#include "netlink.h"
#include "netops.h"

static int delete_now(int ifindex)
{
	struct nl_sock *sk = netlink_open();
	int rc;

	if (!sk)
		return -errno;
	rc = netops_link_delete(sk, ifindex);
	netlink_closep(&sk);
	return rc;
}

static void *deletion_thread(void *arg)
{
	struct bridge_deletion *d = arg;

	d->rc = delete_now(d->ifindex);
	return NULL;
}

/**
 * bridge_delete_start() - Start deleting a link; bridge_delete_finish() waits
 * @d:		the deletion, owned by the caller until it is finished
 * @ifindex:	the link (a bridge without ports: nothing else waits on it)
 *
 * Without a thread (none can be made) the link is deleted here.
 */
void bridge_delete_start(struct bridge_deletion *d, int ifindex)
{
	d->ifindex = ifindex;
	d->rc = 0;
	d->running = pthread_create(&d->thread, NULL, deletion_thread, d) == 0;
	if (!d->running)
		d->rc = delete_now(ifindex);
}

/**
 * bridge_delete_finish() - Wait for a deletion that bridge_delete_start() began
 * @d:	the deletion
 *
 * Return: 0, or the deletion's negative errno
 */
int bridge_delete_finish(struct bridge_deletion *d)
{
	if (d->running) {
		(void)pthread_join(d->thread, NULL);
		d->running = false;
	}
	return d->rc;
}
