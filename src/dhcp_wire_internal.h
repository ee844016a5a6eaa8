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
	v = htons(v);
	wr_put(w, &v, sizeof(v));
}

static inline void wr_be32(struct wr *w, uint32_t v)
{
	v = htonl(v);
	wr_put(w, &v, sizeof(v));
}

static inline void wr_addr(struct wr *w, struct in_addr a)
{
	wr_put(w, &a.s_addr, sizeof(a.s_addr));
}

#endif
