"""
Issue 15, checked with relying-party code the project did not write: Debian's
python3-authlib (1.2) runs the authorization-code flow against the real stack
(discovery, PKCE S256, client_secret_basic and client_secret_post, the token
exchange, userinfo) and validates the ID token (signature against the JWKS,
iss, aud, nonce, exp, iat, auth_time) with its own OIDC claim rules; jwcrypto
checks the signature a second time. The member's side (login, consent,
step-up) is driven over HTTP like a browser would.

The tests are named after the modules of the OpenID Foundation's Basic OP
certification plan they stand for (oidcc-basic-certification-test-plan; the
mapping is in docs/oidc.md).
"""
import json
import re
import time
import urllib.parse

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt
from authlib.jose.errors import JoseError
from authlib.oidc.core import CodeIDToken
from jwcrypto import jwk as jc_jwk
from jwcrypto import jws as jc_jws

from conftest import csrf, form_fields
from test_member import PASSWORD, login, make_member, new_insurer

REDIRECT = "https://rp.example.jp/cb"
ACR_INSURER = "urn:kenpo:acr:insurer"
ACR_IDENTITY = "urn:kenpo:acr:identity"
ACR_SENSITIVE = "urn:kenpo:acr:sensitive"


def register(stack, name, redirect=REDIRECT, public=False, min_acr=None,
             logout=None):
    args = ["client", "add", name, "--redirect-uri", redirect]
    if logout:
        args += ["--logout-uri", logout]
    if public:
        args.append("--public")
    if min_acr:
        args += ["--min-acr", min_acr]
    r = stack.ctl(*args, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def ins(stack):
    return new_insurer(stack, "連携テスト健康保険組合")


@pytest.fixture(scope="module")
def meta(stack):
    r = requests.get(stack.base_url + "/.well-known/openid-configuration",
                     timeout=30)
    assert r.status_code == 200
    return r.json()


@pytest.fixture(scope="module")
def conf_client(stack):
    return register(stack, "健診結果ビューア")


def rp(client, meta, **kw):
    """An authlib OAuth2Session for client (a dict from `client add --json`)."""
    return OAuth2Session(client["client_id"], client.get("client_secret"),
                         scope=kw.pop("scope", "openid email profile kenpo"),
                         redirect_uri=kw.pop("redirect_uri", REDIRECT),
                         code_challenge_method="S256", **kw)


def local(url, stack):
    """The path+query of one of the provider's own URLs."""
    assert url.startswith(stack.base_url) or url.startswith("/"), url
    u = urllib.parse.urlsplit(url)
    return u.path + ("?" + u.query if u.query else "")


def form_of(page, form_id):
    """(action, fields) of the form with id form_id on page."""
    m = re.search(r'<form[^>]*action="([^"]+)"[^>]*id="%s"(.*?)</form>' % form_id,
                  page.text, re.S)
    assert m, f"no form #{form_id} on the page"
    return m.group(1).replace("&amp;", "&"), form_fields(m.group(0))


def drive(stack, c, url, consent=True, limit=12):
    """Follow the browser's way from an authorization URL through the
    provider's pages (consent allowed when asked) until it leaves for the
    redirect URI; returns that URL (or the last page if it never leaves)."""
    return follow(stack, c, c.get(local(url, stack)), consent, limit)


def follow(stack, c, r, consent=True, limit=12):
    """drive() from a response."""
    for _ in range(limit):
        if r.status in (302, 303):
            loc = r.location
            if loc.startswith(REDIRECT.split("/cb")[0]) or not (
                    loc.startswith("/") or loc.startswith(stack.base_url)):
                return loc
            r = c.get(local(loc, stack))
            continue
        if r.status == 200 and consent and 'id="oidc-consent-form"' in r.text:
            action, d = form_of(r, "oidc-consent-form")
            d["decision"] = "allow"
            r = c.post(action, d)
            consent = False
            continue
        return r
    raise AssertionError("too many hops")


def verify_id_token(stack, meta, client, token, nonce):
    jwks = requests.get(meta["jwks_uri"], timeout=30).json()
    claims = jwt.decode(token["id_token"], JsonWebKey.import_key_set(jwks),
                        claims_cls=CodeIDToken,
                        claims_options={"iss": {"essential": True,
                                                "value": meta["issuer"]}},
                        claims_params={"nonce": nonce,
                                       "client_id": client["client_id"],
                                       "access_token": token["access_token"]})
    claims.validate(leeway=5)
    # A second, independent library checks the same signature.
    ks = jc_jwk.JWKSet.from_json(json.dumps(jwks))
    obj = jc_jws.JWS()
    obj.deserialize(token["id_token"])
    # jwcrypto 1.1 (Debian 12) verifies with one JWK, not a set: by kid.
    obj.verify(ks.get_key(obj.jose_header["kid"]))
    assert obj.jose_header["alg"] == "ES256"
    return claims


def code_flow(stack, meta, client, c, nonce=None, extra=None, **kw):
    """authorization URL → member pages → code → token (by authlib)."""
    s = rp(client, meta, **kw)
    verifier = generate_token(64)
    nonce = nonce or generate_token(20)
    params = {"nonce": nonce, "code_verifier": verifier}
    params.update(extra or {})
    url, state = s.create_authorization_url(meta["authorization_endpoint"],
                                            **params)
    back = drive(stack, c, url)
    assert isinstance(back, str), (back.status, back.text[:800])
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(back).query))
    assert q.get("state") == state
    assert q.get("iss") == meta["issuer"]
    if "error" in q:
        return q, None, nonce
    token = s.fetch_token(meta["token_endpoint"], authorization_response=back,
                          code_verifier=verifier)
    return q, token, nonce


