"""
The seed's help around the forms (issue 10 item 6) over the real stack:

- よくある質問 (/help/faq) shows the seeds' questions (seed 001 Q1–Q8 and more),
  from an HDF file the operator edits (Help.FAQFile): an edit shows at the next
  page view with no restart or reload; a malformed file is logged and the
  shipped FAQ is shown instead (never a 500); with no usable file the page says
  so and points to the inquiry form;
- 「ログインでお困りの場合」 (/help/login), linked from /login, with its links;
- what to have ready and the sender address (Mail.From) on signup step 1;
- the footer links to the operating company and to the disclosure requests
  (Service.OperatorURL, Service.DisclosureURL), validated at config load;
- the per-insurer maintenance notice (`kenpoctl insurer maintenance`) shown to
  that insurer's members on /login (entry link), signup (entry link, step 3)
  and /top, to nobody else, and only from its announcement to its end.

Every test makes its own insurers ("0694…": prefecture 94 does not exist).
"""

import html
import json
import os
import re
import shutil
import subprocess
import time
from datetime import datetime, timedelta, timezone

import pytest

from conftest import (BUILD, SRC, csrf, insurer_number as conftest_insurer_number,
                      argon2_hash, digits)

PASSWORD = "Kp7-Hlp!wre9"
HEADER = ("insurer_number,personal_id,symbol,number,branch,name_kana,birthdate,"
          "qualified_from,qualified_until")
SHIPPED_FAQ = os.path.join(SRC, "templates", "help", "faq.hdf")
_seq = [0]


# ------------------------------------------------------------------ helpers

def jst(delta):
    """Japan time now + delta, as kenpoctl takes it ("YYYY-MM-DD HH:MM")."""
    return (datetime.now(timezone(timedelta(hours=9))) + delta).strftime("%Y-%m-%d %H:%M")


def insurer_number(prefix="0694"):
    return conftest_insurer_number(prefix)


def new_insurer(stack, name):
    for _ in range(20):
        n = insurer_number()
        r = stack.ctl("insurer", "add", n, name, "--pattern", "4")
        if r.returncode == 0:
            return n
    pytest.fail("cannot add a test insurer: " + r.stdout + r.stderr)


