"""
The member's recent logins, "log out everywhere else" and the download of her
own data (issue 10 item 7; src/pages/account_logins.c, src/pages/account_export.c,
src/login_history.c, src/export.c) over the real stack.

The logins come from a frontend that trusts nginx (Server.TrustedProxies =
127.0.0.1), so each client says where it is with X-Forwarded-For and what it is
with User-Agent, as a browser behind the operator's proxy would. The addresses
are documentation ranges (RFC 5737, RFC 3849): only header text, no traffic.

Members are made directly in the database (an Argon2id hash from the reference
tool) and bound to roster persons imported with kenpoctl under insurers of their
own ("0694…": prefecture 94 does not exist), so tests are independent. Dates move
through SQL and `kenpoctl lifecycle run`, never by sleeping.
"""

import csv
import io
import json
import os
import re

import pytest

from conftest import (Client, csrf, argon2_hash,
                      insurer_number as conftest_insurer_number, digits)

PASSWORD = "Hq5#tLw9!ze"
_seq = [0]

CHROME_WIN = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
              "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) "
                 "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 "
                 "Mobile/15E148 Safari/604.1")
FIREFOX_LINUX = ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 "
                 "Firefox/133.0")


# ------------------------------------------------------------------ helpers


def insurer_number(prefix="0694"):
    return conftest_insurer_number(prefix)


def new_insurer(stack, name):
    for _ in range(20):
        n = insurer_number()
        r = stack.ctl("insurer", "add", n, name, "--pattern", "4")
        if r.returncode == 0:
            return n
    pytest.fail("cannot add a test insurer: " + r.stdout + r.stderr)


def new_person(insurer):
    _seq[0] += 1
    k = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモ"
    return {"insurer": insurer, "pid": f"H{os.getpid()}-{_seq[0]}-{os.urandom(3).hex()}",
            "symbol": digits(3), "number": digits(7),
            "kana": "リレキ" + "".join(k[b % len(k)] for b in os.urandom(5)),
            "birth": "1968-09-10"}


def roster_import(stack, person, until=""):
    _seq[0] += 1
    path = os.path.join(stack.dir, f"history-{os.getpid()}-{_seq[0]}.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("insurer_number,personal_id,symbol,number,branch,name_kana,birthdate,"
                "qualified_from,qualified_until\n")
        f.write(f"{person['insurer']},{person['pid']},{person['symbol']},{person['number']},,"
                f"{person['kana']},{person['birth']},2012-04-01,{until}\n")
    r = stack.ctl("roster", "import", person["insurer"], path)
    assert r.returncode == 0, r.stdout + r.stderr


def make_member(stack, insurer):
    """An active account (level 2) bound to a new roster person: (email, id, person)."""
    person = new_person(insurer)
    roster_import(stack, person)
    email = stack.new_email("hist")
    stack.sql("INSERT INTO accounts (email, password_hash, state, level, insurer_id,"
              " roster_id, activated_at) SELECT"
              f" '{email}', '{argon2_hash(PASSWORD)}', 'active', 2, i.id, r.id, NOW(6)"
              " FROM insurers i JOIN roster r ON r.insurer_id = i.id"
              f" WHERE i.number = '{insurer}' AND r.personal_id = '{person['pid']}'")
    (aid,), = stack.sql(f"SELECT id FROM accounts WHERE email = '{email}'")
    return email, int(aid), person


class Browser(Client):
    """A client with its own User-Agent, behind the trusted proxy at address ip."""

    def __init__(self, base_url, ua, ip):
        super().__init__(base_url)
        self.ua, self.ip = ua, ip

    def request(self, method, path, body=None, headers=None):
        h = {"User-Agent": self.ua, "X-Forwarded-For": self.ip}
        h.update(headers or {})
        return super().request(method, path, body=body, headers=h)


def login(browser, email, password=PASSWORD, remember=False, ok=True):
    page = browser.get("/login")
    assert page.status == 200, page.text[:300]
    d = {"email": email, "password": password}
    if remember:
        d["remember"] = "1"
    r = browser.submit(page, "/login", d)
    if ok:
        assert r.status == 303 and r.location == "/top", r.text[:500]
    else:
        assert r.status == 200, r.text[:300]
    return r


