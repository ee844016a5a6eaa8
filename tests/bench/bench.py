#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""`make bench`: measure podnet against dnsmasq, busybox udhcpd and a no-op
hook, side by side.

Prints a text table and writes build/bench/results.json and results.png;
`bench.py --report` redraws both from results.json, `bench.py --markdown`
prints README's Performance table from it.
It measures and never fails a test run (exit 0 unless it cannot run at all).

Sections (BENCH_ONLY=dhcp,attack,scale,hook,callgrind,reply,datapath picks
some):
  dhcp       exchanges/s and latency, closed loop and pipelined: podnet's
             responder as built (50 replies/s limit), podnet built without
             the limit, dnsmasq (dhcp-host + shared-network, same options),
             busybox udhcpd (a one-address pool + static lease, same options)
  attack     legitimate exchanges completed of BENCH_ATTACK_N while another
             sender on the bridge floods, or sends malformed requests
  scale      RSS and PSS (smaps_rollup) of 1..N pods, each one namespace +
             server (podnet's responder, dnsmasq, udhcpd: one per pod, as
             each is deployed), medians per instance; prepare time against
             the number of pods already running
  hook       what the hook's prepare and release cost, run exactly as
             libvirt runs it, against a no-op hook, a shell hook (ip +
             dnsmasq) and the one-process rtnetlink floor (netlink_floor);
             release's own breakdown (PODNET_TIMING=1); the responder's
             exec-to-ready (exec_ready); a callgrind breakdown of prepare
  callgrind  instructions per exchange: the responder's pure wire work, the
             responder process itself, dnsmasq and udhcpd
  reply      the cost of one reply against the lease's size: 1..32 routes,
             1..PODNET_MAX_SEARCH search domains (wire_bench --sweep), in ns
             and in instructions (callgrind)
  datapath   TCP throughput both ways and TCP request/response from the node
             to the pod's own veth (the floor), a fake VM behind podnet's
             bridge (bridge-nf-call-* as a new namespace has them, and 0) and
             a namespace behind pasta (tests/bench/datapath.py)

Safety: everything runs in network namespaces made here, addresses only in
198.51.100.0/24 and 169.254.0.0/16; every namespace, process (by pid) and
file is removed at the end, also on failure or SIGINT/SIGTERM.
"""
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid as uuidlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import datapath  # noqa: E402  (tests/bench/datapath.py)

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(REPO, "build")
OUT = os.path.join(BUILD, "bench")
PODNET = os.path.join(BUILD, "podnet")
PODNET_NOLIMIT = os.path.join(OUT, "nolimit", "podnet")
RESPONDER = os.path.join(BUILD, "podnet-responder")
RESPONDER_NOLIMIT = os.path.join(OUT, "nolimit", "podnet-responder")
# For callgrind (valgrind implements no seccomp): the nolimit responder built
# with NOSECCOMP=1 (an empty seccomp program; `make bench` builds it).
RESPONDER_NOSECCOMP = os.path.join(OUT, "noseccomp", "podnet-responder")
LOAD = os.path.join(BUILD, "tests", "bench", "dhcp_load")
WIRE = os.path.join(BUILD, "tests", "bench", "wire_bench")
NOOP = os.path.join(BUILD, "tests", "bench", "noop_hook")
EXEC_READY = os.path.join(BUILD, "tests", "bench", "exec_ready")
# The one-process rtnetlink floor of prepare and release (raw rtnetlink, libc
# only; tests/bench/netlink_floor.c): the hook's CLI, run as the hook is.
FLOOR = os.path.join(BUILD, "tests", "bench", "netlink_floor")
# The least any packet-socket DHCP responder does per exchange (kind "floor").
FLOOR_RESPONDER = os.path.join(BUILD, "tests", "bench", "floor_responder")
TCP_RR = os.path.join(BUILD, "tests", "bench", "tcp_rr")
BUSYBOX = "/bin/busybox"
SHELL_HOOK = os.path.join(REPO, "tests", "bench", "shell_hook.sh")


def env_int(name, default):
    return int(os.environ.get(name, default))


ROUNDS = env_int("BENCH_ROUNDS", 5)
SECONDS = float(os.environ.get("BENCH_SECONDS", "2"))
DEPTH = env_int("BENCH_DEPTH", 16)
PODS = [int(x) for x in os.environ.get("BENCH_PODS", "1 10 50 100 250").split()]
ATTACK_N = env_int("BENCH_ATTACK_N", 50)
ATTACK_ROUNDS = env_int("BENCH_ATTACK_ROUNDS", 2)
HOOK_ROUNDS = env_int("BENCH_HOOK_ROUNDS", 15)
TIMING_ROUNDS = env_int("BENCH_TIMING_ROUNDS", 5)
EXEC_ROUNDS = env_int("BENCH_EXEC_ROUNDS", 50)
CG_N = env_int("BENCH_CALLGRIND_N", 200)
REPLY_N = env_int("BENCH_REPLY_N", 20000)
DP_ROUNDS = env_int("BENCH_DP_ROUNDS", 5)
DP_SECONDS = float(os.environ.get("BENCH_DP_SECONDS", "3"))
ONLY = set(os.environ.get("BENCH_ONLY",
                          "dhcp,attack,scale,hook,callgrind,reply,datapath").split(","))
# The other DHCP servers, each as deployed: one per pod, started at prepare by
# the shell hook (udhcpd only where busybox is: deps.sh installs it).
SHELL_KINDS = ("dnsmasq", "udhcpd") if os.access("/bin/busybox", os.X_OK) else ("dnsmasq",)

POD_IP, POD_PREFIX, GW = "198.51.100.10", 24, "198.51.100.1"
DNS, SEARCH, MTU = "198.51.100.53", "pod.example.test example.test", 1400
POD_MAC, VM_MAC, ATK_MAC = "0a:58:c6:33:64:0a", "52:54:00:12:34:56", "02:00:00:00:00:99"
HOOK_PATH = "PATH=/usr/sbin:/usr/bin:/sbin:/bin"


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def run(cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, **kw)


def stats(values):
    v = [x for x in values if x is not None]
    if not v:
        return {"median": None, "min": None, "max": None, "n": 0}
    return {"median": statistics.median(v), "min": min(v), "max": max(v), "n": len(v)}


def domain_xml(name, uuid):
    return f"""<domain type='qemu'>
  <name>{name}</name>
  <uuid>{uuid}</uuid>
  <metadata>
    <podnet:network xmlns:podnet="urn:podnet:xmlns:1" hostname="{name}">
      <podnet:interface mac="{VM_MAC}" pod-interface="eth0"/>
    </podnet:network>
  </metadata>
  <devices>
    <interface type='bridge'>
      <mac address='{VM_MAC}'/>
      <source bridge='pn-eth0'/>
      <model type='virtio'/>
    </interface>
  </devices>
