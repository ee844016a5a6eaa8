#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End to end, issue 24: live migration of a podnet VM between two pods with
# the same IP (the sticky-IP CNIs: the real bridge plugin with static IPAM
# gives the target pod the source pod's address), each pod with its own
# libvirtd (tests/lib/migration_lab.sh), podnet installed once for both
# (one /run/podnet). One TCG boot of the busybox guest serves every check:
#   1. a migration aborted by a failing destination (a bad tag in the
#      destination's XML, `virsh migrate --xml`): destination pod exact,
#      nothing from it on the node's side, the VM still serves on the source;
#   2. a migration cancelled midway (`virsh domjobabort`): the same;
#   3. the migration: a TCP connection from the node to the VM, opened before
#      and exchanging data every 100 ms, carries on; a capture of each pod's
#      veth on the node shows nothing for the pod's address from the
#      destination before the VM's first frame there and nothing from the
#      source pod's MAC after the migration started; the source pod exact
#      after its release; the figures (the connection's gap, lost pings);
#      `podnet link-refresh --watch` in the destination pod leaves the link
#      alone, and `podnet status` says the guest need not renumber;
#   4. `podnet link-refresh` on the destination (through libvirt's API),
#      which must not cut the connection (same address, udhcpc ignores
#      carrier), then the destination pod exact after `virsh destroy`.
# With MIG_PLAIN=1 (the default) the same migration of a VM without podnet's
# tag, on a bridge made by hand in each pod as a plain libvirt setup has it,
# for the figures without podnet, in the same run.
#
#   tests/e2e/migration.sh     (root)
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
MIG_PLAIN=${MIG_PLAIN:-1}
LINK_REFRESH=${LINK_REFRESH:-$LV_REPO/build/podnet}

lv_begin
guest_build || die "guest build"
lv_init

serial_line() { grep -a "$2" "$1" 2>/dev/null | tail -n 1 | tr -d '\r'; }
# `podnet status DOMAIN` where the pod's libvirtd runs (its mount and network namespace).
pod_status() { # CTX [--json]
	local h
	eval "h=\$LVCTX_${1}_LV_HOLDER"
	nsenter -t "$h" -m -n /etc/libvirt/hooks/qemu status ${2:+"$2"} "$DOMAIN" 2>&1 || true
}
node_reaches() { lv_node busybox ping -c 1 -W 1 "$1" >/dev/null 2>&1; }
dump_debug() {
	local c
	for c in src dst; do
		note "--- libvirtd log of $c (errors)"
		eval "grep -a ' error : ' \"\$LVCTX_${c}_LV_ROOT/var/log/libvirt/libvirtd.log\"" 2>/dev/null |
			tail -n 8 | sed 's/^/#   /'
	done
	note "--- serial console (tail)"
	tail -n 10 "$SERIAL" 2>/dev/null | tr -d '\r' | sed 's/^/#   /'
}

mig_pods_up bridge-static "$POD_IP" "$POD_IP"
note "pods: src $LVCTX_src_LV_POD (mac $LVCTX_src_LV_POD_MAC, veth $LVCTX_src_LV_HOST_IF), dst $LVCTX_dst_LV_POD (mac $LVCTX_dst_LV_POD_MAC, veth $LVCTX_dst_LV_HOST_IF), both $POD_IP; /run/podnet shared: $LV_PODNET_RUN"
lv_ctx_use src
lv_pod_snapshot >"$LV_TOP/before-src"
lv_ctx_use dst
lv_pod_snapshot >"$LV_TOP/before-dst"
lv_ctx_use src

INITRD=$LV_TOP/initrd-echo.gz
mig_echo_initrd "$GUEST_DIR/initrd.gz" "$INITRD" || die "cannot add the echo service to the initrd"
SERIAL=$LV_TOP/serial-$DOMAIN.log
XML=$LV_TOP/$DOMAIN.xml
# append: the destination's QEMU opens the same file.
lv_domain_xml "$DOMAIN" "$GUEST_DIR/vmlinuz" "$INITRD" "$SERIAL" |
	sed "s|<source path='$SERIAL'/>|<source path='$SERIAL' append='on'/>|" >"$XML"
