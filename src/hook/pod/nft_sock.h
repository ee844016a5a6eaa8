// SPDX-License-Identifier: GPL-2.0-or-later
/* nf_tables over a NETLINK_NETFILTER socket of the current namespace: one
 * transaction, one table's user data, one table's named counters. */
#ifndef PODNET_NFT_SOCK_H
#define PODNET_NFT_SOCK_H

#include <stddef.h>
#include <stdint.h>

#include "nft_msg.h"

/* Called once per named counter of the table. */
typedef void nft_sock_counter_fn(void *arg, const char *name, uint64_t packets,
				 uint64_t bytes);

int nft_sock_transact(const struct nft_msg *m);
int nft_sock_table_udata(uint8_t family, const char *table, uint8_t *ret,
			 size_t cap, size_t *ret_len);
int nft_sock_counters(uint8_t family, const char *table,
		      nft_sock_counter_fn *fn, void *arg);

#endif
