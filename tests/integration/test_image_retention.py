"""
Retention of the eKYC images (issue 12 item 2: "deleted a configurable number
of days after the decision (default 30) by the lifecycle job"; src/lifecycle.c)
over the real database: `kenpoctl lifecycle run` deletes the sealed images of
verifications whose purge_after has passed, of drafts and cancelled attempts
started more than Verify.DraftHours (24) ago, and of decisions older than
Verify.RetentionDays (30) that have no purge_after; it sets purged_at, turns an
abandoned draft into a cancelled one and audits each deletion. Images still
needed (a recent decision, a young draft, a submission waiting for review)
stay. A second run deletes nothing more.

The rows are inserted through SQL, sealed-looking (random bytes: what the
vault writes is opaque to the job); times are moved in the rows, never the
clock.
"""

import json
import os
import subprocess

import pytest

from conftest import BUILD, argon2_hash

SHOTS = ("doc_front", "face_front")


_made = []


@pytest.fixture(autouse=True)
def _forget_accounts(stack):
    """The rows made here carry images under a made-up master key: removed after
    each test, so that other tests (verify status, rekey) meet only real ones."""
    yield
    while _made:
        stack.sql(f"DELETE FROM accounts WHERE id = {_made.pop()}")


def make_account(stack):
    email = stack.new_email("retention")
    stack.sql("INSERT INTO accounts (email, password_hash, state) VALUES "
              f"('{email}', '{argon2_hash('Kp7-Ret!wre9')}', 'active')")
    (aid,), = stack.sql(f"SELECT id FROM accounts WHERE email = '{email}'")
    _made.append(int(aid))
    return int(aid)


def verification(stack, aid, status, created, decided=None, purge_after=None):
    """A verification of account aid with two sealed-looking images; times
    are SQL expressions. Returns its id."""
    stack.sql(
        "INSERT INTO verifications (account_id, document, status, created_at,"
        " submitted_at, decided_at, purge_after) VALUES"
        f" ({aid}, 'license', '{status}', {created},"
        f" {'NULL' if status == 'draft' else created},"
        f" {decided or 'NULL'}, {purge_after or 'NULL'})")
    (vid,), = stack.sql(f"SELECT MAX(id) FROM verifications WHERE account_id = {aid}")
    for shot in SHOTS:
        stack.sql("INSERT INTO verification_images (verification_id, shot, key_id,"
                  " wrapped_key, sealed, width, height) VALUES"
                  f" ({vid}, '{shot}', '0123456789abcdef', X'{os.urandom(60).hex()}',"
                  f" X'{os.urandom(2048).hex()}', 1600, 1200)")
    return int(vid)


def images(stack, vid):
    (n,), = stack.sql(f"SELECT COUNT(*) FROM verification_images WHERE verification_id = {vid}")
    return int(n)


def state(stack, vid):
    (status, purged), = stack.sql("SELECT status, purged_at IS NOT NULL FROM verifications"
                                  f" WHERE id = {vid}")
    return status, purged == "1"


def purge_audits(stack, aid):
    (n,), = stack.sql("SELECT COUNT(*) FROM audit WHERE event = 'verification.purged'"
                      f" AND account_id = {aid}")
    return int(n)


def test_images_deleted_after_retention(stack):
    aid = make_account(stack)
    ago = "NOW(6) - INTERVAL {}".format
    due = {
        # approved 31 days ago, purge_after (decided + 30 days) yesterday
        "approved-expired": verification(stack, aid, "approved", ago("32 DAY"),
                                         ago("31 DAY"), ago("1 DAY")),
        # rejected 31 days ago by a decision that set no purge_after
        "rejected-no-purge-after": verification(stack, aid, "rejected", ago("32 DAY"),
                                                ago("31 DAY")),
        # a draft abandoned 25 hours ago
        "abandoned-draft": verification(stack, aid, "draft", ago("25 HOUR")),
        # cancelled (she started again) two days ago
        "cancelled": verification(stack, aid, "cancelled", ago("2 DAY")),
        # marked purged by some other path, yet with images left
        "marked-but-kept": verification(stack, aid, "cancelled", ago("3 DAY"),
                                        purge_after=ago("2 DAY")),
    }
    stack.sql("UPDATE verifications SET purged_at = NOW(6) - INTERVAL 2 DAY"
              f" WHERE id = {due['marked-but-kept']}")
    kept = {
        "approved-recent": verification(stack, aid, "approved", ago("2 DAY"), ago("1 DAY"),
                                        "NOW(6) + INTERVAL 29 DAY"),
        "young-draft": verification(stack, aid, "draft", ago("1 HOUR")),
        # waiting for a reviewer, however long: the review needs the images
        "submitted": verification(stack, aid, "submitted", ago("3 DAY")),
    }
    for vid in list(due.values()) + list(kept.values()):
        assert images(stack, vid) == len(SHOTS)

    r = stack.ctl("--json", "lifecycle", "run")
    assert r.returncode == 0, r.stdout + r.stderr
    report = json.loads(r.stdout)
    assert report["ok"] is True
    assert report["verifications_purged"] >= len(due), report

    for name, vid in due.items():
        assert images(stack, vid) == 0, name
        status, purged = state(stack, vid)
        assert purged, name
    assert state(stack, due["abandoned-draft"])[0] == "cancelled"
    assert state(stack, due["approved-expired"])[0] == "approved"
    assert state(stack, due["rejected-no-purge-after"])[0] == "rejected"
    # purge_after now says when, for the rows that had none.
    assert stack.sql("SELECT COUNT(*) FROM verifications WHERE id IN"
                     f" ({','.join(str(v) for v in due.values())})"
                     " AND (purge_after IS NULL OR purge_after > NOW(6))") == [("0",)]
    for name, vid in kept.items():
        assert images(stack, vid) == len(SHOTS), name
        assert state(stack, vid)[1] is False, name
    assert state(stack, kept["young-draft"])[0] == "draft"
    assert purge_audits(stack, aid) == len(due)

    # Nothing more the second time; the text report names the deletions.
    r = stack.ctl("lifecycle", "run")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "verification" in r.stdout
    assert purge_audits(stack, aid) == len(due)
    for name, vid in kept.items():
        assert images(stack, vid) == len(SHOTS), name


def test_draft_hours_is_configurable(stack):
    """Verify.DraftHours is the age of an abandoned draft: 2 hours here."""
    aid = make_account(stack)
    three = verification(stack, aid, "draft", "NOW(6) - INTERVAL 3 HOUR")
    one = verification(stack, aid, "draft", "NOW(6) - INTERVAL 1 HOUR")
    conf = os.path.join(stack.dir, "retention.hdf")
    with open(stack.main.conf, encoding="utf-8") as f:
        text = f.read()
    with open(conf, "w", encoding="utf-8") as f:
        f.write(text + "\nVerify.DraftHours = 2\n")
    r = subprocess.run([os.path.join(BUILD, "kenpoctl"), "-c", conf, "--json",
                        "lifecycle", "run"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert images(stack, three) == 0 and state(stack, three) == ("cancelled", True)
    assert images(stack, one) == len(SHOTS) and state(stack, one) == ("draft", False)
    assert purge_audits(stack, aid) == 1
