// SPDX-License-Identifier: GPL-2.0-or-later
/* libnl socket set-up, requests answered with the kernel's own errno, and
 * the NLE_* codes of libnl's reads mapped back to errno. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netlink/errno.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "errmsg.h"
#include "netlink.h"

/**
 * netlink_open() - Open and connect a NETLINK_ROUTE socket
 *
 * Return: the socket, or NULL (errno set)
 */
struct nl_sock *netlink_open(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int err;

	if (!sk) {
		errno = ENOMEM;
		return NULL;
	}
	err = nl_connect(sk, NETLINK_ROUTE);
	if (err < 0) {
		nl_socket_free(sk);
		errno = netlink_errno(err);
		return NULL;
	}
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

/* The kernel refused the request: keep its errno, as it said it. */
static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	int *kernel_err = arg;

	(void)who;
	*kernel_err = e->error;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_STOP;
}

/**
 * netlink_request() - Send one change request and wait for its answer
 * @sk:		netlink socket
 * @msg:	the request (libnl fills in the sequence number and the ack)
 *
 * libnl's own senders fold the kernel's errno into NLE_* codes, and
 * several errnos into one ("Input/output error" for ENETUNREACH); here
 * the kernel's errno is kept as it came, for the user's line.
 *
 * Return: 0, or the kernel's negative errno (another negative errno when
 * the socket itself fails)
 */
int netlink_request(struct nl_sock *sk, struct nl_msg *msg)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int kernel_err = 0, rc;

	if (!cb)
		return -ENOMEM;
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &kernel_err);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, NULL);
	rc = nl_send_auto(sk, msg);
	if (rc >= 0)
		rc = nl_recvmsgs(sk, cb);
	nl_cb_put(cb);
	if (kernel_err < 0)
		return kernel_err;
	return rc < 0 ? -netlink_errno(rc) : 0;
}

/**
 * netlink_closep() - Cleanup helper: free a socket, accepts NULL
 * @sk:	pointer to the socket pointer
 */
void netlink_closep(struct nl_sock **sk)
{
	if (*sk)
		nl_socket_free(*sk);
	*sk = NULL;
}

/**
 * netlink_errno() - Translate a libnl error code into an errno value
 * @nle:	libnl error, negative or positive
 *
 * For libnl's reads, which fold kernel errors into their own codes: map
 * back the ones a user can act on. Changes use netlink_request().
 *
 * Return: a positive errno value
 */
int netlink_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case NLE_SUCCESS:
		return 0;
	case NLE_NOMEM:
		return ENOMEM;
	case NLE_EXIST:
		return EEXIST;
	case NLE_OBJ_NOTFOUND:
	case NLE_NODEV:
		return ENODEV;
	case NLE_PERM:
		return EPERM;
	case NLE_INVAL:
		return EINVAL;
	case NLE_RANGE:
		return ERANGE;
	case NLE_BUSY:
		return EBUSY;
	case NLE_AGAIN:
		return EAGAIN;
	case NLE_NOADDR:
		return EADDRNOTAVAIL;
	case NLE_OPNOTSUPP:
		return EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:
		return EAFNOSUPPORT;
	case NLE_NOACCESS:
		return EACCES;
	case NLE_BAD_SOCK:
		return EBADF;
	case NLE_MSGSIZE:
		return EMSGSIZE;
	default:
		return EIO;
	}
}
