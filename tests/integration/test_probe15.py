"""
Issue 15 under attack (the probe15 pass): regressions for what the probe
found in the OpenID provider, member TOTP and passkeys. Each test makes its
own members and clients.
"""
import base64
import hashlib
import json
import os
import stat
import time
import urllib.parse

import pytest

from test_member import PASSWORD, make_member, new_insurer
from test_oidc_token import LOGOUT, REDIRECT, add_client, make_code, token_post


@pytest.fixture(scope="module")
def ins(stack):
    stack.require_demo()
    return new_insurer(stack, "探査十五健康保険組合")


def form_post(stack, pairs):
    raw = "&".join(f"{k}={urllib.parse.quote(v, safe='')}" for k, v in pairs)
    return token_post(stack, None, raw=raw.encode(),
                      ctype="application/x-www-form-urlencoded")


def test_token_refuses_repeated_parameters(stack, ins):
    """RFC 6749 §3.2: a parameter sent twice is invalid_request, whichever it
    is — not "the first one wins" (a second redirect_uri, code or secret
    slipped in by a proxy or a confused library is not silently dropped)."""
    conf = add_client(stack, name="repeat")
    _, aid, _ = make_member(stack, ins)
    base = [("grant_type", "authorization_code"), ("redirect_uri", REDIRECT),
            ("client_id", conf["client_id"]), ("client_secret", conf["client_secret"])]
    before = len(stack.log_lines())
    for extra in (("code", "x" * 43), ("redirect_uri", "https://evil.example/cb"),
                  ("client_secret", "wrong"), ("grant_type", "refresh_token")):
        code = make_code(stack, conf, aid)
        r = form_post(stack, base + [("code", code), extra])
        assert r.status == 400, (extra, r.status, r.text)
        assert json.loads(r.text)["error"] == "invalid_request"
        assert "no-store" in r.headers["Cache-Control"]
        # The code was not spent: the same request without the repeat works.
        r = form_post(stack, base + [("code", code)])
        assert r.status == 200, (extra, r.text)
    assert sum("a parameter is repeated" in l
               for l in stack.log_lines()[before:]) == 4


def test_logout_state_bounded(stack):
    """A state is given back in the Location of the redirect, percent-encoded
    (three bytes for one): an unbounded one made a header over nginx's 8 KiB
    fastcgi_buffer_size, a 502 with no line in any log (the location's error
    log is /dev/null). Over 1024 bytes, as at /oidc/authorize, it is the 400
    page and a log line; at 1024 it still goes back whole."""
    cl = add_client(stack, name="logout state")
    base = {"client_id": cl["client_id"], "post_logout_redirect_uri": LOGOUT}
    pids = sorted(stack.worker_pids())
    before = len(stack.log_lines())
    r = stack.client().post("/oidc/logout", dict(base, state="<" * 1024), origin=None)
    assert r.status == 303, r.status
    got = urllib.parse.parse_qs(urllib.parse.urlsplit(r.location).query)
    assert r.location.startswith(LOGOUT + "?") and got["state"] == ["<" * 1024]
    for method in ("POST", "GET"):
        c = stack.client()
        d = dict(base, state="<" * (3000 if method == "POST" else 1025))
        r = (c.post("/oidc/logout", d, origin=None) if method == "POST" else
             c.get("/oidc/logout?" + urllib.parse.urlencode(d)))
        assert r.status == 400, (method, r.status, r.text[:200])
        assert r.location is None and "text/html" in r.headers["Content-Type"]
    assert sum("oidc logout: refused: state too long" in l
               for l in stack.log_lines()[before:]) == 2
    assert sorted(stack.worker_pids()) == pids


def files_holding(root, needle, skip=("mysql", "mysql-tmp")):
    hits = []
    for d, dirs, names in os.walk(root):
        dirs[:] = [x for x in dirs if x not in skip]
        for n in names:
            p = os.path.join(d, n)
            try:
                if stat.S_ISREG(os.lstat(p).st_mode):
                    with open(p, "rb") as f:
                        if needle.encode() in f.read():
                            hits.append(p)
            except OSError:
                pass
    return hits


