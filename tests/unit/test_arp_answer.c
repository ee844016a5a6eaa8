// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the ARP answers for permanent-neighbour gateways (AWS VPC
 * CNI), and of which gateways the lease gives them for. */
#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "arp_answer.h"
#include "lease.h"
#include "pod_build.h"
#include "test.h"

static const uint8_t vm[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
static const uint8_t host[6] = {0x0e, 0x11, 0x22, 0x33, 0x44, 0x55};

/* A request as the guest sends it: who has TARGET? tell SENDER. */
static void request(uint8_t arp[ARP_PACKET_LEN], const char *sender,
		    const char *target)
{
	memset(arp, 0, ARP_PACKET_LEN);
	arp[1] = 1;
	arp[2] = 0x08;
	arp[4] = 6;
	arp[5] = 4;
	arp[7] = 1;
	memcpy(arp + 8, vm, 6);
	inet_pton(AF_INET, sender, arp + 14);
	inet_pton(AF_INET, target, arp + 24);
}

static struct arp_answers aws_answers(void)
{
	struct arp_answers a = {.n = 1};

	inet_pton(AF_INET, "169.254.1.1", &a.entries[0].ip);
	memcpy(a.entries[0].mac, host, 6);
	return a;
}

static void answers_the_gateway(void)
{
	struct arp_answers a = aws_answers();
	uint8_t req[ARP_PACKET_LEN], f[ARP_REPLY_FRAME_LEN];
	uint8_t want_ip[4], pod_ip[4];

	request(req, "198.51.100.10", "169.254.1.1");
	CHECK_EQ_INT(arp_answer_build(req, sizeof(req), vm, &a, f),
		     ARP_REPLY_FRAME_LEN);
	CHECK(memcmp(f, vm, 6) == 0);	    /* to the VM only */
	CHECK(memcmp(f + 6, host, 6) == 0); /* from the gateway's MAC */
	CHECK(f[12] == 0x08 && f[13] == 0x06);
	CHECK(f[14 + 7] == 2); /* reply */
	CHECK(memcmp(f + 14 + 8, host, 6) == 0);
	inet_pton(AF_INET, "169.254.1.1", want_ip);
	inet_pton(AF_INET, "198.51.100.10", pod_ip);
	CHECK(memcmp(f + 14 + 14, want_ip, 4) == 0);
	CHECK(memcmp(f + 14 + 18, vm, 6) == 0);
	CHECK(memcmp(f + 14 + 24, pod_ip, 4) == 0);
}

static void leaves_the_rest_alone(void)
{
	struct arp_answers a = aws_answers();
	uint8_t req[ARP_PACKET_LEN + 18], f[ARP_REPLY_FRAME_LEN];
	const uint8_t other[6] = {0x52, 0x54, 0x00, 0x99, 0x99, 0x99};

	/* Another target; a probe and an announcement; another sender. */
	request(req, "198.51.100.10", "198.51.100.20");
	CHECK(arp_answer_build(req, ARP_PACKET_LEN, vm, &a, f) < 0);
	request(req, "169.254.1.1", "169.254.1.1");
	CHECK(arp_answer_build(req, ARP_PACKET_LEN, vm, &a, f) < 0);
	request(req, "198.51.100.10", "169.254.1.1");
	CHECK(arp_answer_build(req, ARP_PACKET_LEN, other, &a, f) < 0);
	/* Padding after the packet is fine; a short packet is not. */
	CHECK(arp_answer_build(req, sizeof(req), vm, &a, f) > 0);
	CHECK(arp_answer_build(req, ARP_PACKET_LEN - 1, vm, &a, f) < 0);
	/* A reply, another hardware type, another protocol length. */
	req[7] = 2;
	CHECK(arp_answer_build(req, ARP_PACKET_LEN, vm, &a, f) < 0);
	req[7] = 1;
	req[1] = 6;
	CHECK(arp_answer_build(req, ARP_PACKET_LEN, vm, &a, f) < 0);
	req[1] = 1;
	req[5] = 16;
	CHECK(arp_answer_build(req, ARP_PACKET_LEN, vm, &a, f) < 0);
	a.n = 0;
	req[5] = 4;
	CHECK(arp_answer_build(req, ARP_PACKET_LEN, vm, &a, f) < 0);
	CHECK(arp_answer_build(NULL, 0, vm, &a, f) < 0);
}

/* Only permanent entries of gateways of the main table count. */
static void lease_answers_only_gateways(void)
{
	struct pod_iface *o = calloc(1, sizeof(*o));
	struct arp_answers a;

	o->routes[o->n_routes++] = pod_build_route("0.0.0.0", 0, "169.254.1.1");
	o->neighs[0].family = AF_INET;
	inany_pton(AF_INET, "169.254.1.1", &o->neighs[0].dst);
	memcpy(o->neighs[0].lladdr, host, 6);
	o->neighs[0].state = NUD_PERMANENT;
	o->neighs[1].family = AF_INET;
	inany_pton(AF_INET, "198.51.100.77", &o->neighs[1].dst);
	o->neighs[1].state = NUD_PERMANENT;
	o->n_neighs = 2;
	lease_arp_answers(o, &a);
	CHECK_EQ_INT(a.n, 1);
	CHECK_EQ_INT(a.entries[0].ip.s_addr, o->neighs[0].dst.v4.a4.s_addr);
	CHECK(memcmp(a.entries[0].mac, host, 6) == 0);
	o->routes[0].table = 100;
	lease_arp_answers(o, &a);
	CHECK_EQ_INT(a.n, 0);
	free(o);
}

/* After a migration's switchover: which of the VM's ARP packets say that it
 * still uses an address that is not this pod's. */
static void tells_another_address(void)
{
	uint8_t req[ARP_PACKET_LEN + 18];
	const uint8_t other[6] = {0x52, 0x54, 0x00, 0x99, 0x99, 0x99};
	struct in_addr own;

	inet_pton(AF_INET, "198.51.100.11", &own);
	/* The guest's gratuitous ARP for its old address; a request of its
	 * from the old address; with Ethernet padding. */
	request(req, "198.51.100.10", "198.51.100.10");
	CHECK(arp_shows_other_addr(req, ARP_PACKET_LEN, vm, own));
	request(req, "198.51.100.10", "198.51.100.1");
	CHECK(arp_shows_other_addr(req, sizeof(req), vm, own));
	/* The pod's own address, a probe (0.0.0.0), IPv4 link-local. */
	request(req, "198.51.100.11", "198.51.100.11");
	CHECK(!arp_shows_other_addr(req, ARP_PACKET_LEN, vm, own));
	request(req, "0.0.0.0", "198.51.100.10");
	CHECK(!arp_shows_other_addr(req, ARP_PACKET_LEN, vm, own));
	request(req, "169.254.7.7", "169.254.7.7");
	CHECK(!arp_shows_other_addr(req, ARP_PACKET_LEN, vm, own));
	/* Another sender MAC; short; malformed headers; NULL. */
	request(req, "198.51.100.10", "198.51.100.10");
	CHECK(!arp_shows_other_addr(req, ARP_PACKET_LEN, other, own));
	CHECK(!arp_shows_other_addr(req, ARP_PACKET_LEN - 1, vm, own));
	req[1] = 6;
	CHECK(!arp_shows_other_addr(req, ARP_PACKET_LEN, vm, own));
	req[1] = 1;
	req[5] = 16;
	CHECK(!arp_shows_other_addr(req, ARP_PACKET_LEN, vm, own));
	req[5] = 4;
	req[2] = 0x86;
	CHECK(!arp_shows_other_addr(req, ARP_PACKET_LEN, vm, own));
	CHECK(!arp_shows_other_addr(NULL, 0, vm, own));
}

int main(void)
{
	RUN(answers_the_gateway);
	RUN(leaves_the_rest_alone);
	RUN(lease_answers_only_gateways);
	RUN(tells_another_address);
	return TEST_SUMMARY();
}
