#!/usr/bin/python3
"""
make cluster-test — kenpo scaled out on MariaDB Galera, under load, while a
database node and a kenpod host are killed.

The stack (everything on loopback, in a private directory under the build
directory, all stopped at the end):
  - three MariaDB Galera nodes (tests/cluster/galera.py): node1 bootstraps,
    node2 and node3 join by state snapshot;
  - two kenpod "hosts", each a kenpod (master, workers, mailer, hash pool) with
    its own configuration: host A on node1, host B on node2, each delivering to
    an SMTP sink of its own (as each host would hand mail to its local MTA); the
    shared secrets (Security.*, Verify.MasterKey) are the same on both, as they
    must be; kenpoctl of the operator runs on node3;
  - one nginx: an upstream over both hosts' sockets (nginx's defaults: a host
    that does not answer is skipped), plus one port per host for the checks
    that must choose their host; its responses name the host that answered
    (X-Kenpo-Upstream, only in this harness).

Before the load both hosts run `kenpoctl db migrate` at the same moment on an
empty database (on different nodes): each migration must be applied once.

The load is make soak's (tests/soak/run.py: all four signup steps, with the
activation by link or by code from the mail, logins and logouts, failed logins,
password resets, page views), from CLUSTER_CLIENTS clients for CLUSTER_SECONDS
(default 300), while:
  - a kenpod worker is SIGKILLed every 30 s (either host);
  - each host's mailer is SIGKILLed once inside the send window (its sink
    stores a message and holds its 250 back; the kill comes then);
  - node1 (host A's database) is SIGKILLed, left down for 20 s, and restarted:
    it rejoins by IST (incremental state transfer), which the harness checks;
  - host B is SIGKILLed whole (master and every child, as a crashed machine)
    and started again 5 s later.

Printed and asserted at the end (exit 1 when a count is wrong):
  1. every signup that reached its completion page exists, active, bound to its
     roster person, and no person is bound twice;
  2. every queued mail was delivered (distinct Message-IDs across both sinks),
     none failed; a second copy only for a mailer killed in the send window, at
     most one message per kill (by sink, so by host), counted;
  3. 5xx only for a request served by a host whose node was down (500, 503),
     or in flight on a killed worker or host (502); none after recovery;
  4. no kenpod child died other than those killed;
  5. every login with the password the load knew succeeded, and afterwards
     every account the load made logs in;
  6. no token from a mail in any log;
  and, the cluster's own:
  7. migrations: both migrators succeeded, each version applied once;
  8. node1 rejoined by IST; the three nodes hold the same data (CHECKSUM
     TABLE of every table, read with wsrep_sync_wait);
  9. counters across hosts: failed logins spread over both hosts lock the
     account after exactly Login.LockAfterFailures, whichever host is asked
     next; concurrent failed logins on both hosts each count once in the
     address's throttle counter (no increment lost to a certification
     conflict); an allowlist added by the operator on node3 is in force on
     both hosts at once.

Usage (from the build directory): make cluster-test [CLUSTER_SECONDS=300]
[CLUSTER_CLIENTS=6], or tests/cluster/run.py [--seconds N] [--clients N]
[--keep]. The stack's directory is kept when a check fails.
"""
import argparse
import collections
import importlib.util
import os
import random
import signal
import subprocess
import sys
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
sys.path.insert(0, HERE)
import conftest  # noqa: E402
import galera  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "soak", os.path.join(HERE, "..", "soak", "run.py"))
soak = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(soak)

NODE_DOWN = 20          # s node1 stays down
HOST_DOWN = 5           # s host B stays down
GRACE = 10              # s after a recovery in which its 5xx are still its own

CLUSTER_CONFIG = dict(soak.SOAK_CONFIG, **{
    # Four workers: three POSTs may wait for the hash pool (Server.HashQueue's
    # default), so the load's bursts of signups are not answered "busy".
    "Server.Workers": "4",
})


def now():
    return time.time()


