#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# systemd-networkd's DHCPv4 client (Debian 12, systemd 252) in a fake VM, on
# a pod of every shape tests/lib/cni.sh makes (real bridge/ptp/macvlan
# plugins; Calico, Cilium, AWS VPC CNI as their CNI writes them), without
# systemd as PID 1: run by hand in the VM namespace, in the private mount
# namespace that `ip netns exec` makes, with tmpfs over /run/systemd (its
# .network file, state and lease files stay private), /sys read-only in that
# mount namespace only (then networkd does not wait for udev), no D-Bus (an
# empty tmpfs over /run/dbus) and UseHostname=no: it can neither claim a bus
# name nor set the machine's hostname; the lease records 12.
# Asserted per shape: address/prefix, the lease (option 121 exactly as the
# pod routes, MTU, DNS, search list, hostname), the routes networkd
# installed (exactly those of option 121, incl. the on-link /32 for the
# gateway and ptp's subnet via the gateway), the MTU, and while networkd
# runs: the VM pings the node, the node fetches from a server in the VM at
# the pod IP. Release restores the pod exactly. Every process networkd
# leaves is ended by pid (lab_kill_ns).
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/proto.sh"
. "$(dirname "$0")/../lib/clients.sh"

lab_begin dhcp_networkd
networkd_need

# networkd_start TAG - start networkd in the VM and wait (bounded) until it
# has configured eth0; it keeps running (and the VM configured) until
# networkd_stop. Sets NWD_DIR, NWD_LEASE; fails the shape (returns 1) if
# networkd got no lease.
networkd_start()
{
	local tag=$1 dir body
	dir=$TEST_DIR/networkd.$tag
	mkdir -p "$dir"
	NWD_DIR=$dir
	NWD_LEASE=$dir/lease
	cat >"$dir/10-eth0.network" <<'NET'
# podnet test: private networkd configuration
[Match]
Name=eth0

[Network]
DHCP=ipv4
LinkLocalAddressing=no
IPv6AcceptRA=no

[DHCPv4]
UseMTU=yes
UseDNS=yes
UseDomains=yes
# Never the machine's hostname (the lease file still records option 12).
UseHostname=no
UseRoutes=yes
SendHostname=no
# No routes of networkd's own to the DNS servers: the VM's routes are then
# exactly the lease's (and networkd's on-link route to each gateway).
RoutesToDNS=no
NET
	body='
		# Configured = the links state file says so; then copy the state
		# out, say "ready" and keep networkd running until told to stop.
		i=0
		while [ $i -lt 300 ]; do
			for f in /run/systemd/netif/links/*; do
				if grep -qs "^ADMIN_STATE=configured" "$f" &&
					grep -qs "^NETWORK_FILE=/run/systemd/network/10-eth0.network" "$f"; then
					cp "$f" "$dir/link-state"
					cp /run/systemd/netif/leases/* "$dir/lease"
					: >"$dir/ready"
					j=0
					while [ ! -e "$dir/stop" ] && [ $j -lt 900 ]; do
						kill -0 $pid 2>/dev/null || exit 5
						sleep 0.1
						j=$((j + 1))
					done
					nwd_end 0
				fi
			done
			kill -0 $pid 2>/dev/null || exit 3
			sleep 0.1
			i=$((i + 1))
		done
		nwd_end 4
	'
	if ! networkd_run 120 ready 400 "$body" || [ ! -s "$NWD_LEASE" ]; then
		networkd_stop "$tag"
		tail -n 60 "$dir/log" | sed "s/^/networkd[$tag] log: /"
		bad "networkd[$tag]: systemd-networkd got no lease (exit $NWD_RC)"
		return 1
	fi
	sed "s/^/networkd[$tag] lease: /" "$NWD_LEASE"
	sed "s/^/networkd[$tag] link state: /" "$dir/link-state"
	ip -n "$VM" -4 -o addr show dev eth0 | sed "s/^/vm[$tag] addr: /"
	ip -n "$VM" -4 route show table main >"$dir/route"
	ip -n "$VM" -o link show dev eth0 >"$dir/link"
	return 0
}

# expect_networkd WHAT - the pod's identity as networkd applied it.
expect_networkd()
{
	local w=$1 onlink
	expect_match "$w address" "inet $CNI_POD_IP/$CNI_WANT_MASK " \
		"$(ip -n "$VM" -4 -o addr show dev eth0)"
	expect_eq "$w lease DNS" "$POD_DNS" "$(sed -n 's/^DNS=//p' "$NWD_LEASE")"
	expect_eq "$w lease search list" "$POD_SEARCH" \
		"$(sed -n 's/^DOMAIN_SEARCH_LIST=//p' "$NWD_LEASE")"
	expect_eq "$w lease hostname" "$VM_NAME" "$(sed -n 's/^HOSTNAME=//p' "$NWD_LEASE")"
	expect_eq "$w lease MTU" "$CNI_WANT_MTU" "$(sed -n 's/^MTU=//p' "$NWD_LEASE")"
	expect_eq "$w link DNS" "$POD_DNS" "$(sed -n 's/^DNS=//p' "$NWD_DIR/link-state")"
	# networkd puts the lease's MTU on the link.
	expect_eq "$w link MTU" "$CNI_WANT_MTU" \
		"$(sed -n 's/.* mtu \([0-9]*\) .*/\1/p' "$NWD_DIR/link")"
	expect_eq "$w option 121" "$(routes_pairs_comma "$CNI_WANT_ROUTES")" \
		"$(sed -n 's/^CLASSLESS_ROUTES=//p' "$NWD_LEASE")"
	expect_match "$w default route" \
		"^default via $CNI_WANT_ROUTER dev eth0 proto dhcp" \
		"$(grep '^default' "$NWD_DIR/route" || true)"
	# The first on-link entry of option 121 (the gateway's /32), if any.
	# shellcheck disable=SC2086
	onlink=$(set -- $CNI_WANT_ROUTES; while [ $# -ge 2 ]; do
		[ "$2" != 0.0.0.0 ] || { echo "${1%/32}"; break; }; shift 2; done)
	if [ -n "$onlink" ]; then
		expect_match "$w on-link route to the gateway" \
			"^$onlink dev eth0 proto dhcp scope link" \
			"$(grep "^$onlink " "$NWD_DIR/route" || true)"
	fi
	# networkd (systemd 252, dhcp4_request_route_auto) adds an on-link /32
	# to the gateway of every option 121 route that has one: expected too.
	# shellcheck disable=SC2086
	VM_ROUTES_EXTRA=$(set -- $CNI_WANT_ROUTES; while [ $# -ge 2 ]; do
		[ "$2" = 0.0.0.0 ] || echo "$2/32 0.0.0.0 link"; shift 2; done)
	vm_expect_config "$w"
	VM_ROUTES_EXTRA=
}

# networkd_shape SHAPE WHAT - the client's run and checks on one pod (client_run).
networkd_shape()
{
	local shape=$1 w=$2
	if networkd_start "$shape"; then
		expect_networkd "$w"
		vm_expect_reach "$w"
		networkd_stop "$shape"
		# networkd sends its RELEASE unicast to the server id (the
		# gateway): like a RENEWING request it goes to the gateway's MAC,
		# so the responder never sees it (dhcp_states.sh). Recorded, not
		# asserted.
		if grep -q 'RELEASE' "$(proto_log)"; then
			log "note: $w: networkd's RELEASE reached the responder"
		else
			log "note: $w: networkd's RELEASE (unicast to the gateway) did not reach the responder"
		fi
	fi
}

client_run 4 networkd networkd_shape
