"""
Notification mails (お知らせメール; SPEC §6, issue 10 item 4; src/notify_mail.c)
over the real stack: `kenpoctl announcement add … --mail` reaches every
opted-in member of the announcement's audience once, through the outbox and the
SMTP sink, in batches; sending again sends nothing more, even with the cursor
lost; every mail carries List-Unsubscribe and List-Unsubscribe-Post (RFC 8058)
and a visible link; the one-click POST works without a session, a GET changes
nothing, and forged or outdated tokens get a clear page.

The mailings run on a second kenpod whose config has small batches
(Mail.BulkBatch = 2, no pause), so that a mailing of a few members takes several
steps; kenpoctl runs with that config too. Every test makes its own insurers
("0697…": prefecture 97 does not exist) and members.
"""

import json
import os
import re
import subprocess
import time
import urllib.parse

import pytest

from conftest import BUILD, wait_until, argon2_hash, insurer_number as conftest_insurer_number

PASSWORD = "Kp7-Ntf!wre9"
BATCH = 2
_seq = [0]


# ------------------------------------------------------------------ helpers


def insurer_number(prefix="0697"):
    return conftest_insurer_number(prefix)


def new_insurer(stack, name):
    for _ in range(20):
        n = insurer_number()
        r = stack.ctl("insurer", "add", n, name, "--pattern", "4")
        if r.returncode == 0:
            return n
    pytest.fail("cannot add a test insurer: " + r.stdout + r.stderr)


def make_member(stack, insurer, notify=1, state="active", unaffiliated=0, lang="ja"):
    """An account of insurer (bound to a new roster person): (email, id)."""
    _seq[0] += 1
    pid = f"N{os.getpid()}-{_seq[0]}-{os.urandom(3).hex()}"
    stack.sql("INSERT INTO roster (insurer_id, personal_id, card_key, name_kana, birthdate,"
              " qualified_from) SELECT id, '" + pid + "', SHA2('" + pid + "', 256),"
              " 'ツウチタロウ', '1980-02-03', '2010-04-01' FROM insurers"
              f" WHERE number = '{insurer}'")
    email = stack.new_email("ntf")
    stack.sql("INSERT INTO accounts (email, password_hash, state, level, insurer_id,"
              " roster_id, notify, unaffiliated, lost_on, lang, activated_at) SELECT"
              f" '{email}', '{argon2_hash(PASSWORD)}', '{state}', 2, i.id, r.id, {notify},"
              f" {unaffiliated}, IF({unaffiliated}, CURDATE() - INTERVAL 3 DAY, NULL), '{lang}',"
              " NOW(6)"
              " FROM insurers i JOIN roster r ON r.insurer_id = i.id"
              f" WHERE i.number = '{insurer}' AND r.personal_id = '{pid}'")
    (aid,), = stack.sql(f"SELECT id FROM accounts WHERE email = '{email}'")
    return email, int(aid)


def ctl(stack, fe, *args, input=None, conf=None):
    """kenpoctl with the config of fe (small batches), or conf."""
    return subprocess.run([os.path.join(BUILD, "kenpoctl"), "-c", conf or fe.conf,
                           *[str(a) for a in args]],
                          input=input, capture_output=True, text=True, timeout=60)


def big_batch_conf(stack, fe):
    """fe's config with one batch large enough for every account of the test
    database: an operator-wide mailing reaches every opted-in member of every
    test, which two at a time would take minutes in a full run."""
    path = os.path.join(stack.dir, "notify-big-batch.hdf")
    with open(path, "w", encoding="utf-8") as f:
        for k, v in dict(fe.config, **{"Mail.BulkBatch": "10000"}).items():
            f.write(f"{k} = {v}\n")
    return path


def add_mailed(stack, fe, title, body, insurer=None, conf=None):
    args = ["--json", "announcement", "add", "--mail"]
    if insurer:
        args += ["--insurer", insurer]
    r = ctl(stack, fe, *args, title, "-", input=body, conf=conf)
    assert r.returncode == 0, r.stdout + r.stderr
    rec = json.loads(r.stdout)
    assert rec["mail"] is True
    assert 0 <= rec["mails_queued_now"] <= (BATCH if conf is None else 10000)
    return rec["id"], rec["mails_queued_now"]


