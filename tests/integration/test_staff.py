"""
The staff console (issue 12 item 3): its own listener, staff accounts made with
kenpoctl, enrolment with a TOTP secret (QR code and base32) confirmed by a code
computed here, logins that need the code, replay refused, recovery codes used
once, lockout, roles, and what never reaches a log.
"""

import glob
import json
import os
import re
import shutil
import subprocess
import urllib.parse

import pytest

from conftest import SRC

from staffkit import (STAFF_PASSWORD, enrol, enrol_page, login, new_staff, now_step,
                      staff_add, totp)


def test_enrolment_and_totp_login(stack):
    email = stack.new_email("rev")
    sid, url = staff_add(stack, email, "reviewer")
    assert url.startswith(stack.staff_url + "/enrol/")
    # The secret is never printed by kenpoctl: only the link.
    r = stack.ctl("staff", "list")
    assert email in r.stdout and "pending" in r.stdout
    c, page, secret = enrol_page(stack, url)
    assert page.headers.get("Cache-Control") == "no-store"
    assert page.headers.get("Referrer-Policy") == "strict-origin"
    assert len(secret) == 32                              # 160 bits in base32
    assert re.search(r'<svg [^>]*role="img"', page.text), "no inline QR code"
    assert "otpauth" not in page.text                     # the URI is only in the QR code
    # A second view shows the same secret (sealed at the first one).
    _, _, again = enrol_page(stack, url)
    assert again == secret
    (sealed, key_id), = stack.sql(f"SELECT HEX(totp_sealed), totp_key_id FROM staff WHERE id = {sid}")
    assert sealed and key_id and secret.encode().hex().upper() not in sealed

    path = urllib.parse.urlsplit(url).path
    # A wrong code: the form again, nothing stored.
    bad = f"{(int(totp(secret)) + 500000) % 1000000:06d}"
    r = c.submit(page, path, {"password": STAFF_PASSWORD, "password2": STAFF_PASSWORD, "code": bad})
    assert r.status == 200 and "確認コードが正しくありません" in r.text
    assert stack.sql(f"SELECT enrolled_at FROM staff WHERE id = {sid}") == [(None,)]
    # Passwords that differ.
    r = c.submit(page, path, {"password": STAFF_PASSWORD, "password2": STAFF_PASSWORD + "x",
                              "code": totp(secret)})
    assert r.status == 200 and "一致しません" in r.text

    step = now_step()
    r = c.submit(page, path, {"password": STAFF_PASSWORD, "password2": STAFF_PASSWORD,
                              "code": totp(secret, step)})
    assert r.status == 200, r.text[:500]
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", r.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    # The link is used up.
    assert stack.staff_client().get(path).status == 404
    hashes = {h for (h,) in stack.sql(f"SELECT code_hash FROM staff_recovery_codes WHERE staff_id = {sid}")}
    assert len(hashes) == 10 and not any(code in h for h in hashes for code in codes)
    assert stack.sql(f"SELECT COUNT(*) FROM audit WHERE event = 'staff.enrol' AND staff_id = {sid}") == [("1",)]

    # The code used at enrolment cannot log in again (replay).
    _, r = login(stack, email, totp(secret, step))
    assert r.status == 200 and 'id="login-failed"' in r.text
    # No code, or a wrong password with the right code: refused.
    _, r = login(stack, email, "")
    assert r.status == 200 and "確認コードを入力してください" in r.text
    _, r = login(stack, email, totp(secret, step + 1), password="Wrong-pass-123")
    assert r.status == 200 and 'id="login-failed"' in r.text
    # The next step's code: accepted once.
    c, r = login(stack, email, totp(secret, step + 1))
    assert r.status == 303 and r.location == "/", r.text[:500]
    assert "ssid" in c.cookies
    home = c.get("/")
    assert home.status == 200 and email in home.text
    assert home.headers.get("Cache-Control") == "no-store"
    # The same code again, from another browser: refused.
    _, r = login(stack, email, totp(secret, step + 1))
    assert r.status == 200 and 'id="login-failed"' in r.text

    # A recovery code works once.
    c2, r = login(stack, email, codes[3])
    assert r.status == 303, r.text[:500]
    assert c2.get("/").status == 200
    _, r = login(stack, email, codes[3])
    assert r.status == 200 and 'id="login-failed"' in r.text
    events = [e for (e,) in stack.sql(
        f"SELECT event FROM audit WHERE staff_id = {sid} ORDER BY id")]
    assert "staff.login.ok" in events and "staff.login.recovery" in events
    assert events.count("staff.login.fail") >= 3

    # Logout ends the session.
    page = c.get("/")
    r = c.submit(page, "/logout", {})
    assert r.status == 303 and r.location == "/login"
    r = c.get("/review")
    assert r.status == 303 and r.location.startswith("/login")


