"""
Integration test fixtures: the whole real stack, private to one test session.

The session-scoped fixture ``stack`` starts, in a private temporary directory:
a MariaDB server (unix socket, no TCP), an SMTP sink on a free loopback port,
kenpod (from $KENPO_BUILD, else ../../.dev/build) and nginx on a free loopback
port; applies the migrations with ``kenpoctl db migrate`` and loads the demo data
with contrib/demo/load.sh. It never touches the ports or files of
``contrib/dev.sh up``, so both can run side by side.

What a test gets (see class Stack and class Frontend below):

    stack.base_url                 "http://127.0.0.1:PORT"
    stack.client()                 a new HTTP client with its own cookie jar
    stack.ctl("insurer", "show", "06139992")   -> subprocess.CompletedProcess
    stack.sql("SELECT ...")        -> list of rows (tuples of str / None)
    stack.mails()                  -> list of Mail (email.message.EmailMessage)
    stack.wait_mail(to, timeout)   -> the first (or n-th) Mail to that address
    stack.new_email()              a fresh unique address for one test
    stack.stop_db() / start_db()   MariaDB outage
    stack.stop_smtp() / start_smtp()  SMTP outage (same port)
    stack.smtp_mode("rcpt 451")    make the sink refuse (see smtp_sink.py); "ok" again
    stack.kenpod_pid, stack.worker_pids(), stack.mailer_pids(), stack.hash_pids()
    stack.log_lines()              kenpod's log (stderr) lines
    stack.frontend(config={...}, max_body=..., host="localhost")  a second kenpod + nginx with
                                   extra config keys (e.g. {"Login.Captcha": "on"})
                                   on the same database and mail sink; change
                                   fe.config and call fe.restart_kenpod() to
                                   restart it with other keys, fe.reload() = SIGHUP

Extra config keys for the default kenpod: the environment variable
KENPO_TEST_CONFIG="Key=Value;Key=Value". By default the test stack runs with
Login.Captcha = off (tests turn it on with stack.frontend()).

Helpers for pages: csrf(html) -> the value of the hidden csrf input;
form_fields(html) -> {name: value} of a page's inputs.

Set KENPO_KEEP_TMP=1 to keep the stack's directory (logs, maildir) after the run.

In a build configured with --enable-sanitizers (``make sanitize-check``), every
ASan/UBSan/LSan report of kenpod, its workers and mailer, and kenpoctl is
collected (log_path= into the stack's sanitizers/ directory, plus a scan of the
kenpod logs and of kenpoctl's stderr, where gcc's UBSan writes): a test after
which a new report appears fails at teardown with the report, and so does the
session when one appears at the final shutdown (the leak checks run then). A
worker killed by a report is replaced by the master, so the test that caused it
could pass: this scan is what makes the run fail.
"""

import atexit
import email
import glob
import email.policy
import html.parser
import http.client
import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from email.message import EmailMessage

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import skipcheck  # noqa: E402  (tests/skipcheck.py: the allowed skips)
SRC = os.environ.get("KENPO_SRC") or os.path.abspath(os.path.join(HERE, "..", ".."))
BUILD = os.environ.get("KENPO_BUILD") or os.path.join(SRC, ".dev", "build")
PYTHON = "/usr/bin/python3"

# nginx's client_max_body_size of the default test frontend: higher than kenpod's
# Server.MaxBody (64 KiB) so that kenpod's own check is exercised; bodies over
# this are refused by nginx itself.
TEST_NGINX_MAX_BODY = 1024 * 1024
KENPOD_MAX_BODY = 65536
# nginx's limit of the upload locations (/verify/shot/), as in contrib/dev.sh: a
# little over kenpod's Verify.MaxRequestBytes (default 25 MiB).
TEST_NGINX_UPLOAD_MAX_BODY = 26 * 1024 * 1024

_live = []      # processes to kill at exit if a finaliser did not run


# ------------------------------------------------------------------ sanitizers

def _sanitized_build():
    """True when $KENPO_BUILD was configured with --enable-sanitizers."""
    try:
        with open(os.path.join(BUILD, "autoconf.h"), encoding="utf-8") as f:
            return re.search(r"^#define KENPO_SANITIZERS 1$", f.read(), re.M) is not None
    except OSError:
        return False


SANITIZED = _sanitized_build()
# The first line of any sanitizer report (ASan, LSan, UBSan's "file:line:col:
# runtime error:"), and the summary line every report ends with.
SANITIZER_REPORT = re.compile(r"==\d+==ERROR: \w+Sanitizer|^SUMMARY: \w+Sanitizer|"
                              r"^\w+Sanitizer:DEADLYSIGNAL|"
                              r"^\S+:\d+:\d+: runtime error: ", re.M)


