"""
The eKYC review (issue 12 item 3): submitted verifications with images sealed
here exactly as src/vault.h describes, reviewed in the staff console (TOTP
login) and with kenpoctl review; approve and reject, the member's mail either
way, images served no-store and every view recorded, roles.
"""

import hashlib
import io
import json
import os
import re

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from PIL import Image

from conftest import argon2_hash, digits, insurer_number
from staffkit import new_staff

_seq = [0]


# ------------------------------------------------------------------ setup

def master_key(stack):
    """The master key kenpod seals with (Verify.MasterKey of the test config)."""
    hexkey = stack.main.config.get("Verify.MasterKey")
    assert hexkey and len(hexkey) == 64, "no Verify.MasterKey in the test configuration"
    return bytes.fromhex(hexkey)


def seal(stack, plain, context):
    """(key_id, wrapped, sealed) as src/vault.h specifies: AES-256-GCM under a
    fresh data key (AAD: the context), the data key wrapped by the master key
    (AAD: "kenpo-dek:" + key_id)."""
    mk = master_key(stack)
    key_id = hashlib.sha256(b"kenpo-master:" + mk).hexdigest()[:16]
    dek = os.urandom(32)
    n1, n2 = os.urandom(12), os.urandom(12)
    wrapped = n1 + AESGCM(mk).encrypt(n1, dek, b"kenpo-dek:" + key_id.encode())
    sealed = n2 + AESGCM(dek).encrypt(n2, plain, context.encode())
    assert len(wrapped) == 60 and len(sealed) == len(plain) + 28
    return key_id, wrapped, sealed


def jpeg(color, size=(96, 64)):
    b = io.BytesIO()
    Image.new("RGB", size, color).save(b, "JPEG", quality=90)
    return b.getvalue()


@pytest.fixture(scope="module")
def insurer(stack):
    for _ in range(20):
        n = insurer_number("0695")
        r = stack.ctl("insurer", "add", n, "審査テスト健康保険組合", "--pattern", "4")
        if r.returncode == 0:
            return n
    pytest.fail("cannot add a test insurer: " + r.stdout + r.stderr)


def make_member(stack, insurer, lang="ja"):
    """An active level-2 account bound to a new roster person: (email, id, kana)."""
    _seq[0] += 1
    pid = f"R{os.getpid()}-{_seq[0]}-{os.urandom(3).hex()}"
    kana = "シンサ" + "アイウエオ"[_seq[0] % 5] + "タロウ"
    path = os.path.join(stack.dir, f"review-{pid}.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("insurer_number,personal_id,symbol,number,branch,name_kana,birthdate,"
                "qualified_from,qualified_until\n")
        f.write(f"{insurer},{pid},{digits(3)},{digits(7)},,{kana},1975-03-14,2010-04-01,\n")
    r = stack.ctl("roster", "import", insurer, path)
    assert r.returncode == 0, r.stdout + r.stderr
    email = stack.new_email("kyc")
    stack.sql("INSERT INTO accounts (email, password_hash, state, level, lang, insurer_id,"
              " roster_id, activated_at) SELECT"
              f" '{email}', '{argon2_hash('Member-pass-1')}', 'active', 2, '{lang}', i.id, r.id,"
              " NOW(6) FROM insurers i JOIN roster r ON r.insurer_id = i.id"
              f" WHERE i.number = '{insurer}' AND r.personal_id = '{pid}'")
    (aid,), = stack.sql(f"SELECT id FROM accounts WHERE email = '{email}'")
    return email, int(aid), kana


SHOTS = {"doc_front": (200, 30, 30), "doc_angle": (30, 200, 30),
         "face_front": (30, 30, 200), "face_angle": (200, 200, 30)}


