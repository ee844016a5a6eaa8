# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash disable=SC2034
# (SC2034: the CNI_* results are globals for the sourcing test.)
# Pods shaped the way real CNIs make them. The plugin shapes run Debian's
# containernetworking-plugins binaries exactly as a container runtime does
# (from inside the node namespace, CNI_COMMAND=ADD/DEL, config on stdin); the
# shapes of CNIs we cannot run here (Calico, Cilium, AWS VPC CNI) are written
# with `ip` in the order and with the attributes their CNI source uses. Each
# builder also states what podnet must give the VM for that pod (CNI_WANT_*).
#
# Framework-neutral: no globals of netns.sh or libvirt_lab.sh are read; every
# namespace and folder is passed in. Safety: only 198.51.100.0/24,
# 169.254.0.0/16, 2001:db8::/32 and fe80::/10, only inside the namespaces
# passed in (plugins are never run in the root namespace); host-local keeps
# its data under DIR.
#
# IPv6 shapes (issue 11; cni_shapes_ipv6): bridge-dual (the bridge plugin,
# host-local with an IPv4 and an IPv6 range), bridge-v6only (only the IPv6
# range) and calico-dual (calico's IPv4 plus its IPv6: a /128 nodad,
# default via fe80::ecee:eeff:feee:eeee). They set CNI_POD_IP6,
# CNI_WANT_PREFIX6 (64 or 128), CNI_GW6, CNI_NODE_IP6 and CNI_WANT_ROUTER6
# (the link-local the RA must come from).

CNI_PLUGIN_DIR=${CNI_PLUGIN_DIR:-/usr/lib/cni}
CNI_SUBNET=198.51.100.0/24
CNI_MTU=1400
# The router/gateway of the plugin shapes and of Cilium (cilium_host's IP).
CNI_ROUTER_IP=198.51.100.1
# The dummy next hop Calico and AWS VPC CNI point the pod's default at.
CNI_LINKLOCAL_GW=169.254.1.1
# Cilium's route MTU (the default route's, below the link's).
CNI_CILIUM_ROUTE_MTU=1350
# AWS: the node's "primary IP" the VM must reach through the host veth.
CNI_AWS_NODE_IP=198.51.100.254
# IPv6 (issue 11): the subnet shapes' /64 and gateway (cni0 holds it), and
# Calico's: the pod's /128 and the node's own address on lo.
CNI_SUBNET6=2001:db8:1::/64
CNI_ROUTER_IP6=2001:db8:1::1
CNI_CALICO_POD_IP6=2001:db8:2::10
CNI_CALICO_NODE_IP6=2001:db8:2::1
CNI_CALICO_GW6=fe80::ecee:eeff:feee:eeee

# cni_shapes_working / cni_shapes_refused - the shape lists.
cni_shapes_working()
{
	echo bridge ptp calico cilium aws macvlan-passthru
}

# The dual-stack and IPv6-only shapes (not in cni_shapes_working: their
# VM needs the responder's IPv6 side).
cni_shapes_ipv6()
{
	echo bridge-dual bridge-v6only calico-dual
}

cni_shapes_refused()
{
	echo macvlan-bridge ipvlan
}

cni_err()
{
	printf 'cni: %s\n' "$*" >&2
}

# cni_kernel_can SHAPE - can this kernel build SHAPE? Probed in a throwaway
# network namespace (unshare: it vanishes with the probe, nothing to clean).
cni_kernel_can()
{
	local kind
	case $1 in
	bridge | bridge-static | bridge-static-dual | ptp | calico | cilium | aws) return 0 ;;
	bridge-dual | bridge-v6only | calico-dual) return 0 ;;
	macvlan-*) kind="macvlan mode bridge" ;;
	ipvlan) kind="ipvlan mode l2" ;;
	*)
		cni_err "unknown shape '$1'"
		return 1
		;;
	esac
	if ! unshare --net sh -c "ip link add pncanm type veth peer name pncanp &&
		ip link add pncan link pncanm type $kind" 2>/dev/null; then
		kind=${kind%% *}
		cni_err "this kernel cannot make $kind links (CONFIG_${kind^^} not set, no module)"
		return 1
	fi
	return 0
}

