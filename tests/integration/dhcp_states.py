#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The scapy driver of dhcp_states.sh: plays every RFC 2131 client state and
every malformed case against the real responder, from inside the fake-VM
namespace, and asserts the exact reply (or that there is none).

  dhcp_states.py states ARGS...   in the VM namespace (see main())
  dhcp_states.py sniff OUT STOP LIMIT IFACE [clients]
                                  in the node namespace: records every DHCP
                                  server packet and every ARP (and with
                                  "clients" every DHCP client packet) seen on
                                  IFACE until the file STOP exists

Frames are sent and read on one AF_PACKET socket; no BPF filter is compiled
(scapy would need tcpdump for that), the frames are filtered here. Options
are decoded by hand (RFC 3396 concatenation) so that the bytes are checked,
not scapy's interpretation of them. Prints "ok - ..." / "not ok - ..." lines
(tests/lib/scapy_lab.py) and exits 1 if any check failed.
"""
import os
import random
import socket
import struct
import sys
import time

import logging

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import scapy_lab  # noqa: E402
from scapy_lab import bad, check, ok  # noqa: E402

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import (  # noqa: E402
    ARP,
    BOOTP,
    DHCP,
    IP,
    UDP,
    Ether,
    IPv6,
    Raw,
    conf,
)
from scapy.layers.dhcp6 import DHCP6_Solicit, DHCP6OptClientId, DUID_LL  # noqa: E402

conf.verb = 0
COOKIE = b"\x63\x82\x53\x63"
BCAST_MAC = "ff:ff:ff:ff:ff:ff"


def ip2b(a):
    return socket.inet_aton(a)


def parse_options(data):
    """RFC 2132 walk with RFC 3396 concatenation: {code: bytes}, plus the
    number of instances per code."""
    opts, count, i = {}, {}, 0
    while i < len(data):
        code = data[i]
        if code == 0:
            i += 1
            continue
        if code == 255:
            break
        if i + 1 >= len(data):
            raise ValueError("option %d: no length byte" % code)
        n = data[i + 1]
        if i + 2 + n > len(data):
            raise ValueError("option %d: cut" % code)
        opts[code] = opts.get(code, b"") + data[i + 2 : i + 2 + n]
        count[code] = count.get(code, 0) + 1
        i += 2 + n
    return opts, count


def decode_names(data):
    """RFC 1035 4.1.4 names with compression pointers (option 119)."""
    names, pos = [], 0
    while pos < len(data):
        labels, p, hops, end = [], pos, 0, None
        while True:
            b = data[p]
            if b == 0:
                if end is None:
                    end = p + 1
                break
            if b & 0xC0 == 0xC0:
                if end is None:
                    end = p + 2
                p = ((b & 0x3F) << 8) | data[p + 1]
                hops += 1
                if hops > 64:
                    raise ValueError("pointer loop")
                continue
            labels.append(data[p + 1 : p + 1 + b].decode())
            p += 1 + b
        names.append(".".join(labels))
        pos = end
    return names


class Reply:
    def __init__(self, raw):
        self.raw = raw
        self.eth = Ether(raw)
        self.ip = self.eth[IP]
        self.udp = self.eth[UDP]
        self.bootp = bytes(self.udp.payload)
        b = self.bootp
        self.op = b[0]
        self.xid = b[4:8]
        self.flags = struct.unpack("!H", b[10:12])[0]
        self.ciaddr = socket.inet_ntoa(b[12:16])
        self.yiaddr = socket.inet_ntoa(b[16:20])
        self.chaddr = b[28:34]
        self.cookie = b[236:240]
        self.opts, self.count = parse_options(b[240:])
        self.type = self.opts.get(53, b"\0")[0]


def server_reply(data, xid):
    """@data as a Reply if it is a BOOTP reply (UDP from 67, op 2) with
    @xid (None: any), else None."""
    try:
        e = Ether(data)
    except Exception:
        return None
    if IP not in e or UDP not in e or e[UDP].sport != 67:
        return None
    p = bytes(e[UDP].payload)
    if len(p) < 240 or p[0] != 2:
        return None
    if xid is not None and p[4:8] != xid:
        return None
    return Reply(data)


class Lab(scapy_lab.Lab):
    def __init__(self, a):
        super().__init__(a, 0x0003)

    def exchange(self, frame, xid, timeout=1.5):
        self.drain()
        self.send(frame)
        return self.frames(time.monotonic() + timeout, lambda d: server_reply(d, xid), True)

    def request(self, msgtype, xid=None, src_mac=None, chaddr=None, ciaddr="0.0.0.0",
                ip_src="0.0.0.0", ip_dst="255.255.255.255", eth_dst=BCAST_MAC,
                flags=0, options=(), op=1, htype=1, hlen=6, prl=None):
        xid = xid if xid is not None else random.getrandbits(32)
        chaddr = chaddr if chaddr is not None else self.macb
        opts = [("message-type", msgtype)]
        if prl is None:
            prl = [1, 3, 6, 12, 15, 26, 28, 51, 54, 119, 121]
        if prl:
            opts.append(("param_req_list", prl))
        opts += list(options) + ["end"]
        f = (Ether(src=src_mac or self.mac, dst=eth_dst)
             / IP(src=ip_src, dst=ip_dst)
             / UDP(sport=68, dport=67)
             / BOOTP(op=op, htype=htype, hlen=hlen, xid=xid, flags=flags,
                     ciaddr=ciaddr, chaddr=chaddr + b"\0" * 10)
             / DHCP(options=opts))
        return f, struct.pack("!I", xid)


def expect_reply(lab, what, replies, mtype, ip_dst, yiaddr, ciaddr="0.0.0.0"):
    a = lab.a
    if len(replies) != 1:
        bad("%s: expected exactly one reply, got %d" % (what, len(replies)))
        return None
    r = replies[0]
    names = {2: "OFFER", 5: "ACK", 6: "NAK"}
    check(what + ": message type", names.get(mtype), names.get(r.type, r.type))
    check(what + ": L2 destination (the VM's MAC, never broadcast)", lab.mac, r.eth.dst)
    check(what + ": L2 source (the bridge)", a["bridge_mac"], r.eth.src)
    check(what + ": IP source (server id)", a["gw"], r.ip.src)
    check(what + ": IP destination", ip_dst, r.ip.dst)
    check(what + ": UDP ports", (67, 68), (r.udp.sport, r.udp.dport))
    check(what + ": yiaddr", yiaddr, r.yiaddr)
    check(what + ": ciaddr", ciaddr, r.ciaddr)
    check(what + ": chaddr", lab.macb, r.chaddr)
    check(what + ": cookie", COOKIE, r.cookie)
    check(what + ": option 54", ip2b(a["gw"]), r.opts.get(54))
    return r


def expect_config(lab, what, r, lease=True):
    """The pod's identity in options 1,3,6,12,15,26,51,119,121."""
    a = lab.a
    if r is None:
        return
    o = r.opts
    check(what + ": 1 mask", ip2b(a["mask"]), o.get(1))
    check(what + ": 3 router", ip2b(a["gw"]), o.get(3))
    check(what + ": 6 dns", b"".join(ip2b(x) for x in a["dns"]), o.get(6))
    check(what + ": 12 hostname", a["hostname"].encode(), o.get(12))
    check(what + ": 15 domain", a["search"][0].encode(), o.get(15))
    check(what + ": 26 mtu", struct.pack("!H", a["mtu"]), o.get(26))
    if lease:
        check(what + ": 51 lease (infinite)", b"\xff\xff\xff\xff", o.get(51))
    else:
        check(what + ": no 51 (INFORM, RFC 2131 4.3.5)", None, o.get(51))
    check(what + ": 121 routes (0.0.0.0/0 via gw)", b"\x00" + ip2b(a["gw"]), o.get(121))
    if 119 in o:
        try:
            check(what + ": 119 search list", a["search"], decode_names(o[119]))
        except (ValueError, IndexError) as e:
            bad("%s: option 119 does not decode: %s" % (what, e))
    return o


