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


def test_withdrawn_member_leaves_no_photo_waiting(stack, insurer):
    """A member who withdraws (退会) while her attempt waits for a reviewer: it
    can never be approved (review.c) and, undecided, would never reach its
    retention date (purge_after is set by the decision) — so her photos and
    the answer hash go at withdrawal and the attempt leaves the queue. An
    attempt decided already keeps its retention schedule."""
    v = submitted(stack, insurer)
    aid, vid = v["account"], v["vid"]
    done = submitted(stack, insurer)
    assert stack.ctl("review", "approve", str(done["vid"])).returncode == 0
    for who in (aid, done["account"]):
        r = stack.ctl("account", "withdraw", str(who))
        assert r.returncode == 0, r.stdout + r.stderr
    assert stack.sql("SELECT COUNT(*) FROM verification_images"
                     f" WHERE verification_id = {vid}") == [("0",)]
    (status, qh, qt, purged), = stack.sql(
        "SELECT status, q_answer_hash, q_text, purged_at IS NOT NULL FROM verifications"
        f" WHERE id = {vid}")
    assert (status, qh, qt, purged) == ("cancelled", None, None, "1")
    r = stack.ctl("--json", "review", "list")
    assert vid not in [x["id"] for x in json.loads(r.stdout)]
    # The decided attempt: its photos wait for the retention date as before.
    assert stack.sql("SELECT COUNT(*) FROM verification_images"
                     f" WHERE verification_id = {done['vid']}") == [("4",)]
    assert status_of(stack, done["vid"])[0] == "approved"


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
