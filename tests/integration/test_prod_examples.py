"""
The production examples of contrib/ (issue 8 item 6) hold what their comments
promise. Needs no running stack.

- contrib/nginx/kenpo.conf(.in) passes `nginx -t` (rendered with temporary paths
  and a throw-away self-signed certificate), offers only forward-secret AEAD suites on
  TLS 1.2 and 1.3, sends HSTS once, drops unknown hosts and keeps every path that
  carries a secret out of nginx's error log — as contrib/nginx/dev.conf.in does.
- contrib/systemd/kenpod.service (made by make from its .in, in the build
  directory) scores 2.0 or less on `systemd-analyze security --offline=true`
  (systemd-analyze comes with Debian's systemd package, which contrib/dev.sh
  installs; it does not become init).
"""

import os
import re
import shutil
import subprocess

import pytest

from conftest import BUILD, SRC

NGINX_CONF = os.path.join(SRC, "contrib", "nginx", "kenpo.conf.in")
DEV_CONF = os.path.join(SRC, "contrib", "nginx", "dev.conf.in")
DROPIN_DIR = os.path.join(SRC, "contrib", "systemd", "kenpod.service.d")
UNIT = os.path.join(BUILD, "contrib", "systemd", "kenpod.service")     # made by make
JOB_UNIT = os.path.join(BUILD, "contrib", "systemd", "kenpo-lifecycle.service")  # made by make
JOB_TIMER = os.path.join(SRC, "contrib", "systemd", "kenpo-lifecycle.timer")
MAX_EXPOSURE = 2.0


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def directives(path):
    """The config at path without its comments (no '#' occurs inside values)."""
    return re.sub(r"#[^\n]*", "", read(path))


def render_kenpo_conf(tmp):
    """kenpo.conf inside a minimal nginx.conf, every path moved under tmp."""
    for d in ("log", "temp", "ssl"):
        os.makedirs(os.path.join(tmp, d), exist_ok=True)
    key, cert = os.path.join(tmp, "ssl", "privkey.pem"), os.path.join(tmp, "ssl", "fullchain.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                    "-subj", "/CN=kenpo.example.jp", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    site = read(NGINX_CONF)
    for old, new in (("/etc/ssl/kenpo/fullchain.pem", cert),
                     ("/etc/ssl/kenpo/privkey.pem", key),
                     ("/var/log/nginx/", os.path.join(tmp, "log") + "/"),
                     ("@pkgdatadir@/htdocs", os.path.join(SRC, "htdocs")),
                     ("/run/kenpo/kenpod.sock", os.path.join(tmp, "kenpod.sock"))):
        assert old in site, f"kenpo.conf no longer mentions {old}: update this test"
        site = site.replace(old, new)
    left = re.findall(r"@[a-z_]+@", re.sub(r"#[^\n]*", "", site))
    assert not left, f"kenpo.conf.in: substitutions this test does not make: {left}"
    with open(os.path.join(tmp, "kenpo.conf"), "w", encoding="utf-8") as f:
        f.write(site)
    shutil.copy("/etc/nginx/fastcgi_params", os.path.join(tmp, "fastcgi_params"))
    temps = "".join(f"\t{k}_temp_path {tmp}/temp/{k};\n"
                    for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = os.path.join(tmp, "nginx.conf")
    with open(main, "w", encoding="utf-8") as f:
        f.write(f"pid {tmp}/nginx.pid;\nerror_log {tmp}/log/error.log;\n"
                f"events {{ worker_connections 64; }}\n"
                f"http {{\n\tinclude /etc/nginx/mime.types;\n{temps}"
                f"\tinclude {tmp}/kenpo.conf;\n}}\n")
    return main


def test_kenpo_conf_passes_nginx_t(tmp_path):
    main = render_kenpo_conf(str(tmp_path))
    r = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", main,
                        "-e", str(tmp_path / "log" / "error.log")],
                       capture_output=True, text=True, timeout=30)
    out = r.stdout + r.stderr
    print(out)
    assert r.returncode == 0, out
    assert "syntax is ok" in out and "test is successful" in out, out
    assert "[warn]" not in out and "[emerg]" not in out, out


def directive_values(conf, name):
    return [m.group(1).strip() for m in re.finditer(rf"^\s*{name}\s+([^;]*);", conf, re.M)]


