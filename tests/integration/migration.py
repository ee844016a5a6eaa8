#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The fake VM and the node's eyes for migration.sh (a live migration played
by hand with the hook binary):

  migration.py sniff IFACE OUT STOP
      every frame that comes IN on IFACE (the node's side of a pod's veth:
      what the pod sends toward the node), one line each, with its
      CLOCK_MONOTONIC time, into OUT until the file STOP exists (bounded);
  migration.py rarp IFACE MAC T0_FILE
      QEMU's self-announcement from MAC (net/announce.c): 5 RARP frames at
      0, 50, 200, 450 and 800 ms; the time of the first goes to T0_FILE
      (written just before it is sent);
  migration.py arp IFACE MAC IP TARGET
      one ARP request from MAC/IP for TARGET (a VM speaking on the network);
  migration.py dhcp IFACE MAC
      one DHCPDISCOVER from MAC (broadcast: it reaches every pod's bridge).

A line of sniff: "TIME arp op=N hwsrc=M psrc=A pdst=B", "TIME na hwsrc=M
target=A" (an unsolicited NA; "nasol" for a solicited one), "TIME ra
hwsrc=M", "TIME ip4 hwsrc=M src=A sport=P", "TIME ip6 hwsrc=M src=A nh=N",
"TIME rarp hwsrc=M", "TIME other hwsrc=M type=0xT".
"""
import logging
import os
import select
import socket
import sys
import time

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import (ARP, BOOTP, DHCP, Ether, ICMPv6ND_NA, ICMPv6ND_RA,  # noqa: E402
                       IP, IPv6, UDP)

ETH_P_ALL = 3
ETH_P_RARP = 0x8035


def describe(data):
    e = Ether(data)
    m = e.src
    if e.type == 0x0806 and ARP in e:
        a = e[ARP]
        return "arp op=%d hwsrc=%s psrc=%s pdst=%s" % (a.op, a.hwsrc, a.psrc, a.pdst)
    if e.type == ETH_P_RARP:
        return "rarp hwsrc=%s" % m
    if e.type == 0x0800 and IP in e:
        sport = e[UDP].sport if UDP in e else 0
        return "ip4 hwsrc=%s src=%s sport=%d" % (m, e[IP].src, sport)
    if e.type == 0x86DD and IPv6 in e:
        if ICMPv6ND_NA in e:
            # A solicited NA answers a question someone on the node asked
            # (its neighbour probe): no announcement.
            kind = "nasol" if e[ICMPv6ND_NA].S else "na"
            return "%s hwsrc=%s target=%s" % (kind, m, e[ICMPv6ND_NA].tgt)
        if ICMPv6ND_RA in e:
            return "ra hwsrc=%s" % m
        return "ip6 hwsrc=%s src=%s nh=%d" % (m, e[IPv6].src, e[IPv6].nh)
    return "other hwsrc=%s type=0x%04x" % (m, e.type)


def sniff(iface, out, stop):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.setblocking(False)
    deadline = time.monotonic() + 300
    with open(out, "w") as f:
        print("ready", file=f, flush=True)
        while time.monotonic() < deadline and not os.path.exists(stop):
            r, _, _ = select.select([s], [], [], 0.1)
            if not r:
                continue
            try:
                data, addr = s.recvfrom(65535)
            except OSError:
                continue
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            print("%.6f %s" % (time.monotonic(), describe(data)), file=f, flush=True)


def rarp(iface, mac, t0_file):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_RARP))
    s.bind((iface, 0))
    macb = bytes.fromhex(mac.replace(":", ""))
    frame = (b"\xff" * 6 + macb + b"\x80\x35" + bytes([0, 1, 8, 0, 6, 4, 0, 3]) +
             macb + bytes(4) + macb + bytes(4))
    frame += bytes(60 - len(frame))
    t0 = time.monotonic()
    with open(t0_file, "w") as f:
        print("%.6f" % t0, file=f, flush=True)
    for at in (0, 0.05, 0.2, 0.45, 0.8):
        time.sleep(max(0.0, t0 + at - time.monotonic()))
        s.send(frame)


def arp(iface, mac, ip, target):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
    s.bind((iface, 0))
    s.send(bytes(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") /
                 ARP(op=1, hwsrc=mac, psrc=ip, pdst=target)))


def dhcp(iface, mac):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
    s.bind((iface, 0))
    macb = bytes.fromhex(mac.replace(":", ""))
    s.send(bytes(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") /
                 IP(src="0.0.0.0", dst="255.255.255.255") /
                 UDP(sport=68, dport=67) /
                 BOOTP(chaddr=macb + bytes(10), xid=0x1234) /
                 DHCP(options=[("message-type", "discover"), "end"])))


def main():
    a = sys.argv[1:]
    if len(a) == 4 and a[0] == "sniff":
        sniff(*a[1:])
    elif len(a) == 4 and a[0] == "rarp":
        rarp(*a[1:])
    elif len(a) == 5 and a[0] == "arp":
        arp(*a[1:])
    elif len(a) == 3 and a[0] == "dhcp":
        dhcp(*a[1:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
