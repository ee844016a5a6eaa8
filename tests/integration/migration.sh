#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A live migration's hook side, played by hand with libvirt's event sequence
# (MIGRATION.md): two pods of the real bridge plugin (bridge-dual) on one
# node bridge, the destination made with the source's addresses (the
# sticky-IP CNIs), one shared state folder. Fake VMs (veths with the VM's
# MAC) stand for QEMU on each side; the destination's sends QEMU's RARP
# burst at the switchover (migration.py). The node watches both pods' veths.
#  1. destination: `migrate begin -` (empty stdout), `prepare`, `start`,
#     `started`; status "waiting"; the source VM talks meanwhile (its frames
#     reach the destination through the node): nothing for the pod's
#     addresses leaves the destination pod, and the node's bridge still has
#     the VM behind the source pod;
#  2. the RARP: gratuitous ARPs and unsolicited NAs from the VM's MAC leave
#     the destination pod right after it; status "switched"; the node's
#     bridge has the VM behind the destination pod;
#  3. the source (libvirt < 10.5, reason "-"): its responder saw the RARP
#     come through the pod interface (status "migrated-away"); release
#     restores it exactly and announces nothing; the node keeps the VM
#     behind the destination;
#  4. release with reason "migrated" announces nothing; with "-" (no
#     migration) it announces (the capture sees what it must not elsewhere);
#  5. a failed migration (prepare ok, then `stopped`, `release end failed`)
#     and one failing at prepare (no pod interface: one line): the pod
#     exact, nothing announced; a stale marker (a `migrate` whose `prepare`
#     never came) does not make a later start incoming; an untagged
#     domain's `migrate`: nothing, a bad tag's: one line;
#  6. a routed node network (calico-dual, proxy ARP): the destination is
#     silent until the RARP, then announces the VM.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

PY=/usr/bin/python3
DRV=$LAB_TOP/tests/integration/migration.py
xml=$LAB_DATA/vm1.xml
uuid=$(sed -n 's|.*<uuid>\(.*\)</uuid>.*|\1|p' "$xml" | head -n 1)

# sniff_start TAG NS IFACE - frames coming in on IFACE (from the pod) into
# $TEST_DIR/sniff.TAG until sniff_stop TAG.
sniff_start()
{
	local tag=$1 i
	rm -f "$TEST_DIR/sniff.$tag" "$TEST_DIR/sniff.$tag.stop"
	ip netns exec "$2" "$PY" "$DRV" sniff "$3" "$TEST_DIR/sniff.$tag" \
		"$TEST_DIR/sniff.$tag.stop" >"$TEST_DIR/sniff.$tag.log" 2>&1 &
	LAB_PIDS+=("$!")
	for i in $(seq 1 100); do
		grep -q '^ready' "$TEST_DIR/sniff.$tag" 2>/dev/null && return 0
		sleep 0.1
	done
	die "sniffer $tag did not start: $(cat "$TEST_DIR/sniff.$tag.log")"
}

sniff_stop()
{
	touch "$TEST_DIR/sniff.$1.stop"
	sleep 0.3
}

# announced TAG FROM TO - the capture's lines between the monotonic times
# FROM and TO that speak for the pod's addresses or the VM: ARP with the
# pod's IPv4 as sender, NA for its IPv6, IPv4/IPv6 from them, an RA, a DHCP
# server's reply, anything from the VM's MAC.
announced()
{
	awk -v from="$2" -v to="$3" -v ip="$IP4" -v ip6="$IP6" -v vm="$VM_MAC" '
		$1 == "ready" { next }
		$1 + 0 < from + 0 || $1 + 0 > to + 0 { next }
		$2 == "arp" && $5 == "psrc=" ip { print; next }
		$2 == "na" && $4 == "target=" ip6 { print; next }
		$2 == "ip4" && ($4 == "src=" ip || $5 == "sport=67") { print; next }
		$2 == "ip6" && $4 == "src=" ip6 { print; next }
		$2 == "ra" { print; next }
		$3 == "hwsrc=" vm { print }' "$TEST_DIR/sniff.$1"
}

