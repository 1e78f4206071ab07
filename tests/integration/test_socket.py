"""
kenpod's FastCGI socket is not world-writable (issue 8 item 6): whoever can
connect can talk FastCGI to kenpod and forge REMOTE_ADDR and HTTPS, defeating
throttles, the insurer allowlist and the loopback-only /metrics. The default is
0660; Server.SocketGroup gives it nginx's group; kenpod -t judges that key.
"""

import grp
import os
import secrets
import stat
import subprocess

from conftest import BUILD, SRC


def test_socket_is_not_world_writable(stack):
    """The test stack sets no Server.SocketMode: this is the default."""
    for fe in stack.frontends:
        mode = stat.S_IMODE(os.stat(fe.socket).st_mode)
        assert stat.S_ISSOCK(os.stat(fe.socket).st_mode)
        assert mode & (stat.S_IWOTH | stat.S_IROTH) == 0, f"{fe.socket} is {mode:04o}"
        assert mode == 0o660, f"{fe.socket} is {mode:04o} (default 0660)"


def _check(stack, tmp_path, extra):
    conf = tmp_path / "kenpo.hdf"
    with open(stack.main.conf, encoding="utf-8") as f:
        text = f.read()
    conf.write_text(text + "".join(f"{k} = {v}\n" for k, v in extra.items()),
                    encoding="utf-8")
    return subprocess.run([os.path.join(BUILD, "kenpod"), "-t", "-c", str(conf)],
                          capture_output=True, text=True, timeout=30)


def test_kenpod_t_judges_socket_group(stack, tmp_path):
    own = grp.getgrgid(os.getgid()).gr_name
    r = _check(stack, tmp_path, {"Server.SocketGroup": own})
    assert r.returncode == 0, r.stdout + r.stderr
    missing = "kenpo-no-such-group-" + secrets.token_hex(3)
    r = _check(stack, tmp_path, {"Server.SocketGroup": missing})
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Server.SocketGroup" in r.stderr and missing in r.stderr, r.stderr
    r = _check(stack, tmp_path, {"Server.SocketGroup": "x" * 65})
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Server.SocketGroup" in r.stderr, r.stderr


def test_socket_group_is_applied(stack):
    """A kenpod with Server.SocketGroup gives its socket that group, mode 0660.
    As root any other group will do; otherwise a supplementary group of ours,
    else our own primary group (which at least runs the chown)."""
    own = os.getgid()
    if os.getuid() == 0:
        gid = next((g.gr_gid for g in grp.getgrall() if g.gr_gid != own), own)
    else:
        gid = next((g for g in os.getgroups() if g != own), own)
    fe = stack.frontend(config={"Server.SocketGroup": grp.getgrgid(gid).gr_name})
    try:
        st = os.stat(fe.socket)
        assert st.st_gid == gid, (st.st_gid, gid)
        assert stat.S_IMODE(st.st_mode) == 0o660
    finally:
        stack.stop_frontend(fe)


def test_dev_stack_keeps_the_default_mode():
    """contrib/dev.sh's generated config leaves Server.SocketMode at its default
    (its nginx runs as kenpod's user, or as root when started as root)."""
    with open(os.path.join(SRC, "contrib", "dev.sh"), encoding="utf-8") as f:
        dev = f.read()
    assert "Server.SocketMode" not in dev
    assert "Server.Socket = $RUN/kenpod.sock" in dev
