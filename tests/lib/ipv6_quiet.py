#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Count the IPv6 frames a MAC sends on an interface for a few seconds.

Usage: ipv6_quiet.py IFNAME MAC SECONDS  (run it in the node namespace, on
the host side of the pod's veth). Prints the count, then one line per frame
(ICMPv6 type when there is one): RS (133), NS/NA (135/136), MLD (131/143)
from the pod interface while the VM runs are what podnet must prevent.
Only reads: a packet socket, no frame is sent. Bounded by SECONDS.
"""
import select
import socket
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_IPV6 = 0x86DD


def main():
    ifname, mac, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    src = bytes(int(b, 16) for b in mac.split(":"))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ALL))
    s.bind((ifname, 0))
    end = time.monotonic() + seconds
    seen = []
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select([s], [], [], left)
        if not r:
            continue
        frame = s.recv(65535)
        if len(frame) < 14 or frame[6:12] != src:
            continue
        if int.from_bytes(frame[12:14], "big") != ETH_P_IPV6:
            continue
        nxt = frame[20] if len(frame) > 20 else -1
        # ICMPv6 right after the header, or after a hop-by-hop (MLD).
        icmp = -1
        if nxt == 58 and len(frame) > 54:
            icmp = frame[54]
        elif nxt == 0 and len(frame) > 62 and frame[54] == 58:
            icmp = frame[54 + (frame[55] + 1) * 8]
        seen.append(icmp)
    print(len(seen))
    for t in seen:
        print("frame icmpv6-type %d" % t)


if __name__ == "__main__":
    main()
