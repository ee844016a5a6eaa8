// SPDX-License-Identifier: GPL-2.0-or-later
/* nfnetlink messages of the nf_tables subsystem, built into one buffer
 * (pure). A message that does not fit marks the buffer, which is then never
 * sent: the kernel sees a whole transaction or none. */
#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <string.h>

#include "nft_msg.h"

static void *reserve(struct nft_msg *m, size_t len)
{
	size_t padded = NLMSG_ALIGN(len);
	void *p;

	if (m->overflow || m->cap - m->len < padded) {
		m->overflow = true;
		return NULL;
	}
	p = m->buf + m->len;
	memset(p, 0, padded);
	m->len += padded;
	return p;
}

static struct nlmsghdr *header(struct nft_msg *m, uint16_t type, uint16_t flags,
			       uint8_t family, uint16_t res_id)
{
	struct nlmsghdr *nlh = reserve(m, NLMSG_HDRLEN);
	struct nfgenmsg *g = reserve(m, sizeof(*g));

	if (!nlh || !g)
		return NULL;
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++m->seq;
	g->nfgen_family = family;
	g->version = NFNETLINK_V0;
	g->res_id = htons(res_id);
	return nlh;
}

/**
 * nft_msg_begin() - Start an nf_tables message
 * @m:		the buffer
 * @type:	NFT_MSG_*
 * @flags:	NLM_F_* besides NLM_F_REQUEST (NLM_F_ACK is counted in @m)
 * @family:	NFPROTO_*
 *
 * Return: its header, for nft_msg_end(); NULL if it did not fit
 */
struct nlmsghdr *nft_msg_begin(struct nft_msg *m, uint16_t type, uint16_t flags,
			       uint8_t family)
{
	struct nlmsghdr *nlh =
		header(m, (uint16_t)((NFNL_SUBSYS_NFTABLES << 8) | type), flags,
		       family, 0);

	if (nlh && (flags & NLM_F_ACK))
		m->acks++;
	return nlh;
}

/**
 * nft_msg_end() - Finish the message @nlh: its length
 * @m:		the buffer
 * @nlh:	from nft_msg_begin(); NULL: nothing (the buffer overflowed)
 */
void nft_msg_end(struct nft_msg *m, struct nlmsghdr *nlh)
{
	if (nlh && !m->overflow)
		nlh->nlmsg_len = (uint32_t)(m->buf + m->len - (uint8_t *)nlh);
}

/**
 * nft_msg_batch() - A batch begin or end message around nf_tables messages
 * @m:		the buffer
 * @type:	NFNL_MSG_BATCH_BEGIN or NFNL_MSG_BATCH_END
 */
void nft_msg_batch(struct nft_msg *m, uint16_t type)
{
	nft_msg_end(m, header(m, type, 0, AF_UNSPEC, NFNL_SUBSYS_NFTABLES));
}

/**
 * nft_attr_put() - Append one attribute to the current message
 * @m:		the buffer
 * @type:	NFTA_*
 * @data:	its value
 * @len:	its length
 */
void nft_attr_put(struct nft_msg *m, uint16_t type, const void *data,
		  size_t len)
{
	struct nlattr *a = reserve(m, NLA_HDRLEN + len);

	if (!a)
		return;
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (len)
		memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
}

/**
 * nft_attr_u32() - Append a 32-bit attribute, big-endian as nf_tables wants
 * @m:		the buffer
 * @type:	NFTA_*
 * @host:	the value in host order
 */
void nft_attr_u32(struct nft_msg *m, uint16_t type, uint32_t host)
{
	uint32_t be = htonl(host);

	nft_attr_put(m, type, &be, sizeof(be));
}

/**
 * nft_attr_str() - Append a NUL-terminated string attribute
 * @m:		the buffer
 * @type:	NFTA_*
 * @s:		the string
 */
void nft_attr_str(struct nft_msg *m, uint16_t type, const char *s)
{
	nft_attr_put(m, type, s, strlen(s) + 1);
}

/**
 * nft_nest_begin() - Open a nested attribute
 * @m:		the buffer
 * @type:	NFTA_*
 *
 * Return: where it starts, for nft_nest_end()
 */
size_t nft_nest_begin(struct nft_msg *m, uint16_t type)
{
	size_t at = m->len;

	nft_attr_put(m, (uint16_t)(NLA_F_NESTED | type), NULL, 0);
	return at;
}

/**
 * nft_nest_end() - Close the nested attribute opened at @at
 * @m:		the buffer
 * @at:		from nft_nest_begin()
 */
void nft_nest_end(struct nft_msg *m, size_t at)
{
	struct nlattr *a;

	if (m->overflow || m->len - at > UINT16_MAX) {
		m->overflow = true;
		return;
	}
	a = (struct nlattr *)(m->buf + at);
	a->nla_len = (uint16_t)(m->len - at);
}