def submitted(stack, insurer, lang="ja", shots=SHOTS):
    """A submitted verification with sealed images: dict(vid, email, account, kana, images)."""
    email, aid, kana = make_member(stack, insurer, lang)
    qhash = argon2_hash("ミケ")
    stack.sql("INSERT INTO verifications (account_id, method, document, remarks, face_angle,"
              " q_text, q_answer_hash, status, submitted_at) VALUES"
              f" ({aid}, 'photo_review', 'license', 0, 'right_closed',"
              f" '初めて飼ったペットの名前は？', '{qhash}', 'submitted', NOW(6))")
    (vid,), = stack.sql(f"SELECT MAX(id) FROM verifications WHERE account_id = {aid}")
    images = {}
    for shot, color in shots.items():
        data = jpeg(color)
        key_id, wrapped, sealed = seal(stack, data, f"image:{vid}:{shot}")
        stack.sql("INSERT INTO verification_images (verification_id, shot, key_id, wrapped_key,"
                  f" sealed, width, height) VALUES ({vid}, '{shot}', '{key_id}',"
                  f" X'{wrapped.hex()}', X'{sealed.hex()}', 96, 64)")
        images[shot] = data
    return {"vid": int(vid), "email": email, "account": aid, "kana": kana, "images": images,
            "qhash": qhash}


def status_of(stack, vid):
    (row,) = stack.sql("SELECT status, reason, note, decided_by, decided_at IS NOT NULL,"
                       " TIMESTAMPDIFF(HOUR, NOW(6), purge_after) FROM verifications"
                       f" WHERE id = {vid}")
    return row


def level_of(stack, aid):
    (lv,), = stack.sql(f"SELECT level FROM accounts WHERE id = {aid}")
    return int(lv)


# ------------------------------------------------------------------ tests

def test_console_approve(stack, insurer):
    v = submitted(stack, insurer)
    rev = new_staff(stack, "reviewer", "apr")
    c = rev["client"]
    q = c.get("/review")
    assert q.status == 200 and f'data-id="{v["vid"]}"' in q.text
    page = c.get(f"/review/{v['vid']}")
    assert page.status == 200
    assert page.headers.get("Cache-Control") == "no-store"
    assert v["kana"] in page.text and "1975-03-14" in page.text
    assert "運転免許証" in page.text and "右を向いて口を閉じる" in page.text
    for shot in SHOTS:
        assert f'src="/review/{v["vid"]}/image?shot={shot}"' in page.text
    # The document shots are beside the face shots.
    assert page.text.index('id="doc-shots"') < page.text.index('id="face-shots"')
    # Every image as sent, no-store, each view recorded.
    for shot, data in v["images"].items():
        r = c.get(f"/review/{v['vid']}/image?shot={shot}")
        assert r.status == 200 and r.headers.get("Content-Type") == "image/jpeg"
        assert r.headers.get("Cache-Control") == "no-store"
        assert r.raw == data
    views = stack.sql("SELECT staff_id, shot FROM image_views"
                      f" WHERE verification_id = {v['vid']} ORDER BY id")
    assert views == [(str(rev["id"]), s) for s in SHOTS]
    assert c.get(f"/review/{v['vid']}/image?shot=doc_back").status == 404   # not taken
    assert c.get(f"/review/{v['vid']}/image?shot=passport").status == 404

    r = c.submit(page, f"/review/{v['vid']}", {"decision": "approve"})
    assert r.status == 303 and r.location == f"/review?done={v['vid']}", r.text[:500]
    st, reason, note, by, decided, purge_h = status_of(stack, v["vid"])
    assert (st, reason, by, decided) == ("approved", None, str(rev["id"]), "1")
    assert 30 * 24 - 2 <= int(purge_h) <= 30 * 24
    assert level_of(stack, v["account"]) == 3
    (qh, fails, locked), = stack.sql("SELECT answer_hash, failures, locked_at FROM"
                                     f" secret_questions WHERE account_id = {v['account']}")
    assert (qh, fails, locked) == (v["qhash"], "0", None)
    assert stack.sql("SELECT COUNT(*) FROM audit WHERE event = 'review.approve'"
                     f" AND account_id = {v['account']} AND staff_id = {rev['id']}") == [("1",)]
    m = stack.wait_mail(v["email"], subject="健診・医療アクセス認証が完了しました")
    assert "/top" in m.body
    # Decided: the form is gone; a late POST changes nothing.
    again = c.get(f"/review/{v['vid']}")
    assert 'id="decide-form"' not in again.text
    r = c.submit(page, f"/review/{v['vid']}", {"decision": "reject", "reason": "glare"})
    assert r.status == 200 and 'id="review-already"' in r.text
    assert status_of(stack, v["vid"])[0] == "approved"


