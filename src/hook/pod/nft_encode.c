// SPDX-License-Identifier: GPL-2.0-or-later
/* An nft_ir table as one nf_tables transaction: the table (new only: a
 * table of that name that exists already fails it), its named counters,
 * its chains, then its rules (pure). */
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <string.h>

#include "nft_encode.h"

/* libnftnl's NFTNL_UDATA_TABLE_COMMENT: nft(8) prints it as the comment. */
#define UDATA_TABLE_COMMENT 0

/**
 * nft_encode_udata() - The table user data that names who made it
 * @comment:	the comment (shorter than NFT_IR_COMMENT_MAX)
 * @ret:	the TLV: type, length, the comment with its NUL
 *
 * Return: its length
 */
size_t nft_encode_udata(const char *comment, uint8_t ret[NFT_ENCODE_UDATA_MAX])
{
	size_t n = strnlen(comment, NFT_IR_COMMENT_MAX - 1) + 1;

	ret[0] = UDATA_TABLE_COMMENT;
	ret[1] = (uint8_t)n;
	memcpy(ret + 2, comment, n - 1);
	ret[2 + n - 1] = '\0';
	return 2 + n;
}

static void data_value(struct nft_msg *m, uint16_t type, const void *v,
		       size_t len)
{
	size_t d = nft_nest_begin(m, type);

	nft_attr_put(m, NFTA_DATA_VALUE, v, len);
	nft_nest_end(m, d);
}