</domain>
"""


class Lab:
    """Namespaces, processes and files made by the bench; all removed at the end."""

    def __init__(self):
        # tmpfs, as podnet's /run/podnet is on a host (the record is
        # fsync'ed: on this machine's ext4 /tmp that alone took 1.3-1.6 ms).
        self.tmp = tempfile.mkdtemp(prefix="podnet-bench.",
                                    dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
        # The responder and dnsmasq drop to nobody: they must reach their
        # callgrind output folder below.
        os.chmod(self.tmp, 0o711)
        self.tag = f"pnb{os.getpid()}"
        self.namespaces = []
        self.deferred = []
        self.seq = 0

    def defer(self, fn):
        self.deferred.append(fn)

    def ns(self, what):
        self.seq += 1
        name = f"{self.tag}-{what}{self.seq}"
        os.makedirs(f"/etc/netns/{name}", exist_ok=True)
        with open(f"/etc/netns/{name}/resolv.conf", "w") as f:
            f.write(f"nameserver {DNS}\nsearch {SEARCH}\n")
        self.namespaces.append(name)
        run(["ip", "netns", "add", name])
        run(["ip", "-n", name, "link", "set", "lo", "up"])
        return name

    def ns_pids(self, names):
        """pids of every process in one of the namespaces @names (one /proc scan)."""
        inodes = {}
        for n in names:
            try:
                st = os.stat(f"/run/netns/{n}")
                inodes[(st.st_dev, st.st_ino)] = n
            except OSError:
                pass
        pids = []
        for p in os.listdir("/proc"):
            if not p.isdigit() or int(p) == os.getpid():
                continue
            try:
                st = os.stat(f"/proc/{p}/ns/net")
            except OSError:
                continue
            if (st.st_dev, st.st_ino) in inodes:
                pids.append(int(p))
        return pids

    @staticmethod
    def kill_pids(pids):
        for p in pids:
            try:
                os.kill(p, signal.SIGTERM)
            except OSError:
                pass
        deadline = time.time() + 3
        while time.time() < deadline and any(alive(p) for p in pids):
            time.sleep(0.05)
        for p in pids:
            if alive(p):
                try:
                    os.kill(p, signal.SIGKILL)
                except OSError:
                    pass

    def drop_namespaces(self, names):
        self.kill_pids(self.ns_pids(names))
        batch = "".join(f"netns del {n}\n" for n in names)
        subprocess.run(["ip", "-force", "-batch", "-"], input=batch, text=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for n in names:
            shutil.rmtree(f"/etc/netns/{n}", ignore_errors=True)
            if n in self.namespaces:
                self.namespaces.remove(n)

    def cleanup(self):
        while self.deferred:
            fn = self.deferred.pop()
            try:
                fn()
            except Exception as e:  # keep cleaning up
                log(f"cleanup step failed: {e}")
        self.drop_namespaces(list(self.namespaces))
        shutil.rmtree(self.tmp, ignore_errors=True)


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][0] != "Z"
    except OSError:
        return False


def proc_cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(") ", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError):
        return None


def smaps(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                m = re.match(r"(Rss|Pss):\s+(\d+) kB", line)
                if m:
                    out[m.group(1).lower()] = int(m.group(2))
    except OSError:
        return None
    return out


def argv0(pid):
    """The process's argv[0] (the responder's comm is "exe": it is exec'ed
    through /proc/self/exe)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return os.path.basename(f.read().split(b"\0")[0].decode(errors="replace"))
    except OSError:
        return ""


class Pod:
    """A pod namespace whose eth0 is a veth to the node, configured like a CNI
    would; KIND podnet|podnet-nolimit|dnsmasq|udhcpd decides the hook at
    prepare (dnsmasq and udhcpd: the shell hook); "floor" runs no hook: a
    bridge and floor_responder on it, the kernel's floor for a responder."""

    def __init__(self, lab, node, kind, idx):
        self.lab, self.kind, self.idx = lab, kind, idx
        self.name = lab.ns("pod")
        self.uuid = str(uuidlib.uuid4())
        self.dom = f"vm{idx}"
        self.xml = domain_xml(self.dom, self.uuid)
        self.state = os.path.join(lab.tmp, f"state-{self.name}")
        os.makedirs(self.state)
        self.prepared = False
        run(["ip", "-n", node, "link", "add", f"vp{idx}", "type", "veth", "peer",
             "name", "eth0", "address", POD_MAC, "mtu", str(MTU), "netns", self.name])
        run(["ip", "-n", node, "link", "set", f"vp{idx}", "up"])
        batch = (f"link set eth0 up\naddr add {POD_IP}/{POD_PREFIX} dev eth0\n"
                 f"route add default via {GW} dev eth0\n")
        subprocess.run(["ip", "-n", self.name, "-batch", "-"], input=batch, text=True,
                       check=True)

    def hook_cmd(self, op, sub, binary=None, extra_env=()):
        env = ["LC_ALL=C", HOOK_PATH, "HOME=/root", *extra_env]
        if binary is None:
            if self.kind in SHELL_KINDS:
                binary = SHELL_HOOK
                env.append(f"BENCH_SHELL_SERVER={self.kind}")
            elif self.kind == "podnet-nolimit":
                binary = PODNET_NOLIMIT
            else:
                binary = PODNET
        env.append(f"PODNET_STATE_DIR={self.state}" if binary != SHELL_HOOK
                   else f"BENCH_SHELL_DIR={self.state}")
        return ["ip", "netns", "exec", self.name, "env", "-i", *env, binary,
                self.dom, op, sub, "-"]

    def hook(self, op, sub, binary=None, extra_env=()):
        """Runs the hook as libvirt does; returns (exit status, seconds, stderr)."""
        cmd = self.hook_cmd(op, sub, binary, extra_env)
        t0 = time.perf_counter()
        p = subprocess.run(cmd, input=self.xml, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, cwd="/", timeout=120)
        dt = time.perf_counter() - t0
        return p.returncode, dt, p.stderr.strip()

    def prepare(self):
        if self.kind == "floor":
            return self.start_floor()
        rc, dt, err = self.hook("prepare", "begin")
        if rc != 0:
            raise RuntimeError(f"{self.kind} prepare in {self.name} failed: {err}")
        self.prepared = True
        self.lab.defer(self.release)
        return dt

    def start_floor(self):
        # The pod's eth0 is a port, as under podnet: the client's broadcasts
        # are flooded out of it too.
        run(["ip", "-n", self.name, "link", "add", "pn-eth0", "type", "bridge"])
        run(["ip", "-n", self.name, "link", "set", "eth0", "master", "pn-eth0"])
        run(["ip", "-n", self.name, "link", "set", "pn-eth0", "up"])
        self.floor = subprocess.Popen(
            ["ip", "netns", "exec", self.name, FLOOR_RESPONDER, "pn-eth0", VM_MAC,
             f"{POD_IP}/{POD_PREFIX}", GW, GW], stderr=subprocess.PIPE, text=True)
        self.prepared = True
        self.lab.defer(self.release)
        time.sleep(0.1)
        if self.floor.poll() is not None:
            raise RuntimeError(f"floor_responder: {self.floor.stderr.read().strip()}")
        return 0.0

    def release(self):
        if not self.prepared:
            return None
        self.prepared = False
        if self.kind == "floor":
            self.floor.terminate()
            self.floor.wait(timeout=10)
            return 0.0
        rc, dt, err = self.hook("release", "end")
        if rc != 0:
            log(f"{self.kind} release in {self.name}: {err}")
        return dt

    def server_pids(self):
        want = (self.kind if self.kind in SHELL_KINDS else
                "floor_responder" if self.kind == "floor" else "podnet-responder")
        return [p for p in self.lab.ns_pids([self.name]) if argv0(p) == want]

    def plug(self, peer_ns, mac, port):
        """A veth into the bridge, its peer eth0 in @peer_ns with @mac (a fake
        VM's tap, or another sender on the bridge)."""
        run(["ip", "-n", self.name, "link", "add", port, "type", "veth", "peer", "name",
             "eth0", "address", mac, "mtu", str(MTU), "netns", peer_ns])
        run(["ip", "-n", self.name, "link", "set", port, "master", "pn-eth0", "up"])
        run(["ip", "-n", peer_ns, "link", "set", "eth0", "up"])


class Server:
    """A prepared pod with a fake VM (and another sender) on its bridge."""

    def __init__(self, lab, node, kind, idx, attacker=False):
        self.kind = kind
        self.pod = Pod(lab, node, kind, idx)
        self.pod.prepare()
        self.vm = lab.ns("vm")
        self.pod.plug(self.vm, VM_MAC, "vmtap")
        self.atk = None
        if attacker:
            self.atk = lab.ns("atk")
            self.pod.plug(self.atk, ATK_MAC, "atk")
        # The bridge forwards once its new ports leave the learning states.
        run(["ip", "netns", "exec", self.pod.name, "sh", "-c",
             "echo 0 > /sys/class/net/pn-eth0/bridge/forward_delay"], check=False)
        time.sleep(0.2)
        self.load(["-m", "closed", "-n", "1", "-t", "2000"])

    def pid(self):
        pids = self.pod.server_pids()
        return pids[0] if pids else None

    def load(self, args, ns=None):
        """One dhcp_load run; adds the server's CPU seconds during it."""
        pid = self.pid()
        cpu0 = proc_cpu_seconds(pid) if pid else None
        p = run(["ip", "netns", "exec", ns or self.vm, LOAD, "-i", "eth0", *args],
                check=False, timeout=600)
        cpu1 = proc_cpu_seconds(pid) if pid else None
        try:
            out = json.loads(p.stdout)
        except ValueError:
            log(f"dhcp_load {' '.join(args)}: {p.stderr.strip()}")
            return None
        if cpu0 is not None and cpu1 is not None:
            out["server_cpu_s"] = cpu1 - cpu0
        return out


def make_node(lab):
    node = lab.ns("node")
    return node


def start_servers(lab, kinds, first, **kw):
    """One Server of each kind behind one node, on pod numbers from first."""
    node = make_node(lab)
    return {k: Server(lab, node, k, first + i, **kw) for i, k in enumerate(kinds)}


