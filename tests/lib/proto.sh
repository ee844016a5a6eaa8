# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Helpers of the protocol, storm and sandbox tests (dhcp_states.sh,
# dhcp6_states.sh, storm.sh, sandbox.sh, dhcp_networkd.sh). Source tests/lib/netns.sh first.

PROTO_PY=/usr/bin/python3
PROTO_UUID=6f1c1a9e-4a8e-4b5e-9f3a-2d6b1c0e7a11 # tests/data/integration/vm1.xml
PROTO_TOOLS=${PROTO_TOOLS:-$LAB_TOP/build/tests/tools}
# A search list whose option 119 is longer than 255 bytes (RFC 3396 split).
PROTO_LONG_SEARCH="alpha-long-search-domain-for-option-119-splitting.cluster-one.example.test
bravo-long-search-domain-for-option-119-splitting.cluster-two.example.test
charlie-long-search-domain-for-option-119-splitting.cluster-three.example.test
delta-long-search-domain-for-option-119-splitting.cluster-four.example.test
echo-long-search-domain-for-option-119-splitting.cluster-five.example.test
foxtrot-long-search-domain-for-option-119-splitting.cluster-six.example.test"

# proto_need_scapy - Debian's python3-scapy (tests/deps.sh) must be there.
proto_need_scapy()
{
	"$PROTO_PY" -c 'import scapy.all' 2>/dev/null ||
		die "python3-scapy not importable by $PROTO_PY (run tests/deps.sh)"
}

# proto_long_search - give the pod the long search list (before prepare).
proto_long_search()
{
	printf 'nameserver 198.51.100.53\nnameserver 198.51.100.54\nsearch %s\n' \
		"$(echo $PROTO_LONG_SEARCH)" >"/etc/netns/$POD/resolv.conf"
}

# proto_log - the responder's log file.
proto_log()
{
	state_file "$STATE_DIR" "$PROTO_UUID" .log
}

# link_mac NS IFNAME
link_mac()
{
	ip -n "$1" -o link show "$2" | sed -n 's/.* link\/ether \([0-9a-f:]*\) .*/\1/p'
}

# proto_sniff_start DRIVER TAG [clients] - the node sniffer of the scapy
# DRIVER (dhcp_states: DHCP server frames and ARP, with "clients" DHCP
# client frames too; dhcp6_states: RA, NA, DHCPv6) on the node's veth
# (PROTO_NODE_IF, default n-eth0: lab_pod's own shapes) until
# proto_sniff_stop, into SNIFF_OUT ($TEST_DIR/node-sniff.TAG.txt). For IPv4
# a kernel BPF filter picks the frames, so a storm of others cannot hide
# one; bounded to 300 s in any case.
proto_sniff_start()
{
	local driver=$1 tag=$2 i
	shift 2
	SNIFF_OUT=$TEST_DIR/node-sniff.$tag.txt
	SNIFF_STOP=$TEST_DIR/node-sniff.$tag.stop
	rm -f "$SNIFF_STOP" "$SNIFF_OUT"
	ip netns exec "$NODE" "$PROTO_PY" "$LAB_TOP/tests/integration/$driver.py" \
		sniff "$SNIFF_OUT" "$SNIFF_STOP" 300 "${PROTO_NODE_IF:-n-eth0}" "$@" >"$TEST_DIR/node-sniff.$tag.log" 2>&1 &
	SNIFF_PID=$!
	LAB_PIDS+=("$SNIFF_PID")
	for i in $(seq 1 100); do
		grep -q '^ready' "$SNIFF_OUT" 2>/dev/null && return 0
		sleep 0.1
	done
	die "node sniffer did not start: $(cat "$TEST_DIR/node-sniff.$tag.log")"
}

# proto_states DRIVER TAG ARGS - the scapy DRIVER's whole suite
# (`DRIVER.py states ARGS`) in the fake VM, bounded; its lines are shown
# prefixed with "TAG: ", and a failed check, a bad exit or a suite that did
# not finish are failures here.
proto_states()
{
	local driver=$1 tag=$2 out=$TEST_DIR/$2.log rc
	set +e
	timeout -k 5 200 ip netns exec "$VM" "$PROTO_PY" "$LAB_TOP/tests/integration/$driver.py" \
		states "$3" >"$out" 2>&1
	rc=$?
	set -e
	sed "s/^/$tag: /" "$out"
	if grep -q '^not ok' "$out"; then
		bad "$tag: the suite has failed checks (above)"
	fi
	[ "$rc" = 0 ] || bad "$tag: the driver exited $rc"
	grep -q '^states: 0 failed checks' "$out" || bad "$tag: the driver did not finish"
}

