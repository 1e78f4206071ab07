"""
Foundation acceptance: the whole stack (nginx → kenpod → MariaDB, mailer → SMTP)
behaves as DESIGN.md says under normal requests, hostile input, crashes, outages,
shutdown and reload. Fixtures: conftest.py.
"""

import hashlib
import hmac
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time

import pytest

from conftest import (BUILD, SRC, KENPOD_MAX_BODY, TEST_NGINX_MAX_BODY, metrics,
                      pid_alive, wait_metric)

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
REQUEST_ID = re.compile(r"\[([0-9a-f]{16}|-)\]")


def assert_japanese_page(r, status):
    assert r.status == status, r.text[:500]
    assert r.headers.get("Content-Type", "").startswith("text/html"), r.headers
    assert re.search(r'<html[^>]*\blang="ja"', r.text), r.text[:300]
    assert JAPANESE.search(r.text), "no Japanese text on the page"


def fake_sid():
    """A well-formed but unknown session cookie value (32 bytes, base64url)."""
    import base64
    return base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()


def find_post_route(client):
    """A route that accepts POST (needed to reach kenpod's body checks)."""
    for path in ("/signup", "/login", "/inquiry/new", "/password/forgot"):
        r = client.post(path, {"x": "1"})
        if r.status not in (404, 405):
            return path
    pytest.fail("no POST route answers: kenpod's body checks cannot be reached")


def hammer(client_factory, path, stop, results, pause=0.0):
    """Request path in a loop until stop is set; append (status or exception name)."""
    c = client_factory()
    n = 0
    while not stop.is_set() and n < 2000:      # bounded
        n += 1
        try:
            results.append(c.get(path).status)
        except OSError as e:
            results.append(type(e).__name__)
        if pause:
            time.sleep(pause)


# ------------------------------------------------------------------ basics

def test_healthz(client):
    r = client.get("/healthz")
    assert r.status == 200
    assert r.text.strip() == "ok"
    assert "no-store" in (r.headers.get("Cache-Control") or "")


def test_unknown_path_gives_japanese_404_without_echo(client):
    token = "zq" + os.urandom(6).hex()
    r = client.get(f"/no-such-page-{token}/%3Cscript%3Ealert(1)%3C/script%3E")
    assert_japanese_page(r, 404)
    assert token not in r.text, "the requested path is echoed in the 404 page"
    assert "<script>alert" not in r.text


def test_wrong_method_is_405(client):
    r = client.post("/healthz", {"a": "1"})
    assert r.status == 405
    allow = r.headers.get("Allow") or ""
    assert "GET" in allow, f"405 without an Allow header naming GET: {allow!r}"
    for method in ("PUT", "DELETE", "PATCH"):
        r = client.request(method, "/")
        assert r.status == 405, method


def test_body_over_nginx_limit_is_413(stack, client):
    body = b"a=" + b"x" * (TEST_NGINX_MAX_BODY + 1024)
    r = client.post("/", raw=body)
    assert r.status == 413


def test_body_over_kenpod_limit_is_413(stack, client):
    path = find_post_route(client)
    body = b"a=" + b"x" * (KENPOD_MAX_BODY + 1024)
    assert len(body) < TEST_NGINX_MAX_BODY      # nginx lets it through
    r = client.post(path, raw=body)
    assert_japanese_page(r, 413)


@pytest.mark.parametrize("qs", [
    "q=%FF%FE",             # not UTF-8
    "q=a%00b",              # NUL
    "q=%C0%AF",             # overlong encoding of '/'
    "q=%E3%81",             # truncated sequence
    "q=%ED%A0%80",          # UTF-16 surrogate
    "q=a%01b",              # C0 control
])
def test_bad_query_is_400(client, qs):
    r = client.get("/?" + qs)
    assert r.status == 400, r.text[:300]
    assert_japanese_page(r, 400)


