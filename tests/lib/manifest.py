#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""What the e2e test needs from a Kubernetes manifest (a Pod and the
ConfigMap with its domain XML), printed as shell assignments for eval:

    manifest.py FILE DOMAIN_XML_OUT

M_POD, M_CONTAINER, M_IMAGE, M_CAPS (comma list, as added), M_CAPS_DROP,
M_PROBE and M_PRESTOP (commands, shell-quoted words), M_DOMAIN_XML_PATH
(where the ConfigMap's file appears), M_CLAIM and M_GUEST_PATH (the guest
volume's claim and mount path), M_STATE_MEDIUM (the /run/podnet emptyDir's
medium), M_TUN_PATH (the hostPath mounted at /dev/net/tun), M_PRIVILEGED,
M_NNP (allowPrivilegeEscalation false), M_ENV_<NAME> for each env value.
The ConfigMap key mounted as the domain XML is written to DOMAIN_XML_OUT.
Exit 1, with the reason on stderr, if the manifest lacks any of them.
"""
import shlex
import sys

import yaml


def die(msg):
    print(f"manifest.py: {msg}", file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) != 3:
        die("usage: manifest.py FILE DOMAIN_XML_OUT")
    with open(sys.argv[1], encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    pods = [d for d in docs if d.get("kind") == "Pod"]
    cms = {d["metadata"]["name"]: d for d in docs if d.get("kind") == "ConfigMap"}
    if len(pods) != 1:
        die(f"{len(pods)} Pods, want 1")
    pod = pods[0]
    spec = pod["spec"]
    if len(spec["containers"]) != 1:
        die("want exactly one container")
    ctr = spec["containers"][0]
    vols = {v["name"]: v for v in spec.get("volumes", [])}
    mounts = {m["mountPath"]: m["name"] for m in ctr.get("volumeMounts", [])}
    sc = ctr.get("securityContext", {})
    caps = sc.get("capabilities", {})
    out = {
        "M_POD": pod["metadata"]["name"],
        "M_CONTAINER": ctr["name"],
        "M_IMAGE": ctr["image"],
        "M_CAPS": ",".join(caps.get("add", [])),
        "M_CAPS_DROP": ",".join(caps.get("drop", [])),
        "M_PRIVILEGED": str(sc.get("privileged", False)).lower(),
        "M_NNP": str(sc.get("allowPrivilegeEscalation", True) is False).lower(),
        "M_PROBE": shlex.join(ctr["readinessProbe"]["exec"]["command"]),
        "M_PRESTOP": shlex.join(ctr["lifecycle"]["preStop"]["exec"]["command"]),
    }
    for e in ctr.get("env", []):
        out["M_ENV_" + e["name"]] = e["value"]
    xml_path = out.get("M_ENV_PODNET_DOMAIN_XML", "/etc/podnet/domain.xml")
    out["M_DOMAIN_XML_PATH"] = xml_path
    cm_dir, cm_file = xml_path.rsplit("/", 1)
    if cm_dir not in mounts or "configMap" not in vols[mounts[cm_dir]]:
        die(f"no ConfigMap volume mounted at {cm_dir}")
    cm = cms.get(vols[mounts[cm_dir]]["configMap"]["name"])
    if not cm or cm_file not in cm.get("data", {}):
        die(f"no ConfigMap with {cm_file} in this file")
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write(cm["data"][cm_file])
    for path, name in mounts.items():
        v = vols[name]
        if "persistentVolumeClaim" in v:
            out["M_CLAIM"] = v["persistentVolumeClaim"]["claimName"]
            out["M_GUEST_PATH"] = path
        if path == "/run/podnet" and "emptyDir" in v:
            out["M_STATE_MEDIUM"] = (v["emptyDir"] or {}).get("medium", "")
        if path == "/dev/net/tun" and "hostPath" in v:
            out["M_TUN_PATH"] = v["hostPath"]["path"]
    for k in ("M_CLAIM", "M_STATE_MEDIUM", "M_TUN_PATH"):
        if k not in out:
            die(f"{k}: the volume is missing")
    for k, v in out.items():
        print(f"{k}={shlex.quote(v)}")


if __name__ == "__main__":
    main()
