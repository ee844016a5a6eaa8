// SPDX-License-Identifier: GPL-2.0-or-later
/* nf_tables over a NETLINK_NETFILTER socket of the current namespace: one
 * transaction (every message acknowledged, or the kernel's errno), one
 * table's user data, one table's named counters. */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "nft_sock.h"

/* Big enough for a dump part (the kernel fills up to 32 KiB). */
#define NFT_SOCK_RECV_MAX 65536

static int open_sock(void)
{
	/* The kernel answers in its sendmsg(): a timeout only guards
	 * against a reply that never comes. */
	struct timeval tv = {.tv_sec = 5};
	struct sockaddr_nl nl = {.nl_family = AF_NETLINK};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    bind(fd, (struct sockaddr *)&nl, sizeof(nl)) < 0) {
		int rc = -errno;

		(void)close(fd);
		return rc;
	}
	return fd;
}

static int send_all(int fd, const void *buf, size_t len)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	ssize_t n = sendto(fd, buf, len, 0, (struct sockaddr *)&kernel,
			   sizeof(kernel));

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EMSGSIZE;
}

/* Each reply message to @fn until NLMSG_DONE (dumps) or @want ACKs; an
 * error message ends it with its errno. @fn returns < 0 to stop. */
static int recv_replies(int fd, unsigned int want,
			int (*fn)(const struct nlmsghdr *nlh, void *arg),
			void *arg)
{
	static uint8_t buf[NFT_SOCK_RECV_MAX];
	unsigned int acks = 0;

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		size_t left;

		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		left = (size_t)n;
		for (const struct nlmsghdr *h = (const void *)buf;
		     NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					return -EPROTO;
				if (e->error != 0)
					return e->error;
				if (++acks == want)
					return 0;
				continue;
			}
			if (fn) {
				int rc = fn(h, arg);

				if (rc < 0)
					return rc;
			}
		}
	}
}

/**
 * nft_sock_transact() - Send one batch and wait for every ACK
 * @m:		a batch (nft_msg_batch() around messages with NLM_F_ACK)
 *
 * The kernel applies a batch whole or not at all.
 *
 * Return: 0, or the kernel's negative errno (-ENOSPC: @m overflowed)
 */
int nft_sock_transact(const struct nft_msg *m)
{
	int fd, rc;

	if (m->overflow)
		return -ENOSPC;
	fd = open_sock();
	if (fd < 0)
		return fd;
	rc = send_all(fd, m->buf, m->len);
	if (rc == 0 && m->acks)
		rc = recv_replies(fd, m->acks, NULL, NULL);
	(void)close(fd);
	return rc;
}

/* The attributes after the nfgenmsg of @nlh into @tb[0..max]. */
static void parse_attrs(const struct nlmsghdr *nlh, const struct nlattr **tb,
			size_t max)
{
	size_t off = NLMSG_LENGTH(sizeof(struct nfgenmsg));

	for (size_t i = 0; i <= max; i++)
		tb[i] = NULL;
	while (off + NLA_HDRLEN <= nlh->nlmsg_len) {
		const struct nlattr *a =
			(const void *)((const uint8_t *)nlh + off);
		uint16_t type = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN ||
		    off + a->nla_len > nlh->nlmsg_len)
			return;
		if (type <= max)
			tb[type] = a;
		off += NLA_ALIGN(a->nla_len);
	}
}

static const void *attr_data(const struct nlattr *a)
{
	return (const uint8_t *)a + NLA_HDRLEN;
}

static size_t attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

struct udata_out {
	uint8_t *buf;
	size_t cap, len;
	bool seen;
};

static int on_table(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[NFTA_TABLE_MAX + 1];
	struct udata_out *o = arg;

	parse_attrs(nlh, tb, NFTA_TABLE_MAX);
	o->seen = true;
	o->len = 0;
	if (tb[NFTA_TABLE_USERDATA]) {
		o->len = attr_len(tb[NFTA_TABLE_USERDATA]);
		if (o->len > o->cap)
			return -EMSGSIZE;
		memcpy(o->buf, attr_data(tb[NFTA_TABLE_USERDATA]), o->len);
	}
	return 0;
}

