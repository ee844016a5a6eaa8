# SPDX-License-Identifier: GPL-2.0-or-later
"""`make bench`'s data-path section (BENCH_ONLY=datapath): TCP throughput
both ways (iperf3) and TCP request/response (tcp_rr.c: one connection, 1-byte
request and response) from the node namespace to a server

  floor        in the pod itself, on the pod's eth0 (its veth only);
  podnet       in a fake VM behind podnet's bridge: a namespace whose veth
               carries the VM's MAC and the pod's address, as the tap would,
               the pod prepared by the real hook run as libvirt runs it;
               podnet's guest filter on (the default), and
               net.bridge.bridge-nf-call-* off (prepare turns them off);
  podnet-nofilter  the same, the tag's guest-filter="off";
  podnet-brnf1 the same as podnet, bridge-nf-call-{ip,ip6,arp}tables set
               back to 1 after prepare: as a new namespace has them where
               br_netfilter is in the kernel, and as they stay where
               /proc/sys is read-only (what turning them off wins);
  pasta        in a namespace behind pasta (Debian's passt) run in the pod,
               the servers' ports forwarded (-t).

Every pod is the CNI `bridge` plugin's (tests/lib/cni.sh, the real plugin in
the node namespace), one node, one pod per variant, all up at once; each pod
carries the same small iptables ruleset (iptables-nft, the pod's own
namespace: conntrack state and a few port rules, as a pod's sidecar or
policy would), which is what br_netfilter sends bridged frames through.
Rounds alternate the order; ratios to the floor are taken per round.
"""
import json
import os
import subprocess
import time

IPERF_PORT, RR_PORT = 5201, 5301
GW = "198.51.100.1"
PREFIX = 24
# Each fake VM its own MAC (52:54:00:12:34:NN): they share the node's cni0.
VM_MAC_PREFIX = "52:54:00:12:34:"
BRIDGE = "pn-eth0"
SYSCTLS_BRNF = ("net.bridge.bridge-nf-call-iptables", "net.bridge.bridge-nf-call-ip6tables",
                "net.bridge.bridge-nf-call-arptables")
# A pod's own ruleset, small and ordinary: what a sidecar or a policy agent
# leaves in the pod's namespace. The conntrack match makes conntrack track
# every packet the hooks see.
POD_RULES = """*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp --dport 22 -j DROP
-A INPUT -p tcp --dport 9100 -j DROP
-A FORWARD -m conntrack --ctstate INVALID -j DROP
-A FORWARD -p tcp --dport 23 -j DROP
-A OUTPUT -p tcp --dport 25 -j DROP
COMMIT
"""


def pod_xml(name, uuid, mac, filter_attr=""):
    return f"""<domain type='qemu'>
  <name>{name}</name>
  <uuid>{uuid}</uuid>
  <metadata>
    <podnet:network xmlns:podnet="urn:podnet:xmlns:1" hostname="{name}">
      <podnet:interface mac="{mac}" pod-interface="eth0"{filter_attr}/>
    </podnet:network>
  </metadata>
  <devices>
    <interface type='bridge'>
      <mac address='{mac}'/>
      <source bridge='{BRIDGE}'/>
      <model type='virtio'/>
    </interface>
  </devices>
</domain>
"""


