#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The guest filter (issue 26): a hostile guest in the fake VM sends forged
# frames (another source MAC or IP, ARP claiming the gateway's or a second
# pod's address, gratuitous ARP for another address, an NA overriding the
# gateway, DHCP OFFER/ACK, DHCPv6 ADVERTISE/REPLY, an RA, redirects) on a
# dual-stack bridge-CNI pod with a second pod on the node's bridge, and on a
# Calico-style dual-stack pod (guest_filter.py). Asserted: none arrives at
# the node or the second pod, while honest frames do; their neighbour
# entries keep their MACs; `podnet status --json` counts each drop under its
# reason; the VM's own traffic works (udhcpc's lease, the RA its kernel's RS
# brings, ping and TCP both ways over IPv4 and IPv6); release leaves the pod
# exact (the snapshot holds the nftables ruleset). Then: a user's table of
# podnet's name fails prepare and survives release; guest-filter="off"
# makes no filter.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

lab_begin guest_filter
need busybox curl udhcpc jq nft
DRIVER=$(cd "$(dirname "$0")" && pwd)/guest_filter.py
POD2_IP=198.51.100.11
OTHER_MAC=52:54:00:66:66:66
TABLE=podnet-pn-eth0
REASONS="src_mac vlan arp_sender ip4_source ip6_source dhcp_server router_adv redirect nd_target nd_lladdr kept_in_pod"

# dropped REASON - the counter REASON of the first interface, from the tool.
dropped()
{
	pod_tool status --json | jq -r ".[0].interfaces[0].guest_filter.dropped.$1"
}

# lladdr NS IP - the MAC of NS's neighbour entry for IP ("" if none).
lladdr()
{
	ip -n "$1" neigh show to "$2" | sed -n 's/.* lladdr \([0-9a-f:]*\).*/\1/p' | head -n 1
}

# ping_ok WHAT NS IP - NS reaches IP (three tries: neighbour discovery first).
ping_ok()
{
	local i
	for i in 1 2 3; do
		if ip netns exec "$2" busybox ping -c 1 -W 2 "$3" >/dev/null 2>&1; then
			ok "$1"
			return 0
		fi
	done
	bad "$1: no answer from $3"
}

# fetch_ok WHAT NS URL WANT - TCP: NS fetches URL (bounded retries).
fetch_ok()
{
	local got="" i
	for i in $(seq 1 40); do
		got=$(ip netns exec "$2" curl -gsS --max-time 2 "$3" 2>/dev/null) && break
		sleep 0.25
	done
	expect_eq "$1 (try $i)" "$4" "$got"
}

# serve NS PORT TEXT - busybox httpd in NS on PORT (both families).
serve()
{
	local www=$TEST_DIR/www.$1.$2
	mkdir -p "$www"
	printf '%s\n' "$3" >"$www/index.html"
	ip netns exec "$1" busybox httpd -f -p "[::]:$2" -h "$www" &
	LAB_PIDS+=("$!")
}

# hostile SHAPE POD2 - the forged frames, and what the filter made of them.
hostile()
{
	local shape=$1 pod2=$2 r n ns ip key val
	local -A base=() want=()
	for r in $REASONS; do
		base[$r]=$(dropped "$r")
		want[$r]=0
	done
	expect_eq "$shape: status says the filter is on" on \
		"$(pod_tool status --json | jq -r '.[0].interfaces[0].guest_filter.state')"
	set +e
	ip netns exec "$VM" /usr/bin/python3 "$DRIVER" "vm_iface=eth0,vm_mac=$VM_MAC,node_ns=$NODE,node_iface=$CNI_HOST_IF,pod2_ns=$pod2,pod2_iface=eth0,pod_ip=$CNI_POD_IP,pod_ip6=$CNI_POD_IP6,gw=$CNI_GW,gw6=$CNI_GW6,router6=$CNI_WANT_ROUTER6,pod2_ip=${pod2:+$POD2_IP}" \
		>"$TEST_DIR/driver.$shape.log" 2>&1
	set -e
	sed "s/^/$shape: /" "$TEST_DIR/driver.$shape.log"
	n=$(grep -c '^not ok' "$TEST_DIR/driver.$shape.log" || true)
	grep -q '^guest_filter.py: ' "$TEST_DIR/driver.$shape.log" || bad "$shape: the driver did not finish"
	expect_eq "$shape: driver's failed checks" 0 "$n"
	while read -r _ key val; do
		want[$key]=$val
	done < <(grep '^expect ' "$TEST_DIR/driver.$shape.log")
	for r in $REASONS; do
		expect_eq "$shape: counter $r counts what was sent" "${want[$r]}" \
			$(($(dropped "$r") - ${base[$r]}))
	done
	for ns in "$NODE" $pod2; do
		if ip -n "$ns" neigh show | grep -q "$OTHER_MAC"; then
			bad "$shape: $ns has a neighbour at the forged MAC"
		fi
		for ip in 198.51.100.99 2001:db8:ffff::99; do
			[ -z "$(lladdr "$ns" "$ip")" ] || bad "$shape: $ns learnt $ip"
		done
	done
	pod_tool status | sed "s/^/$shape status: /"
}

