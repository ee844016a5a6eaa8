// SPDX-License-Identifier: GPL-2.0-or-later
/* The exact restore of one pod interface from its record: each step reads
 * what is there and changes only what differs, then a fresh reading is
 * compared with the record. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "bridge.h"
#include "discover.h"
#include "errmsg.h"
#include "eventlog.h"
#include "garp.h"
#include "netlink.h"
#include "netops.h"
#include "pod_diff.h"
#include "restore.h"
#include "route_order.h"
#include "sysctl6.h"
#include "timing.h"
#include "unsol_na.h"

/* One restore run, passed to every step. */
struct restore {
	struct nl_sock *sk;
	const struct pod_iface *o; /* the record */
	struct pod_iface now;	   /* the link as it is: see each step */
	struct first_err err;
};

static void restore_also(const char *msg)
{
	/* Not the user's line, but never lost. */
	eventlog(LOG_ERR, "restore: also: %s", msg);
}

static void note_why(struct restore *r, int rc, const char *why,
		     const char *step, const char *object)
{
	first_err_note(&r->err, rc, "%s%s%s: %s", step, object[0] ? " " : "",
		       object, why);
}

/* A netlink step: the kernel's errno and its extended ack message. */
static void note(struct restore *r, int rc, const char *step,
		 const char *object)
{
	if (rc < 0)
		note_why(r, rc, netlink_strerror(r->sk, rc), step, object);
}

/* A sysctl step. */
static void note_sysctl(struct restore *r, int rc, const char *object)
{
	if (rc < 0)
		note_why(r, rc, strerror(-rc), "set IPv6", object);
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
		(void)garp_send(fd, o->ifindex, o->mac, v4->local.v4.a4);
	(void)unsol_na_announce_pod(fd, o);
	(void)close(fd);
}

/* The deletion's failure stays the first one named, as when it ran first. */
static void finish_remove_bridge(struct bridge_deletion *del,
				 const struct state_iface *s,
				 struct first_err *e)
{
	struct first_err first = {.also = e->also};
	int rc = bridge_delete_finish(del);

	if (rc >= 0)
		return;
	first_err_note(&first, rc, "delete bridge %s: %s", s->bridge,
		       strerror(-rc));
	if (e->rc < 0)
		restore_also(e->msg);
	*e = first;
}

/*
 * Adding the first address makes the kernel add its own routes (the
 * subnet's prefix route), which a CNI may have deleted: ptp replaces it
 * with `SUBNET via GW`, whose key is the same, so it could not be added
 * back. Drop every route of @af on the link that the record does not
 * have (for IPv6 as for IPv4).
 */
static void drop_unrecorded_routes(struct restore *r, sa_family_t af)
{
	const struct pod_route *x;
	char text[200];

	/* Addresses were just added: read the routes the kernel made. */
	note(r, discover_iface_config(r->sk, &r->now), "read routes", "");
	pod_for_each (x, r->now.routes, r->now.n_routes, af) {
		if (pod_has_route(r->o, x))
			continue;
		(void)pod_route_text(x, text, sizeof(text));
		note(r, netops_route_del(r->sk, r->o->ifindex, x),
		     "delete route", text);
	}
}

static void restore_routes(struct restore *r, sa_family_t af)
{
	size_t order[PODNET_MAX_POD_ROUTES];
	size_t n = route_restore_order(r->o, af, order);
	char text[200];

	for (size_t i = 0; i < n; i++) {
		const struct pod_route *rt = &r->o->routes[order[i]];
		int rc;

		/* There already, exactly (read by drop_unrecorded_routes). */
		if (pod_has_route(&r->now, rt))
			continue;
		rc = netops_route_add(r->sk, r->o->ifindex, rt);

		/* Already there: the check below tells whether it is ours. */
		if (rc == -EEXIST)
			continue;
		(void)pod_route_text(rt, text, sizeof(text));
		note(r, rc, "add route", text);
	}
}

