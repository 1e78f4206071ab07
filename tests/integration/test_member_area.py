"""
Issue 11, the member area as a member first sees it (i11member):

- the inquiry form: 「選択してください」 first and required, every category's
  guidance on the page (not only after an error), 入力内容の確認 → 送信 with 戻る
  keeping everything, the receipt box ticked by default, and a receipt mail that
  repeats the category and the text (quoted, no clickable link);
- /top: the insurer's box never says there is nothing from the insurer while
  its announcements are listed; no feature row reads 準備中;
- the member menu in the layout once logged in (nav landmark, aria-current);
- /top logged out: /login says why and comes back after the login;
- error pages call the request id エラー番号, not 受付番号 (the inquiries' word);
- every mail ends with the one footer (templates/mail_footer.cs);
- the terms and privacy pages are kenpod pages with the layout, in English too.
"""
import html
import os
import re

import pytest

from conftest import csrf
from test_member import add_announcement, login, make_member, new_insurer


@pytest.fixture(autouse=True)
def no_limits(stack):
    stack.sql("DELETE FROM throttle WHERE k LIKE 'inquiry:%' OR k LIKE 'signup:%'")
    yield


@pytest.fixture(scope="module")
def ins(stack):
    stack.require_demo()
    return new_insurer(stack, "メニュー健康保険組合")


def text(page):
    return html.unescape(re.sub(r"<[^>]+>", " ", page.text))


# ------------------------------------------------------------------ inquiry

def test_inquiry_form_defaults(stack, client):
    page = client.get("/inquiry/new")
    assert page.status == 200
    # 「選択してください」 is the first option and the one selected.
    opts = re.findall(r'<option value="([^"]*)"([^>]*)>([^<]*)<', page.text)
    assert opts[0] == ("", " selected", "選択してください"), opts[:2]
    assert [o[0] for o in opts[1:]] == ["login_id", "password", "signup", "eligibility",
                                        "disclosure", "other"]
    assert not any("selected" in o[1] for o in opts[1:])
    # Every category's guidance is there without an error or JavaScript.
    for key in ("login_id", "password", "signup", "eligibility", "disclosure"):
        assert f'id="guide-{key}"' in page.text, key
    assert "生年月日" in text(page)
    # The receipt is ticked by default.
    assert re.search(r'name="receipt" value="1" checked', page.text)
    # Choosing nothing is an error, with the guidance still shown.
    r = client.post("/inquiry/new", {"csrf": csrf(page), "category": "",
                                     "email": "a@example.jp", "body": "x"})
    assert r.status == 200 and "お問い合わせの種類を選んでください" in r.text
    assert 'id="guide-login_id"' in r.text
    # A preselected category marks its guidance.
    d = client.get("/inquiry/new?category=disclosure")
    assert re.search(r'<option value="disclosure" selected', d.text)
    assert 'inquiry-guide inquiry-guide--chosen" id="guide-disclosure"' in d.text