class Target:
    """One variant: a CNI bridge pod and where its servers run."""

    def __init__(self, ctx, kind, ip):
        self.ctx, self.kind, self.ip = ctx, kind, ip
        self.lab = ctx.lab
        self.pod = self.lab.ns("dpod")
        self.procs = []
        self.prepared = False
        self.facts = {"brnf": ctx.read(["ip", "netns", "exec", self.pod, "sh", "-c",
                                        "cat /proc/sys/net/bridge/bridge-nf-call-* "
                                        "2>/dev/null || true"]).split()}
        out = ctx.run(["bash", "-c", '. "$1/tests/lib/cni.sh" && cni_pod_make bridge '
                       '"$2" "$3" "$4" "$5"', "_", ctx.repo, ctx.node, self.pod,
                       os.path.join(self.lab.tmp, "cni"), ip], check=False)
        if out.returncode != 0:
            raise RuntimeError(f"cni bridge pod {self.pod}: {out.stderr.strip()}")
        self.rules()
        if kind == "floor":
            self.server_ns = self.pod
        elif kind.startswith("podnet"):
            self.server_ns = self.fake_vm()
        elif kind == "pasta":
            self.server_ns = self.pasta_ns()
        if kind == "pasta":
            self.start_servers_pasta()
        else:
            self.start_servers(self.server_ns)

    def rules(self):
        p = subprocess.run(["ip", "netns", "exec", self.pod, "iptables-nft-restore"],
                           input=POD_RULES, text=True, stderr=subprocess.PIPE)
        if p.returncode != 0:
            raise RuntimeError(f"iptables-nft-restore in {self.pod}: {p.stderr.strip()}")

    def hook(self, op, sub):
        env = ["LC_ALL=C", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root",
               f"PODNET_STATE_DIR={self.state}"]
        p = subprocess.run(["ip", "netns", "exec", self.pod, "env", "-i", *env,
                            self.ctx.podnet, self.dom, op, sub, "-"], input=self.xml,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           cwd="/", timeout=120)
        if p.returncode != 0:
            raise RuntimeError(f"podnet {op} in {self.pod}: {p.stderr.strip()}")

    def fake_vm(self):
        import uuid as uuidlib
        self.dom = f"dp-{self.kind}"
        self.state = os.path.join(self.lab.tmp, f"state-{self.pod}")
        os.makedirs(self.state)
        attr = ' guest-filter="off"' if self.kind.endswith("nofilter") else ""
        self.mac = VM_MAC_PREFIX + self.ip.split(".")[-1]
        self.xml = pod_xml(self.dom, str(uuidlib.uuid4()), self.mac, attr)
        self.hook("prepare", "begin")
        if self.kind == "podnet-brnf1":
            self.brnf(1)
        # What the variant really runs with: the guest filter's table, and
        # the sysctls.
        tables = self.ctx.run(["ip", "netns", "exec", self.pod, "nft", "list", "tables"],
                              check=False).stdout
        self.facts = {"guest_filter": f"bridge podnet-{BRIDGE}" in tables,
                      "brnf": self.ctx.read(["ip", "netns", "exec", self.pod, "sh", "-c",
                                             "cat /proc/sys/net/bridge/bridge-nf-call-*"]
                                            ).split()}
        self.prepared = True
        self.lab.defer(self.release)
        vm = self.lab.ns("dvm")
        mtu = self.ctx.read(["ip", "-n", self.pod, "-j", "link", "show", "eth0"])
        mtu = json.loads(mtu)[0]["mtu"]
        # The tap libvirt would make: a port of the bridge, the VM's MAC on
        # the guest side, the pod's address and gateway inside.
        cmds = [["ip", "-n", self.pod, "link", "add", "vmtap", "type", "veth", "peer", "name",
                 "eth0", "address", self.mac, "mtu", str(mtu), "netns", vm],
                ["ip", "-n", self.pod, "link", "set", "vmtap", "mtu", str(mtu), "master",
                 BRIDGE, "up"],
                ["ip", "-n", vm, "link", "set", "eth0", "up"],
                ["ip", "-n", vm, "addr", "add", f"{self.ip}/{PREFIX}", "dev", "eth0"],
                ["ip", "-n", vm, "route", "add", "default", "via", GW]]
        for c in cmds:
            self.ctx.run(c)
        return vm

    def release(self):
        if self.prepared:
            self.prepared = False
            self.hook("release", "end")

    def brnf(self, value):
        for s in SYSCTLS_BRNF:
            self.ctx.run(["ip", "netns", "exec", self.pod, "sysctl", "-qw", f"{s}={value}"])

    def pasta_ns(self):
        ns = self.lab.ns("dpasta")
        # pasta forwards the pod's ports into @ns and copies the pod's
        # address and routes there (--config-net), as podman runs it.
        # --runas 0: Debian 12's pasta, dropped to nobody, cannot join a
        # namespace root made ("Couldn't switch to pasta namespaces").
        ports = f"{IPERF_PORT},{RR_PORT}"
        p = self.ctx.popen(["ip", "netns", "exec", self.pod, "pasta", "-f", "-q",
                            "--runas", "0", "--config-net", "-t", ports, "-u", "none", "-T", "none",
                            "-U", "none", "--netns", f"/run/netns/{ns}"])
        self.procs.append(p)
        return ns

    def start_servers_pasta(self):
        self.start_servers(self.server_ns)

    def start_servers(self, ns):
        self.procs.append(self.ctx.popen(["ip", "netns", "exec", ns, "iperf3", "-s", "-p",
                                          str(IPERF_PORT)]))
        # `ip netns exec` execs the command: the pid is tcp_rr's.
        self.rr_server = self.ctx.popen(["ip", "netns", "exec", ns, self.ctx.tcp_rr,
                                         "server", str(RR_PORT)])
        self.procs.append(self.rr_server)

    def relay_pids(self):
        """Processes that carry the data besides the client and server
        (pasta), whose CPU time belongs to the path's cost."""
        return [self.procs[0].pid] if self.kind == "pasta" else []

    def wait_ready(self):
        """True once both servers answer from the node."""
        deadline = time.time() + 10
        while time.time() < deadline:
            p = subprocess.run(["ip", "netns", "exec", self.ctx.node, self.ctx.tcp_rr,
                                "client", self.ip, str(RR_PORT), "0.05"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if p.returncode == 0:
                return True
            time.sleep(0.2)
        return False


class Ctx:
    def __init__(self, lab, repo, podnet, tcp_rr, run, log):
        self.lab, self.repo, self.podnet, self.tcp_rr = lab, repo, podnet, tcp_rr
        self.run, self.log = run, log
        self.node = lab.ns("dnode")

    def read(self, cmd):
        return self.run(cmd).stdout

    def popen(self, cmd):
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.lab.defer(lambda: stop(p))
        return p


def stop(p):
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def cpu_s(pids):
    """User + system seconds of @pids so far (/proc/PID/stat)."""
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(") ", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            pass
    return total


def iperf(ctx, ip, seconds, reverse, relay=()):
    """(Gbit/s, CPU µs per MB: iperf3's client and server, and @relay)."""
    cmd = ["ip", "netns", "exec", ctx.node, "iperf3", "-c", ip, "-p", str(IPERF_PORT),
           "-t", str(seconds), "-J"]
    if reverse:
        cmd.append("-R")
    c0 = cpu_s(relay)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=seconds + 30)
    c1 = cpu_s(relay)
    try:
        j = json.loads(p.stdout)
        e = j["end"]
        cpu = e["cpu_utilization_percent"]
        secs = e["sum_received"]["seconds"]
        mb = e["sum_received"]["bytes"] / 1e6
        used = (cpu["host_total"] + cpu["remote_total"]) / 100 * secs + (c1 - c0)
        return e["sum_received"]["bits_per_second"] / 1e9, used / mb * 1e6
    except (ValueError, KeyError, ZeroDivisionError):
        ctx.log(f"iperf3 to {ip}{' -R' if reverse else ''}: {p.stderr.strip() or p.stdout[-200:]}")
        return None, None


def rr(ctx, ip, seconds, others=()):
    """tcp_rr's figures, cpu_us made the client's, the server's and @others'
    CPU per transaction."""
    c0 = cpu_s(others)
    p = subprocess.run(["ip", "netns", "exec", ctx.node, ctx.tcp_rr, "client", ip,
                        str(RR_PORT), str(seconds)], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=seconds + 30)
    c1 = cpu_s(others)
    try:
        x = json.loads(p.stdout)
        x["cpu_us"] += (c1 - c0) / x["transactions"] * 1e6
        return x
    except (ValueError, KeyError, ZeroDivisionError):
        ctx.log(f"tcp_rr to {ip}: {p.stderr.strip()}")
        return None


def default_brnf():
    """The br_netfilter sysctls as a fresh namespace gets them (None where
    the kernel has no br_netfilter)."""
    p = subprocess.run(["unshare", "-n", "sh", "-c",
                        "cat /proc/sys/net/bridge/bridge-nf-call-iptables "
                        "/proc/sys/net/bridge/bridge-nf-call-ip6tables "
                        "/proc/sys/net/bridge/bridge-nf-call-arptables"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        return None
    return dict(zip(("iptables", "ip6tables", "arptables"), p.stdout.split()))


def variants():
    v = os.environ.get("BENCH_DP_VARIANTS",
                       "floor podnet podnet-nofilter podnet-brnf1 pasta").split()
    if "floor" not in v:
        v.insert(0, "floor")
    return v


def bench(lab, res, *, repo, podnet, tcp_rr, run, log, stats, rounds, seconds):
    ctx = Ctx(lab, repo, podnet, tcp_rr, run, log)
    kinds = variants()
    targets = {}
    for i, k in enumerate(kinds):
        targets[k] = Target(ctx, k, f"198.51.100.{10 + i}")
    for k, t in targets.items():
        if not t.wait_ready():
            raise RuntimeError(f"the {k} servers do not answer from the node")
    figures = ("in_gbps", "out_gbps", "rr_tps", "rr_mean_us", "rr_p50_us", "rr_p99_us",
               "in_cpu_us_mb", "out_cpu_us_mb", "rr_cpu_us")
    raw = {k: {f: [] for f in figures} for k in kinds}
    for r in range(rounds):
        order = kinds[r % len(kinds):] + kinds[:r % len(kinds)]
        if r % 2:
            order.reverse()
        for k in order:
            t = targets[k]
            for d, rev in (("in", False), ("out", True)):
                g, c = iperf(ctx, t.ip, seconds, rev, t.relay_pids())
                raw[k][f"{d}_gbps"].append(g)
                raw[k][f"{d}_cpu_us_mb"].append(c)
            x = rr(ctx, t.ip, seconds, [t.rr_server.pid, *t.relay_pids()])
            raw[k]["rr_cpu_us"].append(x["cpu_us"] if x else None)
            raw[k]["rr_tps"].append(x["tps"] if x else None)
            raw[k]["rr_mean_us"].append(x["mean_us"] if x else None)
            raw[k]["rr_p50_us"].append(x["p50_us"] if x else None)
            raw[k]["rr_p99_us"].append(x["p99_us"] if x else None)
        log(f"datapath round {r + 1}/{rounds}: " + ", ".join(
            f"{k} {fmt1(raw[k]['in_gbps'][-1])}/{fmt1(raw[k]['out_gbps'][-1])} Gbit/s "
            f"{fmt1(raw[k]['rr_tps'][-1], 0)} tps" for k in kinds))
    out = {"variants": kinds, "brnf_default": default_brnf(), "raw": raw,
           "facts": {k: t.facts for k, t in targets.items()},
           "rounds": rounds, "seconds": seconds}
    for k in kinds:
        out[k] = {f: stats(raw[k][f]) for f in figures}
        out[f"{k}/floor"] = {f: stats([a / b for a, b in zip(raw[k][f], raw["floor"][f])
                                       if a is not None and b])
                             for f in figures}
    res["datapath"] = out


def fmt1(x, prec=2):
    return "n/a" if x is None else f"{x:.{prec}f}"


LABELS = {"floor": "pod's own veth (floor)",
          "podnet": "fake VM behind podnet's bridge, guest filter on",
          "podnet-nofilter": "fake VM behind podnet's bridge, guest filter off",
          "podnet-brnf1": "podnet, guest filter on, bridge-nf-call-* left at 1",
          "pasta": "namespace behind pasta (port-forwarded)"}


def cell(x, prec):
    if not x or x.get("median") is None:
        return "n/a"
    return f"{x['median']:,.{prec}f} [{x['min']:,.{prec}f}-{x['max']:,.{prec}f}]"


# (figure, header, precision of a value, precision of a ratio)
COLUMNS = (("in_gbps", "node->server Gbit/s", 2, 2), ("out_gbps", "server->node Gbit/s", 2, 2),
           ("rr_tps", "RR transactions/s", 0, 2), ("rr_mean_us", "RR mean us", 1, 2),
           ("rr_p50_us", "RR p50 us", 1, 2), ("rr_p99_us", "RR p99 us", 1, 2),
           ("in_cpu_us_mb", "CPU us/MB node->server", 0, 2),
           ("out_cpu_us_mb", "CPU us/MB server->node", 0, 2),
           ("rr_cpu_us", "CPU us/transaction", 1, 2))


def table(res):
    d = res.get("datapath")
    if not d:
        return []
    lines = [f"7. data path from the node, {d['rounds']} rounds x {d['seconds']:g} s each "
             f"(median [min-max]; ratios to the floor per round); bridge-nf-call-* in a "
             f"new namespace: {d['brnf_default']}"]
    for k in d["variants"]:
        lines.append(f"   {LABELS.get(k, k)}  ({d.get('facts', {}).get(k)})")
        for cols in (COLUMNS[:6], COLUMNS[6:]):
            lines.append("      " + "".join(f"{h:>26}" for _, h, _, _ in cols))
            lines.append("      " + "".join(f"{cell(d[k][f], p):>26}" for f, _, p, _ in cols))
            if k != "floor":
                lines.append("      " + "".join(f"{'x' + cell(d[k + '/floor'][f], r):>26}"
                                                for f, _, _, r in cols))
    return lines


def markdown(res):
    """Two tables: speed (the first six columns), and CPU per unit of work."""
    d = res.get("datapath")
    if not d:
        return ""
    out = []
    for cols in (COLUMNS[:6], COLUMNS[6:]):
        rows = ["| server | " + " | ".join(h.replace("->", " → ").replace(" us", ", µs")
                                          .replace("us/", "µs/") for _, h, _, _ in cols)
                + " |", "|---" * (len(cols) + 1) + "|"]
        for k in d["variants"]:
            rows.append(f"| {LABELS.get(k, k)} | " +
                        " | ".join(cell(d[k][f], p) for f, _, p, _ in cols) + " |")
            if k != "floor":
                rows.append("| ↳ ratio to the floor | " +
                            " | ".join("x" + cell(d[k + "/floor"][f], r)
                                       for f, _, _, r in cols) + " |")
        out.append("\n".join(rows))
    return "\n\n".join(out)