def test_lockout(stack):
    s = new_staff(stack, "support", "lock")
    for i in range(5):
        _, r = login(stack, s["email"], "000000", password="Wrong-pass-123")
        assert r.status == 200
    assert "しばらくの間ログインできません" in r.text
    # Even the right password and a fresh code are refused while locked.
    _, r = login(stack, s["email"], totp(s["secret"], s["last_step"] + 1))
    assert r.status == 200 and "しばらくの間ログインできません" in r.text
    # The session opened before the lock is closed too.
    assert s["client"].get("/").status == 303
    assert stack.sql("SELECT COUNT(*) FROM audit WHERE event = 'staff.login.lock'"
                     f" AND staff_id = {s['id']}") == [("1",)]


def test_roles(stack):
    rev = new_staff(stack, "reviewer", "rrole")
    sup = new_staff(stack, "support", "srole")
    adm = new_staff(stack, "admin", "arole")
    r = sup["client"].get("/review")
    assert r.status == 403 and "権限がありません" in r.text and 'id="staff-need"' in r.text
    assert "審査担当" in r.text
    assert sup["client"].get("/review/1").status == 403
    assert sup["client"].get("/review/1/image?shot=doc_front").status == 403
    assert sup["client"].get("/inquiries").status == 200
    r = rev["client"].get("/inquiries")
    assert r.status == 403 and "問い合わせ担当" in r.text
    assert rev["client"].get("/staff").status == 403
    assert rev["client"].get("/review").status == 200
    for path in ("/review", "/inquiries", "/staff"):
        assert adm["client"].get(path).status == 200, path
    r = adm["client"].get("/staff")
    assert rev["email"] in r.text and sup["email"] in r.text
    assert stack.sql("SELECT COUNT(*) FROM audit WHERE event = 'staff.forbidden'"
                     f" AND staff_id = {sup['id']}") >= [("3",)]


def test_listeners_are_separate(stack):
    """Member routes are not served on the staff socket, nor staff routes on the
    public one."""
    pub, st = stack.client(), stack.staff_client()
    for path in ("/review", "/review/1", "/review/1/image", "/inquiries", "/inquiries/1",
                 "/staff", "/enrol/" + "A" * 43):
        assert pub.get(path).status == 404, path
    for path in ("/signup", "/top", "/account", "/inquiry/new", "/password/forgot",
                 "/users/x/activate", "/metrics", "/terms/service", "/help/faq"):
        assert st.get(path).status == 404, path
    # "/" and "/login" exist on both, and differ.
    assert st.get("/").status == 303
    assert "スタッフログイン" in st.get("/login").text
    assert "スタッフログイン" not in pub.get("/login").text
    # A staff login posted to the public site is the member login, not ours.
    assert "kenpod-staff" in [c for _, c, _ in stack.main.children()]
    assert len(stack.main.staff_pids()) == 2


def test_forms_need_csrf_and_origin(stack):
    s = new_staff(stack, "support", "csrf")
    c = s["client"]
    r = c.post("/logout", {})
    assert r.status == 403
    page = c.get("/")
    r = c.post("/logout", {"csrf": re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)},
               origin="http://evil.example")
    assert r.status == 403
    assert c.get("/").status == 200      # still logged in


