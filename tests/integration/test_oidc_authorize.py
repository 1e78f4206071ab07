"""
Issue 15 items 1–2: the OpenID Connect authorization endpoint as a member and
a relying party meet it (src/pages/oidc_authorize.c, src/oidc_authz.c,
src/oidc_acr.c; docs/oidc.md "Authorization, acr and consent").

Clients are rows of oidc_clients / oidc_client_uris made here by SQL (what
`kenpoctl client add` stores); the code a flow ends with is read back from
oidc_codes (what /oidc/token redeems): its acr, amr, auth_time, nonce and
PKCE challenge. Members of levels 1 and 2 are made as test_member does, level
3 through the real eKYC flow and its approval as test_sensitive does.

What a relying party checks: where it is sent back (its exact redirect_uri,
never another one), with which error, state and iss (RFC 9207); what a member
sees: the pages say what is asked in Japanese, and ask only what is missing
(the step-up, not the password; the password, not the step-up).
"""
import base64
import hashlib
import html
import os
import re
import time
import urllib.parse

import pytest

from test_member import PASSWORD, events, login, make_member, new_insurer
from test_sensitive import verified_member
from test_verify import health_insurer

RP = "https://rp.example.jp/cb"
ANSWER = "けんこむ　はなこ"
RESUME = re.compile(r"^/oidc/authorize/resume/[0-9a-f]{64}$")


def text(page):
    return html.unescape(re.sub(r"<[^>]+>", " ", page.text))


def q(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"


class RPClient:
    def __init__(self, cid, dbid, name, uri, public):
        self.id, self.dbid, self.name, self.uri, self.public = cid, dbid, name, uri, public


def make_client(stack, public=False, min_acr=None, uris=(RP,), name=None):
    cid = "t" + base64.urlsafe_b64encode(os.urandom(15)).decode().rstrip("=")
    name = name or "テスト健康アプリ " + os.urandom(2).hex()
    stack.sql("INSERT INTO oidc_clients (client_id, name, public, secret_hash, min_acr)"
              f" VALUES ({q(cid)}, {q(name)}, {1 if public else 0},"
              f" {'NULL' if public else q('0' * 64)},"
              f" {q(min_acr) if min_acr else 'NULL'})")
    (dbid,), = stack.sql(f"SELECT id FROM oidc_clients WHERE client_id = {q(cid)}")
    for u in uris:
        stack.sql("INSERT INTO oidc_client_uris (client, kind, uri, uri_hash)"
                  f" VALUES ({dbid}, 'login', {q(u)}, SHA2({q(u)}, 256))")
    return RPClient(cid, int(dbid), name, uris[0], public)


def pkce():
    verifier = base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
    challenge = base64.urlsafe_b64encode(
        hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


def params(rp, **kw):
    _, challenge = pkce()
    p = {"client_id": rp.id, "redirect_uri": rp.uri, "response_type": "code",
         "scope": "openid email", "state": "st-" + os.urandom(6).hex(),
         "nonce": "n-" + os.urandom(6).hex(), "code_challenge": challenge,
         "code_challenge_method": "S256"}
    p.update(kw)
    return {k: v for k, v in p.items() if v is not None}


def authorize(c, rp, **kw):
    p = params(rp, **kw)
    return c.get("/oidc/authorize?" + urllib.parse.urlencode(p)), p


def back_at_rp(r, rp):
    """The query parameters of a redirect to rp's redirect_uri."""
    assert r.status == 303, (r.status, r.text[:300])
    loc = r.location
    assert loc.startswith(rp.uri + "?"), loc
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(loc).query))


def follow_local(c, r, limit=6):
    """Follow redirects on this site (not to the relying party)."""
    while r.status == 303 and r.location.startswith("/") and limit > 0:
        r = c.get(r.location)
        limit -= 1
    return r


