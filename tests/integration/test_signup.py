"""
The four-step web signup (issue 3; SPEC §3) over the real stack: MariaDB, the SMTP
sink, kenpod and nginx. Mail is read from the sink; expiry is moved with SQL
(never by sleeping).

Every test brings its own addresses, and its own roster persons under test
insurers of each card pattern (fictional numbers "0698…", prefecture 98 does not
exist), so the tests are independent and can run in any order.
"""

import os
import re
import threading
import urllib.parse

import pytest

from conftest import (Client, csrf, form_fields, metrics,
                      insurer_number as conftest_insurer_number)

PASSWORD = "Kenpo-Test!58x"
OTHER_PASSWORD = "Wr4%kN8#pQ"


# ------------------------------------------------------------------ helpers

def insurer_number(prefix="0698"):
    return conftest_insurer_number(prefix)


def bad_check_digit(number):
    return number[:7] + str((int(number[7]) + 1) % 10)


def add_insurer(stack, pattern, name, adopted=True):
    for _ in range(20):
        n = insurer_number()
        args = ["insurer", "add", n, name, "--pattern", str(pattern)]
        if not adopted:
            args.append("--not-adopted")
        r = stack.ctl(*args)
        if r.returncode == 0:
            return n
    pytest.fail("cannot add a test insurer: " + r.stdout + r.stderr)


_person = [0]


def add_person(stack, insurer, symbol, number, kana, birth, until="", since="2019-04-01"):
    """Import one roster person (non-snapshot import adds to the roster)."""
    _person[0] += 1
    pid = f"T{os.getpid()}-{_person[0]}-{os.urandom(3).hex()}"
    path = os.path.join(stack.dir, f"roster-{pid}.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("insurer_number,personal_id,symbol,number,branch,name_kana,birthdate,"
                "qualified_from,qualified_until\n")
        f.write(f"{insurer},{pid},{symbol},{number},00,{kana},{birth},{since},{until}\n")
    r = stack.ctl("roster", "import", insurer, path)
    assert r.returncode == 0, r.stdout + r.stderr
    return pid


def unique_digits(n):
    """n random digits not starting with 0 (card numbers of one test)."""
    return str(1 + os.urandom(1)[0] % 9) + "".join(str(b % 10) for b in os.urandom(n - 1))


def unique_kana():
    """A katakana given name nobody else in the test roster has."""
    kana = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモ"
    return "".join(kana[b % len(kana)] for b in os.urandom(5))


@pytest.fixture(scope="module")
def insurers(stack):
    stack.require_demo()
    return {
        1: add_insurer(stack, 1, "パターン1テスト健康保険組合"),
        2: add_insurer(stack, 2, "パターン2テスト健康保険組合"),
        3: add_insurer(stack, 3, "パターン3テスト健康保険組合"),
        4: add_insurer(stack, 4, "パターン4テスト健康保険組合"),
        "not_adopted": add_insurer(stack, 4, "未導入テスト健康保険組合", adopted=False),
    }


@pytest.fixture(autouse=True)
def no_signup_limits(stack):
    """Many signups come from 127.0.0.1 in these tests: reset the per-IP count."""
    stack.sql("DELETE FROM throttle WHERE k LIKE 'signup:%'")
    yield


def step1(client, email, password=PASSWORD, **extra):
    page = client.get("/signup")
    assert page.status == 200, page.text[:300]
    data = {"email": email, "password": password, "agree_terms": "1",
            "agree_privacy": "1"}
    data.update(extra)
    return client.submit(page, "/signup", data)


def activation_mail(stack, email, n=1):
    return stack.wait_mail(email, n=n, subject="仮登録ありがとうございます")


def link_path(mail):
    links = [u for u in mail.urls if "/users/" in u and u.endswith("/activate")]
    assert len(links) == 1, mail.body
    return urllib.parse.urlsplit(links[0]).path


def account(stack, email):
    rows = stack.sql("SELECT id, state, level, roster_id, password_hash FROM accounts"
                     f" WHERE email = '{email}'")
    return rows[0] if rows else None


def verified_client(stack, email=None, by="link"):
    """A client whose session is a verified account (steps 1-2 done)."""
    c = stack.client()
    email = email or stack.new_email("su")
    r = step1(c, email)
    assert r.status == 303 and r.location == "/signup/sent", r.text[:300]
    mail = activation_mail(stack, email)
    if by == "link":
        r = c.get(link_path(mail))
    else:
        page = c.get("/signup/sent")
        r = c.submit(page, "/signup/sent", {"code": mail.code})
    assert r.status == 303 and r.location == "/signup/eligibility", r.text[:300]
    return c, email


def eligibility(client, fields, page=None, insurer_first=True):
    """Post step 3 the way a browser without JavaScript does: the insurer number
    first (次へ), then the boxes the server drew. Returns the last response."""
    if page is None:
        page = client.get("/signup/eligibility")
        assert page.status == 200, page.text[:300]
    if insurer_first and form_fields(page).get("form_insurer") != fields["insurer_number"]:
        page = client.submit(page, "/signup/eligibility",
                             {"insurer_number": fields["insurer_number"]})
        if page.status != 200 or "form_insurer" not in form_fields(page) or \
                not form_fields(page).get("form_insurer"):
            return page
    d = {k: v for k, v in fields.items()}
    d["form_insurer"] = form_fields(page).get("form_insurer", "")
    return client.submit(page, "/signup/eligibility", d)


def person_fields(insurer, pattern, symbol, number, kana, birth):
    y, m, d = birth.split("-")
    f = {"insurer_number": insurer, "name_kana": kana, "birth_year": y,
         "birth_month": m.lstrip("0"), "birth_day": d.lstrip("0")}
    if pattern == 1:
        f["number"], f["number2"] = number.split("-")
    elif pattern == 2:
        f["number"] = number
    elif pattern == 3:
        f["symbol"], f["symbol2"] = symbol.split("-")
        f["number"] = number
    else:
        f["symbol"], f["number"] = symbol, number
    return f


