#!/usr/bin/python3
"""
tests/browser/gallery.py DIR — write DIR/index.html: every screenshot of the
browser suite (DIR/*.png) on one page, grouped by flow, with links to the
axe-core report and the TAP results when they are there. Run by tests/browser/run.
"""

import html
import os
import sys


def main(argv):
    if len(argv) != 1:
        print("usage: gallery.py ARTIFACTS_DIR", file=sys.stderr)
        return 2
    d = argv[0]
    shots = sorted(f for f in os.listdir(d) if f.endswith(".png"))
    groups = {}
    for f in shots:                         # <flow>-<step>-<width>-<js|nojs>.png
        groups.setdefault(f.split("-", 1)[0], []).append(f)
    links = [f'<a href="{n}">{n}</a>' for n in ("axe-report.txt", "results.tap")
             if os.path.exists(os.path.join(d, n))]
    out = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
           "<title>kenpo browser tests: screenshots</title>",
           "<style>body{font-family:sans-serif;margin:1em}figure{display:inline-block;"
           "vertical-align:top;margin:0 1em 1em 0}img{max-width:320px;border:1px solid #ccc}"
           "figcaption{font-size:.8em}</style></head><body>",
           f"<h1>kenpo browser tests: {len(shots)} screenshots</h1>",
           f"<p>{' · '.join(links)}</p>" if links else ""]
    for flow, files in groups.items():
        out.append(f"<h2>{html.escape(flow)}</h2>")
        for f in files:
            e = html.escape(f)
            out.append(f'<figure><a href="{e}"><img src="{e}" alt="{e}" loading="lazy"></a>'
                       f"<figcaption>{e}</figcaption></figure>")
    out.append("</body></html>")
    with open(os.path.join(d, "index.html"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