def release_servers(servers):
    for s in servers.values():
        s.pod.release()


# -------------------------------------------------------------------- dhcp
def bench_dhcp(lab, res):
    kinds = ["podnet", "podnet-nolimit", "floor", *SHELL_KINDS]
    servers = start_servers(lab, kinds, 0)
    modes = {"closed": ["-m", "closed", "-t", "200"],
             "pipelined": ["-m", "pipelined", "-p", str(DEPTH), "-t", "200"]}
    raw = {m: {k: [] for k in kinds} for m in modes}
    for r in range(ROUNDS):
        order = kinds[r % len(kinds):] + kinds[:r % len(kinds)]
        for m, args in modes.items():
            for k in order:
                out = servers[k].load([*args, "-d", str(SECONDS), "-s", str(r + 1)])
                raw[m][k].append(out)
        log(f"dhcp round {r + 1}/{ROUNDS}: " + ", ".join(
            f"{k} {raw['closed'][k][-1]['rate']:.0f}/{raw['pipelined'][k][-1]['rate']:.0f}"
            for k in kinds if raw['closed'][k][-1] and raw['pipelined'][k][-1]))
    out = {}
    for m in modes:
        out[m] = {}
        for k in kinds:
            rs = raw[m][k]
            out[m][k] = {f: stats([x[f] if x else None for x in rs])
                         for f in ("rate", "p50_us", "p99_us", "lost", "ok")}
            # CPU per exchange, and the client's share of one core: a client
            # near 1.0 caps every server's rate on this machine.
            out[m][k]["server_cpu_us"] = stats([
                x["server_cpu_s"] / x["ok"] * 1e6 for x in rs
                if x and x.get("server_cpu_s") is not None and x["ok"] > 0])
            out[m][k]["client_cpu_us"] = stats([
                x["cpu_s"] / x["ok"] * 1e6 for x in rs if x and x["ok"] > 0])
            out[m][k]["client_core"] = stats([x["cpu_s"] / x["seconds"] for x in rs if x])
        for k, refs in (("podnet", SHELL_KINDS), ("podnet-nolimit", (*SHELL_KINDS, "floor")),
                        ("floor", SHELL_KINDS)):
            for ref in refs:
                out[m][f"{k}/{ref}"] = {
                    "rate": stats([a["rate"] / b["rate"] for a, b in zip(raw[m][k], raw[m][ref])
                                   if a and b and b["rate"] > 0]),
                    "p99_us": stats([a["p99_us"] / b["p99_us"] for a, b in
                                     zip(raw[m][k], raw[m][ref])
                                     if a and b and a["p99_us"] > 0 and b["p99_us"] > 0]),
                }
    out["raw"] = raw
    res["dhcp"] = out
    release_servers(servers)


# ------------------------------------------------------------------ datapath
def bench_datapath(lab, res):
    datapath.bench(lab, res, repo=REPO, podnet=PODNET, tcp_rr=TCP_RR, run=run, log=log,
                   stats=stats, rounds=DP_ROUNDS, seconds=DP_SECONDS)


# ------------------------------------------------------------------ attack
def bench_attack(lab, res):
    kinds = ["podnet", "dnsmasq"]
    servers = start_servers(lab, kinds, 10, attacker=True)
    attacks = ["none", "flood", "malformed"]
    raw = {a: {k: [] for k in kinds} for a in attacks}
    for r in range(ATTACK_ROUNDS):
        for a in attacks:
            order = kinds if r % 2 == 0 else kinds[::-1]
            for k in order:
                s = servers[k]
                flood = None
                if a != "none":
                    flood = subprocess.Popen(
                        ["ip", "netns", "exec", s.atk, LOAD, "-i", "eth0", "-m", a,
                         "-d", "120", "-n", "200000000", "-s", str(r + 7)],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                    time.sleep(0.5)
                pid = s.pid()
                t0 = time.perf_counter()
                legit = s.load(["-m", "closed", "-n", str(ATTACK_N), "-g", "100",
                                "-t", "1000", "-d", "120"])
                dt = time.perf_counter() - t0
                fl = None
                if flood:
                    flood.send_signal(signal.SIGTERM)
                    fo, _ = flood.communicate(timeout=30)
                    try:
                        fl = json.loads(fo)
                    except ValueError:
                        fl = None
                raw[a][k].append({
                    "completed": legit["ok"] if legit else 0,
                    "of": ATTACK_N,
                    "p99_us": legit["p99_us"] if legit else None,
                    "flood_pps": fl["send_rate"] if fl else 0,
                    "server_cpu": legit["server_cpu_s"] / dt
                    if legit and legit.get("server_cpu_s") is not None else None,
                    "server_alive": alive(pid) if pid else False,
                })
                log(f"attack {a} round {r + 1}: {k} {raw[a][k][-1]}")
    out = {}
    for a in attacks:
        out[a] = {k: {f: stats([x[f] for x in raw[a][k]])
                      for f in ("completed", "flood_pps", "server_cpu", "p99_us")}
                  for k in kinds}
    out["of"] = ATTACK_N
    out["raw"] = raw
    res["attack"] = out
    release_servers(servers)


# ------------------------------------------------------------------- scale
def bench_scale(lab, res):
    node = make_node(lab)
    kinds = ["podnet", *SHELL_KINDS]
    pods = {k: [] for k in kinds}
    prep = {k: [] for k in kinds}
    points = []
    top = max(PODS)
    for i in range(1, top + 1):
        order = kinds[i % len(kinds):] + kinds[:i % len(kinds)]
        for k in order:
            p = Pod(lab, node, k, 1000 * (kinds.index(k) + 1) + i)
            prep[k].append(p.prepare())
            pods[k].append(p)
        if i in PODS:
            pt = {"pods": i}
            for k in kinds:
                mem = [smaps(pid) for p in pods[k] for pid in p.server_pids()]
                mem = [m for m in mem if m]
                pt[k] = {
                    "procs": len(mem),
                    "rss_kb": sum(m["rss"] for m in mem),
                    "pss_kb": sum(m["pss"] for m in mem),
                    "pss_per_kb": sum(m["pss"] for m in mem) / max(1, len(mem)),
                    "rss_per_kb": sum(m["rss"] for m in mem) / max(1, len(mem)),
                    # per instance, from /proc/PID/smaps_rollup
                    "pss_instance_kb": stats([m["pss"] for m in mem]),
                    "rss_instance_kb": stats([m["rss"] for m in mem]),
                }
            points.append(pt)
            log(f"scale {i} pods: median PSS/RSS per instance, kB: " + ", ".join(
                f"{k} {pt[k]['pss_instance_kb']['median']}/{pt[k]['rss_instance_kb']['median']}"
                for k in kinds))
    # prepare time against pods already running, in buckets ending at each point
    buckets = []
    lo = 0
    for n in sorted(PODS):
        b = {"pods_running": f"{lo}-{n - 1}"}
        for k in kinds:
            b[k] = stats([t * 1000 for t in prep[k][lo:n]])
        buckets.append(b)
        lo = n
    rel = {k: [] for k in kinds}
    for k in kinds:
        for p in reversed(pods[k]):
            t = p.release()
            if t is not None:
                rel[k].append(t * 1000)
    res["scale"] = {"kinds": kinds, "points": points, "prepare_ms": buckets,
                    "release_ms": {k: stats(rel[k]) for k in kinds}}
    lab.drop_namespaces([p.name for k in kinds for p in pods[k]])


# -------------------------------------------------------------------- hook
def callgrind_total(path):
    total = None
    with open(path) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                total = int(line.split()[1])
    return total


def callgrind_main(prefix):
    """Of the files PREFIX.PID (a forked child writes its own), the one of the
    process that ran longest: (path, total), or (None, None)."""
    best = (None, None)
    d, base = os.path.split(prefix)
    for f in os.listdir(d):
        if f.startswith(base + "."):
            t = callgrind_total(os.path.join(d, f))
            if t is not None and (best[1] is None or t > best[1]):
                best = (os.path.join(d, f), t)
    return best


def prepare_breakdown(lab, pod):
    """Instructions in each step of prepare (callgrind, inclusive)."""
    prefix = os.path.join(lab.tmp, "cg-prepare")
    cmd = pod.hook_cmd("prepare", "begin")
    i = cmd.index(PODNET)
    cmd = cmd[:i] + ["valgrind", "--tool=callgrind", "--trace-children=no",
                     f"--callgrind-out-file={prefix}.%p"] + cmd[i:]
    p = subprocess.run(cmd, input=pod.xml, capture_output=True, text=True, cwd="/")
    pod.prepared = True
    pod.release()
    out, total = callgrind_main(prefix)
    if not out:
        return {"error": p.stderr.strip()[-300:]}
    ann = run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out],
              check=False).stdout
    want = ["main", "on_prepare", "domain_xml_parse", "metadata_schema_validate",
            "prepare_domain", "netlink_open", "settle_old_record", "plan",
            "discover_pod_iface", "discover_dns", "state_write", "apply",
            "bridge_prepare_iface", "responder_proc_start"]
    # Under valgrind /proc/self/exe is valgrind itself, so the responder
    # cannot start and prepare rolls back: the steps before the spawn count.
    found = {"total": total, "exit": p.returncode}
    for line in ann.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\(.*?\)\s+\S+:(\w+)\b", line) or \
            re.match(r"\s*([\d,]+)\s+\S+:(\w+)\b", line)
        if m and m.group(2) in want and m.group(2) not in found:
            found[m.group(2)] = int(m.group(1).replace(",", ""))
    return found