def new_person(stack, insurers, pattern, until=""):
    """A roster person under the test insurer of pattern; returns form fields."""
    ins = insurers[pattern]
    kana = "テスト" + unique_kana()
    birth = "1980-02-02"
    if pattern == 1:
        symbol, number = "", unique_digits(4) + "-" + unique_digits(4)
    elif pattern == 2:
        symbol, number = "", unique_digits(8)
    elif pattern == 3:
        symbol, number = unique_digits(2) + "-" + unique_digits(3), unique_digits(4)
    else:
        symbol, number = unique_digits(3), unique_digits(7)
    add_person(stack, ins, symbol, number, kana, birth, until=until)
    return person_fields(ins, pattern, symbol, number, kana, birth)


def to_confirm(stack, client, fields):
    r = eligibility(client, fields)
    assert r.status == 303 and r.location == "/signup/confirm", r.text[:2000]
    return client.get("/signup/confirm")


def complete(client, page):
    return client.submit(page, "/signup/confirm", {"action": "complete"})


def outcome_of(page):
    m = re.search(r'class="notice notice--error"[^>]*>\s*<p class="notice__title"><strong>([^<]*)<',
                  page.text)
    return m.group(1) if m else None


# ------------------------------------------------------------------ happy paths

@pytest.mark.parametrize("pattern,by", [(1, "link"), (2, "code"), (3, "link"), (4, "code")])
def test_happy_path_each_card_pattern(stack, insurers, pattern, by):
    c = stack.client()
    email = stack.new_email(f"p{pattern}")

    # Step 1
    page = c.get("/signup")
    assert page.status == 200
    assert "仮登録メールを送信する" in page.text
    assert "2ヶ月" in page.text                         # the two-month warning
    assert 'name="agree_terms"' in page.text and 'name="agree_privacy"' in page.text
    r = c.submit(page, "/signup", {"email": email, "password": PASSWORD,
                                   "agree_terms": "1", "agree_privacy": "1",
                                   "invite_code": "ABC-123"})
    assert r.status == 303 and r.location == "/signup/sent"
    acct = account(stack, email)
    assert acct[1] == "pending"
    assert acct[4].startswith("$argon2id$v=19$")

    # Step 2: the page names the address; the mail has link and code
    sent = c.get("/signup/sent")
    assert sent.status == 200 and email in sent.text
    assert "迷惑メール" in sent.text and "仮登録メールの再送信" in sent.text
    mail = activation_mail(stack, email)
    assert "まだ本登録は完了していません" in mail.subject
    assert "24時間" in mail.body and "10分" in mail.body and "保険証" in mail.body
    assert "返信" in mail.body and "/inquiry/new" in mail.body
    assert re.fullmatch(r"\d{6}", mail.code)
    if by == "link":
        r = c.get(link_path(mail))
    else:
        r = c.submit(sent, "/signup/sent", {"code": mail.code})
    assert r.status == 303 and r.location == "/signup/eligibility"
    assert account(stack, email)[1] == "verified"

    # Step 3, as without JavaScript: 次へ draws this insurer's boxes
    fields = new_person(stack, insurers, pattern)
    page = c.get("/signup/eligibility")
    assert page.status == 200 and email in page.text
    page = c.submit(page, "/signup/eligibility", {"insurer_number": fields["insurer_number"]})
    assert page.status == 200
    boxes = form_fields(page)
    assert boxes["form_insurer"] == fields["insurer_number"]
    shown = {n for n in ("symbol", "symbol2", "number", "number2")
             if re.search(rf'name="{n}"[^>]*>', page.text) and
             not re.search(rf'name="{n}"[^>]*disabled', page.text)}
    assert shown == {1: {"number", "number2"}, 2: {"number"},
                     3: {"symbol", "symbol2", "number"}, 4: {"symbol", "number"}}[pattern]
    d = dict(fields, form_insurer=boxes["form_insurer"])
    r = c.submit(page, "/signup/eligibility", d)
    assert r.status == 303 and r.location == "/signup/confirm", r.text[:2000]

    # Step 4
    page = c.get("/signup/confirm")
    assert page.status == 200
    assert fields["name_kana"] in page.text
    assert "1980年2月2日" in page.text
    assert f"パターン{pattern}テスト健康保険組合" in page.text
    sid_before = c.cookies.get("sid")
    r = complete(c, page)
    assert r.status == 303 and r.location == "/signup/complete"
    assert c.cookies.get("sid") and c.cookies.get("sid") != sid_before
    done = c.get("/signup/complete")
    assert done.status == 200 and 'href="/top"' in done.text
    top = c.get("/top")
    assert top.status == 200
    assert fields["name_kana"] in top.text
    assert "提供：" in top.text and f"パターン{pattern}テスト健康保険組合" in top.text
    assert 'action="/logout"' in top.text

    _, state, level, roster_id, _ = account(stack, email)
    assert (state, level) == ("active", "2") and roster_id is not None
    events = [e for (e,) in stack.sql(
        f"SELECT event FROM audit WHERE account_id = {acct[0]} ORDER BY id")]
    for e in ("signup.start", "signup.activate", "signup.eligibility_ok", "signup.complete"):
        assert e in events


def test_demo_member_end_to_end(stack):
    """The acceptance path of the issue with the demo data (pattern ④)."""
    stack.require_demo()
    (bound,), = stack.sql("SELECT COUNT(*) FROM accounts a JOIN roster r ON r.id = a.roster_id"
                          " WHERE r.personal_id = 'D0003'")
    # The stack is fresh and no other test uses D0003.
    assert bound == "0", "the demo person D0003 is already bound in this stack"
    c, email = verified_client(stack)
    page = to_confirm(stack, c, {"insurer_number": "06139992", "symbol": "123",
                                 "number": "0001234", "name_kana": "サトウジロウ",
                                 "birth_year": "1985", "birth_month": "7",
                                 "birth_day": "20"})
    assert "デモ健康保険組合" in page.text and "1985年7月20日" in page.text
    # 戻る, then again: nothing is lost
    r = c.submit(page, "/signup/confirm", {"action": "back"})
    assert r.status == 303 and r.location == "/signup/eligibility"
    page = to_confirm(stack, c, {"insurer_number": "06139992", "symbol": "123",
                                 "number": "1234", "name_kana": "サトウ　ジロウ",
                                 "birth_year": "1985", "birth_month": "07",
                                 "birth_day": "20"})
    r = complete(c, page)
    assert r.status == 303 and r.location == "/signup/complete"


