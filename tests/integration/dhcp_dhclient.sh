#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ISC dhclient in a fake VM, on a pod of every shape tests/lib/cni.sh makes
# (real bridge/ptp/macvlan plugins; Calico, Cilium, AWS VPC CNI as their CNI
# writes them): the lease carries the pod's identity (address, mask, router,
# option 121 exactly as the pod routes, MTU, DNS, search list, hostname, all
# asked for with a private config); the VM is configured from it as
# Debian's dhclient-script does on BOUND (address, MTU on the link) with
# Debian's own rfc3442-classless-routes exit hook for the routes, and then
# has exactly the pod's routes; the VM pings the node and the node fetches
# from a server in the VM at the pod IP; release restores the pod exactly.
# The private script writes only into the test dir: no resolv.conf, never
# the hostname (`ip netns exec` does not isolate it).
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/clients.sh"

# Debian's hook (isc-dhcp-client) that dhclient-script runs for option 121.
RFC3442_HOOK=/etc/dhcp/dhclient-exit-hooks.d/rfc3442-classless-routes

lab_begin dhcp_dhclient
need dhclient
[ -r "$RFC3442_HOOK" ] || die "$RFC3442_HOOK missing (Debian package isc-dhcp-client)"

conf=$TEST_DIR/dhclient.conf
cat >"$conf" <<'CONF'
option rfc3442-classless-static-routes code 121 = array of unsigned integer 8;
timeout 30;
retry 1;
request subnet-mask, broadcast-address, routers, domain-name,
	domain-name-servers, domain-search, host-name, interface-mtu,
	rfc3442-classless-static-routes;
CONF

# dhclient_script FILE RECORD - dhclient's script: RECORD (client_script:
# the variables into the test dir), then what Debian's dhclient-script does
# to the interface on PREINIT and BOUND/REBOOT, less set_hostname and
# make_resolv_conf, and its rfc3442 exit hook. Always exits 0 (dhclient
# DECLINEs a lease when its script fails on BOUND).
dhclient_script()
{
	local file=$1 rec=$2
	cat >"$file" <<SCRIPT
#!/bin/sh
# podnet test: record the variables; configure only the VM's interface.
"$rec"
case "\$reason" in
PREINIT)
	ip link set dev "\$interface" up
	;;
BOUND | REBOOT)
	ip -4 addr add \${new_ip_address}\${new_subnet_mask:+/\$new_subnet_mask} \\
		\${new_broadcast_address:+broadcast \$new_broadcast_address} \\
		\${new_dhcp_lease_time:+valid_lft \$new_dhcp_lease_time} \\
		\${new_dhcp_lease_time:+preferred_lft \$new_dhcp_lease_time} \\
		dev "\$interface" label "\$interface"
	if [ -n "\$new_interface_mtu" ]; then
		ip link set dev "\$interface" mtu "\$new_interface_mtu"
	fi
	# With option 121 dhclient-script ignores the routers (the hook adds them).
	if [ ! "\$new_rfc3442_classless_static_routes" ]; then
		for router in \$new_routers; do
			if [ "\$new_subnet_mask" = "255.255.255.255" ]; then
				ip -4 route add \$router dev "\$interface" >/dev/null 2>&1
			fi
			ip -4 route add default via \$router dev "\$interface" >/dev/null 2>&1
		done
	fi
	. "$RFC3442_HOOK"
	;;
esac
exit 0
SCRIPT
	chmod 755 "$file"
}

# dhclient_shape SHAPE WHAT - the client's run and checks on one pod (client_run).
dhclient_shape()
{
	local shape=$1 w=$2 script rec f rc search routes
	rec=$TEST_DIR/dhclient-record.$shape.sh
	script=$TEST_DIR/dhclient-script.$shape.sh
	client_script "$rec" "$TEST_DIR/dhclient.$shape.\$reason" reason interface \
		new_ip_address new_subnet_mask new_broadcast_address new_routers \
		new_domain_name_servers new_domain_search new_domain_name \
		new_interface_mtu new_host_name new_dhcp_server_identifier \
		new_dhcp_lease_time new_rfc3442_classless_static_routes
	dhclient_script "$script" "$rec"
	rc=0
	dhclient_bound "$shape" "$w" "$conf" "$script" || rc=$?
	# dhclient -1 goes to the background once bound: end it now (the VM
	# stays configured).
	dhclient_stop "$shape"
	f=$TEST_DIR/dhclient.$shape.BOUND
	if [ "$rc" = 0 ] && [ -s "$f" ]; then
		sed "s/^/$w bound: /" "$f"
		expect_eq "$w ip" "$CNI_POD_IP" "$(lease_get "$f" new_ip_address)"
		expect_eq "$w mask" "$(prefix_to_mask "$CNI_WANT_MASK")" \
			"$(lease_get "$f" new_subnet_mask)"
		expect_eq "$w router" "$CNI_WANT_ROUTER" "$(lease_get "$f" new_routers)"
		expect_eq "$w dns" "$POD_DNS" "$(lease_get "$f" new_domain_name_servers)"
		# dhclient writes search domains with trailing dots (and may quote them).
		search=$(lease_get "$f" new_domain_search | tr -d '"' | sed -E 's/\.( |$)/\1/g')
		expect_eq "$w search" "$POD_SEARCH" "$search"
		expect_eq "$w mtu" "$CNI_WANT_MTU" "$(lease_get "$f" new_interface_mtu)"
		expect_eq "$w hostname" "$VM_NAME" "$(lease_get "$f" new_host_name)"
		expect_match "$w serverid" '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' \
			"$(lease_get "$f" new_dhcp_server_identifier)"
		expect_match "$w lease" '^[1-9][0-9]*$' "$(lease_get "$f" new_dhcp_lease_time)"
		# RFC 3442 bytes: prefix length, the significant octets, the router.
		routes=$(lease_get "$f" new_rfc3442_classless_static_routes)
		expect_eq "$w option 121 ($CNI_WANT_ROUTES)" \
			"$(routes_rfc3442 "$CNI_WANT_ROUTES")" "$routes"
		vm_expect_config "$w"
		vm_expect_reach "$w"
	else
		bad "$w: dhclient got no lease (exit $rc)"
	fi
}

client_run 4 dhclient dhclient_shape