static void encode_verdict(struct nft_msg *m, const struct nft_ir_expr *e)
{
	size_t d, v;

	nft_attr_u32(m, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
	d = nft_nest_begin(m, NFTA_IMMEDIATE_DATA);
	v = nft_nest_begin(m, NFTA_DATA_VERDICT);
	nft_attr_u32(m, NFTA_VERDICT_CODE, e->key);
	if (e->name[0])
		nft_attr_str(m, NFTA_VERDICT_CHAIN, e->name);
	nft_nest_end(m, v);
	nft_nest_end(m, d);
}

static void encode_expr(struct nft_msg *m, const struct nft_ir_expr *e)
{
	static const char *const names[] = {
		[NFT_IR_META] = "meta",	   [NFT_IR_PAYLOAD] = "payload",
		[NFT_IR_CMP] = "cmp",	   [NFT_IR_AND] = "bitwise",
		[NFT_IR_COUNT] = "objref", [NFT_IR_VERDICT] = "immediate",
	};
	static const uint8_t zero[NFT_IR_DATA_MAX] = {0};
	size_t elem = nft_nest_begin(m, NFTA_LIST_ELEM), data;

	nft_attr_str(m, NFTA_EXPR_NAME, names[e->kind]);
	data = nft_nest_begin(m, NFTA_EXPR_DATA);
	switch (e->kind) {
	case NFT_IR_META:
		nft_attr_u32(m, NFTA_META_DREG, NFT_REG_1);
		nft_attr_u32(m, NFTA_META_KEY, e->key);
		break;
	case NFT_IR_PAYLOAD:
		nft_attr_u32(m, NFTA_PAYLOAD_DREG, NFT_REG_1);
		nft_attr_u32(m, NFTA_PAYLOAD_BASE, e->key);
		nft_attr_u32(m, NFTA_PAYLOAD_OFFSET, e->offset);
		nft_attr_u32(m, NFTA_PAYLOAD_LEN, e->len);
		break;
	case NFT_IR_CMP:
		nft_attr_u32(m, NFTA_CMP_SREG, NFT_REG_1);
		nft_attr_u32(m, NFTA_CMP_OP, e->key);
		data_value(m, NFTA_CMP_DATA, e->data, e->len);
		break;
	case NFT_IR_AND:
		nft_attr_u32(m, NFTA_BITWISE_SREG, NFT_REG_1);
		nft_attr_u32(m, NFTA_BITWISE_DREG, NFT_REG_1);
		nft_attr_u32(m, NFTA_BITWISE_LEN, e->len);
		data_value(m, NFTA_BITWISE_MASK, e->data, e->len);
		data_value(m, NFTA_BITWISE_XOR, zero, e->len);
		break;
	case NFT_IR_COUNT:
		nft_attr_u32(m, NFTA_OBJREF_IMM_TYPE, NFT_OBJECT_COUNTER);
		nft_attr_str(m, NFTA_OBJREF_IMM_NAME, e->name);
		break;
	case NFT_IR_VERDICT:
		encode_verdict(m, e);
		break;
	}
	nft_nest_end(m, data);
	nft_nest_end(m, elem);
}

static void encode_table(const struct nft_ir_table *t, struct nft_msg *m)
{
	uint8_t udata[NFT_ENCODE_UDATA_MAX];
	size_t n = nft_encode_udata(t->comment, udata);
	struct nlmsghdr *h =
		nft_msg_begin(m, NFT_MSG_NEWTABLE,
			      NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, t->family);

	nft_attr_str(m, NFTA_TABLE_NAME, t->name);
	nft_attr_put(m, NFTA_TABLE_USERDATA, udata, n);
	nft_msg_end(m, h);
}

static void encode_counter(const struct nft_ir_table *t, const char *name,
			   struct nft_msg *m)
{
	static const uint64_t zero;
	struct nlmsghdr *h =
		nft_msg_begin(m, NFT_MSG_NEWOBJ,
			      NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, t->family);
	size_t d;

	nft_attr_str(m, NFTA_OBJ_TABLE, t->name);
	nft_attr_str(m, NFTA_OBJ_NAME, name);
	nft_attr_u32(m, NFTA_OBJ_TYPE, NFT_OBJECT_COUNTER);
	d = nft_nest_begin(m, NFTA_OBJ_DATA);
	nft_attr_put(m, NFTA_COUNTER_BYTES, &zero, sizeof(zero));
	nft_attr_put(m, NFTA_COUNTER_PACKETS, &zero, sizeof(zero));
	nft_nest_end(m, d);
	nft_msg_end(m, h);
}

static void encode_chain(const struct nft_ir_table *t,
			 const struct nft_ir_chain *c, struct nft_msg *m)
{
	struct nlmsghdr *h =
		nft_msg_begin(m, NFT_MSG_NEWCHAIN,
			      NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, t->family);

	nft_attr_str(m, NFTA_CHAIN_TABLE, t->name);
	nft_attr_str(m, NFTA_CHAIN_NAME, c->name);
	if (c->base) {
		size_t hook = nft_nest_begin(m, NFTA_CHAIN_HOOK);

		nft_attr_u32(m, NFTA_HOOK_HOOKNUM, c->hook);
		nft_attr_u32(m, NFTA_HOOK_PRIORITY, (uint32_t)c->priority);
		nft_nest_end(m, hook);
		nft_attr_u32(m, NFTA_CHAIN_POLICY, NF_ACCEPT);
		nft_attr_str(m, NFTA_CHAIN_TYPE, "filter");
	}
	nft_msg_end(m, h);
}

static void encode_rule(const struct nft_ir_table *t,
			const struct nft_ir_rule *r, struct nft_msg *m)
{
	struct nlmsghdr *h = nft_msg_begin(
		m, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK,
		t->family);
	size_t list;

	nft_attr_str(m, NFTA_RULE_TABLE, t->name);
	nft_attr_str(m, NFTA_RULE_CHAIN, r->chain);
	list = nft_nest_begin(m, NFTA_RULE_EXPRESSIONS);
	for (size_t i = 0; i < r->n; i++)
		encode_expr(m, &r->e[i]);
	nft_nest_end(m, list);
	nft_msg_end(m, h);
}

/**
 * nft_encode_create() - The transaction that creates table @t whole
 * @t:		the table
 * @m:		the buffer it is appended to (check m->overflow)
 *
 * The table is created with NLM_F_EXCL: a table of that name made by
 * someone else fails the transaction instead of being taken over.
 */
void nft_encode_create(const struct nft_ir_table *t, struct nft_msg *m)
{
	nft_msg_batch(m, NFNL_MSG_BATCH_BEGIN);
	encode_table(t, m);
	for (size_t i = 0; i < t->n_counters; i++)
		encode_counter(t, t->counters[i], m);
	for (size_t i = 0; i < t->n_chains; i++)
		encode_chain(t, &t->chains[i], m);
	for (size_t i = 0; i < t->n_rules; i++)
		encode_rule(t, &t->rules[i], m);
	nft_msg_batch(m, NFNL_MSG_BATCH_END);
}

/**
 * nft_encode_delete() - The transaction that deletes a table and its content
 * @family:	NFPROTO_*
 * @table:	its name
 * @m:		the buffer it is appended to (check m->overflow)
 */
void nft_encode_delete(uint8_t family, const char *table, struct nft_msg *m)
{
	struct nlmsghdr *h;

	nft_msg_batch(m, NFNL_MSG_BATCH_BEGIN);
	h = nft_msg_begin(m, NFT_MSG_DELTABLE, NLM_F_ACK, family);
	nft_attr_str(m, NFTA_TABLE_NAME, table);
	nft_msg_end(m, h);
	nft_msg_batch(m, NFNL_MSG_BATCH_END);
}
