// SPDX-License-Identifier: GPL-2.0-or-later
/* The hook's NETLINK_ROUTE socket: one request/ack path and one dump path,
 * the kernel's errno and extended ack message kept for the user's line. */
#ifndef PODNET_NETLINK_H
#define PODNET_NETLINK_H

#include <stddef.h>

#include "nlmsg.h"

struct nl_sock;

struct nl_sock *netlink_open(void);
struct nl_sock *netlink_open_err(char *err, size_t err_len);
void netlink_closep(struct nl_sock **sk);
int netlink_request(struct nl_sock *sk, struct nlmsg_req *req);
int netlink_get(struct nl_sock *sk, struct nlmsg_req *req, nlmsg_cb cb,
		void *arg);
int netlink_dump(struct nl_sock *sk, struct nlmsg_req *req, nlmsg_cb cb,
		 void *arg);
const char *netlink_strerror(struct nl_sock *sk, int rc);

#endif