# -- oidcc-server, OP-IDToken-Signature/kid, OP-nonce-code, userinfo ------------

def test_code_flow_pkce_id_token_and_userinfo(stack, meta, conf_client, ins):
    email, aid, _ = make_member(stack, ins)
    c = login(stack, email)
    before = int(time.time()) - 2
    q, token, nonce = code_flow(stack, meta, conf_client, c)
    assert token["token_type"].lower() == "bearer"
    claims = verify_id_token(stack, meta, conf_client, token, nonce)
    assert claims["acr"] == ACR_IDENTITY            # her level: 本人確認 (2)
    assert before - 60 <= claims["auth_time"] <= int(time.time()) + 2
    assert "pwd" in claims["amr"]
    assert claims["aud"] == conf_client["client_id"] or \
        conf_client["client_id"] in claims["aud"]
    hdr = json.loads(jc_jws.base64url_decode(
        token["id_token"].split(".")[0]).decode())
    assert hdr["kid"] in {k["kid"] for k in
                          requests.get(meta["jwks_uri"], timeout=30).json()["keys"]}

    s = rp(conf_client, meta, token=token)
    ui = s.get(meta["userinfo_endpoint"]).json()      # oidcc-userinfo-get
    assert ui["sub"] == claims["sub"]
    assert ui["email"] == email and ui["email_verified"] is True
    assert ui["kenpo_level"] == 2
    # oidcc-userinfo-post-header
    r = requests.post(meta["userinfo_endpoint"], timeout=30, headers={
        "Authorization": "Bearer " + token["access_token"]})
    assert r.status_code == 200 and r.json()["sub"] == claims["sub"]
    # oidcc-userinfo-post-body: the token in a form body (RFC 6750 §2.2, a
    # MAY) is not taken: a clean 401 that asks for the header.
    r = requests.post(meta["userinfo_endpoint"], timeout=30,
                      data={"access_token": token["access_token"]})
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Bearer")


def test_pairwise_sub_differs_between_clients(stack, meta, ins):
    a = register(stack, "ポイントショップ")
    b = register(stack, "健保ポータル")
    email, _, _ = make_member(stack, ins)
    c = login(stack, email)
    subs = []
    for cl in (a, b, a):
        _, token, nonce = code_flow(stack, meta, cl, c)
        subs.append(verify_id_token(stack, meta, cl, token, nonce)["sub"])
    assert subs[0] == subs[2]          # stable at one service
    assert subs[0] != subs[1]          # not correlatable across services


def test_public_client_pkce_and_secret_post(stack, meta, ins):
    pub = register(stack, "スマホアプリ", public=True)
    assert not pub.get("client_secret")
    email, _, _ = make_member(stack, ins)
    c = login(stack, email)
    _, token, nonce = code_flow(stack, meta, pub, c,
                                token_endpoint_auth_method="none")
    verify_id_token(stack, meta, pub, token, nonce)
    conf = register(stack, "POST認証のサービス")     # oidcc-server-client-secret-post
    _, token, nonce = code_flow(stack, meta, conf, c,
                                token_endpoint_auth_method="client_secret_post")
    verify_id_token(stack, meta, conf, token, nonce)