t0=$(lv_now_ms)
lv_start "virsh start on the source pod" "$XML" "$DOMAIN" || { dump_debug; exit 1; }
lv_wait 240 grep -aq PODNET-READY "$SERIAL" || { bad "no PODNET-READY within 240 s"; dump_debug; exit 1; }
ok "guest ready ($(($(lv_now_ms) - t0)) ms after virsh start): $(serial_line "$SERIAL" PODNET-NET)"
lv_wait 30 node_reaches "$POD_IP" || die "the node does not reach the VM at $POD_IP"
echo_cgi=$(lv_node curl -sS --max-time 20 "http://$POD_IP:8080/cgi-bin/echo" 2>&1 || true)
check "the guest's echo service started ($echo_cgi)" has "$echo_cgi" "echo on $MIG_ECHO_PORT"
mig_probe_start "$POD_IP" || { cat "$LV_TOP/probe.out" >&2; die "the probe's TCP connection to $POD_IP:$MIG_ECHO_PORT did not open"; }
check "the node's TCP connection to the VM echoes" mig_probe_flows

# The destination must leave no trace of a failed or cancelled migration.
dst_clean_after() { # WHAT
	lv_ctx_use dst
	lv_expect_pod_as "$1: destination pod exact" "$1: destination pod differs" "$(echo "$1" | tr -c 'a-z0-9' -)" "$LV_TOP/before-dst"
	lv_expect_pod_idle "$1: destination"
	check "$1: no domain left on the destination" test -z "$(mig_virsh dst list --all --name 2>/dev/null | grep -x "$DOMAIN" || true)"
	lv_ctx_use src
	check "$1: the domain still runs on the source" eq "$(mig_virsh src domstate "$DOMAIN" 2>&1)" running
	check "$1: the node's TCP connection to the VM on the source still echoes" mig_probe_flows
	check "$1: the node reaches the VM on the source (ping)" node_reaches "$POD_IP"
}
# dst_silent CAPTURE WHAT - the destination's veth showed nothing of the VM's
# nor anything for the pod's address.
dst_silent() {
	local txt=$LV_TOP/$1.txt
	check "$2: nothing for $POD_IP from the destination pod (capture: $(grep -c . "$txt" || true) lines)" \
		test -z "$(grep -E '^(claim|first_vm|rarp)' "$txt" || true)"
	grep -E '^(claim|first_vm|rarp)' "$txt" | head -n 5 | sed 's/^/#   /' || true
}

# --- 1. a failing destination: a tag naming a pod interface that is not there
WHAT="aborted by a bad tag"
mig_virsh src dumpxml --migratable "$DOMAIN" |
	sed 's|pod-interface="eth0"|pod-interface="nosuch0"|' >"$LV_TOP/bad.xml"
grep -q 'pod-interface="nosuch0"' "$LV_TOP/bad.xml" || die "cannot write the bad tag"
mig_capture_start fail1 "$LVCTX_dst_LV_HOST_IF"
if mig_migrate src dst "$DOMAIN" --xml "$LV_TOP/bad.xml"; then
	bad "$WHAT: virsh migrate succeeded ($MIG_MS ms)"
else
	ok "$WHAT: virsh migrate failed ($MIG_MS ms): $(echo "$MIG_OUT" | tr '\n' ' ' | cut -c1-300)"
fi
mig_capture_stop fail1 "$LV_VM_MAC" "$POD_IP"
dst_silent fail1 "$WHAT"
dst_clean_after "$WHAT"

# --- 2. cancelled midway: slowed to 1 MiB/s, aborted once the destination
# QEMU runs (the domain is there, paused) and the job has moved memory.
WHAT="cancelled midway"
mig_capture_start fail2 "$LVCTX_dst_LV_HOST_IF"
(mig_migrate src dst "$DOMAIN" --bandwidth 1 && echo "rc=0 ms=$MIG_MS" || echo "rc=$? ms=$MIG_MS $MIG_OUT") \
	>"$LV_TOP/cancel.out" 2>&1 &
