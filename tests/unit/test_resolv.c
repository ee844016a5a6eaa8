// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for resolv_parse(): a table of texts and what must come out. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolv.h"
#include "test.h"
#include "util.h"

struct resolv_case {
	const char *name;
	const char *text;
	size_t len;	     /* 0: strlen(text) */
	const char *servers; /* space-separated, "" for none */
	const char *search;  /* space-separated, "" for none */
	size_t n_ignored;
};

#define LONG63	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define LONG61	"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define NAME253 LONG63 "." LONG63 "." LONG63 "." LONG61

static const struct resolv_case cases[] = {
	{.name = "empty", .text = "", .servers = "", .search = ""},
	{.name = "one server",
	 .text = "nameserver 198.51.100.1\n",
	 .servers = "198.51.100.1",
	 .search = ""},
	{.name = "kubernetes",
	 .text = "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 198.51.100.53\noptions ndots:5\n",
	 .servers = "198.51.100.53",
	 .search = "default.svc.cluster.local svc.cluster.local cluster.local"},
	{.name = "no trailing newline",
	 .text = "nameserver 198.51.100.1\nsearch example.org",
	 .servers = "198.51.100.1",
	 .search = "example.org"},
	{.name = "crlf",
	 .text = "nameserver 198.51.100.1\r\nsearch a.example b.example\r\n",
	 .servers = "198.51.100.1",
	 .search = "a.example b.example"},
	{.name = "tabs and blanks",
	 .text = "nameserver\t198.51.100.1\t\n  nameserver   198.51.100.2  \nsearch\ta.example\t\tb.example \n",
	 .servers = "198.51.100.1 198.51.100.2",
	 .search = "a.example b.example"},
	{.name = "comments",
	 .text = "# nameserver 198.51.100.9\n; nameserver 198.51.100.8\nnameserver 198.51.100.1 # primary\nsearch a.example ;b.example\n   # indented comment\n",
	 .servers = "198.51.100.1",
	 .search = "a.example"},
	{.name = "ipv6 kept, zoned link-local ignored",
	 .text = "nameserver 2001:db8::1\nnameserver 198.51.100.1\nnameserver fe80::1%eth0\n",
	 .servers = "198.51.100.1 2001:db8::1",
	 .search = "",
	 .n_ignored = 1},
	{.name = "ipv6 unusable and duplicate",
	 .text = "nameserver ::\nnameserver ::1\nnameserver ::ffff:198.51.100.1\nnameserver ff02::fb\nnameserver fe80::1\nnameserver 2001:DB8::53\nnameserver 2001:db8:0::53\nnameserver 2001:db8::g\n",
	 .servers = "2001:db8::53",
	 .search = "",
	 .n_ignored = 7},
	{.name = "junk servers",
	 .text = "nameserver\nnameserver 198.51.100\nnameserver 198.51.100.256\nnameserver 0x01020304\nnameserver 198.51.100.1.5\nnameserver 198.51.100.123456789\n",
	 .servers = "",
	 .search = "",
	 .n_ignored = 6},
	{.name = "unusable servers",
	 .text = "nameserver 127.0.0.53\nnameserver 0.0.0.0\nnameserver 224.0.0.251\nnameserver 255.255.255.255\nnameserver 169.254.20.10\n",
	 .servers = "169.254.20.10",
	 .search = "",
	 .n_ignored = 4},
	{.name = "duplicates",
	 .text = "nameserver 198.51.100.1\nnameserver 198.51.100.1\nsearch a.example A.EXAMPLE a.example. b.example\n",
	 .servers = "198.51.100.1",
	 .search = "a.example b.example",
	 .n_ignored = 3},
	{.name = "server cap",
	 .text = "nameserver 198.51.100.1\nnameserver 198.51.100.2\nnameserver 198.51.100.3\nnameserver 198.51.100.4\nnameserver 198.51.100.5\nnameserver 198.51.100.6\nnameserver 198.51.100.7\nnameserver 198.51.100.8\nnameserver 198.51.100.9\nnameserver 198.51.100.10\n",
	 .servers =
		 "198.51.100.1 198.51.100.2 198.51.100.3 198.51.100.4 198.51.100.5 198.51.100.6 198.51.100.7 198.51.100.8",
	 .search = "",
	 .n_ignored = 2},
	{.name = "search cap",
	 .text = "search a b c d e f g h i j k l m n o p q r\n",
	 .servers = "",
	 .search = "a b c d e f g h i j k l m n o p",
	 .n_ignored = 2},
	{.name = "last search wins",
	 .text = "search a.example b.example\nsearch c.example\n",
	 .servers = "",
	 .search = "c.example"},
	{.name = "domain after search wins",
	 .text = "search a.example b.example\ndomain corp.example extra.example\n",
	 .servers = "",
	 .search = "corp.example"},
	{.name = "search after domain wins",
	 .text = "domain corp.example\nsearch a.example\n",
	 .servers = "",
	 .search = "a.example"},
	{.name = "trailing dot dropped",
	 .text = "search cluster.local. example.org\n",
	 .servers = "",
	 .search = "cluster.local example.org"},
	{.name = "invalid names",
	 .text = "search . a..b .a a/b a\xc3\xa9 _srv.example ok-1.example\n",
	 .servers = "",
	 .search = "_srv.example ok-1.example",
	 .n_ignored = 5},
	{.name = "label of 63 kept, 64 ignored",
	 .text = "search " LONG63 ".example " LONG63 "a.example\n",
	 .servers = "",
	 .search = LONG63 ".example",
	 .n_ignored = 1},
	{.name = "name of 253 kept, 254 ignored",
	 .text = "search " NAME253 " " NAME253 "x\n",
	 .servers = "",
	 .search = NAME253,
	 .n_ignored = 1},
	{.name = "unknown keywords",
	 .text = "Nameserver 198.51.100.1\nnameserver198.51.100.2\nlookup file bind\nsortlist 198.51.100.0/255.255.255.0\noptions rotate\n",
	 .servers = "",
	 .search = "",
	 .n_ignored = 3},
	{.name = "nul ends a line",
	 .text = "nameserver 198.51.100.1\0nameserver 198.51.100.2\n\0\0search a.example",
	 .len = 66,
	 .servers = "198.51.100.1 198.51.100.2",
	 .search = "a.example"},
	{.name = "nul inside a token",
	 .text = "nameserver 198.51\0.100.1\n",
	 .len = 25,
	 .servers = "",
	 .search = "",
	 .n_ignored = 2},
	{.name = "length honoured",
	 .text = "nameserver 198.51.100.1\nnameserver 198.51.100.2\n",
	 .len = 22,
	 .servers = "",
	 .search = "",
	 .n_ignored = 1},
};

