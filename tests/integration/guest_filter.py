#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The hostile guest of guest_filter.sh: run in the fake VM's namespace, it
sends every forged frame of issue 26 (and a few honest ones) from the VM's
NIC, while sockets opened in the node's namespace (the pod's peer) and in a
second pod's namespace listen. A forged frame must arrive nowhere, an honest
one at the node. Prints one "ok - "/"not ok - " line per check and, last,
"expect REASON N" for each drop counter of podnet's guest filter.

usage: guest_filter.py KEY=VALUE,...  (vm_iface, vm_mac, node_ns, node_iface,
pod2_ns, pod2_iface, pod_ip, pod_ip6, gw, gw6, router6, pod2_ip; empty:
not on this pod; filter=off: the control, every frame must reach the node)
"""
import collections
import ctypes
import os
import select
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from scapy_lab import bad, check, failures, ok  # noqa: E402

from scapy.layers.dhcp import BOOTP, DHCP  # noqa: E402
from scapy.layers.dhcp6 import DHCP6_Advertise, DHCP6_Reply  # noqa: E402
from scapy.layers.inet import ICMP, IP, UDP  # noqa: E402
from scapy.layers.inet6 import (  # noqa: E402
    ICMPv6ND_NA,
    ICMPv6ND_RA,
    ICMPv6ND_Redirect,
    ICMPv6ND_RS,
    ICMPv6NDOptDstLLAddr,
    IPv6,
)
from scapy.layers.l2 import ARP, Dot1Q, Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402
from scapy.utils6 import in6_mactoifaceid  # noqa: E402

CLONE_NEWNET = 0x40000000
ETH_P_ALL = 3
BCAST = "ff:ff:ff:ff:ff:ff"
ALL_NODES = "33:33:00:00:00:01"
OTHER_MAC = "52:54:00:66:66:66"
OTHER_IP = "198.51.100.99"
OTHER_IP6 = "2001:db8:ffff::99"
_libc = ctypes.CDLL(None, use_errno=True)


def in_netns(name, fn):
    """fn() with this thread in network namespace @name (then back)."""
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    there = os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        if _libc.setns(there, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns " + name)
        try:
            return fn()
        finally:
            if _libc.setns(home, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns back")
    finally:
        os.close(home)
        os.close(there)


def listener(iface):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.setblocking(False)
    return s


def drain(s, into):
    while True:
        try:
            data, addr = s.recvfrom(65535)
        except BlockingIOError:
            return
        if addr[2] != socket.PACKET_OUTGOING:
            into.append(data)


def vm_ll(mac):
    return "fe80::" + in6_mactoifaceid(mac)


def frames(a):
    """(what, counter or None (honest) or "kept_in_pod", frame) of this pod."""
    vm, ll = a["vm_mac"], vm_ll(a["vm_mac"])
    pod, gw = a["pod_ip"], a["gw"]
    udp = UDP(sport=40000, dport=9)
    out = [
        ("another source MAC", "src_mac",
         Ether(src=OTHER_MAC, dst=BCAST) / IP(src=pod, dst=gw) / udp / Raw(b"gf-mac")),
        ("a VLAN-tagged frame", "vlan",
         Ether(src=vm, dst=BCAST) / Dot1Q(vlan=5) / IP(src=pod, dst=gw) / udp / Raw(b"gf-vlan")),
        ("another source IPv4", "ip4_source",
         Ether(src=vm, dst=BCAST) / IP(src=OTHER_IP, dst=gw) / udp / Raw(b"gf-ip4")),
        ("ARP reply claiming the gateway's address", "arp_sender",
         Ether(src=vm, dst=BCAST) / ARP(op=2, hwsrc=vm, psrc=gw, hwdst=BCAST, pdst=gw)),
        ("gratuitous ARP for another address", "arp_sender",
         Ether(src=vm, dst=BCAST) / ARP(op=1, hwsrc=vm, psrc=OTHER_IP, hwdst="00:00:00:00:00:00", pdst=OTHER_IP)),
        ("ARP naming another sender MAC for the pod's address", "arp_sender",
         Ether(src=vm, dst=BCAST) / ARP(op=1, hwsrc=OTHER_MAC, psrc=pod, pdst=gw)),
        ("DHCP OFFER from the guest", "dhcp_server",
         Ether(src=vm, dst=BCAST) / IP(src=pod, dst="255.255.255.255") / UDP(sport=67, dport=68)
         / BOOTP(op=2, yiaddr=OTHER_IP, chaddr=bytes.fromhex("525400777777"))
         / DHCP(options=[("message-type", "offer"), ("server_id", pod), "end"])),
        ("DHCP ACK from the guest", "dhcp_server",
         Ether(src=vm, dst=BCAST) / IP(src=pod, dst="255.255.255.255") / UDP(sport=67, dport=68)
         / BOOTP(op=2, yiaddr=OTHER_IP, chaddr=bytes.fromhex("525400777777"))
         / DHCP(options=[("message-type", "ack"), ("server_id", pod), "end"])),
        ("ICMP redirect", "redirect",
         Ether(src=vm, dst=BCAST) / IP(src=pod, dst=gw) / ICMP(type=5, code=1, gw=pod)
         / IP(src=gw, dst="198.51.100.200") / UDP(sport=1, dport=2)),
        ("the guest's DHCP DISCOVER (for the responder)", "kept_in_pod",
         Ether(src=vm, dst=BCAST) / IP(src="0.0.0.0", dst="255.255.255.255") / UDP(sport=68, dport=67)
         / BOOTP(op=1, chaddr=bytes.fromhex(vm.replace(":", "")))
         / DHCP(options=[("message-type", "discover"), "end"])),
        # Honest: these must reach the node.
        ("UDP from the pod's IPv4", None,
         Ether(src=vm, dst=BCAST) / IP(src=pod, dst=gw) / udp / Raw(b"gf-honest4")),
        ("gratuitous ARP for the pod's address", None,
         Ether(src=vm, dst=BCAST) / ARP(op=1, hwsrc=vm, psrc=pod, hwdst="00:00:00:00:00:00", pdst=pod)),
        ("ARP probe from 0.0.0.0", None,
         Ether(src=vm, dst=BCAST) / ARP(op=1, hwsrc=vm, psrc="0.0.0.0", pdst=pod)),
    ]
    if a["pod2_ip"]:
        out.append(("ARP reply claiming the second pod's address", "arp_sender",
                    Ether(src=vm, dst=BCAST) / ARP(op=2, hwsrc=vm, psrc=a["pod2_ip"], hwdst=BCAST, pdst=a["pod2_ip"])))
    if not a["gw6"]:
        return out
    v6 = lambda src, dst=ALL_NODES: Ether(src=vm, dst=dst) / IPv6(src=src, dst="ff02::1", hlim=255)  # noqa: E731
    gw6 = a["gw6"]
    out += [
        ("another source IPv6", "ip6_source", v6(OTHER_IP6) / udp / Raw(b"gf-ip6")),
        ("unsolicited NA overriding the gateway", "nd_target",
         v6(ll) / ICMPv6ND_NA(tgt=gw6, R=1, S=0, O=1) / ICMPv6NDOptDstLLAddr(lladdr=vm)),
        ("NA for the pod's address naming another MAC", "nd_lladdr",
         v6(ll) / ICMPv6ND_NA(tgt=a["pod_ip6"], R=0, S=0, O=1) / ICMPv6NDOptDstLLAddr(lladdr=OTHER_MAC)),
        ("DHCPv6 ADVERTISE from the guest", "dhcp_server",
         v6(ll) / UDP(sport=547, dport=546) / DHCP6_Advertise(trid=0x1234)),
        ("DHCPv6 REPLY from the guest", "dhcp_server",
         v6(ll) / UDP(sport=547, dport=546) / DHCP6_Reply(trid=0x1235)),
        ("router advertisement", "router_adv", v6(ll) / ICMPv6ND_RA(routerlifetime=1800)),
        ("ICMPv6 redirect", "redirect", v6(ll) / ICMPv6ND_Redirect(tgt=ll, dst=gw6)),
        ("the guest's RS (for the responder)", "kept_in_pod",
         Ether(src=vm, dst="33:33:00:00:00:02") / IPv6(src=ll, dst="ff02::2", hlim=255) / ICMPv6ND_RS()),
        ("UDP from the pod's IPv6", None, v6(a["pod_ip6"]) / udp / Raw(b"gf-honest6")),
        ("UDP from the VM's link-local", None, v6(ll) / udp / Raw(b"gf-honest-ll")),
        ("NA for the VM's link-local", None,
         v6(ll) / ICMPv6ND_NA(tgt=ll, R=0, S=0, O=1) / ICMPv6NDOptDstLLAddr(lladdr=vm)),
    ]
    if a["router6"]:
        out += [
            ("IPv6 from the router's link-local", "ip6_source", v6(a["router6"]) / udp / Raw(b"gf-r6")),
            ("NA for the router's link-local", "nd_target",
             v6(ll) / ICMPv6ND_NA(tgt=a["router6"], R=1, S=0, O=1) / ICMPv6NDOptDstLLAddr(lladdr=vm)),
        ]
    return out


def run(a):
    places = [("node", a["node_ns"], a["node_iface"])]
    if a["pod2_ns"]:
        places.append(("second pod", a["pod2_ns"], a["pod2_iface"]))
    socks = [(name, in_netns(ns, lambda i=iface: listener(i))) for name, ns, iface in places]
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    tx.bind((a["vm_iface"], 0))
    seen = {name: [] for name, _ in socks}
    todo = frames(a)
    for _, _, f in todo:
        tx.send(bytes(f))
        time.sleep(0.02)
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        select.select([s for _, s in socks], [], [], 0.1)
        for name, s in socks:
            drain(s, seen[name])
    want = collections.Counter()
    for what, why, f in todo:
        b = bytes(f)
        # A packet socket gets a VLAN tag apart from the frame (auxdata).
        forms = [b, b[:12] + b[16:]] if b[12:14] == b"\x81\x00" else [b]
        # The kernel may pad a short frame to 60 bytes on its way.
        arrived = [n for n, got in seen.items()
                   if any(g[: len(x)] == x for g in got for x in forms)]
        if why is None:
            if "node" in arrived:
                ok("honest: %s: reaches the node" % what)
            else:
                bad("honest: %s: did not reach the node" % what)
            continue
        want[why] += 1
        if a.get("filter") == "off":
            # The control: with no filter the same frame reaches the node.
            if "node" in arrived:
                ok("no filter: %s: reaches the node" % what)
            else:
                bad("no filter: %s: did not reach the node" % what)
            continue
        if arrived:
            bad("%s (%s): arrived at the %s" % (what, why, " and the ".join(arrived)))
        else:
            ok("%s (%s): arrived nowhere (%s)" % (what, why, ", ".join(n for n, _ in socks)))
    check("frames seen at the node (the listener works)", True, len(seen["node"]) > 0)
    for k in sorted(want):
        print("expect %s %d" % (k, want[k]), flush=True)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    a = dict(kv.split("=", 1) for kv in sys.argv[1].split(","))
    run(a)
    print("guest_filter.py: %d failed checks" % failures(), flush=True)
    return 1 if failures() else 0


if __name__ == "__main__":
    sys.exit(main())