def test_kenpoctl_staff(stack):
    email = stack.new_email("ctl")
    sid, url = staff_add(stack, email, "support")
    r = stack.ctl("staff", "add", email, "--role", "support")
    assert r.returncode == 1 and "already" in r.stderr
    assert stack.ctl("staff", "add", email, "--role", "boss").returncode == 2
    r = stack.ctl("--json", "staff", "list")
    rows = json.loads(r.stdout)
    assert isinstance(rows, list)
    (me,) = [x for x in rows if x["email"] == email]
    assert me["role"] == "support" and me["state"] == "pending"
    secret, codes, step = enrol(stack, url)
    # reset: a new link, the old secret and codes void.
    r = stack.ctl("--json", "staff", "reset", email)
    assert r.returncode == 0, r.stderr
    url2 = json.loads(r.stdout)["enrol_url"]
    assert url2 != url
    _, r = login(stack, email, codes[0])
    assert r.status == 200 and 'id="login-failed"' in r.text
    _, _, secret2 = enrol_page(stack, url2)
    assert secret2 != secret
    secret2, codes2, step2 = enrol(stack, url2)
    c, r = login(stack, email, totp(secret2, step2 + 1))
    assert r.status == 303
    # disable: the session ends, logins are refused.
    r = stack.ctl("--json", "staff", "disable", email)
    assert r.returncode == 0 and json.loads(r.stdout)["state"] == "disabled"
    assert c.get("/").status == 303
    _, r = login(stack, email, codes2[0])
    assert r.status == 200 and 'id="login-failed"' in r.text
    assert stack.ctl("staff", "disable", email).returncode == 1


def test_enrol_link_invalid(stack):
    st = stack.staff_client()
    r = st.get("/enrol/" + "B" * 43)
    assert r.status == 404 and "登録用リンクが無効です" in r.text
    assert st.get("/enrol/short").status == 404


def test_no_secret_in_logs(stack):
    email = stack.new_email("logs")
    sid, url = staff_add(stack, email, "reviewer")
    secret, codes, step = enrol(stack, url)
    c, r = login(stack, email, totp(secret, step + 1))
    assert r.status == 303
    login(stack, email, codes[0])
    login(stack, email, totp(secret, step + 1), password="Wrong-pass-456")
    token = urllib.parse.urlsplit(url).path.rsplit("/", 1)[1]
    texts = []
    for root, _, files in os.walk(stack.main.dir):
        for f in files:
            if f.endswith(".log"):
                with open(os.path.join(root, f), encoding="utf-8", errors="replace") as fh:
                    texts.append(fh.read())
    text = "\n".join(texts)
    assert "/enrol/-" in text            # the access log masks the token
    for needle in [secret, token, STAFF_PASSWORD, "Wrong-pass-456"] + codes:
        assert needle not in text, needle
    # The codes are six digits: look for them as a value of their own.
    for code in (totp(secret, step), totp(secret, step + 1)):
        assert not re.search(r"(?<![0-9A-Za-z])" + code + r"(?![0-9A-Za-z])", text), code


