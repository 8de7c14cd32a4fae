#!/bin/sh
# ensure_deb.sh COMMAND PACKAGE [--optional]: installs the Debian package PACKAGE when COMMAND is
# missing (as root, with apt-get). nginx (the replicas test, deploy/replicas.py) and LibreOffice's
# soffice (the test that opens an exported CSV as a spreadsheet user does) come this way.
# --optional: only try; never fail (the tests that need it are skipped without it).
cmd=$1; pkg=$2; optional=0; [ "${3:-}" = "--optional" ] && optional=1
if command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "$cmd ontbreekt; installeren met apt-get (Debian-pakket $pkg)…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null \
    && exit 0
fi
if [ $optional = 1 ]; then echo "Let op: $cmd ontbreekt (Debian-pakket $pkg)." >&2; exit 0; fi
echo "$cmd ontbreekt en kon niet worden geïnstalleerd (installeer het Debian-pakket '$pkg' als root)." >&2
exit 1