# ------------------------------------------------------------------ step 1

def test_step1_form_errors(stack, client):
    page = client.get("/signup")
    r = client.submit(page, "/signup", {})
    assert r.status == 200
    for text in ("メールアドレスを入力してください", "パスワードを入力してください",
                 "会員規約", "個人情報の取り扱い"):
        assert text in r.text
    assert 'class="error-summary"' in r.text
    # The consent's wording (issue 11): not 「取り扱いについてに同意する」.
    assert "個人情報の取り扱いに同意する" in page.text and "についてに" not in page.text
    cases = {
        "not-an-address": "メールアドレスの形式が正しくありません",
        "a@b": "メールアドレスの形式が正しくありません",
        "a b@example.com": "メールアドレスの形式が正しくありません",
        "x" * 65 + "@example.com": "メールアドレスの形式が正しくありません",
        "taro@" + "a" * 250 + ".com": "メールアドレスの形式が正しくありません",
        "たろう@example.com": "メールアドレスの形式が正しくありません",
    }
    for email, text in cases.items():
        r = step1(client, email)
        assert r.status == 200 and text in r.text, email
    r = step1(client, stack.new_email(), invite_code="bad code!")
    assert r.status == 200 and "招待コード" in r.text
    r = step1(client, stack.new_email(), invite_code="A" * 33)
    assert r.status == 200 and "招待コード" in r.text


def test_password_rule_one_error_per_condition(stack, client):
    email = "hoshino.kentaro." + os.urandom(3).hex() + "@example.com"
    cases = [
        ("Ab1!", ["8文字以上"]),
        ("Xk9!mQ2#vL7$pR4&wZ8*t", ["20文字以下"]),
        ("kxmwqzpv", ["種類以上"]),
        ("Pass word1", ["半角英数字と記号のみ"]),
        ("Xk9!123zz", ["連続した文字"]),
        ("Xk9!Qwer", ["連続した文字"]),
        ("Hoshino!97x", ["メールアドレスの一部"]),
        ("P@ssw0rd!", ["よく使われる"]),
        ("Sakura#2024", ["よく使われる"]),
        ("aaaa", ["8文字以上", "種類以上", "連続した文字"]),
    ]
    for pw, texts in cases:
        r = step1(client, email, password=pw)
        assert r.status == 200, pw
        errors = re.findall(r'<li><a href="#password">([^<]*)</a></li>', r.text)
        for t in texts:
            assert any(t in e for e in errors), (pw, t, errors)
        assert len(errors) == len(texts), (pw, errors)
        # Each unmet condition is marked next to the field, too.
        assert "rule--unmet" in r.text
        assert pw not in r.text                       # the password is never echoed
    # Full-width ＠ and spaces around are accepted
    r = step1(client, "  " + stack.new_email().replace("@", "＠") + "\u3000")
    assert r.status == 303


def test_address_with_dots_of_japanese_mobile_carriers(stack, client):
    email = f"taro..{os.urandom(3).hex()}.@docomo.example.jp"
    r = step1(client, email)
    assert r.status == 303 and r.location == "/signup/sent"
    assert "taro.." in client.get("/signup/sent").text


def test_no_enumeration(stack):
    # An active account, completed by the real flow's database effects.
    owner = f"own-{os.urandom(4).hex()}@example.com"
    c0 = stack.client()
    assert step1(c0, owner).status == 303
    stack.sql(f"UPDATE accounts SET state = 'active' WHERE email = '{owner}'")
    first = activation_mail(stack, owner)

    new = f"new-{os.urandom(4).hex()}@example.com"
    # Same length as owner's address, so the pages can be compared byte for byte.
    assert len(new) == len(owner)
    ca, cb = stack.client(), stack.client()
    ra = step1(ca, owner, password=OTHER_PASSWORD)
    rb = step1(cb, new, password=OTHER_PASSWORD)
    assert (ra.status, ra.location) == (rb.status, rb.location) == (303, "/signup/sent")
    assert sorted(ca.cookies) == sorted(cb.cookies)
    assert "sid" not in ca.cookies and "sid" not in cb.cookies
    assert len(ca.cookies["su"]) == len(cb.cookies["su"])
    pa, pb = ca.get("/signup/sent"), cb.get("/signup/sent")
    assert pa.status == pb.status == 200
    strip = lambda p, e: re.sub(r'name="csrf" value="[^"]*"', "", p.text).replace(e, "ADDR")
    strip2 = lambda t: re.sub(r"受付番号 [0-9a-f]+", "", t)
    assert strip2(strip(pa, owner)) == strip2(strip(pb, new))
    # The owner is told, and nothing changed
    mail = stack.wait_mail(owner, subject="登録済み")
    assert "/login" in mail.body and "/password/forgot" in mail.body
    assert account(stack, owner)[1] == "active"
    assert activation_mail(stack, new)
    # A code typed on the page of the existing address behaves like a wrong one
    r = ca.submit(pa, "/signup/sent", {"code": "123456"})
    assert r.status == 200 and "確認コードが正しくありません" in r.text
    r = cb.submit(pb, "/signup/sent", {"code": "000000" if first.code != "000000" else "111111"})
    assert r.status == 200


def test_repeated_signup_of_pending_address_keeps_owner_in_control(stack):
    """A stranger starts a signup with the victim's address; the owner signs up
    later with her own password and confirms: her password counts, not the
    stranger's; the stranger's sessions are gone."""
    email = stack.new_email("own")
    stranger, owner = stack.client(), stack.client()
    assert step1(stranger, email, password=OTHER_PASSWORD).status == 303
    first = activation_mail(stack, email)
    stranger_hash = account(stack, email)[4]
    assert step1(owner, email, password=PASSWORD).status == 303
    again = activation_mail(stack, email, n=2)
    assert "以前にも仮登録" in again.body
    assert account(stack, email)[4] == stranger_hash       # nothing changed yet
    page = owner.get("/signup/sent")
    r = owner.submit(page, "/signup/sent", {"code": again.code})
    assert r.status == 303 and r.location == "/signup/eligibility"
    assert account(stack, email)[4] != stranger_hash
    # The stranger's mail is spent.
    r = stranger.get(link_path(first))
    assert r.status == 200 and "無効になりました" in r.text
    assert "sid" not in stranger.cookies


