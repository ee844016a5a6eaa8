// SPDX-License-Identifier: GPL-2.0-or-later
/* The responder process: reads the domain's record, opens the two ports of
 * each bridge (IPv4: dhcp4_port.c, IPv6: dhcp6_port.c), enters its sandbox,
 * tells the hook it is ready, and polls the ports until a bridge goes. */

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "dhcp4_port.h"
#include "dhcp6_port.h"
#include "errmsg.h"
#include "lease_note.h"
#include "log.h"
#include "ready_pipe.h"
#include "responder.h"
#include "sandbox.h"
#include "state.h"
#include "statedir.h"
#include "vm_watch.h"

/* The announcement when the VM arrives: a short burst per address. */
#define ARRIVAL_ANNOUNCE_COUNT 3

/* One bridge: its IPv4 port, its IPv6 port (fd -1: none), where the VM is. */
struct bridge_ports {
	struct dhcp4_port v4;
	struct dhcp6_port v6;
	struct vm_watch watch;
};

/* Fixed buffers: nothing is allocated once the loop runs. */
struct responder {
	struct bridge_ports ports[PODNET_MAX_IFACES];
	size_t n_ports;
	/* UUID.lease: the last lease per interface, for `podnet status`,
	 * and where the VM is (lease_note.h). */
	int lease_fd;
	/* HERE, SWITCHED and RENUMBER serve; WAITING (an incoming migration)
	 * and LEFT (the VM announced itself from the node's network) answer
	 * nothing. */
	enum lease_note_vm where;
};

static bool serving(const struct responder *r)
{
	return r->where == LEASE_NOTE_VM_HERE ||
	       lease_note_vm_arrived(r->where);
}

/* Per bridge: the DHCP socket, the ARP requests, IPv6 (fd -1: none), RARP. */
#define FDS_PER_BRIDGE 4

/*
 * The domain's files in the state folder that the responder writes:
 * UUID.log (its log; none if it cannot be opened) and UUID.lease.
 */
static int open_domain_files(const char *uuid, int *ret_lease_fd, char *err,
			     size_t err_len)
{
	char path[STATEDIR_PATH_MAX];
	int fd = -1;

	if (statedir_path(uuid, STATEDIR_LOG, path) == 0)
		log_set_fd(open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
				0600));
	if (statedir_path(uuid, STATEDIR_LEASE, path) == 0)
		fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
			  0600);
	if (fd < 0) {
		int rc = -errno;

		errmsg_set(err, err_len, "cannot open its lease file: %s",
			   strerror(-rc));
		return rc;
	}
	*ret_lease_fd = fd;
	return 0;
}

/* A responder restarted (reconnect) after the VM arrived serves at once
 * (its renumbering verdict starts again from "switched"). */
static bool switched_before(const char *uuid)
{
	static char note[(LEASE_NOTE_VM_SLOT + 1) * LEASE_NOTE_SLOT + 1];
	long long since;
	size_t len;

	return statedir_read(uuid, STATEDIR_LEASE, note, sizeof(note), &len) ==
		       0 &&
	       lease_note_vm_arrived(lease_note_vm_find(note, len, &since));
}

static int open_bridge(struct bridge_ports *b, const struct state_record *rec,
		       size_t i, int lease_fd, char *err, size_t err_len)
{
	int rc;

	b->v6.fd = -1;
	b->watch.rarp_fd = b->watch.fdb_fd = -1;
	rc = dhcp4_port_open(&b->v4, rec, i, lease_fd, err, err_len);
	if (rc == 0)
		rc = vm_watch_open(&b->watch, &rec->ifaces[i], b->v4.ifindex,
				   err, err_len);
	/* IPv6 only when the tag leaves DHCP on and the pod had IPv6. */
	if (rc < 0 || rec->ifaces[i].dhcp.no_dhcp)
		return rc;
	return dhcp6_port_open(&b->v6, rec, i, b->v4.ifindex,
			       rec->ifaces[i].bridge, err, err_len);
}

