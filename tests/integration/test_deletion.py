"""
Deletion (削除) and the アカウント削除申請 (issue 10 item 3; SPEC §6, seed 001 Q8)
over the real stack:

- a member deletes her own account from the settings (password required, the
  page lists what goes and how 削除 differs from 退会); afterwards a scan of every
  table but the insurer's roster finds nothing personal about her: her address,
  the address she was changing to, her name in kana, her birthdate, her personal
  ID, her client IP (sent through a trusted proxy), her session and remember-me
  cookies or their hashes;
- a person whose roster identity is held by an old account files a deletion
  request from step 3's "already registered", proving the identity again and
  confirming a contact address by mail; the old address is told; the operator
  approves after the grace period (moved with `deletion approve --as-of`, never
  the clock) and the person signs up; the request pages never show the old
  address;
- a login by the old account's owner within the period flags the request as
  objected: approval is refused and rejecting tells the requester;
- the identity check of the request is step 3's, with step 3's limit.
"""

import hashlib
import json
import os
import urllib.parse
from datetime import date, datetime, timedelta, timezone

import pytest

from conftest import (form_fields, argon2_hash,
                      insurer_number as conftest_insurer_number, digits)

PASSWORD = "Kp7-Dlt!wre9"
HEADER = ("insurer_number,personal_id,symbol,number,branch,name_kana,birthdate,"
          "qualified_from,qualified_until")
_seq = [0]

NOTICE = "アカウント削除申請がありました"
CONFIRM = "アカウント削除申請の確認"
APPROVED = "審査結果（削除しました）"
REJECTED = "アカウント削除申請の審査結果"
DELETED = "アカウントを削除しました"


# ------------------------------------------------------------------ helpers

def today():
    return datetime.now(timezone(timedelta(hours=9))).date()


def day(n, base=None):
    return ((base or today()) + timedelta(days=n)).isoformat()


def ja_date(iso):
    d = date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def insurer_number(prefix="0694"):
    return conftest_insurer_number(prefix)


@pytest.fixture(scope="module")
def ins(stack):
    for _ in range(20):
        n = insurer_number()
        r = stack.ctl("insurer", "add", n, "削除テスト健康保険組合", "--pattern", "4")
        if r.returncode == 0:
            return n
    pytest.fail("cannot add a test insurer: " + r.stdout + r.stderr)


@pytest.fixture(autouse=True)
def no_signup_limits(stack):
    stack.sql("DELETE FROM throttle WHERE k LIKE 'signup:%' OR k LIKE 'inquiry:%'")
    yield


