#!/bin/bash
#
# dev.sh — the developer stack of kenpo, on one machine, all under .dev/.
#
#   contrib/dev.sh up       install missing Debian packages (as root), build, start a
#                           private MariaDB, an SMTP sink, kenpod and nginx on loopback,
#                           load the demo data, print the URL
#   contrib/dev.sh down     stop everything up started (by the pids in .dev/run/*.pid)
#   contrib/dev.sh status   what runs, where
#   contrib/dev.sh ctl ARGS run kenpoctl against the dev stack's config
#   contrib/dev.sh test [--quick]
#                           install what is missing, build, run `make check`
#                           (unit, fuzz replay, integration, browser, then the
#                           unit, fuzz and integration suites again built with
#                           ASan+UBSan: `make sanitize-check`; --quick: unit and
#                           fuzz only). A full run fails on any skip not listed
#                           in tests/allowed-skips.
#
# Environment: KENPO_HTTP_PORT (default 8080) is the port of the dev nginx;
# KENPO_STAFF_PORT (default 8081) the port of its staff console server (the
# review console, issue 12: loopback only, printed by `up`);
# KENPO_DEMO=0 skips loading the demo insurers and rosters.
#
# Nothing here needs the network once the packages are installed: package checks
# use dpkg-query first, so a second run installs nothing.

set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEV=$ROOT/.dev
BUILD=$DEV/build
RUN=$DEV/run
LOGDIR=$DEV/log
MAILDIR=$DEV/mail
CONF=$DEV/kenpo.hdf
HTTP_PORT=${KENPO_HTTP_PORT:-8080}
# The port of a running stack wins (status, ctl, a second up).
if [ -z "${KENPO_HTTP_PORT:-}" ] && [ -s "$RUN/http.port" ]; then
	HTTP_PORT=$(cat "$RUN/http.port")
fi
STAFF_PORT=${KENPO_STAFF_PORT:-8081}
if [ -z "${KENPO_STAFF_PORT:-}" ] && [ -s "$RUN/staff.port" ]; then
	STAFF_PORT=$(cat "$RUN/staff.port")
fi
PY=/usr/bin/python3
# Kept in step with Server.MaxBody in the generated config (nginx refuses first).
MAX_BODY=65536
# nginx's limit of the upload locations (/verify/shot/): a little over
# Verify.MaxRequestBytes (default 25 MiB), so that kenpod's own limits answer
# a body near them (contrib/nginx/dev.conf.in).
UPLOAD_MAX_BODY=27262976

# Debian 12 packages needed to build, run and test kenpo. The tests use, besides
# the build: pytest, aiosmtpd (the SMTP sink), cryptography (opening CAPTCHA
# challenges), the mariadb client, argon2, openssl (a test certificate) and
# valgrind, and for the eKYC tests python3-pil (JPEG/PNG), heif-enc
# (libheif-examples: HEIC) and /usr/bin/time (the photo helper's peak memory,
# measured apart from the test's own), and for the OpenID Connect tests a relying
# party the project did not write (python3-authlib, python3-jwcrypto). A test never skips for want of one of them: it fails.
PACKAGES="build-essential autoconf automake pkg-config clearsilver-dev libfcgi-dev
libgcrypt20-dev libesmtp-dev libssl-dev libmariadb-dev libutf8proc-dev libcsv-dev libgd-dev
libcurl4-openssl-dev libjansson-dev libheif-dev libexif-dev libqrencode-dev
libfido2-dev libcbor-dev
zlib1g-dev check mariadb-server mariadb-client nginx python3 python3-aiosmtpd
python3-pytest python3-cryptography argon2 openssl valgrind ca-certificates
python3-pil libheif-examples time
python3-authlib python3-jwcrypto python3-requests"

# wrk, for `make bench` (tests/bench/run.py; it also compiles a bare libfcgi
# hello and an Argon2id loop with cc against libfcgi-dev and libgcrypt20-dev).
PACKAGES="$PACKAGES wrk"