static int start(struct responder *r, const char *uuid, char *err,
		 size_t err_len)
{
	struct state_record *rec = calloc(1, sizeof(*rec));
	int rc;

	if (!rec)
		return -ENOMEM;
	rc = state_read(uuid, rec);
	if (rc < 0) {
		errmsg_set(err, err_len, "cannot read the state record: %s",
			   strerror(-rc));
		free(rec);
		return rc;
	}
	rc = open_domain_files(uuid, &r->lease_fd, err, err_len);
	r->where = rec->incoming && !switched_before(uuid)
			   ? LEASE_NOTE_VM_WAITING
			   : LEASE_NOTE_VM_HERE;
	for (size_t i = 0; i < rec->n_ifaces && rc == 0; i++) {
		rc = open_bridge(&r->ports[i], rec, i, r->lease_fd, err,
				 err_len);
		r->n_ports = i + 1;
	}
	free(rec);
	/* The record (and state_parse()'s copy) were all the heap held: give
	 * those pages back, they are most of an idle responder's memory
	 * (glibc keeps a freed heap top below 128 KiB; musl returns it). */
#ifdef __GLIBC__
	(void)malloc_trim(0);
#endif
	return rc;
}

static void note_where(struct responder *r, enum lease_note_vm where)
{
	struct timespec now;
	int rc;

	(void)clock_gettime(CLOCK_REALTIME, &now);
	r->where = where;
	rc = lease_note_vm_write(r->lease_fd, where, (long long)now.tv_sec);
	if (rc < 0)
		log_line("cannot note the VM's whereabouts for status: %s",
			 strerror(-rc));
}

/*
 * A live migration's destination: the VM just arrived. Say so toward the
 * node from the VM's MAC on every bridge (gratuitous ARP, unsolicited NA),
 * give the VM this pod's router, and serve from now on.
 */
static void vm_arrived(struct responder *r, const char *how)
{
	log_line("the VM arrived (%s): announcing it at the pod's addresses",
		 how);
	note_where(r, LEASE_NOTE_VM_SWITCHED);
	for (size_t i = 0; i < r->n_ports; i++) {
		dhcp4_port_announce(&r->ports[i].v4, ARRIVAL_ANNOUNCE_COUNT);
		dhcp6_port_announce(&r->ports[i].v6, ARRIVAL_ANNOUNCE_COUNT);
	}
}

/*
 * While the VM is not here (WAITING, LEFT): a frame of its MAC woke us, or
 * the once-a-second look. Behind its own port it has arrived; else what
 * came is the VM elsewhere on the node's network, and nothing is answered.
 */
static void not_here(struct responder *r, struct bridge_ports *b,
		     const struct pollfd *d, bool woken)
{
	enum vm_side side = vm_watch_side(&b->watch);
	bool rarp = woken && (d[3].revents & POLLIN) &&
		    vm_watch_read_rarp(&b->watch);

	/* QEMU's RARP that the bridge did not learn (no FDB to read, or a
	 * tap port without learning) came from a port of ours: the pod
	 * interface's port learns. */
	if (side == VM_SIDE_OWN || (side == VM_SIDE_UNKNOWN && rarp)) {
		if (r->where == LEASE_NOTE_VM_WAITING) {
			vm_arrived(r, rarp ? "its RARP" : "its first frame");
		} else {
			log_line(
				"the VM is behind its own port again: serving");
			note_where(r, LEASE_NOTE_VM_HERE);
		}
		return;
	}
	if (!woken)
		return;
	for (int k = 0; k < FDS_PER_BRIDGE; k++)
		if (d[k].revents & POLLIN)
			vm_watch_drain(d[k].fd);
}

/* Serving: QEMU's RARP through the pod interface means that the VM now
 * runs in another pod (a live migration's source, libvirt < 10.5). */
static void rarp_while_here(struct responder *r, struct bridge_ports *b)
{
	if (!vm_watch_read_rarp(&b->watch) ||
	    vm_watch_side(&b->watch) != VM_SIDE_POD)
		return;
	log_line("bridge '%s': the VM's RARP came through the pod interface: "
		 "it runs elsewhere now; answering nothing",
		 b->watch.bridge);
	note_where(r, LEASE_NOTE_VM_LEFT);
}

/*
 * After the switchover: the guest used an address that is not this pod's
 * (it came from a pod with another address). Noted once, for `podnet
 * status` and `podnet link-refresh --watch`, which flaps its link then.
 */
