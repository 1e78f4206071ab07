"""
The support office's tools (SPEC §7: kenpoctl inquiry, account resend / withdraw /
delete, audit list filters) over the real stack: inquiries come in through the web
form, members sign up through the web pages, answers and notices arrive at the
SMTP sink.

Exit codes are part of the contract (DESIGN: 0 success, 1 refused with the reason
on stderr, 2 usage); every command is checked for each. Every test brings its own
addresses, insurer and roster persons (fictional numbers "0696…").
"""

import json
import os
import re
import tempfile
import time
import urllib.parse

import pytest

from conftest import csrf, form_fields, insurer_number as conftest_insurer_number, digits

PASSWORD = "Kenpo-Test!58x"


# ------------------------------------------------------------------ helpers

def insurer_number(prefix="0696"):
    return conftest_insurer_number(prefix)


@pytest.fixture(scope="module")
def insurer(stack):
    """A test insurer of card pattern ④ (symbol and number)."""
    for _ in range(20):
        n = insurer_number()
        r = stack.ctl("insurer", "add", n, "運用テスト健康保険組合", "--pattern", "4")
        if r.returncode == 0:
            return n
    pytest.fail("cannot add a test insurer: " + r.stdout + r.stderr)


def new_person(stack, insurer):
    """Import one qualified roster person; returns the step-3 form fields."""
    kana = "ウンヨウ" + "".join("アイウエオカキクケコサシスセソ"[b % 15] for b in os.urandom(5))
    symbol, number, pid = digits(3), digits(7), "OPS-" + os.urandom(5).hex()
    path = os.path.join(stack.dir, f"roster-{pid}.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("insurer_number,personal_id,symbol,number,branch,name_kana,birthdate,"
                "qualified_from,qualified_until\n")
        f.write(f"{insurer},{pid},{symbol},{number},00,{kana},1975-05-05,2019-04-01,\n")
    r = stack.ctl("roster", "import", insurer, path)
    assert r.returncode == 0, r.stdout + r.stderr
    return {"insurer_number": insurer, "symbol": symbol, "number": number,
            "name_kana": kana, "birth_year": "1975", "birth_month": "5",
            "birth_day": "5"}


@pytest.fixture(autouse=True)
def no_rate_limits(stack):
    """Many inquiries and signups come from 127.0.0.1 here: reset those counts."""
    stack.sql("DELETE FROM throttle WHERE k LIKE 'inquiry:%' OR k LIKE 'signup:%'")
    yield


def ctl(stack, *args, input=None):
    return stack.ctl(*args, input=input)


def ctl_json(stack, *args, input=None):
    """Run kenpoctl --json ...; it must succeed and print JSON."""
    r = stack.ctl("--json", *args, input=input)
    assert r.returncode == 0, (args, r.stdout, r.stderr)
    return json.loads(r.stdout)


def step1(client, email, password=PASSWORD):
    page = client.get("/signup")
    assert page.status == 200, page.text[:300]
    r = client.submit(page, "/signup", {"email": email, "password": password,
                                        "agree_terms": "1", "agree_privacy": "1"})
    assert r.status == 303 and r.location == "/signup/sent", r.text[:300]
    return r


def activation_mail(stack, email, n=1):
    return stack.wait_mail(email, n=n, subject="仮登録ありがとうございます")


def link_path(mail):
    links = [u for u in mail.urls if "/users/" in u and u.endswith("/activate")]
    assert len(links) == 1, mail.body
    return urllib.parse.urlsplit(links[0]).path


def account(stack, email):
    rows = stack.sql("SELECT id, state, roster_id, password_hash, withdrawn_at"
                     f" FROM accounts WHERE email = '{email}'")
    return rows[0] if rows else None


def verified_client(stack, email):
    c = stack.client()
    before = len([m for m in stack.mails(email) if "仮登録ありがとうございます" in m.subject])
    step1(c, email)
    r = c.get(link_path(activation_mail(stack, email, n=before + 1)))
    assert r.status == 303 and r.location == "/signup/eligibility", r.text[:300]
    return c


def eligibility(client, fields):
    """Step 3 as a browser without JavaScript posts it: the insurer first."""
    page = client.get("/signup/eligibility")
    assert page.status == 200, page.text[:300]
    page = client.submit(page, "/signup/eligibility",
                         {"insurer_number": fields["insurer_number"]})
    assert page.status == 200, page.text[:300]
    d = dict(fields, form_insurer=form_fields(page).get("form_insurer", ""))
    return client.submit(page, "/signup/eligibility", d)


