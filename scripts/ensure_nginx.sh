#!/bin/sh
# Installs Debian's nginx when missing (the replicas test and deploy/replicas.py).
# --optional: only try; never fail.
optional=0; [ "${1:-}" = "--optional" ] && optional=1
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "nginx ontbreekt; installeren met apt-get (Debian-pakket nginx-light)…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null && exit 0
fi
if [ $optional = 1 ]; then echo "Let op: nginx ontbreekt." >&2; exit 0; fi
echo "nginx ontbreekt en kon niet worden geïnstalleerd (installeer het Debian-pakket 'nginx-light' als root)." >&2
exit 1
