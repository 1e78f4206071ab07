#!/usr/bin/env bash
# tests/deploy/run.sh — the deployment test (`make deploy-test`, README "Deployment
# test"). Runs on the host as root; the steps themselves run in a fresh Debian 12
# chroot (tests/deploy/inner.sh and inner.py) inside new mount, PID and network
# namespaces.
#
#   DEB=path/kenpo_V_amd64.deb [DEB2=path/kenpo_V2_amd64.deb] [SRC=source tree]
#   [BUILD=configured build dir] tests/deploy/run.sh
#
# DEB        the package under test (required; make deploy-test builds it first).
# DEB2       the upgrade package; without it the test builds one from a copy of SRC
#            with one extra migration (sql/0099_deploy_test.sql) and the version
#            DEB's version + "+deploytest1" (make deb DEB_VERSION=…).
# SRC        the source tree (default: this script's checkout); its contrib/demo is
#            what the operator loads.
# DEPLOY_DIR cache and run dirs (default /var/tmp/kenpo-deploy-base): the base
#            root file system as a tarball keyed by the recipe's hash, the apt
#            archive cache, and run-XXXX (removed at the end unless KEEP=1).
# KEEP=1     keep the run dir (unmounted, nothing running) for a look.
# DEPLOY_REBUILD=1  make a new base even if one with the same recipe exists.
#
# Network: the packages are downloaded in a first phase that shares the host's
# network (apt-get install --download-only; the host's mirror and proxy settings,
# as tests/deploy/ copies them from this machine's apt); everything else,
# installation included, runs with only the loopback interface of a network
# namespace of its own, so ports 443/587/25/3306 are private to the run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
SRC=${SRC:-$(cd "$here/../.." && pwd)}
DEPLOY_DIR=${DEPLOY_DIR:-/var/tmp/kenpo-deploy-base}
RECIPE=5                      # bump when the base recipe below changes
CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# What the inner steps install besides the package (Debian's own).
PACKAGES="mariadb-server mariadb-backup postfix dovecot-core nginx ca-certificates
openssl python3 testssl.sh systemd curl iproute2 procps"