def test_hostile_input_never_500(stack, client):
    workers = sorted(stack.worker_pids())
    long_value = "x" * 40000
    cases = [
        ("GET", "/?a=%", None), ("GET", "/?%=%", None), ("GET", "/?a[]=1&a[]=2", None),
        ("GET", "/?" + "&".join(f"k{i}=v" for i in range(500)), None),
        ("GET", "/?q=" + long_value, None), ("GET", "/%FF", None),
        ("GET", "/%00", None), ("GET", "/..%2F..%2Fetc%2Fpasswd", None),
        ("GET", "/healthz?x=%ff", None), ("GET", "/lang?to=%FF&back=%00", None),
        ("GET", "/lang?to=en&back=https://evil.example/", None),
        ("GET", "/lang?to=en&back=//evil.example/", None),
        ("GET", "/", {"Cookie": "sid=%FF%00; lang=\x7f"}),
        ("GET", "/", {"Cookie": "sid=" + "A" * 4000}),
        ("GET", "/", {"Accept-Language": "\xff" * 10}),
        ("GET", "/", {"Cookie": "sid=" + fake_sid()}),
    ]
    for method, path, headers in cases:
        r = client.request(method, path, headers=headers)
        assert r.status < 500, f"{method} {path[:60]} {headers} -> {r.status}"
    post_path = find_post_route(client)
    for body, ctype in [(b"q=%FF%FE", None), (b"q=a%00b", None), (b"\xff\xfe\x00", None),
                        (b"--x\r\n", "multipart/form-data; boundary=x"),
                        (b"q=1", "application/x-www-form-urlencoded; charset=UTF-8"),
                        (b"{}", "application/json")]:
        kw = {"content_type": ctype} if ctype else {}
        r = client.post(post_path, raw=body, **kw)
        assert r.status < 500, f"POST {post_path} {body!r} -> {r.status}"
    assert sorted(stack.worker_pids()) == workers, "a worker died on hostile input"


def test_security_headers(client):
    for path in ("/", "/no-such-page"):
        r = client.get(path)
        csp = r.headers.get("Content-Security-Policy") or ""
        assert "frame-ancestors 'none'" in csp, (path, csp)
        assert "default-src" in csp, (path, csp)
        assert "'unsafe-inline'" not in csp.split("script-src", 1)[-1].split(";")[0], csp
        assert (r.headers.get("X-Content-Type-Options") or "").lower() == "nosniff", path
        assert (r.headers.get("Referrer-Policy") or "") in (
            "same-origin", "no-referrer", "strict-origin"), path
    r = client.get("/healthz")
    assert (r.headers.get("X-Content-Type-Options") or "").lower() == "nosniff"


def test_static_files_served_by_nginx(client):
    r = client.get("/static/css/kenpo.css?v=1", headers={"Accept-Encoding": "gzip"})
    assert r.status == 200
    assert "max-age=" in (r.headers.get("Cache-Control") or "")
    assert (r.headers.get("X-Content-Type-Options") or "").lower() == "nosniff"
    assert client.get("/static/no-such-file.css").status == 404


REQ = 'kenpo_http_requests_total{code="%s"}'
MAIL_SENT = 'kenpo_mail_total{result="sent"}'


def test_metrics_for_loopback(stack, client):
    r = client.get("/metrics")
    assert r.status == 200
    assert r.headers.get("Content-Type", "").startswith("text/plain")
    before = metrics(client)
    for key in [REQ % c for c in ("2xx", "3xx", "4xx", "5xx")] + [
            "kenpo_http_request_milliseconds_total", "kenpo_worker_starts_total",
            "kenpo_worker_deaths_total", MAIL_SENT, 'kenpo_mail_total{result="retry"}',
            'kenpo_mail_total{result="failed"}', 'kenpo_logins_total{result="ok"}',
            'kenpo_logins_total{result="fail"}', "kenpo_signups_completed_total"]:
        assert key in before, f"{key} missing from /metrics: {sorted(before)}"
    assert before["kenpo_worker_starts_total"] >= 2, before
    # Each request is counted by its class before its answer ends.
    for _ in range(3):
        assert client.get("/healthz").status == 200
    assert client.get("/no-such-page").status == 404
    assert client.get("/signup/eligibility").location == "/login"
    after = metrics(client)
    # +3 /healthz, +1 the /metrics request that read `before`
    assert after[REQ % "2xx"] == before[REQ % "2xx"] + 4, (before, after)
    assert after[REQ % "3xx"] == before[REQ % "3xx"] + 1, (before, after)
    assert after[REQ % "4xx"] == before[REQ % "4xx"] + 1, (before, after)
    assert after[REQ % "5xx"] == before[REQ % "5xx"], (before, after)
    assert after["kenpo_http_request_milliseconds_total"] >= \
        before["kenpo_http_request_milliseconds_total"]