/* The addresses of @af the link lacks. */
static void restore_addrs(struct restore *r, sa_family_t af)
{
	const struct pod_addr *a;
	char text[INANY_ADDRSTRLEN];

	pod_for_each (a, r->o->addrs, r->o->n_addrs, af) {
		if (pod_has_addr(&r->now, a))
			continue;
		note(r, netops_addr_add(r->sk, r->o->ifindex, a), "add address",
		     inany_ntop(&a->local, text));
	}
}

/* The permanent neighbours of @af the link lacks. */
static void restore_neighs(struct restore *r, sa_family_t af)
{
	const struct pod_neigh *n;
	char text[INANY_ADDRSTRLEN];

	pod_for_each (n, r->o->neighs, r->o->n_neighs, af) {
		if (pod_has_neigh(&r->now, n))
			continue;
		note(r, netops_neigh_set(r->sk, r->o->ifindex, n),
		     "add permanent neighbour", inany_ntop(&n->dst, text));
	}
}

static void set_sysctl6(struct restore *r, enum sysctl6_key key, int want)
{
	if (want == POD_SYSCTL6_UNKNOWN ||
	    sysctl6_get(&r->now.v6.sysctl6, key) == want)
		return;
	note_sysctl(r, sysctl6_write(r->o->name, key, want), sysctl6_name(key));
}

/*
 * IPv6 back on, as recorded: addr_gen_mode before disable_ipv6=0, so
 * that the kernel makes the same link-local again. DAD is off meanwhile
 * (accept_dad=0): an address added back without nodad would otherwise be
 * tentative for a second, and adding it with nodad would leave a flag
 * the pod never had; the VM that used the addresses is gone. accept_dad
 * is put back after the addresses.
 */
static void ipv6_on(struct restore *r)
{
	const struct pod_sysctl6 *want = &r->o->v6.sysctl6;

	set_sysctl6(r, SYSCTL6_ADDR_GEN_MODE, want->addr_gen_mode);
	if (want->disable_ipv6 == 0 && r->now.v6.sysctl6.disable_ipv6 != 0 &&
	    r->now.v6.sysctl6.accept_dad > 0) {
		note_sysctl(r, sysctl6_write(r->o->name, SYSCTL6_ACCEPT_DAD, 0),
			    "accept_dad");
		r->now.v6.sysctl6.accept_dad = 0;
	}
	set_sysctl6(r, SYSCTL6_DISABLE_IPV6, want->disable_ipv6);
}

static void restore_ipv6(struct restore *r)
{
	const struct pod_iface *o = r->o;
	ipv6_on(r);
	restore_addrs(r, AF_INET6);
	drop_unrecorded_routes(r, AF_INET6);
	restore_routes(r, AF_INET6);
	restore_neighs(r, AF_INET6);
	set_sysctl6(r, SYSCTL6_ACCEPT_DAD, o->v6.sysctl6.accept_dad);
	set_sysctl6(r, SYSCTL6_ACCEPT_RA, o->v6.sysctl6.accept_ra);
}

/* Read the link again and compare it with the record, attribute by
 * attribute: a restore that "succeeded" but differs is a failure. The
 * reading reuses @r->now, which no step needs any more. */
static void verify(struct restore *r)
{
	char what[200];
	int rc;

	memset(&r->now, 0, sizeof(r->now));
	rc = discover_iface_now(r->sk, r->o->ifindex, &r->now);
	if (rc < 0) {
		note(r, rc, "read it back", "");
		return;
	}
	if (pod_iface_diff(r->o, &r->now, what, sizeof(what)) && r->err.rc == 0)
		first_err_note(&r->err, -EPROTO,
			       "restored, but not as recorded: %s", what);
}