# proto_sniff_stop - ask the sniffer to stop; bounded (5 s), then by pid.
proto_sniff_stop()
{
	local i
	touch "$SNIFF_STOP"
	for i in $(seq 1 50); do
		kill -0 "$SNIFF_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill "$SNIFF_PID" 2>/dev/null || true
	wait "$SNIFF_PID" 2>/dev/null || true
}

# sniffed REGEX - how many frames the node's sniffer saw whose line matches.
sniffed()
{
	grep -c "$1" "$SNIFF_OUT" || true
}

# proc_field PID FIELD - a line's value in /proc/PID/status (tabs squeezed).
proc_field()
{
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" | tr -s '\t ' ' '
}

# proc_rss_kb PID
proc_rss_kb()
{
	proc_field "$1" VmRSS | sed 's/ kB//'
}

# sandbox_expect WHAT PID - the responder's sandbox as /proc shows it:
# seccomp filter mode, no_new_privs, no capabilities, uid/gid nobody, no
# supplementary groups; fds only /dev/null (0-2), its log, its lease note,
# its responder lock (fd 4, /run/podnet/UUID.responder), its bridge's FDB
# (read-only) and AF_PACKET sockets (no netlink socket, no other file).
sandbox_expect()
{
	local w=$1 pid=$2 fd t ino n_sock=0 n_log=0 n_lock=0 n_note=0 n_fdb=0 log lock
	log=$(proto_log)
	lock=$(state_file "$STATE_DIR" "$PROTO_UUID" .responder)
	expect_eq "$w Seccomp" 2 "$(proc_field "$pid" Seccomp)"
	expect_eq "$w NoNewPrivs" 1 "$(proc_field "$pid" NoNewPrivs)"
	expect_eq "$w CapEff" 0000000000000000 "$(proc_field "$pid" CapEff)"
	expect_eq "$w CapPrm" 0000000000000000 "$(proc_field "$pid" CapPrm)"
	expect_eq "$w CapInh" 0000000000000000 "$(proc_field "$pid" CapInh)"
	expect_eq "$w CapAmb" 0000000000000000 "$(proc_field "$pid" CapAmb)"
	expect_eq "$w Uid" "65534 65534 65534 65534" "$(proc_field "$pid" Uid)"
	expect_eq "$w Gid" "65534 65534 65534 65534" "$(proc_field "$pid" Gid)"
	expect_eq "$w Groups" "" "$(proc_field "$pid" Groups | xargs)"
	for fd in $(ls "/proc/$pid/fd"); do
		t=$(readlink "/proc/$pid/fd/$fd" 2>/dev/null) || continue
		case $fd:$t in
		[012]:/dev/null) ;;
		*:"$log") n_log=$((n_log + 1)) ;;
		4:"$lock") n_lock=$((n_lock + 1)) ;;
		*:"$(state_file "$STATE_DIR" "$PROTO_UUID" .lease)") n_note=$((n_note + 1)) ;;
		# The bridge's FDB, read-only (vm_watch.c, and bridge_fdb.c for
		# the IPv6 side): on which port the VM's MAC is.
		*:/sys/devices/virtual/net/pn-*/brforward) n_fdb=$((n_fdb + 1)) ;;
		*:socket:\[*\])
			ino=${t#socket:[}
			ino=${ino%]}
			if awk -v i="$ino" 'NR > 1 && $NF == i { f = 1 } END { exit !f }' \
				"/proc/$pid/net/packet"; then
				n_sock=$((n_sock + 1))
			else
				bad "$w: fd $fd is a socket that is not AF_PACKET ($t)"
			fi
			;;
		*) bad "$w: unexpected fd $fd -> $t" ;;
		esac
	done
	expect_eq "$w log fds" 1 "$n_log"
	expect_eq "$w responder lock fd (4)" 1 "$n_lock"
	expect_eq "$w lease note fd" 1 "$n_note"
	expect_match "$w AF_PACKET socket fds" '^[1-9]$' "$n_sock"
	expect_match "$w FDB fds (one per watch, one per IPv6 side)" '^[12]$' "$n_fdb"
	log "$w fds: $(for fd in $(ls "/proc/$pid/fd"); do printf '%s->%s ' "$fd" \
		"$(readlink "/proc/$pid/fd/$fd")"; done)"
}
