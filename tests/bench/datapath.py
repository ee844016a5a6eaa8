# SPDX-License-Identifier: GPL-2.0-or-later
"""`make bench`'s data-path section (BENCH_ONLY=datapath): TCP throughput
both ways (iperf3) and TCP request/response (tcp_rr.c: one connection, 1-byte
request and response) from the node namespace to a server

  floor        in the pod itself, on the pod's eth0 (its veth only);
  podnet       in a fake VM behind podnet's bridge: a namespace whose veth
               carries the VM's MAC and the pod's address, as the tap would,
               the pod prepared by the real hook run as libvirt runs it;
  podnet-brnf0 the same with net.bridge.bridge-nf-call-{ip,ip6,arp}tables
               set to 0 in the pod's namespace (they start at 1 in every
               namespace where br_netfilter is in the kernel);
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
        if self.kind == "podnet-brnf0":
            self.brnf(0)
        self.hook("prepare", "begin")
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
        self.procs.append(self.ctx.popen(["ip", "netns", "exec", ns, self.ctx.tcp_rr,
                                          "server", str(RR_PORT)]))

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


def iperf(ctx, ip, seconds, reverse):
    cmd = ["ip", "netns", "exec", ctx.node, "iperf3", "-c", ip, "-p", str(IPERF_PORT),
           "-t", str(seconds), "-J"]
    if reverse:
        cmd.append("-R")
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=seconds + 30)
    try:
        j = json.loads(p.stdout)
        return j["end"]["sum_received"]["bits_per_second"] / 1e9
    except (ValueError, KeyError):
        ctx.log(f"iperf3 to {ip}{' -R' if reverse else ''}: {p.stderr.strip() or p.stdout[-200:]}")
        return None


def rr(ctx, ip, seconds):
    p = subprocess.run(["ip", "netns", "exec", ctx.node, ctx.tcp_rr, "client", ip,
                        str(RR_PORT), str(seconds)], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=seconds + 30)
    try:
        return json.loads(p.stdout)
    except ValueError:
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
    v = os.environ.get("BENCH_DP_VARIANTS", "floor podnet podnet-brnf0 pasta").split()
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
    figures = ("in_gbps", "out_gbps", "rr_tps", "rr_mean_us", "rr_p99_us")
    raw = {k: {f: [] for f in figures} for k in kinds}
    for r in range(rounds):
        order = kinds[r % len(kinds):] + kinds[:r % len(kinds)]
        if r % 2:
            order.reverse()
        for k in order:
            ip = targets[k].ip
            raw[k]["in_gbps"].append(iperf(ctx, ip, seconds, False))
            raw[k]["out_gbps"].append(iperf(ctx, ip, seconds, True))
            x = rr(ctx, ip, seconds)
            raw[k]["rr_tps"].append(x["tps"] if x else None)
            raw[k]["rr_mean_us"].append(x["mean_us"] if x else None)
            raw[k]["rr_p99_us"].append(x["p99_us"] if x else None)
        log(f"datapath round {r + 1}/{rounds}: " + ", ".join(
            f"{k} {fmt1(raw[k]['in_gbps'][-1])}/{fmt1(raw[k]['out_gbps'][-1])} Gbit/s "
            f"{fmt1(raw[k]['rr_tps'][-1], 0)} tps" for k in kinds))
    out = {"variants": kinds, "brnf_default": default_brnf(), "raw": raw,
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
          "podnet": "fake VM behind podnet's bridge",
          "podnet-nofilter": "fake VM behind podnet's bridge, guest filter off",
          "podnet-brnf0": "fake VM behind podnet's bridge, bridge-nf-call-* = 0",
          "pasta": "namespace behind pasta (port-forwarded)"}


def table(res):
    d = res.get("datapath")
    if not d:
        return []
    lines = [f"7. data path from the node, {d['rounds']} rounds x {d['seconds']:g} s "
             f"(ratios to the floor, per round); br_netfilter defaults in a new "
             f"namespace: {d['brnf_default']}",
             f"   {'':54}{'in Gbit/s':>18}{'out Gbit/s':>18}{'RR tps':>18}"
             f"{'RR mean us':>14}{'RR p99 us':>14}"]

    def cell(x, prec):
        if not x or x.get("median") is None:
            return "n/a"
        return f"{x['median']:.{prec}f} [{x['min']:.{prec}f}-{x['max']:.{prec}f}]"
    for k in d["variants"]:
        x = d[k]
        lines.append(f"   {LABELS.get(k, k):54}{cell(x['in_gbps'], 2):>18}"
                     f"{cell(x['out_gbps'], 2):>18}{cell(x['rr_tps'], 0):>18}"
                     f"{cell(x['rr_mean_us'], 1):>14}{cell(x['rr_p99_us'], 1):>14}")
        if k != "floor":
            y = d[f"{k}/floor"]
            lines.append(f"   {'  ratio to the floor':54}{cell(y['in_gbps'], 2):>18}"
                         f"{cell(y['out_gbps'], 2):>18}{cell(y['rr_tps'], 2):>18}"
                         f"{cell(y['rr_mean_us'], 2):>14}{cell(y['rr_p99_us'], 2):>14}")
    return lines


def markdown(res):
    d = res.get("datapath")
    if not d:
        return ""

    def cell(x, prec):
        if not x or x.get("median") is None:
            return "n/a"
        return f"{x['median']:.{prec}f} [{x['min']:.{prec}f}-{x['max']:.{prec}f}]"
    rows = ["| server | node → server, Gbit/s | server → node, Gbit/s | RR transactions/s "
            "| RR mean / p99, µs |", "|---|---|---|---|---|"]
    for k in d["variants"]:
        x = d[k]
        rows.append(f"| {LABELS.get(k, k)} | {cell(x['in_gbps'], 2)} | "
                    f"{cell(x['out_gbps'], 2)} | {cell(x['rr_tps'], 0)} | "
                    f"{cell(x['rr_mean_us'], 1)} / {cell(x['rr_p99_us'], 1)} |")
        if k != "floor":
            y = d[f"{k}/floor"]
            rows.append(f"| ↳ ratio to the floor | {cell(y['in_gbps'], 2)} | "
                        f"{cell(y['out_gbps'], 2)} | {cell(y['rr_tps'], 2)} | "
                        f"{cell(y['rr_mean_us'], 2)} / {cell(y['rr_p99_us'], 2)} |")
    return "\n".join(rows)