def start_responder(pod, binary, extra_env=(), vg=()):
    """Starts `podnet-responder --responder UUID` as responder_proc_start() does
    (fd 3 the ready pipe); returns (Popen, ready line, seconds to ready)."""
    rfd, wfd = os.pipe()
    cmd = ["ip", "netns", "exec", pod.name, "sh", "-c", f'exec 3>&{wfd} {wfd}>&-; exec "$@"',
           "sh", "env", "-i", HOOK_PATH, f"PODNET_STATE_DIR={pod.state}", *extra_env,
           *vg, binary, "--responder", pod.uuid]
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         pass_fds=(wfd,))
    os.close(wfd)
    ready = b""
    while b"\n" not in ready:
        chunk = os.read(rfd, 512)
        if not chunk:
            break
        ready += chunk
    dt = time.perf_counter() - t0
    os.close(rfd)
    return p, ready.decode(errors="replace").strip(), dt


def responder_start(lab, pod):
    """Exec-to-ready of the responder alone (what prepare waits for after the
    bridge is built): exec_ready, in the pod's namespace, starts the binary
    the way responder_proc.c does, from the clock right before execve() to the end of
    the "ready PID" line on fd 3, on the prepared domain's record."""
    pod.prepare()
    Lab.kill_pids(pod.server_pids())
    binary = RESPONDER if os.access(RESPONDER, os.X_OK) else PODNET
    p = run(["ip", "netns", "exec", pod.name, "env", "-i", HOOK_PATH,
             f"PODNET_STATE_DIR={pod.state}", EXEC_READY, str(EXEC_ROUNDS), binary, pod.uuid],
            check=False, timeout=300)
    pod.release()
    try:
        out = json.loads(p.stdout)
    except ValueError:
        return {"error": (p.stderr or p.stdout).strip()[-300:]}
    if out["bad"]:
        log(f"exec_ready: {out['bad']} starts did not report ready: '{out['last_bad']}'")
    return {"binary": os.path.relpath(binary, REPO), "n": out["n"], "bad": out["bad"],
            "responder": stats(out["ms"]), "raw": out["ms"]}


def parse_timing(stderr):
    """PODNET_TIMING=1 lines of the hook ("podnet-timing: STEP[ OBJECT]: N us
    (at M us)", src/hook/timing.c): {step: ms}, a step seen twice summed."""
    steps = {}
    for line in stderr.splitlines():
        m = re.match(r"podnet-timing: (.*): (\d+) us\b", line)
        if m:
            k = m.group(1).strip()
            steps[k] = steps.get(k, 0) + int(m.group(2)) / 1000
    return steps


def hook_timing(pod, rounds):
    """Per-step breakdown of prepare and release (PODNET_TIMING=1 on the
    hook's stderr), in rounds of their own: the breakdown is not free."""
    raw = {"prepare": {}, "release": {}}
    for _ in range(rounds):
        for op, sub in (("prepare", "begin"), ("release", "end")):
            rc, _, err = pod.hook(op, sub, PODNET, ["PODNET_TIMING=1"])
            if rc:
                raise RuntimeError(f"hook {op} with PODNET_TIMING=1: {err}")
            for k, v in parse_timing(err).items():
                raw[op].setdefault(k, []).append(v)
    if not raw["prepare"] and not raw["release"]:
        return {"error": "the hook printed no PODNET_TIMING=1 lines"}
    return {op: {k: stats(v) for k, v in raw[op].items()} for op in raw}


def bench_hook(lab, res):
    node = make_node(lab)
    pod = Pod(lab, node, "podnet", 1)
    variants = {"noop": NOOP, "podnet": PODNET, "shell": SHELL_HOOK}
    have_floor = os.access(FLOOR, os.X_OK)
    if have_floor:
        variants["floor"] = FLOOR
    raw = {v: {"prepare": [], "release": []} for v in variants}
    for r in range(HOOK_ROUNDS + 1):
        names = list(variants)
        order = names[r % len(names):] + names[:r % len(names)]
        for v in order:
            rc1, t1, e1 = pod.hook("prepare", "begin", variants[v])
            rc2, t2, e2 = pod.hook("release", "end", variants[v])
            if rc1 or rc2:
                raise RuntimeError(f"hook {v}: {e1 or e2}")
            if r > 0:  # round 0 warms caches
                raw[v]["prepare"].append(t1 * 1000)
                raw[v]["release"].append(t2 * 1000)
    out = {"runner": "hook run exactly as libvirt runs it (argv, XML on stdin, "
                     "env LC_ALL/PATH/HOME, pipes read to EOF) via `ip netns exec POD`; "
                     "prepare+release cycles; no libvirtd/guest; the floor "
                     "(netlink_floor: the same rtnetlink steps in one process) the same way"}
    for v in variants:
        out[v] = {op: stats(raw[v][op]) for op in ("prepare", "release")}
    # results.json: hook.floor.prepare beside hook.podnet.prepare
    if not have_floor:
        out["floor"] = {"error": f"{os.path.relpath(FLOOR, REPO)} is not built"}
    else:
        out["floor-noop"], out["podnet/floor"] = {}, {}
        for op in ("prepare", "release"):
            out["floor-noop"][op] = stats([a - b for a, b in zip(raw["floor"][op],
                                                                  raw["noop"][op])])
            out["podnet/floor"][op] = stats([a / b for a, b in zip(raw["podnet"][op],
                                                                    raw["floor"][op])])
    for v in ("podnet", "shell"):
        for op in ("prepare", "release"):
            out[f"{v}-noop"] = out.get(f"{v}-noop", {})
            out[f"{v}-noop"][op] = stats([a - b for a, b in zip(raw[v][op], raw["noop"][op])])
            out[f"{v}/noop"] = out.get(f"{v}/noop", {})
            out[f"{v}/noop"][op] = stats([a / b for a, b in zip(raw[v][op], raw["noop"][op])])
    out["podnet/shell"] = {op: stats([a / b for a, b in zip(raw["podnet"][op], raw["shell"][op])])
                           for op in ("prepare", "release")}
    out["timing"] = hook_timing(pod, TIMING_ROUNDS)
    out["prepare_instructions"] = prepare_breakdown(lab, pod)
    out["responder_ready_ms"] = responder_start(lab, pod)
    out["raw"] = raw
    res["hook"] = out