class Sanitizers:
    """
    Where the sanitizer reports of one test session go and how they are found.
    Reports from processes that die (a worker hit by a report, a kenpoctl) and
    the leak checks at exit are written to files DIR/asan.PID (log_path); gcc's
    UBSan runtime ignores log_path and writes to stderr instead, so the kenpod
    logs are scanned too, and Stack.ctl() files any report in kenpoctl's stderr.
    """

    def __init__(self, root):
        self.dir = os.path.join(root, "sanitizers")
        self.root = root
        os.makedirs(self.dir, exist_ok=True)
        self.seen = set()           # report files already returned
        self.offsets = {}           # kenpod log -> bytes already scanned
        supp = os.path.join(SRC, "tests", "lsan.supp")
        # Options from `make check` (tests/tests.inc) or these defaults, then
        # the log paths of this session.
        asan = os.environ.get("ASAN_OPTIONS") or "detect_leaks=1:detect_stack_use_after_return=1"
        ubsan = os.environ.get("UBSAN_OPTIONS") or "print_stacktrace=1:halt_on_error=1"
        lsan = os.environ.get("LSAN_OPTIONS") or f"suppressions={supp}:print_suppressions=0"
        os.environ["ASAN_OPTIONS"] = f"{asan}:log_path={self.dir}/asan"
        os.environ["UBSAN_OPTIONS"] = f"{ubsan}:log_path={self.dir}/ubsan"
        os.environ["LSAN_OPTIONS"] = lsan

    def file_report(self, what, text):
        """Keep a report found in some output (kenpoctl's stderr) as a file."""
        path = os.path.join(self.dir, f"stderr.{len(os.listdir(self.dir))}")
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"{what}\n{text}")

    def new_reports(self):
        """Reports that appeared since the last call: [(where, text)]."""
        out = []
        for name in sorted(os.listdir(self.dir)):
            path = os.path.join(self.dir, name)
            if path in self.seen:
                continue
            self.seen.add(path)
            with open(path, encoding="utf-8", errors="replace") as f:
                out.append((path, f.read()))
        for log in sorted(glob.glob(os.path.join(self.root, "*", "log", "kenpod.log"))):
            try:
                with open(log, "rb") as f:
                    f.seek(self.offsets.get(log, 0))
                    chunk = f.read()
            except OSError:
                continue
            self.offsets[log] = self.offsets.get(log, 0) + len(chunk)
            text = chunk.decode("utf-8", errors="replace")
            m = SANITIZER_REPORT.search(text)
            if m:
                start = text.rfind("\n", 0, max(m.start() - 2000, 0)) + 1
                out.append((log, text[start:m.start() + 8000]))
        return out


def format_reports(reports):
    return "\n".join(f"--- {where} ---\n{text[:8000]}" for where, text in reports)


_sanitizers = []    # the session's Sanitizers, when the build is sanitized


# ------------------------------------------------------------------ utilities

def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port):
    with socket.socket() as s:
        s.settimeout(0.5)
        try:
            s.connect(("127.0.0.1", port))
            return True
        except OSError:
            return False


# ------------------------------------------------------------------ test data

_argon2_hashes = {}


def argon2_hash(password):
    """A PHC Argon2id hash from the reference tool, at kenpo's default cost (what
    kenpo stores); one per password per test run."""
    if password not in _argon2_hashes:
        r = subprocess.run(["argon2", os.urandom(8).hex(), "-id", "-t", "2", "-k", "19456",
                            "-p", "1", "-l", "32", "-e"], input=password.encode(),
                           capture_output=True, check=True)
        _argon2_hashes[password] = r.stdout.decode().strip()
    return _argon2_hashes[password]


def insurer_number(prefix):
    """A random valid insurer number (check digit as DESIGN.md) starting with
    prefix: each test file keeps its own prefix, so their insurers never meet."""
    body = prefix + "".join(str(b % 10) for b in os.urandom(7 - len(prefix)))
    total = 0
    for i, ch in enumerate(reversed(body)):
        p = int(ch) * (2 if i % 2 == 0 else 1)
        total += p // 10 + p % 10
    return body + str((10 - total % 10) % 10)


def digits(n):
    """n random digits, the first not 0 (a card symbol or number)."""
    return str(1 + os.urandom(1)[0] % 9) + "".join(str(b % 10) for b in os.urandom(n - 1))


