"""
Consents and their versions (issue 10 item 5; src/terms.h) and the
notification-mail opt-in at signup step 4 (item 4), over the real stack:

- `kenpoctl terms publish|list|show` (with --json) publishes versions of the
  operator's terms (service, privacy) and of an insurer's own terms (insurer:
  会員個別規約, points: 独自ポイント特約);
- signup stores a consent with its version for each: the operator's at step 1
  (account creation), the insurer's at step 4, where they are asked;
- a new version makes each member it applies to agree again on /consent before
  any other member page, at the next login or in a session already open; a
  member of another insurer is not asked;
- the opt-in at step 4, ticked or not, ends up in accounts.notify.

The operator's terms are global: the versions this module publishes are
removed again at its end (with their consents), so that the members other test
modules make directly in the database are not sent to /consent. Every test
makes its own insurers ("0693…": prefecture 93 does not exist).
"""

import json
import os
import re
import time
import urllib.parse

import pytest

from conftest import form_fields, insurer_number as conftest_insurer_number, digits

PASSWORD = "Kp7-Cns!wre9"
HEADER = ("insurer_number,personal_id,symbol,number,branch,name_kana,birthdate,"
          "qualified_from,qualified_until")
_seq = [0]


# ------------------------------------------------------------------ helpers

def insurer_number(prefix="0693"):
    return conftest_insurer_number(prefix)


def new_insurer(stack, name="コンセント健康保険組合"):
    for _ in range(20):
        n = insurer_number()
        r = stack.ctl("insurer", "add", n, name, "--pattern", "4")
        if r.returncode == 0:
            return n
    pytest.fail("cannot add a test insurer: " + r.stdout + r.stderr)


