#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# dhcpcd 9 in a fake VM, on a pod of every shape tests/lib/cni.sh makes
# (real bridge/ptp/macvlan plugins; Calico, Cilium, AWS VPC CNI as their CNI
# writes them): the lease carries the pod's identity (address, mask, router,
# option 121 exactly as the pod routes, MTU, DNS, search list, hostname);
# dhcpcd's own configuration of the VM has exactly those routes (the on-link
# /32 for the gateway, ptp's subnet via the gateway) with the MTU on every
# route, as dhcpcd puts it; the VM pings the node and the node fetches from
# a server in the VM at the pod IP; release restores the pod exactly.
# dhcpcd is confined: private config and script (it records the variables
# and changes nothing: no hooks, so no resolv.conf and no hostname), tmpfs
# over its run and database dirs (in the private mount namespace that
# `ip netns exec` makes), no ARP probe, IPv4 only; every pid it leaves
# (privilege-separation helpers) is ended by pid.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/clients.sh"

lab_begin dhcp_dhcpcd
need dhcpcd

conf=$TEST_DIR/dhcpcd.conf
cat >"$conf" <<'CONF'
# podnet test: private dhcpcd configuration
ipv4only
noipv4ll
noarp
nodev
noup
nolink
option subnet_mask, routers, domain_name_servers, domain_name, domain_search
option host_name, interface_mtu, classless_static_routes
require dhcp_server_identifier
CONF

# dhcpcd_shape SHAPE WHAT - the client's run and checks on one pod (client_run).
dhcpcd_shape()
{
	local shape=$1 w=$2 script f rc routes
	script=$TEST_DIR/dhcpcd-script.$shape.sh
	client_script "$script" "$TEST_DIR/dhcpcd.$shape.\$reason" reason interface \
		new_ip_address new_subnet_cidr new_subnet_mask new_routers \
		new_domain_name_servers new_domain_search new_domain_name \
		new_interface_mtu new_host_name new_dhcp_server_identifier \
		new_dhcp_lease_time new_classless_static_routes
	set +e
	timeout -k 5 90 ip netns exec "$VM" sh -c '
		mount -t tmpfs -o mode=0755 podnet-test /run || exit 1
		mkdir -p /run/dhcpcd || exit 1
		mount -t tmpfs -o mode=0755 podnet-test /var/lib/dhcpcd || exit 1
		exec dhcpcd -B -1 -4 -t 30 -f "$1" -c "$2" eth0
	' sh "$conf" "$script" >"$TEST_DIR/dhcpcd.$shape.log" 2>&1
	rc=$?
	set -e
	sed "s/^/$w: /" "$TEST_DIR/dhcpcd.$shape.log"
	# Its helpers may outlive it: end every process left in the VM
	# namespace (with -1 dhcpcd leaves the VM configured when it exits).
	lab_kill_ns "$VM"
	f=$TEST_DIR/dhcpcd.$shape.BOUND
	if [ "$rc" = 0 ] && [ -s "$f" ]; then
		sed "s/^/$w bound: /" "$f"
		expect_eq "$w ip" "$CNI_POD_IP" "$(lease_get "$f" new_ip_address)"
		expect_eq "$w prefix" "$CNI_WANT_MASK" "$(lease_get "$f" new_subnet_cidr)"
		expect_eq "$w router" "$CNI_WANT_ROUTER" "$(lease_get "$f" new_routers)"
		expect_eq "$w dns" "$POD_DNS" "$(lease_get "$f" new_domain_name_servers)"
		expect_eq "$w search" "$POD_SEARCH" "$(lease_get "$f" new_domain_search)"
		expect_eq "$w mtu" "$CNI_WANT_MTU" "$(lease_get "$f" new_interface_mtu)"
		expect_eq "$w hostname" "$VM_NAME" "$(lease_get "$f" new_host_name)"
		expect_match "$w serverid" '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' \
			"$(lease_get "$f" new_dhcp_server_identifier)"
		expect_match "$w lease" '^[1-9][0-9]*$' "$(lease_get "$f" new_dhcp_lease_time)"
		routes=$(lease_get "$f" new_classless_static_routes)
		expect_eq "$w option 121" "$CNI_WANT_ROUTES" "$routes"
		vm_expect_config "$w"
		vm_expect_reach "$w"
	else
		bad "$w: dhcpcd got no lease (exit $rc)"
	fi
}

client_run 4 dhcpcd dhcpcd_shape
