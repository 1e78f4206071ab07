"""
No token in any log, nginx's error log included (SPEC §8, issue 8 item 4).

The access log masks tokens (contrib/nginx/dev.conf.in's map), but nginx writes
the whole request line into every error-log line: a 413 on
/password/reset/<token> or a 502 on /users/<token>/activate used to put the
token there. The paths that carry a secret now have no nginx error log. These
tests make nginx refuse requests on every such path (413 from nginx, 413 from
kenpod, 502 while kenpod is down) and then read every file the stack wrote.
"""

import os
import secrets
import socket
import stat

import pytest

from conftest import KENPOD_MAX_BODY

# nginx's client_max_body_size of the frontend these tests start: small, so that
# nginx itself answers 413 for a modest body.
SMALL_NGINX_BODY = 4096


def token_paths():
    """(path, secret) for every route of src/routes.def whose URL carries a secret,
    each with a fresh random secret."""
    out = []
    # Also links a mail program changed (a trailing slash, space or full stop):
    # the token inside still works.
    for tmpl in ("/users/{}/activate", "/password/reset/{}", "/account/email/{}",
                 "/deletion/confirm/{}", "/deletion/confirm/{}/",
                 "/captcha/{}", "//users/{}/activate", "/users/{}/activate/",
                 "/users/{}/activate%20", "/users/{}/activate.", "/users/{}",
                 "/password/reset/{}/", "/unsubscribe/{}"):
        t = secrets.token_urlsafe(32)
        out.append((tmpl.format(t), t))
    sig = secrets.token_hex(32)
    out.append((f"/entry?insurer=06139992&ts=1700000000&sig={sig}&next=/signup", sig))
    # An OpenID Connect authorization in progress: its handle names it, and
    # whoever holds it can finish it with a session of their own (docs/oidc.md).
    handle = secrets.token_hex(32)
    out.append((f"/oidc/authorize/resume/{handle}", handle))
    # RP-initiated logout: an ID token in the query (docs/oidc.md).
    hint = secrets.token_urlsafe(64)
    out.append((f"/oidc/logout?id_token_hint={hint}", hint))
    return out


def raw_request(port, head, body=b"", timeout=10):
    """Send head (request line and headers, without the blank line) and body on
    a fresh connection; return the status code nginx answered (0: none)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(head.encode() + b"\r\n\r\n")
        try:
            if body:
                s.sendall(body)
        except OSError:
            pass    # nginx may answer 413 and close before reading the body
        data = b""
        try:
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
    first = data.split(b"\r\n", 1)[0].split()
    return int(first[1]) if len(first) >= 2 and first[1].isdigit() else 0


def post_head(fe, path, extra):
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{fe.port}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\n"
            f"Origin: {fe.base_url}\r\nConnection: close\r\n{extra}")


def files_holding(roots, secret):
    """Every regular file under roots whose bytes contain secret."""
    needle = secret.encode()
    hits = []
    for root in roots:
        for d, _, names in os.walk(root):
            for n in names:
                p = os.path.join(d, n)
                try:
                    if not stat.S_ISREG(os.lstat(p).st_mode):
                        continue
                    with open(p, "rb") as f:
                        if needle in f.read():
                            hits.append(p)
                except OSError:
                    pass
    return hits


@pytest.fixture(scope="module")
def small(stack):
    """A frontend whose nginx refuses bodies over SMALL_NGINX_BODY bytes."""
    fe = stack.frontend(max_body=SMALL_NGINX_BODY)
    yield fe
    stack.stop_frontend(fe)


def test_refused_requests_leave_no_token_in_any_log(stack, small):
    paths = token_paths()
    roots = [small.dir, stack.main.dir]

    # 413 from nginx: a declared length over the limit, and a chunked body that
    # grows over it (nginx finds out only while reading).
    for path, _ in paths:
        st = raw_request(small.port, post_head(small, path,
                         f"Content-Length: {SMALL_NGINX_BODY * 4}"),
                         b"x=" + b"a" * (SMALL_NGINX_BODY * 4 - 2))
        assert st == 413, (path, st)
        chunk = b"a" * (SMALL_NGINX_BODY * 2)
        st = raw_request(small.port, post_head(small, path, "Transfer-Encoding: chunked"),
                         b"%x\r\n" % len(chunk) + chunk + b"\r\n0\r\n\r\n")
        assert st == 413, (path, st)

    # Over Server.MaxBody, under the default frontend's nginx limit: kenpod's own
    # 413 (or 405 on a GET-only route).
    body = b"x=" + b"a" * (KENPOD_MAX_BODY + 1024)
    for path, _ in paths:
        st = raw_request(stack.main.port, post_head(stack.main, path.split("?")[0],
                         f"Content-Length: {len(body)}"), body)
        assert st in (404, 405, 413), (path, st)     # 404: an altered link

    # 502: kenpod is down, nginx cannot connect to its socket.
    small.stop_kenpod()
    try:
        c = small.client()
        for path, _ in paths:
            r = c.get(path)
            assert r.status == 502, (path, r.status)
            r = c.post(path.split("?")[0], {"csrf": "x", "password": "y"})
            assert r.status == 502, (path, r.status)
    finally:
        small.start_kenpod()
        small.wait_healthy()

    # Answered by kenpod itself (an unknown token): its log keeps no token either.
    c = small.client()
    for path, _ in paths:
        assert c.get(path).status < 500, path

    leaks = {secret: files_holding(roots, secret) for _, secret in paths}
    leaks = {s: f for s, f in leaks.items() if f}
    assert not leaks, f"tokens found in logs: {leaks}"
    # The refusals themselves were logged where they may be: masked, in the access log.
    with open(os.path.join(small.dir, "nginx", "access.log"), encoding="utf-8") as f:
        access = f.read()
    assert '"POST /password/reset/-" 413' in access
    assert '"GET /users/-/activate" 502' in access


def test_token_pages_send_no_referrer(client):
    """A page whose URL holds a token tells the browser not to repeat that URL
    in the Referer of its next requests (nginx logs the referrer of any request
    it refuses, whatever its path): the origin only. Not no-referrer, under
    which the page's own form would post "Origin: null" and be refused."""
    for path, _ in token_paths():
        if path.startswith("/entry"):
            continue    # a redirect: browsers keep the portal's referrer
        r = client.get(path)
        assert r.headers.get("Referrer-Policy") == "strict-origin", (path, r.status)
    assert client.get("/login").headers.get("Referrer-Policy") == "same-origin"
