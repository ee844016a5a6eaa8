// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the lease note: the responder's record of the last lease per
 * bridge that `podnet status` reads instead of parsing the log. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lease_note.h"
#include "test.h"

static struct lease_note note(const char *ip, long long t)
{
	struct lease_note n = {.time = t};

	inet_pton(AF_INET, ip, &n.addr);
	return n;
}

static void slots_per_bridge(void)
{
	char text[2 * LEASE_NOTE_SLOT];
	struct lease_note a = note("198.51.100.10", 1700000009), got;

	CHECK_EQ_INT(lease_note_format(text, "pn-eth0", &a), 0);
	a = note("169.254.100.10", 1700000003);
	CHECK_EQ_INT(lease_note_format(text + LEASE_NOTE_SLOT, "pn-net1", &a),
		     0);
	CHECK(text[LEASE_NOTE_SLOT - 1] == '\n');
	CHECK(lease_note_find(text, sizeof(text), "pn-eth0", &got));
	CHECK_EQ_INT(got.time, 1700000009);
	CHECK_EQ_INT(got.addr.s_addr, note("198.51.100.10", 0).addr.s_addr);
	CHECK(lease_note_find(text, sizeof(text), "pn-net1", &got));
	CHECK_EQ_INT(got.time, 1700000003);
	CHECK(!lease_note_find(text, sizeof(text), "pn-eth", &got));
	/* A torn or short file, junk in a slot. */
	CHECK(!lease_note_find(text, LEASE_NOTE_SLOT - 1, "pn-eth0", &got));
	text[5] = 'X';
	CHECK(!lease_note_find(text, sizeof(text), "pn-eth0", &got));
	CHECK(!lease_note_find("", 0, "pn-eth0", &got));
}

/* Slots are rewritten in place: the file holds the last lease only. */
static void write_in_place(void)
{
	char path[] = "/tmp/podnet-lease-note.XXXXXX", text[512];
	int fd = mkstemp(path);
	struct lease_note a = note("198.51.100.10", 1), got;
	ssize_t n;

	CHECK(fd >= 0);
	CHECK_EQ_INT(lease_note_write(fd, 1, "pn-net1", &a), 0);
	a.time = 2;
	CHECK_EQ_INT(lease_note_write(fd, 0, "pn-eth0", &a), 0);
	a.time = 3;
	CHECK_EQ_INT(lease_note_write(fd, 0, "pn-eth0", &a), 0);
	n = pread(fd, text, sizeof(text), 0);
	CHECK_EQ_INT(n, 2 * LEASE_NOTE_SLOT);
	CHECK(lease_note_find(text, (size_t)n, "pn-eth0", &got));
	CHECK_EQ_INT(got.time, 3);
	CHECK(lease_note_find(text, (size_t)n, "pn-net1", &got));
	CHECK_EQ_INT(got.time, 1);
	close(fd);
	unlink(path);
}

/* The VM's whereabouts: their own slot after every interface's, beside
 * the leases; a damaged slot reads as "here". */
static void vm_whereabouts(void)
{
	char path[] = "/tmp/podnet-lease-note.XXXXXX";
	static char text[(LEASE_NOTE_VM_SLOT + 1) * LEASE_NOTE_SLOT];
	int fd = mkstemp(path);
	struct lease_note a = note("198.51.100.10", 1), got;
	long long since = -1;
	ssize_t n;

	CHECK(fd >= 0);
	CHECK_EQ_INT(lease_note_vm_find("", 0, &since), LEASE_NOTE_VM_HERE);
	CHECK(since == 0);
	CHECK_EQ_INT(lease_note_write(fd, 0, "pn-eth0", &a), 0);
	CHECK_EQ_INT(lease_note_vm_write(fd, LEASE_NOTE_VM_WAITING, 5), 0);
	CHECK_EQ_INT(lease_note_vm_write(fd, LEASE_NOTE_VM_SWITCHED, 7), 0);
	n = pread(fd, text, sizeof(text), 0);
	CHECK_EQ_INT(n, (LEASE_NOTE_VM_SLOT + 1) * LEASE_NOTE_SLOT);
	CHECK_EQ_INT(lease_note_vm_find(text, (size_t)n, &since),
		     LEASE_NOTE_VM_SWITCHED);
	CHECK(since == 7);
	/* The lease beside it is untouched, and the slot is no lease. */
	CHECK(lease_note_find(text, (size_t)n, "pn-eth0", &got));
	CHECK_EQ_INT(got.time, 1);
	CHECK(!lease_note_find(text, (size_t)n, "switched", &got));
	/* Truncated or damaged: nothing noted. */
	CHECK_EQ_INT(lease_note_vm_find(text, (size_t)n - 1, &since),
		     LEASE_NOTE_VM_HERE);
	memcpy(text + LEASE_NOTE_VM_SLOT * LEASE_NOTE_SLOT + 10, "moved???", 8);
	CHECK_EQ_INT(lease_note_vm_find(text, (size_t)n, &since),
		     LEASE_NOTE_VM_HERE);
	/* The renumbering verdict: the longest word, read back whole. */
	CHECK_EQ_INT(lease_note_vm_write(fd, LEASE_NOTE_VM_RENUMBER, 9), 0);
	n = pread(fd, text, sizeof(text), 0);
	CHECK_EQ_INT(lease_note_vm_find(text, (size_t)n, &since),
		     LEASE_NOTE_VM_RENUMBER);
	CHECK(since == 9);
	CHECK(lease_note_vm_arrived(LEASE_NOTE_VM_RENUMBER));
	CHECK(lease_note_vm_arrived(LEASE_NOTE_VM_SWITCHED));
	CHECK(!lease_note_vm_arrived(LEASE_NOTE_VM_WAITING));
	CHECK(!lease_note_vm_arrived(LEASE_NOTE_VM_LEFT));
	CHECK_EQ_STR(lease_note_vm_name(LEASE_NOTE_VM_RENUMBER),
		     "switched-renumber");
	CHECK_EQ_STR(lease_note_vm_name(LEASE_NOTE_VM_LEFT), "left");
	CHECK_EQ_STR(lease_note_vm_name(LEASE_NOTE_VM_WAITING), "waiting");
	close(fd);
	unlink(path);
}

static void too_long_refused(void)
{
	char slot[LEASE_NOTE_SLOT];
	struct lease_note a = note("198.51.100.10", 1);

	CHECK(lease_note_format(slot,
				"a-bridge-name-that-is-far-too-long-for-any-"
				"slot-of-ninety-six-bytes-xxxxxxxxxxxxxxxxx",
				&a) < 0);
}

int main(void)
{
	RUN(slots_per_bridge);
	RUN(write_in_place);
	RUN(vm_whereabouts);
	RUN(too_long_refused);
	return TEST_SUMMARY();
}