def test_codereuse_revokes_tokens(stack, meta, conf_client, ins):
    """oidcc-codereuse: the second exchange fails and the first token dies."""
    email, _, _ = make_member(stack, ins)
    c = login(stack, email)
    s = rp(conf_client, meta)
    verifier = generate_token(64)
    url, state = s.create_authorization_url(meta["authorization_endpoint"],
                                            nonce="n1", code_verifier=verifier)
    back = drive(stack, c, url)
    token = s.fetch_token(meta["token_endpoint"], authorization_response=back,
                          code_verifier=verifier)
    with pytest.raises(Exception) as e:
        rp(conf_client, meta).fetch_token(meta["token_endpoint"],
                                          authorization_response=back,
                                          code_verifier=verifier)
    assert "invalid_grant" in str(e.value)
    r = requests.get(meta["userinfo_endpoint"], timeout=30, headers={
        "Authorization": "Bearer " + token["access_token"]})
    assert r.status_code == 401
    assert "invalid_token" in r.headers.get("WWW-Authenticate", "")


# -- the levels as acr ------------------------------------------------------------

def unmet_page_then_error(stack, c, url):
    """The member sees a page that says how to get the level; its way back
    gives the client unmet_authentication_requirements."""
    r = drive(stack, c, url, consent=True)
    assert not isinstance(r, str), r
    assert r.status == 200
    assert "/verify" in r.text or "/account/verify" in r.text
    action, d = form_of(r, "oidc-unmet-form")
    d["decision"] = "back"
    back = follow(stack, c, c.post(action, d))
    assert isinstance(back, str), back
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(back).query))
    assert q["error"] == "unmet_authentication_requirements"
    return q


def test_essential_sensitive_unmet_for_level2(stack, meta, conf_client, ins):
    email, _, _ = make_member(stack, ins)
    c = login(stack, email)
    s = rp(conf_client, meta)
    claims = json.dumps({"id_token": {"acr": {"essential": True,
                                              "values": [ACR_SENSITIVE]}}})
    url, _ = s.create_authorization_url(meta["authorization_endpoint"],
                                        nonce="n", code_verifier=generate_token(64),
                                        claims=claims)
    unmet_page_then_error(stack, c, url)


def test_min_acr_client_unmet_and_prompt_none(stack, meta, ins):
    strict = register(stack, "処方箋サービス", min_acr=ACR_SENSITIVE)
    email, _, _ = make_member(stack, ins)
    c = login(stack, email)
    s = rp(strict, meta)
    url, _ = s.create_authorization_url(meta["authorization_endpoint"], nonce="n",
                                        code_verifier=generate_token(64),
                                        prompt="none")
    back = drive(stack, c, url)
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(back).query))
    assert q["error"] == "unmet_authentication_requirements"


# -- OIDF basic plan: request handling ------------------------------------------------

def test_prompt_none_not_logged_in(stack, meta, conf_client):
    """oidcc-prompt-none-not-logged-in"""
    c = stack.client()
    s = rp(conf_client, meta)
    url, state = s.create_authorization_url(meta["authorization_endpoint"], nonce="n",
                                            code_verifier=generate_token(64),
                                            prompt="none")
    back = drive(stack, c, url)
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(back).query))
    assert q["error"] == "login_required" and q["state"] == state


