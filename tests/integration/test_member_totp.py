"""
Issue 15 item 3 for members: two-step verification with an authenticator app
(RFC 6238 TOTP) and recovery codes, over the real stack.

- /account/security/totp: the password first; only then, in that session, the
  QR code and the base32 secret; the right code switches TOTP on and shows ten
  recovery codes once. A GET never shows a secret; another session of the
  same member cannot finish the enrolment.
- /login: a right password for such an account starts no session; /login/otp
  asks the code (or a recovery code). Wrong codes are counted (also as failed
  logins of the account); a code of a step taken already is refused; five
  wrong codes in a row drop the pending login. A recovery code works once and
  says how many are left. Remember-me is issued after the second factor
  (its token carries "pwd otp").
- /account/security/totp/off and /account/security/recovery need the password
  or a current code; each change is audited and mailed.
- /sensitive/stepup offers the code beside the secret question.
- kenpoctl account show / account totp-off, verify status; withdrawal erases.
- Nothing secret reaches the logs.

Codes are computed here from the secret the page shows (staffkit.totp: an
RFC 6238 implementation of the test's own). Each code step is used once per
member: the enrolment takes now-1, later checks now and now+1 (the server
accepts one step of drift either way), so no test waits for the clock.
"""
import glob
import html
import json
import os
import re

import pytest

from staffkit import now_step, totp
from test_member import PASSWORD, events, login, make_member, new_insurer
from test_sensitive import SERVICE, hins, verified_member  # noqa: F401 (fixture)

# Everything secret a test saw: grepped for in the logs at the end (the
# 6-digit codes as numbers of their own: request ids are hex).
SECRETS = []
CODES = []


@pytest.fixture(scope="module")
def ins(stack):
    stack.require_demo()
    return new_insurer(stack, "二段階認証健康保険組合")


def text(page):
    return html.unescape(re.sub(r"<[^>]+>", " ", page.text))


def errors(page):
    return " ".join(html.unescape(t) for t in
                    re.findall(r'class="field__error"[^>]*>([^<]+)<', page.text))


class Member:
    """A member with her client; codes handed out one step at a time."""

    def __init__(self, stack, email, aid, client):
        self.stack, self.email, self.id, self.c = stack, email, aid, client
        self.secret = None
        self.codes = []
        self.step = None     # the last step used

    def code(self):
        """A code of the next step not used yet (within the server's drift)."""
        s = now_step() - 1 if self.step is None else max(self.step + 1, now_step() - 1)
        assert s <= now_step() + 1, "test used too many codes of this member"
        self.step = s
        CODES.append(totp(self.secret, s))
        return CODES[-1]


def new_member(stack, ins):
    email, aid, _ = make_member(stack, ins)
    return Member(stack, email, aid, login(stack, email))


def enrol(m):
    """Switch TOTP on through the pages; sets m.secret and m.codes."""
    c = m.c
    page = c.get("/account/security/totp")
    assert page.status == 200
    r = c.submit(page, "/account/security/totp", {"step": "password",
                                                    "current_password": PASSWORD})
    assert r.status == 200, r.text[:500]
    sec = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', r.text)
    assert sec and "<svg" in r.text, r.text[:2000]
    m.secret = sec.group(1).replace(" ", "")
    SECRETS.append(m.secret)
    done = c.submit(r, "/account/security/totp", {"step": "code", "code": m.code()})
    assert done.status == 200, done.text[:500]
    m.codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", done.text)
    assert len(m.codes) == 10, done.text[:2000]
    SECRETS.extend(m.codes)
    return done


def otp_page(c):
    page = c.get("/login/otp")
    assert page.status == 200 and 'id="otp-form"' in page.text, page.text[:500]
    return page


def send_code(c, code, field="code"):
    page = otp_page(c)
    SECRETS.append(code) if field == "recovery_code" else None
    return c.submit(page, "/login/otp", {field: code})


def password_step(stack, m, remember=False):
    """A fresh client through the password: at /login/otp, no session."""
    c = stack.client()
    page = c.get("/login")
    d = {"email": m.email, "password": PASSWORD}
    if remember:
        d["remember"] = "1"
    r = c.submit(page, "/login", d)
    assert r.status == 303 and r.location.endswith("/login/otp"), (r.status, r.location)
    assert "mfa" in c.cookies and "sid" not in c.cookies, c.cookies
    return c


