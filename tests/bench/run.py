#!/usr/bin/python3
"""
make bench — kenpod measured against a bare libfcgi hello and a bare Argon2id loop,
through the same nginx, on this machine. It reports; it never fails on a figure.

What it does (issue 9, item 4):

 1. Compiles tests/bench/hello.c (the baseline: kenpod's accept model, no page
    code) and tests/bench/hashbound.c (Argon2id in P processes, libgcrypt, as
    kenpod hashes) with cc into a temporary directory.
 2. Starts a private stack with the integration harness (tests/integration/
    conftest.py: MariaDB, SMTP sink, kenpod, nginx from contrib/nginx/dev.conf.in).
    Its kenpod ("pages") runs the production default Login.Captcha = on, with
    Signup.StartPerHour raised so that one client address may post the burst.
    The hello gets an nginx of its own from the same template and as many
    workers as kenpod's Server.Workers.
 3. GET pages: checks that the hello, GET /, GET /signup and GET /login (with its
    CAPTCHA) answer 200 with a real page, then runs wrk on each in interleaved
    rounds (round 1: hello, /, /signup, /login; round 2: ...) and reports the
    median req/s, p50 and p99 and the ratios to the hello. Every response's status
    is read from nginx's access log: anything but 200 is counted and shown.
 4. Signup burst: N step-1 POSTs (fresh addresses, a valid password and CSRF
    token) from a pool of client threads. A POST answered 503 (the hashing pool
    is full: kenpod stored nothing) is sent again after its Retry-After, at most
    1 s, as a member's browser would, until it is answered; the 503s are counted.
    Then waits until every activation mail is in the sink; reports the time of
    the posts, the time until the last mail, mails/s, and whether every address
    got exactly one mail (a 503 that stored something would show as a second one).
 5. POST /login: a second kenpod ("logins", Login.Captcha = off: with the CAPTCHA
    on, failures from one client address raise the CAPTCHA level and the password
    is never hashed) gets wrk POSTs with a wrong password and a fresh unknown
    address each, which costs exactly one Argon2id hash (crypto_password_dummy).
    Its hash pool P is counted (its kenpod-hash processes, checked against the
    start log line); Q, the number of POSTs kenpod lets wait for the pool, is
    Server.HashQueue, else min(2P, Server.Workers - 1), at least 1 (hashpool.c).
    The measured rounds run wrk at -c Q, so every POST is hashed; they interleave
    with the hash-bound ceiling: hashbound with P processes and kenpod's Argon2
    parameters. "x ceiling" is the POSTs answered 200 (read from nginx's access
    log: each one was hashed) per second over the ceiling. Then one flood round
    at -c --connections: how many are hashed (200) and how many refused at once
    (503 busy, Retry-After), and how fast. A second small wrk measures GET /login
    latency meanwhile, in both; it is paced (4 connections, 40 ms between an
    answer and the next request) so as not to take the CPU the POSTs need. The
    login failures and the busy answers kenpod counted (/metrics) are compared
    with nginx's 200s and 503s.
 6. Private memory (Private_Clean + Private_Dirty from /proc/PID/smaps_rollup) of
    every kenpod process by role (comm kenpod, kenpod-worker, kenpod-mailer,
    kenpod-hash; a kenpod that names none of its children has its page workers
    told apart by the listening socket) before the load and after everything, and
    of the hello's workers.
 7. Prints one table with the machine it ran on.

Exit status: 0 whatever the figures; 1 when the stack or the hello could not
start or a page did not answer 200 before measuring; 2 when a tool is missing or
a program does not compile.

Usage: tests/bench/run.py [--duration 10] [--rounds 3] [--connections 64]
       [--threads 2] [--workers N] [--signups 5000] [--signup-clients 16]
       [--mail-timeout 600] [--warmup 2]
Quick look: tests/bench/run.py --duration 3 --rounds 1 --signups 300
Environment: KENPO_BUILD, KENPO_SRC (as for the integration suite),
KENPO_TEST_CONFIG="Key=Value;..." (kenpod config for both frontends; wins over
the bench's own keys), KENPO_KEEP_TMP=1 keeps the stack's directory, CC.
"""
import argparse
import collections
import datetime
import email.parser
import email.policy
import email.utils
import http.client
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import conftest  # noqa: E402  (the harness: Stack, Frontend, Client, metrics)
import oidc as oidc_bench  # noqa: E402  (the OpenID Connect endpoints)

# A valid password for step 1 (Password.* rules: 8-20 characters, 2 classes, no
# part of the address: the burst's addresses are burst-NONCE-I@example.com).
PASSWORD = "Kenpo-Test!58x"
WRONG_PASSWORD = "Wrong-Pass1!"
# The start of Login.Error.Failed (templates/lang/{ja,en}/login.hdf).
LOGIN_FAILED = ("メールアドレスまたはパスワードが正しくありません",
                "The e-mail address or password is not correct")
LOGIN_FAIL_METRIC = 'kenpo_logins_total{result="fail"}'
# The signup throttle of the bench's kenpod (one client address posts the burst).
SIGNUP_PER_HOUR = "1000000"
# A step-1 POST answered 503 (busy) is sent again after its Retry-After, at most
# this long, as a member's browser would; an address still refused after
# RETRY_GIVE_UP_S is given up.
RETRY_CAP_S = 1.0
RETRY_GIVE_UP_S = 120.0
WORKER_LIMIT_KIB = 4096     # issue 9: a page worker holds at most 4 MiB private

# comm (/proc/PID/comm) of kenpod's processes -> role.
ROLES = {"kenpod": "master", "kenpod-worker": "page worker",
         "kenpod-mailer": "mailer", "kenpod-hash": "hash pool"}
ROLE_ORDER = ["master", "page worker", "mailer", "hash pool", "other"]


class SetupError(Exception):
    """The bench cannot measure (exit 1)."""


class ToolError(Exception):
    """A tool is missing or a program does not compile (exit 2)."""


class NotMeasured(Exception):
    """A part's check before measuring failed: the table says why (exit 1)."""


def say(msg):
    print(msg, flush=True)


# ------------------------------------------------------------------ the machine

def machine():
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    online = os.sysconf("SC_NPROCESSORS_ONLN")
    try:
        usable = len(os.sched_getaffinity(0))
    except OSError:
        usable = online
    return {
        "cpus": online, "usable": usable, "model": model,
        "kernel": f"{platform.system()} {platform.release()}",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load": os.getloadavg()[0],
    }


# ------------------------------------------------------------------ the C programs

