#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `podnet status`, `validate` and `restore` against a running domain: a pod
# namespace, a node namespace and a fake VM namespace; the hook's prepare run
# as libvirt runs it; the fake VM's udhcpc takes the lease; then the tool's
# human and JSON output are checked against the record, /proc and the log.
# Only 198.51.100.0/24; everything made here is removed by the trap.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
PODNET=${PODNET:-$TOP/build/podnet}
# shellcheck source=tests/lib/domain_xml.sh
. "$TOP/tests/lib/domain_xml.sh"
# shellcheck source=tests/lib/assert.sh
. "$TOP/tests/lib/assert.sh"
RUN=$(printf '%x%04x' "$$" "$RANDOM")
POD=pn-tp-$RUN NODE=pn-tn-$RUN VM=pn-tv-$RUN
POD_IP=198.51.100.10 GW=198.51.100.1 VM_MAC=52:54:00:12:34:56
UUID=$(cat /proc/sys/kernel/random/uuid)
DIR=$(mktemp -d /tmp/podnet-tool.XXXXXX)
STATE=$DIR/state

log() { printf 'tool: %s\n' "$*"; }
in_pod() { ip netns exec "$POD" env PODNET_STATE_DIR="$STATE" "$@"; }

cleanup() {
	local pid
	# Stop a responder left behind by a failed check, by its recorded pid.
	for f in "$STATE"/*.state; do
		[ -e "$f" ] || continue
		pid=$(sed -n 's/^responder \([0-9]*\) .*/\1/p' "$f")
		[ -n "$pid" ] && kill "$pid" 2>/dev/null
	done
	for ns in "$VM" "$POD" "$NODE"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -9 "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$DIR"
}
trap cleanup EXIT

[ -x "$PODNET" ] || die "no binary at $PODNET (run make)"
mkdir -p "$STATE"
ip netns add "$POD" && ip netns add "$NODE" && ip netns add "$VM" ||
	die "cannot create namespaces"
ip -n "$POD" link add eth0 type veth peer name up0 netns "$NODE"
ip -n "$POD" link set eth0 mtu 1400 up
ip -n "$POD" addr add "$POD_IP/24" dev eth0
ip -n "$POD" route add default via "$GW"
ip -n "$NODE" link set up0 mtu 1400 up
ip -n "$NODE" addr add "$GW/24" dev up0
ip -n "$POD" link add vnet0 type veth peer name eth0 netns "$VM"
ip -n "$VM" link set eth0 address "$VM_MAC" up
ip -n "$POD" link set lo up

test_domain_xml tool-vm "$UUID" "$VM_MAC" eth0 pn-eth0 >"$DIR/vm.xml"

log "validate, outside and inside the pod"
out=$(in_pod "$PODNET" validate --pod "$DIR/vm.xml") || bad "validate --pod failed"
grep -q "interface 'eth0' -> bridge 'pn-eth0', VM MAC $VM_MAC, pod IP $POD_IP" <<<"$out" ||
	bad "validate --pod output: $out"
out=$(in_pod "$PODNET" validate --json --pod "$DIR/vm.xml")
[ "$(jq -r '.valid, .uuid, .interfaces[0].pod_ip' <<<"$out" | tr '\n' ' ')" = "true $UUID $POD_IP " ] ||
	bad "validate --json: $out"
sed 's/pod-interface="eth0"/pod-interface="eth9"/' "$DIR/vm.xml" > "$DIR/bad.xml"
in_pod "$PODNET" validate --pod "$DIR/bad.xml" 2>"$DIR/err"
[ $? = 1 ] || bad "validate of a missing pod interface must exit 1"
grep -q "interface 'eth9': not found in the pod" "$DIR/err" || bad "validate: $(cat "$DIR/err")"
sed '/<metadata>/,/<\/metadata>/d' "$DIR/vm.xml" | "$PODNET" validate - 2>/dev/null
[ $? = 3 ] || bad "validate of an untagged domain must exit 3"

log "no domain yet"
out=$(in_pod "$PODNET" status --json) || bad "status with no domain must exit 0"
[ "$out" = "[]" ] || bad "status --json with no domain: $out"
in_pod "$PODNET" status tool-vm >/dev/null 2>&1
[ $? = 3 ] || bad "status of an unknown domain must exit 3"

log "prepare, as libvirt runs it; the fake VM takes the lease"
in_pod "$PODNET" tool-vm prepare begin - <"$DIR/vm.xml" >"$DIR/out" 2>"$DIR/err" ||
	die "prepare failed: $(cat "$DIR/err")"
