// SPDX-License-Identifier: GPL-2.0-or-later
/* Fuzz target: one datagram of rtnetlink answers, walked as netlink.c walks
 * what the kernel sends (nlmsg_walk(), sequence 1), each message read into
 * the pod model as discovery reads it (pod_nl.c: addresses, routes and
 * neighbours of link 3, links, neighbour entries); the ack and extended ack
 * parsed. Seeds: dumps of a test pod by the kernel itself. */
#include <stdint.h>
#include <string.h>

#include "nlmsg.h"
#include "pod_nl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int each(const struct nlmsghdr *h, void *arg)
{
	struct pod_nl_collect *ctx = arg;
	struct nl_link link;
	struct nl_neigh neigh;

	(void)pod_nl_collect_addr(h, ctx);
	(void)pod_nl_collect_route(h, ctx);
	(void)pod_nl_collect_neigh(h, ctx);
	if (pod_nl_link(h, &link) == 0 &&
	    (!memchr(link.name, '\0', sizeof(link.name)) ||
	     !memchr(link.kind, '\0', sizeof(link.kind))))
		__builtin_trap();
	(void)pod_nl_neigh(h, &neigh);
	return 0;
}

/**
 * LLVMFuzzerTestOneInput() - Walk one input as a datagram from the kernel
 * @data:	the input
 * @size:	its length
 *
 * Return: 0 (libFuzzer's convention)
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Aligned as netlink.c's receive buffer, and as large. */
	static union {
		struct nlmsghdr h;
		uint8_t buf[65536];
	} rx;
	static struct pod_iface iface;
	struct pod_nl_collect ctx = {.iface = &iface};
	struct nlmsg_status st = {0};

	if (size > sizeof(rx.buf))
		return 0;
	memcpy(rx.buf, data, size);
	memset(&iface, 0, sizeof(iface));
	iface.ifindex = 3;
	(void)nlmsg_walk(rx.buf, size, 1, each, &ctx, &st);
	/* The record's caps hold, the kernel's words stay terminated. */
	if (iface.n_addrs > PODNET_MAX_ADDRS ||
	    iface.n_routes > PODNET_MAX_POD_ROUTES ||
	    iface.n_neighs > PODNET_MAX_NEIGHS ||
	    !memchr(st.ext_msg, '\0', sizeof(st.ext_msg)) || st.error > 0)
		__builtin_trap();
	for (size_t i = 0; i < iface.n_addrs; i++)
		if (!memchr(iface.addrs[i].label, '\0',
			    sizeof(iface.addrs[i].label)))
			__builtin_trap();
	return 0;
}
