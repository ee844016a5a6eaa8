#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End to end under a real container engine: rootful podman with netavark on a
# bridge network made in a node namespace of the test's own
# (tests/lib/podman.sh keeps podman off the machine's state).
# tests/run: group=pkg   (make image builds make dist's tarball, as the pkg jobs do)
#
#  1. The image: a Debian base from mmdebstrap (made once per machine, keyed
#     by its packages' versions: tests/lib/podman.sh), then `make image
#     BASE_IMAGE=that`.
#  2. `podman kube play` of contrib/kubernetes/podnet-vm.yaml as it is (its
#     image is the name `make image` tags; the guest volume is a podman volume
#     of the claim's name holding the busybox guest; the network is given with
#     --network): the guest's lease has the pod's IP, prefix, gateway, the DNS
#     servers and search list of the resolv.conf the engine wrote, and the MTU;
#     the node reaches the VM over TCP at the pod IP; the manifest's readiness
#     probe passes in the pod; the container gets exactly the manifest's
#     capabilities. A SIGKILL of the container: the restarted one restores the
#     pod from podnet's record on the emptyDir and serves again. The
#     manifest's preStop stops the domain and podnet restores the pod; `podman
#     kube down` then leaves no container, process or network namespace.
#  3. The plain `podman run` of the same image with the same privileges: a
#     `virsh destroy` inside restores the container's network exactly (a
#     complete snapshot: links, addresses and routes of both families in every
#     table, the engine's `proto static metric 100` default route, rules,
#     permanent neighbours); a `podman stop` of a running domain shuts it down
#     (destroy after PODNET_SHUTDOWN_TIMEOUT) and podnet restores the pod
#     before libvirtd stops.
#
#   tests/e2e/podman.sh        (root)
set -eu

cd "$(dirname "$0")/../.."
# shellcheck source=tests/lib/guest.sh
. tests/lib/guest.sh
# shellcheck source=tests/lib/assert.sh
. tests/lib/assert.sh
# shellcheck source=tests/lib/libvirt_lab.sh
. tests/lib/libvirt_lab.sh
# shellcheck source=tests/lib/snapshot.sh
. tests/lib/snapshot.sh
# shellcheck source=tests/lib/podman.sh
. tests/lib/podman.sh

MANIFEST=$PWD/contrib/kubernetes/podnet-vm.yaml
PODNET=$PWD/build/podnet
KUBE_IP=198.51.100.10
RUN_IP=198.51.100.20
# The guest ignores ACPI power button presses (busybox init): every shutdown
# here ends in the destroy; the manifest's 30 s would only add waiting.
SHUTDOWN_TIMEOUT=3
SERIAL=/var/log/libvirt/qemu/vm1-serial.log

T_START=$(date +%s)
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }

[ "$(id -u)" = 0 ] || die "must run as root"
for t in podman runc conmon mmdebstrap nsenter unshare curl python3 iptables; do
	command -v "$t" >/dev/null || die "required tool '$t' not found (run tests/deps.sh)"
done
python3 -c 'import yaml' 2>/dev/null || die "python3-yaml is missing (run tests/deps.sh)"
[ -x /usr/lib/podman/netavark ] || die "netavark is missing (run tests/deps.sh)"
[ -x "$PODNET" ] || make -s all >/dev/null || die "build failed"

guest_build || die "guest build"
lv_init

# --- the manifest, as a user would apply it --------------------------------
DOMAIN_XML=$LV_TOP/domain.xml
m=$(python3 tests/lib/manifest.py "$MANIFEST" "$DOMAIN_XML") || die "cannot read $MANIFEST"
eval "$m"
check "manifest: the ConfigMap's domain passes 'podnet validate'" \
	sh -c "'$PODNET' validate '$DOMAIN_XML' >/dev/null"
check "manifest: TCG domain (type='qemu': no /dev/kvm needed)" grep -q "<domain type='qemu'>" "$DOMAIN_XML"
check "manifest: image is what 'make image' tags" eq "$M_IMAGE" "$(make -s image-name)"
check "manifest: not privileged, no privilege escalation, capabilities: drop ALL" \
	eq "$M_PRIVILEGED $M_NNP $M_CAPS_DROP" "false true ALL"
note "manifest capabilities: $M_CAPS"
DOMAIN=$(sed -n 's:.*<name>\(.*\)</name>.*:\1:p' "$DOMAIN_XML" | head -n 1)

