"""
Verification levels (issue 10 item 1; SPEC §5, seed 001 p.11 and Q4–Q5, Q8) over
the real stack: an insurer that lets its members finish signup with the insurer
number alone (kenpoctl insurer update --insurer-id-only on), the account that
signup makes at the 団体ID認証 level, 本人確認 done later from the member area
(/account/verify: the step-3 card check, its counter and lock, the binding, the
mail), a new card of the same insurer carried by the roster import with nothing
asked of the member, and the seed's ○/×/△ table on the top page and on
/help/levels with the member's own column marked.

Every test brings its own insurers ("0694…": prefecture 94 does not exist),
roster persons and addresses. Expiry is moved with SQL, never by sleeping.
"""

import html
import json
import os
import re
import threading
import urllib.parse

import pytest

from conftest import (form_fields, argon2_hash,
                      insurer_number as conftest_insurer_number, digits)

PASSWORD = "Kp7-Lvl!wre5"
HEADER = ("insurer_number,personal_id,symbol,number,branch,name_kana,birthdate,"
          "qualified_from,qualified_until")
_seq = [0]

LEVEL_COLS = ["未認証", "団体ID認証", "本人確認（団体個人認証）",
              "健診・医療アクセス認証（機微情報認証）", "未所属認証"]
# The seed's table (001 p.11): feature → marks of the five columns, with kencom
# as the service name ("kenpo" in the test configuration).
SEED_ROWS = {
    "会員登録・FAQ・規約・プライバシーポリシー": "ooooo",
    "記事": "xooox",
    "お知らせ": "xooop",
    "団体リンク": "xooox",
    "kenpoコイン": "xpoox",
    "カラダタブ": "xoooo",
    "ひさやま天気予報": "xooox",
    "行動メニュー": "xooox",
    "kenpoミッション": "xooox",
    "独自ポイント": "xpoox",
    "みんなで歩活": "xxoox",
    "健診閲覧": "xxxox",
    "お薬履歴・GE差額": "xxxox",
    "医療費通知": "xxxox",
}
SEED_GROUPS = ["登録前機能", "基本機能", "オプション機能（要契約）",
               "健診・医療アクセス認証（機微情報認証）（eKYC）"]

NOT_FOUND = "入力された保険証情報では、利用資格を確認できませんでした"
LOCKED = "照会の回数が上限に達しました"
BOUND = "この保険証情報は、別のアカウントで本人確認が完了しています"
VERIFIED_MAIL = "本人確認が完了しました"


# ------------------------------------------------------------------ helpers


def insurer_number(prefix="0694"):
    return conftest_insurer_number(prefix)


def new_insurer(stack, name="レベル健康保険組合", id_only=False, pattern=4):
    for _ in range(20):
        n = insurer_number()
        r = stack.ctl("insurer", "add", n, name, "--pattern", str(pattern))
        if r.returncode == 0:
            break
    else:
        pytest.fail("cannot add a test insurer: " + r.stdout + r.stderr)
    if id_only:
        r = stack.ctl("insurer", "update", n, "--insurer-id-only", "on")
        assert r.returncode == 0, r.stdout + r.stderr
    return n


def new_person(insurer):
    _seq[0] += 1
    k = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモ"
    return {"insurer": insurer, "pid": f"V{os.getpid()}-{_seq[0]}-{os.urandom(3).hex()}",
            "symbol": digits(3), "number": digits(7),
            "kana": "レベル" + "".join(k[b % len(k)] for b in os.urandom(5)),
            "birth": "1982-07-09"}


