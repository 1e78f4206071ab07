#!/usr/bin/python3
"""
make soak — the whole real stack under mixed load while its parts are killed.

Starts a private stack with the integration harness (tests/integration/conftest.py:
MariaDB, the SMTP sink, kenpod, nginx, all on loopback), loads a synthetic roster
of a fictional insurer, then for SOAK_SECONDS (default 600) runs SOAK_CLIENTS
(default 6) concurrent clients, each with its own cookie jars, doing a mix of:
  signups     all four steps: step 1 (e-mail, password), activation by the link
              (in the same browser) or by the 6-digit code read from the mail the
              sink received, the eligibility check against the synthetic roster,
              confirm; the client counts a signup complete only when it saw the
              completion page;
  logins      of accounts the soak completed, with the password it knows, /top,
              logout;
  resets      /password/forgot, the link from the mail, a new password;
  page views  the public pages, static files, a 404.
Meanwhile it breaks things on a schedule:
  - a kenpod worker is SIGKILLed every 30 s;
  - the SMTP sink is down for a minute (scaled down for runs under 4 minutes);
  - MariaDB is killed (SIGKILL; SOAK_DB_RESTART=clean for a clean shutdown) and
    restarted once;
  - the mailer is SIGKILLed SOAK_MAILER_KILLS times (default 3) inside the one
    window where a duplicate is allowed, between the server's acceptance of a
    message and the mailer's commit: the sink is told to store the next message
    but hold its 250 back for a second (smtp_sink.py "data delay"), and the mailer
    is killed the moment the message is stored. One of the kills comes right
    after the SMTP outage, when the mailer sends its backlog.
Then the load stops (flows in progress may finish), everything is up again and the
outbox must drain (a message claimed by a killed mailer waits for its lease, about
six minutes with the soak's Mail.Batch and Mail.Timeout; the mailer kills are
scheduled early for that reason).

Proved and printed at the end (exit 1 if any check fails):
  1. every signup whose completion page a client saw exists in the database,
     active, bound to the roster person it entered, and that person is bound to
     exactly one account (no person is bound twice anywhere);
  2. every outbox row was sent (none failed or left); its Message-ID (stable per
     row, HMAC of Security.Secret over id and created_at, see src/mailer.c) is in
     the sink; the sink holds no other IDs; a message delivered more than once is
     explained copy by copy by a kill of the mailer that had that copy stored by
     the sink but had not logged it as sent ("mail N sent"), and no kill leaves
     more than one such message (the mailer records each message as soon as it
     is accepted, src/mailer.c). A kill in that window is not always a resend:
     when the mailer's UPDATE had reached MariaDB, the commit completes without
     it; the report says how many were sent again;
  3. no 500 outside the database outage; 503 only during it; 502 only for the one
     request a killed worker was serving; no other 5xx, no dropped connection;
  4. no child of kenpod died other than those the soak killed, and those died of
     signal 9 ("worker N killed by signal 9" in kenpod's log);
  5. no token seen in any mail (activation, reset, e-mail change links) appears in
     any log file the stack wrote (kenpod, nginx access and error logs, MariaDB,
     the sink). The 6-digit codes are not searched: six digits occur in logs by
     chance (process ids, byte counts);
  6. every login with the password the soak knows succeeded.

Usage (from the build directory): make soak [SOAK_SECONDS=120] [SOAK_CLIENTS=6]
or tests/soak/run.py [--seconds N] [--clients N] [--keep]. SOAK_KEEP=1 (or --keep)
keeps the stack's directory; it is always kept when a check fails.
"""
import argparse
import collections
import hashlib
import hmac
import html.parser
import json
import os
import random
import re
import signal
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import conftest  # noqa: E402  (the harness: Stack, Client, mail parsing)

INSURER_PREFIX = "0697"         # prefecture 97 does not exist: never a real insurer
INSURER_NAME = "ソーク試験健康保険組合"
ROSTER_SIZE_PER_MINUTE = 400     # persons generated per minute of soak
WORKER_KILL_EVERY = 30
HOLD_ACK_MS = 1000               # the sink's delayed 250 around an armed mailer kill
MAIL_WAIT_BEFORE_RESEND = 50     # s without an activation mail before resending
FLOW_DEADLINE = 420              # s one signup may take (SMTP outage, mailer lease)

SOAK_CONFIG = {
    "Server.Workers": "3",
    "Server.LogLevel": "info",
    # Every client speaks from 127.0.0.1: per-address limits would stop the soak,
    # not test anything.
    "Signup.StartPerHour": "1000000",
    "Signup.ResendPerHour": "100",
    "Login.ResetPerHour": "1000",
    "Login.ResetPerHourIP": "100000",
    "Login.HardAfterRequests": "100000",
    # A small batch and timeout keep the mailer's lease (300 s + 4 × Timeout ×
    # (Batch + 1)) at 372 s, so mail a killed mailer had claimed is retried within
    # the run.
    "Mail.Batch": "5",
    "Mail.Timeout": "3",
}

KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"


# ------------------------------------------------------------------ small helpers

def now():
    return time.time()