def test_flow_secrets_in_no_log_and_no_mail(stack, ins):
    """A whole relying-party round (authorize, login, consent, token with
    client_secret_basic, userinfo, RP-initiated logout with id_token_hint),
    then its hostile replays (the code again, the secret wrong, the hint
    forged, the handle after completion): none of the client secret, code,
    PKCE verifier, access token, ID token, request handle or password is in
    any file of the stack (kenpod's log, nginx's access and error logs, the
    mail sink) or in the outbox, and no worker died."""
    cl = add_client(stack, name="secrets round")
    (dbid,), = stack.sql(f"SELECT id FROM oidc_clients WHERE client_id = '{cl['client_id']}'")
    email, aid, _ = make_member(stack, ins)
    pids = sorted(stack.worker_pids())
    c = stack.client()
    verifier = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    challenge = base64.urlsafe_b64encode(
        hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    p = {"client_id": cl["client_id"], "redirect_uri": REDIRECT, "response_type": "code",
         "scope": "openid email", "state": "st-secrets", "nonce": "n-secrets",
         "code_challenge": challenge, "code_challenge_method": "S256"}
    r = c.get("/oidc/authorize?" + urllib.parse.urlencode(p))
    nxt = r.location.split("next=", 1)[1]
    handle = nxt.rsplit("/", 1)[1]
    page = c.get(r.location)
    r = c.submit(page, "/login", {"email": email, "password": PASSWORD, "next": nxt})
    page = c.get(r.location)
    r = c.submit(page, "/oidc/consent", {"r": handle, "decision": "allow"})
    assert r.status == 303 and r.location.startswith(REDIRECT + "?"), r.location
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(r.location).query)["code"][0]
    d = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
         "code_verifier": verifier}
    r = token_post(stack, d, auth=(cl["client_id"], cl["client_secret"]))
    assert r.status == 200, r.text
    tok = json.loads(r.text)
    at, idt = tok["access_token"], tok["id_token"]
    assert stack.client().get("/oidc/userinfo",
                              headers={"Authorization": "Bearer " + at}).status == 200
    # Hostile replays.
    assert token_post(stack, d, auth=(cl["client_id"], cl["client_secret"])).status == 400
    assert token_post(stack, d, auth=(cl["client_id"], cl["client_secret"] + "x")).status == 401
    assert stack.client().get("/oidc/userinfo",
                              headers={"Authorization": "Bearer " + at}).status == 401
    assert c.get("/oidc/authorize/resume/" + handle).status == 400
    h, body, sig = idt.split(".")
    assert c.get("/oidc/logout?" + urllib.parse.urlencode(
        {"id_token_hint": h + "." + body + "." + sig[:-4] + "AAAA"})).status == 400
    # The real logout: the confirmation, then the redirect.
    page = c.get("/oidc/logout?" + urllib.parse.urlencode(
        {"id_token_hint": idt, "post_logout_redirect_uri": LOGOUT, "state": "bye"}))
    assert page.status == 200
    r = c.submit(page, "/oidc/logout", {"confirm": "1", "id_token_hint": idt,
                                        "post_logout_redirect_uri": LOGOUT, "state": "bye"})
    assert r.status == 303 and r.location == LOGOUT + "?state=bye", r.location
    assert sorted(stack.worker_pids()) == pids
    secrets = {"client secret": cl["client_secret"], "code": code, "verifier": verifier,
               "access token": at, "ID token signature": sig, "ID token payload": body,
               "handle": handle, "password": PASSWORD}
    time.sleep(0.5)         # nginx writes its access log line after the answer
    leaks = {k: files_holding(stack.dir, v) for k, v in secrets.items()}
    assert not {k: v for k, v in leaks.items() if v}, leaks
    for k, v in secrets.items():
        n = stack.sql("SELECT COUNT(*) FROM outbox WHERE body LIKE"
                      f" CONCAT('%', '{v}', '%') OR subject LIKE CONCAT('%', '{v}', '%')")
        assert n == [("0",)], k
    # Each refusal left its line (the reasons, not the values).
    log = "\n".join(stack.log_lines())
    assert f"client {dbid}: invalid_grant: code used before" in log
    assert f"client {dbid}: wrong secret" in log
    assert "oidc logout: id_token_hint refused" in log


