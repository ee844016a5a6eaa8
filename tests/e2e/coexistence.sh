#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A user's own /etc/libvirt/hooks/qemu and podnet's hooks/qemu.d/50-podnet
# both run under a real libvirtd: `virsh start` of a small TCG domain (no
# disk: SeaBIOS just waits, nothing needs to boot) calls both at prepare,
# podnet's record and bridge appear, `podnet status` sees the domain; `virsh
# destroy` calls both at release and the pod is restored.
#
# libvirtd runs in a "pod" network namespace with a private mount namespace
# over /etc/libvirt, /run, /var/lib/libvirt, /var/log/libvirt and
# /var/cache/libvirt (LAB.md): the machine's own trees and networking are
# never touched. Only 198.51.100.0/24. The trap removes all of it, by pid.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
PODNET=${PODNET:-$TOP/build/podnet}
# shellcheck source=tests/lib/domain_xml.sh
. "$TOP/tests/lib/domain_xml.sh"
# shellcheck source=tests/lib/assert.sh
. "$TOP/tests/lib/assert.sh"
RUN=$(printf '%x%04x' "$$" "$RANDOM")
POD=pn-cp-$RUN NODE=pn-cn-$RUN DOM=coex-$RUN
POD_IP=198.51.100.10 GW=198.51.100.1 VM_MAC=52:54:00:12:34:56
UUID=$(cat /proc/sys/kernel/random/uuid)
DIR=$(mktemp -d /tmp/podnet-coex.XXXXXX)
L=$DIR/root
SOCK=$L/run/libvirt/libvirt-sock
HOLDER=