def test_console_reject(stack, insurer):
    v = submitted(stack, insurer, lang="en")
    rev = new_staff(stack, "admin", "rej")
    c = rev["client"]
    page = c.get(f"/review/{v['vid']}")
    assert page.status == 200
    # Reject without a reason: the form again, nothing decided.
    r = c.submit(page, f"/review/{v['vid']}", {"decision": "reject"})
    assert r.status == 200 and "否認の理由を選んでください" in r.text
    r = c.submit(page, f"/review/{v['vid']}", {"decision": "reject", "reason": "because"})
    assert r.status == 200 and "否認の理由を選んでください" in r.text
    r = c.submit(page, f"/review/{v['vid']}", {"decision": "reject", "reason": "glare",
                                               "note": "あ" * 1001})
    assert r.status == 200 and "1000文字以内" in r.text
    r = c.submit(page, f"/review/{v['vid']}", {})
    assert r.status == 200 and "選んでください" in r.text
    assert status_of(stack, v["vid"])[0] == "submitted"
    note = "Please photograph the card away from the window <b>light</b>."
    r = c.submit(page, f"/review/{v['vid']}", {"decision": "reject", "reason": "glare",
                                               "note": note})
    assert r.status == 303
    st, reason, dbnote, by, decided, purge_h = status_of(stack, v["vid"])
    assert (st, reason, dbnote, by) == ("rejected", "glare", note, str(rev["id"]))
    assert level_of(stack, v["account"]) == 2
    assert stack.sql(f"SELECT COUNT(*) FROM secret_questions WHERE account_id = {v['account']}") == [("0",)]
    m = stack.wait_mail(v["email"])
    assert "could not be completed" in m.subject
    # In the member's words (as /verify says it), not the reviewer's label.
    assert "Glare hid the text or the photo of the document." in m.body and note in m.body and "/verify" in m.body
    # The decided page shows the reason, escaped.
    again = c.get(f"/review/{v['vid']}")
    assert "光の反射で読み取れない" in again.text


def test_kenpoctl_review(stack, insurer, tmp_path):
    a = submitted(stack, insurer)
    b = submitted(stack, insurer)
    r = stack.ctl("--json", "review", "list")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert isinstance(rows, list)
    ids = [x["id"] for x in rows]
    assert a["vid"] in ids and b["vid"] in ids and ids.index(a["vid"]) < ids.index(b["vid"])
    (ra,) = [x for x in rows if x["id"] == a["vid"]]
    assert ra["name_kana"] == a["kana"] and ra["birthdate"] == "1975-03-14"
    r = stack.ctl("--json", "review", "show", a["vid"])
    rec = json.loads(r.stdout)
    assert rec["face_angle"] == "right_closed" and rec["document"] == "license"
    assert rec["shots"] == "doc_front doc_angle face_front face_angle"
    assert "sealed" not in r.stdout
    out = tmp_path / "face.jpg"
    r = stack.ctl("review", "show", a["vid"], "--image", "face_front", "--out", out)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == a["images"]["face_front"]
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert stack.sql("SELECT staff_id FROM image_views WHERE verification_id ="
                     f" {a['vid']} AND shot = 'face_front'") == [(None,)]
    r = stack.ctl("review", "show", a["vid"], "--image", "face_front", "--out", out)
    assert r.returncode == 1          # never overwrites a file

    r = stack.ctl("--json", "review", "approve", a["vid"])
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["status"] == "approved"
    st, _, _, by, decided, _ = status_of(stack, a["vid"])
    assert (st, by, decided) == ("approved", None, "1")
    assert level_of(stack, a["account"]) == 3
    stack.wait_mail(a["email"], subject="健診・医療アクセス認証が完了しました")
    assert stack.ctl("review", "approve", a["vid"]).returncode == 1

    assert stack.ctl("review", "reject", b["vid"], "--reason", "lazy").returncode == 2
    assert stack.ctl("review", "reject", b["vid"]).returncode == 2
    r = stack.ctl("review", "reject", b["vid"], "--reason", "expired", "--note", "有効期限内の書類で")
    assert r.returncode == 0, r.stderr
    assert status_of(stack, b["vid"])[:3] == ("rejected", "expired", "有効期限内の書類で")
    m = stack.wait_mail(b["email"])
    assert "完了できませんでした" in m.subject
    assert "本人確認書類の有効期限が切れていました。" in m.body and "有効期限内の書類で" in m.body
    assert "/verify" in m.body
    assert stack.ctl("review", "show", 999999999).returncode == 1
    assert stack.sql("SELECT COUNT(*) FROM audit WHERE event IN ('review.approve', 'review.reject')"
                     f" AND account_id IN ({a['account']}, {b['account']}) AND staff_id IS NULL") == [("2",)]


