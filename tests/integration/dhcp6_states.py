#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The scapy driver of dhcp6_states.sh: plays every DHCPv6 (RFC 8415) client
message, RS/NS, and every case that must get no answer, against the real
responder from inside the fake-VM namespace, and asserts the exact bytes.

  dhcp6_states.py states KEY=VALUE,...   in the VM namespace (see main())
  dhcp6_states.py sniff OUT STOP LIMIT IFACE
                                  in the node namespace: records every RA,
                                  NA and DHCPv6 server packet (and the
                                  control frame) seen on IFACE until STOP

Frames are sent and read on one AF_PACKET socket and decoded here by hand
(options walked with bounds checks), so that the bytes on the wire are
checked, not scapy's reading of them. Prints "ok - ..." / "not ok - ..."
lines (tests/lib/scapy_lab.py) and exits 1 if any check failed.
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
from scapy_lab import bad, check  # noqa: E402

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import Ether, IPv6, UDP, ICMPv6ND_RS, ICMPv6ND_NS, Raw, conf  # noqa: E402
from scapy.layers.inet6 import ICMPv6NDOptSrcLLAddr, IPv6ExtHdrHopByHop  # noqa: E402
from scapy.utils import checksum  # noqa: E402

conf.verb = 0
INF = 0xFFFFFFFF
ALL_NODES = "ff02::1"
DHCP_GROUP = "ff02::1:2"
DHCP_GROUP_MAC = "33:33:00:01:00:02"
OTHER_MAC = "52:54:00:aa:bb:cc"
# Message types and options (RFC 8415 7.3, 21).
SOLICIT, ADVERTISE, REQUEST, CONFIRM, RENEW, REBIND, REPLY = 1, 2, 3, 4, 5, 6, 7
RELEASE, DECLINE, INFO_REQ = 8, 9, 11
O_CLIENTID, O_SERVERID, O_IA_NA, O_IA_TA, O_IAADDR, O_ORO = 1, 2, 3, 4, 5, 6
O_PREF, O_ELAPSED, O_STATUS, O_RAPID, O_DNS, O_DOMAINS, O_IA_PD, O_FQDN = \
    7, 8, 13, 14, 23, 24, 25, 39


def a6(text):
    return socket.inet_pton(socket.AF_INET6, text)


def t6(raw):
    return socket.inet_ntop(socket.AF_INET6, raw)


def mac_b(text):
    return bytes.fromhex(text.replace(":", ""))


def eui64_ll(mac):
    m = bytearray(mac_b(mac))
    m[0] ^= 2
    return t6(b"\xfe\x80" + bytes(6) + bytes(m[:3]) + b"\xff\xfe" + bytes(m[3:]))


def opt(code, data=b""):
    return struct.pack("!HH", code, len(data)) + data


def walk(data):
    """[(code, body)] of a DHCPv6 option area; ValueError if cut."""
    out, i = [], 0
    while i < len(data):
        if i + 4 > len(data):
            raise ValueError("option header cut at %d" % i)
        code, n = struct.unpack("!HH", data[i:i + 4])
        if i + 4 + n > len(data):
            raise ValueError("option %d runs past the end" % code)
        out.append((code, data[i + 4:i + 4 + n]))
        i += 4 + n
    return out


def names(data):
    """Uncompressed RFC 1035 names, each with its root label."""
    out, i = [], 0
    while i < len(data):
        labels = []
        while data[i] != 0:
            n = data[i]
            if n & 0xC0:
                raise ValueError("compression in DHCPv6 (RFC 8415 10)")
            labels.append(data[i + 1:i + 1 + n].decode())
            i += 1 + n
        i += 1
        out.append(".".join(labels))
    return out


def l4_ok(src, dst, nh, l4):
    """The UDP/ICMPv6 checksum over the IPv6 pseudo-header holds."""
    pseudo = src + dst + struct.pack("!I", len(l4)) + b"\0\0\0" + bytes([nh])
    return checksum(pseudo + l4) == 0


class Frame:
    """An Ethernet + IPv6 frame decoded by hand."""

    def __init__(self, raw):
        self.raw = raw
        self.dst, self.src = raw[0:6], raw[6:12]
        self.etype = struct.unpack("!H", raw[12:14])[0]
        ip = raw[14:]
        self.plen = struct.unpack("!H", ip[4:6])[0]
        self.nh, self.hlim = ip[6], ip[7]
        self.ip_src, self.ip_dst = ip[8:24], ip[24:40]
        self.l4 = ip[40:40 + self.plen]
        self.ip_len = 40 + self.plen