def test_metrics_count_sent_mail(stack, client):
    before = metrics(client)[MAIL_SENT]
    to = stack.new_email("metrics")
    r = stack.ctl("mail", "test", to)
    assert r.returncode == 0, r.stderr
    stack.wait_mail(to)
    # Other tests' mail may still be on its way: at least this one more.
    assert wait_metric(client, MAIL_SENT, before + 1) >= before + 1


# ------------------------------------------------------------------ logs

def test_every_log_line_has_a_request_id(stack, client):
    secret = "tok" + os.urandom(12).hex()
    ids, answered = [], []
    for path in (f"/users/{secret}/activate", f"/no-such-{secret}", "/healthz", "/"):
        r = client.get(path)
        ids.append(r.headers.get("X-Request-Id"))
        answered.append((r.headers.get("X-Request-Id"), r.status))
    time.sleep(0.3)
    lines = [l for l in stack.log_lines() if l.strip()]
    assert lines, "kenpod logged nothing"
    bad = [l for l in lines if not REQUEST_ID.search(l)]
    assert not bad, f"log lines without a request id: {bad[:5]}"
    assert any(re.search(r"\[[0-9a-f]{16}\]", l) for l in lines), \
        "no line carries a request id of a request"
    # Every request is in nginx's access log with its id; kenpod's own log has a
    # line for the requests worth a look (4xx, 5xx, slow), not for every page.
    with open(os.path.join(stack.main.dir, "nginx", "access.log"), encoding="utf-8") as f:
        access = f.read()
    for rid, status in answered:
        assert rid and re.fullmatch(r"[0-9a-f]{16}", rid), rid
        assert rid in access, f"request {rid} is not in nginx's access log"
        if status >= 400:
            assert any(f"[{rid}]" in l for l in lines), f"request {rid} is not in the log"
        else:
            assert not any(f"[{rid}]" in l for l in lines), \
                f"a {status} request is logged by kenpod at the default level"
    leaked = [l for l in lines if secret in l]
    assert not leaked, f"a request path (token) is in the log: {leaked[:3]}"


# ------------------------------------------------------------------ crashes

def test_sigkill_worker_under_load_is_replaced(stack):
    before = set(stack.worker_pids())
    want = int(stack.main.config["Server.Workers"])
    assert len(before) == want, f"expected {want} workers, found {before}"
    master = stack.kenpod_pid
    stop = threading.Event()
    results = []
    threads = [threading.Thread(target=hammer, args=(stack.client, "/healthz", stop, results))
               for _ in range(4)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)
        victim = sorted(before)[0]
        n_before_kill = len(results)
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            now = set(stack.worker_pids())
            if victim not in now and len(now) == want:
                break
            time.sleep(0.05)
        time.sleep(0.5)
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    after = set(stack.worker_pids())
    assert victim not in after
    assert len(after) == want and after - before, f"no replacement worker: {before} -> {after}"
    assert pid_alive(master) and stack.kenpod_pid == master
    assert n_before_kill > 0 and len(results) > n_before_kill
    failures = [s for s in results if s != 200]
    # At most the request the victim was serving fails (nginx: 502).
    assert len(failures) <= 1 and all(s == 502 for s in failures), failures
    c = stack.client()
    assert all(c.get("/healthz").status == 200 for _ in range(20))


# ------------------------------------------------------------------ outages

def test_database_outage_gives_503_and_recovers(stack, client):
    master = stack.kenpod_pid
    workers = sorted(stack.worker_pids())
    stack.stop_db()
    try:
        r = client.get("/healthz")
        assert r.status == 503
        # A member with a session cookie: the session lookup needs the database.
        r = client.get("/", headers={"Cookie": "sid=" + fake_sid()})
        assert_japanese_page(r, 503)
        # Without a cookie the top page needs no database; either way, no 500.
        r = stack.client().get("/")
        assert r.status in (200, 503)
        assert pid_alive(master) and stack.kenpod_pid == master
        assert sorted(stack.worker_pids()) == workers, "workers died while the DB was down"
    finally:
        stack.start_db()
    # Every worker must come back (a worker may pause its reconnect attempts
    # briefly after a failure): wait for a run of successes on all of them.
    deadline = time.monotonic() + 20
    ok_run, last = 0, None
    while time.monotonic() < deadline and ok_run < 12:
        last = (client.get("/healthz").status,
                stack.client().get("/", headers={"Cookie": "sid=" + fake_sid()}).status)
        ok_run = ok_run + 1 if last == (200, 200) else 0
        time.sleep(0.05 if ok_run else 0.2)
    assert ok_run >= 12, f"kenpod did not recover after MariaDB came back (last: {last})"
    assert stack.kenpod_pid == master