def compile_tools(tmp):
    """Compile hello.c and hashbound.c into tmp; {name: path}. ToolError."""
    cc = os.environ.get("CC") or "cc"
    out = {}
    for name, pkg, fallback in (("hello", "fcgi", ["-lfcgi"]),
                                ("hashbound", "libgcrypt", ["-lgcrypt"])):
        r = subprocess.run(["pkg-config", "--cflags", "--libs", pkg],
                           capture_output=True, text=True)
        flags = r.stdout.split() if r.returncode == 0 else fallback
        path = os.path.join(tmp, name)
        argv = [cc, "-O2", "-Wall", "-Wextra", "-o", path,
                os.path.join(HERE, f"{name}.c")] + flags
        try:
            r = subprocess.run(argv, capture_output=True, text=True)
        except OSError as e:
            raise ToolError(f"{cc}: {e}")
        if r.returncode != 0:
            raise ToolError(f"cannot compile tests/bench/{name}.c "
                            f"({' '.join(argv)}):\n{r.stderr}")
        out[name] = path
    return out


# ------------------------------------------------------------------ wrk

_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def _ms(text, label):
    m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)
    return float(m.group(1)) * _UNIT_MS[m.group(2)] if m else None


class WrkResult:
    def __init__(self, out):
        self.out = out
        m = re.search(r"Requests/sec:\s+([\d.]+)", out)
        self.rps = float(m.group(1)) if m else None
        m = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", out)
        self.requests = int(m.group(1)) if m else 0
        self.seconds = (float(m.group(2)) * {"ms": 0.001, "s": 1, "m": 60}[m.group(3)]
                        if m else None)
        self.p50 = _ms(out, "50%")
        self.p99 = _ms(out, "99%")
        m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
        self.over399 = int(m.group(1)) if m else 0
        m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                      r"timeout (\d+)", out)
        self.errors = dict(zip(("connect", "read", "write", "timeout"),
                               map(int, m.groups()))) if m else {}
        self.statuses = collections.Counter()   # from nginx's access log
        self.times = {}                         # (method, status) -> [ms], idem

    def rate(self, status, method="POST"):
        """Answers with status per second of wrk's run (from the access log)."""
        n = self.statuses.get((method, status), 0)
        return n / self.seconds if self.seconds else None

    def socket_errors(self):
        return sum(self.errors.values())


def wrk_argv(url, duration, conns, threads, script=None, timeout=None):
    argv = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{duration}s", "--latency"]
    if timeout:
        argv.append(f"--timeout={timeout}s")
    if script:
        argv += ["-s", script]
    return argv + [url]


def wrk(url, duration, conns, threads, script=None, timeout=None):
    r = subprocess.run(wrk_argv(url, duration, conns, threads, script, timeout),
                       capture_output=True, text=True)
    return WrkResult(r.stdout + r.stderr)


class AccessLog:
    """Statuses of the requests an nginx logged since the last take(). The log is
    emptied after each take (nginx appends with O_APPEND, so that is safe). The
    bench's own GET /metrics polls are left out."""

    def __init__(self, fe):
        self.path = os.path.join(fe.dir, "nginx", "access.log")
        self.times = {}

    def reset(self):
        if os.path.exists(self.path):
            os.truncate(self.path, 0)

    def take(self):
        """Counter of (method, status) since the last take(); self.times gets
        {(method, status): [$request_time in ms]} of the same requests."""
        c, times = collections.Counter(), collections.defaultdict(list)
        try:
            with open(self.path, encoding="utf-8", errors="replace") as f:
                for line in f:
                    # ... "METHOD PATH" STATUS BYTES TIME
                    q = line.rfind('"')
                    if q < 0:
                        continue
                    request = line[line.rfind('"', 0, q) + 1:q].split(" ")
                    if len(request) > 1 and request[1] == "/metrics":
                        continue
                    rest = line[q + 1:].split()
                    if rest:
                        c[(request[0], rest[0])] += 1
                        try:
                            times[(request[0], rest[0])].append(float(rest[2]) * 1000)
                        except (IndexError, ValueError):
                            pass
        except OSError:
            pass
        self.reset()
        self.times = dict(times)
        return c


def pct(values, q):
    """The q-th percentile (nearest rank) of values, or None."""
    if not values:
        return None
    v = sorted(values)
    return v[max(0, math.ceil(q / 100 * len(v)) - 1)]


def non200(statuses):
    """Responses other than 200, besides 499: nginx logs 499 for each request
    whose client closed the connection, which wrk does to the requests still in
    flight when its run ends (at most one per connection)."""
    return sum(n for (m, st), n in statuses.items() if st not in ("200", "499"))


def cut(statuses):
    """The 499s (see non200)."""
    return sum(n for (m, st), n in statuses.items() if st == "499")


def fmt_statuses(statuses, method=None):
    items = sorted((st, n) for (m, st), n in statuses.items()
                   if method is None or m == method)
    merged = collections.Counter()
    for st, n in items:
        merged[st] += n
    return ", ".join(f"{st}: {n}" for st, n in sorted(merged.items())) or "none"


# ------------------------------------------------------------------ memory

def private_kib(pid):
    """Private_Clean + Private_Dirty of pid in KiB, or None (gone)."""
    total, found = 0, False
    for name in (f"/proc/{pid}/smaps_rollup", f"/proc/{pid}/smaps"):
        try:
            with open(name) as f:
                for line in f:
                    if line.startswith(("Private_Clean:", "Private_Dirty:")):
                        total += int(line.split()[1])
                        found = True
        except OSError:
            continue
        if found:
            return total
    return None