# The guest's files, as the claim's volume holds them: kernel, initrd and a
# disk (the busybox guest does not use it).
GUEST_FILES=$LV_TOP/guest
mkdir -p "$GUEST_FILES"
cp "$GUEST_DIR/vmlinuz" "$GUEST_DIR/initrd.gz" "$GUEST_FILES/"
truncate -s 16M "$GUEST_FILES/disk.img"

# --- engine and image ---------------------------------------------------------
pm_init
t=$(lv_now_ms)
pm_base_image || die "base image"
note "base image $PM_BASE ready in $(($(lv_now_ms) - t)) ms"
t=$(lv_now_ms)
if pm_host make -s image BASE_IMAGE="$PM_BASE" PODMAN_BUILD_FLAGS="--network host" \
	>"$LV_TOP/image.log" 2>&1; then
	ok "make image BASE_IMAGE=$PM_BASE ($(($(lv_now_ms) - t)) ms)"
else
	tail -n 30 "$LV_TOP/image.log" | sed 's/^/#   /'
	die "make image"
fi
pm image prune -f >/dev/null 2>&1 || true
image_podnet() { pm run --rm --network none --entrypoint podnet "$M_IMAGE" --version | grep -q '^podnet '; }
check "image $M_IMAGE runs podnet" image_podnet

# --- helpers over one container -----------------------------------------------
ctr_pid() { pm inspect -f '{{.State.Pid}}' "$1" 2>/dev/null; }
# The guest's serial console, read through the container's root.
serial() { # CONTAINER
	local pid
	pid=$(ctr_pid "$1") && [ "$pid" != 0 ] && tr -d '\r' <"/proc/$pid/root$SERIAL" 2>/dev/null
}
serial_count() { serial "$1" | grep -ac "$2" || true; }
serial_line() { serial "$1" | grep -a "$2" | tail -n 1; }
# The Nth PODNET-READY line (lease applied, httpd up) on CONTAINER's console.
ready_count_is() { [ "$(serial_count "$1" PODNET-READY)" -ge "$2" ]; }
wait_lease() { lv_wait 180 ready_count_is "$1" "$2"; } # CONTAINER N
resolv_of() { # CONTAINER: nameservers and search list, as the lease spells them
	local pid
	pid=$(ctr_pid "$1")
	RESOLV_DNS=$(awk '$1 == "nameserver" { print $2 }' "/proc/$pid/root/etc/resolv.conf" | paste -sd,)
	RESOLV_SEARCH=$(awk '$1 == "search" { $1 = ""; print }' "/proc/$pid/root/etc/resolv.conf" | xargs | tr ' ' ',')
}
lease_checks() { # WHAT LEASELINE NETLINE IP PREFIX GW CONTAINER
	local what=$1 lease=$2 net=$3 ip=$4 prefix=$5 gw=$6
	resolv_of "$7"
	note "$lease"
	check "$what: lease ip is the pod's" eq "$(field "$lease" ip)" "$ip"
	check "$what: lease prefix" eq "$(field "$lease" mask)" "$prefix"
	if [ "$(field "$lease" router)" = "$gw" ]; then
		ok "$what: lease gateway (router)"
	else
		check "$what: lease gateway (classless default route)" has "$(field "$lease" staticroutes)" "0.0.0.0/0,$gw"
	fi
	check "$what: lease dns is the engine's resolv.conf ($RESOLV_DNS)" eq "$(field "$lease" dns)" "$RESOLV_DNS"
	check "$what: lease search list is the engine's resolv.conf ($RESOLV_SEARCH)" eq "$(field "$lease" search)" "$RESOLV_SEARCH"
	check "$what: lease mtu" eq "$(field "$lease" mtu)" "$PM_MTU"
	check "$what: lease hostname" eq "$(field "$lease" hostname)" "$DOMAIN"
	check "$what: guest applied address and mtu" eq "$(field "$net" addr) $(field "$net" mtu)" "$ip/$prefix $PM_MTU"
}
tcp_check() { # WHAT IP
	local out t0
	t0=$(lv_now_ms)
	if out=$(lv_node curl -sS --max-time 10 "http://$2:8080/" 2>&1) && [ "$out" = "hello from podnet guest" ]; then
		ok "$1: the node reaches the VM over TCP at $2 ($(($(lv_now_ms) - t0)) ms)"
		note "node$ curl http://$2:8080/ -> $out"
	else
		bad "$1: the node cannot reach the VM at $2: $out"
	fi
}
probe() { # CONTAINER: the manifest's readiness probe, in the container
	# shellcheck disable=SC2086
	pm exec "$1" $M_PROBE
}
probe_status() { probe "$1" >/dev/null 2>&1; echo $?; }
logs_have() { pm logs "$1" 2>&1 | grep -q "$2" || { echo "#   no '$2' in the logs of $1"; return 1; }; }
dump_debug() { # CONTAINER
	note "--- $1: serial console (tail)"
	serial "$1" | tail -n 20 | sed 's/^/#   /'
	note "--- $1: logs (tail, no libvirtd start-up noise)"
	pm logs "$1" 2>&1 | grep -v -e dnsmasq -e 'bus connection' -e DBus -e dmi -e /dev/kvm | tail -n 20 | sed 's/^/#   /'
}
# The pod's network namespace under a name of ours, for pod_snapshot.
attach_netns() { # CONTAINER NAME
	local pid
	pid=$(ctr_pid "$1") || pid=0
	if [ -z "$pid" ] || [ "$pid" = 0 ]; then bad "$1 is not running"; return 1; fi
	ip netns attach "$2" "$pid" && lv_defer "ip netns del '$2'"
}

