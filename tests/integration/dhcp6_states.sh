#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The responder's IPv6 side against a scapy driver (dhcp6_states.py) in the
# fake VM, on a dual-stack subnet pod (lab_pod subnet-dual: 2001:db8:1::10/64,
# default via 2001:db8:1::1, the node's link-local as the router) and a
# Calico one as Calico's CNI writes it (cni.sh calico-dual: 2001:db8:2::10/128
# nodad, default via fe80::ecee:eeff:feee:eeee, the host veth
# ee:ee:ee:ee:ee:ee with proxy NDP; no on-link prefix): the unsolicited RA
# after the VM's first frame, RS -> RA with every option, every DHCPv6
# message type (SOLICIT with and without Rapid Commit, several IAs, IA_PD,
# REQUEST, RENEW, REBIND, CONFIRM, INFORMATION-REQUEST, RELEASE, DECLINE)
# and every case that must get no answer (no Client ID, wrong or missing
# Server ID, another MAC, truncated options, an option past the end, an
# extension header, client-side and relay types). Meanwhile the node's veth
# is watched: no RA and no DHCPv6 server packet may leave toward the node,
# nor the VM's DHCPv6 client frames (the guest filter keeps them in the pod),
# also after the VM's port is gone and before release (unsolicited RAs wait
# for the bridge's FDB to know the VM's MAC);
# the NA for the pod's IPv6 from the VM's MAC must arrive and move the
# node's neighbour entry to the VM.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/proto.sh"

POD_DNS6=2001:db8:53::1

