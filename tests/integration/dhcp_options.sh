#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What KubeVirt users carry over in the tag, with real clients:
#  - NTP servers (42), TFTP server (66 and siaddr), boot file (67) and
#    private options (224-254, hex and text): udhcpc and dhclient get them;
#  - a finite lease-time: udhcpc keeps its lease past the lease time (its
#    unicast RENEW goes to the server id, the gateway, and is answered by
#    nobody; the broadcast REBIND at T2 is answered: README says so);
#  - an L2-only interface (dhcp="off", no address in the pod): bridged, a
#    DHCP client gets no answer on it, a statically configured VM reaches
#    the node over it, and release restores it exactly.
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

lab_begin dhcp_options
need udhcpc dhclient busybox
lab_pod subnet
# The L2-only secondary network: a veth with no address in the pod.
ip -n "$NODE" link add n-net1 mtu 1450 type veth peer name net1 netns "$POD" mtu 1450
ip -n "$NODE" link set n-net1 up
ip -n "$NODE" addr add 169.254.100.1/24 dev n-net1
ip -n "$POD" link set net1 up
snapshot "$TEST_DIR/snap.before"

xml=$TEST_DIR/vm1-options.xml
sed -e 's|<podnet:interface mac="52:54:00:12:34:56" pod-interface="eth0"/>|<podnet:interface mac="52:54:00:12:34:56" pod-interface="eth0" lease-time="12"><podnet:ntp-server address="198.51.100.123"/><podnet:ntp-server address="198.51.100.124"/><podnet:tftp-server name="198.51.100.5"/><podnet:boot-file name="pxelinux.0"/><podnet:option code="224" hex="01ff0a"/><podnet:option code="250" text="site-text"/></podnet:interface><podnet:interface mac="52:54:00:12:34:57" pod-interface="net1" dhcp="off"/>|' \
	-e "s|</devices>|<interface type='bridge'><mac address='52:54:00:12:34:57'/><source bridge='pn-net1'/><model type='virtio'/></interface></devices>|" \
	"$LAB_DATA/vm1.xml" >"$xml"
hook_prepare "$xml"
lab_fake_vm eth0 "$VM_MAC" vnet0
lab_attach vnet0 pn-eth0

log "=== udhcpc: the tag's options"
script=$TEST_DIR/opt-script.sh
client_script "$script" "$TEST_DIR/opt.\$1" ip lease ntpsrv tftp bootfile \
	siaddr opt224 opt250
set +e
timeout -k 5 60 ip netns exec "$VM" udhcpc -f -q -n -t 5 -i eth0 \
	-O ntpsrv -O tftp -O bootfile -O 224 -O 250 -s "$script" \
	>"$TEST_DIR/opt.log" 2>&1
rc=$?
set -e
f=$TEST_DIR/opt.bound
[ "$rc" = 0 ] && [ -s "$f" ] || die "udhcpc got no lease (exit $rc): $(cat "$TEST_DIR/opt.log")"
sed 's/^/udhcpc bound: /' "$f"
expect_eq "udhcpc ntpsrv (42)" "198.51.100.123 198.51.100.124" "$(lease_get "$f" ntpsrv | xargs)"
expect_eq "udhcpc tftp (66)" 198.51.100.5 "$(lease_get "$f" tftp)"
expect_eq "udhcpc bootfile (67)" pxelinux.0 "$(lease_get "$f" bootfile)"
expect_eq "udhcpc siaddr (next server)" 198.51.100.5 "$(lease_get "$f" siaddr)"
expect_eq "udhcpc option 224 (hex)" 01ff0a "$(lease_get "$f" opt224)"
expect_eq "udhcpc option 250 (text)" "$(printf 'site-text' | od -An -tx1 | tr -d ' \n')" \
	"$(lease_get "$f" opt250)"
expect_eq "udhcpc lease time" 12 "$(lease_get "$f" lease)"

log "=== dhclient: the tag's options"
conf=$TEST_DIR/dhclient.conf
cat >"$conf" <<'CONF'
option site-224 code 224 = string;
option site-250 code 250 = text;
timeout 30;
retry 1;
request subnet-mask, routers, ntp-servers, tftp-server-name, bootfile-name,
	site-224, site-250;
