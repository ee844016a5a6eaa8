# SPDX-License-Identifier: GPL-2.0-or-later
"""What a node-side capture of one pod's veth shows during a live migration
(tests/lib/migration_lab.sh): one line per frame that matters, in time order.

  python3 mig_capture.py PCAP VM_MAC ADDR[,ADDR...]

  first_vm T                  the first frame from the VM's MAC (QEMU's RARP,
                              or any frame) in this capture
  claim T SRCMAC KIND DETAIL  a frame that tells the node where one of the
                              pod's addresses ADDR is: an ARP request or reply
                              from it (KIND arp-request, arp-reply), an NA for
                              it (na), a packet from it (ip, ip6); and every
                              RA (ra), which tells the node nothing but pulls
                              guests to a router
  rarp T SRCMAC               a RARP frame (ethertype 0x8035)
  nak T SRCMAC REQUESTED      a DHCPNAK (and the address the client asked for,
                              from the request just before it; SRCMAC "-" in a
                              capture on "any")
  ack T SRCMAC YIADDR         a DHCPACK
Times are the capture's (wall clock, seconds).
"""
import sys

from scapy.all import ARP, BOOTP, DHCP, Ether, ICMPv6ND_NA, ICMPv6ND_RA, IP, IPv6, PcapReader


def dhcp_opt(pkt, name):
    for o in pkt[DHCP].options:
        if isinstance(o, tuple) and o[0] == name:
            return o[1]
    return None


def main():
    pcap, vm_mac, addrs = sys.argv[1], sys.argv[2].lower(), set(sys.argv[3].split(","))
    first_vm = None
    requested = "-"
    for p in PcapReader(pcap):
        t = float(p.time)
        if DHCP in p:
            # (also from a capture on "any", whose frames have no Ethernet header)
            src = p[Ether].src.lower() if Ether in p else "-"
            mt = dhcp_opt(p, "message-type")
            if mt == 3:
                requested = dhcp_opt(p, "requested_addr") or p[BOOTP].ciaddr
            elif mt == 6:
                print("nak %.6f %s %s" % (t, src, requested))
            elif mt == 5:
                print("ack %.6f %s %s" % (t, src, p[BOOTP].yiaddr))
            continue
        if Ether not in p:
            continue
        src = p[Ether].src.lower()
        if src == vm_mac and first_vm is None:
            first_vm = t
            print("first_vm %.6f" % t)
        if p[Ether].type == 0x8035:
            print("rarp %.6f %s" % (t, src))
            continue
        if ARP in p:
            a = p[ARP]
            if a.psrc in addrs:
                kind = "arp-request" if a.op == 1 else "arp-reply"
                print("claim %.6f %s %s %s@%s->%s" % (t, src, kind, a.psrc, a.hwsrc, a.pdst))
            continue
        if ICMPv6ND_RA in p:
            print("claim %.6f %s ra %s" % (t, src, p[IPv6].src))
            continue
        if ICMPv6ND_NA in p:
            if p[ICMPv6ND_NA].tgt in addrs:
                print("claim %.6f %s na %s" % (t, src, p[ICMPv6ND_NA].tgt))
            continue
        if IP in p and p[IP].src in addrs:
            print("claim %.6f %s ip %s->%s" % (t, src, p[IP].src, p[IP].dst))
        elif IPv6 in p and p[IPv6].src in addrs:
            print("claim %.6f %s ip6 %s->%s" % (t, src, p[IPv6].src, p[IPv6].dst))


if __name__ == "__main__":
    main()