/* A request with one string attribute, sent on a new socket. */
static int request(uint16_t type, uint16_t flags, uint8_t family, uint16_t attr,
		   const char *value, uint16_t attr2, uint32_t value2)
{
	uint8_t buf[512];
	struct nft_msg m = {.buf = buf, .cap = sizeof(buf)};
	struct nlmsghdr *h = nft_msg_begin(&m, type, flags, family);
	int fd, rc;

	nft_attr_str(&m, attr, value);
	if (attr2)
		nft_attr_u32(&m, attr2, value2);
	nft_msg_end(&m, h);
	if (m.overflow)
		return -ENAMETOOLONG;
	fd = open_sock();
	if (fd < 0)
		return fd;
	rc = send_all(fd, buf, m.len);
	return rc < 0 ? (close(fd), rc) : fd;
}

/**
 * nft_sock_table_udata() - The user data of a table
 * @family:	NFPROTO_*
 * @table:	its name
 * @ret:	its user data
 * @cap:	size of @ret
 * @ret_len:	length of it (0: none)
 *
 * Return: 0, -ENOENT if there is no such table, or another negative errno
 */
int nft_sock_table_udata(uint8_t family, const char *table, uint8_t *ret,
			 size_t cap, size_t *ret_len)
{
	struct udata_out o = {.buf = ret, .cap = cap};
	int fd = request(NFT_MSG_GETTABLE, NLM_F_ACK, family, NFTA_TABLE_NAME,
			 table, 0, 0);
	int rc;

	if (fd < 0)
		return fd;
	/* A GET answers with the table, then its ACK. */
	rc = recv_replies(fd, 1, on_table, &o);
	(void)close(fd);
	if (rc == 0 && !o.seen)
		rc = -EPROTO;
	if (rc == 0)
		*ret_len = o.len;
	return rc;
}

struct counters_out {
	nft_sock_counter_fn *fn;
	void *arg;
};

static uint64_t be64_attr(const struct nlattr *a)
{
	uint64_t v = 0;

	if (a && attr_len(a) == sizeof(v))
		memcpy(&v, attr_data(a), sizeof(v));
	return be64toh(v);
}

static int on_obj(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[NFTA_OBJ_MAX + 1];
	const struct nlattr *ctr[NFTA_COUNTER_MAX + 1] = {0};
	const struct counters_out *o = arg;
	char name[NFT_OBJ_MAXNAMELEN];

	parse_attrs(nlh, tb, NFTA_OBJ_MAX);
	if (!tb[NFTA_OBJ_NAME] || !tb[NFTA_OBJ_DATA] ||
	    attr_len(tb[NFTA_OBJ_NAME]) == 0 ||
	    attr_len(tb[NFTA_OBJ_NAME]) > sizeof(name))
		return 0;
	memcpy(name, attr_data(tb[NFTA_OBJ_NAME]), attr_len(tb[NFTA_OBJ_NAME]));
	name[attr_len(tb[NFTA_OBJ_NAME]) - 1] = '\0';
	for (size_t off = 0; off + NLA_HDRLEN <= attr_len(tb[NFTA_OBJ_DATA]);) {
		const struct nlattr *a =
			(const void *)((const uint8_t *)attr_data(
					       tb[NFTA_OBJ_DATA]) +
				       off);
		uint16_t type = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN ||
		    off + a->nla_len > attr_len(tb[NFTA_OBJ_DATA]))
			break;
		if (type <= NFTA_COUNTER_MAX)
			ctr[type] = a;
		off += NLA_ALIGN(a->nla_len);
	}
	o->fn(o->arg, name, be64_attr(ctr[NFTA_COUNTER_PACKETS]),
	      be64_attr(ctr[NFTA_COUNTER_BYTES]));
	return 0;
}

/**
 * nft_sock_counters() - Each named counter of a table, to @fn
 * @family:	NFPROTO_*
 * @table:	the table's name
 * @fn:		called with each counter's name, packets and bytes
 * @arg:	passed to @fn
 *
 * Return: 0 (no such table: no call), or a negative errno
 */
int nft_sock_counters(uint8_t family, const char *table,
		      nft_sock_counter_fn *fn, void *arg)
{
	struct counters_out o = {.fn = fn, .arg = arg};
	int fd = request(NFT_MSG_GETOBJ, NLM_F_DUMP, family, NFTA_OBJ_TABLE,
			 table, NFTA_OBJ_TYPE, NFT_OBJECT_COUNTER);
	int rc;

	if (fd < 0)
		return fd;
	rc = recv_replies(fd, 0, on_obj, &o);
	(void)close(fd);
	return rc == -ENOENT ? 0 : rc;
}