# systemd-analyze, for the exposure score of contrib/systemd/kenpod.service(.in)
# (tests/integration/test_prod_examples.py). Debian's systemd package alone
# only adds the tools (systemd-sysv is what makes it init); nothing starts.
PACKAGES="$PACKAGES systemd"

# The Galera cluster of `make cluster-test` and `make cluster-bench`
# (tests/cluster/): the provider, and rsync and ss (iproute2) for the state
# snapshot script wsrep_sst_rsync; pgrep (procps) checks that nothing is left.
PACKAGES="$PACKAGES galera-4 rsync iproute2 procps"

STARTING=0
# Logs worth showing when the current start step fails (names under .dev/log/).
STEP_LOGS=

say() {
	printf 'dev.sh: %s\n' "$*"
}

die() {
	printf 'dev.sh: %s\n' "$*" >&2
	exit 1
}

usage() {
	cat >&2 <<'EOF'
usage: contrib/dev.sh up|down|status|test [--quick]|ctl ARGS...
EOF
	exit 2
}

# ---------------------------------------------------------------- packages

# Print the packages of the list "$@" that are not installed.
missing_packages() {
	local p st
	for p in "$@"; do
		st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
		if [ "$st" != installed ]; then
			# nginx: any of Debian's flavours provides /usr/sbin/nginx.
			if [ "$p" = nginx ] && [ -x /usr/sbin/nginx ]; then
				continue
			fi
			printf '%s\n' "$p"
		fi
	done
}

# Install the packages named in "$1" (a space-separated list; root only).
apt_install() {
	local missing=$1
	if [ -z "$missing" ]; then
		return 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		die "missing Debian packages: $missing
install them as root:  apt-get install $missing"
	fi
	say "installing: $missing"
	apt-get update
	# shellcheck disable=SC2086  # one word per package
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
}

need_packages() {
	local missing
	# shellcheck disable=SC2086
	missing=$(missing_packages $PACKAGES | tr '\n' ' ')
	apt_install "${missing% }"
}

# Browser tests need Chromium and Node.js (>= 18.19: Debian 12's 18.20 will do)
# with npm; called by `test` only when tests/browser/run exists. A Node.js
# installed another way than Debian's package counts as well.
need_browser() {
	local missing=""
	[ -x /usr/bin/chromium ] || missing="chromium"
	command -v node >/dev/null 2>&1 || missing="$missing nodejs"
	command -v npm >/dev/null 2>&1 || missing="$missing npm"
	# Japanese glyphs for the screenshots (without them every kana is a box).
	dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "ok installed" ||
		missing="$missing fonts-noto-cjk"
	apt_install "${missing# }"
}

# ---------------------------------------------------------------- build

