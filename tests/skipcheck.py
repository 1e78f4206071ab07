#!/usr/bin/python3
"""
tests/skipcheck.py — a skipped test is a failure unless tests/allowed-skips lists it.

Used two ways:

    import skipcheck; skipcheck.allowed("integration")  -> {test id: reason}
        (tests/integration/conftest.py turns every other skip into a failure)

    skipcheck.py browser RESULTS.tap
        reads the TAP that node --test wrote and exits 1, naming each test,
        when a test was skipped (# SKIP) or left to do (# TODO) and is not
        listed; 0 otherwise; 2 when the file is missing or the list is malformed.

The list's format is described at the top of tests/allowed-skips.
"""

import os
import re
import sys

LIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "allowed-skips")
SUITES = ("integration", "browser")


class ListError(Exception):
    pass


def allowed(suite, path=LIST):
    """{test id: reason} of the suite's allowed skips. Raises ListError on a
    malformed line (a missing reason included): a list that cannot be read
    allows nothing."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 1)
            if len(parts) != 2 or parts[0] not in SUITES or " -- " not in parts[1]:
                raise ListError(f"{path}:{n}: expected 'SUITE ID -- REASON': {line!r}")
            test_id, reason = (s.strip() for s in parts[1].split(" -- ", 1))
            if not test_id or not reason:
                raise ListError(f"{path}:{n}: a test id and a reason are both required")
            if parts[0] == suite:
                out[test_id] = reason
    return out


# node --test's TAP: "ok 3 - name # SKIP reason", also indented for subtests.
TAP_DIRECTIVE = re.compile(r"^\s*(?:not )?ok \d+ - (.*?)\s+# (SKIP|TODO)\b\s*(.*)$", re.I)


def tap_skips(text):
    """[(name, SKIP|TODO, reason)] of a TAP stream."""
    out = []
    for line in text.splitlines():
        m = TAP_DIRECTIVE.match(line)
        if m:
            name = m.group(1).replace("\\#", "#").replace("\\\\", "\\")
            out.append((name, m.group(2).upper(), m.group(3)))
    return out


def main(argv):
    if len(argv) != 2 or argv[0] != "browser":
        print("usage: skipcheck.py browser RESULTS.tap", file=sys.stderr)
        return 2
    try:
        ok = allowed("browser")
        with open(argv[1], encoding="utf-8", errors="replace") as f:
            text = f.read()
    except (OSError, ListError) as e:
        print(f"skipcheck: {e}", file=sys.stderr)
        return 2
    bad = [(n, d, r) for n, d, r in tap_skips(text) if n not in ok]
    for name, directive, reason in bad:
        print(f"skipcheck: '{name}' was {'skipped' if directive == 'SKIP' else 'left as todo'}"
              f" ({reason or 'no reason given'}) and is not in tests/allowed-skips",
              file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
