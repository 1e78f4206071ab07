#!/usr/bin/python3
"""
make cluster-bench — login throughput with one kenpod host or two, on one
Galera node or three, on this machine. It reports; it never fails on a figure.

The stack is make cluster-test's (tests/cluster/run.py: three Galera nodes, two
kenpod hosts, one nginx with an upstream over both and a port per host), with
Login.Captcha off and the per-address limits raised (every request comes from
127.0.0.1). For each setup, in this order:

  1 host, 1 node     host A on node1, bootstrapped alone (a cluster of one)
  the same, Database.SyncWait 0 (no causal reads), then with host B on node1 too
  1 host, 3 nodes    node2 and node3 back (IST); host A alone, SyncWait 3
  2 hosts, 3 nodes   host B on node2
  2 hosts, 3 nodes, Database.SyncWait 0   both restarted without causal reads

it runs --rounds rounds of wrk (--duration s each, --connections): GET /login
(a page with a session cookie and its CSRF token: one read), and POST /login
with a wrong password and a fresh unknown address per request (one Argon2id
hash, the throttle counters: replicated writes, all on the same rows of
127.0.0.1) at -c 3 per host, the hash pool's queue (Server.HashQueue), so that
every POST is hashed. It reads every status from nginx's access log and the CPU time
every process took meanwhile (/proc/PID/stat of nginx, each kenpod and its
children, each mariadbd), and prints medians: answers 200 per second, p50, p99,
other answers, and CPU ms per request by component — the per-request costs the
sizing in docs/operations.md §10 starts from.

Usage (from the build directory): make cluster-bench [BENCH_ARGS="--duration 10
--rounds 3"], or tests/cluster/scale.py --help.
"""
import argparse
import collections
import importlib.util
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "bench"))     # bench/run.py's own imports
import conftest  # noqa: E402


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# Both are named run.py: loaded by path, under names of their own.
cluster = _load("cluster", os.path.join(HERE, "run.py"))
bench = _load("bench", os.path.join(HERE, "..", "bench", "run.py"))

HASH_QUEUE = 3         # Server.HashQueue below
CONFIG = {
    "Server.Workers": "4",
    "Server.HashQueue": str(HASH_QUEUE),
    "Login.Captcha": "off",
    "Login.HardAfterRequests": "100000",
    "Signup.StartPerHour": "1000000",
}
TICK = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            v = f.read().rsplit(")", 1)[1].split()
        return int(v[11]) + int(v[12])
    except (OSError, IndexError, ValueError):
        return 0


def tree(pid):
    out = [pid]
    for p, _, _ in conftest.children_of(pid):
        out += tree(p)
    return out


def cpu_snapshot(stack):
    """{component: CPU ticks} of nginx, the kenpod hosts and the Galera nodes."""
    snap = collections.Counter()
    if stack.nginx:
        snap["nginx"] = sum(cpu_ticks(p) for p in tree(stack.nginx.pid))
    for h in stack.hosts.values():
        if h.kenpod:
            snap["kenpod"] += sum(cpu_ticks(p) for p in tree(h.kenpod.pid))
    for n in stack.cluster.nodes:
        if n.alive():
            snap["mariadb"] += cpu_ticks(n.proc.pid)
    return snap


class Target:
    """What bench.login_script needs: the Origin (Service.BaseURL)."""

    def __init__(self, origin):
        self.base_url = origin


def access_log(stack):
    log = bench.AccessLog.__new__(bench.AccessLog)
    log.path = os.path.join(stack.dir, "nginx", "access.log")
    log.times = {}
    return log


def measure(a, stack, url, tmp, nhosts):
    """Rounds of GET /login and POST /login at url: {case: [result dict]}. The
    POSTs run at -c (the hash pool's queue, HASH_QUEUE) × hosts: every POST
    is hashed (more would be answered 503 busy at once, kenpod's load
    shedding, and measure that instead)."""
    log = access_log(stack)
    c = conftest.Client(url)
    page = c.get("/login")
    token = conftest.form_fields(page).get("csrf")
    pre = c.cookies.get("pre")
    if page.status != 200 or not token or not pre:
        raise RuntimeError(f"GET /login at {url}: {page.status}, no csrf or pre cookie")
    get_lua = os.path.join(tmp, "get.lua")
    with open(get_lua, "w") as f:
        f.write(f'wrk.headers["Cookie"] = "pre={pre}"\n')
    out = collections.defaultdict(list)
    for rnd in range(a.rounds):
        for case in ("GET /login", "POST /login"):
            script = get_lua if case.startswith("GET") else \
                bench.login_script(tmp, Target(stack.url), pre, token)
            log.reset()
            before = cpu_snapshot(stack)
            conns = a.connections if case.startswith("GET") else HASH_QUEUE * nhosts
            r = bench.wrk(url + "/login", a.duration, conns, a.threads, script,
                          timeout=60)
            after = cpu_snapshot(stack)
            st = log.take()
            n = r.requests or 1
            ok = sum(v for (m, st_), v in st.items() if st_ == "200")
            out[case].append({
                "rps": r.rps or 0, "p50": r.p50, "p99": r.p99,
                "ok_rps": ok / r.seconds if r.seconds else 0,
                "non200": bench.non200(st), "statuses": {f"{m} {s}": v for (m, s), v
                                                         in st.items()},
                "cpu_ms": {k: (after[k] - before[k]) * 1000 / TICK / n for k in after},
            })
            bench.say(f"    {case} (-c {conns}): {r.rps or 0:.0f}/s p99 {r.p99 or 0:.1f} ms"
                      + (f" ({bench.non200(st)} not 200)" if bench.non200(st) else ""))
    return out


