#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A pod interface carrying everything netlink can put on it that podnet
# takes away and must give back: a secondary address, a noprefixroute
# address with a label, routes in another table with metrics (mtu, advmss,
# window), a route with tos and src, a local route of its own in the local
# table, a throw route, an onlink gateway, permanent and noarp neighbours.
# After prepare and release, the pod's complete snapshot is unchanged.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

lab_begin restore_hostile
lab_pod subnet
p() { ip -n "$POD" "$@"; }
p addr add 198.51.100.20/24 dev eth0
p addr add 169.254.40.10/16 dev eth0 label eth0:x noprefixroute
p route add 169.254.41.0/24 via "$POD_GW" dev eth0 table 100 mtu 1300 advmss 1260 window 65535 metric 7
p route add 169.254.42.0/24 via 198.51.100.2 dev eth0 tos 0x10 src 198.51.100.20 proto static
p route add local 198.51.100.77 dev eth0 table local proto static
p route add throw 169.254.43.0/24 table 100
p route add 169.254.44.0/24 via 169.254.45.1 dev eth0 onlink metric 50
p neigh add 198.51.100.5 lladdr 02:00:00:00:00:05 dev eth0 nud permanent
p neigh add 198.51.100.6 lladdr 02:00:00:00:00:06 dev eth0 nud noarp
snapshot "$TEST_DIR/snap.before"
sed 's/^/before: /' "$TEST_DIR/snap.before"

hook_prepare "$LAB_DATA/vm1.xml"
expect_eq "no IPv4 address left on eth0 while the VM runs" "" \
	"$(p -4 -o addr show dev eth0)"
hook_release "$LAB_DATA/vm1.xml"
snapshot_expect_same "after release" "$TEST_DIR/snap.before"
lab_done
