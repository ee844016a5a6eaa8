#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# IPv6 of the pod (issue 11), for the dual-stack and IPv6-only shapes of
# tests/lib/cni.sh (the real bridge plugin with host-local's IPv6 range, and
# Calico's /128 behind fe80::ecee:eeff:feee:eeee): the record holds the
# pod's IPv6 addresses, routes, router and sysctls before the first change;
# while the VM runs the pod's eth0 has no IPv6 (disable_ipv6=1, no address)
# and the node sees no IPv6 frame from eth0's MAC (no RS, NA, MLD; a packet
# socket on the host side of the veth for a few seconds); release gives the
# pod back exactly (the full snapshot, IPv6 included) and the node reaches
# the pod's IPv6 address again. Then, with the fault build, the hook killed
# after IPv6 went off, and `podnet restore` (the tool) brings it back.
# shellcheck disable=SC2034,SC2153 # HOOK_ENV is read by netns.sh; CNI_* are set by cni.sh
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

lab_begin restore_ipv6
need python3 busybox
QUIET=$LAB_TOP/tests/lib/ipv6_quiet.py
# How long the node listens for the pod's own IPv6 (RS are sent at once,
# MLD reports within a second or two of a change).
LISTEN_S=4
xml=$LAB_DATA/vm1.xml

