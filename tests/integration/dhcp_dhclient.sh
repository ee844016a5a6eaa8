#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ISC dhclient in a fake VM gets the subnet pod's identity (including the
# search list, RFC 3442 routes and MTU it asks for with a private config);
# release restores the pod and ends the responder.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

lab_begin dhcp_dhclient
need dhclient
lab_pod subnet
snapshot "$TEST_DIR/snap.before"

hook_prepare "$LAB_DATA/vm1.xml"
lab_fake_vm eth0 "$VM_MAC" vnet0
lab_attach vnet0 pn-eth0

# Private config and script: the script records the variables in the test
# dir and changes nothing (the stock dhclient-script would write resolv.conf).
conf=$TEST_DIR/dhclient.conf
script=$TEST_DIR/dhclient-script.sh
cat >"$conf" <<'CONF'
option rfc3442-classless-static-routes code 121 = array of unsigned integer 8;
timeout 30;
retry 1;
request subnet-mask, broadcast-address, routers, domain-name,
	domain-name-servers, domain-search, host-name, interface-mtu,
	rfc3442-classless-static-routes;
CONF
client_script "$script" "$TEST_DIR/dhclient.\$reason" reason interface \
	new_ip_address new_subnet_mask new_routers new_domain_name_servers \
	new_domain_search new_domain_name new_interface_mtu new_host_name \
	new_dhcp_server_identifier new_dhcp_lease_time \
	new_rfc3442_classless_static_routes

set +e
timeout -k 5 90 ip netns exec "$VM" dhclient -1 -v -cf "$conf" -sf "$script" \
	-lf "$TEST_DIR/dhclient.leases" -pf "$TEST_DIR/dhclient.pid" eth0 \
	>"$TEST_DIR/dhclient.log" 2>&1
rc=$?
set -e
sed 's/^/dhclient: /' "$TEST_DIR/dhclient.log"
# dhclient -1 goes to the background once bound: end it by its pid file.
if [ -s "$TEST_DIR/dhclient.pid" ]; then
	pid=$(cat "$TEST_DIR/dhclient.pid")
	LAB_PIDS+=("$pid")
	kill "$pid" 2>/dev/null || true
	wait_pid_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
fi
f=$TEST_DIR/dhclient.BOUND
[ "$rc" = 0 ] && [ -s "$f" ] || fail "dhclient got no lease (exit $rc)"
sed 's/^/dhclient bound: /' "$f"

expect_eq "dhclient ip" "$POD_IP" "$(lease_get "$f" new_ip_address)"
expect_eq "dhclient mask" 255.255.255.0 "$(lease_get "$f" new_subnet_mask)"
expect_eq "dhclient router" "$POD_GW" "$(lease_get "$f" new_routers)"
expect_eq "dhclient dns" "$POD_DNS" "$(lease_get "$f" new_domain_name_servers)"
# dhclient writes search domains with trailing dots (and may quote them).
search=$(lease_get "$f" new_domain_search | tr -d '"' | sed -E 's/\.( |$)/\1/g')
expect_eq "dhclient search" "$POD_SEARCH" "$search"
expect_eq "dhclient mtu" "$POD_MTU" "$(lease_get "$f" new_interface_mtu)"
expect_eq "dhclient hostname" "$VM_NAME" "$(lease_get "$f" new_host_name)"
expect_match "dhclient serverid" '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' \
	"$(lease_get "$f" new_dhcp_server_identifier)"
expect_match "dhclient lease" '^[1-9][0-9]*$' "$(lease_get "$f" new_dhcp_lease_time)"
routes=$(lease_get "$f" new_rfc3442_classless_static_routes)
if [ -n "$routes" ]; then
	# RFC 3442 bytes: 0 (prefix length) then the router: the default route.
	expect_match "dhclient option 121 has the default" \
		"(^| )0 198 51 100 1( |$)" "$routes"
fi

ip -n "$POD" link del vnet0
hook_release "$LAB_DATA/vm1.xml"
snapshot_expect_same "after release" "$TEST_DIR/snap.before"
lab_done