# ------------------------------------------------------------------ step 2

def test_resend_invalidates_earlier_link_and_code(stack):
    c = stack.client()
    email = stack.new_email("rs")
    assert step1(c, email).status == 303
    m1 = activation_mail(stack, email)
    page = c.get("/signup/sent")
    r = c.submit(page, "/signup/resend", {})
    assert r.status == 303 and r.location.startswith("/signup/sent")
    page = c.get(r.location)
    assert "再送信しました" in page.text
    m2 = activation_mail(stack, email, n=2)
    assert link_path(m1) != link_path(m2)
    # the old code no longer works (only the newest code is checked)
    if m1.code != m2.code:
        r = c.submit(page, "/signup/sent", {"code": m1.code})
        assert r.status == 200 and "正しくありません" in r.text
    # the old link too
    other = stack.client()
    r = other.get(link_path(m1))
    assert r.status == 200 and "無効になりました" in r.text
    assert "sid" not in other.cookies
    # the new code works (full-width digits and spaces are fine)
    fw = "".join(chr(ord(ch) + 0xFEE0) for ch in m2.code)
    r = c.submit(page, "/signup/sent", {"code": fw[:3] + " " + fw[3:]})
    assert r.status == 303 and r.location == "/signup/eligibility"
    # and its link is now "used"
    r = stack.client().get(link_path(m2))
    assert r.status == 200 and "すでに使用されています" in r.text and 'href="/login"' in r.text


def test_resend_is_rate_limited(stack):
    c = stack.client()
    email = stack.new_email("rl")
    assert step1(c, email).status == 303
    page = c.get("/signup/sent")
    notices = []
    for _ in range(6):
        r = c.submit(page, "/signup/resend", {})
        assert r.status == 303
        notices.append(r.location)
    assert notices[:5] == ["/signup/sent?notice=resent"] * 5
    assert notices[5] == "/signup/sent?notice=limited"
    assert "上限" in c.get(notices[5]).text


def test_expired_link_and_code(stack):
    c = stack.client()
    email = stack.new_email("ex")
    assert step1(c, email).status == 303
    m = activation_mail(stack, email)
    acct_id = account(stack, email)[0]
    # The code expires (10 minutes) while the link still works (24 hours)
    stack.sql("UPDATE tokens SET code_expires_at = NOW(6) - INTERVAL 1 SECOND"
              f" WHERE account_id = {acct_id}")
    page = c.get("/signup/sent")
    r = c.submit(page, "/signup/sent", {"code": m.code})
    assert r.status == 200 and "使用できません" in r.text
    stack.sql("UPDATE tokens SET expires_at = NOW(6) - INTERVAL 1 SECOND"
              f" WHERE account_id = {acct_id}")
    r = c.get(link_path(m))
    assert r.status == 200 and "有効期限が切れています" in r.text and 'href="/signup"' in r.text
    assert account(stack, email)[1] == "pending"


def test_code_tries_are_limited(stack):
    c = stack.client()
    email = stack.new_email("ct")
    assert step1(c, email).status == 303
    m = activation_mail(stack, email)
    wrong = "%06d" % ((int(m.code) + 1) % 1000000)
    page = c.get("/signup/sent")
    for i in range(4):
        r = c.submit(page, "/signup/sent", {"code": wrong})
        assert r.status == 200 and "正しくありません" in r.text
    r = c.submit(page, "/signup/sent", {"code": wrong})
    assert r.status == 200 and "使用できません" in r.text
    r = c.submit(page, "/signup/sent", {"code": m.code})
    assert r.status == 200 and "使用できません" in r.text
    # the link still works
    r = c.get(link_path(m))
    assert r.status == 303 and r.location == "/signup/eligibility"


def test_code_form_errors(stack, client):
    assert step1(client, stack.new_email("cf")).status == 303
    page = client.get("/signup/sent")
    for code, text in (("", "確認コードを入力してください"), ("12345", "6桁の数字"),
                       ("abcdef", "6桁の数字"), ("1" * 80, "6桁の数字")):
        r = client.submit(page, "/signup/sent", {"code": code})
        assert r.status == 200 and text in r.text, code


def test_link_opened_in_another_browser(stack):
    """The phone did not type the step-1 password: it sets one (issue 8)."""
    pc, phone = stack.client(), stack.client()
    email = stack.new_email("ob")
    assert step1(pc, email).status == 303
    m = activation_mail(stack, email)
    r = phone.get(link_path(m))
    assert r.status == 200 and "パスワードの設定" in r.text and email in r.text
    assert account(stack, email)[1] == "pending"          # a GET changes nothing
    # The rules of step 1 hold here too
    r = phone.submit(r, link_path(m), {"password": "abc"})
    assert r.status == 200 and "満たしていない条件" in r.text
    assert account(stack, email)[1] == "pending"
    r = phone.submit(r, link_path(m), {"password": OTHER_PASSWORD})
    assert r.status == 303 and r.location == "/signup/eligibility"
    assert account(stack, email)[1] == "verified"
    assert phone.get("/signup/eligibility").status == 200
    # The PC's step-2 page says the address was confirmed elsewhere
    page = pc.get("/signup/sent")
    assert "すでに完了しています" in page.text
    # and only that, when the PC then types the mail's code (issue 11): not
    # also that the code is no longer valid, and no code form to try again.
    r = pc.post("/signup/sent", {"csrf": csrf(pc.get("/signup")), "code": m.code})
    assert r.status == 200 and "すでに完了しています" in r.text, r.text[:800]
    assert "使用できません" not in r.text and 'name="code"' not in r.text
    assert "<h1>メールアドレスの確認は完了しています</h1>" in r.text


