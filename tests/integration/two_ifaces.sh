#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Two tagged interfaces (eth0 198.51.100.10/24 with the default route, net1
# 169.254.100.10/24 MTU 1450): two bridges, one responder, and a VM with two
# NICs that gets a lease on each. Release restores both.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

lab_begin two_ifaces
lab_pod subnet
lab_pod_net1
snapshot "$TEST_DIR/snap.before"

hook_prepare "$LAB_DATA/vm1-two.xml"
n=$(ip netns pids "$POD" | wc -l)
expect_eq "processes in the pod (one responder)" 1 "$n"
lab_fake_vm eth0 "$VM_MAC" vnet0
lab_fake_vm eth1 "$VM2_MAC" vnet1
lab_attach vnet0 pn-eth0
lab_attach vnet1 pn-net1

udhcpc_run eth0 eth0
expect_udhcpc_lease eth0 "$LEASE_FILE" "$POD_IP" 24 "$POD_GW" "$POD_MTU"
udhcpc_run eth1 eth1
expect_udhcpc_lease eth1 "$LEASE_FILE" "$NET1_IP" 24 "" "$NET1_MTU"
router=$(lease_get "$LEASE_FILE" router)
[ "$router" != "$POD_GW" ] || bad "eth1 got eth0's router $POD_GW"
log "eth1 router: '${router}' staticroutes: '$(lease_get "$LEASE_FILE" staticroutes)'"

ip -n "$POD" link del vnet0
ip -n "$POD" link del vnet1
hook_release "$LAB_DATA/vm1-two.xml"
snapshot_expect_same "after release" "$TEST_DIR/snap.before"
lab_done