def wait_until(pred, timeout, what, proc=None, log=None):
    """Poll pred() every 50 ms until it is true; fail with what (and a log tail)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(0.05)
    msg = f"{what} (waited {timeout}s)"
    if proc is not None and proc.poll() is not None:
        msg += f"; the process exited with {proc.returncode}"
    if log:
        msg += "\n" + tail(log)
    raise RuntimeError(msg)


def tail(path, n=30):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.readlines()
    except OSError:
        return f"({path}: no log)"
    return f"--- last lines of {path} ---\n" + "".join(lines[-n:])


def kill_group(proc, sig=signal.SIGTERM, timeout=10):
    """Signal proc (a session leader), wait, then SIGKILL its whole group."""
    if proc is None:
        return
    if proc.poll() is None:
        try:
            os.kill(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)    # workers left behind
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        pass
    if proc in _live:
        _live.remove(proc)


def spawn(argv, log, env=None):
    """Start argv in a new session (own process group), output appended to log."""
    out = open(log, "ab")
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True,
                                env=env)
    finally:
        out.close()
    _live.append(proc)
    return proc


@atexit.register
def _kill_leftovers():
    for proc in list(_live):
        kill_group(proc, signal.SIGKILL, 2)


def children_of(pid):
    """[(pid, comm, cmdline)] of the direct children of pid, from /proc."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
            with open(f"/proc/{d}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        if ppid == pid:
            out.append((int(d), comm, cmd))
    return out


def pid_alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except (OSError, IndexError):
        return False


# ------------------------------------------------------------------ HTTP

class Response:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers          # http.client.HTTPMessage: .get(), .get_all()
        self.raw = raw
        self.text = raw.decode("utf-8", errors="replace")

    @property
    def body(self):
        return self.text

    @property
    def location(self):
        return self.headers.get("Location")

    def __repr__(self):
        return f"<Response {self.status} {len(self.raw)} bytes>"


class Client:
    """
    A tiny HTTP/1.1 client (one connection per request) with a cookie jar. It does
    not follow redirects. POSTs carry Origin: base_url unless origin=None is given,
    as a browser would send.
    """

    def __init__(self, base_url, timeout=30):
        u = urllib.parse.urlsplit(base_url)
        self.base_url = base_url.rstrip("/")
        self.host, self.port = u.hostname, u.port
        self.timeout = timeout
        self.cookies = {}

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _store_cookies(self, headers):
        for sc in headers.get_all("Set-Cookie") or []:
            first = sc.split(";", 1)[0]
            if "=" not in first:
                continue
            name, value = first.split("=", 1)
            name = name.strip()
            attrs = sc.lower()
            m = re.search(r"max-age=(-?\d+)", attrs)
            if value == "" or (m and int(m.group(1)) <= 0) or "expires=thu, 01 jan 1970" in attrs:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def request(self, method, path, body=None, headers=None):
        h = {"User-Agent": "kenpo-integration-test", "Accept-Language": "ja"}
        if self.cookies:
            h["Cookie"] = self.cookie_header()
        if headers:
            h.update(headers)
        h = {k: v for k, v in h.items() if v is not None}
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=h)
            resp = conn.getresponse()
            raw = resp.read()
            r = Response(resp.status, resp.msg, raw)
        finally:
            conn.close()
        self._store_cookies(r.headers)
        return r

    def get(self, path, headers=None, params=None):
        if params:
            path += ("&" if "?" in path else "?") + urllib.parse.urlencode(params)
        return self.request("GET", path, headers=headers)

    def post(self, path, data=None, headers=None, origin="", raw=None,
             content_type="application/x-www-form-urlencoded"):
        """POST data (dict or list of pairs, form-encoded) or raw bytes."""
        if raw is None:
            raw = urllib.parse.urlencode(data or {}, doseq=True).encode()
        h = {"Content-Type": content_type}
        h["Origin"] = self.base_url if origin == "" else origin
        if headers:
            h.update(headers)
        return self.request("POST", path, body=raw, headers=h)

    def submit(self, page, path, data, csrf_field="csrf"):
        """POST data to path with the csrf value taken from page (a Response or str)."""
        text = page.text if isinstance(page, Response) else page
        d = dict(data)
        d.setdefault(csrf_field, csrf(text))
        return self.post(path, d)


def metrics(client):
    """/metrics as {'name{labels}': value}; the page must answer 200."""
    r = client.get("/metrics")
    assert r.status == 200, r.text[:300]
    out = {}
    for line in r.text.splitlines():
        if line and not line.startswith("#"):
            key, value = line.rsplit(None, 1)
            out[key] = float(value)
    return out


def wait_metric(client, key, at_least, timeout=10):
    """Poll /metrics until counter key reaches at_least; its last value. A process
    other than the one answering (the mailer) may count a moment later."""
    deadline = time.monotonic() + timeout
    while True:
        value = metrics(client).get(key)
        if (value is not None and value >= at_least) or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


class _Inputs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in ("input", "textarea", "select") or "name" not in a:
            return
        if tag == "input" and a.get("type") in ("checkbox", "radio") and "checked" not in a:
            return
        self.fields.setdefault(a["name"], a.get("value") or "")


def form_fields(page):
    """{name: value} of every input of a page (first occurrence wins)."""
    p = _Inputs()
    p.feed(page.text if isinstance(page, Response) else page)
    return p.fields


def csrf(page):
    """The value of the hidden csrf input of a page; fails the test without one."""
    v = form_fields(page).get("csrf")
    if not v:
        pytest.fail("no csrf input on the page")
    return v


# ------------------------------------------------------------------ mail