# ------------------------------------------------------------------ tests


def test_enrol_shows_secret_only_after_password(stack, ins):
    m = new_member(stack, ins)
    c = m.c
    # /account links the new page; the page says TOTP is off.
    assert 'href="/account/security"' in c.get("/account").text
    sec = c.get("/account/security")
    assert sec.status == 200 and 'data-state="off"' in sec.text
    assert 'href="/account/security/passkeys"' in sec.text and "パスキー" in sec.text
    assert "no-store" in sec.headers.get("Cache-Control", "")
    # A GET shows the password field only: no QR, no secret.
    page = c.get("/account/security/totp")
    assert page.status == 200 and "no-store" in page.headers.get("Cache-Control", "")
    assert "<svg" not in page.text and 'id="totp-secret"' not in page.text
    assert 'name="current_password"' in page.text
    # A POST of the code step without the password step: no secret either.
    r = c.submit(page, "/account/security/totp", {"step": "code", "code": "123456"})
    assert r.status == 200 and "<svg" not in r.text and 'id="totp-restart"' in r.text
    # A wrong password: the form again, no secret; audited.
    r = c.submit(page, "/account/security/totp", {"step": "password",
                                                    "current_password": "wrong-Pass1"})
    assert r.status == 200 and "<svg" not in r.text and errors(r)
    assert "password.check_fail" in events(stack, m.id)
    # Without Origin or CSRF: refused.
    assert c.post("/account/security/totp", {"step": "password",
                                              "current_password": PASSWORD},
                  origin=None).status == 403
    # The right password: the QR code (an otpauth URI for her address) and the key.
    r = c.submit(page, "/account/security/totp", {"step": "password",
                                                    "current_password": PASSWORD})
    assert r.status == 200 and "<svg" in r.text and 'role="img"' in r.text
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', r.text).group(1).replace(" ", "")
    SECRETS.append(secret)
    assert len(secret) == 32
    # Another session of hers cannot finish this enrolment.
    other = login(stack, m.email)
    op = other.get("/account/security/totp")
    o = other.submit(op, "/account/security/totp",
                     {"step": "code", "code": totp(secret, now_step())})
    assert o.status == 200 and 'id="totp-restart"' in o.text
    # A wrong code: the same secret again with the error; still off.
    wrong = f"{(int(totp(secret, now_step())) + 1) % 1000000:06d}"
    w = c.submit(r, "/account/security/totp", {"step": "code", "code": wrong})
    assert w.status == 200 and secret[:4] in w.text and errors(w)
    (n,), = stack.sql(f"SELECT COUNT(*) FROM member_totp WHERE account_id = {m.id}"
                      " AND enabled_at IS NOT NULL")
    assert n == "0"
    # The right code: on, ten recovery codes shown once.
    m.secret = secret
    done = c.submit(w, "/account/security/totp", {"step": "code", "code": m.code()})
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", done.text)
    assert len(codes) == 10 and len(set(codes)) == 10, done.text[:1500]
    SECRETS.extend(codes)
    assert "no-store" in done.headers.get("Cache-Control", "")
    # Stored: sealed secret, HMACs only.
    row = stack.sql(f"SELECT key_id, HEX(sealed), enabled_at IS NOT NULL FROM member_totp"
                    f" WHERE account_id = {m.id}")[0]
    assert row[2] == "1" and secret not in row[1]
    hashes = [h for (h,) in stack.sql("SELECT code_hash FROM member_recovery_codes"
                                      f" WHERE account_id = {m.id}")]
    assert len(hashes) == 10 and not set(codes) & set(hashes)
    # Her other session rested on the password alone: it is over.
    assert other.get("/account").status == 303
    assert c.get("/account").status == 200
    # The page says it is on with ten codes; the enrolment page sends back.
    sec = c.get("/account/security")
    assert 'data-state="on"' in sec.text and "あと10個" in text(sec)
    assert c.get("/account/security/totp").status == 303
    assert "mfa.totp.enable" in events(stack, m.id)
    mail = stack.wait_mail(m.email, subject="二段階認証を設定しました")
    assert "/account/security" in mail.body
    for s in [secret] + codes:
        assert s not in mail.body