cancel_pid=$!
lv_defer "lv_kill_pids $cancel_pid"
job_moved() { mig_virsh src domjobinfo "$DOMAIN" 2>/dev/null | awk '/^Memory processed:/ && $3 > 0 { f = 1 } END { exit !f }'; }
if lv_wait 120 mig_virsh dst domstate "$DOMAIN" && lv_wait 60 job_moved; then
	note "$WHAT: destination domain $(mig_virsh dst domstate --reason "$DOMAIN" 2>&1); source job: $(mig_virsh src domjobinfo "$DOMAIN" 2>/dev/null | grep -E 'Memory (processed|remaining)' | tr -s ' ' | paste -sd';')"
	st=$(pod_status dst)
	check "$WHAT: podnet status on the destination shows the domain waiting for its switchover" \
		has "$st" "incoming-migration: waiting"
	check "$WHAT: virsh domjobabort" mig_virsh src domjobabort "$DOMAIN"
else
	bad "$WHAT: the migration never got going: $(cat "$LV_TOP/cancel.out")"
fi
wait "$cancel_pid" || true
check "$WHAT: virsh migrate failed ($(tr '\n' ' ' <"$LV_TOP/cancel.out" | cut -c1-200))" \
	grep -q '^rc=[1-9]' "$LV_TOP/cancel.out"
mig_capture_stop fail2 "$LV_VM_MAC" "$POD_IP"
dst_silent fail2 "$WHAT"
dst_clean_after "$WHAT"

# --- 3. the migration ------------------------------------------------------------
WHAT="same-IP migration"
# Each part is judged on its own: if an earlier one (above) pulled the node's
# traffic away from the VM, point the node at the VM again and reconnect,
# so that this migration's figures are its own.
if [ "$(mig_probe_echoes)" -gt 0 ] && ! mig_probe_flows; then
	note "$WHAT: the probe's connection died before (above); the node's neighbour entry for $POD_IP is set to the VM's MAC again and the probe reconnects"
	mig_probe_stop
	ip -n "$LV_NODE" neigh replace "$POD_IP" lladdr "$LV_VM_MAC" dev "$LV_NODE_POD_IF" nud reachable
	mig_probe_start "$POD_IP" || die "the probe cannot reconnect to the VM on the source"
fi
# The destination's watcher, as the container entry point runs it (in the
# pod's network and mount namespace, libvirt's default URI): the guest keeps
# the pod's address, so it must leave the link alone.
nsenter -t "$LVCTX_dst_LV_HOLDER" -m -n "$LINK_REFRESH" link-refresh \
	--connect qemu:///system --watch >"$LV_TOP/watch.out" 2>&1 &
watch_pid=$!
lv_defer "lv_kill_pids $watch_pid"
check "$WHAT: podnet link-refresh --watch runs in the destination pod" lv_wait 20 grep -q 'watching' "$LV_TOP/watch.out"
mig_capture_start src "$LVCTX_src_LV_HOST_IF"
mig_capture_start dst "$LVCTX_dst_LV_HOST_IF"
t_start=$(date +%s.%N)
if mig_migrate src dst "$DOMAIN"; then
	ok "$WHAT: virsh migrate --live ($MIG_MS ms)"
else
	bad "$WHAT: virsh migrate: $MIG_OUT"
	dump_debug