# now_mono - CLOCK_MONOTONIC, the sniffer's clock (the machine's, in any
# namespace).
now_mono()
{
	"$PY" -c 'import time; print("%.6f" % time.monotonic())'
}

# node_fdb_port MAC - the node bridge port (its veth) the node learnt MAC on.
node_fdb_port()
{
	bridge -n "$NODE" fdb show br cni0 2>/dev/null |
		awk -v m="$1" '$1 == m && $0 !~ /permanent/ { print $3; exit }'
}

# node_neigh IP - the MAC the node's neighbour entry for IP holds.
node_neigh()
{
	ip -n "$NODE" neigh show "$1" dev cni0 | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'
}

status_migration()
{
	pod_tool status --json | jq -r '.[0].migration // "none"'
}

# fake_vm NS PEER POD - the VM's NIC: eth0 (VM MAC) in NS, PEER in POD
# attached to pn-eth0; IPv6 off until it is configured, so it is silent.
fake_vm()
{
	local ns=$1 peer=$2 pod=$3
	ip -n "$pod" link add "$peer" type veth peer name eth0 netns "$ns"
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
	ip -n "$ns" link set eth0 address "$VM_MAC" up
	POD=$pod lab_attach "$peer" pn-eth0
}

# vm_configure NS - the pod's addresses on the fake VM (as its lease gave).
vm_configure()
{
	ip netns exec "$1" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=0
	ip -n "$1" addr add "$IP4/24" dev eth0
	ip -n "$1" addr add "$IP6/64" dev eth0 nodad
	ip -n "$1" route add default via "$CNI_GW" dev eth0
}

lab_begin migration
need jq bridge
STATE_SHARED=$TEST_DIR/state.shared

log "=== 1. source pod A and destination pod B on one node bridge, same addresses"
lab_pod bridge-dual
POD_A=$POD
VM_A=$VM
HOSTIF_A=$CNI_HOST_IF
IP4=$CNI_POD_IP
IP6=$CNI_POD_IP6
snapshot "$TEST_DIR/snap.a"
STATE_DIR=$STATE_SHARED
hook_prepare "$xml"
PID_A=$RESPONDER_PID
fake_vm "$VM_A" vnet0 "$POD_A"
LAB_SEQ=$((LAB_SEQ + 1)) # the names of pod B's namespaces
lab_ns_add POD_B pod
lab_ns_add VM_B vm
lab_pod_resolv "$POD_B"
LAB_CNI+=("bridge-dual $NODE $POD_B $TEST_DIR/cni.b")
cni_pod_make bridge-dual "$NODE" "$POD_B" "$TEST_DIR/cni.b" "$IP4" ||
	die "pod B could not be made"
HOSTIF_B=$CNI_HOST_IF
expect_eq "pod B has pod A's IPv6 (sticky)" "$IP6" "$CNI_POD_IP6"
for i in $(seq 1 50); do
	ip -n "$POD_B" -6 addr show dev eth0 | grep -q tentative || break
	sleep 0.1
done
POD=$POD_B
snapshot "$TEST_DIR/snap.b"
# The source VM configured once pod B's DAD is over (B still holds the
# addresses until its prepare, as a sticky-IP CNI's target pod does).
vm_configure "$VM_A"
ip netns exec "$VM_A" "$PY" "$DRV" arp eth0 "$VM_MAC" "$IP4" "$CNI_GW"
expect_eq "node: the VM behind pod A's veth" "$HOSTIF_A" "$(node_fdb_port "$VM_MAC")"