def _comm(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return None


def descendants(pid):
    """[(pid, comm)] of every live descendant of pid."""
    kids = collections.defaultdict(list)
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        after = stat[stat.rindex(")") + 2:].split()
        if after[0] == "Z":
            continue
        kids[int(after[1])].append((int(d), stat[stat.index("(") + 1:stat.rindex(")")]))
    out, todo = [], [pid]
    while todo:
        for child in kids.get(todo.pop(), []):
            out.append(child)
            todo.append(child[0])
    return out


def _listener_inode(path):
    """The inode of the listening unix socket bound to path, or None."""
    try:
        with open("/proc/net/unix") as f:
            next(f)
            for line in f:
                cols = line.split()
                if len(cols) >= 8 and cols[7] == path:
                    return cols[6]
    except (OSError, StopIteration):
        pass
    return None


def _holds_socket(pid, inode):
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                    return True
            except OSError:
                continue
    except OSError:
        pass
    return False


def kenpod_roles(fe):
    """({pid: role}, named) for one frontend's kenpod. The roles come from the
    children's names (kenpod.c: kenpod-worker, kenpod-mailer, kenpod-hash); a
    child not yet renamed (just forked) is "other". Only when no child carries a
    name (named False) are the page workers told apart by the listening socket
    they share; the others are then "other"."""
    master = fe.kenpod_pid
    if master is None:
        return {}, True
    kids = descendants(master)
    roles = {master: "master"}
    named = not kids or any(comm in ROLES and comm != "kenpod" for _, comm in kids)
    inode = None if named else _listener_inode(fe.socket)
    for pid, comm in kids:
        if named:
            roles[pid] = ROLES.get(comm, "other") if comm != "kenpod" else "other"
        elif comm == "kenpod" and inode and _holds_socket(pid, inode):
            roles[pid] = "page worker"
        else:
            roles[pid] = "other"
    return roles, named


def memory_snapshot(frontends, hello=None):
    """{(frontend, role): [KiB, ...]} and whether all roles were named."""
    snap, named_all = collections.defaultdict(list), True
    for name, fe in frontends:
        roles, named = kenpod_roles(fe)
        named_all &= named
        for pid, role in roles.items():
            kib = private_kib(pid)
            if kib is not None:
                snap[(name, role)].append(kib)
    if hello is not None and hello.proc is not None:
        for pid, comm in descendants(hello.proc.pid):
            kib = private_kib(pid)
            if kib is not None:
                snap[("hello", "worker")].append(kib)
    return snap, named_all


# ------------------------------------------------------------------ the hash pool

START_LINE = re.compile(r"kenpod started: (\d+) workers and (\d+) hashing processes")


def hash_pool(fe, cpus):
    """(P, how it was found) for one frontend's kenpod: the number of its
    kenpod-hash children, checked against its start log line ("kenpod started: N
    workers and M hashing processes"); without named children, the log line,
    else Server.HashWorkers or the online CPUs as hashpool.c counts."""
    logged = None
    deadline = time.monotonic() + 5
    while True:
        try:
            for line in fe.log_lines():
                m = START_LINE.search(line)
                if m:
                    logged = int(m.group(2))
        except OSError:
            pass
        counted = len(fe.hash_pids())
        if (logged is not None and counted == logged) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    if counted:
        if logged is None:
            return counted, f"{counted} kenpod-hash processes; no start log line"
        if logged == counted:
            return counted, f"{counted} kenpod-hash processes, as its start log says"
        return counted, (f"{counted} kenpod-hash processes, but its start log says "
                         f"{logged}: MISMATCH")
    if logged is not None:
        return logged, "its start log line (no kenpod-hash process found)"
    n = int(fe.config.get("Server.HashWorkers", "0") or 0)
    if n > 0:
        return n, "Server.HashWorkers (no kenpod-hash process, no start log line)"
    return cpus, "online CPUs (no kenpod-hash process, no start log line)"


def hash_queue(fe, pool):
    """(Q, how): how many page workers kenpod lets wait for the pool at once
    (hashpool.c queue_size): Server.HashQueue, else min(2 x pool, Server.Workers
    - 1), at least 1; at most 256."""
    n = int(fe.config.get("Server.HashQueue", "0") or 0)
    workers = int(fe.config.get("Server.Workers", "4"))
    if n > 0:
        how = "Server.HashQueue"
    else:
        n = max(1, min(2 * pool, workers - 1))
        how = (f"Server.HashQueue {'0' if 'Server.HashQueue' in fe.config else 'unset'}: "
               f"min(2 x pool, Server.Workers {workers} - 1)")
    return min(n, 256), how


# ------------------------------------------------------------------ the hello

class Hello:
    """The bare libfcgi hello behind an nginx made from the same template as the
    stack's (conftest.Frontend's nginx, pointed at the hello's socket)."""

    def __init__(self, stack, binary, workers):
        self.fe = conftest.Frontend(stack, "hello")
        self.fe.socket = os.path.join(self.fe.dir, "run", "hello.sock")
        self.log = os.path.join(self.fe.dir, "log", "hello.log")
        self.binary = binary
        self.workers = workers
        self.proc = None
        stack.frontends.append(self.fe)     # Stack.stop() stops its nginx

    @property
    def base_url(self):
        return self.fe.base_url

    def start(self):
        self.proc = conftest.spawn([self.binary, self.fe.socket, str(self.workers)],
                                   self.log)
        conftest.wait_until(lambda: os.path.exists(self.fe.socket), 20,
                            "the hello did not create its socket", self.proc, self.log)
        self.fe.start_nginx()

    def stop(self):
        conftest.kill_group(self.proc)
        self.proc = None
        self.fe.stop()


# ------------------------------------------------------------------ checks

def check_page(client, path, must):
    """GET path: (ok, note). ok when it answers 200 with an HTML page containing
    every string of must."""
    try:
        r = client.get(path)
    except OSError as e:
        return False, f"no answer ({e})"
    if r.status != 200:
        return False, f"answered {r.status}"
    missing = [x for x in ["</html>"] + list(must) if x not in r.text]
    if missing:
        return False, f"200 but the page lacks {missing} ({len(r.raw)} bytes)"
    return True, f"200, {len(r.raw)} bytes"


def pre_and_csrf(fe, path):
    """(pre cookie, csrf token) from a fresh GET of path on fe."""
    c = fe.client()
    page = c.get(path)
    if page.status != 200:
        raise NotMeasured(f"GET {path} answered {page.status}")
    token = conftest.form_fields(page).get("csrf")
    pre = c.cookies.get("pre")
    if not token or not pre:
        raise NotMeasured(f"GET {path}: no csrf field or no pre cookie")
    return pre, token


# ------------------------------------------------------------------ GET pages

def get_rounds(a, cases):
    """cases: [(label, base_url, path, AccessLog)]. {label: [WrkResult]}."""
    results = {label: [] for label, *_ in cases}
    if a.warmup > 0:
        say(f"warm-up: {a.warmup} s of wrk per case")
        for label, base, path, log in cases:
            wrk(base + path, a.warmup, a.connections, a.threads)
            log.reset()
    for rnd in range(1, a.rounds + 1):
        line = []
        for label, base, path, log in cases:
            log.reset()
            r = wrk(base + path, a.duration, a.connections, a.threads)
            r.statuses = log.take()
            results[label].append(r)
            bad = non200(r.statuses)
            line.append(f"{label} {r.rps or 0:.0f}/s p99 {r.p99 or 0:.1f} ms"
                        + (f" ({bad} not 200)" if bad else ""))
        say(f"round {rnd}/{a.rounds}: " + "; ".join(line))
    return results


# ------------------------------------------------------------------ signups

def _maildir_scan(maildir, seen, found):
    """Read the headers of the messages in maildir/new not yet in seen; append
    (stored time, to, subject) to found."""
    parser = email.parser.BytesHeaderParser(policy=email.policy.default)
    d = os.path.join(maildir, "new")
    for name in os.listdir(d):
        if name in seen:
            continue
        try:
            with open(os.path.join(d, name), "rb") as f:
                h = parser.parse(f)
        except OSError:
            continue
        seen.add(name)
        try:
            stored = float(name.split(".P", 1)[0])   # the sink's time.time()
        except ValueError:
            stored = os.stat(os.path.join(d, name)).st_mtime
        found.append((stored, email.utils.parseaddr(str(h.get("To", "")))[1].lower(),
                      str(h.get("Subject", ""))))


def signup_burst(a, stack, fe):
    """The signup burst on fe; a dict of figures."""
    n = a.signups
    pre, token = pre_and_csrf(fe, "/signup")
    u = urllib.parse.urlsplit(fe.base_url)
    nonce = os.urandom(4).hex()
    addrs = [f"burst-{nonce}-{i}@example.com" for i in range(n)]
    statuses = collections.Counter()        # every answer, the 503s included
    accepted, lock = set(), threading.Lock()
    waited = [0.0]                          # seconds slept on Retry-After
    maildir = stack.smtp.maildir
    seen, found = set(), []
    _maildir_scan(maildir, seen, found)      # what is there before: not ours
    found.clear()

    def post_once(addr):
        """One step-1 POST: (status text, accepted, Retry-After seconds or None)."""
        body = urllib.parse.urlencode({
            "email": addr, "password": PASSWORD, "agree_terms": "1",
            "agree_privacy": "1", "csrf": token}).encode()
        # One connection per POST, as conftest.Client: http.client never re-sends.
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
        try:
            conn.request("POST", "/signup", body=body, headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": fe.base_url, "Cookie": f"pre={pre}",
                "Accept-Language": "ja", "User-Agent": "kenpo-bench"})
            r = conn.getresponse()
            r.read()
            ok = r.status == 303 and r.getheader("Location", "").endswith("/signup/sent")
            retry = None
            if r.status == 503:
                try:
                    retry = float(r.getheader("Retry-After", "1"))
                except ValueError:
                    retry = 1.0
            return str(r.status), ok, retry
        except (OSError, http.client.HTTPException) as e:
            return f"error ({type(e).__name__})", False, None
        finally:
            conn.close()

    def post(addr, record=True):
        """POST addr until it is answered other than 503, as a member's browser
        would: a 503 (the hashing pool is full) is sent again after its
        Retry-After, at most RETRY_CAP_S, for RETRY_GIVE_UP_S at most."""
        give_up = time.monotonic() + RETRY_GIVE_UP_S
        while True:
            st, ok, retry = post_once(addr)
            if record:
                with lock:
                    statuses[st] += 1
            if retry is None:
                break
            if time.monotonic() > give_up:
                st = "503 (gave up)"
                break
            pause = min(max(retry, 0.0), RETRY_CAP_S)
            if record:
                with lock:
                    waited[0] += pause
            time.sleep(pause)
        if record and ok:
            with lock:
                accepted.add(addr)
        return st, ok

    # One POST like the burst's first: it must be accepted (303 to /signup/sent).
    st, ok = post(f"burst-{nonce}-check@example.com", record=False)
    if not ok:
        raise NotMeasured(f"a step-1 POST answered {st}, not 303 to /signup/sent "
                          "(a form error or the signup throttle?)")
    say(f"signup burst: {n} step-1 POSTs from {a.signup_clients} clients, a 503 sent "
        f"again after its Retry-After (at most {RETRY_CAP_S:g} s) ...")
    t0 = time.time()
    with ThreadPoolExecutor(a.signup_clients) as pool:
        finals = collections.Counter(st for st, ok in pool.map(post, addrs))
    t_posts = time.time() - t0
    say(f"  posts done in {t_posts:.1f} s (answers {fmt_counter(statuses)}; final "
        f"{fmt_counter(finals)}); waiting for the mails ...")

    want = set(x.lower() for x in addrs)
    deadline = time.monotonic() + a.mail_timeout
    last_new, last_count = time.monotonic(), 0
    while True:
        _maildir_scan(maildir, seen, found)
        got = set(to for _, to, _ in found if to in want)
        if got >= set(x.lower() for x in accepted):
            break
        if len(found) != last_count:
            last_count, last_new = len(found), time.monotonic()
        elif time.monotonic() - last_new > 60:
            pending = stack.sql("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"
                                " AND failed_at IS NULL")[0][0]
            if pending == "0":
                break       # nothing more will come
        if time.monotonic() > deadline:
            break
        time.sleep(0.5)
    # A duplicate would come at once: one more look after a mailer poll or two.
    time.sleep(2 * float(fe.config.get("Mail.Poll", "2")) + 0.5)
    _maildir_scan(maildir, seen, found)

    per = collections.Counter(to for _, to, _ in found if to in want)
    ours = sorted(t for t, to, _ in found if to in want)
    acc = set(x.lower() for x in accepted)
    subjects = collections.Counter(s for _, to, s in found if to in want)
    return {
        "n": n, "clients": a.signup_clients, "t_posts": t_posts,
        "statuses": statuses, "finals": finals, "accepted": len(accepted),
        "busy": statuses.get("503", 0), "waited": waited[0],
        "mails": len(ours),
        "t_last": (ours[-1] - t0) if ours else None,
        "t_first": (ours[0] - t0) if ours else None,
        "span": (ours[-1] - ours[0]) if len(ours) > 1 else None,
        "exactly_once": sum(1 for x in acc if per[x] == 1),
        "missing": sum(1 for x in acc if per[x] == 0),
        "duplicates": sum(per[x] - 1 for x in per if per[x] > 1),
        "dup_addrs": sum(1 for x in per if per[x] > 1),
        "unaccepted_mailed": sum(1 for x in per if x not in acc),
        "subjects": subjects,
        "timed_out": time.monotonic() > deadline,
    }