def median_row(results):
    rps = statistics.median(x["ok_rps"] for x in results)
    p50 = statistics.median(x["p50"] or 0 for x in results)
    p99 = statistics.median(x["p99"] or 0 for x in results)
    non200 = sum(x["non200"] for x in results)
    cpu = {k: statistics.median(x["cpu_ms"].get(k, 0) for x in results)
           for k in ("nginx", "kenpod", "mariadb")}
    return rps, p50, p99, non200, cpu


def restart_host(stack, name, node=None, sync=None):
    h = stack.hosts[name]
    h.stop_kenpod()
    if node is not None:
        h.config["Database.Socket"] = node.socket
    if sync is not None:
        h.config["Database.SyncWait"] = str(sync)
    h.write_config()
    h.start_kenpod()
    stack.wait_host(name)


def main():
    ap = argparse.ArgumentParser(description="kenpo login throughput on Galera "
                                 "(make cluster-bench)")
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    if shutil.which("wrk") is None:
        print("cluster-bench: wrk is not installed (contrib/dev.sh test installs it)")
        return 2
    base = os.path.join(conftest.BUILD, "cluster")
    os.makedirs(base, exist_ok=True)
    tempfile.tempdir = base
    os.environ["KENPO_TEST_CONFIG"] = ";".join(f"{k}={v}" for k, v in CONFIG.items())
    bench.say(f"cluster-bench: {a.rounds} rounds of {a.duration} s, -c {a.connections}; "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    stack = cluster.ClusterStack()
    tmp = tempfile.mkdtemp(prefix="wrk-")
    rows = []
    ok = False
    try:
        stack.start()
        nodes = stack.cluster.nodes
        a_url = f"http://127.0.0.1:{stack.host_ports['hostA']}"
        both = stack.url

        def setup(label, url):
            bench.say(f"  {label}")
            res = measure(a, stack, url, tmp, 2 if url == both else 1)
            for case, results in res.items():
                rows.append((label, case, median_row(results), results))

        # One node: node1 alone, bootstrapped as a cluster of one that knows
        # no peers, as an operator does after losing the others; node2 and
        # node3 join it again later (IST).
        for n in reversed(nodes):
            n.stop()
        nodes[0].start(bootstrap=True, alone=True)
        for name in ("hostA", "hostB"):
            restart_host(stack, name, node=nodes[0])
        setup("1 host, 1 node", a_url)
        # A causal read on a cluster of one waits for Galera's group
        # communication with itself: about 0.6 s (see docs/operations.md §10.4).
        for name in ("hostA", "hostB"):
            restart_host(stack, name, sync=0)
        setup("1 host, 1 node, SyncWait 0", a_url)
        setup("2 hosts, 1 node, SyncWait 0", both)
        for n in nodes[1:]:
            n.start()
        for name in ("hostA", "hostB"):
            restart_host(stack, name, node=nodes[0] if name == "hostA" else nodes[1],
                         sync=3)
        setup("1 host, 3 nodes", a_url)
        setup("2 hosts, 3 nodes", both)
        for name in ("hostA", "hostB"):
            restart_host(stack, name, sync=0)
        setup("2 hosts, 3 nodes, SyncWait 0", both)
        ok = True
    except Exception:
        traceback.print_exc()
    finally:
        stack.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        if ok and not a.keep:
            shutil.rmtree(stack.dir, ignore_errors=True)
        else:
            print(f"stack directory kept: {stack.dir}")
    if not rows:
        return 1
    print()
    print(f"kenpo cluster-bench, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs "
          f"(every process of every host and node on the same CPUs), medians of "
          f"{a.rounds} rounds of {a.duration} s at -c {a.connections}")
    print(f"{'setup':32} {'case':12} {'200/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'non-200':>7}  CPU ms/request: nginx kenpod mariadb")
    for label, case, (rps, p50, p99, non200, cpu), _ in rows:
        print(f"{label:32} {case:12} {rps:7.0f} {p50:7.2f} {p99:7.2f} {non200:7d}  "
              f"{cpu['nginx']:.2f} {cpu['kenpod']:.2f} {cpu['mariadb']:.2f}")
    with open(os.path.join(base, "cluster-bench.json"), "w") as f:
        json.dump([{"setup": r[0], "case": r[1], "rounds": r[3]} for r in rows], f,
                  indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
