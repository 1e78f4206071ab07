"""
A private MariaDB Galera cluster on loopback, for make cluster-test.

Three mariadbd processes (Debian's mariadb-server with galera-4's
libgalera_smm.so), each with its own datadir, unix socket, TCP port on
127.0.0.1, group-communication port, IST port and SST port, all free ports
found at start. Node 1 is installed with mariadb-install-db and bootstraps the
cluster (--wsrep-new-cluster); nodes 2 and 3 start with an empty datadir and
receive the whole of it by a state snapshot (SST: rsync, wsrep_sst_rsync). As
root the nodes run as the user mysql, as Debian's service does: the rsync daemon
of the SST script drops to the user nobody when started by root, and could then
not write the joiner's datadir. A node killed with
SIGKILL is restarted as Debian's galera_recovery does: `mariadbd --wsrep-recover`
reads the last committed position from InnoDB, and the node starts with
--wsrep-start-position, so it rejoins by IST (only the write sets it missed,
from a donor's gcache) — node.joined_by() tells which it was, from its log.

Nothing is left behind: stop() shuts every node down (SIGKILL after 30 s) and
the caller removes the directory.
"""
import os
import re
import shutil
import signal
import subprocess

import conftest
from conftest import free_port, spawn, wait_until, kill_group

PROVIDER = "/usr/lib/galera/libgalera_smm.so"