def test_forged_and_replayed_links(stack, client):
    for token in ("x", "A" * 43, "A" * 44, "%25%00", "Zm9v" * 11, "é" * 10):
        r = client.get(f"/users/{urllib.parse.quote(token)}/activate")
        assert r.status == 400, token
        assert "このリンクは無効です" in r.text, (token, r.text[:500])
        # Titled for what it is, not 「入力内容を受け付けられませんでした」 (issue 11).
        assert "<h1>このリンクは使用できません</h1>" in r.text
        assert "入力内容を受け付けられませんでした" not in r.text
    # used link replayed in the browser that is already in: straight to the step
    c, email = verified_client(stack)
    m = activation_mail(stack, email)
    r = c.get(link_path(m))
    assert r.status == 303 and r.location == "/signup/eligibility"


# ------------------------------------------------------------------ step 3

def test_eligibility_outcomes(stack, insurers):
    c, email = verified_client(stack)
    person = new_person(stack, insurers, 4)
    page = c.get("/signup/eligibility")

    # Field errors, nothing counted
    r = c.submit(page, "/signup/eligibility", {"insurer_number": ""})
    assert "保険者番号を入力してください" in r.text
    r = c.submit(page, "/signup/eligibility", {"insurer_number": "1234"})
    assert "8桁の数字" in r.text
    r = c.submit(page, "/signup/eligibility", {"insurer_number": bad_check_digit(person["insurer_number"])})
    assert "保険者番号に誤りがあります" in r.text
    # An unknown number: test_roster.py registers insurers in the same 0699xxxC
    # range (1,000 numbers), so draw until the number is not stored.
    known = {row[0] for row in stack.sql("SELECT number FROM insurers")}
    unknown = insurer_number("0699")
    while unknown in known:
        unknown = insurer_number("0699")
    r = c.submit(page, "/signup/eligibility", {"insurer_number": unknown})
    assert outcome_of(r) == "保険者番号に該当する健康保険組合が見つかりません"
    r = c.submit(page, "/signup/eligibility", {"insurer_number": insurers["not_adopted"]})
    assert outcome_of(r) == "ご加入の健康保険組合は本サービスを導入していません"

    r = eligibility(c, dict(person, symbol="", number="", name_kana="", birth_year="",
                            birth_month="", birth_day=""))
    for text in ("記号を入力してください", "番号を入力してください", "氏名を入力してください",
                 "生年月日を入力してください"):
        assert text in r.text
    r = eligibility(c, dict(person, name_kana="Taro Kenko"))
    assert "カタカナで入力してください" in r.text
    r = eligibility(c, dict(person, number="12ab"))
    assert "番号は数字で入力してください" in r.text
    r = eligibility(c, dict(person, symbol="記号!"))
    assert "記号に使用できない文字" in r.text
    r = eligibility(c, dict(person, birth_month="2", birth_day="30"))
    assert "生年月日が正しくありません" in r.text
    r = eligibility(c, dict(person, birth_year="2999"))
    assert "未来の日付" in r.text
    r = eligibility(c, dict(person, birth_year="1899"))
    assert "1900年以降" in r.text
    r = eligibility(c, dict(person, number="1" * 30))
    assert "長すぎます" in r.text
    (failures,), = stack.sql(f"SELECT eligibility_failures FROM accounts WHERE email = '{email}'")
    assert failures == "0"

    # Not found (counted), with the inquiry link and the two-month note
    r = eligibility(c, dict(person, name_kana="ベツジン"))
    assert outcome_of(r) == "入力された保険証情報では、利用資格を確認できませんでした"
    assert "2ヶ月" in r.text and "/inquiry/new" in r.text and "あと4回" in r.text

    # Not qualified any more
    gone = new_person(stack, insurers, 4, until="2020-03-31")
    r = eligibility(c, gone)
    assert outcome_of(r) == "この保険証では現在ご利用いただけません"

    # Bound to another account
    other, _ = verified_client(stack)
    assert complete(other, to_confirm(stack, other, person)).location == "/signup/complete"
    r = eligibility(c, person)
    assert outcome_of(r) == "以前、別のメールアドレスで保険証の照会を完了しています"
    assert 'href="/login"' in r.text and 'href="/password/forgot"' in r.text


def test_eligibility_attempts_limit(stack, insurers):
    c, email = verified_client(stack)
    person = new_person(stack, insurers, 2)
    for i in range(5):
        r = eligibility(c, dict(person, name_kana="マチガイ"))
        assert r.status == 200
    assert "照会に失敗した回数が上限に達した" in r.text
    # Now even the right data is refused, with the inquiry link
    r = eligibility(c, person)
    assert outcome_of(r) == "照会の回数が上限に達しました"
    assert "/inquiry/new" in r.text
    page = c.get("/signup/eligibility")
    assert "照会の回数が上限に達しました" in page.text
    # The window ends: it works again (the clock moved by SQL, no sleeping)
    stack.sql("UPDATE accounts SET eligibility_window_start = NOW(6) - INTERVAL 25 HOUR"
              f" WHERE email = '{email}'")
    r = eligibility(c, person)
    assert r.status == 303 and r.location == "/signup/confirm"


