// SPDX-License-Identifier: GPL-2.0-or-later
/* rtnetlink messages without I/O: one request builder with bounds checks,
 * attribute parsing and the walk of a received datagram. Every length the
 * kernel sends is checked against what is left before it is used. */
#include <errno.h>
#include <string.h>

#include "nlmsg.h"

/* An attribute's payload is at most this (nla_len is 16 bits). */
#define NLATTR_MAX_PAYLOAD (0xffffu - NLA_HDRLEN)

/**
 * nlmsg_begin() - Start a request: header and zeroed fixed part
 * @req:	the request
 * @type:	RTM_* message type
 * @flags:	NLM_F_* beyond NLM_F_REQUEST (netlink.c adds the ack)
 * @fixed_len:	size of the family header (struct ifinfomsg, rtmsg, ...)
 *
 * Return: the fixed part to fill in, or NULL if it does not fit
 */
void *nlmsg_begin(struct nlmsg_req *req, uint16_t type, uint16_t flags,
		  size_t fixed_len)
{
	memset(req, 0, sizeof(*req));
	if (NLMSG_SPACE(fixed_len) > sizeof(req->buf)) {
		req->overflow = true;
		return NULL;
	}
	req->h.nlmsg_len = (uint32_t)NLMSG_SPACE(fixed_len);
	req->h.nlmsg_type = type;
	req->h.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	return NLMSG_DATA(&req->h);
}

/**
 * nlmsg_put() - Append one attribute
 * @req:	the request
 * @type:	attribute type
 * @data:	payload (may be NULL when @len is 0)
 * @len:	payload size
 *
 * Return: true, or false (and @req marked overflowed, never sent) when it
 * does not fit in the request or in an attribute
 */
bool nlmsg_put(struct nlmsg_req *req, uint16_t type, const void *data,
	       size_t len)
{
	size_t at = NLMSG_ALIGN(req->h.nlmsg_len);
	struct nlattr *a;

	if (req->overflow || len > NLATTR_MAX_PAYLOAD ||
	    at > sizeof(req->buf) ||
	    NLA_ALIGN(NLA_HDRLEN + len) > sizeof(req->buf) - at) {
		req->overflow = true;
		return false;
	}
	a = (struct nlattr *)(req->buf + at);
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	req->h.nlmsg_len = (uint32_t)(at + NLA_ALIGN(a->nla_len));
	return true;
}

/**
 * nlmsg_put_u32() - Append a 32-bit attribute
 * @req:	the request
 * @type:	attribute type
 * @v:		its value
 *
 * Return: see nlmsg_put()
 */
bool nlmsg_put_u32(struct nlmsg_req *req, uint16_t type, uint32_t v)
{
	return nlmsg_put(req, type, &v, sizeof(v));
}

/**
 * nlmsg_put_u8() - Append an 8-bit attribute
 * @req:	the request
 * @type:	attribute type
 * @v:		its value
 *
 * Return: see nlmsg_put()
 */
bool nlmsg_put_u8(struct nlmsg_req *req, uint16_t type, uint8_t v)
{
	return nlmsg_put(req, type, &v, sizeof(v));
}

/**
 * nlmsg_put_str() - Append a string attribute, its NUL included
 * @req:	the request
 * @type:	attribute type
 * @s:		the string
 *
 * Return: see nlmsg_put()
 */
bool nlmsg_put_str(struct nlmsg_req *req, uint16_t type, const char *s)
{
	return nlmsg_put(req, type, s, strlen(s) + 1);
}

/**
 * nlmsg_nest_begin() - Open a nested attribute; close it with
 * nlmsg_nest_end()
 * @req:	the request
 * @type:	attribute type (NLA_F_NESTED is not set: rtnetlink's own
 *		nests go without it)
 *
 * Return: the nest, or NULL when it does not fit
 */
struct nlattr *nlmsg_nest_begin(struct nlmsg_req *req, uint16_t type)
{
	size_t at = NLMSG_ALIGN(req->h.nlmsg_len);

