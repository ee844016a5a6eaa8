// SPDX-License-Identifier: GPL-2.0-or-later
/* The bridge of one pod interface: made at prepare, deleted at restore. */
#include <net/if.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <syslog.h>
#include <unistd.h>

#include "bridge.h"
#include "discover.h"
#include "errmsg.h"
#include "eventlog.h"
#include "fault.h"
#include "netlink.h"
#include "netops.h"
#include "sysctl6.h"

/**
 * bridge_random_mac() - A random unicast, locally administered MAC
 * @ret:	the address
 */
void bridge_random_mac(uint8_t ret[MAC_LEN])
{
	if (getrandom(ret, MAC_LEN, 0) != MAC_LEN) {
		/* No entropy yet: still unique enough within one pod. */
		for (size_t i = 0; i < MAC_LEN; i++)
			ret[i] = (uint8_t)(getpid() >> (i % 4 * 8));
	}
	ret[0] = (uint8_t)((ret[0] & 0xfc) | 0x02);
}

/*
 * A bridge with an IPv6 link-local address would send router and neighbour
 * solicitations of its own out through the pod interface toward the node.
 */
static void bridge_disable_ipv6(const char *bridge)
{
	char path[128];
	int fd;

	if (snprintf(path, sizeof(path),
		     "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
		     bridge) >= (int)sizeof(path))
		return;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return; /* IPv6 off in this kernel: nothing to do */
	(void)!write(fd, "1", 1);
	(void)close(fd);
}

/*
 * The pod interface as a bridge port speaks no IPv6: disable_ipv6=1 drops
 * its addresses and routes and stops its RS, NS/NA and MLD, which would
 * carry the pod's MAC toward the node (and fail the VM's DAD when it has
 * that MAC). Where /proc/sys is read-only (an unprivileged container) it
 * stays as today, with a warning.
 */
static int pod_ipv6_off(const struct state_iface *s, char *err, size_t err_len)
{
	int rc;

	if (s->orig.v6.sysctl6.disable_ipv6 != 0)
		return 0; /* off already, or no IPv6 in this kernel */
	/* Without the link-local the kernel makes for its MAC (a CNI deleted
	 * it, or changed the MAC after IPv6 came up), turning IPv6 off and on
	 * would add that one: not exact. Left as it is (the record does not
	 * say which link-local was the kernel's), with a warning when it
	 * has addresses that then stay while the VM runs. */
	if (!s->orig.v6.kernel_ll) {
		if (pod_count(s->orig.addrs, s->orig.n_addrs, AF_INET6))
			eventlog(
				LOG_WARNING,
				"interface '%s': no link-local of its own MAC: its IPv6 stays on while the VM runs",
				s->orig.name);
		return 0;
	}
	rc = fault_point("disable IPv6 on the pod interface", err, err_len);
	if (rc < 0)
		return rc;
	rc = sysctl6_write(s->orig.name, SYSCTL6_DISABLE_IPV6, 1);
	if (rc < 0)
		eventlog(
			LOG_WARNING,
			"interface '%s': cannot disable IPv6 on it (%s): its own IPv6 stays while the VM runs",
			s->orig.name, strerror(-rc));
	return 0;
}

static int fail(struct nl_sock *sk, char *err, size_t err_len,
		const struct state_iface *s, const char *what, int rc)
{
	errmsg_set(err, err_len, "interface '%s': %s '%s': %s", s->orig.name,
		   what, s->bridge, netlink_strerror(sk, rc));
	return rc;
}

/**
 * bridge_prepare_iface() - Build the bridge and move the pod interface in
 * @sk:		netlink socket
 * @s:		the recorded plan for this interface (already on disk)
 * @err:	one-line reason on failure
 * @err_len:	size of @err
 *
 * Steps, in order: disable IPv6 on the pod interface (its IPv6 addresses
 * and routes go with it); create the bridge (pod MTU, fixed MAC); give the pod
 * interface a new MAC if the VM takes its own; take its IPv4 addresses off
 * (the kernel drops its routes with the last one); make it a bridge port;
 * bring the bridge up. The caller undoes a partial run with
 * restore_iface(), which works from the record, not from these steps.
 *
 * Return: 0, or a negative errno with @err set
 */
int bridge_prepare_iface(struct nl_sock *sk, const struct state_iface *s,
			 char *err, size_t err_len)
{
	int ifindex = s->orig.ifindex, br, rc;

	rc = pod_ipv6_off(s, err, err_len);
	if (rc < 0)
		return rc;
	rc = fault_point("create bridge", err, err_len);
	if (rc < 0)
		return rc;
	br = netops_bridge_create(sk, s->bridge, s->orig.mtu, s->bridge_mac);
	if (br < 0)
		return fail(sk, err, err_len, s, "cannot create bridge", br);
	bridge_disable_ipv6(s->bridge);
	if (s->pod_mac_changed) {
		rc = fault_point("change MAC", err, err_len);
		if (rc == 0)
			rc = netops_link_set_mac(sk, ifindex, s->temp_mac);
		if (rc < 0) {
			errmsg_set(
				err, err_len,
				"interface '%s': cannot change its MAC (the VM takes it): %s",
				s->orig.name, netlink_strerror(sk, rc));
			return rc;
		}
	}
	/* IPv4's only: IPv6 goes off with its sysctl (pod_ipv6_off()). */
	for (size_t i = s->orig.n_addrs; i-- > 0;) {
		if (s->orig.addrs[i].family != AF_INET)
			continue;
		rc = fault_point("remove address", err, err_len);
		if (rc < 0)
			return rc;
		rc = netops_addr_del(sk, ifindex, &s->orig.addrs[i]);
		if (rc < 0) {
			errmsg_set(
				err, err_len,
				"interface '%s': cannot remove its IPv4 address: %s",
				s->orig.name, netlink_strerror(sk, rc));
			return rc;
		}
	}
	rc = fault_point("add to bridge", err, err_len);
	if (rc < 0)
		return rc;
	rc = netops_link_set_master(sk, ifindex, br);
	if (rc < 0)
		return fail(sk, err, err_len, s, "cannot add it to bridge", rc);
	rc = fault_point("bring bridge up", err, err_len);
	if (rc < 0)
		return rc;
	rc = netops_link_set_up(sk, br, true);
	if (rc < 0)
		return fail(sk, err, err_len, s, "cannot bring up bridge", rc);
	return 0;
}

/**
 * bridge_remove_start() - Start deleting the bridge podnet made
 * @sk:		netlink socket
 * @s:		the record of this interface
 * @del:	the deletion, for bridge_delete_finish()
 *
 * Only if podnet owns the name and it is still a bridge. It goes with the
 * pod interface still in it (the kernel releases the port), in @del
 * (bridge_delete.c): the restore goes on once the bridge is gone from the
 * namespace, while the kernel's long clean-up after that runs on, and
 * nothing the restore does races with it.
 *
 * Return: 0 (also when there is nothing to delete), or a negative errno
 */
int bridge_remove_start(struct nl_sock *sk, const struct state_iface *s,
			struct bridge_deletion *del)
{
	bool is_bridge = false;
	int br;

	if (!s->bridge_owned)
		return 0;
	br = discover_link_exists(sk, s->bridge);
	if (br <= 0)
		return br;
	if (netops_link_get(sk, br, NULL, NULL, NULL, NULL, &is_bridge) < 0 ||
	    !is_bridge)
		return 0;
	bridge_delete_start(del, br);
	return bridge_delete_wait_unlisted(del);
}