def test_parallel_checks_cannot_exceed_the_limit(stack, insurers):
    c, email = verified_client(stack)
    person = new_person(stack, insurers, 4)
    page = c.submit(c.get("/signup/eligibility"), "/signup/eligibility",
                    {"insurer_number": person["insurer_number"]})
    data = dict(person, name_kana="マチガイ", form_insurer=person["insurer_number"],
                csrf=csrf(page))
    results = []

    def one():
        cl = Client(stack.base_url)
        cl.cookies = dict(c.cookies)
        results.append(cl.post("/signup/eligibility", data).status)
    threads = [threading.Thread(target=one) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(s == 200 for s in results)
    (failures,), = stack.sql(f"SELECT eligibility_failures FROM accounts WHERE email = '{email}'")
    assert int(failures) == 5


def test_normalisation_variants(stack, insurers):
    c, email = verified_client(stack)
    ins4, ins1, ins2 = insurers[4], insurers[1], insurers[2]
    kana4 = "サトウ" + unique_kana()
    sym, num = unique_digits(3), "000" + unique_digits(4)
    add_person(stack, ins4, sym, num, kana4[:3] + " " + kana4[3:], "1985-07-20")
    kana1 = "サンプル" + unique_kana()
    n1, n2 = unique_digits(4), unique_digits(4)
    add_person(stack, ins1, "", f"{n1}-{n2}", kana1, "1980-02-02")
    n8 = unique_digits(8)
    kana2 = "ヤマダ" + unique_kana()
    add_person(stack, ins2, "", n8, kana2, "1990-12-31")

    def fw(s):
        return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else
                       ("\u3000" if ch == " " else ch) for ch in s)

    def hira(s):
        return "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in s)

    import unicodedata

    def halfkana(s):
        # full-width katakana → half-width (decomposing voiced marks), as IMEs do
        table = {}
        for code in range(0xFF61, 0xFFA0):
            table[unicodedata.normalize("NFKC", chr(code))] = chr(code)
        out = ""
        for ch in s:
            if ch in table:
                out += table[ch]
            else:
                base = unicodedata.normalize("NFD", ch)
                if base[0] in table and len(base) == 2:
                    out += table[base[0]] + ("ﾞ" if base[1] == "\u3099" else "ﾟ")
                else:
                    out += ch
        return out

    variants = [
        # pattern ④: full-width digits, leading zeros dropped or kept, half-width kana
        {"insurer_number": fw(ins4), "symbol": fw(sym), "number": fw(num),
         "name_kana": halfkana(kana4[:3]) + " " + halfkana(kana4[3:]),
         "birth_year": fw("1985"), "birth_month": fw("07"), "birth_day": "２０"},
        {"insurer_number": ins4[:4] + " " + ins4[4:], "symbol": "00" + sym,
         "number": num.lstrip("0"), "name_kana": hira(kana4[:3]) + "\u3000" + hira(kana4[3:]),
         "birth_year": "1985", "birth_month": "7", "birth_day": "20"},
        # pattern ①: both boxes, full-width; or the whole number with a hyphen look-alike
        {"insurer_number": ins1, "number": fw(n1), "number2": fw(n2),
         "name_kana": " " + hira(kana1) + " ", "birth_year": "1980", "birth_month": "2",
         "birth_day": "2"},
        {"insurer_number": ins1, "number": n1 + "\u2212" + n2, "number2": "",
         "name_kana": kana1, "birth_year": "1980", "birth_month": "02", "birth_day": "02"},
        {"insurer_number": ins1, "number": n1 + "ー", "number2": n2,
         "name_kana": kana1, "birth_year": "1980", "birth_month": "02", "birth_day": "02"},
        # pattern ②: 8+ digits match on the last 7, with leading zeros and spaces
        {"insurer_number": ins2, "number": "00" + n8, "name_kana": kana2,
         "birth_year": "1990", "birth_month": "12", "birth_day": "31"},
        {"insurer_number": ins2, "number": n8[:4] + " " + n8[4:], "name_kana": kana2,
         "birth_year": "1990", "birth_month": "12", "birth_day": "31"},
        {"insurer_number": ins2, "number": "9" + n8[1:], "name_kana": kana2,
         "birth_year": "1990", "birth_month": "12", "birth_day": "31"},
    ]
    for v in variants:
        page = c.get("/signup/eligibility")
        page = c.submit(page, "/signup/eligibility", {"insurer_number": v["insurer_number"]})
        assert page.status == 200
        d = dict(v, form_insurer=form_fields(page).get("form_insurer"))
        r = c.submit(page, "/signup/eligibility", d)
        assert r.status == 303 and r.location == "/signup/confirm", (v, r.text[:3000])
        conf = c.get("/signup/confirm")
        r = c.submit(conf, "/signup/confirm", {"action": "back"})
        assert r.status == 303 and r.location == "/signup/eligibility"
    (failures,), = stack.sql(f"SELECT eligibility_failures FROM accounts WHERE email = '{email}'")
    assert failures == "0"


def test_insurer_switch_redraws_without_checking(stack, insurers):
    c, email = verified_client(stack)
    p1 = new_person(stack, insurers, 1)
    page = c.submit(c.get("/signup/eligibility"), "/signup/eligibility",
                    {"insurer_number": insurers[4]})
    assert form_fields(page)["form_insurer"] == insurers[4]
    # boxes of ④ typed, then the insurer number changed to a ① insurer
    r = c.submit(page, "/signup/eligibility", dict(p1, symbol="123", form_insurer=insurers[4]))
    assert r.status == 200 and "入力欄を切り替えました" in r.text
    assert form_fields(r)["form_insurer"] == insurers[1]
    (failures,), = stack.sql(f"SELECT eligibility_failures FROM accounts WHERE email = '{email}'")
    assert failures == "0"


def test_pattern_endpoint_for_javascript(stack, insurers):
    c, _ = verified_client(stack)
    r = c.get("/signup/pattern", params={"insurer_number": insurers[3]})
    assert r.status == 200 and r.headers.get("Content-Type").startswith("application/json")
    import json
    j = json.loads(r.text)
    assert j == {"ok": True, "number": insurers[3], "pattern": 3,
                 "name": "パターン3テスト健康保険組合", "insurer_id_only": False}
    j = json.loads(c.get("/signup/pattern", params={"insurer_number": "０６１３９９９２"}).text)
    assert j["ok"] and j["pattern"] == 4
    j = json.loads(c.get("/signup/pattern", params={"insurer_number": insurers["not_adopted"]}).text)
    assert j == {"ok": False, "reason": "not_adopted"}
    j = json.loads(c.get("/signup/pattern", params={"insurer_number": "06123456"}).text)
    assert j == {"ok": False, "reason": "check_digit"}
    assert stack.client().get("/signup/pattern", params={"insurer_number": "06139992"}).status == 403
    page = c.get("/signup/eligibility")
    assert '/static/js/signup.js' in page.text


def test_entry_context_prefills_insurer(stack):
    stack.require_demo()
    c, _ = verified_client(stack)
    r = c.get("/entry", params={"insurer": "06139992", "next": "/signup"})
    assert r.status == 303
    page = c.get("/signup/eligibility")
    assert "提供：デモ健康保険組合" in page.text
    assert form_fields(page)["insurer_number"] == "06139992"
    assert form_fields(page)["form_insurer"] == "06139992"   # boxes drawn at once


