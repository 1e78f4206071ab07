"""
Issue 15, the OpenID provider after the code is issued (docs/oidc.md): clients
registered with `kenpoctl client add --json`, discovery, the JWKS, the token
endpoint, userinfo, RP-initiated logout, signing-key rotation.

Codes are inserted into oidc_codes by SQL exactly as /oidc/authorize stores
them (sql/0018_oidc.sql: the SHA-256 of the code, acr/amr/auth_time fixed):
the authorize endpoint is tested on its own. The exchange is done by authlib
(python3-authlib, an RP library this project did not write) and by hand for
the hostile cases; ID tokens are verified with jwcrypto against /oidc/jwks.
"""
import base64
import glob
import hashlib
import json
import os
import time
import urllib.parse

import pytest
from authlib.integrations.requests_client import OAuth2Session
from jwcrypto import jwk, jws
from jwcrypto import jwt as jjwt

from test_member import login, make_member, new_insurer

REDIRECT = "https://rp.example.jp/callback"
LOGOUT = "https://rp.example.jp/logged-out"


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def ctl_json(stack, *args):
    r = stack.ctl("--json", *args)
    assert r.returncode == 0, (args, r.stdout, r.stderr)
    return json.loads(r.stdout)


def add_client(stack, name="テスト連携サービス", public=False, redirect=REDIRECT,
               logout=LOGOUT, min_acr=None):
    args = ["client", "add", name, "--redirect-uri", redirect]
    if logout:
        args += ["--logout-uri", logout]
    if public:
        args.append("--public")
    if min_acr:
        args += ["--min-acr", min_acr]
    r = stack.ctl(*args, "--json")      # --json after the verb, as the contract reads
    assert r.returncode == 0, r.stdout + r.stderr
    d = json.loads(r.stdout)
    assert set(d) >= {"client_id", "client_secret"}
    assert len(d["client_id"]) == 22
    if public:
        assert d["client_secret"] is None
    else:
        assert len(d["client_secret"]) == 43
    return d


def row_id(stack, client_id):
    (i,), = stack.sql(f"SELECT id FROM oidc_clients WHERE client_id = '{client_id}'")
    return int(i)


def make_code(stack, client, aid, redirect=REDIRECT, scope="openid", nonce=None,
              challenge=None, acr="urn:kenpo:acr:identity", amr="pwd",
              expires=60, auth_ago=30):
    """An authorization code as /oidc/authorize stores it; returns the code."""
    code = b64u(os.urandom(32))
    h = hashlib.sha256(code.encode()).hexdigest()

    def q(v):
        return "NULL" if v is None else "'" + v.replace("'", "''") + "'"
    stack.sql("INSERT INTO oidc_codes (code_hash, client, account_id, redirect_uri,"
              " scope, nonce, code_challenge, acr, amr, auth_time, expires_at) VALUES"
              f" ('{h}', {row_id(stack, client['client_id'])}, {aid}, {q(redirect)},"
              f" {q(scope)}, {q(nonce)}, {q(challenge)}, {q(acr)}, {q(amr)},"
              f" NOW(6) - INTERVAL {auth_ago} SECOND, NOW(6) + INTERVAL {expires} SECOND)")
    return code


def pkce():
    v = b64u(os.urandom(48))
    return v, b64u(hashlib.sha256(v.encode()).digest())


def token_post(stack, data, auth=None, headers=None, raw=None, ctype=None):
    c = stack.client()
    h = dict(headers or {})
    if auth:
        h["Authorization"] = "Basic " + base64.b64encode(
            f"{urllib.parse.quote(auth[0], safe='')}:{urllib.parse.quote(auth[1], safe='')}"
            .encode()).decode()
    kw = {}
    if ctype:
        kw["content_type"] = ctype
    return c.post("/oidc/token", data, headers=h, origin=None, raw=raw, **kw)


def exchange(stack, cl, code, redirect=REDIRECT, verifier=None, method="basic"):
    d = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect}
    if verifier:
        d["code_verifier"] = verifier
    if method == "basic":
        return token_post(stack, d, auth=(cl["client_id"], cl["client_secret"]))
    d["client_id"] = cl["client_id"]
    if method == "post":
        d["client_secret"] = cl["client_secret"]
    return token_post(stack, d)


def keyset(stack):
    r = stack.client().get("/oidc/jwks")
    assert r.status == 200, r.text
    return jwk.JWKSet.from_json(r.text), json.loads(r.text)


def verify_id_token(stack, idt, client_id):
    ks, _ = keyset(stack)
    t = jjwt.JWT(jwt=idt, key=ks, algs=["ES256"],
                 check_claims={"iss": stack.main.base_url, "aud": client_id,
                               "exp": None})
    return json.loads(t.claims), json.loads(t.header)


