"""
Signup steps 3-4 as issue 11 left them, over the real stack:

- 戻る on step 4 brings back everything typed at step 3 (the card boxes of every
  pattern, the name, the birthdate and its era, the insurer number), also on the
  insurer-number-only path; the typed card travels only in the sealed "sc"
  cookie (never in the database, a URL, a log or a hidden field);
- step 4 repeats 保険者番号 and 記号・番号;
- the birthdate in 和暦: the birth_era select, "昭和35" / "S35" / "Ｓ３５" typed in
  the year box, 元年, and the era ranges (昭和64年 ends on January 7, 1989);
- the failed check as a short list, and the lock saying until when and what to
  do meanwhile;
- the card pictures (htdocs/img/card-pattern-N.svg) on step 3 and the help page;
- English slips ("Society: ", "Member terms (opens …").
"""

import base64
import os
import re

import pytest

from conftest import form_fields
from test_signup import (add_insurer, add_person, eligibility, insurers,  # noqa: F401
                         no_signup_limits, outcome_of, to_confirm, unique_digits,
                         unique_kana, verified_client)


def person(stack, insurers, pattern, birth="1960-01-01"):
    """A new roster person of the test insurer of pattern, born on birth;
    returns (form fields, the card as printed)."""
    ins = insurers[pattern]
    kana = "ワレキ" + unique_kana()
    if pattern == 1:
        symbol, number = "", unique_digits(4) + "-" + unique_digits(4)
    elif pattern == 2:
        symbol, number = "", unique_digits(8)
    elif pattern == 3:
        symbol, number = unique_digits(2) + "-" + unique_digits(3), unique_digits(4)
    else:
        symbol, number = unique_digits(3), unique_digits(7)
    add_person(stack, ins, symbol, number, kana, birth)
    f = {"insurer_number": ins, "name_kana": kana}
    if pattern == 1:
        f["number"], f["number2"] = number.split("-")
    elif pattern == 2:
        f["number"] = number
    elif pattern == 3:
        f["symbol"], f["symbol2"] = symbol.split("-")
        f["number"] = number
    else:
        f["symbol"], f["number"] = symbol, number
    return f, symbol, number


def birth(y, m, d, era=None):
    f = {"birth_year": y, "birth_month": m, "birth_day": d}
    if era is not None:
        f["birth_era"] = era
    return f


def selected_era(page):
    m = re.search(r'<option value="([a-z]+)" selected>', page.text)
    return m.group(1) if m else "seireki"


def field_value(page, name):
    return form_fields(page).get(name)


# ------------------------------------------------------------------ 戻る

@pytest.mark.parametrize("pattern", [1, 2, 3, 4])
def test_back_on_step4_keeps_everything_typed(stack, insurers, pattern):
    c, email = verified_client(stack)
    fields, symbol, number = person(stack, insurers, pattern)
    # Typed the way a member might: hiragana name, 和暦 in the year box.
    typed = dict(fields, name_kana=fields["name_kana"], **birth("昭和35", "1", "1"))
    page = to_confirm(stack, c, typed)
    assert page.status == 200

    # Step 4 repeats the insurer number and the card's symbol and number.
    assert re.search(r'id="confirm-insurer-number"[^>]*>' + fields["insurer_number"], page.text)
    assert re.search(r'id="confirm-number">' + re.escape(number), page.text), page.text[-4000:]
    if symbol:
        assert re.search(r'id="confirm-symbol">' + re.escape(symbol), page.text)
    assert "1960年1月1日（昭和35年）" in page.text

    r = c.submit(page, "/signup/confirm", {"action": "back"})
    assert r.status == 303 and r.location == "/signup/eligibility"
    back = c.get("/signup/eligibility")
    assert back.status == 200
    got = form_fields(back)
    for k in ("insurer_number", "symbol", "symbol2", "number", "number2", "name_kana",
              "birth_year", "birth_month", "birth_day"):
        if k in typed:
            assert got.get(k) == typed[k], (k, got.get(k), typed[k])
    # The card boxes of the insurer are drawn (stage "card"), ready to send again.
    assert got.get("form_insurer") == fields["insurer_number"]
    # Sent again unchanged, it goes straight back to step 4.
    r = c.submit(back, "/signup/eligibility", {k: v for k, v in got.items() if k != "csrf"})
    assert r.status == 303 and r.location == "/signup/confirm", r.text[-3000:]