def check_digit(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        p = int(ch) * (2 if i % 2 == 0 else 1)
        total += p // 10 + p % 10
    return str((10 - total % 10) % 10)


def message_id(secret_hex, oid, created, domain):
    """The Message-ID src/mailer.c (mail_message_id) gives outbox row oid."""
    key = hmac.new(bytes.fromhex(secret_hex), b"kenpo message-id v1", hashlib.sha256).digest()
    mac = hmac.new(key, f"{oid}|{created}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"<{mac}@{domain}>"


def new_password(rng):
    """A password the default rule accepts (src/password.c): letters far apart on
    the keyboard and in the alphabet, no character twice in a row (aaa is a run),
    digits that make no run, one symbol, 12 characters."""
    kinds = ["AEKMQVX", "aekmqvx", "aekmqvx", "2749", "#%!", "aekmqvx", "AEKMQVX",
             "2749", "aekmqvx", "2749", "AEKMQVX", "aekmqvx"]
    out = []
    for k in kinds:
        c = rng.choice(k)
        while out and c.lower() == out[-1].lower():
            c = rng.choice(k)
        out.append(c)
    return "".join(out)


class Forms(html.parser.HTMLParser):
    """Every <form> of a page: [{"action": …, "fields": {name: value}}]."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "fields": {}})
        elif tag in ("input", "textarea", "select") and self.forms and "name" in a:
            if tag == "input" and a.get("type") in ("checkbox", "radio") and \
                    "checked" not in a:
                return
            self.forms[-1]["fields"].setdefault(a["name"], a.get("value") or "")


def forms_of(text):
    p = Forms()
    p.feed(text)
    return p.forms


# ------------------------------------------------------------------ what happened

class Record:
    """Everything the checks need, filled by the clients and the fault thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []          # (t0, t1, method, path label, status or "ERR:…")
        self.worker_kills = []      # (t, pid)
        self.mailer_kills = []      # (t, pid, armed: killed right after a store)
        self.db_window = None       # (down, up) wall-clock seconds
        self.smtp_window = None
        self.completed = []         # (email, personal_id, password)
        self.flows = collections.Counter()
        self.notes = collections.Counter()
        self.login_refused = []     # (email, detail)
        self.errors = []            # exceptions inside clients (soak bugs)

    def req(self, t0, t1, method, label, status):
        with self.lock:
            self.requests.append((t0, t1, method, label, status))

    def count(self, key, n=1):
        with self.lock:
            self.flows[key] += n

    def note(self, key, n=1):
        with self.lock:
            self.notes[key] += n


def label_of(path):
    """The request path with tokens replaced, for the soak's own report."""
    p = urllib.parse.urlsplit(path).path
    p = re.sub(r"^/users/[^/]+/activate$", "/users/-/activate", p)
    p = re.sub(r"^/password/reset/.+$", "/password/reset/-", p)
    p = re.sub(r"^/account/email/.+$", "/account/email/-", p)
    return p


class SoakClient(conftest.Client):
    """conftest's client, recording every request's time and outcome."""

    def __init__(self, base_url, record):
        super().__init__(base_url, timeout=60)
        self.record = record

    def request(self, method, path, body=None, headers=None):
        t0 = now()
        try:
            r = super().request(method, path, body=body, headers=headers)
        except OSError as e:
            self.record.req(t0, now(), method, label_of(path), "ERR:" + type(e).__name__)
            raise
        self.record.req(t0, now(), method, label_of(path), r.status)
        return r


class Transient(Exception):
    """A step met a fault the soak caused (5xx, dropped connection): retry later."""


def ok_or_transient(r):
    if r.status >= 500:
        raise Transient(f"{r.status}")
    return r


# ------------------------------------------------------------------ the mail index

class MailIndex(threading.Thread):
    """Reads every message the sinks store (once), indexes it by address and
    Message-ID, and collects the tokens of its links. maildirs: {sink name: the
    sink's Maildir} (the soak has one sink; make cluster-test one per host)."""

    def __init__(self, maildirs):
        super().__init__(daemon=True)
        if isinstance(maildirs, str):
            maildirs = {"main": maildirs}
        self.dirs = {name: os.path.join(d, "new") for name, d in maildirs.items()}
        self.seen = set()
        self.cond = threading.Condition()
        self.by_addr = collections.defaultdict(list)   # addr -> [(stored, mail)]
        self.copies = collections.defaultdict(list)    # Message-ID -> [stored time]
        self.sinks = collections.defaultdict(list)     # Message-ID -> [sink name]
        self.tokens = set()
        self.stop = threading.Event()
        self.scanning = threading.Lock()

    def scan(self):
        with self.scanning:          # the thread and a final call may meet
            for sink, new in self.dirs.items():
                self._scan(sink, new)

    def _scan(self, sink, new):
        try:
            names = os.listdir(new)
        except OSError:
            return
        fresh = sorted(n for n in names if (sink, n) not in self.seen)
        for name in fresh:
            path = os.path.join(new, name)
            try:
                m = conftest._read_mail(path)
            except OSError:
                continue
            self.seen.add((sink, name))
            stored = float(name.split(".P", 1)[0])       # the sink's time.time()
            m.stored = stored
            body = m.body
            toks = re.findall(r"/users/([A-Za-z0-9_-]{20,})/activate", body) + \
                re.findall(r"/password/reset/([A-Za-z0-9_-]{20,})", body) + \
                re.findall(r"/account/email/([A-Za-z0-9_-]{20,})", body)
            m.kind = ("activate" if "/activate" in body and "/users/" in body else
                      "reset" if "/password/reset/" in body else "other")
            with self.cond:
                self.by_addr[m.to.strip().lower()].append((stored, m))
                mid = str(m.get("Message-ID", "")).strip()
                self.copies[mid].append(stored)
                self.sinks[mid].append(sink)
                self.tokens.update(toks)
                self.cond.notify_all()

    def run(self):
        while not self.stop.is_set():
            self.scan()
            time.sleep(0.2)

    def mails(self, addr, kind):
        with self.cond:
            return [m for _, m in self.by_addr.get(addr.lower(), []) if m.kind == kind]

    def wait(self, timeout):
        with self.cond:
            self.cond.wait(timeout)


# ------------------------------------------------------------------ the soak

class Soak:
    TITLE = "kenpo soak"
    RESULT = "soak-result.json"

    def __init__(self, args):
        self.args = args
        self.rec = Record()
        self.stop_new = threading.Event()     # no new flows
        self.stop_all = threading.Event()     # abandon flows
        self.rng = random.Random(args.seed)
        self.people = []
        self.people_lock = threading.Lock()
        self.pool = []                         # completed accounts free for use
        self.pool_lock = threading.Lock()
        self.stack = None
        self.index = None
        self.t0 = None

    # -- setup

    def start_stack(self):
        conf = dict(SOAK_CONFIG)
        os.environ["KENPO_TEST_CONFIG"] = ";".join(f"{k}={v}" for k, v in conf.items())
        self.stack = conftest.Stack()
        self.stack.start()
        self.lease = 300 + int(conf["Mail.Timeout"]) * 4 * (int(conf["Mail.Batch"]) + 1)
        self.index = MailIndex(self.stack.smtp.maildir)
        self.index.start()

    def load_roster(self, n):
        s = self.stack
        for _ in range(50):
            body = INSURER_PREFIX + "".join(str(self.rng.randrange(10)) for _ in range(3))
            number = body + check_digit(body)
            r = s.ctl("insurer", "add", number, INSURER_NAME, "--pattern", "4")
            if r.returncode == 0:
                break
        else:
            raise RuntimeError("cannot add the soak insurer: " + r.stdout + r.stderr)
        self.insurer = number
        path = os.path.join(s.dir, "soak-roster.csv")
        used = set()
        with open(path, "w", encoding="utf-8") as f:
            f.write("insurer_number,personal_id,symbol,number,branch,name_kana,birthdate,"
                    "qualified_from,qualified_until\n")
            for i in range(n):
                while True:
                    kana = "".join(self.rng.choice(KANA) for _ in range(3)) + " " + \
                        "".join(self.rng.choice(KANA) for _ in range(4))
                    if kana not in used:
                        used.add(kana)
                        break
                symbol = str(100 + self.rng.randrange(900))
                card = str(1000000 + i * 7 + self.rng.randrange(7))
                birth = f"{1950 + self.rng.randrange(55)}-{1 + self.rng.randrange(12):02d}-" \
                        f"{1 + self.rng.randrange(28):02d}"
                pid = f"S{i:06d}"
                f.write(f"{number},{pid},{symbol},{card},00,{kana},{birth},2020-04-01,\n")
                self.people.append({"pid": pid, "symbol": symbol, "number": card,
                                    "kana": kana, "birth": birth})
        r = s.ctl("roster", "import", number, path, timeout=600)
        if r.returncode != 0:
            raise RuntimeError("roster import failed: " + r.stdout + r.stderr)
        self.rng.shuffle(self.people)

    def person(self):
        with self.people_lock:
            return self.people.pop() if self.people else None

    # -- client flows

    def client(self):
        return SoakClient(self.stack.base_url, self.rec)

    def retry(self, what, fn, tries=6, pause=2.0):
        """Run fn until it returns; Transient and connection errors are retried
        (with a pause) while the run lasts."""
        last = None
        for _ in range(tries):
            if self.stop_all.is_set():
                raise Transient("stopped")
            try:
                return fn()
            except (Transient, OSError) as e:
                last = e
                time.sleep(pause + random.random())
        raise Transient(f"{what}: {last!r}")

    def flow_signup(self, rng):
        person = self.person()
        if person is None:
            self.rec.count("signup.no_person_left")
            return
        c = self.client()
        email = f"soak-{os.urandom(5).hex()}@example.com"
        password = new_password(rng)
        self.rec.count("signup.started")

        def step1():
            page = ok_or_transient(c.get("/signup"))
            r = ok_or_transient(c.submit(page, "/signup", {
                "email": email, "password": password, "agree_terms": "1",
                "agree_privacy": "1"}))
            return r
        r = self.retry("step 1", step1)
        if r.status == 200 and "field__error" in r.text:
            # Refused by the password rule after all: note it, try another.
            self.rec.count("signup.password_refused")
            password = new_password(rng)
            r = self.retry("step 1", step1)
        if not (r.status == 303 and r.location == "/signup/sent"):
            self.rec.count(f"signup.step1_refused_{r.status}")
            self.with_person_back(person)
            return
        by = rng.choice(("link", "code"))
        self.rec.count(f"signup.activate_by_{by}")
        if not self.activate(c, email, password, by):
            self.rec.count("signup.abandoned_activation")
            self.with_person_back(person)
            return
        res = self.eligibility_and_confirm(c, email, password, person)
        if res == "complete":
            self.rec.count("signup.complete")
            with self.rec.lock:
                self.rec.completed.append((email, person["pid"], password))
            with self.pool_lock:
                self.pool.append({"email": email, "passwords": [password],
                                  "kana": person["kana"]})
        else:
            self.rec.count(f"signup.{res}")

    def with_person_back(self, person):
        # A person whose signup did not reach step 3 was never matched: reuse it.
        with self.people_lock:
            self.people.insert(0, person)

    def activate(self, c, email, password, by):
        """Step 2 with the mail in the sink; True when the client stands at step 3."""
        tried = set()
        start = last_news = now()
        resends = 0
        while now() - start < FLOW_DEADLINE and not self.stop_all.is_set():
            mails = self.index.mails(email, "activate")
            fresh = [m for m in reversed(mails) if id(m) not in tried]
            for m in fresh:
                last_news = now()
                try:
                    res = self.retry("activate", lambda: self.try_activation(c, m, password, by))
                except Transient:
                    return self.resume_by_login(c, email, password) == "/signup/eligibility"
                tried.add(id(m))
                if res:
                    return True
                by = "link"     # a stale code would cost one of the 5 tries
            if now() - last_news > MAIL_WAIT_BEFORE_RESEND and resends < 3:
                # As a member would: "仮登録メールの再送信" on the step-2 page.
                try:
                    def resend():
                        page = ok_or_transient(c.get("/signup/sent"))
                        if "/signup/resend" not in page.text:
                            return None
                        return ok_or_transient(c.submit(page, "/signup/resend", {}))
                    self.retry("resend", resend)
                    self.rec.count("signup.resend")
                except Transient:
                    pass
                resends += 1
                last_news = now()
            self.index.wait(1.0)
        return False

    def try_activation(self, c, mail, password, by):
        """One mail: True activated, False not (stale); Transient on a fault."""
        if by == "code" and mail.code:
            page = ok_or_transient(c.get("/signup/sent"))
            if page.status != 200 or 'name="code"' not in page.text:
                return page.status == 303 and page.location == "/signup/eligibility"
            r = ok_or_transient(c.submit(page, "/signup/sent", {"code": mail.code}))
            return r.status == 303 and r.location == "/signup/eligibility"
        links = [u for u in mail.urls if "/users/" in u and u.endswith("/activate")]
        if not links:
            return False
        r = ok_or_transient(c.get(urllib.parse.urlsplit(links[0]).path))
        if r.status == 303:
            return r.location == "/signup/eligibility"
        if r.status == 200:
            # A page asking for the step-1 password (a browser that did not type
            # it): give it, as the member would.
            for f in forms_of(r.text):
                if "password" in f["fields"] and f["action"]:
                    d = dict(f["fields"], password=password)
                    r2 = ok_or_transient(c.post(f["action"], d))
                    return r2.status == 303 and r2.location == "/signup/eligibility"
        return False

    def resume_by_login(self, c, email, password):
        """Log in (SPEC §4: login resumes a signup at its step); the Location."""
        def go():
            page = ok_or_transient(c.get("/login"))
            if page.status == 303:
                return page.location
            d = {"email": email, "password": password, "csrf": conftest.csrf(page)}
            r = ok_or_transient(c.post("/login", d))
            return r.location if r.status == 303 else None
        try:
            where = self.retry("resume", go)
        except Transient:
            return None
        self.rec.count("signup.resumed_by_login")
        return where

    def eligibility_and_confirm(self, c, email, password, person):
        y, m, d = person["birth"].split("-")
        fields = {"insurer_number": self.insurer, "symbol": person["symbol"],
                  "number": person["number"], "name_kana": person["kana"],
                  "birth_year": y, "birth_month": str(int(m)), "birth_day": str(int(d))}

        def step3():
            page = ok_or_transient(c.get("/signup/eligibility"))
            if page.status == 303:
                return page.location
            if page.status != 200:
                return f"eligibility_get_{page.status}"
            if conftest.form_fields(page).get("form_insurer") != self.insurer:
                page = ok_or_transient(c.submit(page, "/signup/eligibility",
                                                {"insurer_number": self.insurer}))
                if page.status != 200:
                    return f"eligibility_insurer_{page.status}"
            dd = dict(fields, form_insurer=conftest.form_fields(page).get("form_insurer", ""))
            r = ok_or_transient(c.submit(page, "/signup/eligibility", dd))
            if r.status == 303:
                return r.location
            return f"eligibility_refused_{r.status}"

        def step4():
            page = ok_or_transient(c.get("/signup/confirm"))
            if page.status == 303:
                return page.location
            r = ok_or_transient(c.submit(page, "/signup/confirm", {"action": "complete"}))
            return r.location if r.status == 303 else f"confirm_{r.status}"

        def done():
            page = ok_or_transient(c.get("/signup/complete"))
            return page.status == 200 and 'href="/top"' in page.text

        where = "/signup/eligibility"
        for _ in range(8):
            try:
                if where == "/signup/eligibility":
                    where = self.retry("step 3", step3)
                elif where == "/signup/confirm":
                    where = self.retry("step 4", step4)
                elif where == "/signup/complete":
                    if self.retry("complete page", done):
                        return "complete"
                    return "complete_page_missing"
                elif where == "/top":
                    # Completed, but the client never saw the completion page
                    # (the answer was lost to a fault): not counted as complete.
                    return "completed_unseen"
                elif where and where.startswith("/login"):
                    where = self.resume_by_login(c, email, password) or "lost"
                else:
                    return f"stuck_at_{str(where).split('?')[0].strip('/').replace('/', '_')}"
            except Transient:
                where = self.resume_by_login(c, email, password)
                if where is None:
                    return "abandoned_step3_4"
        return "too_many_steps"

    def take_account(self, rng):
        with self.pool_lock:
            if not self.pool:
                return None
            return self.pool.pop(rng.randrange(len(self.pool)))

    def give_back(self, acct):
        with self.pool_lock:
            self.pool.append(acct)

    def flow_login(self, rng, acct=None):
        if acct is None:
            acct = self.take_account(rng)
        if acct is None:
            return self.flow_pages(rng)
        try:
            self.rec.count("login.started")
            for pw in list(acct["passwords"]):
                c = self.client()

                def go():
                    page = ok_or_transient(c.get("/login"))
                    d = {"email": acct["email"], "password": pw, "csrf": conftest.csrf(page)}
                    return ok_or_transient(c.post("/login", d))
                try:
                    r = self.retry("login", go)
                except Transient:
                    self.rec.count("login.abandoned")
                    return
                if r.status == 303 and r.location == "/top":
                    acct["passwords"] = [pw]
                    try:
                        top = self.retry("top", lambda: ok_or_transient(c.get("/top")))
                        if top.status == 200 and acct["kana"].replace(" ", "") in \
                                top.text.replace(" ", "").replace("\u3000", ""):
                            self.rec.count("login.ok")
                        else:
                            self.rec.count(f"login.top_{top.status}")
                        self.retry("logout", lambda: ok_or_transient(
                            c.submit(top, "/logout", {})))
                    except Transient:
                        self.rec.count("login.abandoned_after_login")
                    return
            self.rec.count("login.refused")
            with self.rec.lock:
                self.rec.login_refused.append((acct["email"], r.status, r.location))
        finally:
            self.give_back(acct)

    def flow_reset(self, rng):
        acct = self.take_account(rng)
        if acct is None:
            return self.flow_pages(rng)
        try:
            self.rec.count("reset.started")
            c = self.client()
            seen = {id(m) for m in self.index.mails(acct["email"], "reset")}

            def ask():
                page = ok_or_transient(c.get("/password/forgot"))
                return ok_or_transient(c.submit(page, "/password/forgot",
                                                {"email": acct["email"]}))
            try:
                self.retry("forgot", ask)
            except Transient:
                self.rec.count("reset.abandoned_request")
                return
            start = last_ask = now()
            while now() - start < FLOW_DEADLINE and not self.stop_all.is_set():
                if now() - last_ask > MAIL_WAIT_BEFORE_RESEND:
                    # No mail yet (it may sit in a killed mailer's lease): ask
                    # again, as the member would.
                    try:
                        self.retry("forgot", ask)
                        self.rec.count("reset.asked_again")
                    except Transient:
                        pass
                    last_ask = now()
                fresh = [m for m in self.index.mails(acct["email"], "reset")
                         if id(m) not in seen]
                for m in reversed(fresh):
                    seen.add(id(m))
                    links = [u for u in m.urls if "/password/reset/" in u]
                    if not links:
                        continue
                    path = urllib.parse.urlsplit(links[0]).path
                    new = new_password(rng)
                    outcome = self.try_reset(c, path, acct, new)
                    if outcome is not None:
                        self.rec.count(f"reset.{outcome}")
                        return
                self.index.wait(1.0)
            self.rec.count("reset.no_mail_in_time")
        finally:
            self.give_back(acct)

    def try_reset(self, c, path, acct, new):
        def open_link():
            return ok_or_transient(c.get(path))
        try:
            page = self.retry("reset link", open_link)
        except Transient:
            return "abandoned_link"
        if page.status != 200 or 'type="password"' not in page.text:
            return None                      # superseded or used: the next mail
        try:
            r = ok_or_transient(c.submit(page, path, {"password": new}))
        except (Transient, OSError):
            # The new password may or may not have been stored.
            acct["passwords"] = acct["passwords"] + [new]
            return "unknown_outcome"
        if r.status == 303 and r.location.startswith("/login"):
            acct["passwords"] = [new]
            return "ok"
        return f"refused_{r.status}"

    PAGES = ["/", "/login", "/signup", "/password/forgot", "/signup/eligibility/help",
             "/inquiry/new", "/healthz", "/static/css/kenpo.css", "/no-such-page",
             "/lang?to=en&back=/login", "/signup/sent", "/top", "/entry"]

    def flow_pages(self, rng):
        c = self.client()
        self.rec.count("pages.visits")
        for p in rng.sample(self.PAGES, 4):
            if p == "/entry":
                p = f"/entry?insurer={self.insurer}"
            try:
                c.get(p)
            except OSError:
                pass

    def client_loop(self, n):
        rng = random.Random(self.args.seed * 1000 + n)
        flows = [(self.flow_signup, 40), (self.flow_login, 25), (self.flow_reset, 10),
                 (self.flow_pages, 25)]
        while not self.stop_new.is_set():
            f = rng.choices([f for f, _ in flows], [w for _, w in flows])[0]
            try:
                f(rng)
            except Transient:
                self.rec.count(f"{f.__name__}.abandoned")
            except Exception:
                with self.rec.lock:
                    self.rec.errors.append(traceback.format_exc())
            time.sleep(rng.random() * 0.2)

    # -- faults

    def kill_worker(self):
        pids = self.stack.worker_pids()
        if not pids:
            return
        pid = random.choice(pids)
        with self.rec.lock:
            self.rec.worker_kills.append((now(), pid))
        os.kill(pid, signal.SIGKILL)

    def wait_for_store(self, new, seconds):
        """True once the sink's Maildir new/ changes (a message stored), within
        seconds; False on the timeout or when the run stops."""
        before = os.stat(new).st_mtime_ns
        deadline = now() + seconds
        while now() < deadline and not self.stop_all.is_set():
            if os.stat(new).st_mtime_ns != before:
                return True
            time.sleep(0.001)
        return False

    def kill_mailer(self, armed):
        """SIGKILL the mailer; armed: inside the send window — the sink stores the
        next message but holds its 250 back for HOLD_ACK_MS, and the mailer is killed
        the moment the message is stored (within 20 s), else at once."""
        new = os.path.join(self.stack.smtp.maildir, "new")
        if armed:
            # Read before the wait: /proc takes milliseconds.
            pids = self.stack.mailer_pids()
            self.stack.smtp_mode(f"data delay {HOLD_ACK_MS}")
            try:
                armed = self.wait_for_store(new, 20)
                if pids:
                    t = now()
                    try:
                        os.kill(pids[0], signal.SIGKILL)
                    except ProcessLookupError:
                        return
            finally:
                self.stack.smtp_mode("ok")
        else:
            pids = self.stack.mailer_pids()
            if pids:
                t = now()
                try:
                    os.kill(pids[0], signal.SIGKILL)
                except ProcessLookupError:
                    return
        if not pids:
            return
        with self.rec.lock:
            self.rec.mailer_kills.append((t, pids[0], armed))
        print(f"  [{t - self.t0:6.1f}s] mailer {pids[0]} killed"
              f"{' after the sink stored a message, before its 250' if armed else ''}",
              flush=True)

    def db_restart(self):
        db = self.stack.db
        down = now()
        print(f"  [{down - self.t0:6.1f}s] MariaDB {self.args.db_restart}: down", flush=True)
        if self.args.db_restart == "kill":
            os.kill(db.proc.pid, signal.SIGKILL)
            db.proc.wait(30)
            db.proc = None
        else:
            db.stop()
        time.sleep(5)
        db.start()
        up = now()
        self.rec.db_window = (down, up)
        print(f"  [{up - self.t0:6.1f}s] MariaDB up again ({up - down:.1f} s)", flush=True)

    def fault_loop(self):
        d = self.args.seconds
        outage = min(60.0, d / 4)
        smtp_at = 0.25 * d
        db_at = 0.7 * d
        # Mailer kills early enough that a lease they leave runs out in the run.
        latest = max(0.05 * d, d - self.lease - 20)
        mailer_at = sorted([0.1 * d] + [0.1 * d + (latest - 0.1 * d) * (i + 1) /
                                        max(1, self.args.mailer_kills - 1)
                                        for i in range(self.args.mailer_kills - 2)])
        events = [(t, "worker") for t in range(WORKER_KILL_EVERY // 2, int(d), WORKER_KILL_EVERY)]
        events += [(smtp_at, "smtp_down"), (db_at, "db")]
        events += [(t, "mailer") for t in mailer_at]
        events.sort()
        smtp_up_at = None
        while not self.stop_all.is_set():
            t = now() - self.t0
            if smtp_up_at is not None and t >= smtp_up_at:
                self.stack.start_smtp()
                self.rec.smtp_window = (self.rec.smtp_window[0], now())
                print(f"  [{now() - self.t0:6.1f}s] SMTP sink up again", flush=True)
                smtp_up_at = None
                if self.args.mailer_kills > 0:
                    self.kill_mailer(armed=True)     # the backlog goes out now
            if events and t >= events[0][0]:
                _, what = events.pop(0)
                try:
                    if what == "worker":
                        self.kill_worker()
                    elif what == "mailer":
                        self.kill_mailer(armed=True)
                    elif what == "smtp_down":
                        self.rec.smtp_window = (now(), None)
                        self.stack.stop_smtp()
                        print(f"  [{now() - self.t0:6.1f}s] SMTP sink down for {outage:.0f} s",
                              flush=True)
                        smtp_up_at = t + outage
                    elif what == "db":
                        self.db_restart()
                except Exception:
                    with self.rec.lock:
                        self.rec.errors.append("fault: " + traceback.format_exc())
                continue
            if not events and smtp_up_at is None:
                break
            time.sleep(0.05)

    # -- the run

    def run(self):
        a = self.args
        print(self.header(), flush=True)
        self.start_stack()
        print(f"  stack in {self.stack.dir}; {self.stack.base_url}", flush=True)
        n_people = max(300, int(a.seconds / 60 * ROSTER_SIZE_PER_MINUTE))
        self.load_roster(n_people)
        print(f"  roster: {n_people} persons of insurer {self.insurer} (fictional)", flush=True)
        self.t0 = now()
        clients = [threading.Thread(target=self.client_loop, args=(i,), daemon=True)
                   for i in range(a.clients)]
        for t in clients:
            t.start()
        faults = threading.Thread(target=self.fault_loop, daemon=True)
        faults.start()
        loads = []
        while now() - self.t0 < a.seconds:
            time.sleep(min(10, max(0.1, a.seconds - (now() - self.t0))))
            loads.append(os.getloadavg()[0])
            if int(now() - self.t0) % 60 < 10:
                with self.rec.lock:
                    f = dict(self.rec.flows)
                print(f"  [{now() - self.t0:6.1f}s] signups complete "
                      f"{f.get('signup.complete', 0)}, logins {f.get('login.ok', 0)}, "
                      f"resets {f.get('reset.ok', 0)}; load {loads[-1]:.1f}", flush=True)
        self.stop_new.set()
        # Flows in progress may finish (their mail may be in a killed mailer's lease).
        for t in clients:
            t.join(max(1, self.t0 + a.seconds + FLOW_DEADLINE - now()))
        self.stop_all.set()
        faults.join(120)
        self.load_end = now()
        self.loads = loads
        print(f"  [{now() - self.t0:6.1f}s] load stopped; waiting for the outbox to drain",
              flush=True)
        self.recover_all()
        drained = self.drain()
        return self.verify(drained)

    def header(self):
        a = self.args
        return (f"kenpo soak: {a.seconds} s, {a.clients} clients, seed {a.seed}, "
                f"MariaDB restart by {a.db_restart}, {a.mailer_kills} mailer kills; "
                f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    def recover_all(self):
        """Everything the faults stopped is up again (before the drain)."""
        if not self.stack.smtp.running():
            self.stack.start_smtp()
        if self.stack.db.proc is None:
            self.stack.db.start()

    def drain(self):
        deadline = now() + self.lease + 120
        left = None
        while now() < deadline:
            try:
                (left,), = self.stack.sql("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL "
                                          "AND failed_at IS NULL")
            except RuntimeError:
                time.sleep(2)
                continue
            if left == "0":
                time.sleep(3)           # the index reads the last files
                self.index.scan()
                return True
            time.sleep(2)
        return False

    # -- the checks

    def check_signups(self, check, out):
        s = self.stack
        rec = self.rec
        # 1. signups
        bound_twice = s.sql("SELECT roster_id, COUNT(*) FROM accounts WHERE roster_id IS NOT NULL "
                            "GROUP BY roster_id HAVING COUNT(*) > 1")
        rows = s.sql("SELECT a.email, a.state, r.personal_id, "
                     "(SELECT COUNT(*) FROM accounts b WHERE b.roster_id = a.roster_id) "
                     "FROM accounts a LEFT JOIN roster r ON r.id = a.roster_id "
                     "WHERE a.email LIKE 'soak-%'")
        by_email = {r[0]: r for r in rows}
        ok_signups, bad_signups = 0, []
        for email, pid, _ in rec.completed:
            r = by_email.get(email)
            if r and r[1] == "active" and r[2] == pid and r[3] == "1":
                ok_signups += 1
            else:
                bad_signups.append((email, pid, r))
        active = sum(1 for r in rows if r[1] == "active")
        check(not bad_signups and not bound_twice and rec.completed,
              f"signups: {len(rec.completed)} saw the completion page, {ok_signups} of them "
              f"in the database, active and bound to their person exactly once; persons "
              f"bound twice: {len(bound_twice)}; active soak accounts: {active} (the "
              f"rest completed while their answer was lost)")
        for b in bad_signups[:5]:
            out.append((False, f"    not found as completed: {b}"))


    def check_mail(self, check, out, drained):
        s = self.stack
        rec = self.rec
        # 2. mail
        domain = s.main.config.get("Mail.From", "no-reply@example.invalid").split("@")[1]
        ob = s.sql("SELECT id, UNIX_TIMESTAMP(created_at), template, sent_at IS NOT NULL, "
                   "failed_at IS NOT NULL, attempts FROM outbox ORDER BY id")
        expected = {message_id(s.secret, int(r[0]), r[1], domain): r for r in ob}
        copies = self.index.copies
        missing = [r for mid, r in expected.items() if mid not in copies]
        unknown = [mid for mid in copies if mid not in expected]
        unsent = [r for r in ob if r[3] != "1"]
        failed_rows = [r for r in ob if r[4] == "1"]
        templates = collections.Counter(r[2] for r in ob)
        delivered = sum(1 for mid in expected if mid in copies)
        check(drained and not missing and not unknown and not unsent and not failed_rows,
              f"mail: {len(ob)} queued ({', '.join(f'{k} {v}' for k, v in sorted(templates.items()))}), "
              f"{len(ob) - len(unsent)} sent, {len(failed_rows)} failed, {delivered} distinct "
              f"Message-IDs delivered, {len(missing)} missing, {len(unknown)} unknown IDs in the sink")

        # Duplicates, explained by the mailer kills.
        lines = s.log_lines()
        sent_log = collections.defaultdict(set)      # mailer pid -> {outbox id}
        unrecorded = collections.Counter()
        for line in lines:
            m = re.search(r"kenpod-mailer\[(\d+)\] \w+ \[[^\]]*\] mail (\d+) sent \(attempt", line)
            if m:
                sent_log[int(m.group(1))].add(int(m.group(2)))
            m = re.search(r"mail (\d+) sent but not recorded", line)
            if m:
                unrecorded[int(m.group(1))] += 1
        kills = sorted(rec.mailer_kills)
        id_of = {mid: int(r[0]) for mid, r in expected.items()}
        # What each killed mailer had accepted by the server but not recorded: the
        # copies its sink stored during its life (from the kill before it on the
        # same host to its own kill; kill times are exact and a replacement starts
        # only after) of rows it never logged as sent. With each message recorded
        # as soon as it is accepted (src/mailer.c), that is at most one message per
        # kill. A kill is (time, pid, armed[, sink name]): with several hosts, each
        # host's mailer sends to a sink of its own.
        sinks = self.index.sinks
        in_window = {}
        for j, k in enumerate(kills):
            host = k[3] if len(k) > 3 else "main"
            before = [x[0] for x in kills[:j] if (x[3] if len(x) > 3 else "main") == host]
            start = before[-1] if before else 0
            in_window[k] = sorted({id_of[mid] for mid, times in copies.items()
                                   if mid in id_of and id_of[mid] not in sent_log[k[1]]
                                   for t, sk in zip(times, sinks[mid])
                                   if sk == host and start < t <= k[0]})
        lost_by = collections.Counter(oid for k in kills for oid in in_window[k])
        extra_total, unexplained = 0, []
        for mid, times in copies.items():
            if len(times) < 2 or mid not in id_of:
                continue
            oid = id_of[mid]
            extra_total += len(times) - 1
            if len(times) - 1 > lost_by[oid] + unrecorded[oid]:
                unexplained.append((oid, len(times), lost_by[oid] + unrecorded[oid]))
        window_kills = [k for k in kills if in_window[k]]
        over = [k for k in kills if len(in_window[k]) > 1]
        resent = sum(1 for k in kills for oid in in_window[k]
                     if len(copies.get(next((m for m, i in id_of.items() if i == oid), ""), [])) > 1)
        check(not unexplained and not over,
              f"duplicates: {extra_total} extra copies of "
              f"{sum(1 for t in copies.values() if len(t) > 1)} messages; mailer kills "
              f"{len(kills)} ({sum(1 for k in kills if k[2])} with the sink's 250 held back), "
              f"{len(window_kills)} of them between the server's acceptance and the "
              f"mailer's commit, with {sum(len(v) for v in in_window.values())} message(s) "
              f"in that window (at most one per kill: {'yes' if not over else 'NO'}), "
              f"{resent} of them sent again after the lease (the others' UPDATE had "
              f"reached the database); "
              f"{sum(unrecorded.values())} 'sent but not recorded' (database); "
              f"unexplained copies: {len(unexplained)}")
        for u in unexplained[:5]:
            out.append((False, f"    outbox {u[0]}: {u[1]} copies, {u[2]} explained"))
        self.in_window = {f"{k[0] - self.t0:.3f}s pid {k[1]}": v for k, v in in_window.items()}
        for k in over[:5]:
            out.append((False, f"    mailer {k[1]} killed with {len(in_window[k])} messages "
                               f"accepted but not recorded: {in_window[k][:10]}"))


    def check_statuses(self, check, out):
        rec = self.rec
        # 3. statuses
        statuses = collections.Counter()
        bad5xx = []
        db = rec.db_window
        grace = 10
        kill_used = collections.Counter()

        def in_db(t0, t1):
            return db is not None and t1 >= db[0] - 1 and t0 <= db[1] + grace

        for (t0, t1, method, label, st) in rec.requests:
            statuses[st] += 1
            if isinstance(st, int) and st < 500:
                continue
            if st in (500, 503) and in_db(t0, t1):
                continue
            if st == 502 or (isinstance(st, str) and st.startswith("ERR")):
                k = next((k for k in rec.worker_kills if t0 - 0.5 <= k[0] <= t1 + 0.5
                          and kill_used[k] == 0), None)
                if k is not None:
                    kill_used[k] += 1
                    continue
                if in_db(t0, t1) and isinstance(st, str):
                    continue
            bad5xx.append((round(t0 - self.t0, 1), method, label, st))
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0])))
        check(not bad5xx,
              f"responses: {len(rec.requests)} ({summary}); 5xx or dropped outside the "
              f"database outage and the killed workers' requests: {len(bad5xx)}")
        for b in bad5xx[:8]:
            out.append((False, f"    at {b[0]} s: {b[1]} {b[2]} -> {b[3]}"))


    def check_crashes(self, check, out):
        lines = self.stack.log_lines()
        rec = self.rec
        # 4. crashes
        killed = {k[1] for k in rec.worker_kills} | {k[1] for k in rec.mailer_kills}
        # Children of a master killed with them (make cluster-test's host kill)
        # die without a line in its log.
        unlogged = set(getattr(rec, "unlogged_deaths", ()))
        deaths, unexpected = [], []
        for line in lines:
            m = re.search(r"(worker|mailer) (\d+) (killed by signal|exited with status) (\d+)", line)
            if m:
                deaths.append(m.groups())
                if not (m.group(3) == "killed by signal" and m.group(4) == "9"
                        and int(m.group(2)) in killed):
                    unexpected.append(line)
        logged = {int(d[1]) for d in deaths}
        check(not unexpected and killed - unlogged <= logged,
              f"crashes: {len(rec.worker_kills)} workers and {len(rec.mailer_kills)} mailers "
              f"killed by the soak, {len(deaths)} deaths in kenpod's log, "
              f"{len(killed - unlogged - logged)} kills not logged, "
              f"{len(unexpected)} other deaths")
        for u in unexpected[:5]:
            out.append((False, f"    {u}"))
        for pid in sorted(killed - unlogged - logged)[:5]:
            out.append((False, f"    killed {pid}: no death logged"))


    def check_logins(self, check, out):
        rec = self.rec
        # 6. logins
        check(not rec.login_refused,
              f"logins: {rec.flows.get('login.ok', 0)} ok, {len(rec.login_refused)} refused "
              f"with the password the soak knew")
        for x in rec.login_refused[:5]:
            out.append((False, f"    {x}"))


    def check_tokens(self, check, out):
        s = self.stack
        tokens = set(self.index.tokens)
        scanned, leaks = [], collections.Counter()
        for root, dirs, files in os.walk(s.dir):
            dirs[:] = [d for d in dirs if d not in ("mail", "mysql", "temp")]
            for f in files:
                p = os.path.join(root, f)
                if not (f.endswith(".log") or os.path.basename(root) == "log"):
                    continue
                with open(p, "rb") as fh:
                    data = fh.read().decode("utf-8", "replace")
                scanned.append((os.path.relpath(p, s.dir), len(data)))
                for cand in set(re.findall(r"[A-Za-z0-9_-]{43,}", data)):
                    # A token is 43 characters; a longer run may hold one.
                    if any(cand[i:i + 43] in tokens for i in range(len(cand) - 42)):
                        leaks[os.path.relpath(p, s.dir)] += 1
        check(tokens and not leaks,
              f"tokens: {len(tokens)} seen in mails, searched in {len(scanned)} log files "
              f"({sum(n for _, n in scanned) // 1024} KiB: "
              f"{', '.join(p for p, _ in scanned)}); found in logs: "
              f"{sum(leaks.values())}" + (f" ({dict(leaks)})" if leaks else ""))


    def faults_line(self):
        rec = self.rec
        db = rec.db_window
        return (f"faults: {len(rec.worker_kills)} workers SIGKILLed (every {WORKER_KILL_EVERY} s), "
              f"{len(rec.mailer_kills)} mailer kills, SMTP sink down "
              f"{(rec.smtp_window[1] - rec.smtp_window[0]) if rec.smtp_window and rec.smtp_window[1] else 0:.0f} s, "
              f"MariaDB {self.args.db_restart}ed and restarted once "
              f"({(db[1] - db[0]) if db else 0:.1f} s down)")

    def verify(self, drained):
        s = self.stack
        rec = self.rec
        out = []            # (ok, line)
        failed = []

        def check(ok, line):
            ok = bool(ok)
            out.append((ok, line))
            if not ok:
                failed.append(line)

        self.check_signups(check, out)
        self.check_mail(check, out, drained)
        self.check_statuses(check, out)
        self.check_crashes(check, out)
        self.check_logins(check, out)
        # Stop the stack so that every log is complete, then 5. tokens.
        s.stop()
        self.index.stop.set()
        self.check_tokens(check, out)

        if rec.errors:
            check(False, f"soak errors: {len(rec.errors)} (bugs of the soak itself)")
            for e in rec.errors[:3]:
                out.append((False, "    " + e.strip().replace("\n", "\n    ")))

        # Report.
        el = self.load_end - self.t0
        print()
        print(f"{self.TITLE}: {self.args.seconds} s of load ({el:.0f} s with flows finishing), "
              f"{self.args.clients} clients; load average during the run "
              f"{min(self.loads or [0]):.1f}-{max(self.loads or [0]):.1f} "
              f"on {os.cpu_count()} CPUs")
        f = rec.flows
        print(f"flows: signups started {f.get('signup.started', 0)}, complete "
              f"{f.get('signup.complete', 0)} (link {f.get('signup.activate_by_link', 0)}, "
              f"code {f.get('signup.activate_by_code', 0)}, resends {f.get('signup.resend', 0)}, "
              f"resumed by login {f.get('signup.resumed_by_login', 0)}); logins ok "
              f"{f.get('login.ok', 0)}; resets ok {f.get('reset.ok', 0)}; page visits "
              f"{f.get('pages.visits', 0)}")
        other = {k: v for k, v in sorted(f.items()) if k not in (
            "signup.started", "signup.complete", "signup.activate_by_link",
            "signup.activate_by_code", "signup.resend", "signup.resumed_by_login",
            "login.ok", "login.started", "reset.ok", "reset.started", "pages.visits")}
        if other:
            print("       other outcomes: " + ", ".join(f"{k} {v}" for k, v in other.items()))
        print(self.faults_line())
        for ok, line in out:
            print(("  ok    " if ok else "  FAIL  ") + line if not line.startswith("    ")
                  else "        " + line.strip())
        result = {"seconds": self.args.seconds, "clients": self.args.clients,
                  "mailer_kills": self.in_window,
                  "flows": dict(f), "checks": [(ok, line) for ok, line in out
                                               if not line.startswith("    ")]}
        with open(os.path.join(s.dir, self.RESULT), "w") as fh:
            json.dump(result, fh, ensure_ascii=False, indent=1)
        print(self.TITLE.split()[-1] + " " + ("PASSED" if not failed else f"FAILED ({len(failed)} checks)"))
        return not failed


def main():
    ap = argparse.ArgumentParser(description="kenpo fault soak (make soak)")
    ap.add_argument("--seconds", type=int, default=int(os.environ.get("SOAK_SECONDS", "600")))
    ap.add_argument("--clients", type=int, default=int(os.environ.get("SOAK_CLIENTS", "6")))
    ap.add_argument("--mailer-kills", type=int,
                    default=int(os.environ.get("SOAK_MAILER_KILLS", "3")))
    ap.add_argument("--db-restart", choices=("kill", "clean"),
                    default=os.environ.get("SOAK_DB_RESTART", "kill"))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("SOAK_SEED", "0")) or
                    int.from_bytes(os.urandom(2), "big"))
    ap.add_argument("--keep", action="store_true", default=os.environ.get("SOAK_KEEP") == "1")
    a = ap.parse_args()
    ok, _ = execute(Soak, a, "soak")
    return 0 if ok else 1


def execute(cls, a, subdir):
    """Run cls(a) with its stack's directory under the build directory's subdir
    (short enough for unix socket paths, not in a /tmp other jobs may sweep);
    stop the stack whatever happens; remove its directory after a success
    unless a.keep. (True when every check passed, the run)."""
    base = os.path.join(conftest.BUILD, subdir)
    os.makedirs(base, exist_ok=True)
    if len(base) < 60:
        tempfile.tempdir = base
    run = cls(a)
    ok = False
    try:
        ok = run.run()
    except Exception:
        traceback.print_exc()
    finally:
        if run.stack is not None:
            try:
                run.stack.stop()
            except Exception:
                traceback.print_exc()
            if ok and not a.keep:
                import shutil
                shutil.rmtree(run.stack.dir, ignore_errors=True)
            else:
                print(f"stack directory kept: {run.stack.dir}")
    return ok, run


if __name__ == "__main__":
    sys.exit(main())