def test_production_nginx_example(tmp_path):
    """contrib/nginx/kenpo-staff.conf.in: nginx -t accepts it, it listens on a
    private address only, passes only to the staff socket, and keeps the
    enrolment links out of the error log."""
    path = os.path.join(SRC, "contrib", "nginx", "kenpo-staff.conf.in")
    with open(path, encoding="utf-8") as f:
        site = f.read()
    plain = re.sub(r"#[^\n]*", "", site)
    listens = re.findall(r"^\s*listen\s+([^;\s]+)", plain, re.M)
    assert listens and all(re.match(r"(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)", a)
                           for a in listens), listens
    assert re.findall(r"fastcgi_pass\s+([^;]+);", plain) == ["kenpod_staff"] * 2
    assert "server unix:/run/kenpo/kenpod-staff.sock;" in plain
    enrol = plain[plain.index("location ~ ^/enrol/"):]
    assert "error_log /dev/null;" in enrol[:enrol.index("}")]
    for d in ("log", "temp", "ssl"):
        (tmp_path / d).mkdir()
    key, cert = str(tmp_path / "ssl" / "k.pem"), str(tmp_path / "ssl" / "c.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                    "-subj", "/CN=kenpo-staff.internal", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    for old, new in (("/etc/ssl/kenpo/staff.crt", cert), ("/etc/ssl/kenpo/staff.key", key),
                     ("/var/log/nginx/", str(tmp_path / "log") + "/"),
                     ("@pkgdatadir@/htdocs", os.path.join(SRC, "htdocs")),
                     ("10.0.0.5:8443", "127.0.0.1:8443")):
        assert old in site, old
        site = site.replace(old, new)
    (tmp_path / "staff.conf").write_text(site, encoding="utf-8")
    shutil.copy("/etc/nginx/fastcgi_params", tmp_path / "fastcgi_params")
    temps = "".join(f"\t{k}_temp_path {tmp_path}/temp/{k};\n"
                    for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = tmp_path / "nginx.conf"
    main.write_text(f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/log/error.log;\n"
                    f"events {{ worker_connections 64; }}\n"
                    f"http {{\n\tinclude /etc/nginx/mime.types;\n{temps}"
                    f"\tinclude {tmp_path}/staff.conf;\n}}\n", encoding="utf-8")
    r = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(main),
                        "-e", str(tmp_path / "log" / "error.log")],
                       capture_output=True, text=True, timeout=30)
    out = r.stdout + r.stderr
    assert r.returncode == 0 and "test is successful" in out, out
    assert "[warn]" not in out and "[emerg]" not in out, out


def test_support_answers_inquiries(stack):
    who = stack.new_email("asker")
    body = "ログインできません <script>alert(1)</script>\n2行目"
    stack.sql("INSERT INTO inquiries (category, email, name, body, lang) VALUES"
              f" ('other', '{who}', '問合 花子', '{body}', 'ja')")
    (iid,), = stack.sql(f"SELECT id FROM inquiries WHERE email = '{who}'")
    sup = new_staff(stack, "support", "inq")
    c = sup["client"]
    r = c.get("/inquiries")
    assert r.status == 200 and f'data-id="{iid}"' in r.text
    page = c.get(f"/inquiries/{iid}")
    assert page.status == 200 and page.headers.get("Cache-Control") == "no-store"
    assert who in page.text and "&lt;script&gt;" in page.text and "<script>alert" not in page.text
    # An empty answer: the form again.
    r = c.submit(page, f"/inquiries/{iid}", {"answer": "  "})
    assert r.status == 200 and "回答を入力してください" in r.text
    answer = "パスワードの再設定をお試しください。"
    r = c.submit(page, f"/inquiries/{iid}", {"answer": answer})
    assert r.status == 303 and r.location == f"/inquiries/{iid}?done=1"
    assert stack.sql(f"SELECT status, answer FROM inquiries WHERE id = {iid}") == [("answered", answer)]
    m = stack.wait_mail(who)
    assert f"受付番号 {iid}" in m.subject and answer in m.body and "alert" not in m.body
    assert stack.sql("SELECT COUNT(*) FROM audit WHERE event = 'inquiry.answer'"
                     f" AND staff_id = {sup['id']}") == [("1",)]
    # Answered already: refused unless asked for again.
    page = c.get(f"/inquiries/{iid}")
    assert 'name="again"' in page.text
    r = c.submit(page, f"/inquiries/{iid}", {"answer": "追伸"})
    assert r.status == 200 and 'id="inq-already"' in r.text
    r = c.submit(page, f"/inquiries/{iid}", {"answer": "追伸", "again": "1"})
    assert r.status == 303
    stack.wait_mail(who, n=2)
    assert c.get("/inquiries/999999999").status == 404
    assert c.get("/inquiries/abc").status == 404