# cni_conf_write SHAPE DIR [IP] - the network config a runtime would hand
# the plugin, one per shape (both pods of a network use the same file). The
# address comes from host-local; CNI_ARGS IP= picks which (.10 or .11).
# bridge-static: the bridge plugin with the static IPAM plugin and IP in the
# config (Multus' static IPAM: how a target pod gets its source pod's address).
cni_conf_write()
{
	local shape=$1 dir=$2 type extra
	case $shape in
	bridge-static)
		printf '{"cniVersion":"1.0.0","name":"podnet-%s","type":"bridge","bridge":"cni0","isGateway":true,"mtu":%s,"ipam":{"type":"static","addresses":[{"address":"%s/24","gateway":"%s"}],"routes":[{"dst":"0.0.0.0/0"}]}}\n' \
			"$shape" "$CNI_MTU" "${3:?}" "$CNI_ROUTER_IP" >"$dir/$shape.json"
		return
		;;
	bridge-static-dual)
		# IPv4 IP and CNI_STATIC_IP6 (default 2001:db8:1::10) in the /64.
		printf '{"cniVersion":"1.0.0","name":"podnet-%s","type":"bridge","bridge":"cni0","isGateway":true,"mtu":%s,"ipam":{"type":"static","addresses":[{"address":"%s/24","gateway":"%s"},{"address":"%s/64","gateway":"%s"}],"routes":[{"dst":"0.0.0.0/0"},{"dst":"::/0"}]}}\n' \
			"$shape" "$CNI_MTU" "${3:?}" "$CNI_ROUTER_IP" "${CNI_STATIC_IP6:-2001:db8:1::10}" \
			"$CNI_ROUTER_IP6" >"$dir/$shape.json"
		return
		;;
	bridge-dual | bridge-v6only)
		cni_conf_write_v6 "$shape" "$dir"
		return
		;;
	bridge)
		type=bridge
		extra='"bridge":"cni0","isGateway":true,"mtu":'$CNI_MTU','
		;;
	ptp)
		type=ptp
		extra='"mtu":'$CNI_MTU','
		;;
	macvlan-passthru)
		type=macvlan
		extra='"master":"mvm0","mode":"passthru",'
		;;
	macvlan-bridge)
		type=macvlan
		extra='"master":"mvm0","mode":"bridge",'
		;;
	ipvlan)
		type=ipvlan
		extra='"master":"mvm0","mode":"l2",'
		;;
	*) return 1 ;;
	esac
	mkdir -p "$dir/ipam" || return 1
	printf '{"cniVersion":"1.0.0","name":"podnet-%s","type":"%s",%s"ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"%s","rangeStart":"198.51.100.10","rangeEnd":"198.51.100.20","gateway":"%s"}]],"routes":[{"dst":"0.0.0.0/0"}]}}\n' \
		"$shape" "$type" "$extra" "$dir/ipam" "$CNI_SUBNET" "$CNI_ROUTER_IP" \
		>"$dir/$shape.json"
}

# cni_conf_write_v6 SHAPE DIR - the bridge plugin with host-local's IPv6
# range, written as issue 11's spec says: bridge-dual has both ranges
# (routes 0.0.0.0/0 and ::/0), bridge-v6only only the IPv6 one.
cni_conf_write_v6()
{
	local shape=$1 dir=$2 ranges routes
	local r4='[{"subnet":"'$CNI_SUBNET'","gateway":"'$CNI_ROUTER_IP'"}]'
	local r6='[{"subnet":"'$CNI_SUBNET6'","gateway":"'$CNI_ROUTER_IP6'"}]'
	if [ "$shape" = bridge-dual ]; then
		ranges="[$r4,$r6]"
		routes='[{"dst":"0.0.0.0/0"},{"dst":"::/0"}]'
	else
		ranges="[$r6]"
		routes='[{"dst":"::/0"}]'
	fi
	mkdir -p "$dir/ipam" || return 1
	printf '{"cniVersion":"1.0.0","name":"podnet-%s","type":"bridge","bridge":"cni0","isGateway":true,"mtu":%s,"ipam":{"type":"host-local","dataDir":"%s","ranges":%s,"routes":%s}}\n' \
		"$shape" "$CNI_MTU" "$dir/ipam" "$ranges" "$routes" >"$dir/$shape.json"
}

