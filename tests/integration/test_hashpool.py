"""
The password-hashing pool (issue 9; src/hashpool.h): Argon2id runs in
Server.HashWorkers processes named kenpod-hash, never in a page worker; at most
Server.HashQueue page workers wait for it, and a hash asked for beyond that is
answered at once with 503 and Retry-After, counting as neither a success nor a
failure; a pool process that dies with a job does not lose the request.
"""

import os
import signal
import subprocess
import threading
import time

from conftest import _sanitized_build, csrf, metrics, wait_until

WRONG = "Wrong-pass-123"
FAILED = "メールアドレスまたはパスワードが正しくありません"
BUSY = "ただいまアクセスが集中しています"


def private_kib(pid):
    """Private (clean + dirty) memory of pid in KiB, from smaps_rollup."""
    total = 0
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                total += int(line.split()[1])
    return total


def post_login(fe, email, password=WRONG):
    c = fe.client()
    page = c.get("/login")
    assert page.status == 200
    return c.post("/login", {"email": email, "password": password, "csrf": csrf(page)})


def audited_failures(stack):
    return int(stack.sql("SELECT COUNT(*) FROM audit WHERE event = 'login.fail'")[0][0])


def client_failures(stack):
    """The login failures counted for the test client's address (127.0.0.1)."""
    return sum(int(n) for (n,) in stack.sql(
        "SELECT count FROM throttle WHERE k LIKE 'loginfail:ip:127.0.0.1#%'"))


def slow_frontend(stack, **extra):
    """A frontend whose hashes take long (~0.3 s), with one pool process."""
    config = {"Server.Workers": "4", "Server.HashWorkers": "1",
              "Security.Argon2.MemoryKiB": "65536", "Security.Argon2.Time": "8"}
    config.update({k.replace("_", "."): v for k, v in extra.items()})
    return stack.frontend(config=config)


def test_pool_processes_are_named_and_counted(stack):
    fe = stack.frontend(config={"Server.HashWorkers": "3", "Server.Workers": "4"})
    try:
        names = {}

        def named():
            # A child just forked carries the master's name until it renames.
            names.clear()
            for pid, comm, cmd in fe.children():
                names.setdefault(comm, []).append(cmd)
            return "kenpod" not in names and len(names.get("kenpod-worker", [])) == 4
        deadline = time.monotonic() + 10
        while not named() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(names.get("kenpod-hash", [])) == 3, names
        assert len(names.get("kenpod-worker", [])) == 4, names
        assert len(names.get("kenpod-mailer", [])) == 1, names
        # ps shows the role in place of the command line, as nginx does.
        assert all(c.startswith("kenpod: hash") for c in names["kenpod-hash"]), names
        assert all(c.startswith("kenpod: worker") for c in names["kenpod-worker"]), names
        assert len(fe.worker_pids()) == 4 and len(fe.mailer_pids()) == 1
    finally:
        stack.stop_frontend(fe)


def test_page_workers_never_hold_an_argon2_area(stack):
    """Logins and a signup hash in the pool; the page workers stay small."""
    for i in range(6):
        r = post_login(stack, stack.new_email())
        assert r.status == 200 and FAILED in r.text
    email = stack.new_email()
    c = stack.client()
    page = c.get("/signup")
    r = c.post("/signup", {"email": email, "password": "Tq7$vL9!mZ", "agree_terms": "1",
                           "agree_privacy": "1", "csrf": csrf(page)})
    assert r.status == 303, r.text[:300]
    assert stack.wait_mail(email, subject="仮登録ありがとうございます")
    hashes = stack.hash_pids()
    assert hashes, "no kenpod-hash process"
    if _sanitized_build():
        # Under ASan every process carries shadow memory and a quarantine of
        # freed blocks: sizes say nothing there. The functional checks above ran.
        return
    workers = {p: private_kib(p) for p in stack.worker_pids()}
    assert max(workers.values()) < 4 * 1024, f"page worker private KiB: {workers}"
    # The Argon2 area (19 MiB at the default cost) lives in the pool, reused.
    assert max(private_kib(p) for p in hashes) > 16 * 1024


