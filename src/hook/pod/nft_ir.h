// SPDX-License-Identifier: GPL-2.0-or-later
/* A small nftables ruleset as plain data: the tables, chains, named counters
 * and rules podnet writes, each rule a list of kernel expressions. Built by
 * guest_filter_rules (pure), written by nft_encode, read back by the unit
 * test's evaluator. */
#ifndef PODNET_NFT_IR_H
#define PODNET_NFT_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NFT_IR_NAME_MAX	    32
#define NFT_IR_COMMENT_MAX  64
#define NFT_IR_DATA_MAX	    16 /* one nft register: an IPv6 address, a name */
#define NFT_IR_RULE_EXPRS   10
#define NFT_IR_MAX_CHAINS   12
#define NFT_IR_MAX_COUNTERS 16
#define NFT_IR_MAX_RULES    160

/* Every expression reads or writes the one 16-byte register NFT_REG_1. */
enum nft_ir_kind {
	NFT_IR_META,	/* load meta key @key */
	NFT_IR_PAYLOAD, /* load @len bytes at @offset of header @key (base) */
	NFT_IR_CMP, /* compare with @data[0..@len) by op @key; no: next rule */
	NFT_IR_AND, /* register &= @data[0..@len) */
	NFT_IR_COUNT,	/* add to the named counter @name */
	NFT_IR_VERDICT, /* verdict @key (NF_DROP, NFT_JUMP...), chain @name */
};

struct nft_ir_expr {
	enum nft_ir_kind kind;
	uint32_t key;
	uint32_t offset;
	uint32_t len;
	uint8_t data[NFT_IR_DATA_MAX];
	char name[NFT_IR_NAME_MAX];
};

struct nft_ir_rule {
	char chain[NFT_IR_NAME_MAX];
	size_t n;
	struct nft_ir_expr e[NFT_IR_RULE_EXPRS];
};

/* A base chain (a filter on @hook at @priority, policy accept) or not. */
struct nft_ir_chain {
	char name[NFT_IR_NAME_MAX];
	bool base;
	uint32_t hook;
	int32_t priority;
};

struct nft_ir_table {
	uint8_t family; /* NFPROTO_BRIDGE */
	char name[NFT_IR_NAME_MAX];
	char comment[NFT_IR_COMMENT_MAX]; /* who made it: release checks */
	size_t n_chains, n_counters, n_rules;
	struct nft_ir_chain chains[NFT_IR_MAX_CHAINS];
	char counters[NFT_IR_MAX_COUNTERS][NFT_IR_NAME_MAX];
	struct nft_ir_rule rules[NFT_IR_MAX_RULES];
	bool overflow; /* a limit above was hit: the table is incomplete */
};

#endif
