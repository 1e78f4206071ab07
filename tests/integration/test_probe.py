"""
An attacker's and a careful reviewer's probes of the eKYC level and the staff
console (issue 12), kept as regression tests: what an erased member leaves
behind, decisions on attempts that are not waiting, the console's login
redirect and role boundaries, and secrets in the logs.
"""

import json

import pytest

from test_review import SHOTS, jpeg, seal, submitted, status_of  # noqa: F401
from test_review import insurer  # noqa: F401  (module fixture)
from staffkit import new_staff


def _erase(stack, aid):
    r = stack.ctl("account", "delete", str(aid), "--yes")
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("state", ["approved", "submitted"])
def test_erased_member_leaves_no_photo_question_or_note(stack, insurer, state):
    """Deleting an account (account_erase: the member's own deletion, the
    office's, the 100-day rule) takes her photos, her secret question and
    its answer hash, and the texts of her attempts with it; an attempt still
    waiting leaves the review queue."""
    v = submitted(stack, insurer)
    aid, vid = v["account"], v["vid"]
    stack.sql(f"UPDATE verifications SET note = 'ご本人の旧姓：ヤマダ' WHERE id = {vid}")
    if state == "approved":
        r = stack.ctl("review", "approve", str(vid))
        assert r.returncode == 0, r.stdout + r.stderr
        assert stack.sql("SELECT COUNT(*) FROM secret_questions"
                         f" WHERE account_id = {aid}") == [("1",)]
    _erase(stack, aid)
    assert stack.sql("SELECT COUNT(*) FROM verification_images"
                     f" WHERE verification_id = {vid}") == [("0",)]
    assert stack.sql(f"SELECT COUNT(*) FROM secret_questions WHERE account_id = {aid}") \
        == [("0",)]
    (qt, qh, qp, note, purged, status), = stack.sql(
        "SELECT q_text, q_answer_hash, q_preset, note, purged_at IS NOT NULL, status"
        f" FROM verifications WHERE id = {vid}")
    assert (qt, qh, qp, note, purged) == (None, None, None, None, "1")
    assert status == ("approved" if state == "approved" else "cancelled")
    # Nothing of hers is waiting for a reviewer any more.
    r = stack.ctl("--json", "review", "list")
    assert r.returncode == 0, r.stdout + r.stderr
    assert vid not in [x["id"] for x in json.loads(r.stdout)]


def test_withdrawn_member_leaves_no_photo_or_question(stack, insurer):
    """A member who withdraws (退会): her photos and secret question served
    that account only and go at once, whether her attempt was approved
    already or still waits for a reviewer — undecided, it could never be
    approved (review.c) nor reach its retention date (set by the decision),
    so it is cancelled and leaves the queue."""
    waiting = submitted(stack, insurer)
    done = submitted(stack, insurer)
    assert stack.ctl("review", "approve", str(done["vid"])).returncode == 0
    for v in (waiting, done):
        r = stack.ctl("account", "withdraw", str(v["account"]))
        assert r.returncode == 0, r.stdout + r.stderr
        vid = v["vid"]
        assert stack.sql("SELECT COUNT(*) FROM verification_images"
                         f" WHERE verification_id = {vid}") == [("0",)]
        assert stack.sql("SELECT COUNT(*) FROM secret_questions"
                         f" WHERE account_id = {v['account']}") == [("0",)]
        (qh, qt, purged), = stack.sql(
            "SELECT q_answer_hash, q_text, purged_at IS NOT NULL FROM verifications"
            f" WHERE id = {vid}")
        assert (qh, qt, purged) == (None, None, "1")
    assert status_of(stack, waiting["vid"])[0] == "cancelled"
    assert status_of(stack, done["vid"])[0] == "approved"
    r = stack.ctl("--json", "review", "list")
    assert waiting["vid"] not in [x["id"] for x in json.loads(r.stdout)]


def test_no_reviewer_sees_a_draft(stack, insurer, tmp_path):
    """A member's photos are hers until she confirms (/verify/confirm): a
    reviewer guessing the id of an attempt still a draft gets 404 for its
    page and its images, in the console and from kenpoctl, and no view is
    recorded; once submitted, they are there."""
    v = submitted(stack, insurer)
    vid = v["vid"]
    stack.sql(f"UPDATE verifications SET status = 'draft', submitted_at = NULL WHERE id = {vid}")
    rev = new_staff(stack, "reviewer", "drf")
    c = rev["client"]
    assert c.get(f"/review/{vid}").status == 404
    for shot in SHOTS:
        r = c.get(f"/review/{vid}/image?shot={shot}")
        assert r.status == 404 and b"\xff\xd8" not in r.raw, shot
    out = tmp_path / "draft.jpg"
    r = stack.ctl("review", "show", str(vid), "--image", "doc_front", "--out", str(out))
    assert r.returncode != 0 and (not out.exists() or out.stat().st_size == 0)
    assert stack.sql(f"SELECT COUNT(*) FROM image_views WHERE verification_id = {vid}") \
        == [("0",)]
    stack.sql(f"UPDATE verifications SET status = 'submitted', submitted_at = NOW(6)"
              f" WHERE id = {vid}")
    assert c.get(f"/review/{vid}").status == 200
    r = c.get(f"/review/{vid}/image?shot=doc_front")
    assert r.status == 200 and r.raw == v["images"]["doc_front"]