def show(stack, fe, aid):
    r = ctl(stack, fe, "--json", "announcement", "show", aid)
    assert r.returncode == 0, r.stdout + r.stderr
    return json.loads(r.stdout)


def wait_sent(stack, fe, aid, n, timeout=40):
    """Wait until the mailing of aid is complete: every recipient queued, n sent."""
    last = {}

    def done():
        last.update(show(stack, fe, aid))
        return (last["mail_state"] == "done" and last["mails_queued"] == 0
                and last["mails_sent"] >= n)
    try:
        wait_until(done, timeout, "mailing not complete")
    except RuntimeError:
        pytest.fail(f"announcement {aid}: mailing not complete within {timeout}s: {last}")
    return last


def mails_with(stack, to, title):
    return [m for m in stack.mails(to) if title in m.subject]


def unsubscribe_path(mail):
    """The path of the mail's List-Unsubscribe URL (checked for shape)."""
    v = str(mail["List-Unsubscribe"])
    m = re.fullmatch(r"<(https?://[^<>\s,]+)>", v)
    assert m, v
    return urllib.parse.urlsplit(m.group(1)).path


def notify_of(stack, aid):
    (v,), = stack.sql(f"SELECT notify FROM accounts WHERE id = {aid}")
    return v


def outcome(page):
    m = re.search(r'id="unsub-outcome" data-outcome="([a-z]+)"', page.text)
    return m.group(1) if m else None


@pytest.fixture(scope="module")
def fe(stack):
    stack.require_demo()
    f = stack.frontend(config={"Mail.BulkBatch": str(BATCH), "Mail.BulkInterval": "0"})
    yield f
    stack.stop_frontend(f)


# ------------------------------------------------------------------ sending