class Node:
    def __init__(self, cluster, n):
        self.cluster = cluster
        self.n = n
        self.name = f"node{n}"
        self.dir = os.path.join(cluster.dir, self.name)
        self.datadir = os.path.join(self.dir, "data")
        self.tmpdir = os.path.join(self.dir, "tmp")
        self.socket = os.path.join(self.dir, "mysql.sock")
        self.log = os.path.join(self.dir, "mariadb.log")
        self.port = free_port()        # SQL over TCP (127.0.0.1), for diagnostics
        self.gcomm = free_port()       # group communication
        self.ist = free_port()
        self.sst = free_port()
        self.proc = None
        self.user = "mysql" if os.getuid() == 0 else conftest._whoami()
        for d in (self.dir, self.tmpdir, self.datadir):
            os.makedirs(d, exist_ok=True)
            if os.getuid() == 0:
                shutil.chown(d, self.user, self.user)

    # -- processes

    def argv(self, extra=(), alone=False):
        c = self.cluster
        # alone: a cluster of this one node, which knows no peers (others may
        # still join it); else every node's address.
        peers = "" if alone else ",".join(f"127.0.0.1:{x.gcomm}" for x in c.nodes)
        opts = ";".join([
            f"gmcast.listen_addr=tcp://127.0.0.1:{self.gcomm}",
            f"ist.recv_addr=127.0.0.1:{self.ist}",
            f"base_port={self.gcomm}",
            "gcache.size=128M",
            # As docs/operations.md §10.1 says: a causal read (Database.SyncWait)
            # that cannot be served in 5 s fails, below kenpod's 10 s timeout.
            "repl.causal_read_timeout=PT5S",
        ])
        return ["mariadbd", "--no-defaults", f"--user={self.user}",
                f"--datadir={self.datadir}", f"--tmpdir={self.tmpdir}",
                f"--socket={self.socket}", "--bind-address=127.0.0.1",
                f"--port={self.port}",
                f"--pid-file={os.path.join(self.dir, 'mariadbd.pid')}",
                f"--log-error={self.log}", "--skip-name-resolve",
                "--innodb-buffer-pool-size=64M", "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci",
                "--binlog-format=ROW", "--default-storage-engine=InnoDB",
                "--innodb-autoinc-lock-mode=2", "--innodb-flush-log-at-trx-commit=2",
                "--wsrep-on=ON", f"--wsrep-provider={PROVIDER}",
                f"--wsrep-cluster-name={c.name}",
                f"--wsrep-cluster-address=gcomm://{peers}",
                f"--wsrep-node-name={self.name}",
                "--wsrep-node-address=127.0.0.1",
                f"--wsrep-node-incoming-address=127.0.0.1:{self.port}",
                f"--wsrep-sst-receive-address=127.0.0.1:{self.sst}",
                "--wsrep-sst-method=rsync",
                "--wsrep-slave-threads=2",
                f"--wsrep-provider-options={opts}",
                *extra]

    def start(self, bootstrap=False, timeout=180, alone=False):
        extra = ["--wsrep-new-cluster"] if bootstrap else []
        pos = None
        if not bootstrap and os.path.exists(os.path.join(self.datadir, "ibdata1")):
            pos = self.recover_position()
            if pos:
                extra.append(f"--wsrep-start-position={pos}")
        self.log_mark = os.path.getsize(self.log) if os.path.exists(self.log) else 0
        self.proc = spawn(self.argv(extra, alone), self.log + ".out")
        wait_until(self.synced, timeout, f"Galera {self.name} did not reach Synced",
                   self.proc, self.log)
        return pos

    def recover_position(self):
        """The last committed position (uuid:seqno) as InnoDB knows it, after a
        crash (grastate.dat then says seqno -1)."""
        rlog = os.path.join(self.dir, "recover.log")
        r = subprocess.run(self.argv(["--wsrep-recover", f"--log-error={rlog}"]),
                           capture_output=True, text=True, timeout=120)
        text = open(rlog, encoding="utf-8", errors="replace").read() if \
            os.path.exists(rlog) else r.stderr
        m = re.findall(r"Recovered position: ([0-9a-f-]{36}:-?\d+)", text)
        if os.path.exists(rlog):
            os.unlink(rlog)
        return m[-1] if m else None

    def client_argv(self):
        # As root: root@localhost authenticates by the socket's peer (unix_socket).
        return ["mariadb", "--no-defaults", f"--socket={self.socket}",
                f"-u{conftest._whoami()}"]

    def run(self, query, db="kenpo"):
        argv = self.client_argv() + ["-N", "-B"]
        if db:
            argv.append(db)
        r = subprocess.run(argv, input=query, capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError(f"SQL on {self.name} failed: {query!r}\n{r.stderr}")
        return [tuple(None if c == "NULL" else conftest._unescape(c)
                      for c in line.split("\t")) for line in r.stdout.splitlines()]

    def status(self, var):
        try:
            rows = self.run(f"SHOW GLOBAL STATUS LIKE '{var}'", db=None)
        except (RuntimeError, subprocess.TimeoutExpired):
            return None
        return rows[0][1] if rows else None

    def synced(self):
        return self.status("wsrep_local_state_comment") == "Synced"

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        """SIGKILL, as a crashed host: no shutdown, no goodbye to the group."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)
        self.proc = None

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            self.proc = None
            return
        subprocess.run(self.client_argv() + ["-e", "SHUTDOWN"], capture_output=True,
                       timeout=60)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            pass
        kill_group(self.proc, signal.SIGKILL, 5)
        self.proc = None

    def joined_by(self):
        """"IST" or "SST": how this node's last start received its state."""
        with open(self.log, encoding="utf-8", errors="replace") as f:
            f.seek(self.log_mark)
            text = f.read()
        if re.search(r"IST received|Receiving IST", text):
            return "IST"
        if re.search(r"SST (succeeded|received)|State transfer .* complete|"
                     r"sst_received", text, re.I):
            return "SST"
        return "none"


class Cluster:
    def __init__(self, root, size=3):
        self.dir = os.path.join(root, "galera")
        os.makedirs(self.dir, exist_ok=True)
        if os.getuid() == 0:
            # The user mysql walks down to its node's directory (search
            # permission only: it lists nothing on the way).
            d = self.dir
            while d != "/":
                os.chmod(d, os.stat(d).st_mode | 0o011)
                d = os.path.dirname(d)
        self.name = "kenpo-test-" + os.urandom(3).hex()
        self.nodes = []
        for n in range(1, size + 1):
            self.nodes.append(Node(self, n))

    def start(self, db_password):
        first = self.nodes[0]
        r = subprocess.run(
            ["mariadb-install-db", "--no-defaults", f"--user={first.user}",
             f"--datadir={first.datadir}", f"--tmpdir={first.tmpdir}",
             "--auth-root-authentication-method=socket", "--skip-test-db", "--force"],
            capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("mariadb-install-db failed:\n" + r.stdout + r.stderr)
        first.start(bootstrap=True)
        first.run(
            "CREATE DATABASE kenpo CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n"
            f"CREATE USER 'kenpo'@'localhost' IDENTIFIED BY '{db_password}';\n"
            "GRANT ALL PRIVILEGES ON kenpo.* TO 'kenpo'@'localhost';\n", db=None)
        for node in self.nodes[1:]:
            node.start()
        size = first.status("wsrep_cluster_size")
        if size != str(len(self.nodes)):
            raise RuntimeError(f"cluster size {size}, expected {len(self.nodes)}")

    def stop(self):
        # The last node to stop is the one with safe_to_bootstrap; order does not
        # matter for a cluster that is thrown away.
        for node in reversed(self.nodes):
            try:
                node.stop()
            except Exception:
                if node.proc is not None:
                    kill_group(node.proc, signal.SIGKILL, 5)