def test_mail_queued_while_smtp_down_arrives_once(stack):
    to = stack.new_email("outage")
    stack.stop_smtp()
    try:
        stack.sql("INSERT INTO outbox (to_addr, subject, body, template) VALUES "
                  f"('{to}', 'テスト送信 outage', '本文です。\\nline 2\\n', 'test')")
        oid = stack.sql(f"SELECT id FROM outbox WHERE to_addr = '{to}'")[0][0]
        deadline = time.monotonic() + 20
        row = None
        while time.monotonic() < deadline:
            row = stack.sql(f"SELECT attempts, last_error, sent_at FROM outbox WHERE id = {oid}")[0]
            # The mailer counts the attempt when it claims the message and
            # records the error after the try: wait for both.
            if int(row[0]) >= 1 and (row[1] or row[2]):
                break
            time.sleep(0.2)
        assert int(row[0]) >= 1, f"the mailer never tried: {row}"
        assert row[2] is None, "marked sent while the SMTP server was down"
        assert row[1], "no last_error recorded"
    finally:
        stack.start_smtp()
    m = stack.wait_mail(to, timeout=30)
    assert m.subject == "テスト送信 outage"
    assert "本文です。" in m.body
    time.sleep(4)       # several poll and retry periods (Mail.Poll 1, RetryMax 2)
    assert len(stack.mails(to)) == 1, "the mail arrived more than once"
    sent = stack.sql(f"SELECT sent_at FROM outbox WHERE id = {oid}")[0][0]
    assert sent is not None


