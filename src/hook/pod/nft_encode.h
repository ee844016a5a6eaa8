// SPDX-License-Identifier: GPL-2.0-or-later
/* An nft_ir table as one nf_tables transaction, and its deletion (pure). */
#ifndef PODNET_NFT_ENCODE_H
#define PODNET_NFT_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include "nft_ir.h"
#include "nft_msg.h"

/* The table's user data: the comment as nft(8) shows it (libnftnl's TLV). */
#define NFT_ENCODE_UDATA_MAX (2 + NFT_IR_COMMENT_MAX)

size_t nft_encode_udata(const char *comment, uint8_t ret[NFT_ENCODE_UDATA_MAX]);
void nft_encode_create(const struct nft_ir_table *t, struct nft_msg *m);
void nft_encode_delete(uint8_t family, const char *table, struct nft_msg *m);

#endif