def code_row(stack, code):
    rows = stack.sql("SELECT acr, amr, UNIX_TIMESTAMP(auth_time), nonce, code_challenge,"
                     " scope, redirect_uri, account_id, client,"
                     " TIMESTAMPDIFF(SECOND, NOW(6), expires_at)"
                     f" FROM oidc_codes WHERE code_hash = SHA2({q(code)}, 256)")
    assert len(rows) == 1, rows
    r = rows[0]
    return {"acr": r[0], "amr": r[1].split(), "auth_time": float(r[2]), "nonce": r[3],
            "challenge": r[4], "scope": r[5], "redirect_uri": r[6],
            "account": int(r[7]), "client": int(r[8]), "ttl": int(r[9])}


def consent(c, page, decision="allow"):
    assert page.status == 200, (page.status, page.location)
    assert 'action="/oidc/consent"' in page.text
    handle = re.search(r'name="r" value="([0-9a-f]{64})"', page.text).group(1)
    return c.submit(page, "/oidc/consent", {"r": handle, "decision": decision})


def log_has(stack, needle, before):
    lines = stack.log_lines()[before:]
    return any(needle in l for l in lines)


def session_sql(stack, aid, assignment):
    stack.sql(f"UPDATE sessions SET {assignment} WHERE account_id = {aid}")


@pytest.fixture(scope="module")
def ins(stack):
    stack.require_demo()
    return new_insurer(stack, "連携テスト健康保険組合")


@pytest.fixture(scope="module")
def hins(stack):
    stack.require_demo()
    return health_insurer(stack, "連携健診健康保険組合", "https://kenshin.example.jp/oidc")


# ------------------------------------------------------------------ the flow

def test_login_consent_code(stack, ins):
    """Not logged in → login → consent → a code with what the ID token will say."""
    rp = make_client(stack, name="けんこうアプリ <b>太字</b>")
    email, aid, _ = make_member(stack, ins)
    c = stack.client()
    r, p = authorize(c, rp, scope="openid email profile kenpo unknown_scope")
    assert r.status == 303
    assert r.location.startswith("/login?next=/oidc/authorize/resume/")
    assert "no-store" in (r.headers.get("Cache-Control") or "")
    nxt = r.location.split("next=", 1)[1]
    assert RESUME.match(nxt)
    page = c.get(r.location)
    assert page.status == 200
    # The login form's answer ends at the client too: its origin is allowed.
    assert "form-action 'self' https://rp.example.jp;" in page.headers.get(
        "Content-Security-Policy")
    t0 = time.time()
    r = c.submit(page, "/login", {"email": email, "password": PASSWORD, "next": nxt})
    assert r.status == 303 and r.location == nxt, (r.status, r.location)
    page = c.get(nxt)
    assert page.status == 200
    assert "no-store" in (page.headers.get("Cache-Control") or "")
    t = text(page)
    assert "けんこうアプリ <b>太字</b>" in t
    assert "&lt;b&gt;" in page.text and "<b>太字" not in page.text
    for item in ("メールアドレス", "氏名（カナ）と生年月日", "加入している健康保険組合と認証レベル",
                 "このサービスだけで使われる"):
        assert item in t, item
    assert "許可する" in t and "許可しない" in t
    # The consent page's form ends at the client: its origin is in form-action.
    assert "form-action 'self' https://rp.example.jp;" in page.headers.get(
        "Content-Security-Policy")
    r = consent(c, page)
    got = back_at_rp(r, rp)
    assert got["state"] == p["state"]
    assert got["iss"] == c.base_url
    assert "error" not in got
    row = code_row(stack, got["code"])
    assert row["acr"] == "urn:kenpo:acr:identity"      # make_member: level 2
    assert row["amr"] == ["pwd"]
    assert abs(row["auth_time"] - t0) < 60
    assert row["nonce"] == p["nonce"]
    assert row["challenge"] == p["code_challenge"]
    assert row["scope"] == "openid email profile kenpo"  # unknown scope dropped
    assert row["redirect_uri"] == rp.uri
    assert row["account"] == aid and row["client"] == rp.dbid
    assert 0 < row["ttl"] <= 60
    (scope, used), = stack.sql("SELECT scope, last_used_at IS NOT NULL FROM oidc_consents"
                               f" WHERE account_id = {aid} AND client = {rp.dbid}")
    assert scope == "openid email profile kenpo" and used == "1"
    ev = events(stack, aid)
    assert "oidc.consent" in ev and "oidc.code" in ev
    # The code itself is in no log.
    assert not any(got["code"] in l for l in stack.log_lines())

    # A second authorization: no consent page, a code at once.
    r, p2 = authorize(c, rp, scope="openid email")
    got2 = back_at_rp(r, rp)
    assert got2["state"] == p2["state"] and got2["code"] != got["code"]
    assert code_row(stack, got2["code"])["scope"] == "openid email"
    # prompt=none with a session and the consent: a code, nothing shown.
    r, _ = authorize(c, rp, prompt="none")
    assert "code" in back_at_rp(r, rp)
    # HEAD (a link checker) does nothing.
    n = stack.sql(f"SELECT COUNT(*) FROM oidc_requests WHERE client = {rp.dbid}")
    assert c.request("HEAD", "/oidc/authorize?" + urllib.parse.urlencode(params(rp))).status == 405
    assert stack.sql(f"SELECT COUNT(*) FROM oidc_requests WHERE client = {rp.dbid}") == n
    # The handle of the finished request is gone.
    assert c.get(nxt).status == 400

    # New scopes beyond the consent: asked again; prompt=consent too.
    rp2 = make_client(stack)
    r, _ = authorize(c, rp2, scope="openid")
    consent_page = follow_local(c, r)
    back_at_rp(consent(c, consent_page), rp2)
    r, _ = authorize(c, rp2, scope="openid email")
    assert follow_local(c, r).status == 200
    r, _ = authorize(c, rp2, scope="openid", prompt="consent")
    assert follow_local(c, r).status == 200