log() { printf 'coexistence: %s\n' "$*"; }
virsh_() { virsh -q -c "qemu:///system?socket=$SOCK" "$@"; }
in_pod() { nsenter -t "$HOLDER" -n -m "$@"; }
wait_for() { # TENTHS CMD...
	local n=$1
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

cleanup() {
	local pid
	[ -S "$SOCK" ] && virsh_ destroy "$DOM" >/dev/null 2>&1
	pid=$(cat "$L/run/libvirt/coex-libvirtd.pid" 2>/dev/null)
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && sleep 0.5
	[ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null
	# qemu, the responder and anything else left in our namespaces, by pid.
	for ns in "$POD" "$NODE"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -9 "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$DIR"
}
trap cleanup EXIT

command -v libvirtd >/dev/null && command -v virsh >/dev/null &&
	command -v qemu-system-x86_64 >/dev/null ||
	die "libvirtd, virsh or qemu-system-x86_64 missing (tests/deps.sh)"
[ -x "$PODNET" ] || die "no binary at $PODNET (run make)"

# The pod: eth0 is a veth to the node.
ip netns add "$POD" && ip netns add "$NODE" || die "cannot create namespaces"
ip -n "$POD" link add eth0 type veth peer name up0 netns "$NODE"
ip -n "$POD" link set lo up
ip -n "$POD" link set eth0 mtu 1400 up
ip -n "$POD" addr add "$POD_IP/24" dev eth0
ip -n "$POD" route add default via "$GW"
ip -n "$NODE" link set up0 up
ip -n "$NODE" addr add "$GW/24" dev up0
ip -n "$POD" -4 addr show dev eth0 >"$DIR/pod-before"
ip -n "$POD" -4 route show >>"$DIR/pod-before"

# libvirtd's private trees: hooks/qemu is the user's, qemu.d/50-podnet is
# podnet installed as `make install` and the packages install it.
mkdir -p "$L/etc/libvirt/hooks/qemu.d" "$L/etc/libvirt/qemu/networks" \
	"$L/run/libvirt" "$L/var/lib/libvirt" "$L/var/log/libvirt" \
	"$L/var/cache/libvirt"
cat >"$L/etc/libvirt/qemu.conf" <<'CONF'
stdio_handler = "file"
cgroup_controllers = [ ]
security_driver = "none"
user = "root"
group = "root"
CONF
cat >"$L/etc/libvirt/libvirtd.conf" <<'CONF'
auth_unix_ro = "none"
auth_unix_rw = "none"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
CONF
cat >"$L/etc/libvirt/hooks/qemu" <<HOOK
#!/bin/sh
# The user's own hook: logs each call and whether podnet's record exists.
cat >/dev/null
rec=no
for f in /run/podnet/$UUID@*.state; do [ -e "\$f" ] && rec=yes; done
echo "\$* record=\$rec" >>"$DIR/user-hook.log"
HOOK
chmod 0755 "$L/etc/libvirt/hooks/qemu"
cp "$L/etc/libvirt/hooks/qemu" "$DIR/user-hook.orig"
ln -s "$PODNET" "$L/etc/libvirt/hooks/qemu.d/50-podnet"
# libvirt's qemu driver resolves libvirt-qemu/kvm before reading qemu.conf.
if ! getent passwd libvirt-qemu >/dev/null || ! getent group kvm >/dev/null ||
	! getent group libvirt-qemu >/dev/null; then
	cp /etc/passwd "$L/etc/passwd"
	cp /etc/group "$L/etc/group"
	getent group kvm >/dev/null || echo 'kvm:x:64054:' >>"$L/etc/group"
	getent group libvirt-qemu >/dev/null || echo 'libvirt-qemu:x:64055:' >>"$L/etc/group"
	getent passwd libvirt-qemu >/dev/null ||
		echo 'libvirt-qemu:x:64055:64055::/var/lib/libvirt:/usr/sbin/nologin' >>"$L/etc/passwd"
fi

# shellcheck disable=SC2016
ip netns exec "$POD" unshare -m --propagation private sh -c '
	set -e
	L=$1
	for d in /etc/libvirt /run /var/lib/libvirt /var/log/libvirt /var/cache/libvirt; do
		mkdir -p "$d" 2>/dev/null || true
		mount --bind "$L$d" "$d"
	done
	for f in /etc/passwd /etc/group; do
		[ ! -f "$L$f" ] || mount --bind "$L$f" "$f"
	done
	: >"$L/ready"
	exec sleep infinity' sh "$L" </dev/null >"$DIR/holder.log" 2>&1 &
HOLDER=$!
wait_for 100 test -e "$L/ready" || die "namespace holder: $(cat "$DIR/holder.log")"
in_pod libvirtd -d -p /run/libvirt/coex-libvirtd.pid -f /etc/libvirt/libvirtd.conf \
	</dev/null >"$DIR/libvirtd.out" 2>&1 || die "libvirtd: $(cat "$DIR/libvirtd.out")"
wait_for 300 virsh_ version >/dev/null 2>&1 ||
	die "libvirtd does not answer: $(tail -5 "$L/var/log/libvirt/libvirtd.log")"
log "libvirtd $(virsh_ version | sed -n 's/.*libvirt \([0-9.]*\)$/\1/p' | head -1) up in pod $POD"

test_domain_xml "$DOM" "$UUID" "$VM_MAC" eth0 pn-eth0 >"$DIR/dom.xml"
virsh_ define "$DIR/dom.xml" >/dev/null || die "virsh define failed"
virsh_ start "$DOM" >"$DIR/start.out" 2>&1 || die "virsh start: $(cat "$DIR/start.out")"
log "virsh start: ok"

grep -q "^$DOM prepare begin - record=no$" "$DIR/user-hook.log" ||
	bad "the user's hook did not run at prepare"
grep -q "^$DOM started begin - record=yes$" "$DIR/user-hook.log" ||
	bad "the user's hook did not see podnet's record at started"
[ -e "$(state_file "$L/run/podnet" "$UUID" .state)" ] || bad "podnet did not run: no record"
ip -n "$POD" -o link show master pn-eth0 | grep -q ' eth0@' ||
	bad "eth0 is not a port of podnet's bridge"
ip -n "$POD" -4 addr show dev eth0 | grep -q inet && bad "eth0 still has its address"
in_pod "$PODNET" status "$DOM" >"$DIR/status" || bad "podnet status: $(cat "$DIR/status")"
grep -q "^domain '$DOM' ($UUID): serving$" "$DIR/status" || bad "status: $(cat "$DIR/status")"
sed 's/^/  /' "$DIR/status"

virsh_ destroy "$DOM" >/dev/null || bad "virsh destroy failed"
wait_for 100 grep -q "^$DOM release end" "$DIR/user-hook.log" ||
	bad "the user's hook did not run at release"
wait_for 100 test ! -e "$(state_file "$L/run/podnet" "$UUID" .state)" || bad "podnet did not release: record left"
ip -n "$POD" -4 addr show dev eth0 >"$DIR/pod-after"
ip -n "$POD" -4 route show >>"$DIR/pod-after"
diff -u "$DIR/pod-before" "$DIR/pod-after" || bad "the pod was not restored"
cmp -s "$L/etc/libvirt/hooks/qemu" "$DIR/user-hook.orig" || bad "the user's hook was changed"
log "hook calls seen by the user's hook:"
sed 's/^/  /' "$DIR/user-hook.log"
virsh_ undefine "$DOM" >/dev/null

assert_exit coexistence