	if (!nlmsg_put(req, type, NULL, 0))
		return NULL;
	return (struct nlattr *)(req->buf + at);
}

/**
 * nlmsg_nest_end() - Close a nest: its length covers what was appended
 * @req:	the request
 * @nest:	from nlmsg_nest_begin(), or NULL (the request overflowed)
 */
void nlmsg_nest_end(struct nlmsg_req *req, struct nlattr *nest)
{
	size_t len;

	if (!nest || req->overflow)
		return;
	len = req->h.nlmsg_len - (size_t)((char *)nest - req->buf);
	if (len > 0xffffu) {
		req->overflow = true;
		return;
	}
	nest->nla_len = (uint16_t)len;
}

static void tb_clear(const struct nlattr **tb, unsigned int max)
{
	for (unsigned int i = 0; i <= max; i++)
		tb[i] = NULL;
}

/**
 * nlattr_parse() - Index a run of attributes by type
 * @tb:		max + 1 slots, set to each type's last attribute or NULL
 * @max:	highest type kept; higher ones are skipped
 * @data:	the first attribute
 * @len:	bytes from @data to the end of the run
 *
 * Return: 0, or -EBADMSG when an attribute's length is shorter than its
 * header or runs past @len
 */
int nlattr_parse(const struct nlattr **tb, unsigned int max, const void *data,
		 size_t len)
{
	const char *p = data;

	tb_clear(tb, max);
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		unsigned int type = a->nla_type & NLA_TYPE_MASK;
		size_t step;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return -EBADMSG;
		if (type <= max)
			tb[type] = a;
		step = NLA_ALIGN(a->nla_len);
		if (step >= len)
			return 0;
		p += step;
		len -= step;
	}
	/* Fewer bytes than a header left: padding, or a cut attribute. */
	return len == 0 ? 0 : -EBADMSG;
}

/**
 * nlmsg_parse() - Index the attributes after a message's fixed part
 * @h:		the message (its nlmsg_len checked by nlmsg_walk())
 * @fixed_len:	size of its family header
 * @tb:		max + 1 slots
 * @max:	highest type kept
 *
 * Return: 0, or -EBADMSG when the message is shorter than its fixed part
 * or an attribute is malformed
 */
int nlmsg_parse(const struct nlmsghdr *h, size_t fixed_len,
		const struct nlattr **tb, unsigned int max)
{
	size_t at = NLMSG_SPACE(fixed_len);

	if (h->nlmsg_len < NLMSG_LENGTH(fixed_len))
		return -EBADMSG;
	if (h->nlmsg_len <= at) {
		tb_clear(tb, max);
		return 0;
	}
	return nlattr_parse(tb, max, (const char *)h + at, h->nlmsg_len - at);
}

/**
 * nlattr_data() - An attribute's payload
 * @a:	the attribute
 *
 * Return: its first byte
 */
const void *nlattr_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

/**
 * nlattr_len() - An attribute's payload size
 * @a:	the attribute (checked by nlattr_parse())
 *
 * Return: bytes of payload
 */
size_t nlattr_len(const struct nlattr *a)
{
	return (size_t)a->nla_len - NLA_HDRLEN;
}

/**
 * nlattr_u32() - A 32-bit attribute's value
 * @a:		the attribute, or NULL
 * @absent:	the value when it is absent or not 4 bytes
 *
 * Return: its value, or @absent
 */
uint32_t nlattr_u32(const struct nlattr *a, uint32_t absent)
{
	uint32_t v;

	if (!a || nlattr_len(a) != sizeof(v))
		return absent;
	memcpy(&v, nlattr_data(a), sizeof(v));
	return v;
}

/**
 * nlattr_u8() - An 8-bit attribute's value
 * @a:		the attribute, or NULL
 * @absent:	the value when it is absent or empty
 *
 * Return: its value, or @absent
 */
uint8_t nlattr_u8(const struct nlattr *a, uint8_t absent)
{
	if (!a || nlattr_len(a) < 1)
		return absent;
	return *(const uint8_t *)nlattr_data(a);
}

