"""
The optional reCAPTCHA-compatible provider at login (Login.CaptchaProvider =
recaptcha; src/captcha_provider.c), against a fake siteverify server in this
process: a tiny http.server on a free loopback port that answers success true or
false, names a hostname, or hangs.

A second frontend runs with the provider on and Login.RecaptchaTimeout = 1; the
login page then shows the provider's widget (site key) instead of kenpo's image,
and the widget's field `g-recaptcha-response` is verified with the fake:
success -> the login goes on; false -> a form error; a hang -> a "try again" form
error within the timeout, never a 5xx. Another frontend points at an https://
fake with a self-signed certificate: refused (certificates are always checked).
The module's own behaviour is covered by tests/unit/t_captcha_provider.c.
"""

import http.server
import json
import os
import re
import ssl
import subprocess
import threading
import time
import urllib.parse

import pytest

from conftest import form_fields, argon2_hash

SITE_KEY = "test-site-key-6LcProvider"
SECRET = "test-secret-" + os.urandom(8).hex()
PASSWORD = "Kenpo-Provider-7q"


class FakeSiteverify:
    """A siteverify endpoint. mode: "true", "false" or "hang"; hostname: the host
    named in a success answer (None: none). Every request's form is recorded."""

    def __init__(self, tls_dir=None):
        fake = self
        self.mode = "true"
        self.hostname = "127.0.0.1"
        self.hang = 4.0
        self.requests = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(n).decode())
                fake.requests.append({k: v[0] for k, v in form.items()})
                if fake.mode == "hang":
                    time.sleep(fake.hang)
                answer = {"success": fake.mode == "true"}
                if fake.mode == "true" and fake.hostname is not None:
                    answer["hostname"] = fake.hostname
                if fake.mode == "false":
                    answer["error-codes"] = ["invalid-input-response"]
                body = json.dumps(answer).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass        # the client gave up (the hang case)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.scheme = "http"
        if tls_dir is not None:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(os.path.join(tls_dir, "cert.pem"),
                                os.path.join(tls_dir, "key.pem"))
            self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.port = self.server.server_address[1]
        self.url = f"{self.scheme}://127.0.0.1:{self.port}/siteverify"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def provider_config(url):
    return {
        "Login.Captcha": "on",
        "Login.CaptchaProvider": "recaptcha",
        "Login.RecaptchaSiteKey": SITE_KEY,
        "Login.RecaptchaSecret": SECRET,
        "Login.RecaptchaVerifyURL": url,
        "Login.RecaptchaTimeout": "1",
    }


@pytest.fixture(scope="module")
def fake():
    f = FakeSiteverify()
    yield f
    f.stop()


@pytest.fixture(scope="module")
def fe(stack, fake):
    """A frontend with the provider on, verifying with the fake."""
    front = stack.frontend(config=provider_config(fake.url))
    yield front
    stack.stop_frontend(front)


@pytest.fixture(autouse=True)
def reset_fake(request):
    if "fake" in request.fixturenames:
        f = request.getfixturevalue("fake")
        f.mode, f.hostname = "true", "127.0.0.1"
        f.requests.clear()


def active_account(stack):
    email = stack.new_email("prov")
    stack.sql("INSERT INTO accounts (email, password_hash, state, activated_at) "
              f"VALUES ('{email}', '{argon2_hash(PASSWORD)}', 'active', NOW(6))")
    return email


def login_page(client):
    r = client.get("/login")
    assert r.status == 200, r.text[:300]
    return r


def post_login(client, page, email, password, token):
    data = {"email": email, "password": password}
    if token is not None:
        data["g-recaptcha-response"] = token
    return client.submit(page, "/login", data)


def captcha_error(r):
    """The text of the CAPTCHA's form error on a re-rendered login page, or None."""
    m = re.search(r'<p class="field__error" id="captcha-error">(.*?)</p>', r.text, re.S)
    return m.group(1).strip() if m else None


# ------------------------------------------------------------------ the page

def test_page_shows_widget_with_site_key(fe):
    c = fe.client()
    r = login_page(c)
    assert f'data-sitekey="{SITE_KEY}"' in r.text
    assert "g-recaptcha" in r.text
    assert "captcha_challenge" not in form_fields(r), "the built-in challenge is shown too"
    assert SECRET not in r.text


