#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Pods as real CNIs make them (tests/lib/cni.sh: the bridge, ptp and macvlan
# plugins run as a runtime runs them; Calico, Cilium and AWS VPC CNI written
# as their source does). For each working shape the VM gets the pod's
# routing in its lease, serves TCP at the pod IP to the node (and, for ptp
# and bridge, to a second pod of the same network), reaches the node, and
# release gives the pod back exactly (full netlink snapshot), reachable
# again. Each refused shape fails prepare with one clear line and changes
# nothing. PODNET_CNI_SHAPES="ptp aws" runs only those (diagnosis).
set -euo pipefail
. "$(dirname "$0")/../lib/netns.sh"

lab_begin cni_shapes
need busybox curl udhcpc
POD2_IP=198.51.100.11
VM_PORT=8080
POD_PORT=8081

# shape_begin SHAPE - lab_pod SHAPE, and what the pod's CNI made of it.
shape_begin()
{
	lab_pod "$1"
	ip -n "$POD" -d route show table all | grep -v ' table local ' | sed "s/^/$1 pod route: /"
	ip -n "$POD" neigh show nud permanent | sed "s/^/$1 pod neigh: /"
}

# fetch_expect WHAT NS URL WANT - NS fetches URL over TCP (bounded retries:
# neighbour caches settle asynchronously); the body must be WANT.
fetch_expect()
{
	local what=$1 ns=$2 url=$3 want=$4 got="" i
	for i in $(seq 1 40); do
		got=$(ip netns exec "$ns" curl -sS --max-time 2 "$url" 2>/dev/null) && break
		sleep 0.25
	done
	expect_eq "$what (try $i)" "$want" "$got"
}

# serve NS PORT TEXT - a busybox httpd in NS (ended by pid) serving TEXT.
serve()
{
	local ns=$1 port=$2 www=$TEST_DIR/www.$1.$2
	mkdir -p "$www"
	printf '%s\n' "$3" >"$www/index.html"
	ip netns exec "$ns" busybox httpd -f -p "$port" -h "$www" &
	LAB_PIDS+=("$!")
	SERVE_PID=$!
}

# ping_expect WHAT NS IP - NS reaches IP by ICMP (three tries: ARP first).
ping_expect()
{
	local i
	for i in 1 2 3; do
		if ip netns exec "$2" busybox ping -c 1 -W 2 "$3" >/dev/null 2>&1; then
			ok "$1"
			return 0
		fi
	done
	bad "$1: no answer from $3"
}

run_working()
{
	local shape=$1 snap=$TEST_DIR/snap.$1.before lease routes mac vmac
	local pod1_ip pod2=
	shape_begin "$shape"
	pod1_ip=$CNI_POD_IP
	snapshot "$snap"

	hook_prepare "$LAB_DATA/vm1.xml"
	lab_fake_vm eth0 "$VM_MAC" vnet0
	lab_attach vnet0 pn-eth0
	udhcpc_run eth0 "$shape"
	lease=$LEASE_FILE
	log "lease $shape: $(tr '\n' ' ' <"$lease")"
	expect_udhcpc_lease "$shape udhcpc" "$lease" "$pod1_ip" "$CNI_WANT_MASK" \
		"$CNI_WANT_ROUTER" "$CNI_WANT_MTU"
	routes=$(lease_get "$lease" staticroutes)
	expect_eq "$shape udhcpc staticroutes" "$CNI_WANT_ROUTES" "$routes"

	cni_vm_apply_udhcpc "$lease" "$VM" eth0 || bad "$shape: the VM cannot apply its lease"
	ip -n "$VM" -d route show | sed "s/^/$shape vm route: /"

	serve "$VM" "$VM_PORT" "podnet-$shape-vm-$LAB_RUN"
	fetch_expect "$shape: node fetches from the VM at $pod1_ip" "$NODE" \
		"http://$pod1_ip:$VM_PORT/index.html" "podnet-$shape-vm-$LAB_RUN"
	ping_expect "$shape: VM reaches the node at $CNI_NODE_IP" "$VM" "$CNI_NODE_IP"
	if [ "$shape" = aws ]; then
		# Nobody but podnet's responder answers ARP for the gateway here.
		mac=$(ip -n "$NODE" -o link show "$CNI_HOST_IF" | sed -n 's/.* link\/ether \([0-9a-f:]*\) .*/\1/p')
		vmac=$(ip -n "$VM" neigh show "$CNI_GW" dev eth0 | sed -n 's/.* lladdr \([0-9a-f:]*\).*/\1/p')
		expect_eq "$shape: VM's neighbour $CNI_GW is the host veth" "$mac" "$vmac"
	fi

	case $shape in
	ptp | bridge)
		# A second pod of the same network (same plugin config).
		lab_ns_add pod2 pod2
		lab_cni_pod "$shape" "$pod2" "$POD2_IP"
		fetch_expect "$shape: pod $POD2_IP fetches from the VM at $pod1_ip" "$pod2" \
			"http://$pod1_ip:$VM_PORT/index.html" "podnet-$shape-vm-$LAB_RUN"
		;;
	esac

	kill "$SERVE_PID" 2>/dev/null || true
	ip -n "$POD" link del vnet0
	hook_release "$LAB_DATA/vm1.xml"
	snapshot_expect_same "$shape: after release" "$snap"

	if [ -n "$pod2" ]; then
		serve "$POD" "$POD_PORT" "podnet-$shape-pod-$LAB_RUN"
		fetch_expect "$shape: pod $POD2_IP fetches from the pod itself again" "$pod2" \
			"http://$pod1_ip:$POD_PORT/index.html" "podnet-$shape-pod-$LAB_RUN"
	fi
	lab_teardown
}

run_refused()
{
	local shape=$1 snap=$TEST_DIR/snap.$1.before reason
	if ! reason=$(cni_kernel_can "$shape" 2>&1); then
		log "note: $shape not tested: ${reason#cni: } (its CNI plugin's ADD fails here)"
		return 0
	fi
	shape_begin "$shape"
	snapshot "$snap"
	hook_run prepare "$LAB_DATA/vm1.xml" prepare begin -
	hook_expect_error "$shape: prepare"
	expect_match "$shape: refusal" "$CNI_WANT_REFUSAL" "$HOOK_ERRTEXT"
	snapshot_expect_same "$shape: after the refused prepare" "$snap"
	expect_state_empty "$shape: after the refused prepare"
	expect_no_pod_processes "$shape: after the refused prepare"
	# libvirt still calls release after a failed prepare.
	hook_run release "$LAB_DATA/vm1.xml" release end -
	hook_expect_quiet_ok "$shape: release after the refusal"
	snapshot_expect_same "$shape: after release" "$snap"
	lab_teardown
}

working=" $(cni_shapes_working) "
refused=" $(cni_shapes_refused) "
for shape in ${PODNET_CNI_SHAPES:-$(cni_shapes_working) $(cni_shapes_refused)}; do
	if [[ $working == *" $shape "* ]]; then
		run_working "$shape"
	elif [[ $refused == *" $shape "* ]]; then
		run_refused "$shape"
	else
		die "unknown shape '$shape'"
	fi
done
lab_done
