// SPDX-License-Identifier: GPL-2.0-or-later
/* rtnetlink messages without I/O: one request builder with bounds checks,
 * attribute parsing and the walk of a received datagram (acks, errors with
 * the kernel's extended ack message, the end of a dump). Pure: tested and
 * fuzzed without sockets. */
#ifndef PODNET_NLMSG_H
#define PODNET_NLMSG_H

#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every request podnet sends fits (a route with all metrics: ~250 bytes). */
#define NLMSG_REQ_SIZE 1024
/* The kernel's extended ack text, as much as the user's line keeps. */
#define NLMSG_EXT_MSG_MAX 160

/* One request being built in its own buffer. */
struct nlmsg_req {
	union {
		struct nlmsghdr h;
		char buf[NLMSG_REQ_SIZE];
	};
	bool overflow; /* an append did not fit: the request is not sent */
};

void *nlmsg_begin(struct nlmsg_req *req, uint16_t type, uint16_t flags,
		  size_t fixed_len);
bool nlmsg_put(struct nlmsg_req *req, uint16_t type, const void *data,
	       size_t len);
bool nlmsg_put_u32(struct nlmsg_req *req, uint16_t type, uint32_t v);
bool nlmsg_put_u8(struct nlmsg_req *req, uint16_t type, uint8_t v);
bool nlmsg_put_str(struct nlmsg_req *req, uint16_t type, const char *s);
struct nlattr *nlmsg_nest_begin(struct nlmsg_req *req, uint16_t type);
void nlmsg_nest_end(struct nlmsg_req *req, struct nlattr *nest);

int nlattr_parse(const struct nlattr **tb, unsigned int max, const void *data,
		 size_t len);
int nlmsg_parse(const struct nlmsghdr *h, size_t fixed_len,
		const struct nlattr **tb, unsigned int max);
const void *nlattr_data(const struct nlattr *a);
size_t nlattr_len(const struct nlattr *a);
uint32_t nlattr_u32(const struct nlattr *a, uint32_t absent);
uint8_t nlattr_u8(const struct nlattr *a, uint8_t absent);
bool nlattr_str(const struct nlattr *a, char *ret, size_t size);

/* What a walk of the answers to one request found. */
struct nlmsg_status {
	bool done; /* the ack, the error or the dump's end came */
	int error; /* the kernel's negative errno, 0 */
	bool intr; /* a dump changed while it ran (NLM_F_DUMP_INTR) */
	char ext_msg[NLMSG_EXT_MSG_MAX]; /* NLMSGERR_ATTR_MSG, or "" */
};

/* Called for each answer that is not an ack, error or end; a negative
 * return ends the walk's calls (the answers are still read to their end). */
typedef int (*nlmsg_cb)(const struct nlmsghdr *h, void *arg);

int nlmsg_walk(const void *buf, size_t len, uint32_t seq, nlmsg_cb cb,
	       void *arg, struct nlmsg_status *st);

#endif