def test_typed_card_is_kept_only_sealed(stack, insurers):
    c, email = verified_client(stack)
    fields, symbol, number = person(stack, insurers, 4)
    r = eligibility(c, dict(fields, **birth("1960", "1", "1")))
    assert r.status == 303 and r.location == "/signup/confirm"
    # The redirect carries no card data; the cookie is sealed (no plaintext).
    assert number not in r.location and symbol not in r.location
    sc = c.cookies.get("sc")
    assert sc, "the sc cookie"
    raw = base64.urlsafe_b64decode(sc + "=" * (-len(sc) % 4))
    for secret in (number.encode(), symbol.encode(), fields["name_kana"].encode()):
        assert secret not in raw and secret.decode() not in sc
    set_cookie = " ".join(r.headers.get_all("Set-Cookie") or [])
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie

    # Nothing of it in the database, or in kenpod's or nginx's logs.
    dump = " ".join(" ".join(str(x) for x in row) for row in
                    stack.sql(f"SELECT * FROM accounts WHERE email = '{email}'"))
    assert number not in dump
    page = c.get("/signup/confirm")
    assert number in page.text
    assert number not in "\n".join(stack.log_lines())
    access = os.path.join(stack.main.dir, "nginx", "access.log")
    if os.path.exists(access):
        with open(access, encoding="utf-8", errors="replace") as f:
            assert number not in f.read()

    # Another account's browser cannot use it: the cookie is bound to its account.
    other, _ = verified_client(stack)
    other.cookies["sc"] = sc
    assert number not in other.get("/signup/eligibility").text
    # A forged cookie is ignored (no 500).
    other.cookies["sc"] = sc[:-4] + ("AAAA" if not sc.endswith("AAAA") else "BBBB")
    assert other.get("/signup/eligibility").status == 200

    # Completing clears it.
    page = c.get("/signup/confirm")
    r = c.submit(page, "/signup/confirm", {"action": "complete"})
    assert r.location == "/signup/complete"
    assert not c.cookies.get("sc")


def test_back_on_the_insurer_number_only_path(stack, insurers):
    ins = add_insurer(stack, 4, "団体IDのみ戻るテスト健康保険組合")
    assert stack.ctl("insurer", "update", ins, "--insurer-id-only", "on").returncode == 0
    c, _ = verified_client(stack)
    page = c.submit(c.get("/signup/eligibility"), "/signup/eligibility", {"insurer_number": ins})
    typed = {"insurer_number": ins, "form_insurer": ins, "symbol": "77", "number": "1234567",
             "name_kana": "ケンコウハナコ", "birth_era": "heisei", "birth_year": "2",
             "birth_month": "3", "birth_day": "4", "action": "insurer_only"}
    r = c.submit(page, "/signup/eligibility", typed)
    assert r.status == 303 and r.location == "/signup/confirm"
    page = c.get("/signup/confirm")
    assert 'id="confirm-insurer-only"' in page.text
    assert re.search(r'id="confirm-insurer-number"[^>]*>' + ins, page.text)
    r = c.submit(page, "/signup/confirm", {"action": "back"})
    back = c.get("/signup/eligibility")
    got = form_fields(back)
    for k in ("insurer_number", "symbol", "number", "name_kana", "birth_year",
              "birth_month", "birth_day"):
        assert got.get(k) == typed[k], k
    assert selected_era(back) == "heisei"


# ------------------------------------------------------------------ 和暦

@pytest.mark.parametrize("typed", [
    birth("昭和35", "1", "1"), birth("S35", "1", "1"), birth("ｓ３５", "１", "１"),
    birth("Ｓ．３５年", "1月", "1日"), birth("35", "1", "1", era="showa"),
    birth("昭和 35", "01", "01", era="heisei"),  # typed era wins over the select
    birth("1960", "1", "1", era="showa"),        # 4 digits: Western whatever the select
    birth("㍼35", "1", "1"),
])
def test_birth_year_in_japanese_eras(stack, insurers, typed):
    c, _ = verified_client(stack)
    fields, _, _ = person(stack, insurers, 2, birth="1960-01-01")
    r = eligibility(c, dict(fields, **typed))
    assert r.status == 303 and r.location == "/signup/confirm", r.text[-3000:]


