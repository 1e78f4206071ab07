"""The mailer against submission servers: STARTTLS (off, optional, required),
certificate checks against Mail.CAFile, SMTP AUTH — and what an operator sees
when the relay's password or certificate is wrong: the mail stays queued with
the error in `kenpoctl mail status`, and fixing the configuration plus a reload
sends it once.

Each test runs its own kenpod (with its mailer) on a database of its own in the
stack's MariaDB, so the main stack's mailer never takes these messages, and its
own smtp_sink.py with a certificate made here."""

import datetime
import itertools
import os
import subprocess
import tempfile
import time

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from conftest import BUILD, SRC, Frontend, SmtpSink, wait_until

USER, PASSWORD = "kenpo-relay", "s3cret-" + os.urandom(6).hex()
_seq = itertools.count(1)


# ------------------------------------------------------------------ certificates

def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return path


class CA:
    def __init__(self, d, label):
        self.dir, self.label = d, label
        self.key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        self.cert = (x509.CertificateBuilder()
                     .subject_name(_name(f"kenpo test CA {label}"))
                     .issuer_name(_name(f"kenpo test CA {label}"))
                     .public_key(self.key.public_key())
                     .serial_number(x509.random_serial_number())
                     .not_valid_before(now - datetime.timedelta(days=1))
                     .not_valid_after(now + datetime.timedelta(days=30))
                     .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
                     .add_extension(x509.KeyUsage(False, False, False, False, False,
                                                  True, True, False, False), True)
                     .sign(self.key, hashes.SHA256()))
        self.pem = _write(os.path.join(d, f"ca-{label}.pem"),
                          self.cert.public_bytes(serialization.Encoding.PEM))

    def server(self, dns):
        """(cert.pem, key.pem) for a server named dns, signed by this CA."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (x509.CertificateBuilder()
                .subject_name(_name(dns))
                .issuer_name(self.cert.subject)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(days=1))
                .not_valid_after(now + datetime.timedelta(days=30))
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(dns)]), False)
                .add_extension(x509.ExtendedKeyUsage(
                    [x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), False)
                .sign(self.key, hashes.SHA256()))
        base = os.path.join(self.dir, f"{dns}-{self.label}")
        return (_write(base + ".crt", cert.public_bytes(serialization.Encoding.PEM)),
                _write(base + ".key", key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption())))


@pytest.fixture(scope="module")
def pki(stack):
    d = tempfile.mkdtemp(dir=stack.dir, prefix="pki-")
    trusted, other = CA(d, "trusted"), CA(d, "other")
    return {
        "ca": trusted.pem,
        "other_ca": other.pem,
        "good": trusted.server("localhost"),
        "untrusted": other.server("localhost"),
        "wrong_name": trusted.server("relay.example.net"),
    }


# ------------------------------------------------------------------ harness

class Relay:
    """A kenpod whose mailer talks to its own smtp_sink.py, on its own database."""

    def __init__(self, stack, sink_args, mail_config):
        n = next(_seq)
        self.stack = stack
        root = tempfile.mkdtemp(dir=stack.dir, prefix=f"relay{n}-")
        self.sink = SmtpSink(root, sink_args)
        self.sink.start()
        self.db = f"kenpo_relay{n}"
        stack.sql(f"CREATE DATABASE {self.db} CHARACTER SET utf8mb4 "
                  f"COLLATE utf8mb4_unicode_ci")
        stack.sql(f"GRANT ALL PRIVILEGES ON {self.db}.* TO 'kenpo'@'localhost'")
        config = {"Database.Name": self.db,
                  "Mail.Server": f"localhost:{self.sink.port}"}
        config.update(mail_config)
        self.fe = Frontend(stack, f"relay{n}", config)
        self.fe.write_config()
        r = self.ctl("db", "migrate")
        assert r.returncode == 0, r.stderr
        stack.frontends.append(self.fe)
        self.fe.start()

    def ctl(self, *args):
        return subprocess.run([os.path.join(BUILD, "kenpoctl"), "-c", self.fe.conf,
                               *args], capture_output=True, text=True, timeout=60)

    def queue_test_mail(self):
        to = self.stack.new_email("relay")
        r = self.ctl("mail", "test", to)
        assert r.returncode == 0, r.stderr
        return to

    def delivered(self):
        d = os.path.join(self.sink.maildir, "new")
        out = []
        for name in os.listdir(d):
            with open(os.path.join(d, name), "rb") as f:
                out.append(f.read())
        return out

    def sink_log(self):
        with open(self.sink.log, encoding="utf-8", errors="replace") as f:
            return f.read()

    def outbox(self):
        return self.stack.sql(f"SELECT attempts, sent_at, failed_at, last_error "
                              f"FROM {self.db}.outbox ORDER BY id")

    def wait_error(self, prefix, timeout=30):
        """Wait until the one queued message has failed an attempt with an error
        starting with prefix; return that error."""
        rows = []

        def have():
            rows[:] = self.outbox()
            return rows and rows[0][3] is not None and rows[0][3].startswith(prefix)
        wait_until(have, timeout, f"no attempt failed with {prefix!r}: {rows}")
        return rows[0][3]

    def wait_delivered(self, n=1, timeout=30):
        wait_until(lambda: len(self.delivered()) >= n, timeout,
                   f"not delivered: outbox {self.outbox()}\n{self.sink_log()}")
        return self.delivered()

    def reconfigure(self, **changes):
        """Change Mail.* keys and reload kenpod (SIGHUP), as an operator would."""
        self.fe.config.update({k.replace("_", "."): v for k, v in changes.items()})
        self.fe.write_config()
        self.fe.reload()

    def stop(self):
        self.stack.stop_frontend(self.fe)
        self.sink.stop()
        self.stack.sql(f"DROP DATABASE {self.db}")


@pytest.fixture
def relay(stack):
    made = []

    def make(sink_args, **mail_config):
        r = Relay(stack, sink_args, {k.replace("_", "."): v
                                     for k, v in mail_config.items()})
        made.append(r)
        return r
    yield make
    for r in made:
        r.stop()


def tls_args(pair, auth=True, require=True):
    a = ["--tls-cert", pair[0], "--tls-key", pair[1]]
    if require:
        a.append("--require-tls")
    if auth:
        a += ["--auth", f"{USER}:{PASSWORD}"]
    return a


def assert_never_logged(relay, secret):
    with open(relay.fe.log, encoding="utf-8", errors="replace") as f:
        assert secret not in f.read()


# ------------------------------------------------------------------ tests

def test_starttls_and_auth_deliver(relay, pki):
    r = relay(tls_args(pki["good"]), Mail_StartTLS="required", Mail_CAFile=pki["ca"],
              Mail_User=USER, Mail_Password=PASSWORD)
    to = r.queue_test_mail()
    (msg,) = r.wait_delivered()
    assert to.encode() in msg
    log = r.sink_log()
    assert f"AUTH ok {USER}" in log
    assert "MAIL over TLS" in log and "MAIL over plain text" not in log
    wait_until(lambda: r.outbox()[0][1] is not None, 10, "not recorded as sent")
    assert r.outbox()[0][3] is None
    assert_never_logged(r, PASSWORD)


def test_wrong_password_stays_queued_and_a_reload_sends_it_once(relay, pki):
    r = relay(tls_args(pki["good"]), Mail_StartTLS="required", Mail_CAFile=pki["ca"],
              Mail_User=USER, Mail_Password="not-the-password")
    r.queue_test_mail()
    err = r.wait_error("AUTH")
    # The server's answer, not what the refused envelope said afterwards.
    assert err.startswith("AUTH 535"), err
    time.sleep(2.5)                         # more retries: still queued, not failed
    (attempts, sent, failed, _), = r.outbox()
    assert sent is None and failed is None and int(attempts) >= 2
    assert r.delivered() == []
    st = r.ctl("mail", "status")
    assert st.returncode == 0, st.stderr
    assert "queued: 1" in st.stdout and "AUTH 535" in st.stdout, st.stdout
    assert "not-the-password" not in st.stdout

    r.reconfigure(Mail_Password=PASSWORD)
    msgs = r.wait_delivered()
    time.sleep(3)                           # a second copy would come by now
    assert len(r.delivered()) == 1 == len(msgs)
    (_, sent, failed, last_error), = r.outbox()
    assert sent is not None and failed is None and last_error is None
    assert_never_logged(r, PASSWORD)
    assert_never_logged(r, "not-the-password")


def test_untrusted_certificate_stays_queued_and_no_password_is_sent(relay, pki):
    r = relay(tls_args(pki["untrusted"]), Mail_StartTLS="required",
              Mail_CAFile=pki["ca"], Mail_User=USER, Mail_Password=PASSWORD)
    r.queue_test_mail()
    err = r.wait_error("STARTTLS")
    assert "not trusted" in err, err
    st = r.ctl("mail", "status")
    assert "not trusted" in st.stdout, st.stdout
    assert r.delivered() == []
    assert "AUTH" not in r.sink_log()       # the password never left

    r.reconfigure(Mail_CAFile=pki["other_ca"])   # the operator trusts that CA
    r.wait_delivered()
    time.sleep(3)
    assert len(r.delivered()) == 1
    assert f"AUTH ok {USER}" in r.sink_log()


def test_certificate_for_another_host_is_refused(relay, pki):
    r = relay(tls_args(pki["wrong_name"], auth=False), Mail_StartTLS="required",
              Mail_CAFile=pki["ca"])
    r.queue_test_mail()
    err = r.wait_error("STARTTLS")
    assert "relay.example.net" in err and "not the host" in err, err
    assert r.delivered() == []


def test_required_starttls_not_offered(relay):
    r = relay([], Mail_StartTLS="required")
    r.queue_test_mail()
    err = r.wait_error("STARTTLS")
    assert "not offered" in err, err
    assert r.delivered() == []


def test_optional_starttls_encrypts_without_checking(relay, pki):
    # Opportunistic: any certificate, but encrypted all the same.
    r = relay(tls_args(pki["untrusted"], auth=False, require=False),
              Mail_StartTLS="optional", Mail_CAFile=pki["ca"])
    r.queue_test_mail()
    r.wait_delivered()
    assert "MAIL over TLS" in r.sink_log()


def test_starttls_off_sends_in_plain_text(relay, pki):
    r = relay(tls_args(pki["good"], auth=False, require=False), Mail_StartTLS="off")
    r.queue_test_mail()
    r.wait_delivered()
    assert "MAIL over plain text" in r.sink_log()


@pytest.mark.parametrize("keys, message", [
    ({"Mail.User": USER, "Mail.Password": PASSWORD, "Mail.StartTLS": "optional"},
     "Mail.StartTLS = required"),
    ({"Mail.User": USER, "Mail.StartTLS": "required"}, "Mail.User needs Mail.Password"),
    ({"Mail.CAFile": "/nonexistent/ca.pem"}, "Mail.CAFile /nonexistent/ca.pem"),
    ({"Mail.StartTLS": "yes"}, "Mail.StartTLS"),
    # Not mail, but the same check: a provider that would refuse every login.
    ({"Login.Captcha": "on", "Login.CaptchaProvider": "recaptcha",
      "Login.RecaptchaSiteKey": "site"}, "Login.RecaptchaSecret must be set"),
])
def test_config_check_refuses_unsafe_mail_settings(stack, keys, message):
    conf = os.path.join(tempfile.mkdtemp(dir=stack.dir), "kenpo.hdf")
    c = stack.base_config()
    c["Server.Templates"] = os.path.join(SRC, "templates")
    c.update(keys)
    with open(conf, "w", encoding="utf-8") as f:
        for k, v in c.items():
            f.write(f"{k} = {v}\n")
    p = subprocess.run([os.path.join(BUILD, "kenpod"), "-t", "-c", conf],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode != 0
    assert message in p.stderr, p.stderr
    assert PASSWORD not in p.stderr
