#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The responder's IPv6 side against a scapy driver (dhcp6_states.py) in the
# fake VM, on a dual-stack subnet pod (2001:db8:1::10/64, default via
# 2001:db8:1::1, the node's link-local as the router): the unsolicited RA
# after the VM's first frame, RS -> RA with every option, every DHCPv6
# message type (SOLICIT with and without Rapid Commit, several IAs, IA_PD,
# REQUEST, RENEW, REBIND, CONFIRM, INFORMATION-REQUEST, RELEASE, DECLINE)
# and every case that must get no answer (no Client ID, wrong or missing
# Server ID, another MAC, truncated options, an option past the end, an
# extension header, client-side and relay types). Meanwhile the node's veth
# is watched: no RA and no DHCPv6 server packet may leave toward the node;
# the NA for the pod's IPv6 from the VM's MAC must arrive and move the
# node's neighbour entry to the VM.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/proto.sh"

POD_IP6=2001:db8:1::10
POD_GW6=2001:db8:1::1
POD_DNS6=2001:db8:53::1

lab_begin dhcp6_states
need busybox
proto_need_scapy
lab_pod subnet
printf 'nameserver 198.51.100.53\nnameserver %s\nsearch pod.example.test example.test\n' \
	"$POD_DNS6" >"/etc/netns/$POD/resolv.conf"
ip -n "$NODE" addr add "$POD_GW6/64" dev n-eth0 nodad
ip -n "$POD" addr add "$POD_IP6/64" dev eth0 nodad
ip -n "$POD" -6 route add default via "$POD_GW6" dev eth0
node_mac=$(link_mac "$NODE" n-eth0)
node_ll=$(ip -n "$NODE" -6 -o addr show dev n-eth0 scope link | sed -n 's/.* inet6 \(fe80::[0-9a-f:]*\)\/64 .*/\1/p')
for i in $(seq 1 50); do
	[ -n "$node_ll" ] && ! ip -n "$NODE" -6 addr show dev n-eth0 | grep -q tentative && break
	sleep 0.1
	node_ll=$(ip -n "$NODE" -6 -o addr show dev n-eth0 scope link | sed -n 's/.* inet6 \(fe80::[0-9a-f:]*\)\/64 .*/\1/p')
done
[ -n "$node_ll" ] || fail "the node's veth has no link-local address"

# The node talks to the pod first: its neighbour entry holds the pod's MAC.
ip netns exec "$NODE" busybox ping -6 -c 1 -W 2 "$POD_IP6" >/dev/null ||
	fail "node cannot ping the pod's IPv6 before prepare"
neigh=$(ip -n "$NODE" -6 neigh show "$POD_IP6" dev n-eth0)
expect_match "node IPv6 neighbour before prepare" "lladdr $POD_MAC" "$neigh"

snapshot "$TEST_DIR/snap.before"
SNIFF_OUT=$TEST_DIR/node-sniff6.txt
SNIFF_STOP=$TEST_DIR/node-sniff6.stop
ip netns exec "$NODE" "$PROTO_PY" "$LAB_TOP/tests/integration/dhcp6_states.py" \
	sniff "$SNIFF_OUT" "$SNIFF_STOP" 300 n-eth0 >"$TEST_DIR/node-sniff6.log" 2>&1 &
SNIFF_PID=$!
LAB_PIDS+=("$SNIFF_PID")
for i in $(seq 1 100); do
	grep -q '^ready' "$SNIFF_OUT" 2>/dev/null && break
	sleep 0.1
done
grep -q '^ready' "$SNIFF_OUT" || fail "node sniffer did not start: $(cat "$TEST_DIR/node-sniff6.log")"

hook_prepare "$LAB_DATA/vm1.xml"
state=$STATE_DIR/$PROTO_UUID.state
# Until discovery records the pod's IPv6 (the record's addr6/route6/router6
# lines), write them as it would and let `reconnect` start a responder that
# reads them.
if ! grep -q '^addr6 0 ' "$state"; then
	log "the record has no IPv6 facts yet: adding them, restarting the responder"
	kill "$RESPONDER_PID"
	wait_pid_gone "$RESPONDER_PID" || fail "responder $RESPONDER_PID did not exit"
	sed -i -e '/^router6 0 /d' -e '/^end$/d' "$state"
	{
		echo "addr6 0 $POD_IP6/64 scope 0 flags 128 lft 4294967295 4294967295"
		echo "route6 0 table 254 dst 2001:db8:1::/64 gw :: src :: metric 256 proto 2 scope 0 type 1 nhflags 0 pref 0 metrics -"
		echo "route6 0 table 254 dst ::/0 gw $POD_GW6 src :: metric 1024 proto 3 scope 0 type 1 nhflags 0 pref 0 metrics -"
		echo "router6 0 $node_ll mac $node_mac"
		echo "end"
	} >>"$state"
	hook_run reconnect "$LAB_DATA/vm1.xml" reconnect begin -
	hook_expect_quiet_ok "reconnect with the IPv6 facts"
	RESPONDER_PID=$(state_responder_pid)
	pid_alive "$RESPONDER_PID" || fail "no responder after reconnect: $(tail -n 3 "$(proto_log)")"
