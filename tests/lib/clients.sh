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

# client_vm_attach [SETUP] - the fake VM's eth0, SETUP run before its port
# joins the pod's bridge (as libvirt attaches the tap after prepare).
client_vm_attach()
{
	lab_fake_vm eth0 "$VM_MAC" vnet0
	[ $# = 0 ] || "$@"
	lab_attach vnet0 pn-eth0
}
