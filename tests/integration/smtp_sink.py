#!/usr/bin/python3
"""smtp_sink.py — an SMTP server for tests that stores every accepted message in a
Maildir, one file per message, and can be told to refuse mail.

    /usr/bin/python3 tests/integration/smtp_sink.py --maildir DIR --port PORT \
        [--host 127.0.0.1] [--control FILE] [--no-8bitmime] [--pidfile FILE] \
        [--tls-cert PEM --tls-key PEM [--require-tls]] [--auth USER:PASSWORD]

Messages are stored as received (raw RFC 5322, dot-unstuffed) under DIR/new/, with
LF line ends as an MDA would write them; DIR/tmp, DIR/new and DIR/cur are created
when missing. Nothing is added to the message.

Failure mode. The control file (if given) is read again at every SMTP command, so a
test changes the sink's behaviour by rewriting it, without a restart. Its first
line that is not blank or a #comment says what to do:

    (missing file, empty, or "ok")   accept everything
    rcpt 451 [text]                  answer RCPT TO with this code (any 4xx/5xx)
    mail 550 [text]                  answer MAIL FROM with this code
    data 554 [text]                  accept the envelope, answer the end of DATA
                                     with this code (the message is not stored)
    data hang                        accept the envelope, then never answer the end
                                     of DATA (for client timeouts); nothing stored
    data store-hang                  store the message, then never answer the end of
                                     DATA: the server has the mail, the client never
                                     learns it (its retry delivers a second copy)
    data delay MS                    store the message, then answer the end of DATA
                                     with 250 only MS milliseconds later (a window
                                     in which the message is stored but the client
                                     has not heard so: tests/soak/run.py kills the
                                     mailer there)
    451                              a bare code means "rcpt 451"

--no-8bitmime makes the EHLO answer omit 8BITMIME (to test a client's fallback).
--tls-cert/--tls-key offer STARTTLS with that certificate (--require-tls: MAIL
before STARTTLS is refused with 530). --auth offers AUTH PLAIN and LOGIN, over TLS
only, and refuses MAIL before a successful AUTH with 530 5.7.0, as a submission
server does; each AUTH is logged to stderr as "smtp_sink: AUTH ok USER" or
"smtp_sink: AUTH refused USER" (never the password).
SIGTERM or SIGINT stops the server. One line per stored or refused message goes to
stderr; "smtp_sink: listening on HOST:PORT" is printed to stdout once ready.
"""

import argparse
import asyncio
import hmac
import os
import signal
import socket
import ssl
import sys
import time

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

DEFAULT_TEXT = {
    "4": "Requested action not taken: try again later",
    "5": "Requested action not taken: refused",
}


def parse_control(path):
    """Return (phase, code, text) or None to accept. phase: mail|rcpt|data."""
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return None
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        words = line.split(None, 2)
        if words[0].lower() == "ok":
            return None
        if words[0].isdigit():
            words = ["rcpt"] + words
        phase = words[0].lower()
        if phase not in ("mail", "rcpt", "data") or len(words) < 2:
            print(f"smtp_sink: ignoring bad control line: {line!r}",
                  file=sys.stderr, flush=True)
            return None
        code = words[1].lower()
        if code in ("hang", "store-hang"):
            return (phase, code, "")
        if code == "delay" and len(words) > 2 and words[2].isdigit():
            return (phase, "delay", words[2])
        if not (len(code) == 3 and code.isdigit() and code[0] in "45"):
            print(f"smtp_sink: ignoring bad control code: {line!r}",
                  file=sys.stderr, flush=True)
            return None
        text = words[2] if len(words) > 2 else DEFAULT_TEXT[code[0]]
        return (phase, code, text)
    return None


class Maildir:
    def __init__(self, root):
        self.root = root
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(root, sub), exist_ok=True)
        self.count = 0
        self.host = socket.gethostname().replace("/", "_").replace(":", "_")

    def store(self, content):
        """Write content (bytes, CRLF) to new/ via tmp/; return the file name."""
        self.count += 1
        name = f"{time.time():.6f}.P{os.getpid()}Q{self.count}.{self.host}"
        data = content.replace(b"\r\n", b"\n")
        tmp = os.path.join(self.root, "tmp", name)
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, os.path.join(self.root, "new", name))
        return name