def test_insurer_announcement_reaches_each_opted_in_member_once(stack, fe):
    a = new_insurer(stack, "ツウチA健康保険組合")
    b = new_insurer(stack, "ツウチB健康保険組合")
    wanted = [make_member(stack, a) for _ in range(5)]           # 5 > 2 batches
    opted_out = make_member(stack, a, notify=0)
    unaffiliated = make_member(stack, a, unaffiliated=1)
    withdrawn = make_member(stack, a, state="withdrawn")
    pending = make_member(stack, a, state="pending")
    other = make_member(stack, b)
    u = os.urandom(3).hex()
    title = f"健診のお知らせ{u}"
    aid, first = add_mailed(stack, fe, title, "今年度の健診の申し込みが始まりました。\n二行目\n",
                            insurer=a)
    for email, _ in wanted:
        stack.wait_mail(email, subject=title)
    rec = wait_sent(stack, fe, aid, len(wanted))
    assert rec["mails_total"] == len(wanted) and rec["mails_failed"] == 0
    assert rec["recipients_pending"] == 0
    for email, acc in wanted:
        got = mails_with(stack, email, title)
        assert len(got) == 1, email
        m = got[0]
        assert m.subject.startswith("【") and title in m.subject
        assert "今年度の健診の申し込みが始まりました。" in m.body and "二行目" in m.body
        assert "ツウチA健康保険組合" in m.body
        assert re.search(r"（\d{4}年\d{1,2}月\d{1,2}日）", m.body), m.body
        # RFC 8058: both headers, once each; the same URL visible in the body.
        assert len(m.get_all("List-Unsubscribe")) == 1
        assert str(m["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
        url = str(m["List-Unsubscribe"])[1:-1]
        assert url in m.body and "/unsubscribe/" + str(acc) + "." in url
    for email, _ in (opted_out, unaffiliated, withdrawn, pending, other):
        assert mails_with(stack, email, title) == [], email
    # Batches: the command's first step, then the mailers' steps (logged), none
    # larger than Mail.BulkBatch, adding up to every recipient.
    steps = [int(n) for n in re.findall(rf"announcement {aid}: (\d+) mails? queued",
                                        "\n".join(fe.log_lines() + stack.log_lines()))]
    assert first + sum(steps) == len(wanted), (first, steps)
    assert len(steps) >= 2 and all(n <= BATCH for n in steps), steps

    # Sending again sends nothing more: the command, and the mailers' rounds.
    for _ in range(2):
        r = ctl(stack, fe, "--json", "announcement", "send", aid)
        assert r.returncode == 0, r.stderr
        rec = json.loads(r.stdout)
        assert rec["mails_total"] == len(wanted) and rec["mails_queued_now"] == 0
    # Even with the cursor lost (as if a step had been applied and forgotten),
    # the (announcement, account) rows keep each member at one mail.
    stack.sql(f"UPDATE announcements SET mail_cursor = 0, mail_done_at = NULL WHERE id = {aid}")
    r = ctl(stack, fe, "announcement", "send", aid)
    assert r.returncode == 0 and "0 mails queued now" in r.stdout, r.stdout + r.stderr
    wait_sent(stack, fe, aid, len(wanted))
    time.sleep(3)                                   # a few more mailer rounds
    for email, _ in wanted:
        assert len(mails_with(stack, email, title)) == 1, email
    (n,), = stack.sql(f"SELECT COUNT(*) FROM outbox o JOIN announcement_mails m"
                      f" ON m.outbox_id = o.id WHERE m.announcement_id = {aid}")
    assert int(n) == len(wanted)
    # Human output names the progress too.
    out = ctl(stack, fe, "announcement", "show", aid).stdout
    assert re.search(r"mails_sent:\s*5", out) and "mail_state" in out, out


def test_operator_announcement_and_unaffiliated_members(stack, fe):
    a = new_insurer(stack, "ツウチC健康保険組合")
    b = new_insurer(stack, "ツウチD健康保険組合")
    wanted = [make_member(stack, a), make_member(stack, b),
              make_member(stack, a, unaffiliated=1)]
    opted_out = make_member(stack, b, notify=0)
    english = make_member(stack, b, lang="en")
    title = f"運営からのお知らせ{os.urandom(3).hex()}"
    aid, _ = add_mailed(stack, fe, title, "メンテナンスのお知らせです。",
                        conf=big_batch_conf(stack, fe))
    for email, _ in wanted:
        m = stack.wait_mail(email, subject=title, timeout=60)
        assert "メンテナンスのお知らせです。" in m.body
        assert "kenpo運営事務局からのお知らせです" in m.body
    # In the member's language.
    m = stack.wait_mail(english[0], subject=title, timeout=60)
    assert m.subject.startswith("[") and "To stop them, open this link" in m.body
    assert str(m["List-Unsubscribe"])[1:-1] in m.body
    wait_sent(stack, fe, aid, len(wanted) + 1, timeout=120)
    for email, _ in wanted:
        assert len(mails_with(stack, email, title)) == 1
    assert mails_with(stack, opted_out[0], title) == []


def test_scheduled_announcement_is_mailed_from_its_time(stack, fe):
    a = new_insurer(stack, "ツウチE健康保険組合")
    email, _ = make_member(stack, a)
    title = f"予約{os.urandom(3).hex()}"
    r = ctl(stack, fe, "--json", "announcement", "add", "--mail", "--insurer", a,
            "--at", "2036-01-01 09:00", title, "-", input="本文")
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    assert rec["mail_state"] == "scheduled" and rec["mails_total"] == 0
    time.sleep(2)
    assert mails_with(stack, email, title) == []
    # Its time comes (moved, not waited for): the mailer sends it.
    stack.sql(f"UPDATE announcements SET published_at = NOW(6) - INTERVAL 1 SECOND"
              f" WHERE id = {rec['id']}")
    stack.wait_mail(email, subject=title)
    assert show(stack, fe, rec["id"])["mail_state"] in ("sending", "done")


def test_kenpoctl_send_usage(stack, fe):
    assert ctl(stack, fe, "announcement", "send").returncode == 2
    assert ctl(stack, fe, "announcement", "send", "x").returncode == 2
    assert ctl(stack, fe, "announcement", "send", "999999999").returncode == 1
    # An announcement added without --mail: show says so, send starts it.
    a = new_insurer(stack, "ツウチF健康保険組合")
    email, _ = make_member(stack, a)
    title = f"あとから{os.urandom(3).hex()}"
    r = ctl(stack, fe, "--json", "announcement", "add", "--insurer", a, title, "-",
            input="本文")
    rec = json.loads(r.stdout)
    assert rec["mail"] is False and rec["mail_state"] == "none"
    assert show(stack, fe, rec["id"])["mails_total"] == 0
    r = ctl(stack, fe, "--json", "announcement", "send", rec["id"])
    assert r.returncode == 0, r.stderr
    stack.wait_mail(email, subject=title)
    (n,), = stack.sql(f"SELECT COUNT(*) FROM audit WHERE event = 'announcement.mail'")
    assert int(n) >= 1
    # A mailed member can still be deleted; the mailing's record goes with her.
    r = stack.ctl("account", "delete", email, "--yes")
    assert r.returncode == 0, r.stdout + r.stderr
    assert show(stack, fe, rec["id"])["mails_total"] == 0


# ------------------------------------------------------------------ unsubscribe

def mailed_member(stack, fe, insurer=None):
    """A new opted-in member and the announcement mail she received."""
    insurer = insurer or new_insurer(stack, "ツウチG健康保険組合")
    email, acc = make_member(stack, insurer)
    title = f"配信停止{os.urandom(3).hex()}"
    add_mailed(stack, fe, title, "本文", insurer=insurer)
    return email, acc, stack.wait_mail(email, subject=title)


def test_one_click_post_without_session(stack, fe):
    email, acc, mail = mailed_member(stack, fe)
    path = unsubscribe_path(mail)
    # A GET (a link scanner, a preview, the member's click) changes nothing.
    for _ in range(2):
        page = stack.client().get(path)
        assert page.status == 200 and outcome(page) == "confirm"
        assert 'name="List-Unsubscribe" value="One-Click"' in page.text
        assert f'action="{path}"' in page.text
        assert "Set-Cookie" not in str(page.headers)
    assert notify_of(stack, acc) == "1"
    # The provider's POST: no cookie, no Origin, no CSRF token.
    c = stack.client()
    r = c.post(path, {"List-Unsubscribe": "One-Click"}, origin=None)
    assert r.status == 200 and outcome(r) == "done", r.text[:500]
    assert notify_of(stack, acc) == "0"
    assert stack.sql(f"SELECT COUNT(*) FROM audit WHERE account_id = {acc}"
                     " AND event = 'notify.unsubscribe'") == [("1",)]
    # The member sees it in her settings.
    from test_member import login      # noqa: E402  (same helpers as the member tests)
    page = login(stack, email, PASSWORD).get("/account")
    assert page.status == 200
    assert "現在の設定：受け取らない" in page.text
    assert not re.search(r'name="notify" value="1" checked', page.text)
    # Sent again (providers retry): the same clean answer, nothing audited twice.
    r = c.post(path, {"List-Unsubscribe": "One-Click"}, origin=None)
    assert r.status == 200 and outcome(r) == "already"
    assert stack.sql(f"SELECT COUNT(*) FROM audit WHERE account_id = {acc}"
                     " AND event = 'notify.unsubscribe'") == [("1",)]
    assert outcome(stack.client().get(path)) == "already"
    # Turned on again in the settings, the same link works again.
    stack.sql(f"UPDATE accounts SET notify = 1 WHERE id = {acc}")
    r = stack.client().post(path, {"List-Unsubscribe": "One-Click"}, origin=None)
    assert outcome(r) == "done" and notify_of(stack, acc) == "0"


def test_one_click_multipart_and_button(stack, fe):
    # RFC 8058: providers SHOULD send multipart/form-data.
    email, acc, mail = mailed_member(stack, fe)
    path = unsubscribe_path(mail)
    boundary = "----kenpo" + os.urandom(6).hex()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\""
            f"\r\n\r\nOne-Click\r\n--{boundary}--\r\n").encode()
    r = stack.client().post(path, raw=body, origin=None,
                            content_type=f"multipart/form-data; boundary={boundary}")
    assert r.status == 200 and outcome(r) == "done", r.text[:500]
    assert notify_of(stack, acc) == "0"
    # The page's button (a browser: with Origin, the form's own field).
    email2, acc2, mail2 = mailed_member(stack, fe)
    path2 = unsubscribe_path(mail2)
    c = stack.client()
    page = c.get(path2)
    r = c.post(path2, {"List-Unsubscribe": "One-Click"})
    assert outcome(r) == "done" and notify_of(stack, acc2) == "0"
    # A POST without the one-click field changes nothing.
    stack.sql(f"UPDATE accounts SET notify = 1 WHERE id = {acc2}")
    r = stack.client().post(path2, {}, origin=None)
    assert r.status == 200 and outcome(r) == "confirm"
    r = stack.client().post(path2, {"List-Unsubscribe": "Other"}, origin=None)
    assert outcome(r) == "confirm" and notify_of(stack, acc2) == "1"
    assert page.status == 200


def test_forged_and_outdated_tokens(stack, fe):
    email, acc, mail = mailed_member(stack, fe)
    path = unsubscribe_path(mail)
    token = path.rsplit("/", 1)[1]
    ident, mac = token.split(".")
    other_email, other = make_member(stack, new_insurer(stack, "ツウチH健康保険組合"))
    flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")
    bad = [
        f"{ident}.{flipped}",                       # forged mac
        f"{other}.{mac}",                           # another account's id, this mac
        f"{ident}.{mac[:-2]}",                      # cut short
        f"{ident}{mac}",                            # no dot
        "0." + mac, "-1." + mac, "99999999999999999999." + mac,
        "x.y", "%3Cscript%3E", "." * 44, f"{ident}.{mac}%00",
    ]
    before = len(fe.log_lines()) + len(stack.log_lines())
    for t in bad:
        for method in ("GET", "POST"):
            c = stack.client()
            if method == "GET":
                r = c.get("/unsubscribe/" + t)
            else:
                r = c.post("/unsubscribe/" + t, {"List-Unsubscribe": "One-Click"}, origin=None)
            assert r.status in (200, 400), (t, method, r.status)
            if r.status == 200:
                assert outcome(r) == "invalid", (t, method)
                assert "このリンクは無効です" in r.text
            assert "<script>" not in r.text
    assert notify_of(stack, acc) == "1" and notify_of(stack, other) == "1"
    logs = "\n".join(fe.log_lines() + stack.log_lines())
    assert "unsubscribe: malformed link" in logs
    assert f"unsubscribe: link for account {other} does not verify" in logs
    assert len(fe.log_lines()) + len(stack.log_lines()) > before
    # Outdated: the member changed her address since the mail; the old link
    # (which the old address's next owner might hold) no longer works.
    stack.sql(f"UPDATE accounts SET email = '{stack.new_email('moved')}' WHERE id = {acc}")
    r = stack.client().post(path, {"List-Unsubscribe": "One-Click"}, origin=None)
    assert r.status == 200 and outcome(r) == "invalid"
    assert notify_of(stack, acc) == "1"
    # A withdrawn account's link is dead too.
    email3, acc3, mail3 = mailed_member(stack, fe)
    stack.sql(f"UPDATE accounts SET state = 'withdrawn' WHERE id = {acc3}")
    assert outcome(stack.client().get(unsubscribe_path(mail3))) == "invalid"
    # English.
    c = stack.client()
    c.cookies["lang"] = "en"
    assert "This link is not valid" in c.get("/unsubscribe/" + bad[0]).text