def test_login_asks_code_no_session_before(stack, ins):
    m = new_member(stack, ins)
    enrol(m)
    c = password_step(stack, m)
    # Nothing of the member area opens before the code.
    for path in ("/top", "/account", "/account/security"):
        r = c.get(path)
        assert r.status == 303 and "/login" in r.location, (path, r.status)
    page = otp_page(c)
    assert "認証アプリを使えない場合" in page.text and 'name="recovery_code"' in page.text
    assert "no-store" in page.headers.get("Cache-Control", "")
    # The cookie alone, from another browser, is the pending login; without
    # it /login/otp has nothing to ask.
    assert 'id="otp-gone"' in stack.client().get("/login/otp").text
    # Not 6 digits: a form error, not counted.
    r = c.submit(page, "/login/otp", {"code": "12ab"})
    assert r.status == 200 and "6桁" in errors(r)
    # Wrong: counted, the tries left said.
    cur = totp(m.secret, now_step())
    wrong = f"{(int(cur) + 500000) % 1000000:06d}"
    r = send_code(c, wrong)
    assert r.status == 200 and "あと4回" in errors(r) and "sid" not in c.cookies
    (f,), = stack.sql(f"SELECT failures FROM member_totp WHERE account_id = {m.id}")
    assert f == "1"
    # The right code: a session, counted as pwd + otp.
    r = send_code(c, m.code())
    assert r.status == 303 and r.location.endswith("/top"), (r.status, r.location, r.text[:300])
    assert "sid" in c.cookies and "mfa" not in c.cookies
    assert c.get("/account").status == 200
    (amr,), = stack.sql(f"SELECT amr FROM sessions WHERE account_id = {m.id}"
                        " ORDER BY created_at DESC LIMIT 1")
    assert amr == "pwd otp"
    (fl, ff), = stack.sql(f"SELECT a.failed_logins, t.failures FROM accounts a JOIN"
                          f" member_totp t ON t.account_id = a.id WHERE a.id = {m.id}")
    assert fl == "0" and ff == "0"
    # The member's list: the login as a password login, in this session.
    kinds = [k for (k,) in stack.sql(f"SELECT kind FROM login_history WHERE account_id"
                                     f" = {m.id} ORDER BY id DESC LIMIT 1")]
    assert kinds == ["password"]
    ev = events(stack, m.id)
    assert "login.second_step" in ev and "login.ok" in ev and ev.count("login.otp_fail") == 1
    # The pending login was single use: its cookie is gone, nothing to ask.
    assert 'id="otp-gone"' in c.get("/login/otp").text
    # The code just used, in another login: refused as used (a replay).
    c2 = password_step(stack, m)
    r = send_code(c2, totp(m.secret, m.step))
    assert r.status == 200 and "すでに使われています" in errors(r) and "sid" not in c2.cookies
    r = send_code(c2, m.code())
    assert r.status == 303 and "sid" in c2.cookies


def test_five_wrong_codes_drop_the_pending_login(stack, ins):
    m = new_member(stack, ins)
    enrol(m)
    c = password_step(stack, m)
    cur = totp(m.secret, now_step())
    for i in range(5):
        wrong = f"{(int(cur) + 1000 + i) % 1000000:06d}"
        r = send_code(c, wrong) if i == 0 else c.submit(r, "/login/otp", {"code": wrong})
        if i < 4:
            assert 'id="otp-form"' in r.text, i
    assert r.status == 200 and 'id="otp-gone"' in r.text and "中止しました" in text(r)
    assert "mfa" not in c.cookies
    (n,), = stack.sql(f"SELECT COUNT(*) FROM login_pending WHERE account_id = {m.id}")
    assert n == "0"
    # The wrong codes count as failed logins of the account (the lock policy
    # of the password applies: Login.LockAfterFailures).
    (fl,), = stack.sql(f"SELECT failed_logins FROM accounts WHERE id = {m.id}")
    assert fl == "5"
    assert "login.otp_drop" in events(stack, m.id)
    # The right code now opens nothing: start again from the password.
    assert 'id="otp-gone"' in c.get("/login/otp").text
    c2 = password_step(stack, m)
    r = send_code(c2, m.code())
    assert r.status == 303 and "sid" in c2.cookies
    (fl,), = stack.sql(f"SELECT failed_logins FROM accounts WHERE id = {m.id}")
    assert fl == "0"