def test_pages_naming_the_handle_send_no_full_referrer(stack, ins):
    """The handle of an authorization in progress is in the URL of the pages
    on its way (the resume path, /oidc/reauth?r=, the login's next=): under
    Referrer-Policy same-origin the browser repeats that URL in the Referer of
    every request the page makes, and nginx writes the referrer of a request
    it refuses into its error log. Those pages say strict-origin, as the
    token pages do; the others keep same-origin."""
    from test_oidc_authorize import authorize, make_client
    rp = make_client(stack)
    email, aid, _ = make_member(stack, ins)
    c = stack.client()
    r, _ = authorize(c, rp)
    assert r.status == 303 and r.location.startswith("/login?next=/oidc/authorize/resume/")
    nxt = r.location.split("next=", 1)[1]
    page = c.get(r.location)
    assert page.status == 200
    assert page.headers["Referrer-Policy"] == "strict-origin"
    assert c.get("/login").headers["Referrer-Policy"] == "same-origin"
    assert c.get("/login?next=/account").headers["Referrer-Policy"] == "same-origin"
    r = c.submit(page, "/login", {"email": email, "password": PASSWORD, "next": nxt})
    assert r.status == 303 and r.location == nxt
    page = c.get(nxt)                                   # the consent page
    assert page.status == 200 and 'action="/oidc/consent"' in page.text
    assert page.headers["Referrer-Policy"] == "strict-origin"
    r = c.submit(page, "/oidc/consent", {"r": nxt.rsplit("/", 1)[1], "decision": "allow"})
    assert r.status == 303 and r.location.startswith(rp.uri + "?code="), r.location
    stack.sql("UPDATE sessions SET auth_time = NOW(6) - INTERVAL 1 HOUR"
              f" WHERE account_id = {aid}")
    r, _ = authorize(c, rp, prompt="login")
    assert r.status == 303 and r.location.startswith("/oidc/reauth?r="), r.location
    page = c.get(r.location)
    assert page.status == 200
    assert page.headers["Referrer-Policy"] == "strict-origin"
    assert c.get("/account").headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("uri,why", [
    ("https://evil.example\\.rp.example.jp/cb", "backslash"),
    ("https://rp.example.jp/cb\\..\\x", "backslash"),
    ("https://rp.exａmple.jp/cb", "host other than ASCII"),
    ("https://rp%2eexample.jp/cb", "host other than ASCII"),
    ("https://rp.example.jp;x/cb", "host other than ASCII"),
])
def test_client_add_refuses_uris_a_browser_reads_otherwise(stack, uri, why):
    """A redirect URI is matched byte for byte, but the browser follows what
    it parses: a backslash is a '/' to it, and a host it would rewrite (full-
    width letters, an escape) is not the one the operator read. kenpoctl
    refuses them when the client is registered."""
    for opt in ("--redirect-uri", "--logout-uri"):
        args = ["client", "add", "読み違い", "--redirect-uri",
                uri if opt == "--redirect-uri" else REDIRECT]
        if opt == "--logout-uri":
            args += ["--logout-uri", uri]
        r = stack.ctl(*args)
        assert r.returncode == 1, (opt, r.stdout)
        assert why in r.stderr, r.stderr
    n = stack.sql("SELECT COUNT(*) FROM oidc_clients WHERE name = '読み違い'")
    assert n == [("0",)]
    for ok in ("https://rp.example.jp:8443/cb?x=1", "https://xn--eckwd4c7c.xn--zckzah/cb",
               "http://[::1]:3000/cb"):
        r = stack.ctl("client", "add", "読める", "--redirect-uri", ok)
        assert r.returncode == 0, (ok, r.stderr)


