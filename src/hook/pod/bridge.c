// SPDX-License-Identifier: GPL-2.0-or-later
/* Bridge preparation of one pod interface, and its exact undo from the record.
 */
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
#include "bridge_delete.h"
#include "discover.h"
#include "errmsg.h"
#include "eventlog.h"
#include "fault.h"
#include "garp.h"
#include "netops.h"
#include "netops6.h"
#include "pod_diff.h"
#include "route6_nl.h"
#include "route_order.h"
#include "sysctl6.h"
#include "timing.h"
#include "unsol_na.h"

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

	if (s->orig.sysctl6.disable_ipv6 != 0)
		return 0; /* off already, or no IPv6 in this kernel */
	/* Without the link-local the kernel makes for its MAC (a CNI deleted
	 * it, or changed the MAC after IPv6 came up), turning IPv6 off and on
	 * would add that one: not exact. Left as it is (the record does not
	 * say which link-local was the kernel's), with a warning when it
	 * has addresses that then stay while the VM runs. */
	if (!s->orig.kernel_ll) {
		if (s->orig.n_addrs6)
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

static int fail(char *err, size_t err_len, const struct state_iface *s,
		const char *what, int rc)
{
	errmsg_set(err, err_len, "interface '%s': %s '%s': %s", s->orig.name,
		   what, s->bridge, strerror(-rc));
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
 * bridge_restore_iface(), which works from the record, not from these steps.
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
		return fail(err, err_len, s, "cannot create bridge", br);
	bridge_disable_ipv6(s->bridge);
	if (s->pod_mac_changed) {
		rc = fault_point("change MAC", err, err_len);
		if (rc == 0)
			rc = netops_link_set_mac(sk, ifindex, s->temp_mac);
		if (rc < 0) {
			errmsg_set(
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
			errmsg_set(
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

/*
 * Delete the bridge only if podnet owns the name and it is still a bridge.
 * It goes with the pod interface still in it (the kernel releases the
 * port), in @del (bridge_delete.c): the restore goes on once the bridge is
 * gone from the namespace, while the kernel's long clean-up after that
 * runs on, and nothing the restore does races with it.
 */
static int remove_bridge(struct nl_sock *sk, const struct state_iface *s,
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

/*
 * While the domain ran, the node learnt the pod's addresses at the VM's
 * MAC; with the pod interface's own MAC back in charge, say so (one
 * gratuitous ARP, one unsolicited NA per global IPv6 address), or the node
 * keeps sending to the gone VM until its neighbour entry expires (37-52 s
 * seen). One packet socket for all: each close waits for an RCU grace
 * period (packet_release(), 6-20 ms here), which the bridge's deletion,
 * still running in its thread, overlaps. Best effort: a frame that cannot
 * be sent leaves the node to learn the MAC by itself.
 */
static void announce_pod(const struct pod_iface *o)
{
	const struct pod_addr *v4 = pod_primary_addr(o);
	int fd = garp_open_socket(o->ifindex);

	if (fd < 0)
		return;
	if (v4)
		(void)garp_send(fd, o->ifindex, o->mac, v4->local);
	(void)unsol_na_announce_pod(fd, o);
	(void)close(fd);
}

/* The first failure, in words, for the user's line; later ones only count. */
struct restore_err {
	int rc;
	char what[320];
};

static void note(struct restore_err *e, int rc, const char *step,
		 const char *object)
{
	if (rc >= 0)
		return;
	if (e->rc < 0) {
		/* Not the user's line, but never lost. */
		eventlog(LOG_ERR, "restore: also: %s%s%s: %s", step,
			 object[0] ? " " : "", object, strerror(-rc));
		return;
	}
	e->rc = rc;
	(void)snprintf(e->what, sizeof(e->what), "%s%s%s: %s", step,
		       object[0] ? " " : "", object, strerror(-rc));
}

/* The deletion's failure stays the first one named, as when it ran first. */
static void finish_remove_bridge(struct bridge_deletion *del,
				 const struct state_iface *s,
				 struct restore_err *e)
{
	struct restore_err first = {0};
	int rc = bridge_delete_finish(del);

	if (rc >= 0)
		return;
	note(&first, rc, "delete bridge", s->bridge);
	if (e->rc < 0)
		eventlog(LOG_ERR, "restore: also: %s", e->what);
	*e = first;
}

/*
 * Adding the first address makes the kernel add its own routes (the
 * subnet's prefix route), which a CNI may have deleted: ptp replaces it
 * with `SUBNET via GW`, whose key is the same, so it could not be added
 * back. Drop every route on the link that the record does not have.
 */
/* The link as it is now: each step changes only what differs from it. */
static struct pod_iface restore_now;

static void drop_unrecorded_routes(struct nl_sock *sk,
				   const struct pod_iface *o,
				   struct restore_err *e)
{
	struct pod_iface *now = &restore_now;
	char text[160];

	/* Addresses were just added: read the routes the kernel made. */
	note(e, discover_iface_config(sk, now), "read routes", "");
	for (size_t i = 0; i < now->n_routes; i++) {
		if (pod_has_route(o, &now->routes[i]))
			continue;
		(void)pod_route_text(&now->routes[i], text, sizeof(text));
		note(e, netops_route_del(sk, o->ifindex, &now->routes[i]),
		     "delete route", text);
	}
}

static void restore_routes(struct nl_sock *sk, const struct pod_iface *o,
			   struct restore_err *e)
{
	size_t order[PODNET_MAX_ROUTES];
	size_t n = route_restore_order(o, order);
	char text[160];

	for (size_t i = 0; i < n; i++) {
		const struct pod_route *r = &o->routes[order[i]];
		int rc;

		/* There already, exactly (read by drop_unrecorded_routes). */
		if (pod_has_route(&restore_now, r))
			continue;
		rc = netops_route_add(sk, o->ifindex, r);

		/* Already there: the check below tells whether it is ours. */
		if (rc == -EEXIST)
			continue;
		(void)pod_route_text(r, text, sizeof(text));
		note(e, rc, "add route", text);
	}
}

/* The IPv6 routes the kernel made with the addresses that the record
 * lacks go (a CNI may have replaced a prefix route), as for IPv4. */
static void drop_unrecorded_routes6(struct nl_sock *sk,
				    const struct pod_iface *o,
				    struct restore_err *e)
{
	const struct pod_iface *now = &restore_now;
	char text[200];

	for (size_t i = 0; i < now->n_routes6; i++) {
		if (pod_has_route6(o, &now->routes6[i]))
			continue;
		(void)pod_route6_text(&now->routes6[i], text, sizeof(text));
		note(e, route6_del(sk, o->ifindex, &now->routes6[i]),
		     "delete route", text);
	}
}

static void restore_routes6(struct nl_sock *sk, const struct pod_iface *o,
			    struct restore_err *e)
{
	size_t order[PODNET_MAX_ROUTES6];
	size_t n = route6_restore_order(o, order);
	char text[200];

	for (size_t i = 0; i < n; i++) {
		const struct pod_route6 *r = &o->routes6[order[i]];
		int rc;

		if (pod_has_route6(&restore_now, r))
			continue;
		rc = route6_add(sk, o->ifindex, r);
		if (rc == -EEXIST)
			continue;
		(void)pod_route6_text(r, text, sizeof(text));
		note(e, rc, "add route", text);
	}
}

static void set_sysctl6(const struct pod_iface *o, enum sysctl6_key key,
			int want, struct restore_err *e)
{
	if (want == POD_SYSCTL6_UNKNOWN ||
	    sysctl6_get(&restore_now.sysctl6, key) == want)
		return;
	note(e, sysctl6_write(o->name, key, want), "set IPv6",
	     sysctl6_name(key));
}

/*
 * IPv6 back on, as recorded: addr_gen_mode before disable_ipv6=0, so
 * that the kernel makes the same link-local again. DAD is off meanwhile
 * (accept_dad=0): an address added back without nodad would otherwise be
 * tentative for a second, and adding it with nodad would leave a flag
 * the pod never had; the VM that used the addresses is gone. accept_dad
 * is put back after the addresses.
 */
static void ipv6_on(const struct pod_iface *o, struct restore_err *e)
{
	const struct pod_sysctl6 *want = &o->sysctl6;

	set_sysctl6(o, SYSCTL6_ADDR_GEN_MODE, want->addr_gen_mode, e);
	if (want->disable_ipv6 == 0 && restore_now.sysctl6.disable_ipv6 != 0) {
		if (restore_now.sysctl6.accept_dad > 0) {
			note(e, sysctl6_write(o->name, SYSCTL6_ACCEPT_DAD, 0),
			     "set IPv6", "accept_dad");
			restore_now.sysctl6.accept_dad = 0;
		}
	}
	set_sysctl6(o, SYSCTL6_DISABLE_IPV6, want->disable_ipv6, e);
}

static void restore_ipv6(struct nl_sock *sk, const struct pod_iface *o,
			 struct restore_err *e)
{
	char text[INET6_ADDRSTRLEN];

	ipv6_on(o, e);
	for (size_t i = 0; i < o->n_addrs6; i++) {
		if (pod_has_addr6(&restore_now, &o->addrs6[i]))
			continue;
		(void)inet_ntop(AF_INET6, &o->addrs6[i].local, text,
				sizeof(text));
		note(e, netops6_addr_add(sk, o->ifindex, &o->addrs6[i]),
		     "add address", text);
	}
	/* Addresses were just added: read the routes the kernel made. */
	note(e, discover_iface_config(sk, &restore_now), "read routes", "");
	drop_unrecorded_routes6(sk, o, e);
	restore_routes6(sk, o, e);
	for (size_t i = 0; i < o->n_neighs6; i++) {
		if (pod_has_neigh6(&restore_now, &o->neighs6[i]))
			continue;
		(void)inet_ntop(AF_INET6, &o->neighs6[i].dst, text,
				sizeof(text));
		note(e, netops6_neigh_set(sk, o->ifindex, &o->neighs6[i]),
		     "add permanent neighbour", text);
	}
	set_sysctl6(o, SYSCTL6_ACCEPT_DAD, o->sysctl6.accept_dad, e);
	set_sysctl6(o, SYSCTL6_ACCEPT_RA, o->sysctl6.accept_ra, e);
}

/* Read the link again and compare it with the record, attribute by
 * attribute: a restore that "succeeded" but differs is a failure. */
static void verify(struct nl_sock *sk, const struct pod_iface *o,
		   struct restore_err *e)
{
	static struct pod_iface now;
	char what[200];
	int rc;

	memset(&now, 0, sizeof(now));
	rc = discover_iface_now(sk, o->ifindex, &now);
	if (rc < 0) {
		note(e, rc, "read it back", "");
		return;
	}
	if (pod_iface_diff(o, &now, what, sizeof(what)) && e->rc == 0) {
		e->rc = -EPROTO;
		(void)snprintf(e->what, sizeof(e->what),
			       "restored, but not as recorded: %s", what);
	}
}

/**
 * bridge_restore_iface() - Put the pod interface back exactly as recorded
 * @sk:		netlink socket
 * @s:		the record of this interface
 * @err:	first problem met, one line (restoring goes on regardless)
 * @err_len:	size of @err
 *
 * Idempotent and safe on a half-done or never-done prepare: every step
 * looks at the current state first, and only what podnet created is
 * removed. In dependency order: the link (MAC, MTU, flags), addresses,
 * then the routes the kernel made and the record lacks go, then the
 * recorded routes (each gateway after the route that reaches it), then
 * the permanent neighbours; then IPv6 the same way after its sysctls
 * (addr_gen_mode, disable_ipv6 with DAD off meanwhile, then accept_dad and
 * accept_ra); last, a fresh reading is compared with the record.
 *
 * Return: 0, or the first negative errno met (-EPROTO: restored, but it
 * differs from the record)
 */
int bridge_restore_iface(struct nl_sock *sk, const struct state_iface *s,
			 char *err, size_t err_len)
{
	const struct pod_iface *o = &s->orig;
	struct restore_err e = {0};
	struct bridge_deletion del = {0};
	char text[INET_ADDRSTRLEN + 4];
	uint8_t mac[MAC_LEN];
	uint32_t mtu = 0;
	int master = 0, rc;

	note(&e, remove_bridge(sk, s, &del), "delete bridge", s->bridge);
	timing_step("delete the bridge, until it leaves the namespace",
		    s->bridge);
	rc = netops_link_get(sk, o->ifindex, NULL, mac, &mtu, &master, NULL);
	if (rc < 0) {
		errmsg_set(err, err_len,
			   "interface '%s': gone, nothing to restore", o->name);
		(void)bridge_delete_finish(&del);
		return rc;
	}
	/* Still a port only if deleting the bridge failed: release it then. */
	if (master > 0 && s->bridge_owned &&
	    master == discover_link_exists(sk, s->bridge))
		note(&e, netops_link_set_master(sk, o->ifindex, 0),
		     "release from bridge", s->bridge);
	if (memcmp(mac, o->mac, MAC_LEN) != 0)
		note(&e, netops_link_set_mac(sk, o->ifindex, o->mac), "set MAC",
		     "");
	if (mtu != o->mtu)
		note(&e, netops_link_set_mtu(sk, o->ifindex, o->mtu), "set MTU",
		     "");
	/* A prepare that failed early changed little or nothing: write
	 * only what differs, so that an undo needs no more than the change
	 * did (and nothing at all where nothing changed). */
	memset(&restore_now, 0, sizeof(restore_now));
	note(&e, discover_iface_now(sk, o->ifindex, &restore_now), "read it",
	     "");
	if (restore_now.link_flags != o->link_flags)
		note(&e, netops_link_set_flags(sk, o->ifindex, o->link_flags),
		     "set link flags", "");
	timing_step("restore the link, read it", o->name);
	for (size_t i = 0; i < o->n_addrs; i++) {
		if (pod_has_addr(&restore_now, &o->addrs[i]))
			continue;
		(void)inet_ntop(AF_INET, &o->addrs[i].local, text,
				sizeof(text));
		note(&e, netops_addr_add(sk, o->ifindex, &o->addrs[i]),
		     "add address", text);
	}
	timing_step("restore the addresses", o->name);
	drop_unrecorded_routes(sk, o, &e);
	restore_routes(sk, o, &e);
	timing_step("restore the routes", o->name);
	restore_ipv6(sk, o, &e);
	timing_step("restore IPv6", o->name);
	for (size_t i = 0; i < o->n_neighs; i++) {
		if (pod_has_neigh(&restore_now, &o->neighs[i]))
			continue;
		(void)inet_ntop(AF_INET, &o->neighs[i].dst, text, sizeof(text));
		note(&e, netops_neigh_set(sk, o->ifindex, &o->neighs[i]),
		     "add permanent neighbour", text);
	}
	timing_step("restore the neighbours", o->name);
	/* Nothing to say when the VM had the pod interface's MAC. */
	if (memcmp(s->vm_mac, o->mac, MAC_LEN) != 0)
		announce_pod(o);
	timing_step("gratuitous ARP and NA", o->name);
	verify(sk, o, &e);
	timing_step("read back and compare", o->name);
	finish_remove_bridge(&del, s, &e);
	timing_step("wait for the kernel to finish deleting the bridge",
		    s->bridge);
	if (e.rc < 0)
		errmsg_set(err, err_len, "interface '%s': %s", o->name, e.what);
	return e.rc;
}