def test_wrong_codes_lock_the_account(stack, ins):
    """Wrong codes are failed logins: at Login.LockAfterFailures (10 in the
    tests' config default) the account locks, its owner is mailed, and the
    pending login is dropped; the password alone then opens nothing."""
    m = new_member(stack, ins)
    enrol(m)
    c = password_step(stack, m)
    stack.sql(f"UPDATE accounts SET failed_logins = 8 WHERE id = {m.id}")
    cur = totp(m.secret, now_step())
    r = send_code(c, f"{(int(cur) + 3) % 1000000:06d}")
    assert 'id="otp-form"' in r.text
    r = c.submit(r, "/login/otp", {"code": f"{(int(cur) + 4) % 1000000:06d}"})
    assert r.status == 200 and 'id="otp-gone"' in r.text
    (locked,), = stack.sql(f"SELECT locked_until > NOW(6) FROM accounts WHERE id = {m.id}")
    assert locked == "1"
    assert "login.locked" in events(stack, m.id)
    stack.wait_mail(m.email, subject="アカウントを一時的にロックしました")
    (n,), = stack.sql(f"SELECT COUNT(*) FROM login_pending WHERE account_id = {m.id}")
    assert n == "0"
    c2 = stack.client()
    page = c2.get("/login")
    r = c2.submit(page, "/login", {"email": m.email, "password": PASSWORD})
    assert r.status == 200 and "mfa" not in c2.cookies and "sid" not in c2.cookies


def test_pending_login_expires_and_follows_the_password(stack, ins):
    m = new_member(stack, ins)
    enrol(m)
    # Five minutes (moved with SQL, not by sleeping).
    c = password_step(stack, m)
    (left,), = stack.sql("SELECT TIMESTAMPDIFF(SECOND, NOW(6), expires_at) FROM"
                         f" login_pending WHERE account_id = {m.id}")
    assert 290 <= int(left) <= 300
    stack.sql(f"UPDATE login_pending SET expires_at = NOW(6) - INTERVAL 1 SECOND"
              f" WHERE account_id = {m.id}")
    r = c.get("/login/otp")
    assert 'id="otp-gone"' in r.text and "mfa" not in c.cookies
    # A password changed after it was proven voids the pending login.
    c = password_step(stack, m)
    page = otp_page(c)
    stack.sql(f"UPDATE accounts SET password_hash = CONCAT(password_hash, 'x') WHERE id = {m.id}")
    r = c.submit(page, "/login/otp", {"code": m.code()})
    assert r.status == 200 and 'id="otp-gone"' in r.text and "sid" not in c.cookies
    stack.sql(f"UPDATE accounts SET password_hash = LEFT(password_hash,"
              f" CHAR_LENGTH(password_hash) - 1) WHERE id = {m.id}")


def test_password_change_drops_pending_logins(stack, ins):
    """A login waiting for its code began with the old password: a password
    change (in the same transaction) drops it."""
    m = new_member(stack, ins)
    enrol(m)
    c = password_step(stack, m)
    page = otp_page(c)
    assert stack.sql(f"SELECT COUNT(*) FROM login_pending WHERE account_id = {m.id}") \
        == [("1",)]
    pw = m.c.get("/account/password")
    r = m.c.submit(pw, "/account/password", {"current_password": PASSWORD,
                                               "password": "Another-pass-42"})
    assert r.status == 303, r.text[:500]
    assert stack.sql(f"SELECT COUNT(*) FROM login_pending WHERE account_id = {m.id}") \
        == [("0",)]
    r = c.submit(page, "/login/otp", {"code": m.code()})
    assert r.status == 200 and 'id="otp-gone"' in r.text and "sid" not in c.cookies


