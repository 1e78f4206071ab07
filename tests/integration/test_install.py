"""
`make install DESTDIR=…` of the build (data.inc) installs what the Debian package
ships (contrib/debian, `make deb`), with the configured paths filled in, the
sample as the configuration and no secret; a second install keeps a changed
configuration; uninstall removes everything but a changed configuration. Needs
no running stack.
"""

import os
import re
import subprocess

import pytest

from conftest import BUILD

# Every installed file below the prefix and sysconfdir, by the end of its path
# (prefix-independent); the Debian package ships the same files plus its own
# docs (README.Debian, copyright, changelog.Debian.gz, lintian overrides).
EXPECTED = [
    "sbin/kenpod", "sbin/kenpoctl", "libexec/kenpo/kenpo-image",
    "kenpo/kenpo.hdf", "logrotate.d/kenpo",
    "systemd/system/kenpod.service", "systemd/system/kenpod.socket",
    "systemd/system/kenpod-staff.socket",
    "systemd/system/kenpo-lifecycle.service", "systemd/system/kenpo-lifecycle.timer",
    "sysusers.d/kenpo.conf",
    "share/kenpo/templates/layout.cs", "share/kenpo/htdocs/favicon.ico",
    "share/kenpo/sql/0001_schema.sql",
    "man8/kenpod.8", "man8/kenpoctl.8",
    "doc/kenpo/README.md", "doc/kenpo/entry-links.md", "doc/kenpo/login-security.md",
    "doc/kenpo/operations.md",
    "doc/kenpo/examples/nginx/kenpo.conf", "doc/kenpo/examples/nginx/kenpo-staff.conf",
    "doc/kenpo/examples/systemd/kenpod.service.d/ip-restrict.conf",
    "doc/kenpo/examples/systemd/kenpod.service.d/kenpod-staff.conf",
]


def make(*args):
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "DESTDIR")}
    r = subprocess.run(["make", "-s", "-C", BUILD, *args], env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout + r.stderr


def files_under(root):
    out = []
    for d, _, names in os.walk(root):
        out += [os.path.relpath(os.path.join(d, n), root) for n in names]
    return sorted(out)


def find(files, tail):
    hits = [f for f in files if f.endswith("/" + tail)]
    assert len(hits) == 1, (tail, hits)
    return hits[0]


def test_install_and_uninstall(tmp_path):
    if not os.path.exists(os.path.join(BUILD, "Makefile")):
        pytest.fail(f"{BUILD} is not a configured build directory")
    dest = str(tmp_path / "root")
    out = make("install", f"DESTDIR={dest}")
    files = files_under(dest)
    for tail in EXPECTED:
        find(files, tail)
    # Nothing else but the data directories' contents.
    others = [f for f in files if "/share/kenpo/" not in f
              and not any(f.endswith("/" + t) for t in EXPECTED)]
    assert not others, others

    def installed(tail):
        return "/" + find(files, tail)     # the path on the target system

    def read(tail):
        with open(dest + installed(tail), encoding="utf-8") as f:
            return f.read()

    # Paths filled in: no @name@ left in any installed text file.
    for f in files:
        if "/share/kenpo/htdocs/" in f or "/sbin/" in f or "/libexec/" in f:  # binaries
            continue
        with open(os.path.join(dest, f), encoding="utf-8") as fh:
            left = re.findall(r"@[a-z_]+@", fh.read())
        assert not left, (f, left)
    conf, kenpod = installed("kenpo/kenpo.hdf"), installed("sbin/kenpod")
    unit = read("systemd/system/kenpod.service")
    assert re.search(rf"^ExecStart={re.escape(kenpod)} -c {re.escape(conf)}$", unit, re.M), unit
    assert re.search(rf"^ExecStartPre={re.escape(kenpod)} -t -c {re.escape(conf)}$", unit, re.M)
    htdocs = os.path.dirname(installed("share/kenpo/htdocs/favicon.ico"))
    assert f"alias {htdocs}/;" in read("examples/nginx/kenpo.conf")
    templates = os.path.dirname(installed("share/kenpo/templates/layout.cs"))
    assert f"# Server.Templates = {templates}\n" in read("kenpo/kenpo.hdf")
    assert f".It Pa {conf}\n" in read("man8/kenpod.8")
    assert re.search(r"^u kenpo ", read("sysusers.d/kenpo.conf"), re.M)
    # kenpod finds the image helper where it was installed.
    helper = installed("libexec/kenpo/kenpo-image")
    assert f"# Verify.ImageHelper = {helper}\n" in read("kenpo/kenpo.hdf")
    assert os.access(dest + helper, os.X_OK)

    # No secret is installed: kenpod refuses the sample and says what to do.
    r = subprocess.run([dest + kenpod, "-t", "-c", dest + conf], capture_output=True,
                       text=True, timeout=30)
    assert r.returncode == 1, r.stdout + r.stderr
    assert ("Security.Pepper and Security.Secret are still the sample's placeholders: "
            "set each to a secret of its own, 64 random hex digits made with: "
            "od -An -tx1 -N32 /dev/urandom | tr -d ' \\n'") in r.stderr, r.stderr

    # A second install keeps a configuration that was changed ...
    with open(dest + conf, "a", encoding="utf-8") as f:
        f.write("# changed by the site\n")
    out = make("install", f"DESTDIR={dest}")
    assert "exists: kept" in out, out
    assert read("kenpo/kenpo.hdf").endswith("# changed by the site\n")
    # ... and so does uninstall; everything else goes.
    make("uninstall", f"DESTDIR={dest}")
    assert files_under(dest) == [conf.lstrip("/")]
    # The unchanged sample is removed.
    os.remove(dest + conf)
    make("install", f"DESTDIR={dest}")
    make("uninstall", f"DESTDIR={dest}")
    assert files_under(dest) == []