def test_totp_secret_survives_key_rotation(stack, tmp_path):
    """The TOTP secrets are sealed by the vault: after `kenpoctl verify rekey` to
    a new master key (docs/operations.md, Key rotation) and the old key dropped,
    staff still log in with their authenticator; the old key alone no longer
    opens them."""
    from conftest import BUILD
    s = new_staff(stack, "reviewer", "rot")
    old, new = stack.master_key, os.urandom(32).hex()

    def ctl(name, keys, *args):
        conf = tmp_path / f"{name}.hdf"
        cfg = dict(stack.main.config)
        cfg.update(keys)
        conf.write_text("".join(f"{k} = {v}\n" for k, v in cfg.items()))
        return subprocess.run([os.path.join(BUILD, "kenpoctl"), "-c", str(conf), "--json",
                               *args], capture_output=True, text=True, timeout=60)

    r = ctl("both", {"Verify.MasterKey": new, "Verify.OldMasterKeys": old}, "verify", "rekey")
    assert r.returncode == 0, r.stdout + r.stderr
    # The codes of this step were used at enrolment and login: forget that
    # (here only the vault is under test, not replay).
    stack.sql(f"UPDATE staff SET totp_last_step = 0 WHERE id = {s['id']}")
    try:
        fe = stack.frontend(config={"Verify.MasterKey": new})
        c = fe.staff_client()
        page = c.get("/login")
        r = c.submit(page, "/login", {"email": s["email"], "password": STAFF_PASSWORD,
                                      "code": totp(s["secret"])})
        assert r.status == 303, r.text[:500]
        stack.stop_frontend(fe)
        # The main frontend, with the old key only, cannot open it now.
        stack.sql(f"UPDATE staff SET totp_last_step = 0 WHERE id = {s['id']}")
        _, r = login(stack, s["email"], totp(s["secret"]))
        assert r.status == 500 and "staff" in "\n".join(stack.main.log_lines()[-5:])
    finally:
        r = ctl("back", {"Verify.MasterKey": old, "Verify.OldMasterKeys": new}, "verify", "rekey")
        assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.valgrind
