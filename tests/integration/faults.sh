#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Fault injection (build-fault/podnet, made with FAULT=1): every step k of
# prepare made to fail leaves the pod exactly as it was, with one error line,
# no record and no process; the hook killed (SIGKILL) at every step k is
# recovered both ways: by a following release (pod restored exactly) and by a
# following prepare (which completes; release then restores). Both MAC modes.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

# The fault-injection twin of the hook under test (plain or ASan/UBSan).
case $PODNET_HOOK in
*build-asan/*) PODNET_HOOK=$LAB_TOP/build-fault-asan/podnet ;;
*) PODNET_HOOK=$LAB_TOP/build-fault/podnet ;;
esac
xml=$LAB_DATA/vm1.xml
# More steps than prepare has: the sweep ends at the first k that passes.
MAX_STEPS=40

# pod_restored WHAT - the pod as before, nothing of podnet's left.
pod_restored()
{
	snapshot_expect_same "$1" "$TEST_DIR/snap.before"
	expect_state_empty "$1"
	expect_no_pod_processes "$1"
}

# sweep_fail - returns the number of steps N in STEPS.
sweep_fail()
{
	local k
	STEPS=
	for k in $(seq 1 $MAX_STEPS); do
		HOOK_ENV=(PODNET_FAULT=fail:$k)
		hook_run "fail$k" "$xml" prepare begin -
		HOOK_ENV=()
		if [ "$HOOK_RC" = 0 ]; then
			STEPS=$((k - 1))
			hook_release "$xml"
			break
		fi
		hook_expect_error "$MODE: fail:$k"
		log "fail:$k: $HOOK_ERRTEXT"
		pod_restored "$MODE: fail:$k"
	done
	[ -n "$STEPS" ] || fail "prepare never completed within $MAX_STEPS steps"
	[ "$STEPS" -ge 7 ] || bad "$MODE: only $STEPS fault points were reached"
}

# crash_then KIND K - kill the hook at step K, then recover with KIND.
crash_then()
{
	local kind=$1 k=$2 pid
	HOOK_ENV=(PODNET_FAULT=crash:$k)
	hook_run "crash$k" "$xml" prepare begin -
	HOOK_ENV=()
	expect_eq "$MODE: crash:$k: killed" 137 "$HOOK_RC"
	if [ "$kind" = prepare ]; then
		hook_run "retry$k" "$xml" prepare begin -
		hook_expect_quiet_ok "$MODE: crash:$k then prepare"
		pid=$(state_responder_pid)
		pid_alive "$pid" || bad "$MODE: crash:$k then prepare: no responder"
		# Only the new responder runs: a half-started one has gone.
		sleep 1.5
		expect_eq "$MODE: crash:$k then prepare: processes in the pod" \
			1 "$(ip netns pids "$POD" | wc -l)"
		RESPONDER_PID=$pid
	fi
	hook_release "$xml"
	pod_restored "$MODE: crash:$k then $kind, then release"
}

lab_begin faults  # fails at once if $PODNET_HOOK is not built (make FAULT=1 [SAN=1])
for MODE in vm-mac pod-mac; do
	log "=== $MODE"
	[ "$MODE" = pod-mac ] && POD_MAC=$VM_MAC
	lab_pod subnet
	snapshot "$TEST_DIR/snap.before"
	sweep_fail
	log "$MODE: fail at each of $STEPS steps: pod restored each time"
	for k in $(seq 1 "$STEPS"); do
		crash_then release "$k"
		crash_then prepare "$k"
	done
	log "$MODE: killed at each of $STEPS steps, recovered by release and by prepare"
	lab_teardown
done
lab_done