def logged_in(browser):
    r = browser.get("/account")
    return r.status == 200


def events(stack, aid, event):
    (n,), = stack.sql(f"SELECT COUNT(*) FROM audit WHERE account_id = {aid}"
                      f" AND event = '{event}'")
    return int(n)


def items(page):
    """The entries of the login list: [(attributes of the <li>, its text)]."""
    out = []
    for m in re.finditer(r'<li class="login-list__item([^"]*)"([^>]*)>(.*?)</li>', page.text,
                         re.S):
        text = re.sub(r"<[^>]+>", " ", m.group(3))
        out.append((m.group(1) + m.group(2), " ".join(text.split())))
    return out


def export(browser, fmt, password=PASSWORD):
    page = browser.get("/account/export")
    assert page.status == 200, page.text[:300]
    return browser.submit(page, "/account/export", {"format": fmt, "current_password": password})


def csv_sections(raw):
    """{section: [dict per row]} of an export CSV (name line, header line, rows, blank)."""
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    out, i = {}, 0
    while i < len(rows):
        if not rows[i]:
            i += 1
            continue
        name, head = rows[i][0], rows[i + 1]
        i += 2
        out[name] = []
        while i < len(rows) and rows[i]:
            out[name].append(dict(zip(head, rows[i])))
            i += 1
    return out


# ------------------------------------------------------------------ fixtures

@pytest.fixture(scope="module")
def fe(stack):
    """A frontend that takes the client address from X-Forwarded-For (nginx trusted)."""
    stack.require_demo()
    f = stack.frontend(config={"Server.TrustedProxies": "127.0.0.1"})
    yield f
    stack.stop_frontend(f)


@pytest.fixture(scope="module")
def ins(stack):
    stack.require_demo()
    return new_insurer(stack, "リレキ健康保険組合")


def browser(fe, ua, ip):
    return Browser(fe.base_url, ua, ip)


# ------------------------------------------------------------------ access

def test_pages_need_a_member_and_posts_need_csrf(stack, fe, ins):
    c = stack.client()
    for path in ("/account/logins", "/account/export"):
        r = c.get(path)
        assert r.status == 303 and r.location == f"/login?next={path}", path
        assert c.post(path, {"format": "json", "current_password": PASSWORD}).status == 403
    email, aid, _ = make_member(stack, ins)
    b = browser(fe, CHROME_WIN, "203.0.113.40")
    other = browser(fe, SAFARI_IPHONE, "198.51.100.41")
    login(b, email)
    login(other, email)
    for path in ("/account/logins", "/account/export"):
        data = {"format": "json", "current_password": PASSWORD}
        assert b.post(path, data).status == 403, path
        assert b.post(path, dict(data, csrf="A" * 43)).status == 403, path
        page = b.get("/account")
        r = b.post(path, dict(data, csrf=csrf(page)), origin="https://evil.example")
        assert r.status == 403, path
    # Nothing happened: the other browser is still in, no export was made.
    assert logged_in(other)
    assert events(stack, aid, "session.end_others") == 0
    assert events(stack, aid, "account.export") == 0
    # The settings hub links both pages.
    hub = b.get("/account")
    assert 'href="/account/logins"' in hub.text and 'href="/account/export"' in hub.text


# ------------------------------------------------------------------ the list

