#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# br_netfilter in the pod (issue 26): where the kernel has it, a new network
# namespace starts with net.bridge.bridge-nf-call-{iptables,ip6tables,
# arptables} = 1, and the pod's bridge would hand every frame of the VM to
# the pod's iptables. On a pod of the real CNI bridge plugin: the record
# keeps the values prepare found ("brnf" line), they are 0 while the VM
# runs and the VM's TCP still works, release puts back exactly what was
# there (also a mix: one of them 0 before stays 0); a prepare that fails
# after turning them off (the fault build, the step after "turn
# bridge-nf-call off" and the last one) leaves them as they were; with
# /proc/sys read-only (the hook in a mount namespace of its own, /proc/sys
# bound read-only) prepare succeeds, they stay 1, release leaves them 1.
# The pod's full snapshot (tests/lib/snapshot.sh, these sysctls included)
# is compared after each release.
# shellcheck disable=SC2034,SC2153 # HOOK_ENV is read by netns.sh; CNI_* are set by cni.sh
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

lab_begin brnf
need python3 busybox unshare
xml=$LAB_DATA/vm1.xml
KEYS="iptables ip6tables arptables"

case $PODNET_HOOK in
*build-asan/*) FAULT_HOOK=$LAB_TOP/build-fault-asan/podnet ;;
*) FAULT_HOOK=$LAB_TOP/build-fault/podnet ;;
esac

# brnf_now - "A B C": the three sysctls in the pod, in KEYS order.
brnf_now()
{
	local k out=
	for k in $KEYS; do
		out="$out $(ip netns exec "$POD" cat "/proc/sys/net/bridge/bridge-nf-call-$k")"
	done
	echo "${out# }"
}

brnf_set()
{
	local v i=0 k
	read -ra v <<<"$1"
	for k in $KEYS; do
		ip netns exec "$POD" sysctl -qw "net.bridge.bridge-nf-call-$k=${v[$i]}"
		i=$((i + 1))
	done
}

# The VM's TCP through the bridge: the node reaches a listener in the fake
# VM (busybox nc), so the frames crossed the bridge with the sysctls as set.
vm_tcp_expect()
{
	local what=$1 got
	ip -n "$VM" addr add "$CNI_POD_IP/24" dev eth0 2>/dev/null || true
	ip -n "$VM" route replace default via "$CNI_GW"
	ip netns exec "$VM" timeout 10 busybox nc -l -p 7001 -e echo vm-here \
		>/dev/null 2>&1 &
	local nc=$!
	LAB_PIDS+=("$nc")
	got=
	for _ in $(seq 1 25); do
		got=$(ip netns exec "$NODE" timeout 2 busybox nc "$CNI_POD_IP" 7001 </dev/null 2>/dev/null || true)
		[ -z "$got" ] || break
		sleep 0.2
	done
	expect_eq "$what: the node reaches TCP in the VM" vm-here "$got"
	kill "$nc" 2>/dev/null || true
}

if [ ! -e /proc/sys/net/bridge/bridge-nf-call-iptables ] &&
	! unshare -n test -e /proc/sys/net/bridge/bridge-nf-call-iptables; then
	log "this kernel has no br_netfilter: only the record's absent values are checked"
	NO_BRNF=1
else
	NO_BRNF=0
fi

log "=== a fresh namespace's defaults, prepare, release"
lab_pod bridge
if [ "$NO_BRNF" = 1 ]; then
	hook_prepare "$xml"
	if grep -qx 'brnf iptables -1 ip6tables -1 arptables -1' "$STATE_DIR"/*.state; then
		ok "no br_netfilter: the record says absent"
	else
		bad "no br_netfilter: the record's brnf line: $(grep '^brnf' "$STATE_DIR"/*.state)"
	fi
	hook_release "$xml"
	lab_done
fi
expect_eq "a fresh pod namespace's bridge-nf-call-*" "1 1 1" "$(brnf_now)"
snap=$TEST_DIR/snap.before
snapshot "$snap"
hook_prepare "$xml"
if grep -qx 'brnf iptables 1 ip6tables 1 arptables 1' "$STATE_DIR"/*.state; then
	ok "the record keeps the values found"
else
	bad "the record's brnf line: $(grep '^brnf' "$STATE_DIR"/*.state || echo none)"
fi
expect_eq "bridge-nf-call-* while the VM runs" "0 0 0" "$(brnf_now)"
lab_fake_vm eth0 "$VM_MAC" vnet0
lab_attach vnet0 pn-eth0
vm_tcp_expect "sysctls off"
ip -n "$POD" link del vnet0
hook_release "$xml"
expect_eq "bridge-nf-call-* after release" "1 1 1" "$(brnf_now)"
snapshot_expect_same "prepare + release" "$snap"

log "=== a mix: ip6tables 0 before"
brnf_set "1 0 1"
snapshot "$snap"
hook_prepare "$xml"
expect_eq "mix: while the VM runs" "0 0 0" "$(brnf_now)"
hook_release "$xml"
expect_eq "mix: after release" "1 0 1" "$(brnf_now)"
snapshot_expect_same "mix: prepare + release" "$snap"
brnf_set "1 1 1"

log "=== failed prepares, after the sysctls went off"
[ -x "$FAULT_HOOK" ] || die "'$FAULT_HOOK' not built (make FAULT=1 [SAN=1])"
snapshot "$snap"
first=
last=
for k in $(seq 1 40); do
	HOOK_ENV=(PODNET_FAULT="fail:$k")
	PODNET_HOOK=$FAULT_HOOK hook_run "fail$k" "$xml" prepare begin -
	HOOK_ENV=()
	if [ "$HOOK_RC" = 0 ]; then
		hook_release "$xml"
		break
	fi
	case $HOOK_ERRTEXT in
	*"turn bridge-nf-call off"*) first=$((k + 1)) ;;
	esac
	last=$k
done
[ -n "$first" ] || die "no fault point 'turn bridge-nf-call off' in the fault build"
for k in $first $last; do
	HOOK_ENV=(PODNET_FAULT="fail:$k")
	PODNET_HOOK=$FAULT_HOOK hook_run "fail$k" "$xml" prepare begin -
	HOOK_ENV=()
	hook_expect_error "fail:$k ($HOOK_ERRTEXT)"
	expect_eq "fail:$k: bridge-nf-call-* as before" "1 1 1" "$(brnf_now)"
	snapshot_expect_same "fail:$k" "$snap"
	expect_state_empty "fail:$k"
done

log "=== /proc/sys read-only"
ro_hook=$TEST_DIR/ro_hook.sh
cat >"$ro_hook" <<EOF
#!/bin/sh
# The hook with /proc/sys read-only, in a mount namespace of its own (ip
# netns exec made one, slave to the root's: nothing leaks back).
mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys || exit 99
exec "$PODNET_HOOK" "\$@"
EOF
chmod 755 "$ro_hook"
snapshot "$snap"
PODNET_HOOK=$ro_hook hook_prepare "$xml"
expect_eq "read-only /proc/sys: bridge-nf-call-* while the VM runs" "1 1 1" "$(brnf_now)"
lab_fake_vm eth0 "$VM_MAC" vnet0
lab_attach vnet0 pn-eth0
vm_tcp_expect "read-only /proc/sys"
ip -n "$POD" link del vnet0
PODNET_HOOK=$ro_hook hook_release "$xml"
expect_eq "read-only /proc/sys: after release" "1 1 1" "$(brnf_now)"
snapshot_expect_same "read-only /proc/sys: prepare + release" "$snap"
lab_teardown
lab_done
