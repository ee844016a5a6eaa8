// SPDX-License-Identifier: GPL-2.0-or-later
/* nfnetlink messages of the nf_tables subsystem, built into one buffer:
 * headers, attributes, nests and the batch that makes them one transaction
 * (pure: no I/O). */
#ifndef PODNET_NFT_MSG_H
#define PODNET_NFT_MSG_H

#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nft_msg {
	uint8_t *buf;
	size_t cap, len;
	bool overflow;	   /* something did not fit: do not send */
	uint32_t seq;	   /* of the last message begun */
	unsigned int acks; /* messages that ask for an ACK */
};

struct nlmsghdr *nft_msg_begin(struct nft_msg *m, uint16_t type, uint16_t flags,
			       uint8_t family);
void nft_msg_end(struct nft_msg *m, struct nlmsghdr *nlh);
void nft_msg_batch(struct nft_msg *m, uint16_t type);
void nft_attr_put(struct nft_msg *m, uint16_t type, const void *data,
		  size_t len);
void nft_attr_u32(struct nft_msg *m, uint16_t type, uint32_t host);
void nft_attr_str(struct nft_msg *m, uint16_t type, const char *s);
size_t nft_nest_begin(struct nft_msg *m, uint16_t type);
void nft_nest_end(struct nft_msg *m, size_t at);

#endif
