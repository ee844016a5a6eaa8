// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the family-tagged address: text both ways, one equality for
 * both families, the kernel's bytes, prefix coverage. */
#include "inany.h"
#include "test.h"

static void text_round_trip(void)
{
	union inany a;
	char buf[INANY_ADDRSTRLEN];

	CHECK_EQ_INT(inany_pton(AF_UNSPEC, "198.51.100.7", &a), 0);
	CHECK_EQ_INT(inany_family(&a), AF_INET);
	CHECK_EQ_STR(inany_ntop(&a, buf), "198.51.100.7");
	CHECK_EQ_INT(inany_pton(AF_UNSPEC, "2001:db8::7", &a), 0);
	CHECK_EQ_INT(inany_family(&a), AF_INET6);
	CHECK_EQ_STR(inany_ntop(&a, buf), "2001:db8::7");
	/* The family a keyword fixes is kept to. */
	CHECK_EQ_INT(inany_pton(AF_INET6, "198.51.100.7", &a), -EINVAL);
	CHECK_EQ_INT(inany_pton(AF_INET, "2001:db8::7", &a), -EINVAL);
	CHECK_EQ_INT(inany_pton(AF_UNSPEC, "::ffff:198.51.100.7", &a), -EINVAL);
	CHECK_EQ_INT(inany_pton(AF_UNSPEC, "nonsense", &a), -EINVAL);
}

static void none_and_equal(void)
{
	union inany a, b;

	inany_any(&a, AF_INET);
	CHECK(inany_is_any(&a));
	CHECK_EQ_INT(inany_family(&a), AF_INET);
	inany_any(&b, AF_INET6);
	CHECK(inany_is_any(&b));
	CHECK(!inany_equal(&a, &b));
	CHECK_EQ_INT(inany_pton(AF_UNSPEC, "198.51.100.1", &a), 0);
	CHECK(!inany_is_any(&a));
	CHECK_EQ_INT(inany_pton(AF_UNSPEC, "198.51.100.1", &b), 0);
	CHECK(inany_equal(&a, &b));
}

static void raw_bytes(void)
{
	const uint8_t v4[4] = {198, 51, 100, 9};
	union inany a;
	size_t len;
	const uint8_t *raw;

	CHECK_EQ_INT(inany_from_raw(&a, AF_INET, v4, sizeof(v4)), 0);
	raw = inany_raw(&a, AF_INET, &len);
	CHECK_EQ_INT(len, 4);
	CHECK(memcmp(raw, v4, 4) == 0);
	CHECK_EQ_INT(inany_from_raw(&a, AF_INET6, v4, sizeof(v4)), -EINVAL);
	CHECK_EQ_INT(inany_pton(AF_UNSPEC, "2001:db8::9", &a), 0);
	(void)inany_raw(&a, AF_INET6, &len);
	CHECK_EQ_INT(len, 16);
}

static void covers(void)
{
	union inany net, a;

	(void)inany_pton(AF_UNSPEC, "198.51.100.0", &net);
	(void)inany_pton(AF_UNSPEC, "198.51.100.200", &a);
	CHECK(inany_covers(&net, 24, &a));
	CHECK(inany_covers(&net, 0, &a));
	CHECK(!inany_covers(&net, 25, &a));
	(void)inany_pton(AF_UNSPEC, "2001:db8:1::", &net);
	CHECK(!inany_covers(&net, 0, &a)); /* another family */
	(void)inany_pton(AF_UNSPEC, "2001:db8:1::5", &a);
	CHECK(inany_covers(&net, 64, &a));
	CHECK(inany_covers(&net, 127, &a) == false);
	(void)inany_pton(AF_UNSPEC, "2001:db8:1::1", &a);
	CHECK(inany_covers(&net, 127, &a));
}

int main(void)
{
	RUN(text_round_trip);
	RUN(none_and_equal);
	RUN(raw_bytes);
	RUN(covers);
	return TEST_SUMMARY();
}