def test_prompt_none_logged_in_and_unknown_parameters(stack, meta, conf_client, ins):
    """oidcc-prompt-none-logged-in, -ensure-request-with-unknown-parameter-succeeds,
    -login-hint, -ui-locales, -claims-locales, -display-page/-popup,
    -ensure-request-with-acr-values-succeeds, -ensure-other-scope-order-succeeds,
    -ensure-request-without-nonce-succeeds-for-code-flow"""
    email, _, _ = make_member(stack, ins)
    c = login(stack, email)
    _, token, nonce = code_flow(stack, meta, conf_client, c)     # consent given
    for extra in ({"prompt": "none"}, {"extra_thing": "1"}, {"login_hint": email},
                  {"ui_locales": "ja en"}, {"claims_locales": "ja"},
                  {"display": "page"}, {"display": "popup"},
                  {"acr_values": ACR_INSURER + " " + ACR_IDENTITY}):
        q, token, nonce = code_flow(stack, meta, conf_client, c, extra=extra)
        assert "error" not in q, (extra, q)
        verify_id_token(stack, meta, conf_client, token, nonce)
    _, token, nonce = code_flow(stack, meta, conf_client, c,
                                scope="kenpo email openid profile")
    assert "error" not in token
    # oidcc-id-token-hint: her own ID token as the hint, with prompt=none.
    q, token2, nonce = code_flow(stack, meta, conf_client, c, extra={
        "prompt": "none", "id_token_hint": token["id_token"]})
    assert "error" not in q, q
    verify_id_token(stack, meta, conf_client, token2, nonce)
    # oidcc-claims-essential: a userinfo claim asked as essential is no error.
    q, token2, nonce = code_flow(stack, meta, conf_client, c, extra={
        "claims": json.dumps({"userinfo": {"name": {"essential": True}}})})
    assert "error" not in q, q
    # oidcc-scope-address, -phone, -all: scopes kenpo does not offer are
    # ignored (no such claims are held), never an error.
    for scope in ("openid address", "openid phone",
                  "openid profile email address phone kenpo"):
        q, token2, nonce = code_flow(stack, meta, conf_client, c, scope=scope)
        assert "error" not in q, (scope, q)
        ui = requests.get(meta["userinfo_endpoint"], timeout=30, headers={
            "Authorization": "Bearer " + token2["access_token"]}).json()
        assert "address" not in ui and "phone_number" not in ui
    # Without a nonce the code flow still works (and the token has none).
    s = rp(conf_client, meta)
    verifier = generate_token(64)
    url, _ = s.create_authorization_url(meta["authorization_endpoint"],
                                        code_verifier=verifier)
    back = drive(stack, c, url)
    token = s.fetch_token(meta["token_endpoint"], authorization_response=back,
                          code_verifier=verifier)
    assert "nonce" not in jwt.decode(token["id_token"], JsonWebKey.import_key_set(
        requests.get(meta["jwks_uri"], timeout=30).json()))


def test_prompt_login_and_max_age_reauthenticate(stack, meta, conf_client, ins):
    """oidcc-prompt-login, oidcc-max-age-1, oidcc-max-age-10000: a fresh
    password is asked (and only that), and auth_time moves forward."""
    email, _, _ = make_member(stack, ins)
    c = login(stack, email)
    _, token, nonce = code_flow(stack, meta, conf_client, c)
    t0 = verify_id_token(stack, meta, conf_client, token, nonce)["auth_time"]
    _, token, nonce = code_flow(stack, meta, conf_client, c,
                                extra={"max_age": "10000"})
    assert verify_id_token(stack, meta, conf_client, token, nonce)["auth_time"] == t0
    for extra in ({"prompt": "login"}, {"max_age": "1"}):
        time.sleep(2)       # so that max_age=1 finds the last login too old
        s = rp(conf_client, meta)
        verifier = generate_token(64)
        url, _ = s.create_authorization_url(meta["authorization_endpoint"],
                                            nonce="nn", code_verifier=verifier,
                                            **extra)
        r = drive(stack, c, url)
        assert not isinstance(r, str), "no re-authentication was asked"
        assert r.status == 200 and 'name="password"' in r.text
        assert 'name="email"' not in r.text    # only the missing factor
        action, d = form_of(r, "oidc-reauth-form")
        d["password"] = PASSWORD
        back = follow(stack, c, c.post(action, d))
        assert isinstance(back, str), back
        token = s.fetch_token(meta["token_endpoint"], authorization_response=back,
                              code_verifier=verifier)
        claims = verify_id_token(stack, meta, conf_client, token, "nn")
        assert claims["auth_time"] > t0
        t0 = claims["auth_time"]