# --------------------------------------------------------------- callgrind
def cg_server_run(lab, s, n, mode):
    """Start the server of @s under callgrind, serve 1 + @n exchanges, stop it;
    returns its instruction count or an error string."""
    d = os.path.join(lab.tmp, "cg")
    os.makedirs(d, exist_ok=True)
    # Not sticky: fs.protected_regular would stop the server (now nobody)
    # from reopening the file valgrind created as root.
    os.chmod(d, 0o777)
    prefix = os.path.join(d, f"{s.kind}-{mode}-{n}")
    vg = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={prefix}.%p"]
    pid = s.pid()
    if pid:
        Lab.kill_pids([pid])
    if s.kind == "dnsmasq":
        conf = os.path.join(s.pod.state, s.pod.dom, "dnsmasq.conf")
        cmd = ["ip", "netns", "exec", s.pod.name, *vg, "dnsmasq", "-k", f"--conf-file={conf}"]
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elif s.kind == "udhcpd":
        d_ = os.path.join(s.pod.state, s.pod.dom)
        cmd = ["ip", "netns", "exec", s.pod.name, *vg, os.path.join(d_, "udhcpd"), "-f",
               os.path.join(d_, "udhcpd.conf")]
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    else:
        env = ["env", "-i", HOOK_PATH, f"PODNET_STATE_DIR={s.pod.state}"]
        binary = RESPONDER_NOLIMIT if s.kind == "podnet-nolimit" else RESPONDER
        if mode == "noseccomp":
            # Built with NOSECCOMP=1: an empty seccomp program (the
            # responder is static and links no libseccomp to shim).
            if not os.access(RESPONDER_NOSECCOMP, os.X_OK):
                return f"{os.path.relpath(RESPONDER_NOSECCOMP, REPO)} is not built"
            binary = RESPONDER_NOSECCOMP
        p, ready, _ = start_responder(s.pod, binary, env[4:], vg)
        if not ready.startswith("ready"):
            p.kill()
            p.communicate()
            return (f"the responder did not start under valgrind: '{ready}' (valgrind "
                    "does not implement seccomp(2): the filter cannot be loaded under it)")
    lab.defer(lambda: Lab.kill_pids([p.pid]) if p.poll() is None else None)
    # warm-up: one exchange (also waits until the server answers)
    ok = False
    deadline = time.time() + 60
    while time.time() < deadline and p.poll() is None:
        w = s.load(["-m", "closed", "-n", "1", "-t", "2000"])
        if w and w["ok"] == 1:
            ok = True
            break
    if not ok:
        p.kill()
        _, err = p.communicate()
        return f"no answer: {err.strip()[-300:]}"
    # valgrind made its output file as root, mode 0600, before the server
    # dropped to nobody: let the server write it at exit.
    for f in os.listdir(d):
        if f.startswith(os.path.basename(prefix) + "."):
            os.chmod(os.path.join(d, f), 0o666)
    if n:
        s.load(["-m", "closed", "-n", str(n), "-t", "2000", "-d", "300"])
    p.send_signal(signal.SIGTERM)
    try:
        _, err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        _, err = p.communicate()
    out, total = callgrind_main(prefix)
    if not out:
        return f"no callgrind output (exit {p.returncode}): {err.strip()[-1500:]}"
    keep = os.environ.get("BENCH_CALLGRIND_KEEP")
    if keep:
        # For callgrind_annotate: where an exchange's instructions go.
        os.makedirs(keep, exist_ok=True)
        shutil.copy(out, os.path.join(keep, os.path.basename(prefix)))
    return total


def bench_callgrind(lab, res):
    out = {"n": CG_N}
    w = {}
    for n in (0, CG_N * 10):
        o = os.path.join(lab.tmp, f"cg-wire-{n}.out")
        run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={o}", WIRE, str(n)])
        w[n] = callgrind_total(o)
    out["wire_per_exchange"] = (w[CG_N * 10] - w[0]) / (CG_N * 10)
    servers = start_servers(lab, ["podnet-nolimit", *SHELL_KINDS], 20)
    runs = {}
    for label, k, mode in (("podnet (seccomp on)", "podnet-nolimit", "seccomp"),
                           ("podnet", "podnet-nolimit", "noseccomp"),
                           ("dnsmasq", "dnsmasq", "-"), ("udhcpd", "udhcpd", "-")):
        if k not in servers:
            continue
        a = cg_server_run(lab, servers[k], 0, mode)
        b = cg_server_run(lab, servers[k], CG_N, mode) if isinstance(a, int) else a
        if isinstance(a, int) and isinstance(b, int):
            runs[label] = {"per_exchange": (b - a) / CG_N, "startup_and_1": a}
        else:
            runs[label] = {"error": a if not isinstance(a, int) else b}
        log(f"callgrind {label}: {runs[label]}")
    out["servers"] = runs
    p, d = runs.get("podnet", {}), runs.get("dnsmasq", {})
    if "per_exchange" in p and "per_exchange" in d:
        out["podnet/dnsmasq"] = p["per_exchange"] / d["per_exchange"]
    res["callgrind"] = out
    release_servers(servers)


# ------------------------------------------------------------------- reply
def bench_reply(lab, res):
    """Cost of one reply against the lease's size (wire_bench --sweep): ns
    natively, instructions under callgrind (one dump per point)."""
    p = run([WIRE, "--sweep", str(REPLY_N)], check=False, timeout=600)
    out = json.loads(p.stdout)
    prefix = os.path.join(lab.tmp, "cg-sweep")
    n = max(1, CG_N)
    q = run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={prefix}",
             WIRE, "--sweep", str(n)], check=False, timeout=900)
    instr = {}
    d, base = os.path.split(prefix)
    for f in os.listdir(d):
        if not f.startswith(base + "."):
            continue
        desc, total = None, None
        with open(os.path.join(d, f)) as fh:
            for line in fh:
                m = re.match(r"desc: Trigger: Client Request: (\w+) r=(\d+) s=(\d+)", line)
                if m:
                    desc = (m.group(1), int(m.group(2)), int(m.group(3)))
                elif line.startswith("summary:"):
                    total = int(line.split()[1])
        if desc and total is not None:
            instr[desc] = total / n
    if not instr:
        out["callgrind_error"] = (q.stderr or "no dumps").strip()[-300:]
    for pt in out["points"]:
        for what in ("ack", "build"):
            v = instr.get((what, pt["routes"], pt["search"]))
            pt[f"{what}_instr"] = round(v) if v is not None else None
    out["callgrind_replies"] = n
    res["reply"] = out
    log("reply: " + ", ".join(
        f"r={pt['routes']} s={pt['search']}: {pt.get('ack_instr')} instr"
        for pt in out["points"] if pt["routes"] in (1, 32) and pt["search"] in (1, 16)))


# ------------------------------------------------------------------ report
def fmt(s, unit="", prec=0):
    if not s or s.get("median") is None:
        return "n/a"
    f = f"{{:.{prec}f}}"
    return (f"{f.format(s['median'])}{unit} [{f.format(s['min'])}-{f.format(s['max'])}]")