# phase SHAPE - one pod in SHAPE (subnet-dual or calico-dual), the whole
# suite.
phase()
{
local shape=$1 prefix plen node_ll pod_mac i
log "=== $shape"
lab_pod "$shape"
printf 'nameserver 198.51.100.53\nnameserver %s\nsearch pod.example.test example.test\n' \
	"$POD_DNS6" >"/etc/netns/$POD/resolv.conf"
if [ "$shape" = subnet-dual ]; then
	prefix=2001:db8:1:: plen=64
	PROTO_NODE_IF=n-eth0 pod_mac=$POD_MAC
else
	# Calico: the host veth's MAC ee:ee:ee:ee:ee:ee, its EUI-64 link-local
	# the pod's gateway, proxy NDP and forwarding on the node, a /128 pod.
	POD_IP6=$CNI_POD_IP6
	prefix='' plen=''
	PROTO_NODE_IF=$CNI_HOST_IF pod_mac=$CNI_POD_MAC
fi
node_mac=$(link_mac "$NODE" "$PROTO_NODE_IF")
# The router: the node veth's link-local (Calico's is its gateway), once
# out of DAD.
node_ll=
for i in $(seq 1 50); do
	node_ll=$(ip -n "$NODE" -6 -o addr show dev "$PROTO_NODE_IF" scope link |
		sed -n 's/.* inet6 \(fe80::[0-9a-f:]*\)\/64 .*/\1/p' | head -n 1)
	[ -n "$node_ll" ] && ! ip -n "$NODE" -6 addr show dev "$PROTO_NODE_IF" | grep -q tentative && break
	sleep 0.1
done
[ -n "$node_ll" ] || die "the node's veth has no link-local address"
[ "$shape" = subnet-dual ] || expect_eq "Calico's gateway is the host veth's link-local" "$CNI_CALICO_GW6" "$node_ll"

# The node talks to the pod first: its neighbour entry holds the pod's MAC.
ip netns exec "$NODE" busybox ping -6 -c 1 -W 2 "$POD_IP6" >/dev/null ||
	die "node cannot ping the pod's IPv6 before prepare"
neigh=$(ip -n "$NODE" -6 neigh show "$POD_IP6" dev "$PROTO_NODE_IF")
expect_match "node IPv6 neighbour before prepare" "lladdr $pod_mac" "$neigh"

snapshot "$TEST_DIR/snap.$shape"
proto_sniff_start dhcp6_states "6.$shape"

hook_prepare "$LAB_DATA/vm1.xml"
grep -qE '^addr 0 [0-9a-f:]+/' "$(state_file "$STATE_DIR" "$PROTO_UUID" .state)" || die "the record has no IPv6 address"
grep -q "^router6 0 $node_ll mac $node_mac" "$(state_file "$STATE_DIR" "$PROTO_UUID" .state)" ||
	bad "the record's router: $(grep '^router6' "$(state_file "$STATE_DIR" "$PROTO_UUID" .state)"), want $node_ll $node_mac"
grep -q "IPv6: 1 address" "$(proto_log)" || die "the responder serves no IPv6: $(tail -n 5 "$(proto_log)")"
! grep -q "cannot read its FDB" "$(proto_log)" ||
	bad "the responder cannot read the bridge's FDB: $(grep 'cannot read its FDB' "$(proto_log)")"

lab_fake_vm eth0 "$VM_MAC" vnet0
lab_attach vnet0 pn-eth0
# IPv6 off in the fake VM's kernel: only the driver's frames leave it.
ip netns exec "$VM" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1

br_mac=$(link_mac "$POD" pn-eth0)
args="iface=eth0,vm_mac=$VM_MAC,pod_ip6=$POD_IP6,prefix=$prefix,plen=$plen"
args+=",router_ll=$node_ll,node_mac=$node_mac,bridge_mac=$br_mac,mtu=$POD_MTU"
args+=",dns6=$POD_DNS6,search=pod.example.test example.test,hostname=$VM_NAME"
args+=",log=$(proto_log),pid=$RESPONDER_PID"

proto_states dhcp6_states "states6[$shape]" "$args"
pid_alive "$RESPONDER_PID" || bad "responder $RESPONDER_PID died during the suite"
neigh=$(ip -n "$NODE" -6 neigh show "$POD_IP6" dev "$PROTO_NODE_IF")
expect_match "node IPv6 neighbour after the REPLY" "lladdr $VM_MAC" "$neigh"
# The guest filter keeps the VM's DHCPv6 and RS in the pod (counted); the
# capture's control is a client-shaped frame from the pod's bridge.
filtered=$(pod_tool status --json | jq -r '.[0].interfaces[0].guest_filter.dropped')
log "guest filter[$shape]: $(tr -d ' \n' <<<"$filtered")"
check "the VM's DHCPv6 and RS kept in the pod (counted)" \
	test "$(jq -r .kept_in_pod <<<"$filtered")" -ge 1
ip netns exec "$POD" /usr/bin/python3 - "$br_mac" <<'PY' || bad "cannot send the capture's control frame"
import sys
from scapy.all import UDP, Ether, IPv6, sendp
from scapy.layers.dhcp6 import DHCP6_Solicit
sendp(Ether(src=sys.argv[1], dst="33:33:00:01:00:02") / IPv6(src="fe80::2", dst="ff02::1:2")
      / UDP(sport=546, dport=547) / DHCP6_Solicit(), iface="pn-eth0", verbose=False)
PY

ip -n "$POD" link del vnet0
hook_release "$LAB_DATA/vm1.xml"
sleep 0.5
proto_sniff_stop
sed "s/^/node saw[$shape]: /" "$SNIFF_OUT" | grep -v 'dhcp6-client' || true
ctl=$(sniffed "^dhcp6-client .*ethsrc=$br_mac")
expect_eq "the capture's control frame (client-shaped, from the pod's bridge) seen at the node" 1 "$ctl"
n=$(sniffed "^dhcp6-client .*ethsrc=$VM_MAC")
expect_eq "the VM's DHCPv6 client frames seen at the node" 0 "$n"
n=$(sniffed '^ra ')
expect_eq "RAs seen on the node's veth" 0 "$n"
n=$(sniffed '^dhcp6-server ')
expect_eq "DHCPv6 server packets seen on the node's veth" 0 "$n"
na=$(sniffed "^na src=$POD_IP6 dst=ff02::1 target=$POD_IP6 flags=0x20 ethsrc=$VM_MAC ethdst=$node_mac")
expect_match "unsolicited NAs (override) for the pod's IPv6 from the VM's MAC at the node" '^[1-9]' "$na"
na=$(sniffed "^na src=$POD_IP6 dst=ff02::1 target=$POD_IP6 flags=0x20 ethsrc=$pod_mac ethdst=33:33:00:00:00:01")
expect_match "the NA for the pod's IPv6 from the pod's own MAC at release" '^[1-9]' "$na"
neigh=$(ip -n "$NODE" -6 neigh show "$POD_IP6" dev "$PROTO_NODE_IF")
expect_match "node IPv6 neighbour after release" "lladdr $pod_mac" "$neigh"

snapshot_expect_same "after release" "$TEST_DIR/snap.$shape"
lab_teardown
}

lab_begin dhcp6_states
need busybox jq
proto_need_scapy
phase subnet-dual
phase calico-dual
lab_done
