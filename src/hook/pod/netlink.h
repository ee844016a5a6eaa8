// SPDX-License-Identifier: GPL-2.0-or-later
/* libnl socket set-up, requests answered with the kernel's own errno, and
 * the NLE_* codes of libnl's reads mapped back to errno. */
#ifndef PODNET_NETLINK_H
#define PODNET_NETLINK_H

struct nl_msg;
struct nl_sock;

#include <stddef.h>

struct nl_sock *netlink_open(void);
struct nl_sock *netlink_open_err(char *err, size_t err_len);
void netlink_closep(struct nl_sock **sk);
int netlink_request(struct nl_sock *sk, struct nl_msg *msg);
int netlink_errno(int nle);

#endif