def userinfo(stack, token, method="GET"):
    c = stack.client()
    h = {"Authorization": f"Bearer {token}"}
    if method == "GET":
        return c.get("/oidc/userinfo", headers=h)
    return c.post("/oidc/userinfo", {}, headers=h, origin=None)


@pytest.fixture(scope="module")
def ins(stack):
    return new_insurer(stack, "OIDC連携健康保険組合")


@pytest.fixture(scope="module")
def conf(stack):
    return add_client(stack)


@pytest.fixture(scope="module")
def pub(stack):
    return add_client(stack, name="公開クライアント", public=True)


# ---- discovery and keys

def test_discovery(stack):
    r = stack.client().get("/.well-known/openid-configuration")
    assert r.status == 200
    assert r.headers["Content-Type"].startswith("application/json")
    d = json.loads(r.text)
    base = stack.main.base_url
    assert d["issuer"] == base and not base.endswith("/")
    assert d["authorization_endpoint"] == base + "/oidc/authorize"
    assert d["token_endpoint"] == base + "/oidc/token"
    assert d["userinfo_endpoint"] == base + "/oidc/userinfo"
    assert d["jwks_uri"] == base + "/oidc/jwks"
    assert d["end_session_endpoint"] == base + "/oidc/logout"
    assert d["response_types_supported"] == ["code"]
    assert d["response_modes_supported"] == ["query"]
    assert d["grant_types_supported"] == ["authorization_code"]
    assert d["subject_types_supported"] == ["pairwise"]
    assert d["id_token_signing_alg_values_supported"] == ["ES256"]
    assert d["token_endpoint_auth_methods_supported"] == [
        "client_secret_basic", "client_secret_post", "none"]
    assert d["code_challenge_methods_supported"] == ["S256"]
    assert set(d["scopes_supported"]) == {"openid", "email", "profile", "kenpo"}
    assert d["acr_values_supported"] == ["urn:kenpo:acr:insurer",
                                         "urn:kenpo:acr:identity",
                                         "urn:kenpo:acr:sensitive"]
    assert d["claims_parameter_supported"] is True
    assert d["request_parameter_supported"] is False
    assert d["request_uri_parameter_supported"] is False
    assert d["authorization_response_iss_parameter_supported"] is True
    assert {"acr", "amr", "auth_time", "nonce", "sub"} <= set(d["claims_supported"])
    assert "prompt_values_supported" in d


def test_jwks_keys(stack):
    _, raw = keyset(stack)
    keys = raw["keys"]
    assert len(keys) >= 2              # current and next
    for k in keys:
        assert k["kty"] == "EC" and k["crv"] == "P-256" and k["alg"] == "ES256"
        assert k["use"] == "sig" and "d" not in k
        # kid is the RFC 7638 thumbprint (docs/oidc.md).
        assert jwk.JWK(**k).thumbprint() == k["kid"]
    listed = ctl_json(stack, "oidc", "key", "list")
    states = {k["kid"]: k["state"] for k in listed}
    assert sorted(s for s in states.values() if s != "retired") == ["current", "next"]
    assert {k["kid"] for k in keys} <= set(states)


# ---- the happy paths, with authlib

def test_code_flow_confidential_basic(stack, ins, conf):
    email, aid, person = make_member(stack, ins)
    code = make_code(stack, conf, aid, scope="openid email profile kenpo",
                     nonce="n-0S6_WzA2Mj", amr="pwd otp",
                     acr="urn:kenpo:acr:identity")
    sess = OAuth2Session(conf["client_id"], conf["client_secret"],
                         token_endpoint_auth_method="client_secret_basic")
    tok = sess.fetch_token(stack.main.base_url + "/oidc/token",
                           grant_type="authorization_code", code=code,
                           redirect_uri=REDIRECT)
    assert tok["token_type"] == "Bearer"
    assert tok["expires_in"] == 600
    assert tok["scope"] == "openid email profile kenpo"
    claims, header = verify_id_token(stack, tok["id_token"], conf["client_id"])
    assert header["alg"] == "ES256" and header["typ"] == "JWT"
    assert claims["nonce"] == "n-0S6_WzA2Mj"
    assert claims["acr"] == "urn:kenpo:acr:identity"
    assert claims["azp"] == conf["client_id"]
    assert claims["amr"] == ["pwd", "otp", "mfa"]
    assert abs(claims["auth_time"] - (time.time() - 30)) < 120
    assert claims["exp"] - claims["iat"] == 600
    assert len(claims["sub"]) == 43
    # at_hash (OIDC Core §3.1.3.6).
    h = hashlib.sha256(tok["access_token"].encode()).digest()[:16]
    assert claims["at_hash"] == b64u(h)
    # userinfo by the token's scope.
    r = userinfo(stack, tok["access_token"])
    assert r.status == 200, r.text
    assert "no-store" in r.headers["Cache-Control"]
    u = json.loads(r.text)
    assert u["sub"] == claims["sub"]
    assert u["email"] == email and u["email_verified"] is True
    assert u["name"] == person["name_kana"]
    assert u["birthdate"] == person["birth"]
    assert u["kenpo_insurer_number"] == ins
    assert u["kenpo_insurer_name"] == "OIDC連携健康保険組合"
    assert u["kenpo_level"] == 2
    assert userinfo(stack, tok["access_token"], "POST").status == 200
    # Audited, nothing secret in the row.
    ev = [e for (e,) in stack.sql(f"SELECT event FROM audit WHERE account_id = {aid}")]
    assert "oidc.token" in ev