def test_post_authorize(stack, ins):
    """The form-encoded request of Core 3.1.2.1 (from the client's page)."""
    rp = make_client(stack)
    c = stack.client()
    r = c.post("/oidc/authorize", params(rp), origin="https://rp.example.jp")
    assert r.status == 303 and r.location.startswith("/login?next=/oidc/authorize/resume/")


def test_prompt_none_without_session(stack):
    rp = make_client(stack)
    r, p = authorize(stack.client(), rp, prompt="none")
    got = back_at_rp(r, rp)
    assert got["error"] == "login_required" and got["state"] == p["state"]
    assert "code" not in got


def test_prompt_none_needs_consent(stack, ins):
    rp = make_client(stack)
    email, _, _ = make_member(stack, ins)
    c = login(stack, email)
    r, _ = authorize(c, rp, prompt="none")
    assert back_at_rp(r, rp)["error"] == "consent_required"


def test_deny(stack, ins):
    rp = make_client(stack)
    email, aid, _ = make_member(stack, ins)
    c = login(stack, email)
    r, p = authorize(c, rp)
    got = back_at_rp(consent(c, follow_local(c, r), "deny"), rp)
    assert got["error"] == "access_denied" and got["state"] == p["state"]
    assert stack.sql(f"SELECT COUNT(*) FROM oidc_consents WHERE account_id = {aid}") == [("0",)]
    assert stack.sql(f"SELECT COUNT(*) FROM oidc_codes WHERE account_id = {aid}") == [("0",)]


def test_level1_member_gets_insurer(stack, ins):
    rp = make_client(stack)
    email, aid, _ = make_member(stack, ins)
    stack.sql(f"UPDATE accounts SET level = 1 WHERE id = {aid}")
    c = login(stack, email)
    r, _ = authorize(c, rp)
    got = back_at_rp(consent(c, follow_local(c, r)), rp)
    assert code_row(stack, got["code"])["acr"] == "urn:kenpo:acr:insurer"