def new_person(stack, insurer):
    """A qualified roster person of insurer."""
    _seq[0] += 1
    k = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモ"
    p = {"insurer": insurer, "pid": f"C{os.getpid()}-{_seq[0]}-{os.urandom(3).hex()}",
         "symbol": digits(3), "number": digits(7),
         "kana": "ドウイ" + "".join(k[b % len(k)] for b in os.urandom(5)),
         "birth": "1975-06-07"}
    path = os.path.join(stack.dir, f"consents-{os.getpid()}-{_seq[0]}.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER + "\n")
        f.write(f"{insurer},{p['pid']},{p['symbol']},{p['number']},,{p['kana']},"
                f"{p['birth']},2010-04-01,\n")
    r = stack.ctl("roster", "import", insurer, path)
    assert r.returncode == 0, r.stdout + r.stderr
    return p


def ctl_json(stack, *args, input=None):
    r = stack.ctl("--json", *args, input=input)
    assert r.returncode == 0, r.stdout + r.stderr
    return json.loads(r.stdout)


def publish(stack, kind, version, url=None, insurer=None, text=None):
    args = ["terms", "publish", kind, "--version", version]
    if insurer:
        args += ["--insurer", insurer]
    if url:
        args += ["--url", url]
    if text is not None:
        args += ["--text", "-"]
    return ctl_json(stack, *args, input=text)


def publish_global(stack, kind, version, url):
    """Publish the operator's terms, then wait until every worker's step 1 shows
    them: step 1 links the versions from a worker's copy at most 3 s old
    (GLOBAL_CACHE_MS in src/terms.c), so that its page views cost no query."""
    v = publish(stack, kind, version, url=url)
    time.sleep(3.2)
    return v


def label(tag):
    return f"{tag}-{os.urandom(3).hex()}"


def agree_fields(page):
    """The agree_<version id> checkboxes of a page."""
    return re.findall(r'name="(agree_\d+)"', page.text)


def step1(client, email, page=None):
    """Step 1 as a browser sends it: with the page's hidden fields (the terms
    versions it showed). Returns the page."""
    page = page or client.get("/signup")
    assert page.status == 200, page.text[:300]
    data = {k: v for k, v in form_fields(page).items() if k.startswith("terms_")}
    data.update({"email": email, "password": PASSWORD, "agree_terms": "1",
                 "agree_privacy": "1"})
    r = client.submit(page, "/signup", data)
    assert r.status == 303 and r.location == "/signup/sent", r.text[:500]
    return page


def to_confirm(stack, client, email, person):
    """Steps 2 and 3 for a client past step 1; returns the step-4 page."""
    mail = stack.wait_mail(email, subject="仮登録ありがとうございます")
    links = [u for u in mail.urls if "/users/" in u and u.endswith("/activate")]
    r = client.get(urllib.parse.urlsplit(links[0]).path)
    assert r.status == 303 and r.location == "/signup/eligibility", r.text[:300]
    page = client.get("/signup/eligibility")
    page = client.submit(page, "/signup/eligibility", {"insurer_number": person["insurer"]})
    y, m, d = person["birth"].split("-")
    data = {"insurer_number": person["insurer"], "symbol": person["symbol"],
            "number": person["number"], "name_kana": person["kana"], "birth_year": y,
            "birth_month": m.lstrip("0"), "birth_day": d.lstrip("0"),
            "form_insurer": form_fields(page).get("form_insurer", "")}
    r = client.submit(page, "/signup/eligibility", data)
    assert r.status == 303 and r.location == "/signup/confirm", r.text[:2000]
    page = client.get("/signup/confirm")
    assert page.status == 200, page.text[:300]
    return page


def complete(client, page, agree=True, notify=True):
    data = {"action": "complete"}
    if agree:
        data.update({f: "1" for f in agree_fields(page)})
    if notify:
        data["notify"] = "1"
    return client.submit(page, "/signup/confirm", data)


def signup(stack, person, notify=True):
    """A whole web signup agreeing to everything asked: (client, email, account id)."""
    c = stack.client()
    email = stack.new_email("cns")
    step1(c, email)
    page = to_confirm(stack, c, email, person)
    r = complete(c, page, notify=notify)
    assert r.status == 303 and r.location == "/signup/complete", r.text[:2000]
    (aid,), = stack.sql(f"SELECT id FROM accounts WHERE email = '{email}'")
    return c, email, int(aid)


def login(stack, email):
    c = stack.client()
    page = c.get("/login")
    r = c.submit(page, "/login", {"email": email, "password": PASSWORD})
    assert r.status == 303 and r.location == "/top", r.text[:500]
    return c


def consents(stack, aid):
    """{(kind, version): via} of an account's consents, each with a time."""
    rows = stack.sql("SELECT v.kind, v.version, c.via, c.agreed_at FROM consents c"
                     " JOIN terms_versions v ON v.id = c.terms_version_id"
                     f" WHERE c.account_id = {aid}")
    assert all(r[3] for r in rows)
    return {(r[0], r[1]): r[2] for r in rows}


def events(stack, aid, event):
    (n,), = stack.sql(f"SELECT COUNT(*) FROM audit WHERE account_id = {aid}"
                      f" AND event = '{event}'")
    return int(n)


# ------------------------------------------------------------------ fixtures

@pytest.fixture(scope="module")
def global_terms(stack):
    """The operator's terms, published for this module and removed at its end."""
    made = {"service": label("S"), "privacy": label("P")}
    ids = [publish(stack, "service", made["service"], url="/static/terms.html")["id"],
           publish_global(stack, "privacy", made["privacy"],
                          url="https://example.org/privacy")["id"]]
    made["ids"] = ids
    yield made
    idlist = ",".join(str(i) for i in made["ids"])
    stack.sql(f"DELETE FROM consents WHERE terms_version_id IN ({idlist})")
    stack.sql(f"DELETE FROM terms_versions WHERE id IN ({idlist})")


@pytest.fixture(autouse=True)
def no_signup_limits(stack):
    stack.sql("DELETE FROM throttle WHERE k LIKE 'signup:%'")
    yield


@pytest.fixture
def own_terms(stack):
    """An insurer with a points name, its 会員個別規約 (a URL) and 独自ポイント特約 (a text)."""
    ins = new_insurer(stack)
    r = stack.ctl("insurer", "update", ins, "--points-name", "ドウイポイント")
    assert r.returncode == 0, r.stdout + r.stderr
    t = publish(stack, "insurer", "2026-04", url="https://example.org/kiyaku", insurer=ins)
    p = publish(stack, "points", "1", insurer=ins,
                text="第1条 ドウイポイントは歩数に応じて付与されます。\n")
    return {"number": ins, "terms": t, "points": p}


# ------------------------------------------------------------------ signup

def test_signup_stores_every_consent_with_its_version(stack, global_terms, own_terms):
    ins = own_terms["number"]
    person = new_person(stack, ins)
    c = stack.client()
    email = stack.new_email("cns")
    page = step1(c, email)
    # Step 1 links the current versions of [1] and [2] and names them.
    assert 'href="/static/terms.html"' in page.text
    assert 'href="https://example.org/privacy"' in page.text
    assert global_terms["service"] in page.text and global_terms["privacy"] in page.text
    fields = form_fields(page)
    assert fields["terms_service"] == str(global_terms["ids"][0])
    assert fields["terms_privacy"] == str(global_terms["ids"][1])
    # The operator's terms are stored at account creation (step 1).
    (aid,), = stack.sql(f"SELECT id FROM accounts WHERE email = '{email}'")
    aid = int(aid)
    assert consents(stack, aid) == {("service", global_terms["service"]): "signup",
                                    ("privacy", global_terms["privacy"]): "signup"}

    page = to_confirm(stack, c, email, person)
    # Step 4 asks for the insurer's own terms, linked, and the points terms.
    assert "会員個別規約" in page.text and "「ドウイポイント」特約" in page.text
    assert 'href="https://example.org/kiyaku"' in page.text
    assert "2026-04" in page.text
    assert sorted(agree_fields(page)) == sorted(
        [f"agree_{own_terms['terms']['id']}", f"agree_{own_terms['points']['id']}"])
    # The points terms have a text and no URL: step 4 links their page.
    text_path = f"/terms/{own_terms['points']['id']}"
    assert f'href="{text_path}"' in page.text
    t = stack.client().get(text_path)
    assert t.status == 200 and "第1条 ドウイポイントは歩数に応じて付与されます。" in t.text
    assert "「ドウイポイント」特約" in t.text
    for bad in (f"/terms/{own_terms['terms']['id']}", "/terms/999999999", "/terms/x1",
                "/terms/-1", "/terms/99999999999999999999999"):
        assert stack.client().get(bad).status == 404, bad

    # Not agreeing binds nothing and says why.
    r = complete(c, page, agree=False)
    assert r.status == 200 and "同意のチェックを入れてください" in r.text
    assert stack.sql(f"SELECT state FROM accounts WHERE id = {aid}") == [("verified",)]
    assert len(consents(stack, aid)) == 2

    # Only one of the two is not enough either.
    r = c.submit(r, "/signup/confirm", {"action": "complete",
                                         f"agree_{own_terms['terms']['id']}": "1"})
    assert r.status == 200 and "同意のチェックを入れてください" in r.text
    assert len(consents(stack, aid)) == 2

    r = complete(c, r)
    assert r.status == 303 and r.location == "/signup/complete", r.text[:2000]
    assert consents(stack, aid) == {("service", global_terms["service"]): "signup",
                                    ("privacy", global_terms["privacy"]): "signup",
                                    ("insurer", "2026-04"): "signup",
                                    ("points", "1"): "signup"}
    assert events(stack, aid, "consent.signup") == 2      # step 1 and step 4
    # Nothing is due: the member area opens at once.
    assert c.get("/top").status == 200

    # The operator sees the versions and their consents.
    rows = ctl_json(stack, "terms", "list", "--insurer", ins)
    assert {(x["kind"], x["version"], x["current"], x["consents"]) for x in rows} == \
        {("insurer", "2026-04", True, 1), ("points", "1", True, 1)}
    shown = ctl_json(stack, "terms", "show", str(own_terms["points"]["id"]))
    assert shown["text"].startswith("第1条") and shown["url"] is None
    assert shown["insurer"] == ins and shown["has_text"] is True
    # Publishing the 会員個別規約 also made its URL the top page's terms link.
    assert ctl_json(stack, "insurer", "show", ins)["terms_url"] == "https://example.org/kiyaku"


def test_an_insurer_without_own_terms_asks_only_the_opt_in(stack, global_terms):
    ins = new_insurer(stack)
    person = new_person(stack, ins)
    c = stack.client()
    email = stack.new_email("cns")
    step1(c, email)
    page = to_confirm(stack, c, email, person)
    assert agree_fields(page) == [] and "会員個別規約" not in page.text
    assert 'name="notify"' in page.text


# ------------------------------------------------------------------ new versions

def test_new_version_is_agreed_at_next_login_before_anything_else(stack, global_terms,
                                                                  own_terms):
    ins = own_terms["number"]
    old, email, aid = signup(stack, new_person(stack, ins))
    assert old.get("/top").status == 200
    other_ins = new_insurer(stack, "ベツノ健康保険組合")
    _, other_email, other_aid = signup(stack, new_person(stack, other_ins))

    v2 = publish(stack, "insurer", "2026-10", url="https://example.org/kiyaku-v2",
                 insurer=ins)
    assert v2["members_to_agree"] == 1 and v2["kind"] == "insurer"

    # A session already open meets it at its next page.
    r = old.get("/top")
    assert r.status == 303 and r.location == "/consent?next=/top"

    # The next login: /top sends her to /consent first, and so does every
    # member page; a POST changes nothing.
    c = login(stack, email)
    for path in ("/top", "/account", "/announcements", "/account/password"):
        r = c.get(path)
        assert r.status == 303 and r.location == f"/consent?next={path}", (path, r.location)
    r = c.submit(c.get("/consent"), "/account/notify", {})
    assert r.status == 303 and r.location == "/consent"
    assert stack.sql(f"SELECT notify FROM accounts WHERE id = {aid}") == [("1",)]

    page = c.get("/consent?next=/top")
    assert page.status == 200
    assert "会員個別規約" in page.text and "2026-10" in page.text
    assert 'href="https://example.org/kiyaku-v2"' in page.text
    # Only what changed: not the versions she agreed to at signup.
    assert agree_fields(page) == [f"agree_{v2['id']}"]
    assert "2026-04" not in page.text and global_terms["service"] not in page.text
    assert 'action="/logout"' in page.text

    # Not ticked: nothing stored, still asked.
    r = c.submit(page, "/consent", {"next": "/top"})
    assert r.status == 200 and "同意のチェックを入れてください" in r.text
    assert ("insurer", "2026-10") not in consents(stack, aid)
    assert c.get("/top").status == 303

    r = c.submit(page, "/consent", {"next": "/top", f"agree_{v2['id']}": "1"})
    assert r.status == 303 and r.location == "/top"
    assert consents(stack, aid)[("insurer", "2026-10")] == "renewal"
    assert events(stack, aid, "consent.renewal") == 1
    assert c.get("/top").status == 200
    assert old.get("/top").status == 200            # the other session too
    # Nothing left to agree to: /consent goes on.
    r = c.get("/consent")
    assert r.status == 303 and r.location == "/top"

    # A member of another insurer was never asked for this insurer's terms.
    o = login(stack, other_email)
    assert o.get("/top").status == 200
    assert not any(k == "insurer" for k, _ in consents(stack, other_aid))


def test_a_new_operator_version_asks_every_member(stack, global_terms, own_terms):
    _, email, aid = signup(stack, new_person(stack, own_terms["number"]))
    other = new_insurer(stack, "ベツノ健康保険組合")
    _, email2, aid2 = signup(stack, new_person(stack, other))

    # Someone is on step 1 when the new version comes out.
    late = stack.client()
    late_page = late.get("/signup")
    assert global_terms["privacy"] in late_page.text

    v = publish_global(stack, "privacy", label("P2"), url="https://example.org/privacy-v2")
    global_terms["ids"].append(v["id"])
    assert v["members_to_agree"] >= 2
    for em, a in ((email, aid), (email2, aid2)):
        c = login(stack, em)
        r = c.get("/top")
        assert r.status == 303 and r.location == "/consent?next=/top"
        page = c.get("/consent")
        assert agree_fields(page) == [f"agree_{v['id']}"]
        assert "プライバシーポリシー" in page.text
        # She may log out instead of agreeing.
        r = c.submit(page, "/logout", {})
        assert r.status == 303 and r.location == "/login?done=logout"
        c = login(stack, em)
        assert c.get("/top").location == "/consent?next=/top"
        page = c.get("/consent")
        r = c.submit(page, "/consent", {f"agree_{v['id']}": "1"})
        assert r.status == 303 and r.location == "/top"
        assert consents(stack, a)[("privacy", v["version"])] == "renewal"
        assert c.get("/top").status == 200

    # The late one agreed to the version her page showed, and meets the new
    # one as soon as her account is made.
    email3 = stack.new_email("cns")
    step1(late, email3, page=late_page)
    (aid3,), = stack.sql(f"SELECT id FROM accounts WHERE email = '{email3}'")
    assert consents(stack, int(aid3)) == {("service", global_terms["service"]): "signup",
                                          ("privacy", global_terms["privacy"]): "signup"}
    page = to_confirm(stack, late, email3, new_person(stack, other))
    assert f"agree_{v['id']}" in agree_fields(page)       # listed at step 4 too
    r = complete(late, page)
    assert r.status == 303 and r.location == "/signup/complete", r.text[:2000]
    assert consents(stack, int(aid3))[("privacy", v["version"])] == "signup"
    assert late.get("/top").status == 200


def test_english_consent_page(stack, global_terms, own_terms):
    _, email, aid = signup(stack, new_person(stack, own_terms["number"]))
    v = publish(stack, "points", "2", insurer=own_terms["number"],
                url="https://example.org/points-v2")
    c = login(stack, email)
    page = c.get("/consent", headers={"Accept-Language": "en"})
    assert page.status == 200 and "Please agree to the updated terms" in page.text
    assert "ドウイポイント terms" in page.text
    r = c.submit(page, "/consent", {f"agree_{v['id']}": "1"})
    assert r.status == 303 and c.get("/top").status == 200


# ------------------------------------------------------------------ opt-in (item 4)

@pytest.mark.parametrize("notify", [True, False])
def test_notification_opt_in_at_step4(stack, global_terms, notify):
    ins = new_insurer(stack)
    person = new_person(stack, ins)
    c = stack.client()
    email = stack.new_email("cns")
    step1(c, email)
    page = to_confirm(stack, c, email, person)
    # Offered as in the seed's confirmation screen, ticked to begin with.
    assert "お知らせメールを受け取る" in page.text
    assert form_fields(page).get("notify") == "1"
    r = complete(c, page, notify=notify)
    assert r.status == 303 and r.location == "/signup/complete", r.text[:2000]
    (n,), = stack.sql(f"SELECT notify FROM accounts WHERE email = '{email}'")
    assert n == ("1" if notify else "0")
    (aid,), = stack.sql(f"SELECT id FROM accounts WHERE email = '{email}'")
    assert events(stack, int(aid), "notify.on" if notify else "notify.off") == 1
    # The settings page shows the same choice.
    page = c.get("/account")
    assert bool(re.search(r'name="notify" value="1" checked', page.text)) == notify


# ------------------------------------------------------------------ operator

def test_terms_publish_refusals(stack, own_terms):
    ins = own_terms["number"]
    # Kind and insurer must fit together; a URL or a text is needed.
    assert stack.ctl("terms", "publish", "insurer", "--version", "x",
                     "--url", "https://example.org/").returncode == 2
    assert stack.ctl("terms", "publish", "service", "--insurer", ins, "--version", "x",
                     "--url", "https://example.org/").returncode == 2
    assert stack.ctl("terms", "publish", "points", "--insurer", ins,
                     "--version", "x").returncode == 2
    assert stack.ctl("terms", "publish", "bogus", "--version", "x",
                     "--url", "https://example.org/").returncode == 2
    r = stack.ctl("terms", "publish", "insurer", "--insurer", ins, "--version", "y",
                  "--url", "javascript:alert(1)")
    assert r.returncode == 1 and "URL" in r.stderr
    r = stack.ctl("terms", "publish", "insurer", "--insurer", ins, "--version", "a b",
                  "--url", "https://example.org/")
    assert r.returncode == 1
    # A version label is used once.
    r = stack.ctl("terms", "publish", "insurer", "--insurer", ins, "--version", "2026-04",
                  "--url", "https://example.org/again")
    assert r.returncode == 1 and "already published" in r.stderr
    r = stack.ctl("terms", "publish", "insurer", "--insurer", "06123456", "--version", "z",
                  "--url", "https://example.org/")
    assert r.returncode == 1
    assert stack.ctl("terms", "show", "999999999").returncode == 1
    assert stack.ctl("terms", "show", "abc").returncode == 2
    # Nothing of it was stored.
    rows = ctl_json(stack, "terms", "list", "--insurer", ins, "--kind", "insurer")
    assert [x["version"] for x in rows] == ["2026-04"]