def test_era_ranges_and_gannen(stack, insurers):
    c, email = verified_client(stack)
    # 昭和元年12月25日 = 1926-12-25 (also 大正15年12月25日); 平成元年1月8日.
    f1926, _, _ = person(stack, insurers, 2, birth="1926-12-25")
    r = eligibility(c, dict(f1926, **birth("昭和元年", "12", "25")))
    assert r.location == "/signup/confirm"
    c.submit(c.get("/signup/confirm"), "/signup/confirm", {"action": "back"})
    r = eligibility(c, dict(f1926, **birth("15", "12", "25", era="taisho")))
    assert r.location == "/signup/confirm"
    c.submit(c.get("/signup/confirm"), "/signup/confirm", {"action": "back"})
    f1989, _, _ = person(stack, insurers, 2, birth="1989-01-08")
    r = eligibility(c, dict(f1989, **birth("元", "1", "8", era="heisei")))
    assert r.location == "/signup/confirm"
    c.submit(c.get("/signup/confirm"), "/signup/confirm", {"action": "back"})

    # Outside the era: a form error naming the era's span, nothing counted.
    r = eligibility(c, dict(f1989, **birth("昭和64", "1", "8")))
    assert r.status == 200 and "1989年（昭和64年）1月7日まで" in r.text
    r = eligibility(c, dict(f1989, **birth("H31", "5", "1")))
    assert "2019年（平成31年）4月30日まで" in r.text
    r = eligibility(c, dict(f1989, **birth("昭和1960", "1", "1")))
    assert "昭和は" in r.text
    r = eligibility(c, dict(f1989, **birth("R99", "1", "1")))
    assert "令和は2019年5月1日から" in r.text
    # 西暦 without four digits, an unknown era, rubbish: clear errors, no 500.
    r = eligibility(c, dict(f1989, **birth("35", "1", "1")))
    assert "和暦（例：昭和35）" in r.text
    r = eligibility(c, dict(f1989, **birth("35", "1", "1", era="edo")))
    assert r.status == 200 and "生年月日が正しくありません" in r.text
    for bad in ("X35", "昭和", "元", "S-35", "\u00a0", "昭和３５ね", "٣٥"):
        r = eligibility(c, dict(f1989, **birth(bad, "1", "1")))
        assert r.status == 200 and 'id="birth_year"' in r.text, bad
    (failures,), = stack.sql(f"SELECT eligibility_failures FROM accounts WHERE email = '{email}'")
    assert failures == "0"
    # The typed text and the era come back as typed.
    r = eligibility(c, dict(f1989, **birth("昭和64", "1", "8", era="heisei")))
    assert field_value(r, "birth_year") == "昭和64" and selected_era(r) == "heisei"


def test_birth_form_has_the_era_select(stack):
    c, _ = verified_client(stack)
    page = c.get("/signup/eligibility")
    values = re.findall(r'<option value="([a-z]+)"', page.text)
    assert values == ["seireki", "meiji", "taisho", "showa", "heisei", "reiwa"]
    assert selected_era(page) == "seireki"
    assert 'name="birth_era"' in page.text and "昭和35" in page.text


# ------------------------------------------------------------------ messages

def test_failed_check_is_a_short_list_and_the_lock_says_what_to_do(stack, insurers):
    c, email = verified_client(stack)
    fields, _, _ = person(stack, insurers, 4)
    r = eligibility(c, dict(fields, name_kana="マチガイ", **birth("1960", "1", "1")))
    assert outcome_of(r) == "入力された保険証情報では、利用資格を確認できませんでした"
    box = re.search(r'id="outcome">(.*?)</div>', r.text, re.S).group(1)
    items = re.findall(r"<li>", box)
    assert len(items) >= 2, box
    assert "(1)" not in box and "(2)" not in box
    assert "入力内容の誤り" in box and "2ヶ月" in box and "あと4回" in box
    for _ in range(4):
        r = eligibility(c, dict(fields, name_kana="マチガイ", **birth("1960", "1", "1")))
    box = re.search(r'id="outcome">(.*?)</div>', r.text, re.S).group(1)
    # Until when (Japan time) and what to do meanwhile: the card, the insurer, the form.
    (until,), = stack.sql("SELECT DATE_FORMAT(CONVERT_TZ(eligibility_window_start,"
                          " @@session.time_zone, '+09:00') + INTERVAL 24 HOUR, '%c月%e日')"
                          f" FROM accounts WHERE email = '{email}'")
    assert until in box, (until, box)
    assert "ごろ" in box and "約24時間後" in box
    meanwhile = re.search(r'id="lock-meanwhile">(.*?)</ul>', box, re.S).group(1)
    assert len(re.findall(r"<li>", meanwhile)) == 3
    assert "/signup/eligibility/help" in meanwhile and "/inquiry/new" in meanwhile
    assert "健康保険組合" in meanwhile
    # The same on a later visit, and for the right card too (no enumeration).
    page = c.get("/signup/eligibility")
    assert 'id="lock-meanwhile"' in page.text
    right = eligibility(c, dict(fields, **birth("1960", "1", "1")))
    assert outcome_of(right) == "照会の回数が上限に達しました"
    wrong = eligibility(c, dict(fields, name_kana="ベツジン", **birth("1960", "1", "1")))
    strip = lambda t: re.sub(r'name="csrf" value="[^"]*"', "", re.sub(  # noqa: E731
        r'value="[^"]*"', "", t))
    assert strip(right.text) == strip(wrong.text)