# cni_plugin_run CMD SHAPE NODE_NS POD_NS DIR [IP] - one plugin call as a
# runtime makes it; the result (or error) JSON in DIR/SHAPE.POD_NS.CMD.json.
cni_plugin_run()
{
	local cmd=$1 shape=$2 node=$3 pod=$4 dir=$5 ip=${6:-} type out rc args
	type=$(jq -r .type "$dir/$shape.json") || return 1
	out=$dir/$shape.$pod.$cmd.json
	args=IgnoreUnknown=1
	[ -z "$ip" ] || args="$args;IP=$ip"
	ip netns exec "$node" env CNI_COMMAND="$cmd" CNI_CONTAINERID="podnet-$pod" \
		CNI_NETNS="/run/netns/$pod" CNI_IFNAME=eth0 CNI_PATH="$CNI_PLUGIN_DIR" \
		CNI_ARGS="$args" "$CNI_PLUGIN_DIR/$type" <"$dir/$shape.json" >"$out" 2>&1
	rc=$?
	if [ "$rc" != 0 ]; then
		cni_err "$type $cmd for $pod failed (exit $rc): $(tr -s '\n ' ' ' <"$out")"
		return 1
	fi
	return 0
}

# cni_macvlan_master NODE_NS - the master the macvlan/ipvlan plugins get: a
# veth mvm0 whose peer mvm0p holds the network's gateway (no dummy module
# here). Made once per node.
cni_macvlan_master()
{
	local node=$1
	ip -n "$node" link show mvm0 >/dev/null 2>&1 && return 0
	ip -n "$node" link add mvm0 mtu "$CNI_MTU" type veth peer name mvm0p mtu "$CNI_MTU" &&
		ip -n "$node" addr add "$CNI_ROUTER_IP/24" dev mvm0p &&
		ip -n "$node" link set mvm0p up &&
		ip -n "$node" link set mvm0 up
}

# cni_hostif_name PREFIX POD_NS - a node-side veth name as CNIs derive it
# from the container (PREFIX + hash, at most 15 characters).
cni_hostif_name()
{
	printf '%s%s' "$1" "$(printf '%s' "$2" | sha1sum | cut -c1-11)"
}

cni_nsysctl()
{
	ip netns exec "$1" sysctl -qw "$2"
}

# cni_make_calico NODE POD IP - as calico's CNI (linux dataplane,
# DoNetworking) does it: the veth made inside the pod, host end MAC
# ee:ee:ee:ee:ee:ee, both up, "169.254.1.1 dev eth0 scope link", "default via
# 169.254.1.1 dev eth0" (no onlink), then the /32 address; host end moved to
# the node, route_localnet/proxy_delay/proxy_arp/forwarding, up, and
# "IP dev HOSTVETH scope link". The lab adds 169.254.1.1/32 on the node's lo
# (a real node answers it through proxy ARP and its own routes).
cni_make_calico()
{
	local node=$1 pod=$2 ip=$3 hv
	hv=$(cni_hostif_name cali "$pod")
	ip -n "$pod" link add eth0 mtu "$CNI_MTU" type veth peer name "$hv" mtu "$CNI_MTU" &&
		ip -n "$pod" link set "$hv" address ee:ee:ee:ee:ee:ee &&
		ip -n "$pod" link set "$hv" up &&
		ip -n "$pod" link set eth0 up &&
		ip -n "$pod" route add "$CNI_LINKLOCAL_GW" dev eth0 scope link &&
		ip -n "$pod" route add default via "$CNI_LINKLOCAL_GW" dev eth0 &&
		ip -n "$pod" addr add "$ip/32" dev eth0 &&
		ip -n "$pod" link set "$hv" netns "$node" &&
		cni_nsysctl "$node" "net.ipv4.conf.$hv.route_localnet=1" &&
		cni_nsysctl "$node" "net.ipv4.neigh.$hv.proxy_delay=0" &&
		cni_nsysctl "$node" "net.ipv4.conf.$hv.proxy_arp=1" &&
		cni_nsysctl "$node" "net.ipv4.conf.$hv.forwarding=1" &&
		ip -n "$node" link set "$hv" up &&
		ip -n "$node" route add "$ip/32" dev "$hv" scope link || return 1
	cni_nsysctl "$node" net.ipv4.ip_forward=1 || return 1
	if ! ip -n "$node" -o addr show dev lo | grep -q " $CNI_LINKLOCAL_GW/32 "; then
		ip -n "$node" addr add "$CNI_LINKLOCAL_GW/32" dev lo || return 1
	fi
	CNI_HOST_IF=$hv
}