class Mail(EmailMessage):
    """A received message, with decoded conveniences."""

    @property
    def subject(self):
        return str(self.get("Subject", ""))

    @property
    def to(self):
        return str(self.get("To", ""))

    @property
    def body(self):
        part = self.get_body(preferencelist=("plain", "html")) if self.is_multipart() else self
        if part is None:
            return ""
        try:
            return part.get_content()
        except (KeyError, LookupError):
            return part.get_payload(decode=True).decode("utf-8", errors="replace")

    @property
    def urls(self):
        return re.findall(r"https?://[^\s<>\"']+", self.body)

    @property
    def code(self):
        """The first 6-digit number in the body (the mail code), or None."""
        m = re.search(r"(?<!\d)(\d{6})(?!\d)", self.body)
        return m.group(1) if m else None


def _read_mail(path):
    with open(path, "rb") as f:
        m = email.message_from_binary_file(f, _class=Mail, policy=email.policy.default)
    m.path = path
    return m


# ------------------------------------------------------------------ services

class MariaDB:
    def __init__(self, root):
        self.dir = root
        self.datadir = os.path.join(root, "mysql")
        self.socket = os.path.join(root, "run", "mysql.sock")
        self.log = os.path.join(root, "log", "mariadb.log")
        # MariaDB's temporary files (#sql-temptable-<pid>-…) in a directory of
        # this stack's own: in the shared /tmp two servers with the same pid in
        # different PID namespaces (a fresh-host run beside this one) collide.
        self.tmpdir = os.path.join(root, "mysql-tmp")
        self.user = _whoami()
        self.proc = None

    def install(self):
        # mariadbd's bootstrap has been seen to die with SIGSEGV now and then on a
        # loaded machine (a MariaDB bug, not ours): start over in a clean datadir,
        # up to three times, before giving up with its output.
        os.makedirs(self.tmpdir, exist_ok=True)
        for attempt in range(3):
            shutil.rmtree(self.datadir, ignore_errors=True)
            r = subprocess.run(
                ["mariadb-install-db", "--no-defaults", f"--user={self.user}",
                 f"--datadir={self.datadir}", f"--tmpdir={self.tmpdir}",
                 "--auth-root-authentication-method=socket",
                 # --force: no host name lookup (a minimal machine may not resolve
                 # its own name; only the unix socket is used).
                 "--skip-test-db", "--force"], capture_output=True, text=True)
            if r.returncode == 0:
                return
            if "got signal" not in r.stdout + r.stderr:
                break
        raise RuntimeError("mariadb-install-db failed:\n" + r.stdout + r.stderr)

    def start(self):
        self.proc = spawn(
            ["mariadbd", "--no-defaults", f"--user={self.user}", f"--datadir={self.datadir}",
             f"--tmpdir={self.tmpdir}", f"--socket={self.socket}", "--skip-networking",
             f"--pid-file={os.path.join(self.datadir, 'mariadbd.pid')}",
             f"--log-error={self.log}", "--skip-name-resolve",
             "--innodb-buffer-pool-size=64M", "--character-set-server=utf8mb4",
             "--collation-server=utf8mb4_unicode_ci"], self.log)
        wait_until(self.ready, 60, "MariaDB did not start", self.proc, self.log)

    def ready(self):
        r = subprocess.run(self.client_argv() + ["-e", "SELECT 1"],
                           capture_output=True)
        return r.returncode == 0

    def client_argv(self):
        return ["mariadb", "--no-defaults", f"--socket={self.socket}", f"-u{self.user}"]

    def run(self, query, db="kenpo"):
        argv = self.client_argv() + ["-N", "-B"]
        if db:
            argv.append(db)
        r = subprocess.run(argv, input=query, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"SQL failed: {query!r}\n{r.stderr}")
        rows = []
        for line in r.stdout.splitlines():
            rows.append(tuple(None if c == "NULL" else _unescape(c) for c in line.split("\t")))
        return rows

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        subprocess.run(self.client_argv() + ["-e", "SHUTDOWN"], capture_output=True)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            pass
        kill_group(self.proc)
        self.proc = None


def _unescape(s):
    # mariadb -B escapes \t \n \\ and NUL in values.
    if "\\" not in s:
        return s
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "0": "\0",
                                        "\\": "\\"}.get(m.group(1), m.group(1)), s)


def _whoami():
    import pwd
    return pwd.getpwuid(os.getuid()).pw_name


class SmtpSink:
    """tests/integration/smtp_sink.py on a free port; args: its extra options
    (e.g. --tls-cert, --auth)."""

    def __init__(self, root, args=()):
        self.maildir = os.path.join(root, "mail")
        self.log = os.path.join(root, "log", "smtp.log")
        self.port = free_port()
        self.control = os.path.join(root, "smtp-control")
        self.args = [str(a) for a in args]
        self.proc = None
        os.makedirs(os.path.join(root, "log"), exist_ok=True)
        for d in ("new", "cur", "tmp"):
            os.makedirs(os.path.join(self.maildir, d), exist_ok=True)

    def start(self):
        sink = os.path.join(SRC, "tests", "integration", "smtp_sink.py")
        if os.path.exists(sink):
            argv = [PYTHON, sink, "--maildir", self.maildir, "--port", str(self.port),
                    "--control", self.control, *self.args]
        else:
            argv = [PYTHON, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.port}",
                    "-c", "aiosmtpd.handlers.Mailbox", self.maildir]
        self.proc = spawn(argv, self.log)
        wait_until(lambda: port_open(self.port), 20, "the SMTP sink did not start",
                   self.proc, self.log)

    def stop(self):
        kill_group(self.proc, signal.SIGTERM, 10)
        self.proc = None
        wait_until(lambda: not port_open(self.port), 10, "the SMTP sink still listens")

    def running(self):
        return self.proc is not None and self.proc.poll() is None