CONF
client_script "$TEST_DIR/dhclient-script.sh" "$TEST_DIR/dhclient.\$reason" \
	reason new_ip_address new_ntp_servers new_tftp_server_name \
	new_bootfile_name new_site_224 new_site_250 new_dhcp_lease_time
rc=0
dhclient_bound opt dhclient "$conf" "$TEST_DIR/dhclient-script.sh" || rc=$?
dhclient_stop opt
f=$TEST_DIR/dhclient.BOUND
[ "$rc" = 0 ] && [ -s "$f" ] || die "dhclient got no lease (exit $rc): $(tail -5 "$TEST_DIR/dhclient.opt.log")"
sed 's/^/dhclient bound: /' "$f"
expect_eq "dhclient ntp-servers" "198.51.100.123 198.51.100.124" "$(lease_get "$f" new_ntp_servers)"
expect_eq "dhclient tftp-server-name" 198.51.100.5 "$(lease_get "$f" new_tftp_server_name)"
expect_eq "dhclient bootfile-name" pxelinux.0 "$(lease_get "$f" new_bootfile_name)"
expect_eq "dhclient option 224" 1:ff:a "$(lease_get "$f" new_site_224)"
expect_eq "dhclient option 250" site-text "$(lease_get "$f" new_site_250)"
expect_eq "dhclient lease time" 12 "$(lease_get "$f" new_dhcp_lease_time)"

log "=== a finite lease: udhcpc stays bound past the lease time"
script=$TEST_DIR/renew-script.sh
{
	echo '#!/bin/sh'
	echo "echo \"\$(date +%s) \$1 \$ip\" >>\"$TEST_DIR/renew.events\""
} >"$script"
chmod 755 "$script"
ip netns exec "$VM" udhcpc -f -i eth0 -t 5 -s "$script" \
	>"$TEST_DIR/renew.log" 2>&1 &
LAB_PIDS+=("$!")
renew_pid=$!
# 12 s lease: T1 6 s (unicast renew, unanswered), T2 10.5 s (broadcast
# rebind, answered). Wait (bounded) for the event after the first bound.
for i in $(seq 1 150); do
	n=$(grep -c ' renew \| bound ' "$TEST_DIR/renew.events" 2>/dev/null || true)
	[ "${n:-0}" -ge 2 ] && break
	sleep 0.2
done
kill "$renew_pid" 2>/dev/null || true
sed 's/^/udhcpc event: /' "$TEST_DIR/renew.events"
sed 's/^/udhcpc: /' "$TEST_DIR/renew.log"
expect_match "udhcpc renewed the finite lease with the same address" \
	"(bound|renew) $POD_IP.*
.*(renew|bound) $POD_IP" "$(cat "$TEST_DIR/renew.events")"
grep -q ' deconfig \| leasefail ' <(sed 1d "$TEST_DIR/renew.events") &&
	bad "udhcpc lost its lease: $(cat "$TEST_DIR/renew.events")"
grep "bridge 'pn-eth0': ack" "$STATE_DIR"/*.log | sed 's/^/responder: /' | tail -n 3

log "=== the L2-only interface"
expect_eq "net1 is a port of pn-net1" pn-net1 \
	"$(ip -n "$POD" -o link show net1 | sed -n 's/.* master \([^ ]*\) .*/\1/p')"
lab_fake_vm eth1 "$VM2_MAC" vnet1
lab_attach vnet1 pn-net1
set +e
timeout -k 5 30 ip netns exec "$VM" udhcpc -f -q -n -t 2 -T 1 -i eth1 -s /bin/true \
	>"$TEST_DIR/l2.log" 2>&1
rc=$?
set -e
expect_eq "udhcpc on the L2-only interface gets no answer (exit 1)" 1 "$rc"
ip -n "$VM" addr add 169.254.100.10/24 dev eth1
if ip netns exec "$VM" busybox ping -c 1 -W 3 169.254.100.1 >/dev/null; then
	ok "the VM reaches the node over the L2-only interface"
else
	bad "the VM cannot reach the node over the L2-only interface"
fi

kill "${LAB_PIDS[@]}" 2>/dev/null || true
ip -n "$POD" link del vnet0
ip -n "$POD" link del vnet1
hook_release "$xml"
snapshot_expect_same "after release" "$TEST_DIR/snap.before"
lab_done
