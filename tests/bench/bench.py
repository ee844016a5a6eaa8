#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""`make bench`: measure podnet against dnsmasq and a no-op hook, side by side.

Prints a text table and writes build/bench/results.json and results.png.
It measures and never fails a test run (exit 0 unless it cannot run at all).

Sections (BENCH_ONLY=dhcp,attack,scale,hook,callgrind picks some):
  dhcp       exchanges/s and latency, closed loop and pipelined: podnet's
             responder as built (50 replies/s limit), podnet built without
             the limit, dnsmasq (dhcp-host + shared-network, same options)
  attack     legitimate exchanges completed of BENCH_ATTACK_N while another
             sender on the bridge floods, or sends malformed requests
  scale      RSS and PSS of 1..N pods, each one namespace + server; prepare
             time against the number of pods already running
  hook       what the hook's prepare and release cost, run exactly as
             libvirt runs it, against a no-op hook and a shell hook (ip +
             dnsmasq); a callgrind breakdown of prepare
  callgrind  instructions per exchange: the responder's pure wire work, the
             responder process itself, and dnsmasq

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

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(REPO, "build")
OUT = os.path.join(BUILD, "bench")
PODNET = os.path.join(BUILD, "podnet")
PODNET_NOLIMIT = os.path.join(OUT, "nolimit", "podnet")
LOAD = os.path.join(BUILD, "tests", "bench", "dhcp_load")
WIRE = os.path.join(BUILD, "tests", "bench", "wire_bench")
NOOP = os.path.join(BUILD, "tests", "bench", "noop_hook")
PODNET_NOSECCOMP = os.path.join(OUT, "noseccomp", "podnet")
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
CG_N = env_int("BENCH_CALLGRIND_N", 200)
ONLY = set(os.environ.get("BENCH_ONLY", "dhcp,attack,scale,hook,callgrind").split(","))

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
        self.tmp = tempfile.mkdtemp(prefix="podnet-bench.")
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
    would; KIND podnet|podnet-nolimit|dnsmasq decides the hook at prepare."""

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

    def hook_cmd(self, op, sub, binary=None):
        env = ["LC_ALL=C", HOOK_PATH, "HOME=/root"]
        if binary is None:
            if self.kind == "dnsmasq":
                binary = SHELL_HOOK
            elif self.kind == "podnet-nolimit":
                binary = PODNET_NOLIMIT
            else:
                binary = PODNET
        env.append(f"PODNET_STATE_DIR={self.state}" if binary != SHELL_HOOK
                   else f"BENCH_SHELL_DIR={self.state}")
        return ["ip", "netns", "exec", self.name, "env", "-i", *env, binary,
                self.dom, op, sub, "-"]

    def hook(self, op, sub, binary=None):
        """Runs the hook as libvirt does; returns (exit status, seconds, stderr)."""
        cmd = self.hook_cmd(op, sub, binary)
        t0 = time.perf_counter()
        p = subprocess.run(cmd, input=self.xml, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, cwd="/", timeout=120)
        dt = time.perf_counter() - t0
        return p.returncode, dt, p.stderr.strip()

    def prepare(self):
        rc, dt, err = self.hook("prepare", "begin")
        if rc != 0:
            raise RuntimeError(f"{self.kind} prepare in {self.name} failed: {err}")
        self.prepared = True
        self.lab.defer(self.release)
        return dt

    def release(self):
        if not self.prepared:
            return None
        self.prepared = False
        rc, dt, err = self.hook("release", "end")
        if rc != 0:
            log(f"{self.kind} release in {self.name}: {err}")
        return dt

    def server_pids(self):
        want = "dnsmasq" if self.kind == "dnsmasq" else "podnet-responder"
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
        p = run(["ip", "netns", "exec", ns or self.vm, LOAD, "-i", "eth0", *args],
                check=False, timeout=600)
        try:
            return json.loads(p.stdout)
        except ValueError:
            log(f"dhcp_load {' '.join(args)}: {p.stderr.strip()}")
            return None


def make_node(lab):
    node = lab.ns("node")
    return node


# -------------------------------------------------------------------- dhcp
def bench_dhcp(lab, res):
    node = make_node(lab)
    kinds = ["podnet", "podnet-nolimit", "dnsmasq"]
    servers = {k: Server(lab, node, k, i) for i, k in enumerate(kinds)}
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
        for k in ("podnet", "podnet-nolimit"):
            out[m][f"{k}/dnsmasq"] = {
                "rate": stats([a["rate"] / b["rate"] for a, b in zip(raw[m][k], raw[m]["dnsmasq"])
                               if a and b and b["rate"] > 0]),
                "p99_us": stats([a["p99_us"] / b["p99_us"] for a, b in
                                 zip(raw[m][k], raw[m]["dnsmasq"])
                                 if a and b and a["p99_us"] > 0 and b["p99_us"] > 0]),
            }
    out["raw"] = raw
    res["dhcp"] = out
    for s in servers.values():
        s.pod.release()


# ------------------------------------------------------------------ attack
def bench_attack(lab, res):
    node = make_node(lab)
    kinds = ["podnet", "dnsmasq"]
    servers = {k: Server(lab, node, k, 10 + i, attacker=True) for i, k in enumerate(kinds)}
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
                cpu0 = proc_cpu_seconds(pid) if pid else None
                t0 = time.perf_counter()
                legit = s.load(["-m", "closed", "-n", str(ATTACK_N), "-g", "100",
                                "-t", "1000", "-d", "120"])
                dt = time.perf_counter() - t0
                cpu1 = proc_cpu_seconds(pid) if pid else None
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
                    "server_cpu": (cpu1 - cpu0) / dt if cpu0 is not None and cpu1 is not None
                    else None,
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
    for s in servers.values():
        s.pod.release()


# ------------------------------------------------------------------- scale
def bench_scale(lab, res):
    node = make_node(lab)
    kinds = ["podnet", "dnsmasq"]
    pods = {k: [] for k in kinds}
    prep = {k: [] for k in kinds}
    points = []
    top = max(PODS)
    for i in range(1, top + 1):
        order = kinds if i % 2 else kinds[::-1]
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
                }
            points.append(pt)
            log(f"scale {i} pods: podnet PSS/pod {pt['podnet']['pss_per_kb']:.0f} kB, "
                f"dnsmasq {pt['dnsmasq']['pss_per_kb']:.0f} kB")
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
    res["scale"] = {"points": points, "prepare_ms": buckets,
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
            "bridge_prepare_iface", "spawn_responder"]
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
    """Starts `podnet-responder --responder UUID` (the one beside the hook
    @binary) as spawn_responder() does (fd 3 the ready pipe); returns
    (Popen, ready line, seconds to ready)."""
    binary = os.path.join(os.path.dirname(binary), "podnet-responder")
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
    """Wall time from exec to "ready" of the responder alone (what prepare
    waits for after the bridge is built), against `ip netns exec POD true`."""
    pod.prepare()
    Lab.kill_pids(pod.server_pids())
    ready, base = [], []
    for _ in range(HOOK_ROUNDS):
        t0 = time.perf_counter()
        run(["ip", "netns", "exec", pod.name, "sh", "-c", "exec true"])
        base.append((time.perf_counter() - t0) * 1000)
        p, line, dt = start_responder(pod, PODNET)
        if line.startswith("ready"):
            ready.append(dt * 1000)
        Lab.kill_pids([p.pid])
        p.wait()
    pod.release()
    return {"responder": stats(ready), "ip_netns_exec_true": stats(base),
            "added": stats([a - b for a, b in zip(ready, base)])}


def bench_hook(lab, res):
    node = make_node(lab)
    pod = Pod(lab, node, "podnet", 1)
    variants = {"noop": NOOP, "podnet": PODNET, "shell": SHELL_HOOK}
    raw = {v: {"prepare": [], "release": []} for v in variants}
    for r in range(HOOK_ROUNDS + 1):
        names = list(variants)
        order = names[r % 3:] + names[:r % 3]
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
                     "prepare+release cycles; no libvirtd/guest"}
    for v in variants:
        out[v] = {op: stats(raw[v][op]) for op in ("prepare", "release")}
    for v in ("podnet", "shell"):
        for op in ("prepare", "release"):
            out[f"{v}-noop"] = out.get(f"{v}-noop", {})
            out[f"{v}-noop"][op] = stats([a - b for a, b in zip(raw[v][op], raw["noop"][op])])
            out[f"{v}/noop"] = out.get(f"{v}/noop", {})
            out[f"{v}/noop"][op] = stats([a / b for a, b in zip(raw[v][op], raw["noop"][op])])
    out["podnet/shell"] = {op: stats([a / b for a, b in zip(raw["podnet"][op], raw["shell"][op])])
                           for op in ("prepare", "release")}
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
    else:
        env = ["env", "-i", HOOK_PATH, f"PODNET_STATE_DIR={s.pod.state}"]
        binary = PODNET_NOLIMIT if s.kind == "podnet-nolimit" else PODNET
        if mode == "noseccomp":
            # Built with NOSECCOMP=1: an empty seccomp program (the
            # responder is static and links no libseccomp to shim).
            binary = PODNET_NOSECCOMP
        p, ready, _ = start_responder(s.pod, binary, env[4:], vg)
        if not ready.startswith("ready"):
            p.kill()
            p.communicate()
            return (f"the responder did not start under valgrind: '{ready}' (valgrind "
                    "does not implement seccomp(), so seccomp_init() fails)")
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
    return total


def bench_callgrind(lab, res):
    out = {"n": CG_N}
    w = {}
    for n in (0, CG_N * 10):
        o = os.path.join(lab.tmp, f"cg-wire-{n}.out")
        run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={o}", WIRE, str(n)])
        w[n] = callgrind_total(o)
    out["wire_per_exchange"] = (w[CG_N * 10] - w[0]) / (CG_N * 10)
    node = make_node(lab)
    servers = {k: Server(lab, node, k, 20 + i)
               for i, k in enumerate(["podnet-nolimit", "dnsmasq"])}
    runs = {}
    for label, k, mode in (("podnet (seccomp on)", "podnet-nolimit", "seccomp"),
                           ("podnet", "podnet-nolimit", "noseccomp"),
                           ("dnsmasq", "dnsmasq", "-")):
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
    for s in servers.values():
        s.pod.release()


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
             "median [min-max] over alternating rounds; ratios are per round",
             ""]
    d = res.get("dhcp")
    if d:
        lines.append(f"1. DHCP service, {ROUNDS} rounds x {SECONDS:g} s, one client "
                     f"(pipelined: {DEPTH} xids outstanding)")
        lines.append(f"   {'':16}{'exchanges/s':>24}{'p50 us':>22}{'p99 us':>24}")
        for m in ("closed", "pipelined"):
            for k in ("podnet", "podnet-nolimit", "dnsmasq"):
                x = d[m][k]
                lines.append(f"   {m[:4]} {k:15}{fmt(x['rate']):>20}"
                             f"{fmt(x['p50_us']):>22}{fmt(x['p99_us']):>24}")
            for k in ("podnet", "podnet-nolimit"):
                x = d[m][f"{k}/dnsmasq"]
                lines.append(f"   {m[:4]} {k + '/dnsmasq':22} rate x{fmt(x['rate'], '', 2)}"
                             f"  p99 x{fmt(x['p99_us'], '', 2)}")
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
        lines.append("3. Footprint and scale (one namespace + server per pod)")
        lines.append(f"   {'pods':>5} {'podnet RSS/PSS total kB':>26} {'PSS/pod':>8}"
                     f" {'dnsmasq RSS/PSS total kB':>26} {'PSS/pod':>8} {'PSS ratio':>9}")
        for pt in s["points"]:
            p, q = pt["podnet"], pt["dnsmasq"]
            ratio = p["pss_kb"] / q["pss_kb"] if q["pss_kb"] else float("nan")
            lines.append(f"   {pt['pods']:>5} {p['rss_kb']:>14}/{p['pss_kb']:<11} "
                         f"{p['pss_per_kb']:>8.0f} {q['rss_kb']:>14}/{q['pss_kb']:<11} "
                         f"{q['pss_per_kb']:>8.0f} {ratio:>9.2f}")
        lines.append("   prepare ms by pods already running (podnet | shell ip+dnsmasq):")
        for b in s["prepare_ms"]:
            lines.append(f"   {b['pods_running']:>9}: {fmt(b['podnet'], '', 1):>24} | "
                         f"{fmt(b['dnsmasq'], '', 1)}")
        lines.append(f"   release ms: podnet {fmt(s['release_ms']['podnet'], '', 1)} | "
                     f"shell {fmt(s['release_ms']['dnsmasq'], '', 1)}")
        lines.append("")
    h = res.get("hook")
    if h:
        lines.append(f"4. Hook cost, {HOOK_ROUNDS} alternating rounds, {h['runner']}")
        for v in ("noop", "podnet", "shell"):
            lines.append(f"   {v:7} prepare {fmt(h[v]['prepare'], ' ms', 1):>26}"
                         f"   release {fmt(h[v]['release'], ' ms', 1):>26}")
        for v in ("podnet", "shell"):
            lines.append(f"   {v} adds: prepare {fmt(h[v + '-noop']['prepare'], ' ms', 1)}"
                         f", release {fmt(h[v + '-noop']['release'], ' ms', 1)}")
        lines.append(f"   podnet/shell: prepare x{fmt(h['podnet/shell']['prepare'], '', 2)}, "
                     f"release x{fmt(h['podnet/shell']['release'], '', 2)}")
        rr = h.get("responder_ready_ms")
        if rr:
            lines.append(f"   responder exec to ready: {fmt(rr['responder'], ' ms', 1)}, "
                         f"minus `ip netns exec true`: {fmt(rr['added'], ' ms', 1)}")
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
    return "\n".join(lines)


def plot(res, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 3, figsize=(17, 9))
    colors = {"podnet": "tab:blue", "podnet-nolimit": "tab:cyan", "dnsmasq": "tab:orange",
              "shell": "tab:orange", "noop": "tab:gray"}

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
        ks = ("podnet", "podnet-nolimit", "dnsmasq")
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
        for k in ("podnet", "dnsmasq"):
            ax.plot([p["pods"] for p in s["points"]], [p[k]["pss_per_kb"] for p in s["points"]],
                    "o-", label=f"{k} PSS/pod", color=colors[k])
            ax.plot([p["pods"] for p in s["points"]], [p[k]["rss_per_kb"] for p in s["points"]],
                    "x--", label=f"{k} RSS/pod", color=colors[k], alpha=0.5)
        ax.set_xscale("log")
        ax.set_title("memory per pod server")
        ax.set_xlabel("pods")
        ax.set_ylabel("kB")
        ax.legend(fontsize=8)
        bars(axes[1][1], [b["pods_running"] for b in s["prepare_ms"]],
             {k: [b[k] for b in s["prepare_ms"]] for k in ("podnet", "dnsmasq")},
             "prepare time by pods already running", "ms")
    h = res.get("hook")
    c = res.get("callgrind")
    if h:
        bars(axes[1][2], ["prepare", "release"],
             {v: [h[v]["prepare"], h[v]["release"]] for v in ("noop", "podnet", "shell")},
             "hook run as libvirt runs it", "ms")
        if c:
            txt = "instructions/exchange\n" + "\n".join(
                f"{k}: {v['per_exchange']:.0f}" for k, v in c["servers"].items()
                if "per_exchange" in v)
            axes[1][2].text(0.30, 0.97, txt, transform=axes[1][2].transAxes, va="top",
                            fontsize=8, family="monospace")
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


def versions():
    v = {}
    p = run(["dnsmasq", "--version"], check=False)
    v["dnsmasq"] = p.stdout.splitlines()[0] if p.stdout else "?"
    p = run(["git", "-C", REPO, "describe", "--always", "--dirty"], check=False)
    v["podnet"] = p.stdout.strip()
    return v


def main():
    os.makedirs(OUT, exist_ok=True)
    if len(sys.argv) > 1 and sys.argv[1] == "--report":
        with open(os.path.join(OUT, "results.json")) as f:
            res = json.load(f)
        print(table(res))
        plot(res, os.path.join(OUT, "results.png"))
        return 0
    if os.geteuid() != 0:
        log("needs root (network namespaces); nothing measured")
        return 0
    for b in (PODNET, PODNET_NOLIMIT, PODNET_NOSECCOMP, LOAD, WIRE, NOOP):
        if not os.access(b, os.X_OK):
            log(f"{b} is missing: run `make bench`")
            return 1
    lab = Lab()

    def on_signal(sig, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_signal)
    res = {"machine": machine(), "versions": versions(),
           "config": {"rounds": ROUNDS, "seconds": SECONDS, "depth": DEPTH, "pods": PODS,
                      "attack_n": ATTACK_N, "attack_rounds": ATTACK_ROUNDS,
                      "hook_rounds": HOOK_ROUNDS, "callgrind_n": CG_N},
           "errors": {}}
    t0 = time.time()
    try:
        for name, fn in (("dhcp", bench_dhcp), ("attack", bench_attack),
                         ("scale", bench_scale), ("hook", bench_hook),
                         ("callgrind", bench_callgrind)):
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