def sign_up(stack, email, person):
    """Steps 1-4 for person with address email; returns the logged-in client."""
    c = verified_client(stack, email)
    r = eligibility(c, person)
    assert r.status == 303 and r.location == "/signup/confirm", r.text[:2000]
    page = c.get("/signup/confirm")
    r = c.submit(page, "/signup/confirm", {"action": "complete"})
    assert r.status == 303 and r.location == "/signup/complete", r.text[:300]
    assert account(stack, email)[1] == "active"
    return c


def send_inquiry(client, reply, body, category="signup", name="運用 テスト"):
    page = client.get("/inquiry/new")
    assert page.status == 200
    r = client.post("/inquiry/new", {"csrf": csrf(page), "category": category,
                                     "email": reply, "name": name, "body": body,
                                     "action": "send"})
    assert r.status == 200, r.text[:300]
    return int(re.search(r"<strong>(\d+)</strong>", r.text).group(1))


def events(stack, account_id):
    return [e for (e,) in stack.sql(
        f"SELECT event FROM audit WHERE account_id = {account_id} ORDER BY id")]


# ------------------------------------------------------------------ inquiries

def test_inquiry_list_show_answer(stack, client):
    reply = stack.new_email("inq")
    # (Control characters never get this far: the request layer refuses them.)
    body = "登録の確認メールが届きません。\n2行目 <b>太字</b>"
    num = send_inquiry(client, reply, body)

    # list: newest first, filters, JSON
    rows = ctl_json(stack, "inquiry", "list", "--status", "open")
    assert rows[0]["id"] == num
    assert rows[0]["email"] == reply and rows[0]["status"] == "open"
    assert rows[0]["category"] == "signup" and rows[0]["lang"] == "ja"
    assert rows[0]["account"] is None and rows[0]["answered_at"] is None
    assert num in [q["id"] for q in ctl_json(stack, "inquiry", "list", "--category", "signup")]
    assert num not in [q["id"] for q in ctl_json(stack, "inquiry", "list", "--category",
                                                   "login_id")]
    assert num not in [q["id"] for q in ctl_json(stack, "inquiry", "list", "--status",
                                                   "answered")]
    assert len(ctl_json(stack, "inquiry", "list", "--limit", "1")) == 1
    r = ctl(stack, "inquiry", "list")
    assert r.returncode == 0 and reply in r.stdout and r.stdout.startswith("id\t")

    # show: the text, for people (no control characters) and in JSON
    r = ctl(stack, "inquiry", "show", num)
    assert r.returncode == 0, r.stderr
    assert "登録の確認メールが届きません。" in r.stdout and "2行目 <b>太字</b>" in r.stdout
    q = ctl_json(stack, "inquiry", "show", num)
    assert q["id"] == num and q["body"] == body.strip() and q["answer"] is None

    # answer from standard input: stored, mailed in Japanese, without the member's text
    answer = "お問い合わせありがとうございます。\r\n確認メールを再送しました。\r\n"
    r = ctl(stack, "inquiry", "answer", num, "-", input=answer)
    assert r.returncode == 0, r.stderr
    assert f"answered inquiry {num}" in r.stdout
    (status, stored, answered_at), = stack.sql(
        f"SELECT status, answer, answered_at FROM inquiries WHERE id = {num}")
    assert status == "answered" and answered_at is not None
    assert stored == "お問い合わせありがとうございます。\n確認メールを再送しました。"
    m = stack.wait_mail(reply, subject="回答")
    assert f"受付番号 {num}" in m.subject
    assert "確認メールを再送しました。" in m.body and "新規登録について" in m.body
    assert "太字" not in m.body and "届きません" not in m.body
    assert ctl_json(stack, "inquiry", "show", num)["answer"] == stored

    # twice: refused unless --force
    r = ctl(stack, "inquiry", "answer", num, "-", input="別の回答")
    assert r.returncode == 1 and "--force" in r.stderr
    assert stack.sql(f"SELECT answer FROM inquiries WHERE id = {num}") == [(stored,)]
    out = ctl_json(stack, "inquiry", "answer", num, "-", "--force", input="訂正した回答")
    assert out == {"id": num, "status": "answered", "again": True, "mail": out["mail"]}
    m2 = stack.wait_mail(reply, subject="回答", n=2)
    assert "訂正した回答" in m2.body
    assert num in [q["id"] for q in ctl_json(stack, "inquiry", "list", "--status",
                                               "answered")]
    assert "inquiry.answer" in [e for (e,) in stack.sql(
        "SELECT event FROM audit ORDER BY id DESC LIMIT 3")]


