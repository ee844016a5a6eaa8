#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A storm from the guest side: 100,000 malformed frames from the VM's MAC
# (tests/tools/pn_flood.c: bad cookie, op, htype, hlen, truncations,
# fragments, port 68, bad checksums, random options and overload areas,
# random bytes), with a flood of valid DISCOVERs from another MAC, while
# udhcpc asks for its lease; then a flood of valid DISCOVERs from the VM's
# own MAC, and udhcpc once more. Asserts survival and service, not speed:
# the same responder pid, a lease during and after the storm, a bounded log
# (20 lines/s), RSS and memory maps unchanged, the sandbox unchanged, and no
# DHCP server packet toward the node. Every flood is bounded in count and in
# time and runs only in the fake-VM namespace.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/proto.sh"

FLOOD=$PROTO_TOOLS/pn_flood
STORM_MALFORMED=${STORM_MALFORMED:-100000}
OTHER_MAC=52:54:00:99:99:99

lab_begin storm
proto_need_scapy
[ -x "$FLOOD" ] || die "$FLOOD not built (make tests)"
lab_pod subnet
proto_sniff_start dhcp_states storm
hook_prepare "$LAB_DATA/vm1.xml"
lab_fake_vm eth0 "$VM_MAC" vnet0
lab_attach vnet0 pn-eth0
ip netns exec "$VM" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
pid=$RESPONDER_PID
logf=$(proto_log)

# Warm up: one lease, so that every buffer of the packet path is touched.
udhcpc_run eth0 warm
maps0=$(wc -l <"/proc/$pid/maps")
rss0=$(proc_rss_kb "$pid")
log0=$(stat -c %s "$logf")
log "before the storm: RSS $rss0 kB, $maps0 maps, log $log0 bytes"

# flood_bg TAG ARGS... - pn_flood in the VM namespace, in the background.
flood_bg()
{
	local tag=$1
	shift
	timeout -k 5 60 ip netns exec "$VM" "$FLOOD" eth0 "$@" \
		>"$TEST_DIR/flood.$tag.log" 2>&1 &
	LAB_PIDS+=("$!")
	FLOOD_PID=$!
}

t0=$(date +%s.%N)
flood_bg malformed malformed "$STORM_MALFORMED" 30 "$VM_MAC"
p1=$FLOOD_PID
flood_bg other discover 1000000 8 "$OTHER_MAC" "$OTHER_MAC"
p2=$FLOOD_PID
sleep 0.2
udhcpc_run eth0 during
expect_udhcpc_lease "udhcpc during the storm" "$LEASE_FILE" "$POD_IP" 24 "$POD_GW" "$POD_MTU"
wait "$p1" || bad "malformed flood failed: $(cat "$TEST_DIR/flood.malformed.log")"
wait "$p2" || bad "other-MAC flood failed: $(cat "$TEST_DIR/flood.other.log")"
t1=$(date +%s.%N)
log "malformed flood: $(cat "$TEST_DIR/flood.malformed.log")"
log "other-MAC DISCOVER flood: $(cat "$TEST_DIR/flood.other.log")"
sent=$(sed -n 's/^sent \([0-9]*\) .*/\1/p' "$TEST_DIR/flood.malformed.log")
expect_eq "malformed frames sent" "$STORM_MALFORMED" "$sent"
pid_alive "$pid" || die "responder $pid died in the malformed storm"
expect_eq "responder pid after the malformed storm" "$pid" "$(state_responder_pid)"

# The guest floods with valid DISCOVERs from its own MAC (rate-limited
# replies), then asks for its lease normally.
flood_bg self discover 1000000 5 "$VM_MAC" "$VM_MAC"
wait "$FLOOD_PID" || bad "VM-MAC flood failed: $(cat "$TEST_DIR/flood.self.log")"
log "VM-MAC DISCOVER flood: $(cat "$TEST_DIR/flood.self.log")"
pid_alive "$pid" || die "responder $pid died in the DISCOVER flood"
udhcpc_run eth0 after
expect_udhcpc_lease "udhcpc after the storm" "$LEASE_FILE" "$POD_IP" 24 "$POD_GW" "$POD_MTU"
t2=$(date +%s.%N)

expect_eq "responder pid after the storm" "$pid" "$(state_responder_pid)"
rss1=$(proc_rss_kb "$pid")
maps1=$(wc -l <"/proc/$pid/maps")
log1=$(stat -c %s "$logf")
secs=$(awk -v a="$t0" -v b="$t2" 'BEGIN { printf "%d", b - a + 2 }')
# 20 lines a second plus one "suppressed" line, 200 bytes each at most.
limit=$((secs * 21 * 200))
log "after the storm: RSS $rss1 kB, $maps1 maps, log +$((log1 - log0)) bytes in ~${secs}s (bound $limit)"
log "log: $(wc -l <"$logf") lines, $(grep -c 'lines suppressed' "$logf") 'suppressed' lines for" \
	"$(awk '/lines suppressed/ { n += $3 } END { print n + 0 }' "$logf") log lines dropped" \
	"(each one a frame the responder read and rejected or answered)"
expect_eq "responder RSS (kB) after the storm" "$rss0" "$rss1"
expect_eq "responder memory maps after the storm" "$maps0" "$maps1"
[ $((log1 - log0)) -le "$limit" ] ||
	bad "log grew by $((log1 - log0)) bytes in ~${secs}s (more than $limit)"
grep -q 'lines suppressed' "$logf" || bad "no 'lines suppressed' in the log: no rate limit seen"
sandbox_expect "after the storm:" "$pid"

# The responder sends from the bridge's MAC. The flood's random frames
# (variant 13: random bytes after the IP header) may carry UDP source port
# 67 themselves; those come from the VM's MAC and are not the responder's.
br_mac=$(ip -n "$POD" -o link show pn-eth0 | sed -n 's/.* link\/ether \([0-9a-f:]*\) .*/\1/p')
[ -n "$br_mac" ] || bad "bridge pn-eth0 has no MAC"
proto_sniff_stop
n=$(grep '^dhcp-server' "$SNIFF_OUT" | grep -c "ethsrc=$br_mac" || true)
log "server-port frames on the node's veth: $(grep -c '^dhcp-server' "$SNIFF_OUT" || true) in all, $n from the bridge's MAC $br_mac"
grep '^dhcp-server' "$SNIFF_OUT" | head -n 5 | sed 's/^/node saw: /' || true
expect_eq "DHCP server packets from the responder seen on the node's veth during the storm" 0 "$n"
log "storm: malformed+other-MAC phase $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"

ip -n "$POD" link del vnet0
hook_release "$LAB_DATA/vm1.xml"
lab_done