def test_help_page(client):
    r = client.get("/signup/eligibility/help")
    assert r.status == 200
    for text in ("資格情報のお知らせ", "マイナポータル", "資格確認書", "パターン①", "パターン④"):
        assert text in r.text


# ------------------------------------------------------------------ step 4

def test_two_accounts_bind_the_same_person_at_once(stack, insurers):
    person = new_person(stack, insurers, 3)
    (a, ea), (b, eb) = verified_client(stack), verified_client(stack)
    pa, pb = to_confirm(stack, a, person), to_confirm(stack, b, person)
    results = {}
    barrier = threading.Barrier(2)

    def go(name, cl, page):
        barrier.wait()
        results[name] = complete(cl, page)
    ts = [threading.Thread(target=go, args=("a", a, pa)),
          threading.Thread(target=go, args=("b", b, pb))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    locs = sorted(r.location for r in results.values())
    assert locs == ["/signup/complete", "/signup/eligibility?outcome=bound"], locs
    loser = a if results["a"].location != "/signup/complete" else b
    page = loser.get("/signup/eligibility?outcome=bound")
    assert outcome_of(page) == "以前、別のメールアドレスで保険証の照会を完了しています"
    states = sorted(account(stack, e)[1] for e in (ea, eb))
    assert states == ["active", "verified"]
    (n,), = stack.sql("SELECT COUNT(*) FROM accounts a JOIN roster r ON r.id = a.roster_id"
                      f" WHERE r.insurer_id = (SELECT id FROM insurers WHERE number = '{insurers[3]}')"
                      f" AND r.name_kana = '{person['name_kana']}'")
    assert n == "1"


def test_bind_writes_the_roster_row_but_not_its_date(stack, insurers):
    person = new_person(stack, insurers, 4)
    c, email = verified_client(stack)
    page = to_confirm(stack, c, person)
    where = ("WHERE insurer_id = (SELECT id FROM insurers WHERE number ="
             f" '{insurers[4]}') AND name_kana = '{person['name_kana']}'")
    (rid, before), = stack.sql(f"SELECT id, updated_at FROM roster {where}")
    assert complete(c, page).location == "/signup/complete"
    assert account(stack, email)[1] == "active"
    # Written (Galera: an import changing the person on another node conflicts
    # with the bind), but updated_at, which roster show gives support staff as
    # the insurer's last change, moves by 1 µs only.
    assert stack.sql(f"SELECT TIMESTAMPDIFF(MICROSECOND, '{before}', updated_at)"
                     f" FROM roster WHERE id = {rid}") == [("1",)]


def test_confirm_replay_and_bad_action(stack, insurers):
    c, _ = verified_client(stack)
    page = to_confirm(stack, c, new_person(stack, insurers, 4))
    r = c.submit(page, "/signup/confirm", {"action": "explode"})
    assert r.status == 400
    r = complete(c, page)
    assert r.location == "/signup/complete"
    # replayed: the old form's CSRF belongs to the old session → refused
    r = complete(c, page)
    assert r.status == 403
    # with the new session's token: already active → top
    r = c.submit(c.get("/top"), "/signup/confirm", {"action": "complete"})
    assert r.status == 303 and r.location == "/top"


# ------------------------------------------------------------------ state machine

def test_steps_cannot_be_skipped(stack, insurers):
    fresh = stack.client()
    assert fresh.get("/signup/sent").location == "/signup"
    assert fresh.get("/signup/eligibility").location == "/login"
    assert fresh.get("/signup/confirm").location == "/login"
    assert fresh.get("/signup/complete").location == "/login"
    assert fresh.get("/top").location == "/login?next=/top"

    # pending (cookie only): everything after step 2 sends back to step 2
    c = stack.client()
    email = stack.new_email("sk")
    assert step1(c, email).status == 303
    assert c.get("/signup/eligibility").location == "/signup/sent"
    assert c.get("/top").location == "/login?next=/top"
    m = activation_mail(stack, email)
    c.get(link_path(m))
    # verified: no confirm without a match, no step 1 or 2 again
    assert c.get("/signup/confirm").location == "/signup/eligibility"
    assert c.get("/signup").location == "/signup/eligibility"
    assert c.get("/signup/sent").location == "/signup/eligibility"
    assert c.get("/signup/complete").location == "/signup/eligibility"
    assert c.get("/top").location == "/login?next=/top"
    # with a match: step 3 leads to step 4
    to_confirm(stack, c, new_person(stack, insurers, 2))
    assert c.get("/signup/eligibility").location == "/signup/confirm"
    # "/" takes a verified account to step 3, which forwards it to step 4
    assert c.get("/").location == "/signup/eligibility"
    # active: everything leads to /top
    complete(c, c.get("/signup/confirm"))
    for path in ("/signup", "/signup/sent", "/signup/eligibility", "/signup/confirm"):
        assert c.get(path).location == "/top", path


def test_metrics_count_completed_signups(stack, insurers):
    key = "kenpo_signups_completed_total"
    mc = stack.client()
    before = metrics(mc)[key]
    c, email = verified_client(stack)
    to_confirm(stack, c, new_person(stack, insurers, 1))
    r = complete(c, c.get("/signup/confirm"))
    assert r.status == 303 and r.location == "/signup/complete", r.status
    assert metrics(mc)[key] == before + 1


def test_cancel_and_start_over(stack):
    c, email = verified_client(stack)
    page = c.get("/signup/cancel")
    assert page.status == 200 and email in page.text
    r = c.submit(page, "/signup/cancel", {})
    assert r.status == 303 and r.location == "/signup/cancel?done=1"
    assert c.get(r.location).status == 200
    assert account(stack, email) is None
    assert "sid" not in c.cookies
    # the address is free: a new signup creates a new account (no "registered" mail)
    assert step1(c, email).status == 303
    assert account(stack, email)[1] == "pending"
    activation_mail(stack, email, n=2)


def test_cancel_from_step2_cookie(stack):
    creator, stranger = stack.client(), stack.client()
    email = stack.new_email("cc")
    assert step1(creator, email).status == 303
    other = stack.new_email("cc")
    assert step1(stranger, other).status == 303
    stack.sql(f"UPDATE accounts SET state = 'active' WHERE email = '{other}'")
    # someone who merely typed an existing address cannot delete it
    intruder = stack.client()
    assert step1(intruder, other).status == 303
    page = intruder.get("/signup/cancel")
    r = intruder.submit(page, "/signup/cancel", {})
    assert r.location == "/signup/cancel?done=1"
    assert account(stack, other)[1] == "active"
    # the creator can
    page = creator.get("/signup/cancel")
    assert email in page.text
    r = creator.submit(page, "/signup/cancel", {})
    assert r.location == "/signup/cancel?done=1"
    assert account(stack, email) is None


def login(client, email, password):
    page = client.get("/login")
    assert page.status == 200
    return client.submit(page, "/login", {"email": email, "password": password})


def test_come_back_by_logging_in(stack, insurers):
    """Close the browser after step 1, log in elsewhere: step 2 by session (the
    newest code, resend), then close again after step 3 and come back to step 4."""
    email = stack.new_email("lg")
    assert step1(stack.client(), email).status == 303
    activation_mail(stack, email)
    c = stack.client()
    r = login(c, email, PASSWORD)
    assert r.status == 303 and r.location == "/signup/sent", r.text[:500]
    page = c.get("/signup/sent")
    assert page.status == 200 and email in page.text
    r = c.submit(page, "/signup/resend", {})
    assert r.location == "/signup/sent?notice=resent"
    m2 = activation_mail(stack, email, n=2)
    hash_before = account(stack, email)[4]
    r = c.submit(page, "/signup/sent", {"code": m2.code})
    assert r.status == 303 and r.location == "/signup/eligibility"
    assert account(stack, email)[4] == hash_before      # the proven password stays
    to_confirm(stack, c, new_person(stack, insurers, 4))
    d = stack.client()
    r = login(d, email, PASSWORD)
    assert r.status == 303 and r.location in ("/signup/eligibility", "/signup/confirm")
    assert d.get("/signup/eligibility").location == "/signup/confirm"
    r = complete(d, d.get("/signup/confirm"))
    assert r.location == "/signup/complete"
    assert d.get("/top").status == 200


# ------------------------------------------------------------------ bad input

def test_bad_input_never_500(stack, insurers):
    c, _ = verified_client(stack)
    page = c.get("/signup/eligibility")
    token = csrf(page)
    anon = stack.client()
    apage = anon.get("/signup")
    atoken = csrf(apage)
    bodies = [
        b"email=%FF%FE&password=x",
        b"email=a%00b&password=x",
        b"insurer_number=%FF",
        b"name_kana=%00",
        b"code=%FF",
        b"email=" + b"a" * 70000,
        b"symbol=" + b"%E3%81%82" * 2000,
        b"birth_year=99999999999999999999999",
        b"number=" + b"9" * 5000,
    ]
    routes = ["/signup", "/signup/sent", "/signup/resend", "/signup/eligibility",
              "/signup/confirm"]
    for route in routes:
        for body in bodies:
            for cl, tok in ((c, token), (anon, atoken)):
                r = cl.post(route, raw=body + b"&csrf=" + tok.encode())
                assert r.status < 500, (route, body[:40], r.status)
                assert r.status in (200, 303, 400, 413), (route, body[:40], r.status)
    # missing fields on every form
    for route in routes:
        for cl, tok in ((c, token), (anon, atoken)):
            r = cl.post(route, {"csrf": tok})
            assert r.status in (200, 303, 400), (route, r.status)
    # wrong methods
    for route in ("/signup/resend",):
        assert c.get(route).status == 405
    for route in ("/top", "/signup/complete", "/signup/eligibility/help", "/signup/pattern"):
        assert c.post(route, {"csrf": token}).status == 405
    for method in ("PUT", "DELETE"):
        assert c.request(method, "/signup").status in (400, 405)
    # without CSRF token
    assert c.post("/signup/eligibility", {"insurer_number": "06139992"}).status == 403
    assert c.post("/signup/cancel", {}).status == 403
    # overlong and odd query strings
    assert c.get("/signup/eligibility?outcome=" + "x" * 3000).status == 200
    assert c.get("/signup/sent?notice=%FF").status == 400
    assert c.get("/signup/pattern?insurer_number=" + "1" * 100).status == 200
    # odd values in every step-3 field
    weird = ["\u202e", "<script>alert(1)</script>", "'; DROP TABLE accounts; --",
             "１" * 25, "\ufeff", "𠮷野家"]
    person = new_person(stack, insurers, 3)
    for w in weird:
        for field in ("insurer_number", "symbol", "symbol2", "number", "name_kana",
                      "birth_year", "birth_month", "birth_day"):
            r = eligibility(c, dict(person, **{field: w}), insurer_first=False)
            assert r.status in (200, 303), (field, w, r.status)
            assert "<script>alert(1)" not in r.text
    # a forged su cookie is ignored
    forged = stack.client()
    forged.cookies["su"] = "A" * 200
    assert forged.get("/signup/sent").location == "/signup"
    # last, as the first good body cancels the signup
    for body in bodies:
        r = c.post("/signup/cancel", raw=body + b"&csrf=" + token.encode())
        assert r.status in (303, 400, 413), (body[:40], r.status)


def test_signup_start_rate_limit_per_address(stack):
    fe = stack.frontend(config={"Signup.StartPerHour": "2"})
    try:
        c = fe.client()
        for i in range(2):
            assert step1(c, stack.new_email("rl")).status == 303
        r = step1(c, stack.new_email("rl"))
        assert r.status == 429
    finally:
        stack.stop_frontend(fe)


def test_english_pages(stack):
    c = stack.client()
    c.cookies["lang"] = "en"
    page = c.get("/signup")
    assert page.status == 200 and "Agree to [1] and [2]" in page.text
    email = stack.new_email("en")
    r = c.submit(page, "/signup", {"email": email, "password": PASSWORD,
                                   "agree_terms": "1", "agree_privacy": "1"})
    assert r.status == 303
    assert "We have sent" in c.get("/signup/sent").text
    mail = stack.wait_mail(email, subject="provisional")
    assert mail.code and "/users/" in mail.body
