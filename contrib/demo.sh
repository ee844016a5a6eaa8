#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# podnet, shown end to end (what `make demo` runs, as root, after
# tests/deps.sh and `make`): a pod network namespace like a CNI plugin makes
# it, libvirtd running inside the pod with podnet as its qemu hook, a small
# guest that gets the pod's own IP by DHCP and is reached from the node at that
# IP, and the pod's network put back exactly when the VM stops.
#
# Everything happens inside two network namespaces made for the demo
# (198.51.100.0/24 only) and is removed at the end, also on Ctrl-C or failure.
# Env: PODNET_HOOK (default build/podnet), DEMO_SHAPE=bridge|ptp|calico|cilium|aws.
set -eu

cd "$(dirname "$0")/.."
# shellcheck source=tests/lib/guest.sh
. tests/lib/guest.sh
# shellcheck source=tests/lib/libvirt_lab.sh
. tests/lib/libvirt_lab.sh

SHAPE=${DEMO_SHAPE:-bridge}

if [ -t 1 ]; then B=$(printf '\033[1m') N=$(printf '\033[0m'); else B='' N=''; fi
step() { printf '\n%s==> %s%s\n' "$B" "$*" "$N"; }
say() { printf '    %s\n' "$*"; }
show() { # CMD...: print the command, then its indented output
	printf '    $ %s\n' "$*"
	"$@" 2>&1 | sed 's/^/      /'
}

[ "$(id -u)" = 0 ] || { echo "demo: run as root (it creates network namespaces)" >&2; exit 1; }
[ -x "$PODNET_HOOK" ] || { echo "demo: $PODNET_HOOK missing: run 'make' first" >&2; exit 1; }

step "Building the demo guest (Debian kernel + busybox initramfs; cached after the first run)"
guest_build

lv_init
step "Creating a node and a pod namespace, the pod network made as the $SHAPE CNI makes it"
say "(libvirtd is started inside the pod with podnet installed as /etc/libvirt/hooks/qemu)"
lv_up "$SHAPE"
POD=$LV_POD NODE=$LV_NODE
say "pod namespace: $POD    node namespace: $NODE"

step "The pod's network, as the CNI plugin left it"
show ip -n "$POD" -br link
show ip -n "$POD" -4 -br addr
show ip -n "$POD" route
show cat "/etc/netns/$POD/resolv.conf"
lv_pod_snapshot >"$LV_DIR/before"

step "A domain tagged for podnet (in <metadata>, namespace urn:podnet:xmlns:1)"
SERIAL=$LV_DIR/serial.log
lv_domain_xml vm1 "$GUEST_DIR/vmlinuz" "$GUEST_DIR/initrd.gz" "$SERIAL" >"$LV_DIR/vm1.xml"
sed -n '/<metadata>/,/<\/metadata>/p; /<interface/,/<\/interface>/p' "$LV_DIR/vm1.xml" | sed 's/^/    /'
lv_virsh define "$LV_DIR/vm1.xml" >/dev/null

step "virsh start vm1 (libvirt runs the podnet hook at 'prepare')"
t0=$(lv_now_ms)
lv_virsh start vm1
say "virsh start took $(($(lv_now_ms) - t0)) ms"

step "Inside the pod now: eth0 is a port of the bridge, its address handed to the VM"
show ip -n "$POD" -br link
show ip -n "$POD" -4 -br addr
show ip netns exec "$POD" bridge link
say "podnet's responder:"
for f in "$LV_RUN"/podnet/*.state; do
	[ -e "$f" ] || continue
	pid=$(awk '$1 == "responder" { print $2; exit }' "$f")
	[ -z "$pid" ] || show ps -o pid,user,args -p "$pid"
done

step "Waiting for the guest to boot (TCG emulation: can take a while on a busy machine)"
if ! lv_wait 240 grep -aq PODNET-READY "$SERIAL"; then
	echo "demo: the guest did not report a lease within 240 s; serial console:" >&2
	tail -n 30 "$SERIAL" >&2
	exit 1
fi
say "guest ready $(($(lv_now_ms) - t0)) ms after virsh start; its DHCP client said:"
grep -a 'PODNET-LEASE' "$SERIAL" | tail -n 1 | tr -d '\r' | tr ' ' '\n' | sed -n '2,12p' | sed 's/^/      /'

step "From the node: the VM answers at the pod's IP"
show ip netns exec "$NODE" curl -sS --max-time 10 --retry 5 --retry-all-errors --retry-delay 2 "http://$LV_POD_IP:8080/"

step "virsh destroy vm1 (libvirt runs the podnet hook at 'release')"
lv_virsh destroy vm1

step "The pod's network is back as it was"
show ip -n "$POD" -br link
show ip -n "$POD" -4 -br addr
show ip -n "$POD" route
lv_pod_snapshot >"$LV_DIR/after"
if diff -u "$LV_DIR/before" "$LV_DIR/after" >"$LV_DIR/diff"; then
	say "identical to the snapshot taken before start (links, addresses, routes and rules of both families, permanent neighbours, sysctls, resolv.conf)"
else
	say "DIFFERENT from before:"
	sed 's/^/      /' "$LV_DIR/diff"
	exit 1
fi

step "Tearing down the demo namespaces"
lv_down
say "done"
