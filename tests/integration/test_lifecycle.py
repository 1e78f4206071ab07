"""
Loss of qualification and the 100-day rules (SPEC §6, seed 001 Q4–Q5;
src/lifecycle.h) over the real stack: a roster import that ends a person's
qualification makes the bound account 未所属 at once; one that lists the person
as qualified again within 100 days gives the same account back; after 100 days
`kenpoctl lifecycle run` closes the account, erases its personal data and frees
the address and the roster person; before that, signup step 1 with the address
looks as usual and the mail says from when the address can be used.

Dates are moved through roster imports (qualified_until relative to today in
Japan) and `lifecycle run --as-of`, never with the clock. Every test makes its
own insurer ("0695…": prefecture 95 does not exist) and its own members.
"""

import json
import os
import re
import threading
import urllib.parse
from datetime import date, datetime, timedelta, timezone

import pytest

from conftest import (form_fields, argon2_hash,
                      insurer_number as conftest_insurer_number, digits)

PASSWORD = "Kp7-Lfc!wre9"
HEADER = ("insurer_number,personal_id,symbol,number,branch,name_kana,birthdate,"
          "qualified_from,qualified_until")
_seq = [0]


# ------------------------------------------------------------------ helpers

def today():
    return datetime.now(timezone(timedelta(hours=9))).date()


def day(n):
    """Today in Japan + n days, YYYY-MM-DD."""
    return (today() + timedelta(days=n)).isoformat()


def ja_date(iso):
    d = date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def plus100(iso):
    return (date.fromisoformat(iso) + timedelta(days=100)).isoformat()


def insurer_number(prefix="0695"):
    return conftest_insurer_number(prefix)


def new_insurer(stack):
    for _ in range(20):
        n = insurer_number()
        r = stack.ctl("insurer", "add", n, "ライフサイクル健康保険組合", "--pattern", "4")
        if r.returncode == 0:
            return n
    pytest.fail("cannot add a test insurer: " + r.stdout + r.stderr)


def new_person(insurer):
    _seq[0] += 1
    k = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモ"
    return {"insurer": insurer, "pid": f"L{os.getpid()}-{_seq[0]}-{os.urandom(3).hex()}",
            "symbol": digits(3), "number": digits(7),
            "kana": "シカク" + "".join(k[b % len(k)] for b in os.urandom(5)),
            "birth": "1971-03-04"}