def test_logins_from_two_browsers_show_network_and_browser_only(stack, fe, ins):
    email, aid, _ = make_member(stack, ins)
    stranger_email, stranger, _ = make_member(stack, ins)
    pc = browser(fe, CHROME_WIN, "203.0.113.77")
    phone = browser(fe, SAFARI_IPHONE, "2001:db8:abcd:12::5")
    thief = browser(fe, FIREFOX_LINUX, "198.51.100.9")
    login(phone, email)
    login(thief, email, password="Wrong-pass-1!", ok=False)
    login(pc, email)
    # Another member's login from elsewhere never shows in hers.
    login(browser(fe, FIREFOX_LINUX, "192.0.2.200"), stranger_email)

    page = pc.get("/account/logins")
    assert page.status == 200
    assert "ログイン履歴" in page.text
    assert page.headers.get("Cache-Control") == "no-store"
    got = items(page)
    assert len(got) == 3, got
    (attrs0, pc_row), (_, fail_row), (attrs2, phone_row) = got
    # Newest first: this browser's login, marked as this device.
    assert "Chrome / Windows" in pc_row and "203.0.113.0/24" in pc_row
    assert "この端末" in pc_row and "login-list__item--current" in attrs0
    assert "パスワード誤り" in fail_row and "Firefox / Linux" in fail_row
    assert "198.51.100.0/24" in fail_row
    assert "Safari / iPhone" in phone_row and "2001:db8:abcd::/48" in phone_row
    assert "ログイン中" in phone_row and "この端末" not in phone_row
    assert "login-list__item--current" not in attrs2
    # Never the full address, nor the other member's network.
    for full in ("203.0.113.77", "2001:db8:abcd:12::5", "198.51.100.9", "192.0.2."):
        assert full not in page.text, full
    # What is stored is what is shown: networks and names, no header text.
    rows = stack.sql(f"SELECT kind, net, browser, os FROM login_history"
                     f" WHERE account_id = {aid} ORDER BY id")
    assert rows == [("password", "2001:db8:abcd::/48", "Safari", "iPhone"),
                    ("failed", "198.51.100.0/24", "Firefox", "Linux"),
                    ("password", "203.0.113.0/24", "Chrome", "Windows")]
    # The phone sees the same list with its own entry marked.
    ph = items(phone.get("/account/logins"))
    assert "この端末" in ph[2][1] and "この端末" not in ph[0][1]
    # English too.
    en = pc.get("/account/logins", headers={"Cookie": pc.cookie_header() + "; lang=en"})
    assert en.status == 200 and "Login history" in en.text and "This device" in en.text


def test_log_out_everywhere_else(stack, fe, ins):
    email, aid, _ = make_member(stack, ins)
    pc = browser(fe, CHROME_WIN, "203.0.113.10")
    phone = browser(fe, SAFARI_IPHONE, "2001:db8:1:2::3")
    tablet = browser(fe, FIREFOX_LINUX, "198.51.100.30")
    login(phone, email, remember=True)
    login(tablet, email)
    login(pc, email, remember=True)
    assert logged_in(phone) and logged_in(tablet)
    (n,), = stack.sql(f"SELECT COUNT(*) FROM tokens WHERE account_id = {aid}"
                      " AND purpose = 'remember'")
    assert n == "2"

    page = pc.get("/account/logins")
    assert 'action="/account/logins"' in page.text
    r = pc.submit(page, "/account/logins", {})
    assert r.status == 303 and r.location == "/account/logins?done=others&n=2"
    done = pc.get(r.location)
    assert done.status == 200 and "2件を終了しました" in done.text
    assert events(stack, aid, "session.end_others") == 1

    # The others get the login page, the phone's remember-me does not bring it back.
    for other in (phone, tablet):
        r = other.get("/account")
        assert r.status == 303 and r.location.startswith("/login"), r.location
        assert other.get("/login").status == 200
    assert not logged_in(phone)
    # This browser stays, with its remember-me.
    assert logged_in(pc)
    rows = stack.sql(f"SELECT selector FROM tokens WHERE account_id = {aid}"
                     " AND purpose = 'remember'")
    assert len(rows) == 1 and pc.cookies["remember"].startswith(rows[0][0] + ":")
    # The list: only this device is still logged in.
    got = items(pc.get("/account/logins"))
    assert "この端末" in got[0][1]
    assert all("ログイン中" not in t for _, t in got[1:])

    # After the browser is closed (session cookie gone) remember-me logs it in
    # again: an automatic login of its own, marked as this device.
    del pc.cookies["sid"]
    page = pc.get("/account/logins")
    assert page.status == 200
    got = items(page)
    assert "自動ログイン" in got[0][1] and "この端末" in got[0][1]
    assert "Chrome / Windows" in got[0][1]
    # The session the closed browser left behind is still open until it
    # expires: the list says so, and a second press ends it, then nothing more.
    assert "ログイン中" in got[1][1] and "Chrome / Windows" in got[1][1]
    r = pc.submit(page, "/account/logins", {})
    assert r.location == "/account/logins?done=others&n=1"
    r = pc.submit(page, "/account/logins", {})
    assert r.location == "/account/logins?done=others&n=0"
    assert "ほかの端末でのログインはありませんでした" in pc.get(r.location).text
    assert logged_in(pc)


