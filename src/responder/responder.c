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
#include "log.h"
#include "ready_pipe.h"
#include "responder.h"
#include "sandbox.h"
#include "state.h"
#include "statedir.h"

/* One bridge: its IPv4 port, and its IPv6 port (fd -1: none). */
struct bridge_ports {
	struct dhcp4_port v4;
	struct dhcp6_port v6;
};

/* Fixed buffers: nothing is allocated once the loop runs. */
struct responder {
	struct bridge_ports ports[PODNET_MAX_IFACES];
	size_t n_ports;
	/* UUID.lease: the last lease per interface, for `podnet status`. */
	int lease_fd;
};

/* Per bridge: the DHCP socket, the ARP requests, IPv6 (fd -1: none). */
#define FDS_PER_BRIDGE 3

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

static int open_bridge(struct bridge_ports *b, const struct state_record *rec,
		       size_t i, int lease_fd, char *err, size_t err_len)
{
	int rc;

	b->v6.fd = -1;
	rc = dhcp4_port_open(&b->v4, rec, i, lease_fd, err, err_len);
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
	}
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

			if (check && !dhcp4_port_bridge_alive(&b->v4)) {
				log_line("bridge '%s': gone, exiting",
					 b->v4.bridge);
				return 0;
			}
			if (rc > 0 && (d[0].revents & POLLIN))
				dhcp4_port_handle(&b->v4, now.tv_sec);
			if (rc > 0 && (d[1].revents & POLLIN))
				dhcp4_port_handle_arp(&b->v4, now.tv_sec);
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