class Frontend:
    """One kenpod (master + workers + mailer) and one nginx in front of it."""

    def __init__(self, stack, name, config=None, max_body=TEST_NGINX_MAX_BODY,
                 templates=None, wrapper=None, host="127.0.0.1"):
        self.stack = stack
        self.name = name
        self.dir = os.path.join(stack.dir, name)
        for d in ("run", "log", "nginx/temp"):
            os.makedirs(os.path.join(self.dir, d), exist_ok=True)
        self.port = free_port()
        # host "localhost": Service.BaseURL under a name (a WebAuthn RP ID
        # cannot be an IP address); nginx still listens on 127.0.0.1.
        self.base_url = f"http://{host}:{self.port}"
        self.socket = os.path.join(self.dir, "run", "kenpod.sock")
        # The staff console (issue 12): kenpod's second socket behind nginx's
        # second server, on a free loopback port of its own.
        self.staff_port = free_port()
        self.staff_url = f"http://127.0.0.1:{self.staff_port}"
        self.staff_socket = os.path.join(self.dir, "run", "kenpod-staff.sock")
        self.log = os.path.join(self.dir, "log", "kenpod.log")
        self.nginx_log = os.path.join(self.dir, "log", "nginx-error.log")
        self.conf = os.path.join(self.dir, "kenpo.hdf")
        self.templates = templates or os.path.join(SRC, "templates")
        self.max_body = max_body
        self.config = stack.base_config()
        self.config.update({
            "Service.BaseURL": self.base_url,
            "Server.Socket": self.socket,
            "Staff.Socket": self.staff_socket,
            "Staff.BaseURL": self.staff_url,
            "Server.Templates": self.templates,
            "Server.Htdocs": os.path.join(SRC, "htdocs"),
        })
        self.config.update(config or {})
        self.kenpod = None
        self.nginx = None
        self.wrapper = list(wrapper or [])   # e.g. ["valgrind", ...] before kenpod

    # -- processes

    def write_config(self):
        with open(self.conf, "w", encoding="utf-8") as f:
            f.write("# generated by tests/integration/conftest.py\n")
            for k, v in self.config.items():
                f.write(f"{k} = {v}\n")

    def start(self):
        self.write_config()
        self.start_kenpod()
        self.start_nginx()
        self.wait_healthy()
        return self

    def start_kenpod(self):
        for sock in (self.socket, self.staff_socket):
            if os.path.exists(sock):
                os.unlink(sock)
        self.kenpod = spawn(self.wrapper + [os.path.join(BUILD, "kenpod"), "-c", self.conf],
                            self.log)
        wait_until(lambda: os.path.exists(self.socket), 20,
                   f"kenpod ({self.name}) did not create its socket", self.kenpod, self.log)
        if self.config.get("Staff.Socket"):
            wait_until(lambda: os.path.exists(self.staff_socket), 20,
                       f"kenpod ({self.name}) did not create its staff socket",
                       self.kenpod, self.log)

    def start_nginx(self):
        prefix = os.path.join(self.dir, "nginx")
        with open(os.path.join(SRC, "contrib", "nginx", "dev.conf.in"), encoding="utf-8") as f:
            t = f.read()
        subst = {
            "@PREFIX@": prefix, "@PORT@": str(self.port), "@SOCKET@": self.socket,
            "@STAFF_PORT@": str(self.staff_port), "@STAFF_SOCKET@": self.staff_socket,
            "@HTDOCS@": os.path.join(SRC, "htdocs"), "@MAXBODY@": str(self.max_body),
            "@UPLOADMAXBODY@": str(TEST_NGINX_UPLOAD_MAX_BODY),
            "@LOGDIR@": os.path.join(self.dir, "log"),
            "@USER_LINE@": "user root;" if os.getuid() == 0 else "",
        }
        for k, v in subst.items():
            t = t.replace(k, v)
        conf = os.path.join(prefix, "nginx.conf")
        with open(conf, "w", encoding="utf-8") as f:
            f.write(t)
        self.nginx = spawn(["nginx", "-p", prefix, "-c", conf, "-e", self.nginx_log],
                           self.nginx_log)
        wait_until(lambda: port_open(self.port), 20, f"nginx ({self.name}) did not start",
                   self.nginx, self.nginx_log)

    def wait_healthy(self, timeout=30):
        last = []

        def ok():
            try:
                r = self.client().get("/healthz")
            except OSError as e:
                last[:] = [repr(e)]
                return False
            last[:] = [r.status]
            return r.status == 200
        wait_until(ok, timeout, f"{self.base_url}/healthz did not answer 200 "
                   f"(last: {last})", self.kenpod, self.log)

    def stop(self):
        kill_group(self.nginx, signal.SIGTERM, 10)
        self.nginx = None
        self.stop_kenpod()

    def stop_kenpod(self, timeout=20):
        kill_group(self.kenpod, signal.SIGTERM, timeout)
        rc = self.kenpod.returncode if self.kenpod else None
        self.kenpod = None
        return rc

    def restart_kenpod(self):
        self.stop_kenpod()
        self.write_config()
        self.start_kenpod()
        self.wait_healthy()

    def reload(self):
        """SIGHUP to the kenpod master (config and templates are reloaded)."""
        os.kill(self.kenpod.pid, signal.SIGHUP)

    # -- introspection

    @property
    def kenpod_pid(self):
        return self.kenpod.pid if self.kenpod else None

    def children(self):
        return children_of(self.kenpod_pid) if self.kenpod else []

    def _children_named(self, comm):
        return [p for p, c, cmd in self.children() if c == comm and pid_alive(p)]

    def worker_pids(self):
        """The page workers: children named kenpod-worker (kenpod.c names them)."""
        return self._children_named("kenpod-worker")

    def mailer_pids(self):
        return self._children_named("kenpod-mailer")

    def hash_pids(self):
        """The password-hashing pool (hashpool.h)."""
        return self._children_named("kenpod-hash")

    def log_lines(self):
        with open(self.log, encoding="utf-8", errors="replace") as f:
            return f.read().splitlines()

    def client(self, timeout=30):
        return Client(self.base_url, timeout)

    def staff_client(self, timeout=30):
        """A client of the staff console (nginx's second server)."""
        return Client(self.staff_url, timeout)

    def staff_pids(self):
        """The staff console's workers (kenpod.c names them kenpod-staff)."""
        return self._children_named("kenpod-staff")


