#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Concurrency (issue 4): libvirt runs hooks of different domains at the same
# time, and nothing stops two calls for one domain from overlapping.
#  a) K domains of one pod (eth0, eth1.. each taken by its own domain, bridge
#     pn-ethN): K prepares at once -> all exit 0, K live responders, every
#     fake VM gets its own lease; K releases at once -> all exit 0, the pod
#     exactly as before, no record, no process.
#  b) one domain, two prepares at once -> both exit 0, exactly one responder;
#     two releases at once -> both exit 0, pod restored, nothing left.
#  c) one domain, a prepare and a release at once -> whichever order the
#     lock gave them, the result is consistent (prepared and serving, or
#     restored), and a final release restores the pod.
# Each is repeated CONCURRENCY_ROUNDS times (default 5); CONCURRENCY_K
# domains (default 4, at most 9) in a). All of it on each pod shape of
# CONCURRENCY_SHAPES (default "subnet subnet-dual": the second has the
# pod's IPv6 on eth0 too, whose restore the snapshot checks, and in a) the
# first domain's fake VM also gets its DHCPv6 lease, the pod's IPv6).
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/reliability.sh"
. "$(dirname "$0")/../lib/vmcheck6.sh"

ROUNDS=${CONCURRENCY_ROUNDS:-5}
SHAPES=${CONCURRENCY_SHAPES:-subnet subnet-dual}
K=${CONCURRENCY_K:-4}
[ "$K" -ge 2 ] && [ "$K" -le 9 ] || die "CONCURRENCY_K must be 2..9"

# Domain i takes pod interface ethi; eth0 is the lab's, the others are
# 169.254.(10+i).10/24 (connected route only).
NAMES=() XMLS=() UUIDS=() MACS=()

# dom_lease_check I - fake VM i's lease is pod interface ethi's identity.
dom_lease_check()
{
	local i=$1 saved=$VM_NAME
	udhcpc_run "veth$i" "r$round-d$i"
	VM_NAME=${NAMES[$i]}
	if [ "$i" = 0 ]; then
		expect_udhcpc_lease "a) ${NAMES[$i]}" "$LEASE_FILE" "$POD_IP" 24 "$POD_GW" "$POD_MTU"
	else
		expect_udhcpc_lease "a) ${NAMES[$i]}" "$LEASE_FILE" "169.254.$((10 + i)).10" 24 "" 1500
	fi
	VM_NAME=$saved
}

# all_at_once TAG OP PHASE - the hook's OP for all K domains at once (tags
# a$round-TAG0...), waited for.
all_at_once()
{
	local tag=$1 i
	shift
	for i in $(seq 0 $((K - 1))); do
		rel_hook_bg "a$round-$tag$i" "${NAMES[$i]}" "${XMLS[$i]}" "$@" -
	done
	rel_hook_wait_all
}

# round_a - K domains prepared at once, leased, released at once.
round_a()
{
	local i pid pids=() seen
	all_at_once prep prepare begin
	for i in $(seq 0 $((K - 1))); do
		rel_expect_bg_quiet_ok "a) round $round: prepare ${NAMES[$i]}" "a$round-prep$i" || continue
		pid=$(rel_record_pid "${UUIDS[$i]}")
		if [ -n "$pid" ] && pid_alive "$pid" &&
			[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "podnet-responder --responder ${UUIDS[$i]} " ]; then
			pids+=("$pid")
		else
			bad "a) round $round: ${NAMES[$i]}: no live responder recorded ('$(rel_record_line "${UUIDS[$i]}")')"
		fi
	done
	seen=$(printf '%s\n' "${pids[@]}" | sort -u | wc -l)
	expect_eq "a) round $round: distinct live responders" "$K" "$seen"
	expect_eq "a) round $round: processes in the pod" "$K" "$(ip netns pids "$POD" | wc -l)"

	for i in $(seq 0 $((K - 1))); do
		lab_fake_vm "veth$i" "${MACS[$i]}" "vnet$i"
		lab_attach "vnet$i" "pn-eth$i"
	done
	for i in $(seq 0 $((K - 1))); do
		dom_lease_check "$i"
	done
	if [ "$shape" = subnet-dual ]; then
		dhcp6_lease veth0 "r$round-d0"
		expect_eq "a) round $round: ${NAMES[0]}: DHCPv6 address" "$POD_IP6" "$LEASE6_ADDR"
	fi
	for i in $(seq 0 $((K - 1))); do
		ip -n "$POD" link del "vnet$i"
	done

	all_at_once rel release end
	for i in $(seq 0 $((K - 1))); do
		rel_expect_bg_quiet_ok "a) round $round: release ${NAMES[$i]}" "a$round-rel$i" || true
	done
	for pid in "${pids[@]}"; do
		wait_pid_gone "$pid" || bad "a) round $round: responder $pid still runs after release"
	done
	snapshot_expect_same "a) round $round: all released" "$TEST_DIR/snap.before"
	expect_state_empty "a) round $round"
	expect_no_pod_processes "a) round $round"
}

