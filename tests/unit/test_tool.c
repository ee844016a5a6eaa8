// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of `podnet status`'s pure parts: the text and JSON output; and
 * of the tool/hook argv split. (The lease note: test_lease_note.c.) */
#include <errno.h>
#include <stdlib.h>

#include "status.h"
#include "status_format.h"
#include "test.h"
#include "tool.h"

static struct status_domain sample(void)
{
	struct status_domain st = {
		.domain = "vm\"1",
		.uuid = "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
		.ready = true,
		.responder_pid = 4242,
		.responder = RESPONDER_HEALTH_RUNNING,
		.n_ifaces = 1,
		.ifaces = {{.pod_iface = "eth0",
			    .bridge = "pn-eth0",
			    .pod_ip = "198.51.100.10",
			    .prefix_len = 24,
			    .pod_ip6 = "2001:db8:1::10",
			    .prefix_len6 = 64,
			    .n_addrs6 = 1,
			    .n_routes6 = 2,
			    .vm_mac = "52:54:00:12:34:56",
			    .lease = {.given = true,
				      .time = 1700000009,
				      .addr = "198.51.100.10"},
			    .n_addrs = 1,
			    .n_routes = 3,
			    .n_neighs = 1,
			    .pod = STATUS_POD_HELD,
			    .pod_detail = "a port of bridge 'pn-eth0'",
			    .guest_filter = 1,
			    .drops = {[GUEST_FILTER_SRC_MAC] = 3,
				      [GUEST_FILTER_ROUTER_ADV] = 1}}},
	};
	return st;
}

static void test_format_json(void)
{
	struct status_domain st = sample();
	static char buf[STATUS_FORMAT_MAX];
	int n = status_format_json(&st, buf, sizeof(buf));

	CHECK(n > 0);
	CHECK_EQ_STR(
		buf,
		"{\"domain\":\"vm\\\"1\",\"uuid\":\"1b4e28ba-2fa1-11d2-883f-"
		"0016d3cca427\",\"prepared\":true,\"healthy\":true,"
		"\"responder\":{\"pid\":4242,\"state\":\"running\","
		"\"alive\":true,\"is_responder\":true},\"migration\":"
		"\"none\",\"interfaces\":[{"
		"\"pod_interface\":\"eth0\",\"pod_ip\":\"198.51.100.10\","
		"\"prefix_len\":24,\"pod_ip6\":\"2001:db8:1::10\","
		"\"prefix_len6\":64,\"bridge\":\"pn-eth0\",\"vm_mac\":"
		"\"52:54:00:12:34:56\",\"lease\":{\"given\":true,"
		"\"address\":\"198.51.100.10\",\"time\":1700000009,"
		"\"time_utc\":\"2023-11-14T22:13:29Z\"},\"record\":{"
		"\"addresses\":1,\"routes\":3,\"neighbours\":1,"
		"\"addresses6\":1,\"routes6\":2,\"neighbours6\":0},\"pod\":{"
		"\"state\":\"held\",\"detail\":\"a port of bridge "
		"'pn-eth0'\"},\"guest_filter\":{\"state\":\"on\",\"dropped\":{"
		"\"src_mac\":3,\"vlan\":0,\"arp_sender\":0,\"ip4_source\":0,"
		"\"ip6_source\":0,\"dhcp_server\":0,\"router_adv\":1,"
		"\"redirect\":0,\"nd_target\":0,\"nd_lladdr\":0,"
		"\"kept_in_pod\":0}}}]}");
}

/* A live migration's states, in both formats. */
static void test_format_migration(void)
{
	struct status_domain st = sample();
	static char buf[STATUS_FORMAT_MAX];

	st.where = LEASE_NOTE_VM_WAITING;
	CHECK(status_format_json(&st, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "\"migration\":\"waiting\",") != NULL);
	CHECK(status_format_text(&st, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "\n  incoming-migration: waiting ") != NULL);
	st.where = LEASE_NOTE_VM_SWITCHED;
	st.where_since = 1700000042;
	CHECK(status_format_json(&st, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "\"migration\":\"switched\",") != NULL);
	CHECK(status_format_text(&st, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "\n  incoming-migration: switched (the VM arrived "
			  "at 1700000042") != NULL);
	st.where = LEASE_NOTE_VM_RENUMBER;
	CHECK(status_format_json(&st, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "\"migration\":\"switched-renumber\",") != NULL);
	CHECK(status_format_text(&st, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "it must renumber\n") != NULL);
	st.where = LEASE_NOTE_VM_LEFT;
	CHECK(status_format_json(&st, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "\"migration\":\"left\",") != NULL);
	CHECK(status_format_text(&st, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "\n  migrated-away: ") != NULL);
}

