#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes the named seed files of fuzz_dhcp_wire, fuzz_udp_frame,
fuzz_arp_answer, fuzz_state_parse, fuzz_dhcp6_wire and fuzz_ip6_frame
(stdlib only)."""

import os
import struct
import sys

MAC = bytes([0x52, 0x54, 0x00, 0x12, 0x34, 0x56])
OURS = bytes([198, 51, 100, 10])
SERVER = bytes([169, 254, 1, 1])
ZERO = bytes(4)
PRL = bytes([55, 9, 1, 3, 6, 12, 15, 26, 28, 119, 121])


def opt(code, data):
    return bytes([code, len(data)]) + data


def bootp(options, ciaddr=ZERO, flags=0, op=1, htype=1, hlen=6,
          sname=b"", file=b"", cookie=0x63825363, end=True):
    msg = struct.pack("!BBBBIHH4s4s4s4s16s64s128sI", op, htype, hlen, 0,
                      0x12345678, 0, flags, ciaddr, ZERO, ZERO, ZERO,
                      MAC, sname, file, cookie)
    return msg + options + (b"\xff" if end else b"")


def msgtype(t):
    return opt(53, bytes([t]))


SEEDS = {
    "discover": bootp(msgtype(1) + PRL),
    "discover-broadcast": bootp(msgtype(1) + PRL, flags=0x8000),
    "request-selecting": bootp(msgtype(3) + opt(50, OURS) +
                               opt(54, SERVER) + PRL),
    "request-init-reboot": bootp(msgtype(3) + opt(50, OURS) + PRL),
    "request-init-reboot-stale": bootp(msgtype(3) +
                                       opt(50, bytes([198, 51, 100, 99]))),
    "request-renewing": bootp(msgtype(3) + PRL, ciaddr=OURS),
    "inform": bootp(msgtype(8) + PRL, ciaddr=OURS),
    "decline": bootp(msgtype(4) + opt(50, OURS) + opt(54, SERVER)),
    "release": bootp(msgtype(7) + opt(54, SERVER), ciaddr=OURS),
    "overload": bootp(msgtype(3) + opt(52, bytes([3])),
                      file=opt(50, OURS) + b"\xff",
                      sname=opt(54, SERVER) + PRL + b"\xff"),
    "max-size-1500": bootp(msgtype(1) + opt(57, struct.pack("!H", 1500)) +
                           PRL),
    "client-id-fqdn": bootp(msgtype(3) + opt(50, OURS) +
                            opt(61, b"\x01" + MAC) +
                            opt(81, b"\x05\x00\x00\x03vm1\x00")),
    "prl-everything": bootp(msgtype(1) + opt(55, bytes(range(1, 255)))),
    "truncated-options": bootp(msgtype(1) + bytes([55, 40, 1, 3]),
                               end=False),
    "no-end": bootp(msgtype(1) + PRL, end=False),
    "bad-cookie": bootp(msgtype(1), cookie=0x63825364),
    "not-ethernet": bootp(msgtype(1), htype=6),
}


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4_udp(payload, src=ZERO, dst=b"\xff\xff\xff\xff", frag=0,
             proto=17, pad=0):
    ulen = 8 + len(payload)
    udp = struct.pack("!HHHH", 68, 67, ulen, 0) + payload
    pseudo = src + dst + struct.pack("!BBH", 0, 17, ulen)
    udp = udp[:6] + struct.pack("!H", checksum(pseudo + udp) or 0xffff) + \
        udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, 0, frag, 64,
                     proto, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + udp + bytes(pad)


UDP_SEEDS = {
    "discover": ipv4_udp(SEEDS["discover"]),
    "request-renewing": ipv4_udp(SEEDS["request-renewing"], src=OURS,
                                 dst=SERVER),
    "ethernet-padding": ipv4_udp(b"x" * 10, pad=18),
    "fragment": ipv4_udp(SEEDS["discover"], frag=0x2000),
    "tcp": ipv4_udp(b"x" * 10, proto=6),
    "empty-payload": ipv4_udp(b""),
}


def arp(op, sender, target, sha=MAC, tha=bytes(6), htype=1, plen=4):
    return (struct.pack("!HHBBH", htype, 0x0800, 6, plen, op) + sha +
            sender + tha + target)


GW2 = bytes([198, 51, 100, 1])
ARP_SEEDS = {
    "gw-request": arp(1, OURS, SERVER),
    "gw2-request-padded": arp(1, OURS, GW2) + bytes(18),
    "other-target": arp(1, OURS, bytes([198, 51, 100, 9])),
    "probe": arp(1, ZERO, OURS),
    "announce": arp(1, SERVER, SERVER),
    "reply": arp(2, OURS, SERVER, tha=MAC),
    "short": arp(1, OURS, SERVER)[:20],
}


UUID = "11111111-2222-3333-4444-555555555555"
RECORD_HEAD = ("podnet-state 2\ndomain vm1\nuuid " + UUID +
               "\nhostname vm1\nphase ready\nresponder 4242 123456\n")
AWS_IFACE = (
    "dns 198.51.100.53\nsearch pod.example.test\n"
    "iface 0 pod eth0 ifindex 2 mac 0a:58:c6:33:64:0a mtu 1400 flags 4099\n"
    "iface 0 vm_mac 52:54:00:12:34:56 bridge pn-eth0 owned 1 bridge_mac "
    "02:00:00:00:00:01 pod_mac_changed 0 temp_mac 00:00:00:00:00:00\n"
    "addr 0 198.51.100.10/32 brd 0.0.0.0 scope 0 flags 128 label eth0 "
    "lft 4294967295 4294967295\n"
    "route 0 table 254 dst 169.254.1.1/32 gw 0.0.0.0 src 0.0.0.0 metric 0 "
    "proto 3 scope 253 type 1 nhflags 0 tos 0 metrics -\n"
    "route 0 table 254 dst 0.0.0.0/0 gw 169.254.1.1 src 0.0.0.0 metric 0 "
    "proto 3 scope 0 type 1 nhflags 0 tos 0 metrics 2=1350 8=1310\n"
    "neigh 0 169.254.1.1 lladdr ee:ee:ee:ee:ee:ee state 128 flags 0\n")
# A dual-stack subnet pod (version 3): the IPv6 lines of the record.
DUAL_IFACE = (
    "dns 198.51.100.53\ndns6 2001:db8::53\nsearch pod.example.test\n"
    "iface 0 pod eth0 ifindex 2 mac 0a:58:c6:33:64:0a mtu 1400 flags 4099\n"
    "iface 0 vm_mac 52:54:00:12:34:56 bridge pn-eth0 owned 1 bridge_mac "
    "02:00:00:00:00:01 pod_mac_changed 0 temp_mac 00:00:00:00:00:00\n"
    "addr 0 198.51.100.10/24 brd 198.51.100.255 scope 0 flags 128 label "
    "eth0 lft 4294967295 4294967295\n"
    "addr6 0 2001:db8:1::10/64 scope 0 flags 128 lft 4294967295 "
    "4294967295\n"
    "addr6 0 2001:db8:2::10/128 scope 0 flags 130 lft 86400 3600\n"
    "route6 0 table 254 dst 2001:db8:1::/64 gw :: src :: metric 256 "
    "proto 2 scope 0 type 1 nhflags 0 pref 0 metrics -\n"
    "route6 0 table 254 dst ::/0 gw 2001:db8:1::1 src :: metric 1024 "
    "proto 3 scope 0 type 1 nhflags 0 pref 0 metrics 2=1400\n"
    "route6 0 table 100 dst ::/0 gw fe80::ecee:eeff:feee:eeee src :: "
    "metric 1024 proto 4 scope 0 type 1 nhflags 4 pref 1 metrics -\n"
    "neigh6 0 2001:db8:1::1 lladdr 0a:58:c6:33:64:01 state 128 flags 0\n"
    "router6 0 fe80::858:c6ff:fe33:6401 mac 0a:58:c6:33:64:01\n"
    "sysctl6 0 disable_ipv6 0 accept_ra 1 accept_dad 1 addr_gen_mode 0\n")
RECORD_HEAD3 = RECORD_HEAD.replace("podnet-state 2", "podnet-state 3")
# Version 4: one addr, route and neigh line for both families.
RECORD_HEAD4 = RECORD_HEAD.replace("podnet-state 2", "podnet-state 4")
# Version 5: "incoming" (a live migration's destination) after the phase.
RECORD_HEAD5 = RECORD_HEAD4.replace("podnet-state 4", "podnet-state 5")
RECORD_HEAD5_IN = RECORD_HEAD5.replace("responder ", "incoming\nresponder ", 1)
DUAL_IFACE4 = (DUAL_IFACE.replace("addr6 ", "addr ")
               .replace("route6 ", "route ").replace("neigh6 ", "neigh "))
STATE_SEEDS = {
    "dual-ready": (RECORD_HEAD3 + DUAL_IFACE + "end\n").encode(),
    "dual-truncated": (RECORD_HEAD3 + DUAL_IFACE)[:-60].encode(),
    "v6-only": (RECORD_HEAD3 + "\n".join(
        l for l in DUAL_IFACE.split("\n") if not l.startswith(("addr ", "dns "))
        ) + "end\n").encode(),
    "v2-with-v6": (RECORD_HEAD + DUAL_IFACE + "end\n").encode(),
    "v4-dual-ready": (RECORD_HEAD4 + DUAL_IFACE4 + "end\n").encode(),
    "v4-dual-truncated": (RECORD_HEAD4 + DUAL_IFACE4)[:-60].encode(),
    "v4-aws-ready": (RECORD_HEAD4 + AWS_IFACE + "end\n").encode(),
    "v5-incoming": (RECORD_HEAD5_IN + DUAL_IFACE4 + "end\n").encode(),
    "v5-plain": (RECORD_HEAD5 + AWS_IFACE + "end\n").encode(),
    # Refused: "incoming" is version 5's.
    "v4-incoming": (RECORD_HEAD5_IN.replace("podnet-state 5", "podnet-state 4")
                    + AWS_IFACE + "end\n").encode(),
    # Refused: in version 3 an addr, route or neigh line is IPv4's.
    "v3-addr-is-ipv4": (RECORD_HEAD3 + DUAL_IFACE4 + "end\n").encode(),
    "aws-ready": (RECORD_HEAD + AWS_IFACE + "end\n").encode(),
    "minimal": ("podnet-state 2\nuuid " + UUID + "\nend\n").encode(),
    "old-format": ("podnet-state 1\nuuid " + UUID + "\nend\n").encode(),
    "truncated": (RECORD_HEAD + AWS_IFACE)[:-40].encode(),
    # Found by fuzz_state_parse: an interface known only from its address
    # and route lines was accepted, and could not be written back.
    "no-iface-line": (RECORD_HEAD + "\n".join(
        l for l in AWS_IFACE.split("\n") if not l.startswith("iface"))
        + "end\n").encode(),
    "metrics-twice": (RECORD_HEAD + AWS_IFACE.replace("8=1310", "2=1")
                      + "end\n").encode(),
}


# DHCPv6 (RFC 8415): the client messages the responder answers or refuses.
DUID = b"\x00\x03\x00\x01" + MAC
SERVER_DUID = b"\x00\x03\x00\x01" + bytes([0x5a, 0x30, 0x4d, 0xd3, 0x6a, 1])
POD6 = bytes.fromhex("20010db8000100000000000000000010")
FOREIGN6 = bytes.fromhex("20010db8009900000000000000000005")


def opt6(code, data=b""):
    return struct.pack("!HH", code, len(data)) + data


def ia_na(iaid, addrs=()):
    body = struct.pack("!III", iaid, 0, 0)
    for a in addrs:
        body += opt6(5, a + struct.pack("!II", 0, 0))
    return opt6(3, body)


def d6(mtype, options):
    return bytes([mtype, 0x12, 0x34, 0x56]) + options


CID6, SID6 = opt6(1, DUID), opt6(2, SERVER_DUID)
ORO6 = opt6(6, struct.pack("!HHH", 23, 24, 39))
DHCP6_SEEDS = {
    "solicit": d6(1, CID6 + opt6(8, b"\0\0") + ORO6 + ia_na(1)),
    "solicit-rapid": d6(1, CID6 + opt6(14) + ia_na(1)),
    "solicit-ias": d6(1, CID6 + ia_na(1) + ia_na(2) +
                      opt6(4, struct.pack("!I", 3)) +
                      opt6(25, struct.pack("!III", 4, 0, 0))),
    "request": d6(3, CID6 + SID6 + ORO6 + ia_na(1, [POD6])),
    "request-foreign": d6(3, CID6 + SID6 + ia_na(1, [FOREIGN6])),
    "renew": d6(5, CID6 + SID6 + ia_na(1, [POD6, FOREIGN6])),
    "rebind": d6(6, CID6 + ia_na(1, [POD6])),
    "confirm": d6(4, CID6 + ia_na(1, [POD6])),
    "info": d6(11, CID6 + ORO6),
    "release": d6(8, CID6 + SID6 + ia_na(1, [POD6])),
    "decline": d6(9, CID6 + SID6 + ia_na(1, [POD6])),
    "fqdn": d6(1, CID6 + opt6(39, b"\x01\x03vm1") + ia_na(1)),
    "no-client-id": d6(1, ia_na(1)),
    "option-past-end": d6(1, CID6 + struct.pack("!HH", 3, 40) + bytes(12)),
    "iaaddr-past-ia": d6(1, CID6 + opt6(3, struct.pack("!III", 1, 0, 0) +
                                        struct.pack("!HH", 5, 24) + bytes(8))),
    "header-cut": d6(1, CID6 + b"\x00\x03\x00"),
}


def ip6_frame(nh, l4, src=bytes.fromhex("fe800000000000005054" "00fffe123456"),
              dst=bytes.fromhex("ff020000000000000000000000010002"), hlim=1,
              csum_at=None):
    if csum_at is not None:
        pseudo = src + dst + struct.pack("!I", len(l4)) + bytes(3) + bytes([nh])
        c = checksum(pseudo + l4) or 0xffff
        l4 = l4[:csum_at] + struct.pack("!H", c) + l4[csum_at + 2:]
    ip = struct.pack("!IHBB", 0x60000000, len(l4), nh, hlim) + src + dst
    eth = bytes.fromhex("333300010002") + MAC + b"\x86\xdd"
    return eth + ip + l4


def udp6(payload):
    return struct.pack("!HHHH", 546, 547, 8 + len(payload), 0) + payload


RS = bytes([133, 0, 0, 0]) + bytes(4) + b"\x01\x01" + MAC
NS = bytes([135, 0, 0, 0]) + bytes(4) + POD6
IP6_SEEDS = {
    "solicit": ip6_frame(17, udp6(DHCP6_SEEDS["solicit"]), csum_at=6),
    "rs": ip6_frame(58, RS, hlim=255, csum_at=2),
    "rs-from-unspecified": ip6_frame(58, RS[:8], src=bytes(16), hlim=255,
                                     csum_at=2),
    "ns-dad": ip6_frame(58, NS, src=bytes(16), hlim=255, csum_at=2),
    "rs-bad-checksum": ip6_frame(58, RS, hlim=255),
    "rs-zero-option": ip6_frame(58, RS[:9] + b"\x00" + RS[10:], hlim=255,
                                csum_at=2),
    "hop-by-hop": ip6_frame(0, bytes([17, 0, 5, 2, 0, 0, 1, 0]) +
                            udp6(b"x")),
    "udp-length-past-end": ip6_frame(17, struct.pack("!HHHH", 546, 547, 60,
                                                     0) + b"x"),
    "padded": ip6_frame(17, udp6(b"\x01\x00\x00\x01")) + bytes(20),
}


# QEMU's RARP announcement (net/announce.c), from the ARP header on.
RARP_OK = bytes([0, 1, 8, 0, 6, 4, 0, 3]) + MAC + bytes(4) + MAC + bytes(4)
RARP_SEEDS = {
    "qemu-announce": RARP_OK + bytes(18),
    "exact-28": RARP_OK,
    "short": RARP_OK[:27],
    "reply-op4": RARP_OK[:7] + b"\x04" + RARP_OK[8:],
    "other-target": RARP_OK[:18] + bytes(6) + RARP_OK[24:],
    "arp-request": RARP_OK[:7] + b"\x01" + RARP_OK[8:],
}


def write(folder, seeds):
    os.makedirs(folder, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)


def main():
    base = os.path.join(os.path.dirname(os.path.abspath(sys.argv[0])),
                        "corpus")
    write(os.path.join(base, "fuzz_dhcp_wire"), SEEDS)
    write(os.path.join(base, "fuzz_udp_frame"), UDP_SEEDS)
    write(os.path.join(base, "fuzz_arp_answer"), ARP_SEEDS)
    write(os.path.join(base, "fuzz_state_parse"), STATE_SEEDS)
    write(os.path.join(base, "fuzz_dhcp6_wire"), DHCP6_SEEDS)
    write(os.path.join(base, "fuzz_ip6_frame"), IP6_SEEDS)
    write(os.path.join(base, "fuzz_rarp"), RARP_SEEDS)


if __name__ == "__main__":
    main()