def test_recovery_code_once_and_remember_me(stack, ins):
    m = new_member(stack, ins)
    enrol(m)
    c = password_step(stack, m, remember=True)
    r = send_code(c, m.codes[0].upper().replace("-", " "), field="recovery_code")
    assert r.status == 303 and "/account/security?done=recovery_used" in r.location, r.location
    page = c.get(r.location)
    assert "あと9個" in text(page)
    assert "mfa.recovery.use" in events(stack, m.id)
    # Remember-me came after the second factor: its token carries both.
    assert "remember" in c.cookies
    (amr,), = stack.sql(f"SELECT amr FROM tokens WHERE account_id = {m.id}"
                        " AND purpose = 'remember' ORDER BY id DESC LIMIT 1")
    assert amr == "pwd otp"
    fresh = stack.client()
    fresh.cookies["remember"] = c.cookies["remember"]
    assert fresh.get("/account").status == 200
    # The same recovery code a second time: refused.
    c2 = password_step(stack, m)
    r = send_code(c2, m.codes[0], field="recovery_code")
    assert r.status == 200 and "sid" not in c2.cookies and errors(r)
    assert 'open' in re.search(r'<details[^>]*id="otp-alt"[^>]*>', r.text).group(0)
    # None left: /account/security says so.
    stack.sql(f"UPDATE member_recovery_codes SET used_at = NOW(6) WHERE account_id = {m.id}")
    r = send_code(c2, m.code())
    assert r.status == 303
    sec = c2.get("/account/security")
    assert 'id="security-codes-none"' in sec.text and "あと0個" in text(sec)