def test_csp_allows_the_widget_only_when_on(fe, client):
    csp = fe.client().get("/login").headers.get("Content-Security-Policy") or ""
    script = [d for d in csp.split(";") if d.strip().startswith("script-src")]
    frame = [d for d in csp.split(";") if d.strip().startswith("frame-src")]
    assert script and "https://www.google.com/recaptcha/" in script[0], csp
    assert frame and "https://www.google.com/recaptcha/" in frame[0], csp
    assert "frame-ancestors 'none'" in csp
    # The default frontend (built-in CAPTCHA) keeps the strict policy.
    plain = client.get("/login").headers.get("Content-Security-Policy") or ""
    assert "google" not in plain


# ------------------------------------------------------------------ verification

def test_success_logs_in(stack, fe, fake):
    email = active_account(stack)
    c = fe.client()
    page = login_page(c)
    token = "tok-ok-" + os.urandom(8).hex()
    r = post_login(c, page, email, PASSWORD, token)
    assert r.status == 303, (r.status, captcha_error(r), r.text[:500])
    assert "/login" not in (r.location or "")
    assert len(fake.requests) == 1
    sent = fake.requests[0]
    assert sent["secret"] == SECRET
    assert sent["response"] == token
    assert sent["remoteip"] == "127.0.0.1"


def test_success_then_wrong_password_is_a_login_error(stack, fe, fake):
    c = fe.client()
    page = login_page(c)
    r = post_login(c, page, stack.new_email("nobody"), "Wrong-pass-1", "tok-ok")
    assert r.status == 200
    assert captcha_error(r) is None, "the CAPTCHA passed but an error names it"
    assert 'id="login-error"' in r.text
    assert len(fake.requests) == 1


def test_refused_token_is_a_form_error(stack, fe, fake):
    fake.mode = "false"
    email = active_account(stack)
    c = fe.client()
    page = login_page(c)
    r = post_login(c, page, email, PASSWORD, "tok-bad")
    assert r.status == 200, r.text[:300]
    assert captcha_error(r), "no CAPTCHA error shown"
    assert f'data-sitekey="{SITE_KEY}"' in r.text, "the widget is not shown again"
    assert len(fake.requests) == 1


def test_missing_token_is_refused_without_asking(stack, fe, fake):
    email = active_account(stack)
    c = fe.client()
    page = login_page(c)
    r = post_login(c, page, email, PASSWORD, None)
    assert r.status == 200
    assert captcha_error(r)
    r = post_login(c, login_page(c), email, PASSWORD, "")
    assert r.status == 200
    assert captcha_error(r)
    assert fake.requests == []


def test_token_for_another_host_is_refused(stack, fe, fake):
    fake.hostname = "evil.example"
    email = active_account(stack)
    c = fe.client()
    r = post_login(c, login_page(c), email, PASSWORD, "tok-elsewhere")
    assert r.status == 200
    assert captcha_error(r)


def test_hanging_provider_is_a_try_again_error_within_the_timeout(stack, fe, fake):
    email = active_account(stack)
    c = fe.client()
    fake.mode = "false"
    refused = captcha_error(post_login(c, login_page(c), email, PASSWORD, "tok-x"))
    fake.mode = "hang"
    page = login_page(c)
    t0 = time.monotonic()
    r = post_login(c, page, email, PASSWORD, "tok-hang")
    took = time.monotonic() - t0
    assert r.status == 200, (r.status, r.text[:300])
    assert took < 3.0, f"the login waited {took:.1f}s (Login.RecaptchaTimeout = 1)"
    err = captcha_error(r)
    assert err, "no form error when the provider hangs"
    assert err != refused, "the 'try again' error reads like a refused CAPTCHA"
    assert any("captcha provider" in l and "timed out" in l for l in fe.log_lines())


def test_no_secret_or_token_in_the_log(fe, fake):
    c = fe.client()
    token = "tok-secret-" + os.urandom(8).hex()
    fake.mode = "false"
    post_login(c, login_page(c), "someone@example.com", "Whatever-1", token)
    text = "\n".join(fe.log_lines())
    assert SECRET not in text
    assert token not in text


# ------------------------------------------------------------------ TLS

@pytest.fixture(scope="module")
def tls_fake(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem"),
                    "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    f = FakeSiteverify(tls_dir=str(d))
    yield f
    f.stop()


def test_self_signed_provider_is_not_trusted(stack, tls_fake):
    front = stack.frontend(config=provider_config(tls_fake.url))
    try:
        email = active_account(stack)
        c = front.client()
        r = post_login(c, login_page(c), email, PASSWORD, "tok-tls")
        assert r.status == 200, r.text[:300]
        assert captcha_error(r)
        assert tls_fake.requests == [], "a request went through an untrusted certificate"
        assert any("captcha provider" in l and "certificate" in l.lower()
                   for l in front.log_lines())
    finally:
        stack.stop_frontend(front)
