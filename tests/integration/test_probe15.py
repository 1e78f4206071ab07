"""
Issue 15 under attack (the probe15 pass): regressions for what the probe
found in the OpenID provider, member TOTP and passkeys. Each test makes its
own members and clients.
"""
import json
import urllib.parse

import pytest

from test_member import make_member, new_insurer
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