fi
t_end=$(date +%s.%N)
check "$WHAT: the domain runs on the destination" eq "$(mig_virsh dst domstate "$DOMAIN" 2>&1)" running
check "$WHAT: the domain no longer runs on the source" test -z "$(mig_virsh src list --name 2>/dev/null | grep -x "$DOMAIN" || true)"
# Let the connection run on, then read its figures.
sleep 3
check "$WHAT: the node's TCP connection (opened before the migration) still echoes" mig_probe_flows
mig_probe_stop
note "$WHAT with podnet: $MIG_PROBE"
PODNET_FIGURES="migrate ${MIG_MS} ms, ${MIG_PROBE#probe }"
check "$WHAT: the TCP connection is alive" eq "$(mig_field "$MIG_PROBE" tcp)" alive
mig_capture_stop src "$LV_VM_MAC" "$POD_IP"
mig_capture_stop dst "$LV_VM_MAC" "$POD_IP"
first_vm=$(awk '$1 == "first_vm" { print $2 }' "$LV_TOP/dst.txt")
check "$WHAT: the VM's first frame is seen from the destination pod" test -n "$first_vm"
early=$(awk -v t="${first_vm:-9e99}" '$1 == "claim" && $2 < t' "$LV_TOP/dst.txt")
check "$WHAT: nothing for $POD_IP from the destination before the VM's first frame there" test -z "$early"
[ -z "$early" ] || echo "$early" | head -n 5 | sed 's/^/#   /'
vm_claims=$(awk -v m="$LV_VM_MAC" '$1 == "claim" && $3 == m && $4 ~ /^arp/' "$LV_TOP/dst.txt" | head -n 3)
note "$WHAT: first ARP claims of $POD_IP from the VM's MAC on the destination: $(echo "$vm_claims" | paste -sd';')"
note "$WHAT: RARP frames from the destination: $(grep -c '^rarp' "$LV_TOP/dst.txt" || true)"
src_late=$(awk -v m="$LVCTX_src_LV_POD_MAC" '$1 == "claim" && $3 == m' "$LV_TOP/src.txt")
check "$WHAT: nothing for $POD_IP from the source pod's MAC ($LVCTX_src_LV_POD_MAC) once the migration started" test -z "$src_late"
[ -z "$src_late" ] || echo "$src_late" | head -n 5 | sed 's/^/#   /'
note "$WHAT: migration window $t_start .. $t_end; first VM frame on the destination at ${first_vm:-never}"

lv_ctx_use src
lv_expect_pod_as "$WHAT: source pod exact after its release" "$WHAT: source pod differs after its release" src-release "$LV_TOP/before-src"
lv_expect_pod_idle "$WHAT: source"
lv_ctx_use dst
check "$WHAT: the node reaches the VM at $POD_IP (ping)" node_reaches "$POD_IP"
check "$WHAT: the node fetches the guest's page at $POD_IP" \
	sh -c "ip netns exec $LV_NODE curl -s --max-time 10 http://$POD_IP:8080/ | grep -q 'hello from podnet guest'"
st=$(pod_status dst)
check "$WHAT: podnet status on the destination shows the switchover done" has "$st" "incoming-migration: switched"
check "$WHAT: podnet status: the guest need not renumber" has "$(pod_status dst --json)" '"migration":"switched",'
check "$WHAT: the watcher leaves the link alone (the guest keeps the pod's address)" \
	lv_wait 30 grep -q "domain '$DOMAIN': resumed after an incoming migration: the guest showed no other address than this pod's" "$LV_TOP/watch.out"
check "$WHAT: the watcher did not flap the link" test -z "$(grep "link refreshed" "$LV_TOP/watch.out" || true)"
check "$WHAT: the link is up" eq "$(mig_virsh dst domif-getlink "$DOMAIN" "$LV_VM_MAC" 2>&1 | awk '{ print $NF }')" up
note "$WHAT: watcher: $(tr '\n' ';' <"$LV_TOP/watch.out")"
lv_kill_pids "$watch_pid"
check "$WHAT: one record in the shared /run/podnet (the destination's)" \
	eq "$(find "$LV_PODNET_RUN" -maxdepth 1 -name '*.state' | wc -l)" 1

# --- 4. link-refresh on the destination ---------------------------------------
WHAT="link-refresh"
mig_probe_start "$POD_IP" || bad "$WHAT: the probe's TCP connection to $POD_IP did not open after the migration"
t0=$(lv_now_ms)
# KubeVirt's 100 ms here (the default 12 s would stall the connection):
# by hand, link-refresh flaps whatever the responder's verdict.
out=$("$LINK_REFRESH" link-refresh --connect "qemu:///system?socket=$LV_RUN/libvirt/libvirt-sock" --down-ms 100 "$DOMAIN" 2>&1) && rc=0 || rc=$?
check "$WHAT: podnet link-refresh $DOMAIN exits 0 ($(($(lv_now_ms) - t0)) ms): $out" eq "$rc" 0
check "$WHAT: it names the tagged interface it refreshed" has "$out" "$LV_VM_MAC"
check "$WHAT: the link is up again" eq "$(mig_virsh dst domif-getlink "$DOMAIN" "$LV_VM_MAC" 2>&1 | awk '{ print $NF }')" up
out=$("$LINK_REFRESH" link-refresh --connect "qemu:///system?socket=$LV_RUN/libvirt/libvirt-sock" nosuchdomain 2>&1) && rc=0 || rc=$?
check "$WHAT: an unknown domain: exit 3 ($out)" eq "$rc" 3
check "$WHAT: an unknown domain: one podnet line" eq "$(printf '%s\n' "$out" | grep -c '^podnet')" 1
check "$WHAT: the connection carries on after it" mig_probe_flows
mig_probe_stop
note "$WHAT: $MIG_PROBE"

