#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End to end, issue 24: live migration to a pod with ANOTHER address (the
# real bridge plugin with host-local, one store for the node's pods: the
# source pod gets 198.51.100.10, the target pod 198.51.100.11 and other DNS
# servers). The Debian guest (systemd-networkd, tests/lib/debian_guest.sh;
# with DG_VARIANT=nm the same guest with NetworkManager: migration_renumber_nm.sh)
# migrates with `virsh migrate --live` between the two pods' libvirtds
# (tests/lib/migration_lab.sh); `podnet link-refresh --watch`, running in
# the destination pod (its network and mount namespace, libvirt's default
# URI) as podnet's container entry point runs it, sees the responder's
# verdict (`podnet status --json`: "migration":"switched-renumber", from the
# guest's gratuitous ARP for its old address) and flaps the guest's link
# (12 s down, the default) when libvirt resumes it there; the client asks
# for its old address, the destination's responder NAKs it (seen in a
# capture of the destination pod's veth on the node), and the guest ends
# with the target pod's address, routes, DNS and hostname; the node reaches
# it there. Then: the source pod exact after its release, the destination
# pod exact after `virsh destroy`.
#
#   tests/e2e/migration_renumber.sh     (root)
# shellcheck disable=SC2154 # (LVCTX_*: the pods' globals, lv_ctx_save)
set -eu

cd "$(dirname "$0")/../.."
# shellcheck source=tests/lib/debian_guest.sh
. tests/lib/debian_guest.sh
# shellcheck source=tests/lib/assert.sh
. tests/lib/assert.sh
# shellcheck source=tests/lib/migration_lab.sh
. tests/lib/migration_lab.sh

DOMAIN=deb1
TAG_HOSTNAME=podnet-debian-vm
SRC_IP=198.51.100.10
DST_IP=198.51.100.11
DST_DNS="198.51.100.55 198.51.100.56"
DST_SEARCH="dst.example.test"
DG_BOOT_WAIT=${DG_BOOT_WAIT:-400}
DG_VARIANT=${DG_VARIANT:-networkd}
if [ "$DG_VARIANT" = nm ]; then
	CLIENT=NetworkManager
	# The default 12 s is beyond NetworkManager's 6 s carrier-wait-timeout,
	# so that it takes the device down and activates it again. Seen here:
	# after 3 s down (the guest's route showed "linkdown") NetworkManager
	# 1.42 sent no DHCP at all and kept 198.51.100.10.
else
	CLIENT=systemd-networkd
fi
# As contrib/container/podnet-container passes it (its default).
DOWN_MS=${PODNET_LINK_REFRESH_DOWN_MS:-12000}

lv_begin
debian_guest_build || die "Debian guest build (tests/lib/debian_guest.sh)"
lv_init

dg_block() { # SERIAL: the last complete PODNET-G block, without its prefix
	local n
	n=$(tr -d '\r' <"$1" 2>/dev/null | sed -n 's/^.*PODNET-G \([0-9]*\) end$/\1/p' | tail -n 1)
	[ -n "$n" ] || return 0
	tr -d '\r' <"$1" | sed -n "s/^.*PODNET-G $n //p" | sed '/^end$/d'
}
bkey() { sed -n "s/^$2 //p" <<<"$1"; }
# (dynamic scope: want_ip, want_dns of the wait)
block_is() {
	[ "$(bkey "$1" addr4)" = "$want_ip/24" ] &&
		[ "$(bkey "$1" dns | tr '\n' ' ' | sed 's/ $//')" = "$want_dns" ] &&
		[ "$(bkey "$1" hostname)" = "$TAG_HOSTNAME" ] &&
		bkey "$1" route4 | grep -q "^default via 198.51.100.1 "
}
wait_block() { # SECONDS: until the guest's block has want_ip and want_dns
	local deadline=$(($(date +%s) + $1))
	while :; do
		BLOCK=$(dg_block "$SERIAL")
		[ -z "$BLOCK" ] || ! block_is "$BLOCK" || return 0
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 1
	done
}
node_gets() { lv_node curl -sS --max-time 10 "http://$1:8080/" 2>&1 | grep -q 'hello from podnet debian guest'; }
show_block() { note "$1: $(echo "$BLOCK" | grep -E '^(addr4|route4|dns|search|hostname|lease4) ' | paste -sd';')"; }