class Handler:
    def __init__(self, maildir, control, eight_bit_mime):
        self.maildir = maildir
        self.control = control
        self.eight_bit_mime = eight_bit_mime

    def _mode(self, phase):
        mode = parse_control(self.control)
        if mode is not None and mode[0] == phase:
            return mode
        return None

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if not self.eight_bit_mime:
            responses = [r for r in responses if r[4:] != "8BITMIME"]
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        mode = self._mode("mail")
        if mode is not None and mode[1] not in ("hang", "store-hang", "delay"):
            print(f"smtp_sink: refused MAIL with {mode[1]}",
                  file=sys.stderr, flush=True)
            return f"{mode[1]} {mode[2]}"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        if server.tls_context is not None:
            print(f"smtp_sink: MAIL over {'TLS' if session.ssl else 'plain text'}",
                  file=sys.stderr, flush=True)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        mode = self._mode("rcpt")
        if mode is not None and mode[1] not in ("hang", "store-hang", "delay"):
            print(f"smtp_sink: refused RCPT with {mode[1]}",
                  file=sys.stderr, flush=True)
            return f"{mode[1]} {mode[2]}"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        mode = self._mode("data")
        if mode is not None and mode[1] == "hang":
            print("smtp_sink: hanging at end of DATA", file=sys.stderr,
                  flush=True)
            await asyncio.sleep(3600)
            return "451 Timed out"
        if mode is not None and mode[1] == "store-hang":
            content = envelope.original_content or envelope.content
            if isinstance(content, str):
                content = content.encode("utf-8", "surrogateescape")
            name = self.maildir.store(content)
            print(f"smtp_sink: stored {name}, then hanging at end of DATA",
                  file=sys.stderr, flush=True)
            await asyncio.sleep(3600)
            return "451 Timed out"
        if mode is not None and mode[1] == "delay":
            content = envelope.original_content or envelope.content
            if isinstance(content, str):
                content = content.encode("utf-8", "surrogateescape")
            name = self.maildir.store(content)
            print(f"smtp_sink: stored {name}, answering in {mode[2]} ms",
                  file=sys.stderr, flush=True)
            await asyncio.sleep(int(mode[2]) / 1000)
            return "250 Message accepted for delivery"
        if mode is not None:
            print(f"smtp_sink: refused DATA with {mode[1]}",
                  file=sys.stderr, flush=True)
            return f"{mode[1]} {mode[2]}"
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        name = self.maildir.store(content)
        print(f"smtp_sink: stored {name}", file=sys.stderr, flush=True)
        return "250 Message accepted for delivery"


class Authenticator:
    """Accept one user and password (PLAIN or LOGIN)."""

    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = (hmac.compare_digest(auth_data.login, self.user) and
              hmac.compare_digest(auth_data.password, self.password))
        who = auth_data.login.decode("utf-8", "replace")
        print(f"smtp_sink: AUTH {'ok' if ok else 'refused'} {who} ({mechanism})",
              file=sys.stderr, flush=True)
        return AuthResult(success=ok, handled=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--maildir", required=True, help="Maildir to store mail in")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--control", help="file naming the failure mode")
    ap.add_argument("--no-8bitmime", action="store_true",
                    help="do not offer 8BITMIME in the EHLO answer")
    ap.add_argument("--pidfile", help="write the process id here")
    ap.add_argument("--tls-cert", help="offer STARTTLS with this certificate (PEM)")
    ap.add_argument("--tls-key", help="the certificate's private key (PEM)")
    ap.add_argument("--require-tls", action="store_true",
                    help="refuse MAIL before STARTTLS")
    ap.add_argument("--auth", metavar="USER:PASSWORD",
                    help="require AUTH (PLAIN or LOGIN, over TLS) with these")
    args = ap.parse_args()
    tls = None
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    extra = {}
    if tls is not None:
        extra.update(tls_context=tls, require_starttls=args.require_tls)
    if args.auth:
        user, _, password = args.auth.partition(":")
        extra.update(authenticator=Authenticator(user, password),
                     auth_required=True, auth_require_tls=True)

    handler = Handler(Maildir(args.maildir), args.control,
                      not args.no_8bitmime)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def factory():
        return SMTP(handler, hostname="kenpo-test-sink", decode_data=False,
                    loop=loop, **extra)

    server = loop.run_until_complete(
        loop.create_server(factory, host=args.host, port=args.port,
                           reuse_address=True))
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    if args.pidfile:
        with open(args.pidfile, "w") as f:
            f.write(f"{os.getpid()}\n")
    print(f"smtp_sink: listening on {args.host}:{args.port}", flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()
        if args.pidfile:
            try:
                os.unlink(args.pidfile)
            except FileNotFoundError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