/**
 * nlattr_str() - A string attribute, copied
 * @a:		the attribute, or NULL
 * @ret:	buffer, always terminated
 * @size:	its size (at least 1)
 *
 * Return: true if it was there and fits, NUL included (or ended early
 * by one); false leaves @ret empty
 */
bool nlattr_str(const struct nlattr *a, char *ret, size_t size)
{
	size_t n;

	ret[0] = '\0';
	if (!a)
		return false;
	n = strnlen(nlattr_data(a), nlattr_len(a));
	if (n >= size)
		return false;
	memcpy(ret, nlattr_data(a), n);
	ret[n] = '\0';
	return true;
}

/* The extended ack's attributes after the error's copy of the request
 * (all of it, or its header alone when NLM_F_CAPPED). */
static void ext_ack(const struct nlmsghdr *h, const struct nlmsgerr *e,
		    struct nlmsg_status *st)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t at = sizeof(*e);

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(h->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < sizeof(e->msg))
			return;
		at += e->msg.nlmsg_len - sizeof(e->msg);
	}
	at = NLMSG_SPACE(at); /* the kernel's nlmsg_put() of that payload */
	if (at >= h->nlmsg_len ||
	    nlattr_parse(tb, NLMSGERR_ATTR_MAX, (const char *)h + at,
			 h->nlmsg_len - at) < 0)
		return;
	(void)nlattr_str(tb[NLMSGERR_ATTR_MSG], st->ext_msg,
			 sizeof(st->ext_msg));
}

/* NLMSG_ERROR (an ack when its error is 0) or NLMSG_DONE, whose payload
 * is the dump's own error. */
static int end_of(const struct nlmsghdr *h, struct nlmsg_status *st)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	int error;

	if (h->nlmsg_type == NLMSG_DONE) {
		st->done = true;
		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(error)))
			return 0;
		memcpy(&error, NLMSG_DATA(h), sizeof(error));
		st->error = error < 0 ? error : 0;
		return 0;
	}
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
		return -EBADMSG;
	st->done = true;
	st->error = e->error < 0 ? e->error : 0;
	if (st->error)
		ext_ack(h, e, st);
	return 0;
}

/* One message of a walk; see nlmsg_walk(). */
static int walk_one(const struct nlmsghdr *h, uint32_t seq, nlmsg_cb cb,
		    void *arg, struct nlmsg_status *st, bool calls)
{
	int rc;

	if (h->nlmsg_seq != seq || st->done)
		return 0;
	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		st->intr = true;
	if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_DONE)
		return end_of(h, st);
	if (h->nlmsg_type < NLMSG_MIN_TYPE || !cb || !calls)
		return 0;
	rc = cb(h, arg);
	return rc < 0 ? rc : 0;
}

/**
 * nlmsg_walk() - Go through one received datagram of answers
 * @buf:	the datagram, 4-byte aligned
 * @len:	its length
 * @seq:	the request's sequence number; other messages are skipped
 * @cb:		called for each answer that is not an end, or NULL
 * @arg:	passed to @cb
 * @st:		what was seen: the end, the kernel's error and extended
 *		ack message, an interrupted dump (kept across datagrams:
 *		the caller zeroes it once per request)
 *
 * Return: 0, @cb's first negative return, or -EBADMSG for a message cut
 * short or an error too short to hold its errno
 */
int nlmsg_walk(const void *buf, size_t len, uint32_t seq, nlmsg_cb cb,
	       void *arg, struct nlmsg_status *st)
{
	const char *p = buf;
	int rc = 0;

	while (len > 0) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)p;
		size_t step;
		int one;

		if (len < sizeof(*h) || h->nlmsg_len < sizeof(*h) ||
		    h->nlmsg_len > len)
			return rc < 0 ? rc : -EBADMSG; /* cut short */
		one = walk_one(h, seq, cb, arg, st, rc == 0);
		if (one < 0 && rc == 0)
			rc = one;
		step = NLMSG_ALIGN(h->nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return rc;
}