mig_pods_up bridge "$SRC_IP" "$DST_IP" 1
# The target pod's own DNS, so that the guest's DNS shows which pod it got.
{
	for d in $DST_DNS; do echo "nameserver $d"; done
	echo "search $DST_SEARCH"
} >"/etc/netns/$LVCTX_dst_LV_POD/resolv.conf"
lv_ctx_use dst
note "pods: src $LVCTX_src_LV_POD $(ip -n "$LVCTX_src_LV_POD" -4 -o addr show dev eth0 | awk '{ print $4 }'), dst $LV_POD $(ip -n "$LV_POD" -4 -o addr show dev eth0 | awk '{ print $4 }'); /run/podnet shared"
check "host-local gave the target pod $DST_IP" eq "$(ip -n "$LV_POD" -4 -o addr show dev eth0 | awk '{ print $4 }')" "$DST_IP/24"
lv_pod_snapshot >"$LV_TOP/before-dst"
lv_ctx_use src
lv_pod_snapshot >"$LV_TOP/before-src"

DISK=$LV_TOP/$DOMAIN.img
SERIAL=$LV_TOP/serial-$DOMAIN.log
debian_guest_disk "$DISK" || die "copy of the guest disk"
debian_guest_xml "$DOMAIN" "$TAG_HOSTNAME" "$DISK" "$SERIAL" "$LV_VM_MAC" |
	sed "s|<source path='$SERIAL'/>|<source path='$SERIAL' append='on'/>|" >"$LV_TOP/$DOMAIN.xml"
t0=$(lv_now_ms)
lv_start "virsh start of the Debian guest on the source pod" "$LV_TOP/$DOMAIN.xml" "$DOMAIN" || exit 1
want_ip=$SRC_IP want_dns=$LV_DNS
if wait_block "$DG_BOOT_WAIT"; then
	ok "the guest has the source pod's address and DNS ($(($(lv_now_ms) - t0)) ms after virsh start)"
else
	bad "the guest has no source pod address within $DG_BOOT_WAIT s"
	tail -n 30 "$SERIAL" | tr -d '\r' | sed 's/^/#   /'
	exit 1
fi
show_block "guest on the source"
check "the node reaches the guest at $SRC_IP" node_gets "$SRC_IP"

# The destination's watcher, as the container entry point runs it: in the
# pod's network and mount namespace (it reads the responder's verdict from
# the pod's records), libvirt's default URI. The link stays down 12 s, not
# KubeVirt's 100 ms: networkd with DHCPv4 UseMTU=yes (this guest's, and
# netplan's default) ignores a carrier loss shorter than 5 s
# (IgnoreCarrierLoss=). Seen here under TCG: after 100 ms and after 6 s
# down this guest kept 198.51.100.10 and sent no DHCP at all; 10 s down (by
# hand) renumbered it.
# dst_status: `podnet status --json DOMAIN` in the destination pod.
dst_status() { nsenter -t "$LVCTX_dst_LV_HOLDER" -m -n "$LV_REPO/build/podnet" status --json "$DOMAIN" 2>&1 || true; }
dst_must_renumber() { dst_status | grep -q '"migration":"switched-renumber"'; }
dst_link_is() { [ "$(mig_virsh dst domif-getlink "$DOMAIN" "$LV_VM_MAC" 2>&1 | awk '{ print $NF }')" = "$1" ]; }
nsenter -t "$LVCTX_dst_LV_HOLDER" -m -n "$LV_REPO/build/podnet" link-refresh \
	--connect qemu:///system --down-ms "$DOWN_MS" --watch \
	>"$LV_TOP/watch.out" 2>&1 &