# honest SHAPE - the VM's own traffic: DHCP, RS, ping and TCP both ways.
honest()
{
	local shape=$1 i route=""
	udhcpc_run eth0 "$shape"
	expect_udhcpc_lease "$shape udhcpc" "$LEASE_FILE" "$CNI_POD_IP" "$CNI_WANT_MASK" \
		"$CNI_WANT_ROUTER" "$CNI_WANT_MTU"
	cni_vm_apply_udhcpc "$LEASE_FILE" "$VM" eth0 || bad "$shape: the VM cannot apply its lease"
	# IPv6: the kernel's RS brings the responder's RA (default route); the
	# address is the pod's, as DHCPv6 gives it (dhcp6_*.sh run the clients).
	ip netns exec "$VM" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=0
	ip -n "$VM" addr add "$CNI_POD_IP6/$CNI_WANT_PREFIX6" dev eth0 nodad
	for i in $(seq 1 40); do
		route=$(ip -n "$VM" -6 route show default)
		[ -z "$route" ] || break
		sleep 0.25
	done
	expect_match "$shape: the VM's RS brought an RA (default route)" "^default via fe80:" "$route"
	ping_ok "$shape: VM pings the node over IPv4" "$VM" "$CNI_NODE_IP"
	ping_ok "$shape: VM pings the node over IPv6" "$VM" "$CNI_NODE_IP6"
	ping_ok "$shape: node pings the VM over IPv4" "$NODE" "$CNI_POD_IP"
	ping_ok "$shape: node pings the VM over IPv6" "$NODE" "$CNI_POD_IP6"
	serve "$VM" 8080 "vm-$shape-$LAB_RUN"
	serve "$NODE" 8081 "node-$shape-$LAB_RUN"
	fetch_ok "$shape: TCP node to VM, IPv4" "$NODE" "http://$CNI_POD_IP:8080/" "vm-$shape-$LAB_RUN"
	fetch_ok "$shape: TCP node to VM, IPv6" "$NODE" "http://[$CNI_POD_IP6]:8080/" "vm-$shape-$LAB_RUN"
	fetch_ok "$shape: TCP VM to node, IPv4" "$VM" "http://$CNI_NODE_IP:8081/" "node-$shape-$LAB_RUN"
	fetch_ok "$shape: TCP VM to node, IPv6" "$VM" "http://[$CNI_NODE_IP6]:8081/" "node-$shape-$LAB_RUN"
	check "$shape: udhcpc's DISCOVER stayed in the pod (kept_in_pod counted)" \
		test "$(dropped kept_in_pod)" -gt 1
}

