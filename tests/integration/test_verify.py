"""
Issue 12 items 1 and 5, the member side of 健診・医療アクセス認証 (eKYC), by
plain HTTP without JavaScript, with real generated JPEG/PNG/HEIC files
(imagegen.py: nobody's photo):

- /verify: logged out → /login; a member whose insurer does not link health
  data is told it is not offered (and nothing can be started); a level-1
  member is sent to 本人確認 first;
- the whole flow: document, shots (the back only when its 備考欄 has an entry),
  the face angle the server picked (shown and stored), the secret question
  (the answer only as an Argon2id hash of its normalised form), confirmation
  with thumbnails, submission, the done page;
- マイナンバーカード: the back is never asked for, and cannot be posted;
- a refused image shows the image check's message on the same page; retakes;
- previews only to their owner and only while the attempt is a draft, no-store;
- a rejected member sees the reason and starts again;
- the stored shots are sealed (no JPEG in the database), no answer in a log.
"""
import html
import os
import re
import uuid

import pytest

from conftest import argon2_hash, csrf
from imagegen import (heic_bomb, jpeg_zip_polyglot, make_heic, make_jpeg, make_png,
                      png_bomb, png_zip_polyglot, truncated_jpeg)
from test_member import PASSWORD, add_person, login, make_member, new_insurer

ANGLES = {
    "right_closed": "右を向いて口を閉じる",
    "left_open": "左を向いて口を開ける",
    "right_open": "右を向いて口を開ける",
    "left_closed": "左を向いて口を閉じる",
    "up_closed": "少し上を向いて口を閉じる",
    "down_open": "少し下を向いて口を開ける",
}


def text(page):
    return html.unescape(re.sub(r"<[^>]+>", " ", page.text))


def health_insurer(stack, name, service="https://health.example.jp/portal"):
    n = new_insurer(stack, name)
    r = stack.ctl("insurer", "update", n, "--health-data", "on",
                  "--health-service", service)
    assert r.returncode == 0, r.stdout + r.stderr
    return n


@pytest.fixture(scope="module")
def hins(stack):
    stack.require_demo()
    return health_insurer(stack, "健診連携健康保険組合")


@pytest.fixture(scope="module")
def plain_ins(stack):
    stack.require_demo()
    return new_insurer(stack, "連携なし健康保険組合")