def test_code_flow_public_pkce(stack, ins, pub, conf):
    _, aid, _ = make_member(stack, ins)
    verifier, challenge = pkce()
    code = make_code(stack, pub, aid, challenge=challenge, scope="openid",
                     amr="hwk user", acr="urn:kenpo:acr:insurer")
    sess = OAuth2Session(pub["client_id"], token_endpoint_auth_method="none",
                         code_challenge_method="S256")
    tok = sess.fetch_token(stack.main.base_url + "/oidc/token", code=code,
                           redirect_uri=REDIRECT, code_verifier=verifier)
    claims, _ = verify_id_token(stack, tok["id_token"], pub["client_id"])
    assert "nonce" not in claims
    assert claims["amr"] == ["hwk", "user"]      # one kind of factor: no mfa
    assert claims["acr"] == "urn:kenpo:acr:insurer"
    u = json.loads(userinfo(stack, tok["access_token"]).text)
    assert set(u) == {"sub"}                      # scope openid only
    # Pairwise: the same member has another sub at another client.
    code2 = make_code(stack, conf, aid)
    r = exchange(stack, conf, code2, method="post")
    assert r.status == 200, r.text
    c2, _ = verify_id_token(stack, json.loads(r.text)["id_token"], conf["client_id"])
    assert c2["sub"] != claims["sub"]


def test_profile_of_an_unbound_member(stack, ins, conf):
    email, aid, _ = make_member(stack, ins)
    stack.sql(f"UPDATE accounts SET roster_id = NULL WHERE id = {aid}")
    code = make_code(stack, conf, aid, scope="openid profile email")
    r = exchange(stack, conf, code)
    assert r.status == 200
    u = json.loads(userinfo(stack, json.loads(r.text)["access_token"]).text)
    assert u["email"] == email
    assert "name" not in u and "birthdate" not in u


# ---- hostile token requests

def error_of(r, status=400):
    assert r.status == status, (r.status, r.text)
    assert r.headers["Content-Type"].startswith("application/json"), r.headers
    assert "no-store" in r.headers["Cache-Control"]
    return json.loads(r.text)["error"]


def test_code_reuse_revokes(stack, ins, conf):
    _, aid, _ = make_member(stack, ins)
    code = make_code(stack, conf, aid, scope="openid email")
    r1 = exchange(stack, conf, code)
    assert r1.status == 200
    at = json.loads(r1.text)["access_token"]
    assert userinfo(stack, at).status == 200
    assert error_of(exchange(stack, conf, code)) == "invalid_grant"
    r = userinfo(stack, at)
    assert r.status == 401
    assert 'error="invalid_token"' in r.headers["WWW-Authenticate"]
    ev = [e for (e,) in stack.sql(f"SELECT event FROM audit WHERE account_id = {aid}")]
    assert "oidc.code_reused" in ev


def test_pkce_refusals(stack, ins, pub):
    _, aid, _ = make_member(stack, ins)
    verifier, challenge = pkce()
    other, _ = pkce()
    code = make_code(stack, pub, aid, challenge=challenge)
    assert error_of(exchange(stack, pub, code, verifier=other, method="none")) == \
        "invalid_grant"
    # Missing verifier for a public client.
    code = make_code(stack, pub, aid, challenge=challenge)
    assert error_of(exchange(stack, pub, code, method="none")) == "invalid_grant"
    # A public client's code without any challenge.
    code = make_code(stack, pub, aid)
    assert error_of(exchange(stack, pub, code, verifier=verifier, method="none")) == \
        "invalid_grant"
    # Malformed verifiers.
    code = make_code(stack, pub, aid, challenge=challenge)
    assert error_of(exchange(stack, pub, code, verifier="short", method="none")) == \
        "invalid_request"
    assert error_of(exchange(stack, pub, code, verifier="a" * 42 + "!",
                             method="none")) == "invalid_request"
    # The unspent code still works with the right verifier.
    r = exchange(stack, pub, code, verifier=verifier, method="none")
    assert r.status == 200, r.text
    # A secret from a public client.
    code = make_code(stack, pub, aid, challenge=challenge)
    r = token_post(stack, {"grant_type": "authorization_code", "code": code,
                           "redirect_uri": REDIRECT, "code_verifier": verifier,
                           "client_id": pub["client_id"], "client_secret": "x"})
    assert error_of(r, 401) == "invalid_client"


