#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# dhcpcd 9 in a fake VM gets the subnet pod's identity. dhcpcd is confined:
# private config and script, tmpfs over its run and database dirs (in the
# private mount namespace that `ip netns exec` makes), no ARP probe, IPv4
# only; every pid it leaves (privilege-separation helpers) is ended by pid.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

lab_begin dhcp_dhcpcd
need dhcpcd
lab_pod subnet
snapshot "$TEST_DIR/snap.before"

hook_prepare "$LAB_DATA/vm1.xml"
lab_fake_vm eth0 "$VM_MAC" vnet0
lab_attach vnet0 pn-eth0

conf=$TEST_DIR/dhcpcd.conf
script=$TEST_DIR/dhcpcd-script.sh
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
client_script "$script" "$TEST_DIR/dhcpcd.\$reason" reason interface \
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
' sh "$conf" "$script" >"$TEST_DIR/dhcpcd.log" 2>&1
rc=$?
set -e
sed 's/^/dhcpcd: /' "$TEST_DIR/dhcpcd.log"
# Its helpers may outlive it: end every process left in the VM namespace.
lab_kill_ns "$VM"
f=$TEST_DIR/dhcpcd.BOUND
[ "$rc" = 0 ] && [ -s "$f" ] || fail "dhcpcd got no lease (exit $rc)"
sed 's/^/dhcpcd bound: /' "$f"

expect_eq "dhcpcd ip" "$POD_IP" "$(lease_get "$f" new_ip_address)"
expect_eq "dhcpcd prefix" 24 "$(lease_get "$f" new_subnet_cidr)"
expect_eq "dhcpcd router" "$POD_GW" "$(lease_get "$f" new_routers)"
expect_eq "dhcpcd dns" "$POD_DNS" "$(lease_get "$f" new_domain_name_servers)"
expect_eq "dhcpcd search" "$POD_SEARCH" "$(lease_get "$f" new_domain_search)"
expect_eq "dhcpcd mtu" "$POD_MTU" "$(lease_get "$f" new_interface_mtu)"
expect_eq "dhcpcd hostname" "$VM_NAME" "$(lease_get "$f" new_host_name)"
expect_match "dhcpcd serverid" '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' \
	"$(lease_get "$f" new_dhcp_server_identifier)"
expect_match "dhcpcd lease" '^[1-9][0-9]*$' "$(lease_get "$f" new_dhcp_lease_time)"
routes=$(lease_get "$f" new_classless_static_routes)
if [ -n "$routes" ]; then
	expect_match "dhcpcd option 121 has the default" \
		"(^| )0\.0\.0\.0/0 $POD_GW( |$)" "$routes"
fi

ip -n "$POD" link del vnet0
hook_release "$LAB_DATA/vm1.xml"
snapshot_expect_same "after release" "$TEST_DIR/snap.before"
lab_done