# ------------------------------------------------------------------ refusals before the client is known

@pytest.mark.parametrize("variant", [
    RP + "/",                                  # trailing slash
    "https://RP.example.jp/cb",                # case of the host
    RP + "?x=1",                               # extra query
    "http://rp.example.jp/cb",                 # http for https
    RP + "#frag",                              # fragment
    "https://rp.example.jp/%63b",              # percent-encoding
    "https://rp.example.jp:443/cb",            # explicit port
    "https://evil.example/cb",
    "",
])
def test_redirect_uri_variants_get_a_page(stack, variant):
    rp = make_client(stack)
    before = len(stack.log_lines())
    r, _ = authorize(stack.client(), rp, redirect_uri=variant)
    assert r.status == 400
    assert r.location is None
    assert "戻り先が登録されたものと一致しない" in text(r)
    assert "no-store" in (r.headers.get("Cache-Control") or "")
    assert log_has(stack, "oidc: authorize for client", before)


def test_missing_redirect_uri_and_unknown_client(stack):
    rp = make_client(stack)
    c = stack.client()
    r, _ = authorize(c, rp, redirect_uri=None)
    assert r.status == 400 and r.location is None
    before = len(stack.log_lines())
    for cid in ("nope-" + os.urandom(4).hex(), "", "bad id!", "x" * 65):
        r, _ = authorize(c, rp, client_id=cid)
        assert r.status == 400 and r.location is None, cid
        assert "連携元のサービスの指定が正しくない" in text(r)
    assert log_has(stack, "oidc: authorize", before)
    # A repeated client_id or redirect_uri is no client at all.
    base = urllib.parse.urlencode(params(rp))
    r = c.get("/oidc/authorize?" + base + "&client_id=" + rp.id)
    assert r.status == 400 and r.location is None
    r = c.get("/oidc/authorize?" + base + "&redirect_uri=" + urllib.parse.quote(rp.uri))
    assert r.status == 400 and r.location is None
    # A deleted client is unknown.
    stack.sql(f"UPDATE oidc_clients SET deleted_at = NOW(6) WHERE id = {rp.dbid}")
    r, _ = authorize(c, rp)
    assert r.status == 400 and r.location is None


# ------------------------------------------------------------------ errors to the client

@pytest.mark.parametrize("kw,error", [
    ({"response_type": "token"}, "unsupported_response_type"),
    ({"response_type": "code id_token"}, "unsupported_response_type"),
    ({"response_type": None}, "invalid_request"),
    ({"scope": "email profile"}, "invalid_scope"),
    ({"scope": None}, "invalid_scope"),
    ({"response_mode": "fragment"}, "invalid_request"),
    ({"response_mode": "form_post"}, "invalid_request"),
    ({"request": "eyJhbGciOiJub25lIn0.e30."}, "request_not_supported"),
    ({"request_uri": "https://rp.example.jp/req"}, "request_uri_not_supported"),
    ({"code_challenge_method": "plain"}, "invalid_request"),
    ({"code_challenge_method": None}, "invalid_request"),
    ({"code_challenge": "short"}, "invalid_request"),
    ({"code_challenge": "!" * 43}, "invalid_request"),
    ({"nonce": "n" * 256}, "invalid_request"),
    ({"prompt": "none login"}, "invalid_request"),
    ({"prompt": "sometimes"}, "invalid_request"),
    ({"max_age": "abc"}, "invalid_request"),
    ({"max_age": "-1"}, "invalid_request"),
    ({"max_age": "99999999999999"}, "invalid_request"),
    ({"claims": "{"}, "invalid_request"),
    ({"claims": "[1,2]"}, "invalid_request"),
    ({"claims": '{"id_token":{"acr":{"essential":"yes"}}}'}, "invalid_request"),
    ({"claims": '{"id_token":{"acr":{"value":7}}}'}, "invalid_request"),
    ({"state": "s" * 1025}, "invalid_request"),
])
def test_errors_go_back_to_the_client(stack, kw, error):
    rp = make_client(stack)
    before = len(stack.log_lines())
    r, p = authorize(stack.client(), rp, **kw)
    got = back_at_rp(r, rp)
    assert got["error"] == error, got
    assert got["iss"].startswith("http")
    if len(p.get("state", "")) <= 1024:
        assert got.get("state") == p.get("state")
    else:
        assert "state" not in got
    assert "code" not in got
    assert log_has(stack, "oidc: authorize error " + error, before)