# cni_make_calico6 NODE POD HOSTVETH - calico's IPv6 half (DoNetworking with
# an IPv6 result) on the pod cni_make_calico made: IPv6 on in the pod,
# "default via fe80::ecee:eeff:feee:eeee dev eth0" (the host veth's EUI-64
# link-local, no dummy next hop), the /128 (nodad); on the node
# disable_ipv6=0, proxy_ndp=1 and forwarding=1 on the host veth, IPv6
# forwarding, and "IP6 dev HOSTVETH". Calico's CNI writes proxy_ndp but no
# proxy entry; the node's own IPv6 (for pings from the node) sits on lo.
cni_make_calico6()
{
	local node=$1 pod=$2 hv=$3 i
	cni_nsysctl "$pod" net.ipv6.conf.eth0.disable_ipv6=0 &&
		cni_nsysctl "$node" "net.ipv6.conf.$hv.disable_ipv6=0" &&
		cni_nsysctl "$node" "net.ipv6.conf.$hv.proxy_ndp=1" &&
		cni_nsysctl "$node" "net.ipv6.conf.$hv.forwarding=1" &&
		cni_nsysctl "$node" net.ipv6.conf.all.forwarding=1 || return 1
	# Calico retries until the host veth's link-local exists.
	for i in $(seq 1 50); do
		ip -n "$node" -6 -o addr show dev "$hv" scope link | grep -q "$CNI_CALICO_GW6" && break
		sleep 0.1
	done
	ip -n "$pod" -6 route add default via "$CNI_CALICO_GW6" dev eth0 &&
		ip -n "$pod" -6 addr add "$CNI_CALICO_POD_IP6/128" dev eth0 nodad &&
		ip -n "$node" -6 route add "$CNI_CALICO_POD_IP6/128" dev "$hv" || return 1
	if ! ip -n "$node" -6 -o addr show dev lo | grep -q " $CNI_CALICO_NODE_IP6/128 "; then
		ip -n "$node" -6 addr add "$CNI_CALICO_NODE_IP6/128" dev lo || return 1
	fi
}

# cni_make_cilium NODE POD IP - as cilium-cni's veth connector and
# addIPConfigToLink do it: the veth made in the node, the peer moved into the
# pod and renamed eth0, up, the /32 address, then the routes narrow first:
# "ROUTER dev eth0 scope link", "default via ROUTER dev eth0 mtu ROUTE_MTU".
# Node: proxy ARP on the host veth stands in for Cilium's eBPF ARP responder;
# the router IP (cilium_host's) on lo; the pod's /32 via the host veth.
cni_make_cilium()
{
	local node=$1 pod=$2 ip=$3 hv tmp
	hv=$(cni_hostif_name lxc "$pod")
	tmp=$(cni_hostif_name tmp "$pod")
	ip -n "$node" link add "$hv" mtu "$CNI_MTU" type veth peer name "$tmp" mtu "$CNI_MTU" &&
		ip -n "$node" link set "$hv" up &&
		ip -n "$node" link set "$tmp" netns "$pod" &&
		ip -n "$pod" link set "$tmp" name eth0 &&
		ip -n "$pod" link set eth0 up &&
		ip -n "$pod" addr add "$ip/32" dev eth0 &&
		ip -n "$pod" route add "$CNI_ROUTER_IP/32" dev eth0 scope link &&
		ip -n "$pod" route add default via "$CNI_ROUTER_IP" dev eth0 mtu "$CNI_CILIUM_ROUTE_MTU" &&
		cni_nsysctl "$node" "net.ipv4.conf.$hv.proxy_arp=1" &&
		cni_nsysctl "$node" net.ipv4.ip_forward=1 &&
		ip -n "$node" route add "$ip/32" dev "$hv" scope link || return 1
	if ! ip -n "$node" -o addr show dev lo | grep -q " $CNI_ROUTER_IP/32 "; then
		ip -n "$node" addr add "$CNI_ROUTER_IP/32" dev lo || return 1
	fi
	CNI_HOST_IF=$hv
}