def expect_none(lab, what, frame, xid, timeout=1.0):
    got = lab.exchange(frame, xid, timeout)
    if got:
        bad("%s: expected no reply, got %d (type %s)" % (what, len(got), got[0].type))
    else:
        ok("%s: no reply" % what)


def run_states(a):
    lab = Lab(a)
    pod_ip, gw = a["pod_ip"], a["gw"]

    # DISCOVER -> OFFER, unicast to yiaddr at IP (no broadcast flag).
    f, x = lab.request("discover")
    r = expect_reply(lab, "DISCOVER", lab.exchange(f, x), 2, pod_ip, pod_ip)
    o = expect_config(lab, "OFFER", r)
    if r is not None:
        # Without option 57 a client accepts 576 bytes of IP datagram.
        check("OFFER without 57: IP length <= 576", True, r.ip.len <= 576)
        check("OFFER without 57: the long search list (> 255 bytes) left out whole",
              None, o.get(119))

    # Broadcast flag: IP 255.255.255.255, L2 still the VM's MAC.
    f, x = lab.request("discover", flags=0x8000)
    r = expect_reply(lab, "DISCOVER broadcast flag", lab.exchange(f, x), 2,
                     "255.255.255.255", pod_ip)
    if r is not None:
        check("broadcast flag echoed", 0x8000, r.flags)

    # Maximum message size 1500 with the long search list: 119 split (RFC 3396).
    f, x = lab.request("discover", options=[("max_dhcp_size", 1500)])
    r = expect_reply(lab, "DISCOVER 57=1500", lab.exchange(f, x), 2, pod_ip, pod_ip)
    if r is not None:
        o = expect_config(lab, "OFFER 57=1500", r)
        n119 = len(o.get(119, b""))
        check("57=1500: option 119 longer than 255 bytes", True, n119 > 255)
        check("57=1500: option 119 instances (RFC 3396 split)", (n119 + 254) // 255,
              r.count.get(119))
        check("57=1500: IP length <= 1500", True, r.ip.len <= 1500)
        ok("57=1500: option 119 is %d bytes in %d instances, IP length %d"
           % (n119, r.count.get(119, 0), r.ip.len))

    # Client identifier (61) echoed (RFC 6842).
    cid = b"\x01" + lab.macb
    f, x = lab.request("discover", options=[("client_id", cid)])
    r = expect_reply(lab, "DISCOVER with 61", lab.exchange(f, x), 2, pod_ip, pod_ip)
    if r is not None:
        check("option 61 echoed", cid, r.opts.get(61))

    # SELECTING: server id ours + requested pod IP -> ACK.
    f, x = lab.request("request", options=[("server_id", gw), ("requested_addr", pod_ip)])
    r = expect_reply(lab, "REQUEST SELECTING", lab.exchange(f, x), 5, pod_ip, pod_ip)
    expect_config(lab, "ACK SELECTING", r)

    # SELECTING with another server's id -> nothing.
    f, x = lab.request("request", options=[("server_id", "198.51.100.99"),
                                           ("requested_addr", pod_ip)])
    expect_none(lab, "REQUEST SELECTING another server", f, x)

    # INIT-REBOOT: requested address, no server id.
    f, x = lab.request("request", options=[("requested_addr", pod_ip)])
    r = expect_reply(lab, "REQUEST INIT-REBOOT pod IP", lab.exchange(f, x), 5, pod_ip, pod_ip)
    expect_config(lab, "ACK INIT-REBOOT", r)
    f, x = lab.request("request", options=[("requested_addr", "198.51.100.77")])
    r = expect_reply(lab, "REQUEST INIT-REBOOT stale IP", lab.exchange(f, x), 6,
                     "255.255.255.255", "0.0.0.0")
    if r is not None:
        check("NAK carries no lease options", (None, None, None),
              (r.opts.get(51), r.opts.get(1), r.opts.get(3)))

    # REBINDING: ciaddr, broadcast at IP and L2.
    f, x = lab.request("request", ciaddr=pod_ip, ip_src=pod_ip)
    r = expect_reply(lab, "REQUEST REBINDING", lab.exchange(f, x), 5, pod_ip, pod_ip, pod_ip)
    expect_config(lab, "ACK REBINDING", r)

    # RENEWING: ciaddr, unicast to the server id (the pod's gateway IP).
    # (a) L2 to the bridge's MAC: the frame is the bridge's own, it is answered.
    f, x = lab.request("request", ciaddr=pod_ip, ip_src=pod_ip, ip_dst=gw,
                       eth_dst=a["bridge_mac"])
    r = expect_reply(lab, "REQUEST RENEWING (L2 to the bridge)", lab.exchange(f, x), 5,
                     pod_ip, pod_ip, pod_ip)
    # (b) L2 to the gateway's own MAC (what a guest's kernel really sends
    # after it ARPs for the server id): the bridge forwards it out through the
    # pod interface to the node; the responder never sees it (not promiscuous).
    f, x = lab.request("request", ciaddr=pod_ip, ip_src=pod_ip, ip_dst=gw,
                       eth_dst=a["node_mac"])
    got = lab.exchange(f, x, 1.5)
    if got:
        ok("RENEWING to the gateway's MAC: answered (%d replies)" % len(got))
    else:
        ok("RENEWING to the gateway's MAC: not answered (the guest filter keeps it in the pod; "
           "the client falls back to REBINDING at T2; the lease is infinite)")
    print("fact: renewing-to-gateway-mac answered=%d" % len(got), flush=True)

    # INFORM -> ACK without yiaddr, no lease time.
    f, x = lab.request("inform", ciaddr=pod_ip, ip_src=pod_ip)
    r = expect_reply(lab, "INFORM", lab.exchange(f, x), 5, pod_ip, "0.0.0.0", pod_ip)
    expect_config(lab, "ACK INFORM", r, lease=False)

    # DECLINE and RELEASE: no reply, logged, still serving.
    time.sleep(1.1)  # a fresh log window (20 lines/s)
    since = lab.log_size()
    f, x = lab.request("decline", options=[("server_id", gw), ("requested_addr", pod_ip)],
                       prl=[])
    expect_none(lab, "DECLINE", f, x)
    check("DECLINE logged", True, lab.log_has("DECLINE", since))
    since = lab.log_size()
    f, x = lab.request("release", ciaddr=pod_ip, ip_src=pod_ip, ip_dst=gw,
                       eth_dst=a["bridge_mac"], options=[("server_id", gw)], prl=[])
    expect_none(lab, "RELEASE", f, x)
    check("RELEASE logged", True, lab.log_has("RELEASE", since))
    f, x = lab.request("discover")
    expect_reply(lab, "DISCOVER after DECLINE/RELEASE", lab.exchange(f, x), 2, pod_ip, pod_ip)

    # Cases that get no reply at all.
    other = bytes.fromhex("525400999999")
    f, x = lab.request("discover", chaddr=other)
    expect_none(lab, "another chaddr", f, x)
    f, x = lab.request("discover", src_mac="52:54:00:99:99:99")
    expect_none(lab, "another source MAC (chaddr the VM's)", f, x)
    f, x = lab.request("discover", op=2)
    expect_none(lab, "op=2 (BOOTREPLY)", f, x)
    f, x = lab.request("discover", htype=6)
    expect_none(lab, "htype=6", f, x)
    f, x = lab.request("discover", hlen=16)
    expect_none(lab, "hlen=16", f, x)
    f, x = lab.request("discover")
    raw = bytearray(bytes(f))
    off = 14 + 20 + 8 + 236
    raw[off:off + 4] = b"\x63\x82\x53\x64"
    expect_none(lab, "bad cookie", raw, x)
    f, x = lab.request("discover")
    pl = bytes(f[BOOTP])[:200]
    t = Ether(src=lab.mac, dst=BCAST_MAC) / IP(src="0.0.0.0", dst="255.255.255.255") \
        / UDP(sport=68, dport=67) / Raw(pl)
    expect_none(lab, "truncated BOOTP (200 bytes)", t, x)
    f, x = lab.request("discover")
    pl = bytes(f[BOOTP])
    t = Ether(src=lab.mac, dst=BCAST_MAC) / IP(src="0.0.0.0", dst="255.255.255.255") \
        / UDP(sport=68, dport=67) / Raw(pl[:-8] + b"\x0c\x40abc")
    expect_none(lab, "option cut by the end of the packet", t, x)
    f, x = lab.request("discover")
    frag = Ether(src=lab.mac, dst=BCAST_MAC) / IP(src="0.0.0.0", dst="255.255.255.255",
                                                 flags="MF", id=4242) / \
        Raw(bytes(f[UDP]))
    expect_none(lab, "IP fragment (MF set, whole datagram inside)", frag, x)
    f, x = lab.request("discover")
    g = f.copy()
    g[UDP].dport = 68
    del g[UDP].chksum
    del g[UDP].len
    expect_none(lab, "UDP to port 68", g, x)
    f, x = lab.request("discover")
    g = f.copy()
    g[Ether].type = 0x86DD
    expect_none(lab, "IPv4 bytes in an IPv6 ethertype", Ether(bytes(g)), x)
    # A guest DHCPv6 SOLICIT (KubeVirt crashed on one).
    sol = (Ether(src=lab.mac, dst="33:33:00:01:00:02")
           / IPv6(src="fe80::5054:ff:fe12:3456", dst="ff02::1:2")
           / UDP(sport=546, dport=547)
           / DHCP6_Solicit(trid=0x123456) / DHCP6OptClientId(duid=DUID_LL(lladdr=lab.mac)))
    lab.drain()
    lab.send(sol)
    got = lab.frames(time.monotonic() + 1.0, lambda d: server_reply(d, None), False)
    check("DHCPv6 SOLICIT: no DHCPv4 server frame", 0, len(got))
    check("responder alive after the malformed cases", True, lab.alive())

    # Still serving.
    f, x = lab.request("discover")
    r = expect_reply(lab, "DISCOVER after everything", lab.exchange(f, x), 2, pod_ip, pod_ip)
    expect_config(lab, "final OFFER", r)
    f, x = lab.request("request", options=[("server_id", gw), ("requested_addr", pod_ip)])
    expect_reply(lab, "final REQUEST", lab.exchange(f, x), 5, pod_ip, pod_ip)
    # A server-shaped frame from the VM (198.51.100.250): the guest filter
    # drops it (dhcp_states.sh checks its counter, and sends the capture's
    # positive control from the pod's bridge).
    lab.send(Ether(src=lab.mac, dst=BCAST_MAC) / IP(src="198.51.100.250", dst="255.255.255.255")
             / UDP(sport=67, dport=68) / BOOTP(op=2, chaddr=lab.macb) / DHCP(options=["end"]))