# ------------------------------------------------------------------ the download

def test_download_as_json_and_csv_needs_the_password(stack, fe, ins, request):
    email, aid, person = make_member(stack, ins)
    other_email, other_id, other_person = make_member(stack, ins)
    # The insurer's points terms (only this test's insurer), agreed to at signup
    # by her and later renewed by the other member (who then has no gate either).
    stack.sql("INSERT INTO terms_versions (kind, insurer_id, version, url) "
              f"SELECT 'points', id, 'P-7', '/static/points.html' FROM insurers "
              f"WHERE number = '{ins}'")
    (tv,), = stack.sql("SELECT MAX(id) FROM terms_versions")
    # The insurer's later members (other tests) must not meet this version.
    request.addfinalizer(lambda: stack.sql(
        f"DELETE FROM consents WHERE terms_version_id = {tv}; "
        f"DELETE FROM terms_versions WHERE id = {tv}"))
    stack.sql("SET time_zone = '+00:00'; "
              "INSERT INTO consents (account_id, terms_version_id, via, agreed_at) "
              f"VALUES ({aid}, {tv}, 'signup', '2026-04-01 03:04:05')")
    stack.sql("INSERT INTO consents (account_id, terms_version_id, via) "
              f"VALUES ({other_id}, {tv}, 'renewal')")
    login(browser(fe, FIREFOX_LINUX, "198.51.100.66"), other_email)
    phone = browser(fe, SAFARI_IPHONE, "2001:db8:77::1")
    login(phone, email)
    pc = browser(fe, CHROME_WIN, "203.0.113.99")
    login(pc, email)

    page = pc.get("/account/export")
    assert page.status == 200 and "登録データのダウンロード" in page.text
    assert 'name="current_password"' in page.text
    # No password, a wrong one: no file.
    for pw, msg in (("", "現在のパスワードを入力してください"),
                    ("Wrong-pass-1!", "現在のパスワードが正しくありません")):
        r = export(pc, "json", pw)
        assert r.status == 200 and r.headers.get("Content-Disposition") is None
        assert msg in r.text
    assert events(stack, aid, "password.check_fail") == 1
    r = export(pc, "xml")
    assert r.status == 200 and "ファイルの形式を選んでください" in r.text
    assert events(stack, aid, "account.export") == 0

    # JSON.
    r = export(pc, "json")
    assert r.status == 200
    assert r.headers.get("Content-Type") == "application/json; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="kenpo-data-\d{8}\.json"',
                        r.headers.get("Content-Disposition") or "")
    assert r.headers.get("Cache-Control") == "no-store"
    doc = json.loads(r.raw.decode("utf-8"))
    assert doc["format"] == "kenpo-member-data" and doc["version"] == 1
    p = doc["profile"]
    assert p["email"] == email and p["state"] == "active" and p["level"] == 2
    assert p["insurer_number"] == ins and p["insurer_name"] == "リレキ健康保険組合"
    assert p["notification_mail"] is True and p["unaffiliated"] is False
    assert doc["bindings"] == [{
        "insurer_number": ins, "insurer_name": "リレキ健康保険組合",
        "personal_id": person["pid"], "name_kana": person["kana"],
        "birthdate": person["birth"], "qualified_from": "2012-04-01",
        "qualified_until": None}]
    assert doc["consents"] == [{"terms": "points", "version": "P-7", "via": "signup",
                                "agreed_at": "2026-04-01T12:04:05+09:00"}]
    logins = doc["logins"]
    assert [(x["kind"], x["network"], x["browser"], x["os"]) for x in logins] == [
        ("password", "203.0.113.0/24", "Chrome", "Windows"),
        ("password", "2001:db8:77::/48", "Safari", "iPhone")]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00", x["time"])
               for x in logins)
    assert doc["passkeys"] == []
    text = r.raw.decode("utf-8")
    for foreign in (other_email, other_person["kana"], other_person["pid"], "198.51.100",
                    "203.0.113.99", "$argon2"):
        assert foreign not in text, foreign
    assert events(stack, aid, "account.export") == 1

    # CSV: for Excel (BOM, CRLF), parsed by the csv module.
    r = export(pc, "csv")
    assert r.status == 200
    assert r.headers.get("Content-Type") == "text/csv; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="kenpo-data-\d{8}\.csv"',
                        r.headers.get("Content-Disposition") or "")
    assert r.headers.get("Cache-Control") == "no-store"
    assert r.raw.startswith(b"\xef\xbb\xbf")
    assert b"\n" in r.raw and r.raw.count(b"\n") == r.raw.count(b"\r\n")
    sec = csv_sections(r.raw)
    assert list(sec) == ["profile", "bindings", "consents", "logins", "passkeys"]
    assert sec["profile"][0]["email"] == email
    assert sec["profile"][0]["notification_mail"] == "true"
    assert sec["bindings"][0]["name_kana"] == person["kana"]
    assert [(x["terms"], x["version"], x["via"]) for x in sec["consents"]] == [
        ("points", "P-7", "signup")]
    assert [(x["network"], x["browser"]) for x in sec["logins"]] == [
        ("203.0.113.0/24", "Chrome"), ("2001:db8:77::/48", "Safari")]
    text = r.raw.decode("utf-8-sig")
    for foreign in (other_email, other_person["kana"], "198.51.100", "$argon2"):
        assert foreign not in text, foreign
    assert events(stack, aid, "account.export") == 2