# cni_make_aws NODE POD IP - as amazon-vpc-cni-k8s's routed-eni driver
# (createVethPairContext.run, setupIPBasedContainerRouteRules) does it: the
# veth made inside the pod, both up, "169.254.1.1 dev eth0 scope link",
# "default via 169.254.1.1 dev eth0", the /32 address, a PERMANENT neighbour
# 169.254.1.1 with the host veth's MAC; host end moved to the node, up,
# "IP dev HOSTVETH scope link" and the to-container rule (priority 512).
# No proxy ARP and 169.254.1.1 nowhere: only that neighbour entry gets the
# pod to the node. The node's primary IP sits on lo.
cni_make_aws()
{
	local node=$1 pod=$2 ip=$3 hv mac
	hv=$(cni_hostif_name eni "$pod")
	ip -n "$pod" link add eth0 mtu "$CNI_MTU" type veth peer name "$hv" mtu "$CNI_MTU" &&
		ip -n "$pod" link set "$hv" up &&
		ip -n "$pod" link set eth0 up &&
		ip -n "$pod" route replace "$CNI_LINKLOCAL_GW/32" dev eth0 scope link &&
		ip -n "$pod" route add default via "$CNI_LINKLOCAL_GW" dev eth0 &&
		ip -n "$pod" addr add "$ip/32" dev eth0 || return 1
	mac=$(ip -n "$pod" -o link show "$hv" | sed -n 's/.* link\/ether \([0-9a-f:]*\) .*/\1/p')
	[ -n "$mac" ] || return 1
	ip -n "$pod" neigh add "$CNI_LINKLOCAL_GW" lladdr "$mac" dev eth0 nud permanent &&
		ip -n "$pod" link set "$hv" netns "$node" &&
		ip -n "$node" link set "$hv" up &&
		ip -n "$node" route replace "$ip/32" dev "$hv" scope link &&
		ip -n "$node" rule add to "$ip/32" lookup main priority 512 &&
		cni_nsysctl "$node" net.ipv4.ip_forward=1 || return 1
	if ! ip -n "$node" -o addr show dev lo | grep -q " $CNI_AWS_NODE_IP/32 "; then
		ip -n "$node" addr add "$CNI_AWS_NODE_IP/32" dev lo || return 1
	fi
	CNI_HOST_IF=$hv
}

# cni_result_hostif FILE - the node-side veth a plugin reports (the
# interface with no sandbox that is not the bridge).
cni_result_hostif()
{
	jq -r '[.interfaces[] | select(.sandbox == null or .sandbox == "")
		| select(.name != "cni0") | .name][0] // empty' "$1"
}