def test_repeated_parameter(stack):
    rp = make_client(stack)
    base = urllib.parse.urlencode(params(rp))
    for extra in ("&scope=openid", "&state=again", "&nonce=x", "&code_challenge_method=S256"):
        got = back_at_rp(stack.client().get("/oidc/authorize?" + base + extra), rp)
        assert got["error"] == "invalid_request", extra


def test_public_client_needs_pkce(stack):
    rp = make_client(stack, public=True)
    c = stack.client()
    r, _ = authorize(c, rp, code_challenge=None, code_challenge_method=None)
    got = back_at_rp(r, rp)
    assert got["error"] == "invalid_request" and "PKCE" in got["error_description"]
    r, _ = authorize(c, rp, code_challenge_method="plain")
    assert back_at_rp(r, rp)["error"] == "invalid_request"
    # A confidential client may leave PKCE out; S256 passes for both.
    conf = make_client(stack)
    r, _ = authorize(c, conf, code_challenge=None, code_challenge_method=None)
    assert r.status == 303 and r.location.startswith("/login?next=")
    r, _ = authorize(c, rp)
    assert r.status == 303 and r.location.startswith("/login?next=")


def test_junk_never_500(stack):
    rp = make_client(stack)
    c = stack.client()
    base = urllib.parse.urlencode(params(rp))
    cases = [
        base + "&nonce=%ff%fe",                       # not UTF-8
        base + "&state=%00",                          # NUL
        base + "&state=" + "a" * 5000,                # over Server.MaxField
        base + "&claims=" + "%5B" * 1300,             # deep JSON
        base + "&acr_values=" + "x" * 600,
        base + "&login_hint=%e3%81",                  # truncated UTF-8
        "client_id=%ff&redirect_uri=%ff",
        "client_id=" + rp.id + "&redirect_uri=" + "%41" * 1500,
        "a" * 100,
        "&&&==&",
    ]
    before = len(stack.log_lines())
    for qs in cases:
        r = c.get("/oidc/authorize?" + qs)
        assert r.status in (303, 400), (qs[:60], r.status)
        if r.status == 303:
            assert r.location.startswith(rp.uri + "?")
            assert "error=" in r.location
    for junk in ("0" * 64, "zz", "a" * 64 + "/x", "%ff"):
        r = c.get("/oidc/authorize/resume/" + junk)
        assert r.status in (400, 404), junk
    r = c.get("/oidc/authorize/resume/" + "ab" * 32)
    assert r.status == 400 and "有効期限が切れたか" in text(r)
    assert len(stack.log_lines()) > before


# ------------------------------------------------------------------ levels