def test_inquiry_confirm_back_send(stack, client):
    page = client.get("/inquiry/new")
    reply = stack.new_email("inq")
    body = "ログインIDを忘れました。\n<b>太字</b> と https://evil.example/x も書きます"
    data = {"csrf": csrf(page), "category": "login_id", "email": reply,
            "name": "ケンコウ タロウ", "body": body, "receipt": "1"}
    before = stack.sql("SELECT COUNT(*) FROM inquiries")[0][0]
    conf = client.post("/inquiry/new", dict(data, action="confirm"))
    assert conf.status == 200 and "入力内容の確認" in conf.text
    # Nothing stored yet; everything shown escaped.
    assert stack.sql("SELECT COUNT(*) FROM inquiries")[0][0] == before
    assert "<b>太字" not in conf.text and "&lt;b&gt;太字&lt;/b&gt;" in conf.text
    assert re.search(r'id="confirm-category">ログインID（メールアドレス）を忘れた<', conf.text)
    assert reply in conf.text and "ケンコウ タロウ" in conf.text
    # 戻る keeps every value.
    back = client.post("/inquiry/new", dict(data, action="back"))
    assert back.status == 200 and 'name="body"' in back.text
    assert re.search(r'<option value="login_id" selected', back.text)
    assert f'value="{reply}"' in back.text and 'value="ケンコウ タロウ"' in back.text
    assert html.escape(body, quote=False) in back.text
    assert re.search(r'name="receipt" value="1" checked', back.text)
    # Unticked receipt survives 戻る as unticked.
    back2 = client.post("/inquiry/new", dict({k: v for k, v in data.items() if k != "receipt"},
                                             action="back"))
    assert not re.search(r'name="receipt" value="1" checked', back2.text)
    # 送信する from the confirmation's hidden fields.
    fields = dict(re.findall(r'<input type="hidden" name="([a-z]+)" value="([^"]*)"', conf.text))
    fields = {k: html.unescape(v) for k, v in fields.items()}
    assert fields["body"].replace("\r\n", "\n") == body
    done = client.post("/inquiry/new", dict(fields, action="send"))
    assert done.status == 200 and "お問い合わせを受け付けました" in done.text
    num = re.search(r"<strong>(\d+)</strong>", done.text).group(1)
    assert stack.sql(f"SELECT category, body FROM inquiries WHERE id = {num}") == \
        [("login_id", body)]
    # The receipt repeats the category and the text, quoted and without a link.
    m = stack.wait_mail(reply, subject=num)
    assert "ログインID（メールアドレス）を忘れた" in m.body
    assert "> ログインIDを忘れました。" in m.body
    assert "> <b>太字</b>" in m.body
    assert "https://evil.example" not in m.body and "https[:]//evil.example/x" in m.body
    assert "\n-- \n" in m.body


def test_inquiry_in_english(stack):
    c = stack.client()
    c.cookies["lang"] = "en"
    page = c.get("/inquiry/new")
    assert ">Please choose<" in page.text and "Check what I entered" in page.text
    conf = c.post("/inquiry/new", {"csrf": csrf(page), "category": "disclosure",
                                  "email": stack.new_email("inqen"), "body": "Please disclose",
                                  "receipt": "1", "action": "confirm"})
    assert "Check your inquiry" in conf.text and "Disclosure or correction" in conf.text


# ------------------------------------------------------------------ /top

def test_top_insurer_box_agrees_with_the_news(stack, ins):
    email, _, _ = make_member(stack, ins)
    c = login(stack, email)
    top = c.get("/top")
    assert 'id="insurer-none"' in top.text
    u = os.urandom(3).hex()
    add_announcement(stack, f"組合から{u}", insurer=ins)
    top = c.get("/top")
    assert f"組合から{u}" in top.text
    assert "ご案内はありません" not in top.text and 'id="insurer-none"' not in top.text
    assert re.search(r'id="insurer-news">メニュー健康保険組合からのお知らせが\d+件あります', top.text)


def test_top_features_without_placeholders(stack, ins):
    email, _, _ = make_member(stack, ins)
    c = login(stack, email)
    top = c.get("/top")
    assert "準備中" not in top.text
    rows = re.findall(r'class="feature feature--(\w+)"', top.text)
    assert rows and set(rows) == {"ok"}, rows
    for href in ("/announcements", "/account", "/account/logins", "/account/export", "/help/faq"):
        assert re.search(rf'<span class="feature__name"><a href="{href}">', top.text), href
    # Level 3 is not offered by this insurer (no health data linked, issue 12
    # item 5): nothing of it on the page (test_sensitive.py: where it is).
    assert 'id="features-more"' not in top.text and "健診・医療アクセス認証" not in top.text
    c.cookies["lang"] = "en"
    top = c.get("/top")
    assert "in preparation" not in top.text.lower() and "Login history" in top.text
    assert "/help/levels" in top.text


# ------------------------------------------------------------------ menu