# cni_pod_make SHAPE NODE_NS POD_NS DIR [POD_IP] - eth0 in POD_NS shaped as
# SHAPE makes it (see the file head); sets CNI_POD_IP CNI_POD_MAC CNI_GW
# CNI_NODE_IP CNI_HOST_IF and the CNI_WANT_* values of the lease.
cni_pod_make()
{
	local shape=$1 node=$2 pod=$3 dir=$4 ip=${5:-198.51.100.10}
	CNI_POD_IP=$ip
	CNI_POD_MAC=
	CNI_HOST_IF=
	CNI_WANT_REFUSAL=
	CNI_WANT_MTU=$CNI_MTU
	CNI_POD_IP6=
	CNI_WANT_PREFIX6=
	CNI_GW6=
	CNI_NODE_IP6=
	CNI_WANT_ROUTER6=
	mkdir -p "$dir" || return 1
	[ "$shape" != bridge-v6only ] || ip=
	case $shape in
	bridge | bridge-static* | ptp | macvlan-* | ipvlan | bridge-dual | bridge-v6only)
		cni_conf_write "$shape" "$dir" "$ip" || {
			cni_err "cannot write the $shape config under $dir"
			return 1
		}
		case $shape in
		macvlan-* | ipvlan)
			cni_macvlan_master "$node" || {
				cni_err "cannot make the master mvm0 in $node"
				return 1
			}
			;;
		esac
		# (static IPAM reads IP= too, but only in CIDR form: its address
		# is in the config.)
		case $shape in bridge-static*) ip= ;; esac
		cni_plugin_run ADD "$shape" "$node" "$pod" "$dir" "$ip" || return 1
		CNI_HOST_IF=$(cni_result_hostif "$dir/$shape.$pod.ADD.json")
		[ -n "$CNI_HOST_IF" ] || CNI_HOST_IF=mvm0
		;;
	calico) cni_make_calico "$node" "$pod" "$ip" || {
		cni_err "cannot write the calico pod in $pod"
		return 1
	} ;;
	calico-dual)
		if ! cni_make_calico "$node" "$pod" "$ip" ||
			! cni_make_calico6 "$node" "$pod" "$CNI_HOST_IF"; then
			cni_err "cannot write the calico dual-stack pod in $pod"
			return 1
		fi
		;;
	cilium) cni_make_cilium "$node" "$pod" "$ip" || {
		cni_err "cannot write the cilium pod in $pod"
		return 1
	} ;;
	aws) cni_make_aws "$node" "$pod" "$ip" || {
		cni_err "cannot write the aws pod in $pod"
		return 1
	} ;;
	*)
		cni_err "unknown shape '$shape'"
		return 1
		;;
	esac
	CNI_POD_MAC=$(ip -n "$pod" -o link show eth0 | sed -n 's/.* link\/ether \([0-9a-f:]*\) .*/\1/p')
	case $shape in
	bridge-dual | bridge-v6only | bridge-static-dual)
		CNI_POD_IP6=$(ip -n "$pod" -6 -o addr show dev eth0 scope global |
			sed -n 's/.* inet6 \([0-9a-f:]*\)\/64 .*/\1/p' | head -n 1)
		CNI_WANT_PREFIX6=64
		CNI_GW6=$CNI_ROUTER_IP6
		CNI_NODE_IP6=$CNI_ROUTER_IP6
		# The node's own link-local on cni0: EUI-64 of cni0's MAC.
		CNI_WANT_ROUTER6=$(ip -n "$node" -6 -o addr show dev cni0 scope link |
			sed -n 's/.* inet6 \(fe80[0-9a-f:]*\)\/64 .*/\1/p' | head -n 1)
		[ -n "$CNI_POD_IP6" ] || {
			cni_err "$shape: the pod got no IPv6 address"
			return 1
		}
		;;
	calico-dual)
		CNI_POD_IP6=$CNI_CALICO_POD_IP6
		CNI_WANT_PREFIX6=128
		CNI_GW6=$CNI_CALICO_GW6
		CNI_NODE_IP6=$CNI_CALICO_NODE_IP6
		CNI_WANT_ROUTER6=$CNI_CALICO_GW6
		;;
	esac
	case $shape in
	bridge-v6only)
		CNI_POD_IP=
		CNI_GW=
		CNI_NODE_IP=
		CNI_WANT_MASK=
		CNI_WANT_ROUTES=
		;;
	bridge | bridge-static* | macvlan-* | ipvlan | bridge-dual)
		CNI_GW=$CNI_ROUTER_IP
		CNI_NODE_IP=$CNI_ROUTER_IP
		CNI_WANT_MASK=24
		CNI_WANT_ROUTES="0.0.0.0/0 $CNI_ROUTER_IP"
		;;
	ptp)
		# The pod has no on-link route for its /24: the VM must not either.
		CNI_GW=$CNI_ROUTER_IP
		CNI_NODE_IP=$CNI_ROUTER_IP
		CNI_WANT_MASK=32
		CNI_WANT_ROUTES="$CNI_ROUTER_IP/32 0.0.0.0 $CNI_SUBNET $CNI_ROUTER_IP 0.0.0.0/0 $CNI_ROUTER_IP"
		;;
	calico | aws | calico-dual)
		CNI_GW=$CNI_LINKLOCAL_GW
		CNI_NODE_IP=$CNI_LINKLOCAL_GW
		[ "$shape" != aws ] || CNI_NODE_IP=$CNI_AWS_NODE_IP
		CNI_WANT_MASK=32
		CNI_WANT_ROUTES="$CNI_LINKLOCAL_GW/32 0.0.0.0 0.0.0.0/0 $CNI_LINKLOCAL_GW"
		;;
	cilium)
		CNI_GW=$CNI_ROUTER_IP
		CNI_NODE_IP=$CNI_ROUTER_IP
		CNI_WANT_MASK=32
		CNI_WANT_ROUTES="$CNI_ROUTER_IP/32 0.0.0.0 0.0.0.0/0 $CNI_ROUTER_IP"
		# The smallest MTU of the pod's paths.
		CNI_WANT_MTU=$CNI_CILIUM_ROUTE_MTU
		;;
	esac
	CNI_WANT_ROUTER=$CNI_GW
	case $shape in
	macvlan-bridge) CNI_WANT_REFUSAL="is a macvlan in 'bridge' mode" ;;
	ipvlan) CNI_WANT_REFUSAL="is an ipvlan" ;;
	esac
	return 0
}