class Stack:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="kenpo-it-")
        for d in ("run", "log"):
            os.makedirs(os.path.join(self.dir, d))
        self.db = MariaDB(self.dir)
        self.smtp = SmtpSink(self.dir)
        self.db_password = os.urandom(16).hex()
        self.pepper = os.urandom(32).hex()
        self.secret = os.urandom(32).hex()
        self.master_key = os.urandom(32).hex()   # Verify.MasterKey (src/vault.h)
        self.frontends = []
        self.main = None
        self.demo = None            # CompletedProcess of contrib/demo/load.sh
        self._seq = itertools.count(1)
        self.failed = False
        self.sanitizers = None
        if SANITIZED:
            self.sanitizers = Sanitizers(self.dir)
            _sanitizers[:] = [self.sanitizers]

    def base_config(self):
        c = {
            "Server.Workers": "4",
            "Server.Migrations": os.path.join(SRC, "sql"),
            "Server.MaxBody": str(KENPOD_MAX_BODY),
            "Server.LogLevel": "info",
            "Database.Socket": self.db.socket,
            "Database.User": "kenpo",
            "Database.Password": self.db_password,
            "Database.Name": "kenpo",
            "Mail.Server": f"127.0.0.1:{self.smtp.port}",
            "Mail.Timeout": "5",
            "Mail.RetryMin": "1",
            "Mail.RetryMax": "2",
            "Mail.Poll": "1",
            "Security.Pepper": self.pepper,
            "Security.Secret": self.secret,
            "Verify.MasterKey": self.master_key,
            "Login.Captcha": "off",
            # The eKYC image helper as built (src/image.h), not an installed one.
            "Verify.ImageHelper": os.path.join(BUILD, "kenpo-image"),
        }
        for item in os.environ.get("KENPO_TEST_CONFIG", "").split(";"):
            if "=" in item:
                k, v = item.split("=", 1)
                c[k.strip()] = v.strip()
        return c

    def start(self):
        for prog in ("kenpod", "kenpoctl", "kenpo-image"):
            if not os.access(os.path.join(BUILD, prog), os.X_OK):
                raise RuntimeError(f"{BUILD}/{prog} not found: build first "
                                   "(contrib/dev.sh test, or set KENPO_BUILD)")
        self.db.install()
        self.db.start()
        self.db.run(
            "CREATE DATABASE kenpo CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n"
            f"CREATE USER 'kenpo'@'localhost' IDENTIFIED BY '{self.db_password}';\n"
            "GRANT ALL PRIVILEGES ON kenpo.* TO 'kenpo'@'localhost';\n", db=None)
        self.smtp.start()
        self.main = Frontend(self, "main")
        self.main.write_config()
        r = self.ctl("db", "migrate")
        if r.returncode != 0:
            raise RuntimeError(f"kenpoctl db migrate failed ({r.returncode}):\n"
                               f"{r.stdout}{r.stderr}")
        env = dict(os.environ, KENPOCTL=os.path.join(BUILD, "kenpoctl"),
                   KENPO_CONFIG=self.main.conf)
        self.demo = subprocess.run([os.path.join(SRC, "contrib", "demo", "load.sh")],
                                   env=env, capture_output=True, text=True)
        if self.sanitizers and SANITIZER_REPORT.search(self.demo.stdout + self.demo.stderr):
            self.sanitizers.file_report("contrib/demo/load.sh",
                                        self.demo.stdout + self.demo.stderr)
        self.main.start()
        self.frontends.append(self.main)
        return self

    def stop(self):
        for fe in reversed(self.frontends):
            try:
                fe.stop()
            except Exception:
                pass
        self.frontends = []
        try:
            self.smtp.stop()
        except Exception:
            kill_group(self.smtp.proc, signal.SIGKILL, 2)
        self.db.stop()

    # -- the default frontend

    @property
    def base_url(self):
        return self.main.base_url

    @property
    def kenpod_pid(self):
        return self.main.kenpod_pid

    def worker_pids(self):
        return self.main.worker_pids()

    def mailer_pids(self):
        return self.main.mailer_pids()

    def hash_pids(self):
        return self.main.hash_pids()

    def log_lines(self):
        return self.main.log_lines()

    def client(self, timeout=30):
        return self.main.client(timeout)

    @property
    def staff_url(self):
        return self.main.staff_url

    def staff_client(self, timeout=30):
        return self.main.staff_client(timeout)

    def frontend(self, config=None, max_body=TEST_NGINX_MAX_BODY, templates=None,
                 wrapper=None, host="127.0.0.1"):
        """Start another kenpod + nginx on the same database and mail sink
        (wrapper: a command prefix for kenpod, e.g. valgrind; host "localhost":
        Service.BaseURL http://localhost:PORT, for passkeys)."""
        fe = Frontend(self, f"fe{next(self._seq)}", config, max_body, templates, wrapper,
                      host)
        self.frontends.append(fe)
        return fe.start()

    def stop_frontend(self, fe):
        fe.stop()
        if fe in self.frontends:
            self.frontends.remove(fe)

    # -- tools

    def ctl(self, *args, input=None, timeout=60):
        """Run kenpoctl -c <main config> args; returns CompletedProcess (text)."""
        r = subprocess.run([os.path.join(BUILD, "kenpoctl"), "-c", self.main.conf,
                            *[str(a) for a in args]],
                           input=input, capture_output=True, text=True, timeout=timeout)
        if self.sanitizers and SANITIZER_REPORT.search(r.stderr):
            self.sanitizers.file_report(f"kenpoctl {' '.join(map(str, args))}", r.stderr)
        return r

    def sql(self, query):
        """Run SQL as the database administrator; rows as tuples of str/None."""
        return self.db.run(query)

    def require_demo(self):
        if self.demo is None or self.demo.returncode != 0:
            pytest.fail("the demo data did not load (contrib/demo/load.sh):\n"
                        + (self.demo.stdout + self.demo.stderr if self.demo else ""))

    def stop_db(self):
        self.db.stop()

    def start_db(self):
        self.db.start()

    def stop_smtp(self):
        self.smtp.stop()

    def smtp_mode(self, mode="ok"):
        """Tell the SMTP sink how to answer from now on, without a restart:
        "ok", "rcpt 451", "mail 550", "data 554", "data hang" (see smtp_sink.py)."""
        with open(self.smtp.control, "w") as f:
            f.write(mode + "\n")

    def start_smtp(self):
        self.smtp.start()

    # -- mail

    def new_email(self, prefix="t"):
        return f"{prefix}{next(self._seq)}-{os.urandom(4).hex()}@example.com"

    def mails(self, to=None):
        """Every received message (oldest first), optionally only those to an address."""
        files = []
        for sub in ("new", "cur"):
            d = os.path.join(self.smtp.maildir, sub)
            for name in os.listdir(d):
                p = os.path.join(d, name)
                try:
                    files.append((os.stat(p).st_mtime_ns, name, p))
                except OSError:
                    pass
        out = []
        for _, _, p in sorted(files):
            m = _read_mail(p)
            if to is None or to.lower() in m.to.lower():
                out.append(m)
        return out

    def wait_mail(self, to, timeout=20, n=1, subject=None):
        """The n-th message (1-based) to address to, optionally whose subject contains
        subject; waits up to timeout seconds."""
        found = []

        def have():
            ms = [m for m in self.mails(to) if subject is None or subject in m.subject]
            found[:] = ms
            return len(ms) >= n
        try:
            wait_until(have, timeout, f"no mail #{n} to {to}")
        except RuntimeError:
            pytest.fail(f"no mail #{n} to {to} within {timeout}s "
                        f"(got {len(found)}; outbox: "
                        f"{self.sql('SELECT id, template, attempts, sent_at, last_error FROM outbox ORDER BY id DESC LIMIT 5')})")
        return found[n - 1]