def fmt_counter(c):
    return ", ".join(f"{k}: {v}" for k, v in sorted(c.items())) or "none"


# ------------------------------------------------------------------ POST /login

LOGIN_LUA = r"""
-- POST /login with a wrong password and a fresh unknown address per request
-- (written by tests/bench/run.py).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Origin"] = "%(origin)s"
wrk.headers["Cookie"] = "pre=%(pre)s"
local made = 0
function setup(thread)
   made = made + 1
   thread:set("tid", made)
end
local n = 0
request = function()
   n = n + 1
   local body = "email=bl-%(nonce)s-" .. tid .. "-" .. n ..
      "%%40example.com&password=%(password)s&csrf=%(csrf)s"
   return wrk.format(nil, "/login", nil, body)
end
"""


def login_script(tmp, fe, pre, token):
    path = os.path.join(tmp, "login.lua")
    q = urllib.parse.quote
    with open(path, "w") as f:
        f.write(LOGIN_LUA % {"origin": fe.base_url, "pre": pre,
                             "nonce": os.urandom(4).hex(),
                             "password": q(WRONG_PASSWORD, safe=""),
                             "csrf": q(token, safe="")})
    return path


# The GET /login probe beside the POSTs: PROBE_CONNS connections, each sending
# its next request PROBE_GAP_MS after an answer (wrk's delay(), not counted in
# the latency). Unpaced, it would be a load of its own: on 2 CPUs it takes half
# of the CPU the hash pool needs and halves the POSTs measured.
PROBE_CONNS = 4
PROBE_GAP_MS = 40
PROBE_TEXT = (f"{PROBE_CONNS} connections, {PROBE_GAP_MS} ms between an answer "
              "and the next request")