def test_staff_worker_under_valgrind_leaks_nothing(stack):
    """One staff worker under valgrind: enrolment, TOTP and recovery logins, the
    queue, a review page and its images, inquiries, the staff list, refusals;
    after a graceful stop no memory error and nothing lost in any process."""
    from test_review import submitted
    vgdir = os.path.join(stack.dir, "valgrind-staff")
    os.makedirs(vgdir, exist_ok=True)
    ins = _free_insurer(stack)
    r = stack.ctl("insurer", "add", ins, "VG健康保険組合", "--pattern", "4")
    assert r.returncode == 0, r.stderr
    v = submitted(stack, ins)
    fe = stack.frontend(
        config={"Server.Workers": "1", "Staff.Workers": "1", "Server.LogLevel": "warn"},
        wrapper=["valgrind", "--quiet", "--leak-check=full",
                 "--show-leak-kinds=definite,indirect",
                 "--errors-for-leak-kinds=definite,indirect",
                 "--num-callers=30", f"--log-file={vgdir}/vg.%p"])
    try:
        email = stack.new_email("vg")
        sid, url = staff_add(stack, email, "admin")
        path = urllib.parse.urlsplit(url).path
        c = fe.staff_client(timeout=120)
        page = c.get(path)
        assert page.status == 200, page.text[:300]
        secret = re.search(r'id="enrol-secret">([A-Z2-7 ]+)<', page.text).group(1).replace(" ", "")
        step = now_step()
        r = c.submit(page, path, {"password": STAFF_PASSWORD, "password2": "x", "code": "1"})
        assert r.status == 200
        r = c.submit(page, path, {"password": STAFF_PASSWORD, "password2": STAFF_PASSWORD,
                                  "code": totp(secret, step)})
        assert r.status == 200
        codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", r.text)
        page = c.get("/login")
        r = c.submit(page, "/login", {"email": email, "password": STAFF_PASSWORD,
                                      "code": totp(secret, step + 1)})
        assert r.status == 303, r.text[:300]
        for i in range(15):
            assert c.get("/").status == 200
            assert c.get("/review").status == 200
            assert c.get(f"/review/{v['vid']}").status == 200
            assert c.get(f"/review/{v['vid']}/image?shot=doc_front").status == 200
            assert c.get(f"/review/{v['vid']}/image?shot=doc_back").status == 404
            assert c.get("/inquiries").status == 200
            assert c.get("/staff").status == 200
            assert c.get(f"/nothing-{i}").status == 404
            assert c.post("/logout", {"csrf": "forged"}).status == 403
            assert c.get("/enrol/" + "C" * 43).status == 404
            page = c.get(f"/review/{v['vid']}")
            assert c.submit(page, f"/review/{v['vid']}", {"decision": "reject"}).status == 200
        page = c.get(f"/review/{v['vid']}")
        assert c.submit(page, f"/review/{v['vid']}", {"decision": "approve"}).status == 303
        c2 = fe.staff_client(timeout=120)
        page = c2.get("/login")
        assert c2.submit(page, "/login", {"email": email, "password": STAFF_PASSWORD,
                                          "code": codes[0]}).status == 303
        page = c2.get("/login")      # logged in: the session's CSRF token now
        assert c2.submit(page, "/login", {"email": email, "password": "wrong-Pass-1",
                                          "code": codes[1]}).status == 200
    finally:
        rc = fe.stop_kenpod(timeout=180)
        stack.stop_frontend(fe)
    assert rc == 0, "kenpod did not stop cleanly under valgrind"
    reports = glob.glob(os.path.join(vgdir, "vg.*"))
    assert len(reports) >= 4, "expected reports of the master, both workers and the mailer"
    problems = []
    for p in reports:
        with open(p, encoding="utf-8", errors="replace") as f:
            text = f.read()
        if re.search(r"(definitely|indirectly) lost in", text) or \
                re.search(r"Invalid (read|write|free)|uninitialised|Mismatched free", text):
            problems.append(f"{os.path.basename(p)}:\n{text[:4000]}")
    assert not problems, "valgrind found problems:\n" + "\n".join(problems)


def _free_insurer(stack):
    from conftest import insurer_number
    for _ in range(20):
        n = insurer_number("0696")
        if not stack.sql(f"SELECT id FROM insurers WHERE number = '{n}'"):
            return n
    pytest.fail("no free insurer number")


def test_counts_made_ahead_are_given_back_on_success(stack):
    """The address's and the account's failure counts are made before the
    check (an error while counting answers before anything is checked, and an
    attempt that cannot be counted is not made); a failure keeps them, a
    success gives them back."""
    s = new_staff(stack, "reviewer", "ahead")

    def ip_count():
        (n,), = stack.sql("SELECT COALESCE(SUM(count), 0) FROM throttle"
                          " WHERE k LIKE 'staff-login:ip:%'")
        return int(n)
    before = ip_count()
    _, r = login(stack, s["email"], "123456", password="Wrong-pass-9")
    assert r.status == 200 and 'id="login-failed"' in r.text
    assert ip_count() == before + 1
    assert stack.sql(f"SELECT failures FROM staff WHERE id = {s['id']}") == [("1",)]
    # (Only the counts are under test here, not replay.)
    stack.sql(f"UPDATE staff SET totp_last_step = 0 WHERE id = {s['id']}")
    _, r = login(stack, s["email"], totp(s["secret"], now_step()))
    assert r.status == 303, r.text[:500]
    assert ip_count() == before + 1
    assert stack.sql(f"SELECT failures FROM staff WHERE id = {s['id']}") == [("0",)]