def test_kenpo_conf_tls_is_modern():
    conf = directives(NGINX_CONF)
    assert directive_values(conf, "ssl_protocols") == ["TLSv1.2 TLSv1.3"]
    [ciphers] = directive_values(conf, "ssl_ciphers")
    # What OpenSSL makes of the string: ECDHE key exchange and AEAD only.
    r = subprocess.run(["openssl", "ciphers", "-v", ciphers], capture_output=True,
                       text=True, check=True)
    suites = [line.split() for line in r.stdout.splitlines() if line.strip()]
    assert suites
    for s in suites:
        fields = dict(f.split("=", 1) for f in s if "=" in f)
        if s[1] == "TLSv1.3":
            continue    # the TLS 1.3 suites (all AEAD with ephemeral keys)
        assert s[1] == "TLSv1.2", s
        assert fields["Kx"] == "ECDH", s
        assert fields["Mac"] == "AEAD", s
        assert "CBC" not in s[0] and "SHA1" not in fields["Mac"], s


def locations(conf):
    """{location argument: body} of a flat nginx config (no nested locations)."""
    out = {}
    for m in re.finditer(r"^\s*location\s+([^{]+?)\s*\{(.*?)^\s*\}", conf, re.M | re.S):
        out[m.group(1)] = m.group(2)
    return out


def test_kenpo_conf_headers_and_servers():
    conf = directives(NGINX_CONF)
    locs = locations(conf)
    # HSTS once: kenpod sends it on its own responses (src/request.c), nginx
    # only on what it serves itself.
    for arg, body in locs.items():
        hsts = body.count("Strict-Transport-Security")
        if "alias" in body:
            assert hsts == 1, arg
            assert "X-Content-Type-Options nosniff" in body, arg
        else:
            assert hsts == 0, arg
    outside = re.sub(r"^\s*location\s+[^{]+\{.*?^\s*\}", "", conf, flags=re.M | re.S)
    assert "Strict-Transport-Security" not in outside
    static = locs["/static/"]
    for h in ("Content-Security-Policy", "X-Frame-Options", "Referrer-Policy"):
        assert h in static, h
    # A default server that answers nobody, and refuses TLS handshakes.
    assert re.search(r"listen 443 ssl http2 default_server;", conf)
    assert "ssl_reject_handshake on;" in conf
    assert "return 444;" in conf
    assert re.search(r"^\s*limit_conn kenpo_conn \d+;", conf, re.M)
    assert re.search(r"^\s*limit_req zone=kenpo_post", conf, re.M)


# '*' routes whose part is public, not a secret: /terms/<id> shows a published
# version of the terms by its number (src/pages/terms.c); /verify/shot/<shot>
# takes a photo of identity verification, named by its kind (doc_front, …):
# its nginx location keeps its error log (the upload limits' refusals).
# /verify/shot/, /verify/preview/: a shot name; /sensitive/open/: a feature name.
# (/oidc/authorize/resume/<handle> is not public: whoever holds the handle can
# finish the request with a session of their own, and the relying party would
# take that member's code in the browser that began it — docs/oidc.md.)
PUBLIC_STAR_ROUTES = {"/terms/", "/verify/shot/", "/verify/preview/", "/sensitive/open/"}


def secret_route_prefixes():
    """The part before the '*' of every route whose path carries a secret
    (the '*' routes of src/routes.def: tokens and CAPTCHA ids), but the public
    ones listed above."""
    text = read(os.path.join(SRC, "src", "routes.def"))
    pats = re.findall(r'^ROUTE\("([^"]*\*[^"]*)"', text, re.M)
    assert pats
    prefixes = {p.split("*", 1)[0] for p in pats}
    assert PUBLIC_STAR_ROUTES <= prefixes, "a public '*' route listed here is gone"
    return sorted((prefixes - PUBLIC_STAR_ROUTES) | {"/entry"})


