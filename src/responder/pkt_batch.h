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
int pkt_batch_send(int fd, struct pkt_batch *b);

/**
 * pkt_batch_next() - The slot the next frame to send is written into
 * @b:		an initialised batch used only to send, being filled
 *
 * Inline, as pkt_batch_add(): called once per reply.
 *
 * Return: PKT_BATCH_FRAME bytes, or NULL if the batch is full
 */
static inline uint8_t *pkt_batch_next(struct pkt_batch *b)
{
	return b->n < PKT_BATCH_MAX ? b->frame[b->n] : NULL;
}

/**
 * pkt_batch_add() - Queue the frame written into pkt_batch_next()
 * @b:		the batch (pkt_batch_init() done)
 * @len:	its length (at most PKT_BATCH_FRAME)
 * @to:		where it goes; must stay valid until pkt_batch_send(): not
 *		copied (every reply of a port goes to the same address)
 */
static inline void pkt_batch_add(struct pkt_batch *b, size_t len,
				 const struct sockaddr_ll *to)
{
	unsigned int i = b->n;

	if (i >= PKT_BATCH_MAX || len > sizeof(b->frame[i]))
		return;
	b->msg[i].msg_hdr.msg_name = (void *)to;
	b->iov[i].iov_len = len;
	b->n++;
}
#endif