def ip6_frame(data, want):
    """@data as a Frame if it is IPv6 and want(frame), else None."""
    if len(data) < 54:
        return None
    f = Frame(data)
    return f if f.etype == 0x86DD and want(f) else None


class Lab(scapy_lab.Lab):
    def __init__(self, a):
        super().__init__(a, 0x86DD)
        self.ll = eui64_ll(self.mac)
        self.duid = b"\x00\x03\x00\x01" + self.macb
        self.server_duid = b"\x00\x03\x00\x01" + mac_b(a["bridge_mac"])

    def ip6_frames(self, deadline, want, stop_at_first=True):
        return self.frames(deadline, lambda d: ip6_frame(d, want), stop_at_first)

    def dhcp_frame(self, payload, src_mac=None, ext=False):
        ip = IPv6(src=self.ll, dst=DHCP_GROUP)
        if ext:
            ip = ip / IPv6ExtHdrHopByHop()
        return (Ether(src=src_mac or self.mac, dst=DHCP_GROUP_MAC) / ip
                / UDP(sport=546, dport=547) / Raw(payload))

    def dhcp(self, payload, xid, timeout=1.5, **kw):
        self.drain()
        self.send(self.dhcp_frame(payload, **kw))

        def want(f):
            return (f.nh == 17 and len(f.l4) >= 12 and
                    struct.unpack("!H", f.l4[0:2])[0] == 547 and
                    f.l4[9:12] == xid)
        return self.ip6_frames(time.monotonic() + timeout, want)

    def rs(self, src=None, hlim=255, src_mac=None, slla=True, timeout=1.5):
        src = src or self.ll
        p = (Ether(src=src_mac or self.mac, dst="33:33:00:00:00:02")
             / IPv6(src=src, dst="ff02::2", hlim=hlim) / ICMPv6ND_RS())
        if slla and src != "::":
            p = p / ICMPv6NDOptSrcLLAddr(lladdr=src_mac or self.mac)
        self.drain()
        self.send(p)
        return self.ip6_frames(time.monotonic() + timeout, lambda f: f.nh == 58 and f.l4[0] == 134)


def msg(mtype, xid, options):
    return bytes([mtype]) + xid + options


def ia_na(iaid, addrs=()):
    body = struct.pack("!III", iaid, 0, 0)
    for x in addrs:
        body += opt(O_IAADDR, a6(x) + struct.pack("!II", 0, 0))
    return opt(O_IA_NA, body)


def ia_pd(iaid):
    return opt(O_IA_PD, struct.pack("!III", iaid, 0, 0))


class D6:
    """A DHCPv6 reply, its options decoded."""

    def __init__(self, f):
        self.f = f
        u = f.l4
        self.sport, self.dport, self.ulen = struct.unpack("!HHH", u[0:6])
        self.csum_ok = l4_ok(f.ip_src, f.ip_dst, 17, u)
        p = u[8:self.ulen]
        self.type, self.xid = p[0], p[1:4]
        self.opts = walk(p[4:])

    def get(self, code):
        return [b for c, b in self.opts if c == code]

    def one(self, code):
        v = self.get(code)
        return v[0] if len(v) == 1 else None


def status_of(body_opts):
    for c, b in body_opts:
        if c == O_STATUS:
            return struct.unpack("!H", b[:2])[0]
    return None


def ia_contents(body):
    """(iaid, t1, t2, [(addr, pref, valid)], status) of an IA_NA body."""
    iaid, t1, t2 = struct.unpack("!III", body[:12])
    inner = walk(body[12:])
    addrs = []
    for c, b in inner:
        if c == O_IAADDR:
            addrs.append((t6(b[:16]),) + struct.unpack("!II", b[16:24]))
    return iaid, t1, t2, addrs, status_of(inner)


def expect_one(lab, what, got):
    if len(got) != 1:
        bad("%s: expected exactly one answer, got %d" % (what, len(got)))
        return None
    return got[0]


