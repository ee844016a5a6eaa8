#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# systemd-networkd (Debian 12, systemd 252) as the fake VM's IPv6 client on
# dual-stack pods (the real bridge plugin with host-local IPv4 and IPv6
# ranges; Calico's IPv4 + IPv6 as its CNI writes them) and on an IPv6-only
# pod (tests/lib/cni.sh shapes, V6_SHAPES): networkd handles the RA itself
# (IPv6AcceptRA=yes) and asks DHCPv6 because the RA has M set, exactly as
# on a cloud image. Asserted (tests/lib/vmcheck6.sh): the pod's IPv6
# addresses and nothing else on eth0, its on-link prefixes, the default
# route via the router, ping and TCP to the node and TCP from the node at
# the pod's IPv6 address, the router's neighbour entry alive after the NUD
# timers ran, the DNS servers and search list networkd took (link state
# file); on dual-stack pods also the IPv4 address and reachability. Release
# restores the pod exactly. networkd runs confined as in dhcp_networkd.sh:
# private mount namespace, tmpfs over /run/systemd and /run/dbus, /sys
# read-only there, UseHostname=no; every process it leaves ended by pid.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/clients.sh"

lab_begin dhcp6_networkd
networkd_need

# networkd_start TAG DHCP - start networkd in the VM (DHCP= yes or ipv6);
# it keeps running until networkd_stop and copies its link state file to
# NWD_DIR/link-state as it changes. Returns 1 if networkd did not start.
networkd_start()
{
	local tag=$1 dhcp=$2 dir body
	dir=$TEST_DIR/networkd.$tag
	mkdir -p "$dir"
	NWD_DIR=$dir
	cat >"$dir/10-eth0.network" <<NET
# podnet test: private networkd configuration
[Match]
Name=eth0

[Network]
DHCP=$dhcp
LinkLocalAddressing=ipv6
IPv6AcceptRA=yes

[DHCPv4]
UseDNS=yes
UseDomains=yes
UseHostname=no
SendHostname=no
RoutesToDNS=no

[DHCPv6]
UseDNS=yes
UseDomains=yes
UseHostname=no

[IPv6AcceptRA]
UseDNS=yes
UseDomains=yes
NET
	body='
		: >"$dir/started"
		j=0
		while [ ! -e "$dir/stop" ] && [ $j -lt 1500 ]; do
			kill -0 $pid 2>/dev/null || exit 5
			for f in /run/systemd/netif/links/*; do
				grep -qs "^NETWORK_FILE=/run/systemd/network/10-eth0.network" "$f" || continue
				cp "$f" "$dir/link-state.new" && mv "$dir/link-state.new" "$dir/link-state"
			done
			sleep 0.1
			j=$((j + 1))
		done
		nwd_end 0
	'
	networkd_run 180 started 100 "$body" && return 0
	bad "networkd[$tag]: did not start: $(cat "$dir/sh.log")"
	return 1
}

# nwd_state KEY - a value of networkd's link state file.
nwd_state()
{
	sed -n "s/^$1=//p" "$NWD_DIR/link-state" 2>/dev/null | head -n 1
}

# networkd_shape SHAPE WHAT - the client's run and checks on one pod (client_run).
networkd_shape()
{
	local shape=$1 w=$2 dhcp=yes
	[ -n "$V4_ADDR" ] || dhcp=ipv6
	if networkd_start "$shape" "$dhcp"; then
		if v6_wait_vm 60; then
			ok "$w: networkd configured the pod's IPv6 address and default route"
		else
			bad "$w: after 60 s networkd has not the pod's IPv6 address ($V6_ADDRS) and a default route via $V6_ROUTER"
			grep -aiE 'ndisc|dhcp6|DHCPv6|router|RA' "$NWD_DIR/log" | tail -n 40 |
				sed "s/^/networkd[$shape] log: /" || true
		fi
		# The IPv4 lease too, on a dual-stack pod (bounded).
		for _ in $(seq 1 100); do
			[ -z "$V4_ADDR" ] || [ -n "$(ip -n "$VM" -4 -o addr show dev eth0 scope global)" ] && break
			sleep 0.2
		done
		# DNS from DHCPv6/RDNSS reach the state file a moment later. Wait
		# for networkd to finish configuring too: until the DHCPv6 lease is
		# in, the file holds only the RA's DNSSL, which networkd keeps in
		# an order of its own (seen: "example.test pod.example.test").
		for _ in $(seq 1 100); do
			[[ " $(nwd_state DNS) " == *" ${POD_DNS6%% *} "* ]] &&
				[ "$(nwd_state ADMIN_STATE)" = configured ] && break
			sleep 0.2
		done
		sed "s/^/networkd[$shape] link state: /" "$NWD_DIR/link-state" 2>/dev/null || true
		v6_expect_config "$w"
		v6_expect_dns "$w (link state)" \
			"$(nwd_state DNS | tr ' ' '\n' | grep : | xargs)" "$(nwd_state DOMAINS)"
		v6_expect_reach "$w"
		v6_expect_nud "$w"
		v4_expect "$w"
		networkd_stop "$shape"
	fi
}

client_run 6 networkd6 networkd_shape