static void check_renumber(struct responder *r, struct bridge_ports *b)
{
	if (!b->v4.other_addr)
		return;
	b->v4.other_addr = false;
	if (r->where != LEASE_NOTE_VM_SWITCHED)
		return;
	log_line("bridge '%s': the guest uses an address that is not this "
		 "pod's: it must renumber",
		 b->v4.bridge);
	note_where(r, LEASE_NOTE_VM_RENUMBER);
}

static int serve(struct responder *r)
{
	struct pollfd pfd[FDS_PER_BRIDGE * PODNET_MAX_IFACES];
	time_t checked = 0;

	for (size_t i = 0; i < r->n_ports; i++) {
		const struct bridge_ports *b = &r->ports[i];
		struct pollfd *d = &pfd[FDS_PER_BRIDGE * i];

		d[0] = (struct pollfd){.fd = b->v4.fd, .events = POLLIN};
		d[1] = (struct pollfd){.fd = b->v4.arp_rx_fd, .events = POLLIN};
		d[2] = (struct pollfd){.fd = b->v6.fd, .events = POLLIN};
		d[3] = (struct pollfd){.fd = b->watch.rarp_fd,
				       .events = POLLIN};
	}
	if (r->where == LEASE_NOTE_VM_WAITING)
		note_where(r, LEASE_NOTE_VM_WAITING);
	for (;;) {
		/* Wake up every second to notice a bridge that went away. */
		int rc = poll(pfd, FDS_PER_BRIDGE * r->n_ports, 1000);
		struct timespec now;

		if (rc < 0 && errno != EINTR)
			return -errno;
		(void)clock_gettime(CLOCK_MONOTONIC, &now);
		for (size_t i = 0; i < r->n_ports; i++) {
			struct bridge_ports *b = &r->ports[i];
			const struct pollfd *d = &pfd[FDS_PER_BRIDGE * i];
			bool check = now.tv_sec != checked ||
				     (rc > 0 && (d->revents & ~POLLIN));
			bool woken = false;

			if (check && !dhcp4_port_bridge_alive(&b->v4)) {
				log_line("bridge '%s': gone, exiting",
					 b->v4.bridge);
				return 0;
			}
			for (int k = 0; rc > 0 && k < FDS_PER_BRIDGE; k++)
				woken = woken || (d[k].revents & POLLIN);
			if (!serving(r)) {
				if (woken || check)
					not_here(r, b, d, woken);
				/* Arrived: the frame that told it is served
				 * next round (the sockets keep it). */
				continue;
			}
			if (rc > 0 && (d[3].revents & POLLIN))
				rarp_while_here(r, b);
			if (!serving(r))
				continue;
			if (rc > 0 && (d[0].revents & POLLIN))
				dhcp4_port_handle(&b->v4, now.tv_sec);
			if (rc > 0 && (d[1].revents & POLLIN))
				dhcp4_port_handle_arp(&b->v4, now.tv_sec);
			check_renumber(r, b);
			if (rc > 0 && (d[2].revents & POLLIN))
				dhcp6_port_handle(&b->v6);
			if (b->v6.fd >= 0)
				dhcp6_port_tick(&b->v6);
		}
		checked = now.tv_sec;
	}
}

/**
 * responder_main() - The responder: serve the domain's VM until it goes
 * @uuid:	domain UUID (its record is read from the state folder)
 * @ready_fd:	pipe to the hook: "ready PID" or "error MESSAGE"
 *
 * Return: exit status
 */
int responder_main(const char *uuid, int ready_fd)
{
	static struct responder r = {.lease_fd = -1};
	char err[400] = "";
	int rc;

	if (!state_uuid_valid(uuid)) {
		ready_pipe_report(ready_fd, "invalid domain UUID");
		return 2;
	}
	/* exec of /proc/self/exe names the process "exe": name it. */
	(void)prctl(PR_SET_NAME, "podnet-respond", 0, 0, 0);
	rc = start(&r, uuid, err, sizeof(err));
	if (rc == 0) {
		rc = sandbox_enter();
		if (rc < 0)
			errmsg_set(err, sizeof(err),
				   "cannot drop privileges: %s", strerror(-rc));
	}
	if (rc < 0) {
		log_line("start-up failed: %s", err);
		ready_pipe_report(ready_fd, err);
		return 1;
	}
	log_line("serving %zu interface(s) of domain %s", r.n_ports, uuid);
	ready_pipe_report(ready_fd, NULL);
	rc = serve(&r);
	return rc < 0 ? 1 : 0;
}
