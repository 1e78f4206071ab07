"""
Issue 15, members' passkeys (WebAuthn Level 2; docs/mfa.md "Passkeys"): adding
one in the account settings (with the password), a passwordless login, the
step-up, removal, and what a hostile client can try against the ceremony
endpoints.

The authenticator is written here (class Authenticator): an ES256 key from
python3-cryptography, a minimal CBOR encoder, the authenticator data and
clientDataJSON built by hand, so that each field can be made wrong on purpose.
The stack serves on http://localhost:PORT (a WebAuthn RP ID cannot be an IP
address): a frontend of its own with host="localhost".
"""
import base64
import hashlib
import html
import json
import os
import re
import struct
import subprocess

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from test_member import PASSWORD, login, make_member, new_insurer


# ------------------------------------------------------------------ CBOR, b64url
def cbor(v):
    def head(major, n):
        if n < 24:
            return bytes([major << 5 | n])
        for ai, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
            if n < 1 << (8 * struct.calcsize(fmt)):
                return bytes([major << 5 | ai]) + struct.pack(fmt, n)
        raise ValueError(n)
    if isinstance(v, bool):
        return b"\xf5" if v else b"\xf4"
    if isinstance(v, int):
        return head(0, v) if v >= 0 else head(1, -1 - v)
    if isinstance(v, bytes):
        return head(2, len(v)) + v
    if isinstance(v, str):
        b = v.encode()
        return head(3, len(b)) + b
    if isinstance(v, list):
        return head(4, len(v)) + b"".join(cbor(x) for x in v)
    if isinstance(v, dict):
        return head(5, len(v)) + b"".join(cbor(k) + cbor(x) for k, x in v.items())
    raise TypeError(v)