def table(res):
    lines = [f"podnet bench  {res['machine']['when']}  {res['machine']['cpu']}, "
             f"{res['machine']['cores']} cores, {res['machine']['mem_gib']} GiB, "
             f"kernel {res['machine']['kernel']}",
             "median [min-max] over alternating rounds; ratios are per round"]
    for k, b in res.get("binaries", {}).items():
        lines.append(f"   {k}: {b['path']}, {b['bytes'] // 1024} KiB, {b['elf_type']}"
                     f"{'' if b['interp'] else ', static'}"
                     + (f", needs {' '.join(b['needed'])}" if b["needed"] else ""))
    lines.append("")
    d = res.get("dhcp")
    if d:
        lines.append(f"1. DHCP service, {ROUNDS} rounds x {SECONDS:g} s, one client "
                     f"(pipelined: {DEPTH} xids outstanding)")
        lines.append(f"   {'':16}{'exchanges/s':>24}{'p50 us':>22}{'p99 us':>24}"
                     f"{'server CPU us/exch':>24}{'client CPU us/exch':>24}"
                     f"{'client core':>18}")
        for m in ("closed", "pipelined"):
            for k in ("podnet", "podnet-nolimit", "floor", *SHELL_KINDS):
                x = d[m].get(k)
                if not x:
                    continue
                lines.append(f"   {m[:4]} {k:15}{fmt(x['rate']):>20}"
                             f"{fmt(x['p50_us']):>22}{fmt(x['p99_us']):>24}"
                             f"{fmt(x.get('server_cpu_us'), '', 1):>24}"
                             f"{fmt(x.get('client_cpu_us'), '', 1):>24}"
                             f"{fmt(x.get('client_core'), '', 2):>18}")
            for k in ("podnet", "podnet-nolimit", "floor"):
                for ref in (*SHELL_KINDS, "floor"):
                    x = d[m].get(f"{k}/{ref}")
                    if not x:
                        continue
                    lines.append(f"   {m[:4]} {k + '/' + ref:22} rate "
                                 f"x{fmt(x['rate'], '', 2)}  p99 x{fmt(x['p99_us'], '', 2)}")
        lines.append("")
    a = res.get("attack")
    if a:
        lines.append(f"2. Under attack: legitimate exchanges completed of {a['of']} "
                     f"(10/s, 1 s timeout), {ATTACK_ROUNDS} rounds")
        for at in ("none", "flood", "malformed"):
            for k in ("podnet", "dnsmasq"):
                x = a[at][k]
                lines.append(f"   {at:10}{k:9} completed {fmt(x['completed'])}  attacker "
                             f"{fmt(x['flood_pps'])} pkt/s  server CPU "
                             f"{fmt(x['server_cpu'], '', 2)}")
        lines.append("")
    s = res.get("scale")
    if s:
        ks = s.get("kinds", ["podnet", "dnsmasq"])
        lines.append("3. Footprint and scale (one namespace + server per pod); PSS/RSS kB "
                     "per instance, median (smaps_rollup)")
        lines.append(f"   {'pods':>5} " + "".join(f"{k + ' PSS/RSS':>22}" for k in ks)
                     + "   PSS podnet/" + "/".join(ks[1:]))
        for pt in s["points"]:
            def med(k, f):
                x = pt[k].get(f)
                return x["median"] if x and x["median"] is not None else pt[k]["pss_per_kb"]
            cells = "".join(f"{med(k, 'pss_instance_kb'):>14.0f}/{med(k, 'rss_instance_kb'):<7.0f}"
                            for k in ks)
            ratios = " ".join(f"x{med('podnet', 'pss_instance_kb') / med(k, 'pss_instance_kb'):.2f}"
                              if med(k, 'pss_instance_kb') else "n/a" for k in ks[1:])
            lines.append(f"   {pt['pods']:>5} {cells}   {ratios}")
        lines.append("   prepare ms by pods already running (" +
                     " | ".join("podnet" if k == "podnet" else f"shell ip+{k}" for k in ks)
                     + "):")
        for b in s["prepare_ms"]:
            lines.append(f"   {b['pods_running']:>9}: " +
                         " | ".join(f"{fmt(b[k], '', 1):>22}" for k in ks))
        lines.append("   release ms: " + " | ".join(
            f"{k} {fmt(s['release_ms'][k], '', 1)}" for k in ks))
        lines.append("")
    h = res.get("hook")
    if h:
        lines.append(f"4. Hook cost, {HOOK_ROUNDS} alternating rounds, {h['runner']}")
        for v in ("noop", "podnet", "shell"):
            lines.append(f"   {v:7} prepare {fmt(h[v]['prepare'], ' ms', 1):>26}"
                         f"   release {fmt(h[v]['release'], ' ms', 1):>26}")
        fl = h.get("floor", {})
        if fl.get("prepare"):
            lines.append(f"   {'floor':7} prepare {fmt(fl['prepare'], ' ms', 1):>26}"
                         f"   release {fmt(fl['release'], ' ms', 1):>26}"
                         "   (netlink_floor: the same rtnetlink steps, one process)")
        if fl.get("error"):
            lines.append(f"   floor: {fl['error']}")
        for v in ("podnet", "shell"):
            lines.append(f"   {v} adds: prepare {fmt(h[v + '-noop']['prepare'], ' ms', 1)}"
                         f", release {fmt(h[v + '-noop']['release'], ' ms', 1)}")
        if "floor-noop" in h:
            lines.append(f"   floor adds: prepare {fmt(h['floor-noop']['prepare'], ' ms', 1)}"
                         f", release {fmt(h['floor-noop']['release'], ' ms', 1)}")
        lines.append(f"   podnet/shell: prepare x{fmt(h['podnet/shell']['prepare'], '', 2)}, "
                     f"release x{fmt(h['podnet/shell']['release'], '', 2)}")
        if "podnet/floor" in h:
            lines.append(f"   podnet/floor: prepare x{fmt(h['podnet/floor']['prepare'], '', 2)}"
                         f", release x{fmt(h['podnet/floor']['release'], '', 2)}")
        tm = h.get("timing", {})
        if tm.get("error"):
            lines.append(f"   PODNET_TIMING=1: {tm['error']}")
        for op in ("prepare", "release"):
            if tm.get(op):
                lines.append(f"   {op} steps (PODNET_TIMING=1, median ms): " + ", ".join(
                    f"{k} {v['median']:.2f}" for k, v in tm[op].items()))
        rr = h.get("responder_ready_ms")
        if rr and "responder" in rr:
            lines.append(f"   responder exec to ready ({rr['binary']}, {rr['n']} starts): "
                         f"{fmt(rr['responder'], ' ms', 2)}")
        elif rr:
            lines.append(f"   responder exec to ready: n/a: {rr.get('error')}")
        pi = h.get("prepare_instructions", {})
        if "total" in pi:
            lines.append("   prepare instructions (callgrind, inclusive, hook process only): "
                         + ", ".join(f"{k} {v / 1e6:.2f}M" for k, v in pi.items()
                                     if isinstance(v, int) and k != "exit"))
        lines.append("")
    c = res.get("callgrind")
    if c:
        lines.append(f"5. Instructions per exchange (callgrind, {c['n']} exchanges "
                     "minus 0, whole process)")
        lines.append(f"   podnet wire work only (wire_bench): {c['wire_per_exchange']:.0f}")
        for k, v in c["servers"].items():
            lines.append(f"   {k:22} " + (f"{v['per_exchange']:.0f}" if "per_exchange" in v
                                           else f"n/a: {v['error'][:150]}"))
        if "podnet/dnsmasq" in c:
            lines.append(f"   podnet/dnsmasq: x{c['podnet/dnsmasq']:.3f}")
        lines.append("")
    rp = res.get("reply")
    if rp:
        lines.append(f"6. One ACK against the lease's size (wire_bench --sweep; client max "
                     f"message size {rp['max_msg_size']}): exchange = parse + decide + the "
                     "prepared frame (dhcp_reply_frame), build = dhcp_wire_build_reply alone "
                     "(the encoding done once per lease and request shape); ns fastest of 5 x "
                     f"{rp['replies']}, instructions (callgrind) per reply")
        lines.append(f"   {'routes':>6} {'search':>6} {'bytes':>6} {'exch instr':>11} "
                     f"{'build instr':>11} {'exch ns':>9} {'build ns':>9}")
        for pt in rp["points"]:
            if pt.get("error"):
                lines.append(f"   {pt['routes']:>6} {pt['search']:>6} error")
                continue
            if not (pt["routes"] in (1, 2, 4, 8, 16, 32) and pt["search"] == 1 or
                    pt["routes"] == 1 and pt["search"] in (2, 4, 8, 16)):
                continue
            lines.append(f"   {pt['routes']:>6} {pt['search']:>6} {pt['reply_bytes']:>6} "
                         f"{pt['ack_instr'] if pt['ack_instr'] is not None else 'n/a':>11} "
                         f"{pt['build_instr'] if pt['build_instr'] is not None else 'n/a':>11} "
                         f"{pt['ack_ns']:>9.0f} {pt['build_ns']:>9.0f}")
        if rp.get("callgrind_error"):
            lines.append(f"   callgrind: {rp['callgrind_error']}")
    dp = datapath.table(res)
    if dp:
        lines += [""] + dp
    return "\n".join(lines)