def test_inquiry_in_english_is_answered_in_english(stack):
    c = stack.client()
    c.cookies["lang"] = "en"
    reply = stack.new_email("inqen")
    num = send_inquiry(c, reply, "Lost the address I used, sorry.", category="login_id",
                       name="")
    assert stack.sql(f"SELECT lang FROM inquiries WHERE id = {num}") == [("en",)]
    path = os.path.join(stack.dir, f"answer-{num}.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("We have confirmed your identity.\nYour login ID is on its way.\n")
    r = ctl(stack, "inquiry", "answer", num, path)
    assert r.returncode == 0, r.stderr
    m = stack.wait_mail(reply, subject="Answer to your inquiry")
    assert f"No. {num}" in m.subject
    assert "We have confirmed your identity.\nYour login ID is on its way." in m.body
    assert "I forgot my login ID" in m.body         # the category, in English
    assert "Lost the address" not in m.body and "回答" not in m.body


def test_inquiry_exit_codes(stack, client):
    num = send_inquiry(client, stack.new_email("inqx"), "exit codes")
    empty = os.path.join(stack.dir, "empty-answer.txt")
    with open(empty, "w") as f:
        f.write(" \n\n")
    cases = [
        (("inquiry", "show", "999999999"), 1),
        (("inquiry", "answer", "999999999", "-"), 1),
        (("inquiry", "answer", num, os.path.join(stack.dir, "no-such-file")), 1),
        (("inquiry", "answer", num, empty), 1),
        (("inquiry", "show"), 2),
        (("inquiry", "show", "abc"), 2),
        (("inquiry", "show", num, num), 2),
        (("inquiry", "answer", num), 2),
        (("inquiry", "answer", "x", "-"), 2),
        (("inquiry", "list", "--status", "closed"), 2),
        (("inquiry", "list", "--category", "A B"), 2),
        (("inquiry", "list", "--limit", "0"), 2),
        (("inquiry", "list", "extra"), 2),
        (("inquiry", "frob"), 2),
        (("inquiry",), 2),
        (("inquiry", "show", num), 0),
        (("inquiry", "list"), 0),
    ]
    for args, want in cases:
        r = ctl(stack, *args, input="an answer\n")
        assert r.returncode == want, (args, r.returncode, r.stdout, r.stderr)
        if want != 0:
            assert r.stderr.startswith("kenpoctl: ") or "usage:" in r.stderr, (args, r.stderr)
    # The refused answers changed nothing.
    assert stack.sql(f"SELECT status FROM inquiries WHERE id = {num}") == [("open",)]


# ------------------------------------------------------------------ account resend

def test_resend_supersedes_earlier_links(stack):
    c = stack.client()
    email = stack.new_email("ctlrs")
    step1(c, email)
    m1 = activation_mail(stack, email)
    acct_id, state, _, pw_hash, _ = account(stack, email)
    assert state == "pending"

    out = ctl_json(stack, "account", "resend", email)
    assert out == {"id": int(acct_id), "resent": True}
    m2 = activation_mail(stack, email, n=2)
    assert link_path(m1) != link_path(m2)
    # the old link is superseded, with the way forward
    other = stack.client()
    r = other.get(link_path(m1))
    assert r.status == 200 and "無効になりました" in r.text
    assert "sid" not in other.cookies
    # and by id too: the second link is superseded by the third
    r = ctl(stack, "account", "resend", acct_id)
    assert r.returncode == 0 and f"account {acct_id}" in r.stdout, r.stderr
    m3 = activation_mail(stack, email, n=3)
    r = stack.client().get(link_path(m2))
    assert r.status == 200 and "無効になりました" in r.text
    # the newest works; it carries no password (support cannot know whose
    # step 1 was the owner's: issue 8), so even the step-1 browser sets one
    r = c.get(link_path(m3))
    assert r.status == 200 and "パスワードの設定" in r.text
    assert account(stack, email)[1] == "pending"
    r = c.submit(r, link_path(m3), {"password": "Ctl-Resend#47q"})
    assert r.status == 303 and r.location == "/signup/eligibility"
    state, level, new_hash = account(stack, email)[1:4]
    assert (state, level) == ("verified", None) and new_hash != pw_hash
    assert events(stack, acct_id).count("account.resend") == 2

    # no longer pending: refused; unknown; usage
    r = ctl(stack, "account", "resend", email)
    assert r.returncode == 1 and "not pending" in r.stderr
    assert ctl(stack, "account", "resend", "nobody-" + email).returncode == 1
    assert ctl(stack, "account", "resend", "999999999").returncode == 1
    assert ctl(stack, "account", "resend").returncode == 2
    assert ctl(stack, "account", "resend", email, email).returncode == 2
    assert len(stack.mails(email)) == 3


# ------------------------------------------------------------------ account withdraw

def test_withdraw_then_the_same_person_signs_up_again(stack, insurer):
    person = new_person(stack, insurer)
    first = stack.new_email("wd")
    member = sign_up(stack, first, person)
    acct_id, _, roster_id, _, _ = account(stack, first)
    assert roster_id is not None
    assert member.get("/top").status == 200

    # Another address cannot check the same person while the account lives.
    second = stack.new_email("wd2")
    c2 = verified_client(stack, second)
    r = eligibility(c2, person)
    assert r.status == 200 and "別のメールアドレスで" in r.text

    out = ctl_json(stack, "account", "withdraw", first)
    assert out == {"id": int(acct_id), "withdrawn": True}
    _, state, roster, _, withdrawn_at = account(stack, first)
    assert (state, roster) == ("withdrawn", None) and withdrawn_at is not None
    assert stack.sql(f"SELECT COUNT(*) FROM sessions WHERE account_id = {acct_id}") == [("0",)]
    assert stack.sql(f"SELECT COUNT(*) FROM tokens WHERE account_id = {acct_id}") == [("0",)]
    m = stack.wait_mail(first, subject="退会手続きが完了しました")
    assert "/signup" in m.body
    assert "account.withdraw" in events(stack, acct_id)
    # The member's browser is logged out.
    r = member.get("/top")
    assert r.status in (302, 303) and r.location == "/login?next=/top"

    # The same roster person now completes step 4 with the new address.
    r = eligibility(c2, person)
    assert r.status == 303 and r.location == "/signup/confirm", r.text[:2000]
    page = c2.get("/signup/confirm")
    r = c2.submit(page, "/signup/confirm", {"action": "complete"})
    assert r.status == 303 and r.location == "/signup/complete"
    assert account(stack, second)[1:3] == ("active", roster_id)

    # Twice, pending, unknown, usage.
    r = ctl(stack, "account", "withdraw", acct_id)
    assert r.returncode == 1 and "already" in r.stderr
    pending = stack.new_email("wdp")
    step1(stack.client(), pending)
    r = ctl(stack, "account", "withdraw", pending)
    assert r.returncode == 1 and "account delete" in r.stderr
    assert account(stack, pending)[1] == "pending"
    assert ctl(stack, "account", "withdraw", "999999999").returncode == 1
    assert ctl(stack, "account", "withdraw").returncode == 2
    assert ctl(stack, "account", "withdraw", "a", "b").returncode == 2


# ------------------------------------------------------------------ account delete

def test_delete_removes_personal_data_and_frees_the_address(stack, insurer):
    person = new_person(stack, insurer)
    email = stack.new_email("del")
    member = sign_up(stack, email, person)
    acct_id, _, roster_id, _, _ = account(stack, email)
    logged_in = send_inquiry(member, email, "退会ではなく削除を希望します。")
    anonymous = send_inquiry(stack.client(), email.upper().replace("@EXAMPLE.COM", "@example.com"),
                             "同じ人からの問い合わせ", category="other")
    unrelated = send_inquiry(stack.client(), stack.new_email("keep"), "別の人")
    assert stack.sql(f"SELECT account_id FROM inquiries WHERE id = {logged_in}") == [(acct_id,)]
    audit_before = int(stack.sql(f"SELECT COUNT(*) FROM audit WHERE account_id = {acct_id}")[0][0])
    assert audit_before > 0

    # Without --yes: a usage error, nothing happens.
    r = ctl(stack, "account", "delete", email)
    assert r.returncode == 2 and "--yes" in r.stderr
    assert account(stack, email) is not None

    out = ctl_json(stack, "account", "delete", email, "--yes")
    assert out["id"] == int(acct_id) and out["deleted"] is True
    assert out["was"] == "active" and out["state"] == "closed"
    assert account(stack, email) is None
    # account_erase: the row stays as a tombstone without address or password.
    (state, addr, pw), = stack.sql("SELECT state, email, password_hash FROM accounts"
                                   f" WHERE id = {acct_id}")
    assert state == "closed" and addr == f"closed+{acct_id}@invalid" and pw == "!"
    for table in ("tokens", "sessions"):
        assert stack.sql(f"SELECT COUNT(*) FROM {table} WHERE account_id = {acct_id}") == [("0",)]
    # Only the mail that tells her, which the daily job purges once sent.
    stack.wait_mail(email, subject="アカウントを削除しました")
    wait_sent = [r for r in stack.sql("SELECT template FROM outbox"
                                      f" WHERE to_addr = '{email}'")]
    assert wait_sent == [("account_deleted",)]
    assert ctl(stack, "lifecycle", "run").returncode == 0
    assert stack.sql(f"SELECT COUNT(*) FROM outbox WHERE to_addr = '{email}'") == [("0",)]
    # Audit rows keep event and time; the earlier ones lost the account and the
    # client address, the deletion itself names the tombstone only.
    rows = stack.sql(f"SELECT event, ip FROM audit WHERE account_id = {acct_id}")
    assert rows == [("account.delete", None)]
    assert int(stack.sql("SELECT COUNT(*) FROM audit WHERE account_id IS NULL")[0][0]) >= audit_before
    # Inquiries stay as numbered records without personal data.
    for num in (logged_in, anonymous):
        assert stack.sql(f"SELECT email, name, body, account_id, status FROM inquiries"
                         f" WHERE id = {num}") == [("", None, "", None, "open")]
    assert stack.sql(f"SELECT body FROM inquiries WHERE id = {unrelated}") == [("別の人",)]
    # The roster person is free, and so is the address.
    assert stack.sql(f"SELECT COUNT(*) FROM accounts WHERE roster_id = {roster_id}") == [("0",)]
    assert member.get("/top").location == "/login?next=/top"
    sign_up(stack, email, person)

    # Unknown, usage.
    assert ctl(stack, "account", "delete", "999999999", "--yes").returncode == 1
    r = ctl(stack, "account", "delete", acct_id, "--yes")
    assert r.returncode == 1 and "closed already" in r.stderr
    assert ctl(stack, "account", "delete", "--yes").returncode == 2
    assert ctl(stack, "account", "delete", email, "--yes", "--frob").returncode == 2
    assert ctl(stack, "account", "delete").returncode == 2


def test_delete_a_pending_account(stack):
    email = stack.new_email("delp")
    step1(stack.client(), email)
    activation_mail(stack, email)
    acct_id = account(stack, email)[0]
    r = ctl(stack, "account", "delete", acct_id, "--yes")
    assert r.returncode == 0 and f"deleted account {acct_id}" in r.stdout, r.stderr
    assert account(stack, email) is None
    # A fresh signup with the address starts from scratch.
    step1(stack.client(), email)
    assert account(stack, email)[1] == "pending"


# ------------------------------------------------------------------ audit and usage

def test_audit_list_filters(stack):
    email = stack.new_email("aud")
    step1(stack.client(), email)
    activation_mail(stack, email)
    acct_id = int(account(stack, email)[0])
    assert ctl(stack, "account", "resend", email).returncode == 0

    rows = ctl_json(stack, "audit", "list", "--event", "account.")
    assert rows and all(e["event"].startswith("account.") for e in rows)
    rows = ctl_json(stack, "audit", "list", "--account", acct_id, "--event", "signup.")
    assert [e["event"] for e in rows] == ["signup.start"]
    assert all(e["account"] == acct_id for e in rows)
    rows = ctl_json(stack, "audit", "list", "--account", acct_id, "--since", "2000-01-01")
    assert [e["event"] for e in rows] == ["account.resend", "signup.start"]
    # Printed times are UTC; --since takes them back, and an offset is honoured.
    newest = rows[0]["time"]
    assert ctl_json(stack, "audit", "list", "--account", acct_id, "--since",
                    newest[:19].replace(" ", "T") + "Z")[0]["event"] == "account.resend"
    assert ctl_json(stack, "audit", "list", "--since", "2999-01-01T00:00+09:00") == []
    # "%" and "_" are not wildcards in the prefix.
    assert ctl_json(stack, "audit", "list", "--event", "%") == []
    r = ctl(stack, "audit", "list", "--event", "account.", "--limit", "3")
    assert r.returncode == 0 and r.stdout.startswith("id\ttime\tevent")
    for bad in (["--since", "yesterday"], ["--since", "2024-02-30"],
                ["--since", "2024-01-01T25:00"], ["--event", ""], ["--account", "x"],
                ["--limit", "0"], ["extra"]):
        r = ctl(stack, "audit", "list", *bad)
        assert r.returncode == 2 and "usage:" in r.stderr, (bad, r.stderr)


def test_usage_errors_and_help(stack):
    for args in (("account",), ("account", "frob"), ("account", "show"),
                 ("account", "unlock"), ("audit", "frob"), ("frob", "x"), ()):
        r = ctl(stack, *args)
        assert r.returncode == 2 and "usage:" in r.stderr, (args, r.stderr)
    r = ctl(stack, "--help")
    assert r.returncode == 0
    for line in ("inquiry list", "inquiry show ID", "inquiry answer ID",
                 "account resend", "account withdraw", "account delete EMAIL|ID --yes",
                 "audit list [--account ID] [--event PREFIX] [--since DATE]"):
        assert line in r.stdout, line
    assert ctl(stack, "account", "show", "999999999").returncode == 1
    assert ctl(stack, "account", "unlock", "999999999").returncode == 1


# ------------------------------------------------------------------ syslog

def test_syslog_carries_levels_and_request_ids(stack):
    """Server.Syslog = 1: every line goes to syslog(3) (facility daemon, the
    level as its priority, the request id in front), none to stderr. kenpod runs
    in a mount namespace of its own whose /dev/log is a socket of this test."""
    import socket as so
    d = tempfile.mkdtemp(dir=stack.dir, prefix="syslog-")
    sock = os.path.join(d, "log.sock")
    rx = so.socket(so.AF_UNIX, so.SOCK_DGRAM)
    rx.bind(sock)
    os.chmod(sock, 0o666)
    rx.settimeout(0.2)
    # The namespace keeps the propagation of its mounts as they are (a chroot,
    # where / is not a mount point, refuses to change it for /) and makes /dev
    # alone private before covering it, so nothing done here reaches the host.
    nodes = " && ".join(f"mknod -m 666 /dev/{n} c 1 {minor}" for n, minor in
                        (("null", 3), ("zero", 5), ("full", 7), ("random", 8),
                         ("urandom", 9)))
    script = ('mount --make-rprivate /dev && mount -t tmpfs -o mode=755 tmpfs /dev && '
              + nodes + ' && touch /dev/log && mount --bind "$1" /dev/log && shift && '
              'exec "$@"')
    wrapper = ["unshare", "--mount", "--propagation", "unchanged", "sh", "-c", script,
               "sh", sock]
    fe = stack.frontend(config={"Server.Syslog": "1"}, wrapper=wrapper)
    got = []

    def drain():
        try:
            while True:
                got.append(rx.recv(8192).decode("utf-8", "replace"))
        except OSError:
            pass
    try:
        r = fe.client().get("/no-such-page-syslog")
        assert r.status == 404
        rid = r.headers.get("X-Request-Id")
        assert rid
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(f"[{rid}]" in g for g in got):
            drain()
        line = next((g for g in got if f"[{rid}]" in g), None)
        assert line is not None, got[-10:]
        # <30> = facility daemon (3) * 8 + info (6); ident and pid of the worker.
        assert line.startswith("<30>"), line
        assert re.search(r"kenpod-worker\[\d+\]: \[" + rid + r"\] GET - 404", line), line
        assert any(g.startswith("<30>") and "kenpod started" in g for g in got), got[:5]
        assert not [l for l in fe.log_lines() if "kenpod-worker" in l], fe.log_lines()[-5:]
    finally:
        stack.stop_frontend(fe)
        rx.close()
