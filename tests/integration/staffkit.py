"""
Helpers of the staff console tests (test_staff.py, test_review.py): TOTP codes
computed here from the base32 secret the enrolment page shows (RFC 6238:
HMAC-SHA-1, 30 s, 6 digits), enrolment through the page, login.
"""

import base64
import hashlib
import hmac
import json
import re
import struct
import time
import urllib.parse

STAFF_PASSWORD = "Kensa-2026-shinsa"


def totp(secret_b32, step=None, at=None):
    """The 6-digit code of secret_b32 for time step step (default: now)."""
    key = base64.b32decode(secret_b32.replace(" ", "") + "=" * (-len(secret_b32.replace(" ", "")) % 8))
    if step is None:
        step = int((at if at is not None else time.time()) // 30)
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    n = (struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 1000000
    return f"{n:06d}"


def now_step():
    return int(time.time() // 30)


def staff_add(stack, email, role):
    """kenpoctl staff add --json: (id, enrolment URL)."""
    r = stack.ctl("--json", "staff", "add", email, "--role", role)
    assert r.returncode == 0, r.stdout + r.stderr
    rec = json.loads(r.stdout)
    assert rec["email"] == email and rec["role"] == role
    return rec["id"], rec["enrol_url"]


def enrol_page(stack, url):
    """GET the enrolment page on the console: (client, page, base32 secret)."""
    c = stack.staff_client()
    u = urllib.parse.urlsplit(url)
    assert f"{u.scheme}://{u.netloc}" == stack.staff_url, url
    page = c.get(u.path)
    assert page.status == 200, page.text[:500]
    m = re.search(r'id="enrol-secret">([A-Z2-7 ]+)<', page.text)
    assert m, page.text[:2000]
    return c, page, m.group(1).replace(" ", "")


def enrol(stack, url, password=STAFF_PASSWORD):
    """Enrol through the page: (secret, recovery codes, step used)."""
    c, page, secret = enrol_page(stack, url)
    step = now_step()
    r = c.submit(page, urllib.parse.urlsplit(url).path,
                 {"password": password, "password2": password, "code": totp(secret, step)})
    assert r.status == 200, r.text[:1000]
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", r.text)
    assert len(codes) == 10, r.text[:2000]
    return secret, codes, step


def login(stack, email, code, password=STAFF_PASSWORD, client=None):
    """POST /login on the console; returns (client, response)."""
    c = client or stack.staff_client()
    page = c.get("/login")
    assert page.status == 200, page.text[:300]
    r = c.submit(page, "/login", {"email": email, "password": password, "code": code})
    return c, r


def new_staff(stack, role, prefix="staff"):
    """An enrolled staff member, logged in: dict(email, id, secret, codes, client)."""
    email = stack.new_email(prefix)
    sid, url = staff_add(stack, email, role)
    secret, codes, step = enrol(stack, url)
    # The enrolment took this step: log in with the next one (the window allows it).
    c, r = login(stack, email, totp(secret, step + 1))
    assert r.status == 303, r.text[:1000]
    return {"email": email, "id": sid, "secret": secret, "codes": codes, "client": c,
            "last_step": step + 1}