def expected_message_id(stack, oid):
    """The Message-ID mailer.c derives for outbox row oid (see mail_message_id)."""
    (created,), = stack.sql(f"SELECT UNIX_TIMESTAMP(created_at) FROM outbox WHERE id = {oid}")
    key = hmac.new(bytes.fromhex(stack.secret), b"kenpo message-id v1", hashlib.sha256).digest()
    mac = hmac.new(key, f"{oid}|{created}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"<{mac}@example.invalid>"


def test_mail_accepted_but_unacknowledged_is_resent_with_the_same_message_id(stack):
    """The SMTP server stores the mail but its answer never comes (as when the
    mailer dies between the server's acceptance and its commit): the retry delivers
    a second copy, with the same Message-ID, so the receiver can drop it."""
    to = stack.new_email("msgid")
    stack.smtp_mode("data store-hang")
    try:
        stack.sql("INSERT INTO outbox (to_addr, subject, body, template) VALUES "
                  f"('{to}', 'Message-ID test', 'body', 'test')")
        (oid,), = stack.sql(f"SELECT id FROM outbox WHERE to_addr = '{to}'")
        stack.wait_mail(to, timeout=20)
        # The mailer times out (Mail.Timeout 5 s) and records a retry.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            (err,), = stack.sql(f"SELECT last_error FROM outbox WHERE id = {oid}")
            if err:
                break
            time.sleep(0.2)
        assert err, "the mailer recorded no error for the unanswered DATA"
    finally:
        stack.smtp_mode("ok")
    second = stack.wait_mail(to, n=2, timeout=30)
    first = stack.mails(to)[0]
    assert first["Message-ID"] == second["Message-ID"] == expected_message_id(stack, oid)
    assert stack.sql(f"SELECT sent_at IS NOT NULL, attempts FROM outbox WHERE id = {oid}") \
        == [("1", "2")]
    # Another row, another ID.
    to2 = stack.new_email("msgid")
    stack.sql("INSERT INTO outbox (to_addr, subject, body, template) VALUES "
              f"('{to2}', 'Message-ID test 2', 'body', 'test')")
    other = stack.wait_mail(to2)
    assert other["Message-ID"] != first["Message-ID"]


def test_kenpoctl_mail_test(stack):
    to = stack.new_email("ctl")
    r = stack.ctl("mail", "test", to)
    assert r.returncode == 0, r.stderr
    m = stack.wait_mail(to)
    assert m.subject


# ------------------------------------------------------------------ shutdown, reload

def test_sigterm_finishes_a_slow_request(stack):
    """A request blocked in the database (sessions table locked by the test) still
    completes after SIGTERM reaches the master; then kenpod exits cleanly."""
    fe = stack.frontend()
    locker = subprocess.Popen(
        stack.db.client_argv() + ["-N", "-B", "--unbuffered", "kenpo"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        locker.stdin.write("LOCK TABLES sessions WRITE;\nSELECT 'locked';\n")
        locker.stdin.flush()
        assert locker.stdout.readline().strip() == "locked"
        out = {}

        def slow():
            out["r"] = fe.client().get("/", headers={"Cookie": "sid=" + fake_sid()})
        t = threading.Thread(target=slow)
        t.start()
        time.sleep(1.0)
        # The session lookup waits for the lock: without that there is no slow
        # request, and the test would prove nothing.
        assert t.is_alive(), ("the request did not block on the locked sessions "
                              f"table (status {out['r'].status})")
        os.kill(fe.kenpod_pid, signal.SIGTERM)
        time.sleep(1.0)
        assert t.is_alive()
        locker.stdin.write("UNLOCK TABLES;\n")
        locker.stdin.flush()
        t.join(20)
        assert not t.is_alive(), "the request never completed"
        assert out["r"].status == 200, out["r"].status
        proc = fe.kenpod
        proc.wait(35)
        assert proc.returncode == 0
        assert not os.path.exists(fe.socket), "kenpod left its socket behind"
    finally:
        locker.stdin.close()
        locker.kill()
        locker.wait()
        stack.stop_frontend(fe)


def test_sigterm_under_load_stops_cleanly(stack):
    fe = stack.frontend()
    children = [p for p, _, _ in fe.children()]
    stop = threading.Event()
    results = []
    threads = [threading.Thread(target=hammer, args=(fe.client, "/healthz", stop, results))
               for _ in range(3)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)
        os.kill(fe.kenpod_pid, signal.SIGTERM)
        fe.kenpod.wait(35)
        rc = fe.kenpod.returncode
        time.sleep(0.3)
    finally:
        stop.set()
        for t in threads:
            t.join(30)
        stack.stop_frontend(fe)
    assert rc == 0
    assert not [p for p in children if pid_alive(p)], "children outlived the master"
    # Before the socket closed: answers; after: nginx's 502. Never a 500.
    assert set(results) <= {200, 502}, set(results)
    assert results.count(200) > 0


def fcgi_exchange(sock, params):
    """One FastCGI responder request on a connected socket; (stdout bytes,
    got END_REQUEST). A bare client: nginx's timing is what we need to control."""
    def record(rtype, content):
        return struct.pack(">BBHHBx", 1, rtype, 1, len(content), 0) + content

    def pair(k, v):
        k, v = k.encode(), v.encode()
        return bytes([len(k), len(v)]) + k + v    # both under 128 bytes here
    body = b"".join(pair(k, v) for k, v in params.items())
    sock.sendall(record(1, struct.pack(">HB5x", 1, 0)) + record(4, body) +
                 record(4, b"") + record(5, b""))
    out, buf, ended = b"", b"", False
    sock.settimeout(20)
    while not ended:
        chunk = sock.recv(65536)
        if not chunk:
            break
        buf += chunk
        while len(buf) >= 8:
            _, rtype, _, clen, plen = struct.unpack(">BBHHB", buf[:7])
            if len(buf) < 8 + clen + plen:
                break
            if rtype == 6:
                out += buf[8:8 + clen]
            elif rtype == 3:
                ended = True
            buf = buf[8 + clen + plen:]
    return out, ended


def test_reload_answers_a_connection_accepted_before_it(stack):
    """A worker that has accepted a connection and waits for the request's first
    bytes when the reload's SIGTERM comes still answers it. (libfcgi's accept
    polls the new connection for data; a signal there used to make it close the
    connection unanswered, which nginx reports as a 502.)"""
    fe = stack.frontend()
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(fe.socket)
        time.sleep(0.4)           # a worker accepts it and waits for the request
        fe.reload()               # the old generation is told to stop
        time.sleep(0.4)
        out, ended = fcgi_exchange(s, {
            "REQUEST_METHOD": "GET", "REQUEST_URI": "/no-such-page",
            "DOCUMENT_URI": "/no-such-page", "HTTP_HOST": f"127.0.0.1:{fe.port}",
            "SCRIPT_NAME": "", "PATH_INFO": "/no-such-page", "QUERY_STRING": "",
            "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": str(fe.port)})
        s.close()
        assert ended and out.startswith(b"Status: 404"), out[:200]
        fe.wait_healthy()
    finally:
        stack.stop_frontend(fe)


def test_sighup_reload_changes_templates_without_failed_requests(stack):
    tdir = os.path.join(tempfile.mkdtemp(dir=stack.dir), "templates")
    shutil.copytree(os.path.join(SRC, "templates"), tdir)
    fe = stack.frontend(templates=tdir)
    try:
        marker = "reload-marker-" + os.urandom(4).hex()
        c = fe.client()
        assert marker not in c.get("/no-such-page").text
        with open(os.path.join(tdir, "layout.cs"), encoding="utf-8") as f:
            t = f.read()
        t = t.replace("</body>", f"<!-- {marker} -->\n</body>") if "</body>" in t \
            else t + f"\n<!-- {marker} -->\n"
        with open(os.path.join(tdir, "layout.cs"), "w", encoding="utf-8") as f:
            f.write(t)
        old_children = set(p for p, _, _ in fe.children())
        stop = threading.Event()
        results = []
        threads = [threading.Thread(target=hammer,
                                    args=(fe.client, "/no-such-page", stop, results, 0.01))
                   for _ in range(3)]
        for th in threads:
            th.start()
        try:
            time.sleep(0.3)
            fe.reload()
            deadline = time.monotonic() + 15
            seen = False
            while time.monotonic() < deadline and not seen:
                seen = marker in c.get("/no-such-page").text
                time.sleep(0.05)
            time.sleep(1.0)
        finally:
            stop.set()
            for th in threads:
                th.join(30)
        assert seen, "the changed template was not picked up after SIGHUP"
        if not (results and set(results) == {404}):
            with open(fe.nginx_log, encoding="utf-8", errors="replace") as f:
                nginx_tail = f.read()[-3000:]
            raise AssertionError(
                f"requests failed during the reload: {sorted(set(map(str, results)))}\n"
                f"--- nginx error log ---\n{nginx_tail}\n--- kenpod log ---\n"
                + "\n".join(fe.log_lines()[-60:]))
        # The old generation is gone; every answer now has the change.
        deadline = time.monotonic() + 35
        while time.monotonic() < deadline and any(pid_alive(p) for p in old_children):
            time.sleep(0.1)
        assert not [p for p in old_children if pid_alive(p)], "old children still alive"
        assert all(marker in c.get("/no-such-page").text for _ in range(10))
        assert pid_alive(fe.kenpod_pid)
    finally:
        stack.stop_frontend(fe)


# ------------------------------------------------------------------ demo data

def test_demo_data_loaded_and_reload_is_idempotent(stack):
    stack.require_demo()
    q = ("SELECT i.number, i.card_pattern, COUNT(r.id) FROM insurers i "
         "LEFT JOIN roster r ON r.insurer_id = i.id GROUP BY i.id ORDER BY i.number")
    before = stack.sql(q)
    assert ("06139992", "4", "5") in before, before
    assert ("06270011", "1", "2") in before, before
    names = {r[0] for r in stack.sql("SELECT name FROM insurers")}
    assert {"デモ健康保険組合", "サンプル健康保険組合"} <= names
    # The card number itself is never stored.
    for (key,) in stack.sql("SELECT card_key FROM roster"):
        assert re.fullmatch(r"[0-9a-f]{64}", key), key
    dump = " ".join(" ".join(c or "" for c in row) for row in stack.sql("SELECT * FROM roster"))
    assert "4567890" not in dump
    env = dict(os.environ, KENPOCTL=os.path.join(BUILD, "kenpoctl"),
               KENPO_CONFIG=stack.main.conf)
    r = subprocess.run([os.path.join(SRC, "contrib", "demo", "load.sh")], env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert stack.sql(q) == before