# Regenerate configure when it is missing or older than its inputs, configure the
# build directory when needed, then make.
build() {
	local f regen=0
	if [ ! -x "$ROOT/configure" ]; then
		regen=1
	else
		for f in "$ROOT/configure.ac" "$ROOT/Makefile.am" "$ROOT"/*.inc \
		    "$ROOT"/src/*.inc "$ROOT"/src/*/*.inc "$ROOT"/tests/*.inc; do
			if [ -e "$f" ] && [ "$f" -nt "$ROOT/configure" ]; then
				regen=1
			fi
		done
	fi
	if [ "$regen" -eq 1 ]; then
		say "autoreconf -fi"
		(cd "$ROOT" && autoreconf -fi)
	fi
	mkdir -p "$BUILD"
	if [ ! -f "$BUILD/Makefile" ] || [ ! -f "$BUILD/config.status" ] ||
	    [ "$ROOT/configure" -nt "$BUILD/config.status" ]; then
		say "configure (in .dev/build)"
		(cd "$BUILD" && "$ROOT/configure" -q --enable-werror --prefix="$DEV/prefix")
	fi
	say "make"
	make -C "$BUILD" -j2 >"$DEV/build.log" 2>&1 || {
		tail -n 60 "$DEV/build.log" >&2
		die "build failed (full log: .dev/build.log)"
	}
}

# ---------------------------------------------------------------- helpers

# A free TCP port on 127.0.0.1 (the kernel picks it).
free_port() {
	"$PY" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# 0 if something accepts connections on 127.0.0.1:$1.
port_open() {
	"$PY" -c 'import socket, sys
s = socket.socket()
s.settimeout(0.5)
try:
    s.connect(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)' "$1"
}

# HTTP status of GET http://127.0.0.1:$HTTP_PORT$1 (000 when nothing answers).
http_status() {
	"$PY" -c 'import http.client, sys
try:
    c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=5)
    c.request("GET", sys.argv[2])
    print(c.getresponse().status)
except Exception:
    print("000")' "$HTTP_PORT" "$1"
}

# 64 hex digits from the kernel's CSPRNG.
hex_secret() {
	od -An -tx1 -N32 /dev/urandom | tr -d ' \n'
}

# 0 if pid $1 runs (a zombie waiting for init to reap it counts as stopped).
pid_alive() {
	local stat
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 1
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

# The recorded pid of service $1, or nothing.
pid_of() {
	if [ -f "$RUN/$1.pid" ]; then
		head -n 1 "$RUN/$1.pid"
	fi
}

# The process group of pid $1 (field 5 of /proc/PID/stat, after the comm field).
pgid_of() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	# shellcheck disable=SC2086
	set -- $stat
	printf '%s\n' "$3"
}

tail_log() {
	if [ -s "$1" ]; then
		printf -- '--- last lines of %s ---\n' "${1#"$ROOT"/}" >&2
		tail -n "${2:-25}" "$1" >&2
	fi
}

mysql_admin_user() {
	id -un
}

# mariadb client on the private socket as the administrator (unix_socket auth).
db_admin() {
	mariadb --no-defaults --socket="$RUN/mysql.sock" -u"$(mysql_admin_user)" "$@"
}

# Wait up to $2 seconds for command "$1" (a function name) to succeed while the
# service whose pid is $3 stays alive.
wait_for() {
	local check=$1 secs=$2 pid=$3 i=0
	while [ "$i" -lt $((secs * 10)) ]; do
		if "$check"; then
			return 0
		fi
		if ! pid_alive "$pid"; then
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# Start "$@" in its own session (so `down` can signal the whole process group),
# output to log $1, pid recorded as .dev/run/$2.pid. Usage: spawn NAME LOG CMD...
spawn() {
	local name=$1 log=$2
	shift 2
	setsid "$@" </dev/null >>"$log" 2>&1 &
	echo $! >"$RUN/$name.pid"
}

# ---------------------------------------------------------------- stop

# Stop pid $2 (service $1): TERM, wait up to $3 s, then KILL its process group.
stop_pid() {
	local name=$1 pid=$2 secs=$3 i=0 pg
	pg=$(pgid_of "$pid" || true)
	if pid_alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null || true
		while pid_alive "$pid" && [ "$i" -lt $((secs * 10)) ]; do
			sleep 0.1
			i=$((i + 1))
		done
		if pid_alive "$pid"; then
			say "$name (pid $pid) did not stop in ${secs}s: killing it"
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	# Children left behind (kenpod workers, nginx workers) share the group.
	if [ -n "$pg" ] && [ "$pg" = "$pid" ]; then
		kill -KILL -- "-$pg" 2>/dev/null || true
	fi
}

do_down() {
	local name pid i f
	[ -d "$RUN" ] || return 0
	# Front to back: nothing talks to a service that is already gone.
	for name in nginx kenpod smtp mariadb; do
		pid=$(pid_of "$name")
		if [ -z "$pid" ]; then
			continue
		fi
		if pid_alive "$pid"; then
			say "stopping $name (pid $pid)"
			if [ "$name" = mariadb ]; then
				db_admin -e 'SHUTDOWN' >/dev/null 2>&1 ||
				    mariadb-admin --no-defaults --socket="$RUN/mysql.sock" \
				    -u"$(mysql_admin_user)" shutdown >/dev/null 2>&1 || true
				i=0
				while pid_alive "$pid" && [ "$i" -lt 300 ]; do
					sleep 0.1
					i=$((i + 1))
				done
			fi
			stop_pid "$name" "$pid" 15
		fi
		rm -f "$RUN/$name.pid"
	done
	# Any other pid file (a helper of a later version) is stopped the same way.
	for f in "$RUN"/*.pid; do
		[ -e "$f" ] || continue
		pid=$(head -n 1 "$f")
		if pid_alive "$pid"; then
			stop_pid "$(basename "$f" .pid)" "$pid" 10
		fi
		rm -f "$f"
	done
	rm -f "$RUN/kenpod.sock" "$RUN/kenpod-staff.sock" "$RUN/http.port" "$RUN/staff.port"
}

# ---------------------------------------------------------------- up

on_exit() {
	local rc=$? f
	if [ "$STARTING" -eq 1 ] && [ "$rc" -ne 0 ]; then
		say "start failed" >&2
		for f in $STEP_LOGS; do
			tail_log "$LOGDIR/$f" 25
		done
		STARTING=0
		do_down || true
		say "stopped what was started" >&2
	fi
	exit "$rc"
}

# 0 when every service of the stack is recorded and alive.
stack_up() {
	local name
	for name in mariadb smtp kenpod nginx; do
		pid_alive "$(pid_of "$name")" || return 1
	done
}

# 0 when at least one recorded service is alive.
stack_partly_up() {
	local name
	for name in mariadb smtp kenpod nginx; do
		if pid_alive "$(pid_of "$name")"; then
			return 0
		fi
	done
	return 1
}

mysql_ready() {
	db_admin -e 'SELECT 1' >/dev/null 2>&1
}

start_mariadb() {
	local pid
	STEP_LOGS="mariadb.log"
	if [ ! -d "$DEV/mysql/mysql" ]; then
		say "initialising MariaDB in .dev/mysql"
		# The bootstrap has been seen to crash (SIGSEGV) now and then on a loaded
		# machine: try a clean datadir up to three times.
		local try ok=0
		mkdir -p "$DEV/mysql-tmp"
		for try in 1 2 3; do
			rm -rf "$DEV/mysql"
			if mariadb-install-db --no-defaults --user="$(id -un)" \
			    --datadir="$DEV/mysql" --tmpdir="$DEV/mysql-tmp" \
			    --auth-root-authentication-method=socket \
			    --skip-test-db --force >>"$LOGDIR/mariadb.log" 2>&1; then
				ok=1
				break
			fi
			say "mariadb-install-db failed (attempt $try of 3)"
		done
		[ "$ok" -eq 1 ] || die "mariadb-install-db failed (see .dev/log/mariadb.log)"
	fi
	say "starting MariaDB (socket .dev/run/mysql.sock, no TCP)"
	# Temporary files in .dev/mysql-tmp: in the shared /tmp, a server with the
	# same pid in another PID namespace would collide with ours.
	mkdir -p "$DEV/mysql-tmp"
	spawn mariadb "$LOGDIR/mariadb.log" mariadbd --no-defaults --user="$(id -un)" \
	    --datadir="$DEV/mysql" --tmpdir="$DEV/mysql-tmp" \
	    --socket="$RUN/mysql.sock" --skip-networking \
	    --pid-file="$DEV/mysql/mariadbd.pid" --log-error="$LOGDIR/mariadb.log" \
	    --skip-name-resolve --innodb-buffer-pool-size=64M \
	    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci
	pid=$(pid_of mariadb)
	wait_for mysql_ready 60 "$pid" || die "MariaDB did not start"
	# The application's own user and database (idempotent).
	db_admin <<EOF
CREATE DATABASE IF NOT EXISTS kenpo CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'kenpo'@'localhost' IDENTIFIED BY '$(cat "$DEV/secret/dbpass")';
ALTER USER 'kenpo'@'localhost' IDENTIFIED BY '$(cat "$DEV/secret/dbpass")';
GRANT ALL PRIVILEGES ON kenpo.* TO 'kenpo'@'localhost';
EOF
}

SMTP_PORT=

smtp_ready() {
	port_open "$SMTP_PORT"
}

start_smtp() {
	local pid
	STEP_LOGS="smtp.log"
	SMTP_PORT=$(free_port)
	mkdir -p "$MAILDIR/new" "$MAILDIR/cur" "$MAILDIR/tmp"
	say "starting the SMTP sink on 127.0.0.1:$SMTP_PORT (mail goes to .dev/mail/new)"
	if [ -f "$ROOT/tests/integration/smtp_sink.py" ]; then
		spawn smtp "$LOGDIR/smtp.log" "$PY" "$ROOT/tests/integration/smtp_sink.py" \
		    --maildir "$MAILDIR" --port "$SMTP_PORT"
	else
		spawn smtp "$LOGDIR/smtp.log" "$PY" -m aiosmtpd -n \
		    -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$MAILDIR"
	fi
	pid=$(pid_of smtp)
	wait_for smtp_ready 20 "$pid" || die "the SMTP sink did not start"
}

# Secrets survive `down`/`up`: the pepper keys the roster's card_key column.
ensure_secrets() {
	mkdir -p "$DEV/secret"
	chmod 700 "$DEV/secret"
	local f
	for f in pepper secret dbpass masterkey; do
		if [ ! -s "$DEV/secret/$f" ]; then
			(umask 077 && hex_secret >"$DEV/secret/$f")
		fi
	done
}

write_config() {
	(umask 077 && cat >"$CONF" <<EOF
# Generated by contrib/dev.sh up — overwritten on every start.
# Every key is documented in contrib/kenpo.hdf.sample.in.
Service.BaseURL = http://localhost:$HTTP_PORT
Server.Socket = $RUN/kenpod.sock
Server.Workers = 4
Staff.Socket = $RUN/kenpod-staff.sock
Staff.BaseURL = http://127.0.0.1:$STAFF_PORT
Server.Templates = $ROOT/templates
Server.Htdocs = $ROOT/htdocs
Server.Migrations = $ROOT/sql
Server.MaxBody = $MAX_BODY
Server.LogLevel = info
Database.Socket = $RUN/mysql.sock
Database.User = kenpo
Database.Password = $(cat "$DEV/secret/dbpass")
Database.Name = kenpo
Mail.Server = 127.0.0.1:$SMTP_PORT
Mail.RetryMin = 2
Mail.RetryMax = 30
Mail.Poll = 1
Security.Pepper = $(cat "$DEV/secret/pepper")
Security.Secret = $(cat "$DEV/secret/secret")
Verify.MasterKey = $(cat "$DEV/secret/masterkey")
Verify.ImageHelper = $BUILD/kenpo-image
EOF
	)
}

kenpod_ready() {
	[ -S "$RUN/kenpod.sock" ] && [ -S "$RUN/kenpod-staff.sock" ]
}

start_kenpod() {
	local pid
	STEP_LOGS="kenpod.log"
	say "starting kenpod (2 workers, log .dev/log/kenpod.log)"
	rm -f "$RUN/kenpod.sock" "$RUN/kenpod-staff.sock"
	spawn kenpod "$LOGDIR/kenpod.log" "$BUILD/kenpod" -c "$CONF"
	pid=$(pid_of kenpod)
	wait_for kenpod_ready 20 "$pid" || die "kenpod did not create its socket"
}

# Render contrib/nginx/dev.conf.in into .dev/nginx/nginx.conf.
render_nginx() {
	local user_line=""
	mkdir -p "$DEV/nginx/temp"
	if [ "$(id -u)" -eq 0 ]; then
		# nginx's workers would run as nobody, who cannot enter a checkout
		# under /root; this private instance listens on loopback only.
		user_line="user root;"
	fi
	sed -e "s|@PREFIX@|$DEV/nginx|g" \
	    -e "s|@PORT@|$HTTP_PORT|g" \
	    -e "s|@SOCKET@|$RUN/kenpod.sock|g" \
	    -e "s|@STAFF_PORT@|$STAFF_PORT|g" \
	    -e "s|@STAFF_SOCKET@|$RUN/kenpod-staff.sock|g" \
	    -e "s|@HTDOCS@|$ROOT/htdocs|g" \
	    -e "s|@MAXBODY@|$MAX_BODY|g" \
	    -e "s|@UPLOADMAXBODY@|$UPLOAD_MAX_BODY|g" \
	    -e "s|@LOGDIR@|$LOGDIR|g" \
	    -e "s|@USER_LINE@|$user_line|g" \
	    "$ROOT/contrib/nginx/dev.conf.in" >"$DEV/nginx/nginx.conf"
}

healthy() {
	[ "$(http_status /healthz)" = 200 ]
}

start_nginx() {
	local pid
	STEP_LOGS="nginx.log nginx-error.log kenpod.log"
	render_nginx
	say "starting nginx on 127.0.0.1:$HTTP_PORT"
	spawn nginx "$LOGDIR/nginx.log" nginx -p "$DEV/nginx" -c "$DEV/nginx/nginx.conf" \
	    -e "$LOGDIR/nginx-error.log"
	pid=$(pid_of nginx)
	wait_for healthy 30 "$pid" ||
	    die "http://127.0.0.1:$HTTP_PORT/healthz did not answer 200 (last: $(http_status /healthz))"
}

ctl_logged() {
	"$BUILD/kenpoctl" -c "$CONF" "$@" >>"$LOGDIR/ctl.log" 2>&1
}

do_up() {
	local f
	need_packages
	if stack_up; then
		say "already up: http://localhost:$HTTP_PORT/, staff console http://127.0.0.1:$STAFF_PORT/ (contrib/dev.sh down stops it)"
		return 0
	fi
	if stack_partly_up; then
		say "part of the stack is running: stopping it first"
		do_down
	fi
	if port_open "$HTTP_PORT"; then
		die "port $HTTP_PORT is in use: set KENPO_HTTP_PORT to a free port"
	fi
	if port_open "$STAFF_PORT"; then
		die "port $STAFF_PORT is in use: set KENPO_STAFF_PORT to a free port"
	fi
	build
	STARTING=1
	mkdir -p "$RUN" "$LOGDIR" "$MAILDIR"
	# Keep the logs of one previous run; tails on failure show this run only.
	for f in "$LOGDIR"/*.log; do
		[ -e "$f" ] && mv -f "$f" "$f.1"
	done
	ensure_secrets
	start_mariadb
	start_smtp
	write_config
	say "kenpoctl db migrate"
	STEP_LOGS="ctl.log"
	ctl_logged db migrate || die "kenpoctl db migrate failed"
	if [ "${KENPO_DEMO:-1}" != 0 ]; then
		say "loading the demo insurers and rosters (contrib/demo/load.sh)"
		KENPOCTL="$BUILD/kenpoctl" KENPO_CONFIG="$CONF" \
		    "$ROOT/contrib/demo/load.sh" >>"$LOGDIR/ctl.log" 2>&1 ||
		    die "loading the demo data failed (KENPO_DEMO=0 skips it)"
	fi
	start_kenpod
	start_nginx
	echo "$HTTP_PORT" >"$RUN/http.port"
	echo "$STAFF_PORT" >"$RUN/staff.port"
	STARTING=0
	cat <<EOF

kenpo is up:   http://localhost:$HTTP_PORT/ (a host name, not 127.0.0.1: passkeys
               need one, and forms are accepted only from Service.BaseURL's origin)
staff console: http://127.0.0.1:$STAFF_PORT/ (review and inquiries; accounts:
               contrib/dev.sh ctl staff add EMAIL --role reviewer|support|admin)
mail:          .dev/mail/new/ (one file per message, raw RFC 5322)
logs:          .dev/log/ (kenpod.log, nginx-error.log, mariadb.log, smtp.log)
kenpoctl:      contrib/dev.sh ctl ...
demo member:   sign up, then at 健保資格確認 enter 06139992 / 123 / 4567890 /
               ケンコウタロウ / 1960-01-01 (contrib/demo/README)
stop:          contrib/dev.sh down
EOF
}

do_status() {
	local name pid
	for name in mariadb smtp kenpod nginx; do
		pid=$(pid_of "$name")
		if pid_alive "$pid"; then
			printf '%-8s running (pid %s)\n' "$name" "$pid"
		else
			printf '%-8s stopped\n' "$name"
		fi
	done
	if pid_alive "$(pid_of nginx)"; then
		printf 'url      http://localhost:%s/ (healthz: %s)\n' "$HTTP_PORT" \
		    "$(http_status /healthz)"
	fi
	if [ -d "$MAILDIR/new" ]; then
		printf 'mail     %s message(s) in .dev/mail/new\n' \
		    "$(find "$MAILDIR/new" -type f | wc -l)"
	fi
}

# ---------------------------------------------------------------- test

# One closing line over every suite: test cases of Check and pytest, and one per
# other test program. Arguments: full|quick, then pairs of a build directory and
# the prefix of its suites' names (the sanitized run's are "san/...").
# In a full run a suite that skipped itself (exit 77) or is missing fails the
# run: only --quick may leave suites out. Exit 1 then.
summarise() {
	"$PY" - "$@" <<'EOF'
import pathlib, re, sys
full = sys.argv[1] == "full"
runs = [(pathlib.Path(d), pre) for d, pre in zip(sys.argv[2::2], sys.argv[3::2])]
p = f = s = x = 0
suites = set()
for build, pre, trs in [(b, pre, t) for b, pre in runs
                        for t in sorted(b.glob("tests/**/*.trs"))]:
    log = trs.with_suffix(".log")
    name = pre + str(trs.relative_to(build / "tests").with_suffix(""))
    short = name[len(pre):]
    suites.add(pre + (short if short.endswith("/run") else short.split("/", 1)[0]))
    text = log.read_text(errors="replace") if log.exists() else ""
    res = re.search(r"^:test-result: (\w+)", trs.read_text(errors="replace"), re.M)
    res = res.group(1) if res else "ERROR"
    m = re.search(r"(\d+)%: Checks: (\d+), Failures: (\d+), Errors: (\d+)", text)
    pyt = re.findall(r"^=*\s*(.*\bin [0-9.]+s.*?)\s*=*$", text, re.M)
    node = re.search(r"^# pass (\d+)$", text, re.M)
    if node:
        nf = re.search(r"^# fail (\d+)$", text, re.M)
        nc = re.search(r"^# cancelled (\d+)$", text, re.M)   # node 18: a timeout
        ns = re.search(r"^# skipped (\d+)$", text, re.M)
        nt = re.search(r"^# todo (\d+)$", text, re.M)
        np_, nf, ns = int(node.group(1)), \
            (int(nf.group(1)) if nf else 0) + (int(nc.group(1)) if nc else 0), \
            (int(ns.group(1)) if ns else 0) + (int(nt.group(1)) if nt else 0)
        p += np_; f += nf; s += ns
        if res in ("FAIL", "ERROR") and nf == 0:
            f += 1
        print(f"  {name}: node --test: {np_} passed, {nf} failed, {ns} skipped/todo")
    elif m:
        n, bad = int(m.group(2)), int(m.group(3)) + int(m.group(4))
        p += n - bad; f += bad
        print(f"  {name}: {m.group(0)}")
    elif pyt:
        line = pyt[-1]
        for num, word in re.findall(r"(\d+) (passed|failed|skipped|error|errors|xfailed|xpassed)", line):
            num = int(num)
            if word == "passed": p += num
            elif word == "xfailed": x += num
            elif word == "skipped": s += num
            else: f += num
        print(f"  {name}: {line}")
        if res in ("FAIL", "ERROR") and not re.search(r"\d+ (failed|error)", line):
            f += 1
    else:
        print(f"  {name}: {res}")
        if res == "PASS": p += 1
        elif res == "XFAIL": x += 1
        elif res == "SKIP": s += 1
        else: f += 1
    if full and res == "SKIP":
        print(f"  {name}: a whole suite skipped in a full run")
        f += 1
if full:
    # The sanitized run leaves the browser suite out (the same kenpod).
    wants = [pre + w for _, pre in runs for w in
             (("unit", "fuzz", "integration/run", "browser/run") if pre == ""
              else ("unit", "fuzz", "integration/run"))]
    for want in wants:
        if want not in suites:
            print(f"  {want}: did not run (a suite of a full run is missing)")
            f += 1
print(f"summary: {p} passed, {f} failed, {s} skipped"
      + (f", {x} expected failures (xfail)" if x else ""))
sys.exit(1 if full and f else 0)
EOF
}

