#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# dhcpcd 9 as the fake VM's client on dual-stack pods (the real bridge
# plugin with host-local IPv4 and IPv6 ranges; Calico's IPv4 + IPv6) and on
# an IPv6-only pod (tests/lib/cni.sh shapes, V6_SHAPES): dhcpcd handles the
# RA itself (it turns the kernel's off), asks DHCPv6 for an IA_NA because
# the RA has M set, and takes the IPv4 lease on a dual-stack pod, all in one
# daemon, and configures the VM itself. Asserted (tests/lib/vmcheck6.sh):
# the pod's IPv6 addresses and nothing else on eth0, its on-link prefixes,
# the default route via the router, ping and TCP to the node and TCP from
# the node at the pod's IPv6 address, the router's neighbour entry alive
# after the NUD timers ran, DNS servers and search list from DHCPv6
# (BOUND6) and RDNSS/DNSSL (ROUTERADVERT) as dhcpcd hands them to its
# script; IPv4 as before on dual-stack pods. Release restores the pod
# exactly. Confined as in dhcp_dhcpcd.sh: private config and a script that
# records and changes nothing (no hooks: no resolv.conf, no hostname),
# tmpfs over its run and database dirs; every pid it leaves ended by pid.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/clients.sh"

lab_begin dhcp6_dhcpcd
need dhcpcd

# dhcpcd_conf FILE V6ONLY - the private configuration.
dhcpcd_conf()
{
	{
		echo '# podnet test: private dhcpcd configuration'
		[ "$2" = 0 ] || echo ipv6only
		cat <<'CONF'
noipv4ll
noarp
nodev
noup
nolink
ipv6rs
ia_na
option subnet_mask, routers, domain_name_servers, domain_search, interface_mtu
option dhcp6_name_servers, dhcp6_domain_search
CONF
	} >"$1"
}

# dhcpcd_shape SHAPE WHAT - the client's run and checks on one pod (client_run).
dhcpcd_shape()
{
	local shape=$1 w=$2 conf script pid f ra v6only=0
	[ -n "$V4_ADDR" ] || v6only=1
	conf=$TEST_DIR/dhcpcd.$shape.conf
	dhcpcd_conf "$conf" "$v6only"
	script=$TEST_DIR/dhcpcd-script.$shape.sh
	client_script "$script" "$TEST_DIR/dhcpcd.$shape.\$reason" reason interface \
		new_ip_address new_subnet_cidr new_routers \
		new_dhcp6_ia_na1_ia_addr1 new_dhcp6_name_servers new_dhcp6_domain_search \
		new_dhcp6_server_id nd1_from nd1_rdnss1_servers nd1_dnssl1_search \
		nd1_prefix_information1_prefix nd1_prefix_information1_length nd1_mtu1_mtu
	ip netns exec "$VM" sh -c '
		mount -t tmpfs -o mode=0755 podnet-test /run || exit 1
		mkdir -p /run/dhcpcd || exit 1
		mount -t tmpfs -o mode=0755 podnet-test /var/lib/dhcpcd || exit 1
		exec dhcpcd -B -d -t 60 -f "$1" -c "$2" eth0
	' sh "$conf" "$script" >"$TEST_DIR/dhcpcd.$shape.log" 2>&1 &
	pid=$!
	LAB_PIDS+=("$pid")
	if v6_wait_vm 60; then
		ok "$w: dhcpcd configured the pod's IPv6 address and default route"
	else
		bad "$w: after 60 s dhcpcd has not the pod's IPv6 address ($V6_ADDRS) and a default route via $V6_ROUTER"
	fi
	for _ in $(seq 1 100); do
		[ -z "$V4_ADDR" ] || [ -s "$TEST_DIR/dhcpcd.$shape.BOUND" ] && break
		sleep 0.2
	done
	f=$TEST_DIR/dhcpcd.$shape.BOUND6
	if [ -s "$f" ]; then
		sed "s/^/$w bound6: /" "$f"
		expect_match "$w BOUND6 IA_NA address" "^${V6_ADDRS%%/*}$" \
			"$(lease_get "$f" new_dhcp6_ia_na1_ia_addr1)"
		v6_expect_dns "$w (DHCPv6)" "$(lease_get "$f" new_dhcp6_name_servers)" \
			"$(lease_get "$f" new_dhcp6_domain_search)"
	else
		bad "$w: dhcpcd's script saw no BOUND6"
	fi
	ra=$TEST_DIR/dhcpcd.$shape.ROUTERADVERT
	if [ -s "$ra" ]; then
		sed "s/^/$w routeradvert: /" "$ra"
		expect_eq "$w RA source" "$V6_ROUTER" "$(lease_get "$ra" nd1_from)"
		v6_expect_dns "$w (RDNSS/DNSSL)" "$(lease_get "$ra" nd1_rdnss1_servers)" \
			"$(lease_get "$ra" nd1_dnssl1_search)"
	else
		bad "$w: dhcpcd's script saw no ROUTERADVERT"
	fi
	v6_expect_config "$w"
	v6_expect_reach "$w"
	v6_expect_nud "$w"
	v4_expect "$w"
	lab_kill_ns "$VM"
	wait "$pid" 2>/dev/null || true
	grep -vi 'debug' "$TEST_DIR/dhcpcd.$shape.log" | tail -n 40 | sed "s/^/$w: /" || true
}

client_run 6 dhcpcd6 dhcpcd_shape
