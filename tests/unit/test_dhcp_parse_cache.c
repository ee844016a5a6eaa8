// SPDX-License-Identifier: GPL-2.0-or-later
/* The parse cache (dhcp_parse_cache.c): always what a fresh parse gives. */

#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dhcp_msg.h"
#include "dhcp_parse_cache.h"
#include "dhcp_wire.h"
#include "test.h"

/* A request: @type, xid and secs from @seed, a PRL of @n_prl entries. */
static size_t make_msg(uint8_t *b, size_t cap, uint8_t type, unsigned seed,
		       uint8_t n_prl, bool cut)
{
	static const uint8_t mac[MAC_LEN] = {0x52, 0, 0, 0, 0, 0x56};
	size_t o = dhcp_msg_start(b, cap, htonl(seed * 2654435761u), mac, type);

	b[8] = (uint8_t)seed;
	b[10] = seed & 1 ? 0x80 : 0;
	b[o++] = DHCP_OPT_PARAM_REQUEST_LIST;
	b[o++] = n_prl;
	for (uint8_t i = 0; i < n_prl; i++)
		b[o++] = (uint8_t)(i + 1);
	b[o++] = DHCP_OPT_CLIENT_ID;
	b[o++] = cut ? 200 : 3; /* cut: runs past the end, malformed */
	b[o++] = 1;
	b[o++] = 0x52;
	b[o++] = 0x54;
	b[o++] = DHCP_OPT_END;
	return o < 300 ? 300 : o;
}

/* Equal as parsed: the cache's own parse_serial aside. */
static bool same_request(const struct dhcp_request *a,
			 const struct dhcp_request *b)
{
	struct dhcp_request x;

	memcpy(&x, a, offsetof(struct dhcp_request, params));
	x.parse_serial = b->parse_serial;
	return memcmp(&x, b, offsetof(struct dhcp_request, params)) == 0 &&
	       memcmp(a->params, b->params, a->n_params) == 0 &&
	       memcmp(a->client_id, b->client_id, a->client_id_len) == 0;
}

/* Repeats, new xids and secs, other types and lists, malformed ones, a
 * message longer than the cache keeps: each as a fresh parse. */
static void cached_equals_fresh(void)
{
	static struct dhcp_parse_cache cache;
	static const uint8_t types[] = {DHCP_MSG_DISCOVER, DHCP_MSG_REQUEST,
					DHCP_MSG_INFORM};
	uint8_t msg[DHCP_MAX_PACKET];
	unsigned int hits = 0;

	memset(&cache, 0, sizeof(cache));
	for (unsigned int i = 0; i < 600; i++) {
		uint8_t n_prl = i % 50 < 45 ? 7 : (uint8_t)(i % 50);
		bool cut = i % 97 == 5;
		size_t len =
			make_msg(msg, sizeof(msg), types[(i / 3) % 3], i,
				 (uint8_t)(i % 200 == 7 ? 250 : n_prl), cut);
		struct dhcp_request fresh;
		const struct dhcp_request *got;
		int r;

		if (i % 113 == 0)
			len = 600; /* longer than the cache keeps */
		r = dhcp_wire_parse_request(msg, len, &fresh);
		got = dhcp_parse_cached(&cache, msg, len);
		CHECK_EQ_INT(got != NULL, r == 0);
		if (got && r == 0) {
			CHECK(same_request(got, &fresh));
			/* Asked again: now from the cache, still the same. */
			got = dhcp_parse_cached(&cache, msg, len);
			CHECK(got && same_request(got, &fresh));
			hits++;
		}
	}
	CHECK(hits > 500);
	/* Too short to be a request at all. */
	CHECK(dhcp_parse_cached(&cache, msg, 100) == NULL);
}