# --- 2. podman kube play of the manifest -----------------------------------------
echo "# === podman kube play $MANIFEST"
tar -C "$GUEST_FILES" -cf "$LV_TOP/guest.tar" vmlinuz initrd.gz disk.img
pm volume create "$M_CLAIM" >/dev/null || die "cannot create the volume $M_CLAIM"
pm volume import "$M_CLAIM" "$LV_TOP/guest.tar" || die "cannot fill the volume $M_CLAIM"
KCTR=$M_POD-$M_CONTAINER
t0=$(lv_now_ms)
if out=$(pm kube play --network "$PM_NET" --ip "$KUBE_IP" "$MANIFEST" 2>&1); then
	ok "podman kube play ($(($(lv_now_ms) - t0)) ms)"
else
	printf '%s\n' "$out" | sed 's/^/#   /'
	die "podman kube play"
fi
pm_note_ctr "$KCTR"
INFRA=$(pm pod inspect "$M_POD" --format '{{.InfraContainerID}}')
pm_note_ctr "$INFRA"
POD_NETNS=$(pm inspect -f '{{.NetworkSettings.SandboxKey}}' "$INFRA")
POD_NETNS_INO=$(stat -L -c %i "/proc/$(ctr_pid "$INFRA")/ns/net")
read -r POD_IP POD_PREFIX POD_GW < <(pm inspect -f \
	'{{range .NetworkSettings.Networks}}{{.IPAddress}} {{.IPPrefixLen}} {{.Gateway}}{{end}}' "$INFRA")
note "pod $M_POD: $POD_IP/$POD_PREFIX via $POD_GW, netns $POD_NETNS"
check "kube: the engine gave the pod $KUBE_IP/24 via $PM_GW" eq "$POD_IP/$POD_PREFIX $POD_GW" "$KUBE_IP/24 $PM_GW"
check "kube: the container has exactly the manifest's capabilities" eq \
	"$(pm inspect -f '{{range .EffectiveCaps}}{{.}} {{end}}' "$KCTR" | tr ' ' '\n' | sed '/^$/d; s/^CAP_//' | sort | paste -sd,)" \
	"$(echo "$M_CAPS" | tr ',' '\n' | sort | paste -sd,)"

if wait_lease "$KCTR" 1; then
	ok "kube: the guest has its lease ($(($(lv_now_ms) - t0)) ms after kube play)"
else
	bad "kube: no PODNET-READY on the guest's console within 180 s"
	dump_debug "$KCTR"
fi
KUBE_LEASE=$(serial_line "$KCTR" PODNET-LEASE)
lease_checks kube "$KUBE_LEASE" "$(serial_line "$KCTR" PODNET-NET)" "$POD_IP" "$POD_PREFIX" "$POD_GW" "$KCTR"
check "kube: the manifest's readiness probe ($M_PROBE) passes" probe "$KCTR"
probe "$KCTR" 2>&1 | sed 's/^/#   /'
tcp_check kube "$POD_IP"

# SIGKILL: no release runs; the pod stays in podnet's bridge. The restarted
# container (restartPolicy Always) restores it from the record on the
# emptyDir, and the guest gets its lease again.
t0=$(lv_now_ms)
restarts=$(pm inspect -f '{{.RestartCount}}' "$KCTR")
# Killed from outside, as the kernel's OOM killer would (podman restarts no
# container that `podman kill` stopped): tini is the container's PID 1, and
# everything in it goes with it.
kill -KILL "$(ctr_pid "$KCTR")"
restarted() { [ "$(pm inspect -f '{{.RestartCount}} {{.State.Running}}' "$KCTR")" = "$((restarts + 1)) true" ]; }
if lv_wait 60 restarted; then
	ok "kube: a SIGKILLed container is restarted"