# ------------------------------------------------------------------ fixtures

@pytest.fixture(scope="session")
def stack():
    s = Stack()
    try:
        s.start()
    except Exception as e:
        logs = "\n".join(tail(os.path.join(root, "log", f), 20)
                         for root, f in ((s.dir, "mariadb.log"), (s.dir, "smtp.log"),
                                         (os.path.join(s.dir, "main"), "kenpod.log"),
                                         (os.path.join(s.dir, "main"), "nginx-error.log")))
        s.stop()
        pytest.fail(f"the test stack did not start: {e}\n{logs}\n(stack dir: {s.dir})",
                    pytrace=False)
    yield s
    s.stop()
    # The leak checks of kenpod's processes run as they stop, that is now.
    reports = s.sanitizers.new_reports() if s.sanitizers else []
    if os.environ.get("KENPO_KEEP_TMP") == "1" or s.failed or reports:
        print(f"\nkenpo test stack kept in {s.dir}")
    else:
        shutil.rmtree(s.dir, ignore_errors=True)
    if reports:
        pytest.fail("sanitizer reports at the shutdown of the test stack:\n"
                    + format_reports(reports), pytrace=False)


@pytest.fixture(autouse=True)
def no_sanitizer_report():
    """In a sanitized build: fail the test after which a sanitizer report appeared
    (a worker it crashed, a kenpoctl it ran, a frontend it stopped)."""
    yield
    if _sanitizers:
        reports = _sanitizers[0].new_reports()
        if reports:
            pytest.fail("sanitizer report(s) during this test:\n" + format_reports(reports),
                        pytrace=False)