# cni_pod_del SHAPE NODE_NS POD_NS DIR - CNI DEL for the plugin shapes
# (idempotent; quiet when there is nothing to delete, so a trap may call it
# any time); the hand-written shapes go with their namespaces.
cni_pod_del()
{
	local shape=$1 node=$2 pod=$3 dir=$4
	case $shape in
	bridge | bridge-static* | ptp | macvlan-* | ipvlan | bridge-dual | bridge-v6only)
		[ -f "$dir/$shape.json" ] || return 0
		ip netns list | grep -q "^$node\( \|$\)" || return 0
		cni_plugin_run DEL "$shape" "$node" "$pod" "$dir"
		;;
	*) return 0 ;;
	esac
}

# cni_vm_apply_udhcpc LEASE_FILE VM_NS IFNAME - configure a fake VM from the
# VAR=value lines udhcpc's script recorded, as a guest's script does: MTU,
# address/mask, staticroutes in the order given (gateway 0.0.0.0 = on-link),
# and the router only when there are no staticroutes (RFC 3442).
cni_vm_apply_udhcpc()
{
	local f=$1 vm=$2 ifn=$3 ip mask mtu routes router
	ip=$(sed -n 's/^ip=//p' "$f" | tail -n 1)
	mask=$(sed -n 's/^mask=//p' "$f" | tail -n 1)
	mtu=$(sed -n 's/^mtu=//p' "$f" | tail -n 1)
	routes=$(sed -n 's/^staticroutes=//p' "$f" | tail -n 1)
	router=$(sed -n 's/^router=//p' "$f" | tail -n 1)
	router=${router%% *}
	if [ -z "$ip" ] || [ -z "$mask" ]; then
		cni_err "lease $f has no ip/mask"
		return 1
	fi
	if [ -n "$mtu" ]; then
		ip -n "$vm" link set "$ifn" mtu "$mtu" || return 1
	fi
	ip -n "$vm" addr add "$ip/$mask" dev "$ifn" || return 1
	if [ -n "$routes" ]; then
		# shellcheck disable=SC2086
		set -- $routes
		while [ $# -ge 2 ]; do
			if [ "$2" = 0.0.0.0 ]; then
				ip -n "$vm" route add "$1" dev "$ifn" scope link || {
					cni_err "VM: route add $1 dev $ifn scope link failed"
					return 1
				}
			else
				ip -n "$vm" route add "$1" via "$2" dev "$ifn" || {
					cni_err "VM: route add $1 via $2 dev $ifn failed"
					return 1
				}
			fi
			shift 2
		done
	elif [ -n "$router" ]; then
		ip -n "$vm" route add default via "$router" dev "$ifn" || {
			cni_err "VM: route add default via $router failed"
			return 1
		}
	fi
	return 0
}
