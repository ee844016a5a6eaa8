# SPDX-License-Identifier: GPL-2.0-or-later
"""The harness the scapy drivers share (tests/integration/dhcp_states.py and
dhcp6_states.py): the assertions, the fake VM's raw socket (Lab), the node's
sniffer loop, and the driver's command line.

Assertions print one TAP-like line each, as tests/lib/assert.sh does:
"ok - WHAT" or "not ok - WHAT"; failures() is how many were "not ok".
"""
import os
import select
import socket
import sys
import time

_FAILS = [0]


def ok(msg):
    print("ok - " + msg, flush=True)


def bad(msg):
    _FAILS[0] += 1
    print("not ok - " + msg, flush=True)


def check(what, expected, actual):
    if expected == actual:
        ok("%s = %r" % (what, actual))
    else:
        bad("%s: expected %r, got %r" % (what, expected, actual))


def failures():
    return _FAILS[0]


class Lab:
    """The fake VM's side: one AF_PACKET socket on @a["iface"] for frames of
    @ethertype, and the responder (@a["pid"], its log @a["log"])."""

    def __init__(self, a, ethertype):
        self.a = a
        self.mac = a["vm_mac"]
        self.macb = bytes.fromhex(self.mac.replace(":", ""))
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ethertype))
        self.sock.bind((a["iface"], 0))
        self.sock.setblocking(False)

    def drain(self):
        while True:
            try:
                self.sock.recv(65535)
            except BlockingIOError:
                return

    def send(self, frame):
        self.sock.send(bytes(frame))

    def frames(self, deadline, pick, stop_at_first):
        """Every incoming frame until @deadline that pick(data) turns into
        something other than None; after the first, if @stop_at_first,
        listen briefly on: there must be exactly one."""
        got = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return got
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                continue
            try:
                data, addr = self.sock.recvfrom(65535)
            except BlockingIOError:
                continue
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            f = pick(data)
            if f is None:
                continue
            got.append(f)
            if stop_at_first:
                deadline = min(deadline, time.monotonic() + 0.3)
                stop_at_first = False

    def log_size(self):
        return os.path.getsize(self.a["log"])

    def log_has(self, needle, since, settle=0.2):
        """@needle in the responder's log after offset @since, once the
        responder has had @settle seconds to write it."""
        time.sleep(settle)
        with open(self.a["log"], "rb") as f:
            f.seek(since)
            return needle.encode() in f.read()

    def alive(self):
        """The responder runs (and is not a zombie)."""
        try:
            with open("/proc/%s/stat" % self.a["pid"]) as f:
                return f.read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False


def sniff(iface, ethertype, out, stop, limit, show, bpf=None):
    """The node's side: show(data) is called for every incoming frame on
    @iface until the file @stop exists or @limit seconds passed; what it
    returns (a line, or None) goes to @out, which starts with "ready".
    @bpf: (code, n) of a classic BPF program to attach first."""
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ethertype))
    if bpf is not None:
        import ctypes
        import struct

        buf = ctypes.create_string_buffer(bpf[0])
        fprog = struct.pack("HL", bpf[1], ctypes.addressof(buf))
        s.setsockopt(socket.SOL_SOCKET, 26, fprog)  # SO_ATTACH_FILTER
    s.bind((iface, 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.setblocking(False)
    deadline = time.monotonic() + limit
    with open(out, "w") as f:
        print("ready", file=f, flush=True)
        while time.monotonic() < deadline and not os.path.exists(stop):
            r, _, _ = select.select([s], [], [], 0.2)
            if not r:
                continue
            try:
                data, addr = s.recvfrom(65535)
            except OSError:
                continue
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            line = show(data)
            if line is not None:
                print(line, file=f, flush=True)


def main(prog, run_states, run_sniff, sniff_usage, lists, ints):
    """The driver's command line: `PROG states KEY=VALUE,...` (the values
    named in @lists split on blanks, those in @ints made numbers) runs
    run_states(args) and ends with "states: N failed checks";
    `PROG sniff ARGS...` runs run_sniff(ARGS)."""
    argv = sys.argv
    if len(argv) >= 6 and argv[1] == "sniff":
        run_sniff(*argv[2:])
        return 0
    if len(argv) != 3 or argv[1] != "states":
        print("usage: %s states KEY=VALUE,... | sniff %s" % (prog, sniff_usage), file=sys.stderr)
        return 2
    a = dict(kv.split("=", 1) for kv in argv[2].split(","))
    for k in lists:
        a[k] = a[k].split()
    for k in ints:
        a[k] = int(a[k] or 0)
    run_states(a)
    print("states: %d failed checks" % failures(), flush=True)
    return 1 if failures() else 0