@pytest.fixture
def client(stack):
    """A fresh client (empty cookie jar) on the default frontend."""
    return stack.client()


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes more than a few seconds")
    config.addinivalue_line("markers", "valgrind: runs kenpod under valgrind "
                            "(deselected in a sanitized build)")
    # The skips this suite may have (tests/allowed-skips); a list that cannot be
    # read is an error, not "allow everything".
    try:
        config.kenpo_allowed_skips = skipcheck.allowed("integration")
    except (OSError, skipcheck.ListError) as e:
        raise pytest.UsageError(f"tests/allowed-skips: {e}")


def pytest_collection_modifyitems(config, items):
    """A sanitized build cannot run under valgrind: leave those tests out (ASan and
    LSan check the same in every test of that run)."""
    if not SANITIZED:
        return
    out = [i for i in items if i.get_closest_marker("valgrind")]
    if out:
        items[:] = [i for i in items if not i.get_closest_marker("valgrind")]
        config.hook.pytest_deselected(items=out)


# ------------------------------------------------------------------ no silent skips
#
# A test that skips did not prove anything, and a skip that nobody asked for hides
# a regression as well as a failure would show it. So a skip (pytest.skip,
# skipif, importorskip, in the test or its fixtures, or of a whole module) fails
# the run unless tests/allowed-skips lists the test with a reason; and an xfail
# that passes (the bug is fixed) fails too, so that its mark is removed.

def _unexpected_skip(config, nodeid, rep):
    """A failing report's text for a skip that is not allowed, else None."""
    if not rep.skipped or hasattr(rep, "wasxfail"):
        return None
    allowed = getattr(config, "kenpo_allowed_skips", {})
    # The list names tests from the top of the tree; pytest's ids are relative to
    # its rootdir, which depends on how it was started. A parametrised test may be
    # listed without its [params].
    ids = {nodeid, "tests/integration/" + nodeid.split("tests/integration/", 1)[-1]}
    ids |= {i.split("[", 1)[0] for i in ids}
    if ids & set(allowed):
        return None
    reason = rep.longrepr[2] if isinstance(rep.longrepr, tuple) else str(rep.longrepr)
    return (f"skipped ({reason}), and {nodeid} is not in tests/allowed-skips: "
            "make the test set up what it needs, or list it there with a reason")


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """A whole module skipped at import (pytest.skip(allow_module_level=True),
    importorskip) fails like a skipped test."""
    outcome = yield
    rep = outcome.get_result()
    msg = _unexpected_skip(collector.config, rep.nodeid, rep)
    if msg:
        rep.outcome = "failed"
        rep.longrepr = msg


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, attach the tail of kenpod's log of the default frontend. A skip
    not in tests/allowed-skips, and a passing xfail, become failures."""
    outcome = yield
    rep = outcome.get_result()
    msg = _unexpected_skip(item.config, item.nodeid, rep)
    if msg:
        rep.outcome = "failed"
        rep.longrepr = msg
    elif rep.passed and hasattr(rep, "wasxfail") and rep.when == "call":
        rep.outcome = "failed"
        rep.longrepr = (f"expected to fail ({rep.wasxfail}) but passed: the bug is "
                        "fixed, remove the xfail mark")
    if rep.failed and "stack" in item.fixturenames:
        s = item.funcargs.get("stack")
        if s is not None and s.main is not None:
            s.failed = True
            rep.sections.append(("kenpod log", tail(s.main.log, 40)))