def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def unb64(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


UP, UV, BE, BS, AT = 0x01, 0x04, 0x08, 0x10, 0x40


class Authenticator:
    """One discoverable ES256 credential, as a platform authenticator keeps it."""

    def __init__(self, rp_id):
        self.rp_id = rp_id
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.cred_id = os.urandom(32)
        self.count = 0
        self.user = None

    def cose(self):
        n = self.key.public_key().public_numbers()
        return cbor({1: 2, 3: -7, -1: 1, -2: n.x.to_bytes(32, "big"),
                     -3: n.y.to_bytes(32, "big")})

    def authdata(self, flags=UP | UV, count=None, rp_id=None, attested=False):
        ad = hashlib.sha256((rp_id or self.rp_id).encode()).digest()
        ad += bytes([flags | (AT if attested else 0)])
        ad += struct.pack(">I", self.count if count is None else count)
        if attested:
            ad += b"\0" * 16 + struct.pack(">H", len(self.cred_id)) + self.cred_id
            ad += self.cose()
        return ad

    @staticmethod
    def client_data(typ, challenge, origin, **extra):
        d = {"type": typ, "challenge": challenge, "origin": origin, "crossOrigin": False}
        d.update(extra)
        return json.dumps(d).encode()

    def create(self, options, origin, typ="webauthn.create", flags=UP | UV,
               rp_id=None, challenge=None):
        self.user = unb64(options["user"]["id"])
        cdj = self.client_data(typ, challenge or options["challenge"], origin)
        att = cbor({"fmt": "none", "attStmt": {},
                    "authData": self.authdata(flags, rp_id=rp_id, attested=True)})
        return {"id": b64(self.cred_id), "rawId": b64(self.cred_id), "type": "public-key",
                "response": {"clientDataJSON": b64(cdj), "attestationObject": b64(att)}}

    def get(self, challenge, origin, typ="webauthn.get", flags=UP | UV, rp_id=None,
            count=None, user=True, sign_with=None, cdj_extra=None):
        if count is None:
            self.count += 1
            count = self.count
        ad = self.authdata(flags, count=count, rp_id=rp_id)
        cdj = self.client_data(typ, challenge, origin, **(cdj_extra or {}))
        sig = (sign_with or self.key).sign(ad + hashlib.sha256(cdj).digest(),
                                           ec.ECDSA(hashes.SHA256()))
        resp = {"clientDataJSON": b64(cdj), "authenticatorData": b64(ad),
                "signature": b64(sig),
                "userHandle": b64(self.user) if user and self.user else None}
        return {"id": b64(self.cred_id), "rawId": b64(self.cred_id), "type": "public-key",
                "response": resp}


class EdAuthenticator(Authenticator):
    """The same with an Ed25519 key (COSE -8)."""

    def __init__(self, rp_id):
        super().__init__(rp_id)
        self.key = ed25519.Ed25519PrivateKey.generate()

    def cose(self):
        raw = self.key.public_key().public_bytes(serialization.Encoding.Raw,
                                                 serialization.PublicFormat.Raw)
        return cbor({1: 1, 3: -8, -1: 6, -2: raw})

    def get(self, challenge, origin, **kw):
        count = kw.pop("count", None)
        if count is None:
            self.count += 1
            count = self.count
        ad = self.authdata(kw.get("flags", UP | UV), count=count)
        cdj = self.client_data("webauthn.get", challenge, origin)
        sig = self.key.sign(ad + hashlib.sha256(cdj).digest())
        return {"id": b64(self.cred_id), "rawId": b64(self.cred_id), "type": "public-key",
                "response": {"clientDataJSON": b64(cdj), "authenticatorData": b64(ad),
                             "signature": b64(sig), "userHandle": b64(self.user)}}


# ------------------------------------------------------------------ stack helpers
@pytest.fixture(scope="module")
def fe(stack):
    f = stack.frontend(host="localhost")
    yield f
    stack.stop_frontend(f)


@pytest.fixture(scope="module")
def ins(stack):
    return new_insurer(stack, "パスキー健康保険組合")


@pytest.fixture(autouse=True)
def fresh_throttle(stack):
    """Every test posts from 127.0.0.1: start each with no passkey failures
    counted for it (test_throttled counts its own)."""
    stack.sql("DELETE FROM throttle WHERE k LIKE 'passkey:%'")


def post_json(c, path, body, token, origin="", raw=None):
    data = raw if raw is not None else json.dumps(body).encode()
    return c.post(path, raw=data, content_type="application/json",
                  headers={"X-CSRF-Token": token}, origin=origin)


def page_csrf(page):
    m = re.search(r'name="csrf" value="([^"]+)"', page.text) or \
        re.search(r'data-csrf="([^"]+)"', page.text)
    return m.group(1)


def add_options(c, password=PASSWORD, name="テスト端末"):
    page = c.get("/account/security/passkeys")
    assert page.status == 200, page.status
    r = c.submit(page, "/account/security/passkeys",
                 {"action": "add", "password": password, "name": name})
    return r


def register(fe, c, auth, name="テスト端末"):
    r = add_options(c, name=name)
    assert r.status == 200 and 'data-passkey="register"' in r.text, r.text[:500]
    opts = json.loads(html.unescape(re.search(r'data-options-json="([^"]*)"', r.text).group(1)))
    body = auth.create(opts, fe.base_url)
    body["name"] = name
    return opts, post_json(c, "/account/security/passkeys/register", body, page_csrf(r))


def login_options(fe, c=None):
    c = c or fe.client()
    page = c.get("/login")
    assert page.status == 200
    tok = page_csrf(page)
    r = post_json(c, "/login/passkey/options", {}, tok)
    assert r.status == 200, r.text[:300]
    pk = json.loads(r.text)["publicKey"]
    return c, tok, pk


def member_with_passkey(stack, fe, ins):
    email, aid, _ = make_member(stack, ins)
    c = login(stack, email, client=fe.client())
    auth = Authenticator("localhost")
    _, r = register(fe, c, auth)
    assert r.status == 200, r.text[:300]
    return email, aid, auth


def events(stack, aid):
    return [e for (e,) in stack.sql(f"SELECT event FROM audit WHERE account_id = {aid}"
                                    " ORDER BY id")]


# ------------------------------------------------------------------ tests
def test_register_login_without_password_and_remove(stack, fe, ins):
    email, aid, _ = make_member(stack, ins)
    c = login(stack, email, client=fe.client())
    acct = c.get("/account")
    assert 'href="/account/security/passkeys"' in acct.text
    page = c.get("/account/security/passkeys")
    assert "登録されているパスキーはありません" in page.text

    auth = Authenticator("localhost")
    opts, r = register(fe, c, auth, name="会社のPC")
    assert opts["rp"]["id"] == "localhost"
    assert opts["authenticatorSelection"]["residentKey"] == "required"
    assert opts["authenticatorSelection"]["userVerification"] == "required"
    assert opts["attestation"] == "none"
    # The user handle: 32 random bytes, never her id or address.
    assert len(unb64(opts["user"]["id"])) == 32
    assert str(aid).encode() != unb64(opts["user"]["id"])
    assert r.status == 200 and json.loads(r.text)["location"].endswith("done=added")
    assert r.headers["Content-Type"].startswith("application/json")
    rows = stack.sql(f"SELECT name, alg, sign_count, LENGTH(public_key) FROM passkeys"
                     f" WHERE account_id = {aid}")
    assert rows == [("会社のPC", "-7", "0", "64")]
    m = stack.wait_mail(email, subject="パスキーを登録しました")
    assert "会社のPC" in m.body
    assert "passkey.add" in events(stack, aid)
    page = c.get("/account/security/passkeys?done=added")
    assert "会社のPC" in page.text and "パスキーを登録しました" in page.text
    # Her data download lists it (name and dates; never the key or its id).
    page = c.get("/account/export")
    r = c.submit(page, "/account/export", {"format": "json", "current_password": PASSWORD})
    doc = json.loads(r.raw.decode("utf-8"))
    assert [(p["name"], p["last_used_at"], p["synced"]) for p in doc["passkeys"]] == \
        [("会社のPC", None, False)]
    assert b64(auth.cred_id) not in r.raw.decode("utf-8")

    # Excluded next time: the options list it.
    r = add_options(c)
    opts2 = json.loads(html.unescape(re.search(r'data-options-json="([^"]*)"', r.text).group(1)))
    assert [x["id"] for x in opts2["excludeCredentials"]] == [b64(auth.cred_id)]

    # Log in with it, no password, in a new browser.
    lc, tok, pk = login_options(fe)
    assert pk["allowCredentials"] == [] and pk["rpId"] == "localhost"
    assert pk["userVerification"] == "required"
    body = auth.get(pk["challenge"], fe.base_url)
    r = post_json(lc, "/login/passkey", body, tok)
    assert r.status == 200, r.text
    assert json.loads(r.text)["location"] == "/top"
    assert lc.get("/account").status == 200
    (amr,), = stack.sql(f"SELECT amr FROM sessions WHERE account_id = {aid}"
                        " AND amr LIKE '%hwk%' ORDER BY created_at DESC LIMIT 1")
    assert set(amr.split()) >= {"hwk", "user"}
    (kind,), = stack.sql(f"SELECT kind FROM login_history WHERE account_id = {aid}"
                         " ORDER BY id DESC LIMIT 1")
    assert kind == "passkey"
    assert "passkey.login" in events(stack, aid)
    (cnt, used), = stack.sql(f"SELECT sign_count, last_used_at IS NOT NULL FROM passkeys"
                             f" WHERE account_id = {aid}")
    assert cnt == "1" and used == "1"
    hist = lc.get("/account/logins")
    assert "パスキーでログイン" in hist.text

    # The same assertion again: its challenge is used up.
    lc2 = fe.client()
    page = lc2.get("/login")
    r = post_json(lc2, "/login/passkey", body, page_csrf(page))
    assert r.status == 400 and json.loads(r.text) == {"error": "failed"}

    # Removal needs the password.
    (pid,), = stack.sql(f"SELECT id FROM passkeys WHERE account_id = {aid}")
    page = c.get("/account/security/passkeys")
    r = c.submit(page, "/account/security/passkeys",
                 {"action": "remove", "id": pid, "password": "wrong-password-1"})
    assert r.status == 200 and "field__error" in r.text
    assert stack.sql(f"SELECT COUNT(*) FROM passkeys WHERE account_id = {aid}") == [("1",)]
    r = c.submit(page, "/account/security/passkeys", {"action": "remove", "id": pid})
    assert r.status == 200
    assert stack.sql(f"SELECT COUNT(*) FROM passkeys WHERE account_id = {aid}") == [("1",)]
    r = c.submit(page, "/account/security/passkeys",
                 {"action": "remove", "id": pid, "password": PASSWORD})
    assert r.status == 303 and r.location.endswith("done=removed")
    assert stack.sql(f"SELECT COUNT(*) FROM passkeys WHERE account_id = {aid}") == [("0",)]
    m = stack.wait_mail(email, subject="パスキーを削除しました")
    assert "会社のPC" in m.body
    assert "passkey.remove" in events(stack, aid)
    # Gone: it no longer logs in.
    lc3, tok, pk = login_options(fe)
    r = post_json(lc3, "/login/passkey", auth.get(pk["challenge"], fe.base_url), tok)
    assert r.status == 400


def test_adding_needs_the_password(stack, fe, ins):
    email, aid, _ = make_member(stack, ins)
    c = login(stack, email, client=fe.client())
    r = add_options(c, password="not-her-password-9")
    assert r.status == 200 and "data-options-json" not in r.text
    assert "field__error" in r.text
    assert stack.sql(f"SELECT COUNT(*) FROM passkey_challenges WHERE account_id = {aid}") \
        == [("0",)]
    # Without the page's challenge nothing registers.
    auth = Authenticator("localhost")
    fake = {"challenge": b64(os.urandom(32)), "user": {"id": b64(os.urandom(32))}}
    page = c.get("/account/security/passkeys")
    r = post_json(c, "/account/security/passkeys/register",
                  auth.create(fake, fe.base_url), page_csrf(page))
    assert r.status == 400
    assert stack.sql(f"SELECT COUNT(*) FROM passkeys WHERE account_id = {aid}") == [("0",)]


@pytest.mark.parametrize("case", ["origin_ip", "origin_evil", "type", "rpid", "no_up",
                                  "no_uv", "challenge_other", "wrong_key"])
def test_registration_hostile(stack, fe, ins, case):
    email, aid, _ = make_member(stack, ins)
    c = login(stack, email, client=fe.client())
    auth = Authenticator("localhost")
    r = add_options(c)
    tok = page_csrf(r)
    opts = json.loads(html.unescape(re.search(r'data-options-json="([^"]*)"', r.text).group(1)))
    origin = fe.base_url
    kw = {}
    if case == "origin_ip":
        origin = f"http://127.0.0.1:{fe.port}"
    elif case == "origin_evil":
        origin = "https://evil.example"
    elif case == "type":
        kw["typ"] = "webauthn.get"
    elif case == "rpid":
        kw["rp_id"] = "evil.example"
    elif case == "no_up":
        kw["flags"] = UV
    elif case == "no_uv":
        kw["flags"] = UP
    elif case == "challenge_other":
        kw["challenge"] = b64(os.urandom(32))
    body = auth.create(opts, origin, **kw)
    if case == "wrong_key":
        body["rawId"] = b64(os.urandom(32))
    r = post_json(c, "/account/security/passkeys/register", body, tok)
    assert r.status == 400, (case, r.status, r.text)
    assert stack.sql(f"SELECT COUNT(*) FROM passkeys WHERE account_id = {aid}") == [("0",)]


@pytest.mark.parametrize("case", ["origin_ip", "origin_evil", "cross_origin", "top_origin",
                                  "type", "rpid", "no_up", "no_uv", "unknown", "wrong_sig",
                                  "other_handle", "no_handle", "other_browser",
                                  "expired", "reused"])
def test_login_hostile(stack, fe, ins, case):
    email, aid, auth = member_with_passkey(stack, fe, ins)
    c, tok, pk = login_options(fe)
    ch = pk["challenge"]
    origin = fe.base_url
    kw = {}
    if case == "origin_ip":
        origin = f"http://127.0.0.1:{fe.port}"
    elif case == "origin_evil":
        origin = "https://evil.example"
    elif case == "cross_origin":
        kw["cdj_extra"] = {"crossOrigin": True}
    elif case == "top_origin":
        kw["cdj_extra"] = {"topOrigin": "https://evil.example"}
    elif case == "type":
        kw["typ"] = "webauthn.create"
    elif case == "rpid":
        kw["rp_id"] = "evil.example"
    elif case == "no_up":
        kw["flags"] = UV
    elif case == "no_uv":
        kw["flags"] = UP
    elif case == "wrong_sig":
        kw["sign_with"] = ec.generate_private_key(ec.SECP256R1())
    elif case == "no_handle":
        kw["user"] = False
    body = auth.get(ch, origin, **kw)
    if case == "unknown":
        body["rawId"] = body["id"] = b64(os.urandom(32))
    elif case == "other_handle":
        body["response"]["userHandle"] = b64(os.urandom(32))
    elif case == "other_browser":
        c = fe.client()
        tok = page_csrf(c.get("/login"))
    elif case == "expired":
        stack.sql("UPDATE passkey_challenges SET expires_at = NOW(6) - INTERVAL 1 SECOND"
                  f" WHERE challenge_hash = UNHEX(SHA2(FROM_BASE64("
                  f"'{base64.b64encode(unb64(ch)).decode()}'), 256))")
    elif case == "reused":
        good = auth.get(ch, origin)
        c2 = fe.client()
        c2.cookies = dict(c.cookies)
        assert post_json(c2, "/login/passkey", good, tok).status == 200
        body = auth.get(ch, origin)
    r = post_json(c, "/login/passkey", body, tok)
    assert r.status == 400, (case, r.status, r.text)
    # The same answer whatever went wrong: nothing says whether it exists.
    assert json.loads(r.text) == {"error": "failed"}
    assert "sid" not in c.cookies or case == "reused"
    if case != "unknown":
        assert "passkey.login_fail" in events(stack, aid)


def test_counter_regression_refused_audited_mailed(stack, fe, ins):
    email, aid, auth = member_with_passkey(stack, fe, ins)
    c, tok, pk = login_options(fe)
    auth.count = 10
    assert post_json(c, "/login/passkey", auth.get(pk["challenge"], fe.base_url),
                     tok).status == 200
    c, tok, pk = login_options(fe)
    r = post_json(c, "/login/passkey", auth.get(pk["challenge"], fe.base_url, count=5), tok)
    assert r.status == 400 and json.loads(r.text) == {"error": "failed"}
    assert "passkey.clone_suspected" in events(stack, aid)
    m = stack.wait_mail(email, subject="複製のおそれ")
    assert "テスト端末" in m.body
    (cnt,), = stack.sql(f"SELECT sign_count FROM passkeys WHERE account_id = {aid}")
    assert cnt == "11"
    # Zero counters (synced passkeys) are fine each time.
    email, aid, auth = member_with_passkey(stack, fe, ins)
    for _ in range(2):
        c, tok, pk = login_options(fe)
        assert post_json(c, "/login/passkey", auth.get(pk["challenge"], fe.base_url, count=0),
                         tok).status == 200


def test_malformed_and_huge_bodies(stack, fe, ins):
    email, aid, auth = member_with_passkey(stack, fe, ins)
    c, tok, pk = login_options(fe)
    good = auth.get(pk["challenge"], fe.base_url)
    bad = [b"", b"{", b"[]", b"null", b'{"type":"public-key"}', b"\xff\xfe",
           json.dumps({"type": "public-key", "rawId": "!!", "response": {}}).encode(),
           json.dumps({**good, "response": {**good["response"],
                                             "authenticatorData": b64(b"\0" * 10)}}).encode(),
           json.dumps({**good, "response": {**good["response"],
                                             "clientDataJSON": b64(b"\x80" * 50)}}).encode(),
           json.dumps({**good, "rawId": b64(os.urandom(2000))}).encode()]
    for raw in bad:
        r = post_json(c, "/login/passkey", None, tok, raw=raw)
        assert r.status == 400, (raw[:40], r.status)
    r = post_json(c, "/login/passkey", None, tok, raw=b'{"a":"' + b"x" * 20000 + b'"}')
    assert r.status == 413 and json.loads(r.text) == {"error": "too_large"}
    # Not JSON at all, and no CSRF token / another Origin.
    r = c.post("/login/passkey", raw=json.dumps(good).encode(),
               content_type="text/plain", headers={"X-CSRF-Token": tok})
    assert r.status == 400
    r = post_json(c, "/login/passkey", good, "wrong")
    assert r.status == 403 and json.loads(r.text) == {"error": "forbidden"}
    assert r.headers["Content-Type"] == "application/json"
    r = post_json(c, "/login/passkey", good, tok, origin="https://evil.example")
    assert r.status == 403 and json.loads(r.text) == {"error": "forbidden"}
    r = c.get("/login/passkey")
    assert r.status == 405
    # Registration: broken CBOR in the attestation object.
    lc = login(stack, email, client=fe.client())
    r = add_options(lc)
    tok2 = page_csrf(r)
    opts = json.loads(html.unescape(re.search(r'data-options-json="([^"]*)"', r.text).group(1)))
    a2 = Authenticator("localhost")
    body = a2.create(opts, fe.base_url)
    for att in (b"\xa3", b"\xbf" * 3000, cbor({"fmt": "none"}), cbor([1, 2, 3]),
                cbor({"fmt": "none", "attStmt": {}, "authData": b"\0" * 36})):
        body["response"]["attestationObject"] = b64(att)
        r = post_json(lc, "/account/security/passkeys/register", body, tok2)
        assert r.status == 400, (att[:10], r.status)
    assert not any(" 500 " in l for l in fe.log_lines())


def test_stepup_with_passkey(stack, fe, ins):
    from test_sensitive import apply, approve
    from test_verify import health_insurer
    stack.require_demo()
    hins = health_insurer(stack, "パスキー健診健康保険組合", "https://kenshin.example.jp/m")
    email, aid, _ = make_member(stack, hins)
    c = login(stack, email, client=fe.client())
    apply(c, "けんこむ")
    approve(stack, aid)
    auth = Authenticator("localhost")
    _, r = register(fe, c, auth)
    assert r.status == 200
    page = c.get("/sensitive/stepup")
    assert page.status == 200 and 'id="passkey-stepup"' in page.text
    assert "パスキーで確認" in page.text
    tok = page_csrf(page)
    r = post_json(c, "/sensitive/stepup/passkey/options", {}, tok)
    assert r.status == 200
    pk = json.loads(r.text)["publicKey"]
    assert [x["id"] for x in pk["allowCredentials"]] == [b64(auth.cred_id)]
    # A challenge of another session does not do.
    other = login(stack, email, client=fe.client())
    r = post_json(other, "/sensitive/stepup/passkey",
                  auth.get(pk["challenge"], fe.base_url),
                  page_csrf(other.get("/sensitive/stepup")))
    assert r.status == 400
    r = post_json(c, "/sensitive/stepup/passkey/options", {}, tok)
    pk = json.loads(r.text)["publicKey"]
    r = post_json(c, "/sensitive/stepup/passkey", auth.get(pk["challenge"], fe.base_url), tok)
    assert r.status == 200, r.text
    assert json.loads(r.text)["location"] == "/sensitive"
    assert c.get("/sensitive").status == 200
    assert "stepup.passkey" in events(stack, aid)
    amrs = [a for (a,) in stack.sql(f"SELECT amr FROM sessions WHERE account_id = {aid}")]
    assert any("hwk" in a.split() and "pwd" in a.split() for a in amrs)


def test_withdrawn_account_refused_and_nothing_secret_in_logs(stack, fe, ins):
    email, aid, auth = member_with_passkey(stack, fe, ins)
    stack.sql(f"UPDATE accounts SET state = 'withdrawn' WHERE id = {aid}")
    c, tok, pk = login_options(fe)
    body = auth.get(pk["challenge"], fe.base_url)
    r = post_json(c, "/login/passkey", body, tok)
    assert r.status == 400 and json.loads(r.text) == {"error": "failed"}
    log = "\n".join(fe.log_lines())
    for secret in (pk["challenge"], body["response"]["signature"], b64(auth.cred_id),
                   body["response"]["clientDataJSON"], PASSWORD, tok):
        assert secret not in log


def test_counted_ahead_and_given_back_on_success(stack, fe, ins):
    """Every POST is counted against the address before anything is checked
    (an error while counting says nothing about the credential); a failure
    keeps its count, a success gives it back."""
    email, aid, auth = member_with_passkey(stack, fe, ins)

    def count():
        (n,), = stack.sql("SELECT COALESCE(SUM(count), 0) FROM throttle"
                          " WHERE k LIKE 'passkey:ip:%'")
        return int(n)
    c, tok, pk = login_options(fe)
    assert post_json(c, "/login/passkey", {"type": "public-key"}, tok).status == 400
    assert count() == 1
    c, tok, pk = login_options(fe)
    r = post_json(c, "/login/passkey", auth.get(pk["challenge"], fe.base_url), tok)
    assert r.status == 200 and "sid" in c.cookies
    assert count() == 1


def test_throttled_after_repeated_failures(stack, fe, ins):
    email, aid, auth = member_with_passkey(stack, fe, ins)
    c, tok, pk = login_options(fe)
    for i in range(20):
        r = post_json(c, "/login/passkey", {"type": "public-key"}, tok)
        assert r.status == 400, i
    r = post_json(c, "/login/passkey", {"type": "public-key"}, tok)
    assert r.status == 429 and json.loads(r.text) == {"error": "throttled"}
    r = post_json(c, "/login/passkey/options", {}, tok)
    assert r.status == 429
    # Even the right passkey waits: the address is throttled, not the account.
    stack.sql("DELETE FROM throttle WHERE k LIKE 'passkey:%'")
    c, tok, pk = login_options(fe)
    assert post_json(c, "/login/passkey", auth.get(pk["challenge"], fe.base_url),
                     tok).status == 200


def test_kenpoctl_show_and_passkey_remove(stack, fe, ins):
    email, aid, auth = member_with_passkey(stack, fe, ins)
    (pid,), = stack.sql(f"SELECT id FROM passkeys WHERE account_id = {aid}")
    r = stack.ctl("--json", "account", "show", email)
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    assert rec["passkeys"] == 1 and rec["passkey_list"] == f"{pid} テスト端末"
    r = stack.ctl("account", "passkey-remove", email, "999999999")
    assert r.returncode != 0 and "no passkey" in r.stderr
    r = stack.ctl("account", "passkey-remove", email, str(pid), "--json")
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    assert rec == {"id": aid, "passkey": int(pid), "name": "テスト端末", "removed": True}
    assert stack.sql(f"SELECT COUNT(*) FROM passkeys WHERE account_id = {aid}") == [("0",)]
    assert events(stack, aid).count("passkey.remove") == 1
    stack.wait_mail(email, subject="パスキーを削除しました")


def test_withdrawal_and_erasure_delete_passkeys(stack, fe, ins):
    email, aid, auth = member_with_passkey(stack, fe, ins)
    r = stack.ctl("account", "withdraw", email)
    assert r.returncode == 0, r.stderr
    assert stack.sql(f"SELECT COUNT(*), (SELECT webauthn_user IS NULL FROM accounts"
                     f" WHERE id = {aid}) FROM passkeys WHERE account_id = {aid}") == \
        [("0", "1")]
    email, aid, auth = member_with_passkey(stack, fe, ins)
    r = stack.ctl("account", "delete", email, "--yes")
    assert r.returncode == 0, r.stderr
    assert stack.sql(f"SELECT COUNT(*) FROM passkeys WHERE account_id = {aid}") == [("0",)]
    c, tok, pk = login_options(fe)
    r = post_json(c, "/login/passkey", auth.get(pk["challenge"], fe.base_url), tok)
    assert r.status == 400


@pytest.mark.parametrize("base, rpid, ok", [
    ("https://kenpo.example.jp", "", True),
    ("https://kenpo.example.jp", "kenpo.example.jp", True),
    ("https://kenpo.example.jp", "example.jp", True),
    ("https://kenpo.example.jp:8443/app", "example.jp", True),
    ("https://kenpo.example.jp", "jp", False),
    ("https://kenpo.example.jp", "ample.jp", False),
    ("https://kenpo.example.jp", "evil.example", False),
    ("https://kenpo.example.jp", "Example.JP", False),
    ("http://127.0.0.1:8080", "0.0.1", False),
    ("ftp://kenpo.example.jp", "", False),
])
def test_rpid_config_checked_at_load(stack, fe, tmp_path, base, rpid, ok):
    from conftest import BUILD
    cfg = dict(fe.config, **{"Service.BaseURL": base})
    if rpid:
        cfg["WebAuthn.RPID"] = rpid
    conf = tmp_path / "kenpo.hdf"
    conf.write_text("".join(f"{k} = {v}\n" for k, v in cfg.items()), encoding="utf-8")
    r = subprocess.run([os.path.join(BUILD, "kenpod"), "-t", "-c", str(conf)],
                       capture_output=True, text=True)
    assert (r.returncode == 0) == ok, r.stderr
    if not ok:
        assert "WebAuthn.RPID" in r.stderr or "Service.BaseURL" in r.stderr


def test_eddsa_passkey(stack, fe, ins):
    email, aid, _ = make_member(stack, ins)
    c = login(stack, email, client=fe.client())
    auth = EdAuthenticator("localhost")
    _, r = register(fe, c, auth)
    assert r.status == 200, r.text
    assert stack.sql(f"SELECT alg, LENGTH(public_key) FROM passkeys WHERE account_id = {aid}") \
        == [("-8", "32")]
    lc, tok, pk = login_options(fe)
    r = post_json(lc, "/login/passkey", auth.get(pk["challenge"], fe.base_url), tok)
    assert r.status == 200, r.text
    # A signature by another Ed25519 key is refused.
    other = EdAuthenticator("localhost")
    other.cred_id, other.user = auth.cred_id, auth.user
    lc, tok, pk = login_options(fe)
    r = post_json(lc, "/login/passkey", other.get(pk["challenge"], fe.base_url), tok)
    assert r.status == 400
