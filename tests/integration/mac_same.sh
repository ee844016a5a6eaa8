#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The VM uses the pod interface's own MAC (transparent mode): while the domain
# runs eth0 carries another, locally administered MAC; the VM gets its lease;
# release gives eth0 its own MAC back.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

lab_begin mac_same
POD_MAC=$VM_MAC
lab_pod subnet
snapshot "$TEST_DIR/snap.before"

hook_prepare "$LAB_DATA/vm1.xml"
mac=$(ip -n "$POD" -o link show eth0 | sed -n 's/.* link\/ether \([0-9a-f:]*\) .*/\1/p')
log "eth0 MAC during the domain: $mac"
[ "$mac" != "$VM_MAC" ] || bad "eth0 still has the VM's MAC $VM_MAC"
first=$((16#${mac%%:*}))
if [ $((first & 2)) = 2 ] && [ $((first & 1)) = 0 ]; then
	ok "$mac is unicast and locally administered"
else
	bad "eth0 MAC $mac is not a locally administered unicast MAC"
fi

lab_fake_vm eth0 "$VM_MAC" vnet0
lab_attach vnet0 pn-eth0
udhcpc_run eth0 eth0
expect_udhcpc_lease udhcpc "$LEASE_FILE" "$POD_IP" 24 "$POD_GW" "$POD_MTU"

ip -n "$POD" link del vnet0
hook_release "$LAB_DATA/vm1.xml"
mac=$(ip -n "$POD" -o link show eth0 | sed -n 's/.* link\/ether \([0-9a-f:]*\) .*/\1/p')
expect_eq "eth0 MAC after release" "$VM_MAC" "$mac"
snapshot_expect_same "after release" "$TEST_DIR/snap.before"
lab_done