static void test_format_json_dead(void)
{
	struct status_domain st = sample();
	static char buf[STATUS_FORMAT_MAX];

	st.responder = RESPONDER_HEALTH_IMPOSTOR;
	st.ifaces[0].lease.given = false;
	CHECK(status_format_json(&st, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "\"healthy\":false") != NULL);
	CHECK(strstr(buf, "\"state\":\"pid-reused\",\"alive\":true,"
			  "\"is_responder\":false") != NULL);
	CHECK(strstr(buf, "\"lease\":{\"given\":false}") != NULL);
	st.ifaces[0].guest_filter = 0;
	CHECK(status_format_json(&st, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "\"guest_filter\":{\"state\":\"off\"}}]}") != NULL);
}

static void test_format_text(void)
{
	struct status_domain st = sample();
	static char buf[STATUS_FORMAT_MAX];

	CHECK(status_format_text(&st, buf, sizeof(buf)) > 0);
	CHECK_EQ_STR(
		buf,
		"domain 'vm\"1' (1b4e28ba-2fa1-11d2-883f-0016d3cca427): "
		"serving\n"
		"  responder: pid 4242, running\n"
		"  interface 'eth0': pod IP 198.51.100.10/24, IPv6 "
		"2001:db8:1::10/64, bridge "
		"'pn-eth0', VM MAC 52:54:00:12:34:56\n"
		"    lease: 198.51.100.10 acked at 2023-11-14T22:13:29Z\n"
		"    record: 1 address(es), 3 route(s), 1 permanent "
		"neighbour(s); IPv6: 1 address(es), 2 route(s), 0 "
		"permanent neighbour(s); pod interface held: a port of bridge "
		"'pn-eth0'\n"
		"    guest filter: on, dropped 4 frame(s): src_mac 3, "
		"router_adv 1\n");
	st.ifaces[0].pod = STATUS_POD_DIFFERS;
	snprintf(st.ifaces[0].pod_detail, sizeof(st.ifaces[0].pod_detail),
		 "route 0.0.0.0/0 via 169.254.1.1 table 254 proto 3 scope 0 "
		 "missing");
	CHECK(status_format_text(&st, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "pod interface differs: route 0.0.0.0/0 via "
			  "169.254.1.1") != NULL);
	st.responder = RESPONDER_HEALTH_DEAD;
	CHECK(status_format_text(&st, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "): responder not running\n") != NULL);
	CHECK(strstr(buf, "pid 4242, dead\n") != NULL);
}

static void test_format_overflow(void)
{
	struct status_domain st = sample();
	char buf[40];

	CHECK_EQ_INT(status_format_text(&st, buf, sizeof(buf)), -ENOSPC);
	CHECK_EQ_INT(status_format_json(&st, buf, sizeof(buf)), -ENOSPC);
}

static void test_json_string_escapes(void)
{
	char buf[64];

	CHECK(status_json_string("a\\b\"c\n\x01", buf, sizeof(buf)) > 0);
	CHECK_EQ_STR(buf, "\"a\\\\b\\\"c\\u000a\\u0001\"");
}

static void test_tool_claims(void)
{
	char *hook[] = {"qemu", "validate", "prepare", "begin", "-", NULL};
	char *tool5[] = {"podnet", "validate", "--json", "--pod", "f", NULL};
	char *tool2[] = {"podnet", "status", NULL};

	CHECK(!tool_claims(5, hook));
	CHECK(tool_claims(5, tool5));
	CHECK(tool_claims(2, tool2));
	CHECK(tool_claims(1, tool2));
}

int main(void)
{
	RUN(test_format_json);
	RUN(test_format_migration);
	RUN(test_format_json_dead);
	RUN(test_format_text);
	RUN(test_format_overflow);
	RUN(test_json_string_escapes);
	RUN(test_tool_claims);
	return TEST_SUMMARY();
}