def probe_script(tmp):
    path = os.path.join(tmp, "probe.lua")
    with open(path, "w") as f:
        f.write("-- GET /login, paced (written by tests/bench/run.py)\n"
                f"function delay() return {PROBE_GAP_MS} end\n")
    return path


def check_login_post(fe, pre, token):
    """One POST like wrk's: it must answer 200 with the form and the failure
    message, and kenpod must count one more login failure. NotMeasured."""
    c = fe.client()
    c.cookies["pre"] = pre
    before = conftest.metrics(c).get(LOGIN_FAIL_METRIC, 0)
    r = c.post("/login", {"email": f"bl-check-{os.urandom(4).hex()}@example.com",
                          "password": WRONG_PASSWORD, "csrf": token})
    if r.status != 200 or 'name="password"' not in r.text or \
            not any(s in r.text for s in LOGIN_FAILED):
        raise NotMeasured(f"POST /login (wrong password) answered {r.status} without "
                         "the form and its failure message: it did not reach the "
                         "password check")
    after = conftest.wait_metric(c, LOGIN_FAIL_METRIC, before + 1, timeout=5)
    if after is None or after < before + 1:
        raise NotMeasured("POST /login (wrong password): kenpod counted no login "
                         f"failure ({LOGIN_FAIL_METRIC} {before} -> {after})")


def hashbound(binary, procs, duration, cost):
    r = subprocess.run([binary, str(procs), str(duration), *map(str, cost)],
                       capture_output=True, text=True)
    m = re.search(r"rate=([\d.]+)", r.stdout)
    if r.returncode != 0 or not m:
        say(f"  hashbound failed ({r.returncode}): {r.stderr.strip()}")
        return None
    return float(m.group(1))


BUSY_METRIC = "kenpo_hash_busy_total"


def settled_counters(c, keys, quiet=1.0, limit=30):
    """/metrics values of keys once they have stood still for quiet seconds (the
    requests in flight when wrk stopped are still answered and counted), at most
    limit seconds."""
    def read():
        m = conftest.metrics(c)
        return tuple(m.get(k, 0) for k in keys)
    now, still, end = read(), time.monotonic(), time.monotonic() + limit
    while time.monotonic() - still < quiet and time.monotonic() < end:
        time.sleep(0.25)
        v = read()
        if v != now:
            now, still = v, time.monotonic()
    return dict(zip(keys, now))


