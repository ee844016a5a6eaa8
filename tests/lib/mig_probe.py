# SPDX-License-Identifier: GPL-2.0-or-later
"""The node's view of a VM during a live migration (tests/lib/migration_lab.sh).

Every INTERVAL seconds it writes one numbered line into a TCP connection to
the VM (an echo service in the guest) and sends one ICMP echo request (or
ICMPv6 when the address has a colon). It runs until the file STOP exists,
then prints one line of figures:

  probe tcp=alive|dead:REASON sent=N echoed=N tcp_gap_ms=MAX
        pings=N lost=N ping_gap_ms=MAX first_loss=T last_loss=T

tcp_gap_ms is the longest time between two echoes the node received (the
connection's stall); ping_gap_ms the longest time between two answered
pings; lost the requests never answered (a request counts as lost when no
answer came within 2 s). Times are the wall clock (time.time()), so that
they compare with a capture's. With EVENTS, every echo and ping answer's
time is also written there, one "tcp T" or "ping T" line each.

  python3 mig_probe.py ADDR PORT STOP [INTERVAL] [EVENTS]
"""
import os
import socket
import struct
import sys
import time


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def main():
    addr, port, stop = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    interval = float(sys.argv[4]) if len(sys.argv) > 4 else 0.1
    events = open(sys.argv[5], "w") if len(sys.argv) > 5 else None
    v6 = ":" in addr
    fam = socket.AF_INET6 if v6 else socket.AF_INET
    tcp = socket.create_connection((addr, port), timeout=10)
    tcp.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    tcp.setblocking(False)
    if v6:
        icmp = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    else:
        icmp = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    icmp.setblocking(False)
    ident = os.getpid() & 0xFFFF
    # Ready: the connection is open (the caller waits for this line).
    print("probe connected", flush=True)

    sent = echoed = 0
    tcp_state = "alive"
    buf = b""
    last_echo = time.time()
    tcp_gap = 0.0
    pings = {}  # seq -> time sent
    answered = set()
    last_answer = time.time()
    ping_gap = 0.0
    seq = 0
    nxt = time.time()
    while not os.path.exists(stop):
        now = time.time()
        if now >= nxt:
            nxt = now + interval
            if tcp_state == "alive":
                try:
                    tcp.send(b"%d\n" % sent)
                    sent += 1
                except BlockingIOError:
                    pass
                except OSError as e:
                    tcp_state = "dead:" + e.__class__.__name__
            seq = (seq + 1) & 0xFFFF
            typ = 128 if v6 else 8
            hdr = struct.pack("!BBHHH", typ, 0, 0, ident, seq)
            payload = struct.pack("!d", now)
            if not v6:
                hdr = struct.pack("!BBHHH", typ, 0, csum(hdr + payload), ident, seq)
            try:
                icmp.sendto(hdr + payload, (addr, 0))
                pings[seq] = now
            except OSError:
                pings[seq] = now
        time.sleep(0.01)
        now = time.time()
        if tcp_state == "alive":
            try:
                data = tcp.recv(65536)
                if not data:
                    tcp_state = "dead:closed"
                buf += data
                n = buf.count(b"\n")
                if n:
                    buf = buf[buf.rfind(b"\n") + 1:]
                    echoed += n
                    tcp_gap = max(tcp_gap, now - last_echo)
                    last_echo = now
                    if events:
                        events.write("tcp %.3f\n" % now)
                        events.flush()
            except BlockingIOError:
                pass
            except OSError as e:
                tcp_state = "dead:" + e.__class__.__name__
        while True:
            try:
                pkt = icmp.recv(2048)
            except BlockingIOError:
                break
            if not v6:
                pkt = pkt[(pkt[0] & 0xF) * 4:]
            if len(pkt) < 8:
                continue
            typ, _, _, pid, pseq = struct.unpack("!BBHHH", pkt[:8])
            if typ != (129 if v6 else 0) or pid != ident or pseq not in pings:
                continue
            if pseq not in answered:
                answered.add(pseq)
                ping_gap = max(ping_gap, now - last_answer)
                last_answer = now
                if events:
                    events.write("ping %.3f\n" % now)
                    events.flush()
    # The connection's last stretch counts too (a dead one never echoes again).
    now = time.time()
    tcp_gap = max(tcp_gap, now - last_echo)
    recent = [s for s, t in pings.items() if now - t < 2.0]
    lost = [s for s in pings if s not in answered and s not in recent]
    lost_t = sorted(pings[s] for s in lost)
    print("probe tcp=%s sent=%d echoed=%d tcp_gap_ms=%d pings=%d lost=%d ping_gap_ms=%d "
          "first_loss=%s last_loss=%s" % (
              tcp_state, sent, echoed, tcp_gap * 1000, len(pings) - len(recent), len(lost),
              ping_gap * 1000, "%.3f" % lost_t[0] if lost_t else "-",
              "%.3f" % lost_t[-1] if lost_t else "-"), flush=True)
    if events:
        events.close()


if __name__ == "__main__":
    main()