def expect_d6(lab, what, got, mtype, xid):
    a = lab.a
    f = expect_one(lab, what, got)
    if f is None:
        return None
    r = D6(f)
    check(what + ": message type", mtype, r.type)
    check(what + ": L2 destination (the VM's MAC)", mac_b(lab.mac), f.dst)
    check(what + ": L2 source (the bridge)", mac_b(a["bridge_mac"]), f.src)
    check(what + ": IPv6 source (the bridge's EUI-64 link-local)",
          eui64_ll(a["bridge_mac"]), t6(f.ip_src))
    check(what + ": IPv6 destination (the client)", lab.ll, t6(f.ip_dst))
    check(what + ": UDP ports", (547, 546), (r.sport, r.dport))
    check(what + ": UDP checksum valid", True, r.csum_ok)
    check(what + ": IPv6 packet <= 1280", True, f.ip_len <= 1280)
    check(what + ": xid echoed", xid, r.xid)
    check(what + ": Server ID (DUID-LL of the bridge MAC)", lab.server_duid, r.one(O_SERVERID))
    return r


def expect_config(lab, what, r, fqdn=True):
    a = lab.a
    if r is None:
        return
    check(what + ": 23 DNS", b"".join(a6(x) for x in a["dns6"]), r.one(O_DNS))
    try:
        check(what + ": 24 domain list", a["search"], names(r.one(O_DOMAINS) or b""))
    except (ValueError, IndexError) as e:
        bad("%s: option 24 does not decode: %s" % (what, e))
    if fqdn:
        check(what + ": 39 FQDN (N flag, partial name)",
              b"\x04" + bytes([len(a["hostname"])]) + a["hostname"].encode(), r.one(O_FQDN))


def expect_addrs(lab, what, r, iaid, extra=()):
    if r is None:
        return
    ias = r.get(O_IA_NA)
    if not ias:
        bad(what + ": no IA_NA")
        return
    got = ia_contents(ias[0])
    want = [(x, INF, INF) for x in lab.a["pod_ip6"]] + list(extra)
    check(what + ": IA_NA iaid, T1, T2 (infinite)", (iaid, INF, INF), got[:3])
    check(what + ": IA_NA addresses (exactly the pod's, infinite)", want, got[3])
    check(what + ": IA_NA status (none: success)", None, got[4])


def check_ra(lab, what, got, ip_dst):
    a = lab.a
    f = expect_one(lab, what, got)
    if f is None:
        return
    m = f.l4
    check(what + ": L2 destination (the VM's MAC, never multicast)", mac_b(lab.mac), f.dst)
    check(what + ": IPv6 source (the router's link-local)", a["router_ll"], t6(f.ip_src))
    check(what + ": IPv6 destination", ip_dst, t6(f.ip_dst))
    check(what + ": hop limit 255", 255, f.hlim)
    check(what + ": ICMPv6 checksum valid", True, l4_ok(f.ip_src, f.ip_dst, 58, m))
    check(what + ": IPv6 packet <= 1280", True, f.ip_len <= 1280)
    check(what + ": code", 0, m[1])
    check(what + ": M and O set", 0xC0, m[5] & 0xC0)
    check(what + ": router lifetime", 1800, struct.unpack("!H", m[6:8])[0])
    opts, i = {}, 16
    while i < len(m):
        t, n = m[i], m[i + 1] * 8
        if n == 0 or i + n > len(m):
            bad(what + ": option %d cut" % t)
            return
        opts.setdefault(t, []).append(m[i:i + n])
        i += n
    check(what + ": SLLA = the router's MAC", [b"\x01\x01" + mac_b(a["node_mac"])], opts.get(1))
    check(what + ": MTU", [b"\x05\x01\0\0" + struct.pack("!I", a["mtu"])], opts.get(5))
    pio = opts.get(3, [])
    if a["prefix"]:
        want = [b"\x03\x04" + bytes([a["plen"], 0x80]) + struct.pack("!III", INF, INF, 0)
                + a6(a["prefix"])]
        check(what + ": one PIO, the on-link /%d, L=1 A=0, infinite" % a["plen"], want, pio)
    else:
        check(what + ": no PIO (a /128 pod has no on-link prefix)", [], pio)
    rd = opts.get(25, [])
    check(what + ": RDNSS", [b"\x19" + bytes([1 + 2 * len(a["dns6"])]) + b"\0\0"
                             + struct.pack("!I", INF) + b"".join(a6(x) for x in a["dns6"])], rd)
    sl = opts.get(31, [])
    if len(sl) == 1:
        body = sl[0][8:].rstrip(b"\0") + b"\0"
        try:
            check(what + ": DNSSL names", a["search"], names(body))
        except (ValueError, IndexError) as e:
            bad(what + ": DNSSL does not decode: %s" % e)
        check(what + ": DNSSL length a multiple of 8", 0, len(sl[0]) % 8)
    else:
        bad(what + ": expected one DNSSL, got %d" % len(sl))
    check(what + ": no RIO (the pod has only the default route)", None, opts.get(24))