def test_member_menu(stack, ins):
    email, _, _ = make_member(stack, ins)
    anon = stack.client().get("/help/faq")
    assert 'id="member-nav"' not in anon.text
    c = login(stack, email)
    for path, cur in (("/top", "/top"), ("/announcements", "/announcements"),
                      ("/account", "/account"), ("/account/logins", "/account/logins"),
                      ("/help/faq", "/help/faq")):
        p = c.get(path)
        assert p.status == 200, path
        nav = re.search(r'<nav class="member-nav" id="member-nav" aria-label="会員メニュー">(.*?)</nav>',
                        p.text, re.S)
        assert nav, path
        items = re.findall(r'<a href="([^"]+)"([^>]*)>([^<]+)</a>', nav.group(1))
        assert [(h, t) for h, _, t in items] == [
            ("/top", "トップ"), ("/announcements", "お知らせ"), ("/account", "登録情報"),
            ("/account/logins", "ログイン履歴"), ("/help/faq", "よくある質問")], path
        assert [h for h, a, _ in items if 'aria-current="page"' in a] == [cur], path
        assert re.search(r'action="/logout".*?>ログアウト</button>', nav.group(1), re.S)
    sub = c.get("/account/password")
    assert re.search(r'<a href="/account" aria-current="true">', sub.text)


# ------------------------------------------------------------------ login notice

def test_top_logged_out_says_why_and_comes_back(stack, ins):
    c = stack.client()
    r = c.get("/top")
    assert r.status == 303 and r.location == "/login?next=/top"
    page = c.get(r.location)
    assert 'id="login-required"' in page.text and "ログインしてください" in page.text
    assert 'name="next" value="/top"' in page.text
    plain = stack.client().get("/login")
    assert 'id="login-required"' not in plain.text
    email, _, _ = make_member(stack, ins)
    r = c.get("/account/logins")
    assert r.location == "/login?next=/account/logins"
    page = c.get(r.location)
    from test_member import PASSWORD
    r = c.submit(page, "/login", {"email": email, "password": PASSWORD,
                                  "next": "/account/logins"})
    assert r.status == 303 and r.location == "/account/logins"


# ------------------------------------------------------------------ wording

def test_error_page_reference(stack, client):
    r = client.get("/no-such-page-i11")
    assert r.status == 404
    assert "エラー番号" in r.text and "受付番号" not in r.text
    c = stack.client()
    c.cookies["lang"] = "en"
    r = c.get("/no-such-page-i11")
    assert "Error reference" in r.text


def test_every_mail_has_the_one_footer():
    root = os.path.join(os.path.dirname(__file__), "..", "..", "templates")
    mails = sorted(f for f in os.listdir(os.path.join(root, "mail")) if f.endswith(".cs"))
    assert len(mails) > 10
    for f in mails:
        t = open(os.path.join(root, "mail", f), encoding="utf-8").read()
        assert t.count('include:"mail_footer.cs"') == 1, f
        assert len(re.findall(r"call:mail_footer\([01]\)", t)) == 1, f
        assert "配信元:" not in t and "\n-- \n" not in t, f


# ------------------------------------------------------------------ terms

def test_terms_and_privacy_pages(stack, client):
    login_page = client.get("/login")
    assert 'href="/terms/service"' in login_page.text and 'href="/terms/privacy"' in login_page.text
    for path, title in (("/terms/service", "会員規約"), ("/terms/privacy", "個人情報の取り扱いについて")):
        p = client.get(path)
        assert p.status == 200, path
        assert 'class="site-header"' in p.text and f">{title}</h1>" in p.text
        assert "開発環境" not in p.text and "見本" not in p.text and "Service.TermsURL" not in p.text
    en = stack.client()
    en.cookies["lang"] = "en"
    p = en.get("/terms/service")
    assert ">Member terms</h1>" in p.text and "第1条" not in p.text
    p = en.get("/terms/privacy")
    assert ">Handling of personal information</h1>" in p.text
