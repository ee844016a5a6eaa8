#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# busybox udhcpc in a fake VM gets the subnet pod's identity from podnet's
# responder; release puts the pod back exactly and ends the responder.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

lab_begin dhcp_udhcpc
lab_pod subnet
snapshot "$TEST_DIR/snap.before"

hook_prepare "$LAB_DATA/vm1.xml"
lab_fake_vm eth0 "$VM_MAC" vnet0
lab_attach vnet0 pn-eth0

udhcpc_run eth0 eth0
expect_udhcpc_lease udhcpc "$LEASE_FILE" "$POD_IP" 24 "$POD_GW" "$POD_MTU"
routes=$(lease_get "$LEASE_FILE" staticroutes)
if [ -n "$routes" ]; then
	# With option 121 the client ignores option 3: the default must be in it.
	expect_match "udhcpc staticroutes has the default" \
		"(^| )0\.0\.0\.0/0 $POD_GW( |$)" "$routes"
fi

# Another MAC on the same bridge gets no answer (the responder serves only
# the VM's MAC).
lab_fake_vm eth1 52:54:00:ab:cd:ef vnet9
lab_attach vnet9 pn-eth0
client_script "$TEST_DIR/stranger.sh" "$TEST_DIR/stranger.\$1" ip
if timeout -k 5 60 ip netns exec "$VM" udhcpc -f -q -n -t 2 -T 1 -i eth1 \
	-s "$TEST_DIR/stranger.sh" >"$TEST_DIR/stranger.log" 2>&1; then
	bad "a client with another MAC got a lease: $(cat "$TEST_DIR/stranger.bound")"
else
	ok "a client with another MAC got no lease"
fi
ip -n "$POD" link del vnet9

# qemu's exit destroys the tap before libvirt runs release.
ip -n "$POD" link del vnet0
hook_release "$LAB_DATA/vm1.xml"
snapshot_expect_same "after release" "$TEST_DIR/snap.before"
lab_done