def test_images_only_for_reviewers(stack, insurer):
    v = submitted(stack, insurer)
    sup = new_staff(stack, "support", "img")
    r = sup["client"].get(f"/review/{v['vid']}/image?shot=doc_front")
    assert r.status == 403 and b"\xff\xd8" not in r.raw
    assert stack.sql(f"SELECT COUNT(*) FROM image_views WHERE verification_id = {v['vid']}") == [("0",)]
    # Not logged in: to the login page, no image.
    r = stack.staff_client().get(f"/review/{v['vid']}/image?shot=doc_front")
    assert r.status == 303 and r.location.startswith("/login")
    # Never on the public listener.
    assert stack.client().get(f"/review/{v['vid']}/image?shot=doc_front").status == 404
    # A blob moved to another row does not open (the context binds it).
    w = submitted(stack, insurer)
    stack.sql("UPDATE verification_images a JOIN verification_images b ON"
              f" b.verification_id = {v['vid']} AND b.shot = 'doc_front'"
              " SET a.sealed = b.sealed, a.wrapped_key = b.wrapped_key"
              f" WHERE a.verification_id = {w['vid']} AND a.shot = 'doc_front'")
    rev = new_staff(stack, "reviewer", "img2")
    r = rev["client"].get(f"/review/{w['vid']}/image?shot=doc_front")
    assert r.status == 500 and b"\xff\xd8" not in r.raw
    assert rev["client"].get(f"/review/{w['vid']}/image?shot=face_front").status == 200


def test_no_image_or_note_in_logs(stack, insurer):
    v = submitted(stack, insurer)
    rev = new_staff(stack, "reviewer", "nolog")
    for shot in SHOTS:
        assert rev["client"].get(f"/review/{v['vid']}/image?shot={shot}").status == 200
    texts = b""
    for root, _, files in os.walk(stack.main.dir):
        for f in files:
            if f.endswith(".log"):
                with open(os.path.join(root, f), "rb") as fh:
                    texts += fh.read()
    for data in v["images"].values():
        assert data[:64] not in texts and data[200:264] not in texts
        assert data[200:232].hex().encode() not in texts
    assert b"JFIF" not in texts