def login_run(a, fe, log, tmp, pre, token, conns, threads):
    """wrk POST /login at -c conns, and the paced GET /login probe meanwhile:
    (post WrkResult, probe WrkResult, counted) where counted has what kenpod
    counted meanwhile: login failures (hashed) and busy answers (503)."""
    script = login_script(tmp, fe, pre, token)      # fresh addresses each run
    c = fe.client()
    keys = (LOGIN_FAIL_METRIC, BUSY_METRIC)
    before = settled_counters(c, keys, quiet=0)
    log.reset()
    post = subprocess.Popen(wrk_argv(fe.base_url + "/login", a.duration, conns,
                                     threads, script, timeout=60),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    probe = subprocess.Popen(wrk_argv(fe.base_url + "/login", a.duration, PROBE_CONNS,
                                      1, probe_script(tmp), timeout=60),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    p = WrkResult(post.communicate()[0])
    q = WrkResult(probe.communicate()[0])
    after = settled_counters(c, keys)
    st = log.take()
    for r, method in ((p, "POST"), (q, "GET")):
        r.statuses = collections.Counter({k: v for k, v in st.items() if k[0] == method})
        r.times = {k: v for k, v in log.times.items() if k[0] == method}
    counted = {"fail": int(after[keys[0]] - before[keys[0]]),
               "busy": int(after[keys[1]] - before[keys[1]])}
    return p, q, counted


def login_rounds(a, fe, log, tools, tmp, pool, queue, cost):
    pre, token = pre_and_csrf(fe, "/login")
    check_login_post(fe, pre, token)
    out = {"post": [], "probe": [], "ceiling": [], "counted": [],
           "flood": None, "flood_probe": None, "flood_counted": None,
           "flood_ceiling": None,
           "pool": pool, "queue": queue}
    threads = max(1, min(a.threads, queue))
    for rnd in range(1, a.rounds + 1):
        rate = hashbound(tools["hashbound"], pool, a.duration, cost)
        out["ceiling"].append(rate)
        p, q, counted = login_run(a, fe, log, tmp, pre, token, queue, threads)
        out["post"].append(p)
        out["probe"].append(q)
        out["counted"].append(counted)
        say(f"round {rnd}/{a.rounds}: ceiling {rate or 0:.1f} hashes/s; POST /login "
            f"-c{queue}: {p.rate('200') or 0:.1f} answered 200/s, "
            f"{p.rate('503') or 0:.1f} 503/s, p99 {p.p99 or 0:.0f} ms; GET /login "
            f"meanwhile p99 {q.p99 or 0:.0f} ms; kenpod counted {counted['fail']} "
            f"failures, {counted['busy']} busy ({fmt_statuses(p.statuses)})")
    threads = max(1, min(a.threads, a.connections))
    rate = hashbound(tools["hashbound"], pool, a.duration, cost)
    p, q, counted = login_run(a, fe, log, tmp, pre, token, a.connections, threads)
    out.update(flood=p, flood_probe=q, flood_counted=counted, flood_ceiling=rate)
    say(f"flood: ceiling {rate or 0:.1f} hashes/s; POST /login -c{a.connections}: "
        f"{p.rate('200') or 0:.1f} answered 200/s, "
        f"{p.rate('503') or 0:.1f} 503/s, p99 {p.p99 or 0:.0f} ms; GET /login meanwhile "
        f"p99 {q.p99 or 0:.0f} ms; kenpod counted {counted['fail']} failures, "
        f"{counted['busy']} busy ({fmt_statuses(p.statuses)})")
    return out


# ------------------------------------------------------------------ the table

def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def f0(v, w=8, d=0):
    return f"{v:{w}.{d}f}" if v is not None else f"{'-':>{w}}"


def print_table(a, m, info, pages, login, burst, mem_before, mem_after, named,
                oidc=None):
    w = []
    add = w.append
    add("")
    add("=" * 100)
    add(f"kenpo bench, {m['date']}")
    add(f"machine: {m['cpus']} CPUs online ({m['usable']} usable), {m['model']}, "
        f"{m['kernel']}; load average {m['load']:.2f} at start, "
        f"{os.getloadavg()[0]:.2f} at end")
    add(f"kenpod:  {info['workers']} page workers (Server.Workers), Server.LogLevel "
        f"{info['loglevel']}; Argon2id m={info['cost'][0]} KiB t={info['cost'][1]} "
        f"p={info['cost'][2]}; hash pool {info['procs']} ({info['pool_src']})")
    add(f"load:    wrk -t{a.threads} -c{a.connections} -d{a.duration}s for the GET pages, "
        f"-c the HashQueue for POST /login, then one")
    add(f"         POST /login flood at -c{a.connections}; {a.rounds} interleaved "
        "round(s), medians; every case through nginx from contrib/nginx/dev.conf.in")
    if conftest.SANITIZED:
        add("NOTE:    this build has sanitizers (--enable-sanitizers): figures mean little")
    if max(m["load"], os.getloadavg()[0]) > m["cpus"] / 2:
        add("NOTE:    load average above half the CPUs (a minute's average: it may "
            "also be the tail of earlier")
        add("         work): figures may share the CPUs with other work, and a ratio of "
            "two runs (x hello,")
        add("         x ceiling) may swing from round to round; see the rounds")
    add("")
    add(f"{'GET page':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'x hello':>8} "
        f"{'p99/hello':>9} {'not 200':>8}  req/s per round")
    hello = pages.get("hello") or []
    h_rps, h_p99 = med(r.rps for r in hello), med(r.p99 for r in hello)

    def page_line(name, rs):
        rps, p50, p99 = med(r.rps for r in rs), med(r.p50 for r in rs), med(r.p99 for r in rs)
        bad = sum(non200(r.statuses) for r in rs)
        errs = sum(r.socket_errors() for r in rs)
        ratio = rps / h_rps if rps and h_rps else None
        p99r = p99 / h_p99 if p99 and h_p99 else None
        note = ""
        if bad:
            note += "  NOT 200: " + fmt_statuses(sum((r.statuses for r in rs),
                                                    collections.Counter()))
        if errs:
            note += f"  socket errors: {errs}"
        n499 = sum(cut(r.statuses) for r in rs)
        if n499 > a.connections * len(rs):
            note += f"  499 (closed by wrk): {n499}"
        add(f"{name:34} {f0(rps)} {f0(p50, 8, 2)} {f0(p99, 8, 2)} {f0(ratio, 8, 2)} "
            f"{f0(p99r, 9, 2)} {bad:8d}  " + " ".join(f"{r.rps or 0:.0f}" for r in rs) + note)

    for label, rs in pages.items():
        page_line(info["labels"][label], rs)
    add("")
    add("OpenID Connect (issue 15), on the same kenpod, in rounds of their own beside "
        "GET /: a code exchange")
    add("  (code looked up and used, access token stored, ES256 ID token signed; "
        "client_secret_basic) and")
    add("  userinfo (bearer token looked up, claims). x hello: over the hello's median "
        "above.")
    if isinstance(oidc, str):
        add(f"  NOT MEASURED: {oidc}")
    elif oidc:
        for label, rs in oidc.items():
            page_line(label, rs)
    add("")
    add("POST /login: wrong password, a fresh unknown address each (one Argon2id hash "
        "each), on a second kenpod")
    add("  (Login.Captcha = off: with it on, failures from one client address raise the "
        "CAPTCHA level and the")
    add("  password is never hashed). 200/s and 503/s: answers per second of wrk's run, "
        "from nginx's access log;")
    add("  a 200 was hashed, a 503 (busy, Retry-After) was refused at once because the "
        "pool was full.")
    if isinstance(login, str):
        add(f"  NOT MEASURED: {login}")
    else:
        add(f"  logins kenpod: hash pool {login['pool']} ({info['login_pool_src']});")
        add(f"  at most {login['queue']} POSTs wait for it ({info['login_queue_src']}).")
        add("  x ceiling: 200/s over the hash-bound ceiling measured just before, median "
            "over the rounds.")
        add(f"  GET /login paced: {PROBE_TEXT}")
        add("  (wrk's delay(), not in the latency): a probe of page latency, not a load.")
        posts, probes, ceil = login["post"], login["probe"], login["ceiling"]
        add(f"{'':34} {'200/s':>8} {'503/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'x ceiling':>9} {'other':>6}  per round")

        def other(rs):
            return sum(n for r in rs for (m, st), n in r.statuses.items()
                       if st not in ("200", "499", "503"))

        def ratio(r, ceiling):
            ok = r.rate("200")
            return ok / ceiling if ok is not None and ceiling else None

        def line(label, rs, ceilings=None, method="POST", rounds=True):
            """ceilings: each run's own hash-bound ceiling; x ceiling is the
            median of the runs' 200/s over their ceiling."""
            ok = med(r.rate("200", method) for r in rs)
            busy = med(r.rate("503", method) for r in rs)
            x = med(ratio(r, cl) for r, cl in zip(rs, ceilings)) if ceilings else None
            bad = other(rs)
            text = (f"{label:34} {f0(ok, 8, 1)} {f0(busy, 8, 1)} "
                    f"{f0(med(r.p50 for r in rs), 8, 1)} {f0(med(r.p99 for r in rs), 8, 1)} "
                    f"{f0(x, 9, 2)} {bad:6d}  ")
            if rounds and ceilings:
                text += " ".join(f"{r.rate('200') or 0:.1f}"
                                 + (f" ({ratio(r, cl):.2f})" if ratio(r, cl) is not None
                                    else "") for r, cl in zip(rs, ceilings)) + " 200/s"
            elif rounds:
                text += " ".join(f"{r.rate('200', method) or 0:.1f}" for r in rs) + " 200/s"
            if bad:
                text += "  NOT 200/503: " + fmt_statuses(
                    sum((r.statuses for r in rs), collections.Counter()))
            errs = sum(r.socket_errors() for r in rs)
            if errs:
                text += f"  socket errors: {errs}"
            return text

        q = login["queue"]
        add(line(f"POST /login -c{q} (= HashQueue)", posts, ceilings=ceil))
        fc = login["flood_ceiling"]
        add(f"{'hash-bound ceiling (' + str(login['pool']) + ' procs)':34} "
            f"{f0(med(ceil), 8, 1)} {'hashes/s (bare C loop, same parameters)':43}  "
            + " ".join(f"{x:.1f}" if x is not None else "failed" for x in ceil)
            + (f"; before the flood {fc:.1f}" if fc is not None else ""))
        add(line("GET /login meanwhile, paced", probes, method="GET")
            + "  (page latency under hash load; not a target)")
        flood = login["flood"]
        if flood is not None:
            add(line(f"POST /login flood -c{a.connections} (1 round)", [flood],
                     ceilings=[fc], rounds=False))
            add(line("GET /login in the flood, paced", [login["flood_probe"]],
                     method="GET", rounds=False) + "  (pages stay served? not a target)")
            parts = []
            for st, what in (("200", "hashed (200)"), ("503", "refused (503)")):
                t = flood.times.get(("POST", st))
                if t:
                    parts.append(f"{what} {len(t)}: p50 {pct(t, 50):.0f} ms, "
                                 f"p99 {pct(t, 99):.0f} ms")
            if parts:
                add("  flood answers by status (nginx $request_time): " + "; ".join(parts))

        def agree(runs):
            """kenpod's counts against nginx's: (text, ok)."""
            n200 = sum(r.statuses.get(("POST", "200"), 0) for r, _ in runs)
            n503 = sum(r.statuses.get(("POST", "503"), 0) for r, _ in runs)
            n499 = sum(cut(r.statuses) for r, _ in runs)
            fail = sum(k["fail"] for _, k in runs)
            busy = sum(k["busy"] for _, k in runs)
            ok = fail >= n200 and busy >= n503 and (fail - n200) + (busy - n503) <= n499
            return (f"{fail} failures for {n200} answered 200, {busy} busy for {n503} "
                    f"answered 503 ({n499} cut: 499)"), ok

        runs = list(zip(posts, login["counted"]))
        t1, ok1 = agree(runs)
        add(f"  kenpod counted (/metrics): -c{q}: {t1}")
        ok2 = True
        if flood is not None:
            t2, ok2 = agree([(flood, login["flood_counted"])])
            add(f"{'':28}flood: {t2}")
        add("  (the difference may only be the POSTs wrk left in flight, which nginx "
            "logs 499 and kenpod still answers)"
            + ("" if ok1 and ok2 else
               "  MISMATCH: kenpod's counters and nginx's statuses disagree"))
    add("")
    if burst is None:
        add("signup burst: not run (--signups 0)")
    elif isinstance(burst, str):
        add(f"signup burst: NOT MEASURED: {burst}")
    else:
        b = burst
        add(f"signup burst: {b['n']} addresses, a step-1 POST each, from {b['clients']} "
            f"client threads; Signup.StartPerHour raised to {SIGNUP_PER_HOUR};")
        add(f"  a POST answered 503 (busy) is sent again after its Retry-After, capped "
            f"at {RETRY_CAP_S:g} s, as a browser would")
        posts = sum(b["statuses"].values())
        add(f"  posts:     {b['t_posts']:.1f} s until every address was answered: "
            f"{b['n'] / b['t_posts']:.1f} addresses/s; {b['busy']} answers 503 (busy, "
            f"sent again), {posts} POSTs in all")
        add(f"             answers {fmt_counter(b['statuses'])}; final "
            f"{fmt_counter(b['finals'])}; {b['waited']:.0f} s slept on Retry-After "
            "over all clients")
        if b["t_last"] is not None:
            add(f"  mail:      {b['mails']} in the sink, the last {b['t_last']:.1f} s after "
                f"the first post: {b['mails'] / b['t_last']:.1f} mails/s end to end")
            add(f"             first mail at {b['t_first']:.1f} s"
                + (f", {(b['mails'] - 1) / b['span']:.1f} mails/s from the first to the "
                   "last" if b["span"] else "")
                + f" (Mail.Batch {info['mail_batch']}, Mail.Poll {info['mail_poll']})")
        else:
            add("  mail:      none arrived")
        add(f"  addresses: {b['accepted']} accepted (303), {b['exactly_once']} of them got "
            f"exactly one mail" + ("; subjects: " + fmt_counter(b["subjects"])
                                   if len(b["subjects"]) > 1 else ""))
        if b["missing"]:
            add(f"  MISSING:   {b['missing']} accepted address(es) got no mail"
                + (" (gave up waiting)" if b["timed_out"] else ""))
        if b["duplicates"]:
            add(f"  DUPLICATE: {b['duplicates']} extra mail(s) to {b['dup_addrs']} "
                "address(es)")
        if b["unaccepted_mailed"]:
            add(f"  note:      {b['unaccepted_mailed']} address(es) whose POST was not "
                "seen accepted got mail")
    add("")
    add("private memory (Private_Clean + Private_Dirty, /proc/PID/smaps_rollup), KiB; "
        "before the load / after everything")
    add(f"{'process':30} {'n':>3} {'max before':>11} {'max after':>10} {'sum after':>10}")
    keys = sorted(set(mem_before) | set(mem_after),
                  key=lambda k: (info["fe_order"].get(k[0], 9),
                                 ROLE_ORDER.index(k[1]) if k[1] in ROLE_ORDER else 9))
    for fe, role in keys:
        b, after = mem_before.get((fe, role), []), mem_after.get((fe, role), [])
        note = ""
        if role == "page worker" and after and max(after) > WORKER_LIMIT_KIB:
            note = f"  over 4 MiB ({sum(1 for x in after if x > WORKER_LIMIT_KIB)} of " \
                   f"{len(after)})"
        add(f"{info['fe_labels'].get(fe, fe) + ' ' + role:30} {len(after or b):3d} "
            f"{(max(b) if b else '-'):>11} {(max(after) if after else '-'):>10} "
            f"{(sum(after) if after else '-'):>10}{note}")
    if not named:
        add("  (kenpod names none of its children: page workers are the children "
            "sharing the listening socket; the others, mailer and hash pool, are "
            "\"other\")")
    add("=" * 100)
    say("\n".join(w))


# ------------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=int, default=10, help="seconds per wrk run (10)")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds (3)")
    ap.add_argument("--connections", type=int, default=64, help="wrk -c (64)")
    ap.add_argument("--threads", type=int, default=2, help="wrk -t (2)")
    ap.add_argument("--warmup", type=int, default=2, help="seconds of wrk per case first (2)")
    ap.add_argument("--workers", type=int, default=8,
                    help="Server.Workers, and the hello's (8: kenpod's default)")
    ap.add_argument("--signups", type=int, default=5000, help="step-1 POSTs (5000)")
    ap.add_argument("--signup-clients", type=int, default=16, help="client threads (16)")
    ap.add_argument("--mail-timeout", type=int, default=600,
                    help="seconds to wait for the activation mails (600)")
    a = ap.parse_args()

    if shutil.which("wrk") is None:
        say("bench: wrk is not installed (apt-get install wrk; contrib/dev.sh test "
            "installs it)")
        return 2
    m = machine()
    tmp = tempfile.mkdtemp(prefix="kenpo-bench-")
    try:
        tools = compile_tools(tmp)
    except ToolError as e:
        say(f"bench: {e}")
        shutil.rmtree(tmp, ignore_errors=True)
        return 2

    # The bench's keys first: KENPO_TEST_CONFIG given by the caller wins.
    mine = ["Login.Captcha=on", f"Signup.StartPerHour={SIGNUP_PER_HOUR}"]
    if a.workers:
        mine.append(f"Server.Workers={a.workers}")
    os.environ["KENPO_TEST_CONFIG"] = ";".join(
        mine + [os.environ.get("KENPO_TEST_CONFIG", "")])
    stack = conftest.Stack()
    hello = None
    rc = 0
    try:
        say(f"bench: starting the stack in {stack.dir} ...")
        try:
            stack.start()
        except Exception as e:
            raise SetupError(f"the stack did not start: {e}")
        main_fe = stack.main
        cfg = main_fe.config
        workers = int(cfg.get("Server.Workers", "4"))
        procs, pool_src = hash_pool(main_fe, m["cpus"])
        cost = (int(cfg.get("Security.Argon2.MemoryKiB", "19456")),
                int(cfg.get("Security.Argon2.Time", "2")),
                int(cfg.get("Security.Argon2.Lanes", "1")))
        captcha = cfg.get("Login.Captcha", "on")
        info = {
            "workers": workers, "loglevel": cfg.get("Server.LogLevel", "info"),
            "cost": cost, "procs": procs, "pool_src": pool_src,
            "mail_batch": cfg.get("Mail.Batch", "20"), "mail_poll": cfg.get("Mail.Poll", "2"),
            "labels": {"hello": f"hello (bare libfcgi, {workers} workers)",
                       "/": "GET /", "/signup": "GET /signup",
                       "/login": f"GET /login (CAPTCHA {captcha})"},
            "fe_order": {"pages": 0, "logins": 1, "hello": 2},
            "fe_labels": {"pages": "pages:", "logins": "logins:", "hello": "hello:"},
        }
        mem_before, named1 = memory_snapshot([("pages", main_fe)])

        hello = Hello(stack, tools["hello"], workers)
        try:
            hello.start()
        except Exception as e:
            raise SetupError(f"the hello did not start: {e}")
        hello_log, pages_log = AccessLog(hello.fe), AccessLog(main_fe)
        hb, _ = memory_snapshot([], hello)
        mem_before.update(hb)

        # Each page answers 200 with a real page before anything is measured.
        checks = [("hello", hello.fe.client(), "/", ["Hello"]),
                  ("/", main_fe.client(), "/", []),
                  ("/signup", main_fe.client(), "/signup", ['name="csrf"']),
                  ("/login", main_fe.client(), "/login",
                   ['name="csrf"', 'name="password"']
                   + (['name="captcha_challenge"'] if captcha == "on" else []))]
        failed = False
        for label, client, path, must in checks:
            ok, note = check_page(client, path, must)
            say(f"check {info['labels'][label]}: {note}")
            failed |= not ok
        if failed:
            raise SetupError("a page did not answer 200 with its page: nothing measured")

        pages = get_rounds(a, [("hello", hello.base_url, "/", hello_log),
                               ("/", main_fe.base_url, "/", pages_log),
                               ("/signup", main_fe.base_url, "/signup", pages_log),
                               ("/login", main_fe.base_url, "/login", pages_log)])
        hello_after, _ = memory_snapshot([], hello)
        hello.stop()

        oidc = None
        try:
            ob = oidc_bench.OidcBench(stack, main_fe, tmp, a.threads)
            oidc = ob.check()
        except Exception as e:
            oidc = f"setup failed: {e}"
        if oidc is None:
            oidc = oidc_bench.rounds(a, ob, pages_log, wrk, non200, say)
        else:
            say(f"oidc: not measured: {oidc}")
            rc = 1
        pages_log.reset()

        burst = None
        if a.signups > 0:
            try:
                burst = signup_burst(a, stack, main_fe)
            except NotMeasured as e:
                say(f"signup burst: not measured: {e}")
                burst, rc = str(e), 1
        pages_log.reset()

        say("starting a second kenpod with Login.Captcha = off for POST /login ...")
        try:
            login_fe = stack.frontend(config={"Login.Captcha": "off"})
        except Exception as e:
            raise SetupError(f"the logins frontend did not start: {e}")
        lb, named2 = memory_snapshot([("logins", login_fe)])
        mem_before.update(lb)
        lpool, info["login_pool_src"] = hash_pool(login_fe, m["cpus"])
        lqueue, info["login_queue_src"] = hash_queue(login_fe, lpool)
        say(f"logins kenpod: hash pool {lpool} ({info['login_pool_src']}), "
            f"HashQueue {lqueue} ({info['login_queue_src']})")
        try:
            login = login_rounds(a, login_fe, AccessLog(login_fe), tools, tmp, lpool,
                                 lqueue, cost)
        except NotMeasured as e:
            say(f"POST /login: not measured: {e}")
            login, rc = str(e), 1

        mem_after, named3 = memory_snapshot([("pages", main_fe), ("logins", login_fe)])
        mem_after.update(hello_after)
        print_table(a, m, info, pages, login, burst, mem_before, mem_after,
                    named1 and named2 and named3, oidc)
    except SetupError as e:
        say(f"bench: {e}")
        for root, f in (("main", "kenpod.log"), ("main", "nginx-error.log"),
                        ("hello", "hello.log"), ("hello", "nginx-error.log")):
            p = os.path.join(stack.dir, root, "log", f)
            if os.path.exists(p):
                say(conftest.tail(p, 15))
        rc = 1
    finally:
        if hello is not None and hello.proc is not None:
            hello.stop()
        stack.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        if os.environ.get("KENPO_KEEP_TMP") == "1":
            say(f"bench: the stack's directory is kept: {stack.dir}")
        else:
            shutil.rmtree(stack.dir, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