class HostClient(conftest.Client):
    """A client of one host's own port: Origin stays the cluster's URL (the
    Service.BaseURL both hosts know)."""

    def __init__(self, url, origin):
        super().__init__(url)
        self.origin = origin

    def post(self, path, data=None, headers=None, origin="", raw=None, **kw):
        return super().post(path, data, headers, self.origin if origin == "" else origin,
                            raw, **kw)


class ClusterStack(conftest.Stack):
    def __init__(self):
        super().__init__()
        self.cluster = galera.Cluster(self.dir)
        self.sink_b = conftest.SmtpSink(os.path.join(self.dir, "sinkB"))
        self.sinks = {"hostA": self.smtp, "hostB": self.sink_b}
        self.port = conftest.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.host_ports = {"hostA": conftest.free_port(), "hostB": conftest.free_port()}
        self.hosts = {}
        self.nginx = None
        self.migrate = []           # (host, returncode, output)
        self.ctl_conf = os.path.join(self.dir, "kenpoctl.hdf")

    # -- the default frontend's API, for the soak

    @property
    def base_url(self):
        return self.url

    def client(self, timeout=30):
        return conftest.Client(self.url, timeout)

    def host_client(self, name):
        return HostClient(f"http://127.0.0.1:{self.host_ports[name]}", self.url)

    def worker_pids(self):
        return [p for h in self.hosts.values() if h.kenpod for p in h.worker_pids()]

    def mailer_pids(self, host=None):
        return [p for n, h in self.hosts.items() if h.kenpod and host in (None, n)
                for p in h.mailer_pids()]

    def log_lines(self):
        out = []
        for h in self.hosts.values():
            out += h.log_lines()
        return out

    def ctl(self, *args, input=None, timeout=60):
        r = subprocess.run([os.path.join(conftest.BUILD, "kenpoctl"), "-c", self.ctl_conf,
                            *[str(a) for a in args]],
                           input=input, capture_output=True, text=True, timeout=timeout)
        return r

    def sql(self, query):
        for node in self.cluster.nodes:
            if node.alive():
                return node.run(query)
        raise RuntimeError("no Galera node is up")

    def smtp_mode(self, mode="ok", host="hostA"):
        with open(self.sinks[host].control, "w") as f:
            f.write(mode + "\n")

    # -- start and stop

    def start(self):
        for prog in ("kenpod", "kenpoctl"):
            if not os.access(os.path.join(conftest.BUILD, prog), os.X_OK):
                raise RuntimeError(f"{conftest.BUILD}/{prog} not found: build first")
        t = now()
        self.cluster.start(self.db_password)
        print(f"  Galera: 3 nodes synced in {now() - t:.1f} s "
              f"(cluster size {self.cluster.nodes[0].status('wsrep_cluster_size')})",
              flush=True)
        for sink in self.sinks.values():
            sink.start()
        nodes = self.cluster.nodes
        for name, node in (("hostA", nodes[0]), ("hostB", nodes[1])):
            fe = conftest.Frontend(self, name, config={
                "Service.BaseURL": self.url,
                "Database.Socket": node.socket,
                "Mail.Server": f"127.0.0.1:{self.sinks[name].port}",
            })
            fe.base_url = f"http://127.0.0.1:{self.host_ports[name]}"
            fe.node = node
            fe.write_config()
            self.hosts[name] = fe
        self.main = self.hosts["hostA"]
        self.frontends = list(self.hosts.values())
        # The operator's kenpoctl on node3.
        with open(self.main.conf, encoding="utf-8") as f:
            text = f.read()
        with open(self.ctl_conf, "w", encoding="utf-8") as f:
            f.write(text.replace(nodes[0].socket, nodes[2].socket))
        self.migrate_concurrently()
        for h in self.hosts.values():
            h.start_kenpod()
        self.start_nginx()
        for name in self.hosts:
            self.wait_host(name)
        return self

    def migrate_concurrently(self):
        """Both hosts run `kenpoctl db migrate` at once, on different nodes."""
        procs = {name: subprocess.Popen(
            [os.path.join(conftest.BUILD, "kenpoctl"), "-c", h.conf, "db", "migrate"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for name, h in self.hosts.items()}
        for name, p in procs.items():
            out, _ = p.communicate(timeout=600)
            self.migrate.append((name, p.returncode, out))
        if any(rc != 0 for _, rc, _ in self.migrate):
            raise RuntimeError("kenpoctl db migrate failed:\n" + "\n".join(
                f"{n} ({rc}):\n{o}" for n, rc, o in self.migrate))

    def start_nginx(self):
        prefix = os.path.join(self.dir, "nginx")
        os.makedirs(os.path.join(prefix, "temp"), exist_ok=True)
        with open(os.path.join(conftest.SRC, "contrib", "nginx", "dev.conf.in"),
                  encoding="utf-8") as f:
            t = f.read()
        a, b = self.hosts["hostA"], self.hosts["hostB"]
        old = "\tupstream kenpod {\n\t\tserver unix:@SOCKET@;\n\t}\n"
        if old not in t:
            raise RuntimeError("contrib/nginx/dev.conf.in: upstream kenpod changed")
        per_host = ""
        for name, h in self.hosts.items():
            per_host += (
                f"\tupstream only_{name} {{\n\t\tserver unix:{h.socket};\n\t}}\n"
                f"\tserver {{\n\t\tlisten 127.0.0.1:{self.host_ports[name]};\n"
                f"\t\tclient_max_body_size {conftest.TEST_NGINX_MAX_BODY};\n"
                f"\t\tlocation / {{\n\t\t\tinclude /etc/nginx/fastcgi_params;\n"
                f"\t\t\tfastcgi_pass only_{name};\n\t\t}}\n\t}}\n")
        t = t.replace(old, (
            "\t# make cluster-test: both hosts; which one answered, for the harness.\n"
            "\tupstream kenpod {\n"
            f"\t\tserver unix:{a.socket};\n\t\tserver unix:{b.socket};\n\t}}\n"
            "\tadd_header X-Kenpo-Upstream $upstream_addr always;\n" + per_host))
        subst = {
            "@PREFIX@": prefix, "@PORT@": str(self.port),
            "@STAFF_PORT@": str(conftest.free_port()), "@STAFF_SOCKET@": a.staff_socket,
            "@HTDOCS@": os.path.join(conftest.SRC, "htdocs"),
            "@MAXBODY@": str(conftest.TEST_NGINX_MAX_BODY),
            "@UPLOADMAXBODY@": str(conftest.TEST_NGINX_UPLOAD_MAX_BODY),
            "@LOGDIR@": os.path.join(self.dir, "log"),
            "@USER_LINE@": "user root;" if os.getuid() == 0 else "",
        }
        for k, v in subst.items():
            t = t.replace(k, v)
        conf = os.path.join(prefix, "nginx.conf")
        with open(conf, "w", encoding="utf-8") as f:
            f.write(t)
        log = os.path.join(self.dir, "log", "nginx-error.log")
        self.nginx = conftest.spawn(["nginx", "-p", prefix, "-c", conf, "-e", log], log)
        conftest.wait_until(lambda: conftest.port_open(self.port), 20,
                            "nginx did not start", self.nginx, log)

    def wait_host(self, name, timeout=60):
        c = self.host_client(name)

        def ok():
            try:
                return c.get("/healthz").status == 200
            except OSError:
                return False
        conftest.wait_until(ok, timeout, f"{name} did not answer /healthz",
                            self.hosts[name].kenpod, self.hosts[name].log)

    def kill_host(self, name):
        """SIGKILL the host's kenpod master and every child at once."""
        h = self.hosts[name]
        os.killpg(h.kenpod.pid, signal.SIGKILL)
        h.kenpod.wait(30)
        h.kenpod = None

    def restart_host(self, name):
        self.hosts[name].start_kenpod()
        self.wait_host(name)

    def stop(self):
        conftest.kill_group(self.nginx, signal.SIGTERM, 10)
        self.nginx = None
        for h in self.hosts.values():
            try:
                h.stop_kenpod()
            except Exception:
                pass
        for sink in self.sinks.values():
            try:
                sink.stop()
            except Exception:
                conftest.kill_group(sink.proc, signal.SIGKILL, 2)
        self.cluster.stop()


class ClusterClient(soak.SoakClient):
    """Records, beside each request, the host that answered it."""

    def request(self, method, path, body=None, headers=None):
        t0 = now()
        try:
            r = conftest.Client.request(self, method, path, body=body, headers=headers)
        except OSError as e:
            self.record.req(t0, now(), method, soak.label_of(path),
                            "ERR:" + type(e).__name__)
            raise
        up = (r.headers.get("X-Kenpo-Upstream") or "").split(",")[-1].strip()
        host = ("hostA" if "/hostA/" in up else "hostB" if "/hostB/" in up else None)
        busy = r.status == 503 and r.headers.get("Retry-After") == "5"
        self.record.req(t0, now(), method, soak.label_of(path), r.status, host, busy)
        return r


class ClusterRecord(soak.Record):
    def __init__(self):
        super().__init__()
        self.node_window = None     # (down, synced again)
        self.host_window = None     # (killed, answering again)
        self.ist = None
        self.unlogged_deaths = set()    # host B's children, killed with it

    def req(self, t0, t1, method, label, status, host=None, busy=False):
        with self.lock:
            self.requests.append((t0, t1, method, label, status, host, busy))


class ClusterSoak(soak.Soak):
    TITLE = "kenpo cluster-test"
    RESULT = "cluster-result.json"

    def __init__(self, args):
        args.db_restart = "kill"
        super().__init__(args)
        self.rec = ClusterRecord()
        self.extra_checks = []

    def header(self):
        a = self.args
        return (f"kenpo cluster-test: {a.seconds} s, {a.clients} clients, seed {a.seed}; "
                f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    def start_stack(self):
        os.environ["KENPO_TEST_CONFIG"] = ";".join(
            f"{k}={v}" for k, v in CLUSTER_CONFIG.items())
        self.stack = ClusterStack()
        print(f"  stack in {self.stack.dir}", flush=True)
        self.stack.start()
        self.lease = 300 + int(CLUSTER_CONFIG["Mail.Timeout"]) * 4 * \
            (int(CLUSTER_CONFIG["Mail.Batch"]) + 1)
        self.index = soak.MailIndex({n: s.maildir for n, s in self.stack.sinks.items()})
        self.index.start()

    def client(self):
        return ClusterClient(self.stack.base_url, self.rec)

    # -- failed logins in the mix: a wrong password first, then the right one

    def flow_login(self, rng):
        acct = self.take_account(rng)
        if acct is not None and rng.random() < 0.3:
            c = self.client()
            try:
                page = soak.ok_or_transient(c.get("/login"))
                r = soak.ok_or_transient(c.post("/login", {
                    "email": acct["email"], "password": acct["passwords"][0] + "x",
                    "csrf": conftest.csrf(page)}))
                self.rec.count("login.failed_on_purpose" if r.status == 200
                               else f"login.wrong_password_{r.status}")
            except (soak.Transient, OSError):
                pass
        # Then the right password for the same account (a success takes the
        # failure back), as a member who mistyped once.
        return super().flow_login(rng, acct)

    # -- faults

    def kill_mailer_of(self, host):
        """As the soak's armed kill, on one host: its sink stores the next message
        and holds the 250 back; the mailer is killed the moment it is stored."""
        s = self.stack
        new = os.path.join(s.sinks[host].maildir, "new")
        pids = s.mailer_pids(host)
        if not pids:
            return
        s.smtp_mode(f"data delay {soak.HOLD_ACK_MS}", host)
        try:
            armed = self.wait_for_store(new, 30)
            t = now()
            try:
                os.kill(pids[0], signal.SIGKILL)
            except ProcessLookupError:
                return
        finally:
            s.smtp_mode("ok", host)
        with self.rec.lock:
            self.rec.mailer_kills.append((t, pids[0], armed, host))
        print(f"  [{t - self.t0:6.1f}s] {host}'s mailer {pids[0]} killed"
              f"{' after its sink stored a message, before the 250' if armed else ''}",
              flush=True)

    def kill_worker(self):
        s = self.stack
        pids = [(n, p) for n, h in s.hosts.items() if h.kenpod for p in h.worker_pids()]
        if not pids:
            return
        host, pid = random.choice(pids)
        with self.rec.lock:
            self.rec.worker_kills.append((now(), pid, host))
        os.kill(pid, signal.SIGKILL)
        print(f"  [{now() - self.t0:6.1f}s] {host}'s worker {pid} killed", flush=True)

    def node_kill(self):
        node = self.stack.cluster.nodes[0]
        down = now()
        node.kill()
        print(f"  [{down - self.t0:6.1f}s] {node.name} (host A's database) SIGKILLed",
              flush=True)
        time.sleep(NODE_DOWN)
        pos = node.start()
        up = now()
        self.rec.node_window = (down, up)
        self.rec.ist = node.joined_by()
        print(f"  [{up - self.t0:6.1f}s] {node.name} synced again from {pos} by "
              f"{self.rec.ist} ({up - down:.1f} s down)", flush=True)

    def host_kill(self):
        s = self.stack
        pids = s.mailer_pids("hostB")
        killed = now()
        s.kill_host("hostB")
        with self.rec.lock:
            for p in pids:
                self.rec.mailer_kills.append((killed, p, False, "hostB"))
                self.rec.unlogged_deaths.add(p)
        print(f"  [{killed - self.t0:6.1f}s] host B SIGKILLed (master and children)",
              flush=True)
        time.sleep(HOST_DOWN)
        s.restart_host("hostB")
        up = now()
        self.rec.host_window = (killed, up)
        print(f"  [{up - self.t0:6.1f}s] host B answering again", flush=True)

    def fault_loop(self):
        d = self.args.seconds
        events = [(t, "worker") for t in range(soak.WORKER_KILL_EVERY // 2, int(d),
                                               soak.WORKER_KILL_EVERY)]
        events += [(0.08 * d, "mailer hostA"), (0.16 * d, "mailer hostB"),
                   (0.3 * d, "node"), (0.55 * d, "host")]
        events.sort()
        while not self.stop_all.is_set() and events:
            if now() - self.t0 < events[0][0]:
                time.sleep(0.05)
                continue
            _, what = events.pop(0)
            try:
                if what == "worker":
                    self.kill_worker()
                elif what.startswith("mailer"):
                    self.kill_mailer_of(what.split()[1])
                elif what == "node":
                    self.node_kill()
                elif what == "host":
                    self.host_kill()
            except Exception:
                with self.rec.lock:
                    self.rec.errors.append("fault: " + traceback.format_exc())

    def recover_all(self):
        s = self.stack
        node = s.cluster.nodes[0]
        if not node.alive():
            node.start()
        if s.hosts["hostB"].kenpod is None:
            s.restart_host("hostB")

    # -- checks

    def check_statuses(self, check, out):
        rec = self.rec
        statuses = collections.Counter()
        bad, after = [], []
        nw, hw = rec.node_window, rec.host_window
        recovered = max([w[1] for w in (nw, hw) if w] or [self.t0]) + GRACE
        kill_used = collections.Counter()
        allowed = collections.Counter()
        for (t0, t1, method, label, st, *rest) in rec.requests:
            host = rest[0] if rest else None
            statuses[st] += 1
            if isinstance(st, int) and st < 500:
                continue
            if len(rest) > 1 and rest[1]:
                # kenpod's own load shedding (src/hashpool.c): every place in
                # the hash pool's queue taken, "try again in 5 s". Not a fault
                # of the cluster; counted apart.
                allowed["busy (hash pool full, Retry-After 5)"] += 1
                continue
            if st in (500, 503) and host == "hostA" and nw and \
                    t1 >= nw[0] - 1 and t0 <= nw[1] + GRACE:
                allowed["node1 down (host A)"] += 1
                continue
            if (st == 502 or isinstance(st, str)) and hw and \
                    t0 - 0.5 <= hw[0] <= t1 + 0.5:
                allowed["in flight on host B when it was killed"] += 1
                continue
            if st == 502 or isinstance(st, str):
                k = next((k for k in rec.worker_kills if t0 - 0.5 <= k[0] <= t1 + 0.5
                          and kill_used[k] == 0), None)
                if k is not None:
                    kill_used[k] += 1
                    allowed["a killed worker's request"] += 1
                    continue
            if t0 > recovered:
                after.append((round(t0 - self.t0, 1), method, label, st, host))
            bad.append((round(t0 - self.t0, 1), method, label, st, host))
        by_host = collections.Counter(r[5] if len(r) > 5 else None for r in rec.requests)
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(),
                                                              key=lambda kv: str(kv[0])))
        check(not bad,
              f"responses: {len(rec.requests)} (host A {by_host['hostA']}, host B "
              f"{by_host['hostB']}; {summary}); 5xx explained: "
              f"{dict(allowed) or 'none'}; unexplained: {len(bad)}")
        for b in bad[:8]:
            out.append((False, f"    at {b[0]} s: {b[1]} {b[2]} -> {b[3]} ({b[4]})"))
        check(not after,
              f"after recovery (from {recovered - self.t0:.0f} s): "
              f"{sum(1 for r in rec.requests if r[0] > recovered)} requests, "
              f"{len(after)} 5xx or dropped (besides the request of a worker killed "
              f"then, and kenpod's busy answers)")
        for b in after[:5]:
            out.append((False, f"    at {b[0]} s: {b[1]} {b[2]} -> {b[3]} ({b[4]})"))

    def check_cluster(self, check, out):
        s = self.stack
        # 7. migrations
        files = sorted(f for f in os.listdir(os.path.join(conftest.SRC, "sql"))
                       if f.endswith(".sql"))
        rows = s.sql("SELECT version, applied_at IS NOT NULL FROM schema_migrations")
        applied = collections.Counter()
        for _, _, o in s.migrate:
            for line in o.splitlines():
                if line.startswith("applied "):
                    applied[line.split()[1]] += 1
        twice = [f for f, n in applied.items() if n > 1]
        check(len(rows) == len(files) and all(r[1] == "1" for r in rows) and
              not twice and set(applied) == set(files) and
              all(rc == 0 for _, rc, _ in s.migrate),
              f"migrations: two kenpoctl db migrate at once on node1 and node2: exit "
              f"{[rc for _, rc, _ in s.migrate]}; {len(files)} files, "
              f"{sum(applied.values())} applied (A {self.applied_by('hostA')}, "
              f"B {self.applied_by('hostB')}), applied twice: {len(twice)}; "
              f"schema_migrations complete: {sum(1 for r in rows if r[1] == '1')}")
        # 8. IST and identical nodes
        tables = [r[0] for r in s.sql("SHOW TABLES")]
        sums = {}
        for node in s.cluster.nodes:
            q = "SET SESSION wsrep_sync_wait = 1;\n" + "\n".join(
                f"CHECKSUM TABLE `{t}`;" for t in tables)
            sums[node.name] = [r[1] for r in node.run(q)]
        differ = [t for i, t in enumerate(tables)
                  if len({v[i] for v in sums.values()}) > 1]
        sizes = [n.status("wsrep_cluster_size") for n in s.cluster.nodes]
        check(self.rec.ist == "IST" and not differ and sizes == ["3", "3", "3"],
              f"Galera: node1 rejoined by {self.rec.ist}; cluster size {sizes}; "
              f"{len(tables)} tables checksummed on 3 nodes, differing: "
              f"{differ or 'none'}")

    def check_everyone_logs_in(self, check, out):
        """Every account the load made logs in afterwards, with the password the
        load knows (both candidates when a reset's answer was lost), on either
        host (the upstream's choice)."""
        s = self.stack
        accounts = list(self.pool)
        refused, lock = [], threading.Lock()
        hosts = collections.Counter()

        def one(a):
            for pw in a["passwords"]:
                c = ClusterClient(s.base_url, ClusterRecord())
                for _ in range(10):
                    page = c.get("/login")
                    r = c.post("/login", {"email": a["email"], "password": pw,
                                          "csrf": conftest.csrf(page)})
                    if r.status != 503:
                        break
                    # Busy (the hash pool's queue is full): as a browser
                    # would, after Retry-After (shortened).
                    time.sleep(1)
                if r.status == 303 and r.location == "/top":
                    with lock:
                        hosts[c.record.requests[-1][5]] += 1
                    return
            with lock:
                refused.append((a["email"], r.status, r.location))

        def worker(part):
            for a in part:
                try:
                    one(a)
                except Exception as e:
                    with lock:
                        refused.append((a["email"], repr(e), None))
        parts = [accounts[i::2] for i in range(2)]
        ts = [threading.Thread(target=worker, args=(p,)) for p in parts]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        check(accounts and not refused,
              f"afterwards: {len(accounts) - len(refused)} of the {len(accounts)} "
              f"accounts the load made log in (host A {hosts['hostA']}, host B "
              f"{hosts['hostB']}); refused: {len(refused)}")
        for x in refused[:5]:
            out.append((False, f"    {x}"))

    def applied_by(self, host):
        return sum(1 for n, _, o in self.stack.migrate if n == host
                   for line in o.splitlines() if line.startswith("applied "))

    def check_counters(self, check, out):
        """9. the counters and the allowlist across hosts (after the load)."""
        s = self.stack
        # Accounts whose password the load knows for sure (a reset whose answer
        # was lost leaves two candidates), with their failures cleared: a
        # mistyped password whose retry a fault cut off may have been left.
        known = [(a["email"], a["passwords"][0]) for a in self.pool
                 if len(a["passwords"]) == 1]
        if len(known) < 4:
            check(False, "counters: fewer than 4 accounts with a known password")
            return
        for e, _ in known[:4]:
            s.sql(f"UPDATE accounts SET failed_logins = 0, locked_until = NULL "
                  f"WHERE email = '{e}'")
        hosts = ["hostA", "hostB"]

        def login_ok(h, email, password):
            c = s.host_client(h)
            page = c.get("/login")
            x = c.post("/login", {"email": email, "password": password,
                                  "csrf": conftest.csrf(page)})
            return x.status == 303 and x.location == "/top"
        lock_after = int(s.main.config.get("Login.LockAfterFailures", "10"))
        victim, pw = known[0]
        before_ok = {h: login_ok(h, victim, pw) for h in hosts}
        for i in range(lock_after):
            c = s.host_client(hosts[i % 2])
            page = c.get("/login")
            c.post("/login", {"email": victim, "password": "wrong-" + str(i),
                              "csrf": conftest.csrf(page)})
        failed = s.sql(f"SELECT failed_logins, locked_until > NOW() FROM accounts "
                       f"WHERE email = '{victim}'")
        refused = {h: not login_ok(h, victim, pw) for h in hosts}
        check(all(before_ok.values()) and all(refused.values()) and failed and
              failed[0][1] == "1",
              f"account lock across hosts: the right password logs in on A "
              f"{before_ok['hostA']} and B {before_ok['hostB']}; then {lock_after} wrong "
              f"passwords alternating A/B -> failed_logins "
              f"{failed[0][0] if failed else '?'}, locked "
              f"{failed[0][1] == '1' if failed else '?'}; the right password then "
              f"refused on A: {refused['hostA']}, on B: {refused['hostB']}")

        # Concurrent failures on both hosts: each one counted in the address's
        # throttle row (a lost increment would be an attacker's gain).
        def snapshot():
            return {k: int(v) for k, v in s.sql(
                "SELECT k, count FROM throttle WHERE k LIKE 'loginfail%'")}
        before = snapshot()
        n_each, statuses = 20, collections.Counter()
        others = [known[1][0], known[2][0]]

        def hammer(h, email):
            for i in range(n_each):
                try:
                    c = s.host_client(h)
                    page = c.get("/login")
                    x = c.post("/login", {"email": email, "password": f"nope{i}",
                                          "csrf": conftest.csrf(page)})
                    statuses[x.status] += 1
                except Exception as e:
                    statuses[type(e).__name__] += 1
        ts = [threading.Thread(target=hammer, args=(h, others[j]))
              for j, h in enumerate(hosts)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        after = snapshot()
        grew = sum(max(0, v - before.get(k, 0)) for k, v in after.items())
        want = 2 * n_each
        check(grew == want and statuses == {200: want},
              f"throttle across hosts: {want} failed logins at once, {n_each} on each "
              f"host (node1, node2) -> answers {dict(statuses)}; the address's "
              f"failure counter grew by {grew}")

        # The allowlist (an insurer's address skips the login CAPTCHA), changed
        # by the operator with kenpoctl on node3, is in force on both hosts at
        # once. The load ran without the CAPTCHA; a rolling restart turns it on.
        for h in hosts:
            fe = s.hosts[h]
            fe.stop_kenpod()
            fe.config["Login.Captcha"] = "on"
            fe.write_config()
            fe.start_kenpod()
            s.wait_host(h)
        member, mpw = known[3]
        # The failures above are over Login.AllowlistFailures, which ends the
        # exemption: a new window for 127.0.0.1.
        s.sql("DELETE FROM throttle WHERE k LIKE 'login%'")

        def no_captcha_login(h):
            c = s.host_client(h)
            page = c.get("/login")
            x = c.post("/login", {"email": member, "password": mpw,
                                  "csrf": conftest.csrf(page)})
            return x.status == 303 and x.location == "/top"
        r1 = s.ctl("insurer", "allow", self.insurer, "127.0.0.1/32")
        allowed = {h: no_captcha_login(h) for h in hosts}
        r2 = s.ctl("insurer", "disallow", self.insurer, "127.0.0.1/32")
        refused = {h: not no_captcha_login(h) for h in hosts}
        check(r1.returncode == 0 and r2.returncode == 0 and all(allowed.values()) and
              all(refused.values()),
              f"allowlist across hosts (after a rolling restart with Login.Captcha on): "
              f"127.0.0.1/32 allowed with kenpoctl on node3 -> a login without a "
              f"CAPTCHA answer succeeds on A {allowed['hostA']}, B {allowed['hostB']}; "
              f"disallowed -> refused on A {refused['hostA']}, B {refused['hostB']}"
              + (f" (kenpoctl: {(r1.stdout + r1.stderr + r2.stdout + r2.stderr).strip()})"
                 if r1.returncode or r2.returncode else ""))

    def verify(self, drained):
        extra = []

        def check(ok, line):
            extra.append((bool(ok), line))
        try:
            self.check_cluster(check, extra)
            self.check_everyone_logs_in(check, extra)
            self.check_counters(check, extra)
        except Exception:
            extra.append((False, "cluster checks: " + traceback.format_exc()))
        self.extra_checks = extra
        return super().verify(drained)

    def check_logins(self, check, out):
        super().check_logins(check, out)
        for ok, line in self.extra_checks:
            check(ok, line) if not line.startswith("    ") else out.append((ok, line))

    def faults_line(self):
        rec = self.rec
        nw, hw = rec.node_window, rec.host_window
        return (f"faults: {len(rec.worker_kills)} workers SIGKILLed (every "
                f"{soak.WORKER_KILL_EVERY} s), {len(rec.mailer_kills)} mailers killed "
                f"({sum(1 for k in rec.mailer_kills if k[2])} in the send window, the "
                f"rest with host B), node1 SIGKILLed and back by {rec.ist} "
                f"({(nw[1] - nw[0]) if nw else 0:.1f} s), host B SIGKILLed and back "
                f"({(hw[1] - hw[0]) if hw else 0:.1f} s)")


def main():
    ap = argparse.ArgumentParser(description="kenpo on Galera (make cluster-test)")
    ap.add_argument("--seconds", type=int,
                    default=int(os.environ.get("CLUSTER_SECONDS", "300")))
    ap.add_argument("--clients", type=int,
                    default=int(os.environ.get("CLUSTER_CLIENTS", "6")))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("CLUSTER_SEED", "0")) or
                    int.from_bytes(os.urandom(2), "big"))
    ap.add_argument("--keep", action="store_true",
                    default=os.environ.get("CLUSTER_KEEP") == "1")
    a = ap.parse_args()
    a.mailer_kills = 2
    ok, run = soak.execute(ClusterSoak, a, "cluster")
    left = subprocess.run(["pgrep", "-f", run.stack.dir], capture_output=True,
                          text=True).stdout.split() if run.stack else []
    if left:
        print(f"FAIL: processes left behind: {left}")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