def test_grant_refusals(stack, ins, conf):
    _, aid, _ = make_member(stack, ins)
    other = add_client(stack, name="別のサービス")
    # Expired.
    code = make_code(stack, conf, aid, expires=-5)
    assert error_of(exchange(stack, conf, code)) == "invalid_grant"
    # Another client's code.
    code = make_code(stack, other, aid)
    assert error_of(exchange(stack, conf, code)) == "invalid_grant"
    assert exchange(stack, other, code).status == 200   # not consumed by the attempt
    # Wrong redirect_uri (also a mere trailing slash).
    code = make_code(stack, conf, aid)
    assert error_of(exchange(stack, conf, code, redirect=REDIRECT + "/")) == \
        "invalid_grant"
    # Unknown code.
    assert error_of(exchange(stack, conf, b64u(os.urandom(32)))) == "invalid_grant"
    # A withdrawn account.
    code = make_code(stack, conf, aid)
    stack.sql(f"UPDATE accounts SET state = 'withdrawn' WHERE id = {aid}")
    assert error_of(exchange(stack, conf, code)) == "invalid_grant"


def test_client_auth_refusals(stack, ins, conf):
    _, aid, _ = make_member(stack, ins)
    code = make_code(stack, conf, aid)
    base = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    r = token_post(stack, base, auth=(conf["client_id"], "wrong-secret"))
    assert error_of(r, 401) == "invalid_client"
    assert r.headers["WWW-Authenticate"].startswith("Basic")
    r = token_post(stack, dict(base, client_id=conf["client_id"], client_secret="nope"))
    assert error_of(r, 401) == "invalid_client"
    # Basic and post at once.
    r = token_post(stack, dict(base, client_secret=conf["client_secret"]),
                   auth=(conf["client_id"], conf["client_secret"]))
    assert error_of(r) == "invalid_request"
    # No authentication at all for a confidential client.
    r = token_post(stack, dict(base, client_id=conf["client_id"]))
    assert error_of(r, 401) == "invalid_client"
    r = token_post(stack, base)
    assert error_of(r, 401) == "invalid_client"
    r = token_post(stack, base, headers={"Authorization": "Basic !!!"})
    assert error_of(r, 401) == "invalid_client"
    # The code was never consumed by any of these.
    assert exchange(stack, conf, code).status == 200


def test_request_refusals(stack, ins, conf):
    _, aid, _ = make_member(stack, ins)
    code = make_code(stack, conf, aid)
    auth = (conf["client_id"], conf["client_secret"])
    r = token_post(stack, {"grant_type": "password", "code": code,
                           "redirect_uri": REDIRECT}, auth=auth)
    assert error_of(r) == "unsupported_grant_type"
    r = token_post(stack, {"code": code, "redirect_uri": REDIRECT}, auth=auth)
    assert error_of(r) == "invalid_request"
    r = token_post(stack, {"grant_type": "authorization_code", "redirect_uri": REDIRECT},
                   auth=auth)
    assert error_of(r) == "invalid_request"
    # GET: 405, JSON.
    r = stack.client().get("/oidc/token?grant_type=authorization_code")
    assert error_of(r, 405) == "invalid_request"
    assert r.headers["Allow"] == "POST"
    # JSON body, a huge body, bad escapes, NUL, invalid UTF-8: 400/413 JSON, no 500.
    r = token_post(stack, None, raw=b'{"grant_type":"authorization_code"}',
                   auth=auth, ctype="application/json")
    assert error_of(r) == "invalid_request"
    r = token_post(stack, None, raw=b"grant_type=authorization_code&code=%zz", auth=auth)
    assert error_of(r) == "invalid_request"
    r = token_post(stack, None, raw=b"grant_type=authorization_code&code=%00", auth=auth)
    assert error_of(r) == "invalid_request"
    r = token_post(stack, None, raw=b"grant_type=authorization_code&code=\xff\xfe",
                   auth=auth)
    assert error_of(r) == "invalid_request"
    r = token_post(stack, None, raw=b"grant_type=authorization_code&code=" +
                   b"A" * 2_000_000, auth=auth)
    assert r.status in (400, 413) and r.status < 500
    r = token_post(stack, {"grant_type": "authorization_code", "code": "x" * 4000,
                           "redirect_uri": REDIRECT}, auth=auth)
    assert r.status in (400, 413)
    # Parameters in the query string.
    c = stack.client()
    r = c.post("/oidc/token?code=" + code, {"grant_type": "authorization_code",
               "redirect_uri": REDIRECT}, origin=None, headers={
                   "Authorization": "Basic " + base64.b64encode(
                       f"{auth[0]}:{auth[1]}".encode()).decode()})
    assert error_of(r) == "invalid_request"
    assert exchange(stack, conf, code).status == 200