def test_regenerate_and_disable(stack, ins):
    m = new_member(stack, ins)
    enrol(m)
    c = m.c
    old = set(h for (h,) in stack.sql("SELECT code_hash FROM member_recovery_codes"
                                      f" WHERE account_id = {m.id}"))
    page = c.get("/account/security/recovery")
    assert page.status == 200 and 'name="current_password"' in page.text
    # Neither password nor code: a form error.
    r = c.submit(page, "/account/security/recovery", {})
    assert r.status == 200 and errors(r) and 'id="recovery-codes"' not in r.text
    # A wrong password: refused.
    r = c.submit(page, "/account/security/recovery", {"current_password": "Nope-1234x"})
    assert r.status == 200 and 'id="recovery-codes"' not in r.text
    # The password: ten new codes, the old ones void.
    r = c.submit(page, "/account/security/recovery", {"current_password": PASSWORD})
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", r.text)
    assert r.status == 200 and len(codes) == 10
    SECRETS.extend(codes)
    new = set(h for (h,) in stack.sql("SELECT code_hash FROM member_recovery_codes"
                                      f" WHERE account_id = {m.id}"))
    assert len(new) == 10 and not (old & new)
    assert "mfa.recovery.regenerate" in events(stack, m.id)
    stack.wait_mail(m.email, subject="回復コードを作り直しました")
    # With a current code instead of the password.
    page = c.get("/account/security/recovery")
    r = c.submit(page, "/account/security/recovery", {"code": m.code()})
    assert r.status == 200 and 'id="recovery-codes"' in r.text
    SECRETS.extend(re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", r.text))
    # Disable: a wrong password refused, the right one turns it off.
    page = c.get("/account/security/totp/off")
    assert page.status == 200
    r = c.submit(page, "/account/security/totp/off", {"current_password": "Nope-1234x"})
    assert r.status == 200 and errors(r)
    r = c.submit(page, "/account/security/totp/off", {"current_password": PASSWORD})
    assert r.status == 303 and r.location.endswith("/account/security?done=totp_off")
    assert 'data-state="off"' in c.get("/account/security").text
    for t in ("member_totp", "member_recovery_codes"):
        (n,), = stack.sql(f"SELECT COUNT(*) FROM {t} WHERE account_id = {m.id}")
        assert n == "0", t
    assert "mfa.totp.disable" in events(stack, m.id)
    stack.wait_mail(m.email, subject="二段階認証を解除しました")
    # Her next login asks no code.
    c2 = login(stack, m.email)
    assert "sid" in c2.cookies and c2.get("/account").status == 200
    # Off: the pages send back to the overview.
    assert c.get("/account/security/totp/off").status == 303
    assert c.get("/account/security/recovery").status == 303


def test_wrong_codes_in_settings_end_the_session(stack, ins):
    m = new_member(stack, ins)
    enrol(m)
    c = m.c
    cur = totp(m.secret, now_step())
    page = c.get("/account/security/totp/off")
    for i in range(5):
        r = c.submit(page, "/account/security/totp/off",
                     {"code": f"{(int(cur) + 7 + i) % 1000000:06d}"})
        if i < 4:
            assert r.status == 200 and errors(r), i
    assert r.status == 303 and "/login" in r.location
    assert c.get("/account").status == 303
    assert "mfa.totp.limit" in events(stack, m.id)
    (n,), = stack.sql(f"SELECT COUNT(*) FROM member_totp WHERE account_id = {m.id}"
                      " AND enabled_at IS NOT NULL")
    assert n == "1"


def test_stepup_with_totp(stack, hins):  # noqa: F811 (fixture)
    email, aid, c = verified_member(stack, hins, "とうきょう")
    m = Member(stack, email, aid, c)
    enrol(m)
    page = c.get("/sensitive/stepup")
    assert page.status == 200
    assert 'id="stepup-totp-form"' in page.text and "認証アプリのコードで確認" in page.text
    assert 'id="stepup-question"' in page.text       # the secret question stays
    r = c.submit(page, "/sensitive/stepup", {"totp_code": "000000"
                                             if totp(m.secret, now_step()) != "000000"
                                             else "111111"})
    assert r.status == 200 and errors(r)
    r = c.submit(page, "/sensitive/stepup", {"totp_code": m.code(), "next": "checkup"})
    assert r.status == 303 and r.location.endswith("/sensitive/open/checkup"), r.location
    s = c.get("/sensitive")
    assert s.status == 200 and 'id="sensitive-level"' not in s.text
    assert c.get("/sensitive/open/checkup").status == 200
    (amr,), = stack.sql(f"SELECT amr FROM sessions WHERE account_id = {aid}"
                        " ORDER BY created_at DESC LIMIT 1")
    assert "otp" in amr.split()
    assert "stepup.otp" in events(stack, aid)


def test_kenpoctl_show_totp_off_and_rekey(stack, ins):
    m = new_member(stack, ins)
    r = stack.ctl("--json", "account", "show", m.email)
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    assert rec["totp"] is False and rec["recovery_codes_left"] == 0
    enrol(m)
    rec = json.loads(stack.ctl("--json", "account", "show", m.email).stdout)
    assert rec["totp"] is True and rec["recovery_codes_left"] == 10
    plain = stack.ctl("account", "show", m.email)
    assert "totp" in plain.stdout and "recovery_codes_left" in plain.stdout
    st = stack.ctl("--json", "verify", "status")
    assert st.returncode == 0, st.stderr
    assert any(x["records"] == "member_totp" for x in json.loads(st.stdout))
    rk = stack.ctl("--json", "verify", "rekey")
    assert rk.returncode == 0, rk.stderr
    # Support turns it off: audited, mailed; a second time is refused.
    r = stack.ctl("--json", "account", "totp-off", m.email)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"id": m.id, "totp_off": True}
    assert json.loads(stack.ctl("--json", "account", "show", m.email).stdout)["totp"] is False
    assert "mfa.totp.disable" in events(stack, m.id)
    mail = stack.wait_mail(m.email, subject="二段階認証を解除しました")
    assert "運営事務局" in mail.body
    r = stack.ctl("account", "totp-off", m.email)
    assert r.returncode == 1 and "no two-step" in r.stderr
    assert stack.ctl("account", "totp-off").returncode == 2
    assert stack.ctl("account", "totp-off", "nobody@example.com").returncode == 1
    # A login after it asks no code.
    c = login(stack, m.email)
    assert c.get("/account").status == 200


def test_withdrawal_erases_totp(stack, ins):
    m = new_member(stack, ins)
    enrol(m)
    r = stack.ctl("account", "withdraw", m.email)
    assert r.returncode == 0, r.stderr
    for t in ("member_totp", "member_recovery_codes", "login_pending"):
        (n,), = stack.sql(f"SELECT COUNT(*) FROM {t} WHERE account_id = {m.id}")
        assert n == "0", t


def test_nothing_secret_in_logs(stack):
    assert SECRETS, "run with the tests above"
    files = [p for p in glob.glob(os.path.join(stack.dir, "**", "*"), recursive=True)
             if os.path.isfile(p) and (p.endswith(".log") or "/log/" in p)]
    assert files
    for p in files:
        with open(p, encoding="utf-8", errors="replace") as f:
            body = f.read()
        low = body.lower()
        for s in SECRETS:
            assert s.lower() not in low, (p, "secret or recovery code in the log")
        for code in CODES:
            assert not re.search(rf"(?<![0-9A-Za-z]){code}(?![0-9A-Za-z])", body), \
                (p, "a TOTP code in the log")