t0=$(lv_now_ms)
check "virsh destroy on the destination" lv_virsh destroy "$DOMAIN"
lv_expect_pod_as "destination pod exact after the VM is destroyed there" "destination pod differs after virsh destroy" dst-destroy "$LV_TOP/before-dst"
lv_expect_pod_idle "after destroy: destination"
check "after destroy: the shared /run/podnet is empty" test -z "$(ls -A "$LV_PODNET_RUN")"

# --- 5. the same migration without podnet, for the figures ---------------------
[ "$MIG_PLAIN" = 1 ] || assert_exit migration
WHAT="plain bridge (no podnet)"
PLAIN_MAC=52:54:00:12:34:57
mig_plain_pod src "$POD_IP" "$PLAIN_MAC"
mig_plain_pod dst
PSERIAL=$LV_TOP/serial-plain.log
# The same domain without podnet's tag (the hook leaves it alone), on plainbr.
lv_domain_xml plain1 "$GUEST_DIR/vmlinuz" "$INITRD" "$PSERIAL" "$PLAIN_MAC" plainbr |
	sed -e "s|<source path='$PSERIAL'/>|<source path='$PSERIAL' append='on'/>|" \
		-e '/<metadata>/,/<\/metadata>/d' >"$LV_TOP/plain1.xml"
lv_ctx_use src
ip -n "$LV_NODE" neigh flush to "$POD_IP"
t0=$(lv_now_ms)
lv_start "$WHAT: virsh start on the source pod" "$LV_TOP/plain1.xml" plain1 || exit 1
lv_wait 240 grep -aq PODNET-READY "$PSERIAL" || { bad "$WHAT: no PODNET-READY within 240 s"; tail -n 5 "$PSERIAL" | sed 's/^/#   /'; exit 1; }
ok "$WHAT: guest ready ($(($(lv_now_ms) - t0)) ms): $(serial_line "$PSERIAL" PODNET-NET | cut -c1-60)"
check "$WHAT: the hook kept no record for it" test -z "$(ls -A "$LV_PODNET_RUN")"
lv_wait 30 node_reaches "$POD_IP" || die "$WHAT: the node does not reach the VM at $POD_IP"
echo_cgi=$(lv_node curl -sS --max-time 20 "http://$POD_IP:8080/cgi-bin/echo" 2>&1 || true)
check "$WHAT: the guest's echo service started" has "$echo_cgi" "echo on $MIG_ECHO_PORT"
mig_probe_start "$POD_IP" || die "$WHAT: the probe's connection did not open"
check "$WHAT: the node's TCP connection to the VM echoes" mig_probe_flows
if mig_migrate src dst plain1; then
	ok "$WHAT: virsh migrate --live ($MIG_MS ms)"
else
	bad "$WHAT: virsh migrate: $MIG_OUT"
fi
sleep 3
check "$WHAT: the node's TCP connection still echoes" mig_probe_flows
mig_probe_stop
note "$WHAT: $MIG_PROBE"
check "$WHAT: the TCP connection is alive" eq "$(mig_field "$MIG_PROBE" tcp)" alive
note "FIGURES same-IP live migration (TCG guest, 100 ms probe): with podnet: $PODNET_FIGURES; without podnet: migrate ${MIG_MS} ms, ${MIG_PROBE#probe }"
mig_virsh dst destroy plain1 >/dev/null 2>&1 || true
assert_exit migration