def run_states(a):
    lab = Lab(a)
    pod = a["pod_ip6"]
    foreign = "2001:db8:99::5"

    # The first frame from the VM (a DAD NS) starts the unsolicited RAs:
    # until then the bridge would flood a frame to the VM's MAC to the node.
    lab.drain()
    lab.send(Ether(src=lab.mac, dst="33:33:ff:00:00:01")
             / IPv6(src="::", dst="ff02::1:ff00:1", hlim=255) / ICMPv6ND_NS(tgt=lab.ll))
    got = lab.ip6_frames(time.monotonic() + 3.0, lambda f: f.nh == 58 and f.l4[0] == 134)
    check_ra(lab, "unsolicited RA after the VM's first frame", got, ALL_NODES)

    check_ra(lab, "RS -> RA", lab.rs(), lab.ll)
    check_ra(lab, "RS from :: -> RA to all nodes", lab.rs(src="::"), ALL_NODES)
    check("RS with hop limit 64: no RA", 0, len(lab.rs(hlim=64)))
    check("RS from another MAC: no RA", 0, len(lab.rs(src_mac=OTHER_MAC)))

    cid = opt(O_CLIENTID, lab.duid)
    sid = opt(O_SERVERID, lab.server_duid)
    oro = opt(O_ORO, struct.pack("!HHH", O_DNS, O_DOMAINS, O_FQDN))
    elapsed = opt(O_ELAPSED, b"\0\0")

    def x():
        return random.getrandbits(24).to_bytes(3, "big")

    # SOLICIT -> ADVERTISE, preference 255, the pod's addresses.
    xid = x()
    r = expect_d6(lab, "SOLICIT", lab.dhcp(msg(SOLICIT, xid, cid + elapsed + oro + ia_na(7)), xid),
                  ADVERTISE, xid)
    if r:
        check("ADVERTISE: Client ID echoed", lab.duid, r.one(O_CLIENTID))
        check("ADVERTISE: preference 255", b"\xff", r.one(O_PREF))
        check("ADVERTISE: no Rapid Commit", [], r.get(O_RAPID))
    expect_addrs(lab, "ADVERTISE", r, 7)
    expect_config(lab, "ADVERTISE", r)

    # SOLICIT + Rapid Commit -> REPLY with Rapid Commit.
    xid = x()
    r = expect_d6(lab, "SOLICIT rapid commit",
                  lab.dhcp(msg(SOLICIT, xid, cid + opt(O_RAPID) + ia_na(8)), xid), REPLY, xid)
    if r:
        check("rapid REPLY: Rapid Commit option", [b""], r.get(O_RAPID))
    expect_addrs(lab, "rapid REPLY", r, 8)

    # Two IA_NA, an IA_TA and an IA_PD: the pod's addresses in the first only.
    xid = x()
    r = expect_d6(lab, "SOLICIT 2 IA_NA + IA_TA + IA_PD",
                  lab.dhcp(msg(SOLICIT, xid, cid + ia_na(1) + ia_na(2) +
                               opt(O_IA_TA, struct.pack("!I", 3)) + ia_pd(4)), xid),
                  ADVERTISE, xid)
    if r:
        ias = r.get(O_IA_NA)
        check("2 IA_NA: two IA_NA answered", 2, len(ias))
        if len(ias) == 2:
            check("second IA_NA: no addresses, NoAddrsAvail", (2, [], 2),
                  (ia_contents(ias[1])[0], ia_contents(ias[1])[3], ia_contents(ias[1])[4]))
        ta = r.get(O_IA_TA)
        check("IA_TA: NoAddrsAvail", [2], [status_of(walk(b[4:])) for b in ta])
        pd = r.get(O_IA_PD)
        check("IA_PD: NoPrefixAvail", [6], [status_of(walk(b[12:])) for b in pd])
    expect_addrs(lab, "first IA_NA", r, 1)

    # SOLICIT with only an IA_PD: NoAddrsAvail at the top level.
    xid = x()
    r = expect_d6(lab, "SOLICIT IA_PD only", lab.dhcp(msg(SOLICIT, xid, cid + ia_pd(9)), xid),
                  ADVERTISE, xid)
    if r:
        check("IA_PD only: top-level NoAddrsAvail", 2, status_of(r.opts))

    # REQUEST with our Server ID -> REPLY; then the NA goes to the node.
    xid = x()
    r = expect_d6(lab, "REQUEST", lab.dhcp(msg(REQUEST, xid, cid + sid + oro + ia_na(7, pod)), xid),
                  REPLY, xid)
    expect_addrs(lab, "REPLY to REQUEST", r, 7)
    expect_config(lab, "REPLY to REQUEST", r)
    since = lab.log_size()
    na = lab.ip6_frames(time.monotonic() + 1.0, lambda f: f.nh == 58 and f.l4[0] == 136, False)
    check("no NA reaches the VM (unicast to the node's MAC: the guest's DAD stays clean)",
          0, len(na))
    check("REPLY noted in the log with the NA", True,
          lab.log_has("unsolicited NA", since - 400 if since > 400 else 0, 0.3))

    xid = x()
    r = expect_d6(lab, "REQUEST for a foreign address",
                  lab.dhcp(msg(REQUEST, xid, cid + sid + ia_na(7, [foreign])), xid), REPLY, xid)
    if r and r.get(O_IA_NA):
        got = ia_contents(r.get(O_IA_NA)[0])
        check("foreign REQUEST: IA_NA with NotOnLink, no address", ([], 4), (got[3], got[4]))

    xid = x()
    r = expect_d6(lab, "RENEW", lab.dhcp(msg(RENEW, xid, cid + sid + ia_na(7, pod)), xid),
                  REPLY, xid)
    expect_addrs(lab, "REPLY to RENEW", r, 7)
    xid = x()
    r = expect_d6(lab, "RENEW naming a foreign address",
                  lab.dhcp(msg(RENEW, xid, cid + sid + ia_na(7, pod + [foreign])), xid), REPLY, xid)
    expect_addrs(lab, "REPLY to RENEW (foreign one with lifetimes 0)", r, 7, [(foreign, 0, 0)])

    xid = x()
    r = expect_d6(lab, "REBIND", lab.dhcp(msg(REBIND, xid, cid + ia_na(7, pod)), xid), REPLY, xid)
    expect_addrs(lab, "REPLY to REBIND", r, 7)

    xid = x()
    r = expect_d6(lab, "CONFIRM (the pod's address)",
                  lab.dhcp(msg(CONFIRM, xid, cid + ia_na(7, pod)), xid), REPLY, xid)
    if r:
        check("CONFIRM: Success", 0, status_of(r.opts))
        check("CONFIRM: no IA", [], r.get(O_IA_NA))
    xid = x()
    r = expect_d6(lab, "CONFIRM (a foreign address)",
                  lab.dhcp(msg(CONFIRM, xid, cid + ia_na(7, [foreign])), xid), REPLY, xid)
    if r:
        check("CONFIRM foreign: NotOnLink", 4, status_of(r.opts))

    xid = x()
    r = expect_d6(lab, "INFORMATION-REQUEST", lab.dhcp(msg(INFO_REQ, xid, cid + oro), xid),
                  REPLY, xid)
    if r:
        check("INFORMATION-REQUEST: no IA_NA", [], r.get(O_IA_NA))
    expect_config(lab, "INFORMATION-REQUEST", r)

    for name, mt, needle in (("RELEASE", RELEASE, "RELEASE from the guest"),
                             ("DECLINE", DECLINE, "DECLINE from the guest")):
        since = lab.log_size()
        xid = x()
        r = expect_d6(lab, name, lab.dhcp(msg(mt, xid, cid + sid + ia_na(7, pod)), xid),
                      REPLY, xid)
        if r:
            check(name + ": Success", 0, status_of(r.opts))
        check(name + ": log line", True, lab.log_has(needle, since, 0.3))

    # Every case that must get no answer at all.
    def none(what, payload, **kw):
        xid = payload[1:4]
        got = lab.dhcp(payload, xid, timeout=1.0, **kw)
        check(what + ": no answer", 0, len(got))

    none("SOLICIT without Client ID", msg(SOLICIT, x(), ia_na(7)))
    none("SOLICIT with a Server ID", msg(SOLICIT, x(), cid + sid + ia_na(7)))
    none("REQUEST without Server ID", msg(REQUEST, x(), cid + ia_na(7, pod)))
    other = opt(O_SERVERID, b"\x00\x03\x00\x01" + mac_b(OTHER_MAC))
    none("REQUEST with another server's ID", msg(REQUEST, x(), cid + other + ia_na(7, pod)))
    none("RENEW with another server's ID", msg(RENEW, x(), cid + other + ia_na(7, pod)))
    none("RELEASE without Server ID", msg(RELEASE, x(), cid + ia_na(7, pod)))
    none("REBIND with a Server ID", msg(REBIND, x(), cid + sid + ia_na(7, pod)))
    none("CONFIRM naming no address", msg(CONFIRM, x(), cid + ia_na(7)))
    none("INFORMATION-REQUEST with another server's ID", msg(INFO_REQ, x(), cid + other))
    none("SOLICIT from another MAC", msg(SOLICIT, x(), cid + ia_na(7)), src_mac=OTHER_MAC)
    none("truncated options (header cut)", msg(SOLICIT, x(), cid + ia_na(7) + b"\x00\x03\x00"))
    none("option length past the end", msg(SOLICIT, x(), cid + struct.pack("!HH", O_IA_NA, 40)
                                           + bytes(12)))
    none("IAADDR past the end of its IA_NA",
         msg(SOLICIT, x(), cid + opt(O_IA_NA, struct.pack("!III", 7, 0, 0)
                                    + struct.pack("!HH", O_IAADDR, 24) + bytes(8))))
    none("Client ID of 1 byte", msg(SOLICIT, x(), opt(O_CLIENTID, b"\x00") + ia_na(7)))
    none("two Client IDs", msg(SOLICIT, x(), cid + cid + ia_na(7)))
    none("ADVERTISE from the client", msg(ADVERTISE, x(), cid + sid))
    none("REPLY from the client", msg(REPLY, x(), cid + sid))
    none("RELAY-FORW", msg(12, x(), cid))
    none("unknown message type 200", msg(200, x(), cid))
    none("a 3-byte message", b"\x01\x02\x03")
    none("UDP behind a hop-by-hop header", msg(SOLICIT, x(), cid + ia_na(7)), ext=True)

    check("the responder is alive after the suite", True, lab.alive())


