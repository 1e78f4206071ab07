"""
The OpenID Connect part of `make bench` (issue 15 item 5): the token endpoint
(an authorization-code exchange: code lookup and single-use update, an access
token stored, an ES256 ID token signed) and userinfo (a bearer token looked up,
the member's claims), each under wrk beside GET / of the same kenpod, in
interleaved rounds.

Codes are single use, so each token run gets its own fresh codes, made by SQL
just before it (MariaDB's sequence engine: seq_1_to_N): code = PREFIX + an
8-digit number, stored as its SHA-256 like the authorize endpoint stores them;
wrk's Lua script hands thread k the numbers k, k+T, k+2T, … so no code is sent
twice. A run that outlasts its codes shows as 400s (invalid_grant) in the
table, never as a faster figure. Userinfo gets a fresh access token row before
each run.
"""
import base64
import hashlib
import json
import os
import urllib.parse

import conftest

REDIRECT = "https://bench-rp.example.jp/cb"
CODES_PER_SECOND = 6000     # more than the token endpoint answers here

TOKEN_LUA = """-- POST /oidc/token, a fresh code each (written by tests/bench/oidc.py)
local threads = {}
local counter = 0
function setup(thread)
  thread:set("tid", counter)
  table.insert(threads, thread)
  counter = counter + 1
end
function init(args)
  n = tid + 1
  step = %(threads)d
end
request = function()
  local code = string.format("%(prefix)s%%08d", n)
  n = n + step
  return wrk.format("POST", "/oidc/token", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Authorization"] = "%(basic)s"},
    "grant_type=authorization_code&code=" .. code .. "&redirect_uri=%(redirect)s")
end
"""


def _token(n=32):
    return base64.urlsafe_b64encode(os.urandom(n)).rstrip(b"=").decode()


class OidcBench:
    def __init__(self, stack, fe, tmp, threads):
        self.stack, self.fe, self.tmp, self.threads = stack, fe, tmp, threads
        r = stack.ctl("client", "add", "ベンチマーク用サービス", "--redirect-uri",
                      REDIRECT, "--json")
        if r.returncode != 0:
            raise RuntimeError(f"kenpoctl client add: {r.stderr.strip()}")
        c = json.loads(r.stdout)
        self.client_id, self.secret = c["client_id"], c["client_secret"]
        (self.cid,), = stack.sql("SELECT id FROM oidc_clients WHERE client_id ="
                                 f" '{self.client_id}'")
        email = f"bench-oidc-{os.urandom(4).hex()}@example.com"
        stack.sql("INSERT INTO accounts (email, password_hash, state, level,"
                  f" activated_at) VALUES ('{email}', '{conftest.argon2_hash('x')}',"
                  " 'active', 1, NOW(6))")
        (self.aid,), = stack.sql(f"SELECT id FROM accounts WHERE email = '{email}'")
        basic = base64.b64encode(
            f"{urllib.parse.quote(self.client_id, safe='')}:"
            f"{urllib.parse.quote(self.secret, safe='')}".encode()).decode()
        self.basic = "Basic " + basic
        self.runs = 0

    def _codes(self, n):
        """n fresh codes PREFIX00000001…; returns PREFIX (35 characters, so a
        code is 43 like a real one)."""
        prefix = _token(27)[:35]
        self.stack.sql(
            "INSERT INTO oidc_codes (code_hash, client, account_id, redirect_uri,"
            " scope, acr, amr, auth_time, expires_at)"
            f" SELECT SHA2(CONCAT('{prefix}', LPAD(seq, 8, '0')), 256), {self.cid},"
            f" {self.aid}, '{REDIRECT}', 'openid email kenpo',"
            " 'urn:kenpo:acr:insurer', 'pwd', NOW(6), NOW(6) + INTERVAL 10 MINUTE"
            f" FROM seq_1_to_{n}")
        return prefix

    def check(self):
        """One exchange and one userinfo by hand: 200 with an id_token and a
        sub, or the reason (str)."""
        prefix = self._codes(1)
        c = self.fe.client()
        r = c.request("POST", "/oidc/token", body=(
            "grant_type=authorization_code&code=" + prefix + "00000001"
            + "&redirect_uri=" + urllib.parse.quote(REDIRECT, safe="")).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Authorization": self.basic})
        if r.status != 200 or "id_token" not in r.text:
            return f"POST /oidc/token answered {r.status}: {r.text[:200]}"
        at = json.loads(r.text)["access_token"]
        r = c.request("GET", "/oidc/userinfo",
                      headers={"Authorization": "Bearer " + at})
        if r.status != 200 or '"sub"' not in r.text:
            return f"GET /oidc/userinfo answered {r.status}: {r.text[:200]}"
        return None

    def token_script(self, duration):
        prefix = self._codes(max(1000, duration * CODES_PER_SECOND))
        path = os.path.join(self.tmp, f"token{self.runs}.lua")
        self.runs += 1
        with open(path, "w") as f:
            f.write(TOKEN_LUA % {"threads": self.threads, "prefix": prefix,
                                 "basic": self.basic,
                                 "redirect": urllib.parse.quote(REDIRECT, safe="")})
        return path

    def bearer(self):
        """A fresh access token (stored as the token endpoint stores one)."""
        at = _token()
        h = hashlib.sha256(at.encode()).hexdigest()
        self.stack.sql(
            "INSERT INTO oidc_tokens (token_hash, client, account_id, scope, acr,"
            f" expires_at) VALUES ('{h}', {self.cid}, {self.aid},"
            " 'openid email kenpo', 'urn:kenpo:acr:insurer',"
            " NOW(6) + INTERVAL 1 HOUR)")
        return at

    def userinfo_script(self):
        path = os.path.join(self.tmp, f"userinfo{self.runs}.lua")
        self.runs += 1
        with open(path, "w") as f:
            f.write("-- GET /oidc/userinfo (written by tests/bench/oidc.py)\n"
                    f'wrk.headers["Authorization"] = "Bearer {self.bearer()}"\n')
        return path


def rounds(a, bench, log, wrk, non200, say):
    """Interleaved rounds of GET / (the page beside them), POST /oidc/token and
    GET /oidc/userinfo on bench.fe: {label: [WrkResult]}."""
    base = bench.fe.base_url
    cases = [("GET / (same kenpod)", lambda: (base + "/", None)),
             ("POST /oidc/token (code exchange)",
              lambda: (base + "/oidc/token", bench.token_script(a.duration))),
             ("GET /oidc/userinfo (bearer)",
              lambda: (base + "/oidc/userinfo", bench.userinfo_script()))]
    out = {label: [] for label, _ in cases}
    if a.warmup > 0:
        for label, make in cases:
            url, script = make()
            wrk(url, a.warmup, a.connections, a.threads, script)
        log.reset()
    for rnd in range(1, a.rounds + 1):
        line = []
        for label, make in cases:
            url, script = make()
            log.reset()
            r = wrk(url, a.duration, a.connections, a.threads, script)
            r.statuses = log.take()
            out[label].append(r)
            bad = non200(r.statuses)
            line.append(f"{label.split(' (')[0]} {r.rps or 0:.0f}/s p99 "
                        f"{r.p99 or 0:.1f} ms" + (f" ({bad} not 200)" if bad else ""))
        say(f"oidc round {rnd}/{a.rounds}: " + "; ".join(line))
    return out