def test_essential_sensitive_for_level2(stack, ins):
    rp = make_client(stack)
    email, aid, _ = make_member(stack, ins)
    c = login(stack, email)
    claims = '{"id_token":{"acr":{"essential":true,"value":"urn:kenpo:acr:sensitive"}}}'
    r, p = authorize(c, rp, claims=claims)
    page = follow_local(c, r)
    assert page.status == 200
    t = text(page)
    assert rp.name in t
    assert "健診・医療アクセス認証" in t and "本人確認" in t
    assert 'href="/verify"' in page.text and 'href="/help/levels"' in page.text
    assert "サービスに戻る" in t
    assert "oidc.unmet" in events(stack, aid)
    got = back_at_rp(consent(c, page, "back"), rp)
    assert got["error"] == "unmet_authentication_requirements"
    assert got["state"] == p["state"]
    # prompt=none: the error at once.
    r, _ = authorize(c, rp, claims=claims, prompt="none")
    assert back_at_rp(r, rp)["error"] == "unmet_authentication_requirements"
    # Voluntary acr_values above her level: she gets what she has.
    r, _ = authorize(c, rp, acr_values="urn:kenpo:acr:sensitive")
    got = back_at_rp(consent(c, follow_local(c, r)), rp)
    assert code_row(stack, got["code"])["acr"] == "urn:kenpo:acr:identity"
    # An essential acr that is not ours: the error, no page.
    r, _ = authorize(c, rp, claims='{"id_token":{"acr":{"essential":true,'
                     '"value":"urn:other:gold"}}}')
    assert back_at_rp(r, rp)["error"] == "unmet_authentication_requirements"


def test_client_min_acr_for_level1(stack, ins):
    rp = make_client(stack, min_acr="urn:kenpo:acr:identity")
    email, aid, _ = make_member(stack, ins)
    stack.sql(f"UPDATE accounts SET level = 1 WHERE id = {aid}")
    c = login(stack, email)
    r, _ = authorize(c, rp)
    page = follow_local(c, r)
    assert page.status == 200
    assert 'href="/account/verify"' in page.text
    assert "本人確認" in text(page)
    assert back_at_rp(consent(c, page, "back"), rp)["error"] == \
        "unmet_authentication_requirements"


def test_client_min_acr_sensitive_for_level2(stack, ins):
    rp = make_client(stack, min_acr="urn:kenpo:acr:sensitive")
    email, _, _ = make_member(stack, ins)
    c = login(stack, email)
    r, _ = authorize(c, rp)
    page = follow_local(c, r)
    assert page.status == 200 and "健診・医療アクセス認証" in text(page)
    assert back_at_rp(consent(c, page, "back"), rp)["error"] == \
        "unmet_authentication_requirements"
    # Any of min_acr and an essential acr: the higher wins.
    r, _ = authorize(c, rp, claims='{"id_token":{"acr":{"essential":true,'
                     '"value":"urn:kenpo:acr:insurer"}}}', prompt="none")
    assert back_at_rp(r, rp)["error"] == "unmet_authentication_requirements"


