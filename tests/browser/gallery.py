#!/usr/bin/python3
"""
tests/browser/gallery.py DIR — write DIR/index.html: every screenshot of the
browser suite (DIR/*.png) on one page, so a person can review the whole site in
one scroll. Run by tests/browser/run.

Screenshots are named <flow>-<step>-[<ja|en>-]<width>-<js|nojs>.png (lib.mjs,
site.test.mjs). Each flow is a section, each step one row, and the row shows
that step's variants side by side: Japanese before English, 1280 px before
375 px, JavaScript on before off. site.test.mjs (the flow "site": every page in
ja/en × 1280/375) comes first, its steps under a heading per part of the site
(SITE_PARTS, by the step's leading digit: 6x is 健診・医療アクセス認証, 7x the
staff console; a new part of the sweep gets a line there). Links to the axe-core report and the TAP results
when they are there.
"""

import html
import os
import re
import sys

NAME = re.compile(r"^(?P<flow>[^-]+)-(?P<step>.+?)-(?:(?P<lang>ja|en)-)?(?P<width>\d+)-(?P<js>js|nojs)\.png$")


# The parts of site.test.mjs's sweep, by the first digit of a step's number.
SITE_PARTS = {
    "0": "public pages, login, password, inquiry",
    "1": "help, terms and privacy",
    "2": "signup",
    "3": "login with the CAPTCHA",
    "4": "member area",
    "5": "/consent, /account/verify",
    "6": "健診・医療アクセス認証: /verify/*, /sensitive/*",
    "7": "staff console (its own listener)",
    "8": "連携サービス (OpenID Connect: consent, unmet level, re-auth, errors, logout, /account/services);"
         " 二段階認証, passkeys, the step-up's three options, /login/otp",
    "9": "error pages",
}


def column_key(c):
    lang, width, js = c
    return ({"ja": 0, "en": 1}.get(lang, 0), -width, 0 if js == "js" else 1)


def column_label(c):
    lang, width, js = c
    return " · ".join(x for x in ((lang or ""), f"{width} px", "" if lang else js) if x)


def main(argv):
    if len(argv) != 1:
        print("usage: gallery.py ARTIFACTS_DIR", file=sys.stderr)
        return 2
    d = argv[0]
    shots = sorted(f for f in os.listdir(d) if f.endswith(".png"))
    flows = {}          # flow -> step -> {column: file}
    other = []          # names that do not follow the pattern (e.g. …-FAILED-…)
    for f in shots:
        m = NAME.match(f)
        if not m:
            other.append(f)
            continue
        col = (m["lang"], int(m["width"]), m["js"])
        flows.setdefault(m["flow"], {}).setdefault(m["step"], {})[col] = f
    order = sorted(flows, key=lambda fl: (fl != "site", fl))
    links = [f'<a href="{n}">{n}</a>' for n in ("axe-report.txt", "results.tap")
             if os.path.exists(os.path.join(d, n))]
    out = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
           "<title>kenpo browser tests: screenshots</title>",
           "<style>body{font-family:sans-serif;margin:1em}"
           "table{border-collapse:collapse}th,td{vertical-align:top;padding:.25em .5em;"
           "border-bottom:1px solid #ddd;text-align:left}th{font-size:.85em}"
           "td.w1280 img{width:360px}td.w375 img,td.w320 img{width:188px}"
           "img{border:1px solid #ccc;display:block}"
           "th.part{font-size:1em;background:#f3f3f3;padding-top:.75em}"
           "nav a{margin-right:1em}.missing{color:#999;font-size:.8em}</style></head><body>",
           f"<h1>kenpo browser tests: {len(shots)} screenshots</h1>",
           f"<p>{' · '.join(links)}</p>" if links else "",
           "<nav>" + "".join(f'<a href="#{html.escape(fl)}">{html.escape(fl)}</a>' for fl in order)
           + "</nav>"]
    for flow in order:
        steps = flows[flow]
        cols = sorted({c for files in steps.values() for c in files}, key=column_key)
        out.append(f'<h2 id="{html.escape(flow)}">{html.escape(flow)}</h2>')
        out.append("<table><tr><th>step</th>" + "".join(
            f"<th>{html.escape(column_label(c))}</th>" for c in cols) + "</tr>")
        part = None
        for step in sorted(steps):
            if flow == "site" and step[:1] in SITE_PARTS and step[:1] != part:
                part = step[:1]
                out.append(f'<tr><th colspan="{len(cols) + 1}" class="part">'
                           f"{html.escape(SITE_PARTS[part])}</th></tr>")
            row = [f"<th>{html.escape(step)}</th>"]
            for c in cols:
                f = steps[step].get(c)
                if f is None:
                    row.append('<td class="missing">—</td>')
                    continue
                e = html.escape(f)
                row.append(f'<td class="w{c[1]}"><a href="{e}"><img src="{e}" alt="{e}" '
                           f'loading="lazy"></a></td>')
            out.append("<tr>" + "".join(row) + "</tr>")
        out.append("</table>")
    if other:
        out.append("<h2>other</h2>")
        for f in other:
            e = html.escape(f)
            out.append(f'<figure><a href="{e}"><img src="{e}" alt="{e}" style="width:360px" '
                       f'loading="lazy"></a><figcaption>{e}</figcaption></figure>')
    out.append("</body></html>")
    with open(os.path.join(d, "index.html"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
