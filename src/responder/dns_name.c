// SPDX-License-Identifier: GPL-2.0-or-later
/* DNS names in RFC 1035 wire format, with RFC 1035 4.1.4 / RFC 3397
 * compression against names already written. */

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/types.h>

#include "dns_name.h"

/* RFC 1035 4.1.4: a compression pointer is two bytes, top bits 11. */
#define DNS_PTR_MARK  0xc0
#define DNS_PTR_MAX   0x3fff
#define DNS_LABEL_MAX 63
/* Bound on pointers followed while comparing one name. */
#define DNS_MAX_HOPS 128

/* Length of the first label of @text (up to a dot or @n bytes). */
static size_t label_len(const char *text, size_t n)
{
	const char *dot = memchr(text, '.', n);

	return dot ? (size_t)(dot - text) : n;
}

/*
 * Does the encoded name at @pos spell @text (@tlen bytes, dot-separated, no
 * trailing dot)? Reads only @base[0..@limit) and follows a bounded number of
 * compression pointers.
 */
static bool wire_name_is(const uint8_t *base, size_t limit, size_t pos,
			 const char *text, size_t tlen)
{
	size_t t = 0;
	unsigned int hops = 0;

	while (pos < limit) {
		uint8_t b = base[pos];
		size_t l;

		if (b == 0)
			return t > tlen;
		if ((b & DNS_PTR_MARK) == DNS_PTR_MARK) {
			if (pos + 1 >= limit || ++hops > DNS_MAX_HOPS)
				return false;
			pos = ((size_t)(b & ~DNS_PTR_MARK) << 8) |
			      base[pos + 1];
			continue;
		}
		if (b > DNS_LABEL_MAX || b >= limit - pos || t >= tlen)
			return false;
		l = label_len(text + t, tlen - t);
		if (l != b || memcmp(base + pos + 1, text + t, l) != 0)
			return false;
		t += l + 1;
		pos += 1 + (size_t)b;
	}
	return false;
}

/* Offset of an earlier label sequence spelling @text, or -1 (RFC 1035 4.1.4).
 */
static ssize_t find_suffix(const uint8_t *base, size_t limit, const char *text,
			   size_t tlen)
{
	size_t pos = 0;

	while (pos < limit && pos <= DNS_PTR_MAX) {
		uint8_t b = base[pos];

		if (b == 0) {
			pos++;
		} else if ((b & DNS_PTR_MARK) == DNS_PTR_MARK) {
			pos += 2;
		} else {
			if (wire_name_is(base, limit, pos, text, tlen))
				return (ssize_t)pos;
			pos += 1 + (size_t)b;
		}
	}
	return -1;
}

/**
 * dns_name_put() - Write a dotted name as RFC 1035 labels
 * @w:		Bounded writer; with @compress, its start is offset 0
 * @name:	Name as text, one trailing dot allowed
 * @cap:	Size of the buffer holding @name (it must hold a NUL)
 * @compress:	Turn the longest suffix already in @w into a pointer
 * @terminate:	Write the root label; without it, a partial name
 *
 * With @compress, pointers are relative to the start of @w: RFC 3397 2
 * counts from the start of the option data. Without @terminate the name
 * has no root label: a partial name (RFC 4702 2.3.1).
 *
 * Return: 0, -EINVAL for an empty, over-long or badly labelled name, or
 * the writer's error (-EMSGSIZE)
 */
int dns_name_put(struct wr *w, const char *name, size_t cap, bool compress,
		 bool terminate)
{
	size_t tlen = strnlen(name, cap), start = wr_len(w), t = 0;

	if (tlen == cap)
		return -EINVAL;
	if (tlen && name[tlen - 1] == '.')
		tlen--;
	if (tlen == 0 || tlen > DNS_NAME_TEXT_MAX)
		return -EINVAL;
	while (t < tlen) {
		size_t l = label_len(name + t, tlen - t);
		ssize_t at;

		if (l == 0 || l > DNS_LABEL_MAX)
			return -EINVAL;
		at = compress ? find_suffix(w->base, start, name + t, tlen - t)
			      : -1;
		if (at >= 0) {
			wr_be16(w, (uint16_t)(DNS_PTR_MARK << 8 | at));
			return w->err;
		}
		wr_u8(w, (uint8_t)l);
		wr_put(w, name + t, l);
		t += l + 1;
	}
	if (terminate)
		wr_u8(w, 0);
	return w->err;
}