# ---- userinfo

def test_userinfo_refusals(stack, ins, conf):
    _, aid, _ = make_member(stack, ins)
    r = stack.client().get("/oidc/userinfo")
    assert r.status == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    assert "error=" not in r.headers["WWW-Authenticate"]
    for bad in ("garbage", b64u(os.urandom(32)), "A" * 500):
        r = userinfo(stack, bad)
        assert r.status == 401, bad
        assert 'error="invalid_token"' in r.headers["WWW-Authenticate"]
    r = stack.client().get("/oidc/userinfo", headers={"Authorization": "Basic eDp5"})
    assert r.status == 400
    # Expired and revoked tokens.
    code = make_code(stack, conf, aid)
    at = json.loads(exchange(stack, conf, code).text)["access_token"]
    h = hashlib.sha256(at.encode()).hexdigest()
    stack.sql(f"UPDATE oidc_tokens SET expires_at = NOW(6) - INTERVAL 1 SECOND"
              f" WHERE token_hash = '{h}'")
    assert userinfo(stack, at).status == 401
    code = make_code(stack, conf, aid)
    at = json.loads(exchange(stack, conf, code).text)["access_token"]
    h = hashlib.sha256(at.encode()).hexdigest()
    stack.sql(f"UPDATE oidc_tokens SET revoked_at = NOW(6) WHERE token_hash = '{h}'")
    assert userinfo(stack, at).status == 401
    # A withdrawn account's token.
    code = make_code(stack, conf, aid)
    at = json.loads(exchange(stack, conf, code).text)["access_token"]
    assert userinfo(stack, at).status == 200
    stack.sql(f"UPDATE accounts SET state = 'withdrawn' WHERE id = {aid}")
    assert userinfo(stack, at).status == 401


# ---- kenpoctl client

def test_client_commands(stack):
    d = add_client(stack, name="コマンドのテスト", logout=None)
    cid = d["client_id"]
    listed = ctl_json(stack, "client", "list")
    mine = [c for c in listed if c["client_id"] == cid]
    assert mine and mine[0]["type"] == "confidential"
    assert mine[0]["name"] == "コマンドのテスト"
    show = ctl_json(stack, "client", "show", cid)
    assert show["redirect_uris"] == [REDIRECT] and show["logout_uris"] == []
    assert show["min_acr"] == "urn:kenpo:acr:insurer"
    # Only the hash is stored.
    (h,), = stack.sql(f"SELECT secret_hash FROM oidc_clients WHERE client_id = '{cid}'")
    assert h != d["client_secret"] and len(h) == 64
    rot = ctl_json(stack, "client", "rotate-secret", cid)
    assert rot["client_id"] == cid and rot["client_secret"] != d["client_secret"]
    (h2,), = stack.sql(f"SELECT secret_hash FROM oidc_clients WHERE client_id = '{cid}'")
    assert h2 != h
    p = add_client(stack, name="公開", public=True, min_acr="urn:kenpo:acr:sensitive")
    assert ctl_json(stack, "client", "show", p["client_id"])["min_acr"] == \
        "urn:kenpo:acr:sensitive"
    r = stack.ctl("client", "rotate-secret", p["client_id"])
    assert r.returncode == 1
    # Human form prints the secret once too.
    r = stack.ctl("client", "add", "人間向け", "--redirect-uri", "http://localhost:9/cb")
    assert r.returncode == 0 and "client_secret:" in r.stdout
    # Delete: the row stays (the id is never reused), codes/tokens/consents go.
    deleted = ctl_json(stack, "client", "delete", cid)
    assert deleted["deleted"] is True
    assert stack.ctl("client", "show", cid).returncode == 1
    (n,), = stack.sql(f"SELECT COUNT(*) FROM oidc_clients WHERE client_id = '{cid}'"
                      " AND deleted_at IS NOT NULL")
    assert n == "1"
    assert cid not in [c["client_id"] for c in ctl_json(stack, "client", "list")]