[ -s "$DIR/out" ] || [ -s "$DIR/err" ] && bad "prepare printed something"
ip -n "$POD" link set vnet0 master pn-eth0 up
ip netns exec "$VM" udhcpc -i eth0 -n -q -f -t 5 -T 1 -s /bin/true >/dev/null 2>&1 ||
	bad "the fake VM got no lease"

pid=$(sed -n 's/^responder \([0-9]*\) .*/\1/p' "$(state_file "$STATE" "$UUID" .state)")
[ -n "$pid" ] && [ -d "/proc/$pid" ] || bad "no running responder recorded (pid '$pid')"

out=$(in_pod "$PODNET" status) || bad "status of a healthy domain must exit 0"
log "status:"; printf '%s\n' "$out"
grep -q "^domain 'tool-vm' ($UUID): serving$" <<<"$out" || bad "status: header"
grep -q "responder: pid $pid, running" <<<"$out" || bad "status: responder"
grep -q "interface 'eth0': pod IP $POD_IP/24, bridge 'pn-eth0', VM MAC $VM_MAC" <<<"$out" ||
	bad "status: interface"
grep -q "lease: $POD_IP acked at " <<<"$out" || bad "status: lease"

out=$(in_pod "$PODNET" status --json tool-vm) || bad "status --json DOMAIN must exit 0"
# The lease note (UUID.lease) is what status reads; the log says the same.
ack=$(awk '$3 == "pn-eth0" { print $5 }' "$(state_file "$STATE" "$UUID" .lease)")
logged=$(grep "bridge 'pn-eth0': ack " "$(state_file "$STATE" "$UUID" .log)" | tail -1 | cut -d' ' -f1)
[ -n "$ack" ] && [ -n "$logged" ] && [ $((ack - logged)) -le 1 ] &&
	[ $((logged - ack)) -le 1 ] || bad "lease note time '$ack', log '$logged'"
want="tool-vm $UUID true true $pid running true true eth0 $POD_IP 24 pn-eth0 $VM_MAC true $POD_IP $ack"
got=$(jq -r '.[0] | [.domain, .uuid, .prepared, .healthy, .responder.pid,
	.responder.state, .responder.alive, .responder.is_responder,
	.interfaces[0].pod_interface, .interfaces[0].pod_ip,
	.interfaces[0].prefix_len, .interfaces[0].bridge, .interfaces[0].vm_mac,
	.interfaces[0].lease.given, .interfaces[0].lease.address,
	.interfaces[0].lease.time] | map(tostring) | join(" ")' <<<"$out")
[ "$got" = "$want" ] || bad "status --json: got '$got', want '$want'"
out=$(in_pod "$PODNET" status --json "$UUID")
[ "$(jq -r '.[0].domain' <<<"$out")" = tool-vm ] || bad "status by UUID: $out"

log "status does not read the log: the lease survives a log in another wording"
sed -i 's/ ack / ACKNOWLEDGED /g; s/bridge/BRIDGE/g' "$(state_file "$STATE" "$UUID" .log)"
out=$(in_pod "$PODNET" status) || bad "status after the log changed must exit 0"
grep -q "lease: $POD_IP acked at " <<<"$out" || bad "status lost the lease with the log's wording: $out"

log "a dead responder is reported"
kill "$pid"
for _ in $(seq 50); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
in_pod "$PODNET" status >"$DIR/out"
[ $? = 1 ] || bad "status with a dead responder must exit 1"
grep -q "responder: pid $pid, dead" "$DIR/out" || bad "status dead: $(cat "$DIR/out")"

log "restore"
out=$(in_pod "$PODNET" restore --json tool-vm) || bad "restore failed: $out"
[ "$(jq -r '.restored, .uuid' <<<"$out" | tr '\n' ' ')" = "true $UUID " ] ||
	bad "restore --json: $out"
[ -e "$(state_file "$STATE" "$UUID" .state)" ] && bad "restore left the record"
ip -n "$POD" link show pn-eth0 >/dev/null 2>&1 && bad "restore left the bridge"
ip -n "$POD" -4 addr show dev eth0 | grep -q "inet $POD_IP/24" || bad "restore: no pod IP"
ip -n "$POD" route show default | grep -q "via $GW dev eth0" || bad "restore: no default route"
in_pod "$PODNET" restore tool-vm 2>/dev/null
[ $? = 3 ] || bad "a second restore must exit 3"
out=$(in_pod "$PODNET" status)
grep -q "manages no domain" <<<"$out" || bad "status after restore: $out"

assert_exit tool
