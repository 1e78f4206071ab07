#!/usr/bin/python3
"""
tests/browser/stack.py — the real stack for the browser tests.

Starts, with the classes of tests/integration/conftest.py, in a private temporary
directory: MariaDB, the SMTP sink, and two frontends (kenpod + nginx) on the same
database and mail sink:

    main     Login.Captcha = off  (most tests)
    captcha  Login.Captcha = on   (the login test that solves the real CAPTCHA)
    localhost Login.Captcha = off, Service.BaseURL http://localhost:R (passkeys:
             a WebAuthn RP ID cannot be an IP address; nginx listens on
             127.0.0.1 and Chromium maps localhost there, lib.mjs launch)

then describes it as one line of JSON:

    {"base_url": "http://127.0.0.1:P", "base_url_captcha": "http://127.0.0.1:Q",
     "base_url_localhost": "http://localhost:R",
     "staff_url": "http://127.0.0.1:S" (the staff console of the main frontend),
     "maildir": ".../mail", "secret": "<Security.Secret, hex>",
     "db_socket": ".../mysql.sock", "db_user": "root", "db_name": "kenpo",
     "kenpoctl": [".../kenpoctl", "-c", ".../kenpo.hdf"], "dir": "...",
     "logs": [...]}

Two ways to use it:

    stack.py -- CMD ARGS…   start the stack, run CMD with the JSON in the
                            environment variable KENPO_BROWSER_STACK, stop the
                            stack, exit with CMD's status (tests/browser/run);
    stack.py                print the JSON on stdout and keep running until
                            stdin closes or SIGTERM/SIGINT (by hand).

KENPO_BUILD (where kenpod and kenpoctl are) and KENPO_SRC are read by conftest.
Extra config for both frontends: KENPO_TEST_CONFIG="Key=Value;…" as in conftest.
KENPO_KEEP_TMP=1 keeps the stack's directory (logs, maildir) afterwards.
Exit status: the command's; 99 when the stack does not start.
"""

import json
import os
import shutil
import signal
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
sys.dont_write_bytecode = True

import conftest  # noqa: E402  (after the sys.path insert)

# Config of the browser stack, on top of conftest's test config (which already has
# Login.Captcha = off). Every browser test comes from 127.0.0.1, so per-address
# limits that guard a real service against one client would stop the suite.
BROWSER_CONFIG = {
    "Signup.StartPerHour": "1000",
    "Signup.ResendPerHour": "100",
    "Login.ResetPerHourIP": "1000",
    "Login.ResetPerHour": "100",
    "Login.InquiryPerHour": "1000",
    "Service.Name": "kenpo",
}


def known_keys():
    """The config keys of src/config.c's key table: a key that kenpod does not
    know is an error in its config, and a limit above may be newer than the
    build."""
    import re
    try:
        with open(os.path.join(conftest.SRC, "src", "config.c"), encoding="utf-8") as f:
            return set(re.findall(r'^\s*\{\s*"([A-Za-z0-9.]+)"', f.read(), re.M))
    except OSError:
        return set()


# Test members of the demo insurer (pattern ④) besides the demo member, for tests
# that need an account of their own (login, password reset): personal ids
# T0001…T0056, symbol 900, numbers 1000001…, all currently qualified
# (T0041–T0044: deletion.test.mjs; T0045–T0056: site.test.mjs).
TEST_MEMBERS = 56


def load_test_members(stack):
    path = os.path.join(stack.dir, "roster-test.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("insurer_number,personal_id,symbol,number,branch,name_kana,birthdate,"
                "qualified_from,qualified_until\n")
        for i in range(1, TEST_MEMBERS + 1):
            f.write(f"06139992,T{i:04d},900,{1000000 + i},00,テスト タロウ,"
                    f"1970-01-{(i - 1) % 28 + 1:02d},2020-04-01,\n")
    r = stack.ctl("roster", "import", "06139992", path)
    if r.returncode != 0:
        raise RuntimeError(f"kenpoctl roster import (test members) failed:\n{r.stdout}{r.stderr}")