@pytest.mark.parametrize("uri,why", [
    ("http://rp.example.jp/cb", "http://"),
    ("https://rp.example.jp/cb#frag", "fragment"),
    ("https://user:pw@rp.example.jp/cb", "userinfo"),
    ("https://rp.example.jp/" + "a" * 2000, "2000"),
    ("rp.example.jp/cb", "absolute"),
    ("javascript:alert(1)", "absolute"),
    ("https:///cb", "host"),
    ("https://rp.example.jp/c b", "spaces"),
    ("http://127.0.0.2/cb", "http://"),
])
def test_client_bad_uris(stack, uri, why):
    r = stack.ctl("client", "add", "悪いURI", "--redirect-uri", uri)
    assert r.returncode == 1, r.stdout
    assert why in r.stderr
    r = stack.ctl("client", "add", "悪いURI", "--redirect-uri", REDIRECT,
                  "--logout-uri", uri)
    assert r.returncode == 1


def test_client_good_dev_uris(stack):
    for u in ("http://localhost:8080/cb", "http://127.0.0.1/cb", "http://[::1]:3000/cb"):
        d = ctl_json(stack, "client", "add", "開発", "--redirect-uri", u)
        assert ctl_json(stack, "client", "show", d["client_id"])["redirect_uris"] == [u]
    r = stack.ctl("client", "add", "x", "--redirect-uri", REDIRECT, "--min-acr", "urn:x")
    assert r.returncode == 1
    assert stack.ctl("client", "add", "x").returncode == 2


# ---- logout

def id_token_for(stack, cl, aid):
    code = make_code(stack, cl, aid)
    return json.loads(exchange(stack, cl, code).text)["id_token"]


def test_logout_with_session(stack, ins, conf):
    email, aid, _ = make_member(stack, ins)
    idt = id_token_for(stack, conf, aid)
    c = login(stack, email)
    q = urllib.parse.urlencode({"id_token_hint": idt, "post_logout_redirect_uri": LOGOUT,
                                "state": "xyz 1", "ui_locales": "en"})
    page = c.get("/oidc/logout?" + q)
    assert page.status == 200
    assert "ログアウト" in page.text and "テスト連携サービス" in page.text
    # The question names this site by Service.Name, not a fixed word.
    name = stack.main.config.get("Service.Name", "kenpo")
    assert f"{name}からもログアウトしますか" in page.text
    assert c.get("/account").status == 200            # not yet
    r = c.submit(page, "/oidc/logout", {"confirm": "1", "client_id": conf["client_id"],
                                        "post_logout_redirect_uri": LOGOUT,
                                        "state": "xyz 1"})
    assert r.status == 303, r.text[:300]
    assert r.headers["Location"] == LOGOUT + "?state=xyz%201"
    assert c.get("/account").status == 303            # session ended
    ev = [e for (e,) in stack.sql(f"SELECT event FROM audit WHERE account_id = {aid}")]
    assert "logout.oidc" in ev


def test_logout_confirm_needs_csrf(stack, ins, conf):
    email, aid, _ = make_member(stack, ins)
    c = login(stack, email)
    r = c.post("/oidc/logout", {"confirm": "1", "client_id": conf["client_id"]})
    assert r.status == 403
    r = c.post("/oidc/logout", {"client_id": conf["client_id"]})   # an RP's POST
    assert r.status == 200 and 'name="confirm"' in r.text
    assert c.get("/account").status == 200


def test_logout_without_session(stack, conf):
    c = stack.client()
    r = c.get("/oidc/logout?" + urllib.parse.urlencode(
        {"client_id": conf["client_id"], "post_logout_redirect_uri": LOGOUT,
         "state": "s"}))
    assert r.status == 303 and r.headers["Location"] == LOGOUT + "?state=s"
    r = c.get("/oidc/logout")
    assert r.status == 200 and "ログアウトしました" in r.text


