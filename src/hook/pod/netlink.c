// SPDX-License-Identifier: GPL-2.0-or-later
/* libnl socket set-up and the one place where NLE_* codes become errno. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netlink/errno.h>
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
 * libnl folds kernel errors into its own codes; map back the ones a user
 * can act on so that messages read like the kernel's reason.
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
