"""
Memory: one worker under valgrind serves a few thousand requests of every kind
(pages, errors, bad input, forms with form errors, CAPTCHA images, redirects);
after a graceful stop, valgrind must report no memory error and nothing lost
(definitely or indirectly) in any process of kenpod.
"""
import glob
import os
import re

import pytest

from conftest import csrf

# valgrind cannot run an ASan binary: a sanitized build deselects this module
# (conftest.py) and checks memory with ASan/LSan instead.
pytestmark = [pytest.mark.valgrind]

ROUNDS = 200        # x 12 requests per round = 2,400 requests


def test_one_worker_under_valgrind_leaks_nothing(stack):
    vgdir = os.path.join(stack.dir, "valgrind")
    os.makedirs(vgdir, exist_ok=True)
    fe = stack.frontend(
        config={"Server.Workers": "1", "Login.Captcha": "on", "Server.LogLevel": "warn"},
        wrapper=["valgrind", "--quiet", "--leak-check=full",
                 "--show-leak-kinds=definite,indirect",
                 "--errors-for-leak-kinds=definite,indirect",
                 "--num-callers=30", f"--log-file={vgdir}/vg.%p"])
    served = 0
    try:
        c = fe.client(timeout=60)
        for i in range(ROUNDS):
            page = c.get("/login")
            assert page.status == 200
            m = re.search(r'src="(/captcha/[^"]+)"', page.body)
            if m:
                assert c.get(m.group(1).replace("&amp;", "&")).status == 200
            assert c.get("/").status in (200, 303)
            assert c.get("/healthz").status == 200
            assert c.get("/signup").status == 200
            assert c.get(f"/no-such-page-{i}").status == 404
            assert c.get("/users/not-a-token/activate").status in (200, 400, 404)
            assert c.get("/lang?to=en&back=/login").status == 303
            assert c.get("/lang?to=ja&back=/login").status == 303
            assert c.get("/login?x=%FF").status == 400
            assert c.post("/login", {"email": "a@example.com", "password": "x",
                                     "csrf": "forged"}).status == 403
            assert c.post("/signup", {"email": "not-an-address", "password": "short",
                                      "csrf": csrf(c.get("/signup"))}).status in (200, 400)
            served += 13
    finally:
        rc = fe.stop_kenpod(timeout=120)
        stack.stop_frontend(fe)
    assert served >= ROUNDS * 12
    assert rc == 0, "kenpod did not stop cleanly under valgrind"
    reports = glob.glob(os.path.join(vgdir, "vg.*"))
    assert len(reports) >= 3, "expected reports of the master, the worker and the mailer"
    problems = []
    for path in reports:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        # With --quiet, valgrind prints only errors and leak records.
        if re.search(r"(definitely|indirectly) lost in", text) or \
                re.search(r"Invalid (read|write|free)|uninitialised|Mismatched free",
                          text):
            problems.append(f"{os.path.basename(path)}:\n{text[:4000]}")
    assert not problems, "valgrind found problems:\n" + "\n".join(problems)