def roster_import(stack, insurer, rows, snapshot=False):
    """Import [(person, qualified_until)] for insurer; returns the --json report."""
    _seq[0] += 1
    path = os.path.join(stack.dir, f"lifecycle-{os.getpid()}-{_seq[0]}.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER + "\n")
        for p, until in rows:
            f.write(f"{insurer},{p['pid']},{p['symbol']},{p['number']},,{p['kana']},"
                    f"{p['birth']},2010-04-01,{until}\n")
    args = ["--json", "roster", "import", insurer, path] + (["--snapshot"] if snapshot else [])
    r = stack.ctl(*args)
    assert r.returncode == 0, r.stdout + r.stderr
    return json.loads(r.stdout)


def roster_id(stack, person):
    (rid,), = stack.sql("SELECT r.id FROM roster r JOIN insurers i ON i.id = r.insurer_id"
                        f" WHERE i.number = '{person['insurer']}'"
                        f" AND r.personal_id = '{person['pid']}'")
    return int(rid)


def make_member(stack, insurer, until=""):
    """An active account (level 2) bound to a new qualified person: (email, id, person)."""
    person = new_person(insurer)
    roster_import(stack, insurer, [(person, until)])
    email = stack.new_email("life")
    rid = roster_id(stack, person)
    stack.sql("INSERT INTO accounts (email, password_hash, state, level, insurer_id,"
              " roster_id, activated_at) SELECT"
              f" '{email}', '{argon2_hash(PASSWORD)}', 'active', 2, i.id, {rid}, NOW(6)"
              f" FROM insurers i WHERE i.number = '{insurer}'")
    (aid,), = stack.sql(f"SELECT id FROM accounts WHERE email = '{email}'")
    return email, int(aid), person


def login(stack, email, password=PASSWORD, remember=False):
    c = stack.client()
    page = c.get("/login")
    d = {"email": email, "password": password}
    if remember:
        d["remember"] = "1"
    r = c.submit(page, "/login", d)
    assert r.status == 303, r.text[:500]
    return c


def show(stack, what):
    r = stack.ctl("--json", "account", "show", str(what))
    assert r.returncode == 0, r.stdout + r.stderr
    return json.loads(r.stdout)


def lifecycle(stack, as_of=None):
    args = ["--json", "lifecycle", "run"] + (["--as-of", as_of] if as_of else [])
    r = stack.ctl(*args)
    assert r.returncode == 0, r.stdout + r.stderr
    return json.loads(r.stdout)


def account_row(stack, aid):
    (row,) = stack.sql("SELECT state, unaffiliated, lost_on, level, roster_id, email"
                       f" FROM accounts WHERE id = {aid}")
    return row


def events(stack, aid, event):
    (n,), = stack.sql(f"SELECT COUNT(*) FROM audit WHERE account_id = {aid}"
                      f" AND event = '{event}'")
    return int(n)


def mails_with(stack, to, subject):
    return [m for m in stack.mails(to) if subject in m.subject]


def step1(client, email):
    page = client.get("/signup")
    assert page.status == 200, page.text[:300]
    return client.submit(page, "/signup", {"email": email, "password": PASSWORD,
                                           "agree_terms": "1", "agree_privacy": "1"})


def eligibility(client, person):
    page = client.get("/signup/eligibility")
    assert page.status == 200, page.text[:300]
    page = client.submit(page, "/signup/eligibility", {"insurer_number": person["insurer"]})
    y, m, d = person["birth"].split("-")
    data = {"insurer_number": person["insurer"], "symbol": person["symbol"],
            "number": person["number"], "name_kana": person["kana"], "birth_year": y,
            "birth_month": m.lstrip("0"), "birth_day": d.lstrip("0"),
            "form_insurer": form_fields(page).get("form_insurer", "")}
    return client.submit(page, "/signup/eligibility", data)


UNAFFILIATED = "未所属"
REAFFILIATED = "再びご利用"
CLOSED = "アカウントを閉鎖しました"
EXISTS = "登録済み"


@pytest.fixture(scope="module")
def ins(stack):
    return new_insurer(stack)


@pytest.fixture(autouse=True)
def no_signup_limits(stack):
    stack.sql("DELETE FROM throttle WHERE k LIKE 'signup:%'")
    yield


# ------------------------------------------------------------------ loss and rejoin

def test_loss_is_immediate_and_rejoin_gives_the_same_account_back(stack, ins):
    email, aid, person = make_member(stack, ins)
    stack.sql(f"UPDATE accounts SET notify = 0, lang = 'ja' WHERE id = {aid}")
    c = login(stack, email)
    top = c.get("/top")
    # The notice, not the word: the levels table explains 未所属 to everyone.
    assert top.status == 200 and 'id="top-unaffiliated"' not in top.text

    lost_on = day(-10)
    rep = roster_import(stack, ins, [(person, lost_on)])
    assert rep["accounts_unaffiliated"] == 1 and rep["accounts_reaffiliated"] == 0
    # At once, in the import's transaction: before any page was shown.
    assert account_row(stack, aid)[:3] == ("active", "1", lost_on)
    s = show(stack, email)
    assert s["unaffiliated"] is True and s["lost_on"] == lost_on
    assert s["closes_on"] == plus100(lost_on) and s["level"] == 2
    top = c.get("/top")
    assert top.status == 200 and 'id="top-unaffiliated"' in top.text
    dates = re.search(r'id="top-unaffiliated-dates">([^<]*)<', top.text).group(1)
    assert ja_date(lost_on) in dates and ja_date(plus100(lost_on)) in dates
    assert ja_date(day(-10 + 99)) in dates
    assert events(stack, aid, "account.unaffiliated") == 1
    m = stack.wait_mail(email, subject=UNAFFILIATED)
    assert ja_date(lost_on) in m.body
    assert ja_date(plus100(lost_on)) in m.body            # closed / address free from
    assert ja_date(day(-10 + 99)) in m.body                 # the last day to rejoin
    assert "/signup" in m.body and "/login" in m.body

    # The same file again changes nothing and tells nobody again.
    rep = roster_import(stack, ins, [(person, lost_on)])
    assert rep["accounts_unaffiliated"] == 0
    assert events(stack, aid, "account.unaffiliated") == 1

    # Qualified again with the same personal ID: the same account, as it was.
    rep = roster_import(stack, ins, [(person, "")])
    assert rep["accounts_reaffiliated"] == 1
    assert account_row(stack, aid) == ("active", "0", None, "2",
                                       str(roster_id(stack, person)), email)
    (notify, lang), = stack.sql(f"SELECT notify, lang FROM accounts WHERE id = {aid}")
    assert (notify, lang) == ("0", "ja")                   # settings kept
    assert events(stack, aid, "account.reaffiliated") == 1
    stack.wait_mail(email, subject=REAFFILIATED)
    top = c.get("/top")                                     # the session lived on
    # The notice, not the word: the levels table explains 未所属 to everyone.
    assert top.status == 200 and 'id="top-unaffiliated"' not in top.text
    assert login(stack, email).get("/top").status == 200    # and the password
    s = show(stack, aid)
    assert s["unaffiliated"] is False and s["lost_on"] is None and s["closes_on"] is None
    # The daily job finds nothing to do for it.
    lifecycle(stack)
    assert account_row(stack, aid)[:2] == ("active", "0")
    assert events(stack, aid, "account.reaffiliated") == 1


def test_loss_date_in_the_future_takes_effect_through_the_job(stack, ins):
    email, aid, person = make_member(stack, ins)
    until = day(5)
    rep = roster_import(stack, ins, [(person, until)])
    assert rep["accounts_unaffiliated"] == 0
    assert account_row(stack, aid)[:2] == ("active", "0")
    lifecycle(stack, as_of=day(4))
    assert account_row(stack, aid)[:2] == ("active", "0")
    rid = roster_id(stack, person)
    (imported,), = stack.sql(f"SELECT updated_at FROM roster WHERE id = {rid}")
    rep = lifecycle(stack, as_of=until)
    assert rep["ok"] is True and rep["as_of"] == until and rep["unaffiliated"] >= 1
    assert account_row(stack, aid)[:3] == ("active", "1", until)
    # The change wrote the roster row too (Galera: a key shared with an
    # import), by 1 µs: roster show still tells when the import changed it.
    assert stack.sql(f"SELECT TIMESTAMPDIFF(MICROSECOND, '{imported}', updated_at)"
                     f" FROM roster WHERE id = {rid}") == [("1",)]
    assert events(stack, aid, "account.unaffiliated") == 1
    m = stack.wait_mail(email, subject=UNAFFILIATED)
    assert ja_date(until) in m.body and ja_date(plus100(until)) in m.body
    lifecycle(stack, as_of=until)
    assert events(stack, aid, "account.unaffiliated") == 1
    assert len(mails_with(stack, email, UNAFFILIATED)) == 1


def test_snapshot_leaving_the_person_out(stack):
    ins = new_insurer(stack)
    email, aid, person = make_member(stack, ins)
    other = new_person(ins)
    rep = roster_import(stack, ins, [(other, "")], snapshot=True)
    assert rep["lost"] == 1 and rep["accounts_unaffiliated"] == 1
    assert account_row(stack, aid)[:3] == ("active", "1", day(0))
    assert show(stack, email)["unaffiliated"] is True
    stack.wait_mail(email, subject=UNAFFILIATED)
    # Listed again (a full snapshot with the person back): the same account.
    rep = roster_import(stack, ins, [(other, ""), (person, "")], snapshot=True)
    assert rep["accounts_reaffiliated"] == 1
    assert account_row(stack, aid)[:3] == ("active", "0", None)


# ------------------------------------------------------------------ the 100 days

def test_within_100_days_the_address_is_not_free_and_the_mail_says_from_when(stack, ins):
    email, aid, person = make_member(stack, ins)
    lost_on = day(-10)
    roster_import(stack, ins, [(person, lost_on)])
    lifecycle(stack)
    assert account_row(stack, aid)[:2] == ("active", "1")

    c, fresh = stack.client(), stack.client()
    r = step1(c, email)
    r2 = step1(fresh, stack.new_email("fresh"))
    assert (r.status, r.location) == (r2.status, r2.location) == (303, "/signup/sent")
    assert sorted(c.cookies) == sorted(fresh.cookies)
    assert stack.sql(f"SELECT id, state FROM accounts WHERE email = '{email}'") == \
        [(str(aid), "active")]
    m = stack.wait_mail(email, subject=EXISTS)
    assert ja_date(plus100(lost_on)) in m.body and "100日" in m.body
    assert "/login" in m.body
    # In English too, for a member who uses the English pages.
    stack.sql(f"UPDATE accounts SET lang = 'en' WHERE id = {aid}")
    stack.sql("DELETE FROM throttle WHERE k LIKE '%suresend%'")
    step1(stack.client(), email)
    m = stack.wait_mail(email, subject="already registered")
    assert plus100(lost_on) in m.body
    # The roster person stays bound: nobody else can complete step 3 with it.
    assert account_row(stack, aid)[4] == str(roster_id(stack, person))


def erase_checks(stack, aid, email, person, later=()):
    state, unaff, _lost, _lvl, rid, tomb = account_row(stack, aid)
    assert state == "closed" and rid is None and unaff == "0"
    assert tomb == f"closed+{aid}@invalid"
    (pw,), = stack.sql(f"SELECT password_hash FROM accounts WHERE id = {aid}")
    assert not pw.startswith("$argon2")
    for table, where in (("sessions", f"account_id = {aid}"),
                         ("tokens", f"account_id = {aid}"),
                         ("login_history", f"account_id = {aid}"),
                         ("reset_requests", f"email = '{email}'"),
                         ("inquiries", f"account_id = {aid} OR email = '{email}'"
                          f" OR body LIKE '%{person['pid']}%'")):
        assert stack.sql(f"SELECT COUNT(*) FROM {table} WHERE {where}") == [("0",)], table
    # Audit: every earlier row of the account lost its id and client address;
    # the closure itself names the (now empty) account.
    assert stack.sql(f"SELECT event FROM audit WHERE account_id = {aid}") == \
        [("account.closed",)]
    assert stack.sql(f"SELECT COUNT(*) FROM audit WHERE account_id = {aid}"
                     " AND ip IS NOT NULL") == [("0",)]
    # Nothing else holds the address (the closure mail until it is sent).
    rows = stack.sql(f"SELECT template FROM outbox WHERE to_addr = '{email}'")
    assert set(t for (t,) in rows) <= {"account_closed", *later}


def test_after_100_days_the_job_closes_and_frees_address_and_person(stack, ins):
    email, aid, person = make_member(stack, ins)
    c = login(stack, email, remember=True)
    assert events(stack, aid, "login.ok") >= 1
    # Personal data around the account: an inquiry, a reset request, old mail.
    stack.sql("INSERT INTO inquiries (category, email, name, body, account_id)"
              f" VALUES ('other', '{email}', 'シカク タロウ', 'pid {person['pid']}', {aid})")
    stack.sql(f"INSERT INTO reset_requests (email, lang, ip, send) VALUES"
              f" ('{email}', 'ja', '127.0.0.1', 0)")
    lost_on = day(-150)
    rep = roster_import(stack, ins, [(person, lost_on)])
    assert rep["accounts_unaffiliated"] == 1
    stack.wait_mail(email, subject=UNAFFILIATED)

    rep = lifecycle(stack)
    assert rep["ok"] is True and rep["closed"] >= 1
    erase_checks(stack, aid, email, person)
    assert events(stack, aid, "account.closed") == 1
    assert show(stack, aid)["state"] == "closed"
    r = stack.ctl("account", "withdraw", str(aid))
    assert r.returncode == 1 and "closed" in r.stderr
    assert stack.ctl("account", "show", email).returncode == 1
    # The old browser is out (session and remember-me gone).
    r = c.get("/top")
    assert r.status in (302, 303) and "/login" in (r.location or "")
    m = stack.wait_mail(email, subject=CLOSED)
    assert "/signup" in m.body
    # Once sent, the closure mail leaves the outbox at the next run.
    lifecycle(stack)
    assert stack.sql(f"SELECT COUNT(*) FROM outbox WHERE to_addr = '{email}'") == [("0",)]

    # The address starts a new signup; the person (qualified again) binds to it.
    roster_import(stack, ins, [(person, "")])
    assert account_row(stack, aid)[0] == "closed"
    n = stack.client()
    r = step1(n, email)
    assert r.status == 303
    (new_id, state), = stack.sql(f"SELECT id, state FROM accounts WHERE email = '{email}'")
    assert state == "pending" and int(new_id) != aid
    act = stack.wait_mail(email, subject="仮登録")
    link = [u for u in act.urls if u.endswith("/activate")][0]
    r = n.get(urllib.parse.urlsplit(link).path)
    assert r.status == 303 and r.location == "/signup/eligibility", r.text[:300]
    r = eligibility(n, person)
    assert r.status == 303 and r.location == "/signup/confirm", r.text[:2000]
    page = n.get("/signup/confirm")
    r = n.submit(page, "/signup/confirm", {"action": "complete"})
    assert r.status == 303
    (state, rid), = stack.sql(f"SELECT state, roster_id FROM accounts WHERE id = {new_id}")
    assert state == "active" and rid == str(roster_id(stack, person))
    assert show(stack, email)["id"] == int(new_id)


def test_step1_closes_an_account_whose_100_days_are_up_before_the_job(stack, ins):
    email, aid, person = make_member(stack, ins)
    roster_import(stack, ins, [(person, day(-100))])
    assert account_row(stack, aid)[:2] == ("active", "1")
    r = step1(stack.client(), email)
    assert r.status == 303
    erase_checks(stack, aid, email, person, later=("signup_activate",))
    (state,), = stack.sql(f"SELECT state FROM accounts WHERE email = '{email}'")
    assert state == "pending"
    stack.wait_mail(email, subject=CLOSED)
    stack.wait_mail(email, subject="仮登録")


def test_day_99_rejoins_day_100_closes(stack, ins):
    a_email, a, pa = make_member(stack, ins)
    b_email, b, pb = make_member(stack, ins)
    roster_import(stack, ins, [(pa, day(-99)), (pb, day(-100))])
    lifecycle(stack)
    assert account_row(stack, a)[:2] == ("active", "1")
    assert account_row(stack, b)[0] == "closed"
    rep = roster_import(stack, ins, [(pa, ""), (pb, "")])
    assert rep["accounts_reaffiliated"] == 1
    assert account_row(stack, a)[:2] == ("active", "0")
    assert account_row(stack, b)[0] == "closed"


def test_runs_twice_and_concurrently_do_what_one_run_does(stack, ins):
    members = [make_member(stack, ins) for _ in range(3)]
    fut = make_member(stack, ins)
    roster_import(stack, ins, [(p, day(-120)) for _, _, p in members] + [(fut[2], day(3))])
    results = []

    def run():
        r = stack.ctl("--json", "lifecycle", "run", "--as-of", day(3))
        results.append(r)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r.returncode == 0 for r in results), [r.stdout + r.stderr for r in results]
    reps = [json.loads(r.stdout) for r in results]
    lifecycle(stack, as_of=day(3))
    for email, aid, person in members:
        assert account_row(stack, aid)[0] == "closed"
        assert events(stack, aid, "account.closed") == 1
    assert account_row(stack, fut[1])[:3] == ("active", "1", day(3))
    assert events(stack, fut[1], "account.unaffiliated") == 1
    # Between the two concurrent runs, each account was handled once.
    assert sum(r["closed"] for r in reps) >= 3
    for email, aid, _ in members:
        stack.wait_mail(email, subject=CLOSED)
    stack.wait_mail(fut[0], subject=UNAFFILIATED)
    lifecycle(stack, as_of=day(3))
    for email, aid, _ in members:
        assert len(mails_with(stack, email, CLOSED)) == 1
    assert len(mails_with(stack, fut[0], UNAFFILIATED)) == 1


def test_usage(stack):
    assert stack.ctl("lifecycle", "run", "--as-of", "2026-02-30").returncode == 2
    assert stack.ctl("lifecycle", "run", "--as-of", "tomorrow").returncode == 2
    assert stack.ctl("lifecycle", "run", "extra").returncode == 2
    assert stack.ctl("lifecycle", "stop").returncode == 2
    r = stack.ctl("lifecycle", "run")
    assert r.returncode == 0 and "lifecycle as of" in r.stdout
    assert "lifecycle run [--as-of YYYY-MM-DD]" in stack.ctl("--help").stdout
