"""
contrib/kenpo.hdf.sample(.in) documents every configuration key of src/config.c
and loads cleanly (kenpod -t) once its placeholders are replaced; as installed
(the build directory's contrib/kenpo.hdf.sample, paths filled in), it is refused
with a message that names the keys and how to make values. Needs no running stack.
"""

import os
import re
import subprocess

import pytest

from conftest import BUILD, SRC

SAMPLE_IN = os.path.join(SRC, "contrib", "kenpo.hdf.sample.in")
SAMPLE = os.path.join(BUILD, "contrib", "kenpo.hdf.sample")    # made by make


def config_keys():
    with open(os.path.join(SRC, "src", "config.c"), encoding="utf-8") as f:
        text = f.read()
    table = text[text.index("keys[] = {"):]
    table = table[:table.index("\n};")]
    return re.findall(r'^\s*\{\s*"([A-Za-z0-9.]+)"\s*,', table, re.M)


def test_every_key_is_documented():
    keys = config_keys()
    assert len(keys) > 50
    with open(SAMPLE_IN, encoding="utf-8") as f:
        sample = f.read()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)+)\s*=", sample, re.M))
    missing = [k for k in keys if k not in documented]
    assert not missing, f"keys of src/config.c not in contrib/kenpo.hdf.sample.in: {missing}"
    unknown = sorted(documented - set(keys))
    assert not unknown, f"contrib/kenpo.hdf.sample.in names unknown keys: {unknown}"


def test_sample_loads(tmp_path):
    kenpod = os.path.join(BUILD, "kenpod")
    if not os.access(kenpod, os.X_OK):
        pytest.fail(f"{kenpod} not built")
    if not os.path.exists(SAMPLE):
        pytest.fail(f"{SAMPLE} not made (make in {BUILD})")
    with open(SAMPLE, encoding="utf-8") as f:
        text = f.read()
    assert not re.search(r"@[a-z_]+@", text), "a path left unsubstituted"
    # The installed default template directory may not exist here.
    text += f"\nServer.Templates = {os.path.join(SRC, 'templates')}\n"
    conf = tmp_path / "kenpo.hdf"
    # As shipped, the placeholder secrets are refused, naming both keys and how
    # to make a value ...
    conf.write_text(text, encoding="utf-8")
    r = subprocess.run([kenpod, "-t", "-c", str(conf)], capture_output=True, text=True)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Security.Pepper and Security.Secret are still the sample's placeholders" \
        in r.stderr, r.stderr
    assert "od -An -tx1 -N32 /dev/urandom" in r.stderr, r.stderr
    # ... one key at a time too ...
    one = re.sub(r"^Security\.Pepper = .*$", f"Security.Pepper = {os.urandom(32).hex()}",
                 text, flags=re.M)
    conf.write_text(one, encoding="utf-8")
    r = subprocess.run([kenpod, "-t", "-c", str(conf)], capture_output=True, text=True)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Security.Secret is still the sample's placeholder" in r.stderr, r.stderr
    # ... and once the values marked CHANGE ME are set, the sample loads.
    text = re.sub(r"^(Security\.(Pepper|Secret)) = .*$",
                  lambda m: f"{m.group(1)} = {os.urandom(32).hex()}", text, flags=re.M)
    conf.write_text(text, encoding="utf-8")
    r = subprocess.run([kenpod, "-t", "-c", str(conf)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
