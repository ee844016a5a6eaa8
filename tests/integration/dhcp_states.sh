#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every RFC 2131 client state against the real responder, played by a scapy
# driver (dhcp_states.py) in the fake VM: DISCOVER, SELECTING, INIT-REBOOT
# (ACK and NAK), RENEWING, REBINDING, INFORM, DECLINE, RELEASE, option 61,
# the broadcast flag, option 57 with a search list over 255 bytes (RFC 3396)
# and without 57 (576 bytes), and every case that must get no reply
# (another MAC, op, htype, hlen, cookie, truncation, fragment, port 68,
# DHCPv6). Meanwhile the node's veth is watched: no DHCP server packet may
# leave toward the node (the guest filter drops the VM's own), the VM's
# unicast RENEWING stays in the pod, and the gratuitous ARP for the pod IP from the VM's
# MAC must arrive and move the node's neighbour entry to the VM.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/proto.sh"

lab_begin dhcp_states
need busybox jq
proto_need_scapy
lab_pod subnet
proto_long_search

# The node talks to the pod first: its neighbour entry holds the pod's MAC.
ip netns exec "$NODE" busybox ping -c 1 -W 2 "$POD_IP" >/dev/null ||
	die "node cannot ping the pod before prepare"
neigh=$(ip -n "$NODE" neigh show "$POD_IP" dev n-eth0)
expect_match "node neighbour before prepare" "lladdr $POD_MAC" "$neigh"

snapshot "$TEST_DIR/snap.before"
proto_sniff_start dhcp_states states clients
hook_prepare "$LAB_DATA/vm1.xml"
lab_fake_vm eth0 "$VM_MAC" vnet0
lab_attach vnet0 pn-eth0
# IPv6 off in the fake VM: only the driver's frames leave it.
ip netns exec "$VM" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1

br_mac=$(link_mac "$POD" pn-eth0)
node_mac=$(link_mac "$NODE" n-eth0)
search=$(echo $PROTO_LONG_SEARCH)
args="iface=eth0,vm_mac=$VM_MAC,pod_ip=$POD_IP,gw=$POD_GW,mask=255.255.255.0"
args+=",mtu=$POD_MTU,dns=$POD_DNS,hostname=$VM_NAME,search=$search"
args+=",bridge_mac=$br_mac,node_mac=$node_mac,log=$(proto_log),pid=$RESPONDER_PID"

proto_states dhcp_states states "$args"

pid_alive "$RESPONDER_PID" || bad "responder $RESPONDER_PID died during the suite"
expect_eq "responder pid after the suite" "$RESPONDER_PID" "$(state_responder_pid)"

# The capture's positive control: a server-shaped frame the pod's bridge
# floods to the node (the responder's own path; the VM's is filtered).
ip netns exec "$POD" /usr/bin/python3 - "$br_mac" <<'PY' || bad "cannot send the capture's control frame"
import sys
from scapy.all import BOOTP, DHCP, IP, UDP, Ether, sendp
sendp(Ether(src=sys.argv[1], dst="ff:ff:ff:ff:ff:ff") / IP(src="198.51.100.250", dst="255.255.255.255")
      / UDP(sport=67, dport=68) / BOOTP(op=2) / DHCP(options=["end"]), iface="pn-eth0", verbose=False)
PY
filtered=$(pod_tool status --json | jq -r '.[0].interfaces[0].guest_filter.dropped')
log "guest filter: $filtered"
check "the VM's server-shaped frame: dropped by the guest filter" \
	test "$(jq -r .dhcp_server <<<"$filtered")" -ge 1

sleep 0.5
proto_sniff_stop
sed 's/^/node saw: /' "$SNIFF_OUT" | grep -v 'dhcp-client' || true
ctl=$(sniffed '^dhcp-server src=198.51.100.250 ')
expect_eq "the capture's control frame (server-shaped, from the pod's bridge) seen at the node" 1 "$ctl"
n=$(grep '^dhcp-server' "$SNIFF_OUT" | grep -vc ' src=198.51.100.250 ' || true)
expect_eq "DHCP server packets from the responder seen on the node's veth" 0 "$n"
garp=$(sniffed "^arp op=[12] hwsrc=$VM_MAC psrc=$POD_IP pdst=$POD_IP ethsrc=$VM_MAC")
expect_match "gratuitous ARPs for the pod IP from the VM's MAC at the node" '^[1-9]' "$garp"
# RENEWING unicast to the gateway's MAC: the guest filter keeps it in the
# pod (the client then rebinds by broadcast, which the responder answers).
renew=$(sniffed "^dhcp-client src=$POD_IP dst=$POD_GW ethsrc=$VM_MAC ethdst=$node_mac")
expect_eq "RENEWING frames to the gateway's MAC that reached the node" 0 "$renew"
check "the VM's DHCP kept in the pod (counted)" \
	test "$(jq -r .kept_in_pod <<<"$filtered")" -ge 1
neigh=$(ip -n "$NODE" neigh show "$POD_IP" dev n-eth0)
expect_match "node neighbour after the ACK" "lladdr $VM_MAC" "$neigh"

ip -n "$POD" link del vnet0
hook_release "$LAB_DATA/vm1.xml"
snapshot_expect_same "after release" "$TEST_DIR/snap.before"
lab_done