fi
grep -q "IPv6: 1 address" "$(proto_log)" || fail "the responder serves no IPv6: $(tail -n 5 "$(proto_log)")"

lab_fake_vm eth0 "$VM_MAC" vnet0
lab_attach vnet0 pn-eth0
# IPv6 off in the fake VM's kernel: only the driver's frames leave it.
ip netns exec "$VM" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1

br_mac=$(link_mac "$POD" pn-eth0)
args="iface=eth0,vm_mac=$VM_MAC,pod_ip6=$POD_IP6,prefix=2001:db8:1::,plen=64"
args+=",router_ll=$node_ll,node_mac=$node_mac,bridge_mac=$br_mac,mtu=$POD_MTU"
args+=",dns6=$POD_DNS6,search=pod.example.test example.test,hostname=$VM_NAME"
args+=",log=$(proto_log),pid=$RESPONDER_PID"

set +e
timeout -k 5 200 ip netns exec "$VM" "$PROTO_PY" "$LAB_TOP/tests/integration/dhcp6_states.py" \
	states "$args" >"$TEST_DIR/states6.log" 2>&1
rc=$?
set -e
sed 's/^/states6: /' "$TEST_DIR/states6.log"
grep -q '^FAIL' "$TEST_DIR/states6.log" && bad "the DHCPv6/RA suite has failed checks (above)"
[ "$rc" = 0 ] || bad "the driver exited $rc"
grep -q '^states: 0 failed checks' "$TEST_DIR/states6.log" || bad "the driver did not finish"
pid_alive "$RESPONDER_PID" || bad "responder $RESPONDER_PID died during the suite"
neigh=$(ip -n "$NODE" -6 neigh show "$POD_IP6" dev n-eth0)
expect_match "node IPv6 neighbour after the REPLY" "lladdr $VM_MAC" "$neigh"

ip -n "$POD" link del vnet0
hook_release "$LAB_DATA/vm1.xml"
sleep 0.5
touch "$SNIFF_STOP"
for i in $(seq 1 50); do
	kill -0 "$SNIFF_PID" 2>/dev/null || break
	sleep 0.1
done
kill "$SNIFF_PID" 2>/dev/null || true
wait "$SNIFF_PID" 2>/dev/null || true
sed 's/^/node saw: /' "$SNIFF_OUT" | grep -v 'dhcp6-client' || true
ctl=$(grep -c "^dhcp6-client .*ethsrc=$VM_MAC" "$SNIFF_OUT" || true)
expect_match "the VM's DHCPv6 client frames seen at the node (the capture works)" '^[1-9]' "$ctl"
n=$(grep -c '^ra ' "$SNIFF_OUT" || true)
expect_eq "RAs seen on the node's veth" 0 "$n"
n=$(grep -c '^dhcp6-server ' "$SNIFF_OUT" || true)
expect_eq "DHCPv6 server packets seen on the node's veth" 0 "$n"
na=$(grep -c "^na src=$POD_IP6 dst=ff02::1 target=$POD_IP6 flags=0x20 ethsrc=$VM_MAC ethdst=$node_mac" \
	"$SNIFF_OUT" || true)
expect_match "unsolicited NAs (override) for the pod's IPv6 from the VM's MAC at the node" '^[1-9]' "$na"
na=$(grep -c "^na src=$POD_IP6 dst=ff02::1 target=$POD_IP6 flags=0x20 ethsrc=$POD_MAC ethdst=33:33:00:00:00:01" \
	"$SNIFF_OUT" || true)
expect_match "the NA for the pod's IPv6 from the pod's own MAC at release" '^[1-9]' "$na"
neigh=$(ip -n "$NODE" -6 neigh show "$POD_IP6" dev n-eth0)
expect_match "node IPv6 neighbour after release" "lladdr $POD_MAC" "$neigh"

snapshot_expect_same "after release" "$TEST_DIR/snap.before"
lab_done
