// SPDX-License-Identifier: GPL-2.0-or-later
/* Frames in batches: a client that pipelines its exchanges costs a few
 * system calls per batch instead of one per packet each way. */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pkt_batch.h"

/**
 * pkt_batch_init() - Point every slot at its buffer, and touch them all
 * @b:		the batch
 *
 * Call it at start-up: a flood that fills every slot later then adds
 * nothing to the process's memory (the storm test pins the RSS).
 */
void pkt_batch_init(struct pkt_batch *b)
{
	memset(b->frame, 0, sizeof(b->frame));
	for (unsigned int i = 0; i < PKT_BATCH_MAX; i++) {
		b->iov[i] = (struct iovec){.iov_base = b->frame[i],
					   .iov_len = sizeof(b->frame[i])};
		b->msg[i].msg_hdr = (struct msghdr){
			.msg_name = &b->addr[i],
			.msg_namelen = sizeof(b->addr[i]),
			.msg_iov = &b->iov[i],
			.msg_iovlen = 1,
		};
	}
	b->ready = true;
}

/**
 * pkt_batch_recv() - Take in the frames queued on a non-blocking socket
 * @fd:		the packet socket
 * @b:		a batch used only to receive, filled with up to
 *		PKT_BATCH_MAX frames: frame[i], its length msg[i].msg_len and
 *		its sender addr[i]
 *
 * A frame longer than a slot is cut (MSG_TRUNC in msg[i].msg_hdr.msg_flags;
 * its msg_len is what was kept).
 *
 * Return: the number of frames (0: none queued), or a negative errno
 */
int pkt_batch_recv(int fd, struct pkt_batch *b)
{
	int n;

	if (!b->ready)
		pkt_batch_init(b);
	/* The kernel wrote the address lengths of the slots used last. */
	for (unsigned int i = 0; i < b->n; i++)
		b->msg[i].msg_hdr.msg_namelen = sizeof(b->addr[i]);
	/* The system call itself, as in pkt_batch_send(): musl's recvmmsg()
	 * first clears msghdr's padded fields in every slot, on every call. */
	n = (int)syscall(SYS_recvmmsg, fd, b->msg, PKT_BATCH_MAX, MSG_DONTWAIT,
			 NULL);
	if (n < 0) {
		b->n = 0;
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	}
	b->n = (unsigned int)n;
	return n;
}

/**
 * pkt_batch_send() - Send every queued frame, then empty the batch
 * @fd:		the packet socket
 * @b:		the batch
 *
 * sendmmsg stops at the first frame that fails; that one is dropped (as a
 * lost datagram) and the rest still go.
 *
 * Return: 0 if every frame went, else the negative errno of the last
 * failure
 */
int pkt_batch_send(int fd, struct pkt_batch *b)
{
	unsigned int done = 0;
	int rc = 0;

	while (done < b->n) {
		/* The system call itself: musl's sendmmsg() sends one sendmsg()
		 * per frame on 64-bit (it rewrites msghdr's padded fields; ours
		 * are zero since pkt_batch_init()), and sendmsg is not in the
		 * sandbox. */
		int n = (int)syscall(SYS_sendmmsg, fd, b->msg + done,
				     b->n - done, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			done++; /* drop the frame that failed */
			continue;
		}
		done += (unsigned int)n;
	}
	b->n = 0;
	return rc;
}