run_shape()
{
	local shape=$1 pod2="" snap=$TEST_DIR/snap.$1 m2 g2 g6 saved
	lab_pod "$shape"
	if [ "$shape" = bridge-dual ]; then
		# cni_pod_make sets CNI_* for the pod it makes: keep the first's
		# (declare in a function: locals, seen by hostile and honest).
		saved=$(declare -p "${!CNI_@}")
		lab_ns_add POD2 pod2
		lab_cni_pod "$shape" "$POD2" "$POD2_IP"
		eval "$saved"
		pod2=$POD2
	fi
	snapshot "$snap"
	hook_prepare "$LAB_DATA/vm1.xml"
	ip netns exec "$POD" nft list table bridge "$TABLE" >"$TEST_DIR/table.$shape" ||
		bad "$shape: no table $TABLE after prepare"
	lab_fake_vm eth0 "$VM_MAC" vnet0
	# Quiet until the hostile part is over: the counters then count only it.
	ip netns exec "$VM" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
	lab_attach vnet0 pn-eth0
	if [ -n "$pod2" ]; then
		# Entries a forged ARP or NA would move.
		ping_ok "$shape: node reaches the second pod" "$NODE" "$POD2_IP"
		ping_ok "$shape: second pod reaches the gateway" "$pod2" "$CNI_GW"
		ping_ok "$shape: second pod reaches the IPv6 gateway" "$pod2" "$CNI_GW6"
		m2=$(lladdr "$NODE" "$POD2_IP")
		g2=$(lladdr "$pod2" "$CNI_GW")
		g6=$(lladdr "$pod2" "$CNI_GW6")
	fi
	hostile "$shape" "$pod2"
	if [ -n "$pod2" ]; then
		expect_eq "$shape: node's entry for the second pod keeps its MAC" "$m2" "$(lladdr "$NODE" "$POD2_IP")"
		expect_eq "$shape: second pod's gateway entry keeps its MAC" "$g2" "$(lladdr "$pod2" "$CNI_GW")"
		expect_eq "$shape: second pod's IPv6 gateway entry keeps its MAC" "$g6" "$(lladdr "$pod2" "$CNI_GW6")"
	fi
	honest "$shape"
	ip -n "$POD" link del vnet0
	hook_release "$LAB_DATA/vm1.xml"
	snapshot_expect_same "$shape: after release (nftables included)" "$snap"
	lab_teardown
}

# A table of podnet's name that podnet did not make: prepare fails with one
# line and changes nothing; release leaves the table alone.
user_table()
{
	local snap=$TEST_DIR/snap.user
	lab_pod subnet
	ip netns exec "$POD" nft add table bridge "$TABLE"
	snapshot "$snap"
	hook_run prepare "$LAB_DATA/vm1.xml" prepare begin -
	hook_expect_error "user's table: prepare"
	expect_match "user's table: the reason" "table 'bridge $TABLE' exists and podnet did not make it" "$HOOK_ERRTEXT"
	snapshot_expect_same "user's table: after the failed prepare" "$snap"
	hook_run release "$LAB_DATA/vm1.xml" release end -
	hook_expect_quiet_ok "user's table: release"
	check "user's table: still there after release" \
		ip netns exec "$POD" nft list table bridge "$TABLE"
	lab_teardown
}

# guest-filter="off": no table, status says off, and the control of the
# hostile part: without the filter every forged frame reaches the node
# (so the listeners would have seen them); release exact.
filter_off()
{
	local snap=$TEST_DIR/snap.off xml=$TEST_DIR/vm1-off.xml n
	sed 's/pod-interface="eth0"/pod-interface="eth0" guest-filter="off"/' \
		"$LAB_DATA/vm1.xml" >"$xml"
	grep -q 'guest-filter="off"' "$xml" || die "cannot write $xml"
	lab_pod subnet-dual
	snapshot "$snap"
	hook_prepare "$xml"
	if ip netns exec "$POD" nft list table bridge "$TABLE" >/dev/null 2>&1; then
		bad "guest-filter=off: a table was made"
	else
		ok "guest-filter=off: no table"
	fi
	expect_eq "guest-filter=off: status" off \
		"$(pod_tool status --json | jq -r '.[0].interfaces[0].guest_filter.state')"
	lab_fake_vm eth0 "$VM_MAC" vnet0
	ip netns exec "$VM" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
	lab_attach vnet0 pn-eth0
	set +e
	ip netns exec "$VM" /usr/bin/python3 "$DRIVER" "filter=off,vm_iface=eth0,vm_mac=$VM_MAC,node_ns=$NODE,node_iface=n-eth0,pod2_ns=,pod2_iface=,pod_ip=$POD_IP,pod_ip6=$POD_IP6,gw=$POD_GW,gw6=$POD_GW6,router6=,pod2_ip=" \
		>"$TEST_DIR/driver.off.log" 2>&1
	set -e
	sed "s/^/guest-filter=off: /" "$TEST_DIR/driver.off.log"
	n=$(grep -c '^not ok' "$TEST_DIR/driver.off.log" || true)
	grep -q '^guest_filter.py: ' "$TEST_DIR/driver.off.log" || bad "off: the driver did not finish"
	expect_eq "guest-filter=off: every forged frame reached the node: failed checks" 0 "$n"
	ip -n "$POD" link del vnet0
	hook_release "$xml"
	snapshot_expect_same "guest-filter=off: after release" "$snap"
	lab_teardown
}

run_shape bridge-dual
run_shape calico-dual
user_table
filter_off
lab_done