else
	bad "kube: the container was not restarted after SIGKILL"
fi
pm_note_ctr "$KCTR"
# QEMU truncates the console file when it starts: once the domain runs, the
# file holds the new guest's lines only.
domain_running() { [ "$(pm exec "$1" virsh -q domstate "$DOMAIN" 2>/dev/null)" = running ]; }
lv_wait 120 domain_running "$KCTR" || bad "kube: the domain does not run after the restart"
if wait_lease "$KCTR" 1; then
	ok "kube: after the restart the guest has its lease again ($(($(lv_now_ms) - t0)) ms after the kill)"
else
	bad "kube: no PODNET-READY within 180 s after the restart"
	dump_debug "$KCTR"
fi
check "kube: the new container restored the pod from the record the killed one left" \
	logs_have "$KCTR" "an earlier container left podnet's record"
check "kube: readiness probe passes after the restart" probe "$KCTR"
tcp_check "kube, after the restart" "$POD_IP"

# What kubelet does first: the preStop hook, then SIGTERM. (podman 4.3 runs
# neither preStop nor readiness probes, and stops a pod's containers all at
# once after 10 s whatever terminationGracePeriodSeconds says: the test runs
# the manifest's preStop itself.)
t0=$(lv_now_ms)
# shellcheck disable=SC2086 # M_PRESTOP: the command's words
if out=$(pm exec -e PODNET_SHUTDOWN_TIMEOUT=$SHUTDOWN_TIMEOUT "$KCTR" $M_PRESTOP 2>&1); then
	ok "kube: the manifest's preStop ($M_PRESTOP) stops the domain ($(($(lv_now_ms) - t0)) ms)"
else
	bad "kube: preStop failed"
fi
printf '%s\n' "$out" | sed 's/^/#   /'
check "kube: preStop: podnet restored the pod's network" has "$out" "podnet restored the pod's network"
check "kube: readiness probe fails once the domain is gone (exit 3)" eq "$(probe_status "$KCTR")" 3
attach_netns "$INFRA" "pn-e2e-kpod-$$" || true
check "kube: the pod's eth0 has its address back" sh -c \
	"ip -n pn-e2e-kpod-$$ -4 -o addr show dev eth0 | grep -q ' $POD_IP/$POD_PREFIX '"
check "kube: the engine's default route is back (proto static metric 100)" sh -c \
	"ip -n pn-e2e-kpod-$$ -4 route show default | grep -Eqx 'default via $POD_GW dev eth0 proto static metric 100 *'"
check "kube: the node reaches the pod again" lv_wait 10 lv_node busybox ping -c 1 -W 1 "$POD_IP"
ip netns del "pn-e2e-kpod-$$"

KPIDS=$(for e in ${PM_INITS:-}; do echo "${e%%:*}"; done)
t0=$(lv_now_ms)
if out=$(pm kube down "$MANIFEST" 2>&1); then
	ok "podman kube down ($(($(lv_now_ms) - t0)) ms)"
else
	bad "podman kube down: $out"
fi
check "kube down: no container and no pod left" eq "$(pm ps -aq; pm pod ps -q)" ""
netns_gone() { ! pm_mnt test -e "$POD_NETNS"; }
check "kube down: the pod's network namespace is gone" netns_gone
left=
for p in /proc/[0-9]*; do
	[ "$(stat -L -c %i "$p/ns/net" 2>/dev/null)" = "$POD_NETNS_INO" ] && left="$left ${p#/proc/}"
done
check "kube down: no process left in the pod's network namespace${left:+:$left}" test -z "$left"
left=
for p in $KPIDS; do [ ! -e "/proc/$p" ] || left="$left $p"; done
check "kube down: the containers' processes are gone${left:+:$left}" test -z "$left"

# --- 3. podman run -----------------------------------------------------------------
echo "# === podman run $M_IMAGE"
RCTR=podnet-e2e-run
# The same privileges as the manifest; the domain XML at a path the entry
# point does not start by itself, so that the snapshot comes first.
if ! pm run -d --name "$RCTR" --network "$PM_NET" --ip "$RUN_IP" \
	--cap-drop ALL --cap-add "$M_CAPS" --security-opt no-new-privileges \
	--device "$M_TUN_PATH" --tmpfs /run/podnet \
	-e PODNET_SHUTDOWN_TIMEOUT=$SHUTDOWN_TIMEOUT \
	-v "$GUEST_FILES:$M_GUEST_PATH" -v "$DOMAIN_XML:/etc/podnet-e2e/domain.xml:ro" \
	"$M_IMAGE" >/dev/null; then
	die "podman run"