def sniff_filter(with_clients):
    """Classic BPF (from the Ethernet header): ARP, and unfragmented IPv4
    UDP from port 67 (and to port 67 if @with_clients). The kernel filters,
    so a storm of other frames cannot make the capture miss one."""
    ld_h, ld_b, ldx_msh, ld_h_ind = 0x28, 0x30, 0xB1, 0x48
    jeq, jset, ret = 0x15, 0x45, 0x06
    prog = [
        (ld_h, 0, 0, 12),            # 0 ethertype
        (jeq, 10, 0, 0x0806),        # 1 ARP -> accept (12)
        (jeq, 0, 10, 0x0800),        # 2 not IPv4 -> drop (13)
        (ld_b, 0, 0, 23),            # 3 protocol
        (jeq, 0, 8, 17),             # 4 not UDP -> drop
        (ld_h, 0, 0, 20),            # 5 fragment bits
        (jset, 6, 0, 0x1FFF),        # 6 fragment -> drop
        (ldx_msh, 0, 0, 14),         # 7 x = IP header length
        (ld_h_ind, 0, 0, 14),        # 8 source port
        (jeq, 2, 0, 67),             # 9 -> accept
        (ld_h_ind, 0, 0, 16),        # 10 destination port
        (jeq, 0, 1, 67 if with_clients else 0x10000),  # 11
        (ret, 0, 0, 0x40000),        # 12 accept
        (ret, 0, 0, 0),              # 13 drop
    ]
    return b"".join(struct.pack("HBBI", *i) for i in prog), len(prog)