watch_pid=$!
lv_defer "lv_kill_pids $watch_pid"
check "podnet link-refresh --watch runs against the destination" lv_wait 20 grep -q 'watching' "$LV_TOP/watch.out"

# The responder's replies go to the VM's MAC only, never out to the node:
# its NAK is seen inside the destination pod (on "any": the bridge and the
# tap are made later, at prepare).
mig_capture_start dst any "$LVCTX_dst_LV_POD"
if mig_migrate src dst "$DOMAIN"; then
	ok "virsh migrate --live to the pod with $DST_IP ($MIG_MS ms)"
else
	bad "virsh migrate: $MIG_OUT"
	exit 1
fi
t0=$(lv_now_ms)
# The responder's verdict, before the link comes up again.
check "podnet status on the destination: the guest must renumber (\"migration\":\"switched-renumber\")" \
	lv_wait 20 dst_must_renumber
note "status $(($(lv_now_ms) - t0)) ms after the migration: $(dst_status | grep -o '"migration":"[^"]*"')"
check "the watcher takes the guest's link down" lv_wait 20 dst_link_is down
check "the watcher refreshed the domain's link when libvirt resumed it (down $DOWN_MS ms)" \
	lv_wait 90 grep -q "domain '$DOMAIN': resumed after an incoming migration: link refreshed: $LV_VM_MAC" "$LV_TOP/watch.out"
note "watcher: $(tr '\n' ';' <"$LV_TOP/watch.out")"
check "the link is up again" dst_link_is up
lv_kill_pids "$watch_pid"
want_ip=$DST_IP want_dns=$DST_DNS
if wait_block 180; then
	ok "the guest ($CLIENT) renumbered to the target pod's address and DNS ($(($(lv_now_ms) - t0)) ms after the migration)"
else
	bad "the guest ($CLIENT) did not renumber to $DST_IP within 180 s"
fi
show_block "guest on the destination"
check "the guest holds only the target pod's address" eq "$(bkey "$BLOCK" addr4)" "$DST_IP/24"
check "the guest's search domains are the target pod's" eq "$(bkey "$BLOCK" search | tr '\n' ' ' | sed 's/ $//')" "$DST_SEARCH"
check "the guest's hostname is the tag's" eq "$(bkey "$BLOCK" hostname)" "$TAG_HOSTNAME"
lv_ctx_use dst
check "the node reaches the guest at the target pod's $DST_IP" lv_wait 30 node_gets "$DST_IP"
mig_capture_stop dst "$LV_VM_MAC" "$SRC_IP,$DST_IP"
naks=$(awk '$1 == "nak"' "$LV_TOP/dst.txt")
note "DHCP on the destination: $(grep -E '^(nak|ack) ' "$LV_TOP/dst.txt" | paste -sd';')"
check "the destination's responder NAKed the guest's request for its old $SRC_IP" \
	has "$naks" " $SRC_IP"
check "then ACKed the target pod's $DST_IP" grep -q "^ack .* $DST_IP\$" "$LV_TOP/dst.txt"
st=$(dst_status)
check "podnet status on the destination: the lease given is the target pod's $DST_IP" \
	has "$st" "\"lease\":{\"given\":true,\"address\":\"$DST_IP\""

lv_ctx_use src
lv_expect_pod_as "the source pod exact after its release" "the source pod differs after its release" src-release "$LV_TOP/before-src"
lv_expect_pod_idle "source"
lv_ctx_use dst
check "virsh destroy on the destination" lv_virsh destroy "$DOMAIN"
lv_expect_pod_as "the destination pod exact after the VM is destroyed there" "the destination pod differs after virsh destroy" dst-destroy "$LV_TOP/before-dst"
lv_expect_pod_idle "destination"
check "the shared /run/podnet is empty" test -z "$(ls -A "$LV_PODNET_RUN")"
assert_exit "migration_renumber ($CLIENT)"