@pytest.mark.slow
def test_sensitive_asks_only_the_stepup(stack, hins):
    rp = make_client(stack, min_acr="urn:kenpo:acr:sensitive")
    email, aid, c = verified_member(stack, hins, ANSWER)
    (auth_before,), = stack.sql("SELECT UNIX_TIMESTAMP(auth_time) FROM sessions"
                                f" WHERE account_id = {aid}")
    # prompt=none: interaction_required, nothing asked.
    r, _ = authorize(c, rp, prompt="none")
    assert back_at_rp(r, rp)["error"] == "interaction_required"
    # No step-up yet: the step-up page, not the password.
    r, p = authorize(c, rp)
    assert r.status == 303
    assert r.location.startswith("/sensitive/stepup?next=/oidc/authorize/resume/"), r.location
    nxt = r.location.split("next=", 1)[1]
    page = c.get(r.location)
    assert page.status == 200
    assert 'name="answer"' in page.text and 'name="password"' not in page.text
    assert f'name="next" value="{nxt}"' in page.text
    r = c.submit(page, "/sensitive/stepup", {"answer": ANSWER, "next": nxt})
    assert r.status == 303 and r.location == nxt, (r.status, r.location)
    got = back_at_rp(consent(c, c.get(nxt)), rp)
    row = code_row(stack, got["code"])
    assert row["acr"] == "urn:kenpo:acr:sensitive"
    assert "kba" in row["amr"] and "pwd" in row["amr"]
    assert row["auth_time"] == pytest.approx(float(auth_before), abs=1)
    # Fresh: a code at once, still sensitive.
    r, _ = authorize(c, rp)
    assert code_row(stack, back_at_rp(r, rp)["code"])["acr"] == "urn:kenpo:acr:sensitive"
    # The step-up aged past OIDC.MaxAge.Sensitive: only the step-up again,
    # even while Verify.StepUpMinutes would still hold.
    session_sql(stack, aid, "stepup_at = NOW(6) - INTERVAL 901 SECOND")
    r, _ = authorize(c, rp)
    assert r.location.startswith("/sensitive/stepup?next="), r.location
    page = c.get(r.location)
    assert page.status == 200 and 'name="answer"' in page.text
    nxt = r.location.split("next=", 1)[1]
    r = c.submit(page, "/sensitive/stepup", {"answer": ANSWER, "next": nxt})
    assert r.status == 303 and r.location == nxt
    got = back_at_rp(c.get(nxt), rp)
    assert code_row(stack, got["code"])["acr"] == "urn:kenpo:acr:sensitive"
    # Without the step-up an insurer-level client gets identity…
    session_sql(stack, aid, "stepup_at = NOW(6) - INTERVAL 2 HOUR")
    plain = make_client(stack)
    r, _ = authorize(c, plain)
    got = back_at_rp(consent(c, follow_local(c, r)), plain)
    assert code_row(stack, got["code"])["acr"] == "urn:kenpo:acr:identity"
    # …and the step-up page keeps its own behaviour for the features.
    r = c.get("/sensitive/stepup?next=" + "x" * 10)
    assert r.status == 200
    # A locked question: the page that says how to get the level back.
    stack.sql(f"UPDATE secret_questions SET locked_at = NOW(6) WHERE account_id = {aid}")
    r, _ = authorize(c, rp)
    page = follow_local(c, r)
    assert page.status == 200 and "ロック" in text(page)
    assert back_at_rp(consent(c, page, "back"), rp)["error"] == \
        "unmet_authentication_requirements"


def test_max_age_and_prompt_login_ask_the_password(stack, ins):
    rp = make_client(stack)
    email, aid, _ = make_member(stack, ins)
    c = login(stack, email)
    r, _ = authorize(c, rp)
    back_at_rp(consent(c, follow_local(c, r)), rp)
    for kw in ({"max_age": "0"}, {"prompt": "login"}, {"prompt": "select_account"},
               {"max_age": "60"}):
        # Factors proved before (a code at login, a step-up) are not carried
        # into the new auth_time: amr names only what the re-auth proved.
        session_sql(stack, aid, "auth_time = NOW(6) - INTERVAL 1 HOUR,"
                    " amr = 'pwd otp kba', stepup_at = NOW(6)")
        (old,), = stack.sql(f"SELECT UNIX_TIMESTAMP(auth_time) FROM sessions"
                            f" WHERE account_id = {aid}")
        sid_before = c.cookies.get("sid")
        r, _ = authorize(c, rp, **kw)
        assert r.status == 303 and r.location.startswith("/oidc/reauth?r="), (kw, r.location)
        # prompt=none with a stale login: login_required instead.
        r2, _ = authorize(c, rp, prompt="none", **({"max_age": kw["max_age"]}
                                                   if "max_age" in kw else {}))
        if "max_age" in kw:
            assert back_at_rp(r2, rp)["error"] == "login_required"
        page = c.get(r.location)
        assert page.status == 200
        assert 'name="password"' in page.text and 'name="answer"' not in page.text
        assert email in page.text
        # A wrong password: the form again, counted.
        bad = c.submit(page, "/oidc/reauth", {"r": r.location.split("r=")[1],
                                               "password": "wrong-" + PASSWORD})
        assert bad.status == 200 and "field__error" in bad.text
        r = c.submit(page, "/oidc/reauth", {"r": r.location.split("r=")[1],
                                             "password": PASSWORD})
        assert r.status == 303 and RESUME.match(r.location), (r.status, r.location)
        assert c.cookies.get("sid") != sid_before   # a new session id
        got = back_at_rp(c.get(r.location), rp)
        row = code_row(stack, got["code"])
        assert row["auth_time"] > float(old) + 3000, kw
        assert row["amr"] == ["pwd"]
        (stepup,), = stack.sql("SELECT stepup_at FROM sessions WHERE account_id ="
                               f" {aid}")
        assert stepup is None
    ev = events(stack, aid)
    assert "oidc.reauth" in ev and "password.check_fail" in ev
    # max_age larger than the login's age: nothing asked.
    r, _ = authorize(c, rp, max_age="86400")
    assert "code" in back_at_rp(r, rp)