def roster_import(stack, insurer, people, until=""):
    _seq[0] += 1
    path = os.path.join(stack.dir, f"levels-{os.getpid()}-{_seq[0]}.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER + "\n")
        for p in people:
            f.write(f"{insurer},{p['pid']},{p['symbol']},{p['number']},,{p['kana']},"
                    f"{p['birth']},2012-04-01,{until}\n")
    r = stack.ctl("--json", "roster", "import", insurer, path)
    assert r.returncode == 0, r.stdout + r.stderr
    return json.loads(r.stdout)


def card_fields(p, **over):
    y, m, d = p["birth"].split("-")
    f = {"symbol": p["symbol"], "number": p["number"], "name_kana": p["kana"],
         "birth_year": y, "birth_month": m.lstrip("0"), "birth_day": d.lstrip("0")}
    f.update(over)
    return f


def account(stack, email):
    (row,) = stack.sql("SELECT id, state, level, roster_id, insurer_id, unaffiliated,"
                       f" eligibility_failures FROM accounts WHERE email = '{email}'")
    return {"id": int(row[0]), "state": row[1], "level": int(row[2]), "roster_id": row[3],
            "insurer_id": row[4], "unaffiliated": row[5], "failures": int(row[6])}


def events(stack, aid):
    return [e for (e,) in stack.sql(f"SELECT event FROM audit WHERE account_id = {aid}"
                                    " ORDER BY id")]


def login(stack, email, password=PASSWORD):
    c = stack.client()
    page = c.get("/login")
    r = c.submit(page, "/login", {"email": email, "password": password})
    assert r.status == 303, r.text[:500]
    return c


def insurer_only_member(stack, insurer):
    """An account that finished signup with the insurer number alone (level 1,
    no roster person), made in the database: (email, id)."""
    email = stack.new_email("lvl1")
    stack.sql("INSERT INTO accounts (email, password_hash, state, level, insurer_id,"
              " activated_at) SELECT"
              f" '{email}', '{argon2_hash(PASSWORD)}', 'active', 1, i.id, NOW(6)"
              f" FROM insurers i WHERE i.number = '{insurer}'")
    return email, account(stack, email)["id"]


def bound_member(stack, insurer, person):
    email = stack.new_email("lvl2")
    stack.sql("INSERT INTO accounts (email, password_hash, state, level, insurer_id,"
              " roster_id, activated_at) SELECT"
              f" '{email}', '{argon2_hash(PASSWORD)}', 'active', 2, i.id, r.id, NOW(6)"
              " FROM insurers i JOIN roster r ON r.insurer_id = i.id"
              f" WHERE i.number = '{insurer}' AND r.personal_id = '{person['pid']}'")
    return email, account(stack, email)["id"]


def verified_client(stack):
    """Steps 1-2 of the web signup done: (client, email) on step 3."""
    c = stack.client()
    email = stack.new_email("lvs")
    page = c.get("/signup")
    r = c.submit(page, "/signup", {"email": email, "password": PASSWORD,
                                   "agree_terms": "1", "agree_privacy": "1"})
    assert r.status == 303 and r.location == "/signup/sent", r.text[:300]
    mail = stack.wait_mail(email, subject="仮登録")
    link = [u for u in mail.urls if u.endswith("/activate")][0]
    r = c.get(urllib.parse.urlsplit(link).path)
    assert r.status == 303 and r.location == "/signup/eligibility", r.text[:300]
    return c, email


def step3_card_stage(c, insurer):
    page = c.get("/signup/eligibility")
    assert page.status == 200
    page = c.submit(page, "/signup/eligibility", {"insurer_number": insurer})
    assert page.status == 200 and form_fields(page).get("form_insurer") == insurer, \
        page.text[:2000]
    return page


def insurer_only(c, page, insurer):
    """Step 3's "保険者番号だけで登録する": 303 to step 4 (the insurer, its terms)."""
    r = c.submit(page, "/signup/eligibility", {"insurer_number": insurer,
                                               "form_insurer": insurer,
                                               "action": "insurer_only"})
    assert r.status == 303 and r.location == "/signup/confirm", r.text[:2000]
    return c.get("/signup/confirm")


def confirm(c, page):
    """Step 4's 登録を完了する, every terms box ticked."""
    d = {"action": "complete", "notify": "1"}
    d.update({k: "1" for k in re.findall(r'name="(agree_\d+)"', page.text)})
    return c.submit(page, "/signup/confirm", d)


def finish_insurer_only(c, page, insurer):
    conf = insurer_only(c, page, insurer)
    assert conf.status == 200 and 'id="confirm-insurer-only"' in conf.text
    r = confirm(c, conf)
    assert r.status == 303 and r.location == "/signup/complete", r.text[:2000]
    return r


def outcome_of(page):
    m = re.search(r'class="notice notice--error"[^>]*>\s*<p class="notice__title">'
                  r'<strong>([^<]*)<', page.text)
    return m.group(1) if m else None


def strip_tags(s):
    return html.unescape(re.sub(r"<[^>]+>", "", s)).strip()


def levels_table(page):
    """The levels table as {"cols": [...], "own": index or None, "groups": [...],
    "rows": {feature: (marks, own_marks, texts)}}."""
    m = re.search(r'<table class="levels-table".*?</table>', page.text, re.S)
    assert m, "no levels table"
    t = m.group(0)
    assert re.search(r"<caption[^>]*>", t)
    head = re.search(r"<thead>(.*?)</thead>", t, re.S).group(1)
    ths = re.findall(r'<th scope="col"([^>]*)>(.*?)</th>', head, re.S)
    cols = [strip_tags(x) for _, x in ths]
    own = [i - 1 for i, (a, _) in enumerate(ths) if "levels-table__own" in a]
    groups = [strip_tags(g) for g in re.findall(r'<th scope="rowgroup"[^>]*>(.*?)</th>', t, re.S)]
    rows = {}
    for name, cells in re.findall(r'<th scope="row"[^>]*>(.*?)</th>(.*?)</tr>', t, re.S):
        tds = re.findall(r'<td class="mark mark--(\w+)([^"]*)">(.*?)</td>', cells, re.S)
        marks = "".join({"yes": "o", "no": "x", "partial": "p"}[k] for k, _, _ in tds)
        owns = [i for i, (_, a, _) in enumerate(tds) if "levels-table__own" in a]
        rows[strip_tags(name)] = (marks, owns, [strip_tags(x) for _, _, x in tds])
    return {"cols": cols, "own": own[0] if own else None, "groups": groups, "rows": rows}


@pytest.fixture(autouse=True)
def no_signup_limits(stack):
    stack.sql("DELETE FROM throttle WHERE k LIKE 'signup:%'")
    yield


# ------------------------------------------------------------------ kenpoctl

def test_insurer_id_only_setting(stack):
    n = new_insurer(stack)
    r = stack.ctl("--json", "insurer", "show", n)
    assert r.returncode == 0 and json.loads(r.stdout)["insurer_id_only"] is False
    r = stack.ctl("--json", "insurer", "update", n, "--insurer-id-only", "on")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["insurer_id_only"] is True
    r = stack.ctl("--json", "insurer", "list")
    mine = [i for i in json.loads(r.stdout) if i["number"] == n]
    assert mine and mine[0]["insurer_id_only"] is True
    r = stack.ctl("insurer", "show", n)
    assert re.search(r"insurer_id_only\W+(yes|true|1)", r.stdout), r.stdout
    # A value other than on/off: usage, nothing changed
    r = stack.ctl("insurer", "update", n, "--insurer-id-only", "yes")
    assert r.returncode != 0 and "--insurer-id-only" in r.stderr
    assert stack.sql(f"SELECT insurer_id_only FROM insurers WHERE number = '{n}'") == [("1",)]
    r = stack.ctl("--json", "insurer", "update", n, "--insurer-id-only", "off")
    assert json.loads(r.stdout)["insurer_id_only"] is False
    assert "--insurer-id-only" in stack.ctl("insurer", "update").stderr


# ------------------------------------------------------------------ signup with the insurer number only

def test_insurer_only_signup_then_verify_from_member_menu(stack):
    ins = new_insurer(stack, "団体ID健康保険組合", id_only=True)
    person = new_person(ins)
    roster_import(stack, ins, [person])
    c, email = verified_client(stack)

    # Step 3: the insurer's card boxes, and the offer to finish without them
    page = step3_card_stage(c, ins)
    assert re.search(r'<div class="insurer-only" id="insurer-only">', page.text)
    assert "保険者番号だけで登録する" in page.text
    assert 'name="action" value="insurer_only"' in page.text
    j = json.loads(c.get("/signup/pattern", params={"insurer_number": ins}).text)
    assert j["ok"] and j["insurer_id_only"] is True
    # Step 4: the insurer instead of a person; "戻る" goes back to step 3
    conf = insurer_only(c, page, ins)
    assert "団体ID健康保険組合" in conf.text and 'id="confirm-name"' not in conf.text
    assert 'id="confirm-insurer-only"' in conf.text and "変更できません" in conf.text
    assert account(stack, email)["state"] == "verified"
    r = c.submit(conf, "/signup/confirm", {"action": "back"})
    assert r.status == 303 and r.location == "/signup/eligibility"
    assert c.get("/signup/confirm").location == "/signup/eligibility"
    page = step3_card_stage(c, ins)
    sid = c.cookies.get("sid")
    finish_insurer_only(c, page, ins)
    assert c.cookies.get("sid") and c.cookies.get("sid") != sid
    done = c.get("/signup/complete")
    assert done.status == 200 and 'id="complete-insurer-only"' in done.text
    a = account(stack, email)
    assert (a["state"], a["level"], a["roster_id"]) == ("active", 1, None)
    (ins_id,), = stack.sql(f"SELECT id FROM insurers WHERE number = '{ins}'")
    assert a["insurer_id"] == ins_id
    ev = events(stack, a["id"])
    assert "signup.insurer_only" in ev and "signup.complete_insurer_only" in ev
    assert "notify.on" in ev
    assert "signup.eligibility_ok" not in events(stack, a["id"])

    # The top page: 団体ID認証, the offer of 本人確認, the own column
    top = c.get("/top")
    assert top.status == 200
    assert "団体ID認証済み" in top.text and "提供：" in top.text and "団体ID健康保険組合" in top.text
    assert 'id="top-verify"' in top.text and 'href="/account/verify"' in top.text
    t = levels_table(top)
    assert t["cols"][1 + 1].startswith("団体ID認証") and t["own"] == 1
    acct = c.get("/account")
    assert 'id="account-verify"' in acct.text and "団体ID認証済み" in acct.text

    # 本人確認 from the member menu: the insurer is the account's, the boxes its pattern's
    page = c.get("/account/verify")
    assert page.status == 200
    assert ins in page.text and "団体ID健康保険組合" in page.text
    shown = {n for n in ("symbol", "symbol2", "number", "number2")
             if re.search(rf'name="{n}"[^>]*>', page.text) and
             not re.search(rf'name="{n}"[^>]*disabled', page.text)}
    assert shown == {"symbol", "number"}
    assert 'href="/account/withdraw"' in page.text            # seed Q8: wrong number
    sid = c.cookies.get("sid")
    r = c.submit(page, "/account/verify", card_fields(person))
    assert r.status == 303 and r.location == "/account/verify?done=1", r.text[:2000]
    assert c.cookies.get("sid") and c.cookies.get("sid") != sid
    page = c.get(r.location)
    assert page.status == 200 and 'id="verify-done"' in page.text
    assert 'name="name_kana"' not in page.text
    a = account(stack, email)
    (rid,), = stack.sql(f"SELECT id FROM roster WHERE personal_id = '{person['pid']}'")
    assert (a["state"], a["level"], a["roster_id"]) == ("active", 2, rid)
    assert "account.verified" in events(stack, a["id"])
    mail = stack.wait_mail(email, subject=VERIFIED_MAIL)
    assert "団体ID健康保険組合" in mail.body and "/top" in mail.body
    # The card's digits as the mail would show them: a number of their own,
    # outside the links (a port or a token may hold the same digits by chance).
    text = re.sub(r"https?://\S+", " ", mail.body)
    for digits_ in (person["number"], person["symbol"]):
        assert not re.search(rf"(?<![0-9]){digits_}(?![0-9])", text), digits_

    top = c.get("/top")
    assert "本人確認済み" in top.text and person["kana"] in top.text
    assert 'id="top-verify"' not in top.text
    assert levels_table(top)["own"] == 2
    assert 'id="account-verify"' not in c.get("/account").text
    # Again: nothing to do, and a POST changes nothing
    page = c.get("/account/verify")
    assert 'id="verify-already"' in page.text
    r = c.submit(page, "/account/verify", card_fields(person))
    assert r.status == 200 and account(stack, email)["level"] == 2
    assert len(stack.mails(email)) == 2                    # activation + verified


def test_insurer_only_is_not_offered_without_the_setting(stack):
    ins = new_insurer(stack, "カード必須健康保険組合")
    c, email = verified_client(stack)
    page = step3_card_stage(c, ins)
    assert re.search(r'<div class="insurer-only" id="insurer-only" hidden>', page.text)
    assert json.loads(c.get("/signup/pattern", params={"insurer_number": ins}).text)[
        "insurer_id_only"] is False
    # A forged POST: the card is asked for, nothing changes
    r = c.submit(page, "/signup/eligibility", {"insurer_number": ins, "form_insurer": ins,
                                               "action": "insurer_only"})
    assert r.status == 200
    assert outcome_of(r) == "保険者番号だけでは登録を完了できません"
    a = account(stack, email)
    assert (a["state"], a["level"], a["failures"]) == ("verified", 0, 0)
    # The operator turns it on: the member chooses it; turned off before step 4
    # is completed, step 3 says so and nothing is activated
    assert stack.ctl("insurer", "update", ins, "--insurer-id-only", "on").returncode == 0
    page = step3_card_stage(c, ins)
    conf = insurer_only(c, page, ins)
    assert stack.ctl("insurer", "update", ins, "--insurer-id-only", "off").returncode == 0
    r = confirm(c, conf)
    assert r.status == 303 and r.location == "/signup/eligibility?outcome=insurer_only_off"
    assert outcome_of(c.get(r.location)) == "保険者番号だけでは登録を完了できません"
    assert account(stack, email)["state"] == "verified"
    # On again: the same member can finish now
    assert stack.ctl("insurer", "update", ins, "--insurer-id-only", "on").returncode == 0
    finish_insurer_only(c, step3_card_stage(c, ins), ins)
    assert account(stack, email)["level"] == 1
    # Turning it off again changes no account
    assert stack.ctl("insurer", "update", ins, "--insurer-id-only", "off").returncode == 0
    assert account(stack, email)["state"] == "active"
    assert 'id="top-verify"' in c.get("/top").text


def test_insurer_only_signup_in_english(stack):
    ins = new_insurer(stack, "English健康保険組合", id_only=True)
    c, email = verified_client(stack)
    c.cookies["lang"] = "en"
    page = c.get("/signup/eligibility", headers={"Accept-Language": "en"})
    page = c.submit(page, "/signup/eligibility", {"insurer_number": ins})
    assert "Sign up with the insurer number only" in page.text


# ------------------------------------------------------------------ 本人確認: wrong cards, throttle

def test_verify_wrong_card_bound_and_lock(stack):
    ins = new_insurer(stack, "照合健康保険組合", id_only=True)
    person, other = new_person(ins), new_person(ins)
    roster_import(stack, ins, [person, other])
    email, aid = insurer_only_member(stack, ins)
    c = login(stack, email)
    page = c.get("/account/verify")
    assert page.status == 200 and 'name="name_kana"' in page.text

    # Field errors: said per field, nothing counted
    r = c.submit(page, "/account/verify", card_fields(person, symbol="", name_kana="Taro",
                                                          birth_day="32"))
    assert r.status == 200
    for text in ("記号を入力してください", "カタカナで入力してください", "生年月日が正しくありません"):
        assert text in r.text
    assert account(stack, email)["failures"] == 0

    # A wrong card: not found, counted, the tries left
    r = c.submit(page, "/account/verify", card_fields(person, number=digits(7)))
    assert r.status == 200 and outcome_of(r) == NOT_FOUND
    assert "あと4回" in r.text and "/inquiry/new" in r.text
    assert account(stack, email)["failures"] == 1
    assert "verify.eligibility_fail" in events(stack, aid)

    # Another person's card, bound to another account: told as step 3 tells it,
    # nothing about that account
    other_email, _ = bound_member(stack, ins, other)
    r = c.submit(page, "/account/verify", card_fields(other))
    assert outcome_of(r) == BOUND
    assert other_email not in r.text and other_email.split("@")[0] not in r.text
    assert 'href="/password/forgot"' in r.text
    assert account(stack, email)["failures"] == 2

    # Up to the limit: locked, even the right card is refused, nothing bound
    for _ in range(3):
        r = c.submit(page, "/account/verify", card_fields(person, name_kana="マチガイ"))
    assert "照会に失敗した回数が上限に達した" in r.text
    r = c.submit(page, "/account/verify", card_fields(person))
    assert outcome_of(r) == LOCKED
    a = account(stack, email)
    assert (a["level"], a["roster_id"], a["failures"]) == (1, None, 5)
    page = c.get("/account/verify")
    assert LOCKED in page.text and 'id="verify-submit" disabled' in page.text
    # The window ends (moved by SQL): the right card binds
    stack.sql("UPDATE accounts SET eligibility_window_start = NOW(6) - INTERVAL 25 HOUR"
              f" WHERE id = {aid}")
    page = c.get("/account/verify")
    r = c.submit(page, "/account/verify", card_fields(person))
    assert r.status == 303 and r.location == "/account/verify?done=1"
    assert account(stack, email)["level"] == 2


def test_two_accounts_verify_the_same_person_at_once(stack):
    """The binding is race-free: one of two accounts wins, the other is told the
    person is bound (DB_DUP of accounts.roster_id, or the check itself)."""
    ins = new_insurer(stack, "同時健康保険組合", id_only=True)
    person = new_person(ins)
    roster_import(stack, ins, [person])
    clients = []
    for _ in range(2):
        email, _ = insurer_only_member(stack, ins)
        c = login(stack, email)
        clients.append((email, c, c.get("/account/verify")))
    results = {}

    def go(email, c, page):
        results[email] = c.submit(page, "/account/verify", card_fields(person))
    threads = [threading.Thread(target=go, args=a) for a in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    won = [e for e, r in results.items() if r.status == 303]
    lost = [e for e, r in results.items() if r.status == 200]
    assert len(won) == 1 and len(lost) == 1, {e: r.status for e, r in results.items()}
    assert outcome_of(results[lost[0]]) == BOUND
    (n,), = stack.sql("SELECT COUNT(*) FROM accounts a JOIN roster r ON r.id = a.roster_id"
                      f" WHERE r.personal_id = '{person['pid']}'")
    assert n == "1"
    assert account(stack, won[0])["level"] == 2 and account(stack, lost[0])["level"] == 1
    stack.wait_mail(won[0], subject=VERIFIED_MAIL)
    assert not [m for m in stack.mails(lost[0]) if VERIFIED_MAIL in m.subject]


def test_verify_counts_with_step3_failures(stack):
    """One counter for both pages: failures of step 3 count on /account/verify."""
    ins = new_insurer(stack, "共通回数健康保険組合", id_only=True)
    person = new_person(ins)
    roster_import(stack, ins, [person])
    c, email = verified_client(stack)
    page = step3_card_stage(c, ins)
    d = dict(card_fields(person, name_kana="マチガイ"), insurer_number=ins, form_insurer=ins)
    for _ in range(5):
        r = c.submit(page, "/signup/eligibility", d)
    assert outcome_of(r) == NOT_FOUND and "照会に失敗した回数が上限に達した" in r.text
    # Locked for the card check, but the insurer number alone may still finish
    finish_insurer_only(c, page, ins)
    page = c.get("/account/verify")
    assert LOCKED in page.text
    r = c.submit(page, "/account/verify", card_fields(person))
    assert outcome_of(r) == LOCKED and account(stack, email)["level"] == 1


def test_verify_page_for_other_members(stack):
    ins = new_insurer(stack, "確認済み健康保険組合")
    person = new_person(ins)
    roster_import(stack, ins, [person])
    email, aid = bound_member(stack, ins, person)
    c = login(stack, email)
    page = c.get("/account/verify")
    assert page.status == 200 and 'id="verify-already"' in page.text
    assert 'name="name_kana"' not in page.text and 'id="top-verify"' not in c.get("/top").text
    # 未所属: a new insurer means a new signup (seed Q5)
    roster_import(stack, ins, [person], until="2020-03-31")
    page = c.get("/account/verify")
    assert 'id="verify-unaffiliated"' in page.text and "新規登録" in page.text
    top = c.get("/top")
    assert 'id="top-unaffiliated"' in top.text and "新規登録" in top.text
    # Own column 未所属; no 健診・医療アクセス認証 column for a member of an
    # insurer that does not link health data (issue 12 item 5).
    t = levels_table(top)
    assert t["cols"][t["own"] + 1].startswith("未所属認証")
    assert not any(c.startswith("健診・医療アクセス認証") for c in t["cols"])
    m = stack.wait_mail(email, subject="未所属")
    assert "個人IDが変わる場合" in m.body and "新規登録をしてください" in m.body
    # Not logged in: to the login page, and back here after it
    r = stack.client().get("/account/verify")
    assert r.status == 303 and r.location.startswith("/login")
    # CSRF like every member form
    r = c.post("/account/verify", card_fields(person))
    assert r.status == 403


def test_verify_for_an_insurer_that_left_the_service(stack):
    ins = new_insurer(stack, "撤退健康保険組合", id_only=True)
    email, _ = insurer_only_member(stack, ins)
    assert stack.ctl("insurer", "update", ins, "--not-adopted").returncode == 0
    page = login(stack, email).get("/account/verify")
    assert page.status == 200 and 'id="verify-unavailable"' in page.text
    assert 'name="name_kana"' not in page.text


# ------------------------------------------------------------------ a new card, same insurer

def test_new_card_within_the_same_insurer_needs_nothing(stack):
    ins = new_insurer(stack, "再発行健康保険組合")
    person = new_person(ins)
    roster_import(stack, ins, [person])
    # Bind through the web signup, as a member does
    c, email = verified_client(stack)
    page = step3_card_stage(c, ins)
    r = c.submit(page, "/signup/eligibility",
                 dict(card_fields(person), insurer_number=ins, form_insurer=ins))
    assert r.status == 303 and r.location == "/signup/confirm", r.text[:2000]
    r = c.submit(c.get("/signup/confirm"), "/signup/confirm", {"action": "complete"})
    assert r.location == "/signup/complete"
    before = account(stack, email)
    assert before["level"] == 2
    (old_key,), = stack.sql(f"SELECT card_key FROM roster WHERE id = {before['roster_id']}")

    # The insurer reissues the card: same personal ID, new symbol and number
    old = dict(person)
    person["symbol"], person["number"] = digits(3), digits(7)
    rep = roster_import(stack, ins, [person])
    assert rep.get("updated") == 1, rep
    (new_key,), = stack.sql(f"SELECT card_key FROM roster WHERE id = {before['roster_id']}")
    assert new_key != old_key

    # The member logs in: 本人確認済み as before, nothing asks for anything
    c = login(stack, email)
    top = c.get("/top")
    assert top.status == 200
    assert "本人確認済み" in top.text and person["kana"] in top.text
    for marker in ('id="top-verify"', 'id="top-unaffiliated"', 'href="/account/verify"'):
        assert marker not in top.text
    assert levels_table(top)["own"] == 2
    assert 'id="account-verify"' not in c.get("/account").text
    after = account(stack, email)
    assert (after["level"], after["roster_id"], after["unaffiliated"]) == \
        (2, before["roster_id"], "0")
    # The new card is this person's (bound: one check per person), the old one no one's
    c2, _ = verified_client(stack)
    page = step3_card_stage(c2, ins)
    r = c2.submit(page, "/signup/eligibility",
                  dict(card_fields(person), insurer_number=ins, form_insurer=ins))
    assert outcome_of(r) == "以前、別のメールアドレスで保険証の照会を完了しています"
    r = c2.submit(page, "/signup/eligibility",
                  dict(card_fields(old), insurer_number=ins, form_insurer=ins))
    assert outcome_of(r) == NOT_FOUND


# ------------------------------------------------------------------ the table

def test_levels_table_on_the_help_page(stack):
    c = stack.client()
    page = c.get("/help/levels")
    assert page.status == 200
    assert "{service}" not in page.text and "kenpoでは" in page.text
    t = levels_table(page)
    assert t["cols"] == ["機能"] + LEVEL_COLS
    assert t["groups"] == SEED_GROUPS
    assert {k: v[0] for k, v in t["rows"].items()} == SEED_ROWS
    assert t["own"] is None and 'id="levels-own"' not in page.text
    assert all(not v[1] for v in t["rows"].values())
    # The cells' notes and footnotes as in the seed
    news = t["rows"]["お知らせ"][2]
    assert news[4].endswith("kenpoのお知らせのみ")
    coins = t["rows"]["kenpoコイン"][2]
    assert "貯めるのみ" in coins[1] and "※1" in coins[2] and "※1" in coins[3]
    assert "※4" in t["rows"]["みんなで歩活"][2][2]
    for fn in ("コインを使う・貯めるが可能です。", "団体独自メニューも表示されます。",
               "本人確認（団体個人認証）後に付与する項目もあります。", "開催時に表示されます。"):
        assert fn in page.text
    # Every mark is also said in words, for screen readers
    assert page.text.count('class="visually-hidden">利用できる<') == \
        sum(v.count("o") for v in SEED_ROWS.values())
    # 未所属, a new card, a new insurer (seed Q4–Q5)
    assert "「未所属」とは" in page.text and "100日" in page.text
    assert "個人IDが変わる場合" in page.text and "新規登録をしてください" in page.text
    assert "お手続きは不要です" in page.text
    assert 'href="/signup"' in page.text
    assert "no-store" not in (page.headers.get("Cache-Control") or "")
    # English
    c.cookies["lang"] = "en"
    en = c.get("/help/levels", headers={"Accept-Language": "en"})
    assert en.status == 200 and "About verification levels" in en.text
    assert levels_table(en)["cols"][1:] == ["Not verified", "Insurer ID verified",
                                             "Identity verified", "Health data access verified",
                                             "Unaffiliated"]


def test_levels_table_marks_the_members_column(stack):
    ins = new_insurer(stack, "列健康保険組合", id_only=True)
    person = new_person(ins)
    roster_import(stack, ins, [person])
    cases = []
    e1, _ = insurer_only_member(stack, ins)
    cases.append((e1, 1, "団体ID認証"))
    e2, _ = bound_member(stack, ins, person)
    cases.append((e2, 2, "本人確認（団体個人認証）"))
    for email, col, name in cases:
        c = login(stack, email)
        for path in ("/top", "/help/levels"):
            page = c.get(path)
            assert page.status == 200
            t = levels_table(page)
            assert t["own"] == col, (path, email)
            assert t["cols"][col + 1] == name + "（あなた）"
            assert all(v[1] == [col] for v in t["rows"].values())
            own = re.search(r'id="levels-own">(.*?)</p>', page.text, re.S).group(1)
            assert name in strip_tags(own)
        assert "no-store" in c.get("/help/levels").headers.get("Cache-Control", "")
    # The top page explains 未所属 to everyone, the notice only to a 未所属 member
    top = login(stack, e2).get("/top")
    assert "{service}" not in top.text and "kenpoのお知らせとカラダタブ" in top.text
    assert "「未所属」とは" in top.text and 'id="top-unaffiliated"' not in top.text
    assert 'href="/help/levels"' in top.text


def test_table_markup_fits_a_phone(stack):
    """What a 375 px screen needs from the markup and the stylesheet: the viewport,
    a sideways-scrolling focusable region around the table, and small type under
    600 px (the browser suite renders the pages)."""
    page = stack.client().get("/help/levels")
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page.text
    assert re.search(r'<div class="levels-table-wrap" role="region" '
                     r'aria-labelledby="levels-caption" tabindex="0">', page.text)
    css = stack.client().get("/static/css/kenpo.css")
    assert css.status == 200
    assert re.search(r"\.levels-table-wrap \{[^}]*overflow-x: auto", css.text)
    mobile = css.text[css.text.index("@media (max-width: 600px)"):]
    assert ".levels-table {" in mobile