def show(data):
    """The node sniffer's line for an RA, NA or DHCPv6 packet, else None."""
    if len(data) < 58:
        return None
    fr = Frame(data)
    src, dst = t6(fr.ip_src), t6(fr.ip_dst)
    em = "ethsrc=%s ethdst=%s" % (fr.src.hex(":"), fr.dst.hex(":"))
    if fr.nh == 58 and fr.l4[0] in (134, 136):
        kind = {134: "ra", 136: "na"}[fr.l4[0]]
        tgt = t6(fr.l4[8:24]) if kind == "na" and len(fr.l4) >= 24 else "-"
        flags = fr.l4[4] if len(fr.l4) > 4 else 0
        return "%s src=%s dst=%s target=%s flags=0x%02x %s" % (kind, src, dst, tgt, flags, em)
    if fr.nh == 17 and len(fr.l4) >= 8:
        sport, dport = struct.unpack("!HH", fr.l4[0:4])
        if sport == 547:
            return "dhcp6-server src=%s dst=%s %s" % (src, dst, em)
        if dport == 547:
            return "dhcp6-client src=%s dst=%s %s" % (src, dst, em)
    return None


def run_sniff(out, stop, limit, iface):
    """Node side: RAs, NAs and DHCPv6 server packets (UDP from 547) on the
    node's veth, and DHCPv6 client packets (the control frame)."""
    scapy_lab.sniff(iface, 0x86DD, out, stop, float(limit), show)


if __name__ == "__main__":
    sys.exit(scapy_lab.main("dhcp6_states.py", run_states, run_sniff, "OUT STOP LIMIT IFACE",
                            lists=("dns6", "search", "pod_ip6"), ints=("mtu", "plen")))