def test_handle_does_nothing_in_another_browser(stack, ins):
    """An authorization request is bound to the browser that began it (the
    cookie "oab"): its handle, learnt by someone else, continues nothing
    there — not the resume path, not the consent, not /oidc/reauth — even
    with a member session of their own (else that member's code would reach
    the relying party, which would take it in the victim's browser with the
    victim's state and PKCE). The attempt does not spend the request: the
    browser that began it finishes it."""
    from test_oidc_authorize import authorize, make_client
    rp = make_client(stack)
    email, aid, _ = make_member(stack, ins)
    other_email, other_aid, _ = make_member(stack, ins)
    victim = stack.client()
    r, p = authorize(victim, rp)
    assert r.status == 303
    nxt = r.location.split("next=", 1)[1]
    handle = nxt.rsplit("/", 1)[1]
    attacker = stack.client()
    page = attacker.get("/login")
    r = attacker.submit(page, "/login", {"email": other_email, "password": PASSWORD,
                                         "next": nxt})
    assert r.status == 303 and r.location == nxt
    before = len(stack.log_lines())
    r = attacker.get(nxt)
    assert r.status == 400 and "/oidc/consent" not in r.text
    page = attacker.get("/account")
    r = attacker.submit(page, "/oidc/consent", {"r": handle, "decision": "allow"})
    assert r.status == 400 and r.location is None
    r = attacker.submit(page, "/oidc/consent", {"r": handle, "decision": "deny"})
    assert r.status == 400 and r.location is None
    assert attacker.get("/oidc/reauth?r=" + handle).status == 400
    assert sum("continued from another browser" in l
               for l in stack.log_lines()[before:]) == 4
    assert stack.sql(f"SELECT COUNT(*) FROM oidc_codes WHERE account_id = {other_aid}") \
        == [("0",)]
    # The browser that began it: login, consent, a code for her.
    page = victim.get("/login?next=" + nxt)
    r = victim.submit(page, "/login", {"email": email, "password": PASSWORD, "next": nxt})
    page = victim.get(r.location)
    assert page.status == 200 and 'action="/oidc/consent"' in page.text
    r = victim.submit(page, "/oidc/consent", {"r": handle, "decision": "allow"})
    assert r.status == 303 and r.location.startswith(rp.uri + "?code="), r.location
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(r.location).query)
    assert q["state"] == [p["state"]]
    (acc,), = stack.sql("SELECT account_id FROM oidc_codes WHERE code_hash ="
                        f" SHA2('{q['code'][0]}', 256)")
    assert int(acc) == aid
    # A second flow in the same browser keeps the same cookie.
    assert "oab" in victim.cookies
    cookie = victim.cookies["oab"]
    authorize(victim, rp)
    assert victim.cookies["oab"] == cookie


def test_revoking_a_service_voids_its_unredeemed_codes(stack, ins):
    """連携を解除 revokes the service's access tokens; a code issued a moment
    before and not yet redeemed (OIDC.CodeSeconds) must not give it a new
    one after she said no."""
    from test_member import login
    cl = add_client(stack, name="解除テスト")
    (dbid,), = stack.sql(f"SELECT id FROM oidc_clients WHERE client_id = '{cl['client_id']}'")
    email, aid, _ = make_member(stack, ins)
    stack.sql("INSERT INTO oidc_consents (account_id, client, scope, last_used_at)"
              f" VALUES ({aid}, {dbid}, 'openid email', NOW(6))")
    code = make_code(stack, cl, aid, scope="openid email")
    used = make_code(stack, cl, aid, scope="openid email")
    r = form_post(stack, [("grant_type", "authorization_code"), ("code", used),
                          ("redirect_uri", REDIRECT), ("client_id", cl["client_id"]),
                          ("client_secret", cl["client_secret"])])
    assert r.status == 200
    at = json.loads(r.text)["access_token"]
    c = login(stack, email)
    page = c.get("/account/services")
    assert page.status == 200 and "解除テスト" in page.text
    r = c.submit(page, "/account/services", {"client": cl["client_id"]})
    assert r.status == 303 and r.location == "/account/services?done=revoked"
    r = form_post(stack, [("grant_type", "authorization_code"), ("code", code),
                          ("redirect_uri", REDIRECT), ("client_id", cl["client_id"]),
                          ("client_secret", cl["client_secret"])])
    assert r.status == 400 and json.loads(r.text)["error"] == "invalid_grant", r.text
    assert stack.client().get("/oidc/userinfo",
                              headers={"Authorization": "Bearer " + at}).status == 401
    # The redeemed code's row stays (a replay of it still revokes, RFC 6749 §4.1.2).
    n = stack.sql(f"SELECT COUNT(*) FROM oidc_codes WHERE account_id = {aid}")
    assert n == [("1",)]
