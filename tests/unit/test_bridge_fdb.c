// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the bridge FDB scan (struct __fdb_entry records). */

#include <stdint.h>
#include <string.h>

#include "bridge_fdb.h"
#include "util.h"
#include "test.h"

static const uint8_t vm[MAC_LEN] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

static void scan(void)
{
	uint8_t buf[3 * BRIDGE_FDB_ENTRY_LEN] = {0};

	memcpy(buf, "\x0a\x58\xc6\x33\x64\x0a", MAC_LEN);
	buf[7] = 1; /* local */
	CHECK_EQ_INT(bridge_fdb_scan(buf, sizeof(buf), vm), 0);
	memcpy(buf + BRIDGE_FDB_ENTRY_LEN, vm, MAC_LEN);
	buf[BRIDGE_FDB_ENTRY_LEN + 7] = 1; /* the bridge's own: not learnt */
	CHECK_EQ_INT(bridge_fdb_scan(buf, sizeof(buf), vm), 0);
	buf[BRIDGE_FDB_ENTRY_LEN + 7] = 0;
	CHECK_EQ_INT(bridge_fdb_scan(buf, sizeof(buf), vm), 1);
	/* A partial entry is not read. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf + 2 * BRIDGE_FDB_ENTRY_LEN, vm, MAC_LEN);
	CHECK_EQ_INT(bridge_fdb_scan(buf, sizeof(buf) - 1, vm), 0);
	CHECK_EQ_INT(bridge_fdb_scan(buf, sizeof(buf), vm), 1);
	CHECK_EQ_INT(bridge_fdb_scan(buf, 0, vm), 0);
}

/* The port of a learnt entry: port_no (byte 6) and port_hi (byte 12). */
static void scan_port(void)
{
	uint8_t buf[2 * BRIDGE_FDB_ENTRY_LEN] = {0};

	CHECK_EQ_INT(bridge_fdb_scan_port(buf, sizeof(buf), vm), -1);
	memcpy(buf + BRIDGE_FDB_ENTRY_LEN, vm, MAC_LEN);
	buf[BRIDGE_FDB_ENTRY_LEN + 6] = 2;
	CHECK_EQ_INT(bridge_fdb_scan_port(buf, sizeof(buf), vm), 2);
	buf[BRIDGE_FDB_ENTRY_LEN + 12] = 1;
	CHECK_EQ_INT(bridge_fdb_scan_port(buf, sizeof(buf), vm), 0x102);
	buf[BRIDGE_FDB_ENTRY_LEN + 7] = 1; /* local: not the VM's port */
	CHECK_EQ_INT(bridge_fdb_scan_port(buf, sizeof(buf), vm), -1);
	buf[BRIDGE_FDB_ENTRY_LEN + 7] = 0;
	CHECK_EQ_INT(bridge_fdb_scan_port(buf, sizeof(buf) - 1, vm), -1);
	CHECK_EQ_INT(bridge_fdb_port(-1, vm), -2);
}

int main(void)
{
	RUN(scan);
	RUN(scan_port);
	return TEST_SUMMARY();
}
