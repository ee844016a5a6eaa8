// SPDX-License-Identifier: GPL-2.0-or-later
/* Frames in batches: many received with one recvmmsg, many sent with one
 * sendmmsg, on a packet socket. Fixed buffers, no allocation. */
#ifndef PODNET_PKT_BATCH_H
#define PODNET_PKT_BATCH_H

#include <linux/if_packet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/*
 * Frames per system call: enough that a pipelining client costs a small
 * fraction of a call per packet, few enough that the buffers (touched at
 * start-up) stay small.
 */
#define PKT_BATCH_MAX 8
/* Largest frame a slot holds (a DHCP message of 1500 plus headers). */
#define PKT_BATCH_FRAME 1600

/* One batch either receives or sends; all zero is an empty one. */
struct pkt_batch {
	bool ready;	/* the headers point at the buffers */
	unsigned int n; /* frames held */
	struct mmsghdr msg[PKT_BATCH_MAX];
	struct iovec iov[PKT_BATCH_MAX];
	struct sockaddr_ll addr[PKT_BATCH_MAX];
	uint8_t frame[PKT_BATCH_MAX][PKT_BATCH_FRAME];
};

void pkt_batch_init(struct pkt_batch *b);
int pkt_batch_recv(int fd, struct pkt_batch *b);
uint8_t *pkt_batch_next(struct pkt_batch *b);
void pkt_batch_add(struct pkt_batch *b, size_t len,
		   const struct sockaddr_ll *to);
int pkt_batch_send(int fd, struct pkt_batch *b);

#endif