/* Format what was parsed the way the table writes it: IPv4 servers, then
 * IPv6 ones. */
static void join_servers(const struct resolv_conf *rc, char *out, size_t size)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < rc->n_servers && o < size; i++) {
		char a[INET_ADDRSTRLEN];

		if (!inet_ntop(AF_INET, &rc->servers[i], a, sizeof(a)))
			return;
		o += (size_t)snprintf(out + o, size - o, "%s%s", i ? " " : "",
				      a);
	}
	for (size_t i = 0; i < rc->n_nameservers6 && o < size; i++) {
		char a[INET6_ADDRSTRLEN];

		if (!inet_ntop(AF_INET6, &rc->nameservers6[i], a, sizeof(a)))
			return;
		o += (size_t)snprintf(out + o, size - o, "%s%s", o ? " " : "",
				      a);
	}
}

static void join_search(const struct resolv_conf *rc, char *out, size_t size)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < rc->n_search && o < size; i++)
		o += (size_t)snprintf(out + o, size - o, "%s%s", i ? " " : "",
				      rc->search[i]);
}

static void run_case(const struct resolv_case *c)
{
	static char got[PODNET_MAX_SEARCH * (PODNET_NAME_MAX + 1) + 64];
	struct resolv_conf rc;
	size_t len = c->len ? c->len : strlen(c->text);

	CHECK_EQ_INT(resolv_parse(c->text, len, &rc), 0);
	join_servers(&rc, got, sizeof(got));
	CHECK_EQ_STR(got, c->servers);
	join_search(&rc, got, sizeof(got));
	CHECK_EQ_STR(got, c->search);
	CHECK_EQ_INT(rc.n_ignored, c->n_ignored);
}

/* Each row is a case of its own, reported by name like RUN() does. */
static void run_table(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		RUN_NAMED(run_case(&cases[i]), "resolv: ", cases[i].name);
}

static void test_null(void)
{
	struct resolv_conf rc;

	CHECK_EQ_INT(resolv_parse(NULL, 0, &rc), -EINVAL);
	CHECK_EQ_INT(resolv_parse("", 0, NULL), -EINVAL);
}

/* The files in tests/data/resolv, read as the hook would. */
static void test_files(void)
{
	static const struct {
		const char *file, *servers, *search;
		size_t n_ignored;
	} files[] = {
		{"kubernetes", "198.51.100.53",
		 "default.svc.cluster.local svc.cluster.local cluster.local",
		 0},
		{"crlf-no-newline", "198.51.100.1 198.51.100.2 2001:db8::1",
		 "example.org", 0},
		{"systemd-resolved", "", "", 2},
	};

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char path[256], buf[4096], got[1024];
		struct resolv_conf rc;
		FILE *f;
		size_t n;

		CHECK(snprintf(path, sizeof(path), "tests/data/resolv/%s",
			       files[i].file) < (int)sizeof(path));
		f = fopen(path, "rb");
		CHECK(f != NULL);
		if (!f)
			continue;
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		CHECK_EQ_INT(resolv_parse(buf, n, &rc), 0);
		join_servers(&rc, got, sizeof(got));
		CHECK_EQ_STR(got, files[i].servers);
		join_search(&rc, got, sizeof(got));
		CHECK_EQ_STR(got, files[i].search);
		CHECK_EQ_INT(rc.n_ignored, files[i].n_ignored);
	}
}

int main(void)
{
	run_table();
	RUN(test_null);
	RUN(test_files);
	return TEST_SUMMARY();
}