def show(data):
    """The node sniffer's line for an ARP or DHCP frame, else None."""
    try:
        e = Ether(data)
    except Exception:
        return None
    if ARP in e:
        return ("arp op=%d hwsrc=%s psrc=%s pdst=%s ethsrc=%s ethdst=%s"
                % (e[ARP].op, e[ARP].hwsrc, e[ARP].psrc, e[ARP].pdst, e.src, e.dst))
    if IP in e and UDP in e and e[UDP].sport == 67:
        return "dhcp-server src=%s dst=%s ethsrc=%s ethdst=%s" % (e[IP].src, e[IP].dst, e.src, e.dst)
    if IP in e and UDP in e and e[UDP].dport == 67:
        return "dhcp-client src=%s dst=%s ethsrc=%s ethdst=%s" % (e[IP].src, e[IP].dst, e.src, e.dst)
    return None


def run_sniff(out, stop, limit, iface, clients=""):
    """Node side: every DHCP server packet and every ARP on the node's veth
    (and DHCP client packets with "clients")."""
    scapy_lab.sniff(iface, 0x0003, out, stop, float(limit), show,
                    bpf=sniff_filter(clients == "clients"))


if __name__ == "__main__":
    sys.exit(scapy_lab.main("dhcp_states.py", run_states, run_sniff, "OUT STOP LIMIT IFACE [clients]",
                            lists=("dns", "search"), ints=("mtu",)))
