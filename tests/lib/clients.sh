# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# The one runner of the tests of real DHCP clients in a fake VM
# (dhcp_{dhclient,dhcpcd,networkd}.sh for IPv4, dhcp6_*.sh for IPv6): per
# pod shape of the family, the pod, prepare, the VM's port attached, the
# client's own run and checks, then release and the pod exactly as before.
# Sourced after netns.sh; the same safety rules hold.

# shellcheck source=tests/lib/vmcheck.sh
. "$(dirname "${BASH_SOURCE[0]}")/vmcheck.sh"
# shellcheck source=tests/lib/vmcheck6.sh
. "$(dirname "${BASH_SOURCE[0]}")/vmcheck6.sh"

# client_run FAMILY NAME BODY - for every shape of FAMILY (4: the shapes of
# cni_shapes_working this kernel can make, shape_pod; 6: $V6_SHAPES,
# v6_pod), run `BODY SHAPE WHAT` (WHAT: "NAME[SHAPE]") with the fake VM's
# eth0 ($VM_MAC) attached to the pod's bridge after prepare; then release,
# the pod exactly as before, teardown. An IPv4 prepare must succeed (it
# ends the test); a failed IPv6 prepare fails this shape and skips BODY.
# Ends the test (lab_done).
client_run()
{
	local family=$1 name=$2 body=$3 shape shapes w
	case $family in
	4) shapes=$(cni_shapes_working) ;;
	6) shapes=$V6_SHAPES ;;
	*) die "client_run: family '$family' is not 4 or 6" ;;
	esac
	for shape in $shapes; do
		log "=== $shape"
		w="${name}[$shape]"
		if [ "$family" = 4 ]; then
			shape_can "$shape" || continue
			shape_pod "$shape"
			snapshot "$TEST_DIR/snap.before"
			hook_prepare "$LAB_DATA/vm1.xml"
			client_vm_attach
			"$body" "$shape" "$w"
		else
			v6_pod "$shape"
			snapshot "$TEST_DIR/snap.before"
			if v6_prepare "$w" "$LAB_DATA/vm1.xml"; then
				client_vm_attach v6_vm_sysctls
				"$body" "$shape" "$w"
			fi
		fi
		ip -n "$POD" link del vnet0 2>/dev/null || true
		hook_release "$LAB_DATA/vm1.xml"
		snapshot_expect_same "$w after release" "$TEST_DIR/snap.before"
		lab_teardown
	done
	lab_done
}

# networkd_need - systemd-networkd and its user are there; sets NETWORKD.
networkd_need()
{
	NETWORKD=/lib/systemd/systemd-networkd
	[ -x "$NETWORKD" ] || die "$NETWORKD not found (Debian package systemd)"
	id systemd-network >/dev/null 2>&1 || die "user systemd-network missing"
}

# networkd_script BODY - a `sh -c` script for the VM whose $1 is a folder
# holding 10-eth0.network: $NETWORKD started confined (a private mount
# namespace: /sys read-only, so it does not wait for udev, systemd 250+; tmpfs
# over /run/systemd and /run/dbus, so it never claims a bus name even where
# the machine runs a bus), logging to $1/log, its pid in $pid; then BODY,
# which ends it with `nwd_end CODE` (networkd releases and deconfigures).
networkd_script()
{
	# shellcheck disable=SC2016 # the VM's shell expands them
	printf '%s\n' '
		dir=$1
		nwd_end() { kill $pid; wait $pid; exit "$1"; }
		mount -o remount,bind,ro /sys || exit 1
		mount -t tmpfs -o mode=0755 podnet-test /run/systemd || exit 1
		if [ -d /run/dbus ]; then
			mount -t tmpfs -o mode=0755 podnet-test /run/dbus || exit 1
		fi
		mkdir -p /run/systemd/network /run/systemd/netif || exit 1
		chown systemd-network:systemd-network /run/systemd/netif
		cp "$dir/10-eth0.network" /run/systemd/network/ || exit 1
		SYSTEMD_LOG_LEVEL=debug SYSTEMD_LOG_TARGET=console '"$NETWORKD"' >"$dir/log" 2>&1 &
		pid=$!' "$1"
}

# networkd_run SECONDS FILE TRIES BODY - networkd_script BODY in the VM in
# the background, bounded by SECONDS, on the folder NWD_DIR (its pid:
# NWD_PID); then wait (TRIES tenths of a second at most) until the script
# makes NWD_DIR/FILE. Returns 1 if it did not.
networkd_run()
{
	local file=$NWD_DIR/$2
	timeout -k 5 "$1" ip netns exec "$VM" sh -c "$(networkd_script "$4")" \
		sh "$NWD_DIR" >"$NWD_DIR/sh.log" 2>&1 &
	NWD_PID=$!
	LAB_PIDS+=("$NWD_PID")
	for _ in $(seq 1 "$3"); do
		[ ! -e "$file" ] || return 0
		kill -0 "$NWD_PID" 2>/dev/null || break
		sleep 0.1
	done
	[ -e "$file" ]
}

# networkd_stop TAG - let networkd_script's networkd (pid NWD_PID, folder
# NWD_DIR) stop (it releases), wait for it (bounded: the timeout around it),
# end whatever it left and show its logs. Sets NWD_RC.
networkd_stop()
{
	local tag=$1
	: >"$NWD_DIR/stop"
	set +e
	wait "$NWD_PID"
	NWD_RC=$?
	set -e
	lab_kill_ns "$VM"
	sed "s/^/networkd[$tag]: /" "$NWD_DIR/sh.log"
	grep -v -i 'debug' "$NWD_DIR/log" | sed "s/^/networkd[$tag]: /" | tail -n 40 || true
	[ "$NWD_RC" = 0 ] || bad "networkd[$tag]: networkd's run ended with exit $NWD_RC"
}

# client_vm_attach [SETUP] - the fake VM's eth0, SETUP run before its port
# joins the pod's bridge (as libvirt attaches the tap after prepare).
client_vm_attach()
{
	lab_fake_vm eth0 "$VM_MAC" vnet0
	[ $# = 0 ] || "$@"
	lab_attach vnet0 pn-eth0
}
