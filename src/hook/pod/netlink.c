// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The hook's NETLINK_ROUTE socket, as passt and libvirt use theirs: raw
 * messages (nlmsg.c builds and parses them), one path for a request and its
 * ack, one for a dump with a callback per message. The kernel's errno comes
 * back as it is, and its extended ack message (NETLINK_EXT_ACK, "Nexthop
 * has invalid gateway") is kept for the user's line: netlink_strerror().
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errmsg.h"
#include "netlink.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* The kernel sizes a dump's datagrams to the reader's buffer, 32 KiB at
 * most (af_netlink.c, netlink_dump()); a longer one is refused (MSG_TRUNC
 * tells), never taken cut. */
#define NETLINK_RECV_SIZE 65536

struct nl_sock {
	int fd;
	uint32_t seq;
	int last_error;			 /* of the last request: its errno */
	char ext_msg[NLMSG_EXT_MSG_MAX]; /* and the kernel's words, or "" */
	char reason[NLMSG_EXT_MSG_MAX + 64];
	union {
		struct nlmsghdr h; /* aligned for it */
		char buf[NETLINK_RECV_SIZE];
	} rx;
};

/**
 * netlink_open() - Open a NETLINK_ROUTE socket
 *
 * Extended acks and capped acks (the kernel's error without a copy of the
 * request) are asked for; a kernel without them answers as before.
 *
 * Return: the socket, or NULL (errno set)
 */
struct nl_sock *netlink_open(void)
{
	struct nl_sock *sk = malloc(sizeof(*sk));
	int one = 1;

	if (!sk) {
		errno = ENOMEM;
		return NULL;
	}
	memset(sk, 0, offsetof(struct nl_sock, rx));
	sk->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (sk->fd < 0) {
		free(sk);
		return NULL;
	}
	(void)setsockopt(sk->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one,
			 sizeof(one));
	(void)setsockopt(sk->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one,
			 sizeof(one));
	return sk;
}

/**
 * netlink_open_err() - netlink_open(), with the one-line reason on failure
 * @err:	set to "cannot open netlink: REASON" on failure
 * @err_len:	size of @err
 *
 * Return: the socket, or NULL (errno set)
 */
struct nl_sock *netlink_open_err(char *err, size_t err_len)
{
	struct nl_sock *sk = netlink_open();

	if (!sk)
		errmsg_set(err, err_len, "cannot open netlink: %s",
			   strerror(errno));
	return sk;
}

/**
 * netlink_closep() - Cleanup helper: close a socket, accepts NULL
 * @sk:	pointer to the socket pointer
 */
void netlink_closep(struct nl_sock **sk)
{
	if (*sk) {
		(void)close((*sk)->fd);
		free(*sk);
	}
	*sk = NULL;
}

static int send_req(struct nl_sock *sk, struct nlmsg_req *req)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	ssize_t n;

	if (req->overflow)
		return -EMSGSIZE;
	req->h.nlmsg_seq = ++sk->seq;
	do
		n = sendto(sk->fd, req->buf, req->h.nlmsg_len, 0,
			   (struct sockaddr *)&kernel, sizeof(kernel));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == (ssize_t)req->h.nlmsg_len ? 0 : -EMSGSIZE;
}

/* Read the answers to the request just sent until its end: the ack, the
 * kernel's error or the end of the dump. */
static int recv_answers(struct nl_sock *sk, nlmsg_cb cb, void *arg,
			struct nlmsg_status *st)
{
	int rc = 0;

	while (!st->done) {
		ssize_t n =
			recv(sk->fd, sk->rx.buf, sizeof(sk->rx.buf), MSG_TRUNC);
		int walk;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if ((size_t)n > sizeof(sk->rx.buf))
			return -EMSGSIZE;
		walk = nlmsg_walk(sk->rx.buf, (size_t)n, sk->seq, cb, arg, st);
		if (walk == -EBADMSG)
			return walk; /* cannot know where the answers end */
		if (rc == 0)
			rc = walk; /* the callback's: read on to the end */
	}
	return rc;
}

/* One request and all its answers; the kernel's error wins. */
static int transact(struct nl_sock *sk, struct nlmsg_req *req, nlmsg_cb cb,
		    void *arg, struct nlmsg_status *st)
{
	int rc;

	memset(st, 0, sizeof(*st));
	sk->ext_msg[0] = '\0';
	rc = send_req(sk, req);
	if (rc == 0)
		rc = recv_answers(sk, cb, arg, st);
	if (st->error < 0) {
		rc = st->error;
		(void)snprintf(sk->ext_msg, sizeof(sk->ext_msg), "%s",
			       st->ext_msg);
	}
	sk->last_error = rc;
	return rc;
}

/**
 * netlink_request() - Send one change and wait for the kernel's ack
 * @sk:		netlink socket
 * @req:	the request (its sequence number and ack flag are set here)
 *
 * Return: 0, or the kernel's negative errno as it came (another negative
 * errno when the socket itself fails, -EMSGSIZE when @req overflowed)
 */
int netlink_request(struct nl_sock *sk, struct nlmsg_req *req)
{
	return netlink_get(sk, req, NULL, NULL);
}

/**
 * netlink_get() - Send one query of a single object; @cb gets the answer
 * @sk:		netlink socket
 * @req:	the query (RTM_GETLINK of one link, ...)
 * @cb:		called with the answer, or NULL
 * @arg:	passed to @cb
 *
 * Return: 0, the kernel's negative errno (-ENODEV: no such link), or
 * @cb's
 */
int netlink_get(struct nl_sock *sk, struct nlmsg_req *req, nlmsg_cb cb,
		void *arg)
{
	struct nlmsg_status st;

	/* Asked for, the ack ends the answers for a query as for a change. */
	req->h.nlmsg_flags |= NLM_F_ACK;
	return transact(sk, req, cb, arg, &st);
}

/**
 * netlink_dump() - Dump a table; @cb is called once per object
 * @sk:		netlink socket
 * @req:	the dump request (NLM_F_DUMP is set here)
 * @cb:		called with each message of the dump
 * @arg:	passed to @cb
 *
 * Return: 0, the kernel's negative errno, @cb's negative return, or
 * -EAGAIN when the table kept changing while it was read (@cb has then
 * seen a partial dump: the caller starts its collection again)
 */
int netlink_dump(struct nl_sock *sk, struct nlmsg_req *req, nlmsg_cb cb,
		 void *arg)
{
	struct nlmsg_status st;
	int rc;

	req->h.nlmsg_flags |= NLM_F_DUMP;
	rc = transact(sk, req, cb, arg, &st);
	return rc == 0 && st.intr ? -EAGAIN : rc;
}

/**
 * netlink_strerror() - The user's words for a failed request
 * @sk:		the socket the request went through
 * @rc:		its negative errno
 *
 * Return: strerror(-@rc), followed by the kernel's extended ack message
 * in parentheses when the last request failed with @rc and the kernel
 * gave one: "Network is unreachable (Nexthop has invalid gateway)". Valid
 * until the next call.
 */
const char *netlink_strerror(struct nl_sock *sk, int rc)
{
	if (!sk || rc != sk->last_error || !sk->ext_msg[0])
		return strerror(-rc);
	(void)snprintf(sk->reason, sizeof(sk->reason), "%s (%s)", strerror(-rc),
		       sk->ext_msg);
	return sk->reason;
}