def markdown(res):
    """README's Performance table from one results.json (`bench.py --markdown`)."""
    def m(x, unit="", prec=0):
        if not x or x.get("median") is None:
            return "n/a"
        return f"{x['median']:,.{prec}f}{unit}"

    def mr(x, unit="", prec=0):
        if not x or x.get("median") is None:
            return "n/a"
        return (f"{x['median']:,.{prec}f}{unit} [{x['min']:,.{prec}f}-"
                f"{x['max']:,.{prec}f}]")
    rows = []
    d = res.get("dhcp")
    if d:
        for mode, what in (("closed", "closed loop"),
                           ("pipelined", f"{res['config']['depth']} pipelined")):
            note = f"x{m(d[mode]['podnet-nolimit/dnsmasq']['rate'], '', 2)} dnsmasq"
            vs_udhcpd = d[mode].get("podnet-nolimit/udhcpd", {}).get("rate")
            if vs_udhcpd and vs_udhcpd.get("median") is not None:
                note += f", x{m(vs_udhcpd, '', 1)} udhcpd"
            rows.append((f"exchanges/s, {what}, limit raised",
                         mr(d[mode]["podnet-nolimit"]["rate"]), mr(d[mode]["dnsmasq"]["rate"]),
                         mr(d[mode].get("udhcpd", {}).get("rate")), note))
        fl = {mode: d[mode].get("floor") for mode in ("closed", "pipelined")}
        if fl["closed"]:
            for mode, what in (("closed", "closed loop"),
                               ("pipelined", f"{res['config']['depth']} pipelined")):
                rows.append((f"exchanges/s, {what}, floor_responder",
                             mr(fl[mode]["rate"]), "", "",
                             f"floor/dnsmasq x{m(d[mode]['floor/dnsmasq']['rate'], '', 2)}, "
                             f"podnet/floor x{m(d[mode]['podnet-nolimit/floor']['rate'], '', 2)}"))
            for mode, what in (("closed", "closed loop"),
                               ("pipelined", f"{res['config']['depth']} pipelined")):
                x = {k: d[mode].get(k, {}) for k in ("podnet-nolimit", "dnsmasq", "udhcpd")}
                rows.append((f"server CPU µs per exchange, {what}",
                             *(m(v.get("server_cpu_us"), "", 1) if v else "n/a"
                               for v in x.values()),
                             f"floor_responder {m(fl[mode].get('server_cpu_us'), '', 1)}; "
                             f"the client: {m(d[mode]['podnet-nolimit'].get('client_core'), '', 2)}"
                             " of a core with podnet"))
        rows.append(("exchanges/s, closed loop, as built (50 replies/s limit)",
                     m(d["closed"]["podnet"]["rate"]), "", "", ""))
        x = {k: d["closed"].get(k, {}) for k in ("podnet-nolimit", "dnsmasq", "udhcpd")}
        rows.append(("closed loop p50 / p99, limit raised",
                     *(f"{m(v.get('p50_us'))} / {m(v.get('p99_us'))} µs" if v else "n/a"
                       for v in x.values()), ""))
    a = res.get("attack")
    if a:
        for at, what in (("flood", "during a flood"), ("malformed", "during malformed requests")):
            rows.append((f"legitimate exchanges of {a['of']} {what} "
                         f"(~{m(a[at]['podnet']['flood_pps'])} pkt/s)",
                         m(a[at]["podnet"]["completed"]), m(a[at]["dnsmasq"]["completed"]),
                         "", f"server CPU {m(a[at]['podnet']['server_cpu'], '', 2)} / "
                         f"{m(a[at]['dnsmasq']['server_cpu'], '', 2)}"))
    sc = res.get("scale")
    if sc:
        ks = sc.get("kinds", ["podnet", "dnsmasq"])
        for pt in sc["points"]:
            def cell(k):
                if k not in ks:
                    return ""
                return (f"{m(pt[k].get('pss_instance_kb'))} / "
                        f"{m(pt[k].get('rss_instance_kb'))} kB")
            rows.append((f"PSS / RSS per instance, median, {pt['pods']} pods",
                         cell("podnet"), cell("dnsmasq"), cell("udhcpd"), ""))
        b = sc["prepare_ms"][-1]
        rows.append((f"prepare with {b['pods_running']} pods running",
                     m(b["podnet"], " ms", 1), m(b.get("dnsmasq"), " ms", 1) + " (shell hook)",
                     m(b.get("udhcpd"), " ms", 1) + " (shell hook)", ""))
    h = res.get("hook")
    if h:
        fl = h.get("floor", {})
        for op in ("prepare", "release"):
            rows.append((f"hook {op}, run as libvirt runs it",
                         mr(h["podnet"][op], " ms", 1),
                         mr(h["shell"][op], " ms", 1) + " (shell hook)", "",
                         f"floor {mr(fl.get(op), ' ms', 1)}; no-op hook "
                         f"{m(h['noop'][op], ' ms', 1)}; podnet/floor "
                         f"x{m(h.get('podnet/floor', {}).get(op), '', 2)}"))
        rr = h.get("responder_ready_ms") or {}
        if rr.get("responder"):
            rows.append((f"responder exec to ready ({rr['n']} starts)",
                         mr(rr["responder"], " ms", 2), "", "", ""))
    c = res.get("callgrind")
    if c:
        sv = c["servers"]
        rows.append(("instructions per exchange (callgrind, whole process)",
                     f"{sv.get('podnet', {}).get('per_exchange', 0):,.0f} (wire work "
                     f"{c['wire_per_exchange']:,.0f})",
                     f"{sv.get('dnsmasq', {}).get('per_exchange', 0):,.0f}",
                     f"{sv.get('udhcpd', {}).get('per_exchange', 0):,.0f}", ""))
    rp = res.get("reply")
    if rp:
        pts = {(p["routes"], p["search"]): p for p in rp["points"] if not p.get("error")}
        for key, what in (((1, 1), "1 route, 1 search domain"),
                          ((rp["max_routes"], 1), f"{rp['max_routes']} routes"),
                          ((1, rp["max_search"]), f"{rp['max_search']} search domains")):
            p = pts.get(key)
            if p:
                rows.append((f"one ACK exchange, {what} ({p['reply_bytes']} bytes)",
                             f"{p['ack_instr']:,} instructions, {p['ack_ns']:,.0f} ns",
                             "", "", f"building the reply (once per lease and request "
                             f"shape): {p['build_instr']:,} instructions"))
    out = ["| figure | podnet | dnsmasq | busybox udhcpd | notes |",
           "|---|---|---|---|---|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    tm = (h or {}).get("timing") or {}
    for op in ("prepare", "release"):
        if tm.get(op):
            out.append("")
            out.append(f"`{op}` step by step (`PODNET_TIMING=1`, median of "
                       f"{res['config'].get('timing_rounds', '?')} runs of their own, ms): " +
                       ", ".join(f"{k} {v['median']:.2f}" for k, v in tm[op].items()) + ".")
    dp = datapath.markdown(res)
    if dp:
        out += ["", dp]
    return "\n".join(out)


def plot(res, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(3, 3, figsize=(17, 13))
    colors = {"podnet": "tab:blue", "podnet-nolimit": "tab:cyan", "dnsmasq": "tab:orange",
              "udhcpd": "tab:green", "shell": "tab:orange", "noop": "tab:gray",
              "floor": "tab:purple"}

    def bars(ax, labels, series, title, ylabel, log=False):
        n = len(series)
        width = 0.8 / max(1, n)
        for i, (name, vals) in enumerate(series.items()):
            med = [v["median"] if v and v["median"] is not None else 0 for v in vals]
            lo = [m - (v["min"] if v and v["min"] is not None else 0) for m, v in zip(med, vals)]
            hi = [(v["max"] if v and v["max"] is not None else 0) - m for m, v in zip(med, vals)]
            xs = [j + i * width for j in range(len(labels))]
            ax.bar(xs, med, width, yerr=[lo, hi], capsize=3, label=name,
                   color=colors.get(name))
        ax.set_xticks([j + width * (n - 1) / 2 for j in range(len(labels))])
        ax.set_xticklabels(labels)
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        if log:
            ax.set_yscale("log")
        ax.legend(fontsize=8)

    d = res.get("dhcp")
    if d:
        ks = [k for k in ("podnet", "podnet-nolimit", "floor", *SHELL_KINDS)
              if k in d["closed"]]
        bars(axes[0][0], ["closed", "pipelined"],
             {k: [d[m][k]["rate"] for m in ("closed", "pipelined")] for k in ks},
             "DHCP exchanges/s (one client)", "exchanges/s", log=True)
        bars(axes[0][1], ["closed p50", "closed p99", "pipe p50", "pipe p99"],
             {k: [d["closed"][k]["p50_us"], d["closed"][k]["p99_us"],
                  d["pipelined"][k]["p50_us"], d["pipelined"][k]["p99_us"]] for k in ks},
             "exchange latency", "µs", log=True)
    a = res.get("attack")
    if a:
        bars(axes[0][2], ["none", "flood", "malformed"],
             {k: [a[t][k]["completed"] for t in ("none", "flood", "malformed")]
              for k in ("podnet", "dnsmasq")},
             f"legitimate exchanges completed of {a['of']}", "completed")
    s = res.get("scale")
    if s:
        ax = axes[1][0]
        ks = s.get("kinds", ["podnet", "dnsmasq"])

        def per(p, k, f, fallback):
            x = p[k].get(f)
            return x["median"] if x and x["median"] is not None else p[k][fallback]
        for k in ks:
            ax.plot([p["pods"] for p in s["points"]],
                    [per(p, k, "pss_instance_kb", "pss_per_kb") for p in s["points"]],
                    "o-", label=f"{k} PSS", color=colors[k])
            ax.plot([p["pods"] for p in s["points"]],
                    [per(p, k, "rss_instance_kb", "rss_per_kb") for p in s["points"]],
                    "x--", label=f"{k} RSS", color=colors[k], alpha=0.5)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks([p["pods"] for p in s["points"]])
        ax.set_xticklabels([str(p["pods"]) for p in s["points"]])
        ax.minorticks_off()
        ax.set_title("memory per server instance (median)")
        ax.set_xlabel("pods")
        ax.set_ylabel("kB")
        ax.legend(fontsize=8)
        bars(axes[1][1], [b["pods_running"] for b in s["prepare_ms"]],
             {k: [b[k] for b in s["prepare_ms"]] for k in ks},
             "prepare time by pods already running", "ms")
    h = res.get("hook")
    c = res.get("callgrind")
    if h:
        vs = [v for v in ("noop", "podnet", "shell", "floor") if h.get(v, {}).get("prepare")]
        bars(axes[1][2], ["prepare", "release"],
             {v: [h[v]["prepare"], h[v].get("release")] for v in vs},
             "hook run as libvirt runs it (floor: netlink_floor)", "ms")
        if c:
            txt = "instructions/exchange\n" + "\n".join(
                f"{k}: {v['per_exchange']:.0f}" for k, v in c["servers"].items()
                if "per_exchange" in v)
            axes[1][2].text(0.30, 0.97, txt, transform=axes[1][2].transAxes, va="top",
                            fontsize=8, family="monospace")
    rp = res.get("reply")
    if rp:
        pts = [p for p in rp["points"] if not p.get("error")]
        # the point (1 route, 1 domain) is in both sweeps: once per line
        by_r = sorted({p["routes"]: p for p in pts if p["search"] == 1}.values(),
                      key=lambda p: p["routes"])
        by_s = sorted({p["search"]: p for p in pts if p["routes"] == 1}.values(),
                      key=lambda p: p["search"])
        for ax, unit, title in ((axes[2][0], "instr", "instructions per ACK"),
                                (axes[2][1], "ns", "ns per ACK (fastest of 5)")):
            for series, xs, lab, mk in ((by_r, "routes", "routes (1 search domain)", "o-"),
                                        (by_s, "search", "search domains (1 route)", "s-")):
                for what, alpha in (("ack", 1.0), ("build", 0.5)):
                    ys = [p.get(f"{what}_{unit}") for p in series]
                    if any(y is None for y in ys):
                        continue
                    ax.plot([p[xs] for p in series], ys, mk, alpha=alpha, markersize=3,
                            label=f"{'exchange' if what == 'ack' else 'build (once)'}: {lab}")
            ax.set_title(f"reply cost against the lease: {title}")
            ax.set_xlabel("routes / search domains in the lease")
            ax.set_ylim(bottom=0)
            ax.legend(fontsize=7)
    ax = axes[2][2]
    ax.axis("off")
    notes = []
    rr = (h or {}).get("responder_ready_ms") or {}
    if rr.get("responder"):
        notes.append(f"responder exec to ready: {fmt(rr['responder'], ' ms', 2)}")
    if h and h.get("floor", {}).get("prepare"):
        for op in ("prepare", "release"):
            notes.append(f"{op}: podnet {fmt(h['podnet'][op], ' ms', 1)}, "
                         f"floor {fmt(h['floor'][op], ' ms', 1)}")
    tm = (h or {}).get("timing") or {}
    for op in ("prepare", "release"):
        if tm.get(op):
            notes.append(f"{op} steps (PODNET_TIMING=1), median ms:")
            notes.extend(f"  {k:24} {v['median']:.2f}" for k, v in tm[op].items())
    if notes:
        ax.text(0.0, 1.0, "\n".join(notes), transform=ax.transAxes, va="top", fontsize=7,
                family="monospace")
    fig.suptitle(f"podnet bench — {res['machine']['cpu']}, {res['machine']['cores']} cores, "
                 f"{res['machine']['when']}")
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def machine():
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) / 1024 / 1024
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_gib": round(mem),
            "kernel": platform.release(), "when": time.strftime("%Y-%m-%d %H:%M UTC",
                                                                time.gmtime())}