sniff_start b "$NODE" "$HOSTIF_B"
sniff_start a "$NODE" "$HOSTIF_A"
t_begin=$(now_mono)
POD=$POD_B
hook_run migrate "$xml" migrate begin -
hook_expect_quiet_ok "B: migrate begin"
[ -e "$(state_file "$STATE_DIR" "$uuid" .incoming)" ] || bad "B: migrate left no incoming marker"
hook_run prepare-b "$xml" prepare begin -
hook_expect_quiet_ok "B: prepare (incoming)"
[ ! -e "$(state_file "$STATE_DIR" "$uuid" .incoming)" ] || bad "B: prepare did not take the marker"
# Two records of the domain in the shared folder, one per pod; B's says
# "incoming".
expect_eq "records of the domain (A's, B's)" 2 "$(find "$STATE_DIR" -name "$uuid@*.state" | wc -l)"
expect_eq "records that say 'incoming' (B's)" 1 "$(grep -lx incoming "$STATE_DIR/$uuid"@*.state | wc -l)"
fake_vm "$VM_B" vnet0 "$POD_B"
for ev in "start begin -" "started begin -"; do
	# shellcheck disable=SC2086
	hook_run "${ev%% *}" "$xml" $ev
	hook_expect_quiet_ok "B: $ev"
done
expect_eq "B: status while waiting" waiting "$(status_migration)"
pod_tool status | grep -q 'incoming-migration: waiting' || bad "B: status text has no 'incoming-migration: waiting'"
# The source VM goes on talking: its broadcasts reach pod B through the
# node (and wake B's responder: its DISCOVER must get no OFFER from B).
for _ in 1 2 3; do
	ip netns exec "$VM_A" "$PY" "$DRV" arp eth0 "$VM_MAC" "$IP4" "$CNI_GW"
	ip netns exec "$VM_A" "$PY" "$DRV" dhcp eth0 "$VM_MAC"
	sleep 0.5
done
expect_eq "node: the VM still behind pod A while B waits" "$HOSTIF_A" "$(node_fdb_port "$VM_MAC")"
expect_eq "node: the pod's IPv4 still at the VM's MAC while B waits" "$VM_MAC" "$(node_neigh "$IP4")"
expect_eq "B: still waiting after the source VM's frames" waiting "$(status_migration)"

log "=== 2. the switchover: QEMU's RARP from the destination's VM"
ip netns exec "$VM_B" "$PY" "$DRV" rarp eth0 "$VM_MAC" "$TEST_DIR/t0"
t0=$(cat "$TEST_DIR/t0")
sleep 1
before=$(announced b "$t_begin" "$t0")
if [ -z "$before" ]; then
	ok "B: nothing for the pod's addresses left pod B before the VM's first frame"
else
	bad "B: sent for the pod's addresses before the switchover: $before"
fi
after=$(announced b "$t0" 9999999999)
n_garp=$(grep -c "arp op=1 hwsrc=$VM_MAC psrc=$IP4 pdst=$IP4" <<<"$after" || true)
n_na=$(grep -c "na hwsrc=$VM_MAC target=$IP6" <<<"$after" || true)
expect_match "B: gratuitous ARPs from the VM's MAC after the RARP" '^[3-9]$' "$n_garp"
expect_match "B: unsolicited NAs from the VM's MAC after the RARP" '^[3-9]$' "$n_na"
first=$(awk -v t="$t0" '$1 + 0 >= t + 0 && /arp op=1 hwsrc=/ { print $1 - t; exit }' "$TEST_DIR/sniff.b")
log "first gratuitous ARP $first s after the first RARP"
awk -v d="${first:-9}" 'BEGIN { exit !(d < 0.5) }' && ok "B: announced within 0.5 s of the RARP" ||
	bad "B: first announcement ${first:-never} s after the RARP"
