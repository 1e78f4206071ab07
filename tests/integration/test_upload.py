"""
Issue 12 item 2, the upload path of the eKYC photos over the real stack: nginx's
upload location (/verify/shot/…, contrib/nginx/dev.conf.in) and kenpod's
multipart/form-data pipeline (src/request.c, src/multipart.c) on an R_UPLOAD
route.

- nginx refuses a 50 MB body itself with the static Japanese page
  (htdocs/errors/upload-too-large.html, 413), and keeps an upload's body in
  memory (no temporary file: nginx would log "buffered to a temporary file");
- a body just over Verify.MaxRequestBytes passes nginx and kenpod refuses it
  on its Content-Length (413, kenpod's page naming both limits), whether the
  client sent a Content-Length or a chunked body (nginx then sets it);
- a file part over Verify.MaxImageBytes: 413; malformed multipart (no boundary,
  a bad one, unterminated, a part without a name, 1000 parts, a huge part
  header, nested multipart): 400 with a clear page and the way back; an
  urlencoded body on the upload route: 400, saying how to send it;
- the body is read only for a member's session and from our own Origin, and
  the CSRF token in a multipart body is checked as in any form;
- no worker dies, and no file name or file content reaches any log;
- under valgrind, a worker serving every kind of upload and refusal has no
  memory error and loses nothing.
"""

import glob
import html
import os
import re
import secrets
import socket

import pytest

from conftest import csrf
from test_member import login, make_member, new_insurer

PATH = "/verify/shot/doc_front"
MIB = 1024 * 1024
MAX_REQUEST = 25 * MIB       # Verify.MaxRequestBytes (default)
MAX_IMAGE = 10 * MIB         # Verify.MaxImageBytes (default)
# What every request here puts in file names and file contents: it must never
# appear in a log.
MARK = "kenpo-photo-" + secrets.token_hex(8)


@pytest.fixture(scope="module")
def ins(stack):
    stack.require_demo()
    return new_insurer(stack, "アップロード健康保険組合")


@pytest.fixture(scope="module")
def workers(stack):
    """The worker pids when the module starts: none may die under these tests."""
    return sorted(stack.worker_pids())


@pytest.fixture(scope="module")
def log_start(stack):
    """How many lines kenpod's log had when the module started (earlier test
    files kill workers on purpose)."""
    return len(stack.log_lines())


@pytest.fixture
def member(stack, ins, workers, log_start):
    """A logged-in member's client and her session's CSRF token."""
    email, _, _ = make_member(stack, ins)
    c = login(stack, email)
    page = c.get("/account")
    assert page.status == 200, page.text[:300]
    return c, csrf(page)


def text(page):
    return html.unescape(re.sub(r"<[^>]+>", " ", page.text))


def multipart(parts, boundary="----kenpoBoundary" + secrets.token_hex(6)):
    """(content type, body) of parts [(name, value or (filename, ctype, bytes))]."""
    out = b""
    for name, value in parts:
        out += b"--" + boundary.encode() + b"\r\n"
        if isinstance(value, tuple):
            fname, ctype, data = value
            out += (f'Content-Disposition: form-data; name="{name}"; '
                    f'filename="{fname}"\r\nContent-Type: {ctype}\r\n\r\n').encode()
            out += data + b"\r\n"
        else:
            out += f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            out += value.encode() + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return f"multipart/form-data; boundary={boundary}", out


def photo(size):
    """size bytes of 'photo' carrying MARK (never to be logged)."""
    head = b"\xff\xd8\xff\xe0" + MARK.encode()
    return head + os.urandom(max(0, size - len(head)))


def post_upload(client, ctype, body, path=PATH, headers=None):
    return client.post(path, raw=body, content_type=ctype, headers=headers)