def test_logout_refusals(stack, ins, conf):
    _, aid, _ = make_member(stack, ins)
    c = stack.client()
    idt = id_token_for(stack, conf, aid)
    h, p, s = idt.split(".")
    # alg: none with our claims.
    none_hdr = b64u(json.dumps({"alg": "none", "kid": json.loads(
        base64.urlsafe_b64decode(h + "==")).get("kid")}).encode())
    forged_claims = b64u(json.dumps(dict(json.loads(base64.urlsafe_b64decode(p + "==")),
                                         aud="someone-else")).encode())
    # A key of our own choosing, with a kid that is not ours.
    k = jwk.JWK.generate(kty="EC", crv="P-256")
    t = jjwt.JWT(header={"alg": "ES256", "kid": k.thumbprint()},
                 claims=json.loads(base64.urlsafe_b64decode(p + "==")))
    t.make_signed_token(k)
    # Our kid, someone else's signature.
    t2 = jws.JWS(base64.urlsafe_b64decode(p + "=="))
    t2.add_signature(k, None, json.dumps({"alg": "ES256", "kid": json.loads(
        base64.urlsafe_b64decode(h + "=="))["kid"]}))
    ours_forged = t2.serialize(compact=True)
    for bad in (f"{none_hdr}.{p}.", f"{none_hdr}.{p}.{s}", f"{h}.{forged_claims}.{s}",
                t.serialize(), ours_forged, "garbage", idt + "x"):
        r = c.get("/oidc/logout?" + urllib.parse.urlencode(
            {"id_token_hint": bad, "post_logout_redirect_uri": LOGOUT}))
        assert r.status == 400, bad
        assert "Location" not in r.headers
    # Unregistered post_logout_redirect_uri, or one without a client.
    for q in ({"client_id": conf["client_id"], "post_logout_redirect_uri": "https://evil.example/"},
              {"id_token_hint": idt, "post_logout_redirect_uri": REDIRECT},
              {"post_logout_redirect_uri": LOGOUT},
              {"client_id": "nosuchclient", "post_logout_redirect_uri": LOGOUT},
              {"id_token_hint": idt, "client_id": "other",
               "post_logout_redirect_uri": LOGOUT}):
        r = c.get("/oidc/logout?" + urllib.parse.urlencode(q))
        assert r.status == 400, q
        assert "Location" not in r.headers
    # Expired hints are fine (the spec: expiry ignored).
    r = c.get("/oidc/logout?" + urllib.parse.urlencode(
        {"id_token_hint": idt, "post_logout_redirect_uri": LOGOUT}))
    assert r.status == 303


# ---- rotation

def test_key_rotation(stack, ins, conf):
    _, aid, _ = make_member(stack, ins)
    before = id_token_for(stack, conf, aid)
    old_kid = json.loads(base64.urlsafe_b64decode(before.split(".")[0] + "=="))["kid"]
    keys = {k["kid"]: k["state"] for k in ctl_json(stack, "oidc", "key", "list")}
    assert keys[old_kid] == "current"
    nxt = [k for k, s in keys.items() if s == "next"][0]
    rot = ctl_json(stack, "oidc", "key", "rotate")
    assert rot["current_kid"] == nxt
    after = id_token_for(stack, conf, aid)
    claims, header = verify_id_token(stack, after, conf["client_id"])
    assert header["kid"] == nxt
    # The old key is still published: tokens it signed still verify.
    verify_id_token(stack, before, conf["client_id"])
    _, raw = keyset(stack)
    kids = [k["kid"] for k in raw["keys"]]
    assert old_kid in kids and nxt in kids and len(kids) >= 3
    keys = {k["kid"]: k for k in ctl_json(stack, "oidc", "key", "list")}
    assert keys[old_kid]["state"] == "retired" and keys[old_kid]["retire_after"]
    # Past retire_after the daily job deletes it and the JWKS drops it.
    stack.sql("UPDATE oidc_keys SET retire_after = NOW(6) - INTERVAL 1 SECOND"
              f" WHERE kid = '{old_kid}'")
    run = ctl_json(stack, "lifecycle", "run")
    assert run["oidc_keys_deleted"] >= 1
    _, raw = keyset(stack)
    assert old_kid not in [k["kid"] for k in raw["keys"]]
    # Automatic rotation after OIDC.KeyRotationDays (90 by default).
    stack.sql("UPDATE oidc_keys SET activated_at = NOW(6) - INTERVAL 91 DAY"
              " WHERE state = 'current'")
    run = ctl_json(stack, "lifecycle", "run")
    assert run["oidc_key_rotated"] is True
    keys = {k["kid"]: k["state"] for k in ctl_json(stack, "oidc", "key", "list")}
    assert keys[nxt] == "retired"


def test_lifecycle_purges_codes_and_tokens(stack, ins, conf):
    _, aid, _ = make_member(stack, ins)
    code = make_code(stack, conf, aid, expires=-3600)
    h = hashlib.sha256(code.encode()).hexdigest()
    c2 = make_code(stack, conf, aid)
    at = json.loads(exchange(stack, conf, c2).text)["access_token"]
    th = hashlib.sha256(at.encode()).hexdigest()
    stack.sql(f"UPDATE oidc_tokens SET revoked_at = NOW(6) WHERE token_hash = '{th}'")
    run = ctl_json(stack, "lifecycle", "run")
    assert run["oidc_codes_deleted"] >= 1 and run["oidc_tokens_deleted"] >= 1
    assert stack.sql(f"SELECT 1 FROM oidc_codes WHERE code_hash = '{h}'") == []
    assert stack.sql(f"SELECT 1 FROM oidc_tokens WHERE token_hash = '{th}'") == []