def new_person(stack, insurer):
    """A qualified roster person with a birthdate and kana of its own."""
    _seq[0] += 1
    k = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモ"
    b = os.urandom(3)
    p = {"insurer": insurer, "pid": f"D{os.getpid()}-{_seq[0]}-{os.urandom(3).hex()}",
         "symbol": digits(3), "number": digits(7),
         "kana": "サクジョ" + "".join(k[x % len(k)] for x in os.urandom(6)),
         "birth": f"{1940 + b[0] % 60}-{1 + b[1] % 12:02d}-{1 + b[2] % 28:02d}"}
    path = os.path.join(stack.dir, f"deletion-{p['pid']}.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER + "\n")
        f.write(f"{insurer},{p['pid']},{p['symbol']},{p['number']},,{p['kana']},"
                f"{p['birth']},2010-04-01,\n")
    r = stack.ctl("roster", "import", insurer, path)
    assert r.returncode == 0, r.stdout + r.stderr
    return p


def roster_id(stack, person):
    (rid,), = stack.sql("SELECT r.id FROM roster r JOIN insurers i ON i.id = r.insurer_id"
                        f" WHERE i.number = '{person['insurer']}'"
                        f" AND r.personal_id = '{person['pid']}'")
    return int(rid)


def old_account(stack, person):
    """An active account bound to person, made directly (its owner forgot it)."""
    email = stack.new_email("old")
    rid = roster_id(stack, person)
    stack.sql("INSERT INTO accounts (email, password_hash, state, level, insurer_id,"
              " roster_id, activated_at) SELECT"
              f" '{email}', '{argon2_hash(PASSWORD)}', 'active', 2, i.id, {rid}, NOW(6)"
              f" FROM insurers i WHERE i.number = '{person['insurer']}'")
    (aid,), = stack.sql(f"SELECT id FROM accounts WHERE email = '{email}'")
    return email, int(aid)


def with_ip(client, ip):
    """Every request of client says it comes from ip (through a trusted proxy)."""
    plain = client.request

    def request(method, path, body=None, headers=None):
        h = dict(headers or {})
        h["X-Forwarded-For"] = ip
        return plain(method, path, body=body, headers=h)
    client.request = request
    return client


def step1(client, email):
    page = client.get("/signup")
    assert page.status == 200, page.text[:300]
    r = client.submit(page, "/signup", {"email": email, "password": PASSWORD,
                                        "agree_terms": "1", "agree_privacy": "1"})
    assert r.status == 303 and r.location == "/signup/sent", r.text[:300]


def verified(stack, email, client=None):
    """Steps 1-2 for email: the client is at step 3."""
    c = client or stack.client()
    subject = "仮登録ありがとうございます"
    before = len([m for m in stack.mails(email) if subject in m.subject])
    step1(c, email)
    m = stack.wait_mail(email, n=before + 1, subject=subject)
    link = [u for u in m.urls if u.endswith("/activate")][0]
    r = c.get(urllib.parse.urlsplit(link).path)
    assert r.status == 303 and r.location == "/signup/eligibility", r.text[:300]
    return c


def card(person):
    y, m, d = person["birth"].split("-")
    return {"insurer_number": person["insurer"], "symbol": person["symbol"],
            "number": person["number"], "name_kana": person["kana"],
            "birth_year": y, "birth_month": m.lstrip("0"), "birth_day": d.lstrip("0")}


def check(client, path, fields, extra=None):
    """Step 3's form as a browser without JavaScript posts it, to path."""
    page = client.get(path)
    assert page.status == 200, page.text[:300]
    page = client.submit(page, path, dict(extra or {},
                                          insurer_number=fields["insurer_number"]))
    assert page.status == 200, page.text[:300]
    d = dict(fields, form_insurer=form_fields(page).get("form_insurer", ""), **(extra or {}))
    return client.submit(page, path, d)


def sign_up(stack, email, person, client=None):
    c = verified(stack, email, client)
    r = check(c, "/signup/eligibility", card(person))
    assert r.status == 303 and r.location == "/signup/confirm", r.text[:2000]
    page = c.get("/signup/confirm")
    r = c.submit(page, "/signup/confirm", {"action": "complete"})
    assert r.status == 303 and r.location == "/signup/complete", r.text[:300]
    return c


def login(stack, email, password=PASSWORD, client=None, remember=False):
    c = client or stack.client()
    page = c.get("/login")
    d = {"email": email, "password": password}
    if remember:
        d["remember"] = "1"
    return c, c.submit(page, "/login", d)


def ctl_json(stack, *args):
    r = stack.ctl("--json", *args)
    assert r.returncode == 0, (args, r.stdout, r.stderr)
    return json.loads(r.stdout)


def request_row(stack, rid):
    (row,), = [stack.sql("SELECT state, contact_email, grace_until, requester_account_id,"
                         f" old_account_id FROM deletion_requests WHERE id = {rid}")]
    return row[0]


def newest_request(stack, requester_email=None, old_id=None):
    where = f"old_account_id = {old_id}" if old_id else "1"
    (rid,), = stack.sql(f"SELECT MAX(id) FROM deletion_requests WHERE {where}")
    return int(rid)


def confirm_link(stack, contact, n=1):
    m = stack.wait_mail(contact, n=n, subject=CONFIRM)
    links = [u for u in m.urls if "/deletion/confirm/" in u]
    assert len(links) == 1, m.body
    return m, urllib.parse.urlsplit(links[0]).path


def file_request(stack, person, old_email):
    """A requester at step 3 files and confirms a deletion request against the
    old account of person: (requester client, requester email, contact, request id)."""
    email = stack.new_email("req")
    contact = stack.new_email("contact")
    c = verified(stack, email)
    r = check(c, "/signup/eligibility", card(person))
    assert r.status == 200 and 'id="deletion-request-link"' in r.text
    r = check(c, "/signup/deletion", card(person), {"contact_email": contact})
    assert r.status == 200 and 'id="delreq-contact"' in r.text, r.text[:3000]
    assert contact in r.text and old_email not in r.text
    m, path = confirm_link(stack, contact)
    assert old_email not in m.body
    r = stack.client().get(path)
    assert r.status == 200 and 'data-outcome="done"' in r.text, r.text[:2000]
    assert ja_date(day(14)) in r.text
    assert old_email not in r.text
    return c, email, contact, path


def table_dump(stack):
    """{table: text of every row} for every table of the database but the roster
    (the insurer's list of insured persons, which it sends with each import)."""
    tables = [t for (t,) in stack.sql(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'kenpo'")]
    out = {}
    for t in tables:
        if t == "roster":
            continue
        # Binary columns (sealed photos, wrapped keys) as hex: the client
        # prints text.
        cols = [f"HEX(`{c}`)" if ty in ("blob", "longblob", "mediumblob", "tinyblob",
                                          "varbinary", "binary") else f"`{c}`"
                for c, ty in stack.sql("SELECT column_name, data_type FROM"
                                       " information_schema.columns WHERE table_schema ="
                                       f" 'kenpo' AND table_name = '{t}'"
                                       " ORDER BY ordinal_position")]
        rows = stack.sql(f"SELECT {', '.join(cols)} FROM `{t}`")
        out[t] = "\n".join("\t".join("" if v is None else str(v) for v in row)
                           for row in rows)
    return out


# ------------------------------------------------------------------ 削除 by the member

def test_member_deletes_her_account_and_nothing_personal_is_left(stack, ins):
    ip = f"198.51.100.{10 + os.urandom(1)[0] % 200}"
    fe = stack.frontend(config={"Server.TrustedProxies": "127.0.0.1"})
    try:
        person = new_person(stack, ins)
        email = stack.new_email("self")
        new_address = stack.new_email("changing")
        c = sign_up(stack, email, person, with_ip(fe.client(), ip))
        (aid,), = stack.sql(f"SELECT id FROM accounts WHERE email = '{email}'")
        rid = roster_id(stack, person)
        # Her traces: a remember-me login from a second browser, an inquiry
        # sent while logged in, an address change waiting for its link.
        c2, r = login(stack, email, client=with_ip(fe.client(), ip), remember=True)
        assert r.status == 303, r.text[:500]
        cookies = [v for k, v in list(c.cookies.items()) + list(c2.cookies.items())
                   if k in ("sid", "remember")]
        assert len(cookies) >= 3
        page = c.get("/inquiry/new")
        r = c.submit(page, "/inquiry/new", {"category": "other", "email": email,
                                            "name": "削除 花子", "body": "データの削除について"})
        assert r.status == 200, r.text[:300]
        page = c.get("/account/email")
        r = c.submit(page, "/account/email", {"email": new_address,
                                              "current_password": PASSWORD})
        assert r.status in (200, 303), r.text[:300]
        stack.wait_mail(new_address, subject="メールアドレス変更の確認")
        assert int(stack.sql(f"SELECT COUNT(*) FROM audit WHERE ip = '{ip}'")[0][0]) > 0

        # The settings page offers both, and says how they differ.
        page = c.get("/account")
        assert page.status == 200 and 'href="/account/delete"' in page.text
        assert "退会はアカウントの利用をやめる手続き" in page.text
        assert "個人情報をすべて消去" in page.text
        w = c.get("/account/withdraw")
        assert 'id="withdraw-vs-delete"' in w.text and 'href="/account/delete"' in w.text
        page = c.get("/account/delete")
        assert page.status == 200
        for text in ("消去されるもの", "残るもの", "退会との違い", "取り消せません",
                     "ログインID（メールアドレス）とパスワード", "IPアドレス"):
            assert text in page.text, text
        # English too.
        c.get("/lang?to=en&back=/account/delete")
        en = c.get("/account/delete")
        assert en.status == 200 and "What is erased" in en.text
        assert "How this differs from withdrawal" in en.text
        c.get("/lang?to=ja&back=/account/delete")
        assert "消去されるもの" in c.get("/account/delete").text

        # The password is required.
        r = c.submit(page, "/account/delete", {})
        assert r.status == 200 and "現在のパスワードを入力してください" in r.text
        r = c.submit(page, "/account/delete", {"current_password": "Wrong-Pass!23"})
        assert r.status == 200 and "正しくありません" in r.text
        assert stack.sql(f"SELECT state FROM accounts WHERE id = {aid}") == [("active",)]
        # Without a CSRF token: refused.
        r = c.post("/account/delete", {"current_password": PASSWORD})
        assert r.status == 403
        assert stack.sql(f"SELECT state FROM accounts WHERE id = {aid}") == [("active",)]

        r = c.submit(page, "/account/delete", {"current_password": PASSWORD})
        assert r.status == 303 and r.location == "/account/deleted", r.text[:500]
        done = c.get("/account/deleted")
        assert done.status == 200 and DELETED in done.text
        assert c.get("/top").location == "/login?next=/top"
        assert c2.get("/top").location == "/login?next=/top"
        m = stack.wait_mail(email, subject=DELETED)
        assert "個人情報" in m.body
        # Once sent, the daily job purges that last mail too.
        r = stack.ctl("--json", "lifecycle", "run")
        assert r.returncode == 0, r.stdout + r.stderr
        assert json.loads(r.stdout)["mails_purged"] >= 1
    finally:
        stack.stop_frontend(fe)

    # Nothing personal anywhere.
    y, mo, d = person["birth"].split("-")
    needles = {"address": email, "new address": new_address, "kana": person["kana"],
               "birthdate": person["birth"], "personal id": person["pid"], "ip": ip,
               "inquiry name": "削除 花子", "inquiry text": "データの削除について"}
    for i, v in enumerate(cookies):
        needles[f"cookie {i}"] = v
        needles[f"cookie hash {i}"] = hashlib.sha256(v.encode()).hexdigest()
        if "." in v or ":" in v:
            for part in v.replace(":", ".").split("."):
                if len(part) >= 16:
                    needles[f"cookie part {i}"] = part
                    needles[f"cookie part hash {i}"] = hashlib.sha256(part.encode()).hexdigest()
    dump = table_dump(stack)
    found = [(what, t) for t, text in dump.items() for what, v in needles.items()
             if v.lower() in text.lower()]
    assert found == [], found
    # The account is a tombstone; the roster person is bound to nobody.
    (state, addr, pw, roster, match), = stack.sql(
        "SELECT state, email, password_hash, roster_id, match_roster_id FROM accounts"
        f" WHERE id = {aid}")
    assert (state, addr, pw, roster, match) == ("closed", f"closed+{aid}@invalid", "!",
                                                None, None)
    assert stack.sql(f"SELECT COUNT(*) FROM accounts WHERE roster_id = {rid}"
                     f" OR match_roster_id = {rid}") == [("0",)]
    # Audit rows keep event and time only; the deletion names the tombstone.
    assert stack.sql(f"SELECT event, ip FROM audit WHERE account_id = {aid}") == \
        [("account.delete", None)]
    # The old password opens nothing; the address and the person sign up again.
    _, r = login(stack, email)
    assert r.status == 200
    sign_up(stack, email, person)


def test_operator_delete_uses_the_same_erasure(stack, ins):
    person = new_person(stack, ins)
    email = stack.new_email("opdel")
    sign_up(stack, email, person)
    (aid,), = stack.sql(f"SELECT id FROM accounts WHERE email = '{email}'")
    out = ctl_json(stack, "account", "delete", email, "--yes")
    assert out == {"id": int(aid), "deleted": True, "was": "active", "state": "closed"}
    assert stack.sql(f"SELECT state, email FROM accounts WHERE id = {aid}") == \
        [("closed", f"closed+{aid}@invalid")]
    stack.wait_mail(email, subject=DELETED)
    r = stack.ctl("account", "delete", aid, "--yes")
    assert r.returncode == 1 and "closed already" in r.stderr
    assert stack.ctl("account", "delete", aid).returncode == 2


# ------------------------------------------------------------------ 削除申請

def test_deletion_request_approved_after_the_grace_period(stack, ins):
    person = new_person(stack, ins)
    old_email, old_id = old_account(stack, person)
    c, email, contact, link = file_request(stack, person, old_email)
    rid = newest_request(stack, old_id=old_id)
    grace = day(14)
    (state, cont, g, req_id, oid), = stack.sql(
        "SELECT state, contact_email, grace_until, requester_account_id, old_account_id"
        f" FROM deletion_requests WHERE id = {rid}")
    assert (state, cont, g, oid) == ("filed", contact, grace, str(old_id))
    # The old address is told, with the last day to object; the requester's
    # address is not in it.
    m = stack.wait_mail(old_email, subject=NOTICE)
    assert ja_date(grace) in m.body and "/login" in m.body
    assert email not in m.body and contact not in m.body
    # The link again: filed already, nothing new.
    r = stack.client().get(link)
    assert 'data-outcome="again"' in r.text
    assert len([x for x in stack.mails(old_email) if NOTICE in x.subject]) == 1
    # Filing again while it is pending: said so, nothing new.
    r = check(c, "/signup/deletion", card(person), {"contact_email": contact})
    assert r.status == 200 and "申請は受付済みです" in r.text

    lst = ctl_json(stack, "deletion", "list", "--state", "filed")
    assert any(x["id"] == rid and x["old_account"] == old_id for x in lst)
    show = ctl_json(stack, "deletion", "show", rid)
    assert show["state"] == "filed" and show["grace_until"] == grace
    assert show["contact_email"] == contact and show["old_account_email"] == old_email

    # Not before the period is over.
    r = stack.ctl("deletion", "approve", rid)
    assert r.returncode == 1 and grace in r.stderr
    r = stack.ctl("deletion", "approve", rid, "--as-of", grace)
    assert r.returncode == 1
    assert stack.sql(f"SELECT state FROM accounts WHERE id = {old_id}") == [("active",)]

    out = ctl_json(stack, "deletion", "approve", rid, "--as-of", day(15))
    assert out["state"] == "approved" and out["erased"] is True
    assert out["requester_mailed"] is True
    assert stack.sql(f"SELECT state, email, roster_id FROM accounts WHERE id = {old_id}") == \
        [("closed", f"closed+{old_id}@invalid", None)]
    assert stack.sql(f"SELECT state, contact_email FROM deletion_requests WHERE id = {rid}") \
        == [("approved", "")]
    assert stack.sql(f"SELECT COUNT(*) FROM audit WHERE account_id = {old_id}"
                     " AND event IN ('deletion.approve', 'account.delete')") == [("2",)]
    m = stack.wait_mail(contact, subject=APPROVED)
    assert "/signup/eligibility" in m.body and old_email not in m.body
    # Decided: no second decision.
    assert stack.ctl("deletion", "approve", rid, "--as-of", day(15)).returncode == 1
    assert stack.ctl("deletion", "reject", rid).returncode == 1

    # The requester finishes her signup with the person now free.
    r = check(c, "/signup/eligibility", card(person))
    assert r.status == 303 and r.location == "/signup/confirm", r.text[:2000]
    page = c.get("/signup/confirm")
    r = c.submit(page, "/signup/confirm", {"action": "complete"})
    assert r.status == 303 and r.location == "/signup/complete"
    assert stack.sql(f"SELECT state FROM accounts WHERE email = '{email}'") == [("active",)]
    # The old address is free as well.
    _, r = login(stack, old_email)
    assert r.status == 200


def test_a_login_of_the_old_owner_objects_and_the_operator_rejects(stack, ins):
    person = new_person(stack, ins)
    old_email, old_id = old_account(stack, person)
    c, email, contact, _ = file_request(stack, person, old_email)
    rid = newest_request(stack, old_id=old_id)
    stack.wait_mail(old_email, subject=NOTICE)
    # The owner logs in within the period.
    _, r = login(stack, old_email)
    assert r.status == 303, r.text[:500]
    assert stack.sql(f"SELECT state, objected_at IS NOT NULL FROM deletion_requests"
                     f" WHERE id = {rid}") == [("objected", "1")]
    assert stack.sql(f"SELECT COUNT(*) FROM audit WHERE account_id = {old_id}"
                     " AND event = 'deletion.objected'") == [("1",)]
    # A second login flags nothing more.
    login(stack, old_email)
    assert stack.sql(f"SELECT COUNT(*) FROM audit WHERE account_id = {old_id}"
                     " AND event = 'deletion.objected'") == [("1",)]
    show = ctl_json(stack, "deletion", "show", rid)
    assert show["state"] == "objected" and show["objected_at"]
    # Approval is refused even long after the period.
    r = stack.ctl("deletion", "approve", rid, "--as-of", day(60))
    assert r.returncode == 1 and "objected" in r.stderr
    out = ctl_json(stack, "deletion", "reject", rid)
    assert out["state"] == "rejected" and out["erased"] is False
    assert out["requester_mailed"] is True
    m = stack.wait_mail(contact, subject=REJECTED)
    assert old_email not in m.body and "ログイン" in m.body
    # The old account lives on, bound as before.
    assert stack.sql(f"SELECT state, roster_id FROM accounts WHERE id = {old_id}") == \
        [("active", str(roster_id(stack, person)))]
    assert stack.sql(f"SELECT state, contact_email FROM deletion_requests WHERE id = {rid}") \
        == [("rejected", "")]


def test_request_check_is_step3s_with_its_limit_and_outcomes(stack, ins):
    person = new_person(stack, ins)
    old_email, old_id = old_account(stack, person)
    email = stack.new_email("lim")
    c = verified(stack, email)
    (aid,), = stack.sql(f"SELECT id FROM accounts WHERE email = '{email}'")
    page = c.get("/signup/deletion")
    assert page.status == 200 and 'id="deletion-explain"' in page.text
    assert form_fields(page)["contact_email"] == email
    assert "14日間" in page.text
    # A bad contact address: a form error, nothing counted or filed.
    r = check(c, "/signup/deletion", card(person), {"contact_email": "not an address"})
    assert r.status == 200 and "メールアドレスの形式が正しくありません" in r.text
    assert stack.sql(f"SELECT eligibility_failures FROM accounts WHERE id = {aid}") == [("0",)]
    # A person bound to nobody: nothing to delete.
    free = new_person(stack, ins)
    r = check(c, "/signup/deletion", card(free), {"contact_email": email})
    assert r.status == 200 and "削除の必要はありません" in r.text
    # Wrong data counts against step 3's limit, on the same account.
    wrong = dict(card(person), name_kana="チガウナマエ")
    for i in range(5):
        r = check(c, "/signup/deletion", wrong, {"contact_email": email})
        assert r.status == 200
    assert stack.sql(f"SELECT eligibility_failures FROM accounts WHERE id = {aid}") == [("5",)]
    r = check(c, "/signup/deletion", card(person), {"contact_email": email})
    assert r.status == 200 and 'id="outcome"' in r.text
    assert stack.sql(f"SELECT COUNT(*) FROM deletion_requests"
                     f" WHERE requester_account_id = {aid}") == [("0",)]
    # Step 3 itself is locked as well.
    r = check(c, "/signup/eligibility", card(free))
    assert r.status == 200
    assert stack.sql(f"SELECT match_roster_id FROM accounts WHERE id = {aid}") == [(None,)]
    # Without a session: to login; another state: to its step.
    r = stack.client().get("/signup/deletion")
    assert r.status == 303


def test_request_links_expired_superseded_unknown_and_unconfirmed_reject(stack, ins):
    person = new_person(stack, ins)
    old_email, old_id = old_account(stack, person)
    email, contact = stack.new_email("lnk"), stack.new_email("lnkc")
    c = verified(stack, email)
    r = check(c, "/signup/deletion", card(person), {"contact_email": contact})
    assert r.status == 200 and 'id="delreq-contact"' in r.text
    _, first = confirm_link(stack, contact)
    r = check(c, "/signup/deletion", card(person), {"contact_email": contact})
    _, second = confirm_link(stack, contact, n=2)
    # The older link is void, the newer one expired (moved by SQL, not the clock).
    r = stack.client().get(first)
    assert 'data-outcome="void"' in r.text
    rid = newest_request(stack, old_id=old_id)
    stack.sql("UPDATE deletion_requests SET token_expires_at = NOW(6) - INTERVAL 1 MINUTE"
              f" WHERE id = {rid}")
    r = stack.client().get(second)
    assert 'data-outcome="expired"' in r.text
    assert stack.sql(f"SELECT state FROM deletion_requests WHERE id = {rid}") == \
        [("unconfirmed",)]
    assert not [m for m in stack.mails(old_email) if NOTICE in m.subject]
    # Unknown and malformed links.
    for path in ("/deletion/confirm/" + "A" * 43, "/deletion/confirm/x",
                 "/deletion/confirm/%3Cscript%3E"):
        r = stack.client().get(path)
        assert r.status == 200 and 'data-outcome="unknown"' in r.text
    # Rejecting an unconfirmed request writes to no unproven address.
    out = ctl_json(stack, "deletion", "reject", rid)
    assert out["requester_mailed"] is False
    assert not [m for m in stack.mails(contact) if REJECTED in m.subject]
    # A request whose link was never opened: the daily job voids it a day
    # after the link expired, and keeps no address.
    r = check(c, "/signup/deletion", card(person), {"contact_email": contact})
    rid = newest_request(stack, old_id=old_id)
    assert request_row(stack, rid) == "unconfirmed"
    stack.sql("UPDATE deletion_requests SET token_expires_at = NOW(6) - INTERVAL 25 HOUR"
              f" WHERE id = {rid}")
    assert stack.ctl("lifecycle", "run").returncode == 0
    assert stack.sql(f"SELECT state, contact_email FROM deletion_requests WHERE id = {rid}") \
        == [("void", "")]


def test_grace_period_is_configured(stack, ins):
    fe = stack.frontend(config={"Deletion.GraceDays": "3"})
    try:
        person = new_person(stack, ins)
        old_email, old_id = old_account(stack, person)
        email, contact = stack.new_email("gr"), stack.new_email("grc")
        c = verified(stack, email, fe.client())
        page = c.get("/signup/deletion")
        assert "3日間" in page.text
        r = check(c, "/signup/deletion", card(person), {"contact_email": contact})
        assert r.status == 200 and 'id="delreq-contact"' in r.text
        _, link = confirm_link(stack, contact)
        r = fe.client().get(link)
        assert 'data-outcome="done"' in r.text and ja_date(day(3)) in r.text
    finally:
        stack.stop_frontend(fe)
    rid = newest_request(stack, old_id=old_id)
    assert stack.sql(f"SELECT grace_until FROM deletion_requests WHERE id = {rid}") == \
        [(day(3),)]
    m = stack.wait_mail(old_email, subject=NOTICE)
    assert ja_date(day(3)) in m.body
    assert stack.ctl("deletion", "approve", rid, "--as-of", day(3)).returncode == 1
    assert ctl_json(stack, "deletion", "approve", rid, "--as-of", day(4))["erased"] is True


def test_old_account_letting_go_before_the_link_and_usage(stack, ins):
    person = new_person(stack, ins)
    old_email, old_id = old_account(stack, person)
    email, contact = stack.new_email("go"), stack.new_email("goc")
    c = verified(stack, email)
    r = check(c, "/signup/deletion", card(person), {"contact_email": contact})
    _, link = confirm_link(stack, contact)
    # The old owner withdraws by himself meanwhile: nothing left to delete.
    r = stack.ctl("account", "withdraw", old_id)
    assert r.returncode == 0, r.stderr
    r = stack.client().get(link)
    assert 'data-outcome="free"' in r.text and 'href="/signup/eligibility"' in r.text
    rid = newest_request(stack, old_id=old_id)
    assert stack.sql(f"SELECT state FROM deletion_requests WHERE id = {rid}") == [("void",)]

    assert stack.ctl("deletion", "list", "--state", "bogus").returncode == 2
    assert stack.ctl("deletion", "show", "999999999").returncode == 1
    assert stack.ctl("deletion", "show", "x").returncode == 2
    assert stack.ctl("deletion", "approve", "999999999").returncode == 1
    assert stack.ctl("deletion", "approve", rid, "--as-of", "2026-02-30").returncode == 2
    assert stack.ctl("deletion", "reject", rid, "--as-of", "2026-02-01").returncode == 2
    assert stack.ctl("deletion", "frob").returncode == 2
    out = stack.ctl("deletion", "list")
    assert out.returncode == 0 and str(rid) in out.stdout