do_test() {
	local quick=0 rc=0
	if [ "${1:-}" = --quick ]; then
		quick=1
	elif [ $# -gt 0 ]; then
		usage
	fi
	need_packages
	if [ "$quick" -eq 0 ] && [ -x "$ROOT/tests/browser/run" ]; then
		need_browser
	fi
	build
	rm -f "$BUILD"/tests/*/*.log "$BUILD"/tests/*/*.trs
	if [ "$quick" -eq 1 ]; then
		say "make check (unit tests only)"
		KENPO_SKIP_INTEGRATION=1 KENPO_SKIP_BROWSER=1 make -C "$BUILD" -j2 check || rc=$?
	else
		say "make check (unit + integration)"
		make -C "$BUILD" -j2 check || rc=$?
	fi
	if [ "$rc" -ne 0 ] && [ -f "$BUILD/test-suite.log" ]; then
		printf -- '--- .dev/build/test-suite.log ---\n'
		cat "$BUILD/test-suite.log"
	fi
	if [ "$quick" -eq 0 ]; then
		# The unit, fuzz and integration suites once more with kenpod and
		# kenpoctl built with ASan+UBSan (in .dev/build-san; about 2 minutes):
		# any sanitizer report fails it.
		say "make sanitize-check (the same under ASan+UBSan, in .dev/build-san)"
		rm -f "$BUILD-san"/tests/*/*.log "$BUILD-san"/tests/*/*.trs
		make -C "$BUILD" -j2 sanitize-check >"$DEV/sanitize.log" 2>&1 || {
			rc=1
			tail -n 40 "$DEV/sanitize.log"
			if [ -f "$BUILD-san/test-suite.log" ]; then
				printf -- '--- .dev/build-san/test-suite.log ---\n'
				cat "$BUILD-san/test-suite.log"
			fi
		}
	fi
	# One closing line over every suite, printed last. In a full run a suite
	# that skipped itself or is missing fails the run.
	local summary sum_rc=0
	if [ "$quick" -eq 1 ]; then
		summary=$(summarise quick "$BUILD" "") || true
	else
		summary=$(summarise full "$BUILD" "" "$BUILD-san" "san/") || sum_rc=$?
	fi
	if [ "$rc" -ne 0 ]; then
		say "tests FAILED (logs: .dev/build/tests/*/*.log, .dev/build-san/tests/*/*.log)"
	elif [ "$sum_rc" -ne 0 ]; then
		say "tests FAILED: a suite was skipped or did not run (see below)"
		rc=1
	else
		say "all tests passed"
	fi
	printf '%s\n' "$summary"
	return "$rc"
}

# ---------------------------------------------------------------- main

[ $# -ge 1 ] || usage
cmd=$1
shift
case "$cmd" in
up)
	[ $# -eq 0 ] || usage
	trap on_exit EXIT
	do_up
	;;
down)
	[ $# -eq 0 ] || usage
	do_down
	say "down"
	;;
status)
	do_status
	;;
ctl)
	if [ ! -x "$BUILD/kenpoctl" ]; then
		need_packages
		build
	fi
	[ -f "$CONF" ] || die "no .dev/kenpo.hdf yet: run contrib/dev.sh up first"
	exec "$BUILD/kenpoctl" -c "$CONF" "$@"
	;;
test)
	do_test "$@"
	;;
*)
	usage
	;;
esac