# The fault-injection twin of the hook under test (plain or ASan/UBSan).
case $PODNET_HOOK in
*build-asan/*) FAULT_HOOK=$LAB_TOP/build-fault-asan/podnet ;;
*) FAULT_HOOK=$LAB_TOP/build-fault/podnet ;;
esac

# shape_begin SHAPE - lab_pod SHAPE, with the pod's IPv6 name server in its
# resolv.conf (the record keeps it: dns6).
shape_begin()
{
	local shape=$1
	lab_pod "$shape"
	echo 'nameserver 2001:db8::53' >>"/etc/netns/$POD/resolv.conf"
	log "$shape: pod $POD eth0 $CNI_POD_MAC ${CNI_POD_IP:-no IPv4} $CNI_POD_IP6/$CNI_WANT_PREFIX6, node side $CNI_HOST_IF"
	ip -n "$POD" -6 -d route show table all | grep -v ' table local ' | sed "s/^/$shape pod route6: /"
}

# ping6_expect WHAT NS IP - NS reaches IP over IPv6 (bounded retries: DAD
# and neighbour discovery settle asynchronously).
ping6_expect()
{
	local _
	for _ in $(seq 1 20); do
		if ip netns exec "$2" busybox ping -6 -c 1 -W 1 "$3" >/dev/null 2>&1; then
			ok "$1"
			return 0
		fi
		sleep 0.2
	done
	bad "$1: no answer from $3"
}

# record_expect WHAT PATTERN - a line of the state record matches PATTERN.
record_expect()
{
	if grep -qE "$2" "$STATE_DIR"/*.state; then
		ok "$1"
	else
		bad "$1: no record line matches '$2':"
		sed 's/^/    /' "$STATE_DIR"/*.state >&2
	fi
}

run_shape()
{
	local shape=$1 snap=$TEST_DIR/snap.$1.before n out cap
	shape_begin "$shape"
	ping6_expect "$shape: node reaches the pod's IPv6 before prepare" "$NODE" "$CNI_POD_IP6"
	snapshot "$snap"

	hook_prepare "$xml"
	lab_fake_vm eth0 "$VM_MAC" vnet0
	lab_attach vnet0 pn-eth0

	record_expect "$shape: record has the pod's IPv6 address" \
		"^addr 0 $CNI_POD_IP6/$CNI_WANT_PREFIX6 "
	record_expect "$shape: record has the IPv6 default route" \
		"^route 0 table 254 dst ::/0 gw $CNI_GW6 "
	record_expect "$shape: record has the router $CNI_WANT_ROUTER6" \
		"^router6 0 $CNI_WANT_ROUTER6 mac [0-9a-f:]{17}$"
	record_expect "$shape: record has the sysctls" \
		"^sysctl6 0 disable_ipv6 0 accept_ra [0-9]+ accept_dad [0-9]+ addr_gen_mode [0-9]+$"
	record_expect "$shape: record has the IPv6 name server" "^dns6 2001:db8::53$"
	if [ -z "$CNI_POD_IP" ]; then
		record_expect "$shape: IPv6-only: no IPv4 address recorded" '^phase ready$'
		if grep -qE '^addr 0 [0-9.]+/' "$STATE_DIR"/*.state; then
			bad "$shape: an IPv4 address in the record of an IPv6-only pod"
		fi
	fi

	expect_eq "$shape: eth0 disable_ipv6 while the VM runs" 1 \
		"$(ip netns exec "$POD" cat /proc/sys/net/ipv6/conf/eth0/disable_ipv6)"
	expect_eq "$shape: IPv6 addresses on eth0 while the VM runs" "" \
		"$(ip -n "$POD" -6 -o addr show dev eth0)"
	expect_eq "$shape: IPv6 addresses on the bridge" "" \
		"$(ip -n "$POD" -6 -o addr show dev pn-eth0)"
	# The pod's stack sends nothing IPv6 toward the node: a packet
	# socket on the node side of the veth, frames from eth0's MAC.
	ip netns exec "$NODE" python3 "$QUIET" "$CNI_HOST_IF" "$CNI_POD_MAC" "$LISTEN_S" \
		>"$TEST_DIR/quiet.$shape" || bad "$shape: the capture failed"
	n=$(head -n 1 "$TEST_DIR/quiet.$shape")
	sed 1d "$TEST_DIR/quiet.$shape" | sed "s/^/$shape: from eth0: /"
	expect_eq "$shape: IPv6 frames from eth0's MAC in ${LISTEN_S}s" 0 "$n"

	out=$(pod_tool status vm1 || true)
	printf '%s\n' "$out" | sed "s/^/$shape status: /"
	expect_match "$shape: status shows the pod's IPv6" "IPv6 $CNI_POD_IP6/$CNI_WANT_PREFIX6" "$out"
	# libvirt deletes the tap before release.
	ip -n "$POD" link del vnet0
	# The control: the same capture, from just before release on, sees
	# the pod's IPv6 once it is back (its router solicitations and MLD
	# reports), so the 0 above counts.
	ip netns exec "$NODE" python3 "$QUIET" "$CNI_HOST_IF" "$CNI_POD_MAC" \
		$((LISTEN_S + 2)) >"$TEST_DIR/loud.$shape" &
	cap=$!
	sleep 0.5
	hook_release "$xml"
	wait "$cap" || bad "$shape: the capture failed"
	n=$(head -n 1 "$TEST_DIR/loud.$shape")
	log "$shape: IPv6 frames from eth0's MAC around release: $n ($(sed 1d "$TEST_DIR/loud.$shape" | sort | uniq -c | xargs))"
	[ "$n" -gt 0 ] || bad "$shape: the capture saw nothing from eth0 after release either: it proves nothing"
	snapshot_expect_same "$shape: prepare + release" "$snap"
	ping6_expect "$shape: node reaches the pod's IPv6 after release" "$NODE" "$CNI_POD_IP6"
	lab_teardown
}

# kill_then_restore SHAPE - the hook SIGKILLed at the steps after "disable
# IPv6 on the pod interface", then `podnet restore`: the pod as before.
kill_then_restore()
{
	local shape=$1 snap=$TEST_DIR/snap.$1.kill k step out rc
	[ -x "$FAULT_HOOK" ] || die "'$FAULT_HOOK' not built (make FAULT=1 [SAN=1])"
	shape_begin "$shape"
	snapshot "$snap"
	for step in "create bridge" "add to bridge"; do
		# The step's number, from a failing run (fail:K names it).
		for k in $(seq 1 20); do
			HOOK_ENV=(PODNET_FAULT="fail:$k")
			PODNET_HOOK=$FAULT_HOOK hook_run "probe$k" "$xml" prepare begin -
			HOOK_ENV=()
			[[ $HOOK_ERRTEXT != *"'$step'"* ]] || break
		done
		HOOK_ENV=(PODNET_FAULT="crash:$k")
		PODNET_HOOK=$FAULT_HOOK hook_run "crash$k" "$xml" prepare begin -
		HOOK_ENV=()
		expect_eq "$shape: killed at '$step' (step $k)" 137 "$HOOK_RC"
		expect_eq "$shape: killed at '$step': eth0 disable_ipv6" 1 \
			"$(ip netns exec "$POD" cat /proc/sys/net/ipv6/conf/eth0/disable_ipv6)"
		expect_tool_restore "$shape: killed at '$step'" "$snap"
		expect_state_empty "$shape: killed at '$step', podnet restore"
	done
	lab_teardown
}

for shape in $(cni_shapes_ipv6); do
	log "=== $shape"
	run_shape "$shape"
done
log "=== bridge-dual: killed, then podnet restore"
kill_then_restore bridge-dual
lab_done
