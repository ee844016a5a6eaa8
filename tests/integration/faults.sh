#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Fault injection (build-fault/podnet, made with FAULT=1): every step k of
# prepare made to fail leaves the pod exactly as it was, with one error line,
# no record and no process; the hook killed (SIGKILL) at every step k is
# recovered both ways: by a following release (pod restored exactly) and by a
# following prepare (which completes; release then restores). Both MAC modes
# on the lab's subnet pod; then the same sweeps on a /32 Calico pod (both MAC
# modes) and a ptp pod as tests/lib/cni.sh makes them (their restore has
# routes that depend on each other: the gateway's scope-link route before the
# routes via it), and a dual-stack pod of the real bridge plugin (bridge-dual:
# its IPv6 addresses, routes and sysctls come back too).
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"
. "$(dirname "$0")/../lib/vmcheck.sh"

# The fault-injection twin of the hook under test (plain or ASan/UBSan).
case $PODNET_HOOK in
*build-asan/*) PODNET_HOOK=$LAB_TOP/build-fault-asan/podnet ;;
*) PODNET_HOOK=$LAB_TOP/build-fault/podnet ;;
esac
xml=$LAB_DATA/vm1.xml
# More steps than prepare has: the sweep ends at the first k that passes.
MAX_STEPS=40

# pod_restored WHAT - the pod as before, nothing of podnet's left.
# Sets POD_BROKEN=1 when the pod's state differs: every later comparison
# with that snapshot would only repeat the difference, so the sweep goes on
# with a fresh pod (pod_renew).
pod_restored()
{
	local e=$ASSERT_FAILS
	snapshot_expect_same "$1" "$TEST_DIR/snap.before"
	[ "$ASSERT_FAILS" = "$e" ] || POD_BROKEN=1
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
		log "fail:$k: $HOOK_ERRTEXT"
		# Stopped: only count the steps (for the crash sweep).
		[ "$SWEEP_STOP" = 0 ] || continue
		hook_expect_error "$MODE: fail:$k"
		pod_restored "$MODE: fail:$k"
		pod_renew
	done
	[ -n "$STEPS" ] || die "prepare never completed within $MAX_STEPS steps"
	[ "$STEPS" -ge 7 ] || bad "$MODE: only $STEPS fault points were reached"
}

# crash_then KIND K - kill the hook at step K, then recover with KIND.
crash_then()
{
	local kind=$1 k=$2 pid i
	hook_crash_at "$k" "$MODE" "$xml"
	if [ "$kind" = prepare ]; then
		hook_run "retry$k" "$xml" prepare begin -
		hook_expect_quiet_ok "$MODE: crash:$k then prepare"
		pid=$(state_responder_pid)
		pid_alive "$pid" || bad "$MODE: crash:$k then prepare: no responder"
		# Only the new responder runs: a half-started one has gone (poll,
		# bounded, until the pod's processes are exactly the recorded one).
		for i in $(seq 1 30); do
			[ "$(ip netns pids "$POD" | xargs)" != "$pid" ] || break
			sleep 0.1
		done
		expect_eq "$MODE: crash:$k then prepare: processes in the pod" \
			"$pid" "$(ip netns pids "$POD" | xargs)"
		RESPONDER_PID=$pid
	fi
	hook_release "$xml"
	pod_restored "$MODE: crash:$k then $kind, then release"
}

# pod_make - a fresh pod for MODE: the lab's subnet pod (vm-mac, pod-mac:
# the VM carries the pod's MAC) or a cni.sh shape (calico-pod-mac: a Calico
# pod whose MAC the VM carries, so that the "change MAC" step runs); then
# its snapshot.
pod_make()
{
	case $MODE in
	vm-mac | pod-mac) lab_pod subnet ;;
	*)
		shape_pod "${MODE%-pod-mac}"
		if [ "$MODE" = calico-pod-mac ]; then
			ip -n "$POD" link set eth0 address "$VM_MAC" || die "set the pod's MAC"
		fi
		;;
	esac
	POD_BROKEN=0
	snapshot "$TEST_DIR/snap.before"
}

# pod_renew - after a failed restore, go on with a fresh pod (one reported
# difference, not the same one again at every later step).
# After MAX_BROKEN of them the sweep of MODE stops (failed; each costs the
# bounded wait of snapshot_expect_same, and the next MODE still runs).
MAX_BROKEN=3
pod_renew()
{
	[ "$POD_BROKEN" = 1 ] || return 0
	N_BROKEN=$((N_BROKEN + 1))
	if [ "$N_BROKEN" -ge "$MAX_BROKEN" ]; then
		bad "$MODE: this sweep stops after $N_BROKEN failed restores"
		SWEEP_STOP=1
		return 0
	fi
	log "$MODE: the pod is no longer as it was: the sweep goes on with a fresh pod"
	lab_teardown
	pod_make
}

# sweep_pod - every fail:K, and every crash:K then release, and then
# prepare and release, on a fresh pod of MODE.
sweep_pod()
{
	local k e=$ASSERT_FAILS
	N_BROKEN=0
	SWEEP_STOP=0
	pod_make
	sweep_fail
	log "$MODE: fail at each of $STEPS steps: $((ASSERT_FAILS - e)) failed checks"
	e=$ASSERT_FAILS
	# The crash sweep on a fresh pod, with its own MAX_BROKEN.
	if [ "$N_BROKEN" != 0 ]; then
		lab_teardown
		pod_make
		N_BROKEN=0
		SWEEP_STOP=0
	fi
	for k in $(seq 1 "$STEPS"); do
		crash_then release "$k"
		pod_renew
		[ "$SWEEP_STOP" = 0 ] || break
		crash_then prepare "$k"
		pod_renew
		[ "$SWEEP_STOP" = 0 ] || break
	done
	log "$MODE: killed at each of $STEPS steps, recovered by release and by" \
		"prepare: $((ASSERT_FAILS - e)) failed checks"
	lab_teardown
}

lab_begin faults  # fails at once if $PODNET_HOOK is not built (make FAULT=1 [SAN=1])
# PODNET_FAULT_MODES="bridge-dual" runs only those (diagnosis).
for MODE in ${PODNET_FAULT_MODES:-vm-mac pod-mac calico ptp calico-pod-mac bridge-dual}; do
	log "=== $MODE"
	[ "$MODE" != pod-mac ] || POD_MAC=$VM_MAC
	sweep_pod
done
lab_done
