// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RTM_DELLINK of a bridge returns only after the kernel's waits: the
 * bridge's RCU grace periods with the RTNL lock held (its ports leave it,
 * their VLAN state is flushed), then, with the lock released, rcu_barrier()
 * and the wait for the last references (netdev_run_todo). 30-50 ms on the
 * test machine, against about 1 ms for everything else a restore does.
 *
 * The bridge is deleted with the pod interface still in it: the kernel
 * releases the port in the same locked section, so that its grace period
 * is paid once (releasing it first cost another 5-16 ms here). The
 * deletion runs in a thread with its own netlink socket. The restore waits
 * only until the kernel announces the bridge gone (RTM_DELLINK on
 * RTMGRP_LINK, sent before the lock is released: by then the pod interface
 * is a port no more), goes on meanwhile, and joins the thread last.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bridge_delete.h"
#include "netlink.h"
#include "netops.h"

/* Longer than any deletion seen; then the thread is joined instead. */
#define BRIDGE_DELETE_UNLIST_TIMEOUT_MS 10000

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
	uint64_t one = 1;

	d->rc = delete_now(d->ifindex);
	if (write(d->done_fd, &one, sizeof(one)) != (ssize_t)sizeof(one)) {
		/* Cannot fail on a fresh eventfd; the wait's limit would end
		 * the wait all the same. */
	}
	return NULL;
}

/* Link notifications, subscribed before the deletion starts: none lost. */
static int open_link_events(void)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK,
				 .nl_groups = RTMGRP_LINK};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
			NETLINK_ROUTE);

	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		(void)close(fd);
		return -1;
	}
	return fd;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		(void)close(*fd);
	*fd = -1;
}

/**
 * bridge_delete_start() - Start deleting a bridge; the finish waits
 * @d:		the deletion, owned by the caller until it is finished
 * @ifindex:	the bridge (its ports leave it with it)
 *
 * Without a thread or the notifications, the bridge is deleted here.
 */
void bridge_delete_start(struct bridge_deletion *d, int ifindex)
{
	d->ifindex = ifindex;
	d->rc = 0;
	d->running = false;
	d->events = open_link_events();
	d->done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->events >= 0 && d->done_fd >= 0)
		d->running = pthread_create(&d->thread, NULL, deletion_thread,
					    d) == 0;
	if (!d->running) {
		close_fd(&d->events);
		close_fd(&d->done_fd);
		d->rc = delete_now(ifindex);
	}
}

/* Whether @buf (@n bytes of notifications) holds the bridge's RTM_DELLINK;
 * every length is checked against what was read. */
static bool saw_dellink(const char *buf, size_t n, int ifindex)
{
	for (const struct nlmsghdr *h = (const void *)buf; NLMSG_OK(h, n);
	     h = NLMSG_NEXT(h, n)) {
		const struct ifinfomsg *ifi = NLMSG_DATA(h);

		if (h->nlmsg_type == RTM_DELLINK &&
		    h->nlmsg_len >= NLMSG_LENGTH(sizeof(*ifi)) &&
		    ifi->ifi_index == ifindex)
			return true;
	}
	return false;
}

/**
 * bridge_delete_wait_unlisted() - Wait until the bridge is gone from the
 * namespace (not for the kernel's clean-up after that)
 * @d:	the deletion
 *
 * Return: 0 when the bridge is gone or the deletion has returned (its
 * result comes from bridge_delete_finish()); a lost notification (the
 * socket overran) or the time limit joins the deletion instead.
 */
int bridge_delete_wait_unlisted(struct bridge_deletion *d)
{
	/* Notifications are small; a bridge's is well under 2 KiB. */
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));

	if (!d->running)
		return 0;
	for (;;) {
		struct pollfd p[2] = {{.fd = d->events, .events = POLLIN},
				      {.fd = d->done_fd, .events = POLLIN}};
		ssize_t n;
		int rc = poll(p, 2, BRIDGE_DELETE_UNLIST_TIMEOUT_MS);

		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0 || (p[1].revents & POLLIN))
			break;
		n = recv(d->events, buf, sizeof(buf), 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break; /* ENOBUFS: one was lost, maybe ours */
		if (saw_dellink(buf, (size_t)n, d->ifindex))
			return 0;
	}
	(void)bridge_delete_finish(d);
	return 0;
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
	close_fd(&d->events);
	close_fd(&d->done_fd);
	return d->rc;
}
