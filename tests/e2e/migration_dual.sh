#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End to end, issue 24: live migration of a dual-stack podnet VM between two
# pods with the same addresses (the real bridge plugin with static IPAM:
# 198.51.100.10/24 and 2001:db8:1::10/64 in both; tests/lib/migration_lab.sh).
# The node's IPv6 TCP connection to the busybox guest, opened before the
# migration and exchanging a line every 100 ms, carries on; the guest's
# IPv6 default router works after the move (it pings an address of the
# node that is not on the pod's /64); both pods exact afterwards.
#
#   tests/e2e/migration_dual.sh     (root)
# shellcheck disable=SC2154 # (LVCTX_*: the pods' globals, lv_ctx_save)
set -eu

cd "$(dirname "$0")/../.."
# shellcheck source=tests/lib/guest.sh
. tests/lib/guest.sh
# shellcheck source=tests/lib/assert.sh
. tests/lib/assert.sh
# shellcheck source=tests/lib/migration_lab.sh
. tests/lib/migration_lab.sh

DOMAIN=vm1
POD_IP=198.51.100.10
POD_IP6=2001:db8:1::10
# An address of the node's off the pod's /64: reached through the default router.
NODE_FAR6=2001:db8:ff::1

lv_begin
guest_build || die "guest build"
lv_init

serial_line() { grep -a "$2" "$1" 2>/dev/null | tail -n 1 | tr -d '\r'; }
guest_ping6() { # what the guest says after pinging $NODE_FAR6
	lv_node curl -sS -g --max-time 60 "http://[$POD_IP6]:8080/cgi-bin/ping?$NODE_FAR6" 2>&1 |
		grep -a PODNET-PING | tr -d '\r'
}

mig_pods_up bridge-static-dual "$POD_IP" "$POD_IP"
lv_node ip addr add "$NODE_FAR6/128" dev lo
for c in src dst; do
	lv_ctx_use $c
	lv_pod_snapshot >"$LV_TOP/before-$c"
done
lv_ctx_use src
note "pods: $(ip -n "$LV_POD" -o addr show dev eth0 scope global | awk '{ print $4 }' | paste -sd' ') in both"

INITRD=$LV_TOP/initrd-echo.gz
mig_echo_initrd "$GUEST_DIR/initrd.gz" "$INITRD" || die "cannot add the echo service to the initrd"
SERIAL=$LV_TOP/serial-$DOMAIN.log
lv_domain_xml "$DOMAIN" "$GUEST_DIR/vmlinuz" "$INITRD" "$SERIAL" |
	sed "s|<source path='$SERIAL'/>|<source path='$SERIAL' append='on'/>|" >"$LV_TOP/$DOMAIN.xml"
t0=$(lv_now_ms)
lv_start "virsh start on the source pod" "$LV_TOP/$DOMAIN.xml" "$DOMAIN" || exit 1
if lv_wait 240 grep -aq 'PODNET-NET6 addr=2001' "$SERIAL"; then
	ok "guest has IPv6 ($(($(lv_now_ms) - t0)) ms): $(serial_line "$SERIAL" PODNET-NET6)"
else
	bad "no PODNET-NET6 with an address within 240 s"
	tail -n 10 "$SERIAL" | tr -d '\r' | sed 's/^/#   /'
	exit 1
fi
check "the guest's IPv6 address is the pod's" has "$(serial_line "$SERIAL" PODNET-NET6)" "addr=$POD_IP6/"
echo_cgi=$(lv_node curl -sS -g --max-time 20 "http://[$POD_IP6]:8080/cgi-bin/echo" 2>&1 || true)
check "the guest's echo service started, asked over IPv6" has "$echo_cgi" "echo on $MIG_ECHO_PORT"
ping=$(guest_ping6)
note "before: ${ping:-no answer}"
check "before the migration: the guest reaches $NODE_FAR6 through its default router" eq "$(mig_field "$ping" ok)" yes
mig_probe_start "$POD_IP6" || { cat "$LV_TOP/probe.out" >&2; die "the probe's IPv6 TCP connection did not open"; }
check "the node's IPv6 TCP connection to the VM echoes" mig_probe_flows

if mig_migrate src dst "$DOMAIN"; then
	ok "virsh migrate --live ($MIG_MS ms)"
else
	bad "virsh migrate: $MIG_OUT"
fi
sleep 3
check "the node's IPv6 TCP connection (opened before the migration) still echoes" mig_probe_flows
mig_probe_stop
note "dual-stack same-IP migration, IPv6: migrate $MIG_MS ms, ${MIG_PROBE#probe }"
check "the IPv6 TCP connection is alive" eq "$(mig_field "$MIG_PROBE" tcp)" alive
lv_ctx_use dst
ping=$(guest_ping6)
note "after: ${ping:-no answer}"
check "after the migration: the guest reaches $NODE_FAR6 through its default router" eq "$(mig_field "$ping" ok)" yes

lv_ctx_use src
lv_expect_pod_as "the source pod exact after its release" "the source pod differs after its release" src-release "$LV_TOP/before-src"
lv_expect_pod_idle "source"
lv_ctx_use dst
check "virsh destroy on the destination" lv_virsh destroy "$DOMAIN"
lv_expect_pod_as "the destination pod exact after the VM is destroyed there" "the destination pod differs after virsh destroy" dst-destroy "$LV_TOP/before-dst"
lv_expect_pod_idle "destination"
check "the shared /run/podnet is empty" test -z "$(ls -A "$LV_PODNET_RUN")"
assert_exit migration_dual