/* Only xid and secs differ: the kept parse, with the new ones put in. */
static void cached_new_xid_and_secs(void)
{
	static struct dhcp_parse_cache cache;
	uint8_t msg[DHCP_MAX_PACKET];
	size_t len = make_msg(msg, sizeof(msg), DHCP_MSG_DISCOVER, 2, 7, false);
	struct dhcp_request fresh;
	const struct dhcp_request *got;

	memset(&cache, 0, sizeof(cache));
	CHECK(dhcp_parse_cached(&cache, msg, len) != NULL);
	for (unsigned int i = 0; i < 10; i++) {
		msg[4 + i % 4] ^= (uint8_t)(i + 1);
		msg[8 + i % 2] = (uint8_t)(i * 37);
		CHECK_EQ_INT(dhcp_wire_parse_request(msg, len, &fresh), 0);
		got = dhcp_parse_cached(&cache, msg, len);
		CHECK(got && same_request(got, &fresh));
		CHECK(got == &cache.e[0].req); /* served from the cache */
	}
	/* Any other byte: parsed again. */
	msg[12] = 10;
	CHECK_EQ_INT(dhcp_wire_parse_request(msg, len, &fresh), 0);
	got = dhcp_parse_cached(&cache, msg, len);
	CHECK(got && same_request(got, &fresh) && got != &cache.e[0].req);
}

/*
 * Bytes the parse does not read (the rest of chaddr, sname and file with no
 * option 52, what follows END) do not make it parse again; with option 52
 * sname and file are options, and a change there does.
 */
static void cached_unread_bytes(void)
{
	static struct dhcp_parse_cache cache;
	static const size_t unread[] = {34, 43, 44, 100, 235, 260, 299};
	uint8_t msg[DHCP_MAX_PACKET];
	size_t len = make_msg(msg, sizeof(msg), DHCP_MSG_REQUEST, 4, 7, false);
	struct dhcp_request fresh;
	const struct dhcp_request *got;
	uint64_t serial;

	memset(&cache, 0, sizeof(cache));
	got = dhcp_parse_cached(&cache, msg, len);
	CHECK(got != NULL);
	serial = got ? got->parse_serial : 0;
	CHECK(serial != 0);
	for (size_t i = 0; i < ARRAY_SIZE(unread); i++) {
		msg[unread[i]] ^= 0x5a;
		CHECK_EQ_INT(dhcp_wire_parse_request(msg, len, &fresh), 0);
		got = dhcp_parse_cached(&cache, msg, len);
		CHECK(got && same_request(got, &fresh));
		CHECK(got && got->parse_serial == serial);
	}

	/* Option 52 (file holds options): file is read now. make_msg()'s
	 * options end at 257 with 7 PRL entries. */
	len = make_msg(msg, sizeof(msg), DHCP_MSG_REQUEST, 4, 7, false);
	msg[257] = DHCP_OPT_OVERLOAD;
	msg[258] = 1;
	msg[259] = DHCP_OVERLOAD_FILE;
	msg[260] = DHCP_OPT_END;
	msg[108] = DHCP_OPT_MAX_MESSAGE_SIZE;
	msg[109] = 2;
	msg[110] = 1000 >> 8;
	msg[111] = 1000 & 0xff;
	msg[112] = DHCP_OPT_END;
	got = dhcp_parse_cached(&cache, msg, len);
	CHECK(got && got->overloaded && got->max_msg_size == 1000);
	serial = got ? got->parse_serial : 0;
	msg[110] = 1200 >> 8;
	msg[111] = 1200 & 0xff;
	CHECK_EQ_INT(dhcp_wire_parse_request(msg, len, &fresh), 0);
	got = dhcp_parse_cached(&cache, msg, len);
	CHECK(got && same_request(got, &fresh) && got->max_msg_size == 1200 &&
	      got->parse_serial != serial);
	/* Even after file's END: the whole message is compared. */
	serial = got ? got->parse_serial : 0;
	msg[113] ^= 1;
	got = dhcp_parse_cached(&cache, msg, len);
	CHECK(got && got->parse_serial != serial);
}

int main(void)
{
	RUN(cached_equals_fresh);
	RUN(cached_new_xid_and_secs);
	RUN(cached_unread_bytes);
	return TEST_SUMMARY();
}