say() { printf 'deploy-test: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 2; }
now() { echo "${EPOCHREALTIME/,/.}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

RESULTS=()                    # "PASS|FAIL name seconds"
T_START=$(now)
record() {                    # record STATUS NAME T0
  local s; s=$(since "$3"); RESULTS+=("$1 $2 $s")
  printf '%s: %s (%ss)\n' "$1" "$2" "$s"
}

codename() { . /etc/os-release && echo "$VERSION_CODENAME"; }

# "URI SUITE COMPONENTS..." of the release, -updates and -security suites this
# machine's apt uses.
host_sources() {
  local c; c=$(codename)
  apt-get indextargets --format '$(TARGET_OF) $(REPO_URI) $(RELEASE) $(COMPONENT)' \
      'Identifier: Packages' 2>/dev/null |
    awk -v c="$c" '$1 == "deb" && ($3 == c || $3 == c "-updates" || $3 == c "-security") {
        k = $2 " " $3
        if (!(k in comps)) { order[++n] = k; comps[k] = $4 }
        else if (index(" " comps[k] " ", " " $4 " ") == 0) comps[k] = comps[k] " " $4
      } END { for (i = 1; i <= n; i++) print order[i], comps[order[i]] }'
}

# The apt settings this machine needs for its mirror (proxy, date checks, the
# index targets it turns off), copied into the base.
host_apt_conf() {
  apt-config dump 2>/dev/null | grep -E \
    -e '^Acquire::((http|https|ftp)::Proxy|Check-Valid-Until|Check-Date|Max-FutureTime) ' \
    -e '^Acquire::IndexTargets::deb::[^:]+::DefaultEnabled "false";' || true
}

# ---- mounts and processes under a directory -------------------------------------------
mounts_under() {
  awk -v d="$1" '{ m = $5; gsub(/\\040/, " ", m); if (m == d || index(m, d "/") == 1) print m }' \
    /proc/self/mountinfo | sort -r
}
pids_in() {
  find /proc -mindepth 2 -maxdepth 2 -path '/proc/[0-9]*/root' \( -lname "$1" -o -lname "$1/*" \) \
    -printf '%h\n' 2>/dev/null | sed 's|^/proc/||'
}
# Normally nothing: every mount is made in the run's own mount namespace and every
# process lives in its PID namespace, both gone when its first process exits. This
# is for a base build (which runs apt in a plain chroot) and for kill -9 leftovers.
cleanup_dir() {
  local d=$1 m p
  case $d in "$DEPLOY_DIR"/*) ;; *) say "refusing to clean '$d'"; return 1 ;; esac
  p=$(pids_in "$d"); [ -n "$p" ] && { say "killing leftover pids $p"; kill -KILL $p; sleep 0.5; }
  while IFS= read -r m; do [ -n "$m" ] && { umount "$m" 2>/dev/null || umount -l "$m"; }; done \
    < <(mounts_under "$d")
  [ -z "$(mounts_under "$d")" ]
}

# ---- the base root file system --------------------------------------------------------
SOURCES=
BASE_TAR=
base_recipe() {
  { echo "recipe=$RECIPE codename=$(codename) arch=$(dpkg --print-architecture) variant=minbase"
    echo "$SOURCES"; host_apt_conf; } | sha256sum | cut -c1-16
}

build_base() {
  local hash base code mirror comps t0 rc=0
  SOURCES=$(host_sources)
  [ -n "$SOURCES" ] || { apt-get update -qq >&2; SOURCES=$(host_sources); }
  [ -n "$SOURCES" ] || die "no $(codename) suite in this machine's apt sources"
  hash=$(base_recipe); BASE_TAR=$DEPLOY_DIR/base-$hash.tar
  mkdir -p "$DEPLOY_DIR"
  exec 8>"$DEPLOY_DIR/.base.lock"; flock 8
  if [ -z "${DEPLOY_REBUILD:-}" ] && [ -s "$BASE_TAR" ]; then
    say "base: $BASE_TAR (cached, recipe $hash)"; exec 8>&-; return 0
  fi
  t0=$(now); code=$(codename); base=$DEPLOY_DIR/base-$hash
  cleanup_dir "$base"; rm -rf --one-file-system "$base"
  read -r mirror _ comps < <(awk -v c="$code" '$2 == c' <<<"$SOURCES")
  say "base: debootstrap --variant=minbase $code from $mirror (a few minutes, once)"
  debootstrap --variant=minbase --components="${comps// /,}" "$code" "$base" "$mirror" \
    >"$DEPLOY_DIR/debootstrap.log" 2>&1 || { tail -20 "$DEPLOY_DIR/debootstrap.log" >&2; die "debootstrap failed"; }
  host_apt_conf >"$base/etc/apt/apt.conf.d/99deploy-test-mirror"
  rm -f "$base/etc/apt/sources.list"
  while read -r mirror suite comps; do
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: %s\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n' \
      "$mirror" "$suite" "$comps"
  done <<<"$SOURCES" >"$base/etc/apt/sources.list.d/debian.sources"
  # The point-release and security updates an installed server has.
  cp -L /etc/resolv.conf "$base/etc/resolv.conf" 2>/dev/null
  mount -t proc proc "$base/proc" && mount --bind /dev "$base/dev" &&
    chroot "$base" /usr/bin/env -i PATH=$CHROOT_PATH DEBIAN_FRONTEND=noninteractive sh -c \
      'apt-get -q update && apt-get -q -y dist-upgrade && apt-get clean' >>"$DEPLOY_DIR/debootstrap.log" 2>&1 || rc=1
  cleanup_dir "$base" || rc=1
  [ $rc = 0 ] || { tail -20 "$DEPLOY_DIR/debootstrap.log" >&2; die "updating the base failed"; }
  find "$base/var/lib/apt/lists" -maxdepth 1 -type f ! -name lock -delete
  rm -f "$base/etc/resolv.conf"
  tar --numeric-owner --xattrs --xattrs-include='*' --one-file-system -C "$base" -cf "$BASE_TAR.part" . &&
    mv "$BASE_TAR.part" "$BASE_TAR" || die "writing $BASE_TAR failed"
  rm -rf --one-file-system "$base"
  # Older recipes' tarballs are of no more use.
  find "$DEPLOY_DIR" -maxdepth 1 -name 'base-*.tar' ! -name "base-$hash.tar" -delete
  say "base: built in $(since "$t0")s: $BASE_TAR ($(du -h "$BASE_TAR" | cut -f1))"
  exec 8>&-
}

if [ "${1:-}" = base ]; then [ "$(id -u)" = 0 ] || die "needs root"; build_base; exit 0; fi

# ---- the run ---------------------------------------------------------------------------
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, namespaces)"
[ -n "${DEB:-}" ] && [ -f "$DEB" ] || die "DEB=path/kenpo_VERSION_ARCH.deb is required"
DEB=$(readlink -f "$DEB")
for c in debootstrap unshare chroot ip setpriv; do command -v $c >/dev/null || die "missing $c"; done

RUN=; WORK=; RC=0
finish() {
  local rc=$?; trap '' INT TERM HUP
  [ $RC = 0 ] && RC=$rc
  if [ -n "$RUN" ] && [ -f "$RUN/root/deploy/results.tsv" ]; then
    while IFS=$'\t' read -r st name secs _; do RESULTS+=("$st $name $secs"); done <"$RUN/root/deploy/results.tsv"
  fi
  if [ -n "$RUN" ] && [ -d "$RUN/root/deploy/log" ]; then
    mkdir -p "$DEPLOY_DIR/last-logs" && rm -rf "$DEPLOY_DIR/last-logs"/* &&
      cp -a "$RUN/root/deploy/log/." "$RUN/root/deploy/results.tsv" "$DEPLOY_DIR/last-logs/" 2>/dev/null
  fi
  local d ok=0
  for d in "$RUN" "$WORK"; do
    [ -n "$d" ] && [ -d "$d" ] || continue
    cleanup_dir "$d" || { ok=1; say "could not clean $d"; }
    if [ "${KEEP:-}" = 1 ]; then say "kept $d"; elif [ $ok = 0 ]; then rm -rf --one-file-system "$d"; fi
  done
  [ $ok = 0 ] || RC=1
  echo
  echo "==== deploy-test summary ===="
  local n=0 f=0 r
  for r in "${RESULTS[@]}"; do
    set -- $r; n=$((n + 1)); [ "$1" = PASS ] || f=$((f + 1))
    printf '  %-4s %-22s %7ss\n' "$1" "$2" "$3"
  done
  [ $n -gt 0 ] || { f=1; echo "  (no step ran)"; }
  [ $f = 0 ] || RC=1
  printf '  total %ss, %d steps, %d failed; logs in %s/last-logs\n' "$(since "$T_START")" $n $f "$DEPLOY_DIR"
  echo "deploy-test: $([ $RC = 0 ] && echo PASSED || echo FAILED)"
  exit $RC
}
trap finish EXIT; trap 'RC=130; exit 130' INT; trap 'RC=143; exit 143' TERM; trap 'RC=129; exit 129' HUP

# 1. The base root file system (debootstrap once; a tarball afterwards).
t=$(now)
if (build_base); then build_base 2>/dev/null; record PASS base "$t"; else record FAIL base "$t"; exit 1; fi

# 2. The upgrade package: a copy of the source with one more migration, built with
#    a higher version by the package's own `make deb DEB_VERSION=…`.
t=$(now)
WORK=$(mktemp -d "$DEPLOY_DIR/work-XXXX")
V1=$(dpkg-deb -f "$DEB" Version)
if [ -n "${DEB2:-}" ]; then
  DEB2=$(readlink -f "$DEB2"); record PASS upgrade-package "$t"
else
  V2="$V1+deploytest1"
  say "building the upgrade package kenpo $V2 from a copy of $SRC (log: $WORK/upgrade-build.log)"
  if {
    if git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
      # Tracked and untracked files as they are in the tree (not ignored ones).
      mkdir -p "$WORK/src" &&
      (cd "$SRC" && git ls-files -z --cached --others --exclude-standard |
         tar --null --ignore-failed-read -T - -cf -) | tar -C "$WORK/src" -xf -
    else
      cp -a "$SRC" "$WORK/src"
    fi
    cat >"$WORK/src/sql/0099_deploy_test.sql" <<'SQL'
-- Added by the deployment test (tests/deploy/run.sh) to the upgrade package only:
-- a harmless table that shows the upgrade's migration ran.
CREATE TABLE deploy_test (
  id    INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  note  VARCHAR(64) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
SQL
    cd "$WORK/src" && { [ -x configure ] && [ configure -nt configure.ac ] && [ Makefile.in -nt Makefile.am ] ||
                        autoreconf -fi; } &&
    mkdir -p "$WORK/build" && cd "$WORK/build" && "$WORK/src/configure" -q &&
    nice make deb DEB_VERSION="$V2" DEB_BUILD_OPTIONS="nocheck parallel=2"
  } >"$WORK/upgrade-build.log" 2>&1; then
    DEB2=$(ls "$WORK"/build/kenpo_"$V2"_*.deb 2>/dev/null | head -1)
  fi
  cd /
  if [ -n "${DEB2:-}" ] && [ -f "$DEB2" ]; then record PASS upgrade-package "$t"
  else tail -30 "$WORK/upgrade-build.log" >&2; record FAIL upgrade-package "$t"; exit 1; fi
fi
say "package $(basename "$DEB"), upgrade $(basename "$DEB2")"

# 3. A pristine copy of the base, with the packages, the inner steps and the demo data.
t=$(now)
RUN=$(mktemp -d "$DEPLOY_DIR/run-XXXX")
ARCHIVES=$DEPLOY_DIR/archives; mkdir -p "$ARCHIVES/partial"
tar --numeric-owner --xattrs --xattrs-include='*' -C "$RUN" -xpf "$BASE_TAR" || die "unpacking failed"
mkdir -p "$RUN/root/deploy/log"
cp "$DEB" "$DEB2" "$here/inner.sh" "$here/inner.py" "$RUN/root/deploy/" &&
  cp -a "$SRC/contrib/demo" "$RUN/root/deploy/demo" || die "copying into the run dir failed"
printf 'PACKAGES="%s"\nKENPO_DEB=/root/deploy/%s\nKENPO_DEB2=/root/deploy/%s\n' "$(echo $PACKAGES)" \
  "$(basename "$DEB")" "$(basename "$DEB2")" >"$RUN/root/deploy/env"
say "unpacked the base into $RUN in $(since "$t")s"

# The downloads: mount and PID namespaces (nothing left behind), the host's network.
t=$(now)
if unshare --mount --pid --fork --mount-proc /bin/bash -c '
    set -e; R=$1; A=$2; shift 2
    mount -t proc proc "$R/proc"
    mount --bind /dev "$R/dev"
    mount --bind "$A" "$R/var/cache/apt/archives"
    cp -L /etc/resolv.conf "$R/etc/resolv.conf"
    chroot "$R" /usr/bin/env -i PATH='"$CHROOT_PATH"' DEBIAN_FRONTEND=noninteractive /bin/sh -c \
      "apt-get -q update && apt-get -q -y --download-only install \"\$@\"" sh "$@"
    rm -f "$R/etc/resolv.conf"
    # apt copies the local package into the cache too; installing it from there
    # later fails ("Pathname to install is not absolute").
    rm -f "$A"/kenpo_*.deb' _ "$RUN" "$ARCHIVES" "/root/deploy/$(basename "$DEB")" $PACKAGES \
    >"$RUN/root/deploy/log/apt-download.log" 2>&1; then
  record PASS download "$t"
else
  tail -30 "$RUN/root/deploy/log/apt-download.log" >&2; record FAIL download "$t"; exit 1
fi

# 4. Everything else: new mount, PID and network namespaces (only lo, private
#    ports), the chroot with its own /proc, a minimal /dev, tmpfs /run and /tmp.
#    When the namespace's first process ends, the kernel kills whatever is left in
#    it and drops its mounts.
say "running the steps in the chroot (new mount, PID and network namespaces)"
timeout --foreground -k 10 "${DEPLOY_TIMEOUT:-2400}" \
unshare --mount --pid --net --fork --mount-proc /bin/bash -c '
  set -e; R=$1; A=$2
  ip link set lo up
  mount -t proc proc "$R/proc"
  mount -t sysfs -o ro sysfs "$R/sys"
  mount -t tmpfs -o mode=755,nosuid tmpfs "$R/dev"
  for n in null zero full random urandom tty; do touch "$R/dev/$n"; mount --bind "/dev/$n" "$R/dev/$n"; done
  mkdir -p "$R/dev/pts" "$R/dev/shm"
  mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$R/dev/pts"
  ln -s pts/ptmx "$R/dev/ptmx"; ln -s /proc/self/fd "$R/dev/fd"
  ln -s /proc/self/fd/0 "$R/dev/stdin"; ln -s /proc/self/fd/1 "$R/dev/stdout"; ln -s /proc/self/fd/2 "$R/dev/stderr"
  mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$R/dev/shm"
  mount -t tmpfs -o mode=755,nosuid,nodev tmpfs "$R/run"
  mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$R/tmp"
  mount --bind "$A" "$R/var/cache/apt/archives"
  set +e
  chroot "$R" /usr/bin/env -i HOME=/root PATH='"$CHROOT_PATH"' LANG=C.UTF-8 TERM=dumb \
    KEEP_GOING="${KEEP_GOING:-}" /bin/bash -c ". /root/deploy/env && export PACKAGES KENPO_DEB KENPO_DEB2 && exec /bin/bash /root/deploy/inner.sh"
  ' _ "$RUN" "$ARCHIVES"
rc=$?
[ $rc = 0 ] || { say "the steps in the chroot exited $rc"; RC=1; }
exit $RC
