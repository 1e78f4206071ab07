"""
The eKYC vault's master-key rotation, as an operator runs it (docs/operations.md,
"Key rotation"): records sealed under the old key still open while both keys are
configured, `kenpoctl verify rekey` rewraps their data keys without touching the
sealed data, `verify status` shows every record under the current key, and once
the old key is dropped only rewrapped records open. Records are sealed here with
python's cryptography, following src/vault.h's format byte for byte, so the test
also pins the format kenpod's own seals use (tests/unit/t_vault.c checks those).
"""

import hashlib
import json
import os
import subprocess

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from conftest import BUILD


def key_id(master_hex):
    return hashlib.sha256(b"kenpo-master:" + bytes.fromhex(master_hex)).hexdigest()[:16]


def seal(master_hex, plain, context):
    """(key_id, wrapped, sealed) as src/vault.h describes them."""
    kid = key_id(master_hex)
    dek = os.urandom(32)
    n1, n2 = os.urandom(12), os.urandom(12)
    wrapped = n1 + AESGCM(bytes.fromhex(master_hex)).encrypt(n1, dek, b"kenpo-dek:" + kid.encode())
    sealed = n2 + AESGCM(dek).encrypt(n2, plain, context.encode())
    return kid, wrapped, sealed


def unseal(master_hex, kid, wrapped, sealed, context):
    dek = AESGCM(bytes.fromhex(master_hex)).decrypt(wrapped[:12], wrapped[12:],
                                                     b"kenpo-dek:" + kid.encode())
    return AESGCM(dek).decrypt(sealed[:12], sealed[12:], context.encode())


def ctl_with(stack, tmp_path, name, extra, *args):
    """kenpoctl with the main configuration plus/over the keys in extra."""
    conf = tmp_path / f"{name}.hdf"
    cfg = dict(stack.main.config)
    cfg.update(extra)
    conf.write_text("".join(f"{k} = {v}\n" for k, v in cfg.items()))
    return subprocess.run([os.path.join(BUILD, "kenpoctl"), "-c", str(conf), "--json", *args],
                          capture_output=True, text=True, timeout=60)


def image_row(stack, vid):
    rows = stack.sql(f"SELECT key_id, HEX(wrapped_key), HEX(sealed) FROM verification_images "
                     f"WHERE verification_id = {vid} AND shot = 'doc_front'")
    kid, w, s = rows[0]
    return kid, bytes.fromhex(w), bytes.fromhex(s)


def test_master_key_rotation(stack, tmp_path):
    old = stack.master_key
    new = os.urandom(32).hex()
    email = stack.new_email("vault")
    stack.sql(f"INSERT INTO accounts (email, password_hash) VALUES ('{email}', '!')")
    account = stack.sql(f"SELECT id FROM accounts WHERE email = '{email}'")[0][0]
    stack.sql(f"INSERT INTO verifications (account_id, document) VALUES ({account}, 'license')")
    vid = stack.sql(f"SELECT MAX(id) FROM verifications WHERE account_id = {account}")[0][0]
    photo = b"\xff\xd8\xff\xe0" + os.urandom(2000) + b"\xff\xd9"
    context = f"image:{vid}:doc_front"
    kid, wrapped, sealed = seal(old, photo, context)
    others = {k for (k,) in stack.sql("SELECT DISTINCT key_id FROM verification_images")}
    stack.sql("INSERT INTO verification_images (verification_id, shot, key_id, wrapped_key, "
              f"sealed, width, height) VALUES ({vid}, 'doc_front', '{kid}', "
              f"UNHEX('{wrapped.hex()}'), UNHEX('{sealed.hex()}'), 640, 480)")
    try:
        # Before: the record is under the current key. (Other tests' rows
        # may be under made-up keys: only this record's key is looked at.)
        r = stack.ctl("--json", "verify", "status")
        assert r.stdout, r.stderr
        states = {(x["records"], x["key"]): x["state"] for x in json.loads(r.stdout)}
        assert states[("images", kid)] == "current"

        # A configuration that lost the key: the record is reported unreadable.
        r = ctl_with(stack, tmp_path, "lost", {"Verify.MasterKey": new}, "verify", "status")
        assert r.returncode == 1
        assert "missing" in r.stdout and "verify rekey" in r.stderr
        r = ctl_with(stack, tmp_path, "lost", {"Verify.MasterKey": new}, "verify", "rekey")
        assert r.returncode == 1, r.stdout
        assert r.stdout, r.stderr
        assert json.loads(r.stdout)["failed"] >= 1
        assert image_row(stack, vid)[0] == kid          # nothing changed

        # Step 1-2: new key seals, the old one still opens; rekey rewraps.
        # Rows of other tests under made-up keys cannot be opened: counted as
        # failures, and then (only then) the exit status is 1.
        foreign = int(stack.sql("SELECT COUNT(*) FROM verification_images WHERE key_id "
                                f"NOT IN ('{kid}', '{key_id(new)}')")[0][0])
        both = {"Verify.MasterKey": new, "Verify.OldMasterKeys": old}
        r = ctl_with(stack, tmp_path, "both", both, "verify", "rekey")
        assert r.returncode == (1 if foreign else 0), r.stderr
        assert json.loads(r.stdout)["rewrapped"] >= 1
        assert json.loads(r.stdout)["failed"] == foreign
        kid2, wrapped2, sealed2 = image_row(stack, vid)
        assert kid2 == key_id(new)
        assert wrapped2 != wrapped
        assert sealed2 == sealed                        # the photo was not re-encrypted
        # Running it again finds nothing left to do.
        r = ctl_with(stack, tmp_path, "both", both, "verify", "rekey")
        assert json.loads(r.stdout)["rewrapped"] == 0

        # Step 3-4: the old key is dropped; the record opens with the new one only.
        r = ctl_with(stack, tmp_path, "new", {"Verify.MasterKey": new}, "verify", "status")
        assert r.stdout, r.stderr
        states = {(x["records"], x["key"]): x["state"] for x in json.loads(r.stdout)}
        assert states[("images", kid2)] == "current"
        assert ("images", kid) not in states or kid in others
        assert unseal(new, kid2, wrapped2, sealed2, context) == photo
        try:
            unseal(old, kid2, wrapped2, sealed2, context)
            opened_with_old = True
        except Exception:
            opened_with_old = False
        assert not opened_with_old

        # No key material or photo byte in what kenpoctl printed or logged.
        for out in (r.stdout, r.stderr):
            assert old not in out and new not in out
    finally:
        stack.sql(f"DELETE FROM accounts WHERE id = {account}")


def test_config_refuses_malformed_keys(stack, tmp_path):
    r = ctl_with(stack, tmp_path, "short", {"Verify.MasterKey": "ab" * 31}, "verify", "status")
    assert r.returncode != 0 and "Verify.MasterKey" in r.stderr
    r = ctl_with(stack, tmp_path, "long", {"Verify.MasterKey": "ab" * 33}, "verify", "status")
    assert r.returncode != 0 and "Verify.MasterKey" in r.stderr
    r = ctl_with(stack, tmp_path, "old", {"Verify.OldMasterKeys": "ab" * 32 + " xyz"},
                 "verify", "status")
    assert r.returncode != 0 and "Verify.OldMasterKeys" in r.stderr
    # Without any master key the level is simply off: status says so, rekey refuses.
    r = ctl_with(stack, tmp_path, "none", {"Verify.MasterKey": ""}, "verify", "rekey")
    assert r.returncode == 1 and "Verify.MasterKey" in r.stderr
