#!/bin/bash
# tests/deploy/inner.sh — first step inside the deployment test's chroot (see
# run.sh): install the package and what a server of it runs with apt, as an
# administrator would, then hand over to inner.py for the rest. No network here but
# loopback: apt installs from the lists and archives run.sh fetched beforehand.
set -u
cd /root/deploy || exit 2
RESULTS=/root/deploy/results.tsv
now() { echo "${EPOCHREALTIME/,/.}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
result() {   # STATUS NAME T0 DETAIL
  local s; s=$(since "$3")
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$s" "$4" >>"$RESULTS"
  printf '%s: %s (%ss) %s\n' "$1" "$2" "$s" "$4"
}

t0=$(now)
# No service starts from a package's maintainer scripts (as in a container); this
# test starts each one itself.
printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
echo mail.kenpo.test >/etc/hostname
echo mail.kenpo.test >/etc/mailname
# One line per name: libesmtp checks the relay's certificate against the
# canonical name getaddrinfo gives for Mail.Server's host, which for an alias on
# a shared hosts line (or a DNS CNAME) is another name (README "Deployment test").
printf '127.0.0.1\tlocalhost\n127.0.0.1\twww.kenpo.test\n127.0.0.1\tmail.kenpo.test\n127.0.0.1\tkenpo.test\n::1\tlocalhost ip6-localhost ip6-loopback\n' >/etc/hosts
# Postfix: no questions; configured by inner.py.
debconf-set-selections <<'EOF'
postfix postfix/main_mailer_type select No configuration
postfix postfix/mailname string mail.kenpo.test
EOF
deb=$KENPO_DEB
# shellcheck disable=SC2086
if DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Use-Pty=0 \
     install "$deb" $PACKAGES >/root/deploy/log/apt-install.log 2>&1; then
  v=$(dpkg-query -W -f '${Version}' kenpo)
  if id kenpo >/dev/null 2>&1 && [ -x /usr/sbin/kenpod ] && [ -f /etc/kenpo/kenpo.hdf ]; then
    result PASS install "$t0" "apt-get install $(basename "$deb") (kenpo $v) and $(echo $PACKAGES | wc -w) Debian packages; user kenpo exists"
  else
    result FAIL install "$t0" "installed, but the kenpo user or files are missing"; exit 1
  fi
else
  tail -30 /root/deploy/log/apt-install.log
  result FAIL install "$t0" "apt-get install failed (log/apt-install.log)"; exit 1
fi
exec /usr/bin/python3 -u /root/deploy/inner.py
