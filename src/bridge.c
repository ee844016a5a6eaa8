// SPDX-License-Identifier: GPL-2.0-or-later
/* Bridge preparation of one pod interface, and its exact undo from the record.
 */
#include <net/if.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "bridge.h"
#include "discover.h"
#include "fault.h"
#include "garp.h"
#include "netops.h"

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

static int fail(char *err, size_t err_len, const struct state_iface *s,
		const char *what, int rc)
{
	(void)snprintf(err, err_len, "interface '%s': %s '%s': %s",
		       s->orig.name, what, s->bridge, strerror(-rc));
	return rc;
}

/**
 * bridge_prepare_iface() - Build the bridge and move the pod interface in
 * @sk:		netlink socket
 * @s:		the recorded plan for this interface (already on disk)
 * @err:	one-line reason on failure
 * @err_len:	size of @err
 *
 * Steps, in order: create the bridge (pod MTU, fixed MAC); give the pod
 * interface a new MAC if the VM takes its own; take its IPv4 addresses off
 * (the kernel drops its routes with the last one); make it a bridge port;
 * bring the bridge up. The caller undoes a partial run with
 * bridge_restore_iface(), which works from the record, not from these steps.
 *
 * Return: 0, or a negative errno with @err set
 */
int bridge_prepare_iface(struct nl_sock *sk, const struct state_iface *s,
			 char *err, size_t err_len)
{
	int ifindex = s->orig.ifindex, br, rc;

	rc = fault_point("create bridge", err, err_len);
	if (rc < 0)
		return rc;
	br = netops_bridge_create(sk, s->bridge, s->orig.mtu, s->bridge_mac);
	if (br < 0)
		return fail(err, err_len, s, "cannot create bridge", br);
	bridge_disable_ipv6(s->bridge);
	if (s->pod_mac_changed) {
		rc = fault_point("change MAC", err, err_len);
		if (rc == 0)
			rc = netops_link_set_mac(sk, ifindex, s->temp_mac);
		if (rc < 0) {
			(void)snprintf(
				err, err_len,
				"interface '%s': cannot change its MAC (the VM takes it): %s",
				s->orig.name, strerror(-rc));
			return rc;
		}
	}
	for (size_t i = s->orig.n_addrs; i-- > 0;) {
		rc = fault_point("remove address", err, err_len);
		if (rc < 0)
			return rc;
		rc = netops_addr_del(sk, ifindex, &s->orig.addrs[i]);
		if (rc < 0) {
			(void)snprintf(
				err, err_len,
				"interface '%s': cannot remove its IPv4 address: %s",
				s->orig.name, strerror(-rc));
			return rc;
		}
	}
	rc = fault_point("add to bridge", err, err_len);
	if (rc < 0)
		return rc;
	rc = netops_link_set_master(sk, ifindex, br);
	if (rc < 0)
		return fail(err, err_len, s, "cannot add it to bridge", rc);
	rc = fault_point("bring bridge up", err, err_len);
	if (rc < 0)
		return rc;
	rc = netops_link_set_up(sk, br, true);
	if (rc < 0)
		return fail(err, err_len, s, "cannot bring up bridge", rc);
	return 0;
}

static void keep_first(int *first, int rc)
{
	if (rc < 0 && *first == 0)
		*first = rc;
}

/* Delete the bridge only if podnet owns the name and it is still a bridge. */
static int remove_bridge(struct nl_sock *sk, const struct state_iface *s)
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
	return netops_link_delete(sk, br);
}

/*
 * While the domain ran, the node learnt the pod IP at the VM's MAC; with
 * the pod interface's own MAC back in charge, say so, or the node keeps
 * sending to the gone VM until its neighbour entry expires (37-52 s seen).
 * Nothing to say when the VM had the pod interface's MAC.
 */
static void announce_pod(const struct state_iface *s)
{
	const struct pod_addr *a = discover_primary_addr(&s->orig);

	if (a && memcmp(s->vm_mac, s->orig.mac, MAC_LEN) != 0)
		(void)garp_announce(s->orig.ifindex, s->orig.mac, a->local);
}

/**
 * bridge_restore_iface() - Put the pod interface back exactly as recorded
 * @sk:		netlink socket
 * @s:		the record of this interface
 * @err:	first problem met, one line (restoring goes on regardless)
 * @err_len:	size of @err
 *
 * Idempotent and safe on a half-done or never-done prepare: every step
 * looks at the current state first, and only what podnet created is removed.
 *
 * Return: 0, or the first negative errno met
 */
int bridge_restore_iface(struct nl_sock *sk, const struct state_iface *s,
			 char *err, size_t err_len)
{
	const struct pod_iface *o = &s->orig;
	uint8_t mac[MAC_LEN];
	uint32_t mtu = 0;
	int master = 0, first = 0, rc;

	keep_first(&first, remove_bridge(sk, s));
	rc = netops_link_get(sk, o->ifindex, NULL, mac, &mtu, &master, NULL);
	if (rc < 0) {
		(void)snprintf(err, err_len,
			       "interface '%s': gone, nothing to restore",
			       o->name);
		return rc;
	}
	/* Still a port only if deleting the bridge failed: release it then. */
	if (master > 0 && s->bridge_owned &&
	    master == discover_link_exists(sk, s->bridge))
		keep_first(&first, netops_link_set_master(sk, o->ifindex, 0));
	if (memcmp(mac, o->mac, MAC_LEN) != 0)
		keep_first(&first, netops_link_set_mac(sk, o->ifindex, o->mac));
	if (mtu != o->mtu)
		keep_first(&first, netops_link_set_mtu(sk, o->ifindex, o->mtu));
	keep_first(&first, netops_link_set_up(sk, o->ifindex, true));
	for (size_t i = 0; i < o->n_addrs; i++)
		keep_first(&first,
			   netops_addr_add(sk, o->ifindex, &o->addrs[i]));
	for (size_t i = 0; i < o->n_routes; i++)
		keep_first(&first,
			   netops_route_add(sk, o->ifindex, &o->routes[i]));
	announce_pod(s);
	if (first < 0)
		(void)snprintf(err, err_len,
			       "interface '%s': cannot restore it fully: %s",
			       o->name, strerror(-first));
	return first;
}