def test_csv_cells_never_run_as_formulas(stack, fe):
    stack.require_demo()
    nasty = "=HYPERLINK(\"http://evil.example/\",\"x\")"
    number = new_insurer(stack, "フォーミュラ健康保険組合")
    stack.sql(f"UPDATE insurers SET name = '{nasty.replace(chr(39), chr(39) * 2)}'"
              f" WHERE number = '{number}'")
    email, aid, _ = make_member(stack, number)
    pc = browser(fe, CHROME_WIN, "203.0.113.5")
    login(pc, email)
    r = export(pc, "csv")
    assert r.status == 200
    sec = csv_sections(r.raw)
    assert sec["profile"][0]["insurer_name"] == "'" + nasty
    assert sec["bindings"][0]["insurer_name"] == "'" + nasty
    # JSON keeps the value as it is (no spreadsheet reads it).
    doc = json.loads(export(pc, "json").raw)
    assert doc["profile"]["insurer_name"] == nasty


# ------------------------------------------------------------------ retention, erasure

def test_old_logins_are_pruned_and_erasure_deletes_the_rest(stack, fe, ins):
    email, aid, person = make_member(stack, ins)
    login(browser(fe, SAFARI_IPHONE, "203.0.113.51"), email)
    pc = browser(fe, CHROME_WIN, "203.0.113.50")
    login(pc, email)
    (old_id,), = stack.sql(f"SELECT MIN(id) FROM login_history WHERE account_id = {aid}")
    stack.sql("UPDATE login_history SET created_at = NOW(6) - INTERVAL 120 DAY"
              f" WHERE id = {old_id}")
    r = stack.ctl("--json", "lifecycle", "run")
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["logins_pruned"] >= 1
    assert stack.sql(f"SELECT COUNT(*) FROM login_history WHERE account_id = {aid}") == [("1",)]
    assert len(items(pc.get("/account/logins"))) == 1
    r = stack.ctl("lifecycle", "run")
    assert r.returncode == 0 and "old login" in r.stdout

    # Qualification lost 150 days ago: the job closes the account and erases it.
    roster_import(stack, person, until=stack.sql(
        "SELECT DATE_FORMAT(NOW() - INTERVAL 150 DAY, '%Y-%m-%d')")[0][0])
    r = stack.ctl("--json", "lifecycle", "run")
    assert r.returncode == 0, r.stdout + r.stderr
    assert stack.sql(f"SELECT state FROM accounts WHERE id = {aid}") == [("closed",)]
    assert stack.sql(f"SELECT COUNT(*) FROM login_history WHERE account_id = {aid}") == [("0",)]
    assert stack.sql(f"SELECT COUNT(*) FROM sessions WHERE account_id = {aid}") == [("0",)]
