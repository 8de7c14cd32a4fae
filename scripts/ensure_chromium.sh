#!/bin/sh
# Installs Debian's chromium when missing (browser tests, PNG/PDF exports).
# Never downloads a browser of its own (no `playwright install`).
# --optional: only try; never fail (used by `make run`).
optional=0; [ "${1:-}" = "--optional" ] && optional=1
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium ontbreekt; installeren met apt-get (Debian-pakket chromium)…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null && exit 0
fi
if [ $optional = 1 ]; then
  echo "Let op: Chromium ontbreekt; PNG/PDF-exports werken niet (Excel/CSV wel)." >&2; exit 0
fi
echo "Chromium ontbreekt en kon niet worden geïnstalleerd (installeer het Debian-pakket 'chromium' als root)." >&2
exit 1