def test_rekey_covers_signing_keys(stack, ins, conf, tmp_path):
    """A master key rotation (docs/operations.md §5) rewraps the signing keys
    too; the keys then still sign with the new master key."""
    from test_vault import ctl_with
    old = stack.master_key
    new = os.urandom(32).hex()
    both = {"Verify.MasterKey": new, "Verify.OldMasterKeys": old}
    try:
        r = ctl_with(stack, tmp_path, "new", both, "verify", "rekey")
        assert r.returncode == 0, r.stdout + r.stderr
        r = ctl_with(stack, tmp_path, "new", both, "verify", "status")
        assert "oidc_keys" in r.stdout
        ids = {k for (k,) in stack.sql("SELECT DISTINCT key_id FROM oidc_keys")}
        assert len(ids) == 1
        # Opened with the new key alone: a rotation by kenpoctl succeeds.
        r = ctl_with(stack, tmp_path, "newonly", {"Verify.MasterKey": new},
                     "oidc", "key", "rotate")
        assert r.returncode == 0, r.stdout + r.stderr
        assert old not in r.stdout + r.stderr and new not in r.stdout + r.stderr
    finally:
        ctl_with(stack, tmp_path, "back", {"Verify.MasterKey": old,
                                           "Verify.OldMasterKeys": new}, "verify", "rekey")
    _, aid, _ = make_member(stack, ins)
    claims, _ = verify_id_token(stack, id_token_for(stack, conf, aid), conf["client_id"])
    assert claims["sub"]


# ---- logs

def test_nothing_secret_in_logs(stack, ins):
    cl = add_client(stack, name="ログ確認")
    _, aid, _ = make_member(stack, ins)
    code = make_code(stack, cl, aid)
    r = exchange(stack, cl, code)
    assert r.status == 200
    at = json.loads(r.text)["access_token"]
    userinfo(stack, at)
    exchange(stack, cl, code)                       # reuse: logged as such
    token_post(stack, {"grant_type": "authorization_code", "code": code,
                       "redirect_uri": REDIRECT}, auth=(cl["client_id"], "bad" + cl["client_secret"]))
    time.sleep(0.5)
    texts = []
    for path in glob.glob(os.path.join(stack.dir, "**", "*.log"), recursive=True):
        with open(path, "rb") as f:
            texts.append(f.read().decode("utf-8", "replace"))
    blob = "\n".join(texts)
    assert blob, "no logs found"
    for secret in (cl["client_secret"], code, at):
        assert secret not in blob


def test_without_master_key(stack, ins, conf):
    """No Verify.MasterKey: the provider cannot sign. Discovery and the token
    endpoint answer a clear 503 JSON error and log why; a code is not spent."""
    fe = stack.frontend(config={"Verify.MasterKey": ""})
    try:
        c = fe.client()
        r = c.get("/.well-known/openid-configuration")
        assert r.status == 503
        assert json.loads(r.text)["error"] == "temporarily_unavailable"
        _, aid, _ = make_member(stack, ins)
        code = make_code(stack, conf, aid)
        r = c.post("/oidc/token", {"grant_type": "authorization_code", "code": code,
                                   "redirect_uri": REDIRECT, "client_id": conf["client_id"],
                                   "client_secret": conf["client_secret"]}, origin=None)
        assert r.status == 503, r.text
        assert json.loads(r.text)["error"] == "temporarily_unavailable"
        assert any("Verify.MasterKey is not set" in line for line in fe.log_lines())
        # The main frontend, with its key, still redeems the code.
        assert exchange(stack, conf, code).status == 200
    finally:
        stack.stop_frontend(fe)


def test_lazy_keys_race(stack, ins, conf):
    """With no key at all, workers that need one at the same moment create
    exactly one current and one next key (the unique live_state, 0019)."""
    import threading
    stack.sql("DELETE FROM oidc_keys")
    results = []

    def hit():
        results.append(stack.client().get("/oidc/jwks").status)
    threads = [threading.Thread(target=hit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 8
    rows = stack.sql("SELECT state, COUNT(*) FROM oidc_keys GROUP BY state ORDER BY state")
    assert rows == [("next", "1"), ("current", "1")] or \
        sorted(rows) == [("current", "1"), ("next", "1")]
    # And they sign: the new current key's ID token verifies.
    _, aid, _ = make_member(stack, ins)
    verify_id_token(stack, id_token_for(stack, conf, aid), conf["client_id"])