# ------------------------------------------------------------------ pictures, help, English

def test_card_pictures_on_step3_and_help(stack, insurers):
    c, _ = verified_client(stack)
    page = c.submit(c.get("/signup/eligibility"), "/signup/eligibility",
                    {"insurer_number": insurers[3]})
    shown = re.findall(r'<div data-patterns="(\d)">\s*<figure', page.text)
    assert shown == ["3"], shown
    img = re.search(r'<div data-patterns="3">\s*<figure class="card-figure">\s*<img src="([^"]+)"[^>]*alt="([^"]+)"',
                    page.text)
    assert img and "記号 12 - 456" in img.group(2)
    assert 'href="/signup/eligibility/help?pattern=3"' in page.text
    svg = c.get(img.group(1).split("?")[0])
    assert svg.status == 200 and "svg" in svg.headers.get("Content-Type", "")
    assert "<svg" in svg.text and "保険者番号" in svg.text

    help_page = c.get("/signup/eligibility/help?pattern=3")
    assert help_page.status == 200
    assert len(re.findall(r'src="/static/img/card-pattern-\d\.svg', help_page.text)) == 4
    assert re.search(r'id="pattern-3"', help_page.text)
    assert 'pattern-list__item--yours" id="pattern-3"' in help_page.text
    for junk in ("9", "%3Cx%3E", "12", "0"):
        r = c.get("/signup/eligibility/help?pattern=" + junk)
        assert r.status == 200 and "pattern-list__item--yours" not in r.text


def test_english_slips(stack, insurers):
    c, _ = verified_client(stack)
    c.cookies["lang"] = "en"
    page = c.submit(c.get("/signup/eligibility"), "/signup/eligibility",
                    {"insurer_number": insurers[4]})
    assert "Society: パターン4" in page.text
    assert 'data-prefix="Society: "' in page.text
    assert "e.g. 1960 1 1" not in page.text and "(day)" not in page.text
    s = stack.client()
    s.cookies["lang"] = "en"
    step1 = s.get("/signup")
    text = re.sub(r"<[^>]+>", "", step1.text)
    assert "Member terms (opens in a new window)" in text, re.findall(r"Member terms.{0,40}", text)


def test_back_without_the_cookie_keeps_what_step3_stored(stack, insurers):
    """Another browser (or after two hours): 戻る still brings back the insurer
    number, the name and the birthdate of the match; the card boxes stay empty
    (the symbol and number are stored nowhere)."""
    c, _ = verified_client(stack)
    fields, symbol, number = person(stack, insurers, 4, birth="1975-03-09")
    page = to_confirm(stack, c, dict(fields, **birth("S50", "3", "9")))
    c.cookies.pop("sc", None)
    assert 'id="confirm-card"' not in c.get("/signup/confirm").text
    r = c.submit(page, "/signup/confirm", {"action": "back"})
    assert r.status == 303 and r.location == "/signup/eligibility"
    assert c.cookies.get("sc")
    got = form_fields(c.get("/signup/eligibility"))
    assert got.get("insurer_number") == fields["insurer_number"]
    assert got.get("name_kana") == fields["name_kana"]
    assert (got.get("birth_year"), got.get("birth_month"), got.get("birth_day")) == \
        ("1975", "3", "9")
    assert not got.get("symbol") and not got.get("number")