/* Return: 0, or a negative errno when the link cannot be read (gone) */
static int restore_link(struct restore *r, const struct state_iface *s)
{
	const struct pod_iface *o = r->o;
	uint8_t mac[MAC_LEN];
	uint32_t mtu = 0;
	int master = 0;
	int rc = netops_link_get(r->sk, o->ifindex, NULL, mac, &mtu, &master,
				 NULL);

	if (rc < 0)
		return rc;
	/* Still a port only if deleting the bridge failed: release it then. */
	if (master > 0 && s->bridge_owned &&
	    master == discover_link_exists(r->sk, s->bridge))
		note(r, netops_link_set_master(r->sk, o->ifindex, 0),
		     "release from bridge", s->bridge);
	if (memcmp(mac, o->mac, MAC_LEN) != 0)
		note(r, netops_link_set_mac(r->sk, o->ifindex, o->mac),
		     "set MAC", "");
	if (mtu != o->mtu)
		note(r, netops_link_set_mtu(r->sk, o->ifindex, o->mtu),
		     "set MTU", "");
	/* A prepare that failed early changed little or nothing: write
	 * only what differs, so that an undo needs no more than the change
	 * did (and nothing at all where nothing changed). */
	memset(&r->now, 0, sizeof(r->now));
	note(r, discover_iface_now(r->sk, o->ifindex, &r->now), "read it", "");
	if (r->now.link_flags != o->link_flags)
		note(r, netops_link_set_flags(r->sk, o->ifindex, o->link_flags),
		     "set link flags", "");
	return 0;
}

/**
 * restore_iface() - Put the pod interface back exactly as recorded
 * @sk:		netlink socket
 * @s:		the record of this interface
 * @announce:	say that the pod's addresses are at the pod interface's MAC
 *		again (gratuitous ARP, unsolicited NA); false where the VM
 *		runs elsewhere with them (a live migration)
 * @err:	first problem met, one line (restoring goes on regardless)
 * @err_len:	size of @err
 *
 * Idempotent and safe on a half-done or never-done prepare: every step
 * looks at the current state first, and only what podnet created is
 * removed. In dependency order: the bridge goes, the link (MAC, MTU,
 * flags), addresses, then the routes the kernel made and the record lacks
 * go, then the recorded routes (each gateway after the route that reaches
 * it); then IPv6 the same way after its sysctls (addr_gen_mode,
 * disable_ipv6 with DAD off meanwhile, then accept_dad and accept_ra);
 * then the permanent neighbours; last, a fresh reading is compared with
 * the record.
 *
 * Return: 0, or the first negative errno met (-EPROTO: restored, but it
 * differs from the record)
 */
int restore_iface(struct nl_sock *sk, const struct state_iface *s,
		  bool announce, char *err, size_t err_len)
{
	struct restore r = {.sk = sk, .o = &s->orig, .err.also = restore_also};
	struct bridge_deletion del = {0};
	const struct pod_iface *o = &s->orig;
	int rc;

	note(&r, bridge_remove_start(sk, s, &del), "delete bridge", s->bridge);
	timing_step("delete the bridge, until it leaves the namespace",
		    s->bridge);
	rc = restore_link(&r, s);
	if (rc < 0) {
		errmsg_set(err, err_len,
			   "interface '%s': gone, nothing to restore", o->name);
		(void)bridge_delete_finish(&del);
		return rc;
	}
	timing_step("restore the link, read it", o->name);
	restore_addrs(&r, AF_INET);
	timing_step("restore the addresses", o->name);
	drop_unrecorded_routes(&r, AF_INET);
	restore_routes(&r, AF_INET);
	timing_step("restore the routes", o->name);
	restore_ipv6(&r);
	timing_step("restore IPv6", o->name);
	restore_neighs(&r, AF_INET);
	timing_step("restore the neighbours", o->name);
	/* Nothing to say when the VM had the pod interface's MAC, nor when
	 * the VM runs elsewhere (release_announces()). */
	if (announce && memcmp(s->vm_mac, o->mac, MAC_LEN) != 0)
		announce_pod(o);
	timing_step("gratuitous ARP and NA", o->name);
	verify(&r);
	timing_step("read back and compare", o->name);
	finish_remove_bridge(&del, s, &r.err);
	timing_step("wait for the kernel to finish deleting the bridge",
		    s->bridge);
	if (r.err.rc < 0)
		errmsg_set(err, err_len, "interface '%s': %s", o->name,
			   r.err.msg);
	return r.err.rc;
}