def test_acceptance_member_to_console_to_sensitive(stack):
    """Issue 12's first acceptance line, end to end: a bound member of an insurer
    that links health data completes /verify with file inputs (no JavaScript);
    a reviewer logs in to the console with a TOTP code, sees her photos and
    roster data, approves; she gets the mail, and after answering her secret
    question sees the sensitive features. Then a rejected attempt of another
    member sends her back to /verify."""
    from test_member import login as member_login
    from test_member import make_member as member_of
    from test_sensitive import answer, apply
    from test_verify import health_insurer
    stack.require_demo()
    ins = health_insurer(stack, "受入試験健康保険組合")
    email, aid, person = member_of(stack, ins)
    c = member_login(stack, email)
    apply(c, "みけねこ", "最初に飼った猫の名前は？")
    (vid,), = stack.sql(f"SELECT id FROM verifications WHERE account_id = {aid}"
                        " AND status = 'submitted'")
    rev = new_staff(stack, "reviewer", "acc")
    q = rev["client"].get("/review")
    assert f'data-id="{vid}"' in q.text
    page = rev["client"].get(f"/review/{vid}")
    assert page.status == 200 and "マイナンバーカード" in page.text
    (kana, birth), = stack.sql("SELECT r.name_kana, r.birthdate FROM accounts a JOIN roster r"
                               f" ON r.id = a.roster_id WHERE a.id = {aid}")
    assert kana in page.text and birth in page.text
    for shot in ("doc_front", "doc_angle", "face_front", "face_angle"):
        img = rev["client"].get(f"/review/{vid}/image?shot={shot}")
        assert img.status == 200 and img.raw[:3] == b"\xff\xd8\xff", shot
    assert 'id="shot-doc_back"' not in page.text     # the back of a マイナンバーカード: never
    r = rev["client"].submit(page, f"/review/{vid}", {"decision": "approve"})
    assert r.status == 303
    stack.wait_mail(email, subject="健診・医療アクセス認証が完了しました")
    assert level_of(stack, aid) == 3
    r = c.get("/sensitive")
    assert r.status == 303 and r.location.endswith("/sensitive/stepup")
    r = answer(c, "ミケネコ")
    assert r.status == 303 and r.location.endswith("/sensitive"), r.text[:300]
    page = c.get("/sensitive")
    assert page.status == 200 and 'id="sensitive-features"' in page.text

    # A rejected attempt: the mail names the reason, /verify lets her try again.
    email2, aid2, _ = member_of(stack, ins)
    c2 = member_login(stack, email2)
    apply(c2, "いぬ")
    (vid2,), = stack.sql(f"SELECT id FROM verifications WHERE account_id = {aid2}"
                         " AND status = 'submitted'")
    page = rev["client"].get(f"/review/{vid2}")
    r = rev["client"].submit(page, f"/review/{vid2}", {"decision": "reject",
                                                        "reason": "face_mismatch"})
    assert r.status == 303
    m = stack.wait_mail(email2)
    assert "顔写真と本人確認書類の写真が一致することを確認できませんでした。" in m.body
    assert level_of(stack, aid2) == 2
    v = c2.get("/verify")
    assert v.status == 200 and "/verify/document" in v.text


@pytest.mark.parametrize("change", ["withdrawn", "unaffiliated"])
def test_no_approval_once_the_member_left(stack, insurer, change):
    """A member who withdrew (or lost her qualification) while her photos waited
    is not raised to level 3: the console and kenpoctl say to reject instead."""
    a = submitted(stack, insurer)
    if change == "withdrawn":
        stack.sql(f"UPDATE accounts SET state = 'withdrawn', roster_id = NULL WHERE id = {a['account']}")
    else:
        stack.sql(f"UPDATE accounts SET unaffiliated = 1 WHERE id = {a['account']}")
    rev = new_staff(stack, "reviewer", "left")
    page = rev["client"].get(f"/review/{a['vid']}")
    r = rev["client"].submit(page, f"/review/{a['vid']}", {"decision": "approve"})
    assert r.status == 200 and 'id="review-ineligible"' in r.text, r.text[:500]
    r = stack.ctl("review", "approve", a["vid"])
    assert r.returncode == 1 and "reject it" in r.stderr, r.stdout + r.stderr
    assert status_of(stack, a["vid"])[0] == "submitted"
    assert level_of(stack, a["account"]) == 2
    # A rejection is still possible (and tells her why by mail).
    r = stack.ctl("review", "reject", a["vid"], "--reason", "other", "--note", "退会のため")
    assert r.returncode == 0, r.stderr
    assert status_of(stack, a["vid"])[0] == "rejected"