def describe(stack, captcha, local):
    return {
        "base_url": stack.base_url,
        "base_url_captcha": captcha.base_url,
        "base_url_localhost": local.base_url,
        "staff_url": stack.staff_url,
        "maildir": stack.smtp.maildir,
        "secret": stack.secret,
        "db_socket": stack.db.socket,
        "db_user": stack.db.user,
        "db_name": "kenpo",
        "kenpoctl": [os.path.join(conftest.BUILD, "kenpoctl"), "-c", stack.main.conf],
        "dir": stack.dir,
        "demo_loaded": stack.demo is not None and stack.demo.returncode == 0,
        "test_members": TEST_MEMBERS,
        "logs": [stack.main.log, captcha.log, local.log, stack.main.nginx_log,
                 captcha.nginx_log, local.nginx_log],
    }


def start():
    known = known_keys()
    extra = ";".join(f"{k}={v}" for k, v in BROWSER_CONFIG.items() if k in known)
    if os.environ.get("KENPO_TEST_CONFIG"):
        extra += ";" + os.environ["KENPO_TEST_CONFIG"]   # the caller's win
    os.environ["KENPO_TEST_CONFIG"] = extra
    stack = conftest.Stack()
    try:
        stack.start()
        if stack.demo is not None and stack.demo.returncode == 0:
            load_test_members(stack)
        # Every test comes from 127.0.0.1: a harder image after many login
        # requests or failures from one address (Login.HardAfterRequests,
        # Login.HardAfterFailures) would come and go with how many tests ran
        # in the last window, not with what a test does. The escalation a
        # browser test checks comes from an account's own lock.
        captcha = stack.frontend(config={"Login.Captcha": "on",
                                         "Login.HardAfterRequests": "100000",
                                         "Login.HardAfterFailures": "1000"})
        # Its mailer claims no shared work (Mail.Poll an hour: it looks once,
        # at start): a mailer builds a password-reset link from its own
        # Service.BaseURL, and a link to localhost opened by a test on
        # 127.0.0.1 lands on another origin, without that test's cookies
        # (its language, its session). The other mailers deliver its mail.
        local = stack.frontend(config={"Server.Workers": "2", "Mail.Poll": "3600"},
                               host="localhost")
    except Exception as e:
        logs = "\n".join(conftest.tail(p, 20) for p in (
            os.path.join(stack.dir, "log", "mariadb.log"),
            os.path.join(stack.dir, "log", "smtp.log"),
            os.path.join(stack.dir, "main", "log", "kenpod.log"),
            os.path.join(stack.dir, "main", "log", "nginx-error.log")))
        stack.stop()
        sys.stderr.write(f"stack.py: the stack did not start: {e}\n{logs}\n"
                         f"(stack dir kept: {stack.dir})\n")
        sys.exit(99)
    if stack.demo is None or stack.demo.returncode != 0:
        sys.stderr.write("stack.py: warning: the demo data did not load:\n"
                         + (stack.demo.stdout + stack.demo.stderr if stack.demo else "")
                         + "\n")
    return stack, captcha, local


def stop(stack, failed):
    stack.stop()
    if os.environ.get("KENPO_KEEP_TMP") == "1" or failed:
        sys.stderr.write(f"stack.py: the stack's directory is kept: {stack.dir}\n")
    else:
        shutil.rmtree(stack.dir, ignore_errors=True)


class Stop(Exception):
    pass


def on_signal(signum, frame):
    raise Stop()


def main(argv):
    cmd = None
    if argv and argv[0] == "--":
        cmd = argv[1:]
        if not cmd:
            sys.stderr.write("usage: stack.py [-- CMD ARGS…]\n")
            return 2
    elif argv:
        sys.stderr.write("usage: stack.py [-- CMD ARGS…]\n")
        return 2

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    stack = None
    rc = 0
    try:
        stack, captcha, local = start()
        info = json.dumps(describe(stack, captcha, local), ensure_ascii=False)
        if cmd is None:
            print(info, flush=True)
            while sys.stdin.read(4096):
                pass
            return 0
        env = dict(os.environ, KENPO_BROWSER_STACK=info)
        proc = subprocess.Popen(cmd, env=env)
        try:
            rc = proc.wait()
        except Stop:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            rc = 130
        return rc
    except Stop:
        return 130 if cmd is not None else 0
    finally:
        if stack is not None:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            stop(stack, rc != 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