def raw_exchange(port, head, body_chunks, timeout=60):
    """Send head and the body chunks on a fresh connection, ignoring a refusal
    mid-way (nginx may answer and close early); return (status, headers, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(head.encode() + b"\r\n\r\n")
        try:
            for chunk in body_chunks:
                s.sendall(chunk)
        except OSError:
            pass
        data = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
    head_b, _, rest = data.partition(b"\r\n\r\n")
    lines = head_b.decode("latin-1").split("\r\n")
    first = lines[0].split()
    status = int(first[1]) if len(first) >= 2 and first[1].isdigit() else 0
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    if hdrs.get("transfer-encoding") == "chunked":
        body, rest2 = b"", rest
        while rest2:
            n, _, rest2 = rest2.partition(b"\r\n")
            size = int(n.split(b";")[0] or b"0", 16)
            if size == 0:
                break
            body += rest2[:size]
            rest2 = rest2[size + 2:]
        rest = body
    return status, hdrs, rest.decode("utf-8", errors="replace")


def assert_page(r, status, title, back=True):
    assert r.status == status, (r.status, r.text[:500])
    t = text(r)
    assert title in t, t[:800]
    if back:
        assert 'href="/verify"' in r.text and "本人確認のページへ戻る" in t
    assert r.headers.get("Cache-Control") == "no-store"


def kenpod_lines_since(stack, n):
    return stack.log_lines()[n:]


# ------------------------------------------------------------- sizes


def test_nginx_refuses_50_mb_with_the_clear_page(stack, workers):
    before = len(stack.log_lines())
    ctype, _ = multipart([("csrf", "x")])
    size = 50 * MIB
    head = (f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{stack.main.port}\r\n"
            f"Content-Type: {ctype}\r\nContent-Length: {size}\r\n"
            f"Origin: {stack.base_url}\r\nConnection: close")
    chunk = photo(MIB)
    status, hdrs, body = raw_exchange(stack.main.port, head, (chunk for _ in range(50)))
    assert status == 413, body[:300]
    # nginx's static page (no X-Request-Id: kenpod never saw it), in Japanese,
    # with the limits and the way back; not cached.
    assert "x-request-id" not in hdrs
    assert hdrs.get("cache-control") == "no-store"
    assert hdrs.get("content-type", "").startswith("text/html")
    assert '<html lang="ja">' in body
    assert "写真のファイルが大きすぎます" in body
    assert "写真は1枚10 MB、合計25 MBまでです" in body
    assert 'href="/verify"' in body
    assert not [l for l in kenpod_lines_since(stack, before) if "verify_shot" in l]


def test_kenpod_refuses_just_over_the_request_limit(stack, workers):
    """Under nginx's 26m, over Verify.MaxRequestBytes: kenpod answers on the
    Content-Length, before reading or allocating the body."""
    c = stack.client()
    before = len(stack.log_lines())
    body = b"--b\r\n" + photo(MAX_REQUEST + 1 - 5)
    assert len(body) == MAX_REQUEST + 1
    r = post_upload(c, "multipart/form-data; boundary=b", body)
    assert_page(r, 413, "写真のファイルが大きすぎます")
    assert r.headers.get("X-Request-Id")            # kenpod's page
    assert "写真は1枚10 MB、合計25 MBまでです" in text(r)
    lines = kenpod_lines_since(stack, before)
    assert any(f"upload body of {MAX_REQUEST + 1} bytes refused (limit {MAX_REQUEST})" in l
               for l in lines), lines


def test_kenpod_refuses_a_chunked_body_over_the_limit(stack, workers):
    """No Content-Length from the client (chunked): nginx reads the body, up to
    its own limit, and hands kenpod the length it counted."""
    before = len(stack.log_lines())
    ctype = "multipart/form-data; boundary=b"
    head = (f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{stack.main.port}\r\n"
            f"Content-Type: {ctype}\r\nTransfer-Encoding: chunked\r\n"
            f"Origin: {stack.base_url}\r\nConnection: close")
    data = photo(MAX_REQUEST + 1000)

    def chunks():
        for i in range(0, len(data), MIB):
            part = data[i:i + MIB]
            yield f"{len(part):x}\r\n".encode() + part + b"\r\n"
        yield b"0\r\n\r\n"

    status, hdrs, body = raw_exchange(stack.main.port, head, chunks())
    assert status == 413, body[:300]
    assert hdrs.get("x-request-id")
    assert "写真は1枚10 MB、合計25 MBまでです" in html.unescape(body)
    assert any("upload body of" in l and "refused" in l
               for l in kenpod_lines_since(stack, before))


def test_a_file_over_the_image_limit(stack, member):
    c, token = member
    before = len(stack.log_lines())
    ctype, body = multipart([("csrf", token),
                             ("photo", (MARK + ".jpg", "image/jpeg", photo(MAX_IMAGE + 1)))])
    r = post_upload(c, ctype, body)
    assert_page(r, 413, "写真のファイルが大きすぎます")
    assert "写真は1枚10 MB、合計25 MBまでです" in text(r)
    lines = kenpod_lines_since(stack, before)
    assert any(f"upload refused: file part photo over {MAX_IMAGE} bytes" in l
               for l in lines), lines


def test_nginx_keeps_an_upload_in_memory(stack, member):
    """An 18 MB upload: nginx writes no temporary file (it would log it); a body
    over the buffer of an ordinary location shows the check does see one."""
    c, token = member
    with open(stack.main.nginx_log, encoding="utf-8", errors="replace") as f:
        start = len(f.read())
    ctype, body = multipart([("csrf", token),
                             ("photo", (MARK + ".jpg", "image/jpeg", photo(9 * MIB))),
                             ("photo2", (MARK + ".jpg", "image/jpeg", photo(9 * MIB)))])
    assert len(body) > 18 * MIB
    r = post_upload(c, ctype, body)
    # Through to the page (what it makes of random bytes is its business).
    assert r.status not in (400, 413) and r.status < 500, r.text[:300]
    with open(stack.main.nginx_log, encoding="utf-8", errors="replace") as f:
        new = f.read()[start:]
    assert "buffered to a temporary file" not in new, new
    # The same log line does appear for a 200 KB body elsewhere (16k buffer).
    c.post("/login", raw=b"x=" + b"a" * 200_000)
    with open(stack.main.nginx_log, encoding="utf-8", errors="replace") as f:
        new = f.read()[start:]
    assert "buffered to a temporary file" in new
    assert "/verify/shot/" not in "".join(l for l in new.splitlines()
                                         if "buffered to a temporary file" in l)


# ------------------------------------------------------------- malformed


def _many_parts(boundary, n):
    p = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n")
    return (p * n + f"--{boundary}--\r\n").encode()


MALFORMED = [
    ("no-boundary", "multipart/form-data", None, "bad or no boundary"),
    ("boundary-71", "multipart/form-data; boundary=" + "b" * 71, None, "bad or no boundary"),
    ("boundary-star", "multipart/form-data; boundary=a*b", None, "bad or no boundary"),
    ("unterminated", "multipart/form-data; boundary=b",
     b'--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nx',
     "malformed multipart body"),
    ("no-close", "multipart/form-data; boundary=b",
     b'--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nx\r\n',
     "malformed multipart body"),
    ("lf-only", "multipart/form-data; boundary=b",
     b'--b\nContent-Disposition: form-data; name="csrf"\n\nx\n--b--\n',
     "malformed multipart body"),
    ("no-name", "multipart/form-data; boundary=b",
     b'--b\r\nContent-Disposition: form-data; filename="' + MARK.encode() +
     b'.jpg"\r\n\r\n' + MARK.encode() + b'\r\n--b--\r\n',
     "part without an acceptable name"),
    ("1000-parts", "multipart/form-data; boundary=b", _many_parts("b", 1000),
     "too many parts"),
    ("huge-header", "multipart/form-data; boundary=b",
     b'--b\r\nContent-Disposition: form-data; name="a"\r\nX-Pad: ' + b"p" * 200_000 +
     b"\r\n\r\nx\r\n--b--\r\n", "part header section too long"),
    ("nested", "multipart/form-data; boundary=b",
     b'--b\r\nContent-Disposition: form-data; name="a"\r\n'
     b'Content-Type: multipart/mixed; boundary=in\r\n\r\n--in\r\n\r\nx\r\n--in--\r\n'
     b"\r\n--b--\r\n", "nested multipart"),
    ("transfer-encoding", "multipart/form-data; boundary=b",
     b'--b\r\nContent-Disposition: form-data; name="a"\r\n'
     b"Content-Transfer-Encoding: base64\r\n\r\neA==\r\n--b--\r\n",
     "malformed multipart body"),
]


@pytest.mark.parametrize("name,ctype,body,reason", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_multipart_is_refused_clearly(stack, member, name, ctype, body, reason):
    c, token = member
    if body is None:
        body = multipart([("csrf", token)])[1]
    before = len(stack.log_lines())
    r = post_upload(c, ctype, body)
    assert_page(r, 400, "写真を受け取れませんでした")
    assert "もう一度写真を選んでお送りください" in text(r)
    lines = kenpod_lines_since(stack, before)
    assert any(f"upload refused: {reason}" in l for l in lines), lines


def test_urlencoded_body_on_the_upload_route(stack, member):
    c, token = member
    before = len(stack.log_lines())
    r = c.post(PATH, {"csrf": token, "photo": MARK})
    assert_page(r, 400, "この方法では送信できません")
    assert "写真のファイルを添えてお送りください" in text(r)
    assert any("upload refused: not multipart/form-data" in l
               for l in kenpod_lines_since(stack, before))


def test_text_parts_are_checked_like_form_fields(stack, member):
    c, token = member
    before = len(stack.log_lines())
    ctype, body = multipart([("csrf", token), ("side", "\x01")])
    r = post_upload(c, ctype, body)
    assert r.status == 400 and "使用できない文字" in text(r), r.text[:300]
    ctype, body = multipart([("csrf", token), ("side", "あ" * 2000)])
    r = post_upload(c, ctype, body)
    assert r.status == 400 and "長すぎます" in text(r), r.text[:300]
    lines = kenpod_lines_since(stack, before)
    assert any("upload refused: field side is not valid UTF-8 text (body" in l
               for l in lines), lines
    assert any("upload refused: field side too long (body" in l for l in lines), lines


def test_the_page_in_english(stack, member):
    c, token = member
    r = c.post(PATH, raw=b"--b\r\n", content_type="multipart/form-data; boundary=b",
               headers={"Accept-Language": "en", "Cookie": c.cookie_header() + "; lang=en"})
    assert r.status == 400
    assert "We could not receive the photo" in text(r)
    assert "Back to identity verification" in text(r)


# ------------------------------------------------------------- who may send


def test_csrf_is_enforced_on_multipart(stack, member):
    c, token = member
    part = ("photo", (MARK + ".jpg", "image/jpeg", photo(1000)))
    for fields in ([part], [("csrf", "0" * len(token)), part]):
        ctype, body = multipart(fields)
        r = post_upload(c, ctype, body)
        assert r.status == 403, r.text[:300]
        assert "ページの有効期限が切れたか" in text(r)
    # The right token in the multipart body passes the check (whatever the
    # page then makes of the photo).
    ctype, body = multipart([("csrf", token), part])
    r = post_upload(c, ctype, body)
    assert r.status != 403 and r.status < 500, r.text[:300]
    assert "ページの有効期限が切れたか" not in text(r)


def test_a_long_japanese_file_name_is_fine(stack, member):
    """Windows allows 255 UTF-16 units in a name: 765 bytes of UTF-8 kanji."""
    c, token = member
    name = MARK + "写" * 250 + ".jpg"
    assert len(name.encode()) <= 800
    ctype, body = multipart([("csrf", token), ("photo", (name, "image/jpeg", photo(1000)))])
    r = post_upload(c, ctype, body)
    assert r.status not in (400, 403, 413) and r.status < 500, r.text[:300]
    assert "写真を受け取れませんでした" not in text(r)


def test_body_is_not_read_for_a_stranger_or_another_site(stack, member):
    c, token = member
    ctype, body = multipart([("csrf", token),
                             ("photo", (MARK + ".jpg", "image/jpeg", photo(1000)))])
    before = len(stack.log_lines())
    r = post_upload(c, ctype, body, headers={"Origin": "https://evil.example"})
    assert r.status == 403 and "外部のサイトからの送信" in text(r)
    anon = stack.client()
    r = post_upload(anon, ctype, body)
    assert r.status == 303 and r.location == "/login"
    lines = kenpod_lines_since(stack, before)
    assert any("upload refused: foreign Origin/Referer" in l for l in lines), lines
    assert any("upload refused: no member session" in l for l in lines), lines


# ------------------------------------------------------------- memory


@pytest.mark.valgrind
def test_uploads_under_valgrind(stack, ins):
    """One worker under valgrind: each refusal above and uploads that reach the
    page, a few times over; then no memory error and nothing lost."""
    vgdir = os.path.join(stack.dir, "valgrind-upload")
    os.makedirs(vgdir, exist_ok=True)
    fe = stack.frontend(
        config={"Server.Workers": "1", "Server.LogLevel": "warn",
                "Verify.MaxRequestBytes": str(2 * MIB), "Verify.MaxImageBytes": str(MIB)},
        wrapper=["valgrind", "--quiet", "--leak-check=full",
                 "--show-leak-kinds=definite,indirect",
                 "--errors-for-leak-kinds=definite,indirect",
                 "--num-callers=30", f"--log-file={vgdir}/vg.%p"])
    try:
        email, _, _ = make_member(stack, ins)
        c = login(stack, email, client=fe.client(timeout=120))
        token = csrf(c.get("/account"))
        small = ("photo", (MARK + ".jpg", "image/jpeg", photo(3000)))
        for _ in range(3):
            for name, ctype, body, _ in MALFORMED:
                if body is None:
                    body = multipart([("csrf", token)])[1]
                assert post_upload(c, ctype, body).status == 400, name
            ctype, body = multipart([("csrf", token), ("side", "表"), small, small])
            assert post_upload(c, ctype, body).status < 500
            ctype, body = multipart([("csrf", "forged"), small])
            assert post_upload(c, ctype, body).status == 403
            ctype, body = multipart([("csrf", token), ("side", "\x01"), small])
            assert post_upload(c, ctype, body).status == 400
            ctype, body = multipart([("csrf", token),
                                     ("photo", ("a.jpg", "image/jpeg", photo(MIB + 1)))])
            assert post_upload(c, ctype, body).status == 413
            assert post_upload(c, "multipart/form-data; boundary=b",
                               b"--b\r\n" + photo(2 * MIB)).status == 413
            assert c.post(PATH, {"csrf": token}).status == 400
            assert post_upload(fe.client(), ctype, body).status == 303
    finally:
        rc = fe.stop_kenpod(timeout=120)
        stack.stop_frontend(fe)
    assert rc == 0, "kenpod did not stop cleanly under valgrind"
    reports = glob.glob(os.path.join(vgdir, "vg.*"))
    assert len(reports) >= 3, "expected reports of the master, the worker and the mailer"
    problems = []
    for path in reports:
        with open(path, encoding="utf-8", errors="replace") as f:
            report = f.read()
        if re.search(r"(definitely|indirectly) lost in", report) or \
                re.search(r"Invalid (read|write|free)|uninitialised|Mismatched free", report):
            problems.append(f"{os.path.basename(path)}:\n{report[:4000]}")
    assert not problems, "valgrind found problems:\n" + "\n".join(problems)


# ------------------------------------------------------------- afterwards


def test_zz_no_worker_died_and_no_file_in_the_logs(stack, workers, log_start):
    assert sorted(stack.worker_pids()) == workers
    lines = stack.log_lines()[log_start:]
    assert not [l for l in lines if "killed by signal" in l]
    # Neither a file name nor a file's bytes in any log (kenpod, nginx, access).
    hits = []
    for root in (os.path.join(stack.main.dir, "log"), os.path.join(stack.main.dir, "nginx"),
                 os.path.join(stack.dir, "log")):
        for d, _, names in os.walk(root):
            for n in names:
                p = os.path.join(d, n)
                try:
                    with open(p, "rb") as f:
                        if MARK.encode() in f.read():
                            hits.append(p)
                except OSError:
                    pass
    assert not hits, hits