# round_b - the same domain twice at once.
round_b()
{
	local pid
	rel_hook_bg "b$round-prep1" "${NAMES[0]}" "${XMLS[0]}" prepare begin -
	rel_hook_bg "b$round-prep2" "${NAMES[0]}" "${XMLS[0]}" prepare begin -
	rel_hook_wait_all
	rel_expect_bg_quiet_ok "b) round $round: first prepare" "b$round-prep1" || true
	rel_expect_bg_quiet_ok "b) round $round: second prepare" "b$round-prep2" || true
	pid=$(rel_record_pid "${UUIDS[0]}")
	pid_alive "$pid" || bad "b) round $round: recorded responder '$pid' does not run"
	# A second responder started and stopped again would have gone by now.
	expect_eq "b) round $round: processes in the pod (one responder)" "$pid" \
		"$(ip netns pids "$POD" | xargs)"

	rel_hook_bg "b$round-rel1" "${NAMES[0]}" "${XMLS[0]}" release end -
	rel_hook_bg "b$round-rel2" "${NAMES[0]}" "${XMLS[0]}" release end -
	rel_hook_wait_all
	rel_expect_bg_quiet_ok "b) round $round: first release" "b$round-rel1" || true
	rel_expect_bg_quiet_ok "b) round $round: second release" "b$round-rel2" || true
	wait_pid_gone "$pid" || bad "b) round $round: responder $pid still runs after release"
	snapshot_expect_same "b) round $round: released" "$TEST_DIR/snap.before"
	expect_state_empty "b) round $round"
	expect_no_pod_processes "b) round $round"
}

# round_c - a prepare and a release of one domain at once.
round_c()
{
	local pid
	rel_hook_bg "c$round-prep" "${NAMES[0]}" "${XMLS[0]}" prepare begin -
	rel_hook_bg "c$round-rel" "${NAMES[0]}" "${XMLS[0]}" release end -
	rel_hook_wait_all
	rel_expect_bg_quiet_ok "c) round $round: prepare" "c$round-prep" || true
	rel_expect_bg_quiet_ok "c) round $round: release" "c$round-rel" || true
	if [ -e "$(state_file "$STATE_DIR" "${UUIDS[0]}" .state)" ]; then
		C_PREPARED=$((C_PREPARED + 1))
		pid=$(rel_record_pid "${UUIDS[0]}")
		pid_alive "$pid" || bad "c) round $round: prepared, but responder '$pid' does not run"
		ip -n "$POD" -o link show pn-eth0 >/dev/null 2>&1 ||
			bad "c) round $round: prepared, but no bridge pn-eth0"
		expect_eq "c) round $round: processes in the pod" "$pid" "$(ip netns pids "$POD" | xargs)"
		hook_run "c$round-final" "${XMLS[0]}" release end -
		hook_expect_quiet_ok "c) round $round: final release"
		wait_pid_gone "$pid" || bad "c) round $round: responder $pid still runs after release"
	else
		C_RELEASED=$((C_RELEASED + 1))
	fi
	snapshot_expect_same "c) round $round: released" "$TEST_DIR/snap.before"
	expect_state_empty "c) round $round"
	expect_no_pod_processes "c) round $round"
}

lab_begin concurrency
for i in $(seq 0 $((K - 1))); do
	NAMES[i]=vm-c$i
	UUIDS[i]=$(printf '0c0c0c0c-0000-4000-8000-%012d' "$i")
	MACS[i]=52:54:00:12:36:0$i
	XMLS[i]=$TEST_DIR/vm-c$i.xml
	rel_domain_xml "${XMLS[i]}" "${NAMES[i]}" "${UUIDS[i]}" "${MACS[i]}" "eth$i" "pn-eth$i"
done
for shape in $SHAPES; do
	log "=== shape $shape"
	lab_pod "$shape"
	for i in $(seq 1 $((K - 1))); do
		rel_pod_extra "eth$i" "0a:58:a9:fe:$((10 + i)):0a" "169.254.$((10 + i))"
	done
	snapshot "$TEST_DIR/snap.before"
	log "pod: $(ip -n "$POD" -br addr show | xargs)"

	declare -A FAILS=([a]=0 [b]=0 [c]=0)
	C_PREPARED=0 C_RELEASED=0
	for round in $(seq 1 "$ROUNDS"); do
		for part in a b c; do
			before=$ASSERT_FAILS
			log "=== $shape: $part) round $round"
			"round_$part"
			[ "$ASSERT_FAILS" = "$before" ] || FAILS[$part]=$((FAILS[$part] + 1))
		done
	done
	log "summary: $shape: a) $K domains at once: $((ROUNDS - FAILS[a]))/$ROUNDS rounds correct"
	log "summary: $shape: b) one domain, two prepares + two releases at once: $((ROUNDS - FAILS[b]))/$ROUNDS rounds correct"
	log "summary: $shape: c) one domain, prepare + release at once: $((ROUNDS - FAILS[c]))/$ROUNDS rounds correct ($C_PREPARED ended prepared, $C_RELEASED ended released)"
	lab_teardown
done
lab_done
