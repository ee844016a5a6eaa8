#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Calico-shaped pod (/32 address, default via 169.254.1.1 onlink): udhcpc gets
# 198.51.100.10/32 and option 121 with the on-link /32 for the gateway before
# the default; configured from that, the VM is reachable from the node at the
# pod IP. Release restores the pod.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

lab_begin calico
need busybox curl
lab_pod calico-onlink
snapshot "$TEST_DIR/snap.before"

hook_prepare "$LAB_DATA/vm1.xml"
lab_fake_vm eth0 "$VM_MAC" vnet0
lab_attach vnet0 pn-eth0

udhcpc_run eth0 eth0
expect_udhcpc_lease udhcpc "$LEASE_FILE" "$POD_IP" 32 "" "$POD_MTU"
routes=$(lease_get "$LEASE_FILE" staticroutes)
expect_eq "udhcpc staticroutes" "$CALICO_GW/32 0.0.0.0 0.0.0.0/0 $CALICO_GW" "$routes"

# Configure the VM from the lease as a guest's DHCP script would.
ip -n "$VM" link set eth0 mtu "$(lease_get "$LEASE_FILE" mtu)"
ip -n "$VM" addr add "$(lease_get "$LEASE_FILE" ip)/$(lease_get "$LEASE_FILE" mask)" dev eth0
set -- $routes
while [ $# -ge 2 ]; do
	if [ "$2" = 0.0.0.0 ]; then
		ip -n "$VM" route add "$1" dev eth0 scope link
	else
		ip -n "$VM" route add "$1" via "$2" dev eth0
	fi
	shift 2
done
ip -n "$VM" route show | sed 's/^/vm route: /'

# A web server in the VM; the node fetches from the pod IP.
mkdir -p "$TEST_DIR/www"
echo "podnet-calico-$LAB_RUN" >"$TEST_DIR/www/index.html"
ip netns exec "$VM" busybox httpd -f -p 8080 -h "$TEST_DIR/www" &
LAB_PIDS+=("$!")
got=
for i in $(seq 1 40); do
	got=$(ip netns exec "$NODE" curl -sS --max-time 3 \
		"http://$POD_IP:8080/index.html" 2>/dev/null) && break
	sleep 0.25
done
expect_eq "node fetches from the VM at $POD_IP" "podnet-calico-$LAB_RUN" "$got"
if ip netns exec "$NODE" busybox ping -c 1 -W 3 "$POD_IP" >/dev/null; then
	ok "node pings the VM at $POD_IP"
else
	bad "node cannot ping the VM at $POD_IP"
fi
if ip netns exec "$VM" busybox ping -c 1 -W 3 "$CALICO_GW" >/dev/null; then
	ok "VM pings its gateway $CALICO_GW"
else
	bad "VM cannot ping its gateway $CALICO_GW"
fi

kill "${LAB_PIDS[@]}" 2>/dev/null || true
ip -n "$POD" link del vnet0
hook_release "$LAB_DATA/vm1.xml"
snapshot_expect_same "after release" "$TEST_DIR/snap.before"
lab_done