def test_every_console_post_needs_csrf_and_origin(stack, insurer):
    """Each console form that changes something (a decision, an inquiry's
    answer, an enrolment, a login) is refused without the CSRF token and
    from another site's page, and nothing changes."""
    import re
    import urllib.parse
    from staffkit import STAFF_PASSWORD, staff_add, totp, now_step
    v = submitted(stack, insurer)
    rev = new_staff(stack, "admin", "csrf")
    c = rev["client"]
    page = c.get(f"/review/{v['vid']}")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    who = stack.new_email("csrfinq")
    stack.sql("INSERT INTO inquiries (category, email, body, lang) VALUES"
              f" ('other', '{who}', 'ログインできません', 'ja')")
    (iid,), = stack.sql(f"SELECT id FROM inquiries WHERE email = '{who}'")
    forms = [(f"/review/{v['vid']}", {"decision": "approve"}),
             (f"/review/{v['vid']}", {"decision": "reject", "reason": "glare"}),
             (f"/inquiries/{iid}", {"answer": "回答です"})]
    for path, data in forms:
        assert c.post(path, data).status == 403, path
        assert c.post(path, dict(data, csrf="x" * 43)).status == 403, path
        r = c.post(path, dict(data, csrf=token), origin="http://evil.example")
        assert r.status == 403, path
        r = c.post(path, dict(data, csrf=token), origin=None,
                   headers={"Referer": "http://evil.example/review"})
        assert r.status == 403, path
    assert status_of(stack, v["vid"])[0] == "submitted"
    assert stack.sql(f"SELECT status FROM inquiries WHERE id = {iid}") == [("open",)]
    # Enrolment and login: a stranger's browser has a token of its own only.
    email = stack.new_email("csrfenrol")
    sid, url = staff_add(stack, email, "reviewer")
    e = stack.staff_client()
    path = urllib.parse.urlsplit(url).path
    epage = e.get(path)
    secret = re.search(r'id="enrol-secret">([A-Z2-7 ]+)<', epage.text).group(1).replace(" ", "")
    data = {"password": STAFF_PASSWORD, "password2": STAFF_PASSWORD,
            "code": totp(secret, now_step())}
    assert e.post(path, data).status == 403
    assert e.post(path, dict(data, csrf=token)).status == 403     # another session's
    etok = re.search(r'name="csrf" value="([^"]+)"', epage.text).group(1)
    assert e.post(path, dict(data, csrf=etok), origin="http://evil.example").status == 403
    assert stack.sql(f"SELECT enrolled_at IS NULL FROM staff WHERE id = {sid}") == [("1",)]
    lg = stack.staff_client()
    lpage = lg.get("/login")
    ltok = re.search(r'name="csrf" value="([^"]+)"', lpage.text).group(1)
    creds = {"email": rev["email"], "password": STAFF_PASSWORD, "code": "000000"}
    assert lg.post("/login", creds).status == 403
    assert lg.post("/login", dict(creds, csrf=ltok), origin="http://evil.example").status == 403


def test_stepup_lock_not_bypassed_by_sessions_or_a_new_attempt(stack):
    """The 5 wrong answers count for the account, whichever session or
    browser gives them; a new attempt submitted (not yet approved) unlocks
    nothing, and the right answer opens nothing meanwhile."""
    from conftest import csrf
    from test_member import login
    from test_sensitive import apply, answer, verified_member
    from test_verify import health_insurer
    stack.require_demo()
    ins = health_insurer(stack, "ロック確認健康保険組合", "https://kenshin.example.jp/x")
    email, aid, c = verified_member(stack, ins, "さくら")
    c2 = login(stack, email)
    for i in range(3):
        assert answer(c, f"ちがう{i}").status == 200
    assert answer(c2, "ちがう3").status == 200
    r = answer(c2, "ちがう4")
    assert r.status == 303
    assert stack.sql("SELECT failures, locked_at IS NOT NULL FROM secret_questions"
                     f" WHERE account_id = {aid}") == [("5", "1")]
    for cl in (c, c2, login(stack, email)):
        r = cl.get("/sensitive/stepup")
        assert r.status == 303 and r.location.endswith("/sensitive")
    c3 = login(stack, email)
    assert 'id="verify-start"' in c3.get("/verify?again=1").text
    apply(c3, "もみじ", "好きな季節の花は？")
    assert stack.sql(f"SELECT status FROM verifications WHERE account_id = {aid}"
                     " ORDER BY id DESC LIMIT 1") == [("submitted",)]
    page = c3.get("/sensitive")
    assert 'id="sensitive-locked"' in page.text
    for value in ("さくら", "もみじ"):
        r = c3.post("/sensitive/stepup", {"csrf": csrf(page), "answer": value})
        assert r.status == 303 and r.location.endswith("/sensitive")
    assert c3.get("/sensitive/open/checkup").location.endswith("/sensitive")