def test_registered_redirect_uri_and_post_request(stack, meta, conf_client, ins):
    """oidcc-ensure-registered-redirect-uri: no redirect to an unregistered URI;
    oidcc-ensure-post-request-succeeds: the request as a form POST."""
    email, _, _ = make_member(stack, ins)
    c = login(stack, email)
    for bad in ("https://rp.example.jp/cb/", "https://RP.example.jp/cb",
                "https://rp.example.jp/cb?x=1", "http://rp.example.jp/cb",
                "https://rp.example.jp/cb#f", "https://rp.example.jp/c%62",
                "https://evil.example/cb"):
        r = c.get("/oidc/authorize", params={
            "client_id": conf_client["client_id"], "redirect_uri": bad,
            "response_type": "code", "scope": "openid", "state": "s",
            "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "code_challenge_method": "S256"})
        assert r.status == 400, (bad, r.status, r.location)
        assert r.location is None
    s = rp(conf_client, meta)
    verifier = generate_token(64)
    url, state = s.create_authorization_url(meta["authorization_endpoint"],
                                            nonce="p", code_verifier=verifier)
    query = urllib.parse.urlsplit(url).query
    back = follow(stack, c, c.post("/oidc/authorize", raw=query.encode()))
    assert isinstance(back, str) and back.startswith(REDIRECT), back
    token = s.fetch_token(meta["token_endpoint"], authorization_response=back,
                          code_verifier=verifier)
    verify_id_token(stack, meta, conf_client, token, "p")


def test_request_objects_refused_and_response_type_missing(stack, meta, conf_client, ins):
    """oidcc-unsigned-request-object-…-rejected-as-unsupported,
    oidcc-request-uri-unsigned-…, oidcc-response-type-missing"""
    email, _, _ = make_member(stack, ins)
    c = login(stack, email)
    base = {"client_id": conf_client["client_id"], "redirect_uri": REDIRECT,
            "scope": "openid", "state": "s1",
            "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "code_challenge_method": "S256"}
    for extra, err in (({"response_type": "code", "request": "eyJhbGciOiJub25lIn0.e30."},
                        "request_not_supported"),
                       ({"response_type": "code", "request_uri": "https://rp.example.jp/r"},
                        "request_uri_not_supported"),
                       ({}, "invalid_request"),
                       ({"response_type": "token"}, "unsupported_response_type")):
        r = c.get("/oidc/authorize", params=base | extra)
        assert r.status in (302, 303), (extra, r.status)
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(r.location).query))
        assert q["error"] == err and q["state"] == "s1", (extra, q)


def test_discovery_document(meta, stack):
    assert meta["issuer"] == stack.base_url
    for k in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint",
              "jwks_uri", "end_session_endpoint"):
        assert meta[k].startswith(stack.base_url + "/"), k
    assert meta["id_token_signing_alg_values_supported"] == ["ES256"]
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert set(meta["acr_values_supported"]) == {ACR_INSURER, ACR_IDENTITY,
                                                 ACR_SENSITIVE}
    assert meta["subject_types_supported"] == ["pairwise"]
    assert "none" not in meta["id_token_signing_alg_values_supported"]


def test_sensitive_level_aged_asks_only_the_missing_factor(stack, meta, conf_client):
    """Acceptance: a verified member (level 3) whose step-up has aged is asked
    only the step-up (her secret question), not her password; the new acr is
    sensitive, amr says kba, and auth_time still names her login."""
    from test_sensitive import health_insurer, verified_member
    stack.require_demo()
    hins = health_insurer(stack, "連携健診健康保険組合", "https://kenshin.example.jp/m")
    email, aid, c = verified_member(stack, hins, "はじめてのねこ")
    _, token, nonce = code_flow(stack, meta, conf_client, c)
    first = verify_id_token(stack, meta, conf_client, token, nonce)
    assert first["acr"] == ACR_IDENTITY        # level 3, but no step-up yet

    essential = json.dumps({"id_token": {"acr": {"essential": True,
                                                 "values": [ACR_SENSITIVE]}}})
    for round_ in range(2):
        s = rp(conf_client, meta)
        verifier = generate_token(64)
        url, _ = s.create_authorization_url(meta["authorization_endpoint"],
                                            nonce="sn", code_verifier=verifier,
                                            claims=essential)
        r = drive(stack, c, url)
        assert not isinstance(r, str), "no step-up was asked"
        assert r.status == 200
        assert 'name="answer"' in r.text          # the secret question…
        assert 'name="password"' not in r.text     # …and not the password
        action = "/sensitive/stepup"
        fields = form_fields(r.text)
        fields["answer"] = "はじめてのねこ"
        r2 = c.submit(r, action, fields)
        assert r2.status == 303, r2.text[:500]
        back = drive(stack, c, r2.location)
        assert isinstance(back, str), back
        token = s.fetch_token(meta["token_endpoint"], authorization_response=back,
                              code_verifier=verifier)
        claims = verify_id_token(stack, meta, conf_client, token, "sn")
        assert claims["acr"] == ACR_SENSITIVE
        assert "kba" in claims["amr"] and "pwd" in claims["amr"]
        assert claims["auth_time"] == first["auth_time"]
        # The level ages: the step-up is older than OIDC.MaxAge.Sensitive.
        stack.sql("UPDATE sessions SET stepup_at = NOW(6) - INTERVAL 20 MINUTE"
                  f" WHERE account_id = {aid}")