def test_failures_per_address_are_throttled(stack):
    """Twenty failed console logins from one address (any accounts, known or
    not) within ten minutes: that address is refused without a check (429),
    even with the right password and code; another address is not."""
    s = new_staff(stack, "reviewer", "thr")
    stack.sql(f"UPDATE staff SET totp_last_step = 0 WHERE id = {s['id']}")
    fe = stack.frontend(config={"Server.TrustedProxies": "127.0.0.1"})
    try:
        def post(ip, email, password, code):
            c = fe.staff_client()
            h = {"X-Forwarded-For": ip}
            page = c.get("/login", headers=h)
            return c.post("/login", {"email": email, "password": password, "code": code,
                                     "csrf": re.search(r'name="csrf" value="([^"]+)"',
                                                       page.text).group(1)}, headers=h)
        bad = "198.51.100.7"
        for i in range(20):
            r = post(bad, stack.new_email("nobody"), "Wrong-pass-9", "123456")
            assert r.status == 200 and 'id="login-failed"' in r.text
        r = post(bad, s["email"], STAFF_PASSWORD, totp(s["secret"]))
        assert r.status == 429
        r = post("198.51.100.8", s["email"], STAFF_PASSWORD, totp(s["secret"]))
        assert r.status == 303
        assert stack.sql("SELECT COUNT(*) FROM audit WHERE event = 'staff.login.throttled'"
                         " AND ip = '198.51.100.7'") == [("1",)]
    finally:
        stack.stop_frontend(fe)


def test_session_idle_timeout(stack):
    s = new_staff(stack, "support", "idle")
    (idle,), = stack.sql("SELECT TIMESTAMPDIFF(MINUTE, NOW(6), idle_expires_at) FROM"
                         f" staff_sessions WHERE staff_id = {s['id']}")
    assert 13 <= int(idle) <= 15                       # Staff.IdleMinutes: 15
    assert s["client"].get("/").status == 200
    stack.sql("UPDATE staff_sessions SET idle_expires_at = NOW(6) - INTERVAL 1 SECOND"
              f" WHERE staff_id = {s['id']}")
    r = s["client"].get("/inquiries")
    assert r.status == 303 and r.location == "/login?next=/inquiries"
    assert stack.sql(f"SELECT COUNT(*) FROM staff_sessions WHERE staff_id = {s['id']}") == [("0",)]
    assert "ssid" not in s["client"].cookies


@pytest.mark.parametrize("order", ["public-first", "staff-first"])
def test_systemd_socket_activation_by_name(stack, order):
    """Under systemd both sockets are passed (kenpod.socket and kenpod-staff.socket,
    the latter named "staff"): kenpod tells them apart by name, whatever their
    order, and serves the console only on the staff one."""
    from conftest import BUILD, Frontend, port_open, spawn, wait_until
    fe = Frontend(stack, f"sa-{order}")
    fe.config["Server.Socket"] = os.path.join(fe.dir, "run", "unused.sock")
    fe.config["Staff.Socket"] = os.path.join(fe.dir, "run", "unused-staff.sock")
    fe.write_config()
    socks = [("kenpod.socket", fe.socket), ("staff", fe.staff_socket)]
    if order == "staff-first":
        socks.reverse()
    argv = ["systemd-socket-activate"]
    for _, path in socks:
        argv += ["-l", path]
    argv += ["--fdname=" + ":".join(n for n, _ in socks),
             os.path.join(BUILD, "kenpod"), "-c", fe.conf]
    fe.kenpod = spawn(argv, fe.log)
    stack.frontends.append(fe)
    try:
        wait_until(lambda: os.path.exists(fe.socket) and os.path.exists(fe.staff_socket),
                   20, "systemd-socket-activate made no sockets", fe.kenpod, fe.log)
        fe.start_nginx()
        fe.wait_healthy(60)
        pub, st = fe.client(), fe.staff_client()
        assert "スタッフログイン" in st.get("/login").text
        assert "スタッフログイン" not in pub.get("/login").text
        assert pub.get("/review").status == 404
        assert st.get("/signup").status == 404
        # Neither configured path was bound: the passed sockets were used.
        assert not os.path.exists(fe.config["Server.Socket"])
        assert not os.path.exists(fe.config["Staff.Socket"])
    finally:
        stack.stop_frontend(fe)