@pytest.mark.parametrize("path", [NGINX_CONF, DEV_CONF], ids=["kenpo.conf", "dev.conf.in"])
def test_secret_paths_have_no_error_log(path):
    """Which location nginx picks for a secret-carrying URL, roughly as nginx
    does: an exact match, else the first matching regex, else the longest prefix."""
    locs = locations(directives(path))
    for prefix in secret_route_prefixes():
        uri = prefix + ("" if prefix == "/entry" else "SECRET")
        exact = [a for a in locs if a.startswith("= ") and a[2:] == uri]
        regex = [a for a in locs if a.startswith("~ ") and re.search(a[2:], uri)]
        plain = [a for a in locs if not a.startswith(("=", "~")) and uri.startswith(a)]
        best = (exact or regex or [max(plain, key=len, default=None)])[0]
        assert best, f"{os.path.basename(path)}: no location for {uri}"
        assert "error_log /dev/null;" in locs[best], (path, uri, best)
        assert "fastcgi_pass kenpod;" in locs[best], (path, uri, best)
    # The bare member page /account/email is not caught (nor redirected).
    assert not any(a.startswith("~ ") and re.search(a[2:], "/account/email") for a in locs)


def exposure(unit_dir, name="kenpod.service"):
    r = subprocess.run(["systemd-analyze", "security", "--offline=true", "--no-pager",
                        os.path.join(unit_dir, name)],
                       capture_output=True, text=True, timeout=60)
    m = re.search(r"Overall exposure level for " + re.escape(name) + r":\s*([0-9.]+)",
                  r.stdout)
    assert m, r.stdout + r.stderr
    return float(m.group(1)), r.stdout


def test_systemd_unit_exposure(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze not installed (Debian package systemd; "
                    "contrib/dev.sh test installs it)")
    if not os.path.exists(UNIT):
        pytest.fail(f"{UNIT} not made (make in {BUILD})")
    # The unit alone (offline analysis also reads kenpod.service.d/ beside it).
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(UNIT, alone)
    score, out = exposure(str(alone))
    print(f"kenpod.service: {score}")
    assert score <= MAX_EXPOSURE, out
    for setting in ("SystemCallFilter=", "ProtectProc=", "ProcSubset=", "PrivateMounts=",
                    "RemoveIPC=", "PrivateUsers=", "UMask=", "CapabilityBoundingSet=",
                    "NoNewPrivileges="):
        rows = [ln for ln in out.splitlines() if ln.lstrip().startswith(("✓", "✗"))
                and setting in ln]
        assert rows, setting
        assert all(r.lstrip().startswith("✓") for r in rows), rows
    unit = directives(UNIT)
    assert re.search(r"^DevicePolicy=closed$", unit, re.M)
    assert re.search(r"^UMask=0077$", unit, re.M)
    # With the documented IP address drop-in: better still.
    both = tmp_path / "with-dropin"
    both.mkdir()
    shutil.copy(UNIT, both)
    shutil.copytree(DROPIN_DIR, both / "kenpod.service.d")
    score_ip, out = exposure(str(both))
    print(f"kenpod.service + ip-restrict.conf: {score_ip}")
    assert score_ip < score, out


def test_lifecycle_job_units(tmp_path):
    """The daily job (kenpoctl lifecycle run): a oneshot as user kenpo, sandboxed
    as kenpod is; its timer daily in Japan time, Persistent, for timers.target."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze not installed (Debian package systemd; "
                    "contrib/dev.sh test installs it)")
    if not os.path.exists(JOB_UNIT):
        pytest.fail(f"{JOB_UNIT} not made (make in {BUILD})")
    unit = directives(JOB_UNIT)
    assert re.search(r"^Type=oneshot$", unit, re.M)
    assert re.search(r"^User=kenpo$", unit, re.M)
    assert re.search(r"^ExecStart=/\S*/kenpoctl -c /\S*/kenpo/kenpo\.hdf lifecycle run$",
                     unit, re.M), unit
    assert not re.search(r"@[a-z]+@", unit), unit
    d = tmp_path / "units"
    d.mkdir()
    shutil.copy(JOB_UNIT, d)
    score, out = exposure(str(d), "kenpo-lifecycle.service")
    print(f"kenpo-lifecycle.service: {score}")
    assert score <= MAX_EXPOSURE, out
    timer = directives(JOB_TIMER)
    assert re.search(r"^OnCalendar=\*-\*-\* \d\d:\d\d:\d\d Asia/Tokyo$", timer, re.M)
    assert re.search(r"^Persistent=true$", timer, re.M)
    assert re.search(r"^WantedBy=timers\.target$", timer, re.M)
    cal = re.search(r"^OnCalendar=(.*)$", timer, re.M).group(1)
    r = subprocess.run(["systemd-analyze", "calendar", cal], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