def needed_libs(path):
    p = run(["readelf", "-d", path], check=False)
    return re.findall(r"\(NEEDED\)\s+Shared library: \[(.*?)\]", p.stdout)


def binaries():
    """What each measured program is: size, static or not, its shared
    libraries (readelf -d): the PSS and start-up figures depend on it."""
    out = {}
    for name, path in (("podnet", PODNET), ("podnet-responder", RESPONDER),
                       ("netlink_floor", FLOOR), ("dnsmasq", shutil.which("dnsmasq")),
                       ("busybox", BUSYBOX)):
        if not path or not os.path.exists(path):
            continue
        p = run(["readelf", "-d", "-h", path], check=False)
        needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.*?)\]", p.stdout)
        etype = re.search(r"Type:\s+(\w+)", p.stdout)
        out[name] = {"path": os.path.relpath(path, REPO) if path.startswith(REPO) else path,
                     "bytes": os.path.getsize(path), "needed": needed,
                     "elf_type": etype.group(1) if etype else "?",
                     "interp": "program interpreter" in run(["readelf", "-l", path],
                                                              check=False).stdout}
    return out


def versions():
    v = {}
    for name, cmd in (("dnsmasq", ["dnsmasq", "--version"]), ("iperf3", ["iperf3", "-v"]),
                      ("pasta", ["pasta", "--version"])):
        p = run(cmd, check=False) if shutil.which(cmd[0]) else None
        v[name] = p.stdout.splitlines()[0] if p and p.stdout else "?"
    p = run(["git", "-C", REPO, "describe", "--always", "--dirty"], check=False)
    v["podnet"] = p.stdout.strip()
    p = run([BUSYBOX], check=False)
    v["busybox"] = (p.stdout or p.stderr).splitlines()[0] if (p.stdout or p.stderr) else "?"
    return v


def main():
    os.makedirs(OUT, exist_ok=True)
    if len(sys.argv) > 1 and sys.argv[1] == "--markdown":
        with open(os.path.join(OUT, "results.json")) as f:
            print(markdown(json.load(f)))
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "--report":
        with open(os.path.join(OUT, "results.json")) as f:
            res = json.load(f)
        print(table(res))
        plot(res, os.path.join(OUT, "results.png"))
        return 0
    if os.geteuid() != 0:
        log("needs root (network namespaces); nothing measured")
        return 0
    # The data path needs only the hook and tcp_rr (BENCH_ONLY=datapath).
    needed = [PODNET, TCP_RR]
    if ONLY - {"datapath"}:
        needed += [PODNET_NOLIMIT, LOAD, WIRE, NOOP, EXEC_READY]
    for b in needed:
        if not os.access(b, os.X_OK):
            log(f"{b} is missing: run `make bench`")
            return 1
    lab = Lab()

    def on_signal(sig, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_signal)
    res = {"machine": machine(), "versions": versions(), "binaries": binaries(),
           "config": {"rounds": ROUNDS, "seconds": SECONDS, "depth": DEPTH, "pods": PODS,
                      "attack_n": ATTACK_N, "attack_rounds": ATTACK_ROUNDS,
                      "hook_rounds": HOOK_ROUNDS, "callgrind_n": CG_N,
                      "timing_rounds": TIMING_ROUNDS, "exec_rounds": EXEC_ROUNDS,
                      "reply_n": REPLY_N, "dp_rounds": DP_ROUNDS,
                      "dp_seconds": DP_SECONDS},
           "errors": {}}
    t0 = time.time()
    try:
        for name, fn in (("dhcp", bench_dhcp), ("attack", bench_attack),
                         ("scale", bench_scale), ("hook", bench_hook),
                         ("callgrind", bench_callgrind), ("reply", bench_reply),
                         ("datapath", bench_datapath)):
            if name not in ONLY:
                continue
            log(f"section {name}")
            ts = time.time()
            try:
                fn(lab, res)
            except KeyboardInterrupt:
                raise
            except Exception as e:  # measure what can be measured
                log(f"section {name} failed: {e!r}")
                res["errors"][name] = repr(e)
            finally:
                lab.cleanup()
                lab = Lab()
            log(f"section {name}: {time.time() - ts:.0f} s")
    except KeyboardInterrupt:
        log("interrupted; cleaning up")
    finally:
        lab.cleanup()
    res["seconds"] = round(time.time() - t0)
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
    print(table(res))
    try:
        plot(res, os.path.join(OUT, "results.png"))
    except Exception as e:
        log(f"plot failed: {e!r}")
    log(f"wrote {OUT}/results.json and results.png in {res['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