fi
pm_note_ctr "$RCTR"
lv_wait 120 pm exec "$RCTR" virsh -q list || { dump_debug "$RCTR"; die "libvirtd in $RCTR does not answer"; }
attach_netns "$RCTR" "pn-e2e-rpod-$$" || die "cannot name the container's network namespace"
RNS=pn-e2e-rpod-$$
before=$LV_TOP/run-before
pod_snapshot "$RNS" >"$before"
check "run: the engine wrote 'default via $PM_GW dev eth0 proto static metric 100'" \
	grep -q "^unicast default via $PM_GW dev eth0 table main proto static scope global metric 100" "$before"

t0=$(lv_now_ms)
if out=$(pm exec "$RCTR" sh -c "virsh -q define /etc/podnet-e2e/domain.xml && virsh -q start '$DOMAIN'" 2>&1); then
	ok "run: virsh start in the container ($(($(lv_now_ms) - t0)) ms)"
else
	dump_debug "$RCTR"
	die "run: virsh start: $out"
fi
if wait_lease "$RCTR" 1; then
	ok "run: the guest has its lease ($(($(lv_now_ms) - t0)) ms after virsh start)"
else
	bad "run: no PODNET-READY within 180 s"
	dump_debug "$RCTR"
fi
RUN_LEASE=$(serial_line "$RCTR" PODNET-LEASE)
lease_checks run "$RUN_LEASE" "$(serial_line "$RCTR" PODNET-NET)" "$RUN_IP" 24 "$PM_GW" "$RCTR"
check "run: readiness probe passes" probe "$RCTR"
# podnet gives its bridge no IPv6 address by netlink (addrgenmode none),
# since a container that is not privileged sees /proc/sys read-only: no
# RS, NS or MLD of the bridge's own go toward the node.
check "run: podnet's bridge has no IPv6 address (addrgenmode none)" sh -c \
	'! ip -n "$1" -6 -o addr show dev pn-eth0 | grep -q inet6' sh "$RNS"
tcp_check run "$RUN_IP"

t0=$(lv_now_ms)
check "run: virsh destroy in the container" pm exec "$RCTR" virsh -q destroy "$DOMAIN"
note "virsh destroy took $(($(lv_now_ms) - t0)) ms"
after=$LV_TOP/run-after
pod_snapshot "$RNS" >"$after"
if diff -u "$before" "$after" >"$after.diff"; then
	ok "run: the container's network is restored exactly ($(grep -c . "$before") lines: links, addresses, routes of both families, rules, neighbours)"
else
	bad "run: the container's network differs after virsh destroy"
	sed 's/^/#   /' "$after.diff"
fi
check "run: no podnet record left" eq "$(probe_status "$RCTR")" 3
check "run: the node reaches the container again" lv_wait 10 lv_node busybox ping -c 1 -W 1 "$RUN_IP"

# SIGTERM with the domain running: the entry point shuts it down (destroy
# after the timeout), podnet restores the pod, then libvirtd stops.
pm exec "$RCTR" virsh -q start "$DOMAIN" >/dev/null || bad "run: second virsh start"
wait_lease "$RCTR" 1 || bad "run: no lease after the second start"
t0=$(lv_now_ms)
check "run: podman stop" pm stop -t 60 "$RCTR"
note "podman stop took $(($(lv_now_ms) - t0)) ms"
check "run: exit status 0 after SIGTERM" eq "$(pm inspect -f '{{.State.ExitCode}}' "$RCTR")" 0
check "run: SIGTERM destroyed the domain after ${SHUTDOWN_TIMEOUT} s" logs_have "$RCTR" "still runs after ${SHUTDOWN_TIMEOUT} s: destroying it"
check "run: SIGTERM: podnet restored the pod's network" logs_have "$RCTR" "podnet restored the pod's network"
last_log_is() { pm logs "$1" 2>&1 | grep podnet-container: | tail -n 1 | grep -q "$2"; }
check "run: SIGTERM: libvirtd stopped last" last_log_is "$RCTR" "libvirtd stopped"
pm logs "$RCTR" 2>&1 | grep 'podnet-container:' | sed 's/^/#   /'
ip netns del "$RNS"
pm rm "$RCTR" >/dev/null || bad "run: podman rm"

note "guest lease (kube play): $KUBE_LEASE"
note "guest lease (podman run): $RUN_LEASE"
note "e2e podman took $(($(date +%s) - T_START)) s"
assert_exit "e2e podman"
