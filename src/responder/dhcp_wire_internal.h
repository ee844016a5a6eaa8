// SPDX-License-Identifier: GPL-2.0-or-later
/* Internals shared by the DHCP wire files (parse, reply): BOOTP field sizes
 * and the bounded writer. Not for other modules. */
#ifndef PODNET_DHCP_WIRE_INTERNAL_H
#define PODNET_DHCP_WIRE_INTERNAL_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "be_bytes.h"

/* Sizes of the fixed BOOTP fields (RFC 2131 2, figure 1). */
#define BOOTP_CHADDR_LEN 16
#define BOOTP_SNAME_LEN	 64
#define BOOTP_FILE_LEN	 128

/*
 * Bounded writer: every write checks the space left in its destination. The
 * first overflow sticks in @err and turns later writes into no-ops, so a
 * sequence of writes is checked once at its end.
 */
struct wr {
	uint8_t *base;
	uint8_t *p;
	size_t left;
	int err;
};

static inline void wr_init(struct wr *w, uint8_t *buf, size_t cap)
{
	w->base = buf;
	w->p = buf;
	w->left = cap;
	w->err = 0;
}

static inline size_t wr_len(const struct wr *w)
{
	return (size_t)(w->p - w->base);
}

static inline void wr_put(struct wr *w, const void *src, size_t n)
{
	if (w->err || n > w->left) {
		w->err = -EMSGSIZE;
		return;
	}
	if (n)
		memcpy(w->p, src, n);
	w->p += n;
	w->left -= n;
}

static inline void wr_zero(struct wr *w, size_t n)
{
	if (w->err || n > w->left) {
		w->err = -EMSGSIZE;
		return;
	}
	memset(w->p, 0, n);
	w->p += n;
	w->left -= n;
}

static inline void wr_u8(struct wr *w, uint8_t v)
{
	wr_put(w, &v, sizeof(v));
}

static inline void wr_be16(struct wr *w, uint16_t v)
{
	uint8_t b[2];

	be16_put(b, v);
	wr_put(w, b, sizeof(b));
}

static inline void wr_be32(struct wr *w, uint32_t v)
{
	uint8_t b[4];

	be32_put(b, v);
	wr_put(w, b, sizeof(b));
}

static inline void wr_addr(struct wr *w, struct in_addr a)
{
	wr_put(w, &a.s_addr, sizeof(a.s_addr));
}

/* The reply builder's one option table (dhcp_reply.c). */
struct opt_set;
struct reply_ctx;

/* Which replies carry an option (RFC 2131 table 3). */
enum opt_in {
	OPT_IN_ALL,   /* OFFER, ACK, INFORM-ACK and NAK */
	OPT_IN_LEASE, /* everything but a NAK */
	OPT_IN_NAK,   /* only a NAK */
};

struct opt_spec {
	/* Adds the option to the set, or nothing when it does not apply. */
	int (*encode)(struct opt_set *s, uint8_t code,
		      const struct reply_ctx *c);
	enum opt_in in;
	uint8_t code;
	bool mandatory; /* no reply at all if it does not fit */
	uint8_t wire;	/* rank on the wire after 53, 54 and the PRL */
};

const struct opt_spec *dhcp_reply_option_table(size_t *ret_n);

#endif