def test_a_full_pool_answers_busy_at_once(stack):
    fe = slow_frontend(stack, Server_HashQueue="1")
    try:
        before = metrics(fe.client())
        audited = audited_failures(stack)
        start = threading.Barrier(6)
        results = []

        def one():
            c = fe.client()
            page = c.get("/login")
            start.wait()
            results.append(c.post("/login", {"email": stack.new_email(),
                                             "password": WRONG, "csrf": csrf(page)}))
        threads = [threading.Thread(target=one) for _ in range(6)]
        for t in threads:
            t.start()
        # Pages are served while the pool is busy.
        time.sleep(0.05)
        assert fe.client().get("/").status == 200
        for t in threads:
            t.join(60)
        statuses = sorted(r.status for r in results)
        assert set(statuses) <= {200, 503}, statuses
        assert 200 in statuses and 503 in statuses, statuses
        for r in results:
            if r.status == 503:
                assert r.headers.get("Retry-After") == "5"
                assert BUSY in r.text
            else:
                assert FAILED in r.text
        after = metrics(fe.client())
        busy = statuses.count(503)
        assert after["kenpo_hash_busy_total"] - before["kenpo_hash_busy_total"] >= busy
        # A busy answer is not a failed login, in the metrics or the database
        # (a login counts its failure ahead of the hash only once it holds a
        # place in the pool).
        fails = 'kenpo_logins_total{result="fail"}'
        assert after[fails] - before[fails] == statuses.count(200)
        assert audited_failures(stack) - audited == statuses.count(200)
        log = "\n".join(fe.log_lines())
        assert "answering busy" in log
        assert WRONG not in log
    finally:
        stack.stop_frontend(fe)


def test_a_pool_process_killed_mid_hash_loses_no_request(stack):
    fe = slow_frontend(stack)
    try:
        result = []
        t = threading.Thread(target=lambda: result.append(
            post_login(fe, stack.new_email())))
        # Wait until the one pool process is busy with the job (it has spent
        # 50 ms of CPU since: a hash here takes several times that; an idle
        # pool process spends none), then kill it.
        (pid,) = [p for p, comm, cmd in fe.children() if comm == "kenpod-hash"]

        def cpu_ticks():
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return int(fields[11]) + int(fields[12])
        idle = cpu_ticks()
        t.start()
        tick = os.sysconf("SC_CLK_TCK")
        wait_until(lambda: cpu_ticks() - idle >= 0.05 * tick, 20,
                   "the pool process never started hashing")
        os.kill(pid, signal.SIGKILL)
        t.join(60)
        assert result and result[0].status == 200, result
        assert FAILED in result[0].text
        assert "sending it again" in "\n".join(fe.log_lines())
        wait_until(lambda: len([1 for p, comm, cmd in fe.children()
                                if comm == "kenpod-hash"]) == 1, 10,
                   "the pool process was not replaced")
    finally:
        stack.stop_frontend(fe)


def test_a_pool_process_that_cannot_hash_stores_no_hash(stack):
    """A pool process whose Argon2 fails (here: no memory) answers status -1;
    that must reach the page worker as a failure, not as a hash of whatever
    the tag buffer held (answer_wait once read the status after wiping it)."""
    if _sanitized_build():
        # ASan's allocator aborts the process (a report) rather than return NULL
        # under an address-space limit, so this failure cannot be produced there;
        # the ordinary build runs it.
        return
    fe = stack.frontend(config={"Server.HashWorkers": "1", "Server.Workers": "3"})
    try:
        (pid,) = fe.hash_pids()
        # Too little address space for the Argon2 area (19 MiB at the default cost).
        subprocess.run(["prlimit", f"--pid={pid}", "--as=60000000"], check=True)
        email = stack.new_email("nohash")
        c = fe.client()
        page = c.get("/signup")
        r = c.submit(page, "/signup", {"email": email, "password": "Tq7$vL9!mZ",
                                       "agree_terms": "1", "agree_privacy": "1"})
        assert r.status >= 500, r.status
        rows = stack.sql(f"SELECT password_hash FROM accounts WHERE email = '{email}'")
        assert rows == [], rows
        assert "the pool could not compute a hash" in "\n".join(fe.log_lines())
        # A login whose password could not be checked is not a failed login:
        # 503 (send again), nothing counted.
        # What the login counted ahead of the hash is taken back.
        fails = 'kenpo_logins_total{result="fail"}'
        before = metrics(fe.client())[fails]
        audited, counted = audited_failures(stack), client_failures(stack)
        r = post_login(fe, stack.new_email())
        assert r.status == 503 and BUSY in r.text, r.status
        assert metrics(fe.client())[fails] == before
        assert (audited_failures(stack), client_failures(stack)) == (audited, counted)
    finally:
        stack.stop_frontend(fe)
