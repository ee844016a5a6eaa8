#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The hook SIGKILLed in the window between forking the responder and
# recording it (fault build: crash at the steps from "start responder" on):
# when the following release returns, no responder of the domain is left,
# checked at once (no waiting it away); a following prepare leaves exactly
# one responder at once; and a prepare over a live unrecorded responder
# never lets two serve. Subnet pods, and pods as their CNIs make them
# (tests/lib/cni.sh): Calico (/32), the real ptp plugin (/24, no prefix
# route) and the real bridge plugin with IPv6 (bridge-dual).
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

case $PODNET_HOOK in
*build-asan/*) PODNET_HOOK=$LAB_TOP/build-fault-asan/podnet ;;
*) PODNET_HOOK=$LAB_TOP/build-fault/podnet ;;
esac
xml=$LAB_DATA/vm1.xml

# responders_now - the responder processes in the pod right now.
responders_now()
{
	local p n=0
	for p in $(ip netns pids "$POD"); do
		case $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) in
		"podnet-responder --responder "*) n=$((n + 1)) ;;
		esac
	done
	echo "$n"
}

# window_steps - sets WINDOW to the fault steps from starting the responder
# to recording it, found by name with a fail sweep (so that a new step
# elsewhere moves nothing here).
window_steps()
{
	local k
	WINDOW=
	for k in $(seq 1 40); do
		HOOK_ENV=(PODNET_FAULT=fail:$k)
		hook_run "probe$k" "$xml" prepare begin -
		HOOK_ENV=()
		if [ "$HOOK_RC" = 0 ]; then
			hook_release "$xml"
			break
		fi
		case $HOOK_ERRTEXT in
		*"'start responder'"* | *"'responder forked'"* | *"cannot record the responder"*)
			WINDOW="$WINDOW $k" ;;
		esac
	done
	log "$SHAPE: the fork-to-record window is steps$WINDOW"
	[ -n "$WINDOW" ] || die "no fault step in the fork-to-record window"
}

lab_begin kill_window
for SHAPE in subnet calico ptp bridge-dual; do
	log "=== $SHAPE"
	lab_pod "$SHAPE"
	snapshot "$TEST_DIR/snap.before"
	window_steps
	for k in $WINDOW; do
		for then in release prepare; do
			hook_crash_at "$k" "$SHAPE" "$xml"
			if [ "$then" = prepare ]; then
				hook_run "again$k" "$xml" prepare begin -
				hook_expect_quiet_ok "$SHAPE: crash:$k, prepare"
				expect_eq "$SHAPE: crash:$k, prepare: responders at once" \
					1 "$(responders_now)"
			fi
			hook_run "release$k" "$xml" release end -
			hook_expect_quiet_ok "$SHAPE: crash:$k, $then, release"
			expect_eq "$SHAPE: crash:$k, $then, release: responders at once" \
				0 "$(responders_now)"
			expect_state_empty "$SHAPE: crash:$k, $then, release"
			snapshot_expect_same "$SHAPE: crash:$k, $then, release" \
				"$TEST_DIR/snap.before"
		done
	done
	lab_teardown
done
lab_done
