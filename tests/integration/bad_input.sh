#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every refused prepare: exit 1, exactly one stderr line "podnet: ...", empty
# stdout, the pod unchanged, no state, no responder; the stopped + release
# that libvirt runs after it change nothing either (a user's own bridge
# stays). Untagged domains and the other events: exit 0, silent, no change.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

D=$LAB_DATA
MESSAGES=()

# after_failed_prepare WHAT XML - libvirt's stopped + release after a failed
# prepare: exit 0 and no change.
after_failed_prepare()
{
	local w=$1 xml=$2 ev
	for ev in "stopped end -" "release end -"; do
		# shellcheck disable=SC2086
		hook_run "${ev%% *}" "$xml" $ev
		expect_eq "$w: ${ev%% *} after the failed prepare: exit status" 0 "$HOOK_RC"
		[ ! -s "$HOOK_OUT" ] || bad "$w: ${ev%% *}: stdout not empty"
	done
	snapshot_expect_same "$w: after stopped + release" "$TEST_DIR/snap.before"
	expect_state_empty "$w: after release"
}

# refused NAME XML [SETUP...] - a fresh subnet pod, SETUP run on it, then a
# prepare that must be refused cleanly.
refused()
{
	local name=$1 xml=$2
	shift 2
	log "=== $name"
	lab_pod subnet
	if [ $# -gt 0 ]; then
		"$@"
	fi
	snapshot "$TEST_DIR/snap.before"
	hook_run "$name" "$xml" prepare begin -
	hook_expect_error "$name"
	MESSAGES+=("$name: $HOOK_ERRTEXT")
	snapshot_expect_same "$name" "$TEST_DIR/snap.before"
	expect_state_empty "$name"
	expect_no_pod_processes "$name"
	after_failed_prepare "$name" "$xml"
	lab_teardown
}

eth0_down() { ip -n "$POD" link set eth0 down; }
eth0_no_ipv4() { ip -n "$POD" -4 addr flush dev eth0; }
bridge_exists() { ip -n "$POD" link add pn-eth0 type bridge; }
# A second link to the node, and a multipath route over both: podnet
# cannot record it, so it must refuse rather than lose it at release.
multipath_route() {
	ip -n "$POD" link add eth9 type veth peer name n-eth9 netns "$NODE"
	ip -n "$POD" link set eth9 up
	ip -n "$POD" addr add 169.254.90.10/24 dev eth9
	ip -n "$POD" route add 169.254.91.0/24 nexthop via "$POD_GW" dev eth0 \
		nexthop via 169.254.90.1 dev eth9
}
# The same for IPv6 (issue 11): a multipath IPv6 route through eth0.
multipath_route6() {
	ip -n "$POD" link add eth9 type veth peer name n-eth9 netns "$NODE"
	ip -n "$POD" link set eth9 up
	ip -n "$POD" addr add 2001:db8:1::10/64 dev eth0 nodad
	ip -n "$POD" route add 2001:db8:91::/48 nexthop via fe80::1 dev eth0 \
		nexthop via fe80::2 dev eth9
}

lab_begin bad_input
refused malformed-xml "$D/bad-malformed.xml"
refused tag-mac-matches-no-interface "$D/bad-mac-nomatch.xml"
refused interface-not-bridge "$D/bad-not-bridge.xml"
refused missing-pod-interface "$D/bad-no-pod-iface.xml"
refused pod-interface-down "$D/vm1.xml" eth0_down
refused pod-interface-no-ipv4 "$D/vm1.xml" eth0_no_ipv4
refused bridge-name-too-long "$D/bad-bridge-too-long.xml"
refused bridge-exists "$D/vm1.xml" bridge_exists
refused two-tags-one-pod-interface "$D/bad-two-tags.xml"
refused dtd-entity "$D/bad-dtd-entity.xml"
refused multipath-route "$D/vm1.xml" multipath_route
refused multipath-route6 "$D/vm1.xml" multipath_route6

# A stdin whose read fails (a directory: EISDIR) must not be taken for a
# short domain definition.
log "=== stdin that errors"
lab_pod subnet
snapshot "$TEST_DIR/snap.before"
hook_run stdin-error / prepare begin -
hook_expect_error "stdin that errors"
expect_match "stdin that errors: message" \
	"^podnet: domain 'vm1': cannot read the domain XML from stdin: Is a directory$" \
	"$HOOK_ERRTEXT"
snapshot_expect_same "stdin that errors" "$TEST_DIR/snap.before"
expect_state_empty "stdin that errors"
lab_teardown

log "=== untagged domain and other events"
lab_pod subnet
snapshot "$TEST_DIR/snap.before"
for ev in "prepare begin -" "start begin -" "started begin -" \
	"stopped end -" "release end -"; do
	# shellcheck disable=SC2086
	hook_run "untagged-${ev%% *}" "$D/vm1-untagged.xml" $ev
	hook_expect_quiet_ok "untagged: $ev"
done
snapshot_expect_same "untagged domain" "$TEST_DIR/snap.before"
expect_state_empty "untagged domain"
expect_no_pod_processes "untagged domain"
for ev in "start begin -" "started begin -" "stopped end -" \
	"restore begin -" "attach begin -"; do
	# shellcheck disable=SC2086
	hook_run "event-${ev%% *}" "$D/vm1.xml" $ev
	hook_expect_quiet_ok "tagged: $ev"
done
snapshot_expect_same "other events" "$TEST_DIR/snap.before"
expect_state_empty "other events"
# `migrate` (an incoming live migration) only leaves its marker for the
# next prepare; a release (the migration cancelled before prepare) takes it.
hook_run event-migrate "$D/vm1.xml" migrate begin -
hook_expect_quiet_ok "tagged: migrate begin -"
expect_eq "migrate: only the incoming marker" incoming \
	"$(find "$STATE_DIR" -mindepth 1 -printf '%f\n' | sed 's/.*\.//' | sort | tr '\n' ' ' | xargs)"
hook_run event-release "$D/vm1.xml" release end failed
hook_expect_quiet_ok "release after a migrate alone"
snapshot_expect_same "migrate, then release" "$TEST_DIR/snap.before"
expect_state_empty "migrate, then release"
expect_no_pod_processes "other events"
lab_teardown

log "messages seen:"
for m in "${MESSAGES[@]}"; do
	log "  $m"
done
lab_done