def new_person(stack, insurer):
    """A qualified roster person of insurer: its fields."""
    _seq[0] += 1
    k = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモ"
    p = {"pid": f"H{os.getpid()}-{_seq[0]}-{os.urandom(3).hex()}",
         "symbol": digits(3), "number": digits(7),
         "kana": "ヘルプ" + "".join(k[b % len(k)] for b in os.urandom(5)),
         "birth": "1980-05-06"}
    path = os.path.join(stack.dir, f"help-{os.getpid()}-{_seq[0]}.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER + "\n")
        f.write(f"{insurer},{p['pid']},{p['symbol']},{p['number']},,{p['kana']},"
                f"{p['birth']},2010-04-01,\n")
    r = stack.ctl("roster", "import", insurer, path)
    assert r.returncode == 0, r.stdout + r.stderr
    return p


def make_account(stack, insurer, state="active"):
    """An account of insurer: active (bound to a new qualified person, level 2)
    or verified (address proven, step 3 to do). Returns its address."""
    email = stack.new_email("help")
    if state == "active":
        p = new_person(stack, insurer)
        stack.sql("INSERT INTO accounts (email, password_hash, state, level, insurer_id,"
                  " roster_id, activated_at) SELECT"
                  f" '{email}', '{argon2_hash(PASSWORD)}', 'active', 2, i.id, r.id, NOW(6)"
                  " FROM insurers i JOIN roster r ON r.insurer_id = i.id"
                  f" WHERE i.number = '{insurer}' AND r.personal_id = '{p['pid']}'")
    else:
        stack.sql("INSERT INTO accounts (email, password_hash, state)"
                  f" VALUES ('{email}', '{argon2_hash(PASSWORD)}', 'verified')")
    return email


def login(stack, email, client=None):
    c = client or stack.client()
    page = c.get("/login")
    r = c.submit(page, "/login", {"email": email, "password": PASSWORD})
    assert r.status == 303, r.text[:500]
    return c, r


def notice(page):
    """The maintenance notice's text on page, or None."""
    m = re.search(r'<div class="notice notice--warn maintenance" id="maintenance"'
                  r'[^>]*data-state="(\w+)">(.*?)</div>', page.text, re.S)
    if m is None:
        return None
    return m.group(1), html.unescape(re.sub(r"<[^>]+>", " ", m.group(2)))


def maint(stack, *args):
    return stack.ctl("--json", "insurer", "maintenance", *args)


def views(client, path, n=8):
    """n GETs of path (kenpod has several workers, each with its own cache)."""
    return [client.get(path) for _ in range(n)]


def write(path, text):
    # A new file renamed into place, as editors and deploy tools do.
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


# ------------------------------------------------------------------ the FAQ

SEED_QUESTIONS = [
    "1つのメールアドレスで2人分の会員登録をする",                  # Q1
    "プライベートで使っているアドレスを登録したい",                # Q2
    "保険証情報を正しく入力しているはずなのですが、完了画面になりません",  # Q3
    "同じメールアドレスで登録できますか",                          # Q4
    "以前のアカウントを使えますか",                                # Q5
    "秘密の質問の答えを忘れてしまいました",                        # Q6
    "再度、健診・医療アクセス認証が必要でしょうか",                # Q7
    "保険者番号を間違えて進んでしまった場合",                      # Q8
    "仮登録メールが届きません",                                    # seed 000, step 2
    "手元に保険証がありません",                                    # seed 001 p.3
]


def test_faq_shows_the_seeds_questions(stack, client):
    r = client.get("/help/faq")
    assert r.status == 200
    text = html.unescape(r.text)
    for q in SEED_QUESTIONS:
        assert q in text, q
    # Answers too, with their links, and the service name filled in.
    assert "資格喪失してから100日経過していれば" in text
    assert "お一人様につき1つずつメールアドレスが必要" in text
    assert 'href="/password/forgot"' in r.text
    assert 'href="/inquiry/new?category=login_id"' in r.text
    assert "{service}" not in text
    # Linked from the footer of every page and from signup step 1.
    assert 'href="/help/faq"' in client.get("/login").text
    assert 'href="/help/faq"' in client.get("/signup").text
    # English.
    assert client.get("/lang?to=en&back=/help/faq").status == 303
    en = html.unescape(client.get("/help/faq").text)
    assert "Each person needs an e-mail address of their own" in en
    assert "Frequently asked questions" in en


def test_faq_edit_shows_without_restart_and_bad_file_falls_back(stack, tmp_path):
    faq = str(tmp_path / "faq.hdf")
    shutil.copy(SHIPPED_FAQ, faq)
    fe = stack.frontend({"Help.FAQFile": faq})
    try:
        c = fe.client()
        pid = fe.kenpod_pid
        assert all("1つのメールアドレスで2人分" in html.unescape(p.text)
                   for p in views(c, "/help/faq"))

        # The operator edits the file: the next views show it, no restart.
        with open(SHIPPED_FAQ, encoding="utf-8") as f:
            shipped = f.read()
        edited = shipped.replace(
            "Item.prepare {",
            "Item.opening_hours {\n"
            "    Question.ja = 問い合わせの受付時間は？<script>x</script>\n"
            "    Answer.ja << EOM\n平日10時から17時まで受け付けています。\n\n"
            "二段落目です。\nEOM\n  }\n\n  Item.prepare {", 1)
        write(faq, edited)
        for p in views(c, "/help/faq"):
            assert p.status == 200
            t = html.unescape(p.text)
            assert "問い合わせの受付時間は？" in t and "平日10時から17時まで" in t
            # Escaped like everything else, paragraphs kept.
            assert "<script>x</script>" not in p.text
            assert "&lt;script&gt;" in p.text
            assert re.search(r'<p class="faq__para">平日10時から17時まで受け付けています。</p>\s*'
                             r'<p class="faq__para">二段落目です。</p>', p.text)
        assert fe.kenpod_pid == pid

        # A malformed file: logged (file and line), the shipped FAQ is shown, no 500.
        write(faq, edited.replace("Item.prepare {", "Item.pre-pare {", 1))
        for p in views(c, "/help/faq"):
            assert p.status == 200
            t = html.unescape(p.text)
            assert "問い合わせの受付時間は？" not in t
            assert "1つのメールアドレスで2人分" in t
        log = open(fe.log, encoding="utf-8", errors="replace").read()
        assert re.search(re.escape(f"faq: {faq}: ") + r".*Unable to parse line.*pre-pare", log)
        assert "shipped FAQ instead" in log

        # A file that parses but breaks the format (a typo in a key) likewise.
        write(faq, edited.replace("Answer.ja << EOM\n平日", "Anwser.ja << EOM\n平日", 1))
        assert all(p.status == 200 and "問い合わせの受付時間" not in html.unescape(p.text)
                   for p in views(c, "/help/faq"))
        assert "Anwser is not a known key" in open(fe.log, encoding="utf-8").read()

        # Not UTF-8, and a file gone: the same.
        with open(faq, "wb") as f:
            f.write(b"Section.a {\n Title.ja = \xff\xfe\n}\n")
        assert all(p.status == 200 for p in views(c, "/help/faq", 4))
        os.unlink(faq)
        assert all(p.status == 200 and "1つのメールアドレスで2人分" in html.unescape(p.text)
                   for p in views(c, "/help/faq", 4))

        # Fixed again: shown again.
        write(faq, edited)
        assert all("問い合わせの受付時間は？" in html.unescape(p.text)
                   for p in views(c, "/help/faq"))
        assert fe.kenpod_pid == pid

        # kenpoctl faq check says the same before a file is put in place.
        bad = str(tmp_path / "bad.hdf")
        write(bad, edited.replace("Item.prepare {", "Item.pre-pare {", 1))
        r = stack.ctl("faq", "check", bad)
        assert r.returncode == 1 and "Unable to parse line" in r.stderr, r.stderr
        r = stack.ctl("--json", "faq", "check", faq)
        assert r.returncode == 0, r.stderr
        # the shipped items and the one added above
        shipped = len(re.findall(r"^\s*Item\.\w+ \{", open(SHIPPED_FAQ, encoding="utf-8").read(), re.M))
        assert json.loads(r.stdout)["items"] == shipped + 1
    finally:
        stack.stop_frontend(fe)


def test_faq_without_any_usable_file_says_so(stack, tmp_path):
    tdir = str(tmp_path / "templates")
    shutil.copytree(os.path.join(SRC, "templates"), tdir)
    with open(os.path.join(tdir, "help", "faq.hdf"), "w", encoding="utf-8") as f:
        f.write("Section.broken {\n  Title.ja = 見出しだけ\n}\n")
    fe = stack.frontend(templates=tdir)
    try:
        r = fe.client().get("/help/faq")
        assert r.status == 200
        assert "ただいま「よくある質問」を表示できません" in html.unescape(r.text)
        assert 'href="/inquiry/new"' in r.text
        assert "Section.broken has no Item" in open(fe.log, encoding="utf-8").read()
    finally:
        stack.stop_frontend(fe)


def test_faq_file_must_exist_at_config_load(stack, tmp_path):
    conf = tmp_path / "kenpo.hdf"
    base = dict(stack.base_config(), **{"Help.FAQFile": str(tmp_path / "missing.hdf")})
    conf.write_text("".join(f"{k} = {v}\n" for k, v in base.items()), encoding="utf-8")
    r = subprocess.run([os.path.join(BUILD, "kenpod"), "-t", "-c", str(conf)],
                       capture_output=True, text=True)
    assert r.returncode != 0
    assert "Help.FAQFile" in r.stderr + r.stdout


# ------------------------------------------------------------------ login help

def test_login_help_page_and_its_links(stack, client):
    page = client.get("/login")
    assert 'href="/help/login"' in page.text
    assert "ログインでお困りの場合" in page.text
    r = client.get("/help/login")
    assert r.status == 200
    t = html.unescape(r.text)
    assert "ログインでお困りの場合" in t
    for href in ('href="/password/forgot"', 'href="/inquiry/new?category=login_id"',
                 'href="/help/faq"'):
        assert href in r.text, href
    # The numbers are the configured ones (Login.LockAfterFailures 10, LockMinutes 30).
    assert "パスワードを10回続けて間違えると" in t and "30分間ロック" in t
    assert "画像認証" in t and "Google Chrome" in t and "Safari" in t
    # The links lead somewhere.
    assert client.get("/password/forgot").status == 200
    inq = client.get("/inquiry/new?category=login_id")
    assert inq.status == 200 and re.search(r'value="login_id"[^>]*checked|value="login_id"[^>]*selected', inq.text)
    # English.
    client.get("/lang?to=en&back=/help/login")
    en = html.unescape(client.get("/help/login").text)
    assert "Trouble logging in" in en and "locked for 30 minutes" in en


# ------------------------------------------------------------------ signup step 1

def test_signup_start_lists_what_to_have_ready_and_the_sender(stack, client):
    r = client.get("/signup")
    assert r.status == 200
    t = html.unescape(r.text)
    assert "準備するもの" in t
    for item in ("パソコンまたはスマートフォン", "メールアドレス", "保険証"):
        assert item in t
    # The sender, as configured, so that members can allow it.
    assert re.search(r'id="sender"[^>]*>.*<strong class="prepare__address">no-reply@example\.invalid</strong>',
                     r.text, re.S), r.text[:3000]
    fe = stack.frontend({"Mail.From": "kenpo-info@mail.example.jp"})
    try:
        t = fe.client().get("/signup").text
        assert "kenpo-info@mail.example.jp" in t
    finally:
        stack.stop_frontend(fe)


# ------------------------------------------------------------------ footer

def test_footer_links_from_configuration(stack, client):
    page = client.get("/login").text
    # Defaults: the disclosure request goes to the inquiry form's own category,
    # and there is no operating-company link without a URL.
    assert 'href="/inquiry/new?category=disclosure"' in page
    assert "個人情報の開示、訂正等の請求" in html.unescape(page)
    assert 'id="footer-operator"' not in page
    inq = client.get("/inquiry/new?category=disclosure")
    assert inq.status == 200 and re.search(r'value="disclosure"[^>]*(checked|selected)', inq.text)

    fe = stack.frontend({"Service.OperatorURL": "https://operator.example.jp/company",
                         "Service.DisclosureURL": "https://operator.example.jp/privacy/request"})
    try:
        c = fe.client()
        for path in ("/login", "/signup", "/help/faq", "/help/login"):
            t = c.get(path).text
            assert re.search(r'<a href="https://operator\.example\.jp/company" id="footer-operator">運営会社</a>', t), path
            assert 'href="https://operator.example.jp/privacy/request" id="footer-disclosure"' in t, path
    finally:
        stack.stop_frontend(fe)


@pytest.mark.parametrize("key,value", [
    ("Service.OperatorURL", "javascript:alert(1)"),
    ("Service.DisclosureURL", "//evil.example/"),
    ("Service.OperatorURL", 'https://x.example/"onmouseover="x'),
    ("Service.DisclosureURL", ""),
])
def test_footer_urls_are_validated(stack, tmp_path, key, value):
    conf = tmp_path / "kenpo.hdf"
    base = dict(stack.base_config(), **{key: value})
    conf.write_text("".join(f"{k} = {v}\n" for k, v in base.items()), encoding="utf-8")
    r = subprocess.run([os.path.join(BUILD, "kenpod"), "-t", "-c", str(conf)],
                       capture_output=True, text=True)
    assert r.returncode != 0
    assert key in r.stderr + r.stdout


# ------------------------------------------------------------------ maintenance

def test_maintenance_command(stack):
    a = new_insurer(stack, "メンテ操作健康保険組合")
    r = maint(stack, a, "show")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["state"] == "none"

    frm, until = jst(timedelta(days=2)), jst(timedelta(days=2, hours=3))
    r = maint(stack, a, "set", "--from", frm, "--until", until,
              "--message", "保険証情報の確認ができません。", "--message-en", "No card checks.")
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    assert rec["number"] == a and rec["state"] == "announced"
    assert rec["from"] == frm + ":00" and rec["until"] == until + ":00"
    assert rec["message"] == "保険証情報の確認ができません。" and rec["message_en"] == "No card checks."
    # Announced 7 days ahead by default.
    ann = datetime.strptime(frm, "%Y-%m-%d %H:%M") - timedelta(days=7)
    assert rec["announce_from"] == ann.strftime("%Y-%m-%d %H:%M:00")
    r = stack.ctl("insurer", "maintenance", a, "show")
    assert r.returncode == 0 and "state: announced" in r.stdout, r.stdout

    r = maint(stack, "list")
    assert r.returncode == 0
    assert a in [x["number"] for x in json.loads(r.stdout)]

    # Refusals: exit 1 with the reason, exit 2 for usage.
    assert maint(stack, a, "set", "--from", until, "--until", frm).returncode == 1
    assert maint(stack, a, "set", "--from", "2026-13-01", "--until", until).returncode == 2
    assert maint(stack, a, "set", "--until", until).returncode == 2
    assert maint(stack, a, "set", "--from", frm, "--until", until,
                 "--message", "二行\nある").returncode == 1
    assert maint(stack, a, "set", "--from", frm, "--until", until,
                 "--message", "長" * 501).returncode == 1
    assert maint(stack, a, "set", "--from", frm, "--until", until,
                 "--announce-from", until).returncode == 1
    assert maint(stack, "06123456", "show").returncode == 1          # check digit
    # no such insurer (a random number of this prefix that no test has added:
    # a thousand numbers are shared by every file that uses new_insurer)
    absent = next(n for n in iter(insurer_number, None)
                  if not stack.sql(f"SELECT 1 FROM insurers WHERE number = '{n}'"))
    assert maint(stack, absent, "show").returncode == 1
    assert maint(stack, a, "frobnicate").returncode == 2
    # Nothing changed by the refused ones.
    assert json.loads(maint(stack, a, "show").stdout)["from"] == frm + ":00"

    # set and clear are audited.
    events = [e for (e,) in stack.sql("SELECT event FROM audit ORDER BY id DESC LIMIT 20")]
    assert "insurer.maintenance_set" in events
    r = maint(stack, a, "clear")
    assert r.returncode == 0 and json.loads(r.stdout)["state"] == "none"
    events = [e for (e,) in stack.sql("SELECT event FROM audit ORDER BY id DESC LIMIT 5")]
    assert "insurer.maintenance_clear" in events
    # A window already over is accepted with a warning (a drill, a late entry).
    r = maint(stack, a, "set", "--from", jst(timedelta(hours=-5)),
              "--until", jst(timedelta(hours=-3)))
    assert r.returncode == 0 and "already over" in r.stderr
    assert json.loads(r.stdout)["state"] == "over"


def test_maintenance_notice_for_that_insurers_members_only(stack):
    a = new_insurer(stack, "メンテ中健康保険組合")
    b = new_insurer(stack, "ほかの健康保険組合")
    r = maint(stack, a, "set", "--from", jst(timedelta(hours=-1)),
              "--until", jst(timedelta(hours=2)), "--message", "健診結果の表示を停止しています。")
    assert r.returncode == 0, r.stderr
    until_ja = datetime.strptime(jst(timedelta(hours=2)), "%Y-%m-%d %H:%M")

    # /login through the insurer's entry link: the notice, with its name, end and message.
    ca = stack.client()
    assert ca.get(f"/entry?insurer={a}").status in (302, 303)
    n = notice(ca.get("/login"))
    assert n is not None, "no notice on /login via the entry link"
    state, text = n
    assert state == "now"
    assert "メンテナンス中" in text and "メンテ中健康保険組合" in text
    assert f"{until_ja.month}月{until_ja.day}日 {until_ja.hour}:{until_ja.minute:02d}" in text
    assert "健診結果の表示を停止しています。" in text
    # Signup step 1 through the same link.
    assert notice(ca.get("/signup")) is not None

    # Another insurer's entry link, or none: nothing.
    cb = stack.client()
    cb.get(f"/entry?insurer={b}")
    assert notice(cb.get("/login")) is None
    assert notice(cb.get("/signup")) is None
    assert notice(stack.client().get("/login")) is None

    # Top page: a member of A sees it, a member of B does not.
    ma, _ = login(stack, make_account(stack, a))
    top = ma.get("/top")
    assert top.status == 200 and notice(top) is not None
    mb, _ = login(stack, make_account(stack, b))
    top = mb.get("/top")
    assert top.status == 200 and notice(top) is None

    # Signup step 3: once the member names insurer A (no entry link).
    c, r = login(stack, make_account(stack, a, state="verified"))
    assert r.location == "/signup/eligibility"
    page = c.get("/signup/eligibility")
    assert notice(page) is None
    r = c.submit(page, "/signup/eligibility", {"insurer_number": a})
    assert r.status == 200 and notice(r) is not None
    c2, _ = login(stack, make_account(stack, b, state="verified"))
    page = c2.get("/signup/eligibility")
    r = c2.submit(page, "/signup/eligibility", {"insurer_number": b})
    assert r.status == 200 and notice(r) is None

    # English pages: the English message falls back to the Japanese one.
    ma.get("/lang?to=en&back=/top")
    state, text = notice(ma.get("/top"))
    assert "Maintenance in progress" in text and "JST" in text
    assert "健診結果の表示を停止しています。" in text

    # Cleared: gone everywhere.
    assert maint(stack, a, "clear").returncode == 0
    assert notice(ca.get("/login")) is None
    assert notice(ma.get("/top")) is None


def test_maintenance_notice_only_in_its_window(stack):
    a = new_insurer(stack, "時間帯健康保険組合")
    member, _ = login(stack, make_account(stack, a))
    entry = stack.client()
    entry.get(f"/entry?insurer={a}")

    def shown():
        n1, n2 = notice(member.get("/top")), notice(entry.get("/login"))
        assert (n1 is None) == (n2 is None)
        return n1

    # Over already: nothing.
    assert maint(stack, a, "set", "--from", jst(timedelta(hours=-5)),
                 "--until", jst(timedelta(hours=-3))).returncode == 0
    assert shown() is None
    # Ends now-ish: an end a minute ago shows nothing.
    assert maint(stack, a, "set", "--from", jst(timedelta(hours=-2)),
                 "--until", jst(timedelta(minutes=-1))).returncode == 0
    assert shown() is None
    # Later, within the announcement period (7 days by default): announced.
    frm = jst(timedelta(days=3))
    assert maint(stack, a, "set", "--from", frm,
                 "--until", jst(timedelta(days=3, hours=4))).returncode == 0
    state, text = shown()
    f = datetime.strptime(frm, "%Y-%m-%d %H:%M")
    assert state == "upcoming" and "メンテナンスのお知らせ" in text
    assert f"{f.month}月{f.day}日 {f.hour}:{f.minute:02d}から" in text
    # Later, before its announcement: nothing yet.
    assert maint(stack, a, "set", "--from", frm, "--until", jst(timedelta(days=3, hours=4)),
                 "--announce-days", "1").returncode == 0
    assert shown() is None
    assert maint(stack, a, "set", "--from", frm, "--until", jst(timedelta(days=3, hours=4)),
                 "--announce-from", jst(timedelta(minutes=-1))).returncode == 0
    assert shown()[0] == "upcoming"
    # Under way: shown as such.
    assert maint(stack, a, "set", "--from", jst(timedelta(minutes=-1)),
                 "--until", jst(timedelta(hours=1)), "--announce-days", "0").returncode == 0
    assert shown()[0] == "now"