grep -v "hwsrc=$VM_MAC" <<<"$after" | grep -q . && bad "B: sent for the pod's addresses from another MAC: $(grep -v "hwsrc=$VM_MAC" <<<"$after")"
expect_eq "B: status after the switchover" switched "$(status_migration)"
pod_tool status | grep -q 'incoming-migration: switched' || {
	bad "B: status text has no 'incoming-migration: switched'"
	pod_tool status
	tail -n 5 "$STATE_DIR"/*.log
	od -c "$STATE_DIR"/*.lease | tail -n 12
}
expect_eq "node: the VM behind pod B's veth" "$HOSTIF_B" "$(node_fdb_port "$VM_MAC")"

log "=== 3. the source's release (libvirt 9: reason '-')"
POD=$POD_A
expect_eq "A: status after the VM left" left "$(status_migration)"
ip -n "$POD_A" link del vnet0
t_rel=$(now_mono)
hook_run stopped-a "$xml" stopped end -
hook_run release-a "$xml" release end -
hook_expect_quiet_ok "A: release after the migration"
wait_pid_gone "$PID_A" || bad "A: responder $PID_A still runs"
snapshot_expect_same "A: release after the migration" "$TEST_DIR/snap.a"
sleep 0.5
said=$(announced a "$t_rel" 9999999999)
if [ -z "$said" ]; then ok "A: nothing announced after its release"; else bad "A: announced after its release: $said"; fi
expect_eq "node: the VM still behind pod B after A's release" "$HOSTIF_B" "$(node_fdb_port "$VM_MAC")"
expect_eq "node: the pod's IPv4 at the VM's MAC" "$VM_MAC" "$(node_neigh "$IP4")"
sniff_stop a
sniff_stop b

log "=== 3b. the destination's VM is destroyed: B exact"
POD=$POD_B
ip -n "$POD_B" link del vnet0
hook_run release-b "$xml" release end destroyed
hook_expect_quiet_ok "B: release"
snapshot_expect_same "B: release" "$TEST_DIR/snap.b"
expect_state_empty "after both releases"

log "=== 4. release with reason 'migrated' announces nothing; with '-' it does"
lab_pod bridge-dual
IP4=$CNI_POD_IP
IP6=$CNI_POD_IP6
snapshot "$TEST_DIR/snap.c"
for reason in migrated -; do
	hook_prepare "$xml"
	fake_vm "$VM" vnet0 "$POD"
	sniff_start c "$NODE" "$CNI_HOST_IF"
	ip -n "$POD" link del vnet0
	t_rel=$(now_mono)
	hook_run "release-$reason" "$xml" release end "$reason"
	hook_expect_quiet_ok "C: release $reason"
	sleep 0.5
	sniff_stop c
	snapshot_expect_same "C: release $reason" "$TEST_DIR/snap.c"
	said=$(announced c "$t_rel" 9999999999)
	if [ "$reason" = migrated ]; then
		[ -z "$said" ] && ok "C: 'migrated': nothing announced" || bad "C: 'migrated' announced: $said"
	else
		grep -q "arp op=1 hwsrc=$CNI_POD_MAC psrc=$IP4" <<<"$said" &&
			ok "C: '-' (not migrated): the pod announced at its own MAC" ||
			bad "C: '-': no gratuitous ARP from the pod's MAC (the capture must see one): $said"
	fi
	ip netns exec "$VM" ip link del eth0 2>/dev/null || true
done

log "=== 5. failed migrations leave the destination exact and silent"
sniff_start c "$NODE" "$CNI_HOST_IF"
t_fail=$(now_mono)
hook_run migrate-c "$xml" migrate begin -
hook_expect_quiet_ok "C: migrate begin"
hook_run prepare-c "$xml" prepare begin -
hook_expect_quiet_ok "C: prepare (incoming)"
hook_run stopped-c "$xml" stopped end -
hook_run release-c "$xml" release end failed
hook_expect_quiet_ok "C: release after a failed migration"
snapshot_expect_same "C: failed migration" "$TEST_DIR/snap.c"
expect_state_empty "C: failed migration"
hook_run migrate-bad "$LAB_DATA/bad-no-pod-iface.xml" migrate begin -
hook_expect_quiet_ok "C: migrate begin (its prepare will fail)"
hook_run prepare-bad "$LAB_DATA/bad-no-pod-iface.xml" prepare begin -
hook_expect_error "C: prepare of a domain whose pod interface is missing"
hook_run release-bad "$LAB_DATA/bad-no-pod-iface.xml" release end failed
hook_expect_quiet_ok "C: release after the failed prepare"
snapshot_expect_same "C: failed prepare" "$TEST_DIR/snap.c"
expect_state_empty "C: failed prepare"
hook_run migrate-badtag "$LAB_DATA/bad-mac-nomatch.xml" migrate begin -
hook_expect_error "C: migrate of a domain whose tag names no interface"
expect_state_empty "C: bad tag's migrate"
hook_run migrate-untagged "$LAB_DATA/vm1-untagged.xml" migrate begin -
hook_expect_quiet_ok "C: migrate of an untagged domain"
expect_state_empty "C: untagged domain's migrate"
sleep 0.5
sniff_stop c
said=$(announced c "$t_fail" 9999999999)
[ -z "$said" ] && ok "C: nothing announced by the failed migrations" || bad "C: announced: $said"
# A migration cancelled between `migrate` and `prepare` left its marker: a
# later ordinary start (past the marker's 60 s) is not an incoming one.
hook_run migrate-stale "$xml" migrate begin -
touch -d '2 minutes ago' "$(state_file "$STATE_DIR" "$uuid" .incoming)"
hook_prepare "$xml"
grep -qx incoming "$(state_file "$STATE_DIR" "$uuid" .state)" &&
	bad "C: a stale marker made an ordinary start incoming" ||
	ok "C: a stale marker is ignored (and taken)"
[ ! -e "$(state_file "$STATE_DIR" "$uuid" .incoming)" ] || bad "C: the stale marker stays"
expect_eq "C: status of an ordinary start" none "$(status_migration)"
hook_release "$xml"
snapshot_expect_same "C: ordinary start after a stale marker" "$TEST_DIR/snap.c"

log "=== 6. a routed node network (calico-dual): the destination silent, then the VM announced"
lab_pod calico-dual
IP4=$CNI_POD_IP
IP6=$CNI_POD_IP6
snapshot "$TEST_DIR/snap.d"
sniff_start d "$NODE" "$CNI_HOST_IF"
t_begin=$(now_mono)
for ev in "migrate begin -" "prepare begin -" "start begin -" "started begin -"; do
	# shellcheck disable=SC2086
	hook_run "d-${ev%% *}" "$xml" $ev
	hook_expect_quiet_ok "D: $ev"
	[ "${ev%% *}" != prepare ] || fake_vm "$VM" vnet0 "$POD"
done
sleep 1
expect_eq "D: status while waiting" waiting "$(status_migration)"
ip netns exec "$VM" "$PY" "$DRV" rarp eth0 "$VM_MAC" "$TEST_DIR/t0.d"
t0=$(cat "$TEST_DIR/t0.d")
sleep 1
before=$(announced d "$t_begin" "$t0")
if [ -z "$before" ]; then
	ok "D: nothing for the pod's addresses left pod D before the VM's first frame"
else
	bad "D: sent for the pod's addresses before the switchover: $before"
fi
after=$(announced d "$t0" 9999999999)
expect_match "D: gratuitous ARPs from the VM's MAC" '^[3-9]$' \
	"$(grep -c "arp op=1 hwsrc=$VM_MAC psrc=$IP4 pdst=$IP4" <<<"$after" || true)"
expect_match "D: unsolicited NAs from the VM's MAC" '^[3-9]$' \
	"$(grep -c "na hwsrc=$VM_MAC target=$IP6" <<<"$after" || true)"
expect_eq "D: status after the switchover" switched "$(status_migration)"
sniff_stop d
ip -n "$POD" link del vnet0
hook_run d-release "$xml" release end destroyed
hook_expect_quiet_ok "D: release"
snapshot_expect_same "D: release" "$TEST_DIR/snap.d"
expect_state_empty "D: release"
lab_done