def test_pending_and_withdrawn_accounts(stack, ins):
    rp = make_client(stack)
    email, aid, _ = make_member(stack, ins)
    c = login(stack, email)
    stack.sql(f"UPDATE accounts SET state = 'verified' WHERE id = {aid}")
    r, _ = authorize(c, rp)
    assert r.status == 303 and r.location == "/signup/eligibility"
    stack.sql(f"UPDATE accounts SET state = 'withdrawn' WHERE id = {aid}")
    r, _ = authorize(c, rp)
    assert r.status == 303 and r.location.startswith("/login?next=")
    r, _ = authorize(c, rp, prompt="none")
    assert back_at_rp(r, rp)["error"] == "login_required"


# ------------------------------------------------------------------ connected services

def test_connected_services_revoke(stack, ins):
    rp = make_client(stack, name="ポイントショップ")
    other = make_client(stack, name="歩数アプリ")
    email, aid, _ = make_member(stack, ins)
    c = login(stack, email)
    for client in (rp, other):
        r, _ = authorize(c, client, scope="openid email kenpo")
        back_at_rp(consent(c, follow_local(c, r)), client)
    for client in (rp, other):
        stack.sql("INSERT INTO oidc_tokens (token_hash, client, account_id, scope, acr,"
                  f" expires_at) VALUES (SHA2(UUID(), 256), {client.dbid}, {aid},"
                  " 'openid', 'urn:kenpo:acr:identity', NOW(6) + INTERVAL 10 MINUTE)")
    acct = c.get("/account")
    assert 'href="/account/services"' in acct.text and "連携中のサービス" in text(acct)
    page = c.get("/account/services")
    assert page.status == 200
    t = text(page)
    assert "ポイントショップ" in t and "歩数アプリ" in t
    assert "メールアドレス" in t and "加入している健康保険組合と認証レベル" in t
    assert "連携を解除" in t
    r = c.submit(page, "/account/services", {"client": rp.id})
    assert r.status == 303 and r.location == "/account/services?done=revoked"
    assert stack.sql(f"SELECT COUNT(*) FROM oidc_consents WHERE account_id = {aid}"
                     f" AND client = {rp.dbid}") == [("0",)]
    assert stack.sql(f"SELECT COUNT(*) FROM oidc_tokens WHERE account_id = {aid}"
                     f" AND client = {rp.dbid} AND revoked_at IS NULL") == [("0",)]
    # The other service is untouched.
    assert stack.sql(f"SELECT COUNT(*) FROM oidc_tokens WHERE account_id = {aid}"
                     f" AND client = {other.dbid} AND revoked_at IS NULL") == [("1",)]
    assert "oidc.revoke" in events(stack, aid)
    page = c.get("/account/services?done=revoked")
    assert "連携を解除しました" in text(page) and "ポイントショップ" not in text(page)
    # Again (another tab): nothing to do, no error.
    r = c.submit(page, "/account/services", {"client": rp.id})
    assert r.status == 303 and r.location == "/account/services"
    # Without CSRF: refused.
    r = c.post("/account/services", {"client": other.id})
    assert r.status == 403
    # The service asks for consent again next time.
    r, _ = authorize(c, rp, scope="openid")
    assert follow_local(c, r).status == 200