def test_inquiry_of_an_erased_member_cannot_be_answered(stack):
    """account_erase empties an inquiry's reply address: the console says so
    instead of offering the answer form (a POST anyway: the same notice, not
    a 500), kenpoctl refuses, and nothing is stored or queued."""
    from staffkit import new_staff as staff
    sup = staff(stack, "support", "einq")
    stack.sql("INSERT INTO inquiries (category, email, body, lang) VALUES"
              " ('other', '', '', 'ja')")
    (iid,), = stack.sql("SELECT MAX(id) FROM inquiries")
    c = sup["client"]
    page = c.get(f"/inquiries/{iid}")
    assert page.status == 200 and 'id="inq-erased"' in page.text
    assert 'id="answer-form"' not in page.text
    r = c.submit(page, f"/inquiries/{iid}", {"answer": "回答です"})
    assert r.status == 200 and 'id="inq-erased"' in r.text
    path = stack.dir + "/erased-answer.txt"
    with open(path, "w", encoding="utf-8") as f:
        f.write("回答です\n")
    r = stack.ctl("inquiry", "answer", str(iid), path)
    assert r.returncode == 1 and "erased" in r.stderr, r.stdout + r.stderr
    assert stack.sql(f"SELECT status, answer FROM inquiries WHERE id = {iid}") \
        == [("open", None)]


def test_no_photo_readable_in_a_database_dump(stack):
    """An uploaded photo (as the member's own preview serves it, i.e. the
    normalised JPEG kenpod stores) appears nowhere in a full dump of the
    database: not a slice of its bytes, not a JPEG header."""
    import subprocess
    from imagegen import make_jpeg
    from test_member import login, make_member
    from test_verify import health_insurer, start, upload
    stack.require_demo()
    ins = health_insurer(stack, "ダンプ確認健康保険組合")
    email, aid, _ = make_member(stack, ins)
    c = login(stack, email)
    start(c, "mynumber")
    assert upload(c, "doc_front", make_jpeg(1000, 800)).status == 303
    jpeg = c.get("/verify/preview/doc_front").raw
    assert jpeg[:3] == b"\xff\xd8\xff" and len(jpeg) > 4096
    argv = ["mariadb-dump", "--no-defaults", f"--socket={stack.db.socket}",
            f"-u{stack.db.user}", "--hex-blob", "--skip-extended-insert", "kenpo"]
    dump = subprocess.run(argv, capture_output=True, check=True).stdout.upper()
    assert b"VERIFICATION_IMAGES" in dump
    for off in (0, len(jpeg) // 3, len(jpeg) // 2, len(jpeg) - 64):
        piece = jpeg[off:off + 32]
        assert piece.hex().upper().encode() not in dump, off
        assert piece not in dump, off
    assert b"0XFFD8FF" not in dump and b"4A46494600" not in dump   # SOI, "JFIF\0"


def test_console_cookies_are_samesite_strict(stack):
    """The console's cookies are never sent on a navigation from another
    site (SameSite=Strict): another site's link or page cannot make a
    reviewer's browser open a photo (an audited view in her name) or any
    console page with her session. The public site keeps Lax (members come
    from mail links)."""
    from staffkit import new_staff as staff
    rev = staff(stack, "reviewer", "samesite")
    c = rev["client"]
    page = c.get("/")
    r = c.submit(page, "/logout", {})
    cookies = r.headers.get_all("Set-Cookie") + stack.staff_client().get("/login") \
        .headers.get_all("Set-Cookie")
    assert cookies and all("SameSite=Strict" in x and "HttpOnly" in x for x in cookies), cookies
    pub = stack.client().get("/login").headers.get_all("Set-Cookie")
    assert pub and all("SameSite=Lax" in x for x in pub), pub