def multipart(fields, files):
    """A multipart/form-data body: fields {name: value}, files {name: (filename,
    content_type, bytes)}. Returns (body, content_type)."""
    b = "----kenpo" + uuid.uuid4().hex
    out = []
    for k, v in fields.items():
        out.append(f'--{b}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'
                   .encode() + v.encode() + b"\r\n")
    for k, (fn, ct, data) in files.items():
        out.append(f'--{b}\r\nContent-Disposition: form-data; name="{k}"; filename="{fn}"'
                   f'\r\nContent-Type: {ct}\r\n\r\n'.encode() + data + b"\r\n")
    out.append(f"--{b}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={b}"


def upload(c, shot, data, filename="photo.jpg", ctype="image/jpeg", fields=None):
    page = c.get(f"/verify/shot/{shot}")
    assert page.status == 200, (shot, page.status, page.text[:300])
    f = {"csrf": csrf(page)}
    f.update(fields or {})
    body, ct = multipart(f, {"photo": (filename, ctype, data)} if data is not None else {})
    return c.post(f"/verify/shot/{shot}", raw=body, content_type=ct)


def post_fields(c, shot, fields):
    page = c.get(f"/verify/shot/{shot}")
    f = {"csrf": csrf(page)}
    f.update(fields)
    body, ct = multipart(f, {})
    return c.post(f"/verify/shot/{shot}", raw=body, content_type=ct)


def start(c, document):
    page = c.get("/verify/document")
    assert page.status == 200, page.text[:300]
    r = c.submit(page, "/verify/document", {"document": document})
    assert r.status == 303 and r.location.endswith("/verify/shot/doc_front"), r
    return r


def draft(stack, aid):
    rows = stack.sql("SELECT id, document, remarks, face_angle, status, q_preset,"
                     f" q_text, q_answer_hash FROM verifications WHERE account_id = {aid}"
                     " ORDER BY id DESC LIMIT 1")
    return rows[0] if rows else None


def shots(stack, vid):
    return sorted(s for (s,) in stack.sql(
        f"SELECT shot FROM verification_images WHERE verification_id = {vid}"))


def set_question(c, answer="けんこむ", question="最初に乗った車は？"):
    page = c.get("/verify/question")
    assert page.status == 200, page.text[:300]
    return c.submit(page, "/verify/question", {"kind": "own", "question": question,
                                               "answer": answer})


def test_logged_out_goes_to_login(stack, client):
    for path in ("/verify", "/verify/document", "/verify/shot/doc_front",
                 "/verify/confirm", "/verify/preview/doc_front"):
        r = client.get(path)
        assert r.status == 303 and "/login" in r.location, (path, r.status)


def test_not_offered_without_health_data(stack, plain_ins):
    email, aid, _ = make_member(stack, plain_ins)
    c = login(stack, email)
    page = c.get("/verify")
    assert page.status == 200
    assert 'id="verify-notoffered"' in page.text
    assert "ご利用いただけません" in text(page)
    assert "no-store" in page.headers.get("Cache-Control", "")
    assert 'href="/verify/document"' not in page.text
    # Nothing can be started from a crafted POST either.
    p = c.get("/verify/document")
    assert 'id="verify-notoffered"' in p.text
    c.submit(p, "/verify/document", {"document": "license"})
    assert draft(stack, aid) is None
    # /top and /account say nothing of level 3, and /sensitive does not exist.
    for path in ("/top", "/account"):
        t = text(c.get(path))
        assert "健診・医療アクセス認証" not in t, path
    assert c.get("/sensitive").status == 404


def test_level1_member_is_sent_to_identity_check(stack, hins):
    email = stack.new_email("lvl1")
    stack.sql("INSERT INTO accounts (email, password_hash, state, level, insurer_id,"
              f" activated_at) SELECT '{email}', '{argon2_hash(PASSWORD)}', 'active', 1,"
              f" i.id, NOW(6) FROM insurers i WHERE i.number = '{hins}'")
    c = login(stack, email, PASSWORD)
    page = c.get("/verify")
    assert 'id="verify-level2"' in page.text
    assert 'href="/account/verify"' in page.text
    assert "先に本人確認を行ってください" in text(page)
    assert c.get("/verify/document").text.count('id="verify-level2"') == 1


def test_whole_flow_without_javascript(stack, hins):
    email, aid, _ = make_member(stack, hins)
    c = login(stack, email)
    page = c.get("/verify")
    t = text(page)
    assert "健診・医療アクセス認証" in t
    for doc in ("運転免許証", "マイナンバーカード", "運転経歴証明書", "在留カード"):
        assert doc in t
    assert "no-store" in page.headers.get("Cache-Control", "")
    start(c, "license")
    vid, document, remarks, angle, status, *_ = draft(stack, aid)
    assert (document, status, remarks) == ("license", "draft", "0")
    assert angle in ANGLES

    # The shot page: a plain file input with capture, the camera script.
    p = c.get("/verify/shot/doc_front")
    assert re.search(r'<input type="file" id="photo" name="photo" accept="image/\*"'
                     r' capture="environment"', p.text), p.text
    assert 'enctype="multipart/form-data"' in p.text
    assert "/static/js/verify.js" in p.text
    assert "no-store" in p.headers.get("Cache-Control", "")

    r = upload(c, "doc_front", make_jpeg(1600, 1000, orientation=6))
    assert r.status == 303 and r.location.endswith("/verify/shot/doc_front"), r.text[:500]
    p = c.get("/verify/shot/doc_front")
    assert 'src="/verify/preview/doc_front"' in p.text
    assert re.search(r'href="/verify/shot/doc_back" id="shot-next"', p.text)
    # A retake replaces it.
    r = upload(c, "doc_front", make_png(1400, 900), "scan.png", "image/png")
    assert r.status == 303
    assert shots(stack, vid) == ["doc_front"]

    # The back: its 備考欄 has an entry → photographed (HEIC from an iPhone).
    p = c.get("/verify/shot/doc_back")
    assert "備考欄に記載がありますか" in text(p)
    r = upload(c, "doc_back", make_heic(1200, 800), "IMG_0001.HEIC", "image/heic")
    assert r.status == 303, r.text[:500]
    assert draft(stack, aid)[2] == "1"
    r = upload(c, "doc_angle", make_jpeg(1200, 900))
    assert r.status == 303
    p = c.get("/verify/shot/face_front")
    assert 'capture="user"' in p.text
    r = upload(c, "face_front", make_jpeg(900, 1200))
    assert r.status == 303
    # The angle the server picked is the one asked for.
    p = c.get("/verify/shot/face_angle")
    assert f'data-angle="{angle}"' in p.text and ANGLES[angle] in text(p)
    r = upload(c, "face_angle", make_jpeg(900, 1200))
    assert r.status == 303
    p = c.get("/verify/shot/face_angle")
    assert re.search(r'href="/verify/question" id="shot-next"', p.text)
    assert shots(stack, vid) == sorted(["doc_front", "doc_back", "doc_angle",
                                        "face_front", "face_angle"])

    # The confirmation page before the question sends to the question.
    r = c.get("/verify/confirm")
    assert r.status == 303 and r.location.endswith("/verify/question")
    qp = c.get("/verify/question")
    assert 'value="own" id="kind-own" checked' in qp.text   # her own: recommended
    r = set_question(c, "ケンコム　タロウ")
    assert r.status == 303 and r.location.endswith("/verify/confirm"), r.text[:500]
    row = draft(stack, aid)
    assert row[6] == "最初に乗った車は？" and row[7].startswith("$argon2id$")
    assert "ケンコム" not in row[7]

    conf = c.get("/verify/confirm")
    t = text(conf)
    assert "最初に乗った車は？" in t and "ケンコム" not in t
    assert "運転免許証" in t and "1" in t
    for s in ("doc_front", "doc_back", "doc_angle", "face_front", "face_angle"):
        assert f'src="/verify/preview/{s}"' in conf.text
    img = c.get("/verify/preview/face_front")
    assert img.status == 200 and img.headers["Content-Type"] == "image/jpeg"
    assert img.raw[:3] == b"\xff\xd8\xff"
    assert "no-store" in img.headers.get("Cache-Control", "")

    # Sealed at rest: the JPEG is nowhere in the database as it is.
    (sealed,), = stack.sql(f"SELECT HEX(sealed) FROM verification_images"
                           f" WHERE verification_id = {vid} AND shot = 'face_front'")
    assert img.raw[:64].hex().upper() not in sealed
    assert not sealed.startswith("FFD8FF")

    r = c.submit(conf, "/verify/confirm", {})
    assert r.status == 303 and r.location.endswith("/verify/done")
    assert draft(stack, aid)[4] == "submitted"
    done = c.get("/verify/done")
    assert "申請を受け付けました" in text(done) and email in text(done)
    # After submission only reviewers see the photos.
    assert c.get("/verify/preview/face_front").status == 404
    assert 'id="verify-submitted"' in c.get("/verify").text
    events = [e for (e,) in stack.sql(f"SELECT event FROM audit WHERE account_id = {aid}"
                                      " AND event LIKE 'verify.%' ORDER BY id")]
    assert events[0] == "verify.draft" and events[-1] == "verify.submit"
    assert "verify.question" in events and events.count("verify.image") == 6
    # No answer in the log.
    log = "\n".join(stack.log_lines())
    assert "ケンコム" not in log and "けんこむ" not in log


def test_mynumber_never_asks_for_the_back(stack, hins):
    email, aid, _ = make_member(stack, hins)
    c = login(stack, email)
    start(c, "mynumber")
    vid = draft(stack, aid)[0]
    p = c.get("/verify/shot/doc_front")
    assert 'id="shot-mynumber"' in p.text
    assert "ウラ面の写真はお預かりしません" in text(p)
    r = upload(c, "doc_front", make_jpeg())
    p = c.get("/verify/shot/doc_front")
    assert re.search(r'href="/verify/shot/doc_angle" id="shot-next"', p.text)
    assert "doc_back" not in p.text
    # The back cannot be reached or posted.
    assert c.get("/verify/shot/doc_back").status == 404
    page = c.get("/verify/shot/doc_front")
    body, ct = multipart({"csrf": csrf(page)}, {"photo": ("b.jpg", "image/jpeg", make_jpeg())})
    assert c.post("/verify/shot/doc_back", raw=body, content_type=ct).status == 404
    assert shots(stack, vid) == ["doc_front"]
    for s in ("doc_angle", "face_front", "face_angle"):
        assert upload(c, s, make_jpeg()).status == 303
    assert set_question(c).status == 303
    conf = c.get("/verify/confirm")
    assert conf.status == 200 and "/verify/preview/doc_back" not in conf.text
    assert c.submit(conf, "/verify/confirm", {}).status == 303
    assert draft(stack, aid)[4] == "submitted"


def test_back_without_remarks_is_skipped(stack, hins):
    email, aid, _ = make_member(stack, hins)
    c = login(stack, email)
    start(c, "residence")
    vid = draft(stack, aid)[0]
    upload(c, "doc_front", make_jpeg())
    r = upload(c, "doc_back", make_jpeg())
    assert shots(stack, vid) == ["doc_back", "doc_front"]
    # She says there is no entry after all: the back is deleted, not needed.
    r = post_fields(c, "doc_back", {"remarks": "0"})
    assert r.status == 303 and r.location.endswith("/verify/shot/doc_angle")
    assert shots(stack, vid) == ["doc_front"] and draft(stack, aid)[2] == "0"
    for s in ("doc_angle", "face_front", "face_angle"):
        upload(c, s, make_jpeg())
    set_question(c)
    assert c.get("/verify/confirm").status == 200


def test_refused_images_show_the_message(stack, hins):
    email, aid, _ = make_member(stack, hins)
    c = login(stack, email)
    start(c, "history")
    vid = draft(stack, aid)[0]
    r = upload(c, "doc_front", truncated_jpeg())
    assert r.status == 200
    assert 'id="photo-error"' in r.text
    assert "読み取れませんでした" in text(r)
    r = upload(c, "doc_front", b"%PDF-1.4 not an image", "doc.pdf", "application/pdf")
    assert r.status == 200 and "JPEG、PNG、HEIC" in text(r)
    r = upload(c, "doc_front", None)
    assert r.status == 200 and "画像が選ばれていません" in text(r)
    assert shots(stack, vid) == []
    assert upload(c, "doc_front", make_jpeg()).status == 303
    assert shots(stack, vid) == ["doc_front"]
    assert c.get("/verify/shot/nonsense").status == 404


def test_hostile_photos_refused_on_the_page(stack, hins):
    """The acceptance line as an attacker tries it through the member's own
    page: a decompression bomb (PNG, HEIC) and PNG/ZIP and JPEG/ZIP polyglots
    are each refused with the page's own message, nothing is stored, and no
    worker dies. (A 50 MB body: test_upload.py.)"""
    email, aid, _ = make_member(stack, hins)
    c = login(stack, email)
    start(c, "license")
    vid = draft(stack, aid)[0]
    workers = sorted(stack.worker_pids())
    mark = len(stack.log_lines())
    cases = [("bomb.png", "image/png", png_bomb(), "画素数"),
             ("bomb.heic", "image/heic", heic_bomb(), "画素数"),
             ("card.png", "image/png", png_zip_polyglot(), "別のデータ"),
             ("card.jpg", "image/jpeg", jpeg_zip_polyglot(), "別のデータ")]
    for name, ctype, data, words in cases:
        r = upload(c, "doc_front", data, name, ctype)
        assert r.status == 200, (name, r.status)
        assert 'id="photo-error"' in r.text and words in text(r), (name, text(r)[:400])
        assert 'type="file"' in r.text          # she can choose another one
    assert shots(stack, vid) == []
    assert sorted(stack.worker_pids()) == workers
    assert not [l for l in stack.log_lines()[mark:] if "killed by signal" in l]


def test_no_photo_on_disk_in_clear(stack, hins):
    """What an intruder with a copy of the disk finds: neither the photo as
    sent nor the JPEG kenpo made of it, anywhere under the stack's directory
    (MariaDB's data files and redo log, nginx's temp, every log) — only the
    sealed bytes."""
    email, aid, _ = make_member(stack, hins)
    c = login(stack, email)
    start(c, "license")
    sent = make_png(1000, 700)
    assert upload(c, "doc_front", sent, "card.png", "image/png").status == 303
    made = c.get("/verify/preview/doc_front").raw
    assert made[:3] == b"\xff\xd8\xff"
    stack.sql("FLUSH TABLES")
    (sealed,), = stack.sql("SELECT HEX(i.sealed) FROM verification_images i JOIN verifications v"
                           f" ON v.id = i.verification_id WHERE v.account_id = {aid}")
    # The last probe is the control: the sealed bytes are on the disk (the scan
    # does see what the database wrote).
    probes = [sent[100:140], sent[-200:-160], made[600:640], made[-300:-260],
              bytes.fromhex(sealed)[600:640]]
    hits = []
    for d, _, names in os.walk(stack.dir):
        for n in names:
            p = os.path.join(d, n)
            try:
                with open(p, "rb") as f:
                    data = f.read()
            except OSError:
                continue
            hits += [(p, i) for i, probe in enumerate(probes) if probe in data]
    assert [h for h in hits if h[1] < 4] == []
    assert [h for h in hits if h[1] == 4], "the sealed photo is not on the disk: the scan sees nothing"



def test_previews_only_to_their_owner(stack, hins):
    email, aid, _ = make_member(stack, hins)
    c = login(stack, email)
    start(c, "license")
    upload(c, "doc_front", make_jpeg())
    assert c.get("/verify/preview/doc_front").status == 200
    other, _, _ = make_member(stack, hins)
    o = login(stack, other)
    assert o.get("/verify/preview/doc_front").status == 404
    assert o.get("/verify/preview/doc_back").status == 404


def test_random_angle_is_stored_and_a_new_draft_replaces_the_old(stack, hins):
    email, aid, _ = make_member(stack, hins)
    c = login(stack, email)
    start(c, "license")
    first = draft(stack, aid)
    upload(c, "doc_front", make_jpeg())
    start(c, "mynumber")
    second = draft(stack, aid)
    assert second[0] != first[0] and second[1] == "mynumber"
    (st,), = stack.sql(f"SELECT status FROM verifications WHERE id = {first[0]}")
    assert st == "cancelled" and shots(stack, first[0]) == []
    assert second[3] in ANGLES


def test_rejected_member_sees_the_reason_and_starts_again(stack, hins):
    email, aid, _ = make_member(stack, hins)
    c = login(stack, email)
    start(c, "license")
    vid = draft(stack, aid)[0]
    stack.sql("UPDATE verifications SET status = 'rejected', reason = 'glare',"
              " note = '写真の右側が光っています', decided_at = NOW(6)"
              f" WHERE id = {vid}")
    page = c.get("/verify")
    assert 'id="verify-rejected"' in page.text
    t = text(page)
    assert "光の反射" in t and "写真の右側が光っています" in t
    assert 'href="/verify/document"' in page.text
    start(c, "license")
    assert draft(stack, aid)[0] != vid


def test_question_errors_and_presets(stack, hins):
    email, aid, _ = make_member(stack, hins)
    c = login(stack, email)
    start(c, "mynumber")
    for s in ("doc_front", "doc_angle", "face_front", "face_angle"):
        upload(c, s, make_jpeg())
    page = c.get("/verify/question")
    r = c.submit(page, "/verify/question", {"kind": "own", "question": "", "answer": "x"})
    assert r.status == 200 and "質問を入力してください" in text(r)
    r = c.submit(page, "/verify/question", {"kind": "own", "question": "好きな色は？",
                                            "answer": "　 ・ "})
    assert r.status == 200 and "答えを入力してください" in text(r)
    assert "好きな色は？" in r.text          # the question is kept
    r = c.submit(page, "/verify/question", {"kind": "preset", "preset": "9", "answer": "x"})
    assert r.status == 200 and "質問を選んでください" in text(r)
    r = c.submit(page, "/verify/question", {"kind": "preset", "preset": "2", "answer": "ポチ"})
    assert r.status == 303
    row = draft(stack, aid)
    assert row[5] == "2" and row[7].startswith("$argon2id$")
    assert "初めて飼ったペット" in text(c.get("/verify/confirm"))


def test_english_pages(stack, hins):
    email, aid, _ = make_member(stack, hins)
    c = login(stack, email)
    c.cookies["lang"] = "en"
    page = c.get("/verify")
    t = text(page)
    assert "Health data access verification" in t and "My Number Card" in t
    start(c, "mynumber")
    p = c.get("/verify/shot/doc_front")
    assert "never collect" in text(p) and "Front of the identity document" in text(p)
    angle = draft(stack, aid)[3]
    p = c.get("/verify/shot/face_angle")
    assert f'data-angle="{angle}"' in p.text
    assert re.search(r"(Turn to the (left|right)|Look (up|down) a little), mouth (open|closed)",
                     text(p))
    # The question page needs the shots first: it sends to the first missing one.
    r = c.get("/verify/question")
    assert r.status == 303 and r.location.endswith("/verify/shot/doc_front")
